//! The simulator window: a thin shell of Bevy screens over the domain and the records.
//!
//! `core_plugin` holds everything but the platform (window, renderer, sound, file watching), so
//! headless tests run the same screens under `MinimalPlugins`.

// Bevy systems receive every resource and query they use as a parameter, and queries spell out
// their filters in their types: long parameter lists and query types are the idiom here.
#![allow(clippy::too_many_arguments, clippy::type_complexity)]

mod audio;
pub mod demo;
mod input;
mod library;
pub mod progress;
pub mod screens;
pub mod sound;
pub mod text;
pub mod theme;

use crate::domain::feedback::Lang;
use crate::domain::model::{Mode, Role, Run};
use crate::domain::{Library, Score};
use crate::records::{Records, Trainee};
use bevy::prelude::*;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use audio::Cue;
pub use input::TextField;

/// The screens of the app.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    /// Choose or create a profile, choose the language.
    #[default]
    Start,
    /// The trainee's rung, progress and the three modes.
    Home,
    /// Scenarios to call.
    Picker,
    /// The phone call.
    Call,
    /// The score of the call just made.
    Results,
    /// The whole script of the trainee's role, to study.
    Script,
    /// Drills: the due stages' exercises, one typed line each.
    Drill,
    /// The trainee's own progress: scores over time, strength per stage with its trend.
    MyProgress,
    /// A proctor signs in to start an exam.
    Proctor,
    /// The records server asks for a password.
    DbPassword,
    /// A manager logs in.
    ManagerLogin,
    /// The team, trainee pages and promotion approval.
    Manager,
}

/// Who is training: their name and rung, and their id in the records when the records are open
/// (without records the app still trains, without saving).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub name: String,
    pub role: Role,
    pub id: Option<i64>,
}

impl From<Trainee> for Profile {
    fn from(t: Trainee) -> Self {
        Profile { name: t.name, role: t.role, id: Some(t.id) }
    }
}

/// Who is training and how the interface looks.
#[derive(Resource, Debug, Clone)]
pub struct Session {
    pub lang: Lang,
    pub trainee: Option<Profile>,
    /// 0–1.
    pub volume: f32,
    /// No sound at all (F5).
    pub muted: bool,
    /// The telephone sound: voices through the phone band and a quiet line hiss (F6).
    pub telephone: bool,
    /// The mode chosen on the home screen.
    pub mode: Mode,
}

impl Default for Session {
    fn default() -> Self {
        Session { lang: Lang::En, trainee: None, volume: 0.8, muted: false, telephone: true, mode: Mode::Practice }
    }
}

/// The scenario library as last loaded; reloaded when a file changes.
#[derive(Resource, Debug, Default)]
pub struct Scenarios {
    pub lib: Library,
    /// Bumped on every reload, so screens can refresh.
    pub generation: u64,
}

/// The trainee records, or why they could not be opened (the app still runs, without saving).
/// Shared, so work running off the frame (password checks, the team report) can take the lock.
#[derive(Resource, Debug, Default)]
pub struct RecordsRes {
    pub records: Option<Arc<Mutex<Records>>>,
    pub error: Option<String>,
    /// A records server that asked for a password that neither PGPASSWORD nor a password file
    /// gave: the window asks for it (`Screen::DbPassword`) and opens this location with it.
    pub password_for: Option<String>,
}

impl RecordsRes {
    pub fn open(location: &str) -> Self {
        match Records::open(location) {
            Ok(r) => RecordsRes::opened(r),
            Err(e @ crate::records::RecordsError::PasswordNeeded { .. }) => {
                RecordsRes { records: None, error: Some(e.to_string()), password_for: Some(location.to_owned()) }
            }
            Err(e) => RecordsRes { records: None, error: Some(e.to_string()), password_for: None },
        }
    }

    /// Records that opened.
    pub fn opened(r: Records) -> Self {
        RecordsRes { records: Some(Arc::new(Mutex::new(r))), error: None, password_for: None }
    }

    /// Records that could not be opened, and why (the window trains without saving).
    pub fn closed(why: impl Into<String>) -> Self {
        RecordsRes { records: None, error: Some(why.into()), password_for: None }
    }

    /// Runs `f` on the records, if they are open.
    pub fn with<T>(&self, f: impl FnOnce(&mut Records) -> T) -> Option<T> {
        let mut guard = self.records.as_ref()?.lock().ok()?;
        Some(f(&mut guard))
    }
}

/// Where finished calls are saved as run files.
#[derive(Resource, Debug, Clone)]
pub struct RunsDir(pub PathBuf);

impl RunsDir {
    /// Saves a finished call's (or drill answer's) run file here, named by `run_file_name`; the
    /// file, or why it was not written.
    pub fn write(&self, run: &Run, now: i64) -> Result<PathBuf, String> {
        std::fs::create_dir_all(&self.0).map_err(|e| format!("cannot create {}: {e}", self.0.display()))?;
        let path = self.0.join(crate::domain::finish::run_file_name(run, now));
        crate::domain::model::write_run(&path, run).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(path)
    }
}

/// Where seeds for new calls come from: the shell draws them; tests fix them.
#[derive(Resource, Debug, Clone)]
pub enum Seeds {
    Random,
    Sequence(u64),
}

