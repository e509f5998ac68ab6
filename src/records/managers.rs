//! Managers: accounts, passwords, and the promotions, demotions and resets they approve.

use super::chain::{PROMOTIONS_HEAD, PromotionSeal, chain_head, promotion_hash, set_chain_head};
use super::rows::promotion_row;
use super::{PromotionRow, Records, RecordsError, Trainee, TraineeRef};
use crate::domain::Library;
use crate::domain::ladder;
use crate::domain::model::{Ladder, Role};

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

impl Records {
    /// Adds a manager with an argon2 password hash, optionally linked to the trainee they also are.
    /// The first manager needs no approval; after that an existing manager must approve with their
    /// password (`by`: user name and password).
    pub fn add_manager(
        &mut self,
        username: &str,
        password: &str,
        trainee: Option<TraineeRef>,
        by: Option<(&str, &str)>,
    ) -> Result<(), RecordsError> {
        self.writable()?;
        let username = username.trim().to_owned();
        if username.is_empty() {
            return Err(RecordsError::EmptyName);
        }
        if password.chars().count() < 8 {
            return Err(RecordsError::WeakPassword);
        }
        let existing = self.db.query_value("SELECT COUNT(*) FROM managers", &[])?.map_or(0, |v| v.int());
        let approver = match (existing, by) {
            (0, _) => username.clone(),
            (_, None) => return Err(RecordsError::ApprovalNeeded),
            (_, Some((user, pw))) => self.authenticate(user, pw)?,
        };
        let trainee_id = match trainee {
            Some(who) => Some(self.trainee(who)?.id),
            None => None,
        };
        let hash = hash_password(password)?;
        let now = self.now();
        self.write(|db| {
            if db.query_value("SELECT id FROM managers WHERE username = $1", &[username.as_str().into()])?.is_some() {
                return Err(RecordsError::DuplicateManager(username.clone()));
            }
            db.execute(
                "INSERT INTO managers (username, password_hash, trainee_id, created_at) VALUES ($1, $2, $3, $4)",
                &[username.as_str().into(), hash.as_str().into(), linked_to_column(trainee_id).into(), now.into()],
            )?;
            Self::audit(db, now, &approver, "manager.add", &format!("manager \"{username}\""))?;
            Ok(())
        })
    }

    /// Checks a manager's password; a failure is written to the audit trail.
    pub fn authenticate(&mut self, username: &str, password: &str) -> Result<String, RecordsError> {
        let row = self.db.query("SELECT password_hash FROM managers WHERE username = $1", &[username.into()])?;
        let Some(stored) = row.into_iter().next().map(|r| r[0].text()) else {
            return Err(RecordsError::ManagerNotFound(username.to_owned()));
        };
        use argon2::password_hash::{PasswordVerifier, phc::PasswordHash};
        let ok = PasswordHash::new(&stored)
            .is_ok_and(|parsed| argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok());
        if ok {
            Ok(username.to_owned())
        } else {
            if self.read_only.is_none() {
                let now = self.now();
                let _ = self.write(|db| Self::audit(db, now, username, "manager.login-failed", "wrong password"));
            }
            Err(RecordsError::BadPassword(username.to_owned()))
        }
    }

    /// The trainee a manager account belongs to, if it is linked to one.
    fn manager_trainee(&mut self, username: &str) -> Result<Option<i64>, RecordsError> {
        let column = self.db.query_value("SELECT trainee_id FROM managers WHERE username = $1", &[username.into()])?;
        Ok(linked_from_column(column.map_or(0, |v| v.int())))
    }

