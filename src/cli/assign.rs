//! `callforge assign`: a manager sets a trainee or a whole rung a scenario to call or drills to do by a due date, lists where each stands, and withdraws one.

use super::records_args::{DbArg, Passwords};
use super::{CliError, CliResult, ScenarioDir, load_library, safe};
use crate::domain::assign::{Assignee, Assignment, MAX_DRILLS, Progress, State, Task};
use crate::domain::model::{Mode, Role};
use crate::domain::time::{format_minute, parse_due};
use crate::records::{AssignTo, NewAssignment, Records, Trainee, TraineeRef};
use std::process::ExitCode;

/// Set work for a trainee or a whole rung, with a due date, and see where it stands.
///
/// An assignment is a scenario to call (in Practice, or a harder mode: Exam, Recall) or a number of
/// drill answers (on one stage, or on any). It may ask for a minimum score; without one, any call
/// to the end (or any drill answer) meets it. Only runs recorded after it was set count, and a call
/// counts in either language (a scenario or its partner). A rung's assignment is for everyone on
/// that rung, including trainees who reach it before it is due.
///
/// Each is done, open or overdue (done late says so). Trainees see theirs on the home screen of
/// the window and in `callforge due`; managers in the window's trainee pages, `callforge report`
/// and `assign list`. Setting and withdrawing one need a manager's password, are signed with the
/// manager's key (checked by `callforge verify`) and go into the audit trail.
///
/// Examples:
///   callforge assign call closer/warm-lead-price --trainee Olga --due 2027-01-15 --min-score 80 --manager anna
///   callforge assign call generator/gatekeeper-secretary --role generator --mode recall --due +7 --manager anna
///   callforge assign drills --trainee id:3 --stage price --count 5 --due +3 --manager anna
///   callforge assign list
///   callforge assign list --trainee Olga --json
///   callforge assign cancel 4 --manager anna
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

/// For whom, when, how well, and who sets it: shared by `call` and `drills`.
#[derive(Debug, clap::Args)]
struct Common {
    /// The trainee: a name, `id:N` or `name:TEXT`.
    #[arg(long, value_name = "WHO", conflicts_with = "role", required_unless_present = "role")]
    trainee: Option<String>,
    /// Everyone on this rung: generator, closer or account.
    #[arg(long, value_name = "ROLE", value_parser = super::list::parse_role)]
    role: Option<Role>,
    /// When it is due: a date (2027-01-15: the end of that day, UTC), a time (2027-01-15 18:00,
    /// UTC; or RFC 3339 with a zone), or days from today (+7).
    #[arg(long, value_name = "WHEN")]
    due: String,
    /// The score (0–100) a run must reach to count.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=100))]
    min_score: Option<u32>,
    /// A word to the trainee, shown with the assignment (at most 500 characters).
    #[arg(long, value_name = "TEXT", default_value = "")]
    note: String,
    /// The manager who sets it (signs in with their password).
    #[arg(long, value_name = "USER")]
    manager: String,
    /// Read the manager's password from the first line of stdin instead of asking.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Assign a scenario to call, to its end.
    ///
    /// Met by the first call of the scenario (or its partner in the other language), recorded after
    /// the assignment was set, that reaches its end in this mode or a harder one (Practice < Exam <
    /// Recall) and scores at least --min-score.
    ///
    /// Examples:
    ///   callforge assign call closer/warm-lead-price --trainee Olga --due 2027-01-15 --min-score 80 --manager anna
    ///   callforge assign call generator/gatekeeper-secretary --role generator --mode recall --due +7 --manager anna
    #[command(verbatim_doc_comment)]
    Call {
        /// The scenario id (see `callforge list`); its partner in the other language counts too.
        #[arg(value_name = "SCENARIO")]
        scenario: String,
        /// practice, exam or recall: the easiest mode that counts (a harder one counts too).
        #[arg(long, value_name = "MODE", default_value = "practice", value_parser = super::play::parse_mode)]
        mode: Mode,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        scenarios: ScenarioDir,
        #[command(flatten)]
        db: DbArg,
    },
    /// Assign drill answers (`callforge drill`, or Drill in the window).
    ///
    /// Met when --count drill answers (on --stage, if given), recorded after the assignment was set,
    /// score at least --min-score each.
    ///
    /// Examples:
    ///   callforge assign drills --trainee id:3 --stage price --count 5 --due +3 --manager anna
    ///   callforge assign drills --role closer --count 10 --min-score 70 --due 2027-01-15 --manager anna
    #[command(verbatim_doc_comment)]
    Drills {
        /// Only answers on this stage id count (see `callforge script ROLE`); default: any stage.
        #[arg(long, value_name = "ID")]
        stage: Option<String>,
        /// How many answers.
        #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=MAX_DRILLS as i64))]
        count: u32,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        scenarios: ScenarioDir,
        #[command(flatten)]
        db: DbArg,
    },
    /// List assignments and where each stands for each trainee (done, open, overdue).
    List {
        /// Only this trainee's (their own and their rung's).
        #[arg(long, value_name = "WHO")]
        trainee: Option<String>,
        /// Also the withdrawn ones.
        #[arg(long)]
        all: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        scenarios: ScenarioDir,
        #[command(flatten)]
        db: DbArg,
    },
    /// Withdraw an assignment (it stays in the records, marked withdrawn).
    Cancel {
        #[arg(value_name = "ID")]
        id: i64,
        /// The manager who withdraws it.
        #[arg(long, value_name = "USER")]
        manager: String,
        /// Read the manager's password from the first line of stdin instead of asking.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArg,
    },
}

