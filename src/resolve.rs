//! Resolve stage: link targets → notes and files, with Obsidian's rules.
//!
//! Matching is case-insensitive by Unicode rules on NFC names. Among the files whose
//! path ends with the target the pick is: an exact path from the vault root, else a
//! match in the linking note's own folder, else the shortest path (ties by path, so
//! the result never depends on walk order).

// A fast hash for names: the keys come from the vault being read, not from an adversary.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::diagnostics::{Code, Diagnostic};
use crate::parse::{Link, LinkKind, Note};
use crate::vocab::strip_md;

/// Where a link leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A note, by index into the scanned notes.
    Note(usize),
    /// An attachment, by index into the scanned files.
    File(usize),
    /// Nothing (or outside the vault).
    Broken,
}

/// Case- and normalisation-insensitive key for names and paths: NFC, lower case.
pub(crate) fn key(s: &str) -> String {
    if s.is_ascii() { s.to_ascii_lowercase() } else { unicode_key(s) }
}

/// [`key`] for link targets. Unicode lower-casing and normalisation cost a few thousand
/// instructions a name, and a vault links the same few thousand names over and over:
/// each thread remembers the keys it made (a bounded number, so a long watch session
/// does not grow it). Paths, which are all different, go through [`key`] directly.
fn target_key(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    thread_local! {
        static KEYS: std::cell::RefCell<HashMap<Box<str>, Box<str>>> = std::cell::RefCell::default();
    }
    const KEPT: usize = 1 << 14;
    KEYS.with_borrow_mut(|keys| {
        if let Some(k) = keys.get(s) {
            return k.to_string();
        }
        if keys.len() >= KEPT {
            keys.clear();
        }
        let k = unicode_key(s);
        keys.insert(s.into(), k.as_str().into());
        k
    })
}

fn unicode_key(s: &str) -> String {
    // Latin and Cyrillic lower-case into Latin and Cyrillic, which are NFC on their own.
    if let Some(lower) = lower_latin_cyrillic(s) {
        return lower;
    }
    let lower = if is_nfc(s) { s.to_lowercase() } else { s.nfc().collect::<String>().to_lowercase() };
    // Lower-casing can (rarely) leave a string that is not NFC.
    if is_nfc(&lower) { lower } else { lower.nfc().collect() }
}

fn is_nfc(s: &str) -> bool {
    // Names are mostly Latin and Cyrillic letters, which are NFC on their own whatever
    // surrounds them (checked for every one of them in a test); only others need the
    // table walk.
    s.chars().all(nfc_alone)
        || unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
}

/// `s.to_lowercase()` when `s` is Latin (U+0000 to U+017F) and Cyrillic (U+0400 to
/// U+052F) only, the letters of most names in the vaults rapport reads: their case pairs follow a few
/// regular rules (checked against the standard library for every one of them in a
/// test), where the general lower-casing searches a table per character. `None` for
/// any other character.
fn lower_latin_cyrillic(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let u = c as u32;
        let lower = match u {
            0..=0x7F => u8::try_from(u).map_or(u, |b| u32::from(b.to_ascii_lowercase())),
            // Latin-1: À..Þ → à..þ (not ×); signs and lower case stay.
            0xC0..=0xDE if u != 0xD7 => u + 0x20,
            0x80..=0xFF => u,
            // Latin Extended-A: pairs, upper case even up to ķ and from Ŋ, odd between;
            // İ lower-cases to two characters and is left to the general rule.
            0x130 => return None,
            0x100..=0x137 | 0x14A..=0x177 => u | 1,
            0x139..=0x148 | 0x179..=0x17E if u % 2 == 1 => u + 1,
            0x178 => 0xFF,
            0x138..=0x17F => u,
            // Ѐ..Џ → ѐ..џ, А..Я → а..я; а..џ are lower case already.
            0x400..=0x40F => u + 0x50,
            0x410..=0x42F => u + 0x20,
            0x430..=0x45F => u,
            // Pairs: upper case even, lower case odd.
            0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x52F => u | 1,
            // Signs and combining marks without case.
            0x482..=0x489 => u,
            // Palochka: Ӏ → ӏ.
            0x4C0 => 0x4CF,
            // Pairs: upper case odd, lower case even.
            0x4C1..=0x4CE if u % 2 == 1 => u + 1,
            0x4C1..=0x4CF => u,
            _ => return None,
        };
        out.push(char::from_u32(lower)?);
    }
    Some(out)
}

/// True for characters below U+0300 (before the combining diacritics) and the Cyrillic
/// letters: each is in NFC and does not combine with a neighbour.
fn nfc_alone(c: char) -> bool {
    matches!(c, '\0'..='\u{2FF}' | '\u{400}'..='\u{482}' | '\u{48A}'..='\u{52F}')
}

