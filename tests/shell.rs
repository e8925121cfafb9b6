//! Integration tests: rapport in the shell. Completion scripts that a shell loads and
//! uses, a manual page that `man` renders, help that lists every check code.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;

fn rapport_bare(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(args)
        .env_remove("RAPPORT_VAULT")
        .env("NO_COLOR", "1")
        .output()
        .expect("run rapport")
}

/// Loads `rapport completions bash` into a clean bash and runs the completion function
/// it registered for `rapport` on the command line `words`, the cursor on the last word,
/// as bash does on Tab; returns the candidates (COMPREPLY).
fn bash_complete(script: &Path, words: &[&str]) -> Vec<String> {
    let line = words.join(" ");
    let driver = format!(
        r#"source "$1" || exit 3
spec=$(complete -p rapport) || exit 4
fn=$(sed -E 's/.*-F ([^ ]+).*/\1/' <<<"$spec")
COMP_WORDS=({words})
COMP_CWORD={cword}
COMP_LINE={line:?}
COMP_POINT=${{#COMP_LINE}}
COMP_TYPE=9
"$fn" rapport "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        words = words.iter().map(|w| format!("{w:?}")).collect::<Vec<_>>().join(" "),
        cword = words.len() - 1,
    );
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-c", &driver, "driver"])
        .arg(script)
        .output()
        .expect("run bash");
    assert!(out.status.success(), "bash: {}{}", stdout(&out), stderr(&out));
    stdout(&out).lines().filter(|l| !l.is_empty()).map(|l| l.trim_end().to_owned()).collect()
}

#[test]
fn bash_completes_commands_options_and_values() {
    let t = tempfile::tempdir().unwrap();
    let script = t.path().join("rapport.bash");
    let out = rapport_bare(&["completions", "bash"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    std::fs::write(&script, &out.stdout).unwrap();

    assert_eq!(bash_complete(&script, &["rapport", "ch"]), vec!["check"]);
    assert_eq!(bash_complete(&script, &["rapport", "check", "--fo"]), vec!["--format"]);
    let mut formats = bash_complete(&script, &["rapport", "check", "--format", ""]);
    formats.sort();
    assert_eq!(formats, vec!["github", "human", "json"]);
    assert!(bash_complete(&script, &["rapport", "completions", "z"]) == vec!["zsh"]);
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = rapport_bare(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("check") && text.contains("skip-dated"), "{shell}:\n{text}");
    }
    let out = rapport_bare(&["completions", "tcsh"]);
    assert_eq!(code(&out), 2, "an unknown shell is a usage error");
}

/// `man -l` renders a page without a warning from groff; returns the rendered text.
fn man_renders(roff: &[u8]) -> String {
    let t = tempfile::tempdir().unwrap();
    let page = t.path().join("page.1");
    std::fs::write(&page, roff).unwrap();
    let out = Command::new("man")
        .args(["--warnings", "-l"])
        .arg(&page)
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run man (install man-db)");
    assert!(out.status.success(), "man -l: {}", stderr(&out));
    assert_eq!(stderr(&out), "", "groff warnings");
    stdout(&out)
}

#[test]
fn man_page_renders_with_man() {
    let out = rapport_bare(&["man"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = man_renders(&out.stdout);
    for want in ["NAME", "rapport - ", "SYNOPSIS", "--vault", "rapport-check(1)", "rapport-completions(1)", "EXAMPLES"]
    {
        assert!(text.contains(want), "{want}:\n{text}");
    }
    // A command's own page, with its options and the codes.
    let out = rapport_bare(&["man", "check"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = man_renders(&out.stdout);
    assert!(text.contains("rapport-check(1)") && text.contains("--skip-dated"), "{text}");
    assert!(text.contains("link-broken               warning"), "columns kept:\n{text}");
    assert_eq!(code(&rapport_bare(&["man", "nonesuch"])), 2);
}

#[test]
fn check_help_lists_every_code_with_its_default_severity() {
    let out = rapport_bare(&["check", "--help"]);
    assert_eq!(code(&out), 0);
    let help = stdout(&out);
    for c in rapport::Code::ALL {
        let row = help.lines().find(|l| l.split_whitespace().next() == Some(c.as_str()));
        let row = row.unwrap_or_else(|| panic!("{} not in check --help:\n{help}", c.as_str()));
        assert_eq!(row.split_whitespace().nth(1), Some(c.default_severity().as_str()), "{row}");
    }
}

#[test]
fn every_command_has_examples() {
    let cli = rapport::command();
    let commands: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    assert!(commands.len() >= 7, "{commands:?}");
    for cmd in commands {
        let help = stdout(&rapport_bare(&[cmd, "--help"]));
        let examples = help.split_once("Examples:\n").map(|(_, e)| e).unwrap_or_else(|| panic!("{cmd}:\n{help}"));
        assert!(examples.lines().next().is_some_and(|l| l.contains("rapport")), "{cmd}:\n{help}");
    }
}
