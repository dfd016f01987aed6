//! Serves the built single-page app at `/`, with `index.html` for the app's own routes
//! (`/customers/42` is a page of the app, not a file).

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, ContentEncoding};
use actix_web::{guard, web};
use base64::Engine;
use okno_api_types::ErrorCode;
use sha2::Digest;

use crate::error::ApiError;

/// Where the subscriber cabinet is served, as an app of its own (`frontend/dist/cabinet`).
const CABINET: &str = "/cabinet";

pub fn configure(cfg: &mut web::ServiceConfig, web_dir: PathBuf) {
    let cabinet_dir = web_dir.join("cabinet");
    if cabinet_dir.join("index.html").is_file() {
        cfg.service(
            web::scope(CABINET)
                .service(assets(cabinet_dir.clone()))
                .service(app_pages("", cabinet_dir)),
        );
    }
    cfg.service(assets(web_dir.clone()));
    cfg.service(app_pages("/", web_dir));
}

/// The app's wasm, JavaScript and stylesheets, compressed ahead of time.
fn assets(dir: PathBuf) -> actix_web::Resource {
    web::resource(r"/{name:[A-Za-z0-9_.-]+\.(?:wasm|js|css)}")
        .app_data(web::Data::new(WebDir(dir)))
        .route(web::get().to(asset))
}

/// The app's other files (the icon), and its `index.html` for every path that is a page of
/// the app rather than a file.
fn app_pages(mount: &str, dir: PathBuf) -> Files {
    let index = dir.join("index.html");
    Files::new(mount, dir)
        // Other methods fall through to the application's answer: 405 with `Allow` for a
        // path that has routes (`POST /healthz`), 404 otherwise.
        .guard(guard::Any(guard::Get()).or(guard::Head()))
        .index_file("index.html")
        .use_etag(true)
        .default_handler(fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                // Unknown API paths are errors, not pages of the app.
                if req.path().starts_with("/api/") {
                    let error = ApiError::NotFound(
                        ErrorCode::RouteNotFound,
                        format!("no route for {}", req.path()),
                    );
                    return Ok(ServiceResponse::from_err(error, req));
                }
                let file = NamedFile::open_async(&index).await?;
                let response = file.use_last_modified(true).into_response(&req);
                Ok(ServiceResponse::new(req, response))
            }
        }))
}

struct WebDir(PathBuf);

/// The Content-Security-Policy of the web app: its own origin only, scripts by the hashes of
/// the inline ones the build wrote into `index.html` (no `unsafe-inline`), WebAssembly
/// compiled with `wasm-unsafe-eval` (not `unsafe-eval`), no plugins, frames or foreign forms.
#[derive(Debug, Clone)]
pub struct ContentSecurityPolicy(pub String);

impl ContentSecurityPolicy {
    /// The policy for the console in `web_dir` and the cabinet in `web_dir/cabinet`: one
    /// policy for both, so it names the inline scripts of both.
    pub fn of_app(web_dir: &std::path::Path) -> Self {
        let pages = [
            web_dir.join("index.html"),
            web_dir.join("cabinet/index.html"),
        ]
        .map(|page| std::fs::read_to_string(page).unwrap_or_default());
        let hashes: String = pages
            .iter()
            .flat_map(|page| inline_scripts(page))
            .map(|script| {
                let digest = sha2::Sha256::digest(script.as_bytes());
                format!(
                    " 'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
            .collect();
        Self(format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
             style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        ))
    }
}

/// The contents of the `<script>` elements without a `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        if attributes.contains("src=") {
            return None;
        }
        rest.split_once("</script>").map(|(body, _)| body)
    })
}

/// Headers of every answer beyond the static ones: the app's Content-Security-Policy on its
/// pages (not on the API, nor on the API viewer, which has inline scripts of its own), and
/// HSTS when a trusted proxy says the client came over HTTPS.
pub async fn security_headers(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody + 'static>, actix_web::Error> {
    let policy = req.app_data::<web::Data<ContentSecurityPolicy>>().cloned();
    let is_app = !req.path().starts_with("/api/");
    let over_https = crate::request_context::forwarded_over_https(req.request());
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    // A page with a policy of its own (the fake gateway's) keeps it.
    if let (true, Some(policy)) = (is_app, policy)
        && !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(value) = header::HeaderValue::from_str(&policy.0)
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    if over_https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            header::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    Ok(response)
}

