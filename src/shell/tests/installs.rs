//! Package installs (npm, pip, apt and the others) and the files a script writes.

use super::*;

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

/// The package names of every install in `s`, and the values of its
/// unknown words (`None`) as `?raw`.
fn install_names(s: &Script) -> Vec<String> {
    let mut out = Vec::new();
    for i in s.installs() {
        out.extend(i.packages.iter().map(|p| p.name.clone()));
        let c = &s.commands[i.command];
        out.extend(
            c.args()
                .iter()
                .filter(|w| w.value.is_none())
                .map(|w| format!("?{}", w.raw)),
        );
    }
    out
}

#[test]
fn install_lists_from_variables_split_into_packages() {
    let text = "ARG PKGS=\"curl git\"\nARG NO_DEFAULT\nFROM php:8.3-cli\nARG PKGS\nARG JAVA=17\nARG NO_DEFAULT\nENV PHPIZE_DEPS \\\n    autoconf \\\n    g++ \\\n    make\nENV QUOTED=\"a b\"\nRUN apt-get install -y $PHPIZE_DEPS $PKGS openjdk-${JAVA}-jre-headless\nRUN apt-get install -y \"$QUOTED\" $NO_DEFAULT $(cat list) $FROM_BASE_IMAGE\nRUN buildDeps='gcc libpq-dev'; export RUNTIME=\"libpq5  tzdata\"; apt-get install -y $buildDeps $RUNTIME && apt-get purge -y --auto-remove $buildDeps\nRUN apt-get install -y $buildDeps $RUNTIME\n";
    let doc = syntax::parse(text).unwrap();
    let model = crate::model::Model::build(&doc);
    let stage = &model.stages[0];
    let read = |n: usize| {
        let env = ShellEnv::before(&doc, &model.global_args, stage, n, ShellEnv::at("/"));
        Script::of(text, &doc.instructions[n], doc.escape, &env)
    };
    // an ENV list (legacy form over continuations), an ARG default (global,
    // redeclared), an ARG default inside a name: one package a field
    assert_eq!(
        install_names(&read(8)),
        [
            "autoconf",
            "g++",
            "make",
            "curl",
            "git",
            "openjdk-17-jre-headless"
        ]
    );
    // a quoted expansion stays one word; an ARG without default, a command
    // substitution and a variable the file does not set stay unknown
    assert_eq!(
        install_names(&read(9)),
        ["a b", "?$NO_DEFAULT", "?$(cat list)", "?$FROM_BASE_IMAGE"]
    );
    // assignments and `export` earlier in the same RUN; the purge reads the
    // same expansion
    let same_run = read(10);
    assert_eq!(
        install_names(&same_run),
        ["gcc", "libpq-dev", "libpq5", "tzdata"]
    );
    let purge = same_run
        .commands
        .iter()
        .find(|c| c.args().iter().any(|w| w.value.as_deref() == Some("purge")))
        .unwrap();
    let purged: Vec<_> = purge.args()[3..]
        .iter()
        .map(|w| w.value.as_deref())
        .collect();
    assert_eq!(purged, [Some("gcc"), Some("libpq-dev")]);
    // a split word's fields keep its raw text but not its span
    assert!(
        purge.args()[3..]
            .iter()
            .all(|w| w.raw == "$buildDeps" && w.span.is_none())
    );
    // set in an earlier RUN: a new shell, unknown
    assert_eq!(install_names(&read(11)), ["?$buildDeps", "?$RUNTIME"]);
}

#[test]
fn field_splitting_edges() {
    let env = ShellEnv::default()
        .with_var("EMPTY", "")
        .with_var("TWO", " a  b ")
        .with_var("GLOB", "lib*");
    let values = |script: &str, env: &ShellEnv| -> Vec<Option<String>> {
        Script::parse(script, env).commands[0]
            .words
            .iter()
            .map(|w| w.value.clone())
            .collect()
    };
    let some = |v: &[&str]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
    // an unquoted empty value adds no word; a quoted one is an empty word
    assert_eq!(
        values("x $EMPTY \"$EMPTY\" ''$EMPTY", &env),
        some(&["x", "", ""])
    );
    // blanks around and between fields; text joined to the first and last field
    assert_eq!(values("x $TWO", &env), some(&["x", "a", "b"]));
    assert_eq!(
        values("x pre$TWO-post", &env),
        some(&["x", "pre", "a", "b", "-post"])
    );
    assert_eq!(values("x \"$TWO\"", &env), some(&["x", " a  b "]));
    // one field keeps its span; a glob in a value makes a pattern
    let s = Script::parse("x $GLOB", &env);
    assert!(s.commands[0].words[1].span.is_some() && s.commands[0].words[1].pattern);
    // the program itself can come from a split value
    let s = Script::parse("$EMPTY apt-get install -y $TWO", &env);
    assert_eq!(s.commands[0].program(), Some("apt-get"));
    assert_eq!(install_names(&s), ["a", "b"]);
    // an `IFS` the script sets: the split is unknown
    let s = Script::parse("IFS=,; x $TWO", &env);
    assert_eq!(s.commands[1].words[1].value, None);
}
