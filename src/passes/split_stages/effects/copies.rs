// The effects of a COPY/ADD from the build context: what it places, and
// which of those paths the runtime must get (not build inputs, not already
// covered by the recipe's copies).

use super::super::recipes;
use super::{BTreeSet, Blocker, Effects, Reason, artifacts, blocker, under};

/// Carries what a COPY/ADD from the build context places, unless it is a
/// build input: inside `build_dirs` (`None` for an interpreted runtime,
/// where the app folder is what matters), the whole source tree, or already
/// covered by the recipe's copies or carried.
pub(super) fn copy_effects(
    ins: &crate::syntax::Instruction,
    wd: &str,
    build_dirs: Option<&BTreeSet<String>>,
    covered: &[String],
    fx: &mut Effects,
) -> Result<(), Blocker> {
    let r = &recipes().effects;
    for dest in copy_targets(ins, wd, r)
        .map_err(|why| blocker(ins.span.start, Reason::EffectUnknown, why))?
    {
        let in_build = build_dirs.is_some_and(|b| b.iter().any(|d| under(&dest, d)));
        // the source tree itself is what a compiled build consumes
        let bulk_at_root = build_dirs.is_some() && is_bulk_copy(ins);
        if in_build
            || bulk_at_root
            || covered.iter().any(|c| under(&dest, c))
            || fx.carried.iter().any(|c| under(&dest, c))
        {
            continue;
        }
        fx.said.push(format!("{dest} (line {})", ins.line));
        fx.carried.push(dest);
    }
    Ok(())
}

/// `COPY . DEST` (or `./`, `*`): the whole build context.
pub(super) fn is_bulk_copy(ins: &crate::syntax::Instruction) -> bool {
    let words = ins.words();
    words.len() >= 2
        && words[..words.len() - 1]
            .iter()
            .all(|w| matches!(w.value.as_str(), "." | "./" | "*" | "./*"))
}

/// The absolute paths a COPY/ADD from the build context places, as precisely
/// as they can be named (a folder when the sources land inside one).
pub(super) fn copy_targets(
    ins: &crate::syntax::Instruction,
    wd: &str,
    r: &crate::recipes::Effects,
) -> Result<Vec<String>, String> {
    let mut parts: Vec<String> = match &ins.args {
        crate::syntax::Args::Exec(e) => e.clone(),
        crate::syntax::Args::Words(w) => w.iter().map(|w| w.value.clone()).collect(),
    };
    if !ins.heredocs.is_empty() {
        // heredoc sources are files created in the destination
        if let Some(dest) = parts.last() {
            return Ok(vec![artifacts::join(wd, dest)]);
        }
        return Ok(Vec::new());
    }
    let Some(dest) = parts.pop() else {
        return Ok(Vec::new());
    };
    if dest.contains('$') || parts.iter().any(|p| p.contains('$')) {
        return Err(format!(
            "line {}: a COPY/ADD path uses a variable: cannot tell what it places",
            ins.line
        ));
    }
    let dest_abs = artifacts::join(wd, &dest);
    // `.` and `/` are folders that exist: a file copied there lands inside
    let into_dir = dest.ends_with('/')
        || matches!(dest.as_str(), "." | "./")
        || dest_abs == "/"
        || parts.len() > 1;
    let bulk = parts
        .iter()
        .any(|s| matches!(s.as_str(), "." | "./" | "*" | "./*"));
    if bulk || !into_dir {
        return Ok(vec![dest_abs]);
    }
    let mut out = Vec::new();
    for src in &parts {
        let name = src.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let file_like = !src.ends_with('/')
            && !src.contains(['*', '?', '['])
            && name.contains('.')
            && !name.starts_with('.');
        if file_like {
            out.push(artifacts::join(&dest_abs, name));
        } else if r.system_dirs.iter().any(|d| d == &dest_abs) {
            return Err(format!(
                "line {}: `{src}` goes into {dest_abs}, a system folder slimfile will not copy whole",
                ins.line
            ));
        } else {
            out.push(dest_abs.clone());
        }
    }
    Ok(out)
}
