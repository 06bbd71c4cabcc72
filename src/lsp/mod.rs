//! `slimfile lsp`: the rewrites as diagnostics and code actions, over the
//! Language Server Protocol on standard input and output.
//!
//! Built on `lsp-server` and `lsp-types` (the crates rust-analyzer and ruff
//! use) and the library API: every analysis is [`crate::engine::rewrite`] on
//! the editor's text, never the CLI.
//!
//! - Diagnostics on open, change and save: one per change the engine applies
//!   at the document's safety level (information), one per suggestion above
//!   it (hint), and the notes (information; warnings and errors as such).
//!   `code` is the pass id (`pass/reason` for a note); positions are UTF-16.
//! - Code actions: a quick fix per change, "apply all safe", "apply all
//!   review", and "ignore this pass here" (`# slimfile: ignore=<pass>`).
//! - Formatting: the safe level, so format-on-save changes only names and casing.
//! - The command `slimfile.applyAll` (`[uri]` or `[uri, level]`): the whole
//!   rewrite, sent back as a `workspace/applyEdit` request.
//! - Settings: `initializationOptions` and `workspace/didChangeConfiguration`
//!   ([`options::ClientOptions`]), over the closest `slimfile.toml`.
//!
//! Scheduling: one thread, latest version wins. Every message already
//! waiting is read before any analysis runs, so a burst of changes to a
//! document gives one analysis, of its newest text; a request waiting
//! behind a `$/cancelRequest` for it is answered as cancelled. An analysis
//! takes milliseconds and is not interrupted once started.

mod actions;
pub mod analysis;
pub mod options;
pub mod text;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, DidChangeConfigurationParams,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, ExecuteCommandOptions, HoverProviderCapability, InitializeParams,
    OneOf, PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};

use analysis::Analysis;
use options::ClientOptions;

/// The code action kind of "apply all safe" (editors run `source.fixAll` on save).
pub const FIX_ALL_SAFE: &str = "source.fixAll.slimfile";
/// The code action kind of "apply all review".
pub const FIX_ALL_REVIEW: &str = "source.slimfile.applyReview";
/// The command that applies a whole rewrite through `workspace/applyEdit`:
/// arguments `[uri]` (at the document's safety level) or `[uri, "safe" | "review" | "unsafe"]`.
pub const APPLY_ALL_COMMAND: &str = "slimfile.applyAll";