fn base(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

fn folder(s: &str) -> &str {
    s.rfind('/').map_or("", |i| &s[..i])
}

/// Heading text as Obsidian compares it in links.
fn heading_key(s: &str) -> String {
    // One pass: `#^|:%[]` count as spaces, and runs of spaces become one, none at the
    // ends (a link checks a heading this way for each of its parts).
    let key = key(s);
    let mut out = String::with_capacity(key.len());
    let mut gap = false;
    for c in key.chars() {
        if c.is_whitespace() || matches!(c, '#' | '^' | '|' | ':' | '%' | '[' | ']') {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.push(c);
        }
    }
    out
}

/// The lookup tables of one vault.
pub struct Index {
    /// Normalised note paths without `.md`.
    note_keys: Vec<String>,
    file_keys: Vec<String>,
    notes_by_name: HashMap<String, Vec<usize>>,
    files_by_name: HashMap<String, Vec<usize>>,
    aliases: HashMap<String, Vec<usize>>,
    /// Indices into `note_keys` and `file_keys` in key order, for exact-path lookups
    /// (Markdown links) without a second copy of every key.
    notes_in_order: Vec<u32>,
    files_in_order: Vec<u32>,
    /// Each note's headings and block ids, normalised once, when a link first asks
    /// (boxed: most notes are never asked, and an empty cell then costs 16 bytes).
    anchors: Vec<std::sync::OnceLock<Box<Anchors>>>,
}

/// A note's anchors in lookup form: heading key → positions (in order), block ids.
#[derive(Debug, Default)]
struct Anchors {
    headings: HashMap<String, Vec<usize>>,
    blocks: HashSet<String>,
}

impl Anchors {
    fn new(note: &Note) -> Self {
        let mut headings: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, h) in note.headings.iter().enumerate() {
            headings.entry(heading_key(h)).or_default().push(i);
        }
        Anchors { headings, blocks: note.blocks.iter().map(ToString::to_string).collect() }
    }

    /// True for a heading path (`H1#H2`, each below the one before) or a block (`^id`).
    fn has(&self, anchor: &str) -> bool {
        if let Some(block) = anchor.strip_prefix('^') {
            // Ids are stored lower-cased; most links already write them so.
            if block.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                return self.blocks.contains(block);
            }
            return self.blocks.contains(&block.to_lowercase());
        }
        let mut from = 0;
        for part in anchor.split('#').filter(|p| !p.trim().is_empty()) {
            let Some(at) = self.headings.get(&heading_key(part)).and_then(|ps| ps.iter().find(|&&p| p >= from)) else {
                return false;
            };
            from = at + 1;
        }
        true
    }
}

/// The result of resolving a link, with what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub target: Target,
    /// Other notes the bare name also matches (for `link-ambiguous`).
    pub also: Vec<usize>,
}

