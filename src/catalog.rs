//! The base image catalog (`transforms/bases.toml`, embedded in the binary):
//! image families, how their tags name slim / alpine / JRE / runtime
//! variants, and what those variants weigh.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::image::ImageRef;

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

    /// The family with this catalog name.
    pub fn named(&self, name: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.name == name)
    }
}

/// The kind of variant a swap goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantKind {
    /// Same distribution, fewer packages (`-slim`, `-jre`, `aspnet`): apt keeps working.
    Slim,
    /// musl and apk instead of glibc and apt.
    Alpine,
}

/// A derived variant of an image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub kind: VariantKind,
    /// Repository to write (`None`: keep the one written).
    pub repository: Option<String>,
    pub tag: String,
    /// Size keys in the catalog: (from, to).
    pub size_keys: (&'static str, &'static str),
}

/// Why no variant can be derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoVariant {
    AlreadyMinimal,
    AlreadyVariant(String),
    UnknownTag(String),
    NoSuchVariant(&'static str),
    UnknownJavaVersion,
}

const SUITES: &[&str] = &[
    "bookworm", "bullseye", "buster", "stretch", "trixie", "jammy", "focal", "noble", "bionic",
];

/// Splits a tag into version and the other dash-separated parts; `${…}` stays whole.
fn split_tag(tag: Option<&str>) -> (String, Vec<String>) {
    let tag = tag.unwrap_or("");
    let (version, rest) = if tag.starts_with("${") {
        match tag.find('}') {
            Some(end) => (&tag[..=end], tag[end + 1..].trim_start_matches('-')),
            None => (tag, ""),
        }
    } else {
        match tag.split_once('-') {
            Some((v, r)) => (v, r),
            None => (tag, ""),
        }
    };
    let versionish = version.is_empty()
        || version.starts_with(|c: char| c.is_ascii_digit() || c == '$')
        || matches!(
            version,
            "latest" | "lts" | "current" | "stable" | "mainline"
        )
        // Node.js LTS codenames (`node:carbon` is 8, `node:iron` 20): tags like versions
        || matches!(
            version,
            "argon" | "boron" | "carbon" | "dubnium" | "erbium" | "fermium" | "gallium"
                | "hydrogen" | "iron" | "jod" | "krypton"
        );
    if !versionish {
        // e.g. `bookworm`, `slim`, `alpine`: no version part
        let all: Vec<String> = tag.split('-').map(String::from).collect();
        return (String::new(), all);
    }
    let rest = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('-').map(String::from).collect()
    };
    (version.to_string(), rest)
}

/// True when every `${` in `tag` has its closing `}` (nested `${…}` counted).
fn variables_closed(tag: &str) -> bool {
    let mut depth = 0usize;
    let mut chars = tag.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                depth += 1;
            }
            '}' if depth > 0 => depth -= 1,
            _ => {}
        }
    }
    depth == 0
}

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("-")
}

fn is_variant_word(w: &str) -> bool {
    w == "slim"
        || w.starts_with("alpine")
        || w == "jre"
        || w.starts_with("windowsservercore")
        || w.starts_with("nanoserver")
}

/// A tag read for variant derivation.
struct TagParts<'a> {
    /// The tag as given (`None`: no tag).
    given: Option<&'a str>,
    /// The tag as given, or empty.
    raw: String,
    /// The version part (`latest` read as empty).
    version: &'a str,
    /// The other dash-separated parts.
    rest: Vec<&'a str>,
}

/// A variant in the same repository.
fn same_repository(
    kind: VariantKind,
    tag: String,
    size_keys: (&'static str, &'static str),
) -> Result<Variant, NoVariant> {
    Ok(Variant {
        kind,
        repository: None,
        tag,
        size_keys,
    })
}

/// An eclipse-temurin JRE of Java `java`.
fn temurin_jre(kind: VariantKind, java: &str) -> Variant {
    let (tag, size_keys) = match kind {
        VariantKind::Slim => (format!("{java}-jre"), ("full", "jre")),
        VariantKind::Alpine => (format!("{java}-jre-alpine"), ("full", "jre-alpine")),
    };
    Variant {
        kind,
        repository: Some("eclipse-temurin".into()),
        tag,
        size_keys,
    }
}

