//! `/cabinet`: the subscriber's services and documents, the way to their complaints, own
//! data, consents and contact history.

use leptos::prelude::*;
use okno_api_types::cabinet::ProfilePatch;
use okno_api_types::customers::{
    Consent, Customer, EmailEntry, GrantConsent, PhoneEntry, WithdrawConsent,
};
use okno_api_types::interactions::MyContact;
use okno_api_types::{Channel, ConsentPurpose, ErrorCode, Language, PageQuery};

use super::billing::{MyAccount, MyInvoices, MyPayments, load_my_account};
use super::complaints::ComplaintsLink;
use super::services::{MyDocuments, MyServices};
use super::tickets::TicketsLink;
use crate::api::{self, Failure};
use crate::components::forms::{Field, Select, enum_options, error_of};
use crate::components::status::{ContactOutcome, Loaded, LoadedList, StatusBadge};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::{label, tr};
use crate::pages::billing::MetersPanel;
use crate::pages::notifications::{NotificationPreferences, Whose};
use crate::session::use_session;
use crate::time::{self, language, locale};

#[component]
pub fn CabinetHome() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let profile = RwSignal::new(None::<Result<Customer, Failure>>);
    let account = load_my_account();
    super::online::OnlineOffer::provide();
    let reload = move || {
        leptos::task::spawn_local(async move {
            profile.set(Some(
                api::call(session, async |client| client.my_profile().await).await,
            ));
        });
    };
    reload();

    view! {
        <section class="page" data-testid="cabinet">
            <Loaded value=move || profile.get() let:me>
                    <div class="page-head">
                        <div>
                            <h1>{t!(i18n, cabinet.hello, name = greeting_name(&me))}</h1>
                            <p class="card-facts">
                                <span>{tr(|l| td_string!(l, customers.account_number))} ": "</span>
                                <span class="mono">{me.account_number.clone()}</span>
                                <StatusBadge status=me.status />
                            </p>
                        </div>
                    </div>
                    <MyAccount account=account />
                    <MyServices />
                    <MyInvoices />
                    <MyPayments />
                    <MetersPanel own=true />
                    <MyDocuments />
                    <TicketsLink />
                    <ComplaintsLink />
                    <ProfileForm me=me.clone() on_saved=Callback::new(move |fresh: Customer| profile.set(Some(Ok(fresh)))) />
                    <MyConsents />
                    <NotificationPreferences whose=Whose::Mine can_change=true />
                    <MyHistory />
            </Loaded>
        </section>
    }
}

/// `error` while the field it belongs to was sent with the last save.
fn sent_error(sent: RwSignal<bool>, error: Signal<Option<String>>) -> Signal<Option<String>> {
    Signal::derive(move || if sent.get() { error.get() } else { None })
}

#[component]
fn ProfileForm(me: Customer, #[prop(into)] on_saved: Callback<Customer>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let email = RwSignal::new(
        me.emails
            .first()
            .map(|e| e.value.clone())
            .unwrap_or_default(),
    );
    let phone = RwSignal::new(
        me.phones
            .first()
            .map(|p| okno_domain::customers::shown_phone(&p.value))
            .unwrap_or_default(),
    );
    // The language the subscriber reads the cabinet in, when it is not the one on record,
    // is offered for their letters and invoices too.
    let shown_in = language(i18n.get_locale_untracked());
    let recorded = RwSignal::new(me.preferred_language);
    let language = RwSignal::new(shown_in.as_str().to_owned());
    let version = RwSignal::new(me.version);
    let failure = RwSignal::new(None::<Failure>);
    // A cleared field is not sent, and the server's `emails[0]` is then a stored entry the
    // form does not show: an error is the field's only when the field was sent.
    let email_sent = RwSignal::new(false);
    let phone_sent = RwSignal::new(false);
    let email_error = sent_error(email_sent, error_of(failure, "emails[0].value"));
    let phone_error = sent_error(phone_sent, error_of(failure, "phones[0].value"));
    let address = me
        .addresses
        .first()
        .map(okno_api_types::customers::Address::one_line);
    let other_emails: Vec<EmailEntry> = me.emails.iter().skip(1).cloned().collect();
    let other_phones: Vec<PhoneEntry> = me.phones.iter().skip(1).cloned().collect();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let first_email = email.get_untracked();
        let first_phone = phone.get_untracked();
        email_sent.set(!first_email.trim().is_empty());
        phone_sent.set(!first_phone.trim().is_empty());
        let emails = (!first_email.trim().is_empty())
            .then_some(EmailEntry {
                value: first_email,
                label: None,
            })
            .into_iter()
            .chain(other_emails.clone())
            .collect();
        let phones = (!first_phone.trim().is_empty())
            .then_some(PhoneEntry {
                value: first_phone,
                label: None,
            })
            .into_iter()
            .chain(other_phones.clone())
            .collect();
        let chosen: Option<Language> = language.get_untracked().parse().ok();
        let patch = ProfilePatch {
            version: version.get_untracked(),
            emails: Some(emails),
            phones: Some(phones),
            preferred_language: chosen,
        };
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| {
                client.update_my_profile(&patch).await
            })
            .await
            {
                Ok(fresh) => {
                    failure.set(None);
                    version.set(fresh.version);
                    if let Some(chosen) = chosen {
                        recorded.set(chosen);
                        i18n.set_locale(locale(chosen));
                        session.update_me(|me| me.preferred_language = Some(chosen));
                    }
                    toasts.success(td_string!(i18n.get_locale_untracked(), cabinet.saved));
                    on_saved.run(fresh);
                }
                Err(error) => {
                    if error.code() == Some(ErrorCode::VersionConflict) || !error.has_field_errors()
                    {
                        toasts.failure(i18n.get_locale_untracked(), &error);
                    }
                    failure.set(Some(error));
                }
            }
        });
    };
    view! {
        <form class="panel form" on:submit=submit novalidate data-testid="profile-form">
            <h2>{tr(|l| td_string!(l, cabinet.profile))}</h2>
            {address.map(|a| view! { <p><span class="muted">{tr(|l| td_string!(l, customers.address))} ": "</span>{a}</p> })}
            <div class="grid-2">
                <Field label=label(|l| td_string!(l, customers.email)) value=email name="email" input_type="email" autocomplete="email" error=email_error />
                <Field label=label(|l| td_string!(l, customers.phone)) value=phone name="phone" input_type="tel" autocomplete="tel" error=phone_error />
                <Select label=label(|l| td_string!(l, customers.language)) value=language name="language" options=enum_options(Language::all(), labels::language) />
                {move || (time::language(i18n.get_locale()) != recorded.get()).then(|| view! {
                    <p class="field-hint" data-testid="language-offer">
                        {move || t_string!(i18n, cabinet.language_offer, language = labels::language(i18n.get_locale(), recorded.get()))}
                    </p>
                })}
            </div>
            <p class="muted small">{tr(|l| td_string!(l, cabinet.other_changes))}</p>
            <div class="form-actions"><button class="button-primary" type="submit">{tr(|l| td_string!(l, common.save))}</button></div>
        </form>
    }
}

