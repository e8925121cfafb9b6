//! The terminal in the config's `lang`: table headers, words, summary lines and `check`
//! messages. JSON, CSV and calendar output stay in English for programs.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::diagnostics::Diagnostic;
use crate::render::i18n::{ru_plural, word};
use crate::vocab::Lang;

/// `n` with its noun in the right form: English one/many, Russian one/few/many.
pub(super) fn count(lang: Lang, n: usize, en: [&str; 2], ru: [&str; 3]) -> String {
    let n64 = i64::try_from(n).unwrap_or(i64::MAX);
    let noun = match lang {
        Lang::En => en[usize::from(n != 1)],
        Lang::Ru => ru_plural(n64, ru[0], ru[1], ru[2]),
    };
    format!("{n} {noun}")
}

/// Picks the text of the language.
pub(super) fn t(lang: Lang, en: &'static str, ru: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ru => ru,
    }
}

/// A table header in the language.
pub(super) fn headers(lang: Lang, en: &[&'static str], ru: &[&'static str]) -> Vec<&'static str> {
    match lang {
        Lang::En => en.to_vec(),
        Lang::Ru => ru.to_vec(),
    }
}

/// A model word (tier, status, state) in the language.
pub(super) fn model_word(lang: Lang, w: &str) -> String {
    word(lang, w).to_owned()
}

/// A reminder kind in the language.
pub(super) fn kind(lang: Lang, k: &str) -> String {
    let ru = match k {
        "contact" => "контакт",
        "next-step" => "следующий шаг",
        "feedback" => "обращение",
        "birthday" => "день рождения",
        "anniversary" => "годовщина",
        "moved-on" => "смена работы",
        "after-project" => "после проекта",
        other => other,
    };
    if lang == Lang::Ru { ru.to_owned() } else { k.to_owned() }
}

fn days(lang: Lang, n: &str) -> String {
    count(lang, n.parse().unwrap_or(0), ["day", "days"], ["день", "дня", "дней"])
}

