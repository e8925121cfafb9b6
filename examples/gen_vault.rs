//! Deterministic generator of a large Obsidian vault of client notes, for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_vault -- --clients 5000 --interactions 50000 [--seed N] [--shape long] DIR
//! ```
//!
//! Only the standard library is used (no `rapport` code), so the generator keeps building
//! while the library changes. The same arguments give a byte-identical vault: all
//! randomness comes from a SplitMix64 generator seeded with `--seed` (default 42), and
//! nothing depends on hash-map order, the clock or the environment.
//!
//! Layout for `--clients C --interactions I`:
//!
//! - `Clients/` C clients; `People/` about 1.5 C contacts; `Companies/` C/50 (at least 3)
//!   companies that are not clients; `Feedback/` C/4 feedback notes;
//! - the I interactions: 70 % as notes in `Interactions/`, 20 % as log lines in client and
//!   person notes, 10 % as client links in daily notes `Daily/YYYY-MM-DD.md` (at most one
//!   note per day of 2024-01-01..2026-12-31; `.obsidian/daily-notes.json` says so);
//! - about 0.1 % of the links are broken on purpose (a missing note, a missing heading,
//!   or a client's alias used as a link target).
//!
//! Two shapes of note. `--shape short` (the default) averages about 0.7 KB a note.
//! `--shape long` is closer to a vault kept for years: notes average 1.5–2 KB, with three
//! times the log lines, prose paragraphs in interaction, person and daily notes, and more
//! links per note (people, clients and other interactions mentioned in the prose). The
//! short shape is byte-identical to what the generator wrote before the long one existed.
//!
//! DIR must be missing or empty, or hold a vault written earlier by this program (it has
//! a `.gen_vault` marker file and nothing at its top level but what the generator writes
//! plus `CRM/`, the output of `rapport report`): that one is deleted and regenerated.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: gen_vault [--clients N] [--interactions N] [--seed N] DIR

Writes a deterministic Obsidian vault of client notes into DIR.
  --clients N        number of client notes (default 5000)
  --interactions N   number of interactions: notes, log lines and daily-note links (default 50000)
  --seed N           PRNG seed (default 42)
  --shape S          short (default; notes average 0.7 KB) or long (1.5-2 KB, longer logs, prose, more links)
DIR must be empty or missing, or a vault written earlier by gen_vault (marker file .gen_vault).";

const MARKER: &str = ".gen_vault";
/// Top-level entries of a generated vault; `CRM` is what `rapport report` adds to it.
const OWNED: &[&str] =
    &[MARKER, ".obsidian", "Clients", "People", "Companies", "Interactions", "Daily", "Feedback", "CRM"];

// ---------------------------------------------------------------------------------------
// PRNG

/// SplitMix64: tiny, fast, and good enough for test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-shift (no modulo bias worth mentioning).
    fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `num / den`.
    fn chance(&mut self, num: u32, den: u32) -> bool {
        self.below(den as usize) < num as usize
    }

    fn pick<'a, T: ?Sized>(&mut self, xs: &'a [&'a T]) -> &'a T {
        xs[self.below(xs.len())]
    }
}

// ---------------------------------------------------------------------------------------
// Dates: day numbers counted from 2024-01-01 (day 0) to 2026-12-31 (day 1095).

const DAYS: usize = 366 + 365 + 365;
/// 2026-01-01.
const DAY_2026: usize = 366 + 365;

fn date_table() -> Vec<String> {
    let mut out = Vec::with_capacity(DAYS);
    for year in 2024..=2026u32 {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let lens = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        for (m, len) in lens.iter().enumerate() {
            for d in 1..=*len {
                out.push(format!("{year:04}-{:02}-{d:02}", m + 1));
            }
        }
    }
    debug_assert_eq!(out.len(), DAYS);
    out
}

// ---------------------------------------------------------------------------------------
// Word lists (all names are NFC; none holds a character Obsidian forbids in a link).

