//! The scenario library: scripts, scenarios and the ladder read from scenario roots or single files,
//! validated together. Broken files never stop the others from loading.

use super::limits::{MAX_FILE_BYTES, bytes};
use super::model::{Calibration, Ladder, Node, Role, Scenario, Script};
use super::parse::{self, FileKind};
use super::playable::Playable;
use super::reporter::{Reporter, field};
use super::source::{Diagnostic, Severity, SourceFile, read_source};
use super::syntax::{self, Kind, Seg};
use super::validate;
pub use super::validate::ScriptEntry;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Everything read from the given paths.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Scripts that parsed, by id.
    pub scripts: BTreeMap<String, ScriptEntry>,
    /// Every scenario file, valid or broken, in path order.
    pub scenarios: Vec<ScenarioEntry>,
    pub ladder: Option<Ladder>,
    /// Where the ladder was read from.
    pub ladder_path: Option<String>,
    /// The trainers' calibration sets that parsed and name a known script, in path order.
    pub calibrations: Vec<CalibrationEntry>,
    /// Every problem found, errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read.
    pub files: usize,
}

/// A calibration set and the file it was read from.
#[derive(Debug, Clone)]
pub struct CalibrationEntry {
    pub path: String,
    pub calibration: Calibration,
}

/// One scenario file: playable, or broken with what is known of it.
#[derive(Debug, Clone)]
pub struct ScenarioEntry {
    pub path: String,
    pub id: Option<String>,
    pub title: Option<String>,
    pub role: Option<Role>,
    pub language: Option<String>,
    pub playable: Option<Arc<Playable>>,
    /// The first error in the file, for a broken scenario.
    pub first_error: Option<Diagnostic>,
    /// The file is broken now, and `playable` is its last good version, kept from before (see
    /// [`Library::keep_last_good`]).
    pub stale: bool,
}

impl Library {
    /// Reads scenario roots (folders with `scripts/` inside) and single files.
    ///
    /// A single scenario file is validated against the scripts of its root (the folder above its
    /// own), and a single ladder file against the scenarios of its root; those context files are
    /// read but their own problems are not reported.
    pub fn load(paths: &[PathBuf]) -> Library {
        Library::load_with_assets(paths, None)
    }

    /// [`Library::load`], and with `assets` (the folder voice clips are relative to) a warning for
    /// every voice clip of a playable scenario that is not a file there.
    pub fn load_with_assets(paths: &[PathBuf], assets: Option<&Path>) -> Library {
        let mut primary: Vec<PathBuf> = Vec::new();
        let mut context: Vec<PathBuf> = Vec::new();
        let mut early: Vec<Diagnostic> = Vec::new();
        for path in paths {
            if path.is_dir() {
                if path.join("scripts").is_dir() {
                    primary.extend(root_files(path));
                } else {
                    early.push(
                        Diagnostic::file(Severity::Error, display(path), "not a scenario root: there is no `scripts/` folder inside")
                            .with_help("give the folder that holds scripts/, generator/, closer/, account/ and ladder.ron, or single .ron files"),
                    );
                }
            } else if path.exists() {
                primary.push(path.clone());
                if let Some(root) = path.parent().and_then(Path::parent)
                    && root.join("scripts").is_dir()
                {
                    context.extend(root_files(root));
                }
                if let Some(root) = path.parent()
                    && root.join("scripts").is_dir()
                {
                    context.extend(root_files(root));
                }
            } else {
                early.push(Diagnostic::file(Severity::Error, display(path), "no such file or folder"));
            }
        }
        let mut seen = BTreeSet::new();
        let mut sources = Vec::new();
        let mut reported = BTreeSet::new();
        for (path, is_primary) in primary.iter().map(|p| (p, true)).chain(context.iter().map(|p| (p, false))) {
            let key = path.canonicalize().unwrap_or_else(|_| path.clone());
            if !seen.insert(key) {
                continue;
            }
            let name = display(path);
            if is_primary {
                reported.insert(name.clone());
            }
            match read_source(path, name) {
                Ok(source) => sources.push(source),
                Err(d) => early.push(*d),
            }
        }
        let mut lib = Library::from_sources(sources);
        if let Some(assets) = assets {
            lib.check_clips(assets);
        }
        lib.diagnostics.retain(|d| reported.contains(&d.path));
        early.append(&mut lib.diagnostics);
        lib.diagnostics = early;
        lib.files = reported.len();
        lib
    }

