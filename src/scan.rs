//! Scan stage: walk the vault, read every note in parallel, parse it.
//!
//! Hidden entries and the output folder are skipped; symlinks are not followed. Notes
//! under `ignore` globs and template folders are not read, but are listed with the
//! files, so links to them still resolve. Results come back in path order whatever the
//! walk order.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::cache;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::{Note, parse_bytes};

/// Notes larger than this are reported and not parsed.
pub(crate) const MAX_NOTE_BYTES: u64 = 64 * 1024 * 1024;

/// What a scan found: parsed notes and the other files (attachments), both by path.
#[derive(Debug, Default, Clone)]
pub struct Scanned {
    pub notes: Vec<Note>,
    /// Non-Markdown files, relative paths with `/`, sorted.
    pub files: Vec<String>,
    /// Folders that could not be read (`unreadable`): their notes are missing.
    pub unreadable: Vec<Diagnostic>,
}

/// Which properties and inline fields are worth keeping after parsing: those the model
/// reads, under their own names or the config's, and those the config maps to kinds.
/// Everything else is dropped to keep parsed notes small (links in dropped
/// properties stay, so they are still checked).
#[derive(Debug, Clone)]
pub(crate) struct Wanted {
    extra: std::collections::HashSet<String>,
}

impl Wanted {
    pub(crate) fn new(config: &Config) -> Self {
        let extra = config.properties.keys().chain(config.kinds.properties.keys()).cloned().collect();
        Wanted { extra }
    }

    pub(crate) fn wants(&self, key: &str) -> bool {
        crate::vocab::PROPERTIES.contains(&key) || self.extra.contains(key)
    }

    /// Drops what the model never reads and returns spare capacity.
    pub(crate) fn compact(&self, note: &mut Note) {
        note.props.retain(|p| self.wants(&p.key));
        note.fields.retain(|f| self.wants(&f.key));
        note.shrink();
    }
}

/// A vault that cannot be scanned at all.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{0}: vault folder not found")]
    NotFound(String),
    #[error("{0}: not a folder")]
    NotADir(String),
    #[error("{path}: cannot read: {source}")]
    Io { path: String, source: std::io::Error },
}

/// Which paths the scan skips.
pub struct Filter {
    output_dir: String,
    ignore: GlobSet,
}

impl Filter {
    pub fn new(config: &Config) -> Self {
        let mut b = GlobSetBuilder::new();
        let templates = config.template_folders.iter().map(|f| format!("{}/**", globset::escape(f)));
        for g in config.ignore.iter().cloned().chain(templates) {
            // Config validation already rejected bad globs.
            if let Ok(glob) = Glob::new(&g) {
                b.add(glob);
            }
        }
        Filter { output_dir: config.output_dir.clone(), ignore: b.build().unwrap_or_else(|_| GlobSet::empty()) }
    }

    /// True when a vault-relative path (with `/`) is read by the scan.
    pub fn wants(&self, rel: &str) -> bool {
        self.lists(rel) && !self.ignored(rel)
    }

    /// True when a vault-relative path is listed at all: read, or (under `ignore` or a
    /// template folder) kept only as a link target.
    pub fn lists(&self, rel: &str) -> bool {
        let hidden = rel.split('/').any(|part| part.starts_with('.'));
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let output =
            rel == self.output_dir || rel.strip_prefix(self.output_dir.as_str()).is_some_and(|r| r.starts_with('/'));
        !(hidden || junk(name) || (output && !self.is_journal(rel)))
    }

    /// True for the journal of ticked reminders, the one note of the output folder the
    /// scan reads: `Journal.md` directly in it, or the name it takes when a note of the
    /// vault already has that one (`CRM Journal.md`, `CRM Journal 2.md`). Whether it
    /// is the journal (`rapport: journal`) is the model's to see.
    pub fn is_journal(&self, rel: &str) -> bool {
        let Some(name) = rel.strip_prefix(self.output_dir.as_str()).and_then(|r| r.strip_prefix('/')) else {
            return false;
        };
        let prefix = self.output_dir.rsplit('/').next().unwrap_or(&self.output_dir);
        let stem = name.strip_suffix(".md").unwrap_or("/");
        stem == "Journal"
            || stem.strip_prefix(prefix).and_then(|s| s.strip_prefix(" Journal")).is_some_and(|n| {
                n.is_empty() || n.strip_prefix(' ').is_some_and(|d| d.chars().all(|c| c.is_ascii_digit()))
            })
    }

