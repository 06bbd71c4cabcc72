//! Settings that shape a run: which passes, which safety level, base preferences.

use std::collections::BTreeMap;

use crate::edit::Safety;

/// The pass ids, in the engine's order: what `select`/`ignore` may name.
pub use crate::pass_id::PASS_IDS;

/// Which runtime base variant slim-base prefers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Prefer {
    /// Debian slim, JRE and ASP.NET runtime variants (the default).
    Slim,
    /// Alpine variants (musl, apk: unsafe).
    Alpine,
    /// Google's distroless images (no shell, no package manager) where the
    /// runtime needs neither: `static` for a static Go binary, `javaN` for a
    /// jar run with `java -jar`, `nodejsN` for `node script.js`; elsewhere slim,
    /// with a `distroless-unfit` note saying why.
    Distroless,
}

/// Effective settings for one file.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Highest safety level applied; riskier changes are listed as suggestions.
    pub safety: Safety,
    /// Passes to run (`None`: all).
    pub select: Option<Vec<String>>,
    /// Passes not to run.
    pub ignore: Vec<String>,
    pub prefer: Prefer,
    /// User map of base images (`"python:3.12" = "registry/python:3.12-slim"`), wins over the catalog.
    pub base_map: BTreeMap<String, String>,
    pub max_file_bytes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            safety: Safety::Review,
            select: None,
            ignore: Vec::new(),
            prefer: Prefer::Slim,
            base_map: BTreeMap::new(),
            max_file_bytes: crate::source::DEFAULT_MAX_BYTES,
        }
    }
}

impl Settings {
    pub fn runs(&self, pass: &str) -> bool {
        self.select
            .as_ref()
            .is_none_or(|s| s.iter().any(|p| p == pass))
            && !self.ignore.iter().any(|p| p == pass)
    }
}

// Configuration files (`slimfile.toml`) are read from disk: the native build only.
#[cfg(feature = "native")]
mod file;
#[cfg(feature = "native")]
pub use file::{Config, ConfigError};
