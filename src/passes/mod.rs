//! The passes. One file a pass; each file's module documentation is what
//! `slimfile explain <pass>` prints.
//!
//! A pass looks at one document and proposes [`Change`]s (edits with a
//! message, a safety level and an estimate) and [`Note`]s (why it left
//! something alone). It never writes files, prints or reads configuration
//! files: the engine and the CLI do that.
//!
//! [`Change`]: crate::edit::Change
//! [`Note`]: crate::edit::Note

pub(crate) mod edits;
pub(crate) mod name_stages;
pub(crate) mod narrow_copy;
pub(crate) mod runtime_deps;
pub(crate) mod size_hygiene;
pub(crate) mod slim_base;
pub(crate) mod split_stages;

use crate::edit::{Findings, Safety};

pub use crate::context::Context;

/// A pass as the engine and the CLI know it.
pub struct Pass {
    pub id: crate::pass_id::PassId,
    pub summary: &'static str,
    /// The lowest safety level at which its usual changes apply (some,
    /// like a typo fix or an Alpine swap, are riskier and say so). Below it
    /// the pass still runs, for suggestions, but without the build context.
    pub safety: Safety,
    pub doc: &'static str,
    pub run: fn(&Context, &mut Findings),
}

/// Every pass, in the order the engine runs them.
pub static ALL: &[&Pass] = &[
    &name_stages::PASS,
    &slim_base::PASS,
    &split_stages::PASS,
    &narrow_copy::PASS,
    &runtime_deps::PASS,
    &size_hygiene::PASS,
];

pub fn find(id: &str) -> Option<&'static Pass> {
    ALL.iter().copied().find(|p| p.id.as_str() == id)
}

pub(crate) use edits::line_end;

/// `include_str!` of a pass's extracted module docs.
#[macro_export]
macro_rules! pass_doc {
    ($stem:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $stem, ".md"))
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_registry_runs_every_pass_id_in_order() {
        let ids: Vec<_> = super::ALL.iter().map(|p| p.id).collect();
        assert_eq!(ids, crate::pass_id::PassId::PASSES);
    }
}
