//! Integration tests: hostile input.
//!
//! Every case runs the real binary (`check` and `report`) on a temporary vault and asserts
//! that it neither panics nor hangs: exit code 0, 1 or 2 (never a signal), no "panicked"
//! on stderr, and an end before [`KILL_AFTER`]. Where a case has an expected diagnostic,
//! the JSON output of `check` is checked for it. Committed cases live in
//! `fixtures/hostile/<case>/`; the ones too big to commit (a 10 MB line, 100,000 links)
//! and the ones that need the file system's help (symlinks, permissions, FIFOs) are made
//! here at run time.
//!
//! Below them, property tests feed arbitrary bytes, strings and Markdown/YAML/TOML
//! fragments to the parsers, which must never panic.
//!
//! Several cases here first reproduced real stalls in `src/` (quadratic column counting,
//! frontmatter keys and heading anchors, an escaped quote slipping past the YAML depth
//! check) and a fast-path YAML leniency; they stay as regression tests.

use std::fs;
use std::io::Read as _;
use std::os::unix::fs::{PermissionsExt as _, symlink};
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::Value as Json;

use crate::common::*;

const TODAY: &str = "2026-11-23";

/// A run still going after this long is killed: a hang fails the test, not the suite.
/// This is a hang guard, not a speed target (speed is measured by `scripts/bench.sh`): the
/// slowest case here takes about 6 s in a debug build on a busy 2-core machine, and a
/// quadratic regression on the 100,000-link cases takes hours, so 20 times the typical
/// time separates the two without failing on a slow laptop.
const KILL_AFTER: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------------------
// Running the binary with a clock and a kill switch
// ---------------------------------------------------------------------------------------

/// One finished run of the binary.
struct Run {
    what: String,
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Run {
    fn code(&self) -> i32 {
        self.status.code().unwrap_or_else(|| {
            panic!("{}: killed by signal {:?}\nstderr:\n{}", self.what, self.status.signal(), tail(&self.stderr))
        })
    }
}

/// The last part of a long text, for failure messages.
fn tail(s: &str) -> &str {
    let mut start = s.len().saturating_sub(4000);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// Runs `rapport --vault <vault> <args…>` with a clean environment, output to temporary
/// files (so a flood of diagnostics cannot fill a pipe), and kills it after [`KILL_AFTER`].
fn run_env(vault: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut out = tempfile::tempfile().expect("temp file");
    let mut err = tempfile::tempfile().expect("temp file");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
    cmd.arg("--vault")
        .arg(vault)
        .args(args)
        .env_remove("RAPPORT_VAULT")
        .env_remove("RAPPORT_FAULT")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("dup"))
        .stderr(err.try_clone().expect("dup"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let what = format!("rapport {}", args.join(" "));
    let start = Instant::now();
    let mut child = cmd.spawn().expect("run rapport");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > KILL_AFTER {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {KILL_AFTER:?} (hang); killed");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read_all = |f: &mut fs::File| {
        use std::io::Seek as _;
        f.rewind().expect("rewind");
        let mut b = Vec::new();
        f.read_to_end(&mut b).expect("read output");
        String::from_utf8_lossy(&b).into_owned()
    };
    Run { what, status, stdout: read_all(&mut out), stderr: read_all(&mut err) }
}

fn run(vault: &Path, args: &[&str]) -> Run {
    run_env(vault, args, &[])
}

/// The robustness contract every hostile run must keep.
fn assert_sane(r: &Run) {
    let code = r.code();
    assert!((0..=2).contains(&code), "{}: exit code {code}\nstderr:\n{}", r.what, tail(&r.stderr));
    assert!(!r.stderr.contains("panicked"), "{}: panicked\nstderr:\n{}", r.what, tail(&r.stderr));
}

/// One finding of `check --format json`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Finding {
    path: String,
    line: u64,
    column: u64,
    code: String,
    message: String,
}

/// `check --today TODAY --format json`: the run and its findings (empty when exit 2).
fn check(vault: &Path) -> (Run, Vec<Finding>) {
    let r = run(vault, &["check", "--today", TODAY, "--format", "json"]);
    assert_sane(&r);
    if r.code() == 2 {
        return (r, Vec::new());
    }
    let json: Json = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("check --format json printed no JSON ({e}):\n{}", tail(&r.stdout)));
    let findings = json
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|f| Finding {
            path: f["path"].as_str().unwrap_or_default().to_owned(),
            line: f["line"].as_u64().unwrap_or(0),
            column: f["column"].as_u64().unwrap_or(0),
            code: f["code"].as_str().unwrap_or_default().to_owned(),
            message: f["message"].as_str().unwrap_or_default().to_owned(),
        })
        .collect::<Vec<_>>();
    for f in &findings {
        assert!(f.line >= 1 && f.column >= 1, "finding without a position: {f:?}");
    }
    (r, findings)
}

/// `report --today TODAY`.
fn report(vault: &Path) -> Run {
    let r = run(vault, &["report", "--today", TODAY]);
    assert_sane(&r);
    r
}

