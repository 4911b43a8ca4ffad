//! Catalogue search with an in-memory facet index, rebuilt when the catalogue changes.

use crate::db::{Db, DbResult};
use crate::domain::catalogue::{search, CatalogueIndex};
use leenpunt_shared::{CatalogueQuery, KitDetail, SearchResults};
use std::sync::Arc;
use tokio::sync::RwLock;

/// An index together with the catalogue version it was built from.
type VersionedIndex = Option<(i64, Arc<CatalogueIndex>)>;

/// The catalogue as requests see it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Catalogue {
    db: Db,
    cached: Arc<RwLock<VersionedIndex>>,
}

impl Catalogue {
    pub fn new(db: Db) -> Self {
        Catalogue {
            db,
            cached: Arc::default(),
        }
    }

    /// The current index. One cheap version read per call; a reload only after a write,
    /// so several server instances on one database stay consistent.
    async fn index(&self) -> DbResult<Arc<CatalogueIndex>> {
        let version = self.db.catalogue_version().await?;
        if let Some((v, index)) = self.cached.read().await.as_ref() {
            if *v == version {
                return Ok(index.clone());
            }
        }
        let mut slot = self.cached.write().await;
        if let Some((v, index)) = slot.as_ref() {
            if *v == version {
                return Ok(index.clone());
            }
        }
        let index = Arc::new(self.db.load_catalogue_index().await?);
        *slot = Some((version, index.clone()));
        Ok(index)
    }

    /// Runs a search: the free dates in storage, words, facets and paging in the domain.
    #[tracing::instrument(skip(self))]
    pub async fn search(&self, query: &CatalogueQuery) -> DbResult<SearchResults> {
        let index = self.index().await?;
        // "Free from X to Y": only kit types with a unit free every day of the range.
        let range = query.free_range().and_then(|(from, to)| {
            let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            Some((day(from)?, day(to)?))
        });
        let free = match range {
            Some((from, to)) => Some(self.db.free_kits(from, to).await?),
            None => None,
        };
        let page = search(&index, query, free.as_ref());
        let items = self.db.kit_summaries(&page.ids).await?;
        Ok(SearchResults {
            total: page.total,
            page: page.page,
            page_count: page.page_count,
            items,
            facets: page.facets,
            suggestion: page.suggestion,
        })
    }

    pub async fn detail(&self, slug: &str) -> DbResult<Option<KitDetail>> {
        self.db.kit_detail(slug).await
    }
}
