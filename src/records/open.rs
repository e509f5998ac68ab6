//! Opening the records: the default location, probing a file or server before touching it, migrating.

use super::db::{Db, Pg, Sqlite};
use super::file::{self, DbFile};
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

/// A connection URL without its password, for messages: the password in the user information and
/// any `password=` parameter of the query are left out. Read as the PostgreSQL client reads it (the
/// user information ends at the first `@`), and as a person might mean it (at the last `@` before
/// the host), both are hidden. Anything that is not a URL is returned as it is.
pub fn redact(url: &str) -> String {
    let Some(s) = url.find("://") else { return url.to_owned() };
    let (scheme, rest) = (&url[..s + 3], &url[s + 3..]);
    let shown = match rest.find('@') {
        Some(first) => {
            let host_end = rest[first..].find(['/', '?']).map_or(rest.len(), |i| first + i);
            let last = rest[..host_end].rfind('@').unwrap_or(first);
            let user = rest[..first].split(':').next().unwrap_or("");
            format!("{scheme}{user}@{}", &rest[last + 1..])
        }
        None => url.to_owned(),
    };
    let Some(q) = super::pg_login::query_start(&shown) else { return shown };
    let kept: Vec<&str> = shown[q + 1..]
        .split('&')
        .filter(|pair| {
            let key = super::pg_login::decode(pair.split_once('=').map_or(*pair, |(k, _)| k));
            key != "password" && key != "sslpassword"
        })
        .collect();
    if kept.is_empty() { shown[..q].to_owned() } else { format!("{}?{}", &shown[..q], kept.join("&")) }
}

/// Why a database opened read-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ReadOnly {
    /// The file's permissions forbid writing it.
    File,
    /// Its folder is read-only, so SQLite cannot create the files it writes beside it.
    Folder(String),
}

impl ReadOnly {
    /// The error a write gets.
    pub(super) fn error(&self, location: &str) -> RecordsError {
        match self {
            ReadOnly::File => RecordsError::ReadOnly { what: location.to_owned() },
            ReadOnly::Folder(folder) => {
                RecordsError::ReadOnlyFolder { path: location.to_owned(), folder: folder.clone() }
            }
        }
    }
}

fn is_postgres(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

impl Records {
    /// Opens (creating if needed) the records at a path or a `postgres://` URL, and brings the
    /// schema up to date. A file that is not a callforge database is refused and never modified.
    /// For the commands that store.
    pub fn open(location: &str) -> Result<Records, RecordsError> {
        Self::open_with(location, schema::CURRENT, true)
    }

    /// Opens records that must already exist: a missing file, or a database with no callforge
    /// records, is an error instead of a new, empty database. For the commands that only read.
    pub fn open_existing(location: &str) -> Result<Records, RecordsError> {
        Self::open_with(location, schema::CURRENT, false)
    }

    /// Opens and migrates only up to `target` (tests use this to make an old database).
    pub fn open_at(location: &str, target: i64) -> Result<Records, RecordsError> {
        Self::open_with(location, target, true)
    }

    /// Opens the records with the database password typed at a prompt (after an open without it
    /// failed with [`RecordsError::PasswordNeeded`]); `create` as [`Records::open`] does.
    pub fn open_with_password(location: &str, password: &str, create: bool) -> Result<Records, RecordsError> {
        Self::open_as(location, schema::CURRENT, create, Some(password))
    }

    /// What the user should hear about how the records were reached (a password in the URL, a
    /// server reached without TLS or without checking its certificate…): a shell says each once.
    pub fn warnings(&self) -> &[String] {
        self.db.warnings()
    }

    /// For a PostgreSQL server, whether the connection is encrypted; `None` for an SQLite file.
    pub fn encrypted(&self) -> Option<bool> {
        match &self.db {
            Db::Postgres(pg) => Some(pg.encrypted()),
            Db::Sqlite(_) => None,
        }
    }

    fn open_with(location: &str, target: i64, create: bool) -> Result<Records, RecordsError> {
        Self::open_as(location, target, create, None)
    }

    fn open_as(location: &str, target: i64, create: bool, password: Option<&str>) -> Result<Records, RecordsError> {
        let (mut db, read_only, shown) = if is_postgres(location) {
            let shown = redact(location);
            (open_postgres(location, &shown, password)?, None, shown)
        } else {
            let (db, read_only) = open_sqlite(Path::new(location), create)?;
            (db, read_only, location.to_owned())
        };
        let clock = Clock::System;
        let have = schema::stored_version(&mut db, &shown)?;
        if have.is_none() && !create {
            return Err(RecordsError::NoRecords { location: shown });
        }
        if have.unwrap_or(0) < target {
            if let Some(why) = &read_only {
                return Err(why.error(&format!("{shown} (it needs a schema upgrade)")));
            }
            schema::migrate(&mut db, target, clock.now())?;
        }
        Ok(Records { db, location: shown, read_only, created: have.is_none(), clock })
    }
}

/// Opens an SQLite file, refusing (without writing a byte) anything that is not a callforge
/// database or is damaged, and a missing file unless `create`. A file this user may not write, or
/// one in a folder they may not write, opens read-only; when no writer has it open (no `-wal`
/// file), without locks, so reading leaves no `-wal`/`-shm` files that its owner could not write.
fn open_sqlite(path: &Path, create: bool) -> Result<(Db, Option<ReadOnly>), RecordsError> {
    use rusqlite::{Connection, OpenFlags};
    let shown = path.display().to_string();
    let open_error = |source| RecordsError::OpenSqlite { path: shown.clone(), source };
    if path.as_os_str() == file::MEMORY {
        if !create {
            return Err(RecordsError::NoRecords { location: shown });
        }
        let conn = Connection::open_in_memory().map_err(open_error)?;
        conn.execute_batch("PRAGMA foreign_keys = ON;").map_err(open_error)?;
        return Ok((Db::Sqlite(Box::new(Sqlite { conn, file: DbFile::in_memory() })), None));
    }
    let exists = path.symlink_metadata().is_ok();
    if !exists && !create {
        return Err(RecordsError::Missing { path: shown });
    }
    if exists && !create && std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
        return Err(RecordsError::NoRecords { location: shown });
    }
    let (conn, read_only, immutable) = if exists {
        let access = probe_sqlite(path, &shown)?;
        match &access.read_only {
            Some(_) => {
                let uri = file::read_only_uri(path, access.immutable)?;
                let flags =
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                (Connection::open_with_flags(uri, flags).map_err(open_error)?, access.read_only, access.immutable)
            }
            None => {
                let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                (Connection::open_with_flags(path, flags).map_err(open_error)?, None, false)
            }
        }
    } else {
        let folder = file::folder_of(path);
        std::fs::create_dir_all(&folder)
            .map_err(|e| RecordsError::Io { context: format!("cannot create {}", folder.display()), source: e })?;
        create_private(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        (Connection::open_with_flags(path, flags).map_err(open_error)?, None, false)
    };
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let setup = if read_only.is_some() {
        "PRAGMA foreign_keys = ON;"
    } else {
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
    };
    let file = DbFile::new(path, immutable)?;
    conn.execute_batch(setup).map_err(|e| match file.explain(e) {
        RecordsError::Sqlite(source) => RecordsError::SetUpSqlite { path: shown.clone(), source },
        other => other,
    })?;
    Ok((Db::Sqlite(Box::new(Sqlite { conn, file })), read_only))
}

/// Creates a new, empty database file that only its owner may read or write (mode 0600), before
/// SQLite opens it: SQLite gives the `-wal` and `-shm` files it makes beside it the same mode. A
/// file that appeared meanwhile is left as it is.
fn create_private(path: &Path) -> Result<(), RecordsError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(RecordsError::Io { context: format!("cannot create {}", path.display()), source: e }),
    }
}