/// Runs `check` and `report` on a vault; the report must succeed (a hostile note is a
/// finding, not a reason to stop writing) and leave both generated notes.
fn check_and_report(vault: &Path) -> Vec<Finding> {
    let (_, findings) = check(vault);
    // With no client, report writes nothing: give it one, so the notes are written.
    write(vault, "Client of the report.md", "---\ntype: client\n---\n");
    let r = report(vault);
    assert_eq!(r.code(), 0, "report failed:\n{}", tail(&r.stderr));
    for name in ["Reminders.md", "Dashboard.md"] {
        let text = read(vault, &format!("CRM/{name}"));
        assert!(text.contains("rapport: generated") && text.contains("as_of: 2026-11-23"), "CRM/{name}:\n{text}");
    }
    findings
}

/// Codes reported for one note.
fn codes(findings: &[Finding], path: &str) -> Vec<String> {
    findings.iter().filter(|f| f.path == path).map(|f| f.code.clone()).collect()
}

/// Lines of one note that carry a given code.
fn lines_with(findings: &[Finding], path: &str, code: &str) -> Vec<u64> {
    let mut v: Vec<u64> = findings.iter().filter(|f| f.path == path && f.code == code).map(|f| f.line).collect();
    v.sort_unstable();
    v
}

/// Findings other than `report-stale`, which every fresh vault has.
fn notable(findings: &[Finding]) -> Vec<&Finding> {
    findings.iter().filter(|f| f.code != "report-stale").collect()
}

