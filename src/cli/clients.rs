//! `rapport clients`: one row per client.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::table::table;
use super::{Outcome, warn_about};
use crate::vocab::State;

#[derive(Serialize)]
struct Row {
    name: String,
    path: String,
    tier: &'static str,
    status: &'static str,
    last_contact: Option<String>,
    days_since: Option<i64>,
    cadence: Option<String>,
    cadence_days: Option<u32>,
    next_due: Option<String>,
    /// The first interaction booked after today.
    scheduled: Option<String>,
    state: &'static str,
    interactions_90d: usize,
    interactions_365d: usize,
    open_next_steps: usize,
    overdue_next_steps: usize,
    referrals: usize,
    satisfaction: Option<f64>,
    value: Option<f64>,
}

pub(super) fn run(vault_dir: &Path, today: NaiveDate, json: bool) -> Outcome {
    let vault = super::load(vault_dir)?;
    warn_about(&vault.diagnostics);
    let figures = vault.figures(today);
    let mut rows: Vec<Row> = figures
        .clients
        .iter()
        .map(|f| {
            let c = &vault.graph.clients[f.client];
            Row {
                name: c.name.clone(),
                path: c.path.clone(),
                tier: c.tier.as_str(),
                status: c.status.as_str(),
                last_contact: f.last_contact.map(|d| d.to_string()),
                days_since: f.days_since,
                cadence: f.cadence.map(|x| x.to_string()),
                cadence_days: f.cadence.map(|x| x.approx_days()),
                next_due: f.next_due.map(|d| d.to_string()),
                scheduled: f.scheduled.map(|d| d.to_string()),
                state: f.state.as_str(),
                interactions_90d: f.interactions_90d,
                interactions_365d: f.interactions_365d,
                open_next_steps: f.open_next_steps,
                overdue_next_steps: f.overdue_next_steps,
                referrals: f.referrals,
                satisfaction: c.satisfaction,
                value: c.value,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.path.cmp(&b.path));
    if json {
        super::print_json(&rows)?;
        return Ok(0);
    }
    let dash = || "—".to_owned();
    let lang = vault.config.lang;
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                super::lang::model_word(lang, r.tier),
                super::lang::model_word(lang, r.status),
                super::lang::model_word(lang, r.state),
                r.last_contact.clone().unwrap_or_else(dash),
                r.days_since.map_or_else(dash, |d| d.to_string()),
                r.cadence.clone().unwrap_or_else(dash),
                // A scheduled client's next contact is the one booked, not the due date
                // that booking answers (JSON keeps both).
                if r.state == State::Scheduled.as_str() { r.scheduled.as_ref() } else { r.next_due.as_ref() }
                    .cloned()
                    .unwrap_or_else(dash),
            ]
        })
        .collect();
    let header = super::lang::headers(
        lang,
        &["CLIENT", "TIER", "STATUS", "STATE", "LAST CONTACT", "DAYS", "CADENCE", "NEXT DUE"],
        &["КЛИЕНТ", "УРОВЕНЬ", "СТАТУС", "СОСТОЯНИЕ", "ПОСЛЕДНИЙ КОНТАКТ", "ДНЕЙ", "ПЕРИОДИЧНОСТЬ", "СЛЕДУЮЩИЙ"],
    );
    super::print(&table(&header, &cells))?;
    Ok(0)
}
