//! Config: optional `rapport.toml` at the vault root → [`Config`], with defaults.
//!
//! Every key has a default; a bad value is an error naming its line, and an unknown key
//! is a warning naming its line and the nearest known key (a typo must not pass in
//! silence, nor stop a vault that a newer rapport's config describes).

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use serde::Deserialize;
use serde::de::Error as _;

use crate::diagnostics::{Code, Severity};
use crate::vocab::{Cadence, Kind, Lang};

/// The config file's name at the vault root.
pub(crate) const FILE_NAME: &str = "rapport.toml";

/// Default cadences by tier, and after a project ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CadenceDefaults {
    pub key: Cadence,
    pub supporting: Cadence,
    pub after_project: Cadence,
}

/// Where daily notes live and how they are named (moment.js format).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DailyNotes {
    pub folder: Option<String>,
    pub format: Option<String>,
}

/// Mappings from tags, folders and property values to note kinds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Kinds {
    /// Lower-cased tag without `#` → kind (`crm/client` = client).
    pub tags: BTreeMap<String, Kind>,
    /// Folder relative to the vault, without trailing `/` → kind.
    pub folders: BTreeMap<String, Kind>,
    /// Lower-cased property name → (value as written → kind).
    pub properties: BTreeMap<String, BTreeMap<String, Kind>>,
}

/// The validated configuration every stage reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub output_dir: String,
    pub lang: Lang,
    pub soon_days: u32,
    pub feedback_sla_days: u32,
    pub cadence: CadenceDefaults,
    pub daily_notes: DailyNotes,
    pub kinds: Kinds,
    /// Lower-cased alias → canonical property name (`people` → `with`).
    pub properties: BTreeMap<String, String>,
    pub ignore: Vec<String>,
    /// Per-code severity; `None` turns the code off.
    pub severity: BTreeMap<Code, Option<Severity>>,
    /// Which outputs beyond the two notes are written.
    pub outputs: Outputs,
    /// Leave the template folders of Obsidian's Templates and Templater plugins out of
    /// the model and the checks (`skip_templates`, default true).
    pub skip_templates: bool,
    /// Those folders, from `.obsidian/` settings, when skipped (vault-relative).
    pub template_folders: Vec<String>,
    /// Unknown keys and values that may be typos, as `rapport.toml:LINE:COL: …`.
    pub warnings: Vec<String>,
}

/// The `[outputs]` table: which files beyond the two notes are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outputs {
    /// A card per client, in a folder of the output folder.
    pub cards: bool,
    /// A Bases file over the cards (only with cards).
    pub base: bool,
    /// A JSON Canvas map of clients, people and companies.
    pub canvas: bool,
    /// Past this many clients the canvas shows key clients only (at most this many).
    pub canvas_limit: usize,
    /// Where to keep an iCalendar feed of the reminders, as written in the config:
    /// relative to the vault, absolute, or from the home folder (`~/`). It may lie
    /// outside the vault: the user named it.
    pub ics: Option<String>,
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs { cards: true, base: true, canvas: true, canvas_limit: 300, ics: None }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            output_dir: "CRM".into(),
            lang: Lang::En,
            soon_days: 7,
            feedback_sla_days: 2,
            cadence: CadenceDefaults {
                key: Cadence::days(14),
                supporting: Cadence::days(60),
                after_project: Cadence::days(90),
            },
            daily_notes: DailyNotes::default(),
            kinds: Kinds::default(),
            properties: BTreeMap::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            outputs: Outputs::default(),
            skip_templates: true,
            template_folders: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

impl Config {
    /// The severity a code has under this config, or `None` when it is turned off.
    pub fn severity_of(&self, code: Code) -> Option<Severity> {
        self.severity.get(&code).copied().unwrap_or(Some(code.default_severity()))
    }
}

/// A config that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid { path: String, line: usize, column: usize, message: String },
}

