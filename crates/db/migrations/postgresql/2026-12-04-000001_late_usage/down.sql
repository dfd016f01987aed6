DROP INDEX usage_events_unbilled;
ALTER TABLE usage_events DROP COLUMN invoice_id;