    /// Validates a set of files given as text. This is the whole of loading but the disk. A text
    /// larger than [`MAX_FILE_BYTES`] is refused, as a file of that size would be.
    pub fn from_sources(sources: Vec<SourceFile>) -> Library {
        let mut lib = Library { files: sources.len(), ..Library::default() };
        let (sources, too_large): (Vec<_>, Vec<_>) =
            sources.into_iter().partition(|s| s.text.len() as u64 <= MAX_FILE_BYTES);
        for src in too_large {
            lib.diagnostics.push(
                Diagnostic::file(
                    Severity::Error,
                    src.path,
                    format!(
                        "the file is too large: {}, and the limit is {}",
                        bytes(src.text.len() as u64),
                        bytes(MAX_FILE_BYTES)
                    ),
                )
                .with_help("split it into several files; no scenario, script or run needs more"),
            );
        }
        let sources: Vec<Arc<SourceFile>> = sources.into_iter().map(Arc::new).collect();
        let mut scripts = Vec::new();
        let mut scenarios = Vec::new();
        let mut ladders = Vec::new();
        let mut calibrations = Vec::new();
        for src in &sources {
            let kind = FileKind::sniff(&src.text).or_else(|| guess_kind(&src.path));
            match kind {
                Some(FileKind::Script) => scripts.push(src),
                Some(FileKind::Scenario) => scenarios.push(src),
                Some(FileKind::Ladder) => ladders.push(src),
                Some(FileKind::Calibration) => calibrations.push(src),
                Some(FileKind::Run) => lib.diagnostics.push(
                    Diagnostic::at(Severity::Error, src, 0..0, "this is a run file, not a scenario file")
                        .with_help("score it with `callforge score`"),
                ),
                None => lib.diagnostics.push(
                    Diagnostic::at(Severity::Error, src, 0..0, "not a callforge file")
                        .with_help("a file starts with `Script(`, `Scenario(` or `Ladder(`"),
                ),
            }
        }

        // Scripts first: scenarios refer to them.
        lib.load_scripts(&scripts);
        lib.load_scenarios(&scenarios);
        lib.check_partners();
        lib.load_ladders(&ladders);
        lib.load_calibrations(&calibrations);
        lib.diagnostics.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
        lib
    }

    /// Reads and checks the scripts; script ids must be unique.
    fn load_scripts(&mut self, scripts: &[&Arc<SourceFile>]) {
        let mut script_files: BTreeMap<String, String> = BTreeMap::new();
        for src in scripts {
            let mut r = Reporter::new(src);
            match parse::read_capped::<Script>(src, FileKind::Script) {
                Ok(script) => {
                    validate::check_script(&script, &mut r);
                    if let Some(first) = script_files.get(&script.id) {
                        r.error(&[field("id")], format!("duplicate script id \"{}\"", script.id)).help =
                            Some(format!("{first} already defines it; script ids must be unique"));
                    } else {
                        script_files.insert(script.id.clone(), src.path.clone());
                        let ok = !r.has_errors();
                        let entry = ScriptEntry { script: Arc::new(script), ok, source: Arc::clone(src) };
                        self.scripts.insert(entry.script.id.clone(), entry);
                    }
                }
                Err(d) => r.absorb(d),
            }
            self.diagnostics.extend(r.finish());
        }
    }

