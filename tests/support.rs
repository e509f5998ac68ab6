//! Helpers shared by the integration tests: libraries from inline text, and replaying inputs.

use callforge::domain::model::{Input, Mode, Run};
use callforge::domain::{Dialogue, Library, Score, SourceFile, replay, score};

/// A library from (path, text) pairs; panics with the rendered diagnostics if any is an error.
pub fn library(files: &[(&str, &str)]) -> Library {
    let lib = Library::from_sources(files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect());
    let errors: Vec<String> = lib.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "fixture has errors:\n{}", errors.join("\n"));
    lib
}

/// Replays inputs through a scenario of the library.
pub fn run(
    lib: &Library,
    id: &str,
    seed: u64,
    mode: Mode,
    trainee: &str,
    inputs: Vec<Input>,
) -> Result<Dialogue, callforge::domain::RunError> {
    let p = lib.scenario(id).unwrap_or_else(|| panic!("no scenario {id}"));
    let run = Run {
        scenario: id.to_owned(),
        version: None,
        hash: None,
        seed,
        mode,
        trainee: trainee.to_owned(),
        scorer: None,
        inputs,
        drill: None,
        times_ms: Vec::new(),
        played_at: None,
    };
    replay(p, &run, false)
}

/// Replays inputs and scores the call; panics if the run does not fit.
pub fn scored(lib: &Library, id: &str, mode: Mode, trainee: &str, inputs: Vec<Input>) -> Score {
    let d = run(lib, id, 1, mode, trainee, inputs).unwrap_or_else(|e| panic!("run does not fit: {e}"));
    score(&d)
}

pub fn choose(picks: &[usize]) -> Vec<Input> {
    picks.iter().map(|&i| Input::Choose(i)).collect()
}

pub fn typed(lines: &[&str]) -> Vec<Input> {
    lines.iter().map(|l| Input::Type((*l).to_owned())).collect()
}

/// The bundled scenario library.
pub fn bundled() -> Library {
    Library::load(&[std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))])
}

pub fn assert_close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

/// Where the tests keep the shipped library's voice clips: CALLFORGE_VOICE_CACHE when set (CI
/// keeps it under ~/.cache across runs), else a folder in the temporary directory that later runs
/// reuse.
pub fn voice_cache() -> std::path::PathBuf {
    std::env::var_os("CALLFORGE_VOICE_CACHE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("callforge-test-voices"))
}

/// One `callforge voice` over the shipped library at a time, so tests that need the clips do not
/// render them twice over.
pub static VOICE_RENDER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Renders the shipped library's voices into [`voice_cache`] (only what is missing); `None` when
/// the synthesisers are not installed.
#[allow(dead_code)] // Used by the window's tests only.
pub fn rendered_voices() -> Option<std::path::PathBuf> {
    let have = |p: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {p}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !(have("festival") && have("sox")) {
        return None;
    }
    let cache = voice_cache();
    let _one_at_a_time = VOICE_RENDER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callforge"))
        .args(["voice", "--cache"])
        .arg(&cache)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("callforge voice runs");
    assert!(out.status.success(), "callforge voice: {}", String::from_utf8_lossy(&out.stderr));
    Some(cache)
}

/// A perfect call of a scenario on any seed, as a run file callforge would write: at each line
/// the reply of the expected stage (typed word for word in Recall mode), else the first reply.
pub fn perfect_run(lib: &Library, id: &str, seed: u64, mode: Mode, trainee: &str) -> Run {
    use callforge::domain::model::Node;
    let p = lib.scenario(id).unwrap_or_else(|| panic!("no scenario {id}"));
    let mut d = Dialogue::new(std::sync::Arc::clone(p), seed, mode, trainee);
    while !d.is_over() {
        let want = d.expected_stage().map(|s| (s.id.clone(), s.line.clone()));
        if d.expects_typing() {
            let line = want.map(|(_, line)| d.text(&line).into_owned()).unwrap_or_default();
            d.type_reply(&line).expect("typed");
            continue;
        }
        let pick = match (p.node(d.node()), &want) {
            (Node::Line { choices, .. }, Some((stage, _))) => {
                choices.iter().position(|c| c.stage.as_deref() == Some(stage.as_str())).unwrap_or(0)
            }
            _ => 0,
        };
        d.choose(pick).expect("a choice");
    }
    d.to_run()
}
