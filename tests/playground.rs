//! The browser playground (`playground/`), used as a user would, in a real browser.
//!
//! The page is built as `scripts/playground.sh build` builds it (the rewrite core for
//! `wasm32-unknown-unknown`, then wasm-bindgen, then the static files) into
//! `target/playground-test/site/`, served on 127.0.0.1 by a small server here, and driven in
//! Debian's headless Chromium by `playground/tests/browser.mjs` (playwright-core, no browser
//! download): it empties the page, adds go-hello's go.mod and main.go as build-context files,
//! pastes go-hello's single-stage Dockerfile, and reports what the page shows; then it opens the
//! link the page wrote in a new page. Here we check the diff shows the runtime stage, and that the
//! link gives the same page.
//!
//! Prerequisites: Chromium (`chromium` on PATH, or `$SLIMFILE_CHROMIUM`), Rust's
//! `wasm32-unknown-unknown` target, the wasm-bindgen CLI of the version playground/Cargo.toml pins,
//! node and `playground/node_modules` (`npm ci` in `playground/`); `scripts/test.sh` sets them up.
//! Without one the test says which and skips; with `CI=true` it fails. A screenshot of the page
//! goes to `target/playground-test/playground.png`, or to `$SLIMFILE_PLAYGROUND_SCREENSHOT`
//! (how `docs/playground.png` is made).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "common/prerequisites.rs"]
mod prerequisites;
use prerequisites::{missing, root, target_dir};

/// The first line a program prints for `args`, if it runs.
fn first_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    out.status
        .success()
        .then(|| text.lines().next().unwrap_or("").trim().to_string())
}

/// The wasm-bindgen version playground/Cargo.toml pins (`wasm-bindgen = "=X"`).
fn pinned_wasm_bindgen() -> String {
    let manifest = std::fs::read_to_string(root().join("playground/Cargo.toml")).unwrap();
    let manifest: toml::Table = toml::from_str(&manifest).unwrap();
    manifest["dependencies"]["wasm-bindgen"]
        .as_str()
        .and_then(|v| v.strip_prefix('='))
        .expect("playground/Cargo.toml pins wasm-bindgen with `=`")
        .to_string()
}

/// Chromium's path, when every prerequisite is there; else skips or fails (see the module doc).
fn prerequisites() -> Option<String> {
    let chromium = std::env::var("SLIMFILE_CHROMIUM").unwrap_or_else(|_| "chromium".into());
    if first_line(&chromium, &["--version"]).is_none() {
        return missing(&format!(
            "no Chromium (`{chromium} --version` fails; Debian: apt-get install chromium)"
        ));
    }
    let sysroot = first_line("rustc", &["--print", "sysroot"]).unwrap_or_default();
    if !Path::new(&sysroot)
        .join("lib/rustlib/wasm32-unknown-unknown")
        .is_dir()
    {
        return missing(
            "no wasm32-unknown-unknown target (rustup target add wasm32-unknown-unknown)",
        );
    }
    let pinned = pinned_wasm_bindgen();
    let found = first_line("wasm-bindgen", &["--version"]);
    if found.as_deref() != Some(&format!("wasm-bindgen {pinned}")) {
        return missing(&format!(
            "wasm-bindgen {pinned} is not on PATH (found: {found:?}; cargo install wasm-bindgen-cli --version {pinned} --locked)"
        ));
    }
    if first_line("node", &["--version"]).is_none() {
        return missing("no node (Debian: apt-get install nodejs npm)");
    }
    if !root()
        .join("playground/node_modules/playwright-core/package.json")
        .is_file()
    {
        return missing("no playground/node_modules/playwright-core (cd playground && npm ci)");
    }
    Some(chromium)
}

/// Serves the files of `site` on 127.0.0.1 (a free port) until the test ends: GET only, a
/// thread per connection, the MIME types a browser needs for ES modules and WebAssembly.
fn serve(site: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let site = site.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let site = site.clone();
            std::thread::spawn(move || answer(stream, &site));
        }
    });
    format!("http://{address}/")
}

