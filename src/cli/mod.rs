//! The command line: argument definitions and dispatch to one module per subcommand.

mod diagnostics;
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
mod trainee;
mod validate;
mod verify;
#[cfg(feature = "gui")]
mod window;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

pub use diagnostics::render as render_diagnostic;
pub use play::fresh_seed;

/// When the process started, for the window's launch-time measurement.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Notes the start of the process; `main` calls it first thing.
pub fn mark_start() {
    STARTED.get_or_init(std::time::Instant::now);
}

/// When the process started (or now, if `mark_start` was never called).
pub fn started() -> std::time::Instant {
    *STARTED.get_or_init(std::time::Instant::now)
}

/// Opens the simulator window with the defaults (no command given).
#[cfg(feature = "gui")]
pub fn open_window() -> ExitCode {
    run(Command::Window(window::WindowArgs::default()))
}

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

#[derive(Debug, Subcommand)]
pub enum Command {
    Validate(validate::Args),
    List(list::Args),
    Play(play::Args),
    Score(score::Args),
    Trainee(trainee::Args),
    Record(record::Args),
    Manager(manager::Args),
    Promote(promote::Args),
    /// Move a trainee one rung down, with a manager's approval (see `promote --help`).
    Demote(promote::Args),
    /// Put a trainee back on the first rung, with a manager's approval (see `promote --help`).
    Reset(promote::Args),
    Verify(verify::Args),
    Report(report::Args),
    Export(export::Args),
    #[cfg(feature = "gui")]
    Window(window::WindowArgs),
    #[cfg(feature = "gui")]
    Demo(window::DemoArgs),
}

/// Where the scenario library lives, shared by the commands that read it.
#[derive(Debug, Clone, clap::Args)]
pub struct ScenarioDir {
    /// The scenario root: the folder with scripts/, generator/, closer/, account/ and ladder.ron.
    #[arg(long = "scenarios", value_name = "DIR", env = "CALLFORGE_SCENARIOS", default_value = "scenarios")]
    pub dir: PathBuf,
}

/// Runs a parsed command line. `None` means no subcommand: the caller opens the window.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Validate(a) => validate::run(a),
        Command::List(a) => list::run(a),
        Command::Play(a) => play::run(a),
        Command::Score(a) => score::run(a),
        Command::Trainee(a) => trainee::run(a),
        Command::Record(a) => record::run(a),
        Command::Manager(a) => manager::run(a),
        Command::Promote(a) => promote::run(crate::records::RungChange::Promote, a),
        Command::Demote(a) => promote::run(crate::records::RungChange::Demote, a),
        Command::Reset(a) => promote::run(crate::records::RungChange::Reset, a),
        Command::Verify(a) => verify::run(a),
        Command::Report(a) => report::run(a),
        Command::Export(a) => export::run(a),
        #[cfg(feature = "gui")]
        Command::Window(a) => window::window(a),
        #[cfg(feature = "gui")]
        Command::Demo(a) => window::demo(a, started()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// An error a command reports to the user and exits 1 with.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Message(String),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
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
