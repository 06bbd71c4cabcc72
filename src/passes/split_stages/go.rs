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
use crate::shell::{Command as ShellCommand, Script, ShellEnv};

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
    if toolchain_at_runtime(cx, stage, &[("go", "run")], out) {
        return None;
    }
    let binary = artifact_or_skip(artifacts::go_binary(cx, stage, scripts), stage, out)?;
    let sources = context_sources(cx, at, out)?;
    // the `go build` that writes the binary: its own CGO_ENABLED decides
    let n = binary.built_by;
    let wd = artifacts::workdir_at(cx, stage, n);
    let shell = Script::of(
        cx.text,
        &cx.doc.instructions[n],
        cx.doc.escape,
        &ShellEnv::at(&wd),
    );
    let Some(go) = writing_go_build(&shell, &binary) else {
        return skip(
            out,
            at,
            Reason::ArtifactUnknown,
            "cannot tell which `go build` command writes the binary",
        );
    };
    let musl = stage
        .effective_base()
        .tag
        .as_deref()
        .is_some_and(|t| t.contains("alpine"));
    let mut why = String::from("the Go binary");
    let linking = Linking::decide(cx, stage, scripts, &sources, go, &mut why);
    let command = Command::read(cx, stage);
    let runs_other = runs_other_program(cx, stage, &command, &binary);
    let packages = RuntimePackages::of(cx, stage, scripts);
    if musl {
        alpine_runtime_possible(runs_other, &packages, at, out)?;
    }
    let needs_shell = command.needs_shell
        || runs_other
        || packages.needs_more
        || stage
            .instructions
            .clone()
            .any(|i| cx.doc.instructions[i].keyword == Keyword::Healthcheck);
    if packages.tzdata {
        why.push_str("; time zones (tzdata)");
    }
    let runtime = Runtime::choose(
        stage,
        linking.statically,
        needs_shell,
        musl,
        &packages.apt,
        &mut why,
        out,
    )?;
    if musl && apk_dev_packages(scripts) && !linking.statically {
        return skip(
            out,
            at,
            Reason::NotYet,
            "a cgo build on Alpine with -dev packages: their runtime libraries are not mapped for apk yet",
        );
    }
    let mut plan = Plan::new("Go", runtime.image, why);
    plan.builder_edits = linking.builder_edits;
    plan.setup = runtime_setup(stage, &runtime.packages);
    plan.sizes = (builder_size(stage), runtime.size_mb);
    let zoneinfo = packages.tzdata && (runtime.size_mb == Some(0.0) || musl);
    plan.copies = binary_copies(cx, &binary, &command, zoneinfo);
    carry_assets(cx, stage, &sources, &mut plan, out)?;
    if !needs_shell {
        plan.command_rewrites = command.exec_forms;
    }
    if runs_other {
        plan.why
            .push_str("; the command runs a script, so the runtime keeps a shell");
    }
    Some(plan)
}

/// What an Alpine runtime cannot carry yet: a command that is not the binary
/// (its interpreter cannot be checked) and apk packages (`None` after reporting).
fn alpine_runtime_possible(
    runs_other: bool,
    packages: &RuntimePackages,
    at: usize,
    out: &mut Findings,
) -> Option<()> {
    if runs_other {
        return skip(
            out,
            at,
            Reason::NotYet,
            "the command runs something other than the Go binary (a script?) and the builder is Alpine: its interpreter cannot be checked",
        );
    }
    if packages.needs_more {
        return skip(
            out,
            at,
            Reason::NotYet,
            format!(
                "the runtime needs Alpine packages ({}): apk installs in the runtime are not planned yet",
                packages.apk.join(", ")
            ),
        );
    }
    Some(())
}

/// The build context's Go sources, or `None` after reporting why they cannot be read.
fn context_sources(cx: &Context, at: usize, out: &mut Findings) -> Option<Sources> {
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
    Some(sources)
}

/// The `go build` command of the script that writes `binary` (its `-o`, or none).
fn writing_go_build<'s>(shell: &'s Script, binary: &Artifact) -> Option<&'s ShellCommand> {
    shell
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
        })
}

