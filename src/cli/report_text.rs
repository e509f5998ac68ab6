//! The score breakdown as terminal text, shared by `play` and `score`.

use super::safe;
use crate::domain::model::Outcome;
use crate::domain::score::Score;
use crate::domain::text::DiffWord;
use std::fmt::Write;

/// Renders a score: the total, pass or fail and why, critical errors, a bar per stage and the
/// feedback of every turn. `color` adds ANSI colours.
pub fn render(s: &Score, color: bool) -> String {
    let paint = |code: &str, text: &str| if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() };
    let mut o = String::new();
    let verdict = if s.passed { paint("1;32", "PASSED") } else { paint("1;31", "FAILED") };
    let _ = writeln!(o, "Score {}/100 — {verdict} (pass mark {})", s.score, s.pass_mark);
    let _ = writeln!(o, "  adherence {:.1}, penalties −{}", s.adherence, s.penalties);
    let outcome = match s.outcome {
        Outcome::Success => "success",
        Outcome::Failure => "failure",
    };
    let _ = writeln!(o, "  call outcome: {} ({outcome})", safe(&s.label));
    let _ = writeln!(o, "  {}", safe(&s.reason));
    let _ = writeln!(o, "  {}", paint("2", &receipt(s)));
    if !s.critical.is_empty() {
        let _ = writeln!(o, "\n{}", paint("1;31", "Critical errors"));
        for c in &s.critical {
            let _ = writeln!(o, "  ✗ {}", safe(c));
        }
    }
    let _ = writeln!(o, "\nStages");
    let width = s.stages.iter().map(|st| st.title.chars().count()).max().unwrap_or(0).min(48);
    for st in &s.stages {
        let title: String = st.title.chars().take(width).collect();
        let pad = " ".repeat(width - title.chars().count());
        let marks = format!("weight {}{}", st.weight, if st.critical { ", critical" } else { "" });
        match st.quality {
            Some(q) => {
                let filled = (q * 10.0).round() as usize;
                let bar = format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled.min(10)));
                let bar = paint(
                    if q >= 0.999 {
                        "32"
                    } else if q > 0.0 {
                        "33"
                    } else {
                        "31"
                    },
                    &bar,
                );
                let _ = writeln!(
                    o,
                    "  {title}{pad}  {bar} {:>3}%  {}/{} hit  ({marks})",
                    (q * 100.0).round(),
                    st.hits,
                    st.turns
                );
            }
            None => {
                let _ = writeln!(o, "  {title}{pad}  {}  not reached  ({marks})", "·".repeat(10));
            }
        }
    }
    if !s.forbidden.is_empty() {
        let _ = writeln!(o, "\nForbidden phrases");
        for f in &s.forbidden {
            let _ = writeln!(
                o,
                "  «{}» ×{}: −{}{}",
                f.phrase,
                f.count,
                f.penalty,
                if f.critical { " (critical)" } else { "" }
            );
        }
    }
    if !s.marked.is_empty() {
        let _ = writeln!(o, "\nMarked replies");
        for m in &s.marked {
            let critical = m.critical.as_deref().map(|w| format!(" (critical: {})", safe(w))).unwrap_or_default();
            let _ = writeln!(o, "  turn {}: «{}»: −{}{critical}", m.turn + 1, safe(&m.text), m.penalty);
        }
    }
    let _ = writeln!(o, "\nTurns");
    for (i, t) in s.turns.iter().enumerate() {
        let _ = writeln!(o, "  {}. [{}] customer: “{}”", i + 1, safe(&t.node), safe(&t.customer));
        if let (Some(id), Some(title)) = (&t.expected, &t.expected_title) {
            let _ = writeln!(o, "     script: {title} ({id})");
        }
        let _ = writeln!(o, "     you: “{}”", safe(&t.said));
        let mark = match t.q {
            Some(q) if t.hit => paint("32", &format!("q {q:.2} ✓")),
            Some(q) => paint("31", &format!("q {q:.2} ✗")),
            None => "not scored".to_owned(),
        };
        let _ = writeln!(o, "     {mark}  {}", safe(&t.feedback));
        for n in &t.notes {
            let _ = writeln!(o, "     • {}", safe(n));
        }
        if let Some(diff) = &t.diff {
            let _ = writeln!(o, "     diff: {}", render_diff(diff, color));
        }
    }
    o
}

/// What a score was computed with, so anyone can reproduce it: the scorer version, the scenario
/// and its content hash, and the callforge that scored it.
pub fn receipt(s: &Score) -> String {
    let by = if s.callforge.is_empty() { String::new() } else { format!(" · callforge {}", s.callforge) };
    format!("receipt: scorer {} · {} v{} · content {}{by}", s.scorer, s.scenario, s.version, s.hash)
}

/// Missing words as `[-word-]`, extra words as `{+word+}`, like `git diff --word-diff`.
pub fn render_diff(diff: &[DiffWord], color: bool) -> String {
    diff.iter()
        .map(|w| match w {
            DiffWord::Same(s) => safe(s).into_owned(),
            DiffWord::Missing(s) if color => format!("\x1b[31m[-{s}-]\x1b[0m"),
            DiffWord::Missing(s) => format!("[-{s}-]"),
            DiffWord::Extra(s) if color => format!("\x1b[33m{{+{s}+}}\x1b[0m"),
            DiffWord::Extra(s) => format!("{{+{s}+}}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
