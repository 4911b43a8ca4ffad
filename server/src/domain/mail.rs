//! The mails Leenpunt sends, as plain text in the recipient's language.

use crate::texts::{self, Text};
use leenpunt_shared::{Email, Lang};

/// A mail ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: Email,
    pub subject: String,
    pub body: String,
}

/// A mail of greeting, paragraphs and signature, each paragraph in the table's words.
pub(crate) fn compose(
    lang: Lang,
    to: &Email,
    subject: String,
    hello: Text<'_>,
    paragraphs: &[String],
) -> Mail {
    let mut body = hello.get(lang);
    for p in paragraphs.iter().filter(|p| !p.is_empty()) {
        body.push_str("\n\n");
        body.push_str(p);
    }
    body.push_str("\n\n");
    body.push_str(&Text::MailSignature.get(lang));
    body.push('\n');
    Mail {
        to: to.clone(),
        subject,
        body,
    }
}

/// A mail of a subject and one paragraph under "Dag,".
fn simple(lang: Lang, to: &Email, subject: Text<'_>, paragraph: Text<'_>) -> Mail {
    compose(
        lang,
        to,
        subject.get(lang),
        Text::MailHello,
        &[paragraph.get(lang)],
    )
}

/// Asks a new account holder to confirm their address.
///
/// Anyone can type any address into the sign-up form, so this mail carries nothing the
/// requester typed (not even the name): it cannot be used to send someone a message.
pub fn confirm_address(lang: Lang, to: &Email, link: &str) -> Mail {
    simple(
        lang,
        to,
        Text::ConfirmSubject,
        Text::ConfirmBody { link: &link },
    )
}

/// Sent when someone signs up with an address that already has an account, so the
/// sign-up form itself never reveals that.
pub fn already_registered(lang: Lang, to: &Email, signin_link: &str) -> Mail {
    simple(
        lang,
        to,
        Text::AlreadySubject,
        Text::AlreadyBody { link: &signin_link },
    )
}

/// A link to choose a new password (valid two hours, single use).
pub fn reset_password(lang: Lang, to: &Email, link: &str) -> Mail {
    simple(
        lang,
        to,
        Text::ResetSubject,
        Text::ResetBody { link: &link },
    )
}

fn role_name(role: leenpunt_shared::Role, lang: Lang) -> String {
    role.label(lang).to_lowercase()
}

/// An invitation to a new account: choose a password with the link (7 days).
pub fn invitation(lang: Lang, to: &Email, role: leenpunt_shared::Role, link: &str) -> Mail {
    let role = role_name(role, lang);
    simple(
        lang,
        to,
        Text::InviteSubject,
        Text::InviteBody {
            role: &role,
            link: &link,
        },
    )
}

/// Tells an existing account holder about a new role.
pub fn role_added(lang: Lang, to: &Email, role: leenpunt_shared::Role, link: &str) -> Mail {
    let role = role_name(role, lang);
    simple(
        lang,
        to,
        Text::RoleAddedSubject,
        Text::RoleAddedBody {
            role: &role,
            link: &link,
        },
    )
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

impl ReservationNews {
    /// The headline, which is also the subject.
    fn headline(self) -> Text<'static> {
        use ReservationNews as N;
        match self {
            N::Confirmed => Text::NewsConfirmed,
            N::Requested => Text::NewsRequested,
            N::Approved => Text::NewsApproved,
            N::Rejected => Text::NewsRejected,
            N::Cancelled => Text::NewsCancelled,
            N::Extended => Text::NewsExtended,
            N::AtRisk => Text::NewsAtRisk,
            N::Offered => Text::NewsOffered,
            N::Conditional => Text::NewsConditional,
            N::ConditionMet => Text::NewsConditionMet,
            N::ConditionFailed => Text::NewsConditionFailed,
            N::PickedUp => Text::NewsPickedUp,
            N::Returned => Text::NewsReturned,
            N::ReturnedShort => Text::NewsReturnedShort,
            N::Overdue => Text::NewsOverdue,
            N::NoShow => Text::NewsNoShow,
        }
    }
}

