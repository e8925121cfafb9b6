//! Parse stage: one note's text → [`Note`] (properties, links, tags, fields, tasks, log lines).
//!
//! Parsing never fails and never panics: bad input becomes a [`Diagnostic`] with a
//! line and column, and whatever could be read is kept.

pub(crate) mod frontmatter;
pub(crate) mod inline;
mod lines;
pub(crate) mod markdown;
mod tasks;

use std::sync::LazyLock;

use chrono::NaiveDate;
use compact_str::CompactString;
use regex::Regex;
use thin_vec::ThinVec;

use crate::diagnostics::{Code, Diagnostic};
pub(crate) use frontmatter::{Property, Value};
use lines::Lines;

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `[[target]]`
    Wiki,
    /// `![[target]]`
    Embed,
    /// `[text](target.md)` or `![alt](image.png)`
    Markdown,
}

/// A link as written in a note, before resolution.
///
/// A vault holds hundreds of thousands of links, most of them to short names: the target
/// and the anchor share one string, kept in place (no allocation) up to 24 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target, then `#` and the anchor when there is one.
    dest: CompactString,
    /// Where the target ends in `dest`.
    split: u32,
    pub kind: LinkKind,
    /// Lower-cased property key when the link sits in frontmatter.
    pub property: Option<Box<str>>,
    pub line: u32,
    pub column: u32,
}

/// The state of a task checkbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    Open,
    Done,
    Cancelled,
}

/// A task list item with the dates of the Obsidian Tasks and Dataview syntaxes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Task {
    pub line: u32,
    /// The task's Markdown text, with its date and recurrence markers removed.
    pub text: String,
    pub status: Option<TaskStatus>,
    pub due: Option<NaiveDate>,
    pub scheduled: Option<NaiveDate>,
    pub start: Option<NaiveDate>,
    pub created: Option<NaiveDate>,
    pub done: Option<NaiveDate>,
    pub cancelled: Option<NaiveDate>,
    pub recurrence: Option<String>,
    /// Indices into [`Note::links`] of the links in the task's own text.
    pub links: Vec<usize>,
}

impl Link {
    pub fn new(
        target: &str,
        anchor: Option<&str>,
        kind: LinkKind,
        property: Option<Box<str>>,
        line: u32,
        column: u32,
    ) -> Link {
        let dest = match anchor {
            None => CompactString::new(target),
            Some(a) => {
                let mut d = CompactString::with_capacity(target.len() + 1 + a.len());
                d.extend([target, "#", a]);
                d
            }
        };
        // A scanned note is at most 64 MiB, so a target always fits. A text of over 4 GiB
        // handed to the parser directly could give wrong parts here, but never a panic.
        let split = u32::try_from(target.len()).unwrap_or(u32::MAX);
        Link { dest, split, kind, property, line, column }
    }

    /// The path part, as written (URL-decoded for Markdown links); empty for `[[#Heading]]`.
    pub fn target(&self) -> &str {
        self.dest.get(..self.split as usize).unwrap_or(&self.dest)
    }

    /// What follows `#`: a heading path (`H1#H2`) or a block id (`^abc`).
    pub fn anchor(&self) -> Option<&str> {
        self.dest.get(self.split as usize..)?.strip_prefix('#')
    }
}

impl Task {
    pub fn is_open(&self) -> bool {
        self.status == Some(TaskStatus::Open) && self.cancelled.is_none()
    }
}

/// A dated list item or heading (`- 2026-11-20 call — renewal`, `## 2026-11-20 Lunch`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub date: NaiveDate,
    /// The first word after the date, lower-cased, when it names a format.
    pub format: Option<String>,
    /// The text after the date.
    pub text: String,
    pub line: u32,
    pub heading: bool,
    /// The heading it is, or sits under: an index into [`Note::headings`].
    pub section: Option<u32>,
    pub links: Vec<usize>,
}

