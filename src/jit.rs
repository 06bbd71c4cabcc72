//! What an ML app compiles while it runs.
//!
//! Some ML stacks need a compiler in the running container: `torch.compile`
//! (Triton compiles its kernels' launchers with a host C compiler), JIT CUDA
//! extensions (`torch.utils.cpp_extension.load`, `load_inline`: nvcc, the
//! CUDA headers and a C++ compiler), vLLM and sglang (nvcc), XLA for JAX and
//! TensorFlow's `jit_compile` (ptxas), `numba.cuda` (NVVM). A runtime flavor
//! (`nvidia/cuda:*-runtime`, `pytorch/pytorch:*-runtime`) or a slim image has
//! none of them, so a split of such an image would build and then fail at
//! the first compile.
//!
//! [`runtime_compiler`] reads what the stage installs (pip's requirement
//! names, `conda install` words) against `transforms/recipes.toml` [ml]
//! `jit_packages`, and, when a framework that can compile is installed
//! (`torch`, `tensorflow`, `jax`, `numba` …), the build context's Python
//! sources against `source_patterns`. Without the sources at hand it cannot
//! tell, and says so.

use crate::analysis;
use crate::context::{self, BuildContext, Context};
use crate::model::Stage;
use crate::recipes::recipes;

/// A compiler the app needs at run time, and what shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuntimeCompiler {
    /// What shows it: `` `vllm` is installed ``, `` `torch.compile` in src/model.py ``.
    pub shown_by: String,
    /// What it needs (`a C compiler (Triton …)`).
    pub needs: String,
}

/// Why the check cannot tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CannotTell(pub String);

/// The first compiler the app of `stage` needs at run time, from the packages
/// its RUN scripts (`all`, joined) install and, when a framework that can
/// compile is among them, the Python sources of the build context.
/// `ml_base`: the base is an ML image (CUDA, PyTorch, conda), where an
/// install slimfile cannot read (a requirements file not at hand, a URL)
/// may well be one of those stacks: then it cannot tell.
pub(crate) fn runtime_compiler(
    cx: &Context,
    stage: &Stage,
    all: &str,
    ml_base: bool,
) -> Result<Option<RuntimeCompiler>, CannotTell> {
    let ml = &recipes().ml;
    let read = crate::artifacts::python_names(cx, stage);
    if let (true, Some(what)) = (ml_base, read.missing.as_ref().or(read.unreadable.as_ref())) {
        return Err(CannotTell(format!(
            "pip installs from `{what}`, which slimfile cannot read here: on an ML image it cannot tell whether a package that compiles at run time (vLLM, DeepSpeed, Triton …) is among them"
        )));
    }
    let mut names = read.names;
    names.extend(conda_names(all));
    if let Some((name, needs)) = names
        .iter()
        .find_map(|n| ml.jit_packages.get(n).map(|needs| (n, needs)))
    {
        return Ok(Some(RuntimeCompiler {
            shown_by: format!("`{name}` is installed"),
            needs: needs.clone(),
        }));
    }
    if jax_with_cuda(&names) {
        return Ok(Some(RuntimeCompiler {
            shown_by: "JAX with CUDA is installed".into(),
            needs: "ptxas (XLA compiles for the GPU at run time)".into(),
        }));
    }
    let Some(framework) = names.iter().find(|n| ml.frameworks.contains(n)) else {
        return Ok(None);
    };
    let Some(dir) = cx.build_context else {
        return Err(CannotTell(format!(
            "`{framework}` is installed, and the build context is not at hand to check its sources for `torch.compile`, JIT extensions or XLA"
        )));
    };
    let (files, cut) = copied_sources(cx, stage, dir);
    for (path, text) in &files {
        if let Some((pattern, needs)) = ml
            .source_patterns
            .iter()
            .find(|(p, _)| code_contains(text, p))
        {
            return Ok(Some(RuntimeCompiler {
                shown_by: format!("`{pattern}` in {}", path.display()),
                needs: needs.clone(),
            }));
        }
    }
    if let Some(cut) = cut {
        return Err(CannotTell(format!(
            "`{framework}` is installed, and the scan of the build context's sources stopped early ({cut})"
        )));
    }
    Ok(None)
}

/// The Python sources the stage copies from the build context (`COPY . .`:
/// all of them; `COPY src/ /app/src`: those under `src/`), within the scan
/// limits, and why the scan stopped early if it did. Paths are relative to
/// the build context.
fn copied_sources(
    cx: &Context,
    stage: &Stage,
    dir: BuildContext,
) -> (Vec<(std::path::PathBuf, String)>, Option<String>) {
    use crate::syntax::{Args, Keyword};
    let mut roots: Vec<String> = Vec::new();
    for n in stage.instructions.clone() {
        let ins = &cx.doc.instructions[n];
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
            continue;
        }
        let mut parts: Vec<String> = match &ins.args {
            Args::Exec(e) => e.clone(),
            Args::Words(w) => w.iter().map(|w| w.value.clone()).collect(),
        };
        parts.pop();
        roots.extend(parts);
    }
    let whole = roots.iter().any(|r| {
        let r = r.trim_start_matches("./").trim_end_matches('/');
        r.is_empty() || r == "." || r.contains(['*', '?', '[', '$']) || r.starts_with("..")
    });
    if whole {
        let scan = context::scan(dir, &[".py"]);
        return (scan.files, scan.cut);
    }
    let mut files = Vec::new();
    let mut cut = None;
    for r in &roots {
        let rel = r.trim_start_matches("./");
        if context::is_dir(dir, rel) {
            let scan = context::scan_folder(dir, rel, &[".py"]);
            files.extend(scan.files);
            cut = cut.or(scan.cut);
        } else if r.ends_with(".py")
            && let Some(text) = cx.read(rel)
        {
            files.push((rel.into(), text));
        }
    }
    (files, cut)
}

