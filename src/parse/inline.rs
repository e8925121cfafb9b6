//! Parse stage, plain text: tags, Dataview fields and block ids, read in one pass over
//! the bytes of a text.
//!
//! Each reader finds exactly what a regex of the syntax finds (the regexes stay here as
//! the reference, checked against the readers by property tests). Names may be written
//! in any script, and the syntax's Unicode classes (`\p{L}`, `\p{N}`, `\p{M}`) are known
//! here without tables only for ASCII and the Latin, Greek and Cyrillic letters: a name
//! with another character is read by the regex instead (a reader answers `None`).

use std::sync::LazyLock;

use regex::Regex;

/// `#tag` after the start of the text, a space, `(`, `,` or `;`.
pub(super) static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s(,;])#([\p{L}\p{N}\p{M}_/\-]+)").expect("valid regex"));
/// `key:: value` at the start of a line.
pub(super) static LINE_FIELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([\p{L}\p{N}_][\p{L}\p{N}_ \-]*?)::(?:\s|$)").expect("valid regex"));
/// `[key:: value]` and `(key:: value)`.
pub(super) static BRACKET_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\[(]([\p{L}\p{N}_][\p{L}\p{N}_ \-]*?)::\s*([^\]\)]*?)\s*[\])]").expect("valid regex")
});
/// `^block-id` at the end of a line.
#[cfg(test)]
pub(super) static BLOCK_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)\^([A-Za-z0-9\-]+)\s*$").expect("valid regex"));

/// The blocks whose characters' classes are known here: Latin-1 and Latin Extended
/// letters, IPA and modifier letters, Greek, Cyrillic, and General Punctuation.
fn known_block(c: char) -> bool {
    matches!(c as u32, 0x00A0..=0x02FF | 0x0370..=0x052F | 0x2000..=0x206F)
}

/// Whether `c` is in `[\p{L}\p{N}]`; `None` when not known here.
fn letter_or_digit(c: char) -> Option<bool> {
    if c.is_ascii() {
        return Some(c.is_ascii_alphanumeric());
    }
    // Every letter and number is alphanumeric to Rust; the converse fails only for a few
    // marks and symbols (Other_Alphabetic), none of them in the known blocks.
    if !c.is_alphanumeric() {
        return Some(false);
    }
    known_block(c).then_some(true)
}

/// Whether `c` is in `[\p{L}\p{N}\p{M}]`; `None` when not known here.
fn tag_letter(c: char) -> Option<bool> {
    if c.is_ascii() {
        return Some(c.is_ascii_alphanumeric());
    }
    // The only marks in the known blocks are the Cyrillic combining signs.
    known_block(c).then(|| c.is_alphanumeric() || matches!(c as u32, 0x0483..=0x0489))
}

/// The tag names in `s` (what follows `#`), as [`TAG`] finds them.
pub(super) fn tags(s: &str) -> Option<Vec<&str>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    for i in memchr::memchr_iter(b'#', b) {
        if i < from {
            continue;
        }
        // The character before `#` opens the match: the text's start, a space, `(,;`.
        let opens = s[..i].chars().next_back().is_none_or(|c| c.is_whitespace() || matches!(c, '(' | ',' | ';'));
        if !opens {
            continue;
        }
        let mut end = i + 1;
        for c in s[i + 1..].chars() {
            if !(matches!(c, '_' | '/' | '-') || tag_letter(c)?) {
                break;
            }
            end += c.len_utf8();
        }
        if end > i + 1 {
            out.push(&s[i + 1..end]);
            from = end;
        }
    }
    Some(out)
}

/// The end of a field key starting at `start` in `s`: the offset of the `::` after it,
/// as `[\p{L}\p{N}_][\p{L}\p{N}_ \-]*?::` reads it; `Some(None)` for no key there.
fn key_end(s: &str, start: usize) -> Option<Option<usize>> {
    let mut at = start;
    for c in s.get(start..).unwrap_or_default().chars() {
        if c == ':' {
            // The first `:` ends the key: it is the key's `::`, or there is no key.
            return Some((at > start && s.as_bytes().get(at + 1) == Some(&b':')).then_some(at));
        }
        let fits = c == '_' || (at > start && matches!(c, ' ' | '-')) || letter_or_digit(c)?;
        if !fits {
            return Some(None);
        }
        at += c.len_utf8();
    }
    Some(None)
}

/// The fields `[key:: value]` and `(key:: value)` in `s` as [`BRACKET_FIELD`] captures
/// them: the key, and the value without the spaces around it.
pub(super) fn bracket_fields(s: &str) -> Option<Vec<(&str, &str)>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = memchr::memchr2(b'[', b'(', b.get(at..).unwrap_or_default()).map(|i| at + i) {
        at = open + 1;
        let Some(colons) = key_end(s, open + 1)? else { continue };
        let rest = &s[colons + 2..];
        let value_start = colons + 2 + (rest.len() - rest.trim_start().len());
        // The value runs to the first closing bracket; without one, no field follows.
        let Some(close) = memchr::memchr2(b']', b')', &b[value_start..]).map(|i| value_start + i) else { break };
        out.push((&s[open + 1..colons], s[value_start..close].trim_end()));
        at = close + 1;
    }
    Some(out)
}

