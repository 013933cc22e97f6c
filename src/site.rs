//! Stage 2b: the site model. Loads every content file (in parallel), runs the checks that span
//! files (unknown authors, duplicate slugs), leaves drafts out unless asked, and sorts.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::iter::Either;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Author, Brief, Page, Section, Source, SourcePath, author, brief, page};
use crate::error::{Diagnostic, Errors, Kind, did_you_mean};
use crate::markdown::links::LinkMap;
use crate::taxonomy::{Taxonomies, related_lists};

/// Everything a build renders: configuration and content, in publication order.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Newest first, then by slug.
    pub briefs: Vec<Brief>,
    pub authors: BTreeMap<String, Author>,
    /// The briefs grouped by topic, region, program, series and author; kept in step with
    /// `briefs` (rebuilt whenever they change).
    pub taxonomies: Taxonomies,
    /// For every brief (by index), the indexes of its related briefs, best first.
    pub related: Vec<Vec<usize>>,
    /// By slug.
    pub pages: Vec<Page>,
    /// Problems that do not stop the build, as `file: message` lines.
    pub warnings: Vec<crate::error::Diagnostic>,
    /// Files of content/ that nothing publishes ([`content::Discovered::unpublished`]), kept
    /// for the warnings an edit recomputes.
    pub unpublished: Vec<crate::error::Diagnostic>,
    /// Where each content file is published, for `@/` links.
    pub links: LinkMap,
    /// Briefs and pages marked draft that were left out (none when drafts are included).
    pub drafts_left_out: usize,
    /// The words of the briefs' search terms (shared, so that a reloaded brief numbers its
    /// words as the others did).
    pub lexicon: crate::search::Lexicon,
}

/// How to load a site.
pub struct LoadOptions<'a> {
    pub include_drafts: bool,
    /// Whether the theme (or the site's templates/) has a template of this name.
    pub has_template: &'a (dyn Fn(&str) -> bool + Sync),
    /// The theme's markup for the fragments Markdown bodies hold.
    pub markup: &'a crate::markdown::fragments::Markup,
    /// Briefs as an earlier build loaded them, used instead of parsing them again
    /// ([`crate::build_cache::loads`]).
    pub cache: Option<&'a dyn BriefCache>,
    /// Where each brief's body goes once it is loaded, so that the site model does not hold
    /// every body ([`content::body`]); `None` keeps them in memory.
    pub spill: Option<&'a std::sync::Arc<content::body::Spill>>,
}

/// Briefs loaded by an earlier build, by their text and everything their loading read.
pub trait BriefCache: Sync {
    /// A hash of `links` (every document's address), called once they are known, after
    /// [`BriefCache::get`]: a brief from the cache is used only if it was loaded with the
    /// same addresses ([`CachedBrief::links`]).
    fn links(&self, links: &LinkMap) -> String;

    /// The search lexicon to load the site's briefs into, called once before they are loaded:
    /// the one the cached briefs' search terms are numbered in.
    fn lexicon(&self) -> crate::search::Lexicon;

    /// The related-brief lists ([`related_lists`]) of briefs whose inputs to them
    /// ([`crate::taxonomy::related_inputs`]) are `inputs`: as kept from an earlier build with the
    /// same inputs, else made by `make` (and kept for the next).
    fn related(&self, inputs: &[u8], make: &dyn Fn() -> Vec<Vec<usize>>) -> Vec<Vec<usize>>;

    /// The brief in the file `path` as loaded before from the same text and inputs (its
    /// front matter included, so that the file need not be read), its search terms numbered
    /// in `lexicon`; `None` when there is none to trust (it is then loaded, and
    /// [`BriefCache::missed`] learns of it).
    fn get(&self, path: &SourcePath, lexicon: &crate::search::Lexicon) -> Option<CachedBrief>;

    /// The brief `source` had to be loaded.
    fn missed(&self, source: &Source);
}

/// A brief as an earlier build loaded it.
pub struct CachedBrief {
    pub brief: Brief,
    /// The hash of the addresses it was loaded with ([`BriefCache::links`]).
    pub links: String,
}

