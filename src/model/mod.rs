//! Model stage: parsed notes + resolved links → the client [`Graph`].
//!
//! Clients, people, companies, interactions (from interaction notes, dated log lines
//! and daily notes), feedback and next steps. The graph does not depend on `today`:
//! dates are judged later, in `metrics`.

pub mod cadence;
pub mod daily;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::{Note, Property, parse_date, wikilinks_in};
use crate::resolve::{Index, Resolved, Target, key};
use cadence::Cadence;
use daily::DailyNotes;

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Client,
    Person,
    Company,
    Interaction,
    Feedback,
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "client" => Ok(Kind::Client),
            "person" => Ok(Kind::Person),
            "company" => Ok(Kind::Company),
            "interaction" => Ok(Kind::Interaction),
            "feedback" => Ok(Kind::Feedback),
            _ => Err(format!("unknown kind `{s}`; expected client, person, company, interaction or feedback")),
        }
    }
}

/// Declares a closed set of lower-case words parsed case-insensitively.
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const WORDS: &'static [&'static str] = &[$($word),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s.trim().to_lowercase().as_str() {
                    $($word => Ok($name::$variant),)+
                    _ => Err(()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

word_enum!(
    /// How important a client is.
    Tier { Key = "key", Supporting = "supporting" }
);
word_enum!(
    /// Where a client stands.
    Status { Active = "active", Prospect = "prospect", Paused = "paused", Former = "former" }
);
word_enum!(
    /// Ongoing work or a project with an end.
    Engagement { Ongoing = "ongoing", Project = "project" }
);
word_enum!(
    /// Who reached out.
    Initiator { Us = "us", Them = "them" }
);
word_enum!(
    /// How serious feedback is.
    FeedbackSeverity { Low = "low", Normal = "normal", High = "high" }
);
word_enum!(
    /// Where feedback stands.
    FeedbackStatus { Open = "open", Answered = "answered", Resolved = "resolved" }
);

/// The known interaction formats (free text is kept too).
pub const FORMATS: &[&str] = &["meeting", "call", "email", "chat", "message", "lunch", "event", "visit", "other"];

/// Where an interaction was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Note,
    LogLine,
    DailyNote,
    LastContact,
}

/// Index into [`Graph::clients`].
pub type ClientId = usize;
/// Index into the scanned notes.
pub type NoteId = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub note: NoteId,
    pub name: String,
    pub path: String,
    pub aliases: Vec<String>,
    pub tier: Tier,
    pub status: Status,
    /// The client's own cadence, if it sets one.
    pub cadence: Option<Cadence>,
    pub since: Option<NaiveDate>,
    pub engagement: Engagement,
    pub project_end: Option<NaiveDate>,
    pub paused_until: Option<NaiveDate>,
    pub contacts: Vec<NoteId>,
    /// The client a `referred_by` link leads to (directly or through a person).
    pub referred_by: Option<ClientId>,
    pub value: Option<f64>,
    pub satisfaction: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub note: NoteId,
    pub name: String,
    pub path: String,
    pub company: Option<NoteId>,
    pub role: Option<String>,
    pub email: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub left: Option<NaiveDate>,
    pub moved_to: Option<NoteId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub date: NaiveDate,
    pub client: ClientId,
    pub format: Option<String>,
    pub initiated_by: Option<Initiator>,
    pub source: Source,
    pub note: NoteId,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub note: NoteId,
    pub path: String,
    pub name: String,
    pub received: NaiveDate,
    pub client: Option<ClientId>,
    pub severity: FeedbackSeverity,
    pub status: FeedbackStatus,
    pub answered: Option<NaiveDate>,
    pub resolved: Option<NaiveDate>,
}

/// An open task that belongs to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStep {
    pub client: ClientId,
    pub note: NoteId,
    pub path: String,
    pub line: u32,
    pub text: String,
    pub due: Option<NaiveDate>,
    pub scheduled: Option<NaiveDate>,
}

