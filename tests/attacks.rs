//! Every attack on the certification that issue 12 lists, each tried as a trainee (with write access to the database) or a manager acting alone would, and shown to fail: refused when tried through callforge, reported by `verify` when done behind its back.
//!
//! The records attacks run on SQLite and on PostgreSQL (`both!`); see tests/records.rs for the
//! PostgreSQL server the tests use.

use crate::records::{PROCTOR, add_proctor, fresh, lib, open, run_for, run_of, sit_exam, tamper};
use crate::support::perfect_run;
use callforge::clock::Clock;
use callforge::domain::Library;
use callforge::domain::model::{Input, Mode, Role, Run};
use callforge::records::{Records, RecordsError, RungChange, TraineeRef, VerifyReport};

fn verify(loc: &str) -> VerifyReport {
    Records::open(loc).expect("open").verify(&mut |_, _| {}).expect("verify")
}

/// The problems verify finds, as "run 3: …" lines.
fn problems(loc: &str) -> Vec<String> {
    verify(loc).problems.iter().map(ToString::to_string).collect()
}

/// Asserts that verify reports a problem of `subject` whose text holds `words`.
fn reported(loc: &str, subject: &str, words: &str) {
    let found = problems(loc);
    assert!(
        found.iter().any(|p| p.starts_with(&format!("{subject}: ")) && p.contains(words)),
        "expected \"{subject}: …{words}…\" among {found:#?}"
    );
}

fn assert_clean(loc: &str) {
    let report = verify(loc);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
}

/// Olga with two practice runs (1, 2) and a proctored exam (3), Ivan with a practice run (4), and a
/// checkpoint over all of it; the proctor is the department's first manager.
fn department(loc: &str) -> (Records, Library) {
    let lib = lib();
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("Olga");
    r.add_trainee("Ivan", Role::Generator).expect("Ivan");
    add_proctor(&mut r);
    r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 0])).expect("run 1");
    r.store_run("Olga", &lib, &run_of("generator/b", Mode::Practice, &[0, 0])).expect("run 2");
    sit_exam(&mut r, &lib, "Olga", "closer/x", Mode::Exam, &[0, 0]).expect("run 3");
    r.store_run("Ivan", &lib, &run_for("Ivan", "generator/a", Mode::Practice, &[0, 1])).expect("run 4");
    r.checkpoint(PROCTOR.0, PROCTOR.1).expect("checkpoint");
    assert_clean(loc);
    (r, lib)
}

// ---- Edits and forged rows --------------------------------------------------------------------

crate::both!(editing_the_mode_of_a_stored_run_is_reported, |loc| {
    let (_, lib) = department(loc);
    tamper(loc, "UPDATE runs SET mode = 'Exam' WHERE id = 1");
    reported(loc, "run 1", "the mode differs from what was recorded: the row says Exam, its run file Practice");
    // Nor does the edited run count as an exam: it has no ticket.
    let e = open(loc).report("Olga", &lib).expect("report").eligibility.expect("ladder");
    assert!(!e.exams.iter().any(|x| x.scenario == "generator/a"));
});

crate::both!(editing_the_role_scenario_or_finished_mark_of_a_run_is_reported, |loc| {
    department(loc);
    for (edit, undo, words) in [
        (
            "UPDATE runs SET role = 'Closer' WHERE id = 2",
            "UPDATE runs SET role = 'Generator' WHERE id = 2",
            "the role differs",
        ),
        (
            "UPDATE runs SET scenario = 'closer/y' WHERE id = 2",
            "UPDATE runs SET scenario = 'generator/b' WHERE id = 2",
            "the scenario differs from what was recorded: the row says closer/y, its run file generator/b",
        ),
        (
            "UPDATE runs SET finished = 0 WHERE id = 2",
            "UPDATE runs SET finished = 1 WHERE id = 2",
            "the finished mark differs",
        ),
        (
            "UPDATE runs SET recorded_at = recorded_at - 86400 WHERE id = 2",
            "UPDATE runs SET recorded_at = recorded_at + 86400 WHERE id = 2",
            "the row was edited",
        ),
    ] {
        tamper(loc, edit);
        reported(loc, "run 2", words);
        tamper(loc, undo);
        assert_clean(loc);
    }
});

crate::both!(editing_a_trainees_rung_is_reported_and_counts_for_nothing, |loc| {
    department(loc);
    tamper(loc, "UPDATE trainees SET role = 'Closer' WHERE id = 1");
    reported(loc, "trainee 1", "rung Closer but their signed promotions say Generator");
    // A trainee written straight into the table at a higher rung is caught the same way.
    tamper(loc, "INSERT INTO trainees (name, role, created_at) VALUES ('Mallory', 'AccountManager', 0)");
    reported(loc, "trainee 3", "rung AccountManager but their signed promotions say Generator");
    // A forged promotion row to explain it is unsigned, so it explains nothing.
    tamper(
        loc,
        "INSERT INTO promotions (trainee_id, kind, from_role, to_role, manager, at, prev_hash, hash)
         VALUES (3, 'promote', 'Generator', 'AccountManager', 'proctor', 0, 'x', 'y')",
    );
    reported(loc, "promotion 1", "unsigned: no manager's key approved this promote");
    reported(loc, "trainee 3", "their signed promotions say Generator");
});

