//! The script screen: the whole script (регламент) of the trainee's role in the interface language, stage by stage, to read before the first call.

use super::super::text::{Strings, strings};
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, Scenarios, Screen, Session};
use crate::domain::feedback::Lang;
use crate::domain::model::Role;
use crate::domain::sheet::{self, PieceKind, ScriptSheet, StageSheet};
use crate::domain::{Library, model::Forbidden};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Script), spawn).add_systems(
        Update,
        (super::global_keys, rebuild_on_change, keys, buttons, arrows_scroll)
            .chain()
            .in_set(AppSystems::Update)
            .run_if(in_state(Screen::Script)),
    );
}

/// The Back button.
#[derive(Component, Debug, Clone, Copy)]
struct BackButton;

/// The list of stages, scrolled by the arrow keys too.
#[derive(Component, Debug, Clone, Copy)]
struct StageList;

/// The sheets to show for a role: in the interface language, else in the other one, else in any
/// language the role has; and whether that is not the interface language.
pub(crate) fn sheets_for(lib: &Library, role: Role, lang: Lang) -> (Vec<ScriptSheet>, bool) {
    let other = match lang {
        Lang::En => Lang::Ru,
        Lang::Ru => Lang::En,
    };
    let own = sheet::sheets(lib, role, lang.code());
    if !own.is_empty() {
        return (own, false);
    }
    let mut tried = vec![lang.code().to_owned()];
    for code in std::iter::once(other.code().to_owned()).chain(sheet::languages(lib, role)) {
        if tried.contains(&code) {
            continue;
        }
        let found = sheet::sheets(lib, role, &code);
        if !found.is_empty() {
            return (found, true);
        }
        tried.push(code);
    }
    (Vec::new(), false)
}

const TEXT_SIZE: f32 = 17.0;
const SMALL: f32 = 14.0;

fn spawn(mut commands: Commands, fonts: Res<UiFonts>, session: Res<Session>, scenarios: Res<Scenarios>) {
    let s = strings(session.lang);
    let Some(trainee) = session.trainee.clone() else { return };
    let (sheets, fallback) = sheets_for(&scenarios.lib, trainee.role, session.lang);
    let root = commands.spawn((widgets::screen_root("Script screen"), DespawnOnExit(Screen::Script))).id();
    commands.entity(root).with_children(|p| {
        p.spawn(widgets::heading(&fonts, format!("{}: {}", s.script_title, s.role(trainee.role)), 28.0));
        if sheets.is_empty() {
            p.spawn(widgets::label(&fonts, s.script_none, TEXT_SIZE, palette::WARN));
        }
        if fallback {
            p.spawn(widgets::label(&fonts, s.script_fallback, SMALL, palette::WARN));
        }
        legend(p, &fonts, s);
        p.spawn((Name::new("Stage list"), StageList, widgets::scroll_list(10.0))).with_children(|list| {
            for sheet in &sheets {
                script(list, &fonts, s, sheet);
            }
        });
        p.spawn(Node { column_gap: px(16), align_items: AlignItems::Center, ..default() }).with_children(|row| {
            row.spawn(widgets::button(&fonts, format!("Esc  {}", s.back), BackButton));
            row.spawn(widgets::label(&fonts, s.script_keys, 15.0, palette::TEXT_DIM));
        });
    });
}

/// What the colours and marks mean.
fn legend(p: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings) {
    p.spawn(widgets::label(fonts, "", SMALL, palette::TEXT_DIM)).with_children(|t| {
        t.spawn(widgets::span(fonts, s.script_highlighted, SMALL, palette::WARN, true));
        t.spawn(widgets::span(fonts, format!(" — {} · ", s.script_must_hint), SMALL, palette::TEXT_DIM, false));
        t.spawn(widgets::span(fonts, format!("★ {}", s.script_critical), SMALL, palette::BAD, true));
        t.spawn(widgets::span(fonts, format!(" — {}", s.script_critical_hint), SMALL, palette::TEXT_DIM, false));
    });
}

/// One script: its title and receipt, a panel per stage, and the phrases never to say.
fn script(list: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, sheet: &ScriptSheet) {
    list.spawn(widgets::heading(fonts, sheet.title.clone(), 21.0));
    let used = if sheet.scenarios.is_empty() {
        s.script_no_scenarios.to_owned()
    } else {
        format!("{}: {}", s.script_scenarios, sheet.scenarios.len())
    };
    list.spawn(widgets::label(
        fonts,
        format!("{} · v{} · {} · {used}", sheet.id, sheet.version, sheet.language),
        13.0,
        palette::TEXT_DIM,
    ));
    for st in &sheet.stages {
        stage(list, fonts, s, st);
    }
    if !sheet.forbidden.is_empty() {
        list.spawn(widgets::panel("Forbidden phrases", Val::Auto))
            .insert(panel_node())
            .with_children(|panel| forbidden(panel, fonts, s, &sheet.forbidden));
    }
}

