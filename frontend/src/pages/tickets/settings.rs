//! `/tickets/settings`: what the SLA counts on — the targets of each priority and the
//! office's opening hours per weekday — and the departments tickets go to: added, renamed,
//! ordered, deactivated (an inactive one keeps its tickets but takes no new ones).

use leptos::prelude::*;
use okno_api_types::reference::LocalizedName;
use okno_api_types::tickets::{
    DepartmentChange, DepartmentEntry, NewDepartment, OpeningDay, SlaPolicy, SlaSettings,
    TicketPriority,
};

use super::parts::duration_text;
use crate::api::{self, Failure};
use crate::components::forms::{
    Checkbox, ErrorSummary, Field, FormErrors, checked, error_at, error_of,
};
use crate::components::status::{FailureNote, FormFailure, Loaded, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::session::use_session;

#[component]
pub fn TicketSettingsPage() -> impl IntoView {
    let session = use_session();
    let settings = RwSignal::new(None::<Result<SlaSettings, Failure>>);
    leptos::task::spawn_local(async move {
        settings.set(Some(
            api::call(session, async |client| client.sla_settings().await).await,
        ));
    });
    view! {
        <section class="page" data-testid="ticket-settings">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, ticket_settings.title))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, ticket_settings.lead))}</p>
                </div>
            </div>
            {move || match settings.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(failure)) => view! { <FailureNote failure /> }.into_any(),
                Some(Ok(current)) => view! { <SlaForm current /> }.into_any(),
            }}
            <Departments />
        </section>
    }
}

#[derive(Clone, Copy)]
struct PolicyDraft {
    priority: TicketPriority,
    first_response: RwSignal<String>,
    next_update: RwSignal<String>,
    resolution: RwSignal<String>,
    around_the_clock: RwSignal<bool>,
}

#[derive(Clone, Copy)]
struct DayDraft {
    weekday: u8,
    open: RwSignal<bool>,
    opens: RwSignal<String>,
    closes: RwSignal<String>,
}

fn weekday_name(locale: Locale, weekday: u8) -> &'static str {
    match weekday {
        1 => td_string!(locale, ticket_settings.monday),
        2 => td_string!(locale, ticket_settings.tuesday),
        3 => td_string!(locale, ticket_settings.wednesday),
        4 => td_string!(locale, ticket_settings.thursday),
        5 => td_string!(locale, ticket_settings.friday),
        6 => td_string!(locale, ticket_settings.saturday),
        _ => td_string!(locale, ticket_settings.sunday),
    }
}

