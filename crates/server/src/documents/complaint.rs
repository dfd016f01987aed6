//! A complaint's papers: the confirmation of receipt and the written answer, in
//! the customer's language, with the ways to appeal of the complaint's jurisdiction.

use chrono::{NaiveDate, NaiveDateTime};
use okno_api_types::Language;
use okno_domain::complaints::{ComplaintOutcome, Jurisdiction};
use okno_domain::format;

use super::Party;
use super::pdf::Layout;
use super::texts::{fill, texts};
use crate::error::ApiError;

/// What both papers say of the complaint.
#[derive(Debug, Clone)]
pub struct ComplaintPaper {
    pub language: Language,
    pub jurisdiction: Jurisdiction,
    pub operator: Party,
    pub customer: Party,
    pub number: String,
    /// In the operator's time zone.
    pub received_at: NaiveDateTime,
    pub subject: String,
    pub description: String,
    pub amount_claimed: Option<String>,
    pub decide_by: NaiveDate,
}

/// What the answer says of the decision.
#[derive(Debug, Clone)]
pub struct AnswerFacts {
    pub outcome: ComplaintOutcome,
    pub granted: String,
    pub reasoning: String,
    pub decided_on: NaiveDate,
    pub decided_by: String,
    /// How the grant is given back: the correction notes and the credit, as printed.
    pub compensation: Vec<String>,
}

struct Words {
    acknowledgement: &'static str,
    answer: &'static str,
    received: &'static str,
    subject: &'static str,
    claim: &'static str,
    amount_claimed: &'static str,
    confirm: &'static str,
    decision: &'static str,
    granted: &'static str,
    reasons: &'static str,
    compensation: &'static str,
    decided_on: &'static str,
    decided_by: &'static str,
    system: &'static str,
    deemed: &'static str,
    time_barred: &'static str,
    outcomes: [&'static str; 5],
}

const EN: Words = Words {
    acknowledgement: "Confirmation of receipt of complaint",
    answer: "Answer to complaint",
    received: "Received on",
    subject: "Subject",
    claim: "The complaint",
    amount_claimed: "Amount claimed",
    confirm: "We confirm that we received your complaint. We will answer it in writing by {date} at the latest; a complaint not answered by then is accepted in full.",
    decision: "Decision",
    granted: "Granted",
    reasons: "Reasons",
    compensation: "How it is given back",
    decided_on: "Decided on",
    decided_by: "Decided by",
    system: "Okno, by operation of law",
    deemed: "We did not answer your complaint by {date}, the last day the law gives us. By law your complaint is therefore accepted in full, and what you claimed is given back as below.",
    time_barred: "The complaint was made after the period in which the claim may be made ended ({date}). It is answered, but the claim cannot be granted.",
    outcomes: [
        "accepted",
        "partly accepted",
        "rejected",
        "accepted by operation of law",
        "time-barred",
    ],
};

const PL: Words = Words {
    acknowledgement: "Potwierdzenie przyjęcia reklamacji",
    answer: "Odpowiedź na reklamację",
    received: "Data złożenia",
    subject: "Przedmiot",
    claim: "Treść reklamacji",
    amount_claimed: "Żądana kwota",
    confirm: "Potwierdzamy przyjęcie reklamacji. Odpowiedź na piśmie wyślemy najpóźniej {date}; reklamację, na którą nie udzielono odpowiedzi w tym terminie, uważa się za uwzględnioną.",
    decision: "Rozstrzygnięcie",
    granted: "Przyznana kwota",
    reasons: "Uzasadnienie",
    compensation: "Sposób zwrotu",
    decided_on: "Data rozpatrzenia",
    decided_by: "Rozpatrzył(a)",
    system: "Okno, z mocy prawa",
    deemed: "Nie udzieliliśmy odpowiedzi na reklamację do {date}, ostatniego dnia terminu ustawowego. Z mocy prawa reklamację uważa się za uwzględnioną w całości; żądana kwota zostaje zwrócona jak poniżej.",
    time_barred: "Reklamację złożono po upływie terminu na jej złożenie ({date}). Udzielamy odpowiedzi, jednak roszczenie nie może zostać uwzględnione.",
    outcomes: [
        "uwzględniona",
        "uwzględniona częściowo",
        "nieuwzględniona",
        "uwzględniona z mocy prawa",
        "złożona po terminie",
    ],
};

const RU: Words = Words {
    acknowledgement: "Подтверждение получения претензии",
    answer: "Ответ на претензию",
    received: "Дата получения",
    subject: "Предмет",
    claim: "Содержание претензии",
    amount_claimed: "Заявленная сумма",
    confirm: "Подтверждаем получение претензии и её регистрацию. Письменный ответ будет направлен не позднее {date}.",
    decision: "Решение",
    granted: "Признанная сумма",
    reasons: "Обоснование",
    compensation: "Порядок возврата",
    decided_on: "Дата решения",
    decided_by: "Решение принял(а)",
    system: "Okno, в силу закона",
    deemed: "Ответ на претензию не был дан до {date} — последнего дня установленного срока. Претензия считается удовлетворённой в полном объёме; заявленная сумма возвращается, как указано ниже.",
    time_barred: "Претензия предъявлена после истечения срока её предъявления ({date}). Ответ даётся, но требование не может быть удовлетворено.",
    outcomes: [
        "удовлетворена",
        "удовлетворена частично",
        "отклонена",
        "удовлетворена в силу закона",
        "предъявлена с пропуском срока",
    ],
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::En => &EN,
        Language::Pl => &PL,
        Language::Ru => &RU,
    }
}

