//! Command line: clap definitions and dispatch. The library core never sees clap.

mod check;
mod clients;
mod due;
mod help;
mod init;
mod lang;
mod preflight;
mod report;
mod table;
mod watch;

use std::ffi::OsString;
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand, ValueEnum};

use crate::Error;

/// Keep client relationships alive from an Obsidian vault.
///
/// rapport reads your vault (notes with YAML frontmatter, wikilinks, tags, tasks), builds
/// a graph of clients, people and interactions, and writes reminder and dashboard notes
/// back into it (by default into `CRM/`). It never touches your own notes.
#[derive(Debug, Parser)]
#[command(name = "rapport", version, about, long_about, after_help = EXAMPLES)]
pub(crate) struct Cli {
    /// The vault folder [default: $RAPPORT_VAULT, else the current folder]
    #[arg(long, global = true, env = "RAPPORT_VAULT", value_name = "DIR")]
    pub vault: Option<PathBuf>,

    /// Read every note instead of reusing the parse cache, and leave the cache as it is
    #[arg(long, global = true)]
    pub no_cache: bool,

    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  rapport --vault ~/Notes init              how rapport reads your vault; a rapport.toml for it
  rapport --vault ~/Notes report            write CRM/Reminders.md and CRM/Dashboard.md
  rapport --vault ~/Notes due               who to contact, what is waiting
  rapport --vault ~/Notes due --format csv  the same for a spreadsheet (or json, ics)
  rapport --vault ~/Notes clients --json    one row per client, as JSON
  rapport --vault ~/Notes check --format github --fail-on warning
  rapport --vault ~/Notes watch             keep the notes current as you type

Exit codes: 0 fine, 1 findings (check) or refused writes (report), 2 usage or I/O error.";

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Write the reminder and dashboard notes into the output folder
    ///
    /// Generated notes carry a marker and a hash; a note you edited, or one rapport did
    /// not write, is never overwritten (exit 1) unless you pass --force. Nothing is
    /// written when the content would not change.
    #[command(after_help = help::REPORT)]
    Report {
        #[command(flatten)]
        day: Day,
        /// Write nothing; print a unified diff of each file that would change
        #[arg(long)]
        dry_run: bool,
        /// Overwrite generated notes even if edited by hand, or files in the way
        #[arg(long)]
        force: bool,
    },
    /// Check the vault like a compiler: broken links, bad properties, overdue contacts
    ///
    /// Prints `path:line:col: severity[code]: message`. Exit code 1 when a finding is
    /// at or above --fail-on. Severities can be changed per code in rapport.toml. Paths
    /// start at the root of the git work tree the vault is in, else at the current
    /// folder; JSON also gives each path from the vault.
    #[command(after_help = help::CHECK)]
    Check {
        #[command(flatten)]
        day: Day,
        /// Output format
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Lowest severity that makes the exit code 1
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
        /// Leave out the codes that depend on today's date [the list is generated]
        #[arg(long)]
        skip_dated: bool,
    },
    /// Regenerate the notes on every save, until Ctrl-C
    #[command(after_help = help::WATCH)]
    Watch {
        /// Wait this long after the last change before regenerating; a file its
        /// writer has closed (a finished save) is read after 5 ms
        #[arg(long, default_value_t = 50, value_name = "MS")]
        debounce: u64,
        /// Use this date instead of the clock (the day does not roll over)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// Show reminders in the terminal, most urgent first
    ///
    /// As a table, or for scripts and other programs: one JSON array, CSV with a header
    /// row, or an iCalendar feed that calendar apps import or subscribe to.
    #[command(after_help = help::DUE)]
    Due {
        #[command(flatten)]
        day: Day,
        /// Print one JSON array instead of a table (same as --format json)
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// Output format
        #[arg(long, value_enum, default_value_t = DueFormat::Table)]
        format: DueFormat,
    },
    /// Show one row per client: tier, status, last contact, next due, state
    #[command(after_help = help::CLIENTS)]
    Clients {
        #[command(flatten)]
        day: Day,
        /// Print one JSON array instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script
    ///
    /// Load it in the running shell, or save it where your shell looks for completions.
    #[command(after_help = help::COMPLETIONS)]
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), of rapport or of one command
    #[command(after_help = help::MAN)]
    Man {
        /// The command whose page to print, as rapport-COMMAND(1)
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
    /// Show how rapport reads the vault and propose a rapport.toml for it
    ///
    /// Counts the notes each sign of a kind would take in (type values, tags, top-level
    /// folders, categories-style links, in English and Russian), reads the daily-notes
    /// and template folders from .obsidian/ settings, and prints a commented rapport.toml
    /// with the clients, people and interactions rapport would find with it.
    #[command(after_help = init::EXAMPLES)]
    Init {
        /// Write the proposal to rapport.toml (only when the vault has none)
        #[arg(long)]
        write: bool,
    },
}

/// The command line as clap sees it, with the help that is generated from the table of
/// check codes. Parsing, completions and the man page all use this one.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommand("check", |c| {
        c.after_long_help(help::check_long())
            .mut_arg("skip_dated", |a| a.help(help::skip_dated()).long_help(help::skip_dated_long()))
    })
}

