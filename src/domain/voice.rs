//! Customer voices: the table of voice names and the engines behind them, which voice a persona
//! speaks with, what text a line's clip says, and the cache key every clip is stored under.
//!
//! Rendering is the shells' job (`callforge voice` runs the synthesisers as subprocesses); this
//! module only decides, so the command line and the window agree on which clip belongs to a line.

use super::model::{Node, Persona, Scenario};
use super::playable::Playable;
use serde::{Deserialize, Serialize};

/// A speech synthesiser callforge can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Festival's `text2wave` with a Festival voice (Debian: festival, festvox-*).
    Festival(&'static str),
    /// `espeak-ng` with a voice and variant such as `ru+f3` (Debian: espeak-ng).
    Espeak(&'static str),
}

/// One way to render a voice: an engine, then a pitch shift applied with sox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Render {
    pub engine: Engine,
    /// Pitch shift in cents (100 = a semitone); 0 leaves the voice as recorded.
    pub pitch_cents: i32,
}

impl Render {
    const fn new(engine: Engine) -> Render {
        Render { engine, pitch_cents: 0 }
    }

    /// A Festival voice as recorded.
    pub const fn new_festival(voice: &'static str) -> Render {
        Render::new(Engine::Festival(voice))
    }

    const fn pitched(engine: Engine, pitch_cents: i32) -> Render {
        Render { engine, pitch_cents }
    }

    /// A short text naming the engine and its settings, stored beside each clip so that a clip
    /// made by another engine or with other settings is seen and made again.
    pub fn fingerprint(&self) -> String {
        let engine = match self.engine {
            Engine::Festival(v) => format!("festival:{v}"),
            Engine::Espeak(v) => format!("espeak-ng:{v}"),
        };
        if self.pitch_cents == 0 { engine } else { format!("{engine} pitch {:+}", self.pitch_cents) }
    }

    /// The text as this engine can read it (see [`festival_russian_text`]).
    pub fn prepare(&self, language: &str, text: &str) -> String {
        match self.engine {
            Engine::Festival(_) if language == "ru" => festival_russian_text(text),
            Engine::Festival(_) => festival_text(text),
            Engine::Espeak(_) => text.to_owned(),
        }
    }
}

/// A voice a department brings: any program that turns a line of text into a WAV file (a neural
/// voice, a commercial engine, a recorded-phrase splicer). Declared in a file given to
/// `callforge voice --voices FILE`, never in scenario files, so content cannot run programs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Voice", deny_unknown_fields)]
pub struct DepartmentVoice {
    pub name: String,
    /// The language it speaks (`ru`, `en`).
    pub language: String,
    /// The program and its arguments. `{wav}` is replaced by the WAV file to write, `{text}` by a
    /// UTF-8 file holding the line; without `{text}` the line is written to the program's input.
    pub command: Vec<String>,
    #[serde(default)]
    pub about: String,
}

impl DepartmentVoice {
    /// The settings that make its sound: a changed command makes its clips again.
    pub fn fingerprint(&self) -> String {
        format!("command:{}", self.command.join(" "))
    }
}

/// The file of a department's voices: `Voices([Voice(name: …, language: …, command: [...]), …])`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Voices")]
pub struct DepartmentVoices(pub Vec<DepartmentVoice>);

/// Reads a department's voice file; a problem is returned as `line:column: message`. A voice with
/// no name, no program, a built-in's name or a name used twice is refused.
pub fn read_department_voices(text: &str) -> Result<Vec<DepartmentVoice>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let voices = super::parse::ron_options()
        .from_str::<DepartmentVoices>(text)
        .map_err(|e| format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code))?
        .0;
    let mut seen = std::collections::BTreeSet::new();
    for v in &voices {
        if v.name.trim().is_empty() || v.command.first().is_none_or(|c| c.trim().is_empty()) {
            return Err(format!("the voice \"{}\" needs a name and a program to run", v.name));
        }
        if find(&v.name).is_some() {
            return Err(format!("\"{}\" is a built-in voice; give the department's voice a name of its own", v.name));
        }
        if !seen.insert(v.name.as_str()) {
            return Err(format!("the voice \"{}\" is declared twice", v.name));
        }
    }
    Ok(voices)
}

/// Who a voice sounds like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    Female,
    Male,
}

