//! Staff users, sales points and topics: the administrator's side.

use okno_api_types::auth::{LoginRequest, Realm};
use okno_api_types::reference::{LocalizedName, NewSalesPoint, NewTopic, SalesPointKind};
use okno_api_types::users::{NewUser, UserPatch, UserQuery};
use okno_api_types::{ErrorCode, Language, Role};
use okno_e2e::{both_backends, field_errors, refused};

fn new_user(username: &str, role: Role) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: "Nowa Osoba".into(),
        role,
        sales_point_id: None,
        password: "bezpieczne-haslo".into(),
    }
}

both_backends! {
    async fn an_administrator_adds_a_user_who_can_then_log_in(app) {
        let admin = app.as_role(Role::Admin).await;
        let points = admin.sales_points().await.unwrap();
        let krakow = points.iter().find(|p| p.code == "KRK-1").unwrap();
        let user = admin.create_user(&NewUser { sales_point_id: Some(krakow.id), ..new_user("Kasjer.Krakow", Role::Cashier) }).await.unwrap();
        assert_eq!((user.username.as_str(), user.role, user.sales_point_id, user.active), ("kasjer.krakow", Role::Cashier, Some(krakow.id), true));
        let tokens = app.client.login(&LoginRequest { username: "kasjer.krakow".into(), password: "bezpieczne-haslo".into(), realm: Realm::Staff }).await.unwrap();
        assert_eq!(tokens.principal.sales_point_id, Some(krakow.id));

        refused(admin.create_user(&new_user("kasjer.krakow", Role::Agent)).await, 409, ErrorCode::UsernameTaken);
        let invalid = refused(
            admin.create_user(&NewUser { password: "kasjer.krakow2!".into(), sales_point_id: Some(999), ..new_user("kasjer.krakow2", Role::Subscriber) }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        let mut fields = field_errors(&invalid);
        fields.sort();
        assert_eq!(fields, [
            ("password".to_string(), "weak_password".to_string()),
            ("role".to_string(), "invalid_value".to_string()),
            ("sales_point_id".to_string(), "unknown_reference".to_string()),
        ]);
        let cashiers = admin.users(&UserQuery { role: Some(Role::Cashier), ..Default::default() }).await.unwrap();
        assert_eq!(cashiers.items.len(), 2);
    }

    async fn nobody_can_lock_themselves_out(app) {
        let admin = app.as_role(Role::Admin).await;
        let me = admin.me().await.unwrap();
        let user = admin.user(me.id).await.unwrap();
        let refusal = refused(
            admin.update_user(me.id, &UserPatch { version: user.version, active: Some(false), role: Some(Role::Cashier), ..Default::default() }).await,
            422,
            ErrorCode::ValidationFailed,
        );
        assert_eq!(refusal.errors.len(), 2);
        let renamed = admin.update_user(me.id, &UserPatch { version: user.version, display_name: Some("Główny Administrator".into()), ..Default::default() }).await.unwrap();
        assert_eq!((renamed.display_name.as_str(), renamed.version), ("Główny Administrator", user.version + 1));
        let stale = refused(admin.update_user(me.id, &UserPatch { version: user.version, ..Default::default() }).await, 409, ErrorCode::VersionConflict);
        assert_eq!(stale.current.unwrap()["display_name"], "Główny Administrator");
        refused(admin.user(4040).await, 404, ErrorCode::UserNotFound);
    }

    async fn a_password_reset_ends_the_users_sessions(app) {
        let admin = app.as_role(Role::Admin).await;
        let technician = app.as_role(Role::Technician).await;
        let id = technician.me().await.unwrap().id;
        let user = admin.user(id).await.unwrap();
        admin.update_user(id, &UserPatch { version: user.version, password: Some("nowe-haslo-123".into()), ..Default::default() }).await.unwrap();
        refused(technician.me().await, 401, ErrorCode::InvalidToken);
        app.client.login(&LoginRequest { username: "technician".into(), password: "nowe-haslo-123".into(), realm: Realm::Staff }).await.unwrap();
    }

    async fn sales_points_report_to_a_head_office(app) {
        let admin = app.as_role(Role::Admin).await;
        let points = admin.sales_points().await.unwrap();
        assert_eq!(points.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["HQ", "WAW-1", "KRK-1"]);
        let hq = &points[0];
        let waw = &points[1];
        let orphan = NewSalesPoint { code: "gda-1".into(), name: "Gdańsk".into(), kind: SalesPointKind::SalesPoint, parent_id: None, address: "ul. Długa 1, 80-827 Gdańsk".into(), phone: None };
        let problem = refused(admin.create_sales_point(&orphan).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&problem), [("parent_id".to_string(), "required".to_string())]);
        let under_a_point = refused(admin.create_sales_point(&NewSalesPoint { parent_id: Some(waw.id), ..orphan.clone() }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(field_errors(&under_a_point), [("parent_id".to_string(), "invalid_value".to_string())]);
        let created = admin.create_sales_point(&NewSalesPoint { parent_id: Some(hq.id), ..orphan.clone() }).await.unwrap();
        assert_eq!(created.code, "GDA-1");
        refused(admin.create_sales_point(&NewSalesPoint { parent_id: Some(hq.id), ..orphan }).await, 409, ErrorCode::SalesPointCodeTaken);
        // Everyone sees the points at once; only the administrator opens them.
        let cashier = app.as_role(Role::Cashier).await;
        assert_eq!(cashier.sales_points().await.unwrap().len(), 4);
        assert_eq!(cashier.sales_point(created.id).await.unwrap().name, "Gdańsk");
        refused(cashier.sales_point(999).await, 404, ErrorCode::SalesPointNotFound);
    }

    async fn topics_carry_names_in_three_languages(app) {
        let admin = app.as_role(Role::Admin).await;
        let topic = admin
            .create_topic(&NewTopic { code: "Tech.Router".into(), name: LocalizedName { en: "Router".into(), pl: Some("Router".into()), ru: Some("Роутер".into()) } })
            .await
            .unwrap();
        assert_eq!((topic.code.as_str(), topic.name.get(Language::Ru)), ("tech.router", "Роутер"));
        let english_only = admin.create_topic(&NewTopic { code: "misc".into(), name: LocalizedName { en: "Other".into(), pl: None, ru: None } }).await.unwrap();
        assert_eq!(english_only.name.get(Language::Pl), "Other");
        refused(admin.create_topic(&NewTopic { code: "misc".into(), name: LocalizedName { en: "Again".into(), pl: None, ru: None } }).await, 409, ErrorCode::TopicCodeTaken);
        let blank = refused(admin.create_topic(&NewTopic { code: "x y".into(), name: LocalizedName { en: " ".into(), pl: None, ru: None } }).await, 422, ErrorCode::ValidationFailed);
        assert_eq!(blank.errors.len(), 2);
        let operator = app.as_role(Role::Operator).await;
        refused(operator.create_topic(&NewTopic { code: "z".into(), name: LocalizedName { en: "Z".into(), pl: None, ru: None } }).await, 403, ErrorCode::Forbidden);
    }
}
