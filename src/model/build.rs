//! Model stage, build: every note's contributions → the graph, clients first.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::daily::DailyNotes;
use super::duplicates::duplicates;
use super::entities::{
    Client, ClientId, Feedback, Graph, Interaction, NextStep, NoteId, Person, Record, Recorded, Source,
};
use super::properties::{Builder, Diags, Props};
use super::relink;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::Note;
use crate::resolve::{Index, Resolved, Target};
use crate::vocab::{Cadence, Engagement, FeedbackSeverity, FeedbackStatus, Initiator, Kind, Status, Tier};

/// What the graph was built from, note by note, so that a save can be folded in
/// without reading every note again ([`update`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Cache {
    pub(super) kinds: Vec<Option<Kind>>,
    /// Diagnostics of each client's or person's own properties, by note.
    pub(super) own: Vec<Diags>,
    pub(super) facts: Vec<NoteFacts>,
    pub(super) duplicates: Diags,
}

/// Builds the graph and its diagnostics; with `keep`, also the cache [`update`] needs
/// (watch mode), at the cost of a second copy of every note's contributions.
pub(crate) fn build_graph(
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

/// The order of [`Graph::interactions`].
pub(super) fn interaction_order(a: &Interaction, b: &Interaction) -> std::cmp::Ordering {
    (a.client, a.date, a.source, a.note, a.line).cmp(&(b.client, b.date, b.source, b.note, b.line))
}

/// Sets each client's `referred_by` from its link (a client, or a person at one).
pub(super) fn refer(b: &Builder<'_>, g: &mut Graph) {
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
pub(super) fn diagnostics(cache: &Cache) -> Vec<Diagnostic> {
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

pub(super) fn daily_notes(config: &Config) -> DailyNotes {
    DailyNotes::new(config.daily_notes.folder.as_deref(), config.daily_notes.format.as_deref())
}

/// Note id → client, and note id → person.
pub(super) fn maps(g: &Graph) -> (HashMap<NoteId, ClientId>, HashMap<NoteId, usize>) {
    (
        g.clients.iter().enumerate().map(|(i, c)| (c.note, i)).collect(),
        g.people.iter().enumerate().map(|(i, p)| (p.note, i)).collect(),
    )
}

/// The client a note stands for on a date: itself, or a person's company then.
pub(super) fn client_for(
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
        g.journal.extend(f.journal);
        diags.extend(f.diags);
        for s in f.next_steps {
            steps.entry((s.client, s.note, s.line)).or_insert(s);
        }
    }
    g.interactions.par_sort_by(interaction_order);
    g.next_steps = steps.into_values().collect();
    g.journal.sort_unstable();
    answer_from_journal(g);
    diags
}

/// Open feedback the journal records an answer to is answered, on the journal's date.
pub(super) fn answer_from_journal(g: &mut Graph) {
    for r in g.journal.iter().filter(|r| r.what == Record::Answered) {
        for fb in g.feedback.iter_mut().filter(|f| f.note == r.note && f.status == FeedbackStatus::Open) {
            fb.status = FeedbackStatus::Answered;
            fb.answered = Some(r.date);
        }
    }
}

/// Gathers every note's contributions into the graph, keeping the cache whole (watch
/// mode); returns the model's diagnostics.
fn assemble(b: &Builder<'_>, g: &mut Graph, cache: &Cache) -> Vec<Diagnostic> {
    assemble_owned(b, g, cache.facts.clone(), cache.own.clone(), cache.duplicates.clone())
}

/// What one note contributes beyond its own entity.
#[derive(Debug, Clone, Default)]
pub(super) struct NoteFacts {
    pub(super) interactions: Vec<Interaction>,
    /// Boxed: one note in many is feedback, and this list has an entry per note.
    pub(super) feedback: Option<Box<Feedback>>,
    pub(super) next_steps: Vec<NextStep>,
    /// Greetings and answers, from the journal note.
    pub(super) journal: Vec<Recorded>,
    pub(super) diags: Diags,
}

impl Builder<'_> {
    pub(super) fn client(&self, id: NoteId) -> (Client, Diags) {
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
            aliases: note.aliases.iter().map(ToString::to_string).collect(),
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

    pub(super) fn person(&self, id: NoteId, note: &Note, d: &mut Diags) -> Person {
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
    pub(super) fn facts(
        &self,
        id: NoteId,
        kind: Option<Kind>,
        daily: &DailyNotes,
        client_of: &HashMap<NoteId, ClientId>,
        client_for: &(dyn Fn(NoteId, Option<NaiveDate>) -> Option<ClientId> + Sync),
    ) -> NoteFacts {
        let one = OneNote { b: self, id, note: &self.notes[id], targets: &self.resolved.targets[id], client_for };
        let mut f = NoteFacts::default();
        match kind {
            Some(Kind::Interaction) => one.interaction_note(&mut f),
            Some(Kind::Client | Kind::Person) => one.log_lines(&mut f, client_of),
            Some(Kind::Feedback) => one.feedback_note(&mut f),
            None if super::is_journal(&self.notes[id]) => one.journal(&mut f),
            Some(Kind::Company) | None => one.daily_note(&mut f, daily),
        }
        one.next_steps(&mut f);
        f
    }
}

/// One note being read for its facts, and how a linked note leads to a client.
struct OneNote<'a> {
    b: &'a Builder<'a>,
    id: NoteId,
    note: &'a Note,
    targets: &'a [Target],
    client_for: &'a (dyn Fn(NoteId, Option<NaiveDate>) -> Option<ClientId> + Sync),
}

impl OneNote<'_> {
    /// Clients the given links of the note lead to on `date`, in id order, each once
    /// (a note names one or two: a sorted list, no set).
    fn linked(&self, date: Option<NaiveDate>, links: &mut dyn Iterator<Item = usize>) -> Vec<ClientId> {
        sorted_unique(
            links
                .filter_map(|i| match self.targets.get(i) {
                    Some(Target::Note(t)) if *t != self.id => (self.client_for)(*t, date),
                    _ => None,
                })
                .collect(),
        )
    }

    fn interaction(&self, date: NaiveDate, client: ClientId, source: Source, line: u32) -> Interaction {
        Interaction { date, client, format: None, initiated_by: None, source, note: self.id, line }
    }

    /// An interaction note: one interaction per client it names (in its properties, or
    /// else in its body).
    fn interaction_note(&self, f: &mut NoteFacts) {
        let (b, id, note) = (self.b, self.id, self.note);
        let d = &mut f.diags;
        let date = b.date(d, id, "date");
        let mut clients = sorted_unique(
            ["client", "clients", "company", "with"]
                .iter()
                .flat_map(|k| b.links(id, k))
                .filter_map(|t| (self.client_for)(t, date))
                .collect(),
        );
        if clients.is_empty() {
            let body = note.links.iter().enumerate().filter(|(_, l)| l.property.is_none()).map(|(i, _)| i);
            clients = self.linked(date, &mut body.into_iter());
        }
        match date {
            None if b.props.text(note, "date").is_none() => d.push(
                Diagnostic::new(Code::InteractionNoDate, &note.path, 1, 1, "interaction has no `date`")
                    .with_hint("add `date: YYYY-MM-DD` to its frontmatter"),
            ),
            None => {}
            Some(_) if clients.is_empty() => d.push(
                Diagnostic::new(Code::InteractionNoClient, &note.path, 1, 1, "interaction names no client")
                    .with_hint("add `client: \"[[Client]]\"` or `with: [\"[[Person]]\"]` for a person at a client"),
            ),
            Some(date) => {
                let format = b.props.text(note, "format").map(|(f, _)| f.to_lowercase());
                let initiated_by = b.word(d, id, "initiated_by", Initiator::WORDS);
                for client in clients {
                    let i = self.interaction(date, client, Source::Note, 1);
                    f.interactions.push(Interaction { format: format.clone(), initiated_by, ..i });
                }
            }
        }
    }

    /// A client's or person's note: its dated log lines, and a client's `last_contact`.
    fn log_lines(&self, f: &mut NoteFacts, client_of: &HashMap<NoteId, ClientId>) {
        let (b, id, note) = (self.b, self.id, self.note);
        for entry in &note.log {
            if let Some(client) = (self.client_for)(id, Some(entry.date)) {
                let i = self.interaction(entry.date, client, Source::LogLine, entry.line);
                f.interactions.push(Interaction { format: entry.format.clone(), ..i });
            }
        }
        if let Some(&cid) = client_of.get(&id) {
            if let Some(date) = b.date(&mut f.diags, id, "last_contact") {
                let line = b.props.text(note, "last_contact").map_or(1, |t| t.1);
                f.interactions.push(self.interaction(date, cid, Source::LastContact, line));
            }
        }
    }

    /// A feedback note: the feedback, when it says when it was received.
    fn feedback_note(&self, f: &mut NoteFacts) {
        let (b, id, note) = (self.b, self.id, self.note);
        let d = &mut f.diags;
        let received = b.date(d, id, "received");
        let client =
            ["client", "company"].iter().flat_map(|k| b.links(id, k)).find_map(|t| (self.client_for)(t, received));
        let severity = b.word(d, id, "severity", FeedbackSeverity::WORDS).unwrap_or(FeedbackSeverity::Normal);
        let status = b.word(d, id, "status", FeedbackStatus::WORDS).unwrap_or(FeedbackStatus::Open);
        let answered = b.date(d, id, "answered");
        let resolved = b.date(d, id, "resolved");
        match received {
            Some(received) => {
                let (path, name) = (note.path.clone(), note.name().to_owned());
                let feedback =
                    Feedback { note: id, path, name, received, client, severity, status, answered, resolved };
                f.feedback = Some(Box::new(feedback));
            }
            None if b.props.text(note, "received").is_none() => {
                b.invalid(d, id, 1, "feedback has no `received` date".into());
            }
            None => {}
        }
    }

    /// Any other note: when it is a daily note, one interaction per client it links to.
    fn daily_note(&self, f: &mut NoteFacts, daily: &DailyNotes) {
        if let Some(date) = daily.date_of(&self.note.path) {
            for client in self.linked(Some(date), &mut (0..self.targets.len())) {
                f.interactions.push(self.interaction(date, client, Source::DailyNote, 1));
            }
        }
    }

    /// The journal of ticked reminders: each line a contact with the client it links
    /// (through a person too), and `birthday`, `anniversary` and `answered` lines also
    /// the greeting or answer of the note they link first.
    fn journal(&self, f: &mut NoteFacts) {
        for entry in &self.note.log {
            let word = entry.text.split_whitespace().next().unwrap_or("").to_lowercase();
            let first = entry.links.iter().find_map(|&l| match self.targets.get(l) {
                Some(Target::Note(t)) if *t != self.id => Some(*t),
                _ => None,
            });
            let what = match word.as_str() {
                "birthday" => Some(Record::Birthday),
                "anniversary" => Some(Record::Anniversary),
                "answered" => Some(Record::Answered),
                _ => None,
            };
            if let (Some(what), Some(note)) = (what, first) {
                f.journal.push(Recorded { what, note, date: entry.date });
            }
            // A greeting is a contact too; an answer is recorded on the feedback.
            if what == Some(Record::Answered) {
                continue;
            }
            for client in self.linked(Some(entry.date), &mut entry.links.iter().copied()) {
                let mut i = self.interaction(entry.date, client, Source::LogLine, entry.line);
                i.format.clone_from(&entry.format);
                f.interactions.push(i);
            }
        }
    }

    /// Open tasks in a client's note, its people's notes, or linking either.
    fn next_steps(&self, f: &mut NoteFacts) {
        let (id, note) = (self.id, self.note);
        let own = (self.client_for)(id, None);
        for task in note.tasks.iter().filter(|t| t.is_open()) {
            let mut owners = self.linked(None, &mut task.links.iter().copied());
            owners.extend(own);
            let owners = sorted_unique(owners);
            let text = std::sync::Arc::new(relink::task_text(self.b.notes, self.b.index, id, &task.text));
            let path: std::sync::Arc<str> = note.path.as_str().into();
            for client in owners {
                f.next_steps.push(NextStep {
                    client,
                    note: id,
                    path: path.clone(),
                    line: task.line,
                    text: text.clone(),
                    due: task.due,
                    scheduled: task.scheduled,
                });
            }
        }
    }
}

/// The ids sorted, each once.
fn sorted_unique(mut ids: Vec<ClientId>) -> Vec<ClientId> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::super::Fixture;
    use super::*;

    #[test]
    fn a_contact_without_a_company_is_at_the_client_that_lists_them() {
        let fx = Fixture::new(&[
            ("Acme.md", "---\ntype: client\ncontacts: [\"[[Cleo]]\"]\n---\n"),
            ("Beta.md", "---\ntype: client\ncontacts: [\"[[Cleo]]\", \"[[Dan]]\"]\n---\n"),
            ("Cleo.md", "---\ntype: person\n---\n- 2026-10-01 call\n"),
            ("Dan.md", "---\ntype: person\ncompany: \"[[Acme]]\"\n---\n"),
        ]);
        let (g, _) = fx.build(&Config::default());
        let company = |name| g.people.iter().find(|p| p.name == name).and_then(|p| p.company);
        // The first listing client, in path order; an own company wins.
        assert_eq!(company("Cleo"), Some(fx.id("Acme.md")));
        assert_eq!(company("Dan"), Some(fx.id("Acme.md")));
        assert_eq!(g.interactions_of(0).len(), 1, "Cleo's call counts for Acme");
    }

    #[test]
    fn interactions_come_from_notes_log_lines_and_daily_notes() {
        let fx = Fixture::new(&[
            ("Acme.md", "---\ntype: client\nlast_contact: 2026-08-01\n---\n- 2026-09-01 Lunch\n"),
            ("Meet.md", "---\ntype: interaction\ndate: 2026-10-01\nformat: Call\nwith: [\"[[Anna]]\"]\n---\n"),
            ("Anna.md", "---\ntype: person\ncompany: \"[[Acme]]\"\n---\n"),
            ("2026-10-02.md", "Talked to [[Acme]]\n"),
            ("Lost.md", "---\ntype: interaction\ndate: 2026-10-03\n---\n"),
        ]);
        let (g, diags) = fx.build(&Config::default());
        let got: Vec<(String, Source, Option<&str>)> =
            g.interactions.iter().map(|i| (i.date.to_string(), i.source, i.format.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("2026-08-01".into(), Source::LastContact, None),
                ("2026-09-01".into(), Source::LogLine, Some("lunch")),
                ("2026-10-01".into(), Source::Note, Some("call")),
                ("2026-10-02".into(), Source::DailyNote, None),
            ]
        );
        let codes: Vec<_> = diags.iter().map(|d| (d.code, d.path.as_str())).collect();
        assert_eq!(codes, [(Code::InteractionNoClient, "Lost.md")]);
    }

    #[test]
    fn next_steps_belong_to_the_clients_a_task_is_about() {
        let fx = Fixture::new(&[
            ("Acme.md", "---\ntype: client\n---\n- [ ] send the deck\n- [x] done already\n"),
            ("Beta.md", "---\ntype: client\n---\n"),
            ("Anna.md", "---\ntype: person\ncompany: \"[[Beta]]\"\n---\n- [ ] call back 📅 2026-12-01\n"),
            ("Todo.md", "- [ ] ask [[Anna]] and [[Acme]] about [[Nobody]]\n"),
        ]);
        let (g, _) = fx.build(&Config::default());
        let steps: Vec<(ClientId, &str, &str)> =
            g.next_steps.iter().map(|s| (s.client, &*s.path, s.text.markdown())).collect();
        assert_eq!(
            steps,
            [
                (0, "Acme.md", "send the deck"),
                (0, "Todo.md", "ask [[Anna|Anna]] and [[Acme|Acme]] about Nobody"),
                (1, "Anna.md", "call back"),
                (1, "Todo.md", "ask [[Anna|Anna]] and [[Acme|Acme]] about Nobody"),
            ]
        );
        assert_eq!(g.next_steps[2].due, chrono::NaiveDate::from_ymd_opt(2026, 12, 1));
    }

    #[test]
    fn a_referral_leads_to_a_client_directly_or_through_a_person() {
        let fx = Fixture::new(&[
            ("Acme.md", "---\ntype: client\n---\n"),
            ("Anna.md", "---\ntype: person\ncompany: \"[[Acme]]\"\n---\n"),
            ("Beta.md", "---\ntype: client\nreferred_by: \"[[Anna]]\"\n---\n"),
            ("Cafe.md", "---\ntype: client\nreferred_by: \"[[Beta]]\"\n---\n"),
        ]);
        let (g, _) = fx.build(&Config::default());
        let referred: Vec<Option<ClientId>> = g.clients.iter().map(|c| c.referred_by).collect();
        assert_eq!(referred, [None, Some(0), Some(1)]);
    }
}
