//! brief: a static site generator for policy briefs.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`config`] -> [`content`] (front matter, via [`markdown`]) -> [`site`] (grouped by
//! [`taxonomy`]) -> [`theme`] and [`render`] (lists split by [`paginate`]) -> [`output`];
//! [`build`] runs it end to end and [`cli`] is the command line.

pub mod assets;
pub mod bibliography;
pub mod brief_page;
pub mod build;
pub mod build_cache;
pub mod check;
pub mod cite;
pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod fsutil;
pub mod i18n;
pub mod ignored;
pub mod images;
pub mod import;
pub mod markdown;
pub mod memory;
pub mod output;
pub mod outputs;
pub mod paginate;
pub mod pdf;
pub mod redirects;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod seo;
pub mod serve;
pub mod site;
pub mod taxonomy;
pub mod theme;
pub mod tomlkeys;
pub mod urls;

pub use build::{BuildOptions, BuildReport, build};
pub use error::{Diagnostic, Errors};
