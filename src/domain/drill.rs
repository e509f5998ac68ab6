//! Drills: short exercises aimed at single script stages, built from the library's own customer lines.
//!
//! An exercise is one customer line of one scenario that expects a stage; the trainee types the
//! stage's line and it is scored by the Recall rules of the newest scorer (a `Drill`-mode
//! [`Dialogue`] that ends after its one answer, stored and re-scored like any run). A session draws,
//! for each stage to drill, one of the lines that expect it, from every scenario of the trainee's
//! role and language, so the stage is met against different customers. Everything is drawn from
//! the session's seed.

use super::library::Library;
use super::model::Role;
use super::runtime::Dialogue;
use super::schedule::{self, Due, Memory, Review, StageKey};
use super::seed::{draw, rng_for};
use super::{Playable, scorer};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// About how long one exercise takes, for "about N minutes" on the home screen.
pub const SECONDS_PER_EXERCISE: u32 = 40;

/// Stages never drilled that join the due list each day.
pub const NEW_PER_DAY: usize = 3;

/// One customer line that expects a stage.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Exercise {
    pub scenario: String,
    /// The `Line` node's id.
    pub node: String,
    pub stage: String,
    /// The seed its line variant is drawn with.
    pub seed: u64,
}

impl Exercise {
    /// The exercise ready to answer, scored by the newest scorer; `None` when the scenario is gone
    /// or the line no longer expects a stage.
    pub fn start(&self, lib: &Library, trainee: &str) -> Option<Dialogue> {
        let p = lib.scenario(&self.scenario)?;
        let node = p.node_index(&self.node)?;
        Dialogue::drill(Arc::clone(p), self.seed, node, trainee, scorer::LATEST)
    }
}

/// The playable scenarios of a role in a language, in path order.
fn scenarios<'a>(lib: &'a Library, role: Role, language: &'a str) -> impl Iterator<Item = &'a Arc<Playable>> + 'a {
    lib.playable().filter(move |p| p.scenario.role == role && p.scenario.language == language)
}

/// The stages a role's scenarios in a language expect, in script order (the first script's order,
/// then any stage only another script has), each once.
pub fn stages(lib: &Library, role: Role, language: &str) -> Vec<StageKey> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let mut scripts: Vec<&Arc<super::model::Script>> = Vec::new();
    for p in scenarios(lib, role, language) {
        if !scripts.iter().any(|s| Arc::ptr_eq(s, &p.script)) {
            scripts.push(&p.script);
        }
    }
    for script in scripts {
        for stage in &script.stages {
            let expected = scenarios(lib, role, language)
                .filter(|p| Arc::ptr_eq(&p.script, script))
                .any(|p| p.expecting_lines().any(|(_, s)| s.id == stage.id));
            if expected && seen.insert(stage.id.clone()) {
                out.push(StageKey { role, stage: stage.id.clone() });
            }
        }
    }
    out
}

/// Every exercise for each stage of a role in a language: (scenario, node) pairs by stage id.
pub fn exercises(lib: &Library, role: Role, language: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for p in scenarios(lib, role, language) {
        for (node, stage) in p.expecting_lines() {
            out.entry(stage.id.clone()).or_default().push((p.id().to_owned(), p.node_id(node).to_owned()));
        }
    }
    out
}

/// A drill session: for each stage in `stages`, in order, `per_stage` exercises drawn from the
/// lines that expect it (different scenarios first), with seeds of their own. All drawn from
/// `seed`. Stages no line expects are skipped.
pub fn session(
    lib: &Library,
    role: Role,
    language: &str,
    stages: &[String],
    per_stage: usize,
    seed: u64,
) -> Vec<Exercise> {
    let pool = exercises(lib, role, language);
    let mut rng = rng_for(seed);
    let mut out = Vec::new();
    for stage in stages {
        let Some(lines) = pool.get(stage) else { continue };
        let mut left: Vec<&(String, String)> = lines.iter().collect();
        for _ in 0..per_stage {
            if left.is_empty() {
                left = lines.iter().collect();
            }
            let k = draw(&mut rng, left.len() as u64) as usize;
            let (scenario, node) = left.swap_remove(k);
            // Another line of the same scenario would be the same customer: prefer others.
            left.retain(|(s, _)| s != scenario);
            out.push(Exercise {
                scenario: scenario.clone(),
                node: node.clone(),
                stage: stage.clone(),
                seed: draw(&mut rng, 1_000_000_000),
            });
        }
    }
    out
}

/// The single best next call: the scenario of a role and language whose expected stages the
/// trainee is least likely to recall now (a stage never reviewed counts as forgotten), ties to the
/// first in path order. `None` when the role has no scenario in that language.
pub fn best_call(lib: &Library, role: Role, language: &str, memories: &[Memory], now: i64) -> Option<String> {
    let recall: BTreeMap<&str, f64> =
        memories.iter().filter(|m| m.key.role == role).map(|m| (m.key.stage.as_str(), m.recall_at(now))).collect();
    let mut best: Option<(f64, &str)> = None;
    for p in scenarios(lib, role, language) {
        let mut ids: Vec<&str> = p.expecting_lines().map(|(_, s)| s.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            continue;
        }
        let weakness: f64 = ids.iter().map(|id| 1.0 - recall.get(id).copied().unwrap_or(0.0)).sum::<f64>();
        if best.is_none_or(|(w, _)| weakness > w + 1e-9) {
            best = Some((weakness, p.id()));
        }
    }
    best.map(|(_, id)| id.to_owned())
}

/// What a trainee should drill at a moment, as `callforge due` prints it and the window's home
/// screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The stages due now: most forgotten first, then a few never drilled.
    pub due: Vec<DueStage>,
    /// About how long the due drills take, in minutes.
    pub minutes: u32,
    /// Every stage of the role reviewed so far, with its next date.
    pub stages: Vec<Memory>,
    /// The single best next call (a scenario id): see [`best_call`].
    pub best_call: Option<String>,
}

/// A due stage with its title, for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueStage {
    #[serde(flatten)]
    pub due: Due,
    pub title: String,
}

/// The drill plan of a trainee of `role` in `language` at `now`, from their stage reviews
/// (`Records::stage_reviews`): the stages due ([`schedule::due`], with [`NEW_PER_DAY`] new ones),
/// about how long they take, and the best next call.
pub fn plan(lib: &Library, role: Role, language: &str, reviews: &[Review], now: i64) -> Plan {
    let memories = schedule::memories(reviews);
    let stages = stages(lib, role, language);
    let due: Vec<DueStage> = schedule::due(&memories, &stages, now, NEW_PER_DAY)
        .into_iter()
        .map(|d| DueStage { title: stage_title(lib, &d.key, language), due: d })
        .collect();
    let minutes = (due.len() as u32 * SECONDS_PER_EXERCISE).div_ceil(60);
    let best_call = best_call(lib, role, language, &memories, now);
    Plan { due, minutes, stages: memories.into_iter().filter(|m| m.key.role == role).collect(), best_call }
}

/// The title of a stage in the role's scripts of a language (its id when no script has it).
pub fn stage_title(lib: &Library, key: &StageKey, language: &str) -> String {
    scenarios(lib, key.role, language)
        .find_map(|p| p.script.stages.iter().find(|s| s.id == key.stage).map(|s| s.title.clone()))
        .unwrap_or_else(|| key.stage.clone())
}
