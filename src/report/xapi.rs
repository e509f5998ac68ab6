//! xAPI 1.0.3 statements, one per finished run, for a company's Learning Record Store.
//!
//! Statement ids are UUIDs derived from the run's chained hash, so exporting the same run again
//! gives the same statement and an LRS does not count it twice.

use crate::domain::Library;
use crate::domain::model::Mode;
use crate::domain::time::format_time;
use crate::records::{Records, RecordsError, RunRow};
use serde_json::{Value, json};

/// The namespace of callforge's statement ids (a fixed, random UUID).
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x5c3a_0b1e_7d42_4f7a_9a61_3e0c_2d8b_f114);
const VERB_PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
const VERB_FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";

/// Where statements point: the home page of trainee accounts and the base of activity ids.
#[derive(Debug, Clone)]
pub struct Identity {
    pub home_page: String,
    pub activity_base: String,
}

impl Default for Identity {
    fn default() -> Self {
        Identity {
            home_page: "https://callforge.local".to_owned(),
            activity_base: "https://callforge.local/scenarios/".to_owned(),
        }
    }
}

/// An ISO 8601 duration: `PT83.5S`.
pub fn iso_duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms % 1000 == 0 {
        format!("PT{}S", ms / 1000)
    } else {
        let fraction = format!("{:03}", ms % 1000);
        format!("PT{}.{}S", ms / 1000, fraction.trim_end_matches('0'))
    }
}

/// The statement for one run.
pub fn statement(run: &RunRow, hash: &str, trainee_name: &str, title: &str, lib_lang: &str, id: &Identity) -> Value {
    let certification = matches!(run.mode, Mode::Exam | Mode::Recall);
    let (verb, display) = match (certification, run.passed) {
        (true, true) => (VERB_PASSED, "passed"),
        (true, false) => (VERB_FAILED, "failed"),
        (false, _) => (VERB_COMPLETED, "completed"),
    };
    let lang = if lib_lang == "ru" { "ru-RU" } else { "en-US" };
    json!({
        "id": uuid::Uuid::new_v5(&NAMESPACE, hash.as_bytes()).to_string(),
        "actor": {
            "objectType": "Agent",
            "name": trainee_name,
            "account": { "homePage": id.home_page, "name": run.trainee_id.to_string() }
        },
        "verb": { "id": verb, "display": { "en-US": display } },
        "object": {
            "objectType": "Activity",
            "id": format!("{}{}", id.activity_base, run.scenario),
            "definition": {
                "name": { lang: title },
                "type": "http://adlnet.gov/expapi/activities/simulation",
                "extensions": {
                    format!("{}/xapi/extensions/version", id.home_page): run.version,
                    format!("{}/xapi/extensions/role", id.home_page): run.role.as_str(),
                    format!("{}/xapi/extensions/mode", id.home_page): run.mode.as_str()
                }
            }
        },
        "result": {
            "score": { "scaled": f64::from(run.score) / 100.0, "raw": run.score, "min": 0, "max": 100 },
            "success": run.passed,
            "completion": run.finished,
            "duration": iso_duration(run.duration_ms)
        },
        "timestamp": format_time(run.played_at),
        "version": "1.0.3"
    })
}

/// Statements for every run played since `since`, oldest first.
pub fn statements(
    records: &mut Records,
    lib: &Library,
    since: Option<i64>,
    id: &Identity,
) -> Result<Vec<Value>, RecordsError> {
    let names: std::collections::HashMap<i64, String> =
        records.trainees()?.into_iter().map(|t| (t.id, t.name)).collect();
    let hashes = records.run_hashes()?;
    let runs = records.runs_since(since, None)?;
    Ok(runs
        .iter()
        .map(|r| {
            let (title, lang) = lib.scenario(&r.scenario).map_or((r.scenario.clone(), "en".to_owned()), |p| {
                (p.scenario.title.clone(), p.scenario.language.clone())
            });
            let name = names.get(&r.trainee_id).cloned().unwrap_or_default();
            let hash = hashes.get(&r.id).cloned().unwrap_or_else(|| r.id.to_string());
            statement(r, &hash, &name, &title, &lang, id)
        })
        .collect())
}

/// Why statements could not be sent to an LRS.
#[derive(Debug, thiserror::Error)]
pub enum LrsError {
    #[error("cannot reach {url}: {source}")]
    Unreachable { url: String, source: Box<ureq::Error> },
    #[error("the LRS refused the credentials (HTTP {status}): {body}")]
    Credentials { status: u16, body: String },
}

/// What an LRS said to a batch of statements.
#[derive(Debug, Clone, PartialEq)]
pub struct Posted {
    pub accepted: usize,
    /// Statements the LRS already had (same id): not duplicated.
    pub already_there: usize,
    pub rejected: Vec<String>,
}

/// Posts statements to an LRS (`…/xAPI/statements` or the endpoint itself), in batches, with
/// basic authentication. Statements the LRS already holds are counted, not sent twice.
pub fn post(
    endpoint: &str,
    user: &str,
    password: &str,
    statements: &[Value],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Posted, LrsError> {
    use base64::Engine;
    let url = if endpoint.trim_end_matches('/').ends_with("/statements") {
        endpoint.trim_end_matches('/').to_owned()
    } else {
        format!("{}/statements", endpoint.trim_end_matches('/'))
    };
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")));
    let agent = ureq::Agent::new_with_config(ureq::Agent::config_builder().http_status_as_error(false).build());
    let mut out = Posted { accepted: 0, already_there: 0, rejected: Vec::new() };
    for (i, chunk) in statements.chunks(200).enumerate() {
        let resp = agent
            .post(&url)
            .header("X-Experience-API-Version", "1.0.3")
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .send(serde_json::to_string(chunk).unwrap_or_default())
            .map_err(|source| LrsError::Unreachable { url: url.clone(), source: Box::new(source) })?;
        let status = resp.status().as_u16();
        let body = resp.into_body().read_to_string().unwrap_or_default();
        match status {
            200 | 204 => out.accepted += chunk.len(),
            409 => {
                // Some ids exist already: send one by one, counting the ones it has.
                for st in chunk {
                    let r = agent
                        .post(&url)
                        .header("X-Experience-API-Version", "1.0.3")
                        .header("Authorization", &auth)
                        .header("Content-Type", "application/json")
                        .send(serde_json::to_string(std::slice::from_ref(st)).unwrap_or_default())
                        .map_err(|source| LrsError::Unreachable { url: url.clone(), source: Box::new(source) })?;
                    match r.status().as_u16() {
                        200 | 204 => out.accepted += 1,
                        409 => out.already_there += 1,
                        s => out.rejected.push(format!("{}: HTTP {s}", st["id"].as_str().unwrap_or("?"))),
                    }
                }
            }
            401 | 403 => return Err(LrsError::Credentials { status, body: body.chars().take(200).collect() }),
            _ => out.rejected.extend(chunk.iter().map(|st| {
                format!(
                    "{}: HTTP {status} {}",
                    st["id"].as_str().unwrap_or("?"),
                    body.chars().take(200).collect::<String>()
                )
            })),
        }
        progress(((i + 1) * 200).min(statements.len()), statements.len());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(iso_duration(83_500), "PT83.5S");
        assert_eq!(iso_duration(120_000), "PT120S");
        assert_eq!(iso_duration(1_250), "PT1.25S");
        assert_eq!(iso_duration(0), "PT0S");
    }
}
