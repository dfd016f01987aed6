//! The knowledge base in the console: `/kb` searches it (full text, in each article's
//! language) and filters by topic and language, kept in the address; `/kb/:id` reads an
//! article; `/kb/new` and `/kb/:id/edit` write one (public ones are the cabinet's FAQ). The
//! customer card suggests the articles of the topic of the contact being logged.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use okno_api_types::reference::Topic;
use okno_api_types::tickets::{Article, ArticleInput, ArticleQuery};
use okno_api_types::{Language, Permission};

use crate::api::{self, Failure};
use crate::components::filter::{EnumFilter, query_string};
use crate::components::forms::{
    Checkbox, ErrorSummary, Field, FormErrors, Select, TextArea, checked, enum_options, error_of,
    focus_first_invalid,
};
use crate::components::latest::Latest;
use crate::components::status::{Empty, FailureNote, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::pages::complaints::{load_topics, topic_name};
use crate::session::use_session;
use crate::time::{self, language};

/// The first words of an article, for a list.
pub fn excerpt(body: &str, chars: usize) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= chars {
        flat
    } else {
        format!(
            "{}…",
            flat.chars().take(chars).collect::<String>().trim_end()
        )
    }
}

#[component]
pub fn KnowledgePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query_map = use_query_map();
    let navigate = use_navigate();
    let from_url = |name: &'static str| {
        query_map
            .with_untracked(|q| q.get(name))
            .unwrap_or_default()
    };
    let q = RwSignal::new(from_url("q"));
    let typed = RwSignal::new(from_url("q"));
    let topic = RwSignal::new(from_url("topic_id"));
    let lang = RwSignal::new(from_url("language"));
    let topics = load_topics();
    let found = RwSignal::new(None::<Result<Vec<Article>, Failure>>);
    let latest = Latest::new();
    Effect::new(move |_| {
        let search = query_string(&[
            ("q", q.get().trim().to_owned()),
            ("topic_id", topic.get()),
            ("language", lang.get()),
        ]);
        if window().location().search().unwrap_or_default() != search {
            navigate(
                &format!("/kb{search}"),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
        let query = ArticleQuery {
            q: Some(q.get_untracked().trim().to_owned()).filter(|q| !q.is_empty()),
            topic_id: topic.get_untracked().parse().ok(),
            language: lang.get_untracked().parse().ok(),
            public: None,
            limit: Some(50),
        };
        latest.spawn(
            api::call(session, async move |client| {
                client.kb_articles(&query).await
            }),
            move |result| found.set(Some(result)),
        );
    });
    let search_error = Signal::derive(move || {
        found.with(|f| match f {
            Some(Err(failure)) => {
                crate::components::forms::field_error(i18n.get_locale(), Some(failure), "q")
            }
            _ => None,
        })
    });
    view! {
        <section class="page" data-testid="knowledge">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, kb.title))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, kb.lead))}</p>
                </div>
                <Show when=move || session.has(Permission::KnowledgeManage)>
                    <A href="/kb/new" attr:class="button-primary" attr:data-testid="new-article">{tr(|l| td_string!(l, kb.new_article))}</A>
                </Show>
            </div>
            <form class="filters" role="search" on:submit=move |ev| { ev.prevent_default(); q.set(typed.get_untracked()); }>
                <label class="filter filter-grow">
                    <span>{tr(|l| td_string!(l, kb.search))}</span>
                    <input type="search" name="q" placeholder=move || t_string!(i18n, kb.search_placeholder) aria-invalid=move || search_error.with(Option::is_some).then_some("true") prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) on:change=move |ev| q.set(event_target_value(&ev)) />
                </label>
                <label class="filter">
                    <span>{tr(|l| td_string!(l, kb.topic))}</span>
                    <select name="topic_id" on:change=move |ev| topic.set(event_target_value(&ev)) prop:value=move || topic.get()>
                        <option value="">{tr(|l| td_string!(l, common.all))}</option>
                        {move || {
                            let locale = language(i18n.get_locale());
                            topics.get().unwrap_or_default().into_iter().map(|t| {
                                let id = t.id.to_string();
                                let selected = topic.with_untracked(|v| *v == id);
                                view! { <option value=id selected=selected>{t.name.get(locale).to_owned()}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
                <EnumFilter label=|l| td_string!(l, kb.language) value=lang values=Language::all() name_of=labels::language name="language" />
                <button type="submit" class="button" data-testid="kb-search">{tr(|l| td_string!(l, kb.search_button))}</button>
            </form>
            {move || search_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {move || match found.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(failure)) if !failure.has_field_errors() => view! { <FailureNote failure /> }.into_any(),
                Some(Err(_)) => ().into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <Empty text=|l| td_string!(l, kb.none) /> }.into_any(),
                Some(Ok(list)) => view! { <ArticleList articles=list topics=Signal::derive(move || topics.get().unwrap_or_default()) /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ArticleList(articles: Vec<Article>, topics: Signal<Vec<Topic>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="articles" data-testid="articles">
            {articles.into_iter().map(|a| {
                let (lang, updated, topic_id, public) = (a.language, a.updated_at, a.topic_id, a.public);
                view! {
                    <li class="panel article-item" data-testid="article" data-id=a.id>
                        <h2><A href=format!("/kb/{}", a.id) attr:data-testid="article-link">{a.title.clone()}</A></h2>
                        <p class="muted small">{excerpt(&a.body, 220)}</p>
                        <p class="card-facts small">
                            <span class="chip">{move || labels::language(i18n.get_locale(), lang)}</span>
                            {topic_id.map(|id| view! { <span class="chip">{move || topic_name(&topics.get(), id, i18n.get_locale()).unwrap_or_default()}</span> })}
                            {public.then(|| view! { <span class="badge badge-active">{tr(|l| td_string!(l, kb.public))}</span> })}
                            <span class="muted">{move || time::date(updated, i18n.get_locale())}</span>
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let article = RwSignal::new(None::<Result<Article, Failure>>);
    let latest = Latest::new();
    Effect::new(move |_| {
        let Some(id) = id.get() else { return };
        article.set(None);
        latest.spawn(
            api::call(session, async move |client| client.kb_article(id).await),
            move |r| article.set(Some(r)),
        );
    });
    let topics = load_topics();
    move || match article.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(failure)) => view! { <FailureNote failure /> }.into_any(),
        Some(Ok(a)) => {
            let (lang, updated, topic_id, public) =
                (a.language, a.updated_at, a.topic_id, a.public);
            view! {
                <section class="page" data-testid="article-page">
                    <p class="small"><A href="/kb">{tr(|l| td_string!(l, kb.back))}</A></p>
                    <div class="page-head">
                        <div>
                            <h1 data-testid="article-title">{a.title.clone()}</h1>
                            <p class="card-facts small">
                                <span class="chip">{move || labels::language(i18n.get_locale(), lang)}</span>
                                {topic_id.map(|id| view! { <span class="chip">{move || topics.get().and_then(|t| topic_name(&t, id, i18n.get_locale())).unwrap_or_default()}</span> })}
                                {if public {
                                    view! { <span class="badge badge-active">{tr(|l| td_string!(l, kb.public))}</span> }.into_any()
                                } else {
                                    view! { <span class="badge">{tr(|l| td_string!(l, kb.internal))}</span> }.into_any()
                                }}
                                <span class="muted">{move || t_string!(i18n, kb.changed_by, at = time::date_time(updated, i18n.get_locale()), name = a.updated_by.clone()).to_string()}</span>
                            </p>
                        </div>
                        <Show when=move || session.has(Permission::KnowledgeManage)>
                            <A href=format!("/kb/{}/edit", a.id) attr:class="button" attr:data-testid="edit-article">{tr(|l| td_string!(l, common.edit))}</A>
                        </Show>
                    </div>
                    <article class="panel prewrap article-body" data-testid="article-body">{a.body.clone()}</article>
                </section>
            }
            .into_any()
        }
    }
}

#[component]
pub fn ArticleEditorPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let article = RwSignal::new(None::<Result<Option<Article>, Failure>>);
    match id {
        None => article.set(Some(Ok(None))),
        Some(id) => leptos::task::spawn_local(async move {
            article.set(Some(
                api::call(session, async |client| client.kb_article(id).await)
                    .await
                    .map(Some),
            ));
        }),
    }
    move || match article.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(failure)) => view! { <FailureNote failure /> }.into_any(),
        Some(Ok(existing)) => view! { <ArticleEditor existing /> }.into_any(),
    }
}

#[component]
fn ArticleEditor(existing: Option<Article>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    provide_context(FormErrors::default());
    let topics = load_topics();
    let id = existing.as_ref().map(|a| a.id);
    let title = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.title.clone())
            .unwrap_or_default(),
    );
    let body = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.body.clone())
            .unwrap_or_default(),
    );
    let lang = RwSignal::new(
        existing
            .as_ref()
            .map_or_else(|| language(i18n.get_locale_untracked()), |a| a.language)
            .as_str()
            .to_owned(),
    );
    let topic = RwSignal::new(
        existing
            .as_ref()
            .and_then(|a| a.topic_id)
            .map(|t| t.to_string())
            .unwrap_or_default(),
    );
    let public = RwSignal::new(existing.as_ref().is_some_and(|a| a.public));
    let failure = RwSignal::new(None::<Failure>);
    let (title_missing, body_missing) = (RwSignal::new(false), RwSignal::new(false));
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        title_missing.set(title.get_untracked().trim().is_empty());
        body_missing.set(body.get_untracked().trim().is_empty());
        if title_missing.get_untracked() || body_missing.get_untracked() {
            focus_first_invalid(form);
            return;
        }
        let input = ArticleInput {
            title: title.get_untracked().trim().to_owned(),
            body: body.get_untracked(),
            language: lang.get_untracked().parse().unwrap_or(Language::Pl),
            topic_id: topic.get_untracked().parse().ok(),
            public: public.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| match id {
                Some(id) => client.update_kb_article(id, &input).await,
                None => client.create_kb_article(&input).await,
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(saved) => {
                    failure.set(None);
                    toasts.success(td_string!(locale, kb.saved));
                    navigate
                        .try_with_value(|n| n(&format!("/kb/{}", saved.id), Default::default()));
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    let topic_options = Signal::derive(move || {
        let locale = language(i18n.get_locale());
        std::iter::once((String::new(), t_string!(i18n, kb.no_topic).to_owned()))
            .chain(
                topics
                    .get()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|t| t.active)
                    .map(|t| (t.id.to_string(), t.name.get(locale).to_owned())),
            )
            .collect::<Vec<_>>()
    });
    let required = |l: Locale| td_string!(l, field_error.required);
    view! {
        <section class="page" data-testid="article-editor">
            <p class="small"><A href=id.map_or_else(|| "/kb".to_owned(), |id| format!("/kb/{id}"))>{tr(|l| td_string!(l, kb.back))}</A></p>
            <h1>{move || if id.is_some() { t_string!(i18n, kb.edit_title) } else { t_string!(i18n, kb.new_article) }}</h1>
            <form class="panel form form-wide" node_ref=form on:submit=submit novalidate data-testid="article-form">
                <ErrorSummary />
                <Field label=label(|l| td_string!(l, kb.title_field)) value=title name="title" required=true error=checked(move || title_missing.get(), required, error_of(failure, "title")) />
                <div class="grid-3">
                    <Select label=label(|l| td_string!(l, kb.language)) value=lang options=enum_options(Language::all(), labels::language) name="language" error=error_of(failure, "language") />
                    <Select label=label(|l| td_string!(l, kb.topic)) value=topic options=topic_options name="topic_id" error=error_of(failure, "topic_id") />
                </div>
                <TextArea label=label(|l| td_string!(l, kb.body)) value=body name="body" required=true rows=14 error=checked(move || body_missing.get(), required, error_of(failure, "body")) />
                <Checkbox label=label(|l| td_string!(l, kb.public_choice)) checked=public name="public" />
                <p class="field-hint">{tr(|l| td_string!(l, kb.public_hint))}</p>
                <div class="form-actions">
                    <A href="/kb" attr:class="button-quiet">{tr(|l| td_string!(l, common.cancel))}</A>
                    <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-article">{tr(|l| td_string!(l, common.save))}</button>
                </div>
            </form>
        </section>
    }
}

/// On the card, while a contact is logged: the articles of its topic, to read out without
/// leaving the card.
#[component]
pub fn TopicArticles(#[prop(into)] topic_id: Signal<Option<i64>>) -> impl IntoView {
    let session = use_session();
    let articles = RwSignal::new(Vec::<Article>::new());
    let latest = Latest::new();
    Effect::new(move |_| {
        let Some(topic) = topic_id.get() else {
            articles.set(Vec::new());
            return;
        };
        if !session.has(Permission::TicketsRead) {
            return;
        }
        let query = ArticleQuery {
            topic_id: Some(topic),
            limit: Some(5),
            ..ArticleQuery::default()
        };
        latest.spawn(
            api::call(session, async move |client| {
                client.kb_articles(&query).await
            }),
            move |result| articles.set(result.unwrap_or_default()),
        );
    });
    move || {
        let list = articles.get();
        (!list.is_empty()).then(|| view! {
            <div class="kb-suggestions" data-testid="kb-suggestions">
                <p class="kb-suggestions-title">{tr(|l| td_string!(l, kb.suggested))}</p>
                {list.into_iter().map(|a| view! {
                    <details class="kb-suggestion" data-testid="kb-suggestion">
                        <summary>{a.title.clone()}</summary>
                        <p class="prewrap small">{a.body.clone()}</p>
                        <p class="small"><a href=format!("/kb/{}", a.id) target="_blank" rel="noopener">{tr(|l| td_string!(l, kb.open_article))}</a></p>
                    </details>
                }).collect_view()}
            </div>
        })
    }
}
