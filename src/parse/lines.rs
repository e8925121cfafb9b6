//! Line and column of byte offsets in a note, for the positions of links and findings.
//!
//! A note asks for positions nearly always in order, so this keeps one known place and
//! counts the newlines from there, instead of indexing every line of every note first.

use std::cell::Cell;

/// Positions in one text; cheap to ask in increasing order, right in any order.
pub(crate) struct Lines<'a> {
    text: &'a str,
    /// The known place: a byte offset, its 1-based line and character column, and
    /// where its line starts.
    at: Cell<Place>,
}

#[derive(Clone, Copy)]
struct Place {
    offset: usize,
    line: u32,
    column: u32,
    line_start: usize,
}

/// Characters in `s`.
fn chars(s: &str) -> u32 {
    u32::try_from(s.chars().count()).unwrap_or(u32::MAX)
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Lines { text, at: Cell::new(Place { offset: 0, line: 1, column: 1, line_start: 0 }) }
    }

    /// 1-based line and character column of byte `offset` (clamped to the text, and
    /// back to the start of the character it falls in).
    pub(crate) fn position(&self, offset: usize) -> (u32, u32) {
        let (text, b) = (self.text, self.text.as_bytes());
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let at = self.at.get();
        let place = if offset >= at.offset {
            // Forward (the usual way): count the newlines passed, in one memchr pass.
            let (mut line, mut line_start) = (at.line, None);
            for i in memchr::memchr_iter(b'\n', &b[at.offset..offset]) {
                line = line.saturating_add(1);
                line_start = Some(at.offset + i + 1);
            }
            match line_start {
                None => Place { offset, column: at.column.saturating_add(chars(&text[at.offset..offset])), ..at },
                Some(line_start) => Place { offset, line, column: 1 + chars(&text[line_start..offset]), line_start },
            }
        } else if offset >= at.line_start {
            Place { offset, column: 1 + chars(&text[at.line_start..offset]), ..at }
        } else {
            let back = u32::try_from(memchr::memchr_iter(b'\n', &b[offset..at.offset]).count()).unwrap_or(u32::MAX);
            let line_start = memchr::memrchr(b'\n', &b[..offset]).map_or(0, |i| i + 1);
            Place {
                offset,
                line: at.line.saturating_sub(back).max(1),
                column: 1 + chars(&text[line_start..offset]),
                line_start,
            }
        };
        self.at.set(place);
        (place.line, place.column)
    }

    /// Byte offset where 1-based `line` starts (0 for line 0, and past the last line).
    pub(crate) fn line_start(&self, line: usize) -> usize {
        let at = self.at.get();
        let (mut from, mut current) = if line >= at.line as usize { (at.line_start, at.line as usize) } else { (0, 1) };
        let b = self.text.as_bytes();
        while current < line {
            match memchr::memchr(b'\n', &b[from..]) {
                Some(i) => from += i + 1,
                None => return 0,
            }
            current += 1;
        }
        // Keep the place: the next line asked for is counted from here, not from the
        // last position (20,000 properties and no link would be quadratic).
        if current > at.line as usize {
            let line = u32::try_from(current).unwrap_or(u32::MAX);
            self.at.set(Place { offset: from, line, column: 1, line_start: from });
        }
        from
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "ab\nпривет [[x]]\n";
        let idx = Lines::new(text);
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        let off = text.find("[[").unwrap();
        assert_eq!(idx.position(off), (2, 8));
        // Going back on the same line, or to an earlier line, still counts right.
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(off), (2, 8));
        assert_eq!(idx.position(1), (1, 2));
        assert_eq!(idx.position(off + 2), (2, 10));
        assert_eq!(idx.position(4), (2, 1), "inside a character: its start");
        assert_eq!(idx.position(999), (3, 1));
        assert_eq!((idx.line_start(0), idx.line_start(1), idx.line_start(2), idx.line_start(3)), (0, 0, 3, text.len()));
        assert_eq!(idx.line_start(9), 0);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Any order of questions gets the answers counted from the start.
        #[test]
        fn positions_in_any_order(text in "(a|é|\n|\r\n|🙂){0,30}", offsets in proptest::collection::vec(0usize..80, 1..12)) {
            let idx = Lines::new(&text);
            for o in offsets {
                let mut at = o.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let line = 1 + text[..at].matches('\n').count();
                let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let column = 1 + text[start..at].chars().count();
                proptest::prop_assert_eq!(idx.position(o), (line as u32, column as u32));
                proptest::prop_assert_eq!(idx.line_start(line), start);
            }
        }

        /// Line starts asked in any order, between positions, are the counted ones.
        #[test]
        fn line_starts_in_any_order(text in "(a|é|\n|🙂){0,30}", asks in proptest::collection::vec((0usize..40, 0usize..12), 1..12)) {
            let idx = Lines::new(&text);
            let starts: Vec<usize> =
                std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
            for (o, line) in asks {
                idx.position(o);
                let want = if line == 0 { 0 } else { starts.get(line - 1).copied().unwrap_or(0) };
                proptest::prop_assert_eq!(idx.line_start(line), want, "line {}", line);
                let o = o.min(text.len());
                if text.is_char_boundary(o) {
                    let l = 1 + text[..o].matches('\n').count();
                    let c = 1 + text[starts[l - 1]..o].chars().count();
                    proptest::prop_assert_eq!(idx.position(o), (l as u32, c as u32));
                }
            }
        }
    }
}
