//! Source files and diagnostics: a problem in a file, with the exact position it points at.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// The text of one file as it was read, with its line starts for position look-ups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user gave it or as it was found under a scenario root.
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { path: path.into(), text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text.get(start..offset).map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
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
            message: message.into(),
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
            message: message.into(),
            label: None,
            help: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
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
}
