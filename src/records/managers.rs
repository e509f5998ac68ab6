//! Managers: accounts, their keys and the approvals that tie every account to the department's first manager, and signing in.
//!
//! Each manager holds an Ed25519 key whose secret half is sealed by their password (`keys`). The
//! department's first manager signs their own account: their key is the root of trust, and its
//! fingerprint is what a department writes down. Every later account is signed by a different,
//! trusted manager who is not linked to the same trainee. An account that does not chain back to
//! the root by valid signatures cannot sign anything (see [`standings`]).
//!
//! Signing in checks the password by unsealing the key (accounts made before keys existed check
//! the stored argon2 hash once, and get their key then). After [`MAX_FAILURES`] failed sign-ins of
//! one user name, further tries are refused unchecked for [`LOCK_SECONDS`]; an unknown name is
//! treated exactly like a known one, so nobody learns which names exist.

use super::db::Db;
use super::keys::{self, ManagerKey, SealedKey};
pub(super) use super::trust::{ACCOUNT, Account, Standing, standings};
use super::{Records, RecordsError, Trainee, TraineeRef};
use crate::domain::time::format_time;
use std::sync::OnceLock;

/// The fewest characters a password may have (not counting spaces at either end).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The fewest different characters a password may have.
pub const MIN_PASSWORD_DISTINCT: usize = 5;
/// Failed sign-ins of one user name before further tries wait.
pub const MAX_FAILURES: i64 = 5;
/// How long they wait: 15 minutes after the last failure.
pub const LOCK_SECONDS: i64 = 15 * 60;

pub(super) fn refs(parts: &[String]) -> Vec<&str> {
    parts.iter().map(String::as_str).collect()
}

/// A manager signed in for one action: their account, their unsealed key and their standing.
#[derive(Debug)]
pub(super) struct Signer {
    pub username: String,
    pub trainee: Option<i64>,
    pub key: ManagerKey,
    pub standing: Standing,
}

impl Signer {
    /// The accounts from this manager up to the root, if they may sign.
    pub fn chain(&self) -> Result<&[(String, Option<i64>)], RecordsError> {
        match &self.standing {
            Standing::Trusted(chain) => Ok(chain),
            Standing::Legacy(why) | Standing::Untrusted(why) => Err(RecordsError::UntrustedManager {
                manager: self.username.clone(),
                why: format!("its account {why}"),
            }),
        }
    }

    /// Signs a statement.
    pub fn sign(&self, kind: &str, parts: &[&str]) -> String {
        self.key.sign(kind, parts)
    }
}

/// What adding (or approving) a manager account did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerAdded {
    pub username: String,
    /// The fingerprint of the account's key (`keys::fingerprint`).
    pub fingerprint: String,
    /// Whether this is the department's first manager, whose key is the root of trust.
    pub root: bool,
}

/// A manager account as `verify` and `manager list` show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ManagerRow {
    pub username: String,
    pub trainee_id: Option<i64>,
    pub created_at: i64,
    pub approved_by: String,
    /// The key's fingerprint; empty for an account made before keys.
    pub fingerprint: String,
    pub root: bool,
    /// Whether it may sign: "trusted", or why not.
    pub standing: String,
}