/// Whether the binary is linked statically, and the builder edit that makes it so.
struct Linking {
    statically: bool,
    /// `CGO_ENABLED=0 ` inserted before the `go build` command, when set by this pass.
    builder_edits: Vec<Edit>,
}

impl Linking {
    /// Static when `CGO_ENABLED=0` is set, or when nothing needs cgo (then
    /// this pass sets it); says which in `why`.
    fn decide(
        cx: &Context,
        stage: &Stage,
        scripts: &[(usize, String)],
        sources: &Sources,
        go: &ShellCommand,
        why: &mut String,
    ) -> Linking {
        let mut builder_edits = Vec::new();
        let cgo_var = go
            .var("CGO_ENABLED")
            .map(str::to_string)
            .or_else(|| artifacts::env_value(cx, stage, "CGO_ENABLED"));
        let cgo_off = cgo_var.as_deref() == Some("0");
        let dev_package = analysis::apt_packages(&analysis::joined(scripts))
            .into_iter()
            .find(|p| p.ends_with("-dev") && !recipes().packages.build_only.contains(p));
        let cgo_reason = sources
            .cgo
            .clone()
            .or_else(|| {
                dev_package.map(|p| format!("the build installs {p}, a C library's headers"))
            })
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
                    why.push_str(
                        " (CGO_ENABLED=0 set: neither the sources nor the modules use cgo)",
                    );
                    true
                }
                None => false,
            }
        };
        Linking {
            statically,
            builder_edits,
        }
    }
}

/// True when the final command runs something other than the built binary (a script?).
fn runs_other_program(cx: &Context, stage: &Stage, command: &Command, binary: &Artifact) -> bool {
    let binary_name = binary.path.rsplit('/').next().unwrap_or("");
    command.program.as_deref().is_some_and(|p| {
        let abs = artifacts::join(&artifacts::workdir_at(cx, stage, stage.instructions.end), p);
        p.rsplit('/').next() != Some(binary_name) || (p.contains('/') && abs != binary.path)
    })
}

/// Packages the runtime needs (apt) or that only an Alpine runtime could install (apk).
struct RuntimePackages {
    apt: Vec<String>,
    apk: Vec<String>,
    /// One of them is `tzdata`.
    tzdata: bool,
    /// One of them is neither `tzdata` nor `ca-certificates`.
    needs_more: bool,
}

impl RuntimePackages {
    fn of(cx: &Context, stage: &Stage, scripts: &[(usize, String)]) -> RuntimePackages {
        let apt = stage_packages(cx, stage, scripts);
        let apk: Vec<String> = apk_packages(cx, stage)
            .into_iter()
            .filter(|p| !APK_BUILD_ONLY.contains(&p.as_str()) && !p.ends_with("-dev"))
            .collect();
        let tzdata = apt.iter().chain(&apk).any(|p| p == "tzdata");
        let needs_more = apt
            .iter()
            .chain(&apk)
            .any(|p| p != "tzdata" && p != "ca-certificates");
        RuntimePackages {
            apt,
            apk,
            tzdata,
            needs_more,
        }
    }
}

/// The runtime base, its size and the apt packages it installs.
struct Runtime {
    image: String,
    size_mb: Option<f64>,
    packages: Vec<String>,
}

impl Runtime {
    /// scratch for a static binary that needs no shell; otherwise the
    /// builder's libc: Alpine, or Debian slim of the builder's release
    /// (`None` after reporting that the release is unknown).
    fn choose(
        stage: &Stage,
        statically: bool,
        needs_shell: bool,
        musl: bool,
        apt_packages: &[String],
        why: &mut String,
        out: &mut Findings,
    ) -> Option<Runtime> {
        let r = &recipes().go;
        if statically && !needs_shell {
            why.push_str(" and CA certificates on scratch");
            return Some(Runtime {
                image: r.static_runtime.clone(),
                size_mb: Some(0.0),
                packages: Vec::new(),
            });
        }
        if musl {
            let version = alpine_version(stage);
            why.push_str(&format!(
                " on alpine:{version}, the builder's libc (musl){}",
                if needs_shell { ", with a shell" } else { "" }
            ));
            return Some(Runtime {
                image: format!("alpine:{version}"),
                size_mb: catalog::catalog()
                    .named("alpine")
                    .and_then(|f| f.size("full")),
                packages: Vec::new(),
            });
        }
        why.push_str(if statically {
            " on Debian slim (the command needs a shell)"
        } else {
            " on Debian slim (glibc, as it was built)"
        });
        let Some(suite) = suite_of(stage) else {
            return skip(
                out,
                stage.base_span.start,
                Reason::ReleaseUnknown,
                format!(
                    "the tag of {} does not name its Debian release, and a binary linked against glibc must run on the release it was built on: name the release in the tag (e.g. `-bookworm`)",
                    stage.base_text
                ),
            );
        };
        Some(Runtime {
            image: r.dynamic_runtime.replace("{suite}", suite),
            size_mb: catalog::catalog()
                .named("debian")
                .and_then(|f| f.size("slim")),
            packages: apt_packages.to_vec(),
        })
    }
}

