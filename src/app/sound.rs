//! The trainee's sound settings (volume, mute, the telephone effect), kept per profile in a small
//! file beside the records, and which voice clip speaks a customer line. Nothing here plays
//! sound (that is `audio.rs`), so the headless tests run it.

use super::text::strings;
use super::theme::{UiFonts, palette, widgets};
use super::{AppSystems, Session};
use crate::domain::voice::{self, ClipInfo, Effect, LineClip};
use crate::domain::{Dialogue, Playable};
use bevy::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (keys, (load_profile_sound, save_profile_sound).chain(), show_sound_line).chain().in_set(AppSystems::Update),
    );
}

/// The voice clip cache that `callforge voice` fills; the window reads it as the `voices://` asset
/// source. Without it (or without a clip) a line is shown and not heard, as before voices.
#[derive(Resource, Debug, Clone)]
pub struct VoiceCache(pub PathBuf);

/// The file the sound settings are kept in, per profile name. Without it they last the session.
#[derive(Resource, Debug, Clone)]
pub struct SoundFile(pub PathBuf);

/// One profile's sound.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sound {
    /// 0–1.
    pub volume: f32,
    pub muted: bool,
    /// The telephone sound: band-limited voices and a quiet line hiss.
    pub telephone: bool,
}

impl Sound {
    fn of(session: &Session) -> Sound {
        Sound { volume: session.volume, muted: session.muted, telephone: session.telephone }
    }
}

/// The settings of every profile in the file (none when it is missing or unreadable).
pub fn read_sound_file(path: &Path) -> BTreeMap<String, Sound> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| crate::domain::parse::ron_options().from_str(&text).ok())
        .unwrap_or_default()
}

/// Stores one profile's settings, keeping the others; written beside and renamed into place.
fn write_sound(path: &Path, name: &str, sound: Sound) -> std::io::Result<()> {
    let mut all = read_sound_file(path);
    all.insert(name.to_owned(), sound);
    let text = ron::ser::to_string_pretty(&all, ron::ser::PrettyConfig::new()).map_err(std::io::Error::other)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("ron.tmp");
    std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path))
}

/// F3/F4 turn the volume down and up, F5 mutes, F6 turns the telephone sound on and off, on
/// every screen.
fn keys(keys: Res<ButtonInput<KeyCode>>, mut session: ResMut<Session>) {
    if keys.just_pressed(KeyCode::F3) {
        session.volume = ((session.volume - 0.1).max(0.0) * 10.0).round() / 10.0;
    }
    if keys.just_pressed(KeyCode::F4) {
        session.volume = ((session.volume + 0.1).min(1.0) * 10.0).round() / 10.0;
    }
    if keys.just_pressed(KeyCode::F5) {
        session.muted = !session.muted;
    }
    if keys.just_pressed(KeyCode::F6) {
        session.telephone = !session.telephone;
    }
}

/// When a profile is chosen, its stored sound settings apply.
fn load_profile_sound(file: Option<Res<SoundFile>>, mut session: ResMut<Session>, mut last: Local<Option<String>>) {
    let name = session.trainee.as_ref().map(|t| t.name.clone());
    if *last == name {
        return;
    }
    if let (Some(file), Some(name)) = (file, &name)
        && let Some(sound) = read_sound_file(&file.0).get(name)
    {
        session.volume = sound.volume.clamp(0.0, 1.0);
        session.muted = sound.muted;
        session.telephone = sound.telephone;
    }
    *last = name;
}

/// When the trainee changes their sound, it is stored for their profile.
fn save_profile_sound(file: Option<Res<SoundFile>>, session: Res<Session>, mut last: Local<Option<(String, Sound)>>) {
    let Some(name) = session.trainee.as_ref().map(|t| t.name.clone()) else {
        *last = None;
        return;
    };
    let now = Sound::of(&session);
    if let (Some(file), Some((before, sound))) = (file, last.as_ref())
        && *before == name
        && *sound != now
        && let Err(e) = write_sound(&file.0, &name, now)
    {
        warn!("the sound settings were not saved to {}: {e}", file.0.display());
    }
    *last = Some((name, now));
}

