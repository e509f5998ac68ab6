//! `callforge trainee`: add, list and show trainees.

use super::records_args::{DbArg, Passwords, TRAINEE_HELP, trainee_arg};
use super::words::terminal_lang;
use super::{CliResult, ScenarioDir, load_library, safe};
use crate::domain::Role;
use crate::domain::time::format_time;
use crate::records::{TraineeRef, TraineeReport};
use std::process::ExitCode;

/// Add trainees, list them, and show one's progress toward promotion.
///
/// A trainee is named by id (3, or id:3) or exact name (name:… when needed). A bare number is an
/// id; it is refused as ambiguous if a trainee is also named that number, and no new name may be
/// only digits (nor begin with id: or name:). Only `add` creates a missing database.
///
/// A trainee starts as Generator; starting higher needs a manager, who signs the enrolment
/// (--role closer --manager USER). A trainee takes exams in their language (--lang ru|en; by
/// default the terminal's): each exam is listed in it, and a pass of the same exam in the other
/// language counts as well, so `set-lang` may change it at any time (it is audited). With `auto` the
/// language is that of the trainee's latest run. `show` says, for every exam attempt, why it counted or not
/// (for instance "no proctor ticket": an exam sat without a proctor counts as practice), and lists
/// the proctors' tickets issued for the trainee.
///
/// Examples:
///   callforge trainee add "Olga Petrova" --lang ru
///   callforge trainee add "Ivan Sokolov" --role closer --manager anna
///   callforge trainee set-lang "Olga Petrova" en
///   callforge trainee list
///   callforge trainee show 3
///   callforge trainee show "Olga Petrova" --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Add a trainee; prints the new id.
    Add {
        /// The trainee's name, as they will be greeted in the scripts (not only digits).
        name: String,
        /// The starting rung: generator, closer or account (above generator, a manager enrols them).
        #[arg(long, value_name = "ROLE", default_value = "generator", value_parser = super::list::parse_role)]
        role: Role,
        /// The manager who enrols a trainee above the first rung.
        #[arg(long, value_name = "USER")]
        manager: Option<String>,
        /// Read the manager's password from the first line of stdin instead of asking.
        #[arg(long)]
        password_stdin: bool,
        /// The language the trainee takes exams in: ru or en (by default the terminal's, from
        /// LC_ALL, LC_MESSAGES or LANG).
        #[arg(long, value_name = "LANG", value_parser = parse_lang)]
        lang: Option<String>,
    },
    /// Set the language a trainee takes exams in: ru, en, or auto (that of their latest run).
    SetLang {
        #[arg(value_name = "ID|NAME", value_parser = trainee_arg, help = TRAINEE_HELP)]
        trainee: TraineeRef,
        #[arg(value_name = "LANG", value_parser = parse_lang_or_auto)]
        lang: String,
    },
    /// List every trainee with their rung and number of runs.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a trainee's rung, language, runs per role, best scores, exam status (the exams in their
    /// language) and what is missing for promotion.
    Show {
        #[arg(value_name = "ID|NAME", value_parser = trainee_arg, help = TRAINEE_HELP)]
        trainee: TraineeRef,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        scenarios: ScenarioDir,
    },
}

/// A language a trainee takes exams in, as typed: `ru` or `en` (or their names).
fn parse_lang(s: &str) -> Result<String, String> {
    match s.trim().to_lowercase().as_str() {
        "en" | "english" | "английский" => Ok("en".to_owned()),
        "ru" | "russian" | "русский" => Ok("ru".to_owned()),
        _ => Err(format!("unknown language `{s}`; use ru or en")),
    }
}

/// [`parse_lang`], or `auto` (empty: the language of the trainee's latest run).
fn parse_lang_or_auto(s: &str) -> Result<String, String> {
    if s.trim().eq_ignore_ascii_case("auto") { Ok(String::new()) } else { parse_lang(s) }
}

