//! The call: a phone-call screen with the customer's card, a call timer, the transcript as chat
//! bubbles, the trainee's reply (numbered choices or, in Recall, a text field), the script panel in
//! Practice, and a hang-up button. The customer's lines are heard: each plays as its bubble
//! appears, with its subtitle and a speaking indicator, and the replies come after it (Space
//! skips).

use super::super::input::{TextField, text_field};
use super::super::sound::{self, VoiceCache};
use super::super::text::strings;
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, CallRequest, Cue, LastResult, RecordsRes, RunsDir, Scenarios, Screen, Session};
use super::{digit_pressed, enter_pressed};
use crate::domain::model::Mode;
use crate::domain::{Dialogue, FinishedCall, finish_call};
use bevy::prelude::*;
use std::sync::Arc;

/// Seconds the phone rings before the customer picks up.
const RING: f32 = 1.2;
/// Seconds the call screen stays after the call ends.
const LINGER: f32 = 1.6;
/// Seconds between the trainee's reply and a customer line that is heard: a breath, since the
/// line itself then takes as long as its clip.
const BREATH: f32 = 0.45;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Call), start_call)
        .add_systems(OnExit(Screen::Call), |mut c: Commands, mut cues: MessageWriter<Cue>| {
            cues.write(Cue::StopVoice);
            cues.write(Cue::LineNoise(false));
            c.remove_resource::<ActiveCall>();
        })
        .add_systems(
            Update,
            (tick, keys, buttons, spawn_bubbles, refresh, update_timer, animate_level)
                .chain()
                .in_set(AppSystems::Update)
                .run_if(in_state(Screen::Call).and_then(resource_exists::<ActiveCall>)),
        );
}

/// Where the call is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    /// The phone rings until the given time.
    Ringing(f32),
    /// The customer is typing their next line until the given time.
    Typing(f32),
    /// The customer's line is playing until the given time; the replies come after it.
    Speaking(f32),
    /// Waiting for the trainee.
    Awaiting,
    /// The call is over; the results come at the given time.
    Ending(f32),
}

/// Who says a line in the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Speaker {
    Customer,
    Trainee,
}

/// The call in progress.
#[derive(Resource, Debug)]
pub struct ActiveCall {
    pub dialogue: Dialogue,
    /// Seconds since the call started.
    pub clock: f32,
    pub phase: Phase,
    times_ms: Vec<u64>,
    bubbles: Vec<(Speaker, String)>,
    dirty: bool,
    /// The line being heard now, shown as a subtitle while it plays.
    pub subtitle: Option<String>,
    /// Where the voices are, and whether the trainee hears them through the phone band.
    voices: Option<VoiceCache>,
    telephone: bool,
    /// The proctor's exam ticket the call is sat with.
    ticket: Option<i64>,
}

impl ActiveCall {
    pub fn awaiting(&self) -> bool {
        self.phase == Phase::Awaiting
    }

    /// Whether the customer's line is playing (the replies are not offered yet).
    pub fn speaking(&self) -> bool {
        matches!(self.phase, Phase::Speaking(_))
    }

    /// How long the customer takes before their next line appears: when it will be heard, a
    /// breath (the clip then sets the pace); when it will only be read, the time to type it.
    fn pause_before_line(&self) -> f32 {
        match sound::current_voice(self.voices.as_ref(), &self.dialogue, self.telephone) {
            Some(_) => BREATH,
            None => self.dialogue.customer_line().map_or(0.4, |l| 0.35 + (l.chars().count() as f32 * 0.012).min(0.9)),
        }
    }

    /// The line has been heard (or skipped): the trainee's turn, or the end of the call.
    fn done_speaking(&mut self, cues: &mut MessageWriter<Cue>) {
        self.subtitle = None;
        self.phase = if self.dialogue.is_over() {
            cues.write(Cue::LineNoise(false));
            cues.write(Cue::HangUp);
            Phase::Ending(self.clock + LINGER)
        } else {
            Phase::Awaiting
        };
        self.dirty = true;
    }
}

