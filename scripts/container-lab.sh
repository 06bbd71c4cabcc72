#!/usr/bin/env bash
# container-lab.sh -- a daemonless engine (Debian's podman), a Docker Engine of the lab's own (Debian's
# docker.io: dockerd with its own data root and socket, BuildKit as its builder) and local stand-in
# base images in both, so `slimfile verify` and the end-to-end suite (tests/e2e.rs) build and run
# real images on a machine with no container registry. Adapted from ../shared/container-lab/setup.sh.
#
# Stand-ins are tagged with the official names the e2e Dockerfiles use (python:3.11[-slim],
# golang:1.19, node:20[-slim], rust:1.82, nginx:1.27-alpine, debian:bookworm[-slim], alpine:3.19),
# built from a debootstrap rootfs and Debian packages. They are not the official images: compare
# original and rewritten builds on the same stand-ins, never against published sizes.
#
# Usage:  scripts/container-lab.sh [all|install|conf|bases|standins|distroless|docker|docker-stop|clean|purge]
#         (default: all) as root; each step skips work already done (FORCE=1 rebuilds); `docker`
#         reuses a live lab daemon and loads only the stand-ins it lacks (podman save | docker load).
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
     && command -v debootstrap >/dev/null && command -v runc >/dev/null; then
    log "packages already installed"; return
  fi
  local t=$(now)
  apt-get update -qq
  # podman depends on crun|runc: with runc listed crun is not installed (crun 1.8 fails here, see containers.conf).
  apt-get install -y -qq --no-install-recommends \
    podman buildah skopeo runc conmon golang-github-containers-common \
    containernetworking-plugins iptables debootstrap ca-certificates >/dev/null
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
  cat > "$S/python.Dockerfile" <<'EOF'
# stand-in for python:3.11 (official: buildpack-deps:bookworm + CPython in /usr/local)
FROM debian:bookworm
ENV LANG=C.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 python3-pip python3-venv \
      python3-dev python-is-python3 build-essential git curl \
 && rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED \
 && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
EOF
  cat > "$S/python-slim.Dockerfile" <<'EOF'
# stand-in for python:3.11-slim (official: debian:bookworm-slim + CPython + pip)
FROM debian:bookworm-slim
ENV LANG=C.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 python3-pip python3-venv python-is-python3 \
 && rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED \
 && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
EOF
  cat > "$S/golang.Dockerfile" <<'EOF'
# stand-in for golang:1.19 (official: buildpack-deps:bookworm-scm + Go in /usr/local/go)
FROM debian:bookworm
ENV GOPATH=/go PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin GOTOOLCHAIN=local
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates golang-go gcc libc6-dev git \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /go/src /go/bin
WORKDIR /go
CMD ["bash"]
EOF
  cat > "$S/node.Dockerfile" <<'EOF'
# stand-in for node:20 (official: buildpack-deps:bookworm + Node.js + npm; Debian's Node.js 18 here)
FROM debian:bookworm
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates nodejs npm build-essential python3 git curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
EOF
  cat > "$S/node-slim.Dockerfile" <<'EOF'
# stand-in for node:20-slim (official: debian:bookworm-slim + Node.js + npm)
FROM debian:bookworm-slim
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates nodejs \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
EOF
  cat > "$S/rust.Dockerfile" <<'EOF'
# stand-in for rust:1.82 (official: buildpack-deps:bookworm + rustup in /usr/local/cargo);
# Debian's rustc-web/cargo-web here (a recent Rust whose cargo reads the sparse crates.io index).
FROM debian:bookworm
ENV CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates rustc-web cargo-web build-essential pkg-config libssl-dev git curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /usr/local/cargo/bin \
 && cargo --version && rustc --version
CMD ["bash"]
EOF
  cat > "$S/nginx.Dockerfile" <<'EOF'
# stand-in for nginx:1.27-alpine (official: Alpine + nginx serving /usr/share/nginx/html);
# Debian's nginx on bookworm-slim here (Alpine's package repository is not reachable).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx-light \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \
 && mkdir -p /usr/share/nginx/html \
 && printf 'server {\n  listen 80;\n  root /usr/share/nginx/html;\n  index index.html;\n}\n' > /etc/nginx/conf.d/default.conf \
 && printf '<h1>nginx stand-in</h1>\n' > /usr/share/nginx/html/index.html \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
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
  cat > "$S/temurin-jre.Dockerfile" <<'EOF'
