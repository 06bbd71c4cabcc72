//! The container engine `verify` builds and runs with: which program, which
//! kind (podman or Docker), on which host, and which builder its build uses.
//!
//! The capabilities are read once from the engine's `version` output (and,
//! for Docker, whether the `buildx` plugin answers), then every command
//! verify runs is made here, with the flags that engine takes:
//!
//! | engine | builder | build command |
//! |---|---|---|
//! | podman | Buildah | `podman build --pull=<policy>` |
//! | docker, buildx plugin | BuildKit via buildx | `docker buildx build --load [--pull]` |
//! | docker CLI < 23, engine ≥ 18.09 | BuildKit built into the CLI | `DOCKER_BUILDKIT=1 docker build [--pull]` |
//! | docker CLI ≥ 23 without buildx | legacy builder only | `DOCKER_BUILDKIT=0 docker build [--pull]` |
//!
//! Docker's `--pull` is a boolean (always pull, or use what is there and pull
//! what is missing); podman's is a policy (`always`, `missing`, `never`, `newer`).

use std::path::Path;
use std::process::{Command, Stdio};

/// Podman or Docker: their flags differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Podman,
    Docker,
}

/// The builder a `build` runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Builder {
    /// podman's builder (Buildah).
    Buildah,
    /// BuildKit through the `buildx` CLI plugin (`docker buildx build --load`).
    BuildkitBuildx,
    /// BuildKit through the client built into Docker CLIs before 23 (`DOCKER_BUILDKIT=1`).
    BuildkitNative,
    /// Docker's legacy builder: no `RUN --mount`, heredocs or `COPY --link`.
    Legacy,
}

impl Builder {
    /// How the report names it.
    pub fn describe(self) -> &'static str {
        match self {
            Builder::Buildah => "Buildah (podman build)",
            Builder::BuildkitBuildx => "BuildKit via buildx (docker buildx build --load)",
            Builder::BuildkitNative => "BuildKit built into the docker CLI (DOCKER_BUILDKIT=1)",
            Builder::Legacy => "Docker's legacy builder (DOCKER_BUILDKIT=0)",
        }
    }

    /// Whether this builder takes BuildKit-only syntax (`RUN --mount`, heredocs, `COPY --link`).
    pub fn is_buildkit(self) -> bool {
        matches!(self, Builder::BuildkitBuildx | Builder::BuildkitNative)
    }
}

/// A container engine with its capabilities, read once.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Engine {
    /// The program run (`podman`, `docker`, or a path to one).
    pub program: String,
    pub kind: Kind,
    /// `--host`: a remote engine (`unix://`, `tcp://`, `ssh://`); `None`: the program's default
    /// (which honours `DOCKER_HOST` / `CONTAINER_HOST`).
    pub host: Option<String>,
    pub client_version: String,
    /// The engine (daemon / service) version; `None` for local podman, which has none.
    pub server_version: Option<String>,
    pub builder: Builder,
    /// Why the builder is not BuildKit, for a Docker engine on the legacy builder.
    pub no_buildkit: Option<String>,
}

