//! Findings about notes, as data: a stable code, a place, a message and a hint.
//!
//! Diagnostics are not errors: a bad note yields one and the run goes on. They are
//! rendered for people (`path:line:col: severity[code]: message`), for machines (JSON)
//! and for GitHub workflow annotations.

use std::fmt::Write as _;
use std::str::FromStr;

use serde::Serialize;

/// How serious a finding is. Ordered: `Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!("expected `error` or `warning`, found `{s}`")),
        }
    }
}

/// The stable check codes of SPEC §5. Their names never change: CI configs depend on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    Encoding,
    FrontmatterInvalid,
    FrontmatterUnterminated,
    PropertyInvalid,
    LinkBroken,
    LinkAmbiguous,
    LinkAnchorMissing,
    InteractionNoClient,
    InteractionNoDate,
    ClientDuplicate,
    ContactOverdue,
    NextStepOverdue,
    FeedbackWaiting,
    ReportStale,
    GeneratedEdited,
    /// Not a SPEC code: a file that could not be read at all (permissions, vanished).
    Unreadable,
}

impl Code {
    pub const ALL: [Code; 16] = [
        Code::Encoding,
        Code::FrontmatterInvalid,
        Code::FrontmatterUnterminated,
        Code::PropertyInvalid,
        Code::LinkBroken,
        Code::LinkAmbiguous,
        Code::LinkAnchorMissing,
        Code::InteractionNoClient,
        Code::InteractionNoDate,
        Code::ClientDuplicate,
        Code::ContactOverdue,
        Code::NextStepOverdue,
        Code::FeedbackWaiting,
        Code::ReportStale,
        Code::GeneratedEdited,
        Code::Unreadable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Encoding => "encoding",
            Code::FrontmatterInvalid => "frontmatter-invalid",
            Code::FrontmatterUnterminated => "frontmatter-unterminated",
            Code::PropertyInvalid => "property-invalid",
            Code::LinkBroken => "link-broken",
            Code::LinkAmbiguous => "link-ambiguous",
            Code::LinkAnchorMissing => "link-anchor-missing",
            Code::InteractionNoClient => "interaction-no-client",
            Code::InteractionNoDate => "interaction-no-date",
            Code::ClientDuplicate => "client-duplicate",
            Code::ContactOverdue => "contact-overdue",
            Code::NextStepOverdue => "next-step-overdue",
            Code::FeedbackWaiting => "feedback-waiting",
            Code::ReportStale => "report-stale",
            Code::GeneratedEdited => "generated-edited",
            Code::Unreadable => "unreadable",
        }
    }

    /// What the code is about, in a few words (for `check --help`).
    pub fn about(self) -> &'static str {
        match self {
            Code::Encoding => "a note that is not valid UTF-8",
            Code::FrontmatterInvalid => "frontmatter that is not valid YAML, too large or too deep",
            Code::FrontmatterUnterminated => "a frontmatter block with no closing `---`",
            Code::PropertyInvalid => "a property value that cannot be read (date, tier, status…)",
            Code::LinkBroken => "a link that leads to no note or file",
            Code::LinkAmbiguous => "a link that matches several notes",
            Code::LinkAnchorMissing => "a link to a heading or block the note does not have",
            Code::InteractionNoClient => "an interaction that names no client",
            Code::InteractionNoDate => "an interaction without a date",
            Code::ClientDuplicate => "two clients with the same name or alias",
            Code::ContactOverdue => "a client not contacted within its cadence",
            Code::NextStepOverdue => "an open next step past its due date",
            Code::FeedbackWaiting => "feedback not answered within `feedback_sla_days`",
            Code::ReportStale => "a generated note missing or out of date",
            Code::GeneratedEdited => "a generated note edited by hand, or a file in its place",
            Code::Unreadable => "a note that cannot be read, or is over the size limit",
        }
    }

    /// True for the codes whose outcome depends on today's date, not only on the notes:
    /// they can change from one day to the next with no edit (`check --skip-dated`).
    pub fn depends_on_today(self) -> bool {
        matches!(self, Code::ContactOverdue | Code::NextStepOverdue | Code::FeedbackWaiting | Code::ReportStale)
    }

    /// The severity SPEC §5 gives each code before config changes it.
    pub fn default_severity(self) -> Severity {
        match self {
            Code::LinkBroken
            | Code::LinkAmbiguous
            | Code::LinkAnchorMissing
            | Code::ContactOverdue
            | Code::NextStepOverdue
            | Code::FeedbackWaiting
            | Code::ReportStale => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl FromStr for Code {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| format!("unknown check code `{s}`"))
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One finding. `line` and `column` are 1-based; the column counts characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, path: &str, line: u32, column: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_owned(),
            line,
            column,
            severity: code.default_severity(),
            code,
            message: message.into(),
            hint: None,
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sort key: by path, then position, then code, so output is stable.
    fn key(&self) -> (&str, u32, u32, Code, &str) {
        (&self.path, self.line, self.column, self.code, &self.message)
    }
}

/// Sorts diagnostics into their stable output order.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| a.key().cmp(&b.key()));
}

