//! What a customer is told by which channel, as a grid of messages by channels: on the
//! card for staff (changed on the customer's behalf with `customers_write`), and in the
//! cabinet for the subscriber. Each tick is saved at once; a required message stays ticked.

use leptos::prelude::*;
use okno_api_types::notifications::{
    MessageChannel, NotificationEvent, NotificationPreference, PreferenceChange,
};

use crate::api::{self, Failure};
use crate::components::latest::Latest;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;

/// Whose choices the grid shows and changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// A customer's, on their card.
    Customer(i64),
    /// The signed-in subscriber's own.
    Mine,
}

async fn load(
    session: crate::session::Session,
    whose: Whose,
) -> Result<Vec<NotificationPreference>, Failure> {
    api::call(session, async |client| match whose {
        Whose::Customer(id) => client.notification_preferences(id).await,
        Whose::Mine => client.my_notification_preferences().await,
    })
    .await
}

async fn save(
    session: crate::session::Session,
    whose: Whose,
    change: PreferenceChange,
) -> Result<Vec<NotificationPreference>, Failure> {
    api::call(session, async |client| match whose {
        Whose::Customer(id) => client.set_notification_preference(id, &change).await,
        Whose::Mine => client.set_my_notification_preference(&change).await,
    })
    .await
}

/// Why a change was refused: a required message cannot be switched off (422 on `enabled`),
/// else the failure in the interface language.
fn refusal(locale: Locale, failure: &Failure) -> String {
    let at_enabled = failure
        .problem()
        .is_some_and(|p| p.field_error("enabled").is_some());
    if at_enabled {
        td_string!(locale, preferences.cannot_switch_off).to_owned()
    } else {
        labels::failure(locale, failure)
    }
}

#[component]
pub fn NotificationPreferences(
    whose: Whose,
    /// Whether the ticks may be changed; else they are only shown.
    can_change: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    // The choices as stored: the first answer, then each save's. The grid is drawn once
    // they are there, and its ticks follow them, so a save keeps the focus on its box.
    let current = RwSignal::new(None::<Vec<NotificationPreference>>);
    // Why the choices could not be read, or the last change was refused.
    let failure = RwSignal::new(None::<Failure>);
    // Only the answer to the latest tick is taken: it lists every choice as stored.
    let latest = Latest::new();
    leptos::task::spawn_local(async move {
        match load(session, whose).await {
            Ok(list) => current.set(Some(list)),
            Err(error) => failure.set(Some(error)),
        }
    });
    let toggle = Callback::new(move |change: PreferenceChange| {
        latest.spawn(save(session, whose, change), move |result| match result {
            Ok(fresh) => {
                failure.set(None);
                current.set(Some(fresh));
                toasts.success(td_string!(i18n.get_locale_untracked(), preferences.saved));
            }
            Err(error) => {
                failure.set(Some(error));
                // The box the user clicked goes back to what is stored.
                current.update(|_| {});
            }
        });
    });
    let cabinet = whose == Whose::Mine;
    let lead = match (cabinet, can_change) {
        (true, _) => tr(|l| td_string!(l, preferences.lead_cabinet)),
        (false, true) => tr(|l| td_string!(l, preferences.lead_staff)),
        (false, false) => tr(|l| td_string!(l, preferences.read_only)),
    };
    let required_note = if cabinet {
        tr(|l| td_string!(l, preferences.required_cabinet))
    } else {
        tr(|l| td_string!(l, preferences.required))
    };
    view! {
        <div class="panel" data-testid="notification-preferences">
            <h2>{tr(|l| td_string!(l, preferences.title))}</h2>
            <p class="muted small">{lead}</p>
            {move || failure.get().map(|failure| view! {
                <p class="failure" role="alert" data-testid="preference-refused">{move || refusal(i18n.get_locale(), &failure)}</p>
            })}
            <Show when=move || current.with(Option::is_some)>
                <table class="table table-compact preferences">
                    <thead>
                        <tr>
                            <th scope="col">{tr(|l| td_string!(l, preferences.message))}</th>
                            {MessageChannel::all()
                                .map(|channel| view! {
                                    <th scope="col" class="preference-cell" id=format!("preference-channel-{}", channel.as_str())>
                                        {move || labels::message_channel(i18n.get_locale(), channel)}
                                    </th>
                                })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {NotificationEvent::all()
                            .map(|event| view! { <PreferenceRow event current can_change required_note toggle /> })
                            .collect_view()}
                    </tbody>
                </table>
            </Show>
        </div>
    }
}

/// An event's row: its name (with why it is always sent, when it is) and a tick per channel.
#[component]
fn PreferenceRow(
    event: NotificationEvent,
    current: RwSignal<Option<Vec<NotificationPreference>>>,
    can_change: bool,
    required_note: impl Fn() -> &'static str + Copy + Send + Sync + 'static,
    toggle: Callback<PreferenceChange>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Whether the customer may not switch it off, which does not change while shown.
    let required = current.with_untracked(|list| {
        list.iter()
            .flatten()
            .any(|p| p.event == event && p.required)
    });
    let name_id = format!("preference-event-{}", event.as_str());
    let note_id = format!("preference-required-{}", event.as_str());
    view! {
        <tr data-testid=format!("preference-{}", event.as_str())>
            <th scope="row">
                <span id=name_id.clone()>{move || labels::message_event(i18n.get_locale(), event)}</span>
                {required.then(|| view! { <div class="muted small preference-note" id=note_id.clone()>{required_note}</div> })}
            </th>
            {MessageChannel::all()
                .map(|channel| {
                    let checked = move || {
                        current.with(|list| {
                            list.iter()
                                .flatten()
                                .any(|p| p.event == event && p.channel == channel && (p.enabled || p.required))
                        })
                    };
                    view! {
                        <td class="preference-cell">
                            <input
                                type="checkbox"
                                data-testid=format!("preference-{}-{}", event.as_str(), channel.as_str())
                                aria-labelledby=format!("{name_id} preference-channel-{}", channel.as_str())
                                aria-describedby=required.then(|| note_id.clone())
                                prop:checked=checked
                                disabled=required || !can_change
                                on:change=move |ev| {
                                    toggle.run(PreferenceChange { event, channel, enabled: event_target_checked(&ev) });
                                }
                            />
                        </td>
                    }
                })
                .collect_view()}
        </tr>
    }
}
