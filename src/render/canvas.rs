//! Render stage, `Relationships.canvas`: a JSON Canvas 1.0 map of clients and people.
//!
//! Each client (and each company someone works at or moved to) is a group holding a
//! file node for its note and one for each of its people; edges say who works where,
//! who moved where (labelled with the date) and which client referred which. Client
//! nodes take the preset colour of their state. Groups sit on a grid, row by row, each
//! row as tall as its tallest group, so nothing overlaps at any size; past the size
//! limit the map shows key clients only, and says so.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::i18n::t;
use crate::vocab::Lang;
use crate::vocab::State;
use crate::vocab::note_name as name_of;

/// A client on the map.
#[derive(Debug, Clone)]
pub(crate) struct MapClient<'a> {
    pub(crate) path: &'a str,
    pub(crate) key: bool,
    pub(crate) state: State,
    pub(crate) people: Vec<MapPerson<'a>>,
    /// The client that referred this one.
    pub(crate) referred_by: Option<&'a str>,
}

/// A person inside a client's or company's group.
#[derive(Debug, Clone)]
pub(crate) struct MapPerson<'a> {
    pub(crate) path: &'a str,
    pub(crate) role: Option<&'a str>,
    /// The company they moved to, and when they left.
    pub(crate) moved_to: Option<(&'a str, Option<NaiveDate>)>,
}

/// A company that is not a client, with the people recorded there.
#[derive(Debug, Clone)]
pub(crate) struct MapCompany<'a> {
    pub(crate) path: &'a str,
    pub(crate) people: Vec<MapPerson<'a>>,
}

/// Sizes, in canvas pixels.
pub(crate) const GROUP_PAD: i64 = 40;
pub(crate) const GAP: i64 = 20;
pub(crate) const MAIN_H: i64 = 100;
pub(crate) const PERSON_W: i64 = 260;
pub(crate) const PERSON_H: i64 = 60;
pub(crate) const PEOPLE_COLS: i64 = 2;
pub(crate) const GROUP_W: i64 = 2 * GROUP_PAD + PEOPLE_COLS * PERSON_W + (PEOPLE_COLS - 1) * GAP;
/// Space between groups (the group label sits above the group's rectangle).
pub(crate) const SPACING: i64 = 80;
pub(crate) const HEADER_H: i64 = 160;

/// A stable id for a node or edge: what it stands for, hashed.
fn id(kind: char, of: &str) -> String {
    let digest = Sha256::digest(of.as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{kind}{hex}")
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The preset colour of a state: red overdue, yellow soon, green ok, none for silent.
fn color(state: State) -> Option<&'static str> {
    match state {
        State::Overdue => Some("1"),
        State::Soon => Some("3"),
        State::Ok | State::Scheduled => Some("4"),
        State::Silent => None,
    }
}

/// Which clients the map shows: all of them up to `limit`; past it, key clients only
/// (the most urgent first, at most `limit`). Indices into `clients`, in their order.
pub(crate) fn shown(clients: &[MapClient<'_>], limit: usize) -> Vec<usize> {
    if clients.len() <= limit {
        return (0..clients.len()).collect();
    }
    let mut key: Vec<usize> = (0..clients.len()).filter(|&i| clients[i].key).collect();
    if key.len() > limit {
        key.sort_by_key(|&i| (clients[i].state, i));
        key.truncate(limit);
        key.sort_unstable();
    }
    key
}

struct Group<'a> {
    label: &'a str,
    main: &'a str,
    state: Option<State>,
    people: &'a [MapPerson<'a>],
}

/// A fingerprint of everything [`render`] is given: equal fingerprints, equal bytes, so
/// watch draws the map again only when it changes.
pub(crate) fn fingerprint(clients: &[MapClient<'_>], companies: &[MapCompany<'_>], limit: usize, lang: Lang) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::hash::DefaultHasher::new();
    let person = |h: &mut std::hash::DefaultHasher, p: &MapPerson<'_>| (p.path, p.role, p.moved_to).hash(h);
    (limit, matches!(lang, Lang::Ru), clients.len()).hash(&mut h);
    for c in clients {
        (c.path, c.key, c.state, c.referred_by, c.people.len()).hash(&mut h);
        c.people.iter().for_each(|p| person(&mut h, p));
    }
    companies.len().hash(&mut h);
    for c in companies {
        (c.path, c.people.len()).hash(&mut h);
        c.people.iter().for_each(|p| person(&mut h, p));
    }
    h.finish()
}