/// Renders diagnostics for a person: `path:line:col: severity[code]: message`, then the hint.
pub(crate) fn render_human(diags: &[Diagnostic], color: bool) -> String {
    let mut out = String::new();
    for d in diags {
        let (sev, reset) = match (color, d.severity) {
            (false, _) => (d.severity.as_str().to_owned(), ""),
            (true, Severity::Error) => (format!("\x1b[1;31m{}", d.severity.as_str()), "\x1b[0m"),
            (true, Severity::Warning) => (format!("\x1b[1;33m{}", d.severity.as_str()), "\x1b[0m"),
        };
        let (path, msg) = (visible(&d.path), visible(&d.message));
        let _ = writeln!(out, "{path}:{}:{}: {sev}[{}]{reset}: {msg}", d.line, d.column, d.code.as_str());
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = hint: {}", visible(hint));
        }
    }
    out
}

/// Control characters (a newline in a file name, a NUL in a note) escaped, so one
/// finding stays one line on a terminal.
fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_control) {
        s.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A vault-relative `path` shown from another folder: `base` is the vault's own path from
/// there, with `/` separators, empty when the vault is that folder.
pub(crate) fn shown_from(base: &str, path: &str) -> String {
    if base.is_empty() { path.to_owned() } else { format!("{base}/{path}") }
}

/// The same findings, their paths shown from another folder (see [`shown_from`]).
pub(crate) fn rebased(diags: &[Diagnostic], base: &str) -> Vec<Diagnostic> {
    diags.iter().map(|d| Diagnostic { path: shown_from(base, &d.path), ..d.clone() }).collect()
}

/// Renders diagnostics as one JSON array of objects. `path` stays relative to the vault;
/// `file` is the same file shown from `base` (see [`shown_from`]).
pub(crate) fn render_json(diags: &[Diagnostic], base: &str) -> String {
    #[derive(Serialize)]
    struct Row<'a> {
        #[serde(flatten)]
        d: &'a Diagnostic,
        file: String,
    }
    let rows: Vec<Row<'_>> = diags.iter().map(|d| Row { d, file: shown_from(base, &d.path) }).collect();
    let mut s = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// Renders diagnostics as GitHub Actions workflow commands (annotations).
pub(crate) fn render_github(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut msg = d.message.clone();
        if let Some(h) = &d.hint {
            msg.push('\n');
            msg.push_str(h);
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            gh_escape_prop(&d.path),
            d.line,
            d.column,
            gh_escape_prop(d.code.as_str()),
            gh_escape_data(&msg)
        );
    }
    out
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in Code::ALL {
            assert_eq!(c.as_str().parse::<Code>().unwrap(), c);
        }
    }

    #[test]
    fn human_output_keeps_one_finding_per_line() {
        let d = Diagnostic::new(Code::LinkBroken, "odd\nname.md", 1, 1, "a\u{0}b");
        assert_eq!(render_human(&[d], false), "odd\\nname.md:1:1: warning[link-broken]: a\\u{0}b\n");
    }

    #[test]
    fn json_keeps_the_vault_path_and_adds_the_shown_one() {
        let d = Diagnostic::new(Code::LinkBroken, "Clients/A.md", 2, 3, "m");
        let v: serde_json::Value = serde_json::from_str(&render_json(std::slice::from_ref(&d), "notes")).unwrap();
        assert_eq!((v[0]["path"].as_str(), v[0]["file"].as_str()), (Some("Clients/A.md"), Some("notes/Clients/A.md")));
        let v: serde_json::Value = serde_json::from_str(&render_json(&[d], "")).unwrap();
        assert_eq!(v[0]["file"].as_str(), Some("Clients/A.md"));
    }

    #[test]
    fn github_escapes() {
        let d = Diagnostic::new(Code::LinkBroken, "a,b:c.md", 2, 3, "50% done\nnext");
        let s = render_github(&[d]);
        assert_eq!(s, "::warning file=a%2Cb%3Ac.md,line=2,col=3,title=link-broken::50%25 done%0Anext\n");
    }
}
