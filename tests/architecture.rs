//! The design's rule "modules depend downward only" (docs/DESIGN.md, "Layers"), checked on
//! the sources.
//!
//! Every `crate::…`, `super::…` and `self::…` path in the product code of `src/` (test
//! modules and `#[cfg(test)]` items left out) is resolved to the top-level module it
//! names. A module may use only modules of a lower layer in [`LAYERS`]; two modules of
//! one layer use neither the other, so the graph has no cycle. Within `passes`, a pass
//! uses no other pass (only `passes/mod.rs` and the shared `passes::edits`), except the
//! uses [`KNOWN_PASS_TO_PASS`] lists until they move below the passes.
//!
//! The build context is read through one gate, `src/context.rs` (`context::read`, bounded,
//! `context::scan`, and `is_file`/`is_dir`/`exists`): the modules that read it
//! ([`CONTEXT_READERS`]) touch the file system in no other way.
//!
//! The rewrite core (everything but the native build's modules, [`NATIVE_ONLY`]) uses no file
//! system, processes, threads, clock or environment, and none of the crates the `native` feature
//! adds ([`NATIVE_APIS`]); each native module is declared under `#[cfg(feature = "native")]`.
//!
//! The reading is lexical: comments, strings and char literals are blanked first, and
//! a path is its leading `crate`/`super`/`self` and the names after it, `{…}` groups
//! expanded. A macro at the crate root (`crate::pass_doc!`) is not a module and is
//! skipped.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first: a module may use the modules of lower layers only.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "bytes, reason codes, pass ids, image references, file discovery, Python code reading",
        &["source", "reason", "pass_id", "image", "files", "pycode"],
    ),
    (
        "the front end, edits, the data loaders",
        &["syntax", "edit", "catalog", "recipes"],
    ),
    (
        "the model, settings, base image configs, package maps",
        &["model", "config", "image_config", "packages"],
    ),
    (
        "releases and the runtime packages they name",
        &["releases", "alpine"],
    ),
    (
        "the shell model of RUN, the pass context",
        &["shell", "context"],
    ),
    ("reading of scripts", &["analysis"]),
    (
        "what a build makes, which distroless image runs it",
        &["artifacts", "distroless"],
    ),
    ("what an app compiles at run time", &["jit"]),
    ("the runtime contract", &["contract"]),
    ("the passes", &["passes"]),
    ("the engine, the docs from the passes", &["engine", "docs"]),
    (
        "reports, the language server, verify",
        &["report", "lsp", "verify"],
    ),
    (
        "the command line (the binary's, src/main.rs + src/cli/)",
        &["cli"],
    ),
];

/// Pass-to-pass uses that exist today (pass, the pass it uses): each should move to a
/// module below the passes. The test fails on any other, and on an entry no longer used
/// (then delete it here).
const KNOWN_PASS_TO_PASS: &[(&str, &str)] = &[];

/// The modules that read the build context, through the gate in `src/context.rs` only.
const CONTEXT_READERS: &[&str] = &[
    "passes",
    "artifacts",
    "jit",
    "analysis",
    "distroless",
    "contract",
];

/// File system calls past the gate: `std::Path` methods that read the disk (without
/// arguments, unlike the gate's `cx.is_file(rel)`), and types that open files.
const PAST_THE_GATE: &[&str] = &[
    ".is_file()",
    ".is_dir()",
    ".is_symlink()",
    ".exists()",
    ".try_exists()",
    ".metadata()",
    ".symlink_metadata()",
    ".read_dir()",
    ".read_link()",
    ".canonicalize()",
    "File::",
    "OpenOptions::",
];

/// The native build's own code (the `native` feature: Cargo.toml), by path under `src/`: the
/// file system, processes and threads are theirs. Everything else is the rewrite core, which the
/// browser playground builds for `wasm32-unknown-unknown` (playground/).
const NATIVE_ONLY: &[&str] = &[
    "files.rs",
    "lsp",
    "verify",
    "cli",
    "config/file.rs",
    "context/disk.rs",
];

/// What the core may not use: `std` modules of the file system, processes, threads, the
/// network, the clock and the environment, and the crates the `native` feature adds.
const NATIVE_APIS: &[&str] = &[
    "std::fs",
    "std::process",
    "std::thread",
    "std::net",
    "std::env",
    "std::time::Instant",
    "std::time::SystemTime",
    "anyhow",
    "clap",
    "globset",
    "indicatif",
    "lsp_server",
    "lsp_types",
    "mimalloc",
    "rayon",
    "shlex",
    "tar",
    "tempfile",
];