/// A Dataview inline field (`key:: value`, `[key:: value]`, `(key:: value)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Lower-cased key.
    pub key: String,
    /// The raw value (links kept as written).
    pub value: String,
    pub line: u32,
    /// True for `key:: value` at the start of a line (a note-level field), false inside text.
    pub standalone: bool,
}

/// Everything rapport keeps of one note: what the model needs, not the text.
///
/// The lists are `ThinVec`s (one pointer; an empty one allocates nothing): most notes
/// leave most lists empty, and a vault keeps tens of thousands of notes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Note {
    /// Path relative to the vault, with `/`.
    pub path: String,
    pub props: ThinVec<Property>,
    /// Tags lower-cased without `#`, from frontmatter and body, sorted, unique.
    pub tags: ThinVec<CompactString>,
    pub aliases: ThinVec<CompactString>,
    pub links: ThinVec<Link>,
    pub fields: ThinVec<Field>,
    pub tasks: ThinVec<Task>,
    pub log: ThinVec<LogEntry>,
    /// Heading texts in order, as written.
    pub headings: ThinVec<CompactString>,
    /// Block ids (`^id`) without the caret.
    pub blocks: ThinVec<CompactString>,
    pub diagnostics: ThinVec<Diagnostic>,
}

impl Note {
    /// A property by (lower-case) key.
    pub fn prop(&self, key: &str) -> Option<&Property> {
        self.props.iter().find(|p| p.key == key)
    }

    /// Returns spare capacity of every list to the allocator.
    pub fn shrink(&mut self) {
        self.props.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.aliases.shrink_to_fit();
        self.links.shrink_to_fit();
        self.fields.shrink_to_fit();
        self.tasks.shrink_to_fit();
        self.log.shrink_to_fit();
        self.headings.shrink_to_fit();
        self.blocks.shrink_to_fit();
    }

    /// The file name without `.md`.
    pub fn name(&self) -> &str {
        crate::vocab::note_name(&self.path)
    }

    /// The folder, `""` at the vault root.
    pub fn folder(&self) -> &str {
        self.path.rfind('/').map_or("", |i| &self.path[..i])
    }
}

/// Parses a note's raw bytes. Non-UTF-8 content yields an `encoding` diagnostic and an
/// otherwise empty note.
pub fn parse_bytes(path: &str, bytes: &[u8]) -> Note {
    // SIMD validation first (a twelfth of parsing with the standard one); the standard
    // one only to place the error in a note that is not UTF-8.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return parse_note(path, text);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_note(path, text),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // Valid up to here, so this cannot fail; a fallback keeps the parser panic-free.
            let prefix = std::str::from_utf8(good).unwrap_or("");
            let (line, column) = Lines::new(prefix).position(prefix.len());
            let diag = Diagnostic::new(
                Code::Encoding,
                path,
                line,
                column,
                format!(
                    "not valid UTF-8 (byte 0x{:02X} at offset {}); note skipped",
                    bytes[e.valid_up_to()],
                    e.valid_up_to()
                ),
            )
            .with_hint("save the file as UTF-8");
            Note { path: path.to_owned(), diagnostics: thin_vec::thin_vec![diag], ..Note::default() }
        }
    }
}

/// Parses a note's text: frontmatter, then the Markdown body.
pub fn parse_note(path: &str, text: &str) -> Note {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut note = Note { path: path.to_owned(), ..Note::default() };
    let idx = Lines::new(text);
    let mut body_start = 0;
    if let Some(block) = frontmatter::split(text) {
        if block.terminated {
            let mut diags = Vec::new();
            note.props = frontmatter::parse(path, &block, &mut diags).into();
            note.diagnostics.extend(diags);
        } else {
            note.diagnostics.push(
                Diagnostic::new(
                    Code::FrontmatterUnterminated,
                    path,
                    1,
                    1,
                    "frontmatter opened with `---` is never closed",
                )
                .with_hint("add a line `---` after the last property"),
            );
        }
        body_start = block.body_start;
        property_links(&mut note, text, &idx, &block);
    }
    collect_meta(&mut note);
    markdown::parse_body(&mut note, text, body_start, &idx);
    note.tags.sort();
    note.tags.dedup();
    note
}

