//! Words: programs behind wrappers, flag values, pipes, quoting and path lists round-tripping.

use super::*;

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
