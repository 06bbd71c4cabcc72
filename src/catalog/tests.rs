//! The catalog loads, and the variants each tag scheme derives.

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