/// The day the reminders are computed for.
#[derive(Debug, clap::Args)]
pub(crate) struct Day {
    /// Compute for this date instead of today
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub today: Option<NaiveDate>,
}

impl Day {
    fn get(&self) -> NaiveDate {
        self.today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::parse::parse_date(s)
        .filter(|_| s.trim().len() == 10)
        .ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    Human,
    Json,
    Github,
}

/// How `due` prints the reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DueFormat {
    /// A table for the terminal
    Table,
    /// One JSON array, one object per reminder
    Json,
    /// Comma-separated values with a header row, for spreadsheets
    Csv,
    /// An iCalendar (RFC 5545) feed, for calendar apps
    Ics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Error,
    Warning,
}

/// True when stdout may carry colour: a terminal, and `NO_COLOR` unset.
fn color_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Runs the command line and returns the process exit code.
pub fn run<I: IntoIterator<Item = OsString>>(args: I) -> ExitCode {
    let cli = match command().try_get_matches_from(args).and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let vault = cli.vault.clone().unwrap_or_else(|| PathBuf::from("."));
    NO_CACHE.store(cli.no_cache, std::sync::atomic::Ordering::Relaxed);
    let result = match cli.command {
        Command::Report { day, dry_run, force } => report::run(&vault, day.get(), dry_run, force),
        Command::Check { day, format, fail_on, skip_dated } => {
            check::run(&vault, day.get(), format, fail_on, skip_dated)
        }
        Command::Watch { debounce, today } => watch::run(&vault, debounce, today),
        Command::Due { day, json, format } => due::run(&vault, day.get(), if json { DueFormat::Json } else { format }),
        Command::Clients { day, json } => clients::run(&vault, day.get(), json),
        Command::Completions { shell } => help::completions(shell),
        Command::Man { command } => help::man(command.as_deref()),
        Command::Init { write } => init::run(&vault, write),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            tell(&format!("rapport: error: {e}\n"));
            ExitCode::from(2)
        }
    }
}

/// Reads the vault for a command that exits when it is done. The vault is never freed:
/// the process ends right after, and freeing a large vault's notes one by one costs
/// more than the whole render (45 ms for 50,000 notes).
///
/// Before the vault is read, a folder that holds no `.obsidian/` and config keys that
/// may be typos are warned about, and an output folder holding the user's notes is an
/// error.
fn load(dir: &std::path::Path) -> Result<std::mem::ManuallyDrop<crate::Vault>, Error> {
    let config = crate::config::load(dir)?;
    for w in preflight::warnings(dir, &config) {
        tell(&format!("{w}\n"));
    }
    preflight::check_output_folder(dir, &config, &std::collections::HashSet::new())?;
    loaded(dir, config)
}

