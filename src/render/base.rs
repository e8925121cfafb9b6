//! Render stage, `Clients.base`: a Bases file over the client cards.
//!
//! Days since the last contact and days until due are Bases formulas over the cards'
//! dates (`today()` and date arithmetic), so the views are right every day without a
//! rewrite. Written to the syntax of Obsidian's Bases documentation: global `filters`,
//! `formulas`, `properties` (display names) and `views` (table and cards).

use std::fmt::Write as _;

use super::i18n::t;
use crate::vocab::Lang;

/// A Bases string literal inside an expression, as a YAML single-quoted scalar.
fn literal_in(expr_before: &str, value: &str, expr_after: &str) -> String {
    let value = value.replace('\\', "\\\\").replace('"', "\\\"");
    yaml_single(&format!("{expr_before}\"{value}\"{expr_after}"))
}

/// A YAML single-quoted scalar.
fn yaml_single(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The formulas, by name: each is used by a view and defined here once.
pub(crate) const FORMULAS: &[(&str, &str)] = &[
    ("days_since_contact", "if(last_contact, ((today() - last_contact) / 86400000).round())"),
    ("days_until_due", "if(next_due, ((next_due - today()) / 86400000).round())"),
];

/// A fingerprint of what [`render`] is given: equal fingerprints, equal bytes.
pub(crate) fn fingerprint(cards_folder: &str, soon_days: u32, lang: Lang) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::hash::DefaultHasher::new();
    (cards_folder, soon_days, matches!(lang, Lang::Ru)).hash(&mut h);
    h.finish()
}

/// The YAML of the base over the cards in `cards_folder`; "needs contact" reaches
/// `soon_days` ahead, as the reminders do.
pub(crate) fn render(cards_folder: &str, soon_days: u32, lang: Lang) -> String {
    let mut y = String::with_capacity(2048);
    y.push_str("filters:\n  and:\n");
    let _ = writeln!(y, "    - {}", literal_in("file.inFolder(", cards_folder, ")"));
    let _ = writeln!(y, "    - {}", yaml_single("file.ext == \"md\""));
    y.push_str("formulas:\n");
    for (name, expr) in FORMULAS {
        let _ = writeln!(y, "  {name}: {}", yaml_single(expr));
    }
    y.push_str("properties:\n");
    let names: &[(&str, &str, &str)] = &[
        ("client", "Client", "Клиент"),
        ("tier", "Tier", "Уровень"),
        ("status", "Status", "Статус"),
        ("state", "State", "Состояние"),
        ("last_contact", "Last contact", "Последний контакт"),
        ("next_due", "Next due", "Следующий контакт"),
        ("cadence_days", "Cadence, days", "Периодичность, дней"),
        ("interactions_90d", "90 d", "90 дн."),
        ("interactions_365d", "365 d", "365 дн."),
        ("open_next_steps", "Next steps", "Шаги"),
        ("overdue_next_steps", "Overdue steps", "Просроченные шаги"),
        ("satisfaction", "Satisfaction", "Удовлетворённость"),
        ("company", "Company", "Компания"),
        ("people", "People", "Люди"),
        ("formula.days_since_contact", "Days since", "Дней прошло"),
        ("formula.days_until_due", "Days until due", "Дней до контакта"),
    ];
    for (key, en, ru) in names {
        let _ = writeln!(y, "  {key}:\n    displayName: {}", yaml_single(t(lang, en, ru)));
    }
    y.push_str("views:\n");
    // Overdue and due soon, most urgent first; also clients with overdue next steps.
    let _ = writeln!(y, "  - type: table\n    name: {}", yaml_single(t(lang, "Needs contact", "Пора связаться")));
    y.push_str("    filters:\n      and:\n        - or:\n");
    let _ = writeln!(
        y,
        "            - and:\n                - next_due\n                - 'formula.days_until_due <= {soon_days}'"
    );
    y.push_str("            - 'overdue_next_steps > 0'\n");
    y.push_str("        - not:\n            - 'status == \"former\"'\n            - 'status == \"prospect\"'\n");
    order(
        &mut y,
        &[
            "client",
            "tier",
            "state",
            "last_contact",
            "formula.days_since_contact",
            "next_due",
            "formula.days_until_due",
            "open_next_steps",
            "overdue_next_steps",
        ],
    );
    y.push_str("    sort:\n      - property: next_due\n        direction: ASC\n");
    let _ = writeln!(y, "  - type: table\n    name: {}", yaml_single(t(lang, "All clients", "Все клиенты")));
    y.push_str("    groupBy:\n      property: tier\n      direction: ASC\n");
    order(
        &mut y,
        &[
            "client",
            "status",
            "state",
            "last_contact",
            "formula.days_since_contact",
            "next_due",
            "cadence_days",
            "interactions_90d",
            "interactions_365d",
            "satisfaction",
            "company",
        ],
    );
    y.push_str("    sort:\n      - property: file.name\n        direction: ASC\n");
    let _ = writeln!(y, "  - type: cards\n    name: {}", yaml_single(t(lang, "Cards", "Карточки")));
    order(&mut y, &["client", "state", "next_due", "formula.days_until_due", "people"]);
    y.push_str("    sort:\n      - property: next_due\n        direction: ASC\n");
    y
}

fn order(y: &mut String, props: &[&str]) {
    y.push_str("    order:\n");
    for p in props {
        let _ = writeln!(y, "      - {p}");
    }
}
