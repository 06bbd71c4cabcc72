//! A deterministic generator of realistic Dockerfiles for benchmarks, scaling
//! tests, property tests and the structured fuzz target: the styles real
//! projects use (old and new syntax, comments everywhere, continuations, ARG
//! before FROM, `--platform`, heredocs, CRLF), over Go, Node, Python, Java,
//! Rust and plain images, single- and multi-stage.
//!
//! Half the seeds take one of nine app templates; the other half compose a
//! file from every instruction form (each with its flags, JSON and shell
//! forms, heredocs), ARG-parameterised and registry-prefixed bases,
//! multi-stage shapes (chains, fan-in, `FROM <stage>`, unused stages,
//! `--from=<index>`), and real-world quirks (lowercase keywords, `# escape=``,
//! comments and empty lines inside continuations, no final newline, a
//! continuation at the end of the file, CRLF, trailing blanks, tabs).
//! `shapes` names what a file exercises, for the reach figures in
//! `tests/properties.rs`. Shared by `benches/`, `tests/` and `fuzz/` through
//! `#[path]`.

#![allow(dead_code)]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// One Dockerfile for `seed`.
pub fn dockerfile(seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    if rng.random_bool(0.5) {
        return composed(&mut rng);
    }
    let kind = rng.random_range(0..9);
    let mut s = String::new();
    if rng.random_bool(0.3) {
        s.push_str("# syntax=docker/dockerfile:1.7\n");
    }
    if rng.random_bool(0.2) {
        s.push_str("# Build file generated for benchmarks\n# Maintainer: platform team\n\n");
    }
    match kind {
        0 => go(&mut rng, &mut s),
        1 => node(&mut rng, &mut s),
        2 => python(&mut rng, &mut s),
        3 => java(&mut rng, &mut s),
        4 => rust(&mut rng, &mut s),
        5 => multi_go(&mut rng, &mut s),
        6 => static_site(&mut rng, &mut s),
        7 => apt_heavy(&mut rng, &mut s),
        _ => heredoc(&mut rng, &mut s),
    }
    if rng.random_bool(0.1) && !s.contains("<<") {
        // (a heredoc's terminator must be alone on its line)
        s = s.replace('\n', "\r\n");
    }
    s
}

fn go(rng: &mut StdRng, s: &mut String) {
    let v = pick(rng, &["1.21", "1.22", "1.23-bookworm", "1.22-alpine"]);
    s.push_str(&format!(
        "ARG GO_VERSION={v}\nFROM golang:${{GO_VERSION}}\n"
    ));
    s.push_str("WORKDIR /src\n# dependencies first\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n");
    let bin = pick(rng, &["server", "api", "worker", "cli"]);
    s.push_str(&format!(
        "RUN CGO_ENABLED=0 GOOS=linux go build -trimpath \\\n    -ldflags=\"-s -w\" \\\n    -o /out/{bin} ./cmd/{bin}\n"
    ));
    s.push_str(&format!(
        "EXPOSE 8080\nUSER 65532:65532\nENTRYPOINT [\"/out/{bin}\"]\n"
    ));
}

fn node(rng: &mut StdRng, s: &mut String) {
    let v = pick(rng, &["18", "20", "20-bookworm", "22"]);
    s.push_str(&format!(
        "FROM node:{v}\n\n# app directory\nWORKDIR /usr/src/app\n"
    ));
    s.push_str("COPY package*.json ./\n");
    let install = *pick(
        rng,
        &[
            "RUN npm ci\n",
            "RUN npm install\n",
            "RUN yarn install --frozen-lockfile\n",
        ],
    );
    s.push_str(install);
    s.push_str("COPY . .\n");
    if rng.random_bool(0.5) {
        s.push_str("RUN npm run build\n");
    }
    s.push_str("ENV NODE_ENV=production PORT=3000\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n");
}

fn python(rng: &mut StdRng, s: &mut String) {
    let v = pick(rng, &["3.11", "3.12", "3.12-bookworm", "3.10-slim"]);
    s.push_str(&format!(
        "FROM python:{v}\nENV PYTHONDONTWRITEBYTECODE=1 \\\n    PYTHONUNBUFFERED=1\n"
    ));
    if rng.random_bool(0.5) {
        s.push_str("RUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n        build-essential \\\n        libpq-dev \\\n    && rm -rf /var/lib/apt/lists/*\n");
    }
    s.push_str("WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n");
    s.push_str("EXPOSE 8000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n");
}

