//! The command line: argument definitions and dispatch to one module per subcommand.

/// `println!` for the command line: when the reader has gone (a closed pipe, as in `| head -1`),
/// callforge stops quietly instead of panicking.
macro_rules! outln {
    () => { $crate::cli::write_out(format_args!(""), true) };
    ($($t:tt)*) => { $crate::cli::write_out(format_args!($($t)*), true) };
}

/// `print!` for the command line, flushed (prompts), with the same care for a closed pipe.
macro_rules! out {
    ($($t:tt)*) => { $crate::cli::write_out(format_args!($($t)*), false) };
}

mod assign;
mod audit;
mod calibrate;
mod checkpoint;
mod db;
mod diagnostics;
mod drill;
mod export;
mod list;
mod manager;
mod play;
mod promote;
mod record;
mod records_args;
mod report;
mod report_text;
mod score;
mod script;
mod trainee;
mod validate;
mod verify;
pub mod voice;
#[cfg(feature = "gui")]
pub mod window;
mod words;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

pub use diagnostics::render as render_diagnostic;

/// callforge — a sales-call training simulator.
///
/// Trainees practise calls with simulated customers written in RON scenario files, are scored on
/// how faithfully they follow the company's script, and pass exams before each promotion
/// (Generator → Closer → Account manager).
///
/// Run with no command to open the simulator window (when built with the `gui` feature).
#[derive(Debug, Parser)]
#[command(name = "callforge", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Every command: the terminal tools, and (with the `gui` feature) the window, which the binary opens.
#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(flatten)]
    Tool(Tool),
    #[cfg(feature = "gui")]
    Window(window::WindowArgs),
    #[cfg(feature = "gui")]
    Demo(window::DemoArgs),
}

/// The commands that need no window.
#[derive(Debug, Subcommand)]
pub enum Tool {
    Validate(validate::Args),
    Calibrate(calibrate::Args),
    List(list::Args),
    Play(play::Args),
    Drill(drill::Args),
    Due(drill::DueArgs),
    Score(score::Args),
    Script(script::Args),
    Trainee(trainee::Args),
    Record(record::Args),
    Manager(manager::Args),
    Assign(assign::Args),
    Promote(promote::Args),
    /// Move a trainee one rung down, with a manager's approval (see `promote --help`).
    Demote(promote::Args),
    /// Put a trainee back on the first rung, with a manager's approval (see `promote --help`).
    Reset(promote::Args),
    Checkpoint(checkpoint::Args),
    Verify(verify::Args),
    Audit(audit::Args),
    Report(report::Args),
    Export(export::Args),
    Voice(voice::Args),
    Db(db::Args),
}

/// Where the scenario library lives, shared by the commands that read it.
#[derive(Debug, Clone, clap::Args)]
pub struct ScenarioDir {
    /// The scenario root: the folder with scripts/, generator/, closer/, account/ and ladder.ron.
    #[arg(long = "scenarios", value_name = "DIR", env = "CALLFORGE_SCENARIOS", default_value = "scenarios")]
    pub dir: PathBuf,
}

/// Runs a terminal command and prints its error, if any.
pub fn run(command: Tool) -> ExitCode {
    let result = match command {
        Tool::Validate(a) => validate::run(a),
        Tool::Calibrate(a) => calibrate::run(a),
        Tool::List(a) => list::run(a),
        Tool::Play(a) => play::run(a),
        Tool::Drill(a) => drill::run(a),
        Tool::Due(a) => drill::run_due(a),
        Tool::Score(a) => score::run(a),
        Tool::Script(a) => script::run(a),
        Tool::Trainee(a) => trainee::run(a),
        Tool::Record(a) => record::run(a),
        Tool::Manager(a) => manager::run(a),
        Tool::Assign(a) => assign::run(a),
        Tool::Promote(a) => promote::run(crate::records::RungChange::Promote, a),
        Tool::Demote(a) => promote::run(crate::records::RungChange::Demote, a),
        Tool::Reset(a) => promote::run(crate::records::RungChange::Reset, a),
        Tool::Checkpoint(a) => checkpoint::run(a),
        Tool::Verify(a) => verify::run(a),
        Tool::Audit(a) => audit::run(a),
        Tool::Report(a) => report::run(a),
        Tool::Export(a) => export::run(a),
        Tool::Voice(a) => voice::run(a),
        Tool::Db(a) => db::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprint!("{}", explain(&e));
            ExitCode::FAILURE
        }
    }
}

/// An error and the chain of causes under it, one per line, leaving out a cause whose words the
/// lines above already say.
pub fn explain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut said = e.to_string();
    let mut out = format!("error: {}\n", safe(&said));
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !said.contains(&text) {
            out.push_str(&format!("  caused by: {}\n", safe(&text)));
            said.push_str(&text);
        }
        cause = c.source();
    }
    out
}

/// An error a command reports to the user and exits 1 with. Errors from below keep their type, so
/// the whole chain of causes is printed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// What the user asked for cannot be done, in words.
    #[error("{0}")]
    Message(String),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    #[error(transparent)]
    Records(#[from] crate::records::RecordsError),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Input(#[from] crate::domain::InputError),
    #[error("{path}: {source}")]
    Replay { path: String, source: crate::domain::RunError },
    #[error(transparent)]
    Lrs(#[from] crate::report::xapi::LrsError),
}

impl CliError {
    pub fn msg(m: impl Into<String>) -> Self {
        CliError::Message(m.into())
    }
}

pub type CliResult = Result<ExitCode, CliError>;

/// Loads the library and prints its errors (not its warnings) to stderr; commands that play or score
/// go on with whatever loaded.
fn load_library(dir: &ScenarioDir) -> Result<crate::domain::Library, CliError> {
    if !dir.dir.exists() {
        return Err(CliError::msg(format!(
            "the scenario folder {} does not exist; pass --scenarios DIR or run from the folder that holds scenarios/",
            dir.dir.display()
        )));
    }
    let lib = crate::domain::Library::load(std::slice::from_ref(&dir.dir));
    let errors = lib.errors();
    if errors > 0 {
        eprintln!(
            "warning: {errors} error(s) in the scenario library; broken files are skipped (run `callforge validate {}` for details)",
            dir.dir.display()
        );
    }
    Ok(lib)
}

/// Text from a file or a database made safe for a terminal: control characters (escape sequences
/// that could clear the screen or move the cursor) are shown as `\u{…}` instead of acting.
pub(crate) fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(
                |c| {
                    if c.is_control() && c != '\n' && c != '\t' {
                        c.escape_unicode().to_string()
                    } else {
                        c.to_string()
                    }
                },
            )
            .collect(),
    )
}

/// Writes to standard output for `outln!` and `out!`; a closed pipe ends the process with status 0,
/// any other write error with status 1.
pub(crate) fn write_out(args: std::fmt::Arguments, newline: bool) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_fmt(args)
        .and_then(|()| if newline { stdout.write_all(b"\n") } else { Ok(()) })
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            std::process::exit(1)
        }
    }
}
