//! The manager's screens, behind a manager login: the team table, a page per trainee with a
//! score chart, stage strengths and run transcripts, the team heatmap, and promotion approval.
//!
//! They show the same `report::team` data as the HTML report and promote through the same
//! records functions as the command line.

use super::super::input::{TextField, password_field, text_field};
use super::super::text::strings;
use super::super::theme::{UiFonts, palette, widgets};
use super::super::{AppSystems, RecordsRes, Scenarios, Screen, Session};
use super::{enter_pressed, move_selection};
use crate::domain::Score;
use crate::domain::time::format_time;
use crate::records::{RunRow, RungChange, TraineeRef};
use crate::report::{TeamReport, TraineeSummary};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<View>()
        .add_systems(OnEnter(Screen::ManagerLogin), spawn_login)
        .add_systems(Update, login_keys.in_set(AppSystems::Update).run_if(in_state(Screen::ManagerLogin)))
        .add_systems(OnEnter(Screen::Manager), (load_team, spawn_view).chain())
        .add_systems(OnExit(Screen::Manager), |mut c: Commands| c.remove_resource::<Team>())
        .add_systems(
            Update,
            (manager_keys, header_clicks, spawn_view.run_if(resource_exists_and_changed::<View>))
                .chain()
                .in_set(AppSystems::Update)
                .run_if(in_state(Screen::Manager)),
        );
}

/// The manager who logged in.
#[derive(Resource, Debug, Clone)]
pub struct ManagerSession {
    pub username: String,
}

/// The team data the screens show.
#[derive(Resource, Debug)]
struct Team(TeamReport);

/// Columns of the team table, in order; the sort key cycles through them.
const COLUMNS: usize = 7;

/// What the manager is looking at.
#[derive(Resource, Debug, Clone, PartialEq)]
enum View {
    Table { selected: usize, sort: usize, descending: bool },
    Heatmap,
    Trainee { index: usize, run: usize, message: Option<String> },
    Transcript { index: usize, run_id: i64 },
    Approve { index: usize },
}

impl Default for View {
    fn default() -> Self {
        View::Table { selected: 0, sort: 0, descending: false }
    }
}

#[derive(Component, Debug)]
struct ManagerRoot;

#[derive(Component, Debug)]
struct LoginMessage;

#[derive(Component, Debug, Clone, Copy)]
struct SortHeader(usize);

/// The trainee page's "Approve promotion" button.
#[derive(Component, Debug, Clone, Copy)]
struct ApproveButton;

fn spawn_login(mut commands: Commands, fonts: Res<UiFonts>, session: Res<Session>) {
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

#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
enum LoginField {
    User,
    Password,
}

fn login_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut fields: Query<(&LoginField, &mut TextField)>,
    mut message: Query<&mut Text, With<LoginMessage>>,
    records: Res<RecordsRes>,
    session: Res<Session>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    if keys.just_pressed(KeyCode::Escape) {
        next.set(Screen::Start);
        return;
    }
    if keys.just_pressed(KeyCode::Tab) || keys.just_pressed(KeyCode::ArrowDown) || keys.just_pressed(KeyCode::ArrowUp) {
        for (_, mut f) in &mut fields {
            f.focused = !f.focused;
        }
    }
    if !enter_pressed(&keys) {
        return;
    }
    let value = |which: LoginField| {
        fields.iter().find(|(w, _)| **w == which).map(|(_, f)| f.value.trim().to_owned()).unwrap_or_default()
    };
    let (user, password) = (value(LoginField::User), value(LoginField::Password));
    let s = strings(session.lang);
    let result = records.with(|r| r.authenticate(&user, &password).map_err(|e| e.to_string()));
    match result {
        Some(Ok(username)) => {
            commands.insert_resource(ManagerSession { username });
            next.set(Screen::Manager);
        }
        Some(Err(e)) => {
            for (w, mut f) in &mut fields {
                if *w == LoginField::Password {
                    f.value.clear();
                }
            }
            for mut t in &mut message {
                t.0 = format!("{}: {e}", s.manager_refused);
            }
        }
        None => {
            for mut t in &mut message {
                t.0 = records.error.clone().unwrap_or_default();
            }
        }
    }
}

