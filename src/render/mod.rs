//! Render stage: figures → Markdown text (reminders, dashboard) and terminal lines.
//!
//! Pure: given a vault's graph and the figures of a day, returns strings. Every
//! wikilink written is a full vault path, so it resolves to exactly one note.

pub mod dashboard;
pub mod i18n;
pub mod ics;
pub mod reminders;

use std::sync::LazyLock;

use std::fmt::Write as _;

use regex::Regex;

use crate::Vault;
use crate::metrics::{Detail, Due, DueKind, Figures};
use crate::parse::{TextLink, WIKILINK_IN_TEXT, WikiParts};
use crate::resolve::Target;
use crate::vocab::{Cadence, Lang, strip_md};
use i18n::{Noun, push_count, t};

/// How names are written: wikilinks for notes, plain names for the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Markdown,
    Plain,
}

/// The display name of a vault path.
pub fn name_of(path: &str) -> &str {
    let s = strip_md(path);
    s.rsplit('/').next().unwrap_or(s)
}

/// A wikilink to a note by its full path, shown by its name.
pub fn link(path: &str) -> String {
    let mut s = String::with_capacity(2 * path.len() + 2);
    push_link(&mut s, path);
    s
}

/// Appends [`link`]`(path)`: one of these per reminder line and table row, so pushed, not
/// formatted.
pub fn push_link(out: &mut String, path: &str) {
    let (stem, name) = (strip_md(path), name_of(path));
    out.push_str("[[");
    out.push_str(stem);
    out.push('|');
    out.push_str(name);
    out.push_str("]]");
}

/// Appends a note's name in the given style.
fn push_note_ref(out: &mut String, path: &str, style: Style) {
    match style {
        Style::Markdown => push_link(out, path),
        Style::Plain => out.push_str(name_of(path)),
    }
}

/// Escapes text for a Markdown table cell: `|` (also inside wikilinks) and line breaks.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = Cell(&mut out).write_str(s);
    out
}

/// Writes text into a Markdown table cell as [`cell`] escapes it, without a copy per cell.
pub(crate) struct Cell<'a>(pub(crate) &'a mut String);

impl std::fmt::Write for Cell<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if !s.contains(['|', '\n', '\r']) {
            self.0.push_str(s);
            return Ok(());
        }
        for ch in s.chars() {
            match ch {
                '|' => self.0.push_str("\\|"),
                '\n' | '\r' => self.0.push(' '),
                ch => self.0.push(ch),
            }
        }
        Ok(())
    }
}

/// A cadence in words: `2 weeks`, `3 months`, `1 месяц 15 дней`.
pub fn cadence_text(lang: Lang, c: Cadence) -> String {
    let mut s = String::new();
    push_cadence(&mut s, lang, c);
    s
}

fn push_cadence(out: &mut String, lang: Lang, c: Cadence) {
    let start = out.len();
    if c.months > 0 {
        if c.months % 12 == 0 {
            push_count(out, lang, i64::from(c.months / 12), Noun::Year);
        } else {
            push_count(out, lang, i64::from(c.months), Noun::Month);
        }
    }
    if c.days > 0 {
        if out.len() > start {
            out.push(' ');
        }
        if c.days % 7 == 0 {
            push_count(out, lang, i64::from(c.days / 7), Noun::Week);
        } else {
            push_count(out, lang, i64::from(c.days), Noun::Day);
        }
    }
}

/// Appends "overdue by 3 days" / "today" / "in 2 days".
fn push_when(out: &mut String, lang: Lang, days: i64) {
    let (before, n) = match days {
        0 => return out.push_str(t(lang, "today", "сегодня")),
        d if d < 0 => (t(lang, "overdue by ", "просрочено на "), -d),
        d => (t(lang, "in ", "через "), d),
    };
    out.push_str(before);
    push_count(out, lang, n, Noun::Day);
}

/// Appends "3 days ago", for past events.
fn push_ago(out: &mut String, lang: Lang, days: i64) {
    push_count(out, lang, days, Noun::Day);
    out.push_str(t(lang, " ago", " назад"));
}

static MDLINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\[\]]*)\]\(([^()\s]+)\)").expect("valid regex"));

/// Appends a task's text (written in note `from`) with its links rewritten to full-path
/// wikilinks, so they resolve the same from the output folder; links that lead nowhere
/// become text.
fn relink_into(out: &mut String, vault: &Vault, from: usize, text: &str, style: Style) {
    if !text.contains("[[") && !text.contains("](") {
        return out.push_str(text);
    }
    let mut wiki = String::with_capacity(text.len() + 32);
    let mut rest = 0;
    for m in WIKILINK_IN_TEXT.find_iter(text) {
        wiki.push_str(&text[rest..m.start()]);
        rest = m.end();
        let WikiParts { dest, target, anchor, shown } = WikiParts::of(TextLink::of(m.as_str()).inner);
        let shown = shown.unwrap_or(if target.is_empty() { dest } else { target });
        match (style, vault.index.resolve_name(from, target).target) {
            (Style::Markdown, Target::Note(i)) => {
                wiki.push_str("[[");
                wiki.push_str(strip_md(&vault.notes[i].path));
                if let Some(a) = anchor {
                    wiki.push('#');
                    wiki.push_str(a);
                }
                wiki.push('|');
                wiki.push_str(shown);
                wiki.push_str("]]");
            }
            _ => wiki.push_str(shown),
        }
    }
    wiki.push_str(&text[rest..]);
    if !wiki.contains("](") {
        return out.push_str(&wiki);
    }
    // Markdown links, in what the wikilinks became.
    let md = MDLINK.replace_all(&wiki, |c: &regex::Captures<'_>| {
        let shown = c[1].to_owned();
        let dest = percent_encoding::percent_decode_str(&c[2]).decode_utf8_lossy().into_owned();
        match (style, vault.index.resolve_path(from, dest.split('#').next().unwrap_or("")).target) {
            (Style::Markdown, Target::Note(i)) => format!("[[{}|{shown}]]", strip_md(&vault.notes[i].path)),
            (Style::Markdown, _) if c[2].contains("://") => c[0].to_owned(),
            _ => shown,
        }
    });
    out.push_str(&md);
}

