//! Watch mode, what is kept between saves: the output paths and the last reminders note
//! with its lines, while the vault is folded from the one they were made for; and a
//! fingerprint of each card, base and canvas as written or found on disk.
//!
//! Most saves change no reminder, and the note is then not rendered again; the others
//! change a few, and only their lines are written again. The paths and the reminders
//! note are valid while the vault is folded from the one they were made for
//! ([`Vault::folded`]), and cleared otherwise. A fingerprint is a hash of everything an
//! output is drawn from (values, never ids), so it holds across rebuilds: a save renders
//! only the cards whose fingerprint changed, and the others are neither rendered, nor
//! read back, nor compared.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::metrics::ClientFigures;
use crate::model::ClientId;
use crate::outputs::{Fingerprint, clients_drawing_on};
use crate::parse::Note;
use crate::render::Paths;
use crate::render::dashboard::Rows;
use crate::render::reminders::{Inputs, Lines, render_kept};
use crate::{Generated, Vault, metrics};

#[derive(Default)]
pub(crate) struct Memo {
    /// The output paths of the vault, while it is folded from the one they were named for.
    paths: Option<Arc<Paths>>,
    /// The last reminders note, and what it was rendered from.
    last: Option<(Inputs, String)>,
    lines: Lines,
    /// The dashboard's client rows, with what each was written from.
    rows: Rows,
    /// Each card's, the base's and the canvas's fingerprint as written or found on disk, by
    /// path.
    kept: HashMap<String, Fingerprint>,
    /// The fingerprints of the outputs of the last [`Memo::generate`], until their write
    /// succeeds ([`Memo::wrote`]).
    drawn: HashMap<String, Fingerprint>,
    /// The figures of each client at the last [`Memo::generate`], while the vault is
    /// folded from that one; `None`: every card is looked at.
    figures: Option<Vec<ClientFigures>>,
    /// Clients whose card a save since the last [`Memo::generate`] may have changed
    /// ([`Memo::touch`]), besides those whose figures changed.
    touched: BTreeSet<ClientId>,
}

impl Memo {
    /// The generated files for `figures`: both notes, the reminders note from what is kept
    /// where it can be, and the cards, base and canvas whose fingerprint is not kept. Call
    /// [`Memo::forget`] first when `vault` is not folded from the last one, and
    /// [`Memo::wrote`] or [`Memo::failed`] for each output after writing it.
    pub(crate) fn generate(&mut self, vault: &Vault, figures: &metrics::Figures) -> Vec<Generated> {
        let paths = self.paths(vault);
        // Drawn last time but never confirmed written: not known to be on disk.
        for (rel, _) in std::mem::take(&mut self.drawn) {
            self.kept.remove(&rel);
        }
        // The cards to look at: those of clients a save touched or whose figures moved.
        let mut touched = std::mem::take(&mut self.touched);
        let all = match &mut self.figures {
            Some(last) if last.len() == figures.clients.len() => {
                for (was, now) in last.iter_mut().zip(&figures.clients) {
                    if was != now {
                        touched.insert(now.client);
                        was.clone_from(now);
                    }
                }
                false
            }
            _ => {
                self.figures = Some(figures.clients.clone());
                true
            }
        };
        let touched = (!all).then_some(&touched);
        let kept = &self.kept;
        let mut drawn = Vec::new();
        let others = || {
            let changed = vault.sources().changed_outputs(figures, &paths, kept, touched);
            changed
                .into_iter()
                .map(|(g, f)| {
                    drawn.push((g.rel.clone(), f));
                    g
                })
                .collect()
        };
        let (last, lines, rows) = (&mut self.last, &mut self.lines, &mut self.rows);
        let out = vault.generate_with(
            &paths,
            |paths| reminders(last, lines, vault, figures, paths),
            |paths| dashboard(rows, vault, figures, paths),
            others,
        );
        self.drawn = drawn.into_iter().collect();
        out
    }

    /// The output paths of `vault`: kept while it is folded from the one they were named
    /// for (same notes, names and config).
    pub(crate) fn paths(&mut self, vault: &Vault) -> Arc<Paths> {
        self.paths.get_or_insert_with(|| Arc::new(vault.generated_paths())).clone()
    }

    /// Drops what is kept by id or name: the vault was built again, and ids or names may
    /// have moved. Fingerprints are of values, and stay.
    pub(crate) fn forget(&mut self) {
        self.paths = None;
        self.last = None;
        self.lines = Lines::default();
        self.figures = None;
        self.touched.clear();
    }

    /// Drops every fingerprint: what is on disk is not known (events were lost), so each
    /// output is drawn and compared with the disk again.
    pub(crate) fn forget_fingerprints(&mut self) {
        self.kept.clear();
    }

