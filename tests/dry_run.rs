//! Integration tests: `report --dry-run` shows each change as a unified diff and writes
//! nothing. The diffs are applied with GNU patch, an independent reader of the format.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// Every file under the vault and its bytes.
fn files(v: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![v.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(v).unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Applies `diff` with `patch -p1` in `dir`.
fn patch(dir: &Path, diff: &str) {
    use std::io::Write as _;
    let mut child = Command::new("patch")
        .args(["-p1", "--batch", "--silent"])
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("run patch");
    child.stdin.take().unwrap().write_all(diff.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "patch applies:\n{diff}");
}

#[test]
fn dry_run_prints_a_diff_that_patch_turns_into_the_report() {
    let (_a, v) = vault("demo");
    std::fs::remove_file(v.join("CRM/Dashboard.md")).unwrap();
    let before = files(&v);
    let out = rapport(&v, &["report", "--dry-run", "--today", "2026-11-24"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(files(&v), before, "a dry run writes nothing");
    let text = stdout(&out);
    assert!(
        text.contains("would update CRM/Reminders.md\n--- a/CRM/Reminders.md\n+++ b/CRM/Reminders.md\n@@ "),
        "{text}"
    );
    assert!(text.contains("\n-as_of: 2026-11-23\n") && text.contains("\n+as_of: 2026-11-24\n"), "{text}");
    assert!(
        text.contains("would create CRM/Dashboard.md\n--- /dev/null\n+++ b/CRM/Dashboard.md\n@@ -0,0 +1,"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour off a terminal");

    // Applied to the vault, the diffs give what the real run writes, byte for byte.
    patch(&v, &text);
    let (_b, w) = vault("demo");
    std::fs::remove_file(w.join("CRM/Dashboard.md")).unwrap();
    assert_eq!(code(&report_on(&w, "2026-11-24")), 0);
    assert_eq!(files(&v), files(&w));
    // And then there is nothing left to show.
    let again = stdout(&rapport(&v, &["report", "--dry-run", "--today", "2026-11-24"]));
    assert!(!again.contains("@@") && !again.contains("would "), "{again}");
}

fn report_on(v: &Path, day: &str) -> std::process::Output {
    rapport(v, &["report", "--today", day])
}

/// Colour on a terminal (a pseudo-terminal from `script`), never with `NO_COLOR`.
#[test]
fn dry_run_diff_is_coloured_only_on_a_terminal() {
    let (_t, v) = vault("demo");
    let on_tty = |no_color: Option<&str>| {
        let cmd =
            format!("{} --vault '{}' report --dry-run --today 2026-11-24", env!("CARGO_BIN_EXE_rapport"), v.display());
        let mut c = Command::new("script");
        c.args(["-qec", &cmd, "/dev/null"]).env_remove("NO_COLOR").env_remove("RAPPORT_VAULT");
        if let Some(n) = no_color {
            c.env("NO_COLOR", n);
        }
        let out = c.output().expect("run script");
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let colored = on_tty(None);
    assert!(colored.contains("\x1b[31m-as_of: 2026-11-23\x1b[0m"), "{colored:?}");
    assert!(colored.contains("\x1b[32m+as_of: 2026-11-24\x1b[0m"), "{colored:?}");
    let plain = on_tty(Some("1"));
    assert!(plain.contains("-as_of: 2026-11-23") && !plain.contains('\x1b'), "{plain:?}");
}
