//! Trainees: naming one (by id or by name), adding, listing, and what `trainee show` reports.

use super::rows::{RoleStats, ScenarioStats, TRAINEE_COLUMNS, TraineeReport, trainee_row};
use super::{Records, RecordsError, Trainee};
use crate::domain::Library;
use crate::domain::ladder::{self, RunFact};
use crate::domain::model::Role;
use std::collections::BTreeMap;
use std::fmt;

/// Which trainee: by id, or by exact name.
///
/// Typed text is read by one rule that is never ambiguous (`TraineeRef::parse`): `id:3` is an id,
/// `name:3` a name, a bare whole number an id — unless a trainee is named exactly that, when it is
/// refused as ambiguous — and anything else a name. No new name may read as anything but itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TraineeRef {
    Id(i64),
    Name(String),
    /// A bare whole number as a person typed it: the id, unless a trainee has that name.
    Number {
        id: i64,
        text: String,
    },
}

impl TraineeRef {
    /// Reads a trainee as a person types one (a command-line argument, a name field).
    pub fn parse(text: &str) -> TraineeRef {
        let t = text.trim();
        if let Some(id) = t.strip_prefix("id:").and_then(|n| n.trim().parse::<i64>().ok()) {
            return TraineeRef::Id(id);
        }
        if let Some(name) = t.strip_prefix("name:") {
            return TraineeRef::Name(name.trim().to_owned());
        }
        match t.parse::<i64>() {
            Ok(id) => TraineeRef::Number { id, text: t.to_owned() },
            Err(_) => TraineeRef::Name(text.to_owned()),
        }
    }
}

impl fmt::Display for TraineeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraineeRef::Id(id) => write!(f, "{id}"),
            TraineeRef::Name(name) => f.write_str(name),
            TraineeRef::Number { text, .. } => f.write_str(text),
        }
    }
}

/// Why a new trainee name is refused, if it is: one that typed back would not name itself.
fn check_new_name(name: &str) -> Result<(), RecordsError> {
    if name.is_empty() {
        return Err(RecordsError::EmptyName);
    }
    match TraineeRef::parse(name) {
        TraineeRef::Name(n) if n == name => Ok(()),
        TraineeRef::Number { .. } => Err(RecordsError::NumericName(name.to_owned())),
        _ => Err(RecordsError::ReservedName(name.to_owned())),
    }
}

/// A name, always, even one made of digits (`TraineeRef::parse` reads typed text).
impl From<&str> for TraineeRef {
    fn from(name: &str) -> Self {
        TraineeRef::Name(name.to_owned())
    }
}

