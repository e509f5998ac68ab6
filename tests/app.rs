//! The simulator's screens headless: `MinimalPlugins` + `StatesPlugin`, no window, keys pressed
//! by hand, time stepped by hand.

use crate::support::bundled;
use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use bevy::time::TimeUpdateStrategy;
use callforge::app::screens::call::ActiveCall;
use callforge::app::screens::drill::DrillSession;
use callforge::app::screens::work::Working;
use callforge::app::{LastResult, RecordsRes, RunsDir, Scenarios, Screen, Seeds, Session, core_plugin};
use callforge::domain::model::{Mode, Node, Role};
use std::time::Duration;

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("callforge-app-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

pub(crate) fn headless(db: &str) -> App {
    headless_with(RecordsRes::open(db), None, 41)
}

/// The window's screens without a window, on `records`, keeping each profile's progress in
/// `progress` (none: for the session), drawing seeds after `seed`.
pub(crate) fn headless_with(records: RecordsRes, progress: Option<std::path::PathBuf>, seed: u64) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin))
        .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(100)))
        .insert_resource(ButtonInput::<KeyCode>::default())
        .add_message::<KeyboardInput>()
        .insert_resource(Scenarios { lib: bundled(), generation: 1 })
        .insert_resource(records)
        .insert_resource(RunsDir(tmp("runs")))
        .add_plugins(core_plugin)
        .insert_resource(Seeds::Sequence(seed));
    if let Some(file) = progress {
        app.insert_resource(callforge::app::progress::ProgressFile(file));
    }
    app.update();
    app
}

pub(crate) fn press(app: &mut App, key: KeyCode) {
    app.world_mut().resource_mut::<ButtonInput<KeyCode>>().press(key);
    app.update();
    let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    keys.release(key);
    keys.clear();
}

pub(crate) fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let s = c.to_string();
        app.world_mut().write_message(KeyboardInput {
            key_code: KeyCode::KeyA,
            logical_key: if c == ' ' { Key::Space } else { Key::Character(s.as_str().into()) },
            state: ButtonState::Pressed,
            text: Some(s.as_str().into()),
            repeat: false,
            window: Entity::PLACEHOLDER,
        });
    }
    app.update();
}

/// Lets frames pass until no manager work runs off the frame (a password check, gathering the
/// team) and the screens have caught up with its outcome; at most 30 seconds.
pub(crate) fn settle(app: &mut App) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let mut idle = 0;
    while idle < 3 && std::time::Instant::now() < deadline {
        app.update();
        let working = app.world_mut().query_filtered::<(), With<Working>>().iter(app.world()).next().is_some();
        if working {
            idle = 0;
            std::thread::sleep(Duration::from_millis(5));
        } else {
            idle += 1;
        }
    }
}

pub(crate) fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn digit(i: usize) -> KeyCode {
    callforge::app::screens::DIGITS[i]
}

/// Steps time until the customer has spoken and waits for a reply, or the call is over.
pub(crate) fn until_awaiting(app: &mut App) -> bool {
    for _ in 0..200 {
        if screen(app) != Screen::Call {
            return false;
        }
        if app.world().get_resource::<ActiveCall>().is_some_and(|c| c.awaiting()) {
            return true;
        }
        app.update();
    }
    panic!("the call never waited for a reply");
}

#[test]
fn a_whole_practice_call_driven_by_keys_is_scored_saved_and_stored() {
    let db = tmp("practice.db").display().to_string();
    let _ = std::fs::remove_file(&db);
    let mut app = headless(&db);
    assert_eq!(screen(&app), Screen::Start);

    // A new profile: type a name, Enter.
    type_text(&mut app, "Тестовый Стажёр");
    press(&mut app, KeyCode::Enter);
    app.update();
    assert_eq!(screen(&app), Screen::Home);
    let trainee = app.world().resource::<Session>().trainee.clone().expect("a trainee");
    assert_eq!((trainee.name.as_str(), trainee.role), ("Тестовый Стажёр", Role::Generator));

    // Practice, then the busy office manager from the generator list.
    press(&mut app, KeyCode::Digit1);
    app.update();
    assert_eq!(screen(&app), Screen::Picker);
    assert_eq!(app.world().resource::<Session>().mode, Mode::Practice);
    let index = bundled()
        .scenarios
        .iter()
        .filter(|e| e.role == Some(Role::Generator))
        .position(|e| e.id.as_deref() == Some("generator/busy-office-manager"))
        .expect("listed");
    assert!(index < 9);
    press(&mut app, digit(index));
    app.update();
    assert_eq!(screen(&app), Screen::Call);

    // Answer every turn with the script's choice, by its number key.
    let turns = play_by_the_script(&mut app);
    assert_eq!(turns, 4);

    let result = app.world().resource::<LastResult>().clone();
    assert_eq!((result.score.score, result.score.passed), (100, true));
    assert_eq!(result.run.seed, 42, "the first seed of the fixed sequence");
    assert_eq!(result.run.times_ms.len(), 4);
    let stored = result.stored.clone().expect("stored in the records");
    // The saved run file replays to the same score.
    let path = result.run_file.clone().expect("a run file");
    let text = std::fs::read_to_string(&path).expect("run file");
    let run: callforge::domain::Run = callforge::domain::parse::ron_options().from_str(&text).expect("parses");
    let lib = bundled();
    let replayed =
        callforge::domain::replay(lib.scenario(&run.scenario).expect("scenario"), &run, false).expect("replays");
    assert_eq!(callforge::domain::score(&replayed).score, 100);
    // And the records hold it.
    let mut records = callforge::records::Records::open(&db).expect("records");
    let rows = records.runs(trainee.id).expect("runs");
    assert_eq!(rows.iter().map(|r| (r.id, r.score)).collect::<Vec<_>>(), [(stored, 100)]);

    // Replay (P) plays the same seed again; Esc goes home.
    press(&mut app, KeyCode::KeyP);
    app.update();
    assert_eq!(screen(&app), Screen::Call);
    assert_eq!(app.world().resource::<ActiveCall>().dialogue.seed(), 42);
    until_awaiting(&mut app);
    press(&mut app, KeyCode::Escape);
    for _ in 0..20 {
        app.update();
    }
    assert_eq!(screen(&app), Screen::Results, "hanging up ends the call");
    assert_eq!(app.world().resource::<LastResult>().score.label, "Trainee hung up");
    press(&mut app, KeyCode::Escape);
    app.update();
    assert_eq!(screen(&app), Screen::Home);
}

