//! The script sheet: a role's script (регламент) in one language laid out for study — stages in order, each line with its must-mention phrases located for highlighting, variants and forbidden phrases.

use super::feedback::Lang;
use super::library::Library;
use super::model::{Forbidden, Role, Script, Stage};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// One script, ready to be read or printed.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptSheet {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub role: Role,
    /// The language this sheet is for (`en`, `ru`, …), as the scenarios spell it.
    pub language: String,
    /// The scenarios of the role and language that follow this script, by id; empty when the sheet
    /// was found through the script's own `language`.
    pub scenarios: Vec<String>,
    pub min_similarity: f64,
    /// The sum of the stage weights (each stage's share of a score is its weight over this).
    pub total_weight: u32,
    pub stages: Vec<StageSheet>,
    /// The phrases never to say, for the whole script.
    pub forbidden: Vec<Forbidden>,
}

/// One stage of a script sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct StageSheet {
    /// 1, 2, … in script order.
    pub number: usize,
    pub id: String,
    pub title: String,
    pub weight: u32,
    /// The weight as a share of the script's total, 0–1.
    pub share: f64,
    pub critical: bool,
    /// The line as shown: `{trainee}` replaced by a placeholder in the sheet's language.
    pub line: String,
    /// Where the placeholder stands in `line` (byte ranges).
    pub placeholders: Vec<Range<usize>>,
    /// The must-mention phrases found in the line, in the script's order.
    pub mentions: Vec<Mention>,
    /// The must-mention phrases the line does not hold word for word (the scorer still asks for
    /// them): listed on their own, since nothing in the line can be highlighted for them.
    pub not_in_line: Vec<String>,
    /// Other lines the trainer accepts in full for this stage, placeholder shown as in `line`.
    pub variants: Vec<String>,
}

/// A must-mention phrase and where the line says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub phrase: String,
    /// Byte ranges of `StageSheet::line`, on character boundaries; never empty.
    pub spans: Vec<Range<usize>>,
}

/// What a piece of a line is, for whoever draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    Plain,
    /// Part of a must-mention phrase: highlight it.
    MustMention,
    /// Where the trainee says their own name.
    Placeholder,
}

/// A run of a line with one look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'a> {
    pub text: &'a str,
    pub kind: PieceKind,
}

impl StageSheet {
    /// The line cut into runs of plain text, must-mention phrases (overlapping phrases merged) and
    /// the placeholder, in order; their texts put together are the line.
    pub fn pieces(&self) -> Vec<Piece<'_>> {
        let line = self.line.as_str();
        let must: Vec<&Range<usize>> = self.mentions.iter().flat_map(|m| &m.spans).collect();
        let mut cuts: BTreeSet<usize> = [0, line.len()].into();
        for r in must.iter().copied().chain(&self.placeholders) {
            cuts.insert(r.start.min(line.len()));
            cuts.insert(r.end.min(line.len()));
        }
        let cuts: Vec<usize> = cuts.into_iter().filter(|&i| line.is_char_boundary(i)).collect();
        let mut runs: Vec<(usize, usize, PieceKind)> = Vec::new();
        for pair in cuts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let inside = |r: &Range<usize>| r.start <= a && b <= r.end;
            let kind = if self.placeholders.iter().any(inside) {
                PieceKind::Placeholder
            } else if must.iter().any(|r| inside(r)) {
                PieceKind::MustMention
            } else {
                PieceKind::Plain
            };
            match runs.last_mut() {
                Some(last) if last.2 == kind => last.1 = b,
                _ => runs.push((a, b, kind)),
            }
        }
        runs.into_iter().map(|(a, b, kind)| Piece { text: &line[a..b], kind }).collect()
    }
}

/// The languages a role can be studied in: those of its playable scenarios and of the scripts
/// that declare the role and a language, sorted.
pub fn languages(lib: &Library, role: Role) -> Vec<String> {
    let mut out: BTreeSet<String> =
        lib.playable().filter(|p| p.scenario.role == role).map(|p| normal(&p.scenario.language)).collect();
    out.extend(
        lib.scripts
            .values()
            .filter(|e| e.ok && e.script.role == role)
            .filter_map(|e| e.script.language.as_deref().map(normal)),
    );
    out.into_iter().filter(|l| !l.is_empty()).collect()
}

