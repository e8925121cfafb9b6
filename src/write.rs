//! Write stage: the only place that writes files.
//!
//! A generated note carries `rapport: generated`, `as_of` and a hash of its body in its
//! frontmatter. A file without the marker, or whose body no longer matches its hash (a
//! person edited it), is never overwritten unless forced, not even by an edit saved while
//! the note is being written (see [`replace`]). Writes are atomic (temporary file in the
//! same folder, fsync, rename) and skipped when the bytes would not change; temporary
//! files carry their writer's process id, so concurrent runs never remove each other's.
//! Nothing is written outside the output folder, and the output folder must be inside
//! the vault (no `..`, no absolute path, no symlink out).

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::parse::frontmatter;
use crate::render::stamp::{MARKER, body_hash};

/// A generated note: where it goes (relative to the vault) and its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub rel: String,
    pub content: String,
}

/// Prefix of the temporary files of atomic writes (hidden, so no scan reads them).
pub(crate) const TEMP_PREFIX: &str = ".rapport-";

/// Why writing failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("output_dir `{0}` is outside the vault; it must be a folder inside it, e.g. `CRM`")]
    Escapes(String),
    #[error(
        "output_dir `{dir}`: `{link}` is a symlink{target}; the output folder must be a real folder inside the vault"
    )]
    Symlinked { dir: String, link: String, target: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io { path: path.display().to_string(), source }
}

/// The kinds of generated file, told apart by extension: each carries its marker and
/// hash in its own syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Note,
    Base,
    Canvas,
}

fn form_of(rel: &str) -> Form {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("base") => Form::Base,
        Some("canvas") => Form::Canvas,
        _ => Form::Note,
    }
}

/// Whether a file carries the marker: then the hash written in it (if any) and the
/// text that hash covers.
fn hashed(form: Form, text: &str) -> Option<(Option<String>, String)> {
    let unquote = |h: &str| h.trim().trim_end_matches(',').trim().trim_matches('"').to_owned();
    match form {
        Form::Note => {
            let block = frontmatter::split(text).filter(|b| b.terminated)?;
            let mut marker = false;
            let mut hash = None;
            // Covered: every property but the marker, `as_of` and the hash, then the body.
            let mut covered = String::new();
            for line in block.yaml.split_inclusive('\n') {
                let trimmed = line.trim_end();
                if trimmed == MARKER {
                    marker = true;
                } else if let Some(h) = trimmed.strip_prefix("hash:") {
                    hash = Some(unquote(h));
                } else if !trimmed.starts_with("as_of:") {
                    covered.push_str(line);
                }
            }
            covered.push_str(&text[block.body_start..]);
            marker.then_some((hash, covered))
        }
        Form::Base => {
            let rest = text.strip_prefix(&format!("# {MARKER}\n"))?;
            let (line, covered) = rest.split_once('\n').unwrap_or((rest, ""));
            let hash = line.strip_prefix("# hash:").map(unquote);
            Some((hash, covered.to_owned()))
        }
        Form::Canvas => {
            let rest = text.strip_prefix("{\n\"rapport\": \"generated\",\n")?;
            let (line, covered) = rest.split_once('\n').unwrap_or((rest, ""));
            let hash = line.strip_prefix("\"hash\":").map(unquote);
            Some((hash, format!("{{\n{covered}")))
        }
    }
}

/// What is in an existing file at a generated note's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    Missing,
    /// Ours and untouched since we wrote it.
    Generated,
    /// Ours, and the only change is ticked tasks (see [`crate::ticks`]).
    Ticked,
    /// Ours, but a person changed the body.
    Edited,
    /// Not ours: no marker.
    Foreign,
}

/// Classifies existing note content.
pub fn classify(content: Option<&str>) -> Existing {
    classify_as(Form::Note, content)
}

/// Classifies existing content at `rel`, by the syntax its extension calls for.
pub(crate) fn classify_at(rel: &str, content: Option<&str>) -> Existing {
    classify_as(form_of(rel), content)
}

