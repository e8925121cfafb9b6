//! Render stage, `Reminders.md`: overdue first, then due soon, then what is coming up.

use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::i18n::{Noun, count, t};
use super::{Paths, Style, describe_into, link};
use crate::metrics::{Due, Figures, Reminder};
use crate::model::Graph;
use crate::vocab::Lang;

/// What the reminders note is rendered from besides the graph and the language: when
/// these are equal and those unchanged (a watch cycle after a save that renamed
/// nothing), the note is the same to the byte.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Inputs {
    today: chrono::NaiveDate,
    soon_days: u32,
    paths: Paths,
    due: Vec<Due>,
}

impl Inputs {
    pub(crate) fn of(figures: &Figures, paths: &Paths) -> Self {
        Inputs { today: figures.today, soon_days: figures.soon_days, paths: paths.clone(), due: figures.due.clone() }
    }

    /// True when these are the inputs of `figures` at `paths`: [`Inputs::of`] without
    /// the copy (watch asks every cycle, of 13,000 reminders on a large vault).
    pub(crate) fn are(&self, figures: &Figures, paths: &Paths) -> bool {
        self.today == figures.today
            && self.soon_days == figures.soon_days
            && self.due == figures.due
            && self.paths == *paths
    }
}

/// Reminder lines already written, by what each was written from. Watch mode keeps them
/// across saves that rename nothing (same notes, links and config, so the same reminder
/// reads the same): a save then writes only the lines of the reminders it changed.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    /// The last render's lines.
    kept: FxHashMap<LineKey, Arc<str>>,
    /// This render's, which replace them when it ends (so lines of reminders gone go).
    fresh: FxHashMap<LineKey, Arc<str>>,
}

/// What one reminder line is written from: the reminder carries all its line shows.
type LineKey = Due;

/// A chunk of a section's lines, and each line with what it was written from.
type Part = (String, Vec<(LineKey, Arc<str>)>);

/// The body of the reminders note (no frontmatter).
pub(crate) fn render(g: &Graph, figures: &Figures, lang: Lang, paths: &Paths) -> String {
    render_with(g, figures, lang, paths, None)
}

/// [`render`], reusing the lines kept from the last render and keeping this one's.
pub(crate) fn render_kept(g: &Graph, figures: &Figures, lang: Lang, paths: &Paths, lines: &mut Lines) -> String {
    render_with(g, figures, lang, paths, Some(lines))
}

fn render_with(g: &Graph, figures: &Figures, lang: Lang, paths: &Paths, mut lines: Option<&mut Lines>) -> String {
    let soon = i64::from(figures.soon_days);
    let overdue = select(figures, |d| d.what.is_urgent() && d.days.is_some_and(|x| x < 0));
    let upcoming = select(figures, |d| d.what.is_urgent() && d.days.is_some_and(|x| (0..=soon).contains(&x)));
    let coming = select(figures, |d| {
        matches!(d.what, Reminder::Birthday { .. } | Reminder::Anniversary { .. }) && d.days.is_some()
    });
    let moved = select(figures, |d| matches!(d.what, Reminder::MovedOn { .. }));
    let after = select(figures, |d| matches!(d.what, Reminder::AfterProject { .. }));
    let undated = select(figures, |d| matches!(d.what, Reminder::NextStep { .. }) && d.days.is_none());
    let escalations = figures.due.iter().filter(|d| d.what.escalate()).count();
    let dashboard_path = paths.dashboard.as_str();
    let put = |out: &mut String, lines: &mut Option<&mut Lines>, title: &str, callout, items: &[&Due]| {
        section(out, lines, g, lang, title, callout, items);
    };

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
    put(&mut out, &mut lines, t(lang, "Overdue", "Просрочено"), Some("danger"), &overdue);
    let soon_title = match lang {
        Lang::En => format!("Due within {}", count(lang, soon, Noun::Day)),
        Lang::Ru => format!("В ближайшие {}", count(lang, soon, Noun::Day)),
    };
    put(&mut out, &mut lines, &soon_title, Some("warning"), &upcoming);
    let coming_title = t(lang, "Birthdays and anniversaries", "Дни рождения и годовщины");
    put(&mut out, &mut lines, coming_title, None, &coming);
    put(&mut out, &mut lines, t(lang, "People who moved on", "Сменили место работы"), None, &moved);
    put(&mut out, &mut lines, t(lang, "After the project", "После проекта"), None, &after);
    put(&mut out, &mut lines, t(lang, "Next steps without a date", "Следующие шаги без срока"), None, &undated);
    if let Some(lines) = lines {
        lines.kept = std::mem::take(&mut lines.fresh);
    }
    out
}

/// The reminders, in figures' order, that `keep` selects.
fn select(figures: &Figures, keep: impl Fn(&Due) -> bool) -> Vec<&Due> {
    figures.due.iter().filter(|d| keep(d)).collect()
}

fn section(
    out: &mut String,
    lines: &mut Option<&mut Lines>,
    g: &Graph,
    lang: Lang,
    title: &str,
    callout: Option<&str>,
    items: &[&Due],
) {
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
                    None => push_item(&mut part, g, lang, d),
                    Some(kept) => {
                        let line = kept.get(d).cloned().unwrap_or_else(|| {
                            let mut line = String::new();
                            push_item(&mut line, g, lang, d);
                            line.into()
                        });
                        part.push_str(&line);
                        seen.push((d.clone(), line));
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

/// True for a reminder the user acts on and ticks here: a contact due, a greeting, a
/// feedback answer. A next step is a task in the user's own note, ticked there.
pub(crate) fn is_task(what: &Reminder) -> bool {
    matches!(
        what,
        Reminder::Contact { .. } | Reminder::Birthday { .. } | Reminder::Anniversary { .. } | Reminder::Feedback { .. }
    )
}

/// Appends one reminder item after its list marker. Reminders the user acts on are tasks
/// in the Obsidian Tasks syntax, with their date (`📅`) and a block id naming the
/// reminder on its date, which a tick carries back: `[ ] Contact … 📅 2026-10-11
/// ^contact-…`. A next step is a bullet that links to the note of its task, to be ticked
/// there.
fn push_item(out: &mut String, g: &Graph, lang: Lang, d: &Due) {
    match d.date.filter(|_| is_task(&d.what)) {
        Some(date) => {
            out.push_str("[ ] ");
            describe_into(out, g, lang, d, Style::Markdown);
            let _ = write!(out, " 📅 {date} ^{}", d.occurrence(d.subject_path(g)));
        }
        None => describe_into(out, g, lang, d, Style::Markdown),
    }
}
