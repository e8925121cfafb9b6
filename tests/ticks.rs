//! Integration tests: reminders are tasks; ticking one in the Reminders note is recorded
//! in the journal note once, never lost, and is no edit.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::*;

const TODAY: &str = "2026-11-23";
const REMINDERS: &str = "CRM/Reminders.md";
const JOURNAL: &str = "CRM/Journal.md";

fn report(v: &Path, today: &str) -> std::process::Output {
    rapport(v, &["report", "--today", today])
}

/// Ticks the task line that contains `needle`, as Obsidian does (`[x]`), and with the
/// Tasks plugin's done date when `done` is given.
fn tick(v: &Path, needle: &str, done: Option<&str>) {
    let text = read(v, REMINDERS);
    let mut hit = 0;
    let out: String = text
        .split_inclusive('\n')
        .map(|line| {
            if !line.contains(needle) || !line.contains("- [ ] ") {
                return line.to_owned();
            }
            hit += 1;
            let mut l = line.replacen("- [ ] ", "- [x] ", 1);
            if let Some(d) = done {
                let at = l.rfind(" ^").unwrap();
                l.insert_str(at, &format!(" ✅ {d}"));
            }
            l
        })
        .collect();
    assert_eq!(hit, 1, "one task line with {needle:?} in:\n{text}");
    // Written in place, as an editor saves.
    std::fs::write(v.join(REMINDERS), out).unwrap();
}

/// The journal's dated lines, without the one the demo vault comes with.
fn journal_lines(v: &Path) -> Vec<String> {
    std::fs::read_to_string(v.join(JOURNAL))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("- 20") && !l.contains("Smith & Partners report format"))
        .map(str::to_owned)
        .collect()
}

fn due_rows(v: &Path, today: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(&stdout(&rapport(v, &["due", "--today", today, "--json"]))).unwrap()
}

#[test]
fn actionable_reminders_are_tasks_and_next_steps_link_to_theirs() {
    let (_t, v) = vault("demo");
    let r = read(&v, REMINDERS);
    let contact = r.lines().find(|l| l.contains("Contact [[Clients/Polar Tech")).unwrap();
    assert!(contact.starts_with("> - [ ] "), "{contact}");
    assert!(contact.contains(" 📅 2026-10-11 ^contact-"), "{contact}");
    let birthday = r.lines().find(|l| l.contains("Birthday of [[People/Иван Петров")).unwrap();
    assert!(birthday.starts_with("- [ ] ") && birthday.contains("📅 2026-11-30 ^birthday-"), "{birthday}");
    assert!(r.lines().any(|l| l.starts_with("> - [ ] Answer feedback") && l.contains(" ^feedback-")));
    assert!(
        r.lines().any(|l| l.starts_with("- [ ] ") && l.contains("5 years together") && l.contains(" ^anniversary-"))
    );
    // A next step is the user's own task: a bullet that says where to tick it.
    let step = r.lines().find(|l| l.contains("Restart the check-ins")).unwrap();
    assert!(step.starts_with("> - [[Clients/Polar Tech"), "{step}");
    assert!(step.ends_with("· tick it in [[Clients/Polar Tech|Polar Tech]]"), "{step}");
    // Moves and project ends are for information.
    assert!(r.lines().any(|l| l.starts_with("- [[People/Дмитрий Орлов")));
    // The Tasks syntax is read back by rapport's own parser: these are tasks due then.
    let (_u, copy) = empty_vault();
    write(&copy, "Tasks.md", &r);
    let parsed = rapport::parse_note("Tasks.md", &r);
    let open: Vec<_> = parsed.tasks.iter().filter(|t| t.is_open()).collect();
    assert_eq!(open.len(), r.lines().filter(|l| l.contains("- [ ] ")).count());
    assert!(open.iter().all(|t| t.due.is_some()), "{open:?}");
}

