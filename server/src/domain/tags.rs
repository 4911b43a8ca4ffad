//! Tag codes: the short, hard-to-guess, self-checking code on a unit's QR label.
//!
//! # Scheme
//! A code is 9 symbols of Crockford's base32 alphabet (`0-9A-Z` without `I L O U`):
//! 8 random data symbols (40 bits, about 10¹² codes) and 1 check symbol. Every symbol,
//! the check symbol included, is a typeable letter or digit, so a code is safe in URLs,
//! file names and spoken aloud.
//!
//! The check symbol is *not* Crockford's optional mod-37 symbol: that one needs five
//! extra characters (`* ~ $ = U`), which are awkward to type and to put in a URL.
//! Instead the 32 symbol values are treated as elements of the field GF(32) (polynomial
//! `x⁵ + x² + 1`, generator `α = x`), and the check symbol `c` makes
//! `α⁸·d₀ + α⁷·d₁ + … + α¹·d₇ + c = 0`. Because every weight is non-zero and
//! neighbouring weights differ (their ratio is `α ≠ 1`), the check detects *every*
//! single-symbol substitution and *every* swap of two neighbouring distinct symbols, in
//! all 9 positions (the check symbol included). Swaps of symbols further apart are caught
//! too, as the weights are all distinct.
//!
//! # Forms
//! - Canonical ([`TagCode::as_str`]): 9 upper-case symbols, `K7QM4XZ2R`; for storage
//!   and URLs.
//! - Display ([`std::fmt::Display`]): three groups of three, `K7Q-M4X-Z2R`; short groups
//!   are easier to read off a label and keep one's place while typing.
//!
//! [`TagCode::parse`] forgives typing: surrounding and inner white space and hyphens are
//! ignored, lower case is fine, and `I`/`L` read as `1` and `O` as `0` (Crockford).
//!
//! A random code is unique only with high probability: the database's unique
//! constraint stays the guard, and a caller retries on the (rare) collision.

use crate::texts::Text;
use leenpunt_shared::Lang;
use std::fmt;

/// Crockford's base32 alphabet: symbol value → character.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Random symbols in a code.
const DATA_LEN: usize = 8;
/// All symbols in a code: the data and one check symbol.
pub const CODE_LEN: usize = DATA_LEN + 1;

/// A valid tag code; see the module documentation for the scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TagCode([u8; CODE_LEN]);

/// Why typed text is not a tag code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagError {
    /// Nothing but white space and hyphens.
    Empty,
    /// The number of symbols (hyphens and spaces not counted) is not [`CODE_LEN`].
    WrongLength { found: usize },
    /// A character that is not in the alphabet (the first one found).
    InvalidChar(char),
    /// All characters are valid but the check symbol does not match: a typing error.
    CheckFailed,
}

impl TagCode {
    /// A fresh random code: 40 bits from `rng`, plus the check symbol.
    pub fn generate(rng: &mut impl rand::RngCore) -> TagCode {
        let bits = rng.next_u64();
        let data: [u8; DATA_LEN] =
            std::array::from_fn(|i| ((bits >> (5 * (DATA_LEN - 1 - i))) & 31) as u8);
        TagCode::from_data(data)
    }

    /// The code with these 8 data symbol values (each below 32).
    fn from_data(data: [u8; DATA_LEN]) -> TagCode {
        let mut values = [0u8; CODE_LEN];
        values[..DATA_LEN].copy_from_slice(&data);
        values[DATA_LEN] = check_symbol(&data);
        TagCode(values.map(|v| ALPHABET[usize::from(v)]))
    }

    /// Reads a code as typed or scanned; see the module documentation for what is
    /// forgiven.
    pub fn parse(input: &str) -> Result<TagCode, TagError> {
        let mut values = Vec::with_capacity(CODE_LEN);
        for c in input.chars().filter(|c| *c != '-' && !c.is_whitespace()) {
            values.push(symbol_value(c).ok_or(TagError::InvalidChar(c))?);
        }
        if values.is_empty() {
            return Err(TagError::Empty);
        }
        let values: [u8; CODE_LEN] = values
            .try_into()
            .map_err(|v: Vec<u8>| TagError::WrongLength { found: v.len() })?;
        if weighted_sum(&values) != 0 {
            return Err(TagError::CheckFailed);
        }
        Ok(TagCode(values.map(|v| ALPHABET[usize::from(v)])))
    }

    /// The canonical form: 9 upper-case symbols without separators.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("tag code symbols are ASCII")
    }
}

impl fmt::Display for TagCode {
    /// The display form, `K7Q-M4X-Z2R`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.as_str();
        write!(f, "{}-{}-{}", &s[0..3], &s[3..6], &s[6..9])
    }
}

impl std::str::FromStr for TagCode {
    type Err = TagError;

    fn from_str(s: &str) -> Result<TagCode, TagError> {
        TagCode::parse(s)
    }
}

/// The value of a typed character, with Crockford's aliases; `None` if it has none.
fn symbol_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .map(|v| v as u8)
}

/// `Σ α^(n-1-i)·vᵢ` over GF(32) by Horner's rule: the last value has weight `α⁰`.
/// For a whole code it is 0 exactly when the check symbol matches.
fn weighted_sum(values: &[u8]) -> u8 {
    values.iter().fold(0, |acc, &v| times_alpha(acc) ^ v)
}

/// The check symbol `c` that makes the weighted sum of `data ++ [c]` zero.
fn check_symbol(data: &[u8; DATA_LEN]) -> u8 {
    // In characteristic 2, `x + c = 0` means `c = x`.
    times_alpha(weighted_sum(data))
}

/// Multiplication by `α = x` in GF(32) modulo `x⁵ + x² + 1`.
fn times_alpha(v: u8) -> u8 {
    let shifted = v << 1;
    if shifted & 0b10_0000 != 0 {
        shifted ^ 0b10_0101
    } else {
        shifted
    }
}

impl TagError {
    /// The message a person reads next to the field where they typed the code.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            TagError::Empty => Text::TagEmpty.get(lang),
            TagError::WrongLength { found } => Text::TagWrongLength {
                len: &CODE_LEN,
                found,
            }
            .get(lang),
            TagError::InvalidChar(c) => Text::TagInvalidChar { c }.get(lang),
            TagError::CheckFailed => Text::TagCheckFailed.get(lang),
        }
    }
}

impl fmt::Display for TagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for TagError {}

#[cfg(test)]
mod tests;
