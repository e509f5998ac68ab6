//! Runs: checking and scoring a finished run, storing it on the runs' hash chain, and reading runs and statistics back.
//!
//! A run file is checked, not trusted: it must name the version and content hash of the scenario
//! it was played on and the trainee it is stored for; a Recall run must type every line the script
//! expects; typed replies have a length limit; the same run is stored once. The time the rules use
//! is when the records received a run, never the time a run file claims. An exam attempt counts
//! only with a proctor's ticket (`tickets.rs`).

use super::chain::{RUNS_HEAD, RunSeal2, chain_head, run_hash_2, set_chain_head};
use super::db::Db;
use super::rows::{RUN_COLUMNS, mode_of, outcome_str, role_of, run_row};
use super::{ExamNote, Records, RecordsError, RunRow, StageStat, StoredRun, Trainee, TraineeRef};
use crate::domain::ladder::{RunFact, Sitting, exam_note};
use crate::domain::limits::MAX_TYPED_CHARS;
use crate::domain::model::{Input, Mode, Role, Run};
use crate::domain::runtime::{Ending, Reply};
use crate::domain::schedule::{DAY, Review};
use crate::domain::time::parse_time;
use crate::domain::{Library, Playable, Score, replay, score};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// The hash version new runs are chained with (`chain::run_hash_2`).
pub(super) const HASH_VERSION: i64 = 2;

impl Records {
    /// Checks and scores a finished run against the library and stores it with its breakdown,
    /// chained to the previous run. The run must fit the current scenario exactly. Without a
    /// ticket, a run in an exam's mode counts as practice.
    pub fn store_run(
        &mut self,
        who: impl Into<TraineeRef>,
        lib: &Library,
        run: &Run,
    ) -> Result<StoredRun, RecordsError> {
        let mut stored = self.store_all(&[(who.into(), run, None)], lib)?;
        Ok(stored.remove(0))
    }

    /// Stores an exam run sat with a proctor's ticket (from [`Records::issue_ticket`]): the run
    /// must be the ticket's trainee, scenario, mode and seed, recorded before the ticket expires;
    /// otherwise it is refused and nothing is stored.
    pub fn store_run_with_ticket(
        &mut self,
        who: impl Into<TraineeRef>,
        lib: &Library,
        run: &Run,
        ticket: i64,
    ) -> Result<StoredRun, RecordsError> {
        let mut stored = self.store_all(&[(who.into(), run, Some(ticket))], lib)?;
        Ok(stored.remove(0))
    }

    /// Stores several runs in one transaction: all of them, or none if any does not fit.
    pub fn store_runs(&mut self, runs: &[(TraineeRef, &Run)], lib: &Library) -> Result<Vec<StoredRun>, RecordsError> {
        let items: Vec<(TraineeRef, &Run, Option<i64>)> = runs.iter().map(|(w, r)| (w.clone(), *r, None)).collect();
        self.store_all(&items, lib)
    }

    /// Stores runs, each with its ticket if it has one, in one transaction.
    pub fn store_all(
        &mut self,
        runs: &[(TraineeRef, &Run, Option<i64>)],
        lib: &Library,
    ) -> Result<Vec<StoredRun>, RecordsError> {
        self.writable()?;
        let now = self.now();
        let mut trainees: HashMap<&TraineeRef, Trainee> = HashMap::new();
        let mut facts: HashMap<i64, Vec<RunFact>> = HashMap::new();
        let mut fingerprints = HashSet::new();
        let mut tickets = HashSet::new();
        let mut prepared = Vec::with_capacity(runs.len());
        for (who, run, ticket) in runs {
            if !trainees.contains_key(who) {
                let t = self.find_trainee(who)?;
                trainees.insert(who, t);
            }
            let trainee = trainees[who].clone();
            if !facts.contains_key(&trainee.id) && lib.ladder.is_some() {
                let f = self.run_facts(trainee.id)?;
                facts.insert(trainee.id, f);
            }
            let checked = check(lib, &trainee, run)?;
            let fingerprint = fingerprint(run);
            if let Some(id) =
                self.db.query_value("SELECT id FROM runs WHERE fingerprint = $1", &[fingerprint.as_str().into()])?
            {
                return Err(RecordsError::AlreadyStored { run: id.int() });
            }
            if !fingerprints.insert(fingerprint.clone()) {
                return Err(RecordsError::AlreadyStored { run: 0 });
            }
            if let Some(t) = ticket {
                self.check_ticket(*t, &trainee, &checked.playable, run, now)?;
                if !tickets.insert(*t) {
                    return Err(RecordsError::TicketInvalid {
                        ticket: *t,
                        why: "two runs of the batch name it".into(),
                    });
                }
            }
            let earlier = facts.get(&trainee.id).map(Vec::as_slice).unwrap_or(&[]);
            let p = prepare(lib, trainee, run, checked, fingerprint, *ticket, now, earlier)?;
            if let Some(f) = facts.get_mut(&p.trainee.id) {
                f.push(p.fact.clone());
            }
            prepared.push(p);
        }
        let ids = self.write(|db| prepared.iter().map(|p| insert_run(db, p, now)).collect::<Result<Vec<i64>, _>>())?;
        Ok(prepared.into_iter().zip(ids).map(|(p, id)| StoredRun { id, score: p.score, exam: p.exam }).collect())
    }

