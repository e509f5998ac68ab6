//! Golden runs.
