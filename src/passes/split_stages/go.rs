//! ### Go
//! `go build -o PATH` (or the module name from `go.mod`): the binary on
//! `scratch` with CA certificates when `CGO_ENABLED=0` is set, or is set by
//! this pass because neither the sources nor the module graph need cgo;
//! otherwise on the builder's own libc (Debian slim for Debian builders).

use std::path::Path;

use super::*;

pub(super) struct Go;

impl Recipe for Go {
    fn detects(&self, build: &Build) -> bool {
        build.has("go", "build")
    }

    fn plan(&self, cx: &Context, stage: &Stage, build: &Build, out: &mut Findings) -> Option<Plan> {
        plan(cx, stage, build.scripts, out)
    }
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
    let n = binary.built_by;
    let script = analysis::script(cx.text, &cx.doc.instructions[n]);
    let cgo_off =
        all_env_text(cx, stage).contains("CGO_ENABLED=0") || script.contains("CGO_ENABLED=0");
    let mut builder_edits = Vec::new();
    let mut statically = cgo_off;
    let mut why = String::from("the Go binary");
    if !cgo_off && cx.build_context.is_some_and(no_cgo_in_context) {
        // set CGO_ENABLED=0 on the go build line
        let ins = &cx.doc.instructions[n];
        if let Some(w) = ins.words().iter().find(|w| w.value == "go") {
            builder_edits.push(Edit::insert(w.span.start, "CGO_ENABLED=0 "));
            statically = true;
            why.push_str(" (CGO_ENABLED=0 set: the sources have no `import \"C\"`)");
        }
    }
    let mut copies = Vec::new();
    let uses_user_name = stage.instructions.clone().any(|i| {
        let ins = &cx.doc.instructions[i];
        ins.keyword == Keyword::User
            && ins
                .words()
                .first()
                .is_some_and(|w| !w.value.chars().next().is_some_and(|c| c.is_ascii_digit()))
    });
    let runtime = if statically {
        copies.push(format!(
            "COPY --from={{builder}} {} /etc/ssl/certs/",
            r.ca_certificates
        ));
        if uses_user_name {
            copies.push("COPY --from={builder} /etc/passwd /etc/group /etc/".to_string());
        }
        why.push_str(" and CA certificates on scratch");
        r.static_runtime.clone()
    } else {
        why.push_str(" on Debian slim (cgo may be in use, so glibc stays)");
        if user_setup_blocks(cx, stage, out) {
            return None;
        }
        let suite = suite_of(stage);
        let suite = if stage.effective_base().tag.is_some() {
            suite
        } else {
            r.default_suite.as_str()
        };
        r.dynamic_runtime.replace("{suite}", suite)
    };
    let mut setup = Vec::new();
    if !statically {
        setup.extend(apt_install_line(&runtime_packages(
            &analysis::joined(scripts),
            &final_command(cx, stage),
        )));
        setup.extend(user_setup_lines(cx, stage));
    } else if stage
        .instructions
        .clone()
        .any(|i| cx.doc.instructions[i].keyword == Keyword::Healthcheck)
    {
        return skip(
            out,
            at,
            "toolchain-at-runtime",
            "a HEALTHCHECK needs a shell or tools that scratch does not have",
        );
    }
    copies.push(format!("COPY --from={{builder}} {b} {b}", b = binary.path));
    let runtime_mb = if statically {
        Some(0.0)
    } else {
        catalog::catalog()
            .named("debian")
            .and_then(|f| f.size("slim"))
    };
    Some(Plan {
        ecosystem: "Go",
        runtime_base: runtime,
        builder_edits,
        setup,
        copies,
        after: Vec::new(),
        env: Vec::new(),
        replace_command: None,
        sizes: (builder_size(stage), runtime_mb),
        why,
    })
}

/// True when no `.go` file under `dir` (a few levels, vendor excluded) imports "C".
fn no_cgo_in_context(dir: &Path) -> bool {
    let mut stack = vec![(dir.to_path_buf(), 0)];
    let mut seen_go = false;
    while let Some((d, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            return false;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if p.is_dir()
                && depth < 6
                && !name.starts_with('.')
                && name != "vendor"
                && name != "node_modules"
            {
                stack.push((p, depth + 1));
            } else if name.ends_with(".go") {
                seen_go = true;
                let Ok(src) = std::fs::read_to_string(&p) else {
                    return false;
                };
                if src.contains("import \"C\"") || src.contains("\t\"C\"\n") {
                    return false;
                }
            }
        }
    }
    seen_go
}