const FIRST: &[&str] = &[
    "Анна",
    "Иван",
    "Ольга",
    "Пётр",
    "Мария",
    "Сергей",
    "Елена",
    "Дмитрий",
    "Наталья",
    "Алексей",
    "Юлия",
    "Михаил",
    "Татьяна",
    "Андрей",
    "Ксения",
    "Фёдор",
    "Zoë",
    "Łukasz",
    "Amélie",
    "Søren",
    "John",
    "Maria",
    "Chloé",
    "José",
    "Björn",
    "Ingrid",
    "Mateusz",
    "Aiko",
    "Liam",
    "Noémie",
    "Jürgen",
    "Siobhán",
    "Ayşe",
    "François",
];
const LAST: &[&str] = &[
    "Петрова",
    "Смирнов",
    "Кузнецов",
    "Белов",
    "Иванова",
    "Соколов",
    "Попова",
    "Лебедев",
    "Козлова",
    "Новиков",
    "Морозова",
    "Волков",
    "Ёлкин",
    "García",
    "O'Neil",
    "Nørgaard",
    "Müller",
    "Tanaka",
    "Dvořák",
    "Kowalski",
    "Łoś",
    "Smith",
    "Björk",
    "Ferreira",
    "Nakamura",
    "van der Berg",
    "Schäfer",
    "Öztürk",
];
const CO_PREFIX: &[&str] = &["ООО ", "АО ", "ИП ", "", "", "", "", "", "", ""];
const CO_WORD: &[&str] = &[
    "Альфа",
    "Северный",
    "Полёт",
    "Вектор",
    "Тайга",
    "Горизонт",
    "Ёж",
    "Blue Fox",
    "Acme",
    "Nord",
    "Żagiel",
    "Orion",
    "Café Lumière",
    "Zenith",
    "Лесной",
    "Приморье",
    "Kraków",
    "Öresund",
    "Малахит",
    "Sólheimar",
    "Тех",
    "Ладога",
    "Bright Oak",
    "Škoda Parts",
];
const CO_TAIL: &[&str] = &[
    "Tech",
    "Строй",
    "Ltd",
    "GmbH",
    "& Sons",
    "Логистик",
    "Консалтинг",
    "Labs",
    "Trade",
    "ветер",
    "Systems",
    "Групп",
    "Médical",
    "S.A.",
    "Холдинг",
    "Digital",
    "Agro",
    "Partners",
];
const ROLES: &[&str] = &[
    "CEO",
    "CTO",
    "CFO",
    "Финансовый директор",
    "Head of Procurement",
    "менеджер по закупкам",
    "Account manager",
    "Главный бухгалтер",
    "Operations lead",
    "директор по развитию",
    "IT-директор",
    "Office manager",
];
const CADENCES: &[&str] = &[
    "2w",
    "monthly",
    "quarterly",
    "10d",
    "P14D",
    "3 weeks",
    "weekly",
    "biweekly",
    "3m",
    "1y",
    "2 months",
    "16days",
    "P1M",
    "yearly",
];
const FORMATS_EN: &[&str] = &["call", "meeting", "email", "chat", "message", "lunch", "event", "visit"];
const FORMATS_RU: &[&str] = &["звонок", "встреча", "письмо", "чат", "обед", "мероприятие"];
const TOPICS: &[&str] = &[
    "renewal",
    "pricing",
    "onboarding",
    "support",
    "roadmap",
    "invoice",
    "pilot",
    "training",
    "продление",
    "счёт",
    "пилот",
    "обучение",
    "договор",
    "поставка",
    "интеграция",
    "скидка",
    "отзыв",
    "referral",
];
const LOG_TEXT: &[&str] = &[
    "talked about the plan",
    "renewal, they want a Q1 pilot",
    "sent the proposal",
    "quick catch-up",
    "asked about the new pricing",
    "обсудили продление договора",
    "отправили коммерческое предложение",
    "жалоба на сроки поставки, обещали ответить",
    "поздравили с годовщиной",
    "договорились о встрече в офисе",
    "new CFO joined, intro call",
    "уточнили реквизиты для счёта",
];
const TASKS: &[&str] = &[
    "Send the proposal",
    "Call back about the invoice",
    "Prepare the QBR deck",
    "Отправить договор на подпись",
    "Позвонить по поводу продления",
    "Согласовать скидку",
    "Book a lunch",
    "Поздравить с днём рождения",
    "Share the roadmap",
    "Выставить счёт",
];
const SENT_EN: &[&str] = &[
    "The team is happy with the service but worried about delivery times",
    "They plan to expand to two more offices next year",
    "Budget decisions are made in the fourth quarter",
    "The procurement process takes about six weeks",
    "Our main contact prefers short calls in the morning",
    "They compared us with two competitors last spring",
    "Support tickets went down after the training",
    "The board wants a clear return on the investment",
    "A pilot in the northern region went well",
    "They asked for quarterly reports instead of monthly ones",
    "Payment terms are net sixty days",
    "The new warehouse opens in the summer",
];
const SENT_RU: &[&str] = &[
    "Команда довольна сервисом, но беспокоится о сроках поставки",
    "В следующем году планируют открыть ещё два офиса",
    "Решения по бюджету принимаются в четвёртом квартале",
    "Закупка у них занимает около шести недель",
    "Основной контакт предпочитает короткие звонки утром",
    "Весной сравнивали нас с двумя конкурентами",
    "После обучения число обращений в поддержку снизилось",
    "Совет директоров ждёт понятной окупаемости",
    "Пилот в северном регионе прошёл успешно",
    "Попросили квартальные отчёты вместо ежемесячных",
    "Отсрочка платежа шестьдесят дней",
    "Новый склад открывается летом",
];
const FEEDBACK_TEXT: &[&str] = &[
    "Жалоба на задержку поставки",
    "Request for a custom report",
    "Claim about a wrong invoice",
    "Просьба добавить выгрузку в Excel",
    "Complaint about slow support answers",
    "Благодарность команде внедрения",
];

// ---------------------------------------------------------------------------------------
// The model, built in memory first so that notes can link each other both ways.

struct LogLine {
    day: usize,
    format: &'static str,
    text: &'static str,
    /// Heading style (`## 2026-11-20 обед`) instead of a list item.
    heading: bool,
}

struct Client {
    name: String,
    key: bool,
    /// Tier given only by a `#client/key` tag in the body.
    tier_by_tag: bool,
    status: &'static str,
    cadence: Option<&'static str>,
    since: usize,
    alias: Option<String>,
    people: Vec<usize>,
    referred_by: Option<Ref>,
    logs: Vec<LogLine>,
}

#[derive(Clone, Copy)]
enum Ref {
    Client(usize),
    Person(usize),
}

struct Person {
    name: String,
    client: usize,
    role: &'static str,
    logs: Vec<LogLine>,
    /// `left` day and new company index.
    moved: Option<(usize, usize)>,
}

