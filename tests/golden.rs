//! Golden runs: for every bundled scenario a perfect, an average and a poor call, each pinned to
//! its score, once under scorer version 1 and once under version 2. A change to the rules or to a
//! scenario's text that moves a score fails here.
//!
//! `CALLFORGE_BLESS=1 cargo test golden` writes the golden runs a scenario lacks, from a scripted
//! trainee: perfect picks the expected stage every time (Practice); average, in Recall, types every
//! other line from memory with a filler word and gets the others wrong; poor (Exam) opens by the
//! script, then picks the first wrong reply every time. Review new scores before committing them.

use crate::support::bundled;
use callforge::domain::model::{Input, Mode, Node, Outcome, Run};
use callforge::domain::{Dialogue, Playable, replay, score};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Serialize, Deserialize)]
struct Golden {
    scenario: String,
    runs: Vec<Pinned>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Pinned {
    name: String,
    score: u32,
    passed: bool,
    outcome: Outcome,
    label: String,
    run: Run,
}

fn golden_path(id: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{id}.ron"))
}

#[test]
fn every_scenario_replays_its_golden_runs_to_the_pinned_scores() {
    let lib = bundled();
    let bless = std::env::var_os("CALLFORGE_BLESS").is_some();
    let mut failures = Vec::new();
    let mut checked = 0;
    for p in lib.playable() {
        let path = golden_path(p.id());
        if !path.exists() {
            if bless {
                write_golden(p, &path);
            } else {
                failures.push(format!("{}: no golden file {}", p.id(), path.display()));
                continue;
            }
        }
        let text = std::fs::read_to_string(&path).expect("read golden");
        let mut golden: Golden = callforge::domain::parse::ron_options().from_str(&text).expect("golden parses");
        assert_eq!(golden.scenario, p.id());
        if bless && add_missing(p, &mut golden) {
            save(&golden, &path);
        }
        let names: Vec<&str> = golden.runs.iter().map(|r| r.name.as_str()).collect();
        for needed in NAMES.iter().flat_map(|&(v1, v2)| [v1, v2]) {
            if !names.contains(&needed) {
                failures.push(format!("{}: no {needed} golden run", p.id()));
            }
        }
        for pinned in &golden.runs {
            checked += 1;
            match replay(p, &pinned.run, false) {
                Ok(d) => {
                    let s = score(&d);
                    let got = (s.score, s.passed, s.outcome, s.label.clone());
                    let want = (pinned.score, pinned.passed, pinned.outcome, pinned.label.clone());
                    if got != want {
                        failures.push(format!("{} {}: got {got:?}, pinned {want:?}", p.id(), pinned.name));
                    }
                }
                Err(e) => failures.push(format!("{} {}: {e}", p.id(), pinned.name)),
            }
        }
    }
    assert!(failures.is_empty(), "{} golden problem(s):\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 3, "golden runs were checked");
}

#[test]
fn every_golden_file_belongs_to_a_scenario_of_the_library() {
    let lib = bundled();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut stale = Vec::new();
    for role in std::fs::read_dir(&root).expect("tests/golden") {
        let role = role.expect("entry").path();
        for file in std::fs::read_dir(&role).expect("a role's golden folder") {
            let path = file.expect("entry").path();
            let (Some(dir), Some(stem)) = (role.file_name(), path.file_stem()) else { continue };
            let id = format!("{}/{}", dir.to_string_lossy(), stem.to_string_lossy());
            if lib.scenario(&id).is_none() {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(stale.is_empty(), "golden runs of scenarios the library no longer has:\n{}", stale.join("\n"));
}

#[test]
fn golden_scores_are_ordered_perfect_over_average_over_poor() {
    let lib = bundled();
    for p in lib.playable() {
        let Ok(text) = std::fs::read_to_string(golden_path(p.id())) else { continue };
        let golden: Golden = callforge::domain::parse::ron_options().from_str(&text).expect("golden parses");
        let score_of = |n: &str| golden.runs.iter().find(|r| r.name == n).map(|r| r.score);
        for names in [["perfect", "average", "poor"], ["perfect v2", "average v2", "poor v2"]] {
            let (Some(perfect), Some(average), Some(poor)) =
                (score_of(names[0]), score_of(names[1]), score_of(names[2]))
            else {
                continue;
            };
            assert_eq!(perfect, 100, "{}: following the script exactly scores 100", p.id());
            assert!(perfect > average && average > poor, "{} {names:?}: {perfect} > {average} > {poor}", p.id());
        }
    }
}

/// A scripted trainee of a given skill.
#[derive(Clone, Copy)]
enum Skill {
    Perfect,
    Average,
    Poor,
    /// Practice: one mistake the call survives (the first wrong reply that is not critical and does
    /// not end the call), then back on the script.
    Recovered,
}

/// The golden runs every scenario has: (version 1 name, version 2 name) per skill.
const NAMES: [(&str, &str); 4] =
    [("perfect", "perfect v2"), ("average", "average v2"), ("poor", "poor v2"), ("recovered", "recovered v2")];

fn play_as(p: &Arc<Playable>, skill: Skill, seed: u64, scorer: u32) -> Run {
    let mode = match skill {
        Skill::Perfect | Skill::Recovered => Mode::Practice,
        Skill::Average => Mode::Recall,
        Skill::Poor => Mode::Exam,
    };
    let mut d = Dialogue::with_scorer(Arc::clone(p), seed, mode, "Alex", scorer);
    let mut turn = 0usize;
    let mut slipped = false;
    while !d.is_over() {
        if turn > 200 {
            d.hang_up().expect("hang up");
            break;
        }
        let Node::Line { choices, expect, .. } = p.node(d.node()) else { break };
        let safe = choices.iter().position(|c| c.patience >= 0).unwrap_or(0);
        let right = expect.as_ref().and_then(|e| choices.iter().position(|c| c.stage.as_ref() == Some(e)));
        let wrong = expect.as_ref().and_then(|e| choices.iter().position(|c| c.stage.as_ref() != Some(e)));
        // A mistake the call survives: not critical, not out of patience, not straight to an End.
        let survivable = expect.as_ref().and_then(|e| {
            choices.iter().position(|c| {
                c.stage.as_ref() != Some(e)
                    && c.critical.is_none()
                    && d.patience() + c.patience > 0
                    && p.scenario.nodes.get(&c.next).is_some_and(|n| !matches!(n, Node::End { .. }))
            })
        });
        let input = match (skill, d.expects_typing()) {
            (Skill::Recovered, _) if !slipped && survivable.is_some() => {
                slipped = true;
                Input::Choose(survivable.unwrap_or(safe))
            }
            (Skill::Recovered, _) => Input::Choose(right.unwrap_or(safe)),
            (Skill::Average, true) if turn.is_multiple_of(2) => {
                let line = d.text(&d.expected_stage().expect("typing needs a stage").line).into_owned();
                Input::Type(format!("{} {line}", if p.scenario.language == "ru" { "Так," } else { "So," }))
            }
            (Skill::Average, true) => Input::Choose(wrong.unwrap_or(safe)),
            (Skill::Perfect, _) | (Skill::Average, false) => Input::Choose(right.unwrap_or(safe)),
            (Skill::Poor, _) if turn == 0 => Input::Choose(right.unwrap_or(safe)),
            (Skill::Poor, _) => Input::Choose(wrong.unwrap_or(safe)),
        };
        d.apply(&input).expect("scripted input fits");
        turn += 1;
    }
    let mut run = d.to_run();
    run.version = None;
    run.hash = None;
    run
}

fn write_golden(p: &Arc<Playable>, path: &std::path::Path) {
    let mut golden = Golden { scenario: p.id().to_owned(), runs: Vec::new() };
    add_missing(p, &mut golden);
    save(&golden, path);
}

/// Plays and pins every golden run the file lacks; says whether it added any.
fn add_missing(p: &Arc<Playable>, golden: &mut Golden) -> bool {
    let before = golden.runs.len();
    for (skill, seed, (v1, v2)) in [
        (Skill::Perfect, 1, NAMES[0]),
        (Skill::Average, 2, NAMES[1]),
        (Skill::Poor, 3, NAMES[2]),
        (Skill::Recovered, 4, NAMES[3]),
    ] {
        for (name, scorer) in [(v1, 1), (v2, 2)] {
            if golden.runs.iter().any(|r| r.name == name) {
                continue;
            }
            let run = play_as(p, skill, seed, scorer);
            let d = replay(p, &run, false).expect("scripted run replays");
            let s = score(&d);
            golden.runs.push(Pinned {
                name: name.to_owned(),
                score: s.score,
                passed: s.passed,
                outcome: s.outcome,
                label: s.label,
                run,
            });
        }
    }
    golden.runs.len() > before
}

fn save(golden: &Golden, path: &std::path::Path) {
    let config = ron::ser::PrettyConfig::new().depth_limit(3).indentor("    ".to_owned()).struct_names(true);
    let body = ron::ser::to_string_pretty(golden, config).expect("serialises");
    let text = format!("// Golden runs of {}: pinned scores; see tests/golden.rs.\n{body}\n", golden.scenario);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    // Written beside and renamed, so a test reading the file meanwhile never sees half of it.
    let tmp = path.with_extension("ron.tmp");
    std::fs::write(&tmp, text).expect("write golden");
    std::fs::rename(&tmp, path).expect("rename golden");
    eprintln!("blessed {}", path.display());
}
