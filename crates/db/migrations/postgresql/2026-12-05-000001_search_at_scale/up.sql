-- Migrations are forward-only; see docs/operations.md.
-- The customer list and search go through customers in name order (R-04): without this index
-- every page sorted the whole table, half a second at a million customers.
CREATE INDEX customers_by_name ON customers (display_name, id);

-- Invoices are looked up by the start of their number (`FV/2026/11/…`). The unique index
-- serves `LIKE 'prefix%'` only under the C collation; `text_pattern_ops` serves it under any.
CREATE INDEX invoices_number_prefix ON invoices (number text_pattern_ops);
