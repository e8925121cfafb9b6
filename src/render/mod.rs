//! Render stage: figures → Markdown text (reminders, dashboard) and terminal lines.
//!
//! Pure: given a vault's graph and the figures of a day, returns strings. Every
//! wikilink written is a full vault path, so it resolves to exactly one note.

pub(crate) mod base;
pub(crate) mod canvas;
pub(crate) mod card;
pub(crate) mod dashboard;
pub(crate) mod i18n;
pub(crate) mod ics;
pub(crate) mod reminders;
pub(crate) mod stamp;

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::metrics::{Due, Reminder};
use crate::model::{ClientId, Graph, NoteId, Person, TaskText};
use crate::vocab::{Cadence, Lang, note_name, strip_md};
use i18n::{Noun, push_count, t};

/// Where the generated notes go (vault-relative paths), so that each can link to the
/// others. An output is one more function beside [`reminders::render`] and
/// [`dashboard::render`]: graph and figures, language and paths in, text out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub reminders: String,
    pub dashboard: String,
    /// The folder of the cards, and each client's card by client id (`None` when off).
    pub cards_folder: String,
    pub cards: Vec<Option<String>>,
    pub base: Option<String>,
    pub canvas: Option<String>,
}

impl Paths {
    /// Every file generated at these paths, in the order they are rendered: the two
    /// notes, the cards, the base and the canvas.
    pub(crate) fn generated(&self) -> impl Iterator<Item = &str> {
        [&self.reminders, &self.dashboard]
            .into_iter()
            .chain(self.cards.iter().flatten())
            .chain(self.base.iter())
            .chain(self.canvas.iter())
            .map(String::as_str)
    }
}

/// How names are written: wikilinks for notes, plain names for the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Markdown,
    Plain,
}

/// A wikilink to a note by its full path, shown by its name.
pub(crate) fn link(path: &str) -> String {
    let mut s = String::with_capacity(2 * path.len() + 2);
    push_link(&mut s, path);
    s
}

/// Appends [`link`]`(path)`: one of these per reminder line and table row, so pushed, not
/// formatted.
pub(crate) fn push_link(out: &mut String, path: &str) {
    let (stem, name) = (strip_md(path), note_name(path));
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
        Style::Plain => out.push_str(note_name(path)),
    }
}

