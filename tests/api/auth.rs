//! Sign-in: tokens, refresh rotation, lockout, logout, forged and expired tokens, API keys.

use chrono::Duration;
use okno_api_types::api_keys::NewApiKey;
use okno_api_types::auth::{ChangePasswordRequest, LoginRequest, PrincipalKind, Realm};
use okno_api_types::customers::CustomerQuery;
use okno_api_types::users::{UserPatch, UserQuery};
use okno_api_types::{ErrorCode, Permission, Role};
use okno_e2e::{TEST_JWT_SECRET, both_backends, field_errors, refused};

use crate::customers::new_person;
use serde_json::json;

fn login_request(username: &str, password: &str) -> LoginRequest {
    LoginRequest {
        username: username.into(),
        password: password.into(),
        realm: Realm::Staff,
    }
}

/// Signs arbitrary claims with the server's secret or another one, as an access token.
fn sign(claims: serde_json::Value, secret: &str) -> String {
    let header = jsonwebtoken::Header {
        typ: Some("at+jwt".into()),
        ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256)
    };
    sign_with(claims, secret, &header)
}

fn sign_with(claims: serde_json::Value, secret: &str, header: &jsonwebtoken::Header) -> String {
    jsonwebtoken::encode(
        header,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

both_backends! {
    async fn login_gives_a_token_with_the_roles_permissions(app) {
        let tokens = app.client.login(&login_request("cashier", "demo")).await.unwrap();
        assert_eq!(tokens.token_type, "Bearer");
        assert_eq!(tokens.expires_in, 15 * 60);
        assert!(tokens.refresh_token.starts_with("ort_"));
        let me = app.client.with_token(&tokens.access_token).me().await.unwrap();
        assert_eq!((me.kind, me.role, me.username.as_str()), (PrincipalKind::Staff, Role::Cashier, "cashier"));
        assert!(me.permissions.contains(&Permission::CustomersRead));
        assert!(!me.permissions.contains(&Permission::UsersRead));
        // Usernames are not case-sensitive.
        app.client.login(&login_request("  CASHIER ", "demo")).await.unwrap();
    }

    async fn wrong_passwords_and_unknown_users_get_the_same_answer(app) {
        let wrong = refused(app.client.login(&login_request("cashier", "Demo")).await, 401, ErrorCode::InvalidCredentials);
        let unknown = refused(app.client.login(&login_request("nobody", "demo")).await, 401, ErrorCode::InvalidCredentials);
        assert_eq!(wrong.detail, unknown.detail);
    }

    async fn repeated_failures_lock_the_name_until_the_lockout_passes(app) {
        for _ in 0..4 {
            refused(app.client.login(&login_request("agent", "guess")).await, 401, ErrorCode::InvalidCredentials);
        }
        // The fifth failure locks; from then on even the right password is refused.
        refused(app.client.login(&login_request("agent", "guess")).await, 401, ErrorCode::InvalidCredentials);
        let locked = app.client.raw("POST", "api/v1/auth/login", Some(&json!({"username": "agent", "password": "demo"}))).await.unwrap();
        assert_eq!(locked.status, 429);
        assert_eq!(locked.body["code"], "login_locked");
        // Other names are not affected.
        app.client.login(&login_request("cashier", "demo")).await.unwrap();
        app.clock.advance(Duration::minutes(14));
        refused(app.client.login(&login_request("agent", "demo")).await, 429, ErrorCode::LoginLocked);
        app.clock.advance(Duration::minutes(1));
        app.client.login(&login_request("agent", "demo")).await.unwrap();
    }

    async fn a_refresh_token_works_once_and_its_reuse_revokes_the_session(app) {
        let first = app.client.login(&login_request("operator", "demo")).await.unwrap();
        let second = app.client.refresh(&first.refresh_token).await.unwrap();
        assert_ne!(second.refresh_token, first.refresh_token);
        app.client.with_token(&second.access_token).me().await.unwrap();

        // Someone replays the spent token: the whole session ends.
        refused(app.client.refresh(&first.refresh_token).await, 401, ErrorCode::RefreshTokenReused);
        refused(app.client.refresh(&second.refresh_token).await, 401, ErrorCode::InvalidRefreshToken);
        refused(app.client.with_token(&second.access_token).me().await, 401, ErrorCode::InvalidToken);
        refused(app.client.refresh("ort_made-up").await, 401, ErrorCode::InvalidRefreshToken);
    }

    async fn logout_ends_the_session(app) {
        let tokens = app.client.login(&login_request("operator", "demo")).await.unwrap();
        let client = app.client.with_token(&tokens.access_token);
        // Checked once, the session is trusted for a few seconds: signing out ends that too.
        client.me().await.unwrap();
        client.logout().await.unwrap();
        refused(client.me().await, 401, ErrorCode::InvalidToken);
        refused(app.client.refresh(&tokens.refresh_token).await, 401, ErrorCode::InvalidRefreshToken);
    }

    async fn expired_forged_and_foreign_tokens_are_refused(app) {
        let tokens = app.client.login(&login_request("operator", "demo")).await.unwrap();
        let client = app.client.with_token(&tokens.access_token);
        app.clock.advance(Duration::minutes(14));
        client.me().await.unwrap();
        app.clock.advance(Duration::minutes(1));
        refused(client.me().await, 401, ErrorCode::TokenExpired);
        // The refresh token outlives the access token.
        let renewed = app.client.refresh(&tokens.refresh_token).await.unwrap();
        app.client.with_token(&renewed.access_token).me().await.unwrap();

        let now = okno_domain::clock::Clock::now(app.clock.as_ref()).timestamp();
        let claims = |aud: &str, iss: &str| json!({"sub": "staff:1", "sid": 1, "iat": now, "exp": now + 600, "iss": iss, "aud": aud});
        let forged = sign(claims("okno-api", "okno"), "a-secret-that-is-not-the-servers-secret");
        refused(app.client.with_token(&forged).me().await, 401, ErrorCode::InvalidToken);
        let other_audience = sign(claims("other-app", "okno"), TEST_JWT_SECRET);
        let problem = refused(app.client.with_token(&other_audience).me().await, 401, ErrorCode::InvalidToken);
        assert_eq!(problem.detail.as_deref(), Some("invalid token: meant for another audience"));
        let other_issuer = sign(claims("okno-api", "someone"), TEST_JWT_SECRET);
        refused(app.client.with_token(&other_issuer).me().await, 401, ErrorCode::InvalidToken);
        // A token for a session that does not exist, correctly signed.
        let no_session = sign(json!({"sub": "staff:1", "sid": 999999, "iat": now, "exp": now + 600, "iss": "okno", "aud": "okno-api"}), TEST_JWT_SECRET);
        refused(app.client.with_token(&no_session).me().await, 401, ErrorCode::InvalidToken);
        // A JWT of the right key and session that does not say it is an access token.
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        validation.set_audience(&["okno-api"]);
        validation.validate_exp = false;
        let real: serde_json::Value = jsonwebtoken::decode(&renewed.access_token, &jsonwebtoken::DecodingKey::from_secret(TEST_JWT_SECRET.as_bytes()), &validation).unwrap().claims;
        assert_eq!(jsonwebtoken::decode_header(&renewed.access_token).unwrap().typ.as_deref(), Some("at+jwt"));
        let plain_jwt = sign_with(real, TEST_JWT_SECRET, &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256));
        let problem = refused(app.client.with_token(&plain_jwt).me().await, 401, ErrorCode::InvalidToken);
        assert_eq!(problem.detail.as_deref(), Some("invalid token: not an access token"));
        // The "none" algorithm is never accepted.
        let unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJzdGFmZjoxIn0.";
        refused(app.client.with_token(unsigned).me().await, 401, ErrorCode::InvalidToken);
        refused(app.client.me().await, 401, ErrorCode::Unauthorized);
    }

    async fn a_deactivated_user_is_locked_out_at_once(app) {
        let admin = app.as_role(Role::Admin).await;
        let cashier = app.as_role(Role::Cashier).await;
        let page = admin.users(&UserQuery { role: Some(Role::Cashier), ..Default::default() }).await.unwrap();
        let user = &page.items[0];
        cashier.me().await.unwrap();
        admin.update_user(user.id, &UserPatch { version: user.version, active: Some(false), ..Default::default() }).await.unwrap();
        refused(cashier.me().await, 401, ErrorCode::InvalidToken);
        refused(app.client.login(&login_request("cashier", "demo")).await, 401, ErrorCode::InvalidCredentials);
    }

    async fn a_new_role_is_what_the_next_request_acts_with(app) {
        let admin = app.as_role(Role::Admin).await;
        let operator = app.login("operator").await;
        let before = operator.me().await.unwrap();
        assert_eq!(before.role, Role::Operator);
        assert!(before.permissions.contains(&Permission::ContractsWrite));
        operator.customers(&CustomerQuery::default()).await.unwrap();
        let page = admin.users(&UserQuery { role: Some(Role::Operator), ..Default::default() }).await.unwrap();
        let user = page.items.iter().find(|u| u.username == "operator").unwrap();
        admin.update_user(user.id, &UserPatch { version: user.version, role: Some(Role::Technician), ..Default::default() }).await.unwrap();
        let me = operator.me().await.unwrap();
        assert_eq!(me.role, Role::Technician);
        assert!(!me.permissions.contains(&Permission::ContractsWrite));
    }

    async fn changing_the_password_checks_the_old_one_and_ends_other_sessions(app) {
        let other_session = app.login("operator").await;
        other_session.me().await.unwrap();
        let tokens = app.client.login(&login_request("operator", "demo")).await.unwrap();
        let client = app.client.with_token(&tokens.access_token);
        let wrong = refused(
            client.change_password(&ChangePasswordRequest { current_password: "nope".into(), new_password: "a-new-secret".into() }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(wrong.errors[0].field, "current_password");
        let weak = refused(
            client.change_password(&ChangePasswordRequest { current_password: "demo".into(), new_password: "short".into() }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(weak.errors[0].field, "new_password");
        client.change_password(&ChangePasswordRequest { current_password: "demo".into(), new_password: "a-new-secret".into() }).await.unwrap();
        client.me().await.unwrap();
        refused(other_session.me().await, 401, ErrorCode::InvalidToken);
        refused(app.client.login(&login_request("operator", "demo")).await, 401, ErrorCode::InvalidCredentials);
        app.client.login(&login_request("operator", "a-new-secret")).await.unwrap();
    }

    async fn api_keys_act_within_their_scopes_until_revoked(app) {
        let admin = app.as_role(Role::Admin).await;
        let created = admin
            .create_api_key(&NewApiKey { name: "payment gateway".into(), scopes: vec![Permission::CustomersRead], expires_at: None })
            .await
            .unwrap();
        assert!(created.secret.starts_with("okno_"));
        assert!(created.secret.starts_with(&created.key.prefix));
        let integration = app.client.with_token(&created.secret);
        let me = integration.me().await.unwrap();
        assert_eq!((me.kind, me.role), (PrincipalKind::Integration, Role::Integration));
        integration.customers(&CustomerQuery::default()).await.unwrap();
        let forbidden = integration.raw("POST", "api/v1/customers", Some(&json!({"kind": "person"}))).await.unwrap();
        assert_eq!((forbidden.status, forbidden.body["code"].as_str()), (403, Some("forbidden")));
        // The secret is never shown again, only its prefix.
        let listed = admin.api_keys().await.unwrap();
        assert_eq!(listed[0].prefix, created.key.prefix);
        assert!(listed[0].last_used_at.is_some());

        let wrong_secret = format!("{}_{}", created.key.prefix, "x".repeat(43));
        refused(app.client.with_token(&wrong_secret).me().await, 401, ErrorCode::InvalidToken);
        admin.revoke_api_key(created.key.id).await.unwrap();
        refused(integration.me().await, 401, ErrorCode::InvalidToken);
        refused(admin.revoke_api_key(created.key.id).await, 409, ErrorCode::ApiKeyAlreadyRevoked);
        refused(admin.revoke_api_key(9999).await, 404, ErrorCode::ApiKeyNotFound);

        let not_delegable = refused(
            admin.create_api_key(&NewApiKey { name: "x".into(), scopes: vec![Permission::UsersManage], expires_at: None }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(not_delegable.errors[0].field, "scopes[0]");
    }

    async fn keys_expire_and_never_act_as_a_person(app) {
        let admin = app.as_role(Role::Admin).await;
        // Issuing cabinet access answers with the code (a way into a subscriber's cabinet),
        // and approving is the second pair of eyes: both are a person's.
        for person in [Permission::CabinetAccessIssue, Permission::ContractsApprove] {
            let refused = refused(admin.create_api_key(&NewApiKey { name: "x".into(), scopes: vec![Permission::CustomersRead, person], expires_at: None }).await, 422, ErrorCode::ValidationFailed);
            assert_eq!(field_errors(&refused), [("scopes[1]".to_string(), "not_grantable".to_string())]);
        }
        let now = app.state.now();
        for (expires_at, code) in [(now, "in_past"), (now + Duration::days(5 * 366), "out_of_range")] {
            let refused = refused(admin.create_api_key(&NewApiKey { name: "x".into(), scopes: vec![Permission::CustomersRead], expires_at: Some(expires_at) }).await, 422, ErrorCode::ValidationFailed);
            assert_eq!(field_errors(&refused), [("expires_at".to_string(), code.to_string())]);
        }
        let expiring = admin
            .create_api_key(&NewApiKey { name: "nightly export".into(), scopes: vec![Permission::CustomersRead], expires_at: Some(now + Duration::hours(1)) })
            .await
            .unwrap();
        assert_eq!(expiring.key.expires_at.map(|t| t.timestamp()), Some((now + Duration::hours(1)).timestamp()));
        let integration = app.client.with_token(&expiring.secret);
        integration.customers(&CustomerQuery::default()).await.unwrap();
        app.clock.advance(Duration::hours(1));
        let expired = refused(integration.customers(&CustomerQuery::default()).await, 401, ErrorCode::InvalidToken);
        assert!(expired.detail.as_deref().unwrap_or_default().contains("expired"), "{expired:?}");

        // A key made before the rule keeps its row, but no longer the withheld permission.
        let admin = app.as_role(Role::Admin).await;
        let old = admin.create_api_key(&NewApiKey { name: "old crm".into(), scopes: vec![Permission::CustomersRead], expires_at: None }).await.unwrap();
        let id = old.key.id;
        app.state
            .run(move |conn| {
                use diesel::prelude::*;
                use okno_db::schema::api_keys::dsl;
                diesel::update(dsl::api_keys.find(id)).set(dsl::scopes.eq(r#"["cabinet_access_issue","customers_read"]"#)).execute(conn)?;
                Ok(())
            })
            .await
            .unwrap();
        let crm = app.client.with_token(&old.secret);
        let customer = app.as_role(Role::Agent).await.create_customer(&new_person("Ewa", "Kluczowa")).await.unwrap().id;
        refused(crm.issue_activation(customer).await, 403, ErrorCode::Forbidden);
        let listed = admin.api_keys().await.unwrap().into_iter().find(|k| k.id == id).unwrap();
        assert_eq!(listed.scopes, [Permission::CustomersRead]);
    }
}
