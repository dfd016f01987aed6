//! Diagnostic scripts: `/scripts` lists them; `/scripts/new` and `/scripts/:id` edit
//! one — its name, the faults it is for, the node it starts at, and its nodes: each an id and
//! what it does (a question with answers leading on, an instruction, a check the system makes
//! by itself, or a leaf: settled, a ticket for a department, a suspected outage). Saving makes
//! a new version (walks already recorded keep theirs); what the server refuses is shown at
//! the node and field it names (`body.nodes[3].step.answers[1].next`), the first one focused.

use std::sync::atomic::{AtomicU64, Ordering};

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use okno_api_types::Permission;
use okno_api_types::tickets::{
    Script, ScriptAnswer, ScriptBody, ScriptCheck, ScriptInput, ScriptNode, ScriptStep,
    TicketCategory, TicketPriority,
};

use super::parts::{department_options, load_departments};
use crate::api::{self, Failure};
use crate::components::forms::{Checkbox, Field, Select, TextArea, enum_options, error_at};
use crate::components::status::{FailureNote, FormFailure, LoadedList, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::session::use_session;
use crate::time;

#[component]
pub fn ScriptsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let scripts = LocalResource::new(move || async move {
        api::call(session, async |client| client.scripts().await).await
    });
    view! {
        <section class="page" data-testid="scripts">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, scripts.title))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, scripts.lead))}</p>
                </div>
                <Show when=move || session.has(Permission::TicketSettingsManage)>
                    <A href="/scripts/new" attr:class="button-primary" attr:data-testid="new-script">{tr(|l| td_string!(l, scripts.new_script))}</A>
                </Show>
            </div>
            <LoadedList value=move || scripts.get() empty=|l| td_string!(l, scripts.none) let:list>
                <div class="table-wrap">
                    <table class="table" data-testid="script-table">
                        <thead>
                            <tr>
                                <th>{tr(|l| td_string!(l, scripts.name))}</th>
                                <th>{tr(|l| td_string!(l, scripts.category))}</th>
                                <th>{tr(|l| td_string!(l, scripts.version))}</th>
                                <th class="hide-narrow">{tr(|l| td_string!(l, scripts.updated))}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|s| {
                                let (category, updated, active) = (s.category, s.updated_at, s.active);
                                view! {
                                    <tr class:inactive=!active data-testid="script-row">
                                        <td>
                                            <A href=format!("/scripts/{}", s.id)>{s.name.clone()}</A>
                                            {(!active).then(|| view! { " " <span class="badge badge-closed">{tr(|l| td_string!(l, scripts.inactive))}</span> })}
                                        </td>
                                        <td>{move || category.map(|c| labels::ticket_category(i18n.get_locale(), c)).unwrap_or("—")}</td>
                                        <td class="num">{s.version}</td>
                                        <td class="hide-narrow">{move || time::date_time(updated, i18n.get_locale())} <span class="muted small">" · " {s.updated_by.clone()}</span></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </LoadedList>
        </section>
    }
}

static NEXT_KEY: AtomicU64 = AtomicU64::new(0);

fn key() -> u64 {
    NEXT_KEY.fetch_add(1, Ordering::Relaxed)
}

/// The kinds of node, as the wire names them.
const KINDS: [&str; 6] = [
    "question",
    "instruction",
    "check",
    "solved",
    "open_ticket",
    "suspected_outage",
];

fn kind_name(locale: Locale, kind: &str) -> &'static str {
    match kind {
        "question" => td_string!(locale, scripts.kind_question),
        "instruction" => td_string!(locale, scripts.kind_instruction),
        "check" => td_string!(locale, scripts.kind_check),
        "solved" => td_string!(locale, scripts.kind_solved),
        "open_ticket" => td_string!(locale, scripts.kind_open_ticket),
        _ => td_string!(locale, scripts.kind_suspected_outage),
    }
}

#[derive(Debug, Clone, Copy)]
struct AnswerDraft {
    key: u64,
    label: RwSignal<String>,
    next: RwSignal<String>,
}

impl AnswerDraft {
    fn new(label: &str, next: &str) -> Self {
        Self {
            key: key(),
            label: RwSignal::new(label.to_owned()),
            next: RwSignal::new(next.to_owned()),
        }
    }
}

