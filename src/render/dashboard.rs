//! Render stage, `Dashboard.md`: portfolio figures, a table of clients, Mermaid charts.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::i18n::{Noun, count, decimal, t, word};
use super::{Cell, Paths, cadence_text, cell, link};
use crate::metrics::{ClientFigures, Figures, Portfolio, Reminder};
use crate::model::Graph;
use crate::vocab::{Lang, State, Status, Tier};

fn pct(a: usize, b: usize) -> String {
    if b == 0 { "—".into() } else { format!("{}%", (a as f64 * 100.0 / b as f64).round()) }
}

fn num(n: f64) -> String {
    let whole = n.round() as i64;
    let digits = whole.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202F}');
        }
        out.push(ch);
    }
    if whole < 0 { format!("-{out}") } else { out }
}

/// Client rows already written, each with what it was written from. Watch mode keeps
/// them across saves: a row is written again only when its client's figures, fields or
/// card changed, and the others are copied. Rows are found by client index and compared
/// by value, so a rebuild that moves indices costs a render, never a wrong row.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    lang: Option<Lang>,
    kept: Vec<Option<(RowKey, Box<str>)>>,
}

/// Everything one client row shows.
#[derive(Debug, Clone, PartialEq)]
struct RowKey {
    figures: ClientFigures,
    path: String,
    tier: Tier,
    status: Status,
    satisfaction: Option<f64>,
    value: Option<f64>,
    card: Option<String>,
}

impl RowKey {
    fn is(&self, g: &Graph, f: &ClientFigures, card: Option<&str>) -> bool {
        let c = &g.clients[f.client];
        self.figures == *f
            && self.path == c.path
            && self.tier == c.tier
            && self.status == c.status
            && same_number(self.satisfaction, c.satisfaction)
            && same_number(self.value, c.value)
            && self.card.as_deref() == card
    }
}

/// Equal to the bit, so that a value written as `NaN` is the same value next time.
fn same_number(a: Option<f64>, b: Option<f64>) -> bool {
    a.map(f64::to_bits) == b.map(f64::to_bits)
}

/// The body of the dashboard note (no frontmatter).
pub(crate) fn render(g: &Graph, figures: &Figures, lang: Lang, paths: &Paths) -> String {
    render_kept(g, figures, lang, paths, &mut Rows::default())
}

/// [`render`], taking each client row from `rows` when what it shows is unchanged, and
/// keeping this render's rows there.
pub(crate) fn render_kept(g: &Graph, figures: &Figures, lang: Lang, paths: &Paths, rows: &mut Rows) -> String {
    if rows.lang != Some(lang) {
        *rows = Rows { lang: Some(lang), kept: Vec::new() };
    }
    let mut out = String::new();
    let _ = writeln!(out, "# {} · {}\n", t(lang, "Client dashboard", "Клиенты: сводка"), figures.today);
    attention(&mut out, g, figures, lang, &paths.reminders);
    views(&mut out, lang, paths);
    portfolio(&mut out, g, &figures.portfolio, lang);
    clients(&mut out, g, figures, lang, paths, rows);
    per_month(&mut out, &figures.portfolio, lang);
    formats(&mut out, &figures.portfolio, lang);
    out
}

/// What needs attention, as callouts.
fn attention(out: &mut String, g: &Graph, figures: &Figures, lang: Lang, reminders_path: &str) {
    let overdue: Vec<String> =
        figures.clients.iter().filter(|f| f.state == State::Overdue).map(|f| link(&g.clients[f.client].path)).collect();
    let waiting = figures.due.iter().filter(|d| matches!(d.what, Reminder::Feedback { .. })).count();
    let escalate = figures.due.iter().filter(|d| d.what.escalate()).count();
    let steps_overdue: usize = figures.clients.iter().map(|f| f.overdue_next_steps).sum();
    if overdue.is_empty() && waiting == 0 && steps_overdue == 0 {
        let _ = writeln!(
            out,
            "> [!success] {}\n",
            t(lang, "Every relationship is within its cadence.", "Все контакты в срок.")
        );
    } else {
        let _ = writeln!(out, "> [!warning] {}", t(lang, "Needs attention", "Требует внимания"));
        if !overdue.is_empty() {
            let label = match lang {
                Lang::En => format!("{} overdue for contact", count(lang, overdue.len() as i64, Noun::Client)),
                Lang::Ru => format!("{} с просроченным контактом", count(lang, overdue.len() as i64, Noun::Client)),
            };
            let _ = writeln!(out, "> - {label}: {}", overdue.join(", "));
        }
        if steps_overdue > 0 {
            let _ =
                writeln!(out, "> - {}: {steps_overdue}", t(lang, "Next steps overdue", "Просроченные следующие шаги"));
        }
        if waiting > 0 {
            let _ = writeln!(
                out,
                "> - {}: {waiting} ({}: {escalate})",
                t(lang, "Feedback waiting for an answer", "Обращения без ответа"),
                t(lang, "to escalate", "сообщить руководству")
            );
        }
        let _ = writeln!(out, "> - {}: {}", t(lang, "Details", "Подробности"), link(reminders_path));
        out.push('\n');
    }
}

