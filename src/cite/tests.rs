//! Each style for one, two, three and many authors, with particles and escaping.

use super::*;

fn name(full: &str) -> Name {
    Name::parse(full)
}

fn work(authors: &[&str]) -> Work {
    Work {
        title: "Nuclear Risk in Asia".into(),
        authors: authors.iter().map(|a| name(a)).collect(),
        date: jiff::civil::date(2023, 9, 15),
        publisher: "Carnegie Endowment".into(),
        periodical: None,
        url: "https://example.org/briefs/nuclear-risk/".into(),
        doi: None,
        report_number: None,
        language: "en".into(),
    }
}

const ONE: &[&str] = &["Ankit Panda"];
const TWO: &[&str] = &["Ankit Panda", "Charles de Gaulle"];
const THREE: &[&str] = &["Ankit Panda", "Charles de Gaulle", "Ludwig van Beethoven"];

fn many(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("Given{i} Family{i}")).collect()
}

#[test]
fn names_split_into_given_and_family() {
    assert_eq!(name("Ankit Panda"), Name::explicit("Ankit", "Panda"));
    assert_eq!(
        name("Charles de Gaulle"),
        Name::explicit("Charles", "de Gaulle")
    );
    assert_eq!(
        name("Ludwig van Beethoven"),
        Name::explicit("Ludwig", "van Beethoven")
    );
    assert_eq!(
        name("Vincent van Gogh"),
        Name::explicit("Vincent", "van Gogh")
    );
    assert_eq!(
        name("Jean de la Fontaine"),
        Name::explicit("Jean", "de la Fontaine")
    );
    assert_eq!(
        name("Martin Luther King"),
        Name::explicit("Martin Luther", "King")
    );
    assert_eq!(name("Plato"), Name::explicit("", "Plato"));
    assert_eq!(name("  Ankit   Panda "), Name::explicit("Ankit", "Panda"));
}

#[test]
fn comma_form_and_suffixes_are_read_as_written() {
    assert_eq!(name("Panda, Ankit"), Name::explicit("Ankit", "Panda"));
    let king = name("Martin Luther King Jr.");
    assert_eq!(
        (
            king.given.as_str(),
            king.family.as_str(),
            king.suffix.as_str()
        ),
        ("Martin Luther", "King", "Jr.")
    );
}

fn styled_en(w: &Work) -> Styled {
    styled(w, &crate::bibliography::Citations::default())
}

fn report() -> Work {
    let mut w = work(THREE);
    w.report_number = Some("PB-23-07".into());
    w.doi = Some("10.1234/abc".into());
    w
}

const DOI_LINK: &str = "<a href=\"https://doi.org/10.1234/abc\">https://doi.org/10.1234/abc</a>";

#[test]
fn each_style_formats_the_brief_as_a_report_of_the_site() {
    let s = styled_en(&report());
    assert_eq!(
        s.chicago,
        format!(
            "Panda, Ankit, Charles de Gaulle, and Ludwig van Beethoven. <i>Nuclear Risk in Asia</i>. PB\u{2011}23\u{2011}07. Carnegie Endowment, 2023. {DOI_LINK}."
        )
    );
    assert_eq!(
        s.apa,
        format!(
            "Panda, A., de Gaulle, C., &amp; van Beethoven, L. (2023). <i>Nuclear Risk in Asia</i> (PB\u{2011}23\u{2011}07). Carnegie Endowment. {DOI_LINK}"
        )
    );
    assert_eq!(
        s.mla,
        format!(
            "Panda, Ankit, et al. <i>Nuclear Risk in Asia</i>. PB\u{2011}23\u{2011}07, Carnegie Endowment, 15 Sept. 2023, {DOI_LINK}."
        )
    );
}

#[test]
fn the_styles_speak_the_briefs_language() {
    let mut w = report();
    w.language = "es".into();
    let s = styled_en(&w);
    assert!(
        s.chicago
            .contains("Charles de Gaulle, y Ludwig van Beethoven."),
        "{}",
        s.chicago
    );
    assert!(s.mla.contains("15 de septiembre de 2023"), "{}", s.mla);
    assert!(!s.mla.contains("Sept."), "{}", s.mla);
}

