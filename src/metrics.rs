//! Metrics stage: graph + today → client states, reminders and portfolio figures.
//!
//! Pure functions: no I/O, no clock. `today` is always a parameter.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{ClientId, Graph, NoteId, Record, TaskText};
use crate::vocab::{
    Cadence, Engagement, FeedbackSeverity, FeedbackStatus, Initiator, State, Status, Tier, UNSPECIFIED,
    next_anniversary, note_name,
};

/// Where an effective cadence came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CadenceSource {
    Own,
    Tier,
    AfterProject,
}

/// The figures of one client on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientFigures {
    pub client: ClientId,
    pub state: State,
    /// The cadence in force; `None` when silent.
    pub cadence: Option<Cadence>,
    pub cadence_source: CadenceSource,
    pub last_contact: Option<NaiveDate>,
    pub days_since: Option<i64>,
    /// `None` when silent.
    pub next_due: Option<NaiveDate>,
    /// The first interaction planned after today.
    pub scheduled: Option<NaiveDate>,
    pub interactions_90d: usize,
    pub interactions_365d: usize,
    pub mean_interval_days: Option<f64>,
    /// Distinct formats used, sorted.
    pub formats: Vec<String>,
    pub initiated_us: usize,
    pub initiated_them: usize,
    pub open_next_steps: usize,
    pub overdue_next_steps: usize,
    pub referrals: usize,
}

/// What a reminder is about, as a word (`due --json`, `due` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DueKind {
    Contact,
    NextStep,
    Feedback,
    Birthday,
    Anniversary,
    MovedOn,
    AfterProject,
}

impl DueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DueKind::Contact => "contact",
            DueKind::NextStep => "next-step",
            DueKind::Feedback => "feedback",
            DueKind::Birthday => "birthday",
            DueKind::Anniversary => "anniversary",
            DueKind::MovedOn => "moved-on",
            DueKind::AfterProject => "after-project",
        }
    }
}

/// One reminder: when it falls due and what it is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Due {
    /// `None` only for a next step without a date.
    pub date: Option<NaiveDate>,
    /// `date - today`; negative when overdue.
    pub days: Option<i64>,
    pub what: Reminder,
}

/// What a reminder is about, with exactly what its line shows. Clients and people are
/// indices into the graph's lists; notes that may come and go between two saves (a
/// task's, a feedback's) are named by id and path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reminder {
    /// Time to hear from a client again, by its cadence.
    Contact { client: ClientId, cadence: Cadence, last_contact: Option<NaiveDate> },
    /// An open task of a client's, in note `note` at `line`.
    NextStep { client: ClientId, note: NoteId, path: Arc<str>, line: u32, text: Arc<TaskText> },
    /// Feedback waiting past its answer deadline; `escalate` for high severity.
    Feedback { client: Option<ClientId>, note: NoteId, path: String, escalate: bool },
    /// A person's birthday (`person` indexes the graph's people).
    Birthday { client: ClientId, person: usize },
    /// Full years with a client since its `since`.
    Anniversary { client: ClientId, years: i32 },
    /// A person left their company recently (`person` indexes the graph's people).
    MovedOn { client: Option<ClientId>, person: usize },
    /// A project ended recently: keep in touch at this cadence.
    AfterProject { client: ClientId, cadence: Cadence },
}

impl Reminder {
    pub fn kind(&self) -> DueKind {
        match self {
            Reminder::Contact { .. } => DueKind::Contact,
            Reminder::NextStep { .. } => DueKind::NextStep,
            Reminder::Feedback { .. } => DueKind::Feedback,
            Reminder::Birthday { .. } => DueKind::Birthday,
            Reminder::Anniversary { .. } => DueKind::Anniversary,
            Reminder::MovedOn { .. } => DueKind::MovedOn,
            Reminder::AfterProject { .. } => DueKind::AfterProject,
        }
    }

    /// The client it concerns, when known.
    pub fn client(&self) -> Option<ClientId> {
        match *self {
            Reminder::Contact { client, .. }
            | Reminder::NextStep { client, .. }
            | Reminder::Birthday { client, .. }
            | Reminder::Anniversary { client, .. }
            | Reminder::AfterProject { client, .. } => Some(client),
            Reminder::Feedback { client, .. } | Reminder::MovedOn { client, .. } => client,
        }
    }

