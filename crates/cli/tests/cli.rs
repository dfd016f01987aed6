//! The `okno` binary as an operator runs it, on SQLite and PostgreSQL: a billing run killed
//! mid-month and started again finishes the month with every invoice once and no gap in the
//! numbers; the ledger check tells a sound ledger from a tampered one; a backup restores;
//! logs and help say only what concerns them.

#![expect(clippy::expect_used, reason = "tests fail loudly")]

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use okno_e2e::{Backend, TestDatabase};

/// `okno` with its data in the test's database, quiet logs, and a short claim timeout so a
/// dead worker's customers are taken over within seconds.
fn okno(db: &TestDatabase) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_okno"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .env("OKNO_DATA_DIR", db.data_dir.path())
        .env("OKNO_DATABASE_URL", &db.url)
        .env("OKNO_BILLING_CLAIM_TIMEOUT_SECONDS", "5")
        .env("OKNO_BILLING_BATCH", "200");
    command
}

fn run(mut command: Command) -> Output {
    command.output().expect("okno runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[track_caller]
fn succeeds(command: Command) -> String {
    let output = run(command);
    let text = text(&output);
    assert!(output.status.success(), "okno failed: {text}");
    text
}

fn with_args(db: &TestDatabase, args: &[&str]) -> Command {
    let mut command = okno(db);
    command.args(args);
    command
}

fn count(url: &str, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let database = okno_db::Database::connect(url, 1).expect("database");
    let mut conn = database.get().expect("connection");
    diesel::sql_query(sql)
        .get_result::<Count>(&mut *conn)
        .expect("count")
        .n
}

fn invoices(db: &TestDatabase) -> i64 {
    count(&db.url, "SELECT COUNT(*) AS n FROM invoices")
}

const PERIOD: &str = "2026-11";
const BILL: [&str; 5] = ["bill", "--period", PERIOD, "--issue-date", "2026-12-01"];

fn killed_mid_run_then_run_again(backend: Backend) {
    let Some(db) = TestDatabase::create(backend) else {
        return;
    };
    let seeded = succeeds(with_args(
        &db,
        &["seed", "--generate", "10000", "--period", PERIOD],
    ));
    assert!(seeded.contains("generated 10000 customers"), "{seeded}");
    // One in twenty of them is a prospect and one in twenty closed: 9 000 are billed.

    let mut first = with_args(&db, &BILL);
    let mut first = first
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("okno bill");
    let started = Instant::now();
    while invoices(&db) < 500 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no invoices after two minutes"
        );
        assert!(
            first.try_wait().expect("wait").is_none(),
            "the run ended before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");
    let at_kill = invoices(&db);
    assert!(at_kill < 9_000, "killed mid-run: {at_kill} invoices");

    let again = succeeds(with_args(&db, &BILL));
    assert!(
        again.contains(
            "9000 customers, 9000 invoiced, 0 with nothing to bill, 0 failed, 0 still open"
        ),
        "{again}"
    );
    assert_eq!(invoices(&db), 9_000);
    assert_eq!(
        count(
            &db.url,
            "SELECT COUNT(DISTINCT customer_id) AS n FROM invoices"
        ),
        9_000
    );
    let check = succeeds(with_args(&db, &["check"]));
    assert!(
        check.contains("checked 9000 invoices") && check.contains("the ledger is in order"),
        "{check}"
    );
}

#[test]
fn a_run_killed_mid_month_finishes_when_started_again_sqlite() {
    killed_mid_run_then_run_again(Backend::Sqlite);
}

#[test]
fn a_run_killed_mid_month_finishes_when_started_again_postgres() {
    killed_mid_run_then_run_again(Backend::Postgres);
}

/// `okno serve` bills last month by itself (the billing day is the 1st); killed with SIGKILL
/// mid-run and started again, it finishes the month.
fn server_killed_mid_run_then_restarted(backend: Backend) {
    let Some(db) = TestDatabase::create(backend) else {
        return;
    };
    succeeds(with_args(&db, &["seed", "--generate", "10000"]));
    let serve = || {
        let mut command = with_args(&db, &["serve"]);
        command
            .env("OKNO_LISTEN", "127.0.0.1:0")
            .env("OKNO_BILLING_DAY", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command.spawn().expect("okno serve")
    };
    let mut server = serve();
    let started = Instant::now();
    while invoices(&db) < 500 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the server billed nothing in two minutes"
        );
        assert!(
            server.try_wait().expect("wait").is_none(),
            "the server stopped"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("reaped");
    assert!(invoices(&db) < 9_000, "killed mid-run");

    let mut server = serve();
    let completed = "SELECT COUNT(*) AS n FROM billing_runs WHERE status = 'completed'";
    while count(&db.url, completed) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "the restarted server did not finish the run: {} invoices",
            invoices(&db)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    server.kill().expect("stop");
    server.wait().expect("reaped");
    assert_eq!(invoices(&db), 9_000);
    let check = succeeds(with_args(&db, &["check"]));
    assert!(
        check.contains("checked 9000 invoices") && check.contains("the ledger is in order"),
        "{check}"
    );
}

#[test]
fn a_server_killed_mid_run_finishes_it_when_restarted_sqlite() {
    server_killed_mid_run_then_restarted(Backend::Sqlite);
}

#[test]
fn a_server_killed_mid_run_finishes_it_when_restarted_postgres() {
    server_killed_mid_run_then_restarted(Backend::Postgres);
}

fn check_finds_tampering(backend: Backend) {
    let Some(db) = TestDatabase::create(backend) else {
        return;
    };
    succeeds(with_args(
        &db,
        &["seed", "--generate", "40", "--period", PERIOD],
    ));
    succeeds(with_args(&db, &BILL));
    succeeds(with_args(&db, &["check"]));
    {
        let database = okno_db::Database::connect(&db.url, 1).expect("database");
        let mut conn = database.get().expect("connection");
        diesel::sql_query(
            "UPDATE invoices SET number = 'FV/2026/12/000099' WHERE number = 'FV/2026/12/000036'",
        )
        .execute(&mut *conn)
        .expect("tamper");
    }
    let output = run(with_args(&db, &["check"]));
    let text = text(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("numbering: invoice:FV:2026: numbers missing: 36")
            && text.contains("numbers beyond the counter: 99")
            && text.contains("2 thing(s) out of line"),
        "{text}"
    );
}

#[test]
fn the_check_finds_a_renumbered_invoice_sqlite() {
    check_finds_tampering(Backend::Sqlite);
}

#[test]
fn the_check_finds_a_renumbered_invoice_postgres() {
    check_finds_tampering(Backend::Postgres);
}

#[test]
fn a_backup_restores_the_month_it_was_taken_in() {
    let Some(db) = TestDatabase::create(Backend::Sqlite) else {
        return;
    };
    succeeds(with_args(
        &db,
        &["seed", "--generate", "40", "--period", "2026-10"],
    ));
    let backup = db.data_dir.path().join("before-billing.db");
    let said = succeeds(with_args(
        &db,
        &["backup", "--to", backup.to_str().expect("path")],
    ));
    assert!(said.contains("backed up to"), "{said}");
    succeeds(with_args(
        &db,
        &["bill", "--period", "2026-10", "--issue-date", "2026-11-02"],
    ));
    assert_eq!(invoices(&db), 36);

    let restored = succeeds(with_args(
        &db,
        &["restore", "--from", backup.to_str().expect("path")],
    ));
    assert!(
        restored.contains("0 migration(s) applied") && restored.contains("the ledger is in order"),
        "{restored}"
    );
    assert_eq!(invoices(&db), 0, "the database is as it was before billing");
    let kept: Vec<_> = std::fs::read_dir(db.data_dir.path())
        .expect("folder")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept");
    let replaced = format!("sqlite://{}", kept[0].path().display());
    assert_eq!(
        count(&replaced, "SELECT COUNT(*) AS n FROM invoices"),
        36,
        "with the invoices it held"
    );

    // Billed again after the restore, the month comes out the same.
    succeeds(with_args(
        &db,
        &["bill", "--period", "2026-10", "--issue-date", "2026-11-02"],
    ));
    assert_eq!(invoices(&db), 36);
    succeeds(with_args(&db, &["check"]));
}

#[test]
fn postgres_backups_are_left_to_pg_dump() {
    let db = TestDatabase::create(Backend::Sqlite).expect("folder");
    let target = db.data_dir.path().join("x.db");
    for args in [
        ["backup", "--to", target.to_str().expect("path")],
        ["restore", "--from", target.to_str().expect("path")],
    ] {
        let mut command = with_args(&db, &args);
        command.env("OKNO_DATABASE_URL", "postgres://postgres@127.0.0.1:1/none");
        let output = run(command);
        assert!(!output.status.success());
        assert!(text(&output).contains("pg_dump"), "{}", text(&output));
    }
    assert!(!target.exists());
}

/// The PostgreSQL way of docs/operations.md: `pg_dump` of a billed database, `pg_restore`
/// into an empty one, and Okno carries on there with the ledger intact.
#[test]
fn postgres_round_trips_through_pg_dump_and_pg_restore() {
    let required = std::env::var("OKNO_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    let tools = ["pg_dump", "pg_restore"].map(|tool| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if tools.contains(&false) {
        assert!(!required, "pg_dump and pg_restore are needed on the PATH");
        eprintln!("skipping: pg_dump and pg_restore are not on the PATH");
        return;
    }
    let (Some(source), Some(target)) = (
        TestDatabase::create(Backend::Postgres),
        TestDatabase::create(Backend::Postgres),
    ) else {
        return;
    };
    succeeds(with_args(
        &source,
        &["seed", "--generate", "40", "--period", PERIOD],
    ));
    succeeds(with_args(&source, &BILL));
    let dump = source.data_dir.path().join("okno.dump");
    let mut pg_dump = Command::new("pg_dump");
    pg_dump
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(&dump)
        .arg(&source.url);
    succeeds(pg_dump);
    let mut pg_restore = Command::new("pg_restore");
    pg_restore
        .args(["--no-owner", "--exit-on-error", "--dbname"])
        .arg(&target.url)
        .arg(&dump);
    succeeds(pg_restore);

    let migrated = succeeds(with_args(&target, &["migrate"]));
    assert!(migrated.contains("applied 0 migration(s)"), "{migrated}");
    assert_eq!(invoices(&target), 36);
    let check = succeeds(with_args(&target, &["check"]));
    assert!(
        check.contains("checked 36 invoices") && check.contains("the ledger is in order"),
        "{check}"
    );
    // Billing the month again in the restored database finds it done.
    let again = succeeds(with_args(&target, &BILL));
    assert!(again.contains("36 customers, 36 invoiced"), "{again}");
    assert_eq!(invoices(&target), 36);
}

#[test]
fn logs_to_a_pipe_carry_no_colour_codes() {
    let Some(db) = TestDatabase::create(Backend::Sqlite) else {
        return;
    };
    let mut seed = with_args(&db, &["seed", "--demo"]);
    seed.env("RUST_LOG", "info");
    let output = succeeds(seed);
    assert!(output.contains("applied database migrations"), "{output}");
    assert!(!output.contains('\u{1b}'), "colour codes in {output:?}");
}

#[test]
fn each_command_lists_only_the_options_it_uses() {
    let Some(db) = TestDatabase::create(Backend::Sqlite) else {
        return;
    };
    let help = |command: &[&str]| succeeds(with_args(&db, &[command, &["--help"]].concat()));
    for unrelated in ["--invoice-series", "--operator-name", "--billing-day"] {
        for command in [
            &["user", "add"][..],
            &["migrate"],
            &["backup"],
            &["openapi"],
        ] {
            let text = help(command);
            assert!(
                !text.contains(unrelated),
                "okno {command:?} --help lists {unrelated}"
            );
            assert!(
                text.contains("--database"),
                "okno {command:?} --help: {text}"
            );
        }
        for command in [
            &["serve"][..],
            &["bill"],
            &["seed"],
            &["check"],
            &["restore"],
        ] {
            assert!(
                help(command).contains(unrelated),
                "okno {command:?} --help lacks {unrelated}"
            );
        }
    }
}

#[test]
fn a_gateway_or_a_messenger_set_up_wrong_is_refused_at_start() {
    let Some(db) = TestDatabase::create(Backend::Sqlite) else {
        return;
    };
    for (env, expected) in [
        (
            vec![("OKNO_GATEWAY", "stripe")],
            "--gateway stripe needs OKNO_STRIPE_SECRET_KEY",
        ),
        (
            // Compose passes a variable it has no value for as empty.
            vec![
                ("OKNO_GATEWAY", "stripe"),
                ("OKNO_STRIPE_SECRET_KEY", "sk_test_x"),
                ("OKNO_STRIPE_WEBHOOK_SECRET", ""),
            ],
            "--gateway stripe needs OKNO_STRIPE_WEBHOOK_SECRET",
        ),
        (
            vec![("OKNO_PUBLIC_URL", "ftp://ebok.example.pl")],
            "is not http(s)",
        ),
        (
            vec![("OKNO_SMS", "smsapi")],
            "--sms smsapi needs OKNO_SMSAPI_TOKEN",
        ),
        (vec![("OKNO_QUIET_HOURS", "21-8")], "OKNO_QUIET_HOURS"),
        (
            vec![("OKNO_TIME_ZONE", "Europe/Warszawa")],
            "is not a time zone",
        ),
        (
            vec![("OKNO_SMTP_URL", "imap://mail.example.pl")],
            "the SMTP URL",
        ),
    ] {
        let mut serve = with_args(&db, &["serve", "--listen", "127.0.0.1:0"]);
        serve.envs(env.iter().copied());
        let output = run(serve);
        assert!(!output.status.success(), "okno served with {env:?}");
        assert!(
            text(&output).contains(expected),
            "{env:?}: {}",
            text(&output)
        );
    }
}

fn imports_a_bank_statement_once(backend: Backend) {
    let Some(db) = TestDatabase::create(backend) else {
        return;
    };
    // Generated customers are numbered as registered ones: the file's 100000058 and
    // 100000074 are customers 5 and 7.
    succeeds(with_args(
        &db,
        &["seed", "--generate", "10", "--period", PERIOD],
    ));
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/statements/mt940_pl.sta"
    );
    let first = succeeds(with_args(&db, &["import", "payments", file]));
    assert!(
        first.contains("mt940_pl.sta: 2 registered, 1 unmatched, 0 duplicates, 1 debits skipped"),
        "{first}"
    );
    let again = succeeds(with_args(&db, &["import", "payments", file]));
    assert!(again.contains("was imported before"), "{again}");
    assert_eq!(count(&db.url, "SELECT COUNT(*) AS n FROM payments"), 2);

    let bad = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/statements/mt940_bad_line.sta"
    );
    let output = run(with_args(&db, &["import", "payments", bad]));
    let text = text(&output);
    assert!(!output.status.success(), "{text}");
    assert!(
        text.contains("line 7: the amount \"1O5,00\" is not a number"),
        "{text}"
    );
    assert_eq!(
        count(&db.url, "SELECT COUNT(*) AS n FROM payment_imports"),
        1
    );
}

