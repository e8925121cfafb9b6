//! Ticks: a generated Reminders note whose only changes are ticked tasks, read back.
//!
//! Each task rapport writes ends with a block id naming the reminder on its date
//! (`… 📅 2026-10-11 ^contact-1a2b3c4d5e6f`). Ticking it in Obsidian turns `[ ]` into
//! `[x]`, and the Tasks plugin may add `✅ YYYY-MM-DD` before the block id. Undoing
//! exactly that gives back the body rapport wrote, whose hash is in the frontmatter: a
//! match means the person ticked and did nothing else, which is not an edit. Pure
//! functions: reading and writing the files is the caller's.

use chrono::NaiveDate;

use crate::metrics::DueKind;
use crate::parse::{frontmatter, parse_date};
use crate::render::i18n::t;
use crate::vocab::Lang;

/// The frontmatter line of the journal note.
pub(crate) const JOURNAL_MARKER: &str = "rapport: journal";

/// One ticked reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tick {
    /// The block id: the reminder on its date.
    pub id: String,
    /// The date the Tasks plugin recorded (`✅`), if any.
    pub done: Option<NaiveDate>,
}

/// The ticks of a generated note, when ticking is the only change since rapport wrote
/// it; `None` when the note is untouched, edited otherwise, or not rapport's.
pub(crate) fn ticked_only(text: &str) -> Option<Vec<Tick>> {
    let block = frontmatter::split(text).filter(|b| b.terminated)?;
    let mut marker = false;
    let mut hash = None;
    for line in block.yaml.lines() {
        let line = line.trim_end();
        if line == crate::render::stamp::MARKER {
            marker = true;
        } else if let Some(h) = line.strip_prefix("hash:") {
            hash = Some(h.trim().trim_matches('"'));
        }
    }
    let hash = hash.filter(|_| marker)?;
    // No ticked task at all (what watch finds after each of its own writes): no tick.
    let body = &text[block.body_start..];
    if ["- [x] ", "- [X] "].iter().all(|t| memchr::memmem::find(body.as_bytes(), t.as_bytes()).is_none()) {
        return None;
    }
    let (body, ticks) = untick(body);
    (!ticks.is_empty() && crate::render::stamp::body_hash(&body) == hash).then_some(ticks)
}

/// The body with every ticked task of rapport's turned back into an open one, and the
/// ticks.
fn untick(body: &str) -> (String, Vec<Tick>) {
    let mut out = String::with_capacity(body.len());
    let mut ticks = Vec::new();
    for line in body.split_inclusive('\n') {
        match untick_line(line) {
            Some((open, tick)) => {
                out.push_str(&open);
                ticks.push(tick);
            }
            None => out.push_str(line),
        }
    }
    (out, ticks)
}

/// `> - [x] text 📅 date ✅ done ^id` → `> - [ ] text 📅 date ^id`, for a line that ends
/// in one of rapport's block ids.
fn untick_line(line: &str) -> Option<(String, Tick)> {
    let (content, eol) = match line.strip_suffix('\n') {
        Some(c) => (c, "\n"),
        None => (line, ""),
    };
    let list = content.find("- [")?;
    if !content[..list].chars().all(|c| c == '>' || c == ' ') {
        return None;
    }
    let mark = content[list + 3..].chars().next()?;
    if !matches!(mark, 'x' | 'X') || !content[list + 4..].starts_with("] ") {
        return None;
    }
    let (before_id, id) = content.rsplit_once(" ^")?;
    let kind = id.split_once('-').map(|(k, _)| k);
    let known = kind.is_some_and(|k| {
        [DueKind::Contact, DueKind::Birthday, DueKind::Anniversary, DueKind::Feedback].iter().any(|d| d.as_str() == k)
    });
    if !known || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    // The Tasks plugin's done date, just before the block id.
    let mut text = before_id;
    let mut done = None;
    for emoji in ["✅\u{fe0f} ", "✅ "] {
        if let Some((head, date)) = text.rsplit_once(&format!(" {emoji}")) {
            if let Some(d) = parse_date(date.trim()).filter(|_| date.trim().len() == 10) {
                done = Some(d);
                text = head;
                break;
            }
        }
    }
    let open = format!("{}- [ ]{} ^{id}{eol}", &content[..list], &text[list + 5..]);
    Some((open, Tick { id: id.to_owned(), done }))
}