fn classify_as(form: Form, content: Option<&str>) -> Existing {
    let Some(text) = content else { return Existing::Missing };
    match hashed(form, text) {
        None => Existing::Foreign,
        Some((Some(h), covered)) if h == body_hash(&covered) => Existing::Generated,
        _ if form == Form::Note && crate::ticks::ticked_only(text).is_some() => Existing::Ticked,
        Some(_) => Existing::Edited,
    }
}

/// Checks that `output_dir` stays inside the vault and that no part of it is a symlink
/// (one pointing out would write outside; one pointing to another folder of the vault
/// would put generated notes where the scan reads them as a person's), and returns its
/// absolute path (which may not exist yet).
pub fn output_folder(vault: &Path, output_dir: &str) -> Result<PathBuf, WriteError> {
    let rel = Path::new(output_dir);
    let escapes = || WriteError::Escapes(output_dir.to_owned());
    if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) || output_dir.is_empty() {
        return Err(escapes());
    }
    let root = vault.canonicalize().map_err(io(vault))?;
    let mut path = root.clone();
    for c in rel.components() {
        path.push(c);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().into_owned();
                let target = match path.canonicalize() {
                    Ok(real) if real.starts_with(&root) && real != root => match real.strip_prefix(&root) {
                        Ok(rel) => format!(" to `{}`, another folder of the vault", rel.display()),
                        Err(_) => String::new(),
                    },
                    Ok(_) => " to a folder outside the vault".to_owned(),
                    Err(_) => " to nowhere".to_owned(),
                };
                return Err(WriteError::Symlinked { dir: output_dir.to_owned(), link, target });
            }
            Ok(m) if !m.is_dir() => {
                return Err(WriteError::Io {
                    path: path.display().to_string(),
                    source: std::io::Error::other("exists and is not a folder"),
                });
            }
            Ok(_) => {}
            Err(_) => {}
        }
    }
    Ok(path)
}

/// The frontmatter line of the journal note: the user's as much as rapport's, so it may
/// live in the output folder.
pub(crate) const JOURNAL_MARKER: &str = "rapport: journal";

/// Notes in the output folder (absolute `out_dir`, vault-relative `output_dir`) that
/// rapport did not write: without the generated or journal marker, and not at the place
/// of a generated note (there, [`plan`] refuses them as `generated-edited`): the two
/// notes' places, and `generated` (vault-relative paths, the cards'), which are not read.
/// Bases, canvases and other non-note files are not notes and pass. Sorted paths.
pub(crate) fn foreign_notes(
    out_dir: &Path,
    output_dir: &str,
    generated: &std::collections::HashSet<&str>,
) -> Vec<String> {
    let prefix = output_dir.rsplit('/').next().unwrap_or(output_dir);
    let mut out: Vec<String> = walkdir::WalkDir::new(out_dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .flatten()
        .filter(|e| e.file_type().is_file() && crate::scan::is_note(&e.file_name().to_string_lossy()))
        .filter(|e| e.depth() > 1 || !generated_name(&e.file_name().to_string_lossy(), prefix))
        .filter_map(|e| crate::scan::relative(out_dir, e.path()).map(|r| (format!("{output_dir}/{r}"), e)))
        .filter(|(rel, e)| !generated.contains(rel.as_str()) && !marked(e.path()))
        .map(|(rel, _)| rel)
        .collect();
    out.sort();
    out
}

/// True for the file names rapport gives its two notes: `Reminders.md`, or
/// `CRM Reminders 2.md` when a user note already has the name.
fn generated_name(file: &str, prefix: &str) -> bool {
    let stem = &file[..file.len() - 3];
    let stem = stem.strip_prefix(prefix).and_then(|s| s.strip_prefix(' ')).unwrap_or(stem);
    let stem = stem.trim_end_matches(|c: char| c.is_ascii_digit()).trim_end();
    stem == "Reminders" || stem == "Dashboard"
}

/// True when a note's frontmatter carries the generated or the journal marker.
fn marked(path: &Path) -> bool {
    let Ok(text) = fs::read(path) else { return false };
    let text = String::from_utf8_lossy(&text);
    frontmatter::split(&text).is_some_and(|b| b.yaml.lines().any(|l| matches!(l.trim_end(), MARKER | JOURNAL_MARKER)))
}

/// Creates a file that must not exist yet (`rapport init --write`'s config): never
/// replaces one, even if it appears between a look and the write.
pub(crate) fn create_new(path: &Path, content: &[u8]) -> Result<(), WriteError> {
    let mut f = fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(io(path))?;
    f.write_all(content).and_then(|()| f.sync_all()).map_err(io(path))
}

/// Removes the temporary files no running rapport is writing: those a killed run left
/// behind. A temporary file's name carries its writer's process id
/// (`.rapport-PID-XXXXXX.tmp`), so one that another `report` or a `watch` is still
/// writing is left alone; one without an id (an older version's), whose writer is gone,
/// or over an hour old (its id since taken by another process) is removed.
pub(crate) fn clean_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(TEMP_PREFIX).filter(|_| name.ends_with(".tmp")) else { continue };
        let writer = rest.split_once('-').and_then(|(pid, _)| pid.parse::<u32>().ok());
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if old || writer.is_none_or(|pid| !alive(pid)) {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// A temporary file older than this is nobody's, whatever its name says.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// The name prefix of this process's temporary files.
fn own_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// True while a process with this id runs (or may: one we may not signal is running).
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return false };
    !matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH))
}

