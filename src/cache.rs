//! A persistent cache of parsed notes, outside the vault.
//!
//! A run that finds a note unchanged since the run that cached it takes the note's
//! parsed facts from the cache instead of reading and parsing its text. The cache is one
//! file per vault in the platform's cache folder (`$XDG_CACHE_HOME/rapport/` or
//! `~/.cache/rapport/` on Linux, `~/Library/Caches/rapport/` on macOS, `%LOCALAPPDATA%`
//! on Windows), named after a hash of the vault's canonical path. Nothing is written
//! into the vault.
//!
//! Trust. An entry is used only when the note's size, modification time (to the
//! nanosecond) and inode all match, and the file's magic, format version, rapport
//! version, vault path, the set of properties kept and a checksum of every byte all
//! match; otherwise the whole file is ignored and rebuilt, never partly trusted. A note
//! whose modification time falls within [`RACY_SLACK`] of the start of the run that
//! cached it is *racily clean*, as git calls it: it could have been changed again in the
//! same tick of a coarse file clock, after it was read, without its time changing. Such
//! entries are read again, never trusted.
//!
//! Layout (integers as LEB128 varints, strings as a length and UTF-8 bytes):
//! `MAGIC`, format version, rapport version, canonical vault path, kept-properties
//! fingerprint (u64), run start (seconds, nanoseconds); then the facts of every entry, in
//! order; then the table: the entry count and per entry the note's relative path, size,
//! modification time (seconds as zig-zag, nanoseconds), inode and the length of its
//! facts; then the table's offset (8 bytes, little-endian); then a CRC-32 of everything
//! before it (4 bytes, little-endian). The table comes last so that the facts can be
//! written as they are encoded, a few at a time, and never held all at once.

use compact_str::CompactString;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::NaiveDate;
use thin_vec::ThinVec;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::parse::{Field, Link, LinkKind, LogEntry, Note, Property, Task, TaskStatus, Value};

const MAGIC: &[u8] = b"rapport parse cache\n";
/// Bumped whenever the layout or what the parser produces for the same bytes changes.
pub(crate) const FORMAT_VERSION: u64 = 3;
/// Modification times this close to (or after) the caching run's start are not trusted:
/// two seconds covers the coarsest common file clock (FAT's).
pub(crate) const RACY_SLACK: Duration = Duration::from_secs(2);

/// What identifies a note's bytes without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub size: u64,
    pub mtime_secs: i64,
    pub mtime_nanos: u32,
    pub inode: u64,
}

impl Stamp {
    /// The stamp of a file's metadata (`None` where the platform gives no modification time).
    pub(crate) fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Stamp {
                size: meta.len(),
                mtime_secs: meta.mtime(),
                mtime_nanos: u32::try_from(meta.mtime_nsec()).ok()?,
                inode: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let since = meta.modified().ok()?.duration_since(SystemTime::UNIX_EPOCH).ok()?;
            Some(Stamp {
                size: meta.len(),
                mtime_secs: i64::try_from(since.as_secs()).ok()?,
                mtime_nanos: since.subsec_nanos(),
                inode: 0,
            })
        }
    }

    /// True when the note may have changed within its clock's tick after `start`'s read.
    fn racy(&self, start: (i64, u32)) -> bool {
        let slack = i64::try_from(RACY_SLACK.as_secs()).unwrap_or(i64::MAX);
        (self.mtime_secs, self.mtime_nanos) >= (start.0.saturating_sub(slack), start.1)
    }
}

/// The cache file of a vault, when the platform has a cache folder.
pub(crate) fn path_for(vault: &Path) -> Option<PathBuf> {
    let canonical = std::fs::canonicalize(vault).ok()?;
    let dir = dirs::cache_dir()?.join("rapport");
    Some(dir.join(format!("{}.cache", hex16(&key_of(&canonical)))))
}

fn key_of(canonical: &Path) -> Vec<u8> {
    canonical.to_string_lossy().as_bytes().to_vec()
}

