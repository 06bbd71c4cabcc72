//! ### Go
//! `go build` (the output named by `-o`, resolved against the command's own
//! folder after any `cd`, or by the package or module name): the binary on
//! `scratch` with CA certificates when cgo is off (`CGO_ENABLED=0` set, or
//! set by this pass because neither the sources, `vendor/`, nor the module
//! graph need cgo: `transforms/recipes.toml` lists well-known cgo modules);
//! otherwise on the builder's own libc: Alpine for an Alpine builder (musl),
//! Debian slim of the builder's suite for a Debian one, with CA certificates.
//! A shell-form command without shell syntax becomes exec form on scratch;
//! one that needs a shell (or a HEALTHCHECK) keeps a runtime with a shell.
//! Folders the app reads at run time (`template.ParseGlob("templates/*")`,
//! `http.Dir("static")`, …, or `templates/`, `static/`, … next to the
//! sources) are carried unless `//go:embed` embeds them. Without the build
//! context at hand the file is left alone: cgo and run-time files cannot be
//! checked.

use super::*;
use crate::context;
use crate::reason::Reason;
use crate::shell::{Script, ShellEnv};

/// The recipe: what it detects, and its plan.
pub(super) static RECIPE: Recipe = Recipe {
    name: "Go",
    detects,
    plan,
};

fn detects(build: &Build) -> bool {
    build.has("go", "build")
}

/// What the build context says about cgo and run-time files.
struct Sources {
    /// Some file imports "C", or go.mod requires a cgo module.
    cgo: Option<String>,
    /// Relative folders the app opens at run time (first path element).
    assets: Vec<String>,
    /// The scan was cut short: nothing can be concluded.
    cut: Option<String>,
}

