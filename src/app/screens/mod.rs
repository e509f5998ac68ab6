//! The screens, one plugin per file; this module only declares them and shared keyboard helpers.

pub mod assigned;
pub mod call;
mod db_password;
pub mod drill;
pub mod first_day;
mod home;
pub mod manager;
pub mod my_progress;
pub mod next_up;
mod picker;
mod proctor;
mod results;
mod script;
mod start;
pub mod work;

use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((
        start::plugin,
        db_password::plugin,
        home::plugin,
        picker::plugin,
        proctor::plugin,
        call::plugin,
        results::plugin,
        script::plugin,
        manager::plugin,
        drill::plugin,
        next_up::plugin,
        assigned::plugin,
        my_progress::plugin,
        first_day::plugin,
    ));
}

/// The digit keys 1–9 of the top row: reply `i` is `DIGITS[i]`.
pub const DIGITS: [KeyCode; 9] = [
    KeyCode::Digit1,
    KeyCode::Digit2,
    KeyCode::Digit3,
    KeyCode::Digit4,
    KeyCode::Digit5,
    KeyCode::Digit6,
    KeyCode::Digit7,
    KeyCode::Digit8,
    KeyCode::Digit9,
];

/// The digit 1–9 pressed this frame (top row or keypad), as 0–8.
pub(crate) fn digit_pressed(keys: &ButtonInput<KeyCode>) -> Option<usize> {
    const PAD: [KeyCode; 9] = [
        KeyCode::Numpad1,
        KeyCode::Numpad2,
        KeyCode::Numpad3,
        KeyCode::Numpad4,
        KeyCode::Numpad5,
        KeyCode::Numpad6,
        KeyCode::Numpad7,
        KeyCode::Numpad8,
        KeyCode::Numpad9,
    ];
    (0..9).find(|&i| keys.just_pressed(DIGITS[i]) || keys.just_pressed(PAD[i]))
}

/// Enter on either the main keyboard or the keypad.
pub(crate) fn enter_pressed(keys: &ButtonInput<KeyCode>) -> bool {
    keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter)
}

/// Moves a selection with the arrow keys, wrapping around.
pub(crate) fn move_selection(keys: &ButtonInput<KeyCode>, selected: &mut usize, len: usize) -> bool {
    if len == 0 {
        return false;
    }
    if keys.just_pressed(KeyCode::ArrowDown) {
        *selected = (*selected + 1) % len;
        true
    } else if keys.just_pressed(KeyCode::ArrowUp) {
        *selected = (*selected + len - 1) % len;
        true
    } else {
        false
    }
}

/// F2 switches the interface language (the sound keys, F3–F6, are `sound.rs`'s, on every screen).
pub(crate) fn global_keys(keys: Res<ButtonInput<KeyCode>>, mut session: ResMut<super::Session>) {
    if keys.just_pressed(KeyCode::F2) {
        session.lang = match session.lang {
            crate::domain::feedback::Lang::En => crate::domain::feedback::Lang::Ru,
            crate::domain::feedback::Lang::Ru => crate::domain::feedback::Lang::En,
        };
    }
}
