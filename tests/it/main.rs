//! The integration tests, as modules of one test binary (one link of the whole stack instead
//! of one per file): the shipped scenarios, the command line, determinism, properties with
//! common random numbers, golden summaries, hostile input, what the installation ships
//! (version, completions, man pages), and the app by meaning.

// A test crate: a failed `unwrap` or `expect` is a failed test, also in the shared helpers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod hostile;

mod analysis;
mod bad_input;
mod classroom;
mod cli;
mod cli_bad_files;
mod crash_safe_save;
mod determinism;
mod faults;
mod figures;
mod file_dialogs;
mod golden;
mod install;
mod job_panic;
mod limits;
mod merge_faults;
mod mutation;
mod parse_messages;
mod preserving_saves;
mod properties;
mod scenarios;
mod tables;
mod tidy;
mod ui;
mod ui_disk;
mod ui_disk_gone;
mod ui_drafts;
mod ui_figures;
mod ui_limits;
mod ui_typing;
mod ui_warnings;
mod uncertain_geometry;
