//! Moves on the ladder: promotions, demotions, resets and enrolments above the first rung, each signed by the approving manager.
//!
//! A trainee's rung is what their promotions' chain says: the last row's `to_role`, or the first
//! rung when there is none. Each row is signed by its manager's key over the trainee, the move,
//! the time and the row before it, so a row cannot be forged, edited or copied to another trainee
//! without `verify` seeing it.

use super::chain::{PROMOTIONS_HEAD, PromotionSeal, chain_head, promotion_hash, set_chain_head};
use super::db::Db;
use super::managers::Signer;
use super::rows::promotion_row;
use super::{PromotionRow, Records, RecordsError, Trainee, TraineeRef};
use crate::domain::Library;
use crate::domain::ladder;
use crate::domain::model::{Ladder, Role};

/// The statement kind a promotion is signed under.
pub(super) const PROMOTION: &str = "promotion";

/// The kind of row the migration to signatures writes for a rung set before signatures.
pub(super) const LEGACY: &str = "legacy";

/// A move of a trainee on the ladder, approved by a manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RungChange {
    /// One rung up, only when the trainee is eligible.
    Promote,
    /// One rung down.
    Demote,
    /// Back to the first rung.
    Reset,
}

impl RungChange {
    /// The name stored in the promotions table and the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            RungChange::Promote => "promote",
            RungChange::Demote => "demote",
            RungChange::Reset => "reset",
        }
    }
}

/// What a promotion's signature covers, in order: the trainee (id and name), the move, who
/// approved it and when, and the hash of the promotion before it.
pub(super) fn promotion_statement<'a>(
    trainee_id: &'a str,
    trainee_name: &'a str,
    seal: &PromotionSeal<'a>,
    at: &'a str,
    prev: &'a str,
) -> [&'a str; 8] {
    [trainee_id, trainee_name, seal.kind, seal.from, seal.to, seal.manager, at, prev]
}

impl Records {
    /// Moves a trainee on the ladder with a manager's approval: signs the manager in, refuses a
    /// manager acting on their own record (or one whose account was approved by a manager linked to
    /// the trainee), works out the new rung by the ladder's rules (a promotion needs the trainee
    /// to be eligible, on runs that `verify` would find intact) and records the signed change.
    pub fn change_rung(
        &mut self,
        change: RungChange,
        who: impl Into<TraineeRef>,
        manager: &str,
        password: &str,
        lib: &Library,
    ) -> Result<PromotionRow, RecordsError> {
        self.writable()?;
        let trainee = self.find_trainee(&who.into())?;
        let signer = self.sign_in(manager, password)?;
        self.may_act_for(&signer, &trainee, "promotion.refused")?;
        let ladder = lib.ladder.as_ref().ok_or(RecordsError::NoLadder)?;
        let to = match change {
            RungChange::Promote => self.promotion_target(&trainee, ladder, lib)?,
            RungChange::Demote => ladder::previous_role(ladder, trainee.role)
                .ok_or_else(|| RecordsError::BottomOfLadder { name: trainee.name.clone(), role: trainee.role })?,
            RungChange::Reset => ladder.rungs.first().map_or(Role::Generator, |r| r.role),
        };
        self.record_rung_change(&trainee, to, change.as_str(), &signer)
    }

    /// Adds a trainee who starts above the first rung, enrolled there by a manager (a signed
    /// "enrol" move from the first rung), with no language set. Returns the new id.
    pub fn enrol_trainee(
        &mut self,
        name: &str,
        role: Role,
        manager: &str,
        password: &str,
    ) -> Result<i64, RecordsError> {
        self.enrol_trainee_in(name, role, "", manager, password)
    }

    /// [`Records::enrol_trainee`], for a trainee who takes exams in `language`.
    pub fn enrol_trainee_in(
        &mut self,
        name: &str,
        role: Role,
        language: &str,
        manager: &str,
        password: &str,
    ) -> Result<i64, RecordsError> {
        self.writable()?;
        let signer = self.sign_in(manager, password)?;
        signer.chain()?;
        if signer.username.trim().eq_ignore_ascii_case(name.trim()) {
            return Err(RecordsError::SelfPromotion {
                manager: signer.username.clone(),
                trainee: name.trim().to_owned(),
            });
        }
        let id = self.add_trainee_in(name, Role::Generator, language)?;
        let trainee = self.find_trainee(&TraineeRef::Id(id))?;
        if role != Role::Generator {
            self.record_rung_change(&trainee, role, "enrol", &signer)?;
        }
        Ok(id)
    }

