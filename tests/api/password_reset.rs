//! Cabinet codes by message: the activation code staff issue goes to the customer too,
//! and a subscriber who forgot the password gets a one-time code at the address on the
//! record. The answer never tells whether an account exists; staff never read a code.

use std::time::Duration as StdDuration;

use okno_api_types::ErrorCode;
use okno_api_types::auth::{LoginRequest, Realm};
use okno_api_types::cabinet::ActivateRequest;
use okno_api_types::customers::{CustomerPatch, EmailEntry};
use okno_api_types::notifications::{
    Message, MessageChannel, MessageQuery, NotificationEvent, PasswordResetRequest,
};
use okno_client::Client;
use okno_domain::access::Role;
use okno_domain::notifications::HIDDEN_SECRET;
use okno_e2e::{TestApp, field_errors, refused};

use crate::contracts::contract_in_force;

async fn messages_of(client: &Client, customer: i64, event: NotificationEvent) -> Vec<Message> {
    client
        .messages(&MessageQuery {
            customer_id: Some(customer),
            event: Some(event),
            ..Default::default()
        })
        .await
        .unwrap()
        .items
}

/// The requests are answered before the codes are written: waits for `count` of them.
async fn wait_for(client: &Client, customer: i64, count: usize) -> Vec<Message> {
    for _ in 0..100 {
        let found: Vec<Message> = messages_of(client, customer, NotificationEvent::PasswordReset)
            .await
            .into_iter()
            .filter(|m| m.channel == MessageChannel::Email)
            .collect();
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    panic!("no {count} password reset messages for {customer}");
}

/// The code in an e-mail: the text in its `<strong>`.
fn code_in(html: &str) -> String {
    let start = html.find("<strong>").unwrap() + "<strong>".len();
    let end = html[start..].find("</strong>").unwrap() + start;
    html[start..end].to_owned()
}

async fn signs_in(app: &TestApp, account: &str, password: &str) -> bool {
    app.client
        .login(&LoginRequest {
            username: account.into(),
            password: password.into(),
            realm: Realm::Subscriber,
        })
        .await
        .is_ok()
}

async fn a_forgotten_password_is_set_anew_with_a_code_sent_to_the_record(
    backend: okno_e2e::Backend,
) {
    let sink = okno_e2e::mail::SmtpSink::start();
    let url = sink.url();
    let Some(app) = TestApp::spawn_with(backend, move |settings| {
        settings.notifications.smtp_url = Some(url);
        settings.online_payments.public_url = Some("https://ebok.example.pl/".into());
    })
    .await
    else {
        return;
    };
    let agent = app.as_role(Role::Agent).await;
    let customer = contract_in_force(&app, "Zapominalska", "internet-300", None, None)
        .await
        .customer_id;
    let version = agent.customer(customer).await.unwrap().version;
    agent
        .update_customer(
            customer,
            &CustomerPatch {
                version,
                emails: Some(vec![EmailEntry {
                    value: "ewa.zapominalska@example.pl".into(),
                    label: None,
                }]),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    // The activation code goes to the customer as well; staff see it hidden.
    let issued = agent.issue_activation(customer).await.unwrap();
    let account = issued.account_number.clone();
    let activation = messages_of(&agent, customer, NotificationEvent::CabinetActivation).await;
    assert_eq!(activation.len(), 2, "by e-mail and SMS: {activation:#?}");
    for message in &activation {
        assert!(message.body.contains(HIDDEN_SECRET), "{}", message.body);
        assert!(!message.body.contains(&issued.code), "{}", message.body);
    }
    // (The SMS may wait out the quiet hours; the e-mail goes now.)
    app.deliver().await;
    assert_eq!(sink.received().len(), 1);
    let mail = okno_e2e::mail::read(&sink.received()[0]);
    assert_eq!(code_in(&mail.html), issued.code);
    assert!(
        mail.html.replace("&#x2f;", "/").contains(&format!(
            "https://ebok.example.pl/cabinet/activate?account={account}&amp;code={}",
            issued.code
        )),
        "{}",
        mail.html
    );
    app.client
        .activate_cabinet(&ActivateRequest {
            account_number: account.clone(),
            activation_code: issued.code.clone(),
            password: "stare-haslo-2026".into(),
        })
        .await
        .unwrap();

    // Forgotten: asked for by the e-mail address on the record, in any case.
    let asked = app
        .client
        .request_password_reset(&PasswordResetRequest {
            login: "Ewa.Zapominalska@Example.PL".into(),
        })
        .await
        .unwrap();
    let unknown = app
        .client
        .request_password_reset(&PasswordResetRequest {
            login: "kto.to@example.pl".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        asked, unknown,
        "the same answer for an account that does not exist"
    );
    let reset = wait_for(&agent, customer, 1).await;
    assert!(reset[0].body.contains(HIDDEN_SECRET));
    app.deliver().await;
    assert_eq!(sink.received().len(), 2);
    let mail = sink
        .received()
        .iter()
        .map(|m| okno_e2e::mail::read(m))
        .find(|m| m.subject == "Ustaw nowe hasło do e-BOK")
        .unwrap();
    let code = code_in(&mail.html);
    let sent = messages_of(&agent, customer, NotificationEvent::PasswordReset).await;
    assert!(
        sent.iter().all(|m| !m.body.contains(&code)),
        "a delivered code is not kept readable"
    );

    // The old password works until the code is used; then only the new one.
    assert!(signs_in(&app, &account, "stare-haslo-2026").await);
    app.client
        .activate_cabinet(&ActivateRequest {
            account_number: account.clone(),
            activation_code: code.clone(),
            password: "nowe-haslo-2026".into(),
        })
        .await
        .unwrap();
    assert!(!signs_in(&app, &account, "stare-haslo-2026").await);
    assert!(signs_in(&app, &account, "nowe-haslo-2026").await);
    refused(
        app.client
            .activate_cabinet(&ActivateRequest {
                account_number: account.clone(),
                activation_code: code,
                password: "trzecie-haslo-2026".into(),
            })
            .await,
        409,
        ErrorCode::InvalidActivationCode,
    );

    // Three codes an hour per account, by the account number too; the rest are dropped
    // without a word.
    for _ in 0..3 {
        app.client
            .request_password_reset(&PasswordResetRequest {
                login: account.clone(),
            })
            .await
            .unwrap();
    }
    wait_for(&agent, customer, 3).await;
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    let emails = messages_of(&agent, customer, NotificationEvent::PasswordReset)
        .await
        .into_iter()
        .filter(|m| m.channel == MessageChannel::Email)
        .count();
    assert_eq!(emails, 3);

    // Ten requests an hour from one address: the eleventh is refused, whatever it names.
    let problem = refused(
        app.client
            .request_password_reset(&PasswordResetRequest { login: "  ".into() })
            .await,
        422,
        ErrorCode::ValidationFailed,
    );
    assert_eq!(
        field_errors(&problem),
        [("login".to_owned(), "required".to_owned())]
    );
    for _ in 0..5 {
        app.client
            .request_password_reset(&PasswordResetRequest {
                login: "100000000".into(),
            })
            .await
            .unwrap();
    }
    refused(
        app.client
            .request_password_reset(&PasswordResetRequest {
                login: "100000000".into(),
            })
            .await,
        429,
        ErrorCode::TooManyRequests,
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_set_anew_with_a_code_sent_to_the_record_sqlite() {
    a_forgotten_password_is_set_anew_with_a_code_sent_to_the_record(okno_e2e::Backend::Sqlite)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_set_anew_with_a_code_sent_to_the_record_postgres() {
    a_forgotten_password_is_set_anew_with_a_code_sent_to_the_record(okno_e2e::Backend::Postgres)
        .await;
}