#[component]
fn MyConsents() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let consents = RwSignal::new(Vec::<Consent>::new());
    let reload = move || {
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| client.my_consents().await).await {
                Ok(list) => consents.set(list),
                Err(failure) => toasts.failure(i18n.get_locale_untracked(), &failure),
            }
        });
    };
    reload();
    let toggle = move |purpose: ConsentPurpose| {
        let current = consents.with_untracked(|list| {
            list.iter()
                .find(|c| c.purpose == purpose && c.active)
                .map(|c| c.id)
        });
        leptos::task::spawn_local(async move {
            let result = match current {
                Some(id) => {
                    api::call(session, async |client| {
                        client
                            .withdraw_my_consent(
                                id,
                                &WithdrawConsent {
                                    channel: Channel::Web,
                                    note: None,
                                },
                            )
                            .await
                    })
                    .await
                }
                None => {
                    api::call(session, async |client| {
                        client
                            .grant_my_consent(&GrantConsent {
                                purpose,
                                channel: Channel::Web,
                                note: None,
                            })
                            .await
                    })
                    .await
                }
            };
            match result {
                Ok(_) => reload(),
                Err(failure) => toasts.failure(i18n.get_locale_untracked(), &failure),
            }
        });
    };
    view! {
        <div class="panel" data-testid="my-consents">
            <h2>{tr(|l| td_string!(l, consents.title))}</h2>
            <p class="muted small">{tr(|l| td_string!(l, cabinet.consents_lead))}</p>
            <ul class="consents">
                {ConsentPurpose::all()
                    .map(|purpose| {
                        let active = move || consents.with(|list| list.iter().any(|c| c.purpose == purpose && c.active));
                        view! {
                            <li class="consent">
                                <label class="checkbox">
                                    <input
                                        type="checkbox"
                                        data-testid=format!("my-consent-{}", purpose.as_str())
                                        prop:checked=active
                                        on:change=move |_| toggle(purpose)
                                    />
                                    <span>{move || labels::purpose(i18n.get_locale(), purpose)}</span>
                                </label>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn MyHistory() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let history = LocalResource::new(move || async move {
        api::call(session, async |client| {
            client
                .my_interactions(&PageQuery {
                    limit: Some(50),
                    cursor: None,
                })
                .await
        })
        .await
        .map(|page| page.items)
    });
    view! {
        <div class="panel">
            <h2>{tr(|l| td_string!(l, cabinet.history))}</h2>
            <LoadedList value=move || history.get() empty=|l| td_string!(l, timeline.empty) let:list>
                        <ol class="timeline">
                            {list.into_iter().map(|i: MyContact| {
                                let settled = i.settled_in_contact;
                                let department = i.department;
                                let topic = i.topic.clone();
                                view! {
                                <li class="timeline-entry">
                                    <time class="timeline-time">{move || time::date_time(i.occurred_at, i18n.get_locale())}</time>
                                    <div class="timeline-body">
                                        <p class="timeline-title">
                                            {move || labels::channel(i18n.get_locale(), i.channel)}
                                            " · "
                                            {move || labels::direction(i18n.get_locale(), i.direction)}
                                            {move || topic.as_ref().map(|t| view! { <span class="chip">{t.get(language(i18n.get_locale())).to_owned()}</span> })}
                                            <ContactOutcome settled department />
                                        </p>
                                    </div>
                                </li>
                            }
                            }).collect_view()}
                        </ol>
            </LoadedList>
        </div>
    }
}

/// A person is greeted by their given name first ("Małgorzata Krawczyk"), as one speaks to
/// them; the list's "Krawczyk Małgorzata" is for sorting. A firm by its name.
fn greeting_name(me: &Customer) -> String {
    match (me.kind, &me.first_name, &me.last_name) {
        (okno_api_types::CustomerKind::Person, Some(first), Some(last)) => {
            format!("{first} {last}")
        }
        _ => me.display_name.clone(),
    }
}
