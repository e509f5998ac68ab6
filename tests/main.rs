//! Integration tests, one binary: each module covers one area of callforge.

mod cli;
mod content;
mod diagnostics;
mod golden;
mod runtime;
mod scoring;
mod support;