/// Tags and aliases from frontmatter (a list or a single string; tags may carry `#`).
fn collect_meta(note: &mut Note) {
    for p in &note.props {
        match p.key.as_str() {
            "tags" | "tag" => {
                for t in p.value.texts() {
                    for t in t.split([',', ' ']).filter(|t| !t.is_empty()) {
                        let t = t.trim_start_matches('#').to_lowercase();
                        if !t.is_empty() {
                            note.tags.push(t.into());
                        }
                    }
                }
            }
            "aliases" | "alias" => {
                note.aliases.extend(p.value.texts().into_iter().filter(|a| !a.trim().is_empty()).map(Into::into))
            }
            _ => {}
        }
    }
}

/// A wikilink or embed in plain text (`[[inner]]`, `![[inner]]`).
pub(crate) static WIKILINK_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!?\[\[[^\[\]]+(?:\][^\]\[]+)*\]\]").expect("valid regex"));

/// A wikilink or embed found in plain text.
pub(crate) struct TextLink<'a> {
    /// The whole `[[…]]` or `![[…]]` as written.
    pub literal: &'a str,
    pub embed: bool,
    /// What sits between the brackets.
    pub inner: &'a str,
}

impl<'a> TextLink<'a> {
    /// The link in a match of [`WIKILINK_IN_TEXT`].
    pub(crate) fn of(literal: &'a str) -> Self {
        let embed = literal.starts_with('!');
        let inner = &literal[if embed { 3 } else { 2 }..literal.len() - 2];
        TextLink { literal, embed, inner }
    }
}

/// The wikilinks and embeds in a plain string, in order, as [`WIKILINK_IN_TEXT`] finds
/// them, in one pass over the bytes: `[[`, then text without brackets in which a lone
/// `]` may stand before more such text, then `]]`; with the `!` just before, an embed.
pub(crate) fn text_links(s: &str) -> impl Iterator<Item = TextLink<'_>> {
    let b = s.as_bytes();
    // Where the last link ended: the search goes on from there.
    let mut from = 0;
    std::iter::from_fn(move || {
        let mut at = from;
        while let Some(i) = memchr::memchr(b'[', b.get(at..).unwrap_or_default()).map(|i| at + i) {
            if let Some(end) = (b.get(i + 1) == Some(&b'[')).then(|| wikilink_end(b, i)).flatten() {
                let start = if i > from && b[i - 1] == b'!' { i - 1 } else { i };
                from = end;
                return Some(TextLink::of(&s[start..end]));
            }
            at = i + 1;
        }
        from = b.len();
        None
    })
}

/// The end of the wikilink whose `[[` is at `i`, if one is there.
fn wikilink_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 2;
    loop {
        // One or more bytes that are not brackets (never part of a longer character).
        let run = b[j.min(b.len())..].iter().take_while(|&&c| c != b'[' && c != b']').count();
        if run == 0 {
            return None;
        }
        j += run;
        // Then `]]` ends it, a lone `]` goes on, and `[` or the end fails.
        match (b.get(j), b.get(j + 1)) {
            (Some(b']'), Some(b']')) => return Some(j + 2),
            (Some(b']'), _) => j += 1,
            _ => return None,
        }
    }
}

