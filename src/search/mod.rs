//! Full-text search without a server: every word of every published brief (title, subtitle,
//! summary, key takeaways, text, topics, regions, program, series and authors' names), stemmed
//! per language, ranked with BM25, in an index split into small static files so that a query
//! downloads only the pieces it needs (pagefind's design, written for our one kind of page).
//!
//! At load, each brief's words are counted by field and numbered in the site's [`Lexicon`]
//! ([`terms`]); the brief keeps that packed list ([`Terms`]), not its text. At build, [`write`]
//! writes under `search/`, handing each file to the build as soon as it is made (see
//! [`write_with`] for how the postings of a large site are made a group at a time):
//!
//! - `meta.json` (loaded first): the number of briefs, the keys of the word shards, the
//!   fields of a document row, and every filter's choices (value, name, count).
//! - `words/<n>.json`: folded words (lower case, no accents) -> places of their stems, as
//!   flat `[chunk, position, briefs]` triples. A word lives in the shard of the longest key
//!   that starts it; a shard over 8 KB is split by the next letter.
//! - `postings/<n>.bin`: stems in spelling order, packed into chunks of about 16 KB: per stem
//!   the briefs using it (varint gaps, or a bitmap for a common stem) and a byte of BM25F
//!   weight each (weighted by field, the text's count normalised by its length, saturated; the
//!   browser adds the idf).
//! - `docs/<n>.json`: what a result shows (title, address, date, authors, program, summary),
//!   [`index::LIMITS`]`.docs_per_shard` briefs a file, by document number.
//! - `filters/<kind>-<n>.bin`: the briefs of each topic, region, program, author and year.
//!
//! Document numbers count the published briefs oldest first, so a new brief leaves most files
//! unchanged. Drafts are never indexed, even in a preview build.
//!
//! Stemming without a stemmer in the browser: the index maps every *surface word* of the site
//! to its stems, so `search.js` looks a query word up as typed (folded) and gets the stems the
//! server computed with the brief's language; "sanctions" finds "sanctioned", "sanciones" finds
//! "sanción". A query word of three letters or more that no brief uses matches the words it
//! starts ("sanc" finds "sanctions"), so results come as one types. Failing that, the word is
//! cut by one to three letters at its end, as a stemmer cuts an ending, and matches the words
//! the rest starts ("sanctioning", cut to "sanction", finds "sanctions"). The cost: that cut is
//! blind to the language, where a stemmer is not. The alternative, a
//! JavaScript port of Snowball for each language, would weigh more than a query's whole
//! download and could drift from the Rust stemmer.
//!
//! An index of our own rather than pagefind's: pagefind brings a large dependency tree, its own
//! JS bundle and WASM, and indexes rendered HTML after the build, where we have the words and
//! their fields at hand while loading.

mod index;
pub mod terms;
mod varint;
pub mod words;

pub use index::{DOC_FIELDS, LIMITS, Limits, write, write_with};
pub use terms::{Counts, Lexicon, Terms};

/// Site-relative paths of the search page and of the index's metadata (the file it loads first).
pub use crate::outputs::routes::{SEARCH as SEARCH_PATH, SEARCH_INDEX as INDEX_PATH};
/// Bumped when the layout of the index changes, so that a cached script can tell.
pub const FORMAT_VERSION: u32 = 2;