#[test]
fn recall_mode_takes_typed_lines() {
    let db = tmp("recall.db").display().to_string();
    let _ = std::fs::remove_file(&db);
    let mut app = headless(&db);
    type_text(&mut app, "Bob");
    press(&mut app, KeyCode::Enter);
    app.update();
    press(&mut app, KeyCode::Digit3);
    app.update();
    assert_eq!(app.world().resource::<Session>().mode, Mode::Recall);
    press(&mut app, KeyCode::Enter);
    app.update();
    assert_eq!(screen(&app), Screen::Call);
    let mut typed_turns = 0;
    while until_awaiting(&mut app) {
        let (typing, line) = {
            let d = &app.world().resource::<ActiveCall>().dialogue;
            (d.expects_typing(), d.expected_stage().map(|s| d.text(&s.line).into_owned()))
        };
        if typing {
            type_text(&mut app, &line.expect("a stage"));
            press(&mut app, KeyCode::Enter);
            typed_turns += 1;
        } else {
            press(&mut app, KeyCode::Digit1);
        }
    }
    for _ in 0..40 {
        app.update();
    }
    assert_eq!(screen(&app), Screen::Results);
    let result = app.world().resource::<LastResult>();
    assert!(typed_turns >= 2);
    assert!(result.score.turns.iter().filter(|t| t.diff.is_some()).count() >= 2, "Recall turns carry a word diff");
    assert!(result.score.turns.iter().filter(|t| t.q.is_some()).all(|t| t.hit), "word-perfect lines are hits");
}

#[test]
fn the_language_switch_changes_the_interface() {
    let db = tmp("lang.db").display().to_string();
    let mut app = headless(&db);
    press(&mut app, KeyCode::F2);
    app.update();
    app.update();
    assert_eq!(app.world().resource::<Session>().lang, callforge::domain::feedback::Lang::Ru);
    let texts: Vec<String> = app.world_mut().query::<&Text>().iter(app.world()).map(|t| t.0.clone()).collect();
    assert!(texts.iter().any(|t| t.contains("Кто сегодня тренируется")), "{texts:?}");
}

/// The shipped font covers Cyrillic (Bevy's built-in one does not).
#[test]
fn the_shipped_font_has_cyrillic() {
    use skrifa::MetadataProvider;
    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/DejaVuSans.ttf")).expect("font shipped");
    let font = skrifa::FontRef::new(&bytes).expect("a font");
    let cmap = font.charmap();
    for c in "ЁёЖжЩщЪъ«»—АБВГДабвгд".chars() {
        assert!(cmap.map(c).is_some(), "glyph for {c}");
    }
}

/// The real window under Xvfb with software Vulkan: the tour saves one non-blank PNG per screen.
#[test]
fn the_demo_tour_saves_a_screenshot_of_every_screen() {
    let xvfb =
        std::process::Command::new("sh").args(["-c", "command -v xvfb-run"]).output().is_ok_and(|o| o.status.success());
    if !xvfb {
        assert!(
            std::env::var_os("CALLFORGE_REQUIRE_WINDOW").is_none(),
            "CALLFORGE_REQUIRE_WINDOW is set but xvfb-run is missing"
        );
        eprintln!("SKIPPED: window test (no xvfb-run)");
        return;
    }
    let dir = tmp("shots");
    let _ = std::fs::remove_dir_all(&dir);
    // The customers speak the shipped library's clips, so the tour shows a line being heard.
    let voices = crate::support::rendered_voices();
    assert!(
        voices.is_some() || std::env::var_os("CALLFORGE_REQUIRE_VOICES").is_none(),
        "CALLFORGE_REQUIRE_VOICES is set but the voices could not be rendered (festival or sox missing)"
    );
    let out = std::process::Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x720x24", env!("CARGO_BIN_EXE_callforge"), "demo", "--screenshots"])
        .arg(&dir)
        .env("CALLFORGE_VOICE_CACHE", voices.clone().unwrap_or_else(|| tmp("no-voices")))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("xvfb-run runs");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "demo failed: {log}");
    if voices.is_some() {
        assert!(log.contains("demo: the customer is speaking"), "04-call-speaking.png shows a line being heard: {log}");
    }
    let names = [
        "01-start.png",
        "02-home.png",
        "03-picker.png",
        "04-call-speaking.png",
        "04-call-practice.png",
        "05-call-recall.png",
        "06-results.png",
        "10-exam-proctor.png",
        "11-script-ru.png",
        "12-script-en.png",
        "13-drill-ru.png",
        "14-drill-en.png",
        "15-home-en.png",
        "16-first-day-en.png",
        "17-first-day-ru.png",
        "07-manager-team.png",
        "08-manager-trainee.png",
        "09-manager-heatmap.png",
        "18-assign-ru.png",
        "19-assign-en.png",
        "20-manager-assigned-en.png",
        "21-home-assigned-en.png",
        "22-home-assigned-ru.png",
        "23-progress-ru.png",
        "24-progress-en.png",
    ];
    for name in names {
        let path = dir.join(name);
        let file = std::fs::File::open(&path).unwrap_or_else(|_| panic!("{name} was saved: {log}"));
        let mut reader = png::Decoder::new(std::io::BufReader::new(file)).read_info().expect("a PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("decodes");
        assert_eq!((info.width, info.height), (1280, 720), "{name}");
        let px = info.color_type.samples();
        let mut colours = std::collections::HashSet::new();
        let mut bright = 0usize;
        for p in buf[..info.buffer_size()].chunks(px) {
            colours.insert((p[0] / 8, p[1] / 8, p[2] / 8));
            if p[0] as u32 + p[1] as u32 + p[2] as u32 > 500 {
                bright += 1;
            }
        }
        assert!(colours.len() > 20, "{name} is not blank: {} colours", colours.len());
        assert!(bright > 2000, "{name} has text on it: {bright} bright pixels");
    }
    // The tour's new trainees' homes show the first-day panel with nothing ticked and its first
    // step framed; the first-day shots show green ticks and the next step framed.
    // palette::GOOD and palette::ACCENT in 8-bit sRGB.
    let (good, accent) = ([70, 195, 116], [65, 144, 247]);
    for home in ["15-home-en.png", "02-home.png"] {
        let path = dir.join(home);
        assert_eq!(first_day_pixels_like(&path, good), 0, "{home}: nothing ticked yet");
        assert!(first_day_pixels_like(&path, accent) > 1000, "{home}: the first step framed");
    }
    for shot in ["16-first-day-en.png", "17-first-day-ru.png"] {
        let path = dir.join(shot);
        assert!(first_day_pixels_like(&path, good) > 50, "{shot}: green ticks");
        assert!(first_day_pixels_like(&path, accent) > 1000, "{shot}: the next step framed");
    }
}