// The file's shape. Parsed, then validated into `Config`; keys it does not name are
// collected as warnings.
#[derive(Deserialize, Default)]
struct Raw {
    output_dir: Option<String>,
    lang: Option<Parsed<Lang>>,
    soon_days: Option<u32>,
    feedback_sla_days: Option<u32>,
    cadence: Option<RawCadence>,
    daily_notes: Option<RawDaily>,
    kinds: Option<BTreeMap<String, BTreeMap<String, Parsed<Kind>>>>,
    properties: Option<BTreeMap<String, String>>,
    ignore: Option<Vec<String>>,
    severity: Option<BTreeMap<String, Parsed<SeverityValue>>>,
    skip_templates: Option<bool>,
    outputs: Option<RawOutputs>,
}

#[derive(Deserialize, Default)]
struct RawOutputs {
    ics: Option<String>,
    cards: Option<bool>,
    base: Option<bool>,
    canvas: Option<bool>,
    canvas_limit: Option<usize>,
}

/// The keys of each table, for unknown-key warnings.
const TOP_KEYS: &[&str] = &[
    "output_dir",
    "lang",
    "soon_days",
    "feedback_sla_days",
    "cadence",
    "daily_notes",
    "kinds",
    "properties",
    "ignore",
    "severity",
    "skip_templates",
    "outputs",
];
const CADENCE_KEYS: &[&str] = &["key", "supporting", "after_project"];
const DAILY_KEYS: &[&str] = &["folder", "format"];
const OUTPUTS_KEYS: &[&str] = &["ics", "cards", "base", "canvas", "canvas_limit"];
/// `[kinds]` holds these two, and property names (checked against the vault).
pub(crate) const KINDS_KEYS: &[&str] = &["tags", "folders"];

#[derive(Deserialize, Default)]
struct RawCadence {
    key: Option<Parsed<Cadence>>,
    supporting: Option<Parsed<Cadence>>,
    after_project: Option<Parsed<Cadence>>,
}

#[derive(Deserialize, Default)]
struct RawDaily {
    folder: Option<String>,
    format: Option<String>,
}

/// A string value parsed through `FromStr`, so that toml reports a bad one at its line.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Parsed<T>(T);

impl<'de, T: FromStr> Deserialize<'de> for Parsed<T>
where
    T::Err: std::fmt::Display,
{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map(Parsed).map_err(D::Error::custom)
    }
}

struct SeverityValue(Option<Severity>);
impl FromStr for SeverityValue {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "off" => Ok(SeverityValue(None)),
            other => other
                .parse()
                .map(|s| SeverityValue(Some(s)))
                .map_err(|_| format!("unknown severity `{s}`; expected `error`, `warning` or `off`")),
        }
    }
}

/// Reads `rapport.toml` from the vault root; defaults when there is none.
pub fn load(vault: &Path) -> Result<Config, ConfigError> {
    let path = vault.join(FILE_NAME);
    let mut config = match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text, FILE_NAME)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
        Err(source) => return Err(ConfigError::Io { path: path.display().to_string(), source }),
    };
    // An absolute output folder inside the vault is the same as its relative path;
    // one elsewhere stays absolute, and writing refuses it.
    let out = Path::new(&config.output_dir);
    if out.is_absolute() {
        let abs = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
        let roots = [vault.canonicalize().ok(), Some(vault.to_path_buf())];
        let rel =
            roots.iter().flatten().find_map(|root| abs.strip_prefix(root).ok().or_else(|| out.strip_prefix(root).ok()));
        if let Some(rel) = rel.filter(|r| !r.as_os_str().is_empty()) {
            config.output_dir = normalize_dir(&rel.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/"));
        }
    }
    complete(vault, &mut config);
    Ok(config)
}

/// Fills in what the vault's own `.obsidian/` settings say and the config leaves open:
/// the daily-notes folder and format, and the template folders to skip.
pub(crate) fn complete(vault: &Path, config: &mut Config) {
    if let Some((folder, format)) = obsidian_daily_notes(vault) {
        config.daily_notes.folder = config.daily_notes.folder.take().or(folder);
        config.daily_notes.format = config.daily_notes.format.take().or(format);
    }
    if config.skip_templates {
        config.template_folders = template_folders(vault);
    }
}

