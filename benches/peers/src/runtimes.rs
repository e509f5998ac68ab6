//! Each runtime driven as its users would: load (text to a dialogue at its first choices), turn and restart.

use crate::graph::{self, Graph};
use callforge::domain::{Dialogue, Library, Mode, SourceFile};
use serde::Deserialize;
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;

/// The seed callforge's dialogue is started and restarted with. The generated lines have one
/// variant each and there are no `Random` nodes, so it draws nothing; it only has to be fixed.
pub const SEED: u64 = 42;

/// A dialogue being played turn by turn.
pub trait Stepper {
    /// Answers the current customer line with choice `k`, runs to the next line and its choices
    /// and reads them as a front end would. Returns true when the call has ended.
    fn step(&mut self, k: usize) -> bool;
    /// Starts the call again at `n0` after it ended, and reads the first line and choices.
    fn restart(&mut self);
    /// The node the customer speaks at now, for the walk check (not timed).
    fn node(&self) -> Option<u32>;
}

/// Every runtime's input, made once per graph size.
#[derive(Debug, Clone)]
pub struct Sources {
    pub script: String,
    pub scenario: String,
    pub ink_source: String,
    pub ink_json: String,
    pub yarn: String,
    pub replique: String,
}

impl Sources {
    pub fn new(g: &Graph) -> Sources {
        Sources {
            script: graph::callforge_script(),
            scenario: graph::callforge_scenario(g),
            ink_source: graph::ink_source(g),
            ink_json: graph::ink_json(g),
            yarn: graph::yarn(g),
            replique: graph::replique(g),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// callforge

/// Loads and validates the two files with callforge and starts a call, or says what is wrong.
pub fn callforge_load(script: String, scenario: String) -> Result<CallforgeWalk, String> {
    let lib = Library::from_sources(vec![
        SourceFile::new(graph::SCRIPT_PATH, script),
        SourceFile::new(graph::SCENARIO_PATH, scenario),
    ]);
    if lib.errors() > 0 {
        let first = lib.diagnostics.iter().find(|d| d.is_error()).map(ToString::to_string).unwrap_or_default();
        return Err(format!("callforge: {} errors, the first: {first}", lib.errors()));
    }
    let playable = lib.scenario("gen/g").ok_or("callforge: scenario gen/g is not playable")?;
    let dialogue = Dialogue::new(Arc::clone(playable), SEED, Mode::Practice, "Bench");
    Ok(CallforgeWalk { dialogue, warnings: lib.warnings(), read_text: true })
}

#[derive(Debug)]
pub struct CallforgeWalk {
    pub dialogue: Dialogue,
    /// Warnings the library reported (errors stop the load).
    pub warnings: usize,
    /// Read the customer line and the choices after each turn, as the terminal and the app do.
    pub read_text: bool,
}

impl CallforgeWalk {
    fn read(&self) {
        if self.read_text {
            black_box(self.dialogue.customer_line());
            for c in self.dialogue.choice_texts() {
                black_box(c);
            }
        }
    }
}

impl Stepper for CallforgeWalk {
    fn step(&mut self, k: usize) -> bool {
        self.dialogue.choose(k).expect("callforge: a valid choice");
        if self.dialogue.is_over() {
            return true;
        }
        self.read();
        false
    }

    fn restart(&mut self) {
        self.dialogue.restart(SEED);
        self.read();
    }

    fn node(&self) -> Option<u32> {
        if self.dialogue.is_over() {
            return None;
        }
        let id = self.dialogue.playable().node_id(self.dialogue.node());
        id.strip_prefix('n').and_then(|n| n.parse().ok())
    }
}

// ---------------------------------------------------------------------------------------------
// The bare baseline: serde + ron into plain structs, walked by string look-ups.

// Every field is parsed, as the real files are; the walk reads only a few of them.
#[allow(dead_code)]
pub mod bare {
    use super::*;

    #[derive(Debug, Deserialize)]
    pub enum Role {
        Generator,
        Closer,
        AccountManager,
    }

    #[derive(Debug, Deserialize)]
    pub struct Script {
        pub id: String,
        pub version: u32,
        pub role: Role,
        pub title: String,
        pub stages: Vec<Stage>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Stage {
        pub id: String,
        pub title: String,
        pub line: String,
        #[serde(default)]
        pub must_mention: Vec<String>,
        pub weight: u32,
    }

    #[derive(Debug, Deserialize)]
    pub struct Scenario {
        pub id: String,
        pub version: u32,
        pub title: String,
        pub role: Role,
        pub language: String,
        pub script: String,
        pub brief: String,
        pub persona: Persona,
        pub start: String,
        pub nodes: HashMap<String, Node>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Persona {
        pub name: String,
        pub position: String,
        pub company: String,
        pub patience: i32,
    }

    #[derive(Debug, Deserialize)]
    pub enum Outcome {
        Success,
        Failure,
    }

    #[derive(Debug, Deserialize)]
    pub enum Node {
        Line {
            say: Vec<String>,
            #[serde(default)]
            expect: Option<String>,
            choices: Vec<Choice>,
        },
        End {
            outcome: Outcome,
            label: String,
        },
    }

    #[derive(Debug, Deserialize)]
    pub struct Choice {
        pub text: String,
        #[serde(default)]
        pub stage: Option<String>,
        pub next: String,
    }

    /// Parses both files with serde and ron (with `implicit_some`, as callforge reads them).
    pub fn load(script: &str, scenario: &str) -> Result<(Script, Scenario), String> {
        let options = ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let script: Script = options.from_str(script).map_err(|e| format!("bare: {e}"))?;
        let scenario: Scenario = options.from_str(scenario).map_err(|e| format!("bare: {e}"))?;
        Ok((script, scenario))
    }

    /// A walk holding the current node's id and looking every node up by it.
    #[derive(Debug)]
    pub struct Walk<'a> {
        pub scenario: &'a Scenario,
        pub at: String,
        /// Read the customer line and the choice texts after each turn.
        pub read_text: bool,
    }

    impl<'a> Walk<'a> {
        pub fn new(scenario: &'a Scenario) -> Walk<'a> {
            Walk { scenario, at: scenario.start.clone(), read_text: true }
        }

        fn read(&self, node: &Node) {
            if !self.read_text {
                return;
            }
            if let Node::Line { say, choices, .. } = node {
                black_box(say[0].as_str());
                for c in choices {
                    black_box(c.text.as_str());
                }
            }
        }
    }

    impl Stepper for Walk<'_> {
        fn step(&mut self, k: usize) -> bool {
            let Node::Line { choices, .. } = &self.scenario.nodes[&self.at] else { return true };
            let next = &choices[k].next;
            let node = &self.scenario.nodes[next];
            if matches!(node, Node::End { .. }) {
                return true;
            }
            self.read(node);
            self.at.clone_from(next);
            false
        }

        fn restart(&mut self) {
            self.at.clone_from(&self.scenario.start);
            self.read(&self.scenario.nodes[&self.at]);
        }

        fn node(&self) -> Option<u32> {
            self.at.strip_prefix('n').and_then(|n| n.parse().ok())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// bladeink: the compiled ink JSON, played with sticky choices; `reset_state` restarts.

pub struct InkWalk {
    story: bladeink::story::Story,
    line: String,
    choices: Vec<std::rc::Rc<bladeink::choice::Choice>>,
}

impl std::fmt::Debug for InkWalk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InkWalk").field("line", &self.line).finish_non_exhaustive()
    }
}

/// Compiles ink source with bladeink's companion compiler, as an asset pipeline does ahead of time.
pub fn ink_compile(source: &str) -> Result<String, String> {
    bladeink_compiler::Compiler::new().compile(source).map_err(|e| format!("bladeink-compiler: {e}"))
}

pub fn ink_load(json: &str) -> Result<InkWalk, String> {
    let story = bladeink::story::Story::new_with_seed(json, SEED as i32).map_err(|e| format!("bladeink: {e}"))?;
    let mut walk = InkWalk { story, line: String::new(), choices: Vec::new() };
    walk.advance();
    if walk.choices.is_empty() {
        return Err(format!("bladeink: no choices at the start (line {:?})", walk.line));
    }
    Ok(walk)
}

impl InkWalk {
    /// Continues to the next choice point, keeping the last line; true when the story ended.
    fn advance(&mut self) -> bool {
        while self.story.can_continue() {
            let text = self.story.cont().expect("bladeink: continue");
            if !text.trim().is_empty() {
                self.line = text;
            }
        }
        self.choices = self.story.get_current_choices();
        for c in &self.choices {
            black_box(c.text.as_str());
        }
        self.choices.is_empty()
    }
}

impl Stepper for InkWalk {
    fn step(&mut self, k: usize) -> bool {
        self.story.choose_choice_index(k).expect("bladeink: a valid choice");
        self.advance()
    }

    fn restart(&mut self) {
        self.story.reset_state().expect("bladeink: reset");
        self.advance();
    }

    fn node(&self) -> Option<u32> {
        if self.choices.is_empty() { None } else { graph::node_in(&self.line) }
    }
}

// ---------------------------------------------------------------------------------------------
// Yarn Spinner: compiled from source at load; `set_node` restarts.

pub struct YarnWalk {
    dialogue: yarnspinner::runtime::Dialogue,
    line: String,
    options: Vec<yarnspinner::runtime::DialogueOption>,
    over: bool,
}

impl std::fmt::Debug for YarnWalk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YarnWalk").field("line", &self.line).finish_non_exhaustive()
    }
}

pub fn yarn_load(source: String) -> Result<YarnWalk, String> {
    use yarnspinner::compiler::{Compiler, File};
    use yarnspinner::runtime::{Dialogue, MemoryVariableStorage, StringTableTextProvider};
    let compilation = Compiler::new()
        .add_file(File { file_name: "g.yarn".to_owned(), source })
        .compile()
        .map_err(|e| format!("yarnspinner: {e}"))?;
    let mut text = StringTableTextProvider::new();
    text.extend_base_language(compilation.string_table.into_iter().map(|(id, info)| (id, info.text)));
    let mut dialogue = Dialogue::new(Box::new(MemoryVariableStorage::new()), Box::new(text));
    dialogue.add_program(compilation.program.ok_or("yarnspinner: no program")?);
    dialogue.set_node("n0").map_err(|e| format!("yarnspinner: {e}"))?;
    let mut walk = YarnWalk { dialogue, line: String::new(), options: Vec::new(), over: false };
    walk.advance();
    if walk.over {
        return Err("yarnspinner: the dialogue ended at the start".to_owned());
    }
    Ok(walk)
}

impl YarnWalk {
    /// Back to the start from anywhere, even while options wait for a selection.
    pub fn reset(&mut self) {
        self.dialogue.stop();
        self.restart();
    }

    fn advance(&mut self) -> bool {
        use yarnspinner::runtime::DialogueEvent;
        loop {
            for event in self.dialogue.continue_().expect("yarnspinner: continue") {
                match event {
                    DialogueEvent::Line(line) => self.line = line.text,
                    DialogueEvent::Options(options) => {
                        for o in &options {
                            black_box(o.line.text.as_str());
                        }
                        self.options = options;
                        self.over = false;
                        return false;
                    }
                    DialogueEvent::DialogueComplete => {
                        self.over = true;
                        return true;
                    }
                    _ => {}
                }
            }
        }
    }
}

impl Stepper for YarnWalk {
    fn step(&mut self, k: usize) -> bool {
        let id = self.options[k].id;
        self.dialogue.set_selected_option(id).expect("yarnspinner: a valid option");
        self.advance()
    }

    fn restart(&mut self) {
        self.dialogue.set_node("n0").expect("yarnspinner: set_node");
        self.advance();
    }

    fn node(&self) -> Option<u32> {
        if self.over { None } else { graph::node_in(&self.line) }
    }
}

// ---------------------------------------------------------------------------------------------
// Replique: parsed and compiled at load; `start` takes the dialogue by value, so a restart
// starts a clone of the compiled dialogue.

pub struct RepliqueWalk {
    dialogue: replique::dialogue::Dialogue,
    vm: replique::vm::DialogueVm,
    line: String,
    choices: Vec<replique::vm::Choice>,
    over: bool,
}

impl std::fmt::Debug for RepliqueWalk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepliqueWalk").field("line", &self.line).finish_non_exhaustive()
    }
}

pub fn replique_load(source: String) -> Result<RepliqueWalk, String> {
    let file = replique::RepliqueFile::from_source(source);
    if file.has_errors() {
        return Err(format!("replique: {}", file.render_diagnostics_short(replique::parser::diagnostic::Color::Never)));
    }
    let dialogue = file.dialogue.ok_or("replique: no dialogue")?;
    let mut vm = replique::vm::DialogueVm::default();
    let first = vm.start(dialogue.clone(), "n0").map_err(|e| format!("replique: {e}"))?;
    let mut walk = RepliqueWalk { dialogue, vm, line: String::new(), choices: Vec::new(), over: false };
    walk.advance(first);
    if walk.over {
        return Err("replique: the dialogue ended at the start".to_owned());
    }
    Ok(walk)
}

impl RepliqueWalk {
    /// Another walk of the same compiled dialogue, at the start.
    pub fn fresh(&self) -> RepliqueWalk {
        let mut vm = replique::vm::DialogueVm::default();
        let first = vm.start(self.dialogue.clone(), "n0").expect("replique: start");
        let mut walk =
            RepliqueWalk { dialogue: self.dialogue.clone(), vm, line: String::new(), choices: Vec::new(), over: false };
        walk.advance(first);
        walk
    }

    fn advance(&mut self, mut event: replique::vm::DialogueEvent) -> bool {
        use replique::vm::{DialogueEvent, ResumeEvent};
        loop {
            event = match event {
                DialogueEvent::Say { text, .. } => {
                    self.line = text;
                    self.vm.resume(ResumeEvent::Advance).expect("replique: advance")
                }
                DialogueEvent::Choices { choices } => {
                    for c in &choices {
                        black_box(c.text.as_str());
                    }
                    self.choices = choices;
                    self.over = false;
                    return false;
                }
                DialogueEvent::Finished => {
                    self.over = true;
                    return true;
                }
                DialogueEvent::Command { .. } => self.vm.resume(ResumeEvent::Advance).expect("replique: advance"),
            }
        }
    }
}

impl Stepper for RepliqueWalk {
    fn step(&mut self, k: usize) -> bool {
        let event = self.vm.resume(replique::vm::ResumeEvent::Select(k)).expect("replique: a valid choice");
        self.advance(event)
    }

    fn restart(&mut self) {
        let event = self.vm.start(self.dialogue.clone(), "n0").expect("replique: start");
        self.advance(event);
    }

    fn node(&self) -> Option<u32> {
        if self.over { None } else { graph::node_in(&self.line) }
    }
}