/// Links inside property values (`company: "[[Acme]]"`, lists of them), positioned at
/// their place in the YAML text.
fn property_links(note: &mut Note, text: &str, idx: &Lines<'_>, block: &frontmatter::Block<'_>) {
    let yaml_end = block.body_start.min(text.len());
    // The YAML starts after the opening `---` line.
    let yaml_offset = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut search_from = yaml_offset;
    let Note { props, links, .. } = note;
    // Aliases and tags are names, not links, even when written like one.
    for p in props.iter().filter(|p| !matches!(p.key.as_str(), "aliases" | "alias" | "tags" | "tag")) {
        let key_offset = idx.line_start(p.line as usize).max(yaml_offset);
        p.value.each_str(&mut |s| {
            for m in text_links(s) {
                let (target, anchor) = split_wikilink(m.inner);
                let find = |from: usize| {
                    let y = text.get(from..yaml_end)?;
                    memchr::memmem::find(y.as_bytes(), m.literal.as_bytes()).map(|i| i + from)
                };
                let at = find(key_offset.max(search_from)).or_else(|| find(key_offset));
                let (line, column) = at.map_or((p.line, 1), |o| {
                    search_from = o + 1;
                    idx.position(o)
                });
                let kind = if m.embed { LinkKind::Embed } else { LinkKind::Wiki };
                links.push(Link::new(target, anchor, kind, Some(p.key.as_str().into()), line, column));
            }
        });
    }
}

/// A wikilink's inner text `target#anchor|shown` in its parts, as written.
pub(crate) struct WikiParts<'a> {
    /// `target#anchor`, without a table's escaping `\` before the `|`.
    pub dest: &'a str,
    pub target: &'a str,
    pub anchor: Option<&'a str>,
    pub shown: Option<&'a str>,
}

impl<'a> WikiParts<'a> {
    pub(crate) fn of(inner: &'a str) -> Self {
        // The first `|`, and the first `#` before it, in one pass (both ASCII: the
        // splits fall between characters).
        let (mut bar, mut hash) = (None, None);
        for (i, c) in inner.bytes().enumerate() {
            if c == b'|' {
                bar = Some(i);
                break;
            }
            if c == b'#' && hash.is_none() {
                hash = Some(i);
            }
        }
        let (dest, shown) = bar.map_or((inner, None), |i| (&inner[..i], Some(&inner[i + 1..])));
        let dest = dest.strip_suffix('\\').unwrap_or(dest);
        let (target, anchor) =
            hash.filter(|&i| i < dest.len()).map_or((dest, None), |i| (&dest[..i], Some(&dest[i + 1..])));
        WikiParts { dest, target, anchor, shown }
    }
}

/// Splits a wikilink's inner text `target#anchor|shown` into target and anchor.
pub(crate) fn split_wikilink(inner: &str) -> (&str, Option<&str>) {
    let parts = WikiParts::of(inner);
    (parts.target.trim(), parts.anchor.map(str::trim))
}

/// Finds wikilinks in a plain string (a property or field value): `(target, anchor)`.
pub(crate) fn wikilinks_in(s: &str) -> Vec<(&str, Option<&str>)> {
    text_links(s).map(|m| split_wikilink(m.inner)).collect()
}

