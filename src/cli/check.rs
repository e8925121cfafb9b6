//! `rapport check`: every finding about the vault, like a compiler's diagnostics.

use std::path::Path;

use chrono::NaiveDate;

use super::{FailOn, FormatArg, Outcome, color_stdout, configured};
use crate::Vault;
use crate::diagnostics::{Code, Diagnostic, Severity, render_github, render_human, render_json};
use crate::metrics;
use crate::write::{self, Outcome as W};

pub(super) fn run(vault_dir: &Path, today: NaiveDate, format: FormatArg, fail_on: FailOn) -> Outcome {
    let vault = super::load(vault_dir)?;
    let diags = configured(&vault.config, findings(&vault, today)?);
    let text = match format {
        FormatArg::Human => render_human(&diags, color_stdout()),
        FormatArg::Json => render_json(&diags),
        FormatArg::Github => render_github(&diags),
    };
    super::print(&text)?;
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.len() - errors;
    if format == FormatArg::Human {
        let n = vault.notes.len();
        super::tell(&format!("rapport: {n} notes checked: {errors} error(s), {warnings} warning(s)\n"));
    }
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    Ok(u8::from(diags.iter().any(|d| d.severity >= threshold)))
}

/// All findings: the vault's own, date-dependent ones, and the generated notes' state.
pub(crate) fn findings(vault: &Vault, today: NaiveDate) -> Result<Vec<Diagnostic>, crate::Error> {
    let mut diags = vault.diagnostics.clone();
    let figures = vault.figures(today);
    diags.extend(metrics::findings(&vault.graph, &figures, &|i| vault.notes[i].path.clone()));
    write::output_folder(&vault.root, &vault.config.output_dir)?;
    for g in vault.generate_from(&figures) {
        match write::plan(&vault.root, &g.rel, &g.content, false)? {
            W::Unchanged => {}
            W::Refused(d) => diags.push(d),
            W::Created => diags.push(
                Diagnostic::new(Code::ReportStale, &g.rel, 1, 1, "generated note does not exist yet")
                    .with_hint("run `rapport report`"),
            ),
            W::Updated => diags.push(
                Diagnostic::new(
                    Code::ReportStale,
                    &g.rel,
                    1,
                    1,
                    "generated note differs from what `rapport report` would write",
                )
                .with_hint("run `rapport report`"),
            ),
        }
    }
    Ok(diags)
}
