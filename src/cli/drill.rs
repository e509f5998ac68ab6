//! `callforge drill` and `callforge due`: spaced drills of single script stages in the terminal.

use super::{CliError, CliResult, ScenarioDir, load_library, report_text, safe};
use crate::domain::drill::{self, Exercise};
use crate::domain::feedback::Lang;
use crate::domain::schedule::Memory;
use crate::domain::seed::fresh_seed;
use crate::domain::time::format_time;
use crate::domain::{Library, finish_call};
use crate::records::{Records, Trainee, TraineeRef};
use serde::Serialize;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

/// Drill the script stages that are due: one customer line at a time, answered by typing.
///
/// Each exercise is a customer line, from any scenario of your role and language, that expects one
/// stage of the script. Type the stage's line from memory; it is scored by the Recall rules and you
/// see what was missing, word by word. Every answer is stored as a run (mode Drill; it never counts
/// as an exam or a practice call) and moves that stage's schedule: a missed stage comes back within
/// a day or two, a mastered one later and later (FSRS, the scheduler behind Anki).
///
/// Without --stage, the drill takes the stages due now (see `callforge due`), most forgotten
/// first, and a few stages never drilled. Type `q` to stop early; what was answered is kept.
///
/// Examples:
///   callforge drill --trainee Olga
///   callforge drill --trainee Olga --stage objection --stage close
///   printf 'Good afternoon, this is Olga from Northwind.\n' | callforge drill --trainee Olga --count 1
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The trainee: a name, `id:N` or `name:TEXT` (a new name makes a new profile).
    #[arg(long, value_name = "WHO")]
    trainee: String,
    /// Drill these stage ids (repeatable) instead of the ones due.
    #[arg(long = "stage", value_name = "ID")]
    stages: Vec<String>,
    /// At most this many exercises.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    count: u32,
    /// en or ru: the language of the drill's scenarios. Default: the trainee's language (see
    /// `trainee set-lang`), else that of their latest run, else English.
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    /// The seed that draws the exercises; the same seed and stages draw the same session.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Do not store the answers (nothing is rescheduled).
    #[arg(long)]
    no_store: bool,
    #[command(flatten)]
    scenarios: ScenarioDir,
    #[command(flatten)]
    db: super::records_args::DbArg,
}

/// What a trainee should drill now: the stages due, about how long, and the best next call.
///
/// A stage is due when its review date has come (FSRS: a stage answered well comes back later and
/// later, a missed one within a day or two); stages never drilled follow, a few a day. The best next call
/// is the scenario whose stages the trainee is least likely to recall now.
///
/// Examples:
///   callforge due --trainee Olga
///   callforge due --trainee id:3 --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct DueArgs {
    /// The trainee: a name, `id:N` or `name:TEXT`.
    #[arg(long, value_name = "WHO")]
    trainee: String,
    /// en or ru (default: the trainee's language, else that of their latest run, else English).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    scenarios: ScenarioDir,
    #[command(flatten)]
    db: super::records_args::DbArg,
}

/// A trainee's drill plan at a moment: what `due` prints and `drill` works through.
#[derive(Debug, Serialize)]
pub struct Plan {
    pub trainee: String,
    pub trainee_id: i64,
    pub role: crate::domain::model::Role,
    pub language: String,
    pub now: String,
    #[serde(flatten)]
    pub plan: drill::Plan,
    /// What managers assigned the trainee: open and overdue first.
    pub assignments: Vec<crate::records::TraineeAssignment>,
}

/// The language of the drill: given, else the trainee's (as set in the records, else their latest
/// run's, else English).
fn language(given: Option<&str>, records: &mut Records, trainee: &Trainee, lib: &Library) -> Result<String, CliError> {
    if let Some(l) = given {
        return match l {
            "en" | "ru" => Ok(l.to_owned()),
            other => Err(CliError::msg(format!("unknown language `{}`; use en or ru", safe(other)))),
        };
    }
    let facts = records.run_facts(trainee.id)?;
    Ok(crate::domain::ladder::trainee_language(&trainee.language, &facts, lib))
}

/// The plan of one trainee now.
pub fn plan(records: &mut Records, trainee: &Trainee, lib: &Library, language: &str) -> Result<Plan, CliError> {
    let now = records.now();
    let reviews = records.stage_reviews(trainee.id)?;
    Ok(Plan {
        trainee: trainee.name.clone(),
        trainee_id: trainee.id,
        role: trainee.role,
        language: language.to_owned(),
        now: format_time(now),
        plan: drill::plan(lib, trainee.role, language, &reviews, now),
        assignments: records.trainee_assignments(TraineeRef::Id(trainee.id), lib)?,
    })
}

