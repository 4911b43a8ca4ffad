//! Every sentence the server says to people, in every language, checked at compile time.
//!
//! One table: a key without both a Dutch and an English text does not build, and a text
//! with parameters names them (`Key { name } => "Dag {name}", "Hello {name}"`), so a
//! placeholder that is not a parameter does not build either. Rules return reasons as
//! values; this table words them in the reader's language. How to add a text:
//! `docs/texts.md`.

use leenpunt_shared::Lang;
use std::fmt::Display;

macro_rules! texts {
    ($( $key:ident $({ $($arg:ident),+ $(,)? })? => $nl:literal, $en:literal;)*) => {
        /// A piece of text the server says; parameters are anything printable.
        #[derive(Clone, Copy)]
        pub enum Text<'a> {
            $( $key $({ $($arg: &'a dyn Display),+ })? ),*
        }

        impl Text<'_> {
            /// The text in a language, with its parameters filled in.
            #[allow(clippy::useless_format)]
            pub fn get(&self, lang: Lang) -> String {
                match *self {
                    $( Text::$key $({ $($arg),+ })? => match lang {
                        Lang::Nl => format!($nl),
                        Lang::En => format!($en),
                    }, )*
                }
            }
        }

        /// Every key with its two texts as written, for the table's own tests.
        #[cfg(test)]
        pub(crate) const TABLE: &[(&str, &str, &str)] = &[$( (stringify!($key), $nl, $en) ),*];
    };
}

/// A date in words: "1 december 2026" / "1 December 2026".
pub fn day(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    format!(
        "{} {} {}",
        d.day(),
        leenpunt_shared::labels::month_name(d.month(), lang),
        d.year()
    )
}

/// A stored ISO day (`2026-12-01`) in words; unchanged when it is not one.
pub fn iso_day(iso: &str, lang: Lang) -> String {
    leenpunt_shared::labels::human_date(iso, lang)
}

/// A stored UTC instant (RFC 3339) as Brussels local date and time in words: "1 december
/// 2026 om 09:00" / "1 December 2026 at 09:00"; unchanged when it is not one.
pub fn instant(rfc3339: &str, lang: Lang) -> String {
    match leenpunt_shared::time::brussels_local(rfc3339) {
        Some((d, time)) => Text::Instant {
            day: &iso_day(&d, lang),
            time: &time,
        }
        .get(lang),
        None => rfc3339.to_owned(),
    }
}

texts! {
    // --- dates and times ---
    Instant { day, time } => "{day} om {time}", "{day} at {time}";

    // --- mails: greeting and signature ---
    MailHello => "Dag,", "Hello,";
    MailHelloName { name } => "Dag {name},", "Hello {name},";
    MailSignature => "Leenpunt", "Leenpunt";

    // --- mails: accounts ---
    ConfirmSubject => "Bevestig je e-mailadres voor Leenpunt", "Confirm your e-mail address for Leenpunt";
    ConfirmBody { link } => "Welkom bij Leenpunt. Bevestig je e-mailadres met deze link (48 uur geldig):\n\n{link}\n\nDaarna kan je je aanmelden. Heb je geen account aangemaakt? Dan mag je deze mail negeren.", "Welcome to Leenpunt. Confirm your e-mail address with this link (valid for 48 hours):\n\n{link}\n\nThen you can sign in. Did you not create an account? Then you can ignore this mail.";
    AlreadySubject => "Je hebt al een account bij Leenpunt", "You already have a Leenpunt account";
    AlreadyBody { link } => "Iemand (wellicht jij) probeerde een account aan te maken met dit e-mailadres, maar er bestaat er al een. Meld je aan via:\n\n{link}\n\nWas jij dit niet? Dan hoef je niets te doen.", "Someone (probably you) tried to create an account with this e-mail address, but one already exists. Sign in at:\n\n{link}\n\nWas this not you? Then there is nothing to do.";
    ResetSubject => "Kies een nieuw wachtwoord voor Leenpunt", "Choose a new password for Leenpunt";
    ResetBody { link } => "Iemand (wellicht jij) vroeg een nieuw wachtwoord aan voor dit e-mailadres. Kies het met deze link (2 uur geldig, één keer te gebruiken):\n\n{link}\n\nVroeg je niets aan? Dan hoef je niets te doen; je wachtwoord blijft hetzelfde.", "Someone (probably you) asked for a new password for this e-mail address. Choose it with this link (valid for 2 hours, usable once):\n\n{link}\n\nDid you not ask? Then there is nothing to do; your password stays the same.";
    InviteSubject => "Je bent uitgenodigd voor Leenpunt", "You are invited to Leenpunt";
    InviteBody { role, link } => "Je bent uitgenodigd als {role} in Leenpunt. Kies je wachtwoord met deze link (7 dagen geldig):\n\n{link}", "You are invited as {role} in Leenpunt. Choose your password with this link (valid for 7 days):\n\n{link}";
    RoleAddedSubject => "Je hebt een nieuwe rol in Leenpunt", "You have a new role in Leenpunt";
    RoleAddedBody { role, link } => "Je bent nu ook {role} in Leenpunt. Meld je aan zoals altijd:\n\n{link}", "You are now also {role} in Leenpunt. Sign in as usual:\n\n{link}";

    // --- mails: reservations ---
    NewsConfirmed => "Je reservatie is bevestigd", "Your reservation is confirmed";
    NewsRequested => "Je aanvraag is ontvangen en wacht op goedkeuring", "Your request was received and awaits approval";
    NewsApproved => "Je aanvraag is goedgekeurd", "Your request was approved";
    NewsRejected => "Je aanvraag is geweigerd", "Your request was rejected";
    NewsCancelled => "Je reservatie is geannuleerd", "Your reservation was cancelled";
    NewsExtended => "Je reservatie is verlengd", "Your reservation was extended";
    NewsOffered => "Er is plaats vrijgekomen: aanvaard het aanbod binnen 48 uur", "A place came free: accept the offer within 48 hours";
    NewsAtRisk => "Let op: je reservatie komt in het gedrang", "Attention: your reservation is at risk";
    NewsConditional => "Je reservatie is vastgelegd op voorwaarde dat je de opleiding volgt", "Your reservation is held on the condition that you attend the training";
    NewsConditionMet => "Je volgde de opleiding: je reservatie is bevestigd", "You attended the training: your reservation is confirmed";
    NewsConditionFailed => "De opleiding is voorbij zonder je aanwezigheid: je reservatie is vrijgegeven", "The training passed without your attendance: your reservation was released";
    NewsPickedUp => "Ontvangstbewijs: je haalde het materiaal af", "Receipt: you picked up the material";
    NewsReturned => "Ontvangstbewijs: het materiaal is terug", "Receipt: the material is back";
    NewsReturnedShort => "Bij het terugbrengen ontbrak er iets of was er schade", "Something was missing or damaged when the material came back";
    NewsOverdue => "Je ontleende materiaal is te laat: breng het zo snel mogelijk terug", "Your borrowed material is overdue: please bring it back as soon as possible";
    NewsNoShow => "Je reservatie werd niet afgehaald en is vrijgegeven", "Your reservation was not picked up and has been released";
    MailPickup { day, point, address } => "Afhalen: {day} in {point} ({address})", "Pickup: {day} at {point} ({address})";
    MailReturn { day } => "Terugbrengen: {day}", "Return: {day}";
    MailBookedAt { when } => "Geboekt op {when}", "Booked on {when}";
    MailOfferUntil { when } => "Aanvaard het aanbod vóór {when}", "Accept the offer before {when}";
    MailHandedOutAt { when } => "Meegegeven op {when}", "Handed out on {when}";
    MailReturnedAt { when } => "Teruggebracht op {when}", "Returned on {when}";
    MailReason { reason } => "Reden: {reason}", "Reason: {reason}";
    MailSeeReservations { link } => "Bekijk je reservaties: {link}", "See your reservations: {link}";
    ReturnMissing { part, counted, expected } => "{part} {counted} van {expected}", "{part} {counted} of {expected}";
    ReturnDamage { damage } => "schade: {damage}", "damage: {damage}";

    // --- mails: training sessions ---
    SessionRegistered => "Je bent ingeschreven", "You are registered";
    SessionWaitingList => "De sessie is volzet: je staat op de wachtlijst", "The session is full: you are on the waiting list";
    SessionMovedUp => "Er kwam een plaats vrij: je bent ingeschreven", "A seat came free: you are registered";
    SessionCancelled => "Je inschrijving is geannuleerd", "Your registration is cancelled";
    SessionCalledOff => "Deze sessie gaat niet door", "This session is called off";
    MailSessionWhen { day, start, end } => "{day}, van {start} tot {end}", "{day}, from {start} to {end}";
    MailSeeSession { link } => "Bekijk de sessie: {link}", "See the session: {link}";

    // --- problems (API errors) ---
    ProblemNotFound => "Niet gevonden", "Not found";
    ProblemUnauthorized => "Meld je eerst aan", "Please sign in first";
    ProblemForbidden => "Dit mag je niet doen", "You are not allowed to do this";
    ProblemBadCredentials => "Het e-mailadres of het wachtwoord klopt niet", "The e-mail address or the password is not right";
    ProblemUnconfirmed => "Bevestig eerst je e-mailadres met de link in je mailbox", "First confirm your e-mail address with the link in your mailbox";
    ProblemTooManyRequests => "Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.", "Too many failed attempts. Please try again in fifteen minutes.";
    ProblemTooManyMails => "Er werden onlangs al genoeg mails naar dit adres gestuurd. Kijk in je mailbox (ook bij de ongewenste mail) of probeer het over een uur opnieuw.", "Enough mails were sent to this address lately. Check your mailbox (also the spam folder) or try again in an hour.";
    ProblemValidation => "Sommige gegevens kloppen niet", "Some input is not valid";
    ProblemBadRequest => "Deze aanvraag kan niet gelezen worden", "This request could not be read";
    ProblemPayloadTooLarge => "Deze aanvraag is te groot", "This request is too large";
    ProblemConflict => "Dit botst met bestaande gegevens", "This conflicts with existing data";
    ProblemUnavailable => "Tijdelijk niet beschikbaar", "Temporarily unavailable";
    ProblemBusy => "Het is even erg druk. Probeer het over enkele seconden opnieuw; er werd niets bewaard.", "It is very busy right now. Please try again in a few seconds; nothing was saved.";
    ProblemInternal => "Er ging iets mis aan onze kant. Probeer het later opnieuw.", "Something went wrong on our side. Please try again later.";

    // --- service/reservations ---
    ChooseAValidDate => "Kies een geldige datum.", "Choose a valid date.";
    ThisMaterialIsNotPickedUp => "Dit materiaal wordt niet in dat afhaalpunt afgehaald.", "This material is not picked up at that pickup point.";
    ChooseAMonthAsYyyyMm => "Kies een maand als jjjj-mm.", "Choose a month as yyyy-mm.";
    ChooseTheSchoolYouAreBooking => "Kies voor welke school je reserveert.", "Choose the school you are booking for.";
    ThisIdempotencyKeyWasAlreadyUsed => "Deze Idempotency-Key werd al gebruikt voor een andere aanvraag. Gebruik een nieuwe sleutel voor een nieuwe aanvraag.", "This Idempotency-Key was already used for a different request. Use a new key for a new request.";
    YourNoteIsTooLong1000 => "Je opmerking is te lang (hoogstens 1000 tekens).", "Your note is too long (1000 characters at most).";
    ThisOfferIsNotBookedThrough => "Dit aanbod reserveer je niet via Leenpunt; volg de link op de pagina.", "This offer is not booked through Leenpunt; follow the link on its page.";
    GiveAReasonTheTeacherWill => "Geef een reden op; de leerkracht krijgt ze te lezen.", "Give a reason; the teacher will read it.";
    ItIsTooLateToCancel => "Annuleren kan niet meer", "It is too late to cancel";
    YouCanCancelUntilTheDay => "Annuleren kan tot de dag voor het afhalen. Neem contact op met de uitleendienst.", "You can cancel until the day before pickup. Please contact the lending service.";
    ThatIsNoLongerPossible => "Dat kan niet meer", "That is no longer possible";
    TheReservationHasChangedInThe => "De reservatie is intussen veranderd. Laad de pagina opnieuw.", "The reservation has changed in the meantime. Please reload the page.";
    OfferLapsed => "Het aanbod is verlopen", "The offer has lapsed";
    OfferLapsedDetail => "Een aanbod van de wachtlijst blijft 48 uur geldig.", "An offer from the waiting list is valid for 48 hours.";
    FitsNow => "Er is nog plaats", "There is room";
    FitsNowDetail => "Je hoeft niet te wachten: reserveer gewoon.", "No need to wait: just reserve.";
    AlreadyWaiting => "Je staat al op de wachtlijst", "You are already on the waiting list";
    AlreadyWaitingDetail => "Je wacht al op dit materiaal voor deze dagen.", "You are already waiting for this material on these days.";
    RetiredStaysRetired => "Een afgevoerd exemplaar komt niet meer in dienst.", "A retired unit does not come back into service.";

    // --- service/trainings.rs ---
    ThisTrainingIsInUse => "Deze opleiding is in gebruik", "This training is in use";
    MaterialRequiresThisTrainingOrIt => "Materiaal vraagt deze opleiding, of er zijn sessies of gekwalificeerde leerkrachten. Haal ze eerst weg bij het materiaal.", "Material requires this training, or it has sessions or qualified teachers. Remove it from the material first.";
    YouAreNotRegistered => "Je bent niet ingeschreven", "You are not registered";
    YouAreNotOnThisSession => "Je staat niet op de lijst van deze sessie.", "You are not on this session's list.";
    TheSessionHasStarted => "De sessie is al begonnen", "The session has started";
    YouCanCancelUntilTheSession => "Uitschrijven kan tot de sessie begint.", "You can cancel until the session starts.";
    NoTeacherWithThatEMail => "Geen leerkracht met dat e-mailadres. Laat de leerkracht eerst een account aanmaken.", "No teacher with that e-mail address. Ask them to create an account first.";
    AlreadyPresent => "Al aanwezig", "Already present";
    ThisTeacherIsAlreadyMarkedPresent => "Deze leerkracht staat al als aanwezig genoteerd.", "This teacher is already marked present.";
    GiveAReasonForExampleWhere => "Geef een reden (bijvoorbeeld waar de opleiding gevolgd werd).", "Give a reason (for example where the training was followed).";
    ChooseADateTodayOrEarlier => "Kies een datum, vandaag of vroeger.", "Choose a date, today or earlier.";
    ChooseATraining => "Kies een opleiding.", "Choose a training.";
    NoAccountWithThatEMail => "Geen account met dat e-mailadres.", "No account with that e-mail address.";
    GiveAReasonForRevokingIt => "Geef een reden voor de intrekking.", "Give a reason for revoking it.";
    AlreadyRevoked => "Al ingetrokken", "Already revoked";
    ThisQualificationWasAlreadyRevoked => "Deze kwalificatie was al ingetrokken.", "This qualification was already revoked.";
    ThisSessionIsAlreadyCalledOff => "Deze sessie gaat al niet door", "This session is already called off";
    ASessionThatHasStartedCannot => "Een begonnen sessie afgelasten kan niet meer; noteer de aanwezigheden.", "A session that has started cannot be called off; record attendance instead.";

    // --- service/handover.rs ---
    LabelsLeenpunt => "Labels — Leenpunt", "Labels — Leenpunt";

    // --- service/signup.rs ---
    EnterAValidEMailAddress => "Vul een geldig e-mailadres in.", "Enter a valid e-mail address.";
    ChooseARole => "Kies een rol.", "Choose a role.";
    UnknownSchoolNumber => "Onbekend instellingsnummer.", "Unknown school number.";
    ChooseTheSchool => "Kies de school.", "Choose the school.";
    UnknownPartnerService => "Onbekende uitleendienst.", "Unknown partner service.";
    ChooseThePartnerService => "Kies de uitleendienst.", "Choose the partner service.";

    // --- service/feeds.rs ---
    UnknownOrMissing => "Onbekend of ontbrekend.", "Unknown or missing.";

    // --- service/registers.rs ---
    ThisAlreadyExistsChooseAnotherKey => "Dit bestaat al; kies een andere sleutel of bewerk het bestaande.", "This already exists; choose another key or edit the existing one.";

    // --- http/reservations.rs ---
    TheIdempotencyKeyMustBe1 => "De Idempotency-Key moet 1 tot 200 tekens lang zijn.", "The Idempotency-Key must be 1 to 200 characters long.";
    UnknownStatus => "Onbekende status.", "Unknown status.";

    // --- http/catalogue.rs ---
    TheQueryStringCouldNotBe => "De zoekopdracht kon niet gelezen worden.", "The query string could not be read.";

    // --- http/signup.rs ---
    ThisLinkHasExpiredAskFor => "Deze link is verlopen. Vraag een nieuwe aan.", "This link has expired. Ask for a new one.";
    ThisLinkWasUsedAlreadyAsk => "Deze link is al gebruikt. Vraag een nieuwe aan.", "This link was used already. Ask for a new one.";
    ThisLinkIsNotValidAsk => "Deze link is ongeldig. Vraag een nieuwe aan.", "This link is not valid. Ask for a new one.";

    // --- service/trainings ---
    EnterAStartTimeHhMm => "Geef een beginuur (uu:mm).", "Enter a start time (hh:mm).";
    EnterAnEndTimeHhMm => "Geef een einduur (uu:mm).", "Enter an end time (hh:mm).";
    TheEndTimeMustBeAfter => "Het einduur ligt na het beginuur.", "The end time must be after the start time.";
    EnterThePlace1To300 => "Geef de plaats (1 tot 300 tekens).", "Enter the place (1 to 300 characters).";
    SeatsIsANumberFrom1 => "Het aantal plaatsen is een getal van 1 tot 1000.", "Seats is a number from 1 to 1000.";
    ANewSessionLiesInThe => "Een nieuwe sessie ligt in de toekomst.", "A new session lies in the future.";
    RegistrationMustStayOpenAWhile => "De inschrijvingen moeten nog even open blijven: kies een latere datum.", "Registration must stay open a while: choose a later date.";
    TrainingFirst => "Je hebt eerst een opleiding nodig", "You need a training first";
    TrainingFirstDetail { names } => "Om dit materiaal te ontlenen volg je eerst de opleiding {names}. Schrijf je in voor een sessie vóór de afhaaldag: dan kan je meteen voorwaardelijk reserveren.", "To borrow this material you first need the training {names}. Register for a session before the pickup day and you can reserve on that condition right away.";
    NoAccountWithAddress { email } => "Geen account met het adres {email}.", "No account with the address {email}.";

    // --- service/signup.rs ---
    EnterAValidEMailAddress2 => "Vul een geldig e-mailadres in, bv. naam@school.be.", "Enter a valid e-mail address, e.g. name@school.be.";
    EnterYourName => "Vul je naam in.", "Enter your name.";
    SchoolNotFound => "We vinden deze school niet. Typ de naam of het instellingsnummer en kies je school in de lijst.", "We cannot find this school. Type its name or number and choose your school from the list.";
    SchoolAmbiguous { places } => "Meerdere scholen heten zo ({places}). Kies die van jouw gemeente in de lijst.", "Several schools have this name ({places}). Choose the one in your municipality from the list.";

    // --- service/users.rs ---
    NotYourOwnAccount => "Niet je eigen account", "Not your own account";
    YouCannotDisableYourOwnAccount => "Je kan je eigen account niet uitschakelen.", "You cannot disable your own account.";
    FeedMine => "Mijn Leenpunt", "My Leenpunt";
    UnknownValueFor { value, name } => "Onbekende waarde '{value}' voor '{name}'.", "Unknown value '{value}' for '{name}'.";

    // --- http/security ---
    MethodNotAllowed => "Deze methode is hier niet toegestaan", "This method is not allowed here";
    RequestNotProcessed => "Deze aanvraag kan niet verwerkt worden", "This request cannot be processed";
    ErrorPageTitle => "Er ging iets mis", "Something went wrong";
    ErrorPageText => "Er ging iets mis aan onze kant. Probeer het zo dadelijk opnieuw.", "Something went wrong on our side. Please try again shortly.";
    ErrorPageHome => "Naar de startpagina", "Go to the home page";

    // --- http/extract ---
    SendJson => "Stuur de gegevens als JSON, met Content-Type: application/json.", "Send the data as JSON, with Content-Type: application/json.";
    SendForm => "Stuur het formulier met Content-Type: application/x-www-form-urlencoded.", "Send the form with Content-Type: application/x-www-form-urlencoded.";
    NotJson { error } => "De aanvraag is geen geldige JSON: {error}", "The request is not valid JSON: {error}";
    FieldWrongShape { detail } => "Dit veld ontbreekt of heeft niet de verwachte vorm: {detail}", "This field is missing or not in the expected form: {detail}";
    BadQueryParameter { detail } => "Deze zoekparameter is ongeldig: {detail}", "This query parameter is not valid: {detail}";
    BadPathValue { value } => "“{value}” is geen geldige waarde in dit adres.", "“{value}” is not a valid value in this address.";
    FormIncomplete { detail } => "Het formulier is niet volledig of niet juist ingevuld: {detail}", "The form is incomplete or not filled in correctly: {detail}";
    BadQueryParameters { detail } => "Deze zoekparameters zijn ongeldig: {detail}", "These query parameters are not valid: {detail}";
    BodyUnreadable { detail } => "De inhoud van de aanvraag kon niet gelezen worden: {detail}", "The request body could not be read: {detail}";

    // --- domain/reservations.rs ---
    ChooseAtLeast1Unit => "Kies minstens 1 exemplaar.", "Choose at least 1 unit.";
    TheReturnDayIsBeforeThe => "De terugbrengdag valt voor de afhaaldag.", "The return day is before the pickup day.";
    ThatDayHasPassed => "Die dag is al voorbij.", "That day has passed.";

    // --- domain/trainings.rs ---
    EnterATitleOf1To => "Geef een titel van 1 tot 200 tekens.", "Enter a title of 1 to 200 characters.";
    TheDescriptionIsTooLong5000 => "De beschrijving is te lang (hoogstens 5000 tekens).", "The description is too long (5000 characters at most).";
    EnterTheDurationInMinutes1 => "Geef de duur in minuten (1 tot 1440).", "Enter the duration in minutes (1 to 1440).";
    ValidityIsANumberOfMonths => "De geldigheid is een aantal maanden van 1 tot 240, of leeg voor onbeperkt.", "Validity is a number of months from 1 to 240, or empty for unlimited.";
    RegistrationIsNotOpenYet => "Inschrijven kan nog niet", "Registration is not open yet";
    RegistrationForThisSessionHasNot => "De inschrijvingen voor deze sessie zijn nog niet geopend.", "Registration for this session has not opened yet.";
    RegistrationHasClosed => "Inschrijven kan niet meer", "Registration has closed";
    RegistrationForThisSessionHasClosed => "De inschrijvingen voor deze sessie zijn afgesloten. Kies een andere sessie.", "Registration for this session has closed. Please choose another session.";
    ThisSessionWasCalledOffPlease => "Deze sessie is geschrapt. Kies een andere sessie.", "This session was called off. Please choose another session.";
    YouAreAlreadyRegistered => "Je bent al ingeschreven", "You are already registered";
    YouAreAlreadyOnThisSession => "Je staat al op de lijst van deze sessie.", "You are already on this session's list.";
    TheSessionHasNotStarted => "De sessie is nog niet begonnen", "The session has not started";
    AttendanceCanBeRecordedFromThe => "Aanwezigheden noteer je vanaf het begin van de sessie.", "Attendance can be recorded from the start of the session.";
    ACalledOffSessionHasNo => "Voor een geschrapte sessie noteer je geen aanwezigheden.", "A called-off session has no attendance.";

    // --- domain/ical.rs ---
    Loan => "Uitlening", "Loan";
    Pickup => "Afhalen", "Pickup";
    Return => "Terugbrengen", "Return";
    OnlyUnitsOwned { owned } => "Er zijn maar {owned} exemplaren van dit materiaal.", "There are only {owned} units of this material.";
    TooSoon { earliest } => "Zo snel lukt het niet: afhalen kan ten vroegste op {earliest}.", "That is too soon: the earliest pickup is {earliest}.";
    BeyondHorizon { latest } => "Zo ver vooruit kan je nog niet reserveren: afhalen kan tot {latest}.", "You cannot book that far ahead yet: the latest pickup is {latest}.";
    ClosedBecause { reason } => "Het afhaalpunt is dan gesloten ({reason}).", "The pickup point is closed that day ({reason}).";
    ClosedThatDay => "Het afhaalpunt is die dag gesloten.", "The pickup point is closed that day.";
    LoanTooShort { min } => "Je leent dit minstens {min} dagen.", "The loan must last at least {min} days.";
    LoanTooLong { max } => "Je kan dit hoogstens {max} dagen lenen.", "You can borrow this for at most {max} days.";
    NotEnoughUnits => "Niet genoeg exemplaren vrij", "Not enough units free";
    NotEnoughUnitsDetail { when, free, quantity, tail } => "Op {when} zijn er {free} vrij en je vraagt er {quantity}. {tail}", "On {when} {free} are free and you asked for {quantity}. {tail}";
    NotEnoughTryOther => "Probeer andere data of zet je op de wachtlijst.", "Try other dates or join the waiting list.";
    NotEnoughTheseWork => "Deze data kunnen wel:", "These dates would work:";
    SchoolLimit => "Je school heeft dit al gereserveerd", "Your school already reserved this";
    SchoolLimitDetail { max } => "Een school kan dit materiaal hoogstens {max} keer tegelijk reserveren.", "A school can reserve this material at most {max} times at once.";

    // --- domain/handover ---
    ReservationNotApproved => "Deze reservatie is nog niet goedgekeurd", "This reservation is not approved yet";
    ReservationNotApprovedDetail => "Keur de reservatie eerst goed; daarna kan je het materiaal meegeven.", "Approve the reservation first; then the material can be handed out.";
    OfferNotAccepted => "Dit aanbod is nog niet aanvaard", "This offer is not accepted yet";
    OfferNotAcceptedDetail => "De ontlener moet het aanbod van de wachtlijst eerst aanvaarden.", "The borrower must accept the offer from the waiting list first.";
    ReservationClosed => "Deze reservatie is afgesloten", "This reservation is closed";
    ReservationClosedDetail { status } => "De reservatie heeft de status “{status}”; op deze reservatie gaat niets meer mee.", "The reservation's status is “{status}”; nothing more can be handed out on it.";
    WrongKitType => "Dit exemplaar hoort bij ander materiaal", "This unit belongs to other material";
    WrongKitTypeDetail { reserved_kit, unit } => "Exemplaar {unit} hoort niet bij {reserved_kit}, waarvoor deze reservatie is. Scan een exemplaar van {reserved_kit}.", "Unit {unit} is not a {reserved_kit}, which this reservation is for. Scan a unit of {reserved_kit}.";
    UnitInMaintenance => "Dit exemplaar is in onderhoud", "This unit is in maintenance";
    UnitInMaintenanceDetail { unit } => "Exemplaar {unit} staat op onderhoud en mag niet mee. Kies een ander exemplaar.", "Unit {unit} is in maintenance and cannot be handed out. Choose another unit.";
    UnitRetired => "Dit exemplaar is afgevoerd", "This unit is retired";
    UnitRetiredDetail { unit } => "Exemplaar {unit} is uit dienst genomen en mag niet meer mee. Kies een ander exemplaar.", "Unit {unit} was taken out of service and cannot be handed out. Choose another unit.";
    UnitOnAnotherLoan => "Dit exemplaar is nog uitgeleend", "This unit is still on loan";
    UnitOnAnotherLoanDetail { other_borrower, unit } => "Exemplaar {unit} is nog uitgeleend aan {other_borrower} en werd niet teruggebracht. Neem het eerst terug.", "Unit {unit} is still on loan to {other_borrower} and was never checked in. Take it back first.";
    AllUnitsHandedOver => "Alle exemplaren zijn al meegegeven", "All units are handed out already";
    AllUnitsHandedOverDetail => "Deze reservatie is voor 1 exemplaar en dat is al meegegeven.", "This reservation is for 1 unit and it is handed out already.";
    AllUnitsHandedOverDetail2 { quantity } => "Deze reservatie is voor {quantity} exemplaren en die zijn allemaal al meegegeven.", "This reservation is for {quantity} units and all of them are handed out already.";
    PickupTooEarly => "Het is nog geen ophaaldag", "It is not the pickup day yet";
    PickupTooEarlyDetail { day } => "Deze reservatie kan pas vanaf {day} opgehaald worden.", "This reservation can be picked up from {day} on.";
    ReservationExpired => "De uitleenperiode is voorbij", "The loan period is over";
    ReservationExpiredDetail { day } => "De terugbrengdag was {day}; op deze reservatie gaat niets meer mee.", "The return day was {day}; nothing more can be handed out on this reservation.";
    UnitNotOnLoan => "Dit exemplaar is niet uitgeleend op deze reservatie", "This unit is not on loan on this reservation";
    UnitNotOnLoanDetail { borrower, unit } => "Exemplaar {unit} werd niet meegegeven op de reservatie van {borrower}. Controleer of je de juiste reservatie hebt gekozen.", "Unit {unit} was not handed out on the reservation of {borrower}. Check that you chose the right reservation.";
    NegativePartCount => "Een aantal kan niet negatief zijn", "A count cannot be negative";
    NegativePartCountDetail { part } => "Geef voor “{part}” een aantal van 0 of meer.", "Enter a count of 0 or more for “{part}”.";
    PartOverCount => "Meer geteld dan er horen", "More counted than belong";
    PartOverCountDetail { expected, part } => "Van “{part}” horen er {expected} in de set. Tel opnieuw; extra stukken horen niet bij dit exemplaar.", "The set holds {expected} of “{part}”. Count again; extra pieces do not belong to this unit.";

    // --- domain: feeds, labels, passwords, label codes ---
    FeedLoanDescription { quantity, kit, school, dates, point, address, link } => "{quantity} × {kit}\nSchool: {school}\nPeriode: {dates}\nAfhaalpunt: {point}, {address}\n{link}", "{quantity} × {kit}\nSchool: {school}\nPeriod: {dates}\nPickup point: {point}, {address}\n{link}";
    FeedGivingTraining => "Opleiding geven", "Giving a training";
    FeedTraining => "Opleiding", "Training";
    LabelPrintHint => "Druk af op A4, op ware grootte (schaal 100 %), zonder marges en zonder kop- en voetteksten.", "Print on A4 at actual size (100 % scale), with no margins and no headers or footers.";
    PasswordTooShort { min } => "Kies een wachtwoord van minstens {min} tekens.", "Choose a password of at least {min} characters.";
    PasswordIsEmail => "Je wachtwoord mag niet je e-mailadres zijn.", "Your password cannot be your e-mail address.";
    TagEmpty => "Vul de code van het label in.", "Enter the code from the label.";
    TagWrongLength { len, found } => "Een labelcode heeft {len} tekens (streepjes niet meegeteld); dit zijn er {found}.", "A label code has {len} characters (hyphens not counted); this has {found}.";
    TagInvalidChar { c } => "Het teken ‘{c}’ komt niet voor in labelcodes: die bestaan uit cijfers en letters (geen U).", "The character ‘{c}’ does not occur in label codes: they consist of digits and letters (no U).";
    TagCheckFailed => "Deze code bestaat niet. Controleer of je hem juist hebt overgetypt.", "This code does not exist. Check that you typed it correctly.";

    // --- service/handover ---
    UnknownCode => "Onbekende code", "Unknown code";
    UnknownCodeDetail { shown } => "Geen label en geen exemplaar heeft de code “{shown}”. Kijk de code na of scan opnieuw: een labelcode ziet eruit als K7Q-M4X-Z2R, een inventariscode staat op het materiaal (bv. BB-K-01).", "No label and no unit has the code “{shown}”. Check the code or scan again: a label code looks like K7Q-M4X-Z2R, an inventory code is written on the material (e.g. BB-K-01).";
    LabelReplaced => "Dit label werd vervangen", "This label was replaced";
    LabelReplacedDetail { unit, label } => "Dit label werd vervangen: exemplaar {unit} heeft een nieuw label{label}. Scan het nieuwe label of typ die code.", "This label was replaced: unit {unit} has a new label{label}. Scan the new label or type its code.";
    QualificationMissing => "De ontlener mist een opleiding", "The borrower lacks a training";
    QualificationMissingDetail { borrower, names } => "{borrower} heeft vandaag geen geldige kwalificatie voor: {names}. Geef alleen mee met een reden (die wordt bewaard).", "{borrower} holds no valid qualification today for: {names}. Hand over only with a reason (it is kept).";
    UnitJustHandedOver => "Dit exemplaar is net uitgeleend", "This unit was just handed over";
    UnitJustHandedOverDetail { name } => "Een andere balie scande exemplaar {name} tegelijk. Laad de pagina opnieuw.", "Another desk scanned unit {name} at the same time. Please reload the page.";
    UnitNotOut => "Dit exemplaar is niet uitgeleend", "This unit is not on loan";
    UnitNotOutNothingBack { name } => "Exemplaar {name} is op dit moment niet uitgeleend; er valt niets terug te nemen.", "Unit {name} is not on loan at the moment; there is nothing to take back.";
    UnitNotOutDetail { name } => "Exemplaar {name} is op dit moment niet uitgeleend.", "Unit {name} is not on loan at the moment.";
    // --- mails: reminders ---
    PickupReminderSubject { kit, day } => "Herinnering: {kit} afhalen op {day}", "Reminder: pick up {kit} on {day}";
    PickupReminderIntro => "Je haalt binnenkort materiaal af:", "You are picking up material soon:";
    PickupReminderCancel => "Kan je toch niet komen? Annuleer dan via de link hierboven, zodat een andere school het materiaal kan lenen.", "Can't make it after all? Please cancel with the link above, so another school can borrow the material.";
    ReturnReminderSubject { kit, day } => "Herinnering: {kit} terugbrengen op {day}", "Reminder: return {kit} on {day}";
    ReturnReminderIntro => "Morgen breng je dit materiaal terug:", "Tomorrow you return this material:";
    ReturnReminderCheck => "Kijk even na of alle onderdelen erbij zijn.", "Please check that all parts are there.";
    ReminderWhat { quantity, kit } => "{quantity} × {kit}", "{quantity} × {kit}";
    ReminderPickupDay { day } => "Afhalen: {day}", "Pickup: {day}";
    ReminderWhere { point, address } => "Waar: {point}, {address}", "Where: {point}, {address}";
    ReminderHours { hours } => "Uren: {hours}", "Hours: {hours}";
    ReminderReservation { page } => "Je reservatie: {page}", "Your reservation: {page}";
    ReminderCalendar { ics } => "In je agenda: {ics}", "In your calendar: {ics}";
    SessionReminderSubject { title } => "Herinnering: opleiding {title} morgen", "Reminder: training {title} tomorrow";
    SessionReminderIntro => "Morgen volg je deze opleiding:", "Tomorrow you attend this training:";
    SessionReminderUnregister { link } => "Kan je niet komen? Schrijf je dan uit, zodat iemand van de wachtlijst je plaats krijgt: {link}", "Can't come? Please unregister, so someone on the waiting list gets your seat: {link}";
    RosterReminderSubject { title, count } => "Morgen: {title} ({count} ingeschreven)", "Tomorrow: {title} ({count} registered)";
    RosterReminderIntro => "Morgen geef je deze opleiding:", "Tomorrow you give this training:";
    RosterRegistered { count } => "Ingeschreven ({count}):", "Registered ({count}):";
    RosterLink { link } => "De aanwezigheidslijst: {link}", "The attendance list: {link}";
    SessionWhen { when } => "Wanneer: {when}", "When: {when}";
    SessionWhere { place } => "Waar: {place}", "Where: {place}";
    ReminderOptOut { link } => "Liever geen herinneringen of dagoverzicht meer? Zet ze uit op je account: {link}", "Rather not get reminders or the daily digest? Switch them off on your account: {link}";

    // --- the desk's daily digest ---
    DigestSubject { day, pickups, returns } => "Je balie op {day}: {pickups} af te halen, {returns} terug", "Your desk on {day}: {pickups} to pick up, {returns} coming back";
    DigestIntro { day } => "Dit staat er vandaag, {day}, klaar voor je balie:", "This is what your desk has today, {day}:";
    DigestPickups { count } => "Af te halen ({count}):", "To pick up ({count}):";
    DigestReturns { count } => "Terug vandaag ({count}):", "Coming back today ({count}):";
    DigestOverdue { count } => "Te laat terug ({count}):", "Overdue ({count}):";
    DigestMaintenance { count } => "In onderhoud ({count}):", "In maintenance ({count}):";
    DigestHandedOver { handed, quantity } => " — {handed} van {quantity} al meegegeven", " — {handed} of {quantity} handed over already";
    DigestDueSince { day } => " — moest terug op {day}", " — was due on {day}";
    DigestApprovals { count, link } => "{count} aanvragen wachten op goedkeuring: {link}", "{count} requests await approval: {link}";
    DigestOpen { link } => "Open je dag in Leenpunt: {link}", "Open your day in Leenpunt: {link}";

    // --- a missing school ---
    SchoolRequestSubject { school } => "Aanvraag: school toevoegen ({school})", "Request: add a school ({school})";
    SchoolRequestBody { name, email, school, municipality, number, message } => "{name} ({email}) wil een account maken, maar de school staat niet in de lijst:\n\nSchool: {school}\nGemeente: {municipality}\nInstellingsnummer: {number}\nBericht: {message}", "{name} ({email}) wants to create an account, but the school is not listed:\n\nSchool: {school}\nMunicipality: {municipality}\nInstitution number: {number}\nMessage: {message}";
    SchoolRequestNext { schools, invite } => "Voeg de school toe via {schools} en nodig de leerkracht daarna uit via {invite}, of antwoord op dit adres als er iets niet klopt.", "Add the school at {schools} and then invite the teacher at {invite}, or reply to this address if something is not right.";
    RequestNameMissing => "Vul je naam in.", "Enter your name.";
    RequestEmailMissing => "Vul je e-mailadres in.", "Enter your e-mail address.";
    RequestSchoolMissing => "Vul de naam van je school in.", "Enter your school's name.";
    RequestMunicipalityMissing => "Vul de gemeente van je school in.", "Enter your school's municipality.";
    RequestTooLong => "Dit is te lang.", "This is too long.";
    RequestBadEmail => "Vul een geldig e-mailadres in, bv. naam@school.be.", "Enter a valid e-mail address, e.g. name@school.be.";
    RequestBadNumber => "Een instellingsnummer bestaat uit hoogstens 6 cijfers; laat het leeg als je het niet kent.", "An institution number has at most 6 digits; leave it empty if you don't know it.";
    RequestListed => "Deze school staat al in de lijst: kies ze bij het aanmaken van je account.", "This school is already listed: choose it when you create your account.";
    // --- uploads, kit admin, closed days ---
    UploadEmpty => "Het bestand is leeg. Kies een CSV-bestand.", "The file is empty. Choose a CSV file.";
    UploadTooLarge { mib } => "Het bestand is te groot: hoogstens {mib} MB.", "The file is too large: {mib} MB at most.";
    UploadSpreadsheet => "Dit is een rekenblad (Excel of OpenDocument), geen CSV-bestand. Kies in je rekenblad 'Opslaan als' → 'CSV UTF-8 (door komma's gescheiden)'.", "This is a spreadsheet (Excel or OpenDocument), not a CSV file. In your spreadsheet choose 'Save as' → 'CSV UTF-8 (comma delimited)'.";
    UploadBinary => "Dit is geen tekstbestand en dus geen CSV-bestand.", "This is not a text file, so not a CSV file.";
    UploadNotUtf8 { line } => "Het bestand is niet in UTF-8 opgeslagen (eerste onleesbare teken op regel {line}). Kies bij het opslaan 'CSV UTF-8 (door komma's gescheiden)'.", "The file is not saved as UTF-8 (first unreadable character on line {line}). Choose 'CSV UTF-8 (comma delimited)' when saving.";
    UploadSeparator { name } => "De kolommen zijn gescheiden door {name}, niet door komma's. Kies bij het opslaan 'CSV UTF-8 (door komma's gescheiden)'.", "The columns are separated by {name}, not by commas. Choose 'CSV UTF-8 (comma delimited)' when saving.";
    ScopeNotYourPartner { partner } => "je beheert partnerdienst '{partner}' niet", "you do not manage partner service '{partner}'";
    ScopeOthersKit { slug, partner } => "'{slug}' hoort bij partnerdienst '{partner}', die je niet beheert", "'{slug}' belongs to partner service '{partner}', which you do not manage";
    ScopeNotYourPickupPoint { point } => "afhaalpunt '{point}' hoort bij een partnerdienst die je niet beheert", "pickup point '{point}' belongs to a partner service you do not manage";
    ScopeAllPickupPoints => "leeg betekent 'alle afhaalpunten': dat kan alleen een beheerder; vul je afhaalpunt in", "empty means 'every pickup point': only an admin may do that; fill in your pickup point";
    EveryPickupPoint => "alle afhaalpunten", "every pickup point";
    PreviewExpired => "Dit voorbeeld is verlopen (na een uur). Laad het bestand opnieuw op; er werd niets ingelezen.", "This preview has expired (after an hour). Upload the file again; nothing was imported.";
    KitSlugTaken => "Er bestaat al materiaal met deze slug; kies een andere.", "Material with this slug already exists; choose another.";
    PhotoMissing => "Kies een foto.", "Choose a photo.";
    PhotoTooLarge => "De foto is te groot: hoogstens 2 MB.", "The photo is too large: 2 MB at most.";
    PhotoNotAnImage => "Dit is geen foto: kies een PNG-, JPEG- of WebP-bestand.", "This is not a photo: choose a PNG, JPEG or WebP file.";
    PhotoAltTooLong => "De beschrijving is te lang (hoogstens 300 tekens).", "The description is too long (300 characters at most).";
    ChooseValidDate => "Kies een geldige datum.", "Choose a valid date.";
    LastDayBeforeFirst => "De laatste dag valt voor de eerste.", "The last day is before the first.";
    ClosedReasonNeeded => "Geef een reden (hoogstens 200 tekens).", "Give a reason (200 characters at most).";
    UnknownPickupPoint => "Onbekend afhaalpunt.", "Unknown pickup point.";
    SendAsCsv => "Stuur het bestand als text/csv (UTF-8).", "Send the file as text/csv (UTF-8).";
    ChooseCsvFirst => "Kies eerst een CSV-bestand.", "Choose a CSV file first.";
    // --- CSV tables (importer, kit editor, uploads) ---
    CsvNotCsv { error } => "geen geldig CSV-bestand: {error}", "not a valid CSV file: {error}";
    CsvMissingColumn => "deze kolom ontbreekt in de kopregel", "this column is missing from the header";
    CsvRequired => "verplicht veld is leeg", "required field is empty";
    CsvNotANumber { value } => "'{value}' is geen geheel getal ≥ 0", "'{value}' is not a whole number ≥ 0";
    CsvNotYesNo { value } => "'{value}' moet 0 of 1 zijn", "'{value}' must be 0 or 1";
    CsvUnknownCode { value, allowed } => "onbekende waarde '{value}'; toegelaten: {allowed}", "unknown value '{value}'; allowed: {allowed}";
    CsvUnknownRef { value } => "'{value}' bestaat niet", "'{value}' does not exist";
    CsvWrongPartner { value } => "'{value}' hoort bij een andere partnerdienst", "'{value}' belongs to another partner service";
    CsvInvalid { value } => "ongeldige waarde: {value}", "invalid value: {value}";
    CsvDuplicate { value } => "'{value}' komt meer dan eens voor", "'{value}' occurs more than once";
    CsvBadPart { value } => "onderdeel '{value}' moet de vorm 'naam:aantal' hebben, met aantal ≥ 1", "part '{value}' must look like 'name:count', count ≥ 1";
    CsvNotForKind => "niet toegelaten voor dit soort aanbod", "not allowed for this kind of entry";
    CsvTooLong { max } => "te lang (maximaal {max} tekens)", "too long (at most {max} characters)";
    CsvControlCharacter => "bevat een onzichtbaar stuurteken (bv. NUL); sla het bestand opnieuw op als CSV", "contains an invisible control character (e.g. NUL); save the file as CSV again";
    CsvUnitOfOtherKit { code, kit } => "'{code}' is al een exemplaar van ander materiaal ({kit}); kies een andere code", "'{code}' is already a unit of other material ({kit}); choose another code";
    CsvNotACount { value } => "'{value}' is geen aantal: een geheel getal vanaf 1", "'{value}' is not a count: a whole number from 1";
    CsvSemicolon => "een ; kan hier niet (het scheidt de items in de CSV-export)", "a ; cannot be used here (it separates the items in the CSV export)";
    // --- privacy: erasure and inactive accounts ---
    ErasedSubject => "Je account bij Leenpunt is verwijderd", "Your Leenpunt account was deleted";
    ErasedBody => "Je account bij Leenpunt is verwijderd, zoals gevraagd. Je naam en e-mailadres zijn uit Leenpunt gewist; je reservaties en opleidingen blijven zonder je naam bewaard voor de cijfers van je school. Dit is de laatste mail die je van ons krijgt.", "Your Leenpunt account was deleted, as asked. Your name and e-mail address have been removed from Leenpunt; your reservations and trainings are kept without your name for your school's figures. This is the last mail you get from us.";
    ErasedInactiveBody => "Je account bij Leenpunt is verwijderd omdat je je drie schooljaren niet meer aanmeldde. Je naam en e-mailadres zijn uit Leenpunt gewist; je reservaties en opleidingen blijven zonder je naam bewaard voor de cijfers van je school. Wil je later weer lenen, maak dan een nieuw account aan. Dit is de laatste mail die je van ons krijgt.", "Your Leenpunt account was deleted because you did not sign in for three school years. Your name and e-mail address have been removed from Leenpunt; your reservations and trainings are kept without your name for your school's figures. To borrow again later, create a new account. This is the last mail you get from us.";
    InactiveSubject => "Je account bij Leenpunt wordt binnenkort verwijderd", "Your Leenpunt account will be deleted soon";
    InactiveBody { days, link } => "Je meldde je al drie schooljaren niet meer aan bij Leenpunt. Zonder aanmelding verwijderen we je account over {days} dagen: je naam en e-mailadres worden dan gewist. Wil je het account houden? Meld je gewoon aan:\n\n{link}", "You have not signed in to Leenpunt for three school years. Without a sign-in we will delete your account in {days} days: your name and e-mail address will then be removed. Want to keep the account? Just sign in:\n\n{link}";
    ErasureRequestedSubject => "Een gebruiker vraagt om zijn account te verwijderen", "A user asks to delete their account";
    ErasureRequestedBody { link } => "Iemand vroeg in Leenpunt om zijn of haar account te verwijderen. Bekijk en beslis het verzoek via:\n\n{link}", "Someone asked in Leenpunt to delete their account. See and decide the request at:\n\n{link}";
    ErasureRefusedSubject => "Je verzoek om je account te verwijderen", "Your request to delete your account";
    ErasureRefusedBody { reason } => "Een beheerder van Leenpunt kon je account (nog) niet verwijderen. Reden: {reason}", "An administrator of Leenpunt could not delete your account (yet). Reason: {reason}";
    ErasureBlockedTitle => "Dit account kan nog niet verwijderd worden", "This account cannot be deleted yet";
    ErasureBlockedDetail { list } => "Eerst moet dit afgerond zijn: {list}.", "First this must be finished: {list}.";
    ErasureBlockedLoan { id, kit, day } => "reservatie {id} ({kit}) is uitgeleend tot {day}: wacht tot het materiaal terug is", "reservation {id} ({kit}) is on loan until {day}: wait until the material is back";
    ErasureBlockedReservation { id, kit, day } => "reservatie {id} ({kit}, afhalen {day}) is nog niet afgehaald: annuleer ze eerst aan de balie", "reservation {id} ({kit}, pickup {day}) has not been picked up: cancel it at the desk first";
    ErasureBlockedWaiting { kit, day } => "een plaats op de wachtlijst voor {kit} ({day}): de persoon trekt ze in, of ze vervalt", "a place on the waiting list for {kit} ({day}): the person withdraws it, or it lapses";
    ErasureBlockedSession { training, day } => "een inschrijving voor {training} op {day}: de persoon schrijft zich uit, of de sessie gaat voorbij", "a registration for {training} on {day}: the person unregisters, or the session passes";
    ErasureOwnTitle => "Niet je eigen verzoek", "Not your own request";
    ErasureOwnDetail => "Een andere beheerder moet je verzoek bevestigen.", "Another administrator must confirm your request.";
    ErasureReasonNeeded => "Geef een reden (1 tot 1000 tekens); de persoon leest ze.", "Give a reason (1 to 1000 characters); the person reads it.";
    // --- access tokens ---
    TokenNameEmpty => "Geef de sleutel een naam.", "Give the token a name.";
    TokenNameTooLong { max } => "De naam is te lang (hoogstens {max} tekens).", "The name is too long ({max} characters at most).";
    TokenNameControl => "De naam bevat een onzichtbaar stuurteken.", "The name contains an invisible control character.";
    TokenExpiryRange { max } => "Kies een geldigheid van 1 tot {max} dagen.", "Choose a validity of 1 to {max} days.";
    TokenInvalidTitle => "Deze toegangssleutel werkt niet", "This access token does not work";
    TokenMalformed => "Stuur de sleutel als 'Authorization: Bearer lp_…', precies zoals je hem kreeg.", "Send the token as 'Authorization: Bearer lp_…', exactly as you received it.";
    TokenUnknown => "Deze sleutel bestaat niet. Maak een nieuwe op Mijn account.", "This token does not exist. Make a new one on My account.";
    TokenExpired => "Deze sleutel is verlopen. Maak een nieuwe op Mijn account.", "This token has expired. Make a new one on My account.";
    TokenRevoked => "Deze sleutel werd ingetrokken.", "This token was revoked.";
    TokenOwnerDisabled => "Het account van deze sleutel is geblokkeerd.", "The account this token belongs to is disabled.";
    TokenReadOnlyTitle => "Deze sleutel mag alleen lezen", "This token may only read";
    TokenReadOnlyDetail => "Er werd niets bewaard. Maak een sleutel met schrijfrechten om iets te wijzigen.", "Nothing was saved. Make a token with write access to change anything.";
    TokenSessionOnlyTitle => "Dit kan alleen wie aangemeld is", "Only a signed-in person can do this";
    TokenSessionOnlyDetail => "Aanmelden en nieuwe sleutels maken kan niet met een sleutel: meld je aan in de browser.", "Signing in and making new tokens cannot be done with a token: sign in in the browser.";
    // --- API for every screen action ---
    UnknownLabelLayout => "Onbekende labelindeling: kies small of large.", "Unknown label layout: choose small or large.";
    UnitIdsAreNumbers => "Geef de exemplaren als nummers, gescheiden door komma's.", "Give the units as numbers, separated by commas.";
    // --- cart ---
    CartEmpty => "Je mandje is leeg: voeg eerst materiaal toe.", "Your cart is empty: add material first.";
    CartTooManyLines { max } => "Een mandje houdt hoogstens {max} lijnen.", "A cart holds {max} lines at most.";
    CartQuantity => "Kies 1 tot 999 exemplaren.", "Choose 1 to 999 units.";
    CartDatesBoth => "Kies een afhaaldag én een terugbrengdag, of laat beide leeg.", "Choose a pickup day and a return day, or leave both empty.";
    CartChooseDates => "Kies de afhaal- en terugbrengdag voor je mandje of voor deze lijn.", "Choose the pickup and return day for your cart or for this line.";
    CartUnknownKit => "Dit materiaal bestaat niet (meer) in de catalogus.", "This material is not (or no longer) in the catalogue.";
    CartRefusedTitle => "Niet alles in je mandje past", "Not everything in your cart fits";
    CartRefusedDetail { list } => "Er werd niets gereserveerd. Past niet: {list}. Kies andere dagen, laat die lijnen vallen, of reserveer wat past en zet de rest op de wachtlijst.", "Nothing was booked. Does not fit: {list}. Choose other days, drop those lines, or book what fits and put the rest on the waiting list.";
    CartNothingFitsDetail { list } => "Er werd niets gereserveerd: geen enkele lijn past nu of kan op de wachtlijst. {list}.", "Nothing was booked: no line fits now or can go on the waiting list. {list}.";
    // --- cart mails ---
    FeedRequestKits { count } => "{count} kits", "{count} kits";
    FeedRequestOneKit => "1 kit", "1 kit";
    FeedRequestSummary { what, kits, point } => "{what}: {kits} — {point}", "{what}: {kits} — {point}";
    FeedRequestDescription { lines, school, dates, point, address, link } => "{lines}\nSchool: {school}\nPeriode: {dates}\nAfhaalpunt: {point}, {address}\n{link}", "{lines}\nSchool: {school}\nPeriod: {dates}\nPickup point: {point}, {address}\n{link}";
    MailRequestSubject { kits, point } => "Je aanvraag: {kits} in {point}", "Your request: {kits} at {point}";
    MailRequestIntro => "Dit is je aanvraag, met per lijn wat ermee gebeurde:", "This is your request, with what happened to each line:";
    MailRequestLine { quantity, kit, status } => "- {quantity} × {kit}: {status}", "- {quantity} × {kit}: {status}";
    MailRequestLineDates { line, dates } => "{line} ({dates})", "{line} ({dates})";
    MailLineConfirmed => "bevestigd", "confirmed";
    MailLineRequested => "aangevraagd, wacht op goedkeuring", "requested, awaiting approval";
    MailLineConditional => "voorwaardelijk: vastgelegd op voorwaarde dat je de opleiding volgt", "conditional: held on the condition that you attend the training";
    MailLineWaiting => "wachtlijst: we laten het weten zodra er plaats vrijkomt", "waiting list: we let you know as soon as a place comes free";
    // --- cart desk ---
    UnitNotInRequest => "Dit exemplaar hoort niet bij deze aanvraag", "This unit is not part of this request";
    UnitNotInRequestDetail { unit, kits } => "Exemplaar {unit} is van een soort materiaal die deze aanvraag niet vraagt. Deze aanvraag vraagt: {kits}. Er werd niets bewaard.", "Unit {unit} is of a kind of material this request does not ask for. This request asks for: {kits}. Nothing was saved.";
    UnitNotOutOnRequest => "Dit exemplaar is niet uitgeleend op deze aanvraag", "This unit is not out on this request";
    UnitNotOutOnRequestDetail { unit } => "Exemplaar {unit} is niet uitgeleend op een lijn van deze aanvraag. Neem het terug via Inname of bij zijn eigen reservatie. Er werd niets bewaard.", "Unit {unit} is not out on a line of this request. Take it back through Take back or on its own reservation. Nothing was saved.";
    NewsRequestPickedUp => "Ontvangstbewijs: je haalde je aanvraag af", "Receipt: you picked up your request";
}

#[cfg(test)]
mod tests;
