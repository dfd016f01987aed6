//! `/admin/users`: staff accounts, their roles and sales points.

use leptos::prelude::*;
use okno_api_types::reference::SalesPoint;
use okno_api_types::users::{NewUser, User, UserPatch, UserQuery};
use okno_api_types::{Permission, Role};

use crate::api::{self, Failure};
use crate::components::forms::{Field, Select, enum_options, error_of};
use crate::components::status::{FormFailure, Loaded};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::{label, tr};
use crate::session::use_session;

#[component]
pub fn Users() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let version = RwSignal::new(0_u32);
    let users = LocalResource::new(move || {
        version.track();
        async move {
            api::call(session, async |client| {
                client
                    .users(&UserQuery {
                        limit: Some(500),
                        ..Default::default()
                    })
                    .await
            })
            .await
            .map(|page| page.items)
        }
    });
    let points = LocalResource::new(move || async move {
        api::call(session, async |client| client.sales_points().await)
            .await
            .unwrap_or_default()
    });
    let point_name = move |id: Option<i64>| {
        id.and_then(|id| {
            points
                .get()
                .and_then(|p: Vec<SalesPoint>| p.into_iter().find(|p| p.id == id).map(|p| p.code))
        })
        .unwrap_or_default()
    };

    let toggle = move |user: User| {
        leptos::task::spawn_local(async move {
            let patch = UserPatch {
                version: user.version,
                active: Some(!user.active),
                ..Default::default()
            };
            match api::call(session, async |client| {
                client.update_user(user.id, &patch).await
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
            <div class="page-head">
                <h1>{tr(|l| td_string!(l, admin.users))}</h1>
            </div>
            <Show when=move || session.has(Permission::UsersManage)>
                <NewUserForm points=Signal::derive(move || points.get().unwrap_or_default()) on_created=move || version.update(|v| *v += 1) />
            </Show>
            <Loaded value=move || users.get() let:list>
                            <div class="table-wrap">
                                <table class="table" data-testid="users">
                                    <thead>
                                        <tr>
                                            <th>{tr(|l| td_string!(l, admin.username))}</th>
                                            <th>{tr(|l| td_string!(l, admin.display_name))}</th>
                                            <th>{tr(|l| td_string!(l, admin.role))}</th>
                                            <th>{tr(|l| td_string!(l, admin.sales_point))}</th>
                                            <th>{tr(|l| td_string!(l, admin.state))}</th>
                                            <th></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|user| {
                                                let role = user.role;
                                                let active = user.active;
                                                let sales_point = user.sales_point_id;
                                                let row = user.clone();
                                                view! {
                                                    <tr class:inactive=!active>
                                                        <td class="mono">{user.username.clone()}</td>
                                                        <td>{user.display_name.clone()}</td>
                                                        <td>{move || labels::role(i18n.get_locale(), role)}</td>
                                                        <td>{move || point_name(sales_point)}</td>
                                                        <td>{move || if active { t_string!(i18n, admin.active) } else { t_string!(i18n, admin.inactive) }}</td>
                                                        <td>
                                                            <Show when=move || session.has(Permission::UsersManage)>
                                                                <button class="button-small" on:click={
                                                                    let row = row.clone();
                                                                    move |_| toggle(row.clone())
                                                                }>
                                                                    {move || if active { t_string!(i18n, admin.deactivate) } else { t_string!(i18n, admin.activate) }}
                                                                </button>
                                                            </Show>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
            </Loaded>
        </section>
    }
}

#[component]
fn NewUserForm(
    #[prop(into)] points: Signal<Vec<SalesPoint>>,
    #[prop(into)] on_created: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Operator.as_str().to_owned());
    let sales_point = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let user = NewUser {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            role: role.get_untracked().parse().unwrap_or(Role::Operator),
            sales_point_id: sales_point.get_untracked().parse().ok(),
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| client.create_user(&user).await).await {
                Ok(_) => {
                    failure.set(None);
                    username.set(String::new());
                    display_name.set(String::new());
                    password.set(String::new());
                    toasts.success(td_string!(i18n.get_locale_untracked(), admin.user_created));
                    on_created.run(());
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    view! {
        <details class="panel">
            <summary>{tr(|l| td_string!(l, admin.new_user))}</summary>
            <form class="form grid-3" on:submit=submit novalidate>
                <Field label=label(|l| td_string!(l, admin.username)) value=username name="username" required=true error=error_of(failure, "username") />
                <Field label=label(|l| td_string!(l, admin.display_name)) value=display_name name="display_name" required=true error=error_of(failure, "display_name") />
                <Select label=label(|l| td_string!(l, admin.role)) value=role name="role" options=enum_options(Role::STAFF.iter().copied(), labels::role) />
                <Select
                    label=label(|l| td_string!(l, admin.sales_point))
                    value=sales_point
                    name="sales_point"
                    error=error_of(failure, "sales_point_id")
                    options=Signal::derive(move || {
                        std::iter::once((String::new(), "—".to_owned()))
                            .chain(points.get().into_iter().map(|p| (p.id.to_string(), format!("{} · {}", p.code, p.name))))
                            .collect()
                    })
                />
                <Field label=label(|l| td_string!(l, login.password)) value=password name="new-password" input_type="password" autocomplete="new-password" required=true error=error_of(failure, "password") />
                <FormFailure failure />
                <div class="form-actions">
                    <button class="button-primary" type="submit">{tr(|l| td_string!(l, common.create))}</button>
                </div>
            </form>
        </details>
    }
}