pub fn run_due(args: DueArgs) -> CliResult {
    let lib = load_library(&args.scenarios)?;
    let mut records = args.db.open_existing()?;
    let trainee = records.trainee(TraineeRef::parse(&args.trainee))?;
    let language = language(args.lang.as_deref(), &mut records, &trainee, &lib)?;
    let full = plan(&mut records, &trainee, &lib, &language)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&full)?);
        return Ok(ExitCode::SUCCESS);
    }
    let say = Say::of(Lang::from_code(&language));
    let role = Lang::from_code(&language).role_name(full.role);
    outln!("{} (id {}), {role}, {language}", safe(&full.trainee), full.trainee_id);
    let plan = &full.plan;
    if plan.due.is_empty() {
        outln!("{}", say.nothing_due);
    } else {
        outln!("{}", say.due_now.replace("{n}", &plan.due.len().to_string()).replace("{m}", &plan.minutes.to_string()));
        for d in &plan.due {
            let when = match d.due.due {
                None => say.never.to_owned(),
                Some(t) => {
                    say.since.replace("{t}", &format_time(t)).replace("{p}", &format!("{:.0}", d.due.recall * 100.0))
                }
            };
            outln!("  {:<14} {} — {when}", safe(&d.due.key.stage), safe(&d.title));
        }
    }
    let later: Vec<&Memory> = plan.stages.iter().filter(|m| !plan.due.iter().any(|d| d.due.key == m.key)).collect();
    if !later.is_empty() {
        outln!("{}", say.later);
        for m in later {
            outln!(
                "  {:<14} {} ({} {}, {:?})",
                safe(&m.key.stage),
                format_time(m.due),
                m.interval_days,
                say.days,
                m.last_grade
            );
        }
    }
    if let Some(id) = &plan.best_call {
        let title = lib.scenario(id).map(|p| p.scenario.title.clone()).unwrap_or_default();
        outln!("{} {id} — «{}»", say.best_call, safe(&title));
    }
    if !full.assignments.is_empty() {
        outln!("{}", say.assigned);
        for item in &full.assignments {
            let a = &item.assignment;
            outln!(
                "  #{} {} — {} {} UTC{}: {}",
                a.id,
                safe(&a.task.describe()),
                say.due_by,
                crate::domain::time::format_minute(a.due),
                a.min_score.map(|m| format!(", ≥ {m}")).unwrap_or_default(),
                super::assign::state_text(&item.progress)
            );
            if !a.note.is_empty() {
                outln!("      «{}» — {}", safe(&a.note), safe(&a.manager));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: Args) -> CliResult {
    let lib = load_library(&args.scenarios)?;
    let mut records = args.db.open()?;
    let trainee = if args.no_store {
        records.trainee(TraineeRef::parse(&args.trainee))?
    } else {
        records.trainee_or_new(TraineeRef::parse(&args.trainee))?
    };
    let language = language(args.lang.as_deref(), &mut records, &trainee, &lib)?;
    let say = Say::of(Lang::from_code(&language));
    let stages: Vec<String> = if args.stages.is_empty() {
        plan(&mut records, &trainee, &lib, &language)?.plan.due.into_iter().map(|d| d.due.key.stage).collect()
    } else {
        let known = drill::exercises(&lib, trainee.role, &language);
        for s in &args.stages {
            if !known.contains_key(s) {
                let ids: Vec<&str> = known.keys().map(String::as_str).collect();
                return Err(CliError::msg(format!(
                    "no {} scenario in `{language}` has a line that expects stage \"{}\"{}",
                    trainee.role,
                    safe(s),
                    crate::domain::parse::suggest(s, &ids)
                )));
            }
        }
        args.stages.clone()
    };
    let seed = args.seed.unwrap_or_else(fresh_seed);
    let mut exercises = drill::session(&lib, trainee.role, &language, &stages, 1, seed);
    exercises.truncate(args.count as usize);
    if exercises.is_empty() {
        outln!("{}", say.nothing_due);
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{}", say.intro.replace("{n}", &exercises.len().to_string()).replace("{seed}", &seed.to_string()));
    let mut lines = std::io::stdin().lock().lines();
    let echo = !std::io::stdin().is_terminal();
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (mut done, mut total) = (0u32, 0u32);
    for (k, ex) in exercises.iter().enumerate() {
        let Some(answered) = exercise(&lib, &trainee, ex, k, exercises.len(), &mut lines, echo, color, &say)? else {
            break;
        };
        total += answered.score.score;
        done += 1;
        if !args.no_store {
            let stored = records.store_run(TraineeRef::Id(trainee.id), &lib, &answered.run)?;
            outln!("{}", say.stored.replace("{run}", &stored.id.to_string()));
        }
        outln!();
    }
    if done > 0 {
        outln!("{}", say.summary.replace("{n}", &done.to_string()).replace("{avg}", &(total / done).to_string()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Plays one exercise: the customer line, the typed answer, its score, feedback and word diff.
/// `None` when the trainee stops (q, or the end of input).
#[allow(clippy::too_many_arguments)]
fn exercise(
    lib: &Library,
    trainee: &Trainee,
    ex: &Exercise,
    k: usize,
    n: usize,
    lines: &mut std::io::Lines<std::io::StdinLock<'static>>,
    echo: bool,
    color: bool,
    say: &Say,
) -> Result<Option<crate::domain::FinishedCall>, CliError> {
    let Some(mut d) = ex.start(lib, &trainee.name) else {
        return Err(CliError::msg(format!("the exercise {}#{} is no longer in the library", ex.scenario, ex.node)));
    };
    let p = std::sync::Arc::clone(d.playable());
    let title = d.expected_stage().map(|s| s.title.clone()).unwrap_or_default();
    let persona = &p.scenario.persona;
    outln!("[{}/{n}] {} {}", k + 1, say.stage, safe(&title));
    outln!("  {} — {}, {}", safe(&persona.name), safe(&persona.position), safe(&persona.company));
    if let Some(line) = d.customer_line() {
        outln!("{}: {}", safe(&persona.name), safe(&line));
    }
    let started = std::time::Instant::now();
    let text = loop {
        out!("you> ");
        let Some(Ok(line)) = lines.next() else { return Ok(None) };
        if echo {
            outln!("{}", safe(&line));
        }
        let line = line.trim().to_owned();
        if matches!(line.to_lowercase().as_str(), "q" | "/q" | "й") {
            return Ok(None);
        }
        if line.is_empty() {
            outln!("{}", say.type_a_line);
            continue;
        }
        if line.chars().count() > crate::domain::limits::MAX_TYPED_CHARS {
            outln!("{}", say.too_long);
            continue;
        }
        break line;
    };
    d.type_reply(&text)?;
    let played_at = crate::clock::Clock::System.now();
    let finished = finish_call(&d, vec![started.elapsed().as_millis() as u64], played_at);
    if let Some(t) = finished.score.turns.first() {
        outln!("  {} {} — {}", say.score, finished.score.score, safe(&t.feedback));
        for note in &t.notes {
            outln!("  · {}", safe(note));
        }
        if let Some(diff) = &t.diff {
            outln!("  {}", report_text::render_diff(diff, color));
        }
        if let Some(line) = &t.expected_line {
            outln!("  {} «{}»", say.by_script, safe(line));
        }
    }
    Ok(Some(finished))
}

/// The words of these two commands, in the drill's language.
struct Say {
    intro: &'static str,
    stage: &'static str,
    score: &'static str,
    by_script: &'static str,
    stored: &'static str,
    summary: &'static str,
    type_a_line: &'static str,
    too_long: &'static str,
    nothing_due: &'static str,
    due_now: &'static str,
    never: &'static str,
    since: &'static str,
    later: &'static str,
    days: &'static str,
    best_call: &'static str,
    assigned: &'static str,
    due_by: &'static str,
}

impl Say {
    fn of(lang: Lang) -> Say {
        match lang {
            Lang::En => Say {
                intro: "Drill: {n} exercise(s) (seed {seed}). Type the script's line for each customer line; q stops.",
                stage: "Stage:",
                score: "Score",
                by_script: "By the script:",
                stored: "  stored as run {run}",
                summary: "{n} exercise(s), average score {avg}.",
                type_a_line: "Type the line (or q to stop).",
                too_long: "That is longer than any script line; type it again, shorter.",
                nothing_due: "Nothing is due now. Come back later, or drill a stage with --stage.",
                due_now: "Due now: {n} stage(s), about {m} min of drills.",
                never: "never drilled",
                since: "due since {t}, recall about {p}%",
                later: "Later:",
                days: "days",
                best_call: "Best next call:",
                assigned: "Assigned by your manager:",
                due_by: "due",
            },
            Lang::Ru => Say {
                intro: "Упражнения: {n} (seed {seed}). На каждую реплику клиента напишите строку скрипта; q — закончить.",
                stage: "Этап:",
                score: "Оценка",
                by_script: "По скрипту:",
                stored: "  записано, прогон {run}",
                summary: "Упражнений: {n}, средняя оценка {avg}.",
                type_a_line: "Напишите строку (или q, чтобы закончить).",
                too_long: "Это длиннее любой строки скрипта; напишите короче.",
                nothing_due: "Сейчас повторять нечего. Загляните позже или выберите этап: --stage.",
                due_now: "К повторению: этапов {n}, около {m} мин.",
                never: "новый этап, упражнений ещё не было",
                since: "пора с {t}, вспомнится примерно на {p}%",
                later: "Позже:",
                days: "дн.",
                best_call: "Лучший следующий звонок:",
                assigned: "Задания от руководителя:",
                due_by: "срок",
            },
        }
    }
}
