//! Promotion approval: the manager's password promotes the open trainee one rung. The check,
//! the promotion and gathering the team again run off the frame.

use super::{
    ManagerSession, ManagerView, OpenTrainee, Pending, Team, ViewData, finished, set_status, spawn_work, status_line,
};
use crate::app::input::{TextField, password_field, take_password};
use crate::app::screens::enter_pressed;
use crate::app::text::strings;
use crate::app::theme::{palette, widgets};
use crate::app::{AppSystems, RecordsRes, Scenarios, Session};
use crate::domain::model::Role;
use crate::records::{RungChange, TraineeRef};
use crate::report::TeamReport;
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(ManagerView::Approve), spawn)
        .add_systems(Update, (keys, finish).chain().in_set(AppSystems::Update).run_if(in_state(ManagerView::Approve)));
}

/// What approving did: the rungs from and to, or why not; and the team gathered afterwards.
type Approval = (Result<(Role, Role), String>, Option<TeamReport>);

/// The line that says the password is being checked.
#[derive(Component, Debug)]
struct Checking;

fn spawn(mut commands: Commands, view: ViewData) {
    let (s, fonts) = (view.strings(), &view.fonts);
    let mut root = view.root(&mut commands, "Manager approval", ManagerView::Approve);
    let Some(t) = view.trainee() else { return };
    let next = t.eligibility.as_ref().and_then(|e| e.next).map(|r| s.role(r)).unwrap_or("");
    root.with_children(|p| {
        p.spawn(widgets::heading(fonts, format!("{} {} → {next}", s.manager_approve, t.trainee.name), 24.0));
        p.spawn(widgets::label(fonts, s.manager_password, 16.0, palette::TEXT_DIM));
        p.spawn(password_field(fonts, s.manager_password, 420.0, true));
        p.spawn((Checking, status_line(fonts, "", palette::TEXT_DIM)));
        p.spawn(widgets::label(fonts, s.manager_approve_keys, 14.0, palette::TEXT_DIM));
    });
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut fields: Query<&mut TextField>,
    mut checking: Query<(&mut Text, &mut Node), With<Checking>>,
    busy: Query<(), With<Pending<Approval>>>,
    team: Option<Res<Team>>,
    open: Option<Res<OpenTrainee>>,
    manager: Option<Res<ManagerSession>>,
    records: Res<RecordsRes>,
    scenarios: Res<Scenarios>,
    session: Res<Session>,
    mut commands: Commands,
    mut view: ResMut<NextState<ManagerView>>,
) {
    // While the approval runs, the page stays: leaving could not undo a promotion under way.
    if !busy.is_empty() {
        return;
    }
    let index = open.as_ref().map_or(0, |o| o.index);
    if keys.just_pressed(KeyCode::Escape) {
        commands.insert_resource(OpenTrainee::page(index, None));
        view.set(ManagerView::Trainee);
        return;
    }
    if !enter_pressed(&keys) {
        return;
    }
    let password = take_password(&mut fields);
    let (Some(t), Some(m)) = (team.as_ref().and_then(|team| team.0.trainees.get(index)), manager.as_ref()) else {
        return;
    };
    for (mut text, mut node) in &mut checking {
        set_status(&mut text, &mut node, strings(session.lang).manager_checking);
    }
    let (id, username, lib) = (t.trainee.id, m.username.clone(), scenarios.lib.clone());
    spawn_work(&mut commands, &records, DespawnOnExit(ManagerView::Approve), move |r| -> Approval {
        let outcome = r
            .change_rung(RungChange::Promote, TraineeRef::Id(id), &username, &password, &lib)
            .map(|p| (p.from_role, p.to_role))
            .map_err(|e| e.to_string());
        // Gathered again so the page shows the new rung.
        (outcome, crate::report::team(r, &lib, None, None).ok())
    });
}

fn finish(
    mut pending: Query<(Entity, &mut Pending<Approval>)>,
    open: Option<Res<OpenTrainee>>,
    records: Res<RecordsRes>,
    session: Res<Session>,
    mut commands: Commands,
    mut view: ResMut<NextState<ManagerView>>,
) {
    let Some(outcome) = finished(&mut commands, &mut pending) else { return };
    let s = strings(session.lang);
    let message = match outcome {
        Some((result, report)) => {
            if let Some(report) = report {
                commands.insert_resource(Team(report));
            }
            match result {
                Ok((from, to)) => format!("{}: {} → {}", s.manager_promoted, s.role(from), s.role(to)),
                Err(e) => e,
            }
        }
        None => records.error.clone().unwrap_or_default(),
    };
    let index = open.map_or(0, |o| o.index);
    commands.insert_resource(OpenTrainee::page(index, Some(message)));
    view.set(ManagerView::Trainee);
}
