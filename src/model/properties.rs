//! Model stage, properties: typed values read from frontmatter through the config's
//! aliases, falling back to inline fields; each bad value is a diagnostic.

use std::borrow::Cow;
use std::str::FromStr;

use chrono::NaiveDate;

use super::NoteId;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::{Note, Property, Value, parse_date, wikilinks_in};
use crate::resolve::{Index, Resolved, Target, key};
use crate::vocab::Kind;

/// Reads properties through config aliases, falling back to note-level inline fields.
pub(super) struct Props<'a> {
    pub(super) config: &'a Config,
}

impl Props<'_> {
    pub(super) fn canonical<'k>(&'k self, key: &'k str) -> &'k str {
        self.config.properties.get(key).map_or(key, String::as_str)
    }

    pub(super) fn get<'n>(&self, note: &'n Note, name: &str) -> Option<&'n Property> {
        let own = note.props.iter().find(|p| p.key == name);
        // Without aliases in the config every key is its own canonical name.
        if own.is_some() || self.config.properties.is_empty() {
            return own;
        }
        note.props.iter().find(|p| self.canonical(&p.key) == name)
    }

    /// The property's text values, else a standalone inline field's value.
    pub(super) fn texts(&self, note: &Note, name: &str) -> Option<(Vec<String>, u32)> {
        if let Some(p) = self.get(note, name) {
            return Some((p.value.texts(), p.line));
        }
        note.fields
            .iter()
            .find(|f| f.standalone && self.canonical(&f.key) == name)
            .map(|f| (vec![f.value.clone()], f.line))
    }

    /// The first non-empty text value (no list is built for the common scalar case).
    pub(super) fn text<'n>(&self, note: &'n Note, name: &str) -> Option<(Cow<'n, str>, u32)> {
        if let Some(p) = self.get(note, name) {
            if let Value::Text(s) = &p.value {
                let s = s.trim();
                return (!s.is_empty()).then_some((Cow::Borrowed(s), p.line));
            }
        }
        let (v, line) = self.texts(note, name)?;
        v.into_iter().map(|s| s.trim().to_owned()).find(|s| !s.is_empty()).map(|s| (Cow::Owned(s), line))
    }
}

/// Reads typed properties; problems go to the diagnostics list each call is given,
/// so notes can be read in parallel.
pub(super) struct Builder<'a> {
    pub(super) notes: &'a [Note],
    pub(super) resolved: &'a Resolved,
    pub(super) index: &'a Index,
    pub(super) config: &'a Config,
    pub(super) props: Props<'a>,
}

pub(super) type Diags = Vec<Diagnostic>;

