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
//! vendor folder must be known to sit in the app folder: a stage that runs
//! composer needs a composer.json at the context's root that reads as JSON
//! (`context-unknown` otherwise), and one that may move the folder
//! (`config.vendor-dir`, `COMPOSER_VENDOR_DIR`, `COMPOSER`, `--working-dir`)
//! is left alone (`artifact-unknown`).

use super::{
    Build, Context, Findings, Keyword, Plan, Recipe, Stage, analysis, app_folder, artifacts,
    builds_on_alpine, copy_from_builder, final_command, has_word, named_for, official_family,
    packages, recipes, release_problem, run_time_text, runtime_packages, runtime_setup, skip,
    stage_apt, strs,
};
use crate::reason::Reason;

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
    vendor_in_app_folder(cx, stage, &all, &t, out)?;
    let dir = php_app_folder(cx, stage, scripts, &t, out)?;
    composer_json_read(cx, stage, &t, out)?;
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
/// a global composer or pear install, or a vendor folder configured elsewhere.
fn vendor_in_app_folder(
    cx: &Context,
    stage: &Stage,
    script: &str,
    t: &[&str],
    out: &mut Findings,
) -> Option<()> {
    let at = stage.base_span.start;
    if t.windows(2).any(|w| w[0] == "composer" && w[1] == "global")
        || t.windows(2).any(|w| w[0] == "pear" && w[1] == "install")
    {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            "a global composer or pear install writes outside the app folder: cannot tell what the runtime needs",
        );
    }
    if moves_vendor_dir(cx, stage, script) || vendor_dir_configured(cx) == Some(true) {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            "composer's vendor folder is configured elsewhere (COMPOSER_VENDOR_DIR, COMPOSER, config.vendor-dir, --working-dir): not splitting",
        );
    }
    Some(())
}

/// `None` (after reporting) when the stage runs composer and the context
/// has no composer.json at its root that reads as JSON: where composer puts
/// the vendor folder is then unknown.
fn composer_json_read(cx: &Context, stage: &Stage, t: &[&str], out: &mut Findings) -> Option<()> {
    if !runs_composer(t) || vendor_dir_configured(cx).is_some() {
        return Some(());
    }
    let why = if cx.read("composer.json").is_none() {
        "no composer.json in the build context: cannot tell where composer puts the vendor folder (config.vendor-dir)"
    } else {
        "composer.json is not valid JSON: cannot tell where composer puts the vendor folder (config.vendor-dir)"
    };
    skip(out, stage.base_span.start, Reason::ContextUnknown, why)
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
    if t.iter()
        .any(|w| *w == "-d" || w.starts_with("--working-dir") || w.starts_with("--prefix"))
    {
        return skip(
            out,
            stage.base_span.start,
            Reason::ArtifactUnknown,
            "composer runs in a folder of its own (-d, --working-dir): cannot tell that vendor/ is in the app folder",
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
        .any(|w| w[0] == "composer" && w[1] == "install");
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

/// Whether the context's composer.json moves the vendor folder
/// (`config.vendor-dir`); `None` when there is no composer.json at the
/// context's root, or it is not JSON.
fn vendor_dir_configured(cx: &Context) -> Option<bool> {
    let text = cx.read("composer.json")?;
    let v = serde_json::from_str::<serde_json::Value>(&text).ok()?;
    Some(!v["config"]["vendor-dir"].is_null())
}

/// True when a command of the stage runs composer (`composer …`,
/// `php composer.phar …`, a path to either).
fn runs_composer(t: &[&str]) -> bool {
    t.iter().any(|w| {
        let name = w.rsplit('/').next().unwrap_or(w);
        matches!(name, "composer" | "composer.phar")
    })
}

/// True when the stage may move composer's vendor folder or its
/// composer.json away from the app folder: `COMPOSER_VENDOR_DIR` or
/// `COMPOSER` (another composer.json) set by an ENV, an ARG or a RUN,
/// `composer config vendor-dir`, or composer run in another folder
/// (`--working-dir`, `-d`).
fn moves_vendor_dir(cx: &Context, stage: &Stage, script: &str) -> bool {
    let sets = |text: &str, name: &str| {
        text.match_indices(name).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + name.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && matches!(after, Some('=' | ' ' | '\t'))
        })
    };
    let in_stage = stage.instructions.clone().any(|n| {
        let ins = &cx.doc.instructions[n];
        match ins.keyword {
            Keyword::Env | Keyword::Arg => crate::model::arg_pairs(ins)
                .iter()
                .any(|(k, _)| k == "COMPOSER_VENDOR_DIR" || k == "COMPOSER"),
            Keyword::Run => {
                let text = ins.logical.text.as_str();
                text.contains("COMPOSER_VENDOR_DIR") || sets(text, "COMPOSER")
            }
            _ => false,
        }
    });
    in_stage
        || analysis::command_words(script).iter().any(|words| {
            // the words after composer's name: php's own `-d ini=…` comes before it
            let Some(at) = words.iter().position(|w| runs_composer(&[w.as_str()])) else {
                return false;
            };
            words[at + 1..]
                .iter()
                .any(|w| w == "vendor-dir" || w.starts_with("-d") || w.starts_with("--working-dir"))
        })
}

/// True when the stage's base serves the app with its own command
/// (`php:…-fpm`, `php:…-apache`): a file without CMD runs that server.
pub(super) fn base_serves(stage: &Stage) -> bool {
    let tag = stage.effective_base().tag.as_deref().unwrap_or("");
    stage.effective_base().family() == "php"
        && tag.split('-').any(|w| matches!(w, "fpm" | "apache"))
}