/// Modules of `passes` every pass may use.
const SHARED_IN_PASSES: &[&str] = &["edits"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/passes/split_stages/mod.rs` → `passes::split_stages`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).expect("a file under src/");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// The text with comments, string and char literals replaced by spaces (newlines kept).
fn blank_literals(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend(bytes.iter().map(|&c| if c == b'\n' { b'\n' } else { b' ' }));
    };
    while i < b.len() {
        let rest = &b[i..];
        let prev_ident = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        let end = if rest.starts_with(b"//") {
            rest.iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |p| i + p)
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                if b[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            j
        } else if !prev_ident && (rest.starts_with(b"r\"") || rest.starts_with(b"r#")) {
            let hashes = rest[1..].iter().take_while(|&&c| c == b'#').count();
            if rest.get(1 + hashes) != Some(&b'"') {
                out.push(b[i]);
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let body = i + 2 + hashes;
            b[body..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(b.len(), |p| body + p + close.len())
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            j + 1
        } else if b[i] == b'\'' {
            // a char literal ('a', '\n', '\u{..}'); otherwise a lifetime
            let close = if rest.get(1) == Some(&b'\\') {
                rest.iter().skip(2).position(|&c| c == b'\'').map(|p| p + 2)
            } else {
                let width = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (rest.get(1 + width) == Some(&b'\'')).then_some(1 + width)
            };
            match close {
                Some(p) => i + p + 1,
                None => {
                    out.push(b[i]);
                    i += 1;
                    continue;
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
            continue;
        };
        let end = end.min(b.len());
        blank(&mut out, &b[i..end]);
        i = end;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The code without `#[cfg(test)]` items (the attribute, then up to the end of the next
/// `;` or `{…}` block).
fn without_test_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let bytes = after.as_bytes();
        let mut depth = 0usize;
        let mut end = after.len();
        for (j, &c) in bytes.iter().enumerate().skip("#[cfg(test)]".len()) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = j + 1;
                        break;
                    }
                }
                b';' if depth == 0 => {
                    end = j + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    Path,
    Open,
    Close,
    Comma,
    Other,
}

fn tokens(code: &str) -> Vec<Token> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Token::Ident(code[start..i].to_string()));
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let token = match c {
            b':' if b.get(i + 1) == Some(&b':') => {
                i += 1;
                Token::Path
            }
            b'{' => Token::Open,
            b'}' => Token::Close,
            b',' => Token::Comma,
            _ => Token::Other,
        };
        out.push(token);
        i += 1;
    }
    out
}

/// The names after `prefix::` at `t[i]`: a chain of `name::`, then a name or a group.
/// Each result is the chain plus one name of the group (or the chain's last name).
fn expand(t: &[Token], mut i: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut chain = prefix;
    loop {
        match t.get(i) {
            Some(Token::Ident(name)) => {
                chain.push(name.clone());
                if t.get(i + 1) == Some(&Token::Path) {
                    i += 2;
                    continue;
                }
                out.push(chain);
                return;
            }
            Some(Token::Open) => {
                // a group: each item at depth 1 starts a path of its own
                let mut depth = 0;
                let mut item_start = true;
                let mut j = i;
                while let Some(tok) = t.get(j) {
                    match tok {
                        Token::Open => {
                            depth += 1;
                            if depth == 1 {
                                item_start = true;
                            }
                        }
                        Token::Close => {
                            depth -= 1;
                            if depth == 0 {
                                return;
                            }
                        }
                        Token::Comma if depth == 1 => item_start = true,
                        Token::Ident(_) if depth == 1 && item_start => {
                            item_start = false;
                            expand(t, j, chain.clone(), out);
                        }
                        _ => {}
                    }
                    j += 1;
                }
                return;
            }
            _ => {
                if !chain.is_empty() {
                    out.push(chain);
                }
                return;
            }
        }
    }
}

