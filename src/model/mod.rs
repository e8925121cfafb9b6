//! Model stage: parsed notes + resolved links → the client [`Graph`].
//!
//! Clients, people, companies, interactions (from interaction notes, dated log lines
//! and daily notes), feedback and next steps. The graph does not depend on `today`:
//! dates are judged later, in `metrics`.
//!
//! One file a concern: [`entities`] (what the graph holds), `properties` (reading typed
//! properties through the config's aliases), `build` (notes → graph), `incremental`
//! (folding a save into a graph), `duplicates` (clients sharing a name), [`daily`]
//! (which notes are daily notes) and `relink` (a task's links, resolved).

mod build;
pub(crate) mod daily;
mod duplicates;
pub(crate) mod entities;
mod incremental;
mod properties;
mod relink;

pub(crate) use build::{Cache, build_graph};
pub(crate) use entities::{ClientId, Graph, NoteId, Person, Record};

/// True for the journal of ticked reminders (frontmatter `rapport: journal`).
pub(crate) fn is_journal(note: &crate::parse::Note) -> bool {
    note.prop("rapport").is_some_and(|p| matches!(&p.value, crate::parse::Value::Text(t) if t.trim() == "journal"))
}
pub(crate) use incremental::update;
pub(crate) use relink::TaskText;

/// Notes parsed, sorted and resolved, for the model's unit tests.
#[cfg(test)]
pub(crate) struct Fixture {
    pub notes: Vec<crate::parse::Note>,
    pub index: crate::resolve::Index,
    pub resolved: crate::resolve::Resolved,
}

#[cfg(test)]
impl Fixture {
    pub(crate) fn new(notes: &[(&str, &str)]) -> Self {
        let mut notes: Vec<_> = notes.iter().map(|(p, t)| crate::parse::parse_note(p, t)).collect();
        notes.sort_by(|a, b| a.path.cmp(&b.path));
        let index = crate::resolve::Index::new(&notes, &[]);
        let resolved = crate::resolve::resolve(&notes, &[], &index);
        Fixture { notes, index, resolved }
    }

    /// The graph and the model's diagnostics, under `config`.
    pub(crate) fn build(&self, config: &crate::Config) -> (Graph, Vec<crate::Diagnostic>) {
        let (g, d, _) = build_graph(&self.notes, &self.resolved, &self.index, config, false);
        (g, d)
    }

    /// The id of the note at `path`.
    pub(crate) fn id(&self, path: &str) -> NoteId {
        self.notes.iter().position(|n| n.path == path).expect("a fixture note")
    }
}
