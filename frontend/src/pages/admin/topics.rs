//! `/admin/topics`: the classification of contacts, in three languages.

use leptos::prelude::*;
use okno_api_types::reference::{LocalizedName, NewTopic, TopicPatch};

use crate::api::{self, Failure};
use crate::components::forms::{Field, error_of};
use crate::components::status::{FormFailure, Loaded};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{label, tr};
use crate::session::use_session;

#[component]
pub fn Topics() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let version = RwSignal::new(0_u32);
    let topics = LocalResource::new(move || {
        version.track();
        async move { api::call(session, async |client| client.topics().await).await }
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
        let topic = NewTopic {
            code: code.get_untracked(),
            name: LocalizedName {
                en: en.get_untracked(),
                pl: optional(pl),
                ru: optional(ru),
            },
        };
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| client.create_topic(&topic).await).await {
                Ok(_) => {
                    failure.set(None);
                    for s in [code, en, pl, ru] {
                        s.set(String::new());
                    }
                    version.update(|v| *v += 1);
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let retire = move |id: i64, active: bool| {
        leptos::task::spawn_local(async move {
            let patch = TopicPatch {
                name: None,
                active: Some(!active),
            };
            match api::call(session, async |client| {
                client.update_topic(id, &patch).await
            })
            .await
            {
                Ok(_) => version.update(|v| *v += 1),
                Err(failure) => toasts.failure(i18n.get_locale_untracked(), &failure),
            }
        });
    };
    view! {
        <section class="page">
            <div class="page-head"><h1>{tr(|l| td_string!(l, admin.topics))}</h1></div>
            <details class="panel">
                <summary>{tr(|l| td_string!(l, admin.new_topic))}</summary>
                <form class="form grid-2" on:submit=submit novalidate>
                    <Field label=label(|l| td_string!(l, admin.code)) value=code name="code" required=true error=error_of(failure, "code") />
                    <Field label=Signal::derive(|| "English".to_owned()) value=en name="name_en" required=true error=error_of(failure, "name.en") />
                    <Field label=Signal::derive(|| "Polski".to_owned()) value=pl name="name_pl" error=error_of(failure, "name.pl") />
                    <Field label=Signal::derive(|| "Русский".to_owned()) value=ru name="name_ru" error=error_of(failure, "name.ru") />
                    <FormFailure failure />
                    <div class="form-actions"><button class="button-primary" type="submit">{tr(|l| td_string!(l, common.create))}</button></div>
                </form>
            </details>
            <Loaded value=move || topics.get() let:list>
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr><th>{tr(|l| td_string!(l, admin.code))}</th><th>"EN"</th><th>"PL"</th><th>"RU"</th><th></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|topic| {
                                        let (id, active) = (topic.id, topic.active);
                                        view! {
                                            <tr class:inactive=!active>
                                                <td class="mono">{topic.code}</td>
                                                <td>{topic.name.en}</td>
                                                <td>{topic.name.pl}</td>
                                                <td>{topic.name.ru}</td>
                                                <td>
                                                    <button class="button-small" on:click=move |_| retire(id, active)>
                                                        {move || if active { t_string!(i18n, admin.retire) } else { t_string!(i18n, admin.restore) }}
                                                    </button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
            </Loaded>
        </section>
    }
}
