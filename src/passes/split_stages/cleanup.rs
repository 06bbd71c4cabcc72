// A stage that removes its build packages again in the build itself (the
// official images' `apk del .build-deps` / `apt-get purge --auto-remove`
// pattern) on a base with no leaner variant: a split leaves nothing
// behind. (No `//!` docs: shared by the recipes, not a recipe.)

use super::{Context, Findings, Stage, artifacts, packages, run_time_text, runtime_packages, skip};
use crate::reason::Reason;
use crate::shell::{Manager, Script};

/// `None` (after a `nothing-to-gain` note) when every build package the
/// stage installs is removed again in the stage, and its base (an OS image,
/// a `-slim`/`-alpine` variant, or an image the catalog does not know) has
/// no leaner variant to move to. `parsed`: the stage's RUNs
/// ([`stage_shell`]); `installed`: its apt packages ([`stage_apt`]).
pub(super) fn leaves_something(
    cx: &Context,
    stage: &Stage,
    parsed: &Script,
    installed: &[String],
    out: &mut Findings,
) -> Option<()> {
    if !on_lean_base(stage) {
        return Some(());
    }
    let command = run_time_text(cx, stage);
    // the system package managers' installs (pip, npm … install into other places)
    let managers: Vec<Manager> = parsed
        .installs()
        .iter()
        .map(|i| i.manager)
        .filter(|m| {
            matches!(
                m,
                Manager::Apk | Manager::Apt | Manager::AptGet | Manager::Dnf | Manager::Yum
            )
        })
        .collect();
    let apt = |m: &Manager| matches!(m, Manager::Apt | Manager::AptGet);
    let how = if !managers.is_empty() && managers.iter().all(|m| *m == Manager::Apk) {
        match packages::apk_runtime_packages(stage, parsed, &command) {
            Ok(apk) if apk.left_behind.is_empty() && has_build_group(parsed) => "`apk del`",
            _ => return Some(()),
        }
    } else if !managers.is_empty() && managers.iter().all(apt) {
        let kept = runtime_packages(installed, &command);
        let dropped: Vec<&String> = installed.iter().filter(|p| !kept.contains(p)).collect();
        // `None`: an `apt-mark auto` or a purge of a variable may remove any of them
        let all_removed =
            packages::apt_removed(parsed).is_none_or(|r| dropped.iter().all(|p| r.contains(p)));
        if dropped.is_empty() || !all_removed {
            return Some(());
        }
        "`apt-get purge`, `apt-mark auto`"
    } else {
        return Some(());
    };
    skip(
        out,
        stage.base_span.start,
        Reason::NothingToGain,
        format!(
            "every build package is removed again ({how}) in the original, and {} has no leaner variant: a runtime stage would leave nothing behind",
            stage.base_text
        ),
    )
}

/// True when an `apk add` of the stage installs a `--virtual` group (the
/// build's own packages, which a runtime would leave behind were they not
/// removed); a build without one is left to the recipes' own readings.
fn has_build_group(parsed: &Script) -> bool {
    parsed.installs().iter().any(|i| {
        i.manager == Manager::Apk
            && parsed.commands[i.command].args().iter().any(|w| {
                matches!(w.raw.as_str(), "-t" | "--virtual") || w.raw.starts_with("--virtual=")
            })
    })
}

/// An OS image, a `-slim`/`-alpine` variant, or an image the catalog does
/// not know: nothing leaner to move the runtime to.
fn on_lean_base(stage: &Stage) -> bool {
    let base = stage.effective_base();
    let lean_tag = base
        .tag
        .as_deref()
        .is_some_and(|t| t.split('-').any(|w| w == "slim" || w.starts_with("alpine")));
    let os = matches!(
        base.family().as_str(),
        "debian" | "ubuntu" | "alpine" | "centos" | "fedora" | "rockylinux" | "almalinux"
    );
    lean_tag || os || artifacts::family_of(stage).is_none()
}