#[derive(Component, Debug)]
struct Transcript;
#[derive(Component, Debug)]
struct ReplyArea;
#[derive(Component, Debug)]
struct ScriptPanel;
#[derive(Component, Debug)]
struct PatienceMeter;
#[derive(Component, Debug)]
struct TimerText;
/// "◉ speaking" on the customer's card while their line plays.
#[derive(Component, Debug)]
struct SpeakingBadge;
/// One bar of the speaking indicator; its height moves while the line plays.
#[derive(Component, Debug)]
struct LevelBar(usize);

#[derive(Component, Debug, Clone, Copy)]
enum CallButton {
    Choice(usize),
    Send,
    HangUp,
    Skip,
}

fn start_call(
    mut commands: Commands,
    request: Option<Res<CallRequest>>,
    scenarios: Res<Scenarios>,
    session: Res<Session>,
    fonts: Res<UiFonts>,
    voices: Option<Res<VoiceCache>>,
    mut cues: MessageWriter<Cue>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(playable) = request.as_ref().and_then(|r| scenarios.lib.scenario(&r.scenario)) else {
        next.set(Screen::Picker);
        return;
    };
    let Some(request) = request else { return };
    let name = session.trainee.as_ref().map_or_else(|| "Trainee".to_owned(), |t| t.name.clone());
    let dialogue = Dialogue::new(Arc::clone(playable), request.seed, request.mode, name);
    cues.write(Cue::Ring);
    let s = strings(session.lang);
    let sc = &playable.scenario;
    let root = commands.spawn((widgets::screen_root("Call screen"), DespawnOnExit(Screen::Call))).id();
    commands.entity(root).with_children(|p| {
        // Top bar
        p.spawn(Node { justify_content: JustifyContent::SpaceBetween, align_items: AlignItems::Center, ..default() })
            .with_children(|bar| {
                bar.spawn(widgets::heading(&fonts, format!("{} — {}", sc.title, s.mode(request.mode)), 22.0));
                bar.spawn(sound::sound_state(&fonts, &session));
                bar.spawn(widgets::button(&fonts, s.call_hang_up, CallButton::HangUp));
            });
        p.spawn(Node { column_gap: px(16), flex_grow: 1.0, min_height: px(0), ..default() }).with_children(|cols| {
            // Persona card
            cols.spawn(widgets::panel("Persona card", px(270))).with_children(|card| {
                card.spawn(widgets::heading(&fonts, sc.persona.name.clone(), 24.0));
                card.spawn(widgets::label(&fonts, sc.persona.position.clone(), 16.0, palette::TEXT_DIM));
                card.spawn(widgets::label(&fonts, sc.persona.company.clone(), 16.0, palette::TEXT_DIM));
                card.spawn((SpeakingBadge, widgets::label(&fonts, "", 16.0, palette::ACCENT)));
                card.spawn(widgets::label(&fonts, s.call_patience, 15.0, palette::TEXT));
                card.spawn((PatienceMeter, Node { flex_direction: FlexDirection::Column, ..default() }));
                card.spawn((TimerText, widgets::label(&fonts, "00:00", 30.0, palette::ACCENT)));
                card.spawn(widgets::label(&fonts, sc.brief.clone(), 14.0, palette::TEXT_DIM));
            });
            // Transcript and reply
            cols.spawn(Node {
                flex_direction: FlexDirection::Column,
                flex_grow: 1.0,
                row_gap: px(10),
                min_height: px(0),
                ..default()
            })
            .with_children(|mid| {
                mid.spawn((
                    Name::new("Transcript"),
                    Transcript,
                    widgets::Scrollable,
                    Node {
                        flex_direction: FlexDirection::Column,
                        row_gap: px(8),
                        padding: UiRect::all(px(12)),
                        flex_grow: 1.0,
                        min_height: px(0),
                        overflow: Overflow::scroll_y(),
                        border_radius: BorderRadius::all(px(10)),
                        ..default()
                    },
                    BackgroundColor(palette::PANEL),
                ));
                mid.spawn((
                    Name::new("Reply"),
                    ReplyArea,
                    Node { flex_direction: FlexDirection::Column, row_gap: px(6), ..default() },
                ));
            });
            if request.mode == Mode::Practice {
                cols.spawn((ScriptPanel, widgets::panel("Script panel", px(300))));
            }
        });
    });
    commands.insert_resource(ActiveCall {
        dialogue,
        clock: 0.0,
        phase: Phase::Ringing(RING),
        times_ms: Vec::new(),
        bubbles: Vec::new(),
        dirty: true,
        subtitle: None,
        voices: voices.map(|v| v.clone()),
        telephone: session.telephone,
        ticket: request.ticket,
    });
}

