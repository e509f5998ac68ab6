//! Opening the records: the default location, probing a file or server before touching it, migrating.

use super::db::Db;
use super::{Records, RecordsError, schema};
use crate::clock::Clock;
use std::path::{Path, PathBuf};

/// How long a writer waits for another to finish before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Where the records live when neither `--db` nor `CALLFORGE_DB` says: the user's data directory.
pub fn default_location() -> PathBuf {
    directories::ProjectDirs::from("", "", "callforge")
        .map_or_else(|| PathBuf::from("callforge.db"), |d| d.data_dir().join("callforge.db"))
}

/// A connection URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}@{}", &url[..s + 3], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

impl Records {
    /// Opens (creating if needed) the records at a path or a `postgres://` URL, and brings the
    /// schema up to date. A file that is not a callforge database is refused and never modified.
    pub fn open(location: &str) -> Result<Records, RecordsError> {
        Self::open_at(location, schema::CURRENT)
    }

    /// Opens and migrates only up to `target` (tests use this to make an old database).
    pub fn open_at(location: &str, target: i64) -> Result<Records, RecordsError> {
        let (mut db, read_only) = if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            (open_postgres(location)?, false)
        } else {
            open_sqlite(Path::new(location))?
        };
        let clock = Clock::System;
        let have = match db.query_value("SELECT value FROM meta WHERE key = 'schema_version'", &[]) {
            Ok(v) => v.map_or(0, |v| v.int()),
            Err(_) => 0,
        };
        if have > schema::CURRENT {
            return Err(RecordsError::Newer { found: have, supported: schema::CURRENT });
        }
        if have < target {
            if read_only {
                return Err(RecordsError::ReadOnly { what: format!("{location} (it needs a schema upgrade)") });
            }
            schema::migrate(&mut db, target, clock.now())?;
        }
        Ok(Records { db, location: location.to_owned(), read_only, clock })
    }
}

/// Opens an SQLite file, refusing (without writing a byte) anything that is not a callforge
/// database or is damaged. A file whose permissions forbid writing opens read-only.
fn open_sqlite(path: &Path) -> Result<(Db, bool), RecordsError> {
    use rusqlite::{Connection, OpenFlags};
    let shown = path.display().to_string();
    let mut read_only = false;
    if path.exists() {
        read_only = probe_sqlite(path, &shown)?;
    } else if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| RecordsError::Io { context: format!("cannot create {}", dir.display()), source: e })?;
    }
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|source| RecordsError::OpenSqlite { path: shown.clone(), source })?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let setup = if read_only {
        "PRAGMA foreign_keys = ON;"
    } else {
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
    };
    conn.execute_batch(setup).map_err(|source| RecordsError::SetUpSqlite { path: shown, source })?;
    Ok((Db::Sqlite(conn), read_only))
}

/// Reads an existing file without writing to it: it must be an SQLite file, intact, and empty or
/// callforge's. Returns whether its permissions forbid writing.
fn probe_sqlite(path: &Path, shown: &str) -> Result<bool, RecordsError> {
    use rusqlite::{Connection, OpenFlags};
    let meta =
        std::fs::metadata(path).map_err(|e| RecordsError::Io { context: format!("cannot read {shown}"), source: e })?;
    if meta.is_dir() {
        return Err(RecordsError::NotCallforge { path: shown.to_owned(), detail: "it is a folder".into() });
    }
    if meta.len() > 0 {
        use std::io::Read;
        let mut head = [0u8; 16];
        let n = std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut head))
            .map_err(|e| RecordsError::Io { context: format!("cannot read {shown}"), source: e })?;
        if n < 16 || &head != b"SQLite format 3\0" {
            return Err(RecordsError::NotSqlite { path: shown.to_owned() });
        }
    }
    let corrupt = |detail: String| RecordsError::Corrupt { path: shown.to_owned(), detail };
    let probe = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| corrupt(e.to_string()))?;
    let check: Result<String, _> = probe.query_row("PRAGMA quick_check", [], |r| r.get(0));
    match check {
        Ok(s) if s == "ok" => {}
        Ok(s) => return Err(corrupt(s)),
        Err(e) => return Err(corrupt(e.to_string())),
    }
    let tables: Vec<String> = probe
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
        .map_err(|e| corrupt(e.to_string()))?;
    if !tables.is_empty() {
        let app: Option<String> = probe.query_row("SELECT value FROM meta WHERE key = 'app'", [], |r| r.get(0)).ok();
        if app.as_deref() != Some("callforge") {
            let mut list = tables.join(", ");
            list.truncate(80);
            return Err(RecordsError::NotCallforge {
                path: shown.to_owned(),
                detail: format!("it holds other tables: {list}"),
            });
        }
    }
    Ok(meta.permissions().readonly())
}

/// Connects to PostgreSQL and refuses a database that holds tables but is not callforge's.
fn open_postgres(url: &str) -> Result<Db, RecordsError> {
    let shown = redact(url);
    let mut client = postgres::Client::connect(url, postgres::NoTls)
        .map_err(|source| RecordsError::Connect { location: shown.clone(), source })?;
    let tables: Vec<String> = client
        .query("SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = current_schema()", &[])
        .map_err(|source| RecordsError::Connect { location: shown.clone(), source })?
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect();
    if !tables.is_empty() {
        let app = if tables.iter().any(|t| t == "meta") {
            client
                .query_opt("SELECT value FROM meta WHERE key = 'app'", &[])
                .ok()
                .flatten()
                .map(|r| r.get::<_, String>(0))
        } else {
            None
        };
        if app.as_deref() != Some("callforge") {
            return Err(RecordsError::NotCallforge {
                path: shown,
                detail: format!("it holds other tables: {}", tables.join(", ")),
            });
        }
    }
    Ok(Db::Postgres(Box::new(client)))
}