impl Builder<'_> {
    pub(super) fn invalid(&self, diags: &mut Diags, note: NoteId, line: u32, msg: String) {
        diags.push(Diagnostic::new(Code::PropertyInvalid, &self.notes[note].path, line, 1, msg));
    }

    pub(super) fn date(&self, diags: &mut Diags, note: NoteId, name: &str) -> Option<NaiveDate> {
        let (text, line) = self.props.text(&self.notes[note], name)?;
        let d = parse_date(&text);
        if d.is_none() {
            self.invalid(diags, note, line, format!("`{name}: {text}` is not a date; write YYYY-MM-DD"));
        }
        d
    }

    pub(super) fn word<T: FromStr>(&self, diags: &mut Diags, note: NoteId, name: &str, words: &[&str]) -> Option<T> {
        let (text, line) = self.props.text(&self.notes[note], name)?;
        let v = text.parse().ok();
        if v.is_none() {
            self.invalid(diags, note, line, format!("`{name}: {text}` is not one of: {}", words.join(", ")));
        }
        v
    }

    pub(super) fn number(&self, diags: &mut Diags, note: NoteId, name: &str, range: Option<(f64, f64)>) -> Option<f64> {
        let (text, line) = self.props.text(&self.notes[note], name)?;
        let cleaned: String = text.chars().filter(|c| !c.is_whitespace() && *c != '_').collect();
        match cleaned.parse::<f64>() {
            Ok(n) if n.is_finite() && range.is_none_or(|(lo, hi)| (lo..=hi).contains(&n)) => Some(n),
            _ => {
                let want = range.map_or("a number".to_owned(), |(lo, hi)| format!("a number from {lo} to {hi}"));
                self.invalid(diags, note, line, format!("`{name}: {text}` is not {want}"));
                None
            }
        }
    }

    /// The notes a link property leads to: its frontmatter links, or links in an inline field.
    pub(super) fn links(&self, note: NoteId, name: &str) -> Vec<NoteId> {
        let n = &self.notes[note];
        let mut out: Vec<NoteId> = n
            .links
            .iter()
            .zip(&self.resolved.targets[note])
            .filter(|(l, _)| l.property.as_deref().is_some_and(|p| self.props.canonical(p) == name))
            .filter_map(|(_, t)| match t {
                Target::Note(i) => Some(*i),
                _ => None,
            })
            .collect();
        if out.is_empty() && self.props.get(n, name).is_none() {
            for f in n.fields.iter().filter(|f| self.props.canonical(&f.key) == name) {
                for (target, _) in wikilinks_in(&f.value) {
                    if let Target::Note(i) = self.index.resolve_name(note, target).target {
                        out.push(i);
                    }
                }
            }
        }
        out
    }

    pub(super) fn kind(&self, note: &Note) -> Option<Kind> {
        let kinds = &self.config.kinds;
        match self.props.get(note, "type") {
            // Read in place: every note has a look at it.
            Some(p) => {
                let mut found = None;
                p.value.each_str(&mut |v| found = found.or_else(|| v.parse().ok()));
                if found.is_some() {
                    return found;
                }
            }
            None => {
                if let Some((values, _)) = self.props.texts(note, "type") {
                    if let Some(k) = values.iter().find_map(|v| v.parse().ok()) {
                        return Some(k);
                    }
                }
            }
        }
        // A nested tag counts as each of its parents: `#client/key` is also `#client`.
        for t in &note.tags {
            let mut prefix = t.as_str();
            loop {
                if let Some(k) = kinds.tags.get(prefix) {
                    return Some(*k);
                }
                match prefix.rsplit_once('/') {
                    Some((parent, _)) => prefix = parent,
                    None => break,
                }
            }
            if let Ok(k) = prefix.parse() {
                return Some(k);
            }
        }
        // Several matching values (`[[Companies]]` and `[[Clients]]`): the most specific
        // kind wins, in the order of `Kind` (a client is a company we serve).
        let mut by_value: Option<Kind> = None;
        for (prop, map) in &kinds.properties {
            if let Some((values, _)) = self.props.texts(note, prop) {
                for v in values {
                    let v = key(v.trim());
                    for (_, k) in map.iter().filter(|(want, _)| key(want.trim()) == v) {
                        by_value = Some(by_value.map_or(*k, |b| b.min(*k)));
                    }
                }
            }
        }
        if by_value.is_some() {
            return by_value;
        }
        kinds
            .folders
            .iter()
            .filter(|(f, _)| note.path.starts_with(&format!("{f}/")))
            .max_by_key(|(f, _)| f.len())
            .map(|(_, k)| *k)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Fixture;
    use super::*;
    use crate::vocab::Tier;

    fn builder<'a>(fx: &'a Fixture, config: &'a Config) -> Builder<'a> {
        Builder { notes: &fx.notes, resolved: &fx.resolved, index: &fx.index, config, props: Props { config } }
    }

    #[test]
    fn properties_are_read_through_aliases_then_inline_fields() {
        let fx = Fixture::new(&[
            ("A.md", "---\nlevel: key\n---\n"),
            ("B.md", "tier:: key\n"),
            ("C.md", "---\ntier: supporting\nlevel: key\n---\n"),
        ]);
        let mut config = Config::default();
        config.properties.insert("level".into(), "tier".into());
        let b = builder(&fx, &config);
        let mut d = Diags::new();
        let tier = |d: &mut Diags, path| b.word::<Tier>(d, fx.id(path), "tier", Tier::WORDS);
        assert_eq!(tier(&mut d, "A.md"), Some(Tier::Key));
        assert_eq!(tier(&mut d, "B.md"), Some(Tier::Key));
        // The property under its own name comes first.
        assert_eq!(tier(&mut d, "C.md"), Some(Tier::Supporting));
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn a_bad_value_is_a_finding_at_its_line() {
        let fx = Fixture::new(&[("A.md", "---\nsince: soon\nsatisfaction: 11\nvalue: 12 000\n---\n")]);
        let config = Config::default();
        let b = builder(&fx, &config);
        let mut d = Diags::new();
        assert_eq!(b.date(&mut d, 0, "since"), None);
        assert_eq!(b.number(&mut d, 0, "satisfaction", Some((0.0, 10.0))), None);
        assert_eq!(b.number(&mut d, 0, "value", None), Some(12000.0));
        let found: Vec<(u32, &str)> = d.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (2, "`since: soon` is not a date; write YYYY-MM-DD"),
                (3, "`satisfaction: 11` is not a number from 0 to 10")
            ]
        );
        assert!(d.iter().all(|d| d.code == Code::PropertyInvalid));
    }

    #[test]
    fn kinds_come_from_type_then_tags_then_values_then_folders() {
        let fx = Fixture::new(&[
            ("Clients/Typed.md", "---\ntype: person\n---\n"),
            ("Clients/Tagged.md", "#crm/vip/gold\n"),
            ("Clients/Valued.md", "---\ncategories: [\"[[Companies]]\", \"[[Clients]]\"]\n---\n"),
            ("Clients/Plain.md", ""),
            ("Elsewhere.md", ""),
        ]);
        let mut config = Config::default();
        config.kinds.tags.insert("crm/vip".into(), Kind::Client);
        config.kinds.folders.insert("Clients".into(), Kind::Company);
        let values = [("[[Companies]]".to_owned(), Kind::Company), ("[[Clients]]".to_owned(), Kind::Client)];
        config.kinds.properties.insert("categories".into(), values.into_iter().collect());
        let b = builder(&fx, &config);
        let kind = |path| b.kind(&fx.notes[fx.id(path)]);
        assert_eq!(kind("Clients/Typed.md"), Some(Kind::Person));
        assert_eq!(kind("Clients/Tagged.md"), Some(Kind::Client));
        // The most specific kind wins: a client is a company we serve.
        assert_eq!(kind("Clients/Valued.md"), Some(Kind::Client));
        assert_eq!(kind("Clients/Plain.md"), Some(Kind::Company));
        assert_eq!(kind("Elsewhere.md"), None);
    }

    #[test]
    fn link_properties_lead_to_notes_from_frontmatter_or_inline_fields() {
        let fx = Fixture::new(&[
            ("Anna.md", "---\ncompany: \"[[Acme]]\"\n---\n"),
            ("Boris.md", "company:: [[Acme]]\n"),
            ("Acme.md", ""),
        ]);
        let config = Config::default();
        let b = builder(&fx, &config);
        let acme = fx.id("Acme.md");
        assert_eq!(b.links(fx.id("Anna.md"), "company"), [acme]);
        assert_eq!(b.links(fx.id("Boris.md"), "company"), [acme]);
        assert!(b.links(fx.id("Acme.md"), "company").is_empty());
    }
}
