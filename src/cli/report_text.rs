//! The score breakdown as terminal text, shared by `play` and `score`.

use super::safe;
use super::words::{Words, words};
use crate::domain::feedback::Lang;
use crate::domain::model::Outcome;
use crate::domain::score::Score;
use crate::domain::text::DiffWord;
use std::fmt::Write;

/// Renders a score in its scenario's language: the total, pass or fail and why, critical errors, a
/// bar per stage and the feedback of every turn. `color` adds ANSI colours.
pub fn render(s: &Score, color: bool) -> String {
    let w = words(Lang::from_code(&s.language));
    let paint = |code: &str, text: &str| if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() };
    let mut o = String::new();
    let verdict = if s.passed { paint("1;32", w.passed) } else { paint("1;31", w.failed) };
    let _ = writeln!(o, "{} {}/100 — {verdict} ({} {})", w.score, s.score, w.pass_mark, s.pass_mark);
    let _ = writeln!(o, "  {} {:.1}, {} −{}", w.adherence, s.adherence, w.penalties, s.penalties);
    let outcome = match s.outcome {
        Outcome::Success => w.success,
        Outcome::Failure => w.failure,
    };
    let _ = writeln!(o, "  {}: {} ({outcome})", w.outcome, safe(&s.label));
    let _ = writeln!(o, "  {}", safe(&s.reason));
    let _ = writeln!(o, "  {}", paint("2", &receipt_in(s, w)));
    if !s.critical.is_empty() {
        let _ = writeln!(o, "\n{}", paint("1;31", w.critical_errors));
        for c in &s.critical {
            let _ = writeln!(o, "  ✗ {}", safe(c));
        }
    }
    let _ = writeln!(o, "\n{}", w.stages);
    let width = s.stages.iter().map(|st| st.title.chars().count()).max().unwrap_or(0).min(48);
    for st in &s.stages {
        let title: String = st.title.chars().take(width).collect();
        let pad = " ".repeat(width - title.chars().count());
        let critical = if st.critical { format!(", {}", w.critical) } else { String::new() };
        let marks = format!("{} {}{critical}", w.weight, st.weight);
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
                    "  {title}{pad}  {bar} {:>3}%  {}/{} {}  ({marks})",
                    (q * 100.0).round(),
                    st.hits,
                    st.turns,
                    w.hit
                );
            }
            None => {
                let _ = writeln!(o, "  {title}{pad}  {}  {}  ({marks})", "·".repeat(10), w.not_reached);
            }
        }
    }
    if !s.forbidden.is_empty() {
        let _ = writeln!(o, "\n{}", w.forbidden);
        for f in &s.forbidden {
            let _ = writeln!(
                o,
                "  «{}» ×{}: −{}{}",
                f.phrase,
                f.count,
                f.penalty,
                if f.critical { format!(" ({})", w.critical) } else { String::new() }
            );
        }
    }
    if !s.marked.is_empty() {
        let _ = writeln!(o, "\n{}", w.marked);
        for m in &s.marked {
            let critical =
                m.critical.as_deref().map(|why| format!(" ({}: {})", w.critical, safe(why))).unwrap_or_default();
            let _ = writeln!(o, "  {} {}: «{}»: −{}{critical}", w.turn, m.turn + 1, safe(&m.text), m.penalty);
        }
    }
    let _ = writeln!(o, "\n{}", w.turns);
    for (i, t) in s.turns.iter().enumerate() {
        let _ = writeln!(o, "  {}. [{}] {}: “{}”", i + 1, safe(&t.node), w.customer_said, safe(&t.customer));
        if let (Some(id), Some(title)) = (&t.expected, &t.expected_title) {
            let _ = writeln!(o, "     {}: {} ({id})", w.script, safe(title));
        }
        let _ = writeln!(o, "     {}: “{}”", w.you, safe(&t.said));
        let mark = match t.q {
            Some(q) if t.hit => paint("32", &format!("q {q:.2} ✓")),
            Some(q) => paint("31", &format!("q {q:.2} ✗")),
            None => w.not_scored.to_owned(),
        };
        let _ = writeln!(o, "     {mark}  {}", safe(&t.feedback));
        for n in &t.notes {
            let _ = writeln!(o, "     • {}", safe(n));
        }
        if let Some(diff) = &t.diff {
            let _ = writeln!(o, "     {}: {}", w.diff, render_diff(diff, color));
        }
    }
    o
}

/// What a score was computed with, so anyone can reproduce it: the scorer version, the scenario
/// and its content hash, and the callforge that scored it.
fn receipt_in(s: &Score, w: &Words) -> String {
    let by = if s.callforge.is_empty() { String::new() } else { format!(" · callforge {}", s.callforge) };
    format!("{}: {} {} · {} v{} · {} {}{by}", w.receipt, w.scorer, s.scorer, s.scenario, s.version, w.content, s.hash)
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
