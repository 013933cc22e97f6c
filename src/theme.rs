//! Stage 4a: the theme. Its templates (with the site's `templates/` overriding any of the same
//! name) compiled into one tera instance, and the static files it ships.
//!
//! The default theme is also embedded in the binary, so a site without a `themes/default`
//! folder (as `brief init` makes them) builds with it and gets its fixes with each release.
//!
//! A theme's `theme.toml` says what it is ([`Manifest`]): its name, the templates it provides
//! and the ids its templates write on pages, which no heading of a body may take. The markup
//! inside bodies comes from its `templates/fragments/` ([`crate::markdown::fragments`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::{Context, ErrorKind, Tera};

use serde::Deserialize;

use crate::error::{Diagnostic, Errors, Kind, Location, line_col};
use crate::fsutil::{read_text, relative};
use crate::markdown::fragments::Markup;

/// The default theme as it was when the binary was built.
pub static DEFAULT_THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default");
pub const DEFAULT_THEME_NAME: &str = "default";
/// The note `brief init` leaves in a site's `templates/`; it is not a template.
pub const TEMPLATES_README: &str = "templates/README.md";

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Disk(PathBuf),
    Embedded(&'static [u8]),
    /// An image of the file on disk with its metadata removed ([`crate::images::strip`]).
    Stripped {
        from: PathBuf,
        bytes: Vec<u8>,
    },
}

/// A file copied as is into the output, at `site_path`.
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub site_path: String,
    pub source: StaticSource,
}

/// Compiled templates and the theme's static files.
pub struct Theme {
    tera: Tera,
    /// Template name -> the file it came from, relative to the site root, for messages.
    origins: HashMap<String, String>,
    pub static_files: Vec<StaticFile>,
    /// Interface strings and date formats, by language (the theme's `i18n/` folder).
    pub i18n: crate::i18n::Catalog,
    /// The fragments of Markdown bodies and the ids the theme reserves.
    pub markup: Markup,
    /// What the theme's theme.toml says.
    pub manifest: Manifest,
}

/// A theme's `theme.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub version: String,
    /// Ids the theme's templates write on pages that show Markdown; `None` when theme.toml
    /// does not say, and then the default theme's are reserved.
    #[serde(default)]
    pub reserved_ids: Option<Vec<String>>,
    /// The templates the theme provides, each checked to exist.
    #[serde(default)]
    pub templates: Vec<toml::Spanned<String>>,
    /// The file's text and where it is, for messages.
    #[serde(skip)]
    source: (String, String),
}

impl Manifest {
    /// Parses theme.toml; `origin` (relative to the site root) names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Manifest, Diagnostic> {
        let mut manifest: Manifest = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            Diagnostic::new(Kind::Config, e.message().trim().to_string())
                .at(Location::at(origin, line, column))
                .help("theme.toml holds name, description, version, reserved_ids = [\"…\"] and templates = [\"…\"]")
        })?;
        manifest.source = (text.to_string(), origin.to_string());
        Ok(manifest)
    }

    /// The default theme's theme.toml, as built into the binary.
    pub fn builtin() -> Manifest {
        let text = DEFAULT_THEME
            .get_file("theme.toml")
            .and_then(|f| f.contents_utf8())
            .unwrap_or_default();
        Manifest::parse(text, "theme.toml").expect("the default theme's theme.toml is valid")
    }

    /// The ids no heading may take: the theme's, else the default theme's.
    pub fn reserved_ids(&self) -> Vec<String> {
        match &self.reserved_ids {
            Some(ids) => ids.clone(),
            None => Manifest::builtin().reserved_ids.unwrap_or_default(),
        }
    }
}