/// Without a way to ask, only the age rule removes a temporary file.
#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

/// What is at a generated note's place, read without following a symlink.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    Missing,
    /// A regular file, and its bytes.
    File(Vec<u8>),
    /// Anything else (a symlink, a folder, a FIFO): never a note rapport wrote.
    Other,
}

impl Found {
    /// Reads what is at `path` now.
    fn at(path: &Path) -> Result<Found, WriteError> {
        use std::io::Read as _;
        let mut file = match open_nofollow(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
            #[cfg(unix)]
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Ok(Found::Other),
            Err(e) => return Err(io(path)(e)),
        };
        let meta = file.metadata().map_err(io(path))?;
        if !meta.is_file() {
            return Ok(Found::Other);
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.read_to_end(&mut bytes).map_err(io(path))?;
        Ok(Found::File(bytes))
    }

    /// True when this is a generated file at `path` that no person has edited.
    fn is_untouched(&self, path: &Path) -> bool {
        let form = form_of(&path.to_string_lossy());
        matches!(self, Found::File(b) if classify_as(form, Some(&text_of(b))) == Existing::Generated)
    }
}

/// Opens a file for reading without following a symlink at its place, and without
/// blocking on a FIFO.
#[cfg(unix)]
fn open_nofollow(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_nofollow(path: &Path) -> std::io::Result<fs::File> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::from_raw_os_error(0));
    }
    fs::File::open(path)
}

