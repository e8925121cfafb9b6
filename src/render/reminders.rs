//! Render stage, `Reminders.md`: overdue first, then due soon, then what is coming up.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::i18n::{Noun, count, t};
use super::{Style, describe_into, link};
use crate::Vault;
use crate::config::Lang;
use crate::metrics::{Due, DueKind, Figures};
use crate::model::cadence::Cadence;

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
    contacts: Vec<(Option<Cadence>, Option<chrono::NaiveDate>)>,
}

impl Inputs {
    pub fn of(figures: &Figures, dashboard_path: &str) -> Self {
        let contacts = figures
            .due
            .iter()
            .filter(|d| d.kind == DueKind::Contact)
            .map(|d| {
                d.client.and_then(|c| figures.clients.get(c)).map_or((None, None), |f| (f.cadence, f.last_contact))
            })
            .collect();
        Inputs { today: figures.today, dashboard_path: dashboard_path.to_owned(), due: figures.due.clone(), contacts }
    }
}

/// The body of the reminders note (no frontmatter).
pub fn render(vault: &Vault, figures: &Figures, dashboard_path: &str) -> String {
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
    section(&mut out, vault, figures, t(lang, "Overdue", "Просрочено"), Some("danger"), &overdue, lang);
    let soon_title = match lang {
        Lang::En => format!("Due within {}", count(lang, soon, Noun::Day)),
        Lang::Ru => format!("В ближайшие {}", count(lang, soon, Noun::Day)),
    };
    section(&mut out, vault, figures, &soon_title, Some("warning"), &upcoming, lang);
    section(
        &mut out,
        vault,
        figures,
        t(lang, "Birthdays and anniversaries", "Дни рождения и годовщины"),
        None,
        &coming,
        lang,
    );
    section(&mut out, vault, figures, t(lang, "People who moved on", "Сменили место работы"), None, &moved, lang);
    section(&mut out, vault, figures, t(lang, "After the project", "После проекта"), None, &after, lang);
    section(
        &mut out,
        vault,
        figures,
        t(lang, "Next steps without a date", "Следующие шаги без срока"),
        None,
        &undated,
        lang,
    );
    out
}

fn section(
    out: &mut String,
    vault: &Vault,
    figures: &Figures,
    title: &str,
    callout: Option<&str>,
    items: &[&Due],
    lang: Lang,
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
    // In parallel, a few hundred lines to a string.
    let parts: Vec<String> = items
        .par_chunks(256)
        .map(|chunk| {
            let mut part = String::with_capacity(chunk.len() * 256);
            for d in chunk {
                part.push_str(prefix);
                describe_into(&mut part, vault, figures, d, Style::Markdown);
                part.push('\n');
            }
            part
        })
        .collect();
    out.reserve(parts.iter().map(String::len).sum::<usize>() + 1);
    for p in parts {
        out.push_str(&p);
    }
    out.push('\n');
}
