//! Checkpoints: a manager's signature over the heads of both hash chains, written at every manager action and by `callforge checkpoint`.
//!
//! The hash chains have no secret, so someone who can write the database could edit a row and
//! recompute every hash after it. A checkpoint fixes the chains as they were when a manager
//! signed: `verify` checks that the row each checkpoint names still has the hash it signed, so a
//! change to any row before the latest checkpoint shows. Each checkpoint also signs the one
//! before it, so an older checkpoint can be neither edited nor removed unseen.

use super::db::Db;
use super::managers::Signer;
use super::{Records, RecordsError};
use crate::domain::digest::sha256_parts;

/// The statement kind a checkpoint is signed under.
pub(super) const CHECKPOINT: &str = "checkpoint";

/// A checkpoint as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Checkpoint {
    pub id: i64,
    pub at: i64,
    pub manager: String,
    /// The newest run it covers (0: none yet) and that run's chained hash.
    pub runs_last: i64,
    pub runs_head: String,
    /// The newest promotion it covers (0: none yet) and its chained hash.
    pub promotions_last: i64,
    pub promotions_head: String,
    /// The link to the checkpoint before it ([`link`] of its signature).
    #[serde(skip)]
    pub prev: String,
    #[serde(skip)]
    pub signature: String,
}

impl Checkpoint {
    pub(super) const COLUMNS: &str =
        "id, at, manager, runs_last, runs_head, promotions_last, promotions_head, prev, signature";

    pub(super) fn from_row(r: &[super::db::SqlValue]) -> Checkpoint {
        Checkpoint {
            id: r[0].int(),
            at: r[1].int(),
            manager: r[2].text(),
            runs_last: r[3].int(),
            runs_head: r[4].text(),
            promotions_last: r[5].int(),
            promotions_head: r[6].text(),
            prev: r[7].text(),
            signature: r[8].text(),
        }
    }

    /// What its signature covers: itself, the checkpoint before it, and where the rows made before
    /// signatures end (`legacy`: runs, promotions, managers), so none of them can move.
    pub(super) fn statement(&self, legacy: (i64, i64, i64)) -> [String; 11] {
        [
            self.id.to_string(),
            self.at.to_string(),
            self.manager.clone(),
            self.runs_last.to_string(),
            self.runs_head.clone(),
            self.promotions_last.to_string(),
            self.promotions_head.clone(),
            self.prev.clone(),
            legacy.0.to_string(),
            legacy.1.to_string(),
            legacy.2.to_string(),
        ]
    }
}

/// The link a checkpoint holds to the one before it: a hash of that one's signature.
pub(super) fn link(signature: &str) -> String {
    sha256_parts(&["callforge-checkpoint-link", signature])
}

/// The newest row of a chain: its id and hash, (0, genesis) when empty.
fn newest(db: &mut Db, table: &str) -> Result<(i64, String), RecordsError> {
    let row = db.query(&format!("SELECT id, hash FROM {table} ORDER BY id DESC LIMIT 1"), &[])?;
    Ok(row.first().map_or_else(|| (0, super::chain::GENESIS.to_owned()), |r| (r[0].int(), r[1].text())))
}

/// Writes a checkpoint signed by `signer` inside the caller's write transaction; returns its id.
pub(super) fn write(db: &mut Db, signer: &Signer, at: i64) -> Result<Checkpoint, RecordsError> {
    signer.chain()?;
    let (runs_last, runs_head) = newest(db, "runs")?;
    let (promotions_last, promotions_head) = newest(db, "promotions")?;
    let prev = db
        .query("SELECT signature FROM checkpoints ORDER BY id DESC LIMIT 1", &[])?
        .first()
        .map_or_else(|| super::chain::GENESIS.to_owned(), |r| link(&r[0].text()));
    let legacy = super::schema::legacy_bounds(db)?;
    let id = db
        .query_value(
            "INSERT INTO checkpoints (at, manager, runs_last, runs_head, promotions_last, promotions_head, prev, signature)
             VALUES ($1, $2, $3, $4, $5, $6, $7, '') RETURNING id",
            &[
                at.into(),
                signer.username.as_str().into(),
                runs_last.into(),
                runs_head.as_str().into(),
                promotions_last.into(),
                promotions_head.as_str().into(),
                prev.as_str().into(),
            ],
        )?
        .map_or(0, |v| v.int());
    let mut cp = Checkpoint {
        id,
        at,
        manager: signer.username.clone(),
        runs_last,
        runs_head,
        promotions_last,
        promotions_head,
        prev,
        signature: String::new(),
    };
    let parts = cp.statement(legacy);
    cp.signature = signer.sign(CHECKPOINT, &parts.iter().map(String::as_str).collect::<Vec<_>>());
    db.execute("UPDATE checkpoints SET signature = $1 WHERE id = $2", &[cp.signature.as_str().into(), id.into()])?;
    Ok(cp)
}

impl Records {
    /// Signs a checkpoint of both chains as they are now (`callforge checkpoint`): every row
    /// before it is then fixed, even against someone who can recompute the hashes.
    pub fn checkpoint(&mut self, manager: &str, password: &str) -> Result<Checkpoint, RecordsError> {
        self.writable()?;
        let signer = self.sign_in(manager, password)?;
        signer.chain()?;
        let now = self.now();
        self.write(|db| {
            let cp = write(db, &signer, now)?;
            let detail =
                format!("checkpoint {}: runs up to {}, promotions up to {}", cp.id, cp.runs_last, cp.promotions_last);
            Self::audit(db, now, &signer.username, "checkpoint", &detail)?;
            Ok(cp)
        })
    }

    /// Every checkpoint, oldest first.
    pub fn checkpoints(&mut self) -> Result<Vec<Checkpoint>, RecordsError> {
        Ok(self
            .db
            .query(&format!("SELECT {} FROM checkpoints ORDER BY id", Checkpoint::COLUMNS), &[])?
            .iter()
            .map(|r| Checkpoint::from_row(r))
            .collect())
    }
}