/// Pixels of a shot's first-day panel area (left column, above the progress panel) close to `rgb`.
fn first_day_pixels_like(path: &std::path::Path, rgb: [u8; 3]) -> usize {
    let file = std::fs::File::open(path).unwrap_or_else(|_| panic!("{} was saved", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file)).read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("decodes");
    assert_eq!((info.width, info.height), (1280, 720), "{}", path.display());
    let px = info.color_type.samples();
    let mut n = 0;
    for y in 110..310 {
        for x in 24..784 {
            let p = &buf[(y * info.width as usize + x) * px..][..3];
            if p.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 12) {
                n += 1;
            }
        }
    }
    n
}

/// From the start screen with the new-profile field selected: down to the manager's entry, and
/// log in with the keyboard.
fn log_in_as_manager(app: &mut App, user: &str, password: &str) {
    press(app, KeyCode::ArrowDown);
    press(app, KeyCode::Enter);
    app.update();
    assert_eq!(screen(app), Screen::ManagerLogin);
    type_text(app, user);
    press(app, KeyCode::Tab);
    type_text(app, password);
    press(app, KeyCode::Enter);
    settle(app);
    assert_eq!(screen(app), Screen::Manager);
}

/// A manager logs in, opens an eligible trainee and approves the promotion, all by keyboard.
#[test]
fn a_manager_approves_a_promotion_from_the_keyboard() {
    let db = tmp("manager.db").display().to_string();
    let _ = std::fs::remove_file(&db);
    let lib = bundled();
    {
        let mut r = callforge::records::Records::open(&db).expect("records");
        r.add_trainee("Olga", Role::Generator).expect("trainee");
        r.add_manager("boss", "correct horse", None, None).expect("manager");
        r.add_manager("proctor", "proctor's password", None, Some(("boss", "correct horse"))).expect("proctor");
        for seed in 0..10 {
            let run = crate::support::perfect_run(&lib, "generator/busy-office-manager", seed, Mode::Practice, "Olga");
            r.store_run("Olga", &lib, &run).expect("practice");
        }
        for id in ["closer/warm-lead-price", "closer/warm-lead-competitor"] {
            let t = r.issue_ticket("Olga", id, Mode::Exam, "proctor", "proctor's password", &lib).expect("ticket");
            let exam = crate::support::perfect_run(&lib, id, t.seed, Mode::Exam, "Olga");
            let stored = r.store_run_with_ticket("Olga", &lib, &exam, t.id).expect("exam");
            assert!(stored.score.passed);
        }
    }
    let mut app = headless(&db);
    // Profiles: Olga, the new-profile field (selected), the manager's entry.
    log_in_as_manager(&mut app, "boss", "correct horse");
    let texts = |app: &mut App| -> String {
        app.world_mut().query::<&Text>().iter(app.world()).map(|t| t.0.clone()).collect::<Vec<_>>().join("\n")
    };
    assert!(texts(&mut app).contains("Olga"), "the team table lists Olga");
    press(&mut app, KeyCode::Enter);
    app.update();
    assert!(texts(&mut app).contains("Eligible for promotion to"), "{}", texts(&mut app));
    press(&mut app, KeyCode::KeyA);
    app.update();
    type_text(&mut app, "correct horse");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert!(texts(&mut app).contains("Promoted"), "{}", texts(&mut app));
    let mut r = callforge::records::Records::open(&db).expect("records");
    assert_eq!(r.trainee("Olga").expect("olga").role, Role::Closer);
    let p = r.promotions(None).expect("promotions");
    assert_eq!((p.len(), p[0].manager.as_str()), (1, "boss"));
}

/// A trainee picks an exam; it starts only when a proctor signs in, on the ticket's seed, and the
/// call is stored with the ticket, so it counts. A wrong password starts nothing.
#[test]
fn an_exam_starts_with_a_proctors_ticket_and_is_stored_with_it() {
    let db = tmp("proctor.db").display().to_string();
    let _ = std::fs::remove_file(&db);
    {
        let mut r = callforge::records::Records::open(&db).expect("records");
        r.add_trainee("Olga", Role::Generator).expect("trainee");
        r.add_manager("boss", "correct horse", None, None).expect("manager");
        r.add_manager("proctor", "proctor's password", None, Some(("boss", "correct horse"))).expect("proctor");
    }
    let mut app = headless(&db);
    // Profiles: Olga, the new-profile field (selected), the manager's entry.
    press(&mut app, KeyCode::ArrowUp);
    press(&mut app, KeyCode::Enter);
    app.update();
    assert_eq!(screen(&app), Screen::Home);
    press(&mut app, KeyCode::Digit2);
    app.update();
    assert_eq!(screen(&app), Screen::Picker);
    press(&mut app, KeyCode::Enter);
    app.update();
    assert_eq!(screen(&app), Screen::Proctor, "an exam asks for a proctor first");
    let texts = |app: &mut App| -> String {
        app.world_mut().query::<&Text>().iter(app.world()).map(|t| t.0.clone()).collect::<Vec<_>>().join("\n")
    };

    // A wrong password: refused, no ticket, still here.
    type_text(&mut app, "proctor");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "not the password");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Proctor);
    assert!(texts(&mut app).contains("wrong user name or password"), "{}", texts(&mut app));
    let mut r = callforge::records::Records::open(&db).expect("records");
    assert!(r.tickets(None).expect("tickets").is_empty());
    drop(r);

    // The right one: the call starts on the ticket's seed and mode.
    type_text(&mut app, "proctor's password");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Call, "{}", texts(&mut app));
    let mut r = callforge::records::Records::open(&db).expect("records");
    let tickets = r.tickets(None).expect("tickets");
    assert_eq!(tickets.len(), 1);
    let ticket = tickets[0].clone();
    drop(r);
    {
        let call = app.world().resource::<ActiveCall>();
        assert_eq!((call.dialogue.seed(), call.dialogue.mode()), (ticket.seed, ticket.mode));
        assert_eq!(call.dialogue.playable().id(), ticket.scenario);
    }

    // Answer with the script's choice, wherever the exam's shuffle put it.
    play_by_the_script(&mut app);
    assert_eq!(screen(&app), Screen::Results);
    let result = app.world().resource::<LastResult>().clone();
    assert_eq!(result.ticket, Some(ticket.id));
    let stored = result.stored.clone().expect("stored");
    let mut r = callforge::records::Records::open(&db).expect("records");
    let used = r.ticket(ticket.id).expect("the ticket");
    assert_eq!(used.run, Some(stored), "the run used the ticket");
    assert!(!texts(&mut app).contains("no proctor"), "a proctored exam is not called practice");
}

