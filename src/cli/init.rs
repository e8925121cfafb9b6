//! `rapport init`: how rapport sees a vault, and a `rapport.toml` that describes it.
//!
//! It counts the notes each sign of a kind would take in (`type` values, tags, top-level
//! folders, `categories`-style links), in English and in Russian, reads the daily-notes
//! and template folders from `.obsidian/`, spots property names that stand for rapport's,
//! and proposes a config whose counts come from building the model with it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use rayon::prelude::*;

use super::Outcome;
use crate::config::{self, Config};
use crate::parse::{Note, parse_bytes};
use crate::resolve::key;
use crate::scan::{self, Filter};
use crate::vocab::Kind;

pub(super) const EXAMPLES: &str = "\
Examples:
  rapport --vault ~/Notes init               how rapport reads the vault, and a proposal
  rapport --vault ~/Notes init --write       save the proposal as rapport.toml (never replaces one)";

/// The usual names of each kind's notes, folders, tags and categories, English and
/// Russian (the language of this domain's practitioners), compared by [`norm`].
const NAMES: &[(Kind, &[&str])] = &[
    (Kind::Client, &["client", "clients", "customer", "customers", "клиент", "клиенты", "заказчик", "заказчики"]),
    (
        Kind::Person,
        &[
            "person",
            "people",
            "persons",
            "contact",
            "contacts",
            "человек",
            "люди",
            "контакт",
            "контакты",
            "персона",
            "персоны",
        ],
    ),
    (
        Kind::Company,
        &[
            "company",
            "companies",
            "organisation",
            "organisations",
            "organization",
            "organizations",
            "компания",
            "компании",
            "организация",
            "организации",
        ],
    ),
    (
        Kind::Interaction,
        &[
            "interaction",
            "interactions",
            "meeting",
            "meetings",
            "call",
            "calls",
            "встреча",
            "встречи",
            "звонок",
            "звонки",
            "переговоры",
            "взаимодействие",
            "взаимодействия",
        ],
    ),
    (
        Kind::Feedback,
        &[
            "feedback",
            "complaint",
            "complaints",
            "отзыв",
            "отзывы",
            "обратная связь",
            "жалоба",
            "жалобы",
            "обращение",
            "обращения",
        ],
    ),
];

/// Properties whose values name a note's kind, `categories`-style (`[[People]]`).
const KIND_PROPERTIES: &[&str] = &["categories", "category", "type", "kind", "категории", "категория", "тип"];

/// Property names that stand for rapport's: (theirs, rapport's).
const ALIASES: &[(&str, &str)] = &[
    ("org", "company"),
    ("organization", "company"),
    ("organisation", "company"),
    ("компания", "company"),
    ("организация", "company"),
    ("people", "with"),
    ("attendees", "with"),
    ("participants", "with"),
    ("участники", "with"),
    ("created", "date"),
    ("дата", "date"),
    ("клиент", "client"),
    ("customer", "client"),
];

/// Every property name rapport knows, its own and the usual aliases (for the nearest
/// known key of a typo).
pub(super) fn property_names() -> Vec<&'static str> {
    let mut v: Vec<&str> = crate::vocab::PROPERTIES.iter().copied().chain(ALIASES.iter().map(|(a, _)| *a)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A kind's word, as `type` and the config write it.
fn word(k: Kind) -> &'static str {
    match k {
        Kind::Client => "client",
        Kind::Person => "person",
        Kind::Company => "company",
        Kind::Interaction => "interaction",
        Kind::Feedback => "feedback",
    }
}

/// A name compared case-insensitively, without spaces, dashes and underscores.
fn norm(s: &str) -> String {
    key(s.trim()).chars().filter(|c| !matches!(c, ' ' | '-' | '_')).collect()
}

/// The kind a folder, tag or category name usually stands for.
fn kind_named(name: &str) -> Option<Kind> {
    let n = norm(name);
    NAMES.iter().find(|(_, names)| names.iter().any(|w| norm(w) == n)).map(|(k, _)| *k)
}

/// One sign of a kind found in the vault, and how many notes carry it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Sign {
    /// `type: client`, which rapport reads without config.
    Type,
    Folder(String),
    Tag(String),
    /// A property value: (property, value as written).
    Value(String, String),
}

impl Sign {
    fn describe(&self) -> String {
        match self {
            Sign::Type => "`type`".to_owned(),
            Sign::Folder(f) => format!("folder {f}/"),
            Sign::Tag(t) => format!("tag #{t}"),
            Sign::Value(p, v) => format!("`{p}: {v}`"),
        }
    }
}

/// What the vault holds, as far as `init` is concerned.
#[derive(Default)]
struct Survey {
    signs: BTreeMap<Kind, BTreeMap<Sign, usize>>,
    /// Notes per property name.
    properties: BTreeMap<String, usize>,
    cyrillic_names: usize,
}

