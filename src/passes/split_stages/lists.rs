// The package and program lists of split-stages, from
// `transforms/split-stages.toml`.

use serde::Deserialize;
use std::sync::OnceLock;

const SPLIT_STAGES_TOML: &str = include_str!("../../../transforms/split-stages.toml");

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Lists {
    apk: Apk,
    #[serde(rename = "distro-python")]
    distro_python: DistroPython,
    command: Command,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Apk {
    build_only: Vec<String>,
    go_runtime_leaves_out: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DistroPython {
    left_out: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Command {
    shells: Vec<String>,
}

fn lists() -> &'static Lists {
    static TABLE: OnceLock<Lists> = OnceLock::new();
    TABLE.get_or_init(|| toml::from_str(SPLIT_STAGES_TOML).unwrap_or_default())
}

/// apk packages that only build things (the Packages recipe).
pub(super) fn apk_build_only(name: &str) -> bool {
    lists().apk.build_only.iter().any(|p| p == name)
}

/// apk packages the Go recipe's runtime does not install again.
pub(super) fn go_runtime_leaves_out(name: &str) -> bool {
    lists().apk.go_runtime_leaves_out.iter().any(|p| p == name)
}

/// What the Distro recipe's Python runtime leaves out of the packages.
pub(super) fn distro_python_left_out() -> &'static [&'static str] {
    static REFS: OnceLock<Vec<&'static str>> = OnceLock::new();
    REFS.get_or_init(|| {
        lists()
            .distro_python
            .left_out
            .iter()
            .map(String::as_str)
            .collect()
    })
}

/// Programs that, with options only, open a shell or an interpreter's prompt.
pub(super) fn opens_a_shell(program: &str) -> bool {
    lists().command.shells.iter().any(|p| p == program)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_load_as_they_were_in_the_code() {
        let l: Lists = toml::from_str(SPLIT_STAGES_TOML).expect("split-stages.toml parses");
        assert_eq!(
            l.apk.build_only,
            [
                "build-base",
                "gcc",
                "g++",
                "make",
                "cmake",
                "samurai",
                "musl-dev",
                "libc-dev",
                "linux-headers",
                "pkgconf",
                "pkgconfig",
                "autoconf",
                "automake",
                "libtool",
                "git",
                "binutils",
            ]
        );
        assert_eq!(
            l.apk.go_runtime_leaves_out,
            [
                "git",
                "gcc",
                "g++",
                "make",
                "musl-dev",
                "build-base",
                "linux-headers",
                "binutils",
                "upx",
                "pkgconf",
                "pkgconfig",
                "curl",
                "wget",
                "bash",
                "openssh",
                "openssh-client",
                "ca-certificates",
                "gcompat",
                "libc6-compat",
                "protobuf",
                "protoc",
                "nodejs",
                "npm",
                "yarn",
            ]
        );
        assert_eq!(
            distro_python_left_out(),
            [
                "python3-pip",
                "python3-venv",
                "python3-virtualenv",
                "py3-pip",
                "py3-virtualenv"
            ]
        );
        assert!(opens_a_shell("bash") && opens_a_shell("irb") && !opens_a_shell("nginx"));
        assert!(apk_build_only("cmake") && !go_runtime_leaves_out("cmake"));
        assert!(go_runtime_leaves_out("curl") && !apk_build_only("curl"));
    }
}
