//! The PostgreSQL roles of a department server: what trainees' and managers' own logins may do.
//!
//! Two group roles without a login; each person's login is made a member of one of them. Both read
//! every table. A trainee's login only adds rows, to the tables that recording a run and adding a
//! profile need, and the server itself refuses it every UPDATE, DELETE and TRUNCATE — except the
//! value of a `…_head` row of `meta` (the chain heads, which every new run moves), narrowed to those
//! rows by row-level security, the signature of a ticket a proctor issues at the desk, the count of
//! failed sign-ins and a trainee's language (see `TRAINEE_UPDATES`). A manager's login adds rows anywhere and may UPDATE only the tables
//! that approvals change; nobody may DELETE. Tables are granted by name where it matters and "all
//! tables" where it does not, so the SQL fits any schema version; it is run again after an upgrade.

use super::db::Engine;
use super::{Records, RecordsError};

/// The default name of the trainees' group role.
pub const TRAINEE_ROLE: &str = "callforge_trainee";
/// The default name of the managers' group role.
pub const MANAGER_ROLE: &str = "callforge_manager";

/// The tables a trainee's own commands add rows to: a profile, a run and what it needs (the
/// scenario text it was scored on, its stages, its exam result), the audit trail, and `meta` (the
/// chain heads), and what a proctor or manager signing in at a trainee's desk writes: an exam
/// ticket and a failed sign-in. A table that does not exist yet (an older schema) is skipped.
pub const TRAINEE_INSERTS: &[&str] = &[
    "trainees",
    "runs",
    "run_stages",
    "scenario_versions",
    "exam_results",
    "audit",
    "meta",
    "tickets",
    "checkpoints",
    "sign_in_failures",
];

/// The columns a trainee's login may change besides the chain heads: the signature of a ticket, and
/// of the checkpoint every signed action writes, just issued at the desk (each signs its row's id,
/// so it is written after the row), the failed sign-ins of a user name, and a trainee's language.
/// None lets a trainee forge anything: a ticket's or checkpoint's signature is checked against its
/// manager's key, the lockout guards callforge's own sign-in, not a database login that can read the
/// password hashes anyway (argon2 is what makes guessing those slow), and a language only picks
/// which language's exam is shown (a pass counts in every language).
pub const TRAINEE_UPDATES: &[(&str, &str)] = &[
    ("tickets", "signature"),
    ("checkpoints", "signature"),
    ("sign_in_failures", "failures, last_at"),
    ("trainees", "language"),
];

/// The tables whose rows a manager's approvals change: a trainee's rung, a manager's password,
/// sealed key and approval, the chain heads, a ticket's or checkpoint's signature, failed sign-ins,
/// an assignment's signature and its withdrawal.
pub const MANAGER_UPDATES: &[&str] =
    &["trainees", "managers", "meta", "tickets", "checkpoints", "sign_in_failures", "assignments"];

/// Whether a name is a plain PostgreSQL role name (lower case, so it needs no quoting to be typed).
fn plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 63
        && chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn array(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    format!("ARRAY[{}]", quoted.join(", "))
}