    /// What the certification rules need of every run of a trainee.
    pub fn run_facts(&mut self, trainee_id: i64) -> Result<Vec<RunFact>, RecordsError> {
        Ok(self
            .db
            .query(
                "SELECT scenario, role, mode, score, critical, finished, version, scenario_hash, recorded_at, ticket_id,
                    hash_version
                 FROM runs WHERE trainee_id = $1 ORDER BY id",
                &[trainee_id.into()],
            )?
            .into_iter()
            .map(|r| RunFact {
                scenario: r[0].text(),
                role: role_of(&r[1].text()),
                mode: mode_of(&r[2].text()),
                score: r[3].int() as u32,
                critical: r[4].int() != 0,
                finished: r[5].int() != 0,
                version: r[6].int() as u32,
                hash: r[7].text(),
                at: r[8].int(),
                sitting: sitting(r[9].int(), r[10].int()),
            })
            .collect())
    }

    /// The runs of one trainee, or of everyone, oldest first.
    pub fn runs(&mut self, trainee_id: Option<i64>) -> Result<Vec<RunRow>, RecordsError> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM runs");
        let rows = match trainee_id {
            Some(t) => self.db.query(&format!("{sql} WHERE trainee_id = $1 ORDER BY id"), &[t.into()])?,
            None => self.db.query(&format!("{sql} ORDER BY id"), &[])?,
        };
        Ok(rows.into_iter().map(|r| run_row(&r)).collect())
    }

    /// Every run played since a time (seconds since the epoch), optionally of one role's scenarios.
    pub fn runs_since(&mut self, since: Option<i64>, role: Option<Role>) -> Result<Vec<RunRow>, RecordsError> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM runs WHERE played_at >= $1");
        let since = since.unwrap_or(i64::MIN).into();
        let rows = match role {
            Some(r) => self.db.query(&format!("{sql} AND role = $2 ORDER BY id"), &[since, r.as_str().into()])?,
            None => self.db.query(&format!("{sql} ORDER BY id"), &[since])?,
        };
        Ok(rows.into_iter().map(|r| run_row(&r)).collect())
    }

    /// The chained hash of every run, by id (stable identifiers for exports).
    pub fn run_hashes(&mut self) -> Result<HashMap<i64, String>, RecordsError> {
        Ok(self.db.query("SELECT id, hash FROM runs", &[])?.into_iter().map(|r| (r[0].int(), r[1].text())).collect())
    }

    /// How each trainee did on each script stage since a time: mean quality over the runs that
    /// reached it.
    pub fn stage_stats(&mut self, since: Option<i64>, role: Option<Role>) -> Result<Vec<StageStat>, RecordsError> {
        let sql = "SELECT s.trainee_id, s.role, s.stage, MIN(s.title), AVG(s.quality), COUNT(*)
                   FROM run_stages s JOIN runs r ON r.id = s.run_id WHERE r.played_at >= $1";
        let since = since.unwrap_or(i64::MIN).into();
        let rows = match role {
            Some(r) => self.db.query(
                &format!("{sql} AND s.role = $2 GROUP BY s.trainee_id, s.role, s.stage"),
                &[since, r.as_str().into()],
            )?,
            None => self.db.query(&format!("{sql} GROUP BY s.trainee_id, s.role, s.stage"), &[since])?,
        };
        Ok(rows
            .into_iter()
            .map(|r| StageStat {
                trainee_id: r[0].int(),
                role: role_of(&r[1].text()),
                stage: r[2].text(),
                title: r[3].text(),
                quality: r[4].real(),
                runs: r[5].int() as u32,
            })
            .collect())
    }

    /// How each script stage went for one trainee, a review per stage and day (UTC) for
    /// `domain::schedule`: the start of the day the records received the runs, the role, the
    /// stage, the day's mean quality, and whether any answer that day was typed. Grouped by the
    /// database from one covering index, so 10,000 runs come back as a few hundred rows.
    pub fn stage_reviews(&mut self, trainee_id: i64) -> Result<Vec<Review>, RecordsError> {
        Ok(self
            .db
            .query(
                "SELECT day * 86400, role, stage, AVG(quality), MAX(typed)
                 FROM run_stages WHERE trainee_id = $1
                 GROUP BY role, stage, day",
                &[trainee_id.into()],
            )?
            .into_iter()
            .map(|r| Review {
                at: r[0].int(),
                role: role_of(&r[1].text()),
                stage: r[2].text(),
                quality: r[3].real(),
                typed: r[4].int() != 0,
            })
            .collect())
    }

    /// The score breakdown (with every turn's feedback) and the run file of a stored run.
    pub fn run_detail(&mut self, run_id: i64) -> Result<(RunRow, Score, Run), RecordsError> {
        let rows = self
            .db
            .query(&format!("SELECT {RUN_COLUMNS}, breakdown, run_ron FROM runs WHERE id = $1"), &[run_id.into()])?;
        let r = rows.into_iter().next().ok_or(RecordsError::NoRun(run_id))?;
        let breakdown: Score = serde_json::from_str(&r[20].text())
            .map_err(|source| RecordsError::StoredBreakdown { run: run_id, source })?;
        let run: Run = crate::domain::parse::ron_options()
            .from_str(&r[21].text())
            .map_err(|source| RecordsError::StoredRunFile { run: run_id, source: Box::new(source) })?;
        Ok((run_row(&r), breakdown, run))
    }

    /// Best score per scenario for a trainee.
    pub fn best_scores(&mut self, trainee_id: i64) -> Result<BTreeMap<String, u32>, RecordsError> {
        Ok(self
            .db
            .query(
                "SELECT scenario, MAX(score) FROM runs WHERE trainee_id = $1 AND mode <> 'Drill' GROUP BY scenario",
                &[trainee_id.into()],
            )?
            .into_iter()
            .map(|r| (r[0].text(), r[1].int() as u32))
            .collect())
    }
}

