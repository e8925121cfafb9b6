//! rapport: keep client relationships alive from an Obsidian vault.
//!
//! The pipeline runs one way: `scan` → `parse` → `resolve` → `model` → `metrics` →
//! `render` → `write`; `watch` and the command line sit on top. Each module imports only
//! those before it (`sh scripts/imports.sh` prints the graph and any cycle).
//!
//! Module map:
//!
//! - `vocab`: the words of the domain (kinds, cadence, tiers, statuses, states, formats,
//!   languages) and the one rule for the `.md` extension; a leaf every stage may import.
//! - `diagnostics`, `timing`, `hooks`: findings as data, stage timings, fault points.
//! - `config`: `rapport.toml` → `Config`.
//! - `scan`: walk the vault, read and parse notes in parallel (`Wanted`: what a parsed
//!   note keeps); `cache`: parsed notes kept outside the vault between runs.
//! - `parse`: one note's text → `Note` (`frontmatter` is the only YAML user, `markdown`).
//! - `resolve`: link targets → note ids, by Obsidian's rules.
//! - `model`: notes → `Graph` (`entities`, `properties`, `build`, `incremental`,
//!   `duplicates`, `daily`, `relink`: a task's links resolved for render).
//! - `metrics`: graph + today → `Figures` (client figures, `Reminder`s, portfolio).
//! - `render`: graph + figures + language + `Paths` → text, one function per output
//!   (`reminders`, `dashboard`, `card`, `base`, `canvas`, `ics`) and `stamp`, the marker
//!   and hash every generated file carries; it sees resolved data only.
//! - `ticks`: a Reminders note whose only change is ticked tasks, read back.
//! - `write`: the only writer (classify by stamp, atomic replace).
//! - `outputs`: the cards, base and canvas drawn from a loaded vault's parts.
//! - `watch`: notify events → re-read → rebuild → write (`watch::memo` keeps the
//!   reminders note between saves); `cli`: one file per subcommand, owns the clock and
//!   Ctrl-C.
//! - This file: `Vault` (scan → model for one vault) and the re-exports below, the only
//!   public items (modules are crate-private so the compiler flags dead code).

pub(crate) mod cache;
pub(crate) mod cli;
pub(crate) mod config;
pub(crate) mod diagnostics;
pub(crate) mod hooks;
pub(crate) mod metrics;
pub(crate) mod model;
pub(crate) mod outputs;
pub(crate) mod parse;
pub(crate) mod render;
pub(crate) mod resolve;
pub(crate) mod scan;
pub(crate) mod ticks;
pub(crate) mod timing;
pub(crate) mod vocab;
pub(crate) mod watch;
pub(crate) mod write;

use std::path::{Path, PathBuf};

use model::Graph;
use resolve::{Index, Resolved};
pub(crate) use timing::timing;

// The public face: what the binary, the integration tests, the examples and the fuzz
// targets use. Everything else is crate-private, so the compiler flags what is unused.
pub use cli::{command, run};
pub use config::{Config, ConfigError, load as load_config, parse as parse_config};
pub use diagnostics::{Code, Diagnostic};
pub use metrics::Figures;
pub use parse::frontmatter::Value;
pub use parse::markdown::options as markdown_options;
pub use parse::{Note, parse_bytes, parse_note};
pub use resolve::Target;
pub use scan::{Filter, ScanError, scan, walk};
pub use watch::{Options as WatchOptions, run_with as watch};
pub use write::{Existing, Generated, Outcome, WriteError, classify, output_folder, plan_and_apply};

/// Anything that stops a command (as opposed to findings about notes).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Scan(#[from] scan::ScanError),
    #[error(transparent)]
    Write(#[from] write::WriteError),
    #[error("{0}")]
    Usage(String),
    #[error("cannot write the output: {0}")]
    Output(std::io::Error),
}

/// Cards rendered and written at a time by [`Vault::generate_each`]: enough to keep both
/// threads busy, few enough to keep the rendered outputs small in memory.
pub(crate) const CARDS_AT_ONCE: usize = 512;

