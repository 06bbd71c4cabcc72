// Which libraries the packages pip builds on the full python image link:
// the requirement names read from what each install reads (its arguments,
// requirements files, the project's manifests in the build context), looked
// up in `transforms/recipes.toml` [python] native_packages. (No `//!` docs:
// a part of the Python recipe, whose docs `slimfile explain` prints.)

use super::{Context, Findings, Stage, artifacts, recipes, skip};
use crate::reason::Reason;

/// The `-dev` packages whose runtime libraries the runtime needs for what
/// the stage's installs build from source, with the words for the message
/// (`libpq-dev for psycopg2`); `None` after a `context-unknown` skip when a
/// file an install reads is not at hand.
pub(super) fn native_dev_packages(
    cx: &Context,
    stage: &Stage,
    out: &mut Findings,
) -> Option<(Vec<String>, Vec<String>)> {
    let read = artifacts::python_names(cx, stage);
    if let Some(x) = read.unreadable {
        return skip(
            out,
            stage.base_span.start,
            Reason::ContextUnknown,
            format!(
                "pip installs `{x}`, whose requirements slimfile does not read: cannot tell which packages pip builds from source on the full image, and which libraries of it they link"
            ),
        );
    }
    if let Some(file) = read.missing {
        return skip(
            out,
            stage.base_span.start,
            Reason::ContextUnknown,
            format!(
                "`{file}` is not in the build context: cannot tell which packages pip builds from source on the full image, and which libraries of it they link"
            ),
        );
    }
    let names = read.names;
    let table = &recipes().python.native_packages;
    let mut devs: Vec<String> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    for (package, dev) in table {
        if names.iter().any(|n| n == package) {
            why.push(format!("{} for `{package}`", dev.join(", ")));
            for d in dev {
                if !devs.contains(d) {
                    devs.push(d.clone());
                }
            }
        }
    }
    Some((devs, why))
}

/// The runtime packages (bookworm names) the wheels of the stage's Python
/// installs load and do not bundle (`lightgbm` → libgomp1, `opencv-python`
/// → libgl1 …: `transforms/recipes.toml` [python] wheel_libraries), with the
/// words for the message. Installs whose names cannot be read give none:
/// the callers refuse those before (`context-unknown`).
pub(super) fn wheel_libraries(cx: &Context, stage: &Stage) -> (Vec<String>, Vec<String>) {
    let names = artifacts::python_names(cx, stage).names;
    let mut libs: Vec<String> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    for (package, needs) in &recipes().python.wheel_libraries {
        if names.iter().any(|n| n == package) {
            why.push(format!("{} for `{package}`", needs.join(", ")));
            for l in needs {
                if !libs.contains(l) {
                    libs.push(l.clone());
                }
            }
        }
    }
    (libs, why)
}