/// The sheets of a role's scripts in a language, the one most scenarios follow first; empty when
/// the role has no script in that language.
///
/// Which scripts: those the playable scenarios of that role and language follow. A role may have
/// several in a language (scenarios of different scripts); then each gets a sheet. When no
/// scenario of the role is in the language, the valid scripts that declare that role and
/// `language` themselves are used, so a script written before its scenarios can already be read.
pub fn sheets(lib: &Library, role: Role, language: &str) -> Vec<ScriptSheet> {
    let language = normal(language);
    let mut used: BTreeMap<&str, (&Script, Vec<String>)> = BTreeMap::new();
    for p in lib.playable().filter(|p| p.scenario.role == role && normal(&p.scenario.language) == language) {
        used.entry(p.script.id.as_str()).or_insert_with(|| (&*p.script, Vec::new())).1.push(p.id().to_owned());
    }
    let mut found: Vec<(&Script, Vec<String>)> = used.into_values().collect();
    if found.is_empty() {
        found = lib
            .scripts
            .values()
            .filter(|e| {
                e.ok && e.script.role == role && e.script.language.as_deref().map(normal) == Some(language.clone())
            })
            .map(|e| (&*e.script, Vec::new()))
            .collect();
    }
    // Most scenarios first; the map already ordered them by id.
    found.sort_by_key(|(_, scenarios)| std::cmp::Reverse(scenarios.len()));
    found.into_iter().map(|(script, scenarios)| sheet(script, &language, scenarios)).collect()
}

/// The sheet of one script, for a language (which names the placeholder for the trainee's name).
pub fn sheet(script: &Script, language: &str, scenarios: Vec<String>) -> ScriptSheet {
    let placeholder = Lang::from_code(language).trainee_placeholder();
    let total_weight: u32 = script.stages.iter().map(|s| s.weight).fold(0, u32::saturating_add);
    ScriptSheet {
        id: script.id.clone(),
        version: script.version,
        title: script.title.clone(),
        role: script.role,
        language: language.to_owned(),
        scenarios,
        min_similarity: script.min_similarity,
        total_weight,
        stages: script
            .stages
            .iter()
            .enumerate()
            .map(|(i, stage)| stage_sheet(i + 1, stage, total_weight, placeholder))
            .collect(),
        forbidden: script.forbidden.clone(),
    }
}

fn stage_sheet(number: usize, stage: &Stage, total_weight: u32, placeholder: &str) -> StageSheet {
    let (line, placeholders) = fill(&stage.line, placeholder);
    let mut mentions = Vec::new();
    let mut not_in_line = Vec::new();
    for phrase in &stage.must_mention {
        let spans = find(&line, phrase);
        if spans.is_empty() {
            not_in_line.push(phrase.clone());
        } else {
            mentions.push(Mention { phrase: phrase.clone(), spans });
        }
    }
    StageSheet {
        number,
        id: stage.id.clone(),
        title: stage.title.clone(),
        weight: stage.weight,
        share: if total_weight == 0 { 0.0 } else { f64::from(stage.weight) / f64::from(total_weight) },
        critical: stage.critical,
        line,
        placeholders,
        mentions,
        not_in_line,
        variants: stage.variants.iter().map(|v| fill(v, placeholder).0).collect(),
    }
}

/// A language code as compared: trimmed, lower case.
fn normal(code: &str) -> String {
    code.trim().to_lowercase()
}

/// The text with every `{trainee}` replaced by `placeholder`, and where each replacement stands.
fn fill(text: &str, placeholder: &str) -> (String, Vec<Range<usize>>) {
    const NAME: &str = "{trainee}";
    let mut out = String::with_capacity(text.len());
    let mut spans = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(NAME) {
        out.push_str(&rest[..at]);
        spans.push(out.len()..out.len() + placeholder.len());
        out.push_str(placeholder);
        rest = &rest[at + NAME.len()..];
    }
    out.push_str(rest);
    (out, spans)
}

/// A character as phrases are looked for: lower case (when that is one character), ё as е, any
/// space as a plain space. One character in, one out, so positions carry over.
fn fold(c: char) -> char {
    if c.is_whitespace() {
        return ' ';
    }
    let mut lower = c.to_lowercase();
    let c = match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    };
    if c == 'ё' { 'е' } else { c }
}

