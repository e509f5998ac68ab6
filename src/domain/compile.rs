//! Compiling a scenario's dialogue graph for play: node and stage names resolved to indices, every dangling name reported.

use super::model::{Node, Scenario, Script};
use super::playable::{Compiled, CompiledChoice};
use super::reporter::{DiagnosticExt, Reporter, field};
use super::source::Severity;
use super::syntax::Seg;
use std::cell::OnceCell;
use std::collections::HashMap;

/// The names a scenario may refer to: its nodes (first definition of each id) and its script's stages.
#[derive(Debug)]
pub(crate) struct Names<'s> {
    nodes: &'s [(String, Node)],
    index: HashMap<&'s str, u32>,
    /// The script's stages by id, first definition of each.
    stages: HashMap<&'s str, u16>,
    script: Option<&'s Script>,
    /// Node and stage ids in file order, listed once for the help of every dangling name.
    node_ids: OnceCell<Vec<&'s str>>,
    stage_ids: OnceCell<Vec<&'s str>>,
}

impl<'s> Names<'s> {
    /// Indexes the nodes; a node id defined twice is reported and marked in the returned list.
    pub fn new(scenario: &'s Scenario, script: Option<&'s Script>, r: &mut Reporter) -> (Self, Vec<bool>) {
        let nodes = &scenario.nodes.0;
        let mut index: HashMap<&str, (u32, usize)> = HashMap::with_capacity(nodes.len());
        let mut duplicate = vec![false; nodes.len()];
        // Node numbers are 32-bit; the node limit (checked with the header) keeps them exact, and a
        // node past it is left out rather than numbered wrongly.
        for (i, (id, _)) in nodes.iter().enumerate() {
            let Ok(number) = u32::try_from(i) else { break };
            let entry = index.entry(id).or_insert((number, 0));
            if entry.1 > 0 {
                duplicate[i] = true;
                r.error(&[field("nodes"), Seg::KeyName(id.clone(), entry.1)], format!("duplicate node id \"{id}\""))
                    .label("defined again here")
                    .help("node ids must be unique in a scenario; rename one of them");
            }
            entry.1 += 1;
        }
        let index = index.into_iter().map(|(k, (i, _))| (k, i)).collect();
        // Stage numbers are 16-bit; the stage limit of the script keeps them exact, and a stage
        // past 16 bits is never numbered (a name that needs it is reported as missing).
        let mut stages = HashMap::new();
        for (i, st) in script.map(|s| s.stages.as_slice()).unwrap_or_default().iter().enumerate() {
            let Ok(number) = u16::try_from(i) else { break };
            stages.entry(st.id.as_str()).or_insert(number);
        }
        let names = Names { nodes, index, stages, script, node_ids: OnceCell::new(), stage_ids: OnceCell::new() };
        (names, duplicate)
    }

    /// The index of node `name`, or an error at `path` (built only when there is something to report).
    pub fn node(&self, r: &mut Reporter, name: &str, path: &dyn Fn() -> Vec<Seg>, what: &str) -> Option<u32> {
        let found = self.index.get(name).copied();
        if found.is_none() {
            if !r.accepts(Severity::Error) {
                r.count(Severity::Error);
                return None;
            }
            let node_ids = self.node_ids.get_or_init(|| self.nodes.iter().map(|(k, _)| k.as_str()).collect());
            let help = format!("nodes here: {}{}", join(node_ids), r.suggest(name, node_ids));
            r.error(&path(), format!("{what} names a node \"{name}\" that does not exist"))
                .label("no such node")
                .help(help);
        }
        found
    }

    /// The position of stage `name` in the script, or an error at `path`. Silent without a script
    /// (its absence is reported once, elsewhere).
    pub fn stage(&self, r: &mut Reporter, name: &str, path: &dyn Fn() -> Vec<Seg>, what: &str) -> Option<u16> {
        let s = self.script?;
        let found = self.stages.get(name).copied();
        if found.is_none() {
            if !r.accepts(Severity::Error) {
                r.count(Severity::Error);
                return None;
            }
            let stage_ids = self.stage_ids.get_or_init(|| s.stages.iter().map(|s| s.id.as_str()).collect());
            let help = format!("stages of \"{}\": {}{}", s.id, join(stage_ids), r.suggest(name, stage_ids));
            r.error(&path(), format!("{what} names a stage \"{name}\" that script \"{}\" lacks", s.id))
                .label("no such stage")
                .help(help);
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
        // Numbered as in `Names::new`: a node past 32 bits is beyond the node limit, already an error.
        let Ok(from) = u32::try_from(i) else { break };
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
                    variants: count(say.len()),
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
                Compiled::End { variants: count(say.len()), templated: templated(say) }
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

/// How many lines a node has, for drawing one: a file cannot hold 2³² of them (8 MiB at most), and
/// the count saturates rather than wraps if it ever could.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
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