/// The SQL that sets up (or brings up to date) the two roles, for the schema the connection uses.
/// It runs as the owner of callforge's tables (or a superuser), inside a transaction.
pub fn sql(trainee: &str, manager: &str) -> Result<String, RecordsError> {
    for name in [trainee, manager] {
        if !plain_name(name) {
            return Err(RecordsError::RoleName(name.to_owned()));
        }
    }
    if trainee == manager {
        return Err(RecordsError::RoleName(format!("{trainee} (the trainee and manager roles must differ)")));
    }
    let trainee_inserts = array(TRAINEE_INSERTS);
    let manager_updates = array(MANAGER_UPDATES);
    let trainee_updates: String = TRAINEE_UPDATES
        .iter()
        .map(|(t, columns)| {
            format!(
                "  IF to_regclass(format('%I.%I', s, '{t}')) IS NOT NULL THEN\n    \
                 EXECUTE format('GRANT UPDATE ({columns}) ON %I.%I TO %I', s, '{t}', trainee);\n  END IF;\n"
            )
        })
        .collect();
    Ok(format!(
        r#"DO $callforge$
DECLARE
  trainee CONSTANT text := '{trainee}';
  manager CONSTANT text := '{manager}';
  s CONSTANT text := current_schema();
  t text;
BEGIN
  -- Two group roles without a login. Each person gets a login of their own in one of them, e.g.
  --   CREATE ROLE olga LOGIN PASSWORD '...' IN ROLE {trainee};
  --   CREATE ROLE anna LOGIN PASSWORD '...' IN ROLE {manager};
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = trainee) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', trainee);
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = manager) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', manager);
  END IF;

  -- Start from nothing, so no privilege granted before (by hand, or by an older callforge) lingers.
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I, %I', s, trainee, manager);
  EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I, %I', s, trainee, manager);
  -- Only the owner makes tables in callforge's schema.
  EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', s);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I, %I', s, trainee, manager);

  -- Both read every table: their screens and reports, verify, and a manager signing in at a
  -- trainee's desk (a manager's key is sealed by the manager's password).
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I, %I', s, trainee, manager);
  -- New rows take new ids.
  EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I, %I', s, trainee, manager);

  -- Trainees only add rows, to the tables that recording a run and adding a profile need.
  FOREACH t IN ARRAY {trainee_inserts} LOOP
    IF to_regclass(format('%I.%I', s, t)) IS NOT NULL THEN
      EXECUTE format('GRANT INSERT ON %I.%I TO %I', s, t, trainee);
    END IF;
  END LOOP;

  -- ... and sign what they add where a proctor or manager signs at their desk (see TRAINEE_UPDATES).
{trainee_updates}
  -- Managers add rows to any table, and change rows only where approvals do.
  EXECUTE format('GRANT INSERT ON ALL TABLES IN SCHEMA %I TO %I', s, manager);
  FOREACH t IN ARRAY {manager_updates} LOOP
    IF to_regclass(format('%I.%I', s, t)) IS NOT NULL THEN
      EXECUTE format('GRANT UPDATE ON %I.%I TO %I', s, t, manager);
    END IF;
  END LOOP;

  -- meta holds the chain heads, which every new run moves: a trainee may set the value of a
  -- "..._head" row, and of no other row (not the schema version, not the application's name).
  IF to_regclass(format('%I.meta', s)) IS NOT NULL THEN
    EXECUTE format('GRANT UPDATE (value) ON %I.meta TO %I', s, trainee);
    EXECUTE format('ALTER TABLE %I.meta ENABLE ROW LEVEL SECURITY', s);
    EXECUTE format('DROP POLICY IF EXISTS callforge_rows ON %I.meta', s);
    EXECUTE format('CREATE POLICY callforge_rows ON %I.meta USING (true) WITH CHECK (true)', s);
    EXECUTE format('DROP POLICY IF EXISTS callforge_trainee_heads ON %I.meta', s);
    EXECUTE format($p$CREATE POLICY callforge_trainee_heads ON %I.meta AS RESTRICTIVE FOR UPDATE TO %I
      USING (key LIKE '%%\_head') WITH CHECK (key LIKE '%%\_head')$p$, s, trainee);
    EXECUTE format('DROP POLICY IF EXISTS callforge_trainee_new_heads ON %I.meta', s);
    EXECUTE format($p$CREATE POLICY callforge_trainee_new_heads ON %I.meta AS RESTRICTIVE FOR INSERT TO %I
      WITH CHECK (key LIKE '%%\_head')$p$, s, trainee);
  END IF;

  -- Tables a later callforge makes (as this same owner) are readable by both at once; run this
  -- again after every upgrade for what more they need.
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO %I, %I', s, trainee, manager);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE ON SEQUENCES TO %I, %I', s, trainee, manager);
END
$callforge$;"#
    ))
}

/// The SQL as a script to read or to run with psql: a comment saying what it is, in a transaction.
pub fn script(trainee: &str, manager: &str) -> Result<String, RecordsError> {
    Ok(format!(
        "-- callforge: the roles of a department's PostgreSQL server ({trainee}, {manager}).\n\
         -- Run it in the records' database as the owner of callforge's tables (or a superuser), after\n\
         -- callforge has made them, and again after every upgrade of callforge; `callforge db roles\n\
         -- --apply` does both. Trainees may add runs and read; nobody may UPDATE or DELETE history.\n\
         BEGIN;\n{}\nCOMMIT;\n",
        sql(trainee, manager)?
    ))
}

impl Records {
    /// Sets up the trainee and manager roles on a PostgreSQL server, as the connected user (who
    /// must own callforge's tables or be a superuser), and notes it in the audit trail. Returns the
    /// connected user's name.
    pub fn apply_roles(&mut self, trainee: &str, manager: &str) -> Result<String, RecordsError> {
        if self.engine() != Engine::Postgres {
            return Err(RecordsError::RolesNeedPostgres);
        }
        let sql = sql(trainee, manager)?;
        let now = self.now();
        self.write(|db| {
            let admin = db.query_value("SELECT current_user::TEXT", &[])?.map(|v| v.text()).unwrap_or_default();
            db.batch(&sql)?;
            Self::audit(db, now, &admin, "db.roles", &format!("trainee role {trainee}, manager role {manager}"))?;
            Ok(admin)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_plain_and_distinct() {
        assert!(sql("callforge_trainee", "sales_managers2").is_ok());
        for bad in ["Trainee", "1st", "a-b", "x\"; DROP TABLE runs; --", ""] {
            assert!(matches!(sql(bad, "m"), Err(RecordsError::RoleName(_))), "{bad}");
        }
        assert!(matches!(sql("same", "same"), Err(RecordsError::RoleName(_))));
    }

    #[test]
    fn trainees_get_no_update_or_delete_but_the_heads() {
        let text = sql(TRAINEE_ROLE, MANAGER_ROLE).expect("sql");
        assert!(!text.contains("DELETE"), "nobody is granted DELETE");
        assert!(!text.contains("TRUNCATE"));
        let updates: Vec<&str> = text.lines().filter(|l| l.contains("GRANT UPDATE")).collect();
        assert_eq!(updates.len(), 2 + TRAINEE_UPDATES.len(), "{updates:?}");
        assert!(text.contains("GRANT UPDATE (signature) ON %I.%I TO %I', s, 'tickets', trainee"), "{text}");
        assert!(updates.iter().any(|l| l.contains("UPDATE (value) ON %I.meta TO %I', s, trainee")));
        assert!(updates.iter().any(|l| l.contains("TO %I', s, t, manager")));
        assert!(text.contains("'runs', 'run_stages'"));
        let script = script(TRAINEE_ROLE, MANAGER_ROLE).expect("script");
        assert!(script.starts_with("-- callforge") && script.trim_end().ends_with("COMMIT;"));
    }
}