fn plan(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
    out: &mut Findings,
) -> Option<Plan> {
    let at = stage.base_span.start;
    let r = &recipes().go;
    if toolchain_at_runtime(cx, stage, &[("go", "run")], out) {
        return None;
    }
    let binary = artifact_or_skip(artifacts::go_binary(cx, stage, scripts), stage, out)?;
    let Some(dir) = cx.build_context else {
        return skip(
            out,
            at,
            Reason::ContextUnknown,
            "no build context at hand: cannot check whether the app needs cgo or reads files of its source tree at run time",
        );
    };
    let sources = read_sources(dir);
    if let Some(why) = &sources.cut {
        return skip(
            out,
            at,
            Reason::ContextUnknown,
            format!("{why}: cannot check cgo and the files the app reads at run time"),
        );
    }
    let n = binary.built_by;
    let ins = &cx.doc.instructions[n];
    // the `go build` that writes the binary: its own CGO_ENABLED decides
    let wd = artifacts::workdir_at(cx, stage, n);
    let shell = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::at(&wd));
    let go = shell
        .commands
        .iter()
        .filter(|c| {
            c.program() == Some("go")
                && c.args().first().and_then(|w| w.value.as_deref()) == Some("build")
        })
        .find(|c| {
            c.flag_value(&["-o"])
                .and_then(|v| v.value)
                .and_then(|o| c.resolve(&o))
                .is_none_or(|o| o == binary.path)
        });
    let Some(go) = go else {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            "cannot tell which `go build` command writes the binary",
        );
    };
    let cgo_var = go
        .var("CGO_ENABLED")
        .map(str::to_string)
        .or_else(|| artifacts::env_value(cx, stage, "CGO_ENABLED"));
    let cgo_off = cgo_var.as_deref() == Some("0");
    let musl = stage
        .effective_base()
        .tag
        .as_deref()
        .is_some_and(|t| t.contains("alpine"));
    let mut builder_edits = Vec::new();
    let mut why = String::from("the Go binary");
    let dev_package = analysis::apt_packages(&analysis::joined(scripts))
        .into_iter()
        .find(|p| p.ends_with("-dev") && !recipes().packages.build_only.contains(p));
    let cgo_reason = sources
        .cgo
        .clone()
        .or_else(|| dev_package.map(|p| format!("the build installs {p}, a C library's headers")))
        .or_else(|| {
            cgo_var
                .as_deref()
                .filter(|v| *v != "0")
                .map(|v| format!("CGO_ENABLED={v}"))
        });
    let statically = if cgo_off {
        true
    } else if let Some(reason) = &cgo_reason {
        why.push_str(&format!(" (cgo stays on: {reason})"));
        false
    } else {
        // set CGO_ENABLED=0 on that go build command
        let start = go
            .assignments
            .first()
            .and_then(|a| a.value.span.as_ref().map(|s| s.start - a.name.len() - 1))
            .or_else(|| {
                go.words
                    .first()
                    .and_then(|w| w.span.as_ref().map(|s| s.start))
            });
        match start {
            Some(s) => {
                builder_edits.push(Edit::insert(s, "CGO_ENABLED=0 "));
                why.push_str(" (CGO_ENABLED=0 set: neither the sources nor the modules use cgo)");
                true
            }
            None => false,
        }
    };
    let command = Command::read(cx, stage);
    let binary_name = binary.path.rsplit('/').next().unwrap_or("");
    let runs_other = command.program.as_deref().is_some_and(|p| {
        let abs = artifacts::join(&artifacts::workdir_at(cx, stage, stage.instructions.end), p);
        p.rsplit('/').next() != Some(binary_name) || (p.contains('/') && abs != binary.path)
    });
    if runs_other && musl {
        return skip(
            out,
            at,
            Reason::NotYet,
            "the command runs something other than the Go binary (a script?) and the builder is Alpine: its interpreter cannot be checked",
        );
    }
    // packages the runtime needs (apt) or that only an Alpine runtime could install (apk)
    let apt_runtime = stage_packages(cx, stage, scripts);
    let apk_runtime: Vec<String> = apk_packages(cx, stage)
        .into_iter()
        .filter(|p| !APK_BUILD_ONLY.contains(&p.as_str()) && !p.ends_with("-dev"))
        .collect();
    let tzdata = apt_runtime
        .iter()
        .chain(&apk_runtime)
        .any(|p| p == "tzdata");
    let needs_packages = apt_runtime
        .iter()
        .any(|p| p != "tzdata" && p != "ca-certificates")
        || apk_runtime
            .iter()
            .any(|p| p != "tzdata" && p != "ca-certificates");
    if needs_packages && musl {
        return skip(
            out,
            at,
            Reason::NotYet,
            format!(
                "the runtime needs Alpine packages ({}): apk installs in the runtime are not planned yet",
                apk_runtime.join(", ")
            ),
        );
    }
    let needs_shell = command.needs_shell
        || runs_other
        || needs_packages
        || stage
            .instructions
            .clone()
            .any(|i| cx.doc.instructions[i].keyword == Keyword::Healthcheck);
    if tzdata {
        why.push_str("; time zones (tzdata)");
    }
    let (runtime, runtime_mb, packages) = if statically && !needs_shell {
        why.push_str(" and CA certificates on scratch");
        (r.static_runtime.clone(), Some(0.0), Vec::new())
    } else if musl {
        let version = alpine_version(stage);
        why.push_str(&format!(
            " on alpine:{version}, the builder's libc (musl){}",
            if needs_shell { ", with a shell" } else { "" }
        ));
        let alpine = catalog::catalog()
            .named("alpine")
            .and_then(|f| f.size("full"));
        (format!("alpine:{version}"), alpine, Vec::new())
    } else {
        why.push_str(if statically {
            " on Debian slim (the command needs a shell)"
        } else {
            " on Debian slim (glibc, as it was built)"
        });
        let Some(suite) = suite_of(stage) else {
            return skip(
                out,
                at,
                Reason::ReleaseUnknown,
                format!(
                    "the tag of {} does not name its Debian release, and a binary linked against glibc must run on the release it was built on: name the release in the tag (e.g. `-bookworm`)",
                    stage.base_text
                ),
            );
        };
        let packages = apt_runtime.clone();
        let slim = catalog::catalog()
            .named("debian")
            .and_then(|f| f.size("slim"));
        (r.dynamic_runtime.replace("{suite}", suite), slim, packages)
    };
    let apk_dev = analysis::joined(scripts)
        .split_whitespace()
        .any(|w| w.ends_with("-dev") && !matches!(w, "musl-dev" | "linux-headers"));
    if musl && apk_dev && !statically {
        return skip(
            out,
            at,
            Reason::NotYet,
            "a cgo build on Alpine with -dev packages: their runtime libraries are not mapped for apk yet",
        );
    }
    let mut plan = Plan::new("Go", runtime, why);
    plan.builder_edits = builder_edits;
    plan.setup = runtime_setup(stage, &packages);
    plan.sizes = (builder_size(stage), runtime_mb);
    plan.copies.push(format!(
        "COPY --from={{builder}} {} /etc/ssl/certs/",
        r.ca_certificates
    ));
    if tzdata && (runtime_mb == Some(0.0) || musl) {
        plan.copies.push(copy_from_builder(
            cx,
            "/usr/share/zoneinfo",
            "/usr/share/zoneinfo",
        ));
    }
    // a bare command name is looked up on PATH: put the binary where the runtime finds it
    let dest = match command.program.as_deref() {
        Some(p)
            if !p.contains('/')
                && binary.path.rsplit('/').next() == Some(p)
                && !on_default_path(&binary.path) =>
        {
            format!("/usr/local/bin/{p}")
        }
        _ => binary.path.clone(),
    };
    plan.copies.push(copy_from_builder(cx, &binary.path, &dest));
    let workdir = artifacts::workdir_at(cx, stage, stage.instructions.end);
    if !sources.assets.is_empty() && !context_root_at(cx, stage, &workdir) {
        return skip(
            out,
            at,
            Reason::RuntimeAssets,
            format!(
                "the app reads {} at run time, and the build context is not copied into {workdir}, where it runs",
                sources.assets.join(", ")
            ),
        );
    }
    for asset in &sources.assets {
        let path = artifacts::join(&workdir, asset);
        plan.copies.push(copy_from_builder(cx, &path, &path));
        plan.why.push_str(&format!("; {path} (read at run time)"));
    }
    if !needs_shell {
        plan.command_rewrites = command.exec_forms;
    }
    if runs_other {
        plan.why
            .push_str("; the command runs a script, so the runtime keeps a shell");
    }
    Some(plan)
}

