//! xAPI 1.0.3 statements for a company's Learning Record Store: one per finished run, and each assignment's "assigned" and "completed".
//!
//! Statement ids are UUIDs derived from the run's chained hash, so exporting the same run again
//! gives the same statement and an LRS does not count it twice.

use crate::domain::Library;
use crate::domain::assign::{Assignee, Assignment, Progress, State, Task};
use crate::domain::feedback::Lang;
use crate::domain::model::Mode;
use crate::domain::time::format_time;
use crate::records::{Records, RecordsError, RunRow};
use serde_json::{Value, json};

/// The namespace of callforge's statement ids (a fixed, random UUID).
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x5c3a_0b1e_7d42_4f7a_9a61_3e0c_2d8b_f114);
const VERB_PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
const VERB_FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
/// Activity Streams' "assign", as the xAPI vocabulary registry lists it.
const VERB_ASSIGNED: &str = "http://activitystrea.ms/schema/1.0/assign";

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
        "id": run_statement_id(hash),
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

/// The agent of a trainee (an account named by their id).
fn trainee_agent(id: &Identity, trainee_id: i64, name: &str) -> Value {
    json!({ "objectType": "Agent", "name": name, "account": { "homePage": id.home_page, "name": trainee_id.to_string() } })
}

/// The activity an assignment is: its own id under the home page, its task in words, what it asks.
fn assignment_activity(a: &Assignment, title: Option<&str>, id: &Identity) -> Value {
    let ext = |k: &str| format!("{}/xapi/extensions/{k}", id.home_page);
    let assignee = match a.assignee {
        Assignee::Trainee(t) => format!("trainee:{t}"),
        Assignee::Role(r) => format!("role:{}", r.as_str()),
    };
    let (target, mode) = match &a.task {
        Task::Call { scenario, mode } => (format!("{}{scenario}", id.activity_base), mode.as_str().to_owned()),
        Task::Drills { stage, .. } => (stage.clone().unwrap_or_default(), Mode::Drill.as_str().to_owned()),
    };
    json!({
        "objectType": "Activity",
        "id": format!("{}/assignments/{}", id.home_page, a.id),
        "definition": {
            "name": { "en-US": a.task.describe_in(Lang::En, title), "ru-RU": a.task.describe_in(Lang::Ru, title) },
            "type": "http://adlnet.gov/expapi/activities/assessment",
            "extensions": {
                ext("task"): a.task.kind(),
                ext("target"): target,
                ext("mode"): mode,
                ext("answers"): a.needed(),
                ext("due"): format_time(a.due),
                ext("min-score"): a.min_score,
                ext("assignee"): assignee,
            }
        }
    })
}

/// What makes an assignment's statement ids its own: its id, when and by whom it was set, its task.
fn assignment_key(a: &Assignment) -> String {
    format!("assignment:{}:{}:{}:{}", a.id, a.created_at, a.manager, a.task.describe())
}

/// The "assigned" statement of one assignment: the manager assigned it.
pub fn assigned_statement(a: &Assignment, title: Option<&str>, id: &Identity) -> Value {
    json!({
        "id": uuid::Uuid::new_v5(&NAMESPACE, format!("{}:assigned", assignment_key(a)).as_bytes()).to_string(),
        "actor": {
            "objectType": "Agent",
            "name": a.manager,
            "account": { "homePage": id.home_page, "name": format!("manager:{}", a.manager) }
        },
        "verb": { "id": VERB_ASSIGNED, "display": { "en-US": "assigned" } },
        "object": assignment_activity(a, title, id),
        "timestamp": format_time(a.created_at),
        "version": "1.0.3"
    })
}

/// The "completed" statement of a trainee who met an assignment, pointing at the statement of the
/// run that met it (`run_statement`).
pub fn completed_statement(
    a: &Assignment,
    p: &Progress,
    trainee_id: i64,
    trainee_name: &str,
    title: Option<&str>,
    run_statement: Option<String>,
    id: &Identity,
) -> Value {
    let key = format!("{}:completed:{trainee_id}", assignment_key(a));
    let mut s = json!({
        "id": uuid::Uuid::new_v5(&NAMESPACE, key.as_bytes()).to_string(),
        "actor": trainee_agent(id, trainee_id, trainee_name),
        "verb": { "id": VERB_COMPLETED, "display": { "en-US": "completed" } },
        "object": assignment_activity(a, title, id),
        "result": {
            "success": !p.late,
            "completion": true,
            "extensions": { format!("{}/xapi/extensions/late", id.home_page): p.late }
        },
        "timestamp": format_time(p.done_at.unwrap_or(a.created_at)),
        "version": "1.0.3"
    });
    if let Some(b) = p.best {
        s["result"]["score"] = json!({ "scaled": f64::from(b) / 100.0, "raw": b, "min": 0, "max": 100 });
    }
    if let Some(run) = run_statement {
        s["context"] = json!({ "statement": { "objectType": "StatementRef", "id": run } });
    }
    s
}

