//! Everything kira: the sound cues of a call and scenario voice clips, at the chosen volume.
//!
//! Without a sound card bevy_kira_audio logs one "Failed to setup audio" warning and every cue
//! becomes a silent no-op; nothing here can crash the app.

use super::Session;
use bevy::prelude::*;
use bevy_kira_audio::prelude::*;

/// A sound to play. Screens write these; this module alone turns them into sound.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub enum Cue {
    Ring,
    PickUp,
    /// A customer line, with its voice clip when the scenario names one.
    Line(Option<String>),
    HangUp,
    Pass,
    Fail,
    Click,
}

pub(super) fn plugin(app: &mut App) {
    app.add_plugins(AudioPlugin).add_systems(Update, play_cues);
}

fn play_cues(mut cues: MessageReader<Cue>, audio: Res<Audio>, server: Res<AssetServer>, session: Res<Session>) {
    let volume = Decibels(if session.volume <= 0.001 { -60.0 } else { 20.0 * session.volume.log10() });
    for cue in cues.read() {
        let file = match cue {
            Cue::Ring => "audio/ring.ogg".to_owned(),
            Cue::PickUp => "audio/pickup.ogg".to_owned(),
            Cue::Line(Some(voice)) => voice.clone(),
            Cue::Line(None) => "audio/line.ogg".to_owned(),
            Cue::HangUp => "audio/hangup.ogg".to_owned(),
            Cue::Pass => "audio/pass.ogg".to_owned(),
            Cue::Fail => "audio/fail.ogg".to_owned(),
            Cue::Click => "audio/click.ogg".to_owned(),
        };
        audio.play(server.load(file)).with_volume(volume);
    }
}