/// `<version>[-<suite>]` (python, node, ruby, rust, golang).
fn suite_variant(t: &TagParts, kind: VariantKind, no_slim: bool) -> Result<Variant, NoVariant> {
    let v = t.version;
    let suite = match t.rest.as_slice() {
        [] => "",
        [s] if SUITES.contains(s) => s,
        _ => return Err(NoVariant::UnknownTag(t.raw.clone())),
    };
    match kind {
        VariantKind::Slim if no_slim => Err(NoVariant::NoSuchVariant("slim")),
        VariantKind::Slim => same_repository(kind, join(&[v, "slim", suite]), ("full", "slim")),
        VariantKind::Alpine => same_repository(kind, join(&[v, "alpine"]), ("full", "alpine")),
    }
}

/// `<version>-<cli|fpm|zts|apache>[-<suite>]` (php).
fn php_variant(t: &TagParts, kind: VariantKind) -> Result<Variant, NoVariant> {
    let flavor = match t.rest.as_slice() {
        [f] | [f, _] if matches!(*f, "cli" | "fpm" | "zts" | "apache") => *f,
        _ => return Err(NoVariant::UnknownTag(t.raw.clone())),
    };
    match kind {
        VariantKind::Slim => Err(NoVariant::NoSuchVariant("slim")),
        VariantKind::Alpine if flavor == "apache" => Err(NoVariant::NoSuchVariant("alpine")),
        VariantKind::Alpine => same_repository(
            kind,
            join(&[t.version, flavor, "alpine"]),
            ("full", "alpine"),
        ),
    }
}

/// `<version>[-jdk][-<suite>]` (eclipse-temurin).
fn temurin_variant(t: &TagParts, kind: VariantKind) -> Result<Variant, NoVariant> {
    let v = t.version;
    let suite = match t.rest.as_slice() {
        [] | ["jdk"] => "",
        ["jdk", s] | [s] if SUITES.contains(s) => s,
        _ => return Err(NoVariant::UnknownTag(t.raw.clone())),
    };
    match kind {
        VariantKind::Slim => same_repository(kind, join(&[v, "jre", suite]), ("full", "jre")),
        VariantKind::Alpine => {
            same_repository(kind, join(&[v, "jre", "alpine"]), ("full", "jre-alpine"))
        }
    }
}

/// `<version>[-jdk][-…]` (openjdk, deprecated) → eclipse-temurin's JRE.
fn openjdk_variant(t: &TagParts, kind: VariantKind) -> Result<Variant, NoVariant> {
    if !matches!(t.rest.as_slice(), [] | ["jdk"] | ["jdk", _]) {
        return Err(NoVariant::UnknownTag(t.raw.clone()));
    }
    let v = t.version;
    let major: String = v.chars().take_while(char::is_ascii_digit).collect();
    let java = if major.is_empty() {
        v.to_string()
    } else {
        major
    };
    if java.is_empty() {
        return Err(NoVariant::UnknownJavaVersion);
    }
    Ok(temurin_jre(kind, &java))
}

/// `<version>-…-<jdk/temurin N>…` (maven, gradle) → eclipse-temurin's JRE.
fn javabuild_variant(t: &TagParts, kind: VariantKind) -> Result<Variant, NoVariant> {
    let java = java_version(t.given.unwrap_or("")).ok_or(NoVariant::UnknownJavaVersion)?;
    Ok(temurin_jre(kind, &java))
}

/// `<suite|version>` (debian): `-slim` appended.
fn debian_variant(t: &TagParts, kind: VariantKind) -> Result<Variant, NoVariant> {
    if kind == VariantKind::Alpine {
        return Err(NoVariant::NoSuchVariant("alpine"));
    }
    let base = if t.given.is_none() || t.raw == "latest" {
        "stable".to_string()
    } else {
        t.raw.clone()
    };
    if base.contains('-') && !base.starts_with("${") {
        return Err(NoVariant::UnknownTag(t.raw.clone()));
    }
    same_repository(kind, format!("{base}-slim"), ("full", "slim"))
}

/// `<version>` (nginx, httpd): only an Alpine variant.
fn alpine_only_variant(t: &TagParts, kind: VariantKind) -> Result<Variant, NoVariant> {
    if kind == VariantKind::Slim {
        return Err(NoVariant::NoSuchVariant("slim"));
    }
    if !t.rest.is_empty() {
        return Err(NoVariant::UnknownTag(t.raw.clone()));
    }
    same_repository(kind, join(&[t.version, "alpine"]), ("full", "alpine"))
}