/// Every text on screen, spans included, and the spans drawn in the highlight colour.
pub(crate) fn texts_and_highlights(app: &mut App) -> (String, Vec<String>) {
    let mut all: Vec<String> = app.world_mut().query::<&Text>().iter(app.world()).map(|t| t.0.clone()).collect();
    let mut marked = Vec::new();
    for (span, color) in app.world_mut().query::<(&TextSpan, &TextColor)>().iter(app.world()) {
        all.push(span.0.clone());
        if color.0 == callforge::app::theme::palette::WARN {
            marked.push(span.0.clone());
        }
    }
    (all.join("\n"), marked)
}

/// S on the home screen opens the script of the trainee's role in the interface language: every
/// stage by title, the must-mention phrases in their own colour; F2 shows the Russian script; Esc
/// goes back home.
#[test]
fn the_script_screen_opens_by_key_and_shows_every_stage() {
    let db = tmp("script.db").display().to_string();
    let _ = std::fs::remove_file(&db);
    let mut app = headless(&db);
    type_text(&mut app, "Bob");
    press(&mut app, KeyCode::Enter);
    app.update();
    assert_eq!(screen(&app), Screen::Home);
    let (home, _) = texts_and_highlights(&mut app);
    assert!(home.contains("S Script") && home.contains("S  Script"), "the key hint and the button: {home}");

    press(&mut app, KeyCode::KeyS);
    app.update();
    assert_eq!(screen(&app), Screen::Script);
    let (texts, marked) = texts_and_highlights(&mut app);
    let script = bundled().scripts.get("generator-cold-call").expect("the generator script").script.clone();
    let mut at = 0;
    for (i, stage) in script.stages.iter().enumerate() {
        let title = format!("{}. {}", i + 1, stage.title);
        let found = texts[at..].find(&title).unwrap_or_else(|| panic!("{title} in order: {texts}"));
        at += found;
    }
    assert!(texts.contains("★ critical") && texts.contains("weight 40 (40%)"), "{texts}");
    assert!(texts.contains("Never say") && texts.contains("«stupid»"), "{texts}");
    assert!(
        marked.contains(&"My name is".to_owned()) && marked.contains(&"next-day delivery".to_owned()),
        "{marked:?}"
    );
    assert!(!texts.contains("{trainee}") && texts.contains("[your name]"));

    press(&mut app, KeyCode::F2);
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Script);
    let (texts, marked) = texts_and_highlights(&mut app);
    assert!(
        texts.contains("Регламент: Лидогенератор") && texts.contains("1. Поздороваться, назвать себя и компанию"),
        "{texts}"
    );
    assert!(marked.contains(&"Меня зовут".to_owned()), "{marked:?}");

    press(&mut app, KeyCode::Escape);
    app.update();
    assert_eq!(screen(&app), Screen::Home);
}

/// Fixes the records' clock, so a drill's reviews fall on known days.
fn set_clock(app: &mut App, at: i64) {
    app.world()
        .resource::<RecordsRes>()
        .with(|r| r.set_clock(callforge::clock::Clock::Fixed(at)))
        .expect("records open");
}

/// The stage the drill screen waits for a line of, and that stage's script line.
fn drill_exercise(app: &App) -> (String, String) {
    let drill = app.world().resource::<DrillSession>();
    let d = drill.awaiting().expect("an exercise waits for its line");
    let stage = d.expected_stage().expect("a drill expects a stage");
    (stage.id.clone(), d.text(&stage.line).into_owned())
}

