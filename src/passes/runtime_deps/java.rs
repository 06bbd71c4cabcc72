//! ### A JRE older than the bytecode
//! A jar compiled for Java 21 does not load on a Java 17 runtime
//! (`UnsupportedClassVersionError`). The bytecode level is read from the
//! build file at hand: pom.xml's `maven.compiler.release`/`target`,
//! `<release>`, `java.version` (Maven's own default is Java 8, which every
//! runtime loads); build.gradle(.kts)'s toolchain, `release` or
//! `targetCompatibility` (Gradle's default is the JDK it runs on: the
//! builder's). When that level is newer than the final stage's Java, the
//! final stage's tag moves to the first LTS release that loads it, in the
//! same image family (eclipse-temurin, amazoncorretto, distroless java), or
//! onto eclipse-temurin's JRE from the deprecated openjdk image when the
//! stage runs no steps of its own.

use super::{Link, has_keyword, root, warn};
use crate::catalog::java_version;
use crate::edit::{Change, Edit, Findings, Safety};
use crate::model::Stage;
use crate::passes::Context;
use crate::reason::Reason;
use crate::syntax::Keyword;

/// Java releases with long-term support: the runtimes images are published for.
const LTS: &[u32] = &[8, 11, 17, 21, 25];

pub(super) fn check(cx: &Context, link: &Link, out: &mut Findings) {
    let runtime = link.runtime;
    let base = root(cx, link.builder);
    let Some(jdk) = jdk_major(base) else {
        return;
    };
    let Some(jre) = runtime_major(runtime) else {
        return;
    };
    if jre >= jdk {
        return;
    }
    let command = crate::artifacts::final_command(cx, runtime);
    if !command.contains("java") {
        return;
    }
    let at = cx.doc.instructions[link.copies[0].instruction].span.start;
    let Some((level, source)) = bytecode_level(cx, jdk) else {
        return warn(
            out,
            at,
            Reason::ContextUnknown,
            format!(
                "the builder compiles with Java {jdk} and the final stage runs Java {jre}; no pom.xml or build.gradle at hand to tell which Java the bytecode needs"
            ),
        );
    };
    if level <= jre {
        return;
    }
    let failure = format!(
        "the jar is compiled for Java {level} ({source}) and {} runs Java {jre}: it fails with UnsupportedClassVersionError",
        runtime.base_text
    );
    let Some(target) = LTS.iter().copied().find(|v| *v >= level) else {
        return warn(
            out,
            at,
            Reason::NotYet,
            format!("{failure}; no LTS runtime for Java {level} is known"),
        );
    };
    let plain = cx.text.get(runtime.base_span.clone()) == Some(runtime.base_text.as_str())
        && !runtime.base_text.contains('$');
    match retagged(runtime, target, has_keyword(cx, runtime, Keyword::Run)) {
        Some(to) if plain => out.change(Change::new(
            Safety::Review,
            format!("{failure}. Run it on {to}"),
            vec![Edit::replace(runtime.base_span.clone(), to)],
        )),
        _ => warn(
            out,
            at,
            Reason::NotYet,
            format!("{failure}; use a Java {target} runtime"),
        ),
    }
}

