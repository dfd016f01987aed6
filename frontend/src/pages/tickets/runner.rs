//! `/customers/:id/diagnose`: a diagnostic script walked with the customer on the line
//! . The fault's category first, then its script; each question with big answer
//! buttons, each instruction with "done", the path so far with the checks the system made by
//! itself; at the end what was settled, or a ticket to open prefilled from the outcome. The
//! walk is kept in the address (`?run=`), so a reload goes on where it was.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use okno_api_types::ErrorCode;
use okno_api_types::customers::Customer;
use okno_api_types::tickets::{
    PathStep, ScriptOutcome, ScriptRun, ScriptStep, ScriptStepInput, ScriptSummary, StartScriptRun,
    TicketCategory, TicketPriority,
};

use super::card::OutageBanner;
use super::new::{Prefill, TicketForm};
use super::parts::ScriptPath;
use crate::api::{self, Failure};
use crate::components::latest::Latest;
use crate::components::status::{FailureNote, Loaded, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;

#[component]
pub fn ScriptRunner() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let query_map = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let customer_id = params
        .with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()))
        .unwrap_or(0);
    let customer = RwSignal::new(None::<Result<Customer, Failure>>);
    leptos::task::spawn_local(async move {
        customer.set(Some(
            api::call(session, async |client| client.customer(customer_id).await).await,
        ));
    });
    let run_id =
        Memo::new(move |_| query_map.with(|q| q.get("run").and_then(|r| r.parse::<i64>().ok())));
    let run = RwSignal::new(None::<Result<ScriptRun, Failure>>);
    let latest = Latest::new();
    Effect::new(move |_| {
        let Some(id) = run_id.get() else {
            run.set(None);
            return;
        };
        if run.with_untracked(|r| matches!(r, Some(Ok(current)) if current.id == id)) {
            return;
        }
        latest.spawn(
            api::call(session, async move |client| client.script_run(id).await),
            move |result| run.set(Some(result)),
        );
    });
    let started = Callback::new(move |started: ScriptRun| {
        let id = started.id;
        run.set(Some(Ok(started)));
        navigate.with_value(|n| {
            n(
                &format!("/customers/{customer_id}/diagnose?run={id}"),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        });
    });
    view! {
        <section class="page" data-testid="script-runner">
            <OutageBanner customer_id />
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, runner.title))}</h1>
                    <Loaded value=move || customer.get() let:c>
                        <p class="lead" data-testid="runner-customer">
                            <A href=format!("/customers/{}", c.id)>{c.display_name.clone()}</A>
                            " · " <span class="mono">{c.account_number.clone()}</span>
                        </p>
                    </Loaded>
                </div>
                <A href=format!("/customers/{customer_id}") attr:class="button">{tr(|l| td_string!(l, runner.back_to_card))}</A>
            </div>
            {move || match (run_id.get(), run.get()) {
                (None, _) => view! { <ChooseScript customer_id on_start=started /> }.into_any(),
                (Some(_), None) => view! { <Loading /> }.into_any(),
                (Some(_), Some(Err(failure))) => view! { <FailureNote failure /> }.into_any(),
                (Some(_), Some(Ok(walk))) => view! { <Walk run=walk customer_id on_step=Callback::new(move |next: ScriptRun| run.set(Some(Ok(next)))) /> }.into_any(),
            }}
        </section>
    }
}

