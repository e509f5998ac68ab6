//! `callforge play`: a whole call in the terminal, answered by number or by typing.

use super::{CliError, CliResult, ScenarioDir, load_library, report_text};
use crate::domain::finish::run_file_name;
use crate::domain::model::Mode;
use crate::domain::seed::fresh_seed;
use crate::domain::{Dialogue, FinishedCall, Library, Playable, finish_call};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Play a call with a simulated customer in the terminal.
///
/// The customer speaks; you answer. In Practice and Exam mode you pick a numbered reply; in
/// Recall mode you type the script line from memory. Practice also shows which script stage is
/// expected and its line. At the end you get the score: adherence per stage, penalties, critical
/// errors, pass or fail, and feedback for every turn.
///
/// Answer with the number of a reply, or type your line in Recall. Type `q` (or /hangup) to hang
/// up. Input may be piped, one answer per line, so calls can be scripted.
///
/// Modes:
///   practice  choices, with the script shown (learning)
///   exam      choices, no hints (certification)
///   recall    type each line from memory (certification)
///
/// Examples:
///   callforge play
///   callforge play --scenario generator/busy-office-manager --mode recall --trainee Olga
///   printf '1\n1\n1\n1\n' | callforge play --scenario generator/busy-office-manager --seed 7
///   callforge play --scenario closer/warm-lead-price --mode exam --record run.ron
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The scenario id (see `callforge list`); without it you pick from a menu.
    #[arg(long, value_name = "ID")]
    scenario: Option<String>,
    /// practice, exam or recall.
    #[arg(long, value_name = "MODE", default_value = "practice", value_parser = parse_mode)]
    mode: Mode,
    /// The seed for the customer's random lines and objections; the same seed replays the same call.
    /// Without it a fresh seed is drawn and shown.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Your name, as the script says it (`{trainee}`).
    #[arg(long, value_name = "NAME", default_value = "Trainee")]
    trainee: String,
    /// Write the run file here when the call ends, to replay or score it later.
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// Do not store the finished call in the trainee records.
    #[arg(long)]
    no_store: bool,
    #[command(flatten)]
    scenarios: ScenarioDir,
    #[command(flatten)]
    db: super::records_args::DbArg,
}

pub(crate) fn parse_mode(s: &str) -> Result<Mode, String> {
    match s.to_lowercase().as_str() {
        "practice" | "p" => Ok(Mode::Practice),
        "exam" | "e" => Ok(Mode::Exam),
        "recall" | "r" => Ok(Mode::Recall),
        _ => Err(format!("unknown mode `{s}`; use practice, exam or recall")),
    }
}

/// Lines from stdin, echoed when they do not come from a person at a terminal.
struct Answers {
    lines: std::io::Lines<std::io::StdinLock<'static>>,
    echo: bool,
}

impl Answers {
    fn next(&mut self, prompt: &str) -> Option<String> {
        print!("{prompt}");
        let _ = std::io::stdout().flush();
        let line = self.lines.next()?.ok()?;
        if self.echo {
            println!("{line}");
        }
        Some(line.trim().to_owned())
    }
}

fn is_hang_up(s: &str) -> bool {
    matches!(s.to_lowercase().as_str(), "q" | "/q" | "/hangup" | "/hang-up" | "hangup")
}