impl Seeds {
    pub fn draw(&mut self) -> u64 {
        match self {
            Seeds::Random => crate::domain::seed::fresh_seed(),
            Seeds::Sequence(n) => {
                *n += 1;
                *n
            }
        }
    }
}

/// The call to start when entering the call screen.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct CallRequest {
    pub scenario: String,
    pub mode: Mode,
    pub seed: u64,
    /// The proctor's exam ticket the call is sat with (its seed is `seed`); `None` for practice.
    pub ticket: Option<i64>,
}

/// The outcome of the last call, for the results screen.
#[derive(Resource, Debug, Clone)]
pub struct LastResult {
    pub score: Score,
    pub run: Run,
    /// The run's id in the records, or why it was not stored.
    pub stored: Result<i64, String>,
    /// Where the run file was written, or why not.
    pub run_file: Result<PathBuf, String>,
    /// The exam ticket it was stored with, if any.
    pub ticket: Option<i64>,
}

/// Systems that react to the keyboard run after the text field has taken its keys.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum AppSystems {
    /// Typing into text fields.
    Input,
    /// Screen logic.
    Update,
}

/// Everything but the platform: states, screens and their resources. The caller inserts
/// `Scenarios`, `RecordsRes`, `RunsDir` and a keyboard (`ButtonInput<KeyCode>` and
/// `KeyboardInput` messages).
pub fn core_plugin(app: &mut App) {
    app.init_state::<Screen>()
        .init_resource::<Session>()
        .insert_resource(Seeds::Random)
        .add_message::<Cue>()
        .configure_sets(Update, (AppSystems::Input, AppSystems::Update).chain())
        .add_plugins((theme::plugin, input::plugin, sound::plugin, screens::plugin))
        .add_message::<bevy::input::mouse::MouseWheel>()
        .add_systems(Update, (theme::widgets::button_feedback, theme::widgets::scroll));
}

/// How to open the window.
#[derive(Debug, Clone)]
pub struct Options {
    pub scenarios: PathBuf,
    pub db: String,
    pub runs_dir: PathBuf,
    /// The voice clip cache (`callforge voice` fills it); lines without a clip are shown unheard.
    pub voices: Option<PathBuf>,
    /// Where each profile's sound settings are kept; without it they last the session.
    pub sound_file: Option<PathBuf>,
    /// Where each profile's progress that no run shows is kept (the script read on the first
    /// day); without it that lasts the session.
    pub progress_file: Option<PathBuf>,
    pub demo: Option<demo::DemoOptions>,
}

/// Opens the simulator window and runs until it closes.
pub fn run(options: Options) -> AppExit {
    let assets = assets_dir();
    let scenarios_root = std::fs::canonicalize(&options.scenarios).unwrap_or(options.scenarios.clone());
    let mut app = App::new();
    library::register_source(&mut app, &scenarios_root);
    // Voice clips are read from the cache folder as the `voices://` asset source.
    if let Some(dir) = &options.voices {
        let _ = std::fs::create_dir_all(dir);
        let path = dir.display().to_string();
        app.register_asset_source("voices", bevy::asset::io::AssetSourceBuilder::platform_default(&path, None));
        app.insert_resource(sound::VoiceCache(dir.clone()));
    }
    if let Some(file) = &options.sound_file {
        app.insert_resource(sound::SoundFile(file.clone()));
    }
    if let Some(file) = &options.progress_file {
        app.insert_resource(progress::ProgressFile(file.clone()));
    }
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "callforge".into(),
                    resolution: bevy::window::WindowResolution::new(1280, 720).with_scale_factor_override(1.0),
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin {
                file_path: assets.display().to_string(),
                watch_for_changes_override: Some(true),
                ..default()
            }),
    )
    .add_plugins(bevy::diagnostic::FrameTimeDiagnosticsPlugin::default());
    // Fonts load before the first screen is spawned (OnEnter of the first state runs before Startup).
    let fonts = theme::load_fonts(app.world().resource::<AssetServer>());
    app.insert_resource(fonts)
        .insert_resource(ClearColor(theme::palette::BACKGROUND))
        .insert_resource(RecordsRes::open(&options.db))
        .insert_resource(RunsDir(options.runs_dir.clone()))
        .insert_resource(Scenarios { lib: Library::load(std::slice::from_ref(&scenarios_root)), generation: 1 })
        .add_plugins(core_plugin)
        .add_plugins((audio::plugin, library::plugin))
        .add_systems(Startup, spawn_camera);
    if let Some(d) = options.demo {
        app.add_plugins(demo::plugin(d));
    }
    app.run()
}

fn spawn_camera(mut commands: Commands) {
    // No multisampling: flat UI gains nothing from it, and software rasterisers pay for it per pixel.
    commands.spawn((Name::new("Camera"), Camera2d, Msaa::Off));
}

/// The assets folder: `BEVY_ASSET_ROOT/assets` if set, else `assets` beside the working directory
/// if it exists there, else the one in the source tree this binary was built from.
fn assets_dir() -> PathBuf {
    if let Some(root) = std::env::var_os("BEVY_ASSET_ROOT") {
        return PathBuf::from(root).join("assets");
    }
    let here = std::env::current_dir().map(|d| d.join("assets")).unwrap_or_else(|_| PathBuf::from("assets"));
    if here.join(theme::FONT_REGULAR).exists() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")
}
