//! Integration tests: a card per client, the `.base` over the cards and the `.canvas`
//! map, checked against Obsidian's Bases syntax and the JSON Canvas 1.0 spec.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::common::*;

const TODAY: &str = "2026-11-23";

fn report(v: &Path) -> std::process::Output {
    rapport(v, &["report", "--today", TODAY])
}

/// The cards under `CRM/Clients`, as vault-relative paths.
fn cards(v: &Path) -> Vec<String> {
    files_under(&v.join("CRM/Clients")).into_iter().map(|f| format!("CRM/Clients/{f}")).collect()
}

/// The rows of `clients --json`, by client path.
fn clients_json(v: &Path) -> BTreeMap<String, serde_json::Value> {
    let out = rapport(v, &["clients", "--today", TODAY, "--json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).expect("clients --json");
    rows.into_iter().map(|r| (r["path"].as_str().unwrap().to_owned(), r)).collect()
}

/// Each card's frontmatter, read with the reader rapport uses for user notes, gives
/// back the typed values rapport computed: dates, numbers, links, lists.
#[test]
fn card_properties_read_back_as_typed_values() {
    use rapport::Value;
    let (_t, v) = vault("demo");
    assert_eq!(code(&report(&v)), 0);
    let rows = clients_json(&v);
    let cards = cards(&v);
    assert_eq!(cards.len(), rows.len());
    let mut seen = BTreeSet::new();
    for rel in &cards {
        let note = rapport::parse_note(rel, &read(&v, rel));
        assert!(note.diagnostics.is_empty(), "{rel}: {:?}", note.diagnostics);
        let prop = |k: &str| note.prop(k).unwrap_or_else(|| panic!("{rel}: no `{k}`")).value.clone();
        let Value::Text(client) = prop("client") else { panic!("{rel}: client is not text") };
        let path = client.trim_start_matches("[[").split('|').next().unwrap().to_owned() + ".md";
        let row = &rows[&path];
        seen.insert(path.clone());
        let text = |k: &str| Value::Text(row[k].as_str().unwrap().into());
        let date = |k: &str| match row[k].as_str() {
            Some(d) => {
                // A date property is text that reads back as the same date.
                let Value::Text(t) = prop(k) else { panic!("{rel}: {k} is not a date") };
                assert_eq!(t, d, "{rel}: {k}");
            }
            None => assert_eq!(prop(k), Value::Null, "{rel}: {k}"),
        };
        let number = |k: &str| match row[k].as_f64() {
            Some(n) => assert_eq!(prop(k), Value::Number(n), "{rel}: {k}"),
            None => assert_eq!(prop(k), Value::Null, "{rel}: {k}"),
        };
        for k in ["tier", "status", "state"] {
            assert_eq!(prop(k), text(k), "{rel}: {k}");
        }
        date("last_contact");
        date("next_due");
        for k in ["cadence_days", "interactions_90d", "interactions_365d", "open_next_steps"] {
            number(k);
        }
        assert!(matches!(prop("overdue_next_steps"), Value::Number(_)), "{rel}");
        assert!(matches!(prop("satisfaction"), Value::Number(_) | Value::Null), "{rel}");
        match prop("people") {
            Value::List(people) => {
                for p in people {
                    let Value::Text(p) = p else { panic!("{rel}: a person is not a link") };
                    assert!(p.starts_with("[[People/") && p.ends_with("]]"), "{rel}: {p}");
                }
            }
            other => panic!("{rel}: people is {other:?}"),
        }
        // The same values again, property by property, as the model reads them.
        let vault = rapport::Vault::load(&v).unwrap();
        let c = vault.graph.clients.iter().find(|c| c.path == path).unwrap();
        assert_eq!(c.satisfaction.map(Value::Number).unwrap_or(Value::Null), prop("satisfaction"), "{rel}");
    }
    assert_eq!(seen.len(), rows.len(), "one card per client");
    // Polar Tech's card holds its whole history, newest first, each linking its source.
    let polar = read(&v, "CRM/Clients/Polar Tech · card.md");
    let timeline: Vec<&str> = polar.split("## Timeline\n\n").nth(1).unwrap().lines().collect();
    assert_eq!(timeline.len(), 3, "{polar}");
    assert!(timeline[0].starts_with("- 2026-10-01 · email · [[Clients/Polar Tech#Log|"), "{polar}");
    assert!(timeline[1].contains("[[Interactions/2026-09-02 Polar Tech support queue|"), "{polar}");
    assert!(timeline[2].contains("[[Clients/Polar Tech#2026-06-05 Встреча в Хельсинки|"), "{polar}");
}

/// Clients whose note lies deeper than the output folder, and names that are not file
/// names: no card captures a user's link, and every client gets its own card.
#[test]
fn card_names_never_capture_a_link() {
    let (_t, v) = empty_vault();
    write(&v, "Work/Accounts/Clients/Polar Tech.md", "---\ntype: client\n---\n- 2026-11-01 call\n");
    write(&v, "Work/Accounts/Archive/Acme.md", "---\ntype: client\nstatus: former\n---\n");
    write(&v, "Work/Accounts/Clients/Acme.md", "---\ntype: client\n---\n");
    write(&v, "Work/Accounts/Clients/Team: Q?.md", "---\ntype: client\n---\n");
    write(&v, "Work/Accounts/Clients/ACME · card.md", "a note of the user's with a card's name\n");
    write(&v, "Journal/Plan.md", "Call [[Polar Tech]] and [[Team: Q?]], see [[ACME · card]].\n");
    assert_eq!(code(&report(&v)), 0);
    let names = cards(&v);
    assert_eq!(
        names,
        [
            "CRM/Clients/Acme · card 2.md",
            "CRM/Clients/Acme · card 3.md",
            "CRM/Clients/Polar Tech · card.md",
            "CRM/Clients/Team Q · card.md",
        ]
    );
    // Read the output folder as user notes (another output folder): the user's links
    // still resolve to the user's notes, and none is ambiguous.
    let check = |v: &Path| {
        write(v, "rapport.toml", "output_dir = \"Elsewhere\"\n");
        let out = rapport(v, &["check", "--today", TODAY, "--format", "json"]);
        std::fs::remove_file(v.join("rapport.toml")).unwrap();
        stdout(&out)
    };
    let found = check(&v);
    assert!(!found.contains("link-ambiguous") && !found.contains("link-broken"), "{found}");
    write(&v, "rapport.toml", "output_dir = \"Elsewhere\"\n");
    let vault = rapport::Vault::load(&v).unwrap();
    std::fs::remove_file(v.join("rapport.toml")).unwrap();
    let plan = vault.notes.iter().position(|n| n.path == "Journal/Plan.md").unwrap();
    for (link, want) in
        [("Polar Tech", "Work/Accounts/Clients/Polar Tech.md"), ("ACME · card", "Work/Accounts/Clients/ACME · card.md")]
    {
        let got = match vault.index.resolve_name(plan, link).target {
            rapport::Target::Note(i) => vault.notes[i].path.clone(),
            other => panic!("{link}: {other:?}"),
        };
        assert_eq!(got, want);
    }
    // The check above would see a card that takes a client's name.
    std::fs::rename(v.join("CRM/Clients/Polar Tech · card.md"), v.join("CRM/Clients/Polar Tech.md")).unwrap();
    assert!(check(&v).contains("link-ambiguous"), "a card named like the client captures its links");
}

/// A gone client's card is removed while it is still rapport's and unedited; a renamed
/// client's card follows it; an edited card is kept and reported; turning cards off
/// removes them.
#[test]
fn cards_follow_their_clients() {
    let (_t, v) = vault("demo");
    assert_eq!(code(&report(&v)), 0);
    std::fs::rename(v.join("Clients/Polar Tech.md"), v.join("Clients/Polar Technologies.md")).unwrap();
    std::fs::remove_file(v.join("Clients/Orbit Media.md")).unwrap();
    let edited = read(&v, "CRM/Clients/Data Bridge · card.md").replace("## Timeline", "## Timeline (my notes)");
    write(&v, "CRM/Clients/Data Bridge · card.md", &edited);
    std::fs::remove_file(v.join("Clients/Data Bridge.md")).unwrap();
    let check = stdout(&rapport(&v, &["check", "--today", TODAY, "--format", "json"]));
    let found: Vec<serde_json::Value> = serde_json::from_str(&check).unwrap();
    for (want, path) in [
        ("report-stale", "CRM/Clients/Polar Tech · card.md"),
        ("report-stale", "CRM/Clients/Polar Technologies · card.md"),
        ("report-stale", "CRM/Clients/Orbit Media · card.md"),
        ("generated-edited", "CRM/Clients/Data Bridge · card.md"),
    ] {
        assert!(found.iter().any(|d| d["path"] == path && d["code"] == want), "{path} {want}: {check}");
    }
    let out = report(&v);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("     removed CRM/Clients/Polar Tech · card.md\n"), "{text}");
    assert!(text.contains("     removed CRM/Clients/Orbit Media · card.md\n"), "{text}");
    assert!(text.contains("        kept CRM/Clients/Data Bridge · card.md"), "{text}");
    assert!(text.contains("     created CRM/Clients/Polar Technologies · card.md\n"), "{text}");
    assert!(!v.join("CRM/Clients/Polar Tech · card.md").exists());
    assert_eq!(read(&v, "CRM/Clients/Data Bridge · card.md"), edited);
    // An edited card of a current client is refused, in report and in check.
    let mine = read(&v, "CRM/Clients/Nordlicht GmbH · card.md").replace("tier: key", "tier: supporting");
    write(&v, "CRM/Clients/Nordlicht GmbH · card.md", &mine);
    let out = rapport(&v, &["report", "--today", "2026-11-24"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("CRM/Clients/Nordlicht GmbH · card.md:1:1: error[generated-edited]"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&v, "CRM/Clients/Nordlicht GmbH · card.md"), mine);
    // Outputs turned off: their unedited files go, the edited card stays.
    write(&v, "rapport.toml", "[outputs]\ncards = false\ncanvas = false\n");
    let out = rapport(&v, &["report", "--today", "2026-11-24"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let left = cards(&v);
    assert_eq!(left, ["CRM/Clients/Data Bridge · card.md", "CRM/Clients/Nordlicht GmbH · card.md"]);
    assert!(!v.join("CRM/Clients.base").exists() && !v.join("CRM/Relationships.canvas").exists());
    assert!(!read(&v, "CRM/Dashboard.md").contains("· card"), "no links to cards that are off");
}

/// An identifier chain in a Bases expression: `file.inFolder`, `formula.x`, `price`.
fn identifiers(expr: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != c {
                i += 1 + usize::from(chars[i] == '\\');
            }
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let call = chars.get(i) == Some(&'(');
            // A chain that follows `)` is a method on a value: only its name matters.
            let method = start > 0 && chars[start - 1] == '.';
            out.push((if method { format!(".{word}") } else { word }, call));
        } else {
            i += 1;
        }
    }
    out
}

/// The Bases file follows the syntax of Obsidian's Bases documentation: top-level keys,
/// view types, `and`/`or`/`not` filters, every `formula.X` defined, every property a
/// card carries, and only documented functions.
#[test]
fn base_follows_the_bases_syntax() {
    use serde_yaml::Value as Y;
    let (_t, v) = vault("demo");
    assert_eq!(code(&report(&v)), 0);
    let text = read(&v, "CRM/Clients.base");
    let base: Y = serde_yaml::from_str(&text).expect("valid YAML");
    let top = base.as_mapping().expect("a mapping");
    for k in top.keys() {
        let k = k.as_str().unwrap();
        assert!(["filters", "formulas", "properties", "summaries", "views"].contains(&k), "unknown key {k}");
    }
    // Every property any card carries.
    let mut card_props = BTreeSet::new();
    for rel in cards(&v) {
        let note = rapport::parse_note(&rel, &read(&v, &rel));
        card_props.extend(note.props.iter().map(|p| p.key.clone()));
    }
    let formulas: BTreeMap<String, String> = top[&Y::from("formulas")]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str().unwrap().to_owned(), v.as_str().expect("formulas are strings").to_owned()))
        .collect();
    // From the Bases pages: file properties, global functions and methods of values.
    let file_props = [
        "backlinks",
        "ctime",
        "embeds",
        "ext",
        "file",
        "folder",
        "links",
        "mtime",
        "name",
        "path",
        "properties",
        "size",
        "tags",
        "asLink",
        "hasLink",
        "hasProperty",
        "hasTag",
        "inFolder",
    ];
    let globals = [
        "escapeHTML",
        "date",
        "duration",
        "file",
        "html",
        "if",
        "image",
        "icon",
        "link",
        "list",
        "max",
        "min",
        "now",
        "number",
        "today",
        "random",
    ];
    let methods = [
        "round", "ceil", "floor", "abs", "toFixed", "format", "date", "time", "relative", "isEmpty", "contains",
        "lower", "title", "trim", "join", "length", "toString", "isTruthy",
    ];
    let mut expressions: Vec<String> = formulas.values().cloned().collect();
    let mut kinds = BTreeSet::new();
    fn filters(f: &Y, out: &mut Vec<String>, kinds: &mut BTreeSet<String>) {
        match f {
            Y::String(s) => out.push(s.clone()),
            Y::Mapping(m) => {
                assert_eq!(m.len(), 1, "a filter object holds one of and/or/not: {m:?}");
                let (k, v) = m.iter().next().unwrap();
                let k = k.as_str().unwrap();
                assert!(["and", "or", "not"].contains(&k), "{k}");
                kinds.insert(k.to_owned());
                for item in v.as_sequence().expect("a list of filters") {
                    filters(item, out, kinds);
                }
            }
            other => panic!("not a filter: {other:?}"),
        }
    }
    filters(&top[&Y::from("filters")], &mut expressions, &mut kinds);
    let mut referenced: Vec<String> = Vec::new();
    let mut types = Vec::new();
    for view in top[&Y::from("views")].as_sequence().unwrap() {
        let t = view["type"].as_str().unwrap();
        assert!(["table", "cards", "list", "map"].contains(&t), "{t}");
        types.push(t.to_owned());
        assert!(view["name"].as_str().is_some_and(|n| !n.is_empty()));
        if let Some(f) = view.get("filters") {
            filters(f, &mut expressions, &mut kinds);
        }
        for p in view["order"].as_sequence().unwrap() {
            referenced.push(p.as_str().unwrap().to_owned());
        }
        for s in view.get("sort").and_then(Y::as_sequence).into_iter().flatten() {
            referenced.push(s["property"].as_str().unwrap().to_owned());
            assert!(["ASC", "DESC"].contains(&s["direction"].as_str().unwrap()));
        }
        if let Some(g) = view.get("groupBy") {
            referenced.push(g["property"].as_str().unwrap().to_owned());
            assert!(["ASC", "DESC"].contains(&g["direction"].as_str().unwrap()));
        }
    }
    assert_eq!(types, ["table", "table", "cards"]);
    assert_eq!(kinds, BTreeSet::from(["and".to_owned(), "not".to_owned(), "or".to_owned()]));
    for p in top[&Y::from("properties")].as_mapping().unwrap().keys() {
        referenced.push(p.as_str().unwrap().to_owned());
    }
    for e in &expressions {
        for (word, call) in identifiers(e) {
            if ["true", "false", "null"].contains(&word.as_str()) {
                continue;
            }
            if let Some(m) = word.strip_prefix('.') {
                assert!(methods.contains(&m.split('.').next().unwrap()), "unknown method {m} in {e}");
            } else if call && !word.contains('.') {
                assert!(globals.contains(&word.as_str()), "unknown function {word} in {e}");
            } else {
                referenced.push(word);
            }
        }
    }
    let mut checked = 0;
    for r in referenced {
        let mut parts = r.split('.');
        let (head, rest) = (parts.next().unwrap(), parts.next());
        match (head, rest) {
            ("formula", Some(name)) => assert!(formulas.contains_key(name), "formula.{name} is not defined"),
            ("file", Some(name)) => assert!(file_props.contains(&name), "file.{name} is no file property"),
            ("note", Some(name)) => assert!(card_props.contains(name), "{name} is on no card"),
            ("formula" | "file" | "note", None) => panic!("`{r}` names no property"),
            // A bare name is a note property (fields after it are its own).
            (name, _) => assert!(card_props.contains(name), "`{name}` is on no card"),
        }
        checked += 1;
    }
    assert!(checked > 30, "{checked}");
    // Days since and until are formulas over the cards' dates, never written.
    assert!(formulas.values().any(|f| f.contains("today()") && f.contains("last_contact")));
    assert!(formulas.values().any(|f| f.contains("today()") && f.contains("next_due")));
}