/// A message pattern, whether English needs it too (a count), and its rewrite.
type Rewrite = (Regex, bool, fn(Lang, &Captures<'_>) -> String);

/// Messages that carry a count (English plural forms too) or are translated.
static MESSAGES: LazyLock<Vec<Rewrite>> = LazyLock::new(|| {
    let r = |p: &str| Regex::new(p).expect("valid regex");
    let (en, ru) = (true, false); // english too, Russian only
    vec![
        (r(r"^contact with `(.*)` is (\d+) days overdue \(cadence (.*)\)$"), en, |l, c| match l {
            Lang::En => format!("contact with `{}` is {} overdue (cadence {})", &c[1], days(l, &c[2]), &c[3]),
            Lang::Ru => format!("связь с `{}` просрочена на {} (периодичность {})", &c[1], days(l, &c[2]), &c[3]),
        }),
        (r(r"^next step is (\d+) days overdue: (.*)$"), en, |l, c| match l {
            Lang::En => format!("next step is {} overdue: {}", days(l, &c[1]), &c[2]),
            Lang::Ru => format!("следующий шаг просрочен на {}: {}", days(l, &c[1]), &c[2]),
        }),
        (
            r(r"^feedback `(.*)` has waited (\d+) days past its answer deadline(; high severity: escalate)?$"),
            en,
            |l, c| {
                let esc = c.get(3).is_some();
                match l {
                    Lang::En => format!(
                        "feedback `{}` has waited {} past its answer deadline{}",
                        &c[1],
                        days(l, &c[2]),
                        if esc { "; high severity: escalate" } else { "" }
                    ),
                    Lang::Ru => format!(
                        "обращение `{}` ждёт ответа на {} дольше срока{}",
                        &c[1],
                        days(l, &c[2]),
                        if esc {
                            "; высокая важность: сообщите руководству"
                        } else {
                            ""
                        }
                    ),
                }
            },
        ),
        (r(r"^link (.*) leads to no note or file$"), ru, |_, c| {
            format!("ссылка {} не ведёт ни к заметке, ни к файлу", &c[1])
        }),
        (r(r"^link (.*) matches (\d+) (notes|files); Obsidian opens `(.*)`$"), ru, |_, c| {
            let what = if &c[3] == "notes" { "заметкам" } else { "файлам" };
            format!("ссылка {} подходит к {} {what}; Obsidian откроет `{}`", &c[1], &c[2], &c[4])
        }),
        (r(r"^link (.*): `(.*)` has no (heading|block) `(.*)`$"), ru, |_, c| {
            let what = if &c[3] == "heading" { "заголовка" } else { "блока" };
            format!("ссылка {}: в `{}` нет {what} `{}`", &c[1], &c[2], &c[4])
        }),
        (r(r"^interaction has no `date`$"), ru, |_, _| "у контакта нет свойства `date`".to_owned()),
        (r(r"^interaction names no client$"), ru, |_, _| "контакт не называет клиента".to_owned()),
        (r(r"^(`.*`) is not a date; write YYYY-MM-DD$"), ru, |_, c| format!("{} — не дата; пишите ГГГГ-ММ-ДД", &c[1])),
        (r(r"^(`.*`) is not one of: (.*)$"), ru, |_, c| format!("{} — не одно из: {}", &c[1], &c[2])),
        (r(r"^(`.*`) is not a number from (.*) to (.*)$"), ru, |_, c| {
            format!("{} — не число от {} до {}", &c[1], &c[2], &c[3])
        }),
        (r(r"^(`.*`) is not a number$"), ru, |_, c| format!("{} — не число", &c[1])),
        (r(r"^generated note does not exist yet$"), ru, |_, _| "сгенерированной заметки ещё нет".to_owned()),
        (r(r"^generated note differs from what `rapport report` would write$"), ru, |_, _| {
            "сгенерированная заметка отличается от того, что запишет `rapport report`".to_owned()
        }),
        (
            r(r"^generated file is no longer generated \(its client is gone or renamed, or its output is off\)$"),
            ru,
            |_, _| {
                "сгенерированный файл больше не создаётся (клиента нет или он переименован, либо вывод выключен)"
                    .to_owned()
            },
        ),
        (r(r"^generated file is no longer generated and was edited by hand since rapport wrote it$"), ru, |_, _| {
            "сгенерированный файл больше не создаётся, и его правили вручную".to_owned()
        }),
        (r(r"^generated note was edited by hand since rapport wrote it; not overwritten$"), ru, |_, _| {
            "сгенерированную заметку правили вручную; она не перезаписана".to_owned()
        }),
        (r(r"^a note that rapport did not generate is in the way; not overwritten$"), ru, |_, _| {
            "на месте сгенерированной заметки лежит чужая; она не перезаписана".to_owned()
        }),
        (r(r"^(alias|client name) `(.*)` is also used by client `(.*)`$"), ru, |_, c| {
            let what = if &c[1] == "alias" { "псевдоним" } else { "имя клиента" };
            format!("{what} `{}` уже есть у клиента `{}`", &c[2], &c[3])
        }),
        (r(r"^(`.*`) is not a cadence; use e\.g\. (.*)$"), ru, |_, c| {
            format!("{} — не периодичность; пишите, например, {}", &c[1], &c[2])
        }),
        (r(r"^invalid YAML in frontmatter: (.*)$"), ru, |_, c| format!("неверный YAML в свойствах: {}", &c[1])),
        (r(r"^not valid UTF-8 \(byte (.*) at offset (\d+)\); note skipped$"), ru, |_, c| {
            format!("не UTF-8 (байт {} на смещении {}); заметка пропущена", &c[1], &c[2])
        }),
        (r(r"^frontmatter opened with `---` is never closed$"), ru, |_, _| {
            "свойства, открытые строкой `---`, нигде не закрыты".to_owned()
        }),
    ]
});

static HINTS: &[(&str, &str)] = &[
    (
        "give each client a distinct name and aliases, or merge the notes",
        "дайте каждому клиенту своё имя и псевдонимы или объедините заметки",
    ),
    ("run `rapport report`", "запустите `rapport report`"),
    ("run `rapport report` to remove it", "запустите `rapport report`, он его удалит"),
    (
        "move your changes into your own notes, then delete it",
        "перенесите свои правки в свои заметки, затем удалите файл",
    ),
    ("add `date: YYYY-MM-DD` to its frontmatter", "добавьте в свойства `date: ГГГГ-ММ-ДД`"),
    ("add a line `---` after the last property", "добавьте строку `---` после последнего свойства"),
    ("save the file as UTF-8", "сохраните файл в UTF-8"),
];

/// A finding's message and hint in the language; English messages get their plural
/// forms right ("1 day", not "1 days"). Unknown messages stay as they are.
pub(super) fn finding(lang: Lang, mut d: Diagnostic) -> Diagnostic {
    for (re, english_too, rewrite) in MESSAGES.iter() {
        if let Some(c) = re.captures(&d.message) {
            if lang == Lang::Ru || *english_too {
                d.message = rewrite(lang, &c);
            }
            break;
        }
    }
    if lang == Lang::Ru {
        if let Some(h) = d.hint.as_deref().and_then(|h| HINTS.iter().find(|(en, _)| *en == h)) {
            d.hint = Some(h.1.to_owned());
        }
    }
    d
}
