//! Integration tests, compiled into one binary to save link time.

mod cli;
mod common;
mod errors;
mod site_output;
