//! slimfile: a Dockerfile optimizing rewriter.
//!
//! The pipeline for one file: [`source`] decodes bytes, [`syntax`] reads
//! instructions with exact spans, [`model`] builds stages and their graph,
//! [`passes`] propose [`edit::Change`]s, [`engine`] applies them to a fixpoint,
//! and [`report`] renders diffs and reports.
//!
//! The default feature `native` adds what needs a file system, processes or
//! threads: [`files`] (discovery, atomic writes), [`lsp`], [`verify`],
//! configuration files and a build context read from a folder. Without it
//! the library is the rewrite core alone, which builds for
//! `wasm32-unknown-unknown` (the browser playground, `playground/`) and reads
//! its build context from memory ([`context::ContextFiles`]).

// Product functions over 80 lines (clippy.toml) are split into named steps;
// a flat table carries `#[allow(clippy::too_many_lines, reason = "…")]`.
// Test code (unit tests here, tests/, examples/) is not held to it.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]
// What the library does not export is `pub(crate)`, so `pub` means public API.
#![warn(unreachable_pub)]

pub mod alpine;
pub mod analysis;
pub(crate) mod artifacts;
pub mod catalog;
pub mod config;
pub mod context;
pub mod contract;
pub(crate) mod distroless;
pub mod docs;
pub mod edit;
pub mod engine;
#[cfg(feature = "native")]
pub mod files;
pub mod image;
pub mod image_config;
pub(crate) mod jit;
#[cfg(feature = "native")]
pub mod lsp;
pub mod model;
pub mod packages;
pub mod pass_id;
pub mod passes;
pub mod pycode;
pub mod reason;
pub mod recipes;
pub(crate) mod releases;
pub mod report;
pub mod shell;
pub mod source;
pub mod syntax;
#[cfg(feature = "native")]
pub mod verify;