impl Index {
    pub fn new(notes: &[Note], files: &[String]) -> Self {
        let note_keys: Vec<String> = notes.par_iter().map(|n| key(strip_md(&n.path))).collect();
        let file_keys: Vec<String> = files.par_iter().map(|f| key(f)).collect();
        let mut notes_by_name: HashMap<String, Vec<usize>> =
            HashMap::with_capacity_and_hasher(notes.len(), Default::default());
        for (i, k) in note_keys.iter().enumerate() {
            notes_by_name.entry(base(k).to_owned()).or_default().push(i);
        }
        let mut files_by_name: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, k) in file_keys.iter().enumerate() {
            files_by_name.entry(base(k).to_owned()).or_default().push(i);
        }
        let mut aliases: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, n) in notes.iter().enumerate() {
            for a in &n.aliases {
                aliases.entry(key(a.trim())).or_default().push(i);
            }
        }
        Index {
            anchors: (0..notes.len()).map(|_| std::sync::OnceLock::new()).collect(),
            notes_in_order: in_key_order(&note_keys),
            files_in_order: in_key_order(&file_keys),
            note_keys,
            file_keys,
            notes_by_name,
            files_by_name,
            aliases,
        }
    }

    /// Resolves a wikilink-style target (`Acme`, `Clients/Acme`, `img.png`) from note `from`.
    pub fn resolve_name(&self, from: usize, target: &str) -> Resolution {
        self.resolve_name_from(from, target).0
    }

    /// [`Index::resolve_name`], and whether the answer depends on the linking note (its
    /// folder breaks a tie, or the target is relative or empty); when it does not, any
    /// note linking the same text gets the same answer.
    fn resolve_name_from(&self, from: usize, target: &str) -> (Resolution, bool) {
        let t = target_key(target.trim());
        let t = t.trim_start_matches('/');
        if t.is_empty() {
            return (Resolution { target: Target::Note(from), also: Vec::new() }, true);
        }
        if t.split('/').any(|p| p == ".." || p == ".") {
            let from_folder = self.note_keys.get(from).map_or("", |k| folder(k));
            let target = join(from_folder, t).filter(|p| !p.is_empty()).and_then(|p| self.exact(&p));
            return (Resolution { target: target.unwrap_or(Target::Broken), also: Vec::new() }, true);
        }
        let from_folder = self.note_keys.get(from).map_or("", |k| folder(k));
        let t_md = strip_md(t);
        let mut depends = false;
        let mut pick = |cands: Vec<usize>, keys: &[String], want: &str| -> Option<(usize, Vec<usize>)> {
            if let [only] = cands[..] {
                return Some((only, Vec::new()));
            }
            let exact = cands.iter().copied().find(|&i| keys[i] == want);
            let local = cands.iter().copied().find(|&i| folder(&keys[i]) == from_folder);
            let shortest = cands.iter().copied().min_by_key(|&i| (keys[i].chars().count(), &keys[i]));
            // Without an exact path, the linking note's folder decides between several.
            depends |= exact.is_none() && cands.len() > 1;
            let chosen = exact.or(local).or(shortest)?;
            let also =
                if want.contains('/') { Vec::new() } else { cands.into_iter().filter(|&i| i != chosen).collect() };
            Some((chosen, also))
        };
        let matches = |keys: &[String], list: Option<&Vec<usize>>, want: &str| -> Vec<usize> {
            list.map(|l| l.iter().copied().filter(|&i| ends_with_path(&keys[i], want)).collect()).unwrap_or_default()
        };
        let cands = matches(&self.note_keys, self.notes_by_name.get(base(t_md)), t_md);
        if let Some((i, also)) = pick(cands, &self.note_keys, t_md) {
            return (Resolution { target: Target::Note(i), also }, depends);
        }
        let cands = matches(&self.file_keys, self.files_by_name.get(base(t)), t);
        if let Some((i, also)) = pick(cands, &self.file_keys, t) {
            return (Resolution { target: Target::File(i), also }, depends);
        }
        // An ignored note is listed with the files: `[[Template]]` finds `Template.md`.
        let t_file = format!("{t_md}.md");
        let cands = matches(&self.file_keys, self.files_by_name.get(base(&t_file)), &t_file);
        if let Some((i, also)) = pick(cands, &self.file_keys, &t_file) {
            return (Resolution { target: Target::File(i), also }, depends);
        }
        (Resolution { target: Target::Broken, also: Vec::new() }, depends)
    }

    /// Resolves a Markdown link path as Obsidian does: relative to the linking note,
    /// else like a wikilink target (exact path from the root, own folder, shortest path),
    /// so `![x](diagram.png)` finds `Attachments/diagram.png`. A path that climbs out of
    /// the vault is broken, never looked up outside.
    pub fn resolve_path(&self, from: usize, target: &str) -> Resolution {
        let t = target_key(target.trim());
        let from_folder = self.note_keys.get(from).map_or("", |k| folder(k));
        let broken = Resolution { target: Target::Broken, also: Vec::new() };
        let Some(p) = join(from_folder, &t) else { return broken };
        if p.is_empty() {
            return broken;
        }
        if let Some(target) = self.exact(&p) {
            return Resolution { target, also: Vec::new() };
        }
        // `./x` and `../x` are relative by nature: nothing else to try.
        if t.split('/').any(|part| part == ".." || part == ".") {
            return broken;
        }
        match join("", &t).filter(|p| !p.is_empty()).and_then(|p| self.exact(&p)) {
            Some(target) => Resolution { target, also: Vec::new() },
            None => self.resolve_name(from, &t),
        }
    }

    /// The note or file at exactly this key (a vault path, `.md` optional for notes; an
    /// ignored note is listed with the files, so it is found with or without `.md` too).
    fn exact(&self, p: &str) -> Option<Target> {
        if let Some(i) = by_key(&self.note_keys, &self.notes_in_order, strip_md(p)) {
            return Some(Target::Note(i));
        }
        let file = |k: &str| by_key(&self.file_keys, &self.files_in_order, k).map(Target::File);
        file(p).or_else(|| if strip_md(p).len() == p.len() { file(&format!("{p}.md")) } else { None })
    }

    /// True when some note's file name (without `.md`) is `name`, in any letter case.
    pub fn has_name(&self, name: &str) -> bool {
        self.notes_by_name.contains_key(&key(name))
    }

    /// True when a file that is not a note has this file name (`Clients.base`), anywhere.
    pub fn has_file_name(&self, name: &str) -> bool {
        self.files_by_name.contains_key(&key(name))
    }

    /// The notes that carry `name` as an alias.
    pub fn alias_owners(&self, name: &str) -> &[usize] {
        self.aliases.get(&key(name.trim())).map_or(&[], Vec::as_slice)
    }

    /// True when note `i` has the heading path or block `anchor` names.
    pub fn has_anchor(&self, notes: &[Note], i: usize, anchor: &str) -> bool {
        match self.anchors.get(i) {
            Some(cell) => cell.get_or_init(|| Box::new(Anchors::new(&notes[i]))).has(anchor),
            None => notes.get(i).is_some_and(|n| has_anchor(n, anchor)),
        }
    }

    /// Resolves one link of note `from`.
    pub fn resolve_link(&self, from: usize, link: &Link) -> Resolution {
        self.resolve_link_with(from, link, &Memo::default())
    }

    /// [`Index::resolve_link`], answering a wikilink target from `memo` when it holds the
    /// answer for that text (one that does not depend on the linking note).
    fn resolve_link_with(&self, from: usize, link: &Link, memo: &Memo<'_>) -> Resolution {
        // `[[#Heading]]` and `[text](#Heading)` point into the note itself.
        if link.target().trim().is_empty() {
            return Resolution { target: Target::Note(from), also: Vec::new() };
        }
        match link.kind {
            LinkKind::Markdown => self.resolve_path(from, link.target()),
            LinkKind::Wiki | LinkKind::Embed => {
                if let Some(r) = memo.0.get(link.target()) {
                    return r.clone();
                }
                self.resolve_name_from(from, link.target()).0
            }
        }
    }
}

