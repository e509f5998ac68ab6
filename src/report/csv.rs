//! The report's tables as CSV files, UTF-8 with a byte-order mark so Excel opens Cyrillic correctly.

use super::TeamReport;
use crate::domain::feedback::Lang;
use crate::domain::time::format_time;
use std::path::{Path, PathBuf};

/// The byte-order mark Excel looks for to read a CSV file as UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn write(path: &Path, header: &[&str], rows: Vec<Vec<String>>) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(Vec::with_capacity(4096));
    w.write_record(header).map_err(std::io::Error::other)?;
    for r in rows {
        w.write_record(r.iter().map(|cell| neutralise(cell).into_owned())).map_err(std::io::Error::other)?;
    }
    let body = w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut bytes = BOM.to_vec();
    bytes.extend(body);
    super::write_atomic(path, &bytes)
}

/// A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading `'`, so it is shown as the text it is (OWASP, CSV injection).
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// One CSV file: its name, its header and its rows.
type Table<'a> = (&'a str, &'a [&'a str], Vec<Vec<String>>);

/// Writes trainees.csv, runs.csv, stages.csv, promotions.csv and assignments.csv into `dir`; returns their paths.
/// What trainees still miss is said in `lang`; the column names are the same in every language.
pub fn write_all(report: &TeamReport, dir: &Path, lang: Lang) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let tables: [Table; 5] = [
        (
            "trainees.csv",
            &[
                "id",
                "name",
                "role",
                "runs",
                "runs_this_week",
                "average",
                "best",
                "last_activity",
                "eligible",
                "missing",
                "language",
                "exams",
            ],
            trainee_rows(report, lang),
        ),
        (
            "runs.csv",
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
                "scorer",
                "scenario_version",
                "scenario_hash",
            ],
            run_rows(report),
        ),
        ("stages.csv", &["trainee_id", "trainee", "role", "stage", "title", "quality", "runs"], stage_rows(report)),
        (
            "promotions.csv",
            &["id", "trainee_id", "trainee", "kind", "from_role", "to_role", "manager", "at"],
            promotion_rows(report),
        ),
        (
            "assignments.csv",
            &[
                "assignment_id",
                "trainee_id",
                "trainee",
                "task",
                "scenario",
                "mode",
                "stage",
                "answers",
                "due",
                "min_score",
                "state",
                "late",
                "done_at",
                "run_id",
                "counted",
                "needed",
                "attempts",
                "best",
                "manager",
                "note",
            ],
            assignment_rows(report),
        ),
    ];
    let mut paths = Vec::with_capacity(tables.len());
    for (name, header, rows) in tables {
        let path = dir.join(name);
        write(&path, header, rows)?;
        paths.push(path);
    }
    Ok(paths)
}

/// One row per trainee and assignment.
fn assignment_rows(report: &TeamReport) -> Vec<Vec<String>> {
    use crate::domain::assign::Task;
    let mut rows = Vec::new();
    for t in &report.trainees {
        for item in &t.assignments {
            let (a, p) = (&item.assignment, &item.progress);
            let (scenario, mode, stage, answers) = match &a.task {
                Task::Call { scenario, mode } => (scenario.clone(), mode.to_string(), String::new(), 1),
                Task::Drills { stage, count } => {
                    (String::new(), String::new(), stage.clone().unwrap_or_default(), *count)
                }
            };
            rows.push(vec![
                a.id.to_string(),
                t.trainee.id.to_string(),
                t.trainee.name.clone(),
                a.task.kind().to_owned(),
                scenario,
                mode,
                stage,
                answers.to_string(),
                format_time(a.due),
                opt(a.min_score),
                p.state.as_str().to_owned(),
                p.late.to_string(),
                opt(p.done_at.map(format_time)),
                opt(p.run),
                p.counted.to_string(),
                p.needed.to_string(),
                p.attempts.to_string(),
                opt(p.best),
                a.manager.clone(),
                a.note.clone(),
            ]);
        }
    }
    rows
}

/// The name of trainee `id`, or nothing.
fn name_of(report: &TeamReport, id: i64) -> String {
    report.trainees.iter().find(|t| t.trainee.id == id).map(|t| t.trainee.name.clone()).unwrap_or_default()
}

/// A trainee's exams in their language, each with ✓ when passed and ✗ when not yet.
fn exams_cell(t: &super::TraineeSummary) -> String {
    let exams = t.eligibility.iter().flat_map(|e| &e.exams);
    exams.map(|x| format!("{} {}", x.scenario, if x.passed { "✓" } else { "✗" })).collect::<Vec<_>>().join("; ")
}

fn trainee_rows(report: &TeamReport, lang: Lang) -> Vec<Vec<String>> {
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
                t.eligibility.as_ref().map(|e| e.missing_in(lang).join("; ")).unwrap_or_default(),
                t.language.clone(),
                exams_cell(t),
            ]
        })
        .collect()
}

fn run_rows(report: &TeamReport) -> Vec<Vec<String>> {
    report
        .trainees
        .iter()
        .flat_map(|t| t.runs.iter())
        .map(|r| {
            vec![
                r.id.to_string(),
                r.trainee_id.to_string(),
                name_of(report, r.trainee_id),
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
                r.scorer.to_string(),
                r.version.to_string(),
                r.scenario_hash.clone(),
            ]
        })
        .collect()
}

fn stage_rows(report: &TeamReport) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for t in &report.trainees {
        for c in &report.stages {
            if let Some((q, n)) = report.heat.get(&(t.trainee.id, c.key.clone())) {
                rows.push(vec![
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
    rows
}

fn promotion_rows(report: &TeamReport) -> Vec<Vec<String>> {
    report
        .promotions
        .iter()
        .map(|p| {
            vec![
                p.id.to_string(),
                p.trainee_id.to_string(),
                name_of(report, p.trainee_id),
                p.kind.clone(),
                p.from_role.to_string(),
                p.to_role.to_string(),
                p.manager.clone(),
                format_time(p.at),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tcmd"), "'\tcmd");
        assert_eq!(neutralise("Ольга"), "Ольга");
        assert_eq!(neutralise("42"), "42");
    }
}
