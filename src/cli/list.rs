//! `callforge list`: the scenarios of the library, by role.

use super::{CliResult, ScenarioDir, load_library};
use crate::domain::Role;
use serde::Serialize;
use std::process::ExitCode;

/// List the scenarios by role, with their titles, languages and difficulty.
///
/// Broken scenarios are listed too, marked BROKEN with their first error, so that an author sees
/// at once what needs fixing.
///
/// Examples:
///   callforge list
///   callforge list --role closer
///   callforge list --json | jq '.[] | select(.language == "ru") | .id'
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only this role: generator, closer or account (AccountManager).
    #[arg(long, value_name = "ROLE", value_parser = parse_role)]
    role: Option<Role>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    scenarios: ScenarioDir,
}

pub(crate) fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("unknown role `{s}`; use generator, closer or account"))
}

#[derive(Debug, Serialize)]
struct Row {
    id: Option<String>,
    title: Option<String>,
    role: Option<Role>,
    language: Option<String>,
    difficulty: Option<String>,
    customer: Option<String>,
    script: Option<String>,
    nodes: Option<usize>,
    pass_mark: Option<u32>,
    path: String,
    broken: Option<String>,
}

pub fn run(args: Args) -> CliResult {
    let lib = load_library(&args.scenarios)?;
    let rows: Vec<Row> = lib
        .scenarios
        .iter()
        .filter(|e| args.role.is_none() || e.role == args.role)
        .map(|e| {
            let p = e.playable.as_ref();
            Row {
                id: e.id.clone(),
                title: e.title.clone(),
                role: e.role,
                language: e.language.clone(),
                difficulty: p.map(|p| format!("{:?}", p.scenario.difficulty)),
                customer: p.map(|p| {
                    let c = &p.scenario.persona;
                    format!("{}, {}, {}", c.name, c.position, c.company)
                }),
                script: p.map(|p| p.script.id.clone()),
                nodes: p.map(|p| p.node_count()),
                pass_mark: p.map(|p| p.scenario.pass_mark),
                path: e.path.clone(),
                broken: e.first_error.as_ref().map(|d| d.to_string()),
            }
        })
        .collect();
    if args.json {
        let text = serde_json::to_string_pretty(&rows)?;
        outln!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        outln!("no scenarios found in {}", args.scenarios.dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    for role in Role::ALL.iter().copied().map(Some).chain([None]) {
        let group: Vec<&Row> = rows.iter().filter(|r| r.role == role).collect();
        if group.is_empty() {
            continue;
        }
        outln!("{}", role.map_or("Unknown role".to_owned(), |r| format!("{r} ({} scenarios)", group.len())));
        let width = group.iter().map(|r| r.id.as_deref().unwrap_or("?").chars().count()).max().unwrap_or(0);
        for r in group {
            let id = r.id.as_deref().unwrap_or("?");
            let pad = " ".repeat(width - id.chars().count());
            match &r.broken {
                Some(err) => outln!("  {id}{pad}  BROKEN  {err}"),
                None => outln!(
                    "  {id}{pad}  {}  {:<6}  {}  — {}",
                    r.language.as_deref().unwrap_or("?"),
                    r.difficulty.as_deref().unwrap_or(""),
                    r.title.as_deref().unwrap_or(""),
                    r.customer.as_deref().unwrap_or(""),
                ),
            }
        }
        outln!();
    }
    Ok(ExitCode::SUCCESS)
}
