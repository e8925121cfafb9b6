//! Model stage: parsed notes + resolved links → the client [`Graph`].
//!
//! Clients, people, companies, interactions (from interaction notes, dated log lines
//! and daily notes), feedback and next steps. The graph does not depend on `today`:
//! dates are judged later, in `metrics`.

pub mod daily;
mod relink;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::{Note, Property, Value, parse_date, wikilinks_in};
use crate::resolve::{Index, Resolved, Target, key};
use crate::vocab::{Cadence, Engagement, FeedbackSeverity, FeedbackStatus, Initiator, Kind, Status, Tier};
use daily::DailyNotes;
pub use relink::TaskText;

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
    /// The path of the note `moved_to` leads to, which reminders show.
    pub moved_to_path: Option<String>,
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
    pub text: TaskText,
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
        let own = note.props.iter().find(|p| p.key == name);
        // Without aliases in the config every key is its own canonical name.
        if own.is_some() || self.config.properties.is_empty() {
            return own;
        }
        note.props.iter().find(|p| self.canonical(&p.key) == name)
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

    /// The first non-empty text value (no list is built for the common scalar case).
    fn text<'n>(&self, note: &'n Note, name: &str) -> Option<(Cow<'n, str>, u32)> {
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
struct Builder<'a> {
    notes: &'a [Note],
    resolved: &'a Resolved,
    index: &'a Index,
    config: &'a Config,
    props: Props<'a>,
}

type Diags = Vec<Diagnostic>;

