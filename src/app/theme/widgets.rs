//! Widgets: functions that return bundles, so every screen looks the same.

use super::UiFonts;
use super::palette::*;
use bevy::prelude::*;

/// Text in the regular font.
pub fn label(fonts: &UiFonts, text: impl Into<String>, size: f32, color: Color) -> impl Bundle {
    (
        Text::new(text),
        TextFont { font: fonts.regular.clone().into(), font_size: FontSize::Px(size), ..default() },
        TextColor(color),
    )
}

/// Text in the bold font.
pub fn heading(fonts: &UiFonts, text: impl Into<String>, size: f32) -> impl Bundle {
    (
        Text::new(text),
        TextFont { font: fonts.bold.clone().into(), font_size: FontSize::Px(size), ..default() },
        TextColor(TEXT),
    )
}

/// A run of text inside a `Text`, for mixed colours or weights.
pub fn span(fonts: &UiFonts, text: impl Into<String>, size: f32, color: Color, bold: bool) -> impl Bundle {
    let font = if bold { fonts.bold.clone() } else { fonts.regular.clone() };
    (TextSpan::new(text), TextFont { font: font.into(), font_size: FontSize::Px(size), ..default() }, TextColor(color))
}

/// The root of a screen: full window, a column, the background colour.
pub fn screen_root(name: &'static str) -> impl Bundle {
    (
        Name::new(name),
        Node {
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Column,
            // The bottom keeps room for the one-line banner of scenario errors.
            padding: UiRect { left: px(24), right: px(24), top: px(20), bottom: px(42) },
            row_gap: px(14),
            ..default()
        },
        // The clear colour paints the background; a full-window quad on top would only cost fill rate.
    )
}

/// A panel: a rounded box holding a column, `width` wide (`Val::Auto` to fit).
pub fn panel(name: &'static str, width: Val) -> impl Bundle {
    (
        Name::new(name),
        Node {
            width,
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(px(14)),
            row_gap: px(8),
            border_radius: BorderRadius::all(px(10)),
            ..default()
        },
        BackgroundColor(PANEL),
    )
}

/// A button with a label; `action` says what it does.
pub fn button<A: Component>(fonts: &UiFonts, text: impl Into<String>, action: A) -> impl Bundle {
    (
        Name::new("Button"),
        Button,
        action,
        Node {
            padding: UiRect::axes(px(16), px(10)),
            border: UiRect::all(px(1)),
            border_radius: BorderRadius::all(px(8)),
            justify_content: JustifyContent::FlexStart,
            align_items: AlignItems::Center,
            ..default()
        },
        BorderColor::all(BORDER),
        BackgroundColor(BUTTON),
        children![label(fonts, text, 18.0, TEXT)],
    )
}

/// A horizontal bar filled to `fraction` (0–1) in `color`.
pub fn bar(fraction: f32, width: f32, color: Color) -> impl Bundle {
    (
        Name::new("Bar"),
        Node { width: px(width), height: px(12), border_radius: BorderRadius::all(px(6)), ..default() },
        BackgroundColor(PANEL_LIGHT),
        children![(
            Node {
                width: percent(100.0 * fraction.clamp(0.0, 1.0)),
                height: percent(100),
                border_radius: BorderRadius::all(px(6)),
                ..default()
            },
            BackgroundColor(color),
        )],
    )
}

/// Colours buttons as the mouse hovers and presses them.
pub(crate) fn button_feedback(
    mut buttons: Query<(&Interaction, &mut BackgroundColor), (Changed<Interaction>, With<Button>)>,
) {
    for (interaction, mut bg) in &mut buttons {
        bg.0 = match interaction {
            Interaction::Pressed => BUTTON_PRESSED,
            Interaction::Hovered => BUTTON_HOVER,
            Interaction::None => BUTTON,
        };
    }
}

/// A score's colour: green when it passes, amber when close, red otherwise.
pub fn score_color(score: u32, pass_mark: u32) -> Color {
    if score >= pass_mark {
        GOOD
    } else if score + 15 >= pass_mark {
        WARN
    } else {
        BAD
    }
}

/// A column that fills the space left and scrolls (mouse wheel, Page Up / Page Down).
pub fn scroll_list(row_gap: f32) -> impl Bundle {
    (
        Scrollable,
        Node {
            flex_direction: FlexDirection::Column,
            row_gap: px(row_gap),
            flex_grow: 1.0,
            min_height: px(0),
            overflow: Overflow::scroll_y(),
            ..default()
        },
    )
}

/// A node whose content scrolls with the mouse wheel and Page Up / Page Down.
#[derive(Component, Debug, Default)]
pub struct Scrollable;

/// Scrolls every `Scrollable` on screen.
pub(crate) fn scroll(
    mut wheel: MessageReader<bevy::input::mouse::MouseWheel>,
    keys: Option<Res<ButtonInput<KeyCode>>>,
    mut lists: Query<(&mut ScrollPosition, &ComputedNode), With<Scrollable>>,
) {
    let mut dy = 0.0;
    for ev in wheel.read() {
        dy -= match ev.unit {
            bevy::input::mouse::MouseScrollUnit::Line => ev.y * 28.0,
            bevy::input::mouse::MouseScrollUnit::Pixel => ev.y,
        };
    }
    if let Some(keys) = keys {
        if keys.just_pressed(KeyCode::PageDown) {
            dy += 300.0;
        }
        if keys.just_pressed(KeyCode::PageUp) {
            dy -= 300.0;
        }
    }
    if dy == 0.0 {
        return;
    }
    for (mut pos, node) in &mut lists {
        let max = ((node.content_size() - node.size()) * node.inverse_scale_factor()).max(Vec2::ZERO);
        pos.y = (pos.y.min(max.y) + dy).clamp(0.0, max.y);
    }
}
