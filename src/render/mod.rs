//! Stage 4b: what each template sees. The site model is turned into plain serialisable views
//! (with URLs resolved against base_url), and each output page is rendered through the theme.
//! The variables are the theme contract documented in docs/theming.md.
//!
//! Which pages a site has is [`crate::outputs::pages`]'s business, which of them an edit
//! changes [`crate::outputs::affected`]'s.
//!
//! - [`views`]: the values templates see;
//! - [`Renderer`]: builds the views for one job and renders its template.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{OnceLock, RwLock};

use tera::Context;

use crate::config::MenuTarget;
use crate::content::body::Body;
use crate::content::{Asset, Author, Brief, Page};
use crate::error::Diagnostic;
use crate::markdown::TocEntry;
use crate::markdown::text::reading_time;
use crate::outputs::Job;
use crate::outputs::routes::{ARCHIVE, AUTHORS, SEARCH, SEARCH_INDEX};
use crate::paginate::{Paginator, page_count, page_items};
use crate::seo;
use crate::site::Site;
use crate::taxonomy::{Term, TermKind};
use crate::theme::Theme;
use crate::urls::BaseUrl;

mod views;

use views::*;

/// The most plain pages the default header menu lists.
pub const MENU_PAGES: usize = 4;

/// How many topics (and programs) the home page names; past that it links to their index.
const HOME_TERMS: usize = 12;

/// Renders pages of one site with one theme.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    globals: Context,
    /// Brief slug -> index in `site.briefs`.
    positions: HashMap<&'a str, usize>,
    /// Each brief's translation group: the briefs linked to it through `translations`,
    /// directly or through one another (index in `site.briefs` -> the group's indexes).
    translation_groups: HashMap<usize, std::sync::Arc<Vec<usize>>>,
    /// Every brief's index, for the archive.
    all: Vec<usize>,
    /// Each brief's card as templates see it, made on first use: a brief shows on many list
    /// pages (each of its terms', each of its authors'), and a tera value is shared, not
    /// copied, when put in a context, so a card with n topic links costs O(n) once rather
    /// than on each of its n term pages. Forgotten once the pages are written
    /// ([`Renderer::forget_cards`]): at 100,000 briefs they are about 500 MB.
    cards: RwLock<Vec<OnceLock<tera::Value>>>,
}

/// Whether the site holds a draft brief or page (it does only when drafts were asked for).
pub fn has_drafts(site: &Site) -> bool {
    site.briefs.iter().any(|b| b.front.draft) || site.pages.iter().any(|p| p.front.draft)
}