/// Moves the call along in time: the ring, the customer typing, the end.
fn tick(
    time: Res<Time>,
    mut call: ResMut<ActiveCall>,
    mut cues: MessageWriter<Cue>,
    mut commands: Commands,
    session: Res<Session>,
    records: Res<RecordsRes>,
    scenarios: Res<Scenarios>,
    runs_dir: Option<Res<RunsDir>>,
    mut next: ResMut<NextState<Screen>>,
) {
    call.clock += time.delta_secs();
    call.telephone = session.telephone;
    let now = call.clock;
    match call.phase {
        Phase::Ringing(until) if now >= until => {
            cues.write(Cue::PickUp);
            cues.write(Cue::LineNoise(true));
            call.phase = Phase::Typing(now + 0.5);
            call.dirty = true;
        }
        Phase::Typing(until) if now >= until => {
            let voice = sound::current_voice(call.voices.as_ref(), &call.dialogue, call.telephone);
            let line = call.dialogue.customer_line().map(|l| l.into_owned());
            match (line, voice) {
                (Some(line), Some(voice)) => {
                    call.bubbles.push((Speaker::Customer, line.clone()));
                    cues.write(Cue::Voice(voice.asset));
                    call.subtitle = Some(line);
                    call.phase = Phase::Speaking(now + voice.seconds);
                    call.dirty = true;
                }
                (line, _) => {
                    if let Some(line) = line {
                        call.bubbles.push((Speaker::Customer, line));
                        cues.write(Cue::Line);
                    }
                    call.done_speaking(&mut cues);
                }
            }
        }
        Phase::Speaking(until) if now >= until => call.done_speaking(&mut cues),
        Phase::Ending(until) if now >= until => {
            let result = finish(&call, &session, &records, &scenarios, runs_dir.as_deref());
            commands.insert_resource(result);
            next.set(Screen::Results);
        }
        _ => {}
    }
}

/// Applies the trainee's answer and schedules what comes next.
fn answer(call: &mut ActiveCall, reply: Reply, cues: &mut MessageWriter<Cue>) {
    if !matches!(call.phase, Phase::Awaiting | Phase::Typing(_) | Phase::Ringing(_) | Phase::Speaking(_)) {
        return;
    }
    let now = call.clock;
    let said = match &reply {
        Reply::Choose(i) => {
            if !call.awaiting() {
                return;
            }
            let choices = call.dialogue.choices();
            let Some(text) = choices.get(*i).map(|c| c.to_string()) else { return };
            if call.dialogue.choose(*i).is_err() {
                return;
            }
            Some(text)
        }
        Reply::Type(text) => {
            if !call.awaiting() || call.dialogue.type_reply(text).is_err() {
                return;
            }
            Some(text.clone())
        }
        Reply::HangUp => {
            let _ = call.dialogue.hang_up();
            None
        }
    };
    call.times_ms.push((now * 1000.0) as u64);
    match said {
        Some(text) => {
            cues.write(Cue::Click);
            call.bubbles.push((Speaker::Trainee, text));
            call.phase = Phase::Typing(now + call.pause_before_line());
        }
        None => {
            cues.write(Cue::StopVoice);
            cues.write(Cue::LineNoise(false));
            cues.write(Cue::HangUp);
            call.subtitle = None;
            call.phase = Phase::Ending(now + 0.6);
        }
    }
    call.dirty = true;
}