/// D on the home screen opens today's drills. The first exercise is answered with its script line,
/// the second with a wrong one; both are stored. The records then bring the missed stage back
/// sooner than the passed one, and two days later the home panel lists the missed stage, not the
/// passed one.
#[test]
fn a_drill_session_reschedules_a_missed_stage_sooner_than_a_passed_one() {
    use callforge::domain::schedule::{self, DAY, Grade};
    let db = tmp("drill.db").display().to_string();
    let _ = std::fs::remove_file(&db);
    let mut app = headless(&db);
    let t0 = 1_800_000_000 - 1_800_000_000 % DAY + 9 * 3600;
    set_clock(&mut app, t0);
    type_text(&mut app, "Dana");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home);
    let lib = bundled();
    let fresh = callforge::domain::drill::plan(&lib, Role::Generator, "en", &[], t0);
    assert!(!fresh.due.is_empty());
    let (home, _) = texts_and_highlights(&mut app);
    assert!(home.contains(&format!("Drills due today: {} stage(s)", fresh.due.len())), "{home}");
    assert!(home.contains(&format!("· {}", fresh.due[0].title)), "{home}");
    assert!(home.contains("D  Drill now") && home.contains("D Drill"), "the button and the key hint: {home}");

    press(&mut app, KeyCode::KeyD);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Drill);
    assert_eq!(app.world().resource::<DrillSession>().exercises.len(), fresh.due.len(), "one exercise per due stage");
    let (passed, line) = drill_exercise(&app);
    assert_eq!(passed, fresh.due[0].due.key.stage, "the first due stage first");
    let (texts, _) = texts_and_highlights(&mut app);
    assert!(texts.contains(&format!("Stage: {}", fresh.due[0].title)) && texts.contains("Drill · 1 / "), "{texts}");
    type_text(&mut app, &line);
    press(&mut app, KeyCode::Enter);
    app.update();
    let first = app.world().resource::<DrillSession>().answered().expect("scored").clone();
    assert_eq!(first.finished.score.score, 100, "{:?}", first.finished.score.turns);
    assert_eq!(first.finished.run.mode, Mode::Drill);
    first.stored.clone().expect("stored in the records");
    let (texts, _) = texts_and_highlights(&mut app);
    assert!(
        texts.contains("✓") && texts.contains("By the script") && texts.contains("Saved to your records"),
        "{texts}"
    );

    press(&mut app, KeyCode::Enter);
    app.update();
    let (missed, _) = drill_exercise(&app);
    assert_ne!(missed, passed);
    type_text(&mut app, "Is your boss around? Put me through.");
    press(&mut app, KeyCode::Enter);
    app.update();
    let second = app.world().resource::<DrillSession>().answered().expect("scored").clone();
    assert!(second.finished.score.score < 50, "{:?}", second.finished.score);
    assert!(second.finished.score.turns[0].diff.is_some(), "the word diff");
    second.stored.clone().expect("stored in the records");
    let (texts, _) = texts_and_highlights(&mut app);
    assert!(texts.contains("✗"), "{texts}");

    // Esc mid-session goes home; the answers given are kept.
    press(&mut app, KeyCode::Escape);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home);
    let id = app.world().resource::<Session>().trainee.as_ref().and_then(|t| t.id).expect("in the records");
    let (memories, runs) = app
        .world()
        .resource::<RecordsRes>()
        .with(|r| (schedule::memories(&r.stage_reviews(id).expect("reviews")), r.runs(Some(id)).expect("runs")))
        .expect("records open");
    assert_eq!(runs.iter().map(|r| r.mode).collect::<Vec<_>>(), [Mode::Drill, Mode::Drill]);
    // Each answer is also saved as a run file, as a call is, and replays to its stored score.
    let lib = bundled();
    for row in &runs {
        let (_, stored_score, run) =
            app.world().resource::<RecordsRes>().with(|r| r.run_detail(row.id).expect("detail")).expect("open");
        let dir = app.world().resource::<RunsDir>().0.clone();
        let saved = std::fs::read_dir(&dir).expect("the runs folder").filter_map(Result::ok).any(|e| {
            std::fs::read_to_string(e.path())
                .ok()
                .and_then(|t| callforge::domain::parse::ron_options().from_str::<callforge::domain::Run>(&t).ok())
                .is_some_and(|f| f == run)
        });
        assert!(saved, "run {} has its run file in {}", row.id, dir.display());
        let p = lib.scenario(&run.scenario).expect("scenario");
        let replayed = callforge::domain::replay(p, &run, false).expect("replays");
        assert_eq!(callforge::domain::score(&replayed).score, stored_score.score);
    }
    let memory = |stage: &str| memories.iter().find(|m| m.key.stage == stage).unwrap_or_else(|| panic!("{stage}"));
    let (p, m) = (memory(&passed), memory(&missed));
    assert_eq!((p.last_grade, m.last_grade), (Grade::Good, Grade::Again));
    assert!(m.due < p.due, "the missed stage comes back sooner: {m:?} {p:?}");

    // Two days later the missed stage is due again and the passed one is not.
    set_clock(&mut app, t0 + 2 * DAY);
    press(&mut app, KeyCode::Escape);
    app.update();
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home);
    let title = |stage: &str| fresh.due.iter().find(|d| d.due.key.stage == stage).expect("due at first").title.clone();
    let (home, _) = texts_and_highlights(&mut app);
    assert!(home.contains(&format!("· {}", title(&missed))), "{home}");
    assert!(!home.contains(&title(&passed)), "{home}");
}

/// The home panel names the best next call (for a new trainee, the first scenario of the role that
/// expects the most stages); N starts it as a Practice call.
#[test]
fn the_home_panel_shows_the_best_next_call_and_n_starts_it_in_practice() {
    let db = tmp("best-call.db").display().to_string();
    let _ = std::fs::remove_file(&db);
    let mut app = headless(&db);
    type_text(&mut app, "Nick");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    let lib = bundled();
    let best = callforge::domain::drill::plan(&lib, Role::Generator, "en", &[], 0).best_call.expect("a best call");
    let sc = lib.scenario(&best).expect("the scenario").scenario.clone();
    let (home, _) = texts_and_highlights(&mut app);
    assert!(home.contains("Best next call"), "{home}");
    assert!(home.contains(&format!("«{}»", sc.title)), "{home}");
    assert!(home.contains(&format!("{}, {}", sc.persona.name, sc.persona.company)), "{home}");

    press(&mut app, KeyCode::KeyN);
    app.update();
    assert_eq!(screen(&app), Screen::Call);
    assert_eq!(app.world().resource::<Session>().mode, Mode::Practice);
    let call = app.world().resource::<ActiveCall>();
    assert_eq!((call.dialogue.playable().id(), call.dialogue.mode()), (best.as_str(), Mode::Practice));
}

/// Without records the home panel and the drill screen say so, and the trainee still drills:
/// answers are scored, nothing is stored.
#[test]
fn without_records_drills_are_scored_but_not_stored() {
    let blocker = tmp("not-a-folder");
    std::fs::write(&blocker, "a file where a folder should be").expect("write");
    let mut app = headless(&blocker.join("records.db").display().to_string());
    assert!(app.world().resource::<RecordsRes>().records.is_none(), "the records cannot open");
    type_text(&mut app, "Nora");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home);
    let (home, _) = texts_and_highlights(&mut app);
    assert!(home.contains("drills are scored but not stored") && home.contains("Drills due today"), "{home}");
    press(&mut app, KeyCode::KeyD);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Drill);
    let (_, line) = drill_exercise(&app);
    type_text(&mut app, &line);
    press(&mut app, KeyCode::Enter);
    app.update();
    let answer = app.world().resource::<DrillSession>().answered().expect("scored").clone();
    assert_eq!(answer.finished.score.score, 100);
    assert!(answer.stored.is_err());
    let (texts, _) = texts_and_highlights(&mut app);
    assert!(texts.contains("your answers are scored but not stored"), "{texts}");
}

/// A small deterministic generator for the abuse test.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Thousands of frames of random keys, typed text and clicks on every screen, with the library
/// swapped for one with broken files now and then: the app never panics and keeps answering.
#[test]
fn the_window_survives_random_keys_clicks_and_broken_reloads() {
    for seed in [0x5EED_1234_ABCD_0001, 0x0DDB_A11D_EAD5_0002, 0x1234_5678_9ABC_DEF3] {
        abuse(seed);
    }
}

