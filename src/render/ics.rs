//! Render stage, the calendar feed: reminders → an iCalendar (RFC 5545) file.
//!
//! One all-day event per dated contact, next step and feedback reminder, and a yearly
//! event per birthday and client anniversary. Each event's UID names the reminder, not
//! its date, so a calendar that reads the feed again updates the event instead of adding
//! a second one. Lines end in CRLF and are folded at 75 octets, text values escaped.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::i18n::t;
use super::{Style, describe};
use crate::metrics::{DueKind, Figures, Reminder, Yearly, uid_of};
use crate::model::{ClientId, Graph};
use crate::vocab::{Lang, note_name, strip_md};

/// The product identifier every feed carries; also how rapport recognises its own file.
pub(crate) const PRODID: &str = "-//rapport//rapport reminders//EN";

/// The feed for `figures`' day. `vault_name` (the vault folder's name) makes each event
/// link back to its note in Obsidian; `yearly` are every birthday and anniversary.
pub(crate) fn render(
    g: &Graph,
    figures: &Figures,
    lang: Lang,
    yearly: &[Yearly<'_>],
    vault_name: Option<&str>,
) -> String {
    let today = figures.today;
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.prop("PRODID", PRODID);
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.text("X-WR-CALNAME", t(lang, "rapport reminders", "rapport: напоминания"));
    // The stamp is the day computed for, not the clock: the same vault and day give the
    // same bytes.
    let stamp = format!("{}T000000Z", ymd(today));
    for d in figures.due.iter().filter(|d| d.what.is_urgent()) {
        let Some(date) = d.date else { continue };
        let source = d.subject_path(g);
        // What is overdue is still to do: it shows today, where it is seen.
        let on = date.max(today);
        let described = describe(g, lang, d, Style::Plain);
        let summary = summary(g, lang, &d.what, source, &described);
        let mut description = described;
        let _ = write!(description, "\n{}{source}", t(lang, "Note: ", "Заметка: "));
        out.event(&Event {
            uid: &d.uid(source),
            stamp: &stamp,
            start: on,
            yearly: false,
            summary: &summary,
            description: &description,
            category: d.what.kind().as_str(),
            url: vault_name.map(|v| obsidian_url(v, source)),
        });
    }
    for y in yearly {
        let source = y.subject;
        // A birthday's unknown year (0000) starts the series this year; an anniversary
        // series starts at the first anniversary.
        let start = match y.kind {
            DueKind::Anniversary => y.date.with_year(y.date.year() + 1),
            _ if y.date.year() < 1 => y.date.with_year(today.year()),
            _ => Some(y.date),
        }
        .or_else(|| NaiveDate::from_ymd_opt(y.date.year() + 1, 3, 1));
        let Some(start) = start else { continue };
        let client = &g.clients[y.client].path;
        let (summary, description) = match y.kind {
            DueKind::Birthday => (
                format!("{}{} ({})", t(lang, "Birthday: ", "День рождения: "), note_name(source), note_name(client)),
                format!("{}{source}", t(lang, "Note: ", "Заметка: ")),
            ),
            _ => (
                format!("{}{}", t(lang, "Anniversary: ", "Годовщина: "), note_name(client)),
                format!(
                    "{}{}\n{}{source}",
                    t(lang, "Client since ", "Клиент с "),
                    y.date,
                    t(lang, "Note: ", "Заметка: ")
                ),
            ),
        };
        out.event(&Event {
            uid: &uid_of(y.kind, source),
            stamp: &stamp,
            start,
            yearly: true,
            summary: &summary,
            description: &description,
            category: y.kind.as_str(),
            url: vault_name.map(|v| obsidian_url(v, source)),
        });
    }
    out.line("END:VCALENDAR");
    out.0
}

/// A short title for an event: "Contact Polar Tech", "Answer feedback …"; a next step is
/// its client and task, as the reminder says it without the date.
fn summary(g: &Graph, lang: Lang, what: &Reminder, subject: &str, described: &str) -> String {
    let client = |c: Option<ClientId>| c.map_or("", |c| note_name(&g.clients[c].path));
    match what {
        Reminder::Contact { client: c, .. } => format!("{}{}", t(lang, "Contact ", "Связаться с "), client(Some(*c))),
        Reminder::Feedback { client: c, .. } => format!(
            "{}{}{}{}",
            t(lang, "Answer feedback ", "Ответить на обращение "),
            note_name(subject),
            t(lang, " from ", " от "),
            client(*c)
        ),
        _ => described.split(" — ").next().unwrap_or(described).to_owned(),
    }
}

/// `obsidian://open?vault=…&file=…`: opens the note in Obsidian.
fn obsidian_url(vault_name: &str, path: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let file = strip_md(path);
    format!(
        "obsidian://open?vault={}&file={}",
        utf8_percent_encode(vault_name, NON_ALPHANUMERIC),
        utf8_percent_encode(file, NON_ALPHANUMERIC)
    )
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

struct Event<'a> {
    uid: &'a str,
    stamp: &'a str,
    start: NaiveDate,
    yearly: bool,
    summary: &'a str,
    description: &'a str,
    category: &'a str,
    url: Option<String>,
}

/// Content lines, each folded and ended with CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn event(&mut self, e: &Event<'_>) {
        self.line("BEGIN:VEVENT");
        self.prop("UID", &format!("{}@rapport", e.uid));
        self.prop("DTSTAMP", e.stamp);
        self.prop("DTSTART;VALUE=DATE", &ymd(e.start));
        if let Some(end) = e.start.succ_opt() {
            self.prop("DTEND;VALUE=DATE", &ymd(end));
        }
        if e.yearly {
            self.line("RRULE:FREQ=YEARLY");
        }
        self.text("SUMMARY", e.summary);
        self.text("DESCRIPTION", e.description);
        self.text("CATEGORIES", e.category);
        if let Some(url) = &e.url {
            self.prop("URL", url);
        }
        // All-day reminders do not make the user busy.
        self.line("TRANSP:TRANSPARENT");
        self.line("END:VEVENT");
    }

    /// A property whose value needs no escaping (dates, identifiers, a URI).
    fn prop(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }

    /// A TEXT property, escaped.
    fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape(value)));
    }

    fn line(&mut self, line: &str) {
        fold_into(&mut self.0, line);
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, newline.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            ch => out.push(ch),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (RFC 5545 §3.1): a CRLF and one space
/// before each continuation, never inside a UTF-8 character.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            // The leading space counts toward the continuation line's 75 octets.
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_between_characters() {
        for line in ["A".repeat(200), "DESCRIPTION:".to_owned() + &"Ж".repeat(100), "x".repeat(75)] {
            let mut out = String::new();
            fold_into(&mut out, &line);
            assert!(out.ends_with("\r\n"));
            let parts: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
            for (i, p) in parts.iter().enumerate() {
                assert!(p.len() <= 75, "{p:?} is {} octets", p.len());
                assert_eq!(i > 0, p.starts_with(' '), "{p:?}");
            }
            let unfolded: String = parts.iter().enumerate().map(|(i, p)| if i > 0 { &p[1..] } else { p }).collect();
            assert_eq!(unfolded, line);
        }
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