/// The client graph of one vault.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub clients: Vec<Client>,
    pub people: Vec<Person>,
    /// Note ids of companies that are not clients.
    pub companies: Vec<NoteId>,
    /// Sorted by (client, date).
    pub interactions: Vec<Interaction>,
    pub feedback: Vec<Feedback>,
    pub next_steps: Vec<NextStep>,
}

impl Graph {
    /// The interactions of one client, in date order.
    pub fn interactions_of(&self, client: ClientId) -> &[Interaction] {
        let start = self.interactions.partition_point(|i| i.client < client);
        let end = self.interactions.partition_point(|i| i.client <= client);
        &self.interactions[start..end]
    }
}

/// Reads properties through config aliases, falling back to note-level inline fields.
struct Props<'a> {
    config: &'a Config,
}

impl Props<'_> {
    fn canonical<'k>(&'k self, key: &'k str) -> &'k str {
        self.config.properties.get(key).map_or(key, String::as_str)
    }

    fn get<'n>(&self, note: &'n Note, name: &str) -> Option<&'n Property> {
        note.props.iter().find(|p| p.key == name).or_else(|| note.props.iter().find(|p| self.canonical(&p.key) == name))
    }

    /// The property's text values, else a standalone inline field's value.
    fn texts(&self, note: &Note, name: &str) -> Option<(Vec<String>, u32)> {
        if let Some(p) = self.get(note, name) {
            return Some((p.value.texts(), p.line));
        }
        note.fields
            .iter()
            .find(|f| f.standalone && self.canonical(&f.key) == name)
            .map(|f| (vec![f.value.clone()], f.line))
    }

    fn text(&self, note: &Note, name: &str) -> Option<(String, u32)> {
        let (v, line) = self.texts(note, name)?;
        v.into_iter().map(|s| s.trim().to_owned()).find(|s| !s.is_empty()).map(|s| (s, line))
    }
}

struct Builder<'a> {
    notes: &'a [Note],
    resolved: &'a Resolved,
    index: &'a Index,
    config: &'a Config,
    props: Props<'a>,
    diags: Vec<Diagnostic>,
}