/// How a complaint was decided, in `language` (answers, messages).
pub fn outcome_in(language: Language, outcome: ComplaintOutcome) -> &'static str {
    let index = match outcome {
        ComplaintOutcome::Accepted => 0,
        ComplaintOutcome::PartlyAccepted => 1,
        ComplaintOutcome::Rejected => 2,
        ComplaintOutcome::DeemedAccepted => 3,
        ComplaintOutcome::TimeBarred => 4,
    };
    words(language)
        .outcomes
        .get(index)
        .copied()
        .unwrap_or_default()
}

/// How a credit on the account is named in an answer.
pub fn credit_label(language: Language) -> &'static str {
    match language {
        Language::En => "Credited on your account",
        Language::Pl => "Uznanie na koncie klienta",
        Language::Ru => "Зачислено на лицевой счёт",
    }
}

/// The customer's ways to appeal a decision not wholly in their favour, by the law of the
/// complaint's jurisdiction, in their language.
pub fn appeal_rights(jurisdiction: Jurisdiction, language: Language) -> &'static str {
    match (jurisdiction, language) {
        (Jurisdiction::Pl, Language::Pl) => {
            "Pouczenie: w razie nieuwzględnienia reklamacji w całości lub w części przysługuje Państwu prawo do odwołania się do operatora (ponownej reklamacji), do pozasądowego rozwiązania sporu przez mediację prowadzoną przez Prezesa UKE albo przed stałym polubownym sądem konsumenckim przy Prezesie UKE, a także do dochodzenia roszczeń przed sądem powszechnym."
        }
        (Jurisdiction::Pl, Language::Ru) => {
            "Ваши права: если претензия не удовлетворена полностью или частично, вы можете обжаловать решение у оператора (подать повторную претензию), урегулировать спор во внесудебном порядке — через медиацию Председателя UKE или в постоянном третейском потребительском суде при Председателе UKE, — а также обратиться в суд общей юрисдикции."
        }
        (Jurisdiction::Pl, Language::En) => {
            "Your rights: if the complaint is not granted in full, you may appeal to us (a further complaint), settle the dispute out of court through mediation by the President of UKE or before the permanent consumer arbitration court at the President of UKE, and pursue your claim before the common courts."
        }
        (Jurisdiction::Ru, Language::Ru) => {
            "Ваши права: при отклонении претензии полностью или частично либо неполучении ответа в установленный срок вы вправе предъявить иск в суд (ст. 55 Федерального закона «О связи»), а также обратиться в Роспотребнадзор."
        }
        (Jurisdiction::Ru, Language::Pl) => {
            "Pouczenie: w razie odrzucenia reklamacji w całości lub w części albo braku odpowiedzi w terminie przysługuje Państwu prawo wniesienia powództwa do sądu (art. 55 ustawy federalnej „O łączności”) oraz zwrócenia się do Rospotriebnadzoru."
        }
        (Jurisdiction::Ru, Language::En) => {
            "Your rights: if the complaint is rejected in full or in part, or not answered in time, you may bring a claim in court (art. 55 of the Federal Law on Communications) and turn to Rospotrebnadzor."
        }
    }
}

fn header(layout: &mut Layout, paper: &ComplaintPaper, w: &Words) {
    let t = texts(paper.language);
    let mut facts = vec![
        (
            w.received,
            format::date_time(paper.received_at, paper.language),
        ),
        (w.subject, paper.subject.clone()),
    ];
    if let Some(amount) = &paper.amount_claimed {
        facts.push((w.amount_claimed, amount.clone()));
    }
    layout.facts(&facts);
    layout.heading(t.seller);
    layout.paragraph(&paper.operator.name);
    layout.facts(&[(t.address, paper.operator.address.clone())]);
    layout.heading(t.customer);
    layout.paragraph(&paper.customer.name);
    let mut customer = vec![(t.address, paper.customer.address.clone())];
    if let Some(account) = &paper.customer.account_number {
        customer.push((t.account_number, account.clone()));
    }
    layout.facts(&customer);
    layout.heading(w.claim);
    layout.paragraph(&paper.description);
}

