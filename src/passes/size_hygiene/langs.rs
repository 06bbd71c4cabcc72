//! ### pip, npm, yarn, gem
//! - `pip install` gets `--no-cache-dir` (safe), unless `PIP_NO_CACHE_DIR`
//!   is set or the RUN keeps a cache mount on the pip cache.
//! - In the final stage, a RUN that runs `npm ci`/`npm install` ends with
//!   `npm cache clean --force`, one that runs `yarn install` (or plain
//!   `yarn`) with `yarn cache clean` (safe; builder stages are left alone:
//!   their caches do not reach the image).
//! - `gem install` gets `--no-document` after the gem names (safe), unless the file configures
//!   gem documentation itself (`.gemrc`, `gem: --no-document`).
//! - `pip install torch` on a base with no CUDA of its own (the official
//!   python images, debian, ubuntu) gets an info note, `cuda-wheels`: from
//!   PyPI, torch on Linux is its CUDA build (about 3.8 GB with the nvidia-*
//!   wheels), the CPU build (`--index-url
//!   https://download.pytorch.org/whl/cpu`) about 0.3 GB. Never changed: the
//!   CPU build cannot use a GPU.

use super::{Facts, Run, append, change, flag_after};
use crate::edit::{Findings, Safety};
use crate::passes::Context;
use crate::shell::Manager;

pub(super) fn check(cx: &Context, facts: &Facts, r: &Run, out: &mut Findings) {
    pip(facts, r, out);
    if r.stage.index + 1 == cx.model.stages.len() {
        node(cx, r, out);
        torch_cuda_wheels(cx, r, out);
    }
    gem(facts, r, out);
}

/// Bases with no CUDA of their own (catalog families).
const NO_CUDA: &[&str] = &["python", "debian", "ubuntu"];

/// The `cuda-wheels` note for a pip install of torch from PyPI on a base with no CUDA.
fn torch_cuda_wheels(cx: &Context, r: &Run, out: &mut Findings) {
    let base = r.stage.effective_base();
    let no_cuda = crate::catalog::catalog()
        .family(base)
        .is_some_and(|f| NO_CUDA.contains(&f.name.as_str()));
    if !no_cuda {
        return;
    }
    for install in r.script.installs() {
        if install.manager != Manager::Pip {
            continue;
        }
        let c = &r.script.commands[install.command];
        let mut texts: Vec<String> = c.words.iter().map(|w| w.raw.clone()).collect();
        texts.extend(install.requirement_files.iter().filter_map(|f| {
            cx.read(f.trim_start_matches("./"))
                .or_else(|| cx.read(crate::shell::basename(f)))
        }));
        let all = texts.join("\n");
        let torch = install
            .packages
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case("torch"))
            || texts[c.words.len()..]
                .iter()
                .flat_map(|t| t.lines())
                .any(|l| {
                    crate::analysis::requirement_names(l)
                        .first()
                        .is_some_and(|n| n == "torch")
                });
        if !torch || all.contains("download.pytorch.org/whl/cpu") || all.contains("+cpu") {
            continue;
        }
        out.note(
            crate::reason::Reason::CudaWheels,
            crate::edit::Level::Info,
            c.span.start,
            format!(
                "torch from PyPI is its CUDA build on Linux: about 3.8 GB with the nvidia-* wheels, against about 0.3 GB for the CPU build (`--index-url https://download.pytorch.org/whl/cpu`). {} has no CUDA of its own; if the image runs without a GPU, the CPU build saves about 3.5 GB. Not changed: the CPU build cannot use a GPU",
                r.stage.base_text
            ),
        );
        return;
    }
}

fn pip(facts: &Facts, r: &Run, out: &mut Findings) {
    if r.cache_mount(&["/root/.cache", "/root/.cache/pip"]) || facts.pip_no_cache {
        return;
    }
    let mut edits = Vec::new();
    for install in r.script.installs() {
        if install.manager != Manager::Pip {
            continue;
        }
        let c = &r.script.commands[install.command];
        if c.words.iter().any(|w| {
            w.value
                .as_deref()
                .is_some_and(|v| v == "--no-cache-dir" || v.starts_with("--no-cache-dir="))
        }) {
            continue;
        }
        let word = c
            .words
            .iter()
            .find(|w| w.value.as_deref() == Some("install"));
        if let Some(span) = word.and_then(|w| w.span.clone()) {
            edits.push(flag_after(span.end, "--no-cache-dir"));
        }
    }
    if !edits.is_empty() {
        out.change(change(
            Safety::Safe,
            "`pip install --no-cache-dir`: the downloaded wheels stay out of the layer".to_string(),
            edits,
            None,
        ));
    }
}

fn node(cx: &Context, r: &Run, out: &mut Findings) {
    let installs = r.script.installs();
    let npm = installs
        .iter()
        .any(|i| i.manager == Manager::Npm && !i.global && i.packages.is_empty());
    let yarn = installs
        .iter()
        .any(|i| i.manager == Manager::Yarn && !i.global);
    let cleaned = |tool: &str| {
        r.commands(&[tool]).any(|c| {
            c.args()
                .iter()
                .filter_map(|w| w.value.as_deref())
                .any(|v| v == "cache")
        })
    };
    let cleanup = if npm && !cleaned("npm") && !r.cache_mount(&["/root/.npm"]) {
        Some("npm cache clean --force")
    } else if yarn
        && !cleaned("yarn")
        && !r.cache_mount(&[
            "/usr/local/share/.cache/yarn",
            "/root/.yarn",
            "/root/.cache/yarn",
        ])
    {
        Some("yarn cache clean")
    } else {
        None
    };
    if let Some(cleanup) = cleanup
        && let Some(edit) = append(cx, r, cleanup, out)
    {
        out.change(change(
            Safety::Safe,
            format!("`{cleanup}` in the RUN that installed: the package cache stays out of the final image"),
            vec![edit],
            None,
        ));
    }
}

fn gem(facts: &Facts, r: &Run, out: &mut Findings) {
    if facts.gem_configured {
        return;
    }
    let mut edits = Vec::new();
    for c in r.commands(&["gem"]) {
        let install = c
            .args()
            .iter()
            .find(|w| w.value.as_deref().is_some_and(|v| !v.starts_with('-')));
        if install.is_none_or(|w| w.value.as_deref() != Some("install")) {
            continue;
        }
        // after the gem names, before `--` (what follows it goes to the extension's build)
        let args = c.args();
        let end = args
            .iter()
            .position(|w| w.value.as_deref() == Some("--"))
            .unwrap_or(args.len());
        if let Some(span) = end.checked_sub(1).and_then(|i| args[i].span.clone()) {
            edits.push(flag_after(span.end, "--no-document"));
        }
    }
    if !edits.is_empty() {
        out.change(change(
            Safety::Safe,
            "`gem install --no-document`: no generated documentation in the layer".to_string(),
            edits,
            None,
        ));
    }
}