/// Wikilink targets resolved once for the whole vault, by their text as written: a vault
/// links the same few thousand names over and over, and each lookup lower-cases,
/// normalises and searches. Only answers that hold for any linking note are kept.
#[derive(Default)]
struct Memo<'a>(HashMap<&'a str, Resolution>);

impl<'a> Memo<'a> {
    /// Each distinct wikilink text of `notes` resolved once, from some note linking it
    /// (only answers that do not depend on that note are kept). Kept per thread, the
    /// answers were found again for every piece of work rayon split off: 134,000 lookups
    /// for 31,000 texts on a 50k-note vault.
    fn of(notes: &'a [Note], index: &Index) -> Self {
        let firsts: HashMap<&'a str, usize> = notes
            .par_iter()
            .enumerate()
            .fold(HashMap::default, |mut firsts: HashMap<&'a str, usize>, (from, note)| {
                for link in note.links.iter().filter(|l| matches!(l.kind, LinkKind::Wiki | LinkKind::Embed)) {
                    firsts.entry(link.target()).or_insert(from);
                }
                firsts
            })
            .reduce(HashMap::default, |mut a, mut b| {
                if a.len() < b.len() {
                    std::mem::swap(&mut a, &mut b);
                }
                for (text, from) in b {
                    a.entry(text).or_insert(from);
                }
                a
            });
        let answers: Vec<(&'a str, Resolution)> = firsts
            .into_par_iter()
            .filter_map(|(text, from)| {
                let (r, depends) = index.resolve_name_from(from, text);
                (!depends).then_some((text, r))
            })
            .collect();
        Memo(answers.into_iter().collect())
    }
}

/// Indices of `keys` sorted by key, then by index.
fn in_key_order(keys: &[String]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..keys.len()).filter_map(|i| u32::try_from(i).ok()).collect();
    order.par_sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]).then(a.cmp(&b)));
    order
}

/// The index whose key is `want`; the last of equal keys (two notes whose paths differ
/// only in letter case), as a map filled in order would keep.
fn by_key(keys: &[String], order: &[u32], want: &str) -> Option<usize> {
    let end = order.partition_point(|&i| keys[i as usize].as_str() <= want);
    let i = *order.get(end.checked_sub(1)?)? as usize;
    (keys[i] == want).then_some(i)
}

/// True when `path` is `tail` or ends with `/tail`.
fn ends_with_path(path: &str, tail: &str) -> bool {
    path == tail
        || (path.len() > tail.len() && path.ends_with(tail) && path.as_bytes()[path.len() - tail.len() - 1] == b'/')
}

