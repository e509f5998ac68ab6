//! `callforge voice`: renders every customer line of the library to telephone-sound clips with
//! offline synthesisers run as subprocesses (Festival, espeak-ng, sox), cached by content.

use super::{CliError, CliResult, ScenarioDir, load_library, safe};
use crate::domain::voice::{
    self, ClipInfo, DepartmentVoice, Effect, Engine, LineClip, Render, VOICES, Voice, read_department_voices,
};
use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// Render the customers' lines to voice clips, so the window speaks them.
///
/// Every `say` variant of every `Line` and `End` of every playable scenario is spoken by the
/// persona's voice (`voice:` in its `Persona`, else the first voice of the scenario's language that
/// fits the name), at its `rate`, and saved twice: with the telephone sound (8 kHz, 300–3400 Hz)
/// and clean, for trainees who turn the effect off. `{trainee}` is left out of what is spoken; the
/// window still shows the name in the subtitles. Lines with a recorded clip (`audio:`) are never
/// synthesised: the recording always wins.
///
/// Clips are cached under a hash of their text, voice, rate and effect, so a second run renders
/// nothing and an edited line renders only itself. The synthesisers run as separate programs, in
/// parallel: Festival (in batch mode) with its Russian and English voices where installed, else
/// espeak-ng; sox applies the sound. `scripts/setup` installs them all (Debian packages festival,
/// festvox-ru, festvox-us-slt-hts, festvox-kallpc16k, festvox-kdlpc16k, espeak-ng, sox,
/// libsox-fmt-all). See VOICES.md for the voices and their licences.
///
/// Exit status: 1 if a clip failed (or, with --check, if a line has no clip), 0 otherwise.
///
/// Examples:
///   callforge voice
///   callforge voice --check
///   callforge voice --list
///   callforge voice --scenarios my-scenarios --voices department-voices.ron --jobs 8
///   CALLFORGE_VOICE_CACHE=~/.cache/callforge/voices callforge voice
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    scenarios: ScenarioDir,
    #[command(flatten)]
    cache: VoiceCache,
    /// Render nothing: list the lines that have no clip yet (or whose recorded clip is missing
    /// from the assets folder).
    #[arg(long, conflicts_with_all = ["force", "list", "prune"])]
    check: bool,
    /// Render every clip again, even those in the cache.
    #[arg(long)]
    force: bool,
    /// List the voices, the engine each would use here, and what they sound like.
    #[arg(long)]
    list: bool,
    /// Also remove clips from the cache that no line of this library uses any more.
    #[arg(long)]
    prune: bool,
    /// Synthesisers to run at once (default: one per CPU core).
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
    /// A department's own voices: `Voices([Voice(name: "…", language: "ru", command: ["prog",
    /// "…", "{wav}"]), …])`; see VOICES.md.
    #[arg(long, value_name = "FILE", env = "CALLFORGE_VOICES")]
    voices: Option<PathBuf>,
    /// With --check: the folder recorded clips (`audio:`) are relative to (default: assets).
    #[arg(long, value_name = "DIR", default_value = "assets")]
    assets: PathBuf,
}

/// Where the voice clips are cached; the window reads them from the same place.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct VoiceCache {
    /// The voice clip cache. Default: voices/ in your data directory, beside the records.
    #[arg(long = "cache", value_name = "DIR", env = "CALLFORGE_VOICE_CACHE")]
    pub voice_cache: Option<PathBuf>,
}

impl VoiceCache {
    /// The folder to use: the one given, else `voices/` beside the default records database.
    pub fn location(&self) -> PathBuf {
        self.voice_cache.clone().unwrap_or_else(default_cache)
    }
}

/// `voices/` in the data directory, beside the default records database.
pub fn default_cache() -> PathBuf {
    crate::records::default_location().parent().map_or_else(|| PathBuf::from("voices"), |d| d.join("voices"))
}

/// A voice as this run renders it: built in, or a department's.
#[derive(Debug, Clone)]
enum Speaker {
    BuiltIn(&'static Voice),
    Department(DepartmentVoice),
}

impl Speaker {
    fn language(&self) -> String {
        match self {
            Speaker::BuiltIn(v) => v.language.to_owned(),
            Speaker::Department(v) => voice::base_language(&v.language),
        }
    }