/// A vault read, resolved and modelled: everything but `today`.
pub struct Vault {
    pub root: PathBuf,
    pub config: Config,
    pub notes: Vec<Note>,
    pub files: Vec<String>,
    pub index: Index,
    pub resolved: Resolved,
    pub graph: Graph,
    /// Findings from parsing, resolving and modelling (not date-dependent ones).
    pub diagnostics: Vec<Diagnostic>,
    /// Folders the scan could not read (`unreadable`), also in `diagnostics`.
    pub unreadable: Vec<Diagnostic>,
    /// What the graph was built from, for folding in a save.
    cache: model::Cache,
    /// Folded from the vault before with the same notes, links and config (see
    /// [`Vault::folded`]).
    folded: bool,
}

impl Vault {
    /// Reads the config and the whole vault.
    pub fn load(root: &Path) -> Result<Vault, Error> {
        let config = config::load(root)?;
        Self::load_with(root, config)
    }

    /// Reads the whole vault with a given config; with `use_cache`, unchanged notes come
    /// from the parse cache outside the vault ([`cache`]), which is then brought up to date.
    pub fn load_with_cache(root: &Path, config: Config, use_cache: bool) -> Result<Vault, Error> {
        let t = std::time::Instant::now();
        let scanned = scan::scan_cached(root, &config, use_cache)?;
        timing("scan+parse", t);
        Ok(Self::build(root, config, scanned.notes, scanned.files).with_unreadable(scanned.unreadable))
    }

    /// Reads the whole vault with a given config.
    pub fn load_with(root: &Path, config: Config) -> Result<Vault, Error> {
        Self::load_with_cache(root, config, false)
    }

    /// Records the folders the scan could not read: their notes are missing.
    pub fn with_unreadable(mut self, folders: Vec<Diagnostic>) -> Vault {
        self.diagnostics.retain(|d| !self.unreadable.contains(d));
        self.diagnostics.splice(0..0, folders.iter().cloned());
        self.unreadable = folders;
        self
    }

    /// Resolves and models already-parsed notes (sorted by path).
    pub fn build(root: &Path, config: Config, notes: Vec<Note>, files: Vec<String>) -> Vault {
        Self::build_with(root, config, notes, files, false)
    }

    /// Like [`Vault::build`], keeping what [`Vault::rebuild`] needs to fold in saves
    /// cheaply (watch mode).
    pub fn build_for_watch(root: &Path, config: Config, notes: Vec<Note>, files: Vec<String>) -> Vault {
        Self::build_with(root, config, notes, files, true)
    }

    fn build_with(root: &Path, config: Config, notes: Vec<Note>, files: Vec<String>, keep: bool) -> Vault {
        let t = std::time::Instant::now();
        let index = Index::new(&notes, &files);
        timing("index", t);
        let t = std::time::Instant::now();
        let resolved = resolve::resolve(&notes, &files, &index);
        timing("resolve", t);
        Self::model(root, config, notes, files, index, resolved, keep)
    }

    /// Rebuilds after the notes at `changed` (indices into `notes`) were read again, when
    /// no note was added, removed or renamed and no alias, heading or block id changed:
    /// the link index is kept and only the changed notes' links are resolved again.
    pub fn rebuild(self, config: Config, notes: Vec<Note>, changed: &[usize]) -> Vault {
        let t = std::time::Instant::now();
        let Vault { root, files, index, mut resolved, mut graph, mut cache, config: before, unreadable, .. } = self;
        let paths: std::collections::HashSet<&str> = changed.iter().map(|&i| notes[i].path.as_str()).collect();
        resolved.diagnostics.retain(|d| !paths.contains(d.path.as_str()));
        for &i in changed {
            let mut one = resolve::resolve_note(&notes, &files, &index, i);
            resolved.targets[i] = std::mem::take(&mut one.targets[0]);
            resolved.diagnostics.append(&mut one.diagnostics);
        }
        timing("re-resolve", t);
        let t = std::time::Instant::now();
        // Same notes and links: what was rendered stays valid, unless the config moved or
        // the model is built again below (kinds changed: client ids may shift).
        let (graph, diagnostics, cache, folded) =
            match model::update(&mut graph, &mut cache, &notes, &resolved, &index, &config, changed) {
                Some(diags) => {
                    timing("re-model", t);
                    (graph, diags, cache, before == config)
                }
                None => {
                    let (graph, diags, cache) = model::build_graph(&notes, &resolved, &index, &config, true);
                    (graph, diags, cache, false)
                }
            };
        Vault { root, config, notes, files, index, resolved, graph, diagnostics, unreadable, cache, folded }
            .with_note_diagnostics()
    }

