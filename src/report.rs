//! Rendering results: unified diffs, text lines, JSON.

use std::fmt::Write as _;

use similar::TextDiff;

use crate::engine::{ImageEstimate, Outcome, RewriteError};
use crate::source::Position;

/// The result for one file.
#[derive(Debug)]
pub struct FileResult {
    /// The path as the user wrote it (or the stdin name).
    pub path: String,
    pub outcome: Result<Outcome, FileError>,
    /// True when the rewrite was written to disk.
    pub written: bool,
}

/// Why a file was not processed; the file is untouched.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileError {
    pub message: String,
    pub position: Option<Position>,
}

impl From<RewriteError> for FileError {
    fn from(e: RewriteError) -> Self {
        FileError {
            position: e.position(),
            message: e.to_string(),
        }
    }
}

impl FileError {
    pub fn new(message: impl Into<String>) -> FileError {
        FileError {
            message: message.into(),
            position: None,
        }
    }

    /// `PATH:LINE:COL: error: message` (or `PATH: error: message`).
    pub fn render(&self, path: &str) -> String {
        match self.position {
            Some(p) => format!("{path}:{}:{}: error: {}", p.line, p.column, self.message),
            None => format!("{path}: error: {}", self.message),
        }
    }
}

pub use crate::edit::human_bytes;

/// A unified diff with `a/PATH` / `b/PATH` headers (empty when equal).
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("a/{}", path.trim_start_matches('/')),
            &format!("b/{}", path.trim_start_matches('/')),
        )
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Text lines for one file: applied changes, suggestions, notes.
pub fn render_messages(path: &str, outcome: &Outcome) -> String {
    let mut s = String::new();
    if let Some(i) = &outcome.image {
        s.push_str(&image_line(path, i));
        s.push('\n');
    }
    for a in &outcome.applied {
        let _ = writeln!(
            s,
            "{path}:{}: {} [{}] {}",
            a.position, a.change.pass, a.change.safety, a.change.message
        );
    }
    for c in &outcome.suggestions {
        let _ = writeln!(
            s,
            "{path}:{}: {} [{}] suggestion (needs --safety {}): {}",
            c.position, c.item.pass, c.item.safety, c.item.safety, c.item.message
        );
    }
    for n in &outcome.notes {
        let _ = writeln!(
            s,
            "{path}:{}: {} {}[{}]: {}",
            n.position, n.item.pass, n.item.level, n.item.code, n.item.message
        );
    }
    s
}

/// The line about the final image's base, before → after with catalog sizes
/// (`PATH: final image base golang:1.22 (312.3 MB) → scratch (0.0 MB): ~312 MB smaller, compressed`).
pub fn image_line(path: &str, i: &ImageEstimate) -> String {
    let mb = |m: Option<f64>| match m {
        None => "size unknown".to_string(),
        Some(m) if m >= 1000.0 => format!("{:.1} GB", m / 1000.0),
        Some(m) => format!("{m:.1} MB"),
    };
    let mut s = format!(
        "{path}: final image base {} ({}) → {} ({})",
        i.before,
        mb(i.before_mb),
        i.after,
        mb(i.after_mb)
    );
    if let (Some(b), Some(a)) = (i.before_mb, i.after_mb) {
        let saved = ((b - a) * 1_000_000.0).round() as i64;
        let _ = match saved {
            0 => write!(s, ": about the same size"),
            n if n > 0 => write!(s, ": ~{} smaller, compressed", human_bytes(n)),
            n => write!(s, ": ~{} larger, compressed", human_bytes(-n)),
        };
    }
    s
}

/// What `--dry-run` prints for one file: the messages, then a patch-compatible diff.
pub fn dry_run(path: &str, outcome: &Outcome) -> String {
    render_messages(path, outcome) + &unified_diff(path, &outcome.source.text, &outcome.output)
}

/// Counts over a run, printed at the end.
#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub errors: usize,
    /// Files no pass looked at (`ignore-file` pragma).
    pub skipped: usize,
    pub changes: usize,
    pub estimated_bytes_saved: i64,
    /// Changes per pass.
    pub changes_by_pass: std::collections::BTreeMap<String, usize>,
    /// Why passes left things alone: `pass/code` → count (info notes).
    pub left_alone: std::collections::BTreeMap<String, usize>,
}