/// The id of a run's statement, from its chained hash.
fn run_statement_id(hash: &str) -> String {
    uuid::Uuid::new_v5(&NAMESPACE, hash.as_bytes()).to_string()
}

/// Statements for every run played since `since`, oldest first, then for assignments: one
/// "assigned" per assignment set since then, and one "completed" per trainee who met one since then.
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
        .chain(assignment_statements(records, lib, since, id, &hashes)?)
        .collect())
}

/// The assignments' statements for [`statements`].
fn assignment_statements(
    records: &mut Records,
    lib: &Library,
    since: Option<i64>,
    id: &Identity,
    hashes: &std::collections::HashMap<i64, String>,
) -> Result<Vec<Value>, RecordsError> {
    let after = |t: i64| since.is_none_or(|s| t >= s);
    let title = |a: &Assignment| match &a.task {
        Task::Call { scenario, .. } => lib.scenario(scenario).map(|p| p.scenario.title.clone()),
        Task::Drills { .. } => None,
    };
    let mut out = Vec::new();
    for (a, who) in records.assignment_overview(lib, true)? {
        let title = title(&a);
        if after(a.created_at) {
            out.push(assigned_statement(&a, title.as_deref(), id));
        }
        for (t, p) in who.iter().filter(|(_, p)| p.state == State::Done && p.done_at.is_some_and(after)) {
            let run = p.run.and_then(|r| hashes.get(&r)).map(|h| run_statement_id(h));
            out.push(completed_statement(&a, p, t.id, &t.name, title.as_deref(), run, id));
        }
    }
    Ok(out)
}

/// How many times one request is sent before giving up: a network failure, no answer in time, or
/// an LRS error (HTTP 5xx, 429) is tried again after a pause.
pub const TRIES: u32 = 3;

/// Why statements could not be sent to an LRS. Each says how many statements the LRS had accepted
/// before: sending again never duplicates those (statement ids are stable).
#[derive(Debug, thiserror::Error)]
pub enum LrsError {
    #[error("cannot reach the LRS at {url} ({tries} tries): {source}; {}", sent(*.accepted))]
    Unreachable { url: String, tries: u32, accepted: usize, source: Box<ureq::Error> },
    #[error(
        "the LRS at {url} did not answer within {} s ({tries} tries); {}",
        waited.as_secs_f64(),
        sent(*.accepted)
    )]
    NoAnswer { url: String, waited: std::time::Duration, tries: u32, accepted: usize },
    #[error("the LRS at {url} failed with HTTP {status} ({tries} tries): {body}; {}", sent(*.accepted))]
    Failed { url: String, status: u16, body: String, tries: u32, accepted: usize },
    #[error("the LRS refused the credentials (HTTP {status}): {body}")]
    Credentials { status: u16, body: String },
}

/// What was sent before a failure, and what to do.
fn sent(accepted: usize) -> String {
    if accepted == 0 {
        "no statement was accepted; export again later".to_owned()
    } else {
        format!(
            "the LRS had accepted {accepted} statement(s) before; export again later (the LRS will not count \
             those twice)"
        )
    }
}

/// What an LRS said to a batch of statements.
#[derive(Debug, Clone, PartialEq)]
pub struct Posted {
    pub accepted: usize,
    /// Statements the LRS already had (same id): not duplicated.
    pub already_there: usize,
    pub rejected: Vec<String>,
}