#[derive(Debug)]
enum Reply {
    Choose(usize),
    Type(String),
    HangUp,
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut call: ResMut<ActiveCall>,
    mut fields: Query<&mut TextField>,
    mut cues: MessageWriter<Cue>,
) {
    if keys.just_pressed(KeyCode::Escape) {
        if !matches!(call.phase, Phase::Ending(_)) {
            answer(&mut call, Reply::HangUp, &mut cues);
        }
        return;
    }
    if call.speaking() && keys.just_pressed(KeyCode::Space) {
        skip(&mut call, &mut cues);
        return;
    }
    if !call.awaiting() {
        return;
    }
    if call.dialogue.expects_typing() {
        if enter_pressed(&keys) {
            send_typed(&mut call, &mut fields, &mut cues);
        }
    } else if let Some(&i) = digit_pressed(&keys).and_then(|d| call.dialogue.choice_order().get(d).copied()).as_ref() {
        answer(&mut call, Reply::Choose(i), &mut cues);
    }
}

fn buttons(
    q: Query<(&Interaction, &CallButton), Changed<Interaction>>,
    mut call: ResMut<ActiveCall>,
    mut fields: Query<&mut TextField>,
    mut cues: MessageWriter<Cue>,
) {
    for (interaction, button) in &q {
        if *interaction != Interaction::Pressed {
            continue;
        }
        match *button {
            CallButton::Choice(i) => answer(&mut call, Reply::Choose(i), &mut cues),
            CallButton::HangUp => answer(&mut call, Reply::HangUp, &mut cues),
            CallButton::Send => send_typed(&mut call, &mut fields, &mut cues),
            CallButton::Skip => skip(&mut call, &mut cues),
        }
    }
}

/// Cuts the customer's line short: the replies come at once.
fn skip(call: &mut ActiveCall, cues: &mut MessageWriter<Cue>) {
    if call.speaking() {
        cues.write(Cue::StopVoice);
        call.done_speaking(cues);
    }
}

/// Sends the text field's line as the trainee's reply and clears the field; an empty line is ignored.
fn send_typed(call: &mut ActiveCall, fields: &mut Query<&mut TextField>, cues: &mut MessageWriter<Cue>) {
    if let Some(mut f) = fields.iter_mut().next() {
        let text = f.value.trim().to_owned();
        if !text.is_empty() {
            f.value.clear();
            answer(call, Reply::Type(text), cues);
        }
    }
}

/// Adds new lines to the transcript and scrolls to the newest.
fn spawn_bubbles(
    mut commands: Commands,
    mut call: ResMut<ActiveCall>,
    transcript: Single<(Entity, &mut ScrollPosition), With<Transcript>>,
    fonts: Res<UiFonts>,
) {
    if call.bubbles.is_empty() {
        return;
    }
    let (list, mut scroll) = transcript.into_inner();
    let name = call.dialogue.playable().scenario.persona.name.clone();
    for (who, text) in std::mem::take(&mut call.bubbles) {
        let (color, align, title) = match who {
            Speaker::Customer => (palette::CUSTOMER_BUBBLE, AlignSelf::FlexStart, name.clone()),
            Speaker::Trainee => (palette::TRAINEE_BUBBLE, AlignSelf::FlexEnd, call.dialogue.trainee().to_owned()),
        };
        commands.entity(list).with_children(|p| {
            p.spawn((
                Name::new("Bubble"),
                Node {
                    flex_direction: FlexDirection::Column,
                    max_width: percent(78),
                    padding: UiRect::axes(px(12), px(8)),
                    border_radius: BorderRadius::all(px(12)),
                    align_self: align,
                    flex_shrink: 0.0,
                    ..default()
                },
                BackgroundColor(color),
                children![
                    widgets::label(&fonts, title, 12.0, palette::TEXT_DIM),
                    widgets::label(&fonts, text, 18.0, palette::TEXT)
                ],
            ));
        });
    }
    scroll.y = 1.0e6;
}

