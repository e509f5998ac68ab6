//! Renders a diagnostic the way compilers do: `path:line:col: error: message`, the line, a caret.
//!
//! The first line is the `file:line:col:` form that editors and CI logs turn into links; the
//! snippet under it follows rustc's layout.

use crate::domain::{Diagnostic, Severity};
use std::fmt::Write;

/// The diagnostic as text; with `color`, the severity and caret are coloured with ANSI codes.
pub fn render(d: &Diagnostic, color: bool) -> String {
    let (on, bold, off) = if color {
        (if d.severity == Severity::Error { "\x1b[1;31m" } else { "\x1b[1;33m" }, "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut out = String::new();
    let _ =
        writeln!(out, "{bold}{}:{}:{}:{off} {on}{}{off}{bold}: {}{off}", d.path, d.line, d.col, d.severity, d.message);
    if let Some(src) = d.source.as_ref().filter(|_| !d.span.is_empty() || d.line > 1 || d.col > 1) {
        let range = src.line_range(d.line);
        let line_text = &src.text[range.clone()];
        let num = d.line.to_string();
        let pad = " ".repeat(num.len());
        let shown: String = line_text.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
        let start_col = d.col.saturating_sub(1);
        let span_end = d.span.end.min(range.end).max(d.span.start.min(range.end));
        let width = src.text.get(d.span.start.min(range.end)..span_end).map_or(1, |s| s.chars().count()).max(1);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{num} | {shown}");
        let label = d.label.as_deref().map(|l| format!(" {l}")).unwrap_or_default();
        let _ = writeln!(out, "{pad} | {}{on}{}{label}{off}", " ".repeat(start_col), "^".repeat(width));
        if let Some(h) = &d.help {
            let _ = writeln!(out, "{pad} = help: {h}");
        }
    } else if let Some(h) = &d.help {
        let _ = writeln!(out, "  = help: {h}");
    }
    out
}