struct Vault {
    dates: Vec<String>,
    clients: Vec<Client>,
    people: Vec<Person>,
    companies: Vec<String>,
    key_clients: Vec<usize>,
}

impl Vault {
    fn date(&self, day: usize) -> &str {
        &self.dates[day]
    }
}

fn person_name(rng: &mut Rng, idx: usize) -> String {
    format!("{} {} p{idx}", rng.pick(FIRST), rng.pick(LAST))
}

fn company_name(rng: &mut Rng, suffix: &str) -> String {
    let prefix = rng.pick(CO_PREFIX);
    let word = rng.pick(CO_WORD);
    match rng.below(4) {
        0 => format!("{prefix}{word} {suffix}"),
        1 => format!("{prefix}{word}-{} {suffix}", rng.pick(CO_TAIL)),
        _ => format!("{prefix}{word} {} {suffix}", rng.pick(CO_TAIL)),
    }
}

/// A date-ordered log of `n` entries.
fn make_logs(rng: &mut Rng, n: usize, from: usize, allow_heading: bool) -> Vec<LogLine> {
    let mut logs: Vec<LogLine> = (0..n)
        .map(|_| LogLine {
            day: if rng.chance(1, 2) { rng.range(from, DAYS - 1) } else { rng.range(DAY_2026.max(from), DAYS - 1) },
            format: if rng.chance(1, 3) { rng.pick(FORMATS_RU) } else { rng.pick(FORMATS_EN) },
            text: rng.pick(LOG_TEXT),
            heading: allow_heading && rng.chance(1, 20),
        })
        .collect();
    logs.sort_by_key(|l| l.day);
    logs
}

fn build(rng: &mut Rng, n_clients: usize, n_log_lines: usize) -> Vault {
    let dates = date_table();
    let mut clients = Vec::with_capacity(n_clients);
    let mut key_clients = Vec::new();
    for i in 0..n_clients {
        let name = if rng.chance(1, 5) {
            format!("{} {} {i}", rng.pick(FIRST), rng.pick(LAST))
        } else {
            company_name(rng, &i.to_string())
        };
        let key = rng.chance(1, 5);
        if key {
            key_clients.push(i);
        }
        let status = match rng.below(100) {
            0..=84 => "active",
            85..=90 => "paused",
            91..=95 => "former",
            _ => "prospect",
        };
        let cadence = if rng.chance(3, 5) { Some(rng.pick(CADENCES)) } else { None };
        let alias = if rng.chance(1, 4) {
            let first = name.split([' ', '-']).find(|w| !w.is_empty() && *w != "ООО" && *w != "АО" && *w != "ИП");
            Some(format!("{}-{i}", first.unwrap_or("Client")))
        } else {
            None
        };
        let referred_by = if i > 10 && rng.chance(1, 10) {
            Some(if rng.chance(3, 4) { Ref::Client(rng.below(i)) } else { Ref::Person(0) })
        } else {
            None
        };
        clients.push(Client {
            name,
            key,
            tier_by_tag: key && rng.chance(1, 5),
            status,
            cadence,
            since: rng.below(DAYS - 60),
            alias,
            people: Vec::new(),
            referred_by,
            logs: Vec::new(),
        });
    }

    let mut people = Vec::with_capacity(n_clients * 3 / 2 + 1);
    for (ci, client) in clients.iter_mut().enumerate() {
        let n = 1 + usize::from(rng.chance(1, 2));
        for _ in 0..n {
            let idx = people.len();
            client.people.push(idx);
            people.push(Person {
                name: person_name(rng, idx),
                client: ci,
                role: rng.pick(ROLES),
                logs: Vec::new(),
                moved: None,
            });
        }
    }
    // Person referrals point at a person of an earlier client.
    for i in 0..clients.len() {
        if let Some(Ref::Person(_)) = clients[i].referred_by {
            let other = rng.below(i);
            let p = clients[other].people[0];
            clients[i].referred_by = Some(Ref::Person(p));
        }
    }

    let n_companies = (n_clients / 50).max(3);
    let companies: Vec<String> = (0..n_companies).map(|i| company_name(rng, &format!("c{i}"))).collect();
    for p in people.iter_mut() {
        if rng.chance(1, 50) {
            p.moved = Some((rng.range(DAY_2026, DAYS - 1), rng.below(n_companies)));
        }
    }

    // Log lines: 80 % in client notes (key clients twice as likely), 20 % in person notes.
    let mut per_client = vec![0usize; clients.len()];
    let mut per_person = vec![0usize; people.len()];
    for _ in 0..n_log_lines {
        if rng.chance(4, 5) {
            let ci = if !key_clients.is_empty() && rng.chance(1, 3) {
                key_clients[rng.below(key_clients.len())]
            } else {
                rng.below(clients.len())
            };
            per_client[ci] += 1;
        } else {
            per_person[rng.below(people.len())] += 1;
        }
    }
    for (c, n) in clients.iter_mut().zip(per_client) {
        c.logs = make_logs(rng, n, c.since, true);
    }
    for (p, n) in people.iter_mut().zip(per_person) {
        p.logs = make_logs(rng, n, 0, false);
    }

    Vault { dates, clients, people, companies, key_clients }
}

// ---------------------------------------------------------------------------------------
// Text

