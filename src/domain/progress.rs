//! A trainee's own progress: their calls' scores over time, and how strong each script stage is now with its trend, from their runs and stage reviews.
//!
//! Pure: the records hand in the runs and the day-by-day stage reviews, the caller gives "now".

use super::drill;
use super::ladder::RunFact;
use super::library::Library;
use super::model::{Mode, Role};
use super::schedule::{self, Review, StageKey};
use serde::Serialize;

/// How many of the latest calls the score chart shows.
pub const CALLS_SHOWN: usize = 40;
/// How many review days make a stage's "recent" strength, and the stretch before it its trend is
/// measured against.
pub const RECENT_DAYS: usize = 3;
/// A change in mean quality smaller than this is steady.
pub const TREND_STEP: f64 = 0.1;

/// One call on the score chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScorePoint {
    /// When the records received it.
    pub at: i64,
    pub score: u32,
    /// It reached its scenario's pass mark.
    pub passed: bool,
    pub pass_mark: u32,
    pub mode: Mode,
    pub scenario: String,
}

/// The latest calls (drill answers are one line each, so they are not calls), oldest first.
pub fn score_points(facts: &[RunFact], lib: &Library) -> Vec<ScorePoint> {
    let calls: Vec<&RunFact> = facts.iter().filter(|f| f.mode != Mode::Drill).collect();
    let start = calls.len().saturating_sub(CALLS_SHOWN);
    calls[start..]
        .iter()
        .map(|f| {
            let mark = lib.scenario(&f.scenario).map_or(80, |p| p.scenario.pass_mark);
            ScorePoint {
                at: f.at,
                score: f.score,
                passed: f.score >= mark,
                pass_mark: mark,
                mode: f.mode,
                scenario: f.scenario.clone(),
            }
        })
        .collect()
}

/// The pass mark most of these calls have (the chart draws it as a line); 80 without calls.
pub fn usual_pass_mark(points: &[ScorePoint]) -> u32 {
    let mut counts = std::collections::BTreeMap::new();
    for p in points {
        *counts.entry(p.pass_mark).or_insert(0u32) += 1;
    }
    counts.into_iter().max_by_key(|(mark, n)| (*n, *mark)).map_or(80, |(mark, _)| mark)
}

/// Which way a stage is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Trend {
    /// Better lately than before.
    Up,
    /// Worse lately than before.
    Down,
    Steady,
    /// Too few days of it to say.
    New,
}

impl Trend {
    /// An arrow for a chart.
    pub fn arrow(self) -> &'static str {
        match self {
            Trend::Up => "↑",
            Trend::Down => "↓",
            Trend::Steady => "→",
            Trend::New => "·",
        }
    }
}

/// How strong one stage of the script is now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageStrength {
    pub key: StageKey,
    /// The stage's title in the trainee's language.
    pub title: String,
    /// The mean quality (0–1) of its recent days of reviews: the later half, at most
    /// [`RECENT_DAYS`].
    pub strength: f64,
    pub trend: Trend,
    /// FSRS's estimate of recalling it today (0–1).
    pub recall: f64,
    /// Days it was reviewed on.
    pub days: u32,
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() { 0.0 } else { xs.iter().sum::<f64>() / xs.len() as f64 }
}

