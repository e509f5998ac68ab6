//! A department's server: PostgreSQL over TLS, the database password, trainee and manager roles; SQLite file modes.
//!
//! The PostgreSQL tests start throwaway servers of their own with `scripts/postgres-test-server`
//! (with TLS from a CA and a server certificate made here with rcgen). They skip, saying so, only
//! where the PostgreSQL server binaries are missing; `CALLFORGE_REQUIRE_PG` makes that a failure.

use crate::records::{lib, run_of};
use callforge::domain::model::{Mode, Role};
use callforge::records::{Records, RecordsError};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// Whether this machine has PostgreSQL server binaries; says so when it has none.
fn have_pg() -> bool {
    let found = std::fs::read_dir("/usr/lib/postgresql")
        .is_ok_and(|d| d.filter_map(Result::ok).any(|e| e.path().join("bin/pg_ctl").exists()));
    if !found {
        assert!(
            std::env::var_os("CALLFORGE_REQUIRE_PG").is_none(),
            "CALLFORGE_REQUIRE_PG is set but this machine has no PostgreSQL server binaries"
        );
        eprintln!("SKIPPED: department server test (no PostgreSQL server binaries: Debian package postgresql)");
    }
    found
}

/// A temporary folder, removed on drop.
struct Tmp(PathBuf);