/// How a run was sat, from its ticket and hash version: a run of hash version 1 was stored before
/// proctor tickets existed.
pub(super) fn sitting(ticket: i64, hash_version: i64) -> Sitting {
    if ticket != 0 {
        Sitting::Ticket
    } else if hash_version < HASH_VERSION {
        Sitting::BeforeTickets
    } else {
        Sitting::NoTicket
    }
}

/// Whether the name a run file gives is the trainee's (spaces at either end and letter case aside).
pub(super) fn same_trainee(run_trainee: &str, name: &str) -> bool {
    run_trainee.trim().to_lowercase() == name.trim().to_lowercase()
}

/// A run file's fingerprint: the SHA-256 of everything it says but the times it claims (when it
/// was played, when each input was given), so the same run stored again is recognised: the
/// scenario, its version and text hash, the seed, the mode, the trainee, the scorer version, and
/// each input (`c:N` a pick, `t:TEXT` a typed line, `h` a hang-up).
pub(super) fn fingerprint(run: &Run) -> String {
    let head = [
        run.scenario.clone(),
        run.version.map_or_else(String::new, |v| v.to_string()),
        run.hash.clone().unwrap_or_default(),
        run.seed.to_string(),
        run.mode.as_str().to_owned(),
        run.trainee.clone(),
        run.scorer.unwrap_or(1).to_string(),
    ];
    let inputs: Vec<String> = run
        .inputs
        .iter()
        .map(|i| match i {
            Input::Choose(n) => format!("c:{n}"),
            Input::Type(t) => format!("t:{t}"),
            Input::HangUp => "h".to_owned(),
        })
        .collect();
    let mut parts: Vec<&str> = vec!["callforge-run-fingerprint"];
    parts.extend(head.iter().map(String::as_str));
    parts.extend(inputs.iter().map(String::as_str));
    crate::domain::digest::sha256_parts(&parts)
}

/// A run file that passed the checks, replayed against its scenario.
struct Checked {
    playable: Arc<Playable>,
    dialogue: crate::domain::Dialogue,
}