/// The portfolio's figures, as a table.
fn portfolio(out: &mut String, g: &Graph, p: &Portfolio, lang: Lang) {
    let _ = writeln!(out, "## {}\n", t(lang, "Portfolio", "Портфель"));
    let _ = writeln!(out, "| {} | {} |\n|---|---|", t(lang, "Figure", "Показатель"), t(lang, "Value", "Значение"));
    let joined = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter().map(|(k, v)| format!("{} {v}", word(lang, k))).collect::<Vec<_>>().join(", ")
    };
    let rows: Vec<(&str, String)> = vec![
        (t(lang, "Clients", "Клиенты"), format!("{} ({})", g.clients.len(), joined(&p.by_tier))),
        (t(lang, "By status", "По статусу"), joined(&p.by_status)),
        (t(lang, "By state", "По состоянию"), joined(&p.by_state)),
        (
            t(lang, "Active clients within cadence", "Активные клиенты в срок"),
            format!("{} / {} ({})", p.active_within_cadence, p.active, pct(p.active_within_cadence, p.active)),
        ),
        (
            t(lang, "Retention, 365 days", "Удержание за 365 дней"),
            format!("{} / {} ({})", p.retained, p.retention_base, pct(p.retained, p.retention_base)),
        ),
        (t(lang, "Clients who came by referral", "Клиенты по рекомендации"), p.referrals.to_string()),
        (
            "NPS",
            match p.nps {
                Some(n) => format!(
                    "{n:+} ({} {}, {} {}, {} {})",
                    t(lang, "promoters", "промоутеры"),
                    p.promoters,
                    t(lang, "passives", "нейтралы"),
                    p.passives,
                    t(lang, "detractors", "критики"),
                    p.detractors
                ),
                None => "—".into(),
            },
        ),
        (
            t(lang, "Median feedback answer time", "Медианное время ответа на обращения"),
            p.median_answer_days.map_or("—".into(), |d| match lang {
                Lang::En => format!("{} days", decimal(lang, d)),
                Lang::Ru => format!("{} дн.", decimal(lang, d)),
            }),
        ),
        (t(lang, "Open feedback", "Открытые обращения"), p.open_feedback.to_string()),
        (t(lang, "Yearly value", "Годовой объём"), num(p.value_total)),
    ];
    for (k, v) in rows {
        let _ = writeln!(out, "| {} | {} |", cell(k), cell(&v));
    }
    out.push('\n');
}

/// One row per client, most urgent state first.
fn clients(out: &mut String, g: &Graph, figures: &Figures, lang: Lang, paths: &Paths, rows: &mut Rows) {
    let _ = writeln!(out, "## {}\n", t(lang, "Clients", "Клиенты"));
    let head = match lang {
        Lang::En => {
            "| Client | Tier | Status | State | Last contact | Days since | Cadence | Next due | 90 d | 365 d | Mean interval | Formats | Us / them | Next steps (overdue) | Referrals | Satisfaction | Value |"
        }
        Lang::Ru => {
            "| Клиент | Уровень | Статус | Состояние | Последний контакт | Дней прошло | Периодичность | Следующий контакт | 90 дн. | 365 дн. | Средний интервал | Форматы | Мы / они | Шаги (просрочено) | Рекомендации | Удовлетворённость | Объём |"
        }
    };
    let _ = writeln!(out, "{head}\n|---|---|---|---|---|---:|---|---|---:|---:|---:|---|---|---|---:|---:|---:|");
    let mut order: Vec<_> = figures.clients.iter().collect();
    order.sort_by(|a, b| (a.state, &g.clients[a.client].path).cmp(&(b.state, &g.clients[b.client].path)));
    rows.kept.resize_with(g.clients.len(), || None);
    let card = |f: &ClientFigures| paths.cards.get(f.client).and_then(Option::as_deref);
    // Rows to write again: those whose client shows something else than last time.
    let stale: Vec<&ClientFigures> = figures
        .clients
        .iter()
        .filter(|f| !matches!(&rows.kept[f.client], Some((key, _)) if key.is(g, f, card(f))))
        .collect();
    let fresh: Vec<(usize, RowKey, Box<str>)> = stale
        .par_iter()
        .map(|f| {
            let c = &g.clients[f.client];
            let mut row = String::with_capacity(256);
            client_row(&mut row, g, f, lang, card(f));
            let key = RowKey {
                figures: (*f).clone(),
                path: c.path.clone(),
                tier: c.tier,
                status: c.status,
                satisfaction: c.satisfaction,
                value: c.value,
                card: card(f).map(str::to_owned),
            };
            (f.client, key, row.into_boxed_str())
        })
        .collect();
    for (client, key, row) in fresh {
        rows.kept[client] = Some((key, row));
    }
    let row = |f: &ClientFigures| rows.kept[f.client].as_ref().map_or("", |(_, row)| row);
    out.reserve(order.iter().map(|f| row(f).len()).sum::<usize>() + 1);
    for f in order {
        out.push_str(row(f));
    }
    out.push('\n');
}

