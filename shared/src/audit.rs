//! The audit log as people read it: what each recorded action means in a sentence, the
//! kinds of object it can be filtered by, and the filter itself (its URL form is shared by
//! the page, the API and the CSV export, so a filtered view can be downloaded as shown).

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// Entries per page.
pub const AUDIT_PAGE: u32 = 50;
/// The most rows one CSV export holds.
pub const AUDIT_EXPORT_MAX: u32 = 100_000;
/// Longest accepted filter text, in characters.
const MAX_FILTER_CHARS: usize = 200;

/// What an entry is about, for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AuditKind {
    Reservation,
    Loan,
    Kit,
    Training,
    Account,
    ClosedDays,
    Register,
}

impl AuditKind {
    pub const ALL: [AuditKind; 7] = [
        AuditKind::Reservation,
        AuditKind::Loan,
        AuditKind::Kit,
        AuditKind::Training,
        AuditKind::Account,
        AuditKind::ClosedDays,
        AuditKind::Register,
    ];

    /// The code in addresses (`?soort=…`).
    pub fn code(self) -> &'static str {
        match self {
            AuditKind::Reservation => "reservatie",
            AuditKind::Loan => "uitlening",
            AuditKind::Kit => "materiaal",
            AuditKind::Training => "opleiding",
            AuditKind::Account => "account",
            AuditKind::ClosedDays => "sluitingsdagen",
            AuditKind::Register => "register",
        }
    }

    pub fn parse(s: &str) -> Option<AuditKind> {
        AuditKind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AuditKind::Reservation, Lang::Nl) => "Reservaties en wachtlijst",
            (AuditKind::Reservation, Lang::En) => "Reservations and waiting list",
            (AuditKind::Loan, Lang::Nl) => "Uitgifte, inname en exemplaren",
            (AuditKind::Loan, Lang::En) => "Hand-over, returns and units",
            (AuditKind::Kit, Lang::Nl) => "Materiaal",
            (AuditKind::Kit, Lang::En) => "Kits",
            (AuditKind::Training, Lang::Nl) => "Opleidingen",
            (AuditKind::Training, Lang::En) => "Trainings",
            (AuditKind::Account, Lang::Nl) => "Accounts en aanmelden",
            (AuditKind::Account, Lang::En) => "Accounts and sign-in",
            (AuditKind::ClosedDays, Lang::Nl) => "Sluitingsdagen",
            (AuditKind::ClosedDays, Lang::En) => "Closed days",
            (AuditKind::Register, Lang::Nl) => "Scholen, partners en afhaalpunten",
            (AuditKind::Register, Lang::En) => "Schools, partners and pickup points",
        }
    }

    /// The recorded action codes of this kind, as SQL `LIKE` patterns.
    pub fn action_patterns(self) -> Vec<String> {
        ACTIONS
            .iter()
            .filter(|a| a.kind == self)
            .map(|a| a.pattern.to_owned())
            .collect()
    }
}

/// One recorded action: its code (or code pattern, `%` for any text), its kind and what it
/// means, as the verb phrase of a sentence whose subject is the person who did it.
struct ActionText {
    pattern: &'static str,
    kind: AuditKind,
    nl: &'static str,
    en: &'static str,
}

const fn a(
    pattern: &'static str,
    kind: AuditKind,
    nl: &'static str,
    en: &'static str,
) -> ActionText {
    ActionText {
        pattern,
        kind,
        nl,
        en,
    }
}

use AuditKind as K;

