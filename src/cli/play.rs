//! `callforge play`: a whole call in the terminal, answered by number or by typing.

use super::records_args::Passwords;
use super::words::{Words, fill, terminal_lang, words};
use super::{CliError, CliResult, ScenarioDir, load_library, report_text, safe};
use crate::domain::feedback::Lang;
use crate::domain::finish::run_file_name;
use crate::domain::ladder;
use crate::domain::limits::MAX_TYPED_CHARS;
use crate::domain::model::Mode;
use crate::domain::seed::fresh_seed;
use crate::domain::time::format_time;
use crate::domain::{Dialogue, FinishedCall, Library, Playable, finish_call};
use crate::records::{Records, RecordsError, Ticket, Trainee, TraineeRef};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Play a call with a simulated customer in the terminal.
///
/// Everything around the call speaks the scenario's language (Russian or English). An exam or
/// recall call without --scenario first finds the trainee, then offers their next rung's exam in
/// their language (`callforge trainee set-lang`); a pass in the other language counts the same. The customer
/// speaks; you answer. In Practice and Exam mode you pick a numbered reply; in
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
/// An exam counts toward a promotion only when a proctor (a manager) opens it: with --proctor the
/// proctor types their password before the call, which signs an exam ticket for this trainee,
/// scenario and mode, with a seed drawn by the ticket (good for one attempt, within 2 hours). The
/// call is then stored with its ticket. Without a proctor, an exam or recall call counts as
/// practice. With --password-stdin the proctor's password is the first line of stdin, before
/// the answers.
///
/// Examples:
///   callforge play
///   callforge play --scenario generator/busy-office-manager --mode recall --trainee Olga
///   printf '1\n1\n1\n1\n' | callforge play --scenario generator/busy-office-manager --seed 7
///   callforge play --scenario closer/warm-lead-price --mode exam --trainee Olga --proctor anna
///   printf '%s\n1\n1\n1\n1\n' "$ANNA" | callforge play --scenario closer/warm-lead-price \
///       --mode exam --trainee Olga --proctor anna --password-stdin
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
    /// Without it a fresh seed is drawn and shown. A proctored exam takes its ticket's seed.
    #[arg(long, value_name = "N", conflicts_with = "proctor")]
    seed: Option<u64>,
    /// The proctor (a manager) who opens an exam or recall attempt that counts: they sign a ticket
    /// with their password before the call.
    #[arg(long, value_name = "USER", conflicts_with = "no_store")]
    proctor: Option<String>,
    /// Read the proctor's password from the first line of stdin (before the answers) instead of
    /// asking.
    #[arg(long, requires = "proctor")]
    password_stdin: bool,
    /// Your name, as the script says it (`{trainee}`). Without it, the name given last time is used;
    /// the first time, you are asked for it (at a terminal) and it is remembered beside the records.
    #[arg(long, value_name = "NAME")]
    trainee: Option<String>,
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
        out!("{prompt}");
        let line = self.lines.next()?.ok()?;
        if self.echo {
            outln!("{}", safe(&line));
        }
        Some(line.trim().to_owned())
    }
}

fn is_hang_up(s: &str) -> bool {
    matches!(s.to_lowercase().as_str(), "q" | "/q" | "/hangup" | "/hang-up" | "hangup" | "й")
}

