//! `rapport watch`: terminal side of watch mode.

use std::path::Path;

use chrono::NaiveDate;

use super::Outcome;

pub(super) fn run(vault_dir: &Path, debounce_ms: u64, today: Option<NaiveDate>) -> Outcome {
    crate::watch::run(vault_dir, std::time::Duration::from_millis(debounce_ms), today)?;
    Ok(0)
}