/// The journal line recording a tick: its date, a word the model reads (`contact`,
/// `birthday`, `anniversary`, `answered`), a link to the note the reminder was about,
/// and the reminder's block id, by which a tick already recorded is known again.
pub(crate) fn journal_line(kind: DueKind, date: NaiveDate, subject_path: &str, id: &str, lang: Lang) -> String {
    let word = match kind {
        DueKind::Birthday => "birthday",
        DueKind::Anniversary => "anniversary",
        DueKind::Feedback => "answered",
        _ => "contact",
    };
    let mut line = format!("- {date} {word} ");
    crate::render::push_link(&mut line, subject_path);
    line.push_str(t(lang, " — ticked in Reminders", " — отмечено в напоминаниях"));
    line.push_str(" ^");
    line.push_str(id);
    line.push('\n');
    line
}

/// The start of a new journal note.
pub(crate) fn journal_header(lang: Lang) -> String {
    format!(
        "---\n{JOURNAL_MARKER}\n---\n# {}\n\n{}\n\n",
        t(lang, "Journal", "Журнал"),
        t(
            lang,
            "What you ticked in the Reminders note, one dated line each. rapport appends here and reads these lines like any log line; edit or delete them as you like.",
            "Напоминания, отмеченные в заметке с напоминаниями, по строке с датой на каждое. rapport дописывает сюда и читает эти строки, как любые записи журнала; их можно править и удалять."
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(body: &str) -> String {
        crate::render::stamp::compose(body, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
    }

    const BODY: &str = "# Reminders\n\n> [!danger] 2 items\n> - [ ] Contact [[A|A]]: overdue 📅 2026-10-11 ^contact-0123456789ab\n> - [[B|B]]: task · tick it in [[B|B]]\n\n- [ ] Birthday of [[P|P]] 📅 2026-11-30 ^birthday-0123456789ab\n";

    #[test]
    fn ticks_alone_are_no_edit() {
        let text = note(BODY);
        assert_eq!(ticked_only(&text), None, "untouched");
        let ticked = text.replace("- [ ] Contact", "- [x] Contact");
        assert_eq!(ticked_only(&ticked), Some(vec![Tick { id: "contact-0123456789ab".into(), done: None }]));
        let tasks_plugin = text
            .replace("- [ ] Contact", "- [X] Contact")
            .replace("2026-10-11 ^", "2026-10-11 ✅ 2026-11-24 ^")
            .replace("- [ ] Birthday", "- [x] Birthday")
            .replace("2026-11-30 ^", "2026-11-30 ✅\u{fe0f} 2026-11-25 ^");
        let ticks = ticked_only(&tasks_plugin).unwrap();
        assert_eq!(ticks.len(), 2);
        assert_eq!(ticks[0].done, NaiveDate::from_ymd_opt(2026, 11, 24));
        assert_eq!(ticks[1].id, "birthday-0123456789ab");
        assert_eq!(ticks[1].done, NaiveDate::from_ymd_opt(2026, 11, 25));
    }

    #[test]
    fn anything_else_is_an_edit() {
        let ticked = note(BODY).replace("- [ ] Contact", "- [x] Contact");
        for edited in [
            ticked.replace("overdue", "overdue!"),
            ticked.replace("# Reminders", "# Mine"),
            ticked.replace("- [[B|B]]", "- [x] [[B|B]]"),
            ticked.replace("^contact", "^mine"),
            ticked.replace("2026-10-11 ^", "2026-10-11 ✅ someday ^"),
            ticked.replace("rapport: generated", "rapport: mine"),
            ticked + "my note\n",
        ] {
            assert_eq!(ticked_only(&edited), None, "{edited}");
        }
        // Cancelled is not ticked.
        assert_eq!(ticked_only(&note(BODY).replace("- [ ] Contact", "- [-] Contact")), None);
    }
}
