//! E-mail to customers over SMTP with lettre (STARTTLS or TLS, credentials in the URL), or
//! into the log where no SMTP server is configured.

use futures_util::future::BoxFuture;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use okno_domain::notifications::address_refused;

use super::SendError;

/// An e-mail ready to go.
#[derive(Debug, Clone)]
pub struct Email {
    /// Stable per outbox message: sent again after a worker died, it is the same message to
    /// the recipient's mail system, which keeps one copy.
    pub message_id: String,
    pub to: String,
    pub subject: String,
    pub html: String,
    /// A file to attach (an invoice PDF): its name and bytes.
    pub attachment: Option<(String, Vec<u8>)>,
}

/// Hands e-mails over for delivery; answers the provider's id for the message.
pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, email: &'a Email) -> BoxFuture<'a, Result<String, SendError>>;
}

/// An SMTP server.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    /// From a URL as lettre reads it: `smtp://host:25`, `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS), `smtps://user:pass@host` (TLS).
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("the SMTP URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("the sender address {from:?}: {e}"))?;
        Ok(Self { transport, from })
    }

    fn message(&self, email: &Email) -> Result<Message, SendError> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|e| SendError::AddressRefused(format!("the address {:?}: {e}", email.to)))?;
        let html = SinglePart::html(email.html.clone());
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(email.message_id.clone()));
        let built = match &email.attachment {
            Some((name, bytes)) => {
                let pdf = ContentType::parse("application/pdf")
                    .map_err(|e| SendError::Permanent(e.to_string()))?;
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(html)
                        .singlepart(Attachment::new(name.clone()).body(bytes.clone(), pdf)),
                )
            }
            None => builder.singlepart(html),
        };
        built.map_err(|e| SendError::Permanent(format!("the message: {e}")))
    }
}

impl Mailer for Smtp {
    fn send<'a>(&'a self, email: &'a Email) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            let message = self.message(email)?;
            match self.transport.send(message).await {
                Ok(response) => Ok(response
                    .message()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .trim()
                    .to_owned()),
                // 5xx: the server refuses this message (a bad mailbox); 4xx and a broken
                // connection may pass.
                Err(error)
                    if error.is_permanent()
                        && error
                            .status()
                            .and_then(|code| code.to_string().parse().ok())
                            .is_some_and(address_refused) =>
                {
                    Err(SendError::AddressRefused(error.to_string()))
                }
                Err(error) if error.is_permanent() => Err(SendError::Permanent(error.to_string())),
                Err(error) => Err(SendError::Transient(error.to_string())),
            }
        })
    }
}

/// Writes e-mails to the log instead of sending them.
pub struct LogMailer;

impl Mailer for LogMailer {
    fn send<'a>(&'a self, email: &'a Email) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            tracing::info!(to = %email.to, subject = %email.subject, message_id = %email.message_id, attachment = email.attachment.is_some(), "e-mail (no SMTP server configured: logged, not sent)");
            Ok(format!("logged {}", email.message_id))
        })
    }
}
