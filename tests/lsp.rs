//! `slimfile lsp` over stdio: the real binary, driven with JSON-RPC messages
//! as an editor sends them (initialize, didOpen, publishDiagnostics,
//! codeAction, formatting, incremental didChange, configuration, shutdown).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use slimfile::config::Settings;
use slimfile::edit::Safety;

const TIMEOUT: Duration = Duration::from_secs(30);

/// A language client on the server's stdin/stdout.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications read while waiting for something else.
    held: Vec<Value>,
    next_id: i64,
    initialize_result: Value,
}

fn frame(message: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(message).unwrap();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend(body);
    out
}

impl Client {
    fn start(initialization_options: Value) -> Client {
        Client::start_with(json!({}), initialization_options)
    }

    fn start_with(capabilities: Value, initialization_options: Value) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("slimfile"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start slimfile lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let message: Value = serde_json::from_slice(&body).expect("JSON from the server");
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            held: Vec::new(),
            next_id: 0,
            initialize_result: Value::Null,
        };
        client.initialize_result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": capabilities,
                "initializationOptions": initialization_options,
            }),
        );
        client.notify("initialized", json!({}));
        client
    }

    fn write(&mut self, messages: &[Value]) {
        let bytes: Vec<u8> = messages.iter().flat_map(frame).collect();
        self.stdin.write_all(&bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.write(&[json!({"jsonrpc": "2.0", "method": method, "params": params})]);
    }

    fn request_message(&mut self, method: &str, params: Value) -> (i64, Value) {
        self.next_id += 1;
        let id = self.next_id;
        (
            id,
            json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        )
    }

    fn next_message(&mut self, deadline: Instant) -> Value {
        match self
            .incoming
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// The whole response (`result` or `error`) to request `id`.
    fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self.next_message(deadline);
            if m.get("id") == Some(&json!(id)) && m.get("method").is_none() {
                return m;
            }
            self.held.push(m);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let (id, message) = self.request_message(method, params);
        self.write(&[message]);
        let response = self.response(id);
        assert!(
            response.get("error").is_none(),
            "{method}: error {response}"
        );
        response["result"].clone()
    }

    /// The next `textDocument/publishDiagnostics` for `uri` (held ones first).
    fn diagnostics(&mut self, uri: &str) -> Value {
        let is_it = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.held.iter().position(is_it) {
            return self.held.remove(i)["params"].clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self.next_message(deadline);
            if is_it(&m) {
                return m["params"].clone();
            }
            self.held.push(m);
        }
    }

    /// Diagnostics for `uri` until one for `version` arrives.
    fn diagnostics_for_version(&mut self, uri: &str, version: i64) -> Value {
        loop {
            let d = self.diagnostics(uri);
            if d["version"] == version {
                return d;
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
    }

    /// shutdown, exit; the exit status.
    fn shutdown(mut self) -> std::process::ExitStatus {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        let (id, after) = self.request_message("textDocument/hover", json!({}));
        self.write(&[after]);
        let refused = self.response(id);
        assert_eq!(
            refused["error"]["code"], -32600,
            "a request after shutdown is refused: {refused}"
        );
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A folder that is its own repository root (no configuration file above
/// it applies), with a Dockerfile in it; its `file:` URI.
fn project(text: &str) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, text).unwrap();
    let uri = uri_of(&path);
    (dir, path, uri)
}

fn uri_of(path: &Path) -> String {
    let shown = path.display().to_string().replace(' ', "%20");
    format!("file://{shown}")
}

/// UTF-16 (line, character) → byte offset, as the protocol counts.
fn offset(text: &str, line: u64, character: u64) -> usize {
    let mut start = 0;
    for _ in 0..line {
        start += text[start..]
            .find('\n')
            .map_or(text.len() - start, |i| i + 1);
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' || c == '\r' {
            return start + i;
        }
        units += c.len_utf16() as u64;
    }
    text.len()
}

/// Applies LSP `TextEdit`s to `text`.
fn apply(text: &str, edits: &Value) -> String {
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .expect("an array of edits")
        .iter()
        .map(|e| {
            let r = &e["range"];
            let at = |p: &Value| {
                offset(
                    text,
                    p["line"].as_u64().unwrap(),
                    p["character"].as_u64().unwrap(),
                )
            };
            (
                at(&r["start"]),
                at(&r["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort();
    let mut out = String::new();
    let mut at = 0;
    for (start, end, new) in edits {
        assert!(start >= at, "overlapping edits");
        out.push_str(&text[at..start]);
        out.push_str(&new);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect()
}

fn with_code<'a>(diagnostics: &'a Value, code: &str) -> &'a Value {
    diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no `{code}` diagnostic in {diagnostics}"))
}

fn engine_output(text: &str, safety: Safety) -> String {
    let settings = Settings {
        safety,
        ..Settings::default()
    };
    slimfile::engine::rewrite(text.as_bytes(), &settings, None)
        .unwrap()
        .output
}

/// A build stage referred to by index, an unnamed lowercase `as`, and a
/// runtime on the full node image: name-stages (safe) and slim-base (review).
const TWO_STAGES: &str = "FROM node:20 as build\nRUN npm ci && npm run build\n\nFROM node:20\nCOPY --from=0 /dist /app\nCMD [\"node\", \"/app/server.js\"]\n";

#[test]
fn initialize_announces_sync_code_actions_and_formatting() {
    let client = Client::start(Value::Null);
    let caps = &client.initialize_result["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental: {caps}");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["documentFormattingProvider"], true);
    let kinds = caps["codeActionProvider"]["codeActionKinds"].to_string();
    assert!(kinds.contains("quickfix") && kinds.contains("source.fixAll.slimfile"));
    assert_eq!(client.initialize_result["serverInfo"]["name"], "slimfile");
    assert!(client.shutdown().success());
}

#[test]
fn did_open_publishes_one_diagnostic_per_change_at_utf16_positions() {
    // a BOM, CRLF and a surrogate pair before the change on its line
    let text = "\u{feff}FROM node:20 AS build\r\nRUN npm ci\r\n\r\nFROM node:20\r\nCOPY --chown=é🦀 --from=0 /dist /app\r\nCMD [\"node\", \"/app/server.js\"]\r\n";
    let (_dir, _path, uri) = project(text);
    let mut client = Client::start(Value::Null);
    client.open(&uri, text);
    let d = client.diagnostics(&uri);
    assert_eq!(d["version"], 1);
    let codes = codes(&d);
    assert!(codes.contains(&"name-stages".to_string()), "{d}");
    assert!(codes.contains(&"slim-base".to_string()), "{d}");
    let name = with_code(&d, "name-stages");
    assert_eq!(name["source"], "slimfile");
    assert_eq!(name["severity"], 3, "an applied change is information");
    // `COPY --chown=` (13 units) é (1) 🦀 (2) ` --from=` (8): the `0` at 24
    assert_eq!(
        name["range"],
        json!({"start": {"line": 4, "character": 24}, "end": {"line": 4, "character": 25}})
    );
    let slim = with_code(&d, "slim-base");
    assert_eq!(slim["range"]["start"]["line"], 3);
    assert!(
        slim["message"].as_str().unwrap().contains("MB"),
        "the message carries the estimate: {slim}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn code_actions_fix_one_change_apply_all_and_ignore_a_pass() {
    let (_dir, _path, uri) = project(TWO_STAGES);
    let mut client = Client::start(Value::Null);
    client.open(&uri, TWO_STAGES);
    let d = client.diagnostics(&uri);
    let name = with_code(&d, "name-stages").clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": name["range"],
            "context": {"diagnostics": [name]},
        }),
    );
    let actions = actions.as_array().expect("a list of actions");
    let titled = |needle: &str| {
        actions
            .iter()
            .find(|a| a["title"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no action with `{needle}` in {actions:?}"))
    };
    let edits_of = |action: &Value| action["edit"]["changes"][&uri].clone();
    // the quick fix is the change's own edit: `as` → `AS`, nothing else
    let fix = titled("slimfile name-stages");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    let after = apply(TWO_STAGES, &edits_of(fix));
    // name-stages has two changes here (`as` → `AS`, `--from=0` → name): one alone
    let one = [
        TWO_STAGES.replacen(" as ", " AS ", 1),
        TWO_STAGES.replace("--from=0", "--from=build"),
    ];
    assert!(one.contains(&after), "one change's edits only: {after}");
    // apply all: the engine's output at that level
    let all_safe = titled("apply all safe");
    assert_eq!(all_safe["kind"], "source.fixAll.slimfile");
    assert_eq!(
        apply(TWO_STAGES, &edits_of(all_safe)),
        engine_output(TWO_STAGES, Safety::Safe)
    );
    let all_review = titled("apply all review");
    let reviewed = apply(TWO_STAGES, &edits_of(all_review));
    assert_eq!(reviewed, engine_output(TWO_STAGES, Safety::Review));
    assert!(reviewed.contains("node:20-slim"), "{reviewed}");
    // ignore the pass here: the pragma above the instruction
    let ignore = titled("ignore name-stages here");
    let ignored = apply(TWO_STAGES, &edits_of(ignore));
    assert!(
        ignored.contains("# slimfile: ignore=name-stages\n"),
        "{ignored}"
    );
    // after it, no name-stages diagnostic on that instruction
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": ignored}]}),
    );
    let d2 = client.diagnostics_for_version(&uri, 2);
    let line = name["range"]["start"]["line"].as_u64().unwrap() + 1;
    assert!(
        d2["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "name-stages" || d["range"]["start"]["line"] != line),
        "{d2}"
    );
    // `only` filters the kinds
    let only = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        }),
    );
    let kinds: Vec<&str> = only
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["source.fixAll.slimfile"]);
    assert!(client.shutdown().success());
}

#[test]
fn formatting_applies_the_safe_level_only() {
    let text = TWO_STAGES.replace('\n', "\r\n");
    let (_dir, _path, uri) = project(&text);
    let mut client = Client::start(Value::Null);
    client.open(&uri, &text);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let formatted = apply(&text, &edits);
    assert_eq!(formatted, engine_output(&text, Safety::Safe));
    assert!(
        formatted.contains("FROM node:20 AS build\r\n"),
        "{formatted:?}"
    );
    assert!(
        !formatted.contains("-slim"),
        "review changes are not formatting"
    );
    assert!(!formatted.replace("\r\n", "").contains('\n'), "CRLF kept");
    // a file BuildKit refuses: no edits, the buffer stays
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "FROM a\nENV PATH\n"}]}),
    );
    let d = client.diagnostics_for_version(&uri, 2);
    assert_eq!(d["diagnostics"][0]["severity"], 1, "{d}");
    assert_eq!(d["diagnostics"][0]["range"]["start"]["line"], 1, "{d}");
    let none = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(none, Value::Null);
    assert!(client.shutdown().success());
}