    fn model(
        root: &Path,
        config: Config,
        notes: Vec<Note>,
        files: Vec<String>,
        index: Index,
        resolved: Resolved,
        keep: bool,
    ) -> Vault {
        let t = std::time::Instant::now();
        let (graph, diagnostics, cache) = model::build_graph(&notes, &resolved, &index, &config, keep);
        timing("model", t);
        let root = root.to_path_buf();
        let unreadable = Vec::new();
        Vault { root, config, notes, files, index, resolved, graph, diagnostics, unreadable, cache, folded: false }
            .with_note_diagnostics()
    }

    /// Adds the parser's and resolver's findings to the model's.
    fn with_note_diagnostics(mut self) -> Vault {
        let model = std::mem::take(&mut self.diagnostics);
        self.diagnostics = self.unreadable.clone();
        self.diagnostics.extend(self.notes.iter().flat_map(|n| n.diagnostics.iter().cloned()));
        self.diagnostics.extend(self.resolved.diagnostics.iter().cloned());
        self.diagnostics.extend(model);
        self
    }

    /// True when [`Vault::rebuild`] folded saves into the vault before without renaming
    /// anything (same notes, links and config): what was rendered from that one for the
    /// same figures is still this one's.
    pub fn folded(&self) -> bool {
        self.folded
    }

    /// The figures for `today`.
    pub fn figures(&self, today: chrono::NaiveDate) -> metrics::Figures {
        metrics::compute(&self.graph, &self.config, today)
    }
}

/// What [`Vault::record_ticks`] did.
#[derive(Debug, Default)]
pub struct Ticks {
    /// The journal note (vault-relative).
    pub journal: String,
    /// How many items were ticked.
    pub ticked: usize,
    /// The lines appended to the journal (or that would be, in a dry run).
    pub lines: Vec<String>,
    /// The ticked Reminders note (vault-relative path, bytes) these lines account for:
    /// it may be replaced, and no later version of it.
    pub consumed: Option<(String, Vec<u8>)>,
}

impl Vault {
    /// The parts the extra outputs (cards, base, canvas) are drawn from.
    pub(crate) fn sources(&self) -> outputs::Sources<'_> {
        outputs::Sources {
            config: &self.config,
            graph: &self.graph,
            notes: &self.notes,
            index: &self.index,
            resolved: &self.resolved,
        }
    }
}

impl Vault {
    /// The generated notes' paths: `CRM/Reminders.md` and `CRM/Dashboard.md`, or, when a
    /// user note already has that name, `CRM/CRM Reminders.md` so no link becomes ambiguous.
    pub fn generated_paths(&self) -> render::Paths {
        let outputs::Others { cards_folder, cards, base, canvas } = self.sources().other_paths();
        render::Paths {
            reminders: self.note_path("Reminders"),
            dashboard: self.note_path("Dashboard"),
            cards_folder,
            cards,
            base,
            canvas,
        }
    }

    /// The path of the reminders note, as [`Vault::generated_paths`] gives it, without
    /// naming every card (watch asks on every event).
    pub(crate) fn reminders_path(&self) -> String {
        self.note_path("Reminders")
    }

    /// `CRM/{base}.md`, or `CRM/CRM {base}.md` when a note of the vault has the name.
    fn note_path(&self, base: &str) -> String {
        let dir = &self.config.output_dir;
        let prefix = dir.rsplit('/').next().unwrap_or(dir);
        let mut name = base.to_owned();
        let mut n = 1;
        while self.index.has_name(&name) {
            name = if n == 1 { format!("{prefix} {base}") } else { format!("{prefix} {base} {n}") };
            n += 1;
        }
        format!("{dir}/{name}.md")
    }

    /// The journal note of ticked reminders: the one in the output folder marked
    /// `rapport: journal`, else `Journal.md` there (or `CRM Journal.md` when a note of the
    /// vault is already named `Journal`).
    pub fn journal_path(&self) -> String {
        let filter = scan::Filter::new(&self.config);
        if let Some(n) = self.notes.iter().find(|n| filter.is_journal(&n.path) && model::is_journal(n)) {
            return n.path.clone();
        }
        let dir = &self.config.output_dir;
        let prefix = dir.rsplit('/').next().unwrap_or(dir);
        let mut name = "Journal".to_owned();
        let mut n = 1;
        while self.index.has_name(&name) {
            name = if n == 1 { format!("{prefix} Journal") } else { format!("{prefix} Journal {n}") };
            n += 1;
        }
        format!("{dir}/{name}.md")
    }

