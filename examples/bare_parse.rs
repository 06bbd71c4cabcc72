//! The yardstick of the speed benchmark (`scripts/bench-vs-parse.py`): a bare
//! dockerfile-parser parse of every Dockerfile under a folder, on one thread,
//! with nothing else done. Prints the files read, parsed and the seconds the
//! parsing took (reading the files is not counted).
//!
//! `cargo run --release --example bare_parse -- DIR`

use std::path::{Path, PathBuf};
use std::time::Instant;

fn dockerfiles(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            dockerfiles(&p, out);
        } else if p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(slimfile::files::is_dockerfile_name)
        {
            out.push(p);
        }
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: bare_parse DIR");
    let mut paths = Vec::new();
    dockerfiles(Path::new(&dir), &mut paths);
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let start = Instant::now();
    let parsed = texts
        .iter()
        .filter(|t| dockerfile_parser::Dockerfile::parse(t).is_ok())
        .count();
    let secs = start.elapsed().as_secs_f64();
    println!("{} files, {parsed} parsed, {secs:.3} s", texts.len());
}
