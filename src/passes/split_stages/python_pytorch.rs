// The Python recipe on PyTorch images (`pytorch/pytorch`): a `-devel`
// builder runs on the `-runtime` tag of the same version, which has the same
// /opt/conda (torch, its CUDA libraries, conda's Python) but no CUDA
// toolkit. What pip installs goes into a venv that sees conda's packages
// (`--system-site-packages`), so the runtime copies only that venv. conda
// installs into /opt/conda are left alone. (No `//!` docs: the recipe's
// are in python.rs.)

use super::distro::{self, SameBase};
use super::python::{venv_possible, venv_setup};
use super::{
    AppFolder, Context, Findings, Plan, Reason, Stage, analysis, app, copy_from_builder, recipes,
    skip, strs,
};

pub(super) fn plan(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    let all = analysis::joined(scripts);
    let words = analysis::words(&all);
    let t = strs(&words);
    if let Some(tool) = ["conda", "mamba", "micromamba"]
        .into_iter()
        .find(|w| t.contains(w))
    {
        return skip(
            out,
            at,
            Reason::NotYet,
            format!(
                "`{tool}` installs into /opt/conda, which the runtime tag has in its own version: only pip installs are split on PyTorch images"
            ),
        );
    }
    venv_possible(cx, stage, &all, &t, out)?;
    let (last_run, _) = scripts.last()?;
    let dir = app::app_dir_or_tool(cx, stage, *last_run, out).ok()?;
    let libraries = super::distro_python::loaded_libraries(cx, stage, out)?;
    let how = SameBase {
        why_same: "is already the runtime tag".to_string(),
        short: "already the runtime tag".to_string(),
        interpreter: None,
        left_out: &[],
        libraries,
    };
    let runtime = distro::same_base_runtime(cx, stage, &how, None, out)?;
    let venv = &recipes().python.venv;
    let mut copies = vec![copy_from_builder(cx, venv, venv)];
    let mut why = format!(
        "what pip installs, in the venv {venv} over /opt/conda (the runtime tag has the same conda packages)"
    );
    match &dir {
        Some(AppFolder::Dir(d)) => {
            copies.push(copy_from_builder(cx, d, d));
            why.push_str(&format!(", and the app folder {d}"));
        }
        Some(AppFolder::Root) => why.push_str(", and the app's files in /"),
        None => {}
    }
    Some(Plan {
        ecosystem: "Python",
        interpreted: true,
        runtime_base: runtime.base,
        builder_edits: vec![venv_setup(cx, stage, &t, true)],
        setup: runtime.setup,
        copies,
        env: vec![format!("ENV VIRTUAL_ENV={venv} PATH=\"{venv}/bin:$PATH\"")],
        sizes: runtime.sizes,
        same_base: runtime.same_base,
        build_programs: distro::build_programs(),
        why,
        ..Plan::default()
    })
}
