//! Integration tests: `rapport check` on the bad, demo and worked-example vaults.

use crate::common::*;
use serde_json::Value;

/// (code, path, line, column) of each finding, sorted.
fn findings(json: &str) -> Vec<(String, String, u64, u64)> {
    let v: Value = serde_json::from_str(json).expect("check --format json prints JSON");
    let mut out: Vec<_> = v
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn f(code: &str, path: &str, line: u64, col: u64) -> (String, String, u64, u64) {
    (code.to_owned(), path.to_owned(), line, col)
}

#[test]
fn bad_vault_reports_each_case_at_its_place() {
    let (_t, v) = vault("bad");
    // Generated notes exist and are current, so only the notes' own findings remain.
    assert_eq!(code(&rapport(&v, &["report", "--today", "2026-11-23"])), 0);
    let out = rapport(&v, &["check", "--today", "2026-11-23", "--format", "json"]);
    assert_eq!(code(&out), 1, "errors make exit 1: {}", stderr(&out));
    let mut want = vec![
        f("client-duplicate", "Clients/Dup One.md", 3, 1),
        f("link-broken", "alias-link.md", 3, 23),
        f("link-ambiguous", "ambiguous.md", 3, 12),
        f("link-anchor-missing", "anchor.md", 4, 6),
        f("property-invalid", "bad-props.md", 3, 1),
        f("property-invalid", "bad-props.md", 4, 1),
        f("property-invalid", "bad-props.md", 5, 1),
        f("property-invalid", "bad-props.md", 6, 1),
        f("property-invalid", "bad-props.md", 7, 1),
        f("link-broken", "broken-link.md", 3, 18),
        f("interaction-no-client", "interaction-no-client.md", 1, 1),
        f("interaction-no-date", "interaction-no-date.md", 1, 1),
        f("frontmatter-invalid", "invalid-yaml.md", 3, 6),
        f("encoding", "not-utf8.md", 3, 7),
        f("frontmatter-unterminated", "unterminated.md", 1, 1),
    ];
    want.sort();
    assert_eq!(findings(&stdout(&out)), want);
}

#[test]
fn severities_follow_spec() {
    let (_t, v) = vault("bad");
    let out = rapport(&v, &["check", "--today", "2026-11-23", "--format", "json"]);
    let all: Value = serde_json::from_str(&stdout(&out)).unwrap();
    for d in all.as_array().unwrap() {
        let code = d["code"].as_str().unwrap();
        let want = if code.starts_with("link-") || code == "report-stale" { "warning" } else { "error" };
        assert_eq!(d["severity"], want, "{code}");
        assert!(d["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[test]
fn human_output_reads_like_a_compiler() {
    let (_t, v) = vault("bad");
    let out = rapport(&v, &["check", "--today", "2026-11-23"]);
    let text = stdout(&out);
    assert!(text.contains("broken-link.md:3:18: warning[link-broken]: "), "{text}");
    assert!(text.contains("= hint: `Acme Corp` is an alias of [[Acme]]"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when not on a terminal");
    assert!(stderr(&out).contains("11 errors"), "{}", stderr(&out));
}

#[test]
fn github_annotations() {
    let (_t, v) = vault("bad");
    // Started in the vault (outside any git work tree), paths start there.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["check", "--today", "2026-11-23", "--format", "github"])
        .current_dir(&v)
        .env_remove("RAPPORT_VAULT")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.lines().all(|l| l.starts_with("::error ") || l.starts_with("::warning ")), "{text}");
    assert!(text.contains("::warning file=broken-link.md,line=3,col=18,title=link-broken::"), "{text}");
}

#[test]
fn demo_vault_checks_clean() {
    let (_t, v) = vault("demo");
    let out = rapport(&v, &["check", "--today", "2026-11-23", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let codes: Vec<String> = findings(&stdout(&out)).into_iter().map(|f| f.0).collect();
    // Only date-dependent reminders; nothing wrong with the notes themselves.
    for c in &codes {
        assert!(matches!(c.as_str(), "contact-overdue" | "next-step-overdue" | "feedback-waiting"), "{c}");
    }
    assert_eq!(codes.iter().filter(|c| *c == "contact-overdue").count(), 4);
    assert_eq!(codes.iter().filter(|c| *c == "feedback-waiting").count(), 2);
    assert_eq!(codes.iter().filter(|c| *c == "next-step-overdue").count(), 2);
    // …and warnings fail the run when asked to.
    let strict = rapport(&v, &["check", "--today", "2026-11-23", "--fail-on", "warning"]);
    assert_eq!(code(&strict), 1);
}

#[test]
fn config_changes_and_silences_codes() {
    let (_t, v) = vault("bad");
    write(
        &v,
        "rapport.toml",
        "[severity]\nlink-broken = \"error\"\nproperty-invalid = \"off\"\nreport-stale = \"off\"\n",
    );
    let out = rapport(&v, &["check", "--today", "2026-11-23", "--format", "json"]);
    let all: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let arr = all.as_array().unwrap();
    assert!(arr.iter().all(|d| d["code"] != "property-invalid" && d["code"] != "report-stale"));
    assert!(arr.iter().filter(|d| d["code"] == "link-broken").all(|d| d["severity"] == "error"));
}

#[test]
fn bad_config_is_a_usage_error_naming_the_line() {
    let (_t, v) = vault("clients-small");
    write(&v, "rapport.toml", "soon_days = 7\n[cadence]\nkey = \"now and then\"\n");
    let out = rapport(&v, &["check"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("rapport.toml:3:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("not a cadence"), "{}", stderr(&out));
}

#[test]
fn missing_vault_and_bad_arguments_exit_2() {
    let (_t, v) = empty_vault();
    let out = rapport(&v.join("nope"), &["check"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("vault folder not found"), "{}", stderr(&out));
    assert_eq!(code(&rapport(&v, &["check", "--today", "2026-13-01"])), 2);
    assert_eq!(code(&rapport(&v, &["check", "--format", "xml"])), 2);
    assert_eq!(code(&rapport(&v, &["frobnicate"])), 2);
    assert_eq!(code(&rapport(&v, &["--help"])), 0);
}

#[test]
fn vault_from_environment() {
    let (_t, v) = vault("clients-small");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["clients", "--json", "--today", "2026-11-23"])
        .env("RAPPORT_VAULT", &v)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("Blue Fox Ltd 10"));
}

#[test]
fn hidden_ignored_and_output_folders_are_not_read() {
    let (_t, v) = empty_vault();
    write(&v, "ok.md", "[[Real]]\n");
    write(&v, "Real.md", "");
    write(&v, ".obsidian/x.md", "[[Broken1]]\n");
    write(&v, ".trash/old.md", "[[Broken2]]\n");
    write(&v, "Templates/t.md", "[[Broken3]]\n");
    // A note the output folder may hold (the journal): not read either.
    write(&v, "CRM/mine.md", "---\nrapport: journal\n---\n[[Broken4]]\n");
    write(&v, "rapport.toml", "ignore = [\"Templates/**\"]\n");
    let out = rapport(&v, &["check", "--format", "json"]);
    assert!(!stdout(&out).contains("Broken"), "{}", stdout(&out));
}
