//! Vocabulary: the words of the domain (kinds, cadence, tiers, statuses, states,
//! formats, languages) and the one rule for note file names.
//!
//! A leaf: every stage may import it and it imports none of them, so config, scan,
//! model, metrics and render agree on each word without depending on each other.

mod cadence;

use std::fmt;
use std::str::FromStr;

pub(crate) use cadence::{Cadence, next_anniversary};

/// Language of generated text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "en" => Ok(Lang::En),
            "ru" => Ok(Lang::Ru),
            _ => Err(format!("unknown lang `{s}`; expected `en` or `ru`")),
        }
    }
}

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Client,
    Person,
    Company,
    Interaction,
    Feedback,
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "client" => Ok(Kind::Client),
            "person" => Ok(Kind::Person),
            "company" => Ok(Kind::Company),
            "interaction" => Ok(Kind::Interaction),
            "feedback" => Ok(Kind::Feedback),
            _ => Err(format!("unknown kind `{s}`; expected client, person, company, interaction or feedback")),
        }
    }
}

/// Declares a closed set of lower-case words parsed case-insensitively.
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const WORDS: &'static [&'static str] = &[$($word),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s.trim().to_lowercase().as_str() {
                    $($word => Ok($name::$variant),)+
                    _ => Err(()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

word_enum!(
    /// How important a client is.
    Tier { Key = "key", Supporting = "supporting" }
);
word_enum!(
    /// Where a client stands.
    Status { Active = "active", Prospect = "prospect", Paused = "paused", Former = "former" }
);
word_enum!(
    /// Ongoing work or a project with an end.
    Engagement { Ongoing = "ongoing", Project = "project" }
);
word_enum!(
    /// Who reached out.
    Initiator { Us = "us", Them = "them" }
);
word_enum!(
    /// How serious feedback is.
    FeedbackSeverity { Low = "low", Normal = "normal", High = "high" }
);
word_enum!(
    /// Where feedback stands.
    FeedbackStatus { Open = "open", Answered = "answered", Resolved = "resolved" }
);
word_enum!(
    /// Where a client stands today (SPEC §3), first rule that applies; in this order
    /// in the dashboard's table.
    State { Overdue = "overdue", Soon = "soon", Scheduled = "scheduled", Ok = "ok", Silent = "silent" }
);

/// An interaction format: its word, its Russian name, and the other words that name it
/// in a log line.
pub(crate) struct Format {
    pub word: &'static str,
    pub ru: &'static str,
    pub also: &'static [&'static str],
}

/// The known interaction formats (free text is kept too).
pub(crate) const FORMATS: &[Format] = &[
    Format { word: "meeting", ru: "встреча", also: &["встреча"] },
    Format { word: "call", ru: "звонок", also: &["звонок"] },
    Format { word: "email", ru: "письмо", also: &["e-mail", "письмо"] },
    Format { word: "chat", ru: "чат", also: &["чат"] },
    Format { word: "message", ru: "сообщение", also: &["сообщение"] },
    Format { word: "lunch", ru: "обед", also: &["обед"] },
    Format { word: "event", ru: "мероприятие", also: &["мероприятие"] },
    Format { word: "visit", ru: "визит", also: &["визит"] },
    Format { word: "other", ru: "другое", also: &[] },
];

/// The format counted for interactions that name none.
pub(crate) const UNSPECIFIED: &str = "unspecified";

/// The format a word of a log line names, if any (case-insensitive).
pub(crate) fn format_word(word: &str) -> Option<&'static str> {
    let w = word.to_lowercase();
    FORMATS.iter().find(|f| f.word == w || f.also.contains(&w.as_str())).map(|f| f.word)
}

impl Tier {
    fn russian(self) -> &'static str {
        match self {
            Tier::Key => "ключевой",
            Tier::Supporting => "поддерживающий",
        }
    }
}

impl Status {
    fn russian(self) -> &'static str {
        match self {
            Status::Active => "активный",
            Status::Prospect => "потенциальный",
            Status::Paused => "на паузе",
            Status::Former => "бывший",
        }
    }
}

impl State {
    fn russian(self) -> &'static str {
        match self {
            State::Overdue => "просрочен",
            State::Soon => "скоро",
            State::Ok => "в норме",
            State::Scheduled => "запланирован",
            State::Silent => "без напоминаний",
        }
    }

    /// The mark the dashboard shows before the state's word.
    pub fn emoji(self) -> &'static str {
        match self {
            State::Overdue => "🔴",
            State::Soon => "🟡",
            State::Ok => "🟢",
            State::Scheduled => "📅",
            State::Silent => "⚪",
        }
    }
}