    /// Records the reminders ticked in the Reminders note as lines of the journal, synced
    /// to disk (unless `dry_run`). A tick whose reminder is no longer due, or whose line
    /// the journal already has, is not recorded again. The vault is not read again: the
    /// caller does, when lines were recorded, before it renders.
    pub fn record_ticks(&self, today: chrono::NaiveDate, dry_run: bool) -> Result<Ticks, Error> {
        let reminders = self.reminders_path();
        let journal = self.journal_path();
        let mut out = Ticks { journal, ..Ticks::default() };
        let Some(bytes) = write::read_generated(&self.root, &reminders)? else { return Ok(out) };
        let Some(ticks) = ticks::ticked_only(&String::from_utf8_lossy(&bytes)) else { return Ok(out) };
        let figures = self.figures(today);
        let recorded = write::read_generated(&self.root, &out.journal)?.unwrap_or_default();
        let recorded = String::from_utf8_lossy(&recorded);
        let lang = self.config.lang;
        for tick in &ticks {
            let found = figures
                .due
                .iter()
                .find(|d| render::reminders::is_task(&d.what) && d.occurrence(d.subject_path(&self.graph)) == tick.id);
            let Some(d) = found else { continue };
            if recorded.lines().any(|l| l.trim_end().ends_with(&format!(" ^{}", tick.id))) {
                continue;
            }
            let date = tick.done.filter(|&x| x <= today).unwrap_or(today);
            out.lines.push(ticks::journal_line(d.what.kind(), date, d.subject_path(&self.graph), &tick.id, lang));
        }
        out.ticked = ticks.len();
        if !dry_run && !out.lines.is_empty() {
            let out_dir = write::output_folder(&self.root, &self.config.output_dir)?;
            write::append_journal(
                &self.root,
                &out_dir,
                &out.journal,
                &ticks::journal_header(lang),
                &out.lines.concat(),
            )?;
            // Tests stop the process here: the tick is in the journal, and still ticked in
            // Reminders.
            hooks::at("journal-synced");
        }
        out.consumed = Some((reminders, bytes));
        Ok(out)
    }

    /// Renders both generated notes for `today`.
    pub fn generate(&self, today: chrono::NaiveDate) -> Vec<Generated> {
        let t = std::time::Instant::now();
        let figures = self.figures(today);
        timing("metrics", t);
        self.generate_from(&figures)
    }

    /// The iCalendar feed of the reminders in `figures`, with every birthday and
    /// anniversary as a yearly event.
    pub fn calendar(&self, figures: &metrics::Figures) -> String {
        // Events link back to their notes in Obsidian, which names a vault by its folder.
        let name = self.root.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
        render::ics::render(&self.graph, figures, self.config.lang, &metrics::yearly(&self.graph), name.as_deref())
    }

    /// Renders every generated file from figures already computed: the two notes, then
    /// the cards, the base and the canvas the config turns on.
    pub fn generate_from(&self, figures: &metrics::Figures) -> Vec<Generated> {
        self.generate_at(figures, &self.generated_paths())
    }

