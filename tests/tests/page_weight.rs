//! The catalogue's and the camera scanner's first loads (HTML + CSS + JS + wasm, compressed
//! as a browser gets them) must stay within 250 KB. The scanner's QR decoder is loaded
//! when the camera starts, not with the page. A page without islands loads neither the JS
//! nor the wasm: its HTML and CSS stay within 30 KB. The desk's offline queue is its own
//! wasm (within 90 KB), loaded by the desk pages only: the catalogue never loads it, the
//! scanner page loads it besides its islands, and the desk's day (no islands, within
//! 100 KB) loads it and nothing of the islands' wasm. A size check, not a timing: it
//! cannot flake. (That the browser really fetches no wasm there: `browser_shell.rs`.)

use leenpunt_tests::{site_dir, TestApp};

const BUDGET: usize = 250_000;
/// A page with nothing to hydrate.
const STATIC_BUDGET: usize = 30_000;
/// The desk's offline queue on its own: boot module, JS glue and wasm.
const QUEUE_BUDGET: usize = 90_000;
/// The desk's day: HTML, CSS and the offline queue's own module.
const DESK_BUDGET: usize = 100_000;

/// One app, one page after the other (two apps rendering at once in one test process once
/// left a render waiting until the request timed out).
#[tokio::test]
async fn first_loads_fit_the_budget() {
    let app = TestApp::spawn().await;
    first_load_fits(&app, "/catalogus", None).await;
    first_load_fits(&app, "/balie/scan", Some("ambassadeur@demo.leenpunt.be")).await;
    static_load_fits(&app, "/aanmelden", None).await;
    static_load_fits(&app, "/opleidingen", None).await;
    desk_load_fits(&app, "/balie/vandaag").await;
    static_load_fits(
        &app,
        "/beheer/materiaal",
        Some("beheerder@demo.leenpunt.be"),
    )
    .await;
}

async fn first_load_fits(app: &TestApp, page: &str, user: Option<&str>) {
    let manifest = built_manifest();
    let cookie = sign_in(app, user).await;
    let html = app.get_as(&cookie, page).await.text().await.unwrap();
    assert!(html.contains("<leptos-island"), "{page} has an island");
    if user.is_some() {
        assert!(
            html.contains("start-camera"),
            "the page renders its scanner"
        );
    }
    let assets = [
        manifest["css"].as_str().unwrap(),
        manifest["js"].as_str().unwrap(),
        manifest["wasm"].as_str().unwrap(),
    ];
    let queue = manifest["deskqueue"].as_str().unwrap();
    if user.is_some() {
        // A desk page: the offline queue's boot, glue and wasm come too, weighed on their
        // own (`QUEUE_BUDGET`); the islands' part keeps its budget.
        assert!(html.contains(queue), "{page} loads the desk queue");
        let files = queue_files(queue);
        let files: Vec<&str> = files.iter().map(String::as_str).collect();
        weigh_files(
            app,
            &format!("{page}: the desk queue"),
            &files,
            &cookie,
            QUEUE_BUDGET,
        )
        .await;
    } else {
        assert!(
            !html.contains("deskqueue"),
            "{page} does not load the desk queue"
        );
    }
    let total = weigh(app, page, &assets, &cookie, BUDGET).await;
    assert!(total > 100_000, "the wasm is counted ({total} B)");
}

/// The desk queue's boot module and the glue and wasm it names.
fn queue_files(boot: &str) -> Vec<String> {
    let path = site_dir().join(boot.trim_start_matches('/'));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut files = vec![boot.to_owned()];
    for part in text.split('\'') {
        if part.starts_with("/pkg/deskqueue") {
            files.push(part.to_owned());
        }
    }
    assert_eq!(files.len(), 3, "boot, glue and wasm: {files:?}");
    files
}

