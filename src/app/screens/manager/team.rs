//! The team table: gathering the team off the frame, then one row per trainee, sorted by a
//! column; sorting rebuilds only the table's body and moving the selection only repaints it.

use super::{ManagerSession, ManagerView, OpenTrainee, Pending, Team, ViewData, cell, finished, spawn_work};
use crate::app::screens::{enter_pressed, move_selection};
use crate::app::text::{Strings, strings};
use crate::app::theme::{UiFonts, palette, widgets};
use crate::app::{AppSystems, RecordsRes, Scenarios, Screen, Session};
use crate::domain::assign::State;
use crate::report::{TeamReport, TraineeSummary};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Sort>()
        .init_resource::<Selected>()
        .add_systems(OnEnter(ManagerView::Loading), start_loading)
        .add_systems(Update, finish_loading.in_set(AppSystems::Update).run_if(in_state(ManagerView::Loading)))
        .add_systems(OnEnter(ManagerView::Table), spawn)
        .add_systems(
            Update,
            (keys, header_clicks, fill_body.run_if(resource_changed::<Sort>), paint_rows)
                .chain()
                .in_set(AppSystems::Update)
                .run_if(in_state(ManagerView::Table)),
        );
}

/// A column of the team table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Column {
    #[default]
    Trainee,
    Rung,
    RunsThisWeek,
    Average,
    Best,
    /// Drill answers in the period.
    Drills,
    LastActivity,
    /// Assignments done of all, and how many are overdue.
    Assignments,
    Eligible,
}

/// What a column sorts by: a number, or the trainee's name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Number(i64),
    Name(String),
}

impl Column {
    /// Every column, left to right.
    const ALL: [Column; 9] = [
        Column::Trainee,
        Column::Rung,
        Column::RunsThisWeek,
        Column::Average,
        Column::Best,
        Column::Drills,
        Column::LastActivity,
        Column::Assignments,
        Column::Eligible,
    ];

    fn title(self, s: &Strings) -> &'static str {
        s.manager_columns[self as usize]
    }

    fn width(self) -> f32 {
        match self {
            Column::Trainee => 220.0,
            Column::Rung => 140.0,
            Column::RunsThisWeek => 120.0,
            Column::Average => 90.0,
            Column::Best => 70.0,
            Column::Drills => 110.0,
            Column::LastActivity => 170.0,
            Column::Assignments => 130.0,
            Column::Eligible => 110.0,
        }
    }

    /// The column S sorts by after this one.
    fn next(self) -> Column {
        Column::ALL[(self as usize + 1) % Column::ALL.len()]
    }

    fn key(self, t: &TraineeSummary) -> SortKey {
        match self {
            Column::Trainee => SortKey::Name(t.trainee.name.to_lowercase()),
            Column::Rung => SortKey::Number(t.trainee.role as i64),
            Column::RunsThisWeek => SortKey::Number(i64::from(t.runs_this_week)),
            Column::Average => SortKey::Number((t.average.unwrap_or(-1.0) * 10.0) as i64),
            Column::Best => SortKey::Number(t.best.map_or(-1, i64::from)),
            Column::Drills => SortKey::Number(i64::from(t.drills)),
            Column::LastActivity => SortKey::Number(t.last_activity.unwrap_or(0)),
            Column::Assignments => SortKey::Number(t.assignments_in(State::Overdue) as i64),
            Column::Eligible => SortKey::Number(i64::from(t.eligible())),
        }
    }

    /// The cell of a trainee's row, and its colour.
    fn cell(self, t: &TraineeSummary, s: &Strings) -> (String, Color) {
        match self {
            Column::Trainee => (t.trainee.name.clone(), palette::TEXT),
            Column::Rung => (s.role(t.trainee.role).to_owned(), palette::TEXT),
            Column::RunsThisWeek => (t.runs_this_week.to_string(), palette::TEXT),
            Column::Average => (t.average.map_or("—".into(), |a| format!("{a:.1}")), palette::TEXT),
            Column::Best => (t.best.map_or("—".into(), |b| b.to_string()), palette::TEXT),
            Column::LastActivity => {
                (t.last_activity.map_or("—".into(), crate::domain::time::format_minute), palette::TEXT_DIM)
            }
            Column::Drills => (t.drills.to_string(), palette::TEXT),
            Column::Assignments if t.assignments.is_empty() => ("—".into(), palette::TEXT_DIM),
            Column::Assignments => {
                let done = t.assignments_in(State::Done);
                match t.assignments_in(State::Overdue) {
                    0 => (format!("{done}/{}", t.assignments.len()), palette::TEXT),
                    late => (format!("{done}/{} · {late}!", t.assignments.len()), palette::BAD),
                }
            }
            Column::Eligible if t.eligible() => (s.manager_yes.to_owned(), palette::GOOD),
            Column::Eligible => (s.manager_no.to_owned(), palette::TEXT_DIM),
        }
    }
}

