//! A stand-in for SMSAPI.pl's `/sms.do` for the notification tests.

/// A local double of SMSAPI.pl's `/sms.do`, as its documentation describes it: a bearer
/// token, a form, `idx` with `check_idx` refused once used (error 53). It answers the first
/// `failures` requests with a 500.
pub struct SmsapiDouble {
    pub base: String,
    state: std::sync::Arc<std::sync::Mutex<DoubleState>>,
    server: actix_web::dev::ServerHandle,
}

#[derive(Default)]
struct DoubleState {
    failures: usize,
    requests: usize,
    accepted: Vec<(String, String, String)>,
}

impl SmsapiDouble {
    pub async fn start(failures: usize) -> Self {
        use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
        let state = std::sync::Arc::new(std::sync::Mutex::new(DoubleState {
            failures,
            ..Default::default()
        }));
        let shared = state.clone();
        let server = HttpServer::new(move || {
            let shared = shared.clone();
            App::new().route(
                "/sms.do",
                web::post().to(move |request: HttpRequest, form: web::Form<std::collections::HashMap<String, String>>| {
                    let shared = shared.clone();
                    async move {
                        let mut state = shared.lock().expect("the double's state");
                        state.requests += 1;
                        if request.headers().get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer test-token") {
                            return HttpResponse::Unauthorized().json(serde_json::json!({"error": 101, "message": "Authorization failed"}));
                        }
                        if state.requests <= state.failures {
                            return HttpResponse::InternalServerError().finish();
                        }
                        let idx = form.get("idx").cloned().unwrap_or_default();
                        if form.get("check_idx").map(String::as_str) == Some("1") && state.accepted.iter().any(|(i, _, _)| *i == idx) {
                            return HttpResponse::Ok().json(serde_json::json!({"error": 53, "message": "Not unique idx"}));
                        }
                        let to = form.get("to").cloned().unwrap_or_default();
                        let text = form.get("message").cloned().unwrap_or_default();
                        state.accepted.push((idx, to.clone(), text));
                        let id = format!("sms-{}", state.accepted.len());
                        HttpResponse::Ok().json(serde_json::json!({"count": 1, "list": [{"id": id, "points": 0.16, "number": to, "status": "QUEUE"}]}))
                    }
                }),
            )
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .expect("a free port");
        let port = server.addrs().first().expect("a bound address").port();
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            base: format!("http://127.0.0.1:{port}"),
            state,
            server: handle,
        }
    }

    pub fn accepted(&self) -> Vec<(String, String, String)> {
        self.state
            .lock()
            .expect("the double's state")
            .accepted
            .clone()
    }

    pub fn requests(&self) -> usize {
        self.state.lock().expect("the double's state").requests
    }

    /// Answers the next `count` requests with a 500.
    pub fn fail_next(&self, count: usize) {
        let mut state = self.state.lock().expect("the double's state");
        state.failures = state.requests + count;
    }

    pub async fn stop(&self) {
        self.server.stop(true).await;
    }
}
