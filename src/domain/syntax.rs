//! A span tree of a RON file: where each field, map entry and list item sits, so that a problem
//! found after parsing can point at the exact value that causes it.
//!
//! serde gives typed values without positions; this light, lenient second reading of the same text
//! gives positions without types. It is only built for files that have something to report.

use std::ops::Range;

/// A value in the file and the bytes it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub span: Range<usize>,
    pub kind: Kind,
}

/// What a value looks like.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `Name(field: value, …)` or `(field: value, …)`.
    Struct { name: Option<String>, fields: Vec<Field> },
    /// `Name(value, …)`, `Some(value)`, `(value, …)`.
    Tuple { name: Option<String>, items: Vec<Value> },
    /// `[value, …]`.
    List(Vec<Value>),
    /// `{key: value, …}`.
    Map(Vec<(Value, Value)>),
    /// A string literal, unescaped.
    Str(String),
    /// A number, identifier, boolean, char or unit.
    Atom(String),
}

/// A named field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub name_span: Range<usize>,
    pub value: Value,
}

/// One step of a path into the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A struct field's value.
    Field(&'static str),
    /// A struct field's name.
    FieldName(&'static str),
    /// The value of the map entry with this string key.
    Key(String),
    /// The key itself of the n-th (0-based) map entry with this string key.
    KeyName(String, usize),
    /// The n-th item of a list or tuple.
    Index(usize),
}

impl Value {
    /// `Some(x)` reads as `x`, as with RON's `implicit_some`.
    fn unwrap_some(&self) -> &Value {
        match &self.kind {
            Kind::Tuple { name: Some(n), items } if n == "Some" && items.len() == 1 => items[0].unwrap_some(),
            _ => self,
        }
    }

    /// Follows a path as far as it goes; returns the span of the deepest value reached and whether
    /// the whole path was found.
    pub fn locate(&self, path: &[Seg]) -> (Range<usize>, bool) {
        let mut cur = self;
        for seg in path {
            let inner = cur.unwrap_some();
            let next: Option<Result<&Value, Range<usize>>> = match (seg, &inner.kind) {
                (Seg::Field(f), Kind::Struct { fields, .. }) => {
                    fields.iter().find(|x| x.name == *f).map(|x| Ok(&x.value))
                }
                (Seg::FieldName(f), Kind::Struct { fields, .. }) => {
                    fields.iter().find(|x| x.name == *f).map(|x| Err(x.name_span.clone()))
                }
                (Seg::Key(k), Kind::Map(entries)) => {
                    entries.iter().find(|(key, _)| matches!(&key.kind, Kind::Str(s) if s == k)).map(|(_, v)| Ok(v))
                }
                (Seg::KeyName(k, n), Kind::Map(entries)) => entries
                    .iter()
                    .filter(|(key, _)| matches!(&key.kind, Kind::Str(s) if s == k))
                    .nth(*n)
                    .map(|(key, _)| Err(key.span.clone())),
                (Seg::Index(i), Kind::List(items)) | (Seg::Index(i), Kind::Tuple { items, .. }) => {
                    items.get(*i).map(Ok)
                }
                _ => None,
            };
            match next {
                Some(Ok(v)) => cur = v,
                Some(Err(span)) => return (span, true),
                None => return (cur.span.clone(), false),
            }
        }
        (cur.span.clone(), true)
    }

    /// The value at the end of a path of fields, keys and indices (through `Some`), if the whole path
    /// is there.
    pub fn find(&self, path: &[Seg]) -> Option<&Value> {
        let mut cur = self.unwrap_some();
        for seg in path {
            cur = match (seg, &cur.kind) {
                (Seg::Field(f), Kind::Struct { fields, .. }) => &fields.iter().find(|x| x.name == *f)?.value,
                (Seg::Key(k), Kind::Map(entries)) => {
                    &entries.iter().find(|(key, _)| matches!(&key.kind, Kind::Str(s) if s == k))?.1
                }
                (Seg::Index(i), Kind::List(items)) | (Seg::Index(i), Kind::Tuple { items, .. }) => items.get(*i)?,
                _ => return None,
            }
            .unwrap_some();
        }
        Some(cur)
    }

    /// The struct fields of this value (through `Some`), if it is a struct.
    pub fn fields(&self) -> Option<&[Field]> {
        match &self.unwrap_some().kind {
            Kind::Struct { fields, .. } => Some(fields),
            _ => None,
        }
    }

    /// The items of this value, if it is a list.
    pub fn items(&self) -> Option<&[Value]> {
        match &self.unwrap_some().kind {
            Kind::List(items) => Some(items),
            _ => None,
        }
    }

    /// The entries of this value, if it is a map.
    pub fn entries(&self) -> Option<&[(Value, Value)]> {
        match &self.unwrap_some().kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }
}

/// Why the text could not be read as RON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Reads RON text into a span tree. Never panics: any text gives a tree or the offset where reading
/// stopped.
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    let mut p = Parser { s: text.as_bytes(), text, i: 0, depth: 0, offsets: None };
    p.skip_ws()?;
    // `#![enable(...)]` attributes
    while p.rest().starts_with(b"#!") {
        match p.rest().iter().position(|&c| c == b']') {
            Some(close) => p.i += close + 1,
            None => return Err(p.err("this `#![…]` attribute is not closed with `]`")),
        }
        p.skip_ws()?;
    }
    let v = p.value()?;
    p.skip_ws()?;
    if p.i < p.s.len() {
        return Err(p.err("unexpected text after the value"));
    }
    Ok(v)
}

