//! Parse stage, body: one pass over pulldown-cmark events → links, tags, inline fields,
//! tasks, log lines, headings and block ids.
//!
//! Nothing inside code (spans, fenced and indented blocks), HTML, math or Obsidian
//! comments (`%% … %%`) counts. Offsets from pulldown-cmark become 1-based line:column.

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::NaiveDate;
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::inline::{BRACKET_FIELD, LINE_FIELD, TAG};
use super::lines::Lines;
use super::tasks;
use super::{Field, Link, LinkKind, LogEntry, Note, Task, TaskStatus, inline, parse_date, split_wikilink};

/// The one set of Markdown options rapport reads with (Obsidian's flavour).
pub fn options() -> Options {
    Options::ENABLE_WIKILINKS
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_TABLES
        | Options::ENABLE_MATH
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
}

/// The Tasks plugin's dated markers: the reference for [`super::tasks`], and its fallback
/// for a date in non-ASCII digits.
pub(crate) static TASK_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(📅|📆|🗓|⏳|⌛|🛫|➕|✅|❌)\u{FE0F}?[\s\u{A0}]*(\d{4}-\d{2}-\d{2})").expect("valid regex")
});
static URL_SCHEME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9+.\-]*:").expect("valid regex"));
/// What [`log_rest`] reads, as one regex: the reference for its tests, and its fallback
/// for the rare time written in non-ASCII digits.
static LOG_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\*\*|__)?(\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2})?(?:\*\*|__)?(?:\s*[:\-–—,.]\s*|\s+|$)(.*)$")
        .expect("valid regex")
});

/// A list item being read: its own first block, before any nested list.
struct Item {
    start: usize,
    task: Option<TaskStatus>,
    /// The item's text, kept only while it can still be a task or a dated entry.
    text: String,
    /// Some text (kept or not) was read.
    has_text: bool,
    /// Whether the text is worth keeping: unknown until its first visible character,
    /// then only for a task or a text that opens as a custom status or a date can.
    keep: Option<bool>,
    links: Vec<usize>,
    closed: bool,
    in_comment: bool,
}

impl Item {
    /// Adds inline text to the item's own text.
    fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.has_text = true;
        if self.keep.is_none() {
            // The first visible character decides: a custom status opens with `[`, a
            // dated entry with a digit or bold markers (see `finish_item`, `log_start`).
            if let Some(c) = s.trim_start().chars().next() {
                self.keep = Some(self.task.is_some() || c == '[' || c == '*' || c == '_' || c.is_ascii_digit());
            }
        }
        if self.keep != Some(false) {
            self.text.push_str(s);
        }
    }
}

/// Where a note's body may hold something the walker reads in plain text: `%%`, `::`,
/// `#` and `^`, found in one pass. Text with none of them in its span is only kept
/// (for items and headings), never searched.
struct Marks {
    at: Vec<usize>,
    /// Index of the first mark at or after the last span asked about.
    next: usize,
    last_start: usize,
}

impl Marks {
    fn scan(body: &str) -> Self {
        let b = body.as_bytes();
        let pair = |i: usize| b.get(i + 1) == Some(&b[i]);
        let mut at: Vec<usize> =
            memchr::memchr3_iter(b'#', b'^', b'%', b).filter(|&i| b[i] != b'%' || pair(i)).collect();
        let colons = at.len();
        at.extend(memchr::memchr_iter(b':', b).filter(|&i| pair(i)));
        if colons > 0 && colons < at.len() {
            at.sort_unstable();
        }
        Marks { at, next: 0, last_start: 0 }
    }

    /// True when a mark lies in `start..end` (offsets in the body).
    fn any_in(&mut self, start: usize, end: usize) -> bool {
        if start < self.last_start {
            self.next = self.at.partition_point(|&m| m < start);
        } else {
            while self.at.get(self.next).is_some_and(|&m| m < start) {
                self.next += 1;
            }
        }
        self.last_start = start;
        self.at.get(self.next).is_some_and(|&m| m < end)
    }
}

/// Adjacent text events as one text, as pulldown-cmark's `TextMergeWithOffset` gives
/// them, without copying: a run of the note's own bytes (nearly always) is a slice.
struct Run {
    start: usize,
    end: usize,
    /// The merged text when some part is not the note's bytes (escapes, entities).
    owned: Option<String>,
}

