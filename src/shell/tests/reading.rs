//! Commands, `cd` and variables: what a script runs, in which folder, with which values.

use super::*;

#[test]
fn scripts_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Script>();
    send_sync::<ShellEnv>();
}

#[test]
fn apt_chain_with_continuations_and_comment_lines() {
    let text = "FROM debian:bookworm\nRUN set -eux; \\\n    apt-get update; \\\n    # tools we need\n    apt-get install -y --no-install-recommends \\\n        ca-certificates \\\n\n        curl=7.88.1-10 \\\n        libpq5/bookworm \\\n    && rm -rf /var/lib/apt/lists/*\nCMD x\n";
    let s = run(text, &ShellEnv::at("/"));
    assert_eq!(programs(&s), ["set", "apt-get", "apt-get", "rm"]);
    assert!(!s.opaque_parts);
    let installs = s.installs();
    assert_eq!(installs.len(), 1);
    let i = &installs[0];
    assert_eq!(i.manager, Manager::AptGet);
    assert!(i.global);
    let names: Vec<_> = i
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("ca-certificates", None),
            ("curl", Some("7.88.1-10")),
            ("libpq5", None)
        ]
    );
    assert_eq!(&text[i.packages[1].span.clone().unwrap()], "curl=7.88.1-10");
    // the rm's glob stays a pattern
    let rm = &s.commands[3];
    assert!(rm.words[2].pattern && rm.words[2].literal().is_none());
    // append after the last word, on its own line
    let at = s.append_point().unwrap();
    assert_eq!(&text[..at], &text[..text.find("/*\n").unwrap() + 2]);
    assert_eq!(s.commands[0].connector, Connector::Seq);
    assert_eq!(s.commands[2].connector, Connector::AndThen);
}

#[test]
fn cd_chain_and_make_install() {
    let text =
        "FROM gcc\nWORKDIR /src\nRUN cd redis-7.2 && make && make install PREFIX=/opt/redis\n";
    let s = run(text, &ShellEnv::at("/src"));
    let cwd: Vec<_> = s.commands.iter().map(|c| c.cwd.as_deref()).collect();
    assert_eq!(
        cwd,
        [Some("/src"), Some("/src/redis-7.2"), Some("/src/redis-7.2")]
    );
    assert_eq!(
        values(&s.commands[2]),
        ["make", "install", "PREFIX=/opt/redis"]
    );
}

#[test]
fn go_build_with_env_prefix_and_quoted_output() {
    let text = "FROM golang:1.22\nRUN CGO_ENABLED=0 GOOS=linux go build -ldflags=\"-s -w\" -o \"/out/my app\" ./cmd/x\n";
    let s = run(text, &ShellEnv::at("/src"));
    let c = &s.commands[0];
    assert_eq!(c.program(), Some("go"));
    assert_eq!(c.assignments.len(), 2);
    assert_eq!(c.assignments[0].name, "CGO_ENABLED");
    assert_eq!(c.assignments[0].value.value.as_deref(), Some("0"));
    assert_eq!(&text[c.assignments[1].value.span.clone().unwrap()], "linux");
    assert_eq!(c.var("GOOS"), Some("linux"));
    let o = c.flag_value(&["-o"]).unwrap();
    assert_eq!(o.value.as_deref(), Some("/out/my app"));
    assert!(o.word.quoted);
    let w = s.writes_paths();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].path.as_deref(), Some("/out/my app"));
    // the word after -ldflags is one word
    assert_eq!(c.words[2].value.as_deref(), Some("-ldflags=-s -w"));
}

#[test]
fn relative_output_follows_cd() {
    // the real defect: `../../bin/server` was read as /bin/server
    let text = "FROM golang\nRUN cd cmd/server && go build -o ../../bin/server\n";
    let s = run(text, &ShellEnv::at("/src"));
    let w = s.writes_paths();
    assert_eq!(w[0].path.as_deref(), Some("/src/bin/server"));
    assert_eq!(w[0].kind, WriteKind::Output);
}

