//! Modules depend downward only (docs/DESIGN.md, "Layers": "no module imports
//! from a pass; data loaders sit below the passes").
//!
//! Reads every `src/**/*.rs`, collects the top-level modules each one names
//! through `crate::…` (in `use` lines and in paths; comments and doc comments
//! left out), and checks each dependency against the layers below. A module
//! may use modules of its own layer or lower ones; the module graph has no
//! cycle. The few upward imports that exist today are listed in [`KNOWN`]
//! with what should replace them; an entry that no longer occurs fails the
//! test, so the list only shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules by layer, lowest first.
const LAYERS: &[&[&str]] = &[
    &["source", "files", "reason", "pycode"],
    &["syntax", "image"],
    &["model", "shell"],
    &[
        "analysis",
        "packages",
        "alpine",
        "catalog",
        "recipes",
        "image_config",
        "edit",
        "config",
        "context",
        "artifacts",
        "contract",
        "jit",
    ],
    &["passes"],
    &["engine"],
    &["report", "docs"],
    &["cli", "verify", "lsp"],
];

/// Upward imports that exist today: (module, module it uses, why it is wrong
/// and what should replace it).
const KNOWN: &[(&str, &str, &str)] = &[];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The text with `//` comments (doc comments included) and the unit-test
/// module at the end (`#[cfg(test)] mod …`) removed: a test may drive the
/// engine from anywhere.
fn without_comments(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let tests_at = (0..lines.len()).find(|&i| {
        lines[i].trim() == "#[cfg(test)]"
            && lines
                .get(i + 1)
                .is_some_and(|next| next.trim_start().starts_with("mod "))
    });
    lines[..tests_at.unwrap_or(lines.len())]
        .iter()
        .map(|l| match l.find("//") {
            // a `//` inside a string literal is rare in this code base; a
            // string holding `crate::x` rarer still
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules `text` names as `crate::name` or inside `crate::{…}`.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// module → module it uses → files that use it.
fn dependencies() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" || rel.ends_with("/tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for used in named_modules(&without_comments(&text)) {
            if used != top {
                graph
                    .entry(top.clone())
                    .or_default()
                    .entry(used)
                    .or_default()
                    .insert(rel.clone());
            }
        }
    }
    graph
}

#[test]
fn every_module_has_a_layer() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let modules: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .chain(lib.lines().filter_map(|l| l.trim().strip_prefix("mod ")))
        .map(|m| m.trim_end_matches(';'))
        .collect();
    assert!(modules.len() > 10, "read the module list of src/lib.rs");
    for m in modules {
        assert!(
            layer_of(m).is_some(),
            "module `{m}` has no layer in tests/layers.rs: place it in LAYERS"
        );
    }
}

#[test]
fn modules_depend_downward_only() {
    let graph = dependencies();
    let mut upward = Vec::new();
    for (module, uses) in &graph {
        let Some(own) = layer_of(module) else {
            continue; // every_module_has_a_layer reports it
        };
        for (used, files) in uses {
            let Some(theirs) = layer_of(used) else {
                continue; // not a module of this crate (`crate::` in a macro, …)
            };
            let known = KNOWN.iter().any(|(m, u, _)| m == module && u == used);
            if theirs > own && !known {
                upward.push(format!("{module} uses {used} (in {files:?})"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "modules that use a module above them:\n{}",
        upward.join("\n")
    );
    for (module, used, why) in KNOWN {
        assert!(
            graph.get(*module).is_some_and(|u| u.contains_key(*used)),
            "`{module}` no longer uses `{used}` ({why}): remove the entry from KNOWN"
        );
    }
}

#[test]
fn no_import_cycles_besides_the_known_ones() {
    let graph = dependencies();
    let edges: BTreeMap<&str, Vec<&str>> = graph
        .iter()
        .map(|(m, uses)| {
            let targets = uses
                .keys()
                .map(String::as_str)
                .filter(|u| layer_of(u).is_some())
                .filter(|u| !KNOWN.iter().any(|(km, ku, _)| km == m && ku == u))
                .collect();
            (m.as_str(), targets)
        })
        .collect();
    // depth-first search; a node on the stack reached again closes a cycle
    fn visit<'a>(
        node: &'a str,
        edges: &BTreeMap<&'a str, Vec<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        cycles: &mut Vec<String>,
    ) {
        if done.contains(node) {
            return;
        }
        if let Some(at) = stack.iter().position(|n| *n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node);
            cycles.push(cycle.join(" → "));
            return;
        }
        stack.push(node);
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, stack, done, cycles);
        }
        stack.pop();
        done.insert(node);
    }
    let mut cycles = Vec::new();
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, &edges, &mut Vec::new(), &mut done, &mut cycles);
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_reader_sees_grouped_and_inline_paths() {
    let text = "use crate::{model::Stage, shell};\nfn f() { crate::syntax::parse(\"\"); }\n// crate::engine\n";
    let found = named_modules(&without_comments(text));
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["model", "shell", "syntax"]
    );
}