fn survey(notes: &[Note]) -> Survey {
    let mut s = Survey::default();
    for note in notes {
        let mut add = |kind: Kind, sign: Sign| *s.signs.entry(kind).or_default().entry(sign).or_default() += 1;
        if let Some((top, _)) = note.path.split_once('/') {
            if let Some(k) = kind_named(top) {
                add(k, Sign::Folder(top.to_owned()));
            }
        }
        for tag in &note.tags {
            // `#client` and `#client/key` are read without config.
            let first = tag.split('/').next().unwrap_or(tag);
            if first.parse::<Kind>().is_ok() {
                continue;
            }
            let last = tag.rsplit('/').next().unwrap_or(tag);
            if let Some(k) = kind_named(last) {
                add(k, Sign::Tag(tag.to_string()));
            }
        }
        for p in &note.props {
            *s.properties.entry(p.key.to_string()).or_default() += 1;
            if !KIND_PROPERTIES.contains(&p.key.as_str()) {
                continue;
            }
            for v in p.value.texts() {
                if p.key == "type" {
                    if let Ok(k) = v.parse::<Kind>() {
                        add(k, Sign::Type);
                        continue;
                    }
                }
                let inner = v.trim().trim_start_matches("[[").trim_end_matches("]]");
                let name = inner.split('|').next().unwrap_or(inner);
                let name = name.rsplit('/').next().unwrap_or(name);
                if let Some(k) = kind_named(name) {
                    add(k, Sign::Value(p.key.to_string(), v.trim().to_owned()));
                }
            }
        }
        if note.name().chars().any(|c| ('\u{400}'..='\u{4FF}').contains(&c)) {
            s.cyrillic_names += 1;
        }
    }
    s
}

/// The proposed config's text: active lines for the signs rapport needs, commented
/// lines (with counts) for the others.
fn proposal(s: &Survey, notes: usize, settings: &str) -> String {
    let mut kinds: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut comments: Vec<String> = Vec::new();
    let mut notes_on: Vec<String> = Vec::new();
    for (kind, signs) in &s.signs {
        let kind = word(*kind);
        let typed = signs.get(&Sign::Type).copied().unwrap_or(0);
        for (sign, n) in signs {
            let (table, entry) = match sign {
                Sign::Type => continue,
                Sign::Folder(f) => ("folders", format!("{} = \"{kind}\"", toml_key(f))),
                Sign::Tag(t) => ("tags", format!("{} = \"{kind}\"", toml_key(t))),
                Sign::Value(p, v) => (p.as_str(), format!("{} = \"{kind}\"", toml_key(v))),
            };
            if typed > 0 {
                // The vault already says `type: <kind>`: other signs are shown, not used.
                comments.push(format!(
                    "# {table} = {{ {entry} }}   # {}; this vault marks {kind} notes with `type: {kind}` ({typed})",
                    notes_count(*n)
                ));
            } else {
                kinds.entry(table).or_default().push(entry);
                notes_on.push(format!("{} ({n})", sign.describe()));
            }
        }
    }
    let mut aliases = Vec::new();
    for (theirs, ours) in ALIASES {
        let n = s.properties.get(*theirs).copied().unwrap_or(0);
        if n > 0 && !s.properties.contains_key(*ours) {
            aliases.push(format!("{} = \"{ours}\"   # {}", toml_key(theirs), notes_count(n)));
        }
    }
    let mut t = String::new();
    t.push_str("# rapport.toml, proposed by `rapport init`. Every key is optional; the README lists them all.\n");
    t.push_str(settings);
    t.push_str("\noutput_dir = \"CRM\"          # where rapport writes; it holds only rapport's notes\n");
    let lang = if s.cyrillic_names * 2 > notes { "ru" } else { "en" };
    let _ = writeln!(t, "lang = \"{lang}\"                # language of the generated notes and the terminal");
    t.push_str("# ignore = [\"Archive/**\"]   # notes left out of the model (links to them still resolve)\n");
    t.push_str("\n[kinds]                      # what makes a note a client, person, company, interaction, feedback\n");
    for (table, entries) in &kinds {
        let _ = writeln!(t, "{} = {{ {} }}", toml_key(table), entries.join(", "));
    }
    for c in &comments {
        t.push_str(c);
        t.push('\n');
    }
    t.push_str("\n[properties]                 # your property names for rapport's\n");
    for a in &aliases {
        t.push_str(a);
        t.push('\n');
    }
    if !notes_on.is_empty() {
        let _ = write!(t, "\n# Kinds from: {}.\n", notes_on.join(", "));
    }
    t
}

fn notes_count(n: usize) -> String {
    if n == 1 { "1 note".to_owned() } else { format!("{n} notes") }
}