/// A node's rectangle.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x: i64,
    y: i64,
    w: i64,
    h: i64,
}

impl Rect {
    fn of(n: &serde_json::Value) -> Rect {
        let int = |k: &str| n[k].as_i64().unwrap_or_else(|| panic!("{k} is not an integer: {n}"));
        Rect { x: int("x"), y: int("y"), w: int("width"), h: int("height") }
    }
    fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.x + o.w <= self.x + self.w && o.y + o.h <= self.y + self.h
    }
    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// Checks a canvas against JSON Canvas 1.0; returns its nodes by id.
pub fn check_canvas(text: &str) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let c: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    let nodes = c["nodes"].as_array().expect("nodes").clone();
    let edges = c["edges"].as_array().expect("edges").clone();
    let mut ids = BTreeSet::new();
    let colors = ["1", "2", "3", "4", "5", "6"];
    for n in &nodes {
        assert!(ids.insert(n["id"].as_str().expect("id").to_owned()), "duplicate id {n}");
        let r = Rect::of(n);
        assert!(r.w > 0 && r.h > 0, "{n}");
        match n["type"].as_str().unwrap() {
            "text" => assert!(n["text"].is_string(), "{n}"),
            "file" => assert!(n["file"].is_string(), "{n}"),
            "link" => assert!(n["url"].is_string(), "{n}"),
            "group" => assert!(n.get("label").is_none_or(serde_json::Value::is_string), "{n}"),
            other => panic!("unknown node type {other}"),
        }
        if let Some(col) = n.get("color") {
            assert!(colors.contains(&col.as_str().unwrap()), "{n}");
        }
    }
    for e in &edges {
        assert!(ids.insert(e["id"].as_str().expect("id").to_owned()), "duplicate id {e}");
        for end in ["fromNode", "toNode"] {
            let id = e[end].as_str().expect(end);
            assert!(nodes.iter().any(|n| n["id"] == id), "edge end {id} missing: {e}");
        }
        for side in ["fromSide", "toSide"] {
            if let Some(s) = e.get(side) {
                assert!(["top", "right", "bottom", "left"].contains(&s.as_str().unwrap()));
            }
        }
    }
    // Groups do not overlap; every other node lies inside exactly one group (or none,
    // for the header) and overlaps no other node.
    let groups: Vec<Rect> = nodes.iter().filter(|n| n["type"] == "group").map(Rect::of).collect();
    let others: Vec<Rect> = nodes.iter().filter(|n| n["type"] != "group").map(Rect::of).collect();
    for (i, a) in groups.iter().enumerate() {
        for b in &groups[i + 1..] {
            assert!(!a.overlaps(b), "groups overlap: {a:?} {b:?}");
        }
    }
    for (i, a) in others.iter().enumerate() {
        let within = groups.iter().filter(|g| g.contains(a)).count();
        let touched = groups.iter().filter(|g| g.overlaps(a)).count();
        assert!(within == touched && within <= 1, "{a:?} straddles groups");
        for b in &others[i + 1..] {
            assert!(!a.overlaps(b), "nodes overlap: {a:?} {b:?}");
        }
    }
    (nodes, edges)
}

