//! The drill screen: the due stages' exercises (or the stages asked for, as the first day's Recall of one stage) one after another — a customer line, the stage's script line typed from memory, its score, feedback and word diff — then a summary.

use super::super::input::{TextField, text_field};
use super::super::text::{Strings, strings};
use super::super::theme::turn_card::turn_card;
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, Profile, RecordsRes, RunsDir, Scenarios, Screen, Seeds, Session};
use super::enter_pressed;
use super::work::{Pending, finished, spawn_work};
use crate::domain::drill::{self, Exercise, Plan};
use crate::domain::ladder::{RunFact, trainee_language};
use crate::domain::schedule::Review;
use crate::domain::{Dialogue, FinishedCall, Library, finish_call};
use crate::records::{Records, TraineeRef};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Drill), start)
        .add_systems(OnExit(Screen::Drill), |mut c: Commands| c.remove_resource::<DrillSession>())
        .add_systems(
            Update,
            (receive, tick, keys, buttons, refresh)
                .chain()
                .in_set(AppSystems::Update)
                .run_if(in_state(Screen::Drill).and_then(resource_exists::<DrillSession>)),
        );
}

/// What the records say about a trainee's drills: the language set on the profile, what the
/// ladder knows of their runs (for the language when none is set), their stage reviews, and now.
pub(super) struct DrillFacts {
    language: String,
    runs: Vec<RunFact>,
    reviews: Vec<Review>,
    pub(super) now: i64,
}

/// The outcome of gathering [`DrillFacts`] off the frame.
pub(super) type FactsWork = Pending<Result<DrillFacts, String>>;

/// Gathers the trainee's [`DrillFacts`] off the frame, in work scoped by `scope`; `false` when
/// there is nothing to gather (no records, or a profile not in them).
pub(super) fn gather_facts(
    commands: &mut Commands,
    records: &RecordsRes,
    profile: &Profile,
    scope: impl Bundle,
) -> bool {
    let Some(id) = profile.id.filter(|_| records.records.is_some()) else { return false };
    spawn_work(commands, records, scope, move |r: &mut Records| facts(r, id).map_err(|e| e.to_string()));
    true
}

fn facts(r: &mut Records, id: i64) -> Result<DrillFacts, crate::records::RecordsError> {
    let trainee = r.trainee(TraineeRef::Id(id))?;
    Ok(DrillFacts { language: trainee.language, runs: r.run_facts(id)?, reviews: r.stage_reviews(id)?, now: r.now() })
}

/// The drill language and plan of a trainee: their records language (`trainee_language`), or the
/// interface language without records, and the plan from their reviews (none without records).
pub(super) fn plan_for(
    lib: &Library,
    profile: &Profile,
    session: &Session,
    facts: Option<&DrillFacts>,
) -> (String, Plan) {
    let language = match facts {
        Some(f) => trainee_language(&f.language, &f.runs, lib),
        None => session.lang.code().to_owned(),
    };
    let (reviews, now) = facts.map_or((&[][..], 0), |f| (&f.reviews[..], f.now));
    let plan = drill::plan(lib, profile.role, &language, reviews, now);
    (language, plan)
}

/// A drill of chosen stages instead of the due ones, one exercise each: the first day's Recall of
/// one stage. The drill screen takes it when it opens.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct DrillRequest {
    pub stages: Vec<String>,
}

/// Where the drill session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Working out what is due.
    Loading,
    /// Nothing is due (the trainee may drill every stage anyway).
    NothingDue,
    /// Waiting for the typed line of the current exercise.
    Answering,
    /// The current exercise is scored; Enter goes on.
    Answered,
    /// Every exercise is done: the summary.
    Done,
}

/// One answered exercise: its stage's title, its score and run, and whether the records took it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub stage: String,
    pub title: String,
    pub finished: FinishedCall,
    /// The run's id in the records, or why it was not stored.
    pub stored: Result<i64, String>,
}