    /// [`Filter::lists`] for an entry of a walk whose parent folders it already lists:
    /// only the entry's own name can make it hidden, junk or the output folder, so the
    /// relative path is built only for a possible output folder.
    fn lists_entry(&self, vault: &Path, entry: &walkdir::DirEntry) -> bool {
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || junk(&name) {
            return false;
        }
        let maybe_output = self.output_dir.rsplit('/').next() == Some(&*name);
        !maybe_output || relative(vault, entry.path()).is_some_and(|rel| rel != self.output_dir)
    }

    /// True when a path is under `ignore` or a template folder: listed, not read.
    pub fn ignored(&self, rel: &str) -> bool {
        !self.ignore.is_empty() && self.ignore.is_match(rel)
    }
}

/// Editors' swap, backup and probe files (vim's `4913`, `note.md~`, `.swp`).
fn junk(name: &str) -> bool {
    name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swx") || name == "4913"
}

/// The path of `path` relative to `vault`, with `/` separators.
pub(crate) fn relative(vault: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(vault).ok()?.to_string_lossy();
    Some(if std::path::MAIN_SEPARATOR == '/' { rel.into_owned() } else { rel.replace(std::path::MAIN_SEPARATOR, "/") })
}

/// Lists the notes and attachments of the vault, sorted by path.
/// Notes as (vault-relative path, absolute path), and attachments' relative paths.
pub(crate) type Listing = (Vec<(String, PathBuf)>, Vec<String>);

pub fn walk(vault: &Path, filter: &Filter) -> Result<Listing, ScanError> {
    walk_under(vault, vault, filter)
}

/// Adds the journal note of the output folder, which the walk skips with the folder.
fn add_journal(vault: &Path, filter: &Filter, notes: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(vault.join(&filter.output_dir)) else { return };
    for e in entries.flatten() {
        let rel = format!("{}/{}", filter.output_dir, e.file_name().to_string_lossy());
        if filter.is_journal(&rel) && e.file_type().is_ok_and(|t| t.is_file()) {
            notes.push((rel, e.path()));
        }
    }
}

/// Lists the notes and attachments below `start`, a folder inside the vault.
pub(crate) fn walk_under(vault: &Path, start: &Path, filter: &Filter) -> Result<Listing, ScanError> {
    walk_reporting(vault, start, filter).map(|(listing, _)| listing)
}

/// Like [`walk_under`], with an `unreadable` finding for each folder that could not be
/// listed (no permission, an I/O error): its notes are missing, and the reminders with
/// them, so it is never skipped in silence.
pub(crate) fn walk_reporting(
    vault: &Path,
    start: &Path,
    filter: &Filter,
) -> Result<(Listing, Vec<Diagnostic>), ScanError> {
    match std::fs::metadata(vault) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ScanError::NotFound(vault.display().to_string()));
        }
        Err(source) => return Err(ScanError::Io { path: vault.display().to_string(), source }),
        Ok(m) if !m.is_dir() => return Err(ScanError::NotADir(vault.display().to_string())),
        Ok(_) => {}
    }
    let mut notes = Vec::new();
    let mut files = Vec::new();
    // No sorted walk: the lists are sorted once at the end.
    let walker = WalkDir::new(start).follow_links(false).into_iter();
    let walker = walker.filter_entry(|e| {
        if e.depth() == 0 {
            // The walk's own start: the vault, or a folder below it checked whole.
            e.path() == vault || relative(vault, e.path()).is_some_and(|r| filter.lists(&r))
        } else {
            filter.lists_entry(vault, e)
        }
    });
    let mut unreadable = Vec::new();
    for entry in walker {
        // A folder that vanished mid-walk is skipped; one that cannot be listed is a finding.
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let gone = e.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
                let Some(path) = e.path().filter(|_| !gone) else { continue };
                if path == vault {
                    let source = e.into_io_error().unwrap_or_else(|| std::io::Error::other("cannot list"));
                    return Err(ScanError::Io { path: vault.display().to_string(), source });
                }
                if let Some(rel) = relative(vault, path) {
                    let why = e.io_error().map_or_else(|| e.to_string(), ToString::to_string);
                    let msg = format!("folder cannot be read ({why}); the notes in it are missing from every result");
                    unreadable.push(
                        Diagnostic::new(Code::Unreadable, &rel, 1, 1, msg)
                            .with_hint("give rapport read access to the folder, or list it in `ignore`"),
                    );
                }
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(rel) = relative(vault, entry.path()) else { continue };
        if is_note(&rel) && !filter.ignored(&rel) {
            notes.push((rel, entry.into_path()));
        } else {
            files.push(rel);
        }
    }
    if start == vault {
        add_journal(vault, filter, &mut notes);
    }
    notes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files.sort();
    unreadable.sort_by(|a: &Diagnostic, b| a.path.cmp(&b.path));
    Ok(((notes, files), unreadable))
}

