//! Reports for managers: the team's progress gathered from the records, written as a printable
//! HTML page with inline SVG charts, as CSV tables, or as xAPI statements for an LMS; and the
//! printable script sheet a trainee learns the script from (`script.rs`).
//!
//! Data flows one way: records → `TeamReport` → HTML / CSV / xAPI. Nothing here writes records.

pub mod csv;
pub mod html;
mod html_words;
pub mod script;
pub mod xapi;

use crate::domain::Library;
use crate::domain::ladder::{self, Eligibility, RunFact};
use crate::domain::model::Role;
use crate::records::{PromotionRow, Records, RecordsError, RunRow, StageStat, Trainee};
use std::collections::{BTreeMap, HashMap};

/// Seconds in a week, for "runs this week".
const WEEK: i64 = 7 * 24 * 3600;
/// How many of a trainee's latest runs a report shows turn by turn.
pub const TRANSCRIPTS_PER_TRAINEE: usize = 3;

/// Everything a manager's report shows.
#[derive(Debug, Clone)]
pub struct TeamReport {
    pub generated_at: i64,
    pub since: Option<i64>,
    pub role: Option<Role>,
    pub trainees: Vec<TraineeSummary>,
    /// The heatmap's columns: every script stage reached, weakest first.
    pub stages: Vec<StageColumn>,
    /// Mean quality (0–1) and runs per (trainee id, stage key).
    pub heat: HashMap<(i64, String), (f64, u32)>,
    pub promotions: Vec<PromotionRow>,
    /// How the newest scorer agrees with the trainers' calibration sets, per script.
    pub calibration: Vec<crate::domain::calibrate::SetResult>,
}

/// One script stage across the team.
#[derive(Debug, Clone, PartialEq)]
pub struct StageColumn {
    /// `role/stage`, the same stage id across the scripts of a role (English and Russian).
    pub key: String,
    pub role: Role,
    pub title: String,
    /// Mean quality across the team's runs that reached it.
    pub quality: f64,
    pub runs: u32,
}

/// One trainee's line in the team table, and their page.
#[derive(Debug, Clone)]
pub struct TraineeSummary {
    pub trainee: Trainee,
    /// Runs in the period (and role) of the report.
    pub runs: Vec<RunRow>,
    pub runs_this_week: u32,
    pub average: Option<f64>,
    pub best: Option<u32>,
    pub last_activity: Option<i64>,
    /// The language their exams are listed in: their own, else that of their latest run, else English.
    pub language: String,
    /// Progress toward the next rung, over all their runs, with the exams in `language`.
    pub eligibility: Option<Eligibility>,
    /// The latest runs with their turn-by-turn breakdown.
    pub transcripts: Vec<(RunRow, crate::domain::Score)>,
    /// Drill answers in the period (one typed line each, so not among `runs`).
    pub drills: u32,
    /// What managers assigned them (their own and their rung's, not withdrawn), open and overdue
    /// first, with where each stands now.
    pub assignments: Vec<crate::records::TraineeAssignment>,
}

impl TraineeSummary {
    pub fn eligible(&self) -> bool {
        self.eligibility.as_ref().is_some_and(|e| e.eligible)
    }

    /// How many of their assignments are in `state`.
    pub fn assignments_in(&self, state: crate::domain::assign::State) -> usize {
        self.assignments.iter().filter(|a| a.progress.state == state).count()
    }
}