/// True when a `COPY . DIR` puts the build context's root at `dir`.
fn context_root_at(cx: &Context, stage: &Stage, dir: &str) -> bool {
    let workdirs = artifacts::workdirs(cx, stage);
    stage.instructions.clone().any(|i| {
        let ins = &cx.doc.instructions[i];
        let w = ins.words();
        matches!(ins.keyword, Keyword::Copy | Keyword::Add)
            && ins.flag("from").is_none()
            && w.len() == 2
            && matches!(w[0].value.as_str(), "." | "./")
            && artifacts::join(&workdirs[i - stage.instructions.start], &w[1].value) == dir
    })
}

/// apk packages that only build things.
const APK_BUILD_ONLY: &[&str] = &[
    "git",
    "gcc",
    "g++",
    "make",
    "musl-dev",
    "build-base",
    "linux-headers",
    "binutils",
    "upx",
    "pkgconf",
    "pkgconfig",
    "curl",
    "wget",
    "bash",
    "openssh",
    "openssh-client",
    "ca-certificates",
    "gcompat",
    "libc6-compat",
    "protobuf",
    "protoc",
    "nodejs",
    "npm",
    "yarn",
];

/// Packages `apk add` installs in the stage (virtual groups' members included).
fn apk_packages(cx: &Context, stage: &Stage) -> Vec<String> {
    let mut out = Vec::new();
    for n in stage.instructions.clone() {
        let ins = &cx.doc.instructions[n];
        if ins.keyword != Keyword::Run {
            continue;
        }
        let script = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::default());
        for i in script.installs() {
            if i.manager == crate::shell::Manager::Apk {
                out.extend(i.packages.iter().map(|p| p.name.clone()));
            }
        }
    }
    out
}

/// True when `path`'s folder is on the PATH a container gets by default.
fn on_default_path(path: &str) -> bool {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    matches!(
        dir,
        "/usr/local/sbin" | "/usr/local/bin" | "/usr/sbin" | "/usr/bin" | "/sbin" | "/bin"
    )
}

/// `alpine3.19` in a golang tag → `3.19`; otherwise `3`.
fn alpine_version(stage: &Stage) -> String {
    let tag = stage.effective_base().tag.clone().unwrap_or_default();
    tag.split('-')
        .find_map(|w| w.strip_prefix("alpine").filter(|v| !v.is_empty()))
        .unwrap_or("3")
        .to_string()
}

/// The final command: whether it needs a shell, and exec forms for shell
/// forms that need none.
struct Command {
    program: Option<String>,
    needs_shell: bool,
    /// (instruction index, exec-form replacement) for CMD/ENTRYPOINT.
    exec_forms: Vec<(usize, String)>,
}

