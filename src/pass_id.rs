//! Pass ids: which pass a change or a note comes from, in one table.
//!
//! The id's string (`split-stages`) is the stable name users write
//! (`--select`, `--ignore`, `# slimfile: ignore[...]`, configuration) and
//! reports show; the code uses the enum, so a typo is a compile error and the
//! list exists once. It sits below everything that names a pass, like
//! [`crate::reason`].
//!
//! ```
//! use slimfile::pass_id::PassId;
//! assert_eq!(PassId::SplitStages.as_str(), "split-stages");
//! assert_eq!("split-stages".parse(), Ok(PassId::SplitStages));
//! assert_eq!(PassId::PASSES.len(), slimfile::pass_id::PASS_IDS.len());
//! ```

use std::fmt;

/// Declares the enum and its strings from one table; the passes in engine order.
macro_rules! pass_ids {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $id:literal, )+) => {
        /// A pass, or the engine's own model (see the module docs).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum PassId {
            $( $(#[doc = $doc])+ $variant, )+
            /// Not a pass: notes of the engine's model (an instruction the two
            /// readers disagree on). It cannot be selected.
            #[default]
            Model,
        }

        impl PassId {
            /// The passes, in the order the engine runs them.
            pub const PASSES: &'static [PassId] = &[$(PassId::$variant),+];

            /// The stable id users write and reports show.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( PassId::$variant => $id, )+
                    PassId::Model => "model",
                }
            }
        }

        /// The pass ids, in the engine's order: what `select`/`ignore` may name.
        pub const PASS_IDS: &[&str] = &[$($id),+];
    };
}

pass_ids! {
    /// Names stages and fixes stage references.
    NameStages = "name-stages",
    /// Smaller runtime bases.
    SlimBase = "slim-base",
    /// A single stage split into `builder` and `runtime`.
    SplitStages = "split-stages",
    /// Artifacts instead of trees; manifests before sources.
    NarrowCopy = "narrow-copy",
    /// Runtime dependencies a slimmer runtime needs.
    RuntimeDeps = "runtime-deps",
    /// Package caches and lists left in layers.
    SizeHygiene = "size-hygiene",
}

impl std::str::FromStr for PassId {
    type Err = ();

    /// A pass id as users write it (`model` is not a pass and does not parse).
    fn from_str(s: &str) -> Result<PassId, ()> {
        PassId::PASSES
            .iter()
            .copied()
            .find(|p| p.as_str() == s)
            .ok_or(())
    }
}

impl fmt::Display for PassId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for PassId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for PassId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for PassId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Ordered by id, as the strings were: reports sort notes at one position by pass.
impl Ord for PassId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pass_parses_back_and_model_is_not_a_pass() {
        for p in PassId::PASSES {
            assert_eq!(p.as_str().parse(), Ok(*p));
        }
        assert_eq!("model".parse::<PassId>(), Err(()));
        assert!(PassId::Model < PassId::NameStages && PassId::SizeHygiene < PassId::SlimBase);
    }
}
