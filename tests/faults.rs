//! Fault injection through the command line: a database file deleted, replaced or full while runs
//! are stored, read-only folders and other users' files, PostgreSQL and an LRS that die, fail or
//! never answer, and text from users that must not reach a terminal raw. Each checks that nothing
//! confirmed is lost and that the error says what to do.

use crate::cli::{text, tmp};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A run file of `trainee`'s on the busy office manager (every seed fits its four picks), as
/// callforge writes one: with the scenario's version and content hash.
pub fn run_text(trainee: &str, seed: u64) -> String {
    let lib = crate::support::bundled();
    let p = lib.scenario("generator/busy-office-manager").expect("scenario");
    let run = callforge::domain::Run {
        scenario: p.id().to_owned(),
        version: Some(p.scenario.version),
        hash: Some(p.hash().to_owned()),
        seed,
        mode: callforge::domain::Mode::Practice,
        trainee: trainee.to_owned(),
        scorer: None,
        inputs: vec![callforge::domain::model::Input::Choose(0); 4],
        drill: None,
        times_ms: Vec::new(),
        played_at: None,
    };
    callforge::domain::model::run_to_ron(&run).expect("run file")
}

/// Writes a run file of `trainee`'s with `seed` beside the test's files; returns its path.
fn write_run_file(name: &str, trainee: &str, seed: u64) -> String {
    let path = tmp(&format!("faults-{name}-run-{seed}.ron")).display().to_string();
    std::fs::write(&path, run_text(trainee, seed)).expect("write run");
    path
}

/// The command, run from the repository with `CALLFORGE_DB` unset and extra environment.
fn cmd(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_callforge"));
    c.args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").env_remove("CALLFORGE_DB");
    for (k, v) in env {
        c.env(k, v);
    }
    c.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    cmd(args, env).output().expect("callforge runs")
}

fn run_stdin(args: &[&str], env: &[(&str, &str)], input: &str) -> Output {
    let mut child = cmd(args, env).stdin(Stdio::piped()).spawn().expect("callforge runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("stdin");
    child.wait_with_output().expect("callforge finishes")
}

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

/// A fresh database with trainee Bob and a run file for him.
fn setup(name: &str) -> (String, String) {
    let db = tmp(&format!("faults-{name}.db")).display().to_string();
    for f in [db.clone(), format!("{db}-wal"), format!("{db}-shm")] {
        let _ = std::fs::remove_file(f);
    }
    let run_file = write_run_file(name, "Bob", 7);
    ok(&run(&["trainee", "add", "Bob", "--db", &db], &[]));
    (db, run_file)
}

/// The ids in the "stored run N: …" lines of `record`.
fn stored_ids(stdout: &str) -> Vec<i64> {
    stdout.lines().filter_map(|l| l.strip_prefix("stored run ")?.split(':').next()?.parse().ok()).collect()
}

fn ids_in(db: &str) -> Vec<i64> {
    let mut r = callforge::records::Records::open_existing(db).expect("the database opens");
    r.runs(None).expect("runs").into_iter().map(|r| r.id).collect()
}

#[test]
fn commands_that_only_read_refuse_a_missing_database_and_create_nothing() {
    let folder = tmp("typo-folder");
    let _ = std::fs::remove_dir_all(&folder);
    let db = folder.join("records.db").display().to_string();
    let html = tmp("never.html").display().to_string();
    let json = tmp("never.json").display().to_string();
    for args in [
        vec!["verify", "--db", &db],
        vec!["trainee", "list", "--db", &db],
        vec!["trainee", "show", "1", "--db", &db],
        vec!["report", "--out", &html, "--db", &db],
        vec!["export", "xapi", "--out", &json, "--db", &db],
        vec!["score", "--stored", "1", "--db", &db],
    ] {
        let out = run(&args, &[]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}{err}", text(&out.stdout));
        assert!(err.contains("no records database at") && err.contains("check --db"), "{args:?}: {err}");
        assert!(!text(&out.stdout).contains("no problems"), "{args:?}");
        assert!(!folder.exists(), "{args:?} created {}", folder.display());
    }
    // A command that stores creates it, and says so.
    let out = run(&["trainee", "add", "Olga", "--db", &db], &[]);
    ok(&out);
    assert!(text(&out.stderr).contains("started a new, empty records database"), "{}", text(&out.stderr));
    ok(&run(&["verify", "--db", &db], &[]));
}

/// Stops a process, does something to its files, lets it go on.
fn while_stopped(child: &Child, f: impl FnOnce()) {
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-STOP", &pid]).status().expect("kill").success());
    f();
    assert!(Command::new("kill").args(["-CONT", &pid]).status().expect("kill").success());
}

/// Starts `record --repeat` and returns it with a reader of its "stored" ids, after the first few.
fn recording(db: &str, run_file: &str) -> (Child, std::sync::mpsc::Receiver<i64>, std::thread::JoinHandle<()>) {
    let mut child =
        cmd(&["record", run_file, "--trainee", "Bob", "--repeat", "3000", "--db", db], &[]).spawn().expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for id in BufReader::new(stdout).lines().map_while(Result::ok).flat_map(|l| stored_ids(&l)) {
            let _ = tx.send(id);
        }
    });
    for _ in 0..5 {
        rx.recv_timeout(Duration::from_secs(30)).expect("a first run is stored");
    }
    (child, rx, reader)
}

