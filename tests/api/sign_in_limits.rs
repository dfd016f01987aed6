//! The limits on guessing secrets: per account (however its name is typed), per client
//! address, for sign-ins, cabinet activations and password changes; the owner signing in
//! while someone else guesses; a flood of sign-ins leaving the rest of the API alone.

use std::net::IpAddr;

use chrono::Duration;
use okno_api_types::Role;
use okno_e2e::{Backend, TestApp, both_backends};
use serde_json::{Value, json};

/// A request from the client at `from`, through the trusted proxy every test app here has.
async fn post_from(app: &TestApp, from: &str, path: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/{path}", app.base_url))
        .header("x-forwarded-for", from)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn login_from(app: &TestApp, from: &str, realm: &str, username: &str, password: &str) -> u16 {
    post_from(
        app,
        from,
        "auth/login",
        json!({"username": username, "password": password, "realm": realm}),
    )
    .await
    .0
}

async fn behind_proxy(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, |settings| {
        settings.trusted_proxies = vec!["127.0.0.1".parse::<IpAddr>().unwrap()];
        settings.address_max_failures = 8;
    })
    .await
}

macro_rules! behind_proxy {
    ($( async fn $name:ident($app:ident) $body:block )*) => {
        $(
            mod $name {
                use super::*;

                async fn run($app: &TestApp) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = behind_proxy(Backend::Sqlite).await {
                        run(&app).await;
                        app.stop().await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = behind_proxy(Backend::Postgres).await {
                        run(&app).await;
                        app.stop().await;
                    }
                }
            }
        )*
    };
}

behind_proxy! {
    async fn the_owner_signs_in_while_someone_else_guesses_the_password(app) {
        for _ in 0..5 {
            assert_eq!(login_from(app, "203.0.113.7", "staff", "agent", "guess").await, 401);
        }
        // Locked to the guesser, even with the right password...
        assert_eq!(login_from(app, "203.0.113.7", "staff", "agent", "demo").await, 429);
        // ...and to another address once it has failed too...
        assert_eq!(login_from(app, "198.51.100.1", "staff", "agent", "guess").await, 401);
        assert_eq!(login_from(app, "198.51.100.1", "staff", "agent", "demo").await, 429);
        // ...but not to the owner at their desk, whose address never failed.
        assert_eq!(login_from(app, "192.0.2.10", "staff", "agent", "demo").await, 200);
    }

    async fn an_address_that_keeps_failing_is_stopped_whatever_name_it_tries(app) {
        for name in ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"] {
            assert_eq!(login_from(app, "203.0.113.9", "staff", name, "guess").await, 401);
        }
        let (status, body) = post_from(app, "203.0.113.9", "auth/login", json!({"username": "cashier", "password": "demo", "realm": "staff"})).await;
        assert_eq!((status, body["code"].as_str()), (429, Some("login_locked")));
        // Another address is not affected, and the lock ends with the lockout.
        assert_eq!(login_from(app, "192.0.2.11", "staff", "cashier", "demo").await, 200);
        app.clock.advance(Duration::minutes(15));
        assert_eq!(login_from(app, "203.0.113.9", "staff", "cashier", "demo").await, 200);
    }

    async fn failures_are_forgotten_a_day_after_the_last_one(app) {
        for _ in 0..3 {
            assert_eq!(login_from(app, "203.0.113.30", "staff", "agent", "guess").await, 401);
        }
        // The failures of the account and of the address are kept while they may count...
        app.clock.advance(Duration::hours(23));
        assert_eq!(app.run_jobs().await.throttles_pruned, 0);
        // ...and forgotten by the jobs a day after the last one.
        app.clock.advance(Duration::hours(2));
        assert_eq!(app.run_jobs().await.throttles_pruned, 2);
        assert_eq!(app.run_jobs().await.throttles_pruned, 0);
        assert_eq!(login_from(app, "203.0.113.30", "staff", "agent", "demo").await, 200);
    }

    async fn an_account_number_typed_differently_is_the_same_account(app) {
        app.seed_demo().await;
        let admin = app.as_role(Role::Admin).await;
        let code = admin.issue_activation(1).await.unwrap();
        let number = code.account_number.clone();
        let (status, _) = post_from(app, "192.0.2.20", "cabinet/activate", json!({"account_number": number, "activation_code": code.code, "password": "haslo-abonenta-1"})).await;
        assert_eq!(status, 200);
        // Five spellings of one account, from five addresses: one account, locked after five.
        let spellings = [
            number.clone(),
            format!("{}-{}", &number[..1], &number[1..]),
            format!("{} {} {}", &number[..3], &number[3..6], &number[6..]),
            format!(" {number} "),
            format!("{}-{}-{}", &number[..3], &number[3..6], &number[6..]),
        ];
        for (n, spelling) in spellings.iter().enumerate() {
            assert_eq!(login_from(app, &format!("203.0.113.{}", 30 + n), "subscriber", spelling, "guess").await, 401);
        }
        assert_eq!(login_from(app, "203.0.113.30", "subscriber", &format!("{}-{}", &number[..1], &number[1..]), "haslo-abonenta-1").await, 429);
        // The subscriber from their own, clean address still gets in.
        assert_eq!(login_from(app, "192.0.2.20", "subscriber", &number, "haslo-abonenta-1").await, 200);
    }

    async fn activation_codes_and_password_changes_count_as_guesses(app) {
        app.seed_demo().await;
        let admin = app.as_role(Role::Admin).await;
        let code = admin.issue_activation(2).await.unwrap();
        for n in 0..5 {
            let (status, _) = post_from(app, &format!("203.0.113.{}", 40 + n), "cabinet/activate", json!({"account_number": code.account_number, "activation_code": "WRONGCODE", "password": "haslo-abonenta-2"})).await;
            assert_eq!(status, 409);
        }
        let (status, _) = post_from(app, "203.0.113.40", "cabinet/activate", json!({"account_number": code.account_number, "activation_code": code.code, "password": "haslo-abonenta-2"})).await;
        assert_eq!(status, 429);

        let operator = app.as_role(Role::Operator).await;
        for _ in 0..5 {
            let wrong = operator.raw("POST", "api/v1/auth/password", Some(&json!({"current_password": "guess", "new_password": "a-new-password-1"}))).await.unwrap();
            assert_eq!(wrong.status, 422);
        }
        let locked = operator.raw("POST", "api/v1/auth/password", Some(&json!({"current_password": "demo", "new_password": "a-new-password-1"}))).await.unwrap();
        assert_eq!((locked.status, locked.body["code"].as_str()), (429, Some("login_locked")));
    }
}

