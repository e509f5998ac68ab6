//! The file model: scripts, scenarios, the ladder and run files, exactly as authors write them in RON.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// A rung of the sales ladder, in promotion order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    Generator,
    Closer,
    AccountManager,
}

impl Role {
    /// Every role, in ladder order.
    pub const ALL: [Role; 3] = [Role::Generator, Role::Closer, Role::AccountManager];

    /// The name used in files and on the command line (`Generator`, `Closer`, `AccountManager`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Generator => "Generator",
            Role::Closer => "Closer",
            Role::AccountManager => "AccountManager",
        }
    }

    /// The folder under `scenarios/` that holds this role's scenarios.
    pub fn dir(self) -> &'static str {
        match self {
            Role::Generator => "generator",
            Role::Closer => "closer",
            Role::AccountManager => "account",
        }
    }

    /// Parses a role from its file name, its folder name or a lower-case spelling.
    pub fn parse(s: &str) -> Option<Role> {
        let lower = s.to_lowercase().replace(['-', '_', ' '], "");
        match lower.as_str() {
            "generator" | "gen" => Some(Role::Generator),
            "closer" => Some(Role::Closer),
            "accountmanager" | "account" | "am" => Some(Role::AccountManager),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a call is played.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    /// Choices, with the script panel showing the expected stage and its line.
    Practice,
    /// Choices, no hints.
    Exam,
    /// No choices: the trainee types the script line from memory.
    Recall,
    /// One customer line that expects a stage, answered by typing, scored by the Recall rules: a
    /// short exercise aimed at one stage (`Run::drill` names the line). Never an exam.
    Drill,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Practice, Mode::Exam, Mode::Recall, Mode::Drill];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Practice => "Practice",
            Mode::Exam => "Exam",
            Mode::Recall => "Recall",
            Mode::Drill => "Drill",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a call ended for the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Success,
    Failure,
}

/// How hard a scenario is, as shown in the scenario picker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Difficulty {
    Easy,
    #[default]
    Medium,
    Hard,
}

fn default_min_similarity() -> f64 {
    0.6
}

fn default_pass_mark() -> u32 {
    80
}

/// A company's prescribed call for one role (регламент).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    pub id: String,
    pub version: u32,
    pub role: Role,
    pub title: String,
    /// `en`, `ru`, …; optional because the contract example has none.
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default = "default_min_similarity")]
    pub min_similarity: f64,
    pub stages: Vec<Stage>,
    #[serde(default)]
    pub forbidden: Vec<Forbidden>,
}

/// One step of a script: the exact line to say and how much it counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: String,
    pub title: String,
    pub line: String,
    #[serde(default)]
    pub must_mention: Vec<String>,
    pub weight: u32,
    #[serde(default)]
    pub critical: bool,
    /// Other lines the trainer accepts in full for this stage (scorer version 2 and later): a Recall
    /// turn's quality is the best over the line and these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
}

/// A phrase the trainee must never say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forbidden {
    pub phrase: String,
    pub penalty: u32,
    #[serde(default)]
    pub critical: bool,
}

/// One simulated customer for one role, following one script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub role: Role,
    pub language: String,
    pub script: String,
    pub brief: String,
    pub persona: Persona,
    #[serde(default)]
    pub difficulty: Difficulty,
    #[serde(default = "default_pass_mark")]
    pub pass_mark: u32,
    pub start: String,
    pub nodes: Nodes,
    #[serde(default)]
    pub on_patience_out: Option<String>,
    /// The same situation in the other language (a scenario id): the two are equally hard and are
    /// each other's partner, so an exam can be taken in a trainee's own language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
}

/// The simulated customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub name: String,
    pub position: String,
    pub company: String,
    pub patience: i32,
    /// The voice the customer speaks with (`callforge voice --list`); without it, the first voice
    /// of the scenario's language that fits the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<String>,
    /// How fast the customer speaks: 1 as the voice speaks, 1.2 a fifth faster (0.5–2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
}

/// The dialogue graph, in file order. Duplicate ids are kept so that validation can report them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Nodes(pub Vec<(String, Node)>);

impl Nodes {
    pub fn get(&self, id: &str) -> Option<&Node> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, n)| n)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.0.iter().map(|(k, n)| (k.as_str(), n))
    }
}

impl<'de> Deserialize<'de> for Nodes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodesVisitor;
        impl<'de> Visitor<'de> for NodesVisitor {
            type Value = Nodes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of node ids to nodes")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Nodes, A::Error> {
                let mut nodes = Vec::with_capacity(map.size_hint().unwrap_or(16));
                while let Some((k, v)) = map.next_entry::<String, Node>()? {
                    nodes.push((k, v));
                }
                Ok(Nodes(nodes))
            }
        }
        deserializer.deserialize_map(NodesVisitor)
    }
}

impl Serialize for Nodes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A node of the dialogue graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Node {
    /// A customer turn: one of `say` is drawn, then the trainee answers.
    Line {
        say: Vec<String>,
        #[serde(default)]
        expect: Option<String>,
        choices: Vec<Choice>,
        /// Voice clips, one per entry of `say`, relative to the assets folder.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        audio: Vec<String>,
    },
    /// One branch drawn by weight.
    Random { branches: Vec<Branch> },
    /// The call is over.
    End {
        outcome: Outcome,
        label: String,
        #[serde(default)]
        say: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        audio: Vec<String>,
    },
}