/// The line of config.toml's `theme = ...`, at its value, for an error about the theme it
/// names (the whole file when it cannot be found).
fn theme_key_location(root: &Path) -> Location {
    let text = std::fs::read_to_string(root.join("config.toml")).unwrap_or_default();
    let found = text.lines().enumerate().find_map(|(i, line)| {
        let value = line.strip_prefix("theme")?.trim_start().strip_prefix('=')?;
        let column = line.len() - value.trim_start().len() + 1;
        Some(Location::at("config.toml", i + 1, column))
    });
    found.unwrap_or_else(|| Location::file("config.toml"))
}

impl Theme {
    /// Loads the theme named in config, then the site's template overrides.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Errors> {
        let theme_dir = root.join("themes").join(name);
        let mut templates: Vec<(String, String, String)> = Vec::new(); // (name, origin, text)
        let mut errors = Errors::default();
        let mut static_files;
        let i18n_files;
        let manifest;
        if theme_dir.is_dir() {
            manifest = disk_manifest(root, &theme_dir, name);
            // Without an i18n/ folder of its own a theme speaks every language the default
            // theme does; with one, its own, over the default theme's English.
            i18n_files = match theme_dir.join("i18n").is_dir() {
                true => crate::i18n::disk_files(root, &theme_dir.join("i18n")),
                false => Ok(embedded_i18n()),
            };
            collect_templates(
                root,
                &theme_dir.join("templates"),
                &mut templates,
                &mut errors,
            );
            static_files = disk_static(&theme_dir.join("static"));
            // A theme written before these files existed gets the built-in ones, when they fit
            // its base.html (they fill its title, head and content blocks): in another theme
            // they would fail, in the built-in theme's name.
            let fits = templates.iter().any(|(n, _, text)| {
                n == "base.html"
                    && ["title", "head", "content"]
                        .iter()
                        .all(|b| text.contains(&format!("block {b} ")))
            });
            for name in SINCE_ADDED_TEMPLATES {
                if fits
                    && !templates.iter().any(|(n, _, _)| n == name)
                    && let Some(text) = embedded_template(name)
                {
                    let origin = format!("(built-in default theme) templates/{name}");
                    templates.push((name.to_string(), origin, text.to_string()));
                }
            }
            static_files.splice(0..0, missing_embedded_static(&static_files));
        } else if name == DEFAULT_THEME_NAME {
            manifest = Ok(Manifest::builtin());
            embedded_templates(&mut templates);
            static_files = embedded_static();
            i18n_files = Ok(embedded_i18n());
        } else {
            return Err(Diagnostic::new(Kind::Config, format!("theme `{name}` not found: there is no folder themes/{name}"))
                .at(theme_key_location(root))
                .help(format!("set theme = \"{DEFAULT_THEME_NAME}\" (built in), or add the theme's folder under themes/"))
                .into());
        }
        // A theme without English strings of its own uses the default theme's.
        let english = embedded_i18n()
            .into_iter()
            .find(|f| f.code == crate::i18n::FALLBACK);
        let i18n = i18n_files.and_then(|files| {
            crate::i18n::Catalog::new(files, english, &format!("themes/{name}/i18n"))
        });
        let i18n = match i18n {
            Ok(catalog) => catalog,
            Err(diagnostic) => {
                errors.push(diagnostic);
                Default::default()
            }
        };
        let manifest = manifest.unwrap_or_else(|diagnostic| {
            errors.push(diagnostic);
            Manifest::default()
        });
        check_provided(&manifest, &templates, name, &mut errors);
        // The site's own templates replace the theme's of the same name.
        collect_templates(root, &root.join("templates"), &mut templates, &mut errors);
        if theme_dir.is_dir() {
            check_always_rendered(&templates, name, &mut errors);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut origins = HashMap::new();
        let mut by_name: HashMap<String, String> = HashMap::new();
        for (name, origin, text) in templates {
            origins.insert(name.clone(), origin);
            by_name.insert(name, text);
        }
        let fragments = by_name
            .iter()
            .filter(|(name, _)| name.starts_with("fragments/"))
            .map(|(name, text)| (name.clone(), text.clone()));
        let markup = Markup::new(fragments, &manifest.reserved_ids())
            .map_err(|e| template_error(&e, &origins))?
            .with_i18n(i18n.clone());
        let mut tera = Tera::new();
        tera.register_function("asset_path", asset_path);
        tera.register_filter(
            "og_locale",
            |tag: &str, _: tera::Kwargs, _: &tera::State| crate::seo::og_locale(tag),
        );
        let catalog = i18n.clone();
        tera.register_function("t", move |kwargs: tera::Kwargs, state: &tera::State| {
            translate(&catalog, kwargs, state)
        });
        let mut sorted: Vec<_> = by_name.into_iter().collect();
        sorted.sort();
        tera.add_raw_templates(sorted)
            .map_err(|e| template_error(&e, &origins))?;
        for required in [
            "index.html",
            "brief.html",
            "author.html",
            "page.html",
            "404.html",
            "list.html",
            "terms.html",
            "authors.html",
        ] {
            if !tera.contains_template(required) {
                errors.push(
                    Diagnostic::new(
                        Kind::Template,
                        format!("the theme has no template `{required}`"),
                    )
                    .in_file(format!("themes/{name}/templates"))
                    .help(format!(
                        "add templates/{required} to the site or to the theme"
                    )),
                );
            }
        }
        errors.into_result(Theme {
            tera,
            origins,
            static_files,
            i18n,
            markup,
            manifest,
        })
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `template`; a failure becomes a diagnostic naming the template file and the
    /// document that was being rendered.
    pub fn render(
        &self,
        template: &str,
        context: &Context,
        rendering: &Path,
    ) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|e| {
            let mut diagnostic = template_error(&e, &self.origins);
            diagnostic.message = format!(
                "{} (while rendering {})",
                diagnostic.message,
                rendering.display()
            );
            diagnostic
        })
    }
}