/// The leading number of a tag: `21` of `21-jre-jammy`, `17` of `17.0.9_9-jdk`, `8` of `8u372`.
fn leading_number(tag: &str) -> Option<u32> {
    let digits: String = tag.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The builder's JDK: maven/gradle tags name it, JDK images lead with it.
fn jdk_major(stage: &Stage) -> Option<u32> {
    let base = stage.effective_base();
    let tag = base.tag.as_deref()?;
    match base.family().as_str() {
        "maven" | "gradle" => java_version(tag)?.parse().ok(),
        "eclipse-temurin" | "openjdk" | "amazoncorretto" | "sapmachine" => leading_number(tag),
        _ => None,
    }
}

/// The final stage's Java: the tag of a JRE/JDK image, or distroless `javaN`.
fn runtime_major(stage: &Stage) -> Option<u32> {
    let base = stage.effective_base();
    if let Some(rest) = base.repository.strip_prefix("distroless/java") {
        return leading_number(rest);
    }
    let tag = base.tag.as_deref()?;
    match base.family().as_str() {
        "eclipse-temurin" | "openjdk" | "amazoncorretto" | "sapmachine" => leading_number(tag),
        _ => None,
    }
}

/// The same runtime image for Java `target`, as written (registry kept).
fn retagged(stage: &Stage, target: u32, runs_steps: bool) -> Option<String> {
    let base = stage.effective_base();
    let tag = base.tag.as_deref().unwrap_or("");
    let mut to = stage.base.clone();
    if base.repository.starts_with("distroless/java") {
        if !matches!(target, 17 | 21) {
            return None;
        }
        let suffix = base
            .repository
            .trim_start_matches("distroless/java")
            .trim_start_matches(|c: char| c.is_ascii_digit());
        to.repository = format!("distroless/java{target}{suffix}");
        return Some(to.to_string());
    }
    let alpine = tag.contains("alpine");
    match base.family().as_str() {
        "eclipse-temurin" => {
            let kind = if tag.contains("jdk") { "jdk" } else { "jre" };
            to.tag = Some(format!(
                "{target}-{kind}{}",
                if alpine { "-alpine" } else { "" }
            ));
        }
        "amazoncorretto" => {
            to.tag = Some(format!("{target}{}", if alpine { "-alpine" } else { "" }));
        }
        // deprecated, with no JRE past 11: eclipse-temurin's, when nothing runs on the old base
        "openjdk" if !runs_steps => {
            return Some(format!(
                "{}eclipse-temurin:{target}-jre{}",
                base.hub_prefix(),
                if alpine { "-alpine" } else { "" }
            ));
        }
        _ => return None,
    }
    Some(to.to_string())
}

/// The Java release the bytecode targets and where that was read; `None`
/// when no build file is at hand.
fn bytecode_level(cx: &Context, jdk: u32) -> Option<(u32, String)> {
    if let Some(pom) = cx.read("pom.xml") {
        return Some(match pom_level(&pom) {
            Some((v, key)) => (v, format!("pom.xml {key}")),
            None => (8, "Maven's default".to_string()),
        });
    }
    for file in ["build.gradle.kts", "build.gradle"] {
        if let Some(text) = cx.read(file) {
            return Some(match gradle_level(&text) {
                Some(v) => (v, file.to_string()),
                None => (jdk, format!("Gradle's default, the builder's JDK {jdk}")),
            });
        }
    }
    None
}

/// `8` of `1.8`, `17` of `17`.
fn java_number(text: &str) -> Option<u32> {
    let t = text.trim().trim_matches(['"', '\'']);
    let t = t.strip_prefix("1.").unwrap_or(t);
    t.parse().ok()
}

/// The release pom.xml compiles for, with the element it was read from.
fn pom_level(pom: &str) -> Option<(u32, &'static str)> {
    let doc = roxmltree::Document::parse(pom).ok()?;
    let text_of = |name: &str| -> Option<String> {
        doc.descendants()
            .find(|n| n.tag_name().name() == name)
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    let resolve = |value: String| -> Option<u32> {
        match value
            .trim()
            .strip_prefix("${")
            .and_then(|v| v.strip_suffix('}'))
        {
            Some(property) => text_of(property).and_then(|v| java_number(&v)),
            None => java_number(&value),
        }
    };
    for key in [
        "maven.compiler.release",
        "release",
        "maven.compiler.target",
        "target",
        "java.version",
    ] {
        if let Some(v) = text_of(key).and_then(resolve) {
            return Some((v, key));
        }
    }
    None
}

/// The release a Gradle build compiles for, when the build file says.
fn gradle_level(text: &str) -> Option<u32> {
    for marker in [
        "JavaLanguageVersion.of(",
        "jvmToolchain(",
        "release.set(",
        "release =",
        "targetCompatibility =",
        "targetCompatibility",
        "sourceCompatibility =",
        "sourceCompatibility",
    ] {
        if let Some(i) = text.find(marker) {
            let rest = &text[i + marker.len()..];
            let rest = rest.trim_start_matches([' ', '=', '(', '\'', '"']);
            let rest = rest
                .strip_prefix("JavaVersion.VERSION_")
                .map(|r| r.replace('_', "."))
                .unwrap_or_else(|| rest.to_string());
            let value: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if let Some(v) = java_number(&value) {
                return Some(v);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pom_levels() {
        let pom = "<project><properties><java.version>21</java.version></properties></project>";
        assert_eq!(pom_level(pom), Some((21, "java.version")));
        let pom = "<project><properties><maven.compiler.release>17</maven.compiler.release><maven.compiler.target>1.8</maven.compiler.target></properties></project>";
        assert_eq!(pom_level(pom), Some((17, "maven.compiler.release")));
        let pom = "<project><properties><v>11</v></properties><build><plugins><plugin><configuration><release>${v}</release></configuration></plugin></plugins></build></project>";
        assert_eq!(pom_level(pom), Some((11, "release")));
        assert_eq!(pom_level("<project/>"), None);
    }

    #[test]
    fn gradle_levels() {
        assert_eq!(
            gradle_level("java { toolchain { languageVersion = JavaLanguageVersion.of(21) } }"),
            Some(21)
        );
        assert_eq!(gradle_level("sourceCompatibility = '1.8'"), Some(8));
        assert_eq!(
            gradle_level("java { targetCompatibility = JavaVersion.VERSION_17 }"),
            Some(17)
        );
        assert_eq!(gradle_level("plugins { id 'java' }"), None);
    }
}
