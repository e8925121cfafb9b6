//! Fuzz target: arbitrary bytes (as lossy UTF-8) as `rapport.toml` → `config::parse`.
//!
//! A bad config must be an error with a position, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(rapport::ConfigError::Invalid { line, column, .. }) =
        rapport::parse_config(&text, "rapport.toml")
    {
        assert!(line >= 1 && column >= 1, "config error at {line}:{column}");
    }
});
