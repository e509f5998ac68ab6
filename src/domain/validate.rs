//! Static checks of scripts, scenarios and the ladder. Every check reports into the file at the exact
//! value it is about, and all checks run, so one pass finds every problem.

use super::compile::{self, Graph, Names, join};
use super::ladder;
use super::library::Library;
use super::limits::{MAX_CHOICES, MAX_FORBIDDEN, MAX_NODES, MAX_PATIENCE, MAX_PENALTY, MAX_STAGES};
use super::model::{Calibration, Choice, Exam, Ladder, Mode, Node, Role, Rung, Scenario, Script, Stage};
use super::playable::Playable;
use super::reporter::{DiagnosticExt, Reporter, field};
use super::source::{Severity, SourceFile, is_invisible};
use super::syntax::Seg;
use super::text::{mentions, normalise, words};
use super::text_v2;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use unicode_normalization::UnicodeNormalization;

/// An error when a list is longer than its limit.
fn check_limit(r: &mut Reporter, path: &[Seg], what: &str, count: usize, limit: usize, help: &str) {
    if count > limit {
        r.error(path, format!("{count} {what}, but the most allowed is {limit}")).help(help);
    }
}

/// Checks a script on its own.
pub(crate) fn check_script(script: &Script, r: &mut Reporter) {
    if script.id.trim().is_empty() {
        r.error(&[field("id")], "the script id is empty").help("give the script an id, like \"generator-cold-call\"");
    }
    if script.title.trim().is_empty() {
        r.error(&[field("title")], "the script has no title")
            .help("name the call it prescribes, like \"Cold call: book a meeting\"");
    }
    check_limit(
        r,
        &[field("stages")],
        "stages",
        script.stages.len(),
        MAX_STAGES,
        "split the call into several scripts",
    );
    check_limit(
        r,
        &[field("forbidden")],
        "forbidden phrases",
        script.forbidden.len(),
        MAX_FORBIDDEN,
        "keep the phrases a trainer would really charge for",
    );
    if !(script.min_similarity > 0.0 && script.min_similarity <= 1.0) {
        r.error(
            &[field("min_similarity")],
            format!("min_similarity must be above 0 and at most 1, not {}", script.min_similarity),
        )
        .help("0.6 means a recalled line must share 60% of its words, in order, with the script line");
    }
    if script.stages.is_empty() {
        r.error(&[field("stages")], "the script has no stages")
            .help("add at least one `Stage(id: …, title: …, line: …, weight: …)`");
    }
    if !script.stages.is_empty() && script.stages.iter().all(|s| s.weight == 0) {
        r.error(&[field("stages")], "every stage weighs 0, so no call could ever score")
            .help("give the stages weights, for example adding up to 100");
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, stage) in script.stages.iter().enumerate() {
        let at = |name| [field("stages"), Seg::Index(i), field(name)];
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
        check_hygiene(r, &at("line"), &stage.line);
        if stage.weight == 0 {
            r.warning(&at("weight"), "this stage weighs 0: it never counts toward the score");
        }
        check_variants(stage, &|name| vec![field("stages"), Seg::Index(i), field(name)], r);
        let line = normalise(&stage.line);
        for (j, phrase) in stage.must_mention.iter().enumerate() {
            let path = [field("stages"), Seg::Index(i), field("must_mention"), Seg::Index(j)];
            check_hygiene(r, &path, phrase);
            if normalise(phrase).is_empty() {
                r.error(&path, "this must_mention phrase has no words");
            } else if !mentions(&line, phrase) {
                r.warning(&path, format!("the stage line itself does not mention \"{phrase}\""))
                    .label("not in the line")
                    .help("a word-perfect recall of the line would be capped at q = 0.5; put the phrase in the line or fix its spelling");
            }
        }
    }
    let stage_words: Vec<Vec<String>> = script.stages.iter().map(|s| words(&s.line)).collect();
    for (i, forbidden) in script.forbidden.iter().enumerate() {
        let path = [field("forbidden"), Seg::Index(i), field("phrase")];
        check_hygiene(r, &path, &forbidden.phrase);
        check_penalty(r, &[field("forbidden"), Seg::Index(i), field("penalty")], forbidden.penalty);
        let phrase = words(&forbidden.phrase);
        if phrase.is_empty() {
            r.error(&path, "this forbidden phrase has no words");
            continue;
        }
        for (stage, line) in script.stages.iter().zip(&stage_words) {
            if super::text::count_phrase(line, &phrase) > 0 {
                r.warning(&path, format!("the line of stage \"{}\" contains this forbidden phrase", stage.id))
                    .help("saying the script word for word would cost a penalty; change the line or the phrase");
            }
        }
    }
}