impl Run {
    /// A text event with its span in `body`: a slice of the body when borrowed from it.
    fn of(body: &str, t: &str, start: usize, end: usize) -> Self {
        let own = !is_slice_of(body, t, start, end);
        Run { start, end, owned: own.then(|| t.to_owned()) }
    }

    /// Appends the next text event.
    fn extend(&mut self, body: &str, t: &str, start: usize, end: usize) {
        if self.owned.is_none() && start == self.end && is_slice_of(body, t, start, end) {
            self.end = end;
            return;
        }
        let owned = self.owned.get_or_insert_with(|| body.get(self.start..self.end).unwrap_or("").to_owned());
        owned.push_str(t);
        self.end = end;
    }
}

/// True when `t` is the very slice `start..end` of `body` (not just equal text).
fn is_slice_of(body: &str, t: &str, start: usize, end: usize) -> bool {
    std::ptr::eq(t.as_ptr(), body.as_ptr().wrapping_add(start)) && t.len() == end.wrapping_sub(start)
}

struct Heading {
    start: usize,
    text: String,
    links: Vec<usize>,
}

struct Walker<'a> {
    text: &'a str,
    idx: &'a Lines<'a>,
    note: &'a mut Note,
    marks: Marks,
    code: usize,
    comment: bool,
    items: Vec<Item>,
    heading: Option<Heading>,
    /// Nesting of link/image tags, to skip their inner text for tags (Obsidian does too).
    in_link: usize,
}

/// Reads the body of `text` starting at byte `body_start` into `note`.
pub(crate) fn parse_body(note: &mut Note, text: &str, body_start: usize, idx: &Lines<'_>) {
    let body = &text[body_start..];
    let marks = Marks::scan(body);
    let mut w =
        Walker { text, idx, note, marks, code: 0, comment: false, items: Vec::new(), heading: None, in_link: 0 };
    let mut run: Option<Run> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Event::Text(t) = &event {
            match &mut run {
                Some(r) => r.extend(body, t, range.start, range.end),
                None => run = Some(Run::of(body, t, range.start, range.end)),
            }
            continue;
        }
        if let Some(r) = run.take() {
            w.run(body, r, body_start);
        }
        w.event(event, range.start + body_start);
    }
    if let Some(r) = run.take() {
        w.run(body, r, body_start);
    }
    while let Some(item) = w.items.pop() {
        w.finish_item(item);
    }
    // Nested items end before their parents: restore document order.
    note.tasks.sort_by_key(|t| t.line);
    note.log.sort_by_key(|l| l.line);
}

