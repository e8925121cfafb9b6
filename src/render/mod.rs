//! Render stage: figures → Markdown text (reminders, dashboard) and terminal lines.
//!
//! Pure: given a vault's graph and the figures of a day, returns strings. Every
//! wikilink written is a full vault path, so it resolves to exactly one note.

pub mod dashboard;
pub mod i18n;
pub mod reminders;

use std::sync::LazyLock;

use regex::Regex;

use crate::Vault;
use crate::config::Lang;
use crate::metrics::{Detail, Due, DueKind, Figures};
use crate::model::cadence::Cadence;
use crate::parse::{TextLink, WIKILINK_IN_TEXT, WikiParts};
use crate::resolve::Target;
use i18n::{Noun, count, t};

/// How names are written: wikilinks for notes, plain names for the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Markdown,
    Plain,
}

/// A note path without its `.md`.
fn stem(path: &str) -> &str {
    path.strip_suffix(".md").unwrap_or(path)
}

/// The display name of a vault path.
pub fn name_of(path: &str) -> &str {
    let s = stem(path);
    s.rsplit('/').next().unwrap_or(s)
}

/// A wikilink to a note by its full path, shown by its name.
pub fn link(path: &str) -> String {
    // Built by hand: one of these per reminder line, and `format!` costs more than the copy.
    let (stem, name) = (stem(path), name_of(path));
    let mut s = String::with_capacity(stem.len() + name.len() + 5);
    s.push_str("[[");
    s.push_str(stem);
    s.push('|');
    s.push_str(name);
    s.push_str("]]");
    s
}

/// A note's name in the given style.
pub fn note_ref(vault: &Vault, note: usize, style: Style) -> String {
    let path = &vault.notes[note].path;
    match style {
        Style::Markdown => link(path),
        Style::Plain => name_of(path).to_owned(),
    }
}

/// Escapes text for a Markdown table cell: `|` (also inside wikilinks) and line breaks.
pub fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// A cadence in words: `2 weeks`, `3 months`, `1 месяц 15 дней`.
pub fn cadence_text(lang: Lang, c: Cadence) -> String {
    let mut parts = Vec::new();
    if c.months > 0 {
        if c.months % 12 == 0 {
            parts.push(count(lang, i64::from(c.months / 12), Noun::Year));
        } else {
            parts.push(count(lang, i64::from(c.months), Noun::Month));
        }
    }
    if c.days > 0 {
        if c.days % 7 == 0 {
            parts.push(count(lang, i64::from(c.days / 7), Noun::Week));
        } else {
            parts.push(count(lang, i64::from(c.days), Noun::Day));
        }
    }
    parts.join(" ")
}

/// "overdue by 3 days" / "today" / "in 2 days".
pub fn when(lang: Lang, days: i64) -> String {
    match days {
        0 => t(lang, "today", "сегодня").to_owned(),
        d if d < 0 => match lang {
            Lang::En => format!("overdue by {}", count(lang, -d, Noun::Day)),
            Lang::Ru => format!("просрочено на {}", count(lang, -d, Noun::Day)),
        },
        d => match lang {
            Lang::En => format!("in {}", count(lang, d, Noun::Day)),
            Lang::Ru => format!("через {}", count(lang, d, Noun::Day)),
        },
    }
}

/// "3 days ago" for past events.
pub fn ago(lang: Lang, days: i64) -> String {
    match lang {
        Lang::En => format!("{} ago", count(lang, days, Noun::Day)),
        Lang::Ru => format!("{} назад", count(lang, days, Noun::Day)),
    }
}

static MDLINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\[\]]*)\]\(([^()\s]+)\)").expect("valid regex"));

/// Rewrites links in a task's text (written in note `from`) to full-path wikilinks, so
/// they resolve the same from the output folder; links that lead nowhere become text.
pub fn relink(vault: &Vault, from: usize, text: &str, style: Style) -> String {
    if !text.contains("[[") && !text.contains("](") {
        return text.to_owned();
    }
    let wiki = WIKILINK_IN_TEXT.replace_all(text, |c: &regex::Captures<'_>| {
        let WikiParts { dest, target, anchor, shown } = WikiParts::of(TextLink::of(&c[0]).inner);
        let shown =
            shown.map_or_else(|| if target.is_empty() { dest.to_owned() } else { target.to_owned() }, str::to_owned);
        match (style, vault.index.resolve_name(from, target).target) {
            (Style::Markdown, Target::Note(i)) => {
                let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
                format!("[[{}{anchor}|{shown}]]", stem(&vault.notes[i].path))
            }
            _ => shown,
        }
    });
    MDLINK
        .replace_all(&wiki, |c: &regex::Captures<'_>| {
            let shown = c[1].to_owned();
            let dest = percent_encoding::percent_decode_str(&c[2]).decode_utf8_lossy().into_owned();
            match (style, vault.index.resolve_path(from, dest.split('#').next().unwrap_or("")).target) {
                (Style::Markdown, Target::Note(i)) => format!("[[{}|{shown}]]", stem(&vault.notes[i].path)),
                (Style::Markdown, _) if c[2].contains("://") => c[0].to_owned(),
                _ => shown,
            }
        })
        .into_owned()
}