#[test]
fn a_database_deleted_while_record_runs_stops_it_with_what_to_do() {
    let (db, run_file) = setup("deleted");
    let (mut child, rx, reader) = recording(&db, &run_file);
    let mut before = Vec::new();
    while_stopped(&child, || {
        std::thread::sleep(Duration::from_millis(100));
        before.extend(rx.try_iter());
        std::fs::remove_file(&db).expect("delete the database under record");
    });
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("stderr");
    let status = child.wait().expect("wait");
    reader.join().expect("reader");
    let after: Vec<i64> = rx.try_iter().collect();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("was deleted or moved away") && stderr.contains("Put the file back"), "{stderr}");
    // A run whose check had passed just before the stop may still print; nothing after that.
    assert!(after.len() <= 1, "{} runs reported stored into a deleted file", after.len());
    assert!(before.len() + after.len() < 3000);
    // The next command does not silently start an empty database.
    let list = run(&["trainee", "list", "--db", &db], &[]);
    assert_eq!(list.status.code(), Some(1));
    assert!(text(&list.stderr).contains("no records database"), "{}", text(&list.stderr));
}

#[test]
fn a_database_replaced_while_record_runs_gets_nothing_it_did_not_confirm() {
    let (db, run_file) = setup("replaced");
    let other = tmp("faults-replacement.db").display().to_string();
    let _ = std::fs::remove_file(&other);
    ok(&run(&["trainee", "add", "Bob", "--db", &other], &[]));
    let (mut child, rx, reader) = recording(&db, &run_file);
    while_stopped(&child, || {
        std::thread::sleep(Duration::from_millis(100));
        std::fs::rename(&other, &db).expect("replace the database under record");
    });
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("stderr");
    let status = child.wait().expect("wait");
    reader.join().expect("reader");
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("was replaced by another file") && stderr.contains("nothing more was stored"), "{stderr}");
    assert!(rx.try_iter().count() < 3000);
    assert!(ids_in(&db).is_empty(), "nothing went into the file now at the path");
}