/// Writes `content` to `path` unless what is there is no longer `seen` (what the plan
/// classified): a temporary file beside it, synced, then swapped into place. Returns
/// false, having changed nothing, when the note changed since it was classified.
///
/// The note is read again just before the swap, and on Linux the swap itself is an
/// exchange (`renameat2(RENAME_EXCHANGE)`): what comes out is checked once more and, if a
/// person saved in between, put back at once. What remains is an edit saved in the
/// microseconds between the exchange and the swap back, written into the file rapport
/// had just put in place: it is never deleted (see [`swap`]). Elsewhere, or on a file
/// system without the exchange, the window is between the last read and the rename.
fn replace(path: &Path, content: &[u8], seen: &Found, force: bool) -> Result<bool, WriteError> {
    let dir = path.parent().ok_or_else(|| WriteError::Io {
        path: path.display().to_string(),
        source: std::io::Error::other("no parent folder"),
    })?;
    // Keep the permissions of the note being replaced; a new note, or one replacing
    // a symlink (`--force`), is readable by all like any note a person saves (the
    // temporary file alone would be private).
    let perms = match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => m.permissions(),
        _ => default_permissions(),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(&own_prefix())
        .suffix(".tmp")
        .permissions(perms)
        .tempfile_in(dir)
        .map_err(io(path))?;
    tmp.write_all(content).map_err(io(path))?;
    tmp.as_file().sync_all().map_err(io(path))?;
    // Tests may stop or pause the process here (an abort runs no destructor, so the
    // temporary file stays behind as after a kill).
    crate::hooks::at("before-rename");
    // Still what was classified? An edit saved since is never replaced.
    if !force && Found::at(path)? != *seen {
        return Ok(false);
    }
    crate::hooks::at("before-swap");
    let done = match seen {
        Found::Missing => match tmp.persist_noclobber(path) {
            Ok(_) => true,
            // Created since the plan: plan again.
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => false,
            Err(e) => return Err(io(path)(e.error)),
        },
        _ if force => persist(tmp, path).map(|()| true)?,
        _ => swap(tmp, path, seen, content)?,
    };
    if done {
        // Make the rename itself durable.
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(done)
}

fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> Result<(), WriteError> {
    tmp.persist(path).map(drop).map_err(|e| io(path)(e.error))
}

/// Exchanges the temporary file with the note, then checks what came out: the note as
/// classified, or another run's untouched generated note, is dropped; anything else (a
/// person's save in the last instant) is exchanged back, and false returned.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn swap(tmp: tempfile::NamedTempFile, path: &Path, seen: &Found, content: &[u8]) -> Result<bool, WriteError> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    let exchange = || renameat_with(CWD, tmp.path(), CWD, path, RenameFlags::EXCHANGE);
    match exchange() {
        Ok(()) => {}
        // A file system without the exchange: the check just made is the last one.
        Err(e) if [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP].contains(&e) => {
            return persist(tmp, path).map(|()| true);
        }
        Err(e) => return Err(io(path)(e.into())),
    }
    // The temporary file's name now holds what was at the note's place.
    let out = Found::at(tmp.path())?;
    if out == *seen || out.is_untouched(path) {
        return Ok(true);
    }
    let back = exchange();
    // What is now under the temporary name should be our own note; if it is not (or the
    // exchange back failed), it is a person's text: keep it and say where.
    if back.is_err() || Found::at(tmp.path())? != Found::File(content.to_vec()) {
        // Under a name no cleanup removes (a temporary file's would be).
        let kept = tmp.into_temp_path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let mut at = path.with_file_name(format!(".{name}.{}.kept", std::process::id()));
        if let Err(e) = kept.persist(&at) {
            at = e.path.to_path_buf();
            let _ = e.path.keep();
        }
        return Err(WriteError::Io {
            path: path.display().to_string(),
            source: std::io::Error::other(format!(
                "changed while rapport replaced it; the other version is kept as {}",
                at.display()
            )),
        });
    }
    Ok(false)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn swap(tmp: tempfile::NamedTempFile, path: &Path, _seen: &Found, _content: &[u8]) -> Result<bool, WriteError> {
    persist(tmp, path).map(|()| true)
}
#[cfg(unix)]
fn default_permissions() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt as _;
    fs::Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn default_permissions() -> fs::Permissions {
    tempfile::tempfile().and_then(|f| f.metadata()).map(|m| m.permissions()).expect("a temporary file")
}

/// The result of writing one generated note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    /// Not written: the diagnostic says why (`generated-edited`).
    Refused(Diagnostic),
}

/// A generated file's text, invalid UTF-8 replaced; checked by the vectorised validator
/// first, as the dashboard of a large vault is a megabyte read on every write.
fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Decides what writing `content` to `rel` (relative to the vault) would do.
pub(crate) fn plan(vault: &Path, rel: &str, content: &str, force: bool) -> Result<Outcome, WriteError> {
    Ok(decide(rel, content, &Found::at(&vault.join(rel))?, force, None))
}