/// All files under `dir` (relative paths) with their bytes; symlinks listed by target.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).expect("under dir").to_path_buf();
            let t = e.file_type().expect("file type");
            if t.is_symlink() {
                out.push((rel, fs::read_link(&p).map(|l| l.into_os_string().into_encoded_bytes()).unwrap_or_default()));
            } else if t.is_dir() {
                out.push((rel, b"<dir>".to_vec()));
                stack.push(p);
            } else {
                out.push((rel, fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

/// True when this process can read a file whose mode is 000 (root, CAP_DAC_OVERRIDE).
fn permissions_are_bypassed(dir: &Path) -> bool {
    let probe = dir.join(".rapport-permission-probe");
    fs::write(&probe, "x").expect("write probe");
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).expect("chmod probe");
    let bypassed = fs::File::open(&probe).is_ok();
    let _ = fs::set_permissions(&probe, fs::Permissions::from_mode(0o600));
    let _ = fs::remove_file(&probe);
    bypassed
}

// ---------------------------------------------------------------------------------------
// Hostile YAML
// ---------------------------------------------------------------------------------------

#[test]
fn yaml_alias_bomb_is_bounded() {
    let (_tmp, v) = vault("hostile/alias-bomb");
    let f = check_and_report(&v);
    assert!(codes(&f, "bomb.md").contains(&"frontmatter-invalid".to_owned()), "{f:?}");
    // The body is still read after bad frontmatter: its link to Target resolves.
    assert!(lines_with(&f, "bomb.md", "link-broken").is_empty(), "{f:?}");
    // The merge-key variant (`<<: *m`) must be bounded too; whether it is an error is
    // up to the YAML crate, so only the robustness contract is asserted for it.
}

#[test]
fn yaml_deeply_nested_flow_and_block_is_refused() {
    let (_tmp, v) = vault("hostile/yaml-deep");
    let f = check_and_report(&v);
    for note in ["flow-seq.md", "flow-map.md", "block-map.md", "block-seq.md", "dash-seq.md"] {
        assert_eq!(codes(&f, note), vec!["frontmatter-invalid"], "{note}: {f:?}");
    }
    assert!(codes(&f, "ok.md").is_empty(), "{f:?}");
}

#[test]
fn yaml_deep_nesting_generated_up_to_the_size_limit() {
    // Just under the 256 KiB frontmatter limit: the depth check, not the size check,
    // must stop these before the YAML parser sees them.
    let (_tmp, v) = empty_vault();
    let n = 120_000;
    write(&v, "flow.md", &format!("---\na: {}{}\n---\n", "[".repeat(n), "]".repeat(n)));
    write(&v, "map.md", &format!("---\na: {}1{}\n---\n", "{x: ".repeat(n / 4), "}".repeat(n / 4)));
    write(&v, "open.md", &format!("---\na: {}\n---\n", "[".repeat(n)));
    let f = check_and_report(&v);
    for note in ["flow.md", "map.md", "open.md"] {
        assert_eq!(codes(&f, note), vec!["frontmatter-invalid"], "{note}: {f:?}");
    }
}

/// The depth pre-check (`too_deep` in src/parse/frontmatter.rs) toggles its "inside quotes"
/// state on every `"` and does not know `\"` escapes, so after `"\""` everything on the
/// line looks quoted and any nesting passes unseen to serde_yaml, whose scanner is
/// quadratic in flow depth on one line. Release build: 2.6 s for this 80 KB note
/// (40,000 brackets), 17-23 s for 200 KB (100,000, still under the 256 KiB size
/// limit); a debug build takes ~50 s for the latter.
#[test]

fn yaml_escaped_quote_does_not_bypass_the_depth_check() {
    let (_tmp, v) = empty_vault();
    let n = 40_000;
    write(&v, "esc.md", &format!("---\na: [\"\\\"\", {}{}]\n---\n", "[".repeat(n), "]".repeat(n)));
    let (_, f) = check(&v);
    assert_eq!(codes(&f, "esc.md"), vec!["frontmatter-invalid"], "{f:?}");
    // Refused by the depth check before parsing, not by the YAML crate after its
    // quadratic scan: which of the two said no is the work counted, not the time taken.
    assert!(f.iter().any(|f| f.path == "esc.md" && f.message.contains("levels deep")), "{f:?}");
}

/// The fast path for flat frontmatter (`simple::parse`) accepts plain scalars with C0
/// control characters, which YAML forbids: `a: x<NUL>y` gives no diagnostic, while the same
/// line next to one nested property (so the YAML crate reads the block) is
/// `frontmatter-invalid` ("control characters are not allowed").
#[test]

fn yaml_control_characters_are_invalid_on_the_fast_path_too() {
    use rapport::Code;
    let slow = rapport::parse_note("slow.md", "---\na: x\u{0}y\nb: {c: 1}\n---\n");
    assert_eq!(slow.diagnostics.first().map(|d| d.code), Some(Code::FrontmatterInvalid));
    for text in ["---\na: x\u{0}y\n---\n", "---\na: \"x\u{1}y\"\n---\n", "---\ntags: [a\u{0}b]\n---\n"] {
        let fast = rapport::parse_note("fast.md", text);
        assert_eq!(fast.diagnostics.first().map(|d| d.code), Some(Code::FrontmatterInvalid), "{text:?}");
    }
}

/// Frontmatter with tens of thousands of keys is quadratic in src/parse/frontmatter.rs:
/// the fast path checks each key for duplicates against all earlier ones
/// (`out.iter().any(..)`), and the YAML-crate path looks each key's line up in
/// `key_lines` with a linear `find` that lower-cases both sides (allocating) on every
/// comparison. Release build: 43,000 keys in 254 KB (under the 256 KiB limit) take
/// 1.4 s on the fast path and 16.9 s when one nested property sends the block to the YAML
/// crate; the 20,000 keys (189 KB) below take 0.3 s and 3.6 s.
#[test]

fn frontmatter_with_many_keys() {
    let (_tmp, v) = empty_vault();
    let keys: String = (0..20_000).map(|i| format!("k{i}: v\n")).collect();
    write(&v, "fast.md", &format!("---\n{keys}---\n"));
    write(&v, "slow.md", &format!("---\nnested: {{a: 1}}\n{keys}---\n"));
    let f = check_and_report(&v);
    assert!(notable(&f).is_empty(), "{:?}", notable(&f));
}

// ---------------------------------------------------------------------------------------
// Hostile Markdown
// ---------------------------------------------------------------------------------------

#[test]
fn markdown_deeply_nested_quotes_and_lists() {
    let (_tmp, v) = vault("hostile/md-deep");
    // Deeper than is worth committing: 2,000 levels of indented list items (4 MB),
    // 10,000 nested quote lines, and alternating quote/list nesting.
    let mut indented = String::new();
    for i in 0..2000 {
        indented.push_str(&"  ".repeat(i));
        indented.push_str("- [ ] item [[Deep]]\n");
    }
    write(&v, "gen-indented.md", &indented);
    let mut quotes = String::new();
    for i in 1..=10_000 {
        quotes.push_str(&">".repeat(i % 200 + 1));
        quotes.push_str(" line #tag\n");
    }
    write(&v, "gen-quotes.md", &quotes);
    write(&v, "gen-quote-list.md", &format!("{}[[Deep]]\n", "> 1. ".repeat(10_000)));
    let f = check_and_report(&v);
    // Nothing here is broken: [[Deep]] exists at every depth. (brackets.md, 5,000 nested
    // `[`, holds the wikilinks `[[x]]` and `[[[]]]`, which are.)
    let unexpected: Vec<_> = notable(&f).into_iter().filter(|f| f.path != "brackets.md").collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
    assert_eq!(lines_with(&f, "brackets.md", "link-broken"), vec![1, 3], "{f:?}");
}

#[test]
fn markdown_ten_megabyte_single_line() {
    let (_tmp, v) = empty_vault();
    let mut line = "lorem ipsum dolor ".repeat(10 * 1024 * 1024 / 18);
    line.push_str("[[Missing]]");
    write(&v, "long.md", &format!("{line}\n"));
    // The same 10 MB line as a property value: over the frontmatter size limit.
    write(&v, "long-frontmatter.md", &format!("---\nk: {line}\n---\nbody\n"));
    let f = check_and_report(&v);
    let broken: Vec<&Finding> = f.iter().filter(|f| f.path == "long.md").collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!((broken[0].code.as_str(), broken[0].line), ("link-broken", 1));
    assert_eq!(broken[0].column as usize, line.len() - "[[Missing]]".len() + 1, "column counts characters");
    assert!(codes(&f, "long-frontmatter.md").contains(&"frontmatter-invalid".to_owned()), "{f:?}");
}

#[test]
fn markdown_hundred_thousand_links_one_per_line() {
    let (_tmp, v) = empty_vault();
    write(&v, "Target.md", "# Target\n\n## Heading\n");
    let mut text = String::with_capacity(2_000_000);
    for i in 0..100_000 {
        match i % 10 {
            0 => text.push_str(&format!("- [[Gone {i}]]\n")),
            1 => text.push_str("- [[Target#Heading|t]]\n"),
            2 => text.push_str("- [t](Target.md)\n"),
            _ => text.push_str("- [[Target]]\n"),
        }
    }
    write(&v, "links.md", &text);
    let f = check_and_report(&v);
    assert_eq!(lines_with(&f, "links.md", "link-broken").len(), 10_000);
    assert_eq!(notable(&f).len(), 10_000, "only the 10,000 broken links are findings");
}

/// `LineIndex::position` (src/diagnostics.rs) counts the characters from the start of the
/// line up to each offset, so N links on one line of length L cost O(N·L): 100,000 links
/// on one line take 3 s (all resolving) to 6 s (all broken) in a release build, far over
/// the 1 s budget, and minutes in a debug build. Profile: 90% in `core::str::count`.
#[test]

fn markdown_hundred_thousand_links_on_one_line() {
    let (_tmp, v) = empty_vault();
    write(&v, "Target.md", "# Target\n");
    write(&v, "links.md", &format!("{}\n", "[[Target]] ".repeat(100_000)));
    write(&v, "broken.md", &format!("{}\n", (0..100_000).map(|i| format!("[[n{i}]]")).collect::<Vec<_>>().join(" ")));
    let f = check_and_report(&v);
    assert_eq!(lines_with(&f, "broken.md", "link-broken").len(), 100_000);
}

/// `resolve::has_anchor` rebuilds the normalised key (`heading_key`: NFC, lower case,
/// joins) of every heading of the target note for every `#Heading` link, so L anchor
/// links into a note with H headings cost O(L·H) allocations. Release build: 10,000
/// headings and 20,000 links take 10 s; 30,000 and 60,000 take 92 s. The 20,000 / 40,000
/// below would take about 40 s in a release build and several minutes in a debug one,
/// past [`KILL_AFTER`]; linear, they take about a second. (Block links `#^id` are a plain
/// linear scan: 0.08 s at 10,000.)
#[test]

fn many_heading_links_into_a_note_with_many_headings() {
    let (_tmp, v) = empty_vault();
    let n = 20_000;
    let mut text: String = (0..n).map(|i| format!("## Heading {i}\n")).collect();
    for i in 0..n {
        text.push_str(&format!("[[#Heading {i}]] [[Big#Heading {i}]]\n"));
    }
    write(&v, "Big.md", &text);
    let f = check_and_report(&v);
    assert!(notable(&f).is_empty(), "{:?}", notable(&f));
}

#[test]
fn many_block_links_into_a_note_with_many_blocks() {
    let (_tmp, v) = empty_vault();
    let n = 10_000;
    let mut text: String = (0..n).map(|i| format!("para ^b{i}\n\n")).collect();
    for i in 0..n {
        text.push_str(&format!("[[#^b{i}]] [[#^x{i}]]\n"));
    }
    write(&v, "Blocks.md", &text);
    let f = check_and_report(&v);
    assert_eq!(lines_with(&f, "Blocks.md", "link-anchor-missing").len(), n);
}

#[test]
fn nul_bytes() {
    let (_tmp, v) = vault("hostile/nul-bytes");
    let f = check_and_report(&v);
    // NUL is valid UTF-8: the notes are read, not rejected as `encoding`.
    assert!(!f.iter().any(|f| f.code == "encoding"), "{f:?}");
    assert_eq!(lines_with(&f, "nul.md", "link-broken"), vec![6], "{f:?}");
}

#[test]
fn invalid_utf8_is_reported_and_the_scan_goes_on() {
    let (_tmp, v) = vault("hostile/invalid-utf8");
    let f = check_and_report(&v);
    for note in ["latin1.md", "truncated.md", "overlong.md"] {
        assert_eq!(codes(&f, note), vec!["encoding"], "{note}: {f:?}");
    }
    let latin1 = f.iter().find(|f| f.path == "latin1.md").expect("finding");
    assert_eq!((latin1.line, latin1.column), (4, 4), "position of the first bad byte");
    // The good note beside them is still read.
    assert_eq!(codes(&f, "Good.md"), vec!["link-broken"], "{f:?}");
}

#[test]
fn bom_and_crlf_are_accepted() {
    let (_tmp, v) = vault("hostile/bom-crlf");
    let f = check_and_report(&v);
    assert!(notable(&f).is_empty(), "{:?}", notable(&f));
    // The frontmatter and the CRLF log line were understood.
    let r = run(&v, &["clients", "--today", TODAY, "--json"]);
    assert_sane(&r);
    assert_eq!(r.code(), 0, "{}", r.stderr);
    let clients: Json = serde_json::from_str(&r.stdout).expect("JSON");
    let client = clients
        .as_array()
        .and_then(|a| a.iter().find(|c| c["path"] == "Client.md"))
        .unwrap_or_else(|| panic!("Client.md is a client: {}", r.stdout));
    assert_eq!(client["tier"], "key", "{client}");
    assert_eq!(client["last_contact"], "2026-11-20", "{client}");
}

#[test]
fn frontmatter_only_without_body() {
    let (_tmp, v) = vault("hostile/frontmatter-only");
    let f = check_and_report(&v);
    for note in ["no-newline.md", "newline.md", "empty-block.md", "dots.md"] {
        assert!(codes(&f, note).is_empty(), "{note}: {f:?}");
    }
    for note in ["just-dashes.md", "unterminated.md"] {
        assert_eq!(codes(&f, note), vec!["frontmatter-unterminated"], "{note}: {f:?}");
    }
}

#[test]
fn dashes_inside_code_are_not_frontmatter() {
    let (_tmp, v) = vault("hostile/dashes-in-code");
    let f = check_and_report(&v);
    // No frontmatter diagnostics, and nothing inside the code counts as a link.
    assert!(notable(&f).is_empty(), "{:?}", notable(&f));
    let r = run(&v, &["clients", "--today", TODAY, "--json"]);
    assert_sane(&r);
    assert!(!r.stdout.contains("fenced-first.md"), "`type: client` inside a code block made a client: {}", r.stdout);
}

#[test]
fn unterminated_code_fences_run_to_the_end() {
    let (_tmp, v) = vault("hostile/unterminated-fence");
    let f = check_and_report(&v);
    // An unclosed fence, `%%` comment or HTML comment hides everything after it.
    for note in ["backticks.md", "tildes.md", "comment.md"] {
        assert!(codes(&f, note).is_empty(), "{note}: {f:?}");
    }
    // inline.md (unmatched backtick runs, unclosed `$$`) only has to survive.
}

#[test]
fn brackets_and_pipes_inside_aliases_and_links() {
    let (_tmp, v) = vault("hostile/brackets-pipes");
    let f = check_and_report(&v);
    // `[[Sq]uare]]` (in text, a table and a property) reaches `Sq]uare.md`.
    assert!(!f.iter().any(|f| f.message.contains("Sq]uare")), "{f:?}");
    // `[[a]]b]]` ends at the first `]]`; `[[x|y]]` targets `x`; an alias is no target.
    assert!(f.iter().any(|f| f.path == "links.md" && f.code == "link-broken" && f.message.contains("[[a]]")));
    assert!(f.iter().any(|f| f.path == "links.md" && f.code == "link-broken" && f.message.contains("[[x]]")));
    assert!(!lines_with(&f, "props.md", "link-broken").is_empty(), "{f:?}");
}

// ---------------------------------------------------------------------------------------
// The file system: links out, symlinks, permissions, vanishing files, output folder
// ---------------------------------------------------------------------------------------

#[test]
fn links_that_climb_out_of_the_vault_are_broken() {
    let (tmp, v) = vault("hostile/climb-out");
    let beside = v.parent().expect("parent");
    assert!(beside.starts_with(tmp.path()));
    // Real files just outside the vault: a resolver that touched the file system would
    // find them.
    fs::write(beside.join("secret.md"), "# secret\n").expect("write secret");
    // A FIFO outside: opening it to read would block forever (the run would be killed).
    let fifo = beside.join("fifo.md");
    let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    // A symlink inside the vault to the folder outside: not followed.
    symlink(beside, v.join("outside")).expect("symlink");
    write(&v, "more.md", "[[../fifo]]\n[f](../fifo.md)\n[[outside/secret]]\n[o](outside/secret.md)\n");
    let f = check_and_report(&v);
    assert_eq!(lines_with(&f, "climb.md", "link-broken"), (1..=8).collect::<Vec<_>>(), "{f:?}");
    assert_eq!(lines_with(&f, "Sub/deeper.md", "link-broken"), vec![1, 2], "{f:?}");
    assert_eq!(lines_with(&f, "more.md", "link-broken"), vec![1, 2, 3, 4], "{f:?}");
    assert!(!f.iter().any(|f| f.path.starts_with("outside/")), "followed a symlink out: {f:?}");
    // Nothing was written beside the vault.
    let mut names: Vec<String> =
        fs::read_dir(beside).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let mut expected = vec!["climb-out", "secret.md"];
    if made {
        expected.insert(1, "fifo.md");
    }
    assert_eq!(names, expected);
}

#[test]
fn symlink_loops_inside_the_vault() {
    let (_tmp, v) = empty_vault();
    write(&v, "a/b/Note.md", "# Note\n[[Other]]\n");
    write(&v, "Other.md", "# Other\n");
    symlink(&v, v.join("root-loop")).expect("symlink");
    symlink("../..", v.join("a/b/up")).expect("symlink");
    symlink("a", v.join("a/self")).expect("symlink");
    symlink("self.md", v.join("self.md")).expect("symlink");
    symlink("pong.md", v.join("ping.md")).expect("symlink");
    symlink("ping.md", v.join("pong.md")).expect("symlink");
    let f = check_and_report(&v);
    assert!(notable(&f).is_empty(), "symlinks are not notes and not followed: {:?}", notable(&f));
}

#[test]
fn unreadable_note() {
    let (_tmp, v) = empty_vault();
    write(&v, "Locked.md", "---\ntype: client\n---\n# Locked\n");
    write(&v, "Open.md", "[[Nowhere]]\n");
    write(&v, "Closed/Inner.md", "# Inner\n");
    let bypassed = permissions_are_bypassed(&v);
    fs::set_permissions(v.join("Locked.md"), fs::Permissions::from_mode(0o000)).expect("chmod");
    fs::set_permissions(v.join("Closed"), fs::Permissions::from_mode(0o000)).expect("chmod");
    let (_, f) = check(&v);
    let r = report(&v);
    fs::set_permissions(v.join("Closed"), fs::Permissions::from_mode(0o755)).expect("chmod back");
    fs::set_permissions(v.join("Locked.md"), fs::Permissions::from_mode(0o644)).expect("chmod back");
    // The other notes are read whatever happens to the locked ones.
    assert_eq!(lines_with(&f, "Open.md", "link-broken"), vec![1], "{f:?}");
    if bypassed {
        // Running as root (or with CAP_DAC_OVERRIDE): mode 000 does not stop reads, so
        // there is nothing to report; only the robustness contract is checked.
        eprintln!("unreadable_note: permissions do not stop reads here (root); only no-panic asserted");
        assert_eq!(r.code(), 0, "{}", r.stderr);
    } else {
        assert_eq!(codes(&f, "Locked.md"), vec!["unreadable"], "{f:?}");
        assert_eq!(r.code(), 0, "an unreadable note is a finding, not a failed report: {}", r.stderr);
    }
}

#[test]
fn dangling_symlink_is_no_note() {
    let (_tmp, v) = empty_vault();
    write(&v, "Here.md", "# Here\n[[gone]]\n");
    symlink("nowhere.md", v.join("gone.md")).expect("symlink");
    symlink("/nonexistent/dir", v.join("Gone Folder")).expect("symlink");
    let f = check_and_report(&v);
    // Symlinks are not followed, so `gone.md` is no note and the link is broken.
    assert!(codes(&f, "gone.md").is_empty(), "{f:?}");
    assert_eq!(lines_with(&f, "Here.md", "link-broken"), vec![2], "{f:?}");
}

/// Files deleted while a run walks and reads the vault. The timing cannot be forced from
/// outside the process, so this races a deleting thread against several runs on a vault
/// big enough for the walk and the reads to overlap the deletions; whatever the
/// interleaving, a run must not panic or fail. (The vanish-between-walk-and-read path is
/// `scan::read_note` returning `None` on `NotFound`.)
#[test]
fn files_removed_during_a_run() {
    let (_tmp, v) = empty_vault();
    let make = |round: usize| {
        for i in 0..1500 {
            write(
                &v,
                &format!("F{}/n{i}.md", i % 30),
                &format!("---\ntype: person\n---\n# {round} {i}\n[[n{}]]\n", i + 1),
            );
        }
    };
    for round in 0..4 {
        make(round);
        let v2 = v.clone();
        let deleter = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(2 * round as u64));
            for d in 0..30 {
                let dir = v2.join(format!("F{d}"));
                if d % 3 == 0 {
                    let _ = fs::remove_dir_all(&dir);
                } else if let Ok(entries) = fs::read_dir(&dir) {
                    for e in entries.flatten().step_by(2) {
                        let _ = fs::remove_file(e.path());
                    }
                }
            }
        });
        let r =
            if round % 2 == 0 { run(&v, &["check", "--today", TODAY]) } else { run(&v, &["report", "--today", TODAY]) };
        deleter.join().expect("deleter");
        assert_sane(&r);
        if round % 2 == 1 {
            assert_ne!(r.code(), 2, "a vanished note must not fail the report: {}", r.stderr);
        }
    }
}