/// A voice a persona can name: its language and the engines that can render it, best first. The
/// first one installed renders; espeak-ng, always last, is the fallback everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voice {
    pub name: &'static str,
    /// The language it speaks, as scenario files write it (`ru`, `en`).
    pub language: &'static str,
    pub gender: Gender,
    /// In a few words, for `callforge voice --list` and VOICES.md.
    pub about: &'static str,
    pub renders: &'static [Render],
}

const FESTIVAL_RU: Engine = Engine::Festival("msu_ru_nsh_clunits");
const FESTIVAL_SLT: Engine = Engine::Festival("cmu_us_slt_arctic_hts");
const FESTIVAL_KAL: Engine = Engine::Festival("kal_diphone");
const FESTIVAL_KED: Engine = Engine::Festival("ked_diphone");

/// Every built-in voice. The first of each language and gender is the default for personas of
/// that language and gender (see [`voice_for`]).
pub const VOICES: &[Voice] = &[
    Voice {
        name: "ru-male-1",
        language: "ru",
        gender: Gender::Male,
        about: "Festival's Russian voice (recorded from a real speaker); espeak-ng if Festival is missing",
        renders: &[Render::new(FESTIVAL_RU), Render::new(Engine::Espeak("ru+m3"))],
    },
    Voice {
        name: "ru-female-1",
        language: "ru",
        gender: Gender::Female,
        about: "Festival's Russian voice raised four semitones; espeak-ng's female variant if Festival is missing",
        renders: &[Render::pitched(FESTIVAL_RU, 400), Render::new(Engine::Espeak("ru+f3"))],
    },
    Voice {
        name: "ru-male-2",
        language: "ru",
        gender: Gender::Male,
        about: "Festival's Russian voice two semitones lower: an older, slower-sounding man",
        renders: &[Render::pitched(FESTIVAL_RU, -200), Render::new(Engine::Espeak("ru+m1"))],
    },
    Voice {
        name: "ru-female-2",
        language: "ru",
        gender: Gender::Female,
        about: "espeak-ng's Russian female variant: robotic but clearly a different person",
        renders: &[Render::new(Engine::Espeak("ru+f4"))],
    },
    Voice {
        name: "en-female-1",
        language: "en",
        gender: Gender::Female,
        about: "Festival's CMU SLT voice (US English, HTS): the clearest English voice in Debian",
        renders: &[Render::new(FESTIVAL_SLT), Render::new(Engine::Espeak("en-us+f3"))],
    },
    Voice {
        name: "en-male-1",
        language: "en",
        gender: Gender::Male,
        about: "Festival's KAL diphone voice (US English, male)",
        renders: &[Render::new(FESTIVAL_KAL), Render::new(Engine::Espeak("en-us+m3"))],
    },
    Voice {
        name: "en-male-2",
        language: "en",
        gender: Gender::Male,
        about: "Festival's KED diphone voice (US English, male, deeper)",
        renders: &[Render::new(FESTIVAL_KED), Render::new(Engine::Espeak("en-gb+m1"))],
    },
    Voice {
        name: "en-female-2",
        language: "en",
        gender: Gender::Female,
        about: "Festival's CMU SLT voice two semitones lower",
        renders: &[Render::pitched(FESTIVAL_SLT, -200), Render::new(Engine::Espeak("en-gb+f2"))],
    },
];

/// A built-in voice by name.
pub fn find(name: &str) -> Option<&'static Voice> {
    VOICES.iter().find(|v| v.name == name)
}

/// The names of the built-in voices.
pub fn names() -> Vec<&'static str> {
    VOICES.iter().map(|v| v.name).collect()
}

/// The slowest and fastest speaking rates a persona may ask for; others are clamped.
pub const RATES: std::ops::RangeInclusive<f64> = 0.5..=2.0;

/// A persona's speaking rate: 1 is as the engine speaks, 1.2 a fifth faster.
pub fn rate(persona: &Persona) -> f64 {
    persona.rate.filter(|r| r.is_finite()).map_or(1.0, |r| r.clamp(*RATES.start(), *RATES.end()))
}

/// The main language of a language tag: `en-GB` → `en`.
pub fn base_language(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or(tag).trim().to_lowercase()
}