/// The drill in progress.
#[derive(Resource, Debug)]
pub struct DrillSession {
    pub phase: Phase,
    /// The language of the exercises.
    pub language: String,
    pub exercises: Vec<Exercise>,
    /// The exercise being answered (or just answered).
    pub index: usize,
    dialogue: Option<Dialogue>,
    /// Every exercise answered, in order.
    pub answers: Vec<Answer>,
    /// Every stage of the role, for a drill when nothing is due.
    every_stage: Vec<String>,
    /// The stages asked for instead of the due ones (a [`DrillRequest`]), if any.
    pub requested: Option<Vec<String>>,
    /// Why answers are not stored, when they are not.
    not_stored: Option<String>,
    /// Where every answer's run file is saved too, as a call's is (so none is lost when the
    /// records refuse it).
    runs_dir: Option<RunsDir>,
    /// Whether the trainee's facts are being gathered off the frame.
    waiting: bool,
    /// Seconds since the screen opened, and when the current exercise was shown.
    clock: f32,
    shown_at: f32,
    dirty: bool,
}

impl DrillSession {
    /// The exercise waiting for its line, if any.
    pub fn awaiting(&self) -> Option<&Dialogue> {
        self.dialogue.as_ref().filter(|_| self.phase == Phase::Answering)
    }

    /// The current exercise's answer, once given.
    pub fn answered(&self) -> Option<&Answer> {
        self.answers.get(self.index).filter(|_| self.phase == Phase::Answered)
    }

    /// Shows the first exercise from `from` on that still starts (a scenario may have gone since
    /// the session was drawn), or the summary when none is left.
    fn show_from(&mut self, from: usize, lib: &Library, trainee: &str) {
        self.index = from;
        self.dialogue = None;
        while let Some(ex) = self.exercises.get(self.index) {
            if let Some(d) = ex.start(lib, trainee) {
                self.dialogue = Some(d);
                break;
            }
            self.exercises.remove(self.index);
        }
        self.phase = if self.dialogue.is_some() { Phase::Answering } else { Phase::Done };
        self.shown_at = self.clock;
        self.dirty = true;
    }

    /// Draws a session of one exercise for each of `stages` and shows the first.
    fn begin(&mut self, stages: &[String], lib: &Library, profile: &Profile, seed: u64) {
        self.exercises = drill::session(lib, profile.role, &self.language, stages, 1, seed);
        self.answers.clear();
        self.show_from(0, lib, &profile.name);
    }
}

#[derive(Component, Debug)]
struct DrillBody;

#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
enum DrillButton {
    Send,
    Next,
    EveryStage,
    Home,
}

fn start(
    mut commands: Commands,
    session: Res<Session>,
    records: Res<RecordsRes>,
    runs_dir: Option<Res<RunsDir>>,
    request: Option<Res<DrillRequest>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let requested = request.map(|r| r.stages.clone());
    commands.remove_resource::<DrillRequest>();
    let Some(profile) = session.trainee.clone() else {
        next.set(Screen::Start);
        return;
    };
    let root = commands.spawn((widgets::screen_root("Drill screen"), DespawnOnExit(Screen::Drill))).id();
    commands.entity(root).with_children(|p| {
        p.spawn((
            Name::new("Drill"),
            DrillBody,
            Node {
                flex_direction: FlexDirection::Column,
                row_gap: px(12),
                flex_grow: 1.0,
                min_height: px(0),
                ..default()
            },
        ));
    });
    let not_stored = match (&records.records, profile.id) {
        (Some(_), Some(_)) => None,
        _ => Some(records.error.clone().unwrap_or_default()),
    };
    let waiting = gather_facts(&mut commands, &records, &profile, DespawnOnExit(Screen::Drill));
    commands.insert_resource(DrillSession {
        phase: Phase::Loading,
        language: session.lang.code().to_owned(),
        exercises: Vec::new(),
        index: 0,
        dialogue: None,
        answers: Vec::new(),
        every_stage: Vec::new(),
        requested,
        not_stored,
        runs_dir: runs_dir.map(|d| d.clone()),
        waiting,
        clock: 0.0,
        shown_at: 0.0,
        dirty: true,
    });
}

