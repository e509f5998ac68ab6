//! Scoring by the contract in DESIGN.md: per-turn quality, adherence, penalties, critical errors,
//! pass or fail, and feedback for every turn, under the scorer version the call names.

use super::feedback::Lang;
use super::model::{Choice, Mode, Node, Outcome, Stage};
use super::playable::{Compiled, Playable};
use super::runtime::{Dialogue, Ending, Reply, Turn};
use super::scorer::{self, Phrases, Said};
use super::text::{DiffWord, diff_words, substitute};
use serde::{Deserialize, Serialize};

/// The score of a finished (or abandoned) call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub scenario: String,
    /// The scenario's version.
    pub version: u32,
    /// The content hash of the scenario and its script that the call was scored against.
    pub hash: String,
    /// The scorer version whose rules gave this score.
    #[serde(default = "version_one")]
    pub scorer: u32,
    /// The callforge that computed this score.
    #[serde(default)]
    pub callforge: String,
    /// The scenario's language (`en`, `ru`): the language of the feedback.
    #[serde(default)]
    pub language: String,
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
    /// Replies the author marked with a penalty or as critical (version 2 and later).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marked: Vec<MarkedReply>,
    pub turns: Vec<TurnScore>,
}

fn version_one() -> u32 {
    1
}

/// A reply the author marked with a penalty or as a critical error, and the turn it was given at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkedReply {
    /// Turn index (0-based).
    pub turn: usize,
    pub text: String,
    pub penalty: u32,
    /// Why the reply is a critical error, when it is one.
    pub critical: Option<String>,
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

/// Scores a dialogue by the rules of its scorer version. The call need not be over: an unfinished
/// call is scored on the turns it has, with the outcome of a hang-up.
pub fn score(d: &Dialogue) -> Score {
    let mut tally = Tally::new(d);
    for (index, turn) in d.turns().iter().enumerate() {
        tally.turn(index, turn);
    }
    if d.scorer() >= 2 {
        tally.lost_call(d);
    }
    tally.finish(d)
}

/// The running totals of a call being scored.
struct Tally<'a> {
    p: &'a Playable,
    version: u32,
    mode: Mode,
    lang: Lang,
    trainee: &'a str,
    phrases: Phrases,
    forbidden: Vec<ForbiddenHit>,
    stages: Vec<StageScore>,
    stage_q: Vec<f64>,
    weighted: f64,
    total_weight: u64,
    critical: Vec<String>,
    marked: Vec<MarkedReply>,
    turns: Vec<TurnScore>,
}

impl<'a> Tally<'a> {
    fn new(d: &'a Dialogue) -> Self {
        let p = d.playable().as_ref();
        let script = &p.script;
        Tally {
            p,
            version: d.scorer(),
            mode: d.mode(),
            lang: p.lang(),
            trainee: d.trainee(),
            phrases: Phrases::new(d.scorer(), &script.forbidden),
            forbidden: script
                .forbidden
                .iter()
                .map(|f| ForbiddenHit {
                    phrase: f.phrase.clone(),
                    count: 0,
                    penalty: 0,
                    critical: f.critical,
                    turns: Vec::new(),
                })
                .collect(),
            stages: script
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
                .collect(),
            stage_q: vec![0.0; script.stages.len()],
            weighted: 0.0,
            total_weight: 0,
            critical: Vec::new(),
            marked: Vec::new(),
            turns: Vec::with_capacity(d.turns().len()),
        }
    }

    /// Scores one trainee turn: the expected stage, the author's marks, the forbidden phrases.
    fn turn(&mut self, index: usize, turn: &Turn) {
        let p = self.p;
        let Node::Line { say, choices, .. } = p.node(turn.node) else { return };
        let Compiled::Line { expect, .. } = &p.graph[turn.node as usize] else { return };
        let (said, choice) = match &turn.reply {
            Reply::Chose(i) => (substitute(&choices[*i as usize].text, self.trainee), Some(*i as usize)),
            Reply::Typed(t) => (t.clone(), None),
            Reply::HungUp => (String::new(), None),
        };
        let chosen = choice.map(|i| &choices[i]);
        let mut ts = TurnScore {
            node: p.node_id(turn.node).to_owned(),
            customer: say.get(turn.variant as usize).map(|s| substitute(s, self.trainee)).unwrap_or_default(),
            expected: None,
            expected_title: None,
            expected_line: None,
            said,
            choice,
            q: None,
            hit: false,
            critical: false,
            feedback: String::new(),
            notes: Vec::new(),
            diff: None,
        };
        let author_feedback = chosen.and_then(|c| c.feedback.clone());
        match expect {
            Some(e) => self.expected_stage(*e, turn, chosen, author_feedback, &mut ts),
            None => {
                ts.feedback = author_feedback.unwrap_or_else(|| {
                    if turn.reply == Reply::HungUp { self.lang.hung_up() } else { self.lang.free_turn() }.to_owned()
                });
            }
        }
        if self.version >= 2
            && let Some(c) = chosen
        {
            self.marks(index, c, &mut ts);
        }
        self.forbidden_phrases(index, &mut ts);
        self.turns.push(ts);
    }