#[test]
fn hostile_file_names() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt as _;
    let (_tmp, v) = empty_vault();
    // Two names that are not UTF-8 and read the same once made lossy, a newline, a
    // control character, a name that is only spaces, and a very long name.
    fs::write(v.join(OsStr::from_bytes(b"caf\xe9.md")), "# a\n[[x]]\n").expect("write");
    fs::write(v.join(OsStr::from_bytes(b"caf\xe8.md")), "# b\n").expect("write");
    write(&v, "line\nbreak.md", "[[caf\u{fffd}]]\n");
    write(&v, "bell\u{7}.md", "[[line\nbreak]]\n");
    write(&v, "   .md", "[[   ]]\n");
    write(&v, &format!("{}.md", "ж".repeat(120)), "# long\n");
    write(&v, "dir.md/inner.md", "a folder named like a note\n");
    let _ = check_and_report(&v);
}

#[test]
fn output_folder_symlinked_outside_is_refused() {
    let (tmp, v) = empty_vault();
    write(&v, "Client.md", "---\ntype: client\ntier: key\n---\n# Client\n");
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).expect("mkdir");
    fs::write(outside.join("Reminders.md"), "not rapport's\n").expect("write");
    symlink(&outside, v.join("CRM")).expect("symlink");
    let outside_before = snapshot(&outside);
    for args in [&["report", "--today", TODAY][..], &["report", "--today", TODAY, "--force"]] {
        let r = run(&v, args);
        assert_sane(&r);
        assert_eq!(r.code(), 2, "{}: {}", r.what, r.stderr);
    }
    let (_, _) = check(&v);
    assert_eq!(snapshot(&outside), outside_before, "nothing written outside the vault");
    // A symlink deeper in a configured output path.
    write(&v, "rapport.toml", "output_dir = \"Out/CRM\"\n");
    symlink(&outside, v.join("Out")).expect("symlink");
    let before = snapshot(tmp.path());
    let r = report(&v);
    assert_eq!(r.code(), 2, "{}", r.stderr);
    assert_eq!(snapshot(tmp.path()), before, "nothing written anywhere");
}

