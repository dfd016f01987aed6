//! `/admin/message-templates`: the wording of each message by event, channel and
//! language. The values a message may use are listed (a click puts one at the cursor), a
//! preview on a real customer follows the typing, a save the server refuses shows why at the
//! subject or the text, and Okno's own wording comes back after a confirmation.

use leptos::prelude::*;
use okno_api_types::FieldErrorCode;
use okno_api_types::customers::{CustomerQuery, CustomerSummary};
use okno_api_types::notifications::{
    Language, MessageChannel, MessageTemplate, NotificationEvent, TemplateChange, TemplatePreview,
    TemplatePreviewRequest, TemplateVariable,
};

use crate::api::{self, Failure};
use crate::components::forms::{Field, Select, TextArea, enum_options, focus_first_invalid};
use crate::components::latest::Latest;
use crate::components::status::{FormFailure, Loaded};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::session::use_session;
use crate::time;

/// A template's event, channel and language.
type Key = (NotificationEvent, MessageChannel, Language);

/// How long the typing pauses before the preview is asked for again.
const PREVIEW_AFTER_MS: u64 = 400;

/// The field a value is put into: the one last focused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Subject,
    Body,
}

/// `Invoice issued · E-mail · Polski`.
fn key_name(locale: Locale, (event, channel, language): Key) -> String {
    format!(
        "{} · {} · {}",
        labels::message_event(locale, event),
        labels::message_channel(locale, channel),
        labels::language(locale, language)
    )
}

fn key_of(template: &MessageTemplate) -> Key {
    (template.event, template.channel, template.language)
}

/// What is wrong with a template's part, in words for the one who writes it: the server's
/// own account follows (the unknown names, where it does not parse).
fn template_error(locale: Locale, error: &okno_api_types::FieldError) -> String {
    match error.code {
        FieldErrorCode::UnknownReference => format!(
            "{}: {}",
            td_string!(locale, templates.unknown_variable),
            error.message
        ),
        FieldErrorCode::InvalidValue => format!(
            "{}: {}",
            td_string!(locale, templates.does_not_read),
            error.message
        ),
        _ => labels::field_error(locale, error),
    }
}

/// The server's error for `part` of the template (`subject`, `body`), for its field.
fn part_error(failure: RwSignal<Option<Failure>>, part: &'static str) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        failure.with(|f| {
            let error = f.as_ref()?.problem()?.field_error(part)?;
            Some(template_error(i18n.get_locale(), error))
        })
    })
}

#[component]
pub fn MessageTemplates() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let templates = RwSignal::new(None::<Result<Vec<MessageTemplate>, Failure>>);
    leptos::task::spawn_local(async move {
        templates.set(Some(
            api::call(session, async |client| client.message_templates().await).await,
        ));
    });
    let event = RwSignal::new(NotificationEvent::InvoiceIssued.as_str().to_owned());
    let channel = RwSignal::new(MessageChannel::Email.as_str().to_owned());
    let language = RwSignal::new(
        time::language(i18n.get_locale_untracked())
            .as_str()
            .to_owned(),
    );
    let key = Memo::new(move |_| {
        Some((
            event.get().parse().ok()?,
            channel.get().parse().ok()?,
            language.get().parse().ok()?,
        ))
    });
    let choose = Callback::new(move |(e, c, l): Key| {
        event.set(e.as_str().to_owned());
        channel.set(c.as_str().to_owned());
        language.set(l.as_str().to_owned());
    });
    // A saved or reverted template replaces its entry, for the list of changed ones.
    let stored = Callback::new(move |fresh: MessageTemplate| {
        templates.update(|list| {
            if let Some(Ok(list)) = list
                && let Some(entry) = list.iter_mut().find(|t| key_of(t) == key_of(&fresh))
            {
                *entry = fresh;
            }
        });
    });
    let loaded = Memo::new(move |_| templates.with(|t| matches!(t, Some(Ok(_)))));
    // The editor is drawn again for another template, not when its own is saved.
    let editor = move || {
        if !loaded.get() {
            return None;
        }
        let key = key.get()?;
        let template = templates.with_untracked(|list| {
            list.as_ref()
                .and_then(|l| l.as_ref().ok())
                .and_then(|l| l.iter().find(|t| key_of(t) == key).cloned())
        })?;
        Some(view! { <TemplateEditor template on_stored=stored /> })
    };

    view! {
        <section class="page" data-testid="message-templates">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, templates.title))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, templates.lead))}</p>
                </div>
            </div>
            <div class="grid-3 panel" data-testid="template-choice">
                <Select label=label(|l| td_string!(l, templates.event)) value=event name="event" options=enum_options(NotificationEvent::all(), labels::message_event) />
                <Select label=label(|l| td_string!(l, templates.channel)) value=channel name="channel" options=enum_options(MessageChannel::all(), labels::message_channel) />
                <Select label=label(|l| td_string!(l, templates.language)) value=language name="language" options=enum_options(Language::all(), labels::language) />
            </div>
            <Loaded value=move || templates.with(|t| t.as_ref().map(|r| r.as_ref().map(|_| ()).map_err(Clone::clone))) let:_loaded>
                <ChangedTemplates templates choose />
            </Loaded>
            {editor}
        </section>
    }
}

