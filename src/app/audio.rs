//! Everything kira: the sound cues of a call, the customers' voices and the phone line's hiss, at
//! the trainee's volume.
//!
//! Without a sound card bevy_kira_audio logs one "Failed to setup audio" warning and every cue
//! becomes a silent no-op; nothing here can crash the app. Bevy's own audio stays off.

use super::Session;
use bevy::prelude::*;
use bevy_kira_audio::prelude::*;

/// A sound to play. Screens write these; this module alone turns them into sound.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub enum Cue {
    Ring,
    PickUp,
    /// A customer line that has no voice: a short chirp as it appears.
    Line,
    /// A customer's voice: an asset path (a recorded clip, or `voices://<key>.ogg`). It replaces
    /// any voice still playing.
    Voice(String),
    /// Silence the voice now (the trainee skipped it, or hung up).
    StopVoice,
    /// The quiet hiss of an open phone line, while a call is connected (heard with the telephone
    /// sound on).
    LineNoise(bool),
    HangUp,
    Pass,
    Fail,
    Click,
}

/// The customers' voices, on a channel of their own so that one can be cut short.
#[derive(Resource, Debug)]
struct Voices;

/// The phone line's hiss, looped while a call is connected.
#[derive(Resource, Debug)]
struct LineHiss;

/// How much quieter than the voices the hiss plays.
const HISS_DB: f32 = -18.0;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins(AudioPlugin)
        .add_audio_channel::<Voices>()
        .add_audio_channel::<LineHiss>()
        .add_systems(Update, (play_cues, follow_settings).chain());
}

/// The trainee's volume in decibels; silence when muted.
fn level(session: &Session) -> Decibels {
    if session.muted || session.volume <= 0.001 {
        Decibels::SILENCE
    } else {
        Decibels((20.0 * session.volume.log10()).max(-60.0))
    }
}

fn hiss_level(session: &Session) -> Decibels {
    if session.telephone { Decibels((level(session).0 + HISS_DB).max(-60.0)) } else { Decibels::SILENCE }
}

fn play_cues(
    mut cues: MessageReader<Cue>,
    audio: Res<Audio>,
    voices: Res<AudioChannel<Voices>>,
    hiss: Res<AudioChannel<LineHiss>>,
    server: Res<AssetServer>,
    session: Res<Session>,
) {
    let volume = level(&session);
    for cue in cues.read() {
        let file = match cue {
            Cue::Voice(asset) => {
                voices.stop();
                voices.play(server.load(asset.clone())).with_volume(volume);
                continue;
            }
            Cue::StopVoice => {
                voices.stop();
                continue;
            }
            Cue::LineNoise(on) => {
                hiss.stop();
                if *on {
                    hiss.play(server.load("audio/hiss.ogg")).looped().with_volume(hiss_level(&session));
                }
                continue;
            }
            Cue::Ring => "audio/ring.ogg",
            Cue::PickUp => "audio/pickup.ogg",
            Cue::Line => "audio/line.ogg",
            Cue::HangUp => "audio/hangup.ogg",
            Cue::Pass => "audio/pass.ogg",
            Cue::Fail => "audio/fail.ogg",
            Cue::Click => "audio/click.ogg",
        };
        if !session.muted {
            audio.play(server.load(file)).with_volume(volume);
        }
    }
}

/// A change of volume, mute or the telephone sound reaches what is playing now.
fn follow_settings(
    session: Res<Session>,
    voices: Res<AudioChannel<Voices>>,
    hiss: Res<AudioChannel<LineHiss>>,
    mut last: Local<Option<(u32, bool, bool)>>,
) {
    let now = ((session.volume * 100.0).round() as u32, session.muted, session.telephone);
    if last.is_some_and(|l| l != now) {
        voices.set_volume(level(&session));
        hiss.set_volume(hiss_level(&session));
    }
    *last = Some(now);
}