/// Gathers the team report: every trainee (of `role`, if given), their runs since `since`, their
/// eligibility over all their runs, and how the team does on every script stage.
pub fn team(
    records: &mut Records,
    lib: &Library,
    since: Option<i64>,
    role: Option<Role>,
) -> Result<TeamReport, RecordsError> {
    let now = records.now();
    let all = records.runs(None)?;
    let mut by_trainee: HashMap<i64, Vec<RunRow>> = HashMap::new();
    for r in all {
        by_trainee.entry(r.trainee_id).or_default().push(r);
    }
    let assigned = records.assignments()?;
    let mut trainees = Vec::new();
    for t in records.trainees()? {
        if role.is_some_and(|r| r != t.role) {
            continue;
        }
        let everything = by_trainee.remove(&t.id).unwrap_or_default();
        let facts: Vec<RunFact> = everything.iter().map(RunRow::fact).collect();
        let language = ladder::trainee_language(&t.language, &facts, lib);
        let eligibility = lib.ladder.as_ref().map(|l| ladder::eligibility(l, lib, t.role, &language, &facts, now));
        // The calls: a drill is one line, so it is left out of the call statistics (its stage
        // still counts in the stage strengths below).
        let (drills, runs): (Vec<RunRow>, Vec<RunRow>) = everything
            .into_iter()
            .filter(|r| since.is_none_or(|s| r.played_at >= s))
            .partition(|r| r.mode == crate::domain::model::Mode::Drill);
        let assignments = records.progress_of(&t, &assigned, lib)?;
        let scores: Vec<u32> = runs.iter().map(|r| r.score).collect();
        let mut transcripts = Vec::new();
        for r in runs.iter().rev().take(TRANSCRIPTS_PER_TRAINEE) {
            let (row, score, _) = records.run_detail(r.id)?;
            transcripts.push((row, score));
        }
        trainees.push(TraineeSummary {
            runs_this_week: runs.iter().filter(|r| r.played_at >= now - WEEK).count() as u32,
            average: (!scores.is_empty())
                .then(|| scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len() as f64),
            best: scores.iter().copied().max(),
            last_activity: runs.iter().map(|r| r.played_at).max(),
            language,
            eligibility,
            transcripts,
            runs,
            drills: drills.len() as u32,
            assignments,
            trainee: t,
        });
    }
    let ids: std::collections::HashSet<i64> = trainees.iter().map(|t| t.trainee.id).collect();
    let stats: Vec<StageStat> =
        records.stage_stats(since, None)?.into_iter().filter(|s| ids.contains(&s.trainee_id)).collect();
    let mut heat = HashMap::new();
    let mut columns: BTreeMap<String, StageColumn> = BTreeMap::new();
    for s in &stats {
        let key = format!("{}/{}", s.role.dir(), s.stage);
        heat.insert((s.trainee_id, key.clone()), (s.quality, s.runs));
        let c = columns.entry(key.clone()).or_insert(StageColumn {
            key,
            role: s.role,
            title: s.title.clone(),
            quality: 0.0,
            runs: 0,
        });
        c.quality += s.quality * f64::from(s.runs);
        c.runs += s.runs;
    }
    let mut stages: Vec<StageColumn> = columns
        .into_values()
        .map(|mut c| {
            c.quality /= f64::from(c.runs.max(1));
            c
        })
        .collect();
    stages.sort_by(|a, b| a.quality.total_cmp(&b.quality).then_with(|| a.key.cmp(&b.key)));
    let promotions = records.promotions(None)?.into_iter().filter(|p| ids.contains(&p.trainee_id)).collect();
    let calibration = crate::domain::calibrate::calibrate_library(lib, crate::domain::scorer::LATEST);
    Ok(TeamReport { generated_at: now, since, role, trainees, stages, heat, promotions, calibration })
}

/// Writes a file whole or not at all: the bytes go to a temporary file beside it that is then
/// renamed into place. On any failure the temporary file is removed and an older file at the path
/// stays as it was.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = std::path::PathBuf::from(tmp);
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Parses a `--since` date: `YYYY-MM-DD` (midnight UTC) or a full RFC 3339 time.
pub fn parse_since(s: &str) -> Option<i64> {
    if let Some(t) = crate::domain::time::parse_time(s) {
        return Some(t);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), &format).ok().map(|d| d.midnight().assume_utc().unix_timestamp())
}
