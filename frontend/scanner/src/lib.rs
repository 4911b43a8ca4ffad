//! Decodes the QR codes in a greyscale camera frame. Built as its own wasm module and
//! loaded by the scanner page on demand, where the browser has no `BarcodeDetector`.
//!
//! rqrr finds and reads the codes; what it sees is prepared in up to five passes, stopping
//! at the first that reads something: the frame as it is; a 2-D local-mean binarisation
//! (better than rqrr's own row-wise threshold under glare, shade and noise); half size
//! (averages noise and blur away); a contrast stretch (faded print, dim light); and twice
//! the size (codes whose modules are under two pixels). `docs/scanner.md` has the figures
//! on the corpus in `corpus/`.

use wasm_bindgen::prelude::wasm_bindgen;

/// The texts of the QR codes found in a `width` × `height` greyscale frame (one byte per
/// pixel, row by row); empty when none is readable.
#[wasm_bindgen]
pub fn decode_qr(grey: &[u8], width: u32, height: u32) -> Vec<String> {
    decode(grey, width as usize, height as usize)
}

/// The same for a live camera, spread over frames: each frame gets the plain pass and one of
/// the others, in turn (`turn` counts the frames), so a frame costs two rqrr runs instead of
/// up to seven; a label held still meets every pass within six frames.
#[wasm_bindgen]
pub fn decode_qr_turn(grey: &[u8], width: u32, height: u32, turn: u32) -> Vec<String> {
    decode_turn(grey, width as usize, height as usize, turn as usize)
}

/// [`decode_qr_turn`] for native callers and tests.
pub fn decode_turn(grey: &[u8], width: usize, height: usize, turn: usize) -> Vec<String> {
    let Some(frame) = frame(grey, width, height) else {
        return Vec::new();
    };
    let other = PASSES[1 + turn % (PASSES.len() - 1)];
    [Pass::AsIs, other]
        .iter()
        .map(|&pass| decode_pass(&frame, pass))
        .find(|found| !found.is_empty())
        .unwrap_or_default()
}

fn frame(grey: &[u8], width: usize, height: usize) -> Option<Grey> {
    (width > 0 && height > 0 && grey.len() >= width * height).then(|| Grey {
        pixels: grey[..width * height].to_vec(),
        width,
        height,
    })
}

/// A greyscale image, one byte per pixel, row by row.
#[derive(Debug, Clone)]
pub struct Grey {
    pub pixels: Vec<u8>,
    pub width: usize,
    pub height: usize,
}

/// One way of preparing the frame before rqrr looks at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    AsIs,
    /// Local-mean binarisation over a small square (a side of 1/16 of the image).
    FineMean,
    /// The same over a larger square (1/8): strong glare and shade.
    LocalMean,
    Stretch,
    Half,
    Double,
    /// Twice the size, then the fine local mean: small modules that are also faded.
    DoubleMean,
}

/// The passes in the order they are tried.
pub const PASSES: [Pass; 7] = [
    Pass::AsIs,
    Pass::FineMean,
    Pass::LocalMean,
    Pass::Stretch,
    Pass::Half,
    Pass::Double,
    Pass::DoubleMean,
];

/// Frames larger than this (on their long side) are not doubled: too slow for a frame.
const DOUBLE_UP_TO: usize = 800;

/// The same as [`decode_qr`], for native callers and tests.
pub fn decode(grey: &[u8], width: usize, height: usize) -> Vec<String> {
    let Some(frame) = frame(grey, width, height) else {
        return Vec::new();
    };
    PASSES
        .iter()
        .map(|&pass| decode_pass(&frame, pass))
        .find(|found| !found.is_empty())
        .unwrap_or_default()
}

/// What one pass reads in the frame.
pub fn decode_pass(frame: &Grey, pass: Pass) -> Vec<String> {
    match pass {
        Pass::AsIs => read(frame),
        Pass::FineMean => read(&local_mean_with(frame, 32, 98)),
        Pass::LocalMean => read(&local_mean_with(frame, 16, 97)),
        Pass::Stretch => read(&stretch(frame)),
        Pass::Half => read(&half(frame)),
        Pass::Double | Pass::DoubleMean if frame.width.max(frame.height) > DOUBLE_UP_TO => {
            Vec::new()
        }
        Pass::Double => read(&double(frame)),
        Pass::DoubleMean => read(&local_mean_with(&double(frame), 32, 98)),
    }
}

/// rqrr on its own: every grid it finds and can decode.
pub fn read(image: &Grey) -> Vec<String> {
    let w = image.width;
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, image.height, |x, y| {
        image.pixels[y * w + x]
    });
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, content)| content))
        .collect()
}

