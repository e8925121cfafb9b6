//! What every command says about the vault before it runs: that the folder may not be a
//! vault, config keys that may be typos, an output folder holding the user's notes, and,
//! when no client is found, what was looked for.

use std::collections::HashSet;
use std::path::Path;

use crate::{Config, Error, Vault, write};

/// Warnings that stop nothing: a folder without `.obsidian/` and config keys that may
/// be typos. One line each, on stderr.
pub(super) fn warnings(dir: &Path, config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    if !dir.join(".obsidian").is_dir() {
        out.push(format!(
            "rapport: warning: {} has no .obsidian folder, so it may not be an Obsidian vault; \
             every note below it is read (name the vault with --vault DIR)",
            dir.display()
        ));
    }
    out.extend(config.warnings.iter().cloned());
    out
}

/// `[properties]` names and `[kinds]` property names that no note in the vault carries:
/// likely typos (`peple = "with"`).
pub(super) fn unused_property_warnings(vault: &Vault) -> Vec<String> {
    let config = &vault.config;
    let used = |name: &str| {
        vault.notes.iter().any(|n| n.props.iter().any(|p| p.key == name) || n.fields.iter().any(|f| f.key == name))
    };
    let known = super::init::property_names();
    let mut out = Vec::new();
    for (table, name) in
        config.properties.keys().map(|k| ("properties", k)).chain(config.kinds.properties.keys().map(|k| ("kinds", k)))
    {
        if !used(name) && !crate::vocab::PROPERTIES.contains(&name.as_str()) {
            let others: Vec<&str> = known.iter().copied().filter(|k| k != name).collect();
            let nearest = crate::config::nearest(name, &others)
                .map_or(String::new(), |(k, _)| format!("; the nearest known key is `{k}`"));
            let (line, column) = crate::config::locate_in_file(&vault.root, table, name);
            out.push(format!(
                "{}:{line}:{column}: warning: no note has a property `{name}` (in [{table}]){nearest}",
                crate::config::FILE_NAME
            ));
        }
    }
    out
}

/// The error for an output folder that holds notes rapport did not write: rapport does
/// not read its output folder, so those notes would silently drop out of the model.
/// `generated` are vault-relative paths the caller classifies itself (refusing what is
/// not rapport's there), so they are not read here.
pub(super) fn check_output_folder(root: &Path, config: &Config, generated: &HashSet<&str>) -> Result<(), Error> {
    let Ok(out_dir) = write::output_folder(root, &config.output_dir) else {
        // An output folder outside the vault is refused when writing, with its own message.
        return Ok(());
    };
    let foreign = write::foreign_notes(&out_dir, &config.output_dir, generated);
    if foreign.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
    let more = if foreign.len() > 5 { format!(" and {} more", foreign.len() - 5) } else { String::new() };
    Err(Error::Usage(format!(
        "the output folder `{}` holds notes rapport did not generate: {}{more}. rapport writes there and does \
         not read it, so those notes would drop out of the vault; set `output_dir` in {} to a folder of its \
         own (the default is `CRM`), or move them",
        config.output_dir,
        shown.join(", "),
        crate::config::FILE_NAME
    )))
}

/// What rapport looked for when it found no client, and what to do.
pub(super) fn no_clients(vault: &Vault) -> String {
    let k = &vault.config.kinds;
    let mut looked = vec!["`type: client`".to_owned(), "a tag `#client`".to_owned()];
    looked
        .extend(k.tags.iter().filter(|(_, v)| **v == crate::vocab::Kind::Client).map(|(t, _)| format!("a tag `#{t}`")));
    for (prop, map) in &k.properties {
        looked.extend(
            map.iter().filter(|(_, v)| **v == crate::vocab::Kind::Client).map(|(val, _)| format!("`{prop}: {val}`")),
        );
    }
    looked.extend(
        k.folders.iter().filter(|(_, v)| **v == crate::vocab::Kind::Client).map(|(f, _)| format!("notes in `{f}/`")),
    );
    format!(
        "No client found in {} notes: rapport looked for {}. Nothing was written.\n\
         Run `rapport init` to see how rapport reads this vault and get a rapport.toml that describes it.\n",
        vault.notes.len(),
        looked.join(", ")
    )
}
