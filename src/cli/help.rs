//! Help that teaches: each command's examples, the check codes (generated from their one
//! table in `diagnostics`), shell completions and the manual page.

use std::fmt::Write as _;

use super::{Outcome, command};
use crate::diagnostics::Code;

pub(super) const REPORT: &str = "\
Examples:
  rapport report                             write the notes for today (vault: this folder)
  rapport --vault ~/Notes report --dry-run   print a diff of what would change, write nothing
  rapport report --today 2026-12-01          the notes as they will be on that day
  rapport report --force                     overwrite generated notes edited by hand";

pub(super) const CHECK: &str = "\
Examples:
  rapport check                              findings like a compiler's, with hints
  rapport check --format json                one JSON array, for scripts
  rapport check --format github --fail-on warning --skip-dated
                                             a CI gate that only a commit can turn red";

pub(super) const WATCH: &str = "\
Examples:
  rapport --vault ~/Notes watch              keep the notes current while you write
  rapport watch --debounce 200               wait longer for a slow sync tool";

pub(super) const DUE: &str = "\
Examples:
  rapport due                                what to do, most urgent first
  rapport due --today 2026-12-01             what will be due on that day
  rapport due --json                         the same as one JSON array
  rapport due --format ics > reminders.ics   a calendar feed to import or subscribe to
  rapport due --format csv                   for a spreadsheet";

pub(super) const CLIENTS: &str = "\
Examples:
  rapport clients                            one row per client
  rapport --vault ~/Notes clients --json     the same as one JSON array";

pub(super) const COMPLETIONS: &str = "\
Examples:
  source <(rapport completions bash)         bash, in this shell
  rapport completions bash > ~/.local/share/bash-completion/completions/rapport
  rapport completions zsh > ~/.zfunc/_rapport        with fpath+=(~/.zfunc) in .zshrc
  rapport completions fish > ~/.config/fish/completions/rapport.fish";

pub(super) const MAN: &str = "\
Examples:
  rapport man | man -l -                     read it now
  rapport man check | man -l -               the page of one command
  rapport man > ~/.local/share/man/man1/rapport.1";

/// The codes that `--skip-dated` leaves out.
fn dated() -> Vec<&'static str> {
    Code::ALL.into_iter().filter(|c| c.depends_on_today()).map(Code::as_str).collect()
}

/// Short help of `check --skip-dated`.
pub(super) fn skip_dated() -> String {
    format!("Leave out the codes that depend on today's date: {}", dated().join(", "))
}

/// Long help of `check --skip-dated`.
pub(super) fn skip_dated_long() -> String {
    format!(
        "{}.\n\nA client falls overdue overnight with no edit to the notes; in a CI gate these codes would turn \
         the build red with no new commit. Every other code still counts.",
        skip_dated()
    )
}

/// `check --help` after the options: the examples, then every code with its default
/// severity and what it is about.
pub(super) fn check_long() -> String {
    let mut out = format!(
        "{CHECK}\n\nCheck codes, with their default severity (change one under [severity] in rapport.toml: \
         \"error\", \"warning\" or \"off\"):\n"
    );
    let width = Code::ALL.iter().map(|c| c.as_str().len()).max().unwrap_or(0);
    for c in Code::ALL {
        let dated = if c.depends_on_today() { " (dated)" } else { "" };
        let _ = writeln!(out, "  {:width$}  {:7}  {}{dated}", c.as_str(), c.default_severity().as_str(), c.about());
    }
    out.push_str("\nCodes marked (dated) depend on today's date; --skip-dated leaves them out.");
    out
}

/// `rapport completions SHELL`: the script on stdout.
pub(super) fn completions(shell: clap_complete::Shell) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command(), "rapport", &mut script);
    super::print(&String::from_utf8_lossy(&script))?;
    Ok(0)
}

