//! Integration tests: `rapport report` writes the generated notes safely and idempotently.

use std::path::Path;

use crate::common::*;

const TODAY: &str = "2026-11-23";

fn report(v: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["report", "--today", TODAY];
    args.extend_from_slice(extra);
    rapport(v, &args)
}

fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".rapport-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn demo_notes_in_english() {
    let (_t, v) = vault("demo");
    let out = report(&v, &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The demo vault carries its generated notes; they must be current.
    assert_eq!(changes(&out), Vec::<String>::new(), "fixtures/demo/CRM is stale: {}", stdout(&out));
    assert_eq!(stdout(&out).matches("unchanged").count(), 19, "two notes, 15 cards, base, canvas");
    assert!(stdout(&out).ends_with("15 clients on 2026-11-23: 8 overdue · 9 due soon · 6 next steps without a date\n"));
    insta::assert_snapshot!("demo_reminders_en", read(&v, "CRM/Reminders.md"));
    insta::assert_snapshot!("demo_dashboard_en", read(&v, "CRM/Dashboard.md"));
    insta::assert_snapshot!("demo_card_polar_tech", read(&v, "CRM/Clients/Polar Tech · card.md"));
    insta::assert_snapshot!("demo_card_romashka", read(&v, "CRM/Clients/ООО Ромашка · card.md"));
    insta::assert_snapshot!("demo_base", read(&v, "CRM/Clients.base"));
    insta::assert_snapshot!("demo_canvas", read(&v, "CRM/Relationships.canvas"));
}

#[test]
fn demo_notes_in_russian() {
    let (_t, v) = vault("demo");
    write(&v, "rapport.toml", "lang = \"ru\"\n");
    assert_eq!(code(&report(&v, &[])), 0);
    let r = read(&v, "CRM/Reminders.md");
    insta::assert_snapshot!("demo_reminders_ru", r);
    insta::assert_snapshot!("demo_dashboard_ru", read(&v, "CRM/Dashboard.md"));
    insta::assert_snapshot!("demo_card_romashka_ru", read(&v, "CRM/Clients/ООО Ромашка · карточка.md"));
    // The English cards were renamed: removed, as still marked and unedited.
    assert!(!v.join("CRM/Clients/ООО Ромашка · card.md").exists());
    assert!(r.contains("просрочено на 43 дня"), "Russian plural forms");
}

