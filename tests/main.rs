//! Integration tests: the built binary run on fixture vaults in temporary folders.

// Helpers are `pub` for the test modules; the crate is a test binary, not a library.
#![allow(unreachable_pub)]

mod common;

mod cache;
mod cards;
mod check;
mod ci;
mod config;
mod dry_run;
mod due;
mod faults;
mod firstrun;
mod hostile;
mod init;
mod links;
mod model;
mod report;
mod shell;
mod terminal;
mod ticks;
mod watch;