impl Site {
    /// Loads and checks all content under `root`, reporting every problem found, not only the first.
    pub fn load(root: &Path, mut config: Config, options: &LoadOptions) -> Result<Site, Errors> {
        let content::Discovered {
            sources: paths,
            unpublished,
        } = content::discover(root)?;
        let mut errors = Errors::default();
        let (brief_paths, other_paths): (Vec<SourcePath>, Vec<SourcePath>) =
            paths.into_iter().partition(|p| p.section == Section::Brief);
        let (sources, read_errors): (Vec<Source>, Vec<Diagnostic>) = other_paths
            .par_iter()
            .partition_map(|path| match path.read() {
                Ok(source) => Either::Left(source),
                Err(problem) => Either::Right(problem),
            });
        errors.0.extend(read_errors);

        let lexicon = options
            .cache
            .map_or_else(crate::search::Lexicon::default, |cache| cache.lexicon());
        // Every document's address first, so that bodies can link to each other with `@/`.
        // A brief the cache has is taken from it now, its file not read at all (its front
        // matter is in the entry); the others are read twice, here and when loaded, so that
        // at most one brief text per thread is in memory at a time: on a large site the texts
        // are over 100 MB.
        let first: Vec<(Option<CachedBrief>, Option<content::targets::Target>)> = brief_paths
            .par_iter()
            .map(|path| {
                if let Some(cached) = options.cache.and_then(|cache| cache.get(path, &lexicon)) {
                    let front = &cached.brief.front;
                    let target =
                        content::targets::target_of(path, front.slug.as_deref(), front.draft);
                    return (Some(cached), target);
                }
                match path.read() {
                    Ok(source) => (None, content::targets::target(&source)),
                    Err(_) => (None, None),
                }
            })
            .collect();
        let (mut cached, brief_targets): (Vec<_>, Vec<_>) = first.into_iter().unzip();
        let links = content::targets::link_map_of(
            brief_targets
                .into_iter()
                .flatten()
                .chain(sources.iter().filter_map(content::targets::target)),
            config.base_url.root_path(),
            options.include_drafts,
        );
        let footer = config.footer.take();
        config.footer = config_markdown(footer, "footer", &config, &links, &mut errors);
        let disclaimer = config.disclaimer.take();
        config.disclaimer = config_markdown(disclaimer, "disclaimer", &config, &links, &mut errors);
        let of = |section| sources.iter().filter(move |s| s.path.section == section);
        let authors = load_authors(
            of(Section::Author),
            root,
            &links,
            options.markup,
            &config.images,
            &mut errors,
        );
        // Every author file's id, loaded or not: an author file with an error is reported
        // once, not again as an unknown author in each of its briefs.
        let mut author_ids: Vec<String> = of(Section::Author).map(|s| s.path.stem()).collect();
        author_ids.sort();
        let known: Vec<&str> = author_ids.iter().map(String::as_str).collect();
        // A cached brief rendered its `@/` links with the link map it was loaded with.
        let links_now = options.cache.map(|cache| cache.links(&links));
        let settings = brief::LoadSettings {
            root,
            toc_depth: config.toc_depth,
            has_template: options.has_template,
            links: &links,
            language: &config.language,
            lexicon: &lexicon,
            markup: options.markup,
            citations: &config.citations,
            images: &config.images,
        };
        let loaded: Vec<_> = brief_paths
            .par_iter()
            .zip(cached.par_iter_mut())
            .map(|(path, cached)| {
                let valid = cached
                    .take()
                    .filter(|c| links_now.as_ref() == Some(&c.links));
                if let Some(CachedBrief { brief, .. }) = valid {
                    return check_authors(brief, &known);
                }
                let source = path.read().map_err(|problem| vec![problem])?;
                if let Some(cache) = options.cache {
                    cache.missed(&source);
                }
                let mut brief = brief::load(&source, &settings)?;
                if let (Some(spill), content::body::Stored::Held(body)) =
                    (options.spill, &brief.body)
                {
                    brief.body = spill.keep(body);
                }
                check_authors(brief, &known)
            })
            .collect();
        let mut briefs = Vec::new();
        // The slugs of briefs that failed to load (by their file names), which a translation
        // may name: reported once, not again as unknown in each translation of them.
        let mut failed_slugs = Vec::new();
        for (result, path) in loaded.into_iter().zip(&brief_paths) {
            match result {
                Ok(brief) => briefs.push(brief),
                Err(problems) => {
                    failed_slugs.push(slug::slugify(path.stem()));
                    errors.0.extend(problems);
                }
            }
        }
        let mut pages = Vec::new();
        for source in of(Section::Page) {
            let images = page::ImagePlaces {
                root,
                settings: &config.images,
            };
            match page::load(
                source,
                options.has_template,
                &links,
                options.markup,
                &images,
            ) {
                Ok(page) => pages.push(page),
                Err(problems) => errors.0.extend(problems),
            }
        }
        check_unique(
            briefs.iter().map(|b| (b.slug.as_str(), &b.source)),
            "brief",
            &mut errors,
        );
        check_unique(
            pages.iter().map(|p| (p.slug.as_str(), &p.source)),
            "page",
            &mut errors,
        );
        check_translations(&briefs, &failed_slugs, &mut errors);
        if !errors.is_empty() {
            return Err(errors.sorted());
        }

        let before = briefs.len() + pages.len();
        if !options.include_drafts {
            briefs.retain(|b| !b.front.draft);
            pages.retain(|p| !p.front.draft);
        }
        let drafts_left_out = before - briefs.len() - pages.len();
        sort_for_publication(&mut briefs);
        pages.sort_by(|a, b| a.slug.cmp(&b.slug));
        let warnings = warnings_of(&briefs, &authors, &pages, &config.language, &unpublished);
        let taxonomies = Taxonomies::of(&briefs);
        Ok(Site {
            root: root.to_path_buf(),
            config,
            related: match options.cache {
                Some(cache) => cache.related(&crate::taxonomy::related_inputs(&briefs), &|| {
                    related_lists(&taxonomies, &briefs)
                }),
                None => related_lists(&taxonomies, &briefs),
            },
            taxonomies,
            briefs,
            authors,
            pages,
            warnings,
            unpublished,
            links,
            drafts_left_out,
            lexicon,
        })
    }