    /// The rung above a trainee's, if they are eligible for it.
    fn promotion_target(&mut self, trainee: &Trainee, ladder: &Ladder, lib: &Library) -> Result<Role, RecordsError> {
        let facts = self.run_facts(trainee.id)?;
        let language = ladder::trainee_language(&trainee.language, &facts, lib);
        let e = ladder::eligibility(ladder, lib, trainee.role, &language, &facts, self.now());
        let Some(next) = e.next else {
            return Err(RecordsError::TopOfLadder { name: trainee.name.clone(), role: trainee.role });
        };
        if !e.eligible {
            return Err(RecordsError::NotEligible {
                name: trainee.name.clone(),
                to: next.to_string(),
                missing: e.missing,
            });
        }
        let problems = self.trainee_run_problems(trainee.id)?;
        if !problems.is_empty() {
            return Err(RecordsError::NotEligible {
                name: trainee.name.clone(),
                to: next.to_string(),
                missing: problems
                    .into_iter()
                    .map(|p| format!("run {} was changed behind callforge's back: {}", p.id, p.what))
                    .collect(),
            });
        }
        Ok(next)
    }

    /// Writes a signed move on the ladder: the chained promotion row, the trainee's new role, the
    /// audit, and a checkpoint.
    fn record_rung_change(
        &mut self,
        trainee: &Trainee,
        to: Role,
        kind: &str,
        signer: &Signer,
    ) -> Result<PromotionRow, RecordsError> {
        signer.chain()?;
        let now = self.now();
        let from = trainee.role;
        let manager = signer.username.as_str();
        let id = self.write(|db| {
            let prev = chain_head(db, PROMOTIONS_HEAD)?;
            let seal =
                PromotionSeal { trainee_id: trainee.id, kind, from: from.as_str(), to: to.as_str(), manager, at: now };
            let hash = promotion_hash(&prev, &seal);
            let (tid, at) = (trainee.id.to_string(), now.to_string());
            let signature = signer.sign(PROMOTION, &promotion_statement(&tid, &trainee.name, &seal, &at, &prev));
            let id = db
                .query_value(
                    "INSERT INTO promotions (trainee_id, kind, from_role, to_role, manager, at, prev_hash, hash, signature)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    &[
                        trainee.id.into(),
                        kind.into(),
                        from.as_str().into(),
                        to.as_str().into(),
                        manager.into(),
                        now.into(),
                        prev.as_str().into(),
                        hash.as_str().into(),
                        signature.as_str().into(),
                    ],
                )?
                .map_or(0, |v| v.int());
            set_chain_head(db, PROMOTIONS_HEAD, &hash)?;
            db.execute("UPDATE trainees SET role = $1 WHERE id = $2", &[to.as_str().into(), trainee.id.into()])?;
            let what = format!("trainee {} \"{}\": {from} → {to}", trainee.id, trainee.name);
            Self::audit(db, now, manager, &format!("trainee.{kind}"), &what)?;
            super::checkpoints::write(db, signer, now)?;
            Ok(id)
        })?;
        Ok(PromotionRow {
            id,
            trainee_id: trainee.id,
            kind: kind.to_owned(),
            from_role: from,
            to_role: to,
            manager: manager.to_owned(),
            at: now,
        })
    }

    /// Promotions, demotions and resets, oldest first.
    pub fn promotions(&mut self, trainee_id: Option<i64>) -> Result<Vec<PromotionRow>, RecordsError> {
        let sql = "SELECT id, trainee_id, kind, from_role, to_role, manager, at FROM promotions";
        let rows = match trainee_id {
            Some(t) => self.db.query(&format!("{sql} WHERE trainee_id = $1 ORDER BY id"), &[t.into()])?,
            None => self.db.query(&format!("{sql} ORDER BY id"), &[])?,
        };
        Ok(rows.iter().map(|r| promotion_row(r)).collect())
    }
}

/// Appends an unsigned row that explains a rung set before signatures (the migration to schema 5
/// writes one for each trainee whose rung their promotions did not explain).
pub(super) fn append_legacy(db: &mut Db, trainee_id: i64, from: &str, to: &str, at: i64) -> Result<(), RecordsError> {
    let prev = chain_head(db, PROMOTIONS_HEAD)?;
    let seal = PromotionSeal { trainee_id, kind: LEGACY, from, to, manager: "", at };
    let hash = promotion_hash(&prev, &seal);
    db.execute(
        "INSERT INTO promotions (trainee_id, kind, from_role, to_role, manager, at, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            trainee_id.into(),
            LEGACY.into(),
            from.into(),
            to.into(),
            "".into(),
            at.into(),
            prev.as_str().into(),
            hash.as_str().into(),
        ],
    )?;
    set_chain_head(db, PROMOTIONS_HEAD, &hash)
}