    /// Reads, checks and compiles the scenarios.
    fn load_scenarios(&mut self, scenarios: &[&Arc<SourceFile>]) {
        let mut scenario_files: BTreeMap<String, String> = BTreeMap::new();
        for src in scenarios {
            let mut r = Reporter::new(src);
            let mut entry = ScenarioEntry {
                path: src.path.clone(),
                id: None,
                title: None,
                role: None,
                language: None,
                playable: None,
                first_error: None,
                stale: false,
            };
            match parse::read_capped::<Scenario>(src, FileKind::Scenario) {
                Ok(scenario) => {
                    entry.id = Some(scenario.id.clone());
                    entry.title = Some(scenario.title.clone());
                    entry.role = Some(scenario.role);
                    entry.language = Some(scenario.language.clone());
                    let id = scenario.id.clone();
                    let playable = validate::check_scenario(scenario, src, &self.scripts, &mut r);
                    if let Some(first) = scenario_files.get(&id) {
                        r.error(&[field("id")], format!("duplicate scenario id \"{id}\"")).help =
                            Some(format!("{first} already defines it; scenario ids must be unique"));
                    } else {
                        scenario_files.insert(id.clone(), src.path.clone());
                        if let Some(p) = playable.filter(|_| !r.has_errors()) {
                            entry.playable = Some(Arc::new(p));
                        }
                    }
                }
                Err(d) => {
                    fill_from_tree(&mut entry, &src.text);
                    r.absorb(d);
                }
            }
            entry.first_error = r.first_error().cloned();
            self.diagnostics.extend(r.finish());
            self.scenarios.push(entry);
        }
    }

    /// Each scenario's `partner` is a playable scenario of the same role in another language that
    /// names it back, or names no partner at all: a file that cannot change (the DESIGN.md example)
    /// is paired by its partner naming it (see [`Library::partner_of`]).
    fn check_partners(&mut self) {
        use super::reporter::DiagnosticExt;
        let playable: Vec<Arc<Playable>> = self.playable().cloned().collect();
        for p in &playable {
            let Some(partner_id) = p.scenario.partner.as_deref() else { continue };
            let mut r = Reporter::new(&p.scenario_source);
            let at = [field("partner")];
            match playable.iter().find(|q| q.id() == partner_id) {
                None => {
                    let ids: Vec<&str> = playable.iter().map(|q| q.id()).collect();
                    r.error(&at, format!("the partner \"{partner_id}\" is not a playable scenario")).help(format!(
                        "give the id of the same situation in the other language{}",
                        super::parse::suggest(partner_id, &ids)
                    ));
                }
                Some(q) if q.scenario.role != p.scenario.role => {
                    r.error(
                        &at,
                        format!(
                            "the partner \"{partner_id}\" is a {} scenario, this one is for {}",
                            q.scenario.role, p.scenario.role
                        ),
                    );
                }
                Some(q) if q.scenario.language == p.scenario.language => {
                    r.error(
                        &at,
                        format!("the partner \"{partner_id}\" is in the same language ({})", q.scenario.language),
                    )
                    .help("a partner is the same situation in the other language");
                }
                Some(q) if q.scenario.partner.as_deref().is_some_and(|back| back != p.id()) => {
                    r.warning(
                        &at,
                        format!(
                            "\"{partner_id}\" names another scenario as its partner (\"{}\")",
                            q.scenario.partner.as_deref().unwrap_or_default()
                        ),
                    )
                    .help(format!(
                        "a situation has one partner: make {} name \"{}\", or pick another",
                        q.path,
                        p.id()
                    ));
                }
                Some(q)
                    if q.scenario.partner.is_none()
                        && playable
                            .iter()
                            .any(|o| o.id() != p.id() && o.scenario.partner.as_deref() == Some(q.id())) =>
                {
                    r.warning(&at, format!("\"{partner_id}\" is named as the partner of more than one scenario"))
                        .help(format!("add `partner: \"{}\"` to {}, or pair the others elsewhere", p.id(), q.path));
                }
                Some(_) => {}
            }
            self.diagnostics.extend(r.finish());
        }
    }

