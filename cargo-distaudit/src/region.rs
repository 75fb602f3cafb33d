//! Places in source files: where a span parsed from source text is, as issues and the
//! engine's owned models carry it across threads (a span cannot leave its thread).

use serde::Serialize;

/// Whether a span carries a real location (spans made at `Span::call_site()` do not).
#[must_use]
pub fn located(span: proc_macro2::Span) -> bool {
    span.start().line > 0 && span.byte_range() != (0..0)
}

/// A place in a file: 1-based lines and columns (columns count characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Region {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Region {
    /// The region of a span parsed from source text, if it has one.
    #[must_use]
    pub fn of(span: proc_macro2::Span) -> Option<Region> {
        if !located(span) {
            return None;
        }
        let (s, e) = (span.start(), span.end());
        Some(Region {
            line: s.line,
            column: s.column + 1,
            end_line: e.line,
            end_column: e.column + 1,
        })
    }
}

impl Region {
    /// The whole of line `line` (1-based) of `text`, or its start when the text is
    /// unknown.
    #[must_use]
    pub fn line(text: Option<&str>, line: usize) -> Option<Region> {
        if line == 0 {
            return None;
        }
        let width = text
            .and_then(|t| t.lines().nth(line - 1))
            .map_or(0, |l| l.trim_end().chars().count());
        Some(Region {
            line,
            column: 1,
            end_line: line,
            end_column: width + 1,
        })
    }
}