/// True when an apk install names `-dev` packages besides musl's and the kernel's headers.
fn apk_dev_packages(scripts: &[(usize, String)]) -> bool {
    analysis::joined(scripts)
        .split_whitespace()
        .any(|w| w.ends_with("-dev") && !matches!(w, "musl-dev" | "linux-headers"))
}

/// The runtime's copies of CA certificates, time zones (when `zoneinfo`) and the binary.
fn binary_copies(
    cx: &Context,
    binary: &Artifact,
    command: &Command,
    zoneinfo: bool,
) -> Vec<String> {
    let mut copies = vec![format!(
        "COPY --from={{builder}} {} /etc/ssl/certs/",
        recipes().go.ca_certificates
    )];
    if zoneinfo {
        copies.push(copy_from_builder(
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
    copies.push(copy_from_builder(cx, &binary.path, &dest));
    copies
}

/// Copies the folders the app reads at run time, or reports (`None`) that
/// the build context is not where the app runs.
fn carry_assets(
    cx: &Context,
    stage: &Stage,
    sources: &Sources,
    plan: &mut Plan,
    out: &mut Findings,
) -> Option<()> {
    let workdir = artifacts::workdir_at(cx, stage, stage.instructions.end);
    if !sources.assets.is_empty() && !context_root_at(cx, stage, &workdir) {
        return skip(
            out,
            stage.base_span.start,
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
    Some(())
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
            if s.cgo.is_none() {
                s.cgo = cgo_module(text).map(|m| format!("go.mod requires {m}"));
            }
            continue;
        }
        if s.cgo.is_none() && (text.contains("import \"C\"") || text.contains("\t\"C\"\n")) {
            let rel = path.strip_prefix(dir).unwrap_or(path);
            s.cgo = Some(format!("{} imports \"C\"", rel.display()));
        }
        read_file_uses(text, &mut embedded, &mut opened);
    }
    for d in CONVENTIONAL_ASSET_DIRS {
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

/// Folders an app conventionally reads at run time, carried when the build context has them.
const CONVENTIONAL_ASSET_DIRS: &[&str] = &[
    "templates",
    "static",
    "public",
    "assets",
    "views",
    "web",
    "locales",
    "migrations",
];

/// Calls whose first string argument names a file or folder the app reads at run time.
const OPENING_CALLS: &[&str] = &[
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
];

/// The first well-known cgo module (`transforms/recipes.toml`) a go.mod requires.
fn cgo_module(go_mod: &str) -> Option<&'static String> {
    recipes().go.cgo_modules.iter().find(|m| {
        go_mod.lines().any(|l| {
            let l = l.trim().trim_start_matches("require").trim();
            l.split_whitespace().next() == Some(m.as_str())
        })
    })
}

/// Collects a Go file's `//go:embed` patterns and the relative paths it
/// opens (first path element of each).
fn read_file_uses(text: &str, embedded: &mut Vec<String>, opened: &mut Vec<String>) {
    for line in text.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("//go:embed") {
            embedded.extend(rest.split_whitespace().map(first_segment));
            continue;
        }
        for call in OPENING_CALLS {
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

/// `templates/*.html` → `templates`; `./static` → `static`.
fn first_segment(p: &str) -> String {
    p.trim_start_matches("./")
        .split('/')
        .next()
        .unwrap_or("")
        .to_string()
}
