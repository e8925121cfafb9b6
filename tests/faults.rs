//! Integration tests: faults while writing the generated notes.
//!
//! A report that cannot finish must leave the previous generated notes byte-identical
//! and no temporary files behind (exit 2), and a run killed between writing the
//! temporary file and renaming it must leave the old note intact, with the next run
//! cleaning up. Faults are injected from outside: a read-only output folder, a full
//! file system (a 256 KiB tmpfs), and `RAPPORT_FAULT=before-rename:abort` (a debug-build hook, see `src/hooks.rs`).
//!
//! The tests run as root in CI, where some faults cannot be made the ordinary way
//! (mode 0555 does not stop root). Each test detects that and either uses a stronger
//! tool (`chattr +i`, `mount`) or skips the assertion it cannot make, saying so on stderr.

use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::*;

/// Runs `rapport --vault <vault> <args…>` with extra environment variables.
fn rapport_env(vault: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
    cmd.arg("--vault").arg(vault).args(args).env_remove("RAPPORT_VAULT").env("NO_COLOR", "1");
    cmd.env_remove("RAPPORT_FAULT");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run rapport")
}

/// A run that ended by itself, without a panic.
fn assert_no_panic(o: &Output) {
    assert!(o.status.code().is_some(), "killed by signal {:?}\nstderr:\n{}", o.status.signal(), stderr(o));
    assert!(!stderr(o).contains("panicked"), "panicked:\n{}", stderr(o));
}

/// A small vault: two clients, a person and an interaction.
fn small_vault(v: &Path) {
    write(
        v,
        "Clients/Acme.md",
        "---\ntype: client\ntier: key\nsince: 2024-01-10\n---\n# Acme\n\n- 2026-11-02 call — renewal with [[Anna]]\n- [ ] send proposal 📅 2026-11-25\n",
    );
    write(
        v,
        "Clients/Globex.md",
        "---\ntype: client\ntier: supporting\n---\n# Globex\n\n- 2026-08-01 meeting — kickoff\n",
    );
    write(v, "People/Anna.md", "---\ntype: person\ncompany: \"[[Acme]]\"\nbirthday: 1990-12-01\n---\n# Anna\n");
    write(
        v,
        "Interactions/2026-11-15 Globex call.md",
        "---\ntype: interaction\ndate: 2026-11-15\nclient: \"[[Globex]]\"\nformat: call\n---\nNotes.\n",
    );
}

/// Writes the generated notes for 2026-11-20 and returns their bytes.
fn first_report(v: &Path) -> (Vec<u8>, Vec<u8>) {
    let o = rapport(v, &["report", "--today", "2026-11-20"]);
    assert_eq!(code(&o), 0, "first report failed:\n{}", stderr(&o));
    let r = fs::read(v.join("CRM/Reminders.md")).expect("Reminders.md");
    let d = fs::read(v.join("CRM/Dashboard.md")).expect("Dashboard.md");
    assert!(String::from_utf8_lossy(&r).contains("as_of: 2026-11-20"));
    (r, d)
}

/// Restores a path's mode when dropped (so the temporary folder can be removed).
struct ModeGuard(PathBuf, u32);
impl Drop for ModeGuard {
    fn drop(&mut self) {
        let _ = fs::set_permissions(&self.0, fs::Permissions::from_mode(self.1));
    }
}

