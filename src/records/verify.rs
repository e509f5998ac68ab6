//! `verify`: walks both hash chains, re-scores every stored run against the scenario text it was played on, and checks every signature — accounts, promotions, tickets, checkpoints — and every trainee's rung.
//!
//! Each problem says what was changed where it can: a column that differs from the run file it
//! was derived from, a run given to another trainee, a ticket used by a run it was not issued for,
//! a rung that the signed promotions do not explain, a checkpoint whose heads no longer match.
//! Rows made before signatures are warnings, not problems.

use super::chain::{
    GENESIS, PROMOTIONS_HEAD, PromotionSeal, RUNS_HEAD, RunSeal, RunSeal2, chain_head, promotion_hash, run_hash,
    run_hash_2,
};
use super::db::SqlValue;
use super::managers::{Account, Standing, standings};
use super::promotions::{LEGACY, PROMOTION, promotion_statement};
use super::runs::{HASH_VERSION, fingerprint, same_trainee};
use super::tickets::Ticket;
use super::verify_signed::{check_accounts, check_checkpoints, check_tickets, check_trust};
use super::{Problem, Records, RecordsError, Trainee, VerifyReport, keys, schema};
use crate::domain::model::{Role, Run};
use crate::domain::time::{format_time, parse_time};
use crate::domain::{Library, Playable, SourceFile, replay, score};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// How many runs are read at a time.
const PAGE: i64 = 2000;

/// One stored run, every column.
struct StoredRow {
    id: i64,
    trainee_id: i64,
    scenario: String,
    role: String,
    version: i64,
    scenario_hash: String,
    mode: String,
    run_ron: String,
    score: i64,
    adherence: f64,
    passed: bool,
    critical: bool,
    finished: bool,
    outcome: String,
    label: String,
    breakdown: String,
    played_at: i64,
    recorded_at: i64,
    duration_ms: i64,
    scorer: i64,
    ticket: i64,
    fingerprint: String,
    hash_version: i64,
    prev_hash: String,
    hash: String,
}

impl StoredRow {
    /// The columns `from_row` reads, in its order.
    const COLUMNS: &str = "id, trainee_id, scenario, role, version, scenario_hash, mode, run_ron, score, adherence, \
         passed, critical, finished, outcome, label, breakdown, played_at, recorded_at, duration_ms, scorer, ticket_id, \
         fingerprint, hash_version, prev_hash, hash";

    fn from_row(r: &[SqlValue]) -> StoredRow {
        StoredRow {
            id: r[0].int(),
            trainee_id: r[1].int(),
            scenario: r[2].text(),
            role: r[3].text(),
            version: r[4].int(),
            scenario_hash: r[5].text(),
            mode: r[6].text(),
            run_ron: r[7].text(),
            score: r[8].int(),
            adherence: r[9].real(),
            passed: r[10].int() != 0,
            critical: r[11].int() != 0,
            finished: r[12].int() != 0,
            outcome: r[13].text(),
            label: r[14].text(),
            breakdown: r[15].text(),
            played_at: r[16].int(),
            recorded_at: r[17].int(),
            duration_ms: r[18].int(),
            scorer: r[19].int(),
            ticket: r[20].int(),
            fingerprint: r[21].text(),
            hash_version: r[22].int(),
            prev_hash: r[23].text(),
            hash: r[24].text(),
        }
    }

    /// Whether the row matches its own hash (given the hash before it, as the row says).
    fn matches_hash(&self) -> bool {
        let expected = match self.hash_version {
            1 => run_hash(
                &self.prev_hash,
                &RunSeal {
                    trainee_id: self.trainee_id,
                    scenario_hash: &self.scenario_hash,
                    run_ron: &self.run_ron,
                    score: u32::try_from(self.score).unwrap_or(u32::MAX),
                    passed: self.passed,
                    critical: self.critical,
                    played_at: self.played_at,
                },
            ),
            _ => run_hash_2(
                &self.prev_hash,
                &RunSeal2 {
                    trainee_id: self.trainee_id,
                    scenario: &self.scenario,
                    role: &self.role,
                    version: self.version,
                    scenario_hash: &self.scenario_hash,
                    mode: &self.mode,
                    run_ron: &self.run_ron,
                    score: self.score,
                    adherence: self.adherence,
                    passed: self.passed,
                    critical: self.critical,
                    finished: self.finished,
                    outcome: &self.outcome,
                    label: &self.label,
                    breakdown: &self.breakdown,
                    played_at: self.played_at,
                    recorded_at: self.recorded_at,
                    duration_ms: self.duration_ms,
                    scorer: self.scorer,
                    ticket: self.ticket,
                    fingerprint: &self.fingerprint,
                },
            ),
        };
        expected == self.hash
    }

