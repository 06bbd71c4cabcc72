//! Arbitrary bytes through decode, front end, model and every pass, every
//! change applied: no panic, no hang, and the properties of
//! `tests/common/invariants.rs` (no internal error; refusals carry a position;
//! output re-reads and is a fixpoint; unchanged means byte-identical).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    if let Err(why) = invariants::check(data, &invariants::all_changes()) {
        panic!("{why}");
    }
});
