//! Stage 4b: what each template sees. The site model is turned into plain serialisable views
//! (with URLs resolved against base_url), and each output page is rendered through the theme.
//! The variables here are the theme contract documented in docs/theming.md.

use std::path::Path;

use serde::Serialize;
use tera::Context;

use crate::content::author::Link;
use crate::content::{Asset, Author, Brief, Page};
use crate::error::Diagnostic;
use crate::markdown::text::reading_time;
use crate::markdown::{Note, TocEntry};
use crate::site::Site;
use crate::theme::Theme;
use crate::urls::BaseUrl;

/// One page of output: what to render and where it goes.
#[derive(Debug, Clone, Copy)]
pub enum Job<'a> {
    Home,
    Brief(&'a Brief),
    Author(&'a Author),
    Page(&'a Page),
    NotFound,
}

impl Job<'_> {
    /// Site-relative path of the file this job writes.
    pub fn output_path(&self) -> String {
        match self {
            Job::Home => "index.html".into(),
            Job::Brief(b) => format!("{}index.html", b.site_path()),
            Job::Author(a) => format!("{}index.html", a.site_path()),
            Job::Page(p) => format!("{}index.html", p.site_path()),
            Job::NotFound => "404.html".into(),
        }
    }
}

/// Every page a site has, in a fixed order.
pub fn jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs = vec![Job::Home, Job::NotFound];
    jobs.extend(site.briefs.iter().map(Job::Brief));
    jobs.extend(site.authors.values().map(Job::Author));
    jobs.extend(site.pages.iter().map(Job::Page));
    jobs
}

/// Renders pages of one site with one theme.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    globals: Context,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    root: &'a str,
    extra: &'a toml::Table,
}

#[derive(Serialize)]
struct PageLink {
    title: String,
    path: String,
}

#[derive(Serialize)]
struct AuthorRef<'a> {
    id: &'a str,
    name: &'a str,
    path: String,
    url: String,
}

#[derive(Serialize)]
struct AuthorView<'a> {
    id: &'a str,
    name: &'a str,
    title: Option<&'a str>,
    affiliation: Option<&'a str>,
    photo: Option<String>,
    bio: &'a str,
    path: String,
    url: String,
    links: &'a [Link],
    extra: &'a toml::Table,
}

#[derive(Serialize)]
struct HeroView<'a> {
    image: Option<String>,
    alt: Option<&'a str>,
    caption: Option<&'a str>,
    credit: Option<&'a str>,
}

#[derive(Serialize)]
struct BriefCard<'a, A> {
    slug: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    summary: &'a str,
    date: String,
    date_display: String,
    updated: Option<String>,
    updated_display: Option<String>,
    authors: Vec<A>,
    program: Option<&'a str>,
    series: Option<&'a str>,
    topics: &'a [String],
    regions: &'a [String],
    path: String,
    url: String,
    reading_time: usize,
    word_count: usize,
    draft: bool,
    hero: Option<HeroView<'a>>,
}

#[derive(Serialize)]
struct BriefView<'a> {
    #[serde(flatten)]
    card: BriefCard<'a, AuthorView<'a>>,
    body: &'a str,
    toc: &'a [TocEntry],
    show_toc: bool,
    key_takeaways: &'a [String],
    notes: &'a [Note],
    extra: &'a toml::Table,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    body: &'a str,
    path: String,
    url: String,
    extra: &'a toml::Table,
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
            },
        );
        let pages: Vec<PageLink> = site
            .pages
            .iter()
            .map(|p| PageLink {
                title: p.front.title.clone(),
                path: config.base_url.path_of(&p.site_path()),
            })
            .collect();
        globals.insert("pages", &pages);
        globals.insert("lang", &config.language);
        globals.insert("drafts_shown", &drafts_shown);
        Renderer {
            site,
            theme,
            globals,
        }
    }

    fn base(&self) -> &BaseUrl {
        &self.site.config.base_url
    }

    /// Renders one job to HTML.
    pub fn render(&self, job: Job) -> Result<String, Diagnostic> {
        let mut context = self.globals.clone();
        let site_path = job.output_path().trim_end_matches("index.html").to_string();
        context.insert("page_url", &self.base().url_of(&site_path));
        context.insert("page_path", &self.base().path_of(&site_path));
        let (template, source): (&str, &Path) = match job {
            Job::Home => {
                let cards: Vec<_> = self.site.briefs.iter().map(|b| self.card(b)).collect();
                context.insert("briefs", &cards);
                ("index.html", Path::new("index.html"))
            }
            Job::Brief(brief) => {
                context.insert("brief", &self.brief_view(brief));
                (
                    brief.front.template.as_deref().unwrap_or("brief.html"),
                    &brief.source,
                )
            }
            Job::Author(author) => {
                let cards: Vec<_> = self
                    .site
                    .briefs_by(&author.id)
                    .map(|b| self.card(b))
                    .collect();
                context.insert("author", &self.author_view(author));
                context.insert("briefs", &cards);
                ("author.html", &author.source)
            }
            Job::Page(page) => {
                context.insert("page", &self.page_view(page));
                (
                    page.front.template.as_deref().unwrap_or("page.html"),
                    &page.source,
                )
            }
            Job::NotFound => ("404.html", Path::new("404.html")),
        };
        self.theme.render(template, &context, source)
    }

    fn asset(&self, asset: &Asset) -> String {
        match asset {
            Asset::External(url) => url.clone(),
            Asset::Local { site_path } => self.base().path_of(site_path),
        }
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
            date_display: front.date.display(),
            updated: front.updated.map(|d| d.iso()),
            updated_display: front.updated.map(|d| d.display()),
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
                alt: hero.alt.as_deref(),
                caption: brief.hero_caption.as_deref(),
                credit: hero.credit.as_deref(),
            }),
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

    fn brief_view(&self, brief: &'a Brief) -> BriefView<'a> {
        let authors = self
            .authors_of(brief)
            .map(|a| self.author_view(a))
            .collect();
        BriefView {
            card: self.card_with(brief, authors),
            body: &brief.body,
            toc: &brief.toc,
            show_toc: brief.show_toc && !brief.toc.is_empty(),
            key_takeaways: &brief.key_takeaways,
            notes: &brief.notes,
            extra: &brief.front.extra,
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
            bio: &author.bio,
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
            path: self.base().path_of(&page.site_path()),
            url: self.base().url_of(&page.site_path()),
            extra: &page.front.extra,
        }
    }
}
