//! Static checks of scripts, scenarios and the ladder, and compiling a valid scenario for play.
//! Every check reports into the file at the exact value it is about, and all checks run, so one
//! pass finds every problem.

use super::library::ScriptEntry;
use super::model::{Ladder, Mode, Node, Role, Scenario, Script};
use super::parse::suggest;
use super::playable::{Compiled, CompiledChoice, Playable};
use super::source::{Diagnostic, Severity, SourceFile};
use super::syntax::{self, Seg, Value};
use super::text::{mentions, normalise, words};
use sha2::{Digest, Sha256};
use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Collects diagnostics for one file, locating each by its path in the file's span tree.
#[derive(Debug)]
pub(crate) struct Reporter<'a> {
    source: &'a Arc<SourceFile>,
    tree: OnceCell<Option<Value>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub fn new(source: &'a Arc<SourceFile>) -> Self {
        Self { source, tree: OnceCell::new(), diagnostics: Vec::new() }
    }

    pub fn path(&self) -> &str {
        &self.source.path
    }

    fn span_of(&self, path: &[Seg]) -> std::ops::Range<usize> {
        let tree = self.tree.get_or_init(|| {
            let text = &self.source.text;
            let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
            syntax::parse(&text[bom..]).ok().map(|mut v| {
                shift(&mut v, bom);
                v
            })
        });
        match tree {
            Some(t) => t.locate(path).0,
            None => 0..0,
        }
    }

    pub fn report(&mut self, severity: Severity, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        let span = self.span_of(path);
        self.diagnostics.push(Diagnostic::at(severity, self.source, span, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    pub fn error(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        self.report(Severity::Error, path, message)
    }

    pub fn warning(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        self.report(Severity::Warning, path, message)
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

fn shift(v: &mut Value, by: usize) {
    if by == 0 {
        return;
    }
    v.span = (v.span.start + by)..(v.span.end + by);
    match &mut v.kind {
        syntax::Kind::Struct { fields, .. } => fields.iter_mut().for_each(|f| {
            f.name_span = (f.name_span.start + by)..(f.name_span.end + by);
            shift(&mut f.value, by);
        }),
        syntax::Kind::Tuple { items, .. } | syntax::Kind::List(items) => items.iter_mut().for_each(|i| shift(i, by)),
        syntax::Kind::Map(entries) => entries.iter_mut().for_each(|(k, val)| {
            shift(k, by);
            shift(val, by);
        }),
        syntax::Kind::Str(_) | syntax::Kind::Atom(_) => {}
    }
}

trait DiagnosticExt {
    fn label(&mut self, l: impl Into<String>) -> &mut Self;
    fn help(&mut self, h: impl Into<String>) -> &mut Self;
}

impl DiagnosticExt for Diagnostic {
    fn label(&mut self, l: impl Into<String>) -> &mut Self {
        self.label = Some(l.into());
        self
    }
    fn help(&mut self, h: impl Into<String>) -> &mut Self {
        self.help = Some(h.into());
        self
    }
}

fn f(name: &'static str) -> Seg {
    Seg::Field(name)
}

/// Checks a script on its own.
pub(crate) fn check_script(script: &Script, r: &mut Reporter) {
    if script.id.trim().is_empty() {
        r.error(&[f("id")], "the script id is empty").help("give the script an id, like \"generator-cold-call\"");
    }
    if !(script.min_similarity > 0.0 && script.min_similarity <= 1.0) {
        r.error(
            &[f("min_similarity")],
            format!("min_similarity must be above 0 and at most 1, not {}", script.min_similarity),
        )
        .help("0.6 means a recalled line must share 60% of its words, in order, with the script line");
    }
    if script.stages.is_empty() {
        r.error(&[f("stages")], "the script has no stages")
            .help("add at least one `Stage(id: …, title: …, line: …, weight: …)`");
    }
    if !script.stages.is_empty() && script.stages.iter().all(|s| s.weight == 0) {
        r.error(&[f("stages")], "every stage weighs 0, so no call could ever score")
            .help("give the stages weights, for example adding up to 100");
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, stage) in script.stages.iter().enumerate() {
        let at = |field| [f("stages"), Seg::Index(i), f(field)];
        if stage.id.trim().is_empty() {
            r.error(&at("id"), "the stage id is empty");
        } else if let Some(first) = seen.insert(&stage.id, i) {
            seen.insert(&script.stages[first].id, first);
            r.error(&at("id"), format!("duplicate stage id \"{}\"", stage.id))
                .label("already used")
                .help(format!("stage {} of this script already has this id; stage ids must be unique", first + 1));
        }
        if normalise(&stage.line).is_empty() {
            r.error(&at("line"), "the stage line is empty").help("write the exact line the trainee must say");
        }
        if stage.weight == 0 {
            r.warning(&at("weight"), "this stage weighs 0: it never counts toward the score");
        }
        let line = normalise(&stage.line);
        for (j, phrase) in stage.must_mention.iter().enumerate() {
            let path = [f("stages"), Seg::Index(i), f("must_mention"), Seg::Index(j)];
            if normalise(phrase).is_empty() {
                r.error(&path, "this must_mention phrase has no words");
            } else if !mentions(&line, phrase) {
                r.warning(&path, format!("the stage line itself does not mention \"{phrase}\""))
                    .label("not in the line")
                    .help("a word-perfect recall of the line would be capped at q = 0.5; put the phrase in the line or fix its spelling");
            }
        }
    }
    for (i, forbidden) in script.forbidden.iter().enumerate() {
        let path = [f("forbidden"), Seg::Index(i), f("phrase")];
        let phrase = words(&forbidden.phrase);
        if phrase.is_empty() {
            r.error(&path, "this forbidden phrase has no words");
            continue;
        }
        for stage in &script.stages {
            if super::text::count_phrase(&words(&stage.line), &phrase) > 0 {
                r.warning(&path, format!("the line of stage \"{}\" contains this forbidden phrase", stage.id))
                    .help("saying the script word for word would cost a penalty; change the line or the phrase");
            }
        }
    }
}

/// Checks a scenario against the scripts and compiles it when it has no errors.
pub(crate) fn check_scenario(
    scenario: Scenario,
    source: &Arc<SourceFile>,
    scripts: &BTreeMap<String, ScriptEntry>,
    r: &mut Reporter,
) -> Option<Playable> {
    if scenario.id.trim().is_empty() {
        r.error(&[f("id")], "the scenario id is empty")
            .help("use \"<role folder>/<file name>\", like \"generator/busy-office-manager\"");
    } else if let Some(stem) =
        std::path::Path::new(&r.path().to_owned()).file_stem().and_then(|s| s.to_str()).map(str::to_owned)
        && scenario.id.rsplit('/').next() != Some(stem.as_str())
    {
        r.warning(&[f("id")], format!("the id \"{}\" does not match the file name \"{stem}\"", scenario.id))
            .help(format!("authors find scenarios by file name; consider id \"{}/{stem}\"", scenario.role_dir()));
    }
    if scenario.pass_mark > 100 {
        r.error(&[f("pass_mark")], format!("pass_mark is {}, but scores go from 0 to 100", scenario.pass_mark));
    }
    if scenario.persona.patience < 1 {
        r.error(&[f("persona"), f("patience")], "patience must be at least 1")
            .help("patience is how many bad answers the customer takes before hanging up");
    }
    if scenario.language.trim().is_empty() {
        r.error(&[f("language")], "the language is empty").help("write \"en\" or \"ru\"");
    }

    let mut script_source = None;
    let script = match scripts.get(&scenario.script) {
        Some(ScriptEntry { script, ok, source }) => {
            script_source = Some(Arc::clone(source));
            if !ok {
                r.error(&[f("script")], format!("script \"{}\" has errors", scenario.script))
                    .help("fix the script first; `callforge validate` lists its problems");
            }
            if script.role != scenario.role {
                r.error(
                    &[f("role")],
                    format!(
                        "the scenario is for {}, but script \"{}\" is for {}",
                        scenario.role, script.id, script.role
                    ),
                );
            }
            if let Some(lang) = &script.language
                && lang != &scenario.language
            {
                r.warning(
                    &[f("language")],
                    format!("the scenario is in \"{}\" but its script is in \"{lang}\"", scenario.language),
                );
            }
            Some(Arc::clone(script))
        }
        None => {
            let ids: Vec<&String> = scripts.keys().collect();
            r.error(&[f("script")], format!("there is no script \"{}\"", scenario.script))
                .label("unknown script")
                .help(format!("known scripts: {}{}", join(&ids), suggest(&scenario.script, &ids)));
            None
        }
    };

    // Node ids: the first index of each, and how many times it is defined.
    let nodes = &scenario.nodes.0;
    if nodes.is_empty() {
        r.error(&[f("nodes")], "the scenario has no nodes");
    }
    let mut index: HashMap<&str, (u32, usize)> = HashMap::with_capacity(nodes.len());
    let mut duplicate = vec![false; nodes.len()];
    for (i, (id, _)) in nodes.iter().enumerate() {
        let entry = index.entry(id).or_insert((i as u32, 0));
        if entry.1 > 0 {
            duplicate[i] = true;
            r.error(&[f("nodes"), Seg::KeyName(id.clone(), entry.1)], format!("duplicate node id \"{id}\""))
                .label("defined again here")
                .help("node ids must be unique in a scenario; rename one of them");
        }
        entry.1 += 1;
    }
    // Paths into the file are built only when there is something to report.
    let resolve = |r: &mut Reporter, name: &str, path: &dyn Fn() -> Vec<Seg>, what: &str| -> Option<u32> {
        let found = index.get(name).map(|(i, _)| *i);
        if found.is_none() {
            let node_ids: Vec<&str> = nodes.iter().map(|(k, _)| k.as_str()).collect();
            r.error(&path(), format!("{what} names a node \"{name}\" that does not exist"))
                .label("no such node")
                .help(format!("nodes here: {}{}", join(&node_ids), suggest(name, &node_ids)));
        }
        found
    };
    let start = resolve(r, &scenario.start, &|| vec![f("start")], "`start`");
    let on_patience_out = scenario
        .on_patience_out
        .as_ref()
        .and_then(|name| resolve(r, name, &|| vec![f("on_patience_out")], "`on_patience_out`").map(Some))
        .unwrap_or(None);

    let stage_of = |r: &mut Reporter, name: &str, path: &dyn Fn() -> Vec<Seg>, what: &str| -> Option<u16> {
        let s = script.as_ref()?;
        let found = s.stages.iter().position(|st| st.id == name).map(|p| p as u16);
        if found.is_none() {
            let stage_ids: Vec<&str> = s.stages.iter().map(|s| s.id.as_str()).collect();
            r.error(&path(), format!("{what} names a stage \"{name}\" that script \"{}\" lacks", s.id))
                .label("no such stage")
                .help(format!("stages of \"{}\": {}{}", s.id, join(&stage_ids), suggest(name, &stage_ids)));
        }
        found
    };

    let mut graph = Vec::with_capacity(nodes.len());
    let mut any_negative_patience = false;
    // For the graph checks: resolved exits as (from, to) pairs, and whether a node ends the call
    // or has an exit that names a missing node (already an error; it is not also called a trap).
    let mut edges: Vec<(u32, u32)> = Vec::with_capacity(nodes.len() * 3);
    let mut terminal = vec![false; nodes.len()];
    for (i, (id, node)) in nodes.iter().enumerate() {
        let at = |field: &'static str| vec![f("nodes"), Seg::Key(id.clone()), f(field)];
        let from = i as u32;
        let compiled = match node {
            Node::Line { say, expect, choices, audio } => {
                check_say(r, say, &|| at("say"), true);
                check_audio(r, audio, say.len(), &|| at("audio"));
                if choices.is_empty() {
                    r.error(&at("choices"), "this line has no choices")
                        .help("add at least one `Choice(text: …, next: …)`");
                    terminal[i] = true;
                }
                let expect_idx = expect.as_ref().and_then(|e| stage_of(r, e, &|| at("expect"), "`expect`"));
                let mut compiled_choices = Vec::with_capacity(choices.len());
                for (j, c) in choices.iter().enumerate() {
                    let cpath = |field| {
                        let mut p = at("choices");
                        p.extend([Seg::Index(j), f(field)]);
                        p
                    };
                    if !has_words(&c.text) {
                        r.error(&cpath("text"), "the choice text is empty");
                    }
                    let stage = c.stage.as_ref().and_then(|s| stage_of(r, s, &|| cpath("stage"), "`stage`"));
                    let next = resolve(r, &c.next, &|| cpath("next"), "`next`");
                    match next {
                        Some(nx) => edges.push((from, nx)),
                        None => terminal[i] = true,
                    }
                    if c.patience < 0 {
                        match on_patience_out {
                            Some(out) => edges.push((from, out)),
                            None => terminal[i] = true,
                        }
                    }
                    any_negative_patience |= c.patience < 0;
                    compiled_choices.push(CompiledChoice {
                        next: next.unwrap_or(0),
                        stage,
                        patience: c.patience,
                        templated: c.text.contains("{trainee}"),
                    });
                }
                if let (Some(e), Some(_)) = (expect, expect_idx) {
                    let right = choices.iter().filter(|c| c.stage.as_deref() == Some(e.as_str())).count();
                    if right == 0 && !choices.is_empty() {
                        r.warning(&at("expect"), format!("no choice here is the \"{e}\" stage")).help(
                            "a trainee cannot answer by the script here; add a choice with `stage: Some(\"…\")` and the script line",
                        );
                    } else if right == choices.len() && !choices.is_empty() {
                        r.warning(&at("choices"), format!("every choice here is the \"{e}\" stage")).help(
                            "in Recall mode a miss follows the first choice of another stage; add a wrong choice for it to follow",
                        );
                    }
                }
                Compiled::Line {
                    expect: expect_idx,
                    choices: compiled_choices.into_boxed_slice(),
                    variants: say.len() as u32,
                    templated: templated(say),
                }
            }
            Node::Random { branches } => {
                if branches.is_empty() {
                    r.error(&at("branches"), "this random node has no branches");
                    terminal[i] = true;
                }
                let total: u64 = branches.iter().map(|b| u64::from(b.weight)).sum();
                if total == 0 && !branches.is_empty() {
                    r.error(&at("branches"), "the branch weights add up to zero, so no branch can be drawn")
                        .help("give at least one branch a positive weight");
                    terminal[i] = true;
                }
                let mut cumulative = Vec::with_capacity(branches.len());
                let mut next = Vec::with_capacity(branches.len());
                let mut acc = 0u64;
                for (j, b) in branches.iter().enumerate() {
                    acc += u64::from(b.weight);
                    cumulative.push(acc);
                    let path = || {
                        let mut p = at("branches");
                        p.extend([Seg::Index(j), f("next")]);
                        p
                    };
                    let target = resolve(r, &b.next, &path, "`next`");
                    match target {
                        Some(nx) if b.weight > 0 => edges.push((from, nx)),
                        Some(_) => {}
                        None => terminal[i] = true,
                    }
                    next.push(target.unwrap_or(0));
                }
                Compiled::Random { cumulative: cumulative.into_boxed_slice(), next: next.into_boxed_slice() }
            }
            Node::End { label, say, audio, .. } => {
                check_say(r, say, &|| at("say"), false);
                check_audio(r, audio, say.len(), &|| at("audio"));
                if label.trim().is_empty() {
                    r.error(&at("label"), "the ending has no label").help("say what happened, like \"Meeting booked\"");
                }
                terminal[i] = true;
                Compiled::End { variants: say.len() as u32, templated: templated(say) }
            }
        };
        if duplicate[i] {
            // Reported above; it takes no part in the graph.
            terminal[i] = true;
            edges.retain(|(f, _)| *f != from);
        }
        graph.push(compiled);
    }
    if any_negative_patience && scenario.on_patience_out.is_none() {
        r.warning(&[f("persona"), f("patience")], "choices lower the patience but there is no `on_patience_out`").help(
            "when patience runs out the call simply ends as a failure; add `on_patience_out: \"…\"` to play a goodbye",
        );
    }

    check_graph(&scenario, &edges, &terminal, start, r);
    let (Some(script), Some(start), Some(script_source)) = (script, start, script_source) else { return None };
    if r.has_errors() {
        return None;
    }
    Some(Playable {
        hash: std::sync::OnceLock::new(),
        path: r.path().to_owned(),
        scenario,
        script,
        scenario_source: Arc::clone(source),
        script_source,
        graph,
        start,
        on_patience_out,
    })
}

/// Which of the lines name the trainee.
fn templated(say: &[String]) -> Box<[bool]> {
    say.iter().map(|s| s.contains("{trainee}")).collect()
}

/// Whether a text has any word at all (a letter or digit).
fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

fn check_say(r: &mut Reporter, say: &[String], path: &dyn Fn() -> Vec<Seg>, required: bool) {
    if say.is_empty() && required {
        r.error(&path(), "`say` is empty: the customer has nothing to say here")
            .help("add at least one line, like say: [\"Hello?\"]");
    }
    for (i, line) in say.iter().enumerate() {
        if line.trim().is_empty() {
            let mut p = path();
            p.push(Seg::Index(i));
            r.error(&p, "this customer line is empty");
        }
    }
}

fn check_audio(r: &mut Reporter, audio: &[String], say: usize, path: &dyn Fn() -> Vec<Seg>) {
    if !audio.is_empty() && audio.len() != say {
        r.error(&path(), format!("{} voice clips for {say} lines", audio.len()))
            .help("give one clip per entry of `say`, in the same order, or leave `audio` out");
    }
}

/// Unreachable nodes (a warning) and traps: nodes from which no `End` can be reached (an error).
/// `edges` are (from, to) pairs; they are laid out flat, forwards and backwards, in one pass each.
fn check_graph(scenario: &Scenario, edges: &[(u32, u32)], terminal: &[bool], start: Option<u32>, r: &mut Reporter) {
    let n = terminal.len();
    let flat = |key: fn(&(u32, u32)) -> (u32, u32)| -> (Vec<usize>, Vec<u32>) {
        let mut offsets = vec![0usize; n + 1];
        for e in edges {
            offsets[key(e).0 as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; edges.len()];
        for e in edges {
            let (from, to) = key(e);
            targets[fill[from as usize]] = to;
            fill[from as usize] += 1;
        }
        (offsets, targets)
    };
    let walk = |seen: &mut Vec<bool>, mut stack: Vec<u32>, (offsets, targets): &(Vec<usize>, Vec<u32>)| {
        while let Some(v) = stack.pop() {
            if !std::mem::replace(&mut seen[v as usize], true) {
                let out = &targets[offsets[v as usize]..offsets[v as usize + 1]];
                stack.extend(out.iter().copied().filter(|w| !seen[*w as usize]));
            }
        }
    };
    let forward = flat(|&(a, b)| (a, b));
    let backward = flat(|&(a, b)| (b, a));
    let mut reachable = vec![start.is_none(); n];
    walk(&mut reachable, start.into_iter().collect(), &forward);
    let mut ends = vec![false; n];
    walk(&mut ends, (0..n as u32).filter(|&i| terminal[i as usize]).collect(), &backward);
    for (i, (id, _)) in scenario.nodes.0.iter().enumerate() {
        if !ends[i] {
            r.error(
                &[f("nodes"), Seg::KeyName(id.clone(), 0)],
                format!("node \"{id}\" is a trap: no `End` can be reached from it"),
            )
            .label("every path from here loops forever")
            .help("give it, or a node after it, a way to an `End`");
        } else if !reachable[i] {
            r.warning(
                &[f("nodes"), Seg::KeyName(id.clone(), 0)],
                format!("node \"{id}\" can never be reached from `start`"),
            )
            .label("unreachable")
            .help("point a `next` at it, or remove it");
        }
    }
}

/// SHA-256 over the scenario and its script as parsed, so that reformatting a file or editing a
/// comment keeps recorded runs valid while any change of content does not.
pub fn content_hash(scenario: &Scenario, script: &Script) -> String {
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(scenario).unwrap_or_default());
    h.update([0u8]);
    h.update(serde_json::to_vec(script).unwrap_or_default());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks the ladder against the scenarios that exist.
pub(crate) fn check_ladder(ladder: &Ladder, scenarios: &BTreeMap<String, Role>, r: &mut Reporter) {
    if ladder.rungs.is_empty() {
        r.error(&[f("rungs")], "the ladder has no rungs");
    }
    let mut last: Option<Role> = None;
    let ids: Vec<&String> = scenarios.keys().collect();
    for (i, rung) in ladder.rungs.iter().enumerate() {
        let at = |field| [f("rungs"), Seg::Index(i), f(field)];
        if let Some(prev) = last
            && rung.role <= prev
        {
            r.error(&at("role"), format!("{} cannot come after {}", rung.role, prev))
                .help("rungs go up in order: Generator, Closer, AccountManager, each once");
        }
        last = Some(rung.role);
        let Some(exam) = &rung.exam else {
            if i > 0 {
                r.warning(&at("role"), format!("reaching {} needs no exam", rung.role));
            }
            continue;
        };
        if i == 0 {
            r.warning(&at("exam"), "the first rung has an exam, but nobody is promoted into it");
        }
        let exam_at = |field| [f("rungs"), Seg::Index(i), f("exam"), f(field)];
        if exam.mode == Mode::Practice {
            r.error(&exam_at("mode"), "an exam cannot be in Practice mode: it would show the script")
                .help("use Exam (choices, no hints) or Recall (typed from memory)");
        }
        if exam.min_score > 100 {
            r.error(&exam_at("min_score"), format!("min_score is {}, but scores go from 0 to 100", exam.min_score));
        }
        if exam.scenarios.is_empty() {
            r.error(&exam_at("scenarios"), "the exam has no scenarios");
        }
        for (j, id) in exam.scenarios.iter().enumerate() {
            let path = [f("rungs"), Seg::Index(i), f("exam"), f("scenarios"), Seg::Index(j)];
            match scenarios.get(id) {
                None => {
                    r.error(&path, format!("there is no valid scenario \"{id}\""))
                        .label("unknown or broken scenario")
                        .help(format!("scenarios: {}{}", join(&ids), suggest(id, &ids)));
                }
                Some(role) if *role != rung.role => {
                    r.error(&path, format!("\"{id}\" is a {role} scenario, but this exam is for {}", rung.role));
                }
                Some(_) => {}
            }
        }
    }
}

fn join<S: AsRef<str>>(items: &[S]) -> String {
    const MAX: usize = 12;
    let mut s = items.iter().take(MAX).map(|i| i.as_ref().to_owned()).collect::<Vec<_>>().join(", ");
    if items.len() > MAX {
        s.push_str(&format!(", … ({} in all)", items.len()));
    }
    if s.is_empty() { "(none)".to_owned() } else { s }
}

impl Scenario {
    /// The folder this scenario's role keeps its files in.
    pub fn role_dir(&self) -> &'static str {
        self.role.dir()
    }
}
