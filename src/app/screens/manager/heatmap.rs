//! The team heatmap: the weakest script stages (columns) for every trainee (rows).

use super::{ManagerView, ViewData, cell, heat};
use crate::app::AppSystems;
use crate::app::theme::{palette, widgets};
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(ManagerView::Heatmap), spawn)
        .add_systems(Update, keys.in_set(AppSystems::Update).run_if(in_state(ManagerView::Heatmap)));
}

fn spawn(mut commands: Commands, view: ViewData) {
    let (s, fonts) = (view.strings(), &view.fonts);
    let mut root = view.root(&mut commands, "Manager heatmap", ManagerView::Heatmap);
    let Some(team) = &view.team else { return };
    let team = &team.0;
    root.with_children(|p| {
        p.spawn(widgets::heading(fonts, s.manager_heatmap, 26.0));
        let columns: Vec<_> = team.stages.iter().take(9).collect();
        p.spawn(Node { column_gap: px(4), ..default() }).with_children(|row| {
            row.spawn(cell(fonts, "", 200.0, palette::TEXT));
            for c in &columns {
                row.spawn((
                    Node { width: px(110), overflow: Overflow::clip(), ..default() },
                    children![widgets::label(
                        fonts,
                        c.title.chars().take(40).collect::<String>(),
                        11.0,
                        palette::TEXT_DIM
                    )],
                ));
            }
        });
        for t in &team.trainees {
            p.spawn(Node { column_gap: px(4), ..default() }).with_children(|row| {
                row.spawn(cell(fonts, t.trainee.name.clone(), 200.0, palette::TEXT));
                for c in &columns {
                    let (text, color) = match team.heat.get(&(t.trainee.id, c.key.clone())) {
                        Some((q, _)) => (format!("{:.0}", q * 100.0), heat(*q)),
                        None => ("·".to_owned(), palette::PANEL),
                    };
                    row.spawn((
                        Node {
                            width: px(110),
                            height: px(26),
                            justify_content: JustifyContent::Center,
                            align_items: AlignItems::Center,
                            ..default()
                        },
                        BackgroundColor(color),
                        children![widgets::label(fonts, text, 14.0, palette::TEXT)],
                    ));
                }
            });
        }
        p.spawn(widgets::label(fonts, s.manager_back_keys, 14.0, palette::TEXT_DIM));
    });
}

fn keys(keys: Res<ButtonInput<KeyCode>>, mut view: ResMut<NextState<ManagerView>>) {
    if keys.just_pressed(KeyCode::Escape) || keys.just_pressed(KeyCode::KeyH) {
        view.set(ManagerView::Table);
    }
}
