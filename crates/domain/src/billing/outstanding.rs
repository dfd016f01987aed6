//! What is still to pay of each invoice, as a customer reads their account until payments are
//! allocated one by one: credits pay the oldest invoices first, so what the balance still owes
//! is the newest invoices'.

/// The part of each invoice still to pay, for invoices given newest first with their gross,
/// when the account owes `owed` in all (positive; nothing when in credit).
pub fn still_to_pay(owed: i64, gross_newest_first: &[i64]) -> Vec<i64> {
    let mut left = owed.max(0);
    gross_newest_first
        .iter()
        .map(|gross| {
            let part = (*gross).max(0).min(left);
            left -= part;
            part
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_balance_owed_is_the_newest_invoices() {
        // Owes 100,00: the newest (61,49) in full, 38,51 of the one before, none older.
        assert_eq!(
            still_to_pay(10_000, &[6_149, 7_000, 5_000]),
            [6_149, 3_851, 0]
        );
        assert_eq!(still_to_pay(0, &[6_149]), [0], "nothing owed, all paid");
        assert_eq!(still_to_pay(-500, &[6_149]), [0], "in credit");
        assert_eq!(
            still_to_pay(50_000, &[6_149, 7_000]),
            [6_149, 7_000],
            "older debt besides"
        );
        assert_eq!(
            still_to_pay(1_000, &[-738, 6_149]),
            [0, 1_000],
            "a correction note owes nothing"
        );
    }
}
