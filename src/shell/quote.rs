//! Writing words back: shell quoting for RUN text, path lists for COPY.

/// Bytes that need no quoting in a shell word (nor at its start).
fn shell_safe(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | '@' | '%' | '+' | '=' | ':' | ',' | '.' | '/' | '-')
}

/// `word` as one shell word with the same value: as is when it needs no
/// quoting, else in single quotes (`'` written as `'\''`).
///
/// ```
/// use slimfile::shell::quote;
/// assert_eq!(quote("/out/app"), "/out/app");
/// assert_eq!(quote("/out/my app"), "'/out/my app'");
/// assert_eq!(quote("it's"), r"'it'\''s'");
/// assert_eq!(quote(""), "''");
/// assert_eq!(quote("$HOME"), "'$HOME'");
/// ```
pub fn quote(word: &str) -> String {
    if !word.is_empty() && word.chars().all(shell_safe) {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len() + 2);
    out.push('\'');
    for c in word.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// The argument list of a COPY/ADD for `paths` (sources then destination),
/// written for a Dockerfile whose escape character is `escape`.
///
/// Plain paths are written as words (`a b/ /dst/`). When one holds
/// whitespace, a quote or the escape character, or the first starts with
/// `[`, the JSON form is used. BuildKit runs every COPY argument, in both
/// forms, through its word expansion, which removes quotes and escape
/// characters (and drops an escape at the very end: `C:\` would become
/// `C:`), so in JSON form those characters are first escaped with the escape
/// character and the result JSON-encoded. `$` is left alone: BuildKit expands
/// variables in both forms. Sources stay BuildKit patterns: `*`, `?` and `[`
/// keep their meaning.
///
/// ```
/// use slimfile::shell::dockerfile_path_list;
/// assert_eq!(dockerfile_path_list(&["/out/app", "/app/"], '\\'), "/out/app /app/");
/// assert_eq!(dockerfile_path_list(&["/out/my app", "/app/"], '\\'), r#"["/out/my app", "/app/"]"#);
/// assert_eq!(dockerfile_path_list(&["C:\\", "/d/"], '\\'), r#"["C:\\\\", "/d/"]"#);
/// assert_eq!(dockerfile_path_list(&["C:\\", "/d/"], '`'), r"C:\ /d/");
/// assert_eq!(dockerfile_path_list(&["it's", "/d/"], '\\'), r#"["it\\'s", "/d/"]"#);
/// ```
pub fn dockerfile_path_list(paths: &[&str], escape: char) -> String {
    let needs_json = paths.iter().enumerate().any(|(i, p)| {
        p.is_empty()
            || (i == 0 && p.starts_with('['))
            || p.chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '\'' || c == escape)
    });
    if !needs_json {
        return paths.join(" ");
    }
    let mut out = String::from("[");
    for (i, p) in paths.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let mut word = String::with_capacity(p.len() + 2);
        for c in p.chars() {
            if c == escape || c == '"' || c == '\'' {
                word.push(escape);
            }
            word.push(c);
        }
        out.push_str(&serde_json::Value::String(word).to_string());
    }
    out.push(']');
    out
}
