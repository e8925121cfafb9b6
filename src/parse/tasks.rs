//! The Tasks plugin's markers in a task's text, read in one pass: dates (`📅 2026-11-20`,
//! `✅ 2026-11-01`, …) and the recurrence rule (`🔁 every week`).
//!
//! Two regexes say the same thing and stay the reference: the tests compare them with
//! this reader on many generated texts. The dates' one (`TASK_DATE` in `markdown.rs`) is
//! also the fallback for what this reader leaves to it: a date written in digits other
//! than ASCII ones. Every task
//! with a date went through two Unicode regexes before, with capture groups: a twentieth
//! of parsing the long-note bench vault.

use std::ops::Range;

/// The emoji that open a dated marker, in the regex's order.
const DATE_EMOJI: [char; 9] = ['📅', '📆', '🗓', '⏳', '⌛', '🛫', '➕', '✅', '❌'];
/// What ends a recurrence rule besides the end of the text.
const RULE_STOPS: [char; 11] = ['📅', '📆', '🗓', '⏳', '⌛', '🛫', '➕', '✅', '❌', '[', ']'];
const VARIATION: char = '\u{FE0F}';

/// A dated marker: where it is (emoji to the date's end), its emoji, its date's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateMarker<'a> {
    pub range: Range<usize>,
    pub emoji: char,
    pub date: &'a str,
}

/// The offset after the emoji at `at` (and its variation selector), and after the
/// whitespace that follows: where a date or a rule starts.
fn after_emoji(text: &str, at: usize, emoji: char) -> usize {
    let rest = &text[at + emoji.len_utf8()..];
    let rest = rest.strip_prefix(VARIATION).unwrap_or(rest);
    text.len() - rest.trim_start_matches(char::is_whitespace).len()
}

/// The dated markers of `text`, in order, as the regex `TASK_DATE` finds them; `None`
/// when a marker may be followed by a date in non-ASCII digits (the regex decides then).
pub(crate) fn date_markers(text: &str) -> Option<Vec<DateMarker<'_>>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some((at, emoji)) = text[from..].char_indices().find(|(_, c)| DATE_EMOJI.contains(c)) {
        let at = from + at;
        let start = after_emoji(text, at, emoji);
        let rest = &text[start..];
        if let Some(date) = rest.get(..10).filter(|d| is_ascii_date(d.as_bytes())) {
            found.push(DateMarker { range: at..start + 10, emoji, date });
            from = start + 10;
        } else if rest.chars().take(10).any(|c| !c.is_ascii() && c.is_numeric()) {
            return None;
        } else {
            from = at + emoji.len_utf8();
        }
    }
    Some(found)
}

/// `dddd-dd-dd` in ASCII digits.
fn is_ascii_date(b: &[u8]) -> bool {
    b.len() == 10 && b.iter().enumerate().all(|(i, &c)| if i == 4 || i == 7 { c == b'-' } else { c.is_ascii_digit() })
}

/// Every recurrence marker of `text` (`🔁` to the next date emoji, bracket or the end),
/// and the rule the first one gives, untrimmed: what the regex `RECURRENCE` finds.
pub(crate) fn recurrences(text: &str) -> (Vec<Range<usize>>, Option<&str>) {
    let mut found = Vec::new();
    let mut rule = None;
    let mut from = 0;
    while let Some(at) = text[from..].find('🔁') {
        let at = from + at;
        let start = after_emoji(text, at, '🔁');
        let end = text[start..].find(RULE_STOPS).map_or(text.len(), |i| start + i);
        rule.get_or_insert(&text[start..end]);
        found.push(at..end);
        // An empty match at the end cannot start another one.
        from = end.max(at + '🔁'.len_utf8());
    }
    (found, rule)
}

/// `text` without the byte ranges in `cut` (in order, not overlapping).
pub(crate) fn without<'a>(text: &'a str, cut: &[Range<usize>]) -> std::borrow::Cow<'a, str> {
    if cut.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for r in cut {
        out.push_str(&text[from..r.start]);
        from = r.end;
    }
    out.push_str(&text[from..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::TASK_DATE;
    use regex::Regex;
    use std::sync::LazyLock;

    /// The recurrence marker as a regex: the reference for [`recurrences`].
    static RECURRENCE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"🔁\u{FE0F}?[\s\u{A0}]*([^📅📆🗓⏳⌛🛫➕✅❌\[\]]*)").expect("valid regex"));

    /// What the regexes find, in the readers' shapes.
    fn by_regex(text: &str) -> (Vec<DateMarker<'_>>, Vec<Range<usize>>, Option<&str>) {
        let dates = TASK_DATE
            .captures_iter(text)
            .map(|c| DateMarker {
                range: c.get(0).expect("whole match").range(),
                emoji: c[1].chars().next().expect("an emoji"),
                date: c.get(2).expect("a date").as_str(),
            })
            .collect();
        let rules = RECURRENCE.find_iter(text).map(|m| m.range()).collect();
        let rule = RECURRENCE.captures(text).and_then(|c| c.get(1)).map(|m| m.as_str());
        (dates, rules, rule)
    }

    fn check(text: &str) {
        let (dates, rules, rule) = by_regex(text);
        match date_markers(text) {
            Some(found) => {
                assert_eq!(found, dates, "dates in {text:?}");
                let cut: Vec<Range<usize>> = found.iter().map(|m| m.range.clone()).collect();
                assert_eq!(without(text, &cut), TASK_DATE.replace_all(text, ""), "cleaned {text:?}");
            }
            // Left to the regex only where a non-ASCII digit may start a date.
            None => assert!(text.chars().any(|c| !c.is_ascii() && c.is_numeric()), "{text:?}"),
        }
        let (found, first) = recurrences(text);
        assert_eq!((found.clone(), first), (rules, rule), "recurrences in {text:?}");
        assert_eq!(without(text, &found), RECURRENCE.replace_all(text, ""), "cleaned {text:?}");
    }

    #[test]
    fn known_texts_read_as_the_regexes_read_them() {
        for text in [
            "send deck 📅 2026-11-20",
            "a ✅2026-11-01 b ❌ 2026-11-02",
            "📅\u{FE0F}\u{A0} 2026-01-05 🔁 every week 🛫 2026-01-01",
            "🔁 every month on the 1st [due:: 2026-01-01]",
            "🔁",
            "x 🔁 🔁 y",
            "📅 2026-1-5 📅 2026-01-05",
            "📅 ٢٠٢٦-١١-٢٠ and 📅 2026-11-20",
            "📆\u{3000}2026-12-31\u{FE0F}",
            "⏳⌛ 2026-02-03",
            "➕ 2026-02-03x",
            "no markers at all",
            "",
        ] {
            check(text);
        }
    }

    /// Many texts from the pieces that matter, compared with the regexes.
    #[test]
    fn generated_texts_read_as_the_regexes_read_them() {
        const PIECES: [&str; 24] = [
            "📅",
            "📆",
            "🗓",
            "⏳",
            "⌛",
            "🛫",
            "➕",
            "✅",
            "❌",
            "🔁",
            "\u{FE0F}",
            " ",
            "\u{A0}",
            "\u{3000}",
            "\t",
            "2026-11-20",
            "2026",
            "-",
            "1",
            "٣",
            "[",
            "]",
            "every week",
            "é",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20_000 {
            let len = next(9);
            let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            check(&text);
        }
    }
}
