//! Reading one RON file into the model, collecting every syntax and type problem with its position.
//!
//! The whole file is deserialized in one go first (the fast path). When that fails, the file is read
//! again as a span tree and each part (every field, node, stage, …) is deserialized on its own, so
//! that one pass reports every broken part rather than only the first.

use super::model::{
    Difficulty, Forbidden, Input, LabelledCall, LabelledCheck, LabelledLine, Mode, Node, Persona, Role, Rung, Stage,
};
use super::source::{Diagnostic, FileDiagnostics, Severity, SourceFile};
use super::syntax::{self, Kind, Value};
use ron::extensions::Extensions;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// The kinds of file callforge reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Script,
    Scenario,
    Ladder,
    Run,
    Calibration,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Script => "Script",
            FileKind::Scenario => "Scenario",
            FileKind::Ladder => "Ladder",
            FileKind::Run => "Run",
            FileKind::Calibration => "Calibration",
        }
    }

    /// Guesses the kind from the first identifier in the text (`Script(`, `Scenario(`, …).
    pub fn sniff(text: &str) -> Option<FileKind> {
        let mut rest = text.trim_start_matches('\u{feff}');
        loop {
            rest = rest.trim_start();
            if let Some(r) = rest.strip_prefix("//") {
                rest = r.split_once('\n').map_or("", |(_, tail)| tail);
            } else if let Some(r) = rest.strip_prefix("/*") {
                rest = r.split_once("*/").map_or("", |(_, tail)| tail);
            } else if let Some(r) = rest.strip_prefix("#!") {
                rest = r.split_once(']').map_or("", |(_, tail)| tail);
            } else {
                break;
            }
        }
        let ident: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        match ident.as_str() {
            "Script" => Some(FileKind::Script),
            "Scenario" => Some(FileKind::Scenario),
            "Ladder" => Some(FileKind::Ladder),
            "Run" => Some(FileKind::Run),
            "Calibration" => Some(FileKind::Calibration),
            _ => None,
        }
    }
}

/// RON as callforge reads it: with `implicit_some`, so `Some(x)` and `x` both work for optional fields.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Deserializes a whole file of one kind, or returns every problem found in it (at most
/// [`super::limits::MAX_DIAGNOSTICS_PER_FILE`], then how many more).
pub fn read<T: DeserializeOwned>(source: &Arc<SourceFile>, kind: FileKind) -> Result<T, Vec<Diagnostic>> {
    read_capped(source, kind).map_err(|d| d.finish(source))
}

/// [`read`], with the problems still open to more of the same file.
pub(crate) fn read_capped<T: DeserializeOwned>(source: &Arc<SourceFile>, kind: FileKind) -> Result<T, FileDiagnostics> {
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    let bom = source.text.len() - text.len();
    match ron_options().from_str::<T>(text) {
        Ok(v) => Ok(v),
        Err(whole) => {
            let mut diags = FileDiagnostics::default();
            if let Ok(tree) = syntax::parse(text) {
                check_parts(&mut diags, source, bom, &tree, kind);
            }
            if !diags.has_errors() {
                diags.push(ron_diagnostic(source, bom, text, &whole));
            }
            Err(diags)
        }
    }
}

