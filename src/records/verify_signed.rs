//! `verify`'s checks of what managers sign, apart from the runs: accounts, the trusted root key, proctors' tickets and checkpoints.

use super::chain::GENESIS;
use super::checkpoints::{CHECKPOINT, Checkpoint, link};
use super::managers::{Account, Standing};
use super::tickets::Ticket;
use super::{Problem, Trainee, keys};
use crate::domain::time::format_time;
use std::collections::HashMap;

/// Says what is wrong with each account: forged and edited ones are problems, ones made before
/// signatures warnings.
pub(super) fn check_accounts(
    accounts: &[Account],
    standing: &HashMap<String, Standing>,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) {
    for a in accounts {
        let problem =
            |why: &str| Problem { table: "managers", id: a.id, what: format!("\"{}\": its account {why}", a.username) };
        match standing.get(&a.username) {
            Some(Standing::Untrusted(why)) => problems.push(problem(why)),
            Some(Standing::Legacy(why)) => warnings.push(problem(why)),
            _ => {}
        }
    }
}

/// A problem unless the root key's fingerprint is the trusted one (spaces, dashes and case aside).
pub(super) fn check_trust(trust: Option<&str>, root: Option<&str>, problems: &mut Vec<Problem>) {
    let Some(trusted) = trust else { return };
    let plain = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    match root {
        Some(fp) if plain(fp) == plain(trusted) => {}
        Some(fp) => problems.push(Problem {
            table: "managers",
            id: 0,
            what: format!(
                "the department's root key is {fp}, not the trusted {trusted}: these records were not set up by your \
                 department's first manager, or were rebuilt by someone else"
            ),
        }),
        None => problems.push(Problem {
            table: "managers",
            id: 0,
            what: format!("there is no department root key, so nothing here can be the trusted {trusted}"),
        }),
    }
}

/// Checks every ticket's signature, its proctor and whether the proctor could act on the trainee;
/// returns each ticket with whether it is valid.
pub(super) fn check_tickets(
    tickets: Vec<Ticket>,
    accounts: &[Account],
    standing: &HashMap<String, Standing>,
    trainees: &HashMap<i64, Trainee>,
    problems: &mut Vec<Problem>,
) -> HashMap<i64, (Ticket, bool)> {
    let mut out = HashMap::new();
    for t in tickets {
        let problem = |what: String| Problem { table: "tickets", id: t.id, what };
        let before = problems.len();
        match accounts.iter().find(|a| a.username == t.proctor) {
            None => problems.push(problem(format!("issued by \"{}\", who is not a manager", t.proctor))),
            Some(a) if !t.signed_by(&a.public_key) => problems.push(problem(
                "its signature does not match it: its trainee, scenario, mode, seed or times were edited, or the \
                 signature was copied from another ticket"
                    .into(),
            )),
            Some(_) => match standing.get(&t.proctor) {
                Some(Standing::Trusted(chain)) => {
                    let name = trainees.get(&t.trainee_id).map_or("", |x| x.name.as_str());
                    if chain.iter().any(|(_, link)| *link == Some(t.trainee_id)) || t.proctor.eq_ignore_ascii_case(name)
                    {
                        problems.push(problem(format!(
                            "its proctor \"{}\" may not act on this trainee's record",
                            t.proctor
                        )));
                    }
                }
                Some(Standing::Legacy(why) | Standing::Untrusted(why)) => {
                    problems.push(problem(format!("issued by \"{}\", whose account {why}", t.proctor)));
                }
                None => {}
            },
        }
        let valid = problems.len() == before;
        out.insert(t.id, (t, valid));
    }
    out
}

/// Checks the checkpoints: each links to the one before, is signed by a trusted manager over what
/// it says, and the rows it names still have the hashes it signed.
pub(super) fn check_checkpoints(
    checkpoints: &[Checkpoint],
    accounts: &[Account],
    standing: &HashMap<String, Standing>,
    legacy: (i64, i64, i64),
    run_heads: &HashMap<i64, String>,
    promotion_heads: &HashMap<i64, String>,
    problems: &mut Vec<Problem>,
) {
    let mut prev = GENESIS.to_owned();
    for c in checkpoints {
        let problem = |what: String| Problem { table: "checkpoints", id: c.id, what };
        if c.prev != prev {
            problems.push(problem("the checkpoint before it was removed or edited".into()));
        }
        prev = link(&c.signature);
        let parts = c.statement(legacy);
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        match accounts.iter().find(|a| a.username == c.manager) {
            None => problems.push(problem(format!("signed by \"{}\", who is not a manager", c.manager))),
            Some(a) if !keys::verify(&a.public_key, &c.signature, CHECKPOINT, &parts) => problems.push(problem(
                "its signature does not match it: the chain heads it names, or where the rows made before signatures \
                 end, were edited"
                    .into(),
            )),
            Some(_) => {
                if let Some(Standing::Legacy(why) | Standing::Untrusted(why)) = standing.get(&c.manager) {
                    problems.push(problem(format!("signed by \"{}\", whose account {why}", c.manager)));
                }
            }
        }
        for (table, last, head, heads) in [
            ("runs", c.runs_last, &c.runs_head, run_heads),
            ("promotions", c.promotions_last, &c.promotions_head, promotion_heads),
        ] {
            let found = if last == 0 { Some(GENESIS) } else { heads.get(&last).map(String::as_str) };
            match found {
                None => problems.push(problem(format!(
                    "the newest of the {table} it covers ({last}) is missing: {table} before it were removed"
                ))),
                Some(h) if h != head => problems.push(problem(format!(
                    "{table} up to {last} were changed after it was signed (at {} by \"{}\"): their chain no longer ends \
                     where it did, so a row was edited, removed or inserted and the hashes recomputed",
                    format_time(c.at),
                    c.manager
                ))),
                Some(_) => {}
            }
        }
    }
}
