//! `verify`: walks both hash chains and re-scores every stored run against the scenario text it was played on.

use super::chain::{GENESIS, PROMOTIONS_HEAD, PromotionSeal, RUNS_HEAD, RunSeal, chain_head, promotion_hash, run_hash};
use super::db::SqlValue;
use super::{Problem, Records, RecordsError, VerifyReport};
use crate::domain::model::Run;
use crate::domain::{Library, Playable, SourceFile, replay, score};
use std::collections::HashMap;
use std::sync::Arc;

/// How many runs are read at a time.
const PAGE: i64 = 2000;

/// One stored run as the chain and the re-scoring see it.
struct ChainedRun {
    id: i64,
    trainee_id: i64,
    scenario_hash: String,
    run_ron: String,
    score: u32,
    passed: bool,
    critical: bool,
    played_at: i64,
    prev_hash: String,
    hash: String,
}

impl ChainedRun {
    /// The columns `from_row` reads, in its order.
    const COLUMNS: &str = "id, trainee_id, scenario_hash, run_ron, score, passed, critical, played_at, prev_hash, hash";

    fn from_row(r: &[SqlValue]) -> ChainedRun {
        ChainedRun {
            id: r[0].int(),
            trainee_id: r[1].int(),
            scenario_hash: r[2].text(),
            run_ron: r[3].text(),
            score: r[4].int() as u32,
            passed: r[5].int() != 0,
            critical: r[6].int() != 0,
            played_at: r[7].int(),
            prev_hash: r[8].text(),
            hash: r[9].text(),
        }
    }

    fn seal(&self) -> RunSeal<'_> {
        RunSeal {
            trainee_id: self.trainee_id,
            scenario_hash: &self.scenario_hash,
            run_ron: &self.run_ron,
            score: self.score,
            passed: self.passed,
            critical: self.critical,
            played_at: self.played_at,
        }
    }

    fn problem(&self, what: impl Into<String>) -> Problem {
        Problem { table: "runs", id: self.id, what: what.into() }
    }
}

/// The scenario texts met so far, by content hash (`None`: missing or altered).
type Snapshots = HashMap<String, Option<Arc<Playable>>>;

impl Records {
    /// Re-scores every stored run from its inputs against the scenario text it was played on and
    /// checks both hash chains. `progress(done, total)` is called as runs are checked.
    pub fn verify(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<VerifyReport, RecordsError> {
        let total = self.db.query_value("SELECT COUNT(*) FROM runs", &[])?.map_or(0, |v| v.int()) as u64;
        let mut problems = Vec::new();
        let mut snapshots = Snapshots::new();
        let mut prev = GENESIS.to_owned();
        let mut last_id = 0i64;
        let mut done = 0u64;
        loop {
            let rows = self.db.query(
                &format!("SELECT {} FROM runs WHERE id > $1 ORDER BY id LIMIT $2", ChainedRun::COLUMNS),
                &[last_id.into(), PAGE.into()],
            )?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let run = ChainedRun::from_row(r);
                last_id = run.id;
                self.check_run(&run, &prev, &mut snapshots, &mut problems)?;
                prev = run.hash;
                done += 1;
            }
            progress(done, total);
        }
        if chain_head(&mut self.db, RUNS_HEAD)? != prev {
            problems.push(Problem {
                table: "runs",
                id: last_id,
                what: "the newest runs were removed (the chain head does not match)".into(),
            });
        }
        let promotions = self.check_promotions(&mut problems)?;
        Ok(VerifyReport { runs: done, promotions, problems })
    }

    /// Checks one run: its place in the chain, its hash, and its score re-computed from its inputs
    /// against the scenario text it names (`prev`: the hash of the run before it).
    fn check_run(
        &mut self,
        run: &ChainedRun,
        prev: &str,
        snapshots: &mut Snapshots,
        problems: &mut Vec<Problem>,
    ) -> Result<(), RecordsError> {
        if run.prev_hash != prev {
            problems.push(run.problem("the chain is broken before this row: a run was removed or edited"));
        }
        if run_hash(&run.prev_hash, &run.seal()) != run.hash {
            problems.push(run.problem("the row does not match its hash: it was edited"));
        }
        if !snapshots.contains_key(&run.scenario_hash) {
            let p = self.snapshot(&run.scenario_hash)?;
            snapshots.insert(run.scenario_hash.clone(), p);
        }
        let Some(playable) = snapshots.get(&run.scenario_hash).and_then(Option::as_ref) else {
            let short: String = run.scenario_hash.chars().take(12).collect();
            problems
                .push(run.problem(format!("the scenario text it was scored against ({short}) is missing or altered")));
            return Ok(());
        };
        if let Some(what) = rescore(playable, run) {
            problems.push(run.problem(what));
        }
        Ok(())
    }