/// The canvas follows JSON Canvas 1.0: required fields, unique ids, edges between
/// existing nodes, each group holding its client and people; colours by state.
#[test]
fn canvas_follows_json_canvas() {
    let (_t, v) = vault("demo");
    assert_eq!(code(&report(&v)), 0);
    let (nodes, edges) = check_canvas(&read(&v, "CRM/Relationships.canvas"));
    let rows = clients_json(&v);
    let node = |file: &str| nodes.iter().find(|n| n["file"] == file).unwrap_or_else(|| panic!("{file} not on the map"));
    let group = |label: &str| nodes.iter().find(|n| n["type"] == "group" && n["label"] == label).unwrap();
    for (path, row) in &rows {
        assert!(v.join(path).is_file());
        let n = node(path);
        let want = match row["state"].as_str().unwrap() {
            "overdue" => Some("1"),
            "soon" => Some("3"),
            "ok" | "scheduled" => Some("4"),
            _ => None,
        };
        assert_eq!(n.get("color").and_then(|c| c.as_str()), want, "{path}");
        let name = path.trim_start_matches("Clients/").trim_end_matches(".md");
        assert!(Rect::of(group(name)).contains(&Rect::of(n)), "{path} is in its group");
    }
    for (person, company) in [("People/Иван Петров.md", "ООО Ромашка"), ("People/Дмитрий Орлов.md", "Data Bridge")]
    {
        assert!(Rect::of(group(company)).contains(&Rect::of(node(person))), "{person} at {company}");
    }
    let id = |file: &str| node(file)["id"].as_str().unwrap().to_owned();
    let edge = |from: &str, to: &str| {
        edges
            .iter()
            .find(|e| e["fromNode"] == id(from) && e["toNode"] == id(to))
            .unwrap_or_else(|| panic!("{from} → {to}"))
    };
    assert_eq!(edge("People/Дмитрий Орлов.md", "Companies/Helix Systems.md")["label"], "moved 2026-10-15");
    assert!(edge("People/Иван Петров.md", "Clients/ООО Ромашка.md").get("label").is_some());
    let referred = edges.iter().filter(|e| e["label"] == "referred").count();
    let by_referral: usize = rows.values().map(|r| r["referrals"].as_u64().unwrap() as usize).sum();
    assert_eq!(referred, by_referral);
}

