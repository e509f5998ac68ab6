//! The bundled scenario library: the contract files, and enough realistic content per role and language.

use crate::support::bundled;
use callforge::domain::model::{Node, Role};
use sha2::{Digest, Sha256};

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

#[test]
fn every_role_has_six_scenarios_two_in_each_language() {
    let lib = bundled();
    for role in Role::ALL {
        let of_role: Vec<_> = lib.playable().filter(|p| p.scenario.role == role).collect();
        assert!(of_role.len() >= 6, "{role}: {} scenarios", of_role.len());
        for lang in ["en", "ru"] {
            let n = of_role.iter().filter(|p| p.scenario.language == lang).count();
            assert!(n >= 2, "{role}: {n} scenarios in {lang}");
            assert!(
                lib.scripts
                    .values()
                    .any(|e| e.ok && e.script.role == role && e.script.language.as_deref().unwrap_or("en") == lang),
                "{role} has a script in {lang}"
            );
        }
    }
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
            p.scenario
                .nodes
                .iter()
                .any(|(_, n)| matches!(n, Node::End { outcome: callforge::domain::Outcome::Failure, .. })),
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
