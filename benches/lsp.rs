//! `cargo bench --bench lsp`: how long after a change an editor gets
//! slimfile's diagnostics, on a 200-line Dockerfile. Two figures, median and
//! p95 over many runs: the analysis alone (`lsp::analysis::analyze`, in
//! process), and the round trip through the real server over stdio
//! (`textDocument/didChange` written → `publishDiagnostics` read). The goal
//! (issue 16) is 10 ms. Figures: README "Editors".

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use slimfile::lsp::analysis::analyze;
use slimfile::lsp::options::ClientOptions;

/// A 200-line two-stage Node file: a builder with a long apt continuation,
/// comments, labels and environment, and a runtime on the full node image
/// (so name-stages and slim-base find changes, and notes are written).
fn two_hundred_lines() -> String {
    let mut s = String::from(
        "# syntax=docker/dockerfile:1\nARG NODE_VERSION=20\nFROM node:${NODE_VERSION} as build\nWORKDIR /app\n",
    );
    s.push_str("RUN apt-get update && apt-get install -y --no-install-recommends \\\n");
    for i in 0..80 {
        s.push_str(&format!("    libpackage-{i:03}-dev \\\n"));
    }
    s.push_str("    && rm -rf /var/lib/apt/lists/*\n");
    for i in 0..40 {
        s.push_str(&format!(
            "# step {i}: build settings\nENV BUILD_SETTING_{i}=value-{i}\n"
        ));
    }
    s.push_str(
        "COPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\n",
    );
    s.push_str("FROM node:20\nWORKDIR /srv\n");
    for i in 0..20 {
        s.push_str(&format!("LABEL org.example.label-{i}=\"value {i}\"\n"));
    }
    s.push_str("COPY --from=0 /app/dist /srv/dist\nCOPY --from=0 /app/node_modules /srv/node_modules\nEXPOSE 8080\nCMD [\"node\", \"/srv/dist/server.js\"]\n");
    let lines = s.lines().count();
    assert!((195..=215).contains(&lines), "{lines} lines");
    s
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95))
}

fn frame(message: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(message).unwrap();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend(body);
    out
}

fn read_message(reader: &mut impl BufRead) -> Value {
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

fn main() {
    let text = two_hundred_lines();
    let options = ClientOptions {
        isolated: true,
        ..ClientOptions::default()
    };
    let findings = analyze(&text, None, &options).findings.len();
    assert!(findings >= 2, "{findings} findings");

    let runs = 300;
    let samples: Vec<Duration> = (0..runs)
        .map(|i| {
            // a different text each time, as while typing
            let edited = text.replace("value-7", &format!("value-{i}"));
            let start = Instant::now();
            let analysis = analyze(&edited, None, &options);
            let took = start.elapsed();
            assert!(!analysis.findings.is_empty());
            took
        })
        .collect();
    let (median, p95) = percentiles(samples);
    println!(
        "analysis, 200 lines ({} findings): median {:.2} ms, p95 {:.2} ms ({runs} runs)",
        findings,
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut send = |m: Value| {
        stdin.write_all(&frame(&m)).unwrap();
        stdin.flush().unwrap();
    };
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}, "initializationOptions": {"isolated": true}}}),
    );
    read_message(&mut reader);
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let uri = "untitled:bench.Dockerfile";
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}}),
    );
    read_message(&mut reader);
    // one character typed on line 130 (an ENV value), each time
    let line = text.lines().position(|l| l.contains("value-20")).unwrap();
    let samples: Vec<Duration> = (0..runs)
        .map(|i| {
            let start = Instant::now();
            send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": i + 2},
                "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "#"}],
            }}));
            let published = read_message(&mut reader);
            let took = start.elapsed();
            assert_eq!(published["params"]["version"], i + 2);
            took
        })
        .collect();
    let (median, p95) = percentiles(samples);
    println!(
        "didChange → publishDiagnostics over stdio, 200 lines: median {:.2} ms, p95 {:.2} ms ({runs} runs)",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3
    );
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    read_message(&mut reader);
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    child.wait().unwrap();
}
