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
///
/// Anyone can type any address into the sign-up form, so this mail carries nothing the
/// requester typed (not even the name): it cannot be used to send someone a message.
pub fn confirm_address(lang: Lang, to: &Email, link: &str) -> Mail {
    let (subject, body) = match lang {
        Lang::Nl => (
            "Bevestig je e-mailadres voor Leenpunt".to_owned(),
            format!(
                "Dag,\n\nWelkom bij Leenpunt. Bevestig je e-mailadres met deze link \
                 (48 uur geldig):\n\n{link}\n\nDaarna kan je je aanmelden. Heb je geen account \
                 aangemaakt? Dan mag je deze mail negeren.\n\nLeenpunt\n"
            ),
        ),
        Lang::En => (
            "Confirm your e-mail address for Leenpunt".to_owned(),
            format!(
                "Hello,\n\nWelcome to Leenpunt. Confirm your e-mail address with this \
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

/// A link to choose a new password (valid two hours, single use).
pub fn reset_password(lang: Lang, to: &Email, link: &str) -> Mail {
    let (subject, body) = match lang {
        Lang::Nl => (
            "Kies een nieuw wachtwoord voor Leenpunt".to_owned(),
            format!(
                "Dag,\n\nIemand (wellicht jij) vroeg een nieuw wachtwoord aan voor dit e-mailadres. \
                 Kies het met deze link (2 uur geldig, één keer te gebruiken):\n\n{link}\n\n\
                 Vroeg je niets aan? Dan hoef je niets te doen; je wachtwoord blijft hetzelfde.\n\nLeenpunt\n"
            ),
        ),
        Lang::En => (
            "Choose a new password for Leenpunt".to_owned(),
            format!(
                "Hello,\n\nSomeone (probably you) asked for a new password for this e-mail address. \
                 Choose it with this link (valid for 2 hours, usable once):\n\n{link}\n\n\
                 Did you not ask? Then there is nothing to do; your password stays the same.\n\nLeenpunt\n"
            ),
        ),
    };
    Mail {
        to: to.clone(),
        subject,
        body,
    }
}

fn role_name(role: leenpunt_shared::Role, lang: Lang) -> String {
    role.label(lang).to_lowercase()
}

/// An invitation to a new account: choose a password with the link (7 days).
pub fn invitation(lang: Lang, to: &Email, role: leenpunt_shared::Role, link: &str) -> Mail {
    let what = role_name(role, lang);
    let (subject, body) = match lang {
        Lang::Nl => (
            "Je bent uitgenodigd voor Leenpunt".to_owned(),
            format!("Dag,\n\nJe bent uitgenodigd als {what} in Leenpunt. Kies je wachtwoord met deze link (7 dagen geldig):\n\n{link}\n\nLeenpunt\n"),
        ),
        Lang::En => (
            "You are invited to Leenpunt".to_owned(),
            format!("Hello,\n\nYou are invited as {what} in Leenpunt. Choose your password with this link (valid for 7 days):\n\n{link}\n\nLeenpunt\n"),
        ),
    };
    Mail {
        to: to.clone(),
        subject,
        body,
    }
}

/// Tells an existing account holder about a new role.
pub fn role_added(lang: Lang, to: &Email, role: leenpunt_shared::Role, link: &str) -> Mail {
    let what = role_name(role, lang);
    let (subject, body) = match lang {
        Lang::Nl => (
            "Je hebt een nieuwe rol in Leenpunt".to_owned(),
            format!("Dag,\n\nJe bent nu ook {what} in Leenpunt. Meld je aan zoals altijd:\n\n{link}\n\nLeenpunt\n"),
        ),
        Lang::En => (
            "You have a new role in Leenpunt".to_owned(),
            format!("Hello,\n\nYou are now also {what} in Leenpunt. Sign in as usual:\n\n{link}\n\nLeenpunt\n"),
        ),
    };
    Mail {
        to: to.clone(),
        subject,
        body,
    }
}

/// Why a reservation mail is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReservationNews {
    Confirmed,
    Requested,
    Approved,
    Rejected,
    Cancelled,
    Extended,
    /// Units left service and the reservation may not be possible.
    AtRisk,
    /// A place came free for someone on the waiting list.
    Offered,
    /// Held on the condition of a training: the units are held until it is attended.
    Conditional,
    /// The training was attended: the conditional reservation is confirmed.
    ConditionMet,
    /// The training passed without attendance: the units were released.
    ConditionFailed,
    /// The receipt of a hand-over: every booked unit went out.
    PickedUp,
    /// The receipt of a return: every unit is back.
    Returned,
    /// A unit came back with parts missing or damage noted (`return_notes` says what).
    ReturnedShort,
    /// Past the return day with units still out.
    Overdue,
    /// Nothing was picked up; the units were released.
    NoShow,
}

/// Tells a borrower what happened to their reservation.
pub fn reservation_news(
    lang: Lang,
    to: &Email,
    news: ReservationNews,
    r: &leenpunt_shared::Reservation,
    link: &str,
) -> Mail {
    use crate::domain::reservations::format_date;
    let date = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| format_date(d, lang))
            .unwrap_or_else(|_| s.to_owned())
    };
    let nl = lang == Lang::Nl;
    let headline = match (news, nl) {
        (ReservationNews::Confirmed, true) => "Je reservatie is bevestigd",
        (ReservationNews::Confirmed, false) => "Your reservation is confirmed",
        (ReservationNews::Requested, true) => "Je aanvraag is ontvangen en wacht op goedkeuring",
        (ReservationNews::Requested, false) => "Your request was received and awaits approval",
        (ReservationNews::Approved, true) => "Je aanvraag is goedgekeurd",
        (ReservationNews::Approved, false) => "Your request was approved",
        (ReservationNews::Rejected, true) => "Je aanvraag is geweigerd",
        (ReservationNews::Rejected, false) => "Your request was rejected",
        (ReservationNews::Cancelled, true) => "Je reservatie is geannuleerd",
        (ReservationNews::Cancelled, false) => "Your reservation was cancelled",
        (ReservationNews::Extended, true) => "Je reservatie is verlengd",
        (ReservationNews::Extended, false) => "Your reservation was extended",
        (ReservationNews::Offered, true) => {
            "Er is plaats vrijgekomen: aanvaard het aanbod binnen 48 uur"
        }
        (ReservationNews::Offered, false) => "A place came free: accept the offer within 48 hours",
        (ReservationNews::AtRisk, true) => "Let op: je reservatie komt in het gedrang",
        (ReservationNews::AtRisk, false) => "Attention: your reservation is at risk",
        (ReservationNews::Conditional, true) => {
            "Je reservatie is vastgelegd op voorwaarde dat je de opleiding volgt"
        }
        (ReservationNews::Conditional, false) => {
            "Your reservation is held on the condition that you attend the training"
        }
        (ReservationNews::ConditionMet, true) => {
            "Je volgde de opleiding: je reservatie is bevestigd"
        }
        (ReservationNews::ConditionMet, false) => {
            "You attended the training: your reservation is confirmed"
        }
        (ReservationNews::ConditionFailed, true) => {
            "De opleiding is voorbij zonder je aanwezigheid: je reservatie is vrijgegeven"
        }
        (ReservationNews::ConditionFailed, false) => {
            "The training passed without your attendance: your reservation was released"
        }
        (ReservationNews::PickedUp, true) => "Ontvangstbewijs: je haalde het materiaal af",
        (ReservationNews::PickedUp, false) => "Receipt: you picked up the material",
        (ReservationNews::Returned, true) => "Ontvangstbewijs: het materiaal is terug",
        (ReservationNews::Returned, false) => "Receipt: the material is back",
        (ReservationNews::ReturnedShort, true) => {
            "Bij het terugbrengen ontbrak er iets of was er schade"
        }
        (ReservationNews::ReturnedShort, false) => {
            "Something was missing or damaged when the material came back"
        }
        (ReservationNews::Overdue, true) => {
            "Je ontleende materiaal is te laat: breng het zo snel mogelijk terug"
        }
        (ReservationNews::Overdue, false) => {
            "Your borrowed material is overdue: please bring it back as soon as possible"
        }
        (ReservationNews::NoShow, true) => "Je reservatie werd niet afgehaald en is vrijgegeven",
        (ReservationNews::NoShow, false) => {
            "Your reservation was not picked up and has been released"
        }
    };
    let reason = r
        .reason
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            if nl {
                format!("Reden: {s}\n")
            } else {
                format!("Reason: {s}\n")
            }
        })
        .unwrap_or_default();
    let notes: String = r
        .return_notes
        .iter()
        .map(|n| return_note_line(n, nl) + "\n")
        .collect();
    let reason = reason + &notes;
    let body = if nl {
        format!(
            "Dag {},\n\n{headline}.\n\n{} × {}\nAfhalen: {} in {} ({})\nTerugbrengen: {}\n{reason}\nBekijk je reservaties: {link}\n\nLeenpunt\n",
            r.borrower, r.quantity, r.kit_title, date(&r.pickup_date), r.pickup_point,
            r.pickup_point_address, date(&r.return_date)
        )
    } else {
        format!(
            "Hello {},\n\n{headline}.\n\n{} × {}\nPickup: {} at {} ({})\nReturn: {}\n{reason}\nSee your reservations: {link}\n\nLeenpunt\n",
            r.borrower, r.quantity, r.kit_title, date(&r.pickup_date), r.pickup_point,
            r.pickup_point_address, date(&r.return_date)
        )
    };
    Mail {
        to: to.clone(),
        subject: format!("{headline}: {}", r.kit_title),
        body,
    }
}

