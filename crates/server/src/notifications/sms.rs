//! SMS to customers: SMSAPI.pl's HTTP API, or the log.
//!
//! SMSAPI (`POST {base}/sms.do?format=json`, `Authorization: Bearer <token>`) takes `to`,
//! `message`, `from`, `encoding` and `idx` — the sender's own id of the message — with
//! `check_idx=1`, which makes it refuse an `idx` it has sent before. The outbox's message id is
//! the `idx`, so a message sent again after a worker died mid-request goes once. It answers
//! `{"count": 1, "list": [{"id": ..., "status": "QUEUE", ...}]}`, or `{"error": code,
//! "message": ...}`.

use futures_util::future::BoxFuture;
use serde::Deserialize;

use super::SendError;

/// An SMS ready to go.
#[derive(Debug, Clone)]
pub struct Sms {
    /// Stable per outbox message: the provider's idempotency key.
    pub idempotency_key: String,
    /// E.164 (`+48600100200`).
    pub to: String,
    pub text: String,
}

/// Hands SMS over to a provider; answers the provider's id for the message.
pub trait SmsGateway: Send + Sync {
    fn send<'a>(&'a self, sms: &'a Sms) -> BoxFuture<'a, Result<String, SendError>>;
}

/// SMSAPI.pl.
pub struct Smsapi {
    http: reqwest::Client,
    base: String,
    token: String,
    sender: Option<String>,
}

/// SMSAPI's error codes that no retry will cure: the message or the number is wrong.
/// 8 error in the request, 11 message empty or too long, 13 no valid number, 14 sender name
/// not allowed, 17 flash message with special characters, 18 bad parameters, 26 subject too
/// long, 27 idx too long.
const PERMANENT_ERRORS: &[i64] = &[8, 11, 13, 14, 17, 18, 26, 27];
/// SMSAPI's answer to an `idx` it has sent already (with `check_idx`): this message went.
const ALREADY_SENT: i64 = 53;

#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(default)]
    error: Option<i64>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    list: Vec<Sent>,
}

#[derive(Debug, Deserialize)]
struct Sent {
    id: String,
}

impl Smsapi {
    pub fn new(base: &str, token: &str, sender: Option<&str>) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| format!("an HTTP client for SMSAPI: {e}"))?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            sender: sender.map(str::to_owned),
        })
    }

    async fn post(&self, sms: &Sms) -> Result<String, SendError> {
        let mut form = vec![
            ("to", sms.to.trim_start_matches('+').to_owned()),
            ("message", sms.text.clone()),
            ("encoding", "utf-8".to_owned()),
            ("idx", sms.idempotency_key.clone()),
            ("check_idx", "1".to_owned()),
        ];
        if let Some(sender) = &self.sender {
            form.push(("from", sender.clone()));
        }
        let response = self
            .http
            .post(format!("{}/sms.do?format=json", self.base))
            .bearer_auth(&self.token)
            .form(&form)
            .send()
            .await
            .map_err(|e| SendError::Transient(format!("SMSAPI did not answer: {e}")))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| SendError::Transient(format!("SMSAPI's answer was cut: {e}")))?;
        if status.is_server_error() {
            return Err(SendError::Transient(format!("SMSAPI answered {status}")));
        }
        let answer: Answer = serde_json::from_str(&body).map_err(|_| {
            SendError::Transient(format!(
                "SMSAPI answered {status} with no JSON it documents"
            ))
        })?;
        match answer.error {
            None | Some(0) => answer
                .list
                .into_iter()
                .next()
                .map(|sent| sent.id)
                .ok_or_else(|| SendError::Transient("SMSAPI listed no message".into())),
            Some(ALREADY_SENT) => Ok(format!("idx {}", sms.idempotency_key)),
            Some(code) => {
                let reason = format!(
                    "SMSAPI error {code}: {}",
                    answer.message.unwrap_or_default()
                );
                if PERMANENT_ERRORS.contains(&code) {
                    Err(SendError::Permanent(reason))
                } else {
                    Err(SendError::Transient(reason))
                }
            }
        }
    }
}

impl SmsGateway for Smsapi {
    fn send<'a>(&'a self, sms: &'a Sms) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(self.post(sms))
    }
}

/// Writes SMS to the log instead of sending them.
pub struct LogSms;

impl SmsGateway for LogSms {
    fn send<'a>(&'a self, sms: &'a Sms) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            tracing::info!(to = %sms.to, text = %sms.text, "SMS (no SMS gateway configured: logged, not sent)");
            Ok(format!("logged {}", sms.idempotency_key))
        })
    }
}
