//! ### Ruby
//! `bundle install` on the official `ruby` image: the runtime, on the
//! `-slim` image of the same tag, gets the gems (`GEM_HOME` and
//! `BUNDLE_APP_CONFIG`, `/usr/local/bundle`, with bundler's configuration;
//! a `BUNDLE_PATH` of its own outside the app; `/root/.bundle` when
//! `bundle config` writes the global configuration) and the app folder.
//! Compiled gems run only on the Ruby they were built for, so the tag must
//! name the minor version (`ruby:3.3`, else `version-unpinned`); the slim
//! image of the same tag is the same Ruby on the same Debian release. Gems
//! that link a library the full image has and slim lacks (`pg` → libpq5,
//! `mysql2`, `rmagick` …, read from Gemfile.lock or the Gemfile: without
//! them, `context-unknown`) get it installed, like the runtime libraries of
//! the `-dev` packages. When the file runs the app in production
//! (`RAILS_ENV`/`RACK_ENV`/`APP_ENV=production`), configures no group
//! itself and neither the build nor the command runs rake or tests, both
//! stages get `BUNDLE_WITHOUT="development:test"`; otherwise every group
//! installed stays. Node.js, installed to compile assets, stays in the
//! builder unless Gemfile.lock has `execjs` or the command runs it.

use super::{
    Build, Context, Edit, Findings, Keyword, Plan, Recipe, Stage, analysis, app_folder, artifacts,
    copy_from_builder, final_command, named_for, official_family, recipes, release_problem,
    run_time_text, runtime_packages, runtime_setup, skip, stage_apt, variant_of,
};
use crate::reason::Reason;
use crate::shell::{Script, ShellEnv};

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "Ruby",
    detects,
    plan,
};

fn detects(build: &Build) -> bool {
    build.has("bundle", "install")
}

/// The recipe's plan, from the stage as [`plan`](super::plan) read it.
fn plan(cx: &Context, build: &Build, out: &mut Findings) -> Option<Plan> {
    let (stage, scripts) = (build.stage, build.scripts);
    let r = &recipes().ruby;
    let cmd = final_command(cx, stage);
    command_builds_nothing(stage, &cmd, out)?;
    let family = official_family(stage, "ruby", out)?;
    minor_version_pinned(stage, out)?;
    let all = analysis::joined(scripts);
    let commands = command_words(&all);
    gems_leave_ruby_alone(stage, &commands, out)?;
    let (last_run, _) = scripts.last()?;
    let dir = app_folder(cx, stage, *last_run, out)?;
    let base = variant_of(cx, stage, family, out)?;
    let dirs = gem_folders(cx, stage, &commands, &dir, out)?;
    let (packages, native) = gem_packages(cx, stage, out)?;
    let setup = runtime_setup(stage, &packages);
    let mut why = format!(
        "the gems {} (bundle install) and the app folder {dir}",
        dirs.join(", ")
    );
    let (builder_edits, env) = leave_out_dev_groups(cx, stage, &all, &cmd, &mut why);
    if !packages.is_empty() {
        why.push_str(&format!(
            "; runtime libraries {}",
            named_for(stage, &packages).join(", ")
        ));
    }
    if !native.is_empty() {
        why.push_str(&format!(" ({})", native.join(", ")));
    }
    let mut copies: Vec<String> = dirs.iter().map(|d| copy_from_builder(cx, d, d)).collect();
    copies.push(copy_from_builder(cx, &dir, &dir));
    Some(Plan {
        ecosystem: "Ruby",
        interpreted: true,
        runtime_base: base,
        builder_edits,
        setup,
        copies,
        env,
        sizes: (family.size("full"), family.size("slim")),
        build_programs: &r.build_programs,
        why,
        ..Plan::default()
    })
}

/// `None` (after reporting) when the command installs gems or compiles
/// assets: the runtime would need the build tools.
fn command_builds_nothing(stage: &Stage, cmd: &str, out: &mut Findings) -> Option<()> {
    match [
        "bundle install",
        "bundle update",
        "gem install",
        "assets:precompile",
    ]
    .into_iter()
    .find(|c| cmd.contains(c))
    {
        Some(c) => skip(
            out,
            stage.base_span.start,
            Reason::ToolchainAtRuntime,
            format!("the command runs `{c}`: the runtime needs the build tools"),
        ),
        None => Some(()),
    }
}

/// `None` (after reporting) when a `gem` command other than `gem install`
/// changes Ruby's own files (`gem update --system`), which slim lacks.
fn gems_leave_ruby_alone(
    stage: &Stage,
    commands: &[Vec<String>],
    out: &mut Findings,
) -> Option<()> {
    match commands
        .iter()
        .find(|w| w.first().is_some_and(|p| p == "gem") && w.get(1).is_some_and(|s| s != "install"))
    {
        Some(c) => skip(
            out,
            stage.base_span.start,
            Reason::EffectUnknown,
            format!(
                "`{}` changes Ruby's own files, which the slim image does not get",
                c.join(" ")
            ),
        ),
        None => Some(()),
    }
}