    /// The briefs that list `author_id` among their authors, newest first.
    pub fn briefs_by<'a>(&'a self, author_id: &'a str) -> impl Iterator<Item = &'a Brief> + 'a {
        // From the author index: a scan of every brief for each author is quadratic.
        self.taxonomies
            .briefs_by(author_id)
            .iter()
            .filter_map(|&i| self.briefs.get(i))
    }
}

/// What decides which briefs relate to a brief, and its place in publication order.
type RelationKey<'a> = (
    crate::content::frontmatter::PubDate,
    &'a str,
    &'a [String],
    &'a [String],
    Option<&'a str>,
    &'a [String],
);

fn relation_key(brief: &Brief) -> RelationKey<'_> {
    let front = &brief.front;
    (
        front.date,
        &brief.slug,
        &front.topics,
        &front.regions,
        front.program.as_deref(),
        &front.authors,
    )
}

/// Publication order: newest first, then by slug, so equal dates never depend on thread order.
fn sort_for_publication(briefs: &mut [Brief]) {
    briefs.sort_by(|a, b| {
        b.front
            .date
            .cmp(&a.front.date)
            .then_with(|| a.slug.cmp(&b.slug))
    });
}

/// The briefs' warnings, in publication order, then the authors' and the pages', then those
/// about term names spelled two ways, translations named under another language, and files
/// nothing publishes.
fn warnings_of(
    briefs: &[Brief],
    authors: &BTreeMap<String, Author>,
    pages: &[Page],
    language: &str,
    unpublished: &[crate::error::Diagnostic],
) -> Vec<crate::error::Diagnostic> {
    let of_briefs = briefs.iter().flat_map(|b| &b.warnings);
    let authors = authors.values().flat_map(|a| &a.warnings);
    let pages = pages.iter().flat_map(|p| &p.warnings);
    let mut warnings: Vec<_> = of_briefs.chain(authors).chain(pages).cloned().collect();
    warnings.extend(crate::taxonomy::spelling_warnings(briefs));
    warnings.extend(translation_language_warnings(briefs, language));
    warnings.extend(unpublished.iter().cloned());
    warnings
}

