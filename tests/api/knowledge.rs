//! The knowledge base: search in three languages, the FAQ, suggestions by topic.
//!
//! PostgreSQL stems Russian and English words (any form of a word finds the others) and
//! matches Polish ones from their beginning, with their diacritics; SQLite matches every
//! language from the beginning of a word and folds diacritics other than `ł`. What both do is
//! asserted for both; where they differ, each backend's behaviour is asserted on its own.

use chrono::Duration;
use okno_api_types::audit::AuditQuery;
use okno_api_types::tickets::{Article, ArticleInput, ArticleQuery, FaqQuery};
use okno_api_types::{ErrorCode, Language};
use okno_client::Client;
use okno_domain::access::Role;
use okno_e2e::{Backend, both_backends, field_errors, refused};

fn article(language: Language, title: &str, body: &str, public: bool) -> ArticleInput {
    ArticleInput {
        title: title.into(),
        body: body.into(),
        language,
        topic_id: None,
        public,
    }
}

async fn titles(client: &Client, query: ArticleQuery) -> Vec<String> {
    client
        .kb_articles(&query)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect()
}

async fn found(client: &Client, q: &str) -> Vec<String> {
    titles(
        client,
        ArticleQuery {
            q: Some(q.into()),
            ..Default::default()
        },
    )
    .await
}

async fn faq_titles(client: &Client, query: FaqQuery) -> Vec<String> {
    client
        .faq(&query)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect()
}

/// The articles of the search tests: one in each language, and a second English one.
async fn write_library(writer: &Client) -> Vec<Article> {
    let mut written = Vec::new();
    for input in [
        article(
            Language::Ru,
            "Роутер не работает",
            "Если индикатор роутера мигает красным, перезагрузите его: выключите на 30 секунд.",
            true,
        ),
        article(
            Language::En,
            "Restart the modem",
            "Unplug the modem, wait thirty seconds, and plug it in again.",
            true,
        ),
        article(
            Language::Pl,
            "Płatność za fakturę",
            "Przelew na indywidualny numer konta księguje się automatycznie; prędkość księgowania to jeden dzień.",
            false,
        ),
        article(
            Language::En,
            "Moving house",
            "Tell us your new address a month ahead; the technician brings the modem to the new flat, and your number stays the same for the whole contract.",
            false,
        ),
    ] {
        written.push(writer.create_kb_article(&input).await.unwrap());
    }
    written
}

