//! Robustness: awkward and generated input, every golden input and the fuzz corpus read
//! with exact spans.

use super::*;

#[test]
fn never_panics_on_awkward_input() {
    for s in [
        "",
        "\\",
        "'",
        "\"",
        "$",
        "${",
        "$(",
        "`",
        "((",
        "))",
        ")",
        "(",
        "}",
        "{",
        "fi",
        "done",
        "esac",
        ";;",
        "&&",
        "||",
        "|",
        "&",
        ";",
        "<<",
        "<<EOF",
        "2>",
        ">&",
        "cd",
        "cd -",
        "popd",
        "a=",
        "=a",
        "~",
        "~user",
        "$'\\'",
        "${a",
        "x${é}",
        "é\\",
        "\"é",
        "cat <<E\né",
        "npm install é@1 @",
        "pip install é==1",
        "apt-get install é=",
        "cp é",
        "go build -o=é",
        "for",
        "for x",
        "case",
        "function",
        "f()",
        "f() {",
        "if",
        "then",
        "while true; do",
        "{ a; ",
        "( a",
        "a | | b",
    ] {
        let _ = Script::parse(s, &ShellEnv::at("/")).writes_paths();
        let _ = Script::parse(s, &ShellEnv::default()).installs();
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn exercise(s: &str) {
        let script = Script::parse(s, &ShellEnv::at("/w").with_var("A", "x y"));
        let _ = script.installs();
        let _ = script.writes_paths();
        for c in &script.commands {
            let _ = c.program();
            let _ = c.flag_value(&["-o", "--output"]);
            for w in &c.words {
                if let Some(span) = &w.span {
                    assert_eq!(&s[span.clone()], w.raw);
                }
            }
        }
        if let Some(at) = script.append_point() {
            assert!(s.is_char_boundary(at) && at <= s.len());
        }
    }

    proptest! {
        #[test]
        fn arbitrary_strings(s in "\\PC{0,80}") {
            exercise(&s);
        }

        #[test]
        fn shell_like_strings(s in "([a-z/.~=$-]{1,6}|[ \t\n]|[;&|()<>{}]|[`'\"\\\\#]|\\$\\(|\\$\\{|<<|&&|\\|\\|){0,30}") {
            exercise(&s);
        }

        #[test]
        fn known_programs_with_arbitrary_arguments(
            program in prop::sample::select(vec![
                "npm install ", "npm i -g ", "yarn global add ", "pnpm add -g ", "pip install ",
                "python3 -m pip install ", "apt-get install -y ", "apk add --virtual ", "dnf install ",
                "zypper in ", "gem install ", "composer global require ", "go install ", "cargo install ",
                "cd ", "pushd ", "popd ", "export ", "unset ", "cp ", "mv ", "ln -s ", "install -d ",
                "mkdir -p ", "tee ", "touch ", "tar -C ", "unzip -d ", "git clone ", "useradd -d ",
                "go build -o ", "curl -o ", "wget -O ", "dotnet publish -o ", "sudo ", "env ", "sh -c ",
            ]),
            rest in "\\PC{0,40}",
        ) {
            exercise(&format!("{program}{rest}"));
        }

        #[test]
        fn dockerfile_runs(s in "[a-z &|;\"'\\\\\n$()-]{0,60}") {
            let text = format!("FROM a\nRUN {s}\n");
            if let Ok(doc) = syntax::parse(&text) {
                for ins in doc.instructions.iter().filter(|i| i.keyword == syntax::Keyword::Run) {
                    let script = Script::of(&text, ins, doc.escape, &ShellEnv::at("/"));
                    check_spans(&text, &script);
                    let _ = script.writes_paths();
                }
            }
        }
    }
}

/// Reads every RUN of `text` (when it parses) with the shell model, checks
/// its spans, and hands it to `each`.
fn for_each_run(text: &str, mut each: impl FnMut(&syntax::Instruction, &Script)) {
    let Ok(doc) = syntax::parse(text) else {
        return;
    };
    for ins in doc
        .instructions
        .iter()
        .filter(|i| i.keyword == syntax::Keyword::Run)
    {
        let s = Script::of(text, ins, doc.escape, &ShellEnv::at("/"));
        check_spans(text, &s);
        each(ins, &s);
    }
}

/// Every RUN of every golden input: exact spans, and the scripts that stay opaque.
#[test]
fn golden_inputs_read_with_exact_spans() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let mut runs = 0;
    let mut opaque = Vec::new();
    // golden/<group>/<case>/ and golden/<group>/<recipe>/<case>/
    let mut cases = Vec::new();
    for group in std::fs::read_dir(&root).unwrap().flatten() {
        for case in std::fs::read_dir(group.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            cases.push(case.path());
            cases.extend(
                std::fs::read_dir(case.path())
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir()),
            );
        }
    }
    for case in cases {
        let Ok(text) = std::fs::read_to_string(case.join("input.Dockerfile")) else {
            continue;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        for_each_run(text, |ins, s| {
            runs += 1;
            if s.opaque_parts {
                opaque.push(format!("{}: {}", case.display(), ins.rest_text()));
            }
        });
    }
    eprintln!(
        "{runs} RUNs, {} opaque:\n{}",
        opaque.len(),
        opaque.join("\n")
    );
    assert!(runs > 50);
    assert!(opaque.len() * 10 <= runs);
}

