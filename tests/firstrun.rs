//! Integration tests: honest first runs. No client found, a folder that is not a vault,
//! an output folder holding the user's notes, and a refused note in watch mode.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::*;

const TODAY: &str = "2026-11-23";

/// With no client, `report` writes nothing, exits 0, and says what it looked for and
/// to run `rapport init`.
#[test]
fn no_client_writes_nothing_and_points_to_init() {
    let (_t, v) = empty_vault();
    write(&v, ".obsidian/app.json", "{}");
    write(&v, "Notes/Idea.md", "# An idea\n#project\n");
    write(&v, "rapport.toml", "[kinds]\nfolders = { \"Clients\" = \"client\" }\n");
    let out = rapport(&v, &["report", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!v.join("CRM").exists(), "nothing written");
    let said = stdout(&out);
    assert!(said.contains("No client found in 1 notes"), "{said}");
    assert!(said.contains("`type: client`") && said.contains("#client") && said.contains("`Clients/`"), "{said}");
    assert!(said.contains("rapport init"), "{said}");
    assert!(!said.contains("within its cadence"), "{said}");
    // check agrees: no generated note is missing.
    let check = rapport(&v, &["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(stdout(&check).trim(), "[]");
}

/// A folder without `.obsidian/` gets a one-line warning; a vault does not.
#[test]
fn a_folder_that_is_not_a_vault_is_warned_about() {
    let (_t, v) = vault("categories");
    let quiet = rapport(&v, &["clients", "--today", TODAY]);
    assert_eq!(stderr(&quiet), "");
    std::fs::remove_dir_all(v.join(".obsidian")).unwrap();
    let out = rapport(&v, &["clients", "--today", TODAY]);
    assert_eq!(code(&out), 0);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no .obsidian folder") && err.contains("--vault"), "{err}");
}

/// An output folder holding notes rapport did not generate is an error (exit 2) that
/// names them; generated notes, the journal and non-note files may live there.
#[test]
fn an_output_folder_with_user_notes_is_an_error_naming_them() {
    let (_t, v) = vault("demo");
    write(&v, "rapport.toml", "output_dir = \"Clients\"\n");
    for args in [&["report", "--today", TODAY][..], &["check", "--today", TODAY], &["clients"], &["due"]] {
        let out = rapport(&v, args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("Clients/Bright Path Ltd.md") && err.contains("and 10 more"), "{err}");
    }
    assert!(!v.join("Clients/Reminders.md").exists());
    // What may live in the output folder.
    // (Cards, base and canvas off: these stand-ins are not rapport's files.)
    write(&v, "rapport.toml", "[outputs]\ncards = false\nbase = false\ncanvas = false\n");
    write(&v, "CRM/Journal.md", "---\nrapport: journal\n---\n- 2026-11-20 ticked\n");
    write(&v, "CRM/Clients/Acme card.md", "---\nrapport: generated\nas_of: 2026-11-23\nhash: \"x\"\n---\n# Acme\n");
    write(&v, "CRM/Clients.base", "views: []\n");
    write(&v, "CRM/Relationships.canvas", "{\"nodes\":[],\"edges\":[]}\n");
    let out = rapport(&v, &["report", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

/// While watch holds a refused note, each cycle that changes the vault says so again.
#[test]
fn watch_repeats_a_refused_note_on_each_cycle() {
    let (t, v) = vault("demo");
    let edited = read(&v, "CRM/Reminders.md").replace("# Reminders", "# Reminders (mine now)");
    write(&v, "CRM/Reminders.md", &edited);
    let log = t.path().join("watch.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--vault")
        .arg(&v)
        .args(["watch", "--debounce", "20", "--today", TODAY])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("start watch");
    let refusals = || std::fs::read_to_string(&log).unwrap_or_default().matches("generated-edited").count();
    let wait = |n: usize| {
        // A hang guard, far above a cycle's time.
        assert!(wait_until(Duration::from_secs(60), || refusals() >= n), "{}", std::fs::read_to_string(&log).unwrap());
    };
    wait(1);
    for i in 0..2 {
        let note = "Clients/Polar Tech.md";
        write(&v, note, &format!("{}\n- 2026-11-2{i} call\n", read(&v, note)));
        wait(2 + i);
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(read(&v, "CRM/Reminders.md"), edited);
}

/// The helpers' own fixture copies carry `.obsidian/`, as real vaults do.
#[test]
fn fixture_vaults_are_vaults() {
    for name in ["bad", "categories", "clients-small", "demo", "links"] {
        assert!(fixtures().join(name).join(".obsidian").is_dir(), "{name}");
    }
    let _ = Path::new(".");
}
