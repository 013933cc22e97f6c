use super::*;
use hayagriva::{ElemChild, Formatted as Text};

/// The site's works, none of a brief's own and no nocite, for a brief in `language`.
fn works_of<'a>(site: &'a Citations, language: &str) -> Works<'a> {
    Works {
        site,
        own: Library::new(),
        nocite: Vec::new(),
        language: language.to_string(),
    }
}

#[test]
fn locators_are_read_from_the_suffix() {
    assert!(matches!(
        locator("p. 33"),
        Some(SpecificLocator(Locator::Page, LocatorPayload::Str("33")))
    ));
    assert!(matches!(
        locator("chap. 2"),
        Some(SpecificLocator(Locator::Chapter, _))
    ));
    assert!(matches!(
        locator("33-35"),
        Some(SpecificLocator(Locator::Page, _))
    ));
    assert!(locator("emphasis added").is_none());
}

#[test]
fn formatted_text_is_escaped() {
    let children = ElemChildren(vec![ElemChild::Text(Text {
        text: "<b>&".into(),
        formatting: Default::default(),
    })]);
    assert_eq!(html(&children), "&lt;b&gt;&amp;");
}

#[test]
fn a_malformed_bibtex_file_is_reported_at_its_line() {
    let errors = parse(
        "@book{a,\n  title = {A}\n\n@book{b, title = {B}}\n",
        Path::new("refs.bib"),
    )
    .unwrap_err();
    assert!(!errors.is_empty());
    assert_eq!(
        errors[0].location.as_ref().unwrap().path,
        Path::new("refs.bib")
    );
}

#[test]
fn a_field_left_open_is_reported_at_its_own_line_not_the_next_entry() {
    let text = "% refs\n@book{ostrom1990,\n  author = {Ostrom, Elinor},\n  title  = {Governing the Commons,\n  year   = {1990},\n}\n\n@book{b, title = {B}, year = {2000}}\n";
    let errors = parse(text, Path::new("refs.bib")).unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "error: refs.bib:4:1: bibliography is not valid BibTeX: a `{` in entry `ostrom1990` is not closed on its line\n  help: close it with `}`: title = {The Title},"
    );
}

#[test]
fn a_field_over_two_lines_is_no_unclosed_brace() {
    let text = "@book{a,\n  abstract = {A long abstract\n    that runs on},\n  note = bar,\n  year = {1990},\n}\n";
    let errors = parse(text, Path::new("refs.bib")).unwrap_err();
    let shown = errors[0].to_string();
    assert!(!shown.contains("not closed"), "{shown}");
    assert!(shown.starts_with("error: refs.bib:4:"), "{shown}");
}

#[test]
fn an_unknown_style_name_suggests_the_closest() {
    let (message, help) = match style_source(Path::new("."), Some("chicago-note")) {
        Err(problem) => problem,
        Ok(_) => panic!("accepted an unknown style"),
    };
    assert!(message.contains("chicago-note"), "{message}");
    assert!(help.contains("did you mean \"chicago-notes\""), "{help}");
}

/// The fixture's bibliography, with two more works by the author of `ostrom1990` (one of the
/// same year) and one by another Ostrom, so that styles disambiguate and repeat authors; and
/// a reprint of `ostrom1990` that sorts alike.
fn library() -> Library {
    let mut text = include_str!("../../tests/fixtures/citations/references.bib").to_string();
    text.push_str(
        "@book{ostrom1990b, author = {Ostrom, Elinor}, title = {Rules, Games, and Common-Pool Resources}, publisher = {University of Michigan Press}, year = {1990}}\n\
         @book{ostrom2005, author = {Ostrom, Elinor}, title = {Understanding Institutional Diversity}, publisher = {Princeton University Press}, year = {2005}}\n\
         @article{ostromv1990, author = {Ostrom, Vincent}, title = {Governing the Commons}, journal = {Public Choice}, volume = {4}, pages = {1--9}, year = {1990}}\n\
         @book{ostrom1990r, author = {Ostrom, Elinor}, title = {Governing the Commons: The Evolution of Institutions for Collective Action}, publisher = {Reprint House}, year = {1990}}\n",
    );
    parse(&text, Path::new("references.bib")).unwrap()
}

fn cite(key: &str, prefix: &str, suffix: &str) -> crate::markdown::citations::Cite {
    crate::markdown::citations::Cite {
        key: key.to_string(),
        prefix: prefix.to_string(),
        suffix: suffix.to_string(),
        suppress_author: false,
    }
}

