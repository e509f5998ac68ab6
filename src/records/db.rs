//! One small SQL surface over SQLite and PostgreSQL, so the records logic is written once.
//!
//! Statements use `$1, $2, …` placeholders, which both engines accept, and only BIGINT, DOUBLE and
//! TEXT values (booleans are 0/1), so the same SQL text runs on both.

use super::RecordsError;
use postgres::types::{ToSql, Type};

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
pub enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(Box<postgres::Client>),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Db::Sqlite(_) => "Db::Sqlite",
            Db::Postgres(_) => "Db::Postgres",
        })
    }
}

/// An SQLite error, with a write refused by a read-only database told apart.
fn sqlite_err(e: rusqlite::Error) -> RecordsError {
    if let rusqlite::Error::SqliteFailure(code, _) = &e
        && code.code == rusqlite::ErrorCode::ReadOnly
    {
        return RecordsError::ReadOnly { what: "the SQLite database".to_owned() };
    }
    RecordsError::Sqlite(e)
}

fn pg_params(params: &[SqlValue]) -> Vec<Box<dyn ToSql + Sync>> {
    params
        .iter()
        .map(|v| -> Box<dyn ToSql + Sync> {
            match v {
                SqlValue::Int(i) => Box::new(*i),
                SqlValue::Real(r) => Box::new(*r),
                SqlValue::Text(t) => Box::new(t.clone()),
                SqlValue::Null => Box::new(Option::<String>::None),
            }
        })
        .collect()
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// Runs several statements with no parameters (DDL, PRAGMA, BEGIN, …).
    pub fn batch(&mut self, sql: &str) -> Result<(), RecordsError> {
        match self {
            Db::Sqlite(c) => c.execute_batch(sql).map_err(sqlite_err),
            Db::Postgres(c) => Ok(c.batch_execute(sql)?),
        }
    }

    /// Runs one statement; returns the number of rows changed.
    pub fn execute(&mut self, sql: &str, params: &[SqlValue]) -> Result<u64, RecordsError> {
        match self {
            Db::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql).map_err(sqlite_err)?;
                let n = stmt.execute(rusqlite::params_from_iter(params.iter().map(to_sqlite))).map_err(sqlite_err)?;
                Ok(n as u64)
            }
            Db::Postgres(c) => {
                let boxed = pg_params(params);
                let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                Ok(c.execute(sql, &refs)?)
            }
        }
    }

    /// Runs a query and returns every row.
    pub fn query(&mut self, sql: &str, params: &[SqlValue]) -> Result<Vec<Vec<SqlValue>>, RecordsError> {
        match self {
            Db::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql).map_err(sqlite_err)?;
                let cols = stmt.column_count();
                let mut rows =
                    stmt.query(rusqlite::params_from_iter(params.iter().map(to_sqlite))).map_err(sqlite_err)?;
                let mut out = Vec::new();
                while let Some(row) = rows.next().map_err(sqlite_err)? {
                    let mut r = Vec::with_capacity(cols);
                    for i in 0..cols {
                        r.push(match row.get_ref(i).map_err(sqlite_err)? {
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
            }
            Db::Postgres(c) => {
                let boxed = pg_params(params);
                let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                let rows = c.query(sql, &refs)?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let mut r = Vec::with_capacity(row.len());
                    for (i, col) in row.columns().iter().enumerate() {
                        let t = col.type_();
                        let v = if *t == Type::INT8 {
                            row.try_get::<_, Option<i64>>(i)?.map_or(SqlValue::Null, SqlValue::Int)
                        } else if *t == Type::INT4 {
                            row.try_get::<_, Option<i32>>(i)?.map_or(SqlValue::Null, |x| SqlValue::Int(i64::from(x)))
                        } else if *t == Type::FLOAT8 {
                            row.try_get::<_, Option<f64>>(i)?.map_or(SqlValue::Null, SqlValue::Real)
                        } else if *t == Type::BOOL {
                            row.try_get::<_, Option<bool>>(i)?.map_or(SqlValue::Null, |b| SqlValue::Int(i64::from(b)))
                        } else {
                            row.try_get::<_, Option<String>>(i)?.map_or(SqlValue::Null, SqlValue::Text)
                        };
                        r.push(v);
                    }
                    out.push(r);
                }
                Ok(out)
            }
        }
    }

    /// The first column of the first row, if any.
    pub fn query_value(&mut self, sql: &str, params: &[SqlValue]) -> Result<Option<SqlValue>, RecordsError> {
        Ok(self.query(sql, params)?.into_iter().next().and_then(|r| r.into_iter().next()))
    }

    /// Starts a transaction that holds the write lock until it ends, so chained rows are appended
    /// one writer at a time.
    pub fn begin_write(&mut self) -> Result<(), RecordsError> {
        match self {
            Db::Sqlite(_) => self.batch("BEGIN IMMEDIATE"),
            Db::Postgres(_) => self.batch("BEGIN; SELECT pg_advisory_xact_lock(7411001)"),
        }
    }

    pub fn commit(&mut self) -> Result<(), RecordsError> {
        self.batch("COMMIT")
    }

    pub fn rollback(&mut self) {
        let _ = self.batch("ROLLBACK");
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
