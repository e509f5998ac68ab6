//! The scoring contract, rule by rule, on a small hand-made scenario whose scores are worked out by hand.

use crate::support::{assert_close, choose, library, scored, typed};
use callforge::domain::Library;
use callforge::domain::model::{Input, Mode, Outcome};

const SCRIPT: &str = r#"Script(
    id: "t", version: 1, role: Generator, title: "Test",
    stages: [
        Stage(id: "hello", title: "Greet", line: "Hello, this is {trainee} from Acme.", must_mention: ["acme"], weight: 10, critical: true),
        Stage(id: "reason", title: "Reason", line: "We deliver office paper the next day.", weight: 30),
        Stage(id: "close", title: "Close", line: "Shall we meet on Monday at ten?", weight: 60, critical: true),
    ],
    forbidden: [
        Forbidden(phrase: "to be honest", penalty: 5),
        Forbidden(phrase: "stupid", penalty: 50, critical: true),
    ],
)"#;

const SCENARIO: &str = r#"Scenario(
    id: "generator/t", version: 1, title: "T", role: Generator, language: "en", script: "t",
    brief: "b", persona: Persona(name: "Ann", position: "Buyer", company: "Initech", patience: 2),
    start: "one",
    nodes: {
        "one": Line(say: ["Hello?"], expect: Some("hello"), choices: [
            Choice(text: "Hello, this is {trainee} from Acme.", stage: Some("hello"), next: "two"),
            Choice(text: "Hi there.", feedback: "Introduce yourself and the company.", patience: -1, next: "two"),
        ]),
        "two": Line(say: ["Yes?"], expect: Some("reason"), choices: [
            Choice(text: "We deliver office paper the next day.", stage: Some("reason"), next: "three"),
            Choice(text: "To be honest, we are cheap. To be honest!", stage: Some("reason"), next: "three"),
            Choice(text: "Shall we meet on Monday at ten?", stage: Some("close"), feedback: "Too early.", patience: -1, next: "three"),
        ]),
        "three": Line(say: ["Why?"], expect: Some("close"), choices: [
            Choice(text: "Shall we meet on Monday at ten?", stage: Some("close"), next: "won"),
            Choice(text: "You are stupid.", next: "lost"),
            Choice(text: "Bye.", next: "lost"),
        ]),
        "won": End(outcome: Success, label: "Meeting booked"),
        "lost": End(outcome: Failure, label: "Hung up"),
        "gone": End(outcome: Failure, label: "Out of patience"),
    },
    on_patience_out: "gone",
)"#;

fn lib() -> Library {
    library(&[("scripts/t.ron", SCRIPT), ("generator/t.ron", SCENARIO)])
}

#[test]
fn a_perfect_call_scores_100_and_passes() {
    let s = scored(&lib(), "generator/t", Mode::Practice, "Bob", choose(&[0, 0, 0]));
    assert_eq!((s.score, s.penalties, s.passed), (100, 0, true));
    assert_close(s.adherence, 100.0);
    assert_eq!((s.outcome, s.label.as_str()), (Outcome::Success, "Meeting booked"));
    assert!(s.critical.is_empty());
    assert_eq!(s.turns.len(), 3);
    assert!(s.turns.iter().all(|t| t.hit && t.q == Some(1.0)));
}

#[test]
fn weights_decide_adherence_and_a_missed_stage_scores_zero() {
    // reason (weight 30) missed: (10 + 60) / 100
    let s = scored(&lib(), "generator/t", Mode::Practice, "Bob", choose(&[0, 2, 0]));
    assert_close(s.adherence, 70.0);
    assert_eq!(s.score, 70);
    assert!(!s.passed, "70 is below the pass mark 80");
    assert!(s.critical.is_empty(), "reason is not critical");
    assert_eq!(s.turns[1].q, Some(0.0));
    assert_eq!(s.turns[1].feedback, "Too early.", "the author's feedback for the choice");
    assert!(s.reason.contains("below the pass mark"), "{}", s.reason);
}

#[test]
fn every_occurrence_of_a_forbidden_phrase_costs_its_penalty() {
    let s = scored(&lib(), "generator/t", Mode::Practice, "Bob", choose(&[0, 1, 0]));
    assert_close(s.adherence, 100.0);
    assert_eq!(s.penalties, 10, "“to be honest” said twice");
    assert_eq!(s.score, 90);
    assert!(s.passed);
    assert_eq!(s.forbidden.len(), 1);
    assert_eq!((s.forbidden[0].count, s.forbidden[0].turns.clone()), (2, vec![1]));
}

#[test]
fn a_critical_phrase_and_a_missed_critical_stage_fail_the_call() {
    let s = scored(&lib(), "generator/t", Mode::Practice, "Bob", choose(&[0, 0, 1]));
    // adherence (10 + 30) = 40, minus 50, clamped at 0
    assert_close(s.adherence, 40.0);
    assert_eq!((s.penalties, s.score, s.passed), (50, 0, false));
    assert_eq!(s.critical.len(), 2, "{:?}", s.critical);
    assert!(s.critical[0].contains("Close"));
    assert!(s.critical[1].contains("stupid"));
    assert_eq!((s.outcome, s.label.as_str()), (Outcome::Failure, "Hung up"));
}

