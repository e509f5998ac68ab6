//! A trainee's page: their rung and progress, a score chart, stage strengths and their runs;
//! moving through the runs only repaints the list, and a refusal only rewrites its line.

use super::{ManagerView, OpenTrainee, Team, ViewData, cell, heat, latest, set_status, status_line};
use crate::app::screens::{enter_pressed, move_selection};
use crate::app::text::{Strings, strings};
use crate::app::theme::{UiFonts, palette, widgets};
use crate::app::{AppSystems, Scenarios, Session};
use crate::domain::Library;
use crate::report::{TeamReport, TraineeSummary};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(ManagerView::Trainee), spawn).add_systems(
        Update,
        (keys, approve_click, show_changes).chain().in_set(AppSystems::Update).run_if(in_state(ManagerView::Trainee)),
    );
}

/// The "Approve promotion" button.
#[derive(Component, Debug, Clone, Copy)]
struct ApproveButton;

/// The line with the last word on the page.
#[derive(Component, Debug)]
struct PageMessage;

/// A row of the run list: its place in `latest`.
#[derive(Component, Debug, Clone, Copy)]
struct RunLine(usize);

fn spawn(mut commands: Commands, view: ViewData, scenarios: Res<Scenarios>) {
    let (s, fonts) = (view.strings(), &view.fonts);
    let mut root = view.root(&mut commands, "Manager trainee", ManagerView::Trainee);
    let (Some(team), Some(open), Some(t)) = (&view.team, &view.open, view.trainee()) else { return };
    root.with_children(|p| {
        p.spawn(widgets::heading(fonts, format!("{} — {}", t.trainee.name, s.role(t.trainee.role)), 26.0));
        progress(p, fonts, s, t);
        assignments(p, fonts, s, t, &scenarios.lib);
        p.spawn((PageMessage, status_line(fonts, open.message.as_deref().unwrap_or_default(), palette::WARN)));
        p.spawn(Node { column_gap: px(20), ..default() })
            .with_children(|row| charts(row, fonts, s, &team.0, t, &scenarios.lib));
        p.spawn(widgets::heading(fonts, s.manager_runs, 16.0));
        p.spawn(widgets::scroll_list(2.0)).with_children(|list| {
            for (i, r) in latest(t).iter().enumerate() {
                let bg = if i == open.run { palette::SELECTED } else { palette::PANEL };
                list.spawn((
                    RunLine(i),
                    Node { column_gap: px(12), padding: UiRect::axes(px(6), px(4)), flex_shrink: 0.0, ..default() },
                    BackgroundColor(bg),
                ))
                .with_children(|row| {
                    let score_color = if r.passed { palette::GOOD } else { palette::BAD };
                    row.spawn(cell(fonts, crate::domain::time::format_minute(r.played_at), 170.0, palette::TEXT_DIM));
                    row.spawn(cell(fonts, r.scenario.clone(), 330.0, palette::TEXT));
                    row.spawn(cell(fonts, s.mode(r.mode), 130.0, palette::TEXT));
                    row.spawn(cell(fonts, r.score.to_string(), 60.0, score_color));
                    row.spawn(cell(fonts, r.label.clone(), 360.0, palette::TEXT_DIM));
                });
            }
        });
        p.spawn(widgets::label(fonts, s.manager_trainee_keys, 14.0, palette::TEXT_DIM));
    });
}

/// Where the trainee stands toward the next rung, with the approve button once eligible.
fn progress(p: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, t: &TraineeSummary) {
    let Some(e) = &t.eligibility else { return };
    let (line, color) = match e.next {
        Some(next) if e.eligible => {
            (format!("{} {} · {}", s.manager_eligible_for, s.role(next), s.manager_approve_hint), palette::GOOD)
        }
        Some(next) => (
            format!(
                "{} {}: {} {}/{}, {} {}/{}",
                s.home_next,
                s.role(next),
                s.home_practice_runs,
                e.practice_runs,
                e.practice_needed,
                s.home_exams,
                e.exams.iter().filter(|x| x.passed).count(),
                e.exams.len()
            ),
            palette::TEXT_DIM,
        ),
        None => (s.home_top.to_owned(), palette::TEXT_DIM),
    };
    p.spawn(widgets::label(fonts, line, 15.0, color));
    if e.eligible {
        p.spawn(Node::default()).with_children(|row| {
            row.spawn(widgets::button(fonts, format!("A  {}", s.manager_approve_button), ApproveButton));
        });
    }
}

