//! The results: the score, passed or failed and why, critical errors, a bar per script stage, and
//! feedback for every turn — in Recall with a word diff (missing words red, extra words struck out).
//! After a practice call every customer line can be heard again (▶, or its number key).

use super::super::sound::{self, VoiceCache};
use super::super::text::{Strings, strings};
use super::super::theme::turn_card::turn_card;
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, CallRequest, Cue, LastResult, Scenarios, Screen, Seeds, Session};
use super::digit_pressed;
use crate::domain::Mode;
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Results), spawn)
        .add_systems(Update, (keys, buttons).in_set(AppSystems::Update).run_if(in_state(Screen::Results)));
}

#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
enum ResultButton {
    Retry,
    Replay,
    Back,
    /// Hear the customer's line of turn `i` again.
    Listen(usize),
}

/// The voice of each turn's customer line, when it can be heard again (not after an exam).
#[derive(Resource, Debug, Default)]
pub struct TurnVoices(pub Vec<Option<String>>);

fn spawn(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    session: Res<Session>,
    result: Option<Res<LastResult>>,
    scenarios: Res<Scenarios>,
    voices: Option<Res<VoiceCache>>,
    mut cues: MessageWriter<Cue>,
) {
    let Some(result) = result else { return };
    let s = strings(session.lang);
    let score = &result.score;
    cues.write(if score.passed { Cue::Pass } else { Cue::Fail });
    let run = &result.run;
    let turn_voices: Vec<Option<String>> = match scenarios.lib.scenario(&run.scenario) {
        Some(p) if run.mode != Mode::Exam => score
            .turns
            .iter()
            .map(|t| {
                sound::shown_line_voice(voices.as_deref(), p, &t.node, &t.customer, &run.trainee, session.telephone)
                    .map(|v| v.asset)
            })
            .collect(),
        _ => Vec::new(),
    };
    let listen = turn_voices.iter().any(Option::is_some);
    let root = commands.spawn((widgets::screen_root("Results screen"), DespawnOnExit(Screen::Results))).id();
    commands.entity(root).with_children(|p| {
        header(p, &fonts, s, &result);
        if !score.critical.is_empty() {
            p.spawn(widgets::panel("Critical errors", Val::Auto)).with_children(|c| {
                c.spawn(widgets::heading(&fonts, s.results_critical, 17.0));
                for e in &score.critical {
                    c.spawn(widgets::label(&fonts, format!("✗ {e}"), 15.0, palette::BAD));
                }
            });
        }
        p.spawn(Node { column_gap: px(16), flex_grow: 1.0, min_height: px(0), ..default() }).with_children(|cols| {
            cols.spawn(widgets::panel("Stages", px(430))).with_children(|st| stage_bars(st, &fonts, s, score));
            cols.spawn((widgets::panel("Turns", Val::Auto), widgets::Scrollable))
                .insert(Node {
                    flex_direction: FlexDirection::Column,
                    flex_grow: 1.0,
                    min_height: px(0),
                    row_gap: px(8),
                    padding: UiRect::all(px(14)),
                    overflow: Overflow::scroll_y(),
                    border_radius: BorderRadius::all(px(10)),
                    ..default()
                })
                .with_children(|list| {
                    list.spawn(widgets::heading(&fonts, s.results_turns, 17.0));
                    if listen {
                        list.spawn(widgets::label(&fonts, s.results_listen, 13.0, palette::TEXT_DIM));
                    }
                    for (i, t) in score.turns.iter().enumerate() {
                        if turn_voices.get(i).is_some_and(Option::is_some) {
                            let row = Node {
                                column_gap: px(8),
                                flex_shrink: 0.0,
                                align_items: AlignItems::FlexStart,
                                ..default()
                            };
                            list.spawn(row).with_children(|row| {
                                row.spawn(widgets::button(&fonts, "▶", ResultButton::Listen(i)));
                                // The card takes the rest of the row and wraps its lines in it.
                                let rest = Node {
                                    flex_direction: FlexDirection::Column,
                                    flex_grow: 1.0,
                                    flex_basis: px(0),
                                    min_width: px(0),
                                    ..default()
                                };
                                row.spawn(rest).with_children(|rest| {
                                    rest.spawn(turn_card(&fonts, s.results_you, i + 1, t));
                                });
                            });
                        } else {
                            list.spawn(turn_card(&fonts, s.results_you, i + 1, t));
                        }
                    }
                });
        });
        p.spawn(Node { column_gap: px(12), ..default() }).with_children(|row| {
            row.spawn(widgets::button(&fonts, s.results_retry, ResultButton::Retry));
            row.spawn(widgets::button(&fonts, s.results_replay, ResultButton::Replay));
            row.spawn(widgets::button(&fonts, s.results_back, ResultButton::Back));
        });
    });
    commands.insert_resource(TurnVoices(turn_voices));
}

