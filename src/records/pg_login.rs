//! Signing in to a PostgreSQL server: TLS from `sslmode`/`sslrootcert`, the password, the warnings.
//!
//! The URL's `sslmode` and `sslrootcert` make the TLS connector; the database password comes from
//! the URL, a prompt, PGPASSWORD or a password file. The rules are libpq's, so a department's existing settings mean the same here: the URL's own
//! query wins over `PGSSLMODE`/`PGSSLROOTCERT`, the default mode is `prefer`, `require` with a root
//! certificate behaves as `verify-ca`, and a password file with group or world access is ignored.
//! TLS is native-tls (OpenSSL on Linux) through `postgres-native-tls`.

use super::RecordsError;
use std::net::IpAddr;
use std::path::PathBuf;

/// `sslmode`, as libpq spells and means it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// Without TLS first; with TLS (unchecked) only if the server refuses that.
    Allow,
    /// TLS when the server offers it, unchecked; without otherwise (libpq's default).
    Prefer,
    /// TLS or nothing; the certificate is checked only when a root certificate is given.
    Require,
    /// TLS, and the server's certificate must chain to the root certificate; any host name.
    VerifyCa,
    /// TLS, the chain checked, and the certificate must name the host in the URL.
    VerifyFull,
}

impl SslMode {
    pub fn parse(text: &str) -> Option<SslMode> {
        Some(match text {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// The certificates a server's certificate must chain to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// A PEM file (`sslrootcert`, or `~/.postgresql/root.crt`): only these are trusted.
    File(PathBuf),
    /// The system's trusted roots (`sslrootcert=system`, or no root file at all).
    System,
}

/// What the environment says, read once (tests pass their own).
#[derive(Debug, Clone, Default)]
pub struct PgEnv {
    pub sslmode: Option<String>,
    pub sslrootcert: Option<String>,
    pub password: Option<String>,
    pub passfile: Option<PathBuf>,
    pub home: Option<PathBuf>,
    /// The operating-system user, the default database user.
    pub os_user: Option<String>,
}

impl PgEnv {
    /// PGSSLMODE, PGSSLROOTCERT, PGPASSWORD, PGPASSFILE and the home folder of this process.
    pub fn from_process() -> PgEnv {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        PgEnv {
            sslmode: var("PGSSLMODE"),
            sslrootcert: var("PGSSLROOTCERT"),
            password: var("PGPASSWORD"),
            passfile: var("PGPASSFILE").map(PathBuf::from),
            home: directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()),
            os_user: var("USER").or_else(|| var("LOGNAME")).or_else(|| var("USERNAME")),
        }
    }
}

/// Where the password came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordFrom {
    /// Inside the URL (works, with a warning).
    Url,
    /// Typed at a prompt.
    Typed,
    /// PGPASSWORD.
    Environment,
    /// A line of a password file.
    File(PathBuf),
    /// Nowhere: the server may not ask for one.
    Nowhere,
}

/// A URL taken apart for connecting: the client's configuration, how to use TLS, and what to warn about.
#[derive(Debug)]
pub struct Login {
    pub config: tokio_postgres::Config,
    pub mode: SslMode,
    /// The root certificates, for the modes that check the server's certificate.
    pub roots: Option<Roots>,
    pub password_from: PasswordFrom,
    /// A password file that was not read because others may read it.
    pub ignored_file: Option<PathBuf>,
    /// Every address the connection may go to is this machine's.
    pub loopback: bool,
    /// Every host is a Unix socket, where PostgreSQL has no TLS (libpq ignores sslmode there).
    pub unix_socket: bool,
    pub warnings: Vec<String>,
}

impl Login {
    /// Reads a `postgres://` URL: `sslmode` and `sslrootcert` from its query (or the environment),
    /// the rest for the client; the password from the URL, `typed`, PGPASSWORD or a password file,
    /// in that order.
    pub fn read(url: &str, shown: &str, typed: Option<&str>, env: &PgEnv) -> Result<Login, RecordsError> {
        let bad = |detail: String| RecordsError::PgSetting { location: shown.to_owned(), detail };
        let (rest, params) = take_params(url, &["sslmode", "sslrootcert"]);
        let mode_text = params[0].clone().or_else(|| env.sslmode.clone());
        let mode = match mode_text.as_deref() {
            None => SslMode::Prefer,
            Some(m) => SslMode::parse(m).ok_or_else(|| {
                bad(format!("sslmode \"{m}\" is none of disable, allow, prefer, require, verify-ca, verify-full"))
            })?,
        };
        let rootcert = params[1].clone().or_else(|| env.sslrootcert.clone());
        let mut config: tokio_postgres::Config =
            rest.parse().map_err(|source| RecordsError::Connect { location: shown.to_owned(), source })?;
        let mut warnings = Vec::new();
        let mut ignored_file = None;

        // As libpq: a root certificate file that is missing is an error only where it must be used.
        let verify_mode = matches!(mode, SslMode::VerifyCa | SslMode::VerifyFull);
        let roots = match rootcert.as_deref() {
            Some("system") => Some(Roots::System),
            Some(file) => {
                let path = PathBuf::from(file);
                if path.is_file() {
                    Some(Roots::File(path))
                } else if verify_mode {
                    return Err(bad(format!(
                        "the root certificate file {} (sslrootcert) cannot be read",
                        path.display()
                    )));
                } else {
                    None
                }
            }
            None => match env.home.as_ref().map(|h| h.join(".postgresql").join("root.crt")) {
                Some(p) if p.is_file() => Some(Roots::File(p)),
                _ if verify_mode => Some(Roots::System),
                _ => None,
            },
        };

        let password_from = if config.get_password().is_some() {
            warnings.push(format!(
                "warning: the URL for {shown} holds the database password: on a command line `ps` shows it to \
                 every user of this machine (and the shell keeps it in its history); use PGPASSWORD, a password \
                 file (PGPASSFILE, by default ~/.pgpass, mode 0600) or the prompt instead"
            ));
            PasswordFrom::Url
        } else if let Some(p) = typed {
            config.password(p);
            PasswordFrom::Typed
        } else if let Some(p) = &env.password {
            config.password(p.as_str());
            PasswordFrom::Environment
        } else {
            match password_file(&config, env, &mut warnings, &mut ignored_file) {
                Some((file, p)) => {
                    config.password(p.as_str());
                    PasswordFrom::File(file)
                }
                None => PasswordFrom::Nowhere,
            }
        };

        let loopback = is_loopback(&config);
        let unix_socket = only_unix_sockets(&config);
        Ok(Login { config, mode, roots, password_from, ignored_file, loopback, unix_socket, warnings })
    }

