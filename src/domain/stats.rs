//! Content statistics of a library: per scenario, how big it is, how its customer reacts to mistakes, and its partner; per role and language, counts.

use super::library::Library;
use super::model::{Difficulty, Node, Role};
use serde::Serialize;
use std::collections::BTreeMap;

/// What `validate --stats` says of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioStats {
    pub id: String,
    pub role: Role,
    pub language: String,
    pub difficulty: Difficulty,
    pub nodes: usize,
    pub choices: usize,
    pub random_nodes: usize,
    /// Wrong replies on lines that expect a stage (a reply of another stage, or of none).
    pub wrong_choices: usize,
    /// Of those, the ones that lead somewhere the right reply does not: the customer answers the
    /// mistake itself.
    pub wrong_with_reaction: usize,
    /// `wrong_with_reaction / wrong_choices` (1 when there are no wrong choices).
    pub reaction_share: f64,
    /// Replies the author marked with feedback on a line that expects no stage, with no penalty
    /// and no critical mark: mistakes that are never scored.
    pub unscored_mistakes: usize,
    /// The same situation in the other language, when named and playable.
    pub partner: Option<String>,
}

/// Counts per role and language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupStats {
    pub role: Role,
    pub language: String,
    pub scenarios: usize,
    pub paired: usize,
    pub wrong_choices: usize,
    pub wrong_with_reaction: usize,
}

/// The whole library's statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LibraryStats {
    pub scenarios: Vec<ScenarioStats>,
    pub groups: Vec<GroupStats>,
    /// Over every scenario: wrong choices with their own reaction / wrong choices.
    pub reaction_share: f64,
    pub unscored_mistakes: usize,
}

/// Works out the statistics of every playable scenario of a library.
pub fn library_stats(lib: &Library) -> LibraryStats {
    let scenarios: Vec<ScenarioStats> = lib.playable().map(|p| scenario_stats(lib, p)).collect();
    let mut groups: BTreeMap<(Role, String), GroupStats> = BTreeMap::new();
    for s in &scenarios {
        let g = groups.entry((s.role, s.language.clone())).or_insert(GroupStats {
            role: s.role,
            language: s.language.clone(),
            scenarios: 0,
            paired: 0,
            wrong_choices: 0,
            wrong_with_reaction: 0,
        });
        g.scenarios += 1;
        g.paired += usize::from(s.partner.is_some());
        g.wrong_choices += s.wrong_choices;
        g.wrong_with_reaction += s.wrong_with_reaction;
    }
    let wrong: usize = scenarios.iter().map(|s| s.wrong_choices).sum();
    let reacting: usize = scenarios.iter().map(|s| s.wrong_with_reaction).sum();
    LibraryStats {
        reaction_share: share(reacting, wrong),
        unscored_mistakes: scenarios.iter().map(|s| s.unscored_mistakes).sum(),
        scenarios,
        groups: groups.into_values().collect(),
    }
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 { 1.0 } else { part as f64 / whole as f64 }
}

fn scenario_stats(lib: &Library, p: &super::Playable) -> ScenarioStats {
    let sc = &p.scenario;
    let (mut choices, mut random_nodes, mut wrong, mut reacting, mut unscored) = (0, 0, 0, 0, 0);
    for (_, node) in sc.nodes.iter() {
        match node {
            Node::Line { expect, choices: cs, .. } => {
                choices += cs.len();
                match expect {
                    Some(e) => {
                        let right: Vec<&str> =
                            cs.iter().filter(|c| c.stage.as_deref() == Some(e)).map(|c| c.next.as_str()).collect();
                        for c in cs.iter().filter(|c| c.stage.as_deref() != Some(e)) {
                            wrong += 1;
                            reacting += usize::from(!right.contains(&c.next.as_str()));
                        }
                    }
                    None => {
                        unscored += cs
                            .iter()
                            .filter(|c| c.feedback.is_some() && c.penalty == 0 && c.critical.is_none())
                            .count();
                    }
                }
            }
            Node::Random { .. } => random_nodes += 1,
            Node::End { .. } => {}
        }
    }
    let partner = lib.partner_of(&sc.id).map(|p| p.id().to_owned());
    ScenarioStats {
        id: sc.id.clone(),
        role: sc.role,
        language: sc.language.clone(),
        difficulty: sc.difficulty,
        nodes: sc.nodes.len(),
        choices,
        random_nodes,
        wrong_choices: wrong,
        wrong_with_reaction: reacting,
        reaction_share: share(reacting, wrong),
        unscored_mistakes: unscored,
        partner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SourceFile;

    #[test]
    fn a_wrong_reply_reacts_when_it_leads_elsewhere() {
        let lib = Library::from_sources(vec![
            SourceFile::new(
                "scripts/s.ron",
                r#"Script(id: "s", version: 1, role: Generator, title: "S", stages: [Stage(id: "a", title: "A", line: "Hello there.", weight: 1)])"#,
            ),
            SourceFile::new(
                "generator/x.ron",
                r#"Scenario(id: "generator/x", version: 1, title: "X", role: Generator, language: "en", script: "s", brief: "b",
                persona: Persona(name: "A", position: "B", company: "C", patience: 3), start: "q",
                nodes: { "q": Line(say: ["Hi"], expect: "a", choices: [
                    Choice(text: "Hello there.", stage: "a", next: "z"),
                    Choice(text: "Yo.", next: "huh"),
                    Choice(text: "Sup.", next: "z")]),
                  "huh": Line(say: ["Pardon?"], choices: [Choice(text: "Sorry.", feedback: "Be polite.", next: "z")]),
                  "z": End(outcome: Success, label: "ok") })"#,
            ),
        ]);
        let stats = library_stats(&lib);
        let s = &stats.scenarios[0];
        assert_eq!((s.wrong_choices, s.wrong_with_reaction, s.unscored_mistakes), (2, 1, 1));
        assert!((s.reaction_share - 0.5).abs() < 1e-12);
        assert_eq!(stats.groups[0].scenarios, 1);
        assert_eq!(s.partner, None);
    }
}
