//! Source files and diagnostics: a problem in a file, with the exact position it points at.

use super::limits::{MAX_DIAGNOSTICS_PER_FILE, MAX_FILE_BYTES, MAX_MESSAGE_CHARS, SHOWN_LINE_CHARS, bytes};
use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// Every this many bytes, [`SourceFile`] notes how many characters come before, so that the column
/// of a position on a very long line is found without counting the whole line.
const CHAR_CHECKPOINT: usize = 4096;

/// The text of one file as it was read, with its line starts for position look-ups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user gave it or as it was found under a scenario root.
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
    /// (byte offset, characters before it), about every [`CHAR_CHECKPOINT`] bytes.
    checkpoints: Vec<(usize, usize)>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut checkpoints = vec![(0, 0)];
        let mut at = 0;
        while text.len() - at > CHAR_CHECKPOINT {
            let next = text.floor_char_boundary(at + CHAR_CHECKPOINT).max(at + 1);
            let next = text.ceil_char_boundary(next);
            let chars = checkpoints.last().map_or(0, |c| c.1) + text[at..next].chars().count();
            checkpoints.push((next, chars));
            at = next;
        }
        Self { path: path.into(), text, line_starts, checkpoints }
    }

    /// How many characters come before a byte offset (moved back to a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let offset = self.text.floor_char_boundary(offset.min(self.text.len()));
        let k = self.checkpoints.partition_point(|c| c.0 <= offset).saturating_sub(1);
        let (at, chars) = self.checkpoints.get(k).copied().unwrap_or((0, 0));
        chars + self.text.get(at..offset).map_or(0, |s| s.chars().count())
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let col = self.chars_before(offset).saturating_sub(self.chars_before(start));
        (line + 1, col + 1)
    }

    /// How many lines the text has (a last line without a newline counts).
    pub fn lines(&self) -> usize {
        self.line_starts.len()
    }

    /// A window of at most [`SHOWN_LINE_CHARS`] characters of a 1-based line around a span that
    /// starts on it, elided with `…` where the line goes on, with tabs and control characters
    /// replaced so that every character takes one column.
    pub fn excerpt(&self, line: usize, span: Range<usize>) -> Excerpt {
        let range = self.line_range(line);
        let start = self.text.floor_char_boundary(span.start.clamp(range.start, range.end));
        let end = self.text.floor_char_boundary(span.end.clamp(start, range.end));
        let (before, after) = (&self.text[range.start..start], &self.text[start..range.end]);
        let budget = SHOWN_LINE_CHARS;
        let after_len = after.chars().take(budget + 1).count();
        let left_want = (budget / 3).max(budget.saturating_sub(after_len));
        let mut left: Vec<char> = before.chars().rev().take(left_want + 1).collect();
        let cut_left = left.len() > left_want;
        left.truncate(left_want);
        left.reverse();
        let right_want = budget - left.len();
        let cut_right = after_len > right_want;
        let right: Vec<char> = after.chars().take(right_want).collect();
        let shown = |c: char| match c {
            '\t' => ' ',
            c if c.is_control() || is_invisible(c) => '\u{fffd}',
            c => c,
        };
        let mut text = String::with_capacity(budget * 2);
        if cut_left {
            text.push('…');
        }
        text.extend(left.iter().copied().map(shown));
        text.extend(right.iter().copied().map(shown));
        if cut_right {
            text.push('…');
        }
        let span_chars = self.text[start..end].chars().take(right.len() + 1).count();
        Excerpt { text, caret: left.len() + usize::from(cut_left), width: span_chars.clamp(1, right.len().max(1)) }
    }

    /// The byte range of a 1-based line, without its newline.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = self.line_starts.get(line.saturating_sub(1)).copied().unwrap_or(self.text.len());
        let end = self.line_starts.get(line).map_or(self.text.len(), |&e| e.saturating_sub(1));
        let end = if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') { end - 1 } else { end };
        start..end.max(start)
    }

    /// The byte offset of a 1-based line and character column, clamped to the text.
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let range = self.line_range(line.max(1));
        let line_text = &self.text[range.clone()];
        let within = line_text.char_indices().nth(col.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i);
        range.start + within
    }
}

/// Part of a source line as a diagnostic shows it: the text, and where the caret goes under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// At most [`SHOWN_LINE_CHARS`] characters of the line, plus a `…` at a cut end.
    pub text: String,
    /// The caret's column in `text`, in characters from 0.
    pub caret: usize,
    /// How many characters the caret covers, at least 1.
    pub width: usize,
}

/// Whether a character is invisible in text: zero-width spaces and joiners, the word joiner and
/// invisible operators, direction marks, embeddings and isolates, the soft hyphen and the byte
/// order mark. Scorer version 2 removes them before comparing; `validate` warns about them.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{00AD}' | '\u{FEFF}')
}

