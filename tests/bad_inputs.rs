//! Bad inputs, one test each: a clear message naming the file (and line and
//! column where they apply), exit 2, the file untouched, and the rest of a
//! bulk run carried on (every run here includes a good file that must be
//! rewritten).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const GOOD: &str =
    "FROM golang:1.22 as build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=0 /app /app\n";

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("good.Dockerfile"), GOOD).unwrap();
        Case { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(rel);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// `slimfile rewrite` (writing) on the good file and `bad`.
    fn run(&self, bad: &Path) -> Output {
        Command::new(env!("CARGO_BIN_EXE_slimfile"))
            .current_dir(self.dir.path())
            .arg("rewrite")
            .arg(self.path("good.Dockerfile"))
            .arg(bad)
            .output()
            .unwrap()
    }

    fn good_was_rewritten(&self) -> bool {
        std::fs::read_to_string(self.path("good.Dockerfile"))
            .unwrap()
            .contains("FROM golang:1.22 AS build")
    }
}

/// Runs `bytes` as a bad file: exit 2, message with `expect`, file untouched, good file rewritten.
fn refused(name: &str, bytes: &[u8], expect: &str) -> String {
    let case = Case::new();
    let bad = case.write(name, bytes);
    let out = case.run(&bad);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{name}: {err}");
    assert!(
        err.contains(expect),
        "{name}: expected `{expect}` in:\n{err}"
    );
    assert_eq!(std::fs::read(&bad).unwrap(), bytes, "{name} was touched");
    assert!(case.good_was_rewritten(), "{name} stopped the bulk run");
    err
}

#[test]
fn binary_file() {
    refused(
        "bin.Dockerfile",
        b"FROM x\n\0\x01\x02",
        "bin.Dockerfile:2:1: error: binary file (contains a NUL byte)",
    );
}

#[test]
fn non_utf8() {
    refused(
        "latin1.Dockerfile",
        b"FROM debian\nLABEL author=\"Ren\xe9\"\n",
        "latin1.Dockerfile:2:18: error: not valid UTF-8",
    );
}

#[test]
fn empty_file() {
    refused(
        "empty.Dockerfile",
        b"",
        "empty.Dockerfile:1:1: error: no instructions",
    );
}

#[test]
fn only_comments() {
    refused(
        "comments.Dockerfile",
        b"# just a comment\n# and another\n",
        "comments.Dockerfile:3:1: error: no instructions",
    );
}

#[test]
fn unterminated_heredoc() {
    refused(
        "heredoc.Dockerfile",
        b"FROM debian\nRUN <<EOF\necho hi\n",
        "heredoc.Dockerfile:2:5: error: unterminated heredoc",
    );
}

#[test]
fn unknown_instruction() {
    refused(
        "unknown.Dockerfile",
        b"FROM debian\nRUNN echo\n",
        "unknown.Dockerfile:2:1: error: unknown instruction: RUNN",
    );
}

#[test]
fn invalid_escape_directive() {
    refused(
        "escape.Dockerfile",
        b"# escape=|\nFROM debian\n",
        "escape.Dockerfile:1:1: error: invalid escape token",
    );
}

#[test]
fn too_large() {
    let mut big = b"FROM debian\n".to_vec();
    big.resize(17 * 1024 * 1024, b'#');
    let err = refused("huge.Dockerfile", &big, "huge.Dockerfile");
    assert!(err.contains("too large") || err.contains("larger"), "{err}");
}

#[test]
fn trailing_backslash_at_eof_is_accepted() {
    // BuildKit accepts a continuation at the end of the file; so does slimfile
    let case = Case::new();
    let p = case.write(
        "eof.Dockerfile",
        b"FROM debian:bookworm as base\nRUN echo hi \\",
    );
    let out = case.run(&p);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "FROM debian:bookworm-slim AS base\nRUN echo hi \\"
    );
}

#[test]
fn ten_megabyte_file() {
    let mut s = String::from("FROM debian:bookworm as app\nRUN <<EOF\n");
    while s.len() < 10_000_000 {
        s.push_str("echo 'a line of a very long generated install script' >> /tmp/log\n");
    }
    s.push_str("EOF\nCMD [\"sh\"]\n");
    let case = Case::new();
    let p = case.write("ten.Dockerfile", s.as_bytes());
    let out = case.run(&p);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = std::fs::read_to_string(&p).unwrap();
    assert!(
        after.starts_with("FROM debian:bookworm-slim AS app\nRUN <<EOF\n"),
        "{}",
        &after[..60]
    );
    assert_eq!(after.len(), s.len() + 5, "only `-slim` and `AS` changed");
    assert!(after.ends_with(&s[30..]), "the heredoc body is kept");
}