/// The desk's day: no islands (none of the islands' JS or wasm), the offline queue's own
/// module, within `DESK_BUDGET`.
async fn desk_load_fits(app: &TestApp, page: &str) {
    let manifest = built_manifest();
    let cookie = sign_in(app, Some("ambassadeur@demo.leenpunt.be")).await;
    let html = app.get_as(&cookie, page).await.text().await.unwrap();
    assert!(!html.contains("<leptos-island"), "{page} has no island");
    assert!(
        !html.contains("rel=\"preload\"") && !html.contains("rel=\"modulepreload\""),
        "{page} preloads nothing"
    );
    let queue = manifest["deskqueue"].as_str().unwrap();
    assert_eq!(
        html.matches(" src=\"/pkg/").count(),
        1,
        "{page} loads one script file"
    );
    assert!(
        html.contains(&format!(" src=\"{queue}\"")),
        "{page} loads the desk queue (and only that)"
    );
    let mut assets = vec![manifest["css"].as_str().unwrap().to_owned()];
    assets.extend(queue_files(queue));
    let assets: Vec<&str> = assets.iter().map(String::as_str).collect();
    let total = weigh(app, page, &assets, &cookie, DESK_BUDGET).await;
    assert!(total > 20_000, "the queue's wasm is counted ({total} B)");
}

/// A page without islands: no `<leptos-island>`, nothing that makes the browser fetch the
/// JS glue or the wasm before the boot script has looked (no preload, no script `src`), and
/// HTML + CSS within `STATIC_BUDGET`.
async fn static_load_fits(app: &TestApp, page: &str, user: Option<&str>) {
    let manifest = built_manifest();
    let cookie = sign_in(app, user).await;
    let html = app.get_as(&cookie, page).await.text().await.unwrap();
    assert!(!html.contains("<leptos-island"), "{page} has no island");
    assert!(
        html.contains("<script type=\"module\""),
        "{page} has the boot script"
    );
    assert!(
        !html.contains("rel=\"preload\"") && !html.contains("rel=\"modulepreload\""),
        "{page} preloads nothing"
    );
    assert!(
        !html.contains(" src=\"/pkg/"),
        "{page} loads no script file"
    );
    weigh(
        app,
        page,
        &[manifest["css"].as_str().unwrap()],
        &cookie,
        STATIC_BUDGET,
    )
    .await;
}

async fn sign_in(app: &TestApp, user: Option<&str>) -> String {
    match user {
        Some(email) => app
            .login(email, leenpunt_tests::DEMO_PASSWORD)
            .await
            .unwrap(),
        None => String::new(),
    }
}

fn built_manifest() -> serde_json::Value {
    let manifest = site_dir().join("manifest.json");
    assert!(
        manifest.exists(),
        "run `cargo xtask test`, which builds the front end first"
    );
    serde_json::from_slice(&std::fs::read(manifest).unwrap()).unwrap()
}

/// Sums the page's and its assets' bytes on the wire and checks them against `budget`.
async fn weigh(app: &TestApp, page: &str, assets: &[&str], cookie: &str, budget: usize) -> usize {
    let files: Vec<&str> = std::iter::once(page)
        .chain(assets.iter().copied())
        .collect();
    weigh_files(app, page, &files, cookie, budget).await
}

/// Sums the files' bytes on the wire and checks them against `budget`.
async fn weigh_files(
    app: &TestApp,
    page: &str,
    files: &[&str],
    cookie: &str,
    budget: usize,
) -> usize {
    let mut total = 0;
    let mut report = String::new();
    for path in files.iter().copied() {
        let bytes = wire_bytes(app, path, cookie).await;
        report.push_str(&format!("{path}: {bytes} B\n"));
        total += bytes;
    }
    println!("first load of {page}: {total} B\n{report}");
    assert!(
        total <= budget,
        "first load of {page} is {total} B, over the {budget} B budget:\n{report}"
    );
    total
}

/// The bytes on the wire, compressed as a browser gets them.
async fn wire_bytes(app: &TestApp, path: &str, cookie: &str) -> usize {
    // A raw client: count the bytes on the wire, not the decoded ones.
    let raw = reqwest::Client::builder()
        .no_brotli()
        .no_gzip()
        .build()
        .unwrap();
    let response = raw
        .get(app.url(path))
        .header("accept-encoding", "br, gzip")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.bytes().await.unwrap().len()
}
