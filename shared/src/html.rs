//! Escaping for the places where stored text meets HTML outside the view engine's own
//! escaping: the page `<title>` (leptos_meta writes it raw), `<textarea>` content (tachys
//! treats it like `<script>`, unescaped) and hand-built documents such as the label sheet;
//! and the one rule for which stored URLs may become a link or an image source.

/// Escapes text for HTML element content and double- or single-quoted attribute values.
/// `<textarea>` and `<title>` content is decoded by the browser, so the text comes back
/// exactly as given.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `url` when it may be put in an `href` or `src`: an absolute `http(s)` URL or a path on
/// this site. Anything else (`javascript:`, `data:`, `//other.host`, …) is `None`.
pub fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    let site_path = url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\");
    let web = (lower.starts_with("https://") || lower.starts_with("http://"))
        && url.len() > "https://".len();
    // Control characters and white space inside a URL are how scheme checks get fooled.
    let clean = !url.chars().any(|c| c.is_control() || c.is_whitespace());
    (clean && (site_path || web)).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_character_that_can_end_a_text_or_attribute() {
        assert_eq!(
            escape(r#"</title><a href="x" b='y'>&amp;"#),
            "&lt;/title&gt;&lt;a href=&quot;x&quot; b=&#39;y&#39;&gt;&amp;amp;"
        );
        assert_eq!(escape("Bee-Bot · klein"), "Bee-Bot · klein");
    }

    #[test]
    fn only_web_urls_and_site_paths_are_safe() {
        for ok in [
            "https://example.be/x?a=1",
            "http://example.be",
            "/photos/a.webp",
        ] {
            assert_eq!(safe_url(ok), Some(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "//evil.example/x",
            "/\\evil.example",
            "https://",
            "https://a.be/\nx",
            "mailto:a@b.be",
            "",
        ] {
            assert_eq!(safe_url(bad), None, "{bad:?}");
        }
    }
}
