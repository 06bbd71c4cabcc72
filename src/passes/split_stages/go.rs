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
use crate::shell::{Script, ShellEnv};

pub(super) struct Go;

impl Recipe for Go {
    fn detects(&self, build: &Build) -> bool {
        build.has("go", "build")
    }

    fn plan(&self, cx: &Context, stage: &Stage, build: &Build, out: &mut Findings) -> Option<Plan> {
        plan(cx, stage, build.scripts, out)
    }
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
            "context-unknown",
            "no build context at hand: cannot check whether the app needs cgo or reads files of its source tree at run time",
        );
    };
    let sources = read_sources(dir);
    if let Some(why) = &sources.cut {
        return skip(
            out,
            at,
            "context-unknown",
            format!(
                "the build context scan stopped early ({why}): cannot check cgo and run-time files"
            ),
        );
    }
    let n = binary.built_by;
    let ins = &cx.doc.instructions[n];
    let script = analysis::script(cx.text, ins);
    let cgo_off =
        all_env_text(cx, stage).contains("CGO_ENABLED=0") || script.contains("CGO_ENABLED=0");
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
        .or_else(|| dev_package.map(|p| format!("the build installs {p}, a C library's headers")));
    let statically = if cgo_off {
        true
    } else if let Some(reason) = &cgo_reason {
        why.push_str(&format!(" (cgo stays on: {reason})"));
        false
    } else {
        // set CGO_ENABLED=0 on the go build command
        let shell = Script::of(cx.text, ins, cx.doc.escape, &ShellEnv::default());
        let go = shell.commands.iter().find(|c| {
            c.program() == Some("go")
                && c.words.get(1).and_then(|w| w.value.as_deref()) == Some("build")
        });
        let start = go.and_then(|c| {
            c.assignments
                .first()
                .and_then(|a| a.value.span.as_ref().map(|s| s.start - a.name.len() - 1))
                .or_else(|| {
                    c.words
                        .first()
                        .and_then(|w| w.span.as_ref().map(|s| s.start))
                })
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
    let needs_shell = command.needs_shell
        || stage
            .instructions
            .clone()
            .any(|i| cx.doc.instructions[i].keyword == Keyword::Healthcheck);
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
                "release-unknown",
                format!(
                    "the tag of {} does not name its Debian release, and a binary linked against glibc must run on the release it was built on: name the release in the tag (e.g. `-bookworm`)",
                    stage.base_text
                ),
            );
        };
        let packages = runtime_packages(&analysis::joined(scripts), &final_command(cx, stage));
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
            "not-yet",
            "a cgo build on Alpine with -dev packages: their runtime libraries are not mapped for apk yet",
        );
    }
    let mut plan = Plan::new("Go", runtime, why);
    plan.builder_edits = builder_edits;
    plan.setup = runtime_setup(cx, stage, &packages);
    plan.sizes = (builder_size(stage), runtime_mb);
    plan.copies.push(format!(
        "COPY --from={{builder}} {} /etc/ssl/certs/",
        r.ca_certificates
    ));
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
    for asset in &sources.assets {
        let path = artifacts::join(&workdir, asset);
        plan.copies.push(copy_from_builder(cx, &path, &path));
        plan.why.push_str(&format!("; {path} (read at run time)"));
    }
    if !needs_shell {
        plan.command_rewrites = command.exec_forms;
    }
    Some(plan)
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
        cut: scan.cut,
    };
    if !scan
        .files
        .iter()
        .any(|(p, _)| p.extension().is_some_and(|e| e == "go"))
    {
        s.cgo = Some("no Go sources in the build context to check".into());
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
                        && !lit.is_empty()
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
