//! Watch mode: notify events → re-parse changed notes → rebuild → write.
//!
//! One full scan, then incremental updates: only created, changed, removed or renamed
//! files are read again; the graph is rebuilt from the cached parsed notes and only
//! notes whose bytes change are written. Events in the output folder (our own writes)
//! are dropped, so a cycle never triggers another. A batch waits for the debounce
//! unless every file in it was closed by its writer or renamed into place (a finished
//! save): then it is read after a few milliseconds. Errors in notes are printed and
//! never stop the watcher; a bad config is reported and the last good one kept.
//!
//! Watch reads what the scan reads: no symlink is watched or read through. When events
//! were lost (the kernel's queue overflowed, or an error event) or a batch touches a
//! large share of the vault, the whole vault is read again as `report` reads it. A
//! generated note removed while watch runs is written again.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use notify::{RecursiveMode, Watcher as _};

use crate::diagnostics::{Severity, render_human};
use crate::parse::Note;
use crate::scan::Wanted;
use crate::scan::{self, Filter, ScanError};
use crate::write::{self, Outcome};
use crate::{Error, Vault, config};

mod memo;
pub(crate) use memo::Memo;

/// Obsidian's daily-notes settings, which the config's defaults read.
const DAILY_NOTES_CONFIG: &str = ".obsidian/daily-notes.json";

/// How a watch session runs: the clock, the stop flag and where its log goes.
pub struct Options {
    pub debounce: Duration,
    /// Today's date; called every cycle so midnight rolls over.
    pub today: Box<dyn Fn() -> NaiveDate + Send>,
    /// Set to stop the watcher (Ctrl-C).
    pub stop: Arc<AtomicBool>,
    /// One line per cycle, and diagnostics.
    pub log: Box<dyn Write + Send>,
}

struct State {
    root: PathBuf,
    vault: Vault,
    filter: Filter,
    /// What parsed notes keep; derived from the config, like `filter`.
    wanted: Wanted,
    /// The output paths and the last reminders note, while the vault is folded from its
    /// own; each card's, the base's and the canvas's fingerprint as written.
    memo: Memo,
    today: NaiveDate,
    log: Box<dyn Write + Send>,
    /// The output paths when leftovers were last looked for.
    last_paths: Option<Arc<crate::render::Paths>>,
    /// The Reminders note may hold ticks not yet recorded: set at the start, after lost
    /// events and by any event on the note (ours included); a write looks for ticks only
    /// then, instead of reading the whole note on every save.
    ticks_pending: bool,
}

