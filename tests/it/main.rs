//! The integration tests: one crate, one binary, one module per topic.
//!
//! Every module that runs the built `tokenlint` spawns it through
//! [`common::tokenlint`], which scrubs the environment variables that change
//! the CLI's defaults, so a run is the same on every machine. Run one topic
//! with a filter: `cargo test --test it snapshots::`.

// Test helpers print what a failure needs and unwrap: a panic is a failed test.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

/// Counts each thread's live bytes, for `memory`'s structural checks.
#[global_allocator]
static ALLOC: memory::Counting = memory::Counting;

mod answers;
mod argv;
mod attacks;
mod bounded_reads;
mod calm_cli;
mod canary;
mod captures;
mod captures_faithful;
mod cli;
mod dpop_cli;
mod fixtures;
mod formats;
mod growth;
mod limits;
mod memory;
mod messages;
mod offline;
mod precommit;
mod proptest_captures;
mod proptest_cert_jwt;
mod proptest_jwk_x509;
mod proptest_parsers;
mod readme;
mod rule_docs;
mod secrets;
mod send;
mod send_answers;
mod snapshots;
mod streaming;
mod stub;
mod terminal;
mod toolkit_jwt;
mod wycheproof;
