//! Fuzz target: arbitrary bytes as a note → `parse_bytes`.
//!
//! Parsing must never panic, and every diagnostic must point at a real position
//! (1-based line and column).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let note = rapport::parse_bytes("Fuzz/note.md", data);
    for d in &note.diagnostics {
        assert!(d.line >= 1, "diagnostic with line 0: {d:?}");
        assert!(d.column >= 1, "diagnostic with column 0: {d:?}");
    }
    for l in &note.links {
        assert!(l.line >= 1 && l.column >= 1, "link with a 0 position: {l:?}");
    }
});
