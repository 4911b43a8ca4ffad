//! The UI text, in every language, checked at compile time: a key without a
//! translation does not build.

use leenpunt_shared::Lang;
use leptos::prelude::*;

macro_rules! texts {
    ($($key:ident => $nl:literal, $en:literal;)*) => {
        /// A piece of UI text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((T::$key, Lang::Nl) => $nl, (T::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

texts! {
    SiteName => "Leenpunt", "Leenpunt";
    Tagline => "Leermiddelen en uitleenmateriaal voor West-Vlaamse scholen", "Learning resources and loan material for West Flemish schools";
    SkipToContent => "Naar de inhoud", "Skip to content";
    NavCatalogue => "Catalogus", "Catalogue";
    NavHome => "Start", "Home";
    SwitchLanguage => "English", "Nederlands";
    SwitchLanguageLabel => "Switch to English", "Schakel naar Nederlands";
    Province => "Een dienst van de Provincie West-Vlaanderen en haar partners", "A service of the Province of West Flanders and its partners";
    HomeTitle => "Vind materiaal voor je klas", "Find material for your class";
    HomeIntro => "Bee-Bots, creatool, VR-brillen van XR-junior en meer dan 150 Klasbakken-leermiddelen van de provinciale partnerdiensten. Zoek, vergelijk en ontdek waar je het afhaalt.", "Bee-Bots, creatool, XR-junior VR headsets and over 150 Klasbakken learning resources from the provincial partner services. Search, compare and find out where to pick them up.";
    BrowseThemes => "Zoek per thema", "Browse by theme";
    SearchLabel => "Zoek in de catalogus", "Search the catalogue";
    SearchPlaceholder => "bv. Bee-Bot, erfgoed, VR…", "e.g. Bee-Bot, heritage, VR…";
    SearchButton => "Zoeken", "Search";
    CatalogueTitle => "Catalogus", "Catalogue";
    Filters => "Filters", "Filters";
    ClearFilters => "Wis alle filters", "Clear all filters";
    FacetTheme => "Thema", "Theme";
    FacetLevel => "Onderwijsniveau", "Education level";
    FacetKind => "Soort aanbod", "Kind";
    FacetPartner => "Partnerdienst", "Partner service";
    FacetPickup => "Afhaalpunt", "Pickup point";
    SortLabel => "Sorteer op", "Sort by";
    SortRelevance => "Relevantie", "Relevance";
    SortTitle => "Titel (A–Z)", "Title (A–Z)";
    SortNewest => "Nieuwste eerst", "Newest first";
    Apply => "Toepassen", "Apply";
    ResultsOne => "1 resultaat", "1 result";
    ResultsMany => "resultaten", "results";
    NoResults => "Geen resultaten. Probeer een ander woord of wis een filter.", "No results. Try another word or clear a filter.";
    Loading => "Laden…", "Loading…";
    LoadError => "De catalogus kon niet geladen worden. Probeer het opnieuw.", "The catalogue could not be loaded. Please try again.";
    PagePrevious => "Vorige", "Previous";
    PageNext => "Volgende", "Next";
    PageOf => "van", "of";
    Page => "Pagina", "Page";
    Pagination => "Paginering", "Pagination";
    TrainingRequired => "Opleiding vereist", "Training required";
    UnitsAvailable => "exemplaren", "units";
    UnitsOne => "1 exemplaar", "1 unit";
    LentBy => "Uitgeleend door", "Lent by";
    OfferedBy => "Aangeboden door", "Offered by";
    Description => "Beschrijving", "Description";
    Contents => "Inhoud van de set", "Contents of the kit";
    PartName => "Onderdeel", "Part";
    PartCount => "Aantal", "Count";
    PickupPoints => "Afhalen en terugbrengen", "Pick up and return";
    OpeningHours => "Openingsuren", "Opening hours";
    RequiredTrainings => "Eerst een opleiding volgen", "Training needed first";
    RequiredTrainingsIntro => "Dit materiaal leen je pas na deze opleiding:", "You can borrow this material after this training:";
    LoanRules => "Uitleenvoorwaarden", "Loan conditions";
    RuleLead => "Afhalen ten vroegste na", "Earliest pickup after";
    RuleLoan => "Uitleenduur", "Loan period";
    RuleHorizon => "Reserveren tot", "Book up to";
    RulePerSchool => "Gelijktijdig per school", "At once per school";
    RuleApproval => "Goedkeuring door de uitleendienst", "Approval by the lending desk";
    OpenDays => "openingsdagen", "open days";
    Days => "dagen", "days";
    DaysAhead => "dagen vooruit", "days ahead";
    Yes => "ja", "yes";
    No => "nee", "no";
    To => "tot", "to";
    MoreInfo => "Meer informatie bij de partner", "More information from the partner";
    Contact => "Contact", "Contact";
    Themes => "Thema's", "Themes";
    Levels => "Niveaus", "Levels";
    Kind => "Soort", "Kind";
    Units => "Exemplaren in dienst", "Units in service";
    Breadcrumb => "Kruimelpad", "Breadcrumb";
    NotFoundTitle => "Pagina niet gevonden", "Page not found";
    NotFoundText => "Deze pagina bestaat niet (meer). Zoek verder in de catalogus.", "This page does not exist (any more). Continue in the catalogue.";
    KitNotFoundText => "Dit leermiddel bestaat niet (meer) in de catalogus.", "This learning resource is not (or no longer) in the catalogue.";
    BackToCatalogue => "Terug naar de catalogus", "Back to the catalogue";
    ShowResults => "Toon resultaten", "Show results";
    Selected => "gekozen", "selected";
    SignIn => "Aanmelden", "Sign in";
    SignOut => "Afmelden", "Sign out";
    SignInTitle => "Aanmelden bij Leenpunt", "Sign in to Leenpunt";
    SignInIntro => "Meld je aan met het e-mailadres en wachtwoord van je Leenpunt-account.", "Sign in with the e-mail address and password of your Leenpunt account.";
    EmailLabel => "E-mailadres", "E-mail address";
    PasswordLabel => "Wachtwoord", "Password";
    BadCredentials => "Het e-mailadres of het wachtwoord klopt niet.", "The e-mail address or the password is not right.";
    Throttled => "Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.", "Too many failed attempts. Please try again in fifteen minutes.";
    SignInFailed => "Aanmelden lukt nu niet. Probeer het zo dadelijk opnieuw.", "Signing in does not work right now. Please try again shortly.";
    SignedInAs => "Aangemeld als", "Signed in as";
    AccountMenu => "Account", "Account";
    Confirmed => "Je e-mailadres is bevestigd. Meld je nu aan.", "Your e-mail address is confirmed. Sign in now.";
    Unconfirmed => "Bevestig eerst je e-mailadres met de link in je mailbox.", "First confirm your e-mail address with the link in your mailbox.";
    LinkExpired => "Deze link is verlopen. Maak opnieuw een account aan of vraag een nieuwe link.", "This link has expired. Sign up again or ask for a new link.";
    LinkUsed => "Deze link werd al gebruikt. Je kan je gewoon aanmelden.", "This link was already used. You can simply sign in.";
    LinkUnknown => "Deze link is ongeldig.", "This link is not valid.";
    Results => "Resultaten", "Results";
    NavMyReservations => "Mijn reservaties", "My reservations";
    NavDesk => "Balie", "Lending desk";
    BookTitle => "Beschikbaarheid en reserveren", "Availability and booking";
    BookIntro => "Kies in de kalender een afhaaldag en daarna een terugbrengdag. Het getal is het aantal vrije exemplaren die dag.", "In the calendar, choose a pickup day and then a return day. The number is how many units are free that day.";
    PrevMonth => "Vorige maand", "Previous month";
    NextMonth => "Volgende maand", "Next month";
    Free => "vrij", "free";
    ClosedDay => "gesloten", "closed";
    PickupDate => "Afhaaldag", "Pickup day";
    ReturnDate => "Terugbrengdag", "Return day";
    Quantity => "Aantal exemplaren", "Number of units";
    PickupPoint => "Afhaalpunt", "Pickup point";
    NoteLabel => "Opmerking voor de uitleendienst (niet verplicht)", "Note for the lending service (optional)";
    ReserveButton => "Reserveer", "Reserve";
    RequestButton => "Vraag aan", "Request";
    NeedsApprovalNote => "De uitleendienst keurt elke aanvraag eerst goed; je krijgt een mail.", "The lending service approves every request first; you will get an e-mail.";
    SignInToReserve => "Meld je aan als leerkracht om te reserveren.", "Sign in as a teacher to reserve.";
    TryTheseDates => "Deze data kunnen wel:", "These dates would work:";
    Weekdays => "ma di wo do vr za zo", "Mon Tue Wed Thu Fri Sat Sun";
    MyReservationsTitle => "Mijn reservaties", "My reservations";
    NoReservations => "Je hebt nog geen reservaties. Zoek materiaal in de catalogus.", "You have no reservations yet. Find material in the catalogue.";
    CancelButton => "Annuleer", "Cancel";
    OkNew => "Je reservatie is geregistreerd. Je krijgt ook een mail.", "Your reservation is recorded. You will also get an e-mail.";
    OkCancelled => "De reservatie is geannuleerd.", "The reservation is cancelled.";
    OkApproved => "De aanvraag is goedgekeurd.", "The request is approved.";
    OkRejected => "De aanvraag is geweigerd.", "The request is rejected.";
    OkExtended => "De reservatie is verlengd.", "The reservation is extended.";
    DeskTitle => "Balie: reservaties", "Lending desk: reservations";
    DeskEmpty => "Geen reservaties voor deze filter.", "No reservations for this filter.";
    ApproveButton => "Keur goed", "Approve";
    RejectButton => "Weiger", "Reject";
    ReasonLabel => "Reden (de leerkracht leest ze)", "Reason (the teacher reads it)";
    StatusLabel => "Status", "Status";
    AllStatuses => "Alle", "All";
    FilterButton => "Toon", "Show";
    Material => "Materiaal", "Material";
    SchoolLabel => "School", "School";
    BorrowerLabel => "Aangevraagd door", "Requested by";
    PeriodLabel => "Periode", "Period";
    AtRisk => "Let op: er zijn intussen te weinig exemplaren in dienst. De uitleendienst neemt contact met je op.", "Attention: too few units are in service now. The lending service will contact you.";
    ReasonGiven => "Reden", "Reason";
    SignInFirst => "Meld je eerst aan.", "Please sign in first.";
    NotAllowed => "Deze pagina is voor de uitleendiensten.", "This page is for the lending services.";
    Sending => "Even geduld…", "One moment…";
    FreeRange => "Vrij in een periode", "Free in a period";
    FreeFrom => "van", "from";
    FreeTo => "tot en met", "up to and including";
    JoinWaitlist => "Zet me op de wachtlijst", "Put me on the waiting list";
    OnWaitlist => "Je staat op de wachtlijst voor deze dagen. Komt er plaats vrij, dan mailen we je en heb je 48 uur om te aanvaarden.", "You are on the waiting list for these days. When a place comes free we mail you, and you have 48 hours to accept.";
    WaitlistTitle => "Wachtlijst", "Waiting list";
    LeaveWaitlist => "Verlaat de wachtlijst", "Leave the waiting list";
    AcceptButton => "Aanvaard", "Accept";
    OfferValidUntil => "Aanbod geldig tot", "Offer valid until";
    At => "om", "at";
    OkLeft => "Je staat niet meer op de wachtlijst.", "You left the waiting list.";
    OkAccepted => "Je hebt het aanbod aanvaard.", "You accepted the offer.";
    AtRiskOnly => "Alleen in het gedrang", "At risk only";
    NavAgenda => "Agenda", "Calendar";
    AgendaTitle => "Leenpunt in je agenda", "Leenpunt in your calendar";
    AgendaIntro => "Abonneer je agenda (Outlook, Google, Apple) op een geheime link: reservaties verschijnen, veranderen en verdwijnen vanzelf. Deel de link niet; vernieuw hem als dat toch gebeurde.", "Subscribe your calendar (Outlook, Google, Apple) to a secret link: reservations appear, change and disappear by themselves. Do not share the link; renew it if that happened.";
    NewFeedLink => "Je nieuwe link (wordt maar één keer getoond):", "Your new link (shown only once):";
    SubscribeWebcal => "Abonneer in je agenda-app", "Subscribe in your calendar app";
    AddToGoogle => "Toevoegen aan Google Agenda", "Add to Google Calendar";
    AddToOutlook => "Toevoegen aan Outlook", "Add to Outlook";
    FeedMine => "Mijn reservaties", "My reservations";
    FeedForSchool => "Reservaties van mijn school", "My school's reservations";
    FeedForKit => "Reservaties van één materiaal", "One material's reservations";
    FeedForPoint => "Afhaalagenda van een afhaalpunt", "A pickup point's hand-over agenda";
    MakeLink => "Maak een link", "Make a link";
    RenewLink => "Vernieuw de link", "Renew the link";
    RevokeLink => "Trek in", "Revoke";
    NoFeeds => "Je hebt nog geen agenda-links.", "You have no calendar links yet.";
    Revoked => "De link werkt niet meer.", "The link no longer works.";
    AddToCalendar => "Zet in mijn agenda (.ics)", "Add to my calendar (.ics)";
    DeskAgendaTitle => "Balie-agenda", "Desk agenda";
    Week => "Week", "Week";
    Month => "Maand", "Month";
    Earlier => "Vorige", "Previous";
    Later => "Volgende", "Next";
    Pickups => "Afhalen", "Pickups";
    Returns => "Terugbrengen", "Returns";
    NothingThisDay => "Niets gepland.", "Nothing planned.";
    HandoverHours => "Afhaaluren", "Hand-over hours";
    ForgotTitle => "Wachtwoord vergeten", "Forgotten password";
    ForgotIntro => "Vul je e-mailadres in. Heb je een account, dan krijg je een link om een nieuw wachtwoord te kiezen.", "Enter your e-mail address. If you have an account, you get a link to choose a new password.";
    SendResetLink => "Stuur me een link", "Send me a link";
    ResetSent => "Als dit adres een account heeft, is er nu een mail met een link onderweg (2 uur geldig).", "If this address has an account, a mail with a link is on its way (valid for 2 hours).";
    ForgotLink => "Wachtwoord vergeten?", "Forgotten your password?";
    NewPasswordTitle => "Kies een nieuw wachtwoord", "Choose a new password";
    NewPasswordLabel => "Nieuw wachtwoord (minstens 10 tekens)", "New password (at least 10 characters)";
    SavePassword => "Bewaar", "Save";
    PasswordReset => "Je nieuwe wachtwoord is bewaard. Meld je aan; je bent overal elders afgemeld.", "Your new password is saved. Sign in; you are signed out everywhere else.";
    NavInvite => "Uitnodigen", "Invite";
    InviteTitle => "Iemand uitnodigen", "Invite someone";
    InviteIntro => "Een nieuw adres krijgt een link om een wachtwoord te kiezen (7 dagen geldig); wie al een account heeft, krijgt de rol erbij.", "A new address gets a link to choose a password (valid for 7 days); someone with an account simply gets the role added.";
    NameLabel => "Naam", "Name";
    RoleLabel => "Rol", "Role";
    PartnerLabel => "Uitleendienst", "Partner service";
    SchoolNumberLabel => "Instellingsnummer (voor een leerkracht)", "School number (for a teacher)";
    SendInvitation => "Stuur de uitnodiging", "Send the invitation";
    InvitationSent => "De uitnodiging is verstuurd.", "The invitation has been sent.";
    AcceptTitle => "Welkom bij Leenpunt", "Welcome to Leenpunt";
    AcceptIntro => "Kies je wachtwoord om je account te openen.", "Choose your password to open your account.";
    Welcome => "Je account is klaar. Meld je aan.", "Your account is ready. Sign in.";
    SignUpTitle => "Account aanmaken", "Create an account";
    SignUpIntro => "Leerkrachten maken zelf een account aan. Je krijgt een mail om je adres te bevestigen.", "Teachers create their own account. You get a mail to confirm your address.";
    SignUpLink => "Nog geen account? Maak er een aan.", "No account yet? Create one.";
    SchoolLabel2 => "Je school (typ de naam of het instellingsnummer)", "Your school (type its name or number)";
    CreateAccount => "Maak mijn account", "Create my account";
    CheckMailbox => "Bijna klaar: we stuurden je een mail met een link om je adres te bevestigen (48 uur geldig).", "Almost done: we sent you a mail with a link to confirm your address (valid for 48 hours).";
    AuditTitle => "Auditlog", "Audit log";
    AuditIntro => "Elke wijziging: wie, wanneer, wat. Het log kan niet gewijzigd of gewist worden.", "Every change: who, when, what. The log cannot be changed or deleted.";
    When => "Wanneer", "When";
    Who => "Wie", "Who";
    What => "Wat", "What";
    System => "systeem", "system";
    MailboxTitle => "Mailbox (ontwikkeling)", "Mailbox (development)";
    MailboxIntro => "Zonder SMTP-server blijven de mails hier; met een SMTP-server zie je wat verstuurd is.", "Without an SMTP server the mails stay here; with one, you see what was sent.";
    NotSent => "niet verstuurd", "not sent";
    NoMail => "Nog geen mails.", "No mails yet.";
    NavClosedDays => "Sluitingsdagen", "Closed days";
    ClosedDaysTitle => "Sluitingsdagen", "Closed days";
    ClosedDaysIntro => "Op deze dagen kan je niets afhalen of terugbrengen. Schoolvakanties laad je elk jaar in met `leenpunt closed-days import`.", "Nothing can be picked up or returned on these days. Load each year's school holidays with `leenpunt closed-days import`.";
    AllPickupPoints => "Alle afhaalpunten", "All pickup points";
    FirstDay => "Eerste dag", "First day";
    LastDay => "Laatste dag (leeg: dezelfde dag)", "Last day (empty: the same day)";
    Reason => "Reden", "Reason";
    AddClosedDay => "Sluit", "Close";
    Remove => "Verwijder", "Remove";
    NoClosedDays => "Geen sluitingsdagen gepland.", "No closed days planned.";
    Saved => "Opgeslagen.", "Saved.";
    NewReturnDate => "Nieuwe terugbrengdag", "New return day";
    ExtendButton => "Verleng", "Extend";
    // Trainings
    NavTrainings => "Opleidingen", "Trainings";
    NavMyTrainings => "Mijn opleidingen", "My trainings";
    NavTrainingsAdmin => "Beheer opleidingen", "Manage trainings";
    TrainingsTitle => "Opleidingen", "Trainings";
    TrainingsIntro => "Sommige materialen ontleen je pas na een opleiding. Schrijf je in voor een sessie: na afloop mag je het materiaal reserveren. Ben je ingeschreven voor een sessie vóór de afhaaldag, dan kan je al voorwaardelijk reserveren.", "Some material can only be borrowed after a training. Register for a session: afterwards you may reserve the material. Registered for a session before the pickup day? Then you can already reserve on that condition.";
    TrainingLabel => "Opleiding", "Training";
    AllTrainings => "Alle opleidingen", "All trainings";
    NoSessions => "Er zijn geen komende sessies.", "There are no upcoming sessions.";
    WhenLabel => "Wanneer", "When";
    PlaceLabel => "Plaats", "Place";
    SeatsLabel => "Plaatsen", "Seats";
    TrainersLabel => "Trainers", "Trainers";
    RegisterForSession => "Inschrijven", "Register";
    JoinSessionWaitingList => "Op de wachtlijst", "Join the waiting list";
    CancelRegistration => "Uitschrijven", "Cancel registration";
    RegisteredNotice => "Je bent ingeschreven. Je krijgt een bevestiging per e-mail.", "You are registered. A confirmation is on its way by e-mail.";
    WaitingListNotice => "De sessie is volzet: je staat op de wachtlijst. Komt er een plaats vrij, dan schuif je automatisch door.", "The session is full: you are on the waiting list. When a seat frees up, you move up automatically.";
    UnregisteredNotice => "Je inschrijving is geannuleerd.", "Your registration is cancelled.";
    AttendanceSaved => "De aanwezigheden zijn opgeslagen.", "Attendance is saved.";
    WalkInAdded => "De deelnemer is toegevoegd en aanwezig gezet.", "The participant was added and marked present.";
    SessionPlanned => "De sessie is gepland.", "The session is planned.";
    SessionNotFound => "Deze sessie bestaat niet.", "This session does not exist.";
    SessionCancelled => "Deze sessie gaat niet door.", "This session is called off.";
    Attended => "Je volgde deze sessie.", "You attended this session.";
    YouAreRegistered => "Je bent ingeschreven.", "You are registered.";
    YouAreWaiting => "Je staat op de wachtlijst.", "You are on the waiting list.";
    RegistrationClosedHint => "Inschrijven voor deze sessie kan niet (meer).", "Registration for this session is not open.";
    RosterTitle => "Deelnemers", "Participants";
    AttendanceFromStart => "Aanwezigheden noteer je vanaf het begin van de sessie.", "Attendance can be recorded from the start of the session.";
    WalkIn => "zonder inschrijving", "walk-in";
    SaveAttendance => "Aanwezigheden opslaan", "Save attendance";
    WaitingListTitle => "Wachtlijst", "Waiting list";
    WalkInLabel => "Deelnemer zonder inschrijving (e-mailadres van het account)", "Walk-in (e-mail address of their account)";
    AddWalkIn => "Toevoegen als aanwezig", "Add as present";
    QualificationValid => "Geldig", "Valid";
    QualificationExpired => "Verlopen", "Expired";
    QualificationRevoked => "Ingetrokken", "Revoked";
    ValidUntil => "tot en met", "until";
    ValidForever => "onbeperkt geldig", "never expires";
    PersonLabel => "Naam", "Name";
    SinceLabel => "Behaald op", "Obtained on";
    ValidityLabel => "Geldigheid", "Validity";
    StateLabel => "Status", "State";
    Revoke => "Intrekken", "Revoke";
    MyTrainingsTitle => "Mijn opleidingen", "My trainings";
    MyQualifications => "Wat je mag ontlenen", "What you may borrow";
    NoQualifications => "Je volgde nog geen opleiding.", "You have not followed a training yet.";
    FindASession => "Zoek een sessie", "Find a session";
    MySessions => "Mijn sessies", "My sessions";
    NoMySessions => "Je bent voor geen sessie ingeschreven.", "You are not registered for a session.";
    SessionsITrain => "Sessies die ik geef", "Sessions I give";
    Colleagues => "Collega's", "Colleagues";
    NoColleagueQualifications => "Nog geen collega volgde een opleiding.", "No colleague has followed a training yet.";
    TrainingsAdminTitle => "Beheer opleidingen", "Manage trainings";
    PlanSession => "Sessie plannen", "Plan a session";
    DayLabel => "Dag", "Day";
    StartLabel => "Beginuur", "Start time";
    EndLabel => "Einduur", "End time";
    RegistrationClosesLabel => "Inschrijven tot en met (leeg: de dag ervoor)", "Registration until (empty: the day before)";
    TrainersEmailLabel => "Trainers (e-mailadressen, leeg: jijzelf)", "Trainers (e-mail addresses, empty: yourself)";
    SessionsTitle => "Sessies", "Sessions";
    GrantTitle => "Kwalificatie toekennen (elders opgeleid)", "Grant a qualification (trained elsewhere)";
    Grant => "Toekennen", "Grant";
    QualificationsTitle => "Kwalificaties", "Qualifications";
    NewTrainingTitle => "Nieuwe opleiding", "New training";
    TitleLabel => "Titel", "Title";
    DescriptionLabel => "Beschrijving", "Description";
    DurationLabel => "Duur (minuten)", "Duration (minutes)";
    ValidityMonthsLabel => "Geldig (maanden, leeg: onbeperkt)", "Valid for (months, empty: unlimited)";
    AddTraining => "Opleiding toevoegen", "Add training";
    NoSessionsYet => "Er is nog geen sessie gepland.", "No session is planned yet.";
    RegisteredForSession => "Je bent ingeschreven voor", "You are registered for";
    NowReserveConditionally => "Reserveer nu opnieuw: je reservatie wordt vastgelegd op voorwaarde dat je de opleiding volgt.", "Reserve again now: your reservation is held on the condition that you attend the training.";
    ConditionalOn => "Voorwaardelijk: wacht op je opleiding", "Conditional: waiting for your training";
}

/// The language of the current page: provided by `App` on the server; in the browser an
/// island has no `App` around it and reads `<html lang>`.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(crate::page_lang)
}

/// A shorthand: the text for a key in the current language.
pub fn t(key: T) -> &'static str {
    key.get(use_lang())
}
