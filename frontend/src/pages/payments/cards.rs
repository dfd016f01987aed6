//! `/prepaid-cards`: batches of prepaid express-payment cards. A batch's codes are
//! shown once, as a CSV file for the printer; the server keeps them only hashed.

use leptos::prelude::*;
use okno_api_types::payments::{CardBatch, CreatedCardBatch, NewCardBatch};
use okno_domain::format;

use crate::api::{self, Failure};
use crate::components::download::save_bytes;
use crate::components::forms::{Field, checked, error_of, focus_first_invalid};
use crate::components::status::{Empty, FailureNote, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::tr;
use crate::session::use_session;
use crate::time::{self, language};

#[component]
pub fn PrepaidCards() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let cards = RwSignal::new(String::from("100"));
    let value = RwSignal::new(String::new());
    let valid_until = RwSignal::new(String::new());
    let bad = RwSignal::new(Vec::<&'static str>::new());
    let failure = RwSignal::new(None::<Failure>);
    let created = RwSignal::new(None::<CreatedCardBatch>);
    let version = RwSignal::new(0_u32);
    let batches = RwSignal::new(None::<Result<Vec<CardBatch>, Failure>>);
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        version.track();
        leptos::task::spawn_local(async move {
            batches.set(Some(
                api::call(session, async |client| client.card_batches().await).await,
            ));
        });
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let count = cards.get_untracked().trim().parse::<u32>().ok();
        let minor = format::parse_money(&value.get_untracked()).filter(|m| *m > 0);
        let until = valid_until
            .get_untracked()
            .parse::<chrono::NaiveDate>()
            .ok();
        let mut wrong = Vec::new();
        if count.is_none() {
            wrong.push("cards");
        }
        if minor.is_none() {
            wrong.push("value_minor");
        }
        if until.is_none() {
            wrong.push("valid_until");
        }
        bad.set(wrong);
        let (Some(count), Some(minor), Some(until)) = (count, minor, until) else {
            focus_first_invalid(form);
            return;
        };
        let request = NewCardBatch {
            cards: count,
            value_minor: minor,
            currency: None,
            valid_until: until,
        };
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| {
                client.create_card_batch(&request).await
            })
            .await
            {
                Ok(batch) => {
                    failure.set(None);
                    toasts.success(td_string!(
                        i18n.get_locale_untracked(),
                        cards.created,
                        cards = batch.batch.cards
                    ));
                    created.set(Some(batch));
                    version.update(|v| *v += 1);
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    let invalid = move |field: &'static str, server: &'static str| {
        checked(
            move || bad.with(|b| b.contains(&field)),
            |l| td_string!(l, cards.invalid),
            error_of(failure, server),
        )
    };
    let download = move |_| {
        if let Some(batch) = created.get_untracked()
            && let Err(f) = save_bytes(
                batch.codes_csv.as_bytes(),
                "text/csv",
                &format!("prepaid-cards-{}.csv", batch.batch.id),
            )
        {
            toasts.failure(i18n.get_locale_untracked(), &f);
        }
    };
    view! {
        <section class="page" data-testid="prepaid-cards">
            <div class="page-head"><h1>{tr(|l| td_string!(l, cards.title))}</h1></div>
            <form class="form panel" node_ref=form on:submit=submit data-testid="card-batch-form" novalidate>
                <div class="row">
                    <Field label=Signal::derive(move || t_string!(i18n, cards.count).to_owned()) value=cards error=invalid("cards", "cards") name="cards" input_type="number" required=true />
                    <Field label=Signal::derive(move || t_string!(i18n, cards.value).to_owned()) value=value error=invalid("value_minor", "value_minor") name="value" required=true placeholder=Signal::derive(|| "50,00".to_owned()) />
                    <Field label=Signal::derive(move || t_string!(i18n, cards.valid_until).to_owned()) value=valid_until error=invalid("valid_until", "valid_until") name="valid_until" input_type="date" required=true />
                </div>
                <button type="submit" class="button" data-testid="make-cards">{tr(|l| td_string!(l, cards.make))}</button>
            </form>
            {move || created.get().map(|_| view! {
                <div class="panel" role="alert" data-testid="codes-ready">
                    <p><strong>{tr(|l| td_string!(l, cards.once))}</strong></p>
                    <button class="button" on:click=download data-testid="download-codes">{tr(|l| td_string!(l, cards.download))}</button>
                </div>
            })}
            <div class="panel">
                <h2>{tr(|l| td_string!(l, cards.batches))}</h2>
                {move || match batches.get() {
                    None => view! { <Loading /> }.into_any(),
                    Some(Err(f)) => view! { <FailureNote failure=f /> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <Empty text=|l| td_string!(l, cards.none) /> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="documents">
                            {list.into_iter().map(|b| {
                                let (until, value, currency, made) = (b.valid_until, b.value_minor, b.currency.clone(), b.created_at);
                                view! {
                                    <li class="document" data-testid="card-batch">
                                        <p>
                                            <strong>{move || t_string!(i18n, cards.batch_line, cards = b.cards, value = format::money(value, &currency, language(i18n.get_locale())))}</strong>
                                            " · " {move || t_string!(i18n, cards.redeemed, count = b.redeemed)}
                                            <br />
                                            <span class="muted small">{move || time::date_time(made, i18n.get_locale())} " · " {move || t_string!(i18n, cards.until, date = time::day(until, i18n.get_locale()))}</span>
                                        </p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </div>
        </section>
    }
}