/// A node as it is being edited: every kind's fields are kept, so switching the kind back
/// and forth loses nothing.
#[derive(Debug, Clone, Copy)]
struct NodeDraft {
    key: u64,
    id: RwSignal<String>,
    kind: RwSignal<String>,
    text: RwSignal<String>,
    answers: RwSignal<Vec<AnswerDraft>>,
    next: RwSignal<String>,
    check: RwSignal<String>,
    if_yes: RwSignal<String>,
    if_no: RwSignal<String>,
    department: RwSignal<String>,
    priority: RwSignal<String>,
    category: RwSignal<String>,
}

impl NodeDraft {
    fn blank(id: &str, kind: &str) -> Self {
        Self {
            key: key(),
            id: RwSignal::new(id.to_owned()),
            kind: RwSignal::new(kind.to_owned()),
            text: RwSignal::new(String::new()),
            answers: RwSignal::new(vec![AnswerDraft::new("", ""), AnswerDraft::new("", "")]),
            next: RwSignal::new(String::new()),
            check: RwSignal::new(ScriptCheck::ServiceSuspendedForDebt.as_str().to_owned()),
            if_yes: RwSignal::new(String::new()),
            if_no: RwSignal::new(String::new()),
            department: RwSignal::new(super::new::FIRST_LINE.to_owned()),
            priority: RwSignal::new(TicketPriority::Normal.as_str().to_owned()),
            category: RwSignal::new(TicketCategory::NoConnection.as_str().to_owned()),
        }
    }

    fn from_node(node: &ScriptNode) -> Self {
        let draft = Self::blank(&node.id, "question");
        let set = |s: RwSignal<String>, v: &str| s.set(v.to_owned());
        match &node.step {
            ScriptStep::Question { text, answers } => {
                set(draft.text, text);
                draft.answers.set(
                    answers
                        .iter()
                        .map(|a| AnswerDraft::new(&a.label, &a.next))
                        .collect(),
                );
            }
            ScriptStep::Instruction { text, next } => {
                set(draft.kind, "instruction");
                set(draft.text, text);
                set(draft.next, next);
            }
            ScriptStep::Check {
                check,
                if_yes,
                if_no,
            } => {
                set(draft.kind, "check");
                set(draft.check, check.as_str());
                set(draft.if_yes, if_yes);
                set(draft.if_no, if_no);
            }
            ScriptStep::Solved { text } => {
                set(draft.kind, "solved");
                set(draft.text, text);
            }
            ScriptStep::OpenTicket {
                department,
                priority,
                category,
            } => {
                set(draft.kind, "open_ticket");
                set(draft.department, department);
                set(draft.priority, priority.as_str());
                set(draft.category, category.as_str());
            }
            ScriptStep::SuspectedOutage { category } => {
                set(draft.kind, "suspected_outage");
                set(draft.category, category.as_str());
            }
        }
        draft
    }

    fn to_node(self) -> ScriptNode {
        let text = self.text.get_untracked();
        let step = match self.kind.get_untracked().as_str() {
            "instruction" => ScriptStep::Instruction {
                text,
                next: self.next.get_untracked(),
            },
            "check" => ScriptStep::Check {
                check: self
                    .check
                    .get_untracked()
                    .parse()
                    .unwrap_or(ScriptCheck::ServiceSuspendedForDebt),
                if_yes: self.if_yes.get_untracked(),
                if_no: self.if_no.get_untracked(),
            },
            "solved" => ScriptStep::Solved { text },
            "open_ticket" => ScriptStep::OpenTicket {
                department: self.department.get_untracked(),
                priority: self
                    .priority
                    .get_untracked()
                    .parse()
                    .unwrap_or(TicketPriority::Normal),
                category: self
                    .category
                    .get_untracked()
                    .parse()
                    .unwrap_or(TicketCategory::Other),
            },
            "suspected_outage" => ScriptStep::SuspectedOutage {
                category: self
                    .category
                    .get_untracked()
                    .parse()
                    .unwrap_or(TicketCategory::Other),
            },
            _ => ScriptStep::Question {
                text,
                answers: self
                    .answers
                    .get_untracked()
                    .into_iter()
                    .map(|a| ScriptAnswer {
                        label: a.label.get_untracked(),
                        next: a.next.get_untracked(),
                    })
                    .collect(),
            },
        };
        ScriptNode {
            id: self.id.get_untracked().trim().to_owned(),
            step,
        }
    }
}