    /// The ways to render it, best first.
    fn ways(&self) -> Vec<Way> {
        match self {
            Speaker::BuiltIn(v) => v.renders.iter().copied().map(Way::Builtin).collect(),
            Speaker::Department(v) => vec![Way::Command(v.clone())],
        }
    }
}

/// One way to make a voice's sound.
#[derive(Debug, Clone)]
enum Way {
    Builtin(Render),
    Command(DepartmentVoice),
}

impl Way {
    fn fingerprint(&self) -> String {
        match self {
            Way::Builtin(r) => r.fingerprint(),
            Way::Command(v) => v.fingerprint(),
        }
    }

    fn pitch_cents(&self) -> i32 {
        match self {
            Way::Builtin(r) => r.pitch_cents,
            Way::Command(_) => 0,
        }
    }
}

/// One text to synthesise once, and the clips (one per effect) it becomes.
#[derive(Debug, Clone)]
struct Job {
    text: String,
    voice: String,
    speaker: Speaker,
    rate: f64,
    /// The effects still to render, with their keys.
    todo: Vec<(Effect, String)>,
    /// Where it is first used, for messages.
    at: String,
}

/// What a run found and did.
#[derive(Debug, Default)]
struct Tally {
    lines: usize,
    recorded: usize,
    /// Lines no voice can speak (a language without voices, an unknown voice name), with why.
    unvoiced: Vec<String>,
    made: AtomicUsize,
    kept: usize,
    failed: Mutex<Vec<String>>,
    fallbacks: AtomicUsize,
    engines: Mutex<BTreeMap<String, usize>>,
}

pub fn run(args: Args) -> CliResult {
    let department = department_voices(args.voices.as_deref())?;
    if args.list {
        return list(&department);
    }
    let lib = load_library(&args.scenarios)?;
    let cache = args.cache.location();
    let started = Instant::now();

    // Every line, grouped into one synthesis per distinct text, voice and rate.
    let mut tally = Tally::default();
    let mut jobs: BTreeMap<(String, String, String), Job> = BTreeMap::new();
    let mut missing: Vec<String> = Vec::new();
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    let probes = Probes::default();
    for p in lib.playable() {
        for line in voice::scenario_lines(&p.scenario) {
            tally.lines += 1;
            let at = format!("{} {}#{}", p.id(), line.node, line.variant);
            if let Some(clip) = &line.recorded {
                tally.recorded += 1;
                if args.check && !args.assets.join(clip).is_file() {
                    missing.push(format!("{at}: the recorded clip {clip} is not in {}", args.assets.display()));
                }
                continue;
            }
            let speaker = match speaker_of(&line, &department) {
                Ok(s) => s,
                Err(why) => {
                    tally.unvoiced.push(format!("{at}: {why}"));
                    missing.push(format!("{at}: {why}"));
                    continue;
                }
            };
            let Some(voice_name) = line.voice.clone() else { continue };
            if args.check {
                let absent: Vec<&str> = Effect::ALL
                    .into_iter()
                    .filter(|e| line.key(*e).is_some_and(|k| !cache.join(format!("{k}.ogg")).is_file()))
                    .map(Effect::as_str)
                    .collect();
                if !absent.is_empty() {
                    missing.push(format!("{at}: no {} clip for “{}”", absent.join(" or "), line.say));
                }
                continue;
            }
            for effect in Effect::ALL {
                let Some(key) = line.key(effect) else { continue };
                // The same text in the same voice is one clip, however many lines say it.
                if !used.insert(key.clone()) {
                    continue;
                }
                let job = jobs
                    .entry((voice_name.0.clone(), format!("{:.2}", line.rate), line.text.clone()))
                    .or_insert_with(|| Job {
                        text: line.text.clone(),
                        voice: voice_name.0.clone(),
                        speaker: speaker.clone(),
                        rate: line.rate,
                        todo: Vec::new(),
                        at: at.clone(),
                    });
                if !args.force && is_current(&cache, &key, &speaker, &probes) {
                    tally.kept += 1;
                } else {
                    job.todo.push((effect, key));
                }
            }
        }
    }
    if args.check {
        for m in &missing {
            outln!("{}", safe(m));
        }
        outln!(
            "{} customer line(s) in {} scenario(s): {} without a clip; {} recorded by authors; cache {}",
            tally.lines,
            lib.playable().count(),
            missing.len(),
            tally.recorded,
            cache.display()
        );
        return Ok(if missing.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }

    let jobs: Vec<Job> = jobs.into_values().filter(|j| !j.todo.is_empty()).collect();
    let clips: usize = jobs.iter().map(|j| j.todo.len()).sum();
    if !jobs.is_empty() {
        check_sox()?;
        std::fs::create_dir_all(&cache)
            .map_err(|e| CliError::Io { context: format!("cannot create {}", cache.display()), source: e })?;
    }
    let workers = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())).max(1);
    let progress = Progress::new(jobs.len());
    let batches = batches(&jobs);
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for w in 0..workers.min(batches.len()) {
            let (jobs, batches, next, tally, probes, progress, cache) =
                (&jobs, &batches, &next, &tally, &probes, &progress, &cache);
            s.spawn(move || {
                let work = cache.join(format!(".work-{}-{w}", std::process::id()));
                while let Some(batch) = batches.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let batch = &jobs[batch.clone()];
                    render_batch(batch, cache, &work, probes, tally);
                    progress.step(batch);
                }
                let _ = std::fs::remove_dir_all(&work);
            });
        }
    });
    progress.finish();

    let pruned = if args.prune { prune(&cache, &used) } else { 0 };
    let failed = tally.failed.lock().map(|f| f.clone()).unwrap_or_default();
    for f in failed.iter().take(20) {
        eprintln!("failed: {}", safe(f));
    }
    for u in tally.unvoiced.iter().take(20) {
        eprintln!("no voice: {}", safe(u));
    }
    let made = tally.made.load(Ordering::Relaxed);
    outln!(
        "voices: {} customer line(s) in {} scenario(s): {made} clip(s) made, {} kept, {} failed{}{}{}",
        tally.lines,
        lib.playable().count(),
        tally.kept,
        failed.len(),
        if tally.recorded > 0 { format!("; {} line(s) recorded by authors", tally.recorded) } else { String::new() },
        if tally.unvoiced.is_empty() {
            String::new()
        } else {
            format!("; {} line(s) with no voice", tally.unvoiced.len())
        },
        if pruned > 0 { format!("; {pruned} unused clip(s) removed") } else { String::new() },
    );
    if clips > 0 {
        let engines = tally.engines.lock().map(|e| e.clone()).unwrap_or_default();
        let engines: Vec<String> = engines.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
        let fallbacks = tally.fallbacks.load(Ordering::Relaxed);
        outln!(
            "  {:.1} s with {} job(s); engines: {}{}",
            started.elapsed().as_secs_f64(),
            workers.min(jobs.len()),
            engines.join(", "),
            if fallbacks > 0 { format!("; {fallbacks} line(s) by a fallback engine") } else { String::new() }
        );
    }
    outln!("  cache: {}", cache.display());
    Ok(if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The voices a department declared in `file` (`--voices`), if one is given.
pub(super) fn department_voices(file: Option<&Path>) -> Result<Vec<DepartmentVoice>, CliError> {
    let Some(path) = file else { return Ok(Vec::new()) };
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Io { context: format!("cannot read {}", path.display()), source: e })?;
    read_department_voices(&text).map_err(|e| CliError::msg(format!("{}:{e}", path.display())))
}

