//! The outputs beyond the two notes, gathered for render: a card per client, the
//! `.base` over the cards and the `.canvas` map. This module hands the render functions
//! resolved data (paths, dates, figures) and names the files.
//!
//! Names never capture a user's link: Obsidian resolves a bare `[[Polar Tech]]` by the
//! shortest path, so a card is named `Polar Tech · card` (never a name a note of the
//! vault has), and the base and the canvas get the output folder's name in front when
//! a file of the vault already has theirs.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::metrics::Figures;
use crate::model::Graph;
use crate::model::entities::Feedback;
use crate::model::entities::Source;
use crate::model::{ClientId, NoteId, Person};
use crate::parse::Note;
use crate::render;
use crate::render::canvas::{self, MapClient, MapCompany, MapPerson};
use crate::render::card::{self, Card, Entry, Step};
use crate::resolve::{Index, Resolved, Target, key};
use crate::vocab::FeedbackStatus;
use crate::vocab::Lang;
use crate::write::Generated;

/// Where the outputs beyond the two notes go: every path relative to the vault; `None`
/// when turned off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Others {
    /// The folder of the cards.
    pub(crate) cards_folder: String,
    /// Each client's card, by client id.
    pub(crate) cards: Vec<Option<String>>,
    pub(crate) base: Option<String>,
    pub(crate) canvas: Option<String>,
}

/// The folder of the cards, inside the output folder.
pub(crate) const CARDS_FOLDER: &str = "Clients";

/// The longest card name kept from a client's name, in characters (file systems allow
/// 255 bytes).
const MAX_NAME_CHARS: usize = 80;

/// A client's name as the start of a file name: no character a file system or an
/// Obsidian link refuses, no leading dot, no trailing dot or space.
pub(crate) fn file_name_part(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        let bad = matches!(ch, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '#' | '^' | '[' | ']')
            || ch.is_control();
        let ch = if bad { ' ' } else { ch };
        if !(ch == ' ' && (out.is_empty() || out.ends_with(' '))) {
            out.push(ch);
        }
    }
    let trimmed = out.trim_start_matches(['.', ' ']).trim_end_matches(['.', ' ']);
    let short: String = trimmed.chars().take(MAX_NAME_CHARS).collect();
    let short = short.trim_end_matches(['.', ' ']);
    if short.is_empty() { "client".to_owned() } else { short.to_owned() }
}

/// What the cards, the base and the canvas are drawn from: the parts of a loaded vault.
pub(crate) struct Sources<'a> {
    pub config: &'a Config,
    pub graph: &'a Graph,
    pub notes: &'a [Note],
    pub index: &'a Index,
    pub resolved: &'a Resolved,
}