/// Joins a relative path onto a folder, folding `.` and `..`; `None` when it climbs out.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> =
        if rel.starts_with('/') { Vec::new() } else { dir.split('/').filter(|p| !p.is_empty()).collect() };
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Every note's links resolved, aligned with `Note::links`.
#[derive(Debug, Default, Clone)]
pub struct Resolved {
    pub targets: Vec<Vec<Target>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves every link of every note and reports broken, ambiguous and anchor-less ones.
pub(crate) fn resolve(notes: &[Note], files: &[String], index: &Index) -> Resolved {
    let memo = Memo::of(notes, index);
    let per_note: Vec<(Vec<Target>, Vec<Diagnostic>)> =
        (0..notes.len()).into_par_iter().map(|from| resolve_links(notes, files, index, from, &memo)).collect();
    let mut out = Resolved { targets: Vec::with_capacity(notes.len()), diagnostics: Vec::new() };
    for (targets, diags) in per_note {
        out.targets.push(targets);
        out.diagnostics.extend(diags);
    }
    out
}

/// Resolves the links of one note (`targets` holds its one list).
pub(crate) fn resolve_note(notes: &[Note], files: &[String], index: &Index, from: usize) -> Resolved {
    let (targets, diagnostics) = resolve_links(notes, files, index, from, &Memo::default());
    Resolved { targets: vec![targets], diagnostics }
}

fn resolve_links(
    notes: &[Note],
    files: &[String],
    index: &Index,
    from: usize,
    memo: &Memo<'_>,
) -> (Vec<Target>, Vec<Diagnostic>) {
    let note = &notes[from];
    let mut diags = Vec::new();
    let targets = note
        .links
        .iter()
        .map(|link| {
            let r = index.resolve_link_with(from, link, memo);
            report(notes, files, index, note, link, &r, &mut diags);
            r.target
        })
        .collect();
    (targets, diags)
}

fn shown(link: &Link) -> String {
    match (&link.kind, link.anchor()) {
        (LinkKind::Markdown, _) => format!("({})", link.target()),
        (_, Some(a)) => format!("[[{}#{a}]]", link.target()),
        (_, None) => format!("[[{}]]", link.target()),
    }
}

fn report(
    notes: &[Note],
    files: &[String],
    index: &Index,
    note: &Note,
    link: &Link,
    r: &Resolution,
    diags: &mut Vec<Diagnostic>,
) {
    let at = |code: Code, msg: String| Diagnostic::new(code, &note.path, link.line, link.column, msg);
    match r.target {
        Target::Broken => {
            let mut d = at(Code::LinkBroken, format!("link {} leads to no note or file", shown(link)));
            if let Some(&owner) = index.alias_owners(link.target()).first() {
                let name = notes[owner].name();
                d = d.with_hint(format!(
                    "`{}` is an alias of [[{name}]]; Obsidian does not follow aliases in links: write [[{name}|{}]]",
                    link.target(),
                    link.target()
                ));
            } else if link.target().contains("..") {
                d = d.with_hint("links cannot leave the vault");
            }
            diags.push(d);
        }
        Target::Note(i) => {
            if !r.also.is_empty() {
                // Name a few alternatives, not thousands.
                let mut others: Vec<&str> = r.also.iter().take(5).map(|&j| notes[j].path.as_str()).collect();
                let more = format!("{} more", r.also.len().saturating_sub(5));
                if r.also.len() > 5 {
                    others.push(&more);
                }
                diags.push(
                    at(
                        Code::LinkAmbiguous,
                        format!(
                            "link {} matches {} notes; Obsidian opens `{}`",
                            shown(link),
                            r.also.len() + 1,
                            notes[i].path
                        ),
                    )
                    .with_hint(format!(
                        "also: {}; write the path, e.g. [[{}]]",
                        others.join(", "),
                        strip_md(&notes[i].path)
                    )),
                );
            }
            if let Some(anchor) = link.anchor().filter(|a| !a.is_empty()) {
                if !index.has_anchor(notes, i, anchor) {
                    let what = if anchor.starts_with('^') { "block" } else { "heading" };
                    diags.push(at(
                        Code::LinkAnchorMissing,
                        format!("link {}: `{}` has no {what} `{anchor}`", shown(link), notes[i].path),
                    ));
                }
            }
        }
        Target::File(i) => {
            if !r.also.is_empty() {
                diags.push(at(
                    Code::LinkAmbiguous,
                    format!("link {} matches {} files; Obsidian opens `{}`", shown(link), r.also.len() + 1, files[i]),
                ));
            }
        }
    }
}

/// True when `note` has the heading path (`H1#H2`) or block (`^id`) named by `anchor`.
pub(crate) fn has_anchor(note: &Note, anchor: &str) -> bool {
    Anchors::new(note).has(anchor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_note;

    fn vault(paths: &[&str]) -> Vec<Note> {
        let mut v: Vec<Note> = paths.iter().map(|p| parse_note(p, "")).collect();
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }

    fn resolve_from(notes: &[Note], files: &[String], from: &str, target: &str) -> (Option<String>, usize) {
        let idx = Index::new(notes, files);
        let f = notes.iter().position(|n| n.path == from).unwrap();
        let r = idx.resolve_name(f, target);
        let path = match r.target {
            Target::Note(i) => Some(notes[i].path.clone()),
            Target::File(i) => Some(files[i].clone()),
            Target::Broken => None,
        };
        (path, r.also.len())
    }

    /// The characters `is_nfc` takes as NFC without the table walk are NFC on their own
    /// and never combine with what stands before or after them.
    #[test]
    fn nfc_fast_path_characters_are_nfc_and_do_not_combine() {
        use unicode_normalization::char::{canonical_combining_class, compose};
        let fast: Vec<char> = (0..=0x10FFFF).filter_map(char::from_u32).filter(|&c| nfc_alone(c)).collect();
        assert!(fast.len() > 1000 && fast.contains(&'ё') && fast.contains(&'é') && !fast.contains(&'\u{301}'));
        let yes = unicode_normalization::IsNormalized::Yes;
        for &c in &fast {
            assert_eq!(unicode_normalization::is_nfc_quick(std::iter::once(c)), yes, "{c:?}");
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(c.to_string().nfc().collect::<String>(), c.to_string(), "{c:?}");
        }
        // No pair of them composes into one character.
        for &a in &fast {
            for &b in &fast {
                assert_eq!(compose(a, b), None, "{a:?} {b:?}");
            }
        }
    }

    /// An answer found once is reused only when it holds for every linking note: a tie
    /// between same-named notes goes to the linking note's folder, and a relative or
    /// empty target depends on the note too.
    #[test]
    fn remembered_answers_never_depend_on_the_linking_note() {
        let mut notes = vault(&["a/Acme.md", "b/Acme.md", "c/Acme.md", "Solo.md", "a/x.md", "b/y.md", "c/z.md"]);
        for n in notes.iter_mut().filter(|n| n.name().len() == 1) {
            *n = parse_note(&n.path, "[[Acme]] [[../Solo]] [[Solo]] [[#Top]] [[c/Acme]]\n");
        }
        let index = Index::new(&notes, &[]);
        let memo = Memo::of(&notes, &index);
        let got: Vec<Vec<Option<&str>>> = ["a/x.md", "b/y.md", "c/z.md"]
            .iter()
            .map(|from| {
                let i = notes.iter().position(|n| n.path == *from).unwrap();
                resolve_links(&notes, &[], &index, i, &memo)
                    .0
                    .iter()
                    .map(|t| match t {
                        Target::Note(j) => Some(notes[*j].path.as_str()),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        assert_eq!(got[0], [Some("a/Acme.md"), Some("Solo.md"), Some("Solo.md"), Some("a/x.md"), Some("c/Acme.md")]);
        assert_eq!(got[1], [Some("b/Acme.md"), Some("Solo.md"), Some("Solo.md"), Some("b/y.md"), Some("c/Acme.md")]);
        assert_eq!(got[2], [Some("c/Acme.md"), Some("Solo.md"), Some("Solo.md"), Some("c/z.md"), Some("c/Acme.md")]);
        // The unambiguous names were remembered; the tie was not.
        assert!(memo.0.contains_key("Solo") && memo.0.contains_key("c/Acme"));
        assert!(!["Acme", "../Solo", ""].iter().any(|t| memo.0.contains_key(t)), "kept: {:?}", memo.0.keys());
    }

    /// Heading keys in one pass are the ones of the three-step rule they replace.
    #[test]
    fn heading_keys_in_one_pass_are_the_reference_ones() {
        fn reference(s: &str) -> String {
            let replaced: String = key(s).chars().map(|c| if "#^|:%[]".contains(c) { ' ' } else { c }).collect();
            replaced.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        for s in [
            "",
            " ",
            "Log",
            "  Next  Steps ",
            "A#B",
            "a:b|c",
            "[x] %done%",
            "Ünïcode Heading",
            "Café\u{301}",
            "tab\there",
            "nbsp\u{a0}here",
            "ideo\u{3000}space",
            "#^|:%[]",
            "x ## y",
            "ДЕЛО № 5",
            " ^ lead",
        ] {
            assert_eq!(heading_key(s), reference(s), "{s:?}");
        }
    }

    /// The fast lower-casing of Latin and Cyrillic names is the standard library's.
    #[test]
    fn latin_cyrillic_lower_case_is_the_standard_one() {
        let mut checked = 0;
        for c in (0..=0x17F).chain(0x400..=0x52F).filter_map(char::from_u32).filter(|&c| c != 'İ') {
            let one = c.to_string();
            assert_eq!(lower_latin_cyrillic(&one), Some(one.to_lowercase()), "{c:?} U+{:04X}", c as u32);
            checked += 1;
        }
        assert_eq!(checked, 0x180 - 1 + 0x130);
        for other in ["ƀ", "İ", "Σ", "中", "\u{301}"] {
            assert_eq!(lower_latin_cyrillic(other), None, "{other}");
        }
        assert_eq!(lower_latin_cyrillic("Clients/Иван ПЕТРОВ ӀӃ").as_deref(), Some("clients/иван петров ӏӄ"));
        assert_eq!(lower_latin_cyrillic("Łódź ŸÖ").as_deref(), Some("łódź ÿö"));
        assert_eq!(key("People/Ёлка Ѳ"), "people/ёлка ѳ");
    }

    #[test]
    fn obsidian_pick_order() {
        let notes = vault(&["Acme.md", "a/Acme.md", "b/c/Acme.md", "b/x.md", "a/y.md", "root.md", "b/c/z.md"]);
        // (1) exact path from the root
        assert_eq!(resolve_from(&notes, &[], "b/x.md", "Acme"), (Some("Acme.md".into()), 2));
        assert_eq!(resolve_from(&notes, &[], "b/x.md", "a/Acme"), (Some("a/Acme.md".into()), 0));
        // (2) the linking note's own folder
        let notes2 = vault(&["a/Acme.md", "b/c/Acme.md", "b/c/z.md", "a/y.md", "q/r.md"]);
        assert_eq!(resolve_from(&notes2, &[], "b/c/z.md", "acme"), (Some("b/c/Acme.md".into()), 1));
        // (3) shortest path
        assert_eq!(resolve_from(&notes2, &[], "q/r.md", "ACME.md"), (Some("a/Acme.md".into()), 1));
        // path suffix
        assert_eq!(resolve_from(&notes2, &[], "q/r.md", "c/Acme"), (Some("b/c/Acme.md".into()), 0));
        assert_eq!(resolve_from(&notes2, &[], "q/r.md", "Nope"), (None, 0));
    }

    #[test]
    fn unicode_case_and_normalisation() {
        let notes = vault(&["People/Иван Петров.md", "Clients/Amélie.md", "x.md"]);
        assert_eq!(resolve_from(&notes, &[], "x.md", "иван петров").0.as_deref(), Some("People/Иван Петров.md"));
        // decomposed é (e + U+0301) finds the precomposed file name
        assert_eq!(resolve_from(&notes, &[], "x.md", "AME\u{301}LIE").0.as_deref(), Some("Clients/Amélie.md"));
        let emoji = vault(&["Clients/🚀 Rocket Café.md", "x.md"]);
        assert_eq!(resolve_from(&emoji, &[], "x.md", "🚀 rocket CAFÉ").0.as_deref(), Some("Clients/🚀 Rocket Café.md"));
        assert_eq!(
            resolve_from(&emoji, &[], "x.md", "Clients/🚀 Rocket Café.md").0.as_deref(),
            Some("Clients/🚀 Rocket Café.md")
        );
    }

    #[test]
    fn attachments_and_escapes() {
        let notes = vault(&["x.md", "sub/y.md"]);
        let files = vec!["assets/Logo.PNG".to_owned(), "doc.pdf".to_owned()];
        assert_eq!(resolve_from(&notes, &files, "x.md", "logo.png").0.as_deref(), Some("assets/Logo.PNG"));
        assert_eq!(resolve_from(&notes, &files, "x.md", "../../etc/passwd").0, None);
        let idx = Index::new(&notes, &files);
        // notes sort as [sub/y.md, x.md]
        assert_eq!(idx.resolve_path(0, "../x.md").target, Target::Note(1));
        assert_eq!(idx.resolve_path(0, "../../x.md").target, Target::Broken);
        assert_eq!(idx.resolve_path(1, "../x.md").target, Target::Broken);
        assert_eq!(idx.resolve_path(1, "doc.pdf").target, Target::File(1));
    }

    /// Markdown links try the linking note's folder first, then resolve like a wikilink
    /// target: `![x](diagram.png)` finds `Attachments/diagram.png`.
    #[test]
    fn markdown_links_fall_back_to_wikilink_rules() {
        let notes =
            vault(&["Notes/Deeper/a.md", "Notes/a.md", "Notes/Acme.md", "Clients/Acme.md", "Other/Beta.md", "x.md"]);
        let files = vec!["Attachments/diagram.png".to_owned(), "Notes/Deeper/diagram.png".to_owned()];
        let idx = Index::new(&notes, &files);
        let at = |from: &str| notes.iter().position(|n| n.path == from).unwrap();
        let path = |r: Resolution| match r.target {
            Target::Note(i) => notes[i].path.clone(),
            Target::File(i) => files[i].clone(),
            Target::Broken => "broken".into(),
        };
        assert_eq!(path(idx.resolve_path(at("x.md"), "diagram.png")), "Attachments/diagram.png");
        assert_eq!(path(idx.resolve_path(at("Notes/Deeper/a.md"), "diagram.png")), "Notes/Deeper/diagram.png");
        assert_eq!(path(idx.resolve_path(at("Notes/a.md"), "diagram.png")), "Attachments/diagram.png");
        assert_eq!(path(idx.resolve_path(at("Notes/a.md"), "Acme.md")), "Notes/Acme.md");
        assert_eq!(path(idx.resolve_path(at("x.md"), "Beta.md")), "Other/Beta.md");
        assert_eq!(path(idx.resolve_path(at("x.md"), "Clients/Acme.md")), "Clients/Acme.md");
        assert_eq!(path(idx.resolve_path(at("Other/Beta.md"), "./Acme.md")), "broken");
        assert_eq!(path(idx.resolve_path(at("Other/Beta.md"), "../Clients/Acme.md")), "Clients/Acme.md");
    }

    /// Markdown links look paths up in key order: every note is found, case and
    /// normalisation are folded, and of two paths that differ only in case the later wins.
    #[test]
    fn markdown_paths_in_key_order() {
        let paths = ["b/Zeta.md", "a/alpha.md", "A/Alpha.md", "c.md", "b/beta.md", "Ä.md"];
        let notes = vault(&paths);
        let idx = Index::new(&notes, &[]);
        // notes sort as [A/Alpha.md, a/alpha.md, b/Zeta.md, b/beta.md, c.md, Ä.md]
        for (i, n) in notes.iter().enumerate().skip(1) {
            assert_eq!(idx.resolve_path(0, &n.path).target, Target::Note(i), "{}", n.path);
        }
        assert_eq!(idx.resolve_path(0, "A/Alpha.md").target, Target::Note(1));
        assert_eq!(idx.resolve_path(0, "/A\u{308}.md").target, Target::Note(5));
        assert_eq!(idx.resolve_path(0, "/b/gamma.md").target, Target::Broken);
        assert_eq!(idx.resolve_path(0, "/0.md").target, Target::Broken);
        assert_eq!(idx.resolve_path(0, "/zz.md").target, Target::Broken);
    }

    /// Block ids match in any letter case, whether the link writes them in lower case
    /// (checked as written) or not (lower-cased first).
    #[test]
    fn block_anchors_ignore_letter_case() {
        let notes = vec![
            parse_note("a.md", "[[b#^key-1]] [[b#^KEY-1]] [[b#^Key-1]] [[b#^key-2]] [[b#^\u{212A}ey-1]]\n"),
            parse_note("b.md", "text ^Key-1\n"),
        ];
        let r = resolve(&notes, &[], &Index::new(&notes, &[]));
        let missing: Vec<_> = r.diagnostics.iter().map(|d| (d.code, d.column)).collect();
        assert_eq!(missing, vec![(Code::LinkAnchorMissing, 40)]);
    }

    #[test]
    fn links_into_the_same_note() {
        let notes = vec![parse_note("a.md", "# Intro\n[[#Intro]] [x](#Intro) [[#Missing]] [y](#Gone)\n")];
        let r = resolve(&notes, &[], &Index::new(&notes, &[]));
        assert_eq!(r.targets[0], vec![Target::Note(0); 4]);
        let missing: Vec<_> = r.diagnostics.iter().map(|d| (d.code, d.column)).collect();
        assert_eq!(missing, vec![(Code::LinkAnchorMissing, 24), (Code::LinkAnchorMissing, 37)]);
    }

    #[test]
    fn anchors() {
        let n = parse_note("a.md", "# Top\n## Sub: part\ntext ^blk1\n## Other\n");
        assert!(has_anchor(&n, "Top"));
        assert!(has_anchor(&n, "top#sub part"));
        assert!(has_anchor(&n, "Top#Other"));
        assert!(!has_anchor(&n, "Other#Top"));
        assert!(has_anchor(&n, "^BLK1"));
        assert!(!has_anchor(&n, "^nope"));
        assert!(!has_anchor(&n, "Missing"));
    }
}
