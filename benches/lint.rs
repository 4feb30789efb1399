//! Criterion benchmarks of the lint path (no process start, no I/O):
//!
//! - `one_fixture`: load + lint one typical fixture
//!   (`testdata/good/authorization-code-pkce.json`), and a bad one;
//! - `corpus_10k`: load + lint the 10,000 parameter-only fixtures of
//!   `bench/corpus.rs`, held in memory; criterion reports fixtures per second.
//!
//! `cargo bench --bench lint`; `bench/run.sh` measures the binary end to end.

// A benchmark prints its figures, and a failed setup is a failed run.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use tokenlint::lint::{self, Settings};
use tokenlint::request::fixture;

#[path = "../bench/corpus.rs"]
mod corpus;

const NOW: i64 = 1_767_225_600;

fn read(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask testdata`", p.display()))
}

fn one_fixture(c: &mut Criterion) {
    let settings = Settings::with_now(NOW);
    let mut g = c.benchmark_group("one_fixture");
    for rel in [
        "good/authorization-code-pkce.json",
        "bad/multi-postman-plus.json",
    ] {
        let bytes = read(rel);
        g.throughput(Throughput::Elements(1));
        g.bench_function(rel, |b| {
            b.iter(|| {
                let loaded = fixture::load_bytes(rel, black_box(&bytes));
                black_box(lint::lint(&loaded, &settings))
            })
        });
    }
    g.finish();
}

fn corpus_10k(c: &mut Criterion) {
    let settings = Settings::with_now(NOW);
    let fixtures: Vec<(String, String)> = (0..corpus::COUNT)
        .map(|i| (corpus::file_name(i), corpus::fixture(i)))
        .collect();
    let mut g = c.benchmark_group("corpus_10k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(fixtures.len() as u64));
    g.bench_function("parameter_only", |b| {
        b.iter(|| {
            let mut errors = 0usize;
            for (name, text) in &fixtures {
                let loaded = fixture::load_bytes(name, black_box(text.as_bytes()));
                errors += usize::from(lint::lint(&loaded, &settings).has_errors());
            }
            black_box(errors)
        })
    });
    g.finish();
}

criterion_group!(benches, one_fixture, corpus_10k);
criterion_main!(benches);