/// Line and column of `key` in `[table]` of the vault's `rapport.toml` ((1, 1) when
/// it cannot be found).
pub(crate) fn locate_in_file(vault: &Path, table: &str, key: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(vault.join(FILE_NAME)).unwrap_or_default();
    locate(&text, &[table.to_owned()], key)
}

/// Obsidian's settings files that name template folders: the core Templates plugin's
/// and Templater's.
pub(crate) const TEMPLATE_SETTINGS: [&str; 2] =
    [".obsidian/templates.json", ".obsidian/plugins/templater-obsidian/data.json"];

/// The template folders named in `.obsidian/` settings, vault-relative, sorted.
pub(crate) fn template_folders(vault: &Path) -> Vec<String> {
    let mut out: Vec<String> = TEMPLATE_SETTINGS
        .iter()
        .zip(["folder", "templates_folder"])
        .filter_map(|(file, key)| {
            let text = std::fs::read_to_string(vault.join(file)).ok()?;
            let json: serde_json::Value = serde_json::from_str(&text).ok()?;
            let folder = json.get(key)?.as_str()?.trim().trim_matches('/');
            // "/" or "" would be the whole vault: not a template folder.
            (!folder.is_empty()).then(|| folder.to_owned())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Folder and format from `.obsidian/daily-notes.json`, when it exists and parses.
fn obsidian_daily_notes(vault: &Path) -> Option<(Option<String>, Option<String>)> {
    #[derive(Deserialize)]
    struct DailyJson {
        folder: Option<String>,
        format: Option<String>,
    }
    let text = std::fs::read_to_string(vault.join(".obsidian").join("daily-notes.json")).ok()?;
    let d: DailyJson = serde_json::from_str(&text).ok()?;
    let nonempty = |s: Option<String>| s.map(|s| s.trim().trim_matches('/').to_owned()).filter(|s| !s.is_empty());
    Some((nonempty(d.folder), nonempty(d.format)))
}

/// Parses config text; `path` names the file in errors.
pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
    let mut unknown: Vec<Vec<String>> = Vec::new();
    let raw: Raw = serde_ignored::deserialize(toml::Deserializer::new(text), |at| {
        unknown.push(key_path(&at));
    })
    .map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        ConfigError::Invalid { path: path.into(), line, column, message: e.message().trim().to_owned() }
    })?;
    let mut c = Config::default();
    for at in unknown {
        let Some((key, tables)) = at.split_last() else { continue };
        let known = match tables {
            [] => TOP_KEYS,
            [t] if t == "cadence" => CADENCE_KEYS,
            [t] if t == "daily_notes" => DAILY_KEYS,
            [t] if t == "outputs" => OUTPUTS_KEYS,
            _ => &[],
        };
        c.warnings.push(warning(text, path, tables, key, &format!("unknown key `{key}`"), known));
    }
    c.skip_templates = raw.skip_templates.unwrap_or(true);
    if let Some(dir) = raw.output_dir {
        c.output_dir = normalize_dir(&dir);
        if c.output_dir.is_empty() {
            let (line, column) = find_key(text, "output_dir");
            return Err(ConfigError::Invalid {
                path: path.into(),
                line,
                column,
                message: "output_dir must name a folder".into(),
            });
        }
    }
    if let Some(Parsed(l)) = raw.lang {
        c.lang = l;
    }
    c.soon_days = raw.soon_days.unwrap_or(c.soon_days);
    c.feedback_sla_days = raw.feedback_sla_days.unwrap_or(c.feedback_sla_days);
    if let Some(cad) = raw.cadence {
        c.cadence.key = cad.key.map_or(c.cadence.key, |p| p.0);
        c.cadence.supporting = cad.supporting.map_or(c.cadence.supporting, |p| p.0);
        c.cadence.after_project = cad.after_project.map_or(c.cadence.after_project, |p| p.0);
    }
    if let Some(d) = raw.daily_notes {
        c.daily_notes = DailyNotes { folder: d.folder.map(|f| f.trim_matches('/').to_owned()), format: d.format };
    }
    for (group, map) in raw.kinds.unwrap_or_default() {
        let map = map.into_iter().map(|(k, v)| (k, v.0));
        match group.as_str() {
            "tags" => c.kinds.tags = map.map(|(k, v)| (k.trim_start_matches('#').to_lowercase(), v)).collect(),
            "folders" => c.kinds.folders = map.map(|(k, v)| (k.trim_matches('/').to_owned(), v)).collect(),
            prop => {
                c.kinds.properties.insert(prop.to_lowercase(), map.collect());
            }
        }
    }
    c.properties =
        raw.properties.unwrap_or_default().into_iter().map(|(k, v)| (k.to_lowercase(), v.to_lowercase())).collect();
    for (alias, name) in &c.properties {
        if !crate::vocab::PROPERTIES.contains(&name.as_str()) {
            let msg = format!("`{alias} = \"{name}\"`: rapport reads no property `{name}`");
            let tables = ["properties".to_owned()];
            c.warnings.push(warning_on(text, path, &tables, alias, &msg, name, crate::vocab::PROPERTIES));
        }
    }
    for group in c.kinds.properties.keys().filter(|k| nearest(k, KINDS_KEYS).is_some_and(|(_, d)| d <= 2)) {
        let msg = format!("`{group}` is read as a property name");
        c.warnings.push(warning(text, path, &["kinds".into()], group, &msg, KINDS_KEYS));
    }
    c.ignore = raw.ignore.unwrap_or_default();
    for g in &c.ignore {
        if let Err(e) = globset::Glob::new(g) {
            let (line, column) = find_key(text, "ignore");
            return Err(ConfigError::Invalid {
                path: path.into(),
                line,
                column,
                message: format!("bad ignore glob `{g}`: {e}"),
            });
        }
    }
    for (code, Parsed(SeverityValue(sev))) in raw.severity.unwrap_or_default() {
        match code.parse::<Code>() {
            Ok(code) => {
                c.severity.insert(code, sev);
            }
            Err(_) => {
                let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
                let msg = format!("unknown check code `{code}`");
                c.warnings.push(warning(text, path, &["severity".into()], &code, &msg, &codes));
            }
        }
    }
    if let Some(o) = raw.outputs {
        if o.ics.as_deref().is_some_and(|p| p.trim().is_empty()) {
            let (line, column) = find_key(text, "ics");
            return Err(ConfigError::Invalid {
                path: path.into(),
                line,
                column,
                message: "`ics` must name a file, e.g. `~/Calendars/clients.ics`".into(),
            });
        }
        let d = Outputs::default();
        c.outputs = Outputs {
            cards: o.cards.unwrap_or(d.cards),
            base: o.base.unwrap_or(d.base),
            canvas: o.canvas.unwrap_or(d.canvas),
            canvas_limit: o.canvas_limit.unwrap_or(d.canvas_limit),
            ics: o.ics,
        };
    }
    Ok(c)
}