/// Rebuilds the reply area, the script panel and the patience meter after each turn.
fn refresh(
    mut commands: Commands,
    mut call: ResMut<ActiveCall>,
    reply: Single<Entity, With<ReplyArea>>,
    script: Option<Single<Entity, With<ScriptPanel>>>,
    patience: Single<Entity, With<PatienceMeter>>,
    fonts: Res<UiFonts>,
    session: Res<Session>,
) {
    if !call.dirty {
        return;
    }
    call.dirty = false;
    let s = strings(session.lang);
    let d = &call.dialogue;
    let persona = &d.playable().scenario.persona;
    commands.entity(*reply).despawn_children().with_children(|p| match call.phase {
        Phase::Awaiting if d.expects_typing() => {
            p.spawn(widgets::label(&fonts, s.call_type_hint, 15.0, palette::TEXT_DIM));
            p.spawn(Node { column_gap: px(10), align_items: AlignItems::Center, ..default() }).with_children(|row| {
                row.spawn(text_field(&fonts, s.call_your_reply, 640.0));
                row.spawn(widgets::button(&fonts, s.call_send, CallButton::Send));
            });
        }
        Phase::Awaiting => {
            // Shown in the call's order (shuffled in Exam mode); each button keeps its choice.
            let choices = d.choices();
            for (k, &i) in d.choice_order().iter().enumerate() {
                p.spawn(widgets::button(&fonts, format!("{}  {}", k + 1, choices[i]), CallButton::Choice(i)));
            }
        }
        Phase::Ringing(_) => {
            p.spawn(widgets::label(&fonts, "☎ …", 20.0, palette::TEXT_DIM));
        }
        Phase::Typing(_) => {
            p.spawn(widgets::label(&fonts, format!("{} {}", persona.name, s.call_typing), 16.0, palette::TEXT_DIM));
        }
        Phase::Speaking(_) => {
            // The subtitle: who speaks, a level meter that moves while they do, and the line.
            p.spawn((
                Name::new("Subtitle"),
                Node {
                    flex_direction: FlexDirection::Column,
                    row_gap: px(6),
                    padding: UiRect::axes(px(14), px(10)),
                    border: UiRect::left(px(4)),
                    border_radius: BorderRadius::all(px(8)),
                    ..default()
                },
                BorderColor::all(palette::ACCENT),
                BackgroundColor(palette::PANEL),
            ))
            .with_children(|sub| {
                sub.spawn(Node { column_gap: px(10), align_items: AlignItems::Center, ..default() }).with_children(
                    |row| {
                        row.spawn((
                            Name::new("Speaking indicator"),
                            Node { column_gap: px(3), align_items: AlignItems::Center, height: px(26), ..default() },
                        ))
                        .with_children(|bars| {
                            for i in 0..5 {
                                bars.spawn((
                                    LevelBar(i),
                                    Node {
                                        width: px(5),
                                        height: px(8),
                                        border_radius: BorderRadius::all(px(2)),
                                        ..default()
                                    },
                                    BackgroundColor(palette::ACCENT),
                                ));
                            }
                        });
                        row.spawn(widgets::label(
                            &fonts,
                            format!("{} {}", persona.name, s.call_speaking),
                            16.0,
                            palette::ACCENT,
                        ));
                    },
                );
                if let Some(line) = &call.subtitle {
                    sub.spawn(widgets::label(&fonts, line.clone(), 20.0, palette::TEXT));
                }
            });
            p.spawn(Node { column_gap: px(12), align_items: AlignItems::Center, ..default() }).with_children(|row| {
                row.spawn(widgets::button(&fonts, s.call_skip, CallButton::Skip));
                row.spawn(widgets::label(&fonts, s.call_skip_hint, 14.0, palette::TEXT_DIM));
            });
        }
        Phase::Ending(_) => {
            p.spawn(widgets::label(&fonts, s.call_ended, 18.0, palette::TEXT_DIM));
        }
    });
    if let Some(panel) = script {
        commands.entity(*panel).despawn_children().with_children(|p| {
            p.spawn(widgets::heading(&fonts, s.call_script, 18.0));
            if let (Phase::Awaiting, Some(stage)) = (call.phase, d.expected_stage()) {
                p.spawn(widgets::label(&fonts, stage.title.clone(), 16.0, palette::ACCENT));
                p.spawn(widgets::label(&fonts, format!("“{}”", d.text(&stage.line)), 17.0, palette::TEXT));
                if !stage.must_mention.is_empty() {
                    p.spawn(widgets::label(
                        &fonts,
                        format!("+ {}", stage.must_mention.join(", ")),
                        14.0,
                        palette::TEXT_DIM,
                    ));
                }
            } else {
                p.spawn(widgets::label(&fonts, "—", 16.0, palette::TEXT_DIM));
            }
        });
    }
    let start = persona.patience.max(1);
    let left = d.patience().max(0);
    let color = if left * 3 > start * 2 {
        palette::GOOD
    } else if left * 3 > start {
        palette::WARN
    } else {
        palette::BAD
    };
    commands.entity(*patience).despawn_children().with_children(|p| {
        p.spawn(widgets::bar(left as f32 / start as f32, 230.0, color));
        p.spawn(widgets::label(&fonts, format!("{left} / {start}"), 14.0, palette::TEXT_DIM));
    });
}