fn abuse(seed: u64) {
    let db = tmp(&format!("abuse-{seed:x}.db"));
    let _ = std::fs::remove_file(&db);
    let mut app = headless(db.to_str().expect("utf8"));
    let keys = [
        KeyCode::Digit1,
        KeyCode::Digit2,
        KeyCode::Digit3,
        KeyCode::Digit9,
        KeyCode::Enter,
        KeyCode::NumpadEnter,
        KeyCode::Escape,
        KeyCode::ArrowUp,
        KeyCode::ArrowDown,
        KeyCode::ArrowLeft,
        KeyCode::PageDown,
        KeyCode::PageUp,
        KeyCode::Backspace,
        KeyCode::Tab,
        KeyCode::Space,
        KeyCode::KeyS,
        KeyCode::KeyR,
        KeyCode::KeyH,
        KeyCode::KeyA,
        KeyCode::KeyP,
        KeyCode::KeyD,
        KeyCode::KeyN,
        KeyCode::F2,
        KeyCode::F3,
        KeyCode::F4,
    ];
    let texts = ["Ольга", "Good afternoon! My name is Alex", "", "\u{1b}[2J", "ё\u{200b}й", &"x".repeat(3000), "1"];
    let good = bundled();
    let broken = callforge::domain::Library::from_sources(vec![
        callforge::domain::SourceFile::new(
            "scripts/s.ron",
            "Script(id: \"s\", version: 1, role: Generator, title: \"\", stages: [",
        ),
        callforge::domain::SourceFile::new("generator/x.ron", "Scenario(id: \"generator/x\", title: \"\\é\""),
        callforge::domain::SourceFile::new(
            "ladder.ron",
            "Ladder(rungs: [Rung(role: Closer, title: \"x\"), Rung(role: Generator)])",
        ),
    ]);
    let mut dice = Dice(seed);
    let mut screens = std::collections::BTreeSet::new();
    for frame in 0..3000 {
        match dice.below(20) {
            0..=11 => press(&mut app, keys[dice.below(keys.len())]),
            12 | 13 => type_text(&mut app, texts[dice.below(texts.len())]),
            14 | 15 => {
                let buttons: Vec<Entity> =
                    app.world_mut().query_filtered::<Entity, With<Button>>().iter(app.world()).collect();
                if !buttons.is_empty() {
                    let b = buttons[dice.below(buttons.len())];
                    app.world_mut().entity_mut(b).insert(Interaction::Pressed);
                }
                app.update();
            }
            16 if frame % 7 == 0 => {
                let lib = if dice.below(2) == 0 { broken.clone() } else { good.clone() };
                let mut s = app.world_mut().resource_mut::<Scenarios>();
                s.lib = lib;
                s.generation += 1;
                app.update();
            }
            _ => app.update(),
        }
        screens.insert(format!("{:?}", screen(&app)));
    }
    // Still alive and answering: back to a known screen with Escape.
    for _ in 0..6 {
        press(&mut app, KeyCode::Escape);
    }
    settle(&mut app);
    assert!(screens.len() >= 4, "the random walk visited several screens: {screens:?}");
}

/// A voice cache with a clip of `seconds` for every line of a scenario, in both effects (empty
/// files: the headless app plays nothing, it only times the lines by them).
fn fake_voices(scenario: &str, seconds: f32) -> callforge::app::sound::VoiceCache {
    use callforge::domain::voice::{ClipInfo, Effect, scenario_lines};
    let dir = tmp(&format!("voices-{}", scenario.replace('/', "-")));
    std::fs::create_dir_all(&dir).expect("voice cache");
    let lib = bundled();
    let p = lib.scenario(scenario).expect("scenario");
    for line in scenario_lines(&p.scenario) {
        for effect in Effect::ALL {
            let key = line.key(effect).expect("a voice");
            let info = ClipInfo {
                voice: line.voice.clone().expect("a voice").0,
                effect: effect.as_str().to_owned(),
                engine: "test".to_owned(),
                preferred: "test".to_owned(),
                fallback: None,
                duration_ms: (seconds * 1000.0) as u64,
                text: line.text.clone(),
            };
            std::fs::write(dir.join(format!("{key}.json")), serde_json::to_string(&info).expect("json"))
                .expect("clip info");
            std::fs::write(dir.join(format!("{key}.ogg")), b"").expect("clip");
        }
    }
    callforge::app::sound::VoiceCache(dir)
}

/// The cues the last frame wrote.
fn cues(app: &App) -> Vec<callforge::app::Cue> {
    app.world().resource::<Messages<callforge::app::Cue>>().iter_current_update_messages().cloned().collect()
}

fn phase(app: &App) -> Option<callforge::app::screens::call::Phase> {
    app.world().get_resource::<ActiveCall>().map(|c| c.phase)
}