/// The attacker's script: every run row read, changed by `edit` (which may drop it), and every
/// hash recomputed as callforge computes it, with sha2 and nothing of callforge's.
fn recompute_chain(loc: &str, edit: impl Fn(&mut AttackRow) -> bool) {
    use sha2::{Digest, Sha256};
    let parts_hash = |parts: &[&str]| -> String {
        let mut h = Sha256::new();
        for p in parts {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p.as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    };
    let mut db = AttackDb::open(loc);
    let mut prev = "0".repeat(64);
    for mut row in db.runs() {
        if !edit(&mut row) {
            db.delete(row.id);
            continue;
        }
        let file: Run = callforge::domain::parse::ron_options().from_str(&row.run_ron).expect("a run file");
        let head = [
            file.scenario.clone(),
            file.version.map(|v| v.to_string()).unwrap_or_default(),
            file.hash.clone().unwrap_or_default(),
            file.seed.to_string(),
            file.mode.as_str().to_owned(),
            file.trainee.clone(),
            file.scorer.unwrap_or(1).to_string(),
        ];
        let inputs: Vec<String> = file
            .inputs
            .iter()
            .map(|i| match i {
                Input::Choose(n) => format!("c:{n}"),
                Input::Type(t) => format!("t:{t}"),
                Input::HangUp => "h".to_owned(),
            })
            .collect();
        let mut parts = vec!["callforge-run-fingerprint"];
        parts.extend(head.iter().map(String::as_str));
        parts.extend(inputs.iter().map(String::as_str));
        row.fingerprint = parts_hash(&parts);
        let c = &row.cols;
        let (t, adherence) = (row.trainee_id.to_string(), format!("{:016x}", row.adherence.to_bits()));
        row.hash = parts_hash(&[
            "callforge-run-2",
            &prev,
            &t,
            &c[0],
            &c[1],
            &c[2],
            &c[3],
            &c[4],
            &row.run_ron,
            &c[5],
            &adherence,
            &c[6],
            &c[7],
            &c[8],
            &c[9],
            &c[10],
            &c[11],
            &c[12],
            &c[13],
            &c[14],
            &c[15],
            &c[16],
            &row.fingerprint,
        ]);
        db.rewrite(&row, &prev);
        prev = row.hash.clone();
    }
    db.set_head(&prev);
}

/// One run row as the attacker reads it: the columns the hash covers, as text in its order.
struct AttackRow {
    id: i64,
    trainee_id: i64,
    run_ron: String,
    adherence: f64,
    fingerprint: String,
    hash: String,
    /// scenario, role, version, scenario_hash, mode, score, passed, critical, finished, outcome,
    /// label, breakdown, played_at, recorded_at, duration_ms, scorer, ticket_id
    cols: Vec<String>,
}

enum AttackDb {
    Sqlite(rusqlite::Connection),
    Pg(postgres::Client),
}

const ATTACK_COLUMNS: &str = "id, trainee_id, run_ron, adherence, scenario, role, CAST(version AS TEXT), scenario_hash, \
    mode, CAST(score AS TEXT), CAST(passed AS TEXT), CAST(critical AS TEXT), CAST(finished AS TEXT), outcome, label, \
    breakdown, CAST(played_at AS TEXT), CAST(recorded_at AS TEXT), CAST(duration_ms AS TEXT), CAST(scorer AS TEXT), \
    CAST(ticket_id AS TEXT)";

impl AttackDb {
    fn open(loc: &str) -> AttackDb {
        if loc.starts_with("postgres") {
            AttackDb::Pg(postgres::Client::connect(loc, postgres::NoTls).expect("connect"))
        } else {
            AttackDb::Sqlite(rusqlite::Connection::open(loc).expect("open"))
        }
    }

    fn runs(&mut self) -> Vec<AttackRow> {
        let sql = format!("SELECT {ATTACK_COLUMNS} FROM runs ORDER BY id");
        match self {
            AttackDb::Sqlite(c) => {
                let mut stmt = c.prepare(&sql).expect("prepare");
                stmt.query_map([], |r| {
                    Ok(AttackRow {
                        id: r.get(0)?,
                        trainee_id: r.get(1)?,
                        run_ron: r.get(2)?,
                        adherence: r.get(3)?,
                        fingerprint: String::new(),
                        hash: String::new(),
                        cols: (4..21).map(|i| r.get::<_, String>(i)).collect::<Result<_, _>>()?,
                    })
                })
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows")
            }
            AttackDb::Pg(c) => c
                .query(&sql, &[])
                .expect("query")
                .iter()
                .map(|r| AttackRow {
                    id: r.get(0),
                    trainee_id: r.get(1),
                    run_ron: r.get(2),
                    adherence: r.get(3),
                    fingerprint: String::new(),
                    hash: String::new(),
                    cols: (4..21).map(|i| r.get::<_, String>(i)).collect(),
                })
                .collect(),
        }
    }

    fn exec(&mut self, sql: &str) {
        match self {
            AttackDb::Sqlite(c) => c.execute_batch(sql).expect(sql),
            AttackDb::Pg(c) => c.batch_execute(sql).expect(sql),
        }
    }

    fn rewrite(&mut self, row: &AttackRow, prev: &str) {
        let q = |s: &str| s.replace('\'', "''");
        self.exec(&format!(
            "UPDATE runs SET trainee_id = {}, run_ron = '{}', fingerprint = '{}', prev_hash = '{prev}', hash = '{}' WHERE id = {}",
            row.trainee_id,
            q(&row.run_ron),
            row.fingerprint,
            row.hash,
            row.id
        ));
    }

    fn delete(&mut self, id: i64) {
        self.exec(&format!(
            "DELETE FROM run_stages WHERE run_id = {id}; DELETE FROM exam_results WHERE run_id = {id}; DELETE FROM runs WHERE id = {id}"
        ));
    }

    fn set_head(&mut self, hash: &str) {
        self.exec(&format!("UPDATE meta SET value = '{hash}' WHERE key = 'runs_head'"));
    }
}

crate::both!(moving_a_trainees_runs_to_another_and_recomputing_every_hash_is_reported, |loc| {
    department(loc);
    // Olga's runs become Ivan's, run files and all, and every hash is recomputed.
    recompute_chain(loc, |row| {
        if row.trainee_id == 1 {
            row.trainee_id = 2;
            row.run_ron = row.run_ron.replace("trainee: \"Olga\"", "trainee: \"Ivan\"");
        }
        true
    });
    let found = problems(loc);
    assert!(!found.iter().any(|p| p.contains("does not match its hash")), "the hashes were recomputed: {found:#?}");
    reported(loc, "checkpoint 3", "runs up to 4 were changed after it was signed");
    reported(loc, "run 3", "its exam ticket 1 was issued for trainee 1, not trainee 2: the run was moved");
});

crate::both!(moving_runs_without_rewriting_their_run_files_is_reported_run_by_run, |loc| {
    department(loc);
    recompute_chain(loc, |row| {
        if row.trainee_id == 1 {
            row.trainee_id = 2;
        }
        true
    });
    reported(loc, "run 1", "the run file is Olga's, but the row gives it to trainee 2 (Ivan)");
    reported(loc, "run 2", "the run file is Olga's");
});

crate::both!(deleting_a_run_and_recomputing_every_hash_is_reported, |loc| {
    department(loc);
    recompute_chain(loc, |row| row.id != 2);
    let found = problems(loc);
    assert!(!found.iter().any(|p| p.contains("chain is broken")), "the chain was recomputed: {found:#?}");
    reported(loc, "checkpoint 3", "runs up to 4 were changed after it was signed");
    reported(loc, "checkpoint 2", "the newest of the runs it covers (2) is missing");
});

// ---- Run files are checked, not trusted ------------------------------------------------------

crate::both!(a_back_dated_played_at_does_not_dodge_a_cooldown, |loc| {
    let lib = lib();
    let mut r = open(loc);
    let olga = r.add_trainee("Olga", Role::Generator).expect("add");
    add_proctor(&mut r);
    let t0 = 1_800_000_000;
    let later =
        r.issue_ticket(TraineeRef::Id(olga), "closer/x", Mode::Exam, PROCTOR.0, PROCTOR.1, &lib).expect("ticket");
    sit_exam(&mut r, &lib, "Olga", "closer/x", Mode::Exam, &[0, 1]).expect("a failed attempt");
    r.set_clock(Clock::Fixed(t0 + 3600));
    // A pass that claims to have been played in 2020, before the failure.
    let run = Run {
        seed: later.seed,
        played_at: Some("2020-01-01T00:00:00Z".into()),
        ..run_of("closer/x", Mode::Exam, &[0, 0])
    };
    let stored = r.store_run_with_ticket(TraineeRef::Id(olga), &lib, &run, later.id).expect("stored");
    let note = stored.exam.expect("an exam attempt");
    assert!(!note.counted && note.note.contains("cooldown"), "{note:?}");
    let e = r.report("Olga", &lib).expect("report").eligibility.expect("ladder");
    assert!(!e.exams[0].passed, "the cooldown runs on the time the records received the run");
    assert_eq!(e.exams[0].locked_until, Some(t0 + 24 * 3600));
    assert_clean(loc);
});

crate::both!(a_recall_run_that_picks_replies_instead_of_typing_is_refused, |loc| {
    let lib = lib();
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("add");
    let e = r.store_run("Olga", &lib, &run_of("generator/a", Mode::Recall, &[0, 0])).expect_err("Choose in Recall");
    assert!(matches!(e, RecordsError::ChoiceInRecall { turn: 1 }), "{e}");
    let mut typed = run_of("generator/a", Mode::Recall, &[]);
    typed.inputs = vec![Input::Type("Good morning, this is Northwind.".into()), Input::Choose(0)];
    let e = r.store_run("Olga", &lib, &typed).expect_err("one Choose is enough to refuse");
    assert!(matches!(e, RecordsError::ChoiceInRecall { turn: 2 }), "{e}");
    typed.inputs[1] = Input::Type("May I send you a free sample?".into());
    assert_eq!(r.store_run("Olga", &lib, &typed).expect("typed from memory").score.score, 100);
    let mut long = run_of("generator/a", Mode::Recall, &[]);
    long.inputs = vec![Input::Type("x".repeat(2001)), Input::Type("May I".into())];
    assert!(matches!(r.store_run("Olga", &lib, &long), Err(RecordsError::TypedTooLong { chars: 2001, .. })));
    assert_eq!(r.runs(None).expect("runs").len(), 1);
});

crate::both!(a_run_of_bob_recorded_for_another_trainee_is_refused, |loc| {
    let lib = lib();
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("add");
    let e = r.store_run("Olga", &lib, &run_for("Bob", "generator/a", Mode::Practice, &[0, 0])).expect_err("Bob's");
    assert!(matches!(e, RecordsError::WrongTrainee { .. }), "{e}");
    assert_eq!(e.to_string(), "the run file is Bob's, not Olga's; it was not recorded");
    assert!(r.store_run("Olga", &lib, &run_for(" olga ", "generator/a", Mode::Practice, &[0, 0])).is_ok());
});

crate::both!(a_run_without_version_and_hash_is_refused, |loc| {
    let lib = lib();
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("add");
    for strip in [0, 1, 2] {
        let mut run = run_of("generator/a", Mode::Practice, &[0, 0]);
        if strip != 1 {
            run.version = None;
        }
        if strip != 0 {
            run.hash = None;
        }
        let e = r.store_run("Olga", &lib, &run).expect_err("no version or hash");
        assert!(matches!(e, RecordsError::RunUnversioned), "{e}");
    }
    assert!(r.runs(None).expect("runs").is_empty());
});

crate::both!(the_same_run_recorded_fifteen_times_counts_once, |loc| {
    let lib = lib();
    let mut r = open(loc);
    r.add_trainee("Olga", Role::Generator).expect("add");
    let run = run_of("generator/a", Mode::Practice, &[0, 0]);
    let first = r.store_run("Olga", &lib, &run).expect("first").id;
    for i in 1..15 {
        // Claiming another time, or other answer times, does not make it another run.
        let again =
            Run { played_at: Some(format!("2027-01-{:02}T08:00:00Z", i)), times_ms: vec![i, i + 1], ..run.clone() };
        let e = r.store_run("Olga", &lib, &again).expect_err("already stored");
        assert!(matches!(e, RecordsError::AlreadyStored { run } if run == first), "{e}");
    }
    let batch = [("Olga".into(), &run), ("Olga".into(), &run)];
    assert!(matches!(r.store_runs(&batch, &lib), Err(RecordsError::AlreadyStored { .. })));
    let e = r.report("Olga", &lib).expect("report").eligibility.expect("ladder");
    assert_eq!(e.practice_runs, 1);
});

crate::both!(a_hand_written_perfect_exam_without_a_ticket_counts_as_practice, |loc| {
    let lib = lib();
    let mut r = open(loc);
    let olga = r.add_trainee("Olga", Role::Generator).expect("add");
    add_proctor(&mut r);
    // Read off the scenario file, with a seed of the trainee's choosing.
    let forged = Run { seed: 42, ..run_of("closer/x", Mode::Exam, &[0, 0]) };
    let stored = r.store_run("Olga", &lib, &forged).expect("stored as practice");
    assert!(stored.score.passed);
    let note = stored.exam.expect("noted");
    assert!(!note.counted && note.note.contains("no proctor ticket"), "{note:?}");
    let report = r.report("Olga", &lib).expect("report");
    let e = report.eligibility.expect("ladder");
    assert!(!e.exams[0].passed);
    assert!(e.exams[0].history[0].why.contains("no proctor ticket"), "{:?}", e.exams[0].history);
    // A ticket the trainee writes into the table is no ticket.
    tamper(
        loc,
        &format!(
            "INSERT INTO tickets (trainee_id, scenario, scenario_hash, mode, seed, issued_at, expires_at, proctor, signature)
             SELECT {olga}, 'closer/x', scenario_hash, 'Exam', 43, 1800000000, 1800007200, 'proctor', '00' FROM runs WHERE id = 1"
        ),
    );
    let forged = Run { seed: 43, ..run_of("closer/x", Mode::Exam, &[0, 0]) };
    let e = r.store_run_with_ticket(TraineeRef::Id(olga), &lib, &forged, 1).expect_err("a forged ticket");
    assert!(e.to_string().contains("its signature is not its proctor's"), "{e}");
    reported(loc, "ticket 1", "its signature does not match it");
    // A real ticket is good once, for its trainee, scenario, mode and seed, before it expires.
    let t = r.issue_ticket(TraineeRef::Id(olga), "closer/y", Mode::Exam, PROCTOR.0, PROCTOR.1, &lib).expect("ticket");
    let on_seed = Run { seed: t.seed, ..run_of("closer/y", Mode::Exam, &[0, 0]) };
    for (run, why) in [
        (Run { seed: t.seed.wrapping_add(1), ..on_seed.clone() }, "the ticket's seed"),
        (Run { seed: t.seed, ..run_of("closer/x", Mode::Exam, &[0, 1]) }, "issued for closer/y"),
    ] {
        let e = r.store_run_with_ticket(TraineeRef::Id(olga), &lib, &run, t.id).expect_err(why);
        assert!(e.to_string().contains(why), "{e}");
    }
    r.set_clock(Clock::Fixed(1_800_000_000 + 3 * 3600));
    let e = r.store_run_with_ticket(TraineeRef::Id(olga), &lib, &on_seed, t.id).expect_err("expired");
    assert!(e.to_string().contains("it expired"), "{e}");
    r.set_clock(Clock::Fixed(1_800_000_000 + 3600));
    r.store_run_with_ticket(TraineeRef::Id(olga), &lib, &on_seed, t.id).expect("on its ticket");
    let again = Run { inputs: vec![Input::Choose(0), Input::Choose(1)], ..on_seed };
    let e = r.store_run_with_ticket(TraineeRef::Id(olga), &lib, &again, t.id).expect_err("used");
    assert!(e.to_string().contains("already used it"), "{e}");
});

#[test]
fn trainee_show_says_an_exam_without_a_ticket_counts_as_practice() {
    let db = fresh("sqlite").expect("sqlite");
    let run_file = std::path::Path::new(&db).with_extension("ron");
    let lib = crate::support::bundled();
    let run = perfect_run(&lib, "closer/warm-lead-price", 42, Mode::Exam, "Olga");
    callforge::domain::model::write_run(&run_file, &run).expect("run file");
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_callforge"))
            .args(args)
            .args(["--db", &db])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("runs");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    cli(&["trainee", "add", "Olga"]);
    let stored = cli(&["record", run_file.to_str().expect("utf8"), "--trainee", "Olga"]);
    assert!(stored.contains("no proctor ticket"), "{stored}");
    let shown = cli(&["trainee", "show", "Olga"]);
    assert!(shown.contains("not counted — no proctor ticket: it counts as practice"), "{shown}");
}

// ---- Managers ----------------------------------------------------------------------------------

crate::both!(a_manager_cannot_approve_a_puppet_account_for_their_own_trainee_record, |loc| {
    let lib = lib();
    let mut r = open(loc);
    let anna = r.add_trainee("Anna", Role::Generator).expect("trainee Anna");
    r.add_manager("head", "head's password", None, None).expect("the department's first manager");
    r.add_manager("anna", "anna's password", Some(TraineeRef::Id(anna)), Some(("head", "head's password")))
        .expect("anna");
    // A second account for the same trainee, approved by herself: refused.
    let e = r
        .add_manager("anna2", "puppet password", Some(TraineeRef::Id(anna)), Some(("anna", "anna's password")))
        .expect_err("her own approval");
    assert!(matches!(e, RecordsError::SameTraineeApproval { .. }), "{e}");
    // An unlinked puppet she approves may sign in, but never act on her record.
    r.add_manager("puppet", "puppet password", None, Some(("anna", "anna's password"))).expect("a puppet");
    let e = r.change_rung(RungChange::Reset, "Anna", "puppet", "puppet password", &lib).expect_err("made by Anna");
    assert!(matches!(e, RecordsError::CreatedByTrainee { .. }), "{e}");
    assert!(e.to_string().contains("approved (directly or through other accounts) by \"anna\""), "{e}");
    // Nor may a puppet of the puppet.
    r.add_manager("puppet2", "puppet password 2", None, Some(("puppet", "puppet password"))).expect("puppet2");
    let e = r.issue_ticket("Anna", "closer/x", Mode::Exam, "puppet2", "puppet password 2", &lib).expect_err("chain");
    assert!(matches!(e, RecordsError::CreatedByTrainee { .. }), "{e}");
    assert!(r.audit_trail().expect("audit").iter().any(|(_, _, a, _)| a == "manager.add-refused"));
    assert_clean(loc);
});

crate::both!(a_puppet_forced_into_the_managers_table_cannot_promote, |loc| {
    let (mut r, lib) = department(loc);
    // The trainee writes an account of their own: a password hash and a sealed key they made.
    let (_, sealed) = callforge::records::keys::ManagerKey::generate("puppet password").expect("key");
    let hash = {
        use argon2::password_hash::PasswordHasher;
        callforge::records::keys::argon2().hash_password(b"puppet password").expect("hash").to_string()
    };
    tamper(
        loc,
        &format!(
            "INSERT INTO managers (username, password_hash, trainee_id, created_at, public_key, sealed_key, approved_by, signature)
             VALUES ('puppet', '{hash}', 0, 1800000000, '{}', '{}', '', '')",
            sealed.public, sealed.sealed
        ),
    );
    for _ in 0..2 {
        r.store_run("Olga", &lib, &run_of("generator/a", Mode::Practice, &[0, 1])).expect("practice");
    }
    let e = r.change_rung(RungChange::Promote, "Olga", "puppet", "puppet password", &lib).expect_err("no approval");
    assert!(matches!(e, RecordsError::UntrustedManager { .. }), "{e}");
    assert!(e.to_string().contains("carries no approval"), "{e}");
    reported(loc, "manager 2", "\"puppet\": its account carries no approval");
    // Copying the first manager's approval onto it does not help: it does not cover this account.
    tamper(
        loc,
        "UPDATE managers SET approved_by = 'proctor', signature = (SELECT signature FROM managers WHERE id = 1) WHERE id = 2",
    );
    let e = r.change_rung(RungChange::Promote, "Olga", "puppet", "puppet password", &lib).expect_err("copied");
    assert!(e.to_string().contains("does not match the account"), "{e}");
    reported(loc, "manager 2", "its account has an approval by \"proctor\" that does not match the account");
    assert_eq!(r.trainee("Olga").expect("Olga").role, Role::Generator);
});

crate::both!(twenty_wrong_passwords_lock_the_name_and_never_say_which_names_exist, |loc| {
    let mut r = open(loc);
    add_proctor(&mut r);
    let t0 = 1_800_000_000;
    let mut checked = std::time::Duration::ZERO;
    let mut locked = std::time::Duration::ZERO;
    for attempt in 1..=20 {
        let started = std::time::Instant::now();
        let e = r.authenticate(PROCTOR.0, "a wrong password").expect_err("wrong");
        if attempt <= 5 {
            checked += started.elapsed();
            assert!(matches!(e, RecordsError::SignInFailed), "attempt {attempt}: {e}");
        } else {
            locked += started.elapsed();
            assert!(matches!(e, RecordsError::SignInLocked { .. }), "attempt {attempt}: {e}");
        }
    }
    assert!(locked / 15 < checked / 5, "the 15 refusals were not checked: {locked:?} against {checked:?} for 5 checks");
    // Locked: even the right password is refused, unchecked, for 15 minutes.
    let e = r.authenticate(PROCTOR.0, PROCTOR.1).expect_err("locked");
    assert_eq!(
        e.to_string(),
        format!(
            "too many failed sign-ins with this user name: the next try is possible at {} (15 minutes after the last failure)",
            callforge::domain::time::format_time(t0 + 15 * 60)
        )
    );
    // An unknown name reads exactly like a known one, locked after five tries too.
    let unknown = r.authenticate("nobody", "a wrong password").expect_err("unknown");
    let wrong = {
        let mut other = open(loc);
        other.set_clock(Clock::Fixed(t0 + 16 * 60));
        other.authenticate(PROCTOR.0, "another wrong one").expect_err("wrong")
    };
    assert_eq!(unknown.to_string(), wrong.to_string());
    assert_eq!(unknown.to_string(), "wrong user name or password");
    for _ in 0..4 {
        r.authenticate("nobody", "a wrong password").expect_err("unknown");
    }
    assert!(matches!(r.authenticate("nobody", "x"), Err(RecordsError::SignInLocked { .. })));
    // After the wait, the right password works (one more failure would lock the name again).
    r.set_clock(Clock::Fixed(t0 + 32 * 60));
    assert_eq!(r.authenticate(PROCTOR.0, PROCTOR.1).expect("after the wait"), PROCTOR.0);
    let audit = r.audit_trail().expect("audit");
    assert!(audit.iter().filter(|(_, _, a, _)| a == "manager.sign-in-locked").count() >= 15);
});

crate::both!(short_or_blank_passwords_are_refused, |loc| {
    let mut r = open(loc);
    for weak in [" ".repeat(12), "abcdefghijk".into(), "  abcdefghijk  ".into(), "aaaaaaaaaaaaaaaa".into()] {
        let e = r.add_manager("anna", &weak, None, None).expect_err("weak");
        assert!(matches!(e, RecordsError::WeakPassword), "{weak:?}: {e}");
    }
    r.add_manager("anna", "abcdefghijkl", None, None).expect("twelve characters");
    let e = r.change_password("anna", "abcdefghijkl", &" ".repeat(20)).expect_err("blank");
    assert!(matches!(e, RecordsError::WeakPassword), "{e}");
    r.change_password("anna", "abcdefghijkl", "a new long password").expect("changed");
    assert!(matches!(r.authenticate("anna", "abcdefghijkl"), Err(RecordsError::SignInFailed)));
    r.authenticate("anna", "a new long password").expect("the new password");
    // The key is the same: what anna signed before still verifies.
    assert_clean(loc);
});

#[test]
fn passwords_never_appear_in_errors_output_or_the_audit_trail() {
    let db = fresh("sqlite").expect("sqlite");
    let secret = "Sup3r-secret horse";
    let run = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_callforge"))
            .args(args)
            .args(["--db", &db])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write");
        let out = child.wait_with_output().expect("ends");
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    };
    let mut said = String::new();
    said += &run(&["trainee", "add", "Olga"], "");
    said += &run(&["manager", "add", "anna", "--password-stdin"], &format!("{secret}\n"));
    said += &run(&["manager", "add", "boris", "--by", "anna", "--password-stdin"], &format!("{secret} 2\n{secret}x\n"));
    said += &run(&["manager", "add", "boris", "--by", "anna", "--password-stdin"], &format!("{secret} 2\n{secret}\n"));
    said += &run(&["promote", "Olga", "--manager", "anna", "--password-stdin"], &format!("{secret}\n"));
    said += &run(&["promote", "Olga", "--manager", secret, "--password-stdin"], &format!("{secret}\n"));
    said += &run(&["manager", "passwd", "anna", "--password-stdin"], &format!("{secret}\nshort\n"));
    said += &run(&["checkpoint", "--manager", "anna", "--password-stdin"], &format!("{secret}y\n"));
    said += &run(&["audit", "--json"], "");
    said += &run(&["verify", "--json"], "");
    // The one place a password was typed where a user name goes: that is the user's slip, shown
    // as the name it was given as; every other mention would be a leak.
    let leaks = said.matches(secret).count();
    let as_name = said.matches(&format!("\"actor\": \"{secret}\"")).count();
    assert_eq!(leaks, as_name, "a password leaked:\n{said}");
    let mut r = Records::open(&db).expect("open");
    for (_, actor, _, detail) in r.audit_trail().expect("audit") {
        assert!(!detail.contains(secret), "{detail}");
        assert!(actor == secret || !actor.contains(secret), "{actor}");
    }
    assert!(said.contains("wrong user name or password") && said.contains("at least 12 characters"), "{said}");
}