#[test]
fn output_dir_outside_the_vault_is_refused() {
    let (tmp, v) = vault("hostile/output-escape");
    let before = snapshot(tmp.path());
    let r = report(&v);
    assert_eq!(r.code(), 2, "{}", r.stderr);
    let (_, _) = check(&v);
    assert_eq!(snapshot(tmp.path()), before, "nothing written for output_dir = \"../x\"");
    let abs = tmp.path().join("abs");
    for dir in [abs.display().to_string(), "CRM/../../x".to_owned(), "./../x".to_owned()] {
        write(&v, "rapport.toml", &format!("output_dir = {dir:?}\n"));
        let before = snapshot(tmp.path());
        let r = report(&v);
        assert_eq!(r.code(), 2, "output_dir = {dir:?}: {}", r.stderr);
        assert_eq!(snapshot(tmp.path()), before, "nothing written for output_dir = {dir:?}");
    }
    assert!(!abs.exists());
}

// ---------------------------------------------------------------------------------------
// Property tests: the parsers never panic
// ---------------------------------------------------------------------------------------

/// The invariants of a parsed note: every position is 1-based.
fn assert_positions(note: &rapport::Note) -> Result<(), TestCaseError> {
    for d in &note.diagnostics {
        prop_assert!(d.line >= 1 && d.column >= 1, "diagnostic at {}:{}: {:?}", d.line, d.column, d);
    }
    for l in &note.links {
        prop_assert!(l.line >= 1 && l.column >= 1, "link at {}:{}: {:?}", l.line, l.column, l);
    }
    Ok(())
}

