//! Chromium's fake camera for the scanner's browser tests: a video filming labels.

use std::path::Path;

/// A Y4M video (what Chromium's fake camera plays, in a loop) that films each label's QR
/// code for two seconds: a label on a grey desk in desk light (no label: the bare desk).
pub fn labels_video(urls: &[String]) -> Vec<u8> {
    let (w, h) = (640usize, 480usize);
    let mut video = format!("YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n").into_bytes();
    if urls.is_empty() {
        // The desk without a label in view.
        for _ in 0..10 {
            video.extend_from_slice(b"FRAME\n");
            video.extend(std::iter::repeat_n(150u8, w * h));
            video.extend(std::iter::repeat_n(128u8, w * h / 2));
        }
    }
    for url in urls {
        let png = leenpunt_server::domain::labels::qr_png(url, 5);
        let qr = image::load_from_memory(&png).unwrap().to_luma8();
        let mut luma = vec![150u8; w * h];
        let (ox, oy) = (
            (w - qr.width() as usize) / 2,
            (h - qr.height() as usize) / 2,
        );
        for (x, y, p) in qr.enumerate_pixels() {
            // Printed ink on paper under desk light: neither black nor white.
            let level = if p.0[0] < 128 { 40 } else { 225 };
            luma[(oy + y as usize) * w + ox + x as usize] = level;
        }
        for _ in 0..20 {
            video.extend_from_slice(b"FRAME\n");
            video.extend_from_slice(&luma);
            video.extend(std::iter::repeat_n(128u8, w * h / 2));
        }
    }
    video
}

/// Chromium's arguments for a fake camera playing `video`.
pub fn camera_args(video: &Path) -> Vec<String> {
    vec![
        "--use-fake-ui-for-media-stream".to_owned(),
        "--use-fake-device-for-media-stream".to_owned(),
        format!("--use-file-for-fake-video-capture={}", video.display()),
        "--autoplay-policy=no-user-gesture-required".to_owned(),
    ]
}
