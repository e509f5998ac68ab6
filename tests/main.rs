//! Integration tests, one binary: each module covers one area of callforge.

#[cfg(feature = "gui")]
mod app;
mod architecture;
mod cli;
mod content;
mod diagnostics;
mod faults;
mod golden;
mod properties;
mod records;
mod reliability;
mod report;
mod robustness;
mod runtime;
mod scorer_versions;
mod scoring;
mod support;
mod voice;