#[test]
fn a_critical_error_fails_even_above_the_pass_mark() {
    let s = scored(&lib(), "generator/t", Mode::Practice, "Bob", choose(&[1, 0, 0]));
    assert_eq!(s.score, 90);
    assert!(!s.passed);
    assert_eq!(s.critical, vec!["Critical stage missed: «Greet»".to_owned()]);
    assert!(s.reason.starts_with("Failed on a critical error"), "{}", s.reason);
}

#[test]
fn patience_running_out_goes_to_on_patience_out() {
    let s = scored(&lib(), "generator/t", Mode::Practice, "Bob", choose(&[1, 2]));
    assert_eq!((s.outcome, s.label.as_str()), (Outcome::Failure, "Out of patience"));
    assert_eq!(s.turns.len(), 2);
    assert_eq!(s.score, 0);
}

#[test]
fn hanging_up_scores_the_unanswered_line_as_nothing_said() {
    let mut inputs = choose(&[0]);
    inputs.push(Input::HangUp);
    let s = scored(&lib(), "generator/t", Mode::Practice, "Bob", inputs);
    // hello (10) hit, reason (30) unanswered: 10 / 40
    assert_close(s.adherence, 25.0);
    assert_eq!(s.score, 25);
    assert_eq!((s.outcome, s.label.as_str()), (Outcome::Failure, "Trainee hung up"));
    assert_eq!(s.turns[1].said, "");
}

#[test]
fn recall_scores_word_similarity_after_substituting_the_trainee() {
    let s = scored(
        &lib(),
        "generator/t",
        Mode::Recall,
        "Olga",
        typed(&["Hello, this is Olga from Acme!", "We deliver office paper next day", "Shall we meet Monday?"]),
    );
    let q: Vec<f64> = s.turns.iter().map(|t| t.q.unwrap_or(-1.0)).collect();
    assert_close(q[0], 1.0);
    assert_close(q[1], 12.0 / 13.0);
    assert_close(q[2], 8.0 / 11.0);
    assert_close(s.adherence, 10.0 + 30.0 * 12.0 / 13.0 + 60.0 * 8.0 / 11.0);
    assert_eq!(s.score, 81);
    assert!(s.passed);
    assert_eq!(s.outcome, Outcome::Success, "every hit followed the choice of the expected stage");
}

#[test]
fn a_missing_must_mention_caps_q_at_one_half_and_a_miss_scores_zero() {
    let s = scored(
        &lib(),
        "generator/t",
        Mode::Recall,
        "Olga",
        typed(&[
            "Hello, this is Olga from Acne.",
            "We deliver office paper the next day.",
            "Shall we meet on Monday at ten?",
        ]),
    );
    // sim 10/12 = 0.83, capped at 0.5 < 0.6: a miss, q = 0, and greeting is critical
    assert_eq!(s.turns[0].q, Some(0.0));
    assert!(!s.turns[0].hit);
    assert!(s.turns[0].notes.iter().any(|n| n.contains("acme")), "{:?}", s.turns[0].notes);
    assert_eq!(s.critical.len(), 1);
    // the miss followed the first choice of another stage, which costs patience 1 of 2
    assert_eq!(s.score, 90);
    assert!(!s.passed);
}

#[test]
fn min_similarity_is_inclusive() {
    // "we deliver paper": LCS 3 with the 7-word line, 2·3 / (3 + 7) = 0.6 exactly
    let hit = scored(
        &lib(),
        "generator/t",
        Mode::Recall,
        "Olga",
        typed(&["Hello, this is Olga from Acme.", "we deliver paper", "Shall we meet on Monday at ten?"]),
    );
    assert!(hit.turns[1].hit);
    assert_close(hit.turns[1].q.unwrap_or(0.0), 0.6);
    // "we deliver": 4 / 9 < 0.6
    let miss = scored(
        &lib(),
        "generator/t",
        Mode::Recall,
        "Olga",
        typed(&["Hello, this is Olga from Acme.", "we deliver", "Shall we meet on Monday at ten?"]),
    );
    assert!(!miss.turns[1].hit);
    assert_eq!(miss.turns[1].q, Some(0.0));
}

#[test]
fn recall_gives_a_word_diff_against_the_script_line() {
    use callforge::domain::text::DiffWord::*;
    let s = scored(
        &lib(),
        "generator/t",
        Mode::Recall,
        "Olga",
        typed(&[
            "Hello this is Olga from Acme",
            "We deliver paper the next day please",
            "Shall we meet on Monday at ten?",
        ]),
    );
    let diff = s.turns[1].diff.clone().unwrap_or_default();
    assert_eq!(diff[..4], [Same("we".into()), Same("deliver".into()), Missing("office".into()), Same("paper".into())]);
    assert_eq!(diff.last(), Some(&Extra("please".into())));
    assert!(s.turns.iter().all(|t| t.diff.is_some()));
}

