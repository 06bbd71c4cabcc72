//! What a Go build context's sources say: cgo use and the files the app
//! reads at run time (split-stages' Go recipe, runtime-deps).

use crate::context::{self, BuildContext};
use crate::recipes::recipes;

/// What the build context says about cgo and run-time files.
pub(crate) struct Sources {
    /// Some file imports "C", or go.mod requires a cgo module.
    pub cgo: Option<String>,
    /// Relative folders the app opens at run time (first path element).
    pub assets: Vec<String>,
    /// The scan was cut short: nothing can be concluded.
    pub cut: Option<String>,
}

/// Reads the build context's Go sources (bounded): cgo use and run-time files.
pub(crate) fn read_sources(dir: BuildContext) -> Sources {
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
            s.cgo = Some(format!("{} imports \"C\"", path.display()));
        }
        read_file_uses(text, &mut embedded, &mut opened);
    }
    for d in CONVENTIONAL_ASSET_DIRS {
        if context::is_dir(dir, d) {
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
        .filter(|a| context::exists(dir, a))
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
