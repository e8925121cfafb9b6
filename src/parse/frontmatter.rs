//! Parse stage, frontmatter: the YAML block at the top of a note → typed properties.
//!
//! This is the only module that knows the YAML crate. Hostile input is stopped before
//! it reaches the parser: blocks over [`MAX_FRONTMATTER_BYTES`] or nested deeper than
//! [`MAX_DEPTH`] are rejected as `frontmatter-invalid`, since some YAML parsers take
//! seconds on deep flow collections. Alias expansion is bounded by the YAML crate.

use compact_str::CompactString;

use crate::diagnostics::{Code, Diagnostic};

/// Larger frontmatter blocks are reported, not parsed.
pub(crate) const MAX_FRONTMATTER_BYTES: usize = 256 * 1024;
/// Deeper nesting is reported, not parsed.
pub(crate) const MAX_DEPTH: usize = 64;

/// A property value, in Obsidian's terms: text, number, checkbox, list (and, rarely, a map).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Text(CompactString),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    /// The value as text when it is a scalar (numbers and booleans printed as YAML would).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Text(s) => Some(s.to_string()),
            Value::Number(n) => Some(format_number(*n)),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::List(_) | Value::Map(_) => None,
        }
    }

    /// Scalars as a one-item list, lists item by item (nested lists flattened).
    pub fn texts(&self) -> Vec<String> {
        match self {
            Value::List(items) => items.iter().flat_map(Value::texts).collect(),
            other => other.as_text().into_iter().collect(),
        }
    }

    /// Calls `f` with every string of the value (a string, or the strings of a list,
    /// nested lists flattened), without copying them.
    pub fn each_str<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        match self {
            Value::Text(s) => f(s),
            Value::List(items) => items.iter().for_each(|v| v.each_str(f)),
            _ => {}
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{n:.0}") } else { n.to_string() }
}

/// One top-level property; `key` is lower-cased (keys match case-insensitively).
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub key: CompactString,
    pub value: Value,
    /// 1-based line of the key in the file.
    pub line: u32,
}

/// Where the frontmatter sits in a note's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Block<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// 1-based line of the first YAML line in the file.
    pub first_line: u32,
    /// Byte offset where the body starts.
    pub body_start: usize,
    /// False when the opening `---` has no closing line.
    pub terminated: bool,
}

/// Finds the frontmatter block: `---` on the first line, closed by `---` or `...`.
pub(crate) fn split(text: &str) -> Option<Block<'_>> {
    if !text.starts_with("---") {
        return None;
    }
    let b = text.as_bytes();
    let first_end = memchr::memchr(b'\n', b).map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = memchr::memchr(b'\n', &b[pos..]).map_or(text.len(), |i| pos + i + 1);
        // Only a line that opens with a fence can be one.
        let fence = b[pos..end].starts_with(b"---") || b[pos..end].starts_with(b"...");
        if fence && matches!(text[pos..end].trim_end(), "---" | "...") {
            return Some(Block { yaml: &text[first_end..pos], first_line: 2, body_start: end, terminated: true });
        }
        pos = end;
    }
    Some(Block { yaml: &text[first_end..], first_line: 2, body_start: first_end, terminated: false })
}

/// Parses a frontmatter block into properties, reporting problems against `path`.
pub(crate) fn parse(path: &str, block: &Block<'_>, diags: &mut Vec<Diagnostic>) -> Vec<Property> {
    let yaml = block.yaml;
    if yaml.len() > MAX_FRONTMATTER_BYTES {
        diags.push(
            Diagnostic::new(
                Code::FrontmatterInvalid,
                path,
                block.first_line,
                1,
                format!(
                    "frontmatter is {} KiB, over the {} KiB limit; not read",
                    yaml.len() / 1024,
                    MAX_FRONTMATTER_BYTES / 1024
                ),
            )
            .with_hint("move long content into the note body"),
        );
        return Vec::new();
    }
    if yaml.trim().is_empty() {
        return Vec::new();
    }
    if let Some(props) = simple::parse(yaml) {
        return props
            .into_iter()
            .map(|(key, value, line)| {
                // Lower-cased in place: a short key never allocates.
                let mut key = CompactString::new(key);
                key.make_ascii_lowercase();
                Property { key, value, line: block.first_line + line }
            })
            .collect();
    }
    // Only what the fast path declined reaches the depth check and the YAML crate.
    if let Some((depth, line)) = too_deep(yaml) {
        diags.push(Diagnostic::new(
            Code::FrontmatterInvalid,
            path,
            block.first_line + line,
            1,
            format!("frontmatter is nested {depth} levels deep, over the limit of {MAX_DEPTH}; not read"),
        ));
        return Vec::new();
    }
    let value: serde_yaml::Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            let (line, col) = e.location().map_or((0, 1), |l| (l.line().saturating_sub(1), l.column()));
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
            diags.push(Diagnostic::new(
                Code::FrontmatterInvalid,
                path,
                block.first_line + u32::try_from(line).unwrap_or(0),
                u32::try_from(col).unwrap_or(1).max(1),
                format!("invalid YAML in frontmatter: {msg}"),
            ));
            return Vec::new();
        }
    };
    let serde_yaml::Value::Mapping(map) = value else {
        if !matches!(value, serde_yaml::Value::Null) {
            diags.push(Diagnostic::new(
                Code::FrontmatterInvalid,
                path,
                block.first_line,
                1,
                "frontmatter is not a set of `key: value` properties",
            ));
        }
        return Vec::new();
    };
    let lines = key_lines(yaml);
    map.into_iter()
        .filter_map(|(k, v)| {
            let key = scalar_key(&k)?.to_lowercase();
            let line = lines.get(&key).map_or(block.first_line, |l| block.first_line + *l);
            Some(Property { key: key.into(), value: convert(v), line })
        })
        .collect()
}

