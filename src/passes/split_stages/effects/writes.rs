// Paths a RUN writes or edits outside the build folders, carried to the
// runtime; paths it deletes, never copied.

use super::super::recipes;
use super::{BTreeSet, Blocker, Effects, ImageConfig, Reason, blocker, has_account_tools, under};
use crate::shell::{Script, WriteKind};

/// Carries what the script writes outside the build and scratch folders;
/// true when it creates users the runtime can create again (replay the RUN).
pub(super) fn carry_written_paths(
    script: &Script,
    build_dirs: &BTreeSet<String>,
    covered: &[String],
    runtime: &ImageConfig,
    line: usize,
    here: usize,
    fx: &mut Effects,
) -> Result<bool, Blocker> {
    let r = &recipes().effects;
    let mut replay = false;
    let keep = |p: &str| {
        !r.scratch_paths.iter().any(|s| under(p, s))
            && !build_dirs.iter().any(|d| under(p, d))
            && !covered.iter().any(|c| under(p, c))
    };
    for w in script.writes_paths() {
        match w.kind {
            WriteKind::Accounts => {
                if has_account_tools(runtime) {
                    replay = true;
                } else if !fx.carried.iter().any(|p| p == "/etc/passwd") {
                    for p in ["/etc/passwd", "/etc/group"] {
                        fx.carried.push(p.to_string());
                    }
                    fx.said.push(format!(
                        "/etc/passwd and /etc/group (users made on line {line})"
                    ));
                }
                continue;
            }
            WriteKind::GlobalPackages => continue,
            WriteKind::Certificates => {
                if !fx.carried.iter().any(|p| p == "/etc/ssl/certs") {
                    fx.carried.push("/etc/ssl/certs".into());
                    fx.said.push(format!(
                        "/etc/ssl/certs (update-ca-certificates, line {line})"
                    ));
                }
                continue;
            }
            _ => {}
        }
        let Some(path) = w.path.as_deref() else {
            return Err(blocker(
                here,
                Reason::EffectUnknown,
                format!(
                    "line {line}: `{}` writes a path slimfile cannot resolve",
                    w.raw
                ),
            ));
        };
        // `mkdir -p` of a folder every base has is a no-op
        let base_folder = r.system_dirs.iter().any(|d| d == path)
            || matches!(
                path,
                "/var/log" | "/var/lib" | "/var/run" | "/run" | "/usr/share" | "/usr/local/share"
            );
        if w.kind == WriteKind::Directory && base_folder {
            continue;
        }
        if keep(path) && !fx.carried.iter().any(|c| under(path, c)) {
            if r.system_dirs.iter().any(|d| d == path) {
                return Err(blocker(
                    here,
                    Reason::EffectUnknown,
                    format!("line {line}: writes the system folder {path}"),
                ));
            }
            fx.carried.push(path.to_string());
            fx.said.push(format!("{path} (written on line {line})"));
        }
    }
    Ok(replay)
}

/// Files `sed -i` edits in place outside the build and app folders are
/// carried (the runtime base has the unedited ones); a file it cannot
/// resolve (after `cd $(…)`, a variable) leaves the file alone.
pub(super) fn carry_in_place_edits(
    script: &Script,
    build_dirs: &BTreeSet<String>,
    covered: &[String],
    line: usize,
    here: usize,
    fx: &mut Effects,
) -> Result<(), Blocker> {
    let r = &recipes().effects;
    for c in &script.commands {
        if c.program() != Some("sed") {
            continue;
        }
        let args = c.args();
        let value = |w: &crate::shell::ShellWord| w.value.clone().unwrap_or_default();
        let in_place = args.iter().map(value).any(|v| {
            v == "--in-place"
                || v.starts_with("--in-place=")
                || (v.starts_with('-') && !v.starts_with("--") && v[1..].contains('i'))
        });
        if !in_place {
            continue;
        }
        let mut operands: Vec<&crate::shell::ShellWord> = Vec::new();
        let mut script_given = false;
        let mut i = 0;
        while i < args.len() {
            let v = value(&args[i]);
            if matches!(v.as_str(), "-e" | "-f" | "--expression" | "--file") {
                script_given = true;
                i += 2;
                continue;
            }
            if v.starts_with("--expression=") || v.starts_with("--file=") {
                script_given = true;
            } else if !v.starts_with('-') || v == "-" {
                operands.push(&args[i]);
            }
            i += 1;
        }
        let files = if script_given {
            &operands[..]
        } else {
            operands.get(1..).unwrap_or(&[])
        };
        for w in files {
            let Some(path) = w.value.as_deref().and_then(|v| c.resolve(v)) else {
                return Err(blocker(
                    here,
                    Reason::EffectUnknown,
                    format!(
                        "line {line}: `sed -i` edits `{}`, a path slimfile cannot resolve",
                        w.raw
                    ),
                ));
            };
            let kept = !r.scratch_paths.iter().any(|s| under(&path, s))
                && !build_dirs.iter().any(|d| under(&path, d))
                && !covered.iter().any(|d| under(&path, d))
                && !fx.carried.iter().any(|d| under(&path, d));
            if kept {
                fx.said.push(format!("{path} (edited on line {line})"));
                fx.carried.push(path);
            }
        }
    }
    Ok(())
}

/// Paths the script deletes are gone in the builder: never copy them.
pub(super) fn forget_deleted_paths(script: &Script, fx: &mut Effects) {
    for c in &script.commands {
        if c.program() == Some("rm") {
            for a in c.args() {
                if let Some(p) = a.value.as_deref().filter(|v| !v.starts_with('-'))
                    && let Some(abs) = c.resolve(p)
                {
                    fx.carried.retain(|k| !under(k, &abs));
                    fx.said.retain(|s| {
                        !s.starts_with(&format!("{abs}/")) && !s.starts_with(&format!("{abs} "))
                    });
                }
            }
        }
    }
}