impl Records {
    /// Adds a manager. Their key pair is made now and sealed by their password; the account is
    /// signed by the approving manager (`by`: user name and password), who must be trusted and not
    /// linked to the same trainee. The department's first manager needs no approval: they sign
    /// their own account and their key becomes the root of trust (so they cannot be linked to a
    /// trainee). Returns the new key's fingerprint.
    pub fn add_manager(
        &mut self,
        username: &str,
        password: &str,
        trainee: Option<TraineeRef>,
        by: Option<(&str, &str)>,
    ) -> Result<ManagerAdded, RecordsError> {
        self.writable()?;
        let username = username.trim().to_owned();
        if username.is_empty() {
            return Err(RecordsError::EmptyName);
        }
        check_password(password)?;
        let trainee = match trainee {
            Some(who) => Some(self.find_trainee(&who)?),
            None => None,
        };
        let existing = self.db.query_value("SELECT COUNT(*) FROM managers", &[])?.map_or(0, |v| v.int());
        let approver = match (existing, by) {
            (0, _) if trainee.is_some() => return Err(RecordsError::FirstManagerLinked),
            (0, _) => None,
            (_, None) => return Err(RecordsError::ApprovalNeeded),
            (_, Some((user, pw))) => {
                let signer = self.sign_in(user, pw)?;
                signer.chain()?;
                if let Some(t) = &trainee
                    && signer.trainee == Some(t.id)
                {
                    let detail = format!(
                        "refused: \"{}\" would approve \"{username}\", linked to the same trainee {}",
                        signer.username, t.id
                    );
                    self.audit_now(&signer.username, "manager.add-refused", &detail);
                    return Err(RecordsError::SameTraineeApproval {
                        approver: signer.username.clone(),
                        trainee: format!("{} ({})", t.id, t.name),
                    });
                }
                Some(signer)
            }
        };
        let (key, sealed) = ManagerKey::generate(password)?;
        let hash = hash_password(password)?;
        let now = self.now();
        let mut account = Account {
            id: 0,
            username: username.clone(),
            password_hash: hash,
            trainee: trainee.as_ref().map(|t| t.id),
            created_at: now,
            public_key: sealed.public.clone(),
            sealed_key: sealed.sealed.clone(),
            approved_by: approver.as_ref().map_or_else(|| username.clone(), |s| s.username.clone()),
            signature: String::new(),
        };
        account.signature = match &approver {
            Some(s) => s.sign(ACCOUNT, &refs(&account.statement(&s.key.public()))),
            None => key.sign(ACCOUNT, &refs(&account.statement(&key.public()))),
        };
        let root = approver.is_none();
        let fingerprint = keys::fingerprint(&account.public_key);
        self.write(|db| {
            if db.query_value("SELECT id FROM managers WHERE username = $1", &[username.as_str().into()])?.is_some() {
                return Err(RecordsError::DuplicateManager(username.clone()));
            }
            db.execute(
                "INSERT INTO managers (username, password_hash, trainee_id, created_at, public_key, sealed_key,
                    approved_by, signature)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    username.as_str().into(),
                    account.password_hash.as_str().into(),
                    linked_to_column(account.trainee).into(),
                    now.into(),
                    account.public_key.as_str().into(),
                    account.sealed_key.as_str().into(),
                    account.approved_by.as_str().into(),
                    account.signature.as_str().into(),
                ],
            )?;
            let link = account.trainee.map(|t| format!(", linked to trainee {t}")).unwrap_or_default();
            let detail = if root {
                format!("manager \"{username}\" (key {fingerprint}), the department's first manager: the root of trust")
            } else {
                format!("manager \"{username}\" (key {fingerprint}){link}, approved by \"{}\"", account.approved_by)
            };
            Self::audit(db, now, &account.approved_by, "manager.add", &detail)?;
            match &approver {
                Some(s) => super::checkpoints::write(db, s, now)?,
                None => {
                    let me = Signer {
                        username: username.clone(),
                        trainee: None,
                        key,
                        standing: Standing::Trusted(vec![(username.clone(), None)]),
                    };
                    super::checkpoints::write(db, &me, now)?
                }
            };
            Ok(())
        })?;
        Ok(ManagerAdded { username, fingerprint, root })
    }

    /// Approves an account made before signatures (it gets its key at its manager's sign-in,
    /// which this does with `password`): a different, trusted manager (`by`) signs it, as for a new
    /// account.
    pub fn approve_manager(
        &mut self,
        username: &str,
        password: &str,
        by: (&str, &str),
    ) -> Result<ManagerAdded, RecordsError> {
        self.writable()?;
        let user = self.sign_in(username, password)?;
        if matches!(user.standing, Standing::Trusted(_)) {
            return Err(RecordsError::AlreadyApproved(user.username));
        }
        let approver = self.sign_in(by.0, by.1)?;
        approver.chain()?;
        if approver.username == user.username {
            return Err(RecordsError::UntrustedManager {
                manager: user.username,
                why: "an account cannot approve itself".into(),
            });
        }
        if user.trainee.is_some() && approver.trainee == user.trainee {
            return Err(RecordsError::SameTraineeApproval {
                approver: approver.username,
                trainee: user.trainee.map(|t| t.to_string()).unwrap_or_default(),
            });
        }
        let mut account = self.account(&user.username)?.ok_or(RecordsError::SignInFailed)?;
        account.approved_by = approver.username.clone();
        account.signature = approver.sign(ACCOUNT, &refs(&account.statement(&approver.key.public())));
        let now = self.now();
        let fingerprint = keys::fingerprint(&account.public_key);
        self.write(|db| {
            db.execute(
                "UPDATE managers SET approved_by = $1, signature = $2 WHERE id = $3",
                &[account.approved_by.as_str().into(), account.signature.as_str().into(), account.id.into()],
            )?;
            let detail = format!("manager \"{}\" (key {fingerprint}) approved", account.username);
            Self::audit(db, now, &approver.username, "manager.approve", &detail)?;
            super::checkpoints::write(db, &approver, now)?;
            Ok(())
        })?;
        Ok(ManagerAdded { username: account.username, fingerprint, root: false })
    }

    /// Changes a manager's password: the same key, sealed again by the new password.
    pub fn change_password(&mut self, username: &str, old: &str, new: &str) -> Result<(), RecordsError> {
        self.writable()?;
        check_password(new)?;
        let signer = self.sign_in(username, old)?;
        let sealed = signer.key.seal(new)?;
        let hash = hash_password(new)?;
        let now = self.now();
        self.write(|db| {
            db.execute(
                "UPDATE managers SET password_hash = $1, sealed_key = $2 WHERE username = $3",
                &[hash.as_str().into(), sealed.sealed.as_str().into(), signer.username.as_str().into()],
            )?;
            Self::audit(db, now, &signer.username, "manager.passwd", "password changed (the key sealed again)")?;
            if signer.chain().is_ok() {
                super::checkpoints::write(db, &signer, now)?;
            }
            Ok(())
        })
    }

    /// Checks a manager's password (the same error for an unknown name and a wrong password;
    /// refused unchecked while the name is locked after failures). Returns the user name.
    pub fn authenticate(&mut self, username: &str, password: &str) -> Result<String, RecordsError> {
        if self.read_only.is_some() {
            return self.check_password_only(username, password);
        }
        Ok(self.sign_in(username, password)?.username)
    }

    /// Every manager account with where it stands.
    pub fn managers(&mut self) -> Result<Vec<ManagerRow>, RecordsError> {
        let accounts = self.accounts()?;
        let legacy = super::schema::legacy_bounds(&mut self.db)?.2;
        let (standing, root) = standings(&accounts, legacy);
        Ok(accounts
            .iter()
            .map(|a| ManagerRow {
                username: a.username.clone(),
                trainee_id: a.trainee,
                created_at: a.created_at,
                approved_by: a.approved_by.clone(),
                fingerprint: if a.public_key.is_empty() { String::new() } else { keys::fingerprint(&a.public_key) },
                root: root.as_deref() == Some(a.username.as_str()),
                standing: match standing.get(&a.username) {
                    Some(Standing::Trusted(_)) => "trusted".into(),
                    Some(Standing::Legacy(why) | Standing::Untrusted(why)) => why.clone(),
                    None => String::new(),
                },
            })
            .collect())
    }

    /// Every manager account, by id.
    pub(super) fn accounts(&mut self) -> Result<Vec<Account>, RecordsError> {
        accounts(&mut self.db)
    }

    fn account(&mut self, username: &str) -> Result<Option<Account>, RecordsError> {
        let rows = self
            .db
            .query(&format!("SELECT {} FROM managers WHERE username = $1", Account::COLUMNS), &[username.into()])?;
        Ok(rows.first().map(|r| Account::from_row(r)))
    }

    /// Signs a manager in for an action: refuses a locked name unchecked, checks the password by
    /// unsealing the key (an account made before keys checks its argon2 hash and gets its key now;
    /// the first of them to sign in, when there is no root yet, becomes the root), counts a
    /// failure, and works out the account's standing.
    pub(super) fn sign_in(&mut self, username: &str, password: &str) -> Result<Signer, RecordsError> {
        self.writable()?;
        let username = username.trim();
        let now = self.now();
        let had_failures = self.refuse_if_locked(username, now)?;
        let account = self.account(username)?;
        let checked = match &account {
            Some(a) if !a.sealed_key.is_empty() => {
                ManagerKey::unseal(&SealedKey { public: a.public_key.clone(), sealed: a.sealed_key.clone() }, password)
                    .map(|k| (k, false))
            }
            Some(a) => match verify_password(&a.password_hash, password) {
                true => Some((ManagerKey::generate(password)?.0, true)),
                false => None,
            },
            None => {
                let _ = verify_password(dummy_hash(), password);
                None
            }
        };
        let (Some(mut account), Some((key, new_key))) = (account, checked) else {
            self.count_failure(username, now)?;
            return Err(RecordsError::SignInFailed);
        };
        if had_failures {
            // Set back to none rather than deleted: nobody's database login is granted DELETE.
            self.write(|db| {
                db.execute("UPDATE sign_in_failures SET failures = 0 WHERE username = $1", &[username.into()])
            })?;
        }
        if new_key {
            self.give_key(&mut account, &key, password, now)?;
        }
        let accounts = self.accounts()?;
        let legacy = super::schema::legacy_bounds(&mut self.db)?.2;
        let (mut standing, _) = standings(&accounts, legacy);
        let standing = standing.remove(&account.username).unwrap_or(Standing::Untrusted("is gone".into()));
        Ok(Signer { username: account.username, trainee: account.trainee, key, standing })
    }

    /// Stores the key an account made before keys gets at its first sign-in; the first such
    /// account when no root exists signs itself as the root.
    fn give_key(
        &mut self,
        account: &mut Account,
        key: &ManagerKey,
        password: &str,
        now: i64,
    ) -> Result<(), RecordsError> {
        let sealed = key.seal(password)?;
        account.public_key = sealed.public.clone();
        account.sealed_key = sealed.sealed.clone();
        let accounts = self.accounts()?;
        let legacy = super::schema::legacy_bounds(&mut self.db)?.2;
        let (_, root) = standings(&accounts, legacy);
        let becomes_root = root.is_none() && account.trainee.is_none();
        if becomes_root {
            account.approved_by = account.username.clone();
            account.signature = key.sign(ACCOUNT, &refs(&account.statement(&key.public())));
        }
        let fingerprint = keys::fingerprint(&account.public_key);
        let a = account.clone();
        self.write(|db| {
            db.execute(
                "UPDATE managers SET public_key = $1, sealed_key = $2, approved_by = $3, signature = $4 WHERE id = $5",
                &[
                    a.public_key.as_str().into(),
                    a.sealed_key.as_str().into(),
                    a.approved_by.as_str().into(),
                    a.signature.as_str().into(),
                    a.id.into(),
                ],
            )?;
            let detail = if becomes_root {
                format!("manager \"{}\" made before signatures got key {fingerprint}: the root of trust", a.username)
            } else {
                format!(
                    "manager \"{}\" made before signatures got key {fingerprint}; another manager approves it",
                    a.username
                )
            };
            Self::audit(db, now, &a.username, "manager.key", &detail)
        })
    }

    /// Refuses a user name locked after too many failures, without checking anything; says
    /// whether the name has failures on record.
    fn refuse_if_locked(&mut self, username: &str, now: i64) -> Result<bool, RecordsError> {
        let row =
            self.db.query("SELECT failures, last_at FROM sign_in_failures WHERE username = $1", &[username.into()])?;
        if let Some(r) = row.first() {
            let (failures, last) = (r[0].int(), r[1].int());
            let until = last.saturating_add(LOCK_SECONDS);
            if failures >= MAX_FAILURES && now < until {
                self.audit_now(username, "manager.sign-in-locked", "refused unchecked: too many failed sign-ins");
                return Err(RecordsError::SignInLocked { until: format_time(until), minutes: LOCK_SECONDS / 60 });
            }
        }
        Ok(!row.is_empty())
    }

    fn count_failure(&mut self, username: &str, now: i64) -> Result<(), RecordsError> {
        self.write(|db| {
            db.execute(
                "INSERT INTO sign_in_failures (username, failures, last_at) VALUES ($1, 1, $2)
                 ON CONFLICT (username) DO UPDATE SET failures = sign_in_failures.failures + 1, last_at = excluded.last_at",
                &[username.into(), now.into()],
            )?;
            Self::audit(db, now, username, "manager.sign-in-failed", "wrong user name or password")
        })
    }

    /// The password check of a read-only database, which can count no failure nor store a key.
    fn check_password_only(&mut self, username: &str, password: &str) -> Result<String, RecordsError> {
        let username = username.trim();
        let ok = match self.account(username)? {
            Some(a) if !a.sealed_key.is_empty() => {
                ManagerKey::unseal(&SealedKey { public: a.public_key, sealed: a.sealed_key }, password).is_some()
            }
            Some(a) => verify_password(&a.password_hash, password),
            None => {
                let _ = verify_password(dummy_hash(), password);
                false
            }
        };
        if ok { Ok(username.to_owned()) } else { Err(RecordsError::SignInFailed) }
    }

    /// Writes to the audit trail in a transaction of its own (for refusals, whose action itself
    /// writes nothing); a failure to write it is not the caller's concern.
    pub(super) fn audit_now(&mut self, actor: &str, action: &str, detail: &str) {
        if self.read_only.is_none() {
            let now = self.now();
            let _ = self.write(|db| Self::audit(db, now, actor, action, detail));
        }
    }

    /// Refuses a manager acting on a trainee they are, are linked to, or whose account was
    /// approved (directly or through other accounts) by a manager linked to the trainee.
    pub(super) fn may_act_for(&mut self, signer: &Signer, trainee: &Trainee, action: &str) -> Result<(), RecordsError> {
        let chain = signer.chain()?.to_vec();
        let refusal =
            if signer.trainee == Some(trainee.id) || signer.username.trim().eq_ignore_ascii_case(trainee.name.trim()) {
                Some(RecordsError::SelfPromotion { manager: signer.username.clone(), trainee: trainee.name.clone() })
            } else {
                chain.iter().find(|(_, t)| *t == Some(trainee.id)).map(|(by, _)| RecordsError::CreatedByTrainee {
                    manager: signer.username.clone(),
                    by: by.clone(),
                    trainee: trainee.name.clone(),
                })
            };
        match refusal {
            None => Ok(()),
            Some(e) => {
                let detail = format!("refused: {e} (trainee {})", trainee.id);
                self.audit_now(&signer.username, action, &detail);
                Err(e)
            }
        }
    }
}

