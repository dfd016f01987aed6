//! The demo data: seeded whole or not at all.

use okno_db::customers::CustomerRecord;
use okno_db::reference::SalesPointRecord;
use okno_db::sequences;
use okno_e2e::{Backend, TestApp};
use okno_server::demo::{self, SeedOutcome};

/// A failure midway through the seeding leaves the database as empty as it was, so that the
/// demo can be seeded again once the cause is gone, rather than refused as "not empty".
async fn a_failed_seeding_leaves_nothing_behind(backend: Backend) {
    let Some(app) = TestApp::spawn_empty(backend).await else {
        return;
    };
    // Account numbers run out at the first customer: the staff and price list are seeded by
    // then, the customers not.
    app.state
        .run(|conn| {
            sequences::take_block(conn, "customer_account_number", 899_999_999)?;
            Ok(())
        })
        .await
        .unwrap();
    let state = app.state.clone();
    let seeded = app
        .state
        .run(move |conn| demo::seed_demo(&state, conn))
        .await;
    assert!(seeded.is_err(), "{seeded:?}");
    let (head_office, customers) = app
        .state
        .run(|conn| {
            Ok((
                SalesPointRecord::find_by_code(conn, "HQ")?,
                CustomerRecord::list(conn, &Default::default(), None, 1)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(
        head_office, None,
        "the staff seeded before the failure stay"
    );
    assert!(customers.is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_seeding_leaves_nothing_behind_on_sqlite() {
    a_failed_seeding_leaves_nothing_behind(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_seeding_leaves_nothing_behind_on_postgres() {
    a_failed_seeding_leaves_nothing_behind(Backend::Postgres).await;
}

/// The whole demo on an empty database: staff, customers, contracts and two billed months.
async fn the_demo_is_seeded_once(backend: Backend) {
    let Some(app) = TestApp::spawn_empty(backend).await else {
        return;
    };
    let state = app.state.clone();
    let first = app
        .state
        .run(move |conn| demo::seed_demo(&state, conn))
        .await
        .unwrap();
    assert!(
        matches!(first, SeedOutcome::Seeded { customers: 60, .. }),
        "{first:?}"
    );
    let state = app.state.clone();
    let again = app
        .state
        .run(move |conn| demo::seed_demo(&state, conn))
        .await
        .unwrap();
    assert_eq!(again, SeedOutcome::AlreadySeeded);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_is_seeded_once_on_sqlite() {
    the_demo_is_seeded_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_is_seeded_once_on_postgres() {
    the_demo_is_seeded_once(Backend::Postgres).await;
}
