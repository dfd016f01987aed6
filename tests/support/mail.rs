//! A real SMTP server for the notification tests: aiosmtpd (PyPI, installed by
//! `scripts/setup` into `tests/mail/.venv`) storing what it receives in a Maildir, and
//! refusing recipients named `nobody…` as an unknown mailbox (`tests/mail/okno_sink.py`).

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpSink {
    child: Child,
    port: u16,
    maildir: tempfile::TempDir,
}

impl SmtpSink {
    /// Starts aiosmtpd on a free port and waits until it takes connections.
    pub fn start() -> Self {
        let mail = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("mail");
        let python = mail.join(".venv/bin/python");
        assert!(
            python.exists(),
            "{} is missing: run scripts/setup (it installs aiosmtpd for the notification tests)",
            python.display()
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let maildir = tempfile::tempdir().expect("a Maildir");
        let child = Command::new(python)
            .env("PYTHONPATH", &mail)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
            ])
            .arg("okno_sink.RefusingMailbox")
            .arg(maildir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            child,
            port,
            maildir,
        }
    }

    /// Where the server is, as `OKNO_SMTP_URL` takes it.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, as it arrived (RFC 5322 bytes).
    pub fn received(&self) -> Vec<Vec<u8>> {
        let mut files = Vec::new();
        for folder in ["new", "cur"] {
            let dir = self.maildir.path().join("mail").join(folder);
            if let Ok(entries) = std::fs::read_dir(dir) {
                files.extend(entries.flatten().map(|e| e.path()));
            }
        }
        files.sort();
        files
            .into_iter()
            .map(|f| std::fs::read(f).expect("a received message"))
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The parts of a received e-mail the tests read: decoded subject, the HTML body, the
/// attachments' content types and first bytes, and the Message-ID.
pub struct Received {
    pub subject: String,
    pub html: String,
    pub attachments: Vec<(String, Vec<u8>)>,
    pub message_id: String,
}

pub fn read(raw: &[u8]) -> Received {
    use mailparse::MailHeaderMap;
    let mail = mailparse::parse_mail(raw).expect("an RFC 5322 message");
    let subject = mail.headers.get_first_value("Subject").unwrap_or_default();
    let message_id = mail
        .headers
        .get_first_value("Message-ID")
        .unwrap_or_default();
    let mut html = String::new();
    let mut attachments = Vec::new();
    let mut parts = vec![&mail];
    while let Some(part) = parts.pop() {
        parts.extend(part.subparts.iter());
        match part.ctype.mimetype.as_str() {
            "text/html" => html = part.get_body().expect("a readable HTML part"),
            "application/pdf" => {
                let name = part
                    .get_content_disposition()
                    .params
                    .get("filename")
                    .cloned()
                    .unwrap_or_default();
                attachments.push((name, part.get_body_raw().expect("a readable attachment")));
            }
            _ => {}
        }
    }
    Received {
        subject,
        html,
        attachments,
        message_id,
    }
}
