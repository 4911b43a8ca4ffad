//! Bar charts as SVG text, drawn on the server (no script, no wasm). Each bar pair shows a
//! figure of the period and of the previous one; the label sits above its bars so the chart
//! stays legible when it shrinks to a phone's width. Colours are presentation attributes
//! (the CSP allows no inline styles); all text is escaped.

/// One thing in a chart: its label, this period's figure and the previous period's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub now: i64,
    pub before: i64,
}

/// The chart's words: its title and text description (read by screen readers), and the
/// legend of the two series.
pub struct ChartText<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub now: &'a str,
    pub before: &'a str,
}

const WIDTH: i64 = 400;
const LABEL: i64 = 18;
const BAR: i64 = 11;
const GAP: i64 = 10;
const LEGEND: i64 = 26;
/// Room for the figure after the longest bar.
const NUMBER: i64 = 64;
pub const NOW_FILL: &str = "#0b5563";
pub const BEFORE_FILL: &str = "#8a9aa5";

/// Escapes text for SVG (XML) content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart; `id` makes the title's and description's ids unique on the page.
pub fn bar_chart(id: &str, text: &ChartText, bars: &[Bar]) -> String {
    let id = escape(id);
    let row = LABEL + 2 * BAR + GAP;
    let height = LEGEND + row * bars.len().max(1) as i64;
    let max = bars
        .iter()
        .flat_map(|b| [b.now, b.before])
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = |v: i64| (v.max(0) * (WIDTH - NUMBER)) / max;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"bar-chart\" \
         font-family=\"system-ui, sans-serif\" font-size=\"13\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(text.title),
        escape(text.description)
    );
    // The legend: two swatches with their series names.
    svg.push_str(&format!(
        "<rect x=\"0\" y=\"4\" width=\"12\" height=\"12\" fill=\"{NOW_FILL}\"/>\
         <text x=\"18\" y=\"15\" fill=\"#1d2b36\">{}</text>\
         <rect x=\"200\" y=\"4\" width=\"12\" height=\"12\" fill=\"{BEFORE_FILL}\"/>\
         <text x=\"218\" y=\"15\" fill=\"#1d2b36\">{}</text>",
        escape(text.now),
        escape(text.before)
    ));
    for (i, b) in bars.iter().enumerate() {
        let y = LEGEND + i as i64 * row;
        let label: String = b.label.chars().take(52).collect();
        svg.push_str(&format!(
            "<g><text x=\"0\" y=\"{}\" fill=\"#1d2b36\">{}</text>",
            y + LABEL - 5,
            escape(&label)
        ));
        for (j, (value, fill)) in [(b.now, NOW_FILL), (b.before, BEFORE_FILL)]
            .into_iter()
            .enumerate()
        {
            let top = y + LABEL + j as i64 * BAR;
            let w = scale(value);
            svg.push_str(&format!(
                "<rect x=\"0\" y=\"{top}\" width=\"{w}\" height=\"{}\" fill=\"{fill}\"/>\
                 <text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#1d2b36\">{value}</text>",
                BAR - 1,
                w + 4,
                top + BAR - 2,
            ));
        }
        svg.push_str("</g>");
    }
    if bars.is_empty() {
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" fill=\"#51606b\">–</text>",
            LEGEND + 16
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> ChartText<'static> {
        ChartText {
            title: "Ontleningen per doelgroep",
            description: "BaO 12, SO 3",
            now: "2025–2026",
            before: "2024–2025",
        }
    }

    #[test]
    fn bars_scale_to_the_largest_figure_and_text_is_escaped() {
        let svg = bar_chart(
            "groups",
            &text(),
            &[
                Bar {
                    label: "<BaO> & \"co\"".into(),
                    now: 12,
                    before: 6,
                },
                Bar {
                    label: "SO".into(),
                    now: 3,
                    before: 0,
                },
            ],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("aria-labelledby=\"groups-title groups-desc\""));
        assert!(svg.contains("&lt;BaO&gt; &amp; &quot;co&quot;"));
        assert!(!svg.contains("<BaO>"));
        // The largest figure spans the bar area; half of it half as far.
        assert!(svg.contains(&format!("width=\"{}\"", WIDTH - NUMBER)));
        assert!(svg.contains(&format!("width=\"{}\"", (WIDTH - NUMBER) / 2)));
        assert_eq!(svg.matches("<g>").count(), 2);
    }

    #[test]
    fn an_empty_chart_is_still_a_valid_picture() {
        let svg = bar_chart("x", &text(), &[]);
        assert!(svg.contains("<title id=\"x-title\">"));
        assert!(svg.contains("viewBox=\"0 0 400 "));
    }
}