/// Pieces of Markdown, Obsidian and YAML syntax that meet at edge cases.
fn note_fragment() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "---",
        "...",
        "\n",
        "\n",
        "\n",
        "\r\n",
        "\r",
        "\u{feff}",
        "\0",
        " ",
        "  ",
        "    ",
        "\t",
        "[[",
        "]]",
        "![[",
        "[",
        "]",
        "(",
        ")",
        "|",
        "\\|",
        "\\",
        "#",
        "#^",
        "^blk",
        "#tag",
        "#1984",
        "%%",
        "`",
        "```",
        "~~~",
        "$",
        "$$",
        "<!--",
        "-->",
        "<span>",
        "- ",
        "- [ ] ",
        "- [x] ",
        "- [-] ",
        "* ",
        "1. ",
        "> ",
        "::",
        "key:: ",
        "[due:: 2026-12-01]",
        "(k:: v)",
        "📅 2026-12-01",
        "📅\u{fe0f}\u{a0}2026-02-30",
        "⏳ ",
        "✅ 2026-11-10",
        "❌",
        "🔁 every week",
        "2026-11-20",
        "2026-11-20T14:30",
        "## ",
        "Acme",
        "Иван Петров",
        "e\u{301}",
        "🚀",
        "\u{200b}",
        "key: ",
        "tags: ",
        "aliases: ",
        "type: client",
        "\"",
        "'",
        "\\\"",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "<<: ",
        "!!str ",
        "? ",
        ": ",
        "-",
        "|-",
        ">-",
        "%20",
        "](",
        "[t](",
        ".md",
        "../",
        "/",
        "|",
        "&#x5b;",
        "\u{2028}",
    ]);
    prop_oneof![
        8 => pieces.prop_map(str::to_owned),
        1 => proptest::collection::vec(any::<char>(), 0..8).prop_map(String::from_iter),
    ]
}

