//! The proctor's sign-in before an exam: a manager signs the ticket whose seed the exam call is played on.
//!
//! An exam attempt counts only with a ticket (see `records::tickets`). When a trainee picks an exam
//! scenario, this screen asks a proctor for their user name and password, issues the ticket off
//! the frame and starts the call on the ticket's seed and mode; the call is then stored with the
//! ticket. A refusal (wrong password, a sign-in locked after failures, a cooldown, a proctor who
//! may not act on this trainee) is shown here and starts nothing. Esc goes back to the picker.

use super::enter_pressed;
use super::work::{Pending, finished, spawn_work};
use crate::app::input::{TextField, password_field, switch_focus, text_field, value_of};
use crate::app::text::strings;
use crate::app::theme::{UiFonts, palette, widgets};
use crate::app::{AppSystems, CallRequest, RecordsRes, Scenarios, Screen, Session};
use crate::domain::model::Mode;
use crate::records::{Ticket, TraineeRef};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Proctor), spawn)
        .add_systems(Update, (keys, issued).chain().in_set(AppSystems::Update).run_if(in_state(Screen::Proctor)));
}

/// The exam the trainee picked: which scenario, its title, and the mode the ladder sets for it.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct ExamChoice {
    pub scenario: String,
    pub title: String,
    pub mode: Mode,
}

/// The ticket, or why the exam cannot start.
type Issued = Result<Ticket, String>;

#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
enum ProctorField {
    User,
    Password,
}

#[derive(Component, Debug)]
struct ProctorMessage;

fn spawn(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    session: Res<Session>,
    choice: Option<Res<ExamChoice>>,
    records: Res<RecordsRes>,
) {
    let s = strings(session.lang);
    let trainee = session.trainee.as_ref().map(|t| t.name.clone()).unwrap_or_default();
    let (title, mode) = choice.as_ref().map_or((String::new(), Mode::Exam), |c| (c.title.clone(), c.mode));
    // Without records, or a profile in them, no ticket can be issued: say so before anyone types.
    let usable = records.records.is_some() && session.trainee.as_ref().is_some_and(|t| t.id.is_some());
    let root = commands.spawn((widgets::screen_root("Proctor sign-in"), DespawnOnExit(Screen::Proctor))).id();
    commands.entity(root).with_children(|p| {
        p.spawn(widgets::heading(&fonts, s.proctor_title, 28.0));
        p.spawn(widgets::label(&fonts, format!("{trainee} · «{title}» · {}", s.mode(mode)), 20.0, palette::ACCENT));
        p.spawn(widgets::label(&fonts, s.proctor_explain, 16.0, palette::TEXT));
        p.spawn(widgets::label(&fonts, s.proctor_user, 16.0, palette::TEXT_DIM));
        p.spawn((ProctorField::User, text_field(&fonts, s.proctor_user, 420.0)));
        p.spawn(widgets::label(&fonts, s.manager_password, 16.0, palette::TEXT_DIM));
        p.spawn((ProctorField::Password, password_field(&fonts, s.manager_password, 420.0, false)));
        let message = if usable { String::new() } else { s.proctor_no_records.to_owned() };
        p.spawn((ProctorMessage, widgets::label(&fonts, message, 16.0, palette::WARN)));
        p.spawn(widgets::label(&fonts, s.proctor_keys, 15.0, palette::TEXT_DIM));
    });
}

#[allow(clippy::too_many_arguments)]
fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut fields: Query<(&ProctorField, &mut TextField)>,
    mut message: Query<&mut Text, With<ProctorMessage>>,
    working: Query<(), With<Pending<Issued>>>,
    records: Res<RecordsRes>,
    scenarios: Res<Scenarios>,
    session: Res<Session>,
    choice: Option<Res<ExamChoice>>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    if keys.just_pressed(KeyCode::Escape) {
        // Leaving drops a ticket still being issued; one issued and never used simply expires.
        next.set(Screen::Picker);
        return;
    }
    switch_focus(&keys, fields.iter_mut().map(|(_, f)| f));
    if !enter_pressed(&keys) || !working.is_empty() {
        return;
    }
    let (Some(choice), Some(trainee)) = (choice, session.trainee.as_ref().and_then(|t| t.id)) else { return };
    if records.records.is_none() {
        return;
    }
    let (user, password) = (value_of(&fields, &ProctorField::User), value_of(&fields, &ProctorField::Password));
    for mut t in &mut message {
        strings(session.lang).proctor_checking.clone_into(&mut t.0);
    }
    let lib = scenarios.lib.clone();
    let (scenario, mode) = (choice.scenario.clone(), choice.mode);
    spawn_work(&mut commands, &records, DespawnOnExit(Screen::Proctor), move |r| -> Issued {
        r.issue_ticket(TraineeRef::Id(trainee), &scenario, mode, &user, &password, &lib).map_err(|e| e.to_string())
    });
}

fn issued(
    mut pending: Query<(Entity, &mut Pending<Issued>)>,
    mut fields: Query<(&ProctorField, &mut TextField)>,
    mut message: Query<&mut Text, With<ProctorMessage>>,
    records: Res<RecordsRes>,
    session: Res<Session>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(outcome) = finished(&mut commands, &mut pending) else { return };
    let s = strings(session.lang);
    let text = match outcome {
        Some(Ok(ticket)) => {
            commands.insert_resource(CallRequest {
                scenario: ticket.scenario.clone(),
                mode: ticket.mode,
                seed: ticket.seed,
                ticket: Some(ticket.id),
            });
            next.set(Screen::Call);
            String::new()
        }
        Some(Err(e)) => {
            for (w, mut f) in &mut fields {
                if *w == ProctorField::Password {
                    f.value.clear();
                }
            }
            format!("{}: {e}", s.proctor_refused)
        }
        None => records.error.clone().unwrap_or_else(|| s.proctor_no_records.to_owned()),
    };
    for mut t in &mut message {
        t.0.clone_from(&text);
    }
}