fn load_team(mut commands: Commands, records: Res<RecordsRes>, scenarios: Res<Scenarios>) {
    let report = records.with(|r| crate::report::team(r, &scenarios.lib, None, None).ok()).flatten();
    commands.insert_resource(Team(report.unwrap_or(TeamReport {
        generated_at: 0,
        since: None,
        role: None,
        trainees: Vec::new(),
        stages: Vec::new(),
        heat: Default::default(),
        promotions: Vec::new(),
    })));
    commands.insert_resource(View::default());
}

/// The trainees in the table's current order.
fn sorted(team: &TeamReport, sort: usize, descending: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..team.trainees.len()).collect();
    let key = |t: &TraineeSummary| -> (i64, String) {
        match sort {
            1 => (t.trainee.role as i64, String::new()),
            2 => (i64::from(t.runs_this_week), String::new()),
            3 => ((t.average.unwrap_or(-1.0) * 10.0) as i64, String::new()),
            4 => (t.best.map_or(-1, i64::from), String::new()),
            5 => (t.last_activity.unwrap_or(0), String::new()),
            6 => (i64::from(t.eligible()), String::new()),
            _ => (0, t.trainee.name.to_lowercase()),
        }
    };
    order.sort_by(|&a, &b| key(&team.trainees[a]).cmp(&key(&team.trainees[b])));
    if descending {
        order.reverse();
    }
    order
}

fn cell(fonts: &UiFonts, text: impl Into<String>, width: f32, color: Color) -> impl Bundle {
    (
        Node { width: px(width), overflow: Overflow::clip(), ..default() },
        children![widgets::label(fonts, text, 15.0, color)],
    )
}

const WIDTHS: [f32; COLUMNS] = [260.0, 150.0, 120.0, 100.0, 80.0, 190.0, 150.0];