/// Every action the server records. A code that is not listed still shows (as its code),
/// and `every_recorded_action_has_a_sentence` in the server's tests keeps this list whole.
const ACTIONS: &[ActionText] = &[
    a(
        "reservation.create",
        K::Reservation,
        "reserveerde materiaal",
        "reserved a kit",
    ),
    a(
        "waitlist.offer",
        K::Reservation,
        "bood materiaal van de wachtlijst aan",
        "offered a kit from the waiting list",
    ),
    a(
        "reservation.cancel",
        K::Reservation,
        "annuleerde een reservatie",
        "cancelled a reservation",
    ),
    a(
        "reservation.approve",
        K::Reservation,
        "keurde een aanvraag goed",
        "approved a request",
    ),
    a(
        "reservation.reject",
        K::Reservation,
        "weigerde een aanvraag",
        "rejected a request",
    ),
    a(
        "reservation.extend",
        K::Reservation,
        "verlengde een reservatie",
        "extended a reservation",
    ),
    a(
        "reservation.accept",
        K::Reservation,
        "nam een aanbod van de wachtlijst aan",
        "accepted a waiting-list offer",
    ),
    a(
        "reservation.condition-met",
        K::Reservation,
        "maakte een voorlopige reservatie definitief (opleiding gevolgd)",
        "confirmed a provisional reservation (training attended)",
    ),
    a(
        "reservation.released",
        K::Reservation,
        "gaf een voorlopige reservatie vrij (opleiding niet gevolgd)",
        "released a provisional reservation (training not attended)",
    ),
    a(
        "reservation.no-show",
        K::Reservation,
        "zette een niet-afgehaalde reservatie stop",
        "ended a reservation that was not picked up",
    ),
    a(
        "waitlist.join",
        K::Reservation,
        "schreef in op de wachtlijst",
        "joined the waiting list",
    ),
    a(
        "waitlist.leave",
        K::Reservation,
        "verliet de wachtlijst",
        "left the waiting list",
    ),
    a(
        "waitlist.lapse",
        K::Reservation,
        "liet een aanbod van de wachtlijst verlopen",
        "let a waiting-list offer lapse",
    ),
    a(
        "unit.handover",
        K::Loan,
        "gaf materiaal mee",
        "handed over a loan",
    ),
    a(
        "unit.return",
        K::Loan,
        "nam materiaal terug in",
        "took back a loan",
    ),
    a(
        "unit.maintenance",
        K::Loan,
        "zette een exemplaar in onderhoud",
        "put a unit in maintenance",
    ),
    a(
        "unit.status",
        K::Loan,
        "wijzigde de status van een exemplaar",
        "changed a unit's status",
    ),
    a(
        "unit.retag",
        K::Loan,
        "gaf een exemplaar een nieuw label",
        "gave a unit a new label",
    ),
    a(
        "kit.create",
        K::Kit,
        "maakte materiaal aan",
        "created a kit",
    ),
    a("kit.update", K::Kit, "wijzigde materiaal", "changed a kit"),
    a(
        "kit.photo",
        K::Kit,
        "wijzigde de foto van materiaal",
        "changed a kit's photo",
    ),
    a(
        "catalogue.import",
        K::Kit,
        "importeerde de catalogus",
        "imported the catalogue",
    ),
    a(
        "training.create",
        K::Training,
        "maakte een opleiding aan",
        "created a training",
    ),
    a(
        "training.update",
        K::Training,
        "wijzigde een opleiding",
        "changed a training",
    ),
    a(
        "training.delete",
        K::Training,
        "verwijderde een opleiding",
        "deleted a training",
    ),
    a(
        "session.create",
        K::Training,
        "plande een opleidingssessie",
        "scheduled a training session",
    ),
    a(
        "session.call-off",
        K::Training,
        "annuleerde een opleidingssessie",
        "called off a training session",
    ),
    a(
        "session.register",
        K::Training,
        "schreef in voor een sessie",
        "registered for a session",
    ),
    a(
        "session.unregister",
        K::Training,
        "schreef uit voor een sessie",
        "unregistered from a session",
    ),
    a(
        "session.attended",
        K::Training,
        "noteerde aanwezigheid",
        "recorded attendance",
    ),
    a(
        "session.absent",
        K::Training,
        "noteerde afwezigheid",
        "recorded an absence",
    ),
    a(
        "qualification.grant",
        K::Training,
        "kende een opleiding toe",
        "granted a training",
    ),
    a(
        "qualification.revoke",
        K::Training,
        "trok een toegekende opleiding in",
        "revoked a granted training",
    ),
    a("login", K::Account, "meldde zich aan", "signed in"),
    a(
        "token.create",
        K::Account,
        "maakte een toegangssleutel",
        "made an access token",
    ),
    a(
        "token.revoke",
        K::Account,
        "trok een toegangssleutel in",
        "revoked an access token",
    ),
    a(
        "logout-everywhere",
        K::Account,
        "meldde zich overal af",
        "signed out everywhere",
    ),
    a(
        "signed-up",
        K::Account,
        "maakte een account aan",
        "signed up",
    ),
    a(
        "email-confirmed",
        K::Account,
        "bevestigde het e-mailadres",
        "confirmed the e-mail address",
    ),
    a(
        "password-reset-requested",
        K::Account,
        "vroeg een nieuw wachtwoord aan",
        "asked for a new password",
    ),
    a(
        "password-reset",
        K::Account,
        "koos een nieuw wachtwoord",
        "chose a new password",
    ),
    a(
        "invited",
        K::Account,
        "nodigde iemand uit",
        "invited someone",
    ),
    a(
        "invitation-accepted",
        K::Account,
        "aanvaardde een uitnodiging",
        "accepted an invitation",
    ),
    a(
        "user-created",
        K::Account,
        "maakte een gebruiker aan",
        "created a user",
    ),
    a(
        "user.disable",
        K::Account,
        "blokkeerde een account",
        "disabled an account",
    ),
    a(
        "user.enable",
        K::Account,
        "deblokkeerde een account",
        "enabled an account",
    ),
    a(
        "user.role-removed",
        K::Account,
        "nam een rol af",
        "removed a role",
    ),
    a(
        "closed_days.add",
        K::ClosedDays,
        "voegde sluitingsdagen toe",
        "added closed days",
    ),
    a(
        "closed_days.remove",
        K::ClosedDays,
        "schrapte sluitingsdagen",
        "removed closed days",
    ),
    a(
        "closed_days.import",
        K::ClosedDays,
        "importeerde sluitingsdagen",
        "imported closed days",
    ),
    a(
        "privacy.retention",
        K::Account,
        "paste de bewaartermijnen toe (oude mails, sessies en onbevestigde accounts gewist)",
        "applied the retention periods (old mails, sessions and unconfirmed accounts removed)",
    ),
    a(
        "privacy.erasure",
        K::Account,
        "verwijderde een account (naam en e-mailadres gewist)",
        "erased an account (name and e-mail address removed)",
    ),
    a(
        "privacy.erasure-request",
        K::Account,
        "vroeg om een account te verwijderen",
        "asked to delete an account",
    ),
    a(
        "privacy.erasure-refused",
        K::Account,
        "weigerde een account te verwijderen",
        "refused to delete an account",
    ),
    a(
        "school-request",
        K::Register,
        "ontving een aanvraag om een school toe te voegen",
        "received a request to add a school",
    ),
    a(
        "scholen.%",
        K::Register,
        "wijzigde de scholenlijst",
        "changed the school register",
    ),
    a(
        "partners.%",
        K::Register,
        "wijzigde een partnerdienst",
        "changed a partner service",
    ),
    a(
        "afhaalpunten.%",
        K::Register,
        "wijzigde een afhaalpunt",
        "changed a pickup point",
    ),
];

