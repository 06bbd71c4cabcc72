//! The command line as users and editors call it: exit codes, stdin mode,
//! --check, and files left untouched on error.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn slimfile() -> Command {
    Command::cargo_bin("slimfile").unwrap()
}

const TYPO: &str = "FROM node:18 as build\nRUN npm ci\nFROM nginx:1.27\nCOPY --from=builder /app/dist /usr/share/nginx/html\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn stdin_writes_only_the_rewritten_text() {
    let out = slimfile()
        .args(["rewrite", "-", "--quiet"])
        .write_stdin(TYPO)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("FROM node:18 AS build\n"));
    assert!(text.contains("COPY --from=build /app/dist"));
}

#[test]
fn stdin_error_leaves_stdout_empty_and_exits_2() {
    slimfile()
        .args(["rewrite", "-", "--stdin-filename", "svc/Dockerfile"])
        .write_stdin("FROM a\nRUN <<EOF\necho\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "svc/Dockerfile:2:5: error: unterminated heredoc",
        ));
}

#[test]
fn check_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", TYPO.as_bytes());
    slimfile()
        .args(["rewrite", "--check"])
        .arg(&p)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("-COPY --from=builder")
                .and(predicate::str::contains("+COPY --from=build ")),
        );
    assert_eq!(fs::read_to_string(&p).unwrap(), TYPO);
}

#[test]
fn check_exits_1_on_a_dangling_stage_reference() {
    // `--from=5` is an index, and there is no stage 5: BuildKit fails the build.
    // Nothing else in the file would change, so only the dangling reference can make it 1.
    let dir = tempfile::tempdir().unwrap();
    let text = "FROM alpine:3.19 AS base\nRUN echo hi > /hi\n\nFROM alpine:3.19 AS final\nCOPY --from=5 /hi /hi\nCMD [\"cat\", \"/hi\"]\n";
    let p = write(dir.path(), "Dockerfile", text.as_bytes());
    slimfile()
        .args(["rewrite", "--check"])
        .arg(&p)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("Dockerfile:5:13: name-stages error")
                .and(predicate::str::contains("--from=5")),
        );
    assert_eq!(fs::read_to_string(&p).unwrap(), text);
    // the same file with the reference fixed is clean
    let fixed = text.replace("--from=5", "--from=base");
    fs::write(&p, &fixed).unwrap();
    slimfile()
        .args(["rewrite", "--check"])
        .arg(&p)
        .assert()
        .code(0);
}

#[test]
fn check_on_clean_file_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "Dockerfile",
        b"FROM alpine:3.19 AS base\nCMD [\"sh\"]\n",
    );
    slimfile()
        .args(["rewrite", "--check"])
        .arg(&p)
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn rewrite_in_place_keeps_mode_and_bom() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(TYPO.replace('\n', "\r\n").as_bytes());
    let p = write(dir.path(), "Dockerfile", &bytes);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
    slimfile()
        .arg("rewrite")
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains("rewritten (2 changes)"));
    let after = fs::read(&p).unwrap();
    assert!(after.starts_with(b"\xEF\xBB\xBFFROM node:18 AS build\r\n"));
    assert!(
        String::from_utf8_lossy(&after)
            .contains("COPY --from=build /app/dist /usr/share/nginx/html\r\n")
    );
    assert_eq!(
        fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name() != "Dockerfile")
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

#[test]
fn bad_files_exit_2_untouched_and_others_still_processed() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "a/Dockerfile",
            b"\x00\x01binary",
            "a/Dockerfile:1:1: error: binary file",
        ),
        (
            "b/Dockerfile",
            b"FROM debian\nLABEL x=\"Ren\xe9\"\n",
            "b/Dockerfile:2:13: error: not valid UTF-8",
        ),
        (
            "c/Dockerfile",
            b"",
            "c/Dockerfile:1:1: error: no instructions",
        ),
        (
            "d/Dockerfile",
            b"FROM a\nRUN <<EOF\necho\n",
            "d/Dockerfile:2:5: error: unterminated heredoc",
        ),
    ];
    for (name, bytes, _) in &cases {
        write(dir.path(), name, bytes);
    }
    let good = write(dir.path(), "e/Dockerfile", TYPO.as_bytes());
    let mut assert = slimfile()
        .current_dir(dir.path())
        .args(["rewrite", "."])
        .assert()
        .code(2);
    for (_, _, message) in &cases {
        assert = assert.stderr(predicate::str::contains(format!("./{message}")));
    }
    assert.stderr(predicate::str::contains(
        "5 files: 1 changed, 0 unchanged, 4 errors",
    ));
    for (name, bytes, _) in &cases {
        assert_eq!(
            fs::read(dir.path().join(name)).unwrap(),
            *bytes,
            "{name} was modified"
        );
    }
    assert!(fs::read_to_string(good).unwrap().contains("--from=build "));
}

#[test]
fn passes_and_explain() {
    slimfile()
        .arg("passes")
        .assert()
        .success()
        .stdout(predicate::str::contains("name-stages"));
    slimfile()
        .args(["explain", "name-stages"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## Fix safety"));
    slimfile().args(["explain", "nope"]).assert().code(2);
}

#[test]
fn usage_errors_exit_2() {
    slimfile()
        .args(["rewrite", "--safety", "reckless", "-"])
        .assert()
        .code(2);
    slimfile()
        .args(["rewrite", "--select", "no-such-pass", "-"])
        .write_stdin(TYPO)
        .assert()
        .code(2);
}
