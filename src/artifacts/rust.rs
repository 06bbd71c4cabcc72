//! The Rust binary a `cargo build` or `cargo install` writes.

use super::*;

/// The binary of `cargo build` (`target/<profile>/<bin>`) or `cargo install`
/// (`$CARGO_HOME/bin/<bin>`), named by `--bin` or Cargo.toml.
pub(crate) fn rust_binary(
    cx: &Context,
    stage: &Stage,
    scripts: &[(usize, String)],
) -> Result<Artifact, Unknown> {
    let Some((n, script)) = last_run_with(scripts, |t| {
        pair(t, "cargo", "build") || pair(t, "cargo", "install")
    }) else {
        return unknown(Reason::ArtifactUnknown, "no `cargo build` step");
    };
    let w = words(script);
    let t = strs(&w);
    let dir = workdir_at(cx, stage, *n);
    let manifest = read(cx, "Cargo.toml").and_then(|s| s.parse::<toml::Table>().ok());
    let bin = match flag_value(&t, &["--bin"]) {
        Some(b) if plain(b) => b.to_string(),
        Some(b) => return unknown(Reason::ArtifactUnknown, format!("cannot read `--bin {b}`")),
        None => match &manifest {
            Some(m) => match cargo_bin_name(m) {
                Ok(b) => b,
                Err(why) => return unknown(Reason::ArtifactUnknown, why),
            },
            None => {
                return unknown(
                    Reason::ArtifactUnknown,
                    "`cargo build` without `--bin`, and no Cargo.toml at hand to name the binary",
                );
            }
        },
    };
    if pair(&t, "cargo", "install") {
        let root = match flag_value(&t, &["--root"]) {
            Some(r) => join(&dir, r),
            None => env_value(cx, stage, "CARGO_HOME").unwrap_or("/usr/local/cargo".into()),
        };
        if !plain(&root) {
            return unknown(Reason::ArtifactUnknown, "cannot tell cargo's install root");
        }
        return Ok(Artifact {
            ecosystem: Ecosystem::Rust,
            path: join(&root, &format!("bin/{bin}")),
            built_by: *n,
            source: "cargo install".into(),
        });
    }
    let profile = match flag_value(&t, &["--profile"]) {
        Some("dev") => "debug".to_string(),
        Some(p) => p.to_string(),
        None if t.contains(&"--release") || t.contains(&"-r") => "release".into(),
        None => "debug".into(),
    };
    let target_dir = flag_value(&t, &["--target-dir"])
        .map(str::to_string)
        .or_else(|| env_value(cx, stage, "CARGO_TARGET_DIR"))
        .unwrap_or_else(|| "target".into());
    let triple = flag_value(&t, &["--target"]);
    let mut path = join(&dir, &target_dir);
    if let Some(triple) = triple {
        path = join(&path, triple);
    }
    path = join(&path, &format!("{profile}/{bin}"));
    if !plain(&path) {
        return unknown(
            Reason::ArtifactUnknown,
            format!("cannot tell the binary's path ({path})"),
        );
    }
    Ok(Artifact {
        ecosystem: Ecosystem::Rust,
        path,
        built_by: *n,
        source: if flag_value(&t, &["--bin"]).is_some() {
            "`--bin`".into()
        } else {
            "Cargo.toml".into()
        },
    })
}

/// The binary a Cargo.toml builds: its only `[[bin]]`, else the package name.
fn cargo_bin_name(m: &toml::Table) -> Result<String, String> {
    if m.contains_key("workspace") && !m.contains_key("package") {
        return Err("Cargo.toml is a workspace: name the binary with `--bin`".into());
    }
    if let Some(bins) = m.get("bin").and_then(|b| b.as_array()) {
        let names: Vec<&str> = bins
            .iter()
            .filter_map(|b| b.get("name").and_then(|n| n.as_str()))
            .collect();
        return match names.as_slice() {
            [one] => Ok(one.to_string()),
            _ => Err("Cargo.toml declares several binaries: name one with `--bin`".into()),
        };
    }
    m.get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .filter(|n| plain(n))
        .map(str::to_string)
        .ok_or_else(|| "Cargo.toml has no package name".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_bin_names() {
        let m: toml::Table = "[package]\nname = \"hello-web\"\n".parse().unwrap();
        assert_eq!(cargo_bin_name(&m).unwrap(), "hello-web");
        let m: toml::Table =
            "[package]\nname = \"x\"\n[[bin]]\nname = \"srv\"\npath = \"src/main.rs\"\n"
                .parse()
                .unwrap();
        assert_eq!(cargo_bin_name(&m).unwrap(), "srv");
        let m: toml::Table = "[workspace]\nmembers = [\"a\"]\n".parse().unwrap();
        assert!(cargo_bin_name(&m).is_err());
    }
}