impl Summary {
    pub fn of(results: &[FileResult]) -> Summary {
        let mut s = Summary {
            files: results.len(),
            ..Summary::default()
        };
        for r in results {
            if let Ok(o) = &r.outcome {
                for a in &o.applied {
                    *s.changes_by_pass
                        .entry(a.change.pass.to_string())
                        .or_default() += 1;
                }
                for n in o
                    .notes
                    .iter()
                    .filter(|n| n.item.level == crate::edit::Level::Info)
                {
                    *s.left_alone
                        .entry(format!("{}/{}", n.item.pass, n.item.code))
                        .or_default() += 1;
                }
            }
            match &r.outcome {
                Err(_) => s.errors += 1,
                Ok(o) if o.changed() => {
                    s.changed += 1;
                    s.changes += o.applied.len();
                    s.estimated_bytes_saved += o.estimated_bytes_saved().unwrap_or(0);
                }
                Ok(o) if o.skipped.is_some() => s.skipped += 1,
                Ok(_) => s.unchanged += 1,
            }
        }
        s
    }

    pub fn render(&self, dry_run: bool) -> String {
        let verb = if dry_run { "would change" } else { "changed" };
        let mut s = format!(
            "{} file{}: {} {verb}, {} unchanged, ",
            self.files,
            if self.files == 1 { "" } else { "s" },
            self.changed,
            self.unchanged,
        );
        if self.skipped > 0 {
            let _ = write!(s, "{} skipped (ignore-file pragma), ", self.skipped);
        }
        let _ = write!(
            s,
            "{} error{}",
            self.errors,
            if self.errors == 1 { "" } else { "s" }
        );
        if self.estimated_bytes_saved != 0 {
            let _ = write!(
                s,
                "; estimated ~{} smaller images, compressed",
                human_bytes(self.estimated_bytes_saved)
            );
        }
        let list = |m: &std::collections::BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.files > 1 && !self.changes_by_pass.is_empty() {
            let _ = write!(s, "\n  changes by pass: {}", list(&self.changes_by_pass));
        }
        if self.files > 1 && !self.left_alone.is_empty() {
            let _ = write!(
                s,
                "\n  left alone (pass/reason): {}",
                list(&self.left_alone)
            );
        }
        s
    }
}

/// The JSON report: one object per file.
pub fn json(results: &[FileResult]) -> serde_json::Value {
    use serde_json::json;
    let files: Vec<_> = results
        .iter()
        .map(|r| match &r.outcome {
            Err(e) => json!({ "path": r.path, "status": "error", "error": e }),
            Ok(o) => json!({
                "path": r.path,
                "status": if o.changed() { "changed" } else { "unchanged" },
                "skipped": o.skipped,
                "written": r.written,
                "estimated_bytes_saved": o.estimated_bytes_saved(),
                "image": o.image,
                "changes": o.applied,
                "suggestions": o.suggestions,
                "notes": o.notes,
            }),
        })
        .collect();
    json!({ "version": 1, "files": files, "summary": Summary::of(results) })
}

/// One finding of any kind, for the SARIF and GitHub renderers.
struct Finding<'a> {
    rule: String,
    level: &'static str,
    message: String,
    path: &'a str,
    position: Option<crate::source::Position>,
}

