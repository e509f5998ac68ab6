//! The scripted tour (`callforge demo`): plays the app through its screens with simulated key
//! presses, saving a screenshot of each, or measuring start-up time, frame rate and memory.

use super::screens::call::ActiveCall;
use super::screens::drill::DrillSession;
use super::screens::manager::ManagerView;
use super::screens::next_up::NextUp;
use super::theme::UiFonts;
use super::{Screen, Session};
use bevy::diagnostic::FrameCount;
use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;
use bevy::render::view::screenshot::{Capturing, Screenshot, save_to_disk};
use bevy::window::PrimaryWindow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What the tour does.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Save one PNG per screen here.
    pub screenshots: Option<PathBuf>,
    /// Measure instead: seconds of call to time the frame rate over.
    pub bench_seconds: Option<f32>,
    /// When the process started, for the launch time.
    pub started: Instant,
    /// Create the tour's manager account (only in throwaway records).
    pub create_manager: bool,
}

/// One step of the tour.
#[derive(Clone)]
enum Step {
    /// Let frames pass.
    Frames(u32),
    /// Wait until the condition holds (give up after 30 s).
    Until(&'static str, fn(&mut World) -> bool),
    Shot(&'static str),
    Press(KeyCode),
    Type(&'static str),
    /// Answer the current turn: the right choice, or the script line typed with one word left out.
    Answer,
    /// Type the script line half-way without sending it.
    TypeHalf,
    /// Answer the drill's exercise: its script line with the last word left out.
    AnswerDrill,
    /// Start measuring the frame rate.
    BenchStart,
    /// Stop measuring and report.
    BenchEnd,
    /// Note the time since the process started: the first interactive frame.
    MarkLaunch,
    /// Say in the log whether the customer is speaking now (the screenshot test looks for it).
    MarkSpeaking,
    Exit,
}

#[derive(Resource)]
struct Tour {
    steps: Vec<Step>,
    index: usize,
    wait: u32,
    since: Instant,
    dir: Option<PathBuf>,
    started: Instant,
    launch: Option<Duration>,
    bench: Option<(Instant, u32)>,
    bench_seconds: f32,
    /// The turn count and call clock last answered, so a turn is answered once.
    answered: Option<(usize, f32)>,
}

/// Adds the tour to the app.
#[derive(Debug)]
pub struct DemoPlugin(pub DemoOptions);

impl Plugin for DemoPlugin {
    fn build(&self, app: &mut App) {
        let o = &self.0;
        let steps = match o.bench_seconds {
            Some(_) => bench_steps(),
            None => tour_steps(),
        };
        if let Some(dir) = &o.screenshots {
            let _ = std::fs::create_dir_all(dir);
        }
        if o.create_manager
            && let Some(records) = app.world().get_resource::<super::RecordsRes>()
        {
            let _ = records.with(|r| r.add_manager(DEMO_MANAGER.0, DEMO_MANAGER.1, None, None));
        }
        app.insert_resource(Tour {
            steps,
            index: 0,
            wait: 0,
            since: Instant::now(),
            dir: o.screenshots.clone(),
            started: o.started,
            launch: None,
            bench: None,
            bench_seconds: o.bench_seconds.unwrap_or(10.0),
            answered: None,
        })
        .add_systems(Update, run_tour.after(super::AppSystems::Update));
    }
}

pub fn plugin(o: DemoOptions) -> DemoPlugin {
    DemoPlugin(o)
}

fn on(screen: Screen) -> fn(&mut World) -> bool {
    match screen {
        Screen::Start => |w| in_screen(w, Screen::Start) && fonts_ready(w),
        Screen::Home => |w| in_screen(w, Screen::Home),
        Screen::Picker => |w| in_screen(w, Screen::Picker),
        Screen::Call => |w| in_screen(w, Screen::Call),
        Screen::Results => |w| in_screen(w, Screen::Results),
        Screen::Script => |w| in_screen(w, Screen::Script),
        Screen::Drill => |w| in_screen(w, Screen::Drill),
        Screen::MyProgress => |w| in_screen(w, Screen::MyProgress),
        Screen::Proctor => |w| in_screen(w, Screen::Proctor),
        Screen::DbPassword => |w| in_screen(w, Screen::DbPassword),
        Screen::ManagerLogin => |w| in_screen(w, Screen::ManagerLogin),
        // The manager screen once the team's data is in.
        Screen::Manager => |w| w.get_resource::<State<ManagerView>>().is_some_and(|v| *v.get() != ManagerView::Loading),
    }
}

fn in_view(w: &mut World, v: ManagerView) -> bool {
    w.get_resource::<State<ManagerView>>().is_some_and(|st| *st.get() == v)
}

fn in_screen(w: &mut World, s: Screen) -> bool {
    w.get_resource::<State<Screen>>().is_some_and(|st| *st.get() == s)
}

fn fonts_ready(w: &mut World) -> bool {
    let fonts = w.resource::<UiFonts>().clone();
    let server = w.resource::<AssetServer>();
    server.is_loaded_with_dependencies(&fonts.regular) && server.is_loaded_with_dependencies(&fonts.bold)
}

fn awaiting(w: &mut World) -> bool {
    w.get_resource::<ActiveCall>().is_some_and(|c| c.awaiting())
}

fn speaking(w: &mut World) -> bool {
    w.get_resource::<ActiveCall>().is_some_and(|c| c.speaking())
}

/// Waiting for a reply, pressing Space while the customer speaks (as a trainee who has heard
/// enough would), so the tour does not wait for every line to play out.
fn awaiting_skipping(w: &mut World) -> bool {
    if speaking(w) {
        press(w, KeyCode::Space);
    }
    awaiting(w)
}

/// The home screen once its panel of what to do next is filled.
fn home_ready(w: &mut World) -> bool {
    in_screen(w, Screen::Home) && w.get_resource::<NextUp>().is_some()
}

fn drill_awaiting(w: &mut World) -> bool {
    w.get_resource::<DrillSession>().is_some_and(|d| d.awaiting().is_some())
}

fn drill_answered(w: &mut World) -> bool {
    w.get_resource::<DrillSession>().is_some_and(|d| d.answered().is_some())
}

/// A drill in the interface's language: the home panel, then an exercise answered, with its
/// feedback; back home.
fn drill_steps(home: &'static str, drill: &'static str) -> Vec<Step> {
    use Step::*;
    vec![
        Until("home with what to do next", home_ready),
        Frames(15),
        Shot(home),
        Press(KeyCode::KeyD),
        Until("a drill exercise", drill_awaiting),
        Frames(3),
        AnswerDrill,
        Until("the drill's feedback", drill_answered),
        Frames(15),
        Shot(drill),
        Press(KeyCode::Escape),
        Until("home after the drill", home_ready),
    ]
}

fn tour_steps() -> Vec<Step> {
    use Step::*;
    let mut steps = vec![
        Until("start screen", on(Screen::Start)),
        Frames(20),
        Shot("01-start.png"),
        // An English trainee drills first.
        Type("Olga"),
        Press(KeyCode::Enter),
    ];
    steps.extend(drill_steps("15-home-en.png", "14-drill-en.png"));
    steps.extend([
        // Her first day: the drill ticked the Recall of a stage; the script is next.
        Frames(15),
        Shot("16-first-day-en.png"),
        Press(KeyCode::Escape),
        Until("start before the Russian trainee", on(Screen::Start)),
        Press(KeyCode::F2),
        Frames(5),
        // Olga's row is selected: down to the new-profile field.
        Press(KeyCode::ArrowDown),
        Frames(2),
        Type("Ольга"),
        Press(KeyCode::Enter),
    ]);
    steps.extend(drill_steps("02-home.png", "13-drill-ru.png"));
    steps.extend(vec![
        Press(KeyCode::KeyS),
        Until("script", on(Screen::Script)),
        Frames(15),
        Shot("11-script-ru.png"),
        Press(KeyCode::F2),
        Frames(15),
        Shot("12-script-en.png"),
        Press(KeyCode::F2),
        Frames(5),
        Press(KeyCode::Escape),
        // Her first day: the script read and a stage recalled; the guided call is next.
        Until("home after the script", home_ready),
        Frames(15),
        Shot("17-first-day-ru.png"),
        Press(KeyCode::Digit1),
        Until("picker", on(Screen::Picker)),
        Frames(15),
        Shot("03-picker.png"),
        Press(KeyCode::Enter),
        // The first line, heard: its subtitle and the speaking indicator (when the voices are
        // rendered; otherwise the call simply waits for a reply).
        Until("the customer's first line", |w| speaking(w) || awaiting(w)),
        Frames(12),
        MarkSpeaking,
        Shot("04-call-speaking.png"),
        Until("practice call", awaiting_skipping),
        Answer,
        Until("second turn", awaiting_skipping),
        Answer,
        Until("third turn", awaiting_skipping),
        Frames(10),
        Shot("04-call-practice.png"),
        Press(KeyCode::Escape),
        Until("results of the hang-up", on(Screen::Results)),
        Frames(5),
        Press(KeyCode::Escape),
        Until("home again", on(Screen::Home)),
        Press(KeyCode::Digit3),
        Until("recall picker", on(Screen::Picker)),
        Press(KeyCode::Enter),
        Until("recall call", awaiting_skipping),
        Answer,
        Until("second recall turn", awaiting_skipping),
        TypeHalf,
        Frames(10),
        Shot("05-call-recall.png"),
        Press(KeyCode::Enter),
        Until("results of the recall call", |w| {
            if awaiting_skipping(w) {
                answer(w);
            }
            in_screen(w, Screen::Results)
        }),
        Frames(20),
        Shot("06-results.png"),
        Press(KeyCode::Escape),
        Until("home after the results", on(Screen::Home)),
        // Her own progress: the calls so far and the stages met, in both languages.
        Press(KeyCode::KeyM),
        Until("my progress", on(Screen::MyProgress)),
        Frames(15),
        Shot("23-progress-ru.png"),
        Press(KeyCode::F2),
        Frames(15),
        Shot("24-progress-en.png"),
        Press(KeyCode::F2),
        Frames(5),
        Press(KeyCode::Escape),
        Until("home after her progress", on(Screen::Home)),
        Press(KeyCode::Digit2),
        Until("exam picker", on(Screen::Picker)),
        Frames(3),
        Press(KeyCode::Enter),
        Until("proctor sign-in", on(Screen::Proctor)),
        Frames(15),
        Shot("10-exam-proctor.png"),
        Press(KeyCode::Escape),
        Until("exam picker again", on(Screen::Picker)),
        Press(KeyCode::Escape),
        Until("home before the manager", on(Screen::Home)),
        Press(KeyCode::Escape),
        Until("start again", on(Screen::Start)),
        Frames(3),
        Press(KeyCode::ArrowDown),
        Frames(2),
        Press(KeyCode::ArrowDown),
        Frames(2),
        Press(KeyCode::Enter),
        Until("manager login", on(Screen::ManagerLogin)),
        Frames(3),
        Type(DEMO_MANAGER.0),
        Press(KeyCode::Tab),
        Frames(2),
        Type(DEMO_MANAGER.1),
        Press(KeyCode::Enter),
        Until("manager screen", on(Screen::Manager)),
        Frames(15),
        Shot("07-manager-team.png"),
        // Ольга, below Olga (who has only drilled): her calls fill the trainee page.
        Press(KeyCode::ArrowDown),
        Frames(2),
        Press(KeyCode::Enter),
        Frames(15),
        Shot("08-manager-trainee.png"),
        // An assignment for her: the form in both languages, then signed with the password.
        Press(KeyCode::KeyN),
        Until("the assignment form", |w| in_view(w, ManagerView::Assign)),
        Press(KeyCode::ArrowRight),
        Frames(2),
        Press(KeyCode::ArrowRight),
        Frames(15),
        Shot("18-assign-ru.png"),
        Press(KeyCode::F2),
        Frames(15),
        Shot("19-assign-en.png"),
        Type(DEMO_MANAGER.1),
        Press(KeyCode::Enter),
        Until("her page with the assignment", |w| in_view(w, ManagerView::Trainee)),
        Frames(15),
        Shot("20-manager-assigned-en.png"),
        Press(KeyCode::Escape),
        Frames(3),
        Press(KeyCode::KeyH),
        Frames(15),
        Shot("09-manager-heatmap.png"),
        Press(KeyCode::Escape),
        Frames(3),
        // Log out; Ольга (still selected) sees it on her home.
        Press(KeyCode::Escape),
        Until("start after the manager", on(Screen::Start)),
        Frames(3),
        Press(KeyCode::Enter),
        Until("her home with the assignment", home_ready),
        Frames(15),
        Shot("21-home-assigned-en.png"),
        Press(KeyCode::F2),
        Frames(15),
        Shot("22-home-assigned-ru.png"),
        Exit,
    ]);
    steps
}

/// The manager account the tour logs in with (created only in the tour's in-memory records).
pub const DEMO_MANAGER: (&str, &str) = ("demo", "demo password 1");

fn bench_steps() -> Vec<Step> {
    use Step::*;
    vec![
        Until("start screen", on(Screen::Start)),
        MarkLaunch,
        Type("Bench"),
        Press(KeyCode::Enter),
        Until("home", on(Screen::Home)),
        Press(KeyCode::Digit1),
        Until("picker", on(Screen::Picker)),
        Press(KeyCode::Enter),
        Until("call", awaiting_skipping),
        BenchStart,
        Until("the measured call", |w| {
            if awaiting_skipping(w) {
                answer(w);
            }
            let tour = w.resource::<Tour>();
            tour.bench.is_some_and(|(t, _)| t.elapsed().as_secs_f32() >= tour.bench_seconds)
                || (!in_screen(w, Screen::Call) && !in_screen(w, Screen::Results))
        }),
        BenchEnd,
        Exit,
    ]
}

fn key_message(w: &mut World, key_code: KeyCode, logical_key: Key, text: Option<&str>) {
    let window = w.query_filtered::<Entity, With<PrimaryWindow>>().iter(w).next().unwrap_or(Entity::PLACEHOLDER);
    for state in [ButtonState::Pressed, ButtonState::Released] {
        w.write_message(KeyboardInput {
            key_code,
            logical_key: logical_key.clone(),
            state,
            text: if state == ButtonState::Pressed { text.map(Into::into) } else { None },
            repeat: false,
            window,
        });
    }
}

fn type_text(w: &mut World, text: &str) {
    for c in text.chars() {
        let s = c.to_string();
        if c == ' ' {
            key_message(w, KeyCode::Space, Key::Space, Some(" "));
        } else {
            key_message(w, KeyCode::KeyA, Key::Character(s.as_str().into()), Some(&s));
        }
    }
}

fn press(w: &mut World, code: KeyCode) {
    let logical = match code {
        KeyCode::Enter => Key::Enter,
        KeyCode::Tab => Key::Tab,
        KeyCode::Escape => Key::Escape,
        KeyCode::F2 => Key::F2,
        _ => Key::Unidentified(bevy::input::keyboard::NativeKey::Unidentified),
    };
    key_message(w, code, logical, None);
}

/// Answers the current turn as a good trainee would (once per turn).
fn answer(w: &mut World) {
    let Some(call) = w.get_resource::<ActiveCall>() else { return };
    let d = &call.dialogue;
    let (turn, clock) = (d.turns().len(), call.clock);
    // The same turn of the same call (a new call restarts its clock) is answered once.
    if w.resource::<Tour>().answered.is_some_and(|(t, c)| t == turn && c <= clock) {
        return;
    }
    let Some(call) = w.get_resource::<ActiveCall>() else { return };
    let d = &call.dialogue;
    if d.expects_typing() {
        let line = d.expected_stage().map(|s| d.text(&s.line).into_owned()).unwrap_or_default();
        // Leave out the third word, as people do.
        let typed: Vec<&str> = line.split_whitespace().enumerate().filter(|(i, _)| *i != 2).map(|(_, w)| w).collect();
        let typed = typed.join(" ");
        type_text(w, &typed);
        press(w, KeyCode::Enter);
    } else {
        let right = match d.playable().node(d.node()) {
            crate::domain::model::Node::Line { choices, expect, .. } => {
                choices.iter().position(|c| c.stage.is_some() && c.stage == *expect).unwrap_or(0)
            }
            _ => 0,
        };
        let shown = d.choice_order().iter().position(|&i| i == right).unwrap_or(0);
        press(w, super::screens::DIGITS[shown.min(8)]);
    }
    w.resource_mut::<Tour>().answered = Some((turn, clock));
}

/// Types the drill exercise's script line with its last word left out, and sends it.
fn answer_drill(w: &mut World) {
    let Some(d) = w.get_resource::<DrillSession>().and_then(|s| s.awaiting()) else { return };
    let line = d.expected_stage().map(|s| d.text(&s.line).into_owned()).unwrap_or_default();
    let words: Vec<&str> = line.split_whitespace().collect();
    let typed = words[..words.len().saturating_sub(1)].join(" ");
    type_text(w, &typed);
    press(w, KeyCode::Enter);
}

fn type_half(w: &mut World) {
    let Some(call) = w.get_resource::<ActiveCall>() else { return };
    let d = &call.dialogue;
    let line = d.expected_stage().map(|s| d.text(&s.line).into_owned()).unwrap_or_default();
    let words: Vec<&str> = line.split_whitespace().collect();
    let half = words[..words.len().div_ceil(2)].join(" ");
    type_text(w, &half);
}

fn run_tour(w: &mut World) {
    if w.query_filtered::<(), With<Capturing>>().iter(w).next().is_some() {
        return;
    }
    let (step, dir) = {
        let mut tour = w.resource_mut::<Tour>();
        if tour.wait > 0 {
            tour.wait -= 1;
            return;
        }
        let Some(step) = tour.steps.get(tour.index).cloned() else { return };
        (step, tour.dir.clone())
    };
    let mut advance = true;
    match step {
        Step::Frames(n) => w.resource_mut::<Tour>().wait = n,
        Step::Until(what, cond) => {
            if !cond(w) {
                advance = false;
                if w.resource::<Tour>().since.elapsed() > Duration::from_secs(30) {
                    error!("demo: gave up waiting for {what}");
                    w.write_message(AppExit::error());
                }
            }
        }
        Step::Shot(name) => {
            if let Some(dir) = dir {
                let path = dir.join(name);
                info!("demo: screenshot {}", path.display());
                w.spawn(Screenshot::primary_window()).observe(save_to_disk(path));
            }
        }
        Step::Press(code) => press(w, code),
        Step::Type(text) => type_text(w, text),
        Step::Answer => answer(w),
        Step::TypeHalf => type_half(w),
        Step::MarkSpeaking => {
            if speaking(w) {
                info!("demo: the customer is speaking");
            } else {
                info!("demo: the customer's line has no voice clip (run `callforge voice`)");
            }
        }
        Step::AnswerDrill => answer_drill(w),
        Step::MarkLaunch => {
            let elapsed = w.resource::<Tour>().started.elapsed();
            w.resource_mut::<Tour>().launch = Some(elapsed);
        }
        Step::BenchStart => {
            let frame = w.resource::<FrameCount>().0;
            let launch = w.resource::<Tour>().launch;
            w.resource_mut::<Tour>().bench = Some((Instant::now(), frame));
            if let Some(l) = launch {
                info!("demo: first interactive frame {:.0} ms after start", l.as_secs_f64() * 1000.0);
            }
        }
        Step::BenchEnd => {
            let frame = w.resource::<FrameCount>().0;
            let tour = w.resource::<Tour>();
            if let Some((t0, f0)) = tour.bench {
                let secs = t0.elapsed().as_secs_f64();
                let fps = f64::from(frame.wrapping_sub(f0)) / secs;
                let launch_ms = tour.launch.map_or(0.0, |l| l.as_secs_f64() * 1000.0);
                let lang = w.resource::<Session>().lang.code();
                println!(
                    "{{\"launch_to_interactive_ms\": {launch_ms:.0}, \"call_fps\": {fps:.1}, \"measured_seconds\": {secs:.1}, \"peak_rss_mb\": {:.1}, \"lang\": \"{lang}\"}}",
                    peak_rss_mb()
                );
            }
        }
        Step::Exit => {
            w.write_message(AppExit::Success);
        }
    }
    if advance {
        let mut tour = w.resource_mut::<Tour>();
        tour.index += 1;
        tour.since = Instant::now();
    }
}

/// The process's peak resident memory, from /proc (Linux), in MiB.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