    /// Whether this mode checks the server's certificate against root certificates.
    pub fn verifies(&self) -> bool {
        match self.mode {
            SslMode::VerifyCa | SslMode::VerifyFull => true,
            SslMode::Require => self.roots.is_some(),
            _ => false,
        }
    }

    /// The TLS connector for this mode: what it trusts, and whether it checks the host name.
    pub fn connector(&self, shown: &str) -> Result<postgres_native_tls::MakeTlsConnector, RecordsError> {
        let bad = |detail: String| RecordsError::PgSetting { location: shown.to_owned(), detail };
        let mut builder = native_tls::TlsConnector::builder();
        if self.verifies() {
            if let Some(Roots::File(path)) = &self.roots {
                let pem = std::fs::read(path).map_err(|e| {
                    bad(format!("the root certificate file {} (sslrootcert) cannot be read: {e}", path.display()))
                })?;
                let certs = native_tls::Certificate::stack_from_pem(&pem).map_err(|e| {
                    bad(format!(
                        "the root certificate file {} (sslrootcert) is not PEM certificates: {e}",
                        path.display()
                    ))
                })?;
                if certs.is_empty() {
                    return Err(bad(format!(
                        "the root certificate file {} (sslrootcert) holds no certificate",
                        path.display()
                    )));
                }
                builder.disable_built_in_roots(true);
                for cert in certs {
                    builder.add_root_certificate(cert);
                }
            }
            // verify-ca, and require with a root certificate, check the chain but not the name.
            builder.danger_accept_invalid_hostnames(self.mode != SslMode::VerifyFull);
        } else {
            // prefer, allow and require without a root certificate encrypt without checking who answers.
            builder.danger_accept_invalid_certs(true);
        }
        builder
            .build()
            .map(postgres_native_tls::MakeTlsConnector::new)
            .map_err(|e| bad(format!("cannot set up TLS: {e}")))
    }