/// A script that parsed, with whether it passed its checks.
#[derive(Debug, Clone)]
pub struct ScriptEntry {
    pub script: Arc<Script>,
    /// The script has no errors.
    pub ok: bool,
    pub source: Arc<SourceFile>,
}

/// A stage's accepted variants: each has words, and each mentions what the stage must mention (else a
/// word-perfect variant would be capped).
fn check_variants(stage: &Stage, at: &dyn Fn(&'static str) -> Vec<Seg>, r: &mut Reporter) {
    for (k, variant) in stage.variants.iter().enumerate() {
        let mut path = at("variants");
        path.push(Seg::Index(k));
        check_hygiene(r, &path, variant);
        if !has_words(variant) {
            r.error(&path, "this variant has no words").help("write another line the trainer accepts in full");
            continue;
        }
        let said = text_v2::prepare(variant);
        let missing: Vec<&str> =
            stage.must_mention.iter().filter(|m| !text_v2::mentions(&said, m)).map(String::as_str).collect();
        if !missing.is_empty() {
            r.warning(&path, format!("this variant does not mention {}", quote_list(&missing)))
                .label("must_mention missing")
                .help("a word-perfect recall of the variant would be capped at q = 0.5; add the phrase to the variant");
        }
    }
}

/// Warns about what a reader cannot see in a text the trainee's words are compared with: invisible
/// characters, and letters not in Unicode NFC (a letter and a combining accent where the composed
/// letter is usual). Each warning points at the first such character.
fn check_hygiene(r: &mut Reporter, path: &[Seg], text: &str) {
    if text.is_ascii() {
        return;
    }
    let mut invisible = text.chars().enumerate().filter(|(_, c)| is_invisible(*c));
    if let Some((k, c)) = invisible.next() {
        let more = match invisible.count() {
            0 => String::new(),
            n => format!(" (and {n} more in this text)"),
        };
        r.report_in_text(
            Severity::Warning,
            path,
            k..k + 1,
            format!("an invisible character, U+{:04X} {}, is inside this text{more}", u32::from(c), invisible_name(c)),
        )
        .label("invisible character here")
        .help("delete it: scorer version 1 compares it as part of the word, so a trainee who types the word as it looks misses it (version 2 removes it)");
    }
    if unicode_normalization::is_nfc_quick(text.chars()) != unicode_normalization::IsNormalized::Yes
        && !unicode_normalization::is_nfc(text)
    {
        let k = text.chars().zip(text.nfc()).position(|(a, b)| a != b).unwrap_or(0);
        let marks = text
            .chars()
            .skip(k + 1)
            .take_while(|&c| unicode_normalization::char::canonical_combining_class(c) != 0)
            .count();
        r.report_in_text(
            Severity::Warning,
            path,
            k..k + 1 + marks,
            "this text is not in Unicode NFC: a letter here is written as a base letter and a combining mark",
        )
        .label("decomposed letter")
        .help("retype the word, or save the file in NFC: scorer version 1 compares letters as written, so a trainee who types the usual composed letter misses this word (version 2 composes it)");
    }
}

/// An error for a penalty larger than a whole score.
fn check_penalty(r: &mut Reporter, path: &[Seg], penalty: u32) {
    if penalty > MAX_PENALTY {
        r.error(path, format!("a penalty of {penalty} is more than a whole score ({MAX_PENALTY})"))
            .help("a penalty is taken off a score of 0 to 100; to fail the call outright, mark it critical");
    }
}

/// What an invisible character is called.
fn invisible_name(c: char) -> &'static str {
    match c {
        '\u{200B}' => "zero width space",
        '\u{200C}' => "zero width non-joiner",
        '\u{200D}' => "zero width joiner",
        '\u{200E}' | '\u{200F}' => "direction mark",
        '\u{2060}' => "word joiner",
        '\u{2061}'..='\u{2064}' => "invisible operator",
        '\u{202A}'..='\u{202E}' => "bidirectional embedding or override",
        '\u{2066}'..='\u{2069}' => "bidirectional isolate",
        '\u{00AD}' => "soft hyphen",
        '\u{FEFF}' => "byte order mark",
        _ => "invisible character",
    }
}

