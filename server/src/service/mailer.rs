//! Delivers the outbox over SMTP, with retries. Without an SMTP server configured, mails
//! stay in the outbox, readable by admins (the development mailbox).

use crate::db::Db;
use crate::domain::clock::SharedClock;
use crate::domain::mail::{retry_delay, MAX_ATTEMPTS};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How often the worker looks for mail to send.
const POLL: Duration = Duration::from_secs(1);

/// An SMTP connection setup and the sender address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `url` is `smtp://host[:port]`: plain SMTP to a relay the deployment trusts (a local
    /// MTA or the provider's relay on a private network), port 25 by default.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        let (host, port) = parse_smtp_url(url)?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Mailer {
            transport,
            from: from.parse()?,
        })
    }

    async fn send(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse()?)
            .subject(subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(body.to_owned())?;
        self.transport.send(message).await?;
        Ok(())
    }
}

/// Sends every mail that is due; failures are retried later with a growing delay.
/// Returns how many were sent.
pub async fn deliver_due(db: &Db, mailer: &Mailer, clock: &SharedClock) -> anyhow::Result<u32> {
    let now = clock.now();
    let mut sent = 0;
    for mail in db.due_mails(&now.to_rfc3339(), MAX_ATTEMPTS, 50).await? {
        match mailer.send(&mail.to, &mail.subject, &mail.body).await {
            Ok(()) => {
                db.mark_sent(mail.id, &clock.now().to_rfc3339()).await?;
                sent += 1;
            }
            Err(e) => {
                let attempts = db.mail_attempts(mail.id).await? + 1;
                let next = (clock.now() + retry_delay(attempts)).to_rfc3339();
                tracing::warn!(mail = mail.id, attempts, error = %e, "mail delivery failed; will retry");
                db.mark_failed(mail.id, &e.to_string(), &next).await?;
            }
        }
    }
    Ok(sent)
}

/// Runs delivery in the background for as long as the process lives.
pub fn spawn_worker(db: Db, mailer: Mailer, clock: SharedClock) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_due(&db, &mailer, &clock).await {
                tracing::error!(error = %e, "mail worker");
            }
            tokio::time::sleep(POLL).await;
        }
    });
}

fn parse_smtp_url(url: &str) -> anyhow::Result<(String, u16)> {
    let rest = url
        .strip_prefix("smtp://")
        .ok_or_else(|| anyhow::anyhow!("the SMTP URL must start with smtp://"))?;
    let rest = rest.trim_end_matches('/');
    match rest.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() => Ok((host.to_owned(), port.parse()?)),
        _ if !rest.is_empty() => Ok((rest.to_owned(), 25)),
        _ => anyhow::bail!("the SMTP URL has no host"),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_smtp_url;

    #[test]
    fn smtp_urls() {
        assert_eq!(
            parse_smtp_url("smtp://relay.example:2525").unwrap(),
            ("relay.example".into(), 2525)
        );
        assert_eq!(
            parse_smtp_url("smtp://relay.example").unwrap(),
            ("relay.example".into(), 25)
        );
        assert!(parse_smtp_url("http://x").is_err());
        assert!(parse_smtp_url("smtp://").is_err());
        assert!(parse_smtp_url("smtp://x:port").is_err());
    }
}
