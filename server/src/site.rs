//! The built front end (wasm, js, css, the asset manifest) and static images, as files:
//! from disk in development, from the binary itself in release builds (`embed-assets`).
//! Served by `http::assets`; read by the page renderer for the manifest. Kept below `http`
//! so the application state can hold it without importing a router module.

use leenpunt_frontend::ssr::AssetManifest;
use std::borrow::Cow;
use std::path::PathBuf;

#[cfg(feature = "embed-assets")]
#[derive(rust_embed::Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../target/site"]
struct Embedded;

/// Where the site's files come from.
#[derive(Debug)]
pub struct Assets {
    dir: PathBuf,
    /// `None` when the front end has not been built: pages still render, unhydrated.
    pub manifest: Option<AssetManifest>,
}

impl Assets {
    pub fn load(dir: PathBuf) -> Assets {
        let mut assets = Assets {
            dir,
            manifest: None,
        };
        assets.manifest = assets
            .read("manifest.json")
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        if assets.manifest.is_none() {
            tracing::warn!(dir = %assets.dir.display(), "no built front end found; pages will not hydrate");
        }
        assets
    }

    /// A file of the site by its relative path.
    pub fn read(&self, rel: &str) -> Option<Cow<'static, [u8]>> {
        if rel.split('/').any(|seg| seg == ".." || seg.is_empty()) {
            return None;
        }
        #[cfg(feature = "embed-assets")]
        {
            Embedded::get(rel).map(|f| f.data)
        }
        #[cfg(not(feature = "embed-assets"))]
        {
            std::fs::read(self.dir.join(rel)).ok().map(Cow::Owned)
        }
    }
}
