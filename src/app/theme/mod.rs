//! The look of the app: one palette, the fonts, and widget functions that return bundles.

pub mod palette;
pub mod turn_card;
pub mod widgets;

use bevy::prelude::*;

/// The fonts every text uses. Bevy's built-in font has no Cyrillic, so every `TextFont` names one
/// of these (DejaVu Sans, shipped in assets/fonts with its licence).
#[derive(Resource, Debug, Clone, Default)]
pub struct UiFonts {
    pub regular: Handle<Font>,
    pub bold: Handle<Font>,
}

pub const FONT_REGULAR: &str = "fonts/DejaVuSans.ttf";
pub const FONT_BOLD: &str = "fonts/DejaVuSans-Bold.ttf";

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<UiFonts>();
}

/// Loads the fonts (the real app; headless tests keep the default handles).
pub fn load_fonts(server: &AssetServer) -> UiFonts {
    UiFonts { regular: server.load(FONT_REGULAR), bold: server.load(FONT_BOLD) }
}
