//! Spaced repetition of script stages: when each (trainee, stage) pair is due again, by FSRS.
//!
//! Every stored run says how each script stage it reached went (`quality`, 0–1). Each stage of a
//! role is a card of the FSRS scheduler (the one behind Anki; the `rs-fsrs` crate, long-term
//! scheduling in whole days, no fuzz): a day's results for a stage become one review, rated from
//! how well it went and how it was answered, and the scheduler says when the stage is due next. A
//! missed stage comes back within a day or two; a mastered one later and later.
//!
//! Pure: the caller passes the reviews and "now" (the records' clock), so the same records give
//! the same schedule on every machine and on every run.

use super::model::{Mode, Role};
use chrono::{DateTime, Utc};
use rs_fsrs::{Card, FSRS, Parameters, Rating, Seed};
use serde::Serialize;
use std::collections::BTreeMap;

/// Seconds in a day: reviews are grouped, and intervals counted, in whole days (UTC).
pub const DAY: i64 = 86_400;

/// The probability of recall the schedule aims for when a stage comes due.
pub const RETENTION: f64 = 0.9;

/// FSRS-5's published default parameters, as the crate ships them (a test checks they agree).
const WEIGHTS: [f64; 19] = [
    0.4072, 1.1829, 3.1262, 15.4722, 7.2102, 0.5316, 1.0651, 0.0234, 1.616, 0.1544, 1.0824, 1.9813, 0.0953, 0.2975,
    2.2042, 0.2407, 2.9466, 0.5034, 0.6567,
];

/// One stage of one run: when the records received it, the role and stage, how well it went.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub at: i64,
    pub role: Role,
    pub stage: String,
    /// 0–1, as the run's breakdown says.
    pub quality: f64,
    pub mode: Mode,
}

/// How a day's answers of a stage went, in three of FSRS's four grades. FSRS's Easy says a recall
/// took no effort, which a typed line cannot show; a perfect line is Good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Grade {
    Again,
    Hard,
    Good,
}

impl Grade {
    /// The grade of a stage answered with mean quality `q` in `mode`: a miss (or a line capped for
    /// a missing must-mention phrase) is Again, a line close to the script Good, one in between
    /// Hard. Picked replies (Practice, Exam) are right or wrong, so a day with some of each is
    /// Hard. Recognising the line among others is easier than recalling it, but a pick is still the
    /// script's line, so a right one is Good too; a typed line is what drills and Recall ask for.
    pub fn of(q: f64, mode: Mode) -> Grade {
        let typed = matches!(mode, Mode::Recall | Mode::Drill);
        match (typed, q) {
            (_, q) if q < 0.5 => Grade::Again,
            (true, q) if q < 0.85 => Grade::Hard,
            (false, q) if q < 1.0 => Grade::Hard,
            _ => Grade::Good,
        }
    }

    fn rating(self) -> Rating {
        match self {
            Grade::Again => Rating::Again,
            Grade::Hard => Rating::Hard,
            Grade::Good => Rating::Good,
        }
    }
}

/// A stage of a role: what is scheduled.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct StageKey {
    pub role: Role,
    pub stage: String,
}

/// Where one stage stands for one trainee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Memory {
    pub key: StageKey,
    /// When it is due next (seconds, UTC).
    pub due: i64,
    /// The day of its last review (seconds, UTC, the start of that day).
    pub last: i64,
    /// Days from the last review to the due date.
    pub interval_days: i64,
    /// FSRS stability: days until recall falls to 90%.
    pub stability: f64,
    /// FSRS difficulty, 1–10.
    pub difficulty: f64,
    /// Days it was reviewed on.
    pub reviews: u32,
    /// Reviews graded Again after it had been learned.
    pub lapses: u32,
    pub last_grade: Grade,
}

impl Memory {
    /// The estimated probability of recalling the stage at `now`.
    pub fn recall_at(&self, now: i64) -> f64 {
        let days = ((now - self.last).max(0) / DAY) as f64;
        Parameters::forgetting_curve(days, self.stability.max(0.01))
    }
}

fn scheduler() -> FSRS {
    FSRS::new(Parameters {
        request_retention: RETENTION,
        maximum_interval: 36_500,
        w: WEIGHTS,
        decay: Parameters::DECAY,
        factor: Parameters::FACTOR,
        enable_short_term: false,
        enable_fuzz: false,
        // Unused without fuzz; given so that nothing reads the clock for a default seed.
        seed: Seed::from("callforge"),
    })
}

fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// The start of the (UTC) day holding `at`.
pub fn day_of(at: i64) -> i64 {
    at.div_euclid(DAY) * DAY
}