    /// Contacts, next steps and feedback: what is overdue or due soon, as opposed to
    /// dates to know about (birthdays, anniversaries, moves, project ends).
    pub fn is_urgent(&self) -> bool {
        matches!(self, Reminder::Contact { .. } | Reminder::NextStep { .. } | Reminder::Feedback { .. })
    }

    /// High-severity feedback: escalate to management.
    pub fn escalate(&self) -> bool {
        matches!(self, Reminder::Feedback { escalate: true, .. })
    }

    /// The order among reminders of one date: by kind, client, the note it is about
    /// (in path order: clients, people and notes are all listed by path) and line.
    fn order(&self) -> (DueKind, Option<ClientId>, usize, u32) {
        let (subject, line) = match *self {
            Reminder::Contact { client, .. }
            | Reminder::Anniversary { client, .. }
            | Reminder::AfterProject { client, .. } => (client, 1),
            Reminder::NextStep { note, line, .. } => (note, line),
            Reminder::Feedback { note, .. } => (note, 1),
            Reminder::Birthday { person, .. } | Reminder::MovedOn { person, .. } => (person, 1),
        };
        (self.kind(), self.client(), subject, line)
    }
}

impl Due {
    /// A name for this reminder that stays the same across runs while it is the same
    /// thing to do: its kind, the note it is about (`subject_path`) and, for a next step,
    /// the task's text; not its date, so a contact whose due date moves keeps its name
    /// (a calendar updates the event instead of adding one).
    pub fn uid(&self, subject_path: &str) -> String {
        short_id(self.what.kind(), &[subject_path, self.task_text()])
    }

    /// A name for this reminder on its date: ticking it is recorded once, and the same
    /// thing due again on another date is another occurrence.
    pub fn occurrence(&self, subject_path: &str) -> String {
        let date = self.date.map(|d| d.to_string()).unwrap_or_default();
        short_id(self.what.kind(), &[subject_path, self.task_text(), &date])
    }

    /// A next step's text as written; `""` for other reminders.
    fn task_text(&self) -> &str {
        match &self.what {
            Reminder::NextStep { text, .. } => &text.raw,
            _ => "",
        }
    }

    /// The path of the note the reminder is about: the client's, the task's, the
    /// feedback's or the person's.
    pub fn subject_path<'a>(&'a self, g: &'a Graph) -> &'a str {
        match &self.what {
            Reminder::Contact { client, .. }
            | Reminder::Anniversary { client, .. }
            | Reminder::AfterProject { client, .. } => &g.clients[*client].path,
            Reminder::NextStep { path, .. } => path,
            Reminder::Feedback { path, .. } => path,
            Reminder::Birthday { person, .. } | Reminder::MovedOn { person, .. } => &g.people[*person].path,
        }
    }

    /// The line of the subject note it comes from (a task's; 1 otherwise).
    pub fn line(&self) -> u32 {
        match self.what {
            Reminder::NextStep { line, .. } => line,
            _ => 1,
        }
    }
}

/// `kind-` and 12 hex digits of a hash of the parts: letters, digits and dashes only, so it
/// serves as an Obsidian block id and in an iCalendar UID.
fn short_id(kind: DueKind, parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(kind.as_str());
    for p in parts {
        h.update([0]);
        h.update(p.as_bytes());
    }
    let digest = h.finalize();
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("{}-{hex}", kind.as_str())
}

/// Portfolio-wide figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Portfolio {
    pub by_tier: BTreeMap<String, usize>,
    pub by_status: BTreeMap<String, usize>,
    pub by_state: BTreeMap<String, usize>,
    pub active: usize,
    pub active_within_cadence: usize,
    pub retention_base: usize,
    pub retained: usize,
    pub referrals: usize,
    pub promoters: usize,
    pub passives: usize,
    pub detractors: usize,
    pub nps: Option<i64>,
    pub median_answer_days: Option<f64>,
    /// (first day of month, interactions) for the 12 months up to today's.
    pub per_month: Vec<(NaiveDate, usize)>,
    /// Format → interactions in the last 365 days.
    pub formats: BTreeMap<String, usize>,
    pub open_feedback: usize,
    pub value_total: f64,
}

