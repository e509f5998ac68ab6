//! Validation speed on broken files: thousands of broken references, hundreds of thousands of unreachable nodes, one long line.
//!
//! `cargo bench --no-default-features --bench validate [-- CASE …]`, CASE one of `refs` (5,000,
//! 20,000 and 80,000 broken references), `unreachable` (50,000 and 200,000 unreachable nodes),
//! `long-line` (all of them without one). Each generated scenario is loaded with its
//! script by `Library::from_sources` (reading, validating and compiling, as `callforge validate`
//! does without the disk) and every diagnostic is rendered as the terminal shows it. The median of
//! 5 repetitions (`CALLFORGE_BENCH_REPS` to change) is reported, with the number of diagnostics and
//! the bytes they render to.

use callforge::cli::render_diagnostic;
use callforge::domain::{Library, SourceFile};
use std::time::{Duration, Instant};

const SCRIPT: &str = r#"Script(
    id: "s",
    version: 1,
    role: Generator,
    title: "Cold call",
    stages: [Stage(id: "greeting", title: "Greet", line: "Good afternoon, my name is {trainee}.", weight: 1)],
)
"#;

/// A scenario with a valid start and end, and `nodes` after them.
fn scenario(nodes: &str) -> String {
    format!(
        r#"Scenario(id: "generator/big", version: 1, title: "Big", role: Generator, language: "en", script: "s",
    brief: "Call.", persona: Persona(name: "A", position: "B", company: "C", patience: 2), start: "hello",
    nodes: {{
        "hello": Line(say: ["Hi"], expect: Some("greeting"), choices: [Choice(text: "Hi", stage: Some("greeting"), next: "end")]),
        "end": End(outcome: Success, label: "Done"),
{nodes}    }},
)
"#
    )
}

/// `n` lines, each with a `next` naming a node that does not exist (a different name each).
fn broken_references(n: usize) -> String {
    scenario(
        &(0..n)
            .map(|i| {
                format!("        \"n{i}\": Line(say: [\"Hi\"], choices: [Choice(text: \"Hi\", next: \"gone{i}\")]),\n")
            })
            .collect::<String>(),
    )
}

/// `n` endings nothing leads to, in compact form to stay under the file size limit.
fn unreachable_nodes(n: usize) -> String {
    scenario(&(0..n).map(|i| format!("\"u{i:x}\":End(outcome:Failure,label:\"x\"),")).collect::<String>())
}

/// One line of about 7 MiB: a scenario with 2,000 unknown fields of 3.5 KiB each.
fn long_line() -> String {
    let value = "x".repeat(3_500);
    let fields: String = (0..2_000).map(|i| format!("unknown_{i}: \"{value}\", ")).collect();
    format!("Scenario({fields})")
}

/// A case: its name on the command line, what it is, and its scenario.
type Case = (&'static str, String, Box<dyn Fn() -> String>);

/// 20000 as `20,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let mut cases: Vec<Case> = Vec::new();
    for n in [5_000, 20_000, 80_000] {
        cases.push((
            "refs",
            format!("{} broken `next` references", thousands(n)),
            Box::new(move || broken_references(n)),
        ));
    }
    for n in [50_000, 200_000] {
        cases.push((
            "unreachable",
            format!("{} unreachable nodes", thousands(n)),
            Box::new(move || unreachable_nodes(n)),
        ));
    }
    cases.push(("long-line", "one 7 MiB line, 2,000 unknown fields".to_owned(), Box::new(long_line)));
    let reps: usize = std::env::var("CALLFORGE_BENCH_REPS").ok().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    println!("| case | file | load and validate | render | diagnostics | rendered |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, what, make) in &cases {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == name) {
            continue;
        }
        let text = make();
        let (mut loads, mut renders) = (Vec::new(), Vec::new());
        let (mut count, mut bytes) = (0, 0);
        for _ in 0..reps {
            let files =
                vec![SourceFile::new("scripts/s.ron", SCRIPT), SourceFile::new("generator/big.ron", text.clone())];
            let started = Instant::now();
            let lib = Library::from_sources(files);
            loads.push(started.elapsed());
            let started = Instant::now();
            let rendered: usize = lib.diagnostics.iter().map(|d| render_diagnostic(d, false).len()).sum();
            renders.push(started.elapsed());
            (count, bytes) = (lib.diagnostics.len(), rendered);
        }
        println!(
            "| {what} | {:.1} MiB | {:.3} s | {:.2} ms | {count} | {:.1} KiB |",
            text.len() as f64 / (1024.0 * 1024.0),
            median(loads).as_secs_f64(),
            median(renders).as_secs_f64() * 1000.0,
            bytes as f64 / 1024.0
        );
    }
}
