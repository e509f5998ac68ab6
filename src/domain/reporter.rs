//! The diagnostics reporter: collects the problems of one file, each located by its path in the file's span tree.

use super::source::{Diagnostic, Severity, SourceFile};
use super::syntax::{self, Seg, Value};
use std::cell::OnceCell;
use std::sync::Arc;

/// Collects diagnostics for one file, locating each by its path in the file's span tree.
#[derive(Debug)]
pub(crate) struct Reporter<'a> {
    source: &'a Arc<SourceFile>,
    tree: OnceCell<Option<Value>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub fn new(source: &'a Arc<SourceFile>) -> Self {
        Self { source, tree: OnceCell::new(), diagnostics: Vec::new() }
    }

    pub fn path(&self) -> &str {
        &self.source.path
    }

    fn span_of(&self, path: &[Seg]) -> std::ops::Range<usize> {
        let tree = self.tree.get_or_init(|| {
            let text = &self.source.text;
            let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
            syntax::parse(&text[bom..]).ok().map(|mut v| {
                shift(&mut v, bom);
                v
            })
        });
        match tree {
            Some(t) => t.locate(path).0,
            None => 0..0,
        }
    }

    pub fn report(&mut self, severity: Severity, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        let span = self.span_of(path);
        self.diagnostics.push(Diagnostic::at(severity, self.source, span, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    pub fn error(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        self.report(Severity::Error, path, message)
    }

    pub fn warning(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        self.report(Severity::Warning, path, message)
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

fn shift(v: &mut Value, by: usize) {
    if by == 0 {
        return;
    }
    v.span = (v.span.start + by)..(v.span.end + by);
    match &mut v.kind {
        syntax::Kind::Struct { fields, .. } => fields.iter_mut().for_each(|f| {
            f.name_span = (f.name_span.start + by)..(f.name_span.end + by);
            shift(&mut f.value, by);
        }),
        syntax::Kind::Tuple { items, .. } | syntax::Kind::List(items) => items.iter_mut().for_each(|i| shift(i, by)),
        syntax::Kind::Map(entries) => entries.iter_mut().for_each(|(k, val)| {
            shift(k, by);
            shift(val, by);
        }),
        syntax::Kind::Str(_) | syntax::Kind::Atom(_) => {}
    }
}

pub(crate) trait DiagnosticExt {
    fn label(&mut self, l: impl Into<String>) -> &mut Self;
    fn help(&mut self, h: impl Into<String>) -> &mut Self;
}

impl DiagnosticExt for Diagnostic {
    fn label(&mut self, l: impl Into<String>) -> &mut Self {
        self.label = Some(l.into());
        self
    }
    fn help(&mut self, h: impl Into<String>) -> &mut Self {
        self.help = Some(h.into());
        self
    }
}

/// A field segment of a path into the file.
pub(crate) fn field(name: &'static str) -> Seg {
    Seg::Field(name)
}
