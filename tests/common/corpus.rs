//! A deterministic generator of realistic Dockerfiles for benchmarks, scaling
//! tests and property tests: the styles real projects use (old and new syntax,
//! comments everywhere, continuations, ARG before FROM, `--platform`,
//! heredocs, CRLF), over Go, Node, Python, Java, Rust and plain images, single-
//! and multi-stage. Shared by `benches/` and `tests/` through `#[path]`.

#![allow(dead_code)]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// One Dockerfile for `seed`.
pub fn dockerfile(seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
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
    if rng.random_bool(0.1) {
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
