//! Who may do what: one pure function of (who, action). Every handler asks it.

use leenpunt_shared::{PartnerId, Role, SchoolId, UserId};

/// One role held, with its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleGrant {
    pub role: Role,
    pub school: Option<SchoolId>,
    pub partner: Option<PartnerId>,
}

/// Whoever is asking: anonymous, or a user with their roles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    pub grants: Vec<RoleGrant>,
}

impl Actor {
    pub fn anonymous() -> Actor {
        Actor::default()
    }

    pub fn is_admin(&self) -> bool {
        self.has(|g| g.role == Role::Admin)
    }

    fn has(&self, f: impl Fn(&RoleGrant) -> bool) -> bool {
        self.grants.iter().any(f)
    }

    fn partner_role(&self, role: Role, partner: PartnerId) -> bool {
        self.has(|g| g.role == role && g.partner == Some(partner))
    }
}

/// Something a person may want to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Browse and search the public catalogue.
    ViewCatalogue,
    /// See and manage one's own account and sessions.
    ViewOwnAccount,
    /// Edit kit types, contents lists and units of a partner service.
    ManageCatalogueOf(PartnerId),
    /// See a school's private data (its reservations, its members' qualifications).
    ViewSchool(SchoolId),
    ManageSchools,
    ManagePartners,
    ManageUsers,
    ViewAuditLog,
    /// Read the development mailbox (mails kept when no SMTP server is configured).
    ReadMailbox,
    /// Reserve material for a school (and cancel the school's reservations).
    ReserveFor(SchoolId),
    /// Run a partner's lending desk: see, approve, reject and cancel its reservations.
    HandleReservationsOf(PartnerId),
    /// Close pickup points on given days: one partner's points, or (`None`) all of them.
    ManageClosedDays(Option<PartnerId>),
    /// Invite someone into a role (with the partner service it is scoped to, if any).
    Invite(Role, Option<PartnerId>),
    /// Define a partner's training types and plan their sessions.
    ManageTrainingsOf(PartnerId),
    /// See a partner's session rosters and record attendance.
    RunSessionsOf(PartnerId),
    /// Grant a qualification by hand (trained elsewhere) or revoke one, for a partner's
    /// training.
    GrantQualificationsOf(PartnerId),
    /// Register for training sessions (teachers).
    RegisterForTraining,
    /// See the figures ("In cijfers") of one partner service, or (`None`) of all of them.
    ViewFiguresOf(Option<PartnerId>),
}

impl Action {
    /// Every action kind, with sample scopes, for exhaustive tests.
    pub fn samples(partner: PartnerId, school: SchoolId) -> Vec<Action> {
        vec![
            Action::ViewCatalogue,
            Action::ViewOwnAccount,
            Action::ManageCatalogueOf(partner),
            Action::ViewSchool(school),
            Action::ManageSchools,
            Action::ManagePartners,
            Action::ManageUsers,
            Action::ViewAuditLog,
            Action::ReadMailbox,
            Action::ReserveFor(school),
            Action::HandleReservationsOf(partner),
            Action::ManageClosedDays(None),
            Action::ManageClosedDays(Some(partner)),
            Action::Invite(Role::Ambassador, Some(partner)),
            Action::Invite(Role::Admin, None),
            Action::ManageTrainingsOf(partner),
            Action::RunSessionsOf(partner),
            Action::GrantQualificationsOf(partner),
            Action::RegisterForTraining,
            Action::ViewFiguresOf(Some(partner)),
        ]
    }
}