    /// What to tell the user about a connection that is (or is not) encrypted.
    pub fn transport_warnings(&self, shown: &str, encrypted: bool) -> Vec<String> {
        if self.loopback {
            return Vec::new();
        }
        let how = "set sslmode=verify-full and sslrootcert=CA.pem (the certificate of the authority that signed \
                   the server's) in the URL, or PGSSLMODE and PGSSLROOTCERT";
        if !encrypted {
            vec![format!(
                "warning: the connection to {shown} is not encrypted (sslmode={}): trainees' runs, names and managers' \
                 password hashes cross the network in clear text; {how}",
                self.mode.as_str()
            )]
        } else if !self.verifies() {
            vec![format!(
                "warning: the connection to {shown} is encrypted, but the server's certificate is not checked \
                 (sslmode={}): anyone on the network path could pose as the server; {how}",
                self.mode.as_str()
            )]
        } else {
            Vec::new()
        }
    }
}

/// Takes the named parameters out of a URL's query (tokio-postgres knows neither `sslrootcert` nor
/// libpq's verify modes): the URL without them, and each one's (percent-decoded) value.
pub fn take_params(url: &str, names: &[&str]) -> (String, Vec<Option<String>>) {
    let mut found = vec![None; names.len()];
    let Some(q) = query_start(url) else { return (url.to_owned(), found) };
    let mut kept = Vec::new();
    for pair in url[q + 1..].split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match names.iter().position(|n| *n == decode(key)) {
            Some(i) => found[i] = Some(decode(value)),
            None => kept.push(pair),
        }
    }
    let mut rest = url[..q].to_owned();
    if !kept.is_empty() {
        rest.push('?');
        rest.push_str(&kept.join("&"));
    }
    (rest, found)
}

/// Where a URL's query starts, read as tokio-postgres reads it: after the user information (up to
/// the first `@`, if any), at the first `?`.
pub fn query_start(url: &str) -> Option<usize> {
    let scheme = url.find("://")? + 3;
    let rest = &url[scheme..];
    let after_user = rest.find('@').map_or(0, |at| at + 1);
    rest[after_user..].find('?').map(|q| scheme + after_user + q)
}

/// Percent-decoding of a URL part (invalid escapes stay as they are).
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether every address the connection may use is this machine's: a Unix socket, `localhost`, or a
/// loopback address (`hostaddr`, where given, is where the connection goes).
pub fn is_loopback(config: &tokio_postgres::Config) -> bool {
    use tokio_postgres::config::Host;
    let addrs = config.get_hostaddrs();
    if !addrs.is_empty() {
        return addrs.iter().all(IpAddr::is_loopback);
    }
    let hosts = config.get_hosts();
    !hosts.is_empty()
        && hosts.iter().all(|h| match h {
            Host::Tcp(name) => {
                let name = name.trim_start_matches('[').trim_end_matches(']');
                name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
            }
            #[cfg(unix)]
            Host::Unix(_) => true,
        })
}

/// Whether every host is a Unix socket (and no `hostaddr` sends the connection over TCP).
fn only_unix_sockets(config: &tokio_postgres::Config) -> bool {
    #[cfg(unix)]
    {
        use tokio_postgres::config::Host;
        config.get_hostaddrs().is_empty()
            && !config.get_hosts().is_empty()
            && config.get_hosts().iter().all(|h| matches!(h, Host::Unix(_)))
    }
    #[cfg(not(unix))]
    {
        let _ = config;
        false
    }
}

/// The password of the first matching line of the password file (PGPASSFILE, or ~/.pgpass), as
/// libpq reads it; a file that group or others may read is ignored, with a warning.
fn password_file(
    config: &tokio_postgres::Config,
    env: &PgEnv,
    warnings: &mut Vec<String>,
    ignored: &mut Option<PathBuf>,
) -> Option<(PathBuf, String)> {
    let file = env.passfile.clone().or_else(|| env.home.as_ref().map(|h| h.join(".pgpass")))?;
    let meta = std::fs::metadata(&file).ok()?;
    if !meta.is_file() {
        return None;
    }
    if group_or_world_access(&meta) {
        warnings.push(format!(
            "warning: the password file {} has group or world access, so it is ignored (as libpq does); \
             make it yours alone: chmod 0600 {}",
            file.display(),
            file.display()
        ));
        *ignored = Some(file);
        return None;
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let user = config.get_user().map(str::to_owned).or_else(|| env.os_user.clone()).unwrap_or_default();
    let dbname = config.get_dbname().map_or_else(|| user.clone(), str::to_owned);
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let host = pgpass_host(config);
    lookup(&text, &host, &port, &dbname, &user).map(|p| (file, p))
}

/// The host a password-file line must name: the first host (a socket counts as `localhost`).
fn pgpass_host(config: &tokio_postgres::Config) -> String {
    use tokio_postgres::config::Host;
    match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(_)) => "localhost".to_owned(),
        None => config.get_hostaddrs().first().map_or_else(|| "localhost".to_owned(), IpAddr::to_string),
    }
}