#[test]
fn unknown_stays_unknown() {
    let env = ShellEnv::at("/src");
    let s = Script::parse(
        "cd \"$(go env GOPATH)\" && go build -o app && cd / && ls",
        &env,
    );
    assert_eq!(s.commands[1].cwd, None);
    assert_eq!(s.writes_paths()[0].path, None);
    assert_eq!(s.commands[3].cwd.as_deref(), Some("/"));
    // no WORKDIR known: relative paths stay unresolved, absolute ones resolve
    let s = Script::parse("mkdir out /abs", &ShellEnv::default());
    let w = s.writes_paths();
    assert_eq!(
        (w[0].path.as_deref(), w[1].path.as_deref()),
        (None, Some("/abs"))
    );
    // unknown variable
    let s = Script::parse("cd $APP_HOME && make", &env);
    assert_eq!(s.commands[1].cwd, None);
    let s = Script::parse(
        "cd $APP_HOME && make",
        &env.clone().with_var("APP_HOME", "/opt/app"),
    );
    assert_eq!(s.commands[1].cwd.as_deref(), Some("/opt/app"));
}

#[test]
fn cd_variants() {
    let env = ShellEnv::at("/src").with_var("HOME", "/root");
    let cwd = |script: &str| -> Vec<Option<String>> {
        Script::parse(script, &env)
            .commands
            .iter()
            .map(|c| c.cwd.clone())
            .collect()
    };
    assert_eq!(cwd("cd /a; cd b; cd -; pwd")[3].as_deref(), Some("/a"));
    assert_eq!(cwd("cd; pwd")[1].as_deref(), Some("/root"));
    assert_eq!(cwd("cd ~/x && pwd")[1].as_deref(), Some("/root/x"));
    assert_eq!(
        cwd("pushd /tmp && make && popd && pwd")[3].as_deref(),
        Some("/src")
    );
    assert_eq!(cwd("pushd /tmp && make")[1].as_deref(), Some("/tmp"));
    // subshells and groups
    assert_eq!(cwd("(cd /x && make) && pwd")[2].as_deref(), Some("/src"));
    assert_eq!(cwd("{ cd /x && make; } && pwd")[2].as_deref(), Some("/x"));
    // in a pipeline, cd runs in a subshell
    assert_eq!(cwd("cd /x | cat; pwd")[2].as_deref(), Some("/src"));
    // cd || exit: the folder holds after; cd || true: unknown
    assert_eq!(cwd("cd /x || exit 1; pwd")[2].as_deref(), Some("/x"));
    assert_eq!(cwd("cd /x || exit 1; pwd")[1].as_deref(), Some("/src"));
    assert_eq!(cwd("cd /x || true; pwd")[2], None);
    assert_eq!(cwd("false || cd /x; pwd")[2], None);
    // inside if: may or may not have happened
    let c = cwd("if [ -d x ]; then cd x; fi; pwd");
    assert_eq!(c[1].as_deref(), Some("/src"));
    assert_eq!(c[2], None);
    assert_eq!(
        cwd("if true; then cd /src; fi; pwd")[2].as_deref(),
        Some("/src")
    );
    assert_eq!(cwd("cd /a/b/../c/. && pwd")[1].as_deref(), Some("/a/c"));
}

#[test]
fn variables_export_and_subshells() {
    let env = ShellEnv::at("/").with_var("VERSION", "1.2");
    let s = Script::parse(
        "export GOPATH=/go PATH=\"$PATH:/x\"; DIR=/opt/app-$VERSION; (X=1); mkdir -p $DIR/bin \"$GOPATH\" $X; unset DIR; echo $DIR",
        &env,
    );
    let mkdir = &s.commands[3];
    assert_eq!(mkdir.var("GOPATH"), Some("/go"));
    assert_eq!(mkdir.var("PATH"), None);
    assert_eq!(
        values(mkdir),
        ["mkdir", "-p", "/opt/app-1.2/bin", "/go", "?"]
    );
    assert_eq!(values(&s.commands[5]), ["echo", "?"]);
    assert_eq!(s.commands[2].assignments[0].name, "X");
    assert!(s.commands[2].in_subshell);
    // prefix assignments see the earlier ones, not the other way round
    let s = Script::parse("A=1 B=$A env", &ShellEnv::default());
    assert_eq!(s.commands[0].var("B"), Some("1"));
    assert_eq!(s.commands[0].program(), Some("env"));
}