/// The templates worded by the operator, each a way to open it.
#[component]
fn ChangedTemplates(
    templates: RwSignal<Option<Result<Vec<MessageTemplate>, Failure>>>,
    choose: Callback<Key>,
) -> impl IntoView {
    let i18n = use_i18n();
    let changed = move || {
        templates.with(|t| {
            t.as_ref()
                .and_then(|l| l.as_ref().ok())
                .map(|l| {
                    l.iter()
                        .filter(|t| t.customized)
                        .map(key_of)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    move || {
        let changed = changed();
        (!changed.is_empty()).then(|| {
            view! {
                <p class="changed-templates" data-testid="changed-templates">
                    <span class="muted">{tr(|l| td_string!(l, templates.own_list))}</span>
                    {changed
                        .into_iter()
                        .map(|key| view! {
                            " "
                            <button type="button" class="button-small" on:click=move |_| choose.run(key)>
                                {move || key_name(i18n.get_locale(), key)}
                            </button>
                        })
                        .collect_view()}
                </p>
            }
        })
    }
}

/// Puts `text` into the field of `form` for `part` where its cursor is (over what is
/// selected), leaves the cursor after it, and hands the field's new value to `value`.
fn insert_at_cursor(
    form: NodeRef<leptos::html::Form>,
    part: Part,
    value: RwSignal<String>,
    text: &str,
) {
    use wasm_bindgen::JsCast;
    use web_sys::{HtmlInputElement, HtmlTextAreaElement};

    let selector = match part {
        Part::Subject => "input[name=subject]",
        Part::Body => "textarea[name=body]",
    };
    let Some(element) = form
        .get_untracked()
        .and_then(|form| form.query_selector(selector).ok().flatten())
    else {
        return;
    };
    let (current, start, end) = if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        (
            input.value(),
            input.selection_start().ok().flatten(),
            input.selection_end().ok().flatten(),
        )
    } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        (
            area.value(),
            area.selection_start().ok().flatten(),
            area.selection_end().ok().flatten(),
        )
    } else {
        return;
    };
    // The browser counts the cursor in UTF-16 units.
    let units: Vec<u16> = current.encode_utf16().collect();
    let end = end.map_or(units.len(), |e| (e as usize).min(units.len()));
    let start = start.map_or(end, |s| (s as usize).min(end));
    let inserted: Vec<u16> = text.encode_utf16().collect();
    let before = units.get(..start).unwrap_or_default();
    let after = units.get(end..).unwrap_or_default();
    let next = String::from_utf16_lossy(&[before, &inserted, after].concat());
    let caret = u32::try_from(start + inserted.len()).unwrap_or(u32::MAX);
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        input.set_value(&next);
        let _ = input.set_selection_range(caret, caret);
        let _ = input.focus();
    } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(&next);
        let _ = area.set_selection_range(caret, caret);
        let _ = area.focus();
    }
    value.set(next);
}

#[component]
fn TemplateEditor(
    template: MessageTemplate,
    #[prop(into)] on_stored: Callback<MessageTemplate>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let key = key_of(&template);
    let email = template.channel == MessageChannel::Email;
    let required = template.required;
    let variables = template.variables.clone();
    let stored = RwSignal::new(template.clone());
    let subject = RwSignal::new(template.subject.clone().unwrap_or_default());
    let body = RwSignal::new(template.body);
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let last_part = StoredValue::new(Part::Body);
    let keep = NodeRef::<leptos::html::Button>::new();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = TemplateChange {
            subject: email.then(|| subject.get_untracked()),
            body: body.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.save_message_template(key, &change).await
            })
            .await;
            busy.set(false);
            match result {
                Ok(saved) => {
                    failure.set(None);
                    stored.set(saved.clone());
                    on_stored.run(saved);
                    toasts.success(td_string!(i18n.get_locale_untracked(), templates.saved));
                }
                Err(error) => {
                    let at_fields = error.has_field_errors();
                    failure.set(Some(error));
                    if at_fields {
                        focus_first_invalid(form);
                    }
                }
            }
        });
    };
    let revert = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.revert_message_template(key).await
            })
            .await;
            busy.set(false);
            confirming.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(shipped) => {
                    failure.set(None);
                    subject.set(shipped.subject.clone().unwrap_or_default());
                    body.set(shipped.body.clone());
                    stored.set(shipped.clone());
                    on_stored.run(shipped);
                    toasts.success(td_string!(locale, templates.reverted));
                }
                Err(failure) => toasts.failure(locale, &failure),
            }
        });
    };
    let remember_part = move |ev: leptos::ev::FocusEvent| {
        use wasm_bindgen::JsCast;
        let name = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.get_attribute("name"));
        match name.as_deref() {
            Some("subject") => last_part.set_value(Part::Subject),
            Some("body") => last_part.set_value(Part::Body),
            _ => {}
        }
    };
    let insert = Callback::new(move |name: String| {
        let part = last_part.get_value();
        let value = if part == Part::Subject { subject } else { body };
        insert_at_cursor(form, part, value, &format!("{{{{ {name} }}}}"));
    });
    // The confirmation opens with the focus on the way out of it.
    Effect::new(move || {
        if let Some(button) = keep.get() {
            let _ = button.focus();
        }
    });

    view! {
        <div class="template-grid">
            <form class="panel form" node_ref=form on:submit=submit on:focusin=remember_part novalidate data-testid="template-form">
                <h2>{move || key_name(i18n.get_locale(), key)}</h2>
                <p class="muted small" data-testid="template-state">
                    {move || {
                        let locale = i18n.get_locale();
                        stored.with(|t| match (t.customized, t.updated_at) {
                            (true, Some(at)) => td_string!(
                                locale,
                                templates.own,
                                by = t.updated_by.clone().unwrap_or_default(),
                                date = time::date_time(at, locale)
                            )
                            .to_string(),
                            _ => td_string!(locale, templates.shipped).to_owned(),
                        })
                    }}
                    {required.then(|| view! { " " {tr(|l| td_string!(l, templates.required))} })}
                </p>
                {email.then(|| view! {
                    <Field label=label(|l| td_string!(l, templates.subject)) value=subject name="subject" required=true error=part_error(failure, "subject") />
                })}
                <TextArea
                    label=if email { label(|l| td_string!(l, templates.body_email)) } else { label(|l| td_string!(l, templates.body_sms)) }
                    value=body
                    name="body"
                    rows=if email { 12 } else { 5 }
                    required=true
                    error=part_error(failure, "body")
                />
                <Variables variables insert />
                <FormFailure failure />
                <div class="form-actions">
                    <Show when=move || stored.with(|t| t.customized)>
                        <button
                            type="button"
                            class="button"
                            data-testid="revert-template"
                            aria-expanded=move || confirming.get().to_string()
                            on:click=move |_| confirming.set(true)
                        >
                            {tr(|l| td_string!(l, templates.revert))}
                        </button>
                    </Show>
                    <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-template">{tr(|l| td_string!(l, common.save))}</button>
                </div>
                <Show when=move || confirming.get()>
                    <div class="action-form" id="revert-confirm" role="group" aria-labelledby="revert-question" data-testid="revert-confirm">
                        <p id="revert-question"><strong>{tr(|l| td_string!(l, templates.revert_confirm))}</strong></p>
                        <div class="form-actions">
                            <button type="button" class="button-quiet" node_ref=keep on:click=move |_| confirming.set(false)>{tr(|l| td_string!(l, common.cancel))}</button>
                            <button type="button" class="button button-danger" disabled=move || busy.get() data-testid="confirm-revert" on:click=revert>
                                {tr(|l| td_string!(l, templates.revert))}
                            </button>
                        </div>
                    </div>
                </Show>
            </form>
            <PreviewPanel key subject body />
        </div>
    }
}