# stand-in for eclipse-temurin:17-jre (official: Ubuntu + Temurin in /opt/java/openjdk)
FROM debian:bookworm-slim
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 LANG=C.UTF-8
RUN mkdir -p /usr/share/man/man1 && apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates \
 && rm -rf /var/lib/apt/lists/*
CMD ["jshell"]
EOF
  cat > "$S/temurin-jdk.Dockerfile" <<'EOF'
# stand-in for eclipse-temurin:17-jdk (official: Ubuntu + Temurin JDK in /opt/java/openjdk)
FROM docker.io/library/eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
 && rm -rf /var/lib/apt/lists/*
EOF
  cat > "$S/distroless-java17.Dockerfile" <<'EOF'
# stand-in for gcr.io/distroless/java17-debian13 (no shell, no package manager)
FROM docker.io/library/eclipse-temurin:17-jre AS jre
RUN rm -rf /usr/share/doc /usr/share/man /var/lib/apt /var/cache/apt /var/lib/dpkg /etc/apt \
 && rm -f /usr/bin/apt* /usr/bin/dpkg* /usr/bin/perl* /usr/bin/bash /usr/bin/rbash /usr/bin/dash /usr/bin/sh
FROM scratch
COPY --from=jre / /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt LANG=C.UTF-8 JAVA_VERSION=17
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
    PATH=/usr/local/bundle/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates ruby ruby-dev bundler build-essential git curl \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /usr/local/bundle && chmod 1777 /usr/local/bundle
CMD ["irb"]
EOF
  cat > "$S/ruby-slim.Dockerfile" <<'EOF'
# stand-in for ruby:3.3-slim (official: debian:bookworm-slim + Ruby in /usr/local; Debian's Ruby 3.1 here)
FROM debian:bookworm-slim
ENV LANG=C.UTF-8 GEM_HOME=/usr/local/bundle BUNDLE_SILENCE_ROOT_WARNING=1 BUNDLE_APP_CONFIG=/usr/local/bundle \
    PATH=/usr/local/bundle/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates ruby bundler \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /usr/local/bundle && chmod 1777 /usr/local/bundle
CMD ["irb"]
EOF
  cat > "$S/php.Dockerfile" <<'EOF'
# stand-in for php:8.2-cli (official: debian:bookworm-slim + PHP built in /usr/local with $PHPIZE_DEPS
# kept; Debian's PHP 8.2 here, its extension folder moved to where the official image has it)
FROM debian:bookworm
ENV PHP_INI_DIR=/usr/local/etc/php PHP_INI_SCAN_DIR=:/usr/local/etc/php/conf.d
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates php-cli php-dev build-essential curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /usr/local/lib/php/extensions /usr/local/etc/php/conf.d \
 && mv /usr/lib/php/20220829 /usr/local/lib/php/extensions/no-debug-non-zts-20220829 \
 && ln -s /usr/local/lib/php/extensions/no-debug-non-zts-20220829 /usr/lib/php/20220829 \
 && printf '#!/bin/sh\n# stand-in for docker-php-ext-enable: one ini file per extension\nset -e\nfor e in "$@"; do echo "extension=$e" > "/usr/local/etc/php/conf.d/docker-php-ext-$e.ini"; done\n' > /usr/local/bin/docker-php-ext-enable \
 && chmod +x /usr/local/bin/docker-php-ext-enable
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

docker_load() {  # the stand-ins (every docker.io/library and gcr.io/distroless image in podman) the lab daemon lacks
  # shellcheck disable=SC1091
  source "$LAB/env.sh"
  local t=$(now) img missing=()
  for img in $(podman images --format '{{.Repository}}:{{.Tag}}' | grep -E '^(docker.io/library|gcr.io/distroless)/' | sort); do
    if [ "$FORCE" = 1 ] || ! lab_docker image inspect "$img" >/dev/null 2>&1; then missing+=("$img"); fi
  done
  if [ ${#missing[@]} = 0 ]; then log "docker: every stand-in already loaded"; return; fi
  podman save -m "${missing[@]}" | lab_docker load -q >/dev/null
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

cmd=${1:-all}
case $cmd in
  install) install_pkgs; install_docker ;;
  docker) install_docker; write_conf; docker_up; docker_load ;;
  docker-stop) docker_stop ;;
  conf) write_conf ;;
  bases) write_conf; make_bases ;;
  standins) write_conf; make_standins; make_alpine; make_distroless; make_distroless_java; make_rubyphp_standins ;;
  distroless) write_conf; make_distroless; make_distroless_java ;;
  clean) clean ;;
  purge) purge ;;
  all) T0=$(now); install_pkgs; install_docker; write_conf; make_bases; make_standins; make_alpine; make_distroless; make_distroless_java; make_rubyphp_standins
       docker_up; docker_load; log "total: $(took "$T0") s" ;;
  *) echo "usage: $0 [all|install|conf|bases|standins|distroless|docker|docker-stop|clean|purge]" >&2; exit 2 ;;
esac