/// True for Markdown notes (`.md`, any letter case).
pub(crate) fn is_note(rel: &str) -> bool {
    crate::vocab::note_stem(rel).is_some_and(|stem| !stem.is_empty())
}

/// Walks and parses the whole vault.
pub fn scan(vault: &Path, config: &Config) -> Result<Scanned, ScanError> {
    scan_cached(vault, config, false)
}

/// Walks and parses the whole vault; with `use_cache`, unchanged notes' facts come from
/// the parse cache ([`crate::cache`]), and the cache is written again when anything changed.
pub(crate) fn scan_cached(vault: &Path, config: &Config, use_cache: bool) -> Result<Scanned, ScanError> {
    // Before any note is looked at: notes changed in this clock tick are not trusted later.
    let start = cache::now();
    let t = std::time::Instant::now();
    let ((paths, files), unreadable) = walk_reporting(vault, vault, &Filter::new(config))?;
    crate::timing::timing("walk", t);
    let wanted = Wanted::new(config);
    let ctx = if use_cache { cache::Context::new(vault, kept_fingerprint(config)) } else { None };
    let Some(ctx) = ctx else { return Ok(Scanned { notes: read_notes(&paths, &wanted), files, unreadable }) };
    Ok(Scanned { notes: read_notes_cached(&paths, &wanted, &ctx, start), files, unreadable })
}

/// What [`Wanted`] keeps depends on these config keys: a cache made under others is not used.
fn kept_fingerprint(config: &Config) -> u64 {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    for k in config.properties.keys().chain(config.kinds.properties.keys()) {
        h.update(k.as_bytes());
        h.update([0]);
    }
    let d = h.finalize();
    u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

/// A note read or decoded: its stamp (none when unreadable), and its cached facts on a hit.
type ReadNote<'a> = (Note, Option<cache::Stamp>, Option<&'a [u8]>);

/// [`read_notes`] through the cache: a note whose stamp matches its entry is decoded, the
/// others are read; then the cache is written again unless every note was a hit.
fn read_notes_cached(
    paths: &[(String, PathBuf)],
    wanted: &Wanted,
    ctx: &cache::Context,
    start: (i64, u32),
) -> Vec<Note> {
    let t = std::time::Instant::now();
    let loaded = cache::Loaded::read(ctx);
    crate::timing::timing("cache read", t);
    let t = std::time::Instant::now();
    let read: Vec<Option<ReadNote<'_>>> = paths
        .par_iter()
        .enumerate()
        .map(|(i, (rel, path))| {
            if let Some(loaded) = &loaded {
                let stamp =
                    std::fs::symlink_metadata(path).ok().filter(|m| m.is_file()).and_then(|m| cache::Stamp::of(&m));
                if let Some((note, blob)) = stamp.and_then(|s| loaded.get(i, rel, &s)) {
                    return Some((note, stamp, Some(blob)));
                }
            }
            let (note, stamp) = read_note_stamped(rel, path, wanted)?;
            Some((note, stamp, None))
        })
        .collect();
    let hits = read.iter().flatten().filter(|r| r.2.is_some()).count();
    crate::timing::timing(&format!("read+decode (cache {hits}/{})", read.len()), t);
    if loaded.as_ref().is_none_or(|l| hits != read.len() || hits != l.len()) {
        let t = std::time::Instant::now();
        let entries: Vec<cache::Entry<'_>> =
            read.iter().flatten().filter_map(|(note, stamp, blob)| Some((note, (*stamp)?, *blob))).collect();
        cache::write(ctx, start, &entries);
        crate::timing::timing("cache write", t);
    }
    read.into_iter().flatten().map(|(note, _, _)| note).collect()
}

