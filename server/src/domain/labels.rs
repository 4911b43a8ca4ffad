//! QR labels for units: the scan URL, QR images (SVG and PNG) and printable A4 label
//! sheets as a standalone HTML document. Pure rendering: no I/O.
//!
//! A sheet prints at 100 % scale with no page margin (`@page { margin: 0 }`): the label
//! grid fills the A4 page exactly, so it lines up with edge-to-edge label stock
//! (3 × 8 labels of 70 × 37 mm, 2 × 4 of 105 × 74 mm) and with cutting lines on plain
//! paper. Each label keeps a padding of a few millimetres, so the unprintable border of
//! most printers clips nothing.

use super::tags::TagCode;
use crate::texts::Text;
use image::{ImageFormat, Luma};
use leenpunt_shared::html::escape;
use leenpunt_shared::Lang;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use std::fmt::Write as _;
use std::io::Cursor;

/// Error correction of every QR code: level Q restores up to 25 % of damaged modules,
/// which matters for labels on kits that are handled daily.
const EC_LEVEL: EcLevel = EcLevel::Q;

/// Pixels per module in the SVG's own coordinates (its `width`/`height` attributes); the
/// sheet's CSS sets the printed size.
const SVG_MODULE_PX: u32 = 4;

/// The URL a unit's QR code holds: `<base_url>/s/<canonical code>`.
pub fn scan_url(base_url: &str, code: &TagCode) -> String {
    format!("{}/s/{}", base_url.trim_end_matches('/'), code.as_str())
}

/// The QR code for `data`.
///
/// # Panics
/// If `data` is longer than a QR code holds (over 1,600 bytes at level Q); scan URLs are
/// far shorter.
fn qr_code(data: &str) -> QrCode {
    QrCode::with_error_correction_level(data.as_bytes(), EC_LEVEL)
        .expect("QR data fits in a QR code")
}

/// The QR code for `data` as an SVG element to put inline in HTML: no XML prolog, a
/// `viewBox` so it scales, class `qr`, and `width`/`height` attributes (4 px per module)
/// that CSS overrides. The quiet zone is included.
///
/// # Panics
/// See [`qr_code`]: only for data longer than a QR code holds.
pub fn qr_svg(data: &str) -> String {
    let svg = qr_code(data)
        .render::<svg::Color>()
        .quiet_zone(true)
        .module_dimensions(SVG_MODULE_PX, SVG_MODULE_PX)
        .build();
    let start = svg
        .find("<svg")
        .expect("the SVG renderer writes an <svg> element");
    format!("<svg class=\"qr\"{}", &svg[start + "<svg".len()..])
}

/// The QR code for `data` as PNG bytes, black on white, `module_px` pixels per module
/// (at least 1), quiet zone included.
///
/// # Panics
/// See [`qr_code`]: only for data longer than a QR code holds.
pub fn qr_png(data: &str, module_px: u32) -> Vec<u8> {
    let image = qr_code(data)
        .render::<Luma<u8>>()
        .quiet_zone(true)
        .module_dimensions(module_px, module_px)
        .build();
    let mut png = Cursor::new(Vec::new());
    image
        .write_to(&mut png, ImageFormat::Png)
        .expect("encoding a PNG in memory cannot fail");
    png.into_inner()
}

/// The label formats a sheet can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelLayout {
    /// 3 × 8 labels of 70 × 37.125 mm: QR, code, kit title, unit and owner in small text.
    Small,
    /// 2 × 4 labels of 105 × 74.25 mm: a larger QR, code, kit title, unit and owner.
    Large,
}

impl LabelLayout {
    pub const ALL: [LabelLayout; 2] = [LabelLayout::Small, LabelLayout::Large];

    /// Reads the form used in query strings and forms: `small` or `large`.
    pub fn from_wire(s: &str) -> Option<LabelLayout> {
        match s {
            "small" => Some(LabelLayout::Small),
            "large" => Some(LabelLayout::Large),
            _ => None,
        }
    }

