use super::*;

fn kw(doc: &Document) -> Vec<&'static str> {
    doc.instructions
        .iter()
        .map(|i| i.keyword.as_str())
        .collect()
}

#[test]
fn empty_and_comment_lines_inside_continuations() {
    let src = "FROM debian\nRUN apt-get update && \\\n\n    # the tools\n    apt-get install -y \\\n      curl\nCMD x\n";
    let doc = parse(src).unwrap();
    assert_eq!(kw(&doc), ["FROM", "RUN", "CMD"]);
    assert_eq!(
        doc.instructions[1].args_text(),
        "apt-get update &&     apt-get install -y       curl"
    );
    assert_eq!(doc.comments.len(), 1);
}

#[test]
fn backtick_escape() {
    let src = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir C:\\ `\n    && echo hi\n";
    let doc = parse(src).unwrap();
    assert_eq!(doc.escape, '`');
    assert_eq!(doc.instructions[1].args_text(), "dir C:\\     && echo hi");
}

#[test]
fn heredocs_several_per_line() {
    let src = "FROM a\nCOPY <<one <<-\"two\" /dst/\nfirst\none\n\tsecond\n\ttwo\nRUN x\n";
    let doc = parse(src).unwrap();
    let h = &doc.instructions[1].heredocs;
    assert_eq!(h.len(), 2);
    assert_eq!(&src[h[0].body.clone()], "first\n");
    assert!(h[1].strip_tabs && h[1].quoted);
    assert_eq!(&src[h[1].body.clone()], "\tsecond\n");
    assert_eq!(kw(&doc), ["FROM", "COPY", "RUN"]);
}

#[test]
fn unterminated_heredoc_is_an_error() {
    let e = parse("FROM a\nRUN <<EOF\necho\n").unwrap_err();
    assert!(e.message.contains("unterminated heredoc"));
    assert_eq!(e.offset, 11);
}

#[test]
fn unknown_instruction_is_an_error() {
    let e = parse("FROM a\nRUN a \\\n  b\n&& c\n").unwrap_err();
    assert_eq!(e.message, "unknown instruction: &&");
}

#[test]
fn trailing_continuation_at_eof() {
    let doc = parse("FROM a\nRUN echo \\").unwrap();
    assert_eq!(doc.instructions[1].args_text(), "echo ");
}

#[test]
fn directives_only_at_top() {
    let doc =
        parse("# syntax=docker/dockerfile:1\n# escape=\\\nFROM a\n# escape=`\nRUN b\n").unwrap();
    assert_eq!(doc.directives.len(), 2);
    assert_eq!(doc.escape, '\\');
    assert!(parse("# escape=x\nFROM a\n").is_err());
    assert!(parse("# syntax=a\n# syntax=b\nFROM a\n").is_err());
}

#[test]
fn valueless_flags_are_flags() {
    let doc = parse("FROM a\nCOPY --link --parents --from=b src/ /dst/\n").unwrap();
    let c = &doc.instructions[1];
    assert_eq!(c.flags.len(), 3);
    let w: Vec<_> = c.words().iter().map(|w| w.value.as_str()).collect();
    assert_eq!(w, ["src/", "/dst/"]);
}

#[test]
fn json_copy_and_exec_with_comment() {
    let doc = parse("FROM a\nCOPY [\"a b\", \"/d/\"]\nCMD [\"x\"] # not json\n").unwrap();
    assert!(matches!(&doc.instructions[1].args, Args::Exec(e) if e == &["a b", "/d/"]));
    assert!(matches!(&doc.instructions[2].args, Args::Words(_)));
}

#[test]
fn instruction_before_from() {
    assert!(parse("RUN x\nFROM a\n").is_err());
    assert!(parse("ARG V=1\nFROM a:${V}\n").is_ok());
    assert!(parse("").is_err());
    assert!(parse("# only a comment\n").is_err());
}
