//! The user documentation, rendered from one source: the pass registry
//! ([`passes::ALL`]: ids, summaries, module docs), the split recipes (the
//! `### name` sections of split-stages' docs) and the reason table
//! ([`Reason`]). `slimfile passes`, `slimfile explain`, the SARIF rules and
//! the README's pass table (`slimfile passes --markdown`) all come from here.

use crate::passes::{self, split_stages};
use crate::reason::Reason;

/// What `slimfile explain <topic>` prints: a pass's documentation, a split
/// recipe's section, or a reason code's explanation (`artifact-unknown`, or
/// `split-stages/artifact-unknown` as reports write it). `None` when the
/// topic is none of these.
///
/// ```
/// let text = slimfile::docs::explain("artifact-unknown").unwrap();
/// assert!(text.starts_with("artifact-unknown\n"));
/// assert!(slimfile::docs::explain("split-stages").unwrap().contains("### Go"));
/// assert!(slimfile::docs::explain("nope").is_none());
/// ```
pub fn explain(topic: &str) -> Option<String> {
    if let Some(p) = passes::find(topic) {
        return Some(p.doc.to_string());
    }
    let code = match topic.split_once('/') {
        Some((pass, code)) if passes::find(pass).is_some() || pass == "model" => code,
        _ => topic,
    };
    if let Some(r) = Reason::from_code(code) {
        return Some(reason_text(r));
    }
    recipe_section(topic)
}

/// Every topic `explain` knows, for the error message naming them.
pub fn topics() -> String {
    format!(
        "passes: {}; recipes: {}; reason codes: {}",
        passes::ALL
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        split_stages::recipe_names().collect::<Vec<_>>().join(", "),
        Reason::ALL
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A reason code and its explanation, as `explain` prints it.
pub(crate) fn reason_text(reason: Reason) -> String {
    format!("{}\n\n{}\n", reason.code(), reason.explanation())
}

/// The section `### <name>` of split-stages' documentation (case-insensitive
/// name), up to the next heading of the same or a higher level.
fn recipe_section(name: &str) -> Option<String> {
    let recipe = split_stages::recipe_names().find(|r| r.eq_ignore_ascii_case(name))?;
    let doc = split_stages::PASS.doc;
    let heading = format!("### {recipe}\n");
    let start = doc.find(&heading)?;
    let body = &doc[start + heading.len()..];
    let end = body
        .match_indices("\n#")
        .map(|(i, _)| i + 1)
        .find(|&i| body[i..].starts_with("## ") || body[i..].starts_with("### "))
        .unwrap_or(body.len());
    Some(format!("{heading}{}", &body[..end]))
}

/// What `slimfile passes` prints: one line a pass.
pub fn pass_lines() -> String {
    passes::ALL
        .iter()
        .map(|p| format!("{:<14} {:<7} {}\n", p.id, p.safety.to_string(), p.summary))
        .collect()
}

/// The README's pass table (`slimfile passes --markdown`).
pub fn pass_table() -> String {
    let mut out = String::from("| pass | safety | what |\n|---|---|---|\n");
    for p in passes::ALL {
        out.push_str(&format!("| `{}` | {} | {} |\n", p.id, p.safety, p.summary));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_names_every_pass_recipe_and_reason() {
        for p in passes::ALL {
            let text = explain(p.id.as_str()).expect("every pass is explained");
            assert!(text.contains("## What it does"), "{}", p.id);
            assert!(topics().contains(p.id.as_str()));
        }
        let split = explain("split-stages").unwrap_or_default();
        for name in split_stages::recipe_names() {
            let section = explain(name).unwrap_or_default();
            assert!(
                section.len() > 40,
                "recipe {name} has no `### {name}` section"
            );
            assert!(split.contains(&section));
            assert!(
                split_stages::PASS.summary.contains(name),
                "split-stages' summary does not name the {name} recipe"
            );
        }
        for r in Reason::ALL {
            let text = explain(r.code()).unwrap_or_default();
            assert!(text.starts_with(r.code()), "{} is not explained", r.code());
            assert!(text.trim_end().len() > r.code().len() + 20);
            assert_eq!(
                explain(&format!("split-stages/{}", r.code())),
                Some(text.clone())
            );
        }
        assert_eq!(explain("nope"), None);
        assert_eq!(explain("split-stages/nope"), None);
    }

    #[test]
    fn recipe_sections_end_at_the_next_heading() {
        let go = explain("go").unwrap_or_default();
        assert!(go.starts_with("### Go\n"));
        assert!(!go.contains("### Java"));
    }

    #[test]
    fn readme_pass_table_is_generated() {
        let readme = include_str!("../README.md");
        assert!(
            readme.contains(&pass_table()),
            "README.md's pass table differs from `slimfile passes --markdown`; paste its output:\n{}",
            pass_table()
        );
    }
}
