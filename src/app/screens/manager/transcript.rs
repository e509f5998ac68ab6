//! One run of a trainee, turn by turn, as the results screen showed it.

use super::{ManagerView, OpenTrainee, ViewData, latest};
use crate::app::theme::turn_card::turn_card;
use crate::app::theme::{palette, widgets};
use crate::app::{AppSystems, RecordsRes};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(ManagerView::Transcript), spawn)
        .add_systems(Update, keys.in_set(AppSystems::Update).run_if(in_state(ManagerView::Transcript)));
}

fn spawn(mut commands: Commands, view: ViewData, records: Res<RecordsRes>) {
    let (s, fonts) = (view.strings(), &view.fonts);
    let trainee = view.trainee();
    let run_id = trainee.zip(view.open.as_ref()).and_then(|(t, open)| latest(t).get(open.run).map(|r| r.id));
    let detail = run_id.and_then(|id| records.with(|r| r.run_detail(id).ok()).flatten());
    let name = trainee.map(|t| t.trainee.name.as_str()).unwrap_or_default();
    let mut root = view.root(&mut commands, "Manager transcript", ManagerView::Transcript);
    root.with_children(|p| {
        match detail {
            Some((row, score, _)) => {
                p.spawn(widgets::heading(
                    fonts,
                    format!("{name} — {} — {} ({})", row.scenario, score.score, s.mode(row.mode)),
                    22.0,
                ));
                let color = if score.passed { palette::GOOD } else { palette::BAD };
                p.spawn(widgets::label(fonts, score.reason.clone(), 15.0, color));
                p.spawn(widgets::scroll_list(6.0)).with_children(|list| {
                    for (i, t) in score.turns.iter().enumerate() {
                        list.spawn(turn_card(fonts, s.results_you, i + 1, t));
                    }
                });
            }
            None => {
                p.spawn(widgets::label(fonts, "—", 16.0, palette::TEXT_DIM));
            }
        }
        p.spawn(widgets::label(fonts, s.manager_back_keys, 14.0, palette::TEXT_DIM));
    });
}

fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    open: Option<Res<OpenTrainee>>,
    mut commands: Commands,
    mut view: ResMut<NextState<ManagerView>>,
) {
    if keys.just_pressed(KeyCode::Escape) {
        let index = open.map_or(0, |o| o.index);
        commands.insert_resource(OpenTrainee::page(index, None));
        view.set(ManagerView::Trainee);
    }
}
