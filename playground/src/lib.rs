//! slimfile's rewrite core for the browser playground (`playground/web/`).
//!
//! Two functions, JSON in and JSON out, built for `wasm32-unknown-unknown`
//! and bound to JavaScript by `wasm-bindgen`:
//!
//! - [`rewrite`]: a Dockerfile, optional build-context files, a safety level
//!   and the passes to run → the rewritten text, the unified diff, the text
//!   lines and the JSON report, all rendered by the library's own
//!   [`slimfile::report`] exactly as `slimfile rewrite --dry-run` and
//!   `--format json` render them;
//! - [`passes`]: the library's pass registry (id, summary, default safety),
//!   so the page lists the passes this build has;
//! - [`example`]: the request the page opens with (`examples/go-hello/`).
//!
//! The build context is [`ContextFiles`]: the files pasted on the page reach
//! the passes through the same gate as a folder on disk. With no files the
//! run has no build context, like `slimfile rewrite -` without
//! `--stdin-filename`.

use serde::{Deserialize, Serialize};
use slimfile::config::{Prefer, Settings};
use slimfile::context::{BuildContext, ContextFiles};
use slimfile::edit::Safety;
use slimfile::engine;
use slimfile::report::{self, FileError, FileResult};
use wasm_bindgen::prelude::wasm_bindgen;

/// The name the Dockerfile has in the diff, the messages and the report.
pub const PATH: &str = "Dockerfile";

/// What the page asks for.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The Dockerfile's text.
    pub dockerfile: String,
    /// Files of the build context (go.mod, requirements.txt …); none: no build context.
    #[serde(default)]
    pub files: Vec<File>,
    /// `safe`, `review` (the default) or `unsafe`.
    #[serde(default)]
    pub safety: Option<String>,
    /// The passes to run, as `--select` names them; absent: all.
    #[serde(default)]
    pub passes: Option<Vec<String>>,
    /// Which runtime base variant slim-base prefers (default `slim`).
    #[serde(default)]
    pub prefer: Option<Prefer>,
}

/// One file of the build context.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// Its path in the build context (`go.mod`, `src/app.py`).
    pub path: String,
    pub text: String,
}

/// What the page shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Response {
    /// The rewritten Dockerfile (`None` when the request or the file was refused).
    pub output: Option<String>,
    /// The unified diff, as `slimfile rewrite --dry-run` prints it (empty: unchanged).
    pub diff: String,
    /// The text lines of `--dry-run` (`Dockerfile:LINE:COL: pass [safety] message`), or the error.
    pub messages: String,
    /// The first of those lines when the final image's base changes: before → after, with sizes.
    pub image: Option<String>,
    /// The report of `slimfile rewrite --format json` (schemas/report.schema.json).
    pub report: Option<serde_json::Value>,
    /// Problems with the request itself: an unknown safety level or pass (nothing ran), a
    /// context file path a folder could not hold (that file left out).
    pub errors: Vec<String>,
}

/// Rewrites the request's Dockerfile; `request` and the answer are JSON
/// ([`Request`], [`Response`]).
#[wasm_bindgen]
pub fn rewrite(request: &str) -> String {
    let response = match serde_json::from_str::<Request>(request) {
        Ok(request) => run(&request),
        Err(e) => Response {
            errors: vec![format!("bad request: {e}")],
            ..Response::default()
        },
    };
    serde_json::to_string(&response).unwrap_or_default()
}