/// The voice a scenario's customer speaks with: the persona's `voice` when it names one, else the
/// first built-in voice of the scenario's language that fits the persona's name (see
/// [`guess_gender`]). `None` for a language no built-in voice speaks.
pub fn voice_for(scenario: &Scenario) -> Option<VoiceName> {
    if let Some(name) = scenario.persona.voice.as_deref() {
        return Some(VoiceName(name.to_owned()));
    }
    let lang = base_language(&scenario.language);
    let gender = guess_gender(&lang, &scenario.persona.name);
    VOICES
        .iter()
        .find(|v| v.language == lang && v.gender == gender)
        .or_else(|| VOICES.iter().find(|v| v.language == lang))
        .map(|v| VoiceName(v.name.to_owned()))
}

/// The name of the voice a customer speaks with: a built-in voice, or one a department declared
/// for `callforge voice` (`--voices FILE`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VoiceName(pub String);

/// Whether a persona's name reads as a woman's: in Russian by the first name's ending (with the
/// usual men's names in -а/-я) and the surname's; in English by common women's first names and
/// titles. Anything else is taken as a man's. Authors who want another voice name it.
pub fn guess_gender(language: &str, name: &str) -> Gender {
    let words: Vec<String> =
        name.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase()).collect();
    let female = match language {
        "ru" => russian_female(&words),
        _ => {
            words.iter().any(|w| ["mrs", "ms", "miss", "madam"].contains(&w.as_str()))
                || words.iter().take(2).any(|w| ENGLISH_WOMEN.contains(&w.as_str()))
        }
    };
    if female { Gender::Female } else { Gender::Male }
}

fn russian_female(words: &[String]) -> bool {
    if words.iter().any(|w| RUSSIAN_MEN_IN_A.contains(&w.as_str())) {
        return false;
    }
    let surname_f = ["ова", "ева", "ёва", "ина", "ына", "ская", "цкая", "ая"];
    let surname_m = ["ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ий", "ой"];
    if let Some(first) = words.first()
        && (first.ends_with('а') || first.ends_with('я'))
    {
        return true;
    }
    if words.iter().any(|w| surname_f.iter().any(|s| w.ends_with(s))) {
        return true;
    }
    if words.iter().any(|w| surname_m.iter().any(|s| w.ends_with(s))) {
        return false;
    }
    ["любовь", "нинель", "эсфирь", "юдифь", "руфь"].contains(&words.first().map_or("", String::as_str))
}

/// Men's first names (and short forms) that end in -а or -я.
const RUSSIAN_MEN_IN_A: &[&str] = &[
    "никита",
    "илья",
    "кузьма",
    "фома",
    "лука",
    "савва",
    "данила",
    "гаврила",
    "миша",
    "саша",
    "паша",
    "гоша",
    "дима",
    "ваня",
    "петя",
    "вася",
    "коля",
    "толя",
    "лёша",
    "леша",
    "серёжа",
    "сережа",
    "юра",
    "слава",
    "витя",
    "володя",
    "костя",
    "боря",
    "гена",
    "федя",
    "стёпа",
    "степа",
    "сеня",
    "тёма",
    "тема",
    "женя",
    "лёва",
    "лева",
    "миля",
    "яша",
    "гриша",
    "ерёма",
    "добрыня",
    "аркаша",
    "стас",
    "жора",
    "макар",
];

/// Common English women's first names.
const ENGLISH_WOMEN: &[&str] = &[
    "abigail",
    "alice",
    "alison",
    "amanda",
    "amy",
    "andrea",
    "angela",
    "ann",
    "anna",
    "anne",
    "barbara",
    "betty",
    "beth",
    "brenda",
    "carol",
    "caroline",
    "catherine",
    "charlotte",
    "chloe",
    "christine",
    "claire",
    "deborah",
    "denise",
    "diana",
    "donna",
    "dorothy",
    "eleanor",
    "elizabeth",
    "ella",
    "ellen",
    "emily",
    "emma",
    "eva",
    "fiona",
    "grace",
    "hannah",
    "heather",
    "helen",
    "isabel",
    "jane",
    "janet",
    "jennifer",
    "jessica",
    "joan",
    "julia",
    "julie",
    "karen",
    "kate",
    "katherine",
    "kelly",
    "laura",
    "lauren",
    "linda",
    "lisa",
    "lucy",
    "margaret",
    "maria",
    "marie",
    "mary",
    "megan",
    "melissa",
    "michelle",
    "nancy",
    "natalie",
    "nicole",
    "olivia",
    "pamela",
    "patricia",
    "priya",
    "rachel",
    "rebecca",
    "rose",
    "ruth",
    "sandra",
    "sarah",
    "sharon",
    "sophie",
    "stephanie",
    "susan",
    "teresa",
    "victoria",
    "wendy",
    "zoe",
];