/// The folders the gems and bundler's configuration live in, outside the
/// app folder `dir` (`None` after reporting a path with a variable).
fn gem_folders(
    cx: &Context,
    stage: &Stage,
    commands: &[Vec<String>],
    dir: &str,
    out: &mut Findings,
) -> Option<Vec<String>> {
    let mut dirs = vec![recipes().ruby.bundle_dir.clone()];
    for place in bundle_locations(cx, stage, commands) {
        let Some(place) = place else {
            return skip(
                out,
                stage.base_span.start,
                Reason::ArtifactUnknown,
                "the gems go to a path written with a variable: cannot tell what to copy",
            );
        };
        let p = artifacts::join(dir, &place);
        if !under_dir(&p, dir) && !dirs.iter().any(|d| under_dir(&p, d)) {
            dirs.push(p);
        }
    }
    if global_bundle_config(commands) {
        dirs.push("/root/.bundle".to_string());
    }
    Some(dirs)
}

/// The apt packages the runtime installs (the `-dev` packages' runtime
/// libraries, and those the locked gems link), with the words naming the
/// gems' ones; `None` after reporting.
fn gem_packages(
    cx: &Context,
    stage: &Stage,
    out: &mut Findings,
) -> Option<(Vec<String>, Vec<String>)> {
    let r = &recipes().ruby;
    let at = stage.base_span.start;
    let Some(gems) = locked_gems(cx) else {
        return skip(
            out,
            at,
            Reason::ContextUnknown,
            "no Gemfile.lock or Gemfile in the build context: cannot tell which gems link libraries the slim image lacks",
        );
    };
    let run_time = run_time_text(cx, stage);
    let mut packages = runtime_packages(&stage_apt(cx, stage), &run_time);
    // Node.js compiles the assets; the app needs it only through execjs (or a command that runs it)
    let js_at_run_time = gems.iter().any(|g| g == "execjs")
        || analysis::words(&run_time)
            .iter()
            .any(|w| r.asset_packages.iter().any(|p| p == w) || w == "node");
    if !js_at_run_time {
        packages.retain(|p| !r.asset_packages.contains(p));
    }
    let mut native: Vec<String> = Vec::new();
    for (gem, package) in &r.native_gems {
        if gems.contains(gem) {
            native.push(format!("{package} for `{gem}`"));
            if !packages.contains(package) {
                packages.push(package.clone());
            }
        }
    }
    if let Some(why) = release_problem(stage, &packages) {
        return skip(out, at, Reason::RuntimeLibraryUnknown, why);
    }
    Some((packages, native))
}

/// `BUNDLE_WITHOUT="development:test"` for both stages when the dev
/// groups can be left out (the builder edit and the runtime's ENV line),
/// said in `why` either way.
fn leave_out_dev_groups(
    cx: &Context,
    stage: &Stage,
    all: &str,
    cmd: &str,
    why: &mut String,
) -> (Vec<Edit>, Vec<String>) {
    let mut builder_edits = Vec::new();
    let mut env = Vec::new();
    match without_dev_groups(cx, stage, all, cmd) {
        Some(reason) => {
            let line = "ENV BUNDLE_WITHOUT=\"development:test\"";
            builder_edits.push(crate::passes::edits::insert_after(
                cx,
                &cx.doc.instructions[stage.from],
                &format!(
                    "# install without the development and test gems ({reason}; slimfile split-stages)\n{line}"
                ),
            ));
            env.push(line.to_string());
            why.push_str(&format!(
                "; without the development and test gems ({reason})"
            ));
        }
        None => why.push_str("; every gem group the file installs kept"),
    }
    (builder_edits, env)
}

/// `None` (after reporting) unless the tag names Ruby's minor version: a
/// compiled gem loads only into the Ruby it was built for.
fn minor_version_pinned(stage: &Stage, out: &mut Findings) -> Option<()> {
    let tag = stage.effective_base().tag.as_deref().unwrap_or("latest");
    let version = tag.split('-').next().unwrap_or("");
    let mut parts = version.split('.');
    let pinned = parts.next().is_some_and(|p| p.parse::<u32>().is_ok())
        && parts.next().is_some_and(|p| p.parse::<u32>().is_ok());
    if pinned {
        return Some(());
    }
    skip(
        out,
        stage.base_span.start,
        Reason::VersionUnpinned,
        format!(
            "{} does not name Ruby's minor version, and compiled gems run only on the Ruby they were built for: pin it (e.g. `ruby:3.3`)",
            stage.base_text
        ),
    )
}

/// The argv of every simple command of the scripts (quotes removed).
fn command_words(all: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in all.lines() {
        for c in &Script::parse(line, &ShellEnv::default()).commands {
            let Some(i) = c.program_index() else {
                continue;
            };
            out.push(
                c.words[i..]
                    .iter()
                    .map(|w| w.value.clone().unwrap_or_else(|| w.raw.clone()))
                    .collect(),
            );
        }
    }
    out
}

