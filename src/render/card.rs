//! Render stage, a card per client: typed properties for Bases, and the client's whole
//! history in one note.
//!
//! Pure: a [`Card`] holds resolved data only (paths, dates, figures). A card holds dates,
//! never "days since", so its bytes change only when the client's facts or state change.

use std::fmt::Write as _;
use std::hash::{Hash as _, Hasher as _};

use chrono::NaiveDate;

use super::i18n::{t, word};
use super::{link, push_link};
use crate::metrics::ClientFigures;
use crate::model::entities::{Client, Feedback, Person, Source};
use crate::vocab::Lang;
use crate::vocab::note_name as name_of;

/// Everything one card shows, resolved.
#[derive(Debug, Clone)]
pub(crate) struct Card<'a> {
    pub(crate) client: &'a Client,
    pub(crate) figures: &'a ClientFigures,
    /// The note a `company` property of the client leads to.
    pub(crate) company: Option<&'a str>,
    /// The people at the client, by path.
    pub(crate) people: Vec<&'a Person>,
    /// Open next steps, in the order of the graph.
    pub(crate) next_steps: Vec<Step<'a>>,
    /// Open feedback from the client.
    pub(crate) feedback: Vec<&'a Feedback>,
    /// Every interaction, newest first.
    pub(crate) timeline: Vec<Entry<'a>>,
}

/// An open next step, its text with links already rewritten to full paths.
#[derive(Debug, Clone)]
pub(crate) struct Step<'a> {
    pub(crate) text: &'a str,
    pub(crate) due: Option<NaiveDate>,
    pub(crate) scheduled: Option<NaiveDate>,
    /// The note the task is in.
    pub(crate) path: &'a str,
}

/// One interaction, and where it was recorded.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    pub(crate) date: NaiveDate,
    pub(crate) format: Option<&'a str>,
    pub(crate) source: Source,
    /// The note it was recorded in.
    pub(crate) path: &'a str,
    /// The heading it sits under (or is), when it can be linked to.
    pub(crate) heading: Option<&'a str>,
    /// A log line's text as written (the card shows it as [`log_text`] makes it).
    pub(crate) text: Option<&'a str>,
}

/// The card's properties (YAML lines, each ending in a newline) and its body.
pub(crate) fn render(card: &Card<'_>, lang: Lang) -> (String, String) {
    (properties(card), body(card, lang))
}

/// A fingerprint of everything [`render`] reads of `card`, and of the language: two
/// cards with the same fingerprint are the same bytes, so watch renders a card again only
/// when its fingerprint changes. Hashes values (paths, names, dates), never ids, so it
/// holds across rebuilds of the graph. Keep it in step with `properties` and `body`.
pub(crate) fn fingerprint(card: &Card<'_>, lang: Lang) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    let (c, f) = (card.client, card.figures);
    matches!(lang, Lang::Ru).hash(&mut h);
    (&c.name, &c.path, c.tier, c.status, c.satisfaction.map(f64::to_bits)).hash(&mut h);
    (f.state, f.last_contact, f.next_due, f.cadence).hash(&mut h);
    (f.interactions_90d, f.interactions_365d, f.open_next_steps, f.overdue_next_steps).hash(&mut h);
    card.company.hash(&mut h);
    card.people.len().hash(&mut h);
    for p in &card.people {
        (&p.path, &p.role, p.birthday, p.left).hash(&mut h);
    }
    card.next_steps.len().hash(&mut h);
    for s in &card.next_steps {
        (s.text, s.due, s.scheduled, s.path).hash(&mut h);
    }
    card.feedback.len().hash(&mut h);
    for fb in &card.feedback {
        (&fb.path, fb.received, fb.severity).hash(&mut h);
    }
    card.timeline.len().hash(&mut h);
    for e in &card.timeline {
        (e.date, e.format, e.source, e.path, e.heading, e.text).hash(&mut h);
    }
    h.finish()
}

/// A YAML double-quoted string.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as YAML writes it: whole numbers without a decimal point.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{n:.0}") } else { n.to_string() }
}

