//! Integration tests: `rapport.toml` keys that may be typos are warnings naming the
//! nearest known key; the documents users are pointed to are in the repository.

use crate::common::*;

#[test]
fn unknown_keys_are_warnings_naming_the_nearest_known_key() {
    let (_t, v) = vault("categories");
    let config = read(&v, "rapport.toml").replace("people = \"with\"", "peple = \"with\"");
    write(&v, "rapport.toml", &format!("son_days = 3\n{config}[cadence]\nkeyy = \"2w\"\n"));
    let out = rapport(&v, &["report", "--today", "2026-11-23"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("rapport.toml:1:1: warning: unknown key `son_days`; the nearest known key is `soon_days`"),
        "{err}"
    );
    assert!(err.contains("unknown key `keyy` in [cadence]; the nearest known key is `key`"), "{err}");
    assert!(
        err.contains("no note has a property `peple` (in [properties]); the nearest known key is `people`"),
        "{err}"
    );
    // The rest of the config still counts: the categories still make clients.
    assert!(stdout(&out).contains("2 clients"), "{}", stdout(&out));
    // A clean config says nothing.
    let (_u, clean) = vault("categories");
    assert_eq!(stderr(&rapport(&clean, &["report", "--today", "2026-11-23"])), "");
}

/// README, docs and --help point only to documents in the repository.
#[test]
fn documents_referred_to_are_in_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = vec![std::fs::read_to_string(root.join("README.md")).unwrap()];
    for e in std::fs::read_dir(root.join("docs")).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "md") {
            texts.push(std::fs::read_to_string(e.path()).unwrap());
        }
    }
    let (_t, v) = empty_vault();
    for cmd in [&["--help"][..], &["report", "--help"], &["check", "--help"], &["init", "--help"], &["due", "--help"]] {
        texts.push(stdout(&rapport(&v, cmd)));
    }
    for text in &texts {
        for bad in ["SPEC", "../shared", "/work/"] {
            assert!(!text.contains(bad), "refers to `{bad}`:\n{}", &text[..text.len().min(300)]);
        }
    }
    assert!(texts[0].contains("(docs/vault.md)") && root.join("docs/vault.md").is_file());
}
