//! The dialogue runtime: plays a scenario turn by turn from a seed, deterministically.
//!
//! All randomness comes from one ChaCha8 generator keyed by the run's seed. A draw of `k` items
//! takes one `next_u64` and picks `floor(x · total / 2^64)`, so a run replays identically on every
//! platform and every future version.

use super::model::{Input, Mode, Node, Outcome, Run};
use super::playable::{Compiled, Playable};
use super::scorer;
use super::seed::{draw, rng_for};
use super::text::substitute;
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use std::borrow::Cow;
use std::sync::Arc;
use thiserror::Error;

/// How many `Random` nodes in a row the runtime follows before it calls the dialogue broken.
const MAX_HOPS: u32 = 100_000;

/// A trainee turn that has been answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    /// The `Line` node the customer spoke at.
    pub node: u32,
    /// Which entry of its `say` was drawn.
    pub variant: u32,
    /// What the trainee did.
    pub reply: Reply,
    /// The choice the dialogue followed; `None` when the trainee hung up.
    pub followed: Option<u32>,
    /// Patience after the turn.
    pub patience: i32,
}

/// The trainee's answer at one turn.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Chose(u32),
    Typed(String),
    /// The trainee hung up instead of answering; it scores as saying nothing.
    HungUp,
}

/// How the call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Reached an `End` node; `variant` is the goodbye line drawn.
    End { node: u32, variant: u32 },
    /// The trainee hung up.
    HungUp,
    /// Patience ran out and the scenario has no `on_patience_out`.
    PatienceOut,
    /// `Random` nodes looped with no way out (validation prevents this).
    Looped,
    /// A drill exercise was answered (Drill mode ends after its one line).
    Drilled,
}

/// Why an input cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InputError {
    #[error("the call is already over")]
    CallOver,
    #[error("choice {index} is out of range: node \"{node}\" has {count} choices (0 to {max})", max = count.saturating_sub(1))]
    ChoiceOutOfRange { node: String, index: usize, count: usize },
    #[error("a typed reply at node \"{node}\", but {mode} mode answers with choices")]
    TypeInChoiceMode { node: String, mode: Mode },
    #[error("a choice at node \"{node}\", but a drill is answered by typing")]
    ChoiceInDrill { node: String },
}

/// Why a run file cannot be replayed against a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RunError {
    #[error("the run is for scenario \"{run}\", not \"{scenario}\"")]
    WrongScenario { run: String, scenario: String },
    #[error("scenario \"{id}\" changed since the run was recorded ({what}); its score would not be comparable")]
    Changed { id: String, what: String },
    #[error("input {index} ({input}): {error}")]
    Input { index: usize, input: String, error: InputError },
    #[error("the run has {given} inputs but the call is not over: the customer is waiting at node \"{node}\"")]
    TooFewInputs { given: usize, node: String },
    #[error("the call ended after input {used} of {given}; the remaining inputs do not fit the dialogue")]
    TooManyInputs { used: usize, given: usize },
    #[error("the run names scorer version {0}, but this callforge knows versions {versions}", versions = scorer::known())]
    UnknownScorer(u32),
    #[error(
        "a drill run must name the customer line it drills (`drill: \"node\"`), a `Line` that expects a stage{found}"
    )]
    NotADrill { found: String },
    #[error("the run names a drill line (`drill: \"{0}\"`) but is not in Drill mode")]
    DrillOutsideDrillMode(String),
}

/// A call in progress or finished. Cheap to step: nodes are indices, texts are borrowed from the
/// scenario, and nothing is copied per step but the turn record.
#[derive(Debug, Clone)]
pub struct Dialogue {
    playable: Arc<Playable>,
    rng: ChaCha8Rng,
    seed: u64,
    mode: Mode,
    trainee: String,
    /// The scorer version whose Recall rule decides which way a typed reply goes.
    scorer: u32,
    patience: i32,
    /// The `Line` being answered, with the drawn variant.
    at: (u32, u32),
    ending: Option<Ending>,
    turns: Vec<Turn>,
}

impl Dialogue {
    /// Starts a call scored by the newest scorer: follows `Random` nodes from `start` to the first
    /// customer line.
    pub fn new(playable: Arc<Playable>, seed: u64, mode: Mode, trainee: impl Into<String>) -> Self {
        Self::with_scorer(playable, seed, mode, trainee, scorer::LATEST)
    }

