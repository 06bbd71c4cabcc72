// Where a split's runtime comes from, by the family of the builder's base
// image. A recipe says what the build makes (Python packages, Node modules,
// an install prefix, a binary) and what the runtime copies; the base family
// says which image runs it, whose packages install there, and where the
// interpreter comes from. Recipes ask here instead of naming images, so a
// recipe runs on every family that can carry it (the table is in
// `slimfile explain split-stages`, "Base families"). (No `//!` docs: shared
// code, not a recipe.)

use super::distro::Distro;
use super::{Context, Findings, Stage, VariantKind, catalog, variant_written};
use crate::catalog::Scheme;
use crate::releases::cuda_os;

/// The family of a stage's base image, as split-stages composes with it.
#[derive(Debug, Clone, Copy)]
pub(super) enum BaseFamily {
    /// An official language image (`python`, `node`, `ruby`, `golang` …):
    /// the runtime is its slim variant; the interpreter is the image's own.
    Language,
    /// A distribution image (`debian`, `ubuntu`, `alpine`): the runtime is
    /// the same image; interpreters come from its packages.
    Os(Distro),
    /// NVIDIA CUDA (`nvidia/cuda`, `nvcr.io/nvidia/cuda`): a `-devel` builder
    /// runs on the `-runtime` flavor of the same tag (same CUDA, cuDNN and
    /// OS); the OS is Ubuntu when the tag says so (or says no OS: old tags).
    Cuda { os: Option<Distro>, flavor: Flavor },
    /// `pytorch/pytorch`: a `-devel` builder runs on the `-runtime` tag; both
    /// have the same `/opt/conda`.
    PyTorch { flavor: Flavor },
    /// conda and micromamba images: environments live in `/opt/conda`.
    Conda,
    /// Any other image: no split knows where its runtime would come from.
    Unknown,
}

/// The flavor of a development image's tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    Devel,
    Runtime,
    Base,
}

impl BaseFamily {
    /// The family of the stage's base.
    pub(super) fn of(stage: &Stage) -> BaseFamily {
        let base = stage.effective_base();
        let Some(family) = catalog::catalog().family(base) else {
            return BaseFamily::Unknown;
        };
        let flavor = || match catalog::flavor_of(base.tag.as_deref()) {
            Some("devel") => Flavor::Devel,
            Some("base") => Flavor::Base,
            _ => Flavor::Runtime,
        };
        match family.scheme {
            Scheme::Cuda => {
                let os = match cuda_os(base.tag.as_deref()) {
                    None => Some(Distro::Ubuntu),
                    Some(w) if w.starts_with("ubuntu") => Some(Distro::Ubuntu),
                    Some(_) => None,
                };
                BaseFamily::Cuda {
                    os,
                    flavor: flavor(),
                }
            }
            Scheme::Pytorch => BaseFamily::PyTorch { flavor: flavor() },
            Scheme::Conda => BaseFamily::Conda,
            _ => match family.name.as_str() {
                "debian" => BaseFamily::Os(Distro::Debian),
                "ubuntu" => BaseFamily::Os(Distro::Ubuntu),
                "alpine" => BaseFamily::Os(Distro::Alpine),
                _ if family.scheme == Scheme::Final => BaseFamily::Unknown,
                _ => BaseFamily::Language,
            },
        }
    }

    /// The distribution whose packages carry an interpreter into the
    /// runtime (the Distro recipe): a distribution image, or a CUDA image on
    /// Ubuntu.
    pub(super) fn os_packages(self) -> Option<Distro> {
        match self {
            BaseFamily::Os(d) => Some(d),
            BaseFamily::Cuda { os, .. } => os,
            _ => None,
        }
    }
}

/// A runtime on another flavor of the builder's image (`-devel` →
/// `-runtime`): its reference as written, and the catalog sizes.
pub(super) struct FlavorSwap {
    pub base: String,
    pub sizes: (Option<f64>, Option<f64>),
}

/// The runtime flavor of a `-devel` CUDA or PyTorch base (`kind`: Runtime or
/// Base), with the builder's registry and ARGs kept; `None` when the base is
/// no development flavor. Reported and `Err` when the tag has no such flavor
/// or its ARG defaults would not expand to it.
pub(super) fn flavor_swap(
    cx: &Context,
    stage: &Stage,
    kind: VariantKind,
    out: &mut Findings,
) -> Result<Option<FlavorSwap>, ()> {
    let family = BaseFamily::of(stage);
    let devel = matches!(
        family,
        BaseFamily::Cuda {
            flavor: Flavor::Devel,
            ..
        } | BaseFamily::PyTorch {
            flavor: Flavor::Devel
        }
    );
    if !devel {
        return Ok(None);
    }
    let Some(catalog_family) = catalog::catalog().family(stage.effective_base()) else {
        return Ok(None);
    };
    let written = variant_written(cx, stage, catalog_family, kind, out).ok_or(())?;
    let (from, to) = match kind {
        VariantKind::Base => ("devel", "base"),
        _ => ("devel", "runtime"),
    };
    Ok(Some(FlavorSwap {
        base: written,
        sizes: (catalog_family.size(from), catalog_family.size(to)),
    }))
}