/// The table's order: a column, either way.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sort {
    column: Column,
    descending: bool,
}

/// The selected row, counted in the table's order.
#[derive(Resource, Debug, Default)]
struct Selected(usize);

#[derive(Component, Debug, Clone, Copy)]
struct SortHeader(Column);

#[derive(Component, Debug)]
struct TableBody;

#[derive(Component, Debug, Clone, Copy)]
struct TableRow(usize);

fn start_loading(mut commands: Commands, view: ViewData, records: Res<RecordsRes>, scenarios: Res<Scenarios>) {
    let loading = widgets::label(&view.fonts, view.strings().manager_loading, 16.0, palette::TEXT_DIM);
    view.root(&mut commands, "Manager loading", ManagerView::Loading).with_child(loading);
    let lib = scenarios.lib.clone();
    spawn_work(&mut commands, &records, DespawnOnExit(ManagerView::Loading), move |r| {
        crate::report::team(r, &lib, None, None).ok()
    });
}

fn finish_loading(
    mut pending: Query<(Entity, &mut Pending<Option<TeamReport>>)>,
    mut commands: Commands,
    mut next: ResMut<NextState<ManagerView>>,
) {
    let Some(report) = finished(&mut commands, &mut pending) else { return };
    commands.insert_resource(report.flatten().map_or_else(Team::empty, Team));
    next.set(ManagerView::Table);
}

/// The table's frame: the heading, the column headers, an empty body and the keys. The headers'
/// arrows and the body are filled by `fill_body`, which runs because the sort is reset here.
fn spawn(mut commands: Commands, view: ViewData) {
    let (s, fonts) = (view.strings(), &view.fonts);
    commands.insert_resource(Sort::default());
    commands.insert_resource(Selected::default());
    view.root(&mut commands, "Manager team", ManagerView::Table).with_children(|p| {
        p.spawn(widgets::heading(fonts, s.manager_team, 26.0));
        p.spawn(Node { column_gap: px(6), ..default() }).with_children(|row| {
            for column in Column::ALL {
                row.spawn((
                    Button,
                    SortHeader(column),
                    Node { width: px(column.width()), padding: UiRect::axes(px(4), px(4)), ..default() },
                    BackgroundColor(palette::PANEL_LIGHT),
                    children![widgets::label(fonts, column.title(s), 14.0, palette::ACCENT)],
                ));
            }
        });
        p.spawn((TableBody, widgets::scroll_list(2.0)));
        p.spawn(widgets::label(fonts, s.manager_table_keys, 14.0, palette::TEXT_DIM));
        if let Some(team) = view.team.as_ref().filter(|t| !t.0.calibration.is_empty()) {
            let sets: Vec<String> = team
                .0
                .calibration
                .iter()
                .map(|c| format!("{} {:.0}%", c.script, 100.0 * c.overall.agreement()))
                .collect();
            let all_pass = team.0.calibration.iter().all(|c| c.passed);
            let color = if all_pass { palette::TEXT_DIM } else { palette::WARN };
            p.spawn(widgets::label(fonts, format!("{}: {}", s.manager_calibration, sets.join(" · ")), 13.0, color));
        }
    });
}

/// The trainees (indices into the team) in the table's order.
fn sorted(team: &TeamReport, sort: Sort) -> Vec<usize> {
    let mut order: Vec<usize> = (0..team.trainees.len()).collect();
    order.sort_by_cached_key(|&i| sort.column.key(&team.trainees[i]));
    if sort.descending {
        order.reverse();
    }
    order
}