/// The customer's line is heard as its bubble appears, with its subtitle; the replies come after
/// it has played (or at once with Space); the pause before a heard line is a breath, not typing
/// time; and the results can play each line again.
#[test]
fn the_customer_speaks_each_line_and_space_skips_to_the_reply() {
    use callforge::app::Cue;
    use callforge::app::screens::call::Phase;
    let db = tmp("speaking.db").display().to_string();
    let _ = std::fs::remove_file(&db);
    let mut app = headless(&db);
    app.insert_resource(fake_voices("generator/busy-office-manager", 2.0));
    type_text(&mut app, "Bob");
    press(&mut app, KeyCode::Enter);
    app.update();
    press(&mut app, KeyCode::Digit1);
    app.update();
    let index = bundled()
        .scenarios
        .iter()
        .filter(|e| e.role == Some(Role::Generator))
        .position(|e| e.id.as_deref() == Some("generator/busy-office-manager"))
        .expect("listed");
    press(&mut app, digit(index));
    app.update();
    assert_eq!(screen(&app), Screen::Call);

    // The phone rings, the customer picks up and speaks.
    let mut heard = Vec::new();
    for _ in 0..40 {
        app.update();
        heard.extend(cues(&app));
        if app.world().resource::<ActiveCall>().speaking() {
            break;
        }
    }
    assert!(heard.contains(&Cue::LineNoise(true)), "the line hisses once connected: {heard:?}");
    assert!(heard.iter().any(|c| matches!(c, Cue::Voice(a) if a.starts_with("voices://"))), "{heard:?}");
    let (subtitle, line) = {
        let call = app.world().resource::<ActiveCall>();
        assert!(call.speaking() && !call.awaiting());
        (call.subtitle.clone(), call.dialogue.customer_line().map(|l| l.into_owned()))
    };
    assert_eq!(subtitle, line, "the line is shown as a subtitle while it plays");
    let texts: Vec<String> = app.world_mut().query::<&Text>().iter(app.world()).map(|t| t.0.clone()).collect();
    assert!(texts.iter().any(|t| t.contains("is speaking")), "a speaking indicator: {texts:?}");

    // No reply while the line plays; the replies come when the 2 s clip is over.
    press(&mut app, KeyCode::Digit1);
    assert!(app.world().resource::<ActiveCall>().dialogue.turns().is_empty(), "replies wait for the line");
    let mut frames = 1;
    while !app.world().resource::<ActiveCall>().awaiting() {
        app.update();
        frames += 1;
        assert!(frames < 40, "the line never ended");
    }
    assert!((18..=22).contains(&frames), "the turn lasts as long as the clip (2 s): {frames} frames of 0.1 s");

    // After the reply, a breath before the next heard line, however long it is.
    press(&mut app, KeyCode::Digit1);
    let call = app.world().resource::<ActiveCall>();
    assert!(matches!(call.phase, Phase::Typing(t) if (t - call.clock - 0.45).abs() < 0.11), "{:?}", call.phase);
    while !app.world().resource::<ActiveCall>().speaking() {
        app.update();
    }
    // Space skips the line: the replies come at once, and the voice stops.
    press(&mut app, KeyCode::Space);
    assert!(app.world().resource::<ActiveCall>().awaiting(), "{:?}", phase(&app));
    assert!(cues(&app).contains(&Cue::StopVoice));

    // Hang up; the results play the customer's first line again with 1.
    press(&mut app, KeyCode::Escape);
    for _ in 0..20 {
        app.update();
    }
    assert_eq!(screen(&app), Screen::Results);
    press(&mut app, KeyCode::Digit1);
    let first = cues(&app);
    assert!(first.iter().any(|c| matches!(c, Cue::Voice(a) if a.starts_with("voices://"))), "{first:?}");
    assert_eq!(screen(&app), Screen::Results, "a digit plays a line, it does not leave");
}

/// Volume, mute and the telephone sound are kept per profile and come back with it.
#[test]
fn sound_settings_are_kept_per_profile() {
    use callforge::app::sound::{SoundFile, read_sound_file};
    let db = tmp("sound.db").display().to_string();
    let _ = std::fs::remove_file(&db);
    let file = tmp("sound.ron");
    let _ = std::fs::remove_file(&file);
    let mut app = headless(&db);
    app.insert_resource(SoundFile(file.clone()));
    type_text(&mut app, "Olga");
    press(&mut app, KeyCode::Enter);
    app.update();
    assert_eq!(screen(&app), Screen::Home);
    for key in [KeyCode::F5, KeyCode::F6, KeyCode::F3] {
        press(&mut app, key);
    }
    app.update();
    let s = app.world().resource::<Session>().clone();
    assert_eq!((s.muted, s.telephone, s.volume), (true, false, 0.7));
    let texts: Vec<String> = app.world_mut().query::<&Text>().iter(app.world()).map(|t| t.0.clone()).collect();
    assert!(texts.iter().any(|t| t.contains("Sound off")), "the home screen shows the sound: {texts:?}");
    let stored = read_sound_file(&file);
    assert_eq!(stored.get("Olga").map(|x| (x.muted, x.telephone)), Some((true, false)), "{stored:?}");

    // A new start: another profile has its own (default) sound; Olga gets hers back.
    let mut app = headless(&db);
    app.insert_resource(SoundFile(file.clone()));
    type_text(&mut app, "Bob");
    press(&mut app, KeyCode::Enter);
    app.update();
    let s = app.world().resource::<Session>().clone();
    assert_eq!((s.muted, s.telephone, s.volume), (false, true, 0.8));
    press(&mut app, KeyCode::Escape);
    app.update();
    assert_eq!(screen(&app), Screen::Start);
    // The start screen selects Bob, the profile just used; move to Olga.
    let names: Vec<String> = app
        .world()
        .resource::<RecordsRes>()
        .with(|r| r.trainees().expect("trainees"))
        .expect("records")
        .into_iter()
        .map(|t| t.name)
        .collect();
    let (olga, bob) = (names.iter().position(|n| n == "Olga"), names.iter().position(|n| n == "Bob"));
    let (olga, bob) = (olga.expect("Olga"), bob.expect("Bob"));
    let key = if olga < bob { KeyCode::ArrowUp } else { KeyCode::ArrowDown };
    for _ in 0..olga.abs_diff(bob) {
        press(&mut app, key);
    }
    press(&mut app, KeyCode::Enter);
    app.update();
    let s = app.world().resource::<Session>().clone();
    assert_eq!(s.trainee.map(|t| t.name), Some("Olga".to_owned()));
    assert_eq!((s.muted, s.telephone, s.volume), (true, false, 0.7));
}

/// Answers every turn of the call under way with the script's reply, by the number key it is shown
/// under, until the results show; returns how many turns were answered.
pub(crate) fn play_by_the_script(app: &mut App) -> usize {
    let mut turns = 0;
    while until_awaiting(app) {
        let key = {
            let d = &app.world().resource::<ActiveCall>().dialogue;
            let right = match d.playable().node(d.node()) {
                Node::Line { choices, expect, .. } => {
                    choices.iter().position(|c| c.stage.is_some() && c.stage == *expect).unwrap_or(0)
                }
                _ => 0,
            };
            let shown = d.choice_order().iter().position(|&i| i == right).expect("the reply is shown");
            digit(shown)
        };
        press(app, key);
        turns += 1;
        assert!(turns < 40, "the call ends");
    }
    for _ in 0..40 {
        if screen(app) == Screen::Results {
            return turns;
        }
        app.update();
    }
    assert_eq!(screen(app), Screen::Results);
    turns
}