/// The telephone sound a clip is rendered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// 8 kHz, band-limited to 300–3400 Hz, lightly compressed: a phone line.
    Telephone,
    /// The voice as the engine made it.
    Clean,
}

impl Effect {
    pub const ALL: [Effect; 2] = [Effect::Telephone, Effect::Clean];

    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Telephone => "telephone",
            Effect::Clean => "clean",
        }
    }
}

/// Bumped when what a clip sounds like changes for the same text, voice, rate and effect (the
/// text preparation, the sox chain), so that every cached clip is made again.
pub const CLIP_FORMAT: &str = "callforge-voice/1";

/// What a customer line's clip says: the line with `{trainee}` left out.
///
/// Clips are rendered before anyone trains, so the trainee's name cannot be in them; a line that
/// greets the trainee by name is spoken without the name (the subtitle still shows it), which is
/// how people talk on the phone anyway. Splitting the clip around the name would leave a gap, and
/// a stand-in word ("colleague") would be heard as a mistake.
pub fn spoken_text(say: &str) -> String {
    let had_name_first = say.trim_start().starts_with("{trainee}");
    let raw = say.replace("{trainee}", " ");
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        if is_mark(c) {
            while out.ends_with(' ') {
                out.pop();
            }
            // ", ," and ", !" after a removed name keep only the stronger mark.
            if out.ends_with(',') && c != ',' {
                out.pop();
            } else if out.ends_with(',') || (out.is_empty() && c == ',') {
                continue;
            }
        }
        out.push(c);
    }
    let mut out = out.trim().trim_start_matches([',', ';', ':']).trim_start().to_owned();
    if had_name_first && let Some(first) = out.chars().next() {
        let upper: String = first.to_uppercase().collect();
        out.replace_range(..first.len_utf8(), &upper);
    }
    out
}

fn is_mark(c: char) -> bool {
    matches!(c, ',' | '.' | '!' | '?' | ';' | ':' | '…')
}

/// One customer line to voice: where it is, what it says, and its clip.
#[derive(Debug, Clone, PartialEq)]
pub struct LineClip {
    /// The node id and the index of the `say` variant.
    pub node: String,
    pub variant: usize,
    /// The line as written (with `{trainee}`).
    pub say: String,
    /// What the clip says.
    pub text: String,
    /// The clip the author recorded for it, relative to the assets folder; it always wins.
    pub recorded: Option<String>,
    pub voice: Option<VoiceName>,
    pub rate: f64,
}

impl LineClip {
    /// The cache key of this line's clip with an effect; `None` when no voice speaks the
    /// scenario's language or the line has nothing to say.
    pub fn key(&self, effect: Effect) -> Option<String> {
        let voice = self.voice.as_ref()?;
        (!self.text.is_empty()).then(|| clip_key(&self.text, &voice.0, self.rate, effect))
    }
}

/// Every customer line of a scenario: each `say` variant of each `Line` and `End`, in file order.
pub fn scenario_lines(scenario: &Scenario) -> Vec<LineClip> {
    let voice = voice_for(scenario);
    let rate = rate(&scenario.persona);
    let mut out = Vec::new();
    for (id, node) in scenario.nodes.iter() {
        let (Node::Line { say, audio, .. } | Node::End { say, audio, .. }) = node else { continue };
        for (k, line) in say.iter().enumerate() {
            out.push(LineClip {
                node: id.to_owned(),
                variant: k,
                say: line.clone(),
                text: spoken_text(line),
                recorded: audio.get(k).cloned(),
                voice: voice.clone(),
                rate,
            });
        }
    }
    out
}

/// The line a call is at: node index and `say` variant, as [`super::Dialogue`] keeps them.
pub fn line_at(playable: &Playable, node: u32, variant: usize) -> Option<LineClip> {
    let (id, node) = playable.scenario.nodes.0.get(node as usize)?;
    let (Node::Line { say, audio, .. } | Node::End { say, audio, .. }) = node else { return None };
    let line = say.get(variant)?;
    Some(LineClip {
        node: id.clone(),
        variant,
        say: line.clone(),
        text: spoken_text(line),
        recorded: audio.get(variant).cloned(),
        voice: voice_for(&playable.scenario),
        rate: rate(&playable.scenario.persona),
    })
}

