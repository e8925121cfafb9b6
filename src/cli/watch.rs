//! `rapport watch`: terminal side of watch mode. The command line owns the clock and
//! the signals: watch is handed the day source and the stop flag.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::NaiveDate;

use super::Outcome;
use crate::Error;
use crate::watch::{Options, run_with};

/// Watches the vault until Ctrl-C, with the real clock (or `--today`) and the terminal.
pub(super) fn run(vault_dir: &Path, debounce_ms: u64, today: Option<NaiveDate>) -> Outcome {
    let config = crate::config::load(vault_dir)?;
    for w in super::preflight::warnings(vault_dir, &config) {
        super::tell(&format!("{w}\n"));
    }
    super::preflight::check_output_folder(vault_dir, &config, &std::collections::HashSet::new())?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|e| Error::Usage(format!("cannot catch Ctrl-C: {e}")))?;
    // Called every cycle, so midnight rolls over.
    let today: Box<dyn Fn() -> NaiveDate + Send> = match today {
        Some(d) => Box::new(move || d),
        None => Box::new(|| chrono::Local::now().date_naive()),
    };
    let debounce = Duration::from_millis(debounce_ms);
    run_with(vault_dir, Options { debounce, today, stop, log: Box::new(std::io::stderr()) })?;
    Ok(0)
}