/// Runs the watch loop with the given clock, stop flag and log.
pub fn run_with(vault_dir: &Path, opts: Options) -> Result<(), Error> {
    let root = vault_dir.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ScanError::NotFound(vault_dir.display().to_string()),
        _ => ScanError::Io { path: vault_dir.display().to_string(), source: e },
    })?;
    let (tx, rx) = mpsc::channel();
    // Symlinks are not followed, as the scan does not follow them: a link to a folder
    // outside the vault must not be watched, nor read through.
    let settings = notify::Config::default().with_follow_symlinks(false);
    let mut watcher = notify::RecommendedWatcher::new(
        move |ev| {
            let _ = tx.send(ev);
        },
        settings,
    )
    .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;
    watcher
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;

    let start = Instant::now();
    let config = config::load(&root)?;
    let scanned = scan::scan(&root, &config)?;
    let vault = Vault::build_for_watch(&root, config, scanned.notes, scanned.files).with_unreadable(scanned.unreadable);
    let (filter, wanted) = (Filter::new(&vault.config), Wanted::new(&vault.config));
    let mut state = State {
        filter,
        wanted,
        memo: Memo::default(),
        root,
        vault,
        today: (opts.today)(),
        log: opts.log,
        last_paths: None,
        ticks_pending: true,
    };
    // Temporary files a killed run left behind (never another running writer's).
    if let Ok(out_dir) = write::output_folder(&state.root, &state.vault.config.output_dir) {
        write::clean_temporaries(&out_dir);
        write::clean_temporaries(&out_dir.join(crate::outputs::CARDS_FOLDER));
    }
    let written = state.write();
    state.line(&format!("watching {} notes", state.vault.notes.len()), &written, start);
    state.print_diagnostics(None);

    // Each changed path, and whether its last event finished the change; how many did
    // not (counted, not searched: a mass edit queues tens of thousands).
    let mut pending: BTreeMap<PathBuf, bool> = BTreeMap::new();
    let mut unfinished = 0usize;
    // Events were lost: read the whole vault again. A generated note was removed.
    let mut lost: Option<&'static str> = None;
    let mut outputs_gone: BTreeSet<PathBuf> = BTreeSet::new();
    let mut deadline: Option<Instant> = None;
    // The vault folder and the clock are looked at between batches of events, not per event.
    let mut looked = Instant::now();
    while !opts.stop.load(Ordering::SeqCst) {
        let wait = deadline.map_or(TICK, |d| d.saturating_duration_since(Instant::now()));
        let idle = match rx.recv_timeout(wait.min(TICK)) {
            Ok(Ok(event)) if event.need_rescan() => {
                lost = Some("events were lost (the system's event queue overflowed)");
                deadline = Some(Instant::now() + opts.debounce);
                false
            }
            Ok(Ok(event)) => {
                // Reads (ours included) change nothing.
                if let Some(done) = finishes(&event.kind) {
                    let removal = removes(&event.kind);
                    let mut concerned = false;
                    for path in event.paths {
                        if state.concern(&path).is_some() {
                            if pending.insert(path, done) == Some(false) {
                                unfinished -= 1;
                            }
                            unfinished += usize::from(!done);
                            concerned = true;
                        } else if removal && state.is_output(&path) && !is_temporary(&path) {
                            outputs_gone.insert(path);
                            concerned = true;
                        }
                    }
                    if concerned {
                        // Files their writers have closed or renamed into place can be
                        // read at once; anything else may still be half written. Many
                        // files at once are a checkout or a mass edit still under way:
                        // wait for it to end, and read it as one batch.
                        let at_once = unfinished == 0 && pending.len() <= BURST;
                        let quiet = if at_once { SETTLE.min(opts.debounce) } else { opts.debounce };
                        deadline = Some(Instant::now() + quiet);
                    }
                }
                false
            }
            Ok(Err(e)) => {
                state.say(&format!("watch error: {e}"));
                lost = Some("after a watch error");
                deadline = Some(Instant::now() + opts.debounce);
                false
            }
            Err(RecvTimeoutError::Timeout) => true,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let due = deadline.is_some_and(|d| Instant::now() >= d);
        let look = idle || due || looked.elapsed() >= TICK;
        if look && !state.root.is_dir() {
            state.say(&format!("the vault folder {} is gone; stopping", state.root.display()));
            return Err(ScanError::NotFound(state.root.display().to_string()).into());
        }
        if due {
            deadline = None;
            unfinished = 0;
            let paths = std::mem::take(&mut pending).into_keys().collect();
            state.cycle(paths, lost.take(), std::mem::take(&mut outputs_gone));
        }
        if !look {
            continue;
        }
        looked = Instant::now();
        let today = (opts.today)();
        if today != state.today {
            let start = Instant::now();
            state.today = today;
            let written = state.write();
            state.line(&format!("new day {today}"), &written, start);
        }
    }
    state.say("stopped");
    Ok(())
}

/// How often the vault folder and the clock are looked at while events stream in.
const TICK: Duration = Duration::from_millis(250);

/// More changed paths than this in one batch wait for the debounce, finished or not.
const BURST: usize = 64;

/// A batch touching at least this many paths, and an eighth of the notes or more (a
/// `sed -i` over the vault, a `git checkout`), is read as `report` reads the vault: a
/// parallel scan and a full build, faster than folding in the saves one by one.
const WHOLE_AT: usize = 1000;

/// How long a finished change waits for another event before it is read (an editor
/// may save twice in a row); unfinished changes wait for the whole debounce.
const SETTLE: Duration = Duration::from_millis(5);

/// Whether an event finishes a change (`Some(true)`: the writer closed the file, or it
/// was renamed into place), starts or continues one (`Some(false)`), or changes nothing
/// (`None`: opening and reading, ours included). A file renamed away or removed may be
/// an editor's backup step before the new text is written, so it does not finish one.
fn finishes(kind: &notify::EventKind) -> Option<bool> {
    use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(true),
        EventKind::Access(_) => None,
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => Some(true),
        _ => Some(false),
    }
}

/// True for a temporary file of an atomic write (ours, or another run's): never an output.
fn is_temporary(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().starts_with(write::TEMP_PREFIX))
}

/// Whether an event may have taken a file away from its path (removed or renamed).
fn removes(kind: &notify::EventKind) -> bool {
    use notify::event::{EventKind, ModifyKind};
    matches!(kind, EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_)))
}