/// The app's wasm, JavaScript and stylesheet, compressed ahead of time where the build did so
/// (`scripts/build-web`: brotli at its best level, gzip at 9): smaller than compressing on
/// the fly, and no work per request. File names carry a hash of their content, so browsers
/// may keep them for good.
async fn asset(
    req: actix_web::HttpRequest,
    name: web::Path<String>,
    dir: web::Data<WebDir>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let path = dir.0.join(name.as_str());
    let not_found = || ApiError::NotFound(ErrorCode::RouteNotFound, format!("no file {name}"));
    if !path.is_file() {
        return Err(not_found());
    }
    let accepted = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let content_type = actix_files::file_extension_to_mime(
        path.extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default(),
    );
    let variants = [
        ("br", ContentEncoding::Brotli),
        ("gzip", ContentEncoding::Gzip),
    ];
    let chosen = variants.into_iter().find_map(|(token, encoding)| {
        let suffix = if token == "gzip" { "gz" } else { token };
        let compressed = PathBuf::from(format!("{}.{suffix}", path.display()));
        (accepts(&accepted, token) && compressed.is_file()).then_some((compressed, encoding))
    });
    let file = match chosen {
        Some((compressed, encoding)) => NamedFile::open_async(&compressed)
            .await
            .map_err(|_| not_found())?
            .set_content_type(content_type)
            .set_content_encoding(encoding),
        None => NamedFile::open_async(&path)
            .await
            .map_err(|_| not_found())?,
    };
    let mut response = file.use_etag(true).into_response(&req);
    let headers = response.headers_mut();
    headers.insert(
        header::VARY,
        header::HeaderValue::from_static("accept-encoding"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(response)
}

/// Whether an `Accept-Encoding` list takes `token` (and does not refuse it with `q=0`).
fn accepts(accepted: &str, token: &str) -> bool {
    accepted.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        parts.next() == Some(token)
            && !parts.any(|p| p.replace(' ', "") == "q=0" || p.replace(' ', "") == "q=0.0")
    })
}