/// The checks a run file must pass before it is stored: it names the scenario version and text it
/// was played on (and they are the current ones), its trainee is the one it is stored for, no typed
/// reply is too long, it replays, and in Recall mode every line the script expects was typed.
fn check(lib: &Library, trainee: &Trainee, run: &Run) -> Result<Checked, RecordsError> {
    let playable = lib.scenario(&run.scenario).ok_or_else(|| RecordsError::ScenarioMissing(run.scenario.clone()))?;
    if run.version.is_none() || run.hash.is_none() {
        return Err(RecordsError::RunUnversioned);
    }
    if !same_trainee(&run.trainee, &trainee.name) {
        return Err(RecordsError::WrongTrainee { run_trainee: run.trainee.clone(), trainee: trainee.name.clone() });
    }
    for (i, input) in run.inputs.iter().enumerate() {
        if let Input::Type(text) = input {
            let chars = text.chars().count();
            if chars > MAX_TYPED_CHARS {
                return Err(RecordsError::TypedTooLong { turn: i + 1, chars, max: MAX_TYPED_CHARS });
            }
        }
    }
    let dialogue = replay(playable, run, false).map_err(RecordsError::RunDoesNotFit)?;
    if run.mode == Mode::Recall {
        for (i, turn) in dialogue.turns().iter().enumerate() {
            if matches!(turn.reply, Reply::Chose(_)) && playable.expected_stage(turn.node).is_some() {
                return Err(RecordsError::ChoiceInRecall { turn: i + 1 });
            }
        }
    }
    Ok(Checked { playable: Arc::clone(playable), dialogue })
}

/// A run scored and ready to insert.
struct Prepared {
    trainee: Trainee,
    playable: Arc<Playable>,
    run_ron: String,
    breakdown: String,
    score: Score,
    mode: Mode,
    critical: bool,
    finished: bool,
    played_at: i64,
    duration_ms: i64,
    fingerprint: String,
    ticket: i64,
    exam: Option<ExamNote>,
    fact: RunFact,
}

/// Scores a checked run and works out whether it is an exam attempt that counts, given the
/// trainee's earlier runs.
#[allow(clippy::too_many_arguments)] // each is one fact about the run being stored
fn prepare(
    lib: &Library,
    trainee: Trainee,
    run: &Run,
    checked: Checked,
    fingerprint: String,
    ticket: Option<i64>,
    now: i64,
    earlier: &[RunFact],
) -> Result<Prepared, RecordsError> {
    let Checked { playable, dialogue } = checked;
    let s = score(&dialogue);
    let finished = matches!(dialogue.ending(), Some(Ending::End { .. } | Ending::Drilled));
    let played_at = run.played_at.as_deref().and_then(parse_time).unwrap_or(now);
    let critical = !s.critical.is_empty();
    let ticket = ticket.unwrap_or(0);
    let fact = RunFact {
        scenario: playable.id().to_owned(),
        role: playable.scenario.role,
        mode: run.mode,
        score: s.score,
        critical,
        finished,
        version: playable.scenario.version,
        hash: playable.hash().to_owned(),
        at: now,
        sitting: sitting(ticket, HASH_VERSION),
    };
    let exam = exam_note(lib, trainee.role, &playable, &s, &fact, earlier);
    Ok(Prepared {
        trainee,
        run_ron: crate::domain::model::run_to_ron(run)?,
        breakdown: serde_json::to_string(&s)?,
        mode: run.mode,
        critical,
        finished,
        played_at,
        duration_ms: run.times_ms.last().copied().unwrap_or(0) as i64,
        fingerprint,
        ticket,
        exam,
        fact,
        score: s,
        playable,
    })
}

