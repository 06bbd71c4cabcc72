//! Differential test: a file BuildKit refuses is an error for slimfile
//! (exit 2, nothing rewritten), and a file it reads is read here too.
//!
//! Each row is an input, what BuildKit does with it, and (for a refusal) the
//! line slimfile must point at. The oracle (`tests/oracle/buildkit.py`, PyPI
//! `dockerfile` = BuildKit v0.12.5's *line parser*) checks the rows it can
//! see; rows refused by BuildKit's *instruction parser*, which the oracle
//! does not run, name the BuildKit source that refuses them
//! (moby/buildkit, `frontend/dockerfile/...`) and are checked against
//! slimfile alone. Rows where today's BuildKit and v0.12.5 differ say so.
//!
//! Without the oracle (no `$SLIMFILE_PYTHON` with `dockerfile`), only
//! slimfile's side runs; on CI (`CI=true`) a missing oracle is a failure.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use slimfile::config::Settings;
use slimfile::engine::{self, RewriteError};

/// What BuildKit does with a row's input.
#[derive(Debug, Clone, Copy)]
enum BuildKit {
    /// Reads it (the oracle agrees, with the same instruction lines).
    Accepts,
    /// Its line parser refuses it (the oracle agrees); slimfile's error is on this line.
    ParserRefuses(usize),
    /// Its instruction parser refuses it (the oracle's line parser reads it);
    /// slimfile's error is on this line. The text names the BuildKit source.
    InstructionsRefuse(usize, &'static str),
    /// Today's BuildKit reads it; v0.12.5's parser (the oracle) refuses it.
    AcceptsSinceV012(&'static str),
}

impl BuildKit {
    /// The BuildKit source (or version note) behind the row, for messages.
    fn cite(self) -> &'static str {
        match self {
            Accepts => "oracle",
            ParserRefuses(_) => "parser/parser.go, parser/line_parsers.go",
            InstructionsRefuse(_, source) | AcceptsSinceV012(source) => source,
        }
    }
}

use BuildKit::*;

const PARSE_GO: &str = "instructions/parse.go";
const BFLAG_GO: &str = "instructions/bflag.go";

fn table() -> Vec<(&'static str, String, BuildKit)> {
    let from = |body: &str| format!("FROM alpine:3.20\n{body}");
    let long = |n: usize| "x".repeat(n);
    vec![
        // --- ENV / LABEL name=value forms (parser/line_parsers.go parseNameVal)
        ("env-name-only", from("ENV PATH\n"), ParserRefuses(2)),
        ("label-name-only", from("LABEL foo\n"), ParserRefuses(2)),
        ("env-pair-then-word", from("ENV a=b c\n"), ParserRefuses(2)),
        (
            "label-pair-then-word",
            from("LABEL a=b c\n"),
            ParserRefuses(2),
        ),
        (
            "env-legacy-nbsp-is-one-field",
            from("ENV a\u{a0}b\n"),
            ParserRefuses(2),
        ),
        (
            "env-continued-name-only",
            from("ENV \\\n  PATH\n"),
            ParserRefuses(3),
        ),
        (
            "env-blank-name",
            from("ENV =x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "label-blank-name",
            from("LABEL =x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "env-no-args",
            from("ENV\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "label-no-args",
            from("LABEL\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        ("env-legacy", from("ENV PATH /x:/y\n"), Accepts),
        ("env-legacy-three-words", from("ENV a b c\n"), Accepts),
        ("env-pairs", from("ENV a=b c=d e=\n"), Accepts),
        ("env-quoted", from("ENV a=\"b c\" d='e f'\n"), Accepts),
        (
            "label-nbsp-separates-pairs",
            from("LABEL a=1\u{a0}b=2\n"),
            Accepts,
        ),
        (
            "env-em-space-separates-pairs",
            from("ENV a=1\u{2003}b=2\n"),
            Accepts,
        ),
        // --- JSON arrays of non-strings (parser/line_parsers.go parseJSON)
        (
            "cmd-nested-array",
            from("CMD [\"a\",[\"b\"]]\n"),
            ParserRefuses(2),
        ),
        (
            "entrypoint-number",
            from("ENTRYPOINT [\"a\",1]\n"),
            ParserRefuses(2),
        ),
        ("run-null", from("RUN [\"a\", null]\n"), ParserRefuses(2)),
        (
            "shell-bool",
            from("SHELL [\"sh\", true]\n"),
            ParserRefuses(2),
        ),
        ("copy-number", from("COPY [\"a\", 1]\n"), ParserRefuses(2)),
        ("volume-object", from("VOLUME [{}]\n"), ParserRefuses(2)),
        (
            "healthcheck-number",
            from("HEALTHCHECK CMD [\"a\", 1]\n"),
            ParserRefuses(2),
        ),
        (
            "onbuild-cmd-number",
            from("ONBUILD CMD [\"a\", 1]\n"),
            ParserRefuses(2),
        ),
        (
            "run-flag-then-number",
            from("RUN --network=none [1]\n"),
            ParserRefuses(2),
        ),
        ("cmd-strings", from("CMD [\"a\", \"b\"]\n"), Accepts),
        ("cmd-broken-json-is-shell", from("CMD [1, 2\n"), Accepts),
        ("user-is-not-json", from("USER [\"a\", 1]\n"), Accepts),
        ("workdir-is-not-json", from("WORKDIR [1]\n"), Accepts),
        (
            "cmd-json-then-text-is-shell",
            from("CMD [\"a\", 1] && b\n"),
            AcceptsSinceV012("parseJSON: json.Unmarshal (today) vs json.Decoder (v0.12.5)"),
        ),
        // --- FROM argument count and stage names (instructions/parse.go parseBuildStageName)
        (
            "from-no-args",
            "FROM\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "from-two-args",
            "FROM a b\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "from-as-without-name",
            "FROM a AS\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "from-four-args",
            "FROM a AS b c\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "from-three-not-as",
            "FROM a b c\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "from-inline-comment",
            "FROM python:3.12 # x\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "from-nbsp-as",
            "FROM node:20\u{a0}as build\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "from-em-space-as",
            "FROM node:20\u{2003}AS build\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "from-quotes-do-not-group",
            "FROM \"a b\"\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "from-blank-base",
            "FROM \"\"\n".into(),
            InstructionsRefuse(1, "dockerfile2llb/convert.go"),
        ),
        (
            "from-continued-two-args",
            "FROM a \\\n  b\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "stage-name-digit",
            "FROM a AS 1b\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "stage-name-slash",
            "FROM a AS b/c\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "stage-name-at",
            "FROM a AS b@c\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "stage-name-quoted",
            "FROM a AS \"b\"\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "stage-name-non-ascii",
            "FROM a AS bü\n".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        (
            "stage-name-second-stage",
            "FROM a AS ok\nFROM b AS -x\n".into(),
            InstructionsRefuse(2, PARSE_GO),
        ),
        ("from-one", "FROM a\n".into(), Accepts),
        ("from-as", "FROM a AS b.c-d_e\n".into(), Accepts),
        ("from-as-upper-name", "FROM a as B2\n".into(), Accepts),
        (
            "from-platform",
            "FROM --platform=linux/amd64 a AS b\n".into(),
            Accepts,
        ),
        ("from-quoted-base", "FROM \"a\"\n".into(), Accepts),
        (
            "from-trailing-nbsp-trimmed",
            "FROM node:20\u{a0}\n".into(),
            Accepts,
        ),
        (
            "from-trailing-nel-trimmed",
            "FROM node:20\u{85}\n".into(),
            Accepts,
        ),
        (
            "from-blank-from-arg",
            "ARG B=\"\"\nFROM ${B}a\n".into(),
            Accepts,
        ),
        // --- ONBUILD (instructions/parse.go parseOnBuild)
        (
            "onbuild-from",
            from("ONBUILD FROM b\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "onbuild-maintainer",
            from("ONBUILD MAINTAINER x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "onbuild-onbuild",
            from("ONBUILD ONBUILD RUN x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "onbuild-lowercase-from",
            from("onbuild from b\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "onbuild-no-args",
            from("ONBUILD\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "onbuild-flag",
            from("ONBUILD --x RUN y\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        (
            "onbuild-env-name-only",
            from("ONBUILD ENV X\n"),
            ParserRefuses(2),
        ),
        ("onbuild-run", from("ONBUILD RUN make\n"), Accepts),
        ("onbuild-copy", from("ONBUILD COPY . /app\n"), Accepts),
        (
            "onbuild-heredoc",
            from("ONBUILD RUN <<EOF\necho hi\nEOF\nRUN x\n"),
            Accepts,
        ),
        ("onbuild-unknown-trigger", from("ONBUILD FOO x\n"), Accepts),
        // --- HEALTHCHECK (instructions/parse.go parseHealthcheck)
        (
            "healthcheck-bare",
            from("HEALTHCHECK\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "healthcheck-none-args",
            from("HEALTHCHECK NONE x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "healthcheck-cmd-empty",
            from("HEALTHCHECK CMD\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "healthcheck-cmd-empty-json",
            from("HEALTHCHECK CMD []\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "healthcheck-unknown-type",
            from("HEALTHCHECK FOO x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "healthcheck-unitless",
            from("HEALTHCHECK --interval=5 CMD x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "healthcheck-too-short",
            from("HEALTHCHECK --interval=100us CMD x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "healthcheck-negative",
            from("HEALTHCHECK --timeout=-1s CMD x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "healthcheck-retries-negative",
            from("HEALTHCHECK --retries=-1 CMD x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "healthcheck-retries-word",
            from("HEALTHCHECK --retries=x CMD x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "healthcheck-unknown-flag",
            from("HEALTHCHECK --foo=1 CMD x\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        ("healthcheck-none", from("HEALTHCHECK NONE\n"), Accepts),
        (
            "healthcheck-none-empty-json",
            from("HEALTHCHECK NONE []\n"),
            Accepts,
        ),
        (
            "healthcheck-none-flags-unread",
            from("HEALTHCHECK --foo=1 NONE\n"),
            Accepts,
        ),
        (
            "healthcheck-full",
            from(
                "HEALTHCHECK --interval=1m30s --timeout=3s --start-period=.5s --retries=3 \\\n  CMD curl -f http://localhost/ || exit 1\n",
            ),
            Accepts,
        ),
        (
            "healthcheck-lower-json",
            from("HEALTHCHECK cmd [\"a\"]\n"),
            Accepts,
        ),
        (
            "healthcheck-zero-and-empty",
            from("HEALTHCHECK --interval=0 --timeout= CMD x\n"),
            Accepts,
        ),
        // --- argument counts (instructions/parse.go)
        (
            "stopsignal-none",
            from("STOPSIGNAL\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "expose-none",
            from("EXPOSE\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        ("user-none", from("USER\n"), InstructionsRefuse(2, PARSE_GO)),
        (
            "workdir-none",
            from("WORKDIR\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "maintainer-none",
            from("MAINTAINER\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "volume-none",
            from("VOLUME\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "volume-empty-json",
            from("VOLUME []\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "volume-blank-json",
            from("VOLUME [\"/a\", \" \"]\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "shell-none",
            from("SHELL\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "shell-not-json",
            from("SHELL sh -c\n"),
            InstructionsRefuse(2, "instructions/errors_unix.go"),
        ),
        (
            "shell-empty-json",
            from("SHELL []\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        ("arg-none", from("ARG\n"), InstructionsRefuse(2, PARSE_GO)),
        (
            "arg-blank-name",
            from("ARG =x\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "copy-one-arg",
            from("COPY a\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "add-one-arg",
            from("ADD a\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "copy-one-json",
            from("COPY [\"a\"]\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "copy-heredoc-only",
            from("COPY <<EOF\nx\nEOF\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        (
            "copy-heredoc-destination",
            from("COPY a <<EOF\nx\nEOF\n"),
            InstructionsRefuse(2, PARSE_GO),
        ),
        ("stopsignal", from("STOPSIGNAL SIGTERM\n"), Accepts),
        // parseStopSignal never parses its flags
        (
            "stopsignal-flags-unread",
            from("STOPSIGNAL --x SIGTERM\n"),
            Accepts,
        ),
        ("expose", from("EXPOSE 80 443/udp\n"), Accepts),
        ("user-two-words-one-arg", from("USER a b\n"), Accepts),
        (
            "maintainer",
            from("MAINTAINER Jane Doe <jane@example.com>\n"),
            Accepts,
        ),
        ("workdir-spaces", from("WORKDIR /a b\n"), Accepts),
        ("volume", from("VOLUME /a /b\n"), Accepts),
        ("volume-json", from("VOLUME [\"/a\"]\n"), Accepts),
        (
            "shell-json",
            from("SHELL [\"/bin/bash\", \"-c\"]\n"),
            Accepts,
        ),
        ("arg-forms", from("ARG a\nARG b= c=d\n"), Accepts),
        ("copy-heredoc", from("COPY <<EOF /x\nhi\nEOF\n"), Accepts),
        ("copy-json", from("COPY [\"a b\", \"/c/\"]\n"), Accepts),
        // --- flags (instructions/bflag.go Parse, declared per instruction in parse.go)
        (
            "copy-unknown-flag",
            from("COPY --foo=x a b\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        (
            "copy-from-no-value",
            from("COPY --from a b\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        (
            "copy-duplicate-from",
            from("COPY --from=x --from=y a b\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        (
            "copy-link-not-bool",
            from("COPY --link=maybe a b\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        (
            "copy-link-empty",
            from("COPY --link= a b\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        (
            "copy-flag-case",
            from("COPY --FROM=x a b\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        (
            "env-flag",
            from("ENV --x=1 a=b\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        (
            "cmd-flag",
            from("CMD --port 80\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        (
            "run-unknown-flag",
            from("RUN --foo x\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        (
            "from-unknown-flag",
            "FROM --plat=x a\n".into(),
            InstructionsRefuse(1, BFLAG_GO),
        ),
        (
            "workdir-flag",
            from("WORKDIR --x /a\n"),
            InstructionsRefuse(2, BFLAG_GO),
        ),
        (
            "continued-flag",
            from("COPY \\\n  --chown=1 \\\n  --chown=2 a b\n"),
            InstructionsRefuse(4, BFLAG_GO),
        ),
        (
            "copy-flags",
            from(
                "COPY --link --parents --exclude=a --exclude=b --chmod=755 --chown=1:1 --from=x a b\n",
            ),
            Accepts,
        ),
        (
            "add-flags",
            from("ADD --checksum=sha256:abc --keep-git-dir=true --unpack=false --link=TRUE a b\n"),
            Accepts,
        ),
        (
            "run-flags",
            from(
                "RUN --mount=type=cache,target=/x --mount=type=tmpfs,target=/t --network=none --security=sandbox x\n",
            ),
            Accepts,
        ),
        ("run-double-dash", from("RUN -- echo hi\n"), Accepts),
        ("run-dash-word", from("RUN -x\n"), Accepts),
        // --- the line parser (parser/parser.go)
        (
            "no-from",
            "ARG a=1\n".into(),
            InstructionsRefuse(1, "dockerfile2llb/convert.go"),
        ),
        (
            "line-65535-bytes",
            from(&format!("RUN {}\n", long(65531))),
            Accepts,
        ),
        (
            "line-65536-bytes",
            from(&format!("RUN {}\n", long(65532))),
            ParserRefuses(2),
        ),
        (
            "last-line-65535-no-newline",
            from(&format!("RUN {}", long(65531))),
            Accepts,
        ),
        (
            "last-line-65536-no-newline",
            from(&format!("RUN {}", long(65532))),
            ParserRefuses(2),
        ),
        (
            "long-comment-line",
            from(&format!("# {}\nRUN x\n", long(70000))),
            ParserRefuses(2),
        ),
        (
            "heredoc-open-quote",
            from("RUN <<\"EOF\nx\nEOF\n"),
            ParserRefuses(2),
        ),
        (
            "unknown-nbsp-keyword",
            "FROM\u{a0}node\n".into(),
            ParserRefuses(1),
        ),
        (
            "double-escape-ends-line",
            from("RUN echo \\\\\nRUN y\n"),
            Accepts,
        ),
        (
            "triple-escape-ends-line",
            from("RUN echo \\\\\\\nRUN y\n"),
            Accepts,
        ),
        (
            "escape-alone-continues",
            from("RUN echo \\\n\\\n  y\n"),
            Accepts,
        ),
        (
            "backtick-double-escape",
            "# escape=`\nFROM a\nRUN echo ``\nRUN y\n".into(),
            Accepts,
        ),
        // --- whitespace and line endings
        ("leading-nbsp-trimmed", "\u{a0}FROM a\n".into(), Accepts),
        ("nbsp-only-line", "FROM a\n\u{a0}\nRUN x\n".into(), Accepts),
        (
            "nbsp-empty-continuation-line",
            "FROM a\nRUN x \\\n\u{a0}\n  y\n".into(),
            Accepts,
        ),
        ("nbsp-in-run", from("RUN echo\u{a0}hi\n"), Accepts),
        (
            "cr-only-line-endings",
            "FROM a\rRUN x\r".into(),
            InstructionsRefuse(1, PARSE_GO),
        ),
        ("cr-only-one-line", "FROM a\r".into(), Accepts),
        ("crlf", "FROM a\r\nRUN x\r\n".into(), Accepts),
        ("inline-comment-in-run", from("RUN echo hi # x\n"), Accepts),
    ]
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn oracle_python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SLIMFILE_PYTHON").map(PathBuf::from),
        Some(root().join(".venv/bin/python")),
    ];
    for c in candidates.into_iter().flatten() {
        if Command::new(&c)
            .args(["-c", "import dockerfile"])
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(c);
        }
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "BuildKit oracle missing on CI: run ./scripts/test.sh (it creates .venv with PyPI `dockerfile`)"
        );
    }
    eprintln!("BuildKit oracle not installed: checking slimfile's side only");
    None
}

fn buildkit(python: &Path, files: &[PathBuf]) -> BTreeMap<String, serde_json::Value> {
    let out = Command::new(python)
        .arg(root().join("tests/oracle/buildkit.py"))
        .args(files)
        .output()
        .expect("oracle runs");
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("oracle JSON")
}

/// slimfile's verdict: `Ok(instruction lines)` or `Err(error line)`.
fn slimfile(input: &str) -> Result<Vec<(String, usize, usize)>, usize> {
    match engine::rewrite(input.as_bytes(), &Settings::default(), None) {
        Ok(_) => {
            let doc = slimfile::syntax::parse(input).expect("rewrite read it, so parse does");
            Ok(doc
                .instructions
                .iter()
                .map(|i| {
                    let end = input[..i.span.end].bytes().filter(|&b| b == b'\n').count() + 1;
                    (i.keyword.as_str().to_string(), i.line, end)
                })
                .collect())
        }
        Err(RewriteError::Internal(e)) => panic!("internal error on {input:?}: {e}"),
        Err(e) => Err(e.position().map_or(0, |p| p.line)),
    }
}

#[test]
fn slimfile_refuses_what_buildkit_refuses() {
    let mut failures = Vec::new();
    for (name, input, expected) in table() {
        let ours = slimfile(&input);
        match (expected, &ours) {
            (Accepts | AcceptsSinceV012(_), Ok(_)) => {}
            (ParserRefuses(line) | InstructionsRefuse(line, _), Err(at)) if *at == line => {}
            _ => failures.push(format!(
                "{name}: BuildKit {expected:?} ({}), slimfile {ours:?}",
                expected.cite()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_oracle_agrees_with_the_table() {
    let Some(python) = oracle_python() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let rows = table();
    let files: Vec<PathBuf> = rows
        .iter()
        .map(|(name, input, _)| {
            let path = tmp.path().join(name);
            fs::write(&path, input).unwrap();
            path
        })
        .collect();
    let verdicts = buildkit(&python, &files);
    let mut failures = Vec::new();
    for ((name, input, expected), path) in rows.iter().zip(&files) {
        let verdict = &verdicts[&path.display().to_string()];
        let oracle_accepts = verdict["ok"] == true;
        let should_accept = matches!(expected, Accepts | InstructionsRefuse(..));
        if oracle_accepts != should_accept {
            failures.push(format!(
                "{name}: table says {expected:?} ({}), the oracle says {verdict}",
                expected.cite()
            ));
            continue;
        }
        // where both read the file, they read the same instructions
        if matches!(expected, Accepts)
            && let Ok(ours) = slimfile(input)
        {
            let theirs: Vec<(String, usize, usize)> =
                serde_json::from_value(verdict["instructions"].clone()).unwrap();
            if theirs != ours {
                failures.push(format!(
                    "{name}: instruction lines differ\n BuildKit: {theirs:?}\n slimfile: {ours:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
