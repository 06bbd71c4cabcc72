//! Golden tests: every `golden/<group>/<case>/input.Dockerfile` (or
//! `golden/<group>/<folder>/<case>/`, as `golden/split-stages/<recipe>/`) is rewritten
//! and compared with `expected.Dockerfile` (the rewrite) and `expected.txt`
//! (the messages a user sees). `SLIMFILE_BLESS=1 cargo test --test golden`
//! rewrites the expectations; review them with `git diff golden/`.
//!
//! The group selects the passes a case runs, so a new pass never re-blesses
//! another pass's cases:
//! - a group named after a pass in the registry (`passes::find`: today
//!   `name-stages`, `slim-base`, `split-stages`, `narrow-copy`,
//!   `runtime-deps`, `size-hygiene`; a pass added later gets its group for
//!   free) runs that pass alone;
//! - `pipeline/` runs every pass: cases about how passes compose (a split
//!   whose stages are then named, slimmed and narrowed);
//! - `syntax/` runs every pass: its tricky inputs (BOM, CRLF, escapes,
//!   heredocs, continuations) prove that every pass keeps the bytes it does
//!   not rewrite;
//! - `errors/` runs every pass: its inputs are refused before any pass runs,
//!   so the selection cannot change them.
//!
//! Any other group name is an error. A case's `options.toml` `select` still
//! overrides its group's selection.
//!
//! `golden/split-stages/` has a folder per recipe (`go/`, `node/`, `python/` …,
//! as `src/passes/split_stages/<recipe>.rs`), `ml/` for the CUDA and PyTorch
//! base families, `distroless/` for the `--prefer distroless` ending and
//! `common/` for what every recipe shares.
//!
//! The same cases carry the properties every rewrite must keep: unchanged
//! files come out byte for byte, bytes outside edits are kept, the rewrite
//! is a fixpoint, the output is read by BuildKit's own parser with the same
//! instruction boundaries as slimfile's front end, every stage reference
//! resolves, and hadolint finds nothing new.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use slimfile::config::{Prefer, Settings};
use slimfile::edit::Safety;
use slimfile::engine::{self, Outcome};
use slimfile::model::{Model, Target};
use slimfile::report;
use slimfile::syntax;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bless() -> bool {
    std::env::var_os("SLIMFILE_BLESS").is_some_and(|v| v != "0")
}

fn cases() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for group in fs::read_dir(root().join("golden")).expect("golden/ exists") {
        let group = group.unwrap().path();
        if !group.is_dir() {
            continue;
        }
        for case in fs::read_dir(&group).unwrap() {
            let case = case.unwrap().path();
            if case.join("input.Dockerfile").exists() {
                out.push(case);
            } else if case.is_dir() {
                // a folder of cases (a recipe's)
                for inner in fs::read_dir(&case).unwrap() {
                    let inner = inner.unwrap().path();
                    if inner.join("input.Dockerfile").exists() {
                        out.push(inner);
                    }
                }
            }
        }
    }
    out.sort();
    assert!(
        out.len() >= 10,
        "expected golden cases, found {}",
        out.len()
    );
    out
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CaseOptions {
    safety: Option<Safety>,
    prefer: Option<Prefer>,
    select: Option<Vec<String>>,
}

/// Groups whose cases run every pass (see the module documentation).
const ALL_PASS_GROUPS: [&str; 3] = ["pipeline", "syntax", "errors"];

/// The passes a case's group selects: the pass it is named after, or `None`
/// (every pass) for the all-pass groups.
fn group_selection(case: &Path) -> Option<Vec<String>> {
    let group = group_of(case);
    let group = group.as_str();
    if let Some(pass) = slimfile::passes::find(group) {
        return Some(vec![pass.id.to_string()]);
    }
    assert!(
        ALL_PASS_GROUPS.contains(&group),
        "golden/{group}/ names no pass in the registry and is not one of {ALL_PASS_GROUPS:?}"
    );
    None
}

/// The group a case belongs to: the folder right under `golden/`.
fn group_of(case: &Path) -> String {
    case.strip_prefix(root().join("golden"))
        .ok()
        .and_then(|rel| rel.iter().next())
        .and_then(|g| g.to_str())
        .expect("a case lives in golden/<group>/")
        .to_string()
}

fn settings(case: &Path) -> Settings {
    let mut s = Settings {
        select: group_selection(case),
        ..Settings::default()
    };
    if let Ok(text) = fs::read_to_string(case.join("options.toml")) {
        let o: CaseOptions = toml::from_str(&text).expect("valid options.toml");
        if let Some(v) = o.safety {
            s.safety = v;
        }
        if let Some(v) = o.prefer {
            s.prefer = v;
        }
        if o.select.is_some() {
            s.select = o.select;
        }
    }
    s
}

