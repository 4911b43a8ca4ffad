//! The two places where the view engine does not escape text for us, so stored values
//! must never be put there directly: the page title and a text area's content.
//!
//! - leptos_meta 0.8 writes the `<title>` text into the server-rendered head as is, so a
//!   kit title with `</title><meta http-equiv="refresh" …>` would redirect every visitor.
//! - tachys 0.2 renders `<textarea>` children unescaped (as it does for `<script>`), so a
//!   stored `</textarea><script>…` would end the field and run.
//!
//! Both are escaped here, once. The browser decodes `<title>` and `<textarea>` content, so
//! people see exactly what was stored.

use leenpunt_shared::html::escape;
use leptos::prelude::*;
use leptos_meta::Title;

/// The page's title: "`text` · Leenpunt", or just "Leenpunt" for an empty text. Use this,
/// never leptos_meta's `Title`, so every title is escaped.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <Title text=title_markup(&text)/> }
}

/// What goes between `<title>` and `</title>`: escaped on the server, where leptos_meta
/// writes it raw; plain in the browser, where it is set as `document.title` (text).
pub fn title_markup(text: &str) -> String {
    let full = if text.is_empty() {
        "Leenpunt".to_owned()
    } else {
        format!("{text} · Leenpunt")
    };
    if cfg!(feature = "ssr") {
        escape(&full)
    } else {
        full
    }
}

/// A `<textarea>` holding `value`. The content goes in as escaped markup, which the
/// browser parses back into exactly `value` (on the server's page and, should it ever be
/// in an island, when it is built in the browser).
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] value: String,
) -> impl IntoView {
    view! { <textarea id=id name=name rows="3" inner_html=escape(&value)></textarea> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_is_escaped_on_the_server_and_plain_in_the_browser() {
        let hostile = r#"Bee</title><meta http-equiv="refresh" content="0;url=x">"#;
        let markup = title_markup(hostile);
        if cfg!(feature = "ssr") {
            assert!(!markup.contains('<') && !markup.contains('"'), "{markup}");
            assert!(markup.ends_with(" · Leenpunt"));
        } else {
            assert_eq!(markup, format!("{hostile} · Leenpunt"));
        }
        assert_eq!(title_markup(""), "Leenpunt");
    }

    /// The guard that keeps it "once": no other file sets a title or fills a text area
    /// itself.
    #[test]
    fn no_page_uses_the_raw_title_or_fills_a_textarea_itself() {
        let mut files = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        let mut checked = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("components/text.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            checked += 1;
            for line in source
                .lines()
                .filter(|l| l.trim_start().starts_with("use leptos_meta"))
            {
                assert!(!line.contains("Title"), "{}: use PageTitle", path.display());
            }
            for (at, _) in source.match_indices("<textarea") {
                let element = &source[at..];
                let element = &element[..element.find("</textarea>").unwrap_or(element.len())];
                assert!(
                    !element.contains(">{"),
                    "{}: use TextArea for a filled text area",
                    path.display()
                );
            }
        }
        assert!(checked > 10, "read the sources");
    }
}