/// The fuzz corpus sample: whatever the bytes, reading their RUNs neither
/// panics nor yields a span that is not the word's bytes.
#[test]
fn fuzz_corpus_runs_read_cleanly() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/rewrite_bytes");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut runs = 0;
    for entry in entries.flatten() {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        for_each_run(&text, |_, s| {
            runs += 1;
            let _ = (s.installs(), s.writes_paths());
        });
    }
    eprintln!("{runs} RUNs from the fuzz corpus");
}

/// A corpus check by hand: `SLIMFILE_SHELL_SAMPLE=<folder of Dockerfiles>
/// cargo test --lib shell::tests::sample -- --ignored --nocapture` prints
/// every RUN's programs and folders, and checks spans.
#[test]
#[ignore = "needs SLIMFILE_SHELL_SAMPLE=<folder of Dockerfiles>"]
fn sample() {
    let Some(dir) = std::env::var_os("SLIMFILE_SHELL_SAMPLE") else {
        return;
    };
    let (mut runs, mut opaque, mut files) = (0, 0, 0);
    let mut parse_time = std::time::Duration::ZERO;
    for f in std::fs::read_dir(dir).unwrap().flatten() {
        let Ok(text) = std::fs::read_to_string(f.path()) else {
            continue;
        };
        let Ok(doc) = syntax::parse(&text) else {
            continue;
        };
        files += 1;
        for ins in doc
            .instructions
            .iter()
            .filter(|i| i.keyword == syntax::Keyword::Run)
        {
            runs += 1;
            let t = std::time::Instant::now();
            let s = Script::of(&text, ins, doc.escape, &ShellEnv::at("/"));
            let _ = (s.installs(), s.writes_paths());
            parse_time += t.elapsed();
            check_spans(&text, &s);
            opaque += usize::from(s.opaque_parts);
            let summary: Vec<String> = s
                .commands
                .iter()
                .map(|c| {
                    format!(
                        "{}@{}",
                        c.program().unwrap_or("-"),
                        c.cwd.as_deref().unwrap_or("?")
                    )
                })
                .collect();
            eprintln!(
                "{} L{} opaque={:?} append={:?} installs={} writes={}\n  {}",
                f.path().display(),
                ins.line,
                s.opaque_reason,
                s.append_point(),
                s.installs()
                    .iter()
                    .map(|i| format!(
                        "{:?}{}[{}]",
                        i.manager,
                        if i.global { "(global)" } else { "" },
                        i.packages
                            .iter()
                            .map(|p| p.name.as_str())
                            .collect::<Vec<_>>()
                            .join(",")
                    ))
                    .collect::<Vec<_>>()
                    .join(" "),
                s.writes_paths().len(),
                summary.join(" ")
            );
        }
    }
    eprintln!(
        "{files} files, {runs} RUNs, {opaque} opaque, {parse_time:?} reading them (with installs and writes)"
    );
}
