//! Proctored exam tickets: a manager signs, at the start of an exam, which trainee sits which scenario in which mode with which seed, until when.
//!
//! An exam attempt counts only when its run names a valid ticket: the proctor's signature checks
//! out, the run is the ticket's trainee, scenario (and its exact text), mode and seed, it was
//! recorded before the ticket expired, and no other run used the ticket. The seed is drawn from
//! the operating system when the ticket is issued, never chosen by the trainee. A run without a
//! ticket is stored all the same and counts as practice.
//!
//! The window and `callforge play --proctor` use the same two calls:
//! [`Records::issue_ticket`] when the exam starts (the proctor types their password), then
//! [`Records::store_run_with_ticket`] when the call ends, with the run played on the ticket's seed.

use super::managers::standings;
use super::{Records, RecordsError, Trainee, TraineeRef};
use crate::domain::ladder;
use crate::domain::model::{Mode, Role};
use crate::domain::time::format_time;
use crate::domain::{Library, Playable};
use serde::Serialize;

/// The statement kind a ticket is signed under.
pub(super) const TICKET: &str = "ticket";

/// How long a ticket may be used after it is issued.
pub const TICKET_SECONDS: i64 = 2 * 3600;

/// A proctor's signed permission for one exam attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    pub id: i64,
    pub trainee_id: i64,
    pub scenario: String,
    /// The content hash of the scenario and script the exam is sat on.
    pub scenario_hash: String,
    pub mode: Mode,
    /// The seed the call must be played with (drawn from the operating system).
    pub seed: u64,
    pub issued_at: i64,
    pub expires_at: i64,
    /// The manager who signed it.
    pub proctor: String,
    #[serde(skip)]
    pub signature: String,
    /// The run that used it, if one did.
    pub run: Option<i64>,
}

impl Ticket {
    pub(super) const COLUMNS: &str = "t.id, t.trainee_id, t.scenario, t.scenario_hash, t.mode, t.seed, t.issued_at, \
         t.expires_at, t.proctor, t.signature, (SELECT MIN(r.id) FROM runs r WHERE r.ticket_id = t.id)";

    pub(super) fn from_row(r: &[super::db::SqlValue]) -> Ticket {
        Ticket {
            id: r[0].int(),
            trainee_id: r[1].int(),
            scenario: r[2].text(),
            scenario_hash: r[3].text(),
            mode: super::rows::mode_of(&r[4].text()),
            seed: u64::try_from(r[5].int()).unwrap_or(u64::MAX),
            issued_at: r[6].int(),
            expires_at: r[7].int(),
            proctor: r[8].text(),
            signature: r[9].text(),
            run: (!r[10].is_null()).then(|| r[10].int()),
        }
    }

    /// What the proctor signs.
    pub(super) fn statement(&self) -> [String; 9] {
        [
            self.id.to_string(),
            self.trainee_id.to_string(),
            self.scenario.clone(),
            self.scenario_hash.clone(),
            self.mode.as_str().to_owned(),
            self.seed.to_string(),
            self.issued_at.to_string(),
            self.expires_at.to_string(),
            self.proctor.clone(),
        ]
    }

    /// Whether its signature is its proctor's (`public`: the proctor's public key).
    pub(super) fn signed_by(&self, public: &str) -> bool {
        let parts = self.statement();
        super::keys::verify(public, &self.signature, TICKET, &parts.iter().map(String::as_str).collect::<Vec<_>>())
    }
}

