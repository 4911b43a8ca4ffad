//! The in-app scanner: reads QR labels from the device camera in batch mode: it keeps
//! scanning, shows the latest outcome in large type above the picture (a green or red
//! flash) with every scan listed below, and beeps (high: done, low: refused) and vibrates
//! where the device can. What it does with a code is its `ScanMode`: hand the unit over for
//! a reservation, or on a request (the line of its kit type is filled), go on to a
//! request's return (the contents check), or look the unit up. Decoding uses the browser's `BarcodeDetector` where it reads QR
//! codes (Chrome on Android, Safari on macOS); elsewhere it loads our own decoder
//! (`leenpunt-scanner`, a separate wasm fetched when the camera starts, so no page pays
//! for it up front) and feeds it frames at the camera's resolution (at most 1280 px).
//! A hand-over that gets no answer (no network) goes to the desk's offline queue, where
//! the page has it (`docs/offline-desk.md`). See `docs/scanner.md`.

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

/// What the camera does with each code it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ScanMode {
    /// Look the unit up.
    Lookup,
    /// Hand the unit over for this reservation.
    Reservation(i64),
    /// Hand the unit over on this request (a sent cart): it fills the line of its kit type.
    Request(i64),
    /// Take the unit back from this request: go on to its contents check, as the request's
    /// return page does with a typed code.
    RequestReturn(i64),
}