#[test]
fn incremental_changes_are_applied_at_utf16_positions_and_the_latest_wins() {
    let text =
        "FROM node:20 as build\nLABEL note=\"🦀 é\"\nRUN npm ci && npm cache clean --force\n";
    let (_dir, _path, uri) = project(text);
    let mut client = Client::start(Value::Null);
    client.open(&uri, text);
    let d1 = client.diagnostics(&uri);
    assert!(
        with_code(&d1, "name-stages")["message"]
            .as_str()
            .unwrap()
            .contains("AS")
    );
    // three changes in one write: `as` → `AS`; after the crab (2 units) and
    // the space, `é` → `e`; then a new line at the end
    let change = |version: i64, range: Value, new: &str| {
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": range, "text": new}],
        }})
    };
    let range = |l1: u64, c1: u64, l2: u64, c2: u64| json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}});
    client.write(&[
        change(2, range(0, 13, 0, 15), "AS"),
        change(3, range(1, 15, 1, 16), "e"),
        change(4, range(3, 0, 3, 0), "CMD [\"node\"]\n"),
    ]);
    let d4 = client.diagnostics_for_version(&uri, 4);
    assert!(
        !codes(&d4).contains(&"name-stages".to_string()),
        "the `as` was fixed by the edit: {d4}"
    );
    // the server's text is the client's: formatting at the safe level has nothing to do
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let expected = "FROM node:20 AS build\nLABEL note=\"🦀 e\"\nRUN npm ci && npm cache clean --force\nCMD [\"node\"]\n";
    assert_eq!(
        apply(expected, &edits),
        engine_output(expected, Safety::Safe)
    );
    assert_eq!(edits, json!([]), "{edits}");
    assert!(client.shutdown().success());
}