fn hex16(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Seconds and nanoseconds since the epoch (negative times clamp to 0).
pub(crate) fn now() -> (i64, u32) {
    let d = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    (i64::try_from(d.as_secs()).unwrap_or(i64::MAX), d.subsec_nanos())
}

/// A cache file read and checked: its entries in the file's order (by relative path, as
/// the walk sorts them), each pointing into its bytes for the path and the facts.
pub(crate) struct Loaded {
    bytes: Vec<u8>,
    entries: Vec<Cached>,
    start: (i64, u32),
}

/// Identifies what a cache holds besides the notes' bytes: the vault and the properties
/// the model keeps (a cache made under another config is not reused).
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub file: PathBuf,
    pub vault: Vec<u8>,
    pub kept: u64,
}

impl Context {
    pub(crate) fn new(vault: &Path, kept: u64) -> Option<Context> {
        let file = path_for(vault)?;
        let vault = key_of(&std::fs::canonicalize(vault).ok()?);
        Some(Context { file, vault, kept })
    }
}

impl Loaded {
    /// Reads and checks the cache file; `None` when it is missing, unreadable, corrupt,
    /// truncated, of another version or of another vault or config.
    pub(crate) fn read(ctx: &Context) -> Option<Loaded> {
        let bytes = std::fs::read(&ctx.file).ok()?;
        Self::parse(bytes, ctx)
    }

    fn parse(bytes: Vec<u8>, ctx: &Context) -> Option<Loaded> {
        let body_len = bytes.len().checked_sub(4)?;
        let (body, sum) = bytes.split_at(body_len);
        if crc32fast::hash(body).to_le_bytes() != sum {
            return None;
        }
        let (body, table_at) = body.split_at(body.len().checked_sub(8)?);
        let table_at = usize::try_from(u64::from_le_bytes(table_at.try_into().ok()?)).ok()?;
        let mut r = Reader { b: body.get(..table_at)?, at: 0 };
        if r.take(MAGIC.len())? != MAGIC
            || r.u64()? != FORMAT_VERSION
            || r.str()? != env!("CARGO_PKG_VERSION")
            || r.bytes()? != ctx.vault.as_slice()
            || r.u64()? != ctx.kept
        {
            return None;
        }
        let start = (r.i64()?, r.u32()?);
        let mut at = r.at;
        let mut t = Reader { b: body, at: table_at };
        let count = t.usize()?;
        // An entry takes at least six bytes of the table: no more room than that is made.
        let mut entries = Vec::with_capacity(count.min((body.len() - table_at) / 6));
        for _ in 0..count {
            let rel_len = t.usize()?;
            let rel = t.at..t.at.checked_add(rel_len)?;
            t.take(rel_len)?;
            let stamp = Stamp { size: t.u64()?, mtime_secs: t.i64()?, mtime_nanos: t.u32()?, inode: t.u64()? };
            let end = at.checked_add(t.usize()?).filter(|&e| e <= table_at)?;
            entries.push(Cached { rel, stamp, facts: at..end });
            at = end;
        }
        (at == table_at && t.at == body.len()).then_some(Loaded { bytes, entries, start })
    }

    /// The cached facts of `rel`, when its stamp matches and it is not racily clean.
    /// `hint` is where the note is in the walk's sorted list: the same place in the
    /// cache's list when no note came or went since (compared first, without hashing).
    pub(crate) fn get(&self, hint: usize, rel: &str, stamp: &Stamp) -> Option<(Note, &[u8])> {
        let path = |e: &Cached| self.bytes.get(e.rel.clone()).unwrap_or_default();
        let entry = match self.entries.get(hint).filter(|e| path(e) == rel.as_bytes()) {
            Some(e) => e,
            None => self.entries.get(self.entries.binary_search_by(|e| path(e).cmp(rel.as_bytes())).ok()?)?,
        };
        if entry.stamp != *stamp || entry.stamp.racy(self.start) {
            return None;
        }
        let blob = self.bytes.get(entry.facts.clone())?;
        Some((decode(rel, blob)?, blob))
    }