/// Once the trainee's facts are in (or at once, without records): the plan, and the first exercise.
fn receive(
    mut commands: Commands,
    mut pending: Query<(Entity, &mut FactsWork)>,
    mut drill: ResMut<DrillSession>,
    session: Res<Session>,
    scenarios: Res<Scenarios>,
    mut seeds: ResMut<Seeds>,
) {
    if drill.phase != Phase::Loading {
        return;
    }
    let Some(profile) = session.trainee.clone() else { return };
    let facts = if drill.waiting {
        match finished(&mut commands, &mut pending) {
            None => return,
            Some(Some(Ok(f))) => Some(f),
            Some(Some(Err(e))) => {
                drill.not_stored = Some(e);
                None
            }
            Some(None) => {
                drill.not_stored = Some(String::new());
                None
            }
        }
    } else {
        None
    };
    drill.waiting = false;
    let (language, plan) = plan_for(&scenarios.lib, &profile, &session, facts.as_ref());
    drill.language = language;
    drill.every_stage =
        drill::stages(&scenarios.lib, profile.role, &drill.language).into_iter().map(|k| k.stage).collect();
    if let Some(stages) = drill.requested.clone() {
        drill.begin(&stages, &scenarios.lib, &profile, seeds.draw());
        return;
    }
    let due: Vec<String> = plan.due.into_iter().map(|d| d.due.key.stage).collect();
    if due.is_empty() {
        drill.phase = Phase::NothingDue;
        drill.dirty = true;
    } else {
        drill.begin(&due, &scenarios.lib, &profile, seeds.draw());
    }
}

fn tick(time: Res<Time>, mut drill: ResMut<DrillSession>) {
    drill.bypass_change_detection().clock += time.delta_secs();
}

/// What a key or a button asks for.
fn act(
    action: DrillButton,
    drill: &mut DrillSession,
    fields: &mut Query<&mut TextField>,
    session: &Session,
    records: &RecordsRes,
    scenarios: &Scenarios,
    seeds: &mut Seeds,
    next: &mut NextState<Screen>,
) {
    let Some(profile) = session.trainee.as_ref() else { return };
    match (action, drill.phase) {
        (DrillButton::Home, _) => next.set(Screen::Home),
        (DrillButton::Send, Phase::Answering) => {
            let Some(mut field) = fields.iter_mut().next() else { return };
            let text = field.value.trim().to_owned();
            if text.is_empty() {
                return;
            }
            field.value.clear();
            submit(drill, &text, profile, records, scenarios);
        }
        (DrillButton::Next, Phase::Answered) => {
            let from = drill.index + 1;
            drill.show_from(from, &scenarios.lib, &profile.name);
        }
        (DrillButton::Next, Phase::Done) => next.set(Screen::Home),
        (DrillButton::EveryStage, Phase::NothingDue) if !drill.every_stage.is_empty() => {
            let stages = drill.every_stage.clone();
            drill.begin(&stages, &scenarios.lib, profile, seeds.draw());
        }
        _ => {}
    }
}

/// Scores the typed line, stores the drill's run in the trainee's records, and shows the feedback.
fn submit(drill: &mut DrillSession, text: &str, profile: &Profile, records: &RecordsRes, scenarios: &Scenarios) {
    let (clock, shown_at) = (drill.clock, drill.shown_at);
    let Some(d) = drill.dialogue.as_mut() else { return };
    if d.type_reply(text).is_err() {
        return;
    }
    let now = records.with(|r| r.now()).unwrap_or(0);
    let finished = finish_call(d, vec![((clock - shown_at).max(0.0) * 1000.0) as u64], now);
    let title = d.expected_stage().map(|s| s.title.clone()).unwrap_or_default();
    let title = if title.is_empty() {
        finished.score.turns.first().and_then(|t| t.expected_title.clone()).unwrap_or_default()
    } else {
        title
    };
    let stored = match (profile.id, &drill.not_stored) {
        (Some(id), None) => records
            .with(|r| {
                r.store_run(TraineeRef::Id(id), &scenarios.lib, &finished.run).map(|x| x.id).map_err(|e| e.to_string())
            })
            .unwrap_or_else(|| Err(records.error.clone().unwrap_or_default())),
        (_, why) => Err(why.clone().unwrap_or_default()),
    };
    if let Err(e) = &stored {
        warn!("the drill answer was not stored in the records: {e}");
    }
    if let Some(Err(e)) = drill.runs_dir.as_ref().map(|dir| dir.write(&finished.run, now)) {
        warn!("the drill answer's run file was not written: {e}");
    }
    let stage = drill.exercises.get(drill.index).map(|e| e.stage.clone()).unwrap_or_default();
    drill.answers.push(Answer { stage, title, finished, stored });
    drill.phase = Phase::Answered;
    drill.dirty = true;
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut drill: ResMut<DrillSession>,
    mut fields: Query<&mut TextField>,
    session: Res<Session>,
    records: Res<RecordsRes>,
    scenarios: Res<Scenarios>,
    mut seeds: ResMut<Seeds>,
    mut next: ResMut<NextState<Screen>>,
) {
    let action = if keys.just_pressed(KeyCode::Escape) {
        DrillButton::Home
    } else if enter_pressed(&keys) {
        match drill.phase {
            Phase::Answering => DrillButton::Send,
            Phase::NothingDue => DrillButton::EveryStage,
            _ => DrillButton::Next,
        }
    } else {
        return;
    };
    act(action, &mut drill, &mut fields, &session, &records, &scenarios, &mut seeds, &mut next);
}

