//! Reliability of the records under abuse: processes killed while storing, and several writers at once.

use crate::cli::{callforge, text, tmp};
use crate::faults::run_text;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn setup(name: &str) -> (String, String) {
    let db = tmp(&format!("{name}.db")).display().to_string();
    let _ = std::fs::remove_file(&db);
    let run = run_file(name, 7);
    let out = callforge(&["trainee", "add", "Bob", "--db", &db], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    (db, run)
}

/// A run file of Bob's whose seed (and the seeds `record --repeat` goes on to) no other writer uses.
fn run_file(name: &str, seed: u64) -> String {
    let run = tmp(&format!("{name}-run-{seed}.ron")).display().to_string();
    std::fs::write(&run, run_text("Bob", seed)).expect("write run");
    run
}

fn storer(db: &str, run: &str, repeat: u32) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_callforge"))
        .args(["record", run, "--trainee", "Bob", "--repeat", &repeat.to_string(), "--db", db])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn")
}

fn stored_ids(db: &str) -> Vec<i64> {
    let mut r = callforge::records::Records::open(db).expect("the database opens");
    r.runs(None).expect("runs").into_iter().map(|r| r.id).collect()
}

fn verify_ok(db: &str) {
    let out = callforge(&["verify", "--db", db], None);
    assert_eq!(out.status.code(), Some(0), "verify: {}{}", text(&out.stdout), text(&out.stderr));
}

/// Kill -9 a process while it stores runs, 50 times: every run whose store call returned is there,
/// and the database still opens and verifies.
#[test]
fn killed_while_storing_nothing_confirmed_is_lost() {
    let (db, _) = setup("crash");
    let mut confirmed: Vec<i64> = Vec::new();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..50 {
        let run = run_file("crash", 1_000_000 * (i + 1));
        let mut child = storer(&db, &run, 100_000);
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(id) = line
                    .strip_prefix("stored run ")
                    .and_then(|r| r.split(':').next())
                    .and_then(|n| n.parse::<i64>().ok())
                {
                    let _ = tx.send(id);
                }
            }
        });
        // Wait for a first store, then kill at a pseudo-random moment among the next ones.
        let _ = rx.recv_timeout(Duration::from_secs(20));
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(rng % 40));
        child.kill().expect("kill -9");
        let _ = child.wait();
        let _ = reader.join();
        confirmed.extend(rx.try_iter());
    }
    let present = stored_ids(&db);
    let missing: Vec<&i64> = confirmed.iter().filter(|id| !present.contains(id)).collect();
    assert!(missing.is_empty(), "confirmed runs lost: {missing:?}");
    assert!(confirmed.len() >= 50, "{} stores confirmed", confirmed.len());
    verify_ok(&db);
}

/// Four processes store into the same SQLite file at once; none is lost.
#[test]
fn four_writers_at_once_lose_nothing() {
    let (db, _) = setup("concurrent");
    let started = Instant::now();
    let children: Vec<_> = (0..4).map(|i| storer(&db, &run_file("concurrent", 1000 * (i + 1)), 25)).collect();
    for c in children {
        let out = c.wait_with_output().expect("wait");
        assert!(out.status.success());
        assert_eq!(text(&out.stdout).lines().filter(|l| l.starts_with("stored run")).count(), 25);
    }
    assert_eq!(stored_ids(&db).len(), 100, "in {:?}", started.elapsed());
    verify_ok(&db);
}

#[test]
fn the_commands_refuse_bad_databases_clearly() {
    let junk = tmp("junk.db");
    std::fs::write(&junk, "not a database at all, just text").expect("write");
    let out = callforge(&["trainee", "list", "--db", junk.to_str().expect("utf8")], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("is not a callforge database"), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"));
    assert_eq!(std::fs::read_to_string(&junk).expect("read"), "not a database at all, just text");
}

#[test]
fn promotion_through_the_command_line() {
    let (db, run) = setup("promote");
    let mgr = callforge(&["manager", "add", "anna", "--password-stdin", "--db", &db], Some("correct horse\n"));
    assert_eq!(mgr.status.code(), Some(0), "{}", text(&mgr.stderr));
    let refused =
        callforge(&["promote", "Bob", "--manager", "anna", "--password-stdin", "--db", &db], Some("correct horse\n"));
    assert_eq!(refused.status.code(), Some(1));
    let why = text(&refused.stderr);
    assert!(why.contains("not eligible") && why.contains("closer/warm-lead-price"), "{why}");
    let stored = callforge(&["record", &run, "--trainee", "Bob", "--db", &db], None);
    assert!(
        text(&stored.stdout).starts_with("stored run 1: generator/busy-office-manager Practice — score 100 (passed)"),
        "{}",
        text(&stored.stdout)
    );
    let show = callforge(&["trainee", "show", "Bob", "--db", &db], None);
    let shown = text(&show.stdout);
    assert!(shown.contains("practice runs as Generator: 1 of 10") && shown.contains("Not eligible yet"), "{shown}");
    let json = callforge(&["trainee", "show", "1", "--json", "--db", &db], None);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["eligibility"]["practice_runs"], 1);
    assert_eq!(v["trainee"]["role"], "Generator");
    let wrong =
        callforge(&["promote", "Bob", "--manager", "anna", "--password-stdin", "--db", &db], Some("nope nope\n"));
    assert!(text(&wrong.stderr).contains("wrong user name or password"), "{}", text(&wrong.stderr));
}