/// `mcr.microsoft.com/dotnet/sdk:<version>` → the ASP.NET runtime of the same tag.
fn dotnet_variant(t: &TagParts, kind: VariantKind) -> Result<Variant, NoVariant> {
    if kind == VariantKind::Alpine {
        return Err(NoVariant::NoSuchVariant("alpine"));
    }
    Ok(Variant {
        kind,
        repository: Some("dotnet/aspnet".into()),
        tag: t.raw.clone(),
        size_keys: ("full", "aspnet"),
    })
}

impl Family {
    /// Derives the `kind` variant of `tag` for this family.
    ///
    /// ```
    /// use slimfile::catalog::{catalog, VariantKind};
    /// use slimfile::image::ImageRef;
    /// let c = catalog();
    /// let py = c.family(&ImageRef::parse("python:3.12")).unwrap();
    /// assert_eq!(py.variant(Some("3.12-bookworm"), VariantKind::Slim).unwrap().tag, "3.12-slim-bookworm");
    /// assert_eq!(py.variant(Some("${PY}"), VariantKind::Slim).unwrap().tag, "${PY}-slim");
    /// let jdk = c.family(&ImageRef::parse("openjdk:17")).unwrap();
    /// let v = jdk.variant(Some("17-jdk"), VariantKind::Slim).unwrap();
    /// assert_eq!((v.repository.as_deref(), v.tag.as_str()), (Some("eclipse-temurin"), "17-jre"));
    /// ```
    pub fn variant(&self, tag: Option<&str>, kind: VariantKind) -> Result<Variant, NoVariant> {
        let raw = tag.unwrap_or("").to_string();
        if !variables_closed(&raw) {
            // `node:${X`: BuildKit's parser takes it, but nothing can expand it, and a
            // variant derived from it (`${X-slim`) would read as a new unknown tag
            return Err(NoVariant::UnknownTag(raw));
        }
        let (version, rest) = split_tag(tag);
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        if let Some(w) = rest.iter().find(|w| is_variant_word(w)) {
            return Err(NoVariant::AlreadyVariant(w.to_string()));
        }
        let v = if version == "latest" {
            ""
        } else {
            version.as_str()
        };
        let parts = TagParts {
            given: tag,
            raw,
            version: v,
            rest,
        };
        match self.scheme {
            Scheme::Final => Err(NoVariant::AlreadyMinimal),
            Scheme::Suite => suite_variant(&parts, kind, self.no_slim),
            Scheme::Php => php_variant(&parts, kind),
            Scheme::Temurin => temurin_variant(&parts, kind),
            Scheme::Openjdk => openjdk_variant(&parts, kind),
            Scheme::Javabuild => javabuild_variant(&parts, kind),
            Scheme::Debian => debian_variant(&parts, kind),
            Scheme::AlpineOnly => alpine_only_variant(&parts, kind),
            Scheme::Dotnet => dotnet_variant(&parts, kind),
        }
    }

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
        Some(if key == "full" {
            format!("{name}:{tag}")
        } else {
            format!("{name}:{tag}-{key}")
        })
    }
}

