//! The turn card: one turn of a call as the results screen and the manager's transcript show it.

use super::UiFonts;
use super::palette;
use super::widgets::{label, span};
use crate::domain::score::TurnScore;
use crate::domain::text::DiffWord;
use bevy::prelude::*;
use bevy::text::{Strikethrough, StrikethroughColor};

/// Turn `number` (from 1): the customer's line, the stage the script expects, what the trainee
/// said (`you` names them), q and the feedback, the notes, and in Recall the word diff (missing
/// words red and bold, extra words struck out).
pub fn turn_card(fonts: &UiFonts, you: &str, number: usize, turn: &TurnScore) -> impl Bundle {
    let (fonts, you, t) = (fonts.clone(), you.to_owned(), turn.clone());
    (
        Name::new("Turn card"),
        Node { flex_direction: FlexDirection::Column, row_gap: px(2), flex_shrink: 0.0, ..default() },
        Children::spawn(SpawnWith(move |card: &mut ChildSpawner| {
            let (mark, color) = match t.q {
                Some(q) if t.hit => (format!("✓ {q:.2}"), palette::GOOD),
                Some(q) => (format!("✗ {q:.2}"), palette::BAD),
                None => ("·".to_owned(), palette::TEXT_DIM),
            };
            card.spawn(label(&fonts, format!("{number}. {}", t.customer), 14.0, palette::TEXT_DIM));
            if let Some(title) = &t.expected_title {
                card.spawn(label(&fonts, format!("   {title}"), 13.0, palette::ACCENT));
            }
            card.spawn(label(&fonts, format!("   {you}: “{}”", t.said), 15.0, palette::TEXT));
            card.spawn(label(&fonts, format!("   {mark}  {}", t.feedback), 14.0, color));
            for n in &t.notes {
                card.spawn(label(&fonts, format!("   • {n}"), 13.0, palette::WARN));
            }
            if let Some(diff) = &t.diff {
                card.spawn((
                    Text::new("   "),
                    TextFont { font: fonts.regular.clone().into(), font_size: FontSize::Px(15.0), ..default() },
                ))
                .with_children(|line| {
                    for w in diff {
                        match w {
                            DiffWord::Same(word) => {
                                line.spawn(span(&fonts, format!("{word} "), 15.0, palette::TEXT, false));
                            }
                            DiffWord::Missing(word) => {
                                line.spawn(span(&fonts, format!("{word} "), 15.0, palette::BAD, true));
                            }
                            DiffWord::Extra(word) => {
                                line.spawn((
                                    span(&fonts, format!("{word} "), 15.0, palette::TEXT_DIM, false),
                                    Strikethrough,
                                    StrikethroughColor(palette::TEXT_DIM),
                                ));
                            }
                        }
                    }
                });
            }
        })),
    )
}