fn java(rng: &mut StdRng, s: &mut String) {
    let v = pick(
        rng,
        &[
            "3.9-eclipse-temurin-21",
            "3.9.9-eclipse-temurin-17",
            "3-openjdk-17",
        ],
    );
    s.push_str(&format!("FROM maven:{v} as build\nWORKDIR /app\nCOPY pom.xml .\nRUN mvn -B dependency:go-offline\nCOPY src ./src\nRUN mvn -B package -DskipTests\n"));
    if rng.random_bool(0.5) {
        s.push_str("\nFROM eclipse-temurin:21-jre\nCOPY --from=0 /app/target/app.jar /app.jar\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n");
    } else {
        s.push_str("CMD [\"java\", \"-jar\", \"target/app.jar\"]\n");
    }
}

fn rust(rng: &mut StdRng, s: &mut String) {
    let v = pick(rng, &["1.82", "1.83-bookworm", "1.82-slim-bookworm"]);
    s.push_str(&format!("FROM --platform=$BUILDPLATFORM rust:{v} AS builder\nWORKDIR /usr/src/app\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/cargo/registry \\\n    cargo build --release --bin app\n"));
    s.push_str("\nFROM debian:bookworm\nCOPY --from=builder /usr/src/app/target/release/app /usr/local/bin/app\nCMD [\"app\"]\n");
}

fn multi_go(rng: &mut StdRng, s: &mut String) {
    let stages = rng.random_range(2..6);
    for i in 0..stages {
        let base = if i == 0 { "golang:1.22" } else { "alpine:3.20" };
        s.push_str(&format!("FROM {base} as stage{i}\n"));
        if i > 0 {
            s.push_str(&format!("COPY --from={} /out /out\n", i - 1));
        } else {
            s.push_str("WORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n");
        }
        s.push_str("# comment between stages\n\n");
    }
    s.push_str("CMD [\"/out/app\"]\n");
}

fn static_site(_rng: &mut StdRng, s: &mut String) {
    s.push_str("FROM node:20-alpine AS build\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\nEXPOSE 80\n");
}

fn apt_heavy(rng: &mut StdRng, s: &mut String) {
    s.push_str("FROM ubuntu:24.04\nARG DEBIAN_FRONTEND=noninteractive\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n");
    let n = rng.random_range(10..80);
    for i in 0..n {
        s.push_str(&format!("    package-{i:03} \\\n"));
        if i % 17 == 0 {
            s.push_str("    # a comment inside the continuation\n");
        }
    }
    s.push_str("    && rm -rf /var/lib/apt/lists/*\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"entrypoint.sh\"]\n");
}

fn heredoc(rng: &mut StdRng, s: &mut String) {
    s.push_str("FROM debian:bookworm-slim\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nEOF\n");
    if rng.random_bool(0.5) {
        s.push_str("COPY <<-CONF /etc/app.conf\n\tport=8080\n\tlog=info\n\tCONF\n");
    }
    s.push_str("COPY --link --chmod=755 run.sh /run.sh\nCMD [\"/run.sh\"]\n");
}

// ---------------------------------------------------------------------------
// Composed files: every instruction form, multi-stage shapes, quirks

/// How one composed file is written.
struct Style {
    /// Keywords in lowercase (`from`, `run`), some or all of them.
    lowercase: f64,
    /// The escape character (`\` or, with `# escape=``, a backtick).
    escape: char,
    /// Lines of a continuation are indented with a tab instead of spaces.
    tabs: bool,
}

impl Style {
    fn kw(&self, rng: &mut StdRng, word: &str) -> String {
        if rng.random_bool(self.lowercase) {
            word.to_lowercase()
        } else {
            word.to_string()
        }
    }

    /// `parts` joined into one logical line, sometimes continued over lines
    /// (with comment or empty lines inside).
    fn continued(&self, rng: &mut StdRng, parts: &[String]) -> String {
        if parts.len() < 2 || rng.random_bool(0.5) {
            return parts.join(" ");
        }
        let indent = if self.tabs { "\t" } else { "    " };
        let mut out = parts[0].clone();
        for part in &parts[1..] {
            out.push(' ');
            out.push(self.escape);
            out.push('\n');
            if rng.random_bool(0.15) {
                out.push_str(indent);
                out.push_str("# a comment inside the continuation\n");
            }
            if rng.random_bool(0.05) {
                out.push('\n');
            }
            out.push_str(indent);
            out.push_str(part);
        }
        out
    }
}

const STAGE_NAMES: &[&str] = &[
    "build",
    "builder",
    "deps",
    "base",
    "test",
    "assets",
    "tools",
    "compile",
    "web.assets",
    "stage_2",
];