impl Builder<'_> {
    fn invalid(&self, diags: &mut Diags, note: NoteId, line: u32, msg: String) {
        diags.push(Diagnostic::new(Code::PropertyInvalid, &self.notes[note].path, line, 1, msg));
    }

    fn date(&self, diags: &mut Diags, note: NoteId, name: &str) -> Option<NaiveDate> {
        let (text, line) = self.props.text(&self.notes[note], name)?;
        let d = parse_date(&text);
        if d.is_none() {
            self.invalid(diags, note, line, format!("`{name}: {text}` is not a date; write YYYY-MM-DD"));
        }
        d
    }

    fn word<T: FromStr>(&self, diags: &mut Diags, note: NoteId, name: &str, words: &[&str]) -> Option<T> {
        let (text, line) = self.props.text(&self.notes[note], name)?;
        let v = text.parse().ok();
        if v.is_none() {
            self.invalid(diags, note, line, format!("`{name}: {text}` is not one of: {}", words.join(", ")));
        }
        v
    }

    fn number(&self, diags: &mut Diags, note: NoteId, name: &str, range: Option<(f64, f64)>) -> Option<f64> {
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

/// What the graph was built from, note by note, so that a save can be folded in
/// without reading every note again ([`update`]).
#[derive(Debug, Clone, Default)]
pub struct Cache {
    kinds: Vec<Option<Kind>>,
    /// Diagnostics of each client's or person's own properties, by note.
    own: Vec<Diags>,
    facts: Vec<NoteFacts>,
    duplicates: Diags,
}

/// Builds the graph and its diagnostics; with `keep`, also the cache [`update`] needs
/// (watch mode), at the cost of a second copy of every note's contributions.
pub fn build_graph(
    notes: &[Note],
    resolved: &Resolved,
    index: &Index,
    config: &Config,
    keep: bool,
) -> (Graph, Vec<Diagnostic>, Cache) {
    let b = Builder { notes, resolved, index, config, props: Props { config } };
    let mut cache = Cache {
        kinds: notes.par_iter().map(|n| b.kind(n)).collect(),
        own: vec![Diags::new(); notes.len()],
        facts: Vec::new(),
        duplicates: Diags::new(),
    };
    let kinds = &cache.kinds;
    let mut g = Graph::default();

    // Clients first: everything else points at them.
    let client_ids: Vec<NoteId> = (0..notes.len()).filter(|&i| kinds[i] == Some(Kind::Client)).collect();
    let clients: Vec<(Client, Diags)> = client_ids.par_iter().map(|&id| b.client(id)).collect();
    for (c, d) in clients {
        cache.own[c.note] = d;
        g.clients.push(c);
    }
    duplicates(&g, notes, &mut cache.duplicates);
    for (id, note) in notes.iter().enumerate() {
        match kinds[id] {
            Some(Kind::Person) => g.people.push(b.person(id, note, &mut cache.own[id])),
            Some(Kind::Company) => g.companies.push(id),
            _ => {}
        }
    }
    contacts_as_company(&mut g);
    let daily = daily_notes(config);
    let (client_of, person_of) = maps(&g);
    let client_for = |t, d| client_for(&g, &client_of, &person_of, t, d);
    let kinds = &cache.kinds;
    cache.facts =
        (0..notes.len()).into_par_iter().map(|id| b.facts(id, kinds[id], &daily, &client_of, &client_for)).collect();
    let diags = if keep {
        assemble(&b, &mut g, &cache)
    } else {
        // One-shot runs move the contributions into the graph; the empty cache makes
        // any later `update` fall back to a full build.
        let facts = std::mem::take(&mut cache.facts);
        let own = std::mem::take(&mut cache.own);
        let duplicates = std::mem::take(&mut cache.duplicates);
        assemble_owned(&b, &mut g, facts, own, duplicates)
    };
    (g, diags, cache)
}

/// Folds re-read notes (`changed`, indices into `notes`) into the graph, when the saves
/// changed content only: the same kinds, and no person's company, `left` or `moved_to`
/// (which decide whose interactions count for whom). `None` when that does not hold; the
/// caller then builds from scratch.
pub fn update(
    g: &mut Graph,
    cache: &mut Cache,
    notes: &[Note],
    resolved: &Resolved,
    index: &Index,
    config: &Config,
    changed: &[usize],
) -> Option<Vec<Diagnostic>> {
    let b = Builder { notes, resolved, index, config, props: Props { config } };
    if cache.facts.len() != notes.len() {
        return None;
    }
    let (client_of, person_of) = maps(g);
    for &i in changed {
        let kind = b.kind(&notes[i]);
        if cache.kinds.get(i) != Some(&kind) {
            return None;
        }
        match kind {
            Some(Kind::Client) => {
                let (mut c, d) = b.client(i);
                let slot = &mut g.clients[*client_of.get(&i)?];
                // Contacts stand for people's company: a change moves their interactions.
                if slot.contacts != c.contacts {
                    return None;
                }
                c.referred_by = slot.referred_by;
                *slot = c;
                cache.own[i] = d;
            }
            Some(Kind::Person) => {
                let mut d = Diags::new();
                let mut p = b.person(i, &notes[i], &mut d);
                let slot = &mut g.people[*person_of.get(&i)?];
                if p.company.is_none() {
                    p.company = g.clients.iter().find(|c| c.contacts.contains(&i)).map(|c| c.note);
                }
                if (slot.company, slot.left, slot.moved_to) != (p.company, p.left, p.moved_to) {
                    return None;
                }
                *slot = p;
                cache.own[i] = d;
            }
            _ => {}
        }
    }
    let daily = daily_notes(config);
    let client_for = |t, d| client_for(g, &client_of, &person_of, t, d);
    let facts: Vec<(usize, NoteFacts)> =
        changed.iter().map(|&i| (i, b.facts(i, cache.kinds[i], &daily, &client_of, &client_for))).collect();
    // Swap the changed notes' contributions; the lists stay in the order a full build
    // gives (stable sorts of nearly sorted lists are close to linear).
    let gone: std::collections::HashSet<NoteId> = changed.iter().copied().collect();
    g.interactions.retain(|x| !gone.contains(&x.note));
    g.feedback.retain(|x| !gone.contains(&x.note));
    g.next_steps.retain(|x| !gone.contains(&x.note));
    for (i, f) in facts {
        g.interactions.extend(f.interactions.iter().cloned());
        g.feedback.extend(f.feedback.as_deref().cloned());
        g.next_steps.extend(f.next_steps.iter().cloned());
        cache.facts[i] = f;
    }
    g.interactions.sort_by(interaction_order);
    g.feedback.sort_by_key(|x| x.note);
    g.next_steps.sort_by_key(|s| (s.client, s.note, s.line));
    g.next_steps.dedup_by_key(|s| (s.client, s.note, s.line));
    refer(&b, g);
    Some(diagnostics(cache))
}

/// The order of [`Graph::interactions`].
fn interaction_order(a: &Interaction, b: &Interaction) -> std::cmp::Ordering {
    (a.client, a.date, a.source, a.note, a.line).cmp(&(b.client, b.date, b.source, b.note, b.line))
}

/// Sets each client's `referred_by` from its link (a client, or a person at one).
fn refer(b: &Builder<'_>, g: &mut Graph) {
    let (client_of, person_of) = maps(g);
    let referred: Vec<Option<ClientId>> = g
        .clients
        .iter()
        .map(|c| b.links(c.note, "referred_by").first().and_then(|&t| client_for(g, &client_of, &person_of, t, None)))
        .collect();
    for (client, r) in g.clients.iter_mut().zip(referred) {
        client.referred_by = r;
    }
}

/// The model's diagnostics, from the cache.
fn diagnostics(cache: &Cache) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = cache.own.iter().flatten().cloned().collect();
    diags.extend(cache.duplicates.iter().cloned());
    diags.extend(cache.facts.iter().flat_map(|f| f.diags.iter().cloned()));
    diags
}

