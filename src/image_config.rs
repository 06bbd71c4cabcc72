//! What official base images bring at run time (`transforms/images.toml`,
//! embedded): their default WORKDIR, the ENV variables their config sets and
//! the programs a command can run without installing them.
//!
//! Unknown images have no entry; callers then refuse to rely on them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::catalog;
use crate::image::ImageRef;

const IMAGES_TOML: &str = include_str!("../transforms/images.toml");

/// One base image's run-time facts.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageConfig {
    /// The default working folder (`/go` for golang).
    pub workdir: String,
    /// ENV variables set by the image's config.
    pub env: Vec<String>,
    /// The values of some of them, where known (a runtime that sets the same
    /// value again keeps the contract).
    #[serde(default)]
    pub env_values: BTreeMap<String, String>,
    /// Programs on its PATH.
    pub programs: Vec<String>,
    /// The image's own ENTRYPOINT (distroless language images: `java -jar`,
    /// `node`), which a CMD follows; `None` when it has none we rely on.
    #[serde(default)]
    pub entrypoint: Option<Vec<String>>,
}

impl ImageConfig {
    /// True when the image has program `name` (a basename: `python3`, `sh`).
    pub fn has_program(&self, name: &str) -> bool {
        self.programs.iter().any(|p| p == name)
    }

    /// True when the image's config sets variable `name`.
    pub fn sets(&self, name: &str) -> bool {
        self.env.iter().any(|v| v == name)
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ImagesFile {
    image: BTreeMap<String, ImageConfig>,
}

fn images() -> &'static BTreeMap<String, ImageConfig> {
    static I: OnceLock<ImagesFile> = OnceLock::new();
    &I.get_or_init(|| {
        toml::from_str(IMAGES_TOML).expect("transforms/images.toml is valid (checked by tests)")
    })
    .image
}

/// The variant a tag names: `slim`, `alpine`, `jre`, `jre-alpine`, `aspnet` or `full`.
///
/// ```
/// use slimfile::image_config::variant_key;
/// assert_eq!(variant_key(Some("3.12-slim-bookworm")), "slim");
/// assert_eq!(variant_key(Some("21-jre-alpine")), "jre-alpine");
/// assert_eq!(variant_key(None), "full");
/// ```
pub fn variant_key(tag: Option<&str>) -> &'static str {
    let tag = tag.unwrap_or("latest");
    let words: Vec<&str> = tag.split('-').collect();
    let has = |w: &str| words.iter().any(|x| x.starts_with(w));
    match (has("jre"), has("slim"), has("alpine")) {
        (true, _, true) => "jre-alpine",
        (true, _, false) => "jre",
        (false, true, _) => "slim",
        (false, false, true) => "alpine",
        _ => "full",
    }
}

/// The run-time facts of `image`, when the data knows its family and variant.
///
/// ```
/// use slimfile::{image::ImageRef, image_config::config_of};
/// assert_eq!(config_of(&ImageRef::parse("golang:1.22")).unwrap().workdir, "/go");
/// assert!(config_of(&ImageRef::parse("scratch")).unwrap().programs.is_empty());
/// assert!(config_of(&ImageRef::parse("python:3.12-slim")).unwrap().has_program("python3"));
/// assert!(config_of(&ImageRef::parse("example.com/team/app:1")).is_none());
/// ```
pub fn config_of(image: &ImageRef) -> Option<&'static ImageConfig> {
    let family = image.family();
    if family == "mcr.microsoft.com/dotnet/aspnet" {
        return images().get("mcr.microsoft.com/dotnet/sdk:aspnet");
    }
    let name = match catalog::catalog().family(image) {
        Some(f) if f.name == "gcr.io/distroless/static" && family != f.name => family,
        Some(f) => f.name.clone(),
        None if family == "scratch" => family,
        None => return None,
    };
    let development = catalog::catalog()
        .named(&name)
        .is_some_and(|f| matches!(f.scheme, catalog::Scheme::Cuda | catalog::Scheme::Pytorch));
    let key = if development {
        // pytorch/pytorch:latest is a runtime tag
        format!(
            "{name}:{}",
            catalog::flavor_of(image.tag.as_deref()).unwrap_or("runtime")
        )
    } else {
        match variant_key(image.tag.as_deref()) {
            "full" => name,
            v => format!("{name}:{v}"),
        }
    };
    images().get(&key)
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_loads() {
        assert!(super::images().len() > 15);
    }
}