/// Each stage's memory after every review in `reviews` (any order): one FSRS review per stage and
/// day, graded from the day's mean quality (in the mode of its last answer that day). Sorted by
/// stage.
pub fn memories(reviews: &[Review]) -> Vec<Memory> {
    // (stage, day) → (sum of quality, count, mode of the latest answer, its time)
    let mut days: BTreeMap<(&StageKey, i64), (f64, u32, Mode, i64)> = BTreeMap::new();
    let keys: Vec<StageKey> = reviews.iter().map(|r| StageKey { role: r.role, stage: r.stage.clone() }).collect();
    for (r, key) in reviews.iter().zip(&keys) {
        let e = days.entry((key, day_of(r.at))).or_insert((0.0, 0, r.mode, r.at));
        e.0 += r.quality.clamp(0.0, 1.0);
        e.1 += 1;
        if r.at >= e.3 {
            e.2 = r.mode;
            e.3 = r.at;
        }
    }
    let fsrs = scheduler();
    let mut out: Vec<Memory> = Vec::new();
    let mut card: Option<(Card, Memory)> = None;
    for ((key, day), (sum, n, mode, _)) in days {
        let grade = Grade::of(sum / f64::from(n), mode);
        let (prev, mut memory) = match card.take() {
            Some((c, m)) if m.key == *key => (c, m),
            other => {
                if let Some((_, m)) = other {
                    out.push(m);
                }
                let start = instant(day);
                let fresh = Card { due: start, last_review: start, ..Card::default() };
                let memory = Memory {
                    key: key.clone(),
                    due: day,
                    last: day,
                    interval_days: 0,
                    stability: 0.0,
                    difficulty: 0.0,
                    reviews: 0,
                    lapses: 0,
                    last_grade: grade,
                };
                (fresh, memory)
            }
        };
        let next = fsrs.next(prev, instant(day), grade.rating()).card;
        memory.due = next.due.timestamp();
        memory.last = day;
        memory.interval_days = next.scheduled_days;
        memory.stability = next.stability;
        memory.difficulty = next.difficulty;
        memory.reviews += 1;
        memory.lapses = u32::try_from(next.lapses).unwrap_or(0);
        memory.last_grade = grade;
        card = Some((next, memory));
    }
    if let Some((_, m)) = card {
        out.push(m);
    }
    out
}

/// A stage to drill now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Due {
    pub key: StageKey,
    /// When it fell due; `None` for a stage never reviewed.
    pub due: Option<i64>,
    /// Its estimated probability of recall now (0 for a stage never reviewed).
    pub recall: f64,
}

/// The stages of `stages` due at `now`: those whose due date has come, most forgotten first, then
/// at most `new_per_day` never reviewed, in the order given (the script's order).
pub fn due(memories: &[Memory], stages: &[StageKey], now: i64, new_per_day: usize) -> Vec<Due> {
    let known: BTreeMap<&StageKey, &Memory> = memories.iter().map(|m| (&m.key, m)).collect();
    let mut out: Vec<Due> = stages
        .iter()
        .filter_map(|k| known.get(k))
        .filter(|m| m.due <= now)
        .map(|m| Due { key: m.key.clone(), due: Some(m.due), recall: m.recall_at(now) })
        .collect();
    out.sort_by(|a, b| a.recall.total_cmp(&b.recall).then_with(|| a.key.cmp(&b.key)));
    out.extend(stages.iter().filter(|k| !known.contains_key(k)).take(new_per_day).map(|k| Due {
        key: k.clone(),
        due: None,
        recall: 0.0,
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(day: i64, stage: &str, q: f64, mode: Mode) -> Review {
        Review { at: day * DAY + 3600, role: Role::Generator, stage: stage.to_owned(), quality: q, mode }
    }

    #[test]
    fn the_weights_are_the_crates_defaults() {
        assert_eq!(WEIGHTS, Parameters::default().w);
    }

    #[test]
    fn grades_follow_quality_and_how_it_was_answered() {
        assert_eq!(Grade::of(0.2, Mode::Recall), Grade::Again);
        assert_eq!(Grade::of(0.6, Mode::Drill), Grade::Hard);
        assert_eq!(Grade::of(0.9, Mode::Recall), Grade::Good);
        assert_eq!(Grade::of(1.0, Mode::Drill), Grade::Good);
        assert_eq!(Grade::of(1.0, Mode::Practice), Grade::Good);
        assert_eq!(Grade::of(0.5, Mode::Exam), Grade::Hard, "one pick of two right");
        assert_eq!(Grade::of(0.0, Mode::Exam), Grade::Again);
    }

    #[test]
    fn a_miss_comes_back_sooner_than_a_pass() {
        let missed = memories(&[review(10, "greeting", 0.1, Mode::Drill)]);
        let passed = memories(&[review(10, "greeting", 1.0, Mode::Drill)]);
        assert!(missed[0].due < passed[0].due, "{missed:?} {passed:?}");
        assert_eq!(missed[0].interval_days, 1);
    }

    #[test]
    fn one_review_per_stage_and_day_whatever_the_order() {
        let a = vec![
            review(3, "b", 1.0, Mode::Recall),
            review(1, "a", 0.2, Mode::Recall),
            review(1, "a", 1.0, Mode::Recall),
        ];
        let mut b = a.clone();
        b.reverse();
        let (ma, mb) = (memories(&a), memories(&b));
        assert_eq!(ma, mb);
        assert_eq!(ma.iter().map(|m| (m.key.stage.as_str(), m.reviews)).collect::<Vec<_>>(), [("a", 1), ("b", 1)]);
        assert_eq!(ma[0].last_grade, Grade::Hard, "the day's mean quality, (0.2 + 1.0) / 2, typed");
    }

    #[test]
    fn due_lists_forgotten_stages_first_then_new_ones() {
        let m = memories(&[review(0, "a", 1.0, Mode::Drill), review(0, "b", 0.0, Mode::Drill)]);
        let stages: Vec<StageKey> =
            ["a", "b", "c", "d"].iter().map(|s| StageKey { role: Role::Generator, stage: (*s).to_owned() }).collect();
        let now = 2 * DAY;
        let d = due(&m, &stages, now, 1);
        let names: Vec<&str> = d.iter().map(|d| d.key.stage.as_str()).collect();
        assert_eq!(names, ["b", "c"], "b missed and due, a not yet due, one new stage: {d:?}");
        assert!(d[1].due.is_none());
    }
}
