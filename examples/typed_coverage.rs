//! How much of the model's reading comes from dockerfile-parser.
//!
//! ```text
//! cargo run --example typed_coverage -- golden/ /work/corpus/files
//! ```
//!
//! Reads every Dockerfile given (a file, or every file in a folder, walked
//! recursively: names containing `dockerfile` in any case, and files without
//! an extension) and prints, per instruction keyword and form, how often the
//! model's values come from dockerfile-parser (`crate`), from the front end
//! because the crate refused (`fallback`), or are not understood because the
//! two disagree (`disagree`); then the most common refusals and disagreements.
//! Files slimfile's front end refuses are counted apart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use slimfile::syntax::typed::{self, ReadBy};

fn is_dockerfile(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.to_ascii_lowercase().contains("dockerfile") || (!name.contains('.') && !name.is_empty())
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            if e.is_dir() {
                collect(&e, out);
            } else if is_dockerfile(&e) {
                out.push(e);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
}

#[derive(Default)]
struct Counts {
    by_crate: usize,
    fallback: usize,
    disagree: usize,
}

/// The first words of a message, numbers and positions blanked, to group similar ones.
fn shape(message: &str) -> String {
    let mut s: String = message
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect();
    s.truncate(160);
    s
}

/// The start of an instruction's logical line, on one line.
fn sample(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(70).collect()
}

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.is_empty() {
        eprintln!("usage: typed_coverage <Dockerfile or folder>...");
        std::process::exit(2);
    }
    let mut files = Vec::new();
    for a in &args {
        collect(a, &mut files);
    }
    let mut table: BTreeMap<(String, &'static str), Counts> = BTreeMap::new();
    // (keyword form, cause) → (count, one instruction that shows it)
    let mut refusals: BTreeMap<(String, String), (usize, String)> = BTreeMap::new();
    let mut disagreements: BTreeMap<(String, String), usize> = BTreeMap::new();
    let (mut read_files, mut refused_files) = (0, 0);
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let Ok(source) = slimfile::source::Source::decode(&bytes, 16 << 20) else {
            refused_files += 1;
            continue;
        };
        let Ok(doc) = slimfile::syntax::parse(&source.text) else {
            refused_files += 1;
            continue;
        };
        read_files += 1;
        for ins in &doc.instructions {
            let Some(read) = typed::read_values(ins) else {
                continue;
            };
            let kw = ins.keyword.as_str().to_string();
            let c = table.entry((kw.clone(), read.form)).or_default();
            if let Some(d) = &read.disagreement {
                c.disagree += 1;
                *disagreements
                    .entry((format!("{kw} {}", read.form), shape(d)))
                    .or_default() += 1;
            } else if read.by == ReadBy::Crate {
                c.by_crate += 1;
            } else {
                c.fallback += 1;
                let why = read.refusal.as_deref().unwrap_or("?");
                let entry = refusals
                    .entry((format!("{kw} {}", read.form), shape(why)))
                    .or_insert_with(|| (0, sample(&ins.logical.text)));
                entry.0 += 1;
            }
        }
    }
    println!("files read: {read_files}, refused by the front end: {refused_files}");
    println!(
        "{:<12} {:<10} {:>7} {:>9} {:>9}",
        "keyword", "form", "crate", "fallback", "disagree"
    );
    let mut total = Counts::default();
    for ((kw, form), c) in &table {
        println!(
            "{kw:<12} {form:<10} {:>7} {:>9} {:>9}",
            c.by_crate, c.fallback, c.disagree
        );
        total.by_crate += c.by_crate;
        total.fallback += c.fallback;
        total.disagree += c.disagree;
    }
    let all = (total.by_crate + total.fallback + total.disagree).max(1);
    println!(
        "{:<23} {:>7} {:>9} {:>9}   ({:.1}% crate)",
        "total",
        total.by_crate,
        total.fallback,
        total.disagree,
        100.0 * total.by_crate as f64 / all as f64
    );
    if !refusals.is_empty() {
        println!("\nfallback causes (with one instruction that shows each):");
        let mut rows: Vec<_> = refusals.iter().collect();
        rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        for ((what, why), (n, example)) in rows.into_iter().take(25) {
            println!("{n:>6}  {what:<18} {why}\n        e.g. {example}");
        }
    }
    if !disagreements.is_empty() {
        println!("\ndisagreements (not understood; passes leave these alone):");
        let mut rows: Vec<_> = disagreements.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for ((what, why), n) in rows.into_iter().take(25) {
            println!("{n:>6}  {what:<18} {why}");
        }
    }
}
