//! Diagnostics, fixes and positions of the analysis, on real documents.

use super::*;

/// Applies LSP edits (non-overlapping) to `text`.
pub(crate) fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let index = LineIndex::new(text);
    let mut ranges: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                index.offset(e.range.start),
                index.offset(e.range.end),
                e.new_text.as_str(),
            )
        })
        .collect();
    ranges.sort();
    let mut out = String::new();
    let mut at = 0;
    for (start, end, new) in ranges {
        assert!(start >= at, "overlapping edits: {edits:?}");
        out.push_str(&text[at..start]);
        out.push_str(new);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn isolated() -> ClientOptions {
    ClientOptions {
        isolated: true,
        ..ClientOptions::default()
    }
}

const TWO_STAGES: &str = "FROM node:20 as build\nRUN npm ci && npm run build\n\nFROM node:20\nCOPY --from=0 /dist /app\nCMD [\"node\", \"/app/server.js\"]\n";

fn changes(a: &Analysis) -> Vec<&Finding> {
    a.findings
        .iter()
        .filter(|f| f.kind == FindingKind::Change)
        .collect()
}

#[test]
fn one_diagnostic_per_change_with_its_pass_as_code() {
    let a = analyze(TWO_STAGES, None, &isolated());
    let passes: Vec<&str> = changes(&a).iter().map(|f| f.pass).collect();
    assert!(passes.contains(&"name-stages"), "{passes:?}");
    assert!(passes.contains(&"slim-base"), "{passes:?}");
    for f in changes(&a) {
        assert_eq!(
            f.diagnostic.code,
            Some(NumberOrString::String(f.pass.to_string()))
        );
        assert_eq!(f.diagnostic.source.as_deref(), Some(SOURCE));
        assert_eq!(f.diagnostic.severity, Some(DiagnosticSeverity::INFORMATION));
    }
}

/// Applying every round-0 fix, and the later ones in order, gives the
/// engine's output; each exact fix alone is the change's edits.
#[test]
fn fixes_reproduce_the_engine_on_lf_crlf_and_bom() {
    for text in [
        TWO_STAGES.to_string(),
        TWO_STAGES.replace('\n', "\r\n"),
        format!("\u{feff}{}", TWO_STAGES.replace('\n', "\r\n")),
        TWO_STAGES.replace("/dist", "/dïst/中文/🦀"),
    ] {
        let a = analyze(&text, None, &isolated());
        let whole = rewrite_all(&text, None, &isolated(), Safety::Review).unwrap();
        let expected = apply_edits(&text, &whole);
        let out = engine::rewrite(text.as_bytes(), &Settings::default(), None).unwrap();
        assert_eq!(
            expected.trim_start_matches('\u{feff}'),
            out.output,
            "rewrite_all gives the engine's output"
        );
        let exact: Vec<&Finding> = changes(&a)
            .into_iter()
            .filter(|f| f.fix.as_ref().is_some_and(|x| x.exact))
            .collect();
        assert!(!exact.is_empty());
        let all: Vec<TextEdit> = exact
            .iter()
            .flat_map(|f| f.fix.as_ref().unwrap().edits.clone())
            .collect();
        let after = apply_edits(&text, &all);
        // the round-0 changes together: a rewrite of that finds nothing more
        // from round 0 (the later rounds remain)
        assert_ne!(after, text);
        if text.contains("\r\n") {
            assert!(
                !after.replace("\r\n", "").contains('\n'),
                "LF in a CRLF file"
            );
        }
    }
}

#[test]
fn diagnostics_sit_on_the_changed_bytes_in_utf16() {
    // non-ASCII before the change on its line: UTF-16 columns, not bytes
    let text = "\u{feff}FROM node:20 AS build\r\nRUN npm ci\r\nFROM node:20-slim\r\nCOPY --chown=é🦀 --from=0 /dist /app\r\nCMD [\"node\", \"/app/x.js\"]\r\n";
    let a = analyze(text, None, &isolated());
    let name = changes(&a)
        .into_iter()
        .find(|f| f.pass == "name-stages")
        .expect("the `--from=0` change");
    // `COPY --chown=` 13, é 1, 🦀 2 (a surrogate pair), ` --from=` 8
    assert_eq!(name.diagnostic.range.start.line, 3);
    assert_eq!(name.diagnostic.range.start.character, 24);
    assert_eq!(name.diagnostic.range.end.character, 25);
    let fix = name.fix.as_ref().unwrap();
    assert!(fix.exact);
    let after = apply_edits(text, &fix.edits);
    assert!(
        after.contains("COPY --chown=é🦀 --from=build /dist /app\r\n"),
        "{after:?}"
    );
    assert!(after.starts_with('\u{feff}'));
}

#[test]
fn suggestions_are_hints_and_notes_information() {
    let options = ClientOptions {
        safety: Some(Safety::Safe),
        ..isolated()
    };
    let a = analyze(TWO_STAGES, None, &options);
    let suggestion = a
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Suggestion)
        .expect("slim-base is above the safe level");
    assert_eq!(
        suggestion.diagnostic.severity,
        Some(DiagnosticSeverity::HINT)
    );
    assert!(suggestion.diagnostic.message.contains("suggestion"));
    let text = "FROM alpine:3.20\nCMD [\"sh\"]\n";
    let a = analyze(text, None, &isolated());
    assert!(
        a.findings.iter().all(|f| f.kind == FindingKind::Note
            && f.diagnostic.severity == Some(DiagnosticSeverity::INFORMATION)),
        "{:?}",
        a.findings
    );
    let quiet = ClientOptions {
        show_notes: Some(false),
        ..isolated()
    };
    assert!(analyze(text, None, &quiet).findings.is_empty());
}

