-- R-22: usage that arrives after its month was invoiced goes on the customer's next invoice.
-- Each usage record names the invoice that billed it; a record without one is still to bill.
ALTER TABLE usage_events ADD COLUMN invoice_id BIGINT REFERENCES invoices (id);

-- Records of months invoiced before this release were billed by that month's invoice.
UPDATE usage_events SET invoice_id = (
    SELECT MIN(invoices.id) FROM invoices
    WHERE invoices.customer_id = usage_events.customer_id
      AND invoices.period = usage_events.period
      AND invoices.kind = 'invoice'
)
WHERE EXISTS (
    SELECT 1 FROM invoices
    WHERE invoices.customer_id = usage_events.customer_id
      AND invoices.period = usage_events.period
      AND invoices.kind = 'invoice'
);

CREATE INDEX usage_events_unbilled ON usage_events (customer_id, period) WHERE invoice_id IS NULL;
