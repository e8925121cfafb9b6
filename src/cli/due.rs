//! `rapport due`: reminders in the terminal, most urgent first.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::table::table;
use super::{Outcome, warn_about};
use crate::render::{Style, describe};

#[derive(Serialize)]
struct Row {
    kind: &'static str,
    client: Option<String>,
    date: Option<String>,
    days: Option<i64>,
    text: String,
}

pub(super) fn run(vault_dir: &Path, today: NaiveDate, json: bool) -> Outcome {
    let vault = super::load(vault_dir)?;
    warn_about(&vault.diagnostics);
    let figures = vault.figures(today);
    let rows: Vec<Row> = figures
        .due
        .iter()
        .map(|d| Row {
            kind: d.kind.as_str(),
            client: d.client.map(|c| vault.graph.clients[c].path.clone()),
            date: d.date.map(|x| x.to_string()),
            days: d.days,
            text: describe(&vault, &figures, d, Style::Plain),
        })
        .collect();
    if json {
        super::print_json(&rows)?;
        return Ok(0);
    }
    if rows.is_empty() {
        super::print(&format!("Nothing due on {today}.\n"))?;
        return Ok(0);
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.date.clone().unwrap_or_else(|| "—".into()),
                r.days.map_or_else(|| "—".into(), |d| format!("{d:+}")),
                r.kind.to_owned(),
                r.text.clone(),
            ]
        })
        .collect();
    super::print(&table(&["DATE", "DAYS", "KIND", "WHAT"], &cells))?;
    Ok(0)
}
