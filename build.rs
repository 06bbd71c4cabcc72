//! Extracts each pass's module doc comment (`//!` lines of `src/passes/<pass>.rs`,
//! or of `src/passes/<pass>/mod.rs` followed by those of every other file in
//! that folder, in name order: a pass made of recipes documents each recipe)
//! so `slimfile explain <pass>` prints the pass's own documentation, not a copy.

use std::{env, fs, path::Path};

fn module_doc(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("readable pass source");
    text.lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| {
            let l = l.trim_start_matches("//!");
            format!("{}\n", l.strip_prefix(' ').unwrap_or(l))
        })
        .collect()
}

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR is set by cargo");
    let dir = Path::new("src/passes");
    println!("cargo::rerun-if-changed=src/passes");
    for entry in fs::read_dir(dir).expect("src/passes exists") {
        let path = entry.expect("readable dir entry").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let doc = if path.is_dir() {
            println!("cargo::rerun-if-changed={}", path.display());
            let mut doc = module_doc(&path.join("mod.rs"));
            let mut parts: Vec<_> = fs::read_dir(&path)
                .expect("readable pass folder")
                .map(|e| e.expect("readable dir entry").path())
                .filter(|p| {
                    p.extension().and_then(|e| e.to_str()) == Some("rs")
                        && p.file_name().and_then(|n| n.to_str()) != Some("mod.rs")
                })
                .collect();
            parts.sort();
            for part in parts {
                // a file without module docs (shared code, not a recipe) adds nothing
                let part_doc = module_doc(&part);
                if !part_doc.is_empty() {
                    doc.push('\n');
                    doc.push_str(&part_doc);
                }
            }
            doc
        } else if stem == "mod" || path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        } else {
            module_doc(&path)
        };
        fs::write(Path::new(&out).join(format!("{stem}.md")), doc).expect("writable OUT_DIR");
    }
}
