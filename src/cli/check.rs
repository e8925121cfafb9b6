//! `rapport check`: every finding about the vault, like a compiler's diagnostics.

use std::path::Path;

use chrono::NaiveDate;

use super::{FailOn, FormatArg, Outcome, color_stdout, configured};
use crate::Vault;
use crate::diagnostics::{Code, Diagnostic, Severity, rebased, render_github, render_human, render_json};
use crate::metrics;
use crate::write::{self, Leftover, Outcome as W};

pub(super) fn run(vault_dir: &Path, today: NaiveDate, format: FormatArg, fail_on: FailOn, skip_dated: bool) -> Outcome {
    let (vault, paths) = super::load_with_paths(vault_dir)?;
    let mut diags = configured(&vault.config, findings(&vault, &paths, today)?);
    if skip_dated {
        diags.retain(|d| !d.code.depends_on_today());
    }
    let base = shown_base(vault_dir);
    let lang = vault.config.lang;
    // People read the messages in the vault's language; programs read JSON in English.
    let told = || rebased(&diags, &base).into_iter().map(|d| super::lang::finding(lang, d)).collect::<Vec<_>>();
    let text = match format {
        FormatArg::Human => render_human(&told(), color_stdout()),
        FormatArg::Json => render_json(&diags, &base),
        FormatArg::Github => render_github(&told()),
    };
    super::print(&text)?;
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.len() - errors;
    if format == FormatArg::Human {
        let n = vault.notes.len();
        use super::lang::count;
        let line = match lang {
            crate::vocab::Lang::En => format!(
                "{} checked: {}, {}",
                count(lang, n, ["note", "notes"], ["", "", ""]),
                count(lang, errors, ["error", "errors"], ["", "", ""]),
                count(lang, warnings, ["warning", "warnings"], ["", "", ""])
            ),
            crate::vocab::Lang::Ru => format!(
                "проверено заметок: {n}; {}, {}",
                count(lang, errors, ["", ""], ["ошибка", "ошибки", "ошибок"]),
                count(lang, warnings, ["", ""], ["предупреждение", "предупреждения", "предупреждений"])
            ),
        };
        super::tell(&format!("rapport: {line}\n"));
    }
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    Ok(u8::from(diags.iter().any(|d| d.severity >= threshold)))
}

/// All findings: the vault's own, date-dependent ones, and the generated notes' state
/// (at `paths`, the vault's output paths).
pub(crate) fn findings(
    vault: &Vault,
    paths: &crate::render::Paths,
    today: NaiveDate,
) -> Result<Vec<Diagnostic>, crate::Error> {
    let mut diags = vault.diagnostics.clone();
    let figures = vault.figures(today);
    diags.extend(metrics::findings(&vault.graph, &figures));
    let out_dir = write::output_folder(&vault.root, &vault.config.output_dir)?;
    if vault.graph.clients.is_empty() {
        // `report` writes nothing then: no generated note is stale.
        return Ok(diags);
    }
    // A batch of outputs at a time, compared with the files and dropped.
    vault.generate_each(&figures, paths, |batch| -> Result<(), crate::Error> {
        let plans: Vec<_> = {
            use rayon::prelude::*;
            batch.par_iter().map(|g| write::plan(&vault.root, &g.rel, &g.content, false)).collect()
        };
        for (g, plan) in batch.iter().zip(plans) {
            match plan? {
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
        Ok(())
    })?;
    let current: std::collections::HashSet<&str> = paths.generated().collect();
    for l in write::leftovers(&out_dir, &vault.config.output_dir, &paths.cards_folder, &current) {
        diags.push(match l {
            Leftover::Removed(rel) => Diagnostic::new(
                Code::ReportStale,
                &rel,
                1,
                1,
                "generated file is no longer generated (its client is gone or renamed, or its output is off)",
            )
            .with_hint("run `rapport report` to remove it"),
            Leftover::Kept(rel) => Diagnostic::new(
                Code::GeneratedEdited,
                &rel,
                1,
                1,
                "generated file is no longer generated and was edited by hand since rapport wrote it",
            )
            .with_hint("move your changes into your own notes, then delete it"),
        });
    }
    Ok(diags)
}

/// The vault's folder as findings show it, so a path in them names the file from where
/// it is read: from the root of the git work tree the vault is in (where GitHub
/// annotations and `git` paths start), else from the current folder when the vault is
/// inside it, else from the file system's root. Empty when the vault is that folder.
pub(super) fn shown_base(vault_dir: &Path) -> String {
    let Ok(vault) = std::fs::canonicalize(vault_dir) else {
        return vault_dir.to_string_lossy().into_owned();
    };
    let start =
        vault.ancestors().find(|a| a.join(".git").exists()).map(Path::to_path_buf).or_else(|| {
            std::env::current_dir().and_then(std::fs::canonicalize).ok().filter(|cwd| vault.starts_with(cwd))
        });
    match start {
        Some(start) => vault.strip_prefix(&start).unwrap_or(&vault).to_string_lossy().into_owned(),
        None => vault.to_string_lossy().into_owned(),
    }
}