impl Sources<'_> {
    /// The paths of the outputs the config turns on.
    pub(crate) fn other_paths(&self) -> Others {
        let dir = &self.config.output_dir;
        let on = &self.config.outputs;
        let cards_folder = format!("{dir}/{CARDS_FOLDER}");
        let suffix = match self.config.lang {
            Lang::En => "card",
            Lang::Ru => "карточка",
        };
        let mut used: HashSet<String> = HashSet::new();
        let cards = self
            .graph
            .clients
            .iter()
            .map(|c| {
                on.cards.then(|| {
                    let base = format!("{} · {suffix}", file_name_part(&c.name));
                    let mut name = base.clone();
                    let mut n = 1;
                    while self.index.has_name(&name) || !used.insert(key(&name)) {
                        n += 1;
                        name = format!("{base} {n}");
                    }
                    format!("{cards_folder}/{name}.md")
                })
            })
            .collect();
        let prefix = dir.rsplit('/').next().unwrap_or(dir);
        let pick = |stem: &str, ext: &str| {
            let mut name = format!("{stem}.{ext}");
            let mut n = 1;
            while self.index.has_file_name(&name) {
                name = if n == 1 { format!("{prefix} {stem}.{ext}") } else { format!("{prefix} {stem} {n}.{ext}") };
                n += 1;
            }
            format!("{dir}/{name}")
        };
        Others {
            base: (on.cards && on.base).then(|| pick("Clients", "base")),
            canvas: on.canvas.then(|| pick("Relationships", "canvas")),
            cards,
            cards_folder,
        }
    }

    /// The cards, the base and the canvas for these figures, at `paths`.
    pub(crate) fn other_outputs(&self, figures: &Figures, paths: &render::Paths) -> Vec<Generated> {
        let mut out = Vec::new();
        self.other_outputs_each(figures, paths, usize::MAX, |batch| {
            out.extend(batch);
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap_or_else(|never| match never {});
        out
    }

    /// [`Sources::other_outputs`] handed to `each` a batch at a time, in the same order:
    /// the cards of `chunk` clients at a time, then the base and the canvas. Only one
    /// batch is in memory at once (5,000 cards are 20 MiB); an error from `each` stops
    /// the drawing.
    pub(crate) fn other_outputs_each<E>(
        &self,
        figures: &Figures,
        paths: &render::Paths,
        chunk: usize,
        mut each: impl FnMut(Vec<Generated>) -> Result<(), E>,
    ) -> Result<(), E> {
        let drawing = self.drawing();
        for clients in figures.clients.chunks(chunk.max(1)) {
            let cards = self.draw_cards(&drawing, clients, figures, paths, None);
            each(cards.into_iter().map(|(g, _)| g).collect())?;
        }
        each(self.draw_maps(&drawing, figures, paths, None).into_iter().map(|(g, _)| g).collect())
    }

    /// The outputs of [`Sources::other_outputs`] whose fingerprint is not the one `kept`
    /// holds for their path, each with its fingerprint: the others would be the same bytes
    /// as when that fingerprint was taken, and are neither rendered nor compared.
    /// Cards are looked at only for the clients in `touched` (all when `None`) and those
    /// whose card has no fingerprint kept: the others' cards are known to be unchanged.
    pub(crate) fn changed_outputs(
        &self,
        figures: &Figures,
        paths: &render::Paths,
        kept: &HashMap<String, Fingerprint>,
        touched: Option<&BTreeSet<ClientId>>,
    ) -> Vec<(Generated, Fingerprint)> {
        let kept = Some(Kept { fingerprints: kept, touched });
        let drawing = self.drawing();
        let mut drawn = self.draw_cards(&drawing, &figures.clients, figures, paths, kept);
        drawn.extend(self.draw_maps(&drawing, figures, paths, kept));
        drawn.into_iter().map(|(g, f)| (g, f.unwrap_or_default())).collect()
    }

    /// What every card and the canvas draw on, gathered once.
    fn drawing(&self) -> Drawing<'_> {
        Drawing { people: self.people_by_company(), feedback: self.open_feedback() }
    }

    /// The cards of `clients`, each with its fingerprint when `kept` is given, leaving
    /// out those whose fingerprint it holds (and the cards of clients not touched).
    fn draw_cards(
        &self,
        drawing: &Drawing<'_>,
        clients: &[crate::metrics::ClientFigures],
        figures: &Figures,
        paths: &render::Paths,
        kept: Option<Kept<'_>>,
    ) -> Vec<(Generated, Option<Fingerprint>)> {
        let lang = self.config.lang;
        let untouched = |client: ClientId, rel: &str| match kept {
            Some(Kept { fingerprints, touched: Some(touched) }) => {
                !touched.contains(&client) && fingerprints.contains_key(rel)
            }
            _ => false,
        };
        clients
            .par_iter()
            .filter_map(|f| {
                let rel = paths.cards.get(f.client)?.as_ref()?;
                if untouched(f.client, rel) {
                    return None;
                }
                let card = self.card(f.client, figures, &drawing.people, &drawing.feedback);
                let fp = fingerprint(kept, rel, &|| card::fingerprint(&card, lang))?;
                let (props, body) = card::render(&card, lang);
                Some((Generated { rel: rel.clone(), content: render::stamp::compose_with_props(&props, &body) }, fp))
            })
            .collect()
    }

    /// The base and the canvas, as [`Sources::draw_cards`] draws the cards.
    fn draw_maps(
        &self,
        drawing: &Drawing<'_>,
        figures: &Figures,
        paths: &render::Paths,
        kept: Option<Kept<'_>>,
    ) -> Vec<(Generated, Option<Fingerprint>)> {
        let lang = self.config.lang;
        let g = &self.graph;
        let people = &drawing.people;
        let mut out = Vec::new();
        if let Some(rel) = &paths.base {
            let (folder, soon) = (&paths.cards_folder, self.config.soon_days);
            if let Some(fp) = fingerprint(kept, rel, &|| render::base::fingerprint(folder, soon, lang)) {
                let yaml = render::base::render(folder, soon, lang);
                out.push((Generated { rel: rel.clone(), content: render::stamp::compose_base(&yaml) }, fp));
            }
        }
        if let Some(rel) = &paths.canvas {
            let clients: Vec<MapClient<'_>> = figures
                .clients
                .iter()
                .map(|f| {
                    let c = &g.clients[f.client];
                    MapClient {
                        path: &c.path,
                        key: c.tier == crate::vocab::Tier::Key,
                        state: f.state,
                        people: people
                            .get(&c.note)
                            .map_or_else(Vec::new, |ps| ps.iter().map(|p| self.map_person(p)).collect()),
                        referred_by: c.referred_by.map(|r| g.clients[r].path.as_str()),
                    }
                })
                .collect();
            let companies: Vec<MapCompany<'_>> = g
                .companies
                .iter()
                .map(|&n| MapCompany {
                    path: &self.notes[n].path,
                    people: people.get(&n).map_or_else(Vec::new, |ps| ps.iter().map(|p| self.map_person(p)).collect()),
                })
                .collect();
            let limit = self.config.outputs.canvas_limit;
            if let Some(fp) = fingerprint(kept, rel, &|| canvas::fingerprint(&clients, &companies, limit, lang)) {
                let members = canvas::render(&clients, &companies, limit, lang);
                out.push((Generated { rel: rel.clone(), content: render::stamp::compose_canvas(&members) }, fp));
            }
        }
        out
    }

    fn map_person<'a>(&'a self, p: &'a Person) -> MapPerson<'a> {
        MapPerson {
            path: &p.path,
            role: p.role.as_deref(),
            moved_to: p.moved_to.map(|m| (self.notes[m].path.as_str(), p.left)),
        }
    }

    /// People by the note of their company, in path order.
    fn people_by_company(&self) -> FxHashMap<NoteId, Vec<&Person>> {
        let mut by: FxHashMap<NoteId, Vec<&Person>> = FxHashMap::default();
        for p in &self.graph.people {
            if let Some(c) = p.company {
                by.entry(c).or_default().push(p);
            }
        }
        by
    }

    /// Open feedback by client id.
    fn open_feedback(&self) -> Vec<Vec<&Feedback>> {
        let mut by = vec![Vec::new(); self.graph.clients.len()];
        for f in &self.graph.feedback {
            if let Some(c) = f.client.filter(|_| f.status == FeedbackStatus::Open) {
                by[c].push(f);
            }
        }
        by
    }

    /// Everything one client's card shows.
    fn card<'a>(
        &'a self,
        client: ClientId,
        figures: &'a Figures,
        people: &FxHashMap<NoteId, Vec<&'a Person>>,
        feedback: &[Vec<&'a Feedback>],
    ) -> Card<'a> {
        let g = &self.graph;
        let c = &g.clients[client];
        let note = &self.notes[c.note];
        let company = note
            .links
            .iter()
            .zip(&self.resolved.targets[c.note])
            .find(|(l, _)| l.property.as_deref() == Some("company"))
            .and_then(|(_, t)| match t {
                Target::Note(i) if *i != c.note => Some(self.notes[*i].path.as_str()),
                _ => None,
            });
        let start = g.next_steps.partition_point(|s| s.client < client);
        let next_steps = g.next_steps[start..]
            .iter()
            .take_while(|s| s.client == client)
            .map(|s| Step { text: s.text.markdown(), due: s.due, scheduled: s.scheduled, path: &s.path })
            .collect();
        let timeline = g
            .interactions_of(client)
            .iter()
            .rev()
            .map(|i| {
                let from = &self.notes[i.note];
                let log = (i.source == Source::LogLine).then(|| log_entry(from, i.line)).flatten();
                let heading = log
                    .and_then(|e| e.section)
                    .and_then(|s| from.headings.get(s as usize))
                    .map(|h| h.as_str())
                    .filter(|h| card::linkable_heading(h));
                Entry {
                    date: i.date,
                    format: i.format.as_deref(),
                    source: i.source,
                    path: &from.path,
                    heading,
                    text: log.map(|e| e.text.as_str()),
                }
            })
            .collect();
        Card {
            client: c,
            figures: &figures.clients[client],
            company,
            people: people.get(&c.note).cloned().unwrap_or_default(),
            next_steps,
            feedback: feedback.get(client).cloned().unwrap_or_default(),
            timeline,
        }
    }
}