/// Escapes text for a Markdown table cell: `|` (also inside wikilinks) and line breaks.
pub(crate) fn cell(s: &str) -> String {
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
pub(crate) fn cadence_text(lang: Lang, c: Cadence) -> String {
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

/// One reminder as a sentence.
pub(crate) fn describe(g: &Graph, lang: Lang, due: &Due, style: Style) -> String {
    let mut s = String::new();
    describe_into(&mut s, g, lang, due, style);
    s
}

/// Appends [`describe`]'s sentence. Reminder notes hold tens of thousands of these, so
/// each is written in place, without a string per part.
pub(crate) fn describe_into(out: &mut String, g: &Graph, lang: Lang, due: &Due, style: Style) {
    let w = Words { g, lang, style, due };
    match &due.what {
        // Contact reminders, the most numerous, do not name the subject.
        Reminder::Contact { client, cadence, last_contact } => w.contact(out, *client, *cadence, *last_contact),
        Reminder::NextStep { client, note, path, text, .. } => w.next_step(out, *client, *note, path, text),
        Reminder::Feedback { client, path, escalate, .. } => w.feedback(out, *client, path, *escalate),
        Reminder::Birthday { client, person } => w.birthday(out, *client, &g.people[*person]),
        Reminder::Anniversary { client, years } => w.anniversary(out, *client, *years),
        Reminder::MovedOn { client, person } => w.moved_on(out, *client, &g.people[*person]),
        Reminder::AfterProject { client, cadence } => w.after_project(out, *client, *cadence),
    }
}

/// The parts reminder sentences are written from.
struct Words<'a> {
    g: &'a Graph,
    lang: Lang,
    style: Style,
    due: &'a Due,
}

impl Words<'_> {
    fn t(&self, en: &'static str, ru: &'static str) -> &'static str {
        t(self.lang, en, ru)
    }

    fn client(&self, out: &mut String, client: Option<ClientId>) {
        match client {
            Some(c) => push_note_ref(out, &self.g.clients[c].path, self.style),
            None => out.push_str(self.t("(no client)", "(без клиента)")),
        }
    }

    fn date(&self, out: &mut String) {
        if let Some(d) = self.due.date {
            let _ = write!(out, "{d}");
        }
    }

    fn days(&self) -> i64 {
        self.due.days.unwrap_or(0)
    }

    /// "<when> (<date>)", the tail of most reminders.
    fn when_date(&self, out: &mut String) {
        push_when(out, self.lang, self.days());
        out.push_str(" (");
        self.date(out);
        out.push(')');
    }

    fn contact(&self, out: &mut String, client: ClientId, cadence: Cadence, last_contact: Option<NaiveDate>) {
        out.push_str(self.t("Contact ", "Связаться с "));
        self.client(out, Some(client));
        out.push_str(": ");
        self.when_date(out);
        out.push_str(" · ");
        match last_contact {
            Some(last) => {
                let _ = write!(out, "{}{last}", self.t("last contact ", "последний контакт "));
            }
            None => out.push_str(self.t("no contact yet", "контактов ещё не было")),
        }
        out.push_str(self.t(" · every ", " · раз в "));
        push_cadence(out, self.lang, cadence);
    }

    fn next_step(&self, out: &mut String, client: ClientId, note: NoteId, path: &str, text: &TaskText) {
        self.client(out, Some(client));
        out.push_str(": ");
        out.push_str(match self.style {
            Style::Markdown => text.markdown(),
            Style::Plain => text.plain(),
        });
        if self.due.date.is_some() {
            out.push_str(" — ");
            self.when_date(out);
        }
        // In a note, the line ends with a link to where the task is to be ticked; in the
        // terminal, a task in another note than the client's says where it is.
        if self.style == Style::Markdown {
            out.push_str(self.t(" · tick it in ", " · отметьте в "));
            push_note_ref(out, path, self.style);
        } else if self.g.clients[client].note != note {
            out.push_str(self.t(" (in ", " (в "));
            push_note_ref(out, path, self.style);
            out.push(')');
        }
    }

    fn feedback(&self, out: &mut String, client: Option<ClientId>, path: &str, escalate: bool) {
        out.push_str(self.t("Answer feedback ", "Ответить на обращение "));
        push_note_ref(out, path, self.style);
        out.push_str(self.t(" from ", " от "));
        self.client(out, client);
        out.push_str(": ");
        self.when_date(out);
        if escalate {
            out.push_str(
                self.t(" — ⚠️ high severity: escalate to management", " — ⚠️ высокая важность: сообщить руководству"),
            );
        }
    }

    fn birthday(&self, out: &mut String, client: ClientId, person: &Person) {
        let (before, between, after) = match self.lang {
            Lang::En => ("Birthday of ", " (", ") on "),
            Lang::Ru => ("День рождения: ", " (", "), "),
        };
        out.push_str(before);
        push_note_ref(out, &person.path, self.style);
        out.push_str(between);
        self.client(out, Some(client));
        out.push_str(after);
        self.date(out);
        out.push_str(" — ");
        push_when(out, self.lang, self.days());
    }

    fn anniversary(&self, out: &mut String, client: ClientId, years: i32) {
        self.client(out, Some(client));
        out.push_str(": ");
        push_count(out, self.lang, i64::from(years), Noun::Year);
        out.push_str(self.t(" together on ", " сотрудничества, "));
        self.date(out);
        out.push_str(" — ");
        push_when(out, self.lang, self.days());
    }

    fn moved_on(&self, out: &mut String, client: Option<ClientId>, person: &Person) {
        push_note_ref(out, &person.path, self.style);
        out.push_str(self.t(" left ", " ушёл(ушла) из "));
        self.client(out, client);
        out.push_str(self.t(" on ", " "));
        self.date(out);
        out.push_str(" (");
        push_ago(out, self.lang, -self.days());
        out.push(')');
        if let Some(now_at) = &person.moved_to_path {
            out.push_str(self.t(", now at ", ", теперь в "));
            push_note_ref(out, now_at, self.style);
        }
        out.push_str(self.t(
            ": update the profile, keep the relationship, consider their new company",
            ": обновите профиль, сохраните отношения, присмотритесь к новой компании",
        ));
    }

    fn after_project(&self, out: &mut String, client: ClientId, cadence: Cadence) {
        self.client(out, Some(client));
        out.push_str(self.t(": project ended ", ": проект завершён "));
        self.date(out);
        out.push_str(" (");
        push_ago(out, self.lang, -self.days());
        out.push_str(self.t(") — follow up every ", ") — поддерживайте связь раз в "));
        push_cadence(out, self.lang, cadence);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Reminder;
    use crate::model::Fixture;

    /// Render reads only the graph and the reminder: no vault, resolver or parser.
    #[test]
    fn each_reminder_reads_as_a_sentence_from_its_own_data() {
        let fx = Fixture::new(&[
            ("Clients/Acme.md", "---\ntype: client\n---\n"),
            ("People/Anna.md", "---\ntype: person\ncompany: \"[[Acme]]\"\nmoved_to: \"[[Beta]]\"\n---\n"),
            ("Beta.md", ""),
            ("Todo.md", "- [ ] ask [[Anna]]\n"),
        ]);
        let (g, _) = fx.build(&crate::Config::default());
        let date = NaiveDate::from_ymd_opt(2026, 11, 20);
        let due = |what, days| Due { date, days: Some(days), what };
        let contact = Reminder::Contact { client: 0, cadence: Cadence::days(14), last_contact: None };
        assert_eq!(
            describe(&g, Lang::En, &due(contact, -3), Style::Plain),
            "Contact Acme: overdue by 3 days (2026-11-20) · no contact yet · every 2 weeks"
        );
        let s = &g.next_steps[0];
        let (note, path, line, text) = (s.note, s.path.clone(), s.line, s.text.clone());
        let step = Reminder::NextStep { client: 0, note, path, line, text };
        assert_eq!(
            describe(&g, Lang::En, &due(step, 2), Style::Markdown),
            "[[Clients/Acme|Acme]]: ask [[People/Anna|Anna]] — in 2 days (2026-11-20) · tick it in [[Todo|Todo]]"
        );
        let moved = Reminder::MovedOn { client: Some(0), person: 0 };
        assert_eq!(
            describe(&g, Lang::Ru, &due(moved, -5), Style::Plain),
            "Anna ушёл(ушла) из Acme 2026-11-20 (5 дней назад), теперь в Beta: обновите профиль, \
             сохраните отношения, присмотритесь к новой компании"
        );
    }
}
