use super::*;
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::HashSet;

/// The canonical text with the symbol at `pos` replaced by the symbol of value `v`.
fn substituted(code: &TagCode, pos: usize, v: u8) -> String {
    let mut bytes = code.0;
    bytes[pos] = ALPHABET[usize::from(v)];
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The canonical text with the symbols at `pos` and `pos + 1` swapped.
fn swapped(code: &TagCode, pos: usize) -> String {
    let mut bytes = code.0;
    bytes.swap(pos, pos + 1);
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn value_at(code: &TagCode, pos: usize) -> u8 {
    symbol_value(char::from(code.0[pos])).unwrap()
}

#[test]
fn alpha_generates_the_whole_field() {
    // α has order 31, so the 9 weights α⁸…α⁰ are distinct and non-zero.
    let mut v = 1;
    let mut seen = HashSet::new();
    for _ in 0..31 {
        assert!(seen.insert(v), "α has order below 31");
        v = times_alpha(v);
    }
    assert_eq!(v, 1);
    assert_eq!(seen.len(), 31);
}

#[test]
fn known_codes_and_forms() {
    let zero = TagCode::from_data([0; 8]);
    assert_eq!(zero.as_str(), "000000000");
    assert_eq!(zero.to_string(), "000-000-000");
    // Data 0…0 1 gives check α¹ = 2.
    let one = TagCode::from_data([0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!(one.as_str(), "000000012");
    assert_eq!(one.to_string(), "000-000-012");
}

#[test]
fn parse_forgives_case_spacing_hyphens_and_aliases() {
    let code = TagCode::from_data([1, 0, 20, 31, 10, 1, 0, 17]);
    assert_eq!(code.as_str().len(), CODE_LEN);
    let canonical = code.as_str().to_owned();
    assert_eq!(TagCode::parse(&canonical), Ok(code));
    assert_eq!(TagCode::parse(&code.to_string()), Ok(code));
    assert_eq!(TagCode::parse(&canonical.to_lowercase()), Ok(code));
    let spaced = format!(
        "  {} {}\t-{}\n",
        &canonical[..2],
        &canonical[2..5],
        &canonical[5..]
    );
    assert_eq!(TagCode::parse(&spaced), Ok(code));
    let aliased = canonical
        .replacen('1', "l", 1)
        .replacen('1', "I", 1)
        .replace('0', "o");
    assert_ne!(aliased, canonical);
    assert_eq!(TagCode::parse(&aliased), Ok(code));
    assert_eq!(canonical.parse::<TagCode>(), Ok(code));
}

#[test]
fn parse_errors_are_distinct() {
    assert_eq!(TagCode::parse(""), Err(TagError::Empty));
    assert_eq!(TagCode::parse(" - -\t"), Err(TagError::Empty));
    assert_eq!(
        TagCode::parse("K7Q-M4"),
        Err(TagError::WrongLength { found: 5 })
    );
    assert_eq!(
        TagCode::parse("000-000-0000"),
        Err(TagError::WrongLength { found: 10 })
    );
    assert_eq!(
        TagCode::parse("K7Q-M4X-Z2U"),
        Err(TagError::InvalidChar('U'))
    );
    assert_eq!(TagCode::parse("K7Q*M4XZ2"), Err(TagError::InvalidChar('*')));
    assert_eq!(TagCode::parse("K7Q_M4XZ2"), Err(TagError::InvalidChar('_')));
    assert_eq!(TagCode::parse("ÉÉN"), Err(TagError::InvalidChar('É')));
    // A check symbol that does not match.
    assert_eq!(TagCode::parse("000-000-001"), Err(TagError::CheckFailed));
}

#[test]
fn messages_exist_in_both_languages() {
    let errors = [
        TagError::Empty,
        TagError::WrongLength { found: 5 },
        TagError::InvalidChar('*'),
        TagError::CheckFailed,
    ];
    for e in errors {
        let (nl, en) = (e.message(Lang::Nl), e.message(Lang::En));
        assert!(!nl.is_empty() && !en.is_empty());
        assert_ne!(nl, en);
        assert_eq!(e.to_string(), en);
    }
    assert!(TagError::InvalidChar('*').message(Lang::Nl).contains('*'));
    assert!(TagError::WrongLength { found: 5 }
        .message(Lang::Nl)
        .contains(" 5."));
}

#[test]
fn generated_codes_are_distinct_and_use_every_symbol() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut codes = HashSet::new();
    let mut symbols = HashSet::new();
    for _ in 0..2000 {
        let code = TagCode::generate(&mut rng);
        assert_eq!(TagCode::parse(code.as_str()), Ok(code));
        symbols.extend(code.as_str()[..DATA_LEN].chars());
        codes.insert(code);
    }
    assert_eq!(codes.len(), 2000);
    assert_eq!(symbols.len(), 32);
}

/// The check is linear: an error changes the weighted sum by an amount that depends only
/// on its position and the symbols involved, not on the rest of the code. So when every
/// possible error changes the sum of one code, no error can turn a valid code (sum 0) into
/// another valid code. Trying every error on one code proves it for all codes.
#[test]
fn every_substitution_and_neighbour_swap_is_caught_exhaustively() {
    let base = [0u8; CODE_LEN];
    for pos in 0..CODE_LEN {
        for a in 0..32u8 {
            for b in (0..32u8).filter(|b| *b != a) {
                let (mut with_a, mut with_b) = (base, base);
                with_a[pos] = a;
                with_b[pos] = b;
                assert_ne!(
                    weighted_sum(&with_a),
                    weighted_sum(&with_b),
                    "{pos}: {a}/{b}"
                );
                if pos + 1 < CODE_LEN {
                    let mut ab = base;
                    ab[pos] = a;
                    ab[pos + 1] = b;
                    let mut ba = ab;
                    ba.swap(pos, pos + 1);
                    assert_ne!(weighted_sum(&ab), weighted_sum(&ba), "{pos}: {a}{b}");
                }
            }
        }
    }
}

fn any_code() -> impl Strategy<Value = TagCode> {
    proptest::array::uniform8(0u8..32).prop_map(TagCode::from_data)
}

proptest! {
    #[test]
    fn generated_codes_round_trip(seed in any::<u64>()) {
        let code = TagCode::generate(&mut StdRng::seed_from_u64(seed));
        prop_assert_eq!(TagCode::parse(&code.to_string()), Ok(code));
        prop_assert_eq!(TagCode::parse(code.as_str()), Ok(code));
        prop_assert_eq!(TagCode::parse(&code.to_string().to_lowercase()), Ok(code));
        prop_assert!(code.as_str().bytes().all(|b| ALPHABET.contains(&b)));
    }

    #[test]
    fn a_substituted_symbol_is_caught(code in any_code(), pos in 0..CODE_LEN, v in 0u8..32) {
        prop_assume!(v != value_at(&code, pos));
        prop_assert_eq!(TagCode::parse(&substituted(&code, pos, v)), Err(TagError::CheckFailed));
    }

    #[test]
    fn swapped_neighbours_are_caught(code in any_code(), pos in 0..CODE_LEN - 1) {
        prop_assume!(code.0[pos] != code.0[pos + 1]);
        prop_assert_eq!(TagCode::parse(&swapped(&code, pos)), Err(TagError::CheckFailed));
    }
}