/// The clients whose card draws on one of `notes` (ids into the notes of `g`'s vault): the client's own note, the note of a person at it, and the notes its next
/// steps, open feedback and interactions are in. Asked of the graph before a save and
/// after it, these are the cards the save may change, besides those whose figures change
/// (keep it in step with [`Sources::card`]).
pub(crate) fn clients_drawing_on(g: &Graph, notes: &[NoteId]) -> BTreeSet<ClientId> {
    let notes: BTreeSet<NoteId> = notes.iter().copied().collect();
    let hit = |n: NoteId| notes.contains(&n);
    let mut out = BTreeSet::new();
    let companies: BTreeSet<NoteId> = g.people.iter().filter(|p| hit(p.note)).filter_map(|p| p.company).collect();
    for (id, c) in g.clients.iter().enumerate() {
        if hit(c.note) || companies.contains(&c.note) {
            out.insert(id);
        }
    }
    out.extend(g.next_steps.iter().filter(|s| hit(s.note)).map(|s| s.client));
    out.extend(g.feedback.iter().filter(|f| hit(f.note)).filter_map(|f| f.client));
    out.extend(g.interactions.iter().filter(|i| hit(i.note)).map(|i| i.client));
    out
}

/// The log entry of a note at `line`: found by halving, as the parser lists entries in
/// line order, and by looking at each when that order does not hold.
fn log_entry(note: &Note, line: u32) -> Option<&crate::parse::LogEntry> {
    let log = &note.log;
    let at = log.partition_point(|e| e.line < line);
    log.get(at).filter(|e| e.line == line).or_else(|| log.iter().find(|e| e.line == line))
}