/// [`load`] for a command that reads every generated file itself (`report`, `check`):
/// the output folder is checked once the vault is read, leaving out the cards at their
/// places, which the command classifies (one that is not rapport's is refused there, as
/// the two notes are). Returns the vault and its output paths.
fn load_with_paths(
    dir: &std::path::Path,
) -> Result<(std::mem::ManuallyDrop<crate::Vault>, crate::render::Paths), Error> {
    let config = crate::config::load(dir)?;
    for w in preflight::warnings(dir, &config) {
        tell(&format!("{w}\n"));
    }
    let use_cache = !NO_CACHE.load(std::sync::atomic::Ordering::Relaxed);
    let vault = crate::Vault::load_with_cache(dir, config, use_cache)?;
    let paths = vault.generated_paths();
    let cards = paths.cards.iter().flatten().map(String::as_str).collect();
    let t = std::time::Instant::now();
    preflight::check_output_folder(dir, &vault.config, &cards)?;
    crate::timing("output check", t);
    for w in preflight::unused_property_warnings(&vault) {
        tell(&format!("{w}\n"));
    }
    Ok((std::mem::ManuallyDrop::new(vault), paths))
}

/// The vault read with `config`, and its unused-property warnings told.
fn loaded(dir: &std::path::Path, config: crate::Config) -> Result<std::mem::ManuallyDrop<crate::Vault>, Error> {
    let use_cache = !NO_CACHE.load(std::sync::atomic::Ordering::Relaxed);
    let vault = crate::Vault::load_with_cache(dir, config, use_cache)?;
    for w in preflight::unused_property_warnings(&vault) {
        tell(&format!("{w}\n"));
    }
    Ok(std::mem::ManuallyDrop::new(vault))
}

/// `--no-cache`, set once from the command line before any command runs.
static NO_CACHE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes a command's output to stdout. A reader that stops early (`rapport due | head`)
/// just ends the output, as it ends `cat`'s, and the command's exit code stands; any
/// other failure to write (a full disk) is an error.
fn print(text: &str) -> Result<(), Error> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output(e)),
        _ => Ok(()),
    }
}

/// Writes rows as pretty JSON to stdout, through [`print`].
fn print_json(rows: &impl serde::Serialize) -> Result<(), Error> {
    print(&(serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into()) + "\n"))
}

/// Writes a message to stderr. One that cannot be written (the terminal or pipe is gone)
/// has nowhere else to go, so it is dropped rather than ending the command.
fn tell(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Prints diagnostics that stop nothing (used by report, due, clients) to stderr.
fn warn_about(diags: &[crate::Diagnostic]) {
    let errors = diags.iter().filter(|d| d.severity == crate::diagnostics::Severity::Error).count();
    if errors > 0 {
        tell(&format!("rapport: {errors} problem(s) in the vault; run `rapport check` for details\n"));
    }
    // Notes that could not be read are missing from every figure: say so, by name.
    let unreadable: Vec<&str> =
        diags.iter().filter(|d| d.code == crate::diagnostics::Code::Unreadable).map(|d| d.path.as_str()).collect();
    if !unreadable.is_empty() {
        let more = if unreadable.len() > 3 { format!(" and {} more", unreadable.len() - 3) } else { String::new() };
        let list = unreadable.iter().take(3).map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
        tell(&format!("rapport: could not read {list}{more}: the results are incomplete\n"));
    }
}

/// Applies the config's severities (dropping codes turned off) and sorts.
fn configured(config: &crate::Config, diags: Vec<crate::Diagnostic>) -> Vec<crate::Diagnostic> {
    let mut out: Vec<_> = diags
        .into_iter()
        .filter_map(|mut d| {
            d.severity = config.severity_of(d.code)?;
            Some(d)
        })
        .collect();
    crate::diagnostics::sort(&mut out);
    out
}

type Outcome = Result<u8, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        command().debug_assert();
    }
}