#[test]
fn a_choice_in_recall_mode_is_scored_by_its_words() {
    let s = scored(&lib(), "generator/t", Mode::Recall, "Olga", choose(&[0, 0, 0]));
    assert_eq!(s.score, 100);
    let s = scored(&lib(), "generator/t", Mode::Recall, "Olga", choose(&[1, 0, 0]));
    assert_eq!(s.turns[0].q, Some(0.0), "“Hi there.” is nothing like the greeting");
}

#[test]
fn no_scored_turns_means_zero_adherence() {
    let script = SCRIPT;
    let scenario = r#"Scenario(id: "generator/free", version: 1, title: "F", role: Generator, language: "en", script: "t",
        brief: "b", persona: Persona(name: "A", position: "B", company: "C", patience: 1), start: "a",
        nodes: { "a": Line(say: ["Hi"], choices: [Choice(text: "Hi", next: "z")]), "z": End(outcome: Success, label: "ok") })"#;
    let lib = library(&[("scripts/t.ron", script), ("generator/free.ron", scenario)]);
    let s = scored(&lib, "generator/free", Mode::Practice, "Bob", choose(&[0]));
    assert_close(s.adherence, 0.0);
    assert_eq!((s.score, s.passed, s.outcome), (0, false, Outcome::Success));
    assert_eq!(s.turns[0].q, None);
}

const SCRIPT_RU: &str = r#"Script(
    id: "ru", version: 1, role: Generator, title: "Тест", language: "ru",
    stages: [
        Stage(id: "hello", title: "Приветствие", line: "Ещё раз здравствуйте, это «Северный ветер».", must_mention: ["северный ветер"], weight: 100, critical: true),
    ],
    forbidden: [Forbidden(phrase: "Честно говоря", penalty: 7)],
)"#;

const SCENARIO_RU: &str = r#"Scenario(
    id: "generator/ru", version: 1, title: "Р", role: Generator, language: "ru", script: "ru",
    brief: "б", persona: Persona(name: "Анна", position: "Секретарь", company: "Ромашка", patience: 2),
    start: "a",
    nodes: {
        "a": Line(say: ["Алло?"], expect: "hello", choices: [
            Choice(text: "Ещё раз здравствуйте, это «Северный ветер».", stage: "hello", next: "z"),
            Choice(text: "Здрасьте.", next: "z"),
        ]),
        "z": End(outcome: Success, label: "Готово"),
    },
)"#;

#[test]
fn russian_yo_quotes_and_case_do_not_matter() {
    let lib = library(&[("scripts/ru.ron", SCRIPT_RU), ("generator/ru.ron", SCENARIO_RU)]);
    for line in [
        "еще раз здравствуйте это северный ветер",
        "ЕЩЁ РАЗ ЗДРАВСТВУЙТЕ, ЭТО \"СЕВЕРНЫЙ ВЕТЕР\"!",
        "Ещё раз здравствуйте — это «Северный Ветер»",
    ] {
        let s = scored(&lib, "generator/ru", Mode::Recall, "Оля", typed(&[line]));
        assert_eq!(s.score, 100, "{line}");
    }
    let s = scored(
        &lib,
        "generator/ru",
        Mode::Recall,
        "Оля",
        typed(&["ЧЕСТНО ГОВОРЯ, ещё раз здравствуйте, это «Северный ветер»"]),
    );
    assert_eq!(s.penalties, 7);
    assert!(s.reason.starts_with("Сдано") || s.reason.starts_with("Не сдано"), "Russian feedback: {}", s.reason);
    assert!(s.turns[0].feedback.contains("сходство"), "{}", s.turns[0].feedback);
}

#[test]
fn scoring_is_deterministic_to_the_byte() {
    let a = scored(
        &lib(),
        "generator/t",
        Mode::Recall,
        "Olga",
        typed(&["Hello, this is Olga from Acme!", "We deliver paper", "Shall we meet?"]),
    );
    let b = scored(
        &lib(),
        "generator/t",
        Mode::Recall,
        "Olga",
        typed(&["Hello, this is Olga from Acme!", "We deliver paper", "Shall we meet?"]),
    );
    assert_eq!(serde_json::to_string(&a).ok(), serde_json::to_string(&b).ok());
}

#[test]
fn the_largest_penalties_and_patience_an_author_may_write_score_safely() {
    // Larger values are refused by validation (tests/robustness.rs); the largest allowed ones,
    // said over and over, keep the score at 0 and the call going.
    let script = SCRIPT.replace("penalty: 50, critical: true", "penalty: 100");
    let scenario = SCENARIO
        .replace("patience: 2)", "patience: 1000)")
        .replace("You are stupid.", "You are stupid, so stupid, stupid.")
        .replace(r#"Choice(text: "Bye.", next: "lost"),"#, r#"Choice(text: "Bye.", patience: 1, next: "lost"),"#);
    let lib = library(&[("scripts/t.ron", &script), ("generator/t.ron", &scenario)]);
    let s = scored(&lib, "generator/t", Mode::Practice, "Bob", choose(&[0, 0, 1]));
    assert_eq!((s.score, s.penalties), (0, 300));
    let s = scored(&lib, "generator/t", Mode::Practice, "Bob", choose(&[0, 0, 2]));
    assert_eq!(s.outcome, Outcome::Failure);
}
