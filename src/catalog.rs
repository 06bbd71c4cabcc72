//! The base image catalog (`transforms/bases.toml`, embedded in the binary):
//! image families, how their tags name slim / alpine / JRE / runtime
//! variants, and what those variants weigh.

mod variants;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::image::ImageRef;

pub use variants::{NoVariant, Variant, VariantKind, flavor_of};
pub(crate) use variants::{java_version, rewrite_ref};

const BASES_TOML: &str = include_str!("../transforms/bases.toml");

/// How a family's tags are read (see the header of `transforms/bases.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    Suite,
    Php,
    Temurin,
    Openjdk,
    Javabuild,
    Debian,
    AlpineOnly,
    Dotnet,
    Final,
    /// `nvidia/cuda`: `<version>[-cudnn[N]]-<devel|runtime|base>[-<os>]`.
    Cuda,
    /// `pytorch/pytorch`: `<version>-cuda<X>-cudnn<N>-<devel|runtime>`.
    Pytorch,
    /// conda and micromamba images: the environment is carried onto Debian.
    Conda,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub name: String,
    pub scheme: Scheme,
    #[serde(default)]
    pub no_slim: bool,
    #[serde(default)]
    pub size_tag: Option<String>,
    /// Other names of the same images (`nvcr.io/nvidia/cuda` for `nvidia/cuda`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Compressed MB per variant key (`full`, `slim`, `alpine`, `jre`, `jre-alpine`).
    pub size_mb: BTreeMap<String, f64>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub sizes_as_of: String,
    pub sizes_source: String,
    #[serde(rename = "family")]
    pub families: Vec<Family>,
}

/// The embedded catalog.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        toml::from_str(BASES_TOML).expect("transforms/bases.toml is valid (checked by tests)")
    })
}

impl Catalog {
    /// The family an image reference belongs to, if the catalog knows it.
    pub fn family(&self, image: &ImageRef) -> Option<&Family> {
        let name = image.family();
        self.named(&name).or_else(|| {
            // every distroless image is already minimal
            name.starts_with("gcr.io/distroless/")
                .then(|| self.named("gcr.io/distroless/static"))?
        })
    }

    /// The catalog's compressed size of an image, MB, read from its tag's
    /// variant words (`-slim`, `-alpine`, `-jre`); `None` when unknown.
    ///
    /// ```
    /// use slimfile::{catalog::catalog, image::ImageRef};
    /// assert_eq!(catalog().approx_size_mb(&ImageRef::parse("python:3.12-slim")), Some(43.2));
    /// assert_eq!(catalog().approx_size_mb(&ImageRef::parse("scratch")), Some(0.0));
    /// ```
    pub fn approx_size_mb(&self, image: &ImageRef) -> Option<f64> {
        if image.family() == "scratch" {
            return Some(0.0);
        }
        let family = self.family(image)?;
        if matches!(family.scheme, Scheme::Cuda | Scheme::Pytorch) {
            // pytorch/pytorch:latest is the runtime flavor
            let flavor = flavor_of(image.tag.as_deref()).unwrap_or("runtime");
            return family.size(flavor);
        }
        let tag = image.tag.as_deref().unwrap_or("latest");
        let words: Vec<&str> = tag.split('-').collect();
        let has = |w: &str| words.iter().any(|x| x.starts_with(w));
        let key = match (has("jre"), has("slim"), has("alpine")) {
            (true, _, true) => "jre-alpine",
            (true, _, false) => "jre",
            (false, true, _) => "slim",
            (false, false, true) => "alpine",
            _ => "full",
        };
        family.size(key)
    }

    /// The family with this catalog name (or alias).
    pub fn named(&self, name: &str) -> Option<&Family> {
        self.families
            .iter()
            .find(|f| f.name == name || f.aliases.iter().any(|a| a == name))
    }
}

impl Family {
    pub fn size(&self, key: &str) -> Option<f64> {
        self.size_mb.get(key).copied()
    }

    /// The image a size figure was read from: the family's reference tag with
    /// the variant key (`python:3.12`, `python:3.12-slim`,
    /// `eclipse-temurin:21-jre`). Figures are per family, not per tag, so a
    /// message quoting one names this image. Families without a reference tag
    /// of their own (openjdk, maven, gradle) quote eclipse-temurin's JRE.
    ///
    /// ```
    /// use slimfile::{catalog::catalog, image::ImageRef};
    /// let py = catalog().family(&ImageRef::parse("python:3.8")).unwrap();
    /// assert_eq!(py.size_reference("full").as_deref(), Some("python:3.12"));
    /// assert_eq!(py.size_reference("slim").as_deref(), Some("python:3.12-slim"));
    /// let mvn = catalog().family(&ImageRef::parse("maven:3")).unwrap();
    /// assert_eq!(mvn.size_reference("jre").as_deref(), Some("eclipse-temurin:21-jre"));
    /// ```
    pub fn size_reference(&self, key: &str) -> Option<String> {
        self.size_mb.get(key)?;
        let (name, tag) = match &self.size_tag {
            Some(tag) => (self.name.as_str(), tag.as_str()),
            None => {
                let temurin = catalog().named("eclipse-temurin")?;
                (temurin.name.as_str(), temurin.size_tag.as_deref()?)
            }
        };
        if matches!(self.scheme, Scheme::Cuda | Scheme::Pytorch) {
            let words: Vec<&str> = tag
                .split('-')
                .map(|w| if w == "devel" { key } else { w })
                .collect();
            return Some(format!("{name}:{}", words.join("-")));
        }
        Some(if key == "full" {
            format!("{name}:{tag}")
        } else {
            format!("{name}:{tag}-{key}")
        })
    }
}

#[cfg(test)]
mod tests;