/// The confirmation of receipt.
pub fn acknowledgement_pdf(paper: &ComplaintPaper) -> Result<Vec<u8>, ApiError> {
    let (t, w) = (texts(paper.language), words(paper.language));
    let title = format!("{} {}", w.acknowledgement, paper.number);
    let mut layout = Layout::new(format!("{} · {title}", t.footer));
    layout.title(&title);
    header(&mut layout, paper, w);
    layout.space(8.0);
    layout.paragraph(&fill(
        w.confirm,
        &[("date", &format::date(paper.decide_by, paper.language))],
    ));
    layout.render()
}

/// The written answer: the decision, its reasons, how the grant is given back, and the
/// ways to appeal.
pub fn answer_pdf(
    paper: &ComplaintPaper,
    answer: &AnswerFacts,
    claim_until: Option<NaiveDate>,
) -> Result<Vec<u8>, ApiError> {
    let (t, w) = (texts(paper.language), words(paper.language));
    let title = format!("{} {}", w.answer, paper.number);
    let mut layout = Layout::new(format!("{} · {title}", t.footer));
    layout.title(&title);
    header(&mut layout, paper, w);
    layout.heading(w.decision);
    let deemed = answer.outcome == ComplaintOutcome::DeemedAccepted;
    layout.facts(&[
        (
            w.decision,
            outcome_in(paper.language, answer.outcome).to_owned(),
        ),
        (w.granted, answer.granted.clone()),
        (
            w.decided_on,
            format::date(answer.decided_on, paper.language),
        ),
        (
            w.decided_by,
            if deemed {
                w.system.to_owned()
            } else {
                answer.decided_by.clone()
            },
        ),
    ]);
    layout.heading(w.reasons);
    if deemed {
        layout.paragraph(&fill(
            w.deemed,
            &[("date", &format::date(paper.decide_by, paper.language))],
        ));
    }
    if answer.outcome == ComplaintOutcome::TimeBarred
        && let Some(until) = claim_until
    {
        layout.paragraph(&fill(
            w.time_barred,
            &[("date", &format::date(until, paper.language))],
        ));
    }
    if !answer.reasoning.trim().is_empty() {
        layout.paragraph(&answer.reasoning);
    }
    if !answer.compensation.is_empty() {
        layout.heading(w.compensation);
        for line in &answer.compensation {
            layout.paragraph(line);
        }
    }
    if !matches!(
        answer.outcome,
        ComplaintOutcome::Accepted | ComplaintOutcome::DeemedAccepted
    ) {
        layout.space(6.0);
        layout.paragraph(appeal_rights(paper.jurisdiction, paper.language));
    }
    layout.render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::OperatorDetails;

    #[test]
    fn both_papers_render_in_every_language_and_jurisdiction() {
        let received_at = "2026-12-02T10:15:00".parse().unwrap();
        for jurisdiction in Jurisdiction::all() {
            for language in Language::all() {
                let paper = ComplaintPaper {
                    language,
                    jurisdiction,
                    operator: Party::operator(&OperatorDetails::default()),
                    customer: Party {
                        name: "Łukasz Żółkiewski".into(),
                        address: "ul. Długa 5, 00-001 Warszawa".into(),
                        tax_id: None,
                        account_number: Some("100000017".into()),
                    },
                    number: "RK/2026/000001".into(),
                    received_at,
                    subject: "Brak internetu".into(),
                    description: "Od 3 dni brak usługi.".into(),
                    amount_claimed: Some("50,00 zł".into()),
                    decide_by: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
                };
                assert!(acknowledgement_pdf(&paper).unwrap().starts_with(b"%PDF-"));
                for outcome in ComplaintOutcome::all() {
                    let answer = AnswerFacts {
                        outcome,
                        granted: "50,00 zł".into(),
                        reasoning: "Awaria sieci potwierdzona.".into(),
                        decided_on: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
                        decided_by: "Kierownik Demo".into(),
                        compensation: vec!["KOR/2026/12/000001: −50,00 zł".into()],
                    };
                    let pdf = answer_pdf(&paper, &answer, paper.decide_by.pred_opt()).unwrap();
                    assert!(pdf.starts_with(b"%PDF-"));
                }
            }
        }
    }
}