fn buttons(
    q: Query<(&Interaction, &DrillButton), Changed<Interaction>>,
    mut drill: ResMut<DrillSession>,
    mut fields: Query<&mut TextField>,
    session: Res<Session>,
    records: Res<RecordsRes>,
    scenarios: Res<Scenarios>,
    mut seeds: ResMut<Seeds>,
    mut next: ResMut<NextState<Screen>>,
) {
    for (interaction, button) in &q {
        if *interaction == Interaction::Pressed {
            act(*button, &mut drill, &mut fields, &session, &records, &scenarios, &mut seeds, &mut next);
        }
    }
}

/// Rebuilds the screen when the session moves on.
fn refresh(
    mut commands: Commands,
    mut drill: ResMut<DrillSession>,
    body: Single<Entity, With<DrillBody>>,
    fonts: Res<UiFonts>,
    session: Res<Session>,
) {
    if !drill.dirty {
        return;
    }
    drill.dirty = false;
    let s = strings(session.lang);
    let drill = &*drill;
    commands.entity(*body).despawn_children().with_children(|p| {
        let progress = match drill.phase {
            Phase::Answering | Phase::Answered => format!(" · {} / {}", drill.index + 1, drill.exercises.len()),
            _ => String::new(),
        };
        p.spawn(Node { justify_content: JustifyContent::SpaceBetween, align_items: AlignItems::Center, ..default() })
            .with_children(|bar| {
                let title = match (drill.phase, &drill.requested) {
                    (Phase::Done, _) => s.drill_done,
                    // One stage asked for: the first day's Recall of a stage; more: drills asked for.
                    (_, Some(stages)) if stages.len() == 1 => s.drill_recall_title,
                    _ => s.drill_title,
                };
                bar.spawn(widgets::heading(&fonts, format!("{title}{progress}"), 28.0));
                bar.spawn(widgets::button(&fonts, s.drill_home, DrillButton::Home));
            });
        if let Some(why) = &drill.not_stored {
            let why = if why.is_empty() { String::new() } else { format!(" ({why})") };
            p.spawn(widgets::label(&fonts, format!("{}{why}", s.drill_not_stored), 14.0, palette::WARN));
        }
        match drill.phase {
            Phase::Loading => {
                p.spawn(widgets::label(&fonts, s.drill_loading, 18.0, palette::TEXT_DIM));
            }
            Phase::NothingDue if drill.every_stage.is_empty() => {
                p.spawn(widgets::label(&fonts, s.drill_no_exercises, 18.0, palette::TEXT));
            }
            Phase::NothingDue => {
                p.spawn(widgets::label(&fonts, s.drill_nothing_due, 18.0, palette::TEXT));
                p.spawn(Node::default()).with_children(|row| {
                    row.spawn(widgets::button(&fonts, s.drill_every_stage, DrillButton::EveryStage));
                });
            }
            Phase::Answering | Phase::Answered => exercise(p, &fonts, s, drill),
            Phase::Done => summary(p, &fonts, s, drill),
        }
        p.spawn(Node { flex_grow: 1.0, ..default() });
        p.spawn(widgets::label(&fonts, s.drill_keys, 15.0, palette::TEXT_DIM));
    });
}