    /// Starts a call scored by a given scorer version (one of [`scorer::VERSIONS`]).
    pub fn with_scorer(
        playable: Arc<Playable>,
        seed: u64,
        mode: Mode,
        trainee: impl Into<String>,
        scorer: u32,
    ) -> Self {
        let patience = playable.scenario.persona.patience;
        let start = playable.start;
        let mut d = Dialogue {
            playable,
            rng: rng_for(seed),
            seed,
            mode,
            trainee: trainee.into(),
            scorer,
            patience,
            at: (start, 0),
            ending: None,
            turns: Vec::new(),
        };
        d.enter(start);
        d
    }

    /// Starts a drill exercise: the customer line at `node` (a `Line` that expects a stage; its
    /// `say` variant drawn from the seed), answered once by typing, scored by the Recall rules of
    /// scorer `scorer`. `None` when the node is no such line.
    pub fn drill(
        playable: Arc<Playable>,
        seed: u64,
        node: u32,
        trainee: impl Into<String>,
        scorer: u32,
    ) -> Option<Self> {
        playable.expected_stage(node)?;
        let patience = playable.scenario.persona.patience;
        let mut d = Dialogue {
            playable,
            rng: rng_for(seed),
            seed,
            mode: Mode::Drill,
            trainee: trainee.into(),
            scorer,
            patience,
            at: (node, 0),
            ending: None,
            turns: Vec::new(),
        };
        d.enter(node);
        Some(d)
    }

    /// Starts the same scenario again with another seed, keeping the allocated turn buffer.
    pub fn restart(&mut self, seed: u64) {
        self.rng = rng_for(seed);
        self.seed = seed;
        self.patience = self.playable.scenario.persona.patience;
        self.ending = None;
        self.turns.clear();
        self.enter(self.playable.start);
    }

    /// Moves to a node, drawing through `Random` nodes and the variant of the line.
    fn enter(&mut self, mut node: u32) {
        let mut hops = 0;
        loop {
            match &self.playable.graph[node as usize] {
                Compiled::Random { cumulative, next } => {
                    let total = cumulative.last().copied().unwrap_or(0);
                    let x = draw(&mut self.rng, total.max(1));
                    let k = cumulative.partition_point(|&c| c <= x).min(next.len().saturating_sub(1));
                    node = next[k];
                    hops += 1;
                    if hops > MAX_HOPS {
                        self.ending = Some(Ending::Looped);
                        return;
                    }
                }
                Compiled::Line { variants, .. } => {
                    let v = self.variant(*variants);
                    self.at = (node, v);
                    return;
                }
                Compiled::End { variants, .. } => {
                    let v = self.variant(*variants);
                    self.at = (node, v);
                    self.ending = Some(Ending::End { node, variant: v });
                    return;
                }
            }
        }
    }

    fn variant(&mut self, variants: u32) -> u32 {
        if variants > 1 { draw(&mut self.rng, u64::from(variants)) as u32 } else { 0 }
    }

    pub fn playable(&self) -> &Arc<Playable> {
        &self.playable
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn trainee(&self) -> &str {
        &self.trainee
    }

    /// The scorer version this call is scored by.
    pub fn scorer(&self) -> u32 {
        self.scorer
    }

    pub fn patience(&self) -> i32 {
        self.patience
    }

    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }

    pub fn ending(&self) -> Option<Ending> {
        self.ending
    }

    pub fn is_over(&self) -> bool {
        self.ending.is_some()
    }

    /// The node the customer is speaking at (the `End` node once the call ended there).
    pub fn node(&self) -> u32 {
        self.at.0
    }

