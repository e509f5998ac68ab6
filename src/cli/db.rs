//! `callforge db roles`: the PostgreSQL roles of a department server, printed or applied.

use super::records_args::DbArg;
use super::{CliResult, safe};
use crate::records::roles;
use std::process::ExitCode;

/// The department's PostgreSQL server.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    Roles(RolesArgs),
}

/// Print, or with --apply run, the SQL that makes a trainee role and a manager role.
///
/// Each person then gets a PostgreSQL login of their own in one of the two roles, and their
/// desktop connects with it:
///
///   trainee role: reads every table, adds rows (a profile, runs and what a run needs, the audit
///     trail, the chain heads in meta); the server refuses it every UPDATE, DELETE and TRUNCATE,
///     except the value of the chain heads ("..._head" rows of meta, narrowed by row-level security).
///   manager role: reads every table, adds rows to any, changes only what approvals change (a
///     trainee's rung, a manager's password and key, the chain heads); never DELETE.
///
/// Nobody but the owner of callforge's tables may make tables or change the schema. The SQL fits any
/// schema version; run `callforge db roles --apply` again after every upgrade of callforge (as the
/// same administrator, who also upgrades the schema).
///
/// --apply connects as an administrator (the owner of callforge's tables, or a superuser), creates
/// the records if the database is empty, runs the SQL in one transaction and notes it in the audit
/// trail. Without --apply the SQL is printed for psql, and nothing is connected to.
///
/// Examples:
///   callforge db roles > roles.sql
///   export PGSSLMODE=verify-full PGSSLROOTCERT=ca.pem
///   callforge db roles --apply --db postgres://admin@db.example/sales
///   psql … -c "CREATE ROLE olga LOGIN PASSWORD '…' IN ROLE callforge_trainee"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
struct RolesArgs {
    /// Run the SQL on the server (--db) as the connected administrator, instead of printing it.
    #[arg(long)]
    apply: bool,
    /// The trainees' group role.
    #[arg(long, value_name = "NAME", default_value = roles::TRAINEE_ROLE)]
    trainee_role: String,
    /// The managers' group role.
    #[arg(long, value_name = "NAME", default_value = roles::MANAGER_ROLE)]
    manager_role: String,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: Args) -> CliResult {
    let Sub::Roles(a) = args.command;
    if !a.apply {
        out!("{}", roles::script(&a.trainee_role, &a.manager_role)?);
        return Ok(ExitCode::SUCCESS);
    }
    roles::sql(&a.trainee_role, &a.manager_role)?;
    let mut records = a.db.open()?;
    let admin = records.apply_roles(&a.trainee_role, &a.manager_role)?;
    outln!(
        "roles {} and {} are set up on {} (as {}).",
        a.trainee_role,
        a.manager_role,
        safe(records.location()),
        safe(&admin)
    );
    outln!("Give each person a login of their own in one of them, for instance:");
    outln!("  CREATE ROLE olga LOGIN PASSWORD '…' IN ROLE {};", a.trainee_role);
    outln!("  CREATE ROLE anna LOGIN PASSWORD '…' IN ROLE {};", a.manager_role);
    outln!("Run `callforge db roles --apply` again after every upgrade of callforge.");
    Ok(ExitCode::SUCCESS)
}
