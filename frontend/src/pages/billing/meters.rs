//! Meters on the customer card and in the cabinet: the last reading, and recording a
//! new one as the customer or a technician reads it off.

use leptos::prelude::*;
use okno_api_types::Channel;
use okno_api_types::billing::{Meter, NewMeterReading, NewOwnMeterReading};
use okno_domain::billing::quantity;
use okno_domain::format::parse_quantity;

use crate::api::{self, Failure};
use crate::components::forms::{Checkbox, Field, checked, error_of};
use crate::components::status::Loaded;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::session::use_session;
use crate::time::{self, language};

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
                    api::call(session, async |client| client.meters(id).await).await
                }
                _ => api::call(session, async |client| client.my_meters().await).await,
            };
            meters.set(Some(result));
        });
    };
    reload();
    // No panel for a customer without meters.
    view! {
        <Loaded value=move || meters.get() quiet=true let:list>
            {(!list.is_empty()).then(|| view! {
                <div class="panel" data-testid="meters">
                    <h2>{tr(|l| td_string!(l, meters.title))}</h2>
                    {list
                        .into_iter()
                        .map(|m| view! { <MeterRow meter=m own=own can_record=can_record || own on_recorded=Callback::new(move |()| reload()) /> })
                        .collect_view()}
                </div>
            })}
        </Loaded>
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
    let symbol = labels::unit(meter.unit);
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
                api::call(session, async |client| {
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
                api::call(session, async |client| {
                    client.record_meter_reading(meter_id, &reading).await
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
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    // A subscriber cannot flag a new meter (staff do, having seen it): lower than the last
    // reading, the cabinet says whom to tell instead.
    let server_error = error_of(failure, "value_milli");
    let lower = move || {
        failure.with(|f| {
            f.as_ref()
                .and_then(|f| f.problem())
                .and_then(|p| p.field_error("value_milli").map(|e| e.code))
                == Some(okno_api_types::FieldErrorCode::LowerThanLast)
        })
    };
    let shown = Signal::derive(move || {
        if own && lower() {
            Some(t_string!(i18n, meters.lower_own).to_owned())
        } else {
            server_error.get()
        }
    });
    let error = checked(move || bad.get(), |l| td_string!(l, meters.invalid), shown);
    let new_reading = Signal::derive(move || t_string!(i18n, meters.new_reading, unit = symbol));
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
                    <Field label=new_reading value=value name="reading" error=error />
                    {(!own).then(|| view! { <Checkbox label=label(|l| td_string!(l, meters.replacement)) checked=replacement name="replacement" /> })}
                    <button class="button-small button-primary" type="submit" data-testid="record-reading">{tr(|l| td_string!(l, meters.record))}</button>
                </form>
            })}
            {move || error_of(failure, "read_at").get().map(|e| view! { <p class="field-error">{e}</p> })}
        </div>
    }
}