/// The one spelling of a folder path that every stage compares against: `/` between
/// parts, no empty or `.` part, no trailing `/` (`./CRM//Sub/./` is `CRM/Sub`), so the
/// scan recognises the output folder however the config spells it. A leading `/` and
/// `..` parts are kept as written: writing refuses a folder outside the vault.
pub(crate) fn normalize_dir(dir: &str) -> String {
    let parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let joined = parts.join("/");
    if dir.starts_with('/') { format!("/{joined}") } else { joined }
}

/// A `serde_ignored` path as its table names and key.
fn key_path(at: &serde_ignored::Path<'_>) -> Vec<String> {
    use serde_ignored::Path as P;
    match at {
        P::Root => Vec::new(),
        P::Map { parent, key } => {
            let mut v = key_path(parent);
            v.push(key.clone());
            v
        }
        P::Seq { parent, .. } | P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            key_path(parent)
        }
    }
}

/// The known key nearest to `key` by edit distance, with the distance.
pub(crate) fn nearest<'a>(key: &str, known: &[&'a str]) -> Option<(&'a str, usize)> {
    known.iter().map(|k| (*k, strsim::levenshtein(&key.to_lowercase(), k))).min_by_key(|&(k, d)| (d, k))
}

/// A warning about `key` in `tables`, at its line, naming the nearest of `known`.
fn warning(text: &str, path: &str, tables: &[String], key: &str, what: &str, known: &[&str]) -> String {
    warning_on(text, path, tables, key, what, key, known)
}