/// A person with no `company` of their own who is listed in a client's `contacts` is
/// at that client (the first such client, in path order).
fn contacts_as_company(g: &mut Graph) {
    let mut at: HashMap<NoteId, NoteId> = HashMap::new();
    for c in &g.clients {
        for &p in &c.contacts {
            at.entry(p).or_insert(c.note);
        }
    }
    for p in g.people.iter_mut().filter(|p| p.company.is_none()) {
        p.company = at.get(&p.note).copied();
    }
}

fn daily_notes(config: &Config) -> DailyNotes {
    DailyNotes::new(config.daily_notes.folder.as_deref(), config.daily_notes.format.as_deref())
}

/// Note id → client, and note id → person.
fn maps(g: &Graph) -> (HashMap<NoteId, ClientId>, HashMap<NoteId, usize>) {
    (
        g.clients.iter().enumerate().map(|(i, c)| (c.note, i)).collect(),
        g.people.iter().enumerate().map(|(i, p)| (p.note, i)).collect(),
    )
}

/// The client a note stands for on a date: itself, or a person's company then.
fn client_for(
    g: &Graph,
    client_of: &HashMap<NoteId, ClientId>,
    person_of: &HashMap<NoteId, usize>,
    target: NoteId,
    date: Option<NaiveDate>,
) -> Option<ClientId> {
    if let Some(&c) = client_of.get(&target) {
        return Some(c);
    }
    let p = &g.people[*person_of.get(&target)?];
    let moved = matches!((p.left, date), (Some(left), Some(d)) if d > left);
    let company = if moved { p.moved_to } else { p.company };
    company.and_then(|c| client_of.get(&c).copied())
}

/// Gathers every note's contributions into the graph, consuming them; returns the
/// model's diagnostics.
fn assemble_owned(
    b: &Builder<'_>,
    g: &mut Graph,
    facts: Vec<NoteFacts>,
    own: Vec<Diags>,
    dups: Diags,
) -> Vec<Diagnostic> {
    refer(b, g);
    let mut diags: Vec<Diagnostic> = own.into_iter().flatten().collect();
    diags.extend(dups);
    let mut steps: BTreeMap<(ClientId, NoteId, u32), NextStep> = BTreeMap::new();
    g.interactions.reserve_exact(facts.iter().map(|f| f.interactions.len()).sum());
    for f in facts {
        g.interactions.extend(f.interactions);
        g.feedback.extend(f.feedback.map(|f| *f));
        diags.extend(f.diags);
        for s in f.next_steps {
            steps.entry((s.client, s.note, s.line)).or_insert(s);
        }
    }
    g.interactions.par_sort_by(interaction_order);
    g.next_steps = steps.into_values().collect();
    diags
}