#[test]
fn a_full_database_stops_record_cleanly_and_keeps_every_confirmed_run() {
    let (db, run_file) = setup("full");
    let out =
        run(&["record", &run_file, "--trainee", "Bob", "--repeat", "2000", "--max-pages", "60", "--db", &db], &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is full") && err.contains("free some space") && !err.contains("panicked"), "{err}");
    let confirmed = stored_ids(&text(&out.stdout));
    assert!(!confirmed.is_empty() && confirmed.len() < 2000, "{} confirmed", confirmed.len());
    assert_eq!(ids_in(&db), confirmed, "every run reported stored is there, and no other");
    ok(&run(&["verify", "--db", &db], &[]));
}

/// The same on a real full filesystem: a 2 MiB tmpfs in a private mount namespace (needs root and
/// `unshare`; skipped, saying so, where the machine does not allow it).
#[test]
fn a_full_filesystem_stops_record_cleanly_and_keeps_every_confirmed_run() {
    let probe = Command::new("unshare").args(["-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: no private tmpfs here (needs root and unshare)");
        return;
    }
    let (db, run_file) = setup("tmpfs");
    let out_dir = tmp("tmpfs-out");
    let _ = std::fs::remove_dir_all(&out_dir);
    std::fs::create_dir_all(&out_dir).expect("out");
    let mnt = tmp("tmpfs-mnt");
    std::fs::create_dir_all(&mnt).expect("mnt");
    let script = r#"set -e
mount -t tmpfs -o size=2m tmpfs "$MNT"
cp "$DB" "$MNT/records.db"
head -c 1200k /dev/zero > "$MNT/filler"
set +e
"$BIN" record "$RUN" --trainee Bob --repeat 5000 --db "$MNT/records.db" > "$OUT/stdout" 2> "$OUT/stderr"
echo $? > "$OUT/code"
cp "$MNT"/records.db* "$OUT/"
"#;
    let status = Command::new("unshare")
        .args(["-m", "sh", "-c", script])
        .env("MNT", &mnt)
        .env("DB", &db)
        .env("BIN", env!("CARGO_BIN_EXE_callforge"))
        .env("RUN", &run_file)
        .env("OUT", &out_dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("unshare");
    assert!(status.success());
    let read = |f: &str| std::fs::read_to_string(out_dir.join(f)).expect(f);
    let err = read("stderr");
    assert_eq!(read("code").trim(), "1", "{err}");
    assert!(err.contains("is full") && err.contains("free some space") && !err.contains("panicked"), "{err}");
    let confirmed = stored_ids(&read("stdout"));
    assert!(!confirmed.is_empty() && confirmed.len() < 5000, "{} confirmed", confirmed.len());
    assert_eq!(ids_in(&out_dir.join("records.db").display().to_string()), confirmed);
}

#[test]
fn names_and_texts_from_users_never_reach_the_terminal_raw() {
    let (db, _) = setup("escapes");
    let evil = "\u{1b}[2JEve\u{7}";
    ok(&run(&["trainee", "add", evil, "--db", &db], &[]));
    let evil_run = write_run_file("escapes-evil", evil, 7);
    ok(&run(&["record", &evil_run, "--trainee", &format!("name:{evil}"), "--db", &db], &[]));
    ok(&run_stdin(&["manager", "add", "an\u{1b}]0;x\u{7}na", "--password-stdin", "--db", &db], &[], "correct horse\n"));
    let outputs = [
        run(&["trainee", "list", "--db", &db], &[]),
        run(&["trainee", "show", evil, "--db", &db], &[]),
        run_stdin(
            &["reset", evil, "--manager", "an\u{1b}]0;x\u{7}na", "--password-stdin", "--db", &db],
            &[],
            "correct horse\n",
        ),
        run(&["trainee", "show", "no\u{1b}[2Jbody", "--db", &db], &[]),
    ];
    for out in &outputs {
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "raw control characters: {all:?}");
    }
    assert!(text(&outputs[0].stdout).contains("\\u{1b}[2JEve"), "{}", text(&outputs[0].stdout));
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute_batch("UPDATE runs SET run_ron = 'Run(scenario: \"\u{1b}[2J' WHERE id = 1")
        .expect("tamper");
    let verify = run(&["verify", "--db", &db], &[]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(!text(&verify.stdout).contains('\u{1b}'), "{:?}", text(&verify.stdout));
}

#[test]
fn a_trainee_named_as_a_number_is_refused_or_ambiguous_on_the_command_line() {
    let (db, run_file) = setup("numbers");
    let add = run(&["trainee", "add", "2", "--db", &db], &[]);
    assert_eq!(add.status.code(), Some(1));
    assert!(text(&add.stderr).contains("cannot be only digits"), "{}", text(&add.stderr));
    ok(&run(&["trainee", "add", "Ivan", "--db", &db], &[]));
    // Bob (id 1) renamed "2" behind callforge's back, as an older callforge allowed.
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute_batch("UPDATE trainees SET name = '2' WHERE id = 1")
        .expect("rename");
    let out = run(&["record", &run_file, "--trainee", "2", "--db", &db], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("ambiguous") && err.contains("id:2 or name:2"), "{err}");
    assert!(ids_in(&db).is_empty(), "nothing was stored for either trainee");
    let wrong = run(&["record", &run_file, "--trainee", "name:2", "--db", &db], &[]);
    assert!(text(&wrong.stderr).contains("is Bob's, not 2's"), "{}", text(&wrong.stderr));
    ok(&run(&["record", &write_run_file("numbers-2", "2", 7), "--trainee", "name:2", "--db", &db], &[]));
    let show = ok(&run(&["trainee", "show", "id:2", "--json", "--db", &db], &[]));
    assert!(show.contains("\"Ivan\""), "{show}");
    let help = ok(&run(&["record", "--help"], &[]));
    assert!(help.contains("id:3") && help.contains("ambiguous"), "{help}");
}

#[test]
fn a_report_written_into_a_folder_is_a_clear_error_and_leaves_nothing_behind() {
    let (db, run_file) = setup("report-dir");
    ok(&run(&["record", &run_file, "--trainee", "Bob", "--db", &db], &[]));
    let dir = tmp("report-into-a-folder");
    std::fs::create_dir_all(&dir).expect("dir");
    let out = run(&["report", "--out", dir.to_str().expect("utf8"), "--db", &db], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("is a folder"), "{}", text(&out.stderr));
    let parent = dir.parent().expect("parent");
    let left: Vec<String> = std::fs::read_dir(parent)
        .expect("list")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn an_atomic_write_that_fails_removes_its_temporary_file() {
    let dir = tmp("atomic");
    let _ = std::fs::remove_dir_all(&dir);
    let e = callforge::report::write_atomic(&dir.join("missing/x.csv"), b"x").expect_err("no such folder");
    assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
    // Renaming onto a folder fails after the temporary file was written: it must go.
    let into = dir.join("plain.csv");
    std::fs::create_dir_all(into.join("blocker")).expect("a non-empty folder named like the file");
    assert!(callforge::report::write_atomic(&into, b"a,b\n").is_err());
    let left: Vec<String> =
        std::fs::read_dir(&dir).expect("list").filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
    assert!(left.iter().all(|n| !n.contains(".tmp")), "{left:?}");
}

/// A TCP server on loopback that accepts connections and never says a word.
fn silent_server() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().map_while(Result::ok) {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(s);
        }
    });
    (port, accepted)
}

