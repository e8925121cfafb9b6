//! Fault-injection points for the test suite: a named point in the code where a test
//! can make the process stop as a killed one would, or pause to widen a race window.
//!
//! Compiled only into debug builds (what `cargo test` runs) or with the `fault-hooks`
//! feature (for `scripts/` fault runs on a release build); a release binary, the one
//! `cargo install` ships, has no hook and never reads the variable.
//!
//! `RAPPORT_FAULT=POINT:ACTION[,POINT:ACTION…]`, ACTION being `abort` (SIGABRT, like a
//! crash) or `sleep=MS`.

/// Runs the action the environment names for `point`, if any.
#[cfg(any(debug_assertions, feature = "fault-hooks"))]
pub(crate) fn at(point: &str) {
    let Some(spec) = std::env::var_os("RAPPORT_FAULT") else { return };
    let spec = spec.to_string_lossy();
    for item in spec.split(',') {
        let Some((name, action)) = item.split_once(':') else { continue };
        if name != point {
            continue;
        }
        if action == "abort" {
            std::process::abort();
        }
        if let Some(ms) = action.strip_prefix("sleep=").and_then(|ms| ms.parse().ok()) {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
    }
}

/// Release builds: no hook.
#[cfg(not(any(debug_assertions, feature = "fault-hooks")))]
#[inline(always)]
pub(crate) fn at(_point: &str) {}