/// The absolute module paths a file's product code names.
fn used_paths(file: &Path) -> Vec<Vec<String>> {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let code = without_test_items(&blank_literals(&text));
    let t = tokens(&code);
    let here = module_path(file);
    let mut out = Vec::new();
    for i in 0..t.len() {
        let Token::Ident(first) = &t[i] else { continue };
        let starts_path = i == 0 || t[i - 1] != Token::Path;
        if !starts_path || t.get(i + 1) != Some(&Token::Path) {
            continue;
        }
        let mut base: Vec<String> = match first.as_str() {
            "crate" => Vec::new(),
            "self" => here.clone(),
            "super" => here[..here.len().saturating_sub(1)].to_vec(),
            _ => continue,
        };
        let mut j = i + 2;
        while t.get(j) == Some(&Token::Ident("super".into())) && t.get(j + 1) == Some(&Token::Path)
        {
            base.pop();
            j += 2;
        }
        let mut found = Vec::new();
        expand(&t, j, base.clone(), &mut found);
        out.extend(
            found
                .into_iter()
                .filter(|p| p.len() > base.len() || base.is_empty()),
        );
    }
    out
}

/// The top-level modules `src/lib.rs` declares.
fn declared_modules() -> Vec<String> {
    let lib = fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs");
    let code = blank_literals(&lib);
    code.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("pub ")
                .or_else(|| l.strip_prefix("pub(crate) "));
            rest.unwrap_or(l)
                .strip_prefix("mod ")
                .map(|m| m.trim_end_matches(';').trim().to_string())
        })
        .collect()
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

/// The passes: the modules of `passes` other than the shared ones.
fn pass_modules() -> BTreeSet<String> {
    fs::read_dir(src().join("passes"))
        .expect("src/passes")
        .map(|e| e.expect("readable folder entry").path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_string_lossy().into_owned();
            (name != "mod" && !SHARED_IN_PASSES.contains(&name.as_str())).then_some(name)
        })
        .collect()
}

fn product_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.retain(|f| {
        let m = module_path(f);
        !m.is_empty() && m != ["lib"] && m != ["main"] && !m.iter().any(|p| p == "tests")
    });
    files
}