/// A warning for each translation named under a language its brief is not in (`fr =` a
/// Spanish brief): its link would say French. A warning, not an error: a site that changes its
/// `language` makes its briefs without `lang` speak the new one until they are given theirs.
fn translation_language_warnings(
    briefs: &[Brief],
    site_language: &str,
) -> Vec<crate::error::Diagnostic> {
    let by_slug: HashMap<&str, &Brief> = briefs.iter().map(|b| (b.slug.as_str(), b)).collect();
    let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_string();
    let mut warnings = Vec::new();
    for brief in briefs {
        for (lang, slug) in &brief.front.translations {
            let Some(other) = by_slug.get(slug.as_str()).filter(|o| o.slug != brief.slug) else {
                continue;
            };
            let written = other.language(site_language);
            if primary(written) != primary(lang) {
                warnings.push(
                    Diagnostic::warning(
                        Kind::FrontMatter,
                        format!("the {lang} translation `{slug}` is in another language: its lang is `{written}`"),
                    )
                    .at(brief
                        .keys
                        .location(&brief.source, &format!("translations.{lang}")))
                    .help(format!("name it by its language, translations = {{ {written} = \"{slug}\" }}, or set lang = \"{lang}\" in its front matter")),
                );
            }
        }
    }
    warnings
}

fn load_authors<'a>(
    sources: impl Iterator<Item = &'a Source>,
    root: &Path,
    links: &LinkMap,
    markup: &crate::markdown::fragments::Markup,
    images: &crate::images::Settings,
    errors: &mut Errors,
) -> BTreeMap<String, Author> {
    let mut authors = BTreeMap::new();
    for source in sources {
        match author::load(source, root, links, markup, images) {
            Ok(author) => {
                authors.insert(author.id.clone(), author);
            }
            Err(problems) => errors.0.extend(problems),
        }
    }
    authors
}

/// The HTML of config.toml's Markdown `key` (the footer, the disclaimer), its links rewritten
/// as a brief's are; an `@/` link that points nowhere is an error.
fn config_markdown(
    markdown: Option<String>,
    key: &str,
    config: &Config,
    links: &LinkMap,
    errors: &mut Errors,
) -> Option<String> {
    let (html, broken) = crate::markdown::render_inline_linked(&markdown?, links);
    let location = config
        .keys
        .location(Path::new(crate::config::CONFIG_FILE), key);
    errors.0.extend(broken.iter().map(|b| {
        let error = links.diagnostic(b, location.clone());
        Diagnostic {
            message: format!("{key}: {}", error.message),
            ..error
        }
    }));
    Some(html)
}

/// Every author id of a brief must name a file in content/authors/.
fn check_authors(brief: Brief, known: &[&str]) -> Result<Brief, Vec<Diagnostic>> {
    let unknown: Vec<&String> = brief
        .front
        .authors
        .iter()
        // `known` is sorted (the keys of a BTreeMap): a binary search, not a scan per id.
        .filter(|id| known.binary_search(&id.as_str()).is_err())
        .collect();
    if unknown.is_empty() {
        return Ok(brief);
    }
    let at = |id: &str| {
        let index = brief.front.authors.iter().position(|a| a == id);
        let key = index.map_or("authors".to_string(), |i| format!("authors[{i}]"));
        brief.keys.location(&brief.source, &key)
    };
    Err(unknown
        .into_iter()
        .map(|id| {
            let help = match id.as_str() == crate::scaffold::AUTHOR_PLACEHOLDER {
                true => placeholder_help(known),
                false => unknown_author_help(id, known),
            };
            Diagnostic::new(Kind::UnknownAuthor, format!("unknown author `{id}`"))
                .at(at(id))
                .help(help)
        })
        .collect())
}

fn unknown_author_help(id: &str, known: &[&str]) -> String {
    let mut help = String::new();
    if let Some(close) = did_you_mean(id, known.iter().copied()) {
        help.push_str(&format!("did you mean `{close}`? "));
    }
    help.push_str(&match known.is_empty() {
        true => "there are no authors yet; add a file content/authors/<id>.md".to_string(),
        false => format!(
            "known author ids: {}; or add content/authors/{id}.md",
            known.join(", ")
        ),
    });
    help
}