#[test]
fn ticks_are_recorded_once_and_move_what_they_answer() {
    let (_t, v) = vault("demo");
    let before = due_rows(&v, "2026-11-24");
    let has = |rows: &[serde_json::Value], kind: &str, needle: &str| {
        rows.iter().any(|r| r["kind"] == kind && r["text"].as_str().unwrap().contains(needle))
    };
    assert!(has(&before, "contact", "Polar Tech"));
    assert!(has(&before, "feedback", "Green Leaf invoice"));
    assert!(has(&before, "birthday", "Иван Петров"));
    assert!(has(&before, "anniversary", "Nordlicht"));
    tick(&v, "Contact [[Clients/Polar Tech", None);
    tick(&v, "Answer feedback [[Feedback/2026-11-12 Green Leaf", Some("2026-11-23"));
    tick(&v, "Birthday of [[People/Иван Петров", Some("2026-11-23"));
    tick(&v, "5 years together", None);
    // Ticking is not an edit: check sees ticks to record, not a note to refuse.
    let out = rapport(&v, &["check", "--today", "2026-11-24"]);
    assert!(stdout(&out).contains("warning[report-stale]"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("generated-edited"), "{}", stdout(&out));

    let out = report(&v, "2026-11-24");
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("recorded 4 ticked reminder(s) in CRM/Journal.md"), "{}", stdout(&out));
    // Appended to the demo's journal, whose first line stays as it was.
    let journal = read(&v, JOURNAL);
    assert!(journal.starts_with(&read(&fixtures().join("demo"), JOURNAL)), "{journal}");
    let lines = journal_lines(&v);
    assert_eq!(lines.len(), 4, "{journal}");
    // The date is the Tasks plugin's when there is one, else the day of the run.
    assert!(lines.iter().any(|l| l.starts_with("- 2026-11-24 contact [[Clients/Polar Tech|Polar Tech]] — ticked")));
    assert!(lines.iter().any(|l| l.starts_with("- 2026-11-23 answered [[Feedback/2026-11-12 Green Leaf")));
    assert!(lines.iter().any(|l| l.starts_with("- 2026-11-23 birthday [[People/Иван Петров|Иван Петров]]")));
    assert!(lines.iter().any(|l| l.starts_with("- 2026-11-24 anniversary [[Clients/Nordlicht GmbH|Nordlicht GmbH]]")));
    // Reminders is written again without them, and is rapport's again.
    let r = read(&v, REMINDERS);
    assert!(!r.contains("[x]"), "{r}");
    for gone in ["Contact [[Clients/Polar Tech", "Green Leaf invoice", "Birthday of [[People/Иван Петров", "5 years"]
    {
        assert!(!r.contains(gone), "{gone} still in\n{r}");
    }
    // The model read the journal: the contact moved, the feedback is answered, the
    // greetings are done; every other reminder is still there.
    let after = due_rows(&v, "2026-11-24");
    assert!(!has(&after, "contact", "Polar Tech"));
    assert!(!has(&after, "feedback", "Green Leaf invoice"));
    assert!(!has(&after, "birthday", "Иван Петров"));
    assert!(!has(&after, "anniversary", "Nordlicht"));
    // A greeting is a contact too: the clients greeted are no longer due for one. All
    // else stays.
    assert!(!has(&after, "contact", "ООО Ромашка") && !has(&after, "contact", "Nordlicht"));
    let uids =
        |rows: &[serde_json::Value]| rows.iter().map(|r| r["uid"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let kept: Vec<String> = uids(&before).into_iter().filter(|u| uids(&after).contains(u)).collect();
    assert_eq!(kept.len(), before.len() - 6, "{:?}", uids(&before));
    assert_eq!(after.len(), before.len() - 6);
    let clients: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&rapport(&v, &["clients", "--today", "2026-11-24", "--json"]))).unwrap();
    let polar = clients.iter().find(|c| c["name"] == "Polar Tech").unwrap();
    assert_eq!(polar["last_contact"], "2026-11-24");
    // A second run records nothing and writes nothing.
    let out = report(&v, "2026-11-24");
    assert_eq!(changes(&out), Vec::<String>::new(), "{}", stdout(&out));
    assert_eq!(journal_lines(&v), lines);
    let out = rapport(&v, &["check", "--today", "2026-11-24"]);
    assert!(!stdout(&out).contains("report-stale"), "{}", stdout(&out));
}