/// The Russian name of a tier, status, state or format word (as `as_str` writes it).
pub(crate) fn russian(word: &str) -> Option<&'static str> {
    if word == UNSPECIFIED {
        return Some("не указан");
    }
    FORMATS
        .iter()
        .find(|f| f.word == word)
        .map(|f| f.ru)
        .or_else(|| exactly::<Tier>(Tier::WORDS, word).map(Tier::russian))
        .or_else(|| exactly::<Status>(Status::WORDS, word).map(Status::russian))
        .or_else(|| exactly::<State>(State::WORDS, word).map(State::russian))
}

/// The value `word` names, spelled exactly as one of `words`.
fn exactly<T: FromStr>(words: &[&str], word: &str) -> Option<T> {
    words.contains(&word).then(|| word.parse().ok()).flatten()
}

/// The property names the model reads (SPEC §2), before config aliases.
pub(crate) const PROPERTIES: &[&str] = &[
    "rapport",
    "type",
    "tags",
    "aliases",
    "tier",
    "status",
    "cadence",
    "since",
    "engagement",
    "project_end",
    "paused_until",
    "contacts",
    "referred_by",
    "value",
    "satisfaction",
    "last_contact",
    "company",
    "role",
    "email",
    "birthday",
    "left",
    "moved_to",
    "date",
    "client",
    "clients",
    "with",
    "format",
    "initiated_by",
    "received",
    "severity",
    "answered",
    "resolved",
];

/// A note's path without its `.md` extension (any letter case, as Obsidian reads it);
/// `None` when the path is not a note's.
pub(crate) fn note_stem(path: &str) -> Option<&str> {
    let cut = path.len().checked_sub(3)?;
    (path.is_char_boundary(cut) && path[cut..].eq_ignore_ascii_case(".md")).then(|| &path[..cut])
}

/// A path without a note's `.md` extension; other paths as they are.
pub(crate) fn strip_md(path: &str) -> &str {
    note_stem(path).unwrap_or(path)
}

/// A note's name: its file name without `.md` (what a wikilink names it by).
pub(crate) fn note_name(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    strip_md(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_md_extension_in_any_case() {
        assert_eq!(note_stem("a/Note.md"), Some("a/Note"));
        assert_eq!(note_stem("a/Note.MD"), Some("a/Note"));
        assert_eq!(note_stem("a/Note.Md"), Some("a/Note"));
        assert_eq!(note_stem(".md"), Some(""));
        assert_eq!(note_stem("md"), None);
        assert_eq!(note_stem("a/logo.png"), None);
        assert_eq!(note_stem("Заметка"), None);
        assert_eq!(strip_md("x/Заметка.md"), "x/Заметка");
        assert_eq!(strip_md("logo.png"), "logo.png");
        assert_eq!(note_name("Clients/Acme.MD"), "Acme");
        assert_eq!(note_name("Acme.md"), "Acme");
    }

    #[test]
    fn every_word_parses_back_in_any_case() {
        for w in Tier::WORDS {
            assert_eq!(w.to_uppercase().parse::<Tier>().map(Tier::as_str), Ok(*w));
        }
        for w in State::WORDS {
            assert_eq!(format!(" {w} ").parse::<State>().map(State::as_str), Ok(*w));
        }
        assert!("keys".parse::<Tier>().is_err());
        assert_eq!("Client".parse::<Kind>(), Ok(Kind::Client));
        assert!("clients".parse::<Kind>().is_err());
        assert_eq!("ru".parse::<Lang>(), Ok(Lang::Ru));
        assert!("RU".parse::<Lang>().is_err());
    }

    #[test]
    fn formats_are_read_from_their_words_in_both_languages() {
        assert_eq!(format_word("Meeting"), Some("meeting"));
        assert_eq!(format_word("E-mail"), Some("email"));
        assert_eq!(format_word("Звонок"), Some("call"));
        assert_eq!(format_word("other"), Some("other"));
        // Shown in Russian, but not a word a log line is read by.
        assert_eq!(format_word("другое"), None);
        assert_eq!(format_word("workshop"), None);
    }

    #[test]
    fn every_shown_word_has_a_russian_name() {
        let shown = Tier::WORDS.iter().chain(Status::WORDS).chain(State::WORDS).chain(FORMATS.iter().map(|f| &f.word));
        for w in shown.chain([&UNSPECIFIED]) {
            assert!(russian(w).is_some_and(|r| r != *w), "{w}");
        }
        assert_eq!(russian("ok"), Some("в норме"));
        assert_eq!(russian("workshop"), None);
        // Engagement words are not shown, and not translated.
        assert_eq!(russian("project"), None);
    }
}
