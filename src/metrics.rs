//! Metrics stage: graph + today → client states, reminders and portfolio figures.
//!
//! Pure functions: no I/O, no clock. `today` is always a parameter.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::cadence::{Cadence, next_anniversary};
use crate::model::{ClientId, Engagement, FeedbackSeverity, FeedbackStatus, Graph, Initiator, Status};

/// Where a client stands today (SPEC §3), first rule that applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    Overdue,
    Soon,
    Scheduled,
    Ok,
    Silent,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Overdue => "overdue",
            State::Soon => "soon",
            State::Ok => "ok",
            State::Scheduled => "scheduled",
            State::Silent => "silent",
        }
    }
}

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

/// What a reminder is about.
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

/// One reminder. `subject` is the note it is about (client, task's note, feedback, person).
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub kind: DueKind,
    pub client: Option<ClientId>,
    pub date: Option<NaiveDate>,
    /// `date - today`; negative when overdue.
    pub days: Option<i64>,
    pub subject: usize,
    /// Task text, or the person's new company, or the cadence: what the line shows.
    pub detail: String,
    pub line: u32,
    /// High-severity feedback: escalate to management.
    pub escalate: bool,
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
pub fn is_silent(status: Status, paused_until: Option<NaiveDate>, today: NaiveDate) -> bool {
    match status {
        Status::Former | Status::Prospect => true,
        Status::Paused => paused_until.is_none_or(|u| u > today),
        Status::Active => false,
    }
}