    fn problem(&self, what: impl Into<String>) -> Problem {
        Problem { table: "runs", id: self.id, what: what.into() }
    }
}

/// The scenario texts met so far, by content hash (`None`: missing or altered).
type Snapshots = HashMap<String, Option<Arc<Playable>>>;

/// What checking a run needs beside the run: the trainees, the tickets, where the runs made before
/// signatures end, and which tickets runs already used.
struct RunContext {
    trainees: HashMap<i64, Trainee>,
    tickets: HashMap<i64, (Ticket, bool)>,
    legacy_runs: i64,
    used: HashMap<i64, i64>,
    snapshots: Snapshots,
}

impl Records {
    /// Re-scores every stored run from its inputs against the scenario text it was played on,
    /// checks both hash chains, every signature and every trainee's rung. `progress(done, total)`
    /// is called as runs are checked.
    pub fn verify(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<VerifyReport, RecordsError> {
        self.verify_trusting(None, progress)
    }

    /// `verify`, and a problem unless the department's root key has the fingerprint `trust` (as
    /// `manager add` printed it for the first manager): records rebuilt by someone else fail.
    pub fn verify_trusting(
        &mut self,
        trust: Option<&str>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<VerifyReport, RecordsError> {
        let (legacy_runs, legacy_promotions, legacy_managers) = schema::legacy_bounds(&mut self.db)?;
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let accounts = self.accounts()?;
        let (standing, root) = standings(&accounts, legacy_managers);
        check_accounts(&accounts, &standing, &mut problems, &mut warnings);
        let root_fp = root
            .as_ref()
            .and_then(|r| accounts.iter().find(|a| &a.username == r))
            .map(|a| keys::fingerprint(&a.public_key));
        check_trust(trust, root_fp.as_deref(), &mut problems);
        let trainees: HashMap<i64, Trainee> = self.trainees()?.into_iter().map(|t| (t.id, t)).collect();
        let tickets = self.tickets(None)?;
        let ticket_count = tickets.len() as u64;
        let checked_tickets = check_tickets(tickets, &accounts, &standing, &trainees, &mut problems);
        let assignments = self.check_assignments(&accounts, &standing, &mut problems)?;
        let checkpoints = self.checkpoints()?;
        let wanted_runs: HashSet<i64> = checkpoints.iter().map(|c| c.runs_last).collect();
        let wanted_promotions: HashSet<i64> = checkpoints.iter().map(|c| c.promotions_last).collect();

        let mut ctx = RunContext {
            trainees,
            tickets: checked_tickets,
            legacy_runs,
            used: HashMap::new(),
            snapshots: Snapshots::new(),
        };
        let total = self.db.query_value("SELECT COUNT(*) FROM runs", &[])?.map_or(0, |v| v.int()) as u64;
        let mut run_heads: HashMap<i64, String> = HashMap::new();
        let mut prev = GENESIS.to_owned();
        let mut last_id = 0i64;
        let mut done = 0u64;
        loop {
            let rows = self.db.query(
                &format!("SELECT {} FROM runs WHERE id > $1 ORDER BY id LIMIT $2", StoredRow::COLUMNS),
                &[last_id.into(), PAGE.into()],
            )?;
            if rows.is_empty() {
                break;
            }
            let page: Vec<StoredRow> = rows.iter().map(|r| StoredRow::from_row(r)).collect();
            let found = self.check_rows(&page, &mut ctx)?;
            for (run, found) in page.into_iter().zip(found) {
                last_id = run.id;
                if run.prev_hash != prev {
                    problems.push(run.problem("the chain is broken before this row: a run was removed or edited"));
                }
                problems.extend(found);
                if wanted_runs.contains(&run.id) {
                    run_heads.insert(run.id, run.hash.clone());
                }
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
        let (promotions, promotion_heads) = self.check_promotions(
            &accounts,
            &standing,
            &ctx.trainees,
            legacy_promotions,
            &wanted_promotions,
            &mut problems,
            &mut warnings,
        )?;
        let legacy = (legacy_runs, legacy_promotions, legacy_managers);
        check_checkpoints(&checkpoints, &accounts, &standing, legacy, &run_heads, &promotion_heads, &mut problems);
        Ok(VerifyReport {
            runs: done,
            promotions,
            managers: accounts.len() as u64,
            tickets: ticket_count,
            assignments,
            checkpoints: checkpoints.len() as u64,
            problems,
            warnings,
            root: root_fp,
            latest_checkpoint: checkpoints.last().cloned(),
        })
    }

    /// What `verify` finds wrong with one trainee's runs, the chain links aside (a promotion is
    /// refused on runs changed behind callforge's back).
    pub(super) fn trainee_run_problems(&mut self, trainee_id: i64) -> Result<Vec<Problem>, RecordsError> {
        let legacy_runs = schema::legacy_bounds(&mut self.db)?.0;
        let accounts = self.accounts()?;
        let legacy_managers = schema::legacy_bounds(&mut self.db)?.2;
        let (standing, _) = standings(&accounts, legacy_managers);
        let trainees: HashMap<i64, Trainee> = self.trainees()?.into_iter().map(|t| (t.id, t)).collect();
        let tickets = self.tickets(None)?;
        let mut ignored = Vec::new();
        let checked_tickets = check_tickets(tickets, &accounts, &standing, &trainees, &mut ignored);
        let mut ctx = RunContext {
            trainees,
            tickets: checked_tickets,
            legacy_runs,
            used: HashMap::new(),
            snapshots: Snapshots::new(),
        };
        let rows = self.db.query(
            &format!("SELECT {} FROM runs WHERE trainee_id = $1 ORDER BY id", StoredRow::COLUMNS),
            &[trainee_id.into()],
        )?;
        let page: Vec<StoredRow> = rows.iter().map(|r| StoredRow::from_row(r)).collect();
        Ok(self.check_rows(&page, &mut ctx)?.into_iter().flatten().collect())
    }

    /// Checks a page of runs (the chain links aside): the scenario texts they name are read first,
    /// then the runs are checked on every core, then which tickets they use, in order.
    fn check_rows(&mut self, page: &[StoredRow], ctx: &mut RunContext) -> Result<Vec<Vec<Problem>>, RecordsError> {
        for run in page {
            if !ctx.snapshots.contains_key(&run.scenario_hash) {
                let p = self.snapshot(&run.scenario_hash)?;
                ctx.snapshots.insert(run.scenario_hash.clone(), p);
            }
        }
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
        let chunk = page.len().div_ceil(workers).max(1);
        let shared: &RunContext = ctx;
        let mut found: Vec<Vec<Problem>> = std::thread::scope(|scope| {
            let handles: Vec<_> = page
                .chunks(chunk)
                .map(|part| scope.spawn(move || part.iter().map(|run| check_row(run, shared)).collect::<Vec<_>>()))
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
        });
        if found.len() != page.len() {
            // A checking thread panicked: check its runs here, where the panic shows.
            found = page.iter().map(|run| check_row(run, ctx)).collect();
        }
        for (run, problems) in page.iter().zip(found.iter_mut()) {
            if run.hash_version >= HASH_VERSION
                && run.ticket != 0
                && let Some(first) = ctx.used.insert(run.ticket, run.id)
            {
                problems.push(run.problem(format!(
                    "its exam ticket {} was already used by run {first}: a ticket is good once",
                    run.ticket
                )));
            }
        }
        Ok(found)
    }

    /// Walks the promotions' chain: links, hashes, signatures and who signed; returns how many
    /// promotions there are and the hashes of the rows checkpoints name. Then checks each
    /// trainee's rung against the promotions that hold.
    #[allow(clippy::too_many_arguments)] // everything verify gathered before, passed along
    fn check_promotions(
        &mut self,
        accounts: &[Account],
        standing: &HashMap<String, Standing>,
        trainees: &HashMap<i64, Trainee>,
        legacy_until: i64,
        wanted: &HashSet<i64>,
        problems: &mut Vec<Problem>,
        warnings: &mut Vec<Problem>,
    ) -> Result<(u64, HashMap<i64, String>), RecordsError> {
        let mut prev = GENESIS.to_owned();
        let rows = self.db.query(
            "SELECT id, trainee_id, kind, from_role, to_role, manager, at, prev_hash, hash, signature FROM promotions ORDER BY id",
            &[],
        )?;
        let mut heads = HashMap::new();
        let mut rungs: HashMap<i64, String> = HashMap::new();
        for r in &rows {
            let id = r[0].int();
            let problem = |what: String| Problem { table: "promotions", id, what };
            let (row_prev, row_hash, signature) = (r[7].text(), r[8].text(), r[9].text());
            let (trainee_id, kind, from, to, manager, at) =
                (r[1].int(), r[2].text(), r[3].text(), r[4].text(), r[5].text(), r[6].int());
            if row_prev != prev {
                problems.push(problem("the chain is broken before this row: a promotion was removed or edited".into()));
            }
            let seal = PromotionSeal { trainee_id, kind: &kind, from: &from, to: &to, manager: &manager, at };
            let mut holds = true;
            if promotion_hash(&row_prev, &seal) != row_hash {
                problems.push(problem("the row was edited: it does not match its hash".into()));
                holds = false;
            }
            let name = trainees.get(&trainee_id).map_or("", |t| t.name.as_str());
            if signature.is_empty() {
                if id <= legacy_until {
                    warnings.push(problem(format!(
                        "unsigned (made before signatures): {kind} {from} → {to} of trainee {trainee_id}{}",
                        if kind == LEGACY { ", the rung they had then" } else { "" }
                    )));
                } else {
                    problems.push(problem(format!(
                        "unsigned: no manager's key approved this {kind} of trainee {trainee_id} ({from} → {to}); it was \
                         written behind callforge's back"
                    )));
                    holds = false;
                }
            } else {
                match (accounts.iter().find(|a| a.username == manager), standing.get(&manager)) {
                    (None, _) => {
                        problems.push(problem(format!("signed by \"{manager}\", who is not a manager")));
                        holds = false;
                    }
                    (Some(a), s) => {
                        let (tid, at_text) = (trainee_id.to_string(), at.to_string());
                        let statement = promotion_statement(&tid, name, &seal, &at_text, &row_prev);
                        if !keys::verify(&a.public_key, &signature, PROMOTION, &statement) {
                            problems.push(problem(
                                "its signature does not match the row: the row was edited (its trainee, move, manager or \
                                 time), or the signature was copied from another"
                                    .into(),
                            ));
                            holds = false;
                        }
                        match s {
                            Some(Standing::Trusted(chain)) => {
                                if let Some((by, _)) = chain.iter().find(|(_, t)| *t == Some(trainee_id)) {
                                    problems.push(problem(format!(
                                        "approved by \"{manager}\", whose account was approved by \"{by}\", who is linked to \
                                         this trainee"
                                    )));
                                    holds = false;
                                }
                            }
                            Some(Standing::Legacy(why) | Standing::Untrusted(why)) => {
                                problems.push(problem(format!("signed by \"{manager}\", whose account {why}")));
                                holds = false;
                            }
                            None => holds = false,
                        }
                    }
                }
            }
            if holds {
                rungs.insert(trainee_id, to.clone());
            }
            if wanted.contains(&id) {
                heads.insert(id, row_hash.clone());
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
        let mut ids: Vec<&i64> = trainees.keys().collect();
        ids.sort();
        for id in ids {
            let t = &trainees[id];
            let said = rungs.get(id).map_or(Role::Generator.as_str(), String::as_str);
            if t.role.as_str() != said {
                problems.push(Problem {
                    table: "trainees",
                    id: *id,
                    what: format!("rung {} but their signed promotions say {said}", t.role),
                });
            }
        }
        Ok((rows.len() as u64, heads))
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

/// Checks one run: its hash version, its columns against its run file, its score re-computed from
/// its inputs against the scenario text it names (already read into `ctx`), its trainee and its
/// ticket; and, when nothing more telling was found, its hash.
fn check_row(run: &StoredRow, ctx: &RunContext) -> Vec<Problem> {
    let mut problems = Vec::new();
    let v2 = run.hash_version >= HASH_VERSION;
    let hash_ok = run.matches_hash();
    if run.hash_version < 1 || run.hash_version > HASH_VERSION {
        problems.push(run.problem(format!("its hash version {} is not one callforge writes", run.hash_version)));
    } else if !v2 && run.id > ctx.legacy_runs {
        problems.push(run.problem(
            "it carries the hash of runs stored before signatures, which covers fewer columns, though it was \
             stored after: it was written behind callforge's back",
        ));
    }
    let playable = ctx.snapshots.get(&run.scenario_hash).and_then(Option::as_ref);
    match crate::domain::parse::ron_options().from_str::<Run>(&run.run_ron) {
        Err(e) => problems.push(run.problem(format!("the run file no longer parses: {e}"))),
        Ok(file) => {
            compare_file(run, &file, v2, ctx, &mut problems);
            match playable {
                None => {
                    let short: String = run.scenario_hash.chars().take(12).collect();
                    problems.push(
                        run.problem(format!("the scenario text it was scored against ({short}) is missing or altered")),
                    );
                }
                Some(p) => rescore(p, run, &file, v2, !hash_ok, &mut problems),
            }
            if v2 && run.ticket != 0 {
                check_run_ticket(run, &file, ctx, &mut problems);
            }
        }
    }
    if problems.is_empty() && !hash_ok {
        problems.push(run.problem("the row was edited: it does not match its hash"));
    }
    problems
}

/// "the mode differs from what was recorded: the row says Exam, its run file Practice".
fn differs(what: &str, row: impl std::fmt::Display, file: impl std::fmt::Display) -> String {
    format!("the {what} differs from what was recorded: the row says {row}, its run file {file}")
}

/// Compares the columns a run file fixes with the row: scenario, its text, mode, and (for rows
/// of hash version 2) the trainee, the fingerprint and the time played.
fn compare_file(run: &StoredRow, file: &Run, v2: bool, ctx: &RunContext, problems: &mut Vec<Problem>) {
    if file.scenario != run.scenario {
        problems.push(run.problem(differs("scenario", &run.scenario, &file.scenario)));
    }
    if file.mode.as_str() != run.mode {
        problems.push(run.problem(differs("mode", &run.mode, file.mode)));
    }
    if file.hash.as_deref().is_some_and(|h| h != run.scenario_hash) {
        problems.push(run.problem("the scenario text it names differs from the one its run file was played on"));
    }
    if !v2 {
        return;
    }
    match ctx.trainees.get(&run.trainee_id) {
        None => problems.push(run.problem(format!("it belongs to trainee {}, who does not exist", run.trainee_id))),
        Some(t) if !same_trainee(&file.trainee, &t.name) => problems.push(run.problem(format!(
            "the run file is {}'s, but the row gives it to trainee {} ({}): the run was moved to another trainee",
            file.trainee, t.id, t.name
        ))),
        Some(_) => {}
    }
    if fingerprint(file) != run.fingerprint {
        problems.push(run.problem("its fingerprint differs from its run file's"));
    }
    if let Some(played) = file.played_at.as_deref().and_then(parse_time)
        && played != run.played_at
    {
        problems.push(run.problem(differs("time played", format_time(run.played_at), format_time(played))));
    }
    let duration = file.times_ms.last().copied().unwrap_or(0) as i64;
    if duration != run.duration_ms {
        problems.push(run.problem(differs(
            "length of the call",
            format!("{} ms", run.duration_ms),
            format!("{duration} ms"),
        )));
    }
}

/// Replays a stored run and compares what it scores with the row; for rows of hash version 2,
/// every scored column, and when the row does not match its hash (`explain`), the breakdown too
/// (the hash covers it otherwise: writing it out again for every run would cost more than all the
/// rest).
fn rescore(
    playable: &Arc<Playable>,
    run: &StoredRow,
    file: &Run,
    v2: bool,
    explain: bool,
    problems: &mut Vec<Problem>,
) {
    if playable.scenario.role.as_str() != run.role {
        problems.push(run.problem(differs("role", &run.role, playable.scenario.role)));
    }
    if i64::from(playable.scenario.version) != run.version {
        problems.push(run.problem(differs("scenario version", run.version, playable.scenario.version)));
    }
    let dialogue = match replay(playable, file, true) {
        Ok(d) => d,
        Err(e) => {
            problems.push(run.problem(format!("the inputs no longer replay: {e}")));
            return;
        }
    };
    let s = score(&dialogue);
    let differs_score =
        i64::from(s.score) != run.score || s.passed != run.passed || s.critical.is_empty() == run.critical;
    if differs_score {
        problems.push(run.problem(format!(
            "stored score {} ({}{}) but its inputs score {} ({}{})",
            run.score,
            if run.passed { "passed" } else { "failed" },
            if run.critical { ", critical error" } else { "" },
            s.score,
            if s.passed { "passed" } else { "failed" },
            if s.critical.is_empty() { "" } else { ", critical error" },
        )));
    }
    if !v2 {
        return;
    }
    let finished = matches!(
        dialogue.ending(),
        Some(crate::domain::runtime::Ending::End { .. } | crate::domain::runtime::Ending::Drilled)
    );
    if finished != run.finished {
        problems.push(run.problem(differs("finished mark", run.finished, finished)));
    }
    if s.adherence.to_bits() != run.adherence.to_bits() {
        problems.push(run.problem(differs("adherence", run.adherence, s.adherence)));
    }
    if super::rows::outcome_str(s.outcome) != run.outcome || s.label != run.label {
        problems.push(run.problem(differs("outcome", &run.label, &s.label)));
    }
    if i64::from(s.scorer) != run.scorer {
        problems.push(run.problem(differs("scorer version", run.scorer, s.scorer)));
    }
    if explain && !differs_score && serde_json::to_string(&s).is_ok_and(|b| b != run.breakdown) {
        problems.push(run.problem("the stored score breakdown differs from what its inputs give"));
    }
}

/// Checks a run's ticket: valid, issued for this trainee, scenario, text, mode and seed, and used
/// before it expired (that no other run used it is checked in order, in `check_rows`).
fn check_run_ticket(run: &StoredRow, file: &Run, ctx: &RunContext, problems: &mut Vec<Problem>) {
    let id = run.ticket;
    let Some((ticket, valid)) = ctx.tickets.get(&id) else {
        problems.push(run.problem(format!("it names exam ticket {id}, which does not exist")));
        return;
    };
    if !valid {
        problems.push(run.problem(format!("its exam ticket {id} is not valid (see ticket {id})")));
    }
    if ticket.trainee_id != run.trainee_id {
        problems.push(run.problem(format!(
            "its exam ticket {id} was issued for trainee {}, not trainee {}: the run was moved to another trainee",
            ticket.trainee_id, run.trainee_id
        )));
    }
    if ticket.scenario != run.scenario || ticket.scenario_hash != run.scenario_hash {
        problems
            .push(run.problem(format!("its exam ticket {id} was issued for another scenario ({})", ticket.scenario)));
    }
    if ticket.mode.as_str() != run.mode || ticket.seed != file.seed {
        problems.push(run.problem(format!(
            "it was not played as its exam ticket {id} says (mode {}, seed {})",
            ticket.mode, ticket.seed
        )));
    }
    if run.recorded_at < ticket.issued_at || run.recorded_at > ticket.expires_at {
        problems.push(run.problem(format!(
            "it was recorded at {}, outside the time its exam ticket {id} was good for ({} to {})",
            format_time(run.recorded_at),
            format_time(ticket.issued_at),
            format_time(ticket.expires_at)
        )));
    }
}