both_backends! {
    async fn articles_are_found_by_their_words_in_their_language(app) {
        let technician = app.as_role(Role::Technician).await;
        let operator = app.as_role(Role::Operator).await;
        write_library(&technician).await;

        // A shorter form finds the inflected one on both: "роутер" finds "роутера",
        // "работ" finds "работает"; every word must occur.
        assert_eq!(found(&operator, "роутер").await, vec!["Роутер не работает"]);
        assert_eq!(found(&operator, "работ РОУТЕР").await, vec!["Роутер не работает"]);
        assert!(found(&operator, "роутер модем").await.is_empty());
        assert_eq!(found(&operator, "plug modem").await, vec!["Restart the modem"]);
        assert_eq!(found(&operator, "płatność").await, vec!["Płatność za fakturę"]);
        assert_eq!(found(&operator, "Płatno konta").await, vec!["Płatność za fakturę"]);

        // The best match first: the article about the modem before the one that mentions it.
        assert_eq!(found(&operator, "modem").await, vec!["Restart the modem", "Moving house"]);
        // Filters apply to a search too.
        assert_eq!(
            titles(&operator, ArticleQuery { q: Some("modem".into()), public: Some(false), ..Default::default() }).await,
            vec!["Moving house"]
        );
        assert!(titles(&operator, ArticleQuery { q: Some("modem".into()), language: Some(Language::Ru), ..Default::default() }).await.is_empty());
        assert_eq!(
            titles(&operator, ArticleQuery { q: Some("modem".into()), limit: Some(1), ..Default::default() }).await,
            vec!["Restart the modem"]
        );

        // Longer forms: PostgreSQL stems Russian and English; SQLite matches beginnings only.
        // Polish typed without its diacritics: SQLite folds them (but for `ł`), PostgreSQL
        // matches Polish as written.
        let stemmed = [("работающего роутера", "Роутер не работает"), ("restarting modems", "Restart the modem")];
        for (q, title) in stemmed {
            let expected: Vec<String> = match app.backend {
                Backend::Postgres => vec![title.to_owned()],
                Backend::Sqlite => Vec::new(),
            };
            assert_eq!(found(&operator, q).await, expected, "{q}");
        }
        let unaccented = found(&operator, "predkosc ksiegowania").await;
        match app.backend {
            Backend::Sqlite => assert_eq!(unaccented, vec!["Płatność za fakturę"]),
            Backend::Postgres => assert!(unaccented.is_empty(), "{unaccented:?}"),
        }
        assert!(found(&operator, "platnosc").await.is_empty(), "ł is not folded on either");
    }

    async fn query_syntax_never_breaks_the_search(app) {
        let technician = app.as_role(Role::Technician).await;
        write_library(&technician).await;
        let agent = app.as_role(Role::Agent).await;

        // Operators of FTS5 and tsquery, quotes, escapes, column filters: read as words.
        for q in [
            "modem*", "\"modem", "modem\"", "'modem':*", "modem & !plug", "modem | router", "(modem)",
            "title:modem", "-modem", "modem NEAR plug", "NEAR(modem plug)", "modem AND OR NOT",
            "^modem", "modem\\", "\\'", "mo'dem", "%modem_", "modem; DROP TABLE kb_articles; --",
            "a:b:c", "{modem}", "modem + plug", "the", "не", "1", "ü", "😀 modem", "x\u{0}modem",
        ] {
            let answer = agent.kb_articles(&ArticleQuery { q: Some(q.into()), ..Default::default() }).await;
            match answer {
                Ok(_) => {}
                Err(okno_client::ClientError::Api(problem)) => {
                    assert_eq!((problem.status, problem.code), (422, ErrorCode::ValidationFailed), "{q:?}: {problem:?}");
                    assert_eq!(field_errors(&problem), vec![("q".to_owned(), "invalid_search".to_owned())], "{q:?}");
                }
                Err(other) => panic!("{q:?}: {other:?}"),
            }
            let public = app.client.faq(&FaqQuery { q: Some(q.into()), language: Some(Language::En) }).await;
            assert!(
                public.is_ok() || matches!(&public, Err(okno_client::ClientError::Api(p)) if p.status == 422),
                "{q:?}: {public:?}"
            );
        }
        assert_eq!(found(&agent, "modem* & !plug").await, vec!["Restart the modem"]);
        assert_eq!(found(&agent, "(modem) \"plug\"").await, vec!["Restart the modem"]);

        // Nothing to look for, or too long: 422 naming `q`.
        for q in ["*", "\" :* & |", "a b c", "!!!"] {
            let problem = refused(agent.kb_articles(&ArticleQuery { q: Some(q.into()), ..Default::default() }).await, 422, ErrorCode::ValidationFailed);
            assert_eq!(field_errors(&problem), vec![("q".to_owned(), "invalid_search".to_owned())], "{q:?}");
        }
        let problem = refused(agent.kb_articles(&ArticleQuery { q: Some("modem ".repeat(40)), ..Default::default() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&problem), vec![("q".to_owned(), "too_long".to_owned())]);
        let problem = refused(app.client.faq(&FaqQuery { q: Some("**".into()), language: None }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&problem), vec![("q".to_owned(), "invalid_search".to_owned())]);
        for limit in [0, 101] {
            let problem = refused(agent.kb_articles(&ArticleQuery { limit: Some(limit), ..Default::default() }).await, 422, ErrorCode::ValidationFailed);
            assert_eq!(field_errors(&problem), vec![("limit".to_owned(), "out_of_range".to_owned())]);
        }
    }

    async fn the_faq_is_the_public_articles_open_to_anyone(app) {
        let technician = app.as_role(Role::Technician).await;
        let topics = technician.topics().await.unwrap();
        let (first, second) = (topics[0].id.min(topics[1].id), topics[0].id.max(topics[1].id));
        for (title, topic, public) in [
            ("B: zmiana hasła Wi-Fi", Some(second), true),
            ("A: restart modemu", Some(second), true),
            ("C: jak czytać fakturę", Some(first), true),
            ("D: godziny otwarcia", None, true),
            ("E: procedura wewnętrzna", Some(first), false),
        ] {
            let input = ArticleInput { topic_id: topic, ..article(Language::Pl, title, "Treść artykułu o modemie i fakturze.", public) };
            technician.create_kb_article(&input).await.unwrap();
        }
        technician.create_kb_article(&article(Language::En, "Restart the modem", "Unplug the modem.", true)).await.unwrap();
        technician.create_kb_article(&article(Language::En, "Internal: line test", "Run the line test on the modem.", false)).await.unwrap();

        // No token needed; Polish unless asked; by topic, then title, articles of no topic last.
        assert_eq!(
            faq_titles(&app.client, FaqQuery::default()).await,
            vec!["C: jak czytać fakturę", "A: restart modemu", "B: zmiana hasła Wi-Fi", "D: godziny otwarcia"]
        );
        assert_eq!(faq_titles(&app.client, FaqQuery { q: None, language: Some(Language::En) }).await, vec!["Restart the modem"]);
        assert!(faq_titles(&app.client, FaqQuery { q: None, language: Some(Language::Ru) }).await.is_empty());
        // A search of the FAQ finds public articles only.
        assert_eq!(faq_titles(&app.client, FaqQuery { q: Some("modem".into()), language: Some(Language::En) }).await, vec!["Restart the modem"]);
        assert_eq!(faq_titles(&app.client, FaqQuery { q: Some("procedura".into()), language: None }).await, Vec::<String>::new());
        assert_eq!(faq_titles(&app.client, FaqQuery { q: Some("restart".into()), language: None }).await, vec!["A: restart modemu"]);
        // The FAQ shows what it shows to staff too; staff see the internal ones in the list.
        let staff_view = titles(&technician, ArticleQuery { language: Some(Language::Pl), public: Some(false), ..Default::default() }).await;
        assert_eq!(staff_view, vec!["E: procedura wewnętrzna"]);

        // A public operation refuses parameters it does not have; the staff list needs a token.
        let unknown = app.client.raw("GET", "api/v1/faq?lang=pl", None).await.unwrap();
        assert_eq!(unknown.status, 422, "{:?}", unknown.body);
        assert_eq!(unknown.body["errors"][0]["field"], "lang");
        refused(app.client.kb_articles(&ArticleQuery::default()).await, 401, ErrorCode::Unauthorized);
        refused(app.client.kb_article(1).await, 401, ErrorCode::Unauthorized);
    }

    async fn the_card_suggests_the_articles_of_a_contacts_topic(app) {
        let technician = app.as_role(Role::Technician).await;
        let topics = technician.topics().await.unwrap();
        let (no_service, invoice) = (topics[0].id, topics[1].id);
        for (title, topic) in [("Brak internetu: co sprawdzić", Some(no_service)), ("Restart modemu", Some(no_service)), ("Jak czytać fakturę", Some(invoice)), ("Godziny otwarcia", None)] {
            let input = ArticleInput { topic_id: topic, ..article(Language::Pl, title, "Treść.", false) };
            technician.create_kb_article(&input).await.unwrap();
            app.clock.advance(Duration::seconds(1));
        }
        let agent = app.as_role(Role::Agent).await;
        // Without `q`: the latest changed first.
        assert_eq!(
            titles(&agent, ArticleQuery { topic_id: Some(no_service), ..Default::default() }).await,
            vec!["Restart modemu", "Brak internetu: co sprawdzić"]
        );
        assert_eq!(titles(&agent, ArticleQuery { topic_id: Some(invoice), ..Default::default() }).await, vec!["Jak czytać fakturę"]);
        assert_eq!(
            titles(&agent, ArticleQuery::default()).await,
            vec!["Godziny otwarcia", "Jak czytać fakturę", "Restart modemu", "Brak internetu: co sprawdzić"]
        );
        assert_eq!(titles(&agent, ArticleQuery { limit: Some(2), ..Default::default() }).await.len(), 2);
        // With `q` too.
        assert_eq!(
            titles(&agent, ArticleQuery { q: Some("restart".into()), topic_id: Some(invoice), ..Default::default() }).await,
            Vec::<String>::new()
        );
        assert_eq!(
            titles(&agent, ArticleQuery { q: Some("sprawdz".into()), topic_id: Some(no_service), ..Default::default() }).await,
            vec!["Brak internetu: co sprawdzić"]
        );
    }

    async fn writing_needs_the_permission_and_valid_input(app) {
        let technician = app.as_role(Role::Technician).await;
        let operator = app.as_role(Role::Operator).await;
        let input = article(Language::En, "  Restart the modem ", "Unplug the modem.", true);

        // Reading is for every staff role; writing for those who keep the knowledge base.
        refused(operator.create_kb_article(&input).await, 403, ErrorCode::Forbidden);
        let written = technician.create_kb_article(&input).await.unwrap();
        assert_eq!((written.title.as_str(), written.updated_by.as_str(), written.topic_id), ("Restart the modem", "technician", None));
        assert_eq!(operator.kb_article(written.id).await.unwrap(), written);
        refused(operator.update_kb_article(written.id, &input).await, 403, ErrorCode::Forbidden);

        // Every field at fault at once; a topic that does not exist is named.
        let bad = ArticleInput { title: "   ".into(), body: "x".repeat(20_001), topic_id: Some(999_999), ..input.clone() };
        let problem = refused(technician.create_kb_article(&bad).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(
            field_errors(&problem),
            vec![("title".to_owned(), "required".to_owned()), ("body".to_owned(), "too_long".to_owned()), ("topic_id".to_owned(), "unknown_reference".to_owned())]
        );
        let long_title = ArticleInput { title: "t".repeat(201), ..input.clone() };
        let problem = refused(technician.create_kb_article(&long_title).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&problem), vec![("title".to_owned(), "too_long".to_owned())]);
        refused(technician.update_kb_article(written.id, &bad).await, 422, ErrorCode::ValidationFailed);
        // An unknown field of the body is refused too.
        let extra = technician
            .raw("POST", "api/v1/kb-articles", Some(&serde_json::json!({"title": "t", "body": "b", "language": "en", "public": true, "author": "me"})))
            .await
            .unwrap();
        assert_eq!((extra.status, extra.body["errors"][0]["field"].as_str()), (422, Some("author")));

        // Changing it as a whole: another language, a topic, no longer public.
        app.clock.advance(Duration::minutes(5));
        let topic = technician.topics().await.unwrap()[0].id;
        let changed = technician
            .update_kb_article(written.id, &ArticleInput { topic_id: Some(topic), public: false, ..article(Language::Pl, "Restart modemu", "Wyłącz modem na 30 sekund.", false) })
            .await
            .unwrap();
        assert_eq!((changed.language, changed.topic_id, changed.public), (Language::Pl, Some(topic), false));
        assert!(changed.updated_at >= written.updated_at + Duration::minutes(5));
        assert_eq!(found(&operator, "modemu").await, vec!["Restart modemu"]);
        assert!(found(&operator, "unplug").await.is_empty(), "the search follows the change");
        assert!(faq_titles(&app.client, FaqQuery { q: None, language: Some(Language::En) }).await.is_empty());
        // And back without a topic.
        let cleared = technician.update_kb_article(written.id, &input).await.unwrap();
        assert_eq!(cleared.topic_id, None);

        // Unknown articles.
        refused(operator.kb_article(999_999).await, 404, ErrorCode::ArticleNotFound);
        refused(technician.update_kb_article(999_999, &input).await, 404, ErrorCode::ArticleNotFound);

        // Every change is in the audit log.
        let admin = app.as_role(Role::Admin).await;
        for action in ["kb_article.create", "kb_article.update"] {
            let entries = admin.audit_log(&AuditQuery { action: Some(action.into()), ..Default::default() }).await.unwrap();
            assert!(!entries.items.is_empty(), "{action}");
            assert!(entries.items.iter().all(|e| e.actor_name == "technician"), "{action}");
        }
    }
}
