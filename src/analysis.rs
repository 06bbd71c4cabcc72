//! What a stage's RUN steps do, read conservatively from their shell text:
//! compile steps, package installs. Shared by slim-base and split-stages.
//!
//! The text is read by the shell model ([`crate::shell::Script`]): commands,
//! their words with quotes removed, `sh -c` scripts inside. No code in
//! slimfile splits RUN text by hand: callers that look for words anywhere in
//! a stage's scripts take [`words`] or [`instruction_words`].

use crate::model::{Model, Stage};
use crate::shell::{Manager, Script, ShellEnv};
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

/// The words of every simple command of `script`, in text order, one list
/// per command: the argv as the shell model reads it (quotes removed,
/// unresolved expansions as written), prefixes and redirections left out.
/// The script of a `sh -c SCRIPT` is read too, its commands after the `sh`.
///
/// Each line is read on its own: the texts here are [`script`]s, whose
/// heredoc bodies follow the instruction's line without their terminator,
/// and [`joined`] lists of them, so a line is a RUN's logical line or one
/// line of a body.
pub fn command_words(script: &str) -> CommandWords {
    let lines = crate::shell::memo::script_words(script, || {
        let lines: Vec<_> = script
            .lines()
            .map(|line| {
                crate::shell::memo::line_words(line, || {
                    let mut words = Vec::new();
                    push_command_words(&Script::parse(line, &ShellEnv::default()), &mut words, 0);
                    words
                })
            })
            .collect();
        std::rc::Rc::new(lines)
    });
    CommandWords(lines)
}

/// The words of a script's commands ([`command_words`]), each line's list
/// shared with the shell model's memo rather than copied.
pub struct CommandWords(std::rc::Rc<Vec<std::rc::Rc<Vec<Vec<String>>>>>);

impl CommandWords {
    /// One list of words per command, in text order.
    pub fn iter(&self) -> impl Iterator<Item = &Vec<String>> {
        self.0.iter().flat_map(|line| line.iter())
    }
}

/// The words of every simple command of one instruction (a RUN, CMD,
/// ENTRYPOINT or HEALTHCHECK), one list per command, as the shell model
/// reads it: an exec form's array as written, a shell form's (or `sh -c`
/// script's) commands with quotes removed. Heredoc bodies are read line by
/// line, as [`command_words`] reads them.
pub fn instruction_words(text: &str, ins: &Instruction, escape: char) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    if ins.keyword == Keyword::Healthcheck {
        // `HEALTHCHECK [flags] CMD command`: the command after `CMD`, in
        // exec or shell form; `HEALTHCHECK NONE` runs nothing
        let rest = ins.rest_text().trim_start();
        let Some(command) = rest
            .get(..4)
            .filter(|w| w.eq_ignore_ascii_case("CMD "))
            .map(|_| rest[4..].trim_start())
        else {
            return out;
        };
        match crate::syntax::words::parse_json_array(command) {
            Some(argv) => out.push(argv),
            None => out.extend(command_words(command).iter().cloned()),
        }
        return out;
    }
    push_command_words(
        &Script::of(text, ins, escape, &ShellEnv::default()),
        &mut out,
        0,
    );
    for h in &ins.heredocs {
        out.extend(command_words(&text[h.body.clone()]).iter().cloned());
    }
    out
}

/// Every word of every command of `script`, in text order ([`command_words`]
/// flattened): what a caller that looks for a tool and its subcommand, or a
/// flag and its value, anywhere in a stage's scripts reads. A quoted phrase
/// is one word (`echo 'go build'` has no `go` word).
pub fn words(script: &str) -> Vec<String> {
    command_words(script).iter().flatten().cloned().collect()
}

/// `words` borrowed, for slice patterns and [`crate::artifacts::flag_value`].
pub fn strs(words: &[String]) -> Vec<&str> {
    words.iter().map(String::as_str).collect()
}

