//! "Log this contact" on the card: channel, topic, what was said, settled now or routed.

use leptos::prelude::*;
use okno_api_types::interactions::NewInteraction;
use okno_api_types::reference::Topic;
use okno_api_types::{Channel, Department, Direction};

use crate::api::{self, Failure};
use crate::components::forms::{Checkbox, TextArea, error_of};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::session::use_session;
use crate::time::language;

#[component]
pub fn LogContact(
    customer_id: i64,
    #[prop(into)] topics: Signal<Vec<Topic>>,
    #[prop(into)] on_logged: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let channel = RwSignal::new(Channel::Phone.as_str().to_owned());
    let direction = RwSignal::new(Direction::Inbound.as_str().to_owned());
    let topic = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let settled = RwSignal::new(true);
    let department = RwSignal::new(Department::SubscriberService.as_str().to_owned());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let outcome_text = outcome.get_untracked();
        let settled_now = settled.get_untracked();
        let input = NewInteraction {
            channel: channel.get_untracked().parse().unwrap_or(Channel::Phone),
            direction: direction.get_untracked().parse().ok(),
            topic_id: topic.get_untracked().parse().ok(),
            summary: summary.get_untracked(),
            outcome: (!outcome_text.trim().is_empty()).then_some(outcome_text),
            settled_in_contact: settled_now,
            department: if settled_now {
                None
            } else {
                department.get_untracked().parse().ok()
            },
            duration_seconds: None,
            occurred_at: None,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, |client| {
                let input = input.clone();
                async move { client.create_interaction(customer_id, &input).await }
            })
            .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    failure.set(None);
                    summary.set(String::new());
                    outcome.set(String::new());
                    settled.set(true);
                    toasts.success(td_string!(i18n.get_locale_untracked(), contact.logged));
                    on_logged.run(());
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

    let select = move |label: Signal<String>,
                       value: RwSignal<String>,
                       options: Signal<Vec<(String, String)>>,
                       name: &'static str| {
        view! {
            <label class="field field-inline">
                <span>{label}</span>
                <select name=name on:change=move |ev| value.set(event_target_value(&ev))>
                    {move || {
                        options
                            .get()
                            .into_iter()
                            .map(|(v, text)| {
                                let selected = v == value.get_untracked();
                                view! { <option value=v selected=selected>{text}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        }
    };
    let channels = Signal::derive(move || {
        let locale = i18n.get_locale();
        Channel::all()
            .map(|c| (c.as_str().to_owned(), labels::channel(locale, c).to_owned()))
            .collect()
    });
    let directions = Signal::derive(move || {
        let locale = i18n.get_locale();
        Direction::all()
            .map(|d| {
                (
                    d.as_str().to_owned(),
                    labels::direction(locale, d).to_owned(),
                )
            })
            .collect()
    });
    let topic_options = Signal::derive(move || {
        let locale = language(i18n.get_locale());
        std::iter::once((String::new(), t_string!(i18n, contact.no_topic).to_owned()))
            .chain(
                topics
                    .get()
                    .into_iter()
                    .filter(|t| t.active)
                    .map(|t| (t.id.to_string(), t.name.get(locale).to_owned())),
            )
            .collect()
    });
    let departments = Signal::derive(move || {
        let locale = i18n.get_locale();
        Department::all()
            .map(|d| {
                (
                    d.as_str().to_owned(),
                    labels::department(locale, d).to_owned(),
                )
            })
            .collect()
    });

    view! {
        <form class="panel log-contact" on:submit=submit data-testid="log-contact">
            <h2>{tr(|l| td_string!(l, contact.title))}</h2>
            <div class="row">
                {select(Signal::derive(move || t_string!(i18n, contact.channel).to_owned()), channel, channels, "channel")}
                {select(Signal::derive(move || t_string!(i18n, contact.direction).to_owned()), direction, directions, "direction")}
                {select(Signal::derive(move || t_string!(i18n, contact.topic).to_owned()), topic, topic_options, "topic")}
            </div>
            <TextArea
                label=Signal::derive(move || t_string!(i18n, contact.summary).to_owned())
                value=summary
                name="summary"
                required=true
                error=error_of(failure, "summary")
            />
            <TextArea label=Signal::derive(move || t_string!(i18n, contact.outcome).to_owned()) value=outcome name="outcome" error=error_of(failure, "outcome") />
            <div class="row row-end">
                <Checkbox label=Signal::derive(move || t_string!(i18n, contact.settled).to_owned()) checked=settled name="settled" />
                <Show when=move || !settled.get()>
                    {select(Signal::derive(move || t_string!(i18n, contact.route_to).to_owned()), department, departments, "department")}
                </Show>
                <button class="button-primary" type="submit" disabled=move || busy.get() data-testid="log-contact-submit">
                    {tr(|l| td_string!(l, contact.submit))}
                </button>
            </div>
            {move || error_of(failure, "topic_id").get().map(|e| view! { <p class="field-error">{e}</p> })}
        </form>
    }
}