    /// Folds saved notes (`changed`, indices into `notes`) into `old`, as
    /// [`Vault::rebuild`] does, and notes the cards they may change: those the notes fed
    /// before the save and those they feed after it. Forgets what is kept by id when the
    /// vault is not folded.
    pub(crate) fn rebuild(&mut self, old: Vault, config: crate::Config, notes: Vec<Note>, changed: &[usize]) -> Vault {
        self.touch(clients_drawing_on(&old.graph, changed));
        let vault = old.rebuild(config, notes, changed);
        if vault.folded() {
            self.touch(clients_drawing_on(&vault.graph, changed));
        } else {
            self.forget();
        }
        vault
    }

    /// A save may have changed these clients' cards: the next [`Memo::generate`] looks at
    /// them (it looks at every card after [`Memo::forget`]).
    pub(crate) fn touch(&mut self, clients: impl IntoIterator<Item = ClientId>) {
        self.touched.extend(clients);
    }

    /// The output at `rel` is on disk as the last [`Memo::generate`] drew it (written, or
    /// found unchanged).
    pub(crate) fn wrote(&mut self, rel: &str) {
        if let Some(f) = self.drawn.remove(rel) {
            self.kept.insert(rel.to_owned(), f);
        }
    }

    /// The output at `rel` may not be on disk as drawn (refused, failed or removed): the
    /// next cycle draws it again.
    pub(crate) fn failed(&mut self, rel: &str) {
        self.drawn.remove(rel);
        self.kept.remove(rel);
    }

    /// Forgets the fingerprints of the outputs `keep` does not name (no longer generated).
    pub(crate) fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.kept.retain(|rel, _| keep(rel));
    }
}

/// The composed dashboard for `figures`, with the client rows of `rows` that are unchanged.
fn dashboard(rows: &mut Rows, vault: &Vault, figures: &metrics::Figures, paths: &Paths) -> String {
    let body = crate::render::dashboard::render_kept(&vault.graph, figures, vault.config.lang, paths, rows);
    crate::render::stamp::compose(&body, figures.today)
}

