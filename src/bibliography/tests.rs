use super::*;

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
fn an_unknown_style_name_suggests_the_closest() {
    let (message, help) = match style_source(Path::new("."), Some("chicago-note")) {
        Err(problem) => problem,
        Ok(_) => panic!("accepted an unknown style"),
    };
    assert!(message.contains("chicago-note"), "{message}");
    assert!(help.contains("did you mean \"chicago-notes\""), "{help}");
}