#[test]
fn imports_a_bank_statement_once_sqlite() {
    imports_a_bank_statement_once(Backend::Sqlite);
}

#[test]
fn imports_a_bank_statement_once_postgres() {
    imports_a_bank_statement_once(Backend::Postgres);
}

/// `okno complaints check` from cron: the demo's complaint left unanswered past its day is
/// deemed accepted once; a second run finds nothing; a setting looser than the law is warned
/// of.
fn complaint_clock_from_cron(backend: Backend) {
    let Some(db) = TestDatabase::create(backend) else {
        return;
    };
    succeeds(with_args(&db, &["seed", "--demo"]));
    let first = succeeds(with_args(&db, &["complaints", "check"]));
    assert!(
        first.contains("complaints deemed accepted: 1, answered as time-barred: 0"),
        "{first}"
    );
    let deemed = count(
        &db.url,
        "SELECT COUNT(*) AS n FROM complaints WHERE outcome = 'deemed_accepted' AND decided_by = 'system'",
    );
    assert_eq!(deemed, 1);
    let mut again = with_args(&db, &["complaints", "check"]);
    again.env("OKNO_COMPLAINT_ANSWER_DAYS", "45");
    let second = succeeds(again);
    assert!(
        second.contains("complaints deemed accepted: 0, answered as time-barred: 0"),
        "{second}"
    );
    assert!(second.contains("looser than the law"), "{second}");
}

#[test]
fn the_complaint_clock_runs_from_cron_sqlite() {
    complaint_clock_from_cron(Backend::Sqlite);
}

#[test]
fn the_complaint_clock_runs_from_cron_postgres() {
    complaint_clock_from_cron(Backend::Postgres);
}
