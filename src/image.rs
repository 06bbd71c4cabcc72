//! Image references: `[registry/]repository[:tag][@digest]`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

const OFFICIAL_IMAGES_TOML: &str = include_str!("../transforms/official-images.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficialImages {
    names: Vec<String>,
}

/// The Docker Official Images names (`transforms/official-images.toml`).
fn official_images() -> &'static HashSet<String> {
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        toml::from_str::<OfficialImages>(OFFICIAL_IMAGES_TOML)
            .map(|o| o.names.into_iter().collect())
            .unwrap_or_default()
    })
}

/// True when `name` (case-insensitively, optionally `library/`-prefixed) is
/// a Docker Official Image: `bash`, `busybox`, `alpine`, …
///
/// ```
/// assert!(slimfile::image::is_official_image("bash"));
/// assert!(slimfile::image::is_official_image("Library/Busybox"));
/// assert!(!slimfile::image::is_official_image("builder"));
/// ```
pub fn is_official_image(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let bare = lower.strip_prefix("library/").unwrap_or(&lower);
    official_images().contains(bare)
}

/// A parsed image reference, as written (variables unexpanded unless resolved).
///
/// ```
/// use slimfile::image::ImageRef;
/// let r = ImageRef::parse("docker.io/library/node:20-bookworm@sha256:abc");
/// assert_eq!(r.registry.as_deref(), Some("docker.io"));
/// assert_eq!(r.repository, "library/node");
/// assert_eq!(r.family(), "node");
/// assert_eq!(r.tag.as_deref(), Some("20-bookworm"));
/// assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Reads a reference with dockerfile-parser's `ImageRef::parse` (registry,
    /// image, tag, digest). The crate drops the tag of a reference that has
    /// both (`node:20@sha256:…` comes back as image `node:20`): that one case
    /// is split here.
    pub fn parse(s: &str) -> ImageRef {
        let typed = dockerfile_parser::ImageRef::parse(s);
        let (repository, tag) = match (&typed.hash, typed.image.rsplit_once(':')) {
            (Some(_), Some((image, tag))) if !tag.contains('/') => {
                (image.to_string(), Some(tag.to_string()))
            }
            _ => (typed.image, typed.tag),
        };
        ImageRef {
            registry: typed.registry,
            repository,
            tag,
            digest: typed.hash,
        }
    }

    /// The last path component of the repository, lower-cased: `busybox` for
    /// `docker.io/library/busybox:1.36`. A stage with this name would shadow
    /// the image for BuildKit or for a named build context of that name.
    pub fn bare_name(&self) -> String {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    }

    /// True when the reference has a registry, a path, a tag or a digest:
    /// it cannot be a stage name.
    pub fn has_image_syntax(&self) -> bool {
        self.registry.is_some()
            || self.repository.contains('/')
            || self.tag.is_some()
            || self.digest.is_some()
    }

    /// True for Docker Hub (no registry, or `docker.io` / `index.docker.io`).
    pub fn is_docker_hub(&self) -> bool {
        matches!(
            self.registry.as_deref(),
            None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io")
        )
    }

    /// The name the catalog knows an image by: Docker Hub official images
    /// without `library/` (`node`), others with their registry
    /// (`mcr.microsoft.com/dotnet/sdk`, `gcr.io/distroless/static`).
    pub fn family(&self) -> String {
        if self.is_docker_hub() {
            self.repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository)
                .to_string()
        } else {
            format!(
                "{}/{}",
                self.registry.as_deref().unwrap_or(""),
                self.repository
            )
        }
    }

    /// The prefix written before the family name (`docker.io/library/`, a mirror, …), if any.
    pub fn hub_prefix(&self) -> String {
        if !self.is_docker_hub() {
            return String::new();
        }
        let mut p = String::new();
        if let Some(r) = &self.registry {
            p.push_str(r);
            p.push('/');
        }
        if self.repository.starts_with("library/") {
            p.push_str("library/");
        }
        p
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(r) = &self.registry {
            write!(f, "{r}/")?;
        }
        write!(f, "{}", self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// Expands `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}` from
/// `vars`; `None` when a variable has no value and no default.
///
/// ```
/// use std::collections::HashMap;
/// let vars = HashMap::from([("PY".to_string(), Some("3.12".to_string()))]);
/// assert_eq!(slimfile::image::expand("python:${PY}-slim", &vars).as_deref(), Some("python:3.12-slim"));
/// assert_eq!(slimfile::image::expand("node:${NODE:-20}", &vars).as_deref(), Some("node:20"));
/// assert_eq!(slimfile::image::expand("node:$NODE", &vars), None);
/// ```
pub fn expand(s: &str, vars: &HashMap<String, Option<String>>) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let value = |name: &str| vars.get(name).cloned().flatten();
        if let Some(body) = rest.strip_prefix('{') {
            let end = body.find('}')?;
            let inner = &body[..end];
            rest = &body[end + 1..];
            if let Some((name, default)) = inner.split_once(":-") {
                out.push_str(
                    &value(name)
                        .filter(|v| !v.is_empty())
                        .unwrap_or_else(|| default.to_string()),
                );
            } else if let Some((name, alt)) = inner.split_once(":+") {
                if value(name).is_some_and(|v| !v.is_empty()) {
                    out.push_str(alt);
                }
            } else {
                out.push_str(&value(inner)?);
            }
        } else {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if len == 0 {
                out.push('$');
                continue;
            }
            out.push_str(&value(&rest[..len])?);
            rest = &rest[len..];
        }
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_with_port_is_not_a_tag() {
        let r = ImageRef::parse("localhost:5000/team/app");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag, None);
        assert_eq!(r.to_string(), "localhost:5000/team/app");
    }

    #[test]
    fn official_images_list_is_read() {
        assert!(official_images().len() > 100);
        for name in ["bash", "busybox", "alpine", "python", "node", "golang"] {
            assert!(is_official_image(name), "{name}");
        }
        assert!(!is_official_image("base"));
    }

    #[test]
    fn tag_and_digest_together() {
        let r = ImageRef::parse("ghcr.io/org/app:1.2@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("ghcr.io"));
        assert_eq!(r.repository, "org/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        assert_eq!(r.bare_name(), "app");
        let d = ImageRef::parse("localhost:5000/app@sha256:abc");
        assert_eq!(d.tag, None);
        assert_eq!(d.repository, "app");
        assert!(!ImageRef::parse("busybox").has_image_syntax());
        assert!(ImageRef::parse("busybox:1").has_image_syntax());
    }

    #[test]
    fn families() {
        assert_eq!(ImageRef::parse("python:3.12").family(), "python");
        assert_eq!(
            ImageRef::parse("bitnami/python:3").family(),
            "bitnami/python"
        );
        assert_eq!(
            ImageRef::parse("mcr.microsoft.com/dotnet/sdk:8.0").family(),
            "mcr.microsoft.com/dotnet/sdk"
        );
        assert_eq!(
            ImageRef::parse("docker.io/library/node:20").hub_prefix(),
            "docker.io/library/"
        );
    }
}