/// Everything computed for one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub today: NaiveDate,
    /// How many days ahead counts as due soon (the config's `soon_days`).
    pub soon_days: u32,
    pub clients: Vec<ClientFigures>,
    pub due: Vec<Due>,
    pub portfolio: Portfolio,
}

fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

fn plus(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_days(Days::new(u64::from(n))).unwrap_or(d)
}

fn minus(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_days(Days::new(u64::from(n))).unwrap_or(d)
}

/// True when a client gets no cadence reminder today.
pub(crate) fn is_silent(status: Status, paused_until: Option<NaiveDate>, today: NaiveDate) -> bool {
    match status {
        Status::Former | Status::Prospect => true,
        Status::Paused => paused_until.is_none_or(|u| u > today),
        Status::Active => false,
    }
}

/// Computes the figures of every client, in client order.
pub(crate) fn client_figures(g: &Graph, config: &Config, today: NaiveDate) -> Vec<ClientFigures> {
    let soon = plus(today, config.soon_days);
    let mut referrals = vec![0usize; g.clients.len()];
    // (open, overdue) next steps per client, counted in one pass.
    let mut steps = vec![(0usize, 0usize); g.clients.len()];
    for s in &g.next_steps {
        steps[s.client].0 += 1;
        if s.due.or(s.scheduled).is_some_and(|d| d < today) {
            steps[s.client].1 += 1;
        }
    }
    for c in &g.clients {
        if let Some(r) = c.referred_by {
            referrals[r] += 1;
        }
    }
    g.clients
        .par_iter()
        .enumerate()
        .map(|(cid, c)| {
            // In date order: the past is a prefix, the first planned one follows it.
            let all = g.interactions_of(cid);
            let past = &all[..all.partition_point(|i| i.date <= today)];
            let last_contact = past.last().map(|i| i.date);
            let scheduled = all.get(past.len()).map(|i| i.date);
            let (cadence, cadence_source) = match (c.cadence, c.engagement, c.project_end) {
                (Some(own), _, _) => (own, CadenceSource::Own),
                (None, Engagement::Project, Some(end)) if end < today => {
                    (config.cadence.after_project, CadenceSource::AfterProject)
                }
                (None, _, _) => (
                    match c.tier {
                        Tier::Key => config.cadence.key,
                        Tier::Supporting => config.cadence.supporting,
                    },
                    CadenceSource::Tier,
                ),
            };
            let silent = is_silent(c.status, c.paused_until, today);
            let next_due = match last_contact {
                Some(last) => cadence.add_to(last),
                None => Some(c.since.unwrap_or(today)),
            };
            let state = if silent {
                State::Silent
            } else if scheduled.is_some() {
                State::Scheduled
            } else {
                match next_due {
                    Some(d) if d < today => State::Overdue,
                    Some(d) if d <= soon => State::Soon,
                    _ => State::Ok,
                }
            };
            let within = |days: u32| past.len() - past.partition_point(|i| i.date <= minus(today, days));
            let distinct_dates = past.windows(2).filter(|w| w[0].date != w[1].date).count() + 1;
            let mean_interval_days = match (past.first(), past.last()) {
                (Some(first), Some(last)) if distinct_dates >= 2 => {
                    Some(days_between(first.date, last.date) as f64 / (distinct_dates - 1) as f64)
                }
                _ => None,
            };
            // Usually a few distinct formats among many interactions: kept unique as they
            // come, and sorted with the rest only past a handful.
            let mut formats: Vec<&str> = Vec::new();
            for f in past.iter().filter_map(|i| i.format.as_deref()) {
                if formats.len() > 16 || !formats.contains(&f) {
                    formats.push(f);
                }
            }
            formats.sort_unstable();
            formats.dedup();
            let formats = formats.into_iter().map(str::to_owned).collect();
            let (open, overdue) = steps[cid];
            ClientFigures {
                client: cid,
                state,
                cadence: (!silent).then_some(cadence),
                cadence_source,
                last_contact,
                days_since: last_contact.map(|d| days_between(d, today)),
                next_due: if silent { None } else { next_due },
                scheduled,
                interactions_90d: within(90),
                interactions_365d: within(365),
                mean_interval_days,
                formats,
                initiated_us: past.iter().filter(|i| i.initiated_by == Some(Initiator::Us)).count(),
                initiated_them: past.iter().filter(|i| i.initiated_by == Some(Initiator::Them)).count(),
                open_next_steps: open,
                overdue_next_steps: overdue,
                referrals: referrals[cid],
            }
        })
        .collect()
}