/// Bases a stage can start from; `{stage}` is an earlier stage's name.
const IMAGES: &[&str] = &[
    "python:3.12",
    "python:3.11-bookworm",
    "python:3.8",
    "python:${PYTHON_VERSION}",
    "python:${PYTHON_VERSION:-3.12}-slim",
    "docker.io/library/python:3.12",
    "node:20",
    "node:22-bookworm",
    "node:${NODE_VERSION}-alpine",
    "node:lts",
    "node",
    "golang:1.22",
    "golang:${GO_VERSION}",
    "golang:1.23-alpine",
    "rust:1.82",
    "rust:1.82-slim-bookworm",
    "ruby:3.3",
    "php:8.3-cli",
    "php:8.2-fpm-bookworm",
    "maven:3.9-eclipse-temurin-21",
    "gradle:8.5-jdk17",
    "openjdk:17",
    "openjdk:11-jdk",
    "docker.io/library/openjdk:17",
    "eclipse-temurin:21-jdk",
    "eclipse-temurin:17-jre-jammy",
    "mcr.microsoft.com/dotnet/sdk:8.0",
    "mcr.microsoft.com/dotnet/aspnet:8.0",
    "debian:bookworm",
    "debian:bookworm-slim",
    "debian",
    "ubuntu:24.04",
    "ubuntu:jammy",
    "alpine:3.20",
    "alpine",
    "nginx:1.27",
    "nginx:1.27-alpine",
    "httpd:2.4",
    "scratch",
    "gcr.io/distroless/static-debian12",
    "gcr.io/distroless/base-debian12:nonroot",
    "registry.example.com/team/base:1.4",
    "localhost:5000/app:dev",
    "python:3.12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "${BASE_IMAGE}",
    "$BASE_IMAGE",
    "{stage}",
];

const GLOBAL_ARGS: &[&str] = &[
    "ARG PYTHON_VERSION=3.12",
    "ARG PYTHON_VERSION",
    "ARG NODE_VERSION=20",
    "ARG GO_VERSION=1.22",
    "ARG BASE_IMAGE=debian:bookworm",
    "ARG BASE_IMAGE=python:3.11",
    "ARG TARGETPLATFORM",
    "ARG VERSION=\"1.0.0\"",
];

const RUN_COMMANDS: &[&[&str]] = &[
    &[
        "apt-get update",
        "&& apt-get install -y --no-install-recommends curl ca-certificates",
        "&& rm -rf /var/lib/apt/lists/*",
    ],
    &[
        "apt-get update",
        "&& apt-get install -y build-essential libpq-dev gcc",
    ],
    &["apk add --no-cache", "git", "openssh-client"],
    &["pip install --no-cache-dir -r requirements.txt"],
    &[
        "pip install --upgrade pip",
        "&& pip install poetry",
        "&& poetry install --no-root",
    ],
    &[
        "python -m venv /opt/venv",
        "&& /opt/venv/bin/pip install -r requirements.txt",
    ],
    &["npm ci"],
    &["npm ci --omit=dev"],
    &["npm install", "&& npm run build"],
    &["yarn install --frozen-lockfile", "&& yarn build"],
    &["npm install -g pm2"],
    &["go mod download"],
    &[
        "CGO_ENABLED=0 go build -trimpath",
        "-ldflags=\"-s -w\"",
        "-o /out/app ./cmd/app",
    ],
    &["go build -o /usr/local/bin/server ."],
    &[
        "cargo build --release",
        "&& cp target/release/app /usr/local/bin/app",
    ],
    &["mvn -B -q package -DskipTests"],
    &["./gradlew build --no-daemon"],
    &["dotnet restore", "&& dotnet publish -c Release -o /out"],
    &[
        "./configure --prefix=/usr/local",
        "&& make -j\"$(nproc)\"",
        "&& make install",
    ],
    &["useradd --create-home --uid 1000 app"],
    &["addgroup -S app && adduser -S app -G app"],
    &["update-ca-certificates"],
    &["mkdir -p /app/data", "&& chown -R 1000:1000 /app"],
    &["echo \"building $VERSION\" > /version.txt"],
    &[
        "set -eux;",
        "curl -fsSL https://example.com/install.sh | sh",
    ],
    &["if [ -f package.json ]; then npm ci; fi"],
    &["sed -i 's/#\\(.*\\)/\\1/' /etc/apt/sources.list || true"],
    &["chmod +x /usr/local/bin/*.sh"],
    &["rm -rf /tmp/* /var/tmp/*"],
    &["gem install bundler && bundle install"],
    &["composer install --no-dev --optimize-autoloader"],
];

const RUN_FLAGS: &[&str] = &[
    "--mount=type=cache,target=/root/.cache",
    "--mount=type=cache,target=/var/cache/apt,sharing=locked",
    "--mount=type=secret,id=npmrc,target=/root/.npmrc",
    "--mount=type=bind,source=go.sum,target=go.sum",
    "--mount=type=ssh",
    "--mount=type=tmpfs,target=/tmp",
    "--network=none",
    "--network=host",
];

