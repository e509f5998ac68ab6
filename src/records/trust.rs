//! The trust among managers: each account as stored, and its standing, trusted when its signatures chain back to the department's first manager.
//!
//! The department's first manager signs their own account: their key is the root of trust. Every
//! later account is signed by a different, trusted manager who is not linked to the same trainee.
//! An account that does not chain back to the root by valid signatures cannot sign anything.

use super::keys;
use super::managers::{linked_from_column, linked_to_column, refs};
use std::collections::HashMap;

/// The statement kind a manager account is signed under.
pub(super) const ACCOUNT: &str = "manager-account";

/// A manager account as stored.
#[derive(Debug, Clone)]
pub(super) struct Account {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub trainee: Option<i64>,
    pub created_at: i64,
    pub public_key: String,
    pub sealed_key: String,
    pub approved_by: String,
    pub signature: String,
}

impl Account {
    pub(super) const COLUMNS: &str =
        "id, username, password_hash, trainee_id, created_at, public_key, sealed_key, approved_by, signature";

    pub(super) fn from_row(r: &[super::db::SqlValue]) -> Account {
        Account {
            id: r[0].int(),
            username: r[1].text(),
            password_hash: r[2].text(),
            trainee: linked_from_column(r[3].int()),
            created_at: r[4].int(),
            public_key: r[5].text(),
            sealed_key: r[6].text(),
            approved_by: r[7].text(),
            signature: r[8].text(),
        }
    }

    /// What the approving manager signs: the account, its key and who approves it with which key.
    pub(super) fn statement(&self, approver_public: &str) -> [String; 6] {
        [
            self.username.clone(),
            self.public_key.clone(),
            linked_to_column(self.trainee).to_string(),
            self.created_at.to_string(),
            self.approved_by.clone(),
            approver_public.to_owned(),
        ]
    }

    pub(super) fn is_self_signed(&self) -> bool {
        self.approved_by == self.username
    }
}

/// Where an account stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Standing {
    /// Chains back to the root by valid signatures: the accounts from this one up to the root
    /// (user name, linked trainee), this one first.
    Trusted(Vec<(String, Option<i64>)>),
    /// Made before signatures and not yet keyed or approved: a warning, and it cannot sign.
    Legacy(String),
    /// Forged, edited, or approved by someone who could not approve it.
    Untrusted(String),
}

/// Every account's standing, by user name, and the root account's user name. `legacy_until` is the
/// last account id made before signatures.
pub(super) fn standings(accounts: &[Account], legacy_until: i64) -> (HashMap<String, Standing>, Option<String>) {
    let root = accounts
        .iter()
        .filter(|a| {
            a.is_self_signed()
                && !a.public_key.is_empty()
                && keys::verify(&a.public_key, &a.signature, ACCOUNT, &refs(&a.statement(&a.public_key)))
        })
        .min_by_key(|a| a.id)
        .map(|a| a.username.clone());
    let by_name: HashMap<&str, &Account> = accounts.iter().map(|a| (a.username.as_str(), a)).collect();
    let mut out: HashMap<String, Standing> = HashMap::new();
    for a in accounts {
        let mut visiting = Vec::new();
        standing_of(a, &by_name, root.as_deref(), legacy_until, &mut out, &mut visiting);
    }
    (out, root)
}

fn standing_of(
    a: &Account,
    by_name: &HashMap<&str, &Account>,
    root: Option<&str>,
    legacy_until: i64,
    out: &mut HashMap<String, Standing>,
    visiting: &mut Vec<String>,
) -> Standing {
    if let Some(s) = out.get(&a.username) {
        return s.clone();
    }
    if visiting.contains(&a.username) {
        return Standing::Untrusted("has approvals that go round in a circle".into());
    }
    visiting.push(a.username.clone());
    let legacy = a.id <= legacy_until;
    let s = if a.public_key.is_empty() {
        if legacy {
            Standing::Legacy("was made before signatures and gets its key at the manager's next sign-in".into())
        } else {
            Standing::Untrusted("has no key, so callforge did not make it".into())
        }
    } else if a.signature.is_empty() {
        if legacy {
            Standing::Legacy(format!(
                "was made before signatures and is not yet approved by another manager \
                 (`callforge manager approve {} --by MANAGER`)",
                a.username
            ))
        } else {
            Standing::Untrusted("carries no approval, so callforge did not make it".into())
        }
    } else if root == Some(a.username.as_str()) {
        Standing::Trusted(vec![(a.username.clone(), a.trainee)])
    } else if a.is_self_signed() {
        Standing::Untrusted(format!(
            "approves itself, which only the department's first manager does ({} is)",
            root.unwrap_or("nobody")
        ))
    } else {
        match by_name.get(a.approved_by.as_str()) {
            None => Standing::Untrusted(format!("was approved by \"{}\", who is not a manager", a.approved_by)),
            Some(approver) => match standing_of(approver, by_name, root, legacy_until, out, visiting) {
                Standing::Trusted(chain) => {
                    if !keys::verify(
                        &approver.public_key,
                        &a.signature,
                        ACCOUNT,
                        &refs(&a.statement(&approver.public_key)),
                    ) {
                        Standing::Untrusted(format!(
                            "has an approval by \"{}\" that does not match the account: the account, its key \
                                 or the signature was changed",
                            approver.username
                        ))
                    } else if a.trainee.is_some() && approver.trainee == a.trainee {
                        Standing::Untrusted(format!(
                            "was approved by \"{}\", who is linked to the same trainee",
                            approver.username
                        ))
                    } else {
                        let mut mine = vec![(a.username.clone(), a.trainee)];
                        mine.extend(chain);
                        Standing::Trusted(mine)
                    }
                }
                Standing::Legacy(_) | Standing::Untrusted(_) => Standing::Untrusted(format!(
                    "was approved by \"{}\", whose own account is not trusted",
                    approver.username
                )),
            },
        }
    };
    visiting.pop();
    out.insert(a.username.clone(), s.clone());
    s
}