/// The trainee's assignments, open and overdue first: at most three lines, and how many more.
fn assignments(p: &mut ChildSpawnerCommands, fonts: &UiFonts, s: &Strings, t: &TraineeSummary, lib: &Library) {
    use crate::domain::assign::State;
    let open = t.assignments.iter().filter(|a| a.progress.state != State::Done).count();
    p.spawn(widgets::label(
        fonts,
        format!("{}: {} / {}", s.manager_assignments, t.assignments.len() - open, t.assignments.len()),
        15.0,
        palette::TEXT_DIM,
    ));
    if t.assignments.is_empty() {
        p.spawn(widgets::label(fonts, s.manager_no_assignments, 14.0, palette::TEXT_DIM));
    }
    for item in t.assignments.iter().take(3) {
        let (line, color) = crate::app::screens::assigned::line(lib, s, &t.language, t.trainee.role, item);
        p.spawn(widgets::label(fonts, format!("  #{} {line}", item.assignment.id), 14.0, color));
    }
    if t.assignments.len() > 3 {
        p.spawn(widgets::label(
            fonts,
            s.home_assigned_more.replace("{n}", &(t.assignments.len() - 3).to_string()),
            13.0,
            palette::TEXT_DIM,
        ));
    }
}

/// The score over time (a bar per call, the latest 60, green when passed, on a 0–100 scale with
/// the dates of the first and last call beneath) and the strength per script stage (names wrap at
/// word boundaries). An empty chart says why.
fn charts(
    row: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    s: &Strings,
    team: &TeamReport,
    t: &TraineeSummary,
    lib: &Library,
) {
    row.spawn(widgets::panel("Score chart", px(560))).with_children(|c| {
        c.spawn(widgets::heading(fonts, s.manager_scores, 16.0));
        let start = t.runs.len().saturating_sub(60);
        let shown = &t.runs[start..];
        if shown.is_empty() {
            c.spawn(widgets::label(fonts, s.manager_no_calls, 14.0, palette::TEXT_DIM));
            return;
        }
        c.spawn(Node { column_gap: px(6), ..default() }).with_children(|plot| {
            // The scale: 100 at the top, 50 in the middle, 0 at the bottom.
            plot.spawn(Node {
                height: px(120),
                width: px(28),
                flex_direction: FlexDirection::Column,
                justify_content: JustifyContent::SpaceBetween,
                align_items: AlignItems::FlexEnd,
                ..default()
            })
            .with_children(|axis| {
                for v in ["100", "50", "0"] {
                    axis.spawn(widgets::label(fonts, v, 11.0, palette::TEXT_DIM));
                }
            });
            plot.spawn((
                Node {
                    height: px(120),
                    align_items: AlignItems::FlexEnd,
                    column_gap: px(2),
                    border: UiRect { left: px(1), bottom: px(1), ..default() },
                    ..default()
                },
                BorderColor::all(palette::TEXT_DIM),
            ))
            .with_children(|bars| {
                for r in shown {
                    bars.spawn((
                        Node { width: px(6), height: percent(f32::max(r.score as f32, 2.0)), ..default() },
                        BackgroundColor(if r.passed { palette::GOOD } else { palette::BAD }),
                    ));
                }
            });
        });
        let (first, last) = (shown[0].played_at, shown[shown.len() - 1].played_at);
        c.spawn(widgets::label(
            fonts,
            format!(
                "{} {} → {} (UTC) · {} {}",
                s.manager_calls_axis,
                crate::domain::time::format_minute(first).chars().take(10).collect::<String>(),
                crate::domain::time::format_minute(last).chars().take(10).collect::<String>(),
                shown.len(),
                s.manager_drills_aside.replace("{n}", &t.drills.to_string())
            ),
            12.0,
            palette::TEXT_DIM,
        ));
    });
    row.spawn(widgets::panel("Stage strength", px(520))).with_children(|c| {
        c.spawn(widgets::heading(fonts, s.manager_strength, 16.0));
        let strengths: Vec<_> = team
            .stages
            .iter()
            .filter_map(|col| Some((col, team.heat.get(&(t.trainee.id, col.key.clone()))?.0)))
            .take(6)
            .collect();
        if strengths.is_empty() {
            c.spawn(widgets::label(fonts, s.manager_no_stages, 14.0, palette::TEXT_DIM));
        }
        for (col, q) in strengths {
            c.spawn(Node { column_gap: px(8), align_items: AlignItems::Center, ..default() }).with_children(|r| {
                // The whole name, in the trainee's language (a stage is the same stage in every
                // language), wrapped at word boundaries within its column.
                let key = crate::domain::schedule::StageKey { role: col.role, stage: stage_id(&col.key).to_owned() };
                let title = crate::domain::drill::stage_title(lib, &key, &t.language);
                r.spawn(Node { width: px(270), ..default() }).with_children(|name| {
                    name.spawn(widgets::label(fonts, title, 13.0, palette::TEXT));
                });
                r.spawn(widgets::bar(q as f32, 160.0, heat(q)));
                r.spawn(widgets::label(fonts, format!("{:.0}%", q * 100.0), 13.0, palette::TEXT_DIM));
            });
        }
    });
}

