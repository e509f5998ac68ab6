//! Integration tests, one binary: each module covers one area of callforge.

#[cfg(feature = "gui")]
mod app;
mod architecture;
mod assignments;
mod attacks;
mod cli;
mod content;
mod department;
mod diagnostics;
mod drills;
mod faults;
#[cfg(feature = "gui")]
mod first_day;
mod golden;
mod ladder;
mod properties;
mod records;
mod reliability;
mod report;
mod robustness;
mod runtime;
mod scorer_versions;
mod scoring;
mod script_sheet;
mod support;
mod voice;
