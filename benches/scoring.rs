//! Scoring speed: one Recall turn under scorer version 1 and version 2, on every stage line of the shipped scripts.
//!
//! `cargo bench --no-default-features --bench scoring`. Each stage is typed three ways: word for
//! word, reworded (a filler in front, the last word left out) and shuffled (word salad); each
//! typed line is scored against its stage by `scorer::recall_quality`, the function the runtime
//! and scoring call for a typed turn. The median of 21 repetitions is reported.

use callforge::domain::Library;
use callforge::domain::model::Script;
use callforge::domain::scorer::recall_quality;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// (script, stage, typed) for every stage of every script, three typings each.
fn turns(lib: &Library) -> Vec<(Arc<Script>, u16, String)> {
    let mut out = Vec::new();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for entry in lib.scripts.values() {
        for (i, stage) in entry.script.stages.iter().enumerate() {
            let line = stage.line.replace("{trainee}", "Alex");
            let words: Vec<&str> = line.split(' ').collect();
            let filler = if entry.script.language.as_deref() == Some("ru") { "Ну," } else { "So," };
            let reworded = format!("{filler} {}", words[..words.len().saturating_sub(1)].join(" "));
            let mut salad = words.clone();
            for k in (1..salad.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                salad.swap(k, (state % (k as u64 + 1)) as usize);
            }
            for typed in [line.clone(), reworded, salad.join(" ")] {
                out.push((Arc::clone(&entry.script), i as u16, typed));
            }
        }
    }
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let lib = Library::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    let turns = turns(&lib);
    let words: usize = turns.iter().map(|t| t.2.split_whitespace().count()).sum();
    println!(
        "{} typed lines over {} scripts, {:.1} words each on average",
        turns.len(),
        lib.scripts.len(),
        words as f64 / turns.len() as f64
    );
    const PASSES: usize = 200;
    let mut results = Vec::new();
    for version in [1u32, 2] {
        // One warm-up pass, then 21 timed repetitions of PASSES passes over every typed line.
        for (script, stage, typed) in &turns {
            black_box(recall_quality(version, script, *stage, typed, "Alex"));
        }
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..21 {
            let t0 = Instant::now();
            for _ in 0..PASSES {
                for (script, stage, typed) in &turns {
                    hits += usize::from(black_box(recall_quality(version, script, *stage, typed, "Alex")).hit);
                }
            }
            times.push(t0.elapsed());
        }
        let per_turn = median(times).as_secs_f64() / (PASSES * turns.len()) as f64;
        let hit_share = hits as f64 / (21 * PASSES * turns.len()) as f64;
        println!(
            "scorer {version}: {:.2} µs per Recall turn ({:.0} turns/s), {:.0}% of the typed lines hit",
            per_turn * 1e6,
            1.0 / per_turn,
            100.0 * hit_share
        );
        results.push(per_turn);
    }
    println!("version 2 ÷ version 1: {:.2}×", results[1] / results[0]);
}
