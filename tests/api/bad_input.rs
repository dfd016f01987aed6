//! Bad input of every kind gets a precise 4xx problem, and nothing is written.

use okno_api_types::Role;
use okno_api_types::customers::CustomerQuery;
use okno_e2e::both_backends;
use serde_json::json;

both_backends! {
    async fn malformed_requests_name_what_is_wrong_and_write_nothing(app) {
        let agent = app.as_role(Role::Agent).await;
        let cases = [
            (json!({"kind": "person", "first_name": "A", "last_name": "B", "nickname": "x"}), "nickname", "unknown_field"),
            (json!({"kind": "person", "first_name": 5, "last_name": "B"}), "first_name", "invalid_type"),
            (json!({"kind": "alien", "first_name": "A", "last_name": "B"}), "kind", "invalid_value"),
            (json!({"first_name": "A", "last_name": "B"}), "kind", "required"),
            (json!({"kind": "person", "first_name": "A", "last_name": "B".repeat(101)}), "last_name", "too_long"),
            (json!({"kind": "person", "first_name": "A", "last_name": "B", "phones": [{"value": "600 100 200"}, {"value": "12"}]}), "phones[1].value", "invalid_phone"),
            (json!({"kind": "person", "first_name": "A", "last_name": "B", "emails": [{"value": "not-an-email"}]}), "emails[0].value", "invalid_email"),
            (json!({"kind": "person", "first_name": "A", "last_name": "B", "addresses": [{"kind": "residence", "street": "ul. X", "building": "1", "postal_code": "1234", "city": "Y"}]}), "addresses[0].postal_code", "invalid_postal_code"),
            (json!({"kind": "organisation", "organisation_name": "Firma", "tax_id": {"value": "1234563219"}}), "tax_id.value", "nip_invalid"),
        ];
        for (body, field, code) in cases {
            let answer = agent.raw("POST", "api/v1/customers", Some(&body)).await.unwrap();
            assert_eq!(answer.status, 422, "{body}: {:?}", answer.body);
            assert_eq!(answer.content_type.as_deref(), Some("application/problem+json"));
            assert_eq!(answer.body["code"], "validation_failed");
            assert_eq!(answer.body["errors"][0]["field"], field, "{body}: {:?}", answer.body);
            assert_eq!(answer.body["errors"][0]["code"], code, "{body}: {:?}", answer.body);
        }
        let not_json = agent.raw("POST", "api/v1/customers", None).await.unwrap();
        assert_eq!((not_json.status, not_json.body["code"].as_str()), (415, Some("unsupported_media_type")));
        let list = agent.customers(&CustomerQuery::default()).await.unwrap();
        assert!(list.items.is_empty(), "nothing may be written: {:?}", list.items);
    }

    async fn broken_json_paths_and_queries_are_client_errors(app) {
        let operator = app.as_role(Role::Operator).await;
        let base = &app.base_url;
        let token = operator.token().unwrap().to_owned();
        let http = reqwest_like(base, &token);
        let (status, body) = http.post_text("api/v1/customers", "{\"kind\": \"person\",").await;
        assert_eq!((status, body["code"].as_str()), (400, Some("malformed_request")));
        let (status, body) = http.post_text("api/v1/customers", &"x".repeat(2 * 1024 * 1024)).await;
        assert_eq!((status, body["code"].as_str()), (413, Some("payload_too_large")));

        let not_a_number = operator.raw("GET", "api/v1/customers/abc", None).await.unwrap();
        assert_eq!((not_a_number.status, not_a_number.body["code"].as_str()), (422, Some("validation_failed")));
        // A whole number written with a fraction is that integer, as JSON Schema's `integer` has it.
        let written_whole = operator.raw("GET", "api/v1/customers/9999.0", None).await.unwrap();
        assert_eq!((written_whole.status, written_whole.body["code"].as_str()), (404, Some("customer_not_found")));
        let in_query = operator.raw("GET", "api/v1/messages?customer_id=9999.00&limit=5.0", None).await.unwrap();
        assert_eq!(in_query.status, 200, "{:?}", in_query.body);
        let fraction = operator.raw("GET", "api/v1/customers/9999.5", None).await.unwrap();
        assert_eq!(fraction.status, 422);
        let unknown_param = operator.raw("GET", "api/v1/customers?colour=red", None).await.unwrap();
        assert_eq!((unknown_param.status, unknown_param.body["errors"][0]["field"].as_str()), (422, Some("colour")));
        let bad_enum = operator.raw("GET", "api/v1/customers?status=sleeping", None).await.unwrap();
        assert_eq!((bad_enum.status, bad_enum.body["errors"][0]["field"].as_str()), (422, Some("status")));
        let no_route = operator.raw("GET", "api/v1/nothing-here", None).await.unwrap();
        assert_eq!((no_route.status, no_route.body["code"].as_str()), (404, Some("route_not_found")));
        let anonymous = app.client.raw("GET", "api/v1/customers", None).await.unwrap();
        assert_eq!((anonymous.status, anonymous.body["code"].as_str()), (401, Some("unauthorized")));
    }
}

/// Sends bodies the typed client cannot: broken JSON, oversized payloads.
struct RawHttp {
    base: String,
    token: String,
}

fn reqwest_like(base: &str, token: &str) -> RawHttp {
    RawHttp {
        base: base.to_owned(),
        token: token.to_owned(),
    }
}

impl RawHttp {
    async fn post_text(&self, path: &str, body: &str) -> (u16, serde_json::Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/{path}", self.base))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }
}