const COPY_SOURCES: &[&str] = &[
    ". .",
    ". /app",
    "package.json package-lock.json ./",
    "requirements.txt .",
    "go.mod go.sum ./",
    "pom.xml .",
    "src ./src",
    "Cargo.toml Cargo.lock ./",
    "*.csproj ./",
    "entrypoint.sh /usr/local/bin/",
    "nginx.conf /etc/nginx/conf.d/default.conf",
    "config/ /etc/app/",
    "[\"app.py\", \"/app/\"]",
    "[\"a file with spaces.txt\", \"/data/\"]",
];

const COPY_FLAGS: &[&str] = &[
    "--chown=1000:1000",
    "--chown=app:app",
    "--chmod=755",
    "--chmod=0644",
    "--link",
    "--link=true",
    "--parents",
    "--exclude=*.md",
];

const ADD_FORMS: &[&str] = &[
    "https://example.com/releases/tool-1.2.tar.gz /tmp/",
    "--checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tar.gz /opt/",
    "--chown=1000:1000 app.tar.gz /opt/",
    "--keep-git-dir=true https://github.com/example/repo.git /src",
    "rootfs.tar.xz /",
    "--link vendor /app/vendor",
];

/// One instruction of a stage's body (never FROM), with its shape name.
fn instruction(
    rng: &mut StdRng,
    st: &Style,
    earlier: &[String],
    shapes: &mut Vec<&'static str>,
) -> String {
    let kw = |rng: &mut StdRng, w: &str| st.kw(rng, w);
    let which = rng.random_range(0..30);
    let (shape, text): (&'static str, String) = match which {
        0..=5 => {
            let cmd = pick(rng, RUN_COMMANDS);
            let mut parts: Vec<String> = Vec::new();
            let mut head = kw(rng, "RUN");
            let mut shape = "RUN shell";
            if rng.random_bool(0.25) {
                head.push(' ');
                head.push_str(pick::<&str>(rng, RUN_FLAGS));
                shape = "RUN --flag shell";
            }
            if rng.random_bool(0.1) && !earlier.is_empty() {
                let from = pick(rng, earlier).clone();
                head.push_str(&format!(
                    " --mount=type=bind,from={from},source=/out,target=/mnt"
                ));
                shape = "RUN --mount=from";
            }
            parts.push(format!("{head} {}", cmd[0]));
            parts.extend(cmd[1..].iter().map(|p| p.to_string()));
            (shape, st.continued(rng, &parts))
        }
        6 => {
            let body = *pick(
                rng,
                &[
                    "set -e\napt-get update\napt-get install -y curl\n",
                    "echo one\necho two > /two\n",
                    "pip install -r requirements.txt\n",
                ],
            );
            match rng.random_range(0..4) {
                0 => (
                    "RUN heredoc",
                    format!("{} <<EOF\n{body}EOF", kw(rng, "RUN")),
                ),
                1 => (
                    "RUN heredoc quoted",
                    format!("{} <<'EOT'\n{body}EOT", kw(rng, "RUN")),
                ),
                2 => (
                    "RUN heredoc strip-tabs",
                    format!(
                        "{} <<-EOF\n\t{}\n\tEOF",
                        kw(rng, "RUN"),
                        body.trim_end().replace('\n', "\n\t")
                    ),
                ),
                _ => (
                    "RUN heredoc program",
                    format!("{} python3 <<EOF\nprint(\"hello\")\nEOF", kw(rng, "RUN")),
                ),
            }
        }
        7 => (
            "RUN json",
            format!(
                "{} [\"sh\", \"-c\", \"echo $HOME > /home.txt\"]",
                kw(rng, "RUN")
            ),
        ),
        8..=11 => {
            let mut head = kw(rng, "COPY");
            let mut shape = "COPY";
            // BuildKit refuses a flag given twice (bflag.go: "Duplicate flag specified")
            let mut used: Vec<&str> = Vec::new();
            for _ in 0..rng.random_range(0..3) {
                let flag = *pick::<&str>(rng, COPY_FLAGS);
                let name = flag.split('=').next().unwrap_or(flag);
                if used.contains(&name) {
                    continue;
                }
                used.push(name);
                head.push(' ');
                head.push_str(flag);
                shape = "COPY --flag";
            }
            let src = *pick(rng, COPY_SOURCES);
            if src.starts_with('[') {
                shape = "COPY json";
            }
            (shape, format!("{head} {src}"))
        }
        12 | 13 if !earlier.is_empty() => {
            let from = if rng.random_bool(0.25) {
                format!("{}", rng.random_range(0..earlier.len()))
            } else {
                pick(rng, earlier).clone()
            };
            let what = *pick(
                rng,
                &[
                    "/out/app /usr/local/bin/app",
                    "/app/dist /usr/share/nginx/html",
                    "/app /app",
                    "/opt/venv /opt/venv",
                    "/src/target/app.jar /app.jar",
                    "/out/ /app/",
                    "/usr/local/bin/server /server",
                    "/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/",
                ],
            );
            let chown = if rng.random_bool(0.2) {
                " --chown=app:app"
            } else {
                ""
            };
            (
                "COPY --from",
                format!("{}{chown} --from={from} {what}", kw(rng, "COPY")),
            )
        }
        12 | 13 => (
            "COPY heredoc",
            format!(
                "{} <<EOF /etc/app.conf\nport=8080\nlog=info\nEOF",
                kw(rng, "COPY")
            ),
        ),
        14 => (
            "ADD",
            format!("{} {}", kw(rng, "ADD"), pick(rng, ADD_FORMS)),
        ),
        15 => {
            let forms = [
                "ENV NODE_ENV=production",
                "ENV PATH=\"/opt/venv/bin:$PATH\"",
                "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1",
                "ENV APP_HOME /app",
                "ENV GREETING=\"hello world\" LANG=C.UTF-8",
            ];
            let f = *pick(rng, &forms);
            let shape = if f.contains('=') {
                "ENV k=v"
            } else {
                "ENV legacy"
            };
            (shape, f.replacen("ENV", &kw(rng, "ENV"), 1))
        }
        16 => {
            let f = *pick(
                rng,
                &[
                    "ARG VERSION",
                    "ARG VERSION=2.0",
                    "ARG BUILD_DATE",
                    "ARG TARGETARCH",
                    "ARG USER=app",
                ],
            );
            ("ARG", f.replacen("ARG", &kw(rng, "ARG"), 1))
        }
        17 => {
            let parts: Vec<String> = vec![
                kw(rng, "LABEL"),
                "org.opencontainers.image.title=\"app\"".into(),
                "version=\"1.0\"".into(),
                "maintainer=team@example.com".into(),
            ];
            let n = rng.random_range(2..=parts.len());
            ("LABEL", st.continued(rng, &parts[..n]))
        }
        18 => (
            "EXPOSE",
            format!(
                "{} {}",
                kw(rng, "EXPOSE"),
                pick(
                    rng,
                    &["8080", "80 443", "53/udp", "3000/tcp", "${PORT:-8000}"]
                )
            ),
        ),
        19 => (
            "WORKDIR",
            format!(
                "{} {}",
                kw(rng, "WORKDIR"),
                pick(rng, &["/app", "/usr/src/app", "/src", "$HOME/app", "app"])
            ),
        ),
        20 => (
            "USER",
            format!(
                "{} {}",
                kw(rng, "USER"),
                pick(rng, &["app", "1000:1000", "nobody", "65532:65532", "root"])
            ),
        ),
        21 => {
            let json = rng.random_bool(0.5);
            let f = if json {
                "[\"/data\", \"/var/log/app\"]"
            } else {
                "/data /cache"
            };
            (
                if json { "VOLUME json" } else { "VOLUME shell" },
                format!("{} {f}", kw(rng, "VOLUME")),
            )
        }
        22 => (
            "STOPSIGNAL",
            format!(
                "{} {}",
                kw(rng, "STOPSIGNAL"),
                pick(rng, &["SIGTERM", "SIGQUIT", "9"])
            ),
        ),
        23 => {
            let f = *pick(
                rng,
                &[
                    "NONE",
                    "--interval=30s --timeout=3s CMD curl -f http://localhost:8080/ || exit 1",
                    "CMD [\"wget\", \"-q\", \"-O-\", \"http://localhost/health\"]",
                    "--start-period=5s --retries=3 CMD /healthcheck.sh",
                ],
            );
            ("HEALTHCHECK", format!("{} {f}", kw(rng, "HEALTHCHECK")))
        }
        24 => (
            "SHELL",
            format!(
                "{} [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
                kw(rng, "SHELL")
            ),
        ),
        25 => {
            let f = *pick(rng, &["RUN npm ci", "COPY . /app", "RUN echo onbuild"]);
            ("ONBUILD", format!("{} {f}", kw(rng, "ONBUILD")))
        }
        26 => (
            "MAINTAINER",
            format!("{} Jane Doe <jane@example.com>", kw(rng, "MAINTAINER")),
        ),
        27 => (
            "comment",
            (*pick(
                rng,
                &[
                    "# hadolint ignore=DL3008",
                    "# install the dependencies",
                    "# slimfile: ignore",
                    "#",
                    "## section ##",
                ],
            ))
            .to_string(),
        ),
        28 => ("blank", String::new()),
        _ => ("RUN shell", format!("{} echo \"$PATH\"", kw(rng, "RUN"))),
    };
    shapes.push(shape);
    text
}