fn matches(pattern: &str, action: &str) -> bool {
    match pattern.strip_suffix('%') {
        Some(prefix) => action.starts_with(prefix),
        None => pattern == action,
    }
}

fn find(action: &str) -> Option<&'static ActionText> {
    ACTIONS.iter().find(|a| matches(a.pattern, action))
}

/// What an action means, as a verb phrase ("annuleerde een reservatie"); the code itself
/// when it is not known.
pub fn describe(action: &str, lang: Lang) -> String {
    match find(action) {
        Some(a) => match lang {
            Lang::Nl => a.nl.to_owned(),
            Lang::En => a.en.to_owned(),
        },
        None => action.to_owned(),
    }
}

/// The kind of an action, if it is a known one.
pub fn kind_of(action: &str) -> Option<AuditKind> {
    find(action).map(|a| a.kind)
}

/// Whether an action code has a sentence.
pub fn is_known(action: &str) -> bool {
    find(action).is_some()
}

/// The object words people type and read, per subject prefix.
const OBJECTS: &[(&str, &str, &str)] = &[
    ("reservation", "reservatie", "reservation"),
    ("waitlist", "wachtlijst", "waiting list"),
    ("unit", "exemplaar", "unit"),
    ("kit", "materiaal", "kit"),
    ("training", "opleiding", "training"),
    ("session", "sessie", "session"),
    ("qualification", "toekenning", "qualification"),
    ("user", "gebruiker", "user"),
    ("closed_period", "sluitingsperiode", "closed period"),
    ("scholen", "school", "school"),
    ("school-request", "aanvraag van", "request from"),
    ("csv_upload", "CSV-bestand", "CSV file"),
    ("partners", "partner", "partner"),
    ("afhaalpunten", "afhaalpunt", "pickup point"),
    ("token", "sleutel", "token"),
];