/// The fault's category, then the script for it (the others below).
#[component]
fn ChooseScript(customer_id: i64, on_start: Callback<ScriptRun>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let scripts = LocalResource::new(move || async move {
        api::call(session, async |client| client.scripts().await)
            .await
            .map(|list| list.into_iter().filter(|s| s.active).collect::<Vec<_>>())
    });
    let category = RwSignal::new(None::<TicketCategory>);
    let busy = RwSignal::new(false);
    let start = move |script_id: i64| {
        busy.set(true);
        let request = StartScriptRun {
            script_id,
            interaction_id: None,
        };
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.start_script_run(customer_id, &request).await
            })
            .await;
            busy.set(false);
            match result {
                Ok(run) => on_start.run(run),
                Err(failure) => toasts.failure(i18n.get_locale_untracked(), &failure),
            }
        });
    };
    let script_button = move |s: ScriptSummary| {
        let (id, name, version) = (s.id, s.name.clone(), s.version);
        view! {
            <li>
                <button type="button" class="answer-button" disabled=move || busy.get() data-testid="start-script" data-script=id on:click=move |_| start(id)>
                    <span>{name}</span>
                    <span class="muted small">{move || t_string!(i18n, scripts.version_n, version = version).to_string()}</span>
                </button>
            </li>
        }
    };
    view! {
        <div class="panel" data-testid="choose-category">
            <h2>{tr(|l| td_string!(l, runner.what_fault))}</h2>
            <div class="answers" role="group" aria-label=move || t_string!(i18n, runner.what_fault)>
                {TicketCategory::all().map(|c| view! {
                    <button
                        type="button"
                        class="answer-button"
                        class:answer-chosen=move || category.get() == Some(c)
                        aria-pressed=move || (category.get() == Some(c)).to_string()
                        data-testid="fault-category"
                        data-category=c.as_str()
                        on:click=move |_| category.set(Some(c))
                    >
                        {move || labels::ticket_category(i18n.get_locale(), c)}
                    </button>
                }).collect_view()}
            </div>
        </div>
        <Show when=move || category.get().is_some()>
            <div class="panel" data-testid="choose-script">
                <h2>{tr(|l| td_string!(l, runner.which_script))}</h2>
                <Loaded value=move || scripts.get() let:list>
                    {
                        let chosen = category.get();
                        let (matching, others): (Vec<_>, Vec<_>) = list.into_iter().partition(|s| s.category == chosen);
                        view! {
                            {if matching.is_empty() {
                                view! { <p class="muted" data-testid="no-script">{tr(|l| td_string!(l, runner.no_script_for_category))}</p> }.into_any()
                            } else {
                                view! { <ul class="plain script-choices">{matching.into_iter().map(script_button).collect_view()}</ul> }.into_any()
                            }}
                            {(!others.is_empty()).then(|| view! {
                                <details class="other-scripts">
                                    <summary>{tr(|l| td_string!(l, runner.other_scripts))}</summary>
                                    <ul class="plain script-choices">{others.into_iter().map(script_button).collect_view()}</ul>
                                </details>
                            })}
                        }
                    }
                </Loaded>
            </div>
        </Show>
    }
}

