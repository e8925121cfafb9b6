//! `rapport report`: write the reminder and dashboard notes.

use std::path::Path;

use chrono::NaiveDate;

use super::{Outcome, color_stdout, warn_about};
use crate::diagnostics::render_human;
use crate::write::{self, Leftover, Outcome as W};

pub(super) fn run(vault_dir: &Path, today: NaiveDate, dry_run: bool, force: bool) -> Outcome {
    let (mut vault, mut paths) = super::load_with_paths(vault_dir)?;
    warn_about(&vault.diagnostics);
    if vault.graph.clients.is_empty() {
        // Empty notes would only say "all is well" about nothing.
        super::print(&super::preflight::no_clients(&vault))?;
        return Ok(0);
    }
    let out_dir = write::output_folder(&vault.root, &vault.config.output_dir)?;
    if !dry_run {
        write::clean_temporaries(&out_dir);
        write::clean_temporaries(&out_dir.join(crate::outputs::CARDS_FOLDER));
    }
    // Ticks first: once in the journal, the vault read again knows what they did.
    let ticks = vault.record_ticks(today, dry_run)?;
    if !ticks.lines.is_empty() {
        let verb = if dry_run { "would record" } else { "recorded" };
        let n = ticks.lines.len();
        super::print(&format!("{verb:>12} {n} ticked reminder(s) in {}\n", ticks.journal))?;
        if !dry_run {
            (vault, paths) = super::load_with_paths(vault_dir)?;
        }
    }
    let consumed = ticks.consumed.as_ref().map(|(rel, bytes)| (rel.as_str(), bytes.as_slice()));
    let mut refused = Vec::new();
    let t = std::time::Instant::now();
    let figures = vault.figures(today);
    crate::timing("figures", t);
    let output_dir = &vault.config.output_dir;
    let color = color_stdout();
    // One line a file (5,000 with cards), up to a failure if one comes. Each batch of
    // outputs is written as soon as it is rendered, and dropped; a failure does not stop
    // the other outputs from being written, it ends the lines and is the run's error.
    let mut lines = String::new();
    let mut failed: Option<crate::Error> = None;
    let t = std::time::Instant::now();
    vault
        .generate_each(&figures, &paths, |batch| {
            let outcomes =
                write::plan_and_apply_ticked(&vault.root, &out_dir, output_dir, &batch, force, dry_run, consumed);
            for (g, outcome) in batch.iter().zip(outcomes) {
                if failed.is_some() {
                    continue;
                }
                let said = (|| -> Result<(), crate::Error> {
                    let outcome = outcome?;
                    lines.push_str(&format!("{:>12} {}\n", verb(&outcome, dry_run), g.rel));
                    if dry_run && matches!(outcome, W::Created | W::Updated) {
                        let now = write::current_text(&write::target(&out_dir, output_dir, &g.rel)?)?;
                        lines.push_str(&diff(&g.rel, now.as_deref(), &g.content, color));
                    }
                    if let W::Refused(d) = outcome {
                        refused.push(d);
                    }
                    Ok(())
                })();
                failed = said.err();
            }
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap_or_else(|never| match never {});
    crate::timing("render+write", t);
    super::print(&lines)?;
    if let Some(e) = failed {
        return Err(e);
    }
    let current: std::collections::HashSet<&str> = paths.generated().collect();
    let t = std::time::Instant::now();
    let leftovers = write::leftovers(&out_dir, output_dir, &paths.cards_folder, &current);
    if !dry_run {
        write::remove_leftovers(&out_dir, output_dir, &leftovers)?;
    }
    crate::timing("leftovers", t);
    let mut lines = String::new();
    for l in &leftovers {
        let (verb, rel) = match (l, dry_run) {
            (Leftover::Removed(rel), false) => ("removed", rel),
            (Leftover::Removed(rel), true) => ("would remove", rel),
            (Leftover::Kept(rel), _) => ("kept", rel),
        };
        lines.push_str(&format!("{verb:>12} {rel}"));
        if matches!(l, Leftover::Kept(_)) {
            lines.push_str(" (no longer generated, but edited by hand: delete it when done)");
        }
        lines.push('\n');
    }
    super::print(&lines)?;
    if let Some(ics) = &vault.config.outputs.ics {
        let path = write::calendar_path(&vault.root, ics);
        let feed = vault.calendar(&figures);
        let outcome = write::write_calendar(&path, &feed, force, dry_run)?;
        super::print(&format!("{:>12} {ics}\n", verb(&outcome, dry_run)))?;
        if dry_run && matches!(outcome, W::Created | W::Updated) {
            super::print(&diff(ics, write::current_text(&path)?.as_deref(), &feed, color))?;
        }
        if let W::Refused(d) = outcome {
            refused.push(d);
        }
    }
    super::print(&format!("{}\n", summary(&figures, vault.config.lang)))?;
    if refused.is_empty() {
        Ok(0)
    } else {
        super::tell(&render_human(&refused, false));
        Ok(1)
    }
}

/// What was done to a file, or with `--dry-run` what would be.
fn verb(outcome: &W, dry_run: bool) -> &'static str {
    match (outcome, dry_run) {
        (W::Created, false) => "created",
        (W::Updated, false) => "updated",
        (W::Created, true) => "would create",
        (W::Updated, true) => "would update",
        (W::Unchanged, _) => "unchanged",
        (W::Refused(_), _) => "refused",
    }
}

/// A unified diff from the file's text now (`None`: no file, shown as `/dev/null`) to what
/// would be written, as `git diff` prints it and `git apply` or `patch -p1` reads it from
/// the vault's folder. Colour, when asked, marks lines only; the text stays the same.
fn diff(rel: &str, now: Option<&str>, new: &str, color: bool) -> String {
    // A name with spaces (a card's) ends at a tab, as `patch` reads it.
    let end = if rel.contains(char::is_whitespace) { "\t" } else { "" };
    let old_name = if now.is_some() { format!("a/{rel}{end}") } else { format!("/dev/null{end}") };
    let text = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_lines(now.unwrap_or(""), new)
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &format!("b/{rel}{end}"))
        .to_string();
    if !color {
        return text;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let paint = if line.starts_with("+++") || line.starts_with("---") {
            "\x1b[1m"
        } else if line.starts_with('+') {
            "\x1b[32m"
        } else if line.starts_with('-') {
            "\x1b[31m"
        } else if line.starts_with("@@") {
            "\x1b[36m"
        } else {
            ""
        };
        match (paint, line.strip_suffix('\n')) {
            ("", _) => out.push_str(line),
            (p, Some(body)) => out.extend([p, body, "\x1b[0m\n"]),
            (p, None) => out.extend([p, line, "\x1b[0m"]),
        }
    }
    out
}

