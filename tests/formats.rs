//! Machine formats: the JSON report validates against `schemas/report.schema.json`
//! and the SARIF output against the official SARIF 2.1.0 schema (from the npm
//! package `@microsoft/sarif-multitool-linux`, fetched by `scripts/test.sh`),
//! both with the `jsonschema` package (PyPI), over every golden input;
//! GitHub annotations are checked line by line.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Python with `jsonschema`, or `None` (skip) off CI.
fn python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SLIMFILE_PYTHON").map(PathBuf::from),
        Some(root().join(".venv/bin/python")),
    ];
    for c in candidates.into_iter().flatten() {
        if Command::new(&c)
            .args(["-c", "import jsonschema"])
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(c);
        }
    }
    assert!(!on_ci(), "jsonschema missing on CI: run ./scripts/test.sh");
    eprintln!("skipping: jsonschema not installed (run ./scripts/test.sh)");
    None
}

fn slimfile(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("slimfile runs")
}

fn validate(python: &Path, schema: &Path, document: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("doc.json");
    std::fs::write(&doc, document).unwrap();
    let out = Command::new(python)
        .arg(root().join("tests/oracle/validate_schema.py"))
        .arg(schema)
        .arg(&doc)
        .output()
        .expect("validator runs");
    assert!(
        out.status.success(),
        "{} violations:\n{}{}",
        schema.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn json_report_matches_its_schema() {
    let Some(py) = python() else { return };
    // every golden input and output: changes, suggestions, notes and errors all appear
    let out = slimfile(&["rewrite", "--dry-run", "--format", "json", "golden"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "golden/errors makes the run exit 2"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    for status in ["changed", "unchanged", "error"] {
        assert!(
            files.iter().any(|f| f["status"] == status),
            "no {status} file"
        );
    }
    validate(&py, &root().join("schemas/report.schema.json"), &out.stdout);
}

#[test]
fn sarif_output_matches_the_sarif_2_1_0_schema() {
    let Some(py) = python() else { return };
    let schema = std::env::var_os("SLIMFILE_SARIF_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".venv/share/sarif-2.1.0.json"));
    if !schema.is_file() {
        assert!(
            !on_ci(),
            "SARIF schema missing on CI: run ./scripts/test.sh"
        );
        eprintln!("skipping: SARIF schema not fetched (run ./scripts/test.sh)");
        return;
    }
    let out = slimfile(&["rewrite", "--dry-run", "--format", "sarif", "golden"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    for level in ["warning", "note", "error"] {
        assert!(
            results.iter().any(|r| r["level"] == level),
            "no {level} result"
        );
    }
    // every ruleId is declared
    let rules: Vec<&str> = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for r in results {
        assert!(rules.contains(&r["ruleId"].as_str().unwrap()), "{r}");
    }
    validate(&py, &schema, &out.stdout);
}

#[test]
fn github_annotations_are_workflow_commands() {
    let out = slimfile(&[
        "rewrite",
        "--dry-run",
        "--format",
        "github",
        "golden/split-stages/go/go-textbook/input.Dockerfile",
        "golden/errors/latin1/input.Dockerfile",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.iter().all(|l| l.starts_with("::")), "{text}");
    assert!(lines.iter().any(|l| l.starts_with(
        "::warning file=golden/split-stages/go/go-textbook/input.Dockerfile,line=1,col=17,title=slimfile split-stages::would apply [review]: split into"
    )), "{text}");
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::error file=golden/errors/latin1/input.Dockerfile,line=2,col=18,title=slimfile file-error::not valid UTF-8"
        )),
        "{text}"
    );
    // messages never break the one-line command format
    assert!(lines.iter().all(|l| !l.contains('\r')));
}