fn push_command_words(script: &Script, out: &mut Vec<Vec<String>>, depth: usize) {
    for c in &script.commands {
        let words: Vec<String> = c
            .words
            .iter()
            .map(|w| w.value.clone().unwrap_or_else(|| w.raw.clone()))
            .collect();
        out.push(words);
        let is_shell = matches!(c.program(), Some("sh" | "bash" | "dash" | "ash"));
        let inner = c.flag_value(&["-c"]).and_then(|f| f.value);
        if let (true, Some(inner)) = (is_shell && depth < 4, inner) {
            let nested = Script::parse(&inner, &ShellEnv::default());
            push_command_words(&nested, out, depth + 1);
        }
    }
}

/// The compile step a command's words start at position `i`, if any.
fn compile_step_at(words: &[String], i: usize) -> Option<String> {
    let w = words[i].as_str();
    let next = words.get(i + 1).map_or("", String::as_str);
    let single = matches!(
        w,
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
            | "docker-php-ext-install"
    );
    if single {
        return Some(w.to_string());
    }
    let pair = match w {
        "go" => matches!(next, "build" | "install"),
        "cargo" => matches!(next, "build" | "install"),
        "dotnet" => matches!(next, "publish" | "build"),
        "npm" => matches!(next, "ci" | "install" | "i" | "run"),
        "yarn" => {
            matches!(next, "install" | "build" | "run") || next.is_empty() || next.starts_with("--")
        }
        "pnpm" => matches!(next, "install" | "i" | "build" | "run"),
        // native gems and PECL extensions compile C; bundler alone does not
        "bundle" => next == "install",
        "pecl" => next == "install",
        "gem" => next == "install" && !only_bundler(&words[i + 2..]),
        _ => false,
    };
    pair.then(|| format!("{w} {next}").trim().to_string())
}

/// True when the arguments of `gem install` name only bundler (flags and a
/// `-v VERSION` aside).
fn only_bundler(args: &[String]) -> bool {
    let mut names = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if matches!(a.as_str(), "-v" | "--version") {
            it.next();
        } else if !a.starts_with('-') {
            names.push(a.as_str());
        }
    }
    !names.is_empty() && names.iter().all(|n| *n == "bundler")
}

/// The first compile step in `script`, named (`gcc`, `go build`, `npm ci`, …),
/// read with the shell model: a compiler or build tool named by any word of
/// a command (`make`, `sudo make`, `apt-get install build-essential`), a
/// tool and its subcommand as two words of one command (`go build`), else an
/// apt `-dev` package.
pub fn compile_step(script: &str) -> Option<String> {
    for words in command_words(script).iter() {
        if let Some(step) = (0..words.len()).find_map(|i| compile_step_at(words, i)) {
            return Some(step);
        }
    }
    apt_packages(script)
        .into_iter()
        .find(|p| p.ends_with("-dev"))
        .map(|p| format!("apt package {p}"))
}

/// True when the script uses apt or dpkg (a command runs it or names it).
pub fn uses_apt(script: &str) -> bool {
    command_words(script)
        .iter()
        .flatten()
        .any(|w| matches!(w.as_str(), "apt-get" | "apt" | "dpkg" | "aptitude"))
}

/// Packages named in `apt-get install` / `apt install` commands (options
/// anywhere, `-y install` included), read with the shell model; a package
/// word the script gives by a variable it does not define comes back as
/// written (`$buildDeps`), so callers can refuse. The script is read without
/// the Dockerfile's ENV and ARG values: [`stage_apt_packages`] reads them.
pub fn apt_packages(script: &str) -> Vec<String> {
    apt_packages_of(&Script::parse(script, &ShellEnv::default()))
}

