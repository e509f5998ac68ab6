//! The bundled scenario library: the contract files, and enough realistic content per role and language.

use crate::support::bundled;
use callforge::domain::model::{Node, Outcome, Role, Scenario, Script};
use callforge::domain::stats::library_stats;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The three example files of DESIGN.md must load unchanged, byte for byte.
#[test]
fn the_contract_files_are_unchanged_and_load() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (path, sha) in [
        ("scenarios/scripts/generator-cold-call.ron", CONTRACT_SCRIPT),
        ("scenarios/generator/busy-office-manager.ron", CONTRACT_SCENARIO),
        ("scenarios/ladder.ron", CONTRACT_LADDER),
    ] {
        let bytes = std::fs::read(root.join(path)).expect("contract file exists");
        let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, sha, "{path} differs from the DESIGN.md example");
    }
    let lib = bundled();
    assert!(lib.scenario("generator/busy-office-manager").is_some());
    assert!(lib.scripts.get("generator-cold-call").is_some_and(|e| e.ok));
    assert!(lib.ladder.is_some());
}

const CONTRACT_SCRIPT: &str = "2c443938264b479d7692f10ad590f26ccb7697cf61fa4419a04925518e187731";
const CONTRACT_SCENARIO: &str = "57f48a492834305014f591ca2713e87c7f3dbef96b1c09ec8f40b365181fbc3f";
const CONTRACT_LADDER: &str = "83732c9b480cdb6460704bcf393340128ac82e48293a97b5ac2fc3a9cbca5c53";