pub fn run(args: Args) -> CliResult {
    let lib = load_library(&args.scenarios)?;
    let mut answers = Answers { lines: std::io::stdin().lock().lines(), echo: !std::io::stdin().is_terminal() };
    let Some(playable) = pick_scenario(&args, &lib, &mut answers)? else { return Ok(ExitCode::SUCCESS) };
    let seed = args.seed.unwrap_or_else(fresh_seed);
    let look = Look { color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() };
    let sc = &playable.scenario;
    println!("{}", look.bold(&format!("{} — {} mode", sc.title, args.mode)));
    println!("{}", look.dim(&format!("scenario {} v{}, seed {seed}", sc.id, sc.version)));
    println!("Brief: {}", sc.brief);
    println!("Customer: {}, {}, {}", sc.persona.name, sc.persona.position, sc.persona.company);
    println!(
        "Answer with a number{}; q hangs up.\n",
        if args.mode == Mode::Recall { " or type the script line" } else { "" }
    );
    let mut d = Dialogue::new(Arc::clone(&playable), seed, args.mode, args.trainee.clone());
    let times_ms = play_turns(&mut d, &mut answers, look)?;
    if let Some(line) = d.customer_line() {
        println!("{}: {line}", look.bold(&sc.persona.name));
    }
    println!("{}\n", look.dim("— call ended —"));
    let played_at = crate::clock::Clock::System.now();
    let FinishedCall { run, score: s } = finish_call(&d, times_ms, played_at);
    print!("{}", report_text::render(&s, look.color));
    if let Some(path) = &args.record {
        write_run(path, &run)?;
        println!("\nrun written to {}", path.display());
    }
    if !args.no_store {
        store(&args, &lib, &run, played_at)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// How the terminal shows emphasis: ANSI bold and dim, or plain text.
#[derive(Debug, Clone, Copy)]
struct Look {
    color: bool,
}

impl Look {
    fn bold(self, s: &str) -> String {
        if self.color { format!("\x1b[1m{s}\x1b[0m") } else { s.to_owned() }
    }

    fn dim(self, s: &str) -> String {
        if self.color { format!("\x1b[2m{s}\x1b[0m") } else { s.to_owned() }
    }
}

/// The scenario named by `--scenario`, or one picked from a menu; `None` when the trainee quits.
fn pick_scenario(args: &Args, lib: &Library, answers: &mut Answers) -> Result<Option<Arc<Playable>>, CliError> {
    if let Some(id) = &args.scenario {
        return match lib.scenario(id) {
            Some(p) => Ok(Some(Arc::clone(p))),
            None => {
                let known: Vec<&str> = lib.playable().map(|p| p.id()).collect();
                Err(CliError::msg(format!(
                    "no playable scenario \"{id}\"{}; see `callforge list`",
                    crate::domain::parse::suggest(id, &known)
                )))
            }
        };
    }
    let all: Vec<&Arc<Playable>> = lib.playable().collect();
    if all.is_empty() {
        return Err(CliError::msg(format!("no playable scenarios in {}", args.scenarios.dir.display())));
    }
    println!("Scenarios:");
    for (i, p) in all.iter().enumerate() {
        let sc = &p.scenario;
        println!("  {:>2}) [{}] {} — {} ({})", i + 1, sc.role, sc.title, sc.persona.name, sc.language);
    }
    loop {
        let Some(a) = answers.next(&format!("Pick a scenario (1–{}): ", all.len())) else { return Ok(None) };
        match a.parse::<usize>() {
            Ok(n) if (1..=all.len()).contains(&n) => return Ok(Some(Arc::clone(all[n - 1]))),
            _ if is_hang_up(&a) => return Ok(None),
            _ => println!("Type a number from 1 to {}.", all.len()),
        }
    }
}

/// Plays the call turn by turn until it is over; returns when each answer was given (ms from the start).
fn play_turns(d: &mut Dialogue, answers: &mut Answers, look: Look) -> Result<Vec<u64>, CliError> {
    let started = std::time::Instant::now();
    let mut times_ms = Vec::new();
    let persona = d.playable().scenario.persona.name.clone();
    while !d.is_over() {
        if let Some(line) = d.customer_line() {
            println!("{}: {line}", look.bold(&persona));
        }
        if d.mode() == Mode::Practice
            && let Some(stage) = d.expected_stage()
        {
            println!("{}", look.dim(&format!("  script — {}: “{}”", stage.title, d.text(&stage.line))));
        }
        answer(d, answers)?;
        times_ms.push(started.elapsed().as_millis() as u64);
        println!();
    }
    Ok(times_ms)
}

/// Shows the replies (shuffled in Exam mode) and applies the trainee's answer: a number, a typed
/// line in Recall, or a hang-up (also at the end of the input).
fn answer(d: &mut Dialogue, answers: &mut Answers) -> Result<(), CliError> {
    let typing = d.expects_typing();
    let authored: Vec<String> = d.choices().into_iter().map(|c| c.into_owned()).collect();
    // In Exam mode the choices are shown shuffled; `order` maps a shown number back.
    let order = d.choice_order();
    if !typing {
        for (k, &i) in order.iter().enumerate() {
            println!("  {}) {}", k + 1, authored[i]);
        }
    }
    let prompt = if typing { "you> " } else { "> " };
    loop {
        let Some(a) = answers.next(prompt) else {
            println!("(end of input: hanging up)");
            d.hang_up()?;
            return Ok(());
        };
        if is_hang_up(&a) {
            d.hang_up()?;
            return Ok(());
        }
        if typing {
            if a.is_empty() {
                println!("Type the line you would say (or q to hang up).");
                continue;
            }
            d.type_reply(&a)?;
            return Ok(());
        }
        match a.parse::<usize>() {
            Ok(n) if (1..=order.len()).contains(&n) => {
                d.choose(order[n - 1])?;
                return Ok(());
            }
            _ => println!("Type a number from 1 to {} (or q to hang up).", order.len()),
        }
    }
}

/// Stores the finished call in the trainee's records (creating the profile by name); when that
/// fails, the run is saved to a file in the current folder, so nothing is lost.
fn store(args: &Args, lib: &Library, run: &crate::domain::Run, played_at: i64) -> Result<(), CliError> {
    let stored = args.db.open().and_then(|mut r| {
        let t = r.trainee_or_new(crate::records::TraineeRef::parse(&args.trainee))?;
        Ok(r.store_run(crate::records::TraineeRef::Id(t.id), lib, run).map(|s| (t, s))?)
    });
    match stored {
        Ok((t, s)) => println!("\nstored as run {} in the records of {} (id {})", s.id, t.name, t.id),
        Err(e) => {
            let fallback = PathBuf::from(run_file_name(run, played_at));
            write_run(&fallback, run)?;
            eprintln!("warning: the call could not be stored in the records: {e}");
            eprintln!("the run was saved to {}; store it later with `callforge record`", fallback.display());
        }
    }
    Ok(())
}

/// Writes a run file, saying which file could not be written.
pub(crate) fn write_run(path: &std::path::Path, run: &crate::domain::Run) -> Result<(), CliError> {
    crate::domain::model::write_run(path, run)
        .map_err(|e| CliError::Io { context: format!("cannot write {}", path.display()), source: e })
}