/// The warning for an LRS password that would cross the network unencrypted: an `http://` endpoint
/// on another machine. Plain http to this machine (a local LRS, or a tunnel that encrypts on its
/// way out) stays on this machine and is not warned about; https never is.
pub fn plain_http_warning(endpoint: &str) -> Option<String> {
    let scheme_end = endpoint.find("://")?;
    if !endpoint[..scheme_end].eq_ignore_ascii_case("http") {
        return None;
    }
    let rest = &endpoint[scheme_end + 3..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    let loopback =
        host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    (!loopback).then(|| {
        format!(
            "warning: the LRS password goes to {} over plain http: anyone on the network path can read it; use \
             the LRS's https:// address",
            crate::records::redact(endpoint)
        )
    })
}

/// One LRS endpoint and how to talk to it: time limits on every step, retries with pauses.
struct Lrs {
    agent: ureq::Agent,
    url: String,
    /// The URL for messages (without a password).
    shown: String,
    auth: String,
    limit: std::time::Duration,
}

/// An answer worth trying again: none, a server error, or "too many requests".
enum Attempt {
    Answer(u16, String),
    Retry { status: Option<u16>, body: String, after: Option<std::time::Duration>, error: Option<ureq::Error> },
}

impl Lrs {
    fn new(endpoint: &str, user: &str, password: &str) -> Lrs {
        use base64::Engine;
        let url = if endpoint.trim_end_matches('/').ends_with("/statements") {
            endpoint.trim_end_matches('/').to_owned()
        } else {
            format!("{}/statements", endpoint.trim_end_matches('/'))
        };
        let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")));
        let limit = crate::records::net_timeout();
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(limit))
            .timeout_send_request(Some(limit))
            .timeout_send_body(Some(limit))
            .timeout_recv_response(Some(limit))
            .timeout_recv_body(Some(limit))
            .build();
        let shown = crate::records::redact(&url);
        Lrs { agent: ureq::Agent::new_with_config(config), url, shown, auth, limit }
    }

    fn attempt(&self, body: &str) -> Attempt {
        let sent = self
            .agent
            .post(&self.url)
            .header("X-Experience-API-Version", "1.0.3")
            .header("Authorization", &self.auth)
            .header("Content-Type", "application/json")
            .send(body);
        match sent {
            Err(e) => Attempt::Retry { status: None, body: String::new(), after: None, error: Some(e) },
            Ok(resp) => {
                let status = resp.status().as_u16();
                let after = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(std::time::Duration::from_secs);
                let text: String = resp.into_body().read_to_string().unwrap_or_default().chars().take(200).collect();
                if status >= 500 || status == 429 {
                    Attempt::Retry { status: Some(status), body: text, after, error: None }
                } else {
                    Attempt::Answer(status, text)
                }
            }
        }
    }

    /// Posts one body, trying again after a pause (doubling from half a second, or what the LRS
    /// asks with Retry-After; never longer than the network time limit) up to `TRIES` times.
    fn send(&self, body: &str, accepted: usize) -> Result<(u16, String), LrsError> {
        let mut pause = std::time::Duration::from_millis(500).min(self.limit);
        let mut tries = 0;
        loop {
            tries += 1;
            let (status, text, after, error) = match self.attempt(body) {
                Attempt::Answer(status, text) => return Ok((status, text)),
                Attempt::Retry { status, body, after, error } => (status, body, after, error),
            };
            if tries >= TRIES {
                let url = self.shown.clone();
                return Err(match (status, error) {
                    (Some(status), _) => LrsError::Failed { url, status, body: text, tries, accepted },
                    (None, Some(ureq::Error::Timeout(_))) => {
                        LrsError::NoAnswer { url, waited: self.limit, tries, accepted }
                    }
                    (None, Some(e)) => LrsError::Unreachable { url, tries, accepted, source: Box::new(e) },
                    (None, None) => LrsError::Failed { url, status: 0, body: text, tries, accepted },
                });
            }
            std::thread::sleep(after.unwrap_or(pause).min(self.limit));
            pause = (pause * 2).min(self.limit);
        }
    }
}

/// Posts statements to an LRS (`…/xAPI/statements` or the endpoint itself), in batches, with
/// basic authentication. Statements the LRS already holds are counted, not sent twice. Every
/// request runs under the network time limit (`crate::records::net_timeout`) and is tried again
/// on a failure that may pass; only statements the LRS confirmed count as accepted.
pub fn post(
    endpoint: &str,
    user: &str,
    password: &str,
    statements: &[Value],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Posted, LrsError> {
    let lrs = Lrs::new(endpoint, user, password);
    let mut out = Posted { accepted: 0, already_there: 0, rejected: Vec::new() };
    for (i, chunk) in statements.chunks(200).enumerate() {
        let (status, body) = lrs.send(&serde_json::to_string(chunk).unwrap_or_default(), out.accepted)?;
        match status {
            200 | 204 => out.accepted += chunk.len(),
            409 => {
                // Some ids exist already: send one by one, counting the ones it has.
                for st in chunk {
                    let one = serde_json::to_string(std::slice::from_ref(st)).unwrap_or_default();
                    match lrs.send(&one, out.accepted)?.0 {
                        200 | 204 => out.accepted += 1,
                        409 => out.already_there += 1,
                        s => out.rejected.push(format!("{}: HTTP {s}", st["id"].as_str().unwrap_or("?"))),
                    }
                }
            }
            401 | 403 => return Err(LrsError::Credentials { status, body }),
            _ => out
                .rejected
                .extend(chunk.iter().map(|st| format!("{}: HTTP {status} {body}", st["id"].as_str().unwrap_or("?")))),
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

    #[test]
    fn a_password_over_plain_http_to_another_machine_is_warned_about() {
        let w = plain_http_warning("http://lrs.example/xAPI").expect("warned");
        assert!(w.contains("goes to http://lrs.example/xAPI over plain http"), "{w}");
        assert!(plain_http_warning("HTTP://10.1.2.3:8100/xAPI").is_some());
        assert!(plain_http_warning("http://user:pw@[::1]:8100/xAPI").is_none());
        assert!(plain_http_warning("http://127.0.0.1:8100/xAPI").is_none());
        assert!(plain_http_warning("http://localhost/xAPI").is_none());
        assert!(plain_http_warning("https://lrs.example/xAPI").is_none());
        let w = plain_http_warning("http://key:secret@lrs.example/xAPI").expect("warned");
        assert!(!w.contains("secret"), "{w}");
    }
}
