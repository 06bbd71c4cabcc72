use super::*;
use crate::syntax;

/// The script of the first RUN in `text`, with every span checked.
fn run(text: &str, env: &ShellEnv) -> Script {
    nth_run(text, 0, env)
}

fn nth_run(text: &str, n: usize, env: &ShellEnv) -> Script {
    let doc = syntax::parse(text).unwrap();
    let ins = doc
        .instructions
        .iter()
        .filter(|i| i.keyword == syntax::Keyword::Run)
        .nth(n)
        .unwrap();
    let s = Script::of(text, ins, doc.escape, env);
    check_spans(text, &s);
    s
}

fn check_spans(text: &str, s: &Script) {
    for c in &s.commands {
        assert!(c.span.start <= c.span.end && c.span.end <= text.len());
        let words = c
            .words
            .iter()
            .chain(c.assignments.iter().map(|a| &a.value))
            .chain(c.redirects.iter().filter_map(|r| r.target.as_ref()));
        for w in words {
            if let Some(span) = &w.span {
                assert_eq!(&text[span.clone()], w.raw, "span of {w:?}");
                assert!(
                    c.span.start <= span.start && span.end <= c.span.end,
                    "{w:?} in {c:?}"
                );
            }
        }
    }
    if let Some(at) = s.append_point() {
        assert!(text.is_char_boundary(at));
    }
}

fn values(c: &Command) -> Vec<&str> {
    c.words
        .iter()
        .map(|w| w.value.as_deref().unwrap_or("?"))
        .collect()
}

fn programs(s: &Script) -> Vec<&str> {
    s.commands
        .iter()
        .map(|c| c.program().unwrap_or("-"))
        .collect()
}

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

#[test]
fn npm_global_and_ci() {
    let text =
        "FROM node:22\nWORKDIR /app\nRUN npm install -g pm2@5.3 @nestjs/cli && npm ci --omit=dev\n";
    let s = run(text, &ShellEnv::at("/app"));
    let i = s.installs();
    assert_eq!(i.len(), 2);
    assert!(i[0].global);
    let names: Vec<_> = i[0]
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_deref()))
        .collect();
    assert_eq!(names, [("pm2", Some("5.3")), ("@nestjs/cli", None)]);
    assert!(!i[1].global && i[1].packages.is_empty());
    assert_eq!(i[1].command, 1);
    let w = s.writes_paths();
    let paths: Vec<_> = w.iter().map(|w| (w.path.as_deref(), w.kind)).collect();
    assert_eq!(
        paths,
        [
            (
                Some("/usr/local/lib/node_modules"),
                WriteKind::GlobalPackages
            ),
            (Some("/usr/local/bin"), WriteKind::GlobalPackages)
        ]
    );
    let s = Script::parse(
        "yarn global add serve && pnpm add -g tsx && yarn",
        &ShellEnv::at("/app"),
    );
    let i = s.installs();
    assert_eq!(
        i.iter().map(|i| (i.manager, i.global)).collect::<Vec<_>>(),
        [
            (Manager::Yarn, true),
            (Manager::Pnpm, true),
            (Manager::Yarn, false)
        ]
    );
    assert_eq!(i[0].packages[0].name, "serve");
}

#[test]
fn pip_locations_and_versions() {
    let env = ShellEnv::at("/app");
    let s = Script::parse(
        "pip install --no-cache-dir --user -r requirements.txt 'flask[async]>=3.0' gunicorn==22.0 && python3 -m pip install --target=deps six && pip3 install --prefix /install .",
        &env,
    );
    let i = s.installs();
    assert_eq!(i.len(), 3);
    assert_eq!(i[0].manager, Manager::Pip);
    assert_eq!(
        i[0].location.as_ref().map(|l| l.option.as_str()),
        Some("--user")
    );
    assert!(!i[0].global);
    assert_eq!(i[0].requirement_files, ["requirements.txt"]);
    let p: Vec<_> = i[0]
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_deref()))
        .collect();
    assert_eq!(p, [("flask", Some(">=3.0")), ("gunicorn", Some("==22.0"))]);
    assert_eq!(
        i[1].location.as_ref().and_then(|l| l.path.as_deref()),
        Some("/app/deps")
    );
    assert_eq!(i[1].packages[0].name, "six");
    assert_eq!(
        i[2].location.as_ref().and_then(|l| l.path.as_deref()),
        Some("/install")
    );
    assert!(Script::parse("pip install flask", &env).installs()[0].global);
}

