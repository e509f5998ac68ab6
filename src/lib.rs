//! callforge: a sales-call training simulator — scripted customers, script-adherence scoring, exams and promotions.

#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod clock;
pub mod domain;
pub mod records;
pub mod report;