/// Inserts a prepared run inside the caller's write transaction, chained to the previous run.
fn insert_run(db: &mut Db, p: &Prepared, now: i64) -> Result<i64, RecordsError> {
    let (playable, s, trainee) = (&p.playable, &p.score, &p.trainee);
    db.execute(
        "INSERT INTO scenario_versions (hash, scenario_id, version, scenario_ron, script_ron) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (hash) DO NOTHING",
        &[
            playable.hash().into(),
            playable.id().into(),
            playable.scenario.version.into(),
            playable.scenario_source.text.as_str().into(),
            playable.script_source.text.as_str().into(),
        ],
    )?;
    let prev = chain_head(db, RUNS_HEAD)?;
    let seal = RunSeal2 {
        trainee_id: trainee.id,
        scenario: playable.id(),
        role: playable.scenario.role.as_str(),
        version: i64::from(playable.scenario.version),
        scenario_hash: playable.hash(),
        mode: p.mode.as_str(),
        run_ron: &p.run_ron,
        score: i64::from(s.score),
        adherence: s.adherence,
        passed: s.passed,
        critical: p.critical,
        finished: p.finished,
        outcome: outcome_str(s.outcome),
        label: &s.label,
        breakdown: &p.breakdown,
        played_at: p.played_at,
        recorded_at: now,
        duration_ms: p.duration_ms,
        scorer: i64::from(s.scorer),
        ticket: p.ticket,
        fingerprint: &p.fingerprint,
    };
    let hash = run_hash_2(&prev, &seal);
    let id = db
        .query_value(
            "INSERT INTO runs (trainee_id, scenario, role, version, scenario_hash, mode, run_ron, score, adherence,
                passed, critical, finished, outcome, label, breakdown, played_at, recorded_at, prev_hash, hash, duration_ms,
                scorer, hash_version, ticket_id, fingerprint)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                $22, $23, $24)
             RETURNING id",
            &[
                trainee.id.into(),
                seal.scenario.into(),
                seal.role.into(),
                seal.version.into(),
                seal.scenario_hash.into(),
                seal.mode.into(),
                p.run_ron.as_str().into(),
                seal.score.into(),
                s.adherence.into(),
                s.passed.into(),
                p.critical.into(),
                p.finished.into(),
                seal.outcome.into(),
                s.label.as_str().into(),
                p.breakdown.as_str().into(),
                p.played_at.into(),
                now.into(),
                prev.as_str().into(),
                hash.as_str().into(),
                p.duration_ms.into(),
                seal.scorer.into(),
                HASH_VERSION.into(),
                p.ticket.into(),
                p.fingerprint.as_str().into(),
            ],
        )?
        .map_or(0, |v| v.int());
    set_chain_head(db, RUNS_HEAD, &hash)?;
    let when = (now.div_euclid(DAY), crate::domain::schedule::typed(p.mode));
    insert_stages(db, id, trainee.id, playable.scenario.role.as_str(), s, Some(when))?;
    if let Some(e) = &p.exam {
        insert_exam_result(db, id, trainee.id, p, e)?;
    }
    let ticket = if p.ticket != 0 { format!(", ticket {}", p.ticket) } else { String::new() };
    let what = format!("run {id}: {} {} score {}{ticket}", playable.id(), p.mode, s.score);
    Records::audit(db, now, &trainee.name, "run.record", &what)?;
    Ok(id)
}

/// Records an exam attempt beside its run.
fn insert_exam_result(
    db: &mut Db,
    run_id: i64,
    trainee_id: i64,
    p: &Prepared,
    e: &ExamNote,
) -> Result<(), RecordsError> {
    db.execute(
        "INSERT INTO exam_results (run_id, trainee_id, scenario, to_role, mode, score, passed, counted, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            run_id.into(),
            trainee_id.into(),
            e.scenario.as_str().into(),
            e.to_role.as_str().into(),
            p.mode.as_str().into(),
            p.score.score.into(),
            e.passed.into(),
            e.counted.into(),
            e.note.as_str().into(),
        ],
    )?;
    Ok(())
}

/// One row per script stage the call reached, for the managers' reports and drill schedules:
/// with `when` (the day the records received the run, and whether it was typed) from schema 7 on;
/// without it while an old database is being upgraded (schema 3 fills in its rows before schema 7
/// adds those columns and fills them from the runs).
pub(super) fn insert_stages(
    db: &mut Db,
    run_id: i64,
    trainee_id: i64,
    role: &str,
    s: &Score,
    when: Option<(i64, bool)>,
) -> Result<(), RecordsError> {
    for st in s.stages.iter().filter(|st| st.turns > 0) {
        let mut values: Vec<super::db::SqlValue> = vec![
            run_id.into(),
            trainee_id.into(),
            role.into(),
            st.id.as_str().into(),
            st.title.as_str().into(),
            st.quality.unwrap_or(0.0).into(),
            st.turns.into(),
        ];
        let sql = match when {
            Some((day, typed)) => {
                values.extend([day.into(), i64::from(typed).into()]);
                "INSERT INTO run_stages (run_id, trainee_id, role, stage, title, quality, turns, day, typed)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            }
            None => {
                "INSERT INTO run_stages (run_id, trainee_id, role, stage, title, quality, turns)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            }
        };
        db.execute(sql, &values)?;
    }
    Ok(())
}
