//! Model stage, entities: what the client graph holds.

use std::sync::Arc;

use chrono::NaiveDate;

use super::TaskText;
use crate::vocab::{Cadence, Engagement, FeedbackSeverity, FeedbackStatus, Initiator, Status, Tier};

/// Where an interaction was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Note,
    LogLine,
    DailyNote,
    LastContact,
}

/// Index into [`Graph::clients`].
pub(crate) type ClientId = usize;
/// Index into the scanned notes.
pub(crate) type NoteId = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub note: NoteId,
    pub name: String,
    pub path: String,
    pub aliases: Vec<String>,
    pub tier: Tier,
    pub status: Status,
    /// The client's own cadence, if it sets one.
    pub cadence: Option<Cadence>,
    pub since: Option<NaiveDate>,
    pub engagement: Engagement,
    pub project_end: Option<NaiveDate>,
    pub paused_until: Option<NaiveDate>,
    pub contacts: Vec<NoteId>,
    /// The client a `referred_by` link leads to (directly or through a person).
    pub referred_by: Option<ClientId>,
    pub value: Option<f64>,
    pub satisfaction: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub note: NoteId,
    pub name: String,
    pub path: String,
    pub company: Option<NoteId>,
    pub role: Option<String>,
    pub email: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub left: Option<NaiveDate>,
    pub moved_to: Option<NoteId>,
    /// The path of the note `moved_to` leads to, which reminders show.
    pub moved_to_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub date: NaiveDate,
    pub client: ClientId,
    pub format: Option<String>,
    pub initiated_by: Option<Initiator>,
    pub source: Source,
    pub note: NoteId,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub note: NoteId,
    pub path: String,
    pub name: String,
    pub received: NaiveDate,
    pub client: Option<ClientId>,
    pub severity: FeedbackSeverity,
    pub status: FeedbackStatus,
    pub answered: Option<NaiveDate>,
    pub resolved: Option<NaiveDate>,
}

/// An open task that belongs to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStep {
    pub client: ClientId,
    pub note: NoteId,
    /// Shared with each reminder made of it: a large vault has thousands.
    pub path: Arc<str>,
    pub line: u32,
    pub text: Arc<TaskText>,
    pub due: Option<NaiveDate>,
    pub scheduled: Option<NaiveDate>,
}

/// The client graph of one vault.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub clients: Vec<Client>,
    pub people: Vec<Person>,
    /// Note ids of companies that are not clients.
    pub companies: Vec<NoteId>,
    /// Sorted by (client, date).
    pub interactions: Vec<Interaction>,
    pub feedback: Vec<Feedback>,
    pub next_steps: Vec<NextStep>,
    /// Greetings and answers recorded in the journal, by note and date.
    pub journal: Vec<Recorded>,
}

/// What a journal line records beyond a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Record {
    /// A birthday greeting; the note is the person's.
    Birthday,
    /// An anniversary greeting; the note is the client's.
    Anniversary,
    /// A feedback answer; the note is the feedback's.
    Answered,
}

/// A greeting or answer from the journal note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Recorded {
    pub what: Record,
    pub note: NoteId,
    pub date: NaiveDate,
}

impl Graph {
    /// The interactions of one client, in date order.
    pub fn interactions_of(&self, client: ClientId) -> &[Interaction] {
        let start = self.interactions.partition_point(|i| i.client < client);
        let end = self.interactions.partition_point(|i| i.client <= client);
        &self.interactions[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::super::Fixture;
    use crate::Config;

    #[test]
    fn a_clients_interactions_are_its_slice_in_date_order() {
        let fx = Fixture::new(&[
            ("Acme.md", "---\ntype: client\n---\n- 2026-10-05 call\n- 2026-09-01 lunch\n"),
            ("Beta.md", "---\ntype: client\n---\n- 2026-10-01 email\n"),
            ("Zed.md", "---\ntype: client\n---\n"),
        ]);
        let (g, _) = fx.build(&Config::default());
        let dates = |c| g.interactions_of(c).iter().map(|i| i.date.to_string()).collect::<Vec<_>>();
        assert_eq!(dates(0), ["2026-09-01", "2026-10-05"]);
        assert_eq!(dates(1), ["2026-10-01"]);
        assert!(dates(2).is_empty());
        assert_eq!(g.interactions_of(2).len(), 0);
    }
}
