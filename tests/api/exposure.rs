//! What the server lets out and to whom: the metrics only with their token, API answers never
//! cached, the web app's pages with their security headers.

use okno_e2e::{Backend, TestApp, both_backends};

const METRICS_TOKEN: &str = "metrics-token-for-tests";

async fn get(app: &TestApp, path: &str, bearer: Option<&str>) -> reqwest::Response {
    let request = reqwest::Client::new().get(format!("{}/{path}", app.base_url));
    let request = match bearer {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    request.send().await.unwrap()
}

async fn metrics_need_their_token(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |settings| {
        settings.metrics_token = Some(METRICS_TOKEN.into());
    })
    .await
    else {
        return;
    };
    assert_eq!(get(&app, "metrics", None).await.status(), 401);
    assert_eq!(get(&app, "metrics", Some("guess")).await.status(), 401);
    // A staff member's access token is not the metrics token either.
    let admin = app.login("admin").await;
    assert_eq!(get(&app, "metrics", admin.token()).await.status(), 401);
    let metrics = get(&app, "metrics", Some(METRICS_TOKEN)).await;
    assert_eq!(metrics.status(), 200);
    assert!(
        metrics.text().await.unwrap().contains("okno_"),
        "Prometheus text"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_their_token_on_sqlite() {
    metrics_need_their_token(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_their_token_on_postgres() {
    metrics_need_their_token(Backend::Postgres).await;
}

both_backends! {
    async fn without_a_metrics_token_there_are_no_metrics(app) {
        let answer = get(app, "metrics", Some("anything")).await;
        assert_eq!(answer.status(), 404);
        assert_eq!(answer.headers()["content-type"], "application/problem+json");
    }

    async fn api_answers_are_never_cached(app) {
        app.seed_demo().await;
        let operator = app.as_role(okno_api_types::Role::Operator).await;
        for (path, status) in [("api/v1/customers/1", 200), ("api/v1/customers/424242", 404), ("api/v1/auth/me", 200)] {
            let answer = get(app, path, operator.token()).await;
            assert_eq!(answer.status(), status, "{path}");
            let cache = answer.headers().get("cache-control").map(|v| v.to_str().unwrap().to_owned());
            assert!(cache.as_deref().is_some_and(|c| c.contains("no-store")), "{path}: {cache:?}");
            assert_eq!(answer.headers()["x-content-type-options"], "nosniff", "{path}");
        }
        let anonymous = get(app, "api/v1/customers/1", None).await;
        assert_eq!(anonymous.status(), 401);
        assert!(anonymous.headers()["cache-control"].to_str().unwrap().contains("no-store"));
    }
}
