//! The `callforge` binary: the command line, or the simulator window when no command is given.
//!
//! This is the one place that knows both shells: the command line and the app never import each
//! other, so the window's arguments are turned into the app's options here.

use callforge::cli::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Tool(tool)) => callforge::cli::run(tool),
        #[cfg(feature = "gui")]
        Some(Command::Window(args)) => window::open(args),
        #[cfg(feature = "gui")]
        Some(Command::Demo(args)) => window::demo(args, started),
        #[cfg(feature = "gui")]
        None => window::open(callforge::cli::window::WindowArgs::default()),
        #[cfg(not(feature = "gui"))]
        None => {
            let _ = started;
            no_window()
        }
    }
}

#[cfg(not(feature = "gui"))]
fn no_window() -> ExitCode {
    use clap::CommandFactory;
    let _ = Cli::command().print_help();
    eprintln!(
        "\nThis callforge was built without the simulator window (the `gui` feature); use `callforge play` for a call in the terminal."
    );
    ExitCode::from(2)
}

#[cfg(feature = "gui")]
mod window {
    use callforge::app::{Options, demo::DemoOptions};
    use callforge::cli::window::{DemoArgs, WindowArgs};
    use std::path::PathBuf;
    use std::process::ExitCode;

    /// Run files of the window's calls go beside the default records database.
    fn runs_dir() -> PathBuf {
        callforge::records::default_location().parent().map_or_else(|| PathBuf::from("runs"), |d| d.join("runs"))
    }

    fn exit_code(exit: bevy::app::AppExit) -> ExitCode {
        if exit.is_success() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
    }

    /// Each profile's sound settings are kept beside the default records database.
    fn sound_file() -> PathBuf {
        callforge::records::default_location()
            .parent()
            .map_or_else(|| PathBuf::from("sound.ron"), |d| d.join("sound.ron"))
    }

    /// Each profile's progress that no run shows (the script read) is kept beside the sound settings.
    fn progress_file() -> PathBuf {
        sound_file().with_file_name("progress.ron")
    }

    /// `callforge` or `callforge window`: the simulator window.
    pub fn open(args: WindowArgs) -> ExitCode {
        exit_code(callforge::app::run(Options {
            scenarios: args.scenarios.dir,
            db: args.db.location(),
            runs_dir: runs_dir(),
            voices: Some(args.voice_cache.unwrap_or_else(callforge::cli::voice::default_cache)),
            sound_file: Some(sound_file()),
            progress_file: Some(progress_file()),
            demo: None,
        }))
    }

    /// `callforge demo`: the scripted tour, on a fresh in-memory record store unless `--db` is given.
    pub fn demo(args: DemoArgs, started: std::time::Instant) -> ExitCode {
        let runs = std::env::temp_dir().join(format!("callforge-demo-runs-{}", std::process::id()));
        let create_manager = args.db.is_none();
        exit_code(callforge::app::run(Options {
            scenarios: args.scenarios.dir,
            db: args.db.unwrap_or_else(|| ":memory:".to_owned()),
            runs_dir: runs,
            voices: Some(args.voice_cache.unwrap_or_else(callforge::cli::voice::default_cache)),
            sound_file: None,
            progress_file: None,
            demo: Some(DemoOptions {
                screenshots: args.screenshots,
                bench_seconds: args.bench,
                started,
                create_manager,
            }),
        }))
    }
}