#[test]
fn a_title_ending_in_a_question_mark_takes_no_second_period() {
    let mut w = work(ONE);
    w.title = "Who Wants War?".into();
    let s = styled_en(&w);
    for text in [&s.chicago, &s.apa, &s.mla] {
        assert!(text.contains("<i>Who Wants War?</i> Carnegie"), "{text}");
    }
}

#[test]
fn title_case_keeps_words_written_with_inner_capitals() {
    // Chicago and MLA title-case the title; a word with a capital after its first letter
    // stays as the editor wrote it, the others are capitalized.
    let mut w = work(ONE);
    w.title = "Why Côte d’Ivoire and McDonald’s matter to the iPhone era".into();
    let s = styled_en(&w);
    let cased = "<i>Why Côte d’Ivoire and McDonald’s Matter to the iPhone Era</i>";
    assert!(s.chicago.contains(cased), "{}", s.chicago);
    assert!(s.mla.contains(cased), "{}", s.mla);
    let written = "<i>Why Côte d’Ivoire and McDonald’s matter to the iPhone era</i>";
    assert!(s.apa.contains(written), "{}", s.apa);
}

#[test]
fn family_first_names_keep_their_order_and_suffixes_their_comma() {
    let mut w = work(ONE);
    w.authors = vec![
        Name::with_parts("Xi Jinping", "Jinping", "Xi"),
        name("Martin Luther King Jr."),
    ];
    let s = styled_en(&w);
    // Chicago's comma after an inverted first name stays after an uninverted one.
    assert!(
        s.chicago
            .starts_with("Xi Jinping, and Martin Luther King, Jr. <i>"),
        "{}",
        s.chicago
    );
    assert!(
        s.apa
            .starts_with("Xi Jinping, &amp; King, M. L., Jr. (2023)"),
        "{}",
        s.apa
    );
    assert!(
        // BibTeX's "von Last, Jr, First".
        bibtex(&w).contains("author = {Xi, Jinping and King, Jr., Martin Luther}"),
        "{}",
        bibtex(&w)
    );
    assert!(!Name::with_parts("Ludwig van Beethoven", "Ludwig", "van Beethoven").family_first);
}

#[test]
fn titles_are_escaped() {
    let mut w = work(ONE);
    w.title = "Guns & <Butter>".into();
    let s = styled_en(&w);
    for text in [&s.chicago, &s.apa, &s.mla] {
        assert!(text.contains("Guns &amp; &lt;"), "{text}");
        assert!(!text.contains("<B") && !text.contains("<b"), "{text}");
    }
}

#[test]
fn a_reprinted_article_is_cited_in_its_periodical_not_as_the_sites_report() {
    let mut w = work(ONE);
    w.periodical = Some("Foreign Policy".into());
    w.url = "https://foreignpolicy.com/2023/09/15/nuclear-risk/".into();
    w.report_number = Some("PB-1".into());
    let link = "<a href=\"https://foreignpolicy.com/2023/09/15/nuclear-risk/\">https://foreignpolicy.com/2023/09/15/nuclear-risk/</a>";
    let s = styled_en(&w);
    assert_eq!(
        s.chicago,
        format!(
            "Panda, Ankit. \u{201C}Nuclear Risk in Asia.\u{201D} <i>Foreign Policy</i>, September 15, 2023. {link}."
        )
    );
    assert_eq!(
        s.apa,
        format!(
            "Panda, A. (2023, September 15). Nuclear Risk in Asia. <i>Foreign Policy</i>. {link}"
        )
    );
    assert!(
        !s.mla.contains("Carnegie") && s.mla.contains("<i>Foreign Policy</i>"),
        "{}",
        s.mla
    );
    let bib = bibtex(&w);
    assert!(bib.starts_with("@article{panda2023nuclear,\n"), "{bib}");
    assert!(bib.contains("  journal = {Foreign Policy},\n"), "{bib}");
    assert!(
        !bib.contains("Carnegie") && !bib.contains("number"),
        "{bib}"
    );
    let ris = ris(&w);
    assert!(ris.starts_with("TY  - MGZN\r\n"), "{ris}");
    assert!(ris.contains("T2  - Foreign Policy\r\n"), "{ris}");
    assert!(!ris.contains("PB  -") && !ris.contains("Carnegie"), "{ris}");
}