fn answer(mut stream: TcpStream, site: &Path) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // the headers, unread
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let rel = match path.trim_start_matches('/') {
        "" => "index.html",
        rel => rel,
    };
    let file = site.join(rel);
    let body = (!rel.contains("..") && request.starts_with("GET "))
        .then(|| std::fs::read(&file).ok())
        .flatten();
    let head = match (&body, file.extension().and_then(|e| e.to_str())) {
        (None, _) => "404 Not Found\r\nContent-Type: text/plain".to_string(),
        (Some(_), ext) => {
            let mime = match ext {
                Some("html") => "text/html; charset=utf-8",
                Some("js" | "mjs") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("wasm") => "application/wasm",
                _ => "application/octet-stream",
            };
            format!("200 OK\r\nContent-Type: {mime}")
        }
    };
    let body = body.unwrap_or_default();
    let _ = write!(
        stream,
        "HTTP/1.1 {head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

const RUNTIME_STAGE: &str = "+FROM scratch AS runtime";

#[test]
fn a_pasted_go_dockerfile_shows_the_runtime_stage_and_the_link_keeps_it() {
    let Some(chromium) = prerequisites() else {
        return;
    };
    let out = target_dir().join("playground-test");
    let site = out.join("site");
    let started = Instant::now();
    let build = Command::new(root().join("scripts/playground.sh"))
        .arg("build")
        .arg(&site)
        .current_dir(root())
        .env("CARGO_TARGET_DIR", target_dir())
        .status()
        .unwrap();
    assert!(build.success(), "scripts/playground.sh build failed");
    let wasm = site.join("pkg/slimfile_playground_bg.wasm");
    eprintln!(
        "playground: built in {:.0?}, {} bytes of wasm",
        started.elapsed(),
        std::fs::metadata(&wasm).unwrap().len()
    );

    let url = serve(&site);
    let example = root().join("examples/go-hello");
    let read = |name: &str| std::fs::read_to_string(example.join(name)).unwrap();
    let dockerfile = read("Dockerfile");
    let files = serde_json::json!([
        { "path": "go.mod", "text": read("go.mod") },
        { "path": "main.go", "text": read("main.go") },
    ]);
    let screenshot = std::env::var_os("SLIMFILE_PLAYGROUND_SCREENSHOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| out.join("playground.png"));
    let config = serde_json::json!({
        "url": url,
        "chromium": which(&chromium),
        "dockerfile": dockerfile,
        "files": files,
        "screenshot": screenshot,
        "timeoutMs": 60_000,
    });
    let started = Instant::now();
    let browser = Command::new("node")
        .arg(root().join("playground/tests/browser.mjs"))
        .arg(config.to_string())
        .current_dir(root().join("playground"))
        .output()
        .unwrap();
    assert!(
        browser.status.success(),
        "the browser run failed:\n{}",
        String::from_utf8_lossy(&browser.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&browser.stdout).unwrap();
    eprintln!(
        "playground: browser run in {:.0?}; first result {} ms after the page opened",
        started.elapsed(),
        seen["loadToFirstResultMs"]
    );
    assert_eq!(seen["errors"], serde_json::json!([]), "errors in the page");

    // the built-in example when the link holds no state
    assert!(
        seen["example"]["diff"]
            .as_str()
            .unwrap()
            .contains(RUNTIME_STAGE),
        "the example: {}",
        seen["example"]
    );
    // emptied: nothing to show, so the runtime stage below comes from what was pasted
    let cleared = &seen["cleared"];
    assert_eq!(cleared["dockerfile"], "", "{cleared}");
    assert_eq!(cleared["files"], serde_json::json!([]), "{cleared}");
    assert!(
        !cleared["diff"].as_str().unwrap().contains("runtime"),
        "{cleared}"
    );

    let pasted = &seen["pasted"];
    assert_eq!(pasted["dockerfile"], dockerfile.as_str());
    assert_eq!(pasted["files"], files);
    let diff = pasted["diff"].as_str().unwrap();
    assert!(
        diff.contains(RUNTIME_STAGE) && diff.contains("+FROM golang:1.22 AS builder"),
        "the diff shows no runtime stage:\n{diff}\nnotes: {}",
        pasted["notes"]
    );
    assert!(
        pasted["output"]
            .as_str()
            .unwrap()
            .contains("\nFROM scratch AS runtime\n")
    );
    assert!(
        pasted["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("split-stages")),
        "{}",
        pasted["notes"]
    );
    let link = pasted["url"].as_str().unwrap();
    assert!(
        link.starts_with(&format!("{url}#z=")),
        "the state is in the link: {link}"
    );

    // the link, opened again, gives the same page
    let reopened = &seen["reopened"];
    assert_eq!(reopened["url"], pasted["url"]);
    for field in ["dockerfile", "files", "diff", "notes", "output"] {
        assert_eq!(
            reopened[field], pasted[field],
            "{field} after opening the link"
        );
    }
    assert!(screenshot.is_file());
}

/// `program`'s path on PATH (playwright wants a path).
fn which(program: &str) -> String {
    if program.contains('/') {
        return program.to_string();
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| program.to_string())
}