#[test]
fn any_other_change_is_still_an_edit() {
    let (_t, v) = vault("demo");
    tick(&v, "Contact [[Clients/Polar Tech", None);
    let ticked = read(&v, REMINDERS);
    for edited in [
        ticked.replace("every 10 days", "every 10 days, called twice"),
        ticked
            .replace("- [ ] Contact [[Clients/Orbit", "- [x] Contact [[Clients/Orbit")
            .replace(" ^contact-", " ^mine-"),
        ticked.clone() + "\nmy own line\n",
    ] {
        std::fs::write(v.join(REMINDERS), &edited).unwrap();
        let out = report(&v, TODAY);
        assert_eq!(code(&out), 1, "{}", stdout(&out));
        assert!(stderr(&out).contains("generated-edited"), "{}", stderr(&out));
        assert_eq!(read(&v, REMINDERS), edited);
        assert!(journal_lines(&v).is_empty(), "nothing recorded from an edited note");
    }
}

#[test]
fn the_journal_is_the_users_too() {
    let (_t, v) = vault("demo");
    tick(&v, "Contact [[Clients/Polar Tech", None);
    assert_eq!(code(&report(&v, TODAY)), 0);
    // The user edits the journal: a line of their own (without a final newline), and a
    // contact logged by hand that the model reads like any log line.
    let mine = read(&v, JOURNAL) + "- 2026-11-22 call [[Clients/Orbit Media]] — they called back";
    std::fs::write(v.join(JOURNAL), &mine).unwrap();
    let rows = due_rows(&v, TODAY);
    assert!(!rows.iter().any(|r| r["kind"] == "contact" && r["client_name"] == "Orbit Media"), "{rows:?}");
    assert_eq!(code(&report(&v, TODAY)), 0);
    assert_eq!(read(&v, JOURNAL), mine, "report does not rewrite the journal");
    tick(&v, "Contact [[Clients/ООО Ромашка", None);
    assert_eq!(code(&report(&v, TODAY)), 0);
    let journal = read(&v, JOURNAL);
    assert!(journal.starts_with(&(mine.clone() + "\n- 2026-11-23 contact [[Clients/ООО Ромашка")), "{journal}");
    // Deleting a line is the user's right: the reminder comes back, unticked.
    let without: String = journal.lines().filter(|l| !l.contains("ООО Ромашка")).map(|l| format!("{l}\n")).collect();
    std::fs::write(v.join(JOURNAL), &without).unwrap();
    assert_eq!(code(&report(&v, TODAY)), 0);
    assert!(read(&v, REMINDERS).contains("- [ ] Contact [[Clients/ООО Ромашка"));
    // The journal is no generated note: `check` neither refuses nor reports it.
    let out = rapport(&v, &["check", "--today", TODAY]);
    assert!(!stdout(&out).contains("Journal"), "{}", stdout(&out));
}

/// A run killed after the journal is synced and before Reminders is rewritten leaves the
/// tick recorded and still ticked; the next run finishes the job without a second line,
/// even on a later day and without the Tasks plugin's date.
#[test]
fn a_tick_is_never_lost_nor_recorded_twice() {
    let (_t, v) = vault("demo");
    // With no journal yet: the kill comes after the new file's first sync.
    std::fs::remove_file(v.join(JOURNAL)).unwrap();
    tick(&v, "Contact [[Clients/Polar Tech", None);
    tick(&v, "Birthday of [[People/Иван Петров", None);
    let ticked = read(&v, REMINDERS);
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--vault")
        .arg(&v)
        .args(["report", "--today", TODAY])
        .env("RAPPORT_FAULT", "journal-synced:abort")
        .output()
        .unwrap();
    assert!(out.status.code().is_none(), "the run was killed at the hook: {out:?}");
    assert_eq!(journal_lines(&v).len(), 2, "recorded before the kill");
    assert!(read(&v, JOURNAL).starts_with("---\nrapport: journal\n---\n# Journal\n"));
    assert_eq!(read(&v, REMINDERS), ticked, "still ticked");
    for today in ["2026-11-24", "2026-11-24"] {
        let out = report(&v, today);
        assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
        assert!(!stdout(&out).contains("recorded"), "{}", stdout(&out));
        assert_eq!(journal_lines(&v).len(), 2, "{:?}", journal_lines(&v));
        assert!(!read(&v, REMINDERS).contains("[x]"));
    }
}