/// What a changed path is to the watcher.
enum Concern {
    /// `rapport.toml` or Obsidian's daily-notes settings.
    Config,
    /// A note or attachment the scan reads, or a folder that may hold them (vault-relative).
    Vault(String),
    /// The Reminders note, where the user ticks reminders (or our own write of it).
    Ticks,
}

impl State {
    /// What a change at `path` is, or `None` when it cannot change what is generated
    /// (our own writes, hidden and ignored files, editor junk).
    fn concern(&self, path: &Path) -> Option<Concern> {
        let rel = scan::relative(&self.root, path)?;
        if rel == config::FILE_NAME || rel == DAILY_NOTES_CONFIG || config::TEMPLATE_SETTINGS.contains(&rel.as_str()) {
            Some(Concern::Config)
        } else if rel == self.vault.reminders_path() {
            Some(Concern::Ticks)
        } else {
            // Ignored notes count too: they are link targets.
            (!rel.is_empty() && self.filter.lists(&rel)).then_some(Concern::Vault(rel))
        }
    }

    /// True for the output folder, a folder above it, or a note directly in it: their
    /// removal may have taken a generated note away.
    fn is_output(&self, path: &Path) -> bool {
        let Some(rel) = scan::relative(&self.root, path) else { return false };
        let out = self.vault.config.output_dir.as_str();
        // The output folder, a folder above it, or anything in it (notes, cards, the
        // base, the canvas).
        at_or_above(&rel, out) || rel.strip_prefix(out).is_some_and(|r| r.starts_with('/'))
    }