/// theme.toml of a theme on disk; a theme without one is named after its folder.
fn disk_manifest(root: &Path, theme_dir: &Path, name: &str) -> Result<Manifest, Diagnostic> {
    let path = theme_dir.join("theme.toml");
    if !path.is_file() {
        return Ok(Manifest {
            name: name.to_string(),
            ..Manifest::default()
        });
    }
    let origin = relative(&path, root);
    let text = read_text(&path, &origin)?;
    Manifest::parse(&text, &origin.display().to_string().replace('\\', "/"))
}

/// An error for each template theme.toml lists that the theme does not have.
fn check_provided(
    manifest: &Manifest,
    templates: &[(String, String, String)],
    name: &str,
    errors: &mut Errors,
) {
    let (text, origin) = &manifest.source;
    for template in &manifest.templates {
        if templates.iter().any(|(n, _, _)| n == template.get_ref()) {
            continue;
        }
        let (line, column) = line_col(text, template.span().start);
        errors.push(
            Diagnostic::new(
                Kind::Template,
                format!(
                    "theme.toml lists template `{}`, which the theme does not have",
                    template.get_ref()
                ),
            )
            .at(Location::at(origin, line, column))
            .help(format!(
                "add themes/{name}/templates/{}, or remove it from `templates`",
                template.get_ref()
            )),
        );
    }
}

/// The templates of the pages every site has: the home page, the briefs' listing, the
/// authors' page, the 404 page and the search page.
const ALWAYS_RENDERED: &[&str] = &[
    "index.html",
    "list.html",
    "authors.html",
    "404.html",
    "search.html",
];

/// A theme on disk must have a template for each page every site has (its own, or the
/// site's in templates/).
fn check_always_rendered(templates: &[(String, String, String)], name: &str, errors: &mut Errors) {
    let missing: Vec<&str> = ALWAYS_RENDERED
        .iter()
        .copied()
        .filter(|t| !templates.iter().any(|(n, _, _)| n == t))
        .collect();
    if missing.is_empty() {
        return;
    }
    errors.push(
        Diagnostic::new(
            Kind::Template,
            format!(
                "theme `{name}` has no {}: every site has the home page, the briefs' listing, the authors' page, the 404 page and the search page",
                missing.join(", ")
            ),
        )
        .in_file(format!("themes/{name}/templates"))
        .help(format!(
            "add them to themes/{name}/templates/ (brief's own are in its repository's themes/default/templates/, see docs/theming.md; its search.html needs a base.html with title, head and content blocks), or set theme = \"{DEFAULT_THEME_NAME}\" in config.toml"
        )),
    );
}