/// The briefs joined by `translations` (either way, and through one another), as groups of
/// indexes in `briefs`, sorted, each under each of its members; briefs without translations
/// are in none.
fn translation_groups<'a>(
    briefs: &'a [Brief],
    positions: &HashMap<&'a str, usize>,
) -> HashMap<usize, std::sync::Arc<Vec<usize>>> {
    // Union-find over the links; a few per brief, so linear in the number of briefs.
    let mut leader: Vec<usize> = (0..briefs.len()).collect();
    fn find(leader: &mut [usize], mut i: usize) -> usize {
        while leader[i] != i {
            leader[i] = leader[leader[i]];
            i = leader[i];
        }
        i
    }
    let mut linked = std::collections::BTreeSet::new();
    for (i, brief) in briefs.iter().enumerate() {
        for slug in brief.front.translations.values() {
            if let Some(&j) = positions.get(slug.as_str()) {
                let (a, b) = (find(&mut leader, i), find(&mut leader, j));
                leader[a.max(b)] = a.min(b);
                linked.extend([i, j]);
            }
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in linked {
        let root = find(&mut leader, i);
        members.entry(root).or_default().push(i);
    }
    let mut groups = HashMap::new();
    for group in members.into_values() {
        let group = std::sync::Arc::new(group);
        for &i in group.iter() {
            groups.insert(i, group.clone());
        }
    }
    groups
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme, drafts_shown: bool) -> Self {
        let config = &site.config;
        let mut globals = Context::new();
        globals.insert(
            "site",
            &SiteView {
                title: &config.title,
                description: &config.description,
                language: &config.language,
                base_url: config.base_url.as_str(),
                root: config.base_url.root_path(),
                extra: &config.extra,
                footer: config.footer.as_deref(),
                logo: config
                    .logo
                    .as_ref()
                    .map(|l| config.base_url.file_path_of(l)),
                logo_url: config.logo.as_ref().map(|l| config.base_url.file_url_of(l)),
                share_image_url: seo::share_image_url(config),
            },
        );
        let pages: Vec<PlainPageLink> = site
            .pages
            .iter()
            .map(|p| PlainPageLink {
                title: p.front.title.clone(),
                path: config.base_url.path_of(&p.site_path()),
            })
            .collect();
        globals.insert(
            "menu",
            &menu(site, &pages, theme.i18n.language(&config.language)),
        );
        globals.insert("pages", &pages);
        globals.insert("lang", &config.language);
        globals.insert("dir", crate::i18n::direction(&config.language));
        globals.insert("site_dir", crate::i18n::direction(&config.language));
        globals.insert("t", &theme.i18n.language(&config.language).strings);
        // The preview banner says drafts are included: true only when one is actually shown.
        globals.insert("drafts_shown", &(drafts_shown && has_drafts(site)));
        // Defined on every page so that base.html can test it.
        globals.insert("paginator", &None::<Paginator>);
        // Published names of renamed assets, read by `asset_path()`; see [`Renderer::with_assets`].
        globals.insert("assets", &BTreeMap::<String, String>::new());
        let positions = site
            .briefs
            .iter()
            .enumerate()
            .map(|(i, b)| (b.slug.as_str(), i))
            .collect();
        let translation_groups = translation_groups(&site.briefs, &positions);
        Renderer {
            site,
            theme,
            globals,
            positions,
            translation_groups,
            all: (0..site.briefs.len()).collect(),
            cards: RwLock::new(site.briefs.iter().map(|_| OnceLock::new()).collect()),
        }
    }

    fn base(&self) -> &BaseUrl {
        &self.site.config.base_url
    }

    /// An interface string in the site's language.
    fn t(&self, key: &str) -> String {
        let lang = self.theme.i18n.language(&self.site.config.language);
        lang.strings.get(key).cloned().unwrap_or_default()
    }

    /// "Topic", "Region", … in the site's language.
    fn kind_label(&self, kind: TermKind) -> String {
        self.t(match kind {
            TermKind::Series => "series_one",
            other => term_kind_name(other),
        })
    }

    /// A brief's `lang`, else the site's language.
    fn lang_code(&self, brief: &'a Brief) -> &'a str {
        brief.language(&self.site.config.language)
    }

    /// The other-language versions of a brief: every brief of its translation group, by
    /// language (the first in site order for a language there twice), so that each version
    /// lists all the others, as search engines ask of `hreflang`. Looked up, not searched for,
    /// so that rendering every brief stays linear in the number of briefs.
    fn translations(&self, brief: &'a Brief) -> Vec<TranslationLink<'a>> {
        let Some(group) = self
            .positions
            .get(brief.slug.as_str())
            .and_then(|i| self.translation_groups.get(i))
        else {
            return Vec::new();
        };
        let own = self.lang_code(brief);
        let mut found: BTreeMap<&str, &Brief> = BTreeMap::new();
        // Not the brief, nor another of its language (two briefs in one language naming the
        // same translation are not translations of each other).
        for other in group.iter().map(|&i| &self.site.briefs[i]) {
            if other.slug != brief.slug && self.lang_code(other) != own {
                found.entry(self.lang_code(other)).or_insert(other);
            }
        }
        found
            .into_iter()
            .map(|(lang, other)| TranslationLink {
                lang,
                name: self.language_of(other).name().to_string(),
                title: &other.front.title,
                path: self.base().path_of(&other.site_path()),
                url: self.base().url_of(&other.site_path()),
            })
            .collect()
    }

    /// The brief's TOC with the entries the engine adds (Recommendations, Notes) titled in
    /// the brief's language; the components rendering a TOC see only the entries.
    fn back_matter_titles(&self, brief: &'a Brief, body: &Body) -> Vec<TocEntry> {
        let strings = &self.language_of(brief).strings;
        let mut toc = body.toc.clone();
        for entry in &mut toc {
            let key = match entry.id.as_str() {
                crate::markdown::toc::RECOMMENDATIONS_ID => "recommendations",
                crate::markdown::toc::NOTES_ID => "notes",
                crate::markdown::toc::REFERENCES_ID => "references",
                _ => continue,
            };
            if let Some(title) = strings.get(key) {
                entry.title = title.clone();
            }
        }
        toc
    }

    /// The strings and date format of a brief's language.
    fn language_of(&self, brief: &Brief) -> &'a crate::i18n::Language {
        let code = brief.front.lang.as_deref();
        self.theme
            .i18n
            .language(code.unwrap_or(&self.site.config.language))
    }

    /// Links pages to the published names of the static files (`style.3f2a1c0b.css` for
    /// `style.css` with `hash_assets`, else their own), through the `assets` map that
    /// `asset_path()` reads.
    pub fn with_assets(mut self, assets: &crate::assets::Assets) -> Self {
        let mut paths: BTreeMap<&str, String> = assets
            .names
            .iter()
            .map(|(name, published)| (name.as_str(), self.base().path_of(published)))
            .collect();
        // Every other published file under its own name, so that a name that is not one is
        // an error of `asset_path()`, not a broken link.
        let published = (assets.copies.iter().map(|f| f.site_path.as_str()))
            .chain(assets.written.iter().map(|(path, _)| path.as_str()));
        for path in published {
            if !paths.contains_key(path) {
                paths.insert(path, self.base().path_of(path));
            }
        }
        self.globals.insert("assets", &paths);
        self
    }

    /// Renders one job to HTML.
    pub fn render(&self, job: Job) -> Result<String, Diagnostic> {
        let mut context = self.page_context(&job);
        let (template, source) = self.fill(job, &mut context)?;
        let html = self.theme.render(template, &context, source)?;
        Ok(match self.site.config.minify {
            true => crate::assets::minify_html(&html),
            false => html,
        })
    }

    /// What every page sees: the globals, its own address, and its metadata for machines.
    fn page_context(&self, job: &Job) -> Context {
        let mut context = self.globals.clone();
        let site_path = job.site_path();
        context.insert("page_url", &self.base().url_of(&site_path));
        context.insert("page_path", &self.base().path_of(&site_path));
        let canonical_url = seo::canonical_url(job, self.base().url_of(&site_path));
        context.insert("canonical_url", &canonical_url);
        context.insert("noindex", &seo::noindex(self.site, job));
        if let Job::Brief(brief) = job {
            context.insert("citation_meta", &seo::citation::tags(self.site, brief));
        }
        let json_ld = seo::json_ld::for_job(self.site, job);
        context.insert("json_ld", &json_ld.map(|v| seo::json_ld::to_script(&v)));
        context.insert(
            "feeds",
            &seo::feed::alternates(self.site, job, &self.theme.i18n),
        );
        context
    }

    /// Adds what the job's template shows; returns the template and the file named in its
    /// errors (the brief's or page's own, else the template).
    fn fill(&self, job: Job<'a>, context: &mut Context) -> Result<(&'a str, &'a Path), Diagnostic> {
        let fixed = |template: &'static str| (template, Path::new(template));
        Ok(match job {
            Job::Home => {
                self.home(context);
                fixed("index.html")
            }
            Job::Brief(brief) => {
                self.brief_page(brief, context)?;
                let template = brief.front.template.as_deref();
                (template.unwrap_or("brief.html"), &brief.source)
            }
            Job::Author(author, page) => {
                let briefs = self.site.taxonomies.briefs_by(&author.id);
                self.paginate(context, briefs, &author.site_path(), page);
                context.insert("author", &self.author_view(author));
                ("author.html", &author.source)
            }
            Job::Archive(page) => {
                self.archive(page, context);
                fixed("list.html")
            }
            Job::Term(term, page) => {
                self.term_list(term, page, context);
                fixed("list.html")
            }
            Job::Terms(kind) => {
                self.terms_index(kind, context);
                fixed("terms.html")
            }
            Job::Authors => {
                self.authors_index(context);
                fixed("authors.html")
            }
            Job::Page(page) => {
                context.insert("page", &self.page_view(page));
                let template = page.front.template.as_deref();
                (template.unwrap_or("page.html"), &page.source)
            }
            Job::NotFound => fixed("404.html"),
            Job::Search => {
                context.insert("search", &self.search_view());
                fixed("search.html")
            }
        })
    }

    /// A brief's page: the brief in its own language, and its related briefs.
    fn brief_page(&self, brief: &'a Brief, context: &mut Context) -> Result<(), Diagnostic> {
        // Read back for this page alone: the site model does not hold the briefs' bodies.
        let body = brief.body.get()?;
        context.insert("brief", &self.brief_view(brief, &body));
        context.insert("lang", self.lang_code(brief));
        context.insert("dir", crate::i18n::direction(self.lang_code(brief)));
        context.insert("t", &self.language_of(brief).strings);
        let related = match self.positions.get(brief.slug.as_str()) {
            Some(&i) => self.site.related[i].as_slice(),
            None => &[],
        };
        context.insert("related", &self.cards(related));
        Ok(())
    }

    /// One page of the archive of every brief.
    fn archive(&self, page: usize, context: &mut Context) {
        let all = &self.all;
        self.paginate(context, all, ARCHIVE, page);
        let list = ListView {
            kind: "archive",
            label: None,
            title: self.t("all_briefs"),
            count: all.len(),
            path: self.base().path_of(ARCHIVE),
            url: self.base().url_of(ARCHIVE),
            index: None,
        };
        context.insert("list", &list);
    }

    /// One page of a term's listing.
    fn term_list(&self, term: &'a Term, page: usize, context: &mut Context) {
        self.paginate(context, &term.briefs, &term.site_path(), page);
        let list = ListView {
            kind: term_kind_name(term.kind),
            label: Some(self.kind_label(term.kind)),
            title: term.name.clone(),
            count: term.briefs.len(),
            path: self.base().path_of(&term.site_path()),
            url: self.base().url_of(&term.site_path()),
            index: Some(self.kind_view(term.kind)),
        };
        context.insert("list", &list);
    }

    /// The index of one kind of term.
    fn terms_index(&self, kind: TermKind, context: &mut Context) {
        let terms: Vec<_> = self
            .site
            .taxonomies
            .terms(kind)
            .iter()
            .map(|t| self.term_view(t))
            .collect();
        context.insert("kind", &self.kind_view(kind));
        context.insert("terms", &terms);
    }

    /// The index of all authors, by name, with their number of briefs.
    fn authors_index(&self, context: &mut Context) {
        let mut authors: Vec<_> = self
            .site
            .authors
            .values()
            .map(|a| AuthorEntry {
                author: self.author_view(a),
                count: self.site.taxonomies.briefs_by(&a.id).len(),
            })
            .collect();
        authors.sort_by(|a, b| {
            (a.author.name.to_lowercase(), a.author.id)
                .cmp(&(b.author.name.to_lowercase(), b.author.id))
        });
        context.insert("authors", &authors);
    }

    fn search_view(&self) -> SearchView {
        let base = self.base();
        SearchView {
            path: base.path_of(SEARCH),
            url: base.url_of(SEARCH),
            index_path: base.path_of(SEARCH_INDEX),
            archive_path: base.path_of(ARCHIVE),
            topics_path: base.path_of(&TermKind::Topic.site_path()),
            authors_path: base.path_of(AUTHORS),
        }
    }

    /// The home page: the featured brief (the newest with `featured = true`, else the newest),
    /// the latest others (one page's worth), and the programs and topics.
    fn home(&self, context: &mut Context) {
        let briefs = &self.site.briefs;
        let featured = briefs
            .iter()
            .position(|b| b.front.featured)
            .or((!briefs.is_empty()).then_some(0));
        let latest: Vec<usize> = (0..briefs.len())
            .filter(|&i| Some(i) != featured)
            .take(self.site.config.paginate_by)
            .collect();
        // The sidebar names the terms most written on, in name order: an archive's hundreds of
        // tags would make it longer than the page; the index page lists them all.
        let terms = |kind| -> Vec<TermView> {
            let all = self.site.taxonomies.terms(kind);
            let mut shown: Vec<usize> = (0..all.len()).collect();
            shown.sort_by_key(|&i| std::cmp::Reverse(all[i].briefs.len()));
            shown.truncate(HOME_TERMS);
            shown.sort_unstable();
            shown.into_iter().map(|i| self.term_view(&all[i])).collect()
        };
        let index = |kind: TermKind| {
            let count = self.site.taxonomies.terms(kind).len();
            (count > HOME_TERMS).then(|| TermsIndexLink {
                path: self.base().path_of(&kind.site_path()),
                count,
            })
        };
        context.insert("programs_index", &index(TermKind::Program));
        context.insert("topics_index", &index(TermKind::Topic));
        context.insert("featured", &featured.map(|i| self.card_value(i)));
        context.insert("briefs", &self.cards(&latest));
        context.insert("brief_count", &briefs.len());
        context.insert("archive_path", &self.base().path_of(ARCHIVE));
        context.insert("programs", &terms(TermKind::Program));
        context.insert("topics", &terms(TermKind::Topic));
    }

    /// Puts page `page` of the briefs `indexes` (into `site.briefs`) in `briefs`, and the
    /// `paginator` for the list at `list_path`.
    fn paginate(&self, context: &mut Context, indexes: &[usize], list_path: &str, page: usize) {
        let per_page = self.site.config.paginate_by;
        context.insert("briefs", &self.cards(page_items(indexes, per_page, page)));
        let total = page_count(indexes.len(), per_page);
        context.insert(
            "paginator",
            &Paginator::new(self.base(), list_path, page, total),
        );
    }

    fn cards(&self, indexes: &[usize]) -> Vec<tera::Value> {
        indexes.iter().map(|&i| self.card_value(i)).collect()
    }

    /// The card of `site.briefs[index]`, made once (see [`Renderer::cards`]'s field).
    fn card_value(&self, index: usize) -> tera::Value {
        // A page that panicked while holding the lock left the cards usable.
        let cards = self.cards.read().unwrap_or_else(|e| e.into_inner());
        cards[index]
            .get_or_init(|| tera::Value::from_serializable(&self.card(&self.site.briefs[index])))
            .clone()
    }

    /// Frees the cards made so far, once the pages are rendered: the outputs written after
    /// them (feeds, citation files, the search index) need none, and a later page makes its
    /// cards again.
    pub fn forget_cards(&self) {
        let mut cards = self.cards.write().unwrap_or_else(|e| e.into_inner());
        for card in cards.iter_mut() {
            card.take();
        }
    }

    fn term_view(&self, term: &'a Term) -> TermView<'a> {
        TermView {
            kind: term.kind,
            label: self.kind_label(term.kind),
            name: &term.name,
            slug: &term.slug,
            path: self.base().path_of(&term.site_path()),
            url: self.base().url_of(&term.site_path()),
            count: term.briefs.len(),
        }
    }

    fn kind_view(&self, kind: TermKind) -> KindView {
        KindView {
            kind,
            title: self.t(kind.plural()),
            label: self.kind_label(kind),
            path: self.base().path_of(&kind.site_path()),
            url: self.base().url_of(&kind.site_path()),
        }
    }

    /// Links to the terms a brief names, in its order, each once; a value without letters or
    /// digits has no listing and no link.
    fn term_links(&self, kind: TermKind, brief: &Brief) -> Vec<TermView<'a>> {
        let mut seen = HashSet::new();
        kind.values(brief)
            .into_iter()
            .filter_map(|value| self.site.taxonomies.term(kind, value))
            .filter(|term| seen.insert(term.slug.as_str()))
            .map(|term| self.term_view(term))
            .collect()
    }

    fn asset(&self, asset: &Asset) -> String {
        match asset {
            Asset::External(url) => url.clone(),
            Asset::Local { site_path } => self.base().file_path_of(site_path),
        }
    }

    /// The addresses of an image's variants under the site's base path.
    fn image_view(&self, job: &crate::images::Job) -> crate::images::View {
        let base = self.base();
        job.picture
            .view(&|name| base.file_path_of(&format!("{}{name}", job.out_dir)))
    }

    fn card_with<A>(&self, brief: &'a Brief, authors: Vec<A>) -> BriefCard<'a, A> {
        let front = &brief.front;
        let site_path = brief.site_path();
        BriefCard {
            slug: &brief.slug,
            title: &front.title,
            subtitle: front.subtitle.as_deref(),
            summary: &brief.summary,
            date: front.date.iso(),
            date_display: self.language_of(brief).date(front.date),
            lang: self.lang_code(brief),
            updated: front.updated.map(|d| d.iso()),
            updated_display: front.updated.map(|d| self.language_of(brief).date(d)),
            authors,
            program: front.program.as_deref(),
            series: front.series.as_deref(),
            topics: &front.topics,
            regions: &front.regions,
            path: self.base().path_of(&site_path),
            url: self.base().url_of(&site_path),
            reading_time: reading_time(brief.word_count),
            word_count: brief.word_count,
            draft: front.draft,
            hero: front.hero.as_ref().map(|hero| HeroView {
                image: brief.hero_image.as_ref().map(|a| self.asset(a)),
                picture: brief.hero_picture.as_ref().map(|job| self.image_view(job)),
                // Shared links show the 1200x630 card made from the hero, when there is one.
                image_url: brief
                    .social_card
                    .as_ref()
                    .or(brief.hero_image.as_ref())
                    .map(|a| seo::asset_url(self.base(), a)),
                alt: hero.alt.as_deref(),
                caption: brief.hero_caption.as_deref(),
                credit: hero.credit.as_deref(),
            }),
            featured: front.featured,
            topic_links: self.term_links(TermKind::Topic, brief),
            region_links: self.term_links(TermKind::Region, brief),
            program_link: self.term_links(TermKind::Program, brief).pop(),
            series_link: self.term_links(TermKind::Series, brief).pop(),
        }
    }

    fn card(&self, brief: &'a Brief) -> BriefCard<'a, AuthorRef<'a>> {
        let authors = self
            .authors_of(brief)
            .map(|author| AuthorRef {
                id: &author.id,
                name: &author.front.name,
                path: self.base().path_of(&author.site_path()),
                url: self.base().url_of(&author.site_path()),
            })
            .collect();
        self.card_with(brief, authors)
    }

    fn brief_view<'b>(&'b self, brief: &'a Brief, body: &'b Body) -> BriefView<'b> {
        let authors = self
            .authors_of(brief)
            .map(|a| self.author_view(a))
            .collect();
        let mut page = crate::brief_page::extras(self.site, brief, self.language_of(brief));
        if let Some(original) = &mut page.originally_published {
            let date = brief
                .front
                .originally_published
                .as_ref()
                .and_then(|o| o.date);
            original.date_display = date.map(|d| self.language_of(brief).date(d));
        }
        BriefView {
            card: self.card_with(brief, authors),
            body: &body.html,
            toc: self.back_matter_titles(brief, body),
            show_toc: brief.show_toc && !body.toc.is_empty(),
            key_takeaways: &brief.key_takeaways,
            notes: &body.notes,
            extra: &brief.front.extra,
            translations: self.translations(brief),
            page,
        }
    }

    /// The brief's authors in byline order; ids were checked when the site loaded.
    fn authors_of(&self, brief: &'a Brief) -> impl Iterator<Item = &'a Author> + 'a {
        let authors = &self.site.authors;
        brief
            .front
            .authors
            .iter()
            .filter_map(move |id| authors.get(id))
    }

    fn author_view(&self, author: &'a Author) -> AuthorView<'a> {
        let front = &author.front;
        AuthorView {
            id: &author.id,
            name: &front.name,
            title: front.title.as_deref(),
            affiliation: front.affiliation.as_deref(),
            photo: author.photo.as_ref().map(|a| self.asset(a)),
            photo_image: author
                .photo_picture
                .as_ref()
                .map(|job| self.image_view(job)),
            photo_url: author
                .photo
                .as_ref()
                .map(|a| seo::asset_url(self.base(), a)),
            bio: &author.bio,
            notes: &author.notes,
            notes_title_id: format!(
                "{}notes-title",
                crate::markdown::headings::bio_prefix(&author.id)
            ),
            path: self.base().path_of(&author.site_path()),
            url: self.base().url_of(&author.site_path()),
            links: &author.links,
            extra: &front.extra,
        }
    }

    fn page_view(&self, page: &'a Page) -> PageView<'a> {
        PageView {
            title: &page.front.title,
            summary: page.front.summary.as_deref(),
            body: &page.body,
            notes: &page.notes,
            path: self.base().path_of(&page.site_path()),
            url: self.base().url_of(&page.site_path()),
            extra: &page.front.extra,
        }
    }
}

fn term_kind_name(kind: TermKind) -> &'static str {
    match kind {
        TermKind::Topic => "topic",
        TermKind::Region => "region",
        TermKind::Program => "program",
        TermKind::Series => "series",
    }
}

/// The header navigation: `[[menu]]` from config.toml, or Briefs, Topics, Authors and the
/// plain pages.
fn menu(site: &Site, pages: &[PlainPageLink], lang: &crate::i18n::Language) -> Vec<MenuLink> {
    let base = &site.config.base_url;
    let Some(items) = &site.config.menu else {
        let sections = [
            ("briefs", ARCHIVE.to_string()),
            ("topics", TermKind::Topic.site_path()),
            ("authors", AUTHORS.to_string()),
            ("search", SEARCH.to_string()),
        ];
        let own = sections.into_iter().map(|(key, path)| MenuLink {
            name: lang.strings.get(key).cloned().unwrap_or_default(),
            path: base.path_of(&path),
            external: false,
        });
        // A few plain pages (About, Contact) join the header; an imported archive's dozen
        // would wrap it over three lines, so past that they are in the footer only, which
        // always lists them. `[[menu]]` chooses otherwise.
        let plain = pages
            .iter()
            .filter(|_| pages.len() <= MENU_PAGES)
            .map(|p| MenuLink {
                name: p.title.clone(),
                path: p.path.clone(),
                external: false,
            });
        return own.chain(plain).collect();
    };
    items
        .iter()
        .map(|item| MenuLink {
            name: item.name.clone(),
            path: item.href(base),
            external: matches!(item.target, MenuTarget::External(_)),
        })
        .collect()
}