pub fn run(args: Args) -> CliResult {
    let mut records = match args.command {
        Sub::Add { .. } => args.db.open()?,
        _ => args.db.open_existing()?,
    };
    match args.command {
        Sub::Add { name, role, manager, password_stdin, lang } => {
            let language = lang.unwrap_or_else(|| {
                let chosen = terminal_lang().code();
                eprintln!(
                    "language: {chosen} (the terminal's); change it with `callforge trainee set-lang NAME ru|en`"
                );
                chosen.to_owned()
            });
            let id = match manager {
                Some(m) => {
                    let password = Passwords::new(password_stdin)?.read(&format!("password for {m}: "))?;
                    records.enrol_trainee_in(&name, role, &language, &m, &password)?
                }
                None => records.add_trainee_in(&name, role, &language)?,
            };
            outln!("{id}");
        }
        Sub::SetLang { trainee, lang } => {
            let t = records.set_trainee_language(trainee, &lang)?;
            let shown = if t.language.is_empty() { "auto (the language of their latest run)" } else { &t.language };
            outln!("{} (id {}) takes exams in: {shown}", safe(&t.name), t.id);
        }
        Sub::List { json } => {
            let trainees = records.trainees()?;
            let runs = records.runs(None)?;
            let count = |id: i64| runs.iter().filter(|r| r.trainee_id == id).count();
            if json {
                let rows: Vec<serde_json::Value> = trainees
                    .iter()
                    .map(|t| serde_json::json!({"id": t.id, "name": t.name, "role": t.role, "language": t.language, "runs": count(t.id), "created_at": format_time(t.created_at)}))
                    .collect();
                outln!("{}", serde_json::to_string_pretty(&rows)?);
            } else if trainees.is_empty() {
                outln!("no trainees yet; add one with `callforge trainee add NAME`");
            } else {
                outln!("{:>4}  {:<28} {:<15} {:<8} {:>5}", "id", "name", "role", "language", "runs");
                for t in &trainees {
                    let language = if t.language.is_empty() { "auto" } else { t.language.as_str() };
                    outln!(
                        "{:>4}  {:<28} {:<15} {:<8} {:>5}",
                        t.id,
                        safe(&t.name),
                        t.role.as_str(),
                        safe(language),
                        count(t.id)
                    );
                }
            }
        }
        Sub::Show { trainee, json, scenarios } => {
            let lib = load_library(&scenarios)?;
            let report = records.report(trainee, &lib)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                out!("{}", render(&report));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `trainee show` as text; every name and text from the records goes through `safe`.
fn render(r: &TraineeReport) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let t = &r.trainee;
    let _ = writeln!(o, "{} (id {}) — {}, since {}", safe(&t.name), t.id, t.role, format_time(t.created_at));
    let how = if t.language.is_empty() { " (not set: the language of their latest run, else en)" } else { "" };
    let _ = writeln!(o, "Exams in: {}{how}", safe(&r.language));
    let _ = writeln!(o, "\nRuns");
    for s in &r.roles {
        let best = s.best.map_or("—".to_owned(), |b| b.to_string());
        let avg = s.average.map_or("—".to_owned(), |a| format!("{a:.1}"));
        let _ = writeln!(
            o,
            "  {:<15} {:>4} runs ({} finished), best {best}, average {avg}",
            s.role.as_str(),
            s.runs,
            s.finished
        );
    }
    if !r.scenarios.is_empty() {
        let _ = writeln!(o, "\nBest scores");
        for s in &r.scenarios {
            let _ = writeln!(
                o,
                "  {:<40} {:>4} runs  best {:>3}  last {}",
                safe(&s.scenario),
                s.runs,
                s.best,
                format_time(s.last_played)
            );
        }
    }
    match &r.eligibility {
        None => {
            let _ = writeln!(o, "\nNo ladder.ron in the scenario library: promotion rules unknown.");
        }
        Some(e) => match e.next {
            None => {
                let _ = writeln!(o, "\nTop of the ladder.");
            }
            Some(next) => {
                let _ = writeln!(o, "\nNext rung: {} ({next})", safe(e.next_title.as_deref().unwrap_or("")));
                let tick = |ok: bool| if ok { "✓" } else { "✗" };
                let _ = writeln!(
                    o,
                    "  {} practice runs as {}: {} of {}",
                    tick(e.practice_runs >= e.practice_needed),
                    e.role,
                    e.practice_runs,
                    e.practice_needed
                );
                for x in &e.exams {
                    let best = x.best.map_or("no attempt".to_owned(), |b| format!("best {b}"));
                    let lock = x.locked_until.map(|u| format!(", locked until {}", format_time(u))).unwrap_or_default();
                    let also = if x.counterparts.is_empty() {
                        String::new()
                    } else {
                        format!("; a pass of {} counts too", safe(&x.counterparts.join(" or ")))
                    };
                    let _ = writeln!(
                        o,
                        "  {} exam {} ({} mode, ≥ {}{also}): {best}{lock}",
                        tick(x.passed),
                        safe(&x.scenario),
                        x.mode,
                        x.min_score
                    );
                    for a in &x.history {
                        let counted = if a.counted { "counted" } else { "not counted" };
                        let of =
                            if a.scenario == x.scenario { String::new() } else { format!(" ({})", safe(&a.scenario)) };
                        let _ = writeln!(
                            o,
                            "      {} score {:>3}{of}: {counted} — {}",
                            format_time(a.at),
                            a.score,
                            safe(&a.why)
                        );
                    }
                }
                if e.eligible {
                    let _ = writeln!(
                        o,
                        "Eligible for promotion to {next}: a manager can approve it (`callforge promote {}`).",
                        t.id
                    );
                } else {
                    let _ = writeln!(o, "Not eligible yet. Missing:");
                    for m in &e.missing {
                        let _ = writeln!(o, "  - {}", safe(m));
                    }
                }
            }
        },
    }
    if !r.tickets.is_empty() {
        let _ = writeln!(o, "\nExam tickets");
        for t in &r.tickets {
            let used = match t.run {
                Some(run) => format!("used by run {run}"),
                None => format!("not used (good until {})", format_time(t.expires_at)),
            };
            let _ = writeln!(
                o,
                "  {} ticket {}: {} in {} mode, proctor {}, {used}",
                format_time(t.issued_at),
                t.id,
                safe(&t.scenario),
                t.mode,
                safe(&t.proctor)
            );
        }
    }
    if !r.promotions.is_empty() {
        let _ = writeln!(o, "\nHistory");
        for p in &r.promotions {
            let _ = writeln!(
                o,
                "  {} {}: {} → {}, {}",
                format_time(p.at),
                p.kind,
                p.from_role,
                p.to_role,
                if p.manager.is_empty() {
                    "before signatures".to_owned()
                } else {
                    format!("approved by {}", safe(&p.manager))
                }
            );
        }
    }
    o
}