    /// The quality of a turn where the script expects stage `e`.
    fn expected_stage(
        &mut self,
        e: u16,
        turn: &Turn,
        chosen: Option<&Choice>,
        author_feedback: Option<String>,
        ts: &mut TurnScore,
    ) {
        let (p, lang) = (self.p, self.lang);
        let stage = p.stage(e);
        let line = substitute(&stage.line, self.trainee);
        let (q, hit, generated) = if turn.reply == Reply::HungUp {
            (0.0, false, lang.hung_up_at(&stage.title, &line))
        } else if matches!(self.mode, Mode::Recall | Mode::Drill) {
            // A typed line, or a reply picked in Recall mode, is scored by its words.
            self.recall(e, stage, &line, ts)
        } else {
            let hit = chosen.and_then(|c| c.stage.as_deref()) == Some(stage.id.as_str());
            let fb = if hit { lang.on_script(&stage.title) } else { lang.off_script(&stage.title, &line) };
            (if hit { 1.0 } else { 0.0 }, hit, fb)
        };
        // Author feedback speaks to the choice made; a typed line gets the generated words.
        ts.feedback = author_feedback.unwrap_or(generated);
        ts.q = Some(q);
        ts.hit = hit;
        self.weighted += f64::from(stage.weight) * q;
        self.total_weight += u64::from(stage.weight);
        let s = &mut self.stages[e as usize];
        s.turns += 1;
        s.hits += u32::from(hit);
        self.stage_q[e as usize] += q;
        if q == 0.0 && stage.critical {
            ts.critical = true;
            self.critical.push(lang.critical_stage(&stage.title));
        }
        ts.expected = Some(stage.id.clone());
        ts.expected_title = Some(stage.title.clone());
        ts.expected_line = Some(line);
    }

    /// A typed line: its quality by this version's Recall rule, with notes and the word diff
    /// against the text it matched best (the line or an accepted variant).
    fn recall(&self, e: u16, stage: &Stage, line: &str, ts: &mut TurnScore) -> (f64, bool, String) {
        let rq = scorer::recall_quality(self.version, &self.p.script, e, &ts.said, self.trainee);
        if !rq.missing.is_empty() {
            ts.notes.push(self.lang.missing_mentions(&rq.missing));
        }
        if rq.negated {
            ts.notes.push(self.lang.negated().to_owned());
        }
        let best = match rq.best {
            0 => line.to_owned(),
            k => stage.variants.get(k - 1).map_or_else(|| line.to_owned(), |v| substitute(v, self.trainee)),
        };
        ts.diff = Some(diff_words(&best, &ts.said));
        let capped = !rq.missing.is_empty() || rq.negated;
        let fb = if rq.hit {
            self.lang.recall_hit(rq.q)
        } else {
            self.lang.recall_miss(rq.similarity.min(if capped { 0.5 } else { 1.0 }), self.p.script.min_similarity, line)
        };
        (rq.q, rq.hit, fb)
    }

    /// A reply the author marked with a penalty or as critical (version 2 and later).
    fn marks(&mut self, index: usize, c: &Choice, ts: &mut TurnScore) {
        if c.penalty == 0 && c.critical.is_none() {
            return;
        }
        if c.penalty > 0 {
            ts.notes.push(self.lang.reply_penalty(c.penalty));
        }
        if let Some(reason) = &c.critical {
            ts.critical = true;
            self.critical.push(self.lang.critical_reply(reason));
        }
        self.marked.push(MarkedReply {
            turn: index,
            text: ts.said.clone(),
            penalty: c.penalty,
            critical: c.critical.clone(),
        });
    }