/// A number of minutes typed, when it reads as one.
fn minutes(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

#[component]
fn SlaForm(current: SlaSettings) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    provide_context(FormErrors::default());
    let policies: Vec<PolicyDraft> = TicketPriority::all()
        .map(|priority| {
            let p = current.policies.iter().find(|p| p.priority == priority);
            let text = |m: Option<u32>| RwSignal::new(m.map(|m| m.to_string()).unwrap_or_default());
            PolicyDraft {
                priority,
                first_response: text(p.map(|p| p.first_response_minutes)),
                next_update: text(p.map(|p| p.next_update_minutes)),
                resolution: text(p.map(|p| p.resolution_minutes)),
                around_the_clock: RwSignal::new(p.is_some_and(|p| p.around_the_clock)),
            }
        })
        .collect();
    let days: Vec<DayDraft> = (1..=7)
        .map(|weekday| {
            let d = current.opening_hours.iter().find(|d| d.weekday == weekday);
            let opens = d.and_then(|d| d.opens.clone());
            DayDraft {
                weekday,
                open: RwSignal::new(opens.is_some()),
                opens: RwSignal::new(opens.unwrap_or_else(|| "08:00".to_owned())),
                closes: RwSignal::new(
                    d.and_then(|d| d.closes.clone())
                        .unwrap_or_else(|| "16:00".to_owned()),
                ),
            }
        })
        .collect();
    let failure = RwSignal::new(None::<Failure>);
    let tried = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let (policies_kept, days_kept) = (
        StoredValue::new(policies.clone()),
        StoredValue::new(days.clone()),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        let policies = policies_kept.get_value();
        let read: Option<Vec<SlaPolicy>> = policies
            .iter()
            .map(|p| {
                Some(SlaPolicy {
                    priority: p.priority,
                    first_response_minutes: minutes(&p.first_response.get_untracked())?,
                    next_update_minutes: minutes(&p.next_update.get_untracked())?,
                    resolution_minutes: minutes(&p.resolution.get_untracked())?,
                    around_the_clock: p.around_the_clock.get_untracked(),
                })
            })
            .collect();
        let Some(policies) = read else {
            crate::components::forms::focus_first_invalid(form);
            return;
        };
        let opening_hours = days_kept
            .get_value()
            .iter()
            .map(|d| {
                let open = d.open.get_untracked();
                OpeningDay {
                    weekday: d.weekday,
                    opens: open.then(|| d.opens.get_untracked()),
                    closes: open.then(|| d.closes.get_untracked()),
                }
            })
            .collect();
        let settings = SlaSettings {
            policies,
            opening_hours,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.update_sla_settings(&settings).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(_) => {
                    failure.set(None);
                    toasts.success(td_string!(locale, ticket_settings.saved));
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    let minutes_field = move |index: usize,
                              name: &'static str,
                              value: RwSignal<String>,
                              text: fn(Locale) -> &'static str| {
        let path = format!("policies[{index}].{name}");
        view! {
            <Field
                label=label(text)
                value
                name
                input_type="number"
                required=true
                error=checked(move || tried.get() && minutes(&value.get()).is_none(), |l| td_string!(l, ticket_settings.minutes_error), error_at(failure, path))
                hint=Signal::derive(move || minutes(&value.get()).map(|m| duration_text(i18n.get_locale(), i64::from(m))).unwrap_or_default())
            />
        }
    };
    view! {
        <form class="form" node_ref=form on:submit=submit novalidate data-testid="sla-form">
            <ErrorSummary />
            <div class="panel">
                <h2>{tr(|l| td_string!(l, ticket_settings.targets))}</h2>
                <p class="muted small">{tr(|l| td_string!(l, ticket_settings.targets_hint))}</p>
                {policies.into_iter().enumerate().map(|(index, p)| {
                    let priority = p.priority;
                    view! {
                        <fieldset class="policy" data-testid="sla-policy" data-priority=priority.as_str()>
                            <legend>{move || labels::ticket_priority(i18n.get_locale(), priority)}</legend>
                            <div class="grid-3">
                                {minutes_field(index, "first_response_minutes", p.first_response, |l| td_string!(l, ticket_settings.first_response_minutes))}
                                {minutes_field(index, "next_update_minutes", p.next_update, |l| td_string!(l, ticket_settings.next_update_minutes))}
                                {minutes_field(index, "resolution_minutes", p.resolution, |l| td_string!(l, ticket_settings.resolution_minutes))}
                            </div>
                            <Checkbox label=label(|l| td_string!(l, ticket_settings.around_the_clock)) checked=p.around_the_clock name="around_the_clock" />
                        </fieldset>
                    }
                }).collect_view()}
            </div>
            <div class="panel">
                <h2>{tr(|l| td_string!(l, ticket_settings.opening_hours))}</h2>
                <p class="muted small">{tr(|l| td_string!(l, ticket_settings.opening_hint))}</p>
                <div class="opening-days">
                    {days.into_iter().enumerate().map(|(index, d)| {
                        let weekday = d.weekday;
                        view! {
                            <div class="opening-day" data-testid="opening-day" data-weekday=weekday>
                                <Checkbox label=Signal::derive(move || weekday_name(i18n.get_locale(), weekday).to_owned()) checked=d.open name="open" />
                                <Show when=move || d.open.get() fallback=|| view! { <span class="muted small">{tr(|l| td_string!(l, ticket_settings.closed))}</span> }>
                                    <Field label=label(|l| td_string!(l, ticket_settings.opens)) value=d.opens name="opens" input_type="time" error=error_at(failure, format!("opening_hours[{index}].opens")) />
                                    <Field label=label(|l| td_string!(l, ticket_settings.closes)) value=d.closes name="closes" input_type="time" error=error_at(failure, format!("opening_hours[{index}].closes")) />
                                </Show>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </div>
            <FormFailure failure />
            <div class="form-actions">
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-sla">{tr(|l| td_string!(l, common.save))}</button>
            </div>
        </form>
    }
}

/// The departments in their order: each renamed, moved or (de)activated in place; a new one
/// added below.
#[component]
fn Departments() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let version = RwSignal::new(0_u32);
    let departments = LocalResource::new(move || {
        version.track();
        async move {
            api::call(session, async |client| client.departments().await)
                .await
                .map(|mut list| {
                    list.sort_by_key(|d| d.position);
                    list
                })
        }
    });
    let code = RwSignal::new(String::new());
    let en = RwSignal::new(String::new());
    let pl = RwSignal::new(String::new());
    let ru = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let optional =
            |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let department = NewDepartment {
            code: code.get_untracked().trim().to_owned(),
            name: LocalizedName {
                en: en.get_untracked(),
                pl: optional(pl),
                ru: optional(ru),
            },
        };
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.create_department(&department).await
            })
            .await;
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(_) => {
                    failure.set(None);
                    for s in [code, en, pl, ru] {
                        s.set(String::new());
                    }
                    toasts.success(td_string!(locale, ticket_settings.department_added));
                    version.update(|v| *v += 1);
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    view! {
        <div class="panel" data-testid="departments">
            <h2>{tr(|l| td_string!(l, ticket_settings.departments))}</h2>
            <Loaded value=move || departments.get() let:list>
                <ul class="plain department-list">
                    {list.into_iter().map(|d| view! { <DepartmentRow department=d on_change=Callback::new(move |()| version.update(|v| *v += 1)) /> }).collect_view()}
                </ul>
            </Loaded>
            <details class="add-department">
                <summary>{tr(|l| td_string!(l, ticket_settings.add_department))}</summary>
                <form class="form grid-2" on:submit=submit novalidate data-testid="department-form">
                    <Field label=label(|l| td_string!(l, ticket_settings.code)) value=code name="code" required=true error=error_of(failure, "code") hint=label(|l| td_string!(l, ticket_settings.code_hint)) />
                    <Field label=Signal::derive(|| "English".to_owned()) value=en name="name_en" required=true error=error_of(failure, "name.en") />
                    <Field label=Signal::derive(|| "Polski".to_owned()) value=pl name="name_pl" error=error_of(failure, "name.pl") />
                    <Field label=Signal::derive(|| "Русский".to_owned()) value=ru name="name_ru" error=error_of(failure, "name.ru") />
                    <FormFailure failure />
                    <div class="form-actions"><button class="button-primary" type="submit" data-testid="save-department">{tr(|l| td_string!(l, common.create))}</button></div>
                </form>
            </details>
        </div>
    }
}

#[component]
fn DepartmentRow(department: DepartmentEntry, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let d = department.clone();
    let en = RwSignal::new(d.name.en.clone());
    let pl = RwSignal::new(d.name.pl.clone().unwrap_or_default());
    let ru = RwSignal::new(d.name.ru.clone().unwrap_or_default());
    let position = RwSignal::new(d.position.to_string());
    let failure = RwSignal::new(None::<Failure>);
    let code = d.code.clone();
    let save = move |active: bool| {
        let optional =
            |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let change = DepartmentChange {
            name: LocalizedName {
                en: en.get_untracked(),
                pl: optional(pl),
                ru: optional(ru),
            },
            active,
            position: position
                .get_untracked()
                .trim()
                .parse()
                .unwrap_or(department.position),
        };
        let code = code.clone();
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.update_department(&code, &change).await
            })
            .await;
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(_) => {
                    failure.set(None);
                    editing.set(false);
                    confirming.set(false);
                    toasts.success(td_string!(locale, ticket_settings.department_saved));
                    on_change.run(());
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    let save = StoredValue::new(save);
    let active = d.active;
    let name = d.name.clone();
    view! {
        <li class="department" class:inactive=!active data-testid="department" data-code=d.code.clone()>
            <div class="department-head">
                <div>
                    <strong>{move || name.get(crate::time::language(i18n.get_locale())).to_owned()}</strong>
                    " " <span class="mono muted small">{d.code.clone()}</span>
                    {(!active).then(|| view! { " " <span class="badge badge-closed">{tr(|l| td_string!(l, ticket_settings.inactive))}</span> })}
                </div>
                <div class="row">
                    <button type="button" class="button-small" aria-expanded=move || editing.get().to_string() data-testid="rename-department" on:click=move |_| editing.update(|e| *e = !*e)>{tr(|l| td_string!(l, ticket_settings.rename))}</button>
                    {if active {
                        view! { <button type="button" class="button-small button-danger" aria-expanded=move || confirming.get().to_string() data-testid="deactivate-department" on:click=move |_| confirming.update(|c| *c = !*c)>{tr(|l| td_string!(l, ticket_settings.deactivate))}</button> }.into_any()
                    } else {
                        view! { <button type="button" class="button-small" data-testid="activate-department" on:click=move |_| save.with_value(|s| s(true))>{tr(|l| td_string!(l, ticket_settings.activate))}</button> }.into_any()
                    }}
                </div>
            </div>
            <Show when=move || confirming.get()>
                <div class="action-form">
                    <p class="warning" role="alert" data-testid="deactivate-effect">{tr(|l| td_string!(l, ticket_settings.deactivate_effect))}</p>
                    <div class="form-actions">
                        <button type="button" class="button-quiet" on:click=move |_| confirming.set(false)>{tr(|l| td_string!(l, common.cancel))}</button>
                        <button type="button" class="button-primary" data-testid="confirm-deactivate" on:click=move |_| save.with_value(|s| s(false))>{tr(|l| td_string!(l, ticket_settings.confirm_deactivate))}</button>
                    </div>
                </div>
            </Show>
            <Show when=move || editing.get()>
                <form class="form action-form grid-2" on:submit=move |ev| { ev.prevent_default(); save.with_value(|s| s(active)); } novalidate data-testid="rename-form">
                    <Field label=Signal::derive(|| "English".to_owned()) value=en name="name_en" required=true error=error_of(failure, "name.en") />
                    <Field label=Signal::derive(|| "Polski".to_owned()) value=pl name="name_pl" error=error_of(failure, "name.pl") />
                    <Field label=Signal::derive(|| "Русский".to_owned()) value=ru name="name_ru" error=error_of(failure, "name.ru") />
                    <Field label=label(|l| td_string!(l, ticket_settings.position)) value=position name="position" input_type="number" error=error_of(failure, "position") />
                    <FormFailure failure />
                    <div class="form-actions"><button class="button-primary" type="submit" data-testid="save-rename">{tr(|l| td_string!(l, common.save))}</button></div>
                </form>
            </Show>
        </li>
    }
}
