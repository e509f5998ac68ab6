//! Load and turn speed of callforge beside bladeink, yarnspinner, replique and a bare serde+ron walk of one graph.

mod graph;
mod runtimes;

use graph::Graph;
use runtimes::{Sources, Stepper};
use std::time::{Duration, Instant};

// Run from benches/peers: `cargo run --release` (see BENCHMARKS.md in the repository root).
// `--quick` measures 100 and 1000 nodes with fewer repetitions, to try a change.

/// The seed of the graph generator.
const GRAPH_SEED: u64 = 1;
/// The seed of the choice sequence every runtime is fed.
const CHOICE_SEED: u64 = 42;
/// Turns in one stepping measurement.
const TURNS: usize = 100_000;
/// Turns whose walk every runtime must agree on before it is timed.
const CHECKED_TURNS: usize = 1_000;

/// Which crate versions are measured (the peers pinned with `=` in Cargo.toml, the rest by Cargo.lock).
const VERSIONS: &str =
    "bladeink 2.1.0, bladeink-compiler 2.1.0, yarnspinner 0.9.0, replique 0.3.0, ron 0.12.3, serde 1.0.229";

#[derive(Debug, Clone, Copy)]
struct Plan {
    /// Fewest timed repetitions, and the time after which no more are started.
    load_reps: usize,
    load_budget: Duration,
    step_reps: usize,
    step_budget: Duration,
}

impl Plan {
    fn new(quick: bool, fast: bool) -> Plan {
        let scale = if quick { 4 } else { 1 };
        if fast {
            Plan {
                load_reps: 21 / scale,
                load_budget: Duration::from_secs(3) / scale as u32,
                step_reps: 21 / scale,
                step_budget: Duration::from_secs(3) / scale as u32,
            }
        } else {
            Plan {
                load_reps: 5.max(8 / scale),
                load_budget: Duration::from_secs(4) / scale as u32,
                step_reps: 5.max(8 / scale),
                step_budget: Duration::from_secs(4) / scale as u32,
            }
        }
    }
}

const MAX_REPS: usize = 201;

/// Runs `f` once to warm up, then at least `reps` times and until `budget` is spent; the median.
fn median_of(reps: usize, budget: Duration, mut f: impl FnMut() -> Duration) -> Duration {
    f();
    let start = Instant::now();
    let mut samples = Vec::new();
    while samples.len() < reps || (start.elapsed() < budget && samples.len() < MAX_REPS) {
        samples.push(f());
    }
    samples.sort();
    samples[samples.len() / 2]
}

/// Like [`median_of`] for two things at once, run in alternation.
fn paired_medians(
    plan: Plan,
    mut a: impl FnMut() -> Duration,
    mut b: impl FnMut() -> Duration,
) -> (Duration, Duration) {
    let (mut sa, mut sb) = (Vec::new(), Vec::new());
    median_of(plan.load_reps, plan.load_budget * 2, || {
        let (da, db) = (a(), b());
        sa.push(da);
        sb.push(db);
        da + db
    });
    // The warm-up round is not a sample.
    let med = |mut v: Vec<Duration>| {
        v.remove(0);
        v.sort();
        v[v.len() / 2]
    };
    (med(sa), med(sb))
}

/// One timed walk of every choice in `choices`, restarting the call whenever it ends.
/// Returns the whole time, the part spent in restarts, and how many restarts there were.
fn walk(s: &mut impl Stepper, choices: &[u8]) -> (Duration, Duration, usize) {
    let mut in_restarts = Duration::ZERO;
    let mut restarts = 0;
    let start = Instant::now();
    for &k in choices {
        if s.step(usize::from(k)) {
            let t = Instant::now();
            s.restart();
            in_restarts += t.elapsed();
            restarts += 1;
        }
    }
    (start.elapsed(), in_restarts, restarts)
}

