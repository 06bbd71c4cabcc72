//! Work grows linearly with input: doubling a file's size must not much more
//! than double the work. Work is counted, never timed: heap allocations (a
//! counting global allocator around `engine::rewrite`, in-process), and CPU
//! instructions of the whole CLI run (valgrind's callgrind, when present;
//! required with `CI=true`). A quadratic step shows as a ratio near 4.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Input shapes that stress different parts: many stages (stage graph, names,
/// references), one huge continuation (lexer, words), many instructions in
/// one stage (per-instruction passes), heredocs, comments.
fn shape(kind: &str, n: usize) -> String {
    match kind {
        "stages" => (0..n)
            .map(|i| {
                let copy = if i > 0 {
                    format!("COPY --from={} /out /out\n", i - 1)
                } else {
                    String::new()
                };
                format!("FROM alpine:3.20 as s{i}\n{copy}RUN echo {i} > /out\n")
            })
            .collect(),
        "continuation" => {
            let mut s = String::from("FROM debian:bookworm\nRUN apt-get install -y \\\n");
            for i in 0..n {
                s.push_str(&format!("    pkg-{i} \\\n"));
                if i % 50 == 0 {
                    s.push_str("    # comment inside\n");
                }
            }
            s.push_str("    last\nCMD [\"sh\"]\n");
            s
        }
        "instructions" => {
            let mut s = String::from("FROM python:3.12\nWORKDIR /app\n");
            for i in 0..n {
                s.push_str(&format!(
                    "# step {i}\nENV VAR_{i}=value-{i}\nRUN echo step {i} && touch /tmp/{i}\n"
                ));
            }
            s.push_str("CMD [\"python\", \"app.py\"]\n");
            s
        }
        "heredocs" => {
            let mut s = String::from("FROM debian:bookworm-slim\n");
            for i in 0..n {
                s.push_str(&format!("RUN <<EOF\necho {i}\nset -e\nEOF\n"));
            }
            s
        }
        _ => unreachable!(),
    }
}

const KINDS: [&str; 4] = ["stages", "continuation", "instructions", "heredocs"];

fn allocations(text: &str) -> (u64, u64) {
    let settings = slimfile::config::Settings {
        max_file_bytes: usize::MAX,
        ..Default::default()
    };
    let (a0, b0) = (ALLOCS.load(Ordering::SeqCst), BYTES.load(Ordering::SeqCst));
    let out = slimfile::engine::rewrite(text.as_bytes(), &settings, None).expect("rewrites");
    let (a1, b1) = (ALLOCS.load(Ordering::SeqCst), BYTES.load(Ordering::SeqCst));
    drop(out);
    (a1 - a0, b1 - b0)
}

#[test]
fn allocations_grow_linearly() {
    for kind in KINDS {
        let n = 2000;
        let (a1, b1) = allocations(&shape(kind, n));
        let (a2, b2) = allocations(&shape(kind, 2 * n));
        let (ra, rb) = (a2 as f64 / a1 as f64, b2 as f64 / b1 as f64);
        eprintln!("{kind}: allocations ×{ra:.2}, bytes ×{rb:.2}");
        assert!(
            ra < 2.6,
            "{kind}: doubling the input multiplied allocations by {ra:.2}"
        );
        assert!(
            rb < 2.6,
            "{kind}: doubling the input multiplied allocated bytes by {rb:.2}"
        );
    }
}

/// Instructions executed by `slimfile rewrite --dry-run FILE`, by callgrind.
fn instructions(file: &std::path::Path) -> Option<u64> {
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(env!("CARGO_BIN_EXE_slimfile"))
        .args(["rewrite", "--dry-run", "--quiet"])
        .arg(file)
        .output()
        .ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err.lines().find(|l| l.contains("Collected :"))?;
    line.rsplit(':').next()?.trim().parse().ok()
}

#[test]
fn cpu_instructions_grow_linearly() {
    let present = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "valgrind missing on CI"
        );
        eprintln!("skipping: valgrind not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for kind in KINDS {
        let n = 1500;
        let small = dir.path().join(format!("{kind}-1.Dockerfile"));
        let big = dir.path().join(format!("{kind}-2.Dockerfile"));
        std::fs::write(&small, shape(kind, n)).unwrap();
        std::fs::write(&big, shape(kind, 2 * n)).unwrap();
        // process start and fixed costs: a one-line file
        let tiny = dir.path().join("tiny.Dockerfile");
        std::fs::write(&tiny, "FROM scratch\n").unwrap();
        let base = instructions(&tiny).expect("callgrind counts");
        let i1 = instructions(&small).expect("callgrind counts") - base;
        let i2 = instructions(&big).expect("callgrind counts") - base;
        let r = i2 as f64 / i1 as f64;
        eprintln!("{kind}: instructions {i1} → {i2} (×{r:.2})");
        assert!(
            r < 2.6,
            "{kind}: doubling the input multiplied instructions by {r:.2}"
        );
    }
}
