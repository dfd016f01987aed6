//! The knowledge base: articles and their full-text search.
//!
//! The search is the one place where the backends differ in more than syntax: PostgreSQL
//! matches the generated `kb_articles.search` (`tsvector` in the article's language: Russian
//! and English stemmed, Polish as simple words) with a `tsquery` of prefix terms, ranked by
//! `ts_rank`; SQLite matches the FTS5 table `kb_articles_fts` (words folded to lower case
//! without diacritics) with prefix phrases, ranked by `bm25`. Both are given only the words
//! of [`okno_domain::tickets::search_terms`], written into their syntax by [`pg_tsquery`] and
//! [`fts5_match`], so what a user types is never the engine's query language.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use okno_domain::customers::Language;

use crate::schema::kb_articles;
use crate::{DbConnection, DbResult, Stored, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ArticleRecord {
    pub id: i64,
    pub title: String,
    pub body: String,
    #[diesel(deserialize_as = Stored<Language>)]
    pub language: Language,
    pub topic_id: Option<i64>,
    pub public: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub updated_by: String,
}

/// An article as written: created, or changed as a whole.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = kb_articles, treat_none_as_null = true)]
pub struct ArticleRow {
    pub title: String,
    pub body: String,
    #[diesel(serialize_as = Stored<Language>)]
    pub language: Language,
    pub topic_id: Option<i64>,
    pub public: bool,
    pub updated_at: Timestamp,
    pub updated_by: String,
}

/// Which articles a list or search shows.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// Words every article found has (as a prefix of one of its words, or, stemmed, one of
    /// its words' forms); none: every article.
    pub terms: Vec<String>,
    pub topic_id: Option<i64>,
    pub language: Option<Language>,
    pub public: Option<bool>,
}

/// How a list without search terms is ordered (a search is best match first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleOrder {
    /// The latest changed first.
    Newest,
    /// By topic (articles of none last), then title: the FAQ.
    TopicThenTitle,
}

