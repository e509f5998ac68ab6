//! Trainees: naming one (by id or by name), adding, listing, and what `trainee show` reports.

use super::rows::{RoleStats, ScenarioStats, TraineeReport, trainee_row};
use super::{Records, RecordsError, Trainee};
use crate::domain::Library;
use crate::domain::ladder::{self, RunFact};
use crate::domain::model::Role;
use std::collections::BTreeMap;
use std::fmt;

/// Which trainee: by id, or by exact name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TraineeRef {
    Id(i64),
    Name(String),
}

impl TraineeRef {
    /// Reads a trainee as a person types one (a command-line argument, a name field): text that is
    /// a whole number names an id, anything else a name.
    pub fn parse(text: &str) -> TraineeRef {
        match text.trim().parse::<i64>() {
            Ok(id) => TraineeRef::Id(id),
            Err(_) => TraineeRef::Name(text.to_owned()),
        }
    }
}

impl fmt::Display for TraineeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraineeRef::Id(id) => write!(f, "{id}"),
            TraineeRef::Name(name) => f.write_str(name),
        }
    }
}

/// A name, always, even one made of digits (`TraineeRef::parse` reads typed text).
impl From<&str> for TraineeRef {
    fn from(name: &str) -> Self {
        TraineeRef::Name(name.to_owned())
    }
}

impl Records {
    /// Adds a trainee at a rung; returns the new id.
    pub fn add_trainee(&mut self, name: &str, role: Role) -> Result<i64, RecordsError> {
        let name = name.trim().to_owned();
        if name.is_empty() {
            return Err(RecordsError::EmptyName);
        }
        let now = self.now();
        self.write(|db| {
            if db.query_value("SELECT id FROM trainees WHERE name = $1", &[name.as_str().into()])?.is_some() {
                return Err(RecordsError::DuplicateTrainee(name.clone()));
            }
            let id = db
                .query_value(
                    "INSERT INTO trainees (name, role, created_at) VALUES ($1, $2, $3) RETURNING id",
                    &[name.as_str().into(), role.as_str().into(), now.into()],
                )?
                .map_or(0, |v| v.int());
            Self::audit(db, now, &name, "trainee.add", &format!("trainee {id} \"{name}\" as {role}"))?;
            Ok(id)
        })
    }

    /// Every trainee, by id.
    pub fn trainees(&mut self) -> Result<Vec<Trainee>, RecordsError> {
        Ok(self
            .db
            .query("SELECT id, name, role, created_at FROM trainees ORDER BY id", &[])?
            .into_iter()
            .map(|r| trainee_row(&r))
            .collect())
    }

    /// A trainee by id or by exact name (surrounding spaces ignored).
    pub fn trainee(&mut self, who: impl Into<TraineeRef>) -> Result<Trainee, RecordsError> {
        self.find_trainee(&who.into())
    }

    /// `trainee`, for a reference the records already hold.
    pub(super) fn find_trainee(&mut self, who: &TraineeRef) -> Result<Trainee, RecordsError> {
        let rows = match who {
            TraineeRef::Id(id) => {
                self.db.query("SELECT id, name, role, created_at FROM trainees WHERE id = $1", &[(*id).into()])?
            }
            TraineeRef::Name(name) => self
                .db
                .query("SELECT id, name, role, created_at FROM trainees WHERE name = $1", &[name.trim().into()])?,
        };
        rows.first().map(|r| trainee_row(r)).ok_or_else(|| RecordsError::TraineeNotFound(who.to_string()))
    }

    /// A trainee; one named but not there yet is created at the first rung.
    pub fn trainee_or_new(&mut self, who: impl Into<TraineeRef>) -> Result<Trainee, RecordsError> {
        let who = who.into();
        match (self.find_trainee(&who), &who) {
            (Err(RecordsError::TraineeNotFound(_)), TraineeRef::Name(name)) => {
                self.add_trainee(name, Role::Generator)?;
                self.find_trainee(&who)
            }
            (found, _) => found,
        }
    }

    /// A trainee's role, runs per role, best scores, exam status and eligibility.
    pub fn report(&mut self, who: impl Into<TraineeRef>, lib: &Library) -> Result<TraineeReport, RecordsError> {
        let trainee = self.trainee(who)?;
        let facts = self.run_facts(trainee.id)?;
        let roles = role_stats(&trainee, &facts);
        let mut by: BTreeMap<&str, ScenarioStats> = BTreeMap::new();
        for f in &facts {
            let e = by.entry(&f.scenario).or_insert(ScenarioStats {
                scenario: f.scenario.clone(),
                role: f.role,
                runs: 0,
                best: 0,
                last_played: f.played_at,
            });
            e.runs += 1;
            e.best = e.best.max(f.score);
            e.last_played = e.last_played.max(f.played_at);
        }
        let eligibility = lib.ladder.as_ref().map(|l| ladder::eligibility(l, lib, trainee.role, &facts, self.now()));
        let promotions = self.promotions(Some(trainee.id))?;
        Ok(TraineeReport { trainee, roles, scenarios: by.into_values().collect(), eligibility, promotions })
    }
}

/// Runs per role: every role the trainee has played, and their current one.
fn role_stats(trainee: &Trainee, facts: &[RunFact]) -> Vec<RoleStats> {
    let mut roles = Vec::new();
    for role in Role::ALL {
        let of: Vec<&RunFact> = facts.iter().filter(|f| f.role == role).collect();
        if of.is_empty() && role != trainee.role {
            continue;
        }
        roles.push(RoleStats {
            role,
            runs: of.len() as u32,
            finished: of.iter().filter(|f| f.finished).count() as u32,
            best: of.iter().map(|f| f.score).max(),
            average: (!of.is_empty()).then(|| of.iter().map(|f| f64::from(f.score)).sum::<f64>() / of.len() as f64),
        });
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_names_an_id_only_when_it_is_a_whole_number() {
        assert_eq!(TraineeRef::parse("42"), TraineeRef::Id(42));
        assert_eq!(TraineeRef::parse(" 7 "), TraineeRef::Id(7));
        assert_eq!(TraineeRef::parse("Olga"), TraineeRef::Name("Olga".into()));
        assert_eq!(TraineeRef::parse("4a"), TraineeRef::Name("4a".into()));
        assert_eq!(TraineeRef::from("42"), TraineeRef::Name("42".into()), "a &str is always a name");
        assert_eq!(TraineeRef::parse("Ольга").to_string(), "Ольга");
        assert_eq!(TraineeRef::Id(3).to_string(), "3");
    }
}
