//! Integration tests: `rapport due` for scripts (JSON, CSV) and calendars (iCalendar), and
//! the `[outputs] ics` file that `report` keeps current.

use std::collections::BTreeSet;
use std::path::Path;

use icalendar::parser::{Component, read_calendar, unfold};

use crate::common::*;

const TODAY: &str = "2026-11-23";

fn due(v: &Path, today: &str, format: &str) -> String {
    let out = rapport(v, &["due", "--today", today, "--format", format]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out)
}

fn json_rows(v: &Path) -> Vec<serde_json::Value> {
    serde_json::from_str(&due(v, TODAY, "json")).expect("JSON array")
}

const FIELDS: &[&str] = &[
    "uid",
    "kind",
    "client",
    "client_name",
    "person",
    "person_name",
    "date",
    "days",
    "state",
    "source",
    "line",
    "text",
];

#[test]
fn json_rows_say_where_each_reminder_comes_from() {
    let (_t, v) = vault("demo");
    let rows = json_rows(&v);
    // `--json` is `--format json`.
    let out = rapport(&v, &["due", "--today", TODAY, "--json"]);
    assert_eq!(serde_json::from_str::<Vec<serde_json::Value>>(&stdout(&out)).unwrap(), rows);
    assert!(rows.len() > 20, "{}", rows.len());
    for r in &rows {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.iter().copied().collect::<BTreeSet<_>>(), FIELDS.iter().copied().collect(), "{r}");
        // The source note exists, and the line is in it.
        let source = r["source"].as_str().unwrap();
        let lines = read(&v, source).lines().count() as u64;
        assert!((1..=lines).contains(&r["line"].as_u64().unwrap()), "{r}");
        if let Some(client) = r["client"].as_str() {
            assert!(v.join(client).is_file(), "{r}");
            assert_eq!(Some(Path::new(client).file_stem().unwrap().to_str().unwrap()), r["client_name"].as_str());
        }
    }
    let kinds: BTreeSet<&str> = rows.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert!(kinds.is_superset(&["contact", "next-step", "feedback", "birthday", "anniversary"].into()), "{kinds:?}");
    // A next step's row points at its task line.
    let step = rows.iter().find(|r| r["kind"] == "next-step" && r["source"] == "Clients/Polar Tech.md").unwrap();
    let line =
        read(&v, "Clients/Polar Tech.md").lines().nth(step["line"].as_u64().unwrap() as usize - 1).unwrap().to_owned();
    assert!(line.contains("Restart the check-ins"), "{line}");
    assert_eq!(step["state"], "overdue");
    // A birthday names its person; a contact does not.
    let birthday = rows.iter().find(|r| r["kind"] == "birthday").unwrap();
    assert_eq!(birthday["person"], "People/Иван Петров.md");
    assert_eq!(birthday["person_name"], "Иван Петров");
    assert_eq!(birthday["state"], "soon");
    assert!(rows.iter().filter(|r| r["kind"] == "contact").all(|r| r["person"].is_null()));
    let states: BTreeSet<&str> = rows.iter().map(|r| r["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["overdue", "past", "soon", "undated", "upcoming"].into());
    // Uids are unique and the same on another day.
    let uids: BTreeSet<&str> = rows.iter().map(|r| r["uid"].as_str().unwrap()).collect();
    assert_eq!(uids.len(), rows.len());
    let later: Vec<serde_json::Value> = serde_json::from_str(&due(&v, "2026-11-24", "json")).unwrap();
    let polar = |rows: &[serde_json::Value]| {
        rows.iter().find(|r| r["kind"] == "contact" && r["client_name"] == "Polar Tech").unwrap()["uid"].clone()
    };
    assert_eq!(polar(&rows), polar(&later));
}

#[test]
fn csv_has_the_json_rows() {
    let (_t, v) = vault("demo");
    let rows = json_rows(&v);
    let text = due(&v, TODAY, "csv");
    assert!(text.ends_with("\r\n"));
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), FIELDS);
    let records: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    for (rec, row) in records.iter().zip(&rows) {
        for (i, field) in FIELDS.iter().enumerate() {
            let want = match &row[*field] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(rec[i], want, "{field} of {row}");
        }
    }
    // Commas and quotes in text survive: a row of the demo has both a comma and a client
    // with `&` in its name.
    assert!(records.iter().any(|r| r[11].contains(',')));
    // No reminder at all still gives the header.
    let (_e, empty) = empty_vault();
    assert_eq!(due(&empty, TODAY, "csv"), FIELDS.join(",") + "\r\n");
}

