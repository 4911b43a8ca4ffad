use super::*;
use image::GrayImage;
use rand::rngs::StdRng;
use rand::SeedableRng;

const BASE: &str = "https://leenpunt.example.be/";

fn labels(n: usize) -> Vec<Label> {
    let mut rng = StdRng::seed_from_u64(42);
    (0..n)
        .map(|i| Label {
            code: TagCode::generate(&mut rng),
            kit_title: format!("Proefjeskoffer elektriciteit {i}"),
            owner: "Pedagogische begeleiding Gent".into(),
            unit_label: format!("Doos {}", i + 1),
        })
        .collect()
}

/// Decodes the single QR code in a grey image.
fn decode(image: GrayImage) -> String {
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "expected exactly one QR code");
    grids[0].decode().expect("a readable QR code").1
}

/// The text between `open` and the next `close` after it, for every occurrence.
fn all_between<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        let after = &rest[start + open.len()..];
        let end = after.find(close).expect("closed");
        found.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    found
}

fn attribute<'a>(element: &'a str, name: &str) -> &'a str {
    all_between(element, &format!(" {name}=\""), "\"")[0]
}

/// Draws an SVG from [`qr_svg`] into a grey image, one pixel per SVG unit: the white
/// background `<rect>` and the black `<path>` made of `M x y h w v h H x V y` squares.
fn rasterize(svg: &str) -> GrayImage {
    let view_box: Vec<u32> = attribute(svg, "viewBox")
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(view_box[..2], [0, 0]);
    let (w, h) = (view_box[2], view_box[3]);
    let rect = all_between(svg, "<rect", "/>");
    assert_eq!(rect.len(), 1);
    assert_eq!(attribute(rect[0], "fill"), "#fff");
    assert_eq!(attribute(rect[0], "width"), w.to_string());
    let mut image = GrayImage::from_pixel(w, h, Luma([255]));
    let path = all_between(svg, "<path", "/>");
    assert_eq!(path.len(), 1);
    assert_eq!(attribute(path[0], "fill"), "#000");
    for square in attribute(path[0], "d").split('M').skip(1) {
        let n: Vec<u32> = square
            .split(['h', 'v', 'H', 'V', ' '])
            .map(|n| n.parse().unwrap())
            .collect();
        let [x, y, dx, dy, x2, y2] = n[..] else {
            panic!("unexpected path segment {square}")
        };
        assert_eq!((x2, y2), (x, y), "the square closes where it began");
        for py in y..y + dy {
            for px in x..x + dx {
                image.put_pixel(px, py, Luma([0]));
            }
        }
    }
    image
}

#[test]
fn scan_url_joins_base_and_canonical_code() {
    let code = TagCode::parse("000-000-000").unwrap();
    assert_eq!(
        scan_url("https://x.example/", &code),
        "https://x.example/s/000000000"
    );
    assert_eq!(
        scan_url("https://x.example/leen", &code),
        "https://x.example/leen/s/000000000"
    );
}

#[test]
fn qr_png_decodes_to_the_data() {
    for label in labels(30) {
        let url = scan_url(BASE, &label.code);
        let png = qr_png(&url, 4);
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let image = image::load_from_memory(&png).unwrap().to_luma8();
        // Quiet zone: the outer 4 modules (16 px) are white.
        assert!((0..16).all(|i| image.get_pixel(i, i).0 == [255]));
        assert_eq!(decode(image), url);
    }
}