/// The leading number of a version such as `20.10.24+dfsg1` or `v28.2.2`.
fn major(version: &str) -> Option<u32> {
    let v = version.trim().trim_start_matches('v');
    v.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// `(major, minor)` of a version.
fn major_minor(version: &str) -> Option<(u32, u32)> {
    let v = version.trim().trim_start_matches('v');
    let mut parts = v.split(|c: char| !c.is_ascii_digit());
    let a = parts.next()?.parse().ok()?;
    let b = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    Some((a, b))
}

/// The fix to name when BuildKit is needed and unavailable.
pub const BUILDKIT_FIX: &str = "install the buildx plugin (Docker's `docker-buildx-plugin` \
package, or Debian's `docker-buildx` where the release has it), or build with a docker CLI \
older than 23 whose BuildKit is built in (Debian bookworm's docker.io 20.10: \
--engine /usr/bin/docker), or use --engine podman";

impl Engine {
    /// Reads the capabilities from the output of `<program> version --format json`
    /// (podman) or `<program> version --format '{{json .}}'` (docker), and
    /// whether `<program> buildx version` succeeded.
    ///
    /// ```
    /// use slimfile::verify::engine::{Builder, Engine};
    /// let json = r#"{"Client":{"Version":"20.10.24+dfsg1","ApiVersion":"1.41","Context":"default"},
    ///                "Server":{"Version":"20.10.24+dfsg1"}}"#;
    /// let e = Engine::from_version_output("docker", None, json, false).unwrap();
    /// assert_eq!(e.builder, Builder::BuildkitNative);
    /// ```
    pub fn from_version_output(
        program: &str,
        host: Option<&str>,
        version_json: &str,
        buildx: bool,
    ) -> Result<Engine, String> {
        let value: serde_json::Value = serde_json::from_str(version_json.trim())
            .map_err(|e| format!("`{program} version` printed no JSON ({e})"))?;
        let client = &value["Client"];
        let client_version = client["Version"]
            .as_str()
            .ok_or_else(|| format!("`{program} version` names no client version"))?
            .to_string();
        let server_version = value["Server"]["Version"].as_str().map(str::to_string);
        let named_podman = Path::new(program)
            .file_name()
            .is_some_and(|n| n.to_string_lossy().contains("podman"));
        // podman's client carries `OsArch`/`BuiltTime`; docker's `Os`, `Arch` and `Context`.
        let looks_podman = client.get("OsArch").is_some() || client.get("BuiltTime").is_some();
        let kind = if named_podman || looks_podman {
            Kind::Podman
        } else {
            Kind::Docker
        };
        let mut engine = Engine {
            program: program.to_string(),
            kind,
            host: host.map(str::to_string),
            client_version,
            server_version,
            builder: Builder::Buildah,
            no_buildkit: None,
        };
        if kind == Kind::Docker {
            let Some(server) = engine.server_version.clone() else {
                return Err(format!(
                    "the Docker engine does not answer{}: start dockerd (in the lab: \
                     scripts/container-lab.sh docker) or point --host / DOCKER_HOST at one",
                    host.map(|h| format!(" at {h}")).unwrap_or_default()
                ));
            };
            let cli_has_buildkit = major(&engine.client_version).is_some_and(|m| m < 23);
            let server_has_buildkit = major_minor(&server).is_some_and(|v| v >= (18, 9));
            engine.builder = if !server_has_buildkit {
                engine.no_buildkit =
                    Some(format!("Docker Engine {server} predates BuildKit (18.09)"));
                Builder::Legacy
            } else if buildx {
                Builder::BuildkitBuildx
            } else if cli_has_buildkit {
                Builder::BuildkitNative
            } else {
                engine.no_buildkit = Some(format!(
                    "the docker CLI {} has no built-in BuildKit and its buildx plugin is missing",
                    engine.client_version
                ));
                Builder::Legacy
            };
        }
        Ok(engine)
    }

    /// Asks the engine once (`version`, and `buildx version` for Docker).
    pub fn detect(program: &str, host: Option<&str>) -> Result<Engine, String> {
        let probe = Engine {
            program: program.to_string(),
            kind: if Path::new(program)
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains("podman"))
            {
                Kind::Podman
            } else {
                Kind::Docker
            },
            host: host.map(str::to_string),
            client_version: String::new(),
            server_version: None,
            builder: Builder::Buildah,
            no_buildkit: None,
        };
        let mut version = probe.command();
        version.arg("version");
        // podman takes `--format json`, docker a Go template; try docker's first (podman takes it too).
        version.args(["--format", "{{json .}}"]);
        let out = version
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stdout.trim().is_empty() {
            return Err(format!(
                "`{program} version` failed: {}",
                stderr.lines().last().unwrap_or("no output")
            ));
        }
        let is_docker = !stdout.contains("\"OsArch\"") && probe.kind == Kind::Docker;
        let buildx = is_docker
            && probe
                .command()
                .args(["buildx", "version"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
        Engine::from_version_output(program, host, &stdout, buildx).map_err(|e| {
            if out.status.success() {
                e
            } else {
                format!("{e} ({})", stderr.lines().last().unwrap_or_default())
            }
        })
    }

    /// A command for this engine, with the host flags in front.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        if let Some(host) = &self.host {
            match self.kind {
                Kind::Docker => {
                    cmd.args(["--host", host]);
                }
                Kind::Podman => {
                    cmd.args(["--remote", "--url", host]);
                }
            }
        }
        cmd
    }

    /// The `build` command for one Dockerfile.
    pub fn build_command(
        &self,
        dockerfile: &Path,
        tag: &str,
        context: &Path,
        pull: Option<&str>,
        network: Option<&str>,
    ) -> Command {
        let mut cmd = self.command();
        match self.builder {
            Builder::Buildah => {
                cmd.arg("build");
            }
            Builder::BuildkitBuildx => {
                cmd.args(["buildx", "build", "--load", "--progress", "plain"]);
            }
            Builder::BuildkitNative => {
                cmd.env("DOCKER_BUILDKIT", "1")
                    .args(["build", "--progress", "plain"]);
            }
            Builder::Legacy => {
                cmd.env("DOCKER_BUILDKIT", "0").arg("build");
            }
        }
        cmd.arg("-f").arg(dockerfile).arg("-t").arg(tag);
        if let Some(flag) = pull.and_then(|p| self.pull_flag(p)) {
            cmd.arg(flag);
        }
        if let Some(n) = network {
            cmd.arg(format!("--network={n}"));
        }
        cmd.arg(context);
        cmd
    }

    /// `--pull` as this engine takes it: podman a policy; Docker a boolean, so
    /// `always` is `--pull` and the others are its default (use local images,
    /// pull what is missing).
    pub fn pull_flag(&self, policy: &str) -> Option<String> {
        match self.kind {
            Kind::Podman => Some(format!("--pull={policy}")),
            Kind::Docker => matches!(policy, "always" | "true").then(|| "--pull".to_string()),
        }
    }

    /// One line for the report: `docker 20.10.24 (engine 20.10.24 at unix://…), BuildKit …`.
    pub fn describe(&self) -> String {
        let program = Path::new(&self.program)
            .file_name()
            .map_or(self.program.clone(), |n| n.to_string_lossy().into_owned());
        let mut s = format!("{program} {}", self.client_version);
        match (&self.server_version, &self.host) {
            (Some(v), Some(h)) => s.push_str(&format!(" (engine {v} at {h})")),
            (Some(v), None) => s.push_str(&format!(" (engine {v})")),
            (None, Some(h)) => s.push_str(&format!(" (at {h})")),
            (None, None) => {}
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Recorded in the lab: `docker version --format '{{json .}}'` with Debian's docker.io 20.10
    // CLI, with Docker's CLI 28.2.2 (no buildx plugin), both against Debian's dockerd 20.10;
    // `podman version --format '{{json .}}'` of Debian's podman 4.3.1.
    const DOCKER_20_10: &str = r#"{"Client":{"Platform":{"Name":""},"Version":"20.10.24+dfsg1","ApiVersion":"1.41","DefaultAPIVersion":"1.41","GitCommit":"297e128","GoVersion":"go1.19.8","Os":"linux","Arch":"amd64","BuildTime":"Thu May  7 21:09:36 2026","Context":"default","Experimental":true},"Server":{"Platform":{"Name":""},"Components":[{"Name":"Engine","Version":"20.10.24+dfsg1","Details":{"ApiVersion":"1.41"}}],"Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12","GitCommit":"5d6db84","GoVersion":"go1.19.8","Os":"linux","Arch":"amd64"}}"#;
    const DOCKER_28_ON_20_10: &str = r#"{"Client":{"Version":"28.2.2","ApiVersion":"1.41","DefaultAPIVersion":"1.50","GitCommit":"e6534b4","GoVersion":"go1.24.3","Os":"linux","Arch":"amd64","BuildTime":"Fri May 30 12:07:14 2025","Context":"default"},"Server":{"Platform":{"Name":""},"Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}}"#;
    const DOCKER_NO_DAEMON: &str =
        r#"{"Client":{"Version":"28.2.2","ApiVersion":"1.50","Context":"default"},"Server":null}"#;
    const PODMAN_4_3: &str = r#"{"Client":{"APIVersion":"4.3.1","Version":"4.3.1","GoVersion":"go1.19.8","GitCommit":"","BuiltTime":"Thu Jan  1 00:00:00 1970","Built":0,"OsArch":"linux/amd64","Os":"linux"}}"#;

    #[test]
    fn debian_docker_cli_20_10_uses_its_built_in_buildkit() {
        let e = Engine::from_version_output("/usr/bin/docker", None, DOCKER_20_10, false).unwrap();
        assert_eq!(e.kind, Kind::Docker);
        assert_eq!(e.builder, Builder::BuildkitNative);
        assert_eq!(e.server_version.as_deref(), Some("20.10.24+dfsg1"));
        assert!(e.no_buildkit.is_none());
    }

    #[test]
    fn docker_cli_28_without_buildx_is_legacy_only_and_says_why() {
        let e = Engine::from_version_output("docker", None, DOCKER_28_ON_20_10, false).unwrap();
        assert_eq!(e.builder, Builder::Legacy);
        assert!(e.no_buildkit.as_deref().unwrap().contains("buildx"));
    }

    #[test]
    fn docker_cli_28_with_buildx_uses_buildx_and_load() {
        let e = Engine::from_version_output("docker", None, DOCKER_28_ON_20_10, true).unwrap();
        assert_eq!(e.builder, Builder::BuildkitBuildx);
        let cmd = e.build_command(
            Path::new("Dockerfile"),
            "t",
            Path::new("."),
            Some("never"),
            None,
        );
        let args: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy()).collect();
        assert_eq!(&args[..3], ["buildx", "build", "--load"]);
        assert!(
            !args.iter().any(|a| a.starts_with("--pull")),
            "docker's --pull is a boolean: `never` is its default, not a value: {args:?}"
        );
    }

    #[test]
    fn docker_without_a_daemon_is_an_error_naming_the_fix() {
        let err =
            Engine::from_version_output("docker", Some("unix:///x.sock"), DOCKER_NO_DAEMON, false)
                .unwrap_err();
        assert!(err.contains("does not answer at unix:///x.sock"), "{err}");
    }

    #[test]
    fn an_engine_older_than_18_09_has_no_buildkit() {
        let old = DOCKER_20_10.replace(
            "\"Version\":\"20.10.24+dfsg1\",\"ApiVersion\"",
            "\"Version\":\"18.06.3\",\"ApiVersion\"",
        );
        let e = Engine::from_version_output("docker", None, &old, true).unwrap();
        assert_eq!(e.builder, Builder::Legacy, "{e:?}");
    }

    #[test]
    fn podman_takes_pull_as_a_policy() {
        let e = Engine::from_version_output("podman", None, PODMAN_4_3, false).unwrap();
        assert_eq!(e.kind, Kind::Podman);
        assert_eq!(e.builder, Builder::Buildah);
        assert_eq!(e.pull_flag("never").as_deref(), Some("--pull=never"));
        // recognised by its output, whatever the program is called
        let e = Engine::from_version_output("/opt/bin/engine", None, PODMAN_4_3, false).unwrap();
        assert_eq!(e.kind, Kind::Podman);
    }

    #[test]
    fn docker_pull_always_is_the_boolean_flag() {
        let e = Engine::from_version_output("docker", None, DOCKER_20_10, false).unwrap();
        assert_eq!(e.pull_flag("always").as_deref(), Some("--pull"));
        assert_eq!(e.pull_flag("never"), None);
        let cmd = e.build_command(
            Path::new("D"),
            "t",
            Path::new("."),
            Some("always"),
            Some("host"),
        );
        let envs: Vec<_> = cmd.get_envs().collect();
        assert!(
            envs.iter()
                .any(|(k, v)| *k == "DOCKER_BUILDKIT" && v.is_some_and(|v| v == "1"))
        );
        let args: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy()).collect();
        assert!(
            args.contains(&"--pull".into()) && args.contains(&"--network=host".into()),
            "{args:?}"
        );
    }

    #[test]
    fn hosts_go_in_front_of_every_command() {
        let e = Engine::from_version_output(
            "docker",
            Some("tcp://127.0.0.1:2375"),
            DOCKER_20_10,
            false,
        )
        .unwrap();
        let args: Vec<_> = e
            .command()
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(args, ["--host", "tcp://127.0.0.1:2375"]);
        let p = Engine::from_version_output(
            "podman",
            Some("unix:///run/podman.sock"),
            PODMAN_4_3,
            false,
        )
        .unwrap();
        let args: Vec<_> = p
            .command()
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(args, ["--remote", "--url", "unix:///run/podman.sock"]);
    }
}