#[test]
fn second_run_changes_nothing() {
    let (_t, v) = vault("demo");
    assert_eq!(code(&report(&v, &[])), 0);
    let meta = |p: &str| std::fs::metadata(v.join(p)).unwrap().modified().unwrap();
    let before = (read(&v, "CRM/Reminders.md"), meta("CRM/Reminders.md"), meta("CRM/Dashboard.md"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = report(&v, &[]);
    assert_eq!(code(&out), 0);
    assert_eq!(changes(&out), Vec::<String>::new(), "{}", stdout(&out));
    assert_eq!(before, (read(&v, "CRM/Reminders.md"), meta("CRM/Reminders.md"), meta("CRM/Dashboard.md")));
    // …and check agrees the notes are current.
    let check = rapport(&v, &["check", "--today", TODAY, "--format", "json"]);
    assert!(!stdout(&check).contains("report-stale"), "{}", stdout(&check));
}

#[test]
fn output_is_deterministic_across_copies() {
    let (_a, v1) = vault("demo");
    let (_b, v2) = vault("demo");
    assert_eq!(code(&report(&v1, &[])), 0);
    assert_eq!(code(&report(&v2, &[])), 0);
    let files = files_under(&v1.join("CRM"));
    assert_eq!(files.len(), 20, "the journal, two notes, 15 cards, base, canvas: {files:?}");
    assert_eq!(files, files_under(&v2.join("CRM")));
    for f in files {
        let f = format!("CRM/{f}");
        assert_eq!(std::fs::read(v1.join(&f)).unwrap(), std::fs::read(v2.join(&f)).unwrap(), "{f}");
    }
}

#[test]
fn edited_generated_note_is_refused_and_left_alone() {
    let (_t, v) = vault("demo");
    assert_eq!(code(&report(&v, &[])), 0);
    let edited = read(&v, "CRM/Reminders.md").replace("# Reminders", "# Reminders (my notes: call Anna!)");
    write(&v, "CRM/Reminders.md", &edited);
    let out = rapport(&v, &["report", "--today", "2026-11-24"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("generated-edited"), "{}", stderr(&out));
    assert_eq!(read(&v, "CRM/Reminders.md"), edited, "edited note untouched");
    assert!(read(&v, "CRM/Dashboard.md").contains("as_of: 2026-11-24"), "the other note is still updated");
    let check = rapport(&v, &["check", "--today", "2026-11-24", "--format", "json"]);
    assert!(stdout(&check).contains("generated-edited"));
    assert_eq!(code(&check), 1);
    // --force takes the file back.
    assert_eq!(code(&rapport(&v, &["report", "--today", "2026-11-24", "--force"])), 0);
    assert!(read(&v, "CRM/Reminders.md").contains("as_of: 2026-11-24"));
}

#[test]
fn user_notes_in_the_output_folder_are_never_touched() {
    let (_t, v) = vault("demo");
    write(&v, "CRM/Dashboard.md", "# My dashboard, not rapport's\n");
    let out = report(&v, &[]);
    assert_eq!(code(&out), 1, "a foreign file in the way is refused");
    assert_eq!(read(&v, "CRM/Dashboard.md"), "# My dashboard, not rapport's\n");
    assert!(read(&v, "CRM/Reminders.md").contains("rapport: generated"));
    // A note of the user's elsewhere in the output folder: the folder is the wrong
    // choice (it is not read), an error before anything is written.
    write(&v, "CRM/My plan.md", "my own note\n");
    let before = read(&v, "CRM/Reminders.md");
    let out = rapport(&v, &["report", "--today", "2026-11-24"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("CRM/My plan.md"), "{}", stderr(&out));
    assert_eq!(read(&v, "CRM/My plan.md"), "my own note\n");
    assert_eq!(read(&v, "CRM/Reminders.md"), before);
}

#[test]
fn generated_names_never_clash_with_user_notes() {
    let (_t, v) = vault("clients-small");
    write(&v, "Projects/Reminders.md", "my reminders\n");
    assert_eq!(code(&report(&v, &[])), 0);
    assert!(v.join("CRM/CRM Reminders.md").exists());
    assert!(v.join("CRM/Dashboard.md").exists());
    assert_eq!(read(&v, "Projects/Reminders.md"), "my reminders\n");
    assert!(read(&v, "CRM/Dashboard.md").contains("[[CRM/CRM Reminders|CRM Reminders]]"));
}

#[test]
fn dry_run_writes_nothing() {
    let (_t, v) = vault("clients-small");
    let out = report(&v, &["--dry-run"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("would create CRM/Reminders.md"), "{}", stdout(&out));
    assert!(!v.join("CRM").exists());
    assert_eq!(code(&report(&v, &[])), 0);
    let before = read(&v, "CRM/Reminders.md");
    let out = rapport(&v, &["report", "--today", "2026-12-01", "--dry-run"]);
    assert!(stdout(&out).contains("would update CRM/Reminders.md"), "{}", stdout(&out));
    assert_eq!(read(&v, "CRM/Reminders.md"), before);
}

#[test]
fn output_folder_escaping_the_vault_is_refused() {
    let (t, v) = vault("clients-small");
    write(&v, "rapport.toml", "output_dir = \"../x\"\n");
    let out = report(&v, &[]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("outside the vault"), "{}", stderr(&out));
    assert!(!t.path().join("x").exists());

    write(&v, "rapport.toml", "output_dir = \"/tmp\"\n");
    assert_eq!(code(&report(&v, &[])), 2);

    // An absolute path inside the vault is fine.
    let inside = v.canonicalize().unwrap().join("Reports");
    write(&v, "rapport.toml", &format!("output_dir = \"{}\"\n", inside.display()));
    assert_eq!(code(&report(&v, &[])), 0, "{}", stderr(&report(&v, &[])));
    assert!(v.join("Reports/Reminders.md").exists());
}

#[test]
fn symlinked_output_folder_pointing_out_is_refused() {
    let (t, v) = vault("clients-small");
    let outside = t.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, v.join("CRM")).unwrap();
    let out = report(&v, &[]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "nothing written outside");
}

#[test]
fn leftover_temporary_files_are_cleaned() {
    let (_t, v) = vault("clients-small");
    assert_eq!(code(&report(&v, &[])), 0);
    write(&v, "CRM/.rapport-abc123.tmp", "half a note");
    assert_eq!(code(&report(&v, &[])), 0);
    assert!(temporaries(&v.join("CRM")).is_empty());
}

/// Every wikilink in the generated notes resolves to a note of the vault, and the notes
/// parse as CommonMark with the tables and callouts intact.
#[test]
fn generated_markdown_parses_and_links_resolve() {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let (_t, v) = vault("demo");
    assert_eq!(code(&report(&v, &[])), 0);
    let vault = rapport::Vault::load(&v).unwrap();
    let cards = files_under(&v.join("CRM/Clients")).into_iter().map(|f| format!("CRM/Clients/{f}"));
    let rels: Vec<String> =
        ["CRM/Reminders.md".to_owned(), "CRM/Dashboard.md".to_owned()].into_iter().chain(cards).collect();
    assert_eq!(rels.len(), 17);
    for rel in &rels {
        let rel = rel.as_str();
        let text = read(&v, rel);
        let note = rapport::parse_note(rel, &text);
        assert!(note.diagnostics.is_empty(), "{rel}: {:?}", note.diagnostics);
        assert!(!note.links.is_empty());
        for l in &note.links {
            let target = vault.index.resolve_name(usize::MAX, l.target()).target;
            let ok = matches!(target, rapport::Target::Note(_))
                || ["CRM/Reminders", "CRM/Dashboard", "CRM/Clients.base", "CRM/Relationships.canvas"]
                    .contains(&l.target())
                || (l.target().starts_with("CRM/Clients/") && v.join(format!("{}.md", l.target())).is_file());
            assert!(ok, "{rel}:{}: [[{}]] does not resolve", l.line, l.target());
        }
        // Table rows keep their column count (escaped pipes inside wikilinks).
        let mut cells = 0;
        let mut widths = Vec::new();
        for ev in Parser::new_ext(&text, rapport::markdown_options()) {
            match ev {
                Event::Start(Tag::TableRow | Tag::TableHead) => cells = 0,
                Event::Start(Tag::TableCell) => cells += 1,
                Event::End(TagEnd::TableRow | TagEnd::TableHead) => widths.push(cells),
                _ => {}
            }
        }
        if rel.ends_with("Dashboard.md") {
            assert!(widths.len() > 15, "tables found");
            assert!(
                widths.iter().filter(|&&w| w == 17).count() >= 16,
                "client table has 17 columns in every row: {widths:?}"
            );
        }
    }
}

/// Links in a next step's text are rewritten to full-path wikilinks in the notes (so they
/// resolve from the output folder) and to plain names in the terminal; links that lead
/// nowhere become their text, and web links stay as written.
#[test]
fn task_links_are_rewritten_for_the_output_folder() {
    let (_t, v) = empty_vault();
    write(&v, "People/Anna.md", "---\ntype: person\n---\n## Phone\n");
    write(&v, "Docs/Brief.md", "# Brief\n");
    write(
        &v,
        "Clients/Acme.md",
        "---\ntype: client\n---\n- [ ] Call [[Anna#Phone|Anna]] and [[Anna]] about [[Nowhere]] and \
         [the brief](../Docs/Brief.md), see [site](https://example.com) and [gone](gone.md) 📅 2026-11-20\n",
    );
    assert_eq!(code(&report(&v, &[])), 0);
    let line = "[[Clients/Acme|Acme]]: Call [[People/Anna#Phone|Anna]] and [[People/Anna|Anna]] about Nowhere and \
                [[Docs/Brief|the brief]], see [site](https://example.com) and gone — overdue by 3 days (2026-11-20) \
                · tick it in [[Clients/Acme|Acme]]";
    let reminders = read(&v, "CRM/Reminders.md");
    assert!(reminders.contains(&format!("> - {line}\n")), "{reminders}");
    let due = stdout(&rapport(&v, &["due", "--today", TODAY]));
    let plain =
        "Acme: Call Anna and Anna about Nowhere and the brief, see site and gone — overdue by 3 days (2026-11-20)";
    assert!(due.contains(plain), "{due}");
}
