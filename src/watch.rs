//! Watch mode: notify events → re-parse changed notes → rebuild → write.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;

/// Watches the vault until interrupted.
pub fn run(vault: &Path, debounce: Duration, today: Option<NaiveDate>) -> Result<(), crate::Error> {
    let _ = (vault, debounce, today);
    Err(crate::Error::Usage("watch is not available yet".into()))
}