impl Tmp {
    fn new(what: &str) -> Tmp {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("callforge-dept-{what}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Tmp(dir)
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A CA, a server certificate it signed for localhost and 127.0.0.1, and another CA that signed nothing.
struct Certs {
    dir: Tmp,
    ca: PathBuf,
    other_ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

fn ca(name: &str) -> (rcgen::CertificateParams, rcgen::KeyPair) {
    let key = rcgen::KeyPair::generate().expect("CA key");
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.distinguished_name.push(rcgen::DnType::CommonName, name);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
        rcgen::KeyUsagePurpose::DigitalSignature,
    ];
    (params, key)
}

fn certs() -> Certs {
    let dir = Tmp::new("certs");
    let (ca_params, ca_key) = ca("callforge test CA");
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let (other_params, other_key) = ca("someone else's CA");
    let other_cert = other_params.self_signed(&other_key).expect("other CA certificate");
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let server_key = rcgen::KeyPair::generate().expect("server key");
    let mut params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).expect("server params");
    params.distinguished_name.push(rcgen::DnType::CommonName, "localhost");
    let server_cert = params.signed_by(&server_key, &issuer).expect("server certificate");
    let certs = Certs {
        ca: dir.join("ca.pem"),
        other_ca: dir.join("other-ca.pem"),
        cert: dir.join("server.crt"),
        key: dir.join("server.key"),
        dir,
    };
    for (path, text) in [
        (&certs.ca, ca_cert.pem()),
        (&certs.other_ca, other_cert.pem()),
        (&certs.cert, server_cert.pem()),
        (&certs.key, server_key.serialize_pem()),
    ] {
        std::fs::write(path, text).expect("write a certificate");
    }
    assert!(certs.dir.0.exists());
    certs
}

/// A throwaway PostgreSQL server of the test's own, stopped on drop.
struct Server {
    dir: String,
    port: u16,
}

impl Server {
    /// Starts one; with certificates, TCP connections must use TLS (and a password, but for postgres).
    fn start(tls: Option<&Certs>) -> Server {
        let mut errors = String::new();
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map(|a| a.port())
                .expect("a free port");
            let mut cmd = Command::new("scripts/postgres-test-server");
            cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("CALLFORGE_PG_PORT", port.to_string());
            if let Some(c) = tls {
                cmd.arg("--ssl").arg(&c.cert).arg(&c.key);
            }
            let out = cmd.output().expect("scripts/postgres-test-server");
            if out.status.success() {
                let line = String::from_utf8_lossy(&out.stdout).trim().to_owned();
                let (dir, _) = line.split_once(' ').expect("folder and URL");
                return Server { dir: dir.to_owned(), port };
            }
            errors.push_str(&String::from_utf8_lossy(&out.stderr));
        }
        panic!("no PostgreSQL server could start: {errors}");
    }

    /// The administrator, through the server's Unix socket.
    fn admin(&self, db: &str) -> postgres::Client {
        postgres::Config::new()
            .host_path(&self.dir)
            .port(self.port)
            .user("postgres")
            .dbname(db)
            .connect(postgres::NoTls)
            .expect("admin connection")
    }

    /// A login of its own, over TCP without TLS (the server without certificates).
    fn login(&self, user: &str, db: &str) -> postgres::Client {
        postgres::Client::connect(&format!("postgres://{user}@127.0.0.1:{}/{db}", self.port), postgres::NoTls)
            .unwrap_or_else(|e| panic!("{user} connects: {e}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("scripts/postgres-test-server")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["stop", &self.dir])
            .status();
    }
}

/// Runs callforge with a clean PostgreSQL environment (plus `env`), stdin not a terminal.
fn callforge(args: &[&str], env: &[(&str, &str)], home: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_callforge"));
    cmd.args(args).stdin(Stdio::null()).env("HOME", home).env_remove("CALLFORGE_DB");
    for k in ["PGPASSWORD", "PGPASSFILE", "PGSSLMODE", "PGSSLROOTCERT"] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run callforge")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn verify_full_connects_and_a_wrong_ca_or_host_name_is_refused() {
    if !have_pg() {
        return;
    }
    let certs = certs();
    let server = Server::start(Some(&certs));
    server.admin("postgres").batch_execute("CREATE DATABASE dept").expect("create database");
    let (ca, other) = (certs.ca.display().to_string(), certs.other_ca.display().to_string());
    let at = |host: &str, query: &str| format!("postgres://postgres@{host}:{}/dept?{query}", server.port);

    let full = format!("sslmode=verify-full&sslrootcert={ca}");
    let mut r = Records::open(&at("127.0.0.1", &full)).expect("verify-full with the right CA");
    assert_eq!(r.encrypted(), Some(true));
    assert!(r.warnings().is_empty(), "{:?}", r.warnings());
    r.add_trainee("Olga", Role::Generator).expect("store over TLS");
    drop(r);
    let mut r = Records::open_existing(&at("localhost", &full)).expect("verify-full by host name");
    assert_eq!(r.trainees().expect("trainees").len(), 1);

    // A Unix socket carries no TLS; sslmode is ignored there, as libpq does.
    let socket = format!("postgres://postgres@{}:{}/dept?{full}", server.dir.replace('/', "%2F"), server.port);
    let r = Records::open_existing(&socket).expect("through the server's socket");
    assert_eq!(r.encrypted(), Some(false));
    assert!(r.warnings().is_empty(), "{:?}", r.warnings());

    for mode in ["verify-full", "verify-ca", "require"] {
        let e = Records::open_existing(&at("127.0.0.1", &format!("sslmode={mode}&sslrootcert={other}")))
            .expect_err("a certificate the given CA did not sign");
        assert!(matches!(e, RecordsError::Tls { .. }), "{mode}: {e}");
        let said = e.to_string();
        assert!(said.contains("certificate verify failed") && said.contains("signed by the authority"), "{said}");
    }

    // The certificate names localhost and 127.0.0.1; db.example reaches the same server through
    // hostaddr (no name look-up), so only the name differs.
    let renamed = |mode: &str| {
        format!(
            "postgres://postgres@db.example:{}/dept?hostaddr=127.0.0.1&sslmode={mode}&sslrootcert={ca}",
            server.port
        )
    };
    let e = Records::open_existing(&renamed("verify-full")).expect_err("a host name the certificate does not name");
    assert!(matches!(e, RecordsError::Tls { .. }), "{e}");
    assert!(e.to_string().contains("name the host in the URL"), "{e}");
    let r = Records::open_existing(&renamed("verify-ca")).expect("verify-ca checks the chain, not the name");
    assert_eq!(r.encrypted(), Some(true));

    for mode in ["require", "prefer", "allow"] {
        let r = Records::open_existing(&at("127.0.0.1", &format!("sslmode={mode}"))).expect(mode);
        assert_eq!(r.encrypted(), Some(true), "{mode}: this server takes TLS connections only");
    }
    let e = Records::open_existing(&at("127.0.0.1", "sslmode=disable")).expect_err("the server wants TLS");
    assert!(e.to_string().contains("no encryption"), "{e}");
    let e = Records::open_existing(&at("127.0.0.1", "sslmode=verify-full&sslrootcert=/no/such/ca.pem"))
        .expect_err("a missing root certificate");
    assert!(matches!(e, RecordsError::PgSetting { .. }), "{e}");
}

#[test]
fn require_against_a_server_without_tls_is_refused() {
    if !have_pg() {
        return;
    }
    let server = Server::start(None);
    let at = |query: &str| format!("postgres://postgres@127.0.0.1:{}/postgres?{query}", server.port);
    for mode in ["require", "verify-ca", "verify-full"] {
        let e = Records::open(&at(&format!("sslmode={mode}"))).expect_err("no TLS at the server");
        assert!(matches!(e, RecordsError::Tls { .. }), "{mode}: {e}");
        assert!(e.to_string().contains("the server does not offer TLS"), "{e}");
    }
    let r = Records::open(&at("sslmode=prefer")).expect("prefer takes what the server offers");
    assert_eq!(r.encrypted(), Some(false));
    assert!(r.warnings().is_empty(), "this machine's own traffic is not warned about: {:?}", r.warnings());
}

#[test]
fn the_database_password_comes_from_pgpassword_a_password_file_or_the_url_with_a_warning() {
    if !have_pg() {
        return;
    }
    let certs = certs();
    let server = Server::start(Some(&certs));
    let mut admin = server.admin("postgres");
    admin.batch_execute("CREATE ROLE olga LOGIN PASSWORD 'olga-db-secret-1'").expect("a login with a password");
    admin.batch_execute("CREATE DATABASE dept OWNER olga").expect("create database");
    let home = Tmp::new("home");
    let ca = certs.ca.display().to_string();
    let url = format!("postgres://olga@127.0.0.1:{}/dept?sslmode=verify-full&sslrootcert={ca}", server.port);
    let add =
        |name: &str, url: &str, env: &[(&str, &str)]| callforge(&["trainee", "add", name, "--db", url], env, &home.0);

    let out = add("Olga", &url, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("asks for a password: set PGPASSWORD"), "{}", text(&out.stderr));

    let out = add("Olga", &url, &[("PGPASSWORD", "olga-db-secret-1")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("warning"), "{}", text(&out.stderr));

    let pgpass = home.join("pgpass");
    std::fs::write(&pgpass, format!("127.0.0.1:{}:dept:olga:olga-db-secret-1\n", server.port)).expect("write");
    let file_env = [("PGPASSFILE", pgpass.to_str().expect("path"))];
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let out = add("Ivan", &url, &file_env);
        assert_eq!(out.status.code(), Some(1));
        let err = text(&out.stderr);
        assert!(err.contains("asks for a password") && err.contains("was ignored: others may read it"), "{err}");
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let out = add("Ivan", &url, &file_env);
    assert!(out.status.success(), "{}", text(&out.stderr));

    std::fs::copy(&pgpass, home.join(".pgpass")).expect("~/.pgpass");
    let out = callforge(&["trainee", "list", "--db", &url], &[], &home.0);
    assert!(out.status.success(), "~/.pgpass is read by default: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Ivan"));

    let with_password = url.replace("olga@", "olga:olga-db-secret-1@");
    let out = callforge(&["trainee", "list", "--db", &with_password], &[], &home.0);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert_eq!(err.matches("`ps` shows it").count(), 1, "once per command: {err}");
    let wrong = url.replace("olga@", "olga:not-the-secret-9@");
    let out = callforge(&["trainee", "list", "--db", &wrong], &[], &home.0);
    assert_eq!(out.status.code(), Some(1));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!all.contains("not-the-secret-9") && !all.contains("olga-db-secret-1"), "{all}");
    assert!(all.contains("password authentication failed"), "{all}");

    // PGSSLMODE and PGSSLROOTCERT count when the URL says nothing; the URL wins when it does.
    let bare = format!("postgres://olga@127.0.0.1:{}/dept", server.port);
    let other = certs.other_ca.display().to_string();
    let tls_env = |root: &str| {
        vec![
            ("PGPASSWORD", "olga-db-secret-1".to_owned()),
            ("PGSSLMODE", "verify-full".to_owned()),
            ("PGSSLROOTCERT", root.to_owned()),
        ]
    };
    let run = |url: &str, env: Vec<(&str, String)>| {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        callforge(&["trainee", "list", "--db", url], &env, &home.0)
    };
    assert!(run(&bare, tls_env(&ca)).status.success());
    let out = run(&bare, tls_env(&other));
    assert!(text(&out.stderr).contains("certificate verify failed"), "{}", text(&out.stderr));
    assert!(run(&url, tls_env(&other)).status.success(), "the URL's sslrootcert wins");
}

#[test]
fn a_trainee_login_adds_runs_and_the_server_refuses_it_every_rewrite() {
    if !have_pg() {
        return;
    }
    let server = Server::start(None);
    server.admin("postgres").batch_execute("CREATE DATABASE dept").expect("create database");
    let home = Tmp::new("roles");
    let admin_url = format!("postgres://postgres@127.0.0.1:{}/dept", server.port);
    for _ in 0..2 {
        let out = callforge(&["db", "roles", "--apply", "--db", &admin_url], &[], &home.0);
        assert!(out.status.success(), "applies, and again: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("roles callforge_trainee and callforge_manager are set up"));
    }
    let mut admin = server.admin("dept");
    admin
        .batch_execute(
            "CREATE ROLE olga LOGIN IN ROLE callforge_trainee; CREATE ROLE anna LOGIN IN ROLE callforge_manager",
        )
        .expect("logins");

    // What a trainee does goes through: a profile, runs (practice and an exam), their stages,
    // scenario texts, the audit trail and the runs' chain head.
    let lib = lib();
    let olga_url = format!("postgres://olga@127.0.0.1:{}/dept", server.port);
    let mut olga = Records::open_existing(&olga_url).expect("the trainee's login");
    olga.add_trainee("Olga", Role::Generator).expect("a trainee adds their profile");
    olga.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 0])).expect("a practice run");
    olga.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 1])).expect("a second run moves the head");
    olga.store_run("Olga", &lib, &run_of("closer/x", Mode::Exam, &[0, 0])).expect("an exam run");
    olga.set_trainee_language("Olga", "ru").expect("a trainee sets the language they take exams in");
    let e = olga.add_manager("olga-boss", "a-long-password-1", None, None).expect_err("no manager accounts");
    assert!(matches!(e, RecordsError::NotAllowed { .. }), "{e}");
    assert!(e.to_string().contains("This login may not do that"), "{e}");
    drop(olga);

    let mut admin_records = Records::open_existing(&admin_url).expect("admin");
    admin_records.add_manager("anna", "a-long-password-1", None, None).expect("the administrator adds a manager");
    drop(admin_records);

    // A proctor starts an exam at the trainee's desk, through the trainee's login: a mistyped
    // password is counted, the ticket and its checkpoint are signed, the exam is stored with it.
    let mut olga = Records::open_existing(&olga_url).expect("the trainee's login again");
    let e = olga.issue_ticket("Olga", "closer/x", Mode::Exam, "anna", "not anna's password", &lib).expect_err("typo");
    assert!(matches!(e, RecordsError::SignInFailed), "{e}");
    let ticket = olga
        .issue_ticket("Olga", "closer/x", Mode::Exam, "anna", "a-long-password-1", &lib)
        .expect("a proctor signs a ticket at the trainee's desk");
    let mut exam = run_of("closer/x", Mode::Exam, &[0, 0]);
    exam.seed = ticket.seed;
    let stored = olga.store_run_with_ticket("Olga", &lib, &exam, ticket.id).expect("the proctored exam");
    assert!(stored.score.passed);
    let report = olga.verify(&mut |_, _| {}).expect("verify");
    assert!(report.problems.is_empty(), "the desk's writes verify: {:?}", report.problems);
    drop(olga);
    let before: i64 = admin.query_one("SELECT COUNT(*) FROM runs", &[]).expect("count").get(0);
    assert_eq!(before, 4);

    let mut trainee = server.login("olga", "dept");
    let refused = |c: &mut postgres::Client, sql: &str| {
        let e = c.batch_execute(sql).expect_err(sql);
        assert_eq!(e.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{sql}: {e}");
    };
    for sql in [
        "UPDATE runs SET score = 100, passed = 1",
        "DELETE FROM runs",
        "TRUNCATE runs CASCADE",
        "UPDATE run_stages SET quality = 1",
        "DELETE FROM run_stages",
        "UPDATE exam_results SET counted = 1, passed = 1",
        "DELETE FROM exam_results",
        "UPDATE scenario_versions SET scenario_ron = ''",
        "UPDATE trainees SET role = 'AccountManager'",
        "UPDATE trainees SET name = 'Boss', language = 'en'",
        "DELETE FROM trainees",
        "UPDATE promotions SET to_role = 'AccountManager'",
        "DELETE FROM promotions",
        "INSERT INTO promotions (trainee_id, kind, from_role, to_role, manager, at, prev_hash, hash)
         VALUES (1, 'promote', 'Closer', 'AccountManager', 'anna', 2, 'y', 'z')",
        "UPDATE managers SET password_hash = 'x'",
        "DELETE FROM managers",
        "INSERT INTO managers (username, password_hash, trainee_id, created_at) VALUES ('puppet', 'x', 0, 0)",
        "UPDATE tickets SET seed = 1, trainee_id = 2",
        "DELETE FROM tickets",
        "UPDATE checkpoints SET runs_head = 'x'",
        "DELETE FROM checkpoints",
        "DELETE FROM sign_in_failures",
        "UPDATE audit SET detail = ''",
        "DELETE FROM audit",
        "UPDATE meta SET key = 'runs_head_old' WHERE key = 'runs_head'",
        "DELETE FROM meta",
        "INSERT INTO meta (key, value) VALUES ('trust', 'mine')",
        "CREATE TABLE mine (x BIGINT)",
        "ALTER TABLE runs ADD COLUMN approved BIGINT",
        "ALTER TABLE meta DISABLE ROW LEVEL SECURITY",
        "DROP TABLE audit",
    ] {
        refused(&mut trainee, sql);
    }
    // Row-level security leaves a trainee no meta row but the chain heads to change.
    let n = trainee.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'", &[]).expect("runs");
    assert_eq!(n, 0, "the schema version is out of a trainee's reach");
    let version: String =
        admin.query_one("SELECT value FROM meta WHERE key = 'schema_version'", &[]).expect("version").get(0);
    assert_ne!(version, "99");

    let mut manager = server.login("anna", "dept");
    manager.batch_execute("UPDATE trainees SET role = role").expect("a manager changes rungs");
    for sql in [
        "DELETE FROM runs",
        "UPDATE runs SET score = 100",
        "DELETE FROM promotions",
        "UPDATE promotions SET manager = 'ivan'",
        "DELETE FROM audit",
        "TRUNCATE audit",
        "CREATE TABLE mine (x BIGINT)",
    ] {
        refused(&mut manager, sql);
    }

    let after: i64 = admin.query_one("SELECT COUNT(*) FROM runs", &[]).expect("count").get(0);
    assert_eq!(after, before);
    let rung: String = admin.query_one("SELECT role FROM trainees WHERE name = 'Olga'", &[]).expect("rung").get(0);
    assert_eq!(rung, "Generator");
    let out = callforge(&["verify", "--db", &admin_url], &[], &home.0);
    assert!(out.status.success(), "the history is intact: {}{}", text(&out.stdout), text(&out.stderr));
}