/// The voice a line is spoken with, or why none can speak it.
fn speaker_of(line: &LineClip, department: &[DepartmentVoice]) -> Result<Speaker, String> {
    let Some(name) = &line.voice else {
        return Err("no voice speaks this scenario's language (name one with `voice:` in the persona)".to_owned());
    };
    if let Some(v) = voice::find(&name.0) {
        return Ok(Speaker::BuiltIn(v));
    }
    department
        .iter()
        .find(|v| v.name == name.0)
        .map(|v| Speaker::Department(v.clone()))
        .ok_or_else(|| format!("there is no voice \"{}\" (see `callforge voice --list`)", name.0))
}

/// Whether the cached clip is there and made the way this voice would make it now: by its
/// preferred engine, or by a fallback because the preferred one could not read the text or is
/// still not installed.
fn is_current(cache: &Path, key: &str, speaker: &Speaker, probes: &Probes) -> bool {
    if !cache.join(format!("{key}.ogg")).is_file() {
        return false;
    }
    let Some(info) = read_info(&cache.join(format!("{key}.json"))) else { return false };
    let ways = speaker.ways();
    let Some(preferred) = ways.first() else { return false };
    if info.preferred != preferred.fingerprint() {
        return false;
    }
    match info.fallback.as_deref() {
        None => info.engine == info.preferred,
        Some("failed") => ways.iter().any(|w| w.fingerprint() == info.engine),
        Some(_) => !probes.available(preferred, &speaker.language()),
    }
}

