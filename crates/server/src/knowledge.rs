//! The knowledge base: articles staff find by full text in three languages, the
//! suggestions for a contact's topic, and the public articles that are the cabinet's FAQ.
//!
//! The search terms are `okno_domain::tickets::search_terms`; how each database matches them
//! is `okno_db::knowledge`. Articles hold no personal data: reading them is not audited,
//! changing them is.

use chrono::{DateTime, Utc};
use okno_api_types::ErrorCode;
use okno_api_types::tickets::{Article, ArticleInput, ArticleQuery, FaqQuery};
use okno_db::knowledge::{ArticleFilter, ArticleOrder, ArticleRecord, ArticleRow};
use okno_db::reference::TopicRecord;
use okno_db::{DbConnection, DbError, write_transaction};
use okno_domain::customers::Language;
use okno_domain::tickets::{ARTICLE_BODY_MAX_CHARS, ARTICLE_TITLE_MAX_CHARS, search_terms};
use okno_domain::validation::{FieldErrorCode, Validator};

use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiResult, NotFoundExt};
use crate::time::{from_db, to_db};

/// Articles a list shows when no `limit` is given, and the most it shows.
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 100;
/// Longest search the API reads, in characters.
pub const QUERY_MAX_CHARS: usize = 200;
/// The FAQ's language when none is asked for.
pub const FAQ_LANGUAGE: Language = Language::Pl;

pub fn to_api(record: ArticleRecord) -> Article {
    Article {
        id: record.id,
        title: record.title,
        body: record.body,
        language: record.language,
        topic_id: record.topic_id,
        public: record.public,
        updated_at: from_db(record.updated_at),
        updated_by: record.updated_by,
    }
}

/// The words of a search: none when there is no search; `q` is at fault when it is too long
/// or has no word to look for.
fn terms_of(v: &mut Validator, q: Option<&str>) -> Vec<String> {
    let Some(q) = q else {
        return Vec::new();
    };
    if q.chars().count() > QUERY_MAX_CHARS {
        v.fail(
            "q",
            FieldErrorCode::TooLong,
            format!("must have at most {QUERY_MAX_CHARS} characters"),
        );
    }
    let terms = search_terms(q);
    if terms.is_empty() {
        v.fail(
            "q",
            FieldErrorCode::InvalidSearch,
            "has no word of two or more letters or digits to look for",
        );
    }
    terms
}

fn limit(v: &mut Validator, requested: Option<u32>) -> i64 {
    let limit = requested.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        v.fail(
            "limit",
            FieldErrorCode::OutOfRange,
            format!("must be between 1 and {MAX_LIMIT}"),
        );
    }
    i64::from(limit)
}

/// Articles for staff: with `q` the best matches first, otherwise the latest changed first;
/// narrowed by topic (what the card suggests while a contact on it is logged), language and
/// whether they are public.
pub fn list(conn: &mut DbConnection, query: &ArticleQuery) -> ApiResult<Vec<Article>> {
    let mut v = Validator::new();
    let filter = ArticleFilter {
        terms: terms_of(&mut v, query.q.as_deref()),
        topic_id: query.topic_id,
        language: query.language,
        public: query.public,
    };
    let limit = limit(&mut v, query.limit);
    v.finish()?;
    let found = ArticleRecord::list(conn, &filter, ArticleOrder::Newest, limit)?;
    Ok(found.into_iter().map(to_api).collect())
}

/// The FAQ: public articles in one language (Polish unless asked), the best matches of `q`
/// first, otherwise by topic and title; at most [`MAX_LIMIT`].
pub fn faq(conn: &mut DbConnection, query: &FaqQuery) -> ApiResult<Vec<Article>> {
    let mut v = Validator::new();
    let terms = terms_of(&mut v, query.q.as_deref());
    v.finish()?;
    let filter = ArticleFilter {
        terms,
        topic_id: None,
        language: Some(query.language.unwrap_or(FAQ_LANGUAGE)),
        public: Some(true),
    };
    let found = ArticleRecord::list(
        conn,
        &filter,
        ArticleOrder::TopicThenTitle,
        i64::from(MAX_LIMIT),
    )?;
    Ok(found.into_iter().map(to_api).collect())
}

