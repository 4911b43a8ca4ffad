//! Forgiving full-text matching over the catalogue, in memory and the same on every
//! database engine.
//!
//! What a teacher types is folded (case, accents) and split into terms; every term must
//! match a kit (title or text), each the best of these ways, best first:
//! - a whole word ("vr" finds "VR-bril" before "vroeger");
//! - the start of a word ("robo" finds "robots");
//! - a word plus an ending ("bots" finds "bot", "klasbakken" finds "klasbak");
//! - one typo in a longer word ("progammeren": a letter missing, extra, wrong or two swapped).
//!
//! Compounds are folded: each pair of neighbouring words is also indexed joined, so
//! "beebot" finds "Bee-Bot" and "vrbril" finds "VR-bril". A short synonym list maps what
//! teachers say to what the catalogue says (`vr` ↔ `virtual reality` …). Words that name
//! the catalogue itself ("klasbakken") and small function words are left out, unless
//! nothing else was typed. Title matches weigh double.

use super::text::words;
use std::collections::BTreeMap;

/// Most terms taken from one query; the rest are ignored.
const MAX_TERMS: usize = 12;

/// Groups of words and phrases that mean the same to a teacher, in Dutch and English.
/// (Themes, levels and kinds need none: their names in every language are indexed.)
/// Each phrase is matched as its words joined ("virtual reality" → "virtualreality"), so
/// it finds the phrase where it is written as two words, with a hyphen, or as one.
const SYNONYMS: &[&[&str]] = &[
    &[
        "vr",
        "vr-bril",
        "virtual reality",
        "virtuele realiteit",
        "vr-headset",
    ],
    &["ar", "augmented reality", "toegevoegde realiteit"],
    &["robot", "robots", "robotica"],
    &["programmeren", "coderen", "codeer", "programming", "coding"],
    &["3d", "3d-printer", "3d-printen"],
    &[
        "wo1",
        "eerste wereldoorlog",
        "groote oorlog",
        "first world war",
    ],
];

/// Words that name the catalogue itself or carry no meaning in a search.
const STOP_WORDS: &[&str] = &[
    "klasbak",
    "klasbakken",
    "leenpunt",
    "de",
    "het",
    "een",
    "en",
    "van",
    "voor",
    "met",
    "in",
    "op",
    "the",
    "a",
    "an",
    "and",
    "of",
    "for",
    "with",
];

/// How a word of a kit matched a term.
const EXACT: u32 = 4;
const PREFIX: u32 = 3;
const ENDING: u32 = 3;
const TYPO: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    doc: u32,
    /// The word occurs in the title (which weighs double).
    title: bool,
}

/// The word forms of every document and where they occur.
#[derive(Debug, Clone, Default)]
pub struct TextIndex {
    /// Every indexed word form, sorted (so a prefix is a range).
    words: Vec<String>,
    /// Postings per word, aligned with `words`.
    postings: Vec<Vec<Posting>>,
    /// Word positions by length in characters, for the typo search.
    by_len: Vec<Vec<u32>>,
    docs: usize,
}

/// The words of a text and its neighbouring pairs joined.
fn forms(text: &str) -> Vec<String> {
    let w = words(text);
    let mut out = w.clone();
    out.extend(w.windows(2).map(|p| format!("{}{}", p[0], p[1])));
    out
}

/// A term (or synonym) folded as the index folds: words joined.
fn joined(text: &str) -> String {
    words(text).concat()
}

