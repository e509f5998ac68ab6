//! callforge: a sales-call training simulator — scripted customers, script-adherence scoring, exams and promotions.

pub mod cli;
pub mod domain;
