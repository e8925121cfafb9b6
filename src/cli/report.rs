//! `rapport report`: write the reminder and dashboard notes.

use std::path::Path;

use chrono::NaiveDate;

use super::{Outcome, warn_about};
use crate::diagnostics::render_human;
use crate::write::{self, Outcome as W};

pub(super) fn run(vault_dir: &Path, today: NaiveDate, dry_run: bool, force: bool) -> Outcome {
    let vault = super::load(vault_dir)?;
    warn_about(&vault.diagnostics);
    let out_dir = write::output_folder(&vault.root, &vault.config.output_dir)?;
    if !dry_run {
        write::clean_temporaries(&out_dir);
    }
    let mut refused = Vec::new();
    let figures = vault.figures(today);
    let generated = vault.generate_from(&figures);
    for (g, outcome) in generated.iter().zip(write::plan_and_apply(&vault.root, &out_dir, &generated, force, dry_run)) {
        let outcome = outcome?;
        let verb = match (&outcome, dry_run) {
            (W::Created, false) => "created",
            (W::Updated, false) => "updated",
            (W::Created, true) => "would create",
            (W::Updated, true) => "would update",
            (W::Unchanged, _) => "unchanged",
            (W::Refused(_), _) => "refused",
        };
        super::print(&format!("{verb:>12} {}\n", g.rel))?;
        if let W::Refused(d) = outcome {
            refused.push(d);
        }
    }
    if let Some(ics) = &vault.config.outputs.ics {
        let path = write::calendar_path(&vault.root, ics);
        let outcome = write::write_calendar(&path, &vault.calendar(&figures), force, dry_run)?;
        let verb = match (&outcome, dry_run) {
            (W::Created, false) => "created",
            (W::Updated, false) => "updated",
            (W::Created, true) => "would create",
            (W::Updated, true) => "would update",
            (W::Unchanged, _) => "unchanged",
            (W::Refused(_), _) => "refused",
        };
        super::print(&format!("{verb:>12} {ics}\n"))?;
        if let W::Refused(d) = outcome {
            refused.push(d);
        }
    }
    super::print(&format!("{}\n", summary(&figures)))?;
    if refused.is_empty() {
        Ok(0)
    } else {
        super::tell(&render_human(&refused, false));
        Ok(1)
    }
}

/// One line on what needs doing: `8 overdue · 9 due within 7 days · 6 next steps without a date`.
fn summary(figures: &crate::metrics::Figures) -> String {
    let overdue = figures.due.iter().filter(|d| d.days.is_some_and(|x| x < 0) && d.what.is_urgent()).count();
    let soon = figures.due.iter().filter(|d| d.days.is_some_and(|x| x >= 0) && d.what.is_urgent()).count();
    let undated = figures.due.iter().filter(|d| d.days.is_none()).count();
    let clients = figures.clients.len();
    format!(
        "{clients} clients on {}: {overdue} overdue · {soon} due soon · {undated} next steps without a date",
        figures.today
    )
}