#[test]
fn other_managers() {
    let env = ShellEnv::at("/");
    let s = Script::parse(
        "apk add --no-cache --virtual .build-deps gcc musl-dev python3=3.11.9-r0 && apk del .build-deps; \
         dnf install -y httpd && yum -y install git; microdnf install -y tar; zypper --non-interactive in -y vim; \
         gem install bundler -v 2.5.6 --no-document; composer global require laravel/installer:^5; \
         go install github.com/a/b/cmd/x@v1.2.3; cargo install ripgrep --version 14.1.0 --root /usr/local",
        &env,
    );
    let i = s.installs();
    let m: Vec<_> = i.iter().map(|i| i.manager).collect();
    assert_eq!(
        m,
        [
            Manager::Apk,
            Manager::Dnf,
            Manager::Yum,
            Manager::Microdnf,
            Manager::Zypper,
            Manager::Gem,
            Manager::Composer,
            Manager::Go,
            Manager::Cargo
        ]
    );
    let apk: Vec<_> = i[0]
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_deref()))
        .collect();
    assert_eq!(
        apk,
        [
            ("gcc", None),
            ("musl-dev", None),
            ("python3", Some("=3.11.9-r0"))
        ]
    );
    assert_eq!(i[2].packages[0].name, "git");
    assert_eq!(i[4].packages[0].name, "vim");
    assert_eq!(i[5].packages[0].version.as_deref(), Some("2.5.6"));
    assert!(i[6].global);
    assert_eq!(
        (
            i[6].packages[0].name.as_str(),
            i[6].packages[0].version.as_deref()
        ),
        ("laravel/installer", Some("^5"))
    );
    assert_eq!(i[7].packages[0].version.as_deref(), Some("v1.2.3"));
    assert_eq!(i[8].packages[0].version.as_deref(), Some("14.1.0"));
    assert!(!i[8].global);
    // apk del is not an install
    assert_eq!(i.iter().filter(|i| i.manager == Manager::Apk).count(), 1);
}

#[test]
fn user_and_certificate_setup_writes() {
    let s = Script::parse(
        "groupadd -r app && useradd -r -g app -d /home/app -s /sbin/nologin app && update-ca-certificates",
        &ShellEnv::at("/"),
    );
    let w = s.writes_paths();
    assert!(
        w.iter()
            .any(|w| w.path.as_deref() == Some("/etc/group") && w.command == 0)
    );
    assert!(
        w.iter()
            .any(|w| w.path.as_deref() == Some("/etc/passwd") && w.command == 1)
    );
    assert!(w.iter().any(|w| w.path.as_deref() == Some("/home/app")));
    assert!(
        w.iter()
            .any(|w| w.path.as_deref() == Some("/etc/ssl/certs")
                && w.kind == WriteKind::Certificates)
    );
}

#[test]
fn default_homes_and_global_dirs() {
    let env = ShellEnv::at("/").with_var("HOME", "/root");
    let homes = |script: &str| -> Vec<String> {
        Script::parse(script, &env)
            .writes_paths()
            .into_iter()
            .filter_map(|w| w.path)
            .filter(|p| p.starts_with("/home/"))
            .collect()
    };
    assert_eq!(homes("useradd -m -u 1000 -s /bin/bash app"), ["/home/app"]);
    assert!(homes("useradd -r app").is_empty());
    assert_eq!(homes("adduser -D -u 1000 app"), ["/home/app"]);
    assert!(homes("adduser -S -H app").is_empty());
    let w = Script::parse("yarn global add serve && pnpm add -g tsx", &env).writes_paths();
    assert!(
        w.iter()
            .all(|w| w.kind == WriteKind::GlobalPackages && w.path.is_none())
    );
    let w = Script::parse("npm i -g --prefix /opt/npm pm2", &env).writes_paths();
    assert_eq!(w[0].path.as_deref(), Some("/opt/npm/lib/node_modules"));
    let pip = Script::parse("pip install --user flask", &env).installs();
    assert_eq!(
        pip[0].location.as_ref().unwrap().path.as_deref(),
        Some("/root/.local")
    );
    let opaque = Script::parse("a=(1 2); for ((i=0; i<3; i++)); do echo; done", &env);
    assert_eq!(opaque.opaque_reason, Some("array assignment"));
}