fn quote_list(items: &[&str]) -> String {
    items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", ")
}

/// Checks a scenario against the scripts and compiles it when it has no errors.
pub(crate) fn check_scenario(
    scenario: Scenario,
    source: &Arc<SourceFile>,
    scripts: &BTreeMap<String, ScriptEntry>,
    r: &mut Reporter,
) -> Option<Playable> {
    check_header(&scenario, r);
    let entry = script_of(&scenario, scripts, r);
    let script = entry.map(|e| e.script.as_ref());
    if scenario.nodes.is_empty() {
        r.error(&[field("nodes")], "the scenario has no nodes");
    }
    check_limit(
        r,
        &[field("nodes")],
        "nodes",
        scenario.nodes.len(),
        MAX_NODES,
        "split the call into several scenarios",
    );
    let (names, duplicate) = Names::new(&scenario, script, r);
    let start = names.node(r, &scenario.start, &|| vec![field("start")], "`start`");
    let on_patience_out = scenario
        .on_patience_out
        .as_ref()
        .and_then(|name| names.node(r, name, &|| vec![field("on_patience_out")], "`on_patience_out`"));
    let graph = compile::compile(&scenario, &names, on_patience_out, &duplicate, r);
    check_nodes(&scenario, script, r);
    check_graph(&scenario, &graph, start, r);
    let (Some(entry), Some(start)) = (entry, start) else { return None };
    if r.has_errors() {
        return None;
    }
    Some(Playable {
        hash: std::sync::OnceLock::new(),
        path: r.path().to_owned(),
        scenario,
        script: Arc::clone(&entry.script),
        scenario_source: Arc::clone(source),
        script_source: Arc::clone(&entry.source),
        graph: graph.nodes,
        start,
        on_patience_out,
    })
}

/// The scenario's own fields: id, title, brief, persona, pass mark, patience, language.
fn check_header(scenario: &Scenario, r: &mut Reporter) {
    if scenario.title.trim().is_empty() {
        r.error(&[field("title")], "the scenario has no title")
            .help("the scenario picker lists it by title; name the customer, like \"Busy office manager\"");
    }
    if scenario.brief.trim().is_empty() {
        r.error(&[field("brief")], "the brief is empty")
            .help("the trainee reads it before the call: who to call and the goal of the call");
    }
    let persona = &scenario.persona;
    if persona.name.trim().is_empty() {
        r.error(&[field("persona"), field("name")], "the customer has no name")
            .help("the call screen shows who is speaking, like name: \"Anna\"");
    }
    if persona.position.trim().is_empty() {
        r.warning(&[field("persona"), field("position")], "the customer's position is empty")
            .help("the call screen shows it under the name, like position: \"Office manager\"");
    }
    if persona.company.trim().is_empty() {
        r.warning(&[field("persona"), field("company")], "the customer's company is empty")
            .help("the call screen shows it under the name, like company: \"Contoso\"");
    }
    if scenario.id.trim().is_empty() {
        r.error(&[field("id")], "the scenario id is empty")
            .help("use \"<role folder>/<file name>\", like \"generator/busy-office-manager\"");
    } else if let Some(stem) =
        std::path::Path::new(&r.path().to_owned()).file_stem().and_then(|s| s.to_str()).map(str::to_owned)
        && scenario.id.rsplit('/').next() != Some(stem.as_str())
    {
        r.warning(&[field("id")], format!("the id \"{}\" does not match the file name \"{stem}\"", scenario.id))
            .help(format!("authors find scenarios by file name; consider id \"{}/{stem}\"", scenario.role_dir()));
    }
    if scenario.pass_mark > 100 {
        r.error(&[field("pass_mark")], format!("pass_mark is {}, but scores go from 0 to 100", scenario.pass_mark));
    }
    if scenario.persona.patience < 1 {
        r.error(&[field("persona"), field("patience")], "patience must be at least 1")
            .help("patience is how many bad answers the customer takes before hanging up");
    } else if scenario.persona.patience > MAX_PATIENCE {
        r.error(
            &[field("persona"), field("patience")],
            format!("patience is {}, but the most allowed is {MAX_PATIENCE}", scenario.persona.patience),
        )
        .help("patience is how many bad answers the customer takes before hanging up; a few is usual");
    }
    if scenario.language.trim().is_empty() {
        r.error(&[field("language")], "the language is empty").help("write \"en\" or \"ru\"");
    }
    if let Some(rate) = scenario.persona.rate
        && !(rate.is_finite() && super::voice::RATES.contains(&rate))
    {
        r.warning(&[field("persona"), field("rate")], format!("a speaking rate of {rate} is out of range"))
            .label("used as the nearest of 0.5 and 2")
            .help("1 is the voice's own pace, 1.2 a fifth faster, 0.8 a fifth slower");
    }
}