impl Builder<'_> {
    fn invalid(&mut self, note: NoteId, line: u32, msg: String) {
        self.diags.push(Diagnostic::new(Code::PropertyInvalid, &self.notes[note].path, line, 1, msg));
    }

    fn date(&mut self, note: NoteId, name: &str) -> Option<NaiveDate> {
        let (text, line) = self.props.text(&self.notes[note], name)?;
        let d = parse_date(&text);
        if d.is_none() {
            self.invalid(note, line, format!("`{name}: {text}` is not a date; write YYYY-MM-DD"));
        }
        d
    }

    fn word<T: FromStr>(&mut self, note: NoteId, name: &str, words: &[&str]) -> Option<T> {
        let (text, line) = self.props.text(&self.notes[note], name)?;
        let v = text.parse().ok();
        if v.is_none() {
            self.invalid(note, line, format!("`{name}: {text}` is not one of: {}", words.join(", ")));
        }
        v
    }

    fn number(&mut self, note: NoteId, name: &str, range: Option<(f64, f64)>) -> Option<f64> {
        let (text, line) = self.props.text(&self.notes[note], name)?;
        let cleaned: String = text.chars().filter(|c| !c.is_whitespace() && *c != '_').collect();
        match cleaned.parse::<f64>() {
            Ok(n) if n.is_finite() && range.is_none_or(|(lo, hi)| (lo..=hi).contains(&n)) => Some(n),
            _ => {
                let want = range.map_or("a number".to_owned(), |(lo, hi)| format!("a number from {lo} to {hi}"));
                self.invalid(note, line, format!("`{name}: {text}` is not {want}"));
                None
            }
        }
    }

    /// The notes a link property leads to: its frontmatter links, or links in an inline field.
    fn links(&self, note: NoteId, name: &str) -> Vec<NoteId> {
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
                    if let Target::Note(i) = self.index.resolve_name(note, &target).target {
                        out.push(i);
                    }
                }
            }
        }
        out
    }

    fn kind(&self, note: &Note) -> Option<Kind> {
        let kinds = &self.config.kinds;
        if let Some((values, _)) = self.props.texts(note, "type") {
            if let Some(k) = values.iter().find_map(|v| v.parse().ok()) {
                return Some(k);
            }
        }
        for t in &note.tags {
            if let Some(k) = kinds.tags.get(t) {
                return Some(*k);
            }
            let root = t.split('/').next().unwrap_or(t);
            if let Ok(k) = root.parse() {
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

/// Builds the graph from parsed notes and their resolved links.
pub fn build_graph(notes: &[Note], resolved: &Resolved, index: &Index, config: &Config) -> (Graph, Vec<Diagnostic>) {
    let mut b = Builder { notes, resolved, index, config, props: Props { config }, diags: Vec::new() };
    let kinds: Vec<Option<Kind>> = notes.iter().map(|n| b.kind(n)).collect();
    let mut g = Graph::default();
    let mut client_of: HashMap<NoteId, ClientId> = HashMap::new();
    let mut person_of: HashMap<NoteId, usize> = HashMap::new();

    // Clients first: everything else points at them.
    for (id, note) in notes.iter().enumerate() {
        if kinds[id] != Some(Kind::Client) {
            continue;
        }
        let key_tag = note.tags.iter().any(|t| t == "client/key");
        let tier = b.word(id, "tier", Tier::WORDS).unwrap_or(if key_tag { Tier::Key } else { Tier::Supporting });
        let status = b.word(id, "status", Status::WORDS).unwrap_or(Status::Active);
        let cadence = b.props.text(note, "cadence").and_then(|(text, line)| match text.parse::<Cadence>() {
            Ok(c) => Some(c),
            Err(e) => {
                b.invalid(id, line, e.to_string());
                None
            }
        });
        let client = Client {
            note: id,
            name: note.name().to_owned(),
            path: note.path.clone(),
            aliases: note.aliases.clone(),
            tier,
            status,
            cadence,
            since: b.date(id, "since"),
            engagement: b.word(id, "engagement", Engagement::WORDS).unwrap_or(Engagement::Ongoing),
            project_end: b.date(id, "project_end"),
            paused_until: b.date(id, "paused_until"),
            contacts: b.links(id, "contacts"),
            referred_by: None,
            value: b.number(id, "value", None),
            satisfaction: b.number(id, "satisfaction", Some((0.0, 10.0))),
        };
        client_of.insert(id, g.clients.len());
        g.clients.push(client);
    }
    duplicates(&g, notes, &mut b.diags);

    for (id, note) in notes.iter().enumerate() {
        match kinds[id] {
            Some(Kind::Person) => {
                let person = Person {
                    note: id,
                    name: note.name().to_owned(),
                    path: note.path.clone(),
                    company: b.links(id, "company").first().copied(),
                    role: b.props.text(note, "role").map(|t| t.0),
                    email: b.props.text(note, "email").map(|t| t.0),
                    birthday: b.date(id, "birthday"),
                    left: b.date(id, "left"),
                    moved_to: b.links(id, "moved_to").first().copied(),
                };
                person_of.insert(id, g.people.len());
                g.people.push(person);
            }
            Some(Kind::Company) => g.companies.push(id),
            _ => {}
        }
    }

    // The client a note stands for on a date: itself, or a person's company then.
    let client_for = |target: NoteId, date: Option<NaiveDate>| -> Option<ClientId> {
        if let Some(&c) = client_of.get(&target) {
            return Some(c);
        }
        let p = &g.people[*person_of.get(&target)?];
        let moved = matches!((p.left, date), (Some(left), Some(d)) if d > left);
        let company = if moved { p.moved_to } else { p.company };
        company.and_then(|c| client_of.get(&c).copied())
    };

    for client in &mut g.clients {
        client.referred_by = b.links(client.note, "referred_by").first().and_then(|&t| client_for(t, None));
    }

    let daily = DailyNotes::new(config.daily_notes.folder.as_deref(), config.daily_notes.format.as_deref());
    let mut interactions = Vec::new();
    for (id, note) in notes.iter().enumerate() {
        let targets = &resolved.targets[id];
        let linked = |date: Option<NaiveDate>, only: Option<&[usize]>| -> BTreeSet<ClientId> {
            let indices: Box<dyn Iterator<Item = usize>> = match only {
                Some(list) => Box::new(list.iter().copied()),
                None => Box::new(0..targets.len()),
            };
            indices
                .filter_map(|i| match targets.get(i) {
                    Some(Target::Note(t)) if *t != id => client_for(*t, date),
                    _ => None,
                })
                .collect()
        };
        match kinds[id] {
            Some(Kind::Interaction) => {
                let date = b.date(id, "date");
                let mut clients: BTreeSet<ClientId> = ["client", "clients", "company", "with"]
                    .iter()
                    .flat_map(|k| b.links(id, k))
                    .filter_map(|t| client_for(t, date))
                    .collect();
                if clients.is_empty() {
                    let body: Vec<usize> =
                        note.links.iter().enumerate().filter(|(_, l)| l.property.is_none()).map(|(i, _)| i).collect();
                    clients = linked(date, Some(&body));
                }
                let Some(date) = date else {
                    if b.props.text(note, "date").is_none() {
                        b.diags.push(
                            Diagnostic::new(Code::InteractionNoDate, &note.path, 1, 1, "interaction has no `date`")
                                .with_hint("add `date: YYYY-MM-DD` to its frontmatter"),
                        );
                    }
                    continue;
                };
                if clients.is_empty() {
                    b.diags.push(
                        Diagnostic::new(Code::InteractionNoClient, &note.path, 1, 1, "interaction names no client")
                            .with_hint(
                                "add `client: \"[[Client]]\"` or `with: [\"[[Person]]\"]` for a person at a client",
                            ),
                    );
                    continue;
                }
                let format = b.props.text(note, "format").map(|(f, _)| f.to_lowercase());
                let initiated_by = b.word(id, "initiated_by", Initiator::WORDS);
                for client in clients {
                    interactions.push(Interaction {
                        date,
                        client,
                        format: format.clone(),
                        initiated_by,
                        source: Source::Note,
                        note: id,
                        line: 1,
                    });
                }
            }
            Some(Kind::Client | Kind::Person) => {
                for entry in &note.log {
                    let client = client_for(id, Some(entry.date));
                    if let Some(client) = client {
                        interactions.push(Interaction {
                            date: entry.date,
                            client,
                            format: entry.format.clone(),
                            initiated_by: None,
                            source: Source::LogLine,
                            note: id,
                            line: entry.line,
                        });
                    }
                }
                if let Some(&cid) = client_of.get(&id) {
                    if let Some(date) = b.date(id, "last_contact") {
                        interactions.push(Interaction {
                            date,
                            client: cid,
                            format: None,
                            initiated_by: None,
                            source: Source::LastContact,
                            note: id,
                            line: b.props.text(note, "last_contact").map_or(1, |t| t.1),
                        });
                    }
                }
            }
            Some(Kind::Feedback) => {
                let received = b.date(id, "received");
                let client =
                    ["client", "company"].iter().flat_map(|k| b.links(id, k)).find_map(|t| client_for(t, received));
                let severity = b.word(id, "severity", FeedbackSeverity::WORDS).unwrap_or(FeedbackSeverity::Normal);
                let status = b.word(id, "status", FeedbackStatus::WORDS).unwrap_or(FeedbackStatus::Open);
                let answered = b.date(id, "answered");
                let resolved_on = b.date(id, "resolved");
                match received {
                    Some(received) => g.feedback.push(Feedback {
                        note: id,
                        path: note.path.clone(),
                        name: note.name().to_owned(),
                        received,
                        client,
                        severity,
                        status,
                        answered,
                        resolved: resolved_on,
                    }),
                    None if b.props.text(note, "received").is_none() => {
                        b.invalid(id, 1, "feedback has no `received` date".into())
                    }
                    None => {}
                }
            }
            Some(Kind::Company) | None => {}
        }
        if kinds[id].is_none() || kinds[id] == Some(Kind::Company) {
            if let Some(date) = daily.date_of(&note.path) {
                for client in linked(Some(date), None) {
                    interactions.push(Interaction {
                        date,
                        client,
                        format: None,
                        initiated_by: None,
                        source: Source::DailyNote,
                        note: id,
                        line: 1,
                    });
                }
            }
        }
    }
    interactions.sort_by(|a, b| {
        (a.client, a.date, a.source, a.note, a.line).cmp(&(b.client, b.date, b.source, b.note, b.line))
    });
    g.interactions = interactions;

    // Next steps: open tasks in a client's note, its people's notes, or linking either.
    let mut steps: BTreeMap<(ClientId, NoteId, u32), NextStep> = BTreeMap::new();
    for (id, note) in notes.iter().enumerate() {
        let own = client_for(id, None);
        for task in note.tasks.iter().filter(|t| t.is_open()) {
            let mut owners: BTreeSet<ClientId> = own.into_iter().collect();
            owners.extend(linked_clients(&resolved.targets[id], &task.links, id, &client_for));
            for client in owners {
                steps.entry((client, id, task.line)).or_insert_with(|| NextStep {
                    client,
                    note: id,
                    path: note.path.clone(),
                    line: task.line,
                    text: task.text.clone(),
                    due: task.due,
                    scheduled: task.scheduled,
                });
            }
        }
    }
    g.next_steps = steps.into_values().collect();
    (g, b.diags)
}

fn linked_clients(
    targets: &[Target],
    links: &[usize],
    from: NoteId,
    client_for: &dyn Fn(NoteId, Option<NaiveDate>) -> Option<ClientId>,
) -> Vec<ClientId> {
    links
        .iter()
        .filter_map(|&i| match targets.get(i) {
            Some(Target::Note(t)) if *t != from => client_for(*t, None),
            _ => None,
        })
        .collect()
}

/// Reports clients that share a name or alias (`client-duplicate`). An alias that
/// collides is reported at the alias (file names win in Obsidian); two clients with
/// the same file name are reported at the later path.
fn duplicates(g: &Graph, notes: &[Note], diags: &mut Vec<Diagnostic>) {
    let mut by_key: BTreeMap<String, Vec<(ClientId, Option<&str>)>> = BTreeMap::new();
    for (cid, c) in g.clients.iter().enumerate() {
        by_key.entry(key(c.name.trim())).or_default().push((cid, None));
        for a in &c.aliases {
            let entries = by_key.entry(key(a.trim())).or_default();
            if !entries.iter().any(|(other, _)| *other == cid) {
                entries.push((cid, Some(a.as_str())));
            }
        }
    }
    for entries in by_key.values().filter(|e| e.len() > 1) {
        let first = entries.iter().find(|(_, alias)| alias.is_none()).unwrap_or(&entries[0]).0;
        for &(cid, alias) in entries {
            if alias.is_none() && cid == first {
                continue;
            }
            let c = &g.clients[cid];
            let other = entries.iter().find(|(o, _)| *o != cid).map_or(first, |e| e.0);
            let (line, what) = match alias {
                Some(a) => (notes[c.note].prop("aliases").map_or(1, |p| p.line), format!("alias `{a}`")),
                None => (1, format!("client name `{}`", c.name)),
            };
            diags.push(
                Diagnostic::new(
                    Code::ClientDuplicate,
                    &c.path,
                    line,
                    1,
                    format!("{what} is also used by client `{}`", g.clients[other].path),
                )
                .with_hint("give each client a distinct name and aliases, or merge the notes"),
            );
        }
    }
}
