//! `okno seed --generate`: a generated operator is what the API would have stored, found and
//! numbered the same way.

use diesel::prelude::*;
use okno_api_types::customers::CustomerQuery;
use okno_api_types::{CustomerKind, Role};
use okno_db::schema::{customers, interactions, subscriptions};
use okno_domain::billing::Period;
use okno_domain::customers::AccountNumber;
use okno_e2e::both_backends;

use crate::customers::new_person;

const CUSTOMERS: usize = 2_000;

both_backends! {
    async fn a_generated_operator_is_found_and_numbered_like_a_registered_one(app) {
        let period = Period::of(app.today()).previous();
        let state = app.state.clone();
        let mut steps = Vec::new();
        let generated = app
            .state
            .run(move |conn| {
                let generated = okno_server::demo::generated::seed_generated(&state, conn, period, CUSTOMERS, &mut |s, n| steps.push((s, n)));
                Ok((generated?, steps))
            })
            .await
            .unwrap();
        let (generated, steps) = (generated.0.unwrap(), generated.1);
        let mut started: Vec<usize> = steps.iter().map(|&(s, _)| s).collect();
        started.dedup();
        assert_eq!(started, (0..okno_server::demo::generated::STEPS.len()).collect::<Vec<_>>());
        // Every step that goes through the customers reports them all, the last report at 2 000.
        for step in 0..8 {
            let counts: Vec<u64> = steps.iter().filter(|&&(s, _)| s == step).map(|&(_, n)| n).collect();
            assert_eq!(counts, [0, 2_000], "step {step}");
        }
        // One in twenty a prospect (no contract), one in twenty closed: 1 900 contracts, 1 800
        // active; every fourth customer (all active) has a phone line with five calls.
        assert_eq!(
            (generated.customers, generated.active, generated.subscriptions, generated.usage_events),
            (2_000, 1_800, 1_900 + 500, 2_500)
        );
        let (organisations, russian, contacts, lines) = app
            .state
            .run(|conn| {
                let organisations: i64 = customers::table.filter(customers::kind.eq("organisation")).count().get_result(conn).map_err(okno_db::DbError::from)?;
                let russian: i64 = customers::table.filter(customers::preferred_language.eq("ru")).count().get_result(conn).map_err(okno_db::DbError::from)?;
                let contacts: i64 = interactions::table.count().get_result(conn).map_err(okno_db::DbError::from)?;
                let lines: i64 = subscriptions::table.count().get_result(conn).map_err(okno_db::DbError::from)?;
                Ok((organisations, russian, contacts, lines))
            })
            .await
            .unwrap();
        assert_eq!((organisations, russian, lines), (GENERATED_ORGANISATIONS, GENERATED_RUSSIAN, 2_400));
        assert_eq!(contacts, i64::try_from(generated.interactions).unwrap());
        assert_eq!(contacts, GENERATED_CONTACTS);

        let operator = app.as_role(Role::Operator).await;
        let card = operator.customer(1_234).await.unwrap();
        assert_eq!(card.status, okno_api_types::CustomerStatus::Active);
        assert_eq!(operator.customer(1_211).await.unwrap().status, okno_api_types::CustomerStatus::Closed);
        assert_eq!(operator.customer(1_213).await.unwrap().status, okno_api_types::CustomerStatus::Prospect);
        let search = |q: String| {
            let operator = operator.clone();
            async move {
                operator
                    .customers(&CustomerQuery { q: Some(q), limit: Some(100), ..Default::default() })
                    .await
                    .unwrap()
                    .items
                    .into_iter()
                    .map(|c| c.id)
                    .collect::<Vec<_>>()
            }
        };
        let name = match card.kind {
            CustomerKind::Organisation => card.organisation_name.clone().unwrap(),
            _ => format!("{} {}", card.last_name.clone().unwrap(), card.first_name.clone().unwrap()),
        };
        assert!(search(name.clone()).await.contains(&1_234), "{name}");
        let digits: String = card.phones[0].value.chars().filter(char::is_ascii_digit).collect();
        let fragment = digits[digits.len() - 6..].to_owned();
        assert!(search(fragment.clone()).await.contains(&1_234), "{fragment}");
        let home = &card.addresses[0];
        let street = home.street.split_once(". ").map_or(home.street.as_str(), |(_, s)| s);
        let building = search(format!("{street} {} {}", home.building, home.city)).await;
        // Thirty flats to a building: customers 1 231 to 1 260 live with 1 234.
        for neighbour in 1_231..=1_260 {
            assert!(building.contains(&neighbour), "{neighbour} is not found at {street} {}", home.building);
        }
        assert_eq!(search(card.account_number.clone()).await, vec![1_234]);

        let registered = operator.create_customer(&new_person("Barbara", "Nowak")).await.unwrap();
        assert_eq!(registered.account_number, AccountNumber::from_sequence(2_001).unwrap().to_string());
    }
}

const GENERATED_ORGANISATIONS: i64 = 240;
const GENERATED_RUSSIAN: i64 = 478;
const GENERATED_CONTACTS: i64 = 3_940;
