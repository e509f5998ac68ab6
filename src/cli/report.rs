//! `callforge report`: the team report as printable HTML or as CSV tables.

use super::records_args::DbArg;
use super::{CliError, CliResult, ScenarioDir, load_library};
use crate::domain::Role;
use crate::domain::feedback::Lang;
use crate::report;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Write the managers' report: who trains how much, scores over time, weakest script stages,
/// who is eligible for promotion.
///
/// --out writes one self-contained HTML file (inline charts, no external files) that prints on
/// A4, one page per trainee, with every trainee's assignments (done, open, overdue). --csv writes
/// trainees.csv, runs.csv, stages.csv, promotions.csv and assignments.csv, UTF-8 with a byte-order mark so Excel opens Cyrillic names correctly. Give either or both.
///
/// Examples:
///   callforge report --out report.html
///   callforge report --out closers.html --role closer --since 2026-11-01 --lang ru
///   callforge report --csv tables/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Write the HTML report here.
    #[arg(long, value_name = "FILE.html")]
    out: Option<PathBuf>,
    /// Write the CSV tables into this folder.
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// Only runs played on or after this date (YYYY-MM-DD, UTC) or time (RFC 3339).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    since: Option<i64>,
    /// Only trainees of this rung: generator, closer or account.
    #[arg(long, value_name = "ROLE", value_parser = super::list::parse_role)]
    role: Option<Role>,
    /// The report's language: en or ru (the HTML page's words, and what the CSV says is missing).
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_lang)]
    lang: Lang,
    #[command(flatten)]
    scenarios: ScenarioDir,
    #[command(flatten)]
    db: DbArg,
}

pub(crate) fn parse_since(s: &str) -> Result<i64, String> {
    report::parse_since(s).ok_or_else(|| format!("`{s}` is not a date: use YYYY-MM-DD or an RFC 3339 time"))
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    match s.to_lowercase().as_str() {
        "en" | "english" => Ok(Lang::En),
        "ru" | "russian" | "русский" => Ok(Lang::Ru),
        _ => Err(format!("unknown language `{s}`; use en or ru")),
    }
}

pub fn run(args: Args) -> CliResult {
    if args.out.is_none() && args.csv.is_none() {
        return Err(CliError::msg("say where to write the report: --out FILE.html and/or --csv DIR"));
    }
    if let Some(out) = args.out.as_ref().filter(|o| o.is_dir()) {
        return Err(CliError::msg(format!(
            "--out {} is a folder: give the report's file name, such as {}",
            out.display(),
            out.join("report.html").display()
        )));
    }
    let started = Instant::now();
    let lib = load_library(&args.scenarios)?;
    let mut records = args.db.open_existing()?;
    eprintln!("reading the records…");
    let data = report::team(&mut records, &lib, args.since, args.role)?;
    let runs: usize = data.trainees.iter().map(|t| t.runs.len()).sum();
    if let Some(out) = &args.out {
        let html = report::html::render(&data, args.lang);
        report::write_atomic(out, html.as_bytes())
            .map_err(|e| CliError::Io { context: format!("cannot write {}", out.display()), source: e })?;
        outln!("wrote {} ({} trainees, {runs} runs, {} KB)", out.display(), data.trainees.len(), html.len() / 1024);
    }
    if let Some(dir) = &args.csv {
        let files = report::csv::write_all(&data, dir, args.lang)
            .map_err(|e| CliError::Io { context: format!("cannot write into {}", dir.display()), source: e })?;
        for f in files {
            outln!("wrote {}", f.display());
        }
    }
    eprintln!("done in {:.2} s", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}