/// Computes reminders, most urgent first: dated ones by date, then undated next steps.
pub(crate) fn reminders(g: &Graph, config: &Config, today: NaiveDate, figures: &[ClientFigures]) -> Vec<Due> {
    let horizon = plus(today, config.soon_days);
    let mut due = Vec::new();
    let mut push = |date: Option<NaiveDate>, what| {
        due.push(Due { date, days: date.map(|d| days_between(today, d)), what });
    };
    for f in figures {
        let (client, c) = (f.client, &g.clients[f.client]);
        if matches!(f.state, State::Overdue | State::Soon) {
            // Both are known for a client that is not silent.
            if let (Some(next_due), Some(cadence)) = (f.next_due, f.cadence) {
                push(Some(next_due), Reminder::Contact { client, cadence, last_contact: f.last_contact });
            }
        }
        if c.engagement == Engagement::Project {
            if let Some(end) = c.project_end.filter(|&e| e < today && e >= minus(today, 90)) {
                push(Some(end), Reminder::AfterProject { client, cadence: config.cadence.after_project });
            }
        }
        if let Some(since) = c.since.filter(|_| !matches!(c.status, Status::Former | Status::Prospect)) {
            if let Some(next) = next_anniversary(since, today).filter(|&n| {
                n <= plus(today, 14) && n.year() > since.year() && !greeted(g, Record::Anniversary, c.note, n)
            }) {
                push(Some(next), Reminder::Anniversary { client, years: next.year() - since.year() });
            }
        }
    }
    for s in &g.next_steps {
        let date = s.due.or(s.scheduled);
        if date.is_none_or(|d| d <= horizon) {
            let (client, note, path, line, text) = (s.client, s.note, s.path.clone(), s.line, s.text.clone());
            push(date, Reminder::NextStep { client, note, path, line, text });
        }
    }
    for fb in &g.feedback {
        if fb.status != FeedbackStatus::Open {
            continue;
        }
        let deadline = plus(fb.received, config.feedback_sla_days);
        if deadline < today {
            let escalate = fb.severity == FeedbackSeverity::High;
            let (client, note, path) = (fb.client, fb.note, fb.path.clone());
            push(Some(deadline), Reminder::Feedback { client, note, path, escalate });
        }
    }
    let client_of_note: BTreeMap<usize, ClientId> = g.clients.iter().enumerate().map(|(i, c)| (c.note, i)).collect();
    for (person, p) in g.people.iter().enumerate() {
        let client = p.company.and_then(|n| client_of_note.get(&n).copied());
        if let (Some(b), Some(client)) = (p.birthday, client) {
            let active = g.clients[client].status == Status::Active;
            if let Some(next) = next_anniversary(b, today)
                .filter(|&n| active && n <= plus(today, 14) && !greeted(g, Record::Birthday, p.note, n))
            {
                push(Some(next), Reminder::Birthday { client, person });
            }
        }
        if let Some(left) = p.left.filter(|&l| l <= today && l >= minus(today, 90)) {
            push(Some(left), Reminder::MovedOn { client, person });
        }
    }
    due.sort_by_key(|d| (d.date.is_none(), d.date, d.what.order()));
    due
}

/// A date that comes back every year, as a calendar shows it: the birthday of a person at
/// an active client, or the day a client (neither former nor prospect) became one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Yearly<'g> {
    /// [`DueKind::Birthday`] or [`DueKind::Anniversary`].
    pub kind: DueKind,
    pub client: ClientId,
    /// The path of the person's note, or the client's.
    pub subject: &'g str,
    /// The date as recorded: the birthday (its year may be 0, unknown) or `since`.
    pub date: NaiveDate,
}

