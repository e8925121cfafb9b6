//! Write stage: the only place that writes files.
//!
//! A generated note carries `rapport: generated`, `as_of` and a hash of its body in its
//! frontmatter. A file without the marker, or whose body no longer matches its hash (a
//! person edited it), is never overwritten unless forced. Writes are atomic (temporary
//! file in the same folder, fsync, rename) and skipped when the bytes would not change.
//! Nothing is written outside the output folder, and the output folder must be inside
//! the vault (no `..`, no absolute path, no symlink out).

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diagnostics::{Code, Diagnostic};
use crate::parse::frontmatter;

/// A generated note: where it goes (relative to the vault) and its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub rel: String,
    pub content: String,
}

/// The frontmatter line that marks a generated note.
pub const MARKER: &str = "rapport: generated";
/// Prefix of the temporary files of atomic writes (hidden, so no scan reads them).
pub const TEMP_PREFIX: &str = ".rapport-";

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

/// Hash of a generated body, as written in its frontmatter.
pub fn body_hash(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// A whole generated note: marker frontmatter, then the body.
pub fn compose(body: &str, today: chrono::NaiveDate) -> String {
    format!("---\n{MARKER}\nas_of: {today}\nhash: \"{}\"\n---\n{body}", body_hash(body))
}

/// What is in an existing file at a generated note's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    Missing,
    /// Ours and untouched since we wrote it.
    Generated,
    /// Ours, but a person changed the body.
    Edited,
    /// Not ours: no marker.
    Foreign,
}

/// Classifies existing file content.
pub fn classify(content: Option<&str>) -> Existing {
    let Some(text) = content else { return Existing::Missing };
    let Some(block) = frontmatter::split(text).filter(|b| b.terminated) else { return Existing::Foreign };
    let mut marker = false;
    let mut hash = None;
    for line in block.yaml.lines() {
        let line = line.trim_end();
        if line == MARKER {
            marker = true;
        } else if let Some(h) = line.strip_prefix("hash:") {
            hash = Some(h.trim().trim_matches('"').to_owned());
        }
    }
    if !marker {
        return Existing::Foreign;
    }
    match hash {
        Some(h) if h == body_hash(&text[block.body_start..]) => Existing::Generated,
        _ => Existing::Edited,
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

/// Removes temporary files a killed run left behind in the output folder.
pub fn clean_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp") {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Writes `content` to `path` atomically: a temporary file beside it, synced, renamed over.
pub fn write_atomic(path: &Path, content: &[u8]) -> Result<(), WriteError> {
    let dir = path.parent().ok_or_else(|| WriteError::Io {
        path: path.display().to_string(),
        source: std::io::Error::other("no parent folder"),
    })?;
    // Keep the permissions of the note being replaced; a new note is readable by all, like
    // any note a person saves (the temporary file alone would be private).
    let perms = fs::metadata(path).map(|m| m.permissions()).unwrap_or_else(|_| default_permissions());
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .permissions(perms)
        .tempfile_in(dir)
        .map_err(io(path))?;
    tmp.write_all(content).map_err(io(path))?;
    tmp.as_file().sync_all().map_err(io(path))?;
    // Tests may stop or pause the process here (an abort runs no destructor, so the
    // temporary file stays behind as after a kill).
    crate::hooks::at("before-rename");
    tmp.persist(path).map_err(|e| WriteError::Io { path: path.display().to_string(), source: e.error })?;
    // Make the rename itself durable.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
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

/// Decides what writing `content` to `rel` (relative to the vault) would do.
pub fn plan(vault: &Path, rel: &str, content: &str, force: bool) -> Result<Outcome, WriteError> {
    let path = vault.join(rel);
    let existing = match fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(&path)(e)),
    };
    if existing.as_deref() == Some(content.as_bytes()) {
        return Ok(Outcome::Unchanged);
    }
    let text = existing.as_deref().map(String::from_utf8_lossy);
    Ok(match classify(text.as_deref()) {
        Existing::Missing => Outcome::Created,
        Existing::Generated => Outcome::Updated,
        _ if force => Outcome::Updated,
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
    })
}

/// Plans each generated note and, unless `dry_run`, carries the plan out; the notes side
/// by side, as each write waits on its own sync to disk. Results in the notes' order.
pub fn plan_and_apply(
    vault: &Path,
    out_dir: &Path,
    notes: &[Generated],
    force: bool,
    dry_run: bool,
) -> Vec<Result<Outcome, WriteError>> {
    use rayon::prelude::*;
    notes
        .par_iter()
        .map(|g| {
            let outcome = plan(vault, &g.rel, &g.content, force)?;
            if !dry_run {
                apply(out_dir, vault, &g.rel, &g.content, &outcome)?;
            }
            Ok(outcome)
        })
        .collect()
}

/// Carries out a plan: writes created and updated notes atomically.
pub fn apply(out_dir: &Path, vault: &Path, rel: &str, content: &str, outcome: &Outcome) -> Result<(), WriteError> {
    if matches!(outcome, Outcome::Created | Outcome::Updated) {
        let path = vault.join(rel);
        // Belt and braces: never write anywhere but directly inside the output folder.
        if path.parent().map(Path::to_path_buf).unwrap_or_default().file_name() != out_dir.file_name() {
            return Err(WriteError::Escapes(rel.to_owned()));
        }
        fs::create_dir_all(out_dir).map_err(io(out_dir))?;
        write_atomic(&out_dir.join(path.file_name().unwrap_or_default()), content.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
