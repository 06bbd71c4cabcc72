//! ### apk
//! `apk add` gets `--no-cache` (safe: the index is fetched for the install
//! and not kept), unless the RUN keeps a cache mount on `/var/cache/apk`,
//! or the file uses the cache on purpose (`/etc/apk/cache`). A RUN that runs
//! `apk update` also ends with `rm -rf /var/cache/apk/*`.

use super::{Facts, Run, append, change, flag_after};
use crate::edit::{Findings, Safety};
use crate::passes::Context;

pub(super) fn check(cx: &Context, facts: &Facts, r: &Run, out: &mut Findings) {
    if r.cache_mount(&["/var/cache/apk", "/etc/apk/cache"]) || facts.apk_cache_used {
        return;
    }
    let mut edits = Vec::new();
    for c in r.commands(&["apk"]) {
        let args = c.args();
        let Some(add) = args
            .iter()
            .find(|w| w.value.as_deref().is_some_and(|v| !v.starts_with('-')))
        else {
            continue;
        };
        if add.value.as_deref() != Some("add")
            || args
                .iter()
                .any(|w| w.value.as_deref() == Some("--no-cache"))
        {
            continue;
        }
        if let Some(span) = add.span.clone() {
            edits.push(flag_after(span.end, "--no-cache"));
        }
    }
    if !edits.is_empty() {
        out.change(change(
            Safety::Safe,
            "`apk add --no-cache`: the package index is fetched for the install and not kept in the layer".to_string(),
            edits,
            None,
        ));
    }
    let updates = r.commands(&["apk"]).any(|c| {
        c.args()
            .iter()
            .find(|w| w.value.as_deref().is_some_and(|v| !v.starts_with('-')))
            .and_then(|w| w.value.as_deref())
            == Some("update")
    });
    if updates
        && !r.removes("/var/cache/apk")
        && let Some(edit) = append(cx, r, "rm -rf /var/cache/apk/*", out)
    {
        out.change(change(
            Safety::Safe,
            "the index `apk update` downloaded is removed in the same RUN".to_string(),
            vec![edit],
            None,
        ));
    }
}