/// Computes the figures of every client, in client order.
pub fn client_figures(g: &Graph, config: &Config, today: NaiveDate) -> Vec<ClientFigures> {
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
        .iter()
        .enumerate()
        .map(|(cid, c)| {
            let all = g.interactions_of(cid);
            let past: Vec<_> = all.iter().filter(|i| i.date <= today).collect();
            let last_contact = past.last().map(|i| i.date);
            let scheduled = all.iter().find(|i| i.date > today).map(|i| i.date);
            let (cadence, cadence_source) = match (c.cadence, c.engagement, c.project_end) {
                (Some(own), _, _) => (own, CadenceSource::Own),
                (None, Engagement::Project, Some(end)) if end < today => {
                    (config.cadence.after_project, CadenceSource::AfterProject)
                }
                (None, _, _) => (
                    match c.tier {
                        crate::model::Tier::Key => config.cadence.key,
                        crate::model::Tier::Supporting => config.cadence.supporting,
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
            let within = |days: u32| past.iter().filter(|i| i.date > minus(today, days)).count();
            let mut dates: Vec<NaiveDate> = past.iter().map(|i| i.date).collect();
            dates.dedup();
            let mean_interval_days = (dates.len() >= 2).then(|| {
                let span = days_between(dates[0], dates[dates.len() - 1]);
                span as f64 / (dates.len() - 1) as f64
            });
            let mut formats: Vec<String> = past.iter().filter_map(|i| i.format.clone()).collect();
            formats.sort();
            formats.dedup();
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
pub fn reminders(g: &Graph, config: &Config, today: NaiveDate, figures: &[ClientFigures]) -> Vec<Due> {
    let horizon = plus(today, config.soon_days);
    let mut due = Vec::new();
    let mut push = |kind, client, date: Option<NaiveDate>, subject, detail: String, line, escalate| {
        due.push(Due {
            kind,
            client,
            date,
            days: date.map(|d| days_between(today, d)),
            subject,
            detail,
            line,
            escalate,
        });
    };
    for f in figures {
        let c = &g.clients[f.client];
        if matches!(f.state, State::Overdue | State::Soon) {
            push(
                DueKind::Contact,
                Some(f.client),
                f.next_due,
                c.note,
                f.cadence.map(|x| x.to_string()).unwrap_or_default(),
                1,
                false,
            );
        }
        if c.engagement == Engagement::Project {
            if let Some(end) = c.project_end.filter(|&e| e < today && e >= minus(today, 90)) {
                push(DueKind::AfterProject, Some(f.client), Some(end), c.note, String::new(), 1, false);
            }
        }
        if let Some(since) = c.since.filter(|_| !matches!(c.status, Status::Former | Status::Prospect)) {
            if let Some(next) =
                next_anniversary(since, today).filter(|&n| n <= plus(today, 14) && n.year() > since.year())
            {
                push(
                    DueKind::Anniversary,
                    Some(f.client),
                    Some(next),
                    c.note,
                    (next.year() - since.year()).to_string(),
                    1,
                    false,
                );
            }
        }
    }
    for s in &g.next_steps {
        match s.due.or(s.scheduled) {
            Some(d) if d <= horizon => {
                push(DueKind::NextStep, Some(s.client), Some(d), s.note, s.text.clone(), s.line, false)
            }
            Some(_) => {}
            None => push(DueKind::NextStep, Some(s.client), None, s.note, s.text.clone(), s.line, false),
        }
    }
    for fb in &g.feedback {
        if fb.status != FeedbackStatus::Open {
            continue;
        }
        let deadline = plus(fb.received, config.feedback_sla_days);
        if deadline < today {
            push(
                DueKind::Feedback,
                fb.client,
                Some(deadline),
                fb.note,
                fb.name.clone(),
                1,
                fb.severity == FeedbackSeverity::High,
            );
        }
    }
    let client_of_note: BTreeMap<usize, ClientId> = g.clients.iter().enumerate().map(|(i, c)| (c.note, i)).collect();
    for p in &g.people {
        let client = p.company.and_then(|n| client_of_note.get(&n).copied());
        if let (Some(b), Some(cid)) = (p.birthday, client) {
            let active = g.clients[cid].status == Status::Active;
            if let Some(next) = next_anniversary(b, today).filter(|&n| active && n <= plus(today, 14)) {
                push(DueKind::Birthday, Some(cid), Some(next), p.note, String::new(), 1, false);
            }
        }
        if let Some(left) = p.left.filter(|&l| l <= today && l >= minus(today, 90)) {
            let detail = p.moved_to.map(|n| n.to_string()).unwrap_or_default();
            push(DueKind::MovedOn, client, Some(left), p.note, detail, 1, false);
        }
    }
    due.sort_by(|a, b| {
        let ka = (a.date.is_none(), a.date, a.kind, a.client, a.subject, a.line);
        let kb = (b.date.is_none(), b.date, b.kind, b.client, b.subject, b.line);
        ka.cmp(&kb)
    });
    due
}

/// Computes the portfolio figures.
pub fn portfolio(g: &Graph, config: &Config, today: NaiveDate, figures: &[ClientFigures]) -> Portfolio {
    let _ = config;
    let mut p = Portfolio::default();
    let year_ago = minus(today, 365);
    for f in figures {
        let c = &g.clients[f.client];
        *p.by_tier.entry(c.tier.as_str().to_owned()).or_default() += 1;
        *p.by_status.entry(c.status.as_str().to_owned()).or_default() += 1;
        *p.by_state.entry(f.state.as_str().to_owned()).or_default() += 1;
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
    for i in g.interactions.iter().filter(|i| i.date <= today) {
        let m = i.date.with_day(1).unwrap_or(i.date);
        if let Some(slot) = p.per_month.iter_mut().find(|(d, _)| *d == m) {
            slot.1 += 1;
        }
        if i.date > year_ago {
            let f = i.format.clone().unwrap_or_else(|| "unspecified".into());
            *p.formats.entry(f).or_default() += 1;
        }
    }
    p
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
pub fn compute(g: &Graph, config: &Config, today: NaiveDate) -> Figures {
    let clients = client_figures(g, config, today);
    let due = reminders(g, config, today, &clients);
    let portfolio = portfolio(g, config, today, &clients);
    Figures { today, clients, due, portfolio }
}

/// Date-dependent findings for `check`: overdue contacts, next steps and waiting feedback.
pub fn findings(g: &Graph, figures: &Figures, paths: &dyn Fn(usize) -> String) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for d in &figures.due {
        let Some(days) = d.days.filter(|&x| x < 0) else { continue };
        let late = -days;
        let (code, msg) = match d.kind {
            DueKind::Contact => {
                let c = &g.clients[d.client.unwrap_or_default()];
                (
                    Code::ContactOverdue,
                    format!("contact with `{}` is {late} days overdue (cadence {})", c.name, d.detail),
                )
            }
            DueKind::NextStep => (Code::NextStepOverdue, format!("next step is {late} days overdue: {}", d.detail)),
            DueKind::Feedback => {
                let esc = if d.escalate { "; high severity: escalate" } else { "" };
                (
                    Code::FeedbackWaiting,
                    format!("feedback `{}` has waited {late} days past its answer deadline{esc}", d.detail),
                )
            }
            _ => continue,
        };
        out.push(Diagnostic::new(code, &paths(d.subject), d.line, 1, msg));
    }
    out
}