/// The answer for paths that match no route: 405 with the methods allowed for a route of the
/// API asked with another method, 404 otherwise.
pub async fn not_found(req: actix_web::HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    let allowed = req
        .app_data::<web::Data<crate::openapi::RouteTable>>()
        .and_then(|routes| routes.methods_of(req.path()));
    Err(match allowed {
        Some(allow) => ApiError::MethodNotAllowed(allow),
        None => ApiError::NotFound(
            ErrorCode::RouteNotFound,
            format!("no route for {} {}", req.method(), req.path()),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::{ContentSecurityPolicy, accepts, configure};
    use actix_web::http::header;
    use actix_web::{App, test as web};

    #[test]
    fn the_policy_allows_the_inline_scripts_of_the_build_by_their_hashes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.html"),
            "<html><script type=\"module\">init();</script><script src=\"/a.js\"></script></html>",
        )
        .unwrap();
        let policy = ContentSecurityPolicy::of_app(dir.path()).0;
        // printf "init();" | openssl dgst -sha256 -binary | base64
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-GEnM5q1nYY/iACnyMTdov+tNp9OFcBnnDgNXUXaVNXc=';"),
            "{policy}"
        );
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"));
    }

    #[actix_web::test]
    async fn serves_the_compressed_app_to_browsers_that_take_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<html></html>").unwrap();
        std::fs::write(dir.path().join("app-1a2b.wasm"), b"raw wasm").unwrap();
        std::fs::write(dir.path().join("app-1a2b.wasm.br"), b"brotli").unwrap();
        std::fs::write(dir.path().join("app-1a2b.wasm.gz"), b"gzip").unwrap();
        std::fs::write(dir.path().join("style-1a2b.css"), b"body{}").unwrap();
        let web_dir = dir.path().to_path_buf();
        let app = web::init_service(App::new().configure(|cfg| configure(cfg, web_dir))).await;

        let fetch = |path: &'static str, encoding: &'static str| {
            web::TestRequest::get()
                .uri(path)
                .insert_header((header::ACCEPT_ENCODING, encoding))
                .to_request()
        };
        let response = web::call_service(&app, fetch("/app-1a2b.wasm", "gzip, deflate, br")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers().get(header::CONTENT_ENCODING).unwrap(),
            "br"
        );
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            "application/wasm"
        );
        assert_eq!(
            response.headers().get(header::VARY).unwrap(),
            "accept-encoding"
        );
        assert_eq!(web::read_body(response).await, "brotli");

        let response = web::call_service(&app, fetch("/app-1a2b.wasm", "gzip")).await;
        assert_eq!(
            response.headers().get(header::CONTENT_ENCODING).unwrap(),
            "gzip"
        );
        assert_eq!(web::read_body(response).await, "gzip");

        let response = web::call_service(&app, fetch("/app-1a2b.wasm", "identity")).await;
        assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(web::read_body(response).await, "raw wasm");

        // Nothing compressed ahead: the file as it is.
        let response = web::call_service(&app, fetch("/style-1a2b.css", "br")).await;
        assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(web::read_body(response).await, "body{}");

        let response = web::call_service(&app, fetch("/missing-1a2b.js", "br")).await;
        assert_eq!(response.status(), 404);
        // The app's own routes still get the page.
        let response = web::call_service(&app, fetch("/customers/42", "br")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(web::read_body(response).await, "<html></html>");
    }

    #[actix_web::test]
    async fn serves_the_cabinet_as_an_app_of_its_own_under_its_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "console").unwrap();
        std::fs::write(dir.path().join("okno-console-1a2b.wasm"), b"console wasm").unwrap();
        let cabinet = dir.path().join("cabinet");
        std::fs::create_dir(&cabinet).unwrap();
        std::fs::write(cabinet.join("index.html"), "cabinet").unwrap();
        std::fs::write(cabinet.join("okno-cabinet-3c4d.wasm"), b"cabinet wasm").unwrap();
        std::fs::write(cabinet.join("okno-cabinet-3c4d.wasm.br"), b"cabinet brotli").unwrap();
        std::fs::write(cabinet.join("favicon-5e6f.svg"), b"<svg/>").unwrap();
        let web_dir = dir.path().to_path_buf();
        let app = web::init_service(
            App::new()
                .configure(|cfg| configure(cfg, web_dir))
                .default_service(actix_web::web::to(super::not_found)),
        )
        .await;
        let body = async |path: &str| {
            let request = web::TestRequest::get()
                .uri(path)
                .insert_header((header::ACCEPT_ENCODING, "br"))
                .to_request();
            let response = web::call_service(&app, request).await;
            (response.status().as_u16(), web::read_body(response).await)
        };

        for page in [
            "/cabinet",
            "/cabinet/",
            "/cabinet/login",
            "/cabinet/activate",
        ] {
            assert_eq!(body(page).await, (200, "cabinet".into()), "{page}");
        }
        assert_eq!(
            body("/cabinet/okno-cabinet-3c4d.wasm").await,
            (200, "cabinet brotli".into())
        );
        assert_eq!(
            body("/cabinet/favicon-5e6f.svg").await,
            (200, "<svg/>".into())
        );
        // Each app's files under its own path only.
        assert_eq!(body("/cabinet/okno-console-1a2b.wasm").await.0, 404);
        assert_eq!(body("/okno-cabinet-3c4d.wasm").await.0, 404);
        for page in ["/", "/login", "/customers/42", "/cabinetry"] {
            assert_eq!(body(page).await, (200, "console".into()), "{page}");
        }
        let post = web::TestRequest::post().uri("/cabinet/login").to_request();
        assert_eq!(web::call_service(&app, post).await.status(), 404);
    }

    #[test]
    fn one_policy_names_the_inline_scripts_of_both_apps() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<script>init();</script>").unwrap();
        std::fs::create_dir(dir.path().join("cabinet")).unwrap();
        std::fs::write(
            dir.path().join("cabinet/index.html"),
            "<script>start();</script>",
        )
        .unwrap();
        let policy = ContentSecurityPolicy::of_app(dir.path()).0;
        assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
    }

    #[test]
    fn reads_accept_encoding_lists() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "br"));
        assert!(!accepts("gzip, deflate", "br"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(accepts("br;q=0, gzip", "gzip"));
        assert!(!accepts("", "gzip"));
    }
}