fn spawn_view(
    mut commands: Commands,
    view: Res<View>,
    team: Option<Res<Team>>,
    fonts: Res<UiFonts>,
    session: Res<Session>,
    manager: Option<Res<ManagerSession>>,
    records: Res<RecordsRes>,
    roots: Query<Entity, With<ManagerRoot>>,
) {
    let Some(team) = team else { return };
    let team = &team.0;
    for r in &roots {
        commands.entity(r).despawn();
    }
    let s = strings(session.lang);
    let who = manager.map(|m| m.username.clone()).unwrap_or_default();
    let root =
        commands.spawn((widgets::screen_root("Manager screen"), ManagerRoot, DespawnOnExit(Screen::Manager))).id();
    commands.entity(root).with_children(|p| {
        p.spawn(widgets::label(&fonts, format!("{} · {who}", s.manager_title), 14.0, palette::TEXT_DIM));
        match view.clone() {
            View::Table { selected, sort, descending } => {
                p.spawn(widgets::heading(&fonts, s.manager_team, 26.0));
                let headers = s.manager_columns;
                p.spawn(Node { column_gap: px(6), ..default() }).with_children(|row| {
                    for (i, h) in headers.iter().enumerate() {
                        let arrow = if i == sort { if descending { " ▼" } else { " ▲" } } else { "" };
                        row.spawn((
                            Button,
                            SortHeader(i),
                            Node { width: px(WIDTHS[i]), padding: UiRect::axes(px(4), px(4)), ..default() },
                            BackgroundColor(palette::PANEL_LIGHT),
                            children![widgets::label(&fonts, format!("{h}{arrow}"), 14.0, palette::ACCENT)],
                        ));
                    }
                });
                p.spawn(widgets::scroll_list(2.0)).with_children(|list| {
                    if team.trainees.is_empty() {
                        list.spawn(widgets::label(&fonts, s.manager_no_trainees, 16.0, palette::TEXT_DIM));
                    }
                    for (pos, &i) in sorted(team, sort, descending).iter().enumerate() {
                        let t = &team.trainees[i];
                        let bg = if pos == selected { palette::SELECTED } else { palette::PANEL };
                        list.spawn((
                            Node {
                                column_gap: px(6),
                                padding: UiRect::axes(px(4), px(6)),
                                flex_shrink: 0.0,
                                ..default()
                            },
                            BackgroundColor(bg),
                        ))
                        .with_children(|r| {
                            r.spawn(cell(&fonts, t.trainee.name.clone(), WIDTHS[0], palette::TEXT));
                            r.spawn(cell(&fonts, s.role(t.trainee.role), WIDTHS[1], palette::TEXT));
                            r.spawn(cell(&fonts, t.runs_this_week.to_string(), WIDTHS[2], palette::TEXT));
                            r.spawn(cell(
                                &fonts,
                                t.average.map_or("—".into(), |a| format!("{a:.1}")),
                                WIDTHS[3],
                                palette::TEXT,
                            ));
                            r.spawn(cell(
                                &fonts,
                                t.best.map_or("—".into(), |b| b.to_string()),
                                WIDTHS[4],
                                palette::TEXT,
                            ));
                            r.spawn(cell(
                                &fonts,
                                t.last_activity.map_or("—".into(), short_time),
                                WIDTHS[5],
                                palette::TEXT_DIM,
                            ));
                            let (e, c) = if t.eligible() {
                                (s.manager_yes, palette::GOOD)
                            } else {
                                (s.manager_no, palette::TEXT_DIM)
                            };
                            r.spawn(cell(&fonts, e, WIDTHS[6], c));
                        });
                    }
                });
                p.spawn(widgets::label(&fonts, s.manager_table_keys, 14.0, palette::TEXT_DIM));
            }
            View::Heatmap => {
                p.spawn(widgets::heading(&fonts, s.manager_heatmap, 26.0));
                let columns: Vec<_> = team.stages.iter().take(9).collect();
                p.spawn(Node { column_gap: px(4), ..default() }).with_children(|row| {
                    row.spawn(cell(&fonts, "", 200.0, palette::TEXT));
                    for c in &columns {
                        row.spawn((
                            Node { width: px(110), overflow: Overflow::clip(), ..default() },
                            children![widgets::label(
                                &fonts,
                                c.title.chars().take(40).collect::<String>(),
                                11.0,
                                palette::TEXT_DIM
                            )],
                        ));
                    }
                });
                for t in &team.trainees {
                    p.spawn(Node { column_gap: px(4), ..default() }).with_children(|row| {
                        row.spawn(cell(&fonts, t.trainee.name.clone(), 200.0, palette::TEXT));
                        for c in &columns {
                            let (text, color) = match team.heat.get(&(t.trainee.id, c.key.clone())) {
                                Some((q, _)) => (format!("{:.0}", q * 100.0), heat(*q)),
                                None => ("·".to_owned(), palette::PANEL),
                            };
                            row.spawn((
                                Node {
                                    width: px(110),
                                    height: px(26),
                                    justify_content: JustifyContent::Center,
                                    align_items: AlignItems::Center,
                                    ..default()
                                },
                                BackgroundColor(color),
                                children![widgets::label(&fonts, text, 14.0, palette::TEXT)],
                            ));
                        }
                    });
                }
                p.spawn(widgets::label(&fonts, s.manager_back_keys, 14.0, palette::TEXT_DIM));
            }
            View::Trainee { index, run, message } => {
                let Some(t) = team.trainees.get(index) else { return };
                trainee_page(p, &fonts, s, team, t, run, message.as_deref());
            }
            View::Transcript { index, run_id } => {
                let detail = records.with(|r| r.run_detail(run_id).ok()).flatten();
                let name = team.trainees.get(index).map(|t| t.trainee.name.clone()).unwrap_or_default();
                match detail {
                    Some((row, score, _)) => transcript(p, &fonts, s, &name, &row, &score),
                    None => {
                        p.spawn(widgets::label(&fonts, "—", 16.0, palette::TEXT_DIM));
                    }
                }
                p.spawn(widgets::label(&fonts, s.manager_back_keys, 14.0, palette::TEXT_DIM));
            }
            View::Approve { index } => {
                let Some(t) = team.trainees.get(index) else { return };
                let next = t.eligibility.as_ref().and_then(|e| e.next).map(|r| s.role(r)).unwrap_or("");
                p.spawn(widgets::heading(&fonts, format!("{} {} → {next}", s.manager_approve, t.trainee.name), 24.0));
                p.spawn(widgets::label(&fonts, s.manager_password, 16.0, palette::TEXT_DIM));
                p.spawn(password_field(&fonts, s.manager_password, 420.0, true));
                p.spawn(widgets::label(&fonts, s.manager_approve_keys, 14.0, palette::TEXT_DIM));
            }
        }
    });
}

