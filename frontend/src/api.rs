//! Data access for pages. In the browser it calls the JSON API; during server rendering
//! it calls the server's backend directly (same types, no HTTP round trip).

use leenpunt_shared::{CatalogueQuery, KitDetail, Problem, SearchResults};
use std::future::Future;

/// Searches the catalogue.
pub fn search(
    query: CatalogueQuery,
) -> impl Future<Output = Result<SearchResults, Problem>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        async move { backend.search(query).await }
    }
    #[cfg(not(feature = "ssr"))]
    {
        client::get_json(format!("/api/v1/catalogue?{}", query.to_query_string()))
    }
}

/// One catalogue entry by slug; `Ok(None)` when it does not exist.
pub fn kit(
    slug: String,
) -> impl Future<Output = Result<Option<KitDetail>, Problem>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let backend = crate::ssr::backend();
        async move { backend.kit(slug).await }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let url = format!(
            "/api/v1/catalogue/{}",
            leenpunt_shared::query::encode_component(&slug)
        );
        async move {
            match client::get_json::<KitDetail>(url).await {
                Ok(kit) => Ok(Some(kit)),
                Err(p) if p.status == 404 => Ok(None),
                Err(p) => Err(p),
            }
        }
    }
}

#[cfg(not(feature = "ssr"))]
mod client {
    use leenpunt_shared::Problem;
    use serde::de::DeserializeOwned;
    use std::future::Future;

    fn network_problem(status: u16) -> Problem {
        Problem {
            kind: "/problems/network".into(),
            title: "Network error".into(),
            status,
            detail: None,
            errors: Vec::new(),
            alternatives: Vec::new(),
        }
    }

    /// GETs JSON from our own API; errors come back as the server's problem+json.
    pub fn get_json<T: DeserializeOwned + 'static>(
        url: String,
    ) -> impl Future<Output = Result<T, Problem>> + Send + 'static {
        send_wrapper::SendWrapper::new(async move {
            use wasm_bindgen::JsCast;
            use wasm_bindgen_futures::JsFuture;
            let window = web_sys::window().ok_or_else(|| network_problem(0))?;
            let response = JsFuture::from(window.fetch_with_str(&url))
                .await
                .map_err(|_| network_problem(0))?;
            let response: web_sys::Response =
                response.dyn_into().map_err(|_| network_problem(0))?;
            let text_promise = response
                .text()
                .map_err(|_| network_problem(response.status()))?;
            let text = JsFuture::from(text_promise)
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            if response.ok() {
                serde_json::from_str(&text).map_err(|_| network_problem(response.status()))
            } else {
                Err(serde_json::from_str(&text)
                    .unwrap_or_else(|_| network_problem(response.status())))
            }
        })
    }
}
