//! Decodes the QR codes in a greyscale camera frame (rqrr). Built as its own wasm module
//! and loaded by the scanner page on demand.

use wasm_bindgen::prelude::wasm_bindgen;

/// The texts of the QR codes found in a `width` × `height` greyscale frame (one byte per
/// pixel, row by row); empty when none is readable.
#[wasm_bindgen]
pub fn decode_qr(grey: &[u8], width: u32, height: u32) -> Vec<String> {
    decode(grey, width as usize, height as usize)
}

/// The same, for native callers and tests.
pub fn decode(grey: &[u8], width: usize, height: usize) -> Vec<String> {
    if width == 0 || height == 0 || grey.len() < width * height {
        return Vec::new();
    }
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, content)| content))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn an_empty_or_short_frame_has_no_codes() {
        assert!(decode(&[], 0, 0).is_empty());
        assert!(decode(&[255; 10], 10, 10).is_empty());
        assert!(decode(&[255; 100], 10, 10).is_empty());
    }
}
