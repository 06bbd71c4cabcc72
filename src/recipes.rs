//! The split recipes' data (`transforms/recipes.toml`, embedded in the
//! binary): runtime bases per ecosystem, what a Node build writes, which
//! packages only build things and which runtime library a `-dev` package
//! stands for. Loaded once; the code that applies it lives in
//! `src/passes/split_stages/`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const RECIPES_TOML: &str = include_str!("../transforms/recipes.toml");

/// Everything in `transforms/recipes.toml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipes {
    pub go: GoRecipe,
    pub node: NodeRecipe,
    pub python: PythonRecipe,
    pub rust: RustRecipe,
    pub ruby: RubyRecipe,
    pub php: PhpRecipe,
    pub packages: Packages,
    pub effects: Effects,
    pub ml: MlRecipe,
    pub conda: CondaRecipe,
}

/// conda: where environments live, and the Debian runtime they are carried to.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CondaRecipe {
    /// The conda installation of the images (`/opt/conda`); environments are `envs/NAME` in it.
    pub root: String,
    /// The runtime image a carried environment runs on.
    pub runtime: String,
    /// The conda image's libraries the runtime installs again.
    pub runtime_packages: Vec<String>,
    /// The conda image's own ENV lines, written first in the runtime.
    pub env: Vec<String>,
}

/// Machine-learning stacks that compile code while the app runs.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MlRecipe {
    /// A package installed by name (PEP 503-normalized) → what it needs at run time.
    pub jit_packages: BTreeMap<String, String>,
    /// Frameworks whose use may compile at run time: the sources are read.
    pub frameworks: Vec<String>,
    /// Text in the sources → what it needs at run time.
    pub source_patterns: Vec<(String, String)>,
}

/// Go: static binaries on scratch, cgo binaries on the builder's libc.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoRecipe {
    pub static_runtime: String,
    /// The static runtime with `--prefer distroless`.
    pub distroless_runtime: String,
    pub dynamic_runtime: String,
    pub ca_certificates: String,
    /// Modules that need cgo (a `require` of one keeps glibc/musl linking).
    pub cgo_modules: Vec<String>,
}

/// Node: servers on the slim image, static sites on nginx.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeRecipe {
    pub static_runtime: String,
    pub static_root: String,
    pub static_port: String,
    /// Build tool named first in package.json `scripts.build` → output folder.
    pub build_outputs: BTreeMap<String, String>,
    pub server_dependencies: Vec<String>,
    pub dev_runtime_commands: Vec<String>,
    /// Native addons that link a library the full image has and slim lacks:
    /// the `-dev` packages whose runtime libraries the runtime installs.
    pub native_addons: BTreeMap<String, Vec<String>>,
}

/// Python: the venv the builder installs into.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonRecipe {
    pub venv: String,
    /// Python packages that, built from source on the full image (no wheel
    /// for that Python), link a library the full image has and slim lacks:
    /// the `-dev` packages whose runtime libraries the runtime installs.
    pub native_packages: BTreeMap<String, Vec<String>>,
    /// Wheels that load a system library they do not bundle (or run a
    /// program): the runtime packages (bookworm names) the runtime installs.
    pub wheel_libraries: BTreeMap<String, Vec<String>>,
}

/// Rust: runtime base and the crates that need CA certificates or OpenSSL.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustRecipe {
    pub runtime: String,
    pub tls_crates: Vec<String>,
    pub openssl_crates: Vec<String>,
}

/// Ruby: where the official image installs gems, the gems that link a
/// library the full image has and the slim one lacks, and what a RUN may do.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubyRecipe {
    /// GEM_HOME and BUNDLE_APP_CONFIG of the official image.
    pub bundle_dir: String,
    /// Gem name (as Gemfile.lock writes it) → runtime apt package (bookworm name).
    pub native_gems: BTreeMap<String, String>,
    /// Programs whose output the Ruby split's copies carry (besides `[effects] build_programs`).
    pub build_programs: Vec<String>,
    /// `RAILS_ENV`/`RACK_ENV`/… names whose value `production` lets the split skip the
    /// development and test groups.
    pub environment_variables: Vec<String>,
    /// Words in the command that may load development or test gems (rake tasks).
    pub dev_group_commands: Vec<String>,
    /// apt packages that only compile assets (Node.js), dropped unless the app runs JavaScript.
    pub asset_packages: Vec<String>,
}

/// PHP: where compiled extensions and their configuration live in the
/// official image, and the programs that write them.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhpRecipe {
    /// Folders the builder's extension installs write, copied to the runtime.
    pub extension_dirs: Vec<String>,
    /// Apache configuration (a2enmod, a2ensite …), copied when a RUN changes it.
    pub apache_dir: String,
    /// Programs that change the Apache configuration.
    pub apache_programs: Vec<String>,
    /// Programs whose output the PHP split's copies carry (besides `[effects] build_programs`).
    pub build_programs: Vec<String>,
    /// Commands that need composer at run time.
    pub composer_runtime_commands: Vec<String>,
    /// apt packages only composer uses (archive tools), dropped unless the command runs them.
    pub build_only: Vec<String>,
}

/// apt packages: build-only tools and the `-dev` → runtime library map.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Packages {
    pub build_only: Vec<String>,
    /// `-dev` package → runtime library (Debian bookworm names).
    pub runtime: BTreeMap<String, String>,
    /// Runtime libraries renamed in other releases: library → { release → name }.
    #[serde(default)]
    pub releases: BTreeMap<String, BTreeMap<String, String>>,
    /// Package name prefixes whose set-up needs /usr/share/man/man1, which
    /// slim images leave out.
    pub needs_man_dir: Vec<String>,
}

/// What split-stages' effects inventory knows about RUN commands.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effects {
    /// Programs that only build: their output is named by a recipe or stays in the build folders.
    pub build_programs: Vec<String>,
    /// Programs that leave nothing the runtime needs.
    pub harmless_programs: Vec<String>,
    /// Folders whose contents never matter at run time (caches, scratch space).
    pub scratch_paths: Vec<String>,
    /// Folders a COPY never carries whole.
    pub system_dirs: Vec<String>,
}

/// The embedded recipes.
///
/// ```
/// assert_eq!(slimfile::recipes::recipes().packages.runtime["libpq-dev"], "libpq5");
/// ```
pub fn recipes() -> &'static Recipes {
    static R: OnceLock<Recipes> = OnceLock::new();
    R.get_or_init(|| {
        toml::from_str(RECIPES_TOML).expect("transforms/recipes.toml is valid (checked by tests)")
    })
}

/// The output folder of a static front-end build tool (`vite` → `dist`).
pub fn static_output(tool: &str) -> Option<&'static str> {
    recipes().node.build_outputs.get(tool).map(String::as_str)
}

#[cfg(test)]
mod tests {
    #[test]
    fn recipes_load() {
        let r = super::recipes();
        assert!(r.packages.runtime.len() > 50);
        assert_eq!(super::static_output("vite"), Some("dist"));
    }
}
