//! A text field typed into from the keyboard: names on the start screen, lines in Recall mode.

use super::AppSystems;
use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;

/// An editable line of text. The focused field takes every printable key.
#[derive(Component, Debug, Default, Clone)]
pub struct TextField {
    pub value: String,
    pub placeholder: String,
    pub focused: bool,
    /// At most this many characters.
    pub max_chars: usize,
    /// Shows dots instead of the text (passwords).
    pub masked: bool,
}

/// The `Text` that shows a field's value.
#[derive(Component, Debug)]
pub struct TextFieldText;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, (type_into_fields, show_fields).chain().in_set(AppSystems::Input));
}

fn type_into_fields(mut keys: MessageReader<KeyboardInput>, mut fields: Query<&mut TextField>) {
    let Some(mut field) = fields.iter_mut().find(|f| f.focused) else {
        keys.clear();
        return;
    };
    for ev in keys.read() {
        if ev.state != ButtonState::Pressed {
            continue;
        }
        match &ev.logical_key {
            Key::Backspace => {
                field.value.pop();
            }
            Key::Enter | Key::Escape | Key::Tab => {}
            Key::Space => push(&mut field, " "),
            _ => {
                if let Some(t) = &ev.text {
                    let t: String = t.chars().filter(|c| !c.is_control()).collect();
                    push(&mut field, &t);
                }
            }
        }
    }
}

fn push(field: &mut TextField, text: &str) {
    let max = if field.max_chars == 0 { 300 } else { field.max_chars };
    for c in text.chars() {
        if field.value.chars().count() < max {
            field.value.push(c);
        }
    }
}

fn show_fields(
    fields: Query<(&TextField, &Children), Changed<TextField>>,
    mut texts: Query<(&mut Text, &mut TextColor), With<TextFieldText>>,
) {
    for (field, children) in &fields {
        for child in children.iter() {
            if let Ok((mut text, mut color)) = texts.get_mut(child) {
                if field.value.is_empty() {
                    text.0 = if field.focused { format!("|{}", field.placeholder) } else { field.placeholder.clone() };
                    color.0 = super::theme::palette::TEXT_DIM;
                } else {
                    let shown =
                        if field.masked { "•".repeat(field.value.chars().count()) } else { field.value.clone() };
                    text.0 = if field.focused { format!("{shown}|") } else { shown };
                    color.0 = super::theme::palette::TEXT;
                }
            }
        }
    }
}

/// A form of two fields (a user name and a password): Tab or an arrow key moves the focus to the
/// other one.
pub fn switch_focus<'a>(keys: &ButtonInput<KeyCode>, fields: impl IntoIterator<Item = Mut<'a, TextField>>) {
    if keys.just_pressed(KeyCode::Tab) || keys.just_pressed(KeyCode::ArrowDown) || keys.just_pressed(KeyCode::ArrowUp) {
        for mut f in fields {
            f.focused = !f.focused;
        }
    }
}

/// The trimmed value of the field marked `which` in a form whose fields carry a marker `M`.
pub fn value_of<M: Component + PartialEq>(fields: &Query<(&M, &mut TextField)>, which: &M) -> String {
    fields.iter().find(|(w, _)| *w == which).map(|(_, f)| f.value.trim().to_owned()).unwrap_or_default()
}

/// A focused text field bundle with its text child.
/// The value of a screen's one password field, which is cleared: a password is never kept on screen
/// once it is sent.
pub fn take_password(fields: &mut Query<&mut TextField>) -> String {
    let mut password = String::new();
    for mut f in fields.iter_mut() {
        if password.is_empty() {
            password = std::mem::take(&mut f.value);
        } else {
            f.value.clear();
        }
    }
    password
}

pub fn text_field(fonts: &super::theme::UiFonts, placeholder: &str, width: f32) -> impl Bundle {
    field(fonts, placeholder, width, true, false)
}

/// A password field: its text shows as dots.
pub fn password_field(fonts: &super::theme::UiFonts, placeholder: &str, width: f32, focused: bool) -> impl Bundle {
    field(fonts, placeholder, width, focused, true)
}

fn field(fonts: &super::theme::UiFonts, placeholder: &str, width: f32, focused: bool, masked: bool) -> impl Bundle {
    (
        Name::new("Text field"),
        TextField { value: String::new(), placeholder: placeholder.to_owned(), focused, max_chars: 300, masked },
        Node {
            width: px(width),
            min_height: px(44),
            padding: UiRect::axes(px(12), px(10)),
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(8)),
            align_items: AlignItems::Center,
            ..default()
        },
        BorderColor::all(super::theme::palette::ACCENT),
        BackgroundColor(super::theme::palette::PANEL_LIGHT),
        children![(
            TextFieldText,
            super::theme::widgets::label(fonts, format!("|{placeholder}"), 20.0, super::theme::palette::TEXT_DIM)
        )],
    )
}