/// `consumed`: the bytes of a ticked note whose ticks are recorded; that note, and no
/// other version of it, may be replaced.
fn decide(rel: &str, content: &str, found: &Found, force: bool, consumed: Option<&[u8]>) -> Outcome {
    let text = match found {
        Found::Missing => None,
        Found::File(bytes) if bytes.as_slice() == content.as_bytes() => return Outcome::Unchanged,
        Found::File(bytes) => Some(text_of(bytes)),
        // A symlink or a folder at the note's place is not a note rapport wrote.
        Found::Other => Some("".into()),
    };
    match classify_at(rel, text.as_deref()) {
        Existing::Missing => Outcome::Created,
        Existing::Generated => Outcome::Updated,
        _ if force => Outcome::Updated,
        Existing::Ticked if matches!(found, Found::File(b) if consumed == Some(b.as_slice())) => Outcome::Updated,
        Existing::Ticked => Outcome::Refused(
            Diagnostic::new(Code::ReportStale, rel, 1, 1, "ticked reminders are not recorded in the journal yet")
                .with_hint("run `rapport report` (watch records them as you tick)"),
        ),
        Existing::Edited => Outcome::Refused(
            Diagnostic::new(
                Code::GeneratedEdited,
                rel,
                1,
                1,
                "generated note was edited by hand since rapport wrote it; not overwritten",
            )
            .with_hint("move your changes into your own notes, then delete this file or run `rapport report --force`"),
        ),
        Existing::Foreign => Outcome::Refused(
            Diagnostic::new(
                Code::GeneratedEdited,
                rel,
                1,
                1,
                "a note that rapport did not generate is in the way; not overwritten",
            )
            .with_hint("rename or move it, set another `output_dir`, or run `rapport report --force` to replace it"),
        ),
    }
}

/// How many times a note that keeps changing under a write is classified again.
const ATTEMPTS: usize = 3;

/// Plans each generated note and, unless `dry_run`, carries the plan out; the notes side
/// by side, as each write waits on its own sync to disk. Results in the notes' order: what
/// was done, which may differ from the first plan when the note changed meanwhile (a
/// person's edit is refused, another run's identical note is unchanged). Every `rel` lies
/// under `output_dir` (as the config writes it), which `out_dir` is on disk; cards go
/// into a folder of it.
pub fn plan_and_apply(
    vault: &Path,
    out_dir: &Path,
    output_dir: &str,
    notes: &[Generated],
    force: bool,
    dry_run: bool,
) -> Vec<Result<Outcome, WriteError>> {
    plan_and_apply_ticked(vault, out_dir, output_dir, notes, force, dry_run, None)
}

/// [`plan_and_apply`], where `consumed` is a ticked note (vault-relative path, bytes)
/// whose ticks are now in the journal: it is replaced if it still holds those bytes.
pub(crate) fn plan_and_apply_ticked(
    vault: &Path,
    out_dir: &Path,
    output_dir: &str,
    notes: &[Generated],
    force: bool,
    dry_run: bool,
    consumed: Option<(&str, &[u8])>,
) -> Vec<Result<Outcome, WriteError>> {
    use rayon::prelude::*;
    notes
        .par_iter()
        .map(|g| {
            let consumed = consumed.filter(|(rel, _)| *rel == g.rel).map(|(_, b)| b);
            write_one(vault, out_dir, output_dir, g, force, dry_run, consumed)
        })
        .collect()
}