fn name(case: &Path) -> String {
    case.strip_prefix(root().join("golden"))
        .unwrap()
        .display()
        .to_string()
}

fn run_case(case: &Path) -> Result<Outcome, engine::RewriteError> {
    let bytes = fs::read(case.join("input.Dockerfile")).unwrap();
    engine::rewrite(&bytes, &settings(case), Some(case))
}

/// Compares `actual` with the file `path`, or writes it when blessing.
fn expect_file(path: &Path, actual: &[u8], failures: &mut Vec<String>) {
    if bless() {
        fs::write(path, actual).unwrap();
        return;
    }
    match fs::read(path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{} differs:\n{}",
            path.display(),
            report::unified_diff(
                "expected",
                &String::from_utf8_lossy(&expected),
                &String::from_utf8_lossy(actual)
            )
        )),
        Err(_) => failures.push(format!(
            "{} is missing (run with SLIMFILE_BLESS=1)",
            path.display()
        )),
    }
}

#[test]
fn golden_outputs_and_messages() {
    let mut failures = Vec::new();
    for case in cases() {
        let label = name(&case);
        match run_case(&case) {
            Ok(outcome) => {
                let out_path = case.join("expected.Dockerfile");
                expect_file(
                    &out_path,
                    &outcome.source.encode(&outcome.output),
                    &mut failures,
                );
                let messages = report::render_messages("Dockerfile", &outcome);
                expect_file(
                    &case.join("expected.txt"),
                    messages.as_bytes(),
                    &mut failures,
                );
            }
            Err(engine::RewriteError::Internal(m)) => {
                // never blessed: an internal error is a bug, not an expected refusal
                failures.push(format!("{label}: internal error: {m}"));
            }
            Err(e) => {
                let msg = format!("{}\n", report::FileError::from(e).render("Dockerfile"));
                expect_file(&case.join("expected.txt"), msg.as_bytes(), &mut failures);
                if case.join("expected.Dockerfile").exists() {
                    failures.push(format!(
                        "{label}: rewrite failed but expected.Dockerfile exists"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every pass in the registry has a group of its own whose cases show it
/// changing something, and `pipeline/` holds real cross-pass cases: rewrites
/// that apply changes from at least two passes.
#[test]
fn every_pass_has_its_own_cases_and_pipeline_cases_compose_passes() {
    let all = cases();
    let applied_passes = |case: &Path| -> BTreeSet<&'static str> {
        run_case(case)
            .map(|o| o.applied.iter().map(|a| a.change.pass.as_str()).collect())
            .unwrap_or_default()
    };
    for pass in slimfile::passes::ALL {
        let changing = all
            .iter()
            .filter(|c| group_of(c) == pass.id.as_str())
            .filter(|c| applied_passes(c).contains(pass.id.as_str()))
            .count();
        assert!(
            changing >= 2,
            "golden/{}/ has {changing} case(s) where the pass changes something",
            pass.id
        );
    }
    let composed: Vec<String> = all
        .iter()
        .filter(|c| group_of(c) == "pipeline")
        .filter(|c| applied_passes(c).len() >= 2)
        .map(|c| name(c))
        .collect();
    assert!(
        composed.len() >= 4,
        "golden/pipeline/ has only {} case(s) applying two passes or more: {composed:?}",
        composed.len()
    );
}

#[test]
fn unchanged_files_are_byte_identical_and_rewrites_are_fixpoints() {
    for case in cases() {
        let label = name(&case);
        let Ok(first) = run_case(&case) else { continue };
        let once = first.source.encode(&first.output);
        let second = engine::rewrite(&once, &settings(&case), Some(&case))
            .expect("rewrite of a rewrite succeeds");
        assert_eq!(second.output, first.output, "{label}: not idempotent");
        assert!(
            second.applied.is_empty(),
            "{label}: second run still changes things"
        );
        if first.applied.is_empty() {
            let input = fs::read(case.join("input.Dockerfile")).unwrap();
            assert_eq!(once, input, "{label}: no change but bytes differ");
        }
    }
}

#[test]
fn bytes_outside_edits_are_kept() {
    for case in cases() {
        let Ok(outcome) = run_case(&case) else {
            continue;
        };
        // Replay the rounds: each round's edits apply to the previous round's text.
        let mut text = outcome.source.text.clone();
        let rounds = outcome
            .applied
            .iter()
            .map(|a| a.round)
            .max()
            .map_or(0, |r| r + 1);
        for round in 0..rounds {
            let edits: Vec<_> = outcome
                .applied
                .iter()
                .filter(|a| a.round == round)
                .flat_map(|a| &a.change.edits)
                .collect();
            let next = slimfile::edit::apply(&text, &edits, outcome.source.line_ending.as_str());
            // every byte outside the edited ranges survives, in order
            let mut sorted = edits.clone();
            sorted.sort_by_key(|e| e.range.start);
            let mut at_old = 0;
            let mut at_new = 0;
            for e in sorted {
                let kept = &text[at_old..e.range.start];
                assert_eq!(
                    &next[at_new..at_new + kept.len()],
                    kept,
                    "{}: bytes before an edit changed",
                    name(&case)
                );
                at_new += kept.len()
                    + e.replacement
                        .replace('\n', outcome.source.line_ending.as_str())
                        .len();
                at_old = e.range.end;
            }
            assert_eq!(
                &next[at_new..],
                &text[at_old..],
                "{}: tail changed",
                name(&case)
            );
            text = next;
        }
        assert_eq!(
            text,
            outcome.output,
            "{}: replayed edits differ from output",
            name(&case)
        );
    }
}

#[test]
fn every_stage_reference_in_outputs_resolves() {
    for case in cases() {
        let Ok(outcome) = run_case(&case) else {
            continue;
        };
        let doc = syntax::parse(&outcome.output).expect("output parses");
        let model = Model::build(&doc);
        let input_dangling = {
            let d = syntax::parse(&outcome.source.text).unwrap();
            let m = Model::build(&d);
            m.refs
                .iter()
                .filter(|r| matches!(r.target, Target::Unresolved | Target::BadIndex))
                .count()
        };
        let dangling: Vec<_> = model
            .refs
            .iter()
            .filter(|r| matches!(r.target, Target::Unresolved | Target::BadIndex))
            .map(|r| r.value.clone())
            .collect();
        assert!(
            dangling.len() <= input_dangling,
            "{}: new dangling references {dangling:?}",
            name(&case)
        );
        if input_dangling == 0 {
            assert!(
                dangling.is_empty(),
                "{}: dangling references {dangling:?}",
                name(&case)
            );
        }
    }
}

// ---------------------------------------------------------------------------
// External oracles: BuildKit's parser (PyPI `dockerfile`) and hadolint.

fn oracle_python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SLIMFILE_PYTHON").map(PathBuf::from),
        Some(root().join(".venv/bin/python")),
    ];
    for c in candidates.into_iter().flatten() {
        if Command::new(&c)
            .args(["-c", "import dockerfile"])
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(c);
        }
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "BuildKit oracle missing: run ./scripts/test.sh (it creates .venv with PyPI `dockerfile`)"
        );
    }
    eprintln!("skipping: BuildKit oracle not installed (run ./scripts/test.sh to set it up)");
    None
}

type OracleResult = BTreeMap<String, serde_json::Value>;

fn buildkit(python: &Path, files: &[PathBuf]) -> OracleResult {
    let out = Command::new(python)
        .arg(root().join("tests/oracle/buildkit.py"))
        .args(files)
        .output()
        .expect("oracle runs");
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("oracle JSON")
}

fn our_instructions(text: &str) -> Vec<(String, usize, usize)> {
    let doc = syntax::parse(text).unwrap();
    doc.instructions
        .iter()
        .map(|i| {
            let end_line = text[..i.span.end].bytes().filter(|&b| b == b'\n').count() + 1;
            (i.keyword.as_str().to_string(), i.line, end_line)
        })
        .collect()
}

#[test]
fn buildkit_reads_inputs_and_outputs_like_we_do() {
    let Some(python) = oracle_python() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut texts = BTreeMap::new();
    for case in cases() {
        let input = case.join("input.Dockerfile");
        let Ok(outcome) = run_case(&case) else {
            continue;
        };
        let out = tmp.path().join(name(&case).replace('/', "__"));
        fs::write(&out, outcome.source.encode(&outcome.output)).unwrap();
        texts.insert(input.display().to_string(), outcome.source.text.clone());
        texts.insert(out.display().to_string(), outcome.output.clone());
        files.push(input);
        files.push(out);
    }
    let results = buildkit(&python, &files);
    let mut failures = Vec::new();
    for (path, r) in &results {
        if r["ok"] != true {
            failures.push(format!("{path}: BuildKit rejects it: {}", r["error"]));
            continue;
        }
        let theirs: Vec<(String, usize, usize)> =
            serde_json::from_value(r["instructions"].clone()).unwrap();
        let ours = our_instructions(&texts[path]);
        if theirs != ours {
            failures.push(format!(
                "{path}: instruction boundaries differ\n BuildKit: {theirs:?}\n slimfile: {ours:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn buildkit_agrees_on_refused_inputs() {
    let Some(python) = oracle_python() else {
        return;
    };
    // A case with `refused-by.txt` is refused by BuildKit's instruction parser
    // (the file names the BuildKit source), which the parser-only oracle cannot see.
    let files: Vec<PathBuf> = cases()
        .into_iter()
        .filter(|c| !c.join("refused-by.txt").exists())
        .filter(|c| run_case(c).is_err_and(|e| matches!(e, engine::RewriteError::Syntax { .. })))
        .map(|c| c.join("input.Dockerfile"))
        .collect();
    for (path, r) in buildkit(&python, &files) {
        assert_eq!(
            r["ok"], false,
            "{path}: slimfile refuses it but BuildKit reads it"
        );
    }
}

#[test]
fn hadolint_finds_nothing_new() {
    let Some(python) = oracle_python() else {
        return;
    };
    let hadolint = python.parent().unwrap().join("hadolint");
    if !hadolint.exists() {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "hadolint missing on CI"
        );
        eprintln!("skipping: hadolint not installed");
        return;
    }
    let codes = |path: &Path| -> BTreeSet<String> {
        let out = Command::new(&hadolint)
            .args(["--no-fail", "-f", "json"])
            .arg(path)
            .output()
            .expect("hadolint runs");
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["code"].as_str().map(String::from))
            .collect()
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for case in cases() {
        let Ok(outcome) = run_case(&case) else {
            continue;
        };
        if !outcome.changed() {
            continue;
        }
        let out = tmp.path().join("Dockerfile");
        fs::write(&out, outcome.source.encode(&outcome.output)).unwrap();
        let before = codes(&case.join("input.Dockerfile"));
        let after = codes(&out);
        let new: Vec<_> = after.difference(&before).collect();
        if !new.is_empty() {
            failures.push(format!("{}: new hadolint findings {new:?}", name(&case)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// dockerfile-parser (through the bridge in `syntax::typed`) and slimfile's
/// front end must read the same FROM and COPY values, at the same bytes,
/// wherever the crate reads an instruction and the model understands it.
#[test]
fn dockerfile_parser_agrees_with_the_front_end() {
    use dockerfile_parser::Instruction as T;
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in cases() {
        let Ok(outcome) = run_case(&case) else {
            continue;
        };
        for text in [&outcome.source.text, &outcome.output] {
            let doc = syntax::parse(text).unwrap();
            let model = Model::build(&doc);
            for (n, ins) in doc.instructions.iter().enumerate() {
                // where the two disagree the model says so, and no pass touches it
                if !model.understood(n) {
                    continue;
                }
                let Ok(typed) = syntax::typed::read(ins) else {
                    continue;
                };
                let ours: Vec<&str> = ins.words().iter().map(|w| &text[w.span.clone()]).collect();
                let theirs: Vec<&str> = match &typed.instruction {
                    T::From(f) => std::iter::once(&f.image)
                        .chain(f.alias.as_ref())
                        .map(|s| &text[typed.original(s.span)])
                        .collect(),
                    T::Copy(c) => c
                        .sources
                        .iter()
                        .chain(std::iter::once(&c.destination))
                        .map(|s| &text[typed.original(s.span)])
                        .collect(),
                    _ => continue,
                };
                checked += 1;
                let ours: Vec<&str> = ours
                    .into_iter()
                    .filter(|w| !w.eq_ignore_ascii_case("as"))
                    .collect();
                if ours != theirs {
                    failures.push(format!(
                        "{} line {}: slimfile {ours:?}, dockerfile-parser {theirs:?}",
                        name(&case),
                        ins.line
                    ));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} instructions compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every rewrite keeps the final image's runtime contract (config, the files
/// its command names, the programs it runs), except what an unsafe change
/// declares. The engine drops changes that break it; this checks the result
/// independently of that filter, so a pass bug and a filter bug both show.
#[test]
fn runtime_contract_holds() {
    use slimfile::contract;
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in cases() {
        let Ok(outcome) = run_case(&case) else {
            continue;
        };
        if !outcome.changed() {
            continue;
        }
        let read = |t: &str| {
            let d = syntax::parse(t).expect("parses");
            let m = Model::build(&d);
            contract::of(t, &d, &m)
        };
        let (Some(before), Some(after)) = (read(&outcome.source.text), read(&outcome.output))
        else {
            failures.push(format!("{}: no contract", name(&case)));
            continue;
        };
        let declared: Vec<&str> = outcome
            .applied
            .iter()
            .filter(|a| a.change.safety == Safety::Unsafe)
            .flat_map(|a| a.change.declares.iter().copied())
            .collect();
        let broken: Vec<String> = contract::broken(&before, &after)
            .into_iter()
            .filter(|b| !declared.iter().any(|d| b.starts_with(&format!("{d} "))))
            .collect();
        checked += 1;
        if !broken.is_empty() {
            failures.push(format!("{}: {}", name(&case), broken.join("; ")));
        }
    }
    assert!(checked > 30, "only {checked} rewrites checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