/// The events of a feed, through the iCalendar parser, after checking the lines
/// themselves: CRLF endings and at most 75 octets each.
fn events(feed: &str) -> Vec<Component<'static>> {
    assert!(feed.ends_with("\r\n"), "ends with CRLF");
    for line in feed.split_inclusive('\n') {
        assert!(line.ends_with("\r\n"), "{line:?} does not end with CRLF");
        let content = line.trim_end_matches("\r\n");
        assert!(!content.contains('\r'), "{line:?}");
        assert!(content.len() <= 75, "{content:?} is {} octets", content.len());
    }
    let unfolded = unfold(feed);
    let cal = read_calendar(&unfolded).expect("parses as iCalendar").components;
    let leaked: Vec<Component<'static>> = cal.into_iter().map(|c| owned(&c)).collect();
    leaked
}

fn owned(c: &Component<'_>) -> Component<'static> {
    Component {
        name: c.name.to_owned(),
        properties: c
            .properties
            .iter()
            .map(|p| icalendar::parser::Property {
                name: p.name.to_owned(),
                val: p.val.to_owned(),
                params: p
                    .params
                    .iter()
                    .map(|x| icalendar::parser::Parameter {
                        key: x.key.to_owned(),
                        val: x.val.as_ref().map(|v| v.to_owned()),
                    })
                    .collect(),
            })
            .collect(),
        components: c.components.iter().map(owned).collect(),
    }
}

fn prop<'a>(c: &'a Component<'_>, name: &str) -> Option<&'a str> {
    c.properties.iter().find(|p| p.name.as_str() == name).map(|p| p.val.as_str())
}

#[test]
fn ics_feed_parses_and_keeps_its_uids() {
    let (_t, v) = vault("demo");
    let feed = due(&v, TODAY, "ics");
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"), "{feed}");
    // Long Cyrillic descriptions are folded, so folding is exercised.
    assert!(feed.contains("\r\n "), "no folded line");
    let evs = events(&feed);
    assert!(evs.len() > 10, "{}", evs.len());
    let mut uids = BTreeSet::new();
    for e in &evs {
        assert_eq!(e.name.as_str(), "VEVENT");
        for required in ["UID", "DTSTAMP", "DTSTART", "SUMMARY"] {
            assert!(prop(e, required).is_some(), "{required} missing in {e:?}");
        }
        assert!(uids.insert(prop(e, "UID").unwrap().to_owned()), "duplicate UID");
        let start = prop(e, "DTSTART").unwrap();
        assert_eq!(start.len(), 8, "{start}");
        // Nothing to do lies in the past: what is overdue shows today.
        let yearly = prop(e, "RRULE").is_some();
        assert!(yearly || start >= "20261123", "{e:?}");
    }
    // Birthdays and anniversaries recur every year, whatever today is.
    let categories = |cat: &str| evs.iter().filter(|e| prop(e, "CATEGORIES") == Some(cat)).collect::<Vec<_>>();
    for cat in ["birthday", "anniversary"] {
        assert!(!categories(cat).is_empty(), "{cat}");
        assert!(categories(cat).iter().all(|e| prop(e, "RRULE") == Some("FREQ=YEARLY")), "{cat}");
    }
    let birthday =
        categories("birthday").into_iter().find(|e| prop(e, "SUMMARY").unwrap().contains("Иван Петров")).unwrap();
    assert_eq!(prop(birthday, "DTSTART"), Some("19851130"), "{birthday:?}");
    for cat in ["contact", "next-step", "feedback"] {
        assert!(!categories(cat).is_empty(), "{cat}");
        assert!(categories(cat).iter().all(|e| prop(e, "RRULE").is_none()), "{cat}");
    }
    // The same vault and day give the same bytes; another day keeps the UIDs of the
    // reminders still there.
    assert_eq!(due(&v, TODAY, "ics"), feed);
    let later = events(&due(&v, "2026-11-24", "ics"));
    let later_uids: BTreeSet<String> = later.iter().map(|e| prop(e, "UID").unwrap().to_owned()).collect();
    assert!(uids.intersection(&later_uids).count() >= uids.len() - 2, "{uids:?} vs {later_uids:?}");
    // The UIDs are those of the JSON rows.
    let rows = json_rows(&v);
    for e in categories("contact") {
        let uid = prop(e, "UID").unwrap().trim_end_matches("@rapport");
        assert!(rows.iter().any(|r| r["uid"] == uid), "{uid}");
    }
}

#[test]
fn ics_text_is_escaped() {
    let (_t, v) = empty_vault();
    let task = r"Send the quote, terms; and C:\deals\2027 — with a long tail that needs folding more than once";
    write(&v, "Acme.md", &format!("---\ntype: client\n---\n- 2026-11-01 call\n- [ ] {task} 📅 2026-11-25\n"));
    let feed = due(&v, TODAY, "ics");
    assert!(feed.contains(r"Send the quote\, terms\; and C:\\deals\\2027"), "{feed}");
    let evs = events(&feed);
    let step = evs.iter().find(|e| prop(e, "CATEGORIES") == Some("next-step")).expect("next step event");
    // The parser unescapes TEXT values: the task comes back as written.
    assert!(prop(step, "DESCRIPTION").unwrap().contains(task), "{step:?}");
    assert!(prop(step, "DESCRIPTION").unwrap().contains("\nNote: Acme.md"), "{step:?}");
    assert_eq!(prop(step, "DTSTART"), Some("20261125"));
    assert_eq!(prop(step, "DTEND"), Some("20261126"));
}

#[test]
fn outputs_ics_is_kept_current_outside_the_vault() {
    let (t, v) = vault("demo");
    let cal = t.path().join("calendars").join("clients.ics");
    write(&v, "rapport.toml", &format!("[outputs]\nics = \"{}\"\n", cal.display()));
    let out = rapport(&v, &["report", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("created {}", cal.display())), "{}", stdout(&out));
    let written = std::fs::read_to_string(&cal).unwrap();
    assert_eq!(written, due(&v, TODAY, "ics"));
    let mtime = std::fs::metadata(&cal).unwrap().modified().unwrap();
    // Unchanged bytes are not written again; a new day is.
    let out = rapport(&v, &["report", "--today", TODAY]);
    assert!(stdout(&out).contains(&format!("unchanged {}", cal.display())), "{}", stdout(&out));
    assert_eq!(std::fs::metadata(&cal).unwrap().modified().unwrap(), mtime);
    let out = rapport(&v, &["report", "--today", "2026-11-24"]);
    assert!(stdout(&out).contains(&format!("updated {}", cal.display())), "{}", stdout(&out));
    // A file that is not rapport's feed is never replaced.
    std::fs::write(&cal, "BEGIN:VCALENDAR\r\nPRODID:-//Someone//EN\r\nEND:VCALENDAR\r\n").unwrap();
    let out = rapport(&v, &["report", "--today", TODAY]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(stderr(&out).contains("generated-edited"), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&cal).unwrap().contains("Someone"));
    // A relative path is from the vault.
    write(&v, "rapport.toml", "[outputs]\nics = \"Calendar/clients.ics\"\n");
    let out = rapport(&v, &["report", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(v.join("Calendar/clients.ics").is_file());
    // An empty path is a config error with its line.
    write(&v, "rapport.toml", "lang = \"en\"\n[outputs]\nics = \"\"\n");
    let out = rapport(&v, &["report", "--today", TODAY]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("rapport.toml:3"), "{}", stderr(&out));
}