/// A TOML key, quoted when it is not a bare key.
fn toml_key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_owned()
    } else {
        format!("\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Runs `rapport init`: prints the survey and the proposal; `--write` writes it when the
/// vault has no `rapport.toml` yet.
pub(super) fn run(dir: &Path, write: bool) -> Outcome {
    for w in super::preflight::warnings(dir, &Config::default()) {
        super::tell(&format!("{w}\n"));
    }
    let mut base = Config::default();
    config::complete(dir, &mut base);
    let (paths, files) = scan::walk(dir, &Filter::new(&base))?;
    let notes: Vec<Note> = paths
        .par_iter()
        .filter_map(|(rel, path)| std::fs::read(path).ok().map(|bytes| parse_bytes(rel, &bytes)))
        .collect();
    let s = survey(&notes);

    let mut settings = String::new();
    let mut out = format!("rapport init: how rapport reads {}\n\n", dir.display());
    let others = if files.len() == 1 { "1 other file".to_owned() } else { format!("{} other files", files.len()) };
    let _ = writeln!(out, "  {}, {others}", notes_count(notes.len()));
    match (&base.daily_notes.folder, &base.daily_notes.format) {
        (None, None) => out.push_str("  daily notes: any note named YYYY-MM-DD (no .obsidian/daily-notes.json)\n"),
        (folder, format) => {
            let _ = writeln!(
                out,
                "  daily notes: {}/, named {} (from .obsidian/daily-notes.json)",
                folder.as_deref().unwrap_or(""),
                format.as_deref().unwrap_or("YYYY-MM-DD")
            );
            settings.push_str("# Daily notes and template folders come from .obsidian/ settings.\n");
        }
    }
    if base.template_folders.is_empty() {
        out.push_str("  templates: no template folder in .obsidian/ settings\n");
    } else {
        let _ = writeln!(
            out,
            "  templates: {} (from .obsidian/ settings), left out of the model and the checks",
            base.template_folders.iter().map(|f| format!("{f}/")).collect::<Vec<_>>().join(", ")
        );
    }
    out.push_str("\nNotes per candidate kind:\n");
    if s.signs.is_empty() {
        out.push_str("  (no `type` values, tags, top-level folders or categories that name a kind)\n");
    }
    for (kind, signs) in &s.signs {
        let list: Vec<String> = signs.iter().map(|(sign, n)| format!("{n} by {}", sign.describe())).collect();
        let _ = writeln!(out, "  {:<12} {}", word(*kind), list.join(" · "));
    }
    let looks: Vec<String> = ALIASES
        .iter()
        .map(|(a, _)| *a)
        .chain(["company", "with", "date", "client"])
        .filter_map(|p| s.properties.get(p).map(|n| format!("{p} ({n})")))
        .collect();
    if !looks.is_empty() {
        let _ = writeln!(out, "\nProperties that look like rapport's: {}", looks.join(", "));
    }

    let text = proposal(&s, notes.len(), &settings);
    let mut proposed = config::parse(&text, config::FILE_NAME).map_err(crate::Error::Config)?;
    config::complete(dir, &mut proposed);
    let vault = crate::Vault::build(dir, proposed, notes, files);
    let g = &vault.graph;
    let lang = crate::vocab::Lang::En;
    use crate::render::i18n::{Noun, count};
    let counts = format!(
        "{}, {} {}, {}",
        count(lang, g.clients.len() as i64, Noun::Client),
        g.people.len(),
        if g.people.len() == 1 { "person" } else { "people" },
        count(lang, g.interactions.len() as i64, Noun::Interaction),
    );
    let _ = writeln!(out, "\nProposed {} ({counts} with it):\n", config::FILE_NAME);
    out.push_str(&text);
    super::print(&out)?;

    let target = dir.join(config::FILE_NAME);
    if !write {
        super::tell("rapport: run `rapport init --write` to save it as rapport.toml\n");
        return Ok(0);
    }
    if target.exists() {
        super::tell(&format!("rapport: {} already exists; not overwritten\n", target.display()));
        return Ok(1);
    }
    crate::write::create_new(&target, text.as_bytes())?;
    super::tell(&format!("rapport: wrote {}\n", target.display()));
    Ok(0)
}

#[cfg(test)]
mod tests {
    /// The README lists every property the model reads, and every alias `init` knows.
    #[test]
    fn readme_lists_every_property_and_alias() {
        let readme = include_str!("../../README.md");
        for name in crate::vocab::PROPERTIES.iter().chain(super::ALIASES.iter().map(|(a, _)| a)) {
            assert!(readme.contains(&format!("`{name}`")), "README does not list `{name}`");
        }
    }

    #[test]
    fn usual_names_name_their_kinds() {
        use crate::vocab::Kind;
        for (name, kind) in [
            ("Clients", Kind::Client),
            ("Клиенты", Kind::Client),
            ("Contacts", Kind::Person),
            ("Люди", Kind::Person),
            ("Компании", Kind::Company),
            ("Calls", Kind::Interaction),
            ("Звонки", Kind::Interaction),
            ("Обратная связь", Kind::Feedback),
            ("обратная-связь", Kind::Feedback),
            ("Отзывы", Kind::Feedback),
        ] {
            assert_eq!(super::kind_named(name), Some(kind), "{name}");
        }
        assert_eq!(super::kind_named("Projects"), None);
    }
}