impl Command {
    fn read(cx: &Context, stage: &Stage) -> Command {
        let mut c = Command {
            program: None,
            needs_shell: false,
            exec_forms: Vec::new(),
        };
        for kw in [Keyword::Entrypoint, Keyword::Cmd] {
            let Some(n) = stage
                .instructions
                .clone()
                .rev()
                .find(|&n| cx.doc.instructions[n].keyword == kw)
            else {
                continue;
            };
            let ins = &cx.doc.instructions[n];
            match &ins.args {
                crate::syntax::Args::Exec(argv) => {
                    let p = argv.first().map(|a| crate::shell::basename(a).to_string());
                    if p.as_deref()
                        .is_some_and(|p| matches!(p, "sh" | "bash" | "ash" | "dash"))
                    {
                        c.needs_shell = true;
                    }
                    if kw == Keyword::Entrypoint || c.program.is_none() {
                        c.program = argv.first().cloned();
                    }
                }
                crate::syntax::Args::Words(_) if kw == Keyword::Entrypoint => {
                    // a shell-form ENTRYPOINT ignores CMD and run arguments: keep it, and a shell
                    c.needs_shell = true;
                }
                crate::syntax::Args::Words(_) => {
                    let script = Script::parse(ins.rest_text(), &ShellEnv::default());
                    let plain = script.commands.len() == 1
                        && !script.opaque_parts
                        && script.commands[0].redirects.is_empty()
                        && script.commands[0].assignments.is_empty()
                        && script.commands[0]
                            .words
                            .iter()
                            .all(|w| w.value.is_some() && !w.pattern);
                    if !plain {
                        c.needs_shell = true;
                        continue;
                    }
                    let argv: Vec<String> = script.commands[0]
                        .words
                        .iter()
                        .filter_map(|w| w.value.clone())
                        .collect();
                    if kw == Keyword::Entrypoint || c.program.is_none() {
                        c.program = argv.first().cloned();
                    }
                    let has_entrypoint = stage
                        .instructions
                        .clone()
                        .any(|i| cx.doc.instructions[i].keyword == Keyword::Entrypoint);
                    if has_entrypoint {
                        c.needs_shell = true;
                        continue;
                    }
                    let json = format!(
                        "[{}]",
                        argv.iter()
                            .map(|a| serde_json::to_string(a).unwrap_or_default())
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    c.exec_forms
                        .push((n, format!("{} {json}", ins.keyword.as_str())));
                }
            }
        }
        c
    }
}

/// Reads the build context's Go sources (bounded): cgo use and run-time files.
fn read_sources(dir: &std::path::Path) -> Sources {
    let r = &recipes().go;
    let scan = context::scan(dir, &[".go", "go.mod"]);
    let mut s = Sources {
        cgo: None,
        assets: Vec::new(),
        cut: scan
            .cut
            .map(|c| format!("the build context scan stopped early ({c})")),
    };
    if !scan
        .files
        .iter()
        .any(|(p, _)| p.extension().is_some_and(|e| e == "go"))
    {
        s.cut = Some("the build context has no Go sources (are they fetched by a RUN?)".into());
    }
    let mut embedded: Vec<String> = Vec::new();
    let mut opened: Vec<String> = Vec::new();
    for (path, text) in &scan.files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "go.mod" {
            if s.cgo.is_none()
                && let Some(m) = r.cgo_modules.iter().find(|m| {
                    text.lines().any(|l| {
                        let l = l.trim().trim_start_matches("require").trim();
                        l.split_whitespace().next() == Some(m.as_str())
                    })
                })
            {
                s.cgo = Some(format!("go.mod requires {m}"));
            }
            continue;
        }
        if s.cgo.is_none() && (text.contains("import \"C\"") || text.contains("\t\"C\"\n")) {
            let rel = path.strip_prefix(dir).unwrap_or(path);
            s.cgo = Some(format!("{} imports \"C\"", rel.display()));
        }
        for line in text.lines() {
            let t = line.trim();
            if let Some(rest) = t.strip_prefix("//go:embed") {
                embedded.extend(rest.split_whitespace().map(first_segment));
                continue;
            }
            for call in [
                "ParseGlob(",
                "ParseFiles(",
                "LoadHTMLGlob(",
                "LoadHTMLFiles(",
                "http.Dir(",
                "Static(",
                "StaticFile(",
                "os.Open(",
                "os.ReadFile(",
                "ioutil.ReadFile(",
                "os.ReadDir(",
                "godotenv.Load(",
                "AddConfigPath(",
                "SetConfigFile(",
            ] {
                let mut rest = t;
                while let Some(i) = rest.find(call) {
                    rest = &rest[i + call.len()..];
                    // the first string literal among the arguments
                    let args = rest.split(')').next().unwrap_or("");
                    if let Some(lit) = args.split('"').nth(1)
                        && !lit.starts_with('/')
                    {
                        opened.push(first_segment(lit));
                    }
                }
            }
        }
    }
    for d in [
        "templates",
        "static",
        "public",
        "assets",
        "views",
        "web",
        "locales",
        "migrations",
    ] {
        if dir.join(d).is_dir() {
            opened.push(d.to_string());
        }
    }
    opened.sort();
    opened.dedup();
    if opened.iter().any(|a| a.is_empty() || a == "." || a == "..") {
        s.cut = Some("the app opens files in its working folder, which cannot be narrowed".into());
    }
    s.assets = opened
        .into_iter()
        .filter(|a| !a.is_empty() && a != "." && a != ".." && !embedded.contains(a))
        .filter(|a| !a.contains(['*', '?', '[', '$']))
        .filter(|a| dir.join(a).exists())
        .collect();
    s
}

/// `templates/*.html` → `templates`; `./static` → `static`.
fn first_segment(p: &str) -> String {
    p.trim_start_matches("./")
        .split('/')
        .next()
        .unwrap_or("")
        .to_string()
}