    /// Walks the promotions' chain; returns how many promotions there are.
    fn check_promotions(&mut self, problems: &mut Vec<Problem>) -> Result<u64, RecordsError> {
        let mut prev = GENESIS.to_owned();
        let rows = self.db.query(
            "SELECT id, trainee_id, kind, from_role, to_role, manager, at, prev_hash, hash FROM promotions ORDER BY id",
            &[],
        )?;
        for r in &rows {
            let id = r[0].int();
            let (row_prev, row_hash) = (r[7].text(), r[8].text());
            if row_prev != prev {
                problems.push(Problem { table: "promotions", id, what: "the chain is broken before this row".into() });
            }
            let seal = PromotionSeal {
                trainee_id: r[1].int(),
                kind: &r[2].text(),
                from: &r[3].text(),
                to: &r[4].text(),
                manager: &r[5].text(),
                at: r[6].int(),
            };
            if promotion_hash(&row_prev, &seal) != row_hash {
                problems.push(Problem {
                    table: "promotions",
                    id,
                    what: "the row does not match its hash: it was edited".into(),
                });
            }
            prev = row_hash;
        }
        if chain_head(&mut self.db, PROMOTIONS_HEAD)? != prev {
            problems.push(Problem {
                table: "promotions",
                id: 0,
                what: "the newest promotions were removed (the chain head does not match)".into(),
            });
        }
        Ok(rows.len() as u64)
    }

    /// A stored run scored again from its inputs, against the exact scenario text it was played on
    /// and by the scorer version it names: the receipt anyone can check against the stored score.
    pub fn rescore_run(&mut self, run_id: i64) -> Result<Rescored, RecordsError> {
        let (row, stored, run) = self.run_detail(run_id)?;
        let playable = self
            .snapshot(&row.scenario_hash)?
            .ok_or_else(|| RecordsError::SnapshotMissing { run: run_id, hash: row.scenario_hash.clone() })?;
        let dialogue =
            replay(&playable, &run, true).map_err(|source| RecordsError::NoReplay { run: run_id, source })?;
        Ok(Rescored { row, stored, now: score(&dialogue), run })
    }

    /// The scenario as it was when runs with this hash were recorded, if its stored text still
    /// hashes to it.
    fn snapshot(&mut self, hash: &str) -> Result<Option<Arc<Playable>>, RecordsError> {
        let rows = self.db.query(
            "SELECT scenario_id, scenario_ron, script_ron FROM scenario_versions WHERE hash = $1",
            &[hash.into()],
        )?;
        let Some(r) = rows.into_iter().next() else { return Ok(None) };
        let lib = Library::from_sources(vec![
            SourceFile::new("scripts/recorded.ron", r[2].text()),
            SourceFile::new("scenario/recorded.ron", r[1].text()),
        ]);
        Ok(lib.scenario(&r[0].text()).filter(|p| p.hash() == hash).cloned())
    }
}

/// A stored run scored again (see [`Records::rescore_run`]).
#[derive(Debug, Clone)]
pub struct Rescored {
    pub row: super::RunRow,
    pub run: Run,
    /// The breakdown stored when the run was recorded.
    pub stored: crate::domain::Score,
    /// The breakdown computed now.
    pub now: crate::domain::Score,
}

impl Rescored {
    /// Whether the run scores now as it did when it was stored.
    pub fn matches(&self) -> bool {
        self.now.score == self.stored.score
            && self.now.passed == self.stored.passed
            && self.now.critical == self.stored.critical
    }
}

/// Replays a stored run and compares its score with the stored one; says what is wrong, if anything.
fn rescore(playable: &Arc<Playable>, run: &ChainedRun) -> Option<String> {
    let file = match crate::domain::parse::ron_options().from_str::<Run>(&run.run_ron) {
        Ok(file) => file,
        Err(e) => return Some(format!("the run file no longer parses: {e}")),
    };
    let dialogue = match replay(playable, &file, true) {
        Ok(d) => d,
        Err(e) => return Some(format!("the inputs no longer replay: {e}")),
    };
    let s = score(&dialogue);
    let differs = s.score != run.score || s.passed != run.passed || s.critical.is_empty() == run.critical;
    differs.then(|| format!("stored score {} but its inputs score {}", run.score, s.score))
}
