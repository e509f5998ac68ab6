//! `callforge export xapi`: runs as xAPI statements, to a file or straight to an LRS.

use super::records_args::{DbArg, Passwords};
use super::{CliError, CliResult, ScenarioDir, load_library};
use crate::report::xapi;
use std::path::PathBuf;
use std::process::ExitCode;

/// Export finished runs to a company LMS.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

#[derive(Debug, clap::Subcommand)]
enum Format {
    Xapi(XapiArgs),
}

/// Export every finished run, and every assignment, as xAPI 1.0.3 statements.
///
/// A run's statement: actor = the trainee (an account named by the trainee id), verb = passed or
/// failed for Exam and Recall runs and completed for Practice (ADL vocabulary), object = the
/// scenario as an activity with its version, result = score (scaled, raw, min, max), success,
/// completion and duration, and the time it was played. An assignment gives an "assigned"
/// statement (actor = the manager, verb = Activity Streams' assign, object = the assignment with
/// its task, due date, minimum score and who it is for) and a "completed" statement for each
/// trainee who met it (success = met by its due date; context = the statement of the run that met
/// it). Statement ids are stable, so exporting again never duplicates anything in the LRS.
///
/// Each request to the LRS must be answered within 30 s (CALLFORGE_NET_TIMEOUT_MS sets the limit
/// in milliseconds); a network failure, no answer, HTTP 5xx or 429 is tried again after a pause
/// (honouring Retry-After up to the limit), 3 tries in all. Only statements the LRS confirmed are
/// counted as accepted; after a failure, export again: the LRS keeps none twice.
///
/// Examples:
///   callforge export xapi --out statements.json
///   callforge export xapi --since 2026-11-01 --out november.json
///   printf '%s\n' "$LRS_PASSWORD" | callforge export xapi --lrs https://lrs.example/xAPI --user callforge --password-stdin
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
struct XapiArgs {
    /// Write the statements (a JSON array) here.
    #[arg(long, value_name = "FILE.json")]
    out: Option<PathBuf>,
    /// Post the statements to this LRS endpoint (…/xAPI or …/xAPI/statements). An http:// address
    /// on another machine gets a warning: the password would cross the network unencrypted.
    #[arg(long, value_name = "URL", requires = "user")]
    lrs: Option<String>,
    /// The LRS user (basic authentication).
    #[arg(long, value_name = "USER")]
    user: Option<String>,
    /// Read the LRS password from the first line of stdin instead of prompting.
    #[arg(long)]
    password_stdin: bool,
    /// Only runs played on or after this date (YYYY-MM-DD, UTC) or time (RFC 3339).
    #[arg(long, value_name = "DATE", value_parser = super::report::parse_since)]
    since: Option<i64>,
    /// The home page of trainee accounts in the statements.
    #[arg(long, value_name = "URL", default_value = "https://callforge.local")]
    home_page: String,
    /// The prefix of scenario activity ids.
    #[arg(long, value_name = "URL", default_value = "https://callforge.local/scenarios/")]
    activity_base: String,
    #[command(flatten)]
    scenarios: ScenarioDir,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: Args) -> CliResult {
    let Format::Xapi(a) = args.format;
    if a.out.is_none() && a.lrs.is_none() {
        return Err(CliError::msg("say where the statements go: --out FILE.json and/or --lrs URL"));
    }
    let lib = load_library(&a.scenarios)?;
    let mut records = a.db.open_existing()?;
    let identity = xapi::Identity { home_page: a.home_page.clone(), activity_base: a.activity_base.clone() };
    let statements = xapi::statements(&mut records, &lib, a.since, &identity)?;
    if let Some(out) = &a.out {
        let text = serde_json::to_string_pretty(&statements)?;
        crate::report::write_atomic(out, text.as_bytes())
            .map_err(|e| CliError::Io { context: format!("cannot write {}", out.display()), source: e })?;
        outln!("wrote {} statements to {}", statements.len(), out.display());
    }
    if let (Some(url), Some(user)) = (&a.lrs, &a.user) {
        if let Some(warning) = xapi::plain_http_warning(url) {
            eprintln!("{}", super::safe(&warning));
        }
        let password = Passwords::new(a.password_stdin)?.read(&format!("LRS password for {user}: "))?;
        let mut progress = |done: usize, total: usize| eprintln!("posted {done}/{total}");
        let posted = xapi::post(url, user, &password, &statements, &mut progress)?;
        outln!(
            "LRS: {} accepted, {} already there, {} rejected",
            posted.accepted,
            posted.already_there,
            posted.rejected.len()
        );
        for r in &posted.rejected {
            eprintln!("rejected: {}", super::safe(r));
        }
        if !posted.rejected.is_empty() {
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}