fn scalar_key(k: &serde_yaml::Value) -> Option<String> {
    match k {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn convert(v: serde_yaml::Value) -> Value {
    match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => n.as_f64().map_or(Value::Text(n.to_string().into()), Value::Number),
        serde_yaml::Value::String(s) => Value::Text(s.into()),
        serde_yaml::Value::Sequence(items) => Value::List(items.into_iter().map(convert).collect()),
        serde_yaml::Value::Mapping(m) => {
            Value::Map(m.into_iter().filter_map(|(k, v)| Some((scalar_key(&k)?, convert(v)))).collect())
        }
        serde_yaml::Value::Tagged(t) => convert(t.value),
    }
}

/// Top-level keys (lower-cased) and the 0-based line of their first appearance within
/// the YAML, found textually (the YAML crate keeps no positions).
fn key_lines(yaml: &str) -> std::collections::HashMap<String, u32> {
    let mut out = std::collections::HashMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '-', '#']) || line.is_empty() {
            continue;
        }
        let Some(colon) = line.find(':') else { continue };
        let key = line[..colon].trim().trim_matches(['"', '\'']);
        if !key.is_empty() {
            out.entry(key.to_lowercase()).or_insert(u32::try_from(i).unwrap_or(0));
        }
    }
    out
}

/// Estimates nesting depth without parsing: flow brackets outside quotes, plus block
/// indentation levels. Returns the depth and 0-based line where the limit was passed.
fn too_deep(yaml: &str) -> Option<(usize, u32)> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    for (i, line) in yaml.lines().enumerate() {
        let line_no = u32::try_from(i).unwrap_or(0);
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if flow == 0 {
            // Block style: each deeper indentation (or `- ` sequence marker) is a level.
            let mut indent = line.len() - trimmed.len();
            while indents.last().is_some_and(|&top| top > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
            let mut rest = trimmed;
            while let Some(r) = rest.strip_prefix("- ") {
                indent += 2;
                indents.push(indent);
                rest = r.trim_start_matches(' ');
            }
        }
        // Quoted scalars hide brackets; a backslash escapes the next character inside
        // double quotes (`"\""`), and `''` inside single quotes toggles twice.
        let mut quote: Option<char> = None;
        let mut escaped = false;
        let mut prev = ' ';
        for c in trimmed.chars() {
            match (quote, c) {
                (Some('"'), _) if escaped => escaped = false,
                (Some('"'), '\\') => escaped = true,
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if prev.is_whitespace() || matches!(prev, ':' | '[' | '{' | ',' | '-') => {
                    quote = Some(c)
                }
                (None, '[' | '{') => flow += 1,
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                (None, '#') if prev.is_whitespace() => break,
                _ => {}
            }
            prev = c;
            if flow + indents.len() > MAX_DEPTH {
                return Some((flow + indents.len(), line_no));
            }
        }
        if flow + indents.len() > MAX_DEPTH {
            return Some((flow + indents.len(), line_no));
        }
    }
    None
}

/// A fast path for the flat YAML nearly every note uses: `key: scalar`, and flow or
/// block lists of scalars. Anything else (nesting, block scalars, anchors, escapes,
/// numbers in unusual forms…) returns `None` and goes to the YAML crate, which stays
/// the authority: a property test checks both agree on what this accepts.
mod simple {
    use super::Value;