/// Interactions per month, as a bar chart.
fn per_month(out: &mut String, p: &Portfolio, lang: Lang) {
    let _ = writeln!(out, "## {}\n", t(lang, "Interactions per month", "Контакты по месяцам"));
    let max = p.per_month.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let months: Vec<String> = p.per_month.iter().map(|(m, _)| format!("\"{}\"", m.format("%Y-%m"))).collect();
    let counts: Vec<String> = p.per_month.iter().map(|(_, n)| n.to_string()).collect();
    let _ = writeln!(
        out,
        "```mermaid\nxychart-beta\n    title \"{}\"\n    x-axis [{}]\n    y-axis \"{}\" 0 --> {max}\n    bar [{}]\n```\n",
        t(lang, "Interactions per month", "Контакты по месяцам"),
        months.join(", "),
        t(lang, "interactions", "контакты"),
        counts.join(", ")
    );
}

/// Interaction formats of the last 365 days, as a pie chart.
fn formats(out: &mut String, p: &Portfolio, lang: Lang) {
    let _ = writeln!(out, "## {}\n", t(lang, "Formats, last 365 days", "Форматы за 365 дней"));
    if p.formats.is_empty() {
        let _ =
            writeln!(out, "{}\n", t(lang, "No interactions in the last 365 days.", "За 365 дней контактов не было."));
    } else {
        let _ = writeln!(out, "```mermaid\npie showData\n    title {}", t(lang, "Formats", "Форматы"));
        for (f, n) in &p.formats {
            let _ = writeln!(out, "    \"{}\" : {n}", word(lang, f).replace('"', "'"));
        }
        let _ = writeln!(out, "```");
    }
}

/// Appends one row of the client table. Thousands of rows: written in place, one
/// cell after another, without a string per cell.
fn client_row(out: &mut String, g: &Graph, f: &ClientFigures, lang: Lang, card: Option<&str>) {
    let c = &g.clients[f.client];
    let dash = "—";
    out.push_str("| ");
    let cell = |out: &mut String, args: std::fmt::Arguments<'_>| {
        let _ = Cell(out).write_fmt(args);
        out.push_str(" | ");
    };
    match card {
        Some(card) => cell(out, format_args!("{} · {}", link(&c.path), card_link(card, lang))),
        None => cell(out, format_args!("{}", link(&c.path))),
    }
    cell(out, format_args!("{}", word(lang, c.tier.as_str())));
    cell(out, format_args!("{}", word(lang, c.status.as_str())));
    cell(out, format_args!("{} {}", f.state.emoji(), word(lang, f.state.as_str())));
    match f.last_contact {
        Some(d) => cell(out, format_args!("{d}")),
        None => cell(out, format_args!("{dash}")),
    }
    match f.days_since {
        Some(d) => cell(out, format_args!("{d}")),
        None => cell(out, format_args!("{dash}")),
    }
    match f.cadence {
        Some(x) => cell(out, format_args!("{}", cadence_text(lang, x))),
        None => cell(out, format_args!("{dash}")),
    }
    match f.next_due {
        Some(d) => cell(out, format_args!("{d}")),
        None => cell(out, format_args!("{dash}")),
    }
    cell(out, format_args!("{}", f.interactions_90d));
    cell(out, format_args!("{}", f.interactions_365d));
    match f.mean_interval_days {
        Some(d) => cell(out, format_args!("{d:.0}")),
        None => cell(out, format_args!("{dash}")),
    }
    if f.formats.is_empty() {
        cell(out, format_args!("{dash}"));
    } else {
        let _ = write!(Cell(out), "{}: ", f.formats.len());
        for (i, x) in f.formats.iter().enumerate() {
            let _ = write!(Cell(out), "{}{}", if i == 0 { "" } else { ", " }, word(lang, x));
        }
        out.push_str(" | ");
    }
    cell(out, format_args!("{} / {}", f.initiated_us, f.initiated_them));
    cell(out, format_args!("{} ({})", f.open_next_steps, f.overdue_next_steps));
    cell(out, format_args!("{}", f.referrals));
    match c.satisfaction {
        Some(s) => cell(out, format_args!("{s}")),
        None => cell(out, format_args!("{dash}")),
    }
    match c.value {
        Some(v) => cell(out, format_args!("{}", num(v))),
        None => cell(out, format_args!("{dash}")),
    }
    // The last separator becomes the row's end.
    out.truncate(out.len() - 1);
    out.push('\n');
}