/// Reads and parses notes in parallel, keeping their order.
pub(crate) fn read_notes(paths: &[(String, PathBuf)], wanted: &Wanted) -> Vec<Note> {
    // An indexed collect writes each note in its place; a parallel filter_map would
    // gather per-thread lists first and copy them, doubling the peak for the list.
    let read: Vec<Option<Note>> = paths.par_iter().map(|(rel, path)| read_note(rel, path, wanted)).collect();
    // Same size as `Note`, so this reuses the allocation (`flatten` would not).
    #[allow(clippy::filter_map_identity)]
    read.into_iter().filter_map(|n| n).collect()
}

/// Reads and parses one note, keeping what the model reads; `None` when it vanished
/// since the walk or is no longer a regular file.
///
/// One `open` and one `fstat` per note: the file is opened without following symlinks
/// and without blocking (a FIFO put in its place must not hang the scan), and its bytes
/// go into a buffer each thread reuses, so the text of 50,000 notes is never allocated.
pub(crate) fn read_note(rel: &str, path: &Path, wanted: &Wanted) -> Option<Note> {
    read_note_stamped(rel, path, wanted).map(|(note, _)| note)
}

/// [`read_note`], with the stamp of the bytes read (from the open file, before reading:
/// a change during the read gives the next run another stamp). No stamp for a note that
/// could not be read.
fn read_note_stamped(rel: &str, path: &Path, wanted: &Wanted) -> Option<(Note, Option<cache::Stamp>)> {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let unreadable = |msg: String| Note {
        path: rel.to_owned(),
        diagnostics: thin_vec::thin_vec![Diagnostic::new(Code::Unreadable, rel, 1, 1, msg)],
        ..Note::default()
    };
    let mut file = match open_note(path) {
        Ok(file) => file,
        Err(e) if gone(&e) => return None,
        Err(e) => return Some((unreadable(format!("cannot read: {e}")), None)),
    };
    let meta = file.metadata();
    let stamp = meta.as_ref().ok().and_then(cache::Stamp::of);
    let len = match meta {
        Err(e) => return Some((unreadable(format!("cannot read: {e}")), None)),
        // Replaced since the walk by a folder or a FIFO: no longer a note.
        Ok(m) if !m.is_file() => return None,
        Ok(m) if m.len() > MAX_NOTE_BYTES => {
            return Some((
                unreadable(format!(
                    "note is {} MiB, over the {} MiB limit; skipped",
                    m.len() >> 20,
                    MAX_NOTE_BYTES >> 20
                )),
                stamp,
            ));
        }
        Ok(m) => usize::try_from(m.len()).unwrap_or(0),
    };
    BUFFER.with_borrow_mut(|bytes| {
        bytes.clear();
        bytes.reserve(len + 1);
        match std::io::Read::read_to_end(&mut file, bytes) {
            Ok(_) => {
                let mut note = parse_bytes(rel, bytes);
                wanted.compact(&mut note);
                // A rare huge note should not pin its size in every thread's buffer.
                if bytes.capacity() > KEPT_BUFFER_BYTES {
                    *bytes = Vec::new();
                }
                Some((note, stamp))
            }
            Err(e) if gone(&e) => None,
            Err(e) => Some((unreadable(format!("cannot read: {e}")), None)),
        }
    })
}

/// The read buffer a thread keeps between notes.
const KEPT_BUFFER_BYTES: usize = 1 << 20;

