//! Crash-safe writes: a bulk in-place rewrite of 1,000 files is killed with
//! SIGKILL at varied moments, several times. Every file must afterwards be
//! either its original bytes or its complete rewrite, and the next run must
//! leave no temporary files behind.

use std::process::Command;
use std::time::Duration;

#[path = "common/corpus.rs"]
mod corpus;

#[test]
fn sigkill_during_bulk_write_never_corrupts_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let settings = slimfile::config::Settings::default();
    let mut files = Vec::new();
    for i in 0..1000u64 {
        let sub = dir.path().join(format!("d{:02}", i / 50));
        std::fs::create_dir_all(&sub).unwrap();
        let path = sub.join(format!("svc{i}.Dockerfile"));
        let original = corpus::dockerfile(i);
        std::fs::write(&path, &original).unwrap();
        let out = slimfile::engine::rewrite(original.as_bytes(), &settings, Some(&sub)).unwrap();
        let rewritten = out.source.encode(&out.output);
        files.push((path, original.into_bytes(), rewritten));
    }
    let check = |round: &str| {
        for (path, original, rewritten) in &files {
            let now = std::fs::read(path).unwrap();
            assert!(
                now == *original || now == *rewritten,
                "{round}: {} is neither the original nor the rewrite",
                path.display()
            );
        }
    };
    let mut killed_mid_run = 0;
    for (round, delay_ms) in [3u64, 10, 25, 40, 60, 90].into_iter().enumerate() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_slimfile"))
            .args(["rewrite", "--quiet"])
            .arg(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        check(&format!("after kill {round} at {delay_ms} ms"));
    }
    // a run to the end: everything rewritten, no temporary file left anywhere
    let status = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .args(["rewrite", "--quiet"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    for (path, _, rewritten) in &files {
        assert_eq!(
            &std::fs::read(path).unwrap(),
            rewritten,
            "{}",
            path.display()
        );
    }
    let leftovers: Vec<_> = walk(dir.path())
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(slimfile::files::is_temp_name)
        })
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    eprintln!("{killed_mid_run} of 6 kills landed while the run was still going");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