impl Walker<'_> {
    fn pos(&self, offset: usize) -> (u32, u32) {
        self.idx.position(offset)
    }

    /// A run of text: searched only where [`Marks`] says something may be found.
    fn run(&mut self, body: &str, r: Run, body_start: usize) {
        if self.code > 0 {
            return;
        }
        let (start, end) = (r.start + body_start, r.end + body_start);
        match &r.owned {
            None => {
                let t = body.get(r.start..r.end).unwrap_or("");
                if self.marks.any_in(r.start, r.end) {
                    self.text(t, start, true);
                } else if !self.comment {
                    self.push_inline(t);
                }
            }
            Some(t) => {
                let raw = self.text.get(start..end) == Some(t.as_str());
                self.text(t, start, raw);
            }
        }
    }

    /// Any event but text (see [`Walker::run`]).
    fn event(&mut self, event: Event<'_>, start: usize) {
        match event {
            Event::Start(tag) => self.start(tag, start),
            Event::End(tag) => self.end(tag),
            Event::Code(c) if self.code == 0 && !self.comment => {
                self.push_inline("`");
                self.push_inline(&c);
                self.push_inline("`");
            }
            Event::TaskListMarker(checked) if !self.comment => {
                if let Some(item) = self.items.last_mut() {
                    item.task = Some(if checked { TaskStatus::Done } else { TaskStatus::Open });
                }
            }
            Event::SoftBreak | Event::HardBreak => self.close_item_line(),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, start: usize) {
        match tag {
            Tag::CodeBlock(_) | Tag::MetadataBlock(_) => {
                self.close_item_line();
                self.code += 1;
            }
            Tag::Item => {
                self.close_item_line();
                self.items.push(Item {
                    start,
                    task: None,
                    text: String::new(),
                    has_text: false,
                    keep: None,
                    links: Vec::new(),
                    closed: false,
                    in_comment: self.comment,
                });
            }
            Tag::List(_) | Tag::Table(_) | Tag::BlockQuote(_) => self.close_item_line(),
            Tag::Heading { .. } => {
                self.close_item_line();
                self.heading = Some(Heading { start, text: String::new(), links: Vec::new() });
            }
            Tag::Link { link_type, dest_url, .. } if self.code == 0 => {
                self.open_link(link_type, &dest_url, false, start)
            }
            Tag::Image { link_type, dest_url, .. } if self.code == 0 => {
                self.open_link(link_type, &dest_url, true, start)
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::CodeBlock | TagEnd::MetadataBlock(_) => self.code = self.code.saturating_sub(1),
            TagEnd::Item => {
                if let Some(item) = self.items.pop() {
                    self.finish_item(item);
                }
            }
            TagEnd::Paragraph => self.close_item_line(),
            TagEnd::Heading(_) => {
                if let Some(h) = self.heading.take() {
                    self.finish_heading(h);
                }
            }
            TagEnd::Link | TagEnd::Image => self.in_link = self.in_link.saturating_sub(1),
            _ => {}
        }
    }

    /// Ends the current item's own text: what follows belongs to nested blocks.
    fn close_item_line(&mut self) {
        if let Some(item) = self.items.last_mut() {
            if item.has_text || item.task.is_some() {
                item.closed = true;
            }
        }
    }

    fn push_inline(&mut self, s: &str) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(s);
        } else if let Some(item) = self.items.last_mut().filter(|i| !i.closed) {
            item.push(s);
        }
    }

    /// Text at byte `start`; `raw_matches` when it is the note's bytes from there.
    fn text(&mut self, t: &str, start: usize, raw_matches: bool) {
        // Split on `%%`: alternate segments are Obsidian comments.
        let mut offset = start;
        let mut rest = t;
        loop {
            let (seg, next) = match find_pair(rest, b'%') {
                Some(i) => (&rest[..i], Some(&rest[i + 2..])),
                None => (rest, None),
            };
            if !self.comment && !seg.is_empty() {
                self.visible_text(seg, offset, raw_matches);
            }
            match next {
                Some(n) => {
                    offset += seg.len() + 2;
                    self.comment = !self.comment;
                    rest = n;
                }
                None => break,
            }
        }
    }

    /// Text that counts: tags, inline fields, block ids; also the item/heading text.
    /// Cheap byte checks come before each regex: most text has none of these.
    fn visible_text(&mut self, seg: &str, start: usize, raw: bool) {
        self.push_inline(seg);
        if self.in_link > 0 {
            return;
        }
        if memchr::memchr(b'#', seg.as_bytes()).is_some() {
            let tags = inline::tags(seg)
                .unwrap_or_else(|| TAG.captures_iter(seg).map(|m| m.get(1).map_or("", |g| g.as_str())).collect());
            for tag in tags {
                let tag = tag.trim_end_matches(['/', '-']);
                if !tag.is_empty() && !tag.chars().all(|c| c.is_ascii_digit() || c == '/') {
                    self.note.tags.push(tag.to_lowercase().into());
                }
            }
        }
        if find_pair(seg, b':').is_some() {
            self.fields(seg, start, raw);
        }
        if memchr::memchr(b'^', seg.as_bytes()).is_some() {
            for line in seg.lines() {
                if let Some((_, id)) = inline::block_id(line) {
                    self.note.blocks.push(id.to_ascii_lowercase().into());
                }
            }
        }
    }

    /// Dataview fields in a text segment: `[key:: value]`, `(key:: value)`, and
    /// `key:: value` at the start of a line (its value is the raw rest of the line).
    fn fields(&mut self, seg: &str, start: usize, raw: bool) {
        let (line, _) = self.pos(start);
        let fields = inline::bracket_fields(seg).unwrap_or_else(|| {
            fn group<'h>(m: &regex::Captures<'h>, i: usize) -> &'h str {
                m.get(i).map_or("", |g| g.as_str())
            }
            BRACKET_FIELD.captures_iter(seg).map(|m| (group(&m, 1), group(&m, 2))).collect()
        });
        for (key, value) in fields {
            self.note.fields.push(Field {
                key: key.trim().to_lowercase(),
                value: value.trim().to_owned(),
                line,
                standalone: false,
            });
        }
        if !raw {
            return;
        }
        let line_start = self.idx.line_start(line as usize);
        let prefix = &self.text[line_start..start];
        let at_line_start = prefix
            .trim_start()
            .trim_start_matches(['>', ' ', '\t'])
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches(['-', '*', '+', '.', ')'])
            .trim_start()
            .trim_start_matches("[ ]")
            .trim_start_matches("[x]")
            .trim()
            .is_empty();
        let field = || {
            inline::line_field(seg).unwrap_or_else(|| {
                let m = LINE_FIELD.captures(seg)?;
                Some((m.get(1)?.as_str(), m.get(0)?.end()))
            })
        };
        if let Some((key, len)) = field().filter(|_| at_line_start) {
            {
                let value_start = start + len;
                let line_end = memchr::memchr(b'\n', &self.text.as_bytes()[value_start..])
                    .map_or(self.text.len(), |i| value_start + i);
                self.note.fields.push(Field {
                    key: key.trim().to_lowercase(),
                    value: self.text[value_start..line_end].trim().to_owned(),
                    line,
                    standalone: self.items.is_empty(),
                });
            }
        }
    }

    fn open_link(&mut self, link_type: LinkType, dest: &CowStr<'_>, embed: bool, start: usize) {
        self.in_link += 1;
        if !self.comment {
            self.link(link_type, dest, embed, start);
        }
    }

    fn link(&mut self, link_type: LinkType, dest: &CowStr<'_>, embed: bool, start: usize) {
        let (target, anchor, kind): (Cow<'_, str>, Option<Cow<'_, str>>, _) = match link_type {
            LinkType::WikiLink { .. } => {
                let (t, a) = split_wikilink(dest);
                (t.into(), a.map(Into::into), if embed { LinkKind::Embed } else { LinkKind::Wiki })
            }
            LinkType::Inline | LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                if dest.is_empty() || URL_SCHEME.is_match(dest) {
                    return;
                }
                // Split first: an encoded `%23` is part of the name, not an anchor.
                let decode = |s| percent_encoding::percent_decode_str(s).decode_utf8_lossy();
                match dest.split_once('#') {
                    Some((t, a)) => (decode(t), Some(decode(a)), LinkKind::Markdown),
                    None => (decode(dest), None, LinkKind::Markdown),
                }
            }
            _ => return,
        };
        let (line, column) = self.pos(start);
        let index = self.note.links.len();
        self.note.links.push(Link::new(&target, anchor.as_deref(), kind, None, line, column));
        if let Some(h) = &mut self.heading {
            h.links.push(index);
        } else if let Some(item) = self.items.last_mut().filter(|i| !i.closed && i.keep != Some(false)) {
            item.links.push(index);
        }
    }

    fn finish_heading(&mut self, h: Heading) {
        if self.comment {
            return;
        }
        let text = h.text.trim();
        if let Some((date, format, rest)) = log_start(text) {
            let (line, _) = self.pos(h.start);
            let section = u32::try_from(self.note.headings.len()).ok();
            self.note.log.push(LogEntry { date, format, text: rest, line, heading: true, section, links: h.links });
        }
        // Without its block id, if it ends with one; short ones are kept without allocating.
        let kept = inline::block_id(text).map_or(text, |(caret, _)| &text[..caret]).trim();
        self.note.headings.push(kept.into());
    }

    fn finish_item(&mut self, item: Item) {
        // An item whose text can be neither a task nor a dated entry was never kept.
        if item.in_comment || (item.keep == Some(false) && item.task.is_none()) {
            return;
        }
        let mut status = item.task;
        let mut text = item.text.trim();
        // Custom statuses pulldown-cmark does not know: `[-]` cancelled, `[/]` in progress…
        if status.is_none() {
            let b = text.as_bytes();
            if b.len() >= 3 && b[0] == b'[' && b[2] == b']' && (b.len() == 3 || b[3] == b' ') && b[1].is_ascii_graphic()
            {
                status = Some(if b[1] == b'-' { TaskStatus::Cancelled } else { TaskStatus::Open });
                text = text[3..].trim_start();
            }
        }
        if let Some(status) = status {
            let (line, _) = self.pos(item.start);
            let raw = self.raw_item_line(item.start);
            self.note.tasks.push(task(line, status, text, raw.unwrap_or(text), item.links));
        } else if let Some((date, format, rest)) = log_start(text) {
            let (line, _) = self.pos(item.start);
            let section = self.note.headings.len().checked_sub(1).and_then(|i| u32::try_from(i).ok());
            self.note.log.push(LogEntry { date, format, text: rest, line, heading: false, section, links: item.links });
        }
    }

    /// The item's first source line after its marker and checkbox (links kept as written).
    fn raw_item_line(&self, start: usize) -> Option<&str> {
        let line_end = memchr::memchr(b'\n', &self.text.as_bytes()[start..]).map_or(self.text.len(), |i| start + i);
        let line = self.text[start..line_end].trim_end_matches('\r').trim_start();
        let line = line.trim_start_matches(|c: char| c.is_ascii_digit());
        let line = line.strip_prefix(['-', '*', '+', '.', ')'])?.trim_start();
        let b = line.as_bytes();
        (b.len() >= 3 && b[0] == b'[' && b[2] == b']').then(|| line[3..].trim())
    }
}