/// The passes, in the engine's order: `[{"id", "summary", "safety"}]`.
#[wasm_bindgen]
pub fn passes() -> String {
    let list: Vec<serde_json::Value> = slimfile::passes::ALL
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id.as_str(),
                "summary": p.summary,
                "safety": p.safety,
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// The request the page opens with when its link holds none: the README's example,
/// `examples/go-hello/` (its Dockerfile, go.mod and main.go).
#[wasm_bindgen]
pub fn example() -> String {
    serde_json::json!({
        "dockerfile": include_str!("../../examples/go-hello/Dockerfile"),
        "files": [
            { "path": "go.mod", "text": include_str!("../../examples/go-hello/go.mod") },
            { "path": "main.go", "text": include_str!("../../examples/go-hello/main.go") },
        ],
    })
    .to_string()
}

/// [`rewrite`] on a parsed request.
pub fn run(request: &Request) -> Response {
    let mut errors = Vec::new();
    let settings = match settings(request) {
        Ok(settings) => settings,
        Err(e) => {
            errors.push(e);
            return Response {
                errors,
                ..Response::default()
            };
        }
    };
    let mut files = ContextFiles::new();
    for f in request.files.iter().filter(|f| !f.path.trim().is_empty()) {
        if let Err(e) = files.insert(f.path.trim(), f.text.as_bytes()) {
            errors.push(format!("context file {e}: left out"));
        }
    }
    let context = (!files.is_empty()).then_some(BuildContext::Files(&files));
    let outcome = engine::rewrite_with(request.dockerfile.as_bytes(), &settings, context)
        .map_err(FileError::from);
    let (output, diff, messages, image) = match &outcome {
        Ok(o) => (
            Some(o.output.clone()),
            report::unified_diff(PATH, &o.source.text, &o.output),
            report::render_messages(PATH, o),
            o.image.as_ref().map(|i| report::image_line(PATH, i)),
        ),
        Err(e) => (None, String::new(), e.render(PATH) + "\n", None),
    };
    let result = FileResult {
        path: PATH.to_string(),
        outcome,
        written: false,
    };
    Response {
        output,
        diff,
        messages,
        image,
        report: Some(report::json(std::slice::from_ref(&result))),
        errors,
    }
}

/// The request's settings, checked as the command line checks its flags.
fn settings(request: &Request) -> Result<Settings, String> {
    let mut settings = Settings::default();
    if let Some(level) = &request.safety {
        settings.safety = level.parse::<Safety>()?;
    }
    if let Some(passes) = &request.passes {
        if let Some(id) = passes
            .iter()
            .find(|id| slimfile::passes::find(id).is_none())
        {
            return Err(format!("unknown pass `{id}` (see `slimfile passes`)"));
        }
        settings.select = Some(passes.clone());
    }
    if let Some(prefer) = request.prefer {
        settings.prefer = prefer;
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GO_HELLO: &str = include_str!("../../examples/go-hello/Dockerfile");

    fn go_hello(files: &[(&str, &str)]) -> Request {
        Request {
            dockerfile: GO_HELLO.into(),
            files: files
                .iter()
                .map(|(path, text)| File {
                    path: path.to_string(),
                    text: text.to_string(),
                })
                .collect(),
            ..Request::default()
        }
    }

    fn go_hello_files() -> Vec<(&'static str, &'static str)> {
        vec![
            ("go.mod", include_str!("../../examples/go-hello/go.mod")),
            ("main.go", include_str!("../../examples/go-hello/main.go")),
        ]
    }

    #[test]
    fn the_go_example_with_its_sources_gets_a_runtime_stage() {
        let r = run(&go_hello(&go_hello_files()));
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert!(r.diff.contains("+FROM scratch AS runtime"), "{}", r.diff);
        assert!(r.diff.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n"));
        assert!(
            r.messages
                .contains("Dockerfile:1:17: split-stages [review]"),
            "{}",
            r.messages
        );
        let image = r.image.unwrap();
        assert!(r.messages.starts_with(&format!("{image}\n")));
        assert!(
            image.ends_with("→ scratch (0.0 MB): ~312 MB smaller, compressed"),
            "{image}"
        );
        let report = r.report.unwrap();
        assert_eq!(report["files"][0]["status"], "changed");
        assert_eq!(report["files"][0]["changes"][0]["pass"], "split-stages");
    }

    #[test]
    fn without_context_files_there_is_no_build_context() {
        let r = run(&go_hello(&[]));
        assert_eq!(r.output.as_deref(), Some(GO_HELLO));
        assert!(
            r.messages
                .contains("split-stages info[context-unknown]: no build context at hand"),
            "{}",
            r.messages
        );
    }

    #[test]
    fn settings_are_checked_like_the_flags() {
        let mut req = go_hello(&go_hello_files());
        req.safety = Some("safe".into());
        let r = run(&req);
        // at safe no pass reads the build context (as with `--safety safe`): no split
        assert_eq!(r.output.as_deref(), Some(GO_HELLO));
        assert_eq!(r.diff, "");

        req.safety = Some("risky".into());
        assert!(run(&req).errors[0].contains("unknown safety level `risky`"));
        req.safety = None;
        req.passes = Some(vec!["slim-bse".into()]);
        assert_eq!(
            run(&req).errors,
            ["unknown pass `slim-bse` (see `slimfile passes`)"]
        );
        req.passes = Some(vec!["name-stages".into()]);
        let r = run(&req);
        assert!(
            r.diff.contains("+FROM golang:1.22 AS builder") || r.diff.is_empty(),
            "{}",
            r.diff
        );
        assert!(!r.diff.contains("runtime"), "{}", r.diff);
    }

    #[test]
    fn a_bad_dockerfile_is_an_error_with_its_position() {
        let r = run(&Request {
            dockerfile: "FROM\n".into(),
            ..Request::default()
        });
        assert_eq!(r.output, None);
        assert!(
            r.messages.starts_with("Dockerfile:1:1: error:"),
            "{}",
            r.messages
        );
        assert_eq!(r.report.unwrap()["files"][0]["status"], "error");
    }

    #[test]
    fn bad_context_paths_are_left_out_and_said() {
        let mut files = go_hello_files();
        files.push(("main.go/x", "no"));
        files.push(("  ", "an unnamed file is skipped"));
        let r = run(&go_hello(&files));
        assert_eq!(
            r.errors,
            ["context file `main.go/x`: a file cannot hold other files: left out"]
        );
        assert!(r.diff.contains("+FROM scratch AS runtime"));
    }

    #[test]
    fn the_json_functions_answer_json() {
        let answer: serde_json::Value =
            serde_json::from_str(&rewrite("{\"dockerfile\": \"FROM alpine\\n\"}")).unwrap();
        assert_eq!(answer["diff"], "");
        let bad: serde_json::Value = serde_json::from_str(&rewrite("{\"dockerfle\": 1}")).unwrap();
        assert!(
            bad["errors"][0]
                .as_str()
                .unwrap()
                .starts_with("bad request: unknown field `dockerfle`")
        );
        let example: Request = serde_json::from_str(&example()).unwrap();
        assert!(run(&example).diff.contains("+FROM scratch AS runtime"));
        let list: serde_json::Value = serde_json::from_str(&passes()).unwrap();
        assert_eq!(list[0]["id"], "name-stages");
        assert_eq!(
            list.as_array().unwrap().len(),
            slimfile::pass_id::PASS_IDS.len()
        );
    }
}