    /// True when a folder above `rel` (below the vault) is a symlink: the scan does not
    /// read through it, so neither does watch.
    fn behind_symlink(&self, rel: &str) -> bool {
        let mut prefix = self.root.clone();
        let mut parts = rel.split('/').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                return false;
            }
            prefix.push(part);
            if std::fs::symlink_metadata(&prefix).is_ok_and(|m| m.file_type().is_symlink()) {
                return true;
            }
        }
        false
    }

    fn say(&mut self, msg: &str) {
        let _ = writeln!(self.log, "rapport watch: {msg}");
    }

    fn line(&mut self, what: &str, written: &[String], start: Instant) {
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let wrote =
            if written.is_empty() { "notes unchanged".to_owned() } else { format!("wrote {}", written.join(", ")) };
        self.say(&format!("{what} · {wrote} · {ms:.1} ms"));
    }

    /// Prints the diagnostics of the given notes (all when `None`).
    fn print_diagnostics(&mut self, only: Option<&BTreeSet<String>>) {
        let diags: Vec<_> = self
            .vault
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error || only.is_some())
            .filter(|d| only.is_none_or(|o| o.contains(&d.path)))
            .cloned()
            .collect();
        if !diags.is_empty() {
            let _ = write!(self.log, "{}", render_human(&diags, false));
        }
    }

    /// Writes the generated files that changed, and removes cards no longer generated;
    /// returns their paths. Cards, the base and the canvas whose fingerprint is the one
    /// this watcher last wrote or found are neither rendered nor read again: a save
    /// rewrites only the cards whose client changed.
    fn write(&mut self) -> Vec<String> {
        let out_dir = match write::output_folder(&self.root, &self.vault.config.output_dir) {
            Ok(d) => d,
            Err(e) => {
                self.say(&format!("error: {e}"));
                return Vec::new();
            }
        };
        let mut written = Vec::new();
        // Ticks first, into the journal; the journal read again before rendering. A tick
        // saved after this look is refused by the write (the note is no longer what was
        // rendered from) and its event brings the next cycle, which records it.
        let t = Instant::now();
        let ticks = if std::mem::take(&mut self.ticks_pending) {
            self.vault.record_ticks(self.today, false).unwrap_or_else(|e| {
                // Not recorded: the ticks are still in the note, look again next time.
                self.ticks_pending = true;
                self.say(&format!("error: {e}"));
                crate::Ticks::default()
            })
        } else {
            crate::Ticks::default()
        };
        if !ticks.lines.is_empty() {
            self.reread(&ticks.journal);
            self.say(&format!("recorded {} ticked reminder(s) in {}", ticks.lines.len(), ticks.journal));
        }
        crate::timing("ticks", t);
        let consumed = ticks.consumed.as_ref().map(|(rel, bytes)| (rel.as_str(), bytes.as_slice()));
        let t = Instant::now();
        let figures = self.vault.figures(self.today);
        crate::timing("metrics", t);
        let generated = self.memo.generate(&self.vault, &figures);
        let paths = self.memo.paths(&self.vault);
        let t = Instant::now();
        let output_dir = self.vault.config.output_dir.clone();
        let results =
            write::plan_and_apply_ticked(&self.root, &out_dir, &output_dir, &generated, false, false, consumed);
        crate::timing("write notes", t);
        for (g, result) in generated.into_iter().zip(results) {
            match result {
                Ok(Outcome::Created | Outcome::Updated) => {
                    self.memo.wrote(&g.rel);
                    written.push(g.rel);
                }
                Ok(Outcome::Unchanged) => self.memo.wrote(&g.rel),
                // Ticked after this cycle read the note: the next cycle records them.
                Ok(Outcome::Refused(d)) if d.code == crate::diagnostics::Code::ReportStale => {}
                Ok(Outcome::Refused(d)) => {
                    self.memo.failed(&g.rel);
                    let _ = write!(self.log, "{}", render_human(&[d], false));
                }
                Err(e) => {
                    self.memo.failed(&g.rel);
                    self.say(&format!("error: {e}"));
                }
            }
        }
        // Cards of clients that are gone or renamed: looked for when the paths change.
        if self.last_paths.as_ref() != Some(&paths) {
            let all: std::collections::HashSet<&str> = paths.generated().collect();
            self.memo.retain(|rel| all.contains(rel));
            let leftovers = write::leftovers(&out_dir, &output_dir, &paths.cards_folder, &all);
            match write::remove_leftovers(&out_dir, &output_dir, &leftovers) {
                Ok(()) => written.extend(leftovers.into_iter().filter_map(|l| match l {
                    write::Leftover::Removed(rel) => Some(format!("removed {rel}")),
                    write::Leftover::Kept(_) => None,
                })),
                Err(e) => self.say(&format!("error: {e}")),
            }
            self.last_paths = Some(paths);
        }
        if let Some(ics) = self.vault.config.outputs.ics.clone() {
            let path = write::calendar_path(&self.root, &ics);
            match write::write_calendar(&path, &self.vault.calendar(&figures), false, false) {
                Ok(Outcome::Created | Outcome::Updated) => written.push(ics),
                Ok(Outcome::Unchanged) => {}
                Ok(Outcome::Refused(d)) => {
                    let _ = write!(self.log, "{}", render_human(&[d], false));
                }
                Err(e) => self.say(&format!("error: {e}")),
            }
        }
        written
    }

    /// Applies a batch of changed paths, rebuilds and writes.
    fn cycle(&mut self, paths: BTreeSet<PathBuf>, lost: Option<&str>, outputs_gone: BTreeSet<PathBuf>) {
        let start = Instant::now();
        if let Some(why) = lost {
            // What happened to the outputs is unknown too: each is drawn and compared again.
            self.memo.forget_fingerprints();
            self.read_all(start, why);
            return;
        }
        // Outputs removed are written again by the write below, or by their own.
        let removed = self.forget_removed(&outputs_gone);
        let concerned = paths.iter().filter(|p| self.concern(p).is_some()).count();
        if concerned >= WHOLE_AT && concerned * 8 >= self.vault.notes.len() {
            self.read_all(start, &format!("{concerned} paths changed at once"));
            return;
        }
        let ticked = paths.iter().any(|p| matches!(self.concern(p), Some(Concern::Ticks)));
        self.ticks_pending |= ticked;
        let mut config_changed = false;
        let mut changed: BTreeSet<String> = BTreeSet::new();
        let mut structural = false;
        let empty = Vault::build(&self.root, self.vault.config.clone(), Vec::new(), Vec::new());
        let mut old = std::mem::replace(&mut self.vault, empty);
        let mut notes = std::mem::take(&mut old.notes);
        let mut files = std::mem::take(&mut old.files);
        for p in &paths {
            let rel = match self.concern(p) {
                None => continue,
                Some(Concern::Config) => {
                    config_changed = true;
                    continue;
                }
                Some(Concern::Vault(rel)) => rel,
                Some(Concern::Ticks) => continue,
            };
            match self.refresh(&rel, p, &mut notes, &mut files) {
                Change::None => {}
                Change::Content => {
                    changed.insert(rel);
                }
                Change::Structure => {
                    structural = true;
                    changed.insert(rel);
                }
            }
        }
        let mut config = old.config.clone();
        let mut unreadable = None;
        if config_changed {
            match config::load(&self.root) {
                Ok(c) if c != config => {
                    changed.insert(config::FILE_NAME.to_owned());
                    structural = true;
                    // What is read and kept depends on the config: read everything again.
                    config = c;
                    self.filter = Filter::new(&config);
                    self.wanted = Wanted::new(&config);
                    match scan::scan(&self.root, &config) {
                        Ok(s) => (notes, files, unreadable) = (s.notes, s.files, Some(s.unreadable)),
                        Err(e) => self.say(&format!("error: {e}")),
                    }
                }
                Ok(_) => {}
                Err(e) => self.say(&format!("{e}; keeping the last good config")),
            }
        }
        if changed.is_empty() {
            old.notes = notes;
            old.files = files;
            self.vault = old;
            if ticked && self.has_ticks() {
                // The Reminders note alone changed, and by ticks (not our own write); the
                // write puts back any output that was removed too.
                let written = self.write();
                self.line("ticked in reminders", &written, start);
            } else if removed {
                self.last_paths = None;
                let written = self.write();
                self.line("generated notes removed", &written, start);
            }
            return;
        }
        self.vault = if structural {
            let vault = Vault::build_for_watch(&self.root, config, notes, files);
            match unreadable {
                Some(folders) => vault.with_unreadable(folders),
                None => {
                    let folders = std::mem::take(&mut old.unreadable);
                    vault.with_unreadable(folders)
                }
            }
        } else {
            // Same notes, same names: keep the link index, resolve only what changed.
            let indices: Vec<usize> =
                changed.iter().filter_map(|rel| notes.binary_search_by(|n| n.path.as_str().cmp(rel)).ok()).collect();
            old.files = files;
            self.memo.rebuild(old, config, notes, &indices)
        };
        if !self.vault.folded() {
            self.memo.forget();
        }
        let t = Instant::now();
        let written = self.write();
        crate::timing("write", t);
        let list: Vec<&str> = changed.iter().map(String::as_str).take(3).collect();
        let more = if changed.len() > 3 { format!(", +{}", changed.len() - 3) } else { String::new() };
        self.line(&format!("{} changed ({}{more})", changed.len(), list.join(", ")), &written, start);
        self.print_diagnostics(Some(&changed));
    }

    /// True when the Reminders note holds ticks (and nothing else changed in it).
    fn has_ticks(&self) -> bool {
        let rel = self.vault.reminders_path();
        matches!(write::read_generated(&self.root, &rel), Ok(Some(b)) if crate::ticks::ticked_only(&String::from_utf8_lossy(&b)).is_some())
    }

    /// Reads one note again (the journal, just appended to) and rebuilds the vault.
    fn reread(&mut self, rel: &str) {
        let path = self.root.join(rel);
        let empty = Vault::build(&self.root, self.vault.config.clone(), Vec::new(), Vec::new());
        let mut old = std::mem::replace(&mut self.vault, empty);
        let mut notes = std::mem::take(&mut old.notes);
        let mut files = std::mem::take(&mut old.files);
        self.refresh(rel, &path, &mut notes, &mut files);
        let folders = std::mem::take(&mut old.unreadable);
        self.vault = Vault::build_for_watch(&self.root, old.config.clone(), notes, files).with_unreadable(folders);
        self.memo.forget();
    }

    /// Reads the whole vault again, as `report` does, rebuilds and writes.
    fn read_all(&mut self, start: Instant, why: &str) {
        self.ticks_pending = true;
        let config = match config::load(&self.root) {
            Ok(c) => c,
            Err(e) => {
                self.say(&format!("{e}; keeping the last good config"));
                self.vault.config.clone()
            }
        };
        match scan::scan(&self.root, &config) {
            Ok(s) => {
                self.filter = Filter::new(&config);
                self.wanted = Wanted::new(&config);
                self.vault = Vault::build_for_watch(&self.root, config, s.notes, s.files).with_unreadable(s.unreadable);
                self.memo.forget();
            }
            Err(e) => {
                self.say(&format!("error: {e}"));
                return;
            }
        }
        let written = self.write();
        self.line(&format!("{why}: read all {} notes again", self.vault.notes.len()), &written, start);
        self.print_diagnostics(None);
    }

    /// True when a generated file that removal events named (`removed`: the files, or a
    /// folder above them) is missing: the notes, a card, the base or the canvas. A card,
    /// the base or the canvas is drawn only when its fingerprint differs from the one
    /// kept, so the missing ones' are forgotten and the next write puts them back.
    fn forget_removed(&mut self, removed: &BTreeSet<PathBuf>) -> bool {
        if removed.is_empty() {
            return false;
        }
        let paths = self.memo.paths(&self.vault);
        let rels: Vec<String> = removed.iter().filter_map(|p| scan::relative(&self.root, p)).collect();
        let out = self.vault.config.output_dir.as_str();
        // The output folder, a folder above it or the cards folder: any output may be gone.
        let folder = rels.iter().any(|r| *r == paths.cards_folder || r.is_empty() || at_or_above(r, out));
        let gone =
            |rel: &&String| (folder || rels.contains(rel)) && std::fs::symlink_metadata(self.root.join(rel)).is_err();
        let gone_notes = [&paths.reminders, &paths.dashboard].into_iter().any(|r| gone(&r));
        let others = paths.cards.iter().flatten().chain(paths.base.iter()).chain(paths.canvas.iter());
        let gone: Vec<&String> = others.filter(gone).collect();
        for rel in &gone {
            self.memo.failed(rel);
        }
        gone_notes || !gone.is_empty()
    }

    /// Brings the cache up to date for one path.
    fn refresh(&self, rel: &str, path: &Path, notes: &mut Vec<Note>, files: &mut Vec<String>) -> Change {
        if self.behind_symlink(rel) {
            // Reached through a symlinked folder (made since the scan): not the vault's.
            return remove_under(notes, files, rel, |_| false);
        }
        let meta = std::fs::symlink_metadata(path).ok();
        if meta.as_ref().is_some_and(std::fs::Metadata::is_dir) {
            // A folder created, moved in or touched: make the cache below it match the disk.
            let Ok((paths, found)) = scan::walk_under(&self.root, path, &self.filter) else { return Change::None };
            let keep: BTreeSet<&str> =
                paths.iter().map(|(r, _)| r.as_str()).chain(found.iter().map(String::as_str)).collect();
            let mut change = remove_under(notes, files, rel, |p| keep.contains(p));
            for note in scan::read_notes(&paths, &self.wanted) {
                change = change.max(upsert(notes, note));
            }
            for f in found {
                change = change.max(insert_file(files, f));
            }
            return change;
        }
        if meta.as_ref().is_some_and(std::fs::Metadata::is_file) {
            return if scan::is_note(rel) && !self.filter.ignored(rel) {
                scan::read_note(rel, path, &self.wanted).map_or(Change::None, |note| upsert(notes, note))
            } else {
                insert_file(files, rel.to_owned())
            };
        }
        // Gone, or now a symlink (not followed): forget it and anything below it.
        remove_under(notes, files, rel, |_| false)
    }
}

