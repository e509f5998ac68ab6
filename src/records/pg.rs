//! A PostgreSQL connection whose start-up and every statement run under a time limit, so a server
//! that accepts the connection and never answers cannot hang a command.
//!
//! tokio-postgres runs on a private single-thread runtime (as the blocking `postgres` client does
//! inside), which lets each call be bounded with `tokio::time::timeout`. The server is also told to
//! give up on a statement or a lock wait after the same limit, so a slow server answers with its
//! own clear error first.

use super::RecordsError;
use super::db::SqlValue;
use super::pg_login::{Login, PasswordFrom, PgEnv, SslMode};
use std::time::Duration;
use tokio_postgres::config::SslMode as ClientSslMode;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{ToSql, Type};

/// How long callforge waits for a network peer (a PostgreSQL server, an LRS) by default.
const DEFAULT_NET_TIMEOUT: Duration = Duration::from_secs(30);

/// How long to wait for a PostgreSQL server or an LRS to connect and to answer:
/// `CALLFORGE_NET_TIMEOUT_MS` (milliseconds) when set to a positive number, otherwise 30 s.
pub fn net_timeout() -> Duration {
    std::env::var("CALLFORGE_NET_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&ms| ms > 0)
        .map_or(DEFAULT_NET_TIMEOUT, Duration::from_millis)
}

/// The client's own limit on one answer: the server's limit plus a margin for it to say so.
fn answer_wait(limit: Duration) -> Duration {
    limit + limit.min(Duration::from_secs(5))
}

/// An open PostgreSQL connection.
pub struct Pg {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
    /// The URL without its password, for messages.
    location: String,
    limit: Duration,
    /// Set once a call ran out of time: the connection's state is unknown, so it is not used again.
    abandoned: bool,
    /// Whether the connection is encrypted.
    encrypted: bool,
    /// What the user should hear about how this connection was made (password in the URL, no TLS…).
    warnings: Vec<String>,
}

impl std::fmt::Debug for Pg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pg").field("location", &self.location).finish_non_exhaustive()
    }
}

impl Pg {
    /// Connects within the network time limit, with TLS as `sslmode` says and the password from the
    /// URL, `typed`, PGPASSWORD or a password file (`pg_login`), and bounds every later statement by
    /// the limit.
    pub fn connect(url: &str, location: &str, limit: Duration, typed: Option<&str>) -> Result<Pg, RecordsError> {
        let login = Login::read(url, location, typed, &PgEnv::from_process())?;
        let tls = login.connector(location)?;
        let mut config = login.config.clone();
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(limit);
        }
        config.tcp_user_timeout(limit);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|source| RecordsError::Io { context: "cannot start the PostgreSQL client".into(), source })?;
        let wait = answer_wait(limit);
        let attempt = |config: &mut tokio_postgres::Config, mode: ClientSslMode| {
            config.ssl_mode(mode);
            rt.block_on(async { tokio::time::timeout(wait, config.connect(tls.clone())).await })
        };
        let first = match login.mode {
            // As libpq: a Unix socket never carries TLS, whatever sslmode says.
            _ if login.unix_socket => ClientSslMode::Disable,
            SslMode::Disable | SslMode::Allow => ClientSslMode::Disable,
            SslMode::Prefer => ClientSslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => ClientSslMode::Require,
        };
        let mut connected = attempt(&mut config, first);
        // allow: without TLS first, then with TLS when the server refused a connection without.
        if login.mode == SslMode::Allow && matches!(&connected, Ok(Err(e)) if e.as_db_error().is_some()) {
            connected = attempt(&mut config, ClientSslMode::Require);
        }
        let (client, connection) = match connected {
            Err(_) => return Err(RecordsError::NoAnswer { location: location.to_owned(), waited: wait }),
            Ok(Err(source)) => return Err(connect_error(source, &login, location)),
            Ok(Ok(pair)) => pair,
        };
        rt.spawn(async move {
            let _ = connection.await;
        });
        let mut pg = Pg {
            rt,
            client,
            location: location.to_owned(),
            limit,
            abandoned: false,
            encrypted: first == ClientSslMode::Require,
            warnings: login.warnings.clone(),
        };
        let ms = limit.as_millis();
        pg.batch(&format!("SET statement_timeout = {ms}; SET lock_timeout = {ms}"))?;
        if matches!(login.mode, SslMode::Prefer | SslMode::Allow) && !login.unix_socket {
            pg.encrypted = pg
                .query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])?
                .first()
                .and_then(|r| r.first())
                .is_some_and(|v| v.int() == 1);
        }
        pg.warnings.extend(login.transport_warnings(location, pg.encrypted));
        Ok(pg)
    }

    /// Whether the connection is encrypted.
    pub fn encrypted(&self) -> bool {
        self.encrypted
    }

    /// What the user should hear about how this connection was made, once per command.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn usable(&self) -> Result<(), RecordsError> {
        if self.abandoned {
            Err(RecordsError::NoAnswer { location: self.location.clone(), waited: answer_wait(self.limit) })
        } else {
            Ok(())
        }
    }

    /// What a failure means for the user: a lost connection, a statement past its time, or the
    /// server's refusal.
    fn error(&self, e: tokio_postgres::Error) -> RecordsError {
        let location = self.location.clone();
        let code = e.code().cloned();
        if e.is_closed() || code.as_ref().is_some_and(lost_connection) || io_failure(&e) {
            return RecordsError::ConnectionLost { location, source: e };
        }
        if code.as_ref().is_some_and(|c| *c == SqlState::QUERY_CANCELED || *c == SqlState::LOCK_NOT_AVAILABLE) {
            return RecordsError::TooSlow { location, waited: self.limit, source: e };
        }
        if code.as_ref().is_some_and(|c| *c == SqlState::INSUFFICIENT_PRIVILEGE) {
            return RecordsError::NotAllowed { location, source: e };
        }
        RecordsError::Postgres(e)
    }

    pub fn batch(&mut self, sql: &str) -> Result<(), RecordsError> {
        self.usable()?;
        let wait = answer_wait(self.limit);
        let outcome = self.rt.block_on(async { tokio::time::timeout(wait, self.client.batch_execute(sql)).await });
        self.settle(outcome, wait)
    }

    pub fn execute(&mut self, sql: &str, params: &[SqlValue]) -> Result<u64, RecordsError> {
        self.usable()?;
        let boxed = pg_params(params);
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
        let wait = answer_wait(self.limit);
        let outcome = self.rt.block_on(async { tokio::time::timeout(wait, self.client.execute(sql, &refs)).await });
        self.settle(outcome, wait)
    }

    pub fn query(&mut self, sql: &str, params: &[SqlValue]) -> Result<Vec<Vec<SqlValue>>, RecordsError> {
        self.usable()?;
        let boxed = pg_params(params);
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
        let wait = answer_wait(self.limit);
        let outcome = self.rt.block_on(async { tokio::time::timeout(wait, self.client.query(sql, &refs)).await });
        let rows = self.settle(outcome, wait)?;
        rows.iter().map(read_row).collect()
    }

    /// Turns the outcome of a bounded call into the records' terms.
    fn settle<T>(
        &mut self,
        outcome: Result<Result<T, tokio_postgres::Error>, tokio::time::error::Elapsed>,
        wait: Duration,
    ) -> Result<T, RecordsError> {
        match outcome {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.error(e)),
            Err(_) => {
                self.abandoned = true;
                Err(RecordsError::NoAnswer { location: self.location.clone(), waited: wait })
            }
        }
    }
}