/// The dated markers of a task's text: emoji and date text, in order.
fn dates(text: &str) -> Vec<(char, &str)> {
    match tasks::date_markers(text) {
        Some(found) => found.into_iter().map(|m| (m.emoji, m.date)).collect(),
        None => TASK_DATE
            .captures_iter(text)
            .filter_map(|c| Some((c.get(1)?.as_str().chars().next()?, c.get(2)?.as_str())))
            .collect(),
    }
}

/// The offset of the first `cc` (`%%`, `::`) in `s`; cheaper than a substring search on
/// the many short texts of a note.
fn find_pair(s: &str, c: u8) -> Option<usize> {
    let b = s.as_bytes();
    memchr::memchr_iter(c, b).find(|&i| b.get(i + 1) == Some(&c))
}

/// A date at the start of a list item or heading: the date, the format word, the rest.
fn log_start(text: &str) -> Option<(NaiveDate, Option<String>, String)> {
    // Only text that opens with a digit (or bold markers) can be a dated entry.
    if !text.trim_start().starts_with(|c: char| c.is_ascii_digit() || c == '*' || c == '_') {
        return None;
    }
    let (date, rest) = log_rest(text)?;
    let date = parse_date(date)?;
    let rest = rest.trim().to_owned();
    let first =
        rest.split(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '—' | '–' | '.' | ';')).next().unwrap_or("");
    let format = crate::vocab::format_word(first).map(str::to_owned);
    Some((date, format, rest))
}