/// The Java major version in a maven/gradle tag: `3.9-eclipse-temurin-21` → 21, `8.5-jdk17` → 17.
pub(crate) fn java_version(tag: &str) -> Option<String> {
    let parts: Vec<&str> = tag.split('-').collect();
    for (i, p) in parts.iter().enumerate() {
        if let Some(n) = p
            .strip_prefix("jdk")
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            return Some(n.to_string());
        }
        if matches!(
            *p,
            "temurin" | "openjdk" | "amazoncorretto" | "corretto" | "sapmachine" | "graalvm"
        ) && let Some(n) = parts
            .get(i + 1)
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        {
            return Some(n.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(image: &str, kind: VariantKind) -> Result<String, NoVariant> {
        let r = ImageRef::parse(image);
        let f = catalog().family(&r).expect("known family");
        f.variant(r.tag.as_deref(), kind)
            .map(|v| format!("{}:{}", v.repository.unwrap_or(r.repository.clone()), v.tag))
    }

    #[test]
    fn catalog_loads_and_has_sources() {
        let c = catalog();
        assert!(c.families.len() >= 15);
        assert!(!c.sizes_source.is_empty());
    }

    #[test]
    fn derivations() {
        use VariantKind::*;
        assert_eq!(variant("python:3.12", Slim).unwrap(), "python:3.12-slim");
        assert_eq!(
            variant("python:3.12.4", Alpine).unwrap(),
            "python:3.12.4-alpine"
        );
        assert_eq!(variant("python", Slim).unwrap(), "python:slim");
        assert_eq!(
            variant("node:20-buster", Slim).unwrap(),
            "node:20-slim-buster"
        );
        assert_eq!(variant("node:lts", Slim).unwrap(), "node:lts-slim");
        assert_eq!(variant("node:latest", Slim).unwrap(), "node:slim");
        assert_eq!(
            variant("eclipse-temurin:21-jdk-jammy", Slim).unwrap(),
            "eclipse-temurin:21-jre-jammy"
        );
        assert_eq!(
            variant("maven:3.9-eclipse-temurin-21", Slim).unwrap(),
            "eclipse-temurin:21-jre"
        );
        assert_eq!(
            variant("gradle:8.5-jdk17", Slim).unwrap(),
            "eclipse-temurin:17-jre"
        );
        assert_eq!(
            variant("openjdk:8u342-jdk", Slim).unwrap(),
            "eclipse-temurin:8-jre"
        );
        assert_eq!(
            variant("debian:bookworm", Slim).unwrap(),
            "debian:bookworm-slim"
        );
        assert_eq!(
            variant("php:8.3-cli", Alpine).unwrap(),
            "php:8.3-cli-alpine"
        );
        assert_eq!(variant("nginx:1.27", Alpine).unwrap(), "nginx:1.27-alpine");
        assert_eq!(
            variant("golang:1.22", Slim),
            Err(NoVariant::NoSuchVariant("slim"))
        );
        assert_eq!(
            variant("python:3.12-slim", Slim),
            Err(NoVariant::AlreadyVariant("slim".into()))
        );
        assert_eq!(
            variant("python:3.12-windowsservercore-ltsc2022", Slim),
            Err(NoVariant::AlreadyVariant("windowsservercore".into()))
        );
        assert_eq!(variant("alpine:3.19", Slim), Err(NoVariant::AlreadyMinimal));
        assert_eq!(
            variant("maven:3.9", Slim),
            Err(NoVariant::UnknownJavaVersion)
        );
        assert_eq!(
            variant("mcr.microsoft.com/dotnet/sdk:8.0", Slim).unwrap(),
            "dotnet/aspnet:8.0"
        );
        assert_eq!(
            variant("node:${X", Slim),
            Err(NoVariant::UnknownTag("${X".into()))
        );
        assert_eq!(
            variant("debian:${SUITE", Slim),
            Err(NoVariant::UnknownTag("${SUITE".into()))
        );
        assert_eq!(variant("node:${V}", Slim).unwrap(), "node:${V}-slim");
    }

    /// A derived variant is final: deriving again from it gives nothing, so
    /// slim-base reaches a fixpoint in one round (`node:${X` once gave
    /// `node:${X-slim`, then `node:${X-slim-slim`, …).
    #[test]
    fn a_variant_has_no_further_variant() {
        let tags = [
            None,
            Some(""),
            Some("latest"),
            Some("20"),
            Some("3.12.4"),
            Some("lts"),
            Some("bookworm"),
            Some("20-bookworm"),
            Some("3.12-slim"),
            Some("${V}"),
            Some("${V:-20}"),
            Some("${V}-bookworm"),
            Some("$V"),
            Some("${V"),
            Some("${V:-${D}"),
            Some("3.${MINOR}"),
            Some("17-jdk"),
            Some("21-jdk-jammy"),
            Some("8-cli"),
            Some("8.3-fpm-bookworm"),
            Some("3.9-eclipse-temurin-21"),
            Some("8.5-jdk17"),
            Some("8.0"),
            Some("}"),
            Some("-"),
            Some("--"),
            Some("a-b-c"),
        ];
        for family in &catalog().families {
            for tag in tags {
                for kind in [VariantKind::Slim, VariantKind::Alpine] {
                    let Ok(v) = family.variant(tag, kind) else {
                        continue;
                    };
                    let name = v.repository.clone().unwrap_or_else(|| family.name.clone());
                    let image = ImageRef::parse(&format!("{name}:{}", v.tag));
                    let Some(next) = catalog().family(&image) else {
                        continue;
                    };
                    for again in [VariantKind::Slim, VariantKind::Alpine] {
                        assert!(
                            next.variant(image.tag.as_deref(), again).is_err(),
                            "{}:{tag:?} → {image} → {:?}",
                            family.name,
                            next.variant(image.tag.as_deref(), again)
                        );
                    }
                }
            }
        }
    }
}