/// One returned unit's shortfall in a sentence: "BB-K-01: Bee-Bot robot 5 van 6; schade: …".
pub fn return_note_line(n: &leenpunt_shared::ReturnNote, nl: bool) -> String {
    let mut parts: Vec<String> = n
        .missing
        .iter()
        .map(|m| {
            let of = if nl { "van" } else { "of" };
            format!("{} {} {of} {}", m.part, m.counted, m.expected)
        })
        .collect();
    if !n.damage.is_empty() {
        parts.push(format!(
            "{}: {}",
            if nl { "schade" } else { "damage" },
            n.damage
        ));
    }
    format!("{}: {}", n.unit, parts.join("; "))
}

/// What happened to someone's place in a training session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionNews {
    Registered,
    WaitingList,
    /// A seat came free and they moved up from the waiting list.
    MovedUp,
    Cancelled,
    /// The partner service called the session off.
    CalledOff,
}

/// Tells a teacher about their place in a training session.
pub fn session_news(
    lang: Lang,
    to: &Email,
    news: SessionNews,
    s: &leenpunt_shared::TrainingSession,
    link: &str,
) -> Mail {
    use crate::domain::reservations::format_date;
    let day = chrono::NaiveDate::parse_from_str(&s.day, "%Y-%m-%d")
        .map(|d| format_date(d, lang))
        .unwrap_or_else(|_| s.day.clone());
    let nl = lang == Lang::Nl;
    let headline = match (news, nl) {
        (SessionNews::Registered, true) => "Je bent ingeschreven",
        (SessionNews::Registered, false) => "You are registered",
        (SessionNews::WaitingList, true) => "De sessie is volzet: je staat op de wachtlijst",
        (SessionNews::WaitingList, false) => "The session is full: you are on the waiting list",
        (SessionNews::MovedUp, true) => "Er kwam een plaats vrij: je bent ingeschreven",
        (SessionNews::MovedUp, false) => "A seat came free: you are registered",
        (SessionNews::Cancelled, true) => "Je inschrijving is geannuleerd",
        (SessionNews::Cancelled, false) => "Your registration is cancelled",
        (SessionNews::CalledOff, true) => "Deze sessie gaat niet door",
        (SessionNews::CalledOff, false) => "This session is called off",
    };
    let body = if nl {
        format!(
            "Dag,\n\n{headline}.\n\n{}\n{day}, {}–{}\n{}\n\nBekijk de sessie: {link}\n\nLeenpunt\n",
            s.training_title, s.start_time, s.end_time, s.place
        )
    } else {
        format!(
            "Hello,\n\n{headline}.\n\n{}\n{day}, {}–{}\n{}\n\nSee the session: {link}\n\nLeenpunt\n",
            s.training_title, s.start_time, s.end_time, s.place
        )
    };
    Mail {
        to: to.clone(),
        subject: format!("{headline}: {}", s.training_title),
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
        let nl = confirm_address(Lang::Nl, &to, "https://leenpunt.example/bevestig/abc");
        assert!(nl.subject.starts_with("Bevestig"));
        assert!(
            nl.body.starts_with("Dag,")
                && nl.body.contains("https://leenpunt.example/bevestig/abc")
        );
        let en = already_registered(Lang::En, &to, "https://leenpunt.example/aanmelden");
        assert!(en.subject.contains("already") && en.body.contains("/aanmelden"));
    }
}
