//! Render stage, `Reminders.md`: overdue first, then due soon, then what is coming up.

use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::i18n::{Noun, count, t};
use super::{Style, describe_into, link};
use crate::Vault;
use crate::metrics::{Due, DueKind, Figures};
use crate::vocab::{Cadence, Lang};

/// What the reminders note is rendered from besides the vault's notes, links and config:
/// when these are equal and those unchanged (a watch cycle after a save that renamed
/// nothing), the note is the same to the byte.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    today: chrono::NaiveDate,
    dashboard_path: String,
    due: Vec<Due>,
    /// Cadence and last contact of the client of each contact reminder, the only client
    /// figures a line shows.
    contacts: Vec<Contact>,
}

/// The cadence and last contact a contact reminder shows.
type Contact = (Option<Cadence>, Option<chrono::NaiveDate>);

fn contact(figures: &Figures, d: &Due) -> Contact {
    match d.client.and_then(|c| figures.clients.get(c)) {
        Some(f) if d.kind == DueKind::Contact => (f.cadence, f.last_contact),
        _ => (None, None),
    }
}

impl Inputs {
    pub fn of(figures: &Figures, dashboard_path: &str) -> Self {
        let contacts = figures.due.iter().filter(|d| d.kind == DueKind::Contact).map(|d| contact(figures, d)).collect();
        Inputs { today: figures.today, dashboard_path: dashboard_path.to_owned(), due: figures.due.clone(), contacts }
    }
}

/// Reminder lines already written, by what each was written from. Watch mode keeps them
/// across saves that rename nothing (same notes, links and config, so the same reminder
/// reads the same): a save then writes only the lines of the reminders it changed.
#[derive(Debug, Default)]
pub struct Lines {
    /// The last render's lines.
    kept: FxHashMap<LineKey, Arc<str>>,
    /// This render's, which replace them when it ends (so lines of reminders gone go).
    fresh: FxHashMap<LineKey, Arc<str>>,
}

/// What one reminder line is written from.
type LineKey = (Due, Contact);

/// A chunk of a section's lines, and each line with what it was written from.
type Part = (String, Vec<(LineKey, Arc<str>)>);

/// The body of the reminders note (no frontmatter).
pub fn render(vault: &Vault, figures: &Figures, dashboard_path: &str) -> String {
    render_with(vault, figures, dashboard_path, None)
}

/// [`render`], reusing the lines kept from the last render and keeping this one's.
pub fn render_kept(vault: &Vault, figures: &Figures, dashboard_path: &str, lines: &mut Lines) -> String {
    render_with(vault, figures, dashboard_path, Some(lines))
}