/// A reply the trainee may give at a `Line`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub text: String,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub feedback: Option<String>,
    #[serde(default)]
    pub patience: i32,
    pub next: String,
    /// Points this reply costs (scorer version 2 and later), even on a line that expects no stage.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub penalty: u32,
    /// Why this reply is a critical error, if it is one (scorer version 2 and later): saying it fails
    /// the call, even on a line that expects no stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical: Option<String>,
}

impl Choice {
    /// Whether the author marked this reply as a mistake: feedback, lost patience, a penalty or a
    /// critical mark.
    pub fn marked_wrong(&self) -> bool {
        self.feedback.is_some() || self.patience < 0 || self.penalty > 0 || self.critical.is_some()
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// One weighted way out of a `Random` node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub weight: u32,
    pub next: String,
}

/// The promotion ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    pub rungs: Vec<Rung>,
}

/// One rung of the ladder and what it takes to reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rung {
    pub role: Role,
    pub title: String,
    #[serde(default)]
    pub exam: Option<Exam>,
}

/// The certification exam for a rung.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exam {
    /// The exam's scenarios, one per place in the exam. A trainee of another language takes each
    /// one's `partner` in their language instead (see `languages`).
    pub scenarios: Vec<String>,
    /// The exam in a language, named outright: `{"ru": ["closer/a-ru", "closer/b-ru"]}`, one
    /// scenario for each of `scenarios`, in the same order and equally hard. A language without a
    /// list here takes the partners of `scenarios` in that language. A pass of any of them counts
    /// for its place, whatever the trainee's language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub languages: BTreeMap<String, Vec<String>>,
    pub mode: Mode,
    pub min_score: u32,
    pub practice_runs: u32,
    pub cooldown_hours: u32,
}

/// One trainee turn as recorded in a run file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Input {
    /// Picks choice `i` (0-based).
    Choose(usize),
    /// A typed reply (Recall mode).
    Type(String),
    /// The trainee hung up; it must be the last input.
    HangUp,
}

/// One play of a scenario, replayable anywhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    pub scenario: String,
    /// The scenario's `version` when the run was played.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// The content hash of scenario and script when the run was played.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    pub seed: u64,
    pub mode: Mode,
    pub trainee: String,
    /// The scorer version that scores this run (DESIGN.md, "Scorer versions"); absent means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scorer: Option<u32>,
    pub inputs: Vec<Input>,
    /// In Drill mode, the id of the `Line` node the exercise is (the customer line the trainee
    /// answers); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drill: Option<String>,
    /// Milliseconds from the start of the call to each input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times_ms: Vec<u64>,
    /// When the call was played (RFC 3339, UTC), written by the shell that recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub played_at: Option<String>,
}

/// A run file's text: pretty RON, one input per line, readable and diffable.
pub fn run_to_ron(run: &Run) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new().depth_limit(2).indentor("    ".to_owned()).struct_names(true);
    ron::ser::to_string_pretty(run, config).map(|mut s| {
        s.push('\n');
        s
    })
}

/// Writes a run file atomically: the text goes to a temporary file that is then renamed into place,
/// so a crash never leaves half a run behind; a failure removes the temporary file.
pub fn write_run(path: &std::path::Path, run: &Run) -> std::io::Result<()> {
    let text = run_to_ron(run).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("ron.tmp");
    let written = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn default_min_agreement() -> f64 {
    0.95
}

fn default_calibration_trainee() -> String {
    "Alex".to_owned()
}

/// A trainer's gold standard for one script: typed lines, forbidden-phrase checks and whole calls,
/// each labelled by a trainer, to check a scorer version against (`callforge calibrate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    pub script: String,
    /// The share of labels the scorer must agree with (0–1).
    #[serde(default = "default_min_agreement")]
    pub min_agreement: f64,
    /// The name `{trainee}` stands for in the script's lines.
    #[serde(default = "default_calibration_trainee")]
    pub trainee: String,
    #[serde(default)]
    pub lines: Vec<LabelledLine>,
    #[serde(default)]
    pub forbidden: Vec<LabelledCheck>,
    #[serde(default)]
    pub calls: Vec<LabelledCall>,
}

/// A line typed for a stage, and whether the trainer accepts it as that stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Line", deny_unknown_fields)]
pub struct LabelledLine {
    pub stage: String,
    pub text: String,
    pub verdict: LineVerdict,
    /// Why, in the trainer's words.
    #[serde(default)]
    pub note: String,
}

/// A trainer's verdict on a typed line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineVerdict {
    Accept,
    Reject,
}

/// Something a trainee said, and whether the trainer charges the script's forbidden-phrase penalty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Check", deny_unknown_fields)]
pub struct LabelledCheck {
    pub text: String,
    pub verdict: PhraseVerdict,
    #[serde(default)]
    pub note: String,
}

/// A trainer's verdict on forbidden phrases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhraseVerdict {
    Penalise,
    Allow,
}

/// A whole call, and whether the trainer would pass it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Call", deny_unknown_fields)]
pub struct LabelledCall {
    pub run: Run,
    pub verdict: CallVerdict,
    #[serde(default)]
    pub note: String,
}

/// A trainer's verdict on a whole call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallVerdict {
    Pass,
    Fail,
}
