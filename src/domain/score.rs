//! Scoring by the contract in DESIGN.md: per-turn quality, adherence, penalties, critical errors,
//! pass or fail, and feedback for every turn.

use super::model::{Mode, Node, Outcome};
use super::playable::Compiled;
use super::recall::recall_quality;
use super::runtime::{Dialogue, Reply};
use super::text::{DiffWord, count_phrase, diff_words, substitute, words};
use serde::{Deserialize, Serialize};

/// The score of a finished (or abandoned) call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub scenario: String,
    pub version: u32,
    pub hash: String,
    pub seed: u64,
    pub mode: Mode,
    pub trainee: String,
    /// 0–100.
    pub score: u32,
    /// 0–100, before penalties.
    pub adherence: f64,
    pub penalties: u32,
    pub pass_mark: u32,
    pub passed: bool,
    /// Every critical error, in the order they happened.
    pub critical: Vec<String>,
    pub outcome: Outcome,
    pub label: String,
    /// Why the call passed or failed, in one sentence.
    pub reason: String,
    pub stages: Vec<StageScore>,
    pub forbidden: Vec<ForbiddenHit>,
    pub turns: Vec<TurnScore>,
}

/// How one script stage went over the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageScore {
    pub id: String,
    pub title: String,
    pub weight: u32,
    pub critical: bool,
    /// Scored turns that expected this stage.
    pub turns: u32,
    pub hits: u32,
    /// Mean `q` over those turns; `None` when the call never reached the stage.
    pub quality: Option<f64>,
}

/// A forbidden phrase that was said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForbiddenHit {
    pub phrase: String,
    pub count: u32,
    /// Its penalty times the count.
    pub penalty: u32,
    pub critical: bool,
    /// Turn indices (0-based) where it was said.
    pub turns: Vec<usize>,
}

/// One trainee turn, with its feedback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnScore {
    pub node: String,
    /// What the customer said.
    pub customer: String,
    /// The stage the script expects, if any.
    pub expected: Option<String>,
    pub expected_title: Option<String>,
    /// The script line of that stage, with the trainee's name filled in.
    pub expected_line: Option<String>,
    /// What the trainee said.
    pub said: String,
    /// The choice picked (0-based), when the trainee picked one.
    pub choice: Option<usize>,
    /// `q` of a scored turn; `None` where the script expects nothing.
    pub q: Option<f64>,
    pub hit: bool,
    pub critical: bool,
    pub feedback: String,
    /// Missing must_mention phrases and forbidden phrases said.
    pub notes: Vec<String>,
    /// Recall: the word diff from the script line to what was said.
    pub diff: Option<Vec<DiffWord>>,
}