fn read_info(path: &Path) -> Option<ClipInfo> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// Which engines run on this machine, each tried once with a short text, when first needed.
#[derive(Debug, Default)]
struct Probes(Mutex<HashMap<String, std::sync::Arc<OnceLock<bool>>>>);

impl Probes {
    fn available(&self, way: &Way, language: &str) -> bool {
        let cell = match self.0.lock() {
            Ok(mut m) => std::sync::Arc::clone(m.entry(format!("{language} {}", way.fingerprint())).or_default()),
            Err(_) => return false,
        };
        *cell.get_or_init(|| {
            let dir = std::env::temp_dir().join(format!("callforge-probe-{}-{:p}", std::process::id(), &cell));
            let text = if language == "ru" { "да" } else { "yes" };
            let ok = std::fs::create_dir_all(&dir).is_ok()
                && synthesise(way, language, text, &dir.join("probe.wav")).is_ok();
            let _ = std::fs::remove_dir_all(&dir);
            ok
        })
    }
}

/// Jobs that one synthesiser run renders together: up to [`BATCH`] lines for one Festival voice
/// (Festival takes longer to load a voice than to speak a line), or a single line otherwise.
fn batches(jobs: &[Job]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, job) in jobs.iter().enumerate() {
        let festival = festival_of(job);
        match out.last_mut() {
            Some(last) if festival.is_some() && last.len() < BATCH && festival_of(&jobs[last.start]) == festival => {
                last.end = i + 1;
            }
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// Lines per Festival run. Festival takes 0.3–0.6 s to load a voice and then 0.03–0.12 s a line,
/// so a run speaks many lines (40 rather than 12 took the shipped library from 163 to 135 CPU
/// seconds); a library has enough runs to keep every worker busy and the progress moving.
const BATCH: usize = 40;

fn festival_of(job: &Job) -> Option<&'static str> {
    match job.speaker.ways().first() {
        Some(Way::Builtin(Render { engine: Engine::Festival(v), .. })) => Some(*v),
        _ => None,
    }
}

/// Synthesises a batch of jobs with their preferred engine (one Festival run for the batch), each
/// line that fails with its next engine, and writes their clips.
fn render_batch(jobs: &[Job], cache: &Path, work: &Path, probes: &Probes, tally: &Tally) {
    let fail = |job: &Job, why: String| {
        if let Ok(mut f) = tally.failed.lock() {
            f.push(format!("{}: {} ({})", job.at, why, job.voice));
        }
    };
    if let Err(e) = std::fs::create_dir_all(work) {
        for job in jobs {
            fail(job, format!("cannot create {}: {e}", work.display()));
        }
        return;
    }
    let first: Vec<Result<PathBuf, String>> = match jobs.first().and_then(festival_of) {
        Some(voice) => {
            let texts: Vec<String> =
                jobs.iter().map(|j| Render::new_festival(voice).prepare(&j.speaker.language(), &j.text)).collect();
            festival(voice, &texts, work)
        }
        None => jobs
            .iter()
            .map(|j| match j.speaker.ways().first() {
                Some(way) => synthesise(way, &j.speaker.language(), &j.text, &work.join("0.wav")),
                None => Err("the voice has no engine".to_owned()),
            })
            .collect(),
    };
    for (job, made) in jobs.iter().zip(first) {
        let ways = job.speaker.ways();
        let language = job.speaker.language();
        let mut reason = None;
        let mut errors = Vec::new();
        let mut made_by = None;
        match made {
            Ok(wav) => made_by = ways.first().map(|w| (w, wav)),
            Err(e) => errors.push(format!("{}: {e}", ways.first().map(Way::fingerprint).unwrap_or_default())),
        }
        for way in ways.iter().skip(1) {
            if made_by.is_some() {
                break;
            }
            reason.get_or_insert(if probes.available(&ways[0], &language) { "failed" } else { "unavailable" });
            match synthesise(way, &language, &job.text, &work.join("fallback.wav")) {
                Ok(wav) => made_by = Some((way, wav)),
                Err(e) => errors.push(format!("{}: {e}", way.fingerprint())),
            }
        }
        let Some((way, wav)) = made_by else {
            fail(job, format!("no engine could speak “{}”: {}", job.text, errors.join("; ")));
            continue;
        };
        let made = Made { wav: &wav, way, preferred: ways.first().map(Way::fingerprint).unwrap_or_default(), reason };
        for (effect, key) in &job.todo {
            match store_clip(job, &made, *effect, key, cache, work) {
                Ok(()) => {
                    tally.made.fetch_add(1, Ordering::Relaxed);
                    if let Ok(mut e) = tally.engines.lock() {
                        *e.entry(way.fingerprint()).or_default() += 1;
                    }
                }
                Err(e) => fail(job, e),
            }
        }
        if reason.is_some() {
            tally.fallbacks.fetch_add(1, Ordering::Relaxed);
        }
        let _ = std::fs::remove_file(&wav);
    }
}

/// A line's synthesised sound, before it is given its effect: the WAV, the engine that made it,
/// the one the voice prefers and, when they differ, why.
struct Made<'a> {
    wav: &'a Path,
    way: &'a Way,
    preferred: String,
    reason: Option<&'static str>,
}

