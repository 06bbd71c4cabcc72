use super::*;

fn toks(s: &str) -> Vec<String> {
    let mut l = Lexer::new(s);
    let mut out = Vec::new();
    loop {
        match l.next_tok() {
            Tok::Eof => break,
            Tok::Word(w) => out.push(format!("W:{}", w.literal().unwrap_or("?".into()))),
            Tok::Op(op, _) => out.push(format!("{op:?}")),
            Tok::Redirect { op, target, .. } => out.push(format!(
                "R{op}{}",
                target.and_then(|t| t.literal()).unwrap_or_default()
            )),
            Tok::Newline => out.push("NL".into()),
        }
    }
    out
}

#[test]
fn operators_words_and_redirects() {
    assert_eq!(
        toks("a&&b||c;d|e&f 2>&1 >/x <<<\"s\" # c && d"),
        [
            "W:a",
            "AndThen",
            "W:b",
            "OrElse",
            "W:c",
            "Seq",
            "W:d",
            "Pipe",
            "W:e",
            "Background",
            "W:f",
            "R>&1",
            "R>/x",
            "R<<<s"
        ]
    );
}

#[test]
fn quotes_escapes_and_expansions() {
    let mut l = Lexer::new(r#""/out/my app" a\ b 'c"d' x$(echo ")") `id -u` ${HOME}/x $1 "$A"~"#);
    let mut words = Vec::new();
    while let Tok::Word(w) = l.next_tok() {
        words.push(w);
    }
    assert_eq!(words[0].literal().as_deref(), Some("/out/my app"));
    assert_eq!(words[1].literal().as_deref(), Some("a b"));
    assert_eq!(words[2].literal().as_deref(), Some("c\"d"));
    assert_eq!(words[3].pieces, [Piece::Lit("x".into()), Piece::Dynamic]);
    assert_eq!(words[4].pieces, [Piece::Dynamic]);
    assert_eq!(
        words[5].pieces,
        [Piece::UnquotedVar("HOME".into()), Piece::Lit("/x".into())]
    );
    assert_eq!(words[6].pieces, [Piece::Dynamic]);
    // inside double quotes a value is not split; `~` is not at a word's start
    assert_eq!(
        words[7].pieces,
        [Piece::Var("A".into()), Piece::Lit("~".into())]
    );
    assert!(!l.broken);
}

#[test]
fn heredoc_bodies_inside_scripts_are_skipped() {
    assert_eq!(
        toks("cat <<'X' > /etc/f\n# not a comment && rm -rf /\nX\necho ok"),
        ["W:cat", "R<<X", "R>/etc/f", "NL", "W:echo", "W:ok"]
    );
}

#[test]
fn unterminated_things_mark_broken() {
    for s in [
        "echo 'a",
        "echo \"a",
        "echo $(a",
        "echo `a",
        "cat <<X\nbody\n",
    ] {
        let mut l = Lexer::new(s);
        while !matches!(l.next_tok(), Tok::Eof) {}
        assert!(l.broken, "{s}");
    }
}
