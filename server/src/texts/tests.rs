use super::{instant, Text, TABLE};
use leenpunt_shared::Lang;
use std::collections::BTreeSet;

/// The parameter names a format string uses (`{name}`, `{n:>3}`); `{{` and `}}` are text.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text.replace("{{", "").replace("}}", "");
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}').expect("a closing brace");
        let name = after[..close].split(':').next().unwrap_or_default();
        names.insert(name.to_owned());
        rest = after[close + 1..].to_owned();
    }
    names
}

#[test]
fn every_key_has_both_languages_with_the_same_placeholders() {
    assert!(TABLE.len() > 50);
    for (key, nl, en) in TABLE {
        assert!(!nl.trim().is_empty(), "{key}: the Dutch text is empty");
        assert!(!en.trim().is_empty(), "{key}: the English text is empty");
        assert_eq!(
            placeholders(nl),
            placeholders(en),
            "{key}: the languages use different placeholders"
        );
    }
}

#[test]
fn keys_are_unique() {
    let keys: BTreeSet<&str> = TABLE.iter().map(|(k, _, _)| *k).collect();
    assert_eq!(keys.len(), TABLE.len());
}

#[test]
fn the_placeholder_reader_sees_what_differs() {
    assert_eq!(
        placeholders("{a} {{b}} {c:>3}"),
        ["a", "c"].map(String::from).into()
    );
    assert_ne!(placeholders("Dag {name}"), placeholders("Hello {nam}"));
}

#[test]
fn parameters_are_filled_in() {
    let text = Text::MailHelloName { name: &"An" };
    assert_eq!(text.get(Lang::Nl), "Dag An,");
    assert_eq!(text.get(Lang::En), "Hello An,");
}

#[test]
fn instants_read_as_brussels_time_in_words() {
    // Winter: UTC+1; summer: UTC+2.
    assert_eq!(
        instant("2026-12-01T08:00:00+00:00", Lang::En),
        "1 December 2026 at 09:00"
    );
    assert_eq!(
        instant("2027-07-01T08:30:00Z", Lang::Nl),
        "1 juli 2027 om 10:30"
    );
    assert_eq!(instant("not a time", Lang::Nl), "not a time");
}