/// The scenario's script, checked to fit the scenario's role and language.
fn script_of<'a>(
    scenario: &Scenario,
    scripts: &'a BTreeMap<String, ScriptEntry>,
    r: &mut Reporter,
) -> Option<&'a ScriptEntry> {
    let Some(entry) = scripts.get(&scenario.script) else {
        let ids: Vec<&String> = scripts.keys().collect();
        let help = format!("known scripts: {}{}", join(&ids), r.suggest(&scenario.script, &ids));
        r.error(&[field("script")], format!("there is no script \"{}\"", scenario.script))
            .label("unknown script")
            .help(help);
        return None;
    };
    let script = &entry.script;
    if !entry.ok {
        r.error(&[field("script")], format!("script \"{}\" has errors", scenario.script))
            .help("fix the script first; `callforge validate` lists its problems");
    }
    if script.role != scenario.role {
        r.error(
            &[field("role")],
            format!("the scenario is for {}, but script \"{}\" is for {}", scenario.role, script.id, script.role),
        );
    }
    if let Some(lang) = &script.language
        && lang != &scenario.language
    {
        r.warning(
            &[field("language")],
            format!("the scenario is in \"{}\" but its script is in \"{lang}\"", scenario.language),
        );
    }
    Some(entry)
}

/// What each node says and offers: lines, clips, choices, labels, and whether the expected stage
/// can be answered.
fn check_nodes(scenario: &Scenario, script: Option<&Script>, r: &mut Reporter) {
    let mut any_negative_patience = false;
    let stage_ids: HashSet<&str> =
        script.map(|s| s.stages.iter().map(|st| st.id.as_str()).collect()).unwrap_or_default();
    for (id, node) in scenario.nodes.iter() {
        let at = |name: &'static str| vec![field("nodes"), Seg::Key(id.to_owned()), field(name)];
        if id.trim().is_empty() {
            r.error(&[field("nodes"), Seg::KeyName(id.to_owned(), 0)], "a node id is empty")
                .help("name the node by what happens there, like \"objection\"; `next` uses the name");
        }
        match node {
            Node::Line { say, expect, choices, audio } => {
                check_say(r, say, &|| at("say"), true);
                check_audio(r, audio, say.len(), &|| at("audio"));
                if choices.is_empty() {
                    r.error(&at("choices"), "this line has no choices")
                        .help("add at least one `Choice(text: …, next: …)`");
                }
                check_limit(
                    r,
                    &at("choices"),
                    "choices",
                    choices.len(),
                    MAX_CHOICES,
                    "offer the trainee a few replies",
                );
                for (j, c) in choices.iter().enumerate() {
                    let cpath = |name| {
                        let mut p = at("choices");
                        p.extend([Seg::Index(j), field(name)]);
                        p
                    };
                    if !has_words(&c.text) {
                        r.error(&cpath("text"), "the choice text is empty");
                    }
                    check_hygiene(r, &cpath("text"), &c.text);
                    check_penalty(r, &cpath("penalty"), c.penalty);
                    if !(-MAX_PATIENCE..=MAX_PATIENCE).contains(&c.patience) {
                        r.error(
                            &cpath("patience"),
                            format!(
                                "a choice changes patience by {}, but at most by {MAX_PATIENCE} either way",
                                c.patience
                            ),
                        )
                        .help("-1 is a bad answer the customer notices; a few is a lot");
                    }
                    if c.critical.as_deref().is_some_and(|why| !has_words(why)) {
                        r.error(&cpath("critical"), "a critical mark needs its reason")
                            .help("say why this reply fails the call, like critical: \"Lied about a colleague\"");
                    }
                    if expect.is_none() && c.feedback.is_some() && c.penalty == 0 && c.critical.is_none() {
                        r.warning(&cpath("feedback"), "this mistake is never scored")
                            .label("feedback, but no penalty and no critical mark")
                            .help("the line expects no stage, so only `penalty: N` or `critical: \"why\"` makes this reply count");
                    }
                    any_negative_patience |= c.patience < 0;
                }
                // An unknown stage is reported by the compiler; only a known one is checked here.
                if let Some(e) = expect
                    && stage_ids.contains(e.as_str())
                {
                    check_expect(r, e, choices, &at);
                }
            }
            Node::Random { branches } => {
                check_limit(r, &at("branches"), "branches", branches.len(), MAX_CHOICES, "draw among a few branches");
                if branches.is_empty() {
                    r.error(&at("branches"), "this random node has no branches");
                } else if branches.iter().all(|b| b.weight == 0) {
                    r.error(&at("branches"), "the branch weights add up to zero, so no branch can be drawn")
                        .help("give at least one branch a positive weight");
                }
            }
            Node::End { label, say, audio, .. } => {
                check_say(r, say, &|| at("say"), false);
                check_audio(r, audio, say.len(), &|| at("audio"));
                if label.trim().is_empty() {
                    r.error(&at("label"), "the ending has no label").help("say what happened, like \"Meeting booked\"");
                }
            }
        }
    }
    if any_negative_patience && scenario.on_patience_out.is_none() {
        r.warning(
            &[field("persona"), field("patience")],
            "choices lower the patience but there is no `on_patience_out`",
        )
        .help(
            "when patience runs out the call simply ends as a failure; add `on_patience_out: \"…\"` to play a goodbye",
        );
    }
}