#[test]
fn the_folder_configuration_and_editor_settings_apply() {
    let (dir, _path, uri) = project(TWO_STAGES);
    std::fs::write(dir.path().join("slimfile.toml"), "safety = \"safe\"\n").unwrap();
    let mut client = Client::start(Value::Null);
    client.open(&uri, TWO_STAGES);
    let d = client.diagnostics(&uri);
    let slim = with_code(&d, "slim-base");
    assert_eq!(
        slim["severity"], 4,
        "above the file's safe level: a hint: {slim}"
    );
    assert!(slim["message"].as_str().unwrap().contains("suggestion"));
    // the editor's settings act like command-line flags
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"slimfile": {"safety": "review", "ignore": ["name-stages"]}}}),
    );
    let d = client.diagnostics(&uri);
    assert_eq!(with_code(&d, "slim-base")["severity"], 3, "{d}");
    assert!(!codes(&d).contains(&"name-stages".to_string()), "{d}");
    // a broken configuration file: one error naming it
    std::fs::write(dir.path().join("slimfile.toml"), "safty = \"safe\"\n").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let d = client.diagnostics(&uri);
    assert_eq!(d["diagnostics"].as_array().unwrap().len(), 1, "{d}");
    assert_eq!(d["diagnostics"][0]["severity"], 1);
    assert!(
        d["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("slimfile.toml:1:1"),
        "{d}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn initialization_options_and_docs_url() {
    let (_dir, _path, uri) = project(TWO_STAGES);
    let mut client = Client::start(json!({
        "showNotes": false,
        "select": ["name-stages"],
        "docsUrl": "https://example.com/passes/{pass}",
    }));
    client.open(&uri, TWO_STAGES);
    let d = client.diagnostics(&uri);
    let codes = codes(&d);
    assert!(codes.iter().all(|c| c == "name-stages"), "{d}");
    assert_eq!(
        d["diagnostics"][0]["codeDescription"]["href"],
        "https://example.com/passes/name-stages"
    );
    // hovering a diagnostic shows the pass's documentation
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": d["diagnostics"][0]["range"]["start"]}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap_or("");
    assert_eq!(
        shown,
        slimfile::passes::find("name-stages").unwrap().doc,
        "{hover}"
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let closed = client.diagnostics(&uri);
    assert_eq!(closed["diagnostics"], json!([]));
    assert!(client.shutdown().success());
}

/// A split (review level, reads go.mod in the document's folder: the build
/// context) in a CRLF file: its quick fix inserts a whole stage, in CRLF.
#[test]
fn a_split_quick_fix_reads_the_folder_and_keeps_crlf() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/go-hello");
    let text = std::fs::read_to_string(example.join("Dockerfile"))
        .unwrap()
        .replace('\n', "\r\n");
    let (dir, _path, uri) = project(&text);
    for file in ["go.mod", "main.go"] {
        std::fs::copy(example.join(file), dir.path().join(file)).unwrap();
    }
    let mut client = Client::start(Value::Null);
    client.open(&uri, &text);
    let d = client.diagnostics(&uri);
    let split = with_code(&d, "split-stages").clone();
    assert!(
        split["message"].as_str().unwrap().contains("MB smaller"),
        "{split}"
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": split["range"], "context": {"diagnostics": [split]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("slimfile split-stages")
        })
        .unwrap_or_else(|| panic!("{actions}"));
    let after = apply(&text, &fix["edit"]["changes"][&uri]);
    assert!(after.contains("FROM scratch AS runtime\r\n"), "{after:?}");
    assert!(
        !after.replace("\r\n", "").contains('\n'),
        "a bare LF: {after:?}"
    );
    let settings = Settings::default();
    let engine = slimfile::engine::rewrite(text.as_bytes(), &settings, Some(dir.path())).unwrap();
    assert_eq!(engine.applied.len(), 1, "the split is the only change");
    assert_eq!(after, engine.output);
    // without the folder (an unsaved buffer) the split cannot see go.mod
    let untitled = "untitled:Dockerfile-1";
    client.open(untitled, &text);
    let d = client.diagnostics(untitled);
    assert!(!codes(&d).contains(&"split-stages".to_string()), "{d}");
    assert!(
        codes(&d).contains(&"split-stages/context-unknown".to_string()),
        "{d}"
    );
    assert!(client.shutdown().success());
}