struct Gen {
    rng: Rng,
    links: u64,
    broken: u64,
    /// The long shape: every addition it makes draws from the generator only when set, so
    /// the short shape stays byte-identical.
    long: bool,
    /// Paths (without `.md`) of the interaction notes written so far, for long-shape links.
    interactions: Vec<String>,
}

impl Gen {
    /// A wikilink (or embed); about 1 in 1000 is broken on purpose.
    fn link(
        &mut self,
        target: &str,
        anchor: Option<&str>,
        shown: Option<&str>,
        embed: bool,
        alias: Option<&str>,
    ) -> String {
        self.links += 1;
        let bang = if embed { "!" } else { "" };
        if self.rng.chance(1, 1000) {
            self.broken += 1;
            return match (self.rng.below(3), alias) {
                (0, Some(alias)) => format!("{bang}[[{alias}]]"),
                (1, _) => format!("{bang}[[{target}#Нет такого раздела]]"),
                _ => format!("{bang}[[{target} (old)]]"),
            };
        }
        let mut s = format!("{bang}[[{target}");
        if let Some(a) = anchor {
            s.push('#');
            s.push_str(a);
        }
        if let Some(t) = shown {
            s.push('|');
            s.push_str(t);
        }
        s.push_str("]]");
        s
    }

    fn client_link(&mut self, v: &Vault, ci: usize) -> String {
        let c = &v.clients[ci];
        let anchor = match self.rng.below(12) {
            0 => Some("Log"),
            1 => Some("Next steps"),
            2 => Some("^summary"),
            _ => None,
        };
        let shown = match (&c.alias, self.rng.below(4)) {
            (Some(a), 0) => Some(a.as_str()),
            _ => None,
        };
        let embed = anchor.is_some() && self.rng.chance(1, 8);
        self.link(&c.name, anchor, shown, embed, c.alias.as_deref())
    }

    fn person_link(&mut self, v: &Vault, pi: usize) -> String {
        let p = &v.people[pi];
        let anchor = if self.rng.chance(1, 15) { Some("Notes") } else { None };
        let first = p.name.split(' ').next().unwrap_or("");
        let shown = if self.rng.chance(1, 4) { Some(first) } else { None };
        self.link(&p.name, anchor, shown, false, None)
    }

    fn sentence(&mut self, out: &mut String) {
        let s = if self.rng.chance(1, 2) { self.rng.pick(SENT_RU) } else { self.rng.pick(SENT_EN) };
        out.push_str(s);
        out.push('.');
    }

    fn paragraph(&mut self, out: &mut String) {
        let n = self.rng.range(3, 8);
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            self.sentence(out);
        }
        out.push_str("\n\n");
    }

    /// Long shape: `n` paragraphs of prose, each followed, most of the time, by a sentence
    /// that mentions people and clients (and, now and then, an earlier interaction).
    fn prose(&mut self, v: &Vault, out: &mut String, n: usize, client: usize) {
        for _ in 0..n {
            self.paragraph(out);
            if self.rng.chance(3, 4) {
                let c = &v.clients[client];
                let p = c.people[self.rng.below(c.people.len())];
                let pl = self.person_link(v, p);
                let other = self.rng.below(v.clients.len());
                let cl = self.client_link(v, other);
                let _ = write!(out, "{pl} compared it with what {cl} does");
                if !self.interactions.is_empty() && self.rng.chance(1, 3) {
                    let i = self.rng.below(self.interactions.len());
                    let il = self.link(&self.interactions[i].clone(), None, Some("last time"), false, None);
                    let _ = write!(out, ", see {il}");
                }
                out.push_str(".\n\n");
            }
        }
    }

    fn log_line(&mut self, v: &Vault, out: &mut String, l: &LogLine) {
        let date = v.date(l.day);
        if l.heading {
            let _ = writeln!(out, "## {date} {}\n\n{}\n", l.format, l.text);
        } else if self.rng.chance(1, 4) {
            let _ = writeln!(out, "- {date} {}: {}", l.format, l.text);
        } else {
            let _ = writeln!(out, "- {date} {} — {}", l.format, l.text);
        }
    }

    fn task(&mut self, v: &Vault, out: &mut String, subject: Option<&str>) {
        let text = self.rng.pick(TASKS);
        let due = v.date(self.rng.range(DAY_2026 + 200, DAYS - 1));
        let subject = subject.map(|s| format!(" {s}")).unwrap_or_default();
        match self.rng.below(10) {
            0..=3 => {
                let _ = writeln!(out, "- [ ] {text}{subject} 📅 {due}");
            }
            4..=5 => {
                let _ = writeln!(out, "- [ ] {text}{subject} [due:: {due}]");
            }
            6 => {
                let _ = writeln!(out, "- [ ] {text}{subject} ⏳ {due}");
            }
            7 => {
                let _ = writeln!(out, "- [ ] {text}{subject}");
            }
            8 => {
                let _ = writeln!(out, "- [x] {text}{subject} 📅 {due} ✅ {due}");
            }
            _ => {
                let _ = writeln!(out, "- [ ] {text}{subject} 📅 {due} ❌ {due}");
            }
        }
    }
}

fn quoted(link: &str) -> String {
    format!("\"{link}\"")
}

