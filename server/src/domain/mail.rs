//! The mails Leenpunt sends, as plain text in the recipient's language.

use leenpunt_shared::{Email, Lang};

/// A mail ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: Email,
    pub subject: String,
    pub body: String,
}

/// Asks a new account holder to confirm their address.
pub fn confirm_address(lang: Lang, to: &Email, name: &str, link: &str) -> Mail {
    let (subject, body) = match lang {
        Lang::Nl => (
            "Bevestig je e-mailadres voor Leenpunt".to_owned(),
            format!(
                "Dag {name},\n\nWelkom bij Leenpunt. Bevestig je e-mailadres met deze link \
                 (48 uur geldig):\n\n{link}\n\nDaarna kan je je aanmelden. Heb je geen account \
                 aangemaakt? Dan mag je deze mail negeren.\n\nLeenpunt\n"
            ),
        ),
        Lang::En => (
            "Confirm your e-mail address for Leenpunt".to_owned(),
            format!(
                "Hello {name},\n\nWelcome to Leenpunt. Confirm your e-mail address with this \
                 link (valid for 48 hours):\n\n{link}\n\nThen you can sign in. Did you not \
                 create an account? Then you can ignore this mail.\n\nLeenpunt\n"
            ),
        ),
    };
    Mail {
        to: to.clone(),
        subject,
        body,
    }
}

/// Sent when someone signs up with an address that already has an account, so the
/// sign-up form itself never reveals that.
pub fn already_registered(lang: Lang, to: &Email, signin_link: &str) -> Mail {
    let (subject, body) = match lang {
        Lang::Nl => (
            "Je hebt al een account bij Leenpunt".to_owned(),
            format!(
                "Dag,\n\nIemand (wellicht jij) probeerde een account aan te maken met dit \
                 e-mailadres, maar er bestaat er al een. Meld je aan via:\n\n{signin_link}\n\n\
                 Was jij dit niet? Dan hoef je niets te doen.\n\nLeenpunt\n"
            ),
        ),
        Lang::En => (
            "You already have a Leenpunt account".to_owned(),
            format!(
                "Hello,\n\nSomeone (probably you) tried to create an account with this e-mail \
                 address, but one already exists. Sign in at:\n\n{signin_link}\n\nWas this not \
                 you? Then there is nothing to do.\n\nLeenpunt\n"
            ),
        ),
    };
    Mail {
        to: to.clone(),
        subject,
        body,
    }
}

/// Delivery attempts before a mail is given up (and left for an admin to see).
pub const MAX_ATTEMPTS: u32 = 8;

/// How long to wait after the n-th failed attempt: 1, 2, 4, … minutes, at most 2 hours.
pub fn retry_delay(failed_attempts: u32) -> chrono::Duration {
    let minutes = 1i64 << failed_attempts.saturating_sub(1).min(7);
    chrono::Duration::minutes(minutes.min(120))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off() {
        assert_eq!(retry_delay(1), chrono::Duration::minutes(1));
        assert_eq!(retry_delay(2), chrono::Duration::minutes(2));
        assert_eq!(retry_delay(4), chrono::Duration::minutes(8));
        assert_eq!(retry_delay(30), chrono::Duration::minutes(120));
    }

    #[test]
    fn mails_carry_the_link_in_the_right_language() {
        let to = Email::parse("an@school.be").unwrap();
        let nl = confirm_address(Lang::Nl, &to, "An", "https://leenpunt.example/bevestig/abc");
        assert!(nl.subject.starts_with("Bevestig"));
        assert!(
            nl.body.contains("Dag An,")
                && nl.body.contains("https://leenpunt.example/bevestig/abc")
        );
        let en = already_registered(Lang::En, &to, "https://leenpunt.example/aanmelden");
        assert!(en.subject.contains("already") && en.body.contains("/aanmelden"));
    }
}