/// The command of a final stage, JSON or shell form.
fn command(rng: &mut StdRng, st: &Style, shapes: &mut Vec<&'static str>) -> String {
    let (shape, word, args) = match rng.random_range(0..6) {
        0 => (
            "CMD json",
            "CMD",
            (*pick(
                rng,
                &[
                    "[\"node\", \"server.js\"]",
                    "[\"python\", \"-m\", \"app\"]",
                    "[\"/usr/local/bin/app\"]",
                    "[\"java\", \"-jar\", \"/app.jar\"]",
                    "[\"nginx\", \"-g\", \"daemon off;\"]",
                ],
            ))
            .to_string(),
        ),
        1 => (
            "CMD shell",
            "CMD",
            (*pick(
                rng,
                &[
                    "node server.js",
                    "python app.py",
                    "/out/app --port $PORT",
                    "gunicorn -b 0.0.0.0:8000 app:app",
                ],
            ))
            .to_string(),
        ),
        2 => (
            "ENTRYPOINT json",
            "ENTRYPOINT",
            (*pick(
                rng,
                &[
                    "[\"/entrypoint.sh\"]",
                    "[\"dotnet\", \"App.dll\"]",
                    "[\"/app\"]",
                ],
            ))
            .to_string(),
        ),
        3 => (
            "ENTRYPOINT shell",
            "ENTRYPOINT",
            "exec /usr/local/bin/app".to_string(),
        ),
        4 => (
            "ENTRYPOINT+CMD",
            "ENTRYPOINT",
            "[\"/usr/local/bin/app\"]\nCMD [\"--help\"]".to_string(),
        ),
        _ => ("no command", "", String::new()),
    };
    shapes.push(shape);
    if word.is_empty() {
        return String::new();
    }
    format!("{} {args}\n", st.kw(rng, word))
}

