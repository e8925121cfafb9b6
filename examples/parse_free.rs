//! How fast could `rapport report` be if reading and parsing the notes cost nothing?
//!
//! ```text
//! cargo run --release --example parse_free -- VAULT [--rounds 7]
//! ```
//!
//! Parses the vault once, untimed. Then each round times what a run would still do if a
//! perfect cache handed it every parsed note for free: walk the vault, `stat` every note
//! (the check a cache keyed by size and modification time needs), build the link index,
//! resolve, model, compute the figures, render and write the two notes (unchanged after
//! the first round, as in the benchmark). Prints each round and the median, in seconds,
//! so it can be set against the `rg` floor of the same session (`scripts/bench.sh` does).
//! The vault's `CRM/` is written as `rapport report` would.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use rapport::{Filter, Vault, output_folder, plan_and_apply, scan, walk};
use rayon::prelude::*;

// The same allocator as the `rapport` binary, so the figures compare.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut vault, mut rounds) = (None, 7usize);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => match args.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0) {
                Some(n) => rounds = n,
                None => return usage("--rounds needs a positive number"),
            },
            "-h" | "--help" => return usage(""),
            _ if vault.is_none() && !a.starts_with('-') => vault = Some(PathBuf::from(a)),
            _ => return usage(&format!("unexpected argument: {a}")),
        }
    }
    let Some(root) = vault else { return usage("VAULT is missing") };
    match run(&root, rounds) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("parse_free: {e}");
            ExitCode::from(2)
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    if !problem.is_empty() {
        eprintln!("parse_free: {problem}");
    }
    eprintln!("usage: parse_free VAULT [--rounds N]");
    ExitCode::from(if problem.is_empty() { 0 } else { 2 })
}

fn run(root: &std::path::Path, rounds: usize) -> Result<(), rapport::Error> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a valid date");
    let config = rapport::load_config(root)?;
    let parsed = scan(root, &config)?;
    // One copy of the notes per round, made before the clock starts.
    let copies: Vec<_> = (0..rounds).map(|_| parsed.notes.clone()).collect();
    let mut totals = Vec::with_capacity(rounds);
    for (round, notes) in copies.into_iter().enumerate() {
        let start = Instant::now();
        let (paths, files) = walk(root, &Filter::new(&config))?;
        let walked = start.elapsed();
        let bytes: u64 = paths.par_iter().map(|(_, p)| std::fs::symlink_metadata(p).map_or(0, |m| m.len())).sum();
        let statted = start.elapsed();
        let vault = Vault::build(root, config.clone(), notes, files);
        let built = start.elapsed();
        let generated = vault.generate(today);
        let out_dir = output_folder(root, &vault.config.output_dir)?;
        for result in plan_and_apply(root, &out_dir, &vault.config.output_dir, &generated, false, false) {
            result?;
        }
        let total = start.elapsed();
        // As the binary does: the process ends without freeing the vault.
        std::mem::forget(vault);
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        println!(
            "round {}: walk {:.1} ms, stat {} notes ({bytes} bytes) {:.1} ms, index+resolve+model {:.1} ms, \
             render+write {:.1} ms: {:.3} s",
            round + 1,
            ms(walked),
            paths.len(),
            ms(statted - walked),
            ms(built - statted),
            ms(total - built),
            total.as_secs_f64()
        );
        totals.push(total.as_secs_f64());
    }
    totals.sort_by(f64::total_cmp);
    println!("median {:.3} s over {rounds} rounds", totals[rounds / 2]);
    Ok(())
}
