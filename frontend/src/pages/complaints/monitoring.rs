//! `/complaints/monitoring`: the monitoring of complaints over a period (the last 30
//! days unless chosen): the undecided by their deadline, each count leading to the register
//! filtered so; the topics complained of most against the period before; repeat complaints;
//! how many were answered on time; and the preventive measures taken against a topic.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::Permission;
use okno_api_types::complaints::{
    ComplaintMonitoring, MeasureDone, MonitoringQuery, NewPreventiveMeasure, PreventiveMeasure,
    TopicRating,
};
use okno_api_types::reference::Topic;

use super::register::{ComplaintTable, load_topics, topic_name};
use crate::api::{self, Failure};
use crate::components::forms::{Field, Select, TextArea, checked, error_of, focus_first_invalid};
use crate::components::latest::Latest;
use crate::components::status::Loaded;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{label, tr};
use crate::pages::contracts::today;
use crate::session::use_session;
use crate::time::{self, language};

#[component]
pub fn ComplaintMonitoringPage() -> impl IntoView {
    let session = use_session();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let monitoring = RwSignal::new(None::<Result<ComplaintMonitoring, Failure>>);
    let topics = load_topics();
    // The period last asked for: the answer's period fills the inputs without asking again.
    let asked = StoredValue::new(None::<(String, String)>);
    let latest = Latest::new();
    let load = move |period: (String, String)| {
        asked.set_value(Some(period.clone()));
        let query = MonitoringQuery {
            from: period.0.parse().ok(),
            to: period.1.parse().ok(),
        };
        latest.spawn(
            api::call(session, async move |client| {
                client.complaint_monitoring(&query).await
            }),
            move |result: Result<ComplaintMonitoring, Failure>| {
                if let Ok(m) = &result {
                    let period = (m.from.to_string(), m.to.to_string());
                    asked.set_value(Some(period.clone()));
                    from.set(period.0);
                    to.set(period.1);
                }
                monitoring.set(Some(result));
            },
        );
    };
    Effect::new(move |_| {
        let period = (from.get(), to.get());
        if asked.get_value().as_ref() != Some(&period) {
            load(period);
        }
    });
    let reload = Callback::new(move |()| load((from.get_untracked(), to.get_untracked())));

    view! {
        <section class="page" data-testid="complaint-monitoring">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, complaints.monitoring_title))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, complaints.monitoring_lead))}</p>
                </div>
                <A href="/complaints" attr:class="button">{tr(|l| td_string!(l, complaints.register_link))}</A>
            </div>
            <div class="filters">
                <label class="filter">
                    <span>{tr(|l| td_string!(l, complaints.period_from))}</span>
                    <input type="date" name="from" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev)) />
                </label>
                <label class="filter">
                    <span>{tr(|l| td_string!(l, complaints.period_to))}</span>
                    <input type="date" name="to" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev)) />
                </label>
            </div>
            <Loaded value=move || monitoring.get() let:m>
                <Board monitoring=m.clone() />
                <div class="card-grid">
                    <div class="card-main">
                        <TopicRatings ratings=m.topics.clone() topics=Signal::derive(move || topics.get().unwrap_or_default()) />
                        <div class="panel" data-testid="repeats">
                            <h2>{tr(|l| td_string!(l, complaints.repeats))}</h2>
                            {if m.repeats.is_empty() {
                                view! { <p class="muted">{tr(|l| td_string!(l, complaints.no_repeats))}</p> }.into_any()
                            } else {
                                let repeats = m.repeats.clone();
                                view! { <ComplaintTable complaints=Signal::derive(move || repeats.clone()) /> }.into_any()
                            }}
                        </div>
                    </div>
                    <aside class="card-side">
                        <OnTime monitoring=m.clone() />
                    </aside>
                </div>
                <Measures measures=m.measures.clone() topics=Signal::derive(move || topics.get().unwrap_or_default()) on_change=reload />
            </Loaded>
        </section>
    }
}

/// The undecided complaints by their deadline today; a count the register can filter leads
/// there.
#[component]
fn Board(monitoring: ComplaintMonitoring) -> impl IntoView {
    let d = monitoring.deadlines;
    let tile = |count: u64,
                name: fn(Locale) -> &'static str,
                tone: &'static str,
                href: Option<&'static str>,
                id: &'static str| {
        let class = format!("tile tile-{tone}");
        let body = view! {
            <span class="tile-count">{count}</span>
            <span class="tile-label">{tr(name)}</span>
        };
        view! {
            <li data-testid=format!("board-{id}")>
                {match href {
                    Some(href) => view! { <A href=href attr:class=class>{body}</A> }.into_any(),
                    None => view! { <div class=class>{body}</div> }.into_any(),
                }}
            </li>
        }
    };
    let urgent = |count: u64, tone: &'static str| if count > 0 { tone } else { "plain" };
    view! {
        <div class="panel" data-testid="deadline-board">
            <h2>{tr(|l| td_string!(l, complaints.board))}</h2>
            <ul class="tiles">
                {tile(d.overdue, |l| td_string!(l, complaints.board_overdue), urgent(d.overdue, "bad"), Some("/complaints?due=overdue"), "overdue")}
                {tile(d.due_today, |l| td_string!(l, complaints.board_today), urgent(d.due_today, "warn"), Some("/complaints?due=today"), "today")}
                {tile(d.due_tomorrow, |l| td_string!(l, complaints.board_tomorrow), urgent(d.due_tomorrow, "warn"), Some("/complaints?due=tomorrow"), "tomorrow")}
                {tile(d.due_this_week, |l| td_string!(l, complaints.board_week), "plain", None, "week")}
                {tile(d.later, |l| td_string!(l, complaints.board_later), "plain", None, "later")}
                {tile(d.awaiting_approval, |l| td_string!(l, complaints.board_approval), urgent(d.awaiting_approval, "warn"), Some("/complaints?status=awaiting_approval"), "approval")}
                {tile(d.acknowledgement_overdue, |l| td_string!(l, complaints.board_ack_overdue), urgent(d.acknowledgement_overdue, "bad"), None, "ack-overdue")}
            </ul>
        </div>
    }
}

