//! Calibration: how often a scorer version agrees with a trainer's labels, with Cohen's κ, a confusion table and every disagreement.

use super::library::{CalibrationEntry, Library};
use super::model::{Calibration, CallVerdict, LineVerdict, PhraseVerdict, Script};
use super::runtime::replay;
use super::score::score;
use super::scorer::{self, Phrases, Said};
use serde::Serialize;
use std::sync::Arc;

/// Agreement between the trainer and the scorer on yes/no labels ("accept", "penalise", "pass").
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Agreement {
    /// Both said yes.
    pub both_yes: u32,
    /// The trainer said yes, the scorer no.
    pub trainer_only: u32,
    /// The scorer said yes, the trainer no.
    pub scorer_only: u32,
    /// Both said no.
    pub both_no: u32,
}

impl Agreement {
    fn add(&mut self, trainer: bool, engine: bool) {
        match (trainer, engine) {
            (true, true) => self.both_yes += 1,
            (true, false) => self.trainer_only += 1,
            (false, true) => self.scorer_only += 1,
            (false, false) => self.both_no += 1,
        }
    }

    fn merge(&mut self, other: &Agreement) {
        self.both_yes += other.both_yes;
        self.trainer_only += other.trainer_only;
        self.scorer_only += other.scorer_only;
        self.both_no += other.both_no;
    }

    /// How many labels.
    pub fn total(&self) -> u32 {
        self.both_yes + self.trainer_only + self.scorer_only + self.both_no
    }

    /// The share of labels the scorer agrees with (1 when there are none).
    pub fn agreement(&self) -> f64 {
        let n = self.total();
        if n == 0 { 1.0 } else { f64::from(self.both_yes + self.both_no) / f64::from(n) }
    }

    /// Cohen's κ: agreement beyond what chance would give, from −1 to 1. When chance alone explains
    /// every label (all labels and answers the same), κ is 1 for full agreement and 0 otherwise.
    pub fn kappa(&self) -> f64 {
        let n = f64::from(self.total());
        if n == 0.0 {
            return 1.0;
        }
        let po = self.agreement();
        let trainer_yes = f64::from(self.both_yes + self.trainer_only) / n;
        let engine_yes = f64::from(self.both_yes + self.scorer_only) / n;
        let pe = trainer_yes * engine_yes + (1.0 - trainer_yes) * (1.0 - engine_yes);
        if (1.0 - pe).abs() < 1e-12 {
            return if po >= 1.0 { 1.0 } else { 0.0 };
        }
        (po - pe) / (1.0 - pe)
    }
}

/// One label the scorer disagrees with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// `line`, `forbidden` or `call`.
    pub kind: &'static str,
    /// The stage, for a line; the scenario, for a call.
    pub about: String,
    pub text: String,
    /// The trainer's label and the scorer's answer, in the file's words (`Accept`, `Penalise`, …).
    pub trainer: &'static str,
    pub scorer: &'static str,
    /// The quality the scorer gave a line, or the score of a call.
    pub quality: Option<f64>,
    pub note: String,
}

/// How one calibration set came out under one scorer version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetResult {
    pub script: String,
    pub path: String,
    pub scorer: u32,
    pub min_agreement: f64,
    pub lines: Agreement,
    pub forbidden: Agreement,
    pub calls: Agreement,
    pub overall: Agreement,
    /// The overall agreement is at or above `min_agreement`.
    pub passed: bool,
    pub disagreements: Vec<Disagreement>,
}

/// Checks every calibration set of the library against scorer `version`.
pub fn calibrate_library(lib: &Library, version: u32) -> Vec<SetResult> {
    lib.calibrations.iter().filter_map(|entry| calibrate(lib, entry, version)).collect()
}

/// Checks one calibration set against scorer `version`; `None` when its script is not in the library.
pub fn calibrate(lib: &Library, entry: &CalibrationEntry, version: u32) -> Option<SetResult> {
    let c = &entry.calibration;
    let script = Arc::clone(&lib.scripts.get(&c.script)?.script);
    let mut result = SetResult {
        script: c.script.clone(),
        path: entry.path.clone(),
        scorer: version,
        min_agreement: c.min_agreement,
        lines: Agreement::default(),
        forbidden: Agreement::default(),
        calls: Agreement::default(),
        overall: Agreement::default(),
        passed: false,
        disagreements: Vec::new(),
    };
    lines(c, &script, version, &mut result);
    forbidden(c, &script, version, &mut result);
    calls(c, lib, version, &mut result);
    for part in [result.lines, result.forbidden, result.calls] {
        result.overall.merge(&part);
    }
    result.passed = result.overall.agreement() + 1e-9 >= c.min_agreement;
    Some(result)
}