fn properties(card: &Card<'_>) -> String {
    let (c, f) = (card.client, card.figures);
    let mut p = String::with_capacity(512);
    let mut line = |key: &str, value: Option<String>| {
        let _ = match value {
            Some(v) => writeln!(p, "{key}: {v}"),
            None => writeln!(p, "{key}:"),
        };
    };
    line("client", Some(quoted(&link(&c.path))));
    line("tier", Some(c.tier.as_str().to_owned()));
    line("status", Some(c.status.as_str().to_owned()));
    line("state", Some(f.state.as_str().to_owned()));
    line("last_contact", f.last_contact.map(|d| d.to_string()));
    line("next_due", f.next_due.map(|d| d.to_string()));
    line("cadence_days", f.cadence.map(|x| x.approx_days().to_string()));
    line("interactions_90d", Some(f.interactions_90d.to_string()));
    line("interactions_365d", Some(f.interactions_365d.to_string()));
    line("open_next_steps", Some(f.open_next_steps.to_string()));
    line("overdue_next_steps", Some(f.overdue_next_steps.to_string()));
    line("satisfaction", c.satisfaction.map(number));
    line("company", card.company.map(|path| quoted(&link(path))));
    if card.people.is_empty() {
        line("people", Some("[]".to_owned()));
    } else {
        line("people", None);
        for person in &card.people {
            let _ = writeln!(p, "  - {}", quoted(&link(&person.path)));
        }
    }
    p
}