    /// The customer's current line (the goodbye once the call has ended at an `End`).
    pub fn customer_line(&self) -> Option<Cow<'_, str>> {
        if matches!(self.ending, Some(Ending::HungUp | Ending::PatienceOut | Ending::Looped)) {
            return None;
        }
        let (node, variant) = (self.at.0 as usize, self.at.1 as usize);
        let (Node::Line { say, .. } | Node::End { say, .. }) = &self.playable.scenario.nodes.0[node].1 else {
            return None;
        };
        let (Compiled::Line { templated, .. } | Compiled::End { templated, .. }) = &self.playable.graph[node] else {
            return None;
        };
        say.get(variant).map(|s| self.fill(s, templated.get(variant).copied().unwrap_or(false)))
    }

    /// The `say` variant the customer speaks now (an index into the node's `say`), for finding
    /// its voice clip.
    pub fn customer_variant(&self) -> usize {
        self.at.1 as usize
    }

    /// The voice clip for the current customer line, if the scenario names one.
    pub fn customer_audio(&self) -> Option<&str> {
        let (node, variant) = self.at;
        match self.playable.node(node) {
            Node::Line { audio, .. } | Node::End { audio, .. } => audio.get(variant as usize).map(String::as_str),
            Node::Random { .. } => None,
        }
    }

    /// The choices offered now, with `{trainee}` filled in; empty once the call is over.
    pub fn choices(&self) -> Vec<Cow<'_, str>> {
        self.choice_texts().collect()
    }

    /// The choices offered now, without collecting them: borrowed unless they name the trainee.
    pub fn choice_texts(&self) -> impl ExactSizeIterator<Item = Cow<'_, str>> + '_ {
        let node = self.at.0 as usize;
        let (authored, compiled): (&[super::model::Choice], &[super::playable::CompiledChoice]) =
            match (&self.playable.scenario.nodes.0[node].1, &self.playable.graph[node]) {
                (Node::Line { choices, .. }, Compiled::Line { choices: c, .. }) if !self.is_over() => (choices, c),
                _ => (&[], &[]),
            };
        authored.iter().zip(compiled).map(move |(a, c)| self.fill(&a.text, c.templated))
    }

    /// The order the current choices are shown in: `order[k]` is the choice shown at position k.
    /// In Exam mode it is shuffled for every call and line, so the position of the right answer
    /// cannot be learned by heart; otherwise it is the authored order. Runs record the authored
    /// index, so the order never changes a score.
    pub fn choice_order(&self) -> Vec<usize> {
        let n = self.choice_texts().len();
        let mut order: Vec<usize> = (0..n).collect();
        if self.mode == Mode::Exam && n > 1 {
            // A generator of its own, keyed by the seed and the node: the call's draws are untouched.
            let mut key = [0u8; 32];
            key[..8].copy_from_slice(&self.seed.to_le_bytes());
            key[8..12].copy_from_slice(&self.at.0.to_le_bytes());
            key[12..17].copy_from_slice(b"order");
            let mut rng = ChaCha8Rng::from_seed(key);
            for i in (1..n).rev() {
                let j = draw(&mut rng, i as u64 + 1) as usize;
                order.swap(i, j);
            }
        }
        order
    }

    fn fill<'a>(&self, s: &'a str, templated: bool) -> Cow<'a, str> {
        if templated { Cow::Owned(substitute(s, &self.trainee)) } else { Cow::Borrowed(s) }
    }

    /// Whether the trainee types now (Recall mode at a line that expects a stage).
    pub fn expects_typing(&self) -> bool {
        matches!(self.mode, Mode::Recall | Mode::Drill)
            && !self.is_over()
            && self.playable.expected_stage(self.at.0).is_some()
    }

    /// The stage the script expects now, if any.
    pub fn expected_stage(&self) -> Option<&super::model::Stage> {
        if self.is_over() { None } else { self.playable.expected_stage(self.at.0) }
    }

    /// A text with `{trainee}` filled in.
    pub fn text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        if s.contains("{trainee}") { Cow::Owned(substitute(s, &self.trainee)) } else { Cow::Borrowed(s) }
    }

    /// Picks choice `index` (0-based) at the current line.
    pub fn choose(&mut self, index: usize) -> Result<(), InputError> {
        if self.is_over() {
            return Err(InputError::CallOver);
        }
        let node = self.at.0;
        let Compiled::Line { choices, .. } = &self.playable.graph[node as usize] else {
            return Err(InputError::CallOver);
        };
        if self.mode == Mode::Drill {
            return Err(InputError::ChoiceInDrill { node: self.playable.node_id(node).to_owned() });
        }
        if index >= choices.len() {
            return Err(InputError::ChoiceOutOfRange {
                node: self.playable.node_id(node).to_owned(),
                index,
                count: choices.len(),
            });
        }
        self.answer(Reply::Chose(index as u32), index as u32);
        Ok(())
    }

    /// Types a reply (Recall mode). A hit follows the choice of the expected stage, a miss the first
    /// choice of another stage.
    pub fn type_reply(&mut self, text: &str) -> Result<(), InputError> {
        if self.is_over() {
            return Err(InputError::CallOver);
        }
        let node = self.at.0;
        if !matches!(self.mode, Mode::Recall | Mode::Drill) {
            return Err(InputError::TypeInChoiceMode { node: self.playable.node_id(node).to_owned(), mode: self.mode });
        }
        let Compiled::Line { choices, expect, .. } = &self.playable.graph[node as usize] else {
            return Err(InputError::CallOver);
        };
        let followed = match expect {
            Some(e) => {
                let hit = scorer::recall_quality(self.scorer, &self.playable.script, *e, text, &self.trainee).hit;
                let pick = if hit {
                    choices.iter().position(|c| c.stage == Some(*e))
                } else {
                    choices.iter().position(|c| c.stage != Some(*e))
                };
                pick.unwrap_or(0) as u32
            }
            None => 0,
        };
        self.answer(Reply::Typed(text.to_owned()), followed);
        Ok(())
    }

    /// The trainee hangs up. The unanswered line counts as a turn where nothing was said, so
    /// hanging up early can never beat finishing the call.
    pub fn hang_up(&mut self) -> Result<(), InputError> {
        if self.is_over() {
            return Err(InputError::CallOver);
        }
        let (node, variant) = self.at;
        self.turns.push(Turn { node, variant, reply: Reply::HungUp, followed: None, patience: self.patience });
        self.ending = Some(Ending::HungUp);
        Ok(())
    }

    /// Applies one recorded input.
    pub fn apply(&mut self, input: &Input) -> Result<(), InputError> {
        match input {
            Input::Choose(i) => self.choose(*i),
            Input::Type(t) => self.type_reply(t),
            Input::HangUp => self.hang_up(),
        }
    }

    fn answer(&mut self, reply: Reply, followed: u32) {
        let (node, variant) = self.at;
        let Compiled::Line { choices, .. } = &self.playable.graph[node as usize] else { return };
        let choice = choices[followed as usize];
        // Saturating: an author's patience of i32::MAX plus a choice's +1 stays at the top.
        self.patience = self.patience.saturating_add(choice.patience);
        self.turns.push(Turn { node, variant, reply, followed: Some(followed), patience: self.patience });
        if self.mode == Mode::Drill {
            // A drill is one line: the customer's reaction belongs to the call, not the exercise.
            self.ending = Some(Ending::Drilled);
            return;
        }
        if choice.patience < 0 && self.patience <= 0 {
            match self.playable.on_patience_out {
                Some(out) => self.enter(out),
                None => self.ending = Some(Ending::PatienceOut),
            }
        } else {
            self.enter(choice.next);
        }
    }

    /// The outcome and label of a finished call.
    pub fn outcome(&self) -> Option<(Outcome, String)> {
        let lang = self.playable.lang();
        Some(match self.ending? {
            Ending::End { node, .. } => match self.playable.node(node) {
                Node::End { outcome, label, .. } => (*outcome, label.clone()),
                _ => (Outcome::Failure, String::new()),
            },
            Ending::HungUp => (Outcome::Failure, lang.hung_up().to_owned()),
            Ending::PatienceOut => (Outcome::Failure, lang.patience_out().to_owned()),
            Ending::Looped => (Outcome::Failure, lang.looped().to_owned()),
            Ending::Drilled => {
                let hit = self.turns.last().is_some_and(|t| {
                    t.followed.is_some_and(|f| match &self.playable.graph[t.node as usize] {
                        Compiled::Line { choices, expect, .. } => {
                            expect.is_some() && choices.get(f as usize).is_some_and(|c| c.stage == *expect)
                        }
                        _ => false,
                    })
                });
                (if hit { Outcome::Success } else { Outcome::Failure }, lang.drilled().to_owned())
            }
        })
    }

    /// The run file of this call so far.
    pub fn to_run(&self) -> Run {
        let inputs: Vec<Input> = self
            .turns
            .iter()
            .map(|t| match &t.reply {
                Reply::Chose(i) => Input::Choose(*i as usize),
                Reply::Typed(s) => Input::Type(s.clone()),
                Reply::HungUp => Input::HangUp,
            })
            .collect();
        Run {
            scenario: self.playable.scenario.id.clone(),
            version: Some(self.playable.scenario.version),
            hash: Some(self.playable.hash().to_owned()),
            seed: self.seed,
            mode: self.mode,
            trainee: self.trainee.clone(),
            // Absent means version 1, so a version-1 run file reads as it always did.
            scorer: (self.scorer != 1).then_some(self.scorer),
            inputs,
            drill: (self.mode == Mode::Drill)
                .then(|| self.turns.first().map_or(self.at.0, |t| t.node))
                .map(|n| self.playable.node_id(n).to_owned()),
            times_ms: Vec::new(),
            played_at: None,
        }
    }
}

