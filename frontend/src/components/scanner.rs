//! The in-app scanner: reads QR labels from the device camera and decodes them in wasm
//! (rqrr, in its own small module `leenpunt-scanner` that is loaded when the camera
//! starts, so no page pays for it up front), in batch mode: it keeps scanning, lists each unit with a green or red line, and
//! beeps (high: done, low: refused) and vibrates where the device can. With a
//! reservation it hands each scanned unit over; without one it looks each unit up.

use crate::i18n::{use_lang, T};
use leptos::prelude::*;

/// One scan's outcome as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanLine {
    pub ok: bool,
    pub text: String,
    pub link: Option<String>,
}

/// Reads the code from what a label's QR holds: `<base>/s/<code>` (or a bare code).
pub fn code_from_qr(content: &str) -> String {
    let c = content.trim();
    c.rsplit_once("/s/")
        .map_or(c, |(_, code)| code)
        .trim_end_matches('/')
        .to_owned()
}

#[island]
pub fn Scanner(
    /// Hand each scanned unit over for this reservation; look units up without one.
    reservation: Option<i64>,
    /// The decoder module's boot script (`/pkg/scanner-boot.<hash>.js`).
    decoder: String,
) -> impl IntoView {
    let lang = use_lang();
    let lines = RwSignal::new(Vec::<ScanLine>::new());
    let running = RwSignal::new(false);
    let camera_error = RwSignal::new(None::<String>);
    let video = NodeRef::<leptos::html::Video>::new();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let start = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        camera_error.set(None);
        #[cfg(feature = "hydrate")]
        {
            let (Some(video), Some(canvas)) = (video.get_untracked(), canvas.get_untracked())
            else {
                return;
            };
            leptos::task::spawn_local(camera::run(
                camera::Scan {
                    video,
                    canvas,
                    reservation,
                    decoder: decoder.clone(),
                    lang,
                },
                lines,
                running,
                camera_error,
            ));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (video, canvas, reservation, &decoder);
    };
    let stop = move |_| running.set(false);
    view! {
        <section class="scanner" aria-labelledby="scanner-title">
            <h2 id="scanner-title">{T::ScannerTitle.get(lang)}</h2>
            <p class="hint">{T::ScannerIntro.get(lang)}</p>
            <p>
                <button type="button" class="button primary start-camera" on:click=start
                    disabled=move || running.get()>{T::StartCamera.get(lang)}</button>
                " "
                <button type="button" class="button secondary stop-camera" on:click=stop
                    disabled=move || !running.get()>{T::StopCamera.get(lang)}</button>
            </p>
            <p class="error camera-error" role="alert">{move || camera_error.get()}</p>
            <video node_ref=video class="scanner-video" playsinline=true muted=true autoplay=true></video>
            <canvas node_ref=canvas class="scanner-canvas" hidden=true></canvas>
            <ol class="scan-lines" aria-live="polite">
                {move || lines.get().into_iter().rev().map(|l| view! {
                    <li class=if l.ok { "scan-line ok" } else { "scan-line refused" }>
                        {match l.link {
                            Some(href) => view! { <a href=href>{l.text}</a> }.into_any(),
                            None => view! { <span>{l.text}</span> }.into_any(),
                        }}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod camera {
    use super::{code_from_qr, ScanLine};
    use crate::i18n::T;
    use leenpunt_shared::Lang;
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// The same code is not handled twice within this many milliseconds.
    const REPEAT_MS: f64 = 3000.0;
    /// Frames are scaled down to at most this width before decoding.
    const MAX_WIDTH: u32 = 640;

    async fn sleep(ms: i32) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            }
        });
        let _ = JsFuture::from(promise).await;
    }

    async fn open_camera(
        video: &web_sys::HtmlVideoElement,
    ) -> Result<web_sys::MediaStream, JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let devices = window.navigator().media_devices()?;
        let constraints = web_sys::MediaStreamConstraints::new();
        // The back camera on phones; any camera elsewhere.
        let video_constraints = js_sys::Object::new();
        js_sys::Reflect::set(
            &video_constraints,
            &"facingMode".into(),
            &"environment".into(),
        )?;
        constraints.set_video(&video_constraints);
        let stream: web_sys::MediaStream =
            JsFuture::from(devices.get_user_media_with_constraints(&constraints)?)
                .await?
                .dyn_into()?;
        video.set_src_object(Some(&stream));
        let _ = video.play().map(JsFuture::from);
        Ok(stream)
    }

    /// Decodes the QR codes in the current frame.
    fn decode_frame(
        video: &web_sys::HtmlVideoElement,
        canvas: &web_sys::HtmlCanvasElement,
        decode: &js_sys::Function,
    ) -> Vec<String> {
        let (vw, vh) = (video.video_width(), video.video_height());
        if vw == 0 || vh == 0 {
            return Vec::new();
        }
        let scale = (f64::from(MAX_WIDTH) / f64::from(vw)).min(1.0);
        let (w, h) = (
            (f64::from(vw) * scale) as u32,
            (f64::from(vh) * scale) as u32,
        );
        canvas.set_width(w);
        canvas.set_height(h);
        let Ok(Some(ctx)) = canvas.get_context("2d") else {
            return Vec::new();
        };
        let Ok(ctx) = ctx.dyn_into::<web_sys::CanvasRenderingContext2d>() else {
            return Vec::new();
        };
        if ctx
            .draw_image_with_html_video_element_and_dw_and_dh(
                video,
                0.0,
                0.0,
                f64::from(w),
                f64::from(h),
            )
            .is_err()
        {
            return Vec::new();
        }
        let Ok(data) = ctx.get_image_data(0.0, 0.0, f64::from(w), f64::from(h)) else {
            return Vec::new();
        };
        let rgba = data.data();
        let grey: Vec<u8> = rgba
            .chunks_exact(4)
            .map(|p| {
                ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8) as u8
            })
            .collect();
        let found = decode.call3(
            &JsValue::NULL,
            &js_sys::Uint8Array::from(grey.as_slice()),
            &JsValue::from(w),
            &JsValue::from(h),
        );
        found
            .ok()
            .map(|v| {
                js_sys::Array::from(&v)
                    .iter()
                    .filter_map(|s| s.as_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    const DECODER: &str = "leenpuntDecodeQr";

    /// Loads the decoder module (once per page) and returns its `decode_qr`.
    async fn decoder(boot: &str) -> Option<js_sys::Function> {
        let window = web_sys::window()?;
        let get = |w: &web_sys::Window| {
            js_sys::Reflect::get(w, &DECODER.into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        };
        if let Some(f) = get(&window) {
            return Some(f);
        }
        let document = window.document()?;
        let script = document.create_element("script").ok()?;
        script.set_attribute("type", "module").ok()?;
        script.set_attribute("src", boot).ok()?;
        document.head()?.append_child(&script).ok()?;
        for _ in 0..100 {
            sleep(100).await;
            if let Some(f) = get(&window) {
                return Some(f);
            }
        }
        None
    }

    /// A short tone: high for done, low for refused; and a buzz where phones can.
    fn feedback(ok: bool) {
        if let Ok(audio) = web_sys::AudioContext::new() {
            if let Ok(osc) = audio.create_oscillator() {
                osc.frequency().set_value(if ok { 1320.0 } else { 330.0 });
                let _ = osc.connect_with_audio_node(&audio.destination());
                let now = audio.current_time();
                let _ = osc.start();
                let _ = osc.stop_with_when(now + if ok { 0.12 } else { 0.35 });
            }
        }
        if let Some(w) = web_sys::window() {
            let _ = w
                .navigator()
                .vibrate_with_duration(if ok { 80 } else { 300 });
        }
    }

    async fn handle(code: String, reservation: Option<i64>, lang: Lang) -> ScanLine {
        match reservation {
            Some(id) => match crate::api::hand_over_scanned(id, code).await {
                Ok(o) if o.already => ScanLine {
                    ok: true,
                    text: format!(
                        "{} {} ({})",
                        T::AlreadyHandedOver.get(lang),
                        o.unit,
                        o.kit_title
                    ),
                    link: None,
                },
                Ok(o) => ScanLine {
                    ok: true,
                    text: format!(
                        "{} {} ({}) — {}: {}",
                        T::HandedOver.get(lang),
                        o.unit,
                        o.kit_title,
                        T::StillToHandOver.get(lang),
                        o.remaining
                    ),
                    link: None,
                },
                Err(p) => ScanLine {
                    ok: false,
                    text: p
                        .errors
                        .first()
                        .map(|e| e.message.clone())
                        .or(p.detail)
                        .unwrap_or(p.title),
                    link: None,
                },
            },
            None => match crate::api::scan_code(code).await {
                // An old label still finds its unit, but must not pass for a good scan.
                Ok(s) if s.replaced => ScanLine {
                    ok: false,
                    text: format!(
                        "{} {} — {} {}",
                        T::LabelReplacedScan.get(lang),
                        s.unit.label.unwrap_or_default(),
                        s.unit.inventory_code,
                        s.unit.kit_title
                    ),
                    link: Some(format!("/balie/exemplaren/{}", s.unit.id.0)),
                },
                Ok(s) => ScanLine {
                    ok: true,
                    text: format!("{} — {}", s.unit.inventory_code, s.unit.kit_title),
                    link: Some(format!("/balie/exemplaren/{}", s.unit.id.0)),
                },
                Err(p) => ScanLine {
                    ok: false,
                    text: p
                        .errors
                        .first()
                        .map(|e| e.message.clone())
                        .or(p.detail)
                        .unwrap_or(p.title),
                    link: None,
                },
            },
        }
    }

    /// What a scanning run works with.
    pub struct Scan {
        pub video: web_sys::HtmlVideoElement,
        pub canvas: web_sys::HtmlCanvasElement,
        pub reservation: Option<i64>,
        pub decoder: String,
        pub lang: Lang,
    }

    pub async fn run(
        scan: Scan,
        lines: RwSignal<Vec<ScanLine>>,
        running: RwSignal<bool>,
        camera_error: RwSignal<Option<String>>,
    ) {
        let Scan {
            video,
            canvas,
            reservation,
            decoder: boot,
            lang,
        } = scan;
        let Some(decode) = decoder(&boot).await else {
            camera_error.set(Some(T::NoDecoder.get(lang).to_owned()));
            running.set(false);
            return;
        };
        let stream = match open_camera(&video).await {
            Ok(s) => s,
            Err(_) => {
                camera_error.set(Some(T::NoCamera.get(lang).to_owned()));
                running.set(false);
                return;
            }
        };
        let mut last: Option<(String, f64)> = None;
        while running.get_untracked() {
            for content in decode_frame(&video, &canvas, &decode) {
                let code = code_from_qr(&content);
                let now = js_sys::Date::now();
                if last
                    .as_ref()
                    .is_some_and(|(c, at)| *c == code && now - at < REPEAT_MS)
                {
                    continue;
                }
                last = Some((code.clone(), now));
                let line = handle(code, reservation, lang).await;
                feedback(line.ok);
                lines.update(|l| l.push(line));
            }
            sleep(200).await;
        }
        for track in stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                track.stop();
            }
        }
        video.set_src_object(None);
    }
}
