//! Render: the stamp every generated file carries, the marker and a hash of what follows,
//! each in its file's own syntax. The writer reads it back to tell rapport's untouched
//! files from edited ones; ticks reads it to tell a ticked note from an edited one.

use sha2::{Digest, Sha256};

/// The frontmatter line that marks a generated note.
pub(crate) const MARKER: &str = "rapport: generated";
/// Hash of a generated body, as written in its frontmatter.
pub(crate) fn body_hash(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// A whole generated note: marker frontmatter, then the body.
pub(crate) fn compose(body: &str, today: chrono::NaiveDate) -> String {
    format!("---\n{MARKER}\nas_of: {today}\nhash: \"{}\"\n---\n{body}", body_hash(body))
}

/// A generated note whose frontmatter carries data (a card): the marker, then a hash
/// of the properties that follow it and of the body. No `as_of`: a card changes only
/// when what it shows changes, not every day. `props` is YAML lines, each ending in `\n`.
pub(crate) fn compose_with_props(props: &str, body: &str) -> String {
    let hash = body_hash(&format!("{props}{body}"));
    format!("---\n{MARKER}\nhash: \"{hash}\"\n{props}---\n{body}")
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