/// Replays a run file: every input in order, which must end the call exactly.
///
/// A run that records a version or hash different from the scenario's is refused unless
/// `allow_changed` is set.
pub fn replay(playable: &Arc<Playable>, run: &Run, allow_changed: bool) -> Result<Dialogue, RunError> {
    if run.scenario != playable.scenario.id {
        return Err(RunError::WrongScenario { run: run.scenario.clone(), scenario: playable.scenario.id.clone() });
    }
    if !allow_changed {
        if let Some(v) = run.version
            && v != playable.scenario.version
        {
            return Err(RunError::Changed {
                id: run.scenario.clone(),
                what: format!("recorded at version {v}, the file is now version {}", playable.scenario.version),
            });
        }
        if let Some(h) = &run.hash
            && h != playable.hash()
        {
            return Err(RunError::Changed {
                id: run.scenario.clone(),
                what: "its content hash differs: the scenario or its script was edited".to_owned(),
            });
        }
    }
    let version = run.scorer.unwrap_or(1);
    if !scorer::VERSIONS.contains(&version) {
        return Err(RunError::UnknownScorer(version));
    }
    let mut d = match (run.mode, &run.drill) {
        (Mode::Drill, Some(id)) => {
            let node = playable
                .node_index(id)
                .ok_or_else(|| RunError::NotADrill { found: format!(": there is no node \"{id}\"") })?;
            Dialogue::drill(Arc::clone(playable), run.seed, node, run.trainee.clone(), version)
                .ok_or_else(|| RunError::NotADrill { found: format!(": \"{id}\" is not one") })?
        }
        (Mode::Drill, None) => return Err(RunError::NotADrill { found: String::new() }),
        (_, Some(id)) => return Err(RunError::DrillOutsideDrillMode(id.clone())),
        (mode, None) => Dialogue::with_scorer(Arc::clone(playable), run.seed, mode, run.trainee.clone(), version),
    };
    for (index, input) in run.inputs.iter().enumerate() {
        if d.is_over() {
            return Err(RunError::TooManyInputs { used: index, given: run.inputs.len() });
        }
        d.apply(input).map_err(|error| RunError::Input { index, input: describe(input), error })?;
    }
    if !d.is_over() {
        return Err(RunError::TooFewInputs { given: run.inputs.len(), node: playable.node_id(d.node()).to_owned() });
    }
    Ok(d)
}

