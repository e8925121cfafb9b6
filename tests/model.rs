//! Integration tests: `due` and `clients` (the model and metrics) on fixture vaults.

use crate::common::*;
use serde_json::Value;

fn json(vault: &std::path::Path, args: &[&str]) -> Value {
    let out = rapport(vault, args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON")
}

/// The worked example of SPEC §2–§3: every client's last contact, next due, cadence, state.
#[test]
fn worked_example_matches_spec() {
    let (_t, v) = vault("clients-small");
    let got = json(&v, &["clients", "--today", "2026-11-23", "--json"]);
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("clients-small.expected.json")).unwrap())
            .unwrap();
    let got = got.as_array().unwrap();
    let want = want["clients"].as_array().unwrap();
    assert_eq!(got.len(), want.len());
    for w in want {
        let g = got.iter().find(|g| g["path"] == w["path"]).unwrap_or_else(|| panic!("missing {}", w["path"]));
        for k in ["name", "last_contact", "state", "cadence_days"] {
            assert_eq!(g[k], w[k], "{} {k}", w["path"]);
        }
        if w["state"] != "silent" {
            assert_eq!(g["next_due"], w["next_due"], "{} next_due", w["path"]);
        }
    }
}

#[test]
fn demo_clients_match_hand_worked_expectations() {
    let (_t, v) = vault("demo");
    let got = json(&v, &["clients", "--today", "2026-11-23", "--json"]);
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("demo.expected.json")).unwrap()).unwrap();
    let got = got.as_array().unwrap();
    for w in want["clients"].as_array().unwrap() {
        let g = got.iter().find(|g| g["path"] == w["path"]).unwrap_or_else(|| panic!("missing {}", w["path"]));
        for k in ["last_contact", "state", "cadence_days"] {
            assert_eq!(g[k], w[k], "{} {k}", w["path"]);
        }
        if w["state"] != "silent" {
            assert_eq!(g["next_due"], w["next_due"], "{} next_due", w["path"]);
        }
    }
    let paths: Vec<&str> = got.iter().map(|c| c["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "clients sorted by path");
}

#[test]
fn demo_clients_and_due_snapshots() {
    let (_t, v) = vault("demo");
    let clients = json(&v, &["clients", "--today", "2026-11-23", "--json"]);
    insta::assert_json_snapshot!("demo_clients", clients);
    let due = json(&v, &["due", "--today", "2026-11-23", "--json"]);
    insta::assert_json_snapshot!("demo_due", due);
}

#[test]
fn due_is_most_urgent_first_with_spec_fields() {
    let (_t, v) = vault("demo");
    let due = json(&v, &["due", "--today", "2026-11-23", "--json"]);
    let items = due.as_array().unwrap();
    let kinds = ["contact", "next-step", "feedback", "birthday", "anniversary", "moved-on", "after-project"];
    let mut last = i64::MIN;
    let mut undated = false;
    for d in items {
        for k in ["kind", "client", "date", "days", "text"] {
            assert!(d.get(k).is_some(), "{k} in {d}");
        }
        assert!(kinds.contains(&d["kind"].as_str().unwrap()));
        match d["days"].as_i64() {
            Some(days) => {
                assert!(!undated, "dated items come before undated ones");
                assert!(days >= last, "sorted by urgency");
                last = days;
            }
            None => undated = true,
        }
    }
    for k in kinds {
        assert!(items.iter().any(|d| d["kind"] == k), "demo has a {k} reminder");
    }
    let esc: Vec<_> =
        items.iter().filter(|d| d["kind"] == "feedback" && d["text"].as_str().unwrap().contains("escalate")).collect();
    assert_eq!(esc.len(), 1, "one high-severity complaint to escalate");
}

#[test]
fn terminal_tables() {
    let (_t, v) = vault("clients-small");
    let out = rapport(&v, &["clients", "--today", "2026-11-23"]);
    let text = stdout(&out);
    assert!(text.starts_with("CLIENT"), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("Żagiel 0") && l.contains("overdue") && l.contains("2026-10-19")),
        "{text}"
    );
    let out = rapport(&v, &["due", "--today", "2026-11-23"]);
    assert!(stdout(&out).contains("Contact Blue Fox Ltd 7: overdue by 141 days"), "{}", stdout(&out));
}

#[test]
fn categories_vault_works_by_config_alone() {
    let (_t, v) = vault("categories");
    let got = json(&v, &["clients", "--today", "2026-11-23", "--json"]);
    insta::assert_json_snapshot!("categories_clients", got);
    let check = rapport(&v, &["check", "--today", "2026-11-23", "--format", "json"]);
    let diags: Value = serde_json::from_str(&stdout(&check)).unwrap();
    assert!(
        diags.as_array().unwrap().iter().all(|d| d["severity"] == "warning"),
        "no errors in a categories-style vault: {diags}"
    );
}

#[test]
fn scheduled_future_interaction_silences_and_is_not_last_contact() {
    let (_t, v) = empty_vault();
    write(
        &v,
        "Acme.md",
        "---\ntype: client\ntier: key\n---\n- 2026-11-01 call — last real contact\n- 2026-12-01 meeting — planned\n",
    );
    let c = json(&v, &["clients", "--today", "2026-11-23", "--json"]);
    assert_eq!(c[0]["last_contact"], "2026-11-01");
    assert_eq!(c[0]["state"], "scheduled");
    let due = json(&v, &["due", "--today", "2026-11-23", "--json"]);
    assert!(due.as_array().unwrap().iter().all(|d| d["kind"] != "contact"), "{due}");
}

#[test]
fn person_interaction_counts_for_company_until_they_leave() {
    let (_t, v) = empty_vault();
    write(&v, "Acme.md", "---\ntype: client\n---\n");
    write(&v, "Beta.md", "---\ntype: client\n---\n");
    write(
        &v,
        "Anna.md",
        "---\ntype: person\ncompany: \"[[Acme]]\"\nleft: 2026-10-01\nmoved_to: \"[[Beta]]\"\n---\n- 2026-09-01 call\n- 2026-11-01 lunch\n",
    );
    let c = json(&v, &["clients", "--today", "2026-11-23", "--json"]);
    assert_eq!(c[0]["last_contact"], "2026-09-01", "Acme: before Anna left");
    assert_eq!(c[1]["last_contact"], "2026-11-01", "Beta: after she moved there");
    let due = json(&v, &["due", "--today", "2026-11-23", "--json"]);
    assert!(due.as_array().unwrap().iter().any(|d| d["kind"] == "moved-on" && d["client"] == "Acme.md"), "{due}");
}
