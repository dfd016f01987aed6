-- Migrations are forward-only; see docs/operations.md.
-- The customer list and search go through customers in name order (R-04): without this index
-- every page sorted the whole table. (Invoice numbers are looked up by a range over their
-- unique index, see okno_db::invoices.)
CREATE INDEX customers_by_name ON customers (display_name, id);