fn client_note(g: &mut Gen, v: &Vault, ci: usize, out: &mut String) {
    let c = &v.clients[ci];
    out.push_str("---\ntype: client\n");
    if !c.tier_by_tag {
        let _ = writeln!(out, "tier: {}", if c.key { "key" } else { "supporting" });
    }
    let _ = writeln!(out, "status: {}", c.status);
    if let Some(cad) = c.cadence {
        let _ = writeln!(out, "cadence: {cad}");
    }
    let _ = writeln!(out, "since: {}", v.date(c.since));
    if g.rng.chance(2, 3) {
        let _ = writeln!(out, "value: {}", g.rng.range(5, 900) * 1000);
    }
    if g.rng.chance(1, 2) {
        let _ = writeln!(out, "satisfaction: {}", g.rng.range(3, 10));
    }
    if c.status == "paused" && g.rng.chance(1, 2) {
        let _ = writeln!(out, "paused_until: {}", v.date(g.rng.range(DAY_2026 + 250, DAYS - 1)));
    }
    if g.rng.chance(1, 10) {
        let end = g.rng.range(DAY_2026, DAYS - 1);
        let _ = writeln!(out, "engagement: project\nproject_end: {}", v.date(end));
    }
    if let Some(a) = &c.alias {
        if g.rng.chance(1, 2) {
            let _ = writeln!(out, "aliases:\n  - \"{a}\"");
        } else {
            let _ = writeln!(out, "aliases: \"{a}\"");
        }
    }
    if g.rng.chance(1, 3) {
        out.push_str("tags:\n  - client\n  - crm\n");
    }
    if !c.people.is_empty() && g.rng.chance(4, 5) {
        out.push_str("contacts:\n");
        for &p in &c.people {
            let l = g.link(&v.people[p].name, None, None, false, None);
            let _ = writeln!(out, "  - {}", quoted(&l));
        }
    }
    if let Some(r) = c.referred_by {
        let l = match r {
            Ref::Client(i) => g.link(&v.clients[i].name, None, None, false, v.clients[i].alias.as_deref()),
            Ref::Person(i) => g.link(&v.people[i].name, None, None, false, None),
        };
        let _ = writeln!(out, "referred_by: {}", quoted(&l));
    }
    out.push_str("---\n");
    let _ = writeln!(out, "# {}\n", c.name);
    if c.tier_by_tag {
        out.push_str("#client/key\n\n");
    } else if g.rng.chance(1, 10) {
        out.push_str("#client #b2b\n\n");
    }
    g.sentence(out);
    out.push_str(" ^summary\n\n");

    out.push_str("## Log\n\n");
    for l in &c.logs {
        g.log_line(v, out, l);
    }
    out.push('\n');
    if g.rng.chance(1, 10) {
        // A decoy log line and link inside code: neither counts.
        let _ = writeln!(out, "```\n- 2026-11-22 call — inside code [[Decoy {ci}]]\n```\n");
    }

    out.push_str("## Next steps\n\n");
    let tasks = match g.rng.below(10) {
        0..=4 => 0,
        5..=7 => 1,
        _ => g.rng.range(2, 4),
    };
    for _ in 0..tasks {
        g.task(v, out, None);
    }
    out.push_str("\n## Notes\n\n");
    // Size: most notes are small; 5 % medium; about 1 in 200 is 20–50 KB of prose.
    let target = match g.rng.below(1000) {
        0..=4 => g.rng.range(20_000, 50_000),
        5..=54 => g.rng.range(3_000, 10_000),
        55..=399 => 0,
        _ => g.rng.range(200, 1_500),
    };
    let target = if g.long { target.max(g.rng.range(400, 1_200)) } else { target };
    let start = out.len();
    while out.len() - start < target {
        g.paragraph(out);
        if g.rng.chance(1, 6) && !c.people.is_empty() {
            let p = c.people[g.rng.below(c.people.len())];
            let l = g.person_link(v, p);
            let _ = writeln!(out, "Ask {l} about it.\n");
        }
    }
}

fn person_note(g: &mut Gen, v: &Vault, pi: usize, out: &mut String) {
    let p = &v.people[pi];
    out.push_str("---\ntype: person\n");
    let cl = &v.clients[p.client];
    let l = g.link(&cl.name, None, None, false, cl.alias.as_deref());
    let _ = writeln!(out, "company: {}", quoted(&l));
    let _ = writeln!(out, "role: {}", p.role);
    if g.rng.chance(3, 4) {
        let _ = writeln!(out, "email: contact{pi}@client{}.example", p.client);
    }
    if g.rng.chance(1, 4) {
        let _ = writeln!(
            out,
            "phone: \"+7 9{:02} {:03}-{:02}-{:02}\"",
            g.rng.below(100),
            g.rng.below(1000),
            g.rng.below(100),
            g.rng.below(100)
        );
    }
    if g.rng.chance(1, 3) {
        // Month and day from 2025, a common year: no 29 February with a random year.
        let day = &v.dates[366 + g.rng.below(365)][4..];
        let year = if g.rng.chance(1, 5) { 0 } else { g.rng.range(1960, 2000) };
        let _ = writeln!(out, "birthday: {year:04}{day}");
    }
    if let Some((left, co)) = p.moved {
        let l = g.link(&v.companies[co], None, None, false, None);
        let _ = writeln!(out, "left: {}\nmoved_to: {}", v.date(left), quoted(&l));
    }
    out.push_str("---\n");
    let _ = writeln!(out, "# {}\n", p.name);
    if g.rng.chance(1, 3) {
        g.paragraph(out);
    }
    out.push_str("## Notes\n\n");
    for l in &p.logs {
        g.log_line(v, out, l);
    }
    if g.long {
        out.push('\n');
        let n = g.rng.range(1, 2);
        g.prose(v, out, n, p.client);
    }
    if g.rng.chance(1, 10) {
        g.task(v, out, None);
    }
}