impl TextIndex {
    /// Indexes documents given as (title, other text), numbered in the given order.
    pub fn new<'a>(docs: impl IntoIterator<Item = (&'a str, &'a str)>) -> TextIndex {
        let mut map: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
        let mut count = 0;
        for (doc, (title, body)) in docs.into_iter().enumerate() {
            count += 1;
            let doc = doc as u32;
            for (text, title) in [(title, true), (body, false)] {
                for form in forms(text) {
                    let list = map.entry(form).or_default();
                    match list.last_mut() {
                        Some(p) if p.doc == doc => p.title |= title,
                        _ => list.push(Posting { doc, title }),
                    }
                }
            }
        }
        let mut index = TextIndex {
            docs: count,
            ..TextIndex::default()
        };
        for (word, postings) in map {
            let len = word.chars().count();
            if index.by_len.len() <= len {
                index.by_len.resize(len + 1, Vec::new());
            }
            index.by_len[len].push(index.words.len() as u32);
            index.words.push(word);
            index.postings.push(postings);
        }
        index
    }

    /// The terms of a query: folded words, without stop words unless only those were typed.
    pub fn terms(query: &str) -> Vec<String> {
        let mut all = words(query);
        all.truncate(MAX_TERMS);
        let meaningful: Vec<String> = all
            .iter()
            .filter(|t| !STOP_WORDS.contains(&t.as_str()))
            .cloned()
            .collect();
        let only_catalogue_name = all
            .iter()
            .all(|t| matches!(t.as_str(), "klasbak" | "klasbakken" | "leenpunt"));
        if meaningful.is_empty() && !only_catalogue_name {
            all
        } else {
            meaningful
        }
    }

    /// Each document's relevance for the query (0: no match), by document number; `None`
    /// when the query has no terms (everything matches).
    pub fn matches(&self, query: &str) -> Option<Vec<u32>> {
        let terms = Self::terms(query);
        if terms.is_empty() {
            return None;
        }
        let mut total = vec![0u32; self.docs];
        let mut best = vec![0u32; self.docs];
        for (i, term) in terms.iter().enumerate() {
            best.iter_mut().for_each(|b| *b = 0);
            for alternative in alternatives(term) {
                self.score_term(&alternative, &mut best);
            }
            for (t, b) in total.iter_mut().zip(&best) {
                // A document must match every term: one miss and it is out for good.
                *t = if *b == 0 || (i > 0 && *t == 0) {
                    0
                } else {
                    *t + b
                };
            }
        }
        Some(total)
    }

    /// Raises `best[doc]` to how well each document matches one term.
    fn score_term(&self, term: &str, best: &mut [u32]) {
        let mut hit = |word: usize, kind: u32| {
            for p in &self.postings[word] {
                let score = if p.title { kind * 2 } else { kind };
                let slot = &mut best[p.doc as usize];
                *slot = (*slot).max(score);
            }
        };
        // Whole words and words starting with the term: one sorted range.
        let start = self.words.partition_point(|w| w.as_str() < term);
        for (i, w) in self.words[start..].iter().enumerate() {
            if !w.starts_with(term) {
                break;
            }
            hit(
                start + i,
                if w.len() == term.len() { EXACT } else { PREFIX },
            );
        }
        // The term is a word plus an ending ("bots", "klasbakken").
        let chars: Vec<(usize, char)> = term.char_indices().collect();
        for cut in (3..chars.len()).rev() {
            let extra = chars.len() - cut;
            if extra > 3 || (extra == 3 && cut < 4) {
                continue;
            }
            let stem = &term[..chars[cut].0];
            if let Ok(i) = self.words.binary_search_by(|w| w.as_str().cmp(stem)) {
                hit(i, ENDING);
            }
        }
        // One typo in a longer term.
        let len = chars.len();
        if len >= 5 {
            for l in len - 1..=len + 1 {
                for &i in self.by_len.get(l).map(Vec::as_slice).unwrap_or(&[]) {
                    let i = i as usize;
                    if within_one_edit(term, &self.words[i]) {
                        hit(i, TYPO);
                    }
                }
            }
        }
    }

    /// A corrected query when this one matches nothing: every term that matches nothing
    /// replaced by the nearest indexed word (at most two edits), if the result matches.
    pub fn suggest(&self, query: &str) -> Option<String> {
        let terms = Self::terms(query);
        let mut changed = false;
        let mut out = Vec::with_capacity(terms.len());
        for term in terms {
            let mut best = vec![0u32; self.docs];
            for alternative in alternatives(&term) {
                self.score_term(&alternative, &mut best);
            }
            if best.iter().any(|b| *b > 0) {
                out.push(term);
                continue;
            }
            let nearest = self
                .words
                .iter()
                .enumerate()
                .filter(|(_, w)| w.chars().count().abs_diff(term.chars().count()) <= 2)
                .filter_map(|(i, w)| {
                    let d = edit_distance(&term, w);
                    (d > 0 && d <= 2 && term.chars().count() >= 4)
                        .then(|| (d, std::cmp::Reverse(self.postings[i].len()), w))
                })
                .min()?;
            out.push(nearest.2.clone());
            changed = true;
        }
        let suggestion = out.join(" ");
        (changed
            && self
                .matches(&suggestion)
                .is_some_and(|m| m.iter().any(|s| *s > 0)))
        .then_some(suggestion)
    }
}

/// A term and its synonyms, each folded and joined as the index stores compounds.
fn alternatives(term: &str) -> Vec<String> {
    let mut out = vec![term.to_owned()];
    for group in SYNONYMS {
        if group.iter().any(|s| joined(s) == term) {
            out.extend(group.iter().map(|s| joined(s)).filter(|s| s != term));
        }
    }
    out
}

/// Whether two words are at most one edit apart (a letter missing, added, changed, or two
/// neighbours swapped). Plain ASCII words (most of them) are compared as bytes, without
/// allocating: this runs for every indexed word of about the term's length.
fn within_one_edit(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        one_edit(a.as_bytes(), b.as_bytes())
    } else {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        one_edit(&a, &b)
    }
}

fn one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x == y + 1 => ra[1..] == *rb,
        (x, y) if y == x + 1 => *ra == rb[1..],
        _ => false,
    }
}

/// Optimal-string-alignment distance (edits, with swaps of neighbours counting as one).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests;
