//! The `callforge` binary: the command line, or the simulator window when no command is given.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    callforge::cli::mark_start();
    let cli = callforge::cli::Cli::parse();
    match cli.command {
        Some(command) => callforge::cli::run(command),
        None => open_window(),
    }
}

#[cfg(feature = "gui")]
fn open_window() -> ExitCode {
    callforge::cli::open_window()
}

#[cfg(not(feature = "gui"))]
fn open_window() -> ExitCode {
    use clap::CommandFactory;
    let _ = callforge::cli::Cli::command().print_help();
    eprintln!(
        "\nThis callforge was built without the simulator window (the `gui` feature); use `callforge play` for a call in the terminal."
    );
    ExitCode::from(2)
}