/// [`apt_packages`] of a script the shell model has read (such as
/// [`stage_script`]): the packages after variable expansion and field
/// splitting, and, as written, every word whose value is unknown.
pub fn apt_packages_of(parsed: &Script) -> Vec<String> {
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

/// True when the scripts' words install Python packages (pip, poetry, pipenv, uv).
///
/// Takes [`words`] (borrowed with [`strs`]); [`installs_python`] takes the
/// script text.
pub fn python_installs(t: &[&str]) -> bool {
    let pair = |a: &str, b: &str| t.windows(2).any(|w| w[0] == a && w[1] == b);
    let pip = t
        .windows(2)
        .any(|w| matches!(w[0], "pip" | "pip3") && w[1] == "install")
        || t.windows(4)
            .any(|w| w[1] == "-m" && w[2] == "pip" && w[3] == "install");
    pip || pair("poetry", "install")
        || pair("pipenv", "install")
        || pair("pipenv", "sync")
        || pair("uv", "sync")
        || (pair("uv", "pip") && t.contains(&"install"))
}

/// pip options that take a value (the value is not a requirement).
const PIP_VALUED: &[&str] = &[
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--trusted-host",
    "-c",
    "--constraint",
    "--prefix",
    "--root",
    "-t",
    "--target",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--progress-bar",
    "--timeout",
    "--retries",
    "--cache-dir",
    "--src",
    "--upgrade-strategy",
    "--no-binary",
    "--only-binary",
    "--log",
    "--proxy",
    "--cert",
    "--client-cert",
    "--global-option",
    "--install-option",
    "--config-settings",
    "-C",
    "--python",
    "-p",
];

/// What one Python install command (pip, poetry, pipenv, uv; its words)
/// reads its requirements from.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PipSources {
    /// Requirement names on the command line.
    pub named: Vec<String>,
    /// Requirements files (`-r FILE`).
    pub files: Vec<String>,
    /// The project itself (`pip install .`, `-e .`, poetry, pipenv, uv sync).
    pub project: bool,
    /// What slimfile cannot read the requirements of (a URL, a path outside
    /// the build context's files, an sdist).
    pub unreadable: Vec<String>,
    /// Wheel files (`/wheels/*`, `app.whl`): built already, nothing to compile.
    pub wheels: bool,
    /// `--only-binary :all:`: wheels only, from the index too.
    pub only_binary: bool,
}

/// ```
/// let s = slimfile::analysis::pip_sources(&["pip", "install", "-r", "req.txt", "uWSGI==2.0.8"]);
/// assert_eq!((s.files, s.named), (vec!["req.txt".to_string()], vec!["uwsgi".to_string()]));
/// let s = slimfile::analysis::pip_sources(&["pip", "install", "torch==1.10.0+cu111", "-f", "https://download.pytorch.org/whl/torch_stable.html"]);
/// assert!(s.unreadable.is_empty());
/// ```
pub fn pip_sources(t: &[&str]) -> PipSources {
    let mut s = PipSources::default();
    let Some(at) = t.iter().position(|w| *w == "install" || *w == "sync") else {
        return s;
    };
    let tool_installs_project = t[..at]
        .iter()
        .any(|w| matches!(*w, "poetry" | "pipenv" | "uv"))
        && !t[..at].contains(&"pip");
    if tool_installs_project {
        s.project = true;
    }
    let mut args = t[at + 1..].iter();
    while let Some(w) = args.next() {
        if let Some(f) = w
            .strip_prefix("--requirement=")
            .or_else(|| w.strip_prefix("-r").filter(|f| !f.is_empty()))
        {
            s.files.push(f.to_string());
        } else if matches!(*w, "-r" | "--requirement") {
            if let Some(f) = args.next() {
                s.files.push(f.to_string());
            }
        } else if *w == "--only-binary=:all:" {
            s.only_binary = true;
        } else if PIP_VALUED.contains(w) {
            // the option's value is not a requirement (`-f URL`, `-i URL`)
            let value = args.next();
            s.only_binary |= *w == "--only-binary" && value == Some(&":all:");
        } else if matches!(*w, "-e" | "--editable") {
            match args.next() {
                Some(x) if !x.starts_with('.') => s.unreadable.push(x.to_string()),
                _ => s.project = true,
            }
        } else if w.starts_with('-') {
        } else if w.starts_with('.') {
            s.project = true;
        } else if w.ends_with(".whl") || w.contains("wheel") {
            s.wheels = true;
        } else if w.starts_with('/') || w.contains("://") || w.contains('/') {
            s.unreadable.push(w.to_string());
        } else {
            s.named.extend(requirement_names(w).into_iter().take(1));
        }
    }
    s
}

