//! The arguments of `callforge window` and `callforge demo`; the binary opens the window with them (the command line never imports the app).

use super::ScenarioDir;
use super::records_args::DbArg;
use std::path::PathBuf;

/// Open the simulator window (the same as running callforge with no command).
///
/// Pick or create your profile, then train: Practice (choices, with the script shown), Exam (the
/// next rung's scenarios, no hints) or Recall (type each line from memory). Everything works from
/// the keyboard: arrows and Enter, digits 1–9 for replies, Space to skip the customer's line, Esc
/// to go back or hang up, F2 to switch Русский/English, F3/F4 for the volume, F5 to mute, F6 for
/// the telephone sound (kept per profile). Customers speak the clips `callforge voice` renders;
/// lines without one are shown only. Every finished call is saved as a run file and stored in your
/// records. Scenario files are watched: save a file and the app reloads it, showing any errors.
///
/// Examples:
///   callforge
///   callforge window --scenarios my-scenarios --db team.db
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct WindowArgs {
    #[command(flatten)]
    pub scenarios: ScenarioDir,
    #[command(flatten)]
    pub db: DbArg,
    /// The voice clip cache that `callforge voice` fills (default: voices/ in your data directory).
    #[arg(long, value_name = "DIR", env = "CALLFORGE_VOICE_CACHE")]
    pub voice_cache: Option<PathBuf>,
}

impl Default for WindowArgs {
    /// What a bare `callforge` uses: the environment, else the defaults.
    fn default() -> Self {
        WindowArgs {
            scenarios: ScenarioDir {
                dir: std::env::var_os("CALLFORGE_SCENARIOS").map_or_else(|| PathBuf::from("scenarios"), PathBuf::from),
            },
            db: DbArg { db: std::env::var("CALLFORGE_DB").ok() },
            voice_cache: std::env::var_os("CALLFORGE_VOICE_CACHE").map(PathBuf::from),
        }
    }
}

/// Play a scripted tour of the window, saving a screenshot of each screen or measuring speed.
///
/// The tour goes start → home → picker → a Practice call (its first line heard, with the
/// subtitle and the speaking indicator, when the voices are rendered) → a Recall call with typed
/// text → results with the word diff, pressing keys as a trainee would. It uses a fresh in-memory
/// record store unless --db is given, so your records are untouched.
///
/// Examples:
///   callforge demo --screenshots shots/
///   xvfb-run -a callforge demo --screenshots shots/     # on a machine without a display
///   callforge demo --bench 10                           # launch time, fps during a call, peak memory
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct DemoArgs {
    /// Save one PNG per screen into this folder.
    #[arg(long, value_name = "DIR")]
    pub screenshots: Option<PathBuf>,
    /// Measure instead: the time to the first interactive frame, the frame rate over SECONDS of a
    /// call, and the peak memory; prints one JSON line.
    #[arg(long, value_name = "SECONDS")]
    pub bench: Option<f32>,
    #[command(flatten)]
    pub scenarios: ScenarioDir,
    /// The records database (default: a fresh one in memory).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<String>,
    /// The voice clip cache that `callforge voice` fills (default: voices/ in your data directory).
    #[arg(long, value_name = "DIR", env = "CALLFORGE_VOICE_CACHE")]
    pub voice_cache: Option<PathBuf>,
}