/// The note vanished or became a symlink (`ELOOP` under `O_NOFOLLOW`) since the walk.
fn gone(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return true;
    }
    e.kind() == std::io::ErrorKind::NotFound
}

#[cfg(unix)]
fn open_note(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_note(path: &Path) -> std::io::Result<std::fs::File> {
    // Without O_NOFOLLOW, look first: a symlink put in place of the note is not followed.
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::ErrorKind::NotFound.into());
    }
    std::fs::File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A note replaced by a FIFO after the walk must not block the read forever.
    #[test]
    fn a_fifo_in_a_notes_place_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("note.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
        if !made {
            eprintln!("mkfifo is not available; skipped");
            return;
        }
        let wanted = Wanted::new(&Config::default());
        assert!(read_note("note.md", &fifo, &wanted).is_none());
        let file = dir.path().join("real.md");
        std::fs::write(&file, "---\ntype: client\n---\n[[X]]\n").unwrap();
        let note = read_note("real.md", &file, &wanted).unwrap();
        assert_eq!(note.links.len(), 1);
        assert!(read_note("gone.md", &dir.path().join("gone.md"), &wanted).is_none());
    }

    /// A symlink put in a note's place after the walk is not followed, even to a note
    /// inside the vault; a note read after a much larger one still reads whole.
    #[cfg(unix)]
    #[test]
    fn a_symlink_in_a_notes_place_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let wanted = Wanted::new(&Config::default());
        let big = dir.path().join("big.md");
        std::fs::write(&big, format!("[[Big]]\n{}", "x".repeat(2 * KEPT_BUFFER_BYTES))).unwrap();
        assert_eq!(read_note("big.md", &big, &wanted).unwrap().links[0].target(), "Big");
        let target = dir.path().join("target.md");
        std::fs::write(&target, "[[Secret]]\n").unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(read_note("link.md", &link, &wanted).is_none());
        assert_eq!(read_note("target.md", &target, &wanted).unwrap().links[0].target(), "Secret");
    }

    /// The walk prunes by each entry's own name; it must keep exactly what
    /// `Filter::wants` keeps when asked about every whole path.
    #[test]
    fn the_walk_keeps_what_the_filter_wants() {
        let dir = tempfile::tempdir().unwrap();
        let paths = [
            "a.md",
            "CRM.md",
            "Reports/CRM/Reminders.md",
            "Reports/CRMx/kept.md",
            "Other/CRM/kept.md",
            ".obsidian/workspace.md",
            "x/.hidden/n.md",
            "x/.n.md",
            "x/y.md~",
            "x/y.md.swp",
            "x/4913",
            "Templates/t.md",
            "deep/Templates/t.md",
            "deep/a.tmp.md",
            "img/logo.png",
        ];
        for p in paths {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let config = Config {
            output_dir: "Reports/CRM".into(),
            ignore: vec!["Templates/**".into(), "**/*.tmp.md".into()],
            ..Config::default()
        };
        let filter = Filter::new(&config);
        let (notes, files) = walk(dir.path(), &filter).unwrap();
        let mut found: Vec<&str> =
            notes.iter().map(|(r, _)| r.as_str()).chain(files.iter().map(String::as_str)).collect();
        found.sort_unstable();
        let mut expected: Vec<&str> = paths.iter().copied().filter(|p| filter.lists(p)).collect();
        expected.sort_unstable();
        assert_eq!(found, expected);
        assert_eq!(
            expected,
            [
                "CRM.md",
                "Other/CRM/kept.md",
                "Reports/CRMx/kept.md",
                "Templates/t.md",
                "a.md",
                "deep/Templates/t.md",
                "deep/a.tmp.md",
                "img/logo.png"
            ]
        );
        // Ignored notes are listed with the files (link targets), not read.
        let read: Vec<&str> = notes.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(read, ["CRM.md", "Other/CRM/kept.md", "Reports/CRMx/kept.md", "a.md", "deep/Templates/t.md"]);
        assert!(files.contains(&"Templates/t.md".to_owned()) && files.contains(&"deep/a.tmp.md".to_owned()));
    }
}