/// Scores a dialogue by the contract. The call need not be over: an unfinished call is scored on
/// the turns it has, with the outcome of a hang-up.
pub fn score(d: &Dialogue) -> Score {
    let p = d.playable();
    let script = &p.script;
    let lang = p.lang();
    let trainee = d.trainee();
    let forbidden_words: Vec<Vec<String>> = script.forbidden.iter().map(|f| words(&f.phrase)).collect();
    let mut forbidden: Vec<ForbiddenHit> = script
        .forbidden
        .iter()
        .map(|f| ForbiddenHit {
            phrase: f.phrase.clone(),
            count: 0,
            penalty: 0,
            critical: f.critical,
            turns: Vec::new(),
        })
        .collect();
    let mut stages: Vec<StageScore> = script
        .stages
        .iter()
        .map(|s| StageScore {
            id: s.id.clone(),
            title: s.title.clone(),
            weight: s.weight,
            critical: s.critical,
            turns: 0,
            hits: 0,
            quality: None,
        })
        .collect();
    let mut stage_q = vec![0.0f64; stages.len()];
    let (mut weighted, mut total_weight) = (0.0f64, 0u64);
    let mut critical = Vec::new();
    let mut turns = Vec::with_capacity(d.turns().len());

    for (t_index, turn) in d.turns().iter().enumerate() {
        let Node::Line { say, choices, .. } = p.node(turn.node) else { continue };
        let Compiled::Line { expect, .. } = &p.graph[turn.node as usize] else { continue };
        let customer = say.get(turn.variant as usize).map(|s| substitute(s, trainee)).unwrap_or_default();
        let (said, choice) = match &turn.reply {
            Reply::Chose(i) => (substitute(&choices[*i as usize].text, trainee), Some(*i as usize)),
            Reply::Typed(t) => (t.clone(), None),
            Reply::HungUp => (String::new(), None),
        };
        let hung_up = turn.reply == Reply::HungUp;
        let followed = turn.followed.map(|f| &choices[f as usize]);
        let author_feedback = match (&turn.reply, followed) {
            (Reply::Chose(_), Some(c)) => c.feedback.clone(),
            _ => None,
        };
        let recall = d.mode() == Mode::Recall;
        let mut notes = Vec::new();
        let mut ts = TurnScore {
            node: p.node_id(turn.node).to_owned(),
            customer,
            expected: None,
            expected_title: None,
            expected_line: None,
            said: said.clone(),
            choice,
            q: None,
            hit: false,
            critical: false,
            feedback: String::new(),
            notes: Vec::new(),
            diff: None,
        };
        match expect {
            Some(e) => {
                let stage = p.stage(*e);
                let line = substitute(&stage.line, trainee);
                let (q, hit, generated) = if hung_up {
                    (0.0, false, lang.hung_up_at(&stage.title, &line))
                } else if recall {
                    let rq = recall_quality(p, *e, &said, trainee);
                    if !rq.missing.is_empty() {
                        notes.push(lang.missing_mentions(&rq.missing));
                    }
                    ts.diff = Some(diff_words(&line, &said));
                    let fb = if rq.hit {
                        lang.recall_hit(rq.q)
                    } else {
                        lang.recall_miss(
                            rq.similarity.min(if rq.missing.is_empty() { 1.0 } else { 0.5 }),
                            script.min_similarity,
                            &line,
                        )
                    };
                    (rq.q, rq.hit, fb)
                } else {
                    let hit = followed.and_then(|c| c.stage.as_deref()) == Some(stage.id.as_str());
                    let fb = if hit { lang.on_script(&stage.title) } else { lang.off_script(&stage.title, &line) };
                    (if hit { 1.0 } else { 0.0 }, hit, fb)
                };
                // Author feedback speaks to the choice made; a typed line gets the generated words.
                ts.feedback = author_feedback.unwrap_or(generated);
                ts.q = Some(q);
                ts.hit = hit;
                weighted += f64::from(stage.weight) * q;
                total_weight += u64::from(stage.weight);
                let s = &mut stages[*e as usize];
                s.turns += 1;
                s.hits += u32::from(hit);
                stage_q[*e as usize] += q;
                if q == 0.0 && stage.critical {
                    ts.critical = true;
                    critical.push(lang.critical_stage(&stage.title));
                }
                ts.expected = Some(stage.id.clone());
                ts.expected_title = Some(stage.title.clone());
                ts.expected_line = Some(line);
            }
            None => {
                ts.feedback = author_feedback
                    .unwrap_or_else(|| if hung_up { lang.hung_up().to_owned() } else { lang.free_turn().to_owned() });
            }
        }
        let said_words = words(&said);
        for (k, phrase) in forbidden_words.iter().enumerate() {
            let n = count_phrase(&said_words, phrase);
            if n > 0 {
                let f = &script.forbidden[k];
                let hit = &mut forbidden[k];
                hit.count += n as u32;
                hit.penalty += f.penalty * n as u32;
                hit.turns.push(t_index);
                notes.push(lang.forbidden_said(&f.phrase, f.penalty * n as u32));
                if f.critical {
                    ts.critical = true;
                    critical.push(lang.critical_phrase(&f.phrase));
                }
            }
        }
        ts.notes = notes;
        turns.push(ts);
    }

    for (s, q) in stages.iter_mut().zip(&stage_q) {
        if s.turns > 0 {
            s.quality = Some(q / f64::from(s.turns));
        }
    }
    let adherence = if total_weight == 0 { 0.0 } else { 100.0 * weighted / total_weight as f64 };
    let penalties: u32 = forbidden.iter().map(|f| f.penalty).sum();
    let score = (adherence - f64::from(penalties)).round().clamp(0.0, 100.0) as u32;
    let pass_mark = p.scenario.pass_mark;
    let passed = score >= pass_mark && critical.is_empty();
    let reason = if passed {
        lang.passed(score, pass_mark)
    } else if let Some(first) = critical.first() {
        lang.failed_critical(first)
    } else {
        lang.failed_low(score, pass_mark)
    };
    let (outcome, label) = d.outcome().unwrap_or((Outcome::Failure, lang.hung_up().to_owned()));
    forbidden.retain(|f| f.count > 0);
    Score {
        scenario: p.scenario.id.clone(),
        version: p.scenario.version,
        hash: p.hash().to_owned(),
        seed: d.seed(),
        mode: d.mode(),
        trainee: trainee.to_owned(),
        score,
        adherence,
        penalties,
        pass_mark,
        passed,
        critical,
        outcome,
        label,
        reason,
        stages,
        forbidden,
        turns,
    }
}