/// Why a trainee's language is refused, if it is: a short code of lower-case letters (`en`, `ru`,
/// `pt-br`), or empty for "not set".
fn check_language(language: &str) -> Result<(), RecordsError> {
    let ok = language.is_empty()
        || (language.len() <= 16
            && language.starts_with(|c: char| c.is_ascii_lowercase())
            && language.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
    if ok { Ok(()) } else { Err(RecordsError::BadLanguage(language.to_owned())) }
}

impl Records {
    /// Adds a trainee, with no language set; returns the new id.
    /// A trainee starts on the first rung (Generator); a higher start needs a manager
    /// ([`Records::enrol_trainee`]).
    pub fn add_trainee(&mut self, name: &str, role: Role) -> Result<i64, RecordsError> {
        self.add_trainee_in(name, role, "")
    }

    /// Adds a trainee who takes exams in `language` (`en`, `ru`; `""`: not set, see
    /// [`Records::exam_language`]); returns the new id.
    pub fn add_trainee_in(&mut self, name: &str, role: Role, language: &str) -> Result<i64, RecordsError> {
        let name = name.trim().to_owned();
        check_new_name(&name)?;
        let language = language.trim().to_owned();
        check_language(&language)?;
        if role != Role::Generator {
            return Err(RecordsError::StartAboveFirstRung { name, role });
        }
        let now = self.now();
        self.write(|db| {
            if db.query_value("SELECT id FROM trainees WHERE name = $1", &[name.as_str().into()])?.is_some() {
                return Err(RecordsError::DuplicateTrainee(name.clone()));
            }
            let id = db
                .query_value(
                    "INSERT INTO trainees (name, role, created_at, language) VALUES ($1, $2, $3, $4) RETURNING id",
                    &[name.as_str().into(), role.as_str().into(), now.into(), language.as_str().into()],
                )?
                .map_or(0, |v| v.int());
            let lang = if language.is_empty() { String::new() } else { format!(", language {language}") };
            Self::audit(db, now, &name, "trainee.add", &format!("trainee {id} \"{name}\" as {role}{lang}"))?;
            Ok(id)
        })
    }

    /// Sets the language a trainee takes exams in (`""` unsets it). Anyone who may write the records
    /// may change it, and it is audited: it only picks which language's exam is shown, since a pass
    /// counts in every language.
    pub fn set_trainee_language(
        &mut self,
        who: impl Into<TraineeRef>,
        language: &str,
    ) -> Result<Trainee, RecordsError> {
        let language = language.trim().to_owned();
        check_language(&language)?;
        let trainee = self.find_trainee(&who.into())?;
        let now = self.now();
        self.write(|db| {
            db.execute(
                "UPDATE trainees SET language = $1 WHERE id = $2",
                &[language.as_str().into(), trainee.id.into()],
            )?;
            let shown = |l: &str| if l.is_empty() { "(not set)".to_owned() } else { l.to_owned() };
            let detail = format!(
                "trainee {} \"{}\": {} → {}",
                trainee.id,
                trainee.name,
                shown(&trainee.language),
                shown(&language)
            );
            Self::audit(db, now, &trainee.name, "trainee.language", &detail)
        })?;
        Ok(Trainee { language, ..trainee })
    }

    /// The language a trainee takes exams in: the one set, else that of their latest run of a
    /// scenario in `lib`, else English.
    pub fn exam_language(&mut self, trainee: &Trainee, lib: &Library) -> Result<String, RecordsError> {
        if !trainee.language.is_empty() {
            return Ok(trainee.language.clone());
        }
        let facts = self.run_facts(trainee.id)?;
        Ok(ladder::trainee_language(&trainee.language, &facts, lib))
    }

    /// Every trainee, by id.
    pub fn trainees(&mut self) -> Result<Vec<Trainee>, RecordsError> {
        Ok(self
            .db
            .query(&format!("SELECT {TRAINEE_COLUMNS} FROM trainees ORDER BY id"), &[])?
            .into_iter()
            .map(|r| trainee_row(&r))
            .collect())
    }

    /// A trainee by id or by exact name (surrounding spaces ignored); a bare number that is also a
    /// trainee's name is refused as ambiguous.
    pub fn trainee(&mut self, who: impl Into<TraineeRef>) -> Result<Trainee, RecordsError> {
        self.find_trainee(&who.into())
    }

    /// `trainee`, for a reference the records already hold.
    pub(super) fn find_trainee(&mut self, who: &TraineeRef) -> Result<Trainee, RecordsError> {
        let by_id = format!("SELECT {TRAINEE_COLUMNS} FROM trainees WHERE id = $1");
        let by_name = format!("SELECT {TRAINEE_COLUMNS} FROM trainees WHERE name = $1");
        let (by_id, by_name) = (by_id.as_str(), by_name.as_str());
        let found = match who {
            TraineeRef::Id(id) => self.db.query(by_id, &[(*id).into()])?.first().map(|r| trainee_row(r)),
            TraineeRef::Name(name) => self.db.query(by_name, &[name.trim().into()])?.first().map(|r| trainee_row(r)),
            TraineeRef::Number { id, text } => {
                let by_id = self.db.query(by_id, &[(*id).into()])?.first().map(|r| trainee_row(r));
                let by_name = self.db.query(by_name, &[text.as_str().into()])?.first().map(|r| trainee_row(r));
                match (by_id, by_name) {
                    (Some(a), Some(b)) if a.id == b.id => Some(a),
                    (_, Some(_)) => return Err(RecordsError::AmbiguousTrainee(text.clone())),
                    (a, None) => a,
                }
            }
        };
        found.ok_or_else(|| RecordsError::TraineeNotFound(who.to_string()))
    }

    /// A trainee; one named but not there yet is created at the first rung, with no language set.
    pub fn trainee_or_new(&mut self, who: impl Into<TraineeRef>) -> Result<Trainee, RecordsError> {
        self.trainee_or_new_in(who, "")
    }

    /// A trainee; one named but not there yet is created at the first rung, taking exams in
    /// `language` (an existing trainee's language is left as it is).
    pub fn trainee_or_new_in(&mut self, who: impl Into<TraineeRef>, language: &str) -> Result<Trainee, RecordsError> {
        let who = who.into();
        match (self.find_trainee(&who), &who) {
            (Err(RecordsError::TraineeNotFound(_)), TraineeRef::Name(name)) => {
                self.add_trainee_in(name, Role::Generator, language)?;
                self.find_trainee(&who)
            }
            (found, _) => found,
        }
    }

    /// A trainee's role, runs per role, best scores, exam status and eligibility (the exams in the
    /// trainee's language, see [`Records::exam_language`]).
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
                last_played: f.at,
            });
            e.runs += 1;
            e.best = e.best.max(f.score);
            e.last_played = e.last_played.max(f.at);
        }
        let language = ladder::trainee_language(&trainee.language, &facts, lib);
        let now = self.now();
        let eligibility =
            lib.ladder.as_ref().map(|l| ladder::eligibility(l, lib, trainee.role, &language, &facts, now));
        let promotions = self.promotions(Some(trainee.id))?;
        let tickets = self.tickets(Some(trainee.id))?;
        Ok(TraineeReport {
            trainee,
            language,
            roles,
            scenarios: by.into_values().collect(),
            eligibility,
            promotions,
            tickets,
        })
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
        assert_eq!(TraineeRef::parse("42"), TraineeRef::Number { id: 42, text: "42".into() });
        assert_eq!(TraineeRef::parse(" 7 "), TraineeRef::Number { id: 7, text: "7".into() });
        assert_eq!(TraineeRef::parse("id:7"), TraineeRef::Id(7));
        assert_eq!(TraineeRef::parse("name:7"), TraineeRef::Name("7".into()));
        assert_eq!(TraineeRef::parse("id:x"), TraineeRef::Name("id:x".into()));
        assert_eq!(TraineeRef::parse("Olga"), TraineeRef::Name("Olga".into()));
        assert_eq!(TraineeRef::parse("4a"), TraineeRef::Name("4a".into()));
        assert_eq!(TraineeRef::from("42"), TraineeRef::Name("42".into()), "a &str is always a name");
        assert_eq!(TraineeRef::parse("Ольга").to_string(), "Ольга");
        assert_eq!(TraineeRef::Id(3).to_string(), "3");
    }

    #[test]
    fn a_new_name_must_read_back_as_itself() {
        assert!(check_new_name("Olga").is_ok());
        assert!(check_new_name("Agent 007").is_ok());
        assert!(matches!(check_new_name("2"), Err(RecordsError::NumericName(_))));
        assert!(matches!(check_new_name("-3"), Err(RecordsError::NumericName(_))));
        assert!(matches!(check_new_name("id:4"), Err(RecordsError::ReservedName(_))));
        assert!(matches!(check_new_name("name:Bob"), Err(RecordsError::ReservedName(_))));
        assert!(matches!(check_new_name(""), Err(RecordsError::EmptyName)));
    }

    #[test]
    fn a_language_is_a_short_lower_case_code_or_nothing() {
        for ok in ["", "en", "ru", "pt-br"] {
            assert!(check_language(ok).is_ok(), "{ok}");
        }
        for bad in ["RU", "русский", "en_US", "-x", "e n", "averyveryverylongcode"] {
            assert!(matches!(check_language(bad), Err(RecordsError::BadLanguage(_))), "{bad}");
        }
    }
}
