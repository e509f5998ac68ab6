//! Renders a diagnostic the way compilers do: `path:line:col: error: message`, the line, a caret.
//!
//! The first line is the `file:line:col:` form that editors and CI logs turn into links; the
//! snippet under it follows rustc's layout.

use crate::domain::source::clip;
use crate::domain::{Diagnostic, Severity};
use std::fmt::Write;

/// The diagnostic as text; with `color`, the severity and caret are coloured with ANSI codes. A long
/// source line is shown as a window around the column (see `domain::limits::SHOWN_LINE_CHARS`).
pub fn render(d: &Diagnostic, color: bool) -> String {
    let (on, bold, off) = if color {
        (if d.severity == Severity::Error { "\x1b[1;31m" } else { "\x1b[1;33m" }, "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut out = String::new();
    let (path, message) = (printable(&d.path), printable(&d.message));
    let _ = writeln!(out, "{bold}{path}:{}:{}:{off} {on}{}{off}{bold}: {message}{off}", d.line, d.col, d.severity);
    if let Some(src) = d.source.as_ref().filter(|_| !d.span.is_empty() || d.line > 1 || d.col > 1) {
        let excerpt = src.excerpt(d.line, d.span.clone());
        let num = d.line.to_string();
        let pad = " ".repeat(num.len());
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{num} | {}", excerpt.text);
        let label = d.label.as_deref().map(|l| format!(" {}", printable(l))).unwrap_or_default();
        let _ = writeln!(out, "{pad} | {}{on}{}{label}{off}", " ".repeat(excerpt.caret), "^".repeat(excerpt.width));
        if let Some(h) = &d.help {
            help(&mut out, &pad, h);
        }
    } else if let Some(h) = &d.help {
        help(&mut out, " ", h);
    }
    out
}

/// How wide a help line may grow before it wraps.
const HELP_WIDTH: usize = 100;

/// The help line, wrapped at word boundaries so a long list of names stays readable.
fn help(out: &mut String, pad: &str, text: &str) {
    let text = printable(text);
    let mut line = String::new();
    let mut first = true;
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > HELP_WIDTH {
            let lead = if first { " = help:" } else { "        " };
            let _ = writeln!(out, "{pad}{lead} {line}");
            first = false;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    let lead = if first { " = help:" } else { "        " };
    let _ = writeln!(out, "{pad}{lead} {line}");
}

/// A text from a file as the terminal should print it: control characters (an escape sequence in
/// a name, say) shown as `\u{…}` instead of run, and elided again if that made it too long.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    let escaped = text
        .chars()
        .map(|c| if c.is_control() { c.escape_unicode().to_string() } else { c.to_string() })
        .collect::<String>();
    clip(escaped).into()
}