/// A line that expects a stage needs a choice of that stage, and a choice of another for a miss.
fn check_expect(r: &mut Reporter, e: &str, choices: &[Choice], at: &dyn Fn(&'static str) -> Vec<Seg>) {
    if choices.is_empty() {
        return;
    }
    let right = choices.iter().filter(|c| c.stage.as_deref() == Some(e)).count();
    if right == 0 {
        r.warning(&at("expect"), format!("no choice here is the \"{e}\" stage")).help(
            "a trainee cannot answer by the script here; add a choice with `stage: Some(\"…\")` and the script line",
        );
    } else if right == choices.len() {
        r.warning(&at("choices"), format!("every choice here is the \"{e}\" stage")).help(
            "in Recall mode a miss follows the first choice of another stage; add a wrong choice for it to follow",
        );
    }
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
    for (k, clip) in audio.iter().enumerate() {
        if let Some(problem) = clip_problem(clip) {
            let mut p = path();
            p.push(Seg::Index(k));
            r.error(&p, format!("this voice clip {problem}"))
                .label("not a file under assets/")
                .help("write a path relative to the assets folder, like \"voice/anna-hello.ogg\"");
        }
    }
}

/// Why a voice clip's path can never name a file of the assets folder, if it cannot.
pub(crate) fn clip_problem(clip: &str) -> Option<&'static str> {
    use std::path::{Component, Path};
    let lower = clip.to_ascii_lowercase();
    if clip.trim().is_empty() {
        Some("has no path")
    } else if lower.contains("://")
        || ["http:", "https:", "file:", "data:", "ftp:"].iter().any(|s| lower.starts_with(s))
    {
        Some("is a URL; clips are played from the assets folder, never downloaded")
    } else if clip.starts_with(['/', '\\']) || Path::new(clip).is_absolute() || clip.get(1..2) == Some(":") {
        Some("is an absolute path")
    } else if clip.split(['/', '\\']).any(|part| part == "..")
        || Path::new(clip).components().any(|c| matches!(c, Component::ParentDir))
    {
        Some("climbs out of the assets folder with `..`")
    } else {
        None
    }
}

