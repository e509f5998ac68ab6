//! The report's tables as CSV files, UTF-8 with a byte-order mark so Excel opens Cyrillic correctly.

use super::TeamReport;
use crate::domain::time::format_time;
use std::path::{Path, PathBuf};

/// The byte-order mark Excel looks for to read a CSV file as UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn write(path: &Path, header: &[&str], rows: Vec<Vec<String>>) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(Vec::with_capacity(4096));
    w.write_record(header).map_err(std::io::Error::other)?;
    for r in rows {
        w.write_record(&r).map_err(std::io::Error::other)?;
    }
    let body = w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut bytes = BOM.to_vec();
    bytes.extend(body);
    let tmp = path.with_extension("csv.tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Writes trainees.csv, runs.csv, stages.csv and promotions.csv into `dir`; returns their paths.
pub fn write_all(report: &TeamReport, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let name_of = |id: i64| {
        report.trainees.iter().find(|t| t.trainee.id == id).map(|t| t.trainee.name.clone()).unwrap_or_default()
    };
    let trainees = dir.join("trainees.csv");
    write(
        &trainees,
        &["id", "name", "role", "runs", "runs_this_week", "average", "best", "last_activity", "eligible", "missing"],
        report
            .trainees
            .iter()
            .map(|t| {
                vec![
                    t.trainee.id.to_string(),
                    t.trainee.name.clone(),
                    t.trainee.role.to_string(),
                    t.runs.len().to_string(),
                    t.runs_this_week.to_string(),
                    opt(t.average.map(|a| format!("{a:.1}"))),
                    opt(t.best),
                    opt(t.last_activity.map(format_time)),
                    t.eligible().to_string(),
                    t.eligibility.as_ref().map(|e| e.missing.join("; ")).unwrap_or_default(),
                ]
            })
            .collect(),
    )?;
    let runs = dir.join("runs.csv");
    write(
        &runs,
        &[
            "id",
            "trainee_id",
            "trainee",
            "scenario",
            "role",
            "mode",
            "score",
            "adherence",
            "passed",
            "critical",
            "outcome",
            "label",
            "played_at",
            "duration_s",
        ],
        report
            .trainees
            .iter()
            .flat_map(|t| t.runs.iter())
            .map(|r| {
                vec![
                    r.id.to_string(),
                    r.trainee_id.to_string(),
                    name_of(r.trainee_id),
                    r.scenario.clone(),
                    r.role.to_string(),
                    r.mode.to_string(),
                    r.score.to_string(),
                    format!("{:.2}", r.adherence),
                    r.passed.to_string(),
                    r.critical.to_string(),
                    format!("{:?}", r.outcome),
                    r.label.clone(),
                    format_time(r.played_at),
                    format!("{:.1}", r.duration_ms as f64 / 1000.0),
                ]
            })
            .collect(),
    )?;
    let stages = dir.join("stages.csv");
    let mut stage_rows = Vec::new();
    for t in &report.trainees {
        for c in &report.stages {
            if let Some((q, n)) = report.heat.get(&(t.trainee.id, c.key.clone())) {
                stage_rows.push(vec![
                    t.trainee.id.to_string(),
                    t.trainee.name.clone(),
                    c.role.to_string(),
                    c.key.clone(),
                    c.title.clone(),
                    format!("{:.3}", q),
                    n.to_string(),
                ]);
            }
        }
    }
    write(&stages, &["trainee_id", "trainee", "role", "stage", "title", "quality", "runs"], stage_rows)?;
    let promotions = dir.join("promotions.csv");
    write(
        &promotions,
        &["id", "trainee_id", "trainee", "kind", "from_role", "to_role", "manager", "at"],
        report
            .promotions
            .iter()
            .map(|p| {
                vec![
                    p.id.to_string(),
                    p.trainee_id.to_string(),
                    name_of(p.trainee_id),
                    p.kind.clone(),
                    p.from_role.to_string(),
                    p.to_role.to_string(),
                    p.manager.clone(),
                    format_time(p.at),
                ]
            })
            .collect(),
    )?;
    Ok(vec![trainees, runs, stages, promotions])
}