#[test]
fn db_roles_prints_its_sql_and_refuses_odd_role_names() {
    let home = Tmp::new("print");
    let out = callforge(&["db", "roles", "--trainee-role", "sales_trainee"], &[], &home.0);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sql = text(&out.stdout);
    assert!(sql.starts_with("-- callforge") && sql.contains("'sales_trainee'") && sql.contains("COMMIT;"), "{sql}");
    let out = callforge(&["db", "roles", "--manager-role", "Robert'); DROP TABLE runs; --"], &[], &home.0);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot be a role name"), "{}", text(&out.stderr));
    let db = home.join("records.db");
    let out = callforge(&["db", "roles", "--apply", "--db", db.to_str().expect("path")], &[], &home.0);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("roles are for a department's PostgreSQL server"), "{}", text(&out.stderr));
}

#[cfg(unix)]
#[test]
fn a_new_sqlite_database_and_its_wal_and_shm_files_are_for_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Tmp::new("modes");
    let path = dir.join("records.db");
    let mut r = Records::open(path.to_str().expect("path")).expect("create");
    r.add_trainee("Olga", Role::Generator).expect("add");
    for file in ["records.db", "records.db-wal", "records.db-shm"] {
        let mode = std::fs::metadata(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}")).permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{file}: {:o}", mode & 0o777);
    }
    drop(r);
    let out = callforge(&["trainee", "add", "Ivan", "--db", dir.join("cli.db").to_str().expect("path")], &[], &dir.0);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mode = std::fs::metadata(dir.join("cli.db")).expect("cli.db").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn an_lrs_password_bound_for_plain_http_on_another_machine_is_warned_about_first() {
    let dir = Tmp::new("lrs");
    let db = dir.join("records.db").display().to_string();
    let scenarios = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    assert!(callforge(&["trainee", "add", "Olga", "--db", &db], &[], &dir.0).status.success());
    // stdin holds no password, so the export stops before anything is sent anywhere.
    let export = |url: &str| {
        let args =
            ["export", "xapi", "--lrs", url, "--user", "u", "--password-stdin", "--db", &db, "--scenarios", scenarios];
        let out = callforge(&args, &[], &dir.0);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("no password on stdin"), "{}", text(&out.stderr));
        text(&out.stderr)
    };
    let err = export("http://key:secret@lrs.example/xAPI");
    assert!(err.contains("warning: the LRS password goes to http://key@lrs.example/xAPI over plain http"), "{err}");
    assert!(!err.contains("secret"), "{err}");
    for quiet in ["https://lrs.example/xAPI", "http://127.0.0.1:8100/xAPI", "http://localhost:8100/xAPI"] {
        assert!(!export(quiet).contains("warning"), "{quiet}");
    }
}