/// Turns a RON error inside `slice` (which starts at byte `base` of the file) into a diagnostic.
fn ron_diagnostic(source: &Arc<SourceFile>, base: usize, slice: &str, err: &ron::error::SpannedError) -> Diagnostic {
    let rel = |line: usize, col: usize| -> usize {
        let mut offset = 0;
        for (n, l) in slice.split_inclusive('\n').enumerate() {
            if n + 1 == line {
                return offset + l.char_indices().nth(col.saturating_sub(1)).map_or(l.len(), |(i, _)| i);
            }
            offset += l.len();
        }
        slice.len()
    };
    let start = base + rel(err.span.start.line, err.span.start.col);
    let mut end = base + rel(err.span.end.line, err.span.end.col);
    if end <= start {
        end = start + source.text.get(start..).and_then(|r| r.chars().next()).map_or(0, char::len_utf8);
    }
    let (message, help) = explain(&err.code);
    let d = Diagnostic::at(Severity::Error, source, start..end, message);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// RON's message for an error, in an author's words, and a hint where one helps.
fn explain(code: &ron::Error) -> (String, Option<String>) {
    use ron::Error as E;
    match code {
        E::NoSuchStructField { expected, found, outer } => {
            let within = outer.as_deref().map(|o| format!(" in `{o}`")).unwrap_or_default();
            (
                format!("unknown field `{found}`{within}"),
                Some(format!("expected one of: {}{}", expected.join(", "), suggest(found, expected))),
            )
        }
        E::NoSuchEnumVariant { expected, found, outer } => {
            let within = outer.as_deref().map(|o| format!(" of `{o}`")).unwrap_or_default();
            (
                format!("unknown variant `{found}`{within}"),
                Some(format!("expected one of: {}{}", expected.join(", "), suggest(found, expected))),
            )
        }
        E::MissingStructField { field, outer } => {
            let within = outer.as_deref().map(|o| format!(" in `{o}`")).unwrap_or_default();
            (format!("missing field `{field}`{within}"), Some(format!("add `{field}: …`")))
        }
        E::DuplicateStructField { field, outer } => {
            let within = outer.as_deref().map(|o| format!(" in `{o}`")).unwrap_or_default();
            (format!("field `{field}` is given twice{within}"), Some("keep one of them".to_owned()))
        }
        E::ExpectedDifferentStructName { expected, found } => {
            (format!("expected `{expected}(…)` here, found `{found}(…)`"), None)
        }
        E::ExpectedComma => ("expected a comma".to_owned(), Some("separate fields and items with `,`".to_owned())),
        E::ExpectedStringEnd => ("this string is not closed".to_owned(), Some("add the closing `\"`".to_owned())),
        other => (lower_first(&other.to_string()), None),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Names longer than this are never compared for a suggestion: nobody misspells a paragraph.
const SUGGEST_MAX_BYTES: usize = 100;

/// ` (did you mean `x`?)` when a close spelling exists.
pub(crate) fn suggest<S: AsRef<str>>(found: &str, candidates: &[S]) -> String {
    if found.len() > SUGGEST_MAX_BYTES {
        return String::new();
    }
    candidates
        .iter()
        .filter(|c| c.as_ref().len() <= SUGGEST_MAX_BYTES)
        .map(|c| (strsim::jaro_winkler(found, c.as_ref()), c.as_ref()))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// How one field's value is checked on its own.
#[derive(Clone, Copy)]
enum Part {
    Whole(fn(&str) -> Result<(), ron::error::SpannedError>),
    ListOf(fn(&str) -> Result<(), ron::error::SpannedError>),
    MapOf(fn(&str) -> Result<(), ron::error::SpannedError>),
}

fn check<T: DeserializeOwned>(s: &str) -> Result<(), ron::error::SpannedError> {
    ron_options().from_str::<T>(s).map(|_| ())
}

/// The fields of each kind of file: name, required, how to check.
fn schema(kind: FileKind) -> &'static [(&'static str, bool, Part)] {
    match kind {
        FileKind::Scenario => &[
            ("id", true, Part::Whole(check::<String>)),
            ("version", true, Part::Whole(check::<u32>)),
            ("title", true, Part::Whole(check::<String>)),
            ("role", true, Part::Whole(check::<Role>)),
            ("language", true, Part::Whole(check::<String>)),
            ("script", true, Part::Whole(check::<String>)),
            ("brief", true, Part::Whole(check::<String>)),
            ("persona", true, Part::Whole(check::<Persona>)),
            ("difficulty", false, Part::Whole(check::<Difficulty>)),
            ("pass_mark", false, Part::Whole(check::<u32>)),
            ("start", true, Part::Whole(check::<String>)),
            ("nodes", true, Part::MapOf(check::<Node>)),
            ("on_patience_out", false, Part::Whole(check::<Option<String>>)),
            ("partner", false, Part::Whole(check::<Option<String>>)),
        ],
        FileKind::Script => &[
            ("id", true, Part::Whole(check::<String>)),
            ("version", true, Part::Whole(check::<u32>)),
            ("role", true, Part::Whole(check::<Role>)),
            ("title", true, Part::Whole(check::<String>)),
            ("language", false, Part::Whole(check::<Option<String>>)),
            ("min_similarity", false, Part::Whole(check::<f64>)),
            ("stages", true, Part::ListOf(check::<Stage>)),
            ("forbidden", false, Part::ListOf(check::<Forbidden>)),
        ],
        FileKind::Ladder => &[("rungs", true, Part::ListOf(check::<Rung>))],
        FileKind::Calibration => &[
            ("script", true, Part::Whole(check::<String>)),
            ("min_agreement", false, Part::Whole(check::<f64>)),
            ("trainee", false, Part::Whole(check::<String>)),
            ("lines", false, Part::ListOf(check::<LabelledLine>)),
            ("forbidden", false, Part::ListOf(check::<LabelledCheck>)),
            ("calls", false, Part::ListOf(check::<LabelledCall>)),
        ],
        FileKind::Run => &[
            ("scenario", true, Part::Whole(check::<String>)),
            ("version", false, Part::Whole(check::<Option<u32>>)),
            ("hash", false, Part::Whole(check::<Option<String>>)),
            ("seed", true, Part::Whole(check::<u64>)),
            ("mode", true, Part::Whole(check::<Mode>)),
            ("trainee", true, Part::Whole(check::<String>)),
            ("scorer", false, Part::Whole(check::<Option<u32>>)),
            ("inputs", true, Part::ListOf(check::<Input>)),
            ("times_ms", false, Part::Whole(check::<Vec<u64>>)),
            ("played_at", false, Part::Whole(check::<Option<String>>)),
        ],
    }
}

/// Adds a diagnostic, built only when the file's list still has room for it.
fn emit(out: &mut FileDiagnostics, severity: Severity, build: impl FnOnce() -> Diagnostic) {
    if !out.accepts(severity) {
        out.count(severity);
    } else {
        out.push(build());
    }
}

/// Checks every part of a file that failed as a whole; adds a diagnostic per broken part.
fn check_parts(out: &mut FileDiagnostics, source: &Arc<SourceFile>, base: usize, tree: &Value, kind: FileKind) {
    let span = |r: &std::ops::Range<usize>| (base + r.start)..(base + r.end);
    let (name, fields) = match &tree.kind {
        Kind::Struct { name, fields } => (name.as_deref(), fields.as_slice()),
        Kind::Tuple { name, items } if items.is_empty() => (name.as_deref(), &[][..]),
        _ => {
            out.push(
                Diagnostic::at(Severity::Error, source, span(&tree.span), format!("expected `{}(…)`", kind.name()))
                    .with_help(format!(
                        "a {} file holds one `{}( field: value, … )`",
                        kind.name().to_lowercase(),
                        kind.name()
                    )),
            );
            return;
        }
    };
    if let Some(n) = name
        && n != kind.name()
    {
        let end = tree.span.start + n.len();
        out.push(Diagnostic::at(
            Severity::Error,
            source,
            span(&(tree.span.start..end)),
            format!("expected `{}(…)` here, found `{n}(…)`", kind.name()),
        ));
    }
    let schema = schema(kind);
    let known: Vec<&str> = schema.iter().map(|(n, _, _)| *n).collect();
    let mut seen = std::collections::HashSet::with_capacity(fields.len());
    for field in fields {
        if !seen.insert(field.name.as_str()) {
            emit(out, Severity::Error, || {
                Diagnostic::at(
                    Severity::Error,
                    source,
                    span(&field.name_span),
                    format!("field `{}` is given twice", field.name),
                )
                .with_help("keep one of them")
            });
            continue;
        }
        let Some((_, _, part)) = schema.iter().find(|(n, _, _)| *n == field.name) else {
            emit(out, Severity::Error, || {
                Diagnostic::at(
                    Severity::Error,
                    source,
                    span(&field.name_span),
                    format!("unknown field `{}` in `{}`", field.name, kind.name()),
                )
                .with_help(format!(
                    "expected one of: {}{}",
                    known.join(", "),
                    suggest(&field.name, &known)
                ))
            });
            continue;
        };
        check_value(out, source, base, &field.name, *part, &field.value);
    }
    for (name, required, _) in schema {
        if *required && !seen.contains(name) {
            let open = tree.span.start..(tree.span.start + name_len(tree));
            out.push(
                Diagnostic::at(
                    Severity::Error,
                    source,
                    span(&open),
                    format!("missing field `{name}` in `{}`", kind.name()),
                )
                .with_help(format!("add `{name}: …`")),
            );
        }
    }
}

/// Checks one field's value on its own: the whole value, each item of a list, or each entry of a map.
fn check_value(
    out: &mut FileDiagnostics,
    source: &Arc<SourceFile>,
    base: usize,
    name: &str,
    part: Part,
    value: &Value,
) {
    let span = |r: &std::ops::Range<usize>| (base + r.start)..(base + r.end);
    let check_slice = |out: &mut FileDiagnostics, f: fn(&str) -> Result<(), ron::error::SpannedError>, v: &Value| {
        let s = span(&v.span);
        let Some(slice) = source.text.get(s.clone()) else { return };
        if let Err(e) = f(slice) {
            emit(out, Severity::Error, || ron_diagnostic(source, s.start, slice, &e));
        }
    };
    match part {
        Part::Whole(f) => check_slice(out, f, value),
        Part::ListOf(f) => match value.items() {
            Some(items) => items.iter().for_each(|item| check_slice(out, f, item)),
            None => check_slice(out, f, value),
        },
        Part::MapOf(f) => match value.entries() {
            Some(entries) => {
                for (k, v) in entries {
                    if !matches!(k.kind, Kind::Str(_)) {
                        emit(out, Severity::Error, || {
                            Diagnostic::at(Severity::Error, source, span(&k.span), "a node id must be a string")
                                .with_help("write the id in double quotes, like \"hello\"")
                        });
                    }
                    check_slice(out, f, v);
                }
            }
            None => out.push(
                Diagnostic::at(Severity::Error, source, span(&value.span), format!("`{name}` must be a map"))
                    .with_help("write `{ \"id\": Line(…), … }`"),
            ),
        },
    }
}

fn name_len(v: &Value) -> usize {
    match &v.kind {
        Kind::Struct { name: Some(n), .. } | Kind::Tuple { name: Some(n), .. } => n.len(),
        _ => 1,
    }
}