/// A file composed from every instruction form, with its shapes.
fn composed_with_shapes(rng: &mut StdRng) -> (String, Vec<&'static str>) {
    let mut shapes = Vec::new();
    let st = Style {
        lowercase: *pick(rng, &[0.0, 0.0, 0.0, 0.5, 1.0]),
        escape: if rng.random_bool(0.08) { '`' } else { '\\' },
        tabs: rng.random_bool(0.2),
    };
    let mut s = String::new();
    if rng.random_bool(0.3) {
        s.push_str(pick::<&str>(
            rng,
            &[
                "# syntax=docker/dockerfile:1\n",
                "# syntax=docker/dockerfile:1.7-labs\n",
                "#syntax=docker/dockerfile:1.4\n",
            ],
        ));
        shapes.push("directive syntax");
    }
    if st.escape == '`' {
        s.push_str("# escape=`\n");
        shapes.push("directive escape");
    }
    if rng.random_bool(0.2) {
        s.push_str("# Service image\n\n");
    }
    let global_args = rng.random_range(0..3);
    for _ in 0..global_args {
        s.push_str(pick::<&str>(rng, GLOBAL_ARGS));
        s.push('\n');
    }
    if global_args > 0 {
        shapes.push("ARG before FROM");
    }
    let stages = *pick(rng, &[1usize, 1, 2, 2, 3, 4]);
    let mut names: Vec<String> = Vec::new();
    let mut refs: Vec<String> = Vec::new(); // what later stages may name (names or indexes)
    for i in 0..stages {
        let last = i + 1 == stages;
        let mut from = st.kw(rng, "FROM");
        if rng.random_bool(0.15) {
            from.push_str(pick::<&str>(
                rng,
                &[
                    " --platform=$BUILDPLATFORM",
                    " --platform=linux/amd64",
                    " --platform=${TARGETPLATFORM}",
                ],
            ));
            shapes.push("FROM --platform");
        }
        let mut image = (*pick(rng, IMAGES)).to_string();
        if image == "{stage}" {
            match names.last() {
                Some(n) => {
                    image = n.clone();
                    shapes.push("FROM <stage>");
                }
                None => image = "debian:bookworm".into(),
            }
        }
        if image.contains('$') {
            shapes.push("FROM ${ARG}");
        }
        if image.contains('@') {
            shapes.push("FROM @digest");
        }
        from.push(' ');
        from.push_str(&image);
        let named = !last || rng.random_bool(0.3);
        if named && rng.random_bool(0.85) {
            let name = STAGE_NAMES
                .iter()
                .map(|n| n.to_string())
                .filter(|n| !names.contains(n))
                .nth(rng.random_range(0..4))
                .unwrap_or_else(|| format!("s{i}"));
            let as_kw = if rng.random_bool(0.3) { "as" } else { "AS" };
            from.push_str(&format!(" {as_kw} {name}"));
            shapes.push(if as_kw == "as" {
                "FROM … as"
            } else {
                "FROM … AS"
            });
            names.push(name.clone());
            refs.push(name);
        } else {
            shapes.push("FROM unnamed");
            refs.push(i.to_string());
        }
        s.push_str(&from);
        s.push('\n');
        let body = rng.random_range(1..9);
        for _ in 0..body {
            let earlier = &refs[..i];
            s.push_str(&instruction(rng, &st, earlier, &mut shapes));
            s.push('\n');
        }
        if last {
            s.push_str(&command(rng, &st, &mut shapes));
        } else if rng.random_bool(0.2) {
            s.push('\n');
        }
    }
    if stages > 1 {
        shapes.push("multi-stage");
    }
    // quirks of files found in the wild
    if rng.random_bool(0.08) {
        s.push_str("RUN echo done ");
        s.push(st.escape);
        if rng.random_bool(0.5) {
            s.push('\n');
        }
        shapes.push("continuation at EOF");
    }
    if rng.random_bool(0.1) && !s.contains("<<") {
        // (a heredoc's terminator must be alone on its line)
        s = s
            .lines()
            .map(|l| {
                if l.is_empty() || l.ends_with(st.escape) {
                    l.to_string()
                } else {
                    format!("{l}  ")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        shapes.push("trailing blanks");
    }
    if rng.random_bool(0.12) {
        while s.ends_with('\n') {
            s.pop();
        }
        shapes.push("no final newline");
    }
    if rng.random_bool(0.1) && !s.contains("<<") {
        // (a heredoc's terminator must be alone on its line)
        s = s.replace('\n', "\r\n");
        shapes.push("CRLF");
    }
    if st.lowercase > 0.0 {
        shapes.push("lowercase keywords");
    }
    if st.tabs {
        shapes.push("tab indents");
    }
    (s, shapes)
}

fn composed(rng: &mut StdRng) -> String {
    composed_with_shapes(rng).0
}

/// The instruction shapes `dockerfile(seed)` exercises (template files: their
/// template's name), for reach figures.
pub fn shapes(seed: u64) -> Vec<&'static str> {
    let mut rng = StdRng::seed_from_u64(seed);
    if rng.random_bool(0.5) {
        return composed_with_shapes(&mut rng).1;
    }
    let kind = rng.random_range(0..9);
    vec![
        [
            "template go",
            "template node",
            "template python",
            "template java",
            "template rust",
            "template multi-go",
            "template static-site",
            "template apt-heavy",
            "template heredoc",
        ][kind],
    ]
}

/// Whole lines of Dockerfiles (instructions with flags, references, heredoc
/// markers and bodies, directives, comments, blank lines) that the property
/// tests string together, each followed by a few [`FRAGMENTS`], into inputs
/// that decode and often parse, so they reach the model and the passes.
pub const LINES: &[&str] = &[
    "FROM node:20",
    "FROM python:3.12",
    "FROM golang:1.22",
    "FROM scratch",
    "FROM debian:bookworm",
    "FROM openjdk:17",
    "FROM maven:3.9-eclipse-temurin-21",
    "FROM python:${PY}",
    "FROM node:${X",
    "FROM ${BASE}",
    "FROM --platform=$BUILDPLATFORM golang:1.22 AS build",
    "from node:20 as build",
    "FROM node:20 AS build",
    "FROM python:3.12 AS builder",
    "FROM debian:bookworm-slim AS runtime",
    "FROM build",
    "FROM builder AS final",
    "FROM docker.io/library/openjdk:17",
    "FROM python:3.12@sha256:abc",
    "FROM alpine:3.20",
    "FROM nginx:1.27",
    "ARG PY=3.12",
    "ARG BASE=alpine",
    "ARG NODE_VERSION",
    "RUN npm ci",
    "RUN npm run build",
    "RUN go build -o /out/app .",
    "RUN pip install -r requirements.txt",
    "RUN apt-get update && apt-get install -y gcc",
    "RUN cargo build --release",
    "RUN mvn package",
    "RUN make && make install",
    "RUN --mount=type=cache,target=/root/.cache go build -o /app .",
    "RUN [\"sh\", \"-c\", \"x\"]",
    "RUN <<EOF\necho inside\nEOF",
    "RUN <<-EOF\n\techo in\n\tEOF",
    "RUN cat <<'EOF' > /x\n$HOME\nEOF",
    "COPY . .",
    "COPY --from=0 /out /out",
    "COPY --from=build /out /out",
    "COPY --from=builder /app /app",
    "COPY --from=5 /x /x",
    "COPY --link go.mod go.sum ./",
    "COPY --chown=1:1 package.json ./",
    "COPY [\"a\", \"b\"]",
    "COPY <<EOF /etc/x\nk=v\nEOF",
    "ADD https://x/y.tgz /",
    "CMD [\"node\", \"server.js\"]",
    "CMD [\"./app\"]",
    "CMD python app.py",
    "ENTRYPOINT [\"/app\"]",
    "ENV A=1",
    "ENV A 1",
    "ENV PATH=/x:$PATH",
    "WORKDIR /app",
    "USER app",
    "EXPOSE 80",
    "LABEL a=b",
    "VOLUME /data",
    "HEALTHCHECK NONE",
    "HEALTHCHECK CMD true",
    "SHELL [\"sh\", \"-c\"]",
    "ONBUILD RUN x",
    "STOPSIGNAL SIGTERM",
    "MAINTAINER x",
    "# syntax=docker/dockerfile:1",
    "# escape=`",
    "# slimfile: ignore",
    "# slimfile: ignore-file",
    "# comment",
    "",
];

/// How many of [`LINES`] come first: the FROM and ARG lines a file starts with.
const STARTS: usize = 22;

/// Tokens put after a line of [`LINES`]: keywords, flags, quotes,
/// continuations, variables, line endings, odd characters.
pub const FRAGMENTS: &[&str] = &[
    " AS build",
    " as builder",
    " AS ",
    " --from=",
    " --link",
    "\\",
    "`",
    " \\",
    " \\\n",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\"",
    "'",
    "[",
    "]",
    ",",
    "=",
    "-",
    "--",
    "$",
    "${",
    "}",
    ":",
    "/",
    "@sha256:abc",
    ".",
    "*",
    "&&",
    ";",
    "<<EOF",
    "EOF",
    "é",
    "\u{feff}",
    "\u{a0}",
    "日本",
    "0",
    "1",
    "x",
    "app",
    "/out/app",
    "-slim",
    "-alpine",
    "-jdk",
    ":3.12",
    ":20",
    "#",
    "RUN ",
    "FROM ",
    "COPY ",
];

/// An input built from [`LINES`], each with up to two [`FRAGMENTS`] after it
/// (`picks`: indexes into them, any value; taken modulo their lengths).
pub fn token_built(picks: &[(usize, usize, usize, u8)], crlf: bool) -> String {
    let mut s = String::new();
    for (i, &(line, a, b, how_many)) in picks.iter().enumerate() {
        // most inputs start with a FROM or an ARG, as Dockerfiles do
        let line = if i == 0 && how_many >= 16 {
            line % STARTS
        } else {
            line
        };
        // the tokens go at the end of the line's first line (not into a heredoc's body)
        let text = LINES[line % LINES.len()];
        let (first, rest) = text.split_at(text.find('\n').unwrap_or(text.len()));
        s.push_str(first);
        // FROM, SHELL and HEALTHCHECK NONE take a fixed form: tokens after them
        // make a file BuildKit refuses, and the input would stop at the front end
        let strict = ["FROM", "SHELL", "HEALTHCHECK NONE"]
            .iter()
            .any(|k| first.trim_start().to_ascii_uppercase().starts_with(k));
        if strict {
            s.push_str(rest);
            s.push('\n');
            continue;
        }
        if how_many % 4 >= 2 {
            s.push_str(FRAGMENTS[a % FRAGMENTS.len()]);
        }
        if how_many % 4 == 3 {
            s.push_str(FRAGMENTS[b % FRAGMENTS.len()]);
        }
        s.push_str(rest);
        s.push('\n');
    }
    if crlf {
        s = s.replace('\n', "\r\n");
    }
    s
}

/// Writes `n` files (`<dir>/d<k>/Dockerfile`, 50 per folder) and returns their total size.
pub fn write(dir: &std::path::Path, n: u64) -> u64 {
    let mut bytes = 0;
    for i in 0..n {
        let sub = dir.join(format!("d{:03}", i / 50));
        std::fs::create_dir_all(&sub).unwrap();
        let text = dockerfile(i);
        bytes += text.len() as u64;
        let name = if i % 7 == 0 {
            format!("svc{i}.Dockerfile")
        } else {
            format!("Dockerfile.{i}")
        };
        std::fs::write(sub.join(name), text).unwrap();
    }
    bytes
}
