//! Stage timings for profiling: a leaf every stage may call.

/// Prints a stage's wall time to stderr when `RAPPORT_TIMINGS` is set (for profiling).
pub(crate) fn timing(stage: &str, since: std::time::Instant) {
    static ON: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| std::env::var_os("RAPPORT_TIMINGS").is_some());
    if *ON {
        // Resident memory after the stage, from /proc where there is one.
        let rss = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(String::new(), |pages| format!("  rss {:>6} MiB", (pages * 4096) >> 20));
        eprintln!("timing: {stage:<12} {:>8.1} ms{rss}", since.elapsed().as_secs_f64() * 1000.0);
    }
}
