//! The trainee's own progress (M on the home screen): their calls' scores over time on a labelled chart, and each script stage's strength now with its trend.

use super::super::text::{Strings, strings};
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, RecordsRes, Scenarios, Screen, Session};
use crate::domain::progress::{self, ScorePoint, StageStrength, Trend};
use crate::domain::time::format_minute;
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::MyProgress), spawn).add_systems(
        Update,
        (super::global_keys, relabel_on_language, keys)
            .chain()
            .in_set(AppSystems::Update)
            .run_if(in_state(Screen::MyProgress)),
    );
}

/// What the screen shows, kept for tests: the chart's calls and the stages' strengths.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct Shown {
    pub calls: Vec<ScorePoint>,
    pub stages: Vec<StageStrength>,
}

/// The chart's height in pixels.
const CHART: f32 = 200.0;

fn spawn(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    session: Res<Session>,
    records: Res<RecordsRes>,
    scenarios: Res<Scenarios>,
) {
    let s = strings(session.lang);
    let Some(trainee) = session.trainee.clone() else { return };
    let Some(facts) = super::home::trainee_facts(&records, &scenarios, &session) else { return };
    let now = records.with(|r| r.now()).unwrap_or(0);
    let reviews = trainee.id.and_then(|id| records.with(|r| r.stage_reviews(id).ok())).flatten().unwrap_or_default();
    let shown = Shown {
        calls: progress::score_points(&facts.runs, &scenarios.lib),
        stages: progress::strengths(&scenarios.lib, trainee.role, &facts.language, &reviews, now),
    };
    let root = commands.spawn((widgets::screen_root("My progress"), DespawnOnExit(Screen::MyProgress))).id();
    commands.entity(root).with_children(|p| {
        p.spawn(widgets::heading(fonts.as_ref(), format!("{} — {}", s.progress_title, trainee.name), 28.0));
        p.spawn(Node { column_gap: px(16), align_items: AlignItems::FlexStart, ..default() }).with_children(|row| {
            row.spawn(widgets::panel("Score chart", px(640)))
                .with_children(|c| score_chart(c, &fonts, s, &shown.calls));
            row.spawn(widgets::panel("Stage strength", px(580)))
                .with_children(|c| stage_chart(c, &fonts, s, &shown.stages));
        });
        if records.records.is_none() {
            p.spawn(widgets::label(&fonts, s.progress_no_records, 15.0, palette::WARN));
        }
        p.spawn(widgets::label(&fonts, s.progress_keys, 15.0, palette::TEXT_DIM));
    });
    commands.insert_resource(shown);
}

/// A bar per call (green when it reached its pass mark), on a 0–100 scale with the pass mark most
/// calls have as a line, and the dates of the first, middle and last call beneath.
fn score_chart(c: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, calls: &[ScorePoint]) {
    c.spawn(widgets::heading(fonts, s.progress_scores, 18.0));
    if calls.is_empty() {
        c.spawn(widgets::label(fonts, s.progress_no_calls, 15.0, palette::TEXT_DIM));
        return;
    }
    let width = 540.0;
    let bar = ((width - 2.0 * calls.len() as f32) / calls.len() as f32).clamp(3.0, 24.0);
    c.spawn(widgets::label(fonts, s.progress_axis_score, 12.0, palette::TEXT_DIM));
    c.spawn(Node { column_gap: px(6), ..default() }).with_children(|plot| {
        plot.spawn(Node {
            height: px(CHART),
            width: px(30),
            flex_direction: FlexDirection::Column,
            justify_content: JustifyContent::SpaceBetween,
            align_items: AlignItems::FlexEnd,
            ..default()
        })
        .with_children(|axis| {
            for v in ["100", "75", "50", "25", "0"] {
                axis.spawn(widgets::label(fonts, v, 11.0, palette::TEXT_DIM));
            }
        });
        plot.spawn((
            Node {
                height: px(CHART),
                width: px(width),
                align_items: AlignItems::FlexEnd,
                column_gap: px(2),
                border: UiRect { left: px(1), bottom: px(1), ..default() },
                ..default()
            },
            BorderColor::all(palette::TEXT_DIM),
        ))
        .with_children(|bars| {
            // The pass mark most of the calls have, as a thin line across the chart.
            bars.spawn((
                Node {
                    position_type: PositionType::Absolute,
                    left: px(0),
                    right: px(0),
                    bottom: percent(progress::usual_pass_mark(calls) as f32),
                    height: px(1),
                    ..default()
                },
                BackgroundColor(palette::WARN),
            ));
            for p in calls {
                bars.spawn((
                    Node { width: px(bar), height: percent(f32::max(p.score as f32, 1.5)), ..default() },
                    BackgroundColor(if p.passed { palette::GOOD } else { palette::BAD }),
                ));
            }
        });
    });
    let day = |t: i64| format_minute(t).chars().take(10).collect::<String>();
    let (first, last) = (calls[0].at, calls[calls.len() - 1].at);
    c.spawn(Node {
        width: px(width + 36.0),
        justify_content: JustifyContent::SpaceBetween,
        padding: UiRect::left(px(36)),
        ..default()
    })
    .with_children(|dates| {
        dates.spawn(widgets::label(fonts, day(first), 12.0, palette::TEXT_DIM));
        if calls.len() > 2 {
            dates.spawn(widgets::label(fonts, day(calls[calls.len() / 2].at), 12.0, palette::TEXT_DIM));
        }
        dates.spawn(widgets::label(fonts, day(last), 12.0, palette::TEXT_DIM));
    });
    c.spawn(widgets::label(
        fonts,
        s.progress_axis_calls
            .replace("{n}", &calls.len().to_string())
            .replace("{pass}", &progress::usual_pass_mark(calls).to_string()),
        12.0,
        palette::TEXT_DIM,
    ));
}

