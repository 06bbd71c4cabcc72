//! Extracts each pass's module doc comment (`//!` lines of `src/passes/<pass>.rs`)
//! so `slimfile explain <pass>` prints the pass's own documentation, not a copy.

use std::{env, fs, path::Path};

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR is set by cargo");
    let dir = Path::new("src/passes");
    println!("cargo::rerun-if-changed=src/passes");
    for entry in fs::read_dir(dir).expect("src/passes exists") {
        let path = entry.expect("readable dir entry").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if stem == "mod" || path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("readable pass source");
        let doc: String = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                let l = l.trim_start_matches("//!");
                format!("{}\n", l.strip_prefix(' ').unwrap_or(l))
            })
            .collect();
        fs::write(Path::new(&out).join(format!("{stem}.md")), doc).expect("writable OUT_DIR");
    }
}
