//! Render: the stamp every generated file carries, the marker and a hash of what follows,
//! each in its file's own syntax. The writer reads it back to tell rapport's untouched
//! files from edited ones; ticks reads it to tell a ticked note from an edited one.

use sha2::{Digest, Sha256};

/// The frontmatter line that marks a generated note.
pub(crate) const MARKER: &str = "rapport: generated";
/// Hash of a generated body, as written in its frontmatter.
pub(crate) fn body_hash(body: &str) -> String {
    hash_of(&[body])
}

/// [`body_hash`] of the parts put together, without putting them together.
fn hash_of(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
    }
    let digest = h.finalize();
    let mut out = String::with_capacity(7 + 32);
    out.push_str("sha256:");
    for b in digest.iter().take(16) {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    out
}

/// A whole generated note: marker frontmatter, then the body.
pub(crate) fn compose(body: &str, today: chrono::NaiveDate) -> String {
    format!("---\n{MARKER}\nas_of: {today}\nhash: \"{}\"\n---\n{body}", body_hash(body))
}

/// A generated note whose frontmatter carries data (a card): the marker, then a hash
/// of the properties that follow it and of the body. No `as_of`: a card changes only
/// when what it shows changes, not every day. `props` is YAML lines, each ending in `\n`.
pub(crate) fn compose_with_props(props: &str, body: &str) -> String {
    let hash = hash_of(&[props, body]);
    let parts = ["---\n", MARKER, "\nhash: \"", &hash, "\"\n", props, "---\n", body];
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    out.extend(parts);
    out
}

/// A generated `.base` file (YAML): the marker and the hash of the rest are YAML
/// comments on its first two lines, which Bases ignores.
pub(crate) fn compose_base(yaml: &str) -> String {
    format!("# {MARKER}\n# hash: \"{}\"\n{yaml}", body_hash(yaml))
}

/// A generated `.canvas` file (JSON): the marker and the hash are the object's first two
/// members, each on its own line; the hash covers the file without those two lines.
/// `members` is the rest of the object's members, without the braces.
pub(crate) fn compose_canvas(members: &str) -> String {
    let rest = format!("{{\n{members}}}\n");
    format!("{{\n\"rapport\": \"generated\",\n\"hash\": \"{}\",\n{}", body_hash(&rest), &rest[2..])
}
