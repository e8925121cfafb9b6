//! Integration tests: what `due`, `clients`, `check` and `report` print in the terminal.

use crate::common::*;

/// A scheduled client's row shows the contact booked, not the due date it answers.
#[test]
fn clients_shows_a_scheduled_clients_booked_date() {
    let (_t, v) = vault("demo");
    let out = stdout(&rapport(&v, &["clients", "--today", "2026-11-23"]));
    let row = out.lines().find(|l| l.starts_with("Hélène Dubois")).expect("row");
    assert!(row.contains("scheduled") && row.ends_with("2026-12-01"), "{row}");
    let json = stdout(&rapport(&v, &["clients", "--today", "2026-11-23", "--json"]));
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let h = rows.as_array().unwrap().iter().find(|r| r["name"] == "Hélène Dubois").unwrap();
    assert_eq!((h["next_due"].as_str(), h["scheduled"].as_str()), (Some("2026-11-16"), Some("2026-12-01")));
}

/// With `lang = "ru"`, `due`, `clients`, `check` messages and the summary lines are in
/// Russian with correct plural forms; JSON stays in English for programs.
#[test]
fn terminal_output_follows_lang() {
    let (_t, v) = vault("demo");
    write(&v, "rapport.toml", "lang = \"ru\"\n");
    let due = stdout(&rapport(&v, &["due", "--today", "2026-11-23"]));
    assert!(due.starts_with("ДАТА"), "{due}");
    assert!(due.contains("контакт") && due.contains("Связаться с Polar Tech: просрочено на 43 дня"), "{due}");
    let clients = stdout(&rapport(&v, &["clients", "--today", "2026-11-23"]));
    assert!(clients.starts_with("КЛИЕНТ"), "{clients}");
    let row = clients.lines().find(|l| l.starts_with("ООО Ромашка")).unwrap();
    assert!(row.contains("ключевой") && row.contains("активный") && row.contains("просрочен"), "{row}");
    let check = rapport(&v, &["check", "--today", "2026-11-23"]);
    let said = stdout(&check);
    assert!(said.contains("следующий шаг просрочен на 3 дня: Отправить КП"), "{said}");
    assert!(said.contains("ждёт ответа на 4 дня дольше срока; высокая важность"), "{said}");
    // 10 of the vault and the two notes, and each card under its Russian name (15 to
    // create, 15 English ones to remove), the base and the canvas: 42.
    assert!(stderr(&check).contains("проверено заметок: 70; 0 ошибок, 42 предупреждения"), "{}", stderr(&check));
    let report = stdout(&rapport(&v, &["report", "--today", "2026-11-23"]));
    assert!(
        report.ends_with("15 клиентов на 2026-11-23: просрочено 8 · скоро 9 · 6 следующих шагов без даты\n"),
        "{report}"
    );
    let json = stdout(&rapport(&v, &["due", "--today", "2026-11-23", "--json"]));
    assert!(json.contains("\"kind\": \"contact\""), "{json}");
    // The bad vault: every check message of the notes is in Russian.
    let (_u, bad) = vault("bad");
    write(&bad, "rapport.toml", "lang = \"ru\"\n");
    let said = stdout(&rapport(&bad, &["check", "--today", "2026-11-23"]));
    for line in said.lines().filter(|l| !l.starts_with(' ')) {
        let message = line.split("]: ").nth(1).unwrap_or("");
        assert!(message.chars().any(|c| ('а'..='я').contains(&c)), "{line}");
    }
}

/// In English, one of a thing is singular: "1 client", "1 day overdue", "1 error".
#[test]
fn english_counts_are_singular_for_one() {
    let (_t, v) = empty_vault();
    write(&v, ".obsidian/app.json", "{}");
    write(&v, "Acme.md", "---\ntype: client\n---\n- 2026-10-08 call\n- [ ] send the deck 📅 2026-11-22\n");
    let report = stdout(&rapport(&v, &["report", "--today", "2026-11-23"]));
    assert!(
        report.ends_with("1 client on 2026-11-23: 1 overdue · 0 due soon · 0 next steps without a date\n"),
        "{report}"
    );
    let check = rapport(&v, &["check", "--today", "2026-11-23"]);
    assert!(stdout(&check).contains("next step is 1 day overdue: send the deck"), "{}", stdout(&check));
    assert!(stderr(&check).contains("1 note checked: 0 errors, 1 warning"), "{}", stderr(&check));
}
