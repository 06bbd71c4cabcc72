//! The variants of a family's tags: how each tag scheme (`Scheme`) names the slim, JRE,
//! runtime or Alpine variant of a tag, and the reference a swap writes.

use crate::image::ImageRef;

use super::{Family, Scheme};

/// The kind of variant a swap goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantKind {
    /// Same distribution, fewer packages (`-slim`, `-jre`, `aspnet`): apt keeps working.
    Slim,
    /// musl and apk instead of glibc and apt.
    Alpine,
    /// The run-time flavor of a development image (`nvidia/cuda`,
    /// `pytorch/pytorch`: `-devel` → `-runtime`): the same OS, libraries and
    /// versions, without the compilers, headers and static libraries.
    Runtime,
    /// The smallest run-time flavor (`nvidia/cuda` `-devel` → `-base`: the
    /// CUDA runtime library and nothing else; no cuDNN flavor has one).
    Base,
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
        VariantKind::Alpine => (format!("{java}-jre-alpine"), ("full", "jre-alpine")),
        _ => (format!("{java}-jre"), ("full", "jre")),
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
        VariantKind::Runtime | VariantKind::Base => Err(NoVariant::NoSuchVariant("runtime")),
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
        VariantKind::Runtime | VariantKind::Base => Err(NoVariant::NoSuchVariant("runtime")),
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
        VariantKind::Runtime | VariantKind::Base => Err(NoVariant::NoSuchVariant("runtime")),
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

/// The flavor words of a development image's tag.
const FLAVORS: &[&str] = &["devel", "runtime", "base"];

/// `nvidia/cuda:<version>[-cudnn[N]]-<devel|runtime|base>[-<os>]` and
/// `pytorch/pytorch:<version>-cuda<X>-cudnn<N>-<devel|runtime>`: the flavor
/// word of the tag replaced, everything else (versions, cuDNN, OS) kept.
/// Size keys: `devel`, `runtime`, `base` (the cuDNN flavors are counted by
/// the plain ones: see `transforms/bases.toml`).
fn flavor_variant(t: &TagParts, kind: VariantKind, scheme: Scheme) -> Result<Variant, NoVariant> {
    let words: Vec<&str> = t.raw.split('-').collect();
    let Some(i) = words.iter().position(|w| FLAVORS.contains(w)) else {
        return Err(NoVariant::UnknownTag(t.raw.clone()));
    };
    if words[i] != "devel" {
        return Err(NoVariant::AlreadyVariant(words[i].to_string()));
    }
    let to = match kind {
        VariantKind::Runtime => "runtime",
        VariantKind::Base if scheme == Scheme::Cuda => {
            if words.iter().any(|w| w.starts_with("cudnn")) {
                return Err(NoVariant::NoSuchVariant("base"));
            }
            "base"
        }
        VariantKind::Base => return Err(NoVariant::NoSuchVariant("base")),
        VariantKind::Slim => return Err(NoVariant::NoSuchVariant("slim")),
        VariantKind::Alpine => return Err(NoVariant::NoSuchVariant("alpine")),
    };
    let mut out = words.clone();
    out[i] = to;
    same_repository(kind, out.join("-"), ("devel", to))
}

/// The flavor of a development image's tag (`devel`, `runtime`, `base`),
/// when the tag names one.
///
/// ```
/// use slimfile::catalog::flavor_of;
/// assert_eq!(flavor_of(Some("12.1.1-cudnn8-devel-ubuntu22.04")), Some("devel"));
/// assert_eq!(flavor_of(Some("2.3.1-cuda12.1-cudnn8-runtime")), Some("runtime"));
/// assert_eq!(flavor_of(Some("latest")), None);
/// ```
pub fn flavor_of(tag: Option<&str>) -> Option<&'static str> {
    let tag = tag?;
    tag.split('-')
        .find_map(|w| FLAVORS.iter().find(|f| **f == w))
        .copied()
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
    /// let cuda = c.family(&ImageRef::parse("nvidia/cuda:12.1.1-devel-ubuntu22.04")).unwrap();
    /// let tag = |t, k| cuda.variant(Some(t), k).map(|v| v.tag);
    /// assert_eq!(tag("12.1.1-cudnn8-devel-ubuntu22.04", VariantKind::Runtime).unwrap(), "12.1.1-cudnn8-runtime-ubuntu22.04");
    /// assert_eq!(tag("11.8.0-devel-ubuntu22.04", VariantKind::Base).unwrap(), "11.8.0-base-ubuntu22.04");
    /// assert!(tag("12.6.3-cudnn-devel-ubuntu24.04", VariantKind::Base).is_err());
    /// assert!(tag("12.1.1-runtime-ubuntu22.04", VariantKind::Runtime).is_err());
    /// assert!(tag("11.8.0-devel-ubuntu22.04", VariantKind::Slim).is_err());
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
        let development = matches!(self.scheme, Scheme::Cuda | Scheme::Pytorch);
        if !development && matches!(kind, VariantKind::Runtime | VariantKind::Base) {
            return Err(NoVariant::NoSuchVariant("runtime"));
        }
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
            Scheme::Cuda | Scheme::Pytorch => flavor_variant(&parts, kind, self.scheme),
            // the environment is carried onto a plain Debian base, not a variant
            Scheme::Conda => Err(NoVariant::NoSuchVariant("slim")),
        }
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

/// The written reference with a new tag (and repository), prefixes kept.
pub(crate) fn rewrite_ref(written: &ImageRef, repository: Option<&str>, tag: &str) -> String {
    match repository {
        None => {
            let mut r = written.clone();
            r.tag = Some(tag.to_string());
            r.to_string()
        }
        Some(repo) if repo.starts_with("dotnet/") => format!("mcr.microsoft.com/{repo}:{tag}"),
        Some(repo) => format!("{}{repo}:{tag}", written.hub_prefix()),
    }
}
