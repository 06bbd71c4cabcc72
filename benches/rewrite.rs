//! `cargo bench`: the engine on single files of each kind, and on a batch of
//! generated files (parse only, and all passes). Figures: README "Speed".

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use slimfile::config::Settings;

#[path = "../tests/common/corpus.rs"]
mod corpus;

fn bench(c: &mut Criterion) {
    let settings = Settings::default();
    let mut g = c.benchmark_group("rewrite one file");
    for (name, seed) in [
        ("go", 0_u64),
        ("apt-heavy", 7),
        ("multi-stage", 5),
        ("heredoc", 8),
    ] {
        // the first seed of each kind
        let text = (seed..)
            .map(corpus::dockerfile)
            .find(|t| match name {
                "go" => t.contains("golang:${GO_VERSION}"),
                "apt-heavy" => t.contains("package-009"),
                "multi-stage" => t.contains("as stage1"),
                _ => t.contains("<<EOF"),
            })
            .unwrap();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| slimfile::engine::rewrite(text.as_bytes(), &settings, None).unwrap())
        });
    }
    g.finish();

    let files: Vec<String> = (0..500).map(corpus::dockerfile).collect();
    let bytes: u64 = files.iter().map(|f| f.len() as u64).sum();
    let mut g = c.benchmark_group("500 generated files");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("parse", |b| {
        b.iter(|| {
            for f in &files {
                slimfile::syntax::parse(f).unwrap();
            }
        })
    });
    g.bench_function("rewrite (all passes)", |b| {
        b.iter(|| {
            for f in &files {
                slimfile::engine::rewrite(f.as_bytes(), &settings, None).unwrap();
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