/// One reminder as a sentence.
pub fn describe(vault: &Vault, figures: &Figures, due: &Due, style: Style) -> String {
    let mut s = String::new();
    describe_into(&mut s, vault, figures, due, style);
    s
}

/// Appends [`describe`]'s sentence. Reminder notes hold tens of thousands of these, so
/// each is written in place, without a string per part.
pub fn describe_into(out: &mut String, vault: &Vault, figures: &Figures, due: &Due, style: Style) {
    let lang = vault.config.lang;
    let g = &vault.graph;
    let client = |out: &mut String| match due.client {
        Some(c) => push_note_ref(out, &vault.notes[g.clients[c].note].path, style),
        None => out.push_str(t(lang, "(no client)", "(без клиента)")),
    };
    let subject = |out: &mut String| push_note_ref(out, &vault.notes[due.subject].path, style);
    let date = |out: &mut String| {
        if let Some(d) = due.date {
            let _ = write!(out, "{d}");
        }
    };
    let days = due.days.unwrap_or(0);
    // "<when> (<date>)", the tail of most reminders.
    let when_date = |out: &mut String| {
        push_when(out, lang, days);
        out.push_str(" (");
        date(out);
        out.push(')');
    };
    match due.kind {
        // Contact reminders, the most numerous, do not name the subject.
        DueKind::Contact => {
            out.push_str(t(lang, "Contact ", "Связаться с "));
            client(out);
            out.push_str(": ");
            when_date(out);
            out.push_str(" · ");
            let fig = due.client.and_then(|c| figures.clients.get(c));
            match fig.and_then(|f| f.last_contact) {
                Some(last) => {
                    let _ = write!(out, "{}{last}", t(lang, "last contact ", "последний контакт "));
                }
                None => out.push_str(t(lang, "no contact yet", "контактов ещё не было")),
            }
            out.push_str(t(lang, " · every ", " · раз в "));
            if let Some(c) = fig.and_then(|f| f.cadence) {
                push_cadence(out, lang, c);
            }
        }
        DueKind::NextStep => {
            let task = match &due.detail {
                Detail::Task(t) => t.as_str(),
                _ => "",
            };
            client(out);
            out.push_str(": ");
            relink_into(out, vault, due.subject, task, style);
            if due.date.is_some() {
                out.push_str(" — ");
                when_date(out);
            }
            if due.client.is_none_or(|c| g.clients[c].note != due.subject) {
                out.push_str(t(lang, " (in ", " (в "));
                subject(out);
                out.push(')');
            }
        }
        DueKind::Feedback => {
            out.push_str(t(lang, "Answer feedback ", "Ответить на обращение "));
            subject(out);
            out.push_str(t(lang, " from ", " от "));
            client(out);
            out.push_str(": ");
            when_date(out);
            if due.escalate() {
                out.push_str(t(
                    lang,
                    " — ⚠️ high severity: escalate to management",
                    " — ⚠️ высокая важность: сообщить руководству",
                ));
            }
        }
        DueKind::Birthday => {
            match lang {
                Lang::En => {
                    out.push_str("Birthday of ");
                    subject(out);
                    out.push_str(" (");
                    client(out);
                    out.push_str(") on ");
                }
                Lang::Ru => {
                    out.push_str("День рождения: ");
                    subject(out);
                    out.push_str(" (");
                    client(out);
                    out.push_str("), ");
                }
            }
            date(out);
            out.push_str(" — ");
            push_when(out, lang, days);
        }
        DueKind::Anniversary => {
            let years = match due.detail {
                Detail::Years(y) => i64::from(y),
                _ => 0,
            };
            client(out);
            out.push_str(": ");
            push_count(out, lang, years, Noun::Year);
            out.push_str(t(lang, " together on ", " сотрудничества, "));
            date(out);
            out.push_str(" — ");
            push_when(out, lang, days);
        }
        DueKind::MovedOn => {
            subject(out);
            out.push_str(t(lang, " left ", " ушёл(ушла) из "));
            client(out);
            out.push_str(t(lang, " on ", " "));
            date(out);
            out.push_str(" (");
            push_ago(out, lang, -days);
            out.push(')');
            if let Detail::MovedTo(Some(n)) = due.detail {
                out.push_str(t(lang, ", now at ", ", теперь в "));
                push_note_ref(out, &vault.notes[n].path, style);
            }
            out.push_str(t(
                lang,
                ": update the profile, keep the relationship, consider their new company",
                ": обновите профиль, сохраните отношения, присмотритесь к новой компании",
            ));
        }
        DueKind::AfterProject => {
            client(out);
            out.push_str(t(lang, ": project ended ", ": проект завершён "));
            date(out);
            out.push_str(" (");
            push_ago(out, lang, -days);
            out.push_str(t(lang, ") — follow up every ", ") — поддерживайте связь раз в "));
            push_cadence(out, lang, vault.config.cadence.after_project);
        }
    }
}