    /// A scenario's partner (the same situation in the other language): the one its `partner`
    /// names, or, when it names none, the only scenario that names it — so a file that cannot
    /// change is paired from the other side.
    pub fn partner_of(&self, id: &str) -> Option<&Arc<Playable>> {
        let p = self.scenario(id)?;
        if let Some(named) = p.scenario.partner.as_deref() {
            return self.scenario(named);
        }
        let mut naming = self.playable().filter(|q| q.scenario.partner.as_deref() == Some(id));
        let first = naming.next()?;
        naming.next().is_none().then_some(first)
    }

    /// A scenario in a language: itself when it is in that language, else its partner when the
    /// partner is playable and in that language.
    pub fn in_language(&self, id: &str, lang: &str) -> Option<&Arc<Playable>> {
        let p = self.scenario(id)?;
        if p.scenario.language == lang {
            return Some(p);
        }
        let partner = self.partner_of(id)?;
        (partner.scenario.language == lang).then_some(partner)
    }

    /// Reads the ladder and checks it against the playable scenarios; only one ladder is used, and
    /// only when it has no errors (a broken ladder would promote by rules nobody wrote).
    fn load_ladders(&mut self, ladders: &[&Arc<SourceFile>]) {
        let mut first: Option<String> = None;
        for src in ladders {
            let mut r = Reporter::new(src);
            match parse::read_capped::<Ladder>(src, FileKind::Ladder) {
                Ok(ladder) => {
                    validate::check_ladder(&ladder, self, &mut r);
                    if let Some(first) = &first {
                        r.error(&[], "a second ladder: only one ladder.ron is used").help =
                            Some(format!("{first} is the ladder in use"));
                    } else if r.has_errors() {
                        r.error(
                            &[],
                            "this ladder has errors, so it is not used: nobody can be promoted until they are fixed",
                        )
                        .help = Some("fix the errors of the ladder listed here".to_owned());
                    } else {
                        self.ladder = Some(ladder);
                        self.ladder_path = Some(src.path.clone());
                    }
                    first.get_or_insert_with(|| src.path.clone());
                }
                Err(d) => r.absorb(d),
            }
            self.diagnostics.extend(r.finish());
        }
    }

    /// Reads the calibration sets and checks that they name a script and its stages.
    fn load_calibrations(&mut self, files: &[&Arc<SourceFile>]) {
        for src in files {
            let mut r = Reporter::new(src);
            match parse::read_capped::<Calibration>(src, FileKind::Calibration) {
                Ok(calibration) => {
                    let entry = self.scripts.get(&calibration.script);
                    if entry.is_some_and(|e| !e.ok) {
                        r.error(&[field("script")], format!("script \"{}\" has errors", calibration.script)).help =
                            Some("fix the script first; `callforge validate` lists its problems".to_owned());
                    }
                    let script = entry.map(|e| Arc::clone(&e.script));
                    validate::check_calibration(&calibration, script.as_deref(), &self.scripts, &mut r);
                    if !r.has_errors() {
                        self.calibrations.push(CalibrationEntry { path: src.path.clone(), calibration });
                    }
                }
                Err(d) => r.absorb(d),
            }
            self.diagnostics.extend(r.finish());
        }
    }

