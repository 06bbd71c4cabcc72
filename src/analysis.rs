//! What a stage's RUN steps do, read conservatively from their shell text:
//! compile steps, package installs. Shared by slim-base and split-stages.

use crate::model::Stage;
use crate::syntax::{Args, Document, Instruction, Keyword};

/// The shell text of a RUN (or other) instruction: the arguments after the
/// flags plus every heredoc body.
pub fn script(text: &str, ins: &Instruction) -> String {
    let mut s = match &ins.args {
        Args::Exec(e) => e.join(" "),
        Args::Words(_) => ins.rest_text().to_string(),
    };
    for h in &ins.heredocs {
        s.push('\n');
        s.push_str(&text[h.body.clone()]);
    }
    s
}

/// Shell tokens: words split on whitespace and shell operators, quotes dropped.
pub fn tokens(script: &str) -> Vec<&str> {
    script
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')' | '`' | '"' | '\'' | '\\')
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// The first compile step in `script`, named (`gcc`, `go build`, `npm ci`, …).
pub fn compile_step(script: &str) -> Option<String> {
    let t = tokens(script);
    for (i, w) in t.iter().enumerate() {
        let next = t.get(i + 1).copied().unwrap_or("");
        let single = matches!(
            *w,
            "gcc"
                | "g++"
                | "cc"
                | "clang"
                | "make"
                | "cmake"
                | "ninja"
                | "mvn"
                | "./mvnw"
                | "gradle"
                | "./gradlew"
                | "javac"
                | "./configure"
                | "build-essential"
                | "node-gyp"
        );
        if single {
            return Some(w.to_string());
        }
        let pair = match *w {
            "go" => matches!(next, "build" | "install"),
            "cargo" => matches!(next, "build" | "install"),
            "dotnet" => matches!(next, "publish" | "build"),
            "npm" => matches!(next, "ci" | "install" | "i" | "run"),
            "yarn" => {
                matches!(next, "install" | "build" | "run")
                    || next.is_empty()
                    || next.starts_with("--")
            }
            "pnpm" => matches!(next, "install" | "i" | "build" | "run"),
            _ => false,
        };
        if pair {
            return Some(format!("{w} {next}").trim().to_string());
        }
    }
    apt_packages(script)
        .into_iter()
        .find(|p| p.ends_with("-dev"))
        .map(|p| format!("apt package {p}"))
}

/// True when the script uses apt or dpkg.
pub fn uses_apt(script: &str) -> bool {
    tokens(script)
        .iter()
        .any(|t| matches!(*t, "apt-get" | "apt" | "dpkg" | "aptitude"))
}

/// Packages named in `apt-get install` / `apt install` commands (options
/// anywhere, `-y install` included), read with the shell model; a package
/// word the script gives by a variable it does not define comes back as
/// written (`$buildDeps`), so callers can refuse.
pub fn apt_packages(script: &str) -> Vec<String> {
    use crate::shell::{Manager, Script, ShellEnv};
    let parsed = Script::parse(script, &ShellEnv::default());
    let mut out = Vec::new();
    for install in parsed.installs() {
        if !matches!(install.manager, Manager::Apt | Manager::AptGet) {
            continue;
        }
        out.extend(install.packages.iter().map(|p| p.name.clone()));
        let c = &parsed.commands[install.command];
        out.extend(
            c.args()
                .iter()
                .filter(|w| w.value.is_none())
                .map(|w| w.raw.clone()),
        );
    }
    out
}

/// True when the scripts' tokens install Python packages (pip, poetry, pipenv, uv).
pub fn python_installs(t: &[&str]) -> bool {
    let pair = |a: &str, b: &str| t.windows(2).any(|w| w[0] == a && w[1] == b);
    has_pip_install(t)
        || pair("poetry", "install")
        || pair("pipenv", "install")
        || pair("pipenv", "sync")
        || pair("uv", "sync")
        || (pair("uv", "pip") && t.contains(&"install"))
}

fn has_pip_install(t: &[&str]) -> bool {
    t.windows(2)
        .any(|w| matches!(w[0], "pip" | "pip3") && w[1] == "install")
        || t.windows(4)
            .any(|w| w[1] == "-m" && w[2] == "pip" && w[3] == "install")
}

/// All RUN scripts of a stage as one text.
pub fn joined(scripts: &[(usize, String)]) -> String {
    scripts
        .iter()
        .map(|(_, s)| s.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// RUN scripts of a stage with their instruction index.
pub fn run_scripts(text: &str, doc: &Document, stage: &Stage) -> Vec<(usize, String)> {
    stage
        .instructions
        .clone()
        .filter(|&n| doc.instructions[n].keyword == Keyword::Run)
        .map(|n| (n, script(text, &doc.instructions[n])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_steps() {
        assert_eq!(
            compile_step("CGO_ENABLED=0 go build -o /app ."),
            Some("go build".into())
        );
        assert_eq!(
            compile_step("apt-get install -y libpq-dev && pip install psycopg2"),
            Some("apt package libpq-dev".into())
        );
        assert_eq!(
            compile_step("pip install --no-cache-dir -r requirements.txt"),
            None
        );
        assert_eq!(compile_step("echo make-believe"), None);
        assert_eq!(
            compile_step("cd src && make && make install"),
            Some("make".into())
        );
    }

    #[test]
    fn apt_package_lists() {
        let s = "apt-get update && apt-get install -y --no-install-recommends \\\n curl ca-certificates libpq5=15.* && rm -rf /var/lib/apt/lists/*";
        assert_eq!(apt_packages(s), ["curl", "ca-certificates", "libpq5"]);
    }
}