/// A real editor: Neovim's built-in client (`vim.lsp`) opens a Dockerfile,
/// gets slimfile's diagnostics, applies the `as` → `AS` quick fix; the buffer
/// is checked afterwards. Skipped, with a message, where `nvim` is missing
/// (`.ci/run` installs Debian's `neovim`, so on CI it fails instead).
#[test]
fn neovim_applies_a_quick_fix() {
    let nvim = std::env::var("SLIMFILE_NVIM").unwrap_or_else(|_| "nvim".into());
    let found = Command::new(&nvim)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: `{nvim}` is missing (.ci/run installs Debian's neovim)"
        );
        eprintln!("skipped: `{nvim}` not found (apt-get install neovim, or set SLIMFILE_NVIM)");
        return;
    }
    let (dir, path, _uri) = project(TWO_STAGES);
    let out = dir.path().join("nvim-result.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/neovim.lua");
    let status = Command::new(&nvim)
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("SLIMFILE_BIN", assert_cmd::cargo::cargo_bin("slimfile"))
        .env("SLIMFILE_NVIM_FILE", &path)
        .env("SLIMFILE_NVIM_OUT", &out)
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .expect("run nvim");
    let result: Value = serde_json::from_str(
        &std::fs::read_to_string(&out)
            .unwrap_or_else(|e| panic!("no result from nvim ({status}): {e}")),
    )
    .unwrap();
    assert!(result.get("error").is_none(), "nvim: {result}");
    let codes = result["codes"].to_string();
    assert!(
        codes.contains("name-stages") && codes.contains("slim-base"),
        "{result}"
    );
    assert!(
        result["titles"].to_string().contains("apply all safe"),
        "{result}"
    );
    let buffer: Vec<&str> = result["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    let expected = TWO_STAGES.replacen(" as ", " AS ", 1);
    assert_eq!(buffer, expected.lines().collect::<Vec<_>>(), "{result}");
    // the file on disk is untouched: the fix went into the buffer
    assert_eq!(std::fs::read_to_string(&path).unwrap(), TWO_STAGES);
}

