//! `rapport due`: reminders in the terminal, most urgent first, or as JSON, CSV or an
//! iCalendar feed for other programs.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::table::table;
use super::{DueFormat, Outcome, warn_about};
use crate::Vault;
use crate::metrics::{Due, Figures, Reminder};
use crate::render::{Style, describe};
use crate::vocab::note_name;

/// One reminder for scripts. Field order is the CSV column order.
#[derive(Serialize)]
struct Row {
    /// Stays the same across runs while the reminder is the same thing to do.
    uid: String,
    kind: &'static str,
    /// The client's note path (null when none), and its name.
    client: Option<String>,
    client_name: Option<String>,
    /// The person a birthday or a move is about.
    person: Option<String>,
    person_name: Option<String>,
    date: Option<String>,
    days: Option<i64>,
    state: &'static str,
    /// The note and line the reminder comes from.
    source: String,
    line: u32,
    text: String,
}

/// Where a reminder stands: `overdue`, `soon` (within `soon_days`), `upcoming` (later),
/// `undated` (a next step without a date), or `past` (a move or a project end, which
/// already happened).
fn state(d: &Due, soon_days: u32) -> &'static str {
    match d.days {
        None => "undated",
        Some(_) if matches!(d.what, Reminder::MovedOn { .. } | Reminder::AfterProject { .. }) => "past",
        Some(x) if x < 0 => "overdue",
        Some(x) if x <= i64::from(soon_days) => "soon",
        Some(_) => "upcoming",
    }
}

fn rows(vault: &Vault, figures: &Figures) -> Vec<Row> {
    figures
        .due
        .iter()
        .map(|d| {
            let source = d.subject_path(&vault.graph).to_owned();
            let client = d.what.client().map(|c| vault.graph.clients[c].path.clone());
            let person = matches!(d.what, Reminder::Birthday { .. } | Reminder::MovedOn { .. }).then(|| source.clone());
            Row {
                uid: d.uid(&source),
                kind: d.what.kind().as_str(),
                client_name: client.as_deref().map(|p| note_name(p).to_owned()),
                client,
                person_name: person.as_deref().map(|p| note_name(p).to_owned()),
                person,
                date: d.date.map(|x| x.to_string()),
                days: d.days,
                state: state(d, figures.soon_days),
                line: d.line(),
                text: describe(&vault.graph, vault.config.lang, d, Style::Plain),
                source,
            }
        })
        .collect()
}

pub(super) fn run(vault_dir: &Path, today: NaiveDate, format: DueFormat) -> Outcome {
    let vault = super::load(vault_dir)?;
    warn_about(&vault.diagnostics);
    let figures = vault.figures(today);
    let rows = rows(&vault, &figures);
    let lang = vault.config.lang;
    match format {
        DueFormat::Json => super::print_json(&rows)?,
        DueFormat::Csv => super::print(&csv(&rows))?,
        DueFormat::Ics => super::print(&vault.calendar(&figures))?,
        DueFormat::Table if rows.is_empty() => {
            let nothing = super::lang::t(lang, "Nothing due on", "Ничего не назначено на");
            super::print(&format!("{nothing} {today}.\n"))?;
        }
        DueFormat::Table => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.date.clone().unwrap_or_else(|| "—".into()),
                        r.days.map_or_else(|| "—".into(), |d| format!("{d:+}")),
                        super::lang::kind(lang, r.kind),
                        r.text.clone(),
                    ]
                })
                .collect();
            let header = super::lang::headers(lang, &["DATE", "DAYS", "KIND", "WHAT"], &["ДАТА", "ДНЕЙ", "ВИД", "ЧТО"]);
            super::print(&table(&header, &cells))?;
        }
    }
    Ok(0)
}

/// The rows as CSV (RFC 4180: a header row, fields quoted where they need it, CRLF).
fn csv(rows: &[Row]) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    if rows.is_empty() {
        // serde writes the header with the first row; with none, write it by hand.
        let _ = w.write_record([
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
        ]);
    }
    for r in rows {
        // Serializing plain strings and numbers into memory cannot fail.
        let _ = w.serialize(r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
