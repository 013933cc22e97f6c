//! Integration tests, compiled into one binary to save link time. None of them needs a
//! browser: the tests that drive Chromium are the `browser` target (tests/browser_tests).

mod aliases;
mod brief_page;
mod build_cache;
mod check;
mod citations;
mod cli;
mod common;
// The benchmarks' generated corpus: briefs shaped like a think tank's archive.
#[path = "../../benches/support/corpus.rs"]
#[allow(dead_code)]
mod corpus;
mod deploy;
mod docs;
mod editorial;
mod errors;
mod feeds;
mod figures;
mod fuzz;
mod golden;
mod i18n;
mod images;
mod import;
mod metadata;
mod minify;
mod outputs;
mod pdf;
mod release;
mod safety_output;
mod safety_paths;
mod search;
mod serve;
mod serve_kept;
mod server;
mod site_output;
mod structure;
mod theme;