fn write_one(
    vault: &Path,
    out_dir: &Path,
    output_dir: &str,
    g: &crate::Generated,
    force: bool,
    dry_run: bool,
    consumed: Option<&[u8]>,
) -> Result<Outcome, WriteError> {
    // Belt and braces: never write anywhere but inside the output folder.
    let target = target(out_dir, output_dir, &g.rel)?;
    let dir = target.parent().unwrap_or(out_dir);
    for _ in 0..ATTEMPTS {
        let found = Found::at(&target)?;
        let outcome = decide(&g.rel, &g.content, &found, force, consumed);
        if dry_run || !matches!(outcome, Outcome::Created | Outcome::Updated) {
            return Ok(outcome);
        }
        // Never make the vault folder itself again (watch, as the vault is deleted).
        if !vault.is_dir() {
            return Err(io(vault)(std::io::ErrorKind::NotFound.into()));
        }
        fs::create_dir_all(dir).map_err(io(dir))?;
        if replace(&target, g.content.as_bytes(), &found, force)? {
            return Ok(outcome);
        }
    }
    Ok(Outcome::Refused(
        Diagnostic::new(Code::GeneratedEdited, &g.rel, 1, 1, "kept changing while rapport wrote it; not overwritten")
            .with_hint("run `rapport report` again once nothing else writes to it"),
    ))
}

/// Where a generated file is written: inside the output folder (cards in a folder of it).
pub(crate) fn target(out_dir: &Path, output_dir: &str, rel: &str) -> Result<PathBuf, WriteError> {
    inside(out_dir, output_dir, rel)
}