/// A link to a client's card, shown as "card".
fn card_link(path: &str, lang: Lang) -> String {
    let stem = path.strip_suffix(".md").unwrap_or(path);
    format!("[[{stem}|{}]]", t(lang, "card", "карточка"))
}

/// One line linking the base, the canvas and the cards, when they are on.
fn views(out: &mut String, lang: Lang, links: &Paths) {
    let mut parts = Vec::new();
    if let Some(base) = &links.base {
        parts.push(format!("[[{base}|{}]]", t(lang, "clients base", "база клиентов")));
    }
    if let Some(canvas) = &links.canvas {
        parts.push(format!("[[{canvas}|{}]]", t(lang, "relationship map", "карта связей")));
    }
    if links.cards.iter().any(Option::is_some) {
        parts.push(format!("{} `{}/`", t(lang, "a card per client in", "карточка на клиента в"), links.cards_folder));
    }
    if !parts.is_empty() {
        let _ = writeln!(out, "{}: {}\n", t(lang, "Open in Obsidian", "Открыть в Obsidian"), parts.join(" · "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Fixture;

    fn paths(cards: Vec<Option<String>>) -> Paths {
        Paths {
            reminders: "CRM/Reminders.md".into(),
            dashboard: "CRM/Dashboard.md".into(),
            cards_folder: "CRM/Clients".into(),
            cards,
            base: None,
            canvas: None,
        }
    }

    /// A row kept from an earlier render is used only when everything it shows is the
    /// same: each case changes one thing a row shows and no figure.
    #[test]
    fn kept_rows_are_written_again_when_what_they_show_changes() {
        let beta = "---\ntype: client\n---\n- 2026-10-01 email\n";
        let card = || vec![Some("CRM/Clients/Acme · card.md".to_owned()), None];
        // Each case changes one thing from the one before.
        let acme = |tier: &str, satisfaction: u8, value: u32, status: &str| {
            format!(
                "---\ntype: client\ncadence: monthly\ntier: {tier}\nsatisfaction: {satisfaction}\nvalue: {value}\n{status}---\n- 2026-11-01 call\n"
            )
        };
        let paused = "status: paused\npaused_until: 2026-01-01\n";
        let cases: &[(&str, String, Vec<Option<String>>, Lang)] = &[
            ("Acme.md", acme("key", 8, 1200, ""), card(), Lang::En),
            ("Acme.md", acme("supporting", 8, 1200, ""), card(), Lang::En),
            ("Acme.md", acme("supporting", 9, 1200, ""), card(), Lang::En),
            ("Acme.md", acme("supporting", 9, 1300, ""), card(), Lang::En),
            ("Acme.md", acme("supporting", 9, 1300, paused), card(), Lang::En),
            ("Acme.md", acme("supporting", 9, 1300, paused), vec![None, None], Lang::En),
            ("Acme.md", acme("supporting", 9, 1300, paused), card(), Lang::En),
            ("Acme.md", acme("supporting", 9, 1300, paused), card(), Lang::Ru),
            // Renamed: the same figures under another path.
            ("Acme Ltd.md", acme("supporting", 9, 1300, paused), card(), Lang::Ru),
        ];
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let config = crate::Config::default();
        let mut rows = Rows::default();
        let mut last = None;
        for (path, text, cards, lang) in cases {
            let (g, _) = Fixture::new(&[(path, text), ("Beta.md", beta)]).build(&config);
            let figures = crate::metrics::compute(&g, &config, today);
            let paths = paths(cards.clone());
            let kept = render_kept(&g, &figures, *lang, &paths, &mut rows);
            assert_eq!(kept, render(&g, &figures, *lang, &paths), "{path}: {text:?} {cards:?} {lang:?}");
            assert_ne!(last.as_ref(), Some(&kept), "{path}: {text:?}: the case changes the dashboard");
            last = Some(kept);
        }
    }
}
