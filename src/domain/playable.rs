//! A validated scenario compiled for play: node ids resolved to indices, stages to script positions.

use super::model::{Node, Scenario, Script, Stage};
use std::sync::Arc;

/// A scenario that passed validation, with its script, ready for the dialogue runtime.
#[derive(Debug, Clone)]
pub struct Playable {
    pub scenario: Scenario,
    pub script: Arc<Script>,
    /// Where the scenario was read from.
    pub path: String,
    /// SHA-256 of the scenario and its script, computed on first use (see [`Playable::hash`]).
    pub(crate) hash: std::sync::OnceLock<String>,
    /// The files as read, so records can keep the exact text a run was scored against.
    pub scenario_source: Arc<super::source::SourceFile>,
    pub script_source: Arc<super::source::SourceFile>,
    pub(crate) graph: Vec<Compiled>,
    pub(crate) start: u32,
    pub(crate) on_patience_out: Option<u32>,
}

/// A node with every reference resolved. Text stays in `scenario.nodes`, at the same index.
#[derive(Debug, Clone)]
pub(crate) enum Compiled {
    /// `templated[i]`: whether `say[i]` holds `{trainee}` (so reading a line never scans it).
    Line {
        expect: Option<u16>,
        choices: Box<[CompiledChoice]>,
        variants: u32,
        templated: Box<[bool]>,
    },
    Random {
        cumulative: Box<[u64]>,
        next: Box<[u32]>,
    },
    End {
        variants: u32,
        templated: Box<[bool]>,
    },
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct CompiledChoice {
    pub next: u32,
    pub stage: Option<u16>,
    pub patience: i32,
    /// The text holds `{trainee}`.
    pub templated: bool,
}

impl Playable {
    pub fn id(&self) -> &str {
        &self.scenario.id
    }

    /// SHA-256 of the scenario and its script as parsed, so a run can tell that either changed.
    /// Computed once, when first asked for; loading and validating never need it.
    pub fn hash(&self) -> &str {
        self.hash.get_or_init(|| content_hash(&self.scenario, &self.script))
    }

    /// The id of node `index`.
    pub fn node_id(&self, index: u32) -> &str {
        &self.scenario.nodes.0[index as usize].0
    }

    /// The index of the node with id `id`.
    pub fn node_index(&self, id: &str) -> Option<u32> {
        self.scenario.nodes.0.iter().position(|(n, _)| n == id).and_then(|i| u32::try_from(i).ok())
    }

    /// The customer lines that expect a stage, with the stage each expects: what drills are made of.
    pub fn expecting_lines(&self) -> impl Iterator<Item = (u32, &Stage)> + '_ {
        (0..self.graph.len() as u32).filter_map(|n| self.expected_stage(n).map(|s| (n, s)))
    }

    /// The authored node at `index`.
    pub fn node(&self, index: u32) -> &Node {
        &self.scenario.nodes.0[index as usize].1
    }

    pub fn stage(&self, index: u16) -> &Stage {
        &self.script.stages[index as usize]
    }

    /// The stage a `Line` expects, if any.
    pub fn expected_stage(&self, node: u32) -> Option<&Stage> {
        match self.graph.get(node as usize) {
            Some(Compiled::Line { expect: Some(e), .. }) => Some(self.stage(*e)),
            _ => None,
        }
    }

    /// The scenario's language for generated feedback.
    pub fn lang(&self) -> super::feedback::Lang {
        super::feedback::Lang::from_code(&self.scenario.language)
    }

    pub fn node_count(&self) -> usize {
        self.graph.len()
    }
}

/// SHA-256 over the scenario and its script as parsed, so that reformatting a file or editing a
/// comment keeps recorded runs valid while any change of content does not.
pub fn content_hash(scenario: &Scenario, script: &Script) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(scenario).unwrap_or_default());
    h.update([0u8]);
    h.update(serde_json::to_vec(script).unwrap_or_default());
    super::digest::hex(&h.finalize())
}
