//! The outputs beyond the two notes, gathered for render: a card per client, the
//! `.base` over the cards and the `.canvas` map. This module hands the render functions
//! resolved data (paths, dates, figures) and names the files.
//!
//! Names never capture a user's link: Obsidian resolves a bare `[[Polar Tech]]` by the
//! shortest path, so a card is named `Polar Tech · card` (never a name a note of the
//! vault has), and the base and the canvas get the output folder's name in front when
//! a file of the vault already has theirs.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::config::Config;
use crate::metrics::Figures;
use crate::model::Graph;
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
        let lang = self.config.lang;
        let g = &self.graph;
        let people = self.people_by_company();
        let mut out: Vec<Generated> = figures
            .clients
            .par_iter()
            .filter_map(|f| {
                let rel = paths.cards.get(f.client)?.clone()?;
                let (props, body) = card::render(&self.card(f.client, figures, &people), lang);
                Some(Generated { rel, content: render::stamp::compose_with_props(&props, &body) })
            })
            .collect();
        if let Some(rel) = &paths.base {
            let yaml = render::base::render(&paths.cards_folder, self.config.soon_days, lang);
            out.push(Generated { rel: rel.clone(), content: render::stamp::compose_base(&yaml) });
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
            let members = canvas::render(&clients, &companies, self.config.outputs.canvas_limit, lang);
            out.push(Generated { rel: rel.clone(), content: render::stamp::compose_canvas(&members) });
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
    fn people_by_company(&self) -> HashMap<NoteId, Vec<&Person>> {
        let mut by: HashMap<NoteId, Vec<&Person>> = HashMap::new();
        for p in &self.graph.people {
            if let Some(c) = p.company {
                by.entry(c).or_default().push(p);
            }
        }
        by
    }

    /// Everything one client's card shows.
    fn card<'a>(
        &'a self,
        client: ClientId,
        figures: &'a Figures,
        people: &HashMap<NoteId, Vec<&'a Person>>,
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
            .map(|s| Step { text: s.text.markdown().to_owned(), due: s.due, scheduled: s.scheduled, path: &s.path })
            .collect();
        let feedback =
            g.feedback.iter().filter(|f| f.client == Some(client) && f.status == FeedbackStatus::Open).collect();
        let timeline = g
            .interactions_of(client)
            .iter()
            .rev()
            .map(|i| {
                let from = &self.notes[i.note];
                let log = (i.source == Source::LogLine).then(|| from.log.iter().find(|e| e.line == i.line)).flatten();
                let heading = log
                    .and_then(|e| e.section)
                    .and_then(|s| from.headings.get(s as usize))
                    .map(String::as_str)
                    .filter(|h| card::linkable_heading(h));
                Entry {
                    date: i.date,
                    format: i.format.as_deref(),
                    source: i.source,
                    path: &from.path,
                    heading,
                    text: log.map(|e| card::log_text(&e.text)),
                }
            })
            .collect();
        Card {
            client: c,
            figures: &figures.clients[client],
            company,
            people: people.get(&c.note).cloned().unwrap_or_default(),
            next_steps,
            feedback,
            timeline,
        }
    }
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