/// Every place `phrase` stands in `line` as whole words (case, ё/е and the kind of space aside),
/// left to right without overlap, as byte ranges of `line`.
fn find(line: &str, phrase: &str) -> Vec<Range<usize>> {
    let needle: Vec<char> = phrase.trim().chars().map(fold).collect();
    let hay: Vec<(usize, char)> = line.char_indices().map(|(i, c)| (i, fold(c))).collect();
    let n = needle.len();
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let word = |c: char| c.is_alphanumeric();
    let mut i = 0;
    while i + n <= hay.len() {
        let same = hay[i..i + n].iter().map(|&(_, c)| c).eq(needle.iter().copied());
        let starts_word = i == 0 || !word(hay[i - 1].1) || !word(needle[0]);
        let ends_word = i + n == hay.len() || !word(hay[i + n].1) || !word(needle[n - 1]);
        if same && starts_word && ends_word {
            let end = hay.get(i + n).map_or(line.len(), |&(b, _)| b);
            out.push(hay[i].0..end);
            i += n;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::source::SourceFile;

    const SCRIPT_EN: &str = r#"Script(id: "cold", version: 3, role: Generator, title: "Cold call", stages: [
        Stage(id: "greeting", title: "Greet", line: "Good afternoon! My name is {trainee}, calling from Northwind.",
              must_mention: ["my name is", "northwind"], weight: 10, critical: true,
              variants: ["Hello, this is {trainee} from Northwind."]),
        Stage(id: "meeting", title: "Propose a meeting", line: "Could we meet on Tuesday?",
              must_mention: ["two times"], weight: 30),
    ], forbidden: [Forbidden(phrase: "to be honest", penalty: 5), Forbidden(phrase: "stupid", penalty: 50, critical: true)])"#;
    const SCRIPT_RU: &str = r#"Script(id: "cold-ru", version: 1, role: Generator, title: "Холодный звонок", language: "ru", stages: [
        Stage(id: "greeting", title: "Поздороваться", line: "Добрый день! Меня зовут {trainee}, компания «Северный ветер».",
              must_mention: ["меня зовут", "северный ветер"], weight: 10, critical: true),
    ])"#;
    const OTHER_EN: &str = r#"Script(id: "other", version: 1, role: Generator, title: "Other", stages: [
        Stage(id: "a", title: "A", line: "Hello there.", weight: 1)])"#;
    const DRAFT: &str = r#"Script(id: "draft-de", version: 1, role: Closer, title: "Entwurf", language: "de", stages: [
        Stage(id: "a", title: "A", line: "Guten Tag.", weight: 1)])"#;

    fn scenario(id: &str, language: &str, script: &str, stage: &str, line: &str) -> String {
        format!(
            r#"Scenario(id: "{id}", version: 1, title: "T", role: Generator, language: "{language}", script: "{script}", brief: "b",
            persona: Persona(name: "A", position: "B", company: "C", patience: 3), start: "q",
            nodes: {{ "q": Line(say: ["Hi"], expect: "{stage}", choices: [Choice(text: "{line}", stage: "{stage}", next: "z")]),
                     "z": End(outcome: Success, label: "ok") }})"#
        )
    }

    fn lib() -> Library {
        let greet = "Good afternoon! My name is {trainee}, calling from Northwind.";
        let ru = "Добрый день! Меня зовут {trainee}, компания «Северный ветер».";
        let lib = Library::from_sources(vec![
            SourceFile::new("scripts/cold.ron", SCRIPT_EN),
            SourceFile::new("scripts/cold-ru.ron", SCRIPT_RU),
            SourceFile::new("scripts/other.ron", OTHER_EN),
            SourceFile::new("scripts/draft-de.ron", DRAFT),
            SourceFile::new("generator/a.ron", scenario("generator/a", "en", "cold", "greeting", greet)),
            SourceFile::new("generator/b.ron", scenario("generator/b", "en", "cold", "greeting", greet)),
            SourceFile::new("generator/c.ron", scenario("generator/c", "en", "other", "a", "Hello there.")),
            SourceFile::new("generator/d.ron", scenario("generator/d", "ru", "cold-ru", "greeting", ru)),
        ]);
        assert_eq!(lib.errors(), 0, "{:?}", lib.diagnostics);
        lib
    }

    #[test]
    fn a_role_has_a_sheet_per_script_its_scenarios_follow_the_most_followed_first() {
        let lib = lib();
        let en = sheets(&lib, Role::Generator, "EN");
        assert_eq!(en.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["cold", "other"]);
        assert_eq!(en[0].scenarios, ["generator/a", "generator/b"]);
        assert_eq!((en[0].version, en[0].total_weight, en[0].language.as_str()), (3, 40, "en"));
        let ru = sheets(&lib, Role::Generator, "ru");
        assert_eq!(ru.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["cold-ru"]);
        assert!(sheets(&lib, Role::AccountManager, "en").is_empty());
        assert_eq!(languages(&lib, Role::Generator), ["en", "ru"]);
    }

    #[test]
    fn without_scenarios_a_script_that_declares_its_language_is_used() {
        let lib = lib();
        let de = sheets(&lib, Role::Closer, "de");
        assert_eq!((de.len(), de[0].id.as_str()), (1, "draft-de"));
        assert!(de[0].scenarios.is_empty());
        assert_eq!(languages(&lib, Role::Closer), ["de"]);
    }

    #[test]
    fn stages_keep_their_order_weights_and_critical_marks() {
        let s = &sheets(&lib(), Role::Generator, "en")[0];
        let got: Vec<(usize, &str, u32, bool)> =
            s.stages.iter().map(|st| (st.number, st.id.as_str(), st.weight, st.critical)).collect();
        assert_eq!(got, [(1, "greeting", 10, true), (2, "meeting", 30, false)]);
        assert!((s.stages[1].share - 0.75).abs() < 1e-9);
        assert_eq!(
            s.forbidden.iter().map(|f| (f.phrase.as_str(), f.critical)).collect::<Vec<_>>(),
            [("to be honest", false), ("stupid", true)]
        );
    }

    #[test]
    fn must_mention_phrases_are_located_in_the_line_and_missing_ones_listed_apart() {
        let s = &sheets(&lib(), Role::Generator, "en")[0];
        let greet = &s.stages[0];
        assert_eq!(greet.line, "Good afternoon! My name is [your name], calling from Northwind.");
        let found: Vec<(&str, Vec<&str>)> = greet
            .mentions
            .iter()
            .map(|m| (m.phrase.as_str(), m.spans.iter().map(|r| &greet.line[r.clone()]).collect()))
            .collect();
        assert_eq!(found, [("my name is", vec!["My name is"]), ("northwind", vec!["Northwind"])]);
        assert!(greet.not_in_line.is_empty());
        assert_eq!(greet.variants, ["Hello, this is [your name] from Northwind."]);
        let meeting = &s.stages[1];
        assert!(meeting.mentions.is_empty());
        assert_eq!(meeting.not_in_line, ["two times"]);
    }

    #[test]
    fn russian_lines_are_matched_by_characters_not_bytes() {
        let s = &sheets(&lib(), Role::Generator, "ru")[0];
        let st = &s.stages[0];
        assert_eq!(st.line, "Добрый день! Меня зовут [ваше имя], компания «Северный ветер».");
        let pieces: Vec<(&str, PieceKind)> = st.pieces().iter().map(|p| (p.text, p.kind)).collect();
        assert_eq!(
            pieces,
            [
                ("Добрый день! ", PieceKind::Plain),
                ("Меня зовут", PieceKind::MustMention),
                (" ", PieceKind::Plain),
                ("[ваше имя]", PieceKind::Placeholder),
                (", компания «", PieceKind::Plain),
                ("Северный ветер", PieceKind::MustMention),
                ("».", PieceKind::Plain),
            ]
        );
    }

    #[test]
    fn phrases_match_whole_words_case_and_yo_aside() {
        assert_eq!(find("Start the art", "art"), vec![Range { start: 10, end: 13 }]);
        assert_eq!(find("ART, art and Art", "art"), [0..3, 5..8, 13..16]);
        assert!(find("сэкономить", "экономить").is_empty(), "not inside another word");
        let line = "Всё ещё ЁЛКА";
        let spans = find(line, "все еще елка");
        assert_eq!(spans.iter().map(|r| &line[r.clone()]).collect::<Vec<_>>(), ["Всё ещё ЁЛКА"]);
        assert!(find("anything", "  ").is_empty());
        assert_eq!(find("next-day delivery", "next-day"), vec![Range { start: 0, end: 8 }]);
    }

    #[test]
    fn overlapping_phrases_merge_into_one_highlight() {
        let stage = Stage {
            id: "s".into(),
            title: "S".into(),
            line: "We are Northwind Office Supply.".into(),
            must_mention: vec!["northwind office".into(), "office supply".into()],
            weight: 1,
            critical: false,
            variants: vec![],
        };
        let st = stage_sheet(1, &stage, 1, "[x]");
        let pieces: Vec<(&str, PieceKind)> = st.pieces().iter().map(|p| (p.text, p.kind)).collect();
        assert_eq!(
            pieces,
            [
                ("We are ", PieceKind::Plain),
                ("Northwind Office Supply", PieceKind::MustMention),
                (".", PieceKind::Plain)
            ]
        );
        assert_eq!(st.pieces().iter().map(|p| p.text).collect::<String>(), st.line);
    }
}
