#!/usr/bin/env bash
# container-lab.sh -- a daemonless engine (Debian's podman), a Docker Engine of the lab's own (Debian's
# docker.io: dockerd with its own data root and socket, BuildKit as its builder) and local stand-in
# base images in both, so `slimfile verify` and the end-to-end suite (tests/e2e.rs) build and run
# real images on a machine with no container registry. Adapted from the team's container-lab
# setup script (setup.sh), which is not part of this repository.
#
# Stand-ins are tagged with the official names the e2e Dockerfiles use (python:3.11[-slim],
# golang:1.19, node:20[-slim], rust:1.82, nginx:1.27-alpine, debian:bookworm[-slim], alpine:3.19,
# distroless, eclipse-temurin, ruby, php, nvidia/cuda:11.8.0-{base,runtime,devel}-ubuntu22.04),
# built from a debootstrap rootfs and Debian packages. They are not the official images: compare
# original and rewritten builds on the same stand-ins, never against published sizes. Each carries
# what scripts/container-lab-images.toml records for its official image (programs on PATH, users,
# ENV names, WORKDIR, ENTRYPOINT, CMD, with sources); `selftest` checks that, in both engines.
#
# Usage:  scripts/container-lab.sh [all|install|conf|bases|standins|cuda|distroless|docker|docker-stop|selftest|clean|purge]
#         (default: all) as root; each step skips work already done (FORCE=1 rebuilds); `docker`
#         reuses a live lab daemon and loads only the stand-ins it lacks or has in another version
#         (podman save | docker load); `selftest` checks every stand-in against
#         scripts/container-lab-images.toml in both engines (CI runs it after `all`).
#         The lab's dockerd runs with --iptables=false (the host's firewall is left alone), so its
#         containers have no NAT to the outside: builds that fetch packages need `--network host`
#         (slimfile verify --network host; the e2e suite passes it for docker).
# After:  source "$LAB/env.sh"   (LAB defaults to /var/tmp/container-lab)
set -euo pipefail
LAB=${LAB:-/var/tmp/container-lab}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
FORCE=${FORCE:-0}
export DEBIAN_FRONTEND=noninteractive

log() { printf '[setup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

install_pkgs() {
  if command -v podman >/dev/null && command -v buildah >/dev/null && command -v skopeo >/dev/null \
     && command -v debootstrap >/dev/null && command -v runc >/dev/null && command -v python3 >/dev/null; then
    log "packages already installed"; return
  fi
  local t=$(now)
  apt-get update -qq
  # podman depends on crun|runc: with runc listed crun is not installed (crun 1.8 fails here, see containers.conf).
  apt-get install -y -qq --no-install-recommends \
    podman buildah skopeo runc conmon golang-github-containers-common \
    containernetworking-plugins iptables debootstrap ca-certificates python3 >/dev/null   # python3: selftest
  log "apt install: $(took "$t") s"
}

install_docker() {
  if [ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ]; then
    log "docker.io already installed"; return
  fi
  local t=$(now) own_policy=0
  # The package's postinst would start the system's dockerd (default socket, iptables rules): the lab
  # starts its own instead. policy-rc.d denies service starts during the install.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1
  fi
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker.io >/dev/null; }
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  log "apt install docker.io: $(took "$t") s ($(/usr/bin/docker --version))"
}

