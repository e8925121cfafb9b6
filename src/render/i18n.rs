//! Render stage, language: the words of generated text in English and Russian.

use std::fmt::Write as _;

use crate::vocab::Lang;

/// Russian plural form for `n`: one (1, 21), few (2–4, 22–24), many (5–20, 25…).
pub(crate) fn ru_plural<'a>(n: i64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let n = n.unsigned_abs();
    match (n % 10, n % 100) {
        (1, r) if r != 11 => one,
        (2..=4, r) if !(12..=14).contains(&r) => few,
        _ => many,
    }
}

/// `n` with its counted noun, in the given language.
pub(crate) fn count(lang: Lang, n: i64, noun: Noun) -> String {
    let mut s = String::new();
    push_count(&mut s, lang, n, noun);
    s
}

/// Appends [`count`]`(lang, n, noun)`.
pub(crate) fn push_count(out: &mut String, lang: Lang, n: i64, noun: Noun) {
    let word = match lang {
        Lang::En => {
            let (one, many) = noun.en();
            if n.abs() == 1 { one } else { many }
        }
        Lang::Ru => {
            let (one, few, many) = noun.ru();
            ru_plural(n, one, few, many)
        }
    };
    let _ = write!(out, "{n} {word}");
}

/// Nouns that are counted in generated text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Noun {
    Day,
    Year,
    Client,
    Interaction,
    Item,
    Week,
    Month,
}

impl Noun {
    fn en(self) -> (&'static str, &'static str) {
        match self {
            Noun::Day => ("day", "days"),
            Noun::Year => ("year", "years"),
            Noun::Client => ("client", "clients"),
            Noun::Interaction => ("interaction", "interactions"),
            Noun::Item => ("item", "items"),
            Noun::Week => ("week", "weeks"),
            Noun::Month => ("month", "months"),
        }
    }

    fn ru(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Noun::Day => ("день", "дня", "дней"),
            Noun::Year => ("год", "года", "лет"),
            Noun::Client => ("клиент", "клиента", "клиентов"),
            Noun::Interaction => ("контакт", "контакта", "контактов"),
            Noun::Item => ("пункт", "пункта", "пунктов"),
            Noun::Week => ("неделя", "недели", "недель"),
            Noun::Month => ("месяц", "месяца", "месяцев"),
        }
    }
}

/// Picks the English or Russian text.
pub(crate) fn t(lang: Lang, en: &'static str, ru: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ru => ru,
    }
}

/// A model word (tier, status, format, state) in the report's language.
pub(crate) fn word(lang: Lang, w: &str) -> &str {
    match lang {
        Lang::En => w,
        Lang::Ru => crate::vocab::russian(w).unwrap_or(w),
    }
}

/// A decimal number with one digit after the separator (`1.5`, `1,5`).
pub(crate) fn decimal(lang: Lang, x: f64) -> String {
    let s = format!("{x:.1}");
    match lang {
        Lang::En => s,
        Lang::Ru => s.replace('.', ","),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plurals() {
        let days = |n| count(Lang::Ru, n, Noun::Day);
        assert_eq!(days(1), "1 день");
        assert_eq!(days(2), "2 дня");
        assert_eq!(days(4), "4 дня");
        assert_eq!(days(5), "5 дней");
        assert_eq!(days(11), "11 дней");
        assert_eq!(days(12), "12 дней");
        assert_eq!(days(14), "14 дней");
        assert_eq!(days(21), "21 день");
        assert_eq!(days(22), "22 дня");
        assert_eq!(days(25), "25 дней");
        assert_eq!(days(101), "101 день");
        assert_eq!(days(111), "111 дней");
        assert_eq!(days(0), "0 дней");
        assert_eq!(count(Lang::Ru, 3, Noun::Year), "3 года");
        assert_eq!(count(Lang::Ru, 5, Noun::Year), "5 лет");
    }

    #[test]
    fn english_plurals() {
        assert_eq!(count(Lang::En, 1, Noun::Day), "1 day");
        assert_eq!(count(Lang::En, 0, Noun::Day), "0 days");
        assert_eq!(count(Lang::En, 2, Noun::Client), "2 clients");
    }
}