#[test]
fn a_postgres_server_that_never_answers_fails_in_time_with_what_to_do() {
    let (port, accepted) = silent_server();
    let url = format!("postgres://callforge@127.0.0.1:{port}/sales");
    let started = Instant::now();
    let out = run(&["trainee", "list", "--db", &url], &[("CALLFORGE_NET_TIMEOUT_MS", "500")]);
    let took = started.elapsed();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("PostgreSQL at {url} did not answer within 1 s")), "{err}");
    assert!(err.contains("CALLFORGE_NET_TIMEOUT_MS"), "{err}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(accepted.load(Ordering::SeqCst) >= 1, "the connection was made, then nothing");
}

/// What the fake LRS does with each request, in order (the last one repeats).
#[derive(Debug, Clone, Copy)]
enum Reply {
    Status(u16, Option<u64>),
    Hang,
}

/// A tiny HTTP server on loopback playing an LRS; returns its URL and the requests it saw.
fn fake_lrs(script: Vec<Reply>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://127.0.0.1:{}/xAPI", listener.local_addr().expect("addr").port());
    let seen = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&seen);
    let script = Arc::new(script);
    let held: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let (count, script, held) = (Arc::clone(&count), Arc::clone(&script), Arc::clone(&held));
            std::thread::spawn(move || serve(stream, &count, &script, &held));
        }
    });
    (url, seen)
}

