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