/// A field of the editor in words, from the path the server names: `Node 4 (lights),
/// answer 2: next node`.
fn describe_path(locale: Locale, path: &str, ids: &[String]) -> String {
    let rest = path.strip_prefix("body.").unwrap_or(path);
    let field = |name: &str| -> String {
        match name {
            "name" => td_string!(locale, scripts.name).to_owned(),
            "category" => td_string!(locale, scripts.category).to_owned(),
            "start" => td_string!(locale, scripts.start).to_owned(),
            "nodes" => td_string!(locale, scripts.nodes).to_owned(),
            "id" => td_string!(locale, scripts.node_id).to_owned(),
            "step.text" => td_string!(locale, scripts.text).to_owned(),
            "step.next" | "next" => td_string!(locale, scripts.next).to_owned(),
            "step.if_yes" => td_string!(locale, scripts.if_yes).to_owned(),
            "step.if_no" => td_string!(locale, scripts.if_no).to_owned(),
            "step.check" => td_string!(locale, scripts.check).to_owned(),
            "step.department" => td_string!(locale, tickets.department).to_owned(),
            "step.priority" => td_string!(locale, tickets.priority).to_owned(),
            "step.category" => td_string!(locale, tickets.category).to_owned(),
            "step.answers" => td_string!(locale, scripts.answers).to_owned(),
            "label" => td_string!(locale, scripts.answer_label).to_owned(),
            other => other.to_owned(),
        }
    };
    let Some(node_part) = rest.strip_prefix("nodes[") else {
        return field(rest);
    };
    let Some((index, after)) = node_part.split_once(']') else {
        return path.to_owned();
    };
    let Ok(index) = index.parse::<usize>() else {
        return path.to_owned();
    };
    let id = ids.get(index).cloned().unwrap_or_default();
    let node = td_string!(locale, scripts.node_n, n = index + 1, id = id).to_string();
    let after = after.strip_prefix('.').unwrap_or(after);
    if after.is_empty() {
        return node;
    }
    if let Some(answer) = after.strip_prefix("step.answers[")
        && let Some((j, what)) = answer.split_once(']')
        && let Ok(j) = j.parse::<usize>()
    {
        let what = what.strip_prefix('.').unwrap_or(what);
        return format!(
            "{node}, {}: {}",
            td_string!(locale, scripts.answer_n, n = j + 1),
            field(what)
        );
    }
    format!("{node}: {}", field(after))
}

/// Moves the focus to the field at `path`.
fn focus_path(path: &str) {
    use wasm_bindgen::JsCast;
    let selector = format!(
        "[data-path=\"{path}\"] input, [data-path=\"{path}\"] select, [data-path=\"{path}\"] textarea"
    );
    if let Ok(Some(element)) = document().query_selector(&selector)
        && let Ok(element) = element.dyn_into::<web_sys::HtmlElement>()
    {
        element.scroll_into_view();
        let _ = element.focus();
    }
}

#[component]
pub fn ScriptPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let script = RwSignal::new(None::<Result<Option<Script>, Failure>>);
    match id {
        None => script.set(Some(Ok(None))),
        Some(id) => leptos::task::spawn_local(async move {
            script.set(Some(
                api::call(session, async |client| client.script(id).await)
                    .await
                    .map(Some),
            ));
        }),
    }
    move || match script.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(failure)) => view! { <FailureNote failure /> }.into_any(),
        Some(Ok(script)) => view! { <ScriptEditor script /> }.into_any(),
    }
}