/// Parses `YYYY-MM-DD`, also as the start of a datetime (`2026-11-20T14:30`, `2026-11-20 14:30`).
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let head = s.get(..10)?;
    let rest = &s[10..];
    if !(rest.is_empty() || rest.starts_with(['T', ' '])) {
        return None;
    }
    let b = head.as_bytes();
    if b[4] != b'-' || b[7] != b'-' || !head.bytes().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
        return None;
    }
    // Four, two and two ASCII digits: what `%Y-%m-%d` reads, without a format parser.
    let number = |digits: &[u8]| digits.iter().fold(0u32, |n, &c| n * 10 + u32::from(c - b'0'));
    let year = i32::try_from(number(&b[..4])).ok()?;
    NaiveDate::from_ymd_opt(year, number(&b[5..7]), number(&b[8..10]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_one_string_and_its_anchor_is_split_off() {
        let n = parse_note(
            "a.md",
            "[[Acme#Plans|x]] [[Bo#]] [[Cy]] [m](Long%20name%20past%20the%20inline%20limit.md#Top%20part)\n",
        );
        let parts: Vec<(&str, Option<&str>)> = n.links.iter().map(|l| (l.target(), l.anchor())).collect();
        assert_eq!(
            parts,
            [
                ("Acme", Some("Plans")),
                ("Bo", Some("")),
                ("Cy", None),
                ("Long name past the inline limit.md", Some("Top part"))
            ]
        );
        // Hundreds of thousands of them in a vault: a size that grows should be a choice.
        assert!(std::mem::size_of::<Link>() <= 56, "{}", std::mem::size_of::<Link>());
    }

    /// Obsidian reads `Note.MD` as the note `Note`, as it reads `Note.md`.
    #[test]
    fn a_note_is_named_without_its_extension_in_any_case() {
        assert_eq!(parse_note("Clients/Acme.md", "").name(), "Acme");
        assert_eq!(parse_note("Clients/Acme.MD", "").name(), "Acme");
        assert_eq!(parse_note("Acme.Md", "").folder(), "");
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026-11-20"), NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(parse_date("2026-11-20T14:30"), NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-1-02"), None);
        assert_eq!(parse_date("2026-11-201"), None);
        assert_eq!(parse_date("ноябрь"), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Dates read without a format parser are the ones chrono's `%Y-%m-%d` reads.
        #[test]
        fn dates_agree_with_chrono(s in "[0-9]{4}-[0-3][0-9]-[0-3][0-9]") {
            proptest::prop_assert_eq!(parse_date(&s), NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok(), "{}", s);
        }
    }

    #[test]
    fn property_links_are_positioned() {
        let n = parse_note("a.md", "---\ntype: person\ncompany: \"[[Acme|A]]\"\nclients:\n  - \"[[B#Intro]]\"\n---\n");
        assert_eq!(n.links.len(), 2);
        assert_eq!((n.links[0].target(), n.links[0].line, n.links[0].column), ("Acme", 3, 11));
        assert_eq!(n.links[0].property.as_deref(), Some("company"));
        assert_eq!((n.links[1].target(), n.links[1].anchor(), n.links[1].line), ("B", Some("Intro"), 5));
    }

    #[test]
    fn aliases_are_not_links() {
        let n = parse_note("a.md", "---\naliases: [\"[[Not a link]]\"]\nrelated: \"[[Real]]\"\n---\n");
        let targets: Vec<&str> = n.links.iter().map(Link::target).collect();
        assert_eq!(targets, vec!["Real"]);
    }

    #[test]
    fn tags_and_aliases_from_frontmatter() {
        let n = parse_note("a.md", "---\ntags: \"#Client/Key, vip\"\naliases: Acme Corp\n---\n");
        assert_eq!(n.tags, vec!["client/key", "vip"]);
        assert_eq!(n.aliases, vec!["Acme Corp"]);
    }

    /// The one-pass reader of wikilinks in text finds what the regex finds.
    #[test]
    fn text_links_agree_with_the_regex() {
        let cases = [
            "[[a]] ![[b]] [[c]]![[d]]",
            "[[[x]]] [[a]b]] [[a]]] [[]] [[a]",
            "!![[a]]x[[b\n]]",
            "[[a|b]] [[é]] [[a[b]]",
        ];
        for c in cases {
            let want: Vec<&str> = WIKILINK_IN_TEXT.find_iter(c).map(|m| m.as_str()).collect();
            assert_eq!(text_links(c).map(|l| l.literal).collect::<Vec<_>>(), want, "{c:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn text_links_agree_with_the_regex_on_any_text(s in "([\\[\\]!|#a ]|é|\n){0,20}") {
            let want: Vec<&str> = WIKILINK_IN_TEXT.find_iter(&s).map(|m| m.as_str()).collect();
            let got: Vec<&str> = text_links(&s).map(|l| l.literal).collect();
            proptest::prop_assert_eq!(got, want, "{:?}", s);
        }
    }

    #[test]
    fn non_utf8_is_reported_with_position() {
        let n = parse_bytes("x.md", b"ok\ncaf\xe9\n");
        assert_eq!(n.diagnostics.len(), 1);
        assert_eq!((n.diagnostics[0].code, n.diagnostics[0].line, n.diagnostics[0].column), (Code::Encoding, 2, 4));
    }
}
