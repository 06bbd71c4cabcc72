//! Writes a generated corpus of realistic Dockerfiles for `scripts/bench.py`:
//! `cargo run --release --example gen_corpus -- DIR N`.

#[path = "../tests/common/corpus.rs"]
mod corpus;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: gen_corpus DIR N"));
    let n: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(5000);
    let bytes = corpus::write(&dir, n);
    println!("{n} files, {bytes} bytes in {}", dir.display());
}