/// A line of text showing the sound settings and their keys; it follows every change.
#[derive(Component, Debug)]
pub struct SoundLine {
    /// Whether it lists the keys too.
    keys: bool,
}

pub fn sound_line(fonts: &UiFonts, session: &Session) -> impl Bundle {
    (SoundLine { keys: true }, widgets::label(fonts, sound_text(session, true), 14.0, palette::TEXT_DIM))
}

/// The sound settings without their keys, where space is short (the call screen).
pub fn sound_state(fonts: &UiFonts, session: &Session) -> impl Bundle {
    (SoundLine { keys: false }, widgets::label(fonts, sound_text(session, false), 13.0, palette::TEXT_DIM))
}

fn sound_text(session: &Session, keys: bool) -> String {
    let s = strings(session.lang);
    let state = if session.muted {
        s.sound_muted.to_owned()
    } else {
        format!(
            "{}: {:.0}% · {}: {}",
            s.volume,
            session.volume * 100.0,
            s.sound_effect,
            if session.telephone { s.sound_on } else { s.sound_off }
        )
    };
    if keys { format!("{state} · {}", s.sound_keys) } else { state }
}

fn show_sound_line(session: Res<Session>, mut lines: Query<(&mut Text, &SoundLine)>) {
    for (mut t, line) in &mut lines {
        let text = sound_text(&session, line.keys);
        if t.0 != text {
            t.0 = text;
        }
    }
}

/// A customer line's voice: the asset to play and how long it plays.
#[derive(Debug, Clone, PartialEq)]
pub struct LineVoice {
    /// An asset path: a recorded clip under assets/, or `voices://<key>.ogg` from the cache.
    pub asset: String,
    pub seconds: f32,
}

/// Seconds a recorded clip is taken to play, from its text: about what the synthesised voices
/// take (0.075 s a character); the trainee can skip it anyway.
fn spoken_seconds(text: &str) -> f32 {
    0.3 + text.chars().count() as f32 * 0.075
}

/// The voice of a customer line: the author's recording when there is one, else its clip in the
/// cache with the trainee's effect (or, missing that, with the other one). `None` when the line
/// has no clip: it is shown and not heard.
pub fn line_voice(cache: Option<&VoiceCache>, line: &LineClip, telephone: bool) -> Option<LineVoice> {
    if let Some(clip) = &line.recorded {
        return Some(LineVoice { asset: clip.clone(), seconds: spoken_seconds(&line.text) });
    }
    let cache = cache?;
    let effects = if telephone { [Effect::Telephone, Effect::Clean] } else { [Effect::Clean, Effect::Telephone] };
    effects.into_iter().find_map(|effect| {
        let key = line.key(effect)?;
        let info: ClipInfo =
            serde_json::from_str(&std::fs::read_to_string(cache.0.join(format!("{key}.json"))).ok()?).ok()?;
        cache
            .0
            .join(format!("{key}.ogg"))
            .is_file()
            .then(|| LineVoice { asset: format!("voices://{key}.ogg"), seconds: info.duration_ms as f32 / 1000.0 })
    })
}

/// The voice of the line the customer is at in a call.
pub fn current_voice(cache: Option<&VoiceCache>, dialogue: &Dialogue, telephone: bool) -> Option<LineVoice> {
    dialogue.customer_line()?;
    let line = voice::line_at(dialogue.playable(), dialogue.node(), dialogue.customer_variant())?;
    line_voice(cache, &line, telephone)
}

/// The voice of a line as a results screen knows it: the node's id and the text as shown (with the
/// trainee's name filled in).
pub fn shown_line_voice(
    cache: Option<&VoiceCache>,
    playable: &Playable,
    node: &str,
    shown: &str,
    trainee: &str,
    telephone: bool,
) -> Option<LineVoice> {
    let index = playable.scenario.nodes.0.iter().position(|(id, _)| id == node)?;
    let (crate::domain::model::Node::Line { say, .. } | crate::domain::model::Node::End { say, .. }) =
        &playable.scenario.nodes.0[index].1
    else {
        return None;
    };
    let variant = say.iter().position(|s| crate::domain::text::substitute(s, trainee) == shown)?;
    let line = voice::line_at(playable, index as u32, variant)?;
    line_voice(cache, &line, telephone)
}