    /// How many notes the cache holds.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

/// One entry of a cache file read: where its path and facts are in the file's bytes.
struct Cached {
    rel: std::ops::Range<usize>,
    stamp: Stamp,
    facts: std::ops::Range<usize>,
}

/// One note for a new cache file: the note, its stamp, and its facts already encoded when
/// they come from the old cache file.
pub(crate) type Entry<'a> = (&'a Note, Stamp, Option<&'a [u8]>);

/// Notes encoded at a time while writing: enough for both threads, few enough that the
/// encoded facts of the whole vault are never in memory at once.
const CHUNK: usize = 1024;

/// Writes a new cache file for a run that started at `start` (atomically: a temporary
/// file renamed over the old one, so a concurrent run reads one or the other). Errors
/// are ignored: a cache that cannot be written only makes the next run slower.
/// `entries` come in the walk's order, sorted by path byte by byte, which
/// [`Loaded::get`] searches by (out of order, its search would miss and the cache be
/// written again on every run, never wrong; of equal paths, the stamp tells which).
pub(crate) fn write(ctx: &Context, start: (i64, u32), entries: &[Entry<'_>]) {
    let Some(dir) = ctx.file.parent() else { return };
    let _ = std::fs::create_dir_all(dir).and_then(|()| {
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        write_to(tmp.as_file_mut(), ctx, start, entries)?;
        tmp.persist(&ctx.file).map(drop).map_err(|e| e.error)
    });
}

/// The cache file's bytes (see the layout in the module's documentation), encoded a
/// chunk of notes at a time, in parallel, and streamed to `file` with their checksum.
fn write_to(file: &mut std::fs::File, ctx: &Context, start: (i64, u32), entries: &[Entry<'_>]) -> std::io::Result<()> {
    use rayon::prelude::*;
    use std::io::Write as _;
    // Equal paths happen: two file names that are not UTF-8 can show as the same text.
    debug_assert!(entries.windows(2).all(|w| w[0].0.path <= w[1].0.path), "entries sorted by path");
    let mut out = Summed { inner: std::io::BufWriter::with_capacity(1 << 16, file), crc: crc32fast::Hasher::new() };
    let mut w = Writer::default();
    w.raw(MAGIC);
    w.u64(FORMAT_VERSION);
    w.str(env!("CARGO_PKG_VERSION"));
    w.bytes(&ctx.vault);
    w.u64(ctx.kept);
    w.i64(start.0);
    w.u64(u64::from(start.1));
    out.write_all(&w.0)?;
    let mut table_at = w.0.len();
    let mut table = Writer::default();
    table.usize(entries.len());
    for chunk in entries.chunks(CHUNK) {
        let blobs: Vec<std::borrow::Cow<'_, [u8]>> = chunk
            .par_iter()
            .map(|(note, _, blob)| {
                blob.map_or_else(|| std::borrow::Cow::Owned(encode(note)), std::borrow::Cow::Borrowed)
            })
            .collect();
        for ((note, s, _), blob) in chunk.iter().zip(&blobs) {
            out.write_all(blob)?;
            table_at += blob.len();
            table.str(&note.path);
            table.u64(s.size);
            table.i64(s.mtime_secs);
            table.u64(u64::from(s.mtime_nanos));
            table.u64(s.inode);
            table.usize(blob.len());
        }
    }
    out.write_all(&table.0)?;
    out.write_all(&(table_at as u64).to_le_bytes())?;
    let sum = out.crc.clone().finalize();
    out.inner.write_all(&sum.to_le_bytes())?;
    out.inner.flush()
}

/// A writer that keeps a CRC-32 of what went through it.
struct Summed<W> {
    inner: W,
    crc: crc32fast::Hasher,
}

impl<W: std::io::Write> std::io::Write for Summed<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

// ---------------------------------------------------------------------------------------
// Encoding of one note's facts. Every list and string is length-prefixed; the reader
// checks every length against what is left and returns `None` at the first mismatch.

/// Encodes a note's facts (everything but its path, which is the entry's key).
pub(crate) fn encode(note: &Note) -> Vec<u8> {
    let Note { path: _, props, tags, aliases, links, fields, tasks, log, headings, blocks, diagnostics } = note;
    let mut w = Writer::default();
    w.usize(props.len());
    for Property { key, value, line } in props {
        w.str(key);
        w.value(value);
        w.u32(*line);
    }
    w.strs(tags);
    w.strs(aliases);
    w.usize(links.len());
    for link @ Link { kind, property, line, column, .. } in links {
        w.str(link.target());
        w.opt_str(link.anchor());
        w.u64(match kind {
            LinkKind::Wiki => 0,
            LinkKind::Embed => 1,
            LinkKind::Markdown => 2,
        });
        w.opt_str(property.as_deref());
        w.u32(*line);
        w.u32(*column);
    }
    w.usize(fields.len());
    for Field { key, value, line, standalone } in fields {
        w.str(key);
        w.str(value);
        w.u32(*line);
        w.u64(u64::from(*standalone));
    }
    w.usize(tasks.len());
    for t in tasks {
        let Task { line, text, status, due, scheduled, start, created, done, cancelled, recurrence, links } = t;
        w.u32(*line);
        w.str(text);
        w.u64(match status {
            None => 0,
            Some(TaskStatus::Open) => 1,
            Some(TaskStatus::Done) => 2,
            Some(TaskStatus::Cancelled) => 3,
        });
        for d in [due, scheduled, start, created, done, cancelled] {
            w.date(*d);
        }
        w.opt_str(recurrence.as_deref());
        w.indices(links);
    }
    w.usize(log.len());
    for LogEntry { date, format, text, line, heading, section, links } in log {
        w.date(Some(*date));
        w.opt_str(format.as_deref());
        w.str(text);
        w.u32(*line);
        w.u64(u64::from(*heading));
        // 0 for none, else the heading's index plus one.
        w.u64(section.map_or(0, |s| u64::from(s) + 1));
        w.indices(links);
    }
    w.strs(headings);
    w.strs(blocks);
    w.usize(diagnostics.len());
    for Diagnostic { path: _, line, column, severity, code, message, hint } in diagnostics {
        w.u32(*line);
        w.u32(*column);
        w.u64(u64::from(*severity == Severity::Error));
        w.str(code.as_str());
        w.str(message);
        w.opt_str(hint.as_deref());
    }
    w.0
}

/// Decodes what [`encode`] wrote; `None` for anything else.
pub(crate) fn decode(path: &str, blob: &[u8]) -> Option<Note> {
    let mut r = Reader { b: blob, at: 0 };
    let mut note = Note { path: path.to_owned(), ..Note::default() };
    note.props = r.list(|r| Some(Property { key: r.compact()?, value: r.value(0)?, line: r.u32()? }))?;
    note.tags = r.list(Reader::compact)?;
    note.aliases = r.list(Reader::compact)?;
    note.links = r.list(|r| {
        let (target, anchor) = (r.str()?, r.opt_str()?);
        let kind = match r.u64()? {
            0 => LinkKind::Wiki,
            1 => LinkKind::Embed,
            2 => LinkKind::Markdown,
            _ => return None,
        };
        let property = r.opt_str()?.map(Into::into);
        Some(Link::new(target, anchor, kind, property, r.u32()?, r.u32()?))
    })?;
    note.fields =
        r.list(|r| Some(Field { key: r.string()?, value: r.string()?, line: r.u32()?, standalone: r.bool()? }))?;
    note.tasks = r.list(|r| {
        let line = r.u32()?;
        let text = r.string()?;
        let status = match r.u64()? {
            0 => None,
            1 => Some(TaskStatus::Open),
            2 => Some(TaskStatus::Done),
            3 => Some(TaskStatus::Cancelled),
            _ => return None,
        };
        let [due, scheduled, start, created, done, cancelled] =
            [r.date()?, r.date()?, r.date()?, r.date()?, r.date()?, r.date()?];
        let recurrence = r.opt_str()?.map(str::to_owned);
        let links = r.indices()?;
        Some(Task { line, text, status, due, scheduled, start, created, done, cancelled, recurrence, links })
    })?;
    note.log = r.list(|r| {
        Some(LogEntry {
            date: r.date()??,
            format: r.opt_str()?.map(str::to_owned),
            text: r.string()?,
            line: r.u32()?,
            heading: r.bool()?,
            section: match r.u64()? {
                0 => None,
                n => Some(u32::try_from(n - 1).ok()?),
            },
            links: r.indices()?,
        })
    })?;
    note.headings = r.list(Reader::compact)?;
    note.blocks = r.list(Reader::compact)?;
    note.diagnostics = r.list(|r| {
        let (line, column) = (r.u32()?, r.u32()?);
        let severity = if r.bool()? { Severity::Error } else { Severity::Warning };
        let code: Code = r.str()?.parse().ok()?;
        let message = r.string()?;
        let hint = r.opt_str()?.map(str::to_owned);
        Some(Diagnostic { path: path.to_owned(), line, column, severity, code, message, hint })
    })?;
    (r.at == blob.len()).then_some(note)
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn raw(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }

    fn u64(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn usize(&mut self, v: usize) {
        self.u64(v as u64);
    }

    fn u32(&mut self, v: u32) {
        self.u64(u64::from(v));
    }

    fn i64(&mut self, v: i64) {
        self.u64(((v << 1) ^ (v >> 63)) as u64);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.usize(b.len());
        self.raw(b);
    }

    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.u64(0),
            Some(s) => {
                self.usize(s.len() + 1);
                self.raw(s.as_bytes());
            }
        }
    }

    fn strs(&mut self, v: &[impl AsRef<str>]) {
        self.usize(v.len());
        v.iter().for_each(|s| self.str(s.as_ref()));
    }

    fn indices(&mut self, v: &[usize]) {
        self.usize(v.len());
        v.iter().for_each(|&i| self.usize(i));
    }

    fn date(&mut self, d: Option<NaiveDate>) {
        use chrono::Datelike as _;
        match d {
            None => self.u64(0),
            Some(d) => self.i64(i64::from(d.num_days_from_ce()) * 2 + 1),
        }
    }

    fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.u64(0),
            Value::Bool(b) => self.u64(1 + u64::from(*b)),
            Value::Number(n) => {
                self.u64(3);
                self.raw(&n.to_bits().to_le_bytes());
            }
            Value::Text(s) => {
                self.u64(4);
                self.str(s);
            }
            Value::List(items) => {
                self.u64(5);
                self.usize(items.len());
                items.iter().for_each(|i| self.value(i));
            }
            Value::Map(pairs) => {
                self.u64(6);
                self.usize(pairs.len());
                for (k, v) in pairs {
                    self.str(k);
                    self.value(v);
                }
            }
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

/// Nesting deeper than this in a cached value is corruption (frontmatter is capped lower).
const MAX_VALUE_DEPTH: usize = 2 * crate::parse::frontmatter::MAX_DEPTH;

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len())?;
        let out = &self.b[self.at..end];
        self.at = end;
        Some(out)
    }