fn update_timer(
    call: Res<ActiveCall>,
    mut timer: Single<&mut Text, (With<TimerText>, Without<SpeakingBadge>)>,
    mut badge: Single<&mut Text, With<SpeakingBadge>>,
    session: Res<Session>,
) {
    let talking = (call.clock - RING).max(0.0) as u32;
    let text = format!("{:02}:{:02}", talking / 60, talking % 60);
    if timer.0 != text {
        timer.0 = text;
    }
    let speaking = if call.speaking() { format!("◉ {}", strings(session.lang).call_speaking) } else { String::new() };
    if badge.0 != speaking {
        badge.0 = speaking;
    }
}

/// The speaking indicator's bars rise and fall while the customer speaks (a pattern of the call's
/// clock, not a measure of the sound, so it moves the same with no sound card).
fn animate_level(call: Res<ActiveCall>, mut bars: Query<(&LevelBar, &mut Node)>) {
    if !call.speaking() {
        return;
    }
    for (bar, mut node) in &mut bars {
        let i = bar.0 as f32;
        let wave = ((call.clock * (7.0 + i * 1.7)) + i * 1.3).sin().abs();
        node.height = px(6.0 + 20.0 * wave);
    }
}

/// Finishes the call (score and run file), saves the run file and stores it in the trainee's
/// records, with its exam ticket when a proctor started it.
fn finish(
    call: &ActiveCall,
    session: &Session,
    records: &RecordsRes,
    scenarios: &Scenarios,
    runs_dir: Option<&RunsDir>,
) -> LastResult {
    let now = records.with(|r| r.now()).unwrap_or(0);
    let FinishedCall { run, score } = finish_call(&call.dialogue, call.times_ms.clone(), now);
    let run_file = match runs_dir {
        Some(dir) => dir.write(&run, now),
        None => Err("no folder for run files".to_owned()),
    };
    let stored = match session.trainee.as_ref().and_then(|t| t.id) {
        Some(id) => records
            .with(|r| {
                let who = crate::records::TraineeRef::Id(id);
                match call.ticket {
                    Some(ticket) => r.store_run_with_ticket(who, &scenarios.lib, &run, ticket),
                    None => r.store_run(who, &scenarios.lib, &run),
                }
                .map(|x| x.id)
                .map_err(|e| e.to_string())
            })
            .unwrap_or_else(|| Err(records.error.clone().unwrap_or_else(|| "no records".to_owned()))),
        None => Err("no trainee profile in the records".to_owned()),
    };
    if let Err(e) = &stored {
        warn!("the call was not stored in the records: {e}");
    }
    LastResult { score, run, stored, run_file, ticket: call.ticket }
}