#[cfg(unix)]
fn group_or_world_access(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o077 != 0
}

#[cfg(not(unix))]
fn group_or_world_access(_: &std::fs::Metadata) -> bool {
    false
}

/// The password of the first line `host:port:database:user:password` that matches (`*` matches
/// anything; `\:` and `\\` stand for `:` and `\`; lines starting with `#` are comments).
pub fn lookup(text: &str, host: &str, port: &str, dbname: &str, user: &str) -> Option<String> {
    text.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty()).find_map(|line| {
        let fields = split_fields(line.trim_end_matches('\r'));
        if fields.len() < 5 {
            return None;
        }
        let wanted = [host, port, dbname, user];
        let matches =
            fields[..4].iter().zip(wanted).all(|((text, literal), want)| (text == "*" && !literal) || text == want);
        matches.then(|| fields[4..].iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(":"))
    })
}

/// A password-file line's fields, unescaped, each with whether it had an escape (an escaped `*` is a
/// star, not "anything").
fn split_fields(line: &str) -> Vec<(String, bool)> {
    let mut fields = vec![(String::new(), false)];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let last = fields.len() - 1;
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields[last].0.push(next);
                    fields[last].1 = true;
                }
            }
            ':' if fields.len() < 5 => fields.push((String::new(), false)),
            c => fields[last].0.push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> PgEnv {
        PgEnv { os_user: Some("olga".into()), ..PgEnv::default() }
    }

    #[test]
    fn tls_options_leave_the_url_before_the_client_reads_it() {
        let (rest, found) = take_params(
            "postgres://u@db.example/sales?sslmode=verify-full&connect_timeout=5&sslrootcert=%2Fetc%2Fca.pem",
            &["sslmode", "sslrootcert"],
        );
        assert_eq!(rest, "postgres://u@db.example/sales?connect_timeout=5");
        assert_eq!(found, [Some("verify-full".to_owned()), Some("/etc/ca.pem".to_owned())]);
        let (rest, found) = take_params("postgres://u:a?b@db.example/sales?sslmode=disable", &["sslmode"]);
        assert_eq!(rest, "postgres://u:a?b@db.example/sales");
        assert_eq!(found, [Some("disable".to_owned())]);
        assert_eq!(take_params("postgres://db.example/sales", &["sslmode"]).0, "postgres://db.example/sales");
    }

    #[test]
    fn the_url_wins_over_the_environment_and_prefer_is_the_default() {
        let e = PgEnv { sslmode: Some("disable".into()), ..env() };
        let l = Login::read("postgres://u@db.example/s?sslmode=require", "x", None, &e).expect("read");
        assert_eq!(l.mode, SslMode::Require);
        assert!(!l.verifies());
        assert_eq!(Login::read("postgres://u@db.example/s", "x", None, &e).expect("read").mode, SslMode::Disable);
        assert_eq!(Login::read("postgres://u@db.example/s", "x", None, &env()).expect("read").mode, SslMode::Prefer);
        let e = Login::read("postgres://u@h/s?sslmode=verify_full", "postgres://u@h/s", None, &env()).expect_err("bad");
        assert!(e.to_string().contains("sslmode \"verify_full\" is none of"), "{e}");
        let e = Login::read("postgres://u@h/s?sslmode=verify-ca&sslrootcert=/no/such/ca.pem", "x", None, &env())
            .expect_err("missing CA");
        assert!(e.to_string().contains("/no/such/ca.pem (sslrootcert) cannot be read"), "{e}");
        let l = Login::read("postgres://u@h/s?sslmode=verify-full", "x", None, &env()).expect("system roots");
        assert_eq!(l.roots, Some(Roots::System));
        assert!(l.verifies());
    }

    #[test]
    fn the_password_comes_from_the_url_then_a_prompt_then_pgpassword() {
        let l = Login::read("postgres://u:pw@db.example/s", "postgres://u@db.example/s", None, &env()).expect("read");
        assert_eq!(l.password_from, PasswordFrom::Url);
        assert!(l.warnings[0].contains("`ps` shows it"), "{:?}", l.warnings);
        assert!(!l.warnings[0].contains("pw@"), "the warning names the URL masked");
        let e = PgEnv { password: Some("from-env".into()), ..env() };
        let l = Login::read("postgres://u@db.example/s", "x", Some("typed"), &e).expect("read");
        assert_eq!((l.password_from, l.config.get_password()), (PasswordFrom::Typed, Some(&b"typed"[..])));
        let l = Login::read("postgres://u@db.example/s", "x", None, &e).expect("read");
        assert_eq!((l.password_from, l.config.get_password()), (PasswordFrom::Environment, Some(&b"from-env"[..])));
        assert!(l.warnings.is_empty());
    }

    #[test]
    fn password_file_lines_match_as_libpq_matches_them() {
        let text = "# comment\ndb.example:5432:sales:anna:first\n*:*:*:olga:o\\:pw\\\\x\nh:*:*:*:a:b\n";
        assert_eq!(lookup(text, "db.example", "5432", "sales", "anna").as_deref(), Some("first"));
        assert_eq!(lookup(text, "db.example", "5433", "sales", "anna"), None);
        assert_eq!(lookup(text, "any", "1", "x", "olga").as_deref(), Some("o:pw\\x"));
        assert_eq!(lookup(text, "h", "1", "x", "ivan").as_deref(), Some("a:b"));
        assert_eq!(lookup("\\*:*:*:*:p", "other", "1", "x", "y"), None, "an escaped star is a star");
    }

    #[cfg(unix)]
    #[test]
    fn a_password_file_others_may_read_is_ignored_with_a_warning() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("callforge-pgpass-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("pgpass");
        std::fs::write(&file, "db.example:5432:sales:anna:secret\n").expect("write");
        let e = PgEnv { passfile: Some(file.clone()), ..env() };
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let l = Login::read("postgres://anna@db.example/sales", "x", None, &e).expect("read");
        assert_eq!(l.password_from, PasswordFrom::Nowhere);
        assert!(l.warnings[0].contains("has group or world access, so it is ignored"), "{:?}", l.warnings);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let l = Login::read("postgres://anna@db.example/sales", "x", None, &e).expect("read");
        assert_eq!(l.password_from, PasswordFrom::File(file.clone()));
        assert_eq!(l.config.get_password(), Some(&b"secret"[..]));
        assert!(l.warnings.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn only_this_machine_counts_as_loopback() {
        let lo = |url: &str| Login::read(url, "x", None, &env()).expect("read").loopback;
        assert!(lo("postgres://u@localhost/s"));
        assert!(lo("postgres://u@127.0.0.1:55432/s"));
        assert!(lo("postgres://u@[::1]:5432/s"));
        assert!(lo("postgres://u@db.example/s?hostaddr=127.0.0.1"));
        assert!(!lo("postgres://u@db.example/s"));
        assert!(!lo("postgres://u@10.0.0.5/s"));
        assert!(!lo("postgres://u@localhost,db.example/s"));
        let socket = Login::read("postgres://u@%2Fvar%2Frun%2Fpostgresql/s?sslmode=require", "x", None, &env());
        assert!(socket.as_ref().is_ok_and(|l| l.loopback && l.unix_socket), "{socket:?}");
        assert!(!Login::read("postgres://u@localhost/s", "x", None, &env()).expect("read").unix_socket);
    }

    #[test]
    fn a_remote_server_without_checked_tls_earns_a_warning() {
        let read = |url: &str| Login::read(url, "postgres://u@db.example/s", None, &env()).expect("read");
        let plain = read("postgres://u@db.example/s?sslmode=disable");
        let w = plain.transport_warnings("postgres://u@db.example/s", false);
        assert!(w[0].contains("is not encrypted (sslmode=disable)"), "{w:?}");
        let w = read("postgres://u@db.example/s?sslmode=require").transport_warnings("postgres://u@db.example/s", true);
        assert!(w[0].contains("certificate is not checked (sslmode=require)"), "{w:?}");
        assert!(read("postgres://u@db.example/s?sslmode=verify-full").transport_warnings("s", true).is_empty());
        let local = Login::read("postgres://u@127.0.0.1/s?sslmode=disable", "x", None, &env()).expect("read");
        assert!(local.transport_warnings("x", false).is_empty(), "this machine's own traffic is not warned about");
    }
}