fn render_with(vault: &Vault, figures: &Figures, dashboard_path: &str, mut lines: Option<&mut Lines>) -> String {
    let lang = vault.config.lang;
    let soon = i64::from(vault.config.soon_days);
    let urgent = |d: &&Due| d.kind.is_urgent();
    let dated = |d: &&Due| d.days.is_some();
    let overdue: Vec<&Due> = figures.due.iter().filter(urgent).filter(|d| d.days.is_some_and(|x| x < 0)).collect();
    let upcoming: Vec<&Due> =
        figures.due.iter().filter(urgent).filter(|d| d.days.is_some_and(|x| (0..=soon).contains(&x))).collect();
    let coming: Vec<&Due> = figures
        .due
        .iter()
        .filter(|d| matches!(d.kind, DueKind::Birthday | DueKind::Anniversary))
        .filter(dated)
        .collect();
    let moved: Vec<&Due> = figures.due.iter().filter(|d| d.kind == DueKind::MovedOn).collect();
    let after: Vec<&Due> = figures.due.iter().filter(|d| d.kind == DueKind::AfterProject).collect();
    let undated: Vec<&Due> = figures.due.iter().filter(|d| d.kind == DueKind::NextStep && d.days.is_none()).collect();
    let escalations = figures.due.iter().filter(|d| d.escalate()).count();

    let mut out = String::new();
    let _ = writeln!(out, "# {} · {}\n", t(lang, "Reminders", "Напоминания"), figures.today);
    let summary = match lang {
        Lang::En => format!(
            "{} overdue · {} due within {} · {} to escalate · see {}",
            overdue.len(),
            upcoming.len(),
            count(lang, soon, Noun::Day),
            escalations,
            link(dashboard_path)
        ),
        Lang::Ru => format!(
            "просрочено: {} · в ближайшие {}: {} · сообщить руководству: {} · см. {}",
            overdue.len(),
            count(lang, soon, Noun::Day),
            upcoming.len(),
            escalations,
            link(dashboard_path)
        ),
    };
    let _ = writeln!(out, "> [!summary] {}\n> {summary}\n", t(lang, "Today", "Сегодня"));
    section(&mut out, &mut lines, vault, figures, t(lang, "Overdue", "Просрочено"), Some("danger"), &overdue);
    let soon_title = match lang {
        Lang::En => format!("Due within {}", count(lang, soon, Noun::Day)),
        Lang::Ru => format!("В ближайшие {}", count(lang, soon, Noun::Day)),
    };
    section(&mut out, &mut lines, vault, figures, &soon_title, Some("warning"), &upcoming);
    section(
        &mut out,
        &mut lines,
        vault,
        figures,
        t(lang, "Birthdays and anniversaries", "Дни рождения и годовщины"),
        None,
        &coming,
    );
    section(&mut out, &mut lines, vault, figures, t(lang, "People who moved on", "Сменили место работы"), None, &moved);
    section(&mut out, &mut lines, vault, figures, t(lang, "After the project", "После проекта"), None, &after);
    section(
        &mut out,
        &mut lines,
        vault,
        figures,
        t(lang, "Next steps without a date", "Следующие шаги без срока"),
        None,
        &undated,
    );
    if let Some(lines) = lines {
        lines.kept = std::mem::take(&mut lines.fresh);
    }
    out
}

fn section(
    out: &mut String,
    lines: &mut Option<&mut Lines>,
    vault: &Vault,
    figures: &Figures,
    title: &str,
    callout: Option<&str>,
    items: &[&Due],
) {
    let lang = vault.config.lang;
    let _ = writeln!(out, "## {title}\n");
    if items.is_empty() {
        let _ = writeln!(out, "{}\n", t(lang, "Nothing here.", "Ничего."));
        return;
    }
    let prefix = match callout {
        Some(kind) => {
            let _ = writeln!(out, "> [!{kind}] {}", count(lang, items.len() as i64, Noun::Item));
            "> - "
        }
        None => "- ",
    };
    // In parallel, a few hundred lines to a string; with kept lines, each reminder seen
    // before is copied, not written again, and every line is kept for the next render.
    let kept = lines.as_deref().map(|l| &l.kept);
    let parts: Vec<Part> = items
        .par_chunks(256)
        .map(|chunk| {
            let mut part = String::with_capacity(chunk.len() * 256);
            let mut seen = Vec::new();
            for &d in chunk {
                part.push_str(prefix);
                match kept {
                    None => describe_into(&mut part, vault, figures, d, Style::Markdown),
                    Some(kept) => {
                        let key = (d.clone(), contact(figures, d));
                        let line = kept.get(&key).cloned().unwrap_or_else(|| {
                            let mut line = String::new();
                            describe_into(&mut line, vault, figures, d, Style::Markdown);
                            line.into()
                        });
                        part.push_str(&line);
                        seen.push((key, line));
                    }
                }
                part.push('\n');
            }
            (part, seen)
        })
        .collect();
    out.reserve(parts.iter().map(|(p, _)| p.len()).sum::<usize>() + 1);
    for (p, _) in &parts {
        out.push_str(p);
    }
    out.push('\n');
    if let Some(lines) = lines {
        lines.fresh.extend(parts.into_iter().flat_map(|(_, seen)| seen));
    }
}