#[test]
fn environment_from_the_document() {
    let text = "ARG BASE=/srv\nARG UNSET\nFROM node:22\nARG BASE\nARG UNSET\nENV PATH /usr/local/bin:$PATH\nENV NODE_ENV=production APP=$BASE/app\nWORKDIR $APP\nRUN npm ci\nWORKDIR ${MISSING}/x\nRUN a\nWORKDIR /abs\nRUN b\n";
    let doc = syntax::parse(text).unwrap();
    let model = crate::model::Model::build(&doc);
    let stage = &model.stages[0];
    let base = ShellEnv::at("/").with_var("PATH", "/bin");
    let at = |n: usize| ShellEnv::before(&doc, &model.global_args, stage, n, base.clone());
    let env = at(8);
    assert_eq!(env.workdir.as_deref(), Some("/srv/app"));
    assert_eq!(
        env.vars.get("PATH").map(String::as_str),
        Some("/usr/local/bin:/bin")
    );
    assert_eq!(
        env.vars.get("NODE_ENV").map(String::as_str),
        Some("production")
    );
    assert!(!env.vars.contains_key("UNSET"));
    assert_eq!(at(10).workdir, None);
    assert_eq!(at(12).workdir.as_deref(), Some("/abs"));
    // the RUN reads with it
    let s = Script::of(text, &doc.instructions[8], doc.escape, &env);
    assert_eq!(s.commands[0].cwd.as_deref(), Some("/srv/app"));
}

#[test]
fn copies_links_redirects_tee() {
    let s = Script::parse(
        "cp -r dist /usr/share/nginx/html && mv a b c /opt/ && ln -sf /usr/bin/python3 /usr/bin/python && echo ok > /etc/motd 2>&1 && cat x | tee -a log >/dev/null && install -d -m 0755 /run/app && curl -fsSL -o /tmp/x.tgz https://e/x.tgz && tar -xzf /tmp/x.tgz -C /opt",
        &ShellEnv::at("/src"),
    );
    let w: Vec<_> = s
        .writes_paths()
        .into_iter()
        .map(|w| (w.path.unwrap_or_default(), w.kind))
        .collect();
    assert_eq!(
        w,
        [
            ("/usr/share/nginx/html".to_string(), WriteKind::Copy),
            ("/opt".to_string(), WriteKind::Move),
            ("/usr/bin/python".to_string(), WriteKind::Link),
            ("/etc/motd".to_string(), WriteKind::Redirect),
            ("/src/log".to_string(), WriteKind::File),
            ("/run/app".to_string(), WriteKind::Directory),
            ("/tmp/x.tgz".to_string(), WriteKind::Output),
            ("/opt".to_string(), WriteKind::Extract),
        ]
    );
}

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

#[test]
fn program_looks_through_wrappers() {
    let env = ShellEnv::default();
    let p = |s: &str| {
        Script::parse(s, &env).commands[0]
            .program()
            .map(str::to_string)
    };
    assert_eq!(p("sudo -u app npm ci").as_deref(), Some("npm"));
    assert_eq!(
        p("env -i PATH=/bin /usr/local/bin/pip3 install x").as_deref(),
        Some("pip3")
    );
    assert_eq!(
        p("exec nohup time -p nice -n 5 make").as_deref(),
        Some("make")
    );
    assert_eq!(p("command -v curl").as_deref(), Some("command"));
    assert_eq!(p("A=1").as_deref(), None);
    assert_eq!(p("$CC -o x x.c").as_deref(), None);
    let s = Script::parse("sudo apt-get install -y vim", &env);
    assert_eq!(s.installs()[0].packages[0].name, "vim");
}

#[test]
fn flag_values() {
    let env = ShellEnv::default();
    let s = Script::parse(
        "gcc -O2 -oapp main.c && go build -o=bin/x . && cc -- -o",
        &env,
    );
    assert!(s.commands[0].flag_value(&["-o"]).is_none());
    let v = s.commands[1].flag_value(&["-o"]).unwrap();
    assert_eq!(v.value.as_deref(), Some("bin/x"));
    assert_eq!(v.span, Some(36..41));
    assert!(s.commands[2].flag_value(&["-o"]).is_none());
    // Go's single-dash long flags are not `-o`
    let go = Script::parse("go build -overlay=o.json -o out .", &env);
    assert_eq!(
        go.commands[0].flag_value(&["-o"]).unwrap().value.as_deref(),
        Some("out")
    );
    // an expanded value has no span of its own
    let e = Script::parse(
        "go build --output=$OUT .",
        &ShellEnv::default().with_var("OUT", "/x"),
    );
    let v = e.commands[0].flag_value(&["--output"]).unwrap();
    assert_eq!((v.value.as_deref(), v.span.clone()), (Some("/x"), None));
    // Go's single-dash long flags are not `-o`
    let go = Script::parse("go build -overlay=o.json -o out .", &env);
    assert_eq!(
        go.commands[0].flag_value(&["-o"]).unwrap().value.as_deref(),
        Some("out")
    );
    // an expanded value has no span of its own
    let e = Script::parse(
        "go build --output=$OUT .",
        &ShellEnv::default().with_var("OUT", "/x"),
    );
    let v = e.commands[0].flag_value(&["--output"]).unwrap();
    assert_eq!((v.value.as_deref(), v.span.clone()), (Some("/x"), None));
    // a flag named but no value: none
    assert!(
        Script::parse("go build -o", &env).commands[0]
            .flag_value(&["-o"])
            .is_none()
    );
}

