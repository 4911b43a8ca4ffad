//! The mail of a sent request (issue 20): one per request (pickup point) instead of one
//! per line, listing every line with what happened to it — bevestigd, aangevraagd,
//! voorwaardelijk or wachtlijst — in the borrower's language.

use crate::domain::mail::{compose, Mail};
use crate::texts::{self, Text};
use leenpunt_shared::{Email, Lang, Reservation, ReservationStatus, WaitlistEntry};

/// What happened to one line of a sent cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineNews {
    Confirmed,
    Requested,
    /// Held on the condition of a training.
    Conditional,
    /// On the waiting list (a partial sending, short of units).
    Waiting,
}

impl LineNews {
    /// A booked line's news, as a single booking's mail would choose it.
    pub fn of(r: &Reservation) -> LineNews {
        if !r.waiting_for.is_empty() {
            LineNews::Conditional
        } else if r.status == ReservationStatus::Requested {
            LineNews::Requested
        } else {
            LineNews::Confirmed
        }
    }

    fn text(self) -> Text<'static> {
        match self {
            LineNews::Confirmed => Text::MailLineConfirmed,
            LineNews::Requested => Text::MailLineRequested,
            LineNews::Conditional => Text::MailLineConditional,
            LineNews::Waiting => Text::MailLineWaiting,
        }
    }
}

/// One line as the mail lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailLine {
    pub quantity: u32,
    pub kit_title: String,
    pub pickup_date: String,
    pub return_date: String,
    pub news: LineNews,
}

impl MailLine {
    pub fn booked(r: &Reservation) -> MailLine {
        MailLine {
            quantity: r.quantity,
            kit_title: r.kit_title.clone(),
            pickup_date: r.pickup_date.clone(),
            return_date: r.return_date.clone(),
            news: LineNews::of(r),
        }
    }

    pub fn waiting(w: &WaitlistEntry) -> MailLine {
        MailLine {
            quantity: w.quantity,
            kit_title: w.kit_title.clone(),
            pickup_date: w.pickup_date.clone(),
            return_date: w.return_date.clone(),
            news: LineNews::Waiting,
        }
    }
}

/// Where and for whom: the request's pickup point and the borrower.
#[derive(Debug, Clone, Copy)]
pub struct RequestMail<'a> {
    pub lang: Lang,
    pub to: &'a Email,
    pub borrower: &'a str,
    pub point: &'a str,
    pub address: &'a str,
    /// When it was sent (RFC 3339).
    pub sent_at: &'a str,
    /// "Mijn reservaties".
    pub link: &'a str,
}

/// The mail of one request: the pickup (first day of its lines) and return (last day),
/// then every line with its quantity and news; a line with other dates than the request's
/// names them.
pub fn request_news(m: RequestMail<'_>, lines: &[MailLine]) -> Mail {
    let lang = m.lang;
    let first = lines
        .iter()
        .map(|l| l.pickup_date.as_str())
        .min()
        .unwrap_or_default();
    let last = lines
        .iter()
        .map(|l| l.return_date.as_str())
        .max()
        .unwrap_or_default();
    let units: u32 = lines.iter().map(|l| l.quantity).sum();
    let kits = if units == 1 {
        Text::FeedRequestOneKit.get(lang)
    } else {
        Text::FeedRequestKits { count: &units }.get(lang)
    };
    let listed = lines
        .iter()
        .map(|l| {
            let line = Text::MailRequestLine {
                quantity: &l.quantity,
                kit: &l.kit_title,
                status: &l.news.text().get(lang),
            }
            .get(lang);
            if l.pickup_date == first && l.return_date == last {
                line
            } else {
                let dates = format!(
                    "{} – {}",
                    texts::iso_day(&l.pickup_date, lang),
                    texts::iso_day(&l.return_date, lang)
                );
                Text::MailRequestLineDates {
                    line: &line,
                    dates: &dates,
                }
                .get(lang)
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let facts = [
        Text::MailPickup {
            day: &texts::iso_day(first, lang),
            point: &m.point,
            address: &m.address,
        }
        .get(lang),
        Text::MailReturn {
            day: &texts::iso_day(last, lang),
        }
        .get(lang),
        Text::MailBookedAt {
            when: &texts::instant(m.sent_at, lang),
        }
        .get(lang),
    ]
    .join("\n");
    compose(
        lang,
        m.to,
        Text::MailRequestSubject {
            kits: &kits,
            point: &m.point,
        }
        .get(lang),
        Text::MailHelloName { name: &m.borrower },
        &[
            Text::MailRequestIntro.get(lang),
            listed,
            facts,
            Text::MailSeeReservations { link: &m.link }.get(lang),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kit: &str, news: LineNews, pickup: &str) -> MailLine {
        MailLine {
            quantity: 2,
            kit_title: kit.to_owned(),
            pickup_date: pickup.to_owned(),
            return_date: "2026-12-10".to_owned(),
            news,
        }
    }

    #[test]
    fn one_mail_lists_every_line_with_its_news_in_the_borrowers_language() {
        let to = Email::parse("an@school.be").unwrap();
        let lines = [
            line("Bee-Bot", LineNews::Confirmed, "2026-12-08"),
            line("Camera", LineNews::Requested, "2026-12-08"),
            line("Creatool", LineNews::Conditional, "2026-12-08"),
            line("Magneten", LineNews::Waiting, "2026-12-09"),
        ];
        let m = |lang| RequestMail {
            lang,
            to: &to,
            borrower: "An",
            point: "Brugge",
            address: "Markt 1",
            sent_at: "2026-11-27T09:00:00Z",
            link: "https://x/mijn-reservaties",
        };
        let nl = request_news(m(Lang::Nl), &lines);
        assert_eq!(nl.subject, "Je aanvraag: 8 kits in Brugge");
        for want in [
            "Dag An,",
            "- 2 × Bee-Bot: bevestigd\n",
            "- 2 × Camera: aangevraagd",
            "- 2 × Creatool: voorwaardelijk",
            "- 2 × Magneten: wachtlijst",
            "(9 december 2026 – 10 december 2026)",
            "Afhalen: 8 december 2026 in Brugge (Markt 1)",
            "Terugbrengen: 10 december 2026",
        ] {
            assert!(nl.body.contains(want), "{want}: {}", nl.body);
        }
        let en = request_news(m(Lang::En), &lines);
        assert_eq!(en.subject, "Your request: 8 kits at Brugge");
        assert!(
            en.body.contains("- 2 × Magneten: waiting list"),
            "{}",
            en.body
        );
        assert!(
            en.body.contains("- 2 × Bee-Bot: confirmed\n"),
            "{}",
            en.body
        );
    }
}