fn company_note(g: &mut Gen, v: &Vault, i: usize, out: &mut String) {
    let _ = writeln!(out, "---\ntype: company\ntags:\n  - company\n---\n# {}\n", v.companies[i]);
    g.paragraph(out);
}

fn interaction_note(g: &mut Gen, v: &Vault, n: usize, out: &mut String) -> String {
    let ci = if !v.key_clients.is_empty() && g.rng.chance(1, 3) {
        v.key_clients[g.rng.below(v.key_clients.len())]
    } else {
        g.rng.below(v.clients.len())
    };
    let c = &v.clients[ci];
    let day =
        if g.rng.chance(1, 2) { g.rng.range(c.since, DAYS - 1) } else { g.rng.range(DAY_2026.max(c.since), DAYS - 1) };
    let date = v.date(day);
    let person = c.people[g.rng.below(c.people.len())];
    let format = if g.rng.chance(1, 20) { "workshop" } else { g.rng.pick(FORMATS_EN) };

    out.push_str("---\ntype: interaction\n");
    if g.rng.chance(1, 5) {
        let _ = writeln!(out, "date: {date}T{:02}:{:02}", g.rng.range(8, 19), g.rng.below(4) * 15);
    } else {
        let _ = writeln!(out, "date: {date}");
    }
    let shape = g.rng.below(20);
    if !(13..18).contains(&shape) {
        let l = g.client_link_plain(v, ci);
        if shape >= 18 {
            let other = g.rng.below(v.clients.len());
            let l2 = g.client_link_plain(v, other);
            let _ = writeln!(out, "clients:\n  - {}\n  - {}", quoted(&l), quoted(&l2));
        } else {
            let _ = writeln!(out, "client: {}", quoted(&l));
        }
    }
    if shape >= 13 {
        let l = g.link(&v.people[person].name, None, None, false, None);
        if g.rng.chance(1, 2) {
            let _ = writeln!(out, "with: [{}]", quoted(&l));
        } else {
            let _ = writeln!(out, "with:\n  - {}", quoted(&l));
        }
    }
    let _ = writeln!(out, "format: {format}");
    let _ = writeln!(out, "initiated_by: {}", if g.rng.chance(3, 5) { "us" } else { "them" });
    out.push_str("topics:\n");
    let first = g.rng.below(TOPICS.len());
    for k in 0..g.rng.range(1, 3) {
        // Distinct topics: consecutive entries of the list from a random start.
        let _ = writeln!(out, "  - {}", TOPICS[(first + k) % TOPICS.len()]);
    }
    if g.rng.chance(1, 3) {
        out.push_str("tags: [interaction, crm]\n");
    }
    out.push_str("---\n");
    let title =
        if g.rng.chance(1, 2) { format!("Контакт: {}", c.name) } else { format!("{format} with {}", c.name) };
    let _ = writeln!(out, "# {title}\n");

    let cl = g.client_link(v, ci);
    let pl = g.person_link(v, person);
    let _ = writeln!(out, "Talked to {pl} from {cl}.");
    g.sentence(out);
    out.push('\n');
    if g.rng.chance(1, 4) {
        let _ = writeln!(out, "Настроение хорошее [mood:: good], #followup");
    }
    out.push('\n');
    if g.rng.chance(1, 3) {
        g.paragraph(out);
    }
    if g.long {
        out.push_str("## Discussion\n\n");
        let n = g.rng.range(2, 3);
        g.prose(v, out, n, ci);
    }
    if g.rng.chance(1, 5) {
        // Mention another client or one of its people.
        let other = g.rng.below(v.clients.len());
        let l = if g.rng.chance(1, 2) {
            g.client_link(v, other)
        } else {
            let oc = &v.clients[other];
            let p = oc.people[g.rng.below(oc.people.len())];
            g.person_link(v, p)
        };
        let _ = writeln!(out, "They mentioned {l} as a reference. #referral\n");
    }
    let _ = writeln!(out, "outcome:: {}", g.rng.pick(LOG_TEXT));
    if g.rng.chance(1, 2) {
        let _ = writeln!(out, "next:: {}", g.rng.pick(TASKS));
    }
    out.push('\n');
    if g.rng.chance(1, 3) {
        let l = g.client_link_plain(v, ci);
        g.task(v, out, Some(&format!("for {l}")));
    }
    if g.rng.chance(1, 15) {
        let _ = writeln!(out, "\n```text\nnot a link: [[Decoy interaction {n}]] #notatag\n```");
    }
    if g.rng.chance(1, 20) {
        let _ = writeln!(out, "\nInline code `[[Decoy {n}]]` is no link either.");
    }
    let rel = format!("Interactions/{date} {} {n}.md", c.name);
    if g.long {
        g.interactions.push(rel.trim_end_matches(".md").to_owned());
    }
    rel
}

impl Gen {
    /// A plain client link (for properties): no anchor, no alias text.
    fn client_link_plain(&mut self, v: &Vault, ci: usize) -> String {
        let c = &v.clients[ci];
        self.link(&c.name, None, None, false, c.alias.as_deref())
    }
}

