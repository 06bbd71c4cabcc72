//! ### PHP
//! `composer install`, `docker-php-ext-install` or `pecl install` on the
//! official `php` image (cli, fpm, apache; Debian or Alpine): PHP has no
//! slim variant, and the extensions the builder compiles
//! (`docker-php-ext-install`, `pecl install` + `docker-php-ext-enable`)
//! load only into the PHP they were built for, so the runtime is the same
//! image, as written. It gets the app folder with composer's `vendor/`, the
//! extensions and PHP's configuration (`/usr/local/lib/php/extensions`,
//! `/usr/local/etc/php`), Apache's configuration when a RUN changes it
//! (`a2enmod` …) and the runtime libraries of the `-dev` packages (apt
//! names for the Debian release; on Alpine the apk names of
//! `transforms/alpine-dev.toml`, unless the original removes the package
//! again with `apk del`); composer, git, the headers and the build tools
//! stay in the builder (`unzip` too, unless the command runs it). A `-dev`
//! package whose runtime library is not known for the tag's release stops
//! the split, named: `runtime-library-unknown`. A file without CMD on the
//! fpm or apache image runs the base's server, the same in the runtime. Dev
//! dependencies stay as the file installs them (`--no-dev` only when it
//! says so). When the builder installs nothing the runtime can leave
//! behind, the split would save nothing: `nothing-to-gain`. Composer's
//! `vendor/` must be known to land in the app folder (`php/composer.rs`):
//! every composer command runs in it, without `--working-dir`, `global` or
//! `create-project`; a composer.json at the context's root reads as JSON
//! (`context-unknown` otherwise); nothing moves composer's files
//! (`config.vendor-dir` or `bin-dir` in a composer.json of the context,
//! `COMPOSER_VENDOR_DIR`, `COMPOSER_BIN_DIR`, `COMPOSER`, a COPY renaming a
//! file to composer.json): `artifact-unknown`, named.

use super::{
    Build, Context, Findings, Plan, Recipe, Stage, analysis, app_folder, artifacts,
    builds_on_alpine, copy_from_builder, final_command, has_word, named_for, official_family,
    packages, recipes, release_problem, run_time_text, runtime_packages, runtime_setup, skip,
    stage_apt, strs,
};
use crate::reason::Reason;

mod composer;

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "PHP",
    detects,
    plan,
};

fn detects(build: &Build) -> bool {
    build.has("composer", "install")
        || build.words.iter().any(|w| w == "docker-php-ext-install")
        || build.has("pecl", "install")
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let (stage, scripts) = (build.stage, build.scripts);
    let r = &recipes().php;
    command_needs_no_composer(cx, stage, out)?;
    let family = official_family(stage, "php", out)?;
    let all = analysis::joined(scripts);
    let words = analysis::words(&all);
    let t = strs(&words);
    vendor_in_app_folder(stage, &t, out)?;
    let dir = php_app_folder(cx, stage, scripts, &t, out)?;
    composer::installs_into(cx, stage, &dir, &all, &t, out)?;
    let runtime = if builds_on_alpine(stage) {
        apk_packages_left_behind(cx, stage, &all, out)?
    } else {
        apt_packages_left_behind(cx, stage, out)?
    };
    let apache = t.iter().any(|w| r.apache_programs.iter().any(|p| p == w));
    let copies = runtime_copies(cx, &dir, apache);
    let why = carried_words(&t, &dir, apache, &runtime.named, runtime.dropped);
    let size = family.size("full");
    Some(Plan {
        ecosystem: "PHP",
        interpreted: true,
        runtime_base: stage.base_text.clone(),
        setup: runtime.setup,
        copies,
        sizes: (size, size),
        build_programs: &r.build_programs,
        why,
        ..Plan::default()
    })
}

/// `None` (after reporting) when the command runs composer (or another
/// build tool the runtime would need).
fn command_needs_no_composer(cx: &Context, stage: &Stage, out: &mut Findings) -> Option<()> {
    let cmd = final_command(cx, stage);
    match recipes()
        .php
        .composer_runtime_commands
        .iter()
        .find(|c| has_word(&cmd, c))
    {
        Some(c) => skip(
            out,
            stage.base_span.start,
            Reason::ToolchainAtRuntime,
            format!("the command runs `{c}`: the runtime needs it"),
        ),
        None => Some(()),
    }
}

/// `None` (after reporting) when packages may land outside the app folder:
/// a global composer or pear install (composer's own commands are read by
/// [`composer::installs_into`]).
fn vendor_in_app_folder(stage: &Stage, t: &[&str], out: &mut Findings) -> Option<()> {
    if t.windows(2).any(|w| w[0] == "composer" && w[1] == "global")
        || t.windows(2).any(|w| w[0] == "pear" && w[1] == "install")
    {
        return skip(
            out,
            stage.base_span.start,
            Reason::ArtifactUnknown,
            "a global composer or pear install writes outside the app folder: cannot tell what the runtime needs",
        );
    }
    Some(())
}

/// The app folder the runtime gets, with composer's `vendor/` in it
/// (`None` after reporting, or without a RUN).
fn php_app_folder(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    t: &[&str],
    out: &mut Findings,
) -> Option<String> {
    let (last_run, _) = scripts.last()?;
    // the extensions are often built before the WORKDIR that holds the app: then the final one
    let dir = match artifacts::workdir_at(cx, stage, *last_run).as_str() {
        "/" if artifacts::workdir_at(cx, stage, stage.instructions.end) != "/" => {
            artifacts::workdir_at(cx, stage, stage.instructions.end)
        }
        _ => app_folder(cx, stage, *last_run, out)?,
    };
    if t.iter().any(|w| w.starts_with("--prefix")) {
        return skip(
            out,
            stage.base_span.start,
            Reason::ArtifactUnknown,
            "an install with --prefix writes to a folder of its own: cannot tell that it is in the app folder",
        );
    }
    Some(dir)
}