#[component]
fn ScriptEditor(script: Option<Script>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let may_edit = session.has(Permission::TicketSettingsManage);
    let departments = load_departments();
    let department_choices = department_options(departments, None);
    let id = RwSignal::new(script.as_ref().map(|s| s.summary.id));
    let version = RwSignal::new(script.as_ref().map(|s| s.summary.version));
    let updated = RwSignal::new(
        script
            .as_ref()
            .map(|s| (s.summary.updated_at, s.summary.updated_by.clone())),
    );
    let name = RwSignal::new(
        script
            .as_ref()
            .map(|s| s.summary.name.clone())
            .unwrap_or_default(),
    );
    let category = RwSignal::new(
        script
            .as_ref()
            .and_then(|s| s.summary.category)
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
    );
    let active = RwSignal::new(script.as_ref().is_none_or(|s| s.summary.active));
    let start = RwSignal::new(
        script
            .as_ref()
            .map(|s| s.body.start.clone())
            .unwrap_or_else(|| "start".to_owned()),
    );
    let nodes = RwSignal::new(match &script {
        Some(s) => s
            .body
            .nodes
            .iter()
            .map(NodeDraft::from_node)
            .collect::<Vec<_>>(),
        None => vec![NodeDraft::blank("start", "question")],
    });
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let ids = Signal::derive(move || {
        nodes.with(|list| list.iter().map(|n| n.id.get()).collect::<Vec<_>>())
    });
    let node_options = Signal::derive(move || {
        std::iter::once((
            String::new(),
            t_string!(i18n, scripts.choose_node).to_owned(),
        ))
        .chain(
            ids.get()
                .into_iter()
                .filter(|id| !id.trim().is_empty())
                .map(|id| (id.clone(), id)),
        )
        .collect::<Vec<_>>()
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !may_edit {
            return;
        }
        let input = ScriptInput {
            name: name.get_untracked().trim().to_owned(),
            category: category.get_untracked().parse().ok(),
            active: Some(active.get_untracked()),
            body: ScriptBody {
                start: start.get_untracked(),
                nodes: nodes
                    .get_untracked()
                    .into_iter()
                    .map(NodeDraft::to_node)
                    .collect(),
            },
        };
        let existing = id.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| match existing {
                Some(id) => client.update_script(id, &input).await,
                None => client.create_script(&input).await,
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(saved) => {
                    failure.set(None);
                    toasts.success(
                        td_string!(locale, scripts.saved, version = saved.summary.version)
                            .to_string(),
                    );
                    version.set(Some(saved.summary.version));
                    updated.set(Some((
                        saved.summary.updated_at,
                        saved.summary.updated_by.clone(),
                    )));
                    if existing.is_none() {
                        id.set(Some(saved.summary.id));
                        navigate.try_with_value(|n| {
                            n(
                                &format!("/scripts/{}", saved.summary.id),
                                Default::default(),
                            )
                        });
                    }
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    // What the server refused, each named by its node and field, a link to it.
    let summary = move || {
        let locale = i18n.get_locale();
        let ids = ids.get();
        failure.with(|f| {
            f.as_ref()
                .and_then(|f| f.problem())
                .map(|p| {
                    p.errors
                        .iter()
                        .map(|e| {
                            (
                                e.field.clone(),
                                describe_path(locale, &e.field, &ids),
                                labels::field_error(locale, e),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let add = move |_| {
        nodes.update(|list| {
            list.push(NodeDraft::blank(
                &format!("node{}", list.len() + 1),
                "question",
            ))
        })
    };
    let is_new = script.is_none();
    view! {
        <section class="page" data-testid="script-editor">
            <p class="small"><A href="/scripts">{tr(|l| td_string!(l, scripts.back))}</A></p>
            <div class="page-head">
                <div>
                    <h1>{move || if is_new { t_string!(i18n, scripts.new_script).to_owned() } else { name.get() }}</h1>
                    <p class="card-facts">
                        {move || version.get().map(|v| view! { <span class="badge badge-prospect" data-testid="script-version">{move || t_string!(i18n, scripts.version_n, version = v).to_string()}</span> })}
                        {move || updated.get().map(|(at, by)| view! { <span class="muted small">{move || t_string!(i18n, scripts.changed_by, at = time::date_time(at, i18n.get_locale()), name = by.clone()).to_string()}</span> })}
                    </p>
                </div>
            </div>
            <form class="form" on:submit=submit novalidate data-testid="script-form">
                <fieldset class="fieldset-plain" disabled=!may_edit>
                    <Show when=move || !summary().is_empty()>
                        <div class="error-summary" role="alert" data-testid="error-summary">
                            <h2>{tr(|l| td_string!(l, forms.problem))}</h2>
                            <ul>
                                {move || summary().into_iter().map(|(path, place, error)| view! {
                                    <li><a href="#" on:click=move |ev| { ev.prevent_default(); focus_path(&path); }>{format!("{place}: {error}")}</a></li>
                                }).collect_view()}
                            </ul>
                        </div>
                    </Show>
                    <div class="panel">
                        <div class="grid-3">
                            <Field label=label(|l| td_string!(l, scripts.name)) value=name name="name" required=true error=error_at(failure, "name".into()) attr:data-path="name" />
                            <Select label=label(|l| td_string!(l, scripts.category)) value=category name="category" options=Signal::derive(move || {
                                let l = i18n.get_locale();
                                std::iter::once((String::new(), t_string!(i18n, scripts.any_category).to_owned()))
                                    .chain(TicketCategory::all().map(|c| (c.as_str().to_owned(), labels::ticket_category(l, c).to_owned())))
                                    .collect::<Vec<_>>()
                            }) error=error_at(failure, "category".into()) attr:data-path="category" />
                            <Select label=label(|l| td_string!(l, scripts.start)) value=start name="start" options=node_options error=error_at(failure, "body.start".into()) attr:data-path="body.start" />
                        </div>
                        <Checkbox label=label(|l| td_string!(l, scripts.active)) checked=active name="active" />
                    </div>
                    {move || error_at(failure, "body.nodes".into()).get().map(|e| view! { <p class="failure" role="alert" data-testid="nodes-error">{e}</p> })}
                    <ol class="script-nodes">
                        {move || nodes.get().into_iter().enumerate().map(|(index, node)| {
                            let count = nodes.with_untracked(Vec::len);
                            view! { <NodeEditor index count node nodes failure node_options department_choices /> }
                        }).collect_view()}
                    </ol>
                    <div class="row">
                        <button type="button" class="button" on:click=add data-testid="add-node">{tr(|l| td_string!(l, scripts.add_node))}</button>
                    </div>
                    <FormFailure failure />
                    <div class="form-actions">
                        <p class="field-hint total">{move || match version.get() {
                            Some(v) => t_string!(i18n, scripts.new_version_hint, version = v + 1).to_string(),
                            None => t_string!(i18n, scripts.first_version_hint).to_owned(),
                        }}</p>
                        {may_edit.then(|| view! {
                            <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-script">
                                {move || if version.get().is_some() { t_string!(i18n, scripts.save_version) } else { t_string!(i18n, common.create) }}
                            </button>
                        })}
                    </div>
                </fieldset>
            </form>
        </section>
    }
}

/// One node: its id and kind, and the fields of its kind.
#[component]
fn NodeEditor(
    index: usize,
    count: usize,
    node: NodeDraft,
    nodes: RwSignal<Vec<NodeDraft>>,
    failure: RwSignal<Option<Failure>>,
    node_options: Signal<Vec<(String, String)>>,
    department_choices: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let at = move |rest: &str| format!("body.nodes[{index}].{rest}");
    let error = move |rest: &str| error_at(failure, at(rest));
    let kind_options = Signal::derive(move || {
        let l = i18n.get_locale();
        KINDS
            .iter()
            .map(|k| ((*k).to_owned(), kind_name(l, k).to_owned()))
            .collect::<Vec<_>>()
    });
    let kind = node.kind;
    let is = move |k: &'static str| move || kind.get() == k;
    let swap = move |to: usize| nodes.update(|list| list.swap(index, to));
    let remove = move |_| {
        nodes.update(|list| {
            list.retain(|n| n.key != node.key);
        })
    };
    let next_select = move |rest: &'static str,
                            value: RwSignal<String>,
                            text: fn(Locale) -> &'static str| {
        let path = at(rest);
        view! { <Select label=label(text) value options=node_options error=error_at(failure, path.clone()) attr:data-path=path /> }
    };
    view! {
        <li class="panel script-node" data-testid="script-node" data-index=index>
            <div class="panel-head">
                <h2>{move || t_string!(i18n, scripts.node_n, n = index + 1, id = node.id.get()).to_string()}</h2>
                <div class="row">
                    <button type="button" class="button-small" disabled={index == 0} on:click=move |_| swap(index.saturating_sub(1)) aria-label=move || t_string!(i18n, scripts.move_up)>"↑"</button>
                    <button type="button" class="button-small" disabled={index + 1 >= count} on:click=move |_| swap(index + 1) aria-label=move || t_string!(i18n, scripts.move_down)>"↓"</button>
                    <button type="button" class="button-small button-danger" disabled={count <= 1} on:click=remove data-testid="remove-node">{tr(|l| td_string!(l, common.remove))}</button>
                </div>
            </div>
            <div class="grid-2">
                <Field label=label(|l| td_string!(l, scripts.node_id)) value=node.id name="node_id" required=true error=error("id") attr:data-path=at("id") hint=label(|l| td_string!(l, scripts.node_id_hint)) />
                <Select label=label(|l| td_string!(l, scripts.kind)) value=kind options=kind_options name="kind" attr:data-path=at("step.kind") />
            </div>
            <Show when=move || matches!(kind.get().as_str(), "question" | "instruction" | "solved")>
                <TextArea label=label(|l| td_string!(l, scripts.text)) value=node.text name="node_text" required=true error=error("step.text") attr:data-path=at("step.text") />
            </Show>
            <Show when=is("question")>
                <fieldset class="answers-edit">
                    <legend>{tr(|l| td_string!(l, scripts.answers))}</legend>
                    {move || error("step.answers").get().map(|e| view! { <p class="field-error">{e}</p> })}
                    {move || node.answers.get().into_iter().enumerate().map(|(j, answer)| {
                        let label_path = at(&format!("step.answers[{j}].label"));
                        let next_path = at(&format!("step.answers[{j}].next"));
                        let answers = node.answers;
                        view! {
                            <div class="answer-row" data-testid="answer-edit">
                                <Field label=Signal::derive(move || t_string!(i18n, scripts.answer_n, n = j + 1).to_string()) value=answer.label name="answer_label" required=true error=error_at(failure, label_path.clone()) attr:data-path=label_path />
                                <Select label=label(|l| td_string!(l, scripts.next)) value=answer.next options=node_options name="answer_next" error=error_at(failure, next_path.clone()) attr:data-path=next_path />
                                <button type="button" class="button-small button-danger" disabled={move || answers.with(Vec::len) <= 1} on:click=move |_| answers.update(|list| list.retain(|a| a.key != answer.key))>
                                    {tr(|l| td_string!(l, common.remove))}
                                </button>
                            </div>
                        }
                    }).collect_view()}
                    <button type="button" class="button-small" data-testid="add-answer" disabled={move || node.answers.with(Vec::len) >= okno_domain::tickets::scripts::MAX_ANSWERS} on:click=move |_| node.answers.update(|list| list.push(AnswerDraft::new("", "")))>
                        {tr(|l| td_string!(l, scripts.add_answer))}
                    </button>
                </fieldset>
            </Show>
            <Show when=is("instruction")>
                <div class="grid-2">{next_select("step.next", node.next, |l| td_string!(l, scripts.next))}</div>
            </Show>
            <Show when=is("check")>
                <div class="grid-3">
                    <Select label=label(|l| td_string!(l, scripts.check)) value=node.check options=enum_options(ScriptCheck::all(), labels::script_check) name="check" attr:data-path=at("step.check") />
                    {next_select("step.if_yes", node.if_yes, |l| td_string!(l, scripts.if_yes))}
                    {next_select("step.if_no", node.if_no, |l| td_string!(l, scripts.if_no))}
                </div>
            </Show>
            <Show when=is("open_ticket")>
                <div class="grid-3">
                    <Select label=label(|l| td_string!(l, tickets.department)) value=node.department options=department_choices name="leaf_department" error=error("step.department") attr:data-path=at("step.department") />
                    <Select label=label(|l| td_string!(l, tickets.priority)) value=node.priority options=enum_options(TicketPriority::all(), labels::ticket_priority) name="leaf_priority" attr:data-path=at("step.priority") />
                    <Select label=label(|l| td_string!(l, tickets.category)) value=node.category options=enum_options(TicketCategory::all(), labels::ticket_category) name="leaf_category" attr:data-path=at("step.category") />
                </div>
            </Show>
            <Show when=is("suspected_outage")>
                <div class="grid-3">
                    <Select label=label(|l| td_string!(l, tickets.category)) value=node.category options=enum_options(TicketCategory::all(), labels::ticket_category) name="leaf_category" attr:data-path=at("step.category") />
                </div>
                <p class="field-hint">{tr(|l| td_string!(l, scripts.suspected_hint))}</p>
            </Show>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    fn a_refused_field_is_named_by_its_node_and_answer() {
        let ids = vec![
            "start".to_owned(),
            "lights".to_owned(),
            "power".to_owned(),
            "works".to_owned(),
        ];
        assert_eq!(
            describe_path(Locale::en, "body.nodes[3].step.answers[1].next", &ids),
            "Node 4 (works), Answer 2: Next node"
        );
        assert_eq!(
            describe_path(Locale::en, "body.nodes[1].id", &ids),
            "Node 2 (lights): Node id"
        );
        assert_eq!(describe_path(Locale::en, "body.start", &ids), "Start node");
    }
}