fn note_text() -> impl Strategy<Value = String> {
    (any::<bool>(), proptest::collection::vec(note_fragment(), 0..80)).prop_map(|(fm, parts)| {
        let body = parts.concat();
        if fm { format!("---\n{body}") } else { body }
    })
}

/// Pieces of TOML and of rapport.toml's keys and values.
fn config_fragment() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\n",
        "\n",
        " ",
        "=",
        " = ",
        "\"",
        "'",
        "\"\"\"",
        "'''",
        "[",
        "]",
        "[[",
        "]]",
        "{",
        "}",
        ",",
        "#",
        ".",
        "\\",
        "\\u0000",
        "\\uD800",
        "\u{feff}",
        "\0",
        "\r\n",
        "Ё",
        "output_dir",
        "lang",
        "soon_days",
        "feedback_sla_days",
        "ignore",
        "[cadence]",
        "key",
        "supporting",
        "after_project",
        "[daily_notes]",
        "folder",
        "format",
        "[kinds]",
        "tags",
        "folders",
        "categories",
        "[properties]",
        "[severity]",
        "link-broken",
        "report-stale",
        "\"CRM\"",
        "\"../x\"",
        "\"/abs\"",
        "\"\"",
        "\"ru\"",
        "\"en\"",
        "\"xx\"",
        "7",
        "-1",
        "4294967296",
        "99999999999999999999",
        "1e400",
        "nan",
        "true",
        "1979-05-27T07:32:00Z",
        "\"14d\"",
        "\"P1Y2M3D\"",
        "\"0d\"",
        "\"4294967295 years\"",
        "\"2 weeks and 3 days\"",
        "\"weekly\"",
        "\"off\"",
        "\"error\"",
        "\"warning\"",
        "\"client\"",
        "\"person\"",
        "\"[[People]]\"",
        "\"**\"",
        "\"[bad\"",
        "\"{a,b}\"",
        "\"YYYY-MM-DD\"",
    ]);
    prop_oneof![
        8 => pieces.prop_map(str::to_owned),
        1 => proptest::collection::vec(any::<char>(), 0..8).prop_map(String::from_iter),
    ]
}

