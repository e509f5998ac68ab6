//! One small SQL surface over SQLite and PostgreSQL, so the records logic is written once.
//!
//! Statements use `$1, $2, …` placeholders, which both engines accept, and only BIGINT, DOUBLE and
//! TEXT values (booleans are 0/1), so the same SQL text runs on both.

use super::RecordsError;
use super::file::DbFile;
pub use super::pg::Pg;

/// A value passed to or read from a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Int(i64),
    Real(f64),
    Text(String),
    Null,
}

impl SqlValue {
    pub fn int(&self) -> i64 {
        match self {
            SqlValue::Int(i) => *i,
            SqlValue::Real(r) => *r as i64,
            SqlValue::Text(t) => t.parse().unwrap_or(0),
            SqlValue::Null => 0,
        }
    }

    pub fn real(&self) -> f64 {
        match self {
            SqlValue::Int(i) => *i as f64,
            SqlValue::Real(r) => *r,
            SqlValue::Text(t) => t.parse().unwrap_or(0.0),
            SqlValue::Null => 0.0,
        }
    }

    pub fn text(&self) -> String {
        match self {
            SqlValue::Text(t) => t.clone(),
            SqlValue::Int(i) => i.to_string(),
            SqlValue::Real(r) => r.to_string(),
            SqlValue::Null => String::new(),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, SqlValue::Null)
    }
}

impl From<i64> for SqlValue {
    fn from(v: i64) -> Self {
        SqlValue::Int(v)
    }
}
impl From<u32> for SqlValue {
    fn from(v: u32) -> Self {
        SqlValue::Int(i64::from(v))
    }
}
impl From<bool> for SqlValue {
    fn from(v: bool) -> Self {
        SqlValue::Int(i64::from(v))
    }
}
impl From<f64> for SqlValue {
    fn from(v: f64) -> Self {
        SqlValue::Real(v)
    }
}
impl From<&str> for SqlValue {
    fn from(v: &str) -> Self {
        SqlValue::Text(v.to_owned())
    }
}
impl From<String> for SqlValue {
    fn from(v: String) -> Self {
        SqlValue::Text(v)
    }
}
impl From<&String> for SqlValue {
    fn from(v: &String) -> Self {
        SqlValue::Text(v.clone())
    }
}

/// Which engine a database runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// An open database connection.
#[derive(Debug)]
pub enum Db {
    Sqlite(Box<Sqlite>),
    Postgres(Box<Pg>),
}

/// An SQLite connection and the file it has open.
pub struct Sqlite {
    pub(super) conn: rusqlite::Connection,
    pub(super) file: DbFile,
}

impl std::fmt::Debug for Sqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sqlite").field("file", &self.file.shown()).finish_non_exhaustive()
    }
}

impl Sqlite {
    /// Fails when the file at the path is no longer the connection's. Then the connection's
    /// changes are folded out of the `-wal` file at the path (into the file the connection has
    /// open, wherever it went), so that file can never be read as part of the one now at the path.
    fn check_same(&self) -> Result<(), RecordsError> {
        self.file.check_same().inspect_err(|_| {
            let _ = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
        })
    }

    /// Runs a statement, then makes sure a lock-free reader's file did not change meanwhile.
    fn run<T>(&self, f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>) -> Result<T, RecordsError> {
        let v = f(&self.conn).map_err(|e| self.file.explain(e))?;
        self.file.check_unchanged()?;
        Ok(v)
    }
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// What the user should hear about how the connection was made (PostgreSQL only).
    pub fn warnings(&self) -> &[String] {
        match self {
            Db::Sqlite(_) => &[],
            Db::Postgres(c) => c.warnings(),
        }
    }

    /// Runs several statements with no parameters (DDL, PRAGMA, BEGIN, …).
    pub fn batch(&mut self, sql: &str) -> Result<(), RecordsError> {
        match self {
            Db::Sqlite(s) => s.run(|c| c.execute_batch(sql)),
            Db::Postgres(c) => c.batch(sql),
        }
    }

    /// Runs one statement; returns the number of rows changed.
    pub fn execute(&mut self, sql: &str, params: &[SqlValue]) -> Result<u64, RecordsError> {
        match self {
            Db::Sqlite(s) => s.run(|c| {
                let mut stmt = c.prepare_cached(sql)?;
                let n = stmt.execute(rusqlite::params_from_iter(params.iter().map(to_sqlite)))?;
                Ok(n as u64)
            }),
            Db::Postgres(c) => c.execute(sql, params),
        }
    }