fn describe(input: &Input) -> String {
    match input {
        Input::Choose(i) => format!("Choose({i})"),
        Input::Type(t) => {
            let short: String = t.chars().take(40).collect();
            format!("Type(\"{short}{}\")", if t.chars().count() > 40 { "…" } else { "" })
        }
        Input::HangUp => "HangUp".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn dialogue_is_send_and_sync() {
        assert_send_sync::<Dialogue>();
    }

    #[test]
    fn exam_choice_order_is_a_permutation_that_changes_with_the_seed() {
        let lib = crate::domain::Library::from_sources(vec![
            crate::domain::SourceFile::new(
                "scripts/s.ron",
                r#"Script(id: "s", version: 1, role: Generator, title: "S", stages: [Stage(id: "a", title: "A", line: "Hello there.", weight: 1)])"#,
            ),
            crate::domain::SourceFile::new(
                "generator/x.ron",
                r#"Scenario(id: "generator/x", version: 1, title: "X", role: Generator, language: "en", script: "s", brief: "b",
                persona: Persona(name: "A", position: "B", company: "C", patience: 3), start: "q",
                nodes: { "q": Line(say: ["Hi"], expect: "a", choices: [
                    Choice(text: "Hello there.", stage: "a", next: "z"), Choice(text: "Yo.", next: "z"),
                    Choice(text: "Hey.", next: "z"), Choice(text: "Sup.", next: "z")]),
                  "z": End(outcome: Success, label: "ok") })"#,
            ),
        ]);
        let p = std::sync::Arc::clone(lib.scenario("generator/x").expect("playable"));
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..40 {
            let d = Dialogue::new(std::sync::Arc::clone(&p), seed, Mode::Exam, "T");
            let order = d.choice_order();
            let mut sorted = order.clone();
            sorted.sort();
            assert_eq!(sorted, [0, 1, 2, 3]);
            assert_eq!(order, Dialogue::new(std::sync::Arc::clone(&p), seed, Mode::Exam, "T").choice_order());
            seen.insert(order);
            assert_eq!(
                Dialogue::new(std::sync::Arc::clone(&p), seed, Mode::Practice, "T").choice_order(),
                [0, 1, 2, 3]
            );
        }
        assert!(seen.len() > 5, "the right answer moves between calls");
    }
}
