//! Issued documents with a button that opens each PDF; any document can be printed
//! again at any time.

use leptos::prelude::*;
use okno_api_types::contracts::Document;

use crate::api::Failure;
use crate::components::download::open_pdf;
use crate::components::status::LoadedList;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::session::use_session;
use crate::time;

#[component]
pub fn DocumentList(documents: RwSignal<Option<Result<Vec<Document>, Failure>>>) -> impl IntoView {
    view! {
        <div class="panel" data-testid="documents">
            <h2>{tr(|l| td_string!(l, documents.title))}</h2>
            <LoadedList value=move || documents.get() empty=|l| td_string!(l, documents.none) let:list>
                    <ul class="documents">
                        {list.into_iter().map(|d| view! { <DocumentRow document=d /> }).collect_view()}
                    </ul>
            </LoadedList>
        </div>
    }
}

#[component]
fn DocumentRow(document: Document) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let url = document.pdf_url.clone();
    let file_name = format!("{}.pdf", document.title.replace(['/', '\\', ' '], "-"));
    let open = move |_| {
        let url = url.clone();
        let file_name = file_name.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            if let Err(failure) = open_pdf(session, url, file_name).await {
                toasts.failure(i18n.get_locale_untracked(), &failure);
            }
            busy.set(false);
        });
    };
    view! {
        <li class="document" data-testid="document">
            <div>
                <p class="document-title">{document.title.clone()}</p>
                <p class="muted small">
                    {move || labels::document_kind(i18n.get_locale(), document.kind)}
                    " · "
                    {move || time::date(document.issued_at, i18n.get_locale())}
                    " · "
                    {document.language.as_str().to_uppercase()}
                </p>
            </div>
            <button class="button-small" disabled=move || busy.get() on:click=open data-testid="open-pdf">
                {tr(|l| td_string!(l, documents.open))}
            </button>
        </li>
    }
}