fn findings<'a>(results: &'a [FileResult], dry_run: bool) -> Vec<Finding<'a>> {
    let mut out = Vec::new();
    for r in results {
        match &r.outcome {
            Err(e) => out.push(Finding {
                rule: "file-error".into(),
                level: "error",
                message: e.message.clone(),
                path: &r.path,
                position: e.position,
            }),
            Ok(o) => {
                for a in &o.applied {
                    let verb = if dry_run { "would apply" } else { "applied" };
                    out.push(Finding {
                        rule: a.change.pass.to_string(),
                        level: "warning",
                        message: format!("{verb} [{}]: {}", a.change.safety, a.change.message),
                        path: &r.path,
                        position: Some(a.position),
                    });
                }
                for c in &o.suggestions {
                    out.push(Finding {
                        rule: c.item.pass.to_string(),
                        level: "note",
                        message: format!(
                            "suggestion (needs --safety {}): {}",
                            c.item.safety, c.item.message
                        ),
                        path: &r.path,
                        position: Some(c.position),
                    });
                }
                for n in &o.notes {
                    out.push(Finding {
                        rule: format!("{}/{}", n.item.pass, n.item.code),
                        level: match n.item.level {
                            crate::edit::Level::Error => "error",
                            crate::edit::Level::Warning => "warning",
                            crate::edit::Level::Info => "note",
                        },
                        message: n.item.message.clone(),
                        path: &r.path,
                        position: Some(n.position),
                    });
                }
            }
        }
    }
    out
}

/// SARIF 2.1.0 (for code-scanning upload): one run, one result per change,
/// suggestion, note or file error. Paths are relative URIs as given.
pub fn sarif(results: &[FileResult], dry_run: bool) -> serde_json::Value {
    use serde_json::json;
    let found = findings(results, dry_run);
    let rules = sarif_rules(&found);
    let results: Vec<_> = found.iter().map(sarif_result).collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "slimfile",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// One rule a pass (its docs as help), then one for each other rule id
/// found (`pass/reason-code`: the code's explanation as help).
fn sarif_rules(found: &[Finding]) -> Vec<serde_json::Value> {
    use serde_json::json;
    let mut rules: Vec<serde_json::Value> = crate::passes::ALL
        .iter()
        .map(|p| {
            json!({
                "id": p.id,
                "name": p.id,
                "shortDescription": { "text": p.summary },
                "fullDescription": { "text": p.summary },
                "help": { "text": p.doc, "markdown": p.doc },
                "defaultConfiguration": { "level": "warning" },
                "properties": { "safety": p.safety.to_string() },
            })
        })
        .collect();
    let mut extra: Vec<&str> = found
        .iter()
        .map(|f| f.rule.as_str())
        .filter(|r| crate::passes::find(r).is_none())
        .collect();
    extra.sort_unstable();
    extra.dedup();
    for id in extra {
        let mut rule = json!({
            "id": id,
            "name": id,
            "shortDescription": { "text": id },
            "defaultConfiguration": { "level": "note" },
        });
        let reason = id
            .split_once('/')
            .and_then(|(_, code)| crate::reason::Reason::from_code(code));
        if let Some(reason) = reason {
            let text = reason.explanation();
            rule["fullDescription"] = json!({ "text": text });
            rule["help"] = json!({ "text": text, "markdown": text });
        }
        rules.push(rule);
    }
    rules
}

/// One SARIF result: rule, level, message and location (line 1 without a position).
fn sarif_result(f: &Finding) -> serde_json::Value {
    use serde_json::json;
    let mut region = serde_json::Map::new();
    if let Some(p) = f.position {
        region.insert("startLine".into(), json!(p.line.max(1)));
        region.insert("startColumn".into(), json!(p.column.max(1)));
    } else {
        region.insert("startLine".into(), json!(1));
    }
    json!({
        "ruleId": f.rule,
        "level": f.level,
        "message": { "text": f.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": sarif_uri(f.path) },
                "region": region,
            }
        }],
    })
}

/// A relative path as a URI reference: `/` separators, `./` dropped, spaces and `%` escaped.
fn sarif_uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let mut out = String::new();
    for c in p.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

/// GitHub Actions workflow commands: `::warning file=…,line=…,col=…,title=…::message`.
pub fn github(results: &[FileResult], dry_run: bool) -> String {
    let esc_data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let esc_prop = |s: &str| esc_data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for f in findings(results, dry_run) {
        let command = match f.level {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let mut props = format!("file={}", esc_prop(f.path));
        if let Some(p) = f.position {
            let _ = write!(props, ",line={},col={}", p.line, p.column);
        }
        let _ = write!(
            props,
            ",title={}",
            esc_prop(&format!("slimfile {}", f.rule))
        );
        let _ = writeln!(out, "::{command} {props}::{}", esc_data(&f.message));
    }
    out
}
