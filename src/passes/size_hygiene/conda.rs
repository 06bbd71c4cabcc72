//! ### conda, mamba, micromamba
//! In the final stage, a RUN that installs with conda (`conda install`,
//! `conda create`, `conda env create`/`update`, the same with `mamba` or
//! `micromamba`) ends with `conda clean --all --yes` (`micromamba clean
//! --all --yes`), run by the same program as written: the package cache and
//! tarballs (about 100 MB on a small environment) stay out of the image
//! (safe: environments hold their own files). Not when the RUN cleans
//! already, keeps a cache mount on the package cache, or when the stage runs
//! `conda-pack` (it packs from the cache) or links environments to the cache
//! (`allow_softlinks`, `--symlink`): `needs-cache`.

use super::{Run, append, change};
use crate::edit::{Findings, Level, Safety};
use crate::passes::Context;
use crate::reason::Reason;
use crate::shell::Command;

const CONDAS: &[&str] = &["conda", "mamba", "micromamba"];

pub(super) fn check(cx: &Context, r: &Run, out: &mut Findings) {
    if r.stage.index + 1 != cx.model.stages.len() {
        return;
    }
    let installer = r.commands(CONDAS).find(|c| installs(c));
    let Some(installer) = installer else {
        return;
    };
    if r.commands(CONDAS).any(|c| sub(c) == Some("clean"))
        || r.cache_mount(&[
            "/opt/conda/pkgs",
            "/root/.conda/pkgs",
            "/root/micromamba/pkgs",
        ])
    {
        return;
    }
    let stage_text = &cx.text[cx.doc.instructions[r.stage.instructions.clone()][0]
        .span
        .start
        ..cx.doc.instructions[r.stage.instructions.end - 1].span.end];
    if stage_text.contains("conda-pack")
        || stage_text.contains("conda pack")
        || stage_text.contains("allow_softlinks")
        || stage_text.contains("--symlink")
    {
        out.note(
            Reason::NeedsCache,
            Level::Info,
            r.ins.span.start,
            "conda's package cache stays: the stage packs environments from it (`conda-pack`) or links them to it (`allow_softlinks`, `--symlink`)",
        );
        return;
    }
    // the program as written (`/opt/conda/bin/conda`), when it is a plain word
    let program = installer
        .program_index()
        .and_then(|i| installer.words.get(i))
        .and_then(|w| w.literal())
        .filter(|p| !p.contains(char::is_whitespace))
        .unwrap_or("conda");
    let cleanup = format!("{program} clean --all --yes");
    if let Some(edit) = append(cx, r, &cleanup, out) {
        out.change(change(
            Safety::Safe,
            format!("`{cleanup}` in the RUN that installed: conda's package cache and tarballs stay out of the image"),
            vec![edit],
            None,
        ));
    }
}

/// The conda subcommand (`install`, `create`, `env`, `clean` …).
fn sub(c: &Command) -> Option<&str> {
    c.args().first().and_then(|w| w.value.as_deref())
}

/// True when `c` installs packages.
fn installs(c: &Command) -> bool {
    match sub(c) {
        Some("install" | "create" | "update" | "upgrade") => true,
        Some("env") => matches!(
            c.args().get(1).and_then(|w| w.value.as_deref()),
            Some("create" | "update")
        ),
        _ => false,
    }
}