fn feedback_note(g: &mut Gen, v: &Vault, n: usize, out: &mut String) -> String {
    let ci = g.rng.below(v.clients.len());
    let c = &v.clients[ci];
    let day = g.rng.range(c.since, DAYS - 1);
    let date = v.date(day);
    let severity = g.rng.pick(&["low", "normal", "normal", "high"]);
    let status = g.rng.pick(&["open", "answered", "resolved", "resolved"]);
    let l = g.client_link_plain(v, ci);
    let _ = writeln!(
        out,
        "---\ntype: feedback\nreceived: {date}\nclient: {}\nseverity: {severity}\nstatus: {status}",
        quoted(&l)
    );
    if status != "open" {
        let answered = (day + g.rng.below(5)).min(DAYS - 1);
        let _ = writeln!(out, "answered: {}", v.date(answered));
        if status == "resolved" {
            let _ = writeln!(out, "resolved: {}", v.date((answered + g.rng.below(20)).min(DAYS - 1)));
        }
    }
    out.push_str("---\n");
    let text = g.rng.pick(FEEDBACK_TEXT);
    let _ = writeln!(out, "# {text}\n");
    let person = c.people[g.rng.below(c.people.len())];
    let pl = g.person_link(v, person);
    let _ = writeln!(out, "From {pl}.");
    g.sentence(out);
    out.push('\n');
    format!("Feedback/{date} {} f{n}.md", c.name)
}

fn daily_note(g: &mut Gen, v: &Vault, day: usize, mentions: &[usize], out: &mut String) {
    let _ = writeln!(out, "# {}\n", v.date(day));
    if g.rng.chance(1, 2) {
        g.sentence(out);
        out.push_str("\n\n");
    }
    for &ci in mentions {
        let c = &v.clients[ci];
        if g.rng.chance(1, 4) {
            let p = c.people[g.rng.below(c.people.len())];
            let l = g.person_link(v, p);
            let _ = writeln!(out, "- Lunch with {l}");
        } else {
            let l = g.client_link(v, ci);
            let verb = g.rng.pick(&["Call with", "Звонок:", "Met", "Письмо от", "Chat with"]);
            let _ = writeln!(out, "- {verb} {l} about {}", g.rng.pick(TOPICS));
        }
    }
    if g.long && !mentions.is_empty() {
        out.push('\n');
        let n = g.rng.range(1, 2);
        g.prose(v, out, n, mentions[0]);
    }
    if g.rng.chance(1, 5) {
        out.push('\n');
        g.task(v, out, None);
    }
}

// ---------------------------------------------------------------------------------------
// Output

struct Out {
    root: PathBuf,
    notes: u64,
    bytes: u64,
    /// Time spent deleting a previous generated vault (none when DIR was empty).
    cleared: Option<f64>,
    /// Time spent generating and writing.
    secs: f64,
}

impl Out {
    fn write(&mut self, rel: &str, content: &str) -> std::io::Result<()> {
        let path = self.root.join(rel);
        let mut w = BufWriter::new(File::create(&path)?);
        w.write_all(content.as_bytes())?;
        w.flush()?;
        if rel.ends_with(".md") {
            self.notes += 1;
        }
        self.bytes += content.len() as u64;
        Ok(())
    }
}

/// Makes `dir` ready; returns true when a previous generated vault was deleted.
fn prepare_dir(dir: &Path) -> Result<bool, String> {
    match fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            Ok(false)
        }
        Err(e) => Err(format!("{}: {e}", dir.display())),
        Ok(entries) => {
            let mut names = Vec::new();
            for e in entries {
                let e = e.map_err(|e| format!("{}: {e}", dir.display()))?;
                names.push(e.file_name());
            }
            if names.is_empty() {
                return Ok(false);
            }
            if !dir.join(MARKER).is_file() {
                return Err(format!(
                    "{}: not empty and not a generated vault (no {MARKER} marker); refusing to write",
                    dir.display()
                ));
            }
            if let Some(other) = names.iter().find(|n| !OWNED.iter().any(|o| n.as_os_str() == *o)) {
                return Err(format!(
                    "{}: holds {:?}, which gen_vault did not write; refusing to delete it",
                    dir.display(),
                    other
                ));
            }
            for n in names {
                let p = dir.join(&n);
                let r = if p.is_dir() && !p.is_symlink() { fs::remove_dir_all(&p) } else { fs::remove_file(&p) };
                r.map_err(|e| format!("{}: {e}", p.display()))?;
            }
            Ok(true)
        }
    }
}