/// A window started on a department server that asks for a password: it asks before the profiles,
/// a wrong password says why and asks again, the right one opens the records, and a new profile is
/// stored on the server.
#[cfg(feature = "gui")]
#[test]
fn the_window_asks_for_the_records_servers_password() {
    use bevy::prelude::KeyCode;
    use callforge::app::{RecordsRes, Screen};
    if !have_pg() {
        return;
    }
    if std::env::var_os("PGPASSWORD").is_some() || std::env::var_os("PGPASSFILE").is_some() {
        eprintln!("SKIPPED: the window's password test (PGPASSWORD or PGPASSFILE is set, so nothing would be asked)");
        return;
    }
    let certs = certs();
    let server = Server::start(Some(&certs));
    let mut admin = server.admin("postgres");
    admin.batch_execute("CREATE ROLE anna LOGIN PASSWORD 'anna db password'").expect("a login");
    admin.batch_execute("CREATE DATABASE dept OWNER anna").expect("its database");
    let url = format!(
        "postgres://anna@127.0.0.1:{}/dept?sslmode=verify-full&sslrootcert={}",
        server.port,
        certs.ca.display()
    );
    let mut app = crate::app::headless(&url);
    app.update();
    assert_eq!(crate::app::screen(&app), Screen::DbPassword);
    crate::app::type_text(&mut app, "not the password");
    crate::app::press(&mut app, KeyCode::Enter);
    crate::app::settle(&mut app);
    assert_eq!(crate::app::screen(&app), Screen::DbPassword, "a wrong password asks again");
    let (texts, _) = crate::app::texts_and_highlights(&mut app);
    assert!(texts.contains("password authentication failed"), "{texts}");
    crate::app::type_text(&mut app, "anna db password");
    crate::app::press(&mut app, KeyCode::Enter);
    crate::app::settle(&mut app);
    assert_eq!(crate::app::screen(&app), Screen::Start);
    assert!(app.world().resource::<RecordsRes>().records.is_some());
    crate::app::type_text(&mut app, "Olga");
    crate::app::press(&mut app, KeyCode::Enter);
    crate::app::settle(&mut app);
    assert_eq!(crate::app::screen(&app), Screen::Home);
    let names: Vec<String> = server
        .admin("dept")
        .query("SELECT name FROM trainees", &[])
        .expect("trainees")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(names, ["Olga"], "the profile is stored on the server");
}