// ---- Forged approvals, tickets and checkpoints -------------------------------------------------

/// A department where the proctor has promoted Olga to Closer and enrolled Ivan as Closer.
fn promoted(loc: &str) -> Records {
    let (mut r, lib) = department(loc);
    r.store_run("Olga", &lib, &run_of("generator/b", Mode::Practice, &[1, 0])).expect("practice");
    sit_exam(&mut r, &lib, "Olga", "closer/y", Mode::Exam, &[0, 0]).expect("exam");
    r.change_rung(RungChange::Promote, "Olga", PROCTOR.0, PROCTOR.1, &lib).expect("promoted");
    r.enrol_trainee("Petr", Role::Closer, PROCTOR.0, PROCTOR.1).expect("enrolled");
    assert_clean(loc);
    r
}

crate::both!(copying_a_promotions_signature_to_another_row_is_reported, |loc| {
    promoted(loc);
    tamper(loc, "UPDATE promotions SET signature = (SELECT signature FROM promotions WHERE id = 1) WHERE id = 2");
    reported(loc, "promotion 2", "its signature does not match the row");
    reported(loc, "trainee 3", "rung Closer but their signed promotions say Generator");
    // Changing what a signed promotion says breaks its signature, whatever the hashes say.
    tamper(loc, "UPDATE promotions SET signature = '' WHERE id = 2");
    reported(loc, "promotion 2", "unsigned: no manager's key approved this enrol");
});