#[test]
fn every_module_has_a_layer() {
    let missing: Vec<String> = declared_modules()
        .into_iter()
        .filter(|m| layer_of(m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "modules of src/lib.rs without a layer in tests/architecture.rs: {missing:?}"
    );
}

#[test]
fn modules_depend_downward_only() {
    let modules = declared_modules();
    let mut wrong = BTreeSet::new();
    for file in product_files() {
        let here = module_path(&file);
        let Some(from) = layer_of(&here[0]) else {
            continue; // reported by every_module_has_a_layer
        };
        for path in used_paths(&file) {
            let target = &path[0];
            if target == &here[0] || !modules.contains(target) {
                continue;
            }
            let to = layer_of(target).unwrap_or(usize::MAX);
            if to >= from {
                wrong.insert(format!(
                    "{}: `{}` ({}) uses `{}` ({})",
                    file.strip_prefix(src()).unwrap_or(&file).display(),
                    here[0],
                    LAYERS[from].0,
                    path.join("::"),
                    LAYERS.get(to).map_or("no layer", |l| l.0),
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "uses that go up or sideways:\n{}",
        wrong.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn passes_use_no_other_pass() {
    let passes = pass_modules();
    let mut found = BTreeSet::new();
    let mut places = Vec::new();
    for file in product_files() {
        let here = module_path(&file);
        if here.len() < 2 || here[0] != "passes" || !passes.contains(&here[1]) {
            continue;
        }
        for path in used_paths(&file) {
            if path.len() >= 2
                && path[0] == "passes"
                && path[1] != here[1]
                && passes.contains(&path[1])
            {
                let pair = (here[1].clone(), path[1].clone());
                places.push((
                    pair.clone(),
                    format!(
                        "{}: {}",
                        file.strip_prefix(src()).unwrap_or(&file).display(),
                        path.join("::")
                    ),
                ));
                found.insert(pair);
            }
        }
    }
    let known: BTreeSet<(String, String)> = KNOWN_PASS_TO_PASS
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let new: Vec<_> = found.difference(&known).collect();
    let new_places: Vec<&str> = places
        .iter()
        .filter(|(pair, _)| !known.contains(pair))
        .map(|(_, place)| place.as_str())
        .collect();
    assert!(
        new.is_empty(),
        "a pass uses another pass (move what it needs below the passes): {new:?}\n{}",
        new_places.join("\n")
    );
    let gone: Vec<_> = known.difference(&found).collect();
    assert!(
        gone.is_empty(),
        "no longer used, delete from KNOWN_PASS_TO_PASS: {gone:?}"
    );
}

/// The places in a file's product code (test items left out) that use the file system
/// past the gate. Literals and comments become `_` rather than spaces here, so that
/// `cx.is_dir("vendor")` is not read as `Path::is_dir()`.
fn file_system_uses(text: &str) -> Vec<String> {
    let blanked = blank_literals(text);
    let marked: Vec<u8> = text
        .bytes()
        .zip(blanked.bytes())
        .map(|(o, b)| if o != b { b'_' } else { b })
        .collect();
    let code = without_test_items(&String::from_utf8_lossy(&marked));
    let mut found: Vec<String> = tokens(&code)
        .iter()
        .filter(|t| **t == Token::Ident("fs".into()))
        .map(|_| "std::fs".to_string())
        .collect();
    let squeezed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    found.extend(
        PAST_THE_GATE
            .iter()
            .filter(|p| squeezed.contains(*p))
            .map(|p| p.to_string()),
    );
    found
}

#[test]
fn the_build_context_is_read_through_the_gate_only() {
    let mut wrong = Vec::new();
    for file in product_files() {
        let here = module_path(&file);
        if !CONTEXT_READERS.contains(&here[0].as_str()) {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let uses = file_system_uses(&text);
        if !uses.is_empty() {
            wrong.push(format!(
                "{}: {}",
                file.strip_prefix(src()).unwrap_or(&file).display(),
                uses.join(", ")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "file system reads past the build context's gate (use context::read, scan, is_file, is_dir, exists):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_gate_rule_sees_reads_and_lets_the_gate_pass() {
    assert!(
        file_system_uses("let t = cx.read(\"go.mod\"); let d = cx.is_dir(\"vendor\");").is_empty()
    );
    assert!(
        file_system_uses("// std::fs::read_to_string\n#[cfg(test)]\nmod tests { use std::fs; }")
            .is_empty()
    );
    assert_eq!(
        file_system_uses("let t = std::fs::read_to_string(dir.join(\"go.mod\"));"),
        ["std::fs"]
    );
    assert_eq!(file_system_uses("use std::{fs, path::Path};"), ["std::fs"]);
    assert_eq!(
        file_system_uses("if dir.join(\"vendor\").is_dir() {}"),
        [".is_dir()"]
    );
    assert_eq!(
        file_system_uses("let f = std::fs::File::open(p);"),
        ["std::fs", "File::"]
    );
}

#[test]
fn the_reading_finds_paths_in_groups_and_skips_literals_and_tests() {
    let code = without_test_items(&blank_literals(
        "use crate::{a::b, c, d::{e, f}};\n\
         // crate::commented\n\
         let s = \"crate::quoted\"; let r = r#\"crate::raw\"#; let c = '\"';\n\
         fn f<'a>(x: &'a str) { super::g::h(x); }\n\
         #[cfg(test)]\nmod tests { use crate::tested; }\n",
    ));
    let t = tokens(&code);
    let mut found = Vec::new();
    for i in 0..t.len() {
        if t[i] == Token::Ident("crate".into()) && t.get(i + 1) == Some(&Token::Path) {
            expand(&t, i + 2, Vec::new(), &mut found);
        }
    }
    let heads: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert_eq!(heads, ["a::b", "c", "d::e", "d::f"]);
    assert!(code.contains("super::g::h(x)"));
    assert!(!code.contains("tested") && !code.contains("quoted") && !code.contains("raw"));
}

/// The pass ids are the enum of `src/pass_id.rs`: product code names a pass by its variant,
/// never by its string (users write the strings; tests may too).
#[test]
fn no_string_pass_ids_outside_the_table() {
    let ids = slimfile::pass_id::PASS_IDS;
    let mut found = Vec::new();
    for file in product_files() {
        if file.ends_with("pass_id.rs") {
            continue;
        }
        let text = fs::read_to_string(&file).expect("readable source");
        for (n, line) in without_test_items(&text).lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for id in ids {
                if line.contains(&format!("\"{id}\"")) {
                    found.push(format!("{}:{}: \"{id}\"", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "pass ids written as strings (use slimfile::pass_id::PassId):\n{}",
        found.join("\n")
    );
}

/// The paths in a file's product code that start with `head::` (`std::fs`, `rayon::…`),
/// `{…}` groups expanded, as `head::a::b` strings.
fn paths_from(text: &str, head: &str) -> Vec<String> {
    let code = without_test_items(&blank_literals(text));
    let t = tokens(&code);
    let mut found = Vec::new();
    for i in 0..t.len() {
        let after_path = i > 0 && t[i - 1] == Token::Path;
        if !after_path && t[i] == Token::Ident(head.into()) && t.get(i + 1) == Some(&Token::Path) {
            expand(&t, i + 2, vec![head.to_string()], &mut found);
        }
    }
    found.iter().map(|p| p.join("::")).collect()
}

/// The rewrite core needs no file system, processes or threads: only the native build's
/// modules ([`NATIVE_ONLY`]) use them, and each is declared under `#[cfg(feature = "native")]`,
/// so `cargo build --lib --no-default-features --target wasm32-unknown-unknown` builds the core
/// (tests/playground.rs builds it so).
#[test]
fn the_core_uses_no_file_system_processes_or_threads() {
    let mut wrong = Vec::new();
    for file in product_files() {
        let rel = file
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if NATIVE_ONLY
            .iter()
            .any(|n| rel == *n || rel.starts_with(&format!("{n}/")))
        {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        // `Path` methods that read the disk, `File::` …
        wrong.extend(
            file_system_uses(&text)
                .into_iter()
                .filter(|u| u != "std::fs")
                .map(|u| format!("{rel}: {u}")),
        );
        let heads: BTreeSet<&str> = NATIVE_APIS
            .iter()
            .map(|a| a.split("::").next().unwrap())
            .collect();
        for head in heads {
            for path in paths_from(&text, head) {
                if NATIVE_APIS
                    .iter()
                    .any(|a| path == *a || path.starts_with(&format!("{a}::")))
                {
                    wrong.push(format!("{rel}: {path}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the rewrite core uses what only the native build has (move it to a module of NATIVE_ONLY):\n{}",
        wrong.join("\n")
    );

    // each native module is declared under the feature; the binary's (`cli`, in main.rs) are
    // the binary's, which needs the feature
    let manifest: toml::Table =
        toml::from_str(&fs::read_to_string(src().join("../Cargo.toml")).unwrap()).unwrap();
    let binary_needs_native = manifest["bin"].as_array().unwrap().iter().all(|b| {
        b.get("required-features").is_some_and(|f| {
            f.as_array()
                .unwrap()
                .iter()
                .any(|f| f.as_str() == Some("native"))
        })
    });
    assert!(
        binary_needs_native,
        "the binary needs required-features = [\"native\"]"
    );
    let mut ungated = Vec::new();
    for native in NATIVE_ONLY.iter().filter(|n| **n != "cli") {
        let path = Path::new(native);
        let name = path.file_stem().unwrap().to_string_lossy();
        let parent = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(p) => src().join(p).with_extension("rs"),
            None => src().join("lib.rs"),
        };
        let text = fs::read_to_string(&parent).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        let declared = lines.iter().position(|l| {
            let l = l.strip_prefix("pub ").unwrap_or(l);
            *l == format!("mod {name};")
        });
        let gated =
            declared.is_some_and(|at| at > 0 && lines[at - 1] == "#[cfg(feature = \"native\")]");
        if !gated {
            ungated.push(format!("{}: mod {name}", parent.display()));
        }
    }
    assert!(
        ungated.is_empty(),
        "native modules declared without #[cfg(feature = \"native\")]:\n{}",
        ungated.join("\n")
    );
}

#[test]
fn the_core_rule_sees_native_paths() {
    let text = "use std::{fs, path::Path};\nuse std::time::{Duration, Instant};\nfn f() { rayon::scope(|_| {}); let p = std::path::Path::new(\"std::fs\"); }\n#[cfg(test)]\nmod tests { use std::process::Command; }";
    assert_eq!(
        paths_from(text, "std"),
        [
            "std::fs",
            "std::path::Path",
            "std::time::Duration",
            "std::time::Instant",
            "std::path::Path::new"
        ]
    );
    assert_eq!(paths_from(text, "rayon"), ["rayon::scope"]);
    assert!(paths_from("let x = a::tar::b;", "tar").is_empty());
}