write_conf() {
  mkdir -p "$LAB/conf" "$LAB/storage" "$LAB/run"
  # Overlay works natively (root, ext4, kernel overlayfs). Use STORAGE_DRIVER=vfs as fallback.
  cat > "$LAB/conf/storage.conf" <<EOF
[storage]
driver = "${STORAGE_DRIVER:-overlay}"
runroot = "$LAB/run"
graphroot = "$LAB/storage"
EOF
  # No CAP_SYS_RESOURCE in this VM: podman's default rlimits (nofile=1048576, nproc=4194304) can't
  # be set -> "setrlimit RLIMIT_NOFILE: Operation not permitted". podman itself runs with
  # nproc<=32768, so use values at or below what the podman process has.
  local nofile nproc
  nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=1048576
  nproc=$(ulimit -Hu); { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
  cat > "$LAB/conf/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]

[engine]
# crun 1.8.1 fails on this host's hybrid cgroup v1+v2 layout:
#   "cgroups in hybrid mode not supported, drop all controllers from cgroupv2"
runtime = "runc"
cgroup_manager = "cgroupfs"   # no systemd in the VM
events_logger = "file"
EOF
  cat > "$LAB/conf/registries.conf" <<'EOF'
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"
EOF
  cat > "$LAB/conf/policy.json" <<'EOF'
{ "default": [ { "type": "insecureAcceptAnything" } ] }
EOF
  cat > "$LAB/env.sh" <<EOF
# source this before using podman/buildah/skopeo against the lab storage
export CONTAINERS_STORAGE_CONF=$LAB/conf/storage.conf
export CONTAINERS_CONF=$LAB/conf/containers.conf
export CONTAINERS_REGISTRIES_CONF=$LAB/conf/registries.conf
export BUILDAH_ISOLATION=oci
# podman/buildah take --signature-policy; skopeo too. Debian ships /etc/containers/policy.json.
export LAB_POLICY=$LAB/conf/policy.json
# the lab's Docker Engine (scripts/container-lab.sh docker) and the CLI that came with it (Debian's
# docker.io 20.10: BuildKit built in, DOCKER_BUILDKIT=1; a newer CLI on PATH may lack buildx)
export DOCKER_HOST=unix://$LAB/docker/docker.sock
export SLIMFILE_LAB_DOCKER=/usr/bin/docker
EOF
  log "config written to $LAB/conf, env in $LAB/env.sh"
}

# ---- stand-in base images ------------------------------------------------------------------
prep_rootfs() {  # prep_rootfs DIR [slim]: make a debootstrap tree look like the official image
  local R=$1 slim=${2:-}
  rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/cache/apt/*.bin "$R"/var/lib/apt/lists/* "$R"/debootstrap
  mkdir -p "$R"/var/lib/apt/lists/partial
  : > "$R"/etc/resolv.conf
  echo localhost > "$R"/etc/hostname
  rm -f "$R"/etc/apt/sources.list
  cat > "$R"/etc/apt/sources.list.d/debian.sources <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat > "$R"/etc/apt/apt.conf.d/docker-clean <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' > "$R"/etc/apt/apt.conf.d/docker-no-languages
  # This sandbox intercepts HTTPS to PyPI/crates.io/npm with its own CA: trust the host's extra CAs
  # in the images too (picked up once a RUN step installs ca-certificates).
  mkdir -p "$R"/usr/local/share/ca-certificates
  cp /usr/local/share/ca-certificates/*.crt "$R"/usr/local/share/ca-certificates/ 2>/dev/null || true
  if [ "$slim" = slim ]; then
    cat > "$R"/etc/dpkg/dpkg.cfg.d/docker <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
    find "$R"/usr/share/doc -mindepth 1 -not -type d -not -name copyright -delete 2>/dev/null || true
    find "$R"/usr/share/doc -mindepth 1 -type d -empty -delete 2>/dev/null || true
    rm -rf "$R"/usr/share/man/* "$R"/usr/share/groff/* "$R"/usr/share/info/* \
           "$R"/usr/share/lintian/* "$R"/usr/share/linda/* "$R"/usr/share/locale/*
  fi
}

make_bases() {
  # shellcheck disable=SC1091
  source "$LAB/env.sh"
  if [ "$FORCE" != 1 ] && podman image exists docker.io/library/debian:bookworm \
     && podman image exists docker.io/library/debian:bookworm-slim; then
    log "debian:bookworm{,-slim} already present"; return
  fi
  local raw=$LAB/cache/bookworm-minbase t
  if [ ! -e "$raw/.complete" ]; then
    rm -rf "$raw"; mkdir -p "$LAB/cache"; t=$(now)
    debootstrap --variant=minbase bookworm "$raw" "$MIRROR" > "$LAB/cache/debootstrap.log" 2>&1 \
      || { tail -20 "$LAB/cache/debootstrap.log"; exit 1; }
    touch "$raw/.complete"
    log "debootstrap minbase: $(took "$t") s"
  fi
  mkdir -p "$LAB/rootfs"
  for tag in bookworm bookworm-slim; do
    t=$(now)
    rm -rf "$LAB/rootfs/$tag"; cp -a "$raw" "$LAB/rootfs/$tag"; rm -f "$LAB/rootfs/$tag/.complete"
    if [ $tag = bookworm-slim ]; then prep_rootfs "$LAB/rootfs/$tag" slim; else prep_rootfs "$LAB/rootfs/$tag"; fi
    tar --numeric-owner -C "$LAB/rootfs/$tag" -c . | podman import --quiet \
      --change 'CMD ["bash"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      - "docker.io/library/debian:$tag" >/dev/null
    rm -rf "$LAB/rootfs/$tag"
    log "import debian:$tag: $(took "$t") s ($(podman image inspect debian:$tag --format '{{.Size}}') bytes)"
  done
  podman image prune -f >/dev/null   # drop the untagged previous import on FORCE=1
}


make_standins() {
  # shellcheck disable=SC1091
  source "$LAB/env.sh"
  local S=$LAB/standins
  mkdir -p "$S"
  # Each stand-in carries what container-lab-images.toml records for its official image (programs on
  # PATH, users, ENV names, WORKDIR, ENTRYPOINT, CMD); `selftest` checks it.
  cat > "$S/python.Dockerfile" <<'EOF'
# stand-in for python:3.11 (official: buildpack-deps:bookworm + CPython in /usr/local); Debian's Python
# 3.11 here, with buildpack-deps' tools (curl, wget, git, gcc, g++, make)
FROM debian:bookworm
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D PYTHON_VERSION=3.11.15 \
    PYTHON_SHA256=272179ddd9a2e41a0fc8e42e33dfbdca0b3711aa5abf372d3f2d51543d09b625
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 python3-pip python3-venv \
      python3-dev python-is-python3 build-essential git curl wget \
 && rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED \
 && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
EOF
  cat > "$S/python-slim.Dockerfile" <<'EOF'
# stand-in for python:3.11-slim (official: debian:bookworm-slim + CPython + pip)
FROM debian:bookworm-slim
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D PYTHON_VERSION=3.11.15 \
    PYTHON_SHA256=272179ddd9a2e41a0fc8e42e33dfbdca0b3711aa5abf372d3f2d51543d09b625
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 python3-pip python3-venv python-is-python3 \
 && rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED \
 && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
EOF
  cat > "$S/golang.Dockerfile" <<'EOF'
# stand-in for golang:1.19 (official: buildpack-deps:bookworm-scm + g++ gcc libc6-dev make pkg-config +
# Go in /usr/local/go); Debian's Go 1.19, linked as /usr/local/go
FROM debian:bookworm
ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    GOLANG_VERSION=1.19.13 GOPATH=/go GOTOOLCHAIN=local
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates golang-go g++ gcc libc6-dev make pkg-config \
      git curl wget openssh-client \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(dirname "$(dirname "$(readlink -f /usr/bin/go)")")" /usr/local/go \
 && mkdir -p /go/src /go/bin && chmod -R 1777 /go \
 && /usr/local/go/bin/go version
WORKDIR /go
CMD ["bash"]
EOF
  # Node: Debian's Node.js; npm 10.8.2 (what Node 20 bundles), yarn 1.22.22 and corepack from the npm
  # registry into /usr/local/lib/node_modules, npm's global prefix /usr/local (as in the official
  # image: `npm install -g` puts tools in /usr/local/bin); the official docker-entrypoint.sh logic.
  # corepack's package also declares yarn/pnpm shims: only its corepack command is linked, as the
  # Node.js tarball does, so `yarn` stays yarn 1.22.22.
  printf '%s\n' '#!/bin/sh' 'set -e' \
    '# container-lab stand-in for docker-node'"'"'s docker-entrypoint.sh: run the command with node when' \
    '# its first word is an option, not a command, or a file that is not executable' \
    'if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then' \
    '  set -- node "$@"' 'fi' 'exec "$@"' > "$S/node-docker-entrypoint.sh"
  chmod 755 "$S/node-docker-entrypoint.sh"
  local node_tools='mkdir -p /usr/local/lib/node_modules/npm \
 && node -e "require(\"https\").get(process.argv[1], r => { if (r.statusCode !== 200) process.exit(1); r.pipe(process.stdout) })" \
      https://registry.npmjs.org/npm/-/npm-10.8.2.tgz | tar -xz -C /usr/local/lib/node_modules/npm --strip-components=1 \
 && echo prefix=/usr/local > /usr/local/lib/node_modules/npm/npmrc \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && npm install -g --no-fund --no-audit --no-update-notifier --no-bin-links corepack@0.29.4 \
 && chmod 755 /usr/local/lib/node_modules/corepack/dist/corepack.js \
 && ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack \
 && npm install -g --no-fund --no-audit --no-update-notifier yarn@1.22.22 \
 && rm -rf /root/.npm /tmp/* \
 && node --version && npm --version && npx --version && yarn --version && corepack --version'
  cat > "$S/node.Dockerfile" <<EOF
# stand-in for node:20 (official: buildpack-deps:bookworm + Node.js 20 + npm, yarn, corepack in
# /usr/local); Debian's Node.js 18 here
FROM debian:bookworm
ENV NODE_VERSION=20.20.2 YARN_VERSION=1.22.22 NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && apt-get update \\
 && apt-get install -y --no-install-recommends ca-certificates nodejs build-essential python3 git curl wget \\
 && rm -rf /var/lib/apt/lists/* \\
 && $node_tools
COPY node-docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
EOF
  cat > "$S/node-slim.Dockerfile" <<EOF
# stand-in for node:20-slim (official: debian:bookworm-slim + Node.js 20 + npm, yarn, corepack)
FROM debian:bookworm-slim
ENV NODE_VERSION=20.20.2 YARN_VERSION=1.22.22 NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && apt-get update \\
 && apt-get install -y --no-install-recommends ca-certificates nodejs \\
 && rm -rf /var/lib/apt/lists/* \\
 && $node_tools
COPY node-docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
EOF
  # rustup is not packaged in bookworm and static.rust-lang.org is not reachable: a stand-in that
  # answers for the installed toolchain and fails, saying why, for anything it would download.
  cat > "$S/rustup-standin.sh" <<'EOF'
#!/bin/sh
# container-lab stand-in for rustup: Debian's Rust (rustc-web, cargo-web) is the one toolchain.
host=x86_64-unknown-linux-gnu
fail() { echo "rustup (container-lab stand-in): cannot $*: only Debian's $host toolchain is installed and static.rust-lang.org is not reachable here" >&2; exit 1; }
case "$1" in
  --version|-V) echo "rustup 1.27.1 (container-lab stand-in; toolchain: $(rustc --version))" ;;
  show) printf 'Default host: %s\nrustup home:  %s\n\nstable-%s (default)\n%s\n' "$host" "${RUSTUP_HOME:-}" "$host" "$(rustc --version)" ;;
  toolchain) [ "$2" = list ] && echo "stable-$host (default)" || fail "$*" ;;
  default) [ -z "$2" ] || [ "$2" = stable ] || [ "$2" = "stable-$host" ] || fail "$*"; echo "stable-$host (default)" ;;
  target)
    case "$2" in
      list) echo "$host (installed)" ;;
      add|install) shift 2; for t in "$@"; do case "$t" in -*) ;; "$host") ;; *) fail "add target $t" ;; esac; done ;;
      *) fail "$*" ;;
    esac ;;
  component)
    case "$2" in
      list) for c in cargo rust-std rustc; do echo "$c-$host (installed)"; done ;;
      add) shift 2; for c in "$@"; do case "$c" in -*|cargo|rustc|rust-std) ;; *) command -v "$c" >/dev/null 2>&1 || fail "add component $c" ;; esac; done ;;
      *) fail "$*" ;;
    esac ;;
  run) shift 2; exec "$@" ;;
  which) command -v "$2" || fail "$*" ;;
  *) fail "$*" ;;
esac
EOF
  chmod 755 "$S/rustup-standin.sh"
  cat > "$S/rust.Dockerfile" <<'EOF'
# stand-in for rust:1.82 (official: buildpack-deps:bookworm + rustup in /usr/local/cargo);
# Debian's rustc-web/cargo-web here (a recent Rust whose cargo reads the sparse crates.io index).
FROM debian:bookworm
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin RUST_VERSION=1.82.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates rustc-web cargo-web build-essential pkg-config libssl-dev git curl wget \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /usr/local/cargo/bin /usr/local/rustup && chmod -R a+w /usr/local/cargo /usr/local/rustup \
 && cargo --version && rustc --version
COPY rustup-standin.sh /usr/local/cargo/bin/rustup
CMD ["bash"]
EOF
  # nginx: the official entrypoint runs /docker-entrypoint.d/*.sh before nginx; 20-envsubst-on-
  # templates renders /etc/nginx/templates/*.template into /etc/nginx/conf.d with envsubst.
  printf '%s\n' '#!/bin/sh' 'set -e' \
    '# container-lab stand-in for docker-nginx'"'"'s docker-entrypoint.sh' \
    'if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then' \
    '  for f in $(find /docker-entrypoint.d/ -follow -type f -name "*.sh" 2>/dev/null | sort -V); do' \
    '    if [ -x "$f" ]; then [ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$0: Launching $f"; "$f"; fi' \
    '  done' \
    '  [ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$0: Configuration complete; ready for start up"' \
    'fi' 'exec "$@"' > "$S/nginx-docker-entrypoint.sh"
  printf '%s\n' '#!/bin/sh' 'set -e' \
    '# container-lab stand-in for docker-nginx'"'"'s 20-envsubst-on-templates.sh (http templates only)' \
    'dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"; suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"' \
    'out="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"' \
    '[ -d "$dir" ] || exit 0' \
    'vars=$(printf '"'"'${%s} '"'"' $(env | cut -d= -f1))' \
    'find "$dir" -follow -type f -name "*$suffix" | while read -r t; do' \
    '  rel="${t#"$dir/"}"; mkdir -p "$out/$(dirname "$rel")"' \
    '  envsubst "$vars" < "$t" > "$out/${rel%"$suffix"}"' \
    'done' > "$S/nginx-20-envsubst-on-templates.sh"
  chmod 755 "$S/nginx-docker-entrypoint.sh" "$S/nginx-20-envsubst-on-templates.sh"
  cat > "$S/nginx.Dockerfile" <<'EOF'
# stand-in for nginx:1.27-alpine (official: Alpine + nginx serving /usr/share/nginx/html, user nginx
# (101), envsubst, curl, /docker-entrypoint.sh); Debian's nginx on bookworm-slim here (Alpine's package
# repository is not reachable).
FROM debian:bookworm-slim
ENV NGINX_VERSION=1.27.4 PKG_RELEASE=1 DYNPKG_RELEASE=1 NJS_VERSION=0.8.9 NJS_RELEASE=1
RUN groupadd --system --gid 101 nginx \
 && useradd --system --gid nginx --uid 101 --no-create-home --home-dir /var/cache/nginx --shell /sbin/nologin nginx \
 && apt-get update \
 && apt-get install -y --no-install-recommends nginx-light gettext-base curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \
 && sed -i 's/^user www-data;/user nginx;/' /etc/nginx/nginx.conf \
 && mkdir -p /usr/share/nginx/html /docker-entrypoint.d /var/cache/nginx \
 && printf 'server {\n  listen 80;\n  root /usr/share/nginx/html;\n  index index.html;\n}\n' > /etc/nginx/conf.d/default.conf \
 && printf '<h1>nginx stand-in</h1>\n' > /usr/share/nginx/html/index.html \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
COPY nginx-docker-entrypoint.sh /docker-entrypoint.sh
COPY nginx-20-envsubst-on-templates.sh /docker-entrypoint.d/20-envsubst-on-templates.sh
ENTRYPOINT ["/docker-entrypoint.sh"]
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
EOF
  local spec name file tags t first tg
  for spec in "python:python.Dockerfile:3.11 3.11-bookworm" \
              "python:python-slim.Dockerfile:3.11-slim 3.11-slim-bookworm" \
              "golang:golang.Dockerfile:1.19 1.19-bookworm" \
              "node:node.Dockerfile:20 20-bookworm" \
              "node:node-slim.Dockerfile:20-slim 20-bookworm-slim" \
              "rust:rust.Dockerfile:1.82 1.82-bookworm" \
              "nginx:nginx.Dockerfile:1.27-alpine"; do
    name=${spec%%:*}; file=$(echo "$spec" | cut -d: -f2); tags=$(echo "$spec" | cut -d: -f3)
    first=${tags%% *}
    if [ "$FORCE" != 1 ] && podman image exists "docker.io/library/$name:$first"; then
      log "$name:$first already present"; continue
    fi
    t=$(now)
    podman build --pull=never --layers=false -f "$S/$file" -t "docker.io/library/$name:$first" \
      "$S" > "$S/$file.log" 2>&1 || { tail -30 "$S/$file.log"; exit 1; }
    for tg in $tags; do podman tag "docker.io/library/$name:$first" "docker.io/library/$name:$tg"; done
    log "stand-in $name:$first: $(took "$t") s ($(podman image inspect "$name:$first" --format '{{.Size}}') bytes)"
  done
  podman image prune -f >/dev/null
}

make_distroless() {
  # gcr.io/distroless/static-debian13:latest stand-in (official: GoogleContainerTools/distroless
  # static/static.bzl): no shell, no package manager; /etc/passwd and /etc/group with root, nonroot
  # (65532) and nobody, the CA bundle, tzdata, /tmp (1777), SSL_CERT_FILE. Files from Debian's
  # ca-certificates and tzdata on bookworm-slim (trixie is the official image's release).
  # shellcheck disable=SC1091
  source "$LAB/env.sh"
  local S=$LAB/standins img=gcr.io/distroless/static-debian13:latest t
  mkdir -p "$S"
  if [ "$FORCE" != 1 ] && podman image exists "$img"; then
    log "$img already present"; return
  fi
  cat > "$S/distroless-static.Dockerfile" <<'EOF'
# stand-in for gcr.io/distroless/static-debian13 (no shell: the files only)
FROM debian:bookworm-slim AS files
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /out/etc/ssl/certs /out/usr/share /out/tmp /out/home/nonroot /out/root \
 && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ \
 && cp -a /usr/share/zoneinfo /out/usr/share/ \
 && cp /etc/nsswitch.conf /etc/os-release /out/etc/ \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > /out/etc/passwd \
 && printf 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n' > /out/etc/group \
 && chmod 1777 /out/tmp && chmod 700 /out/root && chown 65532:65532 /out/home/nonroot
FROM scratch
COPY --from=files /out/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 0
WORKDIR /
EOF
  t=$(now)
  podman build --pull=never --layers=false -f "$S/distroless-static.Dockerfile" -t "$img" \
    "$S" > "$S/distroless-static.log" 2>&1 || { tail -30 "$S/distroless-static.log"; exit 1; }
  if podman run --rm --entrypoint /bin/sh "$img" -c true >/dev/null 2>&1; then
    log "$img has a shell: the stand-in is wrong"; exit 1
  fi
  log "stand-in $img: $(took "$t") s ($(podman image inspect "$img" --format '{{.Size}}') bytes)"
}

make_distroless_java() {
  # eclipse-temurin:17-jre / 17-jdk stand-ins (Debian's OpenJDK 17 headless on bookworm-slim) and a
  # gcr.io/distroless/java17-debian13:latest stand-in made from the JRE one: shells, apt and dpkg
  # removed, ENTRYPOINT ["/usr/bin/java", "-jar"] as in distroless java/java.bzl.
  # shellcheck disable=SC1091
  source "$LAB/env.sh"
  local S=$LAB/standins spec img file t
  mkdir -p "$S"
  printf '%s\n' '#!/bin/sh' 'set -e' \
    '# container-lab stand-in for the Temurin images'"'"' /__cacert_entrypoint.sh (which first merges' \
    '# USE_SYSTEM_CA_CERTS certificates into the JDK trust store; Debian'"'"'s JDK reads the system store)' \
    'exec "$@"' > "$S/temurin-entrypoint.sh"
  chmod 755 "$S/temurin-entrypoint.sh"
  cat > "$S/temurin-jre.Dockerfile" <<'EOF'
# stand-in for eclipse-temurin:17-jre (official: Ubuntu + Temurin in /opt/java/openjdk); Debian's
# OpenJDK 17 headless, moved to /opt/java/openjdk (the Debian path links there)
FROM debian:bookworm-slim
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=en_US.UTF-8 LANGUAGE=en_US:en LC_ALL=en_US.UTF-8 JAVA_VERSION=jdk-17.0.20+8
RUN mkdir -p /usr/share/man/man1 /opt/java && apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates curl wget tzdata locales \
 && echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen && locale-gen en_US.UTF-8 >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && mv /usr/lib/jvm/java-17-openjdk-amd64 /opt/java/openjdk \
 && ln -s /opt/java/openjdk /usr/lib/jvm/java-17-openjdk-amd64 \
 && java -version
COPY temurin-entrypoint.sh /__cacert_entrypoint.sh
ENTRYPOINT ["/__cacert_entrypoint.sh"]
EOF
  cat > "$S/temurin-jdk.Dockerfile" <<'EOF'
# stand-in for eclipse-temurin:17-jdk (official: Ubuntu + Temurin JDK in /opt/java/openjdk)
FROM docker.io/library/eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
 && rm -rf /var/lib/apt/lists/* \
 && javac -version
CMD ["jshell"]
EOF
  cat > "$S/distroless-java17.Dockerfile" <<'EOF'
# stand-in for gcr.io/distroless/java17-debian13 (no shell, no package manager; distroless users)
FROM docker.io/library/eclipse-temurin:17-jre AS jre
RUN rm -rf /usr/share/doc /usr/share/man /var/lib/apt /var/cache/apt /var/lib/dpkg /etc/apt /__cacert_entrypoint.sh \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > /etc/passwd \
 && printf 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n' > /etc/group \
 && mkdir -p /home/nonroot && chown 65532:65532 /home/nonroot \
 && rm -f /usr/bin/apt* /usr/bin/dpkg* /usr/bin/perl* /usr/bin/bash /usr/bin/rbash /usr/bin/dash /usr/bin/sh /bin/sh /bin/bash
FROM scratch
COPY --from=jre / /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt LANG=C.UTF-8 JAVA_VERSION=17
USER 0
WORKDIR /
ENTRYPOINT ["/usr/bin/java", "-jar"]
EOF
  for spec in "docker.io/library/eclipse-temurin:17-jre:temurin-jre.Dockerfile" \
              "docker.io/library/eclipse-temurin:17-jdk:temurin-jdk.Dockerfile" \
              "gcr.io/distroless/java17-debian13:latest:distroless-java17.Dockerfile"; do
    img=${spec%:*}; file=${spec##*:}
    if [ "$FORCE" != 1 ] && podman image exists "$img"; then
      log "$img already present"; continue
    fi
    t=$(now)
    podman build --pull=never --layers=false -f "$S/$file" -t "$img" \
      "$S" > "$S/$file.log" 2>&1 || { tail -30 "$S/$file.log"; exit 1; }
    log "stand-in $img: $(took "$t") s ($(podman image inspect "$img" --format '{{.Size}}') bytes)"
  done
  if podman run --rm --entrypoint /bin/sh gcr.io/distroless/java17-debian13:latest -c true >/dev/null 2>&1; then
    log "gcr.io/distroless/java17-debian13 has a shell: the stand-in is wrong"; exit 1
  fi
}

make_alpine() {
  # alpine:3.19 stand-in: Debian busybox-static + musl loader, ~3 MB. Alpine's package repository is
  # not reachable here, so `apk` is a stub that fails; shell steps and static/musl binaries work.
  # shellcheck disable=SC1091
  source "$LAB/env.sh"
  if [ "$FORCE" != 1 ] && podman image exists docker.io/library/alpine:3.19; then
    log "alpine:3.19 already present"; return
  fi
  local t=$(now) d=$LAB/cache/alpine a
  rm -rf "$d"; mkdir -p "$d/debs" "$d/root"
  ( cd "$d/debs" && { apt-get download busybox-static musl >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get download busybox-static musl >/dev/null; }; } )
  dpkg-deb -x "$d"/debs/busybox-static_*.deb "$d/bb"; dpkg-deb -x "$d"/debs/musl_*.deb "$d/musl"
  local R=$d/root
  mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib,etc,tmp,root,var,run,home}
  cp "$d/bb/bin/busybox" "$R/bin/busybox"
  for a in $("$R/bin/busybox" --list); do [ -e "$R/bin/$a" ] || ln -s busybox "$R/bin/$a"; done
  cp -L "$d/musl/lib/ld-musl-x86_64.so.1" "$R/lib/ld-musl-x86_64.so.1"
  ln -sf ld-musl-x86_64.so.1 "$R/lib/libc.musl-x86_64.so.1"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' > "$R/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' > "$R/etc/group"
  printf 'NAME="Alpine Linux (stand-in: Debian busybox-static + musl)"\nID=alpine\nVERSION_ID=3.19.0\n' > "$R/etc/os-release"
  printf '#!/bin/sh\necho "apk stand-in: no Alpine package repository here; cannot run: apk $*" >&2\nexit 1\n' > "$R/sbin/apk"
  chmod +x "$R/sbin/apk"; chmod 1777 "$R/tmp"
  tar --numeric-owner -C "$R" -c . | podman import --quiet --change 'CMD ["/bin/sh"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - docker.io/library/alpine:3.19 >/dev/null
  for a in 3 latest; do podman tag docker.io/library/alpine:3.19 docker.io/library/alpine:$a; done
  rm -rf "$d"
  log "stand-in alpine:3.19: $(took "$t") s ($(podman image inspect alpine:3.19 --format '{{.Size}}') bytes)"
}

# ---- Ruby and PHP stand-ins (split-stages Ruby/PHP recipes; tests/e2e/ruby-app, php-app) ---------
make_rubyphp_standins() {
  # Debian bookworm's Ruby 3.1 and PHP 8.2 under the official tags the e2e apps use; the official
  # images' layout is kept where the recipes rely on it: GEM_HOME=BUNDLE_APP_CONFIG=/usr/local/bundle
  # (ruby), extensions in /usr/local/lib/php/extensions/no-debug-non-zts-20220829 and ini files in
  # /usr/local/etc/php/conf.d, phpize and docker-php-ext-enable (php). RubyGems and Packagist are
  # not reachable here: the apps build their native extensions from their own sources.
  # shellcheck disable=SC1091
  source "$LAB/env.sh"
  local S=$LAB/standins
  mkdir -p "$S"
  cat > "$S/ruby.Dockerfile" <<'EOF'
# stand-in for ruby:3.3 (official: buildpack-deps:bookworm + Ruby in /usr/local; Debian's Ruby 3.1 here)
FROM debian:bookworm
ENV LANG=C.UTF-8 GEM_HOME=/usr/local/bundle BUNDLE_SILENCE_ROOT_WARNING=1 BUNDLE_APP_CONFIG=/usr/local/bundle \
    PATH=/usr/local/bundle/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    RUBY_VERSION=3.3.11 RUBY_DOWNLOAD_URL=https://cache.ruby-lang.org/pub/ruby/3.3/ruby-3.3.11.tar.xz \
    RUBY_DOWNLOAD_SHA256=9116bb2e313203bd78cd3e8dc09284d34b2645f725877623a7185bf3807c8ca3
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates ruby ruby-dev bundler build-essential git curl wget \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /usr/local/bundle && chmod 1777 /usr/local/bundle
CMD ["irb"]
EOF
  cat > "$S/ruby-slim.Dockerfile" <<'EOF'
# stand-in for ruby:3.3-slim (official: debian:bookworm-slim + Ruby in /usr/local; Debian's Ruby 3.1 here)
FROM debian:bookworm-slim
ENV LANG=C.UTF-8 GEM_HOME=/usr/local/bundle BUNDLE_SILENCE_ROOT_WARNING=1 BUNDLE_APP_CONFIG=/usr/local/bundle \
    PATH=/usr/local/bundle/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    RUBY_VERSION=3.3.11 RUBY_DOWNLOAD_URL=https://cache.ruby-lang.org/pub/ruby/3.3/ruby-3.3.11.tar.xz \
    RUBY_DOWNLOAD_SHA256=9116bb2e313203bd78cd3e8dc09284d34b2645f725877623a7185bf3807c8ca3
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates ruby bundler \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /usr/local/bundle && chmod 1777 /usr/local/bundle
CMD ["irb"]
EOF
  # docker-php-entrypoint as the official one; docker-php-ext-install/-configure and docker-php-source
  # need PHP's source tarball (php.net is not reachable): stand-ins that fail saying so
  printf '%s\n' '#!/bin/sh' 'set -e' '# container-lab stand-in for docker-php-entrypoint: an option first means php' \
    'if [ "${1#-}" != "$1" ]; then set -- php "$@"; fi' 'exec "$@"' > "$S/php-docker-php-entrypoint.sh"
  printf '%s\n' '#!/bin/sh' \
    'echo "$(basename "$0") (container-lab stand-in): PHP'"'"'s source tarball is not available in this lab (php.net is not reachable); build the extension with phpize, ./configure, make, make install and docker-php-ext-enable" >&2' \
    'exit 1' > "$S/php-no-source.sh"
  chmod 755 "$S/php-docker-php-entrypoint.sh" "$S/php-no-source.sh"
  cat > "$S/php.Dockerfile" <<'EOF'
# stand-in for php:8.2-cli (official: debian:bookworm-slim + PHP built in /usr/local with $PHPIZE_DEPS
# kept and pecl; Debian's PHP 8.2 here, its extension folder moved to where the official image has it)
FROM debian:bookworm
ENV PHPIZE_DEPS="autoconf dpkg-dev file g++ gcc libc-dev make pkg-config re2c" \
    PHP_INI_DIR=/usr/local/etc/php PHP_INI_SCAN_DIR=:/usr/local/etc/php/conf.d \
    PHP_CFLAGS="-fstack-protector-strong -fpic -fpie -O2 -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64" \
    PHP_CPPFLAGS="-fstack-protector-strong -fpic -fpie -O2 -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64" \
    PHP_LDFLAGS="-Wl,-O1 -pie" \
    GPG_KEYS="39B641343D8C104B2B146DC3F9C39DC0B9698544 E60913E4DF209907D8E30D96659A97C9CF2A795A 1198C0117593497A5EC5C199286AF1F9897469DC" \
    PHP_VERSION=8.2.33 PHP_URL=https://www.php.net/distributions/php-8.2.33.tar.xz \
    PHP_ASC_URL=https://www.php.net/distributions/php-8.2.33.tar.xz.asc \
    PHP_SHA256=fbdeace9b38220436a4c8fd79b900df92878151db145e641750743a283b514c1
RUN apt-get update \
 && apt-get install -y --no-install-recommends $PHPIZE_DEPS ca-certificates curl xz-utils php-cli php-dev php-pear \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /usr/local/lib/php/extensions /usr/local/etc/php/conf.d \
 && mv /usr/lib/php/20220829 /usr/local/lib/php/extensions/no-debug-non-zts-20220829 \
 && ln -s /usr/local/lib/php/extensions/no-debug-non-zts-20220829 /usr/lib/php/20220829 \
 && printf '#!/bin/sh\n# stand-in for docker-php-ext-enable: one ini file per extension\nset -e\nfor e in "$@"; do echo "extension=$e" > "/usr/local/etc/php/conf.d/docker-php-ext-$e.ini"; done\n' > /usr/local/bin/docker-php-ext-enable \
 && chmod +x /usr/local/bin/docker-php-ext-enable \
 && mkdir -p /var/www/html && chown www-data:www-data /var/www/html && chmod 1777 /var/www/html
COPY php-docker-php-entrypoint.sh /usr/local/bin/docker-php-entrypoint
COPY php-no-source.sh /usr/local/bin/docker-php-ext-install
COPY php-no-source.sh /usr/local/bin/docker-php-ext-configure
COPY php-no-source.sh /usr/local/bin/docker-php-source
ENTRYPOINT ["docker-php-entrypoint"]
CMD ["php", "-a"]
EOF
  local spec name file tags t first tg
  for spec in "ruby:ruby.Dockerfile:3.3 3.3-bookworm" \
              "ruby:ruby-slim.Dockerfile:3.3-slim 3.3-slim-bookworm" \
              "php:php.Dockerfile:8.2-cli 8.2-cli-bookworm"; do
    name=${spec%%:*}; file=$(echo "$spec" | cut -d: -f2); tags=$(echo "$spec" | cut -d: -f3)
    first=${tags%% *}
    if [ "$FORCE" != 1 ] && podman image exists "docker.io/library/$name:$first"; then
      log "$name:$first already present"; continue
    fi
    t=$(now)
    podman build --pull=never --layers=false -f "$S/$file" -t "docker.io/library/$name:$first" \
      "$S" > "$S/$file.log" 2>&1 || { tail -30 "$S/$file.log"; exit 1; }
    for tg in $tags; do podman tag "docker.io/library/$name:$first" "docker.io/library/$name:$tg"; done
    log "stand-in $name:$first: $(took "$t") s ($(podman image inspect "$name:$first" --format '{{.Size}}') bytes)"
  done
  podman image prune -f >/dev/null
}
# ---- end of the Ruby and PHP stand-ins ----------------------------------------------------------

# ---- CUDA stand-ins (nvidia/cuda:11.8.0-{base,runtime,devel}-ubuntu22.04) ------------------------
# Debian bookworm's non-free CUDA 11.8 (11.8.89~11.8.0-5~deb12u1) on bookworm-slim, layered as
# NVIDIA's are (runtime FROM base, devel FROM runtime), with the image config of NVIDIA's Dockerfiles
# (gitlab nvidia/container-images/cuda dist/11.8.0/ubuntu2204/*; see container-lab-images.toml) and
# their layout: /usr/local/cuda -> cuda-11.8, bin/ (devel: nvcc), lib64 -> targets/x86_64-linux/lib
# (links to Debian's libraries), include/ (devel only). Flavors: base = cudart; runtime = base +
# cuBLAS/cuBLASLt (NVIDIA's runtime also has cuFFT, cuRAND, cuSOLVER, cuSPARSE, NPP, nvJPEG, NVRTC,
# NCCL: not here, to keep runtime well under devel); devel = runtime + Debian's nvidia-cuda-toolkit
# (nvcc, every CUDA library with headers and static archives) + gcc-11/g++-11 as gcc/g++/cc (nvcc
# 11.8's host compiler; Ubuntu 22.04's default is GCC 11) + make. No image carries a driver library
# (libcuda.so.1), as NVIDIA's do not: without a GPU a CUDA call fails with "CUDA driver version is
# insufficient for CUDA runtime version". Ubuntu 22.04's apt python3 is 3.10, Debian's 3.11: pip's
# system-wide installs go to /usr/local/lib/python3.10/dist-packages as on Ubuntu (python3.11 links
# there), and no EXTERNALLY-MANAGED marker (PEP 668 came with Ubuntu 23.04). The .debs are
# downloaded once into $LAB/cache/cuda (with the apt lists they were resolved from) and installed
# from there by all three builds (--no-download).
CUDA_BASE_PKGS="libcudart11.0"
CUDA_RUNTIME_PKGS="libcublas11 libcublaslt11"
CUDA_DEVEL_PKGS="nvidia-cuda-toolkit gcc-11 g++-11 make libc6-dev"
CUDA_TAG=docker.io/nvidia/cuda:11.8.0

cuda_fetch() {
  local C=$LAB/cache/cuda t
  if [ -e "$C/.complete" ]; then   # kept on FORCE=1, as the debootstrap tree is; rm -r it to fetch again
    log "CUDA .debs already downloaded ($(du -sh "$C" | cut -f1) in $C)"; return
  fi
  t=$(now)
  rm -rf "$C"; mkdir -p "$C/debs/partial" "$C/lists" "$C/pkg/DEBIAN"
  # nvidia-cuda-dev depends on a driver library (libcuda1 | ... | libcuda-11.8-1) and
  # libnvidia-ml-dev on libnvidia-ml1: NVIDIA's images carry neither (the NVIDIA container runtime
  # mounts the host's); this empty package stands for them, so no driver enters the images.
  cat > "$C/pkg/DEBIAN/control" <<'EOF'
Package: lab-cuda-driver-standin
Version: 520-0lab1
Architecture: amd64
Maintainer: slimfile container lab <lab@localhost>
Provides: libcuda-11.8-1, libcuda.so.1 (= 520), libnvidia-ml.so.1 (= 520)
Section: non-free/libs
Priority: optional
Description: container-lab stand-in: no NVIDIA driver library in the image
 NVIDIA's CUDA images carry no driver library (libcuda.so.1, libnvidia-ml.so.1):
 the NVIDIA container runtime mounts the host's at run time. This empty package
 satisfies nvidia-cuda-dev's dependency on them the same way.
EOF
  dpkg-deb --build --root-owner-group "$C/pkg" "$C/lab-cuda-driver-standin.deb" >/dev/null
  rm -rf "$C/pkg"
  # a private apt source for non-free (and contrib), in the images only: the host's apt is untouched
  cat > "$C/lab-cuda-nonfree.sources" <<'EOF'
# container-lab: Debian's non-free CUDA 11.8 (NVIDIA's images keep their CUDA repository configured too)
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: contrib non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: contrib non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  podman run --rm --pull=never -v "$C:/cuda" docker.io/library/debian:bookworm-slim sh -ec "
    cp /cuda/lab-cuda-nonfree.sources /etc/apt/sources.list.d/
    apt-get update -qq
    apt-get install -y -qq --download-only --no-install-recommends -o Dir::Cache::archives=/cuda/debs \
      /cuda/lab-cuda-driver-standin.deb $CUDA_BASE_PKGS $CUDA_RUNTIME_PKGS $CUDA_DEVEL_PKGS >/dev/null
    cp -a /var/lib/apt/lists/. /cuda/lists/
    rm -f /cuda/lists/lock /cuda/debs/lock" > "$LAB/cache/cuda-fetch.log" 2>&1 \
    || { tail -20 "$LAB/cache/cuda-fetch.log"; exit 1; }
  touch "$C/.complete"
  log "CUDA .debs: $(ls "$C"/debs/*.deb | wc -l) packages, $(du -sh "$C/debs" | cut -f1), downloaded in $(took "$t") s"
}

make_cuda_standins() {
  # shellcheck disable=SC1091
  source "$LAB/env.sh"
  local S=$LAB/standins C=$LAB/cache/cuda flavor t
  mkdir -p "$S"
  if [ "$FORCE" != 1 ] && podman image exists "$CUDA_TAG-devel-ubuntu22.04" \
     && podman image exists "$CUDA_TAG-runtime-ubuntu22.04" && podman image exists "$CUDA_TAG-base-ubuntu22.04"; then
    log "nvidia/cuda:11.8.0-{base,runtime,devel}-ubuntu22.04 already present"; return
  fi
  cuda_fetch
  # install from the shared download: the lists it was resolved from, no network (--no-download)
  local apt_in='set -e; cp /cuda/lab-cuda-nonfree.sources /etc/apt/sources.list.d/ \
 && cp -a /cuda/lists/. /var/lib/apt/lists/ \
 && apt-get install -y -q --no-install-recommends --no-download -o Dir::Cache::archives=/cuda/debs'
  local apt_out='rm -rf /var/lib/apt/lists/* /cuda/debs/lock'
  # /usr/local/cuda-11.8/targets/x86_64-linux/lib: links to the Debian libraries of the given packages
  local link_libs='link_libs() { for p in "$@"; do dpkg -L "$p"; done | grep -E "^/usr/lib/x86_64-linux-gnu/[^/]+\.(so[.0-9]*|a)$" \
   | while read -r f; do ln -sf "$f" /usr/local/cuda-11.8/targets/x86_64-linux/lib/; done; }'
  cat > "$S/cuda-base.Dockerfile" <<EOF
# stand-in for nvidia/cuda:11.8.0-base-ubuntu22.04 (official: ubuntu:22.04 + cuda-cudart-11-8 +
# cuda-compat-11-8); Debian's libcudart11.0 on bookworm-slim here
FROM docker.io/library/debian:bookworm-slim
ENV NVARCH=x86_64
ENV NVIDIA_REQUIRE_CUDA="cuda>=11.8 brand=tesla,driver>=470,driver<471 brand=unknown,driver>=470,driver<471 brand=nvidia,driver>=470,driver<471 brand=nvidiartx,driver>=470,driver<471 brand=geforce,driver>=470,driver<471 brand=geforcertx,driver>=470,driver<471 brand=quadro,driver>=470,driver<471 brand=quadrortx,driver>=470,driver<471 brand=titan,driver>=470,driver<471 brand=titanrtx,driver>=470,driver<471" \\
    NV_CUDA_CUDART_VERSION=11.8.89-1 NV_CUDA_COMPAT_PACKAGE=cuda-compat-11-8
ENV CUDA_VERSION=11.8.0
RUN $apt_in $CUDA_BASE_PKGS \\
 && $apt_out \\
 && mkdir -p /usr/local/cuda-11.8/targets/x86_64-linux/lib /usr/local/cuda-11.8/bin \\
 && ln -s targets/x86_64-linux/lib /usr/local/cuda-11.8/lib64 \\
 && ln -s cuda-11.8 /usr/local/cuda && ln -s cuda-11.8 /usr/local/cuda-11 \\
 && $link_libs && link_libs $CUDA_BASE_PKGS \\
 && echo /usr/local/cuda-11.8/targets/x86_64-linux/lib > /etc/ld.so.conf.d/988_cuda-11.conf \\
 && echo /usr/local/nvidia/lib >> /etc/ld.so.conf.d/nvidia.conf \\
 && echo /usr/local/nvidia/lib64 >> /etc/ld.so.conf.d/nvidia.conf \\
 && ldconfig \\
 && printf '%s\n' '# container-lab: Ubuntu 22.04'"'"'s python3 (3.10) is not EXTERNALLY-MANAGED (PEP 668 came with' \\
      '# 23.04): keep Debian'"'"'s marker out, so pip installs system-wide as on the official images' \\
      'path-exclude /usr/lib/python3*/EXTERNALLY-MANAGED' > /etc/dpkg/dpkg.cfg.d/lab-no-externally-managed \\
 && mkdir -p /usr/local/lib/python3.10/dist-packages && ln -s python3.10 /usr/local/lib/python3.11
ENV PATH=/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    LD_LIBRARY_PATH=/usr/local/nvidia/lib:/usr/local/nvidia/lib64
ENV NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility
CMD ["/bin/bash"]
EOF
  cat > "$S/cuda-runtime.Dockerfile" <<EOF
# stand-in for nvidia/cuda:11.8.0-runtime-ubuntu22.04 (official: base + cuda-libraries-11-8, NPP,
# NVTX, cuSPARSE, cuBLAS, NCCL); Debian's cuBLAS/cuBLASLt only here
FROM $CUDA_TAG-base-ubuntu22.04
ENV NV_CUDA_LIB_VERSION=11.8.0-1 NV_NVTX_VERSION=11.8.86-1 NV_LIBNPP_VERSION=11.8.0.86-1 \\
    NV_LIBNPP_PACKAGE=libnpp-11-8=11.8.0.86-1 NV_LIBCUSPARSE_VERSION=11.7.5.86-1 \\
    NV_LIBCUBLAS_PACKAGE_NAME=libcublas-11-8 NV_LIBCUBLAS_VERSION=11.11.3.6-1 \\
    NV_LIBCUBLAS_PACKAGE=libcublas-11-8=11.11.3.6-1 \\
    NV_LIBNCCL_PACKAGE_NAME=libnccl2 NV_LIBNCCL_PACKAGE_VERSION=2.15.5-1 NCCL_VERSION=2.15.5-1 \\
    NV_LIBNCCL_PACKAGE=libnccl2=2.15.5-1+cuda11.8
RUN $apt_in $CUDA_RUNTIME_PKGS \\
 && $apt_out \\
 && $link_libs && link_libs $CUDA_RUNTIME_PKGS \\
 && mkdir -p /opt/nvidia/entrypoint.d \\
 && printf '%s\n' '#!/bin/bash' \\
      '# container-lab stand-in for NVIDIA'"'"'s entrypoint: the entrypoint.d parts (banner, driver check), then the command' \\
      'shopt -s nullglob' \\
      'for part in /opt/nvidia/entrypoint.d/*.txt /opt/nvidia/entrypoint.d/*.sh; do' \\
      '  case "\$part" in *.txt) cat "\$part" ;; *.sh) . "\$part" ;; esac' \\
      'done' \\
      'echo' \\
      'if [ \$# -eq 0 ]; then exec /bin/bash; else exec "\$@"; fi' > /opt/nvidia/nvidia_entrypoint.sh \\
 && chmod 755 /opt/nvidia/nvidia_entrypoint.sh \\
 && printf '\n==========\n== CUDA ==\n==========\n\nCUDA Version 11.8.0 (container-lab stand-in: Debian bookworm non-free CUDA packages)\n' \\
      > /opt/nvidia/entrypoint.d/10-banner.txt \\
 && printf '%s\n' 'if [ ! -e /dev/nvidiactl ]; then' \\
      '  echo; echo "WARNING: The NVIDIA Driver was not detected.  GPU functionality will not be available."' \\
      'fi' > /opt/nvidia/entrypoint.d/50-gpu-driver-check.sh \\
 && ldconfig
ENV NVIDIA_PRODUCT_NAME=CUDA
ENTRYPOINT ["/opt/nvidia/nvidia_entrypoint.sh"]
EOF
  cat > "$S/cuda-devel.Dockerfile" <<EOF
# stand-in for nvidia/cuda:11.8.0-devel-ubuntu22.04 (official: runtime + cuda-cudart-dev,
# cuda-command-line-tools, cuda-minimal-build, cuda-libraries-dev, cuda-nvml-dev, nvprof, NPP, cuSPARSE,
# cuBLAS and NCCL dev, Nsight Compute); Debian's nvidia-cuda-toolkit (nvcc, every CUDA library with its
# headers and static archives) + gcc-11/g++-11 as gcc/g++/cc + make here
FROM $CUDA_TAG-runtime-ubuntu22.04
ENV NV_CUDA_CUDART_DEV_VERSION=11.8.89-1 NV_NVML_DEV_VERSION=11.8.86-1 NV_LIBCUSPARSE_DEV_VERSION=11.7.5.86-1 \\
    NV_LIBNPP_DEV_VERSION=11.8.0.86-1 NV_LIBNPP_DEV_PACKAGE=libnpp-dev-11-8=11.8.0.86-1 \\
    NV_LIBCUBLAS_DEV_VERSION=11.11.3.6-1 NV_LIBCUBLAS_DEV_PACKAGE_NAME=libcublas-dev-11-8 \\
    NV_LIBCUBLAS_DEV_PACKAGE=libcublas-dev-11-8=11.11.3.6-1 \\
    NV_CUDA_NSIGHT_COMPUTE_VERSION=11.8.0-1 NV_CUDA_NSIGHT_COMPUTE_DEV_PACKAGE=cuda-nsight-compute-11-8=11.8.0-1 \\
    NV_NVPROF_VERSION=11.8.87-1 NV_NVPROF_DEV_PACKAGE=cuda-nvprof-11-8=11.8.87-1 \\
    NV_LIBNCCL_DEV_PACKAGE_NAME=libnccl-dev NV_LIBNCCL_DEV_PACKAGE_VERSION=2.15.5-1 \\
    NV_LIBNCCL_DEV_PACKAGE=libnccl-dev=2.15.5-1+cuda11.8
RUN set -e; dpkg -i /cuda/lab-cuda-driver-standin.deb >/dev/null; $apt_in $CUDA_DEVEL_PKGS \\
 && $apt_out \\
 && for t in gcc g++ cpp gcc-ar gcc-nm gcc-ranlib gcov; do ln -sf \$t-11 /usr/bin/\$t; done \\
 && ln -sf gcc /usr/bin/cc && ln -sf g++ /usr/bin/c++ \\
 && cuda_pkgs="\$(dpkg-query -W -f '\${Package} \${Source}\n' | awk '\$2 ~ /^nvidia-cuda-toolkit/ {print \$1}')" \\
 && $link_libs && link_libs \$cuda_pkgs \\
 && mkdir -p /usr/local/cuda-11.8/targets/x86_64-linux/lib/stubs /usr/local/cuda-11.8/targets/x86_64-linux/include \\
 && for f in /usr/lib/x86_64-linux-gnu/stubs/*; do if [ -e "\$f" ]; then ln -sf "\$f" /usr/local/cuda-11.8/targets/x86_64-linux/lib/stubs/; fi; done \\
 && ln -s targets/x86_64-linux/include /usr/local/cuda-11.8/include \\
 && for p in \$cuda_pkgs libthrust-dev libcub-dev libcu++-dev; do dpkg -L "\$p"; done | grep -E '^/usr/include/[^/]+$' | sort -u \\
    | while read -r f; do ln -sf "\$f" /usr/local/cuda-11.8/targets/x86_64-linux/include/; done \\
 && for f in /usr/lib/nvidia-cuda-toolkit/bin/*; do case "\$f" in */gcc|*/g++) ;; *) ln -sf "\$f" /usr/local/cuda-11.8/bin/ ;; esac; done \\
 && for f in \$(dpkg -L nvidia-cuda-toolkit nvidia-profiler | grep -E '^/usr/bin/[^/]+$'); do ln -sf "\$f" /usr/local/cuda-11.8/bin/; done \\
 && nvcc --version | tail -2 && gcc --version | head -1 \\
 && ldconfig