/// Every stage of the role (in script order, in `language`) the trainee has met, with its strength
/// and trend: the later half of its review days (at most [`RECENT_DAYS`]) against as many before;
/// one day alone has no trend.
pub fn strengths(lib: &Library, role: Role, language: &str, reviews: &[Review], now: i64) -> Vec<StageStrength> {
    let memories = schedule::memories(reviews);
    drill::stages(lib, role, language)
        .into_iter()
        .filter_map(|key| {
            let mut days: Vec<&Review> =
                reviews.iter().filter(|r| r.role == key.role && r.stage == key.stage).collect();
            if days.is_empty() {
                return None;
            }
            days.sort_by_key(|r| r.at);
            let q: Vec<f64> = days.iter().map(|r| r.quality).collect();
            // The recent half of the days, at most RECENT_DAYS of them, against as many before.
            let split = q.len() - q.len().div_ceil(2).min(RECENT_DAYS);
            let (before, recent) = q.split_at(split);
            let before = &before[before.len().saturating_sub(RECENT_DAYS)..];
            let strength = mean(recent);
            let trend = if before.is_empty() {
                Trend::New
            } else {
                let change = strength - mean(before);
                if change > TREND_STEP {
                    Trend::Up
                } else if change < -TREND_STEP {
                    Trend::Down
                } else {
                    Trend::Steady
                }
            };
            let recall = memories.iter().find(|m| m.key == key).map_or(0.0, |m| m.recall_at(now));
            Some(StageStrength {
                title: drill::stage_title(lib, &key, language),
                key,
                strength,
                trend,
                recall,
                days: q.len() as u32,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(day: i64, stage: &str, quality: f64) -> Review {
        Review { at: day * schedule::DAY, role: Role::Generator, stage: stage.into(), quality, typed: true }
    }

    fn lib() -> Library {
        let script = r#"Script(id: "g", version: 1, role: Generator, title: "G", stages: [
            Stage(id: "hi", title: "Greet", line: "Good morning, this is Northwind.", weight: 50),
            Stage(id: "ask", title: "Ask for the meeting", line: "May I come on Tuesday?", weight: 50),
            Stage(id: "bye", title: "Say goodbye", line: "Thank you, goodbye.", weight: 0),
        ])"#;
        let scenario = r#"Scenario(id: "generator/a", version: 1, title: "A", role: Generator, language: "en",
            script: "g", brief: "b", pass_mark: 70,
            persona: Persona(name: "Ann", position: "Buyer", company: "Initech", patience: 3), start: "a",
            nodes: {
                "a": Line(say: ["Hello?"], expect: "hi", choices: [Choice(text: "right", stage: "hi", next: "b")]),
                "b": Line(say: ["And?"], expect: "ask", choices: [Choice(text: "right", stage: "ask", next: "z")]),
                "z": End(outcome: Success, label: "Done"),
            })"#;
        let files = [("scripts/g.ron", script), ("generator/a.ron", scenario)];
        let lib = Library::from_sources(files.iter().map(|(p, t)| super::super::SourceFile::new(*p, *t)).collect());
        assert!(lib.diagnostics.iter().all(|d| !d.is_error()), "{:?}", lib.diagnostics);
        lib
    }

    #[test]
    fn a_stage_going_better_goes_up_one_going_worse_goes_down() {
        let lib = lib();
        let mut reviews = vec![
            review(1, "hi", 0.2),
            review(2, "hi", 0.3),
            review(3, "hi", 0.9),
            review(4, "hi", 1.0),
            review(5, "hi", 0.9),
        ];
        reviews.extend([review(1, "ask", 1.0), review(2, "ask", 1.0), review(3, "ask", 0.4), review(4, "ask", 0.5)]);
        let s = strengths(&lib, Role::Generator, "en", &reviews, 6 * schedule::DAY);
        let names: Vec<(&str, Trend)> = s.iter().map(|x| (x.title.as_str(), x.trend)).collect();
        assert_eq!(
            names,
            [("Greet", Trend::Up), ("Ask for the meeting", Trend::Down)],
            "script order; unmet stages left out"
        );
        assert!((s[0].strength - (0.9 + 1.0 + 0.9) / 3.0).abs() < 1e-9);
        assert_eq!(s[0].days, 5);
        assert!(s[0].recall > 0.5 && s[0].recall <= 1.0);
        let one = strengths(&lib, Role::Generator, "en", &[review(1, "hi", 0.8)], schedule::DAY);
        assert_eq!(one[0].trend, Trend::New);
        let steady = [review(1, "hi", 0.8), review(2, "hi", 0.85)];
        assert_eq!(strengths(&lib, Role::Generator, "en", &steady, 3 * schedule::DAY)[0].trend, Trend::Steady);
    }

    #[test]
    fn the_chart_shows_the_latest_calls_and_their_pass_marks() {
        let lib = lib();
        let fact = |score, mode, at| RunFact {
            scenario: "generator/a".into(),
            role: Role::Generator,
            mode,
            score,
            critical: false,
            finished: true,
            version: 1,
            hash: String::new(),
            at,
            sitting: super::super::ladder::Sitting::NoTicket,
        };
        let mut facts: Vec<RunFact> = (0..50).map(|i| fact(60 + (i % 20), Mode::Practice, i64::from(i))).collect();
        facts.push(fact(100, Mode::Drill, 99));
        let points = score_points(&facts, &lib);
        assert_eq!(points.len(), CALLS_SHOWN);
        assert_eq!(points[0].at, 10, "the latest forty, oldest first");
        assert!(points.iter().all(|p| p.mode != Mode::Drill));
        assert!(points.iter().all(|p| p.passed == (p.score >= 70)), "the scenario's own pass mark");
        assert_eq!(usual_pass_mark(&points), 70);
        assert_eq!(usual_pass_mark(&[]), 80);
    }
}