fn serve(stream: TcpStream, count: &AtomicUsize, script: &[Reply], held: &Mutex<Vec<TcpStream>>) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let n = count.fetch_add(1, Ordering::SeqCst);
        let reply = script[n.min(script.len() - 1)];
        let stream = reader.get_mut();
        match reply {
            Reply::Hang => {
                if let Ok(s) = stream.try_clone() {
                    held.lock().expect("lock").push(s);
                }
                return;
            }
            Reply::Status(code, retry_after) => {
                let body = if code == 200 { "[]" } else { "{\"error\": \"the store is down\"}" };
                let extra = retry_after.map(|s| format!("Retry-After: {s}\r\n")).unwrap_or_default();
                let head = format!(
                    "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n",
                    body.len()
                );
                if stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body.as_bytes())).is_err() {
                    return;
                }
            }
        }
    }
}

/// A database with one stored run, for the exports.
fn exported(name: &str) -> String {
    let (db, run_file) = setup(name);
    ok(&run(&["record", &run_file, "--trainee", "Bob", "--db", &db], &[]));
    db
}

fn export_to(url: &str, db: &str) -> (Output, Duration) {
    let started = Instant::now();
    let out = run_stdin(
        &["export", "xapi", "--lrs", url, "--user", "callforge", "--password-stdin", "--db", db],
        &[("CALLFORGE_NET_TIMEOUT_MS", "500")],
        "secret\n",
    );
    (out, started.elapsed())
}

#[test]
fn an_lrs_that_fails_twice_is_tried_again_and_accepts() {
    let db = exported("lrs-flaky");
    let (url, seen) = fake_lrs(vec![Reply::Status(500, None), Reply::Status(503, Some(1)), Reply::Status(200, None)]);
    let (out, took) = export_to(&url, &db);
    assert!(ok(&out).contains("LRS: 1 accepted, 0 already there, 0 rejected"), "{}", text(&out.stdout));
    assert_eq!(seen.load(Ordering::SeqCst), 3, "two failures, then the statement");
    assert!(took >= Duration::from_millis(500), "Retry-After was honoured up to the limit ({took:?})");
}

#[test]
fn an_lrs_that_keeps_failing_is_a_clear_error_and_nothing_counts_as_sent() {
    let db = exported("lrs-down");
    let (url, seen) = fake_lrs(vec![Reply::Status(500, Some(3600))]);
    let (out, took) = export_to(&url, &db);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("failed with HTTP 500 (3 tries)") && err.contains("the store is down"), "{err}");
    assert!(err.contains("no statement was accepted; export again later"), "{err}");
    assert!(!text(&out.stdout).contains("accepted"), "{}", text(&out.stdout));
    assert_eq!(seen.load(Ordering::SeqCst), 3);
    assert!(took < Duration::from_secs(10), "a Retry-After of an hour waits no longer than the limit ({took:?})");
}

#[test]
fn an_lrs_that_never_answers_fails_in_time() {
    let db = exported("lrs-hang");
    let (url, seen) = fake_lrs(vec![Reply::Hang]);
    let (out, took) = export_to(&url, &db);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("did not answer within 0.5 s (3 tries)"), "{err}");
    assert_eq!(seen.load(Ordering::SeqCst), 3, "three tries");
    assert!(took < Duration::from_secs(15), "took {took:?}");
    let (port, _) = silent_server();
    let (out, took) = export_to(&format!("http://127.0.0.1:{port}/xAPI"), &db);
    assert!(text(&out.stderr).contains("did not answer within 0.5 s"), "{}", text(&out.stderr));
    assert!(took < Duration::from_secs(15), "took {took:?}");
}

/// The PostgreSQL server binaries, where this machine has them.
fn pg_bin() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir("/usr/lib/postgresql").ok()?.filter_map(|e| Some(e.ok()?.path().join("bin"))).collect();
    dirs.sort();
    dirs.pop().filter(|d| d.join("pg_ctl").exists())
}

/// Whether PostgreSQL tests run here (as `tests/records.rs` decides).
fn postgres_wanted() -> bool {
    if std::env::var_os("CALLFORGE_TEST_PG").is_some() {
        return true;
    }
    assert!(
        std::env::var_os("CALLFORGE_REQUIRE_PG").is_none(),
        "CALLFORGE_REQUIRE_PG is set but CALLFORGE_TEST_PG is not"
    );
    eprintln!("SKIPPED: PostgreSQL fault test (no CALLFORGE_TEST_PG)");
    false
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| text(&o.stdout).trim() == "0")
}

