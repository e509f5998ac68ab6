//! Finishing a call: its score and the run file it leaves, the same for the window and the terminal.

use super::model::Run;
use super::runtime::Dialogue;
use super::score::{Score, score};
use super::time::format_time;

/// A call that is over (or abandoned): what to keep of it and how it scored.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishedCall {
    pub run: Run,
    pub score: Score,
}

/// Scores a call and writes down its run: every input, the time each was given (milliseconds from
/// the start of the call) and when the call was played (seconds since the epoch, read by the shell;
/// the engine never reads the clock).
pub fn finish_call(dialogue: &Dialogue, times_ms: Vec<u64>, played_at: i64) -> FinishedCall {
    let score = score(dialogue);
    let mut run = dialogue.to_run();
    run.times_ms = times_ms;
    run.played_at = Some(format_time(played_at));
    FinishedCall { run, score }
}

/// A file name for a run: when, who, which scenario and seed, with every character a file system
/// could trip on replaced by `_`.
pub fn run_file_name(run: &Run, played_at: i64) -> String {
    let stamp = format_time(played_at).replace([':', '-'], "");
    format!("{stamp}-{}-{}-{}.ron", run.trainee, run.scenario.replace('/', "-"), run.seed)
        .chars()
        .map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Input, Mode};

    #[test]
    fn run_file_names_are_safe_and_stamped() {
        let run = Run {
            scenario: "generator/busy-office-manager".into(),
            version: None,
            hash: None,
            seed: 7,
            mode: Mode::Practice,
            trainee: "Ольга / ../x".into(),
            scorer: None,
            inputs: vec![Input::HangUp],
            drill: None,
            times_ms: Vec::new(),
            played_at: None,
        };
        let name = run_file_name(&run, 1_700_000_000);
        assert_eq!(name, "20231114T221320Z-Ольга___.._x-generator-busy-office-manager-7.ron");
        assert!(!name.contains('/'));
    }
}
