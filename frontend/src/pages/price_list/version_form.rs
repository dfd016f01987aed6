//! The form that publishes a tariff's next version, or creates a tariff with its first.

use chrono::NaiveDate;
use leptos::prelude::*;
use okno_api_types::Language;
use okno_api_types::tariffs::{
    FeeKind, NewTariff, NewTariffVersion, OneOffFee, ServiceKind, Tariff, TariffVersion, Tier,
    UsageRate, UsageUnit,
};
use okno_domain::calendar::first_of_next_month;
use okno_domain::format;

use super::vat_options;
use crate::api::{self, Failure};
use crate::components::forms::{Checkbox, Field, Select, checked, enum_options, error_of};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::pages::contracts::today;
use crate::session::{Session, use_session};
use crate::time::language;

/// The fields of the version, as the server names them in a new tariff; the form checks the
/// amounts (and the unit price, a made-up field) before sending.
const MONTHLY_FEE: &str = "version.monthly_fee_minor";
const INSTALLATION: &str = "version.installation";
const ACTIVATION: &str = "version.activation";
const UNIT_PRICE: &str = "version.unit_price";

/// What a new version keeps from the one it follows without showing it: the one-off fees
/// other than installation and activation, the usage rates after the first, and the first
/// rate's price bands.
#[derive(Debug, Default)]
struct Kept {
    other_fees: Vec<OneOffFee>,
    extra_rates: Vec<UsageRate>,
    tiers: Vec<Tier>,
}

/// The inputs of a version.
#[derive(Debug, Clone, Copy)]
struct VersionInputs {
    effective_from: RwSignal<String>,
    monthly_fee: RwSignal<String>,
    vat_rate: RwSignal<String>,
    prepaid: RwSignal<bool>,
    installation: RwSignal<String>,
    activation: RwSignal<String>,
    /// Empty for a tariff without usage charges.
    unit: RwSignal<String>,
    unit_price: RwSignal<String>,
    free_units: RwSignal<String>,
    kept: StoredValue<Kept>,
}

