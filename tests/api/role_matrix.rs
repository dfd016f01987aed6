//! Every operation of the OpenAPI document, called as every role and anonymously: allowed
//! exactly when the role holds the permission the operation declares (`x-okno-permission`),
//! 403 otherwise, 401 without credentials. A new endpoint is covered the moment it is in the
//! spec; an endpoint that enforces something other than what it declares fails here.

use okno_api_types::auth::{LoginRequest, Realm};
use okno_api_types::cabinet::ActivateRequest;
use okno_api_types::{Permission, Role};
use okno_client::Client;
use okno_domain::access::role_has;
use okno_e2e::{TestApp, both_backends};

const SUBSCRIBER_PASSWORD: &str = "subscriber-password";

/// Who calls: a role, or nobody.
#[derive(Debug, Clone, Copy)]
enum Caller {
    Anonymous,
    As(Role),
}

async fn client_for(app: &TestApp, caller: Caller) -> Client {
    match caller {
        Caller::Anonymous => app.client.clone(),
        Caller::As(Role::Subscriber) => {
            let tokens = app
                .client
                .login(&LoginRequest {
                    username: "100000017".into(),
                    password: SUBSCRIBER_PASSWORD.into(),
                    realm: Realm::Subscriber,
                })
                .await
                .unwrap();
            app.client.with_token(&tokens.access_token)
        }
        Caller::As(role) => app.as_role(role).await,
    }
}

fn operations() -> Vec<(String, String, String)> {
    let spec = serde_json::to_value(okno_server::openapi::spec()).unwrap();
    let mut operations = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let permission = operation["x-okno-permission"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} declares no x-okno-permission"))
                .to_owned();
            operations.push((method.to_uppercase(), path.clone(), permission));
        }
    }
    operations
}

/// `/customers/{id}/consents/{consent_id}/withdraw` → `/customers/1/consents/1/withdraw`.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => in_param = true,
            '}' => {
                in_param = false;
                out.push('1');
            }
            _ if !in_param => out.push(c),
            _ => {}
        }
    }
    out.trim_start_matches('/').to_owned()
}

both_backends! {
    async fn every_operation_admits_exactly_the_roles_holding_its_permission(app) {
        app.seed_demo().await;
        let admin = app.as_role(Role::Admin).await;
        admin.create_api_key(&okno_api_types::api_keys::NewApiKey { name: "matrix".into(), scopes: vec![Permission::CustomersRead], expires_at: None }).await.unwrap();
        let code = admin.issue_activation(1).await.unwrap();
        app.client
            .activate_cabinet(&ActivateRequest { account_number: code.account_number, activation_code: code.code, password: SUBSCRIBER_PASSWORD.into() })
            .await
            .unwrap();

        let operations = operations();
        assert!(operations.len() >= 40, "only {} operations in the spec", operations.len());
        let callers: Vec<Caller> = std::iter::once(Caller::Anonymous)
            .chain(Role::STAFF.into_iter().map(Caller::As))
            .chain(std::iter::once(Caller::As(Role::Subscriber)))
            .collect();
        let mut failures = Vec::new();
        for (method, path, permission) in &operations {
            for caller in &callers {
                let client = client_for(app, *caller).await;
                let body = matches!(method.as_str(), "POST" | "PATCH" | "PUT").then(|| serde_json::json!({}));
                let answer = client.raw(method, &concrete(path), body.as_ref()).await.unwrap();
                let expected = match (permission.as_str(), caller) {
                    ("public", _) => "allowed",
                    (_, Caller::Anonymous) => "401",
                    ("authenticated", Caller::As(_)) => "allowed",
                    (name, Caller::As(role)) => {
                        let permission: Permission = name.parse().unwrap_or_else(|_| panic!("{method} {path}: unknown permission {name}"));
                        if role_has(*role, permission) { "allowed" } else { "403" }
                    }
                };
                let actual = match answer.status {
                    401 => "401",
                    403 => "403",
                    // A fault is never "allowed": the role may hold the permission, but the
                    // operation broke.
                    500..=599 => "a server error",
                    _ => "allowed",
                };
                if expected != actual {
                    failures.push(format!("{method} {path} as {caller:?}: expected {expected}, got {} {}", answer.status, answer.body));
                }
                if actual == "403" {
                    assert_eq!(answer.body["code"], "forbidden");
                }
            }
        }
        assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    }
}

#[test]
fn paths_with_parameters_become_concrete() {
    assert_eq!(
        concrete("/api/v1/customers/{id}/consents/{consent_id}/withdraw"),
        "api/v1/customers/1/consents/1/withdraw"
    );
    assert_eq!(concrete("/healthz"), "healthz");
}
