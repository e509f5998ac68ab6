//! The colours of the app, in one place.

use bevy::prelude::*;

pub const BACKGROUND: Color = Color::srgb(0.075, 0.086, 0.110);
pub const PANEL: Color = Color::srgb(0.118, 0.133, 0.169);
pub const PANEL_LIGHT: Color = Color::srgb(0.165, 0.184, 0.231);
pub const BORDER: Color = Color::srgb(0.235, 0.259, 0.32);
pub const TEXT: Color = Color::srgb(0.925, 0.937, 0.957);
pub const TEXT_DIM: Color = Color::srgb(0.600, 0.635, 0.706);
pub const ACCENT: Color = Color::srgb(0.255, 0.565, 0.969);
pub const ACCENT_DARK: Color = Color::srgb(0.133, 0.337, 0.651);
pub const CUSTOMER_BUBBLE: Color = Color::srgb(0.196, 0.220, 0.275);
pub const TRAINEE_BUBBLE: Color = Color::srgb(0.149, 0.376, 0.667);
pub const GOOD: Color = Color::srgb(0.275, 0.765, 0.455);
pub const WARN: Color = Color::srgb(0.945, 0.690, 0.247);
pub const BAD: Color = Color::srgb(0.918, 0.341, 0.341);
pub const SELECTED: Color = Color::srgb(0.204, 0.290, 0.439);
pub const BUTTON: Color = Color::srgb(0.180, 0.204, 0.259);
pub const BUTTON_HOVER: Color = Color::srgb(0.231, 0.263, 0.333);
pub const BUTTON_PRESSED: Color = Color::srgb(0.133, 0.337, 0.651);
