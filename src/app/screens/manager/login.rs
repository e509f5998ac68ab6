//! The manager login: user name and password, checked off the frame.

use super::{ManagerSession, Pending, finished, spawn_work};
use crate::app::input::{TextField, password_field, switch_focus, text_field, value_of};
use crate::app::screens::enter_pressed;
use crate::app::text::strings;
use crate::app::theme::{UiFonts, palette, widgets};
use crate::app::{AppSystems, RecordsRes, Screen, Session};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::ManagerLogin), spawn)
        .add_systems(Update, (keys, finish).chain().in_set(AppSystems::Update).run_if(in_state(Screen::ManagerLogin)));
}

/// The password check: the manager's user name, or why they are refused.
type Check = Result<String, String>;

#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
enum LoginField {
    User,
    Password,
}

#[derive(Component, Debug)]
struct LoginMessage;

fn spawn(mut commands: Commands, fonts: Res<UiFonts>, session: Res<Session>) {
    let s = strings(session.lang);
    let root = commands.spawn((widgets::screen_root("Manager login"), DespawnOnExit(Screen::ManagerLogin))).id();
    commands.entity(root).with_children(|p| {
        p.spawn(widgets::heading(&fonts, s.manager_login, 28.0));
        p.spawn(widgets::label(&fonts, s.manager_user, 16.0, palette::TEXT_DIM));
        p.spawn((LoginField::User, text_field(&fonts, s.manager_user, 420.0)));
        p.spawn(widgets::label(&fonts, s.manager_password, 16.0, palette::TEXT_DIM));
        p.spawn((LoginField::Password, password_field(&fonts, s.manager_password, 420.0, false)));
        p.spawn((LoginMessage, widgets::label(&fonts, "", 16.0, palette::WARN)));
        p.spawn(widgets::label(&fonts, s.manager_login_keys, 15.0, palette::TEXT_DIM));
    });
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut fields: Query<(&LoginField, &mut TextField)>,
    mut message: Query<&mut Text, With<LoginMessage>>,
    checking: Query<(), With<Pending<Check>>>,
    records: Res<RecordsRes>,
    session: Res<Session>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    if keys.just_pressed(KeyCode::Escape) {
        // Leaving drops a check still running: it has nothing to undo.
        next.set(Screen::Start);
        return;
    }
    switch_focus(&keys, fields.iter_mut().map(|(_, f)| f));
    if !enter_pressed(&keys) || !checking.is_empty() {
        return;
    }
    let (user, password) = (value_of(&fields, &LoginField::User), value_of(&fields, &LoginField::Password));
    for mut t in &mut message {
        strings(session.lang).manager_checking.clone_into(&mut t.0);
    }
    spawn_work(&mut commands, &records, DespawnOnExit(Screen::ManagerLogin), move |r| -> Check {
        r.authenticate(&user, &password).map_err(|e| e.to_string())
    });
}

fn finish(
    mut pending: Query<(Entity, &mut Pending<Check>)>,
    mut fields: Query<(&LoginField, &mut TextField)>,
    mut message: Query<&mut Text, With<LoginMessage>>,
    records: Res<RecordsRes>,
    session: Res<Session>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(outcome) = finished(&mut commands, &mut pending) else { return };
    let s = strings(session.lang);
    let text = match outcome {
        Some(Ok(username)) => {
            commands.insert_resource(ManagerSession { username });
            next.set(Screen::Manager);
            String::new()
        }
        Some(Err(e)) => {
            for (w, mut f) in &mut fields {
                if *w == LoginField::Password {
                    f.value.clear();
                }
            }
            format!("{}: {e}", s.manager_refused)
        }
        None => records.error.clone().unwrap_or_default(),
    };
    for mut t in &mut message {
        t.0.clone_from(&text);
    }
}
