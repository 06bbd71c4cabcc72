//! Reason codes: why a pass left something alone, in one table.
//!
//! Every [`Note`](crate::edit::Note) carries a [`Reason`]. Its code is the
//! stable string users see (text, JSON and SARIF reports, `slimfile explain
//! <code>`); its explanation is the variant's doc comment below, so the code
//! and what it means are written once, side by side (like ruff's `codes.rs`).
//!
//! ```
//! use slimfile::reason::Reason;
//! assert_eq!(Reason::ArtifactUnknown.code(), "artifact-unknown");
//! assert_eq!(Reason::from_code("artifact-unknown"), Some(Reason::ArtifactUnknown));
//! assert!(Reason::ArtifactUnknown.explanation().contains("artifact"));
//! ```

use std::fmt;

/// Declares the enum, its codes and its explanations (the doc comments) from one table.
macro_rules! reasons {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $code:literal, )+) => {
        /// Why a pass did nothing (or what it found wrong); see the module docs.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Reason {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Reason {
            /// Every reason, in the table's order.
            pub const ALL: &'static [Reason] = &[$(Reason::$variant),+];

            /// The stable code users see, e.g. `artifact-unknown`.
            pub fn code(self) -> &'static str {
                match self {
                    $( Reason::$variant => $code, )+
                }
            }

            /// The doc comment lines of the variant (each with its leading space).
            fn doc_lines(self) -> &'static [&'static str] {
                match self {
                    $( Reason::$variant => &[$($doc),+], )+
                }
            }
        }
    };
}