crate::both!(editing_a_tickets_seed_or_scenario_is_reported, |loc| {
    department(loc);
    tamper(loc, "UPDATE tickets SET seed = seed + 1 WHERE id = 1");
    reported(loc, "ticket 1", "its signature does not match it");
    reported(loc, "run 3", "its exam ticket 1 is not valid");
    reported(loc, "run 3", "it was not played as its exam ticket 1 says");
    tamper(loc, "UPDATE tickets SET seed = seed - 1, scenario = 'closer/y' WHERE id = 1");
    reported(loc, "ticket 1", "its signature does not match it");
    reported(loc, "run 3", "its exam ticket 1 was issued for another scenario (closer/y)");
});

crate::both!(editing_or_removing_an_older_checkpoint_is_reported, |loc| {
    department(loc);
    tamper(loc, "UPDATE checkpoints SET runs_last = 1, runs_head = (SELECT hash FROM runs WHERE id = 1) WHERE id = 2");
    reported(loc, "checkpoint 2", "its signature does not match it");
    tamper(loc, "DELETE FROM checkpoints WHERE id = 2");
    reported(loc, "checkpoint 3", "the checkpoint before it was removed or edited");
    // Moving where the rows made before signatures end is caught by every checkpoint.
    tamper(loc, "UPDATE meta SET value = '9' WHERE key = 'legacy_runs_until'");
    reported(loc, "checkpoint 1", "where the rows made before signatures end");
});

