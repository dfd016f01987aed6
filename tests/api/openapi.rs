//! The committed `openapi/openapi.json` is the API as the code defines it. Regenerate it with
//! `cargo run -p okno -- openapi > openapi/openapi.json` (or run this test with
//! `OKNO_UPDATE_OPENAPI=1`).

use std::path::PathBuf;

#[test]
fn the_committed_spec_matches_the_code() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    let generated = okno_server::openapi::spec_json();
    if std::env::var("OKNO_UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date with the code; run `cargo run -p okno -- openapi > openapi/openapi.json` and commit it"
    );
}

#[test]
fn the_spec_is_openapi_3_1_with_problem_errors() {
    let spec = serde_json::to_value(okno_server::openapi::spec()).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["components"]["schemas"]["Problem"].is_object());
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
    let codes = spec["components"]["schemas"]["ErrorCode"].to_string();
    for code in [
        "validation_failed",
        "version_conflict",
        "forbidden",
        "customer_not_found",
    ] {
        assert!(
            codes.contains(code),
            "{code} missing from the ErrorCode schema"
        );
    }
}

okno_e2e::both_backends! {
    async fn the_documentation_answers_without_its_trailing_slash(app) {
        let docs = app.client.raw("GET", "api/docs", None).await.unwrap();
        assert_eq!(docs.status, 200, "redirected to /api/docs/");
        assert!(docs.body.as_str().is_some_and(|html| html.contains("swagger")), "{:?}", docs.body);
    }
}