#[test]
fn pipes_background_and_here_strings() {
    let s = Script::parse(
        "curl -fsSL https://x | tee log; cat <<< \"$X\" | sort & wait",
        &ShellEnv::at("/"),
    );
    let conn: Vec<_> = s.commands.iter().map(|c| c.connector).collect();
    assert_eq!(
        conn,
        [
            Connector::Pipe,
            Connector::Seq,
            Connector::Pipe,
            Connector::Background,
            Connector::Seq
        ]
    );
    assert!(s.commands[0].in_subshell && s.commands[3].in_subshell && !s.commands[4].in_subshell);
    assert_eq!(s.commands[2].redirects[0].op, "<<<");
    assert_eq!(
        s.commands[2].redirects[0].target.as_ref().unwrap().value,
        None
    );
}

#[test]
fn quote_round_trips_through_the_parser() {
    for p in [
        "/out/my app",
        "it's",
        "a\"b",
        "$HOME",
        "plain/path",
        "",
        "tab\there",
        "C:\\",
        "ünï cödé",
    ] {
        let script = format!("cp x {}", quote(p));
        let s = Script::parse(&script, &ShellEnv::default());
        assert_eq!(s.commands[0].words[2].value.as_deref(), Some(p), "{script}");
        assert!(!s.opaque_parts);
    }
}

#[test]
fn path_lists_parse_back_with_buildkit_rules() {
    // the front end must read the JSON form back to the escaped words
    for (paths, escape) in [
        (vec!["/out/my app", "/app/"], '\\'),
        (vec!["C:\\", "/d/"], '\\'),
        (vec!["it's", "a\"b", "/d/"], '\\'),
        (vec!["C:\\x y", "/d/"], '`'),
        (vec!["a", "/d/"], '\\'),
    ] {
        let list = dockerfile_path_list(&paths, escape);
        let header = if escape == '`' { "# escape=`\n" } else { "" };
        let text = format!("{header}FROM a\nCOPY {list}\n");
        let doc = syntax::parse(&text).unwrap();
        let got: Vec<String> = match &doc.instructions[1].args {
            syntax::Args::Exec(e) => e.clone(),
            syntax::Args::Words(w) => w.iter().map(|w| w.value.clone()).collect(),
        };
        // undo BuildKit's word-expansion escapes, as it does after parsing
        let unescaped: Vec<String> = got
            .iter()
            .map(|g| {
                let mut out = String::new();
                let mut chars = g.chars();
                while let Some(c) = chars.next() {
                    if c == escape && list.starts_with('[') {
                        if let Some(n) = chars.next() {
                            out.push(n);
                        }
                    } else {
                        out.push(c);
                    }
                }
                out
            })
            .collect();
        assert_eq!(unescaped, paths, "{list}");
    }
}

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

/// Every RUN of every golden input: exact spans, and the scripts that stay opaque.
#[test]
fn golden_inputs_read_with_exact_spans() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let mut runs = 0;
    let mut opaque = Vec::new();
    for group in std::fs::read_dir(&root).unwrap().flatten() {
        for case in std::fs::read_dir(group.path()).unwrap().flatten() {
            let Ok(text) = std::fs::read_to_string(case.path().join("input.Dockerfile")) else {
                continue;
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let Ok(doc) = syntax::parse(text) else {
                continue;
            };
            for ins in doc
                .instructions
                .iter()
                .filter(|i| i.keyword == syntax::Keyword::Run)
            {
                runs += 1;
                let s = Script::of(text, ins, doc.escape, &ShellEnv::at("/"));
                check_spans(text, &s);
                if s.opaque_parts {
                    opaque.push(format!("{}: {}", case.path().display(), ins.rest_text()));
                }
            }
        }
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
        let Ok(doc) = syntax::parse(&text) else {
            continue;
        };
        for ins in doc
            .instructions
            .iter()
            .filter(|i| i.keyword == syntax::Keyword::Run)
        {
            runs += 1;
            let s = Script::of(&text, ins, doc.escape, &ShellEnv::at("/"));
            check_spans(&text, &s);
            let _ = (s.installs(), s.writes_paths());
        }
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
