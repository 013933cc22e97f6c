//! Integration tests, compiled into one binary to save link time.

mod a11y;
mod brief_page;
mod browser;
mod check;
mod cli;
mod common;
mod deploy;
mod docs;
mod editorial;
mod errors;
mod feeds;
mod fuzz;
mod golden;
mod i18n;
mod import;
mod metadata;
mod minify;
mod print;
mod release;
mod safety_output;
mod safety_paths;
mod search;
mod serve;
mod site_output;
mod structure;
mod theme;
