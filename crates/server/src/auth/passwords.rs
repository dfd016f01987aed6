//! argon2id password hashes and the password policy.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::config::PasswordHashing;
use crate::error::ApiError;

/// Longest password accepted; argon2 would take anything, but a megabyte "password" is an
/// attack on the CPU.
pub const PASSWORD_MAX_CHARS: usize = 256;

#[derive(Debug)]
pub struct PasswordHasher {
    argon2: Argon2<'static>,
    /// Verified against when a login names nobody, so that the answer takes as long as for a
    /// real user and does not tell which usernames exist.
    decoy_hash: String,
}

impl PasswordHasher {
    pub fn new(cost: PasswordHashing) -> Result<Self, ApiError> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|e| ApiError::Internal(format!("password hashing parameters: {e}")))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut hasher = Self {
            argon2,
            decoy_hash: String::new(),
        };
        hasher.decoy_hash = hasher.hash("decoy password that nobody has")?;
        Ok(hasher)
    }

    pub fn hash(&self, password: &str) -> Result<String, ApiError> {
        self.argon2
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| ApiError::Internal(format!("hashing a password: {e}")))
    }

    /// Whether `password` matches `stored`; a malformed stored hash matches nothing.
    pub fn verify(&self, password: &str, stored: &str) -> bool {
        PasswordHash::new(stored)
            .map(|parsed| {
                self.argon2
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    }

    /// Spends the time of a verification without a user to verify.
    pub fn verify_decoy(&self, password: &str) {
        let _ = self.verify(password, &self.decoy_hash);
    }
}

/// Checks a new password against the policy; the message says what is missing.
pub fn check_policy(password: &str, min_length: usize, username: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < min_length {
        return Err(format!("must have at least {min_length} characters"));
    }
    if length > PASSWORD_MAX_CHARS {
        return Err(format!("must have at most {PASSWORD_MAX_CHARS} characters"));
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err("must not contain the username".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_per_salt() {
        let hasher = PasswordHasher::new(PasswordHashing::for_tests()).unwrap();
        let first = hasher.hash("correct horse").unwrap();
        let second = hasher.hash("correct horse").unwrap();
        assert_ne!(first, second);
        assert!(first.starts_with("$argon2id$"));
        assert!(hasher.verify("correct horse", &first));
        assert!(!hasher.verify("correct horsE", &first));
        assert!(!hasher.verify("correct horse", "not a hash"));
    }

    #[test]
    fn policy_names_what_is_wrong() {
        assert!(check_policy("short", 8, "anna").is_err());
        assert!(check_policy("anna-2026-secret", 8, "anna").is_err());
        assert!(check_policy(&"x".repeat(257), 8, "anna").is_err());
        assert!(check_policy("lagodny-wiatr", 8, "anna").is_ok());
    }
}
