//! Integration tests: rapport in CI and in the shell. Paths that attach to files from
//! the repository root, a gate that only the notes can turn red.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::common::*;

const TODAY: &str = "2026-11-23";

/// Runs git in `dir` with a fixed identity and no user or system config.
pub fn git(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    out
}

/// A git repository in a temporary folder with the `bad` fixture vault in `notes/`,
/// committed. Returns the guard and the repository's root.
fn repo_with_notes(fixture: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let t = tempfile::tempdir().expect("temp dir");
    let repo = t.path().join("repo");
    copy_dir(&fixtures().join(fixture), &repo.join("notes"));
    std::fs::write(repo.join("README.md"), "# notes\n").unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "notes"]);
    (t, repo)
}

/// `rapport <args…>` started in `cwd`.
fn rapport_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(args)
        .current_dir(cwd)
        .env_remove("RAPPORT_VAULT")
        .env("NO_COLOR", "1")
        .output()
        .expect("run rapport")
}

/// The `file=` of each GitHub annotation.
fn annotated_files(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split_once(" file=").map(|(_, rest)| rest.split(',').next().unwrap().replace("%2C", ",")))
        .collect()
}

#[test]
fn annotations_name_files_from_the_repository_root() {
    let (_t, repo) = repo_with_notes("bad");
    let vault = repo.join("notes");
    // Started at the root, in the vault, and elsewhere with an absolute path: the same paths.
    let runs = [
        rapport_in(&repo, &["--vault", "notes", "check", "--today", TODAY, "--format", "github"]),
        rapport_in(&vault, &["check", "--today", TODAY, "--format", "github"]),
        rapport_in(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &["--vault", vault.to_str().unwrap(), "check", "--today", TODAY, "--format", "github"],
        ),
    ];
    let files = annotated_files(&stdout(&runs[0]));
    assert!(files.contains(&"notes/broken-link.md".to_owned()), "{files:?}");
    for r in &runs {
        assert_eq!(code(r), 1, "{}", stderr(r));
        assert_eq!(annotated_files(&stdout(r)), files);
    }
    // Each one names a file git knows at that path from the root (the generated notes,
    // not written yet, are the exception).
    for f in files.iter().filter(|f| !f.starts_with("notes/CRM/")) {
        git(&repo, &["ls-files", "--error-unmatch", f]);
    }
    // The human format speaks from the same place.
    let human = stdout(&rapport_in(&vault, &["check", "--today", TODAY]));
    assert!(human.contains("\nnotes/broken-link.md:3:18: warning[link-broken]: "), "{human}");
}

#[test]
fn json_keeps_the_vault_relative_path_beside_the_file() {
    let (_t, repo) = repo_with_notes("bad");
    let out = rapport_in(&repo, &["--vault", "notes", "check", "--today", TODAY, "--format", "json"]);
    let all: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let broken = all.as_array().unwrap().iter().find(|d| d["path"] == "broken-link.md").expect("broken link found");
    assert_eq!(broken["file"], "notes/broken-link.md");
}

#[test]
fn outside_git_paths_start_at_the_current_folder() {
    let (t, v) = vault("bad");
    let out = rapport_in(t.path(), &["--vault", "bad", "check", "--today", TODAY]);
    assert!(stdout(&out).contains("\nbad/broken-link.md:3:18: "), "{}", stdout(&out));
    let out = rapport_in(&v, &["check", "--today", TODAY]);
    assert!(stdout(&out).contains("\nbroken-link.md:3:18: "), "{}", stdout(&out));
    // A vault elsewhere is named in full.
    let out = rapport(&v, &["check", "--today", TODAY]);
    let full = format!("\n{}/broken-link.md:3:18: ", std::fs::canonicalize(&v).unwrap().display());
    assert!(stdout(&out).contains(&full), "{}", stdout(&out));
}

#[test]
fn skip_dated_keeps_the_gate_to_what_the_notes_say() {
    let (_t, v) = vault("demo");
    let dated = ["contact-overdue", "next-step-overdue", "feedback-waiting", "report-stale"];
    let codes = |out: &Output| -> Vec<String> {
        let all: Value = serde_json::from_str(&stdout(out)).unwrap();
        all.as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect()
    };
    // A day later than the committed notes: every dated code fires, with no edit.
    let args = ["check", "--today", "2026-12-24", "--format", "json", "--fail-on", "warning"];
    let plain = rapport(&v, &args);
    assert_eq!(code(&plain), 1);
    for c in dated {
        assert!(codes(&plain).iter().any(|x| x == c), "{c} in {:?}", codes(&plain));
    }
    let skipped = rapport(&v, &[&args[..], &["--skip-dated"]].concat());
    assert_eq!(code(&skipped), 0, "{}", stdout(&skipped));
    assert_eq!(codes(&skipped), Vec::<String>::new());
    // What the notes say still gates.
    write(&v, "Clients/Broken.md", "---\ntype: client\n---\nSee [[Nobody at all]].\n");
    let broken = rapport(&v, &[&args[..], &["--skip-dated"]].concat());
    assert_eq!(code(&broken), 1);
    assert_eq!(codes(&broken), vec!["link-broken"]);
}