fn short_time(t: i64) -> String {
    format_time(t).replace('T', " ").trim_end_matches('Z').chars().take(16).collect()
}

fn heat(q: f64) -> Color {
    if q >= 0.85 {
        palette::GOOD
    } else if q >= 0.6 {
        palette::WARN
    } else {
        palette::BAD
    }
}

fn trainee_page(
    p: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    s: &super::super::text::Strings,
    team: &TeamReport,
    t: &TraineeSummary,
    run: usize,
    message: Option<&str>,
) {
    p.spawn(widgets::heading(fonts, format!("{} — {}", t.trainee.name, s.role(t.trainee.role)), 26.0));
    if let Some(e) = &t.eligibility {
        let line = match e.next {
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
        p.spawn(widgets::label(fonts, line.0, 15.0, line.1));
        if e.eligible {
            p.spawn(Node::default()).with_children(|row| {
                row.spawn(widgets::button(fonts, format!("A  {}", s.manager_approve_button), ApproveButton));
            });
        }
    }
    if let Some(m) = message {
        p.spawn(widgets::label(fonts, m, 16.0, palette::WARN));
    }
    p.spawn(Node { column_gap: px(20), ..default() }).with_children(|row| {
        // Score over time: a bar per run (the latest 60), green when passed.
        row.spawn(widgets::panel("Score chart", px(560))).with_children(|c| {
            c.spawn(widgets::heading(fonts, s.manager_scores, 16.0));
            c.spawn(Node { height: px(120), align_items: AlignItems::FlexEnd, column_gap: px(2), ..default() })
                .with_children(|bars| {
                    let start = t.runs.len().saturating_sub(60);
                    for r in &t.runs[start..] {
                        bars.spawn((
                            Node { width: px(6), height: percent(f32::max(r.score as f32, 2.0)), ..default() },
                            BackgroundColor(if r.passed { palette::GOOD } else { palette::BAD }),
                        ));
                    }
                });
        });
        row.spawn(widgets::panel("Stage strength", px(520))).with_children(|c| {
            c.spawn(widgets::heading(fonts, s.manager_strength, 16.0));
            for col in team.stages.iter().filter(|c| team.heat.contains_key(&(t.trainee.id, c.key.clone()))).take(7) {
                let q = team.heat[&(t.trainee.id, col.key.clone())].0;
                c.spawn(Node { column_gap: px(8), align_items: AlignItems::Center, ..default() }).with_children(|r| {
                    r.spawn(cell(fonts, col.title.chars().take(34).collect::<String>(), 270.0, palette::TEXT));
                    r.spawn(widgets::bar(q as f32, 160.0, heat(q)));
                    r.spawn(widgets::label(fonts, format!("{:.0}", q * 100.0), 13.0, palette::TEXT_DIM));
                });
            }
        });
    });
    p.spawn(widgets::heading(fonts, s.manager_runs, 16.0));
    p.spawn(widgets::scroll_list(2.0)).with_children(|list| {
        for (i, r) in latest(t).iter().enumerate() {
            let bg = if i == run { palette::SELECTED } else { palette::PANEL };
            list.spawn((
                Node { column_gap: px(12), padding: UiRect::axes(px(6), px(4)), flex_shrink: 0.0, ..default() },
                BackgroundColor(bg),
            ))
            .with_children(|row| {
                row.spawn(cell(fonts, short_time(r.played_at), 170.0, palette::TEXT_DIM));
                row.spawn(cell(fonts, r.scenario.clone(), 330.0, palette::TEXT));
                row.spawn(cell(fonts, s.mode(r.mode), 130.0, palette::TEXT));
                row.spawn(cell(fonts, r.score.to_string(), 60.0, if r.passed { palette::GOOD } else { palette::BAD }));
                row.spawn(cell(fonts, r.label.clone(), 360.0, palette::TEXT_DIM));
            });
        }
    });
    p.spawn(widgets::label(fonts, s.manager_trainee_keys, 14.0, palette::TEXT_DIM));
}

/// A trainee's runs, newest first, as the page lists them.
fn latest(t: &TraineeSummary) -> Vec<&RunRow> {
    t.runs.iter().rev().take(40).collect()
}

fn transcript(
    p: &mut ChildSpawnerCommands,
    fonts: &UiFonts,
    s: &super::super::text::Strings,
    name: &str,
    row: &RunRow,
    score: &Score,
) {
    p.spawn(widgets::heading(
        fonts,
        format!("{name} — {} — {} ({})", row.scenario, score.score, s.mode(row.mode)),
        22.0,
    ));
    p.spawn(widgets::label(fonts, score.reason.clone(), 15.0, if score.passed { palette::GOOD } else { palette::BAD }));
    p.spawn(widgets::scroll_list(6.0)).with_children(|list| {
        for (i, t) in score.turns.iter().enumerate() {
            let (mark, color) = match t.q {
                Some(q) if t.hit => (format!("✓ {q:.2}"), palette::GOOD),
                Some(q) => (format!("✗ {q:.2}"), palette::BAD),
                None => ("·".to_owned(), palette::TEXT_DIM),
            };
            list.spawn(Node { flex_direction: FlexDirection::Column, flex_shrink: 0.0, ..default() }).with_children(
                |turn| {
                    turn.spawn(widgets::label(fonts, format!("{}. {}", i + 1, t.customer), 14.0, palette::TEXT_DIM));
                    if let Some(title) = &t.expected_title {
                        turn.spawn(widgets::label(fonts, format!("   {title}"), 13.0, palette::ACCENT));
                    }
                    turn.spawn(widgets::label(
                        fonts,
                        format!("   {}: “{}”", s.results_you, t.said),
                        15.0,
                        palette::TEXT,
                    ));
                    turn.spawn(widgets::label(fonts, format!("   {mark}  {}", t.feedback), 14.0, color));
                },
            );
        }
    });
}

#[allow(clippy::too_many_arguments)]
fn manager_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut view: ResMut<View>,
    team: Option<Res<Team>>,
    mut fields: Query<&mut TextField>,
    records: Res<RecordsRes>,
    scenarios: Res<Scenarios>,
    manager: Option<Res<ManagerSession>>,
    session: Res<Session>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(team) = team else { return };
    let s = strings(session.lang);
    let n = team.0.trainees.len();
    match view.clone() {
        View::Table { mut selected, sort, descending } => {
            if keys.just_pressed(KeyCode::Escape) {
                commands.remove_resource::<ManagerSession>();
                next.set(Screen::Start);
            } else if keys.just_pressed(KeyCode::KeyH) {
                *view = View::Heatmap;
            } else if keys.just_pressed(KeyCode::KeyS) {
                *view = View::Table { selected, sort: (sort + 1) % COLUMNS, descending };
            } else if keys.just_pressed(KeyCode::KeyR) {
                *view = View::Table { selected, sort, descending: !descending };
            } else if move_selection(&keys, &mut selected, n) {
                *view = View::Table { selected, sort, descending };
            } else if enter_pressed(&keys) && n > 0 {
                let index = sorted(&team.0, sort, descending)[selected.min(n - 1)];
                *view = View::Trainee { index, run: 0, message: None };
            }
        }
        View::Heatmap => {
            if keys.just_pressed(KeyCode::Escape) || keys.just_pressed(KeyCode::KeyH) {
                *view = View::default();
            }
        }
        View::Trainee { index, mut run, message } => {
            let runs = team.0.trainees.get(index).map_or(0, |t| latest(t).len());
            if keys.just_pressed(KeyCode::Escape) {
                *view = View::default();
            } else if move_selection(&keys, &mut run, runs) {
                *view = View::Trainee { index, run, message };
            } else if enter_pressed(&keys) && runs > 0 {
                if let Some(r) = team.0.trainees.get(index).and_then(|t| latest(t).get(run).map(|r| r.id)) {
                    *view = View::Transcript { index, run_id: r };
                }
            } else if keys.just_pressed(KeyCode::KeyA) {
                let eligible = team.0.trainees.get(index).is_some_and(TraineeSummary::eligible);
                *view = if eligible {
                    View::Approve { index }
                } else {
                    View::Trainee { index, run, message: Some(s.manager_not_eligible.to_owned()) }
                };
            }
        }
        View::Transcript { index, .. } => {
            if keys.just_pressed(KeyCode::Escape) {
                *view = View::Trainee { index, run: 0, message: None };
            }
        }
        View::Approve { index } => {
            if keys.just_pressed(KeyCode::Escape) {
                *view = View::Trainee { index, run: 0, message: None };
            } else if enter_pressed(&keys) {
                let password = fields.iter().next().map(|f| f.value.clone()).unwrap_or_default();
                for mut f in &mut fields {
                    f.value.clear();
                }
                let (Some(t), Some(m)) = (team.0.trainees.get(index), manager.as_ref()) else { return };
                let id = TraineeRef::Id(t.trainee.id);
                let outcome = records.with(|r| {
                    r.change_rung(RungChange::Promote, id, &m.username, &password, &scenarios.lib)
                        .map_err(|e| e.to_string())
                });
                let message = match outcome {
                    Some(Ok(p)) => format!("{}: {} → {}", s.manager_promoted, s.role(p.from_role), s.role(p.to_role)),
                    Some(Err(e)) => e,
                    None => records.error.clone().unwrap_or_default(),
                };
                // Reload so the page shows the new rung.
                let report = records.with(|r| crate::report::team(r, &scenarios.lib, None, None).ok()).flatten();
                if let Some(report) = report {
                    commands.insert_resource(Team(report));
                }
                *view = View::Trainee { index, run: 0, message: Some(message) };
            }
        }
    }
}

fn header_clicks(
    q: Query<(&Interaction, &SortHeader), Changed<Interaction>>,
    approve: Query<&Interaction, (Changed<Interaction>, With<ApproveButton>)>,
    mut view: ResMut<View>,
) {
    if approve.iter().any(|i| *i == Interaction::Pressed)
        && let View::Trainee { index, .. } = view.clone()
    {
        *view = View::Approve { index };
    }
    for (interaction, header) in &q {
        if *interaction != Interaction::Pressed {
            continue;
        }
        if let View::Table { selected, sort, descending } = view.clone() {
            *view = View::Table {
                selected,
                sort: header.0,
                descending: if sort == header.0 { !descending } else { descending },
            };
        }
    }
}
