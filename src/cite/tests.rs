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
    assert_eq!(king.inverted(), "King, Martin Luther, Jr.");
    assert_eq!(king.apa(), "King, M. L., Jr.");
}

#[test]
fn family_first_names_keep_their_order_except_in_apa() {
    let xi = Name::with_parts("Xi Jinping", "Jinping", "Xi");
    let kim = Name::with_parts("Kim Jong Un", "Jong Un", "Kim");
    let mut w = work(ONE);
    w.authors = vec![xi.clone(), kim];
    assert!(
        chicago(&w).starts_with("Xi Jinping and Kim Jong Un. <i>"),
        "{}",
        chicago(&w)
    );
    assert!(
        apa(&w).starts_with("Xi, J., &amp; Kim, J. U. (2023"),
        "{}",
        apa(&w)
    );
    assert!(
        mla(&w).starts_with("Xi Jinping and Kim Jong Un. <i>"),
        "{}",
        mla(&w)
    );
    assert!(
        bibtex(&w).contains("author = {Xi, Jinping and Kim, Jong Un}"),
        "{}",
        bibtex(&w)
    );
    assert!(!Name::with_parts("Ludwig van Beethoven", "Ludwig", "van Beethoven").family_first);
}

#[test]
fn apa_initials_keep_hyphens() {
    assert_eq!(name("Jean-Paul Sartre").apa(), "Sartre, J.-P.");
    assert_eq!(name("J. R. R. Tolkien").apa(), "Tolkien, J. R. R.");
}

#[test]
fn chicago_one_two_three_authors() {
    assert_eq!(
        chicago(&work(ONE)),
        "Panda, Ankit. <i>Nuclear Risk in Asia</i>. Carnegie Endowment, September 15, 2023. https://example.org/briefs/nuclear-risk/."
    );
    assert!(chicago(&work(TWO)).starts_with("Panda, Ankit, and Charles de Gaulle. <i>"));
    assert!(
        chicago(&work(THREE))
            .starts_with("Panda, Ankit, Charles de Gaulle, and Ludwig van Beethoven. <i>")
    );
}

#[test]
fn chicago_inverts_a_first_author_with_a_particle() {
    assert!(
        chicago(&work(&["Charles de Gaulle", "Ankit Panda"]))
            .starts_with("de Gaulle, Charles, and Ankit Panda. ")
    );
}

#[test]
fn chicago_lists_ten_authors_and_shortens_eleven_to_seven() {
    let ten = many(10);
    let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
    let text = chicago(&work(&ten));
    assert!(
        text.contains("Given9 Family9, and Given10 Family10. <i>"),
        "{text}"
    );
    let eleven = many(11);
    let eleven: Vec<&str> = eleven.iter().map(String::as_str).collect();
    let text = chicago(&work(&eleven));
    assert!(
        text.starts_with("Family1, Given1, Given2 Family2, "),
        "{text}"
    );
    assert!(text.contains("Given7 Family7, et al. <i>"), "{text}");
    assert!(!text.contains("Family8"), "{text}");
}

#[test]
fn apa_one_two_three_authors() {
    assert_eq!(
        apa(&work(ONE)),
        "Panda, A. (2023, September 15). <i>Nuclear Risk in Asia</i>. Carnegie Endowment. https://example.org/briefs/nuclear-risk/"
    );
    assert!(apa(&work(TWO)).starts_with("Panda, A., &amp; de Gaulle, C. (2023, September 15). "));
    assert!(
        apa(&work(THREE)).starts_with("Panda, A., de Gaulle, C., &amp; van Beethoven, L. (2023")
    );
}

#[test]
fn apa_lists_twenty_authors_and_elides_to_the_last_after_that() {
    let twenty = many(20);
    let twenty: Vec<&str> = twenty.iter().map(String::as_str).collect();
    let text = apa(&work(&twenty));
    assert!(
        text.contains("Family19, G., &amp; Family20, G. (2023"),
        "{text}"
    );
    let many = many(25);
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let text = apa(&work(&many));
    assert!(
        text.contains("Family19, G., . . . Family25, G. (2023"),
        "{text}"
    );
    assert!(!text.contains("Family20"), "{text}");
}

#[test]
fn apa_puts_the_report_number_after_the_title_and_links_the_doi() {
    let mut w = work(ONE);
    w.report_number = Some("TR-7".into());
    w.doi = Some("10.1234/abc".into());
    assert!(
        apa(&w).ends_with("<i>Nuclear Risk in Asia</i> (Report No. TR-7). Carnegie Endowment. https://doi.org/10.1234/abc"),
        "{}",
        apa(&w)
    );
}