/// True when `pattern` occurs in a line of `text` that is not a comment.
fn code_contains(text: &str, pattern: &str) -> bool {
    text.lines().any(|l| {
        let code = l.split('#').next().unwrap_or("");
        code.contains(pattern)
    })
}

/// `jax[cuda12]`, `jax[cuda]`, `jaxlib` with a `+cuda` version: JAX on the GPU.
fn jax_with_cuda(names: &[String]) -> bool {
    names.iter().any(|n| n == "jax" || n == "jaxlib") && names.iter().any(|n| n.starts_with("cuda"))
}

/// The package words of `conda install` / `mamba install` / `micromamba
/// install` commands (options and version pins dropped).
fn conda_names(all: &str) -> Vec<String> {
    let mut out = Vec::new();
    for words in analysis::command_words(all).iter() {
        let Some(i) = words
            .iter()
            .position(|w| matches!(w.as_str(), "conda" | "mamba" | "micromamba"))
        else {
            continue;
        };
        if words.get(i + 1).map(String::as_str) != Some("install") {
            continue;
        }
        let mut rest = words[i + 2..].iter();
        while let Some(w) = rest.next() {
            if matches!(
                w.as_str(),
                "-c" | "--channel" | "-n" | "--name" | "-p" | "--prefix"
            ) {
                rest.next();
            } else if !w.starts_with('-') {
                out.extend(analysis::requirement_names(w).into_iter().take(1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        dockerfile: &str,
        files: &[(&str, &str)],
    ) -> Result<Option<RuntimeCompiler>, CannotTell> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let doc = crate::syntax::parse(dockerfile).unwrap();
        let model = crate::model::Model::build(&doc);
        let settings = crate::config::Settings::default();
        let cx = Context {
            text: dockerfile,
            doc: &doc,
            model: &model,
            settings: &settings,
            build_context: Some(dir.path().into()),
        };
        let all = analysis::joined(&analysis::run_scripts(dockerfile, &doc, &model.stages[0]));
        runtime_compiler(&cx, &model.stages[0], &all, false)
    }

    #[test]
    fn packages_that_compile_at_run_time() {
        let r = check("FROM python:3.11\nRUN pip install vllm==0.6.3\n", &[])
            .unwrap()
            .unwrap();
        assert_eq!(r.shown_by, "`vllm` is installed");
        let r = check(
            "FROM python:3.11\nRUN pip install -r requirements.txt\n",
            &[("requirements.txt", "jax[cuda12]==0.4.35\n")],
        )
        .unwrap()
        .unwrap();
        assert!(r.needs.contains("ptxas"), "{r:?}");
        assert!(
            check("FROM python:3.11\nRUN pip install jax\n", &[])
                .unwrap()
                .is_none()
        );
        let r = check(
            "FROM continuumio/miniconda3\nRUN conda install -y -c conda-forge triton\n",
            &[],
        )
        .unwrap();
        assert!(r.is_some());
    }

    #[test]
    fn sources_that_compile_at_run_time() {
        let app = "import torch\nmodel = torch.compile(Net())\n";
        let r = check(
            "FROM python:3.11\nRUN pip install torch==2.4.1\nCOPY . /app\n",
            &[("src/app.py", app)],
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.shown_by, "`torch.compile` in src/app.py");
        // only what the image copies: another project's sources in the context do not count
        let r = check(
            "FROM python:3.11\nRUN pip install torch==2.4.1\nCOPY serve/ /app\n",
            &[("train/model.py", app), ("serve/main.py", "import torch\n")],
        )
        .unwrap();
        assert!(r.is_none(), "{r:?}");
        // a comment is not a use
        let commented = "import torch\n# model = torch.compile(Net())\n";
        assert!(
            check(
                "FROM python:3.11\nRUN pip install torch\n",
                &[("app.py", commented)]
            )
            .unwrap()
            .is_none()
        );
        // no framework installed: the sources are not read
        assert!(
            check(
                "FROM python:3.11\nRUN pip install flask\n",
                &[("app.py", app)]
            )
            .unwrap()
            .is_none()
        );
    }

    #[test]
    fn without_the_sources_it_cannot_tell() {
        let text = "FROM python:3.11\nRUN pip install torch\n";
        let doc = crate::syntax::parse(text).unwrap();
        let model = crate::model::Model::build(&doc);
        let settings = crate::config::Settings::default();
        let cx = Context {
            text,
            doc: &doc,
            model: &model,
            settings: &settings,
            build_context: None,
        };
        let all = analysis::joined(&analysis::run_scripts(text, &doc, &model.stages[0]));
        assert!(runtime_compiler(&cx, &model.stages[0], &all, false).is_err());
    }
}