/// A panel's layout that never shrinks in the scrolling list.
fn panel_node() -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        padding: UiRect::all(px(12)),
        row_gap: px(6),
        border_radius: BorderRadius::all(px(10)),
        flex_shrink: 0.0,
        ..default()
    }
}

fn stage(list: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, st: &StageSheet) {
    // A stripe down the left: red for a critical stage.
    let stripe = if st.critical { palette::BAD } else { palette::ACCENT_DARK };
    list.spawn(widgets::panel("Stage", Val::Auto))
        .insert((BorderColor::all(stripe), Node { border: UiRect::left(px(4)), ..panel_node() }))
        .with_children(|card| {
            card.spawn(widgets::heading(fonts, format!("{}. {}", st.number, st.title), 18.0)).with_children(|t| {
                t.spawn(widgets::span(
                    fonts,
                    format!("   {} {} ({:.0}%)", s.script_weight, st.weight, st.share * 100.0),
                    SMALL,
                    palette::TEXT_DIM,
                    false,
                ));
                if st.critical {
                    t.spawn(widgets::span(fonts, format!("   ★ {}", s.script_critical), SMALL, palette::BAD, true));
                }
            });
            card.spawn(widgets::label(fonts, "“", TEXT_SIZE, palette::TEXT)).with_children(|t| {
                for piece in st.pieces() {
                    let (color, bold) = match piece.kind {
                        PieceKind::Plain => (palette::TEXT, false),
                        PieceKind::MustMention => (palette::WARN, true),
                        PieceKind::Placeholder => (palette::ACCENT, false),
                    };
                    t.spawn(widgets::span(fonts, piece.text.to_owned(), TEXT_SIZE, color, bold));
                }
                t.spawn(widgets::span(fonts, "”", TEXT_SIZE, palette::TEXT, false));
            });
            if !st.mentions.is_empty() {
                let phrases: Vec<String> = st.mentions.iter().map(|m| format!("«{}»", m.phrase)).collect();
                card.spawn(widgets::label(
                    fonts,
                    format!("{}: {}", s.script_must, phrases.join(", ")),
                    SMALL,
                    palette::TEXT_DIM,
                ));
            }
            if !st.not_in_line.is_empty() {
                let phrases: Vec<String> = st.not_in_line.iter().map(|p| format!("«{p}»")).collect();
                card.spawn(widgets::label(
                    fonts,
                    format!("{}: {}", s.script_not_in_line, phrases.join(", ")),
                    SMALL,
                    palette::WARN,
                ));
            }
            for v in &st.variants {
                card.spawn(widgets::label(fonts, format!("{}: “{v}”", s.script_variants), SMALL, palette::TEXT_DIM));
            }
        });
}

fn forbidden(panel: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, phrases: &[Forbidden]) {
    panel.spawn(widgets::heading(fonts, s.script_forbidden, 17.0));
    for f in phrases {
        panel.spawn(widgets::label(fonts, format!("«{}»", f.phrase), 15.0, palette::TEXT)).with_children(|t| {
            t.spawn(widgets::span(
                fonts,
                format!("   −{} {}", f.penalty, s.script_points),
                SMALL,
                palette::TEXT_DIM,
                false,
            ));
            if f.critical {
                t.spawn(widgets::span(fonts, format!("   ★ {}", s.script_critical), SMALL, palette::BAD, true));
            }
        });
    }
}

/// Shows the screen again when the library is reloaded or the language changes.
fn rebuild_on_change(
    scenarios: Res<Scenarios>,
    session: Res<Session>,
    mut last: Local<Option<(u64, Lang)>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let now = (scenarios.generation, session.lang);
    if last.is_some_and(|l| l != now) {
        next.set(Screen::Script);
    }
    *last = Some(now);
}

fn keys(keys: Res<ButtonInput<KeyCode>>, mut next: ResMut<NextState<Screen>>) {
    if keys.just_pressed(KeyCode::Escape) || keys.just_pressed(KeyCode::Backspace) {
        next.set(Screen::Home);
    }
}

fn buttons(q: Query<&Interaction, (Changed<Interaction>, With<BackButton>)>, mut next: ResMut<NextState<Screen>>) {
    if q.iter().any(|i| *i == Interaction::Pressed) {
        next.set(Screen::Home);
    }
}

/// The arrow keys scroll the list a few lines (Page Up / Page Down and the wheel scroll it too).
fn arrows_scroll(
    keys: Res<ButtonInput<KeyCode>>,
    mut lists: Query<(&mut ScrollPosition, &ComputedNode), With<StageList>>,
) {
    let dy = if keys.pressed(KeyCode::ArrowDown) {
        12.0
    } else if keys.pressed(KeyCode::ArrowUp) {
        -12.0
    } else {
        return;
    };
    for (mut pos, node) in &mut lists {
        let max = ((node.content_size() - node.size()) * node.inverse_scale_factor()).max(Vec2::ZERO);
        pos.y = (pos.y.min(max.y) + dy).clamp(0.0, max.y);
    }
}