/// What a failed connection means: a password the server asks for and nobody gave, a TLS
/// handshake that failed (no TLS at the server, a certificate not signed by the root certificate or
/// not naming the host), or anything else the client or the server said.
fn connect_error(e: tokio_postgres::Error, login: &Login, location: &str) -> RecordsError {
    let location = location.to_owned();
    let cause = std::error::Error::source(&e).map(ToString::to_string).unwrap_or_default();
    if cause == "password missing" && login.password_from == PasswordFrom::Nowhere {
        return RecordsError::PasswordNeeded { location, ignored: login.ignored_file.clone() };
    }
    if e.to_string() == "error performing TLS handshake" {
        let advice = if cause.contains("does not support TLS") {
            "the server does not offer TLS; ask its administrator to turn TLS on (ssl = on), or, on this machine \
             or a network you trust, use sslmode=prefer or disable"
                .to_owned()
        } else if login.verifies() {
            let name = if login.mode == SslMode::VerifyFull {
                ", and name the host in the URL (verify-full checks it)"
            } else {
                ""
            };
            format!(
                "{cause}; the server's certificate must be signed by the authority in sslrootcert (or, with \
                 sslrootcert=system, one this system trusts){name}"
            )
        } else {
            cause
        };
        return RecordsError::Tls { location, mode: login.mode.as_str(), detail: advice, source: e };
    }
    RecordsError::Connect { location, source: e }
}

/// Codes that mean the server went away: connection exceptions and operator intervention.
fn lost_connection(code: &SqlState) -> bool {
    let c = code.code();
    c.starts_with("08") || c == "57P01" || c == "57P02" || c == "57P03"
}

/// Whether a client error was the socket failing (reset, broken pipe).
fn io_failure(e: &tokio_postgres::Error) -> bool {
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        if c.downcast_ref::<std::io::Error>().is_some() {
            return true;
        }
        cause = c.source();
    }
    false
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

/// One row as values; a column of a type callforge never writes is an error, never a panic.
fn read_row(row: &tokio_postgres::Row) -> Result<Vec<SqlValue>, RecordsError> {
    let mut r = Vec::with_capacity(row.len());
    for (i, col) in row.columns().iter().enumerate() {
        let t = col.type_();
        let v = if *t == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map_or(SqlValue::Null, SqlValue::Int)
        } else if *t == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?.map_or(SqlValue::Null, |x| SqlValue::Int(i64::from(x)))
        } else if *t == Type::INT2 {
            row.try_get::<_, Option<i16>>(i)?.map_or(SqlValue::Null, |x| SqlValue::Int(i64::from(x)))
        } else if *t == Type::FLOAT8 {
            row.try_get::<_, Option<f64>>(i)?.map_or(SqlValue::Null, SqlValue::Real)
        } else if *t == Type::FLOAT4 {
            row.try_get::<_, Option<f32>>(i)?.map_or(SqlValue::Null, |x| SqlValue::Real(f64::from(x)))
        } else if *t == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?.map_or(SqlValue::Null, |b| SqlValue::Int(i64::from(b)))
        } else if [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME, Type::UNKNOWN].contains(t) {
            row.try_get::<_, Option<String>>(i)?.map_or(SqlValue::Null, SqlValue::Text)
        } else {
            return Err(RecordsError::UnexpectedValue { column: col.name().to_owned(), kind: t.name().to_owned() });
        };
        r.push(v);
    }
    Ok(r)
}