/// Marks the sorted column's header and rebuilds the body in the new order.
fn fill_body(
    mut commands: Commands,
    sort: Res<Sort>,
    selected: Res<Selected>,
    team: Option<Res<Team>>,
    fonts: Res<UiFonts>,
    session: Res<Session>,
    headers: Query<(&SortHeader, &Children)>,
    mut texts: Query<&mut Text>,
    body: Query<Entity, With<TableBody>>,
) {
    let (Some(team), Ok(body)) = (team, body.single()) else { return };
    let team = &team.0;
    let s = strings(session.lang);
    for (header, children) in &headers {
        let arrow = match (header.0 == sort.column, sort.descending) {
            (false, _) => "",
            (true, false) => " ▲",
            (true, true) => " ▼",
        };
        for child in children.iter() {
            if let Ok(mut text) = texts.get_mut(child) {
                text.0 = format!("{}{arrow}", header.0.title(s));
            }
        }
    }
    commands.entity(body).despawn_children().with_children(|list| {
        if team.trainees.is_empty() {
            list.spawn(widgets::label(&fonts, s.manager_no_trainees, 16.0, palette::TEXT_DIM));
        }
        for (pos, &i) in sorted(team, *sort).iter().enumerate() {
            let t = &team.trainees[i];
            let bg = if pos == selected.0 { palette::SELECTED } else { palette::PANEL };
            list.spawn((
                TableRow(pos),
                Node { column_gap: px(6), padding: UiRect::axes(px(4), px(6)), flex_shrink: 0.0, ..default() },
                BackgroundColor(bg),
            ))
            .with_children(|r| {
                for column in Column::ALL {
                    let (text, color) = column.cell(t, s);
                    r.spawn(cell(&fonts, text, column.width(), color));
                }
            });
        }
    });
}

/// Paints the selected row.
fn paint_rows(selected: Res<Selected>, mut rows: Query<(&TableRow, &mut BackgroundColor)>) {
    if !selected.is_changed() {
        return;
    }
    for (row, mut bg) in &mut rows {
        bg.0 = if row.0 == selected.0 { palette::SELECTED } else { palette::PANEL };
    }
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut sort: ResMut<Sort>,
    mut selected: ResMut<Selected>,
    team: Option<Res<Team>>,
    mut commands: Commands,
    mut screen: ResMut<NextState<Screen>>,
    mut view: ResMut<NextState<ManagerView>>,
) {
    let Some(team) = team else { return };
    let n = team.0.trainees.len();
    let mut moved = selected.0;
    if keys.just_pressed(KeyCode::Escape) {
        commands.remove_resource::<ManagerSession>();
        screen.set(Screen::Start);
    } else if keys.just_pressed(KeyCode::KeyH) {
        view.set(ManagerView::Heatmap);
    } else if keys.just_pressed(KeyCode::KeyS) {
        sort.column = sort.column.next();
    } else if keys.just_pressed(KeyCode::KeyR) {
        sort.descending = !sort.descending;
    } else if move_selection(&keys, &mut moved, n) {
        selected.0 = moved;
    } else if enter_pressed(&keys) && n > 0 {
        let index = sorted(&team.0, *sort)[selected.0.min(n - 1)];
        commands.insert_resource(OpenTrainee::page(index, None));
        view.set(ManagerView::Trainee);
    }
}

/// A click on a column header sorts by it, or reverses the order if it already does.
fn header_clicks(q: Query<(&Interaction, &SortHeader), Changed<Interaction>>, mut sort: ResMut<Sort>) {
    for (interaction, header) in &q {
        if *interaction != Interaction::Pressed {
            continue;
        }
        if sort.column == header.0 {
            sort.descending = !sort.descending;
        } else {
            sort.column = header.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::feedback::Lang;

    #[test]
    fn s_cycles_through_every_column_in_order_and_back() {
        let mut column = Column::default();
        let mut seen = Vec::new();
        for _ in 0..Column::ALL.len() {
            seen.push(column);
            column = column.next();
        }
        assert_eq!(seen, Column::ALL);
        assert_eq!(column, Column::Trainee);
    }

    #[test]
    fn every_column_has_its_own_title() {
        let s = strings(Lang::En);
        let titles: Vec<_> = Column::ALL.iter().map(|c| c.title(s)).collect();
        assert_eq!(titles, s.manager_columns);
        assert_eq!(Column::LastActivity.title(strings(Lang::Ru)), "Активность");
    }
}