fn citation(cites: Vec<crate::markdown::citations::Cite>, narrative: bool) -> Citation {
    Citation {
        cites,
        narrative,
        in_note: false,
        notes_before: 0,
    }
}

/// Documents that put works in every position: first, subsequent, ibid (with and without
/// locator), near and far from the last note, narrative, several works in one citation.
fn documents() -> Vec<(Vec<Citation>, Vec<String>)> {
    let one = |key: &str, suffix: &str| citation(vec![cite(key, "", suffix)], false);
    let varied = vec![
        one("ostrom1990", ""),
        one("ostrom1990", ""),
        one("ostrom1990", "p. 33"),
        one("ostrom1990", "p. 34"),
        one("beauvoir1949", "chap. 2"),
        citation(
            vec![cite("acemoglu2019", "", ""), cite("un2015", "", "")],
            false,
        ),
        citation(
            vec![cite("gao2020", "see", "p. 4"), cite("lin2012", "", "")],
            false,
        ),
        citation(vec![cite("vanderberg2018", "", "")], true),
        one("fei2015", ""),
        one("nyt2020", ""),
        one("guardian2021", ""),
        one("worldbank2024", ""),
        one("oecd2023", ""),
        one("tolstoy1869", ""),
        one("beauvoir1949", "chap. 2"),
        one("deleon2019", "45"),
        citation(
            vec![crate::markdown::citations::Cite {
                suppress_author: true,
                ..cite("lin2012", "", "p. 9")
            }],
            false,
        ),
    ];
    let disambiguated = vec![
        one("ostrom1990", ""),
        one("ostrom1990b", ""),
        one("ostromv1990", ""),
        one("ostrom1990", ""),
    ];
    let repeated_author = vec![one("ostrom2005", ""), one("ostrom1990", "")];
    // Every work of the fixture's bibliography: first without a page, then at a page, then
    // in the text.
    let fixture = parse(
        include_str!("../../tests/fixtures/citations/references.bib"),
        Path::new("references.bib"),
    )
    .unwrap();
    let keys: Vec<&str> = fixture.keys().collect();
    let every_work = keys
        .iter()
        .map(|key| one(key, ""))
        .chain(keys.iter().map(|key| one(key, "12")))
        .chain(
            keys.iter()
                .map(|key| citation(vec![cite(key, "", "")], true)),
        )
        .collect();
    vec![
        (varied, vec!["hmtreasury2023".to_string()]),
        (disambiguated, Vec::new()),
        (repeated_author, Vec::new()),
        (every_work, Vec::new()),
    ]
}

/// Note styles beyond brief's named ones, as a site's own .csl file may be: some print "Ibid."
/// for a work cited just before, so a made-up document must put another work between two
/// citations when the brief does.
const MORE_NOTE_STYLES: &[(&str, ArchivedStyle)] = &[
    (
        "chicago-shortened-notes",
        ArchivedStyle::ChicagoShortenedNotes,
    ),
    (
        "mhra-notes",
        ArchivedStyle::ModernHumanitiesResearchAssociationNotes,
    ),
    ("turabian-fullnote-8", ArchivedStyle::TurabianFullnote8),
];

#[test]
fn the_filler_work_loads() {
    let filler = shared::filler_work();
    assert_eq!(filler.keys().collect::<Vec<_>>(), ["brief-filler-work"]);
}

#[test]
fn shared_formatting_gives_what_hayagriva_gives_for_the_whole_brief() {
    let mut shared_used = 0;
    for (name, archived) in STYLES.iter().chain(MORE_NOTE_STYLES) {
        let named = STYLES.iter().any(|(n, _)| n == name);
        let site = Citations::new(library(), StyleSource::Archived(*archived));
        for language in ["en", "es"] {
            for (n, (citations, nocite)) in documents().into_iter().enumerate() {
                let works = Works {
                    site: &site,
                    own: Library::new(),
                    nocite,
                    language: language.to_string(),
                };
                let (planned, _) = works.plan(&citations);
                let whole = works.format_whole(&planned);
                // The document citing every work once in each way is shared in every style.
                let every_work = n == 3 && named;
                assert!(
                    !every_work || works.format_shared(&planned).is_some(),
                    "{name}, {language}: every work formatted whole"
                );
                if let Some(shared) = works.format_shared(&planned) {
                    shared_used += 1;
                    assert_eq!(shared, whole, "{name}, {language}");
                }
                // Formatting again reads what the first time kept.
                if let Some(again) = works.format_shared(&planned) {
                    assert_eq!(again, whole, "{name}, {language}, again");
                }
            }
        }
    }
    assert!(
        shared_used >= 20,
        "shared formatting used {shared_used} times"
    );
}

