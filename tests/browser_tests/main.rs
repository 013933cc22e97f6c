//! Tests that drive a real browser (Debian's Chromium, headless) and the npm tools in
//! tests/browser: live reload, validity and accessibility, printing, the search script. They
//! are their own test target, `cargo test --test browser`, so that `cargo test --test it` runs
//! without Chromium; `cargo test` (and scripts/test) runs both.
//!
//! Each skips, saying why, where Chromium or the tools are missing and `CI` is unset.

mod a11y;
mod browser;
mod print;
mod search;

// Helpers shared with tests/it; each target uses only some of them.
#[allow(dead_code)]
#[path = "../it/common.rs"]
mod common;
#[allow(dead_code)]
#[path = "../it/server.rs"]
mod server;
