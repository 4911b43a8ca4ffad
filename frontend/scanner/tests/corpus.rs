//! The fallback decoder on the generated corpus (`corpus/`, see `examples/corpus.rs`): it
//! must read at least 95 % of the images zbar reads (`corpus/zbar.txt`), and never a text
//! other than the one the image's code holds (`corpus/truth.txt`). Prints the figures that
//! `docs/scanner.md` quotes.

use leenpunt_scanner::{decode, decode_pass, decode_turn, read, Grey, PASSES};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

fn corpus() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
}

/// `file<TAB>text` lines; `#` starts a comment line.
fn table(name: &str) -> BTreeMap<String, String> {
    std::fs::read_to_string(corpus().join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(f, t)| (f.to_owned(), t.to_owned()))
        .collect()
}

fn load(file: &str) -> Grey {
    let image = image::open(corpus().join(file)).unwrap().to_luma8();
    Grey {
        width: image.width() as usize,
        height: image.height() as usize,
        pixels: image.into_raw(),
    }
}

/// What the scanner did before: the frame scaled down to at most 640 px wide, one rqrr pass.
fn as_before(image: &Grey) -> Vec<String> {
    if image.width <= 640 {
        return read(image);
    }
    let raw = image::GrayImage::from_raw(
        image.width as u32,
        image.height as u32,
        image.pixels.clone(),
    )
    .unwrap();
    let h = (image.height * 640 / image.width) as u32;
    let small = image::imageops::resize(&raw, 640, h, image::imageops::FilterType::Triangle);
    read(&Grey {
        width: 640,
        height: h as usize,
        pixels: small.into_raw(),
    })
}

#[test]
fn the_fallback_decoder_reads_what_zbar_reads_and_never_a_wrong_text() {
    let truth = table("truth.txt");
    let zbar = table("zbar.txt");
    assert!(truth.len() >= 100, "the corpus has {} images", truth.len());
    let (mut before, mut rqrr_once, mut ours, mut zbar_read, mut both) = (0, 0, 0, 0, 0);
    let mut by_pass = [0; PASSES.len()];
    let mut missed = Vec::new();
    let mut slowest = (0.0f64, String::new());
    for (file, text) in &truth {
        let image = load(file);
        let right = |found: &[String]| {
            for f in found {
                assert_eq!(f, text, "{file}: a wrong text");
            }
            !found.is_empty()
        };
        before += usize::from(right(&as_before(&image)));
        rqrr_once += usize::from(right(&read(&image)));
        for (i, &pass) in PASSES.iter().enumerate() {
            by_pass[i] += usize::from(right(&decode_pass(&image, pass)));
        }
        let started = Instant::now();
        let found = decode(&image.pixels, image.width, image.height);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if ms > slowest.0 {
            slowest = (ms, file.clone());
        }
        let read_it = right(&found);
        // Live, the passes are spread over six frames: a label held still is read as well.
        let live = (0..PASSES.len() - 1)
            .any(|turn| right(&decode_turn(&image.pixels, image.width, image.height, turn)));
        assert_eq!(
            live, read_it,
            "{file}: frame by frame differs from all at once"
        );
        ours += usize::from(read_it);
        let z = zbar.get(file).is_some_and(|t| !t.is_empty());
        if z {
            assert_eq!(&zbar[file], text, "{file}: zbar read a wrong text");
            zbar_read += 1;
            if read_it {
                both += 1;
            } else {
                missed.push(file.clone());
            }
        }
    }
    let n = truth.len();
    println!("corpus: {n} images");
    println!("rqrr as before (<= 640 px, one pass): {before}");
    println!("rqrr, one pass at full size:          {rqrr_once}");
    for (pass, count) in PASSES.iter().zip(by_pass) {
        println!("  pass {pass:?} alone: {count}");
    }
    println!("fallback decoder (all passes):        {ours}");
    println!("zbarimg:                              {zbar_read}");
    println!("of zbar's, the fallback reads:        {both} (missed: {missed:?})");
    println!("slowest image: {:.0} ms ({})", slowest.0, slowest.1);
    assert!(
        both * 100 >= zbar_read * 95,
        "the fallback reads {both} of the {zbar_read} images zbar reads (missed: {missed:?})"
    );
}