#[test]
fn qr_svg_is_inline_and_scalable() {
    let svg = qr_svg("https://leenpunt.example.be/s/000000000");
    assert!(svg.starts_with("<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.ends_with("</svg>"));
    assert!(!svg.contains("<?xml"));
    let size = attribute(&svg, "width");
    assert_eq!(attribute(&svg, "height"), size);
    assert_eq!(attribute(&svg, "viewBox"), format!("0 0 {size} {size}"));
    assert_eq!(
        decode(rasterize(&svg)),
        "https://leenpunt.example.be/s/000000000"
    );
}

#[test]
fn layouts_round_trip_on_the_wire() {
    for layout in LabelLayout::ALL {
        assert_eq!(LabelLayout::from_wire(layout.as_wire()), Some(layout));
    }
    assert_eq!(LabelLayout::from_wire("Small"), None);
    assert_eq!(LabelLayout::Small.per_sheet(), 24);
    assert_eq!(LabelLayout::Large.per_sheet(), 8);
}

/// The sections of a rendered sheet, each with its labels.
fn sheets(html: &str) -> Vec<Vec<&str>> {
    all_between(html, "<section class=\"sheet", "</section>")
        .into_iter()
        .map(|s| all_between(s, "<article class=\"label\">", "</article>"))
        .collect()
}

#[test]
fn every_qr_on_the_sheet_reads_as_its_units_url() {
    let labels = labels(30);
    let html = render_sheet(LabelLayout::Small, &labels, BASE, Lang::Nl, "Labels", None);
    let on_sheet: Vec<&str> = sheets(&html).concat();
    assert_eq!(on_sheet.len(), labels.len());
    for (label, html) in labels.iter().zip(on_sheet) {
        let svg = all_between(html, "<svg", "</svg>");
        assert_eq!(svg.len(), 1);
        let url = decode(rasterize(&format!("<svg{}</svg>", svg[0])));
        assert_eq!(
            url,
            format!("https://leenpunt.example.be/s/{}", label.code.as_str())
        );
        let shown = all_between(html, "<div class=\"code\">", "</div>");
        assert_eq!(shown, [label.code.to_string()]);
        assert!(html.contains(&label.kit_title));
        assert!(html.contains(&label.unit_label));
        assert!(html.contains(&label.owner));
    }
}

#[test]
fn labels_fill_sheets_in_order() {
    let cases = [
        (LabelLayout::Small, 30, vec![24, 6]),
        (LabelLayout::Small, 24, vec![24]),
        (LabelLayout::Small, 0, vec![]),
        (LabelLayout::Large, 30, vec![8, 8, 8, 6]),
        (LabelLayout::Large, 1, vec![1]),
    ];
    for (layout, n, per_page) in cases {
        let html = render_sheet(layout, &labels(n), BASE, Lang::En, "Labels", None);
        let counts: Vec<usize> = sheets(&html).iter().map(Vec::len).collect();
        assert_eq!(counts, per_page, "{layout:?} with {n} labels");
        let class = format!("<section class=\"sheet {}\">", layout.as_wire());
        assert_eq!(html.matches(&class).count(), per_page.len());
    }
}

#[test]
fn the_sheet_is_a_standalone_a4_document() {
    let html = render_sheet(
        LabelLayout::Large,
        &labels(3),
        BASE,
        Lang::Nl,
        "Labels",
        None,
    );
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl-BE\">"));
    assert!(html.contains("<style>\n"));
    assert!(html.contains("Druk af op A4"));
    assert!(!html.contains("<script"));
    assert!(
        !html.contains(" style=\""),
        "inline style attributes break the CSP"
    );
    for rule in [
        "@page { size: A4; margin: 0; }",
        "width: 210mm;",
        "height: 297mm;",
        "break-after: page;",
        "page-break-after: always;",
        "grid-template-columns: repeat(3, 70mm); grid-template-rows: repeat(8, 37.125mm);",
        "grid-template-columns: repeat(2, 105mm); grid-template-rows: repeat(4, 74.25mm);",
    ] {
        assert!(SHEET_CSS.contains(rule), "missing {rule}");
    }
    // The grids fill the page exactly.
    assert_eq!(3.0 * 70.0, 210.0);
    assert_eq!(8.0 * 37.125, 297.0);
    assert_eq!(2.0 * 105.0, 210.0);
    assert_eq!(4.0 * 74.25, 297.0);
    let with_nonce = render_sheet(LabelLayout::Small, &[], BASE, Lang::En, "x", Some("n0nce"));
    assert!(with_nonce.contains("<style nonce=\"n0nce\">\n"));
    assert!(with_nonce.contains("<html lang=\"en\">"));
}

#[test]
fn all_text_is_escaped() {
    let evil = "<script>alert(\"x\")</script> & 'y'";
    let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;";
    let label = Label {
        kit_title: evil.into(),
        owner: format!("owner {evil}"),
        unit_label: format!("unit {evil}"),
        ..labels(1).remove(0)
    };
    let html = render_sheet(
        LabelLayout::Small,
        &[label],
        BASE,
        Lang::Nl,
        &format!("title {evil}"),
        Some("\"><script>"),
    );
    assert!(!html.contains("<script"));
    assert!(!html.contains("alert(\""));
    for prefix in [
        "<title>title ",
        ">owner ",
        ">unit ",
        "<div class=\"title\">",
    ] {
        assert!(html.contains(&format!("{prefix}{escaped}<")), "{prefix}");
    }
    assert!(html.contains("<style nonce=\"&quot;&gt;&lt;script&gt;\">"));
}

#[test]
fn empty_unit_and_owner_are_left_out() {
    let label = Label {
        owner: String::new(),
        unit_label: " ".into(),
        ..labels(1).remove(0)
    };
    let html = render_sheet(LabelLayout::Large, &[label], BASE, Lang::Nl, "x", None);
    assert!(!html.contains("class=\"owner\""));
    assert!(!html.contains("class=\"unit\""));
}

#[test]
fn a_sheet_can_start_at_a_later_position() {
    let html = render_sheet_from(LabelLayout::Large, 3, &labels(7), BASE, Lang::Nl, "x", None);
    // 2 blanks + 7 labels = 9 cells: two sheets of 8.
    assert_eq!(html.matches("<section class=\"sheet").count(), 2);
    assert_eq!(html.matches("class=\"label blank\"").count(), 2);
    assert_eq!(html.matches("<article class=\"label\">").count(), 7);
    // A position past the sheet's last means its last.
    let html = render_sheet_from(
        LabelLayout::Large,
        99,
        &labels(1),
        BASE,
        Lang::Nl,
        "x",
        None,
    );
    assert_eq!(html.matches("class=\"label blank\"").count(), 7);
    assert_eq!(
        render_sheet_from(LabelLayout::Small, 0, &labels(2), BASE, Lang::Nl, "x", None),
        render_sheet(LabelLayout::Small, &labels(2), BASE, Lang::Nl, "x", None)
    );
}