/// Each stage met: its whole name (wrapped), its strength on a 0–100% bar and its trend.
fn stage_chart(c: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, stages: &[StageStrength]) {
    c.spawn(widgets::heading(fonts, s.progress_stages, 18.0));
    if stages.is_empty() {
        c.spawn(widgets::label(fonts, s.progress_no_stages, 15.0, palette::TEXT_DIM));
        return;
    }
    c.spawn(Node { column_gap: px(8), ..default() }).with_children(|scale| {
        scale.spawn(Node { width: px(240), ..default() });
        scale.spawn(Node { width: px(180), justify_content: JustifyContent::SpaceBetween, ..default() }).with_children(
            |ticks| {
                for t in ["0%", "50%", "100%"] {
                    ticks.spawn(widgets::label(fonts, t, 11.0, palette::TEXT_DIM));
                }
            },
        );
    });
    for st in stages.iter().take(11) {
        let color = if st.strength >= 0.85 {
            palette::GOOD
        } else if st.strength >= 0.6 {
            palette::WARN
        } else {
            palette::BAD
        };
        let trend_color = match st.trend {
            Trend::Up => palette::GOOD,
            Trend::Down => palette::BAD,
            Trend::Steady | Trend::New => palette::TEXT_DIM,
        };
        c.spawn(Node { column_gap: px(8), align_items: AlignItems::Center, ..default() }).with_children(|r| {
            r.spawn(Node { width: px(240), ..default() }).with_children(|name| {
                name.spawn(widgets::label(fonts, st.title.clone(), 13.0, palette::TEXT));
            });
            r.spawn(widgets::bar(st.strength as f32, 180.0, color));
            r.spawn(widgets::label(fonts, format!("{:.0}%", st.strength * 100.0), 13.0, palette::TEXT_DIM));
            r.spawn(widgets::label(fonts, st.trend.arrow(), 16.0, trend_color));
        });
    }
    if stages.len() > 11 {
        c.spawn(widgets::label(
            fonts,
            s.home_assigned_more.replace("{n}", &(stages.len() - 11).to_string()),
            12.0,
            palette::TEXT_DIM,
        ));
    }
    c.spawn(widgets::label(fonts, s.progress_legend, 12.0, palette::TEXT_DIM));
}

/// F2 rebuilds the screen in the other language.
fn relabel_on_language(
    session: Res<Session>,
    mut last: Local<Option<crate::domain::feedback::Lang>>,
    mut next: ResMut<NextState<Screen>>,
) {
    if last.is_some_and(|l| l != session.lang) {
        next.set(Screen::MyProgress);
    }
    *last = Some(session.lang);
}

fn keys(keys: Res<ButtonInput<KeyCode>>, mut next: ResMut<NextState<Screen>>) {
    if keys.just_pressed(KeyCode::Escape) {
        next.set(Screen::Home);
    }
}