/// Gives a synthesised line its sound and stores the clip and what is known of it in the cache
/// (each written beside and renamed into place, so a reader never sees half a clip).
fn store_clip(job: &Job, made: &Made, effect: Effect, key: &str, cache: &Path, work: &Path) -> Result<(), String> {
    let ogg = work.join(format!("{key}.ogg"));
    apply_sound(made.wav, &ogg, effect, made.way.pitch_cents(), job.rate).map_err(|e| format!("sox: {e}"))?;
    let info = ClipInfo {
        voice: job.voice.clone(),
        effect: effect.as_str().to_owned(),
        engine: made.way.fingerprint(),
        preferred: made.preferred.clone(),
        fallback: made.reason.map(str::to_owned),
        duration_ms: duration_ms(&ogg)?,
        text: job.text.clone(),
    };
    let json = serde_json::to_string_pretty(&info).map_err(|e| e.to_string())?;
    let info_tmp = work.join(format!("{key}.json"));
    std::fs::write(&info_tmp, json)
        .and_then(|()| std::fs::rename(&ogg, cache.join(format!("{key}.ogg"))))
        .and_then(|()| std::fs::rename(&info_tmp, cache.join(format!("{key}.json"))))
        .map_err(|e| format!("cannot store the clip in {}: {e}", cache.display()))
}

/// Runs Festival once over several prepared lines; returns each line's WAV or why it has none.
/// Each line is guarded, so one Festival cannot read leaves the others spoken.
fn festival(voice: &str, texts: &[String], work: &Path) -> Vec<Result<PathBuf, String>> {
    let wavs: Vec<PathBuf> = (0..texts.len()).map(|i| work.join(format!("f{i}.wav"))).collect();
    let mut script = format!("(voice_{voice})\n");
    for (text, wav) in texts.iter().zip(&wavs) {
        let _ = std::fs::remove_file(wav);
        // The prepared text has no quotes or backslashes; these guards keep Scheme's strings whole anyway.
        let text: String = text.chars().filter(|c| *c != '"' && *c != '\\').collect();
        script.push_str(&format!(
            "(unwind-protect (utt.save.wave (utt.synth (Utterance Text \"{text}\")) \"{}\" 'riff) nil)\n",
            wav.display()
        ));
    }
    let file = work.join("batch.scm");
    let run =
        std::fs::write(&file, script).map_err(|e| format!("cannot write {}: {e}", file.display())).and_then(|()| {
            Command::new("festival")
                .arg("-b")
                .arg(&file)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .output()
                .map_err(|e| format!("cannot run festival: {e}"))
        });
    let err = match run {
        Ok(out) => String::from_utf8_lossy(&out.stderr).into_owned(),
        Err(e) => return texts.iter().map(|_| Err(e.clone())).collect(),
    };
    texts
        .iter()
        .zip(wavs)
        .map(|(text, wav)| {
            if !text.chars().any(char::is_alphanumeric) {
                return Err("nothing to say once the text is cleaned".to_owned());
            }
            if std::fs::metadata(&wav).is_ok_and(|m| m.len() > 44) {
                Ok(wav)
            } else {
                let why = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("no sound written");
                Err(format!("festival: {}", why.trim()))
            }
        })
        .collect()
}