/// [`warning`] about a value: `probe` is what is compared with `known`.
fn warning_on(text: &str, path: &str, tables: &[String], key: &str, what: &str, probe: &str, known: &[&str]) -> String {
    let (line, column) = locate(text, tables, key);
    let table = if tables.is_empty() { String::new() } else { format!(" in [{}]", tables.join(".")) };
    let hint = nearest(probe, known).map_or(String::new(), |(k, _)| format!("; the nearest known key is `{k}`"));
    format!("{path}:{line}:{column}: warning: {what}{table}{hint}")
}

/// Line and column of `key` in `[tables]` (or a dotted or inline form of it).
fn locate(text: &str, tables: &[String], key: &str) -> (usize, usize) {
    let header = format!("[{}]", tables.join("."));
    let mut in_table = tables.is_empty();
    let mut first = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_table = !tables.is_empty() && t.starts_with(&header);
            continue;
        }
        let bare = t.trim_start_matches(['"', '\'']);
        let col = line.len() - t.len() + 1;
        if bare.starts_with(key)
            && bare[key.len()..].trim_start_matches(['"', '\'']).trim_start().starts_with(['=', '.'])
        {
            if in_table {
                return (i + 1, col);
            }
            first.get_or_insert((i + 1, col));
        }
    }
    first.unwrap_or((1, 1))
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn find_key(text: &str, key: &str) -> (usize, usize) {
    text.lines().position(|l| l.trim_start().starts_with(key)).map_or((1, 1), |i| (i + 1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_file() {
        let c = parse("", "rapport.toml").unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.output_dir, "CRM");
        assert_eq!(c.cadence.key, Cadence::days(14));
    }

    #[test]
    fn full_config() {
        let text = r##"
output_dir = "Reports/CRM/"
lang = "ru"
soon_days = 5
feedback_sla_days = 1
ignore = ["Templates/**"]
[cadence]
key = "2w"
supporting = "monthly"
after_project = "P90D"
[daily_notes]
folder = "Journal"
format = "YYYY/MM/YYYY-MM-DD"
[kinds]
categories = { "[[People]]" = "person", "[[Meetings]]" = "interaction" }
tags = { "#crm/client" = "client" }
folders = { "Clients/" = "client" }
[properties]
people = "with"
Org = "company"
[severity]
link-ambiguous = "off"
contact-overdue = "error"
[outputs]
canvas = false
canvas_limit = 50
"##;
        let c = parse(text, "rapport.toml").unwrap();
        assert_eq!(c.output_dir, "Reports/CRM");
        assert_eq!(c.lang, Lang::Ru);
        assert_eq!(c.cadence.supporting, Cadence::months(1));
        assert_eq!(c.kinds.properties["categories"]["[[People]]"], Kind::Person);
        assert_eq!(c.kinds.tags["crm/client"], Kind::Client);
        assert_eq!(c.kinds.folders["Clients"], Kind::Client);
        assert_eq!(c.properties["org"], "company");
        assert_eq!(c.severity_of(Code::LinkAmbiguous), None);
        assert_eq!(c.severity_of(Code::ContactOverdue), Some(Severity::Error));
        assert_eq!(c.severity_of(Code::LinkBroken), Some(Severity::Warning));
        assert_eq!(c.daily_notes.folder.as_deref(), Some("Journal"));
        assert_eq!(c.outputs, Outputs { cards: true, base: true, canvas: false, canvas_limit: 50, ics: None });
    }

    /// A key rapport does not know, in any table, is a warning at its line that names
    /// the nearest known key; the rest of the file still counts.
    #[test]
    fn unknown_keys_are_warnings_naming_the_nearest_key() {
        let text = "soon_days = 3\nson_days = 2\n[cadence]\nkeys = \"2w\"\n[daily_notes]\nfolders = \"J\"\n\
                    [kinds]\nfolder = { \"Clients\" = \"client\" }\n[properties]\npeople = \"whith\"\n\
                    [severity]\nlink-broke = \"off\"\n";
        let c = parse(text, "rapport.toml").unwrap();
        assert_eq!(c.soon_days, 3);
        assert_eq!(
            c.warnings,
            [
                "rapport.toml:2:1: warning: unknown key `son_days`; the nearest known key is `soon_days`",
                "rapport.toml:4:1: warning: unknown key `keys` in [cadence]; the nearest known key is `key`",
                "rapport.toml:6:1: warning: unknown key `folders` in [daily_notes]; the nearest known key is `folder`",
                "rapport.toml:10:1: warning: `people = \"whith\"`: rapport reads no property `whith` in [properties]; \
                 the nearest known key is `with`",
                "rapport.toml:8:1: warning: `folder` is read as a property name in [kinds]; the nearest known key is `folders`",
                "rapport.toml:12:1: warning: unknown check code `link-broke` in [severity]; the nearest known key is `link-broken`",
            ]
        );
        assert_eq!(
            parse("soon_days = 3\n[cadence]\nkey = \"2w\"\n", "rapport.toml").unwrap().warnings,
            Vec::<String>::new()
        );
    }

    #[test]
    fn output_dir_has_one_spelling() {
        for (written, normal) in [
            ("CRM//Sub", "CRM/Sub"),
            ("CRM/./Sub", "CRM/Sub"),
            ("./CRM/Sub/", "CRM/Sub"),
            ("CRM/Sub//", "CRM/Sub"),
            ("./../x", "../x"),
            ("/abs//dir/", "/abs/dir"),
        ] {
            let c = parse(&format!("output_dir = \"{written}\"\n"), "rapport.toml").unwrap();
            assert_eq!(c.output_dir, normal, "{written}");
        }
        for empty in [".", "./", ".//."] {
            assert!(parse(&format!("output_dir = \"{empty}\"\n"), "rapport.toml").is_err(), "{empty}");
        }
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("[cadence]\nkey = \"sometimes\"\n", 2, "not a cadence"),
            ("lang = \"fr\"\n", 1, "unknown lang"),
            ("[kinds]\ncategories = { \"[[X]]\" = \"widget\" }\n", 2, "widget"),
            ("[severity]\nlink-broken = \"loud\"\n", 2, "unknown severity"),
            ("soon_days = -1\n", 1, ""),
            ("ignore = [\"a[\"]\n", 1, "bad ignore glob"),
            ("[outputs]\ncards = \"yes\"\n", 2, "invalid type"),
        ];
        for (text, want_line, want_msg) in cases {
            match parse(text, "rapport.toml") {
                Err(ConfigError::Invalid { line, message, .. }) => {
                    assert_eq!(line, want_line, "{text}: {message}");
                    assert!(message.contains(want_msg), "{text}: {message}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    /// The README's `rapport.toml` example shows every key rapport reads, from the same
    /// tables that name unknown keys, and raises no warning.
    #[test]
    fn readme_example_shows_every_key() {
        let readme = include_str!("../README.md");
        let section = readme.split_once("## Your vault").expect("the config section").1;
        let example = section.split_once("```toml\n").expect("a toml block").1.split_once("```").unwrap().0;
        let c = parse(example, "README.md").expect("the example parses");
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        // The keys set in each table of the example ("" for the top level).
        let mut set: Vec<(String, String)> = Vec::new();
        let mut table = String::new();
        for line in example.lines().map(str::trim) {
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
                table = name.to_owned();
                set.push((String::new(), table.clone()));
            } else if let Some((key, _)) = line.split_once('=') {
                set.push((table.clone(), key.trim().to_owned()));
            }
        }
        let tables =
            [("", TOP_KEYS), ("cadence", CADENCE_KEYS), ("daily_notes", DAILY_KEYS), ("outputs", OUTPUTS_KEYS)];
        for (name, keys) in tables.into_iter().chain([("kinds", KINDS_KEYS)]) {
            for key in keys {
                assert!(set.contains(&(name.to_owned(), (*key).to_owned())), "[{name}] {key} missing from the README");
            }
        }
    }
}