/// A stored subject (`reservation:42`) as people read it ("reservatie 42").
pub fn subject_label(subject: &str, lang: Lang) -> String {
    let Some((prefix, id)) = subject.split_once(':') else {
        return subject.to_owned();
    };
    match OBJECTS.iter().find(|(p, _, _)| *p == prefix) {
        Some((_, nl, en)) => format!(
            "{} {id}",
            match lang {
                Lang::Nl => nl,
                Lang::En => en,
            }
        ),
        None => subject.to_owned(),
    }
}

/// How the object filter matches a subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectMatch {
    /// Exactly this stored subject ("reservatie 42" → `reservation:42`).
    Exact(String),
    /// Subjects whose identifier contains this text ("BB-01").
    Contains(String),
}

/// Reads what a person typed in the object filter: an object word and an identifier, in
/// either language, or only an identifier.
pub fn object_match(typed: &str) -> Option<ObjectMatch> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let lower = typed.to_lowercase();
    for (prefix, nl, en) in OBJECTS {
        for word in [*nl, *en, *prefix] {
            if let Some(rest) = lower.strip_prefix(word) {
                let id = rest.trim_start_matches([' ', ':', '#']).trim();
                if !id.is_empty() && rest.len() > id.len() {
                    // Keep the identifier as typed (codes are upper case).
                    let id = &typed[typed.len() - id.len()..];
                    return Some(ObjectMatch::Exact(format!("{prefix}:{id}")));
                }
            }
        }
    }
    Some(ObjectMatch::Contains(typed.to_owned()))
}

/// The audit log filter and page position, from and to its address
/// (`?wie=…&soort=…&object=…&van=…&tot=…&voor=…`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct AuditQuery {
    /// Part of the acting person's name or e-mail address.
    #[serde(default, rename = "wie", skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// A kind code (`reservatie`, `uitlening`, `materiaal`, `opleiding`, `account`,
    /// `sluitingsdagen`, `register`).
    #[serde(default, rename = "soort", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// An object ("reservatie 42", "BB-01").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// First day (Brussels), YYYY-MM-DD.
    #[serde(default, rename = "van", skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day (Brussels), YYYY-MM-DD, included.
    #[serde(default, rename = "tot", skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Only entries older than this entry id (the next page).
    #[serde(default, rename = "voor", skip_serializing_if = "Option::is_none")]
    pub before: Option<i64>,
}

/// A filter problem, per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditFilterProblem {
    UnknownKind,
    BadDate,
    Reversed,
    TooLong,
}

