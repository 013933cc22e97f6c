//! brief: a static site generator for policy briefs.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`config`] -> [`content`] (front matter, via [`markdown`]) -> [`site`] -> [`theme`] and
//! [`render`] -> [`output`]; [`build`] runs it end to end and [`cli`] is the command line.

pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod fsutil;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod theme;
pub mod urls;

pub use build::{BuildOptions, BuildReport, build};
pub use error::{Diagnostic, Errors};
