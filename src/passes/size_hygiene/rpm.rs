//! ### dnf, yum, microdnf, zypper
//! A RUN that installs with dnf, yum or microdnf ends with `<manager> clean
//! all`; with zypper, `zypper clean --all` (safe: the metadata and package
//! caches are not used at run time). Not with a cache mount on
//! `/var/cache/<manager>`.

use super::{Run, append, change};
use crate::edit::{Findings, Safety};
use crate::passes::Context;

/// Each manager, the cache it leaves, and the cleanup that removes it.
const MANAGERS: &[(&str, &str, &str)] = &[
    ("dnf", "/var/cache/dnf", "dnf clean all"),
    ("yum", "/var/cache/yum", "yum clean all"),
    ("microdnf", "/var/cache/yum", "microdnf clean all"),
    ("zypper", "/var/cache/zypp", "zypper clean --all"),
];

pub(super) fn check(cx: &Context, r: &Run, out: &mut Findings) {
    for (manager, cache, cleanup) in MANAGERS {
        let installs = r.commands(&[manager]).any(|c| {
            c.args().iter().filter_map(|w| w.value.as_deref()).any(|v| {
                matches!(
                    v,
                    "install" | "in" | "update" | "upgrade" | "groupinstall" | "reinstall"
                )
            })
        });
        if !installs || r.cache_mount(&[cache]) {
            continue;
        }
        let cleaned = r.commands(&[manager]).any(|c| {
            c.args()
                .iter()
                .filter_map(|w| w.value.as_deref())
                .any(|v| v == "clean" || v == "cc")
        }) || r.removes(cache);
        if cleaned {
            continue;
        }
        if let Some(edit) = append(cx, r, cleanup, out) {
            out.change(change(
                Safety::Safe,
                format!("`{cleanup}` in the RUN that installed: the metadata and package caches stay out of the layer"),
                vec![edit],
                None,
            ));
        }
    }
}