impl AuditFilterProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AuditFilterProblem::UnknownKind, Lang::Nl) => "Kies een soort uit de lijst.",
            (AuditFilterProblem::UnknownKind, Lang::En) => "Choose a kind from the list.",
            (AuditFilterProblem::BadDate, Lang::Nl) => "Geef een datum als JJJJ-MM-DD.",
            (AuditFilterProblem::BadDate, Lang::En) => "Give a date as YYYY-MM-DD.",
            (AuditFilterProblem::Reversed, Lang::Nl) => "De einddatum ligt voor de begindatum.",
            (AuditFilterProblem::Reversed, Lang::En) => "The end date is before the start date.",
            (AuditFilterProblem::TooLong, Lang::Nl) => "Deze zoektekst is te lang.",
            (AuditFilterProblem::TooLong, Lang::En) => "This search text is too long.",
        }
    }
}

/// A checked filter: what the storage layer needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub person: Option<String>,
    pub kind: Option<AuditKind>,
    pub object: Option<ObjectMatch>,
    /// First day, as a day number.
    pub from_day: Option<i64>,
    /// Last day included, as a day number.
    pub to_day: Option<i64>,
    pub before: Option<i64>,
}

impl AuditQuery {
    fn text(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    /// Checks the filter; each problem names its field (`wie`, `soort`, `object`, `van`,
    /// `tot`).
    pub fn check(&self) -> Result<AuditFilter, Vec<(&'static str, AuditFilterProblem)>> {
        let mut problems = Vec::new();
        for (field, v) in [("wie", &self.person), ("object", &self.object)] {
            if Self::text(v).is_some_and(|s| s.chars().count() > MAX_FILTER_CHARS) {
                problems.push((field, AuditFilterProblem::TooLong));
            }
        }
        let kind = match Self::text(&self.kind) {
            None => None,
            Some(code) => match AuditKind::parse(code) {
                Some(k) => Some(k),
                None => {
                    problems.push(("soort", AuditFilterProblem::UnknownKind));
                    None
                }
            },
        };
        let mut day = |field: &'static str, v: &Option<String>| match Self::text(v) {
            None => None,
            Some(d) => match crate::query::day_number(d) {
                Some(n) => Some(n),
                None => {
                    problems.push((field, AuditFilterProblem::BadDate));
                    None
                }
            },
        };
        let from_day = day("van", &self.from);
        let to_day = day("tot", &self.to);
        if let (Some(f), Some(t)) = (from_day, to_day) {
            if t < f {
                problems.push(("tot", AuditFilterProblem::Reversed));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(AuditFilter {
            person: Self::text(&self.person).map(str::to_owned),
            kind,
            object: Self::text(&self.object).and_then(object_match),
            from_day,
            to_day,
            before: self.before,
        })
    }

    /// The address query string (without `?`) of this filter, for links and the export.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        let mut push = |k: &str, v: &Option<String>| {
            if let Some(v) = Self::text(v) {
                parts.push(format!("{k}={}", crate::query::encode_component(v)));
            }
        };
        push("wie", &self.person);
        push("soort", &self.kind);
        push("object", &self.object);
        push("van", &self.from);
        push("tot", &self.to);
        if let Some(b) = self.before {
            parts.push(format!("voor={b}"));
        }
        parts.join("&")
    }
}

/// One audit entry, ready to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRow {
    pub id: i64,
    /// When, UTC (RFC 3339).
    pub at: String,
    /// The acting person's name; `None` for the system itself.
    pub actor_name: Option<String>,
    /// The acting person's e-mail address.
    pub actor_email: Option<String>,
    /// The recorded action code (`reservation.cancel`).
    pub action: String,
    /// The stored object (`reservation:42`).
    pub subject: String,
    /// The name of the person the entry is about, when the object is a user.
    pub subject_name: Option<String>,
    /// Free detail (a reason, a date, a count).
    pub detail: String,
    /// The name of the access token the change was made with, if any.
    #[serde(default)]
    pub via_token: Option<String>,
}

/// One page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditRow>,
    /// The `voor` value of the next (older) page, if there is one.
    pub next_before: Option<i64>,
}

