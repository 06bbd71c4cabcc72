//! Script forms: exec form, heredocs, opaque and conditional parts, line endings, escapes,
//! and where a command can be appended.

use super::*;

#[test]
fn exec_forms() {
    let text = "FROM alpine\nRUN [\"/bin/sh\", \"-ec\", \"cd /src && make install\"]\nRUN [\"apk\", \"add\", \"--no-cache\", \"git\"]\n";
    let env = ShellEnv::at("/");
    let s = nth_run(text, 0, &env);
    assert_eq!(programs(&s), ["cd", "make"]);
    assert_eq!(s.commands[1].cwd.as_deref(), Some("/src"));
    assert!(
        s.commands
            .iter()
            .all(|c| c.words.iter().all(|w| w.span.is_none()))
    );
    assert_eq!(s.append_point(), None);
    let whole = &text[s.commands[0].span.clone()];
    assert!(whole.starts_with('[') && whole.ends_with(']'));
    let s = nth_run(text, 1, &env);
    assert_eq!(s.commands.len(), 1);
    assert_eq!(values(&s.commands[0]), ["apk", "add", "--no-cache", "git"]);
    assert_eq!(s.installs()[0].packages[0].name, "git");
    assert_eq!(s.append_point(), None);
}

#[test]
fn heredoc_bodies() {
    let text = "FROM debian\nRUN <<EOF\nset -eux\n# a comment && rm -rf /\napt-get update\ncd /opt && git clone https://x/y.git app\nEOF\nRUN python3 <<EOF\nimport os\nEOF\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\nRUN cat <<EOF > /etc/app.conf\nkey=value\nEOF\nRUN bash <<'EOF'\ncd /x\nmake\nEOF\n";
    let env = ShellEnv::at("/");
    let s = nth_run(text, 0, &env);
    assert_eq!(programs(&s), ["set", "apt-get", "cd", "git"]);
    assert!(!s.opaque_parts);
    assert_eq!(s.append_point(), None);
    assert_eq!(s.writes_paths()[0].path.as_deref(), Some("/opt/app"));
    let git = &s.commands[3];
    assert_eq!(&text[git.span.clone()], "git clone https://x/y.git app");
    assert!(nth_run(text, 1, &env).opaque_parts);
    let shebang = nth_run(text, 2, &env);
    assert!(shebang.opaque_parts && shebang.commands.is_empty());
    let cat = nth_run(text, 3, &env);
    assert!(!cat.opaque_parts);
    assert_eq!(cat.writes_paths()[0].path.as_deref(), Some("/etc/app.conf"));
    let bash = nth_run(text, 4, &env);
    assert_eq!(programs(&bash), ["bash", "cd", "make"]);
    assert!(bash.commands[2].in_subshell);
    assert_eq!(bash.commands[2].cwd.as_deref(), Some("/x"));
}

#[test]
fn sh_c_eval_case_and_functions_are_opaque() {
    let env = ShellEnv::at("/");
    for s in [
        "sh -c 'cd /x && make'",
        "curl -fsSL https://get.example/install | sh -s -- --yes",
        "cat <<EOF | sh\ncd /x\nEOF",
        "eval \"$(ssh-agent)\"",
        "f() { cd /x; }; f",
        "echo 'unterminated",
        "echo (",
    ] {
        let script = Script::parse(s, &env);
        assert!(script.opaque_parts, "{s}");
        assert_eq!(script.append_point(), None, "{s}");
    }
}

#[test]
fn case_arms_are_conditional() {
    let env = ShellEnv::at("/");
    let s = Script::parse(
        "dpkgArch=\"$(dpkg --print-architecture)\"; case \"${dpkgArch##*-}\" in \n  amd64|x86_64) ARCH=x64; apt-get install -y gcc ;;\n  (arm64) cd /opt ;; \n  *) echo \"unsupported\"; exit 1 ;;\nesac; echo $ARCH; pwd",
        &env,
    );
    assert!(!s.opaque_parts, "{:?}", s.opaque_reason);
    assert_eq!(
        programs(&s),
        ["-", "-", "apt-get", "cd", "echo", "exit", "echo", "pwd"]
    );
    let cond: Vec<_> = s.commands.iter().map(|c| c.conditional).collect();
    assert_eq!(cond, [false, true, true, true, true, true, false, false]);
    // what an arm changed is unknown after esac
    assert_eq!(values(&s.commands[6]), ["echo", "?"]);
    assert_eq!(s.commands[7].cwd, None);
    assert_eq!(s.installs()[0].command, 2);
    assert_eq!(
        Script::parse("case $A in a) x;; esac && echo done", &env).append_point(),
        Some(35)
    );
    assert_eq!(
        Script::parse("case $A in a) x;; esac", &env).append_point(),
        Some(22)
    );
    for broken in ["case x in a) y", "case x", "case x in a", "esac"] {
        assert!(Script::parse(broken, &env).opaque_parts, "{broken}");
    }
}