#[test]
fn the_library_has_no_errors() {
    let lib = bundled();
    let errors: Vec<String> = lib.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// The contract scenario and script (DESIGN.md) cannot change byte for byte, so the contract
/// scenario cannot name its partner: its Russian partner names it, one way.
const CONTRACT_SCENARIO_ID: &str = "generator/busy-office-manager";
const CONTRACT_SCRIPT_ID: &str = "generator-cold-call";

/// Scenarios per role per language, and the share of wrong replies on scored lines that get a
/// reaction of their own (issue 11).
const MIN_SCENARIOS: usize = 8;
const MIN_REACTION_SHARE: f64 = 0.6;

#[test]
fn every_role_has_eight_scenarios_in_each_language_and_a_script_in_each() {
    let lib = bundled();
    let stats = library_stats(&lib);
    for role in Role::ALL {
        for lang in ["en", "ru"] {
            let n = stats.groups.iter().find(|g| g.role == role && g.language == lang).map_or(0, |g| g.scenarios);
            assert!(n >= MIN_SCENARIOS, "{role} in {lang}: {n} scenarios, the library needs {MIN_SCENARIOS}");
            assert!(
                lib.scripts.values().any(|e| e.ok && e.script.role == role && script_language(&e.script) == lang),
                "{role} has a script in {lang}"
            );
        }
    }
}

#[test]
fn every_scenario_is_paired_with_the_same_situation_in_the_other_language() {
    let lib = bundled();
    let stats = library_stats(&lib);
    let mut problems = Vec::new();
    for s in &stats.scenarios {
        let Some(partner) = &s.partner else {
            problems.push(format!("{}: no partner in the other language", s.id));
            continue;
        };
        let Some(p) = stats.scenarios.iter().find(|o| &o.id == partner) else {
            problems.push(format!("{}: partner {partner} is not playable", s.id));
            continue;
        };
        if p.role != s.role || p.language == s.language {
            problems.push(format!("{}: partner {partner} is {} in {}", s.id, p.role, p.language));
        }
        if p.partner.as_deref() != Some(s.id.as_str()) {
            problems.push(format!("{}: partner {partner} is not paired back with it", s.id));
        }
    }
    // Only the contract file, which cannot change, is paired from the other side alone.
    let one_way: Vec<&str> = lib.playable().filter(|p| p.scenario.partner.is_none()).map(|p| p.id()).collect();
    assert_eq!(one_way, [CONTRACT_SCENARIO_ID], "scenarios that name no partner themselves");
    // The role-and-language counts `validate --stats` prints agree.
    for g in &stats.groups {
        if g.paired != g.scenarios {
            problems.push(format!("{} {}: {} of {} paired", g.role, g.language, g.paired, g.scenarios));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn customers_react_to_most_mistakes_in_every_role_and_language() {
    let lib = bundled();
    let stats = library_stats(&lib);
    let mut problems = Vec::new();
    for g in &stats.groups {
        let share = g.wrong_with_reaction as f64 / g.wrong_choices.max(1) as f64;
        if g.wrong_choices == 0 || share < MIN_REACTION_SHARE {
            problems.push(format!(
                "{} {}: {}/{} wrong replies get a reaction of their own",
                g.role, g.language, g.wrong_with_reaction, g.wrong_choices
            ));
        }
    }
    // No scenario leans on the others; the contract file is the one that cannot change.
    for s in stats.scenarios.iter().filter(|s| s.id != CONTRACT_SCENARIO_ID) {
        if s.reaction_share < MIN_REACTION_SHARE {
            problems.push(format!("{}: {}/{} wrong replies react", s.id, s.wrong_with_reaction, s.wrong_choices));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_mistake_goes_unscored() {
    let lib = bundled();
    let stats = library_stats(&lib);
    let mut problems: Vec<String> = stats
        .scenarios
        .iter()
        .filter(|s| s.unscored_mistakes > 0)
        .map(|s| format!("{}: {} unscored mistake(s)", s.id, s.unscored_mistakes))
        .collect();
    // A reply on a line that expects no stage and ends the call in failure costs points or fails
    // the call; otherwise losing the customer there would cost the trainee nothing.
    for p in lib.playable() {
        for (id, node) in p.scenario.nodes.iter() {
            let Node::Line { expect: None, choices, .. } = node else { continue };
            for c in choices {
                let fails = matches!(p.scenario.nodes.get(&c.next), Some(Node::End { outcome: Outcome::Failure, .. }));
                if fails && c.penalty == 0 && c.critical.is_none() {
                    problems.push(format!("{} {id}: «{}» ends the call unscored", p.id(), c.text));
                }
            }
        }
    }
    assert_eq!(stats.unscored_mistakes, 0);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// (id, weight, critical) of every stage, in order.
fn stage_table(script: &Script) -> Vec<(String, u32, bool)> {
    script.stages.iter().map(|s| (s.id.clone(), s.weight, s.critical)).collect()
}

fn script_language(script: &Script) -> &str {
    script.language.as_deref().unwrap_or("en")
}

#[test]
fn a_roles_two_scripts_share_stage_ids_weights_and_critical_flags() {
    let lib = bundled();
    for role in Role::ALL {
        let scripts: Vec<&Script> = lib
            .scripts
            .values()
            .filter(|e| e.ok && e.script.role == role && e.script.id != CONTRACT_SCRIPT_ID)
            .map(|e| e.script.as_ref())
            .collect();
        let langs: Vec<&str> = scripts.iter().map(|s| script_language(s)).collect();
        assert_eq!(scripts.len(), 2, "{role}: one script per language besides the contract, got {langs:?}");
        assert_ne!(langs[0], langs[1], "{role}: the two scripts are in two languages");
        assert_eq!(
            stage_table(scripts[0]),
            stage_table(scripts[1]),
            "{role}: {} and {} score the same stages",
            scripts[0].id,
            scripts[1].id
        );
    }
    // Partners are played on scripts with the same stages (the contract pair aside).
    for p in lib.playable().filter(|p| p.id() != CONTRACT_SCENARIO_ID) {
        let Some(q) = p.scenario.partner.as_deref().and_then(|id| lib.scenario(id)) else { continue };
        if q.id() != CONTRACT_SCENARIO_ID {
            assert_eq!(stage_table(&p.script), stage_table(&q.script), "{} and {}", p.id(), q.id());
        }
    }
}

#[test]
fn every_exam_has_a_partner_in_the_other_language_that_is_equally_hard() {
    let lib = bundled();
    let ladder = lib.ladder.as_ref().expect("ladder");
    let exams: Vec<&String> = ladder.rungs.iter().flat_map(|r| r.exam.iter().flat_map(|e| &e.scenarios)).collect();
    assert!(exams.len() >= 4, "the ladder has its exams");
    for id in exams {
        let en = lib.scenario(id).unwrap_or_else(|| panic!("exam {id} exists"));
        let partner = en.scenario.partner.as_deref().unwrap_or_else(|| panic!("exam {id} names a partner"));
        let ru = lib.scenario(partner).unwrap_or_else(|| panic!("partner {partner} of {id} is playable"));
        assert_ne!(en.scenario.language, ru.scenario.language, "{id}: the partner is in the other language");
        assert_eq!(en.scenario.difficulty, ru.scenario.difficulty, "{id} and {partner}: difficulty");
        assert_eq!(en.scenario.pass_mark, ru.scenario.pass_mark, "{id} and {partner}: pass mark");
        assert_eq!(en.scenario.persona.patience, ru.scenario.persona.patience, "{id} and {partner}: patience");
        assert_eq!(stage_table(&en.script), stage_table(&ru.script), "{id} and {partner}: script stages");
        same_structure(&en.scenario, &ru.scenario);
    }
}

/// Walks two dialogue graphs side by side from their starts: every customer line expects the same
/// stage, offers the same replies in the same order (same stage, patience, penalty and critical
/// mark), every draw has the same weights, and every end the same outcome.
fn same_structure(a: &Scenario, b: &Scenario) {
    let mut map: BTreeMap<&str, &str> = BTreeMap::new();
    let mut todo = vec![(a.start.as_str(), b.start.as_str())];
    if let (Some(x), Some(y)) = (&a.on_patience_out, &b.on_patience_out) {
        todo.push((x.as_str(), y.as_str()));
    }
    assert_eq!(a.on_patience_out.is_some(), b.on_patience_out.is_some(), "{}: patience-out", b.id);
    while let Some((x, y)) = todo.pop() {
        if let Some(&seen) = map.get(x) {
            assert_eq!(seen, y, "{} node {x} pairs with both {seen} and {y} of {}", a.id, b.id);
            continue;
        }
        map.insert(x, y);
        let at = format!("{} node {x} / {} node {y}", a.id, b.id);
        match (a.nodes.get(x).expect("node"), b.nodes.get(y).expect("node")) {
            (Node::Line { expect: ea, choices: ca, .. }, Node::Line { expect: eb, choices: cb, .. }) => {
                assert_eq!(ea, eb, "{at}: expected stage");
                assert_eq!(ca.len(), cb.len(), "{at}: number of replies");
                for (i, (p, q)) in ca.iter().zip(cb).enumerate() {
                    let shape = |c: &callforge::domain::model::Choice| {
                        (c.stage.clone(), c.patience, c.penalty, c.critical.is_some(), c.feedback.is_some())
                    };
                    assert_eq!(shape(p), shape(q), "{at}: reply {i}");
                    todo.push((p.next.as_str(), q.next.as_str()));
                }
            }
            (Node::Random { branches: ba }, Node::Random { branches: bb }) => {
                assert_eq!(ba.len(), bb.len(), "{at}: branches");
                for (p, q) in ba.iter().zip(bb) {
                    assert_eq!(p.weight, q.weight, "{at}: branch weight");
                    todo.push((p.next.as_str(), q.next.as_str()));
                }
            }
            (Node::End { outcome: oa, .. }, Node::End { outcome: ob, .. }) => assert_eq!(oa, ob, "{at}: outcome"),
            _ => panic!("{at}: different kinds of node"),
        }
    }
    assert_eq!(map.len(), a.nodes.len(), "{}: every node is paired", a.id);
    assert_eq!(b.nodes.len(), a.nodes.len(), "{} and {}: node count", a.id, b.id);
}

/// Past-tense and short forms that say the speaker's gender («понял», «я звонила», «уверен»): a
/// Russian trainee line must fit a man and a woman alike, or the traps can be spotted by grammar.
fn gendered_words(line: &str) -> Vec<String> {
    const ALWAYS: [&str; 16] = [
        "понял",
        "поняла",
        "услышал",
        "услышала",
        "уверен",
        "уверена",
        "согласен",
        "согласна",
        "рад",
        "рада",
        "ошибся",
        "ошиблась",
        "готов",
        "готова",
        "должен",
        "должна",
    ];
    let words: Vec<String> = line
        .to_lowercase()
        .split(|c: char| !c.is_alphabetic() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let mut found = Vec::new();
    for (i, w) in words.iter().enumerate() {
        // «готов»/«должен» of someone else («заказ готов») is fine; of the speaker it is not.
        let about_me = i > 0 && words[i.saturating_sub(3)..i].iter().any(|p| p == "я");
        let after_me_past =
            about_me && ["л", "ла", "лся", "лась"].iter().any(|end| w.ends_with(end) && w.chars().count() > 2);
        let listed = ALWAYS.contains(&w.as_str())
            && (about_me || !matches!(w.as_str(), "готов" | "готова" | "должен" | "должна"));
        if after_me_past || listed {
            found.push(w.clone());
        }
    }
    found
}

#[test]
fn russian_trainee_lines_are_gender_neutral() {
    assert_eq!(gendered_words("Я вам вчера звонил, помните?"), ["звонил"]);
    assert_eq!(gendered_words("Поняла, спасибо."), ["поняла"]);
    assert_eq!(gendered_words("Понимаю. Заказ готов, я пришлю счёт."), Vec::<String>::new());
    let lib = bundled();
    let mut problems = Vec::new();
    for e in lib.scripts.values().filter(|e| e.ok && script_language(&e.script) == "ru") {
        for stage in &e.script.stages {
            for line in std::iter::once(&stage.line).chain(&stage.variants) {
                let found = gendered_words(line);
                if !found.is_empty() {
                    problems.push(format!("{} {}: {found:?} in «{line}»", e.script.id, stage.id));
                }
            }
        }
    }
    for p in lib.playable().filter(|p| p.scenario.language == "ru") {
        for (id, node) in p.scenario.nodes.iter() {
            let Node::Line { choices, .. } = node else { continue };
            for c in choices {
                let found = gendered_words(&c.text);
                if !found.is_empty() {
                    problems.push(format!("{} {id}: {found:?} in «{}»", p.id(), c.text));
                }
            }
        }
    }
    assert!(problems.is_empty(), "trainee lines that say the trainee's gender:\n{}", problems.join("\n"));
}

#[test]
fn every_scenario_is_a_real_conversation() {
    let lib = bundled();
    for p in lib.playable() {
        let nodes = p.node_count();
        assert!((8..=20).contains(&nodes), "{}: {nodes} nodes", p.id());
        let randoms: Vec<usize> = p
            .scenario
            .nodes
            .iter()
            .filter_map(|(_, n)| match n {
                Node::Random { branches } => Some(branches.len()),
                _ => None,
            })
            .collect();
        assert!(randoms.iter().any(|&b| b >= 2), "{}: random objections", p.id());
        let feedback = p.scenario.nodes.iter().filter_map(|(_, n)| match n {
            Node::Line { choices, .. } => Some(choices.iter().filter(|c| c.feedback.is_some()).count()),
            _ => None,
        });
        assert!(feedback.sum::<usize>() >= 2, "{}: wrong choices teach with feedback", p.id());
        assert!(
            p.scenario.nodes.iter().any(|(_, n)| matches!(n, Node::End { outcome: Outcome::Failure, .. })),
            "{}: the call can fail",
            p.id()
        );
    }
}

#[test]
fn the_ladder_names_existing_exam_scenarios_of_the_right_role() {
    let lib = bundled();
    let ladder = lib.ladder.as_ref().expect("ladder");
    for rung in &ladder.rungs {
        for id in rung.exam.iter().flat_map(|e| &e.scenarios) {
            let p = lib.scenario(id).unwrap_or_else(|| panic!("exam scenario {id} exists"));
            assert_eq!(p.scenario.role, rung.role);
        }
    }
}