    /// Every occurrence of a forbidden phrase in what was said costs its penalty.
    fn forbidden_phrases(&mut self, index: usize, ts: &mut TurnScore) {
        let script = &self.p.script;
        if script.forbidden.is_empty() {
            return;
        }
        let said = Said::new(self.version, &ts.said);
        for (k, f) in script.forbidden.iter().enumerate() {
            let n = self.phrases.count(k, &said);
            if n == 0 {
                continue;
            }
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            let cost = f.penalty.saturating_mul(n);
            let hit = &mut self.forbidden[k];
            hit.count = hit.count.saturating_add(n);
            hit.penalty = hit.penalty.saturating_add(cost);
            hit.turns.push(index);
            ts.notes.push(self.lang.forbidden_said(&f.phrase, cost));
            if f.critical {
                ts.critical = true;
                self.critical.push(self.lang.critical_phrase(&f.phrase));
            }
        }
    }

    /// Version 2: a call lost by a mistake cannot pass. When the call ended as a failure right
    /// after a mistake (a reply the author marked wrong, a missed stage, a hang-up) and a critical
    /// stage of the script was never reached, that is a critical error. Random branches and
    /// correct replies never trigger it.
    fn lost_call(&mut self, d: &Dialogue) {
        let failed = match d.ending() {
            Some(Ending::End { node, .. }) => matches!(self.p.node(node), Node::End { outcome: Outcome::Failure, .. }),
            Some(Ending::HungUp | Ending::PatienceOut) => true,
            Some(Ending::Looped | Ending::Drilled) | None => false,
        };
        let (Some(last), Some(scored)) = (d.turns().last(), self.turns.last()) else { return };
        let mistake = match &last.reply {
            Reply::HungUp => true,
            Reply::Chose(i) => {
                let marked = match self.p.node(last.node) {
                    Node::Line { choices, .. } => choices.get(*i as usize).is_some_and(Choice::marked_wrong),
                    _ => false,
                };
                marked || scored.q == Some(0.0)
            }
            Reply::Typed(_) => scored.q == Some(0.0),
        };
        let unreached = self.stages.iter().find(|s| s.critical && s.turns == 0);
        if let (true, true, Some(stage)) = (failed, mistake, unreached) {
            let why = self.lang.lost_before(&stage.title);
            self.critical.push(why);
            if let Some(t) = self.turns.last_mut() {
                t.critical = true;
            }
        }
    }

    fn finish(mut self, d: &Dialogue) -> Score {
        let p = self.p;
        for (s, q) in self.stages.iter_mut().zip(&self.stage_q) {
            if s.turns > 0 {
                s.quality = Some(q / f64::from(s.turns));
            }
        }
        let adherence = if self.total_weight == 0 { 0.0 } else { 100.0 * self.weighted / self.total_weight as f64 };
        let penalties = self
            .forbidden
            .iter()
            .map(|f| f.penalty)
            .chain(self.marked.iter().map(|m| m.penalty))
            .fold(0u32, u32::saturating_add);
        let score = (adherence - f64::from(penalties)).round().clamp(0.0, 100.0) as u32;
        let pass_mark = p.scenario.pass_mark;
        let passed = score >= pass_mark && self.critical.is_empty();
        let lang = self.lang;
        let reason = if passed {
            lang.passed(score, pass_mark)
        } else if let Some(first) = self.critical.first() {
            lang.failed_critical(first)
        } else {
            lang.failed_low(score, pass_mark)
        };
        let (outcome, label) = d.outcome().unwrap_or((Outcome::Failure, lang.hung_up().to_owned()));
        self.forbidden.retain(|f| f.count > 0);
        Score {
            scenario: p.scenario.id.clone(),
            version: p.scenario.version,
            hash: p.hash().to_owned(),
            scorer: self.version,
            callforge: env!("CARGO_PKG_VERSION").to_owned(),
            language: p.scenario.language.clone(),
            seed: d.seed(),
            mode: d.mode(),
            trainee: self.trainee.to_owned(),
            score,
            adherence,
            penalties,
            pass_mark,
            passed,
            critical: self.critical,
            outcome,
            label,
            reason,
            stages: self.stages,
            forbidden: self.forbidden,
            marked: self.marked,
            turns: self.turns,
        }
    }
}
