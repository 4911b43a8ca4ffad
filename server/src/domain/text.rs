//! Text handling for search: folding and sort keys.

use leenpunt_shared::values::fold_diacritics;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_accents_and_punctuation() {
        assert_eq!(words("Bee-Bot: créatie!"), vec!["bee", "bot", "creatie"]);
        assert!(words(" - ; ").is_empty());
    }

    #[test]
    fn sort_key_ignores_case_and_accents() {
        assert_eq!(sort_key("Één Ecosysteem"), "een ecosysteem");
    }
}