/// How an existing SQLite file can be opened.
struct Access {
    read_only: Option<ReadOnly>,
    /// Read it without locks: it is read-only for this user and no writer has it open.
    immutable: bool,
}

/// Reads an existing file without writing to it (nor creating files beside it): it must be an
/// SQLite file, intact, and empty or callforge's. Says whether and why it must open read-only.
fn probe_sqlite(path: &Path, shown: &str) -> Result<Access, RecordsError> {
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
    let folder = file::folder_of(path);
    let read_only = if !file::may_write(&folder, true) {
        Some(ReadOnly::Folder(folder.display().to_string()))
    } else if !file::may_write(path, false) {
        Some(ReadOnly::File)
    } else {
        None
    };
    if read_only.is_none()
        && let Some(locked) = file::locked_sidecars(path)
    {
        return Err(locked);
    }
    let [wal, _] = file::sidecars(path);
    let immutable = read_only.is_some() && !wal.exists();
    let corrupt = |detail: String| RecordsError::Corrupt { path: shown.to_owned(), detail };
    let uri = file::read_only_uri(path, immutable)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let probe = Connection::open_with_flags(uri, flags).map_err(|e| corrupt(e.to_string()))?;
    let _ = probe.busy_timeout(BUSY_TIMEOUT);
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
            return Err(RecordsError::NotCallforge {
                path: shown.to_owned(),
                detail: format!("it holds other tables: {}", shorten(&tables.join(", "), 80)),
            });
        }
    }
    Ok(Access { read_only, immutable })
}

/// Text cut to at most `n` characters (never inside one), with `…` when cut.
pub(super) fn shorten(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(n).collect();
    cut.push('…');
    cut
}

/// Connects to PostgreSQL within the network time limit and refuses a database that holds
/// tables but is not callforge's.
fn open_postgres(url: &str, shown: &str, password: Option<&str>) -> Result<Db, RecordsError> {
    let mut db = Db::Postgres(Box::new(Pg::connect(url, shown, super::net_timeout(), password)?));
    let tables = db.tables()?;
    if !tables.is_empty() {
        let app = if tables.iter().any(|t| t == "meta") {
            db.query_value("SELECT value FROM meta WHERE key = 'app'", &[]).ok().flatten().map(|v| v.text())
        } else {
            None
        };
        if app.as_deref() != Some("callforge") {
            return Err(RecordsError::NotCallforge {
                path: shown.to_owned(),
                detail: format!("it holds other tables: {}", shorten(&tables.join(", "), 80)),
            });
        }
    }
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(redact("postgres://anna:s3cret@db.example/sales"), "postgres://anna@db.example/sales");
        assert_eq!(redact("postgres://anna:p@ss@db.example/sales"), "postgres://anna@db.example/sales");
        assert_eq!(redact("postgres://db.example/sales?user=a@b"), "postgres://db.example/sales?user=a@b");
        assert_eq!(redact("records.db"), "records.db");
        assert_eq!(redact("postgres://anna:secret/x@db.example/sales"), "postgres://anna@db.example/sales");
        assert_eq!(
            redact("postgres://anna@db.example/sales?sslmode=verify-full&password=s3cret&application_name=cf"),
            "postgres://anna@db.example/sales?sslmode=verify-full&application_name=cf"
        );
        assert_eq!(redact("postgres://db.example/sales?pass%77ord=s3cret"), "postgres://db.example/sales");
        assert_eq!(redact("https://lrs:key@lrs.example/xAPI"), "https://lrs@lrs.example/xAPI");
    }

    #[test]
    fn shortened_text_is_cut_between_characters() {
        assert_eq!(shorten("абвгд", 3), "абв…");
        assert_eq!(shorten("abc", 3), "abc");
    }
}
