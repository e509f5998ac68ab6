//! Fuzz target: a run file from bytes, read, replayed against the shipped library and scored under both scorer versions.

#![no_main]

use callforge::domain::model::Run;
use callforge::domain::parse::{self, FileKind};
use callforge::domain::{SourceFile, replay};
use callforge_fuzz::{check_rendered, check_score, shipped};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = Arc::new(SourceFile::new("run.ron", text));
    let run: Run = match parse::read(&source, FileKind::Run) {
        Ok(run) => run,
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty() && diagnostics.len() <= 201);
            diagnostics.iter().for_each(check_rendered);
            return;
        }
    };
    let lib = shipped();
    let playable: Vec<_> = lib.playable().collect();
    // An unknown scenario id still plays: the seed picks one, so every input reaches the runtime.
    let p = lib.scenario(&run.scenario).unwrap_or(playable[(run.seed % playable.len() as u64) as usize]);
    for scorer in [1, 2] {
        let mut run = run.clone();
        run.scenario = p.id().to_owned();
        run.scorer = Some(scorer);
        if let Ok(d) = replay(p, &run, true) {
            check_score(&d);
        }
    }
});
