//! "Log this contact" on the card: channel, topic, what was said, settled now or routed.

use leptos::prelude::*;
use okno_api_types::interactions::NewInteraction;
use okno_api_types::reference::Topic;
use okno_api_types::{Channel, Department, Direction};

use crate::api::{self, Failure};
use crate::components::forms::{Checkbox, TextArea, enum_options, error_of};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::{label, tr};
use crate::pages::knowledge::TopicArticles;
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
            let result = api::call(session, async |client| {
                client.create_interaction(customer_id, &input).await
            })
            .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    // A fresh form for the next contact: nothing of this one stays behind.
                    failure.set(None);
                    channel.set(Channel::Phone.as_str().to_owned());
                    direction.set(Direction::Inbound.as_str().to_owned());
                    topic.set(String::new());
                    summary.set(String::new());
                    outcome.set(String::new());
                    settled.set(true);
                    department.set(Department::SubscriberService.as_str().to_owned());
                    toasts.success(td_string!(i18n.get_locale_untracked(), contact.logged));
                    on_logged.run(());
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
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
                <select name=name on:change=move |ev| value.set(event_target_value(&ev)) prop:value=move || value.get()>
                    {move || {
                        options
                            .get()
                            .into_iter()
                            .map(|(v, text)| {
                                let selected = value.try_with_untracked(|current| *current == v).unwrap_or(false);
                                view! { <option value=v selected=selected>{text}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        }
    };
    let channels = enum_options(Channel::all(), labels::channel);
    let directions = enum_options(Direction::all(), labels::direction);
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
    let departments = enum_options(Department::all(), labels::department);

    view! {
        <form class="panel log-contact" on:submit=submit data-testid="log-contact">
            <h2>{tr(|l| td_string!(l, contact.title))}</h2>
            <div class="row">
                {select(label(|l| td_string!(l, contact.channel)), channel, channels, "channel")}
                {select(label(|l| td_string!(l, contact.direction)), direction, directions, "direction")}
                {select(label(|l| td_string!(l, contact.topic)), topic, topic_options, "topic")}
            </div>
            <TopicArticles topic_id=Signal::derive(move || topic.get().parse::<i64>().ok()) />
            <TextArea
                label=label(|l| td_string!(l, contact.summary))
                value=summary
                name="summary"
                required=true
                error=error_of(failure, "summary")
            />
            <TextArea label=label(|l| td_string!(l, contact.outcome)) value=outcome name="outcome" error=error_of(failure, "outcome") />
            <div class="row row-end">
                <Checkbox label=label(|l| td_string!(l, contact.settled)) checked=settled name="settled" />
                <Show when=move || !settled.get()>
                    {select(label(|l| td_string!(l, contact.route_to)), department, departments, "department")}
                </Show>
                <button class="button-primary" type="submit" disabled=move || busy.get() data-testid="log-contact-submit">
                    {tr(|l| td_string!(l, contact.submit))}
                </button>
            </div>
            {move || error_of(failure, "topic_id").get().map(|e| view! { <p class="field-error">{e}</p> })}
        </form>
    }
}
