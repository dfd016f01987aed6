//! Opening a document's PDF: the download needs the bearer token, so the app fetches the
//! bytes and hands the browser a local object URL.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{self, Failure};
use crate::session::Session;

/// Fetches the PDF at `pdf_url` and opens it in a new tab (or downloads it where the browser
/// prefers).
pub async fn open_pdf(session: Session, pdf_url: String, file_name: String) -> Result<(), Failure> {
    let bytes = api::call(session, async |client| client.document_pdf(&pdf_url).await).await?;
    save_bytes(&bytes, "application/pdf", &file_name)
}

/// Hands the browser `bytes` as a file of `mime` type named `file_name`.
pub fn save_bytes(bytes: &[u8], mime: &str, file_name: &str) -> Result<(), Failure> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| Failure::Offline("blob".into()))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| Failure::Offline("object url".into()))?;
    if let Ok(anchor) = document().create_element("a")
        && let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        anchor.set_href(&url);
        anchor.set_target("_blank");
        anchor.set_download(file_name);
        anchor.click();
    }
    // The browser has the file; the URL may go after a moment.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}