/// Unreachable nodes (a warning) and traps: nodes from which no `End` can be reached (an error).
/// `edges` are (from, to) pairs; they are laid out flat, forwards and backwards, in one pass each.
fn check_graph(scenario: &Scenario, graph: &Graph, start: Option<u32>, r: &mut Reporter) {
    let (edges, terminal) = (&graph.edges, &graph.terminal);
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
    walk(&mut ends, (0..u32::try_from(n).unwrap_or(u32::MAX)).filter(|&i| terminal[i as usize]).collect(), &backward);
    for (i, (id, _)) in scenario.nodes.0.iter().enumerate() {
        let severity = if ends[i] { Severity::Warning } else { Severity::Error };
        if (!ends[i] || !reachable[i]) && !r.accepts(severity) {
            r.count(severity);
        } else if !ends[i] {
            r.error(
                &[field("nodes"), Seg::KeyName(id.clone(), 0)],
                format!("node \"{id}\" is a trap: no `End` can be reached from it"),
            )
            .label("every path from here loops forever")
            .help("give it, or a node after it, a way to an `End`");
        } else if !reachable[i] {
            r.warning(
                &[field("nodes"), Seg::KeyName(id.clone(), 0)],
                format!("node \"{id}\" can never be reached from `start`"),
            )
            .label("unreachable")
            .help("point a `next` at it, or remove it");
        }
    }
}

/// Checks the ladder against the playable scenarios of `lib`, and each exam in every language the
/// library has scenarios in for its rung.
pub(crate) fn check_ladder(ladder: &Ladder, lib: &Library, r: &mut Reporter) {
    if ladder.rungs.is_empty() {
        r.error(&[field("rungs")], "the ladder has no rungs");
    }
    let mut last: Option<Role> = None;
    let ids: Vec<&str> = lib.playable().map(|p| p.id()).collect();
    for (i, rung) in ladder.rungs.iter().enumerate() {
        let at = |name| [field("rungs"), Seg::Index(i), field(name)];
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
        let exam_at = |name| [field("rungs"), Seg::Index(i), field("exam"), field(name)];
        if exam.mode == Mode::Practice {
            r.error(&exam_at("mode"), "an exam cannot be in Practice mode: it would show the script")
                .help("use Exam (choices, no hints) or Recall (typed from memory)");
        }
        if exam.mode == Mode::Drill {
            r.error(&exam_at("mode"), "an exam cannot be in Drill mode: a drill is one line, not a call")
                .help("use Exam (choices, no hints) or Recall (typed from memory)");
        }
        if exam.min_score > 100 {
            r.error(&exam_at("min_score"), format!("min_score is {}, but scores go from 0 to 100", exam.min_score));
        }
        if exam.scenarios.is_empty() {
            r.error(&exam_at("scenarios"), "the exam has no scenarios");
        }
        let mut listed = HashSet::new();
        for (j, id) in exam.scenarios.iter().enumerate() {
            let path = [field("rungs"), Seg::Index(i), field("exam"), field("scenarios"), Seg::Index(j)];
            if !listed.insert(id) {
                r.error(&path, format!("\"{id}\" is listed twice in this exam"))
                    .label("listed again")
                    .help("each exam scenario is passed once; remove the repeat");
                continue;
            }
            match lib.scenario(id) {
                None => {
                    let help = format!("scenarios: {}{}", join(&ids), r.suggest(id, &ids));
                    r.error(&path, format!("there is no valid scenario \"{id}\""))
                        .label("unknown or broken scenario")
                        .help(help);
                }
                Some(p) if p.scenario.role != rung.role => {
                    let role = p.scenario.role;
                    r.error(&path, format!("\"{id}\" is a {role} scenario, but this exam is for {}", rung.role));
                }
                Some(p) => check_partner_as_hard(p, exam, lib, &path, r),
            }
        }
        check_named_languages(i, rung, exam, lib, &ids, r);
        check_every_language(i, rung, exam, lib, r);
    }
}