/// The name a clip is stored under: 32 hex digits of SHA-256 over the clip format, the voice, the
/// rate, the effect and the text. The engine is not part of it (the shell records which engine
/// made a clip beside it), so the window finds a clip knowing only the scenario.
pub fn clip_key(text: &str, voice: &str, rate: f64, effect: Effect) -> String {
    let rate = format!("{rate:.2}");
    let mut key = super::digest::sha256_parts(&[CLIP_FORMAT, voice, &rate, effect.as_str(), text]);
    key.truncate(32);
    key
}

/// What is known of a clip in the cache, stored beside it as `<key>.json`: which engine made it and
/// how long it plays (the window times the customer's turn by it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipInfo {
    pub voice: String,
    pub effect: String,
    /// The engine that made it ([`Render::fingerprint`] or [`DepartmentVoice::fingerprint`]).
    pub engine: String,
    /// The engine the voice prefers; it differs from `engine` when a fallback made the clip.
    pub preferred: String,
    /// Why the preferred engine did not make it: `unavailable` (not installed) or `failed` (it
    /// could not read this text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    pub duration_ms: u64,
    /// The text spoken, for people looking into the cache.
    pub text: String,
}

/// Text for Festival's English voices: letters, digits, spaces and plain punctuation.
fn festival_text(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '«' | '»' | '“' | '”' | '„' | '"' => ' ',
            '‘' | '’' => '\'',
            '—' | '–' => ',',
            '…' => '.',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    tidy(&mapped)
}