/// The one authorization rule book.
pub fn allows(actor: &Actor, action: Action) -> bool {
    if actor.is_admin() {
        return true;
    }
    match action {
        Action::ViewCatalogue => true,
        Action::ViewOwnAccount => actor.user.is_some(),
        Action::ManageCatalogueOf(p) => actor.partner_role(Role::PartnerAdmin, p),
        Action::ViewSchool(s) | Action::ReserveFor(s) => {
            actor.has(|g| g.role == Role::Teacher && g.school == Some(s))
        }
        Action::ManageClosedDays(Some(p)) => actor.partner_role(Role::PartnerAdmin, p),
        Action::ManageClosedDays(None) => false,
        // Partner admins bring in their own desk staff and trainers; everything else is
        // for admins.
        Action::Invite(Role::Ambassador | Role::Trainer, Some(p)) => {
            actor.partner_role(Role::PartnerAdmin, p)
        }
        Action::Invite(..) => false,
        Action::ManageTrainingsOf(p) | Action::GrantQualificationsOf(p) => {
            actor.partner_role(Role::PartnerAdmin, p)
        }
        Action::RunSessionsOf(p) => {
            actor.partner_role(Role::Trainer, p) || actor.partner_role(Role::PartnerAdmin, p)
        }
        Action::RegisterForTraining => actor.has(|g| g.role == Role::Teacher),
        Action::HandleReservationsOf(p) => {
            actor.partner_role(Role::Ambassador, p) || actor.partner_role(Role::PartnerAdmin, p)
        }
        Action::ViewFiguresOf(Some(p)) => actor.partner_role(Role::PartnerAdmin, p),
        Action::ViewFiguresOf(None) => false,
        Action::ManageSchools
        | Action::ManagePartners
        | Action::ManageUsers
        | Action::ViewAuditLog
        | Action::ReadMailbox => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P1: PartnerId = PartnerId(1);
    const P2: PartnerId = PartnerId(2);
    const S1: SchoolId = SchoolId(10);
    const S2: SchoolId = SchoolId(20);

    fn actor(grants: &[(Role, Option<SchoolId>, Option<PartnerId>)]) -> Actor {
        Actor {
            user: Some(UserId(1)),
            grants: grants
                .iter()
                .map(|(role, school, partner)| RoleGrant {
                    role: *role,
                    school: *school,
                    partner: *partner,
                })
                .collect(),
        }
    }

    /// Every action for every kind of person, written out as a table.
    #[test]
    fn the_rule_book() {
        use Action::*;
        let people: Vec<(&str, Actor)> = vec![
            ("anonymous", Actor::anonymous()),
            ("user without roles", actor(&[])),
            ("teacher of S1", actor(&[(Role::Teacher, Some(S1), None)])),
            (
                "ambassador of P1",
                actor(&[(Role::Ambassador, None, Some(P1))]),
            ),
            ("trainer of P1", actor(&[(Role::Trainer, None, Some(P1))])),
            (
                "partner admin of P1",
                actor(&[(Role::PartnerAdmin, None, Some(P1))]),
            ),
            ("admin", actor(&[(Role::Admin, None, None)])),
        ];
        // Columns: ViewCatalogue, ViewOwnAccount, ManageCatalogueOf(P1), ManageCatalogueOf(P2),
        // ViewSchool(S1), ViewSchool(S2), ManageSchools, ManagePartners, ManageUsers,
        // ViewAuditLog, ReadMailbox, ReserveFor(S1), ReserveFor(S2),
        // HandleReservationsOf(P1), HandleReservationsOf(P2), ManageClosedDays(None),
        // ManageClosedDays(P1), Invite(Ambassador, P1), Invite(Admin), ManageTrainingsOf(P1),
        // RunSessionsOf(P1), RunSessionsOf(P2), GrantQualificationsOf(P1), RegisterForTraining.
        const F: bool = false;
        const T: bool = true;
        #[rustfmt::skip]
        let expected: [[bool; 24]; 7] = [
            [T, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F],
            [T, T, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F],
            [T, T, F, F, T, F, F, F, F, F, F, T, F, F, F, F, F, F, F, F, F, F, F, T],
            [T, T, F, F, F, F, F, F, F, F, F, F, F, T, F, F, F, F, F, F, F, F, F, F],
            [T, T, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, T, F, F, F],
            [T, T, T, F, F, F, F, F, F, F, F, F, F, T, F, F, T, T, F, T, T, F, T, F],
            [T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T],
        ];
        let actions = [
            ViewCatalogue,
            ViewOwnAccount,
            ManageCatalogueOf(P1),
            ManageCatalogueOf(P2),
            ViewSchool(S1),
            ViewSchool(S2),
            ManageSchools,
            ManagePartners,
            ManageUsers,
            ViewAuditLog,
            ReadMailbox,
            ReserveFor(S1),
            ReserveFor(S2),
            HandleReservationsOf(P1),
            HandleReservationsOf(P2),
            ManageClosedDays(None),
            ManageClosedDays(Some(P1)),
            Invite(Role::Ambassador, Some(P1)),
            Invite(Role::Admin, None),
            ManageTrainingsOf(P1),
            RunSessionsOf(P1),
            RunSessionsOf(P2),
            GrantQualificationsOf(P1),
            RegisterForTraining,
        ];
        for ((who, a), row) in people.iter().zip(expected) {
            for (action, allowed) in actions.iter().zip(row) {
                assert_eq!(allows(a, *action), allowed, "{who} / {action:?}");
            }
        }
    }

    #[test]
    fn roles_add_up() {
        let both = actor(&[
            (Role::Teacher, Some(S1), None),
            (Role::PartnerAdmin, None, Some(P2)),
        ]);
        assert!(allows(&both, Action::ViewSchool(S1)));
        assert!(allows(&both, Action::ManageCatalogueOf(P2)));
        assert!(!allows(&both, Action::ManageCatalogueOf(P1)));
        assert!(!allows(&both, Action::ViewSchool(S2)));
    }
}