/// One reminder as a sentence.
pub fn describe(vault: &Vault, figures: &Figures, due: &Due, style: Style) -> String {
    let lang = vault.config.lang;
    let g = &vault.graph;
    let client_s = due.client.map_or_else(
        || t(lang, "(no client)", "(без клиента)").to_owned(),
        |c| note_ref(vault, g.clients[c].note, style),
    );
    let date = due.date.map(|d| d.to_string()).unwrap_or_default();
    let days = due.days.unwrap_or(0);
    // Contact reminders, the most numerous, do not name the subject.
    let subject = || note_ref(vault, due.subject, style);
    match due.kind {
        DueKind::Contact => {
            let fig = due.client.and_then(|c| figures.clients.get(c));
            let cadence = fig.and_then(|f| f.cadence).map(|x| cadence_text(lang, x)).unwrap_or_default();
            let last = match fig.and_then(|f| f.last_contact) {
                Some(last) => match lang {
                    Lang::En => format!("last contact {last}"),
                    Lang::Ru => format!("последний контакт {last}"),
                },
                None => t(lang, "no contact yet", "контактов ещё не было").to_owned(),
            };
            match lang {
                Lang::En => format!("Contact {client_s}: {} ({date}) · {last} · every {cadence}", when(lang, days)),
                Lang::Ru => format!("Связаться с {client_s}: {} ({date}) · {last} · раз в {cadence}", when(lang, days)),
            }
        }
        DueKind::NextStep => {
            let task = match &due.detail {
                Detail::Task(t) => t.as_str(),
                _ => "",
            };
            let text = relink(vault, due.subject, task, style);
            let subject = subject();
            let from = if due.client.is_some_and(|c| g.clients[c].note == due.subject) {
                String::new()
            } else {
                match lang {
                    Lang::En => format!(" (in {subject})"),
                    Lang::Ru => format!(" (в {subject})"),
                }
            };
            match due.date {
                Some(_) => format!("{client_s}: {text} — {} ({date}){from}", when(lang, days)),
                None => format!("{client_s}: {text}{from}"),
            }
        }
        DueKind::Feedback => {
            let subject = subject();
            let esc = if due.escalate() {
                t(lang, " — ⚠️ high severity: escalate to management", " — ⚠️ высокая важность: сообщить руководству")
            } else {
                ""
            };
            match lang {
                Lang::En => format!("Answer feedback {subject} from {client_s}: {} ({date}){esc}", when(lang, days)),
                Lang::Ru => {
                    format!("Ответить на обращение {subject} от {client_s}: {} ({date}){esc}", when(lang, days))
                }
            }
        }
        DueKind::Birthday => {
            let subject = subject();
            match lang {
                Lang::En => format!("Birthday of {subject} ({client_s}) on {date} — {}", when(lang, days)),
                Lang::Ru => format!("День рождения: {subject} ({client_s}), {date} — {}", when(lang, days)),
            }
        }
        DueKind::Anniversary => {
            let years = match due.detail {
                Detail::Years(y) => i64::from(y),
                _ => 0,
            };
            match lang {
                Lang::En => {
                    format!("{client_s}: {} together on {date} — {}", count(lang, years, Noun::Year), when(lang, days))
                }
                Lang::Ru => format!(
                    "{client_s}: {} сотрудничества, {date} — {}",
                    count(lang, years, Noun::Year),
                    when(lang, days)
                ),
            }
        }
        DueKind::MovedOn => {
            let subject = subject();
            let new = match due.detail {
                Detail::MovedTo(Some(n)) => Some(note_ref(vault, n, style)),
                _ => None,
            };
            let new = match (lang, new) {
                (Lang::En, Some(n)) => format!(", now at {n}"),
                (Lang::Ru, Some(n)) => format!(", теперь в {n}"),
                (_, None) => String::new(),
            };
            match lang {
                Lang::En => format!(
                    "{subject} left {client_s} on {date} ({}){new}: update the profile, keep the relationship, consider their new company",
                    ago(lang, -days)
                ),
                Lang::Ru => format!(
                    "{subject} ушёл(ушла) из {client_s} {date} ({}){new}: обновите профиль, сохраните отношения, присмотритесь к новой компании",
                    ago(lang, -days)
                ),
            }
        }
        DueKind::AfterProject => {
            let cadence = cadence_text(lang, vault.config.cadence.after_project);
            match lang {
                Lang::En => {
                    format!("{client_s}: project ended {date} ({}) — follow up every {cadence}", ago(lang, -days))
                }
                Lang::Ru => format!(
                    "{client_s}: проект завершён {date} ({}) — поддерживайте связь раз в {cadence}",
                    ago(lang, -days)
                ),
            }
        }
    }
}