/// The date and the text after it of a dated entry, as [`LOG_START`] matches them, in
/// one pass over the bytes (the regex backtracked through every list item of a log):
/// optional bold, `YYYY-MM-DD`, an optional time, optional bold, then a separator
/// (`:`, `-`, `–`, `—`, `,` or `.`, with spaces), spaces, or the end; then one line.
fn log_rest(text: &str) -> Option<(&str, &str)> {
    let t = text.trim_start();
    let t = t.strip_prefix("**").or_else(|| t.strip_prefix("__")).unwrap_or(t);
    let b = t.as_bytes();
    if b.len() < 10
        || !b[..10].iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
    {
        // Not an ASCII date (a date in other digits is no date to `parse_date` either).
        return None;
    }
    let (date, after) = t.split_at(10);
    // A time in non-ASCII digits, which `\d` accepts: leave it to the regex.
    if after.starts_with(['T', ' ']) && after[1..].chars().take(5).any(|c| !c.is_ascii() && c.is_numeric()) {
        let m = LOG_START.captures(text)?;
        return Some((m.get(1)?.as_str(), m.get(2)?.as_str()));
    }
    let rest = time_len(after).and_then(|n| separator(&after[n..])).or_else(|| separator(after))?;
    // The text after the separator is one line (the separator's spaces may end one).
    (!rest.contains('\n')).then_some((date, rest))
}

/// The length of `[T ]H:MM` or `[T ]HH:MM` at the start of `s`.
fn time_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if !matches!(b.first(), Some(b'T' | b' ')) {
        return None;
    }
    let digits = b[1..].iter().take(2).take_while(|c| c.is_ascii_digit()).count();
    // `\d{1,2}` is greedy, then gives one back if no `:` follows two digits.
    (1..=digits)
        .rev()
        .map(|h| 1 + h)
        .find(|&at| {
            b.get(at) == Some(&b':')
                && b.get(at + 1).is_some_and(u8::is_ascii_digit)
                && b.get(at + 2).is_some_and(u8::is_ascii_digit)
        })
        .map(|at| at + 3)
}

