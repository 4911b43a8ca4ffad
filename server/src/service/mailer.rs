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
/// How long a claimed mail is this worker's: well past the SMTP timeout for the batch, so
/// no other instance sends it meanwhile; after it, a mail whose worker died is due again.
const LEASE: chrono::Duration = chrono::Duration::minutes(30);
/// Mails claimed at once.
const BATCH: u32 = 20;

/// An SMTP connection setup and the sender address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `url` is one of
    /// - `smtps://user:password@host[:465]`: TLS from the first byte (implicit TLS);
    /// - `smtp://user:password@host:587?tls=required`: STARTTLS, refused without it;
    /// - `smtp://host[:25]`: plain SMTP to a relay the deployment trusts (a local MTA or the
    ///   provider's relay on a private network).
    ///
    /// Certificates are checked against the Mozilla roots (webpki-roots, compiled in).
    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        check_smtp_url(url)?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
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
/// Returns how many were sent. Each mail is claimed first (see [`Db::claim_due_mails`]), so
/// the workers of several instances on one database never send the same mail twice.
pub async fn deliver_due(db: &Db, mailer: &Mailer, clock: &SharedClock) -> anyhow::Result<u32> {
    let now = clock.now();
    let mut sent = 0;
    let claimed = db
        .claim_due_mails(
            &now.to_rfc3339(),
            &(now + LEASE).to_rfc3339(),
            MAX_ATTEMPTS,
            BATCH,
        )
        .await?;
    for mail in claimed {
        match mailer.send(&mail.to, &mail.subject, &mail.body).await {
            Ok(()) => {
                db.mark_sent(mail.id, &clock.now().to_rfc3339()).await?;
                sent += 1;
            }
            Err(e) => {
                let attempts = db.mail_attempts(mail.id).await? + 1;
                let next = (clock.now() + retry_delay(attempts)).to_rfc3339();
                tracing::warn!(mail = mail.id, attempts, error = %crate::domain::privacy::mask_addresses(&e.to_string()), "mail delivery failed; will retry");
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

/// Refuses what is not an SMTP URL, with a message that says what is expected.
fn check_smtp_url(url: &str) -> anyhow::Result<()> {
    let rest = url
        .strip_prefix("smtps://")
        .or_else(|| url.strip_prefix("smtp://"))
        .ok_or_else(|| anyhow::anyhow!("the SMTP URL must start with smtp:// or smtps://"))?;
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let host = host.split(['?', '/']).next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        anyhow::bail!("the SMTP URL has no host");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Mailer;

    #[test]
    fn smtp_urls_plain_starttls_and_implicit_tls() {
        for url in [
            "smtp://relay.example:2525",
            "smtp://relay.example",
            "smtp://leenpunt%40provincie.example:geheim@mail.example:587?tls=required",
            "smtps://leenpunt:geheim@mail.example",
            "smtps://mail.example:465",
        ] {
            assert!(
                Mailer::new(url, "Leenpunt <leenpunt@example.org>").is_ok(),
                "{url}"
            );
        }
        for url in ["http://x", "smtp://", "smtps://user:pw@", "smtp://x:port"] {
            assert!(Mailer::new(url, "leenpunt@example.org").is_err(), "{url}");
        }
    }
}