/// One line on what needs doing: `8 overdue · 9 due within 7 days · 6 next steps without a date`.
fn summary(figures: &crate::metrics::Figures, lang: crate::vocab::Lang) -> String {
    let overdue = figures.due.iter().filter(|d| d.days.is_some_and(|x| x < 0) && d.what.is_urgent()).count();
    let soon = figures.due.iter().filter(|d| d.days.is_some_and(|x| x >= 0) && d.what.is_urgent()).count();
    let undated = figures.due.iter().filter(|d| d.days.is_none()).count();
    let clients = figures.clients.len();
    let count = super::lang::count;
    match lang {
        crate::vocab::Lang::En => format!(
            "{} on {}: {overdue} overdue · {soon} due soon · {} without a date",
            count(lang, clients, ["client", "clients"], ["", "", ""]),
            figures.today,
            count(lang, undated, ["next step", "next steps"], ["", "", ""]),
        ),
        crate::vocab::Lang::Ru => format!(
            "{} на {}: просрочено {overdue} · скоро {soon} · {} без даты",
            count(lang, clients, ["", ""], ["клиент", "клиента", "клиентов"]),
            figures.today,
            count(lang, undated, ["", ""], ["следующий шаг", "следующих шага", "следующих шагов"]),
        ),
    }
}