/// Every birthday and anniversary the reminders would ever show, whatever today is.
pub(crate) fn yearly(g: &Graph) -> Vec<Yearly<'_>> {
    let client_of_note: BTreeMap<usize, ClientId> = g.clients.iter().enumerate().map(|(i, c)| (c.note, i)).collect();
    let mut out: Vec<Yearly> = g
        .people
        .iter()
        .filter_map(|p| {
            let client = p.company.and_then(|n| client_of_note.get(&n).copied())?;
            let date = p.birthday.filter(|_| g.clients[client].status == Status::Active)?;
            Some(Yearly { kind: DueKind::Birthday, client, subject: &p.path, date })
        })
        .collect();
    out.extend(g.clients.iter().enumerate().filter_map(|(client, c)| {
        let date = c.since.filter(|_| !matches!(c.status, Status::Former | Status::Prospect))?;
        Some(Yearly { kind: DueKind::Anniversary, client, subject: &c.path, date })
    }));
    out
}

/// A [`Due::uid`] for a reminder of `kind` about the note at `subject_path`, with no task text.
pub(crate) fn uid_of(kind: DueKind, subject_path: &str) -> String {
    short_id(kind, &[subject_path, ""])
}

/// True when the journal records a greeting for the day `on`, made in the fortnight its
/// reminder shows.
fn greeted(g: &Graph, what: Record, note: NoteId, on: NaiveDate) -> bool {
    g.journal.iter().any(|r| r.what == what && r.note == note && r.date <= on && r.date >= minus(on, 14))
}

/// Computes the portfolio figures.
pub(crate) fn portfolio(g: &Graph, today: NaiveDate, figures: &[ClientFigures]) -> Portfolio {
    let mut p = Portfolio::default();
    let year_ago = minus(today, 365);
    for f in figures {
        let c = &g.clients[f.client];
        tally(&mut p.by_tier, c.tier.as_str());
        tally(&mut p.by_status, c.status.as_str());
        tally(&mut p.by_state, f.state.as_str());
        if f.state != State::Silent {
            p.active += 1;
            if f.state != State::Overdue {
                p.active_within_cadence += 1;
            }
        }
        // Retention: clients already with us a year ago, and whether they still are.
        let first = g.interactions_of(f.client).first().map(|i| i.date);
        let started = match (c.since, first) {
            (Some(s), Some(i)) => Some(s.min(i)),
            (s, i) => s.or(i),
        };
        if c.status != Status::Prospect && started.is_some_and(|s| s <= year_ago) {
            p.retention_base += 1;
            if matches!(c.status, Status::Active | Status::Paused) {
                p.retained += 1;
            }
        }
        if c.referred_by.is_some() {
            p.referrals += 1;
        }
        if let Some(s) = c.satisfaction {
            if s >= 9.0 {
                p.promoters += 1;
            } else if s <= 6.0 {
                p.detractors += 1;
            } else {
                p.passives += 1;
            }
        }
        p.value_total += c.value.unwrap_or(0.0);
    }
    let rated = p.promoters + p.passives + p.detractors;
    if rated > 0 {
        let nps = (p.promoters as f64 - p.detractors as f64) * 100.0 / rated as f64;
        p.nps = Some(nps.round() as i64);
    }
    let mut answer_days: Vec<i64> =
        g.feedback.iter().filter_map(|f| f.answered.or(f.resolved).map(|a| days_between(f.received, a))).collect();
    answer_days.sort_unstable();
    p.median_answer_days = median(&answer_days);
    p.open_feedback = g.feedback.iter().filter(|f| f.status == FeedbackStatus::Open).count();
    let this_month = today.with_day(1).unwrap_or(today);
    let months: Vec<NaiveDate> =
        (0..12).rev().filter_map(|k| this_month.checked_sub_months(chrono::Months::new(k))).collect();
    p.per_month = months.iter().map(|&m| (m, 0)).collect();
    // Counted by the text first: a hash per interaction rather than a walk down the map.
    let mut formats: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    for i in g.interactions.iter().filter(|i| i.date <= today) {
        let m = i.date.with_day(1).unwrap_or(i.date);
        if let Some(slot) = p.per_month.iter_mut().find(|(d, _)| *d == m) {
            slot.1 += 1;
        }
        if i.date > year_ago {
            *formats.entry(i.format.as_deref().unwrap_or(UNSPECIFIED)).or_default() += 1;
        }
    }
    p.formats = formats.into_iter().map(|(f, n)| (f.to_owned(), n)).collect();
    p
}

