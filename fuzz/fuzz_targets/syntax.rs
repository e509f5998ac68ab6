//! Fuzz target: the position parser behind diagnostics, and a diagnostic rendered at any span of any text.
//!
//! The first four bytes choose the span; the rest is the file's text.

#![no_main]

use callforge::domain::model::Scenario;
use callforge::domain::parse::{self, FileKind};
use callforge::domain::syntax::{self, Kind, Value};
use callforge::domain::{Diagnostic, Severity, SourceFile};
use callforge_fuzz::check_rendered;
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

/// Every string literal of the tree: its value's characters are placed inside the literal.
fn check_strings(text: &str, v: &Value) {
    let check = |v: &Value| check_strings(text, v);
    match &v.kind {
        Kind::Str(s) => {
            let literal = &text[v.span.clone()];
            let offsets = syntax::literal_offsets(literal).expect("a string the parser read is a literal");
            assert_eq!(offsets.len(), s.chars().count() + 1, "{literal:?}");
            assert!(offsets.windows(2).all(|w| w[0] <= w[1]) && offsets.iter().all(|&o| literal.is_char_boundary(o)));
        }
        Kind::Struct { fields, .. } => fields.iter().for_each(|f| check(&f.value)),
        Kind::Tuple { items, .. } | Kind::List(items) => items.iter().for_each(check),
        Kind::Map(entries) => entries.iter().for_each(|(k, val)| {
            check(k);
            check(val);
        }),
        Kind::Atom(_) => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<4>() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    if let Ok(tree) = syntax::parse(text) {
        assert!(tree.span.end <= text.len());
        check_strings(text, &tree);
    }
    let source = Arc::new(SourceFile::new("f.ron", text));
    let a = usize::from(u16::from_le_bytes([head[0], head[1]])) % (text.len() + 1);
    let b = usize::from(u16::from_le_bytes([head[2], head[3]])) % (text.len() + 1);
    let d = Diagnostic::at(Severity::Error, &source, a.min(b)..a.max(b), "a problem").with_label("here");
    check_rendered(&d);
    if let Err(diagnostics) = parse::read::<Scenario>(&source, FileKind::Scenario) {
        assert!(!diagnostics.is_empty() && diagnostics.len() <= 201);
        diagnostics.iter().for_each(check_rendered);
    }
});