    /// Moves a trainee on the ladder with a manager's approval: authenticates the manager, refuses a
    /// manager acting on their own record, works out the new rung by the ladder's rules (a promotion
    /// needs the trainee to be eligible) and records the change on the promotions' chain.
    pub fn change_rung(
        &mut self,
        change: RungChange,
        who: impl Into<TraineeRef>,
        manager: &str,
        password: &str,
        lib: &Library,
    ) -> Result<PromotionRow, RecordsError> {
        let (trainee, manager) = self.approve(&who.into(), manager, password)?;
        let ladder = lib.ladder.as_ref().ok_or(RecordsError::NoLadder)?;
        let to = match change {
            RungChange::Promote => self.promotion_target(&trainee, ladder, lib)?,
            RungChange::Demote => ladder::previous_role(ladder, trainee.role)
                .ok_or_else(|| RecordsError::BottomOfLadder { name: trainee.name.clone(), role: trainee.role })?,
            RungChange::Reset => ladder.rungs.first().map_or(Role::Generator, |r| r.role),
        };
        self.record_rung_change(&trainee, to, change.as_str(), &manager)
    }

    /// The rung above a trainee's, if they are eligible for it.
    fn promotion_target(&mut self, trainee: &Trainee, ladder: &Ladder, lib: &Library) -> Result<Role, RecordsError> {
        let facts = self.run_facts(trainee.id)?;
        let e = ladder::eligibility(ladder, lib, trainee.role, &facts, self.now());
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
        Ok(next)
    }

    /// Authenticates the manager and refuses a manager acting on their own record.
    fn approve(&mut self, who: &TraineeRef, manager: &str, password: &str) -> Result<(Trainee, String), RecordsError> {
        self.writable()?;
        let trainee = self.find_trainee(who)?;
        let manager = self.authenticate(manager, password)?;
        let linked = self.manager_trainee(&manager)?;
        if linked == Some(trainee.id) || manager.trim().eq_ignore_ascii_case(trainee.name.trim()) {
            let now = self.now();
            let detail = format!("refused: manager \"{manager}\" acting on their own record (trainee {})", trainee.id);
            let _ = self.write(|db| Self::audit(db, now, &manager, "promotion.refused", &detail));
            return Err(RecordsError::SelfPromotion { manager, trainee: trainee.name });
        }
        Ok((trainee, manager))
    }

    /// Writes a move on the ladder: the chained promotion row, the trainee's new role, the audit.
    fn record_rung_change(
        &mut self,
        trainee: &Trainee,
        to: Role,
        kind: &str,
        manager: &str,
    ) -> Result<PromotionRow, RecordsError> {
        let now = self.now();
        let from = trainee.role;
        let id = self.write(|db| {
            let prev = chain_head(db, PROMOTIONS_HEAD)?;
            let seal =
                PromotionSeal { trainee_id: trainee.id, kind, from: from.as_str(), to: to.as_str(), manager, at: now };
            let hash = promotion_hash(&prev, &seal);
            let id = db
                .query_value(
                    "INSERT INTO promotions (trainee_id, kind, from_role, to_role, manager, at, prev_hash, hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[
                        trainee.id.into(),
                        kind.into(),
                        from.as_str().into(),
                        to.as_str().into(),
                        manager.into(),
                        now.into(),
                        prev.as_str().into(),
                        hash.as_str().into(),
                    ],
                )?
                .map_or(0, |v| v.int());
            set_chain_head(db, PROMOTIONS_HEAD, &hash)?;
            db.execute("UPDATE trainees SET role = $1 WHERE id = $2", &[to.as_str().into(), trainee.id.into()])?;
            let what = format!("trainee {} \"{}\": {from} → {to}", trainee.id, trainee.name);
            Self::audit(db, now, manager, &format!("trainee.{kind}"), &what)?;
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

/// The `managers.trainee_id` column stores "no linked trainee" as 0 (trainee ids start at 1).
fn linked_to_column(trainee_id: Option<i64>) -> i64 {
    trainee_id.unwrap_or(0)
}

/// Reads `managers.trainee_id` back: 0 is "no linked trainee".
fn linked_from_column(column: i64) -> Option<i64> {
    (column != 0).then_some(column)
}

fn hash_password(password: &str) -> Result<String, RecordsError> {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(RecordsError::PasswordHash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_linked_trainee_is_stored_as_zero() {
        assert_eq!(linked_to_column(None), 0);
        assert_eq!(linked_to_column(Some(4)), 4);
        assert_eq!(linked_from_column(0), None);
        assert_eq!(linked_from_column(4), Some(4));
    }
}
