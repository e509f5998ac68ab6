//! The limits on what callforge reads: file size, counts per file, typed-line length and how much of a problem is shown.
//!
//! Each limit is far above anything a trainer writes by hand and far below what would make a
//! command slow or a screen unreadable. A file over a limit is refused with a diagnostic that says
//! which limit and by how much; nothing is cut silently. The README states them ("Limits").

/// The largest scenario, script, ladder, calibration or run file read: 8 MiB. A larger file is
/// refused with a diagnostic before it is read whole.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The most diagnostics reported for one file; past it, one "and N more problems in this file"
/// closes the list (and no more time is spent locating or explaining the rest).
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 200;

/// The most nodes in one scenario.
pub const MAX_NODES: usize = 100_000;

/// The most stages in one script. Stages are numbered in 16 bits inside a compiled scenario, so
/// this limit is what keeps every stage number exact.
pub const MAX_STAGES: usize = 1_000;

// Stage numbers are 16-bit and node numbers 32-bit in a compiled scenario: the limits keep both exact.
const _: () = assert!(MAX_STAGES <= u16::MAX as usize && MAX_NODES <= u32::MAX as usize);

/// The most forbidden phrases in one script.
pub const MAX_FORBIDDEN: usize = 1_000;

/// The most choices of one `Line`, and the most branches of one `Random` node.
pub const MAX_CHOICES: usize = 100;

/// The largest patience of a customer, and the most one choice adds to it or takes from it. With
/// the file size limit this keeps patience far from overflowing however long a call goes round.
pub const MAX_PATIENCE: i32 = 1_000;

/// The largest penalty of a forbidden phrase or a marked reply: a whole score.
pub const MAX_PENALTY: u32 = 100;

/// The longest typed reply (`Type("…")` in a run file, or a line typed in Recall mode), in
/// characters. Scoring time grows with the typed text; no script line comes near this.
pub const MAX_TYPED_CHARS: usize = 2_000;

/// How many characters of a source line a diagnostic shows around the column it points at; a longer
/// line is elided with `…` on either side.
pub const SHOWN_LINE_CHARS: usize = 120;

/// The longest message, label or help of a diagnostic, in characters; a longer one (it quotes a
/// name from the file, say) is elided in the middle with `…`.
pub const MAX_MESSAGE_CHARS: usize = 400;

/// The most name comparisons spent on "did you mean" suggestions for one file. A misspelt name is
/// compared with every name it could mean; a file with thousands of broken names stops suggesting
/// once this is spent instead of taking minutes.
pub const SUGGESTION_BUDGET: usize = 2_000_000;

/// `n` bytes in words: `8 MiB`, `512 KiB`, `100 bytes`.
pub fn bytes(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= KIB {
        format!("{} KiB", n.div_ceil(KIB))
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(bytes(MAX_FILE_BYTES), "8 MiB");
        assert_eq!(bytes(10 * 1024 * 1024 + 512 * 1024), "10.5 MiB");
        assert_eq!(bytes(1500), "2 KiB");
        assert_eq!(bytes(12), "12 bytes");
    }
}