/// Runs the server on standard input and output until the client exits:
/// exit code 0 after `shutdown`, 1 on an `exit` (or a closed input) without
/// it, as the protocol asks, 2 on a protocol error.
pub fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("slimfile lsp: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<bool> {
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection
        .initialize_start()
        .context("waiting for `initialize`")?;
    let init: InitializeParams =
        serde_json::from_value(params).context("reading `initialize` parameters")?;
    let sender = connection.sender.clone();
    let mut server = Server::new(
        Box::new(move |message| {
            // a closed channel means the client is gone: the main loop ends
            let _ = sender.send(message);
        }),
        &init,
    );
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo {
            name: "slimfile".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    connection
        .initialize_finish(id, result)
        .context("finishing `initialize`")?;
    let shut_down = server.main_loop(&connection)?;
    drop(server);
    drop(connection);
    io_threads
        .join()
        .context("closing standard input and output")?;
    Ok(shut_down)
}

/// What the server announces in its `initialize` result.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(FIX_ALL_SAFE.to_string()),
                CodeActionKind::from(FIX_ALL_REVIEW.to_string()),
            ]),
            ..CodeActionOptions::default()
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![APPLY_ALL_COMMAND.to_string()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// An open document.
struct Document {
    text: String,
    version: i32,
    path: Option<PathBuf>,
    /// The analysis of `version`, when it is current.
    analysis: Option<Analysis>,
    /// Whether the client has this version's diagnostics.
    published: bool,
}

struct Server {
    /// Sends a message to the client.
    sender: Box<dyn Fn(Message)>,
    options: ClientOptions,
    documents: HashMap<Uri, Document>,
    shutting_down: bool,
    /// Whether the client answers `workspace/configuration`.
    pulls_configuration: bool,
    next_request: i32,
    /// Our `workspace/configuration` requests still unanswered.
    configuration_requests: HashSet<RequestId>,
}

impl Server {
    fn new(sender: Box<dyn Fn(Message)>, init: &InitializeParams) -> Server {
        let options = init
            .initialization_options
            .as_ref()
            .map(ClientOptions::from_json)
            .and_then(Result::ok)
            .unwrap_or_default();
        let pulls_configuration = init
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false);
        Server {
            sender,
            options,
            documents: HashMap::new(),
            shutting_down: false,
            pulls_configuration,
            next_request: 0,
            configuration_requests: HashSet::new(),
        }
    }

    fn send(&self, message: Message) {
        (self.sender)(message);
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Notification::new(method.to_string(), params).into());
    }

    /// Serves until `exit` or the end of the input; whether `shutdown` came first.
    fn main_loop(&mut self, connection: &Connection) -> anyhow::Result<bool> {
        loop {
            let Ok(first) = connection.receiver.recv() else {
                return Ok(self.shutting_down);
            };
            let mut batch = vec![first];
            while let Ok(more) = connection.receiver.try_recv() {
                batch.push(more);
            }
            let cancelled: HashSet<RequestId> = batch
                .iter()
                .filter_map(|m| match m {
                    Message::Notification(n) if n.method == "$/cancelRequest" => n
                        .params
                        .get("id")
                        .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok()),
                    _ => None,
                })
                .collect();
            for message in batch {
                match message {
                    Message::Request(request) if cancelled.contains(&request.id) => {
                        self.send(
                            Response::new_err(
                                request.id,
                                ErrorCode::RequestCanceled as i32,
                                "cancelled".into(),
                            )
                            .into(),
                        );
                    }
                    Message::Request(request) => self.request(request),
                    Message::Notification(n) if n.method == "exit" => {
                        return Ok(self.shutting_down);
                    }
                    Message::Notification(n) => self.notification(n),
                    Message::Response(response) => self.response(response),
                }
            }
            self.publish_pending();
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shutting_down {
            self.send(
                Response::new_err(
                    id,
                    ErrorCode::InvalidRequest as i32,
                    "the server is shutting down".into(),
                )
                .into(),
            );
            return;
        }
        let result = match request.method.as_str() {
            "shutdown" => {
                self.shutting_down = true;
                Ok(serde_json::Value::Null)
            }
            "textDocument/codeAction" => {
                parse(request.params).map(|p| to_json(self.code_actions(p)))
            }
            "textDocument/formatting" => parse(request.params).map(|p| to_json(self.formatting(p))),
            "textDocument/hover" => parse(request.params).map(|p| to_json(self.hover(p))),
            "workspace/executeCommand" => {
                parse(request.params).and_then(|p| self.execute_command(p))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("slimfile does not handle `{other}`"),
            )),
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response.into());
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = parse::<DidOpenTextDocumentParams>(n.params) {
                    let path = file_path(&p.text_document.uri);
                    self.documents.insert(
                        p.text_document.uri,
                        Document {
                            text: p.text_document.text,
                            version: p.text_document.version,
                            path,
                            analysis: None,
                            published: false,
                        },
                    );
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = parse::<DidChangeTextDocumentParams>(n.params)
                    && let Some(doc) = self.documents.get_mut(&p.text_document.uri)
                {
                    for change in &p.content_changes {
                        text::apply_change(&mut doc.text, change);
                    }
                    doc.version = p.text_document.version;
                    doc.analysis = None;
                    doc.published = false;
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = parse::<DidSaveTextDocumentParams>(n.params)
                    && let Some(doc) = self.documents.get_mut(&p.text_document.uri)
                {
                    if let Some(text) = p.text {
                        doc.text = text;
                    }
                    // the build context or a configuration file may have changed
                    doc.analysis = None;
                    doc.published = false;
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = parse::<DidCloseTextDocumentParams>(n.params) {
                    self.documents.remove(&p.text_document.uri);
                    self.notify(
                        "textDocument/publishDiagnostics",
                        PublishDiagnosticsParams {
                            uri: p.text_document.uri,
                            diagnostics: Vec::new(),
                            version: None,
                        },
                    );
                }
            }
            "workspace/didChangeConfiguration" => {
                if let Ok(p) = parse::<DidChangeConfigurationParams>(n.params) {
                    let empty = p.settings.is_null()
                        || p.settings.as_object().is_some_and(|o| o.is_empty());
                    if empty && self.pulls_configuration {
                        self.pull_configuration();
                    } else {
                        self.set_options(&p.settings);
                    }
                }
            }
            "workspace/didChangeWatchedFiles" => self.invalidate_all(),
            _ => {}
        }
    }

    fn response(&mut self, response: Response) {
        // answers to `workspace/applyEdit` need nothing more
        if !self.configuration_requests.remove(&response.id) {
            return;
        }
        if let Some(items) = response
            .response_result
            .ok()
            .and_then(|r| r.as_array().cloned())
            && let Some(first) = items.first()
        {
            self.set_options(first);
        }
    }

    fn pull_configuration(&mut self) {
        self.next_request += 1;
        let id = RequestId::from(format!("slimfile-configuration-{}", self.next_request));
        self.configuration_requests.insert(id.clone());
        let request = Request::new(
            id,
            "workspace/configuration".into(),
            serde_json::json!({ "items": [{ "section": "slimfile" }] }),
        );
        self.send(request.into());
    }

    fn set_options(&mut self, settings: &serde_json::Value) {
        match ClientOptions::from_json(settings) {
            Ok(options) => {
                self.options = options;
                self.invalidate_all();
            }
            Err(message) => self.notify(
                "window/showMessage",
                serde_json::json!({ "type": 1, "message": message }),
            ),
        }
    }

    fn invalidate_all(&mut self) {
        for doc in self.documents.values_mut() {
            doc.analysis = None;
            doc.published = false;
        }
    }

    /// The current analysis of `uri`, made now if its text changed.
    fn analysis(&mut self, uri: &Uri) -> Option<&Analysis> {
        let options = &self.options;
        let doc = self.documents.get_mut(uri)?;
        if doc.analysis.is_none() {
            doc.analysis = Some(analysis::analyze(&doc.text, doc.path.as_deref(), options));
        }
        doc.analysis.as_ref()
    }

    fn publish_pending(&mut self) {
        let pending: Vec<Uri> = self
            .documents
            .iter()
            .filter(|(_, d)| !d.published)
            .map(|(u, _)| u.clone())
            .collect();
        for uri in pending {
            let Some(diagnostics) = self.analysis(&uri).map(Analysis::diagnostics) else {
                continue;
            };
            let Some(doc) = self.documents.get_mut(&uri) else {
                continue;
            };
            doc.published = true;
            let version = Some(doc.version);
            self.notify(
                "textDocument/publishDiagnostics",
                PublishDiagnosticsParams {
                    uri,
                    diagnostics,
                    version,
                },
            );
        }
    }
}

fn parse<P: serde::de::DeserializeOwned>(
    params: serde_json::Value,
) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn to_json(value: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// The path of a `file:` URI (`None` for other schemes: an unsaved buffer).
///
/// ```
/// let uri: lsp_types::Uri = "file:///srv/my%20app/Dockerfile".parse().unwrap();
/// assert_eq!(
///     slimfile::lsp::file_path(&uri),
///     Some(std::path::PathBuf::from("/srv/my app/Dockerfile"))
/// );
/// ```
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                decoded.push((hex(h)? * 16 + hex(l)?) as u8);
                i += 3;
            }
            (b, _, _) => {
                decoded.push(b);
                i += 1;
            }
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(decoded)))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(decoded).ok().map(PathBuf::from)
    }
}