    /// What [`Vault::generate_at`] gives, handed to `each` a batch at a time and in the
    /// same order: the two notes, then the cards of [`CARDS_AT_ONCE`] clients at a time,
    /// then the base and the canvas. The outputs are never all in memory at once (the
    /// cards of 5,000 clients are 20 MiB); an error from `each` stops the rendering.
    pub(crate) fn generate_each<E>(
        &self,
        figures: &metrics::Figures,
        paths: &render::Paths,
        each: impl FnMut(Vec<Generated>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.generate_in_batches(figures, paths, CARDS_AT_ONCE, each)
    }

    /// [`Vault::generate_each`] with the cards of `cards_at_once` clients a batch.
    fn generate_in_batches<E>(
        &self,
        figures: &metrics::Figures,
        paths: &render::Paths,
        cards_at_once: usize,
        mut each: impl FnMut(Vec<Generated>) -> Result<(), E>,
    ) -> Result<(), E> {
        let (r, d) = rayon::join(|| self.reminders_note(figures, paths), || self.dashboard_note(figures, paths));
        each(vec![
            Generated { rel: paths.reminders.clone(), content: r },
            Generated { rel: paths.dashboard.clone(), content: d },
        ])?;
        self.sources().other_outputs_each(figures, paths, cards_at_once, each)
    }

    /// [`Vault::generate_from`] at `paths` (the vault's [`Vault::generated_paths`]).
    pub(crate) fn generate_at(&self, figures: &metrics::Figures, paths: &render::Paths) -> Vec<Generated> {
        let others = || self.sources().other_outputs(figures, paths);
        self.generate_with(
            paths,
            |paths| self.reminders_note(figures, paths),
            |paths| self.dashboard_note(figures, paths),
            others,
        )
    }

    /// Renders both generated notes, by `reminders` and `dashboard`, and the other outputs
    /// by `others` (watch mode passes ones that reuse what it kept).
    pub(crate) fn generate_with(
        &self,
        paths: &render::Paths,
        reminders: impl FnOnce(&render::Paths) -> String + Send,
        dashboard: impl FnOnce(&render::Paths) -> String + Send,
        others: impl FnOnce() -> Vec<Generated> + Send,
    ) -> Vec<Generated> {
        let t = std::time::Instant::now();
        // Side by side: each is parallel inside, but its assembly and hashing are not.
        let ((r, d), others) = rayon::join(|| rayon::join(|| reminders(paths), || dashboard(paths)), others);
        let mut out = vec![
            Generated { rel: paths.reminders.clone(), content: r },
            Generated { rel: paths.dashboard.clone(), content: d },
        ];
        out.extend(others);
        timing("render", t);
        out
    }

    /// The reminders note, frontmatter and all.
    pub fn reminders_note(&self, figures: &metrics::Figures, paths: &render::Paths) -> String {
        render::stamp::compose(&render::reminders::render(&self.graph, figures, self.config.lang, paths), figures.today)
    }

    /// The dashboard note, frontmatter and all.
    pub fn dashboard_note(&self, figures: &metrics::Figures, paths: &render::Paths) -> String {
        render::stamp::compose(&render::dashboard::render(&self.graph, figures, self.config.lang, paths), figures.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_note;

    const NOTES: &[(&str, &str)] = &[
        ("Acme.md", "---\ntype: client\ntier: key\n---\n- 2026-10-01 call\n- [ ] send deck 📅 2026-11-20\n"),
        ("Beta.md", "---\ntype: client\nreferred_by: \"[[Anna]]\"\n---\n"),
        ("Anna.md", "---\ntype: person\ncompany: \"[[Acme]]\"\n---\n- 2026-10-05 lunch\n"),
        ("Meet.md", "---\ntype: interaction\ndate: 2026-10-10\nwith: [\"[[Anna]]\"]\n---\n"),
        ("FB.md", "---\ntype: feedback\nreceived: 2026-11-01\nclient: \"[[Beta]]\"\n---\n"),
        ("2026-10-12.md", "Call with [[Beta]]\n- [ ] follow up with [[Acme]]\n"),
        ("Cleo.md", "---\ntype: person\n---\n- 2026-11-03 call\n"),
        ("Cafe.md", "---\ntype: client\ncadence: monthly\n---\n- 2026-10-31 call\n"),
    ];

    fn vault(edits: &[(&str, &str)]) -> Vault {
        let mut notes: Vec<Note> = NOTES
            .iter()
            .map(|(p, t)| parse_note(p, edits.iter().find(|(e, _)| e == p).map_or(t, |(_, t)| t)))
            .collect();
        notes.sort_by(|a, b| a.path.cmp(&b.path));
        Vault::build_for_watch(Path::new("."), Config::default(), notes, Vec::new())
    }

    fn sorted(mut d: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics::sort(&mut d);
        d
    }

    /// Outputs handed over in batches are the outputs rendered at once, in the same order,
    /// whatever the batch size (clients without a card, with cards off, included).
    #[test]
    fn outputs_in_batches_are_the_outputs_at_once() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        let mut vaults = vec![vault(&[])];
        let mut off = vault(&[]);
        off.config.outputs.cards = false;
        vaults.push(off);
        for v in &vaults {
            let figures = v.figures(today);
            let paths = v.generated_paths();
            let whole = v.generate_at(&figures, &paths);
            assert!(whole.len() >= 2, "the two notes at least");
            for cards_at_once in [1, 2, 3, usize::MAX] {
                let mut batches = Vec::new();
                v.generate_in_batches(&figures, &paths, cards_at_once, |batch| {
                    batches.push(batch);
                    Ok::<(), ()>(())
                })
                .expect("no error");
                assert_eq!(batches.concat(), whole, "{cards_at_once} cards at once");
                if v.config.outputs.cards && cards_at_once == 1 {
                    assert!(batches.len() >= 2 + v.graph.clients.len(), "a batch per card: {}", batches.len());
                }
            }
            // An error stops the batches after it.
            let mut seen = 0;
            let stopped = v.generate_in_batches(&figures, &paths, 1, |_| {
                seen += 1;
                if seen == 2 { Err("stop") } else { Ok(()) }
            });
            assert_eq!((stopped, seen), (Err("stop"), 2));
        }
    }

    /// Folding saves into a vault gives exactly what building it from scratch gives.
    #[test]
    fn incremental_rebuild_equals_a_full_build() {
        let cases: &[&[(&str, &str)]] = &[
            &[("Acme.md", "---\ntype: client\ntier: supporting\ncadence: 2x\n---\n- 2026-11-01 meeting\n")],
            &[("Anna.md", "---\ntype: person\ncompany: \"[[Acme]]\"\nbirthday: 1990-11-30\n---\n- 2026-11-02 call\n")],
            &[("Meet.md", "---\ntype: interaction\ndate: 2026-11-15\nclient: \"[[Beta]]\"\n---\n- [ ] quote\n")],
            &[("FB.md", "---\ntype: feedback\nreceived: 2026-11-02\nclient: \"[[Beta]]\"\nstatus: answered\n---\n")],
            &[("2026-10-12.md", "Lunch with [[Anna]]\n"), ("Beta.md", "---\ntype: client\n---\n")],
            // Another last contact, the same due date (31 Oct and 30 Oct + 1 month).
            &[("Cafe.md", "---\ntype: client\ncadence: monthly\n---\n- 2026-10-30 call\n")],
            // A client's contacts changing, a person changing company, and a note
            // changing kind: full rebuild.
            &[("Beta.md", "---\ntype: client\ncontacts: [\"[[Cleo]]\"]\n---\n")],
            &[("Anna.md", "---\ntype: person\ncompany: \"[[Beta]]\"\n---\n- 2026-10-05 lunch\n")],
            &[("Meet.md", "---\ntype: client\n---\n")],
            // A note that sorts first becomes a client: every client id moves, and its
            // next step, once Acme's, now reads as its own under the same id.
            &[("2026-10-12.md", "Call with [[Beta]] #client\n- [ ] follow up with [[Acme]]\n")],
        ];
        // One-shot builds move contributions instead of caching them: same result.
        let one_shot = Vault::build(Path::new("."), Config::default(), vault(&[]).notes, Vec::new());
        assert_eq!(one_shot.graph, vault(&[]).graph);
        assert_eq!(sorted(one_shot.diagnostics), sorted(vault(&[]).diagnostics));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut changed_reminders = 0;
        for edits in cases {
            let before = vault(&[]);
            // What watch mode wrote before the save: the kept reminders note must not
            // outlive a change to what it shows.
            let mut memo = watch::Memo::default();
            let written = memo.generate(&before, &before.figures(today));
            let mut notes = before.notes.clone();
            let mut changed = Vec::new();
            for (path, text) in *edits {
                let i = notes.iter().position(|n| n.path == *path).unwrap();
                notes[i] = parse_note(path, text);
                changed.push(i);
            }
            let folded = before.rebuild(Config::default(), notes, &changed);
            if !folded.folded() {
                memo.forget();
            }
            let fresh = vault(edits);
            assert_eq!(folded.graph, fresh.graph, "{edits:?}");
            let generated = memo.generate(&folded, &folded.figures(today));
            assert_eq!(generated, fresh.generate(today), "{edits:?}");
            assert_eq!(generated, folded.generate(today), "{edits:?}");
            // A later day changes every reminder's "overdue by".
            let tomorrow = today.succ_opt().unwrap();
            assert_eq!(memo.generate(&folded, &folded.figures(tomorrow)), fresh.generate(tomorrow), "{edits:?}");
            changed_reminders += usize::from(generated[0] != written[0]);
            assert_eq!(sorted(folded.diagnostics), sorted(fresh.diagnostics), "{edits:?}");
        }
        // Some saves change the reminders and some do not: both ways are covered.
        assert!(changed_reminders > 0 && changed_reminders < cases.len(), "{changed_reminders}");
    }
}