/// `pg_ctl` as the server's owner.
fn pg_ctl(bin: &Path, args: &[&str]) -> std::process::ExitStatus {
    let ctl = bin.join("pg_ctl").display().to_string();
    let mut c = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", &ctl]);
        c
    } else {
        Command::new(&ctl)
    };
    c.args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().expect("pg_ctl")
}

/// A PostgreSQL server of this test's own (so killing it disturbs no other test), stopped on drop.
struct OwnServer {
    dir: String,
    port: u16,
    admin: String,
}

impl OwnServer {
    fn start() -> OwnServer {
        let mut errors = String::new();
        for attempt in 0..5 {
            let port = 56000 + ((std::process::id() + attempt * 97) % 900) as u16;
            let out = Command::new("scripts/postgres-test-server")
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("CALLFORGE_PG_PORT", port.to_string())
                .output()
                .expect("postgres-test-server");
            if out.status.success() {
                let line = text(&out.stdout);
                let (dir, admin) = line.trim().split_once(' ').expect("dir url");
                return OwnServer { dir: dir.to_owned(), port, admin: admin.to_owned() };
            }
            errors.push_str(&text(&out.stderr));
        }
        panic!("no PostgreSQL server of its own could start: {errors}");
    }

    fn kill(&self, bin: &Path) {
        assert!(pg_ctl(bin, &["-D", &format!("{}/data", self.dir), "-m", "immediate", "stop"]).success());
    }