#[derive(Debug, Clone, Default)]
struct Row {
    nodes: usize,
    name: &'static str,
    load: Option<Duration>,
    /// Whether the turn columns were measured.
    stepped: bool,
    /// Median nanoseconds of one turn, restarts left out.
    turn: f64,
    /// Median nanoseconds of one turn, restarts included.
    turn_all: f64,
    /// Median nanoseconds of one restart.
    restart: f64,
    restarts: usize,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Times `TURNS` turns of a runtime: each repetition puts the call back at the start (untimed)
/// and walks the same choice sequence.
fn stepping<S: Stepper>(
    row: &mut Row,
    plan: Plan,
    choices: &[u8],
    mut fresh: impl FnMut() -> S,
    mut reset: impl FnMut(&mut S),
) {
    let mut s = fresh();
    let (mut turns, mut alls, mut restart) = (Vec::new(), Vec::new(), Vec::new());
    let n = choices.len() as f64;
    row.stepped = true;
    median_of(plan.step_reps, plan.step_budget, || {
        reset(&mut s);
        let (all, in_restarts, restarts) = walk(&mut s, choices);
        let (all_ns, restarts_ns) = (all.as_secs_f64() * 1e9, in_restarts.as_secs_f64() * 1e9);
        turns.push((all_ns - restarts_ns) / n);
        alls.push(all_ns / n);
        restart.push(if restarts > 0 { restarts_ns / restarts as f64 } else { 0.0 });
        row.restarts = restarts;
        all
    });
    // The warm-up repetition is not a sample.
    row.turn = median(turns.split_off(1));
    row.turn_all = median(alls.split_off(1));
    row.restart = median(restart.split_off(1));
}

/// Walks `CHECKED_TURNS` turns and returns the line after each (`None` where the call ended).
fn trace(s: &mut impl Stepper, choices: &[u8]) -> Vec<Option<u32>> {
    choices
        .iter()
        .map(|&k| {
            if s.step(usize::from(k)) {
                s.restart();
                None
            } else {
                s.node()
            }
        })
        .collect()
}

fn check(name: &str, got: &[Option<u32>], want: &[Option<u32>]) -> Result<(), String> {
    match got.iter().zip(want).position(|(g, w)| g != w) {
        None if got.len() == want.len() => Ok(()),
        None => Err(format!("{name}: walked {} turns, expected {}", got.len(), want.len())),
        Some(i) => Err(format!("{name}: turn {i} is at {:?}, the graph says {:?}", got[i], want[i])),
    }
}

fn fmt_ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e6 {
        fmt_ms(Duration::from_secs_f64(ns / 1e9))
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

/// Where callforge's load goes: parsing into the model, then checking and compiling it. The content
/// hash is computed on first use (recording a run), not at load; it is timed for reference.
#[derive(Debug, Clone)]
struct Breakdown {
    nodes: usize,
    load: Duration,
    parse: Duration,
    hash: Duration,
}

fn load_breakdown(n: usize, src: &Sources, plan: Plan, rows: &[Row]) -> Result<Breakdown, String> {
    use callforge::domain::{Scenario, Script, content_hash, parse::ron_options};
    let load = rows.iter().find(|r| r.nodes == n && r.name == "callforge").and_then(|r| r.load).unwrap_or_default();
    let parse_both = || -> Result<(Script, Scenario), String> {
        let script = ron_options().from_str::<Script>(&src.script).map_err(|e| format!("callforge model: {e}"))?;
        let scenario =
            ron_options().from_str::<Scenario>(&src.scenario).map_err(|e| format!("callforge model: {e}"))?;
        Ok((script, scenario))
    };
    let (script, scenario) = parse_both()?;
    let parse = median_of(plan.load_reps, plan.load_budget, || {
        let t = Instant::now();
        let parsed = parse_both();
        let e = t.elapsed();
        drop(parsed);
        e
    });
    let hash = median_of(plan.load_reps, plan.load_budget, || {
        let t = Instant::now();
        std::hint::black_box(content_hash(&scenario, &script));
        t.elapsed()
    });
    Ok(Breakdown { nodes: n, load, parse, hash })
}

fn measure(n: usize, quick: bool, rows: &mut Vec<Row>, breakdown: &mut Vec<Breakdown>) -> Result<(), String> {
    let g = Graph::generate(n, GRAPH_SEED);
    let src = Sources::new(&g);
    let choices = graph::choice_sequence(CHOICE_SEED, TURNS);
    let want = g.walk(&choices[..CHECKED_TURNS]);
    let ends = want.iter().filter(|w| w.is_none()).count();
    eprintln!(
        "{n} nodes: scenario {} KiB, ink JSON {} KiB, Yarn {} KiB, Replique {} KiB",
        src.scenario.len() / 1024,
        src.ink_json.len() / 1024,
        src.yarn.len() / 1024,
        src.replique.len() / 1024
    );

    // The generated ink JSON must be what the ink compiler makes of the same graph.
    if runtimes::ink_compile(&src.ink_source)? != src.ink_json {
        return Err("the generated ink JSON differs from bladeink-compiler's output for the same graph".to_owned());
    }
    // The walks must agree before anything is timed.
    let cf = runtimes::callforge_load(src.script.clone(), src.scenario.clone())?;
    if cf.warnings > 0 {
        return Err(format!("callforge: the generated files have {} warnings", cf.warnings));
    }
    let (_, bare_scenario) = runtimes::bare::load(&src.script, &src.scenario)?;
    let checked = [
        ("callforge", trace(&mut runtimes::callforge_load(src.script.clone(), src.scenario.clone())?, &choices)),
        ("bare", trace(&mut runtimes::bare::Walk::new(&bare_scenario), &choices)),
        ("bladeink", trace(&mut runtimes::ink_load(&src.ink_json)?, &choices)),
        ("yarnspinner", trace(&mut runtimes::yarn_load(src.yarn.clone())?, &choices)),
        ("replique", trace(&mut runtimes::replique_load(src.replique.clone())?, &choices)),
    ];
    for (name, got) in &checked {
        check(name, &got[..CHECKED_TURNS], &want)?;
    }
    // Past the checked turns, the runtimes must still agree with each other.
    for (name, got) in &checked[1..] {
        check(name, got, &checked[0].1)?;
    }
    eprintln!(
        "  walk check: all five agree with the graph on the first {CHECKED_TURNS} turns ({ends} calls ended) and with each other on all {TURNS}"
    );

    let fast = Plan::new(quick, true);
    let slow = Plan::new(quick, false);
    let load_time = |plan: Plan, f: &mut dyn FnMut() -> Duration| median_of(plan.load_reps, plan.load_budget, f);

    // callforge: load + validate + start, then turns reading the line and the choices as a front end does.
    // Its load and the bare parse are timed in alternation, so that whatever else the machine does
    // weighs on both alike: their ratio is a target.
    let (cf_load, bare_load) = paired_medians(
        fast,
        || {
            let (script, scenario) = (src.script.clone(), src.scenario.clone());
            let t = Instant::now();
            let walk = runtimes::callforge_load(script, scenario);
            let e = t.elapsed();
            drop(walk.expect("callforge loads"));
            e
        },
        || {
            let t = Instant::now();
            let parsed = runtimes::bare::load(&src.script, &src.scenario);
            let e = t.elapsed();
            drop(parsed.expect("bare loads"));
            e
        },
    );
    let mut row = Row { nodes: n, name: "callforge", load: Some(cf_load), ..Row::default() };
    let cf_fresh = || runtimes::callforge_load(src.script.clone(), src.scenario.clone()).expect("callforge loads");
    stepping(&mut row, fast, &choices, cf_fresh, |s| s.restart());
    rows.push(row);

    let mut row = Row { nodes: n, name: "callforge, choose only", ..Row::default() };
    let cf_bare_fresh = || {
        let mut w = cf_fresh();
        w.read_text = false;
        w
    };
    stepping(&mut row, fast, &choices, cf_bare_fresh, |s| s.restart());
    rows.push(row);

    // The bare serde+ron baseline.
    let mut row = Row { nodes: n, name: "bare serde+ron", load: Some(bare_load), ..Row::default() };
    stepping(&mut row, fast, &choices, || runtimes::bare::Walk::new(&bare_scenario), |s| s.restart());
    rows.push(row);
    let mut row = Row { nodes: n, name: "bare serde+ron, choose only", ..Row::default() };
    let bare_choose_only = || {
        let mut w = runtimes::bare::Walk::new(&bare_scenario);
        w.read_text = false;
        w
    };
    stepping(&mut row, fast, &choices, bare_choose_only, |s| s.restart());
    rows.push(row);
    breakdown.push(load_breakdown(n, &src, fast, rows)?);

    // bladeink: load of the compiled JSON.
    let mut row = Row { nodes: n, name: "bladeink", ..Row::default() };
    row.load = Some(load_time(slow, &mut || {
        let t = Instant::now();
        let story = runtimes::ink_load(&src.ink_json);
        let e = t.elapsed();
        drop(story.expect("bladeink loads"));
        e
    }));
    stepping(&mut row, slow, &choices, || runtimes::ink_load(&src.ink_json).expect("bladeink loads"), |s| s.restart());
    rows.push(row);

    // bladeink from ink source: compile + load, for comparison with the runtimes that compile at load.
    let mut row = Row { nodes: n, name: "bladeink, compile + load", ..Row::default() };
    row.load = Some(load_time(slow, &mut || {
        let t = Instant::now();
        let story = runtimes::ink_compile(&src.ink_source).and_then(|json| runtimes::ink_load(&json));
        let e = t.elapsed();
        drop(story.expect("bladeink compiles and loads"));
        e
    }));
    rows.push(row);

    // yarnspinner: compile + load.
    let mut row = Row { nodes: n, name: "yarnspinner", ..Row::default() };
    row.load = Some(load_time(slow, &mut || {
        let source = src.yarn.clone();
        let t = Instant::now();
        let d = runtimes::yarn_load(source);
        let e = t.elapsed();
        drop(d.expect("yarnspinner loads"));
        e
    }));
    stepping(
        &mut row,
        slow,
        &choices,
        || runtimes::yarn_load(src.yarn.clone()).expect("yarnspinner loads"),
        |s| s.reset(),
    );
    rows.push(row);

    // replique: parse + compile + start. Between repetitions a fresh walk, since `start` refuses a
    // call that has not finished.
    let mut row = Row { nodes: n, name: "replique", ..Row::default() };
    row.load = Some(load_time(slow, &mut || {
        let source = src.replique.clone();
        let t = Instant::now();
        let d = runtimes::replique_load(source);
        let e = t.elapsed();
        drop(d.expect("replique loads"));
        e
    }));
    let replique = runtimes::replique_load(src.replique.clone()).expect("replique loads");
    stepping(&mut row, slow, &choices, || replique.fresh(), |s| *s = replique.fresh());
    rows.push(row);
    Ok(())
}

fn print_table(rows: &[Row]) {
    println!(
        "| nodes | runtime | load | turn | turn, with restarts | restart | restarts per {}k turns |",
        TURNS / 1000
    );
    println!("|---:|---|---:|---:|---:|---:|---:|");
    for r in rows {
        let turn = |ns: f64| if r.stepped { fmt_ns(ns) } else { "—".to_owned() };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.nodes,
            r.name,
            r.load.map_or("—".to_owned(), fmt_ms),
            turn(r.turn),
            turn(r.turn_all),
            turn(r.restart),
            if r.stepped { r.restarts.to_string() } else { "—".to_owned() }
        );
    }
}

fn print_breakdown(b: &[Breakdown]) {
    println!();
    println!("Where callforge's load goes (each step timed alone):");
    println!();
    println!(
        "| nodes | load | RON parse into the model | checks and compiling the graph | content hash (first use, not at load) |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for r in b {
        let rest = r.load.saturating_sub(r.parse);
        let pct = |d: Duration| format!("{} ({:.0}%)", fmt_ms(d), 100.0 * ratio(d, r.load));
        println!("| {} | {} | {} | {} | {} |", r.nodes, fmt_ms(r.load), pct(r.parse), pct(rest), fmt_ms(r.hash));
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn print_targets(rows: &[Row], sizes: &[usize]) {
    let get = |n: usize, name: &str| rows.iter().find(|r| r.nodes == n && r.name == name);
    println!();
    println!(
        "| nodes | fastest peer turn | callforge turn | peer ÷ callforge (≥ 10) | callforge load ÷ bare load (≤ 2) |"
    );
    println!("|---:|---|---:|---:|---:|");
    for &n in sizes {
        let (Some(cf), Some(bare)) = (get(n, "callforge"), get(n, "bare serde+ron")) else { continue };
        let Some(peer) = ["bladeink", "yarnspinner", "replique"]
            .iter()
            .filter_map(|p| get(n, p))
            .min_by(|a, b| a.turn.total_cmp(&b.turn))
        else {
            continue;
        };
        let (Some(cl), Some(bl)) = (cf.load, bare.load) else { continue };
        println!(
            "| {n} | {} {} | {} | {:.1}× | {:.2}× |",
            peer.name,
            fmt_ns(peer.turn),
            fmt_ns(cf.turn),
            peer.turn / cf.turn,
            ratio(cl, bl)
        );
    }
    println!();
    println!("Growth from one size to the next, 10× the nodes: 10× is linear, 1× is flat.");
    println!();
    println!("| runtime | load grows | turn grows |");
    println!("|---|---|---|");
    for name in ["callforge", "bare serde+ron", "bladeink", "bladeink, compile + load", "yarnspinner", "replique"] {
        let steps: Vec<String> = sizes
            .windows(2)
            .filter_map(|w| {
                let (a, b) = (get(w[0], name)?, get(w[1], name)?);
                Some(format!("{}→{}: {:.1}×", w[0], w[1], ratio(b.load?, a.load?)))
            })
            .collect();
        let turns: Vec<String> = sizes
            .windows(2)
            .filter_map(|w| {
                let (a, b) = (get(w[0], name)?, get(w[1], name)?);
                (a.stepped && b.stepped).then_some(())?;
                Some(format!("{}→{}: {:.2}×", w[0], w[1], b.turn / a.turn))
            })
            .collect();
        println!("| {name} | {} | {} |", steps.join(", "), turns.join(", "));
    }
}

/// `--profile WHAT NODES [TIMES]`: one thing in a loop for a profiler (`perf record`,
/// `valgrind --tool=callgrind`).
fn profile(what: &str, n: usize, reps: Option<usize>) -> Result<(), String> {
    let g = Graph::generate(n, GRAPH_SEED);
    let src = Sources::new(&g);
    let choices = graph::choice_sequence(CHOICE_SEED, TURNS);
    let reps = reps.unwrap_or((1_000_000 / n).clamp(3, 1000));
    let t = Instant::now();
    match what {
        "callforge-load" => {
            for _ in 0..reps {
                drop(runtimes::callforge_load(src.script.clone(), src.scenario.clone())?);
            }
        }
        "bare-load" => {
            for _ in 0..reps {
                drop(runtimes::bare::load(&src.script, &src.scenario)?);
            }
        }
        "callforge-turns" => {
            let mut s = runtimes::callforge_load(src.script.clone(), src.scenario.clone())?;
            for _ in 0..reps.min(100) {
                s.restart();
                walk(&mut s, &choices);
            }
        }
        other => return Err(format!("--profile takes callforge-load, bare-load or callforge-turns, not {other}")),
    }
    eprintln!("{what} at {n} nodes: {reps} times in {:.2} s", t.elapsed().as_secs_f64());
    Ok(())
}

fn usage() -> ! {
    eprintln!("usage: callforge-bench [--quick | --profile callforge-load|bare-load|callforge-turns NODES [TIMES]]");
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => false,
        ["--quick"] => true,
        ["--profile", what, n, ref times @ ..] if times.len() <= 1 => {
            let Ok(n) = n.parse::<usize>() else { usage() };
            let times = match times {
                [t] => Some(t.parse::<usize>().unwrap_or_else(|_| usage())),
                _ => None,
            };
            if let Err(e) = profile(what, n.max(2), times) {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
            return;
        }
        _ => usage(),
    };
    let sizes: &[usize] = if quick { &[100, 1000] } else { &[100, 1000, 10_000] };
    eprintln!("callforge-bench: {VERSIONS}; {TURNS} turns, choices from xorshift({CHOICE_SEED}) % 3");
    let started = Instant::now();
    let mut rows = Vec::new();
    let mut breakdown = Vec::new();
    for &n in sizes {
        if let Err(e) = measure(n, quick, &mut rows, &mut breakdown) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
    eprintln!("measured in {:.0} s", started.elapsed().as_secs_f64());
    print_table(&rows);
    print_targets(&rows, sizes);
    print_breakdown(&breakdown);
}