/// After the date (and time): optional closing bold, then the separator; the text after it.
fn separator(s: &str) -> Option<&str> {
    let s = s.strip_prefix("**").or_else(|| s.strip_prefix("__")).unwrap_or(s);
    let spaced = s.trim_start();
    if let Some(rest) = spaced.strip_prefix([':', '-', '–', '—', ',', '.']) {
        return Some(rest.trim_start());
    }
    (spaced.len() < s.len() || s.is_empty()).then_some(spaced)
}

/// Builds a task from its text: Tasks emoji dates, Dataview fields, recurrence.
fn task(line: u32, status: TaskStatus, text: &str, raw: &str, links: Vec<usize>) -> Task {
    let mut t = Task { line, status: Some(status), links, ..Task::default() };
    // Each reader below needs what the text of most tasks lacks: the Tasks emoji are not
    // ASCII, fields need `::`, a recurrence `🔁`. Checked first, as `visible_text` does.
    let emoji = |s: &str| !s.is_ascii();
    let fields = |s: &str| find_pair(s, b':').is_some();
    let repeats = |s: &str| s.contains('🔁');
    for (emoji, date) in if emoji(text) { dates(text) } else { Vec::new() } {
        let date = parse_date(date);
        let slot = match emoji {
            '📅' | '📆' | '🗓' => &mut t.due,
            '⏳' | '⌛' => &mut t.scheduled,
            '🛫' => &mut t.start,
            '➕' => &mut t.created,
            '✅' => &mut t.done,
            _ => &mut t.cancelled,
        };
        if slot.is_none() {
            *slot = date;
        }
    }
    for m in BRACKET_FIELD.captures_iter(if fields(text) { text } else { "" }) {
        let date = parse_date(&m[2]);
        let slot = match m[1].trim().to_lowercase().as_str() {
            "due" => &mut t.due,
            "scheduled" => &mut t.scheduled,
            "start" => &mut t.start,
            "created" => &mut t.created,
            "completion" => &mut t.done,
            "cancelled" => &mut t.cancelled,
            _ => continue,
        };
        if slot.is_none() {
            *slot = date;
        }
    }
    if let Some(rule) = tasks::recurrences(text).1 {
        t.recurrence = Some(rule.trim().to_owned()).filter(|r| !r.is_empty());
    }
    if t.cancelled.is_some() {
        t.status = Some(TaskStatus::Cancelled);
    }
    let mut cleaned = std::borrow::Cow::Borrowed(raw);
    if emoji(&cleaned) {
        cleaned = match tasks::date_markers(&cleaned) {
            Some(found) => {
                let cut: Vec<_> = found.into_iter().map(|m| m.range).collect();
                tasks::without(&cleaned, &cut).into_owned().into()
            }
            None => TASK_DATE.replace_all(&cleaned, "").into_owned().into(),
        };
    }
    if repeats(&cleaned) {
        cleaned = tasks::without(&cleaned, &tasks::recurrences(&cleaned).0).into_owned().into();
    }
    if fields(&cleaned) {
        cleaned = BRACKET_FIELD
            .replace_all(&cleaned, |c: &regex::Captures<'_>| {
                let key = c[1].trim().to_lowercase();
                if matches!(key.as_str(), "due" | "scheduled" | "start" | "created" | "completion" | "cancelled") {
                    String::new()
                } else {
                    c[0].to_owned()
                }
            })
            .into_owned()
            .into();
    }
    t.text = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    t
}

#[cfg(test)]
mod tests {
    use super::super::{LinkKind, Note, TaskStatus, parse_note};
    use chrono::NaiveDate;

    fn d(s: &str) -> Option<NaiveDate> {
        super::parse_date(s)
    }

    fn targets(n: &Note) -> Vec<&str> {
        n.links.iter().map(crate::parse::Link::target).collect()
    }

    #[test]
    fn wikilink_forms() {
        let n = parse_note(
            "a.md",
            "[[Acme#Heading|the acme]] ![[img.png]] [[Sq]uare]] [[a|b|c]] [[#Local]] [[Note#^blk]] [[Иван Петров]] 🙂[[Émoji 🚀]]\n",
        );
        assert_eq!(targets(&n), vec!["Acme", "img.png", "Sq]uare", "a", "", "Note", "Иван Петров", "Émoji 🚀"]);
        assert_eq!(n.links[0].anchor(), Some("Heading"));
        assert_eq!(n.links[1].kind, LinkKind::Embed);
        assert_eq!(n.links[4].anchor(), Some("Local"));
        assert_eq!(n.links[5].anchor(), Some("^blk"));
        assert_eq!((n.links[6].line, n.links[6].column), (1, 87));
    }

