//! The requests that answer from a document's analysis: code actions (quick fixes, "ignore
//! this pass here", "apply all safe/review"), the `slimfile.applyAll` command, formatting and
//! hover.

use std::collections::HashMap;

use lsp_server::{ErrorCode, Request, RequestId};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, DocumentFormattingParams,
    ExecuteCommandParams, Hover, HoverContents, HoverParams, MarkupContent, MarkupKind, TextEdit,
    Uri, WorkspaceEdit,
};

use crate::edit::Safety;

use super::analysis::{self, Analysis, FindingKind};
use super::{APPLY_ALL_COMMAND, Document, FIX_ALL_REVIEW, FIX_ALL_SAFE, Server};

impl Server {
    pub(super) fn code_actions(&mut self, params: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = params.text_document.uri;
        let wanted = |kind: &str| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter()
                    .any(|o| kind == o.as_str() || kind.starts_with(&format!("{}.", o.as_str())))
            })
        };
        let Some(analysis) = self.analysis(&uri).cloned() else {
            return Vec::new();
        };
        let Some(doc) = self.documents.get(&uri) else {
            return Vec::new();
        };
        let edit = |edits: Vec<TextEdit>| WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        };
        let mut actions = Vec::new();
        if wanted(CodeActionKind::QUICKFIX.as_str()) {
            self.quick_fixes(&analysis, doc, params.range, &edit, &mut actions);
        }
        self.fix_all(doc, &wanted, &edit, &mut actions);
        actions
    }

    /// A quick fix per finding that touches `range`, and "ignore this pass here" where the
    /// pragma is checked to work.
    fn quick_fixes(
        &self,
        analysis: &Analysis,
        doc: &Document,
        range: lsp_types::Range,
        edit: &dyn Fn(Vec<TextEdit>) -> WorkspaceEdit,
        actions: &mut Vec<CodeActionOrCommand>,
    ) {
        let touches = |r: &lsp_types::Range| r.start <= range.end && range.start <= r.end;
        for finding in analysis
            .findings
            .iter()
            .filter(|f| touches(&f.diagnostic.range))
        {
            if let Some(fix) = &finding.fix {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![finding.diagnostic.clone()]),
                    edit: Some(edit(fix.edits.clone())),
                    is_preferred: Some(fix.exact && finding.kind == FindingKind::Change),
                    ..CodeAction::default()
                }));
            }
            if let Some(pragma) = &finding.ignore
                && analysis::pragma_works(
                    &doc.text,
                    doc.path.as_deref(),
                    &self.options,
                    pragma,
                    finding.pass,
                    &finding.diagnostic.message,
                )
            {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!(
                        "slimfile: ignore {} here (# slimfile: ignore={})",
                        finding.pass, finding.pass
                    ),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![finding.diagnostic.clone()]),
                    edit: Some(edit(vec![pragma.clone()])),
                    ..CodeAction::default()
                }));
            }
        }
    }

    /// "Apply all safe" and "apply all review" (the latter when it is more than the former).
    fn fix_all(
        &self,
        doc: &Document,
        wanted: &dyn Fn(&str) -> bool,
        edit: &dyn Fn(Vec<TextEdit>) -> WorkspaceEdit,
        actions: &mut Vec<CodeActionOrCommand>,
    ) {
        let mut previous: Option<Vec<TextEdit>> = None;
        for (safety, kind, title) in [
            (
                Safety::Safe,
                FIX_ALL_SAFE,
                "slimfile: apply all safe changes",
            ),
            (
                Safety::Review,
                FIX_ALL_REVIEW,
                "slimfile: apply all review changes (safe and review)",
            ),
        ] {
            if !wanted(kind) {
                continue;
            }
            let Some(edits) =
                analysis::rewrite_all(&doc.text, doc.path.as_deref(), &self.options, safety)
            else {
                continue;
            };
            // "apply all review" when it is more than "apply all safe"
            if edits.is_empty() || previous.as_ref() == Some(&edits) {
                continue;
            }
            previous = Some(edits.clone());
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: title.to_string(),
                kind: Some(CodeActionKind::from(kind.to_string())),
                edit: Some(edit(edits)),
                ..CodeAction::default()
            }));
        }
    }

    /// `slimfile.applyAll`: the whole rewrite, sent to the client as a
    /// `workspace/applyEdit` request.
    pub(super) fn execute_command(
        &mut self,
        params: ExecuteCommandParams,
    ) -> Result<serde_json::Value, (ErrorCode, String)> {
        let invalid = |m: String| (ErrorCode::InvalidParams, m);
        if params.command != APPLY_ALL_COMMAND {
            return Err(invalid(format!("unknown command `{}`", params.command)));
        }
        let uri: Uri = params
            .arguments
            .first()
            .and_then(|a| a.as_str())
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| {
                invalid(format!(
                    "{APPLY_ALL_COMMAND}: the first argument is a document URI"
                ))
            })?;
        let doc = self.documents.get(&uri).ok_or_else(|| {
            invalid(format!(
                "{APPLY_ALL_COMMAND}: `{}` is not open",
                uri.as_str()
            ))
        })?;
        let safety = match params.arguments.get(1).and_then(|a| a.as_str()) {
            Some(level) => level.parse::<Safety>().map_err(invalid)?,
            None => {
                self.options
                    .settings_for(doc.path.as_deref())
                    .map_err(|e| (ErrorCode::RequestFailed, e))?
                    .safety
            }
        };
        let edits = analysis::rewrite_all(&doc.text, doc.path.as_deref(), &self.options, safety)
            .ok_or_else(|| {
                (
                    ErrorCode::RequestFailed,
                    "slimfile cannot rewrite this document as it stands (see its diagnostics)"
                        .to_string(),
                )
            })?;
        if !edits.is_empty() {
            self.next_request += 1;
            let request = Request::new(
                RequestId::from(format!("slimfile-apply-{}", self.next_request)),
                "workspace/applyEdit".into(),
                serde_json::json!({
                    "label": format!("slimfile: apply all {safety} changes"),
                    "edit": WorkspaceEdit {
                        changes: Some(HashMap::from([(uri, edits)])),
                        ..WorkspaceEdit::default()
                    },
                }),
            );
            self.send(request.into());
        }
        Ok(serde_json::Value::Null)
    }

    pub(super) fn formatting(&mut self, params: DocumentFormattingParams) -> Option<Vec<TextEdit>> {
        let doc = self.documents.get(&params.text_document.uri)?;
        analysis::rewrite_all(&doc.text, doc.path.as_deref(), &self.options, Safety::Safe)
    }

    pub(super) fn hover(&mut self, params: HoverParams) -> Option<Hover> {
        let at = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        let analysis = self.analysis(&uri)?;
        let mut passes: Vec<&str> = Vec::new();
        for f in &analysis.findings {
            let r = f.diagnostic.range;
            if r.start <= at && at <= r.end && !passes.contains(&f.pass) {
                passes.push(f.pass);
            }
        }
        let docs: Vec<&str> = passes
            .iter()
            .filter_map(|p| crate::passes::find(p))
            .map(|p| p.doc)
            .collect();
        (!docs.is_empty()).then(|| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: docs.join("\n---\n"),
            }),
            range: None,
        })
    }
}