/// Clears the immutable attribute when dropped.
struct ImmutableGuard(PathBuf);
impl Drop for ImmutableGuard {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// Unmounts when dropped (lazily if the file system is still busy).
struct MountGuard(PathBuf);
impl Drop for MountGuard {
    fn drop(&mut self) {
        let ok = Command::new("umount").arg(&self.0).status().is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

/// True when a file can be created in `dir` (mode bits do not stop root).
fn can_create_in(dir: &Path) -> bool {
    let probe = dir.join(".faults-probe");
    let ok = fs::write(&probe, "x").is_ok();
    let _ = fs::remove_file(&probe);
    ok
}

// (a) ---------------------------------------------------------------------------------

#[test]
fn read_only_output_folder_keeps_the_old_notes() {
    let (_tmp, v) = vault("demo");
    fs::remove_dir_all(v.join("CRM")).expect("start without generated notes");
    let (old_r, old_d) = first_report(&v);
    let crm = v.join("CRM");
    let _mode = ModeGuard(crm.clone(), 0o755);
    fs::set_permissions(&crm, fs::Permissions::from_mode(0o555)).expect("chmod 555");
    let mut _immutable = None;
    if can_create_in(&crm) {
        // Root: mode 0555 does not stop writes. The immutable attribute does (no entry
        // can be created, renamed or removed in the folder, even by root); without
        // `chattr` (or on a file system without attributes, like tmpfs) the assertion
        // cannot be made here.
        let made = Command::new("chattr").arg("+i").arg(&crm).status().is_ok_and(|s| s.success());
        if made {
            _immutable = Some(ImmutableGuard(crm.clone()));
        }
        if !made || can_create_in(&crm) {
            eprintln!(
                "read_only_output_folder: writes to a 0555 folder are not blocked here (root, no chattr +i); skipped"
            );
            let o = rapport(&v, &["report", "--today", "2026-11-23"]);
            assert_no_panic(&o);
            return;
        }
    }
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_no_panic(&o);
    assert_eq!(
        code(&o),
        2,
        "a folder that cannot be written is an I/O error\nstdout:\n{}\nstderr:\n{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(stderr(&o).contains("CRM"), "the error names the folder or file:\n{}", stderr(&o));
    assert_eq!(fs::read(crm.join("Reminders.md")).unwrap(), old_r, "old Reminders.md changed");
    assert_eq!(fs::read(crm.join("Dashboard.md")).unwrap(), old_d, "old Dashboard.md changed");
    assert_eq!(temp_files(&crm), Vec::<String>::new(), "temporary files left behind");
    // `check` only reads: it still works, and calls the notes stale.
    let o = rapport(&v, &["check", "--today", "2026-11-23"]);
    assert_no_panic(&o);
    assert!(stdout(&o).contains("report-stale"), "{}", stdout(&o));
}

// (b) ---------------------------------------------------------------------------------

#[test]
fn disk_full_keeps_the_old_notes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mnt = tmp.path().join("small-disk");
    fs::create_dir(&mnt).expect("mkdir");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(&mnt)
        .output()
        .map(|o| (o.status.success(), String::from_utf8_lossy(&o.stderr).into_owned()));
    let mounted = match mounted {
        Ok((true, _)) => MountGuard(mnt.clone()),
        Ok((false, err)) => {
            eprintln!("disk_full: cannot mount a tmpfs here ({}); skipped", err.trim());
            return;
        }
        Err(e) => {
            eprintln!("disk_full: no `mount` here ({e}); skipped");
            return;
        }
    };
    let v = mnt.join("vault");
    small_vault(&v);
    let (old_r, old_d) = first_report(&v);
    let crm = v.join("CRM");

    // Fill the file system: big writes, then single bytes until ENOSPC.
    let filler = mnt.join("filler");
    {
        use std::io::Write as _;
        let mut f = fs::File::create(&filler).expect("create filler");
        let chunk = vec![b'x'; 4096];
        while f.write_all(&chunk).is_ok() {}
        while f.write_all(b"x").and_then(|()| f.flush()).is_ok() {}
        let _ = f.sync_all();
    }
    assert!(fs::write(mnt.join("probe"), vec![b'y'; 8192]).is_err(), "the file system is not full");
    let _ = fs::remove_file(mnt.join("probe"));

    let o = rapport(&v, &["check", "--today", "2026-11-23"]);
    assert_no_panic(&o);
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 2, "a full disk is an I/O error\nstdout:\n{}\nstderr:\n{}", stdout(&o), stderr(&o));
    assert_eq!(fs::read(crm.join("Reminders.md")).unwrap(), old_r, "old Reminders.md changed");
    assert_eq!(fs::read(crm.join("Dashboard.md")).unwrap(), old_d, "old Dashboard.md changed");
    assert_eq!(temp_files(&crm), Vec::<String>::new(), "temporary files left behind");

    // With space again, the next run succeeds.
    fs::remove_file(&filler).expect("free space");
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(read(&v, "CRM/Reminders.md").contains("as_of: 2026-11-23"));
    drop(mounted);
}

// (c) ---------------------------------------------------------------------------------

const CRASH: (&str, &str) = ("RAPPORT_FAULT", "before-rename:abort");

#[test]
fn killed_between_temp_write_and_rename() {
    let (_tmp, v) = vault("demo");
    fs::remove_dir_all(v.join("CRM")).expect("start without generated notes");
    let (old_r, _) = first_report(&v);
    let crm = v.join("CRM");

    let o = rapport_env(&v, &["report", "--today", "2026-11-23"], &[CRASH]);
    assert!(!o.status.success(), "the crash hook did not fire");
    assert_eq!(o.status.signal(), Some(6), "expected SIGABRT, got {:?}\n{}", o.status, stderr(&o));
    assert_eq!(fs::read(crm.join("Reminders.md")).unwrap(), old_r, "old note changed by a killed run");
    // The two notes are written side by side: the kill leaves one temporary file per
    // note being written, and the one that reached the rename holds the complete note.
    let left = temp_files(&crm);
    assert!((1..=2).contains(&left.len()), "a temporary file per note at most: {left:?}");
    let complete = |name: &String| {
        let text = fs::read_to_string(crm.join(name)).expect("read temp");
        // Complete: its body matches the hash in its frontmatter.
        text.contains("as_of: 2026-11-23") && rapport::classify(Some(&text)) == rapport::Existing::Generated
    };
    assert!(left.iter().any(complete), "no complete temporary note among {left:?}");

    // A leftover temporary file is hidden: `check` does not read it as a note.
    let o = rapport(&v, &["check", "--today", "2026-11-23"]);
    assert_no_panic(&o);
    assert!(!stdout(&o).contains(".rapport-") && !stderr(&o).contains(".rapport-"), "{}", stdout(&o));

    // The next normal run cleans up and completes.
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(temp_files(&crm), Vec::<String>::new(), "temporary file not cleaned up");
    let new = read(&v, "CRM/Reminders.md");
    assert!(new.contains("as_of: 2026-11-23"), "{new}");
    assert!(read(&v, "CRM/Dashboard.md").contains("as_of: 2026-11-23"));
    // And the result is the same as an uninterrupted run's.
    let o = rapport(&v, &["check", "--today", "2026-11-23"]);
    assert!(!stdout(&o).contains("report-stale"), "{}", stdout(&o));
}

#[test]
fn killed_during_the_very_first_write_leaves_no_note() {
    let (_tmp, v) = empty_vault();
    small_vault(&v);
    let o = rapport_env(&v, &["report", "--today", "2026-11-23"], &[CRASH]);
    assert_eq!(o.status.signal(), Some(6), "expected SIGABRT, got {:?}\n{}", o.status, stderr(&o));
    let crm = v.join("CRM");
    // No half-written note under the real name: only the temporary file.
    assert!(!crm.join("Reminders.md").exists() && !crm.join("Dashboard.md").exists());
    assert!((1..=2).contains(&temp_files(&crm).len()), "{:?}", temp_files(&crm));
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(temp_files(&crm), Vec::<String>::new());
    assert!(read(&v, "CRM/Reminders.md").contains("as_of: 2026-11-23"));
    assert!(read(&v, "CRM/Dashboard.md").contains("as_of: 2026-11-23"));
}

#[test]
fn dry_run_leaves_temporaries_and_notes_alone() {
    // `--dry-run` writes nothing, so it must not clean up either.
    let (_tmp, v) = empty_vault();
    small_vault(&v);
    let (old_r, _) = first_report(&v);
    let o = rapport_env(&v, &["report", "--today", "2026-11-23"], &[CRASH]);
    assert_eq!(o.status.signal(), Some(6));
    let crm = v.join("CRM");
    let left = temp_files(&crm);
    let o = rapport(&v, &["report", "--today", "2026-11-23", "--dry-run"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(temp_files(&crm), left);
    assert_eq!(fs::read(crm.join("Reminders.md")).unwrap(), old_r);
}

// #1 ------------------------------------------------------------------------------------

/// Files in a folder, sorted (hidden ones included).
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).expect("read dir").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// However `output_dir` is spelled, the generated notes are one pair in one folder and
/// are never read back as a person's notes (which made each run add another pair).
#[test]
fn output_dir_spelled_oddly_is_still_the_output_folder() {
    for dir in ["CRM//Sub", "CRM/./Sub", "./CRM/Sub/"] {
        let (_t, v) = empty_vault();
        small_vault(&v);
        write(&v, "rapport.toml", &format!("output_dir = \"{dir}\"\n"));
        for _ in 0..3 {
            let o = rapport(&v, &["report", "--today", "2026-11-20"]);
            assert_eq!(code(&o), 0, "{dir}: {}", stderr(&o));
        }
        let o = rapport(&v, &["report", "--today", "2026-11-20"]);
        assert_eq!(changes(&o), Vec::<String>::new(), "{dir}: {}", stdout(&o));
        assert_eq!(stdout(&o).matches("unchanged CRM/Sub/").count(), 6, "{dir}: {}", stdout(&o));
        let outputs = ["Clients", "Clients.base", "Dashboard.md", "Relationships.canvas", "Reminders.md"];
        assert_eq!(listing(&v.join("CRM/Sub")), outputs, "{dir}");
        let o = rapport(&v, &["check", "--today", "2026-11-20"]);
        assert!(stderr(&o).contains(": 4 notes checked"), "{dir}: generated notes read as notes: {}", stderr(&o));
        assert!(!stdout(&o).contains("report-stale"), "{dir}: {}", stdout(&o));
    }
}

/// An output folder that is a symlink to another folder of the vault is refused, and the
/// message says so (it used to call the note "outside the vault").
#[test]
fn output_dir_symlinked_inside_the_vault_says_what_it_is() {
    let (_t, v) = empty_vault();
    small_vault(&v);
    fs::create_dir(v.join("Real")).expect("mkdir");
    std::os::unix::fs::symlink("Real", v.join("Out")).expect("symlink");
    write(&v, "rapport.toml", "output_dir = \"Out\"\n");
    let o = rapport(&v, &["report", "--today", "2026-11-20"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("`Out` is a symlink to `Real`"), "{err}");
    assert!(!err.contains("outside the vault"), "{err}");
    assert_eq!(listing(&v.join("Real")), Vec::<String>::new(), "nothing written");
}

// #3 ------------------------------------------------------------------------------------

/// Starts `report` with extra environment variables, its output captured.
fn spawn_report(v: &Path, today: &str, env: &[(&str, &str)]) -> std::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
    cmd.arg("--vault").arg(v).args(["report", "--today", today]).env_remove("RAPPORT_VAULT").env("NO_COLOR", "1");
    cmd.env_remove("RAPPORT_FAULT");
    for (k, val) in env {
        cmd.env(k, val);
    }
    cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("start report")
}

/// Waits until `n` temporary files are in `dir` (the run is at its fault point).
fn wait_for_temporaries(dir: &Path, n: usize, child: &mut std::process::Child) {
    let start = std::time::Instant::now();
    while temp_files(dir).len() < n {
        if let Some(status) = child.try_wait().expect("try_wait") {
            panic!("the run ended before its fault point: {status:?}");
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(120), "no temporary file appeared");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// A person's edit saved while `report` is writing a generated note (after it classified
/// the note, before the rename) survives, and the run says it refused the note. Both ways
/// an editor saves, and both fault points: before the last check, and between that check
/// and the swap (where only the exchange's own check can see it).
#[test]
fn an_edit_saved_during_the_write_is_never_overwritten() {
    for point in ["before-rename", "before-swap"] {
        for rename_over in [false, true] {
            let what = format!("{point}, {}", if rename_over { "renamed over" } else { "written in place" });
            let (_t, v) = empty_vault();
            small_vault(&v);
            first_report(&v);
            let crm = v.join("CRM");
            let fault = format!("{point}:sleep=3000");
            let mut child = spawn_report(&v, "2026-11-23", &[("RAPPORT_FAULT", &fault)]);
            wait_for_temporaries(&crm, 2, &mut child);
            let dash = crm.join("Dashboard.md");
            let mut text = fs::read_to_string(&dash).expect("dashboard");
            text.push_str("\nMy own line, saved mid-write.\n");
            if rename_over {
                fs::write(crm.join(".Dashboard.md.swp"), &text).expect("write");
                fs::rename(crm.join(".Dashboard.md.swp"), &dash).expect("rename");
            } else {
                fs::write(&dash, &text).expect("write");
            }
            // The edit must land inside the pause for the test to mean anything.
            assert!(child.try_wait().expect("try_wait").is_none(), "{what}: the run ended before the edit");
            let o = child.wait_with_output().expect("wait");
            assert_no_panic(&o);
            assert_eq!(fs::read_to_string(&dash).expect("dashboard"), text, "{what}: the edit was overwritten");
            assert_eq!(code(&o), 1, "{what}: a refused note is exit 1\n{}\n{}", stdout(&o), stderr(&o));
            assert!(stdout(&o).contains("refused CRM/Dashboard.md"), "{what}: {}", stdout(&o));
            assert!(stderr(&o).contains("generated-edited"), "{what}: {}", stderr(&o));
            assert!(read(&v, "CRM/Reminders.md").contains("as_of: 2026-11-23"), "{what}: the other note is written");
            assert_eq!(temp_files(&crm), Vec::<String>::new(), "{what}: temporary files left");
        }
    }
}

/// `--force` replacing a symlink at a generated note's place writes a regular file with
/// a new note's mode, not the mode of the symlink's target; the target is untouched.
#[test]
fn forced_replacement_of_a_symlink_gets_a_new_notes_mode() {
    let (t, v) = empty_vault();
    small_vault(&v);
    first_report(&v);
    let elsewhere = t.path().join("private.md");
    fs::copy(v.join("CRM/Dashboard.md"), &elsewhere).expect("copy");
    fs::set_permissions(&elsewhere, fs::Permissions::from_mode(0o600)).expect("chmod");
    let before = fs::read(&elsewhere).expect("read");
    fs::remove_file(v.join("CRM/Dashboard.md")).expect("rm");
    std::os::unix::fs::symlink(&elsewhere, v.join("CRM/Dashboard.md")).expect("symlink");
    // Without --force, a symlink is not a note rapport wrote.
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let o = rapport(&v, &["report", "--today", "2026-11-23", "--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let meta = fs::symlink_metadata(v.join("CRM/Dashboard.md")).expect("stat");
    assert!(meta.is_file(), "a regular file now");
    assert_eq!(meta.permissions().mode() & 0o777, 0o644);
    assert_eq!(fs::read(&elsewhere).expect("read"), before, "the symlink's target is untouched");
}

// #6 ------------------------------------------------------------------------------------

/// Two `report`s at once both succeed: neither removes the other's temporary files, and
/// the later rename does not count the earlier one's note as a person's. A temporary
/// file left by a run that has ended is still cleaned up.
#[test]
fn concurrent_reports_both_succeed() {
    let (_t, v) = empty_vault();
    small_vault(&v);
    first_report(&v);
    let crm = v.join("CRM");
    let mut slow = spawn_report(&v, "2026-11-23", &[("RAPPORT_FAULT", "before-rename:sleep=3000")]);
    wait_for_temporaries(&crm, 2, &mut slow);
    let stale = format!(".rapport-{}-AbC123.tmp", dead_pid());
    fs::write(crm.join(&stale), "half a note").expect("write");
    let o = rapport(&v, &["report", "--today", "2026-11-24"]);
    assert_eq!(code(&o), 0, "the second run: {}", stderr(&o));
    assert!(slow.try_wait().expect("try_wait").is_none(), "the first run ended before the second one ran");
    assert!(!crm.join(&stale).exists(), "a dead run's temporary file is removed");
    let o = slow.wait_with_output().expect("wait");
    assert_eq!(code(&o), 0, "the first run: {}\n{}", stdout(&o), stderr(&o));
    // The later rename wins; nothing is left half done.
    assert!(read(&v, "CRM/Reminders.md").contains("as_of: 2026-11-23"));
    assert_eq!(temp_files(&crm), Vec::<String>::new());
    let o = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(changes(&o), Vec::<String>::new(), "{}", stdout(&o));
}

// #5 ------------------------------------------------------------------------------------

/// Who runs the binary so that `chmod 000` stops it: ourselves when we are not root, else
/// an unprivileged user made for the tests (`Err`: why that cannot be done here).
fn unprivileged() -> Result<Option<&'static str>, String> {
    const USER: &str = "rapport-test";
    let uid = Command::new("id").arg("-u").output().map_err(|e| format!("no `id`: {e}"))?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Ok(None);
    }
    if Command::new("id").arg("-u").arg(USER).output().is_ok_and(|o| o.status.success()) {
        return Ok(Some(USER));
    }
    let made = Command::new("useradd")
        .args(["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER])
        .output()
        .map_err(|e| format!("no `useradd`: {e}"))?;
    // 9: made meanwhile by a test running beside this one.
    if made.status.success() || made.status.code() == Some(9) {
        Ok(Some(USER))
    } else {
        Err(format!("useradd failed: {}", String::from_utf8_lossy(&made.stderr).trim()))
    }
}

/// A folder the user running rapport cannot read is an `unreadable` error in `check`, and
/// `report` says its results are incomplete, instead of leaving its notes out in silence.
#[test]
fn an_unreadable_folder_is_reported() {
    let user = match unprivileged() {
        Ok(user) => user,
        Err(why) => {
            eprintln!("an_unreadable_folder_is_reported: cannot run as an unprivileged user ({why}); skipped");
            return;
        }
    };
    let (tmp, v) = empty_vault();
    small_vault(&v);
    let mut bin = PathBuf::from(env!("CARGO_BIN_EXE_rapport"));
    let run = |bin: &Path, args: &[&str]| -> std::io::Result<Output> {
        let mut cmd = match user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(bin);
                c
            }
            None => Command::new(bin),
        };
        cmd.arg("--vault").arg(&v).args(args).env_remove("RAPPORT_VAULT").env_remove("RAPPORT_FAULT");
        cmd.env("NO_COLOR", "1").output()
    };
    if let Some(user) = user {
        // The user must reach the vault (a temporary folder is private) and the binary.
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
        let owned = Command::new("chown").args(["-R", user]).arg(&v).status().is_ok_and(|s| s.success());
        let probe = run(&bin, &["--version"]);
        if owned && !probe.as_ref().is_ok_and(|o| o.status.success()) {
            let copy = tmp.path().join("rapport");
            fs::copy(&bin, &copy).expect("copy the binary");
            fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).expect("chmod");
            bin = copy;
        }
        let probe = run(&bin, &["--version"]);
        if !owned || !probe.as_ref().is_ok_and(|o| o.status.success()) {
            eprintln!("an_unreadable_folder_is_reported: cannot run rapport as {user} here ({probe:?}); skipped");
            return;
        }
    }
    let people = v.join("People");
    let _mode = ModeGuard(people.clone(), 0o755);
    fs::set_permissions(&people, fs::Permissions::from_mode(0o000)).expect("chmod 000");

    let o = run(&bin, &["check", "--today", "2026-11-20"]).expect("run check");
    assert_no_panic(&o);
    assert!(stdout(&o).contains("People:1:1: error[unreadable]"), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("3 notes checked: 1 error,"), "{}", stderr(&o));
    assert_eq!(code(&o), 1, "an unreadable folder is an error finding");

    let o = run(&bin, &["report", "--today", "2026-11-20"]).expect("run report");
    assert_no_panic(&o);
    assert!(stderr(&o).contains("could not read `People`: the results are incomplete"), "{}", stderr(&o));
    assert_eq!(code(&o), 0, "the readable notes are still reported: {}", stderr(&o));
}