/// Where each character of a string literal's value starts in the literal's source text (`"…"` or
/// `r#"…"#`), in bytes from the opening quote (or `r`), with one more entry for the closing quote.
/// An escape such as `\u{200B}` is one character that starts at its backslash. `None` when the text
/// is not one whole string literal.
pub fn literal_offsets(literal: &str) -> Option<Vec<usize>> {
    let mut p = Parser { s: literal.as_bytes(), text: literal, i: 0, depth: 0, offsets: Some(Vec::new()) };
    let ok = match p.peek() {
        Some(b'"') => p.string().is_ok(),
        Some(b'r') if p.raw_string_ahead() => p.raw_string().is_ok(),
        _ => false,
    };
    if !ok || p.i != literal.len() {
        return None;
    }
    let mut offsets = p.offsets.take()?;
    offsets.push(literal.len() - literal.bytes().rev().take_while(|&b| b == b'#').count() - 1);
    Some(offsets)
}

/// A reader over RON text. `i` is always at a character boundary (or the end): it only moves over
/// an ASCII byte it has looked at, or over a whole character.
struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    depth: usize,
    /// While reading one string literal for [`literal_offsets`]: where each character of its value starts.
    offsets: Option<Vec<usize>>,
}

impl Parser<'_> {
    fn err(&self, message: &str) -> SyntaxError {
        SyntaxError { offset: self.i.min(self.s.len()), message: message.to_owned() }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// The bytes not read yet.
    fn rest(&self) -> &[u8] {
        self.s.get(self.i..).unwrap_or_default()
    }

    /// The character at `i`, if any.
    fn peek_char(&self) -> Option<char> {
        self.text.get(self.i..).and_then(|r| r.chars().next())
    }

    /// Moves over the whole character at `i`.
    fn bump_char(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.i += c.len_utf8();
        Some(c)
    }

    /// The text from `start` to `i`; empty if that would cut a character.
    fn slice(&self, start: usize) -> &str {
        self.text.get(start..self.i).unwrap_or_default()
    }

    fn skip_ws(&mut self) -> Result<(), SyntaxError> {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.i += 1,
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'/') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.i += 1;
                    }
                }
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'*') => {
                    let mut level = 0usize;
                    loop {
                        if self.rest().starts_with(b"/*") {
                            level += 1;
                            self.i += 2;
                        } else if self.rest().starts_with(b"*/") {
                            level = level.saturating_sub(1);
                            self.i += 2;
                            if level == 0 {
                                break;
                            }
                        } else if self.i >= self.s.len() {
                            return Err(self.err("unclosed block comment"));
                        } else {
                            self.i += 1;
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn ident(&mut self) -> Option<String> {
        let start = self.i;
        if self.rest().starts_with(b"r#") {
            self.i += 2;
        }
        // Bytes from 0x80 are the whole of each non-ASCII character, so this stops at a boundary.
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
                self.i += 1;
            } else {
                break;
            }
        }
        (self.i > start).then(|| self.slice(start).trim_start_matches("r#").to_owned())
    }

    fn value(&mut self) -> Result<Value, SyntaxError> {
        self.depth += 1;
        if self.depth > 128 {
            return Err(self.err("nesting too deep"));
        }
        self.skip_ws()?;
        let start = self.i;
        let kind = match self.peek() {
            None => return Err(self.err("unexpected end of file")),
            Some(b'"') => Kind::Str(self.string()?),
            Some(b'r') if matches!(self.s.get(self.i + 1), Some(b'"') | Some(b'#')) && self.raw_string_ahead() => {
                Kind::Str(self.raw_string()?)
            }
            Some(b'[') => {
                self.i += 1;
                Kind::List(self.seq(b']')?)
            }
            Some(b'{') => {
                self.i += 1;
                Kind::Map(self.map()?)
            }
            Some(b'(') => self.struct_or_tuple(None)?,
            Some(b'\'') => {
                self.char_literal()?;
                Kind::Atom(self.slice(start).to_owned())
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                let name = self.ident().unwrap_or_default();
                let after_name = self.i;
                self.skip_ws()?;
                if self.peek() == Some(b'(') {
                    self.struct_or_tuple(Some(name))?
                } else {
                    self.i = after_name;
                    Kind::Atom(name)
                }
            }
            Some(c) if c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.' => {
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'+') {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                Kind::Atom(self.slice(start).to_owned())
            }
            Some(_) => return Err(self.err("unexpected character")),
        };
        self.depth -= 1;
        Ok(Value { span: start..self.i, kind })
    }

    /// `{key: value, …}`, after the `{`.
    fn map(&mut self) -> Result<Vec<(Value, Value)>, SyntaxError> {
        let mut entries = Vec::new();
        loop {
            self.skip_ws()?;
            if self.peek() == Some(b'}') {
                self.i += 1;
                return Ok(entries);
            }
            let k = self.value()?;
            self.skip_ws()?;
            if self.peek() != Some(b':') {
                return Err(self.err("expected `:` after a map key"));
            }
            self.i += 1;
            let v = self.value()?;
            entries.push((k, v));
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {}
                _ => return Err(self.err("expected `,` or `}` in a map")),
            }
        }
    }

    /// `'c'` or `'\n'`, from the opening quote to after the closing one.
    fn char_literal(&mut self) -> Result<(), SyntaxError> {
        self.i += 1;
        loop {
            match self.bump_char() {
                None => return Err(self.err("this character is not closed with `'`")),
                Some('\'') => return Ok(()),
                Some('\\') => {
                    self.bump_char();
                }
                Some(_) => {}
            }
        }
    }

    fn raw_string_ahead(&self) -> bool {
        let mut j = self.i + 1;
        while self.s.get(j) == Some(&b'#') {
            j += 1;
        }
        self.s.get(j) == Some(&b'"')
    }

    fn raw_string(&mut self) -> Result<String, SyntaxError> {
        self.i += 1;
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.i += 1;
        }
        self.i += 1;
        let body_start = self.i;
        let closing: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
        while self.i < self.s.len() {
            if self.rest().starts_with(&closing) {
                let body = self.slice(body_start).to_owned();
                if let Some(offsets) = &mut self.offsets {
                    offsets.extend(body.char_indices().map(|(k, _)| body_start + k));
                }
                self.i += closing.len();
                return Ok(body);
            }
            self.i += 1;
        }
        Err(self.err("unclosed raw string"))
    }

    /// A string literal, from its opening quote to after the closing one, with its escapes read.
    fn string(&mut self) -> Result<String, SyntaxError> {
        self.i += 1;
        let mut out = String::new();
        let mut run_start = self.i;
        while let Some(c) = self.peek() {
            match c {
                b'"' => {
                    self.push_run(&mut out, run_start);
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.push_run(&mut out, run_start);
                    let escape_start = self.i;
                    self.i += 1;
                    let Some(e) = self.bump_char() else { break };
                    let decoded = match e {
                        'n' => Some('\n'),
                        't' => Some('\t'),
                        'r' => Some('\r'),
                        '0' => Some('\0'),
                        'u' => self.unicode_escape(),
                        'x' => self.hex_digits(2).and_then(char::from_u32),
                        other => Some(other),
                    };
                    // An escape RON would refuse is kept as written; RON itself reports it.
                    let text = decoded.map_or_else(|| self.slice(escape_start).to_owned(), String::from);
                    if let Some(offsets) = &mut self.offsets {
                        offsets.extend(text.chars().map(|_| escape_start));
                    }
                    out.push_str(&text);
                    run_start = self.i;
                }
                _ => {
                    self.bump_char();
                }
            }
        }
        Err(self.err("unclosed string"))
    }

    /// Adds the literal text from `start` to `i` to a string being read.
    fn push_run(&mut self, out: &mut String, start: usize) {
        let run = self.text.get(start..self.i).unwrap_or_default();
        if let Some(offsets) = &mut self.offsets {
            offsets.extend(run.char_indices().map(|(k, _)| start + k));
        }
        out.push_str(run);
    }

    /// `{XXXX}` after `\u`: the character, or `None` (nothing read) if it is not one.
    fn unicode_escape(&mut self) -> Option<char> {
        let save = self.i;
        let c = (|| {
            if self.peek() != Some(b'{') {
                return None;
            }
            self.i += 1;
            let digits = self.rest().iter().take(7).take_while(|b| b.is_ascii_hexdigit()).count();
            let code = self.hex_digits(digits)?;
            if self.peek() != Some(b'}') {
                return None;
            }
            self.i += 1;
            char::from_u32(code)
        })();
        if c.is_none() {
            self.i = save;
        }
        c
    }

    /// `n` (1 to 7) hex digits at `i`, read and moved over; `None` (nothing read) otherwise.
    fn hex_digits(&mut self, n: usize) -> Option<u32> {
        let digits = self.rest().get(..n).filter(|d| n > 0 && d.iter().all(u8::is_ascii_hexdigit))?;
        let code = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
        self.i += n;
        Some(code)
    }

    fn seq(&mut self, close: u8) -> Result<Vec<Value>, SyntaxError> {
        let mut items = Vec::new();
        loop {
            self.skip_ws()?;
            if self.peek() == Some(close) {
                self.i += 1;
                return Ok(items);
            }
            items.push(self.value()?);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(c) if c == close => {}
                _ => return Err(self.err("expected `,` or a closing bracket")),
            }
        }
    }

    /// After an optional name, at `(`: a struct if the first thing inside is `ident :`.
    fn struct_or_tuple(&mut self, name: Option<String>) -> Result<Kind, SyntaxError> {
        self.i += 1;
        self.skip_ws()?;
        let save = self.i;
        let is_struct = match self.ident() {
            Some(_) => {
                self.skip_ws()?;
                let colon = self.peek() == Some(b':') && self.s.get(self.i + 1) != Some(&b':');
                self.i = save;
                colon
            }
            None => false,
        };
        if !is_struct {
            return Ok(Kind::Tuple { name, items: self.seq(b')')? });
        }
        let mut fields = Vec::new();
        loop {
            self.skip_ws()?;
            if self.peek() == Some(b')') {
                self.i += 1;
                return Ok(Kind::Struct { name, fields });
            }
            let name_start = self.i;
            let fname = self.ident().ok_or_else(|| self.err("expected a field name"))?;
            let name_span = name_start..self.i;
            self.skip_ws()?;
            if self.peek() != Some(b':') {
                return Err(self.err("expected `:` after a field name"));
            }
            self.i += 1;
            let value = self.value()?;
            fields.push(Field { name: fname, name_span, value });
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b')') => {}
                _ => return Err(self.err("expected `,` or `)` after a field")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"// comment
Scenario(
    id: "x", /* block /* nested */ */
    persona: Persona(name: "Анна", patience: 2),
    nodes: {
        "a": Line(say: ["hi \"there\""], expect: Some("greeting"), choices: [Choice(text: "t", next: "b")]),
        "a": End(outcome: Success, label: "ok"),
    },
    weights: [1, -2.5e3, 0x1F],
)
"#;

    fn text_at(span: Range<usize>) -> &'static str {
        &SRC[span]
    }

    #[test]
    fn locates_fields_keys_items_and_through_some() {
        let v = parse(SRC).expect("parses");
        let (s, ok) = v.locate(&[
            Seg::Field("nodes"),
            Seg::Key("a".into()),
            Seg::Field("choices"),
            Seg::Index(0),
            Seg::Field("next"),
        ]);
        assert!(ok);
        assert_eq!(text_at(s), "\"b\"");
        let (s, ok) = v.locate(&[Seg::Field("nodes"), Seg::Key("a".into()), Seg::Field("expect")]);
        assert!(ok);
        assert_eq!(text_at(s), "Some(\"greeting\")");
        let (s, _) = v.locate(&[Seg::Field("persona"), Seg::Field("name")]);
        assert_eq!(text_at(s), "\"Анна\"");
        let (s, ok) = v.locate(&[Seg::Field("nodes"), Seg::KeyName("a".into(), 1)]);
        assert!(ok);
        assert_eq!(s.start, SRC.rfind("\"a\"").unwrap_or(0));
        let (s, ok) = v.locate(&[Seg::Field("weights"), Seg::Index(2)]);
        assert!(ok);
        assert_eq!(text_at(s), "0x1F");
    }

    #[test]
    fn a_missing_step_stops_at_the_deepest_value_found() {
        let v = parse(SRC).expect("parses");
        let (s, ok) = v.locate(&[Seg::Field("persona"), Seg::Field("company")]);
        assert!(!ok);
        assert!(text_at(s).starts_with("Persona("));
    }

    #[test]
    fn reports_where_the_syntax_breaks() {
        let e = parse("Script(id: \"x\" version: 1)").expect_err("missing comma");
        assert_eq!(e.offset, 15);
        assert!(parse("[1, 2").is_err());
        assert!(parse("\"open").is_err());
    }

    #[test]
    fn broken_text_is_an_error_never_a_panic() {
        // A backslash before a multi-byte letter, an unclosed attribute, a file ending inside a char.
        for text in ["Script(title: \"\\é\")", "#![enable(implicit_some)", "Script(c: '\\", "'\\", "\"\\", "r#\"", "'"]
        {
            let _ = parse(text);
        }
        assert_eq!(
            parse("Script(title: \"\\é\")").map(|v| v.fields().map(|f| f[0].value.kind.clone())),
            Ok(Some(Kind::Str("é".into())))
        );
        assert!(parse("#![enable(implicit_some)").is_err());
        assert!(parse("Script(c: '\\").is_err());
    }

    #[test]
    fn every_prefix_and_every_cut_of_a_file_reads_without_a_panic() {
        let text = "#![enable(implicit_some)]\n/* Ünï /* çødé */ */ Scenario(a: \"Привет \\\"мир\\\" \\u{1F600} \\é\", b: r#\"Ω\"#, c: 'ж', d: '\\'', e: [1, -2.5], f: {\"ключ\": Some(Да)})";
        assert!(parse(text).is_ok(), "{:?}", parse(text));
        for (end, _) in text.char_indices() {
            let _ = parse(&text[..end]);
            let _ = parse(&text[end..]);
        }
    }

    #[test]
    fn escapes_read_as_ron_reads_them() {
        let v = parse(r#"("a\tb\u{200B}c\x41\\\"", "\u{zz}")"#).expect("parses");
        let Kind::Tuple { items, .. } = v.kind else { panic!("a tuple") };
        assert_eq!(items[0].kind, Kind::Str("a\tb\u{200B}cA\\\"".into()));
        assert_eq!(items[1].kind, Kind::Str("\\u{zz}".into()));
    }

    #[test]
    fn literal_offsets_place_every_character_of_the_value() {
        let lit = r#""aé\u{200B}b""#;
        let offsets = literal_offsets(lit).expect("a literal");
        // a, é, the escape (one character at its backslash), b, then the closing quote.
        assert_eq!(offsets, vec![1, 2, 4, 12, 13]);
        assert_eq!(literal_offsets(r##"r#"xé"#"##), Some(vec![3, 4, 6]));
        assert_eq!(literal_offsets("\"open"), None);
        assert_eq!(literal_offsets("\"a\" trailing"), None);
    }
}