    /// `(key, value, 0-based line)` for each property, or `None` outside the subset.
    pub(super) fn parse(yaml: &str) -> Option<Vec<(&str, Value, u32)>> {
        // Characters YAML does not allow unescaped are the YAML crate's to report.
        if !printable(yaml.as_bytes()) {
            return None;
        }
        let mut out: Vec<(&str, Value, u32)> = Vec::new();
        // Few keys are compared in place; a set takes over for long blocks.
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut open_list: Option<usize> = None;
        let mut item_indent: Option<usize> = None;
        let b = yaml.as_bytes();
        let mut pos = 0;
        let mut next_line = 0u32;
        // Line by line, as `str::lines` splits them.
        while pos < yaml.len() {
            let end = memchr::memchr(b'\n', &b[pos..]).map_or(yaml.len(), |n| pos + n);
            let raw = &yaml[pos..end];
            let line_no = next_line;
            pos = end + 1;
            next_line = next_line.checked_add(1)?;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if memchr::memchr(b'\t', line.as_bytes()).is_some() {
                return None;
            }
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if let Some(item) = trimmed.strip_prefix("- ") {
                // An item of the block list opened by the last `key:`, all at one indentation.
                let at = open_list?;
                let indent = line.len() - trimmed.len();
                let item = item.trim();
                if *item_indent.get_or_insert(indent) != indent || item.is_empty() {
                    return None;
                }
                let value = scalar(item)?;
                match &mut out[at].1 {
                    Value::List(items) => items.push(value),
                    v @ Value::Null => *v = Value::List(vec![value]),
                    _ => return None,
                }
                continue;
            }
            if line.starts_with(' ') {
                return None;
            }
            let colon = memchr::memchr(b':', line.as_bytes())?;
            let (key, rest) = (&line[..colon], &line[colon + 1..]);
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
                return None;
            }
            if !(rest.is_empty() || rest.starts_with(' ')) {
                return None;
            }
            // A repeated key is an error the YAML crate reports.
            let duplicate = if out.len() < 16 {
                out.iter().any(|(k, ..)| *k == key)
            } else {
                if seen.is_empty() {
                    seen.extend(out.iter().map(|(k, ..)| *k));
                }
                !seen.insert(key)
            };
            if duplicate {
                return None;
            }
            let rest = rest.trim();
            open_list = None;
            item_indent = None;
            let value = if rest.is_empty() {
                open_list = Some(out.len());
                Value::Null
            } else if let Some(inner) = rest.strip_prefix('[') {
                flow_list(inner.strip_suffix(']')?)?
            } else {
                scalar(rest)?
            };
            out.push((key, value, line_no));
        }
        Some(out)
    }

    /// True when every character is in YAML's printable set (tab, line breaks, and no
    /// other control characters), less what the YAML crate reads as a line break inside
    /// a line (NEL, U+2028, U+2029): those lines are the crate's to read. One pass over
    /// the bytes: the characters outside the set are the ASCII controls and DEL, and
    /// the UTF-8 sequences of U+0080..=U+009F, U+2028, U+2029, U+FEFF, U+FFFE and U+FFFF.
    fn printable(b: &[u8]) -> bool {
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
            let bad = match c {
                b'\t' | b'\n' | b'\r' | b' '..=b'~' => false,
                0..=0x7F => true,
                // Lead bytes only: none of these is a continuation byte (0x80..=0xBF).
                0xC2 => next(1) < 0xA0,
                0xE2 => next(1) == 0x80 && matches!(next(2), 0xA8 | 0xA9),
                0xEF => (next(1) == 0xBB && next(2) == 0xBF) || (next(1) == 0xBF && matches!(next(2), 0xBE | 0xBF)),
                _ => false,
            };
            if bad {
                return false;
            }
            i += 1;
        }
        true
    }

    fn flow_list(inner: &str) -> Option<Value> {
        if inner.trim().is_empty() {
            return Some(Value::List(Vec::new()));
        }
        // Split on commas outside quotes; brackets are only allowed inside quotes.
        let mut items = Vec::new();
        let mut quote: Option<char> = None;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | ']' | '{' | '}') => return None,
                (None, ',') => {
                    items.push(scalar(inner[start..i].trim())?);
                    start = i + 1;
                }
                _ => {}
            }
        }
        if quote.is_some() {
            return None;
        }
        items.push(scalar(inner[start..].trim())?);
        Some(Value::List(items))
    }

    /// A quoted or plain scalar, typed as the YAML 1.2 core schema types it.
    fn scalar(s: &str) -> Option<Value> {
        let b = s.as_bytes();
        if let Some(body) = s.strip_prefix('"') {
            let body = body.strip_suffix('"')?;
            return (!body.bytes().any(|c| c == b'"' || c == b'\\')).then(|| Value::Text(body.into()));
        }
        if let Some(body) = s.strip_prefix('\'') {
            let body = body.strip_suffix('\'')?;
            return (!body.bytes().any(|c| c == b'\'')).then(|| Value::Text(body.into()));
        }
        let first = *b.first()?;
        // An indicator first; `a: b`, `a #c` and `a:` (a mapping, a comment, a key).
        let indicator = matches!(
            first,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        );
        let mapping_or_comment = memchr::memchr2_iter(b':', b'#', b)
            .any(|i| if b[i] == b':' { b.get(i + 1) == Some(&b' ') } else { i > 0 && b[i - 1] == b' ' });
        if indicator || mapping_or_comment || b.last() == Some(&b':') {
            return None;
        }
        match s {
            "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
            "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
            "null" | "Null" | "NULL" | "~" => return Some(Value::Null),
            _ => {}
        }
        if first.is_ascii_digit() || first == b'+' || first == b'.' {
            return number(s);
        }
        if s.eq_ignore_ascii_case(".inf") || s.eq_ignore_ascii_case(".nan") {
            return None;
        }
        Some(Value::Text(s.into()))
    }

    /// Digits followed by letters that cannot make a YAML number (`2w`, `10d`, not `0x1F`, `1e3`).
    fn digits_then_unit(s: &str) -> bool {
        let letters = s.trim_start_matches(|c: char| c.is_ascii_digit());
        letters.len() < s.len()
            && !letters.is_empty()
            && letters.bytes().all(|c| c.is_ascii_alphabetic())
            && !matches!(letters.as_bytes()[0], b'e' | b'E' | b'x' | b'X' | b'o' | b'O')
    }

    /// Plain decimal numbers; dates stay text; anything else numeric-looking is left
    /// to the YAML crate.
    fn number(s: &str) -> Option<Value> {
        let b = s.as_bytes();
        let is_date = b.len() >= 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b[..10].iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        // A date, or a datetime `2026-07-23T08:30`: text to the YAML crate too.
        let is_datetime = b.len() == 16
            && b[10] == b'T'
            && b[13] == b':'
            && b[11..].iter().enumerate().all(|(i, c)| i == 2 || c.is_ascii_digit());
        if is_date && (b.len() == 10 || is_datetime) {
            return Some(Value::Text(s.into()));
        }
        let (int, frac) = s.split_once('.').map_or((s, None), |(a, b)| (a, Some(b)));
        let int_ok = int == "0"
            || (int.starts_with(|c: char| ('1'..='9').contains(&c)) && int.bytes().all(|c| c.is_ascii_digit()));
        let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()));
        if int_ok && frac_ok && int.len() <= 15 {
            s.parse::<f64>().ok().map(Value::Number)
        } else if s.contains(' ') || digits_then_unit(s) {
            // `3 weeks`, `2w`, `10d`: text in every YAML schema.
            Some(Value::Text(s.into()))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the YAML crate alone makes of a block (the reference for the fast path).
    fn via_yaml_crate(yaml: &str) -> Option<Vec<(String, Value)>> {
        let v: serde_yaml::Value = serde_yaml::from_str(yaml).ok()?;
        match v {
            serde_yaml::Value::Mapping(m) => {
                Some(m.into_iter().filter_map(|(k, v)| Some((scalar_key(&k)?, convert(v)))).collect())
            }
            serde_yaml::Value::Null => Some(Vec::new()),
            _ => None,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn fast_path_agrees_with_the_yaml_crate(lines in proptest::collection::vec(line_strategy(), 0..8)) {
            let mut yaml = String::new();
            for (i, l) in lines.iter().enumerate() {
                yaml.push_str(&l.replace("KEY", &format!("k{i}")));
                yaml.push('\n');
            }
            if let Some(fast) = simple::parse(&yaml) {
                let fast: Vec<(String, Value)> = fast.into_iter().map(|(k, v, _)| (k.to_owned(), v)).collect();
                let slow = via_yaml_crate(&yaml);
                proptest::prop_assert_eq!(Some(fast), slow, "{}", yaml);
            }
        }
    }

    fn line_strategy() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let scalars = prop::sample::select(vec![
            "client",
            "Client",
            "true",
            "True",
            "TRUE",
            "false",
            "yes",
            "no",
            "on",
            "off",
            "null",
            "Null",
            "~",
            "12",
            "0",
            "007",
            "-5",
            "+3",
            "1.5",
            ".5",
            "1e3",
            "0x1F",
            "0o17",
            "1_000",
            "2026-11-20",
            "2026-11-20T14:30",
            "0000-12-02",
            "3 weeks",
            "2w",
            "P14D",
            "10d",
            "\"[[Acme]]\"",
            "'[[Acme|A]]'",
            "\"a \\\" b\"",
            "'it''s'",
            "#tag",
            "a: b",
            "a #c",
            "Иван Петров",
            "x:y",
            "-",
            "- a",
            "[a, b]",
            "[]",
            "[\"[[A]]\", \"[[B]]\"]",
            "[1, two, 2026-01-01]",
            "{a: 1}",
            "&anchor x",
            "*alias",
            "|",
            ">",
            "!tag x",
            "%x",
            "@x",
            "`x`",
            ".inf",
            ".NaN",
            "12:30",
            "1.2.3",
            "9999999999999999999",
            "-.5",
            "+.5",
            "1.",
            "v1.2",
            "3 weeks ago",
            "",
            "'single'",
            "\"double\"",
            "2026-07-23T08:30",
            "2026-07-23T08:30:00",
            "2026-07-23 08:30",
            "[\"a, b\", 'c]']",
            "[\"x\", [y]]",
            "[a, \"b]",
            "a\u{85}b",
            "a\u{80}b",
            "a\u{9f}",
            "\u{feff}x",
            "a\u{7f}",
            "a\u{fffe}",
            "a\u{ffff}b",
            "é\u{a0}ü",
            "a\u{2028}b",
            "a\u{2029}",
        ]);
        prop_oneof![
            scalars.clone().prop_map(|v| format!("KEY: {v}")),
            scalars.clone().prop_map(|v| format!("KEY:\n  - {v}\n  - x")),
            scalars.clone().prop_map(|v| format!("KEY:\n- {v}")),
            scalars.prop_map(|v| format!("  {v}")),
            Just("# comment".to_owned()),
            Just("KEY:".to_owned()),
        ]
    }

    fn props(text: &str) -> (Vec<Property>, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let b = split(text).expect("block");
        (parse("n.md", &b, &mut d), d)
    }

    #[test]
    fn splits_and_types() {
        let (p, d) = props("---\nType: Client\ntags: [a, '#b']\nvalue: 1200\nok: true\ndate: 2026-11-20\n---\nbody");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p[0].key, "type");
        assert_eq!(p[0].value, Value::Text("Client".into()));
        assert_eq!(p[1].value.texts(), vec!["a", "#b"]);
        assert_eq!(p[2].value, Value::Number(1200.0));
        assert_eq!(p[2].line, 4);
        assert_eq!(p[3].value, Value::Bool(true));
        assert_eq!(p[4].value, Value::Text("2026-11-20".into()));
    }

    #[test]
    fn dots_close_and_crlf() {
        let b = split("---\r\na: 1\r\n...\r\nbody").unwrap();
        assert!(b.terminated);
        assert_eq!(b.yaml, "a: 1\r\n");
    }

    #[test]
    fn unterminated_is_flagged() {
        let b = split("---\na: 1\nbody").unwrap();
        assert!(!b.terminated);
        assert!(split("--- \n").is_some());
        assert!(split("text\n---\n").is_none());
    }

    #[test]
    fn invalid_yaml_has_position() {
        let (_, d) = props("---\na: 1\ntags: [a, b\n---\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::FrontmatterInvalid);
        assert!(d[0].line >= 3, "{d:?}");
    }

    #[test]
    fn deep_nesting_is_refused_without_parsing() {
        let yaml = format!("---\na: {}{}\n---\n", "[".repeat(100), "]".repeat(100));
        let (p, d) = props(&yaml);
        assert!(p.is_empty());
        assert_eq!(d[0].code, Code::FrontmatterInvalid);
        let mut block = String::from("---\n");
        for i in 0..80 {
            block.push_str(&" ".repeat(i * 2));
            block.push_str(&format!("k{i}:\n"));
        }
        block.push_str("---\n");
        let (_, d) = props(&block);
        assert_eq!(d[0].code, Code::FrontmatterInvalid, "{d:?}");
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut y =
            String::from("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"].windows(2).map(|w| (w[0], w[1])) {
            y.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        y.push_str("---\n");
        // Expanded in full, this is 43 million strings: the bound shows as the refusal, and
        // a missing bound as a run that never ends, not as a time limit here.
        let (_, d) = props(&y);
        assert_eq!(d.first().map(|d| d.code), Some(Code::FrontmatterInvalid), "{d:?}");
    }
}
