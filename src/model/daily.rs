//! Model stage, daily notes: which notes are daily notes, and their date.
//!
//! The moment.js-style format comes from `.obsidian/daily-notes.json` or the config;
//! formats with `/` (`YYYY/MM/YYYY-MM-DD`) match the path below the folder.

use chrono::NaiveDate;

/// Recognises daily notes by folder and name format.
#[derive(Debug, Clone)]
pub(crate) struct DailyNotes {
    folder: Option<String>,
    chrono_format: String,
}

impl DailyNotes {
    /// `folder` `None` or empty means anywhere in the vault; `format` defaults to `YYYY-MM-DD`.
    pub(crate) fn new(folder: Option<&str>, format: Option<&str>) -> Self {
        DailyNotes {
            folder: folder.map(|f| f.trim_matches('/').to_owned()).filter(|f| !f.is_empty()),
            chrono_format: moment_to_chrono(format.filter(|f| !f.trim().is_empty()).unwrap_or("YYYY-MM-DD")),
        }
    }

    /// The date of the daily note at vault-relative `path`, if it is one.
    pub(crate) fn date_of(&self, path: &str) -> Option<NaiveDate> {
        let stem = crate::vocab::note_stem(path)?;
        let within = match &self.folder {
            Some(f) => stem.strip_prefix(f.as_str())?.strip_prefix('/')?,
            None => stem,
        };
        // Match the last `depth + 1` path segments against the format.
        let depth = self.chrono_format.matches('/').count();
        let parts: Vec<&str> = within.split('/').collect();
        let first = parts.len().checked_sub(depth + 1)?;
        let candidate = parts[first..].join("/");
        NaiveDate::parse_from_str(&candidate, &self.chrono_format).ok()
    }
}

/// Converts the moment.js tokens daily notes use into a chrono format string.
fn moment_to_chrono(f: &str) -> String {
    let tokens = [
        ("YYYY", "%Y"),
        ("YY", "%y"),
        ("MMMM", "%B"),
        ("MMM", "%b"),
        ("MM", "%m"),
        ("M", "%-m"),
        ("DDDD", "%j"),
        ("DD", "%d"),
        ("Do", "%-d"),
        ("D", "%-d"),
        ("dddd", "%A"),
        ("ddd", "%a"),
        ("ww", "%V"),
        ("gggg", "%G"),
    ];
    let mut out = String::new();
    let mut rest = f;
    'outer: while let Some(c) = rest.chars().next() {
        if c == '[' {
            if let Some(end) = rest.find(']') {
                out.push_str(&rest[1..end].replace('%', "%%"));
                rest = &rest[end + 1..];
                continue;
            }
        }
        for (m, c) in tokens {
            if let Some(r) = rest.strip_prefix(m) {
                out.push_str(c);
                rest = r;
                continue 'outer;
            }
        }
        if c == '%' {
            out.push_str("%%");
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn default_matches_anywhere() {
        let dn = DailyNotes::new(None, None);
        assert_eq!(dn.date_of("Journal/2026-11-20.md"), d("2026-11-20"));
        assert_eq!(dn.date_of("2026-11-20.md"), d("2026-11-20"));
        assert_eq!(dn.date_of("Interactions/2026-11-20 call.md"), None);
        assert_eq!(dn.date_of("2026-02-30.md"), None);
    }

    #[test]
    fn folder_and_nested_format() {
        let dn = DailyNotes::new(Some("Daily/"), Some("YYYY/MM/YYYY-MM-DD"));
        assert_eq!(dn.date_of("Daily/2026/11/2026-11-20.md"), d("2026-11-20"));
        assert_eq!(dn.date_of("Other/2026/11/2026-11-20.md"), None);
        let dn = DailyNotes::new(Some("Daily"), Some("DD.MM.YYYY"));
        assert_eq!(dn.date_of("Daily/20.11.2026.md"), d("2026-11-20"));
        assert_eq!(dn.date_of("Daily/2026-11-20.md"), None);
        let dn = DailyNotes::new(None, Some("YYYY-MM-DD [Journal]"));
        assert_eq!(dn.date_of("x/2026-11-20 Journal.md"), d("2026-11-20"));
    }
}