pub fn run(args: Args) -> CliResult {
    let proctor = match &args.proctor {
        Some(_) if args.mode == Mode::Practice => {
            return Err(CliError::msg("a proctor opens an exam: use --mode exam or --mode recall with --proctor"));
        }
        Some(user) => {
            Some((user.clone(), Passwords::new(args.password_stdin)?.read(&format!("password for proctor {user}: "))?))
        }
        None => None,
    };
    let lib = load_library(&args.scenarios)?;
    let mut answers = Answers { lines: std::io::stdin().lock().lines(), echo: !std::io::stdin().is_terminal() };
    // An exam without --scenario: the trainee is found first, and the menu lists their next rung's
    // exam in their language.
    let exam_menu = args.scenario.is_none() && args.mode != Mode::Practice && !args.no_store;
    let mut early: Option<(String, Opened)> = None;
    let mut only: Option<(Vec<String>, Lang)> = None;
    if exam_menu {
        let name = trainee_name(&args, &mut answers, words(terminal_lang()));
        match open_trainee(&args, &name) {
            Ok((mut r, t)) => {
                only = Some(exam_menu_ids(&mut r, &t, &lib, args.mode)?);
                early = Some((name, Ok((r, t))));
            }
            Err(e) if proctor.is_some() => return Err(e),
            Err(e) => early = Some((name, Err(e))),
        }
    }
    let menu = only.as_ref().map(|(ids, lang)| (ids.as_slice(), *lang));
    let Some(playable) = pick_scenario(&args, &lib, &mut answers, menu)? else { return Ok(ExitCode::SUCCESS) };
    let lang = playable.lang();
    let w = words(lang);
    // The trainee's records are found (or their profile made) before the call, so the call greets
    // them by their name in the records, and a proctor's ticket names them.
    let (typed_name, mut records) = match early {
        Some((name, opened)) => (name, Some(opened)),
        None => {
            let typed_name = trainee_name(&args, &mut answers, w);
            let records = if args.no_store {
                None
            } else {
                match open_trainee(&args, &typed_name) {
                    Ok(pair) => Some(Ok(pair)),
                    Err(e) if proctor.is_some() => return Err(e),
                    Err(e) => Some(Err(e)),
                }
            };
            (typed_name, records)
        }
    };
    let trainee = match &records {
        Some(Ok((_, t))) => t.name.clone(),
        _ => typed_name,
    };
    let ticket = match (&proctor, &mut records) {
        (Some((user, password)), Some(Ok((r, t)))) => Some(
            r.issue_ticket(TraineeRef::Id(t.id), playable.id(), args.mode, user, password, &lib)
                .map_err(|e| exam_refused(e, lang))?,
        ),
        _ => None,
    };
    let seed = ticket.as_ref().map(|t| t.seed).or(args.seed).unwrap_or_else(fresh_seed);
    let look = Look { color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() };
    let sc = &playable.scenario;
    outln!("{}", look.bold(&format!("{} — {} {}", safe(&sc.title), lang.mode_name(args.mode), w.mode)));
    outln!("{}", look.dim(&fill(w.scenario_seed, &[("id", &sc.id), ("version", &sc.version), ("seed", &seed)])));
    match &ticket {
        Some(t) => outln!(
            "{}",
            look.dim(&fill(
                w.ticket,
                &[("ticket", &t.id), ("proctor", &safe(&t.proctor)), ("until", &format_time(t.expires_at))]
            ))
        ),
        None if args.mode != Mode::Practice && !args.no_store => outln!("{}", look.dim(w.unproctored)),
        None => {}
    }
    outln!("{}: {}", w.brief, safe(&sc.brief));
    outln!("{}: {}, {}, {}", w.customer, safe(&sc.persona.name), safe(&sc.persona.position), safe(&sc.persona.company));
    outln!("{}\n", if args.mode == Mode::Recall { w.answer_hint_recall } else { w.answer_hint });
    let mut d = Dialogue::new(Arc::clone(&playable), seed, args.mode, trainee.clone());
    let times_ms = play_turns(&mut d, &mut answers, look, w)?;
    if let Some(line) = d.customer_line() {
        outln!("{}: {}", look.bold(&safe(&sc.persona.name)), safe(&line));
    }
    outln!("{}\n", look.dim(w.call_ended));
    let played_at = crate::clock::Clock::System.now();
    let FinishedCall { run, score: s } = finish_call(&d, times_ms, played_at);
    out!("{}", report_text::render(&s, look.color));
    if let Some(path) = &args.record {
        write_run(path, &run)?;
        outln!("\n{} {}", w.run_written, path.display());
    }
    if let Some(records) = records {
        store(records, &lib, &run, ticket.as_ref(), played_at, lang)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The trainee's name: `--trainee`, else the one remembered from last time, else asked at a
/// terminal (and remembered), else a plain "Trainee" in the scenario's language.
fn trainee_name(args: &Args, answers: &mut Answers, w: &Words) -> String {
    let file = remembered_name_file(args);
    if let Some(given) = args.trainee.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        let name = display_name(args, given);
        remember(file.as_deref(), &name);
        return name;
    }
    if let Some(name) = file.as_deref().and_then(|f| std::fs::read_to_string(f).ok()) {
        let name = name.trim();
        if !name.is_empty() {
            return name.to_owned();
        }
    }
    if std::io::stdin().is_terminal()
        && let Some(name) = answers.next(w.your_name).filter(|n| !n.is_empty())
    {
        remember(file.as_deref(), &name);
        return name;
    }
    w.default_name.to_owned()
}

/// The records opened with the trainee found (or made), or why not.
type Opened = Result<(Records, Trainee), CliError>;

/// The records, and the trainee named (a new name gets a profile, its language not set: it
/// follows their runs until `trainee set-lang`).
fn open_trainee(args: &Args, name: &str) -> Opened {
    args.db.open().and_then(|mut r| Ok(r.trainee_or_new(TraineeRef::parse(name)).map(|t| (r, t))?))
}

/// The exam scenarios of the trainee's next rung in their language, and that language, for the
/// exam menu; refused, in that language, when there is no exam to take in `mode`.
fn exam_menu_ids(r: &mut Records, t: &Trainee, lib: &Library, mode: Mode) -> Result<(Vec<String>, Lang), CliError> {
    let language = r.exam_language(t, lib)?;
    let lang = Lang::from_code(&language);
    let w = words(lang);
    let ladder = lib.ladder.as_ref().ok_or_else(|| CliError::msg(w.no_ladder))?;
    let name = safe(&t.name);
    let Some(next) = ladder::next_role(ladder, t.role) else {
        return Err(CliError::msg(fill(w.top_of_ladder, &[("name", &name)])));
    };
    let rung = lang.role_name(next);
    let exam = ladder.rungs.iter().find(|r| r.role == next).and_then(|r| r.exam.as_ref());
    let Some(exam) = exam else { return Err(CliError::msg(fill(w.no_exam, &[("rung", &rung)]))) };
    if exam.mode != mode {
        let arg = exam.mode.as_str().to_lowercase();
        let wanted = lang.mode_name(exam.mode);
        return Err(CliError::msg(fill(w.exam_mode, &[("rung", &rung), ("mode", &wanted), ("arg", &arg)])));
    }
    Ok((ladder::exam_scenarios(ladder, lib, next, &language), lang))
}

/// A refused exam ticket, said in the scenario's language when it is about the exam itself.
fn exam_refused(e: RecordsError, lang: Lang) -> CliError {
    let w = words(lang);
    match &e {
        RecordsError::NotAnExam { scenario, mode } => {
            let mode = lang.mode_name(*mode);
            CliError::msg(fill(w.not_an_exam, &[("scenario", &safe(scenario)), ("mode", &mode)]))
        }
        RecordsError::ExamNotNext { scenario, to, name, .. } => {
            let to = lang.role_name(*to);
            CliError::msg(fill(w.exam_not_next, &[("scenario", &safe(scenario)), ("rung", &to), ("name", &safe(name))]))
        }
        RecordsError::ExamLocked { scenario, until, .. } => {
            CliError::msg(fill(w.exam_locked, &[("scenario", &safe(scenario)), ("until", until)]))
        }
        _ => e.into(),
    }
}

/// The name the script greets: `name:Olga` is Olga; `id:3` (or a bare 3) is the name of trainee 3
/// in the records, when they exist; anything else is the name as typed.
fn display_name(args: &Args, given: &str) -> String {
    use crate::records::TraineeRef;
    match TraineeRef::parse(given) {
        TraineeRef::Name(name) => name,
        who => args
            .db
            .open_existing()
            .ok()
            .and_then(|mut r| r.trainee(who).ok())
            .map_or_else(|| given.to_owned(), |t| t.name),
    }
}

/// Where the last trainee name is kept: beside the records database file, or in the data
/// directory when the records are on a server.
fn remembered_name_file(args: &Args) -> Option<PathBuf> {
    let location = args.db.location();
    let base = if location.contains("://") { crate::records::default_location() } else { PathBuf::from(location) };
    base.parent().map(|dir| dir.join("last-trainee.txt"))
}

fn remember(file: Option<&std::path::Path>, name: &str) {
    if let Some(f) = file
        && f.parent().is_some_and(std::path::Path::is_dir)
    {
        let _ = std::fs::write(f, format!("{name}\n"));
    }
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

/// The scenario named by `--scenario`, or one picked from a menu (of `only`'s scenarios, in its
/// language, when given: an exam's); `None` when the trainee quits.
fn pick_scenario(
    args: &Args,
    lib: &Library,
    answers: &mut Answers,
    only: Option<(&[String], Lang)>,
) -> Result<Option<Arc<Playable>>, CliError> {
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
    let all: Vec<&Arc<Playable>> = match only {
        Some((ids, _)) => ids.iter().filter_map(|id| lib.scenario(id)).collect(),
        None => lib.playable().collect(),
    };
    let lang = only.map_or_else(terminal_lang, |(_, lang)| lang);
    let w = words(lang);
    if all.is_empty() {
        return Err(CliError::msg(match only {
            Some(_) => w.no_exam_scenarios.to_owned(),
            None => format!("no playable scenarios in {}", args.scenarios.dir.display()),
        }));
    }
    outln!("{}", if only.is_some() { w.exams } else { w.scenarios });
    for (i, p) in all.iter().enumerate() {
        let sc = &p.scenario;
        let role = lang.role_name(sc.role);
        outln!("  {:>2}) [{role}] {} — {} ({})", i + 1, safe(&sc.title), safe(&sc.persona.name), sc.language);
    }
    loop {
        let Some(a) = answers.next(&fill(w.pick_scenario, &[("n", &all.len())])) else { return Ok(None) };
        match a.parse::<usize>() {
            Ok(n) if (1..=all.len()).contains(&n) => return Ok(Some(Arc::clone(all[n - 1]))),
            _ if is_hang_up(&a) => return Ok(None),
            _ => outln!("{}.", fill(w.type_a_number, &[("n", &all.len())])),
        }
    }
}

/// Plays the call turn by turn until it is over; returns when each answer was given (ms from the start).
fn play_turns(d: &mut Dialogue, answers: &mut Answers, look: Look, w: &Words) -> Result<Vec<u64>, CliError> {
    let started = std::time::Instant::now();
    let mut times_ms = Vec::new();
    let persona = d.playable().scenario.persona.name.clone();
    while !d.is_over() {
        if let Some(line) = d.customer_line() {
            outln!("{}: {}", look.bold(&safe(&persona)), safe(&line));
        }
        if d.mode() == Mode::Practice
            && let Some(stage) = d.expected_stage()
        {
            let hint = format!("  {} — {}: “{}”", w.script, stage.title, d.text(&stage.line));
            outln!("{}", look.dim(&safe(&hint)));
        }
        answer(d, answers, w)?;
        times_ms.push(started.elapsed().as_millis() as u64);
        outln!();
    }
    Ok(times_ms)
}

/// Shows the replies (shuffled in Exam mode) and applies the trainee's answer: a number, a typed
/// line in Recall, or a hang-up (also at the end of the input).
fn answer(d: &mut Dialogue, answers: &mut Answers, w: &Words) -> Result<(), CliError> {
    let typing = d.expects_typing();
    let authored: Vec<String> = d.choices().into_iter().map(|c| c.into_owned()).collect();
    // In Exam mode the choices are shown shuffled; `order` maps a shown number back.
    let order = d.choice_order();
    if !typing {
        for (k, &i) in order.iter().enumerate() {
            outln!("  {}) {}", k + 1, safe(&authored[i]));
        }
    }
    let prompt = if typing { "you> " } else { "> " };
    loop {
        let Some(a) = answers.next(prompt) else {
            outln!("{}", w.end_of_input);
            d.hang_up()?;
            return Ok(());
        };
        if is_hang_up(&a) {
            d.hang_up()?;
            return Ok(());
        }
        if typing {
            let chars = a.chars().count();
            if a.is_empty() {
                outln!("{}", w.type_a_line);
                continue;
            }
            if chars > MAX_TYPED_CHARS {
                outln!("{}", fill(w.too_long, &[("chars", &chars), ("max", &MAX_TYPED_CHARS)]));
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
            _ => outln!("{} {}.", fill(w.type_a_number, &[("n", &order.len())]), w.or_hang_up),
        }
    }
}

/// Stores the finished call in the trainee's records (with its ticket, for a proctored exam); when
/// that fails, the run is saved to a file in the current folder, so nothing is lost.
fn store(
    records: Opened,
    lib: &Library,
    run: &crate::domain::Run,
    ticket: Option<&Ticket>,
    played_at: i64,
    lang: Lang,
) -> Result<(), CliError> {
    let w = words(lang);
    let (id, stored) = match records {
        Ok((mut r, t)) => {
            let stored = match ticket {
                Some(tk) => r.store_run_with_ticket(TraineeRef::Id(t.id), lib, run, tk.id),
                None => r.store_run(TraineeRef::Id(t.id), lib, run),
            };
            (Some(t.id), stored.map(|s| (t, s)).map_err(CliError::from))
        }
        Err(e) => (None, Err(e)),
    };
    match stored {
        Ok((t, s)) => {
            outln!("\n{}", fill(w.stored, &[("run", &s.id), ("name", &safe(&t.name)), ("id", &t.id)]));
            if let Some(e) = &s.exam {
                let rung = lang.role_name(e.to_role);
                outln!("{}", fill(w.exam_attempt, &[("rung", &rung), ("note", &e.reason.text(lang))]));
            }
        }
        Err(e) => {
            let fallback = PathBuf::from(run_file_name(run, played_at));
            write_run(&fallback, run)?;
            eprintln!("{}: {}", w.not_stored, safe(&e.to_string()));
            eprintln!("{}", fill(w.saved_instead, &[("path", &fallback.display())]));
            if let (Some(tk), Some(id)) = (ticket, id) {
                let until = format_time(tk.expires_at);
                eprintln!(
                    "{}",
                    fill(
                        w.ticket_saved,
                        &[("until", &until), ("path", &fallback.display()), ("id", &id), ("ticket", &tk.id)]
                    )
                );
            }
        }
    }
    Ok(())
}

/// Writes a run file, saying which file could not be written.
pub(crate) fn write_run(path: &std::path::Path, run: &crate::domain::Run) -> Result<(), CliError> {
    crate::domain::model::write_run(path, run)
        .map_err(|e| CliError::Io { context: format!("cannot write {}", path.display()), source: e })
}