#[test]
fn lists_continue_after_operators_at_line_ends() {
    let s = Script::parse(
        "cd /x &&\n\n  make ||\n  echo failed |\n  tee log",
        &ShellEnv::at("/"),
    );
    assert_eq!(programs(&s), ["cd", "make", "echo", "tee"]);
    assert_eq!(s.commands[1].cwd.as_deref(), Some("/x"));
    assert!(s.commands[2].conditional && !s.commands[1].conditional);
    assert_eq!(s.append_point(), None);
}

#[test]
fn groups_and_subshells_after_or_are_conditional() {
    let s = Script::parse(
        "test -d /x || { mkdir /x; cd /x; }; pwd; false || (cd /y && make)",
        &ShellEnv::at("/"),
    );
    assert_eq!(
        programs(&s),
        ["test", "mkdir", "cd", "pwd", "false", "cd", "make"]
    );
    let cond: Vec<_> = s.commands.iter().map(|c| c.conditional).collect();
    assert_eq!(cond, [false, true, true, false, false, true, true]);
    assert_eq!(s.commands[3].cwd, None);
}

#[test]
fn compound_commands_are_conditional() {
    let s = Script::parse(
        "set -eux; if [ \"$TARGETARCH\" = arm64 ]; then apt-get install -y gcc-aarch64-linux-gnu; else echo none; fi; for f in a b; do rm -f \"$f\"; done; while false; do :; done; make || echo failed",
        &ShellEnv::at("/"),
    );
    assert_eq!(
        programs(&s),
        [
            "set", "[", "apt-get", "echo", "rm", "false", ":", "make", "echo"
        ]
    );
    let cond: Vec<_> = s.commands.iter().map(|c| c.conditional).collect();
    assert_eq!(
        cond,
        [false, true, true, true, true, true, true, false, true]
    );
    assert!(!s.opaque_parts);
    assert_eq!(s.installs()[0].packages[0].name, "gcc-aarch64-linux-gnu");
}

#[test]
fn append_points() {
    let env = ShellEnv::default();
    let at = |s: &str| Script::parse(s, &env).append_point();
    assert_eq!(at("make"), Some(4));
    assert_eq!(at("make;  "), Some(4));
    assert_eq!(at("make # trailing comment"), Some(4));
    assert_eq!(at("a || b && c"), None);
    assert_eq!(at("a || b; c"), Some(9));
    assert_eq!(at("(cd x && make)"), Some(14));
    assert_eq!(at("if a; then b; fi"), Some(16));
    assert_eq!(at("serve &"), None);
    assert_eq!(at("echo C:\\"), None);
    assert_eq!(at("make 2>&1"), Some(9));
    assert_eq!(at(""), None);
    assert_eq!(at("   # only a comment"), None);
    // a Dockerfile continuation at the end of the file
    let text = "FROM a\nRUN make \\";
    assert_eq!(run(text, &env).append_point(), None);
    // continuation lines: the point is in the original text, after the last word
    let text = "FROM a\nRUN apt-get update \\\n  && apt-get install -y curl\nCMD x\n";
    let s = run(text, &env);
    let at = s.append_point().unwrap();
    assert_eq!(&text[at - 4..at + 1], "curl\n");
}

#[test]
fn crlf_files() {
    let text = "FROM debian\r\nRUN apt-get update && \\\r\n    apt-get install -y curl\r\nRUN <<EOF\r\ncd /opt\r\nmake install\r\nEOF\r\n";
    let env = ShellEnv::at("/");
    let s = nth_run(text, 0, &env);
    assert_eq!(values(&s.commands[1]), ["apt-get", "install", "-y", "curl"]);
    let at = s.append_point().unwrap();
    assert_eq!(&text[at..at + 2], "\r\n");
    let h = nth_run(text, 1, &env);
    assert_eq!(values(&h.commands[1]), ["make", "install"]);
    assert_eq!(h.commands[1].cwd.as_deref(), Some("/opt"));
}

#[test]
fn backtick_escape_files() {
    let text = "# escape=`\nFROM debian\nRUN cd C:\\ `\n    && echo \"a\\\"b\" `\n    && make\n";
    let s = run(text, &ShellEnv::at("/"));
    assert_eq!(programs(&s), ["cd", "echo", "make"]);
    // inside the script the shell's escape is still `\`: `C:\ ` escapes the space
    assert_eq!(s.commands[0].words[1].value.as_deref(), Some("C: "));
    assert_eq!(s.commands[1].words[1].value.as_deref(), Some("a\"b"));
    let at = s.append_point().unwrap();
    assert_eq!(&text[..at], text.trim_end());
}

#[test]
fn words_across_continuations_have_no_span_but_commands_do() {
    let text = "FROM a\nRUN echo ab\\\ncd && make\n";
    let s = run(text, &ShellEnv::at("/"));
    let echo = &s.commands[0];
    assert_eq!(echo.words[1].value.as_deref(), Some("abcd"));
    assert_eq!(echo.words[1].span, None);
    assert_eq!(&text[echo.span.clone()], "echo ab\\\ncd");
}
