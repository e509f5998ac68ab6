//! The home screen's "what to do next" panel: today's due drills (D) and the single best next call (N), worked out from the records off the frame.

use super::super::text::{Strings, strings};
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, CallRequest, RecordsRes, Scenarios, Screen, Seeds, Session};
use super::drill::{FactsWork, gather_facts, plan_for};
use super::work::finished;
use crate::domain::Library;
use crate::domain::drill::Plan;
use crate::domain::model::Mode;
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Home), load).add_systems(
        Update,
        (receive, show, keys, buttons).chain().in_set(AppSystems::Update).run_if(in_state(Screen::Home)),
    );
}

/// The panel: the home screen spawns it, this file fills it.
#[derive(Component, Debug)]
pub(super) struct NextUpPanel;

/// How many due stages the panel names; the rest are counted.
const NAMED: usize = 4;

/// The panel as the home screen first shows it, while the records are read.
pub(super) fn panel(fonts: &UiFonts, s: &Strings) -> impl Bundle {
    (
        NextUpPanel,
        widgets::panel("What to do next", px(440)),
        children![
            widgets::heading(fonts, s.next_title, 20.0),
            widgets::label(fonts, s.next_loading, 15.0, palette::TEXT_DIM)
        ],
    )
}

/// What is next for the trainee on the home screen, once worked out.
#[derive(Resource, Debug, Clone)]
pub struct NextUp {
    /// The drill language.
    pub language: String,
    pub plan: Plan,
    /// Why drills are not stored, when they are not.
    pub not_stored: Option<String>,
}

#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
enum NextButton {
    Drill,
    Call,
}

/// Forgets the last plan and works out a new one: from the records off the frame, or at once
/// without them.
fn load(mut commands: Commands, session: Res<Session>, records: Res<RecordsRes>, scenarios: Res<Scenarios>) {
    commands.remove_resource::<NextUp>();
    let Some(profile) = session.trainee.clone() else { return };
    if !gather_facts(&mut commands, &records, &profile, DespawnOnExit(Screen::Home)) {
        let (language, plan) = plan_for(&scenarios.lib, &profile, &session, None);
        let not_stored = Some(records.error.clone().unwrap_or_default());
        commands.insert_resource(NextUp { language, plan, not_stored });
    }
}

fn receive(
    mut commands: Commands,
    mut pending: Query<(Entity, &mut FactsWork)>,
    session: Res<Session>,
    scenarios: Res<Scenarios>,
) {
    let Some(outcome) = finished(&mut commands, &mut pending) else { return };
    let Some(profile) = session.trainee.as_ref() else { return };
    let (facts, not_stored) = match outcome {
        Some(Ok(f)) => (Some(f), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, Some(String::new())),
    };
    let (language, plan) = plan_for(&scenarios.lib, profile, &session, facts.as_ref());
    commands.insert_resource(NextUp { language, plan, not_stored });
}

/// Fills the panel when the plan comes in.
fn show(
    mut commands: Commands,
    next_up: Option<Res<NextUp>>,
    panel: Option<Single<Entity, With<NextUpPanel>>>,
    fonts: Res<UiFonts>,
    session: Res<Session>,
    scenarios: Res<Scenarios>,
) {
    let (Some(next_up), Some(panel)) = (next_up, panel) else { return };
    if !next_up.is_changed() {
        return;
    }
    let s = strings(session.lang);
    commands.entity(*panel).despawn_children().with_children(|p| fill(p, &fonts, s, &next_up, &scenarios.lib));
}

fn fill(p: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, next_up: &NextUp, lib: &Library) {
    let plan = &next_up.plan;
    p.spawn(widgets::heading(fonts, s.next_title, 20.0));
    if plan.due.is_empty() {
        p.spawn(widgets::label(fonts, s.next_nothing_due, 15.0, palette::TEXT_DIM));
    } else {
        let n = plan.due.len().to_string();
        let m = plan.minutes.to_string();
        p.spawn(widgets::label(fonts, s.next_due.replace("{n}", &n).replace("{m}", &m), 16.0, palette::TEXT));
        for d in plan.due.iter().take(NAMED) {
            p.spawn(widgets::label(fonts, format!("· {}", d.title), 14.0, palette::TEXT_DIM));
        }
        if plan.due.len() > NAMED {
            let more = (plan.due.len() - NAMED).to_string();
            p.spawn(widgets::label(fonts, format!("  {}", s.next_more.replace("{n}", &more)), 14.0, palette::TEXT_DIM));
        }
    }
    p.spawn(widgets::button(fonts, s.next_drill, NextButton::Drill));
    p.spawn(widgets::heading(fonts, s.next_best_call, 17.0));
    match plan.best_call.as_deref().and_then(|id| lib.scenario(id)) {
        Some(call) => {
            let sc = &call.scenario;
            p.spawn(widgets::label(fonts, format!("«{}»", sc.title), 16.0, palette::TEXT));
            p.spawn(widgets::label(
                fonts,
                format!("{}, {} — {}", sc.persona.name, sc.persona.company, s.next_best_hint),
                14.0,
                palette::TEXT_DIM,
            ));
            p.spawn(widgets::button(fonts, s.next_call, NextButton::Call));
        }
        None => {
            p.spawn(widgets::label(fonts, s.next_no_call, 14.0, palette::TEXT_DIM));
        }
    }
    if next_up.not_stored.is_some() {
        p.spawn(widgets::label(fonts, s.next_not_stored, 13.0, palette::WARN));
    }
}

fn act(
    action: NextButton,
    next_up: Option<&NextUp>,
    session: &mut Session,
    seeds: &mut Seeds,
    commands: &mut Commands,
    next: &mut NextState<Screen>,
) {
    match action {
        NextButton::Drill => next.set(Screen::Drill),
        NextButton::Call => {
            let Some(id) = next_up.and_then(|n| n.plan.best_call.clone()) else { return };
            session.mode = Mode::Practice;
            commands.insert_resource(CallRequest {
                scenario: id,
                mode: Mode::Practice,
                seed: seeds.draw(),
                ticket: None,
            });
            next.set(Screen::Call);
        }
    }
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    next_up: Option<Res<NextUp>>,
    mut session: ResMut<Session>,
    mut seeds: ResMut<Seeds>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    let action = if keys.just_pressed(KeyCode::KeyD) {
        NextButton::Drill
    } else if keys.just_pressed(KeyCode::KeyN) {
        NextButton::Call
    } else {
        return;
    };
    act(action, next_up.as_deref(), &mut session, &mut seeds, &mut commands, &mut next);
}

fn buttons(
    q: Query<(&Interaction, &NextButton), Changed<Interaction>>,
    next_up: Option<Res<NextUp>>,
    mut session: ResMut<Session>,
    mut seeds: ResMut<Seeds>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    for (interaction, button) in &q {
        if *interaction == Interaction::Pressed {
            act(*button, next_up.as_deref(), &mut session, &mut seeds, &mut commands, &mut next);
        }
    }
}