impl Records {
    /// Issues a ticket for one exam attempt, signed by the proctor (a manager) whose password is
    /// given: the trainee, the exam scenario as it is in `lib` now, its mode, a fresh seed from the
    /// operating system and an expiry [`TICKET_SECONDS`] away. Refused when the scenario is no
    /// exam in that mode (the exam in either language is accepted), is not an exam for the trainee's next rung, is locked by a cooldown, or
    /// when the proctor may not act on the trainee's record.
    pub fn issue_ticket(
        &mut self,
        trainee: impl Into<TraineeRef>,
        scenario_id: &str,
        mode: Mode,
        proctor: &str,
        password: &str,
        lib: &Library,
    ) -> Result<Ticket, RecordsError> {
        self.writable()?;
        let trainee = self.find_trainee(&trainee.into())?;
        let playable =
            lib.scenario(scenario_id).ok_or_else(|| RecordsError::ScenarioMissing(scenario_id.to_owned()))?.clone();
        self.check_exam_open(&trainee, &playable, mode, lib)?;
        let signer = self.sign_in(proctor, password)?;
        self.may_act_for(&signer, &trainee, "ticket.refused")?;
        let seed = super::keys::random_seed()?;
        let now = self.now();
        self.write(|db| {
            let id = db
                .query_value(
                    "INSERT INTO tickets (trainee_id, scenario, scenario_hash, mode, seed, issued_at, expires_at, proctor,
                        signature)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '') RETURNING id",
                    &[
                        trainee.id.into(),
                        playable.id().into(),
                        playable.hash().into(),
                        mode.as_str().into(),
                        (seed as i64).into(),
                        now.into(),
                        (now + TICKET_SECONDS).into(),
                        signer.username.as_str().into(),
                    ],
                )?
                .map_or(0, |v| v.int());
            let mut ticket = Ticket {
                id,
                trainee_id: trainee.id,
                scenario: playable.id().to_owned(),
                scenario_hash: playable.hash().to_owned(),
                mode,
                seed,
                issued_at: now,
                expires_at: now + TICKET_SECONDS,
                proctor: signer.username.clone(),
                signature: String::new(),
                run: None,
            };
            let parts = ticket.statement();
            ticket.signature = signer.sign(TICKET, &parts.iter().map(String::as_str).collect::<Vec<_>>());
            db.execute("UPDATE tickets SET signature = $1 WHERE id = $2", &[ticket.signature.as_str().into(), id.into()])?;
            let detail = format!(
                "ticket {id}: trainee {} \"{}\", {} in {mode} mode, until {}",
                trainee.id,
                trainee.name,
                ticket.scenario,
                format_time(ticket.expires_at)
            );
            Self::audit(db, now, &signer.username, "ticket.issue", &detail)?;
            super::checkpoints::write(db, &signer, now)?;
            Ok(ticket)
        })
    }

    /// A ticket by id.
    pub fn ticket(&mut self, id: i64) -> Result<Ticket, RecordsError> {
        let rows =
            self.db.query(&format!("SELECT {} FROM tickets t WHERE t.id = $1", Ticket::COLUMNS), &[id.into()])?;
        rows.first().map(|r| Ticket::from_row(r)).ok_or(RecordsError::TicketNotFound(id))
    }

    /// The tickets of one trainee, or of everyone, oldest first.
    pub fn tickets(&mut self, trainee_id: Option<i64>) -> Result<Vec<Ticket>, RecordsError> {
        let sql = format!("SELECT {} FROM tickets t", Ticket::COLUMNS);
        let rows = match trainee_id {
            Some(t) => self.db.query(&format!("{sql} WHERE t.trainee_id = $1 ORDER BY t.id"), &[t.into()])?,
            None => self.db.query(&format!("{sql} ORDER BY t.id"), &[])?,
        };
        Ok(rows.iter().map(|r| Ticket::from_row(r)).collect())
    }

    /// Refuses a ticket for a scenario that is no exam in `mode` (in any language: an exam's
    /// counterpart in another language is the same exam), not an exam for the trainee's next rung,
    /// or locked by a cooldown.
    fn check_exam_open(
        &mut self,
        trainee: &Trainee,
        playable: &Playable,
        mode: Mode,
        lib: &Library,
    ) -> Result<(), RecordsError> {
        let not_exam = || RecordsError::NotAnExam { scenario: playable.id().to_owned(), mode };
        let ladder = lib.ladder.as_ref().ok_or(RecordsError::NoLadder)?;
        let (rung, _) = ladder::exam_of(ladder, lib, playable.id()).ok_or_else(not_exam)?;
        if rung.exam.as_ref().is_none_or(|e| e.mode != mode) {
            return Err(not_exam());
        }
        let next = ladder::next_role(ladder, trainee.role);
        if next != Some(rung.role) {
            return Err(RecordsError::ExamNotNext {
                scenario: playable.id().to_owned(),
                to: rung.role,
                name: trainee.name.clone(),
                next: next.map_or_else(|| "none (the top of the ladder)".to_owned(), |r: Role| r.to_string()),
            });
        }
        let facts = self.run_facts(trainee.id)?;
        let language = &playable.scenario.language;
        let e = ladder::eligibility(ladder, lib, trainee.role, language, &facts, self.now());
        if let Some(until) = e.exams.iter().find(|x| x.covers(playable.id())).and_then(|x| x.locked_until) {
            return Err(RecordsError::ExamLocked {
                name: trainee.name.clone(),
                scenario: playable.id().to_owned(),
                until: format_time(until),
            });
        }
        Ok(())
    }

    /// Checks the ticket a run is stored with: signed by a trusted proctor, for this trainee,
    /// scenario text, mode and seed, unexpired and unused.
    pub(super) fn check_ticket(
        &mut self,
        id: i64,
        trainee: &Trainee,
        playable: &Playable,
        run: &crate::domain::Run,
        now: i64,
    ) -> Result<Ticket, RecordsError> {
        let ticket = self.ticket(id)?;
        let invalid = |why: String| RecordsError::TicketInvalid { ticket: id, why };
        let accounts = self.accounts()?;
        let legacy = super::schema::legacy_bounds(&mut self.db)?.2;
        let (standing, _) = standings(&accounts, legacy);
        let proctor = accounts.iter().find(|a| a.username == ticket.proctor);
        match proctor {
            Some(p) if ticket.signed_by(&p.public_key) => {}
            _ => return Err(invalid("its signature is not its proctor's: it was not issued by callforge".into())),
        }
        if !matches!(standing.get(&ticket.proctor), Some(super::managers::Standing::Trusted(_))) {
            return Err(invalid(format!("its proctor \"{}\" is not a trusted manager", ticket.proctor)));
        }
        if let Some(run_id) = ticket.run {
            return Err(invalid(format!("run {run_id} already used it; a ticket is good for one attempt")));
        }
        if now > ticket.expires_at {
            return Err(invalid(format!("it expired at {}", format_time(ticket.expires_at))));
        }
        let mismatch = if ticket.trainee_id != trainee.id {
            Some(format!("it was issued for trainee {}, not {} ({})", ticket.trainee_id, trainee.id, trainee.name))
        } else if ticket.scenario != playable.id() {
            Some(format!("it was issued for {}, not {}", ticket.scenario, playable.id()))
        } else if ticket.scenario_hash != playable.hash() {
            Some("the scenario changed since it was issued".into())
        } else if ticket.mode != run.mode {
            Some(format!("it was issued for {} mode, and the run is in {} mode", ticket.mode, run.mode))
        } else if ticket.seed != run.seed {
            Some(format!("the run was not played on the ticket's seed ({})", ticket.seed))
        } else {
            None
        };
        match mismatch {
            Some(why) => Err(invalid(why)),
            None => Ok(ticket),
        }
    }
}
