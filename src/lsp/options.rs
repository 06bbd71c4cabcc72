//! The editor's settings for slimfile, and the settings for one document.
//!
//! A document's settings are found the way the CLI finds them: the defaults,
//! then the closest `slimfile.toml` / `.slimfile.toml` from the document's
//! folder up to the repository root (or the one `config` file, or none with
//! `isolated`), then the editor's settings, which act like command-line flags.

use std::path::{Path, PathBuf};

use crate::config::{Config, Prefer, Settings};
use crate::edit::Safety;
use crate::passes;

/// What an editor may set, in `initializationOptions` or
/// `workspace/didChangeConfiguration` (`{"slimfile": {…}}` or the object itself).
///
/// ```
/// let options = slimfile::lsp::options::ClientOptions::from_json(
///     &serde_json::json!({ "slimfile": { "safety": "safe", "showNotes": false } }),
/// ).unwrap();
/// assert_eq!(options.safety, Some(slimfile::edit::Safety::Safe));
/// assert_eq!(options.show_notes, Some(false));
/// ```
#[derive(Debug, Default, Clone, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClientOptions {
    /// Highest safety level the diagnostics count as applied (default: the
    /// configuration file's, else `review`); riskier changes are suggestions.
    pub safety: Option<Safety>,
    /// Run only these passes.
    pub select: Option<Vec<String>>,
    /// Do not run these passes.
    pub ignore: Option<Vec<String>>,
    /// Runtime base variant slim-base prefers.
    pub prefer: Option<Prefer>,
    /// One configuration file for every document (no search), like `--config`.
    pub config: Option<PathBuf>,
    /// No configuration files, like `--isolated`.
    pub isolated: bool,
    /// Publish the notes that say why a pass left something alone (default: true).
    pub show_notes: Option<bool>,
    /// A documentation URL for each pass, `{pass}` replaced by its id: the
    /// diagnostics' `codeDescription`. Without it, hovering a diagnostic
    /// shows the pass's documentation (`slimfile explain` text).
    pub docs_url: Option<String>,
}

impl ClientOptions {
    /// Reads the options from a settings object; `null` gives the defaults.
    pub fn from_json(value: &serde_json::Value) -> Result<ClientOptions, String> {
        let value = value.get("slimfile").unwrap_or(value);
        if value.is_null() {
            return Ok(ClientOptions::default());
        }
        let options: ClientOptions =
            serde_json::from_value(value.clone()).map_err(|e| format!("slimfile settings: {e}"))?;
        for id in options
            .select
            .iter()
            .flatten()
            .chain(options.ignore.iter().flatten())
        {
            if passes::find(id).is_none() {
                return Err(format!(
                    "slimfile settings: unknown pass `{id}` (see `slimfile passes`)"
                ));
            }
        }
        Ok(options)
    }

    /// Whether info notes are published.
    pub fn shows_notes(&self) -> bool {
        self.show_notes.unwrap_or(true)
    }

    /// The settings for the document at `path` (`None`: an unsaved buffer,
    /// which gets no configuration file but `config`).
    pub fn settings_for(&self, path: Option<&Path>) -> Result<Settings, String> {
        let mut settings = Settings::default();
        if let Some(file) = &self.config {
            let config = Config::load(file).map_err(|e| e.to_string())?;
            config.apply(&mut settings, path.unwrap_or(Path::new("Dockerfile")));
        } else if let (false, Some(path)) = (self.isolated, path) {
            let dir = context_dir(path);
            if let Some(found) = Config::find(dir) {
                let config = Config::load(&found).map_err(|e| e.to_string())?;
                config.apply(&mut settings, path);
            }
        }
        if let Some(safety) = self.safety {
            settings.safety = safety;
        }
        if let Some(prefer) = self.prefer {
            settings.prefer = prefer;
        }
        if let Some(select) = &self.select {
            settings.select = Some(select.clone());
        }
        if let Some(ignore) = &self.ignore {
            settings.ignore = ignore.clone();
        }
        Ok(settings)
    }
}

/// The build context of a Dockerfile: its folder (as the CLI takes it).
pub fn context_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_config_file_applies_and_editor_settings_win() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("svc")).unwrap();
        std::fs::write(
            dir.path().join("slimfile.toml"),
            "safety = \"safe\"\nignore = [\"slim-base\"]\n",
        )
        .unwrap();
        let file = dir.path().join("svc/Dockerfile");
        let s = ClientOptions::default().settings_for(Some(&file)).unwrap();
        assert_eq!(s.safety, Safety::Safe);
        assert!(!s.runs("slim-base"));
        let editor = ClientOptions {
            safety: Some(Safety::Unsafe),
            ..ClientOptions::default()
        };
        let s = editor.settings_for(Some(&file)).unwrap();
        assert_eq!(s.safety, Safety::Unsafe);
        assert!(!s.runs("slim-base"), "the file's ignore still holds");
        let isolated = ClientOptions {
            isolated: true,
            ..ClientOptions::default()
        };
        assert_eq!(
            isolated.settings_for(Some(&file)).unwrap().safety,
            Safety::Review
        );
    }

    #[test]
    fn a_bad_config_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join("slimfile.toml"), "safty = \"safe\"\n").unwrap();
        let e = ClientOptions::default()
            .settings_for(Some(&dir.path().join("Dockerfile")))
            .unwrap_err();
        assert!(e.contains("slimfile.toml:1:1"), "{e}");
    }

    #[test]
    fn settings_objects() {
        assert_eq!(
            ClientOptions::from_json(&serde_json::Value::Null).unwrap(),
            ClientOptions::default()
        );
        let o = ClientOptions::from_json(&serde_json::json!({"select": ["name-stages"]})).unwrap();
        assert_eq!(o.select, Some(vec!["name-stages".to_string()]));
        assert!(ClientOptions::from_json(&serde_json::json!({"ignore": ["nope"]})).is_err());
        assert!(ClientOptions::from_json(&serde_json::json!({"safety": "risky"})).is_err());
    }
}
