//! The scenario library in the running app: reloaded through Bevy's file watcher when an author
//! saves a file, with its errors shown on screen instead of stopping the app.

use super::Scenarios;
use super::theme::{UiFonts, palette, widgets};
use bevy::asset::io::{AssetSourceBuilder, Reader};
use bevy::asset::{AssetLoader, LoadContext, LoadedFolder};
use bevy::prelude::*;
use std::path::{Path, PathBuf};

/// The raw text of a scenario file; the domain does the reading, this only tells us it changed.
#[derive(Asset, TypePath, Debug)]
pub struct ScenarioFile(#[allow(dead_code)] pub String);

#[derive(Default, TypePath)]
struct ScenarioFileLoader;

impl AssetLoader for ScenarioFileLoader {
    type Asset = ScenarioFile;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _: &(),
        _: &mut LoadContext<'_>,
    ) -> Result<ScenarioFile, std::io::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        Ok(ScenarioFile(String::from_utf8_lossy(&bytes).into_owned()))
    }

    fn extensions(&self) -> &[&str] {
        &["ron"]
    }
}

/// Where the scenario root is, for reloading.
#[derive(Resource, Debug, Clone)]
struct Root(PathBuf);

/// Keeps the watched folder loaded.
#[derive(Resource, Debug)]
#[allow(dead_code)]
struct Watched(Handle<LoadedFolder>);

/// The banner listing files with errors.
#[derive(Component, Debug)]
struct Banner;

/// Registers the scenario folder as a watched asset source; call before `DefaultPlugins`.
pub(super) fn register_source(app: &mut App, root: &Path) {
    let path = root.display().to_string();
    app.register_asset_source("scenarios", AssetSourceBuilder::platform_default(&path, None));
    app.insert_resource(Root(root.to_owned()));
}

pub(super) fn plugin(app: &mut App) {
    app.init_asset::<ScenarioFile>()
        .init_asset_loader::<ScenarioFileLoader>()
        .add_systems(Startup, (watch, show_banner))
        .add_systems(Update, (reload_on_change, show_banner.run_if(resource_changed::<Scenarios>)));
}

fn watch(mut commands: Commands, server: Res<AssetServer>) {
    commands.insert_resource(Watched(server.load_folder("scenarios://")));
}

fn reload_on_change(
    mut events: MessageReader<AssetEvent<ScenarioFile>>,
    mut scenarios: ResMut<Scenarios>,
    root: Res<Root>,
    mut seen_first: Local<bool>,
) {
    let mut changed = false;
    for e in events.read() {
        match e {
            AssetEvent::Modified { .. } | AssetEvent::Removed { .. } => changed = true,
            AssetEvent::Added { .. } if *seen_first => changed = true,
            _ => {}
        }
    }
    // The first batch of Added events is the initial load of the folder.
    if !*seen_first && !events.is_empty() {
        *seen_first = true;
    }
    if changed {
        // A file caught half-written (or saved with a mistake) keeps its last good version.
        let mut lib = crate::domain::Library::load(std::slice::from_ref(&root.0));
        lib.keep_last_good(&scenarios.lib);
        scenarios.lib = lib;
        scenarios.generation += 1;
        info!(
            "scenario library reloaded: {} playable, {} errors",
            scenarios.lib.playable().count(),
            scenarios.lib.errors()
        );
    }
}

fn show_banner(
    mut commands: Commands,
    scenarios: Res<Scenarios>,
    banners: Query<Entity, With<Banner>>,
    fonts: Res<UiFonts>,
    session: Res<super::Session>,
) {
    for b in &banners {
        commands.entity(b).despawn();
    }
    let errors: Vec<String> =
        scenarios.lib.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
    if errors.is_empty() {
        return;
    }
    let s = super::text::strings(session.lang);
    let first = errors.first().cloned().unwrap_or_default();
    let more = if errors.len() > 1 { format!("  (+{})", errors.len() - 1) } else { String::new() };
    commands.spawn((
        Name::new("Library errors"),
        Banner,
        GlobalZIndex(10),
        Node {
            position_type: PositionType::Absolute,
            bottom: px(6),
            left: px(8),
            right: px(8),
            height: px(30),
            padding: UiRect::axes(px(10), px(6)),
            column_gap: px(10),
            align_items: AlignItems::Center,
            overflow: Overflow::clip(),
            border_radius: BorderRadius::all(px(6)),
            ..default()
        },
        BackgroundColor(palette::BAD.with_alpha(0.92)),
        children![
            widgets::heading(&fonts, format!("⚠ {} ({}):", s.library_errors, errors.len()), 13.0),
            (widgets::label(&fonts, format!("{first}{more}"), 13.0, palette::TEXT), TextLayout::no_wrap()),
        ],
    ));
}