crate::both!(records_rebuilt_by_someone_else_fail_the_trust_check, |loc| {
    let (mut r, _) = department(loc);
    let root = r.verify(&mut |_, _| {}).expect("verify").root.expect("a root key");
    assert!(
        r.verify_trusting(Some(&root.to_uppercase().replace('-', " ")), &mut |_, _| {})
            .expect("verify")
            .problems
            .is_empty()
    );
    // The trainee starts over with a database of their own, with a manager of their own.
    let other = fresh(if loc.starts_with("postgres") { "postgres" } else { "sqlite" }).expect("another");
    let mut forged = open(&other);
    forged.add_manager("proctor", "my own password", None, None).expect("a manager of theirs");
    let report = forged.verify_trusting(Some(&root), &mut |_, _| {}).expect("verify");
    assert!(
        report.problems.iter().any(|p| p.what.contains(&format!("not the trusted {root}"))),
        "{:#?}",
        report.problems
    );
});

// ---- Databases from before signatures ----------------------------------------------------------

/// A database as callforge wrote it before signatures (schema 4): a manager, a trainee promoted
/// to Closer, another set to Closer at creation, and a stored run, all chained as they were.
fn legacy_database(loc: &str) {
    use sha2::{Digest, Sha256};
    let h = |parts: &[&str]| -> String {
        let mut h = Sha256::new();
        for p in parts {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p.as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    };
    drop(Records::open_at(loc, 4).expect("schema 4"));
    let lib = lib();
    let p = lib.scenario("generator/a").expect("scenario");
    let run =
        Run { version: Some(1), hash: Some(p.hash().to_owned()), ..run_of("generator/a", Mode::Practice, &[0, 1]) };
    let d = callforge::domain::replay(p, &run, false).expect("fits");
    let s = callforge::domain::score(&d);
    let run_ron = callforge::domain::model::run_to_ron(&run).expect("ron");
    let breakdown = serde_json::to_string(&s).expect("json");
    let genesis = "0".repeat(64);
    let run_hash = h(&["callforge-run-1", &genesis, "1", p.hash(), &run_ron, "50", "failed", "clean", "1700000000"]);
    let promo = h(&["callforge-promotion-1", &genesis, "1", "promote", "Generator", "Closer", "anna", "1700000100"]);
    let pw = {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default().hash_password(b"old password").expect("hash").to_string()
    };
    let q = |s: &str| s.replace('\'', "''");
    tamper(
        loc,
        &format!(
            "INSERT INTO trainees (name, role, created_at) VALUES ('Olga', 'Closer', 1700000000);
             INSERT INTO trainees (name, role, created_at) VALUES ('Ivan', 'Closer', 1700000000);
             INSERT INTO managers (username, password_hash, trainee_id, created_at) VALUES ('anna', '{pw}', 0, 1700000000);
             INSERT INTO managers (username, password_hash, trainee_id, created_at) VALUES ('boris', '{pw}', 0, 1700000000);
             INSERT INTO scenario_versions (hash, scenario_id, version, scenario_ron, script_ron) VALUES ('{}', 'generator/a', 1, '{}', '{}');
             INSERT INTO runs (trainee_id, scenario, role, version, scenario_hash, mode, run_ron, score, adherence, passed,
                critical, finished, outcome, label, breakdown, played_at, recorded_at, prev_hash, hash, duration_ms, scorer)
             VALUES (1, 'generator/a', 'Generator', 1, '{}', 'Practice', '{}', 50, 50.0, 0, 0, 1, 'Success', 'Done', '{}',
                1700000000, 1700000000, '{genesis}', '{run_hash}', 0, 1);
             INSERT INTO meta (key, value) VALUES ('runs_head', '{run_hash}');
             INSERT INTO promotions (trainee_id, kind, from_role, to_role, manager, at, prev_hash, hash)
             VALUES (1, 'promote', 'Generator', 'Closer', 'anna', 1700000100, '{genesis}', '{promo}');
             INSERT INTO meta (key, value) VALUES ('promotions_head', '{promo}');",
            p.hash(),
            q(&p.scenario_source.text),
            q(&p.script_source.text),
            p.hash(),
            q(&run_ron),
            q(&breakdown),
        ),
    );
}

crate::both!(an_upgraded_database_keeps_verifying_and_its_managers_get_keys_at_sign_in, |loc| {
    legacy_database(loc);
    let mut r = open(loc);
    assert_eq!(r.schema_version().expect("version"), callforge::records::schema::CURRENT);
    let report = r.verify(&mut |_, _| {}).expect("verify");
    assert!(report.problems.is_empty(), "old rows keep verifying: {:#?}", report.problems);
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.iter().any(|w| w.starts_with("promotion 1: unsigned (made before signatures)")), "{warnings:#?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("promotion 2: unsigned (made before signatures)")
                && w.contains("the rung they had then")),
        "{warnings:#?}"
    );
    assert!(warnings.iter().any(|w| w.contains("\"anna\"") && w.contains("next sign-in")), "{warnings:#?}");
    assert_eq!(report.root, None);
    // The first manager to sign in gets a key and becomes the root; the other gets a key and needs
    // another manager's approval before signing anything.
    assert_eq!(r.authenticate("anna", "old password").expect("anna"), "anna");
    assert_eq!(r.authenticate("boris", "old password").expect("boris"), "boris");
    let e = r.checkpoint("boris", "old password").expect_err("not approved yet");
    assert!(matches!(e, RecordsError::UntrustedManager { .. }), "{e}");
    r.approve_manager("boris", "old password", ("anna", "old password")).expect("approved");
    r.checkpoint("boris", "old password").expect("now boris signs");
    let report = r.verify(&mut |_, _| {}).expect("verify");
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert!(report.root.is_some());
    assert!(!report.warnings.iter().any(|w| w.table == "managers"), "{:#?}", report.warnings);
    // New rows after the upgrade must be signed: an unsigned promotion now is a forgery.
    tamper(loc, "UPDATE runs SET mode = 'Exam' WHERE id = 1");
    reported(loc, "run 1", "the mode differs from what was recorded");
});