impl VersionInputs {
    /// Filled in from `base`, the version the new one follows (none for a new tariff), with
    /// amounts written as in `lang`.
    fn new(base: Option<&TariffVersion>, lang: Language) -> Self {
        let money = |minor: i64| format::money_input(minor, lang);
        let fee_of = |kind: FeeKind| {
            base.and_then(|v| v.one_off_fees.iter().find(|f| f.kind == kind))
                .map(|f| money(f.amount_minor))
                .unwrap_or_default()
        };
        let rate = base.and_then(|v| v.usage_rates.first());
        let kept = Kept {
            other_fees: base
                .map(|v| {
                    v.one_off_fees
                        .iter()
                        .filter(|f| f.kind == FeeKind::Other)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default(),
            extra_rates: base
                .map(|v| v.usage_rates.iter().skip(1).cloned().collect())
                .unwrap_or_default(),
            tiers: rate.map(|r| r.tiers.clone()).unwrap_or_default(),
        };
        Self {
            effective_from: RwSignal::new(first_of_next_month(today()).to_string()),
            monthly_fee: RwSignal::new(
                base.map(|v| money(v.monthly_fee_minor)).unwrap_or_default(),
            ),
            vat_rate: RwSignal::new(base.map_or(2300, |v| v.vat_rate_bp).to_string()),
            prepaid: RwSignal::new(base.is_some_and(|v| v.prepaid)),
            installation: RwSignal::new(fee_of(FeeKind::Installation)),
            activation: RwSignal::new(fee_of(FeeKind::Activation)),
            unit: RwSignal::new(rate.map(|r| r.unit.as_str().to_owned()).unwrap_or_default()),
            unit_price: RwSignal::new(
                rate.map(|r| format::unit_price(r.price_e4, lang))
                    .unwrap_or_default(),
            ),
            free_units: RwSignal::new(
                rate.filter(|r| r.free_allowance_milli > 0)
                    .map(|r| (r.free_allowance_milli / 1000).to_string())
                    .unwrap_or_default(),
            ),
            kept: StoredValue::new(kept),
        }
    }

    /// The version as typed, with the fees named in `locale`; or the fields whose amounts do
    /// not read.
    fn read(&self, locale: Locale) -> Result<NewTariffVersion, Vec<&'static str>> {
        let mut amounts = Amounts::default();
        let monthly_fee = amounts.required(MONTHLY_FEE, self.monthly_fee);
        let mut one_off_fees = Vec::new();
        for (field, input, kind, name) in [
            (
                INSTALLATION,
                self.installation,
                FeeKind::Installation,
                td_string!(locale, price_list.installation_fee),
            ),
            (
                ACTIVATION,
                self.activation,
                FeeKind::Activation,
                td_string!(locale, price_list.activation_fee),
            ),
        ] {
            if let Some(amount_minor) = amounts.optional(field, input) {
                one_off_fees.push(OneOffFee {
                    kind,
                    name: name.to_owned(),
                    amount_minor,
                });
            }
        }
        let mut usage_rates = Vec::new();
        self.kept.with_value(|kept| {
            one_off_fees.extend(kept.other_fees.iter().cloned());
            if let Ok(unit) = self.unit.get_untracked().parse::<UsageUnit>() {
                match format::parse_unit_price(&self.unit_price.get_untracked()) {
                    Some(price_e4) => usage_rates.push(UsageRate {
                        unit,
                        price_e4,
                        free_allowance_milli: self
                            .free_units
                            .get_untracked()
                            .trim()
                            .parse::<i64>()
                            .map_or(0, |n| n.saturating_mul(1000)),
                        tiers: kept.tiers.clone(),
                    }),
                    None => amounts.wrong.push(UNIT_PRICE),
                }
            }
            usage_rates.extend(kept.extra_rates.iter().cloned());
        });
        match monthly_fee {
            Some(monthly_fee_minor) if amounts.wrong.is_empty() => Ok(NewTariffVersion {
                effective_from: self
                    .effective_from
                    .get_untracked()
                    .parse::<NaiveDate>()
                    .unwrap_or_else(|_| today()),
                monthly_fee_minor,
                currency: None,
                vat_rate_bp: self.vat_rate.get_untracked().parse().unwrap_or(2300),
                prepaid: self.prepaid.get_untracked(),
                one_off_fees,
                usage_rates,
            }),
            _ => Err(amounts.wrong),
        }
    }
}

/// Reads amounts as typed (`12,50`, `12.50`, not below zero) and notes the fields where one
/// does not read.
#[derive(Debug, Default)]
struct Amounts {
    wrong: Vec<&'static str>,
}

impl Amounts {
    /// The amount in `input`; none when it is empty.
    fn optional(&mut self, field: &'static str, input: RwSignal<String>) -> Option<i64> {
        let text = input.get_untracked();
        if text.trim().is_empty() {
            return None;
        }
        let amount = format::parse_money(&text).filter(|m| *m >= 0);
        if amount.is_none() {
            self.wrong.push(field);
        }
        amount
    }