/// How an exam scenario differs in hardness from the one it stands for, if it does.
fn hardness_gap(p: &Playable, of: &Playable) -> Option<String> {
    let (a, b) = (&p.scenario, &of.scenario);
    let mut gaps = Vec::new();
    if a.difficulty != b.difficulty {
        gaps.push(format!("difficulty {:?}, not {:?}", a.difficulty, b.difficulty));
    }
    if a.pass_mark != b.pass_mark {
        gaps.push(format!("pass_mark {}, not {}", a.pass_mark, b.pass_mark));
    }
    (!gaps.is_empty()).then(|| gaps.join(", "))
}

/// A warning when the partner that stands in for a listed exam scenario in another language (where
/// the exam names no list of its own) is not as hard.
fn check_partner_as_hard(p: &Playable, exam: &Exam, lib: &Library, path: &[Seg], r: &mut Reporter) {
    let Some(partner) = p.scenario.partner.as_deref().and_then(|id| lib.scenario(id)) else { return };
    if exam.languages.contains_key(&partner.scenario.language) {
        return;
    }
    if let Some(gap) = hardness_gap(partner, p) {
        r.warning(
            path,
            format!(
                "its partner \"{}\" is the exam in {}, but it is not as hard: {gap}",
                partner.id(),
                partner.scenario.language
            ),
        )
        .help("an exam is equally hard in every language: give both the same difficulty and pass_mark");
    }
}

/// Checks the exam's `languages` lists: one scenario for each of `scenarios`, each playable, of the
/// rung's role and the list's language, and as hard as the scenario it stands for.
fn check_named_languages(i: usize, rung: &Rung, exam: &Exam, lib: &Library, ids: &[&str], r: &mut Reporter) {
    for (language, list) in &exam.languages {
        let list_at = [field("rungs"), Seg::Index(i), field("exam"), field("languages"), Seg::Key(language.clone())];
        if language.trim().is_empty() {
            let key =
                [field("rungs"), Seg::Index(i), field("exam"), field("languages"), Seg::KeyName(language.clone(), 0)];
            r.error(&key, "the language is empty").help("name a language code, like \"ru\" or \"en\"");
            continue;
        }
        if list.len() != exam.scenarios.len() {
            r.error(
                &list_at,
                format!(
                    "the exam in {language} lists {} scenario(s), but `scenarios` lists {}",
                    list.len(),
                    exam.scenarios.len()
                ),
            )
            .help(format!("name one {language} scenario for each of `scenarios`, in the same order"));
        }
        let mut seen = HashSet::new();
        for (k, id) in list.iter().enumerate() {
            let mut path = list_at.to_vec();
            path.push(Seg::Index(k));
            if !seen.insert(id) {
                r.error(&path, format!("\"{id}\" is listed twice in the exam in {language}"))
                    .label("listed again")
                    .help("each exam scenario is passed once; remove the repeat");
                continue;
            }
            let Some(p) = lib.scenario(id) else {
                let help = format!("scenarios: {}{}", join(ids), r.suggest(id, ids));
                r.error(&path, format!("there is no valid scenario \"{id}\""))
                    .label("unknown or broken scenario")
                    .help(help);
                continue;
            };
            if p.scenario.role != rung.role {
                let role = p.scenario.role;
                r.error(&path, format!("\"{id}\" is a {role} scenario, but this exam is for {}", rung.role));
                continue;
            }
            if p.scenario.language != *language {
                r.error(
                    &path,
                    format!("\"{id}\" is in {}, but this list is the exam in {language}", p.scenario.language),
                )
                .help(format!("name a {language} scenario here, or move it to the list of its language"));
                continue;
            }
            let Some(of) = exam.scenarios.get(k).and_then(|o| lib.scenario(o)) else { continue };
            if let Some(gap) = hardness_gap(p, of) {
                r.error(&path, format!("\"{id}\" stands for \"{}\" but is not as hard: {gap}", of.id()))
                    .help("an exam is equally hard in every language: give both the same difficulty and pass_mark");
            } else if p.scenario.partner.as_deref() != Some(of.id()) && of.scenario.partner.as_deref() != Some(id) {
                r.warning(&path, format!("\"{id}\" stands for \"{}\" but is not its partner", of.id())).help(format!(
                    "if they are the same situation, add `partner: \"{}\"` to {id} and `partner: \"{id}\"` to {}",
                    of.id(),
                    of.id()
                ));
            }
        }
    }
}