/// `brief new brief` writes a placeholder id when it cannot tell the author: say so, since
/// the new brief breaks the build (even as a draft) until it is replaced.
fn placeholder_help(known: &[&str]) -> String {
    let placeholder = crate::scaffold::AUTHOR_PLACEHOLDER;
    match known {
        [] => format!(
            "`{placeholder}` is the placeholder `brief new brief` writes: add an author with `brief new author \"Name\"` and put its id in its place"
        ),
        ids => format!(
            "`{placeholder}` is the placeholder `brief new brief` writes: replace it with the id of the brief's author, one of: {}",
            ids.join(", ")
        ),
    }
}

/// Every slug a brief's `translations` names must be another brief's (or one of `failed`,
/// briefs whose own errors are reported).
fn check_translations(briefs: &[Brief], failed: &[String], errors: &mut Errors) {
    let slugs: Vec<&str> = briefs.iter().map(|b| b.slug.as_str()).collect();
    // Looked up in a set: a list search for each translation is quadratic in briefs.
    let known: std::collections::HashSet<&str> = slugs
        .iter()
        .copied()
        .chain(failed.iter().map(String::as_str))
        .collect();
    for brief in briefs {
        for (lang, slug) in &brief.front.translations {
            if known.contains(slug.as_str()) && *slug != brief.slug {
                continue;
            }
            let mut help = String::new();
            let others = slugs.iter().copied().filter(|s| *s != brief.slug);
            if let Some(close) = did_you_mean(slug, others) {
                help.push_str(&format!("did you mean `{close}`? "));
            }
            help.push_str("a translation is named by the slug of the other brief, e.g. translations = { es = \"my-brief-es\" }");
            let message = match *slug == brief.slug {
                true => format!("the {lang} translation `{slug}` is this brief itself"),
                false => format!("the {lang} translation `{slug}` is not a brief of this site"),
            };
            errors.push(
                Diagnostic::new(Kind::FrontMatter, message)
                    .at(brief
                        .keys
                        .location(&brief.source, &format!("translations.{lang}")))
                    .help(help),
            );
        }
    }
}

/// Two documents of one kind may not be published at the same address.
fn check_unique<'a>(
    items: impl Iterator<Item = (&'a str, &'a PathBuf)>,
    kind: &str,
    errors: &mut Errors,
) {
    let mut seen: HashMap<&str, &PathBuf> = HashMap::new();
    for (slug, source) in items {
        if let Some(first) = seen.insert(slug, source) {
            errors.push(
                Diagnostic::new(
                    Kind::DuplicateSlug,
                    format!(
                        "{kind} slug `{slug}` is used by both {} and {}",
                        first.display(),
                        source.display()
                    ),
                )
                .in_file(source)
                .help("give one of them another file name or a `slug` key in its front matter"),
            );
        }
    }
}

/// The parts of a brief that decide which output files it touches; an incremental rebuild
/// compares them before and after an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefFootprint {
    pub slug: String,
    pub authors: Vec<String>,
    /// Site paths of the bundle files copied with it.
    pub assets: Vec<String>,
    pub draft: bool,
}

impl BriefFootprint {
    fn of(brief: &Brief) -> Self {
        BriefFootprint {
            slug: brief.slug.clone(),
            authors: brief.front.authors.clone(),
            assets: brief.assets.iter().map(|(_, to)| to.clone()).collect(),
            draft: brief.front.draft,
        }
    }
}