/// The path of a walk as a ticket's description starts: each step and its answer.
pub fn path_summary(locale: Locale, path: &[PathStep]) -> String {
    path.iter()
        .map(|step| {
            let prompt = step
                .prompt
                .parse::<okno_api_types::tickets::ScriptCheck>()
                .ok()
                .filter(|_| step.automatic)
                .map_or_else(
                    || step.prompt.clone(),
                    |c| labels::script_check(locale, c).to_owned(),
                );
            let answer = match (step.automatic, step.answer.as_deref()) {
                (true, Some("yes")) => td_string!(locale, runner.yes).to_owned(),
                (true, Some("no")) => td_string!(locale, runner.no).to_owned(),
                (false, Some("done")) => td_string!(locale, runner.done).to_owned(),
                (_, Some(other)) => other.to_owned(),
                (_, None) => String::new(),
            };
            format!("{prompt} → {answer}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A walk under way or finished.
#[component]
fn Walk(run: ScriptRun, customer_id: i64, on_step: Callback<ScriptRun>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let id = run.id;
    let step = move |answer: Option<u32>| {
        busy.set(true);
        let input = ScriptStepInput { answer };
        leptos::task::spawn_local(async move {
            let result =
                api::call(session, async |client| client.script_step(id, &input).await).await;
            busy.set(false);
            match result {
                Ok(next) => on_step.run(next),
                Err(failure) => {
                    toasts.failure(i18n.get_locale_untracked(), &failure);
                    // Finished meanwhile (another tab): show where it stands.
                    if failure.code() == Some(ErrorCode::ScriptRunFinished)
                        && let Ok(fresh) =
                            api::call(session, async |client| client.script_run(id).await).await
                    {
                        on_step.run(fresh);
                    }
                }
            }
        });
    };
    let (name, version) = (run.script_name.clone(), run.version);
    let current = run.current.clone().map(|node| match node.step {
        ScriptStep::Question { text, answers } => view! {
            <div class="panel script-current" data-testid="script-question" data-node=node.id.clone()>
                <p class="script-text">{text}</p>
                <div class="answers">
                    {answers.into_iter().enumerate().map(|(index, answer)| {
                        let index = u32::try_from(index).unwrap_or(0);
                        view! {
                            <button type="button" class="answer-button" disabled=move || busy.get() data-testid="answer" on:click=move |_| step(Some(index))>
                                {answer.label.clone()}
                            </button>
                        }
                    }).collect_view()}
                </div>
            </div>
        }
        .into_any(),
        ScriptStep::Instruction { text, .. } => view! {
            <div class="panel script-current" data-testid="script-instruction" data-node=node.id.clone()>
                <p class="script-text">{text}</p>
                <div class="answers">
                    <button type="button" class="answer-button" disabled=move || busy.get() data-testid="instruction-done" on:click=move |_| step(None)>
                        {tr(|l| td_string!(l, runner.done_go_on))}
                    </button>
                </div>
            </div>
        }
        .into_any(),
        // Checks and leaves never wait for the operator.
        _ => ().into_any(),
    });
    let outcome = run
        .outcome
        .clone()
        .map(|outcome| view! { <Outcome run=run.clone() outcome customer_id /> });
    view! {
        <p class="muted small" data-testid="walk-script">{move || t_string!(i18n, runner.script_version, name = name.clone(), version = version).to_string()}</p>
        {current}
        {outcome}
        <div class="panel">
            <h2>{tr(|l| td_string!(l, runner.path_so_far))}</h2>
            {if run.path.is_empty() {
                view! { <p class="muted small">{tr(|l| td_string!(l, runner.path_empty))}</p> }.into_any()
            } else {
                view! { <ScriptPath path=run.path.clone() /> }.into_any()
            }}
        </div>
    }
}

/// Where the walk ended: what was settled, or the ticket it calls for, prefilled.
#[component]
fn Outcome(run: ScriptRun, outcome: ScriptOutcome, customer_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let description = path_summary(locale, &run.path);
    let (prefill, lead): (Option<Prefill>, fn(Locale) -> &'static str) = match &outcome {
        ScriptOutcome::Solved { .. } => (None, |l| td_string!(l, runner.solved)),
        ScriptOutcome::OpenTicket {
            department,
            priority,
            category,
        } => (
            Some(Prefill {
                category: Some(*category),
                priority: Some(*priority),
                department: Some(department.clone()),
                title: labels::ticket_category(locale, *category).to_owned(),
                description,
                script_run_id: Some(run.id),
            }),
            |l| td_string!(l, runner.needs_ticket),
        ),
        ScriptOutcome::SuspectedOutage { category } => (
            Some(Prefill {
                category: Some(*category),
                priority: Some(TicketPriority::High),
                department: None,
                title: td_string!(
                    locale,
                    runner.suspected_title,
                    category = labels::ticket_category(locale, *category)
                )
                .to_string(),
                description,
                script_run_id: Some(run.id),
            }),
            |l| td_string!(l, runner.suspected_outage),
        ),
    };
    let solved_text = match &outcome {
        ScriptOutcome::Solved { text } => Some(text.clone()),
        _ => None,
    };
    let solved = solved_text.is_some();
    let kind = match &outcome {
        ScriptOutcome::Solved { .. } => "solved",
        ScriptOutcome::OpenTicket { .. } => "open_ticket",
        ScriptOutcome::SuspectedOutage { .. } => "suspected_outage",
    };
    view! {
        <div class="panel outcome" class:outcome-solved=solved data-testid="script-outcome" data-outcome=kind>
            <h2>{tr(|l| td_string!(l, runner.outcome))}</h2>
            <p class="script-text">{tr(lead)}</p>
            {solved_text.map(|t| view! { <p class="prewrap" data-testid="solved-text">{t}</p> })}
            {match (run.ticket_id, prefill) {
                (Some(ticket), _) => view! {
                    <p><A href=format!("/tickets/{ticket}") attr:data-testid="run-ticket">{tr(|l| td_string!(l, runner.ticket_opened))}</A></p>
                }.into_any(),
                (None, Some(prefill)) => view! { <TicketForm customer_id prefill /> }.into_any(),
                (None, None) => view! {
                    <p><A href=format!("/customers/{customer_id}") attr:class="button">{tr(|l| td_string!(l, runner.back_to_card))}</A></p>
                }.into_any(),
            }}
        </div>
    }
}
