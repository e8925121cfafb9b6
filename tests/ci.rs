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

// ---------------------------------------------------------------------------------------
// The README's workflow and hook, run as written
// ---------------------------------------------------------------------------------------

fn repo_file(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("read repository file")
}

/// `PATH` with the built `rapport` first, as the install step would leave it.
fn path_with_rapport() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_rapport")).parent().unwrap().to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).unwrap()
}

/// One `run:` step of the workflow: its name and script.
struct Step {
    name: String,
    run: String,
}

/// The workflow in docs/ci/notes.yml, read with the YAML crate (an independent parser
/// of the format GitHub reads): the job's `env` and its `run:` steps.
fn workflow() -> (Vec<(String, String)>, Vec<Step>) {
    let text = repo_file("docs/ci/notes.yml");
    let y: serde_yaml::Value = serde_yaml::from_str(&text).expect("the workflow is YAML");
    assert!(y.get("on").is_some() && y["jobs"].as_mapping().is_some_and(|j| j.len() == 1), "{text}");
    let job = y["jobs"].as_mapping().unwrap().values().next().unwrap();
    assert_eq!(job["runs-on"].as_str(), Some("ubuntu-latest"));
    let env = job["env"]
        .as_mapping()
        .map(|m| m.iter().map(|(k, v)| (k.as_str().unwrap().to_owned(), v.as_str().unwrap().to_owned())).collect())
        .unwrap_or_default();
    let steps = job["steps"].as_sequence().expect("steps");
    assert_eq!(steps[0]["uses"].as_str().map(|u| u.starts_with("actions/checkout@")), Some(true));
    let runs = steps
        .iter()
        .filter_map(|s| {
            let run = s["run"].as_str()?;
            Some(Step { name: s["name"].as_str().unwrap_or_default().to_owned(), run: run.to_owned() })
        })
        .collect();
    (env, runs)
}

/// Runs the workflow's steps in `repo` as GitHub's runner does (`bash -e -o pipefail`,
/// the job's env, at the checkout's root); returns the last step's output. The install
/// step is not run (it would build rapport from the network): the built binary is put
/// on `PATH` in its place.
fn run_workflow(repo: &Path) -> Output {
    let (env, steps) = workflow();
    let mut last = None;
    for step in steps {
        if step.run.contains("cargo install") {
            assert!(step.run.contains("--locked") && step.run.trim_end().ends_with(" rapport"), "{}", step.run);
            continue;
        }
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", &step.run])
            .current_dir(repo)
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("PATH", path_with_rapport())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", repo)
            .env_remove("NO_COLOR")
            .output()
            .expect("run bash");
        let failed = !out.status.success();
        last = Some(out);
        if failed {
            eprintln!("step `{}` failed", step.name);
            break;
        }
    }
    last.expect("the workflow has a step to run")
}

#[test]
fn readme_shows_the_workflow_and_hook_as_tested() {
    let readme = repo_file("README.md");
    for f in ["docs/ci/notes.yml", "docs/ci/pre-commit"] {
        assert!(readme.contains(&repo_file(f)), "README quotes {f} verbatim");
    }
    assert!(readme.contains("REPLACE"), "the placeholder URL is marked");
    // The first screen says how to install, the same way the workflow does.
    let first_screen: String = readme.lines().take(40).collect::<Vec<_>>().join("\n");
    let install = workflow().1.into_iter().find(|s| s.run.contains("cargo install")).expect("an install step").run;
    for want in ["cargo install --locked --path .", install.trim()] {
        assert!(first_screen.contains(want), "{want} on the README's first screen");
    }
}

#[test]
fn workflow_passes_clean_notes_and_annotates_a_broken_link() {
    let (_t, repo) = repo_with_notes("demo");
    // The demo vault is clean but for reminders, which depend on the date: green.
    let out = run_workflow(&repo);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "", "no annotations");

    // A commit with a broken link: red, with an annotation on its line.
    write(
        &repo,
        "notes/Clients/Polar Tech.md",
        &(read(&repo, "notes/Clients/Polar Tech.md") + "\nSee [[No Such Note]].\n"),
    );
    git(&repo, &["commit", "-q", "-am", "a broken link"]);
    let out = run_workflow(&repo);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let lines = read(&repo, "notes/Clients/Polar Tech.md").lines().count();
    let want = format!("::warning file=notes/Clients/Polar Tech.md,line={lines},col=5,title=link-broken::");
    assert!(stdout(&out).starts_with(&want), "{}", stdout(&out));
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
}

#[test]
fn pre_commit_hook_refuses_a_commit_that_breaks_the_notes() {
    let (_t, repo) = repo_with_notes("demo");
    let hook = repo.join(".git/hooks/pre-commit");
    std::fs::write(&hook, repo_file("docs/ci/pre-commit")).unwrap();
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let commit = |msg: &str| {
        Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-am", msg])
            .current_dir(&repo)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("PATH", path_with_rapport())
            .env("NO_COLOR", "1")
            .output()
            .expect("run git commit")
    };
    let note = "notes/Clients/Polar Tech.md";
    let good = read(&repo, note);
    write(&repo, note, &(good.clone() + "\n- 2026-11-20 call — renewal\n"));
    let out = commit("a call");
    assert_eq!(code(&out), 0, "a good edit is committed: {}", stderr(&out));

    write(&repo, note, &(read(&repo, note) + "See [[No Such Note]].\n"));
    let out = commit("a broken link");
    assert_ne!(code(&out), 0, "the hook refuses the commit");
    // git sends a hook's output to stderr.
    let said = stdout(&out) + &stderr(&out);
    assert!(said.contains("notes/Clients/Polar Tech.md:"), "{said}");
    assert!(said.contains("warning[link-broken]"), "{said}");
    let log = stdout(&git(&repo, &["log", "--format=%s"]));
    assert_eq!(log, "a call\nnotes\n", "nothing committed past the hook");
}