/// A topic's trend against the period before, as an arrow and in words.
fn trend(locale: Locale, rating: &TopicRating) -> (&'static str, String) {
    match rating.trend_percent {
        None => ("•", td_string!(locale, complaints.trend_new).to_owned()),
        Some(0) => ("→", td_string!(locale, complaints.trend_same).to_owned()),
        Some(p) if p > 0 => (
            "↑",
            td_string!(locale, complaints.trend_up, percent = p).to_string(),
        ),
        Some(p) => (
            "↓",
            td_string!(locale, complaints.trend_down, percent = p.abs()).to_string(),
        ),
    }
}

#[component]
fn TopicRatings(ratings: Vec<TopicRating>, topics: Signal<Vec<Topic>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="panel" data-testid="topic-rating">
            <h2>{tr(|l| td_string!(l, complaints.topic_rating))}</h2>
            {if ratings.is_empty() {
                view! { <p class="muted">{tr(|l| td_string!(l, complaints.none))}</p> }.into_any()
            } else {
                view! {
                        <table class="table table-compact">
                            <thead>
                                <tr>
                                    <th>{tr(|l| td_string!(l, complaints.topic))}</th>
                                    <th class="num">{tr(|l| td_string!(l, complaints.count))}</th>
                                    <th class="num">{tr(|l| td_string!(l, complaints.previous_count))}</th>
                                    <th>{tr(|l| td_string!(l, complaints.trend))}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {ratings.into_iter().map(|r| {
                                    let shown = r.clone();
                                    let name = move || match r.topic_id {
                                        Some(id) => topics.with(|t| topic_name(t, id, i18n.get_locale())).unwrap_or_else(|| r.topic.clone()),
                                        None => t_string!(i18n, complaints.no_topic).to_owned(),
                                    };
                                    let rising = shown.trend_percent.is_some_and(|p| p > 0);
                                    view! {
                                        <tr data-testid="topic-row">
                                            <td>{name}</td>
                                            <td class="num">{shown.count}</td>
                                            <td class="num">{shown.previous_count}</td>
                                            <td class:overdue=rising>
                                                {move || {
                                                    let (arrow, text) = trend(i18n.get_locale(), &shown);
                                                    view! { <span aria-hidden="true">{arrow}" "</span><span>{text}</span> }
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                }
                .into_any()
            }}
        </div>
    }
}

/// How many were decided in the period, how many of those by a person in time, and how many
/// the clock deemed accepted.
#[component]
fn OnTime(monitoring: ComplaintMonitoring) -> impl IntoView {
    let i18n = use_i18n();
    let percent = monitoring.on_time_percent;
    let (from, until) = (monitoring.from, monitoring.to);
    view! {
        <div class="panel" data-testid="on-time">
            <h2>{tr(|l| td_string!(l, complaints.answered))}</h2>
            <p class="muted small">{move || format!("{} – {}", time::day(from, i18n.get_locale()), time::day(until, i18n.get_locale()))}</p>
            <dl class="facts">
                <dt>{tr(|l| td_string!(l, complaints.decided_count))}</dt>
                <dd data-testid="decided-count">{monitoring.decided}</dd>
                <dt>{tr(|l| td_string!(l, complaints.on_time))}</dt>
                <dd data-testid="on-time-count">{monitoring.decided_on_time}</dd>
                <dt>{tr(|l| td_string!(l, complaints.on_time_percent))}</dt>
                <dd data-testid="on-time-percent">{move || percent.map_or_else(|| "—".to_owned(), |p| format!("{p} %"))}</dd>
                <dt>{tr(|l| td_string!(l, complaints.deemed_accepted))}</dt>
                <dd data-testid="deemed-count">{monitoring.deemed_accepted}</dd>
            </dl>
        </div>
    }
}

#[component]
fn Measures(
    measures: Vec<PreventiveMeasure>,
    topics: Signal<Vec<Topic>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let may_manage = session.has(Permission::ComplaintMeasuresManage);
    let adding = RwSignal::new(false);
    let mark = move |id: i64, done_on: Option<NaiveDate>| {
        leptos::task::spawn_local(async move {
            let done = MeasureDone { done_on };
            match api::call(session, async |client| {
                client.mark_preventive_measure(id, &done).await
            })
            .await
            {
                Ok(_) => on_change.run(()),
                Err(failure) => toasts.failure(i18n.get_locale_untracked(), &failure),
            }
        });
    };
    view! {
        <div class="panel" data-testid="measures">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, complaints.measures))}</h2>
                {may_manage.then(|| view! {
                    <button type="button" class="button-small" data-testid="add-measure" aria-expanded=move || adding.get().to_string() on:click=move |_| adding.update(|a| *a = !*a)>
                        {tr(|l| td_string!(l, common.add))}
                    </button>
                })}
            </div>
            <Show when=move || adding.get()>
                <MeasureForm topics on_saved=Callback::new(move |()| { adding.set(false); on_change.run(()); }) />
            </Show>
            {if measures.is_empty() {
                view! { <p class="muted">{tr(|l| td_string!(l, complaints.no_measures))}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain measures">
                        {measures.into_iter().map(|m| {
                            let (id, due_on, done_on, topic_id) = (m.id, m.due_on, m.done_on, m.topic_id);
                            let fallback = m.topic.clone();
                            let topic = move || topics.with(|t| topic_name(t, topic_id, i18n.get_locale())).unwrap_or_else(|| fallback.clone());
                            let late = done_on.is_none() && due_on < today();
                            view! {
                                <li class="measure" data-testid="measure" data-done=done_on.is_some().to_string()>
                                    <div>
                                        <p><strong>{topic}</strong>" · "{m.description.clone()}</p>
                                        <p class="muted small">
                                            {move || t_string!(i18n, complaints.measure_owner, owner = m.owner.clone(), date = time::day(due_on, i18n.get_locale())).to_string()}
                                        </p>
                                        <p class="small" class:overdue=late data-testid="measure-state">
                                            {move || match done_on {
                                                Some(day) => t_string!(i18n, complaints.measure_done_on, date = time::day(day, i18n.get_locale())).to_string(),
                                                None if late => t_string!(i18n, complaints.measure_late).to_owned(),
                                                None => t_string!(i18n, complaints.measure_open).to_owned(),
                                            }}
                                        </p>
                                    </div>
                                    {may_manage.then(|| match done_on {
                                        None => view! { <button type="button" class="button-small" data-testid="mark-done" on:click=move |_| mark(id, Some(today()))>{tr(|l| td_string!(l, complaints.mark_done))}</button> }.into_any(),
                                        Some(_) => view! { <button type="button" class="button-small" data-testid="mark-not-done" on:click=move |_| mark(id, None)>{tr(|l| td_string!(l, complaints.mark_not_done))}</button> }.into_any(),
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </div>
    }
}

#[component]
fn MeasureForm(topics: Signal<Vec<Topic>>, #[prop(into)] on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let topic = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due_on = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let topic_missing = RwSignal::new(false);
    let due_missing = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let topic_id = topic.get_untracked().parse::<i64>().ok();
        let due = due_on.get_untracked().parse::<NaiveDate>().ok();
        topic_missing.set(topic_id.is_none());
        due_missing.set(due.is_none());
        let (Some(topic_id), Some(due_on)) = (topic_id, due) else {
            focus_first_invalid(form);
            return;
        };
        let measure = NewPreventiveMeasure {
            topic_id,
            description: description.get_untracked(),
            owner: owner.get_untracked(),
            due_on,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.add_preventive_measure(&measure).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(_) => {
                    toasts.success(td_string!(locale, complaints.measure_saved));
                    on_saved.run(());
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    let topic_options = Signal::derive(move || {
        let locale = language(i18n.get_locale());
        std::iter::once((
            String::new(),
            t_string!(i18n, complaints.choose_topic).to_owned(),
        ))
        .chain(
            topics
                .get()
                .into_iter()
                .filter(|t| t.active)
                .map(|t| (t.id.to_string(), t.name.get(locale).to_owned())),
        )
        .collect()
    });
    view! {
        <form class="form action-form" node_ref=form on:submit=submit novalidate data-testid="measure-form">
            <div class="grid-3">
                <Select label=label(|l| td_string!(l, complaints.topic)) value=topic name="topic_id" options=topic_options error=checked(move || topic_missing.get(), |l| td_string!(l, field_error.required), error_of(failure, "topic_id")) />
                <Field label=label(|l| td_string!(l, complaints.owner)) value=owner name="owner" required=true error=error_of(failure, "owner") />
                <Field label=label(|l| td_string!(l, complaints.due_on)) value=due_on name="due_on" input_type="date" required=true error=checked(move || due_missing.get(), |l| td_string!(l, field_error.required), error_of(failure, "due_on")) />
            </div>
            <TextArea label=label(|l| td_string!(l, complaints.measure_description)) value=description name="description" required=true error=error_of(failure, "description") />
            <div class="form-actions">
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-measure">{tr(|l| td_string!(l, common.save))}</button>
            </div>
        </form>
    }
}
