//! Model stage, next steps' text: the links a task's text holds, resolved once here so
//! that render writes them without the resolver.

use std::sync::LazyLock;

use regex::Regex;

use crate::parse::{Note, TextLink, WIKILINK_IN_TEXT, WikiParts};
use crate::resolve::{Index, Target};
use crate::vocab::strip_md;

/// A task's text as written, and as the generated notes and the terminal show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaskText {
    /// As written in the note.
    pub raw: String,
    /// `(markdown, plain)` when the text holds links; most tasks hold none.
    shown: Option<Box<(String, String)>>,
}

impl TaskText {
    /// The text for a generated note: each link that leads to a note is a wikilink by
    /// the note's full path (so it resolves the same from the output folder); links that
    /// lead nowhere are text, web links stay.
    pub fn markdown(&self) -> &str {
        self.shown.as_deref().map_or(&self.raw, |(markdown, _)| markdown)
    }

    /// The text for the terminal: each link is its shown text.
    pub fn plain(&self) -> &str {
        self.shown.as_deref().map_or(&self.raw, |(_, plain)| plain)
    }
}

/// The text of a task written in note `from`, its links resolved.
pub(super) fn task_text(notes: &[Note], index: &Index, from: usize, raw: &str) -> TaskText {
    let shown = (raw.contains("[[") || raw.contains("](")).then(|| {
        let resolve = Resolver { notes, index, from };
        Box::new((relink(raw, &resolve, true), relink(raw, &resolve, false)))
    });
    TaskText { raw: raw.to_owned(), shown }
}

struct Resolver<'a> {
    notes: &'a [Note],
    index: &'a Index,
    from: usize,
}

impl Resolver<'_> {
    /// The path of the note a wikilink's target names.
    fn name(&self, target: &str) -> Option<&str> {
        match self.index.resolve_name(self.from, target).target {
            Target::Note(i) => Some(&self.notes[i].path),
            _ => None,
        }
    }

    /// The path of the note a Markdown link's destination leads to.
    fn path(&self, dest: &str) -> Option<&str> {
        match self.index.resolve_path(self.from, dest).target {
            Target::Note(i) => Some(&self.notes[i].path),
            _ => None,
        }
    }
}

static MDLINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\[\]]*)\]\(([^()\s]+)\)").expect("valid regex"));

/// `text` with its wikilinks, then its Markdown links, rewritten: to full-path wikilinks
/// (`markdown`) or to their shown text.
fn relink(text: &str, resolve: &Resolver<'_>, markdown: bool) -> String {
    let mut wiki = String::with_capacity(text.len() + 32);
    let mut rest = 0;
    for m in WIKILINK_IN_TEXT.find_iter(text) {
        wiki.push_str(&text[rest..m.start()]);
        rest = m.end();
        let WikiParts { dest, target, anchor, shown } = WikiParts::of(TextLink::of(m.as_str()).inner);
        let shown = shown.unwrap_or(if target.is_empty() { dest } else { target });
        match markdown.then(|| resolve.name(target)).flatten() {
            Some(path) => {
                wiki.push_str("[[");
                wiki.push_str(strip_md(path));
                if let Some(a) = anchor {
                    wiki.push('#');
                    wiki.push_str(a);
                }
                wiki.push('|');
                wiki.push_str(shown);
                wiki.push_str("]]");
            }
            None => wiki.push_str(shown),
        }
    }
    wiki.push_str(&text[rest..]);
    if !wiki.contains("](") {
        return wiki;
    }
    // Markdown links, in what the wikilinks became.
    let md = MDLINK.replace_all(&wiki, |c: &regex::Captures<'_>| {
        let shown = c[1].to_owned();
        let dest = percent_encoding::percent_decode_str(&c[2]).decode_utf8_lossy().into_owned();
        match markdown.then(|| resolve.path(dest.split('#').next().unwrap_or(""))).flatten() {
            Some(path) => format!("[[{}|{shown}]]", strip_md(path)),
            None if markdown && c[2].contains("://") => c[0].to_owned(),
            None => shown,
        }
    });
    md.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_note;

    fn text(raw: &str) -> TaskText {
        let notes =
            vec![parse_note("Clients/Acme.md", "# Acme\n"), parse_note("People/Anna.md", ""), parse_note("x.md", "")];
        let index = Index::new(&notes, &[]);
        task_text(&notes, &index, 2, raw)
    }

    #[test]
    fn links_to_notes_become_full_path_wikilinks() {
        let t = text("call [[Anna]] about [[Acme#Plan|the plan]]");
        assert_eq!(t.markdown(), "call [[People/Anna|Anna]] about [[Clients/Acme#Plan|the plan]]");
        assert_eq!(t.plain(), "call Anna about the plan");
        assert_eq!(t.raw, "call [[Anna]] about [[Acme#Plan|the plan]]");
    }

    #[test]
    fn markdown_links_resolve_as_paths_and_web_links_stay() {
        let t = text("see [deck](Clients/Acme.md) and [site](https://example.com/a)");
        assert_eq!(t.markdown(), "see [[Clients/Acme|deck]] and [site](https://example.com/a)");
        assert_eq!(t.plain(), "see deck and site");
    }

    #[test]
    fn links_that_lead_nowhere_become_text() {
        let t = text("ask [[Nobody]] or [them](Nowhere.md)");
        assert_eq!(t.markdown(), "ask Nobody or them");
        assert_eq!(t.plain(), t.markdown());
    }

    #[test]
    fn text_without_links_is_kept_as_written() {
        let t = text("send the deck");
        assert_eq!((t.markdown(), t.plain()), ("send the deck", "send the deck"));
        assert!(t.shown.is_none());
    }
}