/// Reads one file for loading: refused with a diagnostic (never read whole) when it is not a
/// regular file or is larger than [`MAX_FILE_BYTES`], and when it is not UTF-8. `name` is the path
/// as diagnostics show it.
pub fn read_source(path: &Path, name: impl Into<String>) -> Result<SourceFile, Box<Diagnostic>> {
    let name = name.into();
    let fail = |message: String| Diagnostic::file(Severity::Error, name.clone(), message);
    let meta = std::fs::metadata(path).map_err(|e| Box::new(fail(format!("cannot read: {e}"))))?;
    if !meta.is_file() {
        return Err(Box::new(
            fail("not a regular file".to_owned()).with_help("give a .ron file or a scenario root folder"),
        ));
    }
    let too_large = |size: u64| {
        Box::new(
            fail(format!("the file is too large: {}, and the limit is {}", bytes(size), bytes(MAX_FILE_BYTES)))
                .with_help("split it into several files; no scenario, script or run needs more"),
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| Box::new(fail(format!("cannot read: {e}"))))?;
    let mut bytes_read = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The file may have grown since it was measured: never read more than the limit allows.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes_read)
        .map_err(|e| Box::new(fail(format!("cannot read: {e}"))))?;
    if bytes_read.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes_read.len() as u64));
    }
    let text = String::from_utf8(bytes_read).map_err(|e| {
        Box::new(
            fail(format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()))
                .with_help("save the file as UTF-8"),
        )
    })?;
    Ok(SourceFile::new(name, text))
}

/// A text cut to at most [`MAX_MESSAGE_CHARS`] characters, elided in the middle with ` … `.
pub fn clip(text: String) -> String {
    if text.len() <= MAX_MESSAGE_CHARS || text.chars().nth(MAX_MESSAGE_CHARS).is_none() {
        return text;
    }
    let half = MAX_MESSAGE_CHARS / 2 - 2;
    let head: String = text.chars().take(half).collect();
    let tail: Vec<char> = text.chars().rev().take(half).collect();
    format!("{head} … {}", tail.into_iter().rev().collect::<String>())
}