/// A fingerprint of what an output is drawn from: equal fingerprints, equal bytes.
pub(crate) type Fingerprint = u64;

/// What the cards and the canvas share: people by their company's note, and each
/// client's open feedback.
struct Drawing<'a> {
    people: FxHashMap<NoteId, Vec<&'a Person>>,
    feedback: Vec<Vec<&'a Feedback>>,
}

/// An output's fingerprint when `kept` is given (`Some(Some(_))`), `None` when `kept`
/// holds that fingerprint for `rel` (the output is unchanged: left out), and `Some(None)`
/// when nothing is kept (always drawn).
fn fingerprint(kept: Option<Kept<'_>>, rel: &str, take: &dyn Fn() -> Fingerprint) -> Option<Option<Fingerprint>> {
    match kept {
        None => Some(None),
        Some(kept) => {
            let f = take();
            (kept.fingerprints.get(rel) != Some(&f)).then_some(Some(f))
        }
    }
}

/// What watch keeps of the outputs it wrote: their fingerprints by path, and the clients
/// whose card may have changed since (`None`: any).
#[derive(Clone, Copy)]
struct Kept<'a> {
    fingerprints: &'a HashMap<String, Fingerprint>,
    touched: Option<&'a BTreeSet<ClientId>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        let cases = [
            ("Polar Tech", "Polar Tech"),
            ("A/B: C?", "A B C"),
            ("...hidden", "hidden"),
            ("Acme Ltd.", "Acme Ltd"),
            ("[[x]] #tag ^id | y", "x tag id y"),
            ("???", "client"),
            ("ООО «Ромашка»", "ООО «Ромашка»"),
        ];
        for (name, want) in cases {
            assert_eq!(file_name_part(name), want, "{name}");
        }
        assert_eq!(file_name_part(&"ж".repeat(300)).chars().count(), MAX_NAME_CHARS);
    }
}
