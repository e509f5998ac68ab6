//! Compiling a scenario's dialogue graph for play: node and stage names resolved to indices, every dangling name reported.

use super::model::{Node, Scenario, Script};
use super::parse::suggest;
use super::playable::{Compiled, CompiledChoice};
use super::reporter::{DiagnosticExt, Reporter, field};
use super::syntax::Seg;
use std::collections::HashMap;

/// The names a scenario may refer to: its nodes (first definition of each id) and its script's stages.
#[derive(Debug)]
pub(crate) struct Names<'s> {
    nodes: &'s [(String, Node)],
    index: HashMap<&'s str, u32>,
    script: Option<&'s Script>,
}

impl<'s> Names<'s> {
    /// Indexes the nodes; a node id defined twice is reported and marked in the returned list.
    pub fn new(scenario: &'s Scenario, script: Option<&'s Script>, r: &mut Reporter) -> (Self, Vec<bool>) {
        let nodes = &scenario.nodes.0;
        let mut index: HashMap<&str, (u32, usize)> = HashMap::with_capacity(nodes.len());
        let mut duplicate = vec![false; nodes.len()];
        for (i, (id, _)) in nodes.iter().enumerate() {
            let entry = index.entry(id).or_insert((i as u32, 0));
            if entry.1 > 0 {
                duplicate[i] = true;
                r.error(&[field("nodes"), Seg::KeyName(id.clone(), entry.1)], format!("duplicate node id \"{id}\""))
                    .label("defined again here")
                    .help("node ids must be unique in a scenario; rename one of them");
            }
            entry.1 += 1;
        }
        let index = index.into_iter().map(|(k, (i, _))| (k, i)).collect();
        (Names { nodes, index, script }, duplicate)
    }

    /// The index of node `name`, or an error at `path` (built only when there is something to report).
    pub fn node(&self, r: &mut Reporter, name: &str, path: &dyn Fn() -> Vec<Seg>, what: &str) -> Option<u32> {
        let found = self.index.get(name).copied();
        if found.is_none() {
            let node_ids: Vec<&str> = self.nodes.iter().map(|(k, _)| k.as_str()).collect();
            r.error(&path(), format!("{what} names a node \"{name}\" that does not exist"))
                .label("no such node")
                .help(format!("nodes here: {}{}", join(&node_ids), suggest(name, &node_ids)));
        }
        found
    }

    /// The position of stage `name` in the script, or an error at `path`. Silent without a script
    /// (its absence is reported once, elsewhere).
    pub fn stage(&self, r: &mut Reporter, name: &str, path: &dyn Fn() -> Vec<Seg>, what: &str) -> Option<u16> {
        let s = self.script?;
        let found = s.stages.iter().position(|st| st.id == name).map(|p| p as u16);
        if found.is_none() {
            let stage_ids: Vec<&str> = s.stages.iter().map(|s| s.id.as_str()).collect();
            r.error(&path(), format!("{what} names a stage \"{name}\" that script \"{}\" lacks", s.id))
                .label("no such stage")
                .help(format!("stages of \"{}\": {}{}", s.id, join(&stage_ids), suggest(name, &stage_ids)));
        }
        found
    }
}

/// A compiled dialogue graph, with what the graph checks need to know of it.
#[derive(Debug)]
pub(crate) struct Graph {
    /// One compiled node per authored node, at the same index.
    pub nodes: Vec<Compiled>,
    /// Resolved exits as (from, to) pairs.
    pub edges: Vec<(u32, u32)>,
    /// Whether a node ends the call, or has an exit naming a missing node (already an error, so it
    /// is not also called a trap).
    pub terminal: Vec<bool>,
}