    fn u64(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.b.get(self.at)?;
            self.at += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.u64()?).ok()
    }

    fn i64(&mut self) -> Option<i64> {
        let v = self.u64()?;
        Some(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    fn bool(&mut self) -> Option<bool> {
        match self.u64()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.usize()?;
        self.take(n)
    }

    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    /// A string kept in place when short (no allocation up to 24 bytes).
    fn compact(&mut self) -> Option<CompactString> {
        self.str().map(CompactString::new)
    }

    fn opt_str(&mut self) -> Option<Option<&'a str>> {
        match self.usize()? {
            0 => Some(None),
            n => std::str::from_utf8(self.take(n - 1)?).ok().map(Some),
        }
    }

    /// A list of `n` items; `n` is checked against the bytes left (each item takes at
    /// least one), so a corrupt count cannot reserve much memory.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<ThinVec<T>> {
        let n = self.usize()?;
        if n > self.b.len() - self.at {
            return None;
        }
        let mut out = ThinVec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Some(out)
    }

    fn indices(&mut self) -> Option<Vec<usize>> {
        Some(self.list(Self::usize)?.into_iter().collect())
    }

    fn date(&mut self) -> Option<Option<NaiveDate>> {
        match self.i64()? {
            0 => Some(None),
            v if v & 1 == 1 => NaiveDate::from_num_days_from_ce_opt(i32::try_from(v >> 1).ok()?).map(Some),
            _ => None,
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_VALUE_DEPTH {
            return None;
        }
        Some(match self.u64()? {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => Value::Number(f64::from_bits(u64::from_le_bytes(self.take(8)?.try_into().ok()?))),
            4 => Value::Text(self.compact()?),
            5 => Value::List(self.list(|r| r.value(depth + 1))?.into_iter().collect()),
            6 => Value::Map(self.list(|r| Some((r.string()?, r.value(depth + 1)?)))?.into_iter().collect()),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_note;

    const NOTE: &str = "---\ntype: client\ntier: key\nvalue: 1.5\nok: true\nnone:\ncontacts: [\"[[Anna]]\", \"[[Bo#Intro|B]]\"]\nmap: {a: 1}\ntags: [x, y]\naliases: [Acme Corp]\n---\n# Acme ^top\n\n- 2026-10-01 call — with [[Anna]]\n- [ ] send deck 📅 2026-11-20 🔁 every week [[Bo]]\n- [x] done ✅ 2026-11-01\ntier:: key\n[mood:: good] #vip ![[pic.png]] [m](Other%20note.md#H)\n";

    #[test]
    fn a_note_survives_the_round_trip() {
        let mut notes = vec![
            parse_note("a.md", NOTE),
            parse_note("b.md", "---\nbad: [\n---\n"),
            parse_note("c.md", "---\nopen\n"),
            crate::parse::parse_bytes("d.md", b"caf\xe9"),
            parse_note("e.md", ""),
        ];
        notes[0].diagnostics.push(Diagnostic::new(Code::LinkBroken, "a.md", 3, 4, "m").with_hint("h"));
        for note in &notes {
            let blob = encode(note);
            assert_eq!(decode(&note.path, &blob).as_ref(), Some(note));
            // Every strict prefix is rejected, as is any trailing byte.
            for cut in 0..blob.len() {
                assert_eq!(decode(&note.path, &blob[..cut]), None, "{} cut at {cut}", note.path);
            }
            let mut longer = blob.clone();
            longer.push(0);
            assert_eq!(decode(&note.path, &longer), None);
        }
    }

    #[test]
    fn decoding_garbage_never_panics() {
        let blob = encode(&parse_note("a.md", NOTE));
        for i in 0..blob.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = blob.clone();
                bad[i] ^= flip;
                let _ = decode("a.md", &bad);
            }
        }
    }

    /// The whole file: written in chunks, read back entry by entry; an offset or a length
    /// that does not fit (with a checksum made to match) is refused, never followed.
    #[test]
    fn a_cache_file_round_trips_and_refuses_a_table_that_does_not_fit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ctx = Context { file: dir.path().join("v.cache"), vault: b"/v".to_vec(), kept: 7 };
        // More notes than a chunk, and one whose facts come already encoded.
        let notes: Vec<Note> = (0..CHUNK * 2 + 3)
            .map(|i| parse_note(&format!("n{i:05}.md"), if i % 2 == 0 { NOTE } else { "" }))
            .collect();
        let old = encode(&notes[5]);
        let stamp = |i: usize| Stamp { size: i as u64, mtime_secs: 1_000, mtime_nanos: 0, inode: i as u64 };
        let entries: Vec<Entry<'_>> =
            notes.iter().enumerate().map(|(i, n)| (n, stamp(i), (i == 5).then_some(old.as_slice()))).collect();
        write(&ctx, (5_000, 0), &entries);
        let loaded = Loaded::read(&ctx).expect("the file just written");
        assert_eq!(loaded.len(), notes.len());
        for (i, note) in notes.iter().enumerate() {
            assert_eq!(loaded.get(i, &note.path, &stamp(i)).map(|(n, _)| n).as_ref(), Some(note));
        }
        assert!(loaded.get(1, "n00001.md", &stamp(2)).is_none(), "another stamp is a miss");
        // A note added or removed since moves the others: found by their path all the same.
        for hint in [0, 2, notes.len() + 5] {
            assert_eq!(loaded.get(hint, "n00001.md", &stamp(1)).map(|(n, _)| n).as_ref(), Some(&notes[1]));
        }
        assert!(loaded.get(1, "n00001.mdx", &stamp(1)).is_none(), "a path the cache does not hold");
        let good = std::fs::read(&ctx.file).expect("read");
        let with_sum = |mut body: Vec<u8>| {
            let sum = crc32fast::hash(&body);
            body.extend_from_slice(&sum.to_le_bytes());
            body
        };
        let body = &good[..good.len() - 4];
        let (blobs_and_table, offset) = body.split_at(body.len() - 8);
        let table_at = u64::from_le_bytes(offset.try_into().expect("8 bytes"));
        for moved in [table_at - 1, table_at + 1, 0, u64::MAX] {
            let mut bad = blobs_and_table.to_vec();
            bad.extend_from_slice(&moved.to_le_bytes());
            assert!(Loaded::parse(with_sum(bad), &ctx).is_none(), "table offset {moved}");
        }
        let mut extra = blobs_and_table.to_vec();
        extra.push(0);
        extra.extend_from_slice(&table_at.to_le_bytes());
        assert!(Loaded::parse(with_sum(extra), &ctx).is_none(), "a byte after the table");
        assert!(Loaded::parse(with_sum(Vec::new()), &ctx).is_none(), "empty");
        assert!(Loaded::parse(good.clone(), &Context { kept: 8, ..ctx.clone() }).is_none(), "other properties kept");
        // Another format version or rapport version, with a checksum that matches.
        let version_at = MAGIC.len();
        assert_eq!(good[version_at], FORMAT_VERSION as u8, "one byte: the version is small");
        let mut other_format = body.to_vec();
        other_format[version_at] -= 1;
        assert!(Loaded::parse(with_sum(other_format), &ctx).is_none(), "an older format");
        let mut other_rapport = body.to_vec();
        let rapport_at = version_at + 2;
        assert_eq!(usize::from(good[version_at + 1]), env!("CARGO_PKG_VERSION").len());
        other_rapport[rapport_at] ^= 0x01;
        assert!(Loaded::parse(with_sum(other_rapport), &ctx).is_none(), "another rapport version");
        assert!(Loaded::parse(good, &ctx).is_some());
    }

    #[test]
    fn racy_entries_are_not_trusted() {
        let stamp = |s, n| Stamp { size: 1, mtime_secs: s, mtime_nanos: n, inode: 1 };
        let start = (1_000, 500);
        assert!(!stamp(997, 0).racy(start));
        assert!(!stamp(998, 499).racy(start));
        assert!(stamp(998, 500).racy(start));
        assert!(stamp(1_000, 0).racy(start));
        assert!(stamp(2_000, 0).racy(start));
    }
}
