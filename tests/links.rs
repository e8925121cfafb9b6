//! Integration tests: links resolve as Obsidian resolves them, ignored notes and
//! template folders stay link targets while leaving the model and the checks.

use std::path::Path;

use crate::common::*;

const TODAY: &str = "2026-11-23";

/// `check --format json` as (code, path) pairs.
fn findings(v: &Path) -> Vec<(String, String)> {
    let out = rapport(v, &["check", "--today", TODAY, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check JSON");
    json.as_array()
        .expect("array")
        .iter()
        .map(|f| (f["code"].as_str().unwrap_or("").to_owned(), f["path"].as_str().unwrap_or("").to_owned()))
        .filter(|(c, _)| c != "report-stale")
        .collect()
}

fn client_paths(v: &Path) -> Vec<String> {
    let out = rapport(v, &["clients", "--today", TODAY, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("clients JSON");
    json.as_array().expect("array").iter().map(|c| c["path"].as_str().unwrap_or("").to_owned()).collect()
}

/// Markdown links: relative first, then like a wikilink target (`![x](img.png)` finds
/// `Attachments/img.png`), `<…>` destinations and URL decoding; ignored notes, template
/// notes and files in an ignored folder (`![[People.base]]`) are still link targets.
#[test]
fn every_link_of_the_links_vault_resolves() {
    let (_t, v) = vault("links");
    let f = findings(&v);
    assert_eq!(f, [("contact-overdue".to_owned(), "Clients/Acme.md".to_owned())], "{f:?}");
}

/// Template folders from `.obsidian/templates.json` and Templater's settings are left out
/// of the model and the checks; `skip_templates = false` reads them again.
#[test]
fn template_folders_are_left_out_unless_configured() {
    let (_t, v) = vault("links");
    assert_eq!(client_paths(&v), ["Clients/Acme.md"]);
    // Templater's setting instead of the core plugin's.
    std::fs::remove_file(v.join(".obsidian/templates.json")).unwrap();
    write(&v, ".obsidian/plugins/templater-obsidian/data.json", "{\"templates_folder\": \"Templates/\", \"x\": 1}");
    assert_eq!(client_paths(&v), ["Clients/Acme.md"]);
    assert!(findings(&v).iter().all(|(_, p)| !p.starts_with("Templates/")));
    // Turned off: the template is a client, and its placeholders are findings.
    write(&v, "rapport.toml", "ignore = [\"Archive/**\"]\nskip_templates = false\n");
    assert_eq!(client_paths(&v), ["Clients/Acme.md", "Templates/Client Template.md"]);
    let f = findings(&v);
    assert!(f.contains(&("property-invalid".into(), "Templates/Meeting Template.md".into())), "{f:?}");
}

/// `ignore` keeps notes out of the model and the checks, not out of link resolution.
#[test]
fn ignored_notes_leave_the_model_but_stay_link_targets() {
    let (_t, v) = vault("links");
    assert!(!client_paths(&v).contains(&"Archive/Old deal.md".to_owned()));
    assert!(findings(&v).iter().all(|(_, p)| !p.starts_with("Archive/")));
    // Without `ignore`, the archived note is a client with a bad date and a broken link.
    std::fs::remove_file(v.join("rapport.toml")).unwrap();
    assert!(client_paths(&v).contains(&"Archive/Old deal.md".to_owned()));
    let f = findings(&v);
    assert!(f.contains(&("link-broken".into(), "Archive/Old deal.md".into())), "{f:?}");
}

/// A Markdown link whose file is not at the relative path, nor anywhere, is broken; one
/// that climbs out of the vault is broken too.
#[test]
fn markdown_links_that_lead_nowhere_are_broken() {
    let (_t, v) = vault("links");
    write(&v, "Docs/Broken.md", "[a](Nope.md) ![b](missing.png) [c](../../outside.md) [d](<No such note.md>)\n");
    let broken = findings(&v).into_iter().filter(|(c, p)| c == "link-broken" && p == "Docs/Broken.md").count();
    assert_eq!(broken, 4);
}
