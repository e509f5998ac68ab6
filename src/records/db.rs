//! One small SQL surface over SQLite and PostgreSQL, so the records logic is written once.
//!
//! Statements use `$1, $2, …` placeholders, which both engines accept, and only BIGINT, DOUBLE and
//! TEXT values (booleans are 0/1), so the same SQL text runs on both.

use super::RecordsError;
use postgres::types::{ToSql, Type};

/// A value passed to or read from a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Real(f64),
    Text(String),
    Null,
}

impl Value {
    pub fn int(&self) -> i64 {
        match self {
            Value::Int(i) => *i,
            Value::Real(r) => *r as i64,
            Value::Text(t) => t.parse().unwrap_or(0),
            Value::Null => 0,
        }
    }

    pub fn real(&self) -> f64 {
        match self {
            Value::Int(i) => *i as f64,
            Value::Real(r) => *r,
            Value::Text(t) => t.parse().unwrap_or(0.0),
            Value::Null => 0.0,
        }
    }

    pub fn text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Int(i) => i.to_string(),
            Value::Real(r) => r.to_string(),
            Value::Null => String::new(),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
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

fn sqlite_err(e: rusqlite::Error) -> RecordsError {
    if let rusqlite::Error::SqliteFailure(code, _) = &e
        && code.code == rusqlite::ErrorCode::ReadOnly
    {
        return RecordsError::ReadOnly { what: "the SQLite database".to_owned() };
    }
    RecordsError::Db(e.to_string())
}

fn pg_err(e: postgres::Error) -> RecordsError {
    match e.as_db_error() {
        Some(db) => RecordsError::Db(format!("PostgreSQL: {}", db.message())),
        None => RecordsError::Db(format!("PostgreSQL: {e}")),
    }
}

fn pg_params(params: &[Value]) -> Vec<Box<dyn ToSql + Sync>> {
    params
        .iter()
        .map(|v| -> Box<dyn ToSql + Sync> {
            match v {
                Value::Int(i) => Box::new(*i),
                Value::Real(r) => Box::new(*r),
                Value::Text(t) => Box::new(t.clone()),
                Value::Null => Box::new(Option::<String>::None),
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
            Db::Postgres(c) => c.batch_execute(sql).map_err(pg_err),
        }
    }

    /// Runs one statement; returns the number of rows changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, RecordsError> {
        match self {
            Db::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql).map_err(sqlite_err)?;
                let n = stmt.execute(rusqlite::params_from_iter(params.iter().map(to_sqlite))).map_err(sqlite_err)?;
                Ok(n as u64)
            }
            Db::Postgres(c) => {
                let boxed = pg_params(params);
                let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                c.execute(sql, &refs).map_err(pg_err)
            }
        }
    }

    /// Runs a query and returns every row.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, RecordsError> {
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
                            rusqlite::types::ValueRef::Null => Value::Null,
                            rusqlite::types::ValueRef::Integer(i) => Value::Int(i),
                            rusqlite::types::ValueRef::Real(f) => Value::Real(f),
                            rusqlite::types::ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                            rusqlite::types::ValueRef::Blob(b) => Value::Text(String::from_utf8_lossy(b).into_owned()),
                        });
                    }
                    out.push(r);
                }
                Ok(out)
            }
            Db::Postgres(c) => {
                let boxed = pg_params(params);
                let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                let rows = c.query(sql, &refs).map_err(pg_err)?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let mut r = Vec::with_capacity(row.len());
                    for (i, col) in row.columns().iter().enumerate() {
                        let t = col.type_();
                        let v = if *t == Type::INT8 {
                            row.try_get::<_, Option<i64>>(i).map_err(pg_err)?.map_or(Value::Null, Value::Int)
                        } else if *t == Type::INT4 {
                            row.try_get::<_, Option<i32>>(i)
                                .map_err(pg_err)?
                                .map_or(Value::Null, |x| Value::Int(i64::from(x)))
                        } else if *t == Type::FLOAT8 {
                            row.try_get::<_, Option<f64>>(i).map_err(pg_err)?.map_or(Value::Null, Value::Real)
                        } else if *t == Type::BOOL {
                            row.try_get::<_, Option<bool>>(i)
                                .map_err(pg_err)?
                                .map_or(Value::Null, |b| Value::Int(i64::from(b)))
                        } else {
                            row.try_get::<_, Option<String>>(i).map_err(pg_err)?.map_or(Value::Null, Value::Text)
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
    pub fn query_value(&mut self, sql: &str, params: &[Value]) -> Result<Option<Value>, RecordsError> {
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

fn to_sqlite(v: &Value) -> rusqlite::types::Value {
    match v {
        Value::Int(i) => rusqlite::types::Value::Integer(*i),
        Value::Real(r) => rusqlite::types::Value::Real(*r),
        Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
        Value::Null => rusqlite::types::Value::Null,
    }
}