ENV LIBRARY_PATH=/usr/local/cuda/lib64/stubs
EOF
  for flavor in base runtime devel; do
    t=$(now)
    podman build --pull=never --layers=false -v "$C:/cuda" -f "$S/cuda-$flavor.Dockerfile" \
      -t "$CUDA_TAG-$flavor-ubuntu22.04" "$S" > "$S/cuda-$flavor.Dockerfile.log" 2>&1 \
      || { tail -30 "$S/cuda-$flavor.Dockerfile.log"; exit 1; }
    log "stand-in nvidia/cuda:11.8.0-$flavor-ubuntu22.04: $(took "$t") s ($(podman image inspect "$CUDA_TAG-$flavor-ubuntu22.04" --format '{{.Size}}') bytes)"
  done
  podman image prune -f >/dev/null
}
# ---- end of the CUDA stand-ins ------------------------------------------------------------------

# ---- the lab's Docker Engine -----------------------------------------------------------------
DOCKER_SOCK=$LAB/docker/docker.sock
lab_docker() { DOCKER_HOST=unix://$DOCKER_SOCK /usr/bin/docker "$@"; }

docker_up() {
  if [ -S "$DOCKER_SOCK" ] && lab_docker version >/dev/null 2>&1; then
    log "lab dockerd already running ($DOCKER_SOCK)"; return
  fi
  local t=$(now) i
  mkdir -p "$LAB/docker/data" "$LAB/docker/exec"
  rm -f "$DOCKER_SOCK"
  # own data root, exec root, socket and pid file: no clash with a system dockerd; no iptables rules.
  # The default bridge stays (--bridge=none breaks RUN under BuildKit).
  setsid /usr/sbin/dockerd --iptables=false --data-root "$LAB/docker/data" \
    --exec-root "$LAB/docker/exec" --host "unix://$DOCKER_SOCK" --pidfile "$LAB/docker/dockerd.pid" \
    > "$LAB/docker/dockerd.log" 2>&1 < /dev/null &
  for i in $(seq 1 60); do
    lab_docker version >/dev/null 2>&1 && break
    sleep 0.5
  done
  lab_docker version >/dev/null 2>&1 || { tail -20 "$LAB/docker/dockerd.log"; exit 1; }
  log "lab dockerd started: $(took "$t") s ($(lab_docker version --format '{{.Server.Version}}'))"
}

docker_load() {  # the stand-ins (every docker.io/library, docker.io/nvidia and gcr.io/distroless image in
  # podman) the lab daemon lacks or has in another version (the image IDs, config digests, differ)
  # shellcheck disable=SC1091
  source "$LAB/env.sh"
  local t=$(now) img id missing=()
  while read -r img id; do
    if [ "$FORCE" = 1 ] || [ "$(lab_docker image inspect --format '{{.Id}}' "$img" 2>/dev/null)" != "sha256:$id" ]; then
      missing+=("$img")
    fi
  done < <(podman images --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}' \
             | grep -E '^(docker.io/library|docker.io/nvidia|gcr.io/distroless)/' | sed 's/ sha256:/ /' | sort)
  if [ ${#missing[@]} = 0 ]; then log "docker: every stand-in already loaded, as built"; return; fi
  podman save -m "${missing[@]}" | lab_docker load -q >/dev/null
  lab_docker image prune -f >/dev/null   # the replaced versions (untagged now), as podman's side prunes
  log "docker load of ${#missing[@]} stand-in tags: $(took "$t") s"
}

docker_stop() {
  local pid
  pid=$(cat "$LAB/docker/dockerd.pid" 2>/dev/null) || { log "no lab dockerd"; return 0; }
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  log "lab dockerd stopped"
}

clean() {
  # shellcheck disable=SC1091
  [ -f "$LAB/env.sh" ] && source "$LAB/env.sh" || return 0
  podman rm -a -f >/dev/null 2>&1 || true
  podman rmi -a -f >/dev/null 2>&1 || true
  podman system prune -a -f >/dev/null 2>&1 || true
  if [ -S "$DOCKER_SOCK" ]; then lab_docker system prune -a -f >/dev/null 2>&1 || true; fi
  log "storage emptied"
}

purge() {
  clean
  docker_stop
  grep -E " $LAB/docker/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r umount -l || true
  rm -rf "$LAB/docker"
  grep -E " $LAB/(storage|run)" /proc/mounts | awk '{print $2}' | sort -r | xargs -r umount -l || true
  rm -rf "$LAB/storage" "$LAB/run" "$LAB/rootfs" "$LAB/cache"
  log "purged"
}

# ---- selftest: every stand-in against what the official image of its tag carries ------------------
# scripts/container-lab-images.toml lists, per tag, the programs on PATH, the user accounts, the
# image config ENV names, WORKDIR, ENTRYPOINT, CMD and paths the official image has (and programs it
# lacks), each with its source. Checked in podman and, when the lab's dockerd runs, in Docker Engine:
# one `run` per image (a /bin/sh script; images without a shell: `create` + `cp` of each path) and
# one `image inspect`. Exit 1 listing every gap.
selftest() {
  # shellcheck disable=SC1091
  source "$LAB/env.sh"
  local data engines=(podman) t=$(now) rc=0
  data=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/container-lab-images.toml
  if [ -S "$DOCKER_SOCK" ] && lab_docker version >/dev/null 2>&1; then
    engines+=("${SLIMFILE_LAB_DOCKER:-/usr/bin/docker}")
  else
    log "selftest: the lab's Docker Engine is not running: podman only (scripts/container-lab.sh docker starts it)"
  fi
  python3 - "$data" "${engines[@]}" <<'PY' || rc=$?
import io, json, os, subprocess, sys, tarfile, threading, tomllib

data, engines = sys.argv[1], sys.argv[2:]
images = tomllib.load(open(data, "rb"))["image"]

def q(s):
    return "'" + s.replace("'", "'\\''") + "'"

def run(cmd, **kw):
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(cmd, **kw)

def check(engine, img):
    """The gaps of one stand-in in one engine."""
    tag, gaps = img["tags"][0], []
    r = run([engine, "image", "inspect", "--format", "{{json .Config}}|{{.Id}}", tag], text=True)
    if r.returncode != 0:
        return [f"image {tag} missing"]
    conf, ident = r.stdout.strip().rsplit("|", 1)
    conf = json.loads(conf) or {}
    for alias in img["tags"][1:]:
        a = run([engine, "image", "inspect", "--format", "{{.Id}}", alias], text=True)
        if a.returncode != 0:
            gaps.append(f"tag {alias} missing")
        elif a.stdout.strip() != ident:
            gaps.append(f"tag {alias} is another image than {tag}")
    names = {e.split("=", 1)[0] for e in conf.get("Env") or []}
    gaps += [f"ENV {n} not set" for n in img.get("env", []) if n not in names]
    if "workdir" in img and (conf.get("WorkingDir") or "/") != (img["workdir"] or "/"):
        gaps.append(f"WORKDIR {conf.get('WorkingDir') or '(none)'}, official {img['workdir'] or '(none)'}")
    for key, field in (("entrypoint", "Entrypoint"), ("cmd", "Cmd")):
        if key in img and (conf.get(field) or []) != img[key]:
            gaps.append(f"{field.upper()} {json.dumps(conf.get(field) or [])}, official {json.dumps(img[key])}")
    if "user" in img and (conf.get("User") or "") != img["user"]:
        gaps.append(f"USER {conf.get('User') or '(none)'}, official {img['user'] or '(none)'}")
    found = {}
    if img.get("shell", True):
        script = "".join(
            [f"command -v {q(p)} >/dev/null 2>&1 || echo 'missing-program {p}'\n" for p in img.get("programs", [])]
            + [f"command -v {q(p)} >/dev/null 2>&1 && echo 'present-absent {p}'\n" for p in img.get("absent", [])]
            + [f"[ -e {q(f)} ] || echo 'missing-path {f}'\n" for f in img.get("paths", [])]
            + [f"[ -e {q(f)} ] && echo 'present-path {f}'\n" for f in img.get("absent_paths", [])]
            + ["echo '--passwd--'; cat /etc/passwd\n"])
        r = run([engine, "run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", tag, "-c", script], text=True)
        out = r.stdout
        if "--passwd--" not in out:
            return gaps + [f"cannot run /bin/sh in it: {r.stderr.strip()[-300:]}"]
        head, passwd = out.split("--passwd--", 1)
        for line in head.splitlines():
            kind, _, what = line.partition(" ")
            gaps.append({"missing-program": "program {} not on PATH",
                         "present-absent": "program {} on PATH (the official image has none)",
                         "missing-path": "path {} missing",
                         "present-path": "path {} present (the official image has none)"}[kind].format(what))
    else:
        c = run([engine, "create", "--entrypoint", "/nonexistent", tag], text=True)
        if c.returncode != 0:
            return gaps + [f"cannot create a container: {c.stderr.strip()[-300:]}"]
        cid = c.stdout.strip().splitlines()[-1]
        def exists(path):
            return run([engine, "cp", f"{cid}:{path}", "-"], stdout=subprocess.DEVNULL).returncode == 0
        try:
            for p in img.get("programs", []) + img.get("paths", []):
                if not exists(p):
                    gaps.append(f"path {p} missing")
            for p in img.get("absent", []) + img.get("absent_paths", []):
                if exists(p):
                    gaps.append(f"path {p} present (the official image has none)")
            t = run([engine, "cp", f"{cid}:/etc/passwd", "-"])
            passwd = ""
            if t.returncode == 0:
                with tarfile.open(fileobj=io.BytesIO(t.stdout)) as tf:
                    m = next(m for m in tf.getmembers() if m.isfile())
                    passwd = tf.extractfile(m).read().decode()
        finally:
            run([engine, "rm", "-f", cid])
    uids = {l.split(":")[0]: l.split(":")[2] for l in passwd.splitlines() if l.count(":") >= 3}
    for u in img.get("users", []):
        name, uid = u.split(":")
        if name not in uids:
            gaps.append(f"user {name} missing")
        elif uids[name] != uid:
            gaps.append(f"user {name} has uid {uids[name]}, official {uid}")
    return gaps

results = {}
def worker(engine):
    for img in images:
        try:
            results[(engine, img["tags"][0])] = check(engine, img)
        except Exception as err:  # a broken check is a gap too, never a silent pass
            results[(engine, img["tags"][0])] = [f"selftest error: {err!r}"]
threads = [threading.Thread(target=worker, args=(e,)) for e in engines]
for th in threads: th.start()
for th in threads: th.join()

label = {e: ("docker" if os.path.basename(e) == "docker" else os.path.basename(e)) for e in engines}
total = 0
print(f"selftest: {len(images)} stand-ins x {len(engines)} engine(s) ({', '.join(label.values())}) against {os.path.basename(data)}")
for img in images:
    for e in engines:
        gaps = results[(e, img["tags"][0])]
        total += len(gaps)
        print(f"  {'ok  ' if not gaps else 'GAPS'}  {label[e]:6}  {img['tags'][0]}" + ("" if not gaps else ":"))
        for g in gaps:
            print(f"          - {g}")
print(f"selftest: {'every stand-in carries what its official image does' if total == 0 else f'{total} gap(s)'}")
sys.exit(1 if total else 0)
PY
  log "selftest: $(took "$t") s"
  return "$rc"
}

cmd=${1:-all}
case $cmd in
  install) install_pkgs; install_docker ;;
  docker) install_docker; write_conf; docker_up; docker_load ;;
  docker-stop) docker_stop ;;
  conf) write_conf ;;
  bases) write_conf; make_bases ;;
  standins) write_conf; make_standins; make_alpine; make_distroless; make_distroless_java; make_rubyphp_standins; make_cuda_standins ;;
  cuda) write_conf; make_cuda_standins ;;
  distroless) write_conf; make_distroless; make_distroless_java ;;
  selftest) write_conf; selftest ;;
  clean) clean ;;
  purge) purge ;;
  all) T0=$(now); install_pkgs; install_docker; write_conf; make_bases; make_standins; make_alpine; make_distroless; make_distroless_java; make_rubyphp_standins
       make_cuda_standins; docker_up; docker_load; log "total: $(took "$T0") s" ;;
  *) echo "usage: $0 [all|install|conf|bases|standins|cuda|distroless|docker|docker-stop|selftest|clean|purge]" >&2; exit 2 ;;
esac
