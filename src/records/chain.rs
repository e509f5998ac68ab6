//! The runs' and promotions' hash chains: each row's hash covers its content and the previous row's hash.
//!
//! A chain has no secret: someone who can write the database can recompute it after an edit. The
//! signed checkpoints (`checkpoints.rs`) fix its head at each manager action, so rows before the
//! latest checkpoint cannot be changed unseen.

use super::RecordsError;
use super::db::Db;
use crate::domain::digest::sha256_parts;

/// The hash before the first row of a chain.
pub(super) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Where each chain keeps its head in `meta`.
pub(super) const RUNS_HEAD: &str = "runs_head";
pub(super) const PROMOTIONS_HEAD: &str = "promotions_head";

/// What a run row's hash covers: who, the scenario text's hash, the whole run file (seed, mode and
/// inputs), the score and when it was played.
#[derive(Debug, Clone, Copy)]
pub(super) struct RunSeal<'a> {
    pub trainee_id: i64,
    pub scenario_hash: &'a str,
    pub run_ron: &'a str,
    pub score: u32,
    pub passed: bool,
    pub critical: bool,
    pub played_at: i64,
}

/// The chained hash of a run row.
pub(super) fn run_hash(prev: &str, seal: &RunSeal) -> String {
    sha256_parts(&[
        "callforge-run-1",
        prev,
        &seal.trainee_id.to_string(),
        seal.scenario_hash,
        seal.run_ron,
        &seal.score.to_string(),
        if seal.passed { "passed" } else { "failed" },
        if seal.critical { "critical" } else { "clean" },
        &seal.played_at.to_string(),
    ])
}

/// What a run row's hash covers from hash version 2 on: every column any rule, report or screen
/// reads.
#[derive(Debug, Clone, Copy)]
pub(super) struct RunSeal2<'a> {
    pub trainee_id: i64,
    pub scenario: &'a str,
    pub role: &'a str,
    pub version: i64,
    pub scenario_hash: &'a str,
    pub mode: &'a str,
    pub run_ron: &'a str,
    pub score: i64,
    pub adherence: f64,
    pub passed: bool,
    pub critical: bool,
    pub finished: bool,
    pub outcome: &'a str,
    pub label: &'a str,
    pub breakdown: &'a str,
    pub played_at: i64,
    pub recorded_at: i64,
    pub duration_ms: i64,
    pub scorer: i64,
    pub ticket: i64,
    pub fingerprint: &'a str,
}

/// The chained hash of a run row of hash version 2.
pub(super) fn run_hash_2(prev: &str, seal: &RunSeal2) -> String {
    let flag = |b: bool| if b { "1" } else { "0" };
    sha256_parts(&[
        "callforge-run-2",
        prev,
        &seal.trainee_id.to_string(),
        seal.scenario,
        seal.role,
        &seal.version.to_string(),
        seal.scenario_hash,
        seal.mode,
        seal.run_ron,
        &seal.score.to_string(),
        &format!("{:016x}", seal.adherence.to_bits()),
        flag(seal.passed),
        flag(seal.critical),
        flag(seal.finished),
        seal.outcome,
        seal.label,
        seal.breakdown,
        &seal.played_at.to_string(),
        &seal.recorded_at.to_string(),
        &seal.duration_ms.to_string(),
        &seal.scorer.to_string(),
        &seal.ticket.to_string(),
        seal.fingerprint,
    ])
}

/// What a promotion row's hash covers: who moved whom, from where to where, and when.
#[derive(Debug, Clone, Copy)]
pub(super) struct PromotionSeal<'a> {
    pub trainee_id: i64,
    pub kind: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub manager: &'a str,
    pub at: i64,
}

/// The chained hash of a promotion row.
pub(super) fn promotion_hash(prev: &str, seal: &PromotionSeal) -> String {
    sha256_parts(&[
        "callforge-promotion-1",
        prev,
        &seal.trainee_id.to_string(),
        seal.kind,
        seal.from,
        seal.to,
        seal.manager,
        &seal.at.to_string(),
    ])
}

/// The newest hash of a chain (the genesis hash for an empty one).
pub(super) fn chain_head(db: &mut Db, key: &str) -> Result<String, RecordsError> {
    Ok(db
        .query_value("SELECT value FROM meta WHERE key = $1", &[key.into()])?
        .map_or_else(|| GENESIS.to_owned(), |v| v.text()))
}

/// Moves a chain's head to a newly appended row's hash.
pub(super) fn set_chain_head(db: &mut Db, key: &str, hash: &str) -> Result<(), RecordsError> {
    db.execute(
        "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[key.into(), hash.into()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hashes are stored: a change of what they cover, or of their order, would make every
    /// existing database fail `verify`.
    #[test]
    fn the_chained_hashes_are_stable() {
        let seal = RunSeal {
            trainee_id: 1,
            scenario_hash: "abc",
            run_ron: "Run()",
            score: 90,
            passed: true,
            critical: false,
            played_at: 1_800_000_000,
        };
        assert_eq!(run_hash(GENESIS, &seal), "b23f96f1555f277062db6ac1f5c42f6575673ed2c917014e11470cf3cba095c3");
        let seal =
            PromotionSeal { trainee_id: 2, kind: "promote", from: "Generator", to: "Closer", manager: "anna", at: 5 };
        assert_eq!(promotion_hash(GENESIS, &seal), "caff18a0b2794546dec3c1f3db7abcfb0f7e76e0d7ea3a0e6b1bd557b85ad5a0");
        let seal = RunSeal2 {
            trainee_id: 1,
            scenario: "generator/a",
            role: "Generator",
            version: 1,
            scenario_hash: "abc",
            mode: "Exam",
            run_ron: "Run()",
            score: 90,
            adherence: 90.0,
            passed: true,
            critical: false,
            finished: true,
            outcome: "Success",
            label: "Done",
            breakdown: "{}",
            played_at: 1_800_000_000,
            recorded_at: 1_800_000_001,
            duration_ms: 5000,
            scorer: 2,
            ticket: 3,
            fingerprint: "f",
        };
        let hash = run_hash_2(GENESIS, &seal);
        assert_eq!(hash, "8340ffb206ddd241ed9973c7818fee287a8edb2f8335c58a7c52108cf95738de");
        for changed in [
            RunSeal2 { mode: "Practice", ..seal },
            RunSeal2 { role: "Closer", ..seal },
            RunSeal2 { scenario: "generator/b", ..seal },
            RunSeal2 { finished: false, ..seal },
            RunSeal2 { recorded_at: 1, ..seal },
            RunSeal2 { ticket: 0, ..seal },
            RunSeal2 { adherence: 90.000_001, ..seal },
        ] {
            assert_ne!(run_hash_2(GENESIS, &changed), hash, "{changed:?}");
        }
    }
}