#[test]
fn the_ignore_pragma_suppresses_the_change() {
    let a = analyze(TWO_STAGES, None, &isolated());
    let slim = changes(&a)
        .into_iter()
        .find(|f| f.pass == "slim-base")
        .expect("a slim-base change");
    let pragma = slim.ignore.as_ref().expect("an ignore edit");
    assert!(pragma.new_text.contains("# slimfile: ignore=slim-base"));
    assert!(pragma_works(
        TWO_STAGES,
        None,
        &isolated(),
        pragma,
        "slim-base",
        &slim.diagnostic.message
    ));
    let after = apply_edits(TWO_STAGES, std::slice::from_ref(pragma));
    let again = analyze(&after, None, &isolated());
    assert!(changes(&again).iter().all(|f| f.pass != "slim-base"));
    // a second pass on the same instruction extends the pragma
    let extended = after.replace("ignore=slim-base", "ignore=name-stages");
    let doc = syntax::parse(&extended).unwrap();
    let from = extended.rfind("FROM node:20").unwrap();
    let (at, insert) = pragma_edit(&extended, &doc, &[from + 5], "slim-base", "\n").unwrap();
    assert_eq!(insert, ",slim-base");
    assert_eq!(
        &extended[..at],
        &extended[..extended.find("name-stages").unwrap() + 11]
    );
}

#[test]
fn a_syntax_error_is_one_error_diagnostic_at_its_place() {
    let text = "FROM a\nRUN é\nENV PATH\n";
    let a = analyze(text, None, &isolated());
    assert_eq!(a.findings.len(), 1, "{:?}", a.findings);
    let d = &a.findings[0].diagnostic;
    assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR));
    assert_eq!(d.range.start.line, 2);
    assert!(rewrite_all(text, None, &isolated(), Safety::Safe).is_none());
    // not UTF-8 is refused by the engine; a BOM and a surrogate pair before
    // the error's column: UTF-16 there too
    let text = "\u{feff}FROM a\nCOPY --from=🦀 --chown=x --chown=y a b\n";
    let a = analyze(text, None, &isolated());
    let d = &a.findings[0].diagnostic;
    assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR), "{a:?}");
    assert_eq!(d.range.start.line, 1);
    let engine = engine::rewrite(text.as_bytes(), &Settings::default(), None).unwrap_err();
    let column = engine.position().unwrap().column as u32;
    // columns after the crab are one UTF-16 unit more than in characters
    let expected = if column > 13 { column } else { column - 1 };
    assert_eq!(d.range.start.character, expected, "{engine}");
}

#[test]
fn later_round_positions_map_back_into_the_document() {
    // split-stages adds a runtime stage (round 0), slim-base slims it later
    let text = "FROM debian:bookworm AS build\nRUN ./configure --prefix=/usr/local && make -j\"$(nproc)\" && make install\nENTRYPOINT exec /usr/local/bin/app\n";
    let a = analyze(text, None, &isolated());
    let index = LineIndex::new(text);
    let end = index.position(text.len());
    assert!(
        a.findings
            .iter()
            .any(|f| f.fix.as_ref().is_some_and(|x| !x.exact)),
        "a later-round change: {:?}",
        a.findings
    );
    for f in &a.findings {
        let r = f.diagnostic.range;
        assert!(r.start <= r.end && r.end <= end, "{f:?}");
        if let Some(fix) = &f.fix {
            // every fix applies cleanly and parses
            let after = apply_edits(text, &fix.edits);
            assert!(syntax::parse(&after).is_ok(), "{after}");
        }
    }
}

#[test]
fn diff_edits_turn_old_into_new() {
    let old = "a\nb\nc\nd\n";
    let new = "a\nB\nc\nd\ne\n";
    let index = LineIndex::new(old);
    let edits = diff_edits(old, new, 0, &index);
    assert_eq!(edits.len(), 2, "{edits:?}");
    assert_eq!(apply_edits(old, &edits), new);
    assert!(diff_edits(old, old, 0, &index).is_empty());
}