impl Site {
    /// Re-reads one brief of this site (`rel`, relative to the root, as in [`Brief::source`]) and
    /// puts it in place of the old one with the checks [`Site::load`] makes (authors, unique
    /// slug), keeping publication order. Used by `brief serve` for an edit to one file.
    ///
    /// `Ok(None)` means this cannot be done in place and the caller must load the whole site:
    /// the file is not a brief this site has, it is gone, or it is (or was) a draft that the
    /// site leaves out. On `Err` the site is left as it was.
    pub fn reload_brief(
        &mut self,
        rel: &Path,
        options: &LoadOptions,
    ) -> Result<Option<(BriefFootprint, BriefFootprint)>, Errors> {
        let Some(index) = self.briefs.iter().position(|b| b.source == rel) else {
            return Ok(None);
        };
        let path = self.root.join(rel);
        if !path.is_file() {
            return Ok(None);
        }
        // content/briefs/<slug>/index.md is a bundle; content/briefs/<slug>.md is not.
        let bundle = (rel.components().count() == 4).then(|| path.parent().map(Path::to_path_buf));
        let source = content::SourcePath {
            section: Section::Brief,
            path: path.clone(),
            rel: rel.to_path_buf(),
            bundle: bundle.flatten(),
        }
        .read()?;
        let settings = brief::LoadSettings {
            root: &self.root,
            toc_depth: self.config.toc_depth,
            has_template: options.has_template,
            links: &self.links,
            language: &self.config.language,
            lexicon: &self.lexicon,
            markup: options.markup,
            citations: &self.config.citations,
            images: &self.config.images,
        };
        let known: Vec<&str> = self.authors.keys().map(String::as_str).collect();
        let brief = brief::load(&source, &settings)
            .and_then(|b| check_authors(b, &known))
            .map_err(|problems| Errors(problems).sorted())?;
        if !options.include_drafts && brief.front.draft {
            return Ok(None);
        }
        let mut errors = Errors::default();
        // An edit that keeps the slug keeps the addresses unique, as they were (hashing 10,000
        // slugs was a sixth of a one-brief reload).
        if brief.slug != self.briefs[index].slug {
            check_unique(
                self.briefs
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != index)
                    .map(|(_, b)| (b.slug.as_str(), &b.source))
                    .chain(std::iter::once((brief.slug.as_str(), &brief.source))),
                "brief",
                &mut errors,
            );
        }
        if !errors.is_empty() {
            return Err(errors.sorted());
        }
        let after = BriefFootprint::of(&brief);
        let same_relations = relation_key(&brief) == relation_key(&self.briefs[index]);
        // An edit of the text alone (the usual one while previewing) keeps the order, every
        // term list and the spelling warnings: on a large site, redoing them is most of a reload.
        let same_terms = same_relations && brief.front.series == self.briefs[index].front.series;
        let same_warnings = same_terms && brief.warnings == self.briefs[index].warnings;
        let old = std::mem::replace(&mut self.briefs[index], brief);
        let before = BriefFootprint::of(&old);
        if !same_terms {
            sort_for_publication(&mut self.briefs);
            self.taxonomies = Taxonomies::of(&self.briefs);
        }
        // Ranking every brief against the others is the costly part of a reload on a large
        // site; an edit that keeps what relates briefs (and their order) keeps every list.
        if !same_relations {
            self.related = related_lists(&self.taxonomies, &self.briefs);
        }
        if !same_warnings {
            self.refresh_warnings();
        }
        Ok(Some((before, after)))
    }

    /// Re-reads one author file of this site (`rel`, as in [`Author::source`]) in place.
    /// `Ok(None)` means the caller must load the whole site (unknown or removed author).
    pub fn reload_author(
        &mut self,
        rel: &Path,
        options: &LoadOptions,
    ) -> Result<Option<String>, Errors> {
        let Some(id) = self
            .authors
            .values()
            .find(|a| a.source == rel)
            .map(|a| a.id.clone())
        else {
            return Ok(None);
        };
        let path = self.root.join(rel);
        if !path.is_file() {
            return Ok(None);
        }
        let source = content::SourcePath {
            section: Section::Author,
            path,
            rel: rel.to_path_buf(),
            bundle: None,
        }
        .read()?;
        let author = author::load(
            &source,
            &self.root,
            &self.links,
            options.markup,
            &self.config.images,
        )
        .map_err(|p| Errors(p).sorted())?;
        if author.id != id {
            return Ok(None);
        }
        self.authors.insert(id.clone(), author);
        self.refresh_warnings();
        Ok(Some(id))
    }

    /// The warnings again, after a brief or author reloaded in place.
    fn refresh_warnings(&mut self) {
        self.warnings = warnings_of(
            &self.briefs,
            &self.authors,
            &self.pages,
            &self.config.language,
            &self.unpublished,
        );
    }
}
