//! Model stage, duplicates: clients that share a name or an alias.

use std::collections::BTreeMap;

use super::entities::{ClientId, Graph};
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::Note;
use crate::resolve::key;

/// Reports clients that share a name or alias (`client-duplicate`). An alias that
/// collides is reported at the alias (file names win in Obsidian); two clients with
/// the same file name are reported at the later path.
pub(super) fn duplicates(g: &Graph, notes: &[Note], diags: &mut Vec<Diagnostic>) {
    let mut by_key: BTreeMap<String, Vec<(ClientId, Option<&str>)>> = BTreeMap::new();
    for (cid, c) in g.clients.iter().enumerate() {
        by_key.entry(key(c.name.trim())).or_default().push((cid, None));
        for a in &c.aliases {
            let entries = by_key.entry(key(a.trim())).or_default();
            if !entries.iter().any(|(other, _)| *other == cid) {
                entries.push((cid, Some(a.as_str())));
            }
        }
    }
    for entries in by_key.values().filter(|e| e.len() > 1) {
        let first = entries.iter().find(|(_, alias)| alias.is_none()).unwrap_or(&entries[0]).0;
        for &(cid, alias) in entries {
            if alias.is_none() && cid == first {
                continue;
            }
            let c = &g.clients[cid];
            let other = entries.iter().find(|(o, _)| *o != cid).map_or(first, |e| e.0);
            let (line, what) = match alias {
                Some(a) => (notes[c.note].prop("aliases").map_or(1, |p| p.line), format!("alias `{a}`")),
                None => (1, format!("client name `{}`", c.name)),
            };
            diags.push(
                Diagnostic::new(
                    Code::ClientDuplicate,
                    &c.path,
                    line,
                    1,
                    format!("{what} is also used by client `{}`", g.clients[other].path),
                )
                .with_hint("give each client a distinct name and aliases, or merge the notes"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Fixture;
    use crate::Config;
    use crate::diagnostics::Code;

    #[test]
    fn clients_sharing_a_name_or_alias_are_reported_where_to_fix_it() {
        let fx = Fixture::new(&[
            ("A/Acme.md", "---\ntype: client\n---\n"),
            ("B/Acme.md", "---\ntype: client\n---\n"),
            ("Beta.md", "---\ntype: client\naliases: [Bee]\n---\n"),
            ("Bee Co.md", "---\ntype: client\naliases: [bee]\n---\n"),
            ("Solo.md", "---\ntype: client\naliases: [Solo, Alone]\n---\n"),
        ]);
        let (_, diags) = fx.build(&Config::default());
        let found: Vec<(&str, u32, &str)> = diags
            .iter()
            .filter(|d| d.code == Code::ClientDuplicate)
            .map(|d| (d.path.as_str(), d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("B/Acme.md", 1, "client name `Acme` is also used by client `A/Acme.md`"),
                ("Bee Co.md", 3, "alias `bee` is also used by client `Beta.md`"),
                ("Beta.md", 3, "alias `Bee` is also used by client `Bee Co.md`"),
            ]
        );
    }
}