pub fn run(args: Args) -> CliResult {
    match args.command {
        Sub::Call { scenario, mode, common, scenarios, db } => {
            set(Task::Call { scenario, mode }, common, &scenarios, &db)
        }
        Sub::Drills { stage, count, common, scenarios, db } => {
            set(Task::Drills { stage, count }, common, &scenarios, &db)
        }
        Sub::List { trainee, all, json, scenarios, db } => list(trainee.as_deref(), all, json, &scenarios, &db),
        Sub::Cancel { id, manager, password_stdin, db } => {
            let mut records = db.open_existing()?;
            let password = Passwords::new(password_stdin)?.read(&format!("password for {manager}: "))?;
            let a = records.cancel_assignment(id, &manager, &password)?;
            outln!("withdrew assignment {}: {}", a.id, safe(&a.task.describe()));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn set(task: Task, c: Common, scenarios: &ScenarioDir, db: &DbArg) -> CliResult {
    let lib = load_library(scenarios)?;
    let mut records = db.open_existing()?;
    let due = parse_due(&c.due, records.now()).map_err(CliError::msg)?;
    let to = match (&c.trainee, c.role) {
        (Some(t), _) => AssignTo::Trainee(TraineeRef::parse(t)),
        (None, Some(r)) => AssignTo::Role(r),
        (None, None) => return Err(CliError::msg("say for whom: --trainee WHO or --role ROLE")),
    };
    let password = Passwords::new(c.password_stdin)?.read(&format!("password for {}: ", c.manager))?;
    let new = NewAssignment { to, task, due, min_score: c.min_score, note: c.note };
    let a = records.add_assignment(new, &c.manager, &password, &lib)?;
    let who = assignee_text(&mut records, &a);
    outln!(
        "assignment {}: {} for {}, due {} UTC{}",
        a.id,
        safe(&a.task.describe()),
        safe(&who),
        format_minute(a.due),
        a.min_score.map(|m| format!(", at least {m}")).unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

/// "Olga (id 3)" or "every Closer".
fn assignee_text(records: &mut Records, a: &Assignment) -> String {
    match a.assignee {
        Assignee::Trainee(id) => match records.trainee(TraineeRef::Id(id)) {
            Ok(t) => format!("{} (id {id})", t.name),
            Err(_) => format!("trainee {id}"),
        },
        Assignee::Role(r) => format!("every {r}"),
    }
}

/// One trainee's state in words: "done 2027-01-14 10:02 (score 85)", "open: 1/5", "OVERDUE".
pub(crate) fn state_text(p: &Progress) -> String {
    let tally = if p.needed > 1 { format!(" {}/{}", p.counted, p.needed) } else { String::new() };
    let best = p.best.map(|b| format!(", best {b}")).unwrap_or_default();
    match p.state {
        State::Done => format!(
            "done{} {}{}",
            if p.late { " late" } else { "" },
            p.done_at.map(format_minute).unwrap_or_default(),
            best
        ),
        State::Open => format!("open{tally}{best}"),
        State::Overdue => format!("OVERDUE{tally}{best}"),
    }
}

#[derive(Debug, serde::Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    assignment: &'a Assignment,
    trainees: Vec<ListedTrainee<'a>>,
}

#[derive(Debug, serde::Serialize)]
struct ListedTrainee<'a> {
    id: i64,
    name: &'a str,
    #[serde(flatten)]
    progress: &'a Progress,
}

fn list(trainee: Option<&str>, all: bool, json: bool, scenarios: &ScenarioDir, db: &DbArg) -> CliResult {
    let lib = load_library(scenarios)?;
    let mut records = db.open_existing()?;
    let only: Option<Trainee> = trainee.map(|t| records.trainee(TraineeRef::parse(t))).transpose()?;
    let mut overview = records.assignment_overview(&lib, all)?;
    if let Some(t) = &only {
        overview.retain_mut(|(_, who)| {
            who.retain(|(x, _)| x.id == t.id);
            !who.is_empty()
        });
    }
    if json {
        let listed: Vec<Listed> = overview
            .iter()
            .map(|(a, who)| Listed {
                assignment: a,
                trainees: who.iter().map(|(t, p)| ListedTrainee { id: t.id, name: &t.name, progress: p }).collect(),
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&listed)?);
        return Ok(ExitCode::SUCCESS);
    }
    if overview.is_empty() {
        outln!(
            "no assignments{}; a manager sets one with `callforge assign call` or `assign drills`",
            match &only {
                Some(t) => format!(" for {}", safe(&t.name)),
                None => String::new(),
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    for (a, who) in &overview {
        let for_whom = assignee_text(&mut records, a);
        let withdrawn = a.cancelled_at.map(|t| format!(" — withdrawn {}", format_minute(t))).unwrap_or_default();
        outln!(
            "#{} {} — for {}, due {} UTC{}, set by {}{withdrawn}",
            a.id,
            safe(&a.task.describe()),
            safe(&for_whom),
            format_minute(a.due),
            a.min_score.map(|m| format!(", at least {m}")).unwrap_or_default(),
            safe(&a.manager)
        );
        if !a.note.is_empty() {
            outln!("    «{}»", safe(&a.note));
        }
        if who.is_empty() && a.cancelled_at.is_none() {
            outln!("    nobody is on that rung now");
        }
        for (t, p) in who {
            outln!("    {:<28} {}", format!("{} (id {})", safe(&t.name), t.id), state_text(p));
        }
    }
    Ok(ExitCode::SUCCESS)
}