    /// After a reload: a scenario that was playable before and is broken now (a file saved half
    /// way, a typo) keeps its last good version, marked `stale`, so a running app goes on with what
    /// worked while the errors are shown; so does the ladder. A scenario removed from disk is gone.
    pub fn keep_last_good(&mut self, previous: &Library) {
        for i in 0..self.scenarios.len() {
            let entry = &self.scenarios[i];
            if entry.playable.is_some() {
                continue;
            }
            let before = previous.scenarios.iter().find(|p| p.path == entry.path).and_then(|p| p.playable.as_ref());
            if let Some(p) = before
                && self.scenarios_by_id_free(p.id(), &entry.path)
            {
                let entry = &mut self.scenarios[i];
                entry.playable = Some(Arc::clone(p));
                entry.stale = true;
            }
        }
        let ladder_broken = self.ladder.is_none()
            && previous.ladder_path.as_ref().is_some_and(|path| self.diagnostics.iter().any(|d| &d.path == path));
        if ladder_broken {
            self.ladder.clone_from(&previous.ladder);
            self.ladder_path.clone_from(&previous.ladder_path);
        }
    }

    /// Whether no other file of the new library already plays scenario `id`.
    fn scenarios_by_id_free(&self, id: &str, path: &str) -> bool {
        !self.scenarios.iter().any(|e| e.path != path && e.playable.as_ref().is_some_and(|p| p.id() == id))
    }

    /// Warns about every voice clip of a playable scenario that is not a file under `assets`: the
    /// call still plays, without that voice. (Paths that can never be such a file are errors of
    /// validation.)
    pub fn check_clips(&mut self, assets: &Path) {
        for p in self.scenarios.iter().filter_map(|e| e.playable.as_ref()) {
            let mut r = Reporter::new(&p.scenario_source);
            for (id, node) in p.scenario.nodes.iter() {
                let (Node::Line { audio, .. } | Node::End { audio, .. }) = node else { continue };
                for (k, clip) in audio.iter().enumerate() {
                    if validate::clip_problem(clip).is_none() && !assets.join(clip).is_file() {
                        let path = [field("nodes"), Seg::Key(id.to_owned()), field("audio"), Seg::Index(k)];
                        r.warning(&path, format!("there is no voice clip \"{clip}\" in {}", assets.display())).help =
                            Some(
                                "the call plays without this voice; the path is relative to the assets folder"
                                    .to_owned(),
                            );
                    }
                }
            }
            self.diagnostics.extend(r.finish());
        }
        self.diagnostics.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    }

    /// Warns about every persona whose `voice` is neither a built-in voice nor one of `department`
    /// (the voices a department declared for `callforge voice --voices FILE`), or speaks another
    /// language than its scenario: such a customer is voiced by the default voice, or not at all.
    pub fn check_voices(&mut self, department: &[super::voice::DepartmentVoice]) {
        use super::reporter::DiagnosticExt;
        use super::voice;
        for p in self.scenarios.iter().filter_map(|e| e.playable.as_ref()) {
            let Some(name) = p.scenario.persona.voice.as_deref() else { continue };
            let mut r = Reporter::new(&p.scenario_source);
            let at = [field("persona"), field("voice")];
            let language = voice::find(name)
                .map(|v| v.language.to_owned())
                .or_else(|| department.iter().find(|v| v.name == name).map(|v| v.language.clone()));
            match language {
                None => {
                    let mut known: Vec<&str> = voice::names();
                    known.extend(department.iter().map(|v| v.name.as_str()));
                    let help = format!(
                        "known voices: {}{}; a department's own voice is declared in the file given to `callforge voice --voices`",
                        known.join(", "),
                        r.suggest(name, &known)
                    );
                    r.warning(&at, format!("there is no voice \"{name}\"")).label("unknown voice").help(help);
                }
                Some(lang) if voice::base_language(&lang) != voice::base_language(&p.scenario.language) => {
                    r.warning(
                        &at,
                        format!(
                            "the voice \"{name}\" speaks \"{lang}\", the scenario is in \"{}\"",
                            p.scenario.language
                        ),
                    )
                    .help("choose a voice of the scenario's language (`callforge voice --list`)");
                }
                Some(_) => {}
            }
            self.diagnostics.extend(r.finish());
        }
        self.diagnostics.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// A playable scenario by id.
    pub fn scenario(&self, id: &str) -> Option<&Arc<Playable>> {
        self.scenarios.iter().filter_map(|e| e.playable.as_ref()).find(|p| p.id() == id)
    }

    /// Every playable scenario, in path order.
    pub fn playable(&self) -> impl Iterator<Item = &Arc<Playable>> {
        self.scenarios.iter().filter_map(|e| e.playable.as_ref())
    }
}

/// The files of a scenario root: scripts/*.ron, ladder.ron and every other folder's *.ron, sorted.
fn root_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(root).map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
    dirs.sort();
    for p in dirs {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&p)
                .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|f| is_ron(f)).collect())
                .unwrap_or_default();
            files.sort();
            out.extend(files);
        } else if is_ron(&p) {
            out.push(p);
        }
    }
    out
}