impl AuditRow {
    /// The entry as one sentence: "An Peeters annuleerde een reservatie (reservatie 42)".
    pub fn sentence(&self, lang: Lang) -> String {
        let who = self.actor_name.clone().unwrap_or_else(|| {
            match lang {
                Lang::Nl => "Het systeem",
                Lang::En => "The system",
            }
            .to_owned()
        });
        let object = match &self.subject_name {
            Some(name) => name.clone(),
            None => subject_label(&self.subject, lang),
        };
        format!("{who} {} ({object})", describe(&self.action, lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_as_sentences_in_both_languages() {
        let row = AuditRow {
            id: 1,
            at: "2026-11-30T09:00:00+00:00".into(),
            actor_name: Some("An Peeters".into()),
            actor_email: Some("an@school.be".into()),
            action: "reservation.cancel".into(),
            subject: "reservation:42".into(),
            subject_name: None,
            detail: String::new(),
            via_token: None,
        };
        assert_eq!(
            row.sentence(Lang::Nl),
            "An Peeters annuleerde een reservatie (reservatie 42)"
        );
        assert_eq!(
            row.sentence(Lang::En),
            "An Peeters cancelled a reservation (reservation 42)"
        );
        assert_eq!(
            describe("scholen.update", Lang::Nl),
            "wijzigde de scholenlijst"
        );
        assert_eq!(describe("something.new", Lang::Nl), "something.new");
    }

    #[test]
    fn every_action_has_a_kind_that_lists_it() {
        for a in ACTIONS {
            assert!(a.kind.action_patterns().contains(&a.pattern.to_owned()));
            assert!(!a.nl.is_empty() && !a.en.is_empty());
        }
        for k in AuditKind::ALL {
            assert_eq!(AuditKind::parse(k.code()), Some(k));
            assert!(!k.action_patterns().is_empty(), "{k:?}");
        }
    }

    #[test]
    fn typed_objects_become_subjects() {
        assert_eq!(
            object_match("reservatie 42"),
            Some(ObjectMatch::Exact("reservation:42".into()))
        );
        assert_eq!(
            object_match("Exemplaar BB-01"),
            Some(ObjectMatch::Exact("unit:BB-01".into()))
        );
        assert_eq!(
            object_match("reservation:7"),
            Some(ObjectMatch::Exact("reservation:7".into()))
        );
        assert_eq!(
            object_match("BB-01"),
            Some(ObjectMatch::Contains("BB-01".into()))
        );
        // A word that merely starts like an object word is an identifier.
        assert_eq!(
            object_match("kits"),
            Some(ObjectMatch::Contains("kits".into()))
        );
        assert_eq!(object_match("  "), None);
    }

    #[test]
    fn filters_are_checked_per_field() {
        let q = AuditQuery {
            kind: Some("onbekend".into()),
            from: Some("2026-12-01".into()),
            to: Some("2026-11-01".into()),
            ..Default::default()
        };
        let problems = q.check().unwrap_err();
        assert!(problems.contains(&("soort", AuditFilterProblem::UnknownKind)));
        assert!(problems.contains(&("tot", AuditFilterProblem::Reversed)));
        let ok = AuditQuery {
            person: Some(" an ".into()),
            kind: Some("reservatie".into()),
            from: Some("2026-11-01".into()),
            ..Default::default()
        }
        .check()
        .unwrap();
        assert_eq!(ok.person.as_deref(), Some("an"));
        assert_eq!(ok.kind, Some(AuditKind::Reservation));
        assert!(ok.from_day.is_some() && ok.to_day.is_none());
    }

    #[test]
    fn the_query_string_encodes_each_value() {
        let q = AuditQuery {
            person: Some("An & co".into()),
            kind: Some("reservatie".into()),
            before: Some(9),
            ..Default::default()
        };
        let s = q.to_query_string();
        assert_eq!(s, "wie=An+%26+co&soort=reservatie&voor=9");
    }
}
