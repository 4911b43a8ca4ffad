//! Headless Chromium over WebDriver (chromedriver from Debian). The guard closes the
//! browser even when a test panics.

use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: tempfile::TempDir,
    // One browser at a time: two Chromiums on a 2-core CI machine make timings flaky.
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

static TURN: std::sync::LazyLock<std::sync::Arc<tokio::sync::Mutex<()>>> =
    std::sync::LazyLock::new(Default::default);

/// How long to wait for the page to reach a state.
const WAIT: Duration = Duration::from_secs(20);

fn tool(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl Browser {
    pub async fn start() -> Browser {
        Self::start_with(&[]).await
    }

    /// Starts Chromium with extra command-line switches (e.g. a fake camera).
    pub async fn start_with(extra_args: &[String]) -> Browser {
        Self::launch(extra_args, None).await
    }

    /// Starts Chromium as a phone `width` CSS pixels wide (mobile emulation: touch, the
    /// viewport meta tag applies, the page may not zoom out to hide a too-wide layout).
    pub async fn start_phone(width: u32) -> Browser {
        Self::launch(&[], Some(width)).await
    }

    /// A phone with extra command-line switches (e.g. a fake camera).
    pub async fn start_phone_with(width: u32, extra_args: &[String]) -> Browser {
        Self::launch(extra_args, Some(width)).await
    }

    async fn launch(extra_args: &[String], phone_width: Option<u32>) -> Browser {
        let turn = TURN.clone().lock_owned().await;
        let port = free_port();
        let driver = Command::new(tool("LEENPUNT_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (install: apt-get install chromium chromium-driver)");
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                // A Flemish teacher's browser: Dutch first.
                "prefs": { "intl.accept_languages": "nl-BE,nl" },
                "binary": tool("LEENPUNT_TEST_CHROMIUM", "/usr/bin/chromium"),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=nl-BE",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let mut caps = match caps {
            serde_json::Value::Object(map) => map,
            _ => unreachable!(),
        };
        if let Some(width) = phone_width {
            caps["goog:chromeOptions"]["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": 780, "pixelRatio": 2, "mobile": true, "touch": true },
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36"
            });
        }
        if let Some(args) = caps["goog:chromeOptions"]["args"].as_array_mut() {
            args.extend(
                extra_args
                    .iter()
                    .map(|a| serde_json::Value::String(a.clone())),
            );
        }
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            let attempt =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps.clone())
                    .connect(&url)
                    .await;
            match attempt {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("chromedriver did not start: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Browser {
            client,
            driver,
            profile,
            _turn: turn,
        }
    }

    /// Waits until a CSS selector matches, up to `WAIT`.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
    }

    /// A link of the header's navigation, with its menu (Balie, Beheer) opened as a person
    /// would: by clicking the menu's summary.
    pub async fn nav_link(&self, css: &str) -> fantoccini::elements::Element {
        let link = self.wait_for(css).await;
        let summary = format!("details.nav-menu:not([open]):has({css}) > summary");
        if let Ok(summary) = self.client.find(Locator::Css(&summary)).await {
            summary.click().await.expect("open the menu");
        }
        link
    }

    /// Waits until a JavaScript expression is truthy, up to `WAIT`.
    pub async fn wait_until(&self, js_expr: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let v = self
                .client
                .execute(&format!("return !!({js_expr});"), vec![])
                .await
                .expect("execute");
            if v.as_bool() == Some(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {js_expr}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Fills in and submits the sign-in form of the current page.
    pub async fn sign_in(&self, email: &str, password: &str) {
        self.wait_for("#signin-email")
            .await
            .send_keys(email)
            .await
            .expect("type e-mail");
        self.wait_for("#signin-password")
            .await
            .send_keys(password)
            .await
            .expect("type password");
        self.wait_for(".signin-form button")
            .await
            .click()
            .await
            .expect("submit");
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver (`goog/cdp/execute`).
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        self.client
            .issue_cmd(Cdp {
                body: serde_json::json!({ "cmd": cmd, "params": params }).to_string(),
            })
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Loads axe-core (npm, installed by the test command) into every document this browser
    /// opens from now on. Through DevTools it runs before the page's own scripts and is not
    /// subject to the page's Content-Security-Policy.
    pub async fn inject_axe(&self) {
        let path = std::env::var_os("LEENPUNT_TEST_AXE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../target/tools/node_modules/axe-core/axe.min.js"
                ))
            });
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "axe-core at {} ({e}); run `cargo xtask test`, which installs it",
                path.display()
            )
        });
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": source }),
        )
        .await;
    }

    /// axe-core's serious and critical violations of WCAG 2.1 A/AA on the current page
    /// (after [`Browser::inject_axe`]), one line each: rule, impact and the elements.
    pub async fn axe_violations(&self) -> Vec<String> {
        let found = self
            .js("const r = await axe.run(document, { \
                   runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, \
                   resultTypes: ['violations'] }); \
                 return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical') \
                   .map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 5).map(n => \
                     n.target.join(' ') + (v.id === 'color-contrast' ? ' [' + n.any.map(c => \
                       c.data && `${c.data.fgColor} on ${c.data.bgColor} = ${c.data.contrastRatio}`).join() + ']' : '') \
                   ).join(', ') + (v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ''));")
            .await;
        serde_json::from_value(found).expect("axe's answer")
    }

    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, vec![]).await.expect("execute")
    }

    /// Ends the session cleanly; `Drop` is the safety net.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// chromedriver's endpoint for DevTools commands.
#[derive(Debug)]
struct Cdp {
    body: String,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Chromium outlives its driver when a session was not closed: end it by profile.
        let _ = Command::new("pkill")
            .args(["-f", "--"])
            .arg(format!("--user-data-dir={}", self.profile.path().display()))
            .status();
    }
}