/// Runs one engine on one line, writing `wav`; returns it, or why it could not.
fn synthesise(way: &Way, language: &str, text: &str, wav: &Path) -> Result<PathBuf, String> {
    let work = wav.parent().unwrap_or(Path::new("."));
    let _ = std::fs::remove_file(wav);
    let input = work.join("line.txt");
    let (mut cmd, stdin_text) = match way {
        Way::Builtin(render) => {
            let prepared = render.prepare(language, text);
            if !prepared.chars().any(char::is_alphanumeric) {
                return Err("nothing to say once the text is cleaned".to_owned());
            }
            match render.engine {
                Engine::Festival(v) => {
                    let mut made = festival(v, &[prepared], work);
                    let made = made.pop().unwrap_or_else(|| Err("festival wrote nothing".to_owned()))?;
                    std::fs::rename(&made, wav).map_err(|e| format!("cannot move {}: {e}", made.display()))?;
                    return Ok(wav.to_owned());
                }
                Engine::Espeak(v) => {
                    std::fs::write(&input, prepared.as_bytes())
                        .map_err(|e| format!("cannot write {}: {e}", input.display()))?;
                    let mut c = Command::new("espeak-ng");
                    c.args(["-v", v, "-b", "1", "-f"]).arg(&input).arg("-w").arg(wav);
                    (c, None)
                }
            }
        }
        Way::Command(v) => {
            std::fs::write(&input, text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", input.display()))?;
            let uses_file = v.command.iter().any(|a| a.contains("{text}"));
            let fill = |a: &String| {
                a.replace("{wav}", &wav.display().to_string()).replace("{text}", &input.display().to_string())
            };
            let mut args = v.command.iter().map(fill);
            let mut c = Command::new(args.next().unwrap_or_default());
            c.args(args);
            (c, (!uses_file).then(|| text.to_owned()))
        }
    };
    cmd.stdin(if stdin_text.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let program = format!("{:?}", cmd.get_program());
    let mut child = cmd.spawn().map_err(|e| format!("cannot run {program}: {e}"))?;
    if let (Some(text), Some(mut pipe)) = (stdin_text, child.stdin.take()) {
        let _ = pipe.write_all(text.as_bytes());
    }
    let out = child.wait_with_output().map_err(|e| format!("{program} did not finish: {e}"))?;
    let err = String::from_utf8_lossy(&out.stderr);
    let size = std::fs::metadata(wav).map_or(0, |m| m.len());
    if !out.status.success() || size <= 44 {
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("no sound written");
        return Err(format!("{program}: {}", first.trim()));
    }
    Ok(wav.to_owned())
}

/// Trims the silence around the voice, shifts its pitch, sets its pace and gives it its sound:
/// the telephone band (8 kHz, 300–3400 Hz, lightly compressed) or clean (16 kHz).
fn apply_sound(wav: &Path, ogg: &Path, effect: Effect, pitch_cents: i32, rate: f64) -> Result<(), String> {
    let mut c = Command::new("sox");
    c.arg(wav).args(["-C", if effect == Effect::Telephone { "0" } else { "2" }, "-c", "1"]).arg(ogg);
    c.args(["silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse"]);
    if pitch_cents != 0 {
        c.args(["pitch", &pitch_cents.to_string()]);
    }
    if (rate - 1.0).abs() > 0.005 {
        c.args(["tempo", "-s", &format!("{rate:.2}")]);
    }
    match effect {
        Effect::Telephone => {
            c.args(["compand", "0.02,0.2", "-60,-60,-30,-15,0,-6", "-6", "sinc", "300-3400", "rate", "8000"]);
        }
        Effect::Clean => {
            c.args(["rate", "16000"]);
        }
    }
    c.args(["norm", "-1", "pad", "0.05", "0.1"]);
    let out = c.stdin(Stdio::null()).output().map_err(|e| format!("cannot run sox: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    Ok(())
}

/// A clip's length, from sox.
fn duration_ms(ogg: &Path) -> Result<u64, String> {
    let out = Command::new("sox").arg("--i").arg("-D").arg(ogg).output().map_err(|e| format!("cannot run sox: {e}"))?;
    let secs: f64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|_| format!("no duration for {}", ogg.display()))?;
    Ok((secs * 1000.0).round() as u64)
}

fn check_sox() -> Result<(), CliError> {
    let ok = Command::new("sox").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    if ok.is_ok_and(|s| s.success()) {
        return Ok(());
    }
    Err(CliError::msg(
        "sox is not installed, and it gives every clip its sound: run scripts/setup, or on Debian `apt-get install sox libsox-fmt-all festival festvox-ru festvox-us-slt-hts espeak-ng`",
    ))
}

/// Removes clips no line of the library uses; returns how many.
fn prune(cache: &Path, used: &std::collections::HashSet<String>) -> usize {
    let Ok(entries) = std::fs::read_dir(cache) else { return 0 };
    let mut removed = 0;
    for e in entries.filter_map(Result::ok) {
        let path = e.path();
        let (Some(stem), Some(ext)) = (path.file_stem().and_then(|s| s.to_str()), path.extension()) else {
            continue;
        };
        let is_clip = stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit());
        if is_clip && (ext == "ogg" || ext == "json") && !used.contains(stem) && std::fs::remove_file(&path).is_ok() {
            removed += usize::from(ext == "ogg");
        }
    }
    removed
}

/// `--list`: every voice, and what renders it on this machine.
fn list(department: &[DepartmentVoice]) -> CliResult {
    let probes = Probes::default();
    outln!("{:<14} {:<4} {:<7} {:<44} about", "voice", "lang", "", "renders here with");
    for v in VOICES {
        let speaker = Speaker::BuiltIn(v);
        let ways = speaker.ways();
        let here = ways
            .iter()
            .find(|w| probes.available(w, v.language))
            .map_or("nothing installed".to_owned(), Way::fingerprint);
        let gender = match v.gender {
            voice::Gender::Female => "female",
            voice::Gender::Male => "male",
        };
        outln!("{:<14} {:<4} {:<7} {:<44} {}", v.name, v.language, gender, here, v.about);
    }
    for v in department {
        let way = Way::Command(v.clone());
        let here = if probes.available(&way, &voice::base_language(&v.language)) {
            way.fingerprint()
        } else {
            "its program failed".to_owned()
        };
        outln!("{:<14} {:<4} {:<7} {:<44} {}", safe(&v.name), safe(&v.language), "", safe(&here), safe(&v.about));
    }
    Ok(ExitCode::SUCCESS)
}

/// Progress on stderr: one line rewritten in place on a terminal, a line every tenth otherwise.
#[derive(Debug)]
struct Progress {
    total: usize,
    done: AtomicUsize,
    tty: bool,
    started: Instant,
}

impl Progress {
    fn new(total: usize) -> Self {
        Progress { total, done: AtomicUsize::new(0), tty: std::io::stderr().is_terminal(), started: Instant::now() }
    }

    fn step(&self, batch: &[Job]) {
        let Some(job) = batch.last() else { return };
        let n = self.done.fetch_add(batch.len(), Ordering::Relaxed) + batch.len();
        let width = self.total.to_string().len();
        if self.tty {
            let text: String = job.text.chars().take(50).collect();
            eprint!("\r\x1b[2Kvoicing [{n:>width$}/{}] {:<12} {}", self.total, job.voice, safe(&text));
        } else if n == self.total || (n * 10 / self.total.max(1)) != ((n - batch.len()) * 10 / self.total.max(1)) {
            eprintln!("voicing [{n:>width$}/{}] {:.0} s", self.total, self.started.elapsed().as_secs_f64());
        }
    }

    fn finish(&self) {
        if self.tty && self.total > 0 {
            eprint!("\r\x1b[2K");
        }
    }
}