#[test]
fn doi_shape_is_checked_and_prefixes_removed() {
    assert_eq!(normalize_doi("10.1234/abc.def").unwrap(), "10.1234/abc.def");
    assert_eq!(
        normalize_doi("https://doi.org/10.1000.10/x(1)").unwrap(),
        "10.1000.10/x(1)"
    );
    assert_eq!(normalize_doi("doi:10.5555/y").unwrap(), "10.5555/y");
    for bad in [
        "10.1234",
        "11.1234/x",
        "10.abc/x",
        "10.1234/",
        "10.1234/a b",
        "doi",
    ] {
        assert!(normalize_doi(bad).is_err(), "{bad} accepted");
    }
}

#[test]
fn bibtex_escapes_latex_specials() {
    assert_eq!(
        bibtex_escape(r"50% & $5 #1 a_b {x} ~ ^ \"),
        r"50\% \& \$5 \#1 a\_b \{x\} \textasciitilde{} \textasciicircum{} \textbackslash{}"
    );
}

#[test]
fn bibtex_is_a_techreport_of_the_site_without_a_report_number() {
    let text = bibtex(&work(TWO));
    assert_eq!(
        text,
        "@techreport{panda2023nuclear,\n  author = {Panda, Ankit and de Gaulle, Charles},\n  title = {{Nuclear Risk in Asia}},\n  institution = {Carnegie Endowment},\n  year = {2023},\n  month = sep,\n  date = {2023-09-15},\n  url = {https://example.org/briefs/nuclear-risk/},\n  langid = {english},\n}\n"
    );
}

#[test]
fn bibtex_is_a_techreport_with_a_report_number() {
    let mut w = work(THREE);
    w.report_number = Some("TR_7".into());
    w.doi = Some("10.1234/abc".into());
    w.title = "Guns & Butter".into();
    let text = bibtex(&w);
    assert!(text.starts_with("@techreport{panda2023guns,\n"), "{text}");
    assert!(
        text.contains(
            "  author = {Panda, Ankit and de Gaulle, Charles and van Beethoven, Ludwig},\n"
        ),
        "{text}"
    );
    assert!(text.contains("  title = {{Guns \\& Butter}},\n"), "{text}");
    assert!(
        text.contains("  institution = {Carnegie Endowment},\n  number = {TR\\_7},\n"),
        "{text}"
    );
    assert!(text.contains("  doi = {10.1234/abc},\n"), "{text}");
}

#[test]
fn ris_is_a_report_record_with_crlf_lines() {
    let mut w = work(TWO);
    w.report_number = Some("TR-7".into());
    w.doi = Some("10.1234/abc".into());
    assert_eq!(
        ris(&w),
        "TY  - RPRT\r\nAU  - Panda, Ankit\r\nAU  - de Gaulle, Charles\r\nTI  - Nuclear Risk in Asia\r\nPY  - 2023\r\nDA  - 2023/09/15\r\nPB  - Carnegie Endowment\r\nSN  - TR-7\r\nLA  - en\r\nUR  - https://example.org/briefs/nuclear-risk/\r\nDO  - 10.1234/abc\r\nER  - \r\n"
    );
}

#[test]
fn many_authors_are_shortened_as_each_style_says() {
    let names = many(11);
    let authors: Vec<&str> = names.iter().map(String::as_str).collect();
    let s = styled_en(&work(&authors));
    // Chicago: more than six, the first three and "et al."; APA: up to twenty; MLA: one.
    assert!(
        s.chicago
            .starts_with("Family1, Given1, Given2 Family2, Given3 Family3, et al. <i>"),
        "{}",
        s.chicago
    );
    assert!(
        s.apa.contains("Family10, G., &amp; Family11, G. (2023)"),
        "{}",
        s.apa
    );
    assert!(
        s.mla.starts_with("Family1, Given1, et al. <i>"),
        "{}",
        s.mla
    );
}

#[test]
fn bibtex_keeps_an_institution_and_a_name_holding_and_whole() {
    let names = [
        Name::explicit("", "Task Force on Trade and Security"),
        Name::explicit("Ann and Bo", "Smith"),
        name("Jane Doe"),
        name("Martin Luther King Jr."),
    ];
    let written: Vec<String> = names.iter().map(bibtex_name).collect();
    assert_eq!(
        written,
        [
            "{Task Force on Trade and Security}",
            "Smith, {Ann and Bo}",
            "Doe, Jane",
            "King, Jr., Martin Luther"
        ]
    );
}
