// `chown`/`chmod` of what the runtime copies: carried as `COPY --chown`
// when it can be, else the file is left alone.

use super::{Blocker, Effects, Reason, blocker, under};
use crate::shell::Script;

/// `chown`/`chmod` of a folder the runtime copies whole, or of a folder
/// above one: the copy keeps the owner and mode of what is inside (and of a
/// copied file), but makes the copied folder itself root's with the default
/// mode. A recursive `chown` with a literal owner is carried as `COPY
/// --chown`; anything else on a folder leaves the file alone.
pub(super) fn ownership_changes(
    script: &Script,
    covered: &[String],
    line: usize,
    here: usize,
    fx: &mut Effects,
) -> Result<(), Blocker> {
    let copied: Vec<String> = covered.iter().chain(fx.carried.iter()).cloned().collect();
    for c in &script.commands {
        let Some(program @ ("chown" | "chmod")) = c.program() else {
            continue;
        };
        let args = c.args();
        let recursive = args.iter().any(|w| {
            w.raw == "--recursive"
                || (w.raw.starts_with('-') && !w.raw.starts_with("--") && w.raw.contains('R'))
        });
        let mut operands = args.iter().filter(|w| !w.raw.starts_with('-'));
        // chown's first operand is the owner, chmod's the mode
        let Some(first) = operands.next() else {
            continue;
        };
        for w in operands {
            let path = w.value.as_deref().and_then(|v| c.resolve(v));
            let hits: Vec<&String> = match &path {
                Some(p) => copied.iter().filter(|d| under(d, p)).collect(),
                None => copied.iter().collect(),
            };
            if hits.is_empty() {
                continue;
            }
            // a copied file keeps its owner and mode; a copied folder's own are reset
            let folder = recursive || hits.iter().any(|h| fx.dirs.contains(*h));
            if !folder {
                continue;
            }
            let owner = first.value.as_deref().filter(|o| !o.is_empty());
            match (program, recursive, owner) {
                ("chown", true, Some(owner)) if path.is_some() => {
                    for h in hits {
                        if !fx.owners.iter().any(|(p, _)| p == h) {
                            fx.owners.push((h.clone(), owner.to_string()));
                            fx.said.push(format!("{h} owned by {owner} (line {line})"));
                        }
                    }
                }
                _ => {
                    return Err(blocker(
                        here,
                        Reason::EffectUnknown,
                        format!(
                            "line {line}: `{program}` of {}, which the runtime copies: `COPY --from` would make the copied folder itself root's with the default mode",
                            path.as_deref().unwrap_or(&w.raw)
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}
