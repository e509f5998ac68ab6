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

/// Reads RON text into a span tree.
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    let mut p = Parser { s: text.as_bytes(), text, i: 0, depth: 0 };
    p.skip_ws()?;
    // `#![enable(...)]` attributes
    while p.s[p.i..].starts_with(b"#!") {
        while p.i < p.s.len() && p.s[p.i] != b']' {
            p.i += 1;
        }
        p.i += 1;
        p.skip_ws()?;
    }
    let v = p.value()?;
    p.skip_ws()?;
    if p.i < p.s.len() {
        return Err(p.err("unexpected text after the value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, message: &str) -> SyntaxError {
        SyntaxError { offset: self.i.min(self.s.len()), message: message.to_owned() }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
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
                        if self.s[self.i..].starts_with(b"/*") {
                            level += 1;
                            self.i += 2;
                        } else if self.s[self.i..].starts_with(b"*/") {
                            level -= 1;
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
        if self.s[self.i..].starts_with(b"r#") {
            self.i += 2;
        }
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
                self.i += 1;
            } else {
                break;
            }
        }
        (self.i > start).then(|| self.text[start..self.i].trim_start_matches("r#").to_owned())
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
                let mut entries = Vec::new();
                loop {
                    self.skip_ws()?;
                    if self.peek() == Some(b'}') {
                        self.i += 1;
                        break;
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
                Kind::Map(entries)
            }
            Some(b'(') => self.struct_or_tuple(None)?,
            Some(b'\'') => {
                self.i += 1;
                while let Some(c) = self.peek() {
                    self.i += 1;
                    if c == b'\\' {
                        self.i += 1;
                    } else if c == b'\'' {
                        break;
                    }
                }
                Kind::Atom(self.text[start..self.i].to_owned())
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
                Kind::Atom(self.text[start..self.i].to_owned())
            }
            Some(_) => return Err(self.err("unexpected character")),
        };
        self.depth -= 1;
        Ok(Value { span: start..self.i, kind })
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
            if self.s[self.i..].starts_with(&closing) {
                let body = self.text[body_start..self.i].to_owned();
                self.i += closing.len();
                return Ok(body);
            }
            self.i += 1;
        }
        Err(self.err("unclosed raw string"))
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.i += 1;
        let mut out = String::new();
        let mut run_start = self.i;
        while let Some(c) = self.peek() {
            match c {
                b'"' => {
                    out.push_str(&self.text[run_start..self.i]);
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run_start..self.i]);
                    self.i += 1;
                    match self.peek() {
                        Some(b'n') => out.push('\n'),
                        Some(b't') => out.push('\t'),
                        Some(b'r') => out.push('\r'),
                        Some(b'0') => out.push('\0'),
                        Some(b'u') => {
                            // \u{XXXX}: kept verbatim; only ids are compared, and they never need it.
                            out.push_str("\\u");
                        }
                        Some(other) => out.push(other as char),
                        None => break,
                    }
                    self.i += 1;
                    run_start = self.i;
                }
                _ => self.i += 1,
            }
        }
        Err(self.err("unclosed string"))
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
}
