//! Versioned schema migrations, the same steps for SQLite and PostgreSQL, run at open.

use super::RecordsError;
use super::db::{Db, Engine, SqlValue};

/// Each migration, in order; the database's `schema_version` says how many have run.
/// `{id}` is an auto-increment primary key and `{real}` a double, spelled per engine.
pub const MIGRATIONS: &[&str] = &[
    // 1: trainees, runs with their hash chain, the scenario texts they were scored against,
    //    exam results, managers and promotions.
    "CREATE TABLE trainees (
        id {id},
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        created_at BIGINT NOT NULL
    );
    CREATE TABLE scenario_versions (
        hash TEXT PRIMARY KEY,
        scenario_id TEXT NOT NULL,
        version BIGINT NOT NULL,
        scenario_ron TEXT NOT NULL,
        script_ron TEXT NOT NULL
    );
    CREATE TABLE runs (
        id {id},
        trainee_id BIGINT NOT NULL REFERENCES trainees(id),
        scenario TEXT NOT NULL,
        role TEXT NOT NULL,
        version BIGINT NOT NULL,
        scenario_hash TEXT NOT NULL,
        mode TEXT NOT NULL,
        run_ron TEXT NOT NULL,
        score BIGINT NOT NULL,
        adherence {real} NOT NULL,
        passed BIGINT NOT NULL,
        critical BIGINT NOT NULL,
        finished BIGINT NOT NULL,
        outcome TEXT NOT NULL,
        label TEXT NOT NULL,
        breakdown TEXT NOT NULL,
        played_at BIGINT NOT NULL,
        recorded_at BIGINT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX runs_by_trainee ON runs (trainee_id, id);
    CREATE TABLE exam_results (
        id {id},
        run_id BIGINT NOT NULL UNIQUE REFERENCES runs(id),
        trainee_id BIGINT NOT NULL,
        scenario TEXT NOT NULL,
        to_role TEXT NOT NULL,
        mode TEXT NOT NULL,
        score BIGINT NOT NULL,
        passed BIGINT NOT NULL,
        counted BIGINT NOT NULL,
        note TEXT NOT NULL
    );
    CREATE TABLE managers (
        id {id},
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        trainee_id BIGINT NOT NULL,
        created_at BIGINT NOT NULL
    );
    CREATE TABLE promotions (
        id {id},
        trainee_id BIGINT NOT NULL REFERENCES trainees(id),
        kind TEXT NOT NULL,
        from_role TEXT NOT NULL,
        to_role TEXT NOT NULL,
        manager TEXT NOT NULL,
        at BIGINT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );",
    // 2: the audit trail, the call's length, and an index for per-scenario look-ups.
    "CREATE TABLE audit (
        id {id},
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    ALTER TABLE runs ADD COLUMN duration_ms BIGINT NOT NULL DEFAULT 0;
    CREATE INDEX runs_by_scenario ON runs (trainee_id, scenario);",
    // 3: how each script stage went in each run, for the managers' reports (filled in for
    //    existing runs from their stored breakdowns).
    "CREATE TABLE run_stages (
        run_id BIGINT NOT NULL REFERENCES runs(id),
        trainee_id BIGINT NOT NULL,
        role TEXT NOT NULL,
        stage TEXT NOT NULL,
        title TEXT NOT NULL,
        quality {real} NOT NULL,
        turns BIGINT NOT NULL,
        PRIMARY KEY (run_id, stage)
    );
    CREATE INDEX run_stages_by_trainee ON run_stages (trainee_id, stage);
    CREATE INDEX runs_by_time ON runs (played_at);",
    // 4: the scorer version each run was scored by (every run before this step was version 1).
    "ALTER TABLE runs ADD COLUMN scorer BIGINT NOT NULL DEFAULT 1;",
    // 5: signatures. Managers' keys (the public half, the secret half sealed by the password) and
    //    the signature that approved each account; signed promotions; proctors' exam tickets;
    //    signed checkpoints of the chain heads; failed sign-ins per user name; and, for runs, the
    //    hash version (2 covers every column), the ticket an exam was sat with and the fingerprint
    //    that stores one run file once. Rows made before this step keep verifying as they were
    //    (the `legacy_*` entries of `meta` say where they end).
    "ALTER TABLE managers ADD COLUMN public_key TEXT NOT NULL DEFAULT '';
    ALTER TABLE managers ADD COLUMN sealed_key TEXT NOT NULL DEFAULT '';
    ALTER TABLE managers ADD COLUMN approved_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE managers ADD COLUMN signature TEXT NOT NULL DEFAULT '';
    ALTER TABLE promotions ADD COLUMN signature TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN hash_version BIGINT NOT NULL DEFAULT 1;
    ALTER TABLE runs ADD COLUMN ticket_id BIGINT NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN fingerprint TEXT;
    CREATE UNIQUE INDEX runs_by_fingerprint ON runs (fingerprint);
    CREATE UNIQUE INDEX runs_by_ticket ON runs (ticket_id) WHERE ticket_id <> 0;
    CREATE TABLE tickets (
        id {id},
        trainee_id BIGINT NOT NULL REFERENCES trainees(id),
        scenario TEXT NOT NULL,
        scenario_hash TEXT NOT NULL,
        mode TEXT NOT NULL,
        seed BIGINT NOT NULL,
        issued_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        proctor TEXT NOT NULL,
        signature TEXT NOT NULL
    );
    CREATE TABLE checkpoints (
        id {id},
        at BIGINT NOT NULL,
        manager TEXT NOT NULL,
        runs_last BIGINT NOT NULL,
        runs_head TEXT NOT NULL,
        promotions_last BIGINT NOT NULL,
        promotions_head TEXT NOT NULL,
        prev TEXT NOT NULL,
        signature TEXT NOT NULL
    );
    CREATE TABLE sign_in_failures (
        username TEXT PRIMARY KEY,
        failures BIGINT NOT NULL,
        last_at BIGINT NOT NULL
    );",
    // 6: the language a trainee takes exams in ('' = not set: that of their latest run). Not signed:
    //    it only picks which language's exam is shown, and a pass counts in every language.
    "ALTER TABLE trainees ADD COLUMN language TEXT NOT NULL DEFAULT '';",
    // 7: for drill schedules, each stage row's day (UTC, the day the records received its run) and
    //    whether it was typed (Recall, Drill), so a trainee's reviews are read from one index
    //    without joining their runs; filled in for existing rows from their runs.
    "ALTER TABLE run_stages ADD COLUMN day BIGINT NOT NULL DEFAULT 0;
    ALTER TABLE run_stages ADD COLUMN typed BIGINT NOT NULL DEFAULT 0;
    UPDATE run_stages SET
        day = COALESCE((SELECT r.recorded_at / 86400 FROM runs r WHERE r.id = run_stages.run_id), 0),
        typed = COALESCE((SELECT CASE WHEN r.mode IN ('Recall', 'Drill') THEN 1 ELSE 0 END
                          FROM runs r WHERE r.id = run_stages.run_id), 0);
    CREATE INDEX run_stages_by_day ON run_stages (trainee_id, role, stage, day, quality, typed);",
    // 8: assignments a manager sets a trainee (trainee_id) or a whole rung (role, trainee_id 0): a
    //    call (scenario, mode) or drill answers (stage, '' for any; answers), a due time, a minimum
    //    score (-1: none) and a note, signed by the manager; a withdrawal is signed too. And an index
    //    that holds what assignments read of a trainee's runs, so they are read without the run
    //    files stored in the same rows.
    "CREATE TABLE assignments (
        id {id},
        trainee_id BIGINT NOT NULL,
        role TEXT NOT NULL,
        kind TEXT NOT NULL,
        scenario TEXT NOT NULL,
        mode TEXT NOT NULL,
        stage TEXT NOT NULL,
        answers BIGINT NOT NULL,
        due_at BIGINT NOT NULL,
        min_score BIGINT NOT NULL,
        note TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        manager TEXT NOT NULL,
        signature TEXT NOT NULL,
        cancelled_at BIGINT NOT NULL DEFAULT 0,
        cancelled_by TEXT NOT NULL DEFAULT '',
        cancel_signature TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX assignments_by_trainee ON assignments (trainee_id);
    CREATE INDEX runs_for_assignments ON runs (trainee_id, recorded_at, scenario, mode, score, finished);",
];