/// The composed reminders note for `figures`, the last one when what it is drawn from is
/// the same.
fn reminders(
    last: &mut Option<(Inputs, String)>,
    lines: &mut Lines,
    vault: &Vault,
    figures: &metrics::Figures,
    paths: &Paths,
) -> String {
    if let Some((_, note)) = last.as_ref().filter(|(kept, _)| kept.are(figures, paths)) {
        return note.clone();
    }
    let body = render_kept(&vault.graph, figures, vault.config.lang, paths, lines);
    let note = crate::render::stamp::compose(&body, figures.today);
    *last = Some((Inputs::of(figures, paths), note.clone()));
    note
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;
    use crate::parse::parse_note;
    use std::path::Path;

    /// Every input a card, the base or the canvas is drawn from, in a few notes.
    const NOTES: &[(&str, &str)] = &[
        (
            "Acme.md",
            "---\ntype: client\ntier: key\ncompany: \"[[Acme Group]]\"\n---\n## Log\n- 2026-10-01 call with [[Anna]]\n- [ ] send deck 📅 2026-11-20\n",
        ),
        ("Acme Group.md", "# Acme Group\n"),
        ("Beta.md", "---\ntype: client\nreferred_by: \"[[Anna]]\"\n---\n- 2026-09-01 email\n"),
        ("Anna.md", "---\ntype: person\ncompany: \"[[Acme]]\"\nrole: CTO\n---\n- 2026-10-05 lunch\n"),
        ("Meet.md", "---\ntype: interaction\ndate: 2026-10-10\nwith: [\"[[Anna]]\"]\n---\n"),
        ("FB.md", "---\ntype: feedback\nreceived: 2026-11-01\nclient: \"[[Beta]]\"\n---\n"),
        ("2026-10-12.md", "Call with [[Beta]]\n- [ ] follow up with [[Acme]]\n"),
        ("Cafe.md", "---\ntype: client\ncadence: monthly\n---\n- 2026-10-31 call\n"),
        ("Zed.md", "---\ntype: client\n---\n"),
        ("Ben.md", "---\ntype: person\ncompany: \"[[Beta]]\"\nrole: CFO\n---\n"),
        ("Todo.md", "- [ ] ask [[Acme]] about the deck\n"),
    ];

    fn notes(edits: &[(&str, &str)]) -> Vec<Note> {
        let mut notes: Vec<Note> = NOTES
            .iter()
            .map(|(p, t)| parse_note(p, edits.iter().find(|(e, _)| e == p).map_or(t, |(_, t)| t)))
            .collect();
        notes.sort_by(|a, b| a.path.cmp(&b.path));
        notes
    }

    /// After a save, watch draws exactly what a full render would write anew: every card,
    /// the base and the canvas whose bytes changed is drawn, and as a full render draws
    /// it; those left out are the same bytes as before. Each save changes one input a card
    /// is drawn from, directly or through another note.
    #[test]
    fn a_save_draws_every_output_it_changes_and_only_those() {
        let cases: &[&[(&str, &str)]] = &[
            // The client's own note: a property and a log line.
            &[(
                "Acme.md",
                "---\ntype: client\ntier: supporting\ncompany: \"[[Acme Group]]\"\n---\n## Log\n- 2026-10-01 call with [[Anna]]\n- [ ] send deck 📅 2026-11-20\n",
            )],
            &[(
                "Acme.md",
                "---\ntype: client\ntier: key\ncompany: \"[[Acme Group]]\"\n---\n## Log\n- 2026-10-01 call with [[Anna]] about prices\n- [ ] send deck 📅 2026-11-20\n",
            )],
            // A person's role, then birthday.
            &[("Anna.md", "---\ntype: person\ncompany: \"[[Acme]]\"\nrole: CEO\n---\n- 2026-10-05 lunch\n")],
            &[(
                "Anna.md",
                "---\ntype: person\ncompany: \"[[Acme]]\"\nrole: CTO\nbirthday: 1990-04-02\n---\n- 2026-10-05 lunch\n",
            )],
            // A client with no interaction or next step: a property only its card shows.
            &[("Zed.md", "---\ntype: client\nsatisfaction: 4\n---\n")],
            // A person with no interaction of their own: role, then birthday.
            &[("Ben.md", "---\ntype: person\ncompany: \"[[Beta]]\"\nrole: CEO\n---\n")],
            &[("Ben.md", "---\ntype: person\ncompany: \"[[Beta]]\"\nrole: CFO\nbirthday: 1980-02-03\n---\n")],
            // A next step in a note that is no interaction.
            &[("Todo.md", "- [ ] ask [[Acme]] about the new deck 📅 2026-11-30\n")],
            // An interaction note: its date, then another client.
            &[("Meet.md", "---\ntype: interaction\ndate: 2026-10-11\nwith: [\"[[Anna]]\"]\n---\n")],
            &[("Meet.md", "---\ntype: interaction\ndate: 2026-10-10\nclient: \"[[Zed]]\"\n---\n")],
            // Feedback answered.
            &[("FB.md", "---\ntype: feedback\nreceived: 2026-11-01\nclient: \"[[Beta]]\"\nstatus: answered\n---\n")],
            // A next step in a daily note, then one more with a date.
            &[("2026-10-12.md", "Call with [[Beta]]\n- [ ] call [[Acme]] back\n")],
            &[(
                "2026-10-12.md",
                "Call with [[Beta]]\n- [ ] follow up with [[Acme]]\n- [ ] quote for [[Zed]] 📅 2026-12-01\n",
            )],
            // Figures only: another last contact.
            &[("Cafe.md", "---\ntype: client\ncadence: monthly\n---\n- 2026-11-02 call\n")],
            // A kind changes: the vault is built again.
            &[("Zed.md", "---\ntype: person\ncompany: \"[[Beta]]\"\n---\n")],
        ];
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let root = Path::new(".");
        let mut skipped = 0;
        for edits in cases {
            let before = Vault::build_for_watch(root, Config::default(), notes(&[]), Vec::new());
            let mut memo = Memo::default();
            let written = memo.generate(&before, &before.figures(today));
            assert_eq!(written, before.generate(today), "the first render draws everything");
            written.iter().for_each(|g| memo.wrote(&g.rel));
            let saved = notes(edits);
            let changed: Vec<usize> =
                edits.iter().map(|(p, _)| saved.iter().position(|n| n.path == *p).unwrap()).collect();
            let folded = memo.rebuild(before, Config::default(), saved, &changed);
            let fresh = Vault::build_for_watch(root, Config::default(), notes(edits), Vec::new());
            for day in [today, today.succ_opt().unwrap()] {
                let drawn = memo.generate(&folded, &folded.figures(day));
                let full = fresh.generate(day);
                for g in &drawn {
                    assert_eq!(
                        Some(g),
                        full.iter().find(|f| f.rel == g.rel),
                        "{edits:?} {day}: drawn as a full render"
                    );
                }
                for g in full.iter().filter(|g| written.iter().find(|w| w.rel == g.rel) != Some(g)) {
                    assert!(drawn.iter().any(|d| d.rel == g.rel), "{edits:?} {day}: {} changed, not drawn", g.rel);
                }
                skipped += full.len() - drawn.len();
            }
        }
        assert!(skipped > 0, "unchanged cards are left out");
    }
}
