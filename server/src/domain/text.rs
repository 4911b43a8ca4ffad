//! Text handling for search: folding, sort keys and safe full-text queries.

use leenpunt_shared::values::fold_diacritics;

/// Most words taken from one query; the rest are ignored.
const MAX_TERMS: usize = 12;

/// A case- and accent-insensitive key for alphabetical ordering ("Één" sorts with "een").
pub fn sort_key(title: &str) -> String {
    fold_diacritics(title).to_lowercase()
}

/// The searchable words of a text: accents folded, lower case, split on anything that is
/// not a letter or digit.
pub fn words(input: &str) -> Vec<String> {
    fold_diacritics(input)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The words of a query, at most `MAX_TERMS`.
pub fn terms(input: &str) -> Vec<String> {
    let mut t = words(input);
    t.truncate(MAX_TERMS);
    t
}

/// Turns what a teacher typed into an FTS5 query: every word must occur, each as a
/// prefix ("robo" finds "robots"). Words are quoted, so FTS syntax in the input is
/// inert. `None` when the input has no words.
pub fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = terms(input)
        .into_iter()
        .map(|t| format!("\"{t}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// How many query terms begin a word of the title: the relevance of a text match.
/// Entries named after what was asked come first.
pub fn title_score(title_words: &[String], terms: &[String]) -> u32 {
    terms
        .iter()
        .filter(|t| title_words.iter().any(|w| w.starts_with(t.as_str())))
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn builds_prefix_terms() {
        assert_eq!(
            fts_query("Bee-Bot robots").as_deref(),
            Some("\"bee\"* \"bot\"* \"robots\"*")
        );
        assert_eq!(fts_query("  créatie ").as_deref(), Some("\"creatie\"*"));
        assert_eq!(fts_query(" - ; "), None);
    }

    #[test]
    fn fts_syntax_is_neutralised() {
        assert_eq!(
            fts_query("a\" OR title:*").as_deref(),
            Some("\"a\"* \"or\"* \"title\"*")
        );
    }

    #[test]
    fn title_score_counts_prefix_matches() {
        let title = words("Bee-Bot set voor kleuters");
        assert_eq!(title_score(&title, &terms("bee kleut")), 2);
        assert_eq!(title_score(&title, &terms("robot")), 0);
    }

    #[test]
    fn sort_key_ignores_case_and_accents() {
        assert_eq!(sort_key("Één Ecosysteem"), "een ecosysteem");
    }

    proptest! {
        #[test]
        fn fts_terms_never_contain_quotes(input in "\\PC{0,80}") {
            if let Some(q) = fts_query(&input) {
                for term in q.split(' ') {
                    prop_assert!(term.starts_with('"') && term.ends_with("\"*"));
                    prop_assert!(!term[1..term.len() - 2].contains('"'));
                }
            }
        }
    }
}
