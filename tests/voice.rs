//! Customer voices with the real synthesisers: `callforge voice` renders clips with the telephone
//! sound (checked with sox), caches them by content, reports lines without a clip, takes a
//! department's own voice; and validation warns about voices nobody knows.

use callforge::domain::voice::ClipInfo;
use callforge::domain::{Library, SourceFile};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Whether Festival, espeak-ng and sox are installed; when not, the test is skipped, unless
/// CALLFORGE_REQUIRE_VOICES says this machine must have them (scripts/test sets it).
fn synthesisers() -> bool {
    let have = |p: &str| {
        Command::new("sh").args(["-c", &format!("command -v {p}")]).output().is_ok_and(|o| o.status.success())
    };
    if have("festival") && have("espeak-ng") && have("sox") {
        return true;
    }
    assert!(
        std::env::var_os("CALLFORGE_REQUIRE_VOICES").is_none(),
        "CALLFORGE_REQUIRE_VOICES is set but festival, espeak-ng or sox is missing (run scripts/setup)"
    );
    eprintln!("SKIPPED: voice test (festival, espeak-ng or sox missing; scripts/setup installs them)");
    false
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("callforge-voice-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn callforge(args: &[&str]) -> (Output, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_callforge"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CALLFORGE_VOICE_CACHE")
        .env_remove("CALLFORGE_VOICES")
        .output()
        .expect("callforge runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out, text)
}

/// A copy of the voice fixture library to edit.
fn fixture_copy(name: &str) -> PathBuf {
    let root = tmp(name);
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/voices");
    for dir in ["scripts", "generator"] {
        std::fs::create_dir_all(root.join(dir)).expect("folder");
        for e in std::fs::read_dir(from.join(dir)).expect("fixture") {
            let p = e.expect("entry").path();
            std::fs::copy(&p, root.join(dir).join(p.file_name().expect("name"))).expect("copy");
        }
    }
    root
}

/// `(made, kept, failed)` from the summary line.
fn tally(text: &str) -> (usize, usize, usize) {
    let line = text.lines().find(|l| l.starts_with("voices:")).unwrap_or_else(|| panic!("no summary in {text}"));
    let number_before = |word: &str| -> usize {
        let end = line.find(word).unwrap_or_else(|| panic!("no {word:?} in {line}"));
        line[..end].trim_end().rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{line}"))
    };
    (number_before(" clip(s) made"), number_before(" kept"), number_before(" failed"))
}

fn clips(cache: &Path) -> Vec<(PathBuf, ClipInfo)> {
    let mut out: Vec<(PathBuf, ClipInfo)> = std::fs::read_dir(cache)
        .expect("cache")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let info: ClipInfo = serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("clip info");
            (p.with_extension("ogg"), info)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// `sox --i -<flag>` of a file.
fn soxi(path: &Path, flag: &str) -> String {
    let out = Command::new("sox").arg("--i").arg(flag).arg(path).output().expect("sox runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The RMS amplitude of a clip after the given sox effects (none: the whole clip), from `stat`.
fn rms(path: &Path, effects: &[&str]) -> f64 {
    let out = Command::new("sox").arg(path).arg("-n").args(effects).arg("stat").output().expect("sox runs");
    let text = String::from_utf8_lossy(&out.stderr);
    text.lines()
        .find(|l| l.starts_with("RMS     amplitude"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no RMS amplitude from sox: {text}"))
}

#[test]
fn clips_sound_like_a_phone_line_and_only_what_changed_is_rendered_again() {
    if !synthesisers() {
        return;
    }
    let root = fixture_copy("render");
    let cache = root.join("cache");
    let (scen, cache_s) = (root.display().to_string(), cache.display().to_string());
    let args = ["voice", "--scenarios", &scen, "--cache", &cache_s, "--jobs", "2"];

    // Cold: 6 lines, each a telephone clip and a clean one.
    let (out, text) = callforge(&args);
    assert!(out.status.success(), "{text}");
    assert_eq!(tally(&text), (12, 0, 0), "{text}");
    let all = clips(&cache);
    assert_eq!(all.len(), 12);

    // The persona's own voice wins over the one its name suggests; the default follows the name.
    let texts: Vec<(&str, &str, &str)> =
        all.iter().map(|(_, i)| (i.voice.as_str(), i.effect.as_str(), i.text.as_str())).collect();
    assert!(texts.contains(&("en-male-2", "telephone", "Nice to meet you. What is it about?")), "{texts:?}");
    assert!(texts.contains(&("ru-female-1", "telephone", "Компания «Офис-Маркет», Марина, слушаю.")), "{texts:?}");
    // Festival read every line, Russian quotes, hyphens, times and percents included.
    for (_, info) in &all {
        assert!(info.engine.starts_with("festival:"), "{info:?}");
        assert_eq!(info.fallback, None, "{info:?}");
    }

    for (ogg, info) in &all {
        let secs: f64 = soxi(ogg, "-D").parse().expect("a duration");
        assert!((0.6..12.0).contains(&secs), "{}: {secs} s", info.text);
        assert!((secs * 1000.0 - info.duration_ms as f64).abs() < 20.0, "{info:?} vs {secs}");
        let size = std::fs::metadata(ogg).expect("clip").len();
        if info.effect == "telephone" {
            assert_eq!(soxi(ogg, "-r"), "8000", "{}", info.text);
            assert_eq!(soxi(ogg, "-c"), "1");
            // The phone band: little below 300 Hz, next to nothing above 3400 Hz.
            let whole = rms(ogg, &[]);
            let low = rms(ogg, &["sinc", "-250"]);
            let high = rms(ogg, &["sinc", "3500"]);
            assert!(whole > 0.02, "{}: the clip is nearly silent ({whole})", info.text);
            assert!(low < 0.12 * whole, "{}: {low} below 250 Hz of {whole}", info.text);
            assert!(high < 0.03 * whole, "{}: {high} above 3500 Hz of {whole}", info.text);
            assert!(size < 40_000, "{}: {size} bytes", info.text);
        } else {
            assert_eq!(soxi(ogg, "-r"), "16000", "{}", info.text);
            // The clean clip keeps the low voice the phone band removes.
            let whole = rms(ogg, &[]);
            let low = rms(ogg, &["sinc", "-250"]);
            assert!(low > 0.12 * whole, "{}: {low} below 250 Hz of {whole}", info.text);
        }
    }

    // Warm: nothing to render.
    let (out, text) = callforge(&args);
    assert!(out.status.success(), "{text}");
    assert_eq!(tally(&text), (0, 12, 0), "{text}");

    // An edited line renders only itself (both its clips).
    let anna = root.join("generator/anna.ron");
    let edited = std::fs::read_to_string(&anna).expect("read").replace("Thanks, goodbye.", "Thanks, bye now.");
    std::fs::write(&anna, edited).expect("write");
    let (out, text) = callforge(&args);
    assert!(out.status.success(), "{text}");
    assert_eq!(tally(&text), (2, 10, 0), "{text}");
    let (out, text) = callforge(&[&args[..5], &["--check"]].concat());
    assert!(out.status.success(), "every line has its clips: {text}");

    // --check names a line whose clip is gone, and fails; --prune takes away the unused clips.
    let (gone, _) = all.iter().find(|(_, i)| i.text == "Contoso, Anna speaking.").expect("a clip");
    std::fs::remove_file(gone).expect("remove");
    let (out, text) = callforge(&[&args[..5], &["--check"]].concat());
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("generator/anna hello#0: no") && text.contains("Contoso, Anna speaking."), "{text}");
    let (out, text) = callforge(&[&args[..], &["--prune"]].concat());
    assert!(out.status.success(), "{text}");
    assert_eq!(tally(&text).0, 1, "{text}");
    assert!(text.contains("2 unused clip(s) removed"), "the old goodbye, both effects: {text}");
    assert_eq!(clips(&cache).len(), 12);
}

/// A department's own voice: any program that writes a WAV, declared outside the scenarios.
#[test]
fn a_department_plugs_in_a_voice_of_its_own() {
    if !synthesisers() {
        return;
    }
    let root = fixture_copy("department");
    let anna = root.join("generator/anna.ron");
    let text = std::fs::read_to_string(&anna).expect("read").replace("en-male-2", "acme-robot");
    std::fs::write(&anna, text).expect("write");
    // Beside the scenario folder, not in it: the machine that renders declares its programs.
    let voices = tmp("department-voices").join("voices.ron");
    std::fs::write(
        &voices,
        r#"Voices([Voice(name: "acme-robot", language: "en", command: ["espeak-ng", "-v", "en-us", "-w", "{wav}", "-f", "{text}"])])"#,
    )
    .expect("write");
    let (scen, voices_s) = (root.display().to_string(), voices.display().to_string());

    // Unknown to validation until the department's file is given.
    let (_, text) = callforge(&["validate", &scen]);
    assert!(text.contains("there is no voice \"acme-robot\""), "{text}");
    let (out, text) = callforge(&["validate", &scen, "--voices", &voices_s]);
    assert!(out.status.success() && !text.contains("acme-robot"), "{text}");

    let cache = root.join("cache");
    let cache_s = cache.display().to_string();
    let (out, text) = callforge(&["voice", "--scenarios", &scen, "--cache", &cache_s, "--voices", &voices_s]);
    assert!(out.status.success(), "{text}");
    assert_eq!(tally(&text), (12, 0, 0), "{text}");
    let made: Vec<ClipInfo> = clips(&cache).into_iter().map(|(_, i)| i).filter(|i| i.voice == "acme-robot").collect();
    assert_eq!(made.len(), 6);
    assert!(made.iter().all(|i| i.engine == "command:espeak-ng -v en-us -w {wav} -f {text}"), "{made:?}");

    // Without the file, its lines have no voice: reported, not rendered.
    let (out, text) = callforge(&["voice", "--scenarios", &scen, "--cache", &cache_s, "--check"]);
    assert!(!out.status.success());
    assert!(text.contains("there is no voice \"acme-robot\""), "{text}");
}

/// The shipped library, all of it: after `callforge voice` every customer line has its clips. The
/// clips go to CALLFORGE_VOICE_CACHE when set (CI keeps it under ~/.cache, so a second run renders
/// only what changed), else to a cache in the temporary folder that later runs reuse.
#[test]
fn every_shipped_line_has_a_clip_after_callforge_voice() {
    if !synthesisers() {
        return;
    }
    let cache = crate::support::voice_cache();
    let cache_s = cache.display().to_string();
    let _one_at_a_time = crate::support::VOICE_RENDER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let started = std::time::Instant::now();
    let (out, text) = callforge(&["voice", "--cache", &cache_s]);
    assert!(out.status.success(), "{text}");
    let (_, _, failed) = tally(&text);
    assert_eq!(failed, 0, "{text}");
    eprintln!("callforge voice over the shipped library: {:.1} s\n{text}", started.elapsed().as_secs_f64());
    let (out, text) = callforge(&["voice", "--cache", &cache_s, "--check"]);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(" 0 without a clip"), "{text}");
    // And a second run renders nothing.
    let (out, text) = callforge(&["voice", "--cache", &cache_s]);
    assert!(out.status.success(), "{text}");
    assert_eq!(tally(&text).0, 0, "{text}");
}

fn library(persona: &str) -> Library {
    let script = r#"Script(id: "s", version: 1, role: Generator, title: "S", stages: [Stage(id: "a", title: "A", line: "Hello there.", weight: 1)])"#;
    let scenario = format!(
        r#"Scenario(id: "generator/x", version: 1, title: "X", role: Generator, language: "ru", script: "s", brief: "b",
        persona: {persona}, start: "q",
        nodes: {{ "q": Line(say: ["Алло"], expect: "a", choices: [Choice(text: "Hello there.", stage: "a", next: "z"), Choice(text: "Yo.", next: "z")]),
                 "z": End(outcome: Success, label: "ok") }})"#
    );
    let mut lib = Library::from_sources(vec![
        SourceFile::new("scripts/s.ron", script),
        SourceFile::new("generator/x.ron", &scenario),
    ]);
    lib.check_voices(&[]);
    lib
}

#[test]
fn validation_warns_about_a_voice_nobody_knows_a_foreign_one_and_a_wild_rate() {
    let messages = |lib: &Library| -> Vec<String> {
        lib.diagnostics
            .iter()
            .map(|d| format!("{:?} {}:{} {} {:?}", d.severity, d.line, d.col, d.message, d.help))
            .collect()
    };
    let fine = library(
        r#"Persona(name: "Марина", position: "B", company: "C", patience: 3, voice: "ru-female-1", rate: 0.9)"#,
    );
    assert!(fine.diagnostics.is_empty(), "{:?}", messages(&fine));
    assert!(fine.scenario("generator/x").is_some());

    let typo = library(r#"Persona(name: "Марина", position: "B", company: "C", patience: 3, voice: "ru-femal-1")"#);
    let m = messages(&typo);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].starts_with("Warning 2:") && m[0].contains("there is no voice \"ru-femal-1\""), "{m:?}");
    assert!(m[0].contains("did you mean `ru-female-1`"), "{m:?}");
    assert!(typo.scenario("generator/x").is_some(), "a warning: the scenario still plays");

    let foreign = library(r#"Persona(name: "Марина", position: "B", company: "C", patience: 3, voice: "en-female-1")"#);
    assert!(
        messages(&foreign).iter().any(|m| m.contains("speaks \"en\", the scenario is in \"ru\"")),
        "{:?}",
        messages(&foreign)
    );

    let fast = library(r#"Persona(name: "Марина", position: "B", company: "C", patience: 3, rate: 3.5)"#);
    assert!(
        messages(&fast).iter().any(|m| m.contains("a speaking rate of 3.5 is out of range")),
        "{:?}",
        messages(&fast)
    );
}

/// New persona fields are left out of a scenario's content hash when unset, so the hashes (and
/// with them every stored run) of existing files stay the same.
#[test]
fn a_persona_without_a_voice_hashes_as_before() {
    let without = library(r#"Persona(name: "Марина", position: "B", company: "C", patience: 3)"#);
    let p = without.scenario("generator/x").expect("playable");
    let json = serde_json::to_string(&p.scenario.persona).expect("json");
    assert_eq!(json, r#"{"name":"Марина","position":"B","company":"C","patience":3}"#);
    let with = library(r#"Persona(name: "Марина", position: "B", company: "C", patience: 3, voice: "ru-male-1")"#);
    let q = with.scenario("generator/x").expect("playable");
    assert_ne!(p.hash(), q.hash(), "naming a voice is a change of the scenario");
}