    /// The amount in `input`, which must not be empty.
    fn required(&mut self, field: &'static str, input: RwSignal<String>) -> Option<i64> {
        let amount = self.optional(field, input);
        if amount.is_none() && !self.wrong.contains(&field) {
            self.wrong.push(field);
        }
        amount
    }
}

/// What the form sends.
enum Publication {
    /// The next version of the tariff with this id.
    Version(i64, NewTariffVersion),
    Tariff(NewTariff),
}

async fn publish(session: Session, publication: Publication) -> Result<(), Failure> {
    match publication {
        Publication::Version(id, version) => api::call(session, async |client| {
            client
                .publish_tariff_version(id, &version)
                .await
                .map(|_| ())
        })
        .await
        .map_err(|f| prefix_fields(f, "version.")),
        Publication::Tariff(tariff) => {
            api::call(session, async |client| {
                client.create_tariff(&tariff).await.map(|_| ())
            })
            .await
        }
    }
}

/// The server names a version's fields from the version itself; the form shows them under
/// the `version.` prefix it shares with a new tariff.
fn prefix_fields(failure: Failure, prefix: &str) -> Failure {
    match failure {
        Failure::Refused(mut problem) => {
            for error in &mut problem.errors {
                error.field = format!("{prefix}{}", error.field);
            }
            Failure::Refused(problem)
        }
        other => other,
    }
}

/// The form for a new version of `tariff`, or for a new tariff with its first version. A new
/// version starts from the tariff's latest (the upcoming one, else the one in force) and
/// keeps its one-off fees and usage rates unless changed here.
#[component]
pub fn VersionForm(
    tariff: Option<Tariff>,
    #[prop(into)] on_saved: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let base = tariff
        .as_ref()
        .and_then(|t| t.upcoming.as_ref().or(t.current.as_ref()));
    let inputs = VersionInputs::new(base, language(i18n.get_locale_untracked()));
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(ServiceKind::Internet.as_str().to_owned());
    let failure = RwSignal::new(None::<Failure>);
    // The fields whose amounts did not read, checked here before sending.
    let wrong = RwSignal::new(Vec::<&'static str>::new());
    let busy = RwSignal::new(false);
    let tariff_id = tariff.as_ref().map(|t| t.id);
    let title = tariff.map(|t| t.name);

    let error = move |field: &'static str| {
        checked(
            move || wrong.with(|w| w.contains(&field)),
            |l| td_string!(l, price_list.invalid_amount),
            error_of(failure, field),
        )
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let version = match inputs.read(i18n.get_locale_untracked()) {
            Ok(version) => version,
            Err(fields) => {
                wrong.set(fields);
                return;
            }
        };
        wrong.set(Vec::new());
        let publication = match tariff_id {
            Some(id) => Publication::Version(id, version),
            None => Publication::Tariff(NewTariff {
                code: code.get_untracked(),
                name: name.get_untracked(),
                service_kind: kind
                    .get_untracked()
                    .parse()
                    .unwrap_or(ServiceKind::Internet),
                description: None,
                version,
            }),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = publish(session, publication).await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(()) => {
                    toasts.success(td_string!(locale, price_list.published));
                    on_saved.run(());
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    let is_new = tariff_id.is_none();
    let VersionInputs {
        effective_from,
        monthly_fee,
        vat_rate,
        prepaid,
        installation,
        activation,
        unit,
        unit_price,
        free_units,
        ..
    } = inputs;
    view! {
        <form class="panel form form-wide" on:submit=submit novalidate data-testid="version-form">
            <h2>
                {move || match &title {
                    Some(name) => t_string!(i18n, price_list.new_version_of, name = name.clone()),
                    None => t_string!(i18n, price_list.new_tariff).to_owned(),
                }}
            </h2>
            <Show when=move || is_new>
                <div class="grid-3">
                    <Field label=label(|l| td_string!(l, price_list.code)) value=code name="code" required=true error=error_of(failure, "code") />
                    <Field label=label(|l| td_string!(l, price_list.name)) value=name name="name" required=true error=error_of(failure, "name") />
                    <Select label=label(|l| td_string!(l, price_list.service_kind)) value=kind name="service_kind" options=enum_options(ServiceKind::all(), labels::service_kind) />
                </div>
            </Show>
            <div class="grid-3">
                <Field label=label(|l| td_string!(l, price_list.effective_from)) value=effective_from name="effective_from" input_type="date" error=error("version.effective_from") />
                <Field label=label(|l| td_string!(l, price_list.monthly_fee_net)) value=monthly_fee name="monthly_fee" required=true error=error(MONTHLY_FEE) />
                <Select label=label(|l| td_string!(l, price_list.vat)) value=vat_rate name="vat_rate" error=error("version.vat_rate_bp") options=vat_options() />
                <Field label=label(|l| td_string!(l, price_list.installation_fee)) value=installation name="installation" error=error(INSTALLATION) />
                <Field label=label(|l| td_string!(l, price_list.activation_fee)) value=activation name="activation" error=error(ACTIVATION) />
                <Select
                    label=label(|l| td_string!(l, price_list.usage_unit))
                    value=unit
                    name="unit"
                    options=Signal::derive(move || {
                        std::iter::once((String::new(), td_string!(i18n.get_locale(), price_list.no_usage).to_owned()))
                            .chain(UsageUnit::all().map(|u| (u.as_str().to_owned(), labels::unit(u).to_owned())))
                            .collect()
                    })
                />
                <Show when=move || !unit.with(String::is_empty)>
                    <Field label=label(|l| td_string!(l, price_list.unit_price)) value=unit_price name="unit_price" error=error(UNIT_PRICE) />
                    <Field label=label(|l| td_string!(l, price_list.free_units)) value=free_units name="free_units" input_type="number" />
                </Show>
            </div>
            <Checkbox label=label(|l| td_string!(l, price_list.prepaid_hint)) checked=prepaid name="prepaid" />
            <div class="form-actions">
                <button type="button" class="button-quiet" on:click=move |_| on_cancel.run(())>{tr(|l| td_string!(l, common.cancel))}</button>
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-version">{tr(|l| td_string!(l, price_list.publish))}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    fn fee(kind: FeeKind, name: &str, amount_minor: i64) -> OneOffFee {
        OneOffFee {
            kind,
            name: name.to_owned(),
            amount_minor,
        }
    }

    fn rate(unit: UsageUnit, price_e4: i64, tiers: Vec<Tier>) -> UsageRate {
        UsageRate {
            unit,
            price_e4,
            free_allowance_milli: 0,
            tiers,
        }
    }

    /// A version with fees and rates the form shows and ones it does not.
    fn version() -> TariffVersion {
        TariffVersion {
            id: 7,
            tariff_id: 3,
            version_no: 2,
            effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
            monthly_fee_minor: 4999,
            currency: "PLN".to_owned(),
            vat_rate_bp: 2300,
            prepaid: false,
            one_off_fees: vec![
                fee(FeeKind::Installation, "Installation", 9900),
                fee(FeeKind::Other, "Router", 19900),
            ],
            usage_rates: vec![
                rate(
                    UsageUnit::Kwh,
                    8123,
                    vec![Tier {
                        up_to_milli: Some(1_000_000),
                        price_e4: 7000,
                    }],
                ),
                rate(UsageUnit::Sms, 1500, Vec::new()),
            ],
            published_by: "manager".to_owned(),
            published_at: chrono::DateTime::default(),
        }
    }

    #[wasm_bindgen_test]
    fn a_new_version_keeps_what_the_form_does_not_show() {
        let base = version();
        let inputs = VersionInputs::new(Some(&base), Language::Pl);
        assert_eq!(inputs.monthly_fee.get_untracked(), "49,99");
        assert_eq!(inputs.installation.get_untracked(), "99,00");
        assert_eq!(inputs.unit_price.get_untracked(), "0,8123");
        inputs.monthly_fee.set("59,99".to_owned());
        let new = inputs.read(Locale::pl).expect("amounts that read");
        assert_eq!(new.monthly_fee_minor, 5999);
        let fees: Vec<_> = new
            .one_off_fees
            .iter()
            .map(|f| (f.kind, f.amount_minor))
            .collect();
        assert_eq!(
            fees,
            [(FeeKind::Installation, 9900), (FeeKind::Other, 19900)]
        );
        let rates: Vec<_> = new
            .usage_rates
            .iter()
            .map(|r| (r.unit, r.tiers.len()))
            .collect();
        assert_eq!(rates, [(UsageUnit::Kwh, 1), (UsageUnit::Sms, 0)]);
    }

    #[wasm_bindgen_test]
    fn amounts_that_do_not_read_are_named() {
        let inputs = VersionInputs::new(None, Language::En);
        assert_eq!(inputs.read(Locale::en).err(), Some(vec![MONTHLY_FEE]));
        inputs.monthly_fee.set("-5".to_owned());
        inputs.activation.set("ten".to_owned());
        inputs.unit.set("gb".to_owned());
        inputs.unit_price.set("0.12345".to_owned());
        assert_eq!(
            inputs.read(Locale::en).err(),
            Some(vec![MONTHLY_FEE, ACTIVATION, UNIT_PRICE])
        );
        inputs.monthly_fee.set("30".to_owned());
        inputs.activation.set(String::new());
        inputs.unit_price.set("0.1234".to_owned());
        let new = inputs.read(Locale::en).expect("amounts that read");
        assert_eq!(new.monthly_fee_minor, 3000);
        assert!(new.one_off_fees.is_empty());
        assert_eq!(new.usage_rates.first().map(|r| r.price_e4), Some(1234));
    }
}