/// The stage id of a heatmap column's key (`role/stage`).
fn stage_id(key: &str) -> &str {
    key.rsplit_once('/').map_or(key, |(_, stage)| stage)
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    team: Option<Res<Team>>,
    open: Option<ResMut<OpenTrainee>>,
    session: Res<Session>,
    mut view: ResMut<NextState<ManagerView>>,
) {
    let (Some(team), Some(mut open)) = (team, open) else { return };
    let trainee = team.0.trainees.get(open.index);
    let runs = trainee.map_or(0, |t| latest(t).len());
    let mut run = open.run;
    if keys.just_pressed(KeyCode::Escape) {
        view.set(ManagerView::Table);
    } else if move_selection(&keys, &mut run, runs) {
        open.run = run;
    } else if enter_pressed(&keys) && runs > 0 {
        view.set(ManagerView::Transcript);
    } else if keys.just_pressed(KeyCode::KeyN) {
        if trainee.is_some() {
            view.set(ManagerView::Assign);
        }
    } else if keys.just_pressed(KeyCode::KeyA) {
        if trainee.is_some_and(TraineeSummary::eligible) {
            view.set(ManagerView::Approve);
        } else {
            open.message = Some(strings(session.lang).manager_not_eligible.to_owned());
        }
    }
}

fn approve_click(
    approve: Query<&Interaction, (Changed<Interaction>, With<ApproveButton>)>,
    mut view: ResMut<NextState<ManagerView>>,
) {
    if approve.iter().any(|i| *i == Interaction::Pressed) {
        view.set(ManagerView::Approve);
    }
}

/// Repaints the chosen run and rewrites the message line.
fn show_changes(
    open: Option<Res<OpenTrainee>>,
    mut rows: Query<(&RunLine, &mut BackgroundColor)>,
    mut message: Query<(&mut Text, &mut Node), With<PageMessage>>,
) {
    let Some(open) = open.filter(|o| o.is_changed()) else { return };
    for (row, mut bg) in &mut rows {
        bg.0 = if row.0 == open.run { palette::SELECTED } else { palette::PANEL };
    }
    for (mut text, mut node) in &mut message {
        set_status(&mut text, &mut node, open.message.as_deref().unwrap_or_default());
    }
}