/// The values a template may use, each a button that puts `{{ name }}` at the cursor.
#[component]
fn Variables(variables: Vec<TemplateVariable>, insert: Callback<String>) -> impl IntoView {
    view! {
        <div class="variables" data-testid="template-variables">
            <h3>{tr(|l| td_string!(l, templates.variables))}</h3>
            <p class="muted small">{tr(|l| td_string!(l, templates.variables_hint))}</p>
            <ul class="plain">
                {variables
                    .into_iter()
                    .map(|variable| {
                        let name = variable.name.clone();
                        view! {
                            <li>
                                <button type="button" class="button-small mono" data-testid="variable" on:click=move |_| insert.run(name.clone())>
                                    {format!("{{{{ {} }}}}", variable.name)}
                                </button>
                                " "
                                <span class="muted small">{variable.description}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// The message as a real customer would get it, asked for again once the typing pauses: the
/// first customer of the list unless another's account number is given. An e-mail is shown
/// in a sandboxed frame (no scripts, no access to the app), an SMS as its text.
#[component]
fn PreviewPanel(key: Key, subject: RwSignal<String>, body: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let customer = RwSignal::new(None::<CustomerSummary>);
    let account = RwSignal::new(String::new());
    let no_such_account = RwSignal::new(false);
    let preview = RwSignal::new(None::<Result<TemplatePreview, Failure>>);
    leptos::task::spawn_local(async move {
        let query = CustomerQuery {
            limit: Some(1),
            ..Default::default()
        };
        if let Ok(page) = api::call(session, async |client| client.customers(&query).await).await {
            customer.set(page.items.into_iter().next());
        }
    });
    let find_customer = move |typed: String| {
        account.set(typed.clone());
        let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            let found = api::customer_with_account(session, digits).await;
            no_such_account.set(found.is_none());
            if found.is_some() {
                customer.set(found);
            }
        });
    };
    let (event, channel, language) = key;
    let email = channel == MessageChannel::Email;
    // Each change starts a pause; only the request after the last one is sent.
    let typed = StoredValue::new(0_u64);
    let latest = Latest::new();
    Effect::new(move |_| {
        let (subject, body) = (subject.get(), body.get());
        let Some(customer_id) = customer.with(|c| c.as_ref().map(|c| c.id)) else {
            return;
        };
        let request = TemplatePreviewRequest {
            event,
            channel,
            customer_id,
            language: Some(language),
            subject: email.then_some(subject),
            body,
        };
        let mine = typed.get_value() + 1;
        typed.set_value(mine);
        latest.spawn(
            async move {
                gloo_timers::future::sleep(std::time::Duration::from_millis(PREVIEW_AFTER_MS))
                    .await;
                if typed.try_get_value() != Some(mine) {
                    return None;
                }
                Some(
                    api::call(session, async |client| {
                        client.preview_message_template(&request).await
                    })
                    .await,
                )
            },
            move |answer| {
                if let Some(answer) = answer {
                    preview.set(Some(answer));
                }
            },
        );
    });

    view! {
        <div class="panel" data-testid="template-preview">
            <h2>{tr(|l| td_string!(l, templates.preview))}</h2>
            {move || customer.get().map(|c| view! {
                <p class="muted small" data-testid="preview-customer">
                    {move || t_string!(i18n, templates.preview_for, name = c.display_name.clone(), account = c.account_number.clone()).to_string()}
                </p>
            })}
            <label class="filter">
                <span>{tr(|l| td_string!(l, templates.preview_account))}</span>
                <input
                    type="search"
                    name="preview_account"
                    inputmode="numeric"
                    placeholder="100000017"
                    prop:value=move || account.get()
                    on:change=move |ev| find_customer(event_target_value(&ev))
                />
            </label>
            <Show when=move || no_such_account.get()>
                <p class="field-error" role="alert">{tr(|l| td_string!(l, templates.preview_no_customer))}</p>
            </Show>
            {move || preview.get().and_then(Result::err).map(|failure| {
                let text = move || {
                    let locale = i18n.get_locale();
                    let why = match failure.problem().and_then(|p| p.errors.first()) {
                        Some(error) => template_error(locale, error),
                        None => labels::failure(locale, &failure),
                    };
                    td_string!(locale, templates.preview_failed, error = why).to_string()
                };
                view! { <p class="warning" data-testid="preview-failed">{text}</p> }
            })}
            <Show when=move || preview.with(|p| matches!(p, Some(Ok(_))))>
                <PreviewShown preview email />
            </Show>
        </div>
    }
}

/// The last preview: the same frame or text follows each new one, so the page does not
/// jump while the administrator types.
#[component]
fn PreviewShown(
    preview: RwSignal<Option<Result<TemplatePreview, Failure>>>,
    email: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let part = move |take: fn(&TemplatePreview) -> Option<&str>| {
        preview.with(|p| {
            p.as_ref()
                .and_then(|p| p.as_ref().ok())
                .and_then(take)
                .unwrap_or_default()
                .to_owned()
        })
    };
    let body = move || part(|p| Some(p.body.as_str()));
    if email {
        view! {
            <p class="preview-subject" data-testid="preview-subject">
                <span class="muted">{tr(|l| td_string!(l, templates.preview_subject))} ": "</span>
                <strong>{move || part(|p| p.subject.as_deref())}</strong>
            </p>
            <iframe
                class="preview-frame"
                sandbox=""
                srcdoc=body
                title=move || t_string!(i18n, templates.preview_frame)
                data-testid="preview-frame"
            ></iframe>
        }
        .into_any()
    } else {
        view! {
            <p class="preview-sms" data-testid="preview-sms">{body}</p>
            <p class="muted small">{move || t_string!(i18n, templates.sms_length, count = body().chars().count()).to_string()}</p>
        }
        .into_any()
    }
}