/// How bad a problem is. Errors fail `validate`; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found while loading or validating, pointing into its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    /// The file's text, when it could be read.
    pub source: Option<Arc<SourceFile>>,
    /// The offending bytes; empty when the problem is about the whole file.
    pub span: Range<usize>,
    pub line: usize,
    pub col: usize,
    pub message: String,
    /// A short note shown under the caret.
    pub label: Option<String>,
    /// What to write instead.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem at a span of a file.
    pub fn at(severity: Severity, source: &Arc<SourceFile>, span: Range<usize>, message: impl Into<String>) -> Self {
        let (line, col) = source.line_col(span.start);
        Self {
            severity,
            path: source.path.clone(),
            source: Some(Arc::clone(source)),
            span,
            line,
            col,
            message: clip(message.into()),
            label: None,
            help: None,
        }
    }

    /// A problem with a file that has no position (it could not be read, say).
    pub fn file(severity: Severity, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity,
            path: path.into(),
            source: None,
            span: 0..0,
            line: 1,
            col: 1,
            message: clip(message.into()),
            label: None,
            help: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(clip(label.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(clip(help.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The diagnostics of one file, at most [`MAX_DIAGNOSTICS_PER_FILE`] of them; the rest are only
/// counted, and [`FileDiagnostics::finish`] closes the list with how many there were. Errors come
/// first: a full list still takes an error in place of a warning, so a broken file always shows an
/// error.
#[derive(Debug, Default)]
pub(crate) struct FileDiagnostics {
    list: Vec<Diagnostic>,
    /// How many of `list` are warnings.
    warnings: usize,
    more_errors: usize,
    more_warnings: usize,
}

impl FileDiagnostics {
    /// Whether a problem of this severity would be shown: if not, a caller may skip the work of
    /// locating and explaining it and only [`FileDiagnostics::count`] it.
    pub fn accepts(&self, severity: Severity) -> bool {
        self.list.len() < MAX_DIAGNOSTICS_PER_FILE || (severity == Severity::Error && self.warnings > 0)
    }

    /// Adds a diagnostic (an error may take the place of the last warning), or counts it.
    pub fn push(&mut self, d: Diagnostic) {
        if !self.accepts(d.severity) {
            self.count(d.severity);
            return;
        }
        if self.list.len() >= MAX_DIAGNOSTICS_PER_FILE
            && let Some(last) = self.list.iter().rposition(|w| !w.is_error())
        {
            self.list.remove(last);
            self.warnings -= 1;
            self.more_warnings += 1;
        }
        self.warnings += usize::from(!d.is_error());
        self.list.push(d);
    }

    /// Counts a problem past the limit without building it.
    pub fn count(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.more_errors += 1,
            Severity::Warning => self.more_warnings += 1,
        }
    }

    /// Takes in the diagnostics and counts of another list for the same file.
    pub fn absorb(&mut self, other: FileDiagnostics) {
        other.list.into_iter().for_each(|d| self.push(d));
        self.more_errors += other.more_errors;
        self.more_warnings += other.more_warnings;
    }

    pub fn last_mut(&mut self) -> Option<&mut Diagnostic> {
        self.list.last_mut()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    pub fn has_errors(&self) -> bool {
        self.more_errors > 0 || self.list.iter().any(Diagnostic::is_error)
    }

    /// The list, closed by "and N more problems in this file" (placed at the end of the file) when
    /// some were only counted.
    pub fn finish(mut self, source: &SourceFile) -> Vec<Diagnostic> {
        let more = self.more_errors + self.more_warnings;
        if more > 0 {
            let (line, col) = source.line_col(source.text.len());
            let severity = if self.more_errors > 0 { Severity::Error } else { Severity::Warning };
            let mut d = Diagnostic::file(
                severity,
                source.path.clone(),
                format!(
                    "and {more} more problems in this file ({} errors, {} warnings) not shown",
                    self.more_errors, self.more_warnings
                ),
            )
            .with_help(format!(
                "only the first {MAX_DIAGNOSTICS_PER_FILE} problems of a file are listed; fix them and check again"
            ));
            (d.line, d.col) = (line, col);
            self.list.push(d);
        }
        self.list
    }
}

/// `path:line:col: severity: message`, the first line of a rendered diagnostic.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}: {}", self.path, self.line, self.col, self.severity, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new("x.ron", "ab\nпривет: x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        let colon = f.text.find(':').unwrap_or(0);
        assert_eq!(f.line_col(colon), (2, 7));
        assert_eq!(f.offset_of(2, 7), colon);
        assert_eq!(&f.text[f.line_range(2)], "привет: x");
    }

    #[test]
    fn columns_on_a_very_long_line_are_exact() {
        let line: String = "абв x ".repeat(5_000);
        let f = SourceFile::new("x.ron", format!("a\n{line}\nz"));
        let target = 2 + line.char_indices().nth(20_003).map_or(0, |(i, _)| i);
        assert_eq!(f.line_col(target), (2, 20_004));
        assert_eq!(f.line_col(f.text.len()), (3, 2));
        // Inside a character: the column of that character.
        assert_eq!(f.line_col(3), (2, 1));
    }

    #[test]
    fn an_excerpt_is_a_window_around_the_column_with_the_caret_under_the_span() {
        let line = format!("{}TARGET{}", "a".repeat(10_000), "b".repeat(10_000));
        let f = SourceFile::new("x.ron", line.clone());
        let start = 10_000;
        let e = f.excerpt(1, start..start + 6);
        assert!(e.text.chars().count() <= SHOWN_LINE_CHARS + 2);
        assert!(e.text.starts_with('…') && e.text.ends_with('…'));
        let under: String = e.text.chars().skip(e.caret).take(e.width).collect();
        assert_eq!(under, "TARGET");
        // A short line is shown whole; tabs and control characters take one column each.
        let f = SourceFile::new("x.ron", "\tid: \u{1b}[2J \"x\"");
        let e = f.excerpt(1, 10..13);
        assert_eq!(e.text, " id: \u{fffd}[2J \"x\"");
        assert_eq!((e.caret, e.width), (10, 3));
        // A span running past the window is cut at its edge.
        let f = SourceFile::new("x.ron", "x".repeat(1_000));
        let e = f.excerpt(1, 0..1_000);
        assert_eq!((e.caret, e.width), (0, SHOWN_LINE_CHARS));
    }

    #[test]
    fn long_messages_are_elided_in_the_middle() {
        let short = clip("unknown field `x`".to_owned());
        assert_eq!(short, "unknown field `x`");
        let long = clip(format!("unknown field `{}`", "й".repeat(10_000)));
        assert!(long.chars().count() <= MAX_MESSAGE_CHARS);
        assert!(long.starts_with("unknown field `й") && long.ends_with("й`") && long.contains(" … "));
    }

    #[test]
    fn a_full_list_still_takes_an_error_in_place_of_a_warning() {
        let src = SourceFile::new("x.ron", "x\ny");
        let mut list = FileDiagnostics::default();
        for _ in 0..MAX_DIAGNOSTICS_PER_FILE + 5 {
            list.push(Diagnostic::file(Severity::Warning, "x.ron", "w"));
        }
        assert!(!list.accepts(Severity::Warning) && list.accepts(Severity::Error));
        list.push(Diagnostic::file(Severity::Error, "x.ron", "e"));
        assert!(list.has_errors());
        let out = list.finish(&src);
        assert_eq!(out.len(), MAX_DIAGNOSTICS_PER_FILE + 1);
        assert_eq!(out.iter().filter(|d| d.message == "e").count(), 1);
        let last = out.last().expect("a closing diagnostic");
        assert!(
            last.message.starts_with("and 6 more problems in this file (0 errors, 6 warnings)"),
            "{}",
            last.message
        );
        assert_eq!((last.severity, last.line, last.col), (Severity::Warning, 2, 2));
    }
}