/// The runtime's package set-up: its install line, the packages it names
/// (as the base's release names them) and those that stay in the builder.
struct RuntimePackages {
    setup: Vec<String>,
    named: Vec<String>,
    dropped: Vec<String>,
}

/// `None` (after reporting) when the builder leaves nothing behind.
fn nothing_left(stage: &Stage, dropped: &[String], out: &mut Findings) -> Option<()> {
    if dropped.is_empty() {
        return skip(
            out,
            stage.base_span.start,
            Reason::NothingToGain,
            format!(
                "the runtime would be {} again, and the builder installs no build tools or -dev headers to leave behind: a split would save only composer",
                stage.base_text
            ),
        );
    }
    Some(())
}

/// Debian: the apt packages the runtime installs, and those that stay in
/// the builder; `None` (after reporting) when none stay or a library's name
/// is not known for the release.
fn apt_packages_left_behind(
    cx: &Context,
    stage: &Stage,
    out: &mut Findings,
) -> Option<RuntimePackages> {
    let r = &recipes().php;
    let run_time = run_time_text(cx, stage);
    let installed = stage_apt(cx, stage);
    let mut packages = runtime_packages(&installed, &run_time);
    // composer's archive tools, unless what runs in the container uses them
    packages.retain(|p| !r.build_only.contains(p) || has_word(&run_time, p));
    let dropped: Vec<String> = installed
        .into_iter()
        .filter(|p| !packages.contains(p))
        .collect();
    nothing_left(stage, &dropped, out)?;
    if let Some(why) = release_problem(stage, &packages) {
        return skip(
            out,
            stage.base_span.start,
            Reason::RuntimeLibraryUnknown,
            why,
        );
    }
    Some(RuntimePackages {
        setup: runtime_setup(stage, &packages),
        named: named_for(stage, &packages),
        dropped,
    })
}

/// Alpine: the apk packages the runtime installs (the runtime libraries of
/// the `-dev` packages, `src/alpine.rs`), and those that stay in the
/// builder; `None` (after reporting) when none stay or a `-dev` package's
/// runtime library is not known for the tag's release.
fn apk_packages_left_behind(
    cx: &Context,
    stage: &Stage,
    all: &str,
    out: &mut Findings,
) -> Option<RuntimePackages> {
    let r = &recipes().php;
    let run_time = run_time_text(cx, stage);
    let parsed = crate::shell::Script::parse(all, &crate::shell::ShellEnv::default());
    let apk = match packages::apk_runtime_packages(stage, &parsed, &run_time) {
        Ok(p) => p,
        Err(why) => {
            return skip(
                out,
                stage.base_span.start,
                Reason::RuntimeLibraryUnknown,
                why,
            );
        }
    };
    let mut dropped = apk.left_behind;
    let mut keep = Vec::new();
    for p in apk.keep {
        // composer's archive tools, unless what runs in the container uses them
        if r.build_only.contains(&p) && !has_word(&run_time, &p) {
            dropped.push(p);
        } else {
            keep.push(p);
        }
    }
    nothing_left(stage, &dropped, out)?;
    Some(RuntimePackages {
        setup: packages::apk_install_line(&keep).into_iter().collect(),
        named: keep,
        dropped,
    })
}

/// The extensions and PHP's configuration, Apache's when a RUN changes it,
/// then the app folder.
fn runtime_copies(cx: &Context, dir: &str, apache: bool) -> Vec<String> {
    let r = &recipes().php;
    let mut copies: Vec<String> = r
        .extension_dirs
        .iter()
        .map(|d| copy_from_builder(cx, d, d))
        .collect();
    if apache {
        copies.push(copy_from_builder(cx, &r.apache_dir, &r.apache_dir));
    }
    copies.push(copy_from_builder(cx, dir, dir));
    copies
}

/// The message's words for what the runtime gets and what stays in the builder.
fn carried_words(
    t: &[&str],
    dir: &str,
    apache: bool,
    named: &[String],
    dropped: Vec<String>,
) -> String {
    let r = &recipes().php;
    let composer = t
        .windows(2)
        .any(|w| composer::is_composer(w[0]) && w[1] == "install");
    let dev = if t.contains(&"--no-dev") {
        "dev dependencies left out by --no-dev"
    } else {
        "dev dependencies kept: the file does not pass --no-dev"
    };
    let app = if composer {
        format!("the app folder {dir} with composer's vendor/ ({dev})")
    } else {
        format!("the app folder {dir}")
    };
    let mut why = format!(
        "the same base; {app}, the extensions and PHP configuration ({}){}",
        r.extension_dirs.join(", "),
        if apache {
            format!(", Apache's configuration {}", r.apache_dir)
        } else {
            String::new()
        }
    );
    if !named.is_empty() {
        why.push_str(&format!("; runtime libraries {}", named.join(", ")));
    }
    let mut left = dropped;
    if composer && !left.iter().any(|p| p == "composer") {
        left.insert(0, "composer".to_string());
    }
    why.push_str(&format!("; {} stay in the builder", left.join(", ")));
    why
}

/// True when the stage's base serves the app with its own command
/// (`php:…-fpm`, `php:…-apache`): a file without CMD runs that server.
pub(super) fn base_serves(stage: &Stage) -> bool {
    let tag = stage.effective_base().tag.as_deref().unwrap_or("");
    stage.effective_base().family() == "php"
        && tag.split('-').any(|w| matches!(w, "fpm" | "apache"))
}