/// The canvas's members (`"nodes": [...]`, `"edges": [...]`), one node or edge a line.
pub(crate) fn render(clients: &[MapClient<'_>], companies: &[MapCompany<'_>], limit: usize, lang: Lang) -> String {
    let picked = shown(clients, limit);
    let mut groups: Vec<Group<'_>> = picked
        .iter()
        .map(|&i| {
            let c = &clients[i];
            Group { label: name_of(c.path), main: c.path, state: Some(c.state), people: &c.people }
        })
        .collect();
    // Companies that someone shown works at or moved to.
    let moved: BTreeSet<&str> =
        groups.iter().flat_map(|g| g.people.iter().filter_map(|p| p.moved_to.map(|m| m.0))).collect();
    let limited = picked.len() < clients.len();
    for c in companies {
        if moved.contains(c.path) || (!limited && !c.people.is_empty()) {
            groups.push(Group { label: name_of(c.path), main: c.path, state: None, people: &c.people });
        }
    }

    let mut nodes: Vec<String> = Vec::new();
    let mut edges: Vec<String> = Vec::new();
    let mut node_of: HashMap<&str, String> = HashMap::new();

    let header = header_text(clients.len(), picked.len(), limit, limited, lang);
    let width = grid_columns(groups.len()) as i64 * (GROUP_W + SPACING) - SPACING;
    nodes.push(format!(
        "{{\"id\":{},\"type\":\"text\",\"x\":0,\"y\":0,\"width\":{},\"height\":{},\"text\":{}}}",
        json("header"),
        width.max(GROUP_W),
        HEADER_H - SPACING,
        json(&header)
    ));

    // Groups first (lowest in z-order), then the nodes inside them.
    let cols = grid_columns(groups.len());
    let mut inner: Vec<String> = Vec::new();
    let mut y = HEADER_H;
    for row in groups.chunks(cols) {
        let row_h = row.iter().map(|g| group_height(g.people.len())).max().unwrap_or(0);
        for (col, g) in row.iter().enumerate() {
            let x = col as i64 * (GROUP_W + SPACING);
            let h = group_height(g.people.len());
            nodes.push(format!(
                "{{\"id\":{},\"type\":\"group\",\"x\":{x},\"y\":{y},\"width\":{GROUP_W},\"height\":{h},\"label\":{}}}",
                json(&id('g', g.main)),
                json(g.label)
            ));
            let main_id = id('n', g.main);
            let colour = g.state.and_then(color).map_or(String::new(), |c| format!(",\"color\":{}", json(c)));
            inner.push(format!(
                "{{\"id\":{},\"type\":\"file\",\"x\":{},\"y\":{},\"width\":{},\"height\":{MAIN_H},\"file\":{}{colour}}}",
                json(&main_id),
                x + GROUP_PAD,
                y + GROUP_PAD,
                GROUP_W - 2 * GROUP_PAD,
                json(g.main)
            ));
            node_of.insert(g.main, main_id);
            for (k, p) in g.people.iter().enumerate() {
                let k = k as i64;
                let px = x + GROUP_PAD + (k % PEOPLE_COLS) * (PERSON_W + GAP);
                let py = y + GROUP_PAD + MAIN_H + GAP + (k / PEOPLE_COLS) * (PERSON_H + GAP);
                let pid = id('n', p.path);
                inner.push(format!(
                    "{{\"id\":{},\"type\":\"file\",\"x\":{px},\"y\":{py},\"width\":{PERSON_W},\"height\":{PERSON_H},\"file\":{}}}",
                    json(&pid),
                    json(p.path)
                ));
                node_of.entry(p.path).or_insert(pid);
            }
        }
        y += row_h + SPACING;
    }
    nodes.extend(inner);

    // Edges between nodes on the map only.
    let mut edge = |from: &str, to: &str, what: &str, label: Option<String>| {
        if let (Some(a), Some(b)) = (node_of.get(from), node_of.get(to)) {
            let label = label.map_or(String::new(), |l| format!(",\"label\":{}", json(&l)));
            edges.push(format!(
                "{{\"id\":{},\"fromNode\":{},\"toNode\":{}{label}}}",
                json(&id('e', &format!("{what}\u{0}{from}\u{0}{to}"))),
                json(a),
                json(b)
            ));
        }
    };
    for g in &groups {
        for p in g.people {
            edge(
                p.path,
                g.main,
                "works-at",
                Some(p.role.map_or(t(lang, "works at", "работает в").to_owned(), str::to_owned)),
            );
            if let Some((to, left)) = p.moved_to {
                let label = match left {
                    Some(d) => format!("{}{d}", t(lang, "moved ", "перешёл(ла) ")),
                    None => t(lang, "moved", "перешёл(ла)").to_owned(),
                };
                edge(p.path, to, "moved-to", Some(label));
            }
        }
    }
    for &i in &picked {
        if let Some(by) = clients[i].referred_by {
            edge(by, clients[i].path, "referred", Some(t(lang, "referred", "рекомендовал").to_owned()));
        }
    }
    // A person in two groups would get the same edge twice; keep one.
    let mut seen = BTreeSet::new();
    edges.retain(|e| seen.insert(e.clone()));

    let mut out = String::with_capacity(nodes.iter().chain(&edges).map(|n| n.len() + 2).sum::<usize>() + 32);
    list(&mut out, "nodes", &nodes, true);
    list(&mut out, "edges", &edges, false);
    out
}

