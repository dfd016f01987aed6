//! Meters on the customer card and in the cabinet: the last reading, and recording a
//! new one as the customer or a technician reads it off.

use leptos::prelude::*;
use okno_api_types::Channel;
use okno_api_types::billing::{Meter, NewMeterReading, NewOwnMeterReading, UsageUnit};
use okno_domain::billing::quantity;
use okno_domain::format::parse_quantity;

use crate::api::{self, Failure};
use crate::components::forms::{Checkbox, Field, error_of};
use crate::components::status::FailureNote;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::tr;
use crate::session::use_session;
use crate::time::{self, language};

fn unit(unit: UsageUnit) -> &'static str {
    match unit {
        UsageUnit::Kwh => "kWh",
        UsageUnit::M3 => "m³",
        UsageUnit::Gb => "GB",
        UsageUnit::Minute => "min",
        UsageUnit::Sms => "SMS",
    }
}

/// The meters of a customer (staff) or of the subscriber (`own`).
#[component]
pub fn MetersPanel(
    #[prop(optional)] customer_id: Option<i64>,
    #[prop(optional)] own: bool,
    #[prop(optional)] can_record: bool,
) -> impl IntoView {
    let session = use_session();
    let meters = RwSignal::new(None::<Result<Vec<Meter>, Failure>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            let result = match customer_id {
                Some(id) if !own => {
                    api::call(session, |client| async move { client.meters(id).await }).await
                }
                _ => api::call(session, |client| async move { client.my_meters().await }).await,
            };
            meters.set(Some(result));
        });
    };
    reload();
    move || {
        match meters.get() {
        None => ().into_any(),
        Some(Err(f)) => view! { <FailureNote failure=f /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => ().into_any(),
        Some(Ok(list)) => view! {
            <div class="panel" data-testid="meters">
                <h2>{tr(|l| td_string!(l, meters.title))}</h2>
                {list
                    .into_iter()
                    .map(|m| view! { <MeterRow meter=m own=own can_record=can_record || own on_recorded=Callback::new(move |()| reload()) /> })
                    .collect_view()}
            </div>
        }
        .into_any(),
    }
    }
}

#[component]
fn MeterRow(
    meter: Meter,
    own: bool,
    can_record: bool,
    #[prop(into)] on_recorded: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let value = RwSignal::new(String::new());
    let replacement = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let bad = RwSignal::new(false);
    let meter_id = meter.id;
    let symbol = unit(meter.unit);
    let last = meter.last_reading.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(value_milli) = parse_quantity(&value.get_untracked()) else {
            bad.set(true);
            return;
        };
        bad.set(false);
        let replaced = replacement.get_untracked();
        leptos::task::spawn_local(async move {
            let result = if own {
                api::call(session, |client| async move {
                    client
                        .record_my_reading(&NewOwnMeterReading {
                            meter_id,
                            value_milli,
                        })
                        .await
                })
                .await
            } else {
                let reading = NewMeterReading {
                    value_milli,
                    read_at: None,
                    replacement: replaced,
                    channel: Some(Channel::Phone),
                };
                api::call(session, |client| {
                    let reading = reading.clone();
                    async move { client.record_meter_reading(meter_id, &reading).await }
                })
                .await
            };
            match result {
                Ok(_) => {
                    toasts.success(td_string!(i18n.get_locale_untracked(), meters.recorded));
                    value.set(String::new());
                    failure.set(None);
                    on_recorded.run(());
                }
                Err(error) => {
                    if error.problem().is_none_or(|p| p.errors.is_empty()) {
                        toasts.failure(i18n.get_locale_untracked(), &error);
                    }
                    failure.set(Some(error));
                }
            }
        });
    };
    let server_error = error_of(failure, "value_milli");
    let error = Signal::derive(move || {
        if bad.get() {
            Some(t_string!(i18n, meters.invalid).to_owned())
        } else {
            server_error.get()
        }
    });
    let label = Signal::derive(move || t_string!(i18n, meters.new_reading, unit = symbol));
    view! {
        <div class="meter" data-testid="meter">
            <p>
                <strong class="mono">{meter.number.clone()}</strong>
                " · "
                {move || match &last {
                    Some(r) => t_string!(
                        i18n, meters.last,
                        value = format!("{} {symbol}", quantity(r.value_milli, language(i18n.get_locale()))),
                        date = time::date(r.read_at, i18n.get_locale())
                    ),
                    None => t_string!(i18n, meters.no_reading).to_owned(),
                }}
            </p>
            {can_record.then(|| view! {
                <form class="request-decide" on:submit=submit novalidate>
                    <Field label=label value=value name="reading" error=error />
                    {(!own).then(|| view! { <Checkbox label=Signal::derive(move || t_string!(i18n, meters.replacement).to_owned()) checked=replacement name="replacement" /> })}
                    <button class="button-small button-primary" type="submit" data-testid="record-reading">{tr(|l| td_string!(l, meters.record))}</button>
                </form>
            })}
            {move || error_of(failure, "read_at").get().map(|e| view! { <p class="field-error">{e}</p> })}
        </div>
    }
}