/// Appends text from a user's note made safe to show in a card: no link, tag or embed of
/// its own (the card must not add links or tags to the vault), on one line. Most text
/// needs no escape, and is copied whole.
fn push_plain(out: &mut String, s: &str) {
    let special = |b: u8| {
        matches!(b, b'[' | b']' | b'#' | b'|' | b'^' | b'`' | b'*' | b'_' | b'<' | b'>' | b'$' | b'%' | b'=' | b'~')
            || b == b'\n'
            || b == b'\r'
    };
    if !s.bytes().any(special) {
        out.push_str(s);
        return;
    }
    for ch in s.chars() {
        match ch {
            '[' | ']' | '#' | '|' | '^' | '`' | '*' | '_' | '<' | '>' | '$' | '%' | '=' | '~' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Appends a date as `YYYY-MM-DD`, as its `Display` writes it (a card holds thousands).
fn push_date(out: &mut String, d: NaiveDate) {
    use chrono::Datelike as _;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        let _ = write!(out, "{d}");
        return;
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let y = y as u32;
    for n in [y / 1000, y / 100, y / 10, y] {
        out.push(digit(n));
    }
    out.push('-');
    out.extend([digit(m / 10), digit(m)]);
    out.push('-');
    out.extend([digit(day / 10), digit(day)]);
}

fn source_word(lang: Lang, s: Source) -> &'static str {
    match s {
        Source::Note => t(lang, "note", "заметка"),
        Source::LogLine => t(lang, "log", "журнал"),
        Source::DailyNote => t(lang, "daily note", "ежедневная заметка"),
        Source::LastContact => t(lang, "last_contact", "last_contact"),
    }
}

fn body(card: &Card<'_>, lang: Lang) -> String {
    let (c, f) = (card.client, card.figures);
    let mut out = String::with_capacity(1024 + 96 * card.timeline.len());
    out.push_str("# ");
    push_plain(&mut out, &c.name);
    out.push_str("\n\n");
    out.push_str(t(lang, "Client note: ", "Заметка клиента: "));
    push_link(&mut out, &c.path);
    let _ = writeln!(out, " · {} · {}", word(lang, c.tier.as_str()), word(lang, c.status.as_str()));
    if let Some(cad) = f.cadence {
        let _ = write!(out, "\n{}{}", t(lang, "Contact every ", "Связь раз в "), super::cadence_text(lang, cad));
        if let Some(d) = f.next_due {
            let _ = write!(out, "{}{d}", t(lang, ", next due ", ", следующий контакт "));
        }
        out.push('\n');
    }
    out.push('\n');

    let _ = writeln!(out, "## {}\n", t(lang, "Next steps", "Следующие шаги"));
    if card.next_steps.is_empty() {
        let _ = writeln!(out, "{}", t(lang, "None open.", "Открытых нет."));
    }
    for s in &card.next_steps {
        out.push_str("- ");
        out.push_str(s.text);
        if let Some(d) = s.due.or(s.scheduled) {
            let _ = write!(out, " — {}{d}", t(lang, "due ", "срок "));
        }
        if s.path != c.path {
            out.push_str(t(lang, " (in ", " (в "));
            push_link(&mut out, s.path);
            out.push(')');
        }
        out.push('\n');
    }
    out.push('\n');

    let _ = writeln!(out, "## {}\n", t(lang, "Waiting feedback", "Обращения без ответа"));
    if card.feedback.is_empty() {
        let _ = writeln!(out, "{}", t(lang, "None.", "Нет."));
    }
    for fb in &card.feedback {
        out.push_str("- ");
        push_link(&mut out, &fb.path);
        let _ = writeln!(
            out,
            " — {}{} · {}",
            t(lang, "received ", "получено "),
            fb.received,
            word(lang, fb.severity.as_str())
        );
    }
    out.push('\n');

    let _ = writeln!(out, "## {}\n", t(lang, "People", "Люди"));
    if card.people.is_empty() {
        let _ = writeln!(out, "{}", t(lang, "No one recorded.", "Никого не записано."));
    }
    for p in &card.people {
        out.push_str("- ");
        push_link(&mut out, &p.path);
        if let Some(role) = &p.role {
            out.push_str(" — ");
            push_plain(&mut out, role);
        }
        if let Some(b) = p.birthday {
            let _ = write!(out, " · {}{}", t(lang, "birthday ", "день рождения "), b.format("%m-%d"));
        }
        if let Some(left) = p.left {
            let _ = write!(out, " · {}{left}", t(lang, "left ", "ушёл(ушла) "));
        }
        out.push('\n');
    }
    out.push('\n');

    let _ = writeln!(out, "## {}\n", t(lang, "Timeline", "История"));
    if card.timeline.is_empty() {
        let _ = writeln!(out, "{}", t(lang, "No interaction recorded yet.", "Контактов ещё не было."));
    }
    let mut shown = String::new();
    for e in &card.timeline {
        out.push_str("- ");
        push_date(&mut out, e.date);
        if let Some(fmt) = e.format {
            out.push_str(" · ");
            push_plain(&mut out, word(lang, fmt));
        }
        out.push_str(" · ");
        push_place(&mut out, e.path, e.heading);
        if e.source != Source::Note {
            out.extend([" (", source_word(lang, e.source), ")"]);
        }
        if let Some(text) = e.text {
            shown.clear();
            push_shown(&mut shown, text);
            if !shown.trim().is_empty() {
                out.push_str(" — ");
                push_plain(&mut out, shown.trim());
            }
        }
        out.push('\n');
    }
    out
}

/// A link to a note, or to a heading in it.
fn push_place(out: &mut String, path: &str, heading: Option<&str>) {
    match heading {
        Some(h) => {
            let stem = path.strip_suffix(".md").unwrap_or(path);
            out.extend(["[[", stem, "#", h, "|", name_of(path), " › ", h, "]]"]);
        }
        None => push_link(out, path),
    }
}

/// Whether a heading can be the target of a link: the characters Obsidian reads as
/// link syntax cannot appear in one.
pub(crate) fn linkable_heading(h: &str) -> bool {
    !h.is_empty() && !h.contains(['[', ']', '|', '#', '^', '\n']) && !h.contains("%%")
}

/// Turns a log line's text into what a card shows (as the card's body does in place): links become their shown text, and
/// nothing is left that Obsidian reads as a link or a tag.
#[cfg(test)]
fn log_text(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    push_shown(&mut shown, text);
    let mut out = String::with_capacity(shown.len());
    push_plain(&mut out, shown.trim());
    out
}

/// Appends a log line's text with each link replaced by its shown text (not yet made
/// plain).
fn push_shown(shown: &mut String, text: &str) {
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        shown.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("]]") {
            Some(end) => {
                let inner = &after[..end];
                let label = inner.rsplit_once('|').map_or(inner, |(_, l)| l);
                let label = label.split('#').next().unwrap_or(label);
                shown.push_str(label.rsplit('/').next().unwrap_or(label));
                rest = &after[end + 2..];
            }
            None => {
                shown.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    shown.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_text_keeps_no_link_or_tag() {
        assert_eq!(log_text("call with [[People/Anna|Anna]] about #renewal"), "call with Anna about \\#renewal");
        assert_eq!(log_text("see [[Clients/Acme#Log]] [x](y)"), "see Acme \\[x\\](y)");
        assert_eq!(log_text("broken [[open"), "broken \\[\\[open");
    }

    #[test]
    fn quoted_strings_are_yaml() {
        assert_eq!(quoted("[[A \"B\"|C\\D]]"), "\"[[A \\\"B\\\"|C\\\\D]]\"");
    }
}