struct Args {
    clients: usize,
    interactions: usize,
    seed: u64,
    long: bool,
    dir: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut clients = 5000usize;
    let mut interactions = 50_000usize;
    let mut seed = 42u64;
    let mut long = false;
    let mut dir = None;
    let mut it = std::env::args_os().skip(1);
    while let Some(arg) = it.next() {
        let s = arg.to_string_lossy().into_owned();
        let (flag, inline) = match s.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (s.clone(), None),
        };
        let mut value = |name: &str| -> Result<u64, String> {
            let v = match &inline {
                Some(v) => v.clone(),
                None => it.next().ok_or_else(|| format!("{name} needs a value"))?.to_string_lossy().into_owned(),
            };
            v.parse::<u64>().map_err(|_| format!("{name}: not a number: {v:?}"))
        };
        match flag.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            "--clients" => clients = value("--clients")? as usize,
            "--interactions" => interactions = value("--interactions")? as usize,
            "--seed" => seed = value("--seed")?,
            "--shape" => {
                let v = match &inline {
                    Some(v) => v.clone(),
                    None => it.next().ok_or("--shape needs a value")?.to_string_lossy().into_owned(),
                };
                long = match v.as_str() {
                    "short" => false,
                    "long" => true,
                    _ => return Err(format!("--shape: short or long, not {v:?}")),
                };
            }
            "--" => {}
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unknown option {f}")),
            _ => {
                if dir.is_some() {
                    return Err("only one DIR may be given".into());
                }
                dir = Some(PathBuf::from(arg));
            }
        }
    }
    if clients == 0 {
        return Err("--clients must be at least 1".into());
    }
    let dir = dir.ok_or("DIR is missing")?;
    Ok(Args { clients, interactions, seed, long, dir })
}

fn run(args: &Args) -> Result<Out, String> {
    let start = Instant::now();
    let cleared = prepare_dir(&args.dir)?.then(|| start.elapsed().as_secs_f64());
    let start = Instant::now();
    let io = |e: std::io::Error| e.to_string();
    let mut rng = Rng::new(args.seed);

    let n_notes = args.interactions * 7 / 10;
    let n_logs = args.interactions * 2 / 10;
    let n_daily_links = args.interactions - n_notes - n_logs;
    // The long shape keeps years of history: three times the log lines in client and
    // person notes, on top of the same interactions.
    let n_log_lines = if args.long { n_logs * 3 } else { n_logs };
    let n_daily = (n_daily_links / 4).clamp(usize::from(n_daily_links > 0), DAYS);
    let n_feedback = args.clients / 4;

    let vault = build(&mut rng, args.clients, n_log_lines);
    let mut g = Gen { rng, links: 0, broken: 0, long: args.long, interactions: Vec::new() };
    let mut out = Out { root: args.dir.clone(), notes: 0, bytes: 0, cleared, secs: 0.0 };
    for d in [".obsidian", "Clients", "People", "Companies", "Interactions", "Daily", "Feedback"] {
        fs::create_dir_all(args.dir.join(d)).map_err(io)?;
    }
    out.write(MARKER, "generated by `cargo run --example gen_vault`; the folder may be deleted and regenerated\n")
        .map_err(io)?;
    out.write(".obsidian/daily-notes.json", "{\"folder\":\"Daily\",\"format\":\"YYYY-MM-DD\"}\n").map_err(io)?;

    let mut buf = String::with_capacity(64 * 1024);
    for ci in 0..vault.clients.len() {
        buf.clear();
        client_note(&mut g, &vault, ci, &mut buf);
        out.write(&format!("Clients/{}.md", vault.clients[ci].name), &buf).map_err(io)?;
    }
    for pi in 0..vault.people.len() {
        buf.clear();
        person_note(&mut g, &vault, pi, &mut buf);
        out.write(&format!("People/{}.md", vault.people[pi].name), &buf).map_err(io)?;
    }
    for i in 0..vault.companies.len() {
        buf.clear();
        company_note(&mut g, &vault, i, &mut buf);
        out.write(&format!("Companies/{}.md", vault.companies[i]), &buf).map_err(io)?;
    }
    for n in 0..n_notes {
        buf.clear();
        let rel = interaction_note(&mut g, &vault, n, &mut buf);
        out.write(&rel, &buf).map_err(io)?;
    }
    for n in 0..n_feedback {
        buf.clear();
        let rel = feedback_note(&mut g, &vault, n, &mut buf);
        out.write(&rel, &buf).map_err(io)?;
    }

    // Daily notes: n_daily distinct days (a partial shuffle), sorted; links spread over them.
    let mut days: Vec<usize> = (0..DAYS).collect();
    for i in 0..n_daily {
        let j = g.rng.range(i, DAYS - 1);
        days.swap(i, j);
    }
    let mut days = days[..n_daily].to_vec();
    days.sort_unstable();
    let mut mentions: Vec<Vec<usize>> = vec![Vec::new(); n_daily];
    for _ in 0..if n_daily > 0 { n_daily_links } else { 0 } {
        let ci = g.rng.below(vault.clients.len());
        mentions[g.rng.below(n_daily)].push(ci);
    }
    for (i, &day) in days.iter().enumerate() {
        buf.clear();
        daily_note(&mut g, &vault, day, &mentions[i], &mut buf);
        out.write(&format!("Daily/{}.md", vault.date(day)), &buf).map_err(io)?;
    }

    eprintln!(
        "gen_vault: {} clients, {} people, {} companies, {} interaction notes, {} log lines, {} daily notes ({} links), {} feedback; {} links, {} broken on purpose",
        vault.clients.len(),
        vault.people.len(),
        vault.companies.len(),
        n_notes,
        n_log_lines,
        n_daily,
        n_daily_links,
        n_feedback,
        g.links,
        g.broken
    );
    out.secs = start.elapsed().as_secs_f64();
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_vault: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(out) => {
            let cleared = match out.cleared {
                Some(s) => format!("; previous vault deleted in {s:.2} s"),
                None => String::new(),
            };
            println!("{} notes, {} bytes in {} ({:.2} s{cleared})", out.notes, out.bytes, args.dir.display(), out.secs);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_vault: {e}");
            ExitCode::FAILURE
        }
    }
}
