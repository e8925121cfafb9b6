//! Integration tests: `rapport init` reads a vault and proposes a `rapport.toml` that,
//! written and used, finds the clients a hand-written config finds.

use std::path::Path;

use crate::common::*;

fn client_paths(v: &Path) -> Vec<String> {
    let out = rapport(v, &["clients", "--today", "2026-11-23", "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("clients JSON");
    json.as_array().expect("array").iter().map(|c| c["path"].as_str().unwrap_or("").to_owned()).collect()
}

/// Runs `init`, then `init --write`, on a copy without its config, and compares the
/// clients found with the committed config's.
fn proposal_finds_the_same_clients(fixture: &str, counts: &str) -> String {
    let (_t, committed) = vault(fixture);
    let want = client_paths(&committed);
    assert!(!want.is_empty());
    let (_u, v) = vault(fixture);
    let _ = std::fs::remove_file(v.join("rapport.toml"));
    let shown = rapport(&v, &["init"]);
    assert_eq!(code(&shown), 0, "{}", stderr(&shown));
    assert!(!v.join("rapport.toml").exists(), "init without --write writes nothing");
    let said = stdout(&shown);
    assert!(said.contains(counts), "{said}");
    let out = rapport(&v, &["init", "--write"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let written = read(&v, "rapport.toml");
    assert!(said.ends_with(&written), "the proposal shown is the one written:\n{said}\n---\n{written}");
    assert_eq!(client_paths(&v), want, "{written}");
    // Never overwrites a config.
    let again = rapport(&v, &["init", "--write"]);
    assert_eq!(code(&again), 1);
    assert!(stderr(&again).contains("already exists"));
    assert_eq!(read(&v, "rapport.toml"), written);
    written
}

#[test]
fn categories_vault_proposal_matches_the_committed_config() {
    let written = proposal_finds_the_same_clients("categories", "2 clients, 1 person, 2 interactions");
    assert!(written.contains("\"[[Clients]]\" = \"client\""), "{written}");
    assert!(written.contains("org = \"company\"") && written.contains("people = \"with\""), "{written}");
}

#[test]
fn demo_vault_proposal_finds_the_same_clients() {
    let written = proposal_finds_the_same_clients("demo", "15 clients, 19 people");
    // The demo marks kinds with `type`: folder and tag signs are shown, not used.
    assert!(written.contains("# folders = { Clients = \"client\" }"), "{written}");
    assert!(written.contains("# tags = { clients = \"client\" }"), "{written}");
}

/// Russian and English names of folders, tags and categories; daily-notes and template
/// folders from `.obsidian/`.
#[test]
fn usual_names_in_russian_and_english() {
    let (_t, v) = empty_vault();
    write(&v, ".obsidian/daily-notes.json", "{\"folder\": \"Дневник\", \"format\": \"YYYY-MM-DD\"}");
    write(&v, ".obsidian/templates.json", "{\"folder\": \"Шаблоны\"}");
    write(&v, "Шаблоны/Клиент.md", "---\nкомпания: \"[[{{title}}]]\"\n---\n");
    write(&v, "Клиенты/Ромашка.md", "# Ромашка\n");
    write(&v, "Клиенты/Альфа.md", "# Альфа\n");
    write(&v, "Контакты/Иван.md", "---\nкомпания: \"[[Ромашка]]\"\n---\n");
    write(&v, "Встречи/2026-11-02 Ромашка.md", "---\ndate: 2026-11-02\nучастники: [\"[[Иван]]\"]\n---\n");
    write(&v, "Notes/Complaint.md", "---\ntags: [обратная-связь]\nreceived: 2026-11-20\nclient: \"[[Альфа]]\"\n---\n");
    write(&v, "Notes/Beta.md", "---\ncategories: [\"[[Customers]]\"]\n---\n");
    let out = rapport(&v, &["init", "--write"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("daily notes: Дневник/"), "{said}");
    assert!(said.contains("templates: Шаблоны/"), "{said}");
    assert!(said.contains("3 clients, 1 person, 1 interaction"), "{said}");
    let toml = read(&v, "rapport.toml");
    for want in [
        "\"Клиенты\" = \"client\"",
        "\"Контакты\" = \"person\"",
        "\"Встречи\" = \"interaction\"",
        "\"обратная-связь\" = \"feedback\"",
        "\"[[Customers]]\" = \"client\"",
        "\"компания\" = \"company\"",
        "\"участники\" = \"with\"",
        "lang = \"ru\"",
    ] {
        assert!(toml.contains(want), "{want}:\n{toml}");
    }
    let due = rapport(&v, &["due", "--today", "2026-11-23", "--json"]);
    assert!(stdout(&due).contains("\"feedback\""), "{}", stdout(&due));
}