/// Templates and static files added to the default theme after themes were first written; a
/// theme on disk without them gets the built-in ones (the search page and its script).
const SINCE_ADDED_TEMPLATES: &[&str] = &["search.html"];
const SINCE_ADDED_STATIC: &[&str] = &["search.js"];

fn embedded_template(name: &str) -> Option<&'static str> {
    DEFAULT_THEME
        .get_file(format!("templates/{name}"))
        .and_then(|f| f.contents_utf8())
}

fn missing_embedded_static(have: &[StaticFile]) -> Vec<StaticFile> {
    SINCE_ADDED_STATIC
        .iter()
        .filter(|name| !have.iter().any(|f| f.site_path == **name))
        .filter_map(|name| {
            let file = DEFAULT_THEME.get_file(format!("static/{name}"))?;
            Some(StaticFile {
                site_path: name.to_string(),
                source: StaticSource::Embedded(file.contents()),
            })
        })
        .collect()
}

/// `asset_path(path="style.css")`: the address of a file of `static/`, under the name it is
/// published with: `style.3f2a1c0b.css` when assets are named by content, else `style.css`,
/// from the `assets` map of the page context (filled by [`crate::render::Renderer`] with
/// every static file). A name that is not there is an error: the link would be broken.
fn asset_path(kwargs: tera::Kwargs, state: &tera::State) -> tera::TeraResult<String> {
    let path: String = kwargs.must_get("path")?;
    let path = path.trim_start_matches('/');
    let assets: Option<tera::Value> = state.get("assets")?;
    let map = assets.as_ref().and_then(tera::Value::as_map);
    if let Some(found) = map
        .and_then(|m| m.get(&tera::value::Key::String(path.into())))
        .and_then(tera::Value::as_str)
    {
        return Ok(found.to_string());
    }
    if map.is_some_and(|m| !m.is_empty()) {
        return Err(tera::Error::message(format!(
            "asset_path: there is no static file `{path}` (in the theme's static/ or the site's static/ folder); check its name"
        )));
    }
    let site: Option<tera::Value> = state.get("site")?;
    let root = site
        .as_ref()
        .and_then(tera::Value::as_map)
        .and_then(|m| m.get(&tera::value::Key::String("root".into())))
        .and_then(tera::Value::as_str)
        .unwrap_or("/")
        .to_string();
    Ok(format!("{root}{path}"))
}

/// `t(key="briefs_count", n=3)`: the string `key` in the page's language (the `lang` of the
/// context), in the CLDR plural form for `n` when `n` is given, with `{n}` filled in.
fn translate(
    catalog: &crate::i18n::Catalog,
    kwargs: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<String> {
    let key: String = kwargs.must_get("key")?;
    let n: Option<i64> = kwargs.get("n")?;
    let lang: Option<String> = state.get("lang")?;
    let language = catalog.language(lang.as_deref().unwrap_or(crate::i18n::FALLBACK));
    Ok(language.t(&key, n))
}

/// A tera error as a diagnostic: tera's own report already shows the template line with the
/// problem underlined, so it is passed through; we add which file the template is and its line.
fn template_error(err: &tera::Error, origins: &HashMap<String, String>) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(Kind::Template, "template error").detail(err.to_string());
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let origin = origins
                .get(report.filename())
                .cloned()
                .unwrap_or_else(|| report.filename().to_string());
            let span = report.span();
            diagnostic.message = report.message().to_string();
            diagnostic = diagnostic.at(Location::at(origin, span.start_line, span.start_col + 1));
        }
        _ => {
            // Errors without a span (a missing parent template, say) still name the template.
            let report = err.to_string();
            let origin = origins
                .iter()
                .filter(|(name, _)| report.contains(name.as_str()))
                .max_by_key(|(name, _)| name.len())
                .map(|(_, origin)| origin.clone());
            diagnostic.message = report;
            diagnostic.detail = None;
            if let Some(origin) = origin {
                diagnostic = diagnostic.in_file(origin);
            }
        }
    }
    let mut cause = std::error::Error::source(err);
    while let Some(inner) = cause {
        let detail = diagnostic.detail.take().unwrap_or_default();
        diagnostic.detail = Some(format!("{detail}\ncaused by: {inner}"));
        cause = inner.source();
    }
    diagnostic.help(
        "fix the template at the line shown; https://keats.github.io/tera/ documents the syntax",
    )
}