/// A warning for each language the library has scenarios in for the rung's role where some place
/// of the exam has no scenario: the trainees of that language have no exam of their own there.
fn check_every_language(i: usize, rung: &Rung, exam: &Exam, lib: &Library, r: &mut Reporter) {
    let languages: BTreeSet<&str> =
        lib.playable().filter(|p| p.scenario.role == rung.role).map(|p| p.scenario.language.as_str()).collect();
    for language in languages {
        let lacking: Vec<String> = ladder::exam_slots(exam, lib, language)
            .into_iter()
            .filter(|s| !s.in_language && lib.scenario(&s.listed).is_some_and(|p| p.scenario.role == rung.role))
            .map(|s| s.listed)
            .collect();
        if lacking.is_empty() {
            continue;
        }
        let path = [field("rungs"), Seg::Index(i), field("exam"), field("scenarios")];
        r.warning(
            &path,
            format!(
                "trainees whose language is {language} have no exam in {language} for {}: {} {} no scenario in {language}",
                rung.role,
                lacking.join(", "),
                if lacking.len() == 1 { "has" } else { "have" }
            ),
        )
        .help(format!(
            "give each a `partner` in {language}, or name the exam in {language}: `languages: {{\"{language}\": [...]}}`; \
             until then they take it in the language listed"
        ));
    }
}

impl Scenario {
    /// The folder this scenario's role keeps its files in.
    pub fn role_dir(&self) -> &'static str {
        self.role.dir()
    }
}

/// Checks a calibration set: its script exists, its stages are the script's, its bar is a share.
pub(crate) fn check_calibration(
    c: &Calibration,
    script: Option<&Script>,
    scripts: &BTreeMap<String, ScriptEntry>,
    r: &mut Reporter,
) {
    if !(c.min_agreement > 0.0 && c.min_agreement <= 1.0) {
        r.error(
            &[field("min_agreement")],
            format!("min_agreement must be above 0 and at most 1, not {}", c.min_agreement),
        )
        .help("0.95 means the scorer must agree with 95% of the trainer's labels");
    }
    let Some(script) = script else {
        let ids: Vec<&String> = scripts.keys().collect();
        let help = format!("known scripts: {}{}", join(&ids), r.suggest(&c.script, &ids));
        r.error(&[field("script")], format!("there is no script \"{}\"", c.script)).label("unknown script").help(help);
        return;
    };
    let stage_ids: Vec<&str> = script.stages.iter().map(|s| s.id.as_str()).collect();
    let known: HashSet<&str> = stage_ids.iter().copied().collect();
    for (i, line) in c.lines.iter().enumerate() {
        if !known.contains(line.stage.as_str()) {
            let help = format!("stages: {}{}", join(&stage_ids), r.suggest(&line.stage, &stage_ids));
            r.error(
                &[field("lines"), Seg::Index(i), field("stage")],
                format!("script \"{}\" has no stage \"{}\"", script.id, line.stage),
            )
            .label("no such stage")
            .help(help);
        }
    }
}