/// The schema version this callforge writes.
pub const CURRENT: i64 = MIGRATIONS.len() as i64;

fn spell(sql: &str, engine: Engine) -> String {
    let (id, real) = match engine {
        Engine::Sqlite => ("INTEGER PRIMARY KEY", "REAL"),
        Engine::Postgres => ("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "DOUBLE PRECISION"),
    };
    sql.replace("{id}", id).replace("{real}", real)
}

/// The schema version of an open callforge database (0 for a new, empty one).
pub fn version(db: &mut Db) -> Result<i64, RecordsError> {
    Ok(db.query_value("SELECT value FROM meta WHERE key = 'schema_version'", &[])?.map_or(0, |v| v.int()))
}

/// The schema version a database says it has, checked against the tables it holds; `None` for a
/// new, empty database. A version callforge never writes, or tables that do not match it, is
/// refused as not a callforge database (`shown` names it), before anything is written.
pub fn stored_version(db: &mut Db, shown: &str) -> Result<Option<i64>, RecordsError> {
    let not_ours = |detail: String| RecordsError::NotCallforge { path: shown.to_owned(), detail };
    let tables = db.tables()?;
    if tables.is_empty() {
        return Ok(None);
    }
    if !tables.iter().any(|t| t == "meta") {
        return Err(not_ours(format!("it holds other tables: {}", super::open::shorten(&tables.join(", "), 80))));
    }
    let read = |db: &mut Db, key: &str| -> Result<Option<String>, RecordsError> {
        db.query_value("SELECT value FROM meta WHERE key = $1", &[key.into()])
            .map(|v| v.map(|v| v.text()))
            .map_err(|e| not_ours(format!("its meta table cannot be read: {e}")))
    };
    if read(db, "app")?.as_deref() != Some("callforge") {
        return Err(not_ours("its meta table does not name callforge".into()));
    }
    let Some(text) = read(db, "schema_version")? else {
        return Err(not_ours("it has no schema version".into()));
    };
    match text.trim().parse::<i64>() {
        Ok(v) if v > CURRENT => Err(RecordsError::Newer { found: v, supported: CURRENT }),
        Ok(v) if v >= 1 => {
            check_shape(db, v).map_err(not_ours)?;
            Ok(Some(v))
        }
        _ => Err(not_ours(format!(
            "its schema version is \"{}\", which no callforge writes",
            super::open::shorten(&text, 40)
        ))),
    }
}

/// What one migration creates: tables, and columns added to existing tables.
fn creates(step: &str) -> (Vec<&str>, Vec<(&str, &str)>) {
    fn name(w: &str) -> &str {
        w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_')
    }
    let words: Vec<&str> = step.split_whitespace().collect();
    let mut tables = Vec::new();
    let mut columns = Vec::new();
    for (i, w) in words.iter().enumerate() {
        match (*w, words.get(i + 1), words.get(i + 2)) {
            ("CREATE", Some(&"TABLE"), Some(t)) => tables.push(name(t)),
            ("ALTER", Some(&"TABLE"), Some(t)) if words.get(i + 3..i + 5) == Some(&["ADD", "COLUMN"][..]) => {
                if let Some(c) = words.get(i + 5) {
                    columns.push((name(t), name(c)));
                }
            }
            _ => {}
        }
    }
    (tables, columns)
}

/// Whether the tables and columns a database holds are those of schema version `v`: everything the
/// first `v` migrations create, and nothing a later one does.
fn check_shape(db: &mut Db, v: i64) -> Result<(), String> {
    let tables = db.tables().map_err(|e| e.to_string())?;
    let has_table = |t: &str| tables.iter().any(|x| x == t);
    for (i, step) in MIGRATIONS.iter().enumerate() {
        let n = i as i64 + 1;
        let (created, added) = creates(step);
        for t in created {
            match (n <= v, has_table(t)) {
                (true, false) => {
                    return Err(format!(
                        "its schema version says {v}, but table {t}, which version {n} adds, is missing"
                    ));
                }
                (false, true) => {
                    return Err(format!("its schema version says {v}, but it holds table {t}, which version {n} adds"));
                }
                _ => {}
            }
        }
        for (t, c) in added {
            if !has_table(t) {
                continue;
            }
            let has = db.columns(t).map_err(|e| e.to_string())?.iter().any(|x| x == c);
            match (n <= v, has) {
                (true, false) => {
                    return Err(format!(
                        "its schema version says {v}, but column {t}.{c}, which version {n} adds, is missing"
                    ));
                }
                (false, true) => {
                    return Err(format!(
                        "its schema version says {v}, but it holds column {t}.{c}, which version {n} adds"
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Creates the meta table of a new database and brings the schema up to `target`, each step in a
/// transaction of its own. Returns the versions applied.
pub fn migrate(db: &mut Db, target: i64, now: i64) -> Result<Vec<i64>, RecordsError> {
    let mut applied = Vec::new();
    loop {
        db.begin_write()?;
        let result = (|| {
            db.batch("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")?;
            let have = version(db)?;
            if have > CURRENT {
                return Err(RecordsError::Newer { found: have, supported: CURRENT });
            }
            if have >= target {
                return Ok(None);
            }
            if have == 0 {
                db.execute("INSERT INTO meta (key, value) VALUES ('app', 'callforge')", &[])?;
                db.execute(
                    "INSERT INTO meta (key, value) VALUES ('created_at', $1)",
                    &[SqlValue::from(now.to_string())],
                )?;
                db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '0')", &[])?;
            }
            let step = usize::try_from(have).ok().and_then(|i| MIGRATIONS.get(i)).ok_or_else(|| {
                RecordsError::NotCallforge { path: "the database".into(), detail: format!("schema version {have}") }
            })?;
            db.batch(&spell(step, db.engine()))?;
            backfill(db, have + 1)?;
            db.execute(
                "UPDATE meta SET value = $1 WHERE key = 'schema_version'",
                &[SqlValue::from((have + 1).to_string())],
            )?;
            Ok(Some(have + 1))
        })();
        match result {
            Ok(Some(v)) => {
                db.commit()?;
                applied.push(v);
            }
            Ok(None) => {
                db.commit()?;
                return Ok(applied);
            }
            Err(e) => {
                db.rollback();
                return Err(e);
            }
        }
    }
}

/// Data a migration derives from what is already stored.
fn backfill(db: &mut Db, version: i64) -> Result<(), RecordsError> {
    match version {
        3 => {
            let rows = db.query("SELECT id, trainee_id, role, breakdown FROM runs ORDER BY id", &[])?;
            for r in rows {
                let Ok(score) = serde_json::from_str::<crate::domain::Score>(&r[3].text()) else { continue };
                super::runs::insert_stages(db, r[0].int(), r[1].int(), &r[2].text(), &score, None)?;
            }
            Ok(())
        }
        5 => backfill_signatures(db),
        _ => Ok(()),
    }
}

/// What schema 5 derives: where the rows made before signatures end, the fingerprint of every run
/// already stored (the first of two identical runs keeps it), and an unsigned "legacy" promotion
/// for each trainee whose rung their promotions do not explain, so that every rung is explained
/// by the promotions' chain from then on.
fn backfill_signatures(db: &mut Db) -> Result<(), RecordsError> {
    let mut seen = std::collections::HashSet::new();
    for r in db.query("SELECT id, run_ron FROM runs ORDER BY id", &[])? {
        let Ok(run) = crate::domain::parse::ron_options().from_str::<crate::domain::Run>(&r[1].text()) else {
            continue;
        };
        let fingerprint = super::runs::fingerprint(&run);
        if seen.insert(fingerprint.clone()) {
            db.execute("UPDATE runs SET fingerprint = $1 WHERE id = $2", &[fingerprint.into(), r[0].int().into()])?;
        }
    }
    let now = version_time(db)?;
    for t in db.query("SELECT id, role FROM trainees ORDER BY id", &[])? {
        let (id, role) = (t[0].int(), t[1].text());
        let last = db.query_value(
            "SELECT to_role FROM promotions WHERE trainee_id = $1 ORDER BY id DESC LIMIT 1",
            &[id.into()],
        )?;
        let explained = last.map_or_else(|| crate::domain::Role::Generator.as_str().to_owned(), |v| v.text());
        if explained != role {
            super::promotions::append_legacy(db, id, &explained, &role, now)?;
        }
    }
    for (key, table) in [(LEGACY_RUNS, "runs"), (LEGACY_PROMOTIONS, "promotions"), (LEGACY_MANAGERS, "managers")] {
        let last = db.query_value(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"), &[])?.map_or(0, |v| v.int());
        db.execute("INSERT INTO meta (key, value) VALUES ($1, $2)", &[key.into(), last.to_string().into()])?;
    }
    Ok(())
}

/// When the database was set up (the time a legacy row is stamped with): `meta.created_at`.
fn version_time(db: &mut Db) -> Result<i64, RecordsError> {
    Ok(db.query_value("SELECT value FROM meta WHERE key = 'created_at'", &[])?.map_or(0, |v| v.int()))
}

/// `meta` keys: the last run, promotion and manager made before signatures (schema 5); later rows
/// must be signed (promotions, managers) or carry hash version 2 (runs).
pub const LEGACY_RUNS: &str = "legacy_runs_until";
pub const LEGACY_PROMOTIONS: &str = "legacy_promotions_until";
pub const LEGACY_MANAGERS: &str = "legacy_managers_until";

/// Where the rows made before signatures end: (runs, promotions, managers); zeros for a database
/// made with signatures.
pub fn legacy_bounds(db: &mut Db) -> Result<(i64, i64, i64), RecordsError> {
    let mut read = |key: &str| -> Result<i64, RecordsError> {
        Ok(db.query_value("SELECT value FROM meta WHERE key = $1", &[key.into()])?.map_or(0, |v| v.int()))
    };
    Ok((read(LEGACY_RUNS)?, read(LEGACY_PROMOTIONS)?, read(LEGACY_MANAGERS)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_says_what_it_creates() {
        let (tables, columns) = creates(MIGRATIONS[0]);
        assert_eq!(tables, ["trainees", "scenario_versions", "runs", "exam_results", "managers", "promotions"]);
        assert!(columns.is_empty());
        assert_eq!(creates(MIGRATIONS[1]), (vec!["audit"], vec![("runs", "duration_ms")]));
        assert_eq!(creates(MIGRATIONS[2]).0, ["run_stages"]);
        assert_eq!(creates(MIGRATIONS[3]), (vec![], vec![("runs", "scorer")]));
        let (tables, columns) = creates(MIGRATIONS[4]);
        assert_eq!(tables, ["tickets", "checkpoints", "sign_in_failures"]);
        assert!(columns.contains(&("managers", "public_key")) && columns.contains(&("runs", "fingerprint")));
        assert_eq!(creates(MIGRATIONS[5]), (vec![], vec![("trainees", "language")]));
        assert_eq!(creates(MIGRATIONS[7]), (vec!["assignments"], vec![]));
    }
}