/// A manager sets Olga a call from her page; it shows on her home as open; A starts it; once the
/// call is made well enough, her home shows it done (and the manager's data too).
#[test]
fn an_assignment_made_by_a_manager_appears_on_the_trainees_home_and_turns_done_when_met() {
    use callforge::app::screens::assigned::{Assigned, AssignedRow};
    use callforge::domain::assign::{State, Task};
    let db = tmp("assignments.db").display().to_string();
    let _ = std::fs::remove_file(&db);
    {
        let mut r = callforge::records::Records::open(&db).expect("records");
        r.add_trainee("Olga", Role::Generator).expect("trainee");
        r.add_manager("boss", "correct horse", None, None).expect("manager");
    }
    let mut app = headless(&db);
    // The manager: log in, open Olga's page, N, keep the first scenario, raise the minimum to 50
    // (→ once), sign with the password.
    log_in_as_manager(&mut app, "boss", "correct horse");
    press(&mut app, KeyCode::Enter);
    app.update();
    let (page, _) = texts_and_highlights(&mut app);
    assert!(page.contains("No assignments yet"), "{page}");
    press(&mut app, KeyCode::KeyN);
    app.update();
    press(&mut app, KeyCode::ArrowRight);
    type_text(&mut app, "wrong password");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    let (form, _) = texts_and_highlights(&mut app);
    assert!(form.contains("Assign work to Olga"), "a refusal keeps the form: {form}");
    type_text(&mut app, "correct horse");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    let (page, _) = texts_and_highlights(&mut app);
    assert!(page.contains("Assignment set (#1)"), "{page}");
    assert!(page.contains("#1 Call \"") && page.contains("in Practice, ≥ 50") && page.contains("· open"), "{page}");
    let a = callforge::records::Records::open(&db).expect("records").assignment(1).expect("stored");
    let Task::Call { scenario, mode } = a.task.clone() else { panic!("a call: {a:?}") };
    assert_eq!((mode, a.min_score, a.manager.as_str()), (Mode::Practice, Some(50), "boss"));
    assert_eq!(a.due % 86_400, 86_399, "the end of a day (UTC)");
    assert!((7 * 86_400..8 * 86_400).contains(&(a.due - a.created_at)), "a week on");

    // Olga: her home lists it, open; A starts its call in its mode.
    press(&mut app, KeyCode::Escape);
    press(&mut app, KeyCode::Escape);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Start);
    press(&mut app, KeyCode::ArrowUp);
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home);
    let rows = |app: &mut App| -> Vec<AssignedRow> {
        app.world_mut().query::<&AssignedRow>().iter(app.world()).copied().collect()
    };
    assert_eq!(rows(&mut app), [AssignedRow { id: 1, state: State::Open }]);
    let (home, _) = texts_and_highlights(&mut app);
    assert!(home.contains("From your manager") && home.contains("A  Start the first one not done"), "{home}");
    press(&mut app, KeyCode::KeyA);
    app.update();
    assert_eq!(screen(&app), Screen::Call);
    {
        let call = app.world().resource::<ActiveCall>();
        assert_eq!((call.dialogue.playable().id(), call.dialogue.mode()), (scenario.as_str(), Mode::Practice));
    }
    play_by_the_script(&mut app);
    assert!(app.world().resource::<LastResult>().stored.is_ok());
    press(&mut app, KeyCode::Escape);
    settle(&mut app);
    assert_eq!(screen(&app), Screen::Home);
    assert_eq!(rows(&mut app), [AssignedRow { id: 1, state: State::Done }]);
    let (home, _) = texts_and_highlights(&mut app);
    assert!(home.contains("· done") && !home.contains("A  Start the first one not done"), "{home}");
    let assigned = app.world().resource::<Assigned>();
    assert_eq!(assigned.items[0].progress.state, State::Done);
}

/// M on the home screen opens the trainee's own progress: an empty chart says why it is empty;
/// with calls and drills, a bar per call on a labelled scale and each stage met with its trend.
#[test]
fn my_progress_shows_scores_over_time_and_stage_strength_with_labelled_axes() {
    use callforge::app::screens::my_progress::Shown;
    let db = tmp("my-progress.db").display().to_string();
    let _ = std::fs::remove_file(&db);
    let lib = bundled();
    {
        let mut r = callforge::records::Records::open(&db).expect("records");
        r.add_trainee("Olga", Role::Generator).expect("trainee");
        for (day, seed) in [(0, 1), (2, 2), (5, 3)] {
            r.set_clock(callforge::clock::Clock::Fixed(1_800_000_000 + day * 86_400));
            let run = crate::support::perfect_run(&lib, "generator/busy-office-manager", seed, Mode::Practice, "Olga");
            r.store_run("Olga", &lib, &run).expect("a call");
        }
    }
    let mut app = headless(&db);
    // A new profile first: nothing to show, and the screen says why.
    type_text(&mut app, "Pavel");
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    press(&mut app, KeyCode::KeyM);
    app.update();
    assert_eq!(screen(&app), Screen::MyProgress);
    assert_eq!(app.world().resource::<Shown>().calls.len(), 0);
    let (texts, _) = texts_and_highlights(&mut app);
    assert!(texts.contains("No calls yet") && texts.contains("No stage met yet"), "{texts}");
    press(&mut app, KeyCode::Escape);
    app.update();
    assert_eq!(screen(&app), Screen::Home);
    // Olga: three calls, every stage of the call met.
    press(&mut app, KeyCode::Escape);
    app.update();
    // Pavel (the profile just used) is selected; Olga is the row above.
    press(&mut app, KeyCode::ArrowUp);
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(app.world().resource::<Session>().trainee.as_ref().map(|t| t.name.clone()).as_deref(), Some("Olga"));
    press(&mut app, KeyCode::KeyM);
    app.update();
    let shown = app.world().resource::<Shown>().clone();
    assert_eq!(shown.calls.iter().map(|c| (c.score, c.passed)).collect::<Vec<_>>(), [(100, true); 3]);
    assert!(!shown.stages.is_empty());
    assert!(shown.stages.iter().all(|s| s.strength > 0.99 && s.days == 3), "{:?}", shown.stages);
    let (texts, _) = texts_and_highlights(&mut app);
    for label in [
        "Score per call",
        "score (0–100)",
        "100",
        "0",
        "2027-01-15",
        "2027-01-20",
        "Strength per script stage",
        "50%",
        "→",
    ] {
        assert!(texts.contains(label), "{label} in {texts}");
    }
    press(&mut app, KeyCode::F2);
    app.update();
    app.update();
    let (texts, _) = texts_and_highlights(&mut app);
    assert!(texts.contains("Оценка за звонок") && texts.contains("Сила по этапам скрипта"), "{texts}");
}