/// The score, passed or failed and why, the call's ending, whether it was saved, and the receipt:
/// what the score was computed with, so anyone can reproduce it.
fn header(p: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, result: &LastResult) {
    let score = &result.score;
    let run = &result.run;
    p.spawn(Node { column_gap: px(24), align_items: AlignItems::Center, ..default() }).with_children(|top| {
        top.spawn(widgets::label(
            fonts,
            format!("{}", score.score),
            64.0,
            widgets::score_color(score.score, score.pass_mark),
        ));
        top.spawn(Node { flex_direction: FlexDirection::Column, row_gap: px(4), ..default() }).with_children(|col| {
            let verdict =
                if score.passed { (s.results_passed, palette::GOOD) } else { (s.results_failed, palette::BAD) };
            col.spawn(widgets::label(fonts, verdict.0, 28.0, verdict.1));
            col.spawn(widgets::label(fonts, score.reason.clone(), 16.0, palette::TEXT));
            col.spawn(widgets::label(
                fonts,
                format!("{} · {:.1} − {} {}", score.label, score.adherence, score.penalties, s.results_penalties),
                15.0,
                palette::TEXT_DIM,
            ));
            let saved = match &result.stored {
                // An exam-mode call without a proctor's ticket is stored, but counts as practice.
                Ok(id) if run.mode != crate::domain::model::Mode::Practice && result.ticket.is_none() => {
                    format!("{} (#{id}) · {}", s.results_saved, s.results_practice_only)
                }
                Ok(id) => format!("{} (#{id})", s.results_saved),
                Err(e) => format!("{}: {e}", s.results_not_saved),
            };
            col.spawn(widgets::label(fonts, saved, 13.0, palette::TEXT_DIM));
            let hash: String = score.hash.chars().take(12).collect();
            col.spawn(widgets::label(
                fonts,
                format!(
                    "{} {} · {} v{} · {hash} · callforge {}",
                    s.results_scorer, score.scorer, score.scenario, score.version, score.callforge
                ),
                12.0,
                palette::TEXT_DIM,
            ));
        });
    });
}

/// A bar per script stage: how well the call went on it, or that it was not reached.
fn stage_bars(st: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, score: &crate::domain::Score) {
    st.spawn(widgets::heading(fonts, s.results_stages, 17.0));
    for stage in &score.stages {
        st.spawn(widgets::label(
            fonts,
            format!("{}{}", stage.title, if stage.critical { " *" } else { "" }),
            14.0,
            palette::TEXT,
        ));
        let Some(q) = stage.quality else {
            st.spawn(widgets::label(fonts, s.results_not_reached, 13.0, palette::TEXT_DIM));
            continue;
        };
        let color = if q >= 0.999 {
            palette::GOOD
        } else if q > 0.0 {
            palette::WARN
        } else {
            palette::BAD
        };
        st.spawn(Node { column_gap: px(8), align_items: AlignItems::Center, ..default() }).with_children(|row| {
            row.spawn(widgets::bar(q as f32, 300.0, color));
            row.spawn(widgets::label(fonts, format!("{:.0}%", q * 100.0), 13.0, palette::TEXT_DIM));
        });
    }
}

fn act(
    action: ResultButton,
    result: &LastResult,
    seeds: &mut Seeds,
    commands: &mut Commands,
    next: &mut NextState<Screen>,
    voices: Option<&TurnVoices>,
    cues: &mut MessageWriter<Cue>,
) {
    let run = &result.run;
    match action {
        ResultButton::Listen(i) => {
            if let Some(Some(asset)) = voices.and_then(|v| v.0.get(i)) {
                cues.write(Cue::Voice(asset.clone()));
            }
        }
        ResultButton::Retry => {
            commands.insert_resource(CallRequest {
                scenario: run.scenario.clone(),
                mode: run.mode,
                seed: seeds.draw(),
                ticket: None,
            });
            next.set(Screen::Call);
        }
        ResultButton::Replay => {
            commands.insert_resource(CallRequest {
                scenario: run.scenario.clone(),
                mode: run.mode,
                seed: run.seed,
                ticket: None,
            });
            next.set(Screen::Call);
        }
        ResultButton::Back => next.set(Screen::Home),
    }
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    result: Option<Res<LastResult>>,
    mut seeds: ResMut<Seeds>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
    voices: Option<Res<TurnVoices>>,
    mut cues: MessageWriter<Cue>,
) {
    let Some(result) = result else { return };
    let action = if let Some(i) = digit_pressed(&keys) {
        Some(ResultButton::Listen(i))
    } else if keys.just_pressed(KeyCode::KeyR) {
        Some(ResultButton::Retry)
    } else if keys.just_pressed(KeyCode::KeyP) {
        Some(ResultButton::Replay)
    } else if keys.just_pressed(KeyCode::Escape) || keys.just_pressed(KeyCode::Backspace) {
        Some(ResultButton::Back)
    } else {
        None
    };
    if let Some(a) = action {
        act(a, &result, &mut seeds, &mut commands, &mut next, voices.as_deref(), &mut cues);
    }
}

fn buttons(
    q: Query<(&Interaction, &ResultButton), Changed<Interaction>>,
    result: Option<Res<LastResult>>,
    mut seeds: ResMut<Seeds>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
    voices: Option<Res<TurnVoices>>,
    mut cues: MessageWriter<Cue>,
) {
    let Some(result) = result else { return };
    for (interaction, b) in &q {
        if *interaction == Interaction::Pressed {
            act(*b, &result, &mut seeds, &mut commands, &mut next, voices.as_deref(), &mut cues);
        }
    }
}