#[island]
pub fn Scanner(
    /// What each scanned code is for.
    mode: ScanMode,
    /// The decoder module's boot script (`/pkg/scanner-boot.<hash>.js`).
    decoder: String,
) -> impl IntoView {
    let lang = use_lang();
    let lines = RwSignal::new(Vec::<ScanLine>::new());
    let running = RwSignal::new(false);
    let camera_error = RwSignal::new(None::<String>);
    // What decodes (`barcode-detector` or `wasm`) and the milliseconds from the start
    // button to the camera's picture and to the first code read: for tests and figures.
    let timing = RwSignal::new(Timing::default());
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
                    mode,
                    decoder: decoder.clone(),
                    lang,
                },
                camera::Signals {
                    lines,
                    running,
                    camera_error,
                    timing,
                },
            ));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (video, canvas, mode, &decoder);
    };
    let stop = move |_| running.set(false);
    let line_view = |l: ScanLine| match l.link {
        Some(href) => view! { <a href=href>{l.text}</a> }.into_any(),
        None => view! { <span>{l.text}</span> }.into_any(),
    };
    view! {
        <section class="scanner" aria-labelledby="scanner-title"
            data-decoder=move || timing.get().decoder
            data-camera-ms=move || timing.get().camera_ms.map(|m| m.to_string())
            data-first-decode-ms=move || timing.get().first_decode_ms.map(|m| m.to_string())>
            <h2 id="scanner-title">{T::ScannerTitle.get(lang)}</h2>
            <p class="hint">{T::ScannerIntro.get(lang)}</p>
            <p class="scanner-controls">
                <button type="button" class="button primary start-camera" on:click=start
                    disabled=move || running.get()>{T::StartCamera.get(lang)}</button>
                <button type="button" class="button secondary stop-camera" on:click=stop
                    disabled=move || !running.get()>{T::StopCamera.get(lang)}</button>
            </p>
            {move || camera_error.get().map(|e| view! { <p class="error camera-error" role="alert">{e}</p> })}
            // Pinned above the picture; rebuilt for every scan, so the flash plays again.
            <div class="scan-latest-slot" role="status" aria-live="assertive">
                {move || lines.with(|l| l.last().cloned()).map(|l| {
                    let class = if l.ok { "scan-latest ok" } else { "scan-latest refused" };
                    view! { <p class=class data-count=lines.with(Vec::len)>{line_view(l)}</p> }
                })}
            </div>
            <video node_ref=video class="scanner-video" playsinline=true muted=true autoplay=true></video>
            <canvas node_ref=canvas class="scanner-canvas" hidden=true></canvas>
            <ol class="scan-lines">
                {move || lines.get().into_iter().rev().map(|l| {
                    let class = if l.ok { "scan-line ok" } else { "scan-line refused" };
                    view! { <li class=class>{line_view(l)}</li> }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// How the scanner is doing, as data attributes of the scanner.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timing {
    pub decoder: Option<&'static str>,
    pub camera_ms: Option<u32>,
    pub first_decode_ms: Option<u32>,
}

#[cfg(feature = "hydrate")]
mod camera {
    use super::{code_from_qr, ScanLine, ScanMode, Timing};
    use crate::i18n::T;
    use leenpunt_shared::Lang;
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// The same code is not handled twice within this many milliseconds.
    const REPEAT_MS: f64 = 3000.0;
    /// Frames are decoded at the camera's resolution, scaled down only beyond this (long
    /// side): more pixels would cost time per frame and read no more labels.
    const MAX_SIDE: u32 = 1280;
    /// Pause between two decodes.
    const PAUSE_MS: i32 = 120;

    async fn sleep(ms: i32) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            }
        });
        let _ = JsFuture::from(promise).await;
    }

    fn set(target: &JsValue, key: &str, value: &JsValue) -> Result<(), JsValue> {
        js_sys::Reflect::set(target, &key.into(), value).map(|_| ())
    }

    async fn open_camera(
        video: &web_sys::HtmlVideoElement,
    ) -> Result<web_sys::MediaStream, JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let devices = window.navigator().media_devices()?;
        let constraints = web_sys::MediaStreamConstraints::new();
        // The back camera on phones, any camera elsewhere; HD where it has it (a label
        // need not be held as close as at 640 px).
        let video_constraints = js_sys::Object::new();
        set(&video_constraints, "facingMode", &"environment".into())?;
        let ideal = |v: u32| {
            let o = js_sys::Object::new();
            let _ = set(&o, "ideal", &v.into());
            o
        };
        set(&video_constraints, "width", &ideal(1280))?;
        set(&video_constraints, "height", &ideal(720))?;
        constraints.set_video(&video_constraints);
        let stream: web_sys::MediaStream =
            JsFuture::from(devices.get_user_media_with_constraints(&constraints)?)
                .await?
                .dyn_into()?;
        video.set_src_object(Some(&stream));
        let _ = video.play().map(JsFuture::from);
        Ok(stream)
    }

    /// What reads the codes in a frame.
    enum Decoder {
        /// The browser's `BarcodeDetector` (reads the video element itself).
        Native(JsValue),
        /// Our wasm module's `decode_qr_turn(grey, width, height, turn)`.
        Wasm(js_sys::Function),
    }

    impl Decoder {
        fn name(&self) -> &'static str {
            match self {
                Decoder::Native(_) => "barcode-detector",
                Decoder::Wasm(_) => "wasm",
            }
        }
    }

    /// A `BarcodeDetector` for QR codes, when the browser has one that reads them
    /// (desktop Chromium on Linux has the class but no formats).
    async fn barcode_detector() -> Option<JsValue> {
        let window = web_sys::window()?;
        let class: js_sys::Function = js_sys::Reflect::get(&window, &"BarcodeDetector".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let supported: js_sys::Function =
            js_sys::Reflect::get(&class, &"getSupportedFormats".into())
                .ok()?
                .dyn_into()
                .ok()?;
        let formats = supported
            .call0(&class)
            .ok()?
            .dyn_into::<js_sys::Promise>()
            .ok()?;
        let formats = js_sys::Array::from(&JsFuture::from(formats).await.ok()?);
        if !formats.includes(&"qr_code".into(), 0) {
            return None;
        }
        let options = js_sys::Object::new();
        set(&options, "formats", &js_sys::Array::of1(&"qr_code".into())).ok()?;
        js_sys::Reflect::construct(&class, &js_sys::Array::of1(&options)).ok()
    }

    /// The texts of the QR codes `BarcodeDetector` sees in the video (`None`: it failed).
    async fn detect(detector: &JsValue, video: &web_sys::HtmlVideoElement) -> Option<Vec<String>> {
        let detect: js_sys::Function = js_sys::Reflect::get(detector, &"detect".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let found = detect
            .call1(detector, video)
            .ok()?
            .dyn_into::<js_sys::Promise>()
            .ok()?;
        let found = JsFuture::from(found).await.ok()?;
        Some(
            js_sys::Array::from(&found)
                .iter()
                .filter_map(|b| js_sys::Reflect::get(&b, &"rawValue".into()).ok())
                .filter_map(|v| v.as_string())
                .collect(),
        )
    }

    /// The current frame in grey, at most `MAX_SIDE` on its long side.
    fn grey_frame(
        video: &web_sys::HtmlVideoElement,
        canvas: &web_sys::HtmlCanvasElement,
    ) -> Option<(Vec<u8>, u32, u32)> {
        let (vw, vh) = (video.video_width(), video.video_height());
        if vw == 0 || vh == 0 {
            return None;
        }
        let scale = (f64::from(MAX_SIDE) / f64::from(vw.max(vh))).min(1.0);
        let (w, h) = (
            (f64::from(vw) * scale) as u32,
            (f64::from(vh) * scale) as u32,
        );
        if canvas.width() != w || canvas.height() != h {
            canvas.set_width(w);
            canvas.set_height(h);
        }
        // Read back every frame: tell the browser, so it keeps the canvas in memory.
        let options = js_sys::Object::new();
        let _ = set(&options, "willReadFrequently", &true.into());
        let ctx: web_sys::CanvasRenderingContext2d = canvas
            .get_context_with_context_options("2d", &options)
            .ok()??
            .dyn_into()
            .ok()?;
        ctx.draw_image_with_html_video_element_and_dw_and_dh(
            video,
            0.0,
            0.0,
            f64::from(w),
            f64::from(h),
        )
        .ok()?;
        let rgba = ctx
            .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
            .ok()?
            .data();
        let grey = rgba
            .chunks_exact(4)
            .map(|p| {
                ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8) as u8
            })
            .collect();
        Some((grey, w, h))
    }

    /// Decodes the QR codes in the current frame with the wasm decoder (`turn`: the frame's
    /// number, which picks the extra pass it gets).
    fn decode_frame(
        video: &web_sys::HtmlVideoElement,
        canvas: &web_sys::HtmlCanvasElement,
        decode: &js_sys::Function,
        turn: u32,
    ) -> Vec<String> {
        let Some((grey, w, h)) = grey_frame(video, canvas) else {
            return Vec::new();
        };
        let args = js_sys::Array::of4(
            &js_sys::Uint8Array::from(grey.as_slice()),
            &JsValue::from(w),
            &JsValue::from(h),
            &JsValue::from(turn),
        );
        decode
            .apply(&JsValue::NULL, &args)
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

    /// Starts loading the decoder module (once per page).
    fn load_wasm(boot: &str) -> Option<()> {
        let document = web_sys::window()?.document()?;
        if document
            .query_selector("script[data-decoder]")
            .ok()
            .flatten()
            .is_some()
        {
            return Some(());
        }
        let script = document.create_element("script").ok()?;
        script.set_attribute("type", "module").ok()?;
        script.set_attribute("data-decoder", "").ok()?;
        script.set_attribute("src", boot).ok()?;
        document.head()?.append_child(&script).ok()?;
        Some(())
    }

    /// The decoder module's `decode_qr`, once it has loaded (10 s at most).
    async fn wasm_decoder(boot: &str) -> Option<js_sys::Function> {
        let window = web_sys::window()?;
        load_wasm(boot)?;
        for _ in 0..200 {
            if let Some(f) = js_sys::Reflect::get(&window, &DECODER.into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            {
                return Some(f);
            }
            sleep(50).await;
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

    /// The problem's own sentence (the first field's message, the detail, or the title).
    fn problem_text(p: leenpunt_shared::Problem) -> String {
        p.errors
            .first()
            .map(|e| e.message.clone())
            .or(p.detail)
            .unwrap_or(p.title)
    }

    /// A unit handed over (or already out: nothing changed), with what is still to go.
    fn handed_line(lang: Lang, already: bool, unit: &str, kit: &str, remaining: u32) -> ScanLine {
        let text = if already {
            format!("{} {unit} ({kit})", T::AlreadyHandedOver.get(lang))
        } else {
            format!(
                "{} {unit} ({kit}) — {}: {remaining}",
                T::HandedOver.get(lang),
                T::StillToHandOver.get(lang)
            )
        };
        ScanLine {
            ok: true,
            text,
            link: None,
        }
    }

    /// A hand-over the server refused, or that got no answer (no network): the desk's
    /// offline queue keeps the latter, where the page has one; otherwise the error as it
    /// came.
    fn not_handed(p: leenpunt_shared::Problem, target: Target, code: &str) -> ScanLine {
        match (p.status == 0)
            .then(|| queue_offline(target, code))
            .flatten()
        {
            Some(line) => line,
            None => ScanLine {
                ok: false,
                text: problem_text(p),
                link: None,
            },
        }
    }

    async fn handle(code: String, mode: ScanMode, lang: Lang) -> ScanLine {
        match mode {
            ScanMode::Request(id) => {
                match crate::api::hand_over_request_scanned(id, code.clone()).await {
                    Ok(o) => handed_line(lang, o.already, &o.unit, &o.kit_title, o.remaining),
                    Err(p) => not_handed(p, Target::Request(id), &code),
                }
            }
            ScanMode::RequestReturn(id) => {
                // As the typed code: the server checks the unit is out on this request and
                // leads to its contents check (or back with the reason).
                let _ = post_form(&format!("/balie/aanvraag/{id}/inname"), &code);
                ScanLine {
                    ok: true,
                    text: format!("{} {code}", T::ScanReturnOpening.get(lang)),
                    link: None,
                }
            }
            ScanMode::Reservation(id) => {
                match crate::api::hand_over_scanned(id, code.clone()).await {
                    Ok(o) => handed_line(lang, o.already, &o.unit, &o.kit_title, o.remaining),
                    Err(p) => not_handed(p, Target::Reservation(id), &code),
                }
            }
            ScanMode::Lookup => match crate::api::scan_code(code).await {
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
                    text: problem_text(p),
                    link: None,
                },
            },
        }
    }

    /// Posts `code` to `action` as the page's own scan form would (the page then goes
    /// where the server's answer leads).
    fn post_form(action: &str, code: &str) -> Option<()> {
        let document = web_sys::window()?.document()?;
        let form: web_sys::HtmlFormElement =
            document.create_element("form").ok()?.dyn_into().ok()?;
        form.set_method("post");
        form.set_action(action);
        form.set_hidden(true);
        let input = document.create_element("input").ok()?;
        input.set_attribute("type", "hidden").ok()?;
        input.set_attribute("name", "code").ok()?;
        input.set_attribute("value", code).ok()?;
        form.append_child(&input).ok()?;
        document.body()?.append_child(&form).ok()?;
        form.submit().ok()
    }

    /// What an offline scan was for.
    enum Target {
        Reservation(i64),
        Request(i64),
    }

    /// Gives a hand-over that got no answer to the desk's offline queue (its own wasm on the
    /// desk pages, `frontend/deskqueue`) through a `leenpunt-desk-scan` event; the queue
    /// answers in the event's detail, before `dispatchEvent` returns, whether it kept the
    /// scan and what to show. `None` when no queue listens.
    fn queue_offline(target: Target, code: &str) -> Option<ScanLine> {
        let window = web_sys::window()?;
        let detail = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&detail, &k.into(), v);
        match target {
            Target::Reservation(id) => set("reservation", &JsValue::from_f64(id as f64)).ok()?,
            Target::Request(id) => set("request", &JsValue::from_f64(id as f64)).ok()?,
        };
        set("code", &JsValue::from_str(code)).ok()?;
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&detail);
        let event =
            web_sys::CustomEvent::new_with_event_init_dict("leenpunt-desk-scan", &init).ok()?;
        window.dispatch_event(&event).ok()?;
        let get = |k: &str| js_sys::Reflect::get(&detail, &k.into()).ok();
        Some(ScanLine {
            ok: get("queued")?.as_bool()?,
            text: get("text")?.as_string()?,
            link: None,
        })
    }

    /// What a scanning run works with.
    pub struct Scan {
        pub video: web_sys::HtmlVideoElement,
        pub canvas: web_sys::HtmlCanvasElement,
        pub mode: ScanMode,
        pub decoder: String,
        pub lang: Lang,
    }

    /// What a scanning run shows.
    pub struct Signals {
        pub lines: RwSignal<Vec<ScanLine>>,
        pub running: RwSignal<bool>,
        pub camera_error: RwSignal<Option<String>>,
        pub timing: RwSignal<Timing>,
    }

    fn stop_camera(stream: &web_sys::MediaStream, video: &web_sys::HtmlVideoElement) {
        for track in stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                track.stop();
            }
        }
        video.set_src_object(None);
    }

    pub async fn run(scan: Scan, signals: Signals) {
        let Scan {
            video,
            canvas,
            mode,
            decoder: boot,
            lang,
        } = scan;
        let Signals {
            lines,
            running,
            camera_error,
            timing,
        } = signals;
        let started = js_sys::Date::now();
        let since = move || (js_sys::Date::now() - started) as u32;
        // The decoder module loads while the camera starts.
        let native = barcode_detector().await;
        if native.is_none() {
            load_wasm(&boot);
        }
        let stream = match open_camera(&video).await {
            Ok(s) => s,
            Err(_) => {
                camera_error.set(Some(T::NoCamera.get(lang).to_owned()));
                running.set(false);
                return;
            }
        };
        timing.update(|t| t.camera_ms = Some(since()));
        let decoder = match native {
            Some(detector) => Some(Decoder::Native(detector)),
            None => wasm_decoder(&boot).await.map(Decoder::Wasm),
        };
        let Some(mut decoder) = decoder else {
            camera_error.set(Some(T::NoDecoder.get(lang).to_owned()));
            running.set(false);
            stop_camera(&stream, &video);
            return;
        };
        timing.update(|t| t.decoder = Some(decoder.name()));
        let mut last: Option<(String, f64)> = None;
        let mut turn = 0u32;
        while running.get_untracked() {
            turn = turn.wrapping_add(1);
            let found = match &decoder {
                Decoder::Native(detector) => match detect(detector, &video).await {
                    Some(found) => found,
                    // A detector that fails (no frame yet is not a failure) hands over to ours.
                    None if video.video_width() > 0 => {
                        match wasm_decoder(&boot).await {
                            Some(f) => decoder = Decoder::Wasm(f),
                            None => running.set(false),
                        }
                        timing.update(|t| t.decoder = Some(decoder.name()));
                        Vec::new()
                    }
                    None => Vec::new(),
                },
                Decoder::Wasm(decode) => decode_frame(&video, &canvas, decode, turn),
            };
            for content in found {
                if timing.with_untracked(|t| t.first_decode_ms.is_none()) {
                    timing.update(|t| t.first_decode_ms = Some(since()));
                }
                let code = code_from_qr(&content);
                let now = js_sys::Date::now();
                if last
                    .as_ref()
                    .is_some_and(|(c, at)| *c == code && now - at < REPEAT_MS)
                {
                    continue;
                }
                last = Some((code.clone(), now));
                let line = handle(code, mode, lang).await;
                feedback(line.ok);
                lines.update(|l| l.push(line));
                // The return goes on to the contents check: this page is left.
                if matches!(mode, ScanMode::RequestReturn(_)) {
                    running.set(false);
                }
            }
            sleep(PAUSE_MS).await;
        }
        stop_camera(&stream, &video);
    }
}
