//! The parse cache outside the vault: same results warm or cold, never stale, never
//! trusted when damaged. Every run here gets its own cache folder (`XDG_CACHE_HOME`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{code, stderr, stdout, vault, write};

const TODAY: &str = "2026-11-23";

/// Runs rapport on `vault` with `cache` as the cache home and stage timings on.
fn run(vault: &Path, cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env_remove("RAPPORT_VAULT")
        .env("XDG_CACHE_HOME", cache)
        .env("RAPPORT_TIMINGS", "1")
        .env("NO_COLOR", "1")
        .output()
        .expect("run rapport")
}

/// `clients --json`, checked to succeed.
fn clients(vault: &Path, cache: &Path, extra: &[&str]) -> (String, String) {
    let mut args = vec!["clients", "--json", "--today", TODAY];
    args.extend_from_slice(extra);
    let out = run(vault, cache, &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    (stdout(&out), stderr(&out))
}

/// A client's last contact in `clients --json` output.
fn last_contact(json: &str, name: &str) -> String {
    let rows: serde_json::Value = serde_json::from_str(json).expect("json");
    let row = rows.as_array().expect("rows").iter().find(|r| r["name"] == name).expect("client row");
    row["last_contact"].as_str().expect("date").to_owned()
}

/// The cache files under a cache home.
fn cache_files(cache: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(cache.join("rapport")) {
        Ok(dir) => {
            dir.map(|e| e.expect("entry").path()).filter(|p| p.extension().is_some_and(|e| e == "cache")).collect()
        }
        Err(_) => Vec::new(),
    }
}

/// The `(reused, notes)` counts a run's timings report.
fn reused(timings: &str) -> (usize, usize) {
    let at = timings.find("(cache ").expect("cache timing line") + "(cache ".len();
    let rest = &timings[at..];
    let (hits, rest) = rest.split_once('/').expect("hits/notes");
    let notes = rest.split(')').next().expect("notes");
    (hits.parse().expect("hits"), notes.parse().expect("notes"))
}

/// Sets a file's modification time back `secs` seconds, so the run that caches it is
/// well after it (not racily clean).
fn age(path: &Path, secs: u64) {
    let f = std::fs::File::options().write(true).open(path).expect("open");
    let t = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
    f.set_modified(t).expect("set mtime");
}

fn age_all(dir: &Path, secs: u64) {
    for e in std::fs::read_dir(dir).expect("read dir") {
        let e = e.expect("entry");
        if e.file_type().expect("type").is_dir() {
            age_all(&e.path(), secs);
        } else {
            age(&e.path(), secs);
        }
    }
}

#[test]
fn a_warm_run_gives_what_a_cold_one_gives_and_follows_edits() {
    let (_g, v) = vault("demo");
    age_all(&v, 3600);
    let cache = tempfile::tempdir().expect("cache dir");
    let (expected, _) = clients(&v, cache.path(), &["--no-cache"]);
    assert!(cache_files(cache.path()).is_empty(), "--no-cache wrote a cache");
    let (cold, timings) = clients(&v, cache.path(), &[]);
    assert_eq!(cold, expected);
    let (hits, notes) = reused(&timings);
    assert_eq!(hits, 0);
    assert!(notes > 10, "{timings}");
    assert_eq!(cache_files(cache.path()).len(), 1);
    let (warm, timings) = clients(&v, cache.path(), &[]);
    assert_eq!(warm, expected);
    assert_eq!(reused(&timings), (notes, notes), "{timings}");
    // Nothing of the cache is in the vault.
    assert!(!stdout(&run(&v, cache.path(), &["check", "--today", TODAY])).contains(".cache"));

    // A changed, an added and a removed note are all seen.
    let acme = v.join("Clients/Polar Tech.md");
    let text = std::fs::read_to_string(&acme).expect("read");
    std::fs::write(&acme, text.replace("tier: key", "tier: supporting") + "\n- 2026-11-22 call\n").expect("write");
    write(&v, "Clients/New One.md", "---\ntype: client\n---\n- 2026-11-20 call\n");
    std::fs::remove_file(v.join("Clients/Orbit Media.md")).expect("remove");
    let (after, timings) = clients(&v, cache.path(), &[]);
    let (fresh, _) = clients(&v, cache.path(), &["--no-cache"]);
    assert_eq!(after, fresh);
    assert_ne!(after, expected);
    assert!(after.contains("New One") && !after.contains("Orbit Media"));
    assert_eq!(reused(&timings), (notes - 2, notes), "{timings}");
}

/// A note saved again in the same clock tick as the run that cached it, with the same
/// size (and, on a coarse clock, the same modification time and inode), is read again:
/// its entry is racily clean and never trusted.
#[test]
fn an_edit_in_the_same_second_as_the_run_is_not_missed() {
    let (_g, v) = vault("demo");
    age_all(&v, 3600);
    let cache = tempfile::tempdir().expect("cache dir");
    let note = v.join("Clients/Studio Krona.md");
    let before = std::fs::read_to_string(&note).expect("read") + "- 2026-11-21 call\n";
    std::fs::write(&note, &before).expect("write");
    let (first, _) = clients(&v, cache.path(), &[]);
    assert_eq!(last_contact(&first, "Studio Krona"), "2026-11-21");
    // Same size, same inode (written in place), and the modification time put back to
    // what the cached run saw: only the entry's age can tell.
    let mtime = std::fs::metadata(&note).expect("stat").modified().expect("mtime");
    let after = before.replace("- 2026-11-21 call", "- 2026-11-22 call");
    assert_eq!(after.len(), before.len());
    std::fs::write(&note, &after).expect("write");
    std::fs::File::options().write(true).open(&note).expect("open").set_modified(mtime).expect("set mtime");
    let (second, timings) = clients(&v, cache.path(), &[]);
    assert_eq!(last_contact(&second, "Studio Krona"), "2026-11-22", "stale note from the cache");
    let (hits, notes) = reused(&timings);
    assert_eq!(hits, notes - 1, "{timings}");
    assert_eq!(second, clients(&v, cache.path(), &["--no-cache"]).0);
}

/// A damaged, truncated, foreign or other-version cache is ignored (the run reads every
/// note) and written again whole.
#[test]
fn a_corrupt_or_foreign_cache_is_ignored_and_rebuilt() {
    let (_g, v) = vault("demo");
    age_all(&v, 3600);
    let (_g2, other) = vault("clients-small");
    age_all(&other, 3600);
    let cache = tempfile::tempdir().expect("cache dir");
    let (expected, _) = clients(&v, cache.path(), &["--no-cache"]);
    let (_, timings) = clients(&v, cache.path(), &[]);
    let notes = reused(&timings).1;
    let file = cache_files(cache.path()).pop().expect("cache file");
    let good = std::fs::read(&file).expect("read cache");

    // The other vault's cache, put in this one's place.
    let other_cache = tempfile::tempdir().expect("cache dir");
    clients(&other, other_cache.path(), &[]);
    let foreign = std::fs::read(cache_files(other_cache.path()).pop().expect("other cache")).expect("read");

    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x20;
    let mut other_version = good.clone();
    let at = other_version
        .windows(5)
        .position(|w| w == env!("CARGO_PKG_VERSION").as_bytes().get(..5).unwrap_or(b""))
        .expect("version");
    other_version[at] ^= 1;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("flipped byte", flipped),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("last byte cut", good[..good.len() - 1].to_vec()),
        ("empty", Vec::new()),
        ("garbage", (0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()),
        ("another vault", foreign),
        ("another version", other_version),
    ];
    for (what, bytes) in cases {
        std::fs::write(&file, &bytes).expect("damage the cache");
        let (out, timings) = clients(&v, cache.path(), &[]);
        assert_eq!(out, expected, "{what}");
        assert_eq!(reused(&timings), (0, notes), "{what}: {timings}");
        // Rebuilt: the next run reuses every note.
        let (out, timings) = clients(&v, cache.path(), &[]);
        assert_eq!(out, expected, "{what}");
        assert_eq!(reused(&timings), (notes, notes), "{what}: {timings}");
    }
}