fn list(out: &mut String, key: &str, items: &[String], more: bool) {
    let _ = write!(out, "\"{key}\":[");
    for (i, item) in items.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(item);
    }
    out.push_str(if items.is_empty() { "]" } else { "\n]" });
    out.push_str(if more { ",\n" } else { "\n" });
}

/// Columns of the grid: about as many as rows, so the map stays roughly square.
pub(crate) fn grid_columns(groups: usize) -> usize {
    let mut cols = 1;
    while cols * cols < groups {
        cols += 1;
    }
    cols
}

/// A group's height for its number of people.
pub(crate) fn group_height(people: usize) -> i64 {
    let rows = (people as i64 + PEOPLE_COLS - 1) / PEOPLE_COLS;
    let people_h = if rows == 0 { 0 } else { GAP + rows * (PERSON_H + GAP) - GAP };
    2 * GROUP_PAD + MAIN_H + people_h
}

fn header_text(total: usize, shown: usize, limit: usize, limited: bool, lang: Lang) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "# {}\n\n{}",
        t(lang, "Relationships", "Связи"),
        t(
            lang,
            "Client notes are coloured by state: red overdue, yellow due soon, green within cadence, none when silent.",
            "Цвет заметки клиента — состояние: красный просрочен, жёлтый скоро, зелёный в норме, без цвета — без напоминаний."
        )
    );
    if limited {
        let _ = match lang {
            Lang::En => write!(
                s,
                "\n\n**Key clients only**: {shown} of {total} clients are shown, as there are more than {limit} (`canvas_limit` in the `[outputs]` table of rapport.toml)."
            ),
            Lang::Ru => write!(
                s,
                "\n\n**Только ключевые клиенты**: показано {shown} из {total}, так как клиентов больше {limit} (`canvas_limit` в таблице `[outputs]` файла rapport.toml)."
            ),
        };
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rect(i64, i64, i64, i64);

    impl Rect {
        fn of(n: &serde_json::Value) -> Rect {
            let i = |k: &str| n[k].as_i64().unwrap();
            Rect(i("x"), i("y"), i("width"), i("height"))
        }
        fn overlaps(&self, o: &Rect) -> bool {
            self.0 < o.0 + o.2 && o.0 < self.0 + self.2 && self.1 < o.1 + o.3 && o.1 < self.1 + self.3
        }
        fn contains(&self, o: &Rect) -> bool {
            o.0 >= self.0 && o.1 >= self.1 && o.0 + o.2 <= self.0 + self.2 && o.1 + o.3 <= self.1 + self.3
        }
    }

    /// `n` clients, one in five key, with 0 to 5 people each; every seventh referred by
    /// the one before; every person at a third of them moved to a company.
    fn portfolio(n: usize) -> (Vec<String>, Vec<(usize, usize)>) {
        let paths: Vec<String> = (0..n).map(|i| format!("Clients/Client {i:04}.md")).collect();
        let people: Vec<(usize, usize)> = (0..n).flat_map(|i| (0..(i * 7) % 6).map(move |k| (i, k))).collect();
        (paths, people)
    }

    fn render_for(n: usize, limit: usize) -> (String, usize) {
        let (paths, people) = portfolio(n);
        let person_paths: Vec<String> = people.iter().map(|(i, k)| format!("People/P {i:04}-{k}.md")).collect();
        let states = [State::Overdue, State::Soon, State::Ok, State::Scheduled, State::Silent];
        let clients: Vec<MapClient<'_>> = (0..n)
            .map(|i| MapClient {
                path: &paths[i],
                key: i % 5 == 0,
                state: states[i % states.len()],
                people: people
                    .iter()
                    .zip(&person_paths)
                    .filter(|((c, _), _)| *c == i)
                    .map(|((_, k), p)| MapPerson {
                        path: p,
                        role: Some("CTO"),
                        moved_to: (k % 3 == 2)
                            .then(|| ("Companies/Elsewhere.md", NaiveDate::from_ymd_opt(2026, 10, 1))),
                    })
                    .collect(),
                referred_by: (i % 7 == 6).then(|| paths[i - 1].as_str()),
            })
            .collect();
        let companies = [MapCompany { path: "Companies/Elsewhere.md", people: Vec::new() }];
        let members = render(&clients, &companies, limit, Lang::En);
        assert_eq!(members, render(&clients, &companies, limit, Lang::En), "deterministic");
        (format!("{{\n{members}}}"), shown(&clients, limit).len())
    }

    /// At 10, 100 and 1,000 clients the map is valid, nothing overlaps, every node sits
    /// in one group, the grid stays about square, and past the limit only key clients
    /// are shown, which the map says.
    #[test]
    fn layout_is_readable_at_every_size() {
        for (n, limit, want_shown) in
            [(10, 300, 10), (100, 300, 100), (1000, 300, 200), (1000, 2000, 1000), (1000, 50, 50)]
        {
            let (text, shown) = render_for(n, limit);
            assert_eq!(shown, want_shown, "{n} clients, limit {limit}");
            let c: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let nodes = c["nodes"].as_array().unwrap();
            let edges = c["edges"].as_array().unwrap();
            let ids: std::collections::HashSet<&str> = nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
            assert_eq!(ids.len(), nodes.len(), "unique ids");
            for e in edges {
                assert!(ids.contains(e["fromNode"].as_str().unwrap()) && ids.contains(e["toNode"].as_str().unwrap()));
            }
            let groups: Vec<Rect> = nodes.iter().filter(|n| n["type"] == "group").map(Rect::of).collect();
            let others: Vec<Rect> = nodes.iter().filter(|n| n["type"] != "group").map(Rect::of).collect();
            assert_eq!(groups.len(), shown + 1, "each client a group, and the company moved to");
            for (i, a) in groups.iter().enumerate() {
                assert!(groups[i + 1..].iter().all(|b| !a.overlaps(b)), "groups overlap");
            }
            for (i, a) in others.iter().enumerate() {
                assert!(others[i + 1..].iter().all(|b| !a.overlaps(b)), "nodes overlap");
                let within = groups.iter().filter(|g| g.contains(a)).count();
                assert_eq!(within, groups.iter().filter(|g| g.overlaps(a)).count());
                assert!(within == usize::from(i > 0), "the header alone is outside the groups");
            }
            let right = nodes.iter().map(Rect::of).map(|r| r.0 + r.2).max().unwrap();
            let bottom = nodes.iter().map(Rect::of).map(|r| r.1 + r.3).max().unwrap();
            let ratio = right as f64 / bottom as f64;
            assert!((0.5..=4.0).contains(&ratio), "{n}: {right}×{bottom}");
            let header = nodes[0]["text"].as_str().unwrap();
            assert_eq!(header.contains("Key clients only"), shown < n, "{header}");
            assert!(edges.iter().any(|e| e["label"] == "moved 2026-10-01"));
            assert!(edges.iter().any(|e| e["label"] == "referred") || shown < n);
        }
    }
}
