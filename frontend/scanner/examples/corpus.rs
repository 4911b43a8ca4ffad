//! Writes the scanner's test corpus: label-like photos of QR codes, greyscale PNG, into
//! `frontend/scanner/corpus/` with `truth.txt` (file → the text its QR holds). Deterministic:
//! the same run writes the same bytes. `docs/scanner.md` says how to regenerate and re-run zbar.
//!
//! ```sh
//! cargo run -p leenpunt-scanner --example corpus
//! ```

use image::{GrayImage, Luma};
use std::f64::consts::PI;
use std::fmt::Write as _;
use std::path::Path;

/// How many images the corpus holds.
const IMAGES: u64 = 130;
const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A small deterministic generator (splitmix64): no dependency, same numbers everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[lo, hi)`.
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.range(0.0, 1.0) < p
    }
    /// Roughly normal (sum of uniforms), mean 0, deviation 1.
    fn normal(&mut self) -> f64 {
        (0..4).map(|_| self.range(-1.0, 1.0)).sum::<f64>() * 0.866
    }
}

/// What one image shows and how it is spoiled.
#[derive(Debug)]
struct Shot {
    width: u32,
    height: u32,
    /// Pixels per module at the label's centre.
    module_px: f64,
    rotation_deg: f64,
    /// How far each corner moves, as a share of the code's size (perspective).
    skew: f64,
    /// Box-blur passes of radius 1.
    blur: u32,
    /// Ink and paper levels (low contrast: close together).
    ink: f64,
    paper: f64,
    /// A bright spot: centre (share of the image), radius (px), strength.
    glare: Option<(f64, f64, f64, f64)>,
    /// Noise deviation in grey levels.
    noise: f64,
    /// Light falling off from one side (0: even).
    shade: f64,
}

fn label_text(rng: &mut Rng) -> String {
    let code: String = (0..9)
        .map(|_| CROCKFORD[(rng.next() % 32) as usize] as char)
        .collect();
    format!("https://leenpunt.example/s/{code}")
}

fn plan(i: u64, rng: &mut Rng) -> Shot {
    // Every tenth image is a full camera frame (1280 × 720) with a small code in it: what
    // decoding at the camera's resolution instead of 640 px is for.
    let big = i % 10 == 9;
    let (width, height) = if big {
        (1280, 720)
    } else if rng.chance(0.5) {
        (480, 360)
    } else {
        (400, 400)
    };
    let hard = i % 3; // 0: mild, 1: medium, 2: hard
    let module_px = if big {
        rng.range(1.6, 2.6)
    } else {
        rng.range(2.2, 6.5)
    };
    let level = |rng: &mut Rng, mild: f64, medium: f64, hard_: f64| {
        let top = [mild, medium, hard_][hard as usize];
        rng.range(0.0, top)
    };
    let low_contrast = rng.chance(0.25 + 0.15 * hard as f64);
    let (ink, paper) = if low_contrast {
        let ink = rng.range(70.0, 120.0);
        (ink, ink + rng.range(45.0, 80.0))
    } else {
        (rng.range(5.0, 50.0), rng.range(190.0, 250.0))
    };
    Shot {
        width,
        height,
        module_px,
        rotation_deg: if rng.chance(0.3) {
            rng.range(-8.0, 8.0)
        } else {
            rng.range(0.0, 360.0)
        },
        skew: level(rng, 0.05, 0.12, 0.2),
        blur: level(rng, 1.5, 2.5, 3.99) as u32,
        ink,
        paper,
        glare: rng.chance(0.2 + 0.15 * hard as f64).then(|| {
            (
                rng.range(0.3, 0.7),
                rng.range(0.3, 0.7),
                rng.range(30.0, 110.0),
                rng.range(0.4, 0.85),
            )
        }),
        noise: if !big && rng.chance(0.35) {
            level(rng, 3.0, 7.0, 12.0)
        } else {
            0.0
        },
        shade: if rng.chance(0.4) {
            level(rng, 0.2, 0.35, 0.5)
        } else {
            0.0
        },
    }
}

/// The homography that maps the unit square's corners (0,0) (1,0) (1,1) (0,1) onto `q`.
fn square_to_quad(q: [(f64, f64); 4]) -> [f64; 9] {
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = q;
    let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
    let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
    let det = dx1 * dy2 - dx2 * dy1;
    let g = (dx3 * dy2 - dx2 * dy3) / det;
    let h = (dx1 * dy3 - dx3 * dy1) / det;
    [
        x1 - x0 + g * x1,
        x3 - x0 + h * x3,
        x0,
        y1 - y0 + g * y1,
        y3 - y0 + h * y3,
        y0,
        g,
        h,
        1.0,
    ]
}

fn invert(m: [f64; 9]) -> [f64; 9] {
    let [a, b, c, d, e, f, g, h, i] = m;
    let det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    [
        (e * i - f * h) / det,
        (c * h - b * i) / det,
        (b * f - c * e) / det,
        (f * g - d * i) / det,
        (a * i - c * g) / det,
        (c * d - a * f) / det,
        (d * h - e * g) / det,
        (b * g - a * h) / det,
        (a * e - b * d) / det,
    ]
}

fn render(text: &str, shot: &Shot, rng: &mut Rng) -> GrayImage {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::Q)
        .expect("a label URL fits a QR code");
    let n = code.width();
    let dark = code.to_colors();
    // The label: the code with a 4-module quiet zone and a white margin below for text.
    let quiet = 4.0;
    let side = n as f64 + 2.0 * quiet;
    let size = side * shot.module_px;
    let (cx, cy) = (
        f64::from(shot.width) / 2.0 + rng.range(-0.1, 0.1) * f64::from(shot.width),
        f64::from(shot.height) / 2.0 + rng.range(-0.1, 0.1) * f64::from(shot.height),
    );
    let angle = shot.rotation_deg * PI / 180.0;
    let corners = [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)].map(|(u, v)| {
        let (u, v) = (
            u + rng.range(-shot.skew, shot.skew),
            v + rng.range(-shot.skew, shot.skew),
        );
        (
            cx + size * (u * angle.cos() - v * angle.sin()),
            cy + size * (u * angle.sin() + v * angle.cos()),
        )
    });
    let to_label = invert(square_to_quad(corners));
    let background = rng.range(60.0, 150.0);
    let (w, h) = (shot.width, shot.height);
    let mut out = vec![0f64; (w * h) as usize];
    // 2 × 2 samples per pixel: the camera's edges are grey, not jagged.
    for y in 0..h {
        for x in 0..w {
            let mut sum = 0.0;
            for (sx, sy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                let (px, py) = (f64::from(x) + sx, f64::from(y) + sy);
                let m = to_label;
                let z = m[6] * px + m[7] * py + m[8];
                let (u, v) = (
                    (m[0] * px + m[1] * py + m[2]) / z,
                    (m[3] * px + m[4] * py + m[5]) / z,
                );
                sum += if !(0.0..1.0).contains(&u) || !(0.0..1.25).contains(&v) {
                    background
                } else {
                    let (mx, my) = (u * side - quiet, v * side - quiet);
                    let inside = mx >= 0.0 && my >= 0.0 && mx < n as f64 && my < n as f64;
                    if inside && dark[my as usize * n + mx as usize] == qrcode::Color::Dark {
                        shot.ink
                    } else if v > 1.05
                        && v < 1.2
                        && u > 0.1
                        && u < 0.9
                        && !((u * 40.0) as u32).is_multiple_of(3)
                    {
                        // A line of "text" under the code.
                        (shot.ink + shot.paper) / 2.0
                    } else {
                        shot.paper
                    }
                };
            }
            out[(y * w + x) as usize] = sum / 4.0;
        }
    }
    for _ in 0..shot.blur {
        out = box_blur(&out, w as usize, h as usize);
    }
    let direction = rng.range(0.0, 2.0 * PI);
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (f64::from(x) / f64::from(w), f64::from(y) / f64::from(h));
            let p = &mut out[(y * w + x) as usize];
            if shot.shade > 0.0 {
                let t = (fx - 0.5) * direction.cos() + (fy - 0.5) * direction.sin() + 0.5;
                *p *= 1.0 - shot.shade * t.clamp(0.0, 1.0);
            }
            if let Some((gx, gy, radius, strength)) = shot.glare {
                let d = ((f64::from(x) - gx * f64::from(w)).powi(2)
                    + (f64::from(y) - gy * f64::from(h)).powi(2))
                .sqrt();
                let k = (1.0 - d / radius).clamp(0.0, 1.0) * strength;
                *p += (255.0 - *p) * k;
            }
        }
    }
    // Noise in 2 × 2 blocks of quantised levels (as a phone's denoised, compressed frame
    // has it): it spoils thresholds as well and keeps the PNGs small.
    let noise: Vec<f64> = (0..(w / 2 + 1) * (h / 2 + 1))
        .map(|_| {
            if shot.noise > 0.0 {
                (rng.normal() * shot.noise / 6.0).round() * 6.0
            } else {
                0.0
            }
        })
        .collect();
    let mut image = GrayImage::new(w, h);
    for (x, y, p) in image.enumerate_pixels_mut() {
        let n = noise[((y / 2) * (w / 2 + 1) + x / 2) as usize];
        *p = Luma([(out[(y * w + x) as usize] + n).round().clamp(0.0, 255.0) as u8]);
    }
    image
}

fn box_blur(src: &[f64], w: usize, h: usize) -> Vec<f64> {
    let mut dst = vec![0.0; src.len()];
    for y in 0..h {
        for x in 0..w {
            let (mut sum, mut n) = (0.0, 0.0);
            for yy in y.saturating_sub(1)..(y + 2).min(h) {
                for xx in x.saturating_sub(1)..(x + 2).min(w) {
                    sum += src[yy * w + xx];
                    n += 1.0;
                }
            }
            dst[y * w + x] = sum / n;
        }
    }
    dst
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    std::fs::create_dir_all(&dir).expect("create corpus/");
    let mut truth =
        String::from("# file\ttext its QR code holds (written by examples/corpus.rs)\n");
    let mut bytes = 0;
    for i in 0..IMAGES {
        let mut rng = Rng(0x1ee2_9017 ^ (i * 7919));
        let text = label_text(&mut rng);
        let shot = plan(i, &mut rng);
        let image = render(&text, &shot, &mut rng);
        let name = format!("label-{i:03}.png");
        let path = dir.join(&name);
        image.save(&path).expect("write PNG");
        bytes += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        writeln!(truth, "{name}\t{text}").unwrap();
    }
    std::fs::write(dir.join("truth.txt"), truth).expect("write truth.txt");
    println!("{IMAGES} images, {} KB, in {}", bytes / 1024, dir.display());
}
