use super::*;
use proptest::prelude::*;

fn index(docs: &[(&str, &str)]) -> TextIndex {
    TextIndex::new(docs.iter().copied())
}

/// Document numbers that match, best first (ties in document order).
fn ranked(index: &TextIndex, query: &str) -> Vec<usize> {
    let scores = index.matches(query).expect("the query has terms");
    let mut hits: Vec<(u32, usize)> = scores
        .iter()
        .enumerate()
        .filter(|(_, s)| **s > 0)
        .map(|(d, s)| (*s, d))
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.into_iter().map(|(_, d)| d).collect()
}

#[test]
fn compounds_fold_spaces_and_hyphens() {
    let i = index(&[
        ("Bee-Bot set klein", ""),
        ("Blue-Bot", ""),
        ("Beebot-mat", ""),
    ]);
    assert_eq!(ranked(&i, "beebot"), vec![0, 2]);
    assert_eq!(ranked(&i, "bee bot"), vec![0]);
    assert_eq!(ranked(&i, "Bee-Bot"), vec![0]);
}

#[test]
fn whole_words_and_titles_rank_first() {
    let i = index(&[
        ("Vroeger en nu: schoolleven", "Lespakket over vroeger."),
        ("VR-bril klasset", "Tien brillen."),
        ("Erfgoedkoffer", "Met een VR-ervaring van de loopgraven."),
    ]);
    assert_eq!(ranked(&i, "vr"), vec![1, 0, 2]);
}

#[test]
fn one_typo_in_a_longer_word_is_forgiven() {
    let i = index(&[("Programmeren met robots", ""), ("Kleuren", "")]);
    for typo in [
        "progammeren",
        "programmmeren",
        "porgrammeren",
        "programmeran",
    ] {
        assert_eq!(ranked(&i, typo), vec![0], "{typo}");
    }
    // Short words must be exact or a prefix: "kluer" is not "kleur".
    assert!(ranked(&i, "klu").is_empty());
    // Two typos are too many.
    assert!(ranked(&i, "porgrammeran").is_empty());
}

#[test]
fn endings_are_forgiven() {
    let i = index(&[("Bee-Bot", ""), ("Klasbak erfgoed", "")]);
    assert_eq!(ranked(&i, "bots"), vec![0]);
    assert_eq!(ranked(&i, "erfgoeden"), vec![1]);
}

#[test]
fn synonyms_find_what_the_catalogue_calls_it() {
    let i = index(&[
        ("Virtual reality in de klas", ""),
        ("Robotica voor kleuters", ""),
        ("Ganzenbord", ""),
    ]);
    assert_eq!(ranked(&i, "vr"), vec![0]);
    assert_eq!(ranked(&i, "robot"), vec![1]);
}

#[test]
fn every_term_must_match() {
    let i = index(&[("Bee-Bot set", "voor kleuters"), ("Bee-Bot mat", "")]);
    assert_eq!(ranked(&i, "bee kleuters"), vec![0]);
    assert_eq!(
        ranked(&i, "bee-bot voor de kleuters"),
        vec![0],
        "stop words are left out"
    );
}

#[test]
fn the_catalogues_own_name_matches_everything() {
    let i = index(&[("Bee-Bot", ""), ("Ganzenbord", "")]);
    assert_eq!(i.matches("klasbakken"), None);
    assert_eq!(i.matches("  "), None);
    assert_eq!(ranked(&i, "klasbak bee"), vec![0]);
    // Only stop words: they are searched after all.
    let j = index(&[("De Gouden Eeuw", ""), ("Ganzenbord", "")]);
    assert_eq!(ranked(&j, "de"), vec![0]);
}

#[test]
fn did_you_mean_corrects_what_matches_nothing() {
    let i = index(&[("Ontdekkoffer natuur", "met loepen"), ("Bee-Bot", "")]);
    assert_eq!(i.suggest("ontdkkofer").as_deref(), Some("ontdekkoffer"));
    assert_eq!(i.suggest("natuur lupen").as_deref(), Some("natuur loepen"));
    assert_eq!(i.suggest("bee"), None, "it matches: nothing to correct");
    assert_eq!(i.suggest("qqqqqqqq"), None);
}

#[test]
fn edit_distances() {
    assert!(within_one_edit("kleur", "kleur"));
    assert!(within_one_edit("kleur", "kluer"));
    assert!(within_one_edit("kleur", "kler"));
    assert!(within_one_edit("kleur", "kleurr"));
    assert!(!within_one_edit("kleur", "klaar"));
    assert_eq!(edit_distance("ontdkkofer", "ontdekkoffer"), 2);
    assert_eq!(edit_distance("ab", "ba"), 1);
}

proptest! {
    #[test]
    fn one_edit_agrees_with_the_distance(a in "[a-d]{0,6}", b in "[a-d]{0,6}") {
        prop_assert_eq!(within_one_edit(&a, &b), edit_distance(&a, &b) <= 1);
    }

    #[test]
    fn a_word_of_a_title_always_finds_its_document(
        titles in proptest::collection::vec("[a-z]{1,8}( [a-z]{1,8}){0,3}", 1..20),
        pick in any::<proptest::sample::Index>(),
    ) {
        let docs: Vec<(&str, &str)> = titles.iter().map(|t| (t.as_str(), "")).collect();
        let i = TextIndex::new(docs.iter().copied());
        let doc = pick.index(titles.len());
        let word = titles[doc].split(' ').next().unwrap();
        if let Some(scores) = i.matches(word) {
            prop_assert!(scores[doc] > 0);
        }
    }
}