#[test]
fn works_that_styles_disambiguate_are_formatted_whole() {
    let site = Citations::new(
        library(),
        StyleSource::Archived(ArchivedStyle::AmericanPsychologicalAssociation),
    );
    let works = works_of(&site, "en");
    let (citations, _) = documents().swap_remove(1);
    let (planned, _) = works.plan(&citations);
    assert!(works.format_shared(&planned).is_none());
}

#[test]
fn a_period_after_a_titles_question_mark_is_dropped() {
    let text = |t: &str, italic: bool| {
        let mut formatting = hayagriva::Formatting::default();
        if italic {
            formatting.font_style = hayagriva::citationberg::FontStyle::Italic;
        }
        ElemChild::Text(Text {
            text: t.into(),
            formatting,
        })
    };
    let italic = ElemChildren(vec![
        text("Who Wants War?", true),
        text(". Publisher.", false),
    ]);
    assert_eq!(html(&italic), "<i>Who Wants War?</i> Publisher.");
    let quoted = ElemChildren(vec![text("\u{201C}One Question?.\u{201D} Journal.", false)]);
    assert_eq!(html(&quoted), "\u{201C}One Question?\u{201D} Journal.");
    let plain = ElemChildren(vec![text("Title", true), text(". Publisher.", false)]);
    assert_eq!(html(&plain), "<i>Title</i>. Publisher.");
}

