//! The knowledge base and the public FAQ.

use okno_api_types::tickets::{Article, ArticleInput, ArticleQuery, FaqQuery};

use crate::{Client, Result};

impl Client {
    /// Articles: a full-text search with `q`, else the latest changed first.
    pub async fn kb_articles(&self, query: &ArticleQuery) -> Result<Vec<Article>> {
        self.get_query("api/v1/kb-articles", query).await
    }

    pub async fn kb_article(&self, id: i64) -> Result<Article> {
        self.get(&format!("api/v1/kb-articles/{id}")).await
    }

    pub async fn create_kb_article(&self, article: &ArticleInput) -> Result<Article> {
        self.post("api/v1/kb-articles", article).await
    }

    pub async fn update_kb_article(&self, id: i64, article: &ArticleInput) -> Result<Article> {
        self.put(&format!("api/v1/kb-articles/{id}"), article).await
    }

    /// The public FAQ; needs no sign-in.
    pub async fn faq(&self, query: &FaqQuery) -> Result<Vec<Article>> {
        self.get_query("api/v1/faq", query).await
    }
}