fn collect_templates(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, String, String)>,
    errors: &mut Errors,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in crate::ignored::site_files(dir) {
        if entry.path() == root.join(TEMPLATES_README) {
            continue;
        }
        let name = relative(entry.path(), dir)
            .to_string_lossy()
            .replace('\\', "/");
        let origin = relative(entry.path(), root);
        match read_text(entry.path(), &origin) {
            Ok(text) => {
                out.retain(|(n, _, _)| *n != name);
                out.push((name, origin.display().to_string(), text));
            }
            Err(diagnostic) => errors.push(diagnostic),
        }
    }
}

fn embedded_templates(out: &mut Vec<(String, String, String)>) {
    let Some(templates) = DEFAULT_THEME.get_dir("templates") else {
        return;
    };
    for file in all_files(templates) {
        let name = file
            .path()
            .strip_prefix("templates")
            .unwrap_or(file.path())
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(text) = file.contents_utf8() {
            let origin = format!("(built-in default theme) templates/{name}");
            out.push((name, origin, text.to_string()));
        }
    }
}

/// The default theme's strings, for markup rendered without a theme (tests, `brief import`).
pub fn embedded_catalog() -> crate::i18n::Catalog {
    crate::i18n::Catalog::new(embedded_i18n(), None, "(built-in default theme) i18n")
        .expect("the default theme's strings parse")
}

/// The default theme's embedded i18n files.
fn embedded_i18n() -> Vec<crate::i18n::File> {
    let Some(dir) = DEFAULT_THEME.get_dir("i18n") else {
        return Vec::new();
    };
    all_files(dir)
        .into_iter()
        .filter_map(|file| {
            let code = file.path().file_stem()?.to_string_lossy().into_owned();
            Some(crate::i18n::File {
                origin: format!("(built-in default theme) i18n/{code}.toml"),
                code,
                text: file.contents_utf8()?.to_string(),
            })
        })
        .collect()
}

fn disk_static(dir: &Path) -> Vec<StaticFile> {
    if !dir.is_dir() {
        return Vec::new();
    }
    crate::ignored::site_files(dir)
        .map(|e| StaticFile {
            site_path: relative(e.path(), dir).to_string_lossy().replace('\\', "/"),
            source: StaticSource::Disk(e.path().to_path_buf()),
        })
        .collect()
}

/// The site's own `static/` folder, copied over the theme's files.
pub fn site_static(root: &Path) -> Vec<StaticFile> {
    disk_static(&root.join(crate::content::STATIC_DIR))
}

fn embedded_static() -> Vec<StaticFile> {
    let Some(dir) = DEFAULT_THEME.get_dir("static") else {
        return Vec::new();
    };
    all_files(dir)
        .into_iter()
        .map(|file| StaticFile {
            site_path: file
                .path()
                .strip_prefix("static")
                .unwrap_or(file.path())
                .to_string_lossy()
                .replace('\\', "/"),
            source: StaticSource::Embedded(file.contents()),
        })
        .collect()
}

/// Every file below an embedded folder, sorted by path.
pub fn all_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(all_files(sub));
    }
    files.sort_by_key(|f| f.path());
    files
}