    #[test]
    fn markdown_links_are_decoded_and_urls_skipped() {
        let n =
            parse_note("a.md", "[t](Clients/Acme%20Ltd.md) [w](https://x.org/a.md) [m](mailto:a@b.c) ![p](pic.png)\n");
        assert_eq!(targets(&n), vec!["Clients/Acme Ltd.md", "pic.png"]);
        assert_eq!(n.links[0].kind, LinkKind::Markdown);
        // Angle-bracket destinations keep their spaces; `%23` is a `#` in the name.
        let n = parse_note("a.md", "[a](<Clients/Acme Ltd.md>) [b](C%23%20notes.md#Top%20part)\n");
        assert_eq!(targets(&n), vec!["Clients/Acme Ltd.md", "C# notes.md"]);
        assert_eq!(n.links[1].anchor(), Some("Top part"));
    }

    #[test]
    fn nothing_counts_inside_code_comments_html_or_math() {
        let text = "`[[span]] #t1`\n\n```\n[[fenced]] #t2\n- [ ] task\nk:: v\n```\n\n    [[indented]] #t3\n\n%% [[comment]] #t4\n- [ ] hidden task\n%%\n\n<!-- [[html]] #t5 -->\n\n<span style=\"color:#FFF3A3\">x</span>\n\n$[[math]] #t6$\n\n$$\n[[display]]\n$$\n\nvisible #ok [[real]]\n";
        let n = parse_note("a.md", text);
        assert_eq!(targets(&n), vec!["real"]);
        assert_eq!(n.tags, vec!["ok"]);
        assert!(n.tasks.is_empty());
        assert!(n.fields.is_empty());
    }

    #[test]
    fn tags_follow_obsidian_rules() {
        let n = parse_note("a.md", "#Client/Key and #1984 and #y1984 #клиент #my_tag-2 x#no (#paren) #\n");
        assert_eq!(n.tags, vec!["client/key", "my_tag-2", "paren", "y1984", "клиент"]);
    }

    #[test]
    fn inline_fields() {
        let n = parse_note(
            "a.md",
            "tier:: key\n- company:: [[Acme]]\nThis is [rating:: 9] and (mood:: fine) here\nnot a field: x\n",
        );
        let f: Vec<_> = n.fields.iter().map(|f| (f.key.as_str(), f.value.as_str(), f.line, f.standalone)).collect();
        assert_eq!(
            f,
            vec![
                ("tier", "key", 1, true),
                ("company", "[[Acme]]", 2, false),
                ("rating", "9", 3, false),
                ("mood", "fine", 3, false)
            ]
        );
    }

    #[test]
    fn tasks_in_both_syntaxes() {
        let text = "- [ ] call [[Acme]] 📅 2026-12-01 ⏳\u{FE0F} 2026-11-28 🔁 every week\n- [x] sent ✅ 2026-11-10\n- [ ] dv [due:: 2026-12-05] [scheduled:: 2026-12-01]\n- [ ] nbsp 📅\u{A0}2026-12-02\n- [ ] dropped ❌ 2026-11-01\n- [-] custom cancelled\n- [/] in progress\n  - [ ] nested 🛫 2026-11-02 ➕ 2026-11-01\n";
        let n = parse_note("a.md", text);
        let t = &n.tasks;
        assert_eq!(t.len(), 8);
        assert_eq!(t[0].due, d("2026-12-01"));
        assert_eq!(t[0].scheduled, d("2026-11-28"));
        assert_eq!(t[0].recurrence.as_deref(), Some("every week"));
        assert_eq!(t[0].text, "call [[Acme]]");
        assert_eq!(t[0].links, vec![0]);
        assert!(t[0].is_open());
        assert_eq!(t[1].status, Some(TaskStatus::Done));
        assert_eq!(t[1].done, d("2026-11-10"));
        assert_eq!((t[2].due, t[2].scheduled), (d("2026-12-05"), d("2026-12-01")));
        assert_eq!(t[2].text, "dv");
        assert_eq!(t[3].due, d("2026-12-02"));
        assert!(!t[4].is_open());
        assert_eq!(t[5].status, Some(TaskStatus::Cancelled));
        assert!(t[6].is_open());
        assert_eq!(t[7].line, 8);
        assert_eq!((t[7].start, t[7].created), (d("2026-11-02"), d("2026-11-01")));
    }