    fn restart(&self, bin: &Path) {
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", self.port, self.dir);
        let log = format!("{}/server.log", self.dir);
        let data = format!("{}/data", self.dir);
        assert!(pg_ctl(bin, &["-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options, "start"]).success());
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        let _ = Command::new("scripts/postgres-test-server")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["stop", &self.dir])
            .status();
    }
}

#[test]
fn postgres_killed_mid_batch_keeps_all_or_nothing_and_says_to_retry() {
    if !postgres_wanted() {
        return;
    }
    let Some(bin) = pg_bin() else {
        eprintln!("SKIPPED: killing PostgreSQL needs a server of its own (no server binaries here)");
        return;
    };
    let server = OwnServer::start();
    let mut admin = postgres::Client::connect(&server.admin, postgres::NoTls).expect("admin");
    admin.batch_execute("CREATE DATABASE faults").expect("create");
    let db = format!("{}/faults", server.admin.rsplit_once('/').expect("url").0);
    let files: Vec<String> = (0..300).map(|i| write_run_file("pg-batch", "Bob", 7 + i)).collect();
    ok(&run(&["trainee", "add", "Bob", "--db", &db], &[]));
    // Every stored run takes a while, so the batch is surely under way when the server dies.
    let mut c = postgres::Client::connect(&db, postgres::NoTls).expect("connect");
    c.batch_execute(
        "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN NEW; END $$;
         CREATE TRIGGER slow AFTER INSERT ON runs FOR EACH ROW EXECUTE FUNCTION slow();",
    )
    .expect("slow trigger");
    drop(c);
    let batch: Vec<&str> = files.iter().map(String::as_str).collect();
    let mut args = vec!["record"];
    args.extend(&batch);
    args.extend(["--trainee", "Bob", "--db", &db]);
    let child = cmd(&args, &[]).spawn().expect("record");
    let started = Instant::now();
    loop {
        let inserting: i64 = admin
            .query_one(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = 'faults' AND query LIKE 'INSERT INTO runs%'",
                &[],
            )
            .expect("activity")
            .get(0);
        if inserting > 0 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the batch never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    drop(admin);
    server.kill(&bin);
    let out = child.wait_with_output().expect("record ends");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("was lost") && err.contains("run the command again"), "{err}");
    assert!(stored_ids(&text(&out.stdout)).is_empty(), "nothing was reported stored");
    server.restart(&bin);
    assert!(ids_in(&db).is_empty(), "all or nothing: nothing of the batch is there");
    let again = ok(&run(&args, &[]));
    assert_eq!(stored_ids(&again).len(), 300, "the retry stores the whole batch");
    assert_eq!(ids_in(&db).len(), 300);
    ok(&run(&["verify", "--db", &db], &[]));
}

#[test]
fn a_postgres_writer_held_up_by_another_gives_up_in_time() {
    if !postgres_wanted() {
        return;
    }
    let Ok(admin) = std::env::var("CALLFORGE_TEST_PG") else { return };
    let name = format!("cf_faults_lock_{}", std::process::id());
    let mut a = postgres::Client::connect(&admin, postgres::NoTls).expect("admin");
    a.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).expect("drop");
    a.batch_execute(&format!("CREATE DATABASE {name}")).expect("create");
    let db = format!("{}/{name}", admin.rsplit_once('/').expect("url").0);
    ok(&run(&["trainee", "add", "Bob", "--db", &db], &[]));
    let mut holder = postgres::Client::connect(&db, postgres::NoTls).expect("connect");
    let mut tx = holder.transaction().expect("begin");
    tx.batch_execute("SELECT pg_advisory_xact_lock(7411001)").expect("hold the writers' lock");
    let started = Instant::now();
    let out = run(&["trainee", "add", "Ivan", "--db", &db], &[("CALLFORGE_NET_TIMEOUT_MS", "1000")]);
    let took = started.elapsed();
    tx.rollback().expect("release");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("did not finish a statement within 1 s") && err.contains("run the command again"), "{err}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    ok(&run(&["trainee", "add", "Ivan", "--db", &db], &[]));
}

/// Runs callforge as another user (uid), from the shared folder that holds a copy of the binary
/// and of the scenario library; `None` where setpriv cannot run.
fn as_user(uid: u32, bin: &Path, args: &[&str]) -> Option<Output> {
    let id = uid.to_string();
    Command::new("setpriv")
        .args(["--reuid", &id, "--regid", &id, "--clear-groups", "--"])
        .arg(bin)
        .args(args)
        .current_dir(bin.parent().expect("the shared folder"))
        .env("HOME", "/tmp")
        .env_remove("CALLFORGE_DB")
        .output()
        .ok()
}

/// A shared folder used by two real users (uids 4101, the owner, and 4102, a reader): reading
/// leaves no file the owner cannot write, stale files of a reader are named with what to do, and
/// a read-only folder reads but refuses writes clearly. Needs root and setpriv to switch users.
#[test]
fn other_users_in_a_shared_folder_never_lock_the_owner_out() {
    use std::os::unix::fs::PermissionsExt;
    if !is_root() || Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("SKIPPED: switching users needs root and setpriv");
        return;
    }
    let shared = tmp("shared-folder");
    let _ = std::fs::remove_dir_all(&shared);
    std::fs::create_dir_all(&shared).expect("shared");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    std::fs::set_permissions(shared.parent().expect("parent"), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let bin = shared.join("callforge");
    std::fs::copy(env!("CARGO_BIN_EXE_callforge"), &bin).expect("copy the binary");
    let copied = Command::new("cp")
        .args(["-r", concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")])
        .arg(&shared)
        .status()
        .expect("cp");
    assert!(copied.success(), "copy the scenario library");
    Command::new("chmod").args(["-R", "a+rX"]).arg(shared.join("scenarios")).status().expect("chmod");
    let paths: Vec<String> = (7..10)
        .map(|seed| {
            let f = shared.join(format!("run-{seed}.ron"));
            std::fs::write(&f, run_text("Bob", seed)).expect("run");
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            f.display().to_string()
        })
        .collect();
    let db = shared.join("records.db").display().to_string();
    let run_path = paths[0].clone();
    let (owner, reader) = (4101, 4102);
    let okay = |out: Option<Output>| ok(&out.expect("setpriv"));
    okay(as_user(owner, &bin, &["trainee", "add", "Bob", "--db", &db]));
    let mode = std::fs::metadata(&db).expect("records").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a new database is its owner's alone: {mode:o}");
    let denied = as_user(reader, &bin, &["trainee", "list", "--db", &db]).expect("setpriv");
    assert!(text(&denied.stderr).contains("Permission denied"), "{}", text(&denied.stderr));
    // The owner shares it for reading on purpose.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    okay(as_user(owner, &bin, &["record", &run_path, "--trainee", "Bob", "--db", &db]));
    // Another user reads: no -wal or -shm file of theirs is left behind.
    let listed = okay(as_user(reader, &bin, &["trainee", "list", "--db", &db]));
    assert!(listed.contains("Bob"), "{listed}");
    okay(as_user(reader, &bin, &["verify", "--db", &db]));
    let written = as_user(reader, &bin, &["trainee", "add", "Mallory", "--db", &db]).expect("setpriv");
    assert!(text(&written.stderr).contains("is read-only"), "{}", text(&written.stderr));
    for f in [format!("{db}-wal"), format!("{db}-shm")] {
        assert!(!Path::new(&f).exists(), "the reader left {f}");
    }
    okay(as_user(owner, &bin, &["record", &paths[1], "--trainee", "Bob", "--db", &db]));
    // Files an older reader (or sqlite3) left: named, with what to do.
    for (f, size) in [(format!("{db}-wal"), 0usize), (format!("{db}-shm"), 32768)] {
        std::fs::write(&f, vec![0u8; size]).expect("stale file");
        Command::new("chown").args([&format!("{reader}:{reader}"), &f]).status().expect("chown");
    }
    let blocked = as_user(owner, &bin, &["record", &run_path, "--trainee", "Bob", "--db", &db]).expect("setpriv");
    let err = text(&blocked.stderr);
    assert_eq!(blocked.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("{db}-wal and {db}-shm")) && err.contains("user 4102"), "{err}");
    assert!(err.contains("delete them"), "{err}");
    for f in [format!("{db}-wal"), format!("{db}-shm")] {
        std::fs::remove_file(f).expect("remove");
    }
    okay(as_user(owner, &bin, &["record", &paths[2], "--trainee", "Bob", "--db", &db]));
    // A read-only folder: the owner reads; a write is refused as such, not as damage.
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let listed = as_user(owner, &bin, &["trainee", "list", "--db", &db]).expect("setpriv");
    let stored = as_user(owner, &bin, &["record", &run_path, "--trainee", "Bob", "--db", &db]).expect("setpriv");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).expect("chmod back");
    assert!(ok(&listed).contains("Bob"));
    let err = text(&stored.stderr);
    assert_eq!(stored.status.code(), Some(1), "{err}");
    assert!(err.contains("is read-only") && !err.contains("damaged"), "{err}");
    assert_eq!(ids_in(&db).len(), 3, "the three runs the owner stored, and no other");
}

#[test]
fn names_a_spreadsheet_would_run_are_written_to_csv_as_text() {
    let (db, _) = setup("formulas");
    let names = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+SUM(A1)", "-2+3", "@cmd", "Plain Olga"];
    for (i, name) in names.iter().enumerate() {
        ok(&run(&["trainee", "add", "--db", &db, "--", name], &[]));
        let file = write_run_file(&format!("formulas-{i}"), name, 7);
        ok(&run(&["record", &file, "--trainee", &format!("name:{name}"), "--db", &db], &[]));
    }
    let dir = tmp("formula-csv");
    let _ = std::fs::remove_dir_all(&dir);
    ok(&run(&["report", "--csv", dir.to_str().expect("utf8"), "--db", &db], &[]));
    for table in ["trainees.csv", "runs.csv"] {
        let bytes = std::fs::read(dir.join(table)).expect(table);
        let mut rows = csv::Reader::from_reader(&bytes[3..]);
        let cells: Vec<String> =
            rows.records().flat_map(|r| r.expect("row").iter().map(str::to_owned).collect::<Vec<_>>()).collect();
        for name in names {
            let want = if name.starts_with(['=', '+', '-', '@']) { format!("'{name}") } else { name.to_owned() };
            assert!(cells.contains(&want), "{table}: {want} not in {cells:?}");
        }
        assert!(!cells.iter().any(|c| c.starts_with(['=', '+', '@'])), "{table}: {cells:?}");
    }
}
