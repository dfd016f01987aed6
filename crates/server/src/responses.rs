//! Answers that are not JSON.

use actix_web::HttpResponse;
use actix_web::http::header;

/// A PDF answer, named after `title`, shown in the browser rather than saved, and kept out
/// of shared caches: it carries personal data.
pub fn pdf(title: &str, content: Vec<u8>) -> HttpResponse {
    let file_name: String = title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .to_owned();
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{file_name}.pdf\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(content)
}
