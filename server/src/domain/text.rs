//! Text handling for search: folding, sort keys and safe full-text queries.

use leenpunt_shared::values::fold_diacritics;

/// Most words taken from one query; the rest are ignored.
const MAX_TERMS: usize = 12;

/// A case- and accent-insensitive key for alphabetical ordering ("Één" sorts with "een").
pub fn sort_key(title: &str) -> String {
    fold_diacritics(title).to_lowercase()
}

/// Turns what a teacher typed into an FTS5 query: every word must occur, each as a
/// prefix ("robo" finds "robots"). Words are quoted, so FTS syntax in the input is
/// inert. `None` when the input has no words.
pub fn fts_query(input: &str) -> Option<String> {
    let folded = fold_diacritics(input).to_lowercase();
    let terms: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(MAX_TERMS)
        .map(|t| format!("\"{t}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
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