reasons! {
    /// The front end and dockerfile-parser read this instruction differently,
    /// so the model cannot be sure what it means: no pass changes it.
    NotUnderstood = "not-understood",
    /// The engine dropped a change because it would alter the final image's
    /// runtime contract (ENV, USER, WORKDIR, ENTRYPOINT, CMD, EXPOSE, …, a
    /// file the command names or the interpreter it runs) without declaring it.
    Contract = "contract",
    /// A stage is named in a way that is not a valid stage name as written
    /// (quotes, escapes, variables, characters BuildKit refuses), so
    /// name-stages does not write it into `--from=`.
    NameUnusable = "name-unusable",
    /// A `--from=` index stays: the name of the stage it points to resolves to
    /// another stage of the same name, so writing the name would change the
    /// reference.
    NameAmbiguous = "name-ambiguous",
    /// The FROM line's reference has quotes, escapes or extra words the model
    /// does not read, so the stage is not named.
    FromUnreadable = "from-unreadable",
    /// A stage is referenced in a quoted `--from=`; the reference is left as
    /// written and the stage is not named.
    QuotedRef = "quoted-ref",
    /// A `--from=` names the stage it is in: BuildKit reports a circular
    /// dependency. The file is wrong as it stands.
    SelfRef = "self-ref",
    /// A `--from=N` is not the index of an earlier stage. The file is wrong as
    /// it stands.
    BadIndex = "bad-index",
    /// A `--mount=…,from=N` uses a stage index: only `COPY --from` takes one,
    /// so BuildKit reads it as an image named `N`. Write the stage's name.
    MountIndex = "mount-index",
    /// A `--from=` names no stage: BuildKit pulls it as an image, or takes a
    /// named build context (`--build-context name=…`). Reported, not changed.
    ExternalFrom = "external-from",
    /// The configured base map (`[bases] map`) leads from the target back to
    /// the base written, so slim-base keeps it rather than loop.
    MapCycle = "map-cycle",
    /// The base is pinned by digest; a slim variant's digest cannot be derived,
    /// so pin it by hand if you want it.
    DigestPinned = "digest-pinned",
    /// The file's only stage builds something: splitting it into builder and
    /// runtime (split-stages) comes before a base swap.
    SingleStageBuild = "single-stage-build",
    /// The stage compiles, and the slim variants have no compiler: the base stays.
    Compiles = "compiles",
    /// The stage uses a tool (curl, wget, git, …) the slim variant lacks: the
    /// base stays.
    ToolMissing = "tool-missing",
    /// The catalog has no matching slim / JRE / alpine variant for this tag
    /// (unknown tag form, no such variant for the version, …).
    NoVariant = "no-variant",
    /// The stage uses apt or dpkg, which Alpine does not have: no Alpine swap.
    AptBlocksAlpine = "apt-blocks-alpine",
    /// The tag is built from ARGs, and with their defaults it resolves to an
    /// image with no matching variant: change the ARG instead.
    ArgMismatch = "arg-mismatch",
    /// The file ends inside a line continuation: no runtime stage is appended
    /// after a line that would swallow it.
    Unterminated = "unterminated",
    /// The stage has ONBUILD instructions, which run in child images: not split.
    Onbuild = "onbuild",
    /// The model cannot name the build's artifact (the binary, jar, publish
    /// folder, venv, install prefix) or the files that go with it for sure,
    /// so the copy or split is left alone.
    ArtifactUnknown = "artifact-unknown",
    /// The command runs the build tool itself at run time (a dev server,
    /// `go run`, `mvn spring-boot:run`, …): the runtime needs the toolchain,
    /// so there is nothing to split off.
    ToolchainAtRuntime = "toolchain-at-runtime",
    /// A step of the original stage leaves something the runtime may need
    /// (a file written outside the build folders, a global tool, a system
    /// change) and the split cannot carry it over.
    EffectUnknown = "effect-unknown",
    /// A user is created in a RUN that also builds: split it out so the
    /// runtime stage can create the user too.
    UserSetup = "user-setup",
    /// A `-dev` package the build installs has no known runtime library
    /// (`transforms/recipes.toml` `[packages.runtime]`), or apt installs a
    /// variable: the runtime stage could miss a shared library.
    RuntimeLibraryUnknown = "runtime-library-unknown",
    /// The stage has no CMD or ENTRYPOINT of its own: whatever it installs may
    /// be what the image is for, so it is not split.
    NoCommand = "no-command",
    /// An ecosystem, base image or case the recipes do not cover yet.
    NotYet = "not-yet",
    /// No build context at hand (or it cannot be read), so what the build
    /// needs (cgo, files read at run time) cannot be checked.
    ContextUnknown = "context-unknown",
    /// The base's tag does not name its Debian release, and a binary linked
    /// against glibc must run on the release it was built on: name the
    /// release in the tag (e.g. `-bookworm`).
    ReleaseUnknown = "release-unknown",
    /// The app reads folders of the build context at run time (templates,
    /// static files, …) that the runtime would not have: the copy or split is
    /// left alone.
    RuntimeAssets = "runtime-assets",
    /// The stage uses more of a copied tree than the artifact, so the whole
    /// tree is kept.
    UsesTree = "uses-tree",
    /// A runtime stage copies the whole build context: name the files the app
    /// needs, or add a `.dockerignore`.
    WholeContext = "whole-context",
    /// runtime-deps: the builder and the final stage may not run the same
    /// Python minor version (a tag without it, or two different ones), and a
    /// venv or site-packages runs only on the interpreter it was made with:
    /// pin both tags to the same minor version.
    PythonVersion = "python-version",
    /// runtime-deps: a program linked against glibc is copied onto a musl or
    /// libc-less runtime (Alpine, scratch, distroless static) and cannot start
    /// there, and no repair is sure (the app needs cgo and the runtime runs
    /// steps of its own, or a Rust/C binary): build for musl or run on Debian slim.
    LibcMismatch = "libc-mismatch",
    /// size-hygiene: the package index stays, because a later RUN of the
    /// stage installs without refreshing it (`RUN apt-get update` then `RUN
    /// apt-get install …`); removing it earlier would break that RUN.
    NeedsCache = "needs-cache",
    /// size-hygiene: `--no-install-recommends` is not added, because the
    /// install names a package whose recommended packages are commonly needed
    /// with it and too many to name (gnupg: dirmngr for keyservers, the agent).
    /// For curl, wget and git the needed ones (`ca-certificates`,
    /// `openssh-client`) are named instead.
    RecommendsNeeded = "recommends-needed",
    /// size-hygiene: a cleanup must follow the RUN's last command, and the RUN
    /// ends in a way nothing can follow (`|| true`, a background `&`, a
    /// trailing escape).
    CannotAppend = "cannot-append",
    /// split-stages: the runtime would build on the builder's own image (the
    /// base already is the lean variant, `node:20-slim`, `python:3.12-alpine`;
    /// PHP; make install), and the builder installs nothing it could leave
    /// behind: no compilers, headers or other build packages (or the original
    /// removes them again), no dev dependencies.
    NothingToGain = "nothing-to-gain",
    /// `--prefer distroless`: the runtime stays on the slim (JRE, `-slim`)
    /// image, because it needs something a distroless image does not have: a
    /// shell (a shell-form command, a HEALTHCHECK, a RUN step in the runtime),
    /// a user other than root, nonroot and nobody, an ENTRYPOINT other than the
    /// image's own (`java -jar`, `node`), a language version distroless does
    /// not publish, or a Python venv (its interpreter is not distroless's).
    DistrolessUnfit = "distroless-unfit",
    /// split-stages: the base tag does not name the language's minor version
    /// (`ruby:3`, `ruby:latest`, a variable), and compiled gems run only on
    /// the Ruby they were built for: the runtime's tag could pull another
    /// one. Pin the minor version (`ruby:3.3`).
    VersionUnpinned = "version-unpinned",
    /// split-stages: the image is an environment, not an app: a Jupyter
    /// image, or a command that opens a notebook server, where users run code
    /// of their own with whatever the build installed. Not split.
    EnvironmentImage = "environment-image",
    /// size-hygiene: torch from PyPI on Linux is its CUDA build, about 3.8 GB
    /// with the nvidia-* wheels, against about 0.3 GB for the CPU build
    /// (`--index-url https://download.pytorch.org/whl/cpu`); said when the
    /// base has no CUDA of its own. Never changed: the CPU build changes what
    /// the image can do (no GPU).
    CudaWheels = "cuda-wheels",
}

impl Reason {
    /// The reason with this code, if any.
    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.iter().copied().find(|r| r.code() == code)
    }

    /// What the code means: one paragraph, from the variant's doc comment.
    pub fn explanation(self) -> String {
        self.doc_lines()
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::Reason;

    #[test]
    fn codes_are_unique_kebab_case_and_explained() {
        let mut seen = std::collections::BTreeSet::new();
        for r in Reason::ALL {
            let code = r.code();
            assert!(seen.insert(code), "{code} appears twice");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{code} is not kebab-case"
            );
            assert_eq!(Reason::from_code(code), Some(*r));
            assert!(r.explanation().len() > 20, "{code} has no explanation");
        }
        assert_eq!(Reason::from_code("nope"), None);
    }
}