/// Text for Festival's Russian voice. Its letter-to-sound rules know Cyrillic and Latin letters,
/// digits and sentence punctuation only, and give up on a whole line (writing no sound) at
/// anything else: quotes and «», hyphens, %, №, a colon inside a time. So: words joined by a
/// hyphen are spoken apart, dashes and colons become pauses (commas), `…` a full stop, `%` and
/// `№` words, and every other sign a space.
pub fn festival_russian_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let digit_around = i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        match c {
            c if c.is_alphanumeric() && (c.is_ascii() || is_cyrillic(c)) => out.push(c),
            '.' | '!' | '?' | ',' if !digit_around => out.push(c),
            ':' | ';' | '—' | '–' if !digit_around => out.push(','),
            '…' => out.push('.'),
            '%' => out.push_str(" процентов "),
            '№' => out.push_str(" номер "),
            '+' => out.push_str(" плюс "),
            '&' => out.push_str(" и "),
            _ => out.push(' '),
        }
    }
    tidy(&out)
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Spaces collapsed, no space before a mark, one mark where several meet (the strongest kept),
/// and no mark at the start.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        if is_mark(c) {
            while out.ends_with(' ') {
                out.pop();
            }
            if out.is_empty() {
                continue;
            }
            if let Some(last) = out.chars().last().filter(|&l| is_mark(l)) {
                // Keep the stronger of two marks: an end of sentence over a comma.
                if last == ',' && c != ',' {
                    out.pop();
                } else {
                    continue;
                }
            }
        }
        out.push(c);
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trainee_is_left_out_of_what_is_spoken() {
        assert_eq!(spoken_text("Nice to meet you, {trainee}."), "Nice to meet you.");
        assert_eq!(spoken_text("{trainee}, what is it about?"), "What is it about?");
        assert_eq!(spoken_text("Hello {trainee}, how can I help?"), "Hello, how can I help?");
        assert_eq!(spoken_text("Так, {trainee}, слушаю вас!"), "Так, слушаю вас!");
        assert_eq!(spoken_text("Thanks, {trainee}!"), "Thanks!");
        assert_eq!(spoken_text("  Contoso,\n Anna speaking. "), "Contoso, Anna speaking.");
        assert_eq!(spoken_text("{trainee}"), "");
    }

    #[test]
    fn russian_festival_text_has_only_what_its_rules_read() {
        assert_eq!(
            festival_russian_text("Знаете, давайте всё-таки остановимся на «Офис-Маркете»."),
            "Знаете, давайте всё таки остановимся на Офис Маркете."
        );
        assert_eq!(festival_russian_text("Десять — это не пятнадцать…"), "Десять, это не пятнадцать.");
        assert_eq!(festival_russian_text("В 11:30, скидка 5%?!"), "В 11 30, скидка 5 процентов?");
        assert_eq!(festival_russian_text("«Да», — сказал он: \"нет\"."), "Да, сказал он, нет.");
        assert_eq!(festival_russian_text("(Пауза) 1,5 млн / мес."), "Пауза 1 5 млн мес.");
        for c in festival_russian_text("«»\"'-—–…:;()[]{}/\\|@#$^*_=~`<>№%&+ 😀 é ß").chars() {
            assert!(c.is_alphanumeric() || " .,!?".contains(c), "{c:?} left in");
        }
    }

    #[test]
    fn english_festival_text_drops_typographic_quotes() {
        assert_eq!(festival_text("“Fine” — they said… ok"), "Fine, they said. ok");
    }

    #[test]
    fn personas_get_a_voice_of_their_language_and_gender() {
        let g = |lang, name| guess_gender(lang, name);
        for name in [
            "Марина Белова",
            "Алина Гусева",
            "Наталья Орлова",
            "Ольга Кузнецова",
            "Светлана Ковалёва",
            "Елена Викторовна Зайцева",
            "Любовь Петровна",
        ] {
            assert_eq!(g("ru", name), Gender::Female, "{name}");
        }
        for name in [
            "Игорь Тихонов",
            "Андрей Волков",
            "Никита Белов",
            "Геннадий Крылов",
            "Илья",
            "Тихонов",
            "Олег Сергеевич Фёдоров",
        ] {
            assert_eq!(g("ru", name), Gender::Male, "{name}");
        }
        for name in
            ["Helen Carter", "Priya Shah", "Anna", "Ms Jones", "Megan Price", "Chloe Bennett", "Natalie Osborne"]
        {
            assert_eq!(g("en", name), Gender::Female, "{name}");
        }
        for name in ["Martin Webb", "James Porter", "Daniel Okafor", "Richard Cole", "Graham Fletcher", "Tom Fielding"]
        {
            assert_eq!(g("en", name), Gender::Male, "{name}");
        }
    }

    #[test]
    fn every_voice_has_an_espeak_fallback_or_is_espeak() {
        for v in VOICES {
            assert!(matches!(v.renders.last().map(|r| r.engine), Some(Engine::Espeak(_))), "{}", v.name);
            assert!(v.name.starts_with(v.language), "{}", v.name);
        }
        let mut names = names();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), VOICES.len(), "voice names are unique");
    }

    #[test]
    fn a_department_file_declares_voices_and_refuses_clashes() {
        let ok = read_department_voices(
            r#"Voices([Voice(name: "acme-olga", language: "ru", command: ["piper", "-m", "olga.onnx", "-f", "{wav}"])])"#,
        )
        .expect("reads");
        assert_eq!(ok[0].fingerprint(), "command:piper -m olga.onnx -f {wav}");
        let clash = read_department_voices(r#"Voices([Voice(name: "ru-male-1", language: "ru", command: ["x"])])"#);
        assert!(clash.is_err_and(|e| e.contains("built-in")));
        let empty = read_department_voices(r#"Voices([Voice(name: "x", language: "ru", command: [])])"#);
        assert!(empty.is_err());
        let broken = read_department_voices("Voices([Voice(name: 1)])").expect_err("a type error");
        assert!(broken.starts_with("1:"), "{broken}");
    }

    #[test]
    fn the_clip_key_changes_with_text_voice_rate_and_effect_only() {
        let k = clip_key("Hello.", "en-female-1", 1.0, Effect::Telephone);
        assert_eq!(k.len(), 32);
        assert_eq!(k, clip_key("Hello.", "en-female-1", 1.0, Effect::Telephone));
        assert_eq!(k, clip_key("Hello.", "en-female-1", 1.001, Effect::Telephone), "rates are kept to 1/100");
        for other in [
            clip_key("Hello!", "en-female-1", 1.0, Effect::Telephone),
            clip_key("Hello.", "en-male-1", 1.0, Effect::Telephone),
            clip_key("Hello.", "en-female-1", 1.2, Effect::Telephone),
            clip_key("Hello.", "en-female-1", 1.0, Effect::Clean),
        ] {
            assert_ne!(k, other);
        }
    }
}