/// Counts one more `key`, copying the key only the first time it is seen.
fn tally(counts: &mut BTreeMap<String, usize>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_owned(), 1);
        }
    }
}

fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

/// All figures for `today`.
pub(crate) fn compute(g: &Graph, config: &Config, today: NaiveDate) -> Figures {
    let clients = client_figures(g, config, today);
    let (due, portfolio) = rayon::join(|| reminders(g, config, today, &clients), || portfolio(g, today, &clients));
    Figures { today, soon_days: config.soon_days, clients, due, portfolio }
}

/// Date-dependent findings for `check`: overdue contacts, next steps and waiting feedback.
pub(crate) fn findings(g: &Graph, figures: &Figures) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for d in &figures.due {
        let Some(days) = d.days.filter(|&x| x < 0) else { continue };
        let late = -days;
        let (code, path, line, msg) = match &d.what {
            Reminder::Contact { client, cadence, .. } => {
                let c = &g.clients[*client];
                let msg = format!("contact with `{}` is {late} days overdue (cadence {cadence})", c.name);
                (Code::ContactOverdue, c.path.as_str(), 1, msg)
            }
            Reminder::NextStep { path, line, text, .. } => {
                (Code::NextStepOverdue, &**path, *line, format!("next step is {late} days overdue: {}", text.raw))
            }
            Reminder::Feedback { path, escalate, .. } => {
                let esc = if *escalate { "; high severity: escalate" } else { "" };
                let name = note_name(path);
                let msg = format!("feedback `{name}` has waited {late} days past its answer deadline{esc}");
                (Code::FeedbackWaiting, path.as_str(), 1, msg)
            }
            Reminder::Birthday { .. }
            | Reminder::Anniversary { .. }
            | Reminder::MovedOn { .. }
            | Reminder::AfterProject { .. } => continue,
        };
        out.push(Diagnostic::new(code, path, line, 1, msg));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_note;
    use crate::{Config, Vault};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A vault from in-memory notes `(path, text)`.
    fn vault(notes: &[(&str, &str)]) -> Vault {
        let mut parsed: Vec<_> = notes.iter().map(|(p, t)| parse_note(p, t)).collect();
        parsed.sort_by(|a, b| a.path.cmp(&b.path));
        Vault::build(std::path::Path::new("."), Config::default(), parsed, Vec::new())
    }

    fn client(v: &Vault, today: &str) -> ClientFigures {
        client_figures(&v.graph, &v.config, d(today)).remove(0)
    }

    fn key_client(log: &str) -> Vault {
        vault(&[("Acme.md", &format!("---\ntype: client\ntier: key\n---\n{log}"))])
    }

    #[test]
    fn overdue_and_soon_boundaries() {
        // key: 14 days; last contact 11-01 → next due 11-15; soon_days 7.
        let v = key_client("- 2026-11-01 call\n");
        let state = |today| client(&v, today).state;
        assert_eq!(state("2026-11-07"), State::Ok, "due 8 days ahead");
        assert_eq!(state("2026-11-08"), State::Soon, "due exactly 7 days ahead");
        assert_eq!(state("2026-11-15"), State::Soon, "due today is not overdue");
        assert_eq!(state("2026-11-16"), State::Overdue, "due yesterday");
        assert_eq!(client(&v, "2026-11-16").days_since, Some(15));
    }

    #[test]
    fn scheduled_interaction_silences_and_is_not_last_contact() {
        let v = key_client("- 2026-10-01 call\n- 2026-12-01 meeting\n");
        let f = client(&v, "2026-11-23");
        assert_eq!(f.state, State::Scheduled);
        assert_eq!(f.last_contact, Some(d("2026-10-01")));
        assert_eq!(f.scheduled, Some(d("2026-12-01")));
        assert!(
            reminders(&v.graph, &v.config, d("2026-11-23"), &[f]).iter().all(|r| r.what.kind() != DueKind::Contact)
        );
        // Once the day has come it is the last contact.
        assert_eq!(client(&v, "2026-12-01").last_contact, Some(d("2026-12-01")));
    }

    #[test]
    fn paused_until_former_and_prospect() {
        let status = |fm: &str, today: &str| {
            let v = vault(&[("A.md", &format!("---\ntype: client\n{fm}\n---\n- 2026-01-01 call\n"))]);
            client(&v, today).state
        };
        assert_eq!(status("status: paused", "2026-11-23"), State::Silent);
        assert_eq!(status("status: paused\npaused_until: 2026-11-24", "2026-11-23"), State::Silent);
        assert_eq!(
            status("status: paused\npaused_until: 2026-11-23", "2026-11-23"),
            State::Overdue,
            "resumes on the day"
        );
        assert_eq!(status("status: former", "2026-11-23"), State::Silent);
        assert_eq!(status("status: prospect", "2026-11-23"), State::Silent);
        let v = vault(&[("A.md", "---\ntype: client\nstatus: former\n---\n")]);
        let f = client(&v, "2026-11-23");
        assert_eq!((f.cadence, f.next_due), (None, None));
    }

    #[test]
    fn never_contacted_is_due_from_since_or_today() {
        let v = vault(&[("A.md", "---\ntype: client\nsince: 2026-11-20\n---\n"), ("B.md", "---\ntype: client\n---\n")]);
        let all = client_figures(&v.graph, &v.config, d("2026-11-23"));
        assert_eq!((all[0].next_due, all[0].state), (Some(d("2026-11-20")), State::Overdue));
        assert_eq!((all[1].next_due, all[1].state), (Some(d("2026-11-23")), State::Soon));
    }

    #[test]
    fn cadence_precedence_and_after_project() {
        let project = "---\ntype: client\nengagement: project\nproject_end: 2026-11-01\n---\n- 2026-10-20 call\n";
        let v = vault(&[("A.md", project)]);
        let before = client(&v, "2026-10-25");
        assert_eq!((before.cadence, before.cadence_source), (Some(Cadence::days(60)), CadenceSource::Tier));
        let after = client(&v, "2026-11-23");
        assert_eq!((after.cadence, after.cadence_source), (Some(Cadence::days(90)), CadenceSource::AfterProject));
        let due = reminders(&v.graph, &v.config, d("2026-11-23"), &[after]);
        assert!(due.iter().any(|r| r.what.kind() == DueKind::AfterProject && r.days == Some(-22)));
        let own = vault(&[("A.md", &project.replace("engagement", "cadence: monthly\nengagement"))]);
        assert_eq!(client(&own, "2026-11-23").cadence, Some(Cadence::months(1)), "own cadence wins");
        let tagged = vault(&[("A.md", "---\ntype: client\ntags: [client/key]\n---\n")]);
        assert_eq!(client(&tagged, "2026-11-23").cadence, Some(Cadence::days(14)), "#client/key sets tier key");
    }

    #[test]
    fn log_line_formats_in_english_and_russian() {
        let v = key_client(
            "- 2026-11-01 звонок — продление\n- 2026-11-02 Meeting: review\n## 2026-11-03 обед с Анной\n- 2026-11-04 sent a note\n",
        );
        let f = client(&v, "2026-11-23");
        assert_eq!(f.formats, vec!["call", "lunch", "meeting"]);
        assert_eq!(f.interactions_90d, 4);
        assert_eq!(f.last_contact, Some(d("2026-11-04")));
    }

    #[test]
    fn a_persons_interactions_count_for_their_company() {
        let v = vault(&[
            ("Acme.md", "---\ntype: client\n---\n"),
            ("Anna.md", "---\ntype: person\ncompany: \"[[Acme]]\"\n---\n- 2026-11-10 call\n"),
            ("Meet.md", "---\ntype: interaction\ndate: 2026-11-12\nwith: [\"[[Anna]]\"]\ninitiated_by: them\n---\n"),
            ("2026-11-14.md", "Lunch with [[anna]]\n"),
        ]);
        let f = client(&v, "2026-11-23");
        assert_eq!(f.last_contact, Some(d("2026-11-14")));
        assert_eq!((f.interactions_90d, f.initiated_them), (3, 1));
    }

    #[test]
    fn contacts_count_as_company_for_people_without_one() {
        let v = vault(&[
            ("Acme.md", "---\ntype: client\ncontacts: [\"[[Anna]]\", \"[[Boris]]\"]\n---\n"),
            ("Beta.md", "---\ntype: client\n---\n"),
            ("Anna.md", "---\ntype: person\n---\n- 2026-11-10 call\n"),
            ("Boris.md", "---\ntype: person\ncompany: \"[[Beta]]\"\n---\n- 2026-11-12 call\n"),
        ]);
        let all = client_figures(&v.graph, &v.config, d("2026-11-23"));
        assert_eq!(all[0].last_contact, Some(d("2026-11-10")), "Anna is at Acme by its contacts");
        assert_eq!(all[1].last_contact, Some(d("2026-11-12")), "Boris's own company wins");
    }

    #[test]
    fn month_end_cadence_and_waiting_feedback() {
        let v = vault(&[
            ("A.md", "---\ntype: client\ncadence: 1m\n---\n- 2026-10-31 call\n"),
            ("F.md", "---\ntype: feedback\nreceived: 2026-11-20\nclient: \"[[A]]\"\nseverity: high\n---\n"),
        ]);
        let f = client(&v, "2026-11-23");
        assert_eq!(f.next_due, Some(d("2026-11-30")), "31 Oct + 1 month = 30 Nov");
        let due = reminders(&v.graph, &v.config, d("2026-11-23"), std::slice::from_ref(&f));
        let fb: Vec<_> = due.iter().filter(|r| r.what.kind() == DueKind::Feedback).collect();
        assert_eq!(fb.len(), 1);
        assert_eq!((fb[0].date, fb[0].what.escalate()), (Some(d("2026-11-22")), true));
        let due = reminders(&v.graph, &v.config, d("2026-11-22"), &[f]);
        assert!(due.iter().all(|r| r.what.kind() != DueKind::Feedback), "the answer is due today, not late");
    }

    #[test]
    fn kinds_from_type_tags_and_config() {
        let mut config = Config::default();
        config.kinds.tags.insert("crm".into(), crate::vocab::Kind::Client);
        config.kinds.folders.insert("Companies/Clients".into(), crate::vocab::Kind::Client);
        let mut notes: Vec<_> = [
            ("a.md", "---\ntype: Client\n---\n"),
            ("b.md", "#client/key\n"),
            ("c.md", "#crm/acme\n"),
            ("Companies/Clients/d.md", "plain\n"),
            ("e.md", "---\ntype: [\"[[Apps]]\"]\n---\n#project\n"),
        ]
        .iter()
        .map(|(p, t)| parse_note(p, t))
        .collect();
        notes.sort_by(|a, b| a.path.cmp(&b.path));
        let v = Vault::build(std::path::Path::new("."), config, notes, Vec::new());
        let names: Vec<&str> = v.graph.clients.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["d", "a", "b", "c"]);
        assert_eq!(v.graph.clients[2].tier, Tier::Key);
        let invalid = v.diagnostics.iter().filter(|d| d.code == Code::PropertyInvalid).count();
        assert_eq!(invalid, 0, "a `type` naming no kind is no error: {:?}", v.diagnostics);
    }

    #[test]
    fn birthdays_with_unknown_year_and_29_february() {
        let v = vault(&[
            ("A.md", "---\ntype: client\n---\n"),
            ("P.md", "---\ntype: person\ncompany: \"[[A]]\"\nbirthday: 0000-12-02\n---\n"),
            ("Q.md", "---\ntype: person\ncompany: \"[[A]]\"\nbirthday: 1992-02-29\n---\n"),
        ]);
        let birthdays = |today| {
            let figs = client_figures(&v.graph, &v.config, d(today));
            reminders(&v.graph, &v.config, d(today), &figs)
                .into_iter()
                .filter(|r| r.what.kind() == DueKind::Birthday)
                .map(|r| r.date.unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(birthdays("2026-11-23"), vec![d("2026-12-02")]);
        assert_eq!(birthdays("2027-02-20"), vec![d("2027-02-28")]);
        assert_eq!(birthdays("2028-02-20"), vec![d("2028-02-29")]);
    }
}