#[test]
fn execute_command_sends_the_whole_rewrite_as_apply_edit() {
    let (_dir, _path, uri) = project(TWO_STAGES);
    let mut client = Client::start(Value::Null);
    let commands =
        client.initialize_result["capabilities"]["executeCommandProvider"]["commands"].to_string();
    assert!(commands.contains("slimfile.applyAll"), "{commands}");
    client.open(&uri, TWO_STAGES);
    client.diagnostics(&uri);
    for (level, safety) in [(Some("safe"), Safety::Safe), (None, Safety::Review)] {
        let mut arguments = vec![json!(uri)];
        arguments.extend(level.map(|l| json!(l)));
        let result = client.request(
            "workspace/executeCommand",
            json!({"command": "slimfile.applyAll", "arguments": arguments}),
        );
        assert_eq!(result, Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        let apply_edit = loop {
            if let Some(i) = client
                .held
                .iter()
                .position(|m| m["method"] == "workspace/applyEdit")
            {
                break client.held.remove(i);
            }
            let m = client.next_message(deadline);
            client.held.push(m);
        };
        let after = apply(TWO_STAGES, &apply_edit["params"]["edit"]["changes"][&uri]);
        assert_eq!(after, engine_output(TWO_STAGES, safety), "{level:?}");
        // the client's answer
        client.write(&[
            json!({"jsonrpc": "2.0", "id": apply_edit["id"], "result": {"applied": true}}),
        ]);
    }
    let (id, bad) = client.request_message(
        "workspace/executeCommand",
        json!({"command": "slimfile.applyAll", "arguments": [uri, "risky"]}),
    );
    client.write(&[bad]);
    assert_eq!(client.response(id)["error"]["code"], -32602);
    assert!(client.shutdown().success());
}

/// A client that answers `workspace/configuration` (VS Code's way): an empty
/// `didChangeConfiguration` makes the server ask for the `slimfile` section.
#[test]
fn settings_are_pulled_from_a_client_that_answers_configuration() {
    let (_dir, _path, uri) = project(TWO_STAGES);
    let mut client = Client::start_with(json!({"workspace": {"configuration": true}}), Value::Null);
    client.open(&uri, TWO_STAGES);
    let d = client.diagnostics(&uri);
    assert_eq!(with_code(&d, "slim-base")["severity"], 3);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let deadline = Instant::now() + TIMEOUT;
    let ask = loop {
        let m = client.next_message(deadline);
        if m["method"] == "workspace/configuration" {
            break m;
        }
        client.held.push(m);
    };
    assert_eq!(ask["params"]["items"][0]["section"], "slimfile");
    client.write(&[json!({"jsonrpc": "2.0", "id": ask["id"], "result": [{"safety": "safe"}]})]);
    let d = client.diagnostics(&uri);
    assert_eq!(
        with_code(&d, "slim-base")["severity"],
        4,
        "a suggestion at the pulled safe level: {d}"
    );
    // an answer to a request the server did not send changes nothing
    client.write(&[json!({"jsonrpc": "2.0", "id": "not-ours", "result": [{"safety": "review"}]})]);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover, Value::Null, "no diagnostic at 1:1");
    // a later batch: any diagnostics the answer caused were published before this
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert!(
        !client
            .held
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "no republish: {:?}",
        client.held
    );
    assert!(client.shutdown().success());
}

#[test]
fn exit_without_shutdown_exits_with_1() {
    let mut client = Client::start(Value::Null);
    client.notify("exit", Value::Null);
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = client.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(1));
}