/// True when `rel` (vault-relative) is the output folder `out` or a folder above it: its
/// removal may take generated files with it.
fn at_or_above(rel: &str, out: &str) -> bool {
    rel == out || out.strip_prefix(rel).is_some_and(|r| r.starts_with('/'))
}

/// What refreshing a path did to the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    None,
    /// A note's content changed, but not what other notes' links resolve against.
    Content,
    /// Notes or files appeared or vanished, or a name, alias, heading or block changed.
    Structure,
}

/// Drops cached notes and files at `rel` or below it, except those `keep` names.
fn remove_under(notes: &mut Vec<Note>, files: &mut Vec<String>, rel: &str, keep: impl Fn(&str) -> bool) -> Change {
    let prefix = format!("{rel}/");
    let gone = |p: &str| (p == rel || p.starts_with(&prefix)) && !keep(p);
    let (n, f) = (notes.len(), files.len());
    notes.retain(|x| !gone(&x.path));
    files.retain(|x| !gone(x));
    if n != notes.len() || f != files.len() { Change::Structure } else { Change::None }
}

/// Inserts or replaces a note in the path-sorted cache.
fn upsert(notes: &mut Vec<Note>, note: Note) -> Change {
    match notes.binary_search_by(|n| n.path.as_str().cmp(&note.path)) {
        Ok(i) if notes[i] == note => Change::None,
        Ok(i) => {
            let old = std::mem::replace(&mut notes[i], note);
            let new = &notes[i];
            let same_targets = old.aliases == new.aliases && old.headings == new.headings && old.blocks == new.blocks;
            if same_targets { Change::Content } else { Change::Structure }
        }
        Err(i) => {
            notes.insert(i, note);
            Change::Structure
        }
    }
}

fn insert_file(files: &mut Vec<String>, f: String) -> Change {
    match files.binary_search(&f) {
        Ok(_) => Change::None,
        Err(i) => {
            files.insert(i, f);
            Change::Structure
        }
    }
}
