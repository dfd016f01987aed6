-- An API key may be given an expiry date; keys without one stay valid until revoked.
ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMP;
