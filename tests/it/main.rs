//! Integration tests, compiled into one binary to save link time.

mod browser;
mod cli;
mod common;
mod errors;
mod serve;
mod site_output;