/// Starts `rapport watch` on `v` for the test day, its log going to `log`.
fn start_watch(v: &std::path::Path, log: &std::path::Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--vault")
        .arg(v)
        .args(["watch", "--today", TODAY])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

/// A save rewrites only the card of the client it changed.
#[test]
fn watch_rewrites_only_the_changed_clients_card() {
    use std::time::Duration;
    let (t, v) = vault("demo");
    let log = t.path().join("watch.log");
    let mut child = start_watch(&v, &log);
    let wait = |what: &str, cond: &dyn Fn(&str) -> bool| {
        let mut text = String::new();
        let met = wait_until(Duration::from_secs(30), || {
            text = std::fs::read_to_string(&log).unwrap_or_default();
            cond(&text)
        });
        assert!(met, "waiting for {what}:\n{text}");
        text
    };
    wait("the first cycle", &|l| l.contains("watching"));
    let mtimes = || -> HashMap<String, std::time::SystemTime> {
        cards(&v).into_iter().map(|c| (c.clone(), std::fs::metadata(v.join(&c)).unwrap().modified().unwrap())).collect()
    };
    let before = mtimes();
    std::thread::sleep(Duration::from_millis(20));
    let p = v.join("Clients/Green Leaf Studio.md");
    let text = std::fs::read_to_string(&p).unwrap() + "\n- 2026-11-20 call — checked in\n";
    std::fs::write(&p, text).unwrap();
    let out = wait("the save", &|l| l.contains("1 changed"));
    let _ = child.kill();
    let _ = child.wait();
    let line = out.lines().find(|l| l.contains("1 changed")).unwrap();
    assert!(line.contains("CRM/Clients/Green Leaf Studio · card.md"), "{line}");
    assert_eq!(line.matches("CRM/Clients/").count(), 1, "{line}");
    let after = mtimes();
    for (card, t) in &before {
        assert_eq!(after[card] == *t, !card.contains("Green Leaf"), "{card}");
    }
    let fresh = report(&v);
    assert_eq!(changes(&fresh), Vec::<String>::new(), "watch wrote what report would");
}

/// Watch keeps each card current through every note it draws on, not only the client's
/// own: a person's role and birthday, an interaction note (edited, or new), a next step
/// in another note. Each save rewrites that client's card and no other, and after the
/// saves a fresh report finds every file as watch left it.
#[test]
fn watch_follows_every_note_a_card_draws_on() {
    use std::time::Duration;
    let (t, v) = vault("demo");
    let log = t.path().join("watch.log");
    let mut child = start_watch(&v, &log);
    let text = || std::fs::read_to_string(&log).unwrap_or_default();
    assert!(wait_until(Duration::from_secs(30), || text().contains("watching")), "{}", text());
    let anna = "People/Anna Müller.md";
    let vektor = "Interactions/2026-11-18 Vektor intro call.md";
    let new_call = "Interactions/2026-11-21 Polar Tech check-in.md";
    let saves: [(&str, String, &str, &str); 5] = [
        (
            anna,
            read(&v, anna).replace("Head of Operations", "Chief Operating Officer"),
            "Nordlicht GmbH",
            "Chief Operating Officer",
        ),
        (anna, read(&v, anna).replace("1979-03-14", "1979-04-15"), "Nordlicht GmbH", "birthday 04-15"),
        (
            vektor,
            read(&v, vektor).replace("date: 2026-11-18", "date: 2026-11-19"),
            "Vektor Analytics",
            "- 2026-11-19 · call",
        ),
        (
            "Home.md",
            read(&v, "Home.md") + "\n- [ ] Send [[Polar Tech]] the roadmap 📅 2026-12-04\n",
            "Polar Tech",
            "the roadmap",
        ),
        (
            new_call,
            "---\ntype: interaction\ndate: 2026-11-21\nclient: \"[[Polar Tech]]\"\n---\n".to_owned(),
            "Polar Tech",
            "- 2026-11-21 · [[Interactions/2026-11-21",
        ),
    ];
    for (rel, new, client, shows) in saves {
        let card = format!("CRM/Clients/{client} · card.md");
        let seen = text().len();
        write(&v, rel, &new);
        let cycle = |l: &str| l.contains(&format!("changed ({rel}")) && l.contains(" · wrote ");
        let met = wait_until(Duration::from_secs(30), || text()[seen..].lines().any(cycle));
        assert!(met, "waiting for the save of {rel}:\n{}", text());
        assert!(read(&v, &card).contains(shows), "{rel}: {card} lacks {shows:?}:\n{}", read(&v, &card));
        // Every card written since the save is that client's.
        let since = text()[seen..].to_owned();
        let written: Vec<&str> = since.lines().filter(|l| l.contains(" · wrote ")).collect();
        let cards = written.iter().map(|l| l.matches("CRM/Clients/").count()).sum::<usize>();
        assert_eq!(cards, 1, "{rel}: one card written, {card}:\n{since}");
        assert!(written.iter().any(|l| l.contains(&card)), "{rel}: {card} not written:\n{since}");
    }
    let _ = child.kill();
    let _ = child.wait();
    let fresh = report(&v);
    assert_eq!(changes(&fresh), Vec::<String>::new(), "watch wrote what report would");
}

/// A note of the user's among the cards is never taken: anywhere in the cards folder it
/// is an error naming it (exit 2) before anything is written; at a card's very place,
/// `report` and `check` refuse it as `generated-edited`, as they do a note at the place
/// of the two notes, and it stays as it is.
#[test]
fn a_users_note_among_the_cards_is_reported() {
    let (_t, v) = vault("demo");
    assert_eq!(code(&report(&v)), 0);
    let dashboard = read(&v, "CRM/Dashboard.md");
    write(&v, "CRM/Clients/My thoughts.md", "# Thoughts\n");
    write(&v, "Clients/Newcomer.md", "---\ntype: client\n---\n");
    for args in [&["report", "--today", TODAY][..], &["check", "--today", TODAY], &["clients"], &["due"]] {
        let out = rapport(&v, args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("CRM/Clients/My thoughts.md"), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(read(&v, "CRM/Dashboard.md"), dashboard, "nothing written");
    assert!(!v.join("CRM/Clients/Newcomer · card.md").exists());
    std::fs::remove_file(v.join("CRM/Clients/My thoughts.md")).unwrap();
    let card = "CRM/Clients/Polar Tech · card.md";
    write(&v, card, "# Polar Tech, my way\n");
    let out = report(&v);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("{card}:1:1: error[generated-edited]")), "{}", stderr(&out));
    assert_eq!(read(&v, card), "# Polar Tech, my way\n");
    assert!(v.join("CRM/Clients/Newcomer · card.md").exists(), "the other files are written");
    let check = stdout(&rapport(&v, &["check", "--today", TODAY, "--format", "json"]));
    assert!(check.contains(card) && check.contains("generated-edited"), "{check}");
}
