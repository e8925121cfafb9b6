//! Watch mode, the reminders memo: the last reminders note and its lines, kept across
//! saves that rename nothing.
//!
//! Most saves change no reminder, and the note is then not rendered again; the others
//! change a few, and only their lines are written again. Valid while the vault is
//! folded from the one it was rendered from ([`Vault::folded`]); cleared otherwise.

use crate::render::Paths;
use crate::render::reminders::{Inputs, Lines, render_kept};
use crate::{Generated, Vault, metrics};

#[derive(Default)]
pub(crate) struct Memo {
    /// The last reminders note, and what it was rendered from.
    last: Option<(Inputs, String)>,
    lines: Lines,
}

impl Memo {
    /// Both generated notes for `figures`, the reminders note from what is kept where it
    /// can be. Call [`Memo::forget`] first when `vault` is not folded from the last one.
    pub(crate) fn generate(&mut self, vault: &Vault, figures: &metrics::Figures) -> Vec<Generated> {
        vault.generate_with(figures, |paths| self.reminders(vault, figures, paths))
    }

    /// Drops what is kept: the vault was built again, and ids or names may have moved.
    pub(crate) fn forget(&mut self) {
        *self = Memo::default();
    }

    /// The composed reminders note for `figures`.
    fn reminders(&mut self, vault: &Vault, figures: &metrics::Figures, paths: &Paths) -> String {
        let inputs = Inputs::of(figures, paths);
        if let Some((_, note)) = self.last.as_ref().filter(|(kept, _)| *kept == inputs) {
            return note.clone();
        }
        let body = render_kept(&vault.graph, figures, vault.config.lang, paths, &mut self.lines);
        let note = crate::render::stamp::compose(&body, figures.today);
        self.last = Some((inputs, note.clone()));
        note
    }
}