    #[test]
    fn log_lines_and_headings() {
        let text = "## Log\n\n- 2026-11-20 call — renewal with [[Anna]]\n- 2026-10-02 звонок: обсудили\n- **2026-09-01** встреча\n- 2026-08-01: sent deck\n- not 2026-07-01 a log\n\n## 2026-09-14 Lunch with [[Anna]]\n\n```\n- 2026-11-22 call — in code\n```\n";
        let n = parse_note("a.md", text);
        let l: Vec<_> = n.log.iter().map(|l| (l.date.to_string(), l.format.clone(), l.line, l.heading)).collect();
        assert_eq!(
            l,
            vec![
                ("2026-11-20".into(), Some("call".into()), 3, false),
                ("2026-10-02".into(), Some("call".into()), 4, false),
                ("2026-09-01".into(), Some("meeting".into()), 5, false),
                ("2026-08-01".into(), None, 6, false),
                ("2026-09-14".into(), Some("lunch".into()), 9, true),
            ]
        );
        assert_eq!(n.log[0].links.len(), 1);
        assert_eq!(n.headings, vec!["Log", "2026-09-14 Lunch with Anna"]);
    }

    #[test]
    fn blocks_and_crlf_and_bom() {
        let n = parse_note("a.md", "\u{feff}---\r\ntype: client\r\n---\r\nPara ^abc-1\r\n\r\n- item [[X]] ^def\r\n");
        assert_eq!(n.prop("type").and_then(|p| p.value.as_text()).as_deref(), Some("client"));
        assert_eq!(n.blocks, vec!["abc-1", "def"]);
        assert_eq!((n.links[0].line, n.links[0].column), (6, 8));
    }

    /// The one-pass reader of dated entries agrees with the regex it replaced.
    #[test]
    fn log_rest_agrees_with_the_regex() {
        let cases = [
            "2026-11-20 call — renewal",
            "2026-11-20: sent",
            "2026-11-20",
            "**2026-11-20** встреча",
            "__2026-11-20__, x",
            "2026-11-20T14:30 call",
            "2026-11-20 14:30 call",
            "2026-11-20 1:30 call",
            "2026-11-20 14:3 call",
            "2026-11-20 14:30x",
            "2026-11-20 123:45",
            "2026-11-20T",
            "2026-11-20x",
            "2026-11-20**x",
            "2026-11-20 ١٤:٣٠ call",
            "2026-11-20\u{a0}call",
            "2026-11-20 \u{2003}- x",
            "2026-11-20 call\nnext",
            "*2026-11-20 call",
            "__0000-00-00\n",
            "2026-11-20 \n- x",
            "2026-11-20\nfoo",
            "2026-11-20 14:30\nfoo",
            "\n 2026-11-20 call",
            "2026-1-20 call",
            "２０２６-11-20 call",
            "2026-11-20 —",
            "2026-11-20 .",
            "2026-11-20 ** x",
            "",
        ];
        for c in cases {
            let want = super::LOG_START.captures(c).map(|m| (m[1].to_owned(), m[2].to_owned()));
            let got = super::log_rest(c).map(|(d, r)| (d.to_owned(), r.to_owned()));
            // A date in other digits is a match to the regex and none to `parse_date`.
            assert_eq!(got, want.filter(|(d, _)| d.is_ascii()), "{c:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn log_rest_agrees_with_the_regex_on_any_text(
            head in "[ *_]{0,3}", date in "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9١]{4}-[0-9]{1,2}-[0-9]{2}",
            tail in "([T 0-9:١\u{a0}*_.,:—–\\-]|[a-zя]| |\n){0,12}",
        ) {
            let c = format!("{head}{date}{tail}");
            let want = super::LOG_START.captures(&c).map(|m| (m[1].to_owned(), m[2].to_owned()));
            let got = super::log_rest(&c).map(|(d, r)| (d.to_owned(), r.to_owned()));
            // A date in other digits is a match to the regex and none to `parse_date`.
            let want = want.filter(|(d, _)| d.is_ascii());
            proptest::prop_assert_eq!(got, want, "{:?}", c);
        }
    }

    #[test]
    fn table_escaped_pipe() {
        let n = parse_note("a.md", "| a | b |\n|---|---|\n| [[x\\|y]] | [[z]] |\n");
        assert_eq!(targets(&n), vec!["x", "z"]);
    }
}
