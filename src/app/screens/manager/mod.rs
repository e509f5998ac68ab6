//! The manager's screens, behind a manager login: the team table, a page per trainee with a
//! score chart, stage strengths, assignments and run transcripts, the team heatmap, promotion
//! approval and setting assignments.
//!
//! They show the same `report::team` data as the HTML report and promote through the same
//! records functions as the command line. `ManagerView`, a sub-state of `Screen::Manager`, says
//! which view shows; each view is a file that spawns its UI on entering its view and afterwards
//! changes only what changes. Password checks and gathering the team run off the frame, on
//! Bevy's `AsyncComputeTaskPool` (see `screens::work`).

mod approve;
mod assign;
mod heatmap;
mod login;
mod team;
mod trainee;
mod transcript;

pub use super::work::Working;
use super::work::{Pending, finished, spawn_work};

use crate::app::text::{Strings, strings};
use crate::app::theme::{UiFonts, palette, widgets};
use crate::app::{Screen, Session};
use crate::records::RunRow;
use crate::report::{TeamReport, TraineeSummary};
use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_sub_state::<ManagerView>()
        .add_systems(OnExit(Screen::Manager), |mut c: Commands| {
            c.remove_resource::<Team>();
            c.remove_resource::<OpenTrainee>();
        })
        .add_systems(Update, switch_language.in_set(crate::app::AppSystems::Update).run_if(in_state(Screen::Manager)))
        .add_plugins((
            login::plugin,
            team::plugin,
            trainee::plugin,
            transcript::plugin,
            heatmap::plugin,
            approve::plugin,
            assign::plugin,
        ));
}

/// F2 switches the interface language here too: the view is built again in the other language
/// (a form being filled in starts afresh).
fn switch_language(
    keys: Res<ButtonInput<KeyCode>>,
    mut session: ResMut<Session>,
    view: Res<State<ManagerView>>,
    mut next: ResMut<NextState<ManagerView>>,
) {
    if keys.just_pressed(KeyCode::F2) && *view.get() != ManagerView::Loading {
        session.lang = match session.lang {
            crate::domain::feedback::Lang::En => crate::domain::feedback::Lang::Ru,
            crate::domain::feedback::Lang::Ru => crate::domain::feedback::Lang::En,
        };
        next.set(*view.get());
    }
}

/// What the manager is looking at, while on `Screen::Manager`.
#[derive(SubStates, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[source(Screen = Screen::Manager)]
pub enum ManagerView {
    /// The team's data is being gathered.
    #[default]
    Loading,
    /// The team table.
    Table,
    /// One trainee's page.
    Trainee,
    /// One run of that trainee, turn by turn.
    Transcript,
    /// Stage × trainee.
    Heatmap,
    /// The manager's password approves that trainee's promotion.
    Approve,
    /// The manager sets that trainee an assignment.
    Assign,
}

/// The manager who logged in.
#[derive(Resource, Debug, Clone)]
pub struct ManagerSession {
    pub username: String,
}

/// The team data the screens show.
#[derive(Resource, Debug)]
struct Team(TeamReport);

impl Team {
    /// The data of an empty team, shown when the records cannot give one.
    fn empty() -> Self {
        Team(TeamReport {
            generated_at: 0,
            since: None,
            role: None,
            trainees: Vec::new(),
            stages: Vec::new(),
            heat: Default::default(),
            promotions: Vec::new(),
            calibration: Vec::new(),
        })
    }
}

/// The trainee whose page is open (an index into the team's trainees), the run chosen there,
/// and the last word on the page (a refusal or a promotion).
#[derive(Resource, Debug, Clone, Default)]
struct OpenTrainee {
    index: usize,
    run: usize,
    message: Option<String>,
}

impl OpenTrainee {
    /// The page of trainee `index`, with its first run chosen.
    fn page(index: usize, message: Option<String>) -> Self {
        OpenTrainee { index, run: 0, message }
    }
}

/// What the views draw from: the fonts and language, the manager, the team and the open trainee.
#[derive(SystemParam)]
struct ViewData<'w> {
    fonts: Res<'w, UiFonts>,
    session: Res<'w, Session>,
    manager: Option<Res<'w, ManagerSession>>,
    team: Option<Res<'w, Team>>,
    open: Option<Res<'w, OpenTrainee>>,
}

impl ViewData<'_> {
    fn strings(&self) -> &'static Strings {
        strings(self.session.lang)
    }

    /// The trainee whose page is open.
    fn trainee(&self) -> Option<&TraineeSummary> {
        self.team.as_ref()?.0.trainees.get(self.open.as_ref()?.index)
    }

    /// The root of a view: the window-wide column with the manager's name on top, despawned
    /// when the view is left.
    fn root<'a>(&self, commands: &'a mut Commands, name: &'static str, view: ManagerView) -> EntityCommands<'a> {
        let who = self.manager.as_ref().map(|m| m.username.as_str()).unwrap_or_default();
        let title = format!("{} · {who}", self.strings().manager_title);
        let mut root = commands.spawn((widgets::screen_root(name), DespawnOnExit(view)));
        root.with_child(widgets::label(&self.fonts, title, 14.0, palette::TEXT_DIM));
        root
    }
}

/// A line that says what the screen is waiting for; hidden (taking no room) while empty.
fn status_line(fonts: &UiFonts, text: &str, color: Color) -> impl Bundle {
    let display = if text.is_empty() { Display::None } else { Display::Flex };
    (widgets::label(fonts, text, 16.0, color), Node { display, ..default() })
}

/// Shows `text` on a `status_line`, or hides it when `text` is empty.
fn set_status(text: &mut Text, node: &mut Node, value: &str) {
    value.clone_into(&mut text.0);
    node.display = if value.is_empty() { Display::None } else { Display::Flex };
}

/// A table cell: `text` clipped to `width`.
fn cell(fonts: &UiFonts, text: impl Into<String>, width: f32, color: Color) -> impl Bundle {
    (
        Node { width: px(width), overflow: Overflow::clip(), ..default() },
        children![widgets::label(fonts, text, 15.0, color)],
    )
}

/// A stage quality's colour: green when strong, amber when middling, red when weak.
fn heat(q: f64) -> Color {
    if q >= 0.85 {
        palette::GOOD
    } else if q >= 0.6 {
        palette::WARN
    } else {
        palette::BAD
    }
}

/// A trainee's runs, newest first, as the page lists them.
fn latest(t: &TraineeSummary) -> Vec<&RunRow> {
    t.runs.iter().rev().take(40).collect()
}