/// The field `key::` that opens `s`, as [`LINE_FIELD`] reads it: the key and the
/// length of the match (the `::` and one space after it, if any).
pub(super) fn line_field(s: &str) -> Option<Option<(&str, usize)>> {
    let Some(colons) = key_end(s, 0)? else { return Some(None) };
    let after = colons + 2;
    Some(match s[after..].chars().next() {
        None => Some((&s[..colons], after)),
        Some(c) if c.is_whitespace() => Some((&s[..colons], after + c.len_utf8())),
        Some(_) => None,
    })
}

/// The block id at the end of a line, as [`BLOCK_ID`] finds it: the offset of its `^`,
/// and the id.
pub(super) fn block_id(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_end();
    let caret = memchr::memrchr(b'^', t.as_bytes())?;
    let id = &t[caret + 1..];
    let opens = t[..caret].chars().next_back().is_none_or(char::is_whitespace);
    (opens && !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')).then_some((caret, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classes known without tables agree with the regex crate's Unicode tables.
    #[test]
    fn known_classes_agree_with_unicode() {
        let alnum = Regex::new(r"\A[\p{L}\p{N}]\z").unwrap();
        let tag = Regex::new(r"\A[\p{L}\p{N}\p{M}]\z").unwrap();
        let mut known = 0;
        for c in (0..=0x2FFFF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let s = c.encode_utf8(&mut buf);
            if let Some(k) = letter_or_digit(c) {
                assert_eq!(k, alnum.is_match(s), "{c:?}");
            }
            if let Some(k) = tag_letter(c) {
                assert_eq!(k, tag.is_match(s), "{c:?}");
                known += 1;
            }
        }
        assert!(known > 1000, "{known}");
    }

    fn by_regex_tags(s: &str) -> Vec<&str> {
        TAG.captures_iter(s).map(|m| m.get(1).unwrap().as_str()).collect()
    }

    fn by_regex_brackets(s: &str) -> Vec<(&str, &str)> {
        BRACKET_FIELD.captures_iter(s).map(|m| (m.get(1).unwrap().as_str(), m.get(2).unwrap().as_str())).collect()
    }

    fn by_regex_line(s: &str) -> Option<(&str, usize)> {
        LINE_FIELD.captures(s).map(|m| (m.get(1).unwrap().as_str(), m.get(0).unwrap().end()))
    }

    fn by_regex_block(s: &str) -> Option<(usize, &str)> {
        BLOCK_ID.captures(s).map(|m| (m.get(1).unwrap().start() - 1, m.get(1).unwrap().as_str()))
    }

    #[test]
    fn readers_agree_with_the_regexes() {
        let cases = [
            "#a #b,#c;#d(#e) x#f #g/h- #1984 #",
            "#клиент #Ёж #ⓐ #a\u{301}b #日本 #a\u{483}",
            "[k:: v] (mood:: fine) [a b-c::  x  ] [due::2026] [x::] (y:: a[b) [::v] [ k:: v] [k :: v]",
            "[k:: no close",
            "[Иван:: ok] [日本:: v] [a—b:: v] (k\u{a0}:: v)",
            "tier:: key",
            "tier::",
            "tier::x",
            "a b-c:: v",
            "-a:: v",
            "para ^abc-1",
            "^abc",
            "x^abc",
            "a ^b ^c",
            "a ^b c",
            "a ^b\u{a0}",
            "a ^",
            "\u{2003}^x",
        ];
        for c in cases {
            assert_eq!(tags(c).unwrap_or_else(|| by_regex_tags(c)), by_regex_tags(c), "{c:?}");
            assert_eq!(bracket_fields(c).unwrap_or_else(|| by_regex_brackets(c)), by_regex_brackets(c), "{c:?}");
            assert_eq!(line_field(c).unwrap_or_else(|| by_regex_line(c)), by_regex_line(c), "{c:?}");
            assert_eq!(block_id(c), by_regex_block(c), "{c:?}");
        }
        // The readers decide these themselves.
        assert!(tags("#клиент #tag").is_some() && bracket_fields("[Иван:: ok]").is_some());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn readers_agree_with_the_regexes_on_any_text(
            s in "([#:^\\[\\]()\\-_/ ,;.]|[a-z]|[0-9]|[яЁ]|ⓐ|日|\u{301}|\u{a0}|\u{2003}|\n|\t){0,24}"
        ) {
            if let Some(t) = tags(&s) {
                proptest::prop_assert_eq!(t, by_regex_tags(&s), "{:?}", s);
            }
            if let Some(f) = bracket_fields(&s) {
                proptest::prop_assert_eq!(f, by_regex_brackets(&s), "{:?}", s);
            }
            if let Some(f) = line_field(&s) {
                proptest::prop_assert_eq!(f, by_regex_line(&s), "{:?}", s);
            }
            for line in s.lines() {
                proptest::prop_assert_eq!(block_id(line), by_regex_block(line), "{:?}", line);
            }
        }
    }
}