/// Resolves every node of the scenario. `duplicate[i]` marks a node whose id was defined before: it
/// is compiled (so indices stay aligned) but takes no part in the graph.
pub(crate) fn compile(
    scenario: &Scenario,
    names: &Names,
    on_patience_out: Option<u32>,
    duplicate: &[bool],
    r: &mut Reporter,
) -> Graph {
    let nodes = &scenario.nodes.0;
    let mut g = Graph {
        nodes: Vec::with_capacity(nodes.len()),
        edges: Vec::with_capacity(nodes.len() * 3),
        terminal: vec![false; nodes.len()],
    };
    for (i, (id, node)) in nodes.iter().enumerate() {
        let from = i as u32;
        let at = |name: &'static str| vec![field("nodes"), Seg::Key(id.clone()), field(name)];
        let compiled = match node {
            Node::Line { say, expect, choices, .. } => {
                let expect = expect.as_ref().and_then(|e| names.stage(r, e, &|| at("expect"), "`expect`"));
                let mut compiled = Vec::with_capacity(choices.len());
                for (j, c) in choices.iter().enumerate() {
                    let cpath = |name| {
                        let mut p = at("choices");
                        p.extend([Seg::Index(j), field(name)]);
                        p
                    };
                    let stage = c.stage.as_ref().and_then(|s| names.stage(r, s, &|| cpath("stage"), "`stage`"));
                    let next = names.node(r, &c.next, &|| cpath("next"), "`next`");
                    g.exit(from, next);
                    if c.patience < 0 {
                        g.exit(from, on_patience_out);
                    }
                    compiled.push(CompiledChoice {
                        next: next.unwrap_or(0),
                        stage,
                        patience: c.patience,
                        templated: c.text.contains("{trainee}"),
                    });
                }
                g.terminal[i] |= choices.is_empty();
                Compiled::Line {
                    expect,
                    choices: compiled.into_boxed_slice(),
                    variants: say.len() as u32,
                    templated: templated(say),
                }
            }
            Node::Random { branches } => {
                let total: u64 = branches.iter().map(|b| u64::from(b.weight)).sum();
                g.terminal[i] |= total == 0;
                let mut cumulative = Vec::with_capacity(branches.len());
                let mut next = Vec::with_capacity(branches.len());
                let mut acc = 0u64;
                for (j, b) in branches.iter().enumerate() {
                    acc += u64::from(b.weight);
                    cumulative.push(acc);
                    let path = || {
                        let mut p = at("branches");
                        p.extend([Seg::Index(j), field("next")]);
                        p
                    };
                    let target = names.node(r, &b.next, &path, "`next`");
                    if b.weight > 0 || target.is_none() {
                        g.exit(from, target);
                    }
                    next.push(target.unwrap_or(0));
                }
                Compiled::Random { cumulative: cumulative.into_boxed_slice(), next: next.into_boxed_slice() }
            }
            Node::End { say, .. } => {
                g.terminal[i] = true;
                Compiled::End { variants: say.len() as u32, templated: templated(say) }
            }
        };
        if duplicate[i] {
            // Reported when the names were indexed; it takes no part in the graph.
            g.terminal[i] = true;
            g.edges.retain(|(f, _)| *f != from);
        }
        g.nodes.push(compiled);
    }
    g
}

impl Graph {
    /// Records an exit of node `from`: an edge, or a dead end when its target is missing.
    fn exit(&mut self, from: u32, to: Option<u32>) {
        match to {
            Some(to) => self.edges.push((from, to)),
            None => self.terminal[from as usize] = true,
        }
    }
}

/// Which of the lines name the trainee.
fn templated(say: &[String]) -> Box<[bool]> {
    say.iter().map(|s| s.contains("{trainee}")).collect()
}

/// A list of names for a help line, cut after a dozen.
pub(crate) fn join<S: AsRef<str>>(items: &[S]) -> String {
    const MAX: usize = 12;
    let mut s = items.iter().take(MAX).map(|i| i.as_ref().to_owned()).collect::<Vec<_>>().join(", ");
    if items.len() > MAX {
        s.push_str(&format!(", … ({} in all)", items.len()));
    }
    if s.is_empty() { "(none)".to_owned() } else { s }
}
