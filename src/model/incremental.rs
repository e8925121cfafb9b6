//! Model stage, incremental update: a save folded into the graph without reading every
//! note again, when it changed content only.

use super::build::{
    Cache, NoteFacts, answer_from_journal, client_for, daily_notes, diagnostics, interaction_order, maps, refer,
};
use super::entities::{Graph, NoteId};
use super::properties::{Builder, Diags, Props};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::parse::Note;
use crate::resolve::{Index, Resolved};
use crate::vocab::Kind;

/// Folds re-read notes (`changed`, indices into `notes`) into the graph, when the saves
/// changed content only: the same kinds, and no person's company, `left` or `moved_to`
/// (which decide whose interactions count for whom). `None` when that does not hold; the
/// caller then builds from scratch.
pub(crate) fn update(
    g: &mut Graph,
    cache: &mut Cache,
    notes: &[Note],
    resolved: &Resolved,
    index: &Index,
    config: &Config,
    changed: &[usize],
) -> Option<Vec<Diagnostic>> {
    let b = Builder { notes, resolved, index, config, props: Props { config } };
    if cache.facts.len() != notes.len() {
        return None;
    }
    let (client_of, person_of) = maps(g);
    for &i in changed {
        let kind = b.kind(&notes[i]);
        // The journal answers feedback of other notes: build again.
        if cache.kinds.get(i) != Some(&kind) || super::is_journal(&notes[i]) || !cache.facts[i].journal.is_empty() {
            return None;
        }
        match kind {
            Some(Kind::Client) => {
                let (mut c, d) = b.client(i);
                let slot = &mut g.clients[*client_of.get(&i)?];
                // Contacts stand for people's company: a change moves their interactions.
                if slot.contacts != c.contacts {
                    return None;
                }
                c.referred_by = slot.referred_by;
                *slot = c;
                cache.own[i] = d;
            }
            Some(Kind::Person) => {
                let mut d = Diags::new();
                let mut p = b.person(i, &notes[i], &mut d);
                let slot = &mut g.people[*person_of.get(&i)?];
                if p.company.is_none() {
                    p.company = g.clients.iter().find(|c| c.contacts.contains(&i)).map(|c| c.note);
                }
                if (slot.company, slot.left, slot.moved_to) != (p.company, p.left, p.moved_to) {
                    return None;
                }
                *slot = p;
                cache.own[i] = d;
            }
            _ => {}
        }
    }
    let daily = daily_notes(config);
    let client_for = |t, d| client_for(g, &client_of, &person_of, t, d);
    let facts: Vec<(usize, NoteFacts)> =
        changed.iter().map(|&i| (i, b.facts(i, cache.kinds[i], &daily, &client_of, &client_for))).collect();
    // Swap the changed notes' contributions; the lists stay in the order a full build
    // gives (stable sorts of nearly sorted lists are close to linear).
    let gone: std::collections::HashSet<NoteId> = changed.iter().copied().collect();
    g.interactions.retain(|x| !gone.contains(&x.note));
    g.feedback.retain(|x| !gone.contains(&x.note));
    g.next_steps.retain(|x| !gone.contains(&x.note));
    for (i, f) in facts {
        g.interactions.extend(f.interactions.iter().cloned());
        g.feedback.extend(f.feedback.as_deref().cloned());
        g.next_steps.extend(f.next_steps.iter().cloned());
        cache.facts[i] = f;
    }
    g.interactions.sort_by(interaction_order);
    g.feedback.sort_by_key(|x| x.note);
    g.next_steps.sort_by_key(|s| (s.client, s.note, s.line));
    g.next_steps.dedup_by_key(|s| (s.client, s.note, s.line));
    answer_from_journal(g);
    refer(&b, g);
    Some(diagnostics(cache))
}

#[cfg(test)]
mod tests {
    use super::super::{Fixture, build_graph};
    use super::*;

    const NOTES: &[(&str, &str)] = &[
        ("Acme.md", "---\ntype: client\n---\n- 2026-10-01 call\n"),
        ("Anna.md", "---\ntype: person\ncompany: \"[[Acme]]\"\n---\n- [ ] send deck\n"),
    ];

    /// The graph after folding `edit` into a kept build, and a fresh build's.
    fn fold(edit: (&str, &str)) -> (Option<Graph>, Graph) {
        let before = Fixture::new(NOTES);
        let config = Config::default();
        let (mut g, _, mut cache) = build_graph(&before.notes, &before.resolved, &before.index, &config, true);
        let after: Vec<(&str, &str)> = NOTES.iter().map(|&(p, t)| if p == edit.0 { edit } else { (p, t) }).collect();
        let after = Fixture::new(&after);
        let changed = [after.id(edit.0)];
        let folded = update(&mut g, &mut cache, &after.notes, &after.resolved, &after.index, &config, &changed);
        (folded.map(|_| g), after.build(&config).0)
    }

    #[test]
    fn a_content_edit_folds_in_as_a_full_build_would() {
        let (folded, fresh) = fold(("Acme.md", "---\ntype: client\ntier: key\n---\n- 2026-11-01 lunch\n"));
        assert_eq!(folded, Some(fresh));
        let (folded, fresh) = fold(("Anna.md", "---\ntype: person\ncompany: \"[[Acme]]\"\n---\n- [ ] call\n"));
        assert_eq!(folded, Some(fresh));
    }

    #[test]
    fn a_new_kind_or_company_needs_a_full_build() {
        assert_eq!(fold(("Anna.md", "---\ntype: client\n---\n")).0, None);
        assert_eq!(fold(("Anna.md", "---\ntype: person\n---\n")).0, None);
    }

    #[test]
    fn a_kept_build_is_needed_to_fold() {
        let fx = Fixture::new(NOTES);
        let config = Config::default();
        let (mut g, _, mut cache) = build_graph(&fx.notes, &fx.resolved, &fx.index, &config, false);
        assert_eq!(update(&mut g, &mut cache, &fx.notes, &fx.resolved, &fx.index, &config, &[0]), None);
    }
}