/// `FROM debian:bookworm as app` and a RUN continued over 100,000 lines.
fn long_continuation() -> String {
    let mut s = String::from("FROM debian:bookworm as app\nRUN apt-get install -y \\\n");
    for i in 0..100_000 {
        s.push_str(&format!("    pkg-{i} \\\n"));
    }
    s.push_str("    last\n");
    s
}

#[test]
fn hundred_thousand_line_continuation() {
    let s = long_continuation();
    let case = Case::new();
    let p = case.write("long.Dockerfile", s.as_bytes());
    let out = case.run(&p);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = std::fs::read_to_string(&p).unwrap();
    assert!(
        after.starts_with("FROM debian:bookworm-slim AS app\n"),
        "{}",
        &after[..60]
    );
    let body = &s[s.find("    pkg-0").unwrap()..];
    assert!(after.ends_with(body), "the continuation is kept");
}

#[test]
fn continuation_through_dockerfile_parser_does_not_overflow_a_small_stack() {
    // dockerfile-parser's pest grammar recurses on continuation lines; the
    // front end hands it joined lines. A 2 MiB stack (rayon's default) is enough.
    let s = long_continuation();
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let doc = slimfile::syntax::parse(&s).unwrap();
            assert_eq!(doc.instructions.len(), 2);
            for ins in &doc.instructions {
                slimfile::syntax::typed::read(ins).expect("typed reading");
            }
            doc.instructions[1].words().len()
        })
        .unwrap();
    assert_eq!(handle.join().expect("no stack overflow"), 100_004);
}

#[test]
fn five_thousand_stages() {
    let s: String = (0..5000)
        .map(|i| {
            let from = if i > 0 {
                format!("COPY --from={} /out /out\n", i - 1)
            } else {
                String::new()
            };
            format!("FROM alpine:3.20 as s{i}\n{from}RUN echo {i} >> /out\n")
        })
        .collect();
    let case = Case::new();
    let p = case.write("stages.Dockerfile", s.as_bytes());
    let out = case.run(&p);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = std::fs::read_to_string(&p).unwrap();
    assert!(after.contains("FROM alpine:3.20 AS s4999\nCOPY --from=s4998 /out /out\n"));
}

#[test]
fn read_only_file_with_write() {
    use std::os::unix::fs::PermissionsExt;
    let case = Case::new();
    let p = case.write("ro.Dockerfile", GOOD.as_bytes());
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = case.run(&p);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ro.Dockerfile: error: file is read-only"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), GOOD);
    assert!(case.good_was_rewritten());
}

#[test]
fn directory_named_dockerfile() {
    let case = Case::new();
    let d = case.path("Dockerfile");
    std::fs::create_dir(&d).unwrap();
    let out = case.run(&d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Dockerfile: error: is a directory, not a Dockerfile"),
        "{err}"
    );
    assert!(case.good_was_rewritten());
}

#[test]
fn symlink_loop() {
    let case = Case::new();
    let a = case.path("a.Dockerfile");
    let b = case.path("b.Dockerfile");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let out = case.run(&a);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("a.Dockerfile: error: cannot read"), "{err}");
    assert!(case.good_was_rewritten());
    // walking the folder: the loop is reported, the good file still rewritten
    std::fs::write(case.path("good.Dockerfile"), GOOD).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .current_dir(case.dir.path())
        .args(["rewrite", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(case.good_was_rewritten());
}

#[test]
fn file_that_vanishes_before_it_is_read() {
    // discovery then read: a path that no longer exists is an error for that file only
    let case = Case::new();
    let gone = case.path("gone/Dockerfile");
    let out = case.run(&gone);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("gone/Dockerfile: error: cannot read"), "{err}");
    assert!(case.good_was_rewritten());
}

#[test]
fn permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let case = Case::new();
    let p = case.write("secret.Dockerfile", GOOD.as_bytes());
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    // root reads anything: drop to nobody for the run when we are root
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_slimfile"));
        // nobody must be able to write the good file and its folder
        std::fs::set_permissions(case.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        std::fs::set_permissions(
            case.path("good.Dockerfile"),
            std::fs::Permissions::from_mode(0o666),
        )
        .unwrap();
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_slimfile"))
    };
    let out = cmd
        .current_dir(case.dir.path())
        .arg("rewrite")
        .arg(case.path("good.Dockerfile"))
        .arg(&p)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if root && err.contains("setpriv") {
        // in CI the test must run: a skip there would hide a broken permission check
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "cannot drop privileges with setpriv under CI=true: {err}"
        );
        eprintln!("skipping: cannot drop privileges here: {err}");
        return;
    }
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("secret.Dockerfile: error: cannot read"),
        "{err}"
    );
    assert!(err.contains("ermission denied"), "{err}");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(std::fs::read_to_string(&p).unwrap(), GOOD);
    assert!(case.good_was_rewritten());
}