fn check_config(text: &str) -> Result<(), TestCaseError> {
    if let Err(rapport::ConfigError::Invalid { line, column, .. }) = rapport::parse_config(text, "rapport.toml") {
        prop_assert!(line >= 1 && column >= 1, "config error at {line}:{column}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parse_bytes_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        assert_positions(&rapport::parse_bytes("p/n.md", &bytes))?;
    }

    #[test]
    fn config_parse_never_panics_on_arbitrary_strings(chars in proptest::collection::vec(any::<char>(), 0..300)) {
        check_config(&String::from_iter(chars))?;
    }

    #[test]
    fn parse_bytes_never_panics_on_arbitrary_strings(chars in proptest::collection::vec(any::<char>(), 0..300)) {
        let s = String::from_iter(chars);
        assert_positions(&rapport::parse_bytes("p/n.md", s.as_bytes()))?;
        assert_positions(&rapport::parse_note("p/n.md", &format!("---\n{s}\n---\n{s}")))?;
    }
}

proptest! {
    // The structured inputs find more per case and are cheap: more of them (~0.5 s).
    #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parse_bytes_never_panics_on_markdown_and_yaml_fragments(text in note_text()) {
        assert_positions(&rapport::parse_bytes("p/n.md", text.as_bytes()))?;
        // And cut in the middle, often inside a multi-byte character (not UTF-8 then).
        let b = text.as_bytes();
        assert_positions(&rapport::parse_bytes("p/n.md", &b[..b.len() / 2]))?;
    }

    #[test]
    fn config_parse_never_panics_on_toml_fragments(parts in proptest::collection::vec(config_fragment(), 0..60)) {
        check_config(&parts.concat())?;
    }
}

/// Output piped into a reader that stops early (`rapport due | head -1`, also with
/// `2>&1`) ends the output quietly, as a closed pipe ends `cat`'s: no panic, and the
/// command's own exit code.
#[test]
fn closed_output_pipe_ends_quietly() {
    let (_t, v) = vault("demo");
    // A pipe whose reader has already gone.
    let closed = || {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        writer
    };
    let run = |args: &[&str], stdout: std::io::PipeWriter, stderr: Stdio| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
        cmd.arg("--vault").arg(&v).args(args).env("NO_COLOR", "1").stdout(stdout).stderr(stderr);
        cmd.output().expect("run rapport")
    };
    for args in [&["due", "--today", "2026-11-23"][..], &["check", "--today", "2026-11-23"], &["report", "--dry-run"]] {
        let expected = rapport(&v, args).status.code();
        let out = run(args, closed(), Stdio::piped());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), expected, "{args:?}: {err}");
        // `2>&1 | head`: the messages on stderr meet the closed pipe too.
        let pipe = closed();
        let both = run(args, pipe.try_clone().expect("clone pipe"), Stdio::from(pipe));
        assert_eq!(both.status.code(), expected, "{args:?} with stderr closed too");
    }
}