/// Black where a pixel is darker than the mean of the square around it (a side of an
/// eighth of the image) by a little, white elsewhere; from a summed-area table.
/// [`local_mean`] with the square's half side (`min(w, h) / divisor`) and the share of the
/// mean (in %) a pixel must stay under to be black.
pub fn local_mean_with(image: &Grey, divisor: usize, percent: u64) -> Grey {
    let (w, h) = (image.width, image.height);
    let mut sums = vec![0u64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(image.pixels[y * w + x]);
            sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + row;
        }
    }
    let r = (w.min(h) / divisor).max(4);
    let mut pixels = vec![255u8; w * h];
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let sum = sums[y1 * (w + 1) + x1] + sums[y0 * (w + 1) + x0]
                - sums[y0 * (w + 1) + x1]
                - sums[y1 * (w + 1) + x0];
            let count = ((y1 - y0) * (x1 - x0)) as u64;
            // 3 % below the mean: flat paper with a little noise stays white.
            if u64::from(image.pixels[y * w + x]) * count * 100 < sum * percent {
                pixels[y * w + x] = 0;
            }
        }
    }
    Grey {
        pixels,
        width: w,
        height: h,
    }
}

/// Half the width and height, each pixel the mean of four.
pub fn half(image: &Grey) -> Grey {
    let (w, h) = (image.width / 2, image.height / 2);
    let src = |x: usize, y: usize| u16::from(image.pixels[y * image.width + x]);
    let mut pixels = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let s = src(2 * x, 2 * y)
                + src(2 * x + 1, 2 * y)
                + src(2 * x, 2 * y + 1)
                + src(2 * x + 1, 2 * y + 1);
            pixels.push((s / 4) as u8);
        }
    }
    Grey {
        pixels,
        width: w,
        height: h,
    }
}

/// Twice the width and height, bilinear.
pub fn double(image: &Grey) -> Grey {
    let (sw, sh) = (image.width, image.height);
    let (w, h) = (sw * 2, sh * 2);
    let src = |x: usize, y: usize| u32::from(image.pixels[y.min(sh - 1) * sw + x.min(sw - 1)]);
    let mut pixels = Vec::with_capacity(w * h);
    for y in 0..h {
        let (sy, fy) = (y.saturating_sub(1) / 2, if y % 2 == 0 { 3 } else { 1 });
        for x in 0..w {
            let (sx, fx) = (x.saturating_sub(1) / 2, if x % 2 == 0 { 3 } else { 1 });
            // Weights in quarters: the new pixel's centre lies a quarter from its neighbour.
            let top = src(sx, sy) * (4 - fx) + src(sx + 1, sy) * fx;
            let bottom = src(sx, sy + 1) * (4 - fx) + src(sx + 1, sy + 1) * fx;
            pixels.push(((top * (4 - fy) + bottom * fy) / 16) as u8);
        }
    }
    Grey {
        pixels,
        width: w,
        height: h,
    }
}

/// Grey levels stretched so the darkest 1 % become black and the lightest 1 % white.
pub fn stretch(image: &Grey) -> Grey {
    let mut histogram = [0usize; 256];
    for &p in &image.pixels {
        histogram[usize::from(p)] += 1;
    }
    let cut = image.pixels.len() / 100;
    let level = |order: &mut dyn Iterator<Item = usize>| {
        let mut seen = 0;
        for v in order {
            seen += histogram[v];
            if seen > cut {
                return v;
            }
        }
        0
    };
    let lo = level(&mut (0..256));
    let hi = level(&mut (0..256).rev());
    let span = hi.saturating_sub(lo).max(1);
    let pixels = image
        .pixels
        .iter()
        .map(|&p| (usize::from(p).saturating_sub(lo) * 255 / span).min(255) as u8)
        .collect();
    Grey {
        pixels,
        width: image.width,
        height: image.height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_or_short_frame_has_no_codes() {
        assert!(decode(&[], 0, 0).is_empty());
        assert!(decode(&[255; 10], 10, 10).is_empty());
        assert!(decode(&[255; 100], 10, 10).is_empty());
        assert!(decode_turn(&[255; 10], 10, 10, 3).is_empty());
    }

    #[test]
    fn the_prepared_images_keep_their_shape() {
        let image = Grey {
            pixels: (0..12 * 8).map(|i| (i * 2) as u8).collect(),
            width: 12,
            height: 8,
        };
        let h = half(&image);
        assert_eq!((h.width, h.height, h.pixels.len()), (6, 4, 24));
        let d = double(&image);
        assert_eq!((d.width, d.height, d.pixels.len()), (24, 16, 384));
        let s = stretch(&image);
        assert_eq!(s.pixels.iter().max(), Some(&255));
        assert_eq!(s.pixels.iter().min(), Some(&0));
        let b = local_mean_with(&image, 16, 97);
        assert!(b.pixels.iter().all(|&p| p == 0 || p == 255));
    }
}