    pub fn as_wire(self) -> &'static str {
        match self {
            LabelLayout::Small => "small",
            LabelLayout::Large => "large",
        }
    }

    /// Labels across one A4 sheet.
    pub fn columns(self) -> usize {
        match self {
            LabelLayout::Small => 3,
            LabelLayout::Large => 2,
        }
    }

    /// Labels down one A4 sheet.
    pub fn rows(self) -> usize {
        match self {
            LabelLayout::Small => 8,
            LabelLayout::Large => 4,
        }
    }

    pub fn per_sheet(self) -> usize {
        self.columns() * self.rows()
    }
}

/// What one label shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub code: TagCode,
    pub kit_title: String,
    /// The partner or school that owns the unit.
    pub owner: String,
    /// Which unit of the kit this is, e.g. "Doos 3"; left out when empty.
    pub unit_label: String,
}

/// The sheet's style sheet, for both layouts. Exposed so it can also be served as a
/// file when a page's Content Security Policy refuses inline styles.
pub const SHEET_CSS: &str = include_str!("labels/sheet.css");

/// A complete HTML document (no JavaScript) with `labels` on as many A4 sheets as needed,
/// in order, row by row. Every text is escaped. The style sheet is inline, with
/// `nonce` on the `<style>` element when given.
pub fn render_sheet(
    layout: LabelLayout,
    labels: &[Label],
    base_url: &str,
    lang: Lang,
    title: &str,
    nonce: Option<&str>,
) -> String {
    render_sheet_from(layout, 1, labels, base_url, lang, title, nonce)
}

/// The same, starting at label position `first` (1-based) of the first sheet, so a
/// partly used sheet can go through the printer again; the positions before it stay blank.
pub fn render_sheet_from(
    layout: LabelLayout,
    first: usize,
    labels: &[Label],
    base_url: &str,
    lang: Lang,
    title: &str,
    nonce: Option<&str>,
) -> String {
    let mut html = String::with_capacity(4096 + labels.len() * 6144);
    let nonce_attr = nonce
        .map(|n| format!(" nonce=\"{}\"", escape(n)))
        .unwrap_or_default();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style{nonce_attr}>\n{SHEET_CSS}</style>\n</head>\n<body>\n\
         <p class=\"hint\">{}</p>\n",
        lang.tag(),
        escape(title),
        print_hint(lang),
    );
    let blanks = first.clamp(1, layout.per_sheet()) - 1;
    let cells: Vec<Option<&Label>> = std::iter::repeat_n(None, blanks)
        .chain(labels.iter().map(Some))
        .collect();
    for sheet in cells.chunks(layout.per_sheet()) {
        let _ = writeln!(html, "<section class=\"sheet {}\">", layout.as_wire());
        for cell in sheet {
            match cell {
                Some(label) => write_label(&mut html, label, base_url),
                None => html
                    .push_str("<article class=\"label blank\" aria-hidden=\"true\"></article>\n"),
            }
        }
        html.push_str("</section>\n");
    }
    html.push_str("</body>\n</html>\n");
    html
}

/// One label: the QR code with the display code under it, and the texts beside it.
fn write_label(html: &mut String, label: &Label, base_url: &str) {
    let _ = write!(
        html,
        "<article class=\"label\">\n<div class=\"qr-box\">{}\n<div class=\"code\">{}</div>\
         </div>\n<div class=\"text\">\n<div class=\"title\">{}</div>\n",
        qr_svg(&scan_url(base_url, &label.code)),
        label.code,
        escape(&label.kit_title),
    );
    for (class, text) in [("unit", &label.unit_label), ("owner", &label.owner)] {
        if !text.trim().is_empty() {
            let _ = writeln!(html, "<div class=\"{class}\">{}</div>", escape(text));
        }
    }
    html.push_str("</div>\n</article>\n");
}

/// Shown on screen only: how to print so the labels come out at their real size.
fn print_hint(lang: Lang) -> String {
    Text::LabelPrintHint.get(lang)
}

#[cfg(test)]
mod tests;