/// The words of a text that may name a package, PEP 503-normalized
/// (`uWSGI>=2` → `uwsgi`, `psycopg[c]` → `psycopg`).
pub fn requirement_names(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase().replace(['_', '.'], "-"))
        .collect()
}

/// True when `script` installs Python packages (pip, `python -m pip`,
/// poetry, pipenv, uv), read with the shell model: [`python_installs`]'s
/// rules applied to each command's words.
pub fn installs_python(script: &str) -> bool {
    command_words(script).iter().any(|words| {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        python_installs(&words)
    })
}

/// Every RUN of `stage` read by the shell model, each in the environment
/// it starts in, as one [`Script`] ([`Script::joined`]): the WORKDIR, and the
/// ENV and ARG values of the stage's instructions before it (as
/// [`ShellEnv::before`] reads them; an ARG default counts as the value, as
/// everywhere in slimfile, though a `--build-arg` can change it; an ARG
/// without one is unknown). Nothing carries from one RUN to the next (each
/// is a new shell), and the base image's variables are unknown (a stage
/// built `FROM` another stage included): a package list given by such a
/// variable stays unknown.
///
/// Each RUN gets the variables its text expands (`$NAME`, `${NAME}`), so a
/// stage of many ENV and RUN lines reads in linear time; a variable a
/// program reads from its environment without the text naming it (`HOME`
/// for `pip install --user`) is not passed.
///
/// ```
/// let text = "FROM debian:bookworm\nARG EXTRA=tzdata\nENV BUILD_DEPS=\"gcc libpq-dev\"\nRUN apt-get install -y $BUILD_DEPS $EXTRA $OTHER\n";
/// let doc = slimfile::syntax::parse(text).unwrap();
/// let model = slimfile::model::Model::build(&doc);
/// let script = slimfile::analysis::stage_script(text, &doc, &model, &model.stages[0]);
/// assert_eq!(slimfile::analysis::apt_packages_of(&script), ["gcc", "libpq-dev", "tzdata", "$OTHER"]);
/// ```
pub fn stage_script(text: &str, doc: &Document, model: &Model, stage: &Stage) -> Script {
    let workdir =
        crate::image_config::config_of(stage.effective_base()).map_or("/", |c| c.workdir.as_str());
    let mut env = ShellEnv::at(workdir);
    let mut scripts = Vec::new();
    for ins in doc
        .instructions
        .get(stage.instructions.clone())
        .unwrap_or(&[])
    {
        if ins.keyword != Keyword::Run {
            env.apply(ins, &model.global_args);
            continue;
        }
        let run_env = ShellEnv {
            workdir: env.workdir.clone(),
            vars: expanded_names(&script(text, ins))
                .filter_map(|name| env.vars.get_key_value(name))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        scripts.push(Script::of(text, ins, doc.escape, &run_env));
    }
    Script::joined(scripts)
}

/// The names of `$NAME` and `${NAME…}` in `script`, in text order, repeats included.
fn expanded_names(script: &str) -> impl Iterator<Item = &str> {
    script.match_indices('$').filter_map(|(i, _)| {
        let rest = &script[i + 1..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        (len > 0).then(|| &rest[..len])
    })
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
    fn reads_what_an_install_reads() {
        let s = pip_sources(&[
            "pip",
            "install",
            "--no-cache-dir",
            "-r",
            "req.txt",
            "uWSGI==2.0.8",
            "-i",
            "https://x",
            "psycopg[c]",
        ]);
        assert_eq!(s.files, ["req.txt"]);
        assert_eq!(s.named, ["uwsgi", "psycopg"]);
        assert!(!s.project);
        assert!(pip_sources(&["pip", "install", "-e", "."]).project);
        assert!(pip_sources(&["poetry", "install", "--no-root"]).project);
        assert!(!pip_sources(&["pip", "install", "/wheels/a.whl"]).project);
        assert!(
            pip_sources(&["pip", "install", "/wheels/*"])
                .unreadable
                .is_empty()
        );
        assert_eq!(
            pip_sources(&["pip", "install", "git+https://x.org/a.git"]).unreadable,
            ["git+https://x.org/a.git"]
        );
        assert_eq!(
            pip_sources(&["pip", "install", "-e", "git+https://x.org/a.git#egg=a"]).unreadable,
            ["git+https://x.org/a.git#egg=a"]
        );
        assert_eq!(
            pip_sources(&["pip", "install", "-rreq.txt"]).files,
            ["req.txt"]
        );
    }

    #[test]
    fn names_are_normalized() {
        assert_eq!(
            requirement_names("psycopg2-binary==2.9; Pillow>=9"),
            ["psycopg2-binary", "2-9", "pillow", "9"]
        );
    }

    #[test]
    fn words_are_the_shell_models() {
        // a quoted phrase is one word; operators and quotes are not words
        assert_eq!(
            words("echo 'go build' && cd /src; go build -o \"/out/app\" ."),
            [
                "echo", "go build", "cd", "/src", "go", "build", "-o", "/out/app", "."
            ]
        );
        let text = "FROM a\nHEALTHCHECK --interval=5s CMD [\"/srv/health.sh\", \"x\"]\nHEALTHCHECK CMD curl -f http://x/ || exit 1\nCMD [\"sh\", \"-c\", \"./app --config c.yaml\"]\nHEALTHCHECK NONE\n";
        let doc = crate::syntax::parse(text).unwrap();
        let of = |n: usize| instruction_words(text, &doc.instructions[n], doc.escape);
        assert_eq!(of(1), [vec!["/srv/health.sh", "x"]]);
        assert_eq!(of(2), [vec!["curl", "-f", "http://x/"], vec!["exit", "1"]]);
        assert_eq!(of(3).last().unwrap(), &["./app", "--config", "c.yaml"]);
        assert!(of(4).is_empty());
    }

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
    fn steps_read_by_the_shell_model() {
        // a `sh -c` script is read too
        assert_eq!(
            compile_step("sh -c \"cd src && make\""),
            Some("make".into())
        );
        // a quoted phrase is one word, not a command
        assert_eq!(compile_step("echo 'go build'"), None);
        // heredoc bodies follow the RUN's line in `script()` text
        assert!(uses_apt("<<-EOF\n\tset -e\n\tapt-get update\n"));
        assert!(!uses_apt("echo /var/lib/apt/lists"));
        assert!(installs_python("cd /app && python3 -m pip install flask"));
        assert!(installs_python("uv pip install -r requirements.txt"));
        assert!(!installs_python("pip download flask"));
    }

    #[test]
    fn stage_packages_read_with_each_runs_environment() {
        let text = "ARG LIST=\"curl git\"\nFROM debian:bookworm\nARG LIST\nARG NONE\nRUN apt-get install -y $LIST $LATER $NONE\nENV LATER=tzdata\nRUN deps='gcc make'; apt-get install -y $deps $LATER \"$LIST\"\nRUN apt-get install -y $deps\n";
        let doc = crate::syntax::parse(text).unwrap();
        let model = Model::build(&doc);
        let script = stage_script(text, &doc, &model, &model.stages[0]);
        assert_eq!(
            apt_packages_of(&script),
            [
                // a global ARG's default; an ENV below the RUN and an ARG
                // without default are unknown
                "curl", "git", "$LATER", "$NONE",
                // a same-RUN assignment, the ENV above, a quoted list (one word)
                "gcc", "make", "tzdata", "curl git",
                // an assignment of an earlier RUN does not carry over
                "$deps",
            ]
        );
        // the text alone knows none of the Dockerfile's values
        assert_eq!(apt_packages("apt-get install -y $LIST"), ["$LIST"]);
    }

    #[test]
    fn apt_package_lists() {
        let s = "apt-get update && apt-get install -y --no-install-recommends \\\n curl ca-certificates libpq5=15.* && rm -rf /var/lib/apt/lists/*";
        assert_eq!(apt_packages(s), ["curl", "ca-certificates", "libpq5"]);
    }
}
