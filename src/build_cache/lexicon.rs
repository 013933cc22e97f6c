//! The search lexicon kept between builds, in `.brief-cache/build/lexicon.bin`: every word and
//! stem the site's briefs used, in number order, so that a brief's entry in the load cache
//! ([`super::loads`]) keeps its search terms as numbers and a warm build uses them as they are,
//! instead of spelling out and numbering again every word of every brief.
//!
//! A build starts its lexicon from the stored one and only adds words to it, so every number
//! of the stored lexicon keeps its meaning. The file holds a chain of ids, one per version of
//! the lexicon that added words (the hash of that version): an entry names the id of the
//! version its terms were numbered in, and is used only while that id is in the chain, that is
//! while the stored lexicon starts with that version. Two builds that add different words each
//! get their own id, so the one whose lexicon was replaced by the other's has entries that no
//! longer match and loads those briefs again. A damaged file is ignored with a warning.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Kind};
use crate::search::terms::{Stored, Vocabulary};

use super::fingerprint::hash;

/// The file, in the build cache's folder.
pub const FILE: &str = "lexicon.bin";

/// What the file starts with; the number is the layout's version.
const MAGIC: &[u8] = b"brief lexicon 2\n";

/// Versions kept in the chain; entries of an older version are loaded again.
const CHAIN: usize = 500;

/// The stored lexicon as one build read it.
#[derive(Debug, Default)]
pub struct Kept {
    /// Ids of the versions the stored lexicon extends, oldest first, the last its own.
    pub chain: Vec<String>,
    /// [`Vocabulary::sizes`] of the stored lexicon.
    sizes: (usize, usize, usize),
}

impl Kept {
    /// How many words the stored lexicon numbers.
    pub fn words(&self) -> usize {
        self.sizes.1
    }
}

/// The path of the file in the build cache's folder `dir`.
pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// The lexicon stored at `file` (named `shown` in messages) with its chain; an empty one when
/// there is none, and a warning when it is damaged.
pub fn read(file: &Path, shown: &str) -> (Vocabulary, Kept, Option<Diagnostic>) {
    let Ok(bytes) = std::fs::read(file) else {
        return (Vocabulary::default(), Kept::default(), None);
    };
    let parsed = super::seal::open(MAGIC, &bytes)
        .and_then(|body| bincode::deserialize::<(Vec<String>, Stored)>(body).ok())
        .and_then(|(chain, stored)| Some((chain, Vocabulary::from_stored(stored)?)))
        .filter(|(chain, _)| !chain.is_empty());
    match parsed {
        Some((chain, vocabulary)) => {
            let sizes = vocabulary.sizes();
            (vocabulary, Kept { chain, sizes }, None)
        }
        // Another version's lexicon: not damaged, only of no use to this one.
        None if !bytes.starts_with(MAGIC) && bytes.starts_with(b"brief lexicon ") => {
            (Vocabulary::default(), Kept::default(), None)
        }
        None => {
            let problem = Diagnostic::warning(
                Kind::Io,
                "ignoring a damaged search lexicon in the build cache; every brief is loaded again",
            )
            .in_file(shown);
            (Vocabulary::default(), Kept::default(), Some(problem))
        }
    }
}

/// The id of `vocabulary` (which started as `kept`'s), and the file to write when it is a new
/// version: `kept`'s last id when no word, stem or language was added.
pub fn version(kept: &Kept, vocabulary: &Vocabulary) -> (String, Option<Vec<u8>>) {
    if let Some(last) = kept.chain.last()
        && vocabulary.sizes() == kept.sizes
    {
        return (last.clone(), None);
    }
    let stored = bincode::serialize(&vocabulary.stored()).expect("a lexicon serialises");
    let id = hash(&stored);
    let mut chain: Vec<&String> = kept.chain.iter().collect();
    chain.push(&id);
    let chain = &chain[chain.len().saturating_sub(CHAIN)..];
    let mut bytes = bincode::serialize(&chain).expect("a chain serialises");
    bytes.extend_from_slice(&stored);
    (id, Some(super::seal::seal(MAGIC, &bytes)))
}

/// Writes `bytes` to `file` (beside it, then renamed over it).
pub fn write(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = file.with_extension(format!("{}.new", std::process::id()));
    std::fs::write(&temp, bytes)
        .and_then(|()| std::fs::rename(&temp, file))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Lexicon;
    use crate::search::terms::Counts;

    #[test]
    fn a_stored_lexicon_keeps_its_numbers_and_a_grown_one_extends_the_chain() {
        let temp = tempfile::tempdir().unwrap();
        let file = path(temp.path());
        let (vocabulary, kept, problem) = read(&file, "lexicon.bin");
        assert!(problem.is_none() && kept.chain.is_empty());
        let lexicon = Lexicon::with(vocabulary);
        let mut counts = Counts::default();
        counts.add_text("Sanctions and sanctioned banks");
        let terms = lexicon.terms("en", counts);
        let (first, bytes) = version(&kept, &lexicon.lock());
        write(&file, &bytes.unwrap()).unwrap();

        let (vocabulary, kept, problem) = read(&file, "lexicon.bin");
        assert!(problem.is_none());
        assert_eq!(kept.chain, std::slice::from_ref(&first));
        let before = lexicon.lock().stored();
        assert_eq!(format!("{:?}", vocabulary.stored()), format!("{before:?}"));
        // Nothing added: the same version, nothing to write.
        let lexicon = Lexicon::with(vocabulary);
        let mut counts = Counts::default();
        counts.add_text("banks");
        let again = lexicon.terms("en", counts);
        assert!(terms.iter().any(|(w, _)| again.iter().any(|(v, _)| v == w)));
        assert_eq!(version(&kept, &lexicon.lock()), (first.clone(), None));
        // A word added: a new version after the first.
        let mut counts = Counts::default();
        counts.add_text("tariffs");
        lexicon.terms("en", counts);
        let (second, bytes) = version(&kept, &lexicon.lock());
        assert_ne!(second, first);
        write(&file, &bytes.unwrap()).unwrap();
        assert_eq!(read(&file, "x").1.chain, [first, second]);

        std::fs::write(&file, b"brief lexicon 2\n\x05").unwrap();
        let (vocabulary, kept, problem) = read(&file, "lexicon.bin");
        assert!(kept.chain.is_empty() && vocabulary.sizes() == (0, 0, 0));
        assert!(problem.unwrap().to_string().contains("lexicon.bin"));
        // An older version's: ignored without a word.
        std::fs::write(&file, b"brief lexicon 1\n\x05").unwrap();
        let (_, kept, problem) = read(&file, "lexicon.bin");
        assert!(kept.chain.is_empty() && problem.is_none());
    }
}
