//! Integration tests: `rapport watch` keeps the generated notes current through every
//! kind of edit, never loops on its own writes, and stops cleanly.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// A running `rapport watch`, killed when dropped.
struct Watch {
    child: Child,
    log: PathBuf,
}

impl Watch {
    fn start(vault: &Path, log_dir: &Path) -> Watch {
        Watch::start_with(vault, log_dir, 20)
    }

    fn start_with(vault: &Path, log_dir: &Path, debounce_ms: u32) -> Watch {
        Watch::start_env(vault, log_dir, debounce_ms, &[])
    }

    /// Starts watch with extra environment variables (`RAPPORT_FAULT`).
    fn start_env(vault: &Path, log_dir: &Path, debounce_ms: u32, env: &[(&str, &str)]) -> Watch {
        let log = log_dir.join("watch.log");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
        cmd.env_remove("RAPPORT_FAULT");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd
            .arg("--vault")
            .arg(vault)
            .args(["watch", "--debounce", &debounce_ms.to_string(), "--today", "2026-11-23"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start watch");
        let w = Watch { child, log };
        wait_for("the first cycle", || w.log().contains("watching"));
        w
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends Ctrl-C and returns the exit code.
    fn interrupt(mut self) -> i32 {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().unwrap();
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s.code().unwrap_or(-1);
            }
            assert!(start.elapsed() < Duration::from_secs(10), "watch did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the log has been quiet for a while: every event handled.
    fn settle(&self) {
        let mut last = self.log();
        let mut quiet_since = Instant::now();
        let start = Instant::now();
        while quiet_since.elapsed() < Duration::from_millis(800) {
            assert!(start.elapsed() < Duration::from_secs(60), "watch never settled:\n{last}");
            std::thread::sleep(Duration::from_millis(50));
            let now = self.log();
            if now != last {
                last = now;
                quiet_since = Instant::now();
            }
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for(what: &str, cond: impl Fn() -> bool) {
    wait_within(what, Duration::from_secs(15), cond);
}

fn wait_within(what: &str, limit: Duration, cond: impl Fn() -> bool) {
    assert!(wait_until(limit, cond), "timed out after {limit:?} waiting for {what}");
}

fn dashboard(v: &Path) -> String {
    std::fs::read_to_string(v.join("CRM/Dashboard.md")).unwrap_or_default()
}

/// The dashboard row of a client, by name.
fn row(v: &Path, name: &str) -> Option<String> {
    dashboard(v).lines().find(|l| l.contains(&format!("\\|{name}]]"))).map(str::to_owned)
}

#[test]
fn every_kind_of_edit_shows_up() {
    let (t, v) = vault("clients-small");
    let w = Watch::start(&v, t.path());
    wait_for("generated notes", || row(&v, "Żagiel 0").is_some());

    // Write in place.
    let z = v.join("Clients/Żagiel 0.md");
    let mut text = std::fs::read_to_string(&z).unwrap();
    text.push_str("\n- 2026-11-22 call — in place\n");
    std::fs::write(&z, &text).unwrap();
    wait_for("an in-place save", || row(&v, "Żagiel 0").is_some_and(|r| r.contains("2026-11-22")));

    // Write to a temporary file, then rename over the note (many editors).
    let o = v.join("Clients/Ольга García 8.md");
    let mut text = std::fs::read_to_string(&o).unwrap();
    text.push_str("\n- 2026-11-21 meeting — temp and rename\n");
    let tmp = v.join("Clients/.Ольга García 8.md.tmp");
    std::fs::write(&tmp, &text).unwrap();
    std::fs::rename(&tmp, &o).unwrap();
    wait_for("a rename-over save", || row(&v, "Ольга García 8").is_some_and(|r| r.contains("2026-11-21")));

    // Vim's probe, swap and backup files are not notes and change nothing.
    write(&v, "Clients/4913", "");
    write(&v, "Clients/.Żagiel 0.md.swp", "swap");
    write(&v, "Clients/Żagiel 0.md~", "backup");

    // A new note, renamed, then deleted.
    write(&v, "Clients/New Client.md", "---\ntype: client\n---\n- 2026-11-20 call\n");
    wait_for("a new note", || row(&v, "New Client").is_some());
    std::fs::rename(v.join("Clients/New Client.md"), v.join("Clients/Renamed Client.md")).unwrap();
    wait_for("a renamed note", || row(&v, "Renamed Client").is_some() && row(&v, "New Client").is_none());
    std::fs::remove_file(v.join("Clients/Renamed Client.md")).unwrap();
    wait_for("a deleted note", || row(&v, "Renamed Client").is_none());

    // A folder moved out of the vault, then back in.
    let outside = t.path().join("moved-out");
    std::fs::rename(v.join("Клиенты"), &outside).unwrap();
    wait_for("a folder moved out", || row(&v, "Acme & Sons 5").is_none() && row(&v, "Żagiel 0").is_some());
    std::fs::rename(&outside, v.join("Клиенты")).unwrap();
    wait_for("a folder moved in", || row(&v, "Acme & Sons 5").is_some());

    // The config reloads; a bad one is reported and the last good one kept.
    write(&v, "rapport.toml", "lang = \"ru\"\n");
    wait_for("the config reload", || read(&v, "CRM/Reminders.md").contains("# Напоминания"));
    write(&v, "rapport.toml", "lang = \"fr\"\n");
    wait_for("the bad config report", || w.log().contains("keeping the last good config"));
    write(&v, "Clients/Another.md", "---\ntype: client\n---\n");
    wait_for("a change after a bad config", || row(&v, "Another").is_some());
    assert!(read(&v, "CRM/Reminders.md").contains("# Напоминания"), "still the last good config");

    w.settle();
    let log = w.log();
    assert_eq!(w.interrupt(), 0, "Ctrl-C is a clean stop");
    let temps: Vec<_> = std::fs::read_dir(v.join("CRM"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(temps.is_empty(), "no temporary files left");
    // One line per cycle, and never a cycle caused by our own writes or editor junk.
    let triggers: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split_once(" changed (").and_then(|(_, r)| r.split_once(')')).map(|(t, _)| t))
        .collect();
    // Nine edits; a rename may land in two windows on a busy machine.
    assert!((9..=11).contains(&triggers.len()), "one cycle per edit:\n{log}");
    for t in triggers {
        assert!(!t.contains("CRM/"), "own writes never trigger a cycle:\n{log}");
        assert!(!t.contains("4913") && !t.contains(".swp") && !t.contains("md~"), "editor junk is no change:\n{log}");
    }
    assert!(log.lines().filter(|l| l.contains(" changed (")).all(|l| l.contains(" ms")), "{log}");
}

/// A save its editor has finished (the file closed, or renamed into place) is read at
/// once, without waiting out the debounce; a file still open for writing waits for it.
#[test]
fn finished_saves_skip_the_debounce() {
    use std::io::Write;
    let (t, v) = vault("clients-small");
    // Long enough that a wait for it cannot pass for "at once" on a slow machine.
    let debounce = Duration::from_secs(8);
    let w = Watch::start_with(&v, t.path(), debounce.as_millis() as u32);
    let z = v.join("Clients/Żagiel 0.md");
    let text = std::fs::read_to_string(&z).unwrap();

    // Written and closed.
    std::fs::write(&z, format!("{text}\n- 2026-11-22 call — closed\n")).unwrap();
    wait_within("a closed save", debounce / 2, || row(&v, "Żagiel 0").is_some_and(|r| r.contains("2026-11-22")));

    // Written to a temporary file and renamed over the note.
    let tmp = v.join("Clients/.Żagiel 0.md.tmp");
    std::fs::write(&tmp, format!("{text}\n- 2026-11-21 call — renamed\n")).unwrap();
    std::fs::rename(&tmp, &z).unwrap();
    wait_within("a rename-over save", debounce / 2, || row(&v, "Żagiel 0").is_some_and(|r| r.contains("2026-11-21")));

    // Still open for writing: not read before the debounce, read at once when closed.
    let mut file = std::fs::OpenOptions::new().append(true).open(&z).unwrap();
    file.write_all(b"\n- 2026-11-23 call").unwrap();
    file.flush().unwrap();
    std::thread::sleep(debounce / 4);
    assert!(row(&v, "Żagiel 0").is_some_and(|r| !r.contains("2026-11-23")), "read while still open:\n{}", w.log());
    file.write_all(" — kept open\n".as_bytes()).unwrap();
    drop(file);
    wait_within("a save closed late", debounce / 2, || row(&v, "Żagiel 0").is_some_and(|r| r.contains("2026-11-23")));
}

#[test]
fn rapid_saves_end_where_a_fresh_report_would() {
    let (t, v) = vault("demo");
    let w = Watch::start(&v, t.path());
    let notes: Vec<PathBuf> = ["Clients", "People"]
        .iter()
        .flat_map(|d| std::fs::read_dir(v.join(d)).unwrap().flatten().map(|e| e.path()))
        .collect();
    for i in 0..200 {
        let p = &notes[i % notes.len()];
        let mut text = std::fs::read_to_string(p).unwrap();
        text.push_str(&format!("\n- 2026-{:02}-{:02} call — save {i}\n", 1 + i % 11, 1 + i % 28));
        std::fs::write(p, text).unwrap();
    }
    w.settle();
    assert_eq!(w.interrupt(), 0);
    let out = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(changes(&out), Vec::<String>::new(), "watch output equals a fresh report: {}", stdout(&out));
}

#[test]
fn midnight_rolls_the_day_over() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let (_t, v) = vault("clients-small");
    let day = Arc::new(Mutex::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()));
    let stop = Arc::new(AtomicBool::new(false));
    let opts = {
        let day = Arc::clone(&day);
        rapport::WatchOptions {
            debounce: Duration::from_millis(20),
            today: Box::new(move || *day.lock().unwrap()),
            stop: Arc::clone(&stop),
            log: Box::new(std::io::sink()),
        }
    };
    let dir = v.clone();
    let handle = std::thread::spawn(move || rapport::watch(&dir, opts));
    wait_for("the first day", || read_opt(&v).contains("as_of: 2026-11-23"));
    *day.lock().unwrap() = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    wait_for("the next day", || read_opt(&v).contains("as_of: 2026-11-24"));
    stop.store(true, Ordering::SeqCst);
    handle.join().unwrap().unwrap();
}

fn read_opt(v: &Path) -> String {
    std::fs::read_to_string(v.join("CRM/Reminders.md")).unwrap_or_default()
}

#[test]
fn vanished_vault_is_reported() {
    let (t, v) = vault("clients-small");
    let mut w = Watch::start(&v, t.path());
    // Watch may write what the first deletions changed while the rest is being deleted:
    // delete until the folder is gone.
    wait_for("the vault removed", || std::fs::remove_dir_all(&v).is_ok() || !v.exists());
    let start = Instant::now();
    let code = loop {
        if let Some(s) = w.child.try_wait().unwrap() {
            break s.code();
        }
        assert!(start.elapsed() < Duration::from_secs(10), "watch kept running without its vault");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(2));
    assert!(w.log().contains("is gone"), "{}", w.log());
}

/// The cycles in a watch log, by the paths that triggered them.
fn cycles(log: &str) -> Vec<&str> {
    log.lines()
        .filter_map(|l| l.split_once(" changed (").and_then(|(_, r)| r.split_once(')')).map(|(t, _)| t))
        .collect()
}

/// #1: an output folder spelled with `//` or `./` is still the output folder: watch does
/// not read its own notes back as a person's and rewrite them without end.
#[test]
fn oddly_spelled_output_dir_does_not_loop() {
    let (t, v) = vault("clients-small");
    write(&v, "rapport.toml", "output_dir = \"Reports//./CRM\"\n");
    let w = Watch::start(&v, t.path());
    let z = v.join("Clients/Żagiel 0.md");
    let text = std::fs::read_to_string(&z).unwrap();
    std::fs::write(&z, format!("{text}\n- 2026-11-22 call — once\n")).unwrap();
    wait_for("the save", || read(&v, "Reports/CRM/Dashboard.md").contains("2026-11-22"));
    w.settle();
    let log = w.log();
    assert_eq!(cycles(&log), ["Clients/Żagiel 0.md"], "one save, one cycle:\n{log}");
    let mut names: Vec<String> = std::fs::read_dir(v.join("Reports/CRM"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Clients", "Clients.base", "Dashboard.md", "Relationships.canvas", "Reminders.md"]);
}

/// #6: `report` run while watch is writing succeeds, and watch's write too: neither
/// removes the other's temporary file. Watch removes the ones a killed run left.
#[test]
fn report_beside_watch_both_succeed() {
    let (t, v) = vault("clients-small");
    // The two notes only: each write pauses for seconds here.
    write(&v, "rapport.toml", "[outputs]\ncards = false\ncanvas = false\n");
    let crm = v.join("CRM");
    std::fs::create_dir_all(&crm).unwrap();
    let stale = format!(".rapport-{}-AbC123.tmp", dead_pid());
    write(&v, &format!("CRM/{stale}"), "half a note");
    let w = Watch::start_env(&v, t.path(), 20, &[("RAPPORT_FAULT", "before-rename:sleep=3000")]);
    assert!(!crm.join(&stale).exists(), "watch removes a dead run's temporary file");
    let z = v.join("Clients/Żagiel 0.md");
    let text = std::fs::read_to_string(&z).unwrap();
    std::fs::write(&z, format!("{text}\n- 2026-11-22 call — beside report\n")).unwrap();
    wait_for("watch at its pause", || !temp_files(&crm).is_empty());
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(code(&o), 0, "report beside watch: {}", stderr(&o));
    assert!(!temp_files(&crm).is_empty(), "watch's write ended before report ran");
    wait_for("watch's cycle", || w.log().contains(" changed ("));
    w.settle();
    let log = w.log();
    assert!(!log.contains("error"), "watch's write failed:\n{log}");
    assert!(row(&v, "Żagiel 0").is_some_and(|r| r.contains("2026-11-22")), "{log}");
    assert_eq!(temp_files(&crm), Vec::<String>::new(), "{log}");
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(changes(&o), Vec::<String>::new(), "{}", stdout(&o));
}

/// #2: watch reads exactly what the scan reads: nothing through a symlinked folder,
/// whether the link was there before watch started or made while it runs.
#[test]
fn nothing_is_read_through_a_symlinked_folder() {
    let (t, v) = vault("clients-small");
    let outside = t.path().join("outside");
    let later = t.path().join("later");
    for dir in [&outside, &later] {
        std::fs::create_dir(dir).unwrap();
        std::fs::write(dir.join("Keep.md"), "---\ntype: client\n---\n").unwrap();
    }
    std::os::unix::fs::symlink(&outside, v.join("Outdir")).unwrap();
    let w = Watch::start(&v, t.path());
    std::os::unix::fs::symlink(&later, v.join("Later")).unwrap();
    // Edits outside the vault, through both links' targets.
    std::fs::write(outside.join("Outsider.md"), "---\ntype: client\n---\n- 2026-11-20 call\n").unwrap();
    std::fs::write(later.join("Latecomer.md"), "---\ntype: client\n---\n- 2026-11-20 call\n").unwrap();
    let mut text = std::fs::read_to_string(outside.join("Keep.md")).unwrap();
    text.push_str("- 2026-11-21 call\n");
    std::fs::write(outside.join("Keep.md"), &text).unwrap();
    // Then a save inside: once it shows, every earlier event has been handled.
    write(&v, "Clients/Sentinel.md", "---\ntype: client\n---\n");
    wait_for("a save inside the vault", || row(&v, "Sentinel").is_some());
    w.settle();
    let log = w.log();
    for name in ["Outsider", "Latecomer", "Keep"] {
        assert!(row(&v, name).is_none(), "{name} read from outside the vault:\n{log}");
    }
    assert!(!log.contains("Outdir") && !log.contains("Later/"), "{log}");
    // And a fresh report agrees.
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(changes(&o), Vec::<String>::new(), "{}", stdout(&o));
}

/// Stops or resumes a process.
fn signal(w: &Watch, sig: &str) {
    let ok = Command::new("kill").arg(format!("-{sig}")).arg(w.child.id().to_string()).status().unwrap();
    assert!(ok.success());
}

/// #4: when the kernel's event queue overflows (watch stopped while thousands of files
/// change), watch reads the whole vault again and says so, instead of staying stale.
#[test]
fn an_event_queue_overflow_reads_the_vault_again() {
    let Some(max) = std::fs::read_to_string("/proc/sys/fs/inotify/max_queued_events")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .filter(|&m| m <= 100_000)
    else {
        eprintln!("an_event_queue_overflow: no inotify queue limit low enough to overflow here; skipped");
        return;
    };
    let (t, v) = vault("clients-small");
    std::fs::create_dir(v.join("Bulk")).unwrap();
    let w = Watch::start(&v, t.path());
    signal(&w, "STOP");
    // Each new file queues several events (create, open, modify, close): more than the
    // queue holds. The client note comes last, its events certainly lost.
    for i in 0..max / 2 + 100 {
        std::fs::write(v.join(format!("Bulk/n{i}.md")), "x\n").unwrap();
    }
    write(&v, "Bulk/Overflow Client.md", "---\ntype: client\n---\n- 2026-11-20 call\n");
    signal(&w, "CONT");
    wait_within("the rescan", Duration::from_secs(120), || row(&v, "Overflow Client").is_some());
    // Said on stderr (the events before the overflow may have made a cycle of their own).
    wait_within("the overflow message", Duration::from_secs(120), || w.log().contains("event queue overflowed"));
    // A later save is still read.
    write(&v, "Clients/After.md", "---\ntype: client\n---\n");
    wait_for("a save after the overflow", || row(&v, "After").is_some());
}

/// #7: generated notes removed while watch runs are written again at once.
#[test]
fn removed_generated_notes_are_written_again() {
    let (t, v) = vault("clients-small");
    let w = Watch::start(&v, t.path());
    let reminders = read(&v, "CRM/Reminders.md");
    std::fs::remove_file(v.join("CRM/Dashboard.md")).unwrap();
    wait_for("the dashboard again", || v.join("CRM/Dashboard.md").exists());
    // Every other output too: one card, the base, the canvas.
    let card = std::fs::read_dir(v.join("CRM/Clients")).unwrap().next().expect("a card").unwrap().path();
    let card_text = std::fs::read(&card).unwrap();
    for gone in [card.clone(), v.join("CRM/Clients.base"), v.join("CRM/Relationships.canvas")] {
        std::fs::remove_file(&gone).unwrap();
        wait_for(&format!("{} again", gone.display()), || gone.exists());
    }
    assert_eq!(std::fs::read(&card).unwrap(), card_text, "the card came back as it was");
    // Watch may start putting files back while the folder is being removed (its removal
    // then fails with "directory not empty"): delete it again, as a person would.
    let crm = v.join("CRM");
    let deleted = wait_until(Duration::from_secs(15), || match std::fs::remove_dir_all(&crm) {
        Ok(()) => true,
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    });
    assert!(deleted, "the output folder could not be deleted");
    wait_for("both notes again", || v.join("CRM/Dashboard.md").exists() && v.join("CRM/Reminders.md").exists());
    w.settle();
    assert_eq!(read(&v, "CRM/Reminders.md"), reminders);
    let log = w.log();
    assert!(cycles(&log).is_empty(), "a removal is no change to the notes:\n{log}");
    assert!(log.contains("generated notes removed"), "{log}");
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(changes(&o), Vec::<String>::new(), "{}", stdout(&o));
}

/// A batch touching a large share of the vault is read as `report` reads it: one scan
/// and one build, not thousands of single refreshes; the result is a fresh report's.
#[test]
fn a_mass_edit_is_read_as_a_whole() {
    let (t, v) = vault("clients-small");
    for i in 0..1200 {
        write(&v, &format!("Bulk/n{i}.md"), "x\n");
    }
    // A long debounce: the batch is read once the stream of events has ended.
    let w = Watch::start_with(&v, t.path(), 1000);
    signal(&w, "STOP");
    for i in 0..1200 {
        std::fs::write(v.join(format!("Bulk/n{i}.md")), format!("[[Żagiel 0]] {i}\n")).unwrap();
    }
    write(&v, "Bulk/Mass Client.md", "---\ntype: client\n---\n- 2026-11-20 call\n");
    signal(&w, "CONT");
    wait_within("the mass edit", Duration::from_secs(120), || row(&v, "Mass Client").is_some());
    w.settle();
    assert!(w.log().contains("paths changed at once: read all"), "{}", w.log());
    assert_eq!(w.interrupt(), 0);
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(changes(&o), Vec::<String>::new(), "{}", stdout(&o));
}

/// #3 in watch: a person's save to the dashboard while watch is writing it (paused
/// before the rename) survives, and watch reports the note as edited.
#[test]
fn an_edit_during_a_watch_write_survives() {
    let (t, v) = vault("clients-small");
    // The two notes only: each write pauses for seconds here.
    write(&v, "rapport.toml", "[outputs]\ncards = false\ncanvas = false\n");
    let crm = v.join("CRM");
    let w = Watch::start_env(&v, t.path(), 20, &[("RAPPORT_FAULT", "before-rename:sleep=3000")]);
    let z = v.join("Clients/Żagiel 0.md");
    let text = std::fs::read_to_string(&z).unwrap();
    std::fs::write(&z, format!("{text}\n- 2026-11-22 call — during a write\n")).unwrap();
    wait_for("watch at its pause", || !temp_files(&crm).is_empty());
    let mut mine = dashboard(&v);
    mine.push_str("\nMy own line, saved mid-write.\n");
    std::fs::write(crm.join("Dashboard.md"), &mine).unwrap();
    assert!(!temp_files(&crm).is_empty(), "the write ended before the edit");
    wait_for("the refusal", || w.log().contains("generated-edited"));
    w.settle();
    assert_eq!(dashboard(&v), mine, "the edit was overwritten:\n{}", w.log());
    assert_eq!(temp_files(&crm), Vec::<String>::new());
}

/// Sets a frontmatter property of a note (adds it when missing).
fn set_property(v: &Path, rel: &str, key: &str, value: &str) {
    let text = read(v, rel);
    let (fm, body) = text.strip_prefix("---\n").and_then(|t| t.split_once("\n---")).expect("frontmatter");
    let line = format!("{key}: {value}");
    let prefix = format!("{key}:");
    let mut lines: Vec<String> = fm.lines().filter(|l| !l.starts_with(&prefix)).map(str::to_owned).collect();
    lines.push(line);
    write(v, rel, &format!("---\n{}\n---{body}", lines.join("\n")));
}

/// Notes of a folder of the vault, relative paths, sorted.
fn notes_in(v: &Path, folder: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(v.join(folder))
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    out.retain(|n| n.ends_with(".md"));
    out.sort();
    out.into_iter().map(|n| format!("{folder}/{n}")).collect()
}

/// Random edits of what cards, the canvas and the two notes are drawn from, saved one
/// after another while watch runs (some at once, some after its cycle), leave every
/// generated file as a one-shot `report` writes it: watch's account of which outputs a
/// save can change misses nothing. The edits come from a fixed seed, so a failure
/// repeats; the failure message lists them.
#[test]
fn random_edits_leave_what_report_would_write() {
    use proptest::prelude::RngCore;
    let (t, v) = vault("demo");
    let w = Watch::start(&v, t.path());
    let mut rng = proptest::test_runner::TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha);
    let mut pick = |n: usize| (rng.next_u32() as usize) % n.max(1);
    let mut done = Vec::new();
    for i in 0..40 {
        let clients = notes_in(&v, "Clients");
        let people = notes_in(&v, "People");
        let client = clients[pick(clients.len())].clone();
        let person = people[pick(people.len())].clone();
        let name = |rel: &str| rel.rsplit('/').next().unwrap().trim_end_matches(".md").to_owned();
        let day = 1 + pick(22);
        let what = match pick(10) {
            0 => {
                let text = read(&v, &person);
                write(&v, &person, &format!("{text}\n- 2026-11-{day:02} call — probe {i}\n"));
                format!("log line in {person}")
            }
            1 => {
                set_property(&v, &person, "role", ["CEO", "CTO", "buyer"][pick(3)]);
                format!("role of {person}")
            }
            2 => {
                set_property(&v, &person, "birthday", &format!("1980-{:02}-{day:02}", 1 + pick(12)));
                format!("birthday of {person}")
            }
            3 => {
                set_property(&v, &person, "company", &format!("\"[[{}]]\"", name(&client)));
                format!("{person} moves to {client}")
            }
            4 => {
                let text = read(&v, &person);
                write(&v, &person, &format!("{text}\n- [ ] follow up [[{}]] 📅 2026-11-{day:02}\n", name(&client)));
                format!("next step for {client} in {person}")
            }
            5 => {
                let rel = format!("Interactions/probe {i}.md");
                let c = name(&client);
                write(&v, &rel, &format!("---\ntype: interaction\ndate: 2026-11-{day:02}\nclient: \"[[{c}]]\"\n---\n"));
                format!("interaction with {client}")
            }
            6 => {
                set_property(&v, &client, "tier", ["key", "supporting"][pick(2)]);
                format!("tier of {client}")
            }
            7 => {
                set_property(&v, &client, "status", ["active", "paused", "former", "prospect"][pick(4)]);
                format!("status of {client}")
            }
            8 => {
                set_property(&v, &client, "last_contact", &format!("2026-{:02}-{day:02}", 6 + pick(6)));
                format!("last contact of {client}")
            }
            _ => {
                let to = format!("People/{} {i}.md", name(&person));
                std::fs::rename(v.join(&person), v.join(&to)).unwrap();
                format!("{person} renamed")
            }
        };
        done.push(what);
        // Some saves land inside the previous cycle, some after it.
        if pick(3) == 0 {
            std::thread::sleep(Duration::from_millis(150));
        }
    }
    w.settle();
    assert_eq!(w.interrupt(), 0);
    let o = rapport(&v, &["report", "--dry-run", "--today", "2026-11-23"]);
    let out = stdout(&o);
    let stale: Vec<&str> =
        out.lines().map(str::trim).filter(|l| l.starts_with("would") || l.starts_with("refused")).collect();
    assert!(stale.is_empty(), "watch left outputs a report would change: {stale:?}\nafter the edits: {done:#?}");
}
