//! Helpers shared by the integration tests: run the built binary on fixture copies.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fixtures folder of the repository.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Copies `fixtures/<name>` into a fresh temporary folder; returns the guard and the vault path.
pub fn vault(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let dest = dir.path().join(name);
    copy_dir(&fixtures().join(name), &dest);
    (dir, dest)
}

/// An empty vault in a temporary folder.
pub fn empty_vault() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let dest = dir.path().join("vault");
    std::fs::create_dir(&dest).expect("create vault");
    (dir, dest)
}

/// Recursively copies a folder (files and folders; symlinks are not expected in fixtures).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for e in std::fs::read_dir(from).expect("read fixture dir") {
        let e = e.expect("entry");
        let t = e.file_type().expect("file type");
        let dest = to.join(e.file_name());
        if t.is_dir() {
            copy_dir(&e.path(), &dest);
        } else if t.is_file() {
            std::fs::copy(e.path(), &dest).expect("copy file");
        }
    }
}

/// Runs `rapport --vault <vault> <args…>` with a clean environment.
pub fn rapport(vault: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env_remove("RAPPORT_VAULT")
        .env("NO_COLOR", "1")
        .output()
        .expect("run rapport")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code (panics if the process was killed by a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

/// Writes a file under the vault, creating folders.
pub fn write(vault: &Path, rel: &str, text: &str) {
    let p = vault.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// Reads a file under the vault.
pub fn read(vault: &Path, rel: &str) -> String {
    std::fs::read_to_string(vault.join(rel)).expect("read")
}

/// The process id of a process that has ended.
pub fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("spawn true");
    let pid = child.id();
    child.wait().expect("wait");
    pid
}

/// Names of the temporary files of atomic writes (`.rapport-*.tmp`) in a folder.
pub fn temp_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".rapport-") && n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The lines of `report` output that name a change (created, updated, removed, …): none
/// when every generated file was already current.
pub fn changes(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .filter(|l| {
            let verb = l.trim_start();
            !verb.starts_with("unchanged ") && !verb.contains(" clients on ") && !verb.is_empty()
        })
        .map(str::to_owned)
        .collect()
}

/// Every file under a folder, relative to it, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("under").to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// Polls `cond` every 10 ms until it holds (true) or `limit` passes (false). Only a hang
/// guard: callers give a limit far above the typical time, and assert on the result.
pub fn wait_until(limit: std::time::Duration, mut cond: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    while !cond() {
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    true
}