/// Tells a borrower what happened to their reservation. `now` (RFC 3339, UTC) is when it
/// happened; every day and time is written in words in Brussels local time.
pub fn reservation_news(
    lang: Lang,
    to: &Email,
    news: ReservationNews,
    r: &leenpunt_shared::Reservation,
    link: &str,
    now: &str,
) -> Mail {
    let headline = news.headline().get(lang);
    let when = |at: &str| texts::instant(at, lang);
    let moment = match news {
        ReservationNews::Confirmed | ReservationNews::Requested | ReservationNews::Conditional => {
            Some(
                Text::MailBookedAt {
                    when: &when(&r.created_at),
                }
                .get(lang),
            )
        }
        ReservationNews::Offered => r
            .offer_expires_at
            .as_deref()
            .map(|at| Text::MailOfferUntil { when: &when(at) }.get(lang)),
        ReservationNews::PickedUp => Some(Text::MailHandedOutAt { when: &when(now) }.get(lang)),
        ReservationNews::Returned | ReservationNews::ReturnedShort => {
            Some(Text::MailReturnedAt { when: &when(now) }.get(lang))
        }
        _ => None,
    };
    let mut facts = vec![
        format!("{} × {}", r.quantity, r.kit_title),
        Text::MailPickup {
            day: &texts::iso_day(&r.pickup_date, lang),
            point: &r.pickup_point,
            address: &r.pickup_point_address,
        }
        .get(lang),
        Text::MailReturn {
            day: &texts::iso_day(&r.return_date, lang),
        }
        .get(lang),
    ];
    facts.extend(moment);
    if let Some(reason) = r.reason.as_deref().filter(|s| !s.is_empty()) {
        facts.push(Text::MailReason { reason: &reason }.get(lang));
    }
    facts.extend(r.return_notes.iter().map(|n| return_note_line(n, lang)));
    compose(
        lang,
        to,
        format!("{headline}: {}", r.kit_title),
        Text::MailHelloName { name: &r.borrower },
        &[
            format!("{headline}."),
            facts.join("\n"),
            Text::MailSeeReservations { link: &link }.get(lang),
        ],
    )
}

/// One returned unit's shortfall in a sentence: "BB-K-01: Bee-Bot robot 5 van 6; schade: …".
pub fn return_note_line(n: &leenpunt_shared::ReturnNote, lang: Lang) -> String {
    let mut parts: Vec<String> = n
        .missing
        .iter()
        .map(|m| {
            Text::ReturnMissing {
                part: &m.part,
                counted: &m.counted,
                expected: &m.expected,
            }
            .get(lang)
        })
        .collect();
    if !n.damage.is_empty() {
        parts.push(Text::ReturnDamage { damage: &n.damage }.get(lang));
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

/// Tells a teacher about their place in a training session; its times in Brussels time.
pub fn session_news(
    lang: Lang,
    to: &Email,
    news: SessionNews,
    s: &leenpunt_shared::TrainingSession,
    link: &str,
) -> Mail {
    let headline = match news {
        SessionNews::Registered => Text::SessionRegistered,
        SessionNews::WaitingList => Text::SessionWaitingList,
        SessionNews::MovedUp => Text::SessionMovedUp,
        SessionNews::Cancelled => Text::SessionCancelled,
        SessionNews::CalledOff => Text::SessionCalledOff,
    }
    .get(lang);
    let local = leenpunt_shared::time::brussels_local;
    let when = match (local(&s.starts_at), local(&s.ends_at)) {
        (Some((day, start)), Some((_, end))) => Text::MailSessionWhen {
            day: &texts::iso_day(&day, lang),
            start: &start,
            end: &end,
        }
        .get(lang),
        _ => format!("{} {}–{}", s.day, s.start_time, s.end_time),
    };
    compose(
        lang,
        to,
        format!("{headline}: {}", s.training_title),
        Text::MailHello,
        &[
            format!("{headline}."),
            format!("{}\n{when}\n{}", s.training_title, s.place),
            Text::MailSeeSession { link: &link }.get(lang),
        ],
    )
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
