//! Access tokens (JWT, HS256 pinned, short-lived) and the opaque secrets behind refresh tokens,
//! API keys and activation codes, which are stored only as SHA-256 hashes.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Settings;
use crate::error::ApiError;

/// The `typ` of an access token's header (RFC 9068).
const ACCESS_TOKEN_TYPE: &str = "at+jwt";
/// Shortest configured signing secret accepted: HS256 wants at least 256 bits.
const MIN_SECRET_BYTES: usize = 32;
const SECRET_FILE: &str = "jwt-secret";

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// `staff:<user id>` or `subscriber:<customer id>`.
    pub sub: String,
    /// The session the token belongs to; logging out or a reused refresh token ends it.
    pub sid: i64,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    audience: String,
    access_ttl: Duration,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

impl TokenKeys {
    pub fn new(secret: &[u8], settings: &Settings) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            issuer: settings.jwt_issuer.clone(),
            audience: settings.jwt_audience.clone(),
            access_ttl: settings.access_token_ttl,
        }
    }

    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    pub fn issue(
        &self,
        subject: &str,
        session_id: i64,
        now: DateTime<Utc>,
    ) -> Result<String, ApiError> {
        let claims = Claims {
            sub: subject.to_owned(),
            sid: session_id,
            iat: now.timestamp(),
            exp: (now + self.access_ttl).timestamp(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
        };
        let header = Header {
            typ: Some(ACCESS_TOKEN_TYPE.into()),
            ..Header::new(Algorithm::HS256)
        };
        jsonwebtoken::encode(&header, &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(format!("signing a token: {e}")))
    }

    /// Checks signature, algorithm, issuer and audience, and expiry against our clock (so
    /// tests on a fixed date agree with the server).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, ApiError> {
        // RFC 9068: an access token says so, so that no other JWT signed with the same key
        // (an ID token, a link token) passes for one.
        let typ = jsonwebtoken::decode_header(token)
            .map_err(|_| ApiError::InvalidToken("malformed"))?
            .typ;
        if !typ.is_some_and(|t| t.eq_ignore_ascii_case(ACCESS_TOKEN_TYPE)) {
            return Err(ApiError::InvalidToken("not an access token"));
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.validate_exp = false;
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).map_err(|e| {
                ApiError::InvalidToken(match e.kind() {
                    ErrorKind::InvalidSignature => "bad signature",
                    ErrorKind::InvalidAlgorithm => "unexpected algorithm",
                    ErrorKind::InvalidIssuer => "issued by someone else",
                    ErrorKind::InvalidAudience => "meant for another audience",
                    ErrorKind::MissingRequiredClaim(_) => "a required claim is missing",
                    _ => "malformed",
                })
            })?;
        if data.claims.exp <= now.timestamp() {
            return Err(ApiError::TokenExpired);
        }
        if data.claims.iat > now.timestamp() + 60 {
            return Err(ApiError::InvalidToken("issued in the future"));
        }
        Ok(data.claims)
    }
}

/// The signing secret: the configured one, or one generated into the data folder on first
/// start and read from there afterwards.
pub fn signing_secret(settings: &Settings) -> Result<Vec<u8>, ApiError> {
    if let Some(secret) = &settings.jwt_secret {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(ApiError::Internal(format!(
                "the JWT secret must have at least {MIN_SECRET_BYTES} bytes"
            )));
        }
        return Ok(secret.as_bytes().to_vec());
    }
    let path = settings.data_dir.join(SECRET_FILE);
    match std::fs::read_to_string(&path) {
        Ok(stored) if stored.trim().len() >= MIN_SECRET_BYTES => {
            Ok(stored.trim().as_bytes().to_vec())
        }
        Ok(_) => Err(ApiError::Internal(format!(
            "{} is too short; delete it to generate a new one",
            path.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_secret_file(&path),
        Err(e) => Err(ApiError::Internal(format!(
            "reading {}: {e}",
            path.display()
        ))),
    }
}

fn create_secret_file(path: &Path) -> Result<Vec<u8>, ApiError> {
    let io = |e: std::io::Error| ApiError::Internal(format!("writing {}: {e}", path.display()));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let secret = random_token(48);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io)?;
    file.write_all(secret.as_bytes()).map_err(io)?;
    tracing::info!(path = %path.display(), "generated a new token signing secret");
    Ok(secret.into_bytes())
}

/// `bytes` random bytes, base64url.
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0_u8; bytes];
    rand::rng().fill(buffer.as_mut_slice());
    URL_SAFE_NO_PAD.encode(buffer)
}

/// A code people can read aloud and type: no 0/O, 1/I/L.
pub fn human_code(length: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..length)
        .map(|_| {
            let index = rng.random_range(0..ALPHABET.len());
            ALPHABET.get(index).map_or('X', |b| char::from(*b))
        })
        .collect()
}

/// SHA-256, hex: enough for high-entropy secrets, which cannot be guessed from their hash.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two hashes in time independent of where they differ.
pub fn hashes_match(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn keys(audience: &str) -> TokenKeys {
        let mut settings = Settings::new("/tmp");
        settings.jwt_audience = audience.into();
        TokenKeys::new(b"0123456789abcdef0123456789abcdef", &settings)
    }

    #[test]
    fn tokens_verify_until_they_expire() {
        let keys = keys("okno-api");
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let token = keys.issue("staff:1", 7, now).unwrap();
        let claims = keys.verify(&token, now + Duration::minutes(14)).unwrap();
        assert_eq!((claims.sub.as_str(), claims.sid), ("staff:1", 7));
        assert!(matches!(
            keys.verify(&token, now + Duration::minutes(15)),
            Err(ApiError::TokenExpired)
        ));
    }

    #[test]
    fn refuses_forged_and_foreign_tokens() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let ours = keys("okno-api");
        let foreign = keys("other-app").issue("staff:1", 7, now).unwrap();
        assert!(matches!(
            ours.verify(&foreign, now),
            Err(ApiError::InvalidToken("meant for another audience"))
        ));
        let settings = Settings::new("/tmp");
        let forged = TokenKeys::new(b"another secret of thirty-two bytes!", &settings)
            .issue("staff:1", 7, now)
            .unwrap();
        assert!(matches!(
            ours.verify(&forged, now),
            Err(ApiError::InvalidToken("bad signature"))
        ));
        assert!(matches!(
            ours.verify("not.a.token", now),
            Err(ApiError::InvalidToken(_))
        ));
    }

    #[test]
    fn codes_and_hashes() {
        assert_eq!(human_code(8).len(), 8);
        assert!(
            human_code(64)
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(hashes_match("abc", "abc"));
        assert!(!hashes_match("abc", "abd"));
    }
}