#[test]
fn mla_one_two_three_authors() {
    assert_eq!(
        mla(&work(ONE)),
        "Panda, Ankit. <i>Nuclear Risk in Asia</i>. Carnegie Endowment, 15 Sept. 2023, example.org/briefs/nuclear-risk/."
    );
    assert!(mla(&work(TWO)).starts_with("Panda, Ankit, and Charles de Gaulle. <i>"));
    assert!(mla(&work(THREE)).starts_with("Panda, Ankit, et al. <i>"));
    assert!(
        mla(&work(&["Charles de Gaulle", "Ankit Panda", "X Y"]))
            .starts_with("de Gaulle, Charles, et al. ")
    );
}

#[test]
fn mla_shows_the_report_number_and_doi() {
    let mut w = work(ONE);
    w.report_number = Some("TR-7".into());
    w.doi = Some("10.1234/abc".into());
    assert!(
        mla(&w).ends_with(
            "</i>. Report no. TR-7, Carnegie Endowment, 15 Sept. 2023, https://doi.org/10.1234/abc."
        ),
        "{}",
        mla(&w)
    );
}

#[test]
fn styles_escape_html_and_keep_a_question_mark_in_the_italics() {
    let mut w = work(&["Tom Jones <Co>"]);
    w.title = "Arms & <b>\"Influence\"</b>?".into();
    for text in [chicago(&w), apa(&w), mla(&w)] {
        assert!(
            text.contains("<i>Arms &amp; &lt;b&gt;&quot;Influence&quot;&lt;/b&gt;?</i> "),
            "{text}"
        );
        assert!(text.contains("&lt;Co&gt;"), "{text}");
        assert!(!text.contains("<b>"), "{text}");
    }
}

#[test]
fn author_ending_in_a_period_takes_no_second_one() {
    assert!(
        chicago(&work(&["Martin Luther King Jr."])).starts_with("King, Martin Luther, Jr. <i>")
    );
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
fn bibtex_is_a_misc_entry_without_a_report_number() {
    let text = bibtex(&work(TWO));
    assert_eq!(
        text,
        "@misc{panda2023nuclear,\n  author = {Panda, Ankit and de Gaulle, Charles},\n  title = {{Nuclear Risk in Asia}},\n  howpublished = {Carnegie Endowment},\n  year = {2023},\n  month = {9},\n  date = {2023-09-15},\n  url = {https://example.org/briefs/nuclear-risk/},\n}\n"
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
        "TY  - RPRT\r\nAU  - Panda, Ankit\r\nAU  - de Gaulle, Charles\r\nTI  - Nuclear Risk in Asia\r\nPY  - 2023\r\nDA  - 2023/09/15\r\nPB  - Carnegie Endowment\r\nVL  - TR-7\r\nUR  - https://example.org/briefs/nuclear-risk/\r\nDO  - 10.1234/abc\r\nER  - \r\n"
    );
}

#[test]
fn a_reprinted_article_is_cited_in_its_periodical_not_as_the_sites_report() {
    let mut w = work(ONE);
    w.periodical = Some("Foreign Policy".into());
    w.url = "https://foreignpolicy.com/2023/09/15/nuclear-risk/".into();
    w.report_number = Some("PB-1".into());
    assert_eq!(
        chicago(&w),
        "Panda, Ankit. \u{201C}Nuclear Risk in Asia.\u{201D} <i>Foreign Policy</i>, September 15, 2023. https://foreignpolicy.com/2023/09/15/nuclear-risk/."
    );
    assert_eq!(
        apa(&w),
        "Panda, A. (2023, September 15). Nuclear Risk in Asia. <i>Foreign Policy</i>. https://foreignpolicy.com/2023/09/15/nuclear-risk/"
    );
    assert_eq!(
        mla(&w),
        "Panda, Ankit. \u{201C}Nuclear Risk in Asia.\u{201D} <i>Foreign Policy</i>, 15 Sept. 2023, foreignpolicy.com/2023/09/15/nuclear-risk/."
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
    let question = Work {
        title: "Who Wants War?".into(),
        ..w
    };
    assert!(
        chicago(&question).contains("\u{201C}Who Wants War?\u{201D} <i>"),
        "{}",
        chicago(&question)
    );
}