impl ArticleRecord {
    pub fn insert(
        conn: &mut DbConnection,
        row: ArticleRow,
        created_at: Timestamp,
    ) -> DbResult<Self> {
        let id: i64 = diesel::insert_into(kb_articles::table)
            .values((row, kb_articles::created_at.eq(created_at)))
            .returning(kb_articles::id)
            .get_result(conn)?;
        Self::find(conn, id)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> DbResult<Self> {
        Ok(kb_articles::table.find(id).first(conn)?)
    }

    /// Replaces an article's content; not found when there is no such article.
    pub fn update(conn: &mut DbConnection, id: i64, row: ArticleRow) -> DbResult<Self> {
        let changed = diesel::update(kb_articles::table.find(id))
            .set(row)
            .execute(conn)?;
        if changed == 0 {
            return Err(crate::DbError::NotFound);
        }
        Self::find(conn, id)
    }

    /// At most `limit` articles of `filter`: with terms the best matches first, otherwise
    /// in `order`.
    pub fn list(
        conn: &mut DbConnection,
        filter: &ArticleFilter,
        order: ArticleOrder,
        limit: i64,
    ) -> DbResult<Vec<Self>> {
        if filter.terms.is_empty() {
            return Self::listed(conn, filter, order, limit);
        }
        let ids = matching_ids(conn, filter, limit)?;
        let mut found: Vec<Self> = kb_articles::table
            .filter(kb_articles::id.eq_any(&ids))
            .load(conn)?;
        found.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
        Ok(found)
    }

    fn listed(
        conn: &mut DbConnection,
        filter: &ArticleFilter,
        order: ArticleOrder,
        limit: i64,
    ) -> DbResult<Vec<Self>> {
        let mut query = kb_articles::table.into_boxed();
        if let Some(topic) = filter.topic_id {
            query = query.filter(kb_articles::topic_id.eq(topic));
        }
        if let Some(language) = filter.language {
            query = query.filter(kb_articles::language.eq(language.as_str()));
        }
        if let Some(public) = filter.public {
            query = query.filter(kb_articles::public.eq(public));
        }
        query = match order {
            ArticleOrder::Newest => {
                query.order((kb_articles::updated_at.desc(), kb_articles::id.desc()))
            }
            ArticleOrder::TopicThenTitle => query.order((
                kb_articles::topic_id.is_null(),
                kb_articles::topic_id,
                kb_articles::title,
                kb_articles::id,
            )),
        };
        Ok(query.limit(limit).load(conn)?)
    }
}

/// `terms` as a PostgreSQL `tsquery` in which every term must occur, each as a prefix of a
/// lexeme: `'modem':* & 'restart':*`. Each term is quoted (quotes and backslashes doubled),
/// so nothing in it is read as an operator; `to_tsquery` then stems it in the article's
/// language.
pub fn pg_tsquery(terms: &[String]) -> String {
    terms
        .iter()
        .map(|term| format!("'{}':*", term.replace('\\', "\\\\").replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// `terms` as an FTS5 query in which every term must occur as a prefix of a word:
/// `"modem"* AND "restart"*`. Each term is a quoted string (inner quotes doubled), which FTS5
/// never reads as an operator or a column filter.
pub fn fts5_match(terms: &[String]) -> String {
    terms
        .iter()
        .map(|term| format!("\"{}\"*", term.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(Debug, Clone)]
enum Bind {
    Text(String),
    Int(i64),
    Bool(bool),
}

/// SQL conditions with their values in order, in the placeholders of one backend.
struct Conditions {
    sql: Vec<String>,
    binds: Vec<Bind>,
    postgres: bool,
}

impl Conditions {
    fn placeholder(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        if self.postgres {
            format!("${}", self.binds.len())
        } else {
            "?".to_owned()
        }
    }

    fn push(&mut self, condition: impl FnOnce(&str) -> String, bind: Bind) {
        let p = self.placeholder(bind);
        self.sql.push(condition(&p));
    }
}

/// The ids of the best `limit` articles matching `filter`'s terms and attributes, best first.
fn matching_ids(conn: &mut DbConnection, filter: &ArticleFilter, limit: i64) -> DbResult<Vec<i64>> {
    let postgres = matches!(conn, DbConnection::Postgresql(_));
    let mut c = Conditions {
        sql: Vec::new(),
        binds: Vec::new(),
        postgres,
    };
    let (from, rank) = if postgres {
        // The query is the same text in each language; each article is matched in its own,
        // written out per language so that the GIN index on `search` serves every branch.
        let q = c.placeholder(Bind::Text(pg_tsquery(&filter.terms)));
        c.sql.push(format!(
            "((a.language = 'ru' AND a.search @@ to_tsquery('russian', {q})) \
             OR (a.language = 'en' AND a.search @@ to_tsquery('english', {q})) \
             OR (a.language = 'pl' AND a.search @@ to_tsquery('simple', {q})))"
        ));
        (
            "kb_articles a".to_owned(),
            format!(
                "ts_rank(a.search, to_tsquery(CASE a.language WHEN 'ru' THEN 'russian'::regconfig \
                 WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END, {q})) DESC"
            ),
        )
    } else {
        c.push(
            |p| format!("kb_articles_fts MATCH {p}"),
            Bind::Text(fts5_match(&filter.terms)),
        );
        (
            "kb_articles_fts JOIN kb_articles a ON a.id = kb_articles_fts.rowid".to_owned(),
            // bm25 is lower for better matches.
            "bm25(kb_articles_fts)".to_owned(),
        )
    };
    if let Some(topic) = filter.topic_id {
        c.push(|p| format!("a.topic_id = {p}"), Bind::Int(topic));
    }
    if let Some(language) = filter.language {
        c.push(
            |p| format!("a.language = {p}"),
            Bind::Text(language.as_str().to_owned()),
        );
    }
    if let Some(public) = filter.public {
        c.push(|p| format!("a.public = {p}"), Bind::Bool(public));
    }
    let limit = c.placeholder(Bind::Int(limit));
    let sql = format!(
        "SELECT a.id FROM {from} WHERE {} ORDER BY {rank}, a.updated_at DESC, a.id DESC LIMIT {limit}",
        c.sql.join(" AND ")
    );
    let found: Vec<Found> = crate::on_each_backend!(conn, |conn| {
        let mut query = diesel::sql_query(&sql).into_boxed();
        for bind in &c.binds {
            query = match bind {
                Bind::Text(text) => query.bind::<Text, _>(text.clone()),
                Bind::Int(n) => query.bind::<BigInt, _>(*n),
                Bind::Bool(b) => query.bind::<Bool, _>(*b),
            };
        }
        query.load(conn)
    })?;
    Ok(found.into_iter().map(|f| f.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn tsquery_requires_every_term_as_a_quoted_prefix() {
        assert_eq!(
            pg_tsquery(&terms(&["роутер", "работает"])),
            "'роутер':* & 'работает':*"
        );
        assert_eq!(pg_tsquery(&terms(&["modem"])), "'modem':*");
        // Terms come from `search_terms`, which keeps letters and digits only; quoting holds
        // even if one did not.
        assert_eq!(pg_tsquery(&terms(&["a'b\\c"])), "'a''b\\\\c':*");
        assert_eq!(pg_tsquery(&[]), "");
    }

    #[test]
    fn fts5_query_requires_every_term_as_a_quoted_prefix() {
        assert_eq!(
            fts5_match(&terms(&["płatność", "faktura"])),
            "\"płatność\"* AND \"faktura\"*"
        );
        assert_eq!(fts5_match(&terms(&["a\"b"])), "\"a\"\"b\"*");
        assert_eq!(fts5_match(&[]), "");
    }

    #[test]
    fn builders_never_pass_query_syntax_through() {
        let typed = "modem* OR \"router\" -(wifi) & !tv | ip:5 NEAR(a b) ^x";
        let words = okno_domain::tickets::search_terms(typed);
        let fts = fts5_match(&words);
        let pg = pg_tsquery(&words);
        // Outside the quoted terms only the joining operators and the prefix marks remain.
        let outside = |query: &str, quote: char| -> String {
            query.split(quote).step_by(2).collect::<Vec<_>>().concat()
        };
        assert!(
            outside(&fts, '"')
                .split_whitespace()
                .all(|part| part == "*" || part == "AND" || part == "*AND"),
            "{fts}"
        );
        assert!(
            outside(&pg, '\'')
                .split_whitespace()
                .all(|part| part == ":*" || part == "&"),
            "{pg}"
        );
    }
}