/// Gathers every note's contributions into the graph, keeping the cache whole (watch
/// mode); returns the model's diagnostics.
fn assemble(b: &Builder<'_>, g: &mut Graph, cache: &Cache) -> Vec<Diagnostic> {
    assemble_owned(b, g, cache.facts.clone(), cache.own.clone(), cache.duplicates.clone())
}

/// What one note contributes beyond its own entity.
#[derive(Debug, Clone, Default)]
struct NoteFacts {
    interactions: Vec<Interaction>,
    /// Boxed: one note in many is feedback, and this list has an entry per note.
    feedback: Option<Box<Feedback>>,
    next_steps: Vec<NextStep>,
    diags: Diags,
}

impl Builder<'_> {
    fn client(&self, id: NoteId) -> (Client, Diags) {
        let note = &self.notes[id];
        let mut d = Diags::new();
        let key_tag = note.tags.iter().any(|t| t == "client/key");
        let tier =
            self.word(&mut d, id, "tier", Tier::WORDS).unwrap_or(if key_tag { Tier::Key } else { Tier::Supporting });
        let status = self.word(&mut d, id, "status", Status::WORDS).unwrap_or(Status::Active);
        let cadence = self.props.text(note, "cadence").and_then(|(text, line)| match text.parse::<Cadence>() {
            Ok(c) => Some(c),
            Err(e) => {
                self.invalid(&mut d, id, line, e.to_string());
                None
            }
        });
        let client = Client {
            note: id,
            name: note.name().to_owned(),
            path: note.path.clone(),
            aliases: note.aliases.to_vec(),
            tier,
            status,
            cadence,
            since: self.date(&mut d, id, "since"),
            engagement: self.word(&mut d, id, "engagement", Engagement::WORDS).unwrap_or(Engagement::Ongoing),
            project_end: self.date(&mut d, id, "project_end"),
            paused_until: self.date(&mut d, id, "paused_until"),
            contacts: self.links(id, "contacts"),
            referred_by: None,
            value: self.number(&mut d, id, "value", None),
            satisfaction: self.number(&mut d, id, "satisfaction", Some((0.0, 10.0))),
        };
        (client, d)
    }

    fn person(&self, id: NoteId, note: &Note, d: &mut Diags) -> Person {
        let moved_to = self.links(id, "moved_to").first().copied();
        Person {
            note: id,
            name: note.name().to_owned(),
            path: note.path.clone(),
            company: self.links(id, "company").first().copied(),
            role: self.props.text(note, "role").map(|t| t.0.into_owned()),
            email: self.props.text(note, "email").map(|t| t.0.into_owned()),
            birthday: self.date(d, id, "birthday"),
            left: self.date(d, id, "left"),
            moved_to,
            moved_to_path: moved_to.map(|n| self.notes[n].path.clone()),
        }
    }

    /// Interactions, feedback and next steps of one note.
    fn facts(
        &self,
        id: NoteId,
        kind: Option<Kind>,
        daily: &DailyNotes,
        client_of: &HashMap<NoteId, ClientId>,
        client_for: &(dyn Fn(NoteId, Option<NaiveDate>) -> Option<ClientId> + Sync),
    ) -> NoteFacts {
        let note = &self.notes[id];
        let targets = &self.resolved.targets[id];
        let mut f = NoteFacts::default();
        let d = &mut f.diags;
        // Clients the note's links lead to (all links, or the listed ones).
        // Clients in id order, each once (a note names one or two: a sorted list, no set).
        let linked = |date: Option<NaiveDate>, only: &mut dyn Iterator<Item = usize>| -> Vec<ClientId> {
            sorted_unique(
                only.filter_map(|i| match targets.get(i) {
                    Some(Target::Note(t)) if *t != id => client_for(*t, date),
                    _ => None,
                })
                .collect(),
            )
        };
        let interaction = |date, client, format, initiated_by, source, line| Interaction {
            date,
            client,
            format,
            initiated_by,
            source,
            note: id,
            line,
        };
        match kind {
            Some(Kind::Interaction) => {
                let date = self.date(d, id, "date");
                let mut clients = sorted_unique(
                    ["client", "clients", "company", "with"]
                        .iter()
                        .flat_map(|k| self.links(id, k))
                        .filter_map(|t| client_for(t, date))
                        .collect(),
                );
                if clients.is_empty() {
                    let body = note.links.iter().enumerate().filter(|(_, l)| l.property.is_none()).map(|(i, _)| i);
                    clients = linked(date, &mut body.into_iter());
                }
                match date {
                    None if self.props.text(note, "date").is_none() => d.push(
                        Diagnostic::new(Code::InteractionNoDate, &note.path, 1, 1, "interaction has no `date`")
                            .with_hint("add `date: YYYY-MM-DD` to its frontmatter"),
                    ),
                    None => {}
                    Some(_) if clients.is_empty() => d.push(
                        Diagnostic::new(Code::InteractionNoClient, &note.path, 1, 1, "interaction names no client")
                            .with_hint(
                                "add `client: \"[[Client]]\"` or `with: [\"[[Person]]\"]` for a person at a client",
                            ),
                    ),
                    Some(date) => {
                        let format = self.props.text(note, "format").map(|(f, _)| f.to_lowercase());
                        let initiated_by = self.word(d, id, "initiated_by", Initiator::WORDS);
                        for client in clients {
                            f.interactions.push(interaction(
                                date,
                                client,
                                format.clone(),
                                initiated_by,
                                Source::Note,
                                1,
                            ));
                        }
                    }
                }
            }
            Some(Kind::Client | Kind::Person) => {
                for entry in &note.log {
                    if let Some(client) = client_for(id, Some(entry.date)) {
                        let format = entry.format.clone();
                        f.interactions.push(interaction(entry.date, client, format, None, Source::LogLine, entry.line));
                    }
                }
                if let Some(&cid) = client_of.get(&id) {
                    if let Some(date) = self.date(d, id, "last_contact") {
                        let line = self.props.text(note, "last_contact").map_or(1, |t| t.1);
                        f.interactions.push(interaction(date, cid, None, None, Source::LastContact, line));
                    }
                }
            }
            Some(Kind::Feedback) => {
                let received = self.date(d, id, "received");
                let client =
                    ["client", "company"].iter().flat_map(|k| self.links(id, k)).find_map(|t| client_for(t, received));
                let severity =
                    self.word(d, id, "severity", FeedbackSeverity::WORDS).unwrap_or(FeedbackSeverity::Normal);
                let status = self.word(d, id, "status", FeedbackStatus::WORDS).unwrap_or(FeedbackStatus::Open);
                let answered = self.date(d, id, "answered");
                let resolved_on = self.date(d, id, "resolved");
                match received {
                    Some(received) => {
                        f.feedback = Some(Box::new(Feedback {
                            note: id,
                            path: note.path.clone(),
                            name: note.name().to_owned(),
                            received,
                            client,
                            severity,
                            status,
                            answered,
                            resolved: resolved_on,
                        }));
                    }
                    None if self.props.text(note, "received").is_none() => {
                        self.invalid(d, id, 1, "feedback has no `received` date".into());
                    }
                    None => {}
                }
            }
            Some(Kind::Company) | None => {
                if let Some(date) = daily.date_of(&note.path) {
                    for client in linked(Some(date), &mut (0..targets.len())) {
                        f.interactions.push(interaction(date, client, None, None, Source::DailyNote, 1));
                    }
                }
            }
        }
        // Next steps: open tasks in a client's note, its people's notes, or linking either.
        let own = client_for(id, None);
        for task in note.tasks.iter().filter(|t| t.is_open()) {
            let mut owners = linked(None, &mut task.links.iter().copied());
            owners.extend(own);
            let owners = sorted_unique(owners);
            let text = relink::task_text(self.notes, self.index, id, &task.text);
            for client in owners {
                f.next_steps.push(NextStep {
                    client,
                    note: id,
                    path: note.path.clone(),
                    line: task.line,
                    text: text.clone(),
                    due: task.due,
                    scheduled: task.scheduled,
                });
            }
        }
        f
    }
}

/// The ids sorted, each once.
fn sorted_unique(mut ids: Vec<ClientId>) -> Vec<ClientId> {
    ids.sort_unstable();
    ids.dedup();
    ids
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