#[test]
fn a_citation_joined_from_its_items_pieces_is_the_html_of_the_whole() {
    let text = |t: &str| {
        ElemChild::Text(Text {
            text: t.into(),
            formatting: hayagriva::Formatting::default(),
        })
    };
    let plain = |t: &str| Text {
        text: t.into(),
        formatting: hayagriva::Formatting::default(),
    };
    let link = |t: &str| ElemChild::Link {
        text: plain(t),
        url: "https://doi.org/10.1/x".into(),
    };
    let elem = |children: &ElemChildren| {
        ElemChild::Elem(hayagriva::Elem {
            children: children.clone(),
            display: None,
            meta: None,
        })
    };
    // Items that end with a question mark, start with a period (also after texts that set
    // nothing: empty, or a closing quote alone), hold a link, or nothing.
    let items: Vec<ElemChildren> = vec![
        ElemChildren(vec![text("Who Wants War?")]),
        ElemChildren(vec![text(". Publisher.")]),
        ElemChildren(vec![text(""), text("\u{201D}"), text(".After")]),
        ElemChildren(vec![text("Doe, "), link("10.1/x")]),
        ElemChildren(vec![text("Question!")]),
        ElemChildren(Vec::new()),
    ];
    let affixes = ["", ".", "; ", "(", ")", "?"];
    for a in &items {
        for b in &items {
            for prefix in affixes {
                for middle in affixes {
                    let whole = ElemChildren(vec![
                        text(prefix),
                        elem(a),
                        text(middle),
                        elem(b),
                        text("."),
                    ]);
                    let mut joiner = html::Joiner::default();
                    joiner.text(&plain(prefix));
                    joiner.item(&html::piece(a), a);
                    joiner.text(&plain(middle));
                    joiner.item(&html::piece(b), b);
                    joiner.text(&plain("."));
                    assert_eq!(
                        joiner.finish(),
                        html(&whole),
                        "{prefix:?} {a:?} {middle:?} {b:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_note_without_the_author_leaves_out_the_name_and_its_comma() {
    let site = Citations::new(
        library(),
        StyleSource::Archived(ArchivedStyle::ChicagoNotes),
    );
    let works = works_of(&site, "en");
    let without = |key: &str| {
        citation(
            vec![crate::markdown::citations::Cite {
                suppress_author: true,
                ..cite(key, "", "p. 33")
            }],
            false,
        )
    };
    let formatted = works.format(&[without("ostrom1990"), without("ostrom1990")]);
    let first = formatted.texts[0].note.clone().unwrap();
    assert_eq!(
        first,
        "<i>Governing the Commons: The Evolution of Institutions for Collective Action</i> (Cambridge University Press, 1990), 33."
    );
    let later = formatted.texts[1].note.clone().unwrap();
    assert!(
        !later.contains("Ostrom") && !later.starts_with(','),
        "{later}"
    );
}

#[test]
fn a_locator_written_with_the_briefs_languages_label_is_read_as_one() {
    let site = Citations::new(
        library(),
        StyleSource::Archived(ArchivedStyle::ChicagoNotes),
    );
    let works = |language: &str| works_of(&site, language);
    let german = works("de").format(&[citation(vec![cite("ostrom1990", "", "S. 33")], false)]);
    let english = works("de").format(&[citation(vec![cite("ostrom1990", "", "p. 33")], false)]);
    assert_eq!(german, english);
    let note = german.texts[0].note.clone().unwrap();
    assert!(note.ends_with(", 33."), "{note}");
    // A label of another language is text, printed as written.
    let written = works("en").format(&[citation(vec![cite("ostrom1990", "", "S. 33")], false)]);
    assert!(written.texts[0].note.clone().unwrap().contains("S. 33"));
}

#[test]
fn a_csl_file_of_the_site_is_the_style() {
    let site = tempfile::tempdir().unwrap();
    let xml = Style::Independent(match ArchivedStyle::Nature.get() {
        Style::Independent(style) => style,
        Style::Dependent(_) => unreachable!("Nature is independent"),
    })
    .to_xml()
    .unwrap();
    std::fs::create_dir_all(site.path().join("styles")).unwrap();
    std::fs::write(site.path().join("styles/house.csl"), xml).unwrap();
    let settings = SiteSettings {
        files: Vec::new(),
        style: Some("styles/house.csl"),
    };
    let mut citations = load_site(site.path(), &settings, &|_| Location::file("config.toml"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    citations.library = library();
    let works = works_of(&citations, "en");
    let one = |key: &str| citation(vec![cite(key, "", "")], false);
    let formatted = works.format(&[one("ostrom1990"), one("acemoglu2019"), one("ostrom1990")]);
    // Nature numbers the works in order of first citation, in superscript.
    let texts: Vec<&str> = formatted.texts.iter().map(|t| t.inline.as_str()).collect();
    assert_eq!(texts, ["<sup>1</sup>", "<sup>2</sup>", "<sup>1</sup>"]);
    assert!(
        formatted.references[0].starts_with("Ostrom, E."),
        "{:?}",
        formatted.references
    );
}

#[test]
fn ranked_works_are_in_the_order_hayagriva_sorts_them() {
    let library = library();
    let all: Vec<&Entry> = library.iter().collect();
    let keys = |entries: &[&Entry]| {
        entries
            .iter()
            .map(|e| e.key().to_string())
            .collect::<Vec<_>>()
    };
    let pick =
        |keys: &[&str]| -> Vec<&Entry> { keys.iter().map(|k| library.get(k).unwrap()).collect() };
    let tie = pick(&["ostrom1990", "tolstoy1869", "ostrom1990r", "fei2015"]);
    let tie_reversed = pick(&["ostrom1990r", "fei2015", "ostrom1990", "tolstoy1869"]);
    let mut reversed = all.clone();
    reversed.reverse();
    let mut ties_kept = 0;
    for (name, archived) in STYLES {
        let site = Citations::new(library.clone(), StyleSource::Archived(*archived));
        let style = site.style();
        for language in ["en", "es"] {
            let locale = LocaleCode(locale_code(language));
            let locales = site.locales(&locale);
            let locales = &*locales;
            let hayagriva = |entries: &[&Entry]| -> Vec<String> {
                references_of(entries.iter().copied(), style, &locale, locales)
                    .bibliography
                    .map(|b| b.items.into_iter().map(|item| item.key).collect())
                    .unwrap_or_default()
            };
            let memo = &site.memo;
            // Sorting as many works as the library holds ranks it.
            let first = memo.sorted(&all, &site.library, style, &locale, locales);
            assert_eq!(keys(&first), hayagriva(&all), "{name}, {language}");
            assert!(
                memo.rankings
                    .ranks(&site.library, style, &locale, locales, 0)
                    .is_some(),
                "{name}, {language}: not ranked"
            );
            for entries in [&reversed, &tie, &tie_reversed] {
                let sorted = memo.sorted(entries, &site.library, style, &locale, locales);
                assert_eq!(keys(&sorted), hayagriva(entries), "{name}, {language}");
            }
            let at = |entries: &[&Entry], key: &str| {
                let sorted = memo.sorted(entries, &site.library, style, &locale, locales);
                sorted.iter().position(|e| e.key() == key).unwrap()
            };
            if at(&tie, "ostrom1990") < at(&tie, "ostrom1990r")
                && at(&tie_reversed, "ostrom1990r") < at(&tie_reversed, "ostrom1990")
            {
                ties_kept += 1;
            }
        }
    }
    assert!(ties_kept >= 2, "the reprint tied in {ties_kept} styles");
}

#[test]
fn a_citation_that_becomes_a_note_starts_with_a_capital() {
    let site = Citations::new(
        library(),
        StyleSource::Archived(ArchivedStyle::ChicagoNotes),
    );
    let works = works_of(&site, "en");
    let see = |in_note: bool| Citation {
        in_note,
        ..citation(vec![cite("ostrom1990", "see", "p. 3")], false)
    };
    let formatted = works.format(&[see(false), see(true)]);
    let note = formatted.texts[0].note.clone().unwrap();
    assert!(note.starts_with("See Elinor Ostrom, <i>"), "{note}");
    // In the brief's own note the citation goes on the writer's sentence.
    let within = formatted.texts[1].note.clone().unwrap();
    assert!(within.starts_with("see Ostrom"), "{within}");
    assert_eq!(html::capitalized("<i>über</i>"), "<i>Über</i>");
    assert_eq!(html::capitalized("“quoted”"), "“quoted”");
}

#[test]
fn american_english_puts_the_citations_period_inside_the_quotes() {
    let site = Citations::new(
        library(),
        StyleSource::Archived(ArchivedStyle::ChicagoNotes),
    );
    let works = |language: &str| works_of(&site, language);
    let one = |key: &str, suffix: &str| citation(vec![cite(key, "", suffix)], false);
    let citations = [
        one("acemoglu2019", ""),
        one("acemoglu2019", ""),
        one("acemoglu2019", "emphasis added"),
    ];
    let formatted = works("en").format(&citations);
    let note = |n: usize| formatted.texts[n].note.clone().unwrap();
    assert_eq!(note(1), "Acemoglu et al., “Democracy Does Cause Growth.”");
    assert_eq!(
        note(2),
        "Acemoglu et al., “Democracy Does Cause Growth,” emphasis added."
    );
    // British English and Spanish leave it outside.
    let british = works("en-GB").format(&citations);
    assert!(
        british.texts[1].note.clone().unwrap().ends_with("Growth’."),
        "{:?}",
        british.texts[1]
    );
    let spanish = works("es").format(&citations);
    assert!(spanish.texts[1].note.clone().unwrap().ends_with("Growth»."));
}

#[test]
fn a_narrative_citation_in_a_note_style_keeps_et_al_whole() {
    let site = Citations::new(
        library(),
        StyleSource::Archived(ArchivedStyle::ChicagoNotes),
    );
    let works = works_of(&site, "en");
    let formatted = works.format(&[citation(vec![cite("acemoglu2019", "", "")], true)]);
    assert_eq!(formatted.texts[0].inline, "Acemoglu et al.");
}

/// Briefs citing works at pages: each a document of its own, as briefs are.
fn paged_documents() -> Vec<Vec<Citation>> {
    let one = |key: &str, suffix: &str| citation(vec![cite(key, "", suffix)], false);
    let pages = ["p. 1", "p. 2", "p. 3", "p. 11", "p. 22", "p. 101", "45"];
    let mut out: Vec<Vec<Citation>> = pages
        .iter()
        .map(|page| {
            vec![
                one("ostrom1990", page),
                one("ostrom1990", page),
                one("acemoglu2019", page),
                one("ostrom1990", page),
                one("acemoglu2019", "p. 7"),
                one("beauvoir1949", &page.replace("p.", "chap.")),
            ]
        })
        .collect();
    // Locators that are no plain numbers, formatted as they are.
    out.push(vec![
        one("ostrom1990", "pp. 3-5"),
        one("ostrom1990", "p. 012"),
        one("acemoglu2019", "p. iv"),
    ]);
    out
}

#[test]
fn a_note_is_formatted_once_for_every_page_of_a_work() {
    for (name, archived) in STYLES {
        let site = Citations::new(library(), StyleSource::Archived(*archived));
        for (citations, language) in paged_documents().iter().zip(["en", "es"].iter().cycle()) {
            let works = works_of(&site, language);
            let (planned, _) = works.plan(citations);
            let whole = works.format_whole(&planned);
            if let Some(shared) = works.format_shared(&planned) {
                assert_eq!(shared, whole, "{name}, {language}");
            }
        }
    }
    // Chicago notes formatted each work once per context, not once per page.
    let site = Citations::new(
        library(),
        StyleSource::Archived(ArchivedStyle::ChicagoNotes),
    );
    let works = works_of(&site, "en");
    for citations in paged_documents().iter().take(7) {
        let (planned, _) = works.plan(citations);
        assert!(works.format_shared(&planned).is_some());
    }
    let placed = site.memo.formatted_at_placeholder();
    assert!(placed > 0, "no note was formatted at the placeholder");
    assert!(
        site.memo.formatted_items() < 7 * 3,
        "{} items formatted for 7 pages",
        site.memo.formatted_items()
    );
}

#[test]
fn a_style_that_prints_locators_as_ordinals_formats_each_page() {
    let chicago = match ArchivedStyle::ChicagoNotes.get() {
        Style::Independent(style) => style,
        Style::Dependent(_) => unreachable!("Chicago is independent"),
    };
    let xml = Style::Independent(chicago).to_xml().unwrap();
    let ordinal = xml.replace(
        r#"<text variable="locator" form="long" quotes="false" strip-periods="false"/>"#,
        r#"<number variable="locator" form="ordinal"/>"#,
    );
    assert_ne!(ordinal, xml, "Chicago's XML prints the locator as text");
    let style = match Style::from_xml(&ordinal) {
        Ok(Style::Independent(style)) => style,
        other => panic!("the changed style does not parse: {other:?}"),
    };
    let site = Citations::new(library(), StyleSource::File(Box::new(style)));
    let one = |suffix: &str| vec![citation(vec![cite("ostrom1990", "", suffix)], false)];
    let mut notes = Vec::new();
    for page in ["p. 1", "p. 2", "p. 11"] {
        let works = works_of(&site, "en");
        let citations = one(page);
        let (planned, _) = works.plan(&citations);
        let whole = works.format_whole(&planned);
        let shared = works.format_shared(&planned).expect("shared");
        assert_eq!(shared, whole);
        notes.push(shared.0[0].clone());
    }
    assert!(notes[0].contains("1st"), "{notes:?}");
    assert!(notes[1].contains("2nd"), "{notes:?}");
    assert!(notes[2].contains("11th"), "{notes:?}");
}

/// Every CSL type name, as a style's `<if type="…">` spells it.
const CSL_TYPES: &[&str] = &[
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
];

/// Every hayagriva entry type.
const ENTRY_TYPES: &[&str] = &[
    "article",
    "chapter",
    "entry",
    "anthos",
    "report",
    "thesis",
    "web",
    "scene",
    "artwork",
    "patent",
    "case",
    "newspaper",
    "legislation",
    "manuscript",
    "post",
    "misc",
    "performance",
    "periodical",
    "proceedings",
    "book",
    "blog",
    "reference",
    "conference",
    "anthology",
    "repository",
    "thread",
    "video",
    "audio",
    "exhibition",
    "original",
];

/// hayagriva 0.10.1's own `matches_entry_type` (src/csl/taxonomy.rs), written with its
/// selectors: what the patched copy in vendor/hayagriva must still answer.
fn published_type_test(e: &Entry, kind: &str) -> bool {
    use hayagriva::select;
    use hayagriva::types::EntryType;
    let is = |t: EntryType| e.entry_type() == &t;
    let journal = select!(Article > Periodical).matches(e);
    let news = select!(Article > Newspaper).matches(e);
    let conference = select!(Article > Proceedings).matches(e);
    let report = select!((* > Report) | Report).matches(e);
    let thesis = select!((* > Thesis) | Thesis).matches(e);
    let manuscript = is(EntryType::Manuscript);
    let bookish = select!(Book | Anthology | Proceedings).matches(e);
    let periodical = select!((Book > Periodical) | Periodical).matches(e);
    let collection = is(EntryType::Anthology);
    let encyclopedia = select!(* > Reference).matches(e);
    let score = select!(Audio > (Book | Periodical | Reference | Misc | Blog | Web)).matches(e);
    let picture = is(EntryType::Video) && e.parents().is_empty();
    let song = is(EntryType::Audio) && e.parents().is_empty();
    let blogpost = select!(* > Blog).matches(e);
    let post = select!(Post | (* > Thread)).matches(e);
    let figure = select!(Artwork > Article).matches(e);
    match kind {
        "article-journal" => journal,
        "article-newspaper" => news,
        "paper-conference" => conference,
        "report" => report,
        "thesis" => thesis,
        "manuscript" => manuscript,
        "article" => {
            is(EntryType::Article)
                && !blogpost
                && !(journal || news || conference || report || thesis || manuscript)
        }
        "periodical" => bookish && periodical,
        "collection" => bookish && collection,
        "book" => bookish && !(periodical || collection),
        "chapter" => {
            select!((Anthos > Anthology) | (Chapter > (Book | Anthology | Proceedings))).matches(e)
        }
        "entry-encyclopedia" => encyclopedia,
        "entry" => is(EntryType::Entry) && !encyclopedia,
        "event" => is(EntryType::Exhibition),
        "musical_score" => score,
        "motion_picture" => picture,
        "song" => song,
        "broadcast" => {
            (is(EntryType::Audio) || is(EntryType::Video)) && !(score || picture || song)
        }
        "bill" => is(EntryType::Legislation) && e.publisher().is_none(),
        "legislation" => is(EntryType::Legislation) && e.publisher().is_some(),
        "legal_case" => is(EntryType::Case),
        "patent" => is(EntryType::Patent),
        "post-weblog" => blogpost,
        "post" => post,
        "webpage" => {
            select!((Misc["url"]) | (* > (Web | Blog)) | Web | Blog | Thread).matches(e)
                && !(blogpost || post)
        }
        "figure" => figure,
        "graphic" => is(EntryType::Artwork) && !figure,
        "software" => is(EntryType::Repository),
        "document" => is(EntryType::Misc),
        _ => false,
    }
}

/// A style whose references list prints the name of each CSL type the entry is of.
fn type_probe_style() -> IndependentStyle {
    let tests: String = CSL_TYPES
        .iter()
        .map(|t| format!(r#"<choose><if type="{t}"><text value="{t};"/></if></choose>"#))
        .collect();
    let xml = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Types</title><id>types</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text value="c"/></layout></citation>
  <bibliography><layout><text value="["/>{tests}<text value="]"/></layout></bibliography>
</style>"#
    );
    match Style::from_xml(&xml) {
        Ok(Style::Independent(style)) => style,
        other => panic!("the probe style does not parse: {other:?}"),
    }
}

/// The patched hayagriva in vendor/hayagriva tests an entry's CSL type without 0.10.1's
/// selector trees; its answers must be 0.10.1's for every entry type, under every parent type,
/// and for the fields the tests read (a miscellany's URL, a law's publisher).
#[test]
fn entry_type_tests_answer_as_hayagriva_0_10_1() {
    use hayagriva::types::{EntryType, FormatString, Publisher, QualifiedUrl};
    use std::str::FromStr;
    let style = type_probe_style();
    let locales = hayagriva::archive::locales();
    let types: Vec<EntryType> = ENTRY_TYPES
        .iter()
        .map(|t| EntryType::from_str(t).unwrap())
        .collect();
    let mut entries = Vec::new();
    for &kind in &types {
        let mut parents = vec![None];
        parents.extend(types.iter().map(Some));
        for parent in parents {
            for with_fields in [false, true] {
                let mut entry = Entry::new("e", kind);
                if let Some(&parent) = parent {
                    entry.set_parents(vec![Entry::new("p", parent)]);
                }
                if with_fields {
                    entry.set_url(QualifiedUrl::new(
                        url::Url::parse("https://example.org/").unwrap(),
                        None,
                    ));
                    entry.set_publisher(Publisher::new(
                        Some(FormatString::from("P".to_string())),
                        None,
                    ));
                }
                entries.push(entry);
            }
        }
    }
    let locale = LocaleCode("en-US".into());
    for entry in &entries {
        let rendered = references_of([entry], &style, &locale, &locales);
        let text = html(&rendered.bibliography.unwrap().items[0].content);
        let expected: String = CSL_TYPES
            .iter()
            .filter(|t| published_type_test(entry, t))
            .map(|t| format!("{t};"))
            .collect();
        assert_eq!(
            text,
            format!("[{expected}]"),
            "{:?} under {:?}",
            entry.entry_type(),
            entry.parents().first().map(|p| p.entry_type())
        );
    }
}