    /// Runs a query and returns every row.
    pub fn query(&mut self, sql: &str, params: &[SqlValue]) -> Result<Vec<Vec<SqlValue>>, RecordsError> {
        match self {
            Db::Sqlite(s) => s.run(|c| {
                let mut stmt = c.prepare_cached(sql)?;
                let cols = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(params.iter().map(to_sqlite)))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let mut r = Vec::with_capacity(cols);
                    for i in 0..cols {
                        r.push(match row.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => SqlValue::Null,
                            rusqlite::types::ValueRef::Integer(i) => SqlValue::Int(i),
                            rusqlite::types::ValueRef::Real(f) => SqlValue::Real(f),
                            rusqlite::types::ValueRef::Text(t) => {
                                SqlValue::Text(String::from_utf8_lossy(t).into_owned())
                            }
                            rusqlite::types::ValueRef::Blob(b) => {
                                SqlValue::Text(String::from_utf8_lossy(b).into_owned())
                            }
                        });
                    }
                    out.push(r);
                }
                Ok(out)
            }),
            Db::Postgres(c) => c.query(sql, params),
        }
    }

    /// The first column of the first row, if any.
    pub fn query_value(&mut self, sql: &str, params: &[SqlValue]) -> Result<Option<SqlValue>, RecordsError> {
        Ok(self.query(sql, params)?.into_iter().next().and_then(|r| r.into_iter().next()))
    }

    /// Starts a transaction that holds the write lock until it ends, so chained rows are appended
    /// one writer at a time. An SQLite file that was deleted or replaced since it was opened is
    /// refused first.
    pub fn begin_write(&mut self) -> Result<(), RecordsError> {
        match self {
            Db::Sqlite(s) => {
                s.check_same()?;
                self.batch("BEGIN IMMEDIATE")
            }
            Db::Postgres(_) => self.batch("BEGIN; SELECT pg_advisory_xact_lock(7411001)"),
        }
    }

    /// Commits; for SQLite, then makes sure the file written is still the one at the path, so no
    /// change is confirmed that went into a deleted or replaced file.
    pub fn commit(&mut self) -> Result<(), RecordsError> {
        self.batch("COMMIT")?;
        if let Db::Sqlite(s) = self {
            s.check_same()?;
        }
        Ok(())
    }

    pub fn rollback(&mut self) {
        let _ = self.batch("ROLLBACK");
    }

    /// The names of the tables in the database (its current schema, for PostgreSQL).
    pub fn tables(&mut self) -> Result<Vec<String>, RecordsError> {
        let sql = match self.engine() {
            Engine::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
            Engine::Postgres => {
                "SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = current_schema() \
                 ORDER BY table_name"
            }
        };
        Ok(self.query(sql, &[])?.into_iter().map(|r| r.first().map(SqlValue::text).unwrap_or_default()).collect())
    }

    /// The names of a table's columns.
    pub fn columns(&mut self, table: &str) -> Result<Vec<String>, RecordsError> {
        let sql = match self.engine() {
            Engine::Sqlite => "SELECT name FROM pragma_table_info($1)",
            Engine::Postgres => {
                "SELECT column_name::TEXT FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1"
            }
        };
        Ok(self
            .query(sql, &[table.into()])?
            .into_iter()
            .map(|r| r.first().map(SqlValue::text).unwrap_or_default())
            .collect())
    }

    /// Limits an SQLite database to `pages` pages, as a full disk would (for fault tests).
    pub fn limit_pages(&mut self, pages: u32) -> Result<(), RecordsError> {
        match self {
            Db::Sqlite(_) => self.batch(&format!("PRAGMA max_page_count = {pages}")),
            Db::Postgres(_) => Ok(()),
        }
    }
}

fn to_sqlite(v: &SqlValue) -> rusqlite::types::Value {
    match v {
        SqlValue::Int(i) => rusqlite::types::Value::Integer(*i),
        SqlValue::Real(r) => rusqlite::types::Value::Real(*r),
        SqlValue::Text(t) => rusqlite::types::Value::Text(t.clone()),
        SqlValue::Null => rusqlite::types::Value::Null,
    }
}