both_backends! {
    async fn a_forwarded_address_from_an_untrusted_peer_is_ignored(app) {
        // No trusted proxy: every failure counts against the connection's address, whatever
        // the header says, so changing it does not buy fresh tries.
        for n in 0..5 {
            assert_eq!(login_from(app, &format!("203.0.113.{n}"), "staff", "operator", "guess").await, 401);
        }
        assert_eq!(login_from(app, "192.0.2.99", "staff", "operator", "demo").await, 429);
    }

}

/// Sign-ins with production password hashing (19 MiB, a few tens of milliseconds each).
async fn flood(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |settings| {
        settings.password_hashing = okno_server::PasswordHashing::default();
        // Every attempt is hashed: none is stopped early by the limit on its address.
        settings.address_max_failures = 10_000;
    })
    .await
    else {
        return;
    };
    let app = &app;
    app.seed_demo().await;
    let operator = app.as_role(Role::Operator).await;
    // One client, as a flood comes from: building one per request costs more than the
    // requests (the TLS roots are read each time) and would stall the test's own runtime.
    let http = reqwest::Client::new();
    let flood: Vec<_> = (0..200)
            .map(|n| {
                let (base, http) = (app.base_url.clone(), http.clone());
                tokio::spawn(async move {
                    http
                        .post(format!("{base}/api/v1/auth/login"))
                        .json(&json!({"username": format!("nobody{n}"), "password": "guess", "realm": "staff"}))
                        .send()
                        .await
                        .map(|r| r.status().as_u16())
                })
            })
            .collect();
    // Meanwhile the card opens, every time.
    for id in 1..=20 {
        let card = operator
            .raw("GET", &format!("api/v1/customers/{id}"), None)
            .await
            .unwrap();
        assert_eq!(
            card.status, 200,
            "card {id} during the flood: {}",
            card.body
        );
    }
    let mut statuses = Vec::new();
    for attempt in flood {
        statuses.push(attempt.await.unwrap().unwrap());
    }
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_sign_ins_leaves_the_rest_of_the_api_answering_on_sqlite() {
    flood(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_sign_ins_leaves_the_rest_of_the_api_answering_on_postgres() {
    flood(Backend::Postgres).await;
}