/// Every manager account, by id.
pub(super) fn accounts(db: &mut Db) -> Result<Vec<Account>, RecordsError> {
    Ok(db
        .query(&format!("SELECT {} FROM managers ORDER BY id", Account::COLUMNS), &[])?
        .iter()
        .map(|r| Account::from_row(r))
        .collect())
}

/// Refuses a password that is too short or too plain.
fn check_password(password: &str) -> Result<(), RecordsError> {
    let trimmed = password.trim_matches(' ');
    let distinct: std::collections::HashSet<char> = trimmed.chars().collect();
    if trimmed.chars().count() < MIN_PASSWORD_CHARS || distinct.len() < MIN_PASSWORD_DISTINCT {
        return Err(RecordsError::WeakPassword);
    }
    Ok(())
}

/// The `managers.trainee_id` column stores "no linked trainee" as 0 (trainee ids start at 1).
pub(super) fn linked_to_column(trainee_id: Option<i64>) -> i64 {
    trainee_id.unwrap_or(0)
}

/// Reads `managers.trainee_id` back: 0 is "no linked trainee".
pub(super) fn linked_from_column(column: i64) -> Option<i64> {
    (column != 0).then_some(column)
}

fn hash_password(password: &str) -> Result<String, RecordsError> {
    use argon2::password_hash::PasswordHasher;
    keys::argon2().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(RecordsError::PasswordHash)
}

/// Whether `password` matches a stored argon2 hash (with the parameters the hash names).
fn verify_password(stored: &str, password: &str) -> bool {
    use argon2::password_hash::{PasswordVerifier, phc::PasswordHash};
    PasswordHash::new(stored).is_ok_and(|parsed| keys::argon2().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash nobody's password matches, checked for an unknown name so that it takes as long as a
/// known one.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no manager has this password at all").unwrap_or_default())
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

    #[test]
    fn passwords_need_twelve_characters_of_five_kinds() {
        assert!(check_password("correct horse").is_ok());
        assert!(matches!(check_password(&" ".repeat(12)), Err(RecordsError::WeakPassword)));
        assert!(matches!(check_password("abcdefghijk"), Err(RecordsError::WeakPassword)), "11 characters");
        assert!(matches!(check_password("  abcdefghijk  "), Err(RecordsError::WeakPassword)), "ends do not count");
        assert!(matches!(check_password("abababababab"), Err(RecordsError::WeakPassword)), "two kinds");
        assert!(check_password("пароль из слов").is_ok());
    }
}