/// The current exercise: the stage, the customer and their line; then the field, or the feedback.
fn exercise(p: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, drill: &DrillSession) {
    let Some(d) = drill.dialogue.as_ref() else { return };
    let persona = &d.playable().scenario.persona;
    let stage = d
        .expected_stage()
        .map(|st| st.title.clone())
        .or_else(|| drill.answers.get(drill.index).map(|a| a.title.clone()));
    p.spawn(widgets::panel("Exercise", percent(100))).with_children(|card| {
        card.spawn(widgets::label(
            fonts,
            format!("{}: {}", s.drill_stage, stage.unwrap_or_default()),
            20.0,
            palette::ACCENT,
        ));
        card.spawn(widgets::label(
            fonts,
            format!("{} — {}, {}", persona.name, persona.position, persona.company),
            16.0,
            palette::TEXT_DIM,
        ));
        let line = match drill.answers.get(drill.index) {
            Some(a) if drill.phase == Phase::Answered => {
                a.finished.score.turns.first().map(|t| t.customer.clone()).unwrap_or_default()
            }
            _ => d.customer_line().map(|l| l.into_owned()).unwrap_or_default(),
        };
        card.spawn((
            Name::new("Bubble"),
            Node {
                flex_direction: FlexDirection::Column,
                max_width: percent(85),
                padding: UiRect::axes(px(12), px(8)),
                border_radius: BorderRadius::all(px(12)),
                ..default()
            },
            BackgroundColor(palette::CUSTOMER_BUBBLE),
            children![widgets::label(fonts, line, 20.0, palette::TEXT)],
        ));
    });
    match drill.answered() {
        None => {
            p.spawn(widgets::label(fonts, s.drill_hint, 15.0, palette::TEXT_DIM));
            p.spawn(Node { column_gap: px(10), align_items: AlignItems::Center, ..default() }).with_children(|row| {
                row.spawn(text_field(fonts, s.drill_your_line, 860.0));
                row.spawn(widgets::button(fonts, s.call_send, DrillButton::Send));
            });
        }
        Some(a) => feedback(p, fonts, s, drill, a),
    }
}

/// The score of an answer, its turn card (feedback, notes, word diff), the script's line, and
/// whether it was stored.
fn feedback(p: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, drill: &DrillSession, a: &Answer) {
    let score = &a.finished.score;
    p.spawn((widgets::panel("Feedback", percent(100)), widgets::Scrollable))
        .insert(Node {
            flex_direction: FlexDirection::Column,
            row_gap: px(8),
            padding: UiRect::all(px(14)),
            flex_shrink: 1.0,
            min_height: px(0),
            overflow: Overflow::scroll_y(),
            border_radius: BorderRadius::all(px(10)),
            ..default()
        })
        .with_children(|panel| {
            panel.spawn(widgets::label(
                fonts,
                format!("{}", score.score),
                44.0,
                widgets::score_color(score.score, score.pass_mark),
            ));
            if let Some(t) = score.turns.first() {
                panel.spawn(turn_card(fonts, s.results_you, drill.index + 1, t));
                if let Some(line) = &t.expected_line {
                    panel.spawn(widgets::label(fonts, format!("{}: «{line}»", s.drill_by_script), 15.0, palette::TEXT));
                }
            }
            let stored = match &a.stored {
                Ok(id) => format!("{} (#{id})", s.results_saved),
                Err(e) if e.is_empty() => s.results_not_saved.to_owned(),
                Err(e) => format!("{}: {e}", s.results_not_saved),
            };
            panel.spawn(widgets::label(fonts, stored, 13.0, palette::TEXT_DIM));
        });
    let last = drill.index + 1 >= drill.exercises.len();
    // In a row, so the button is as wide as its label.
    p.spawn(Node::default()).with_children(|row| {
        row.spawn(widgets::button(fonts, if last { s.drill_finish } else { s.drill_next }, DrillButton::Next));
    });
}

/// How many were answered, their average, and each with its stage and score.
fn summary(p: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, drill: &DrillSession) {
    let n = drill.answers.len() as u32;
    let avg = drill.answers.iter().map(|a| a.finished.score.score).sum::<u32>() / n.max(1);
    p.spawn(widgets::label(
        fonts,
        s.drill_summary.replace("{n}", &n.to_string()).replace("{avg}", &avg.to_string()),
        22.0,
        palette::TEXT,
    ));
    p.spawn(widgets::panel("Answers", percent(100))).with_children(|list| {
        for a in &drill.answers {
            let score = &a.finished.score;
            let hit = score.turns.first().is_some_and(|t| t.hit);
            list.spawn(widgets::label(
                fonts,
                format!("{} {} — {}", if hit { "✓" } else { "✗" }, a.title, score.score),
                17.0,
                widgets::score_color(score.score, score.pass_mark),
            ));
        }
    });
}
