//! Work on the records that runs off the frame (password checks, tickets, gathering the team), for every screen.

use crate::app::RecordsRes;
use crate::records::Records;
use bevy::prelude::*;
use bevy::tasks::futures::check_ready;
use bevy::tasks::{AsyncComputeTaskPool, Task};

/// Marks an entity whose work runs off the frame (a password check, gathering the team); it is
/// despawned when the work is done.
#[derive(Component, Debug)]
pub struct Working;

/// The task of a `Working` entity; `None` when the records are not open.
#[derive(Component)]
pub(crate) struct Pending<T: Send + 'static>(Task<Option<T>>);

/// Runs `work` on the records on the `AsyncComputeTaskPool`. The task lives on an entity that
/// also carries `scope` (say, `DespawnOnExit` of its view), so leaving the view drops it.
pub(crate) fn spawn_work<T: Send + 'static>(
    commands: &mut Commands,
    records: &RecordsRes,
    scope: impl Bundle,
    work: impl FnOnce(&mut Records) -> T + Send + 'static,
) {
    let shared = records.records.clone();
    let task = AsyncComputeTaskPool::get().spawn(async move {
        let shared = shared?;
        let mut guard = shared.lock().ok()?;
        Some(work(&mut guard))
    });
    commands.spawn((Name::new("Records work"), Working, Pending(task), scope));
}

/// Runs `work`, which needs no open records (opening them, say), on the `AsyncComputeTaskPool`,
/// like [`spawn_work`].
pub(crate) fn spawn_detached<T: Send + 'static>(
    commands: &mut Commands,
    scope: impl Bundle,
    work: impl FnOnce() -> T + Send + 'static,
) {
    let task = AsyncComputeTaskPool::get().spawn(async move { Some(work()) });
    commands.spawn((Name::new("Background work"), Working, Pending(task), scope));
}

/// The outcome of work of type `T` that finished since the last frame, if any: `Some(None)` when
/// the records were not open.
pub(crate) fn finished<T: Send + 'static>(
    commands: &mut Commands,
    pending: &mut Query<(Entity, &mut Pending<T>)>,
) -> Option<Option<T>> {
    for (entity, mut p) in pending.iter_mut() {
        if let Some(outcome) = check_ready(&mut p.0) {
            commands.entity(entity).despawn();
            return Some(outcome);
        }
    }
    None
}