/// True when `path` is `dir` or under it.
fn under_dir(path: &str, dir: &str) -> bool {
    path == dir || path.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

/// Where else bundler installs or keeps its configuration: `GEM_HOME`,
/// `BUNDLE_PATH`, `BUNDLE_APP_CONFIG` set by ENV, `bundle config … path X`,
/// `bundle install --path X`; `None` for a value with a variable.
fn bundle_locations(cx: &Context, stage: &Stage, commands: &[Vec<String>]) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for n in stage.instructions.clone() {
        let ins = &cx.doc.instructions[n];
        if ins.keyword != Keyword::Env {
            continue;
        }
        for (k, v) in crate::model::arg_pairs(ins) {
            if matches!(k.as_str(), "GEM_HOME" | "BUNDLE_PATH" | "BUNDLE_APP_CONFIG") {
                let v = v.map(|v| v.trim_matches('"').to_string());
                out.push(v.filter(|v| !v.contains('$') && !v.is_empty()));
            }
        }
    }
    for w in commands
        .iter()
        .filter(|w| w.first().is_some_and(|p| p == "bundle"))
    {
        let config = w.get(1).is_some_and(|s| s == "config");
        for (i, word) in w.iter().enumerate() {
            let value = if let Some(v) = word.strip_prefix("--path=") {
                Some(v.to_string())
            } else if word == "--path" || (config && word == "path") {
                w.get(i + 1).cloned()
            } else {
                None
            };
            if let Some(v) = value {
                out.push((!v.contains('$')).then_some(v));
            }
        }
    }
    out
}

/// True when a `bundle config` writes the global configuration
/// (`$HOME/.bundle/config`), which the runtime must get too.
fn global_bundle_config(commands: &[Vec<String>]) -> bool {
    commands.iter().any(|w| {
        w.first().is_some_and(|p| p == "bundle")
            && w.get(1).is_some_and(|s| s == "config")
            && !w.iter().any(|a| a == "--local")
            && !w
                .get(2)
                .is_some_and(|s| matches!(s.as_str(), "get" | "list"))
            && w.len() > 3
    })
}

/// Why the development and test groups can be left out, if they can: the
/// app runs in production, the file configures no group itself, and
/// neither the build nor the command runs rake, tests or a console.
fn without_dev_groups(cx: &Context, stage: &Stage, all: &str, cmd: &str) -> Option<String> {
    let r = &recipes().ruby;
    let mut production = None;
    for n in stage.instructions.clone() {
        let ins = &cx.doc.instructions[n];
        if !matches!(ins.keyword, Keyword::Env | Keyword::Arg) {
            continue;
        }
        for (k, v) in crate::model::arg_pairs(ins) {
            if k.starts_with("BUNDLE_WITHOUT") || k == "BUNDLE_ONLY" || k == "BUNDLE_WITH" {
                return None;
            }
            if r.environment_variables.contains(&k)
                && v.as_deref().map(|v| v.trim_matches('"')) == Some("production")
            {
                production = Some(format!("{k}=production"));
            }
        }
    }
    if analysis::words(all).iter().any(|w| {
        matches!(
            w.as_str(),
            "without" | "--without" | "with" | "--with" | "only"
        )
    }) {
        return None;
    }
    let busy = |text: &str| {
        analysis::words(text).iter().any(|w| {
            r.dev_group_commands
                .iter()
                .any(|c| w == c || w.starts_with(c.as_str()) || w.ends_with(&format!("/{c}")))
        })
    };
    if busy(cmd) || busy(all) {
        return None;
    }
    production
}

/// The gem names of the context's Gemfile.lock (every `name (version)`
/// line), else the `gem "name"` lines of its Gemfile; `None` without either.
fn locked_gems(cx: &Context) -> Option<Vec<String>> {
    if let Some(lock) = cx.read("Gemfile.lock") {
        return Some(
            lock.lines()
                .filter_map(|l| {
                    let l = l.trim();
                    let (name, rest) = l.split_once(' ')?;
                    rest.starts_with('(').then(|| name.to_string())
                })
                .collect(),
        );
    }
    let gemfile = cx.read("Gemfile")?;
    Some(
        gemfile
            .lines()
            .filter_map(|l| {
                let rest = l.trim().strip_prefix("gem ")?;
                let name = rest.trim().split([',', ' ']).next()?;
                Some(name.trim_matches(['"', '\'']).to_string())
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_config_scopes() {
        let global = command_words("bundle config set without 'development test'");
        assert!(global_bundle_config(&global));
        let local = command_words("bundle config set --local without development");
        assert!(!global_bundle_config(&local));
        let read = command_words("bundle config");
        assert!(!global_bundle_config(&read));
    }
}