fn lines(c: &Calibration, script: &Script, version: u32, result: &mut SetResult) {
    for l in &c.lines {
        // A stage past 16 bits is beyond the stage limit (the script has an error): never numbered wrongly.
        let Some(stage) = script.stages.iter().position(|s| s.id == l.stage).and_then(|p| u16::try_from(p).ok()) else {
            continue;
        };
        let rq = scorer::recall_quality(version, script, stage, &l.text, &c.trainee);
        let trainer = l.verdict == LineVerdict::Accept;
        result.lines.add(trainer, rq.hit);
        if trainer != rq.hit {
            result.disagreements.push(Disagreement {
                kind: "line",
                about: l.stage.clone(),
                text: l.text.clone(),
                trainer: if trainer { "Accept" } else { "Reject" },
                scorer: if rq.hit { "Accept" } else { "Reject" },
                quality: Some(if rq.missing.is_empty() && !rq.negated {
                    rq.similarity
                } else {
                    rq.similarity.min(0.5)
                }),
                note: l.note.clone(),
            });
        }
    }
}

fn forbidden(c: &Calibration, script: &Script, version: u32, result: &mut SetResult) {
    let phrases = Phrases::new(version, &script.forbidden);
    for check in &c.forbidden {
        let said = Said::new(version, &check.text);
        let engine = (0..script.forbidden.len()).any(|k| phrases.count(k, &said) > 0);
        let trainer = check.verdict == PhraseVerdict::Penalise;
        result.forbidden.add(trainer, engine);
        if trainer != engine {
            result.disagreements.push(Disagreement {
                kind: "forbidden",
                about: String::new(),
                text: check.text.clone(),
                trainer: if trainer { "Penalise" } else { "Allow" },
                scorer: if engine { "Penalise" } else { "Allow" },
                quality: None,
                note: check.note.clone(),
            });
        }
    }
}

fn calls(c: &Calibration, lib: &Library, version: u32, result: &mut SetResult) {
    for call in &c.calls {
        let trainer = call.verdict == CallVerdict::Pass;
        let mut run = call.run.clone();
        run.scorer = Some(version);
        let scored = lib.scenario(&run.scenario).map(|p| replay(p, &run, true).map(|d| score(&d)));
        let (engine, quality, text) = match scored {
            Some(Ok(s)) => (s.passed, Some(f64::from(s.score)), s.reason),
            Some(Err(e)) => (false, None, format!("the run does not replay: {e}")),
            None => (false, None, format!("no playable scenario \"{}\"", run.scenario)),
        };
        result.calls.add(trainer, engine);
        if trainer != engine {
            result.disagreements.push(Disagreement {
                kind: "call",
                about: run.scenario.clone(),
                text,
                trainer: if trainer { "Pass" } else { "Fail" },
                scorer: if engine { "Pass" } else { "Fail" },
                quality,
                note: call.note.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kappa_of_textbook_tables() {
        // 20 yes/yes, 5 trainer-only, 10 engine-only, 15 no/no: po = 0.7, pe = 0.5, κ = 0.4.
        let a = Agreement { both_yes: 20, trainer_only: 5, scorer_only: 10, both_no: 15 };
        assert!((a.agreement() - 0.7).abs() < 1e-12);
        assert!((a.kappa() - 0.4).abs() < 1e-12);
        let perfect = Agreement { both_yes: 3, trainer_only: 0, scorer_only: 0, both_no: 4 };
        assert_eq!(perfect.kappa(), 1.0);
        let all_yes = Agreement { both_yes: 5, ..Agreement::default() };
        assert_eq!(all_yes.kappa(), 1.0);
        let opposite = Agreement { both_yes: 0, trainer_only: 5, scorer_only: 5, both_no: 0 };
        assert!((opposite.kappa() + 1.0).abs() < 1e-12);
    }
}