/// A running `rapport watch`, killed when dropped.
struct Watch {
    child: Child,
    log: PathBuf,
}

impl Watch {
    fn start(vault: &Path, log_dir: &Path, fault: Option<&str>) -> Watch {
        let log = log_dir.join("watch.log");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
        cmd.env_remove("RAPPORT_FAULT");
        if let Some(f) = fault {
            cmd.env("RAPPORT_FAULT", f);
        }
        let child = cmd
            .arg("--vault")
            .arg(vault)
            .args(["watch", "--debounce", "20", "--today", TODAY])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start watch");
        let w = Watch { child, log };
        w.wait("the first cycle", || w.log().contains("watching"));
        w
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait(&self, what: &str, cond: impl Fn() -> bool) {
        assert!(wait_until(Duration::from_secs(60), cond), "timed out waiting for {what}:\n{}", self.log());
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_records_a_tick_as_it_is_made() {
    let (t, v) = vault("demo");
    let w = Watch::start(&v, t.path(), None);
    tick(&v, "Contact [[Clients/Polar Tech", Some(TODAY));
    w.wait("the tick in the journal and out of Reminders", || {
        journal_lines(&v).len() == 1
            && !read(&v, REMINDERS).contains("[x]")
            && !read(&v, REMINDERS).contains("Polar Tech|Polar Tech]]: overdue")
    });
    assert!(journal_lines(&v)[0].starts_with("- 2026-11-23 contact [[Clients/Polar Tech|Polar Tech]]"));
    assert!(w.log().contains("recorded 1 ticked reminder(s) in CRM/Journal.md"), "{}", w.log());
    // Its own writes start no cycle that records or writes anything more.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(journal_lines(&v).len(), 1);
    assert!(!w.log().contains("error"), "{}", w.log());
}

/// The user ticks a second reminder while a cycle is recording the first (held at the
/// hook after the journal is synced): the cycle must not write Reminders over the new
/// tick, and the next cycle records it. Each tick is in the journal once.
#[test]
fn watch_keeps_a_tick_made_while_a_cycle_runs() {
    let (t, v) = vault("demo");
    let w = Watch::start(&v, t.path(), Some("journal-synced:sleep=1500"));
    tick(&v, "Contact [[Clients/Polar Tech", None);
    w.wait("the first tick in the journal", || journal_lines(&v).len() == 1);
    // The cycle is asleep at the hook, Reminders not yet rewritten.
    assert!(read(&v, REMINDERS).contains("- [x] Contact [[Clients/Polar Tech"));
    tick(&v, "Contact [[Clients/Orbit Media", None);
    w.wait("both ticks recorded and Reminders rewritten", || {
        let r = read(&v, REMINDERS);
        journal_lines(&v).len() == 2 && !r.contains("[x]") && !r.contains("Contact [[Clients/Orbit Media")
    });
    let lines = journal_lines(&v);
    assert!(lines[0].contains("[[Clients/Polar Tech|Polar Tech]]"), "{lines:?}");
    assert!(lines[1].contains("[[Clients/Orbit Media|Orbit Media]]"), "{lines:?}");
    std::thread::sleep(Duration::from_millis(2000));
    assert_eq!(journal_lines(&v).len(), 2);
    assert!(!read(&v, REMINDERS).contains("Contact [[Clients/Polar Tech"));
}