/// `rapport man [COMMAND]`: the manual page in roff on stdout, rapport(1) or
/// rapport-COMMAND(1). The sections clap_mangen renders from the command line, then the
/// help's examples and notes as written (clap_mangen would fill their columns into one
/// paragraph).
pub(super) fn man(name: Option<&str>) -> Outcome {
    let mut cmd = command().disable_help_subcommand(true);
    cmd.build();
    let page = match name {
        None => cmd,
        Some(name) => cmd.find_subcommand(name).cloned().ok_or_else(|| {
            let names: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
            crate::Error::Usage(format!("no command `{name}`; one of: {}", names.join(", ")))
        })?,
    };
    let man = clap_mangen::Man::new(page.clone());
    let mut out = Vec::new();
    let io = crate::Error::Output;
    man.render_title(&mut out).map_err(io)?;
    man.render_name_section(&mut out).map_err(io)?;
    man.render_synopsis_section(&mut out).map_err(io)?;
    man.render_description_section(&mut out).map_err(io)?;
    if page.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out).map_err(io)?;
    }
    if page.has_subcommands() {
        man.render_subcommands_section(&mut out).map_err(io)?;
    }
    if let Some(after) = page.get_after_long_help().or_else(|| page.get_after_help()) {
        out.extend_from_slice(after_help_roff(&after.to_string()).as_bytes());
    }
    if page.get_version().is_some() {
        man.render_version_section(&mut out).map_err(io)?;
    }
    super::print(&String::from_utf8_lossy(&out))?;
    Ok(0)
}

/// The text after a command's options as roff: an `Examples:` paragraph becomes the
/// EXAMPLES section, the others NOTES; indented lines keep their columns.
fn after_help_roff(text: &str) -> String {
    use roff::{Roff, roman};
    let mut r = Roff::new();
    let mut notes = false;
    for para in text.split("\n\n") {
        let mut lines = para.lines().peekable();
        if lines.peek() == Some(&"Examples:") {
            lines.next();
            r.control("SH", ["EXAMPLES"]);
        } else if !notes {
            notes = true;
            r.control("SH", ["NOTES"]);
        } else {
            r.control("PP", []);
        }
        let mut verbatim = false;
        for line in lines {
            let indented = line.starts_with("  ");
            if indented != verbatim {
                r.control(if indented { "nf" } else { "fi" }, []);
                verbatim = indented;
            }
            r.text([roman(line)]);
        }
        if verbatim {
            r.control("fi", []);
        }
    }
    r.to_roff()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every example in the help parses with the command line it documents.
    #[test]
    fn examples_parse() {
        let cli = command();
        let after = cli.get_subcommands().chain([&cli]).filter_map(|c| c.get_after_long_help().or(c.get_after_help()));
        let mut checked = 0;
        for text in after.map(ToString::to_string) {
            for line in text.lines().map(str::trim_start).filter(|l| l.starts_with("rapport ")) {
                checked += 1;
                // The command ends at a pipe, a redirection or the two spaces before its gloss.
                let cmd = line.split(['|', '>']).next().unwrap().split("  ").next().unwrap();
                let args = cmd.split_whitespace().map(|a| a.replace('~', "/home/u"));
                let parsed = command().try_get_matches_from(args);
                assert!(parsed.is_ok(), "`{cmd}`: {}", parsed.unwrap_err());
            }
        }
        assert!(checked >= 20, "{checked} examples");
    }

    #[test]
    fn check_help_lists_every_code_with_its_severity() {
        let help = check_long();
        for c in Code::ALL {
            let row = help.lines().find(|l| l.split_whitespace().next() == Some(c.as_str()));
            let row = row.unwrap_or_else(|| panic!("{} missing:\n{help}", c.as_str()));
            assert_eq!(row.split_whitespace().nth(1), Some(c.default_severity().as_str()), "{row}");
            assert_eq!(row.ends_with("(dated)"), c.depends_on_today(), "{row}");
        }
    }
}
