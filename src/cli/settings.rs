//! Settings per Dockerfile for `rewrite` and `verify`: defaults, then the closest configuration
//! file (or `--config`) with its matching overrides, then the command-line flags.

use std::path::{Path, PathBuf};

use slimfile::config::{Config, Settings};
use slimfile::passes;

use super::{PassArgs, context_dir};

/// Settings per Dockerfile: defaults, then the closest configuration file
/// (or `--config`) with its matching overrides, then command-line flags.
pub(super) struct SettingsResolver<'a> {
    args: &'a PassArgs,
    explicit: Option<Config>,
    by_dir: std::collections::HashMap<PathBuf, Option<PathBuf>>,
    loaded: std::collections::HashMap<PathBuf, Config>,
}

impl<'a> SettingsResolver<'a> {
    pub(super) fn new(args: &'a PassArgs) -> Result<Self, String> {
        for id in args.select.iter().flatten().chain(&args.ignore) {
            if passes::find(id).is_none() {
                return Err(format!("unknown pass `{id}` (see `slimfile passes`)"));
            }
        }
        let explicit = match &args.config {
            Some(p) => Some(Config::load(p).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(SettingsResolver {
            args,
            explicit,
            by_dir: Default::default(),
            loaded: Default::default(),
        })
    }

    /// Settings for the Dockerfile at `path` (a bare name is in the current folder).
    pub(super) fn for_file(&mut self, path: &Path) -> Result<Settings, String> {
        let mut s = Settings::default();
        if let Some(c) = &self.explicit {
            c.apply(&mut s, path);
        } else if !self.args.isolated {
            let dir = context_dir(path).to_path_buf();
            let found = self
                .by_dir
                .entry(dir.clone())
                .or_insert_with(|| Config::find(&dir))
                .clone();
            if let Some(cfg_path) = found {
                if !self.loaded.contains_key(&cfg_path) {
                    let c = Config::load(&cfg_path).map_err(|e| e.to_string())?;
                    self.loaded.insert(cfg_path.clone(), c);
                }
                self.loaded[&cfg_path].apply(&mut s, path);
            }
        }
        let a = self.args;
        if let Some(safety) = a.safety {
            s.safety = safety;
        }
        if let Some(prefer) = a.prefer {
            s.prefer = prefer.into();
        }
        if a.select.is_some() {
            s.select = a.select.clone();
        }
        if !a.ignore.is_empty() {
            s.ignore = a.ignore.clone();
        }
        Ok(s)
    }
}