/// The text at `path` now (invalid UTF-8 replaced), to show what a write would change;
/// `None` when no regular file is there.
pub(crate) fn current_text(path: &Path) -> Result<Option<String>, WriteError> {
    Ok(match Found::at(path)? {
        Found::File(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Found::Missing | Found::Other => None,
    })
}

/// The bytes of a generated file, when one is there (a symlink or folder is not).
pub(crate) fn read_generated(vault: &Path, rel: &str) -> Result<Option<Vec<u8>>, WriteError> {
    Ok(match Found::at(&vault.join(rel))? {
        Found::File(bytes) => Some(bytes),
        _ => None,
    })
}

/// Appends `lines` to the journal note at `rel` (vault-relative, directly in the output
/// folder), creating it with `header` when there is none, and syncs it to disk before
/// returning. The journal is never rewritten: what a person changed in it stays.
pub(crate) fn append_journal(
    vault: &Path,
    out_dir: &Path,
    rel: &str,
    header: &str,
    lines: &str,
) -> Result<(), WriteError> {
    use std::io::{Read as _, Seek as _};
    let name = Path::new(rel).file_name().unwrap_or_default();
    let path = out_dir.join(name);
    if vault.join(rel).parent().and_then(Path::file_name) != out_dir.file_name() {
        return Err(WriteError::Escapes(rel.to_owned()));
    }
    fs::create_dir_all(out_dir).map_err(io(out_dir))?;
    let mut options = fs::OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW).mode(0o644);
    }
    let mut file = options.open(&path).map_err(io(&path))?;
    let len = file.metadata().map_err(io(&path))?.len();
    let mut text = String::new();
    if len == 0 {
        text.push_str(header);
    } else {
        // A last line without its newline (a person's edit) is ended first.
        let mut last = [0u8];
        file.seek(std::io::SeekFrom::End(-1)).map_err(io(&path))?;
        file.read_exact(&mut last).map_err(io(&path))?;
        if last[0] != b'\n' {
            text.push('\n');
        }
    }
    text.push_str(lines);
    file.write_all(text.as_bytes()).map_err(io(&path))?;
    file.sync_all().map_err(io(&path))?;
    if len == 0 {
        // A new file's name is durable once its folder is synced.
        if let Ok(d) = fs::File::open(out_dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Where the `[outputs] ics` file goes: `~/…` from the home folder, a relative path from
/// the vault, an absolute one as it is.
pub(crate) fn calendar_path(vault: &Path, configured: &str) -> PathBuf {
    match configured.strip_prefix("~/").zip(std::env::var_os("HOME")) {
        Some((rest, home)) => PathBuf::from(home).join(rest),
        None => vault.join(configured),
    }
}

/// Writes the calendar feed at `path` unless the bytes are unchanged. The path is the
/// user's choice and may lie outside the vault; a file there that is not a feed rapport
/// wrote (it lacks rapport's `PRODID`) is never replaced, unless `force`.
pub(crate) fn write_calendar(path: &Path, content: &str, force: bool, dry_run: bool) -> Result<Outcome, WriteError> {
    for _ in 0..ATTEMPTS {
        let found = Found::at(path)?;
        let outcome = match &found {
            Found::File(bytes) if bytes == content.as_bytes() => return Ok(Outcome::Unchanged),
            Found::Missing => Outcome::Created,
            Found::File(bytes) if force || is_our_calendar(bytes) => Outcome::Updated,
            _ if force => Outcome::Updated,
            _ => {
                return Ok(Outcome::Refused(
                    Diagnostic::new(
                        Code::GeneratedEdited,
                        &path.display().to_string(),
                        1,
                        1,
                        "a file that is not rapport's calendar feed is at the `[outputs] ics` path; not overwritten",
                    )
                    .with_hint("name another file in `[outputs] ics`, or run `rapport report --force` to replace it"),
                ));
            }
        };
        if dry_run {
            return Ok(outcome);
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        if replace(path, content.as_bytes(), &found, force)? {
            return Ok(outcome);
        }
    }
    Err(WriteError::Io {
        path: path.display().to_string(),
        source: std::io::Error::other("kept changing while rapport wrote it"),
    })
}

/// True for a feed rapport wrote: an iCalendar file with rapport's product identifier.
fn is_our_calendar(bytes: &[u8]) -> bool {
    let text = text_of(bytes);
    text.starts_with("BEGIN:VCALENDAR")
        && text.lines().any(|l| l.trim_end().strip_prefix("PRODID:") == Some(crate::render::ics::PRODID))
}

/// Where `rel` (relative to the vault, under `output_dir`) lies on disk, under `out_dir`;
/// an error for anything that would leave the output folder.
fn inside(out_dir: &Path, output_dir: &str, rel: &str) -> Result<PathBuf, WriteError> {
    let escapes = || WriteError::Escapes(rel.to_owned());
    let sub = rel.strip_prefix(output_dir).and_then(|r| r.strip_prefix('/')).ok_or_else(escapes)?;
    let sub = Path::new(sub);
    if sub.as_os_str().is_empty() || sub.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(escapes());
    }
    Ok(out_dir.join(sub))
}

/// A generated file that is no longer generated (its client is gone or renamed, or its
/// output was turned off).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Leftover {
    /// Still marked and unedited: removed (or would be, in a dry run).
    Removed(String),
    /// Edited by hand since rapport wrote it: kept.
    Kept(String),
}

/// The generated files left in the output folder that `current` no longer lists: cards
/// in `cards` (a folder under `output_dir`) and `.base` and `.canvas` files at its top.
/// Files without the marker are not rapport's and are never listed.
pub(crate) fn leftovers(
    out_dir: &Path,
    output_dir: &str,
    cards: &str,
    current: &std::collections::HashSet<&str>,
) -> Vec<Leftover> {
    let mut found = Vec::new();
    let mut look = |dir: &Path, prefix: &str, exts: &[&str]| {
        let Ok(entries) = fs::read_dir(dir) else { return };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.') && exts.iter().any(|x| n.to_ascii_lowercase().ends_with(x)))
            .collect();
        names.sort();
        for name in names {
            let rel = format!("{prefix}/{name}");
            if current.contains(rel.as_str()) {
                continue;
            }
            let text = fs::read(dir.join(&name)).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
            match classify_at(&rel, text.as_deref()) {
                Existing::Generated => found.push(Leftover::Removed(rel)),
                Existing::Edited | Existing::Ticked => found.push(Leftover::Kept(rel)),
                Existing::Foreign | Existing::Missing => {}
            }
        }
    };
    look(out_dir, output_dir, &[".base", ".canvas"]);
    if let Some(sub) = cards.strip_prefix(output_dir).and_then(|s| s.strip_prefix('/')) {
        look(&out_dir.join(sub), cards, &[".md"]);
    }
    found
}

/// Removes the leftovers that are still rapport's and unedited.
pub(crate) fn remove_leftovers(out_dir: &Path, output_dir: &str, leftovers: &[Leftover]) -> Result<(), WriteError> {
    for l in leftovers {
        if let Leftover::Removed(rel) = l {
            let path = inside(out_dir, output_dir, rel)?;
            match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&path)(e)),
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::stamp::{compose, compose_base, compose_canvas, compose_with_props};

    #[test]
    fn classify_by_marker_and_hash() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let note = compose("# Hi\n", today);
        assert_eq!(classify(Some(&note)), Existing::Generated);
        assert_eq!(classify(Some(&note.replace("# Hi", "# Hello"))), Existing::Edited);
        assert_eq!(classify(Some("# My own note\n")), Existing::Foreign);
        assert_eq!(classify(Some("---\ntitle: x\n---\nbody")), Existing::Foreign);
        assert_eq!(classify(None), Existing::Missing);
    }

    /// Cards, bases and canvases carry the marker in their own syntax; any change to
    /// what the hash covers (a property, the body, a view, a node) is an edit.
    #[test]
    fn classify_cards_bases_and_canvases() {
        let card = compose_with_props("tier: key\nnext_due: 2026-12-01\n", "# Acme\n");
        assert_eq!(classify_at("CRM/Clients/Acme · card.md", Some(&card)), Existing::Generated);
        assert_eq!(classify_at("x.md", Some(&card.replace("tier: key", "tier: supporting"))), Existing::Edited);
        assert_eq!(classify_at("x.md", Some(&card.replace("# Acme", "# Acme!"))), Existing::Edited);
        let base = compose_base("views:\n  - type: table\n    name: All\n");
        assert!(base.starts_with("# rapport: generated\n# hash: "));
        assert_eq!(classify_at("CRM/Clients.base", Some(&base)), Existing::Generated);
        assert_eq!(classify_at("CRM/Clients.base", Some(&base.replace("All", "Mine"))), Existing::Edited);
        assert_eq!(classify_at("CRM/Clients.base", Some("views: []\n")), Existing::Foreign);
        let canvas = compose_canvas("\"nodes\":[],\n\"edges\":[]\n");
        let parsed: serde_json::Value = serde_json::from_str(&canvas).unwrap();
        assert_eq!(parsed["rapport"], "generated");
        assert!(parsed["nodes"].is_array());
        assert_eq!(classify_at("CRM/R.canvas", Some(&canvas)), Existing::Generated);
        assert_eq!(classify_at("CRM/R.canvas", Some(&canvas.replace("[]", "[ ]"))), Existing::Edited);
        assert_eq!(classify_at("CRM/R.canvas", Some("{\"nodes\":[]}")), Existing::Foreign);
        // A note's hash still covers its body only, as generated notes always had.
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(compose("# Hi\n", today).contains(&body_hash("# Hi\n")));
    }

    #[test]
    fn writes_stay_inside_the_output_folder() {
        let out = Path::new("/v/CRM");
        assert_eq!(inside(out, "CRM", "CRM/Clients/A.md").unwrap(), out.join("Clients/A.md"));
        for bad in ["CRM/../x.md", "Other/x.md", "CRMx/a.md", "CRM/", "CRM/./a.md"] {
            assert!(matches!(inside(out, "CRM", bad), Err(WriteError::Escapes(_))), "{bad}");
        }
    }

    #[test]
    fn output_folder_must_stay_inside() {
        let dir = tempfile::tempdir().unwrap();
        assert!(output_folder(dir.path(), "CRM").is_ok());
        assert!(output_folder(dir.path(), "a/b").is_ok());
        for bad in ["../x", "/tmp/x", "a/../../x", ".", ""] {
            assert!(matches!(output_folder(dir.path(), bad), Err(WriteError::Escapes(_))), "{bad}");
        }
    }
}