pub fn find(conn: &mut DbConnection, id: i64) -> ApiResult<ArticleRecord> {
    ArticleRecord::find(conn, id).or_not_found(ErrorCode::ArticleNotFound, format!("article {id}"))
}

pub fn get(conn: &mut DbConnection, id: i64) -> ApiResult<Article> {
    find(conn, id).map(to_api)
}

/// The article as it will be stored, or every field at fault. The topic is looked up.
fn checked(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &ArticleInput,
    now: DateTime<Utc>,
) -> ApiResult<ArticleRow> {
    let mut v = Validator::new();
    let title = v.text("title", &input.title, ARTICLE_TITLE_MAX_CHARS);
    let body = v.text("body", &input.body, ARTICLE_BODY_MAX_CHARS);
    if let Some(topic_id) = input.topic_id {
        match TopicRecord::find(conn, topic_id) {
            Ok(_) => {}
            Err(DbError::NotFound) => v.fail(
                "topic_id",
                FieldErrorCode::UnknownReference,
                format!("there is no topic {topic_id}"),
            ),
            Err(e) => return Err(e.into()),
        }
    }
    v.finish()?;
    Ok(ArticleRow {
        title,
        body,
        language: input.language,
        topic_id: input.topic_id,
        public: input.public,
        updated_at: to_db(now),
        updated_by: principal.username.clone(),
    })
}

/// Writes a new article, audited.
pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: &ArticleInput,
    now: DateTime<Utc>,
) -> ApiResult<Article> {
    write_transaction(conn, |conn| {
        let row = checked(conn, principal, input, now)?;
        let record = ArticleRecord::insert(conn, row, to_db(now))?;
        audit::record(
            conn,
            principal,
            "kb_article.create",
            None,
            Some(describe(&record)),
            now,
        )?;
        Ok(to_api(record))
    })
}

/// Replaces an article's title, body, language, topic and whether it is public, audited.
pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: i64,
    input: &ArticleInput,
    now: DateTime<Utc>,
) -> ApiResult<Article> {
    write_transaction(conn, |conn| {
        find(conn, id)?;
        let row = checked(conn, principal, input, now)?;
        let record = ArticleRecord::update(conn, id, row)
            .or_not_found(ErrorCode::ArticleNotFound, format!("article {id}"))?;
        audit::record(
            conn,
            principal,
            "kb_article.update",
            None,
            Some(describe(&record)),
            now,
        )?;
        Ok(to_api(record))
    })
}

fn describe(record: &ArticleRecord) -> String {
    format!(
        "{} ({}{}): {}",
        record.id,
        record.language.as_str(),
        if record.public { ", public" } else { "" },
        record.title
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(v: Validator) -> Vec<(String, FieldErrorCode)> {
        v.into_errors()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_search_needs_a_word_and_a_bounded_length() {
        let mut v = Validator::new();
        assert!(terms_of(&mut v, None).is_empty());
        assert_eq!(
            terms_of(&mut v, Some("Modem, restart!")),
            vec!["modem", "restart"]
        );
        assert!(v.is_valid());
        terms_of(&mut v, Some("* \" : !"));
        assert_eq!(
            fields(v),
            vec![("q".to_owned(), FieldErrorCode::InvalidSearch)]
        );
        let mut v = Validator::new();
        terms_of(&mut v, Some(&"ab ".repeat(70)));
        assert_eq!(fields(v), vec![("q".to_owned(), FieldErrorCode::TooLong)]);
    }

    #[test]
    fn limits_are_one_to_a_hundred() {
        let mut v = Validator::new();
        assert_eq!(limit(&mut v, None), i64::from(DEFAULT_LIMIT));
        assert_eq!(limit(&mut v, Some(100)), 100);
        assert!(v.is_valid());
        for wrong in [0, 101] {
            let mut v = Validator::new();
            limit(&mut v, Some(wrong));
            assert_eq!(
                fields(v),
                vec![("limit".to_owned(), FieldErrorCode::OutOfRange)]
            );
        }
    }
}