#[test]
fn a_proctored_exam_in_the_terminal_is_stored_with_its_ticket() {
    let db = fresh("sqlite").expect("sqlite");
    let cli = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_callforge"))
            .args(args)
            .args(["--db", &db])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write");
        let out = child.wait_with_output().expect("ends");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    cli(&["trainee", "add", "Olga"], "");
    let (code, added, _) = cli(&["manager", "add", "anna", "--password-stdin"], "anna's password\n");
    assert_eq!(code, Some(0));
    assert!(added.contains("department's first manager") && added.contains("callforge verify --trust"), "{added}");
    let exam = ["play", "--scenario", "closer/warm-lead-price", "--mode", "exam", "--trainee", "Olga"];
    let answers = "1\n".repeat(12);
    // The proctor's password comes first on stdin, then the answers.
    let mut proctored = exam.to_vec();
    proctored.extend(["--proctor", "anna", "--password-stdin"]);
    // A wrong password opens no exam, and no call is played.
    let (code, out, err) = cli(&proctored, &format!("not anna's password\n{answers}"));
    assert_eq!(code, Some(1));
    assert!(err.contains("wrong user name or password") && !out.contains("Score"), "{out}{err}");
    let (code, out, err) = cli(&proctored, &format!("anna's password\n{answers}"));
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("exam ticket 1 signed by proctor anna, good until"), "{out}");
    assert!(out.contains("stored as run 1"), "{out}");
    // Without a proctor, the call is played and stored, and counts as practice.
    let (code, out, _) = cli(&exam, &answers);
    assert_eq!(code, Some(0));
    assert!(out.contains("no proctor: this exam attempt will count as practice"), "{out}");
    let (_, shown, _) = cli(&["trainee", "show", "Olga"], "");
    assert!(shown.contains("ticket 1: closer/warm-lead-price in Exam mode, proctor anna, used by run 1"), "{shown}");
    assert!(shown.contains("no proctor ticket: it counts as practice"), "{shown}");
    let (code, verified, _) = cli(&["verify"], "");
    assert_eq!(code, Some(0), "{verified}");
    assert!(verified.contains("latest checkpoint 2"), "{verified}");
}
