//! What a Dockerfile needs from the builder: the BuildKit-only syntax Docker's
//! legacy builder refuses (`RUN --mount`, heredocs, `COPY --link`, …).

use crate::syntax::{self, Keyword};

/// Flags only BuildKit takes, per instruction.
const BUILDKIT_FLAGS: &[(Keyword, &[&str])] = &[
    (Keyword::Run, &["mount", "network", "security"]),
    (Keyword::Copy, &["link", "parents", "exclude"]),
    (
        Keyword::Add,
        &["link", "parents", "exclude", "checksum", "keep-git-dir"],
    ),
];

/// The BuildKit-only features a Dockerfile uses, one `line N: …` each (empty
/// when the legacy builder can build it, or when the text does not parse: the
/// build then says what is wrong).
///
/// ```
/// let needs = slimfile::verify::needs::buildkit_only("FROM a\nRUN --mount=type=cache,target=/c make\n");
/// assert_eq!(needs, ["line 2: RUN --mount"]);
/// ```
pub fn buildkit_only(text: &str) -> Vec<String> {
    let Ok(doc) = syntax::parse(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for ins in &doc.instructions {
        if !ins.heredocs.is_empty() {
            found.push(format!(
                "line {}: {} heredoc",
                ins.line,
                ins.keyword.as_str()
            ));
        }
        let Some((_, flags)) = BUILDKIT_FLAGS.iter().find(|(k, _)| *k == ins.keyword) else {
            continue;
        };
        for flag in &ins.flags {
            if flags.contains(&flag.name.as_str()) {
                found.push(format!(
                    "line {}: {} --{}",
                    ins.line,
                    ins.keyword.as_str(),
                    flag.name
                ));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_mounts_heredocs_and_links() {
        let text = "FROM a AS b\nRUN --mount=type=cache,target=/root/.cache pip install x\n\
                    RUN <<EOF\necho hi\nEOF\nFROM c\nCOPY --link --from=b /x /x\nCOPY --chown=1 y /y\n";
        assert_eq!(
            buildkit_only(text),
            [
                "line 2: RUN --mount",
                "line 3: RUN heredoc",
                "line 7: COPY --link"
            ]
        );
    }

    #[test]
    fn flags_both_builders_take_are_not_needs() {
        let text = "FROM a AS b\nCOPY --from=b --chown=1:1 x /x\nADD --chown=1 y /y\nRUN make\n";
        assert!(buildkit_only(text).is_empty());
    }
}