fn is_ron(p: &Path) -> bool {
    p.is_file() && p.extension().is_some_and(|e| e == "ron")
}

fn display(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn guess_kind(path: &str) -> Option<FileKind> {
    let p = Path::new(path);
    let parent = p.parent().and_then(Path::file_name).and_then(|s| s.to_str());
    match (parent, p.file_name().and_then(|s| s.to_str())) {
        (_, Some("ladder.ron")) => Some(FileKind::Ladder),
        (Some("scripts"), _) => Some(FileKind::Script),
        (Some("calibration"), _) => Some(FileKind::Calibration),
        (Some(_), _) if path.ends_with(".ron") => Some(FileKind::Scenario),
        _ => None,
    }
}

/// What can be read of a broken scenario's id, title, role and language, for the picker.
fn fill_from_tree(entry: &mut ScenarioEntry, text: &str) {
    let Ok(tree) = syntax::parse(text.trim_start_matches('\u{feff}')) else { return };
    let Some(fields) = tree.fields() else { return };
    for field in fields {
        let value = match &field.value.kind {
            Kind::Str(s) | Kind::Atom(s) => s.clone(),
            _ => continue,
        };
        match field.name.as_str() {
            "id" => entry.id = Some(value),
            "title" => entry.title = Some(value),
            "language" => entry.language = Some(value),
            "role" => entry.role = Role::parse(&value),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = r#"Script(id: "s", version: 1, role: Generator, title: "S", stages: [Stage(id: "a", title: "A", line: "Hello there.", weight: 1)])"#;
    const SCENARIO: &str = r#"Scenario(id: "generator/x", version: 1, title: "X", role: Generator, language: "en", script: "s", brief: "b",
        persona: Persona(name: "A", position: "B", company: "C", patience: 3), start: "q",
        nodes: { "q": Line(say: ["Hi"], expect: "a", choices: [Choice(text: "Hello there.", stage: "a", next: "z"), Choice(text: "Yo.", next: "z")]),
                 "z": End(outcome: Success, label: "ok") })"#;

    #[test]
    fn a_half_written_file_keeps_its_last_good_version() {
        let good = Library::from_sources(vec![
            SourceFile::new("scripts/s.ron", SCRIPT),
            SourceFile::new("generator/x.ron", SCENARIO),
        ]);
        assert!(good.scenario("generator/x").is_some());
        let half = &SCENARIO[..SCENARIO.len() / 2];
        let mut now = Library::from_sources(vec![
            SourceFile::new("scripts/s.ron", SCRIPT),
            SourceFile::new("generator/x.ron", half),
        ]);
        assert!(now.scenario("generator/x").is_none(), "the half file does not load");
        assert!(now.errors() > 0);
        now.keep_last_good(&good);
        let entry = &now.scenarios[0];
        assert!(entry.stale && entry.playable.is_some(), "the last good version is kept");
        assert!(now.scenario("generator/x").is_some());
        assert!(now.errors() > 0, "and the errors are still reported");
        // A file that is gone is gone.
        let mut removed = Library::from_sources(vec![SourceFile::new("scripts/s.ron", SCRIPT)]);
        removed.keep_last_good(&good);
        assert!(removed.scenario("generator/x").is_none());
    }
}
