//! The diagnostics reporter: collects the problems of one file, each located by its path in the file's span tree.

use super::limits::SUGGESTION_BUDGET;
use super::source::{Diagnostic, FileDiagnostics, Severity, SourceFile};
use super::syntax::{self, Kind, Seg, Value};
use std::cell::{Cell, OnceCell};
use std::ops::Range;
use std::sync::Arc;

/// Collects diagnostics for one file, locating each by its path in the file's span tree. Past
/// [`super::limits::MAX_DIAGNOSTICS_PER_FILE`] problems are only counted: nothing is located.
#[derive(Debug)]
pub(crate) struct Reporter<'a> {
    source: &'a Arc<SourceFile>,
    tree: OnceCell<Option<Value>>,
    diagnostics: FileDiagnostics,
    /// What a problem past the limit is written into, and then forgotten.
    scratch: Diagnostic,
    /// Name comparisons left for "did you mean" suggestions in this file.
    suggestions_left: Cell<usize>,
}

impl<'a> Reporter<'a> {
    pub fn new(source: &'a Arc<SourceFile>) -> Self {
        Self {
            source,
            tree: OnceCell::new(),
            diagnostics: FileDiagnostics::default(),
            scratch: Diagnostic::file(Severity::Warning, String::new(), String::new()),
            suggestions_left: Cell::new(SUGGESTION_BUDGET),
        }
    }

    pub fn path(&self) -> &str {
        &self.source.path
    }

    fn tree(&self) -> Option<&Value> {
        self.tree
            .get_or_init(|| {
                let text = &self.source.text;
                let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
                syntax::parse(&text[bom..]).ok().map(|mut v| {
                    shift(&mut v, bom);
                    v
                })
            })
            .as_ref()
    }

    fn span_of(&self, path: &[Seg]) -> Range<usize> {
        self.tree().map_or(0..0, |t| t.locate(path).0)
    }

    /// Whether a problem of this severity would be shown: if not, a caller may skip building it
    /// (its suggestions, its paths) and only [`Reporter::count`] it.
    pub fn accepts(&self, severity: Severity) -> bool {
        self.diagnostics.accepts(severity)
    }

    /// Counts a problem that is not shown because the list is full.
    pub fn count(&mut self, severity: Severity) {
        self.diagnostics.count(severity);
    }

    pub fn report(&mut self, severity: Severity, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        if !self.accepts(severity) {
            self.diagnostics.count(severity);
            return &mut self.scratch;
        }
        let span = self.span_of(path);
        self.push(Diagnostic::at(severity, self.source, span, message))
    }

    /// A problem with some characters of the string at `path`: `chars` counts characters of the
    /// string's value, and the diagnostic points at exactly those characters in the file (escapes
    /// included), or at the whole string when they cannot be placed.
    pub fn report_in_text(
        &mut self,
        severity: Severity,
        path: &[Seg],
        chars: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        if !self.accepts(severity) {
            self.diagnostics.count(severity);
            return &mut self.scratch;
        }
        let span = self.span_in_text(path, chars).unwrap_or_else(|| self.span_of(path));
        self.push(Diagnostic::at(severity, self.source, span, message))
    }

    fn span_in_text(&self, path: &[Seg], chars: Range<usize>) -> Option<Range<usize>> {
        let value = self.tree()?.find(path)?;
        if !matches!(value.kind, Kind::Str(_)) {
            return None;
        }
        let literal = self.source.text.get(value.span.clone())?;
        let offsets = syntax::literal_offsets(literal)?;
        let start = *offsets.get(chars.start)?;
        let end = *offsets.get(chars.end.max(chars.start + 1))?;
        Some((value.span.start + start)..(value.span.start + end))
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.diagnostics.push(d);
        // The new diagnostic is always last: one that is accepted is pushed, never evicted.
        match self.diagnostics.last_mut() {
            Some(d) => d,
            None => &mut self.scratch,
        }
    }

    pub fn error(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        self.report(Severity::Error, path, message)
    }

    pub fn warning(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        self.report(Severity::Warning, path, message)
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// Diagnostics found elsewhere for this file (by the parser), taken in under the same limit.
    pub fn absorb(&mut self, diagnostics: FileDiagnostics) {
        self.diagnostics.absorb(diagnostics);
    }

    /// The first error reported, if any was shown.
    pub fn first_error(&self) -> Option<&Diagnostic> {
        self.diagnostics.iter().find(|d| d.is_error())
    }

    /// The file's diagnostics, closed by "and N more" when some were only counted.
    pub fn finish(self) -> Vec<Diagnostic> {
        self.diagnostics.finish(self.source)
    }

    /// ` (did you mean `x`?)` when a close spelling of `found` is among `candidates`; nothing once
    /// this file's budget of comparisons is spent (see [`SUGGESTION_BUDGET`]).
    pub fn suggest<S: AsRef<str>>(&self, found: &str, candidates: &[S]) -> String {
        let left = self.suggestions_left.get();
        if candidates.len() > left {
            self.suggestions_left.set(0);
            return String::new();
        }
        self.suggestions_left.set(left - candidates.len());
        super::parse::suggest(found, candidates)
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
