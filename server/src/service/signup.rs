//! Signing up as a teacher and confirming the e-mail address.

use super::accounts::token_hash;
use crate::db::accounts::{
    audit, insert_user, login_record, reserve_mail_request, set_user_lang, NewUser,
};
use crate::db::mail::{confirm_user, enqueue, find_token, insert_token, use_token};
use crate::db::{Db, DbError};
use crate::domain::auth::{
    check_password, check_token, mail_window_start, TokenProblem, TokenPurpose,
};
use crate::domain::mail::{already_registered, confirm_address};
use crate::domain::policy::RoleGrant;
use crate::domain::schools::{find_school, SchoolMatch};
use crate::texts::Text;
use base64::Engine;
use chrono::{DateTime, Utc};
use leenpunt_shared::{Email, FieldError, Lang, Role};

/// What a teacher fills in.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct SignUpForm {
    pub email: String,
    pub name: String,
    pub password: String,
    /// The school's instellingsnummer.
    pub school: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SignUpError {
    /// Per-field problems: (field, machine code, message).
    #[error("invalid sign-up")]
    Invalid(Vec<(String, &'static str, FieldError)>),
    /// Too many mails asked for this address or from this client lately.
    #[error("too many sign-ups")]
    Throttled,
    #[error(transparent)]
    Db(#[from] DbError),
}

fn field(
    errors: &mut Vec<(String, &'static str, FieldError)>,
    name: &str,
    code: &'static str,
    message: String,
) {
    errors.push((name.to_owned(), code, FieldError::new(name, message)));
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Creates an unconfirmed teacher account and mails a confirmation link. When the address
/// already has an account, that account's owner gets a mail instead, and the answer is the
/// same, in the same time (the password is hashed either way, before the write lock is
/// taken): the form never reveals who has an account. `client` is the requester's address
/// for the mail throttle.
pub async fn sign_up(
    db: &Db,
    now: DateTime<Utc>,
    public_url: &str,
    lang: Lang,
    client: &str,
    form: &SignUpForm,
) -> Result<(), SignUpError> {
    let mut errors = Vec::new();
    let email = Email::parse(&form.email)
        .map_err(|_| {
            field(
                &mut errors,
                "email",
                "ongeldig",
                Text::EnterAValidEMailAddress2.get(lang),
            )
        })
        .ok();
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        field(&mut errors, "name", "leeg", Text::EnterYourName.get(lang));
    }
    if let Some(e) = &email {
        if let Err(problem) = check_password(&form.password, e) {
            let code = match problem {
                crate::domain::auth::PasswordProblem::TooShort => "kort",
                crate::domain::auth::PasswordProblem::SameAsEmail => "email",
            };
            field(&mut errors, "password", code, problem.message(lang));
        }
    }
    let school = match find_school(&form.school, &db.school_options().await?) {
        SchoolMatch::Found(number) => db.school_id(&number).await?,
        SchoolMatch::Unknown => {
            field(
                &mut errors,
                "school",
                "onbekend",
                Text::SchoolNotFound.get(lang),
            );
            None
        }
        SchoolMatch::Ambiguous(places) => {
            field(
                &mut errors,
                "school",
                "meerdere",
                Text::SchoolAmbiguous {
                    places: &places.join(", "),
                }
                .get(lang),
            );
            None
        }
    };
    let (Some(email), Some(school), true) = (email, school, errors.is_empty()) else {
        return Err(SignUpError::Invalid(errors));
    };

    let password_hash = super::passwords::hash(&form.password).await?;
    let stamp = now.to_rfc3339();
    let mut tx = db.begin().await?;
    if !reserve_mail_request(
        &mut tx,
        email.as_str(),
        client,
        &mail_window_start(now).to_rfc3339(),
        &stamp,
    )
    .await?
    {
        return Err(SignUpError::Throttled);
    }
    if let Some(record) = login_record(&mut tx, &email).await? {
        // To the account's owner, in the language they read their mail in.
        enqueue(
            &mut tx,
            &already_registered(record.lang, &email, &format!("{public_url}/aanmelden")),
            &stamp,
        )
        .await?;
        tx.commit().await?;
        return Ok(());
    }
    let user = NewUser {
        email: email.clone(),
        name: name.to_owned(),
        password_hash: Some(password_hash),
        confirmed: false,
        grants: vec![RoleGrant {
            role: Role::Teacher,
            school: Some(school),
            partner: None,
        }],
    };
    let id = insert_user(&mut tx, &user, &stamp).await?;
    // The language the sign-up form was filled in is the new account's mail language.
    set_user_lang(&mut tx, id, lang).await?;
    let token = random_token();
    let expires = (now + TokenPurpose::Confirm.lifetime()).to_rfc3339();
    insert_token(
        &mut tx,
        &token_hash(&token),
        id,
        TokenPurpose::Confirm,
        &stamp,
        &expires,
    )
    .await?;
    let link = format!("{public_url}/bevestig/{token}");
    enqueue(&mut tx, &confirm_address(lang, &email, &link), &stamp).await?;
    audit(
        &mut tx,
        Some(id),
        "signed-up",
        &format!("user:{}", id.0),
        email.as_str(),
        &stamp,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms an e-mail address with a mailed token (once, before it expires).
pub async fn confirm(
    db: &Db,
    now: DateTime<Utc>,
    token: &str,
) -> Result<Result<(), TokenProblem>, DbError> {
    let hash = token_hash(token);
    let mut tx = db.begin().await?;
    let Some((user, expires, used)) = find_token(&mut tx, &hash, TokenPurpose::Confirm).await?
    else {
        return Ok(Err(TokenProblem::Unknown));
    };
    let expires = DateTime::parse_from_rfc3339(&expires)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(now);
    if let Err(problem) = check_token(now, expires, used) {
        return Ok(Err(problem));
    }
    let stamp = now.to_rfc3339();
    use_token(&mut tx, &hash, &stamp).await?;
    confirm_user(&mut tx, user, &stamp).await?;
    audit(
        &mut tx,
        Some(user),
        "email-confirmed",
        &format!("user:{}", user.0),
        "",
        &stamp,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Mails a password-reset link, in the account's language, when the address has an account
/// that is not disabled. The
/// answer is the same either way: the form never reveals who has an account. `Ok(false)`
/// when too many links were asked for this address (or from this client) lately, whether
/// or not it has an account.
pub async fn request_reset(
    db: &Db,
    now: DateTime<Utc>,
    public_url: &str,
    client: &str,
    email: &str,
) -> Result<bool, DbError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(true);
    };
    let stamp = now.to_rfc3339();
    let mut tx = db.begin().await?;
    let since = mail_window_start(now).to_rfc3339();
    if !reserve_mail_request(&mut tx, email.as_str(), client, &since, &stamp).await? {
        return Ok(false);
    }
    let record = match login_record(&mut tx, &email).await? {
        Some(record) if !record.disabled => record,
        _ => {
            tx.commit().await?;
            return Ok(true);
        }
    };
    let token = random_token();
    let expires = (now + TokenPurpose::Reset.lifetime()).to_rfc3339();
    insert_token(
        &mut tx,
        &token_hash(&token),
        record.id,
        TokenPurpose::Reset,
        &stamp,
        &expires,
    )
    .await?;
    let link = format!("{}/wachtwoord/{token}", public_url.trim_end_matches('/'));
    enqueue(
        &mut tx,
        &crate::domain::mail::reset_password(record.lang, &email, &link),
        &stamp,
    )
    .await?;
    audit(
        &mut tx,
        Some(record.id),
        "password-reset-requested",
        &format!("user:{}", record.id.0),
        "",
        &stamp,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Why a new password was not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetProblem {
    Token(TokenProblem),
    Password(crate::domain::auth::PasswordProblem),
}

/// Sets a new password with a reset link: single use, two hours; every session ends.
pub async fn reset_password(
    db: &Db,
    now: DateTime<Utc>,
    token: &str,
    password: &str,
) -> Result<Result<(), ResetProblem>, DbError> {
    password_by_token(db, now, TokenPurpose::Reset, token, password).await
}

/// Accepts an invitation: the invited person chooses their password (single use, 7 days).
pub async fn accept_invitation(
    db: &Db,
    now: DateTime<Utc>,
    token: &str,
    password: &str,
) -> Result<Result<(), ResetProblem>, DbError> {
    password_by_token(db, now, TokenPurpose::Invite, token, password).await
}

/// Sets a password with a mailed token of a purpose; confirms the address, ends sessions.
async fn password_by_token(
    db: &Db,
    now: DateTime<Utc>,
    purpose: TokenPurpose,
    token: &str,
    password: &str,
) -> Result<Result<(), ResetProblem>, DbError> {
    let hash = token_hash(token);
    // Check on a read connection and hash the password before taking the write lock;
    // then check the token again inside the write (it may have been used meanwhile).
    let checked = {
        let mut conn = db.read().await?;
        token_user(&mut conn, now, &hash, purpose).await?
    };
    let user = match checked {
        Ok(user) => user,
        Err(problem) => return Ok(Err(ResetProblem::Token(problem))),
    };
    let email = crate::db::mail::user_email(&mut *db.read().await?, user)
        .await?
        .and_then(|e| Email::parse(&e).ok());
    if let Some(email) = &email {
        if let Err(problem) = check_password(password, email) {
            return Ok(Err(ResetProblem::Password(problem)));
        }
    }
    let password_hash = super::passwords::hash(password).await?;
    let mut tx = db.begin().await?;
    match token_user(&mut tx, now, &hash, purpose).await? {
        Ok(same) if same == user => {}
        Ok(_) => return Ok(Err(ResetProblem::Token(TokenProblem::Unknown))),
        Err(problem) => return Ok(Err(ResetProblem::Token(problem))),
    }
    let stamp = now.to_rfc3339();
    use_token(&mut tx, &hash, &stamp).await?;
    crate::db::mail::set_password(&mut tx, user, &password_hash, &stamp).await?;
    audit(
        &mut tx,
        Some(user),
        if purpose == TokenPurpose::Invite {
            "invitation-accepted"
        } else {
            "password-reset"
        },
        &format!("user:{}", user.0),
        "",
        &stamp,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The account a mailed token of a purpose is for, if the token is still good.
async fn token_user(
    conn: &mut crate::db::Conn,
    now: DateTime<Utc>,
    hash: &str,
    purpose: TokenPurpose,
) -> Result<Result<leenpunt_shared::UserId, TokenProblem>, DbError> {
    let Some((user, expires, used)) = find_token(conn, hash, purpose).await? else {
        return Ok(Err(TokenProblem::Unknown));
    };
    let expires = DateTime::parse_from_rfc3339(&expires)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(now);
    Ok(check_token(now, expires, used).map(|()| user))
}

/// Whom to invite, as what.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct InviteForm {
    pub email: String,
    #[serde(default)]
    pub name: String,
    /// `teacher`, `ambassador`, `trainer`, `partner-admin` or `admin`.
    pub role: String,
    /// The school's instellingsnummer, for a teacher.
    #[serde(default)]
    pub school: Option<String>,
    /// The partner service's slug, for desk staff, trainers and partner admins.
    #[serde(default)]
    pub partner: Option<String>,
}

/// Why an invitation was not sent.
#[derive(Debug)]
pub enum InviteError {
    Invalid(Vec<FieldError>),
    Forbidden,
    Db(DbError),
}

impl From<DbError> for InviteError {
    fn from(e: DbError) -> Self {
        InviteError::Db(e)
    }
}

/// Invites someone into a role. A new address gets an account without a password and a
/// link (7 days) to choose one; an existing account simply gains the role and is told.
pub async fn invite(
    db: &Db,
    now: DateTime<Utc>,
    public_url: &str,
    actor: &crate::domain::policy::Actor,
    lang: Lang,
    form: &InviteForm,
) -> Result<(), InviteError> {
    use crate::domain::policy::{allows, Action};
    let mut errors = Vec::new();
    let email = Email::parse(&form.email).ok();
    if email.is_none() {
        errors.push(FieldError::new(
            "email",
            Text::EnterAValidEMailAddress.get(lang),
        ));
    }
    let role = Role::parse(&form.role);
    if role.is_none() {
        errors.push(FieldError::new("role", Text::ChooseARole.get(lang)));
    }
    let some = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let mut school = None;
    let mut partner = None;
    match role.map(Role::scope) {
        Some(leenpunt_shared::accounts::Scope::School) => match some(&form.school) {
            Some(n) => {
                school = db.school_id(n.trim()).await?;
                if school.is_none() {
                    errors.push(FieldError::new(
                        "school",
                        Text::UnknownSchoolNumber.get(lang),
                    ));
                }
            }
            None => errors.push(FieldError::new("school", Text::ChooseTheSchool.get(lang))),
        },
        Some(leenpunt_shared::accounts::Scope::Partner) => match some(&form.partner) {
            Some(slug) => {
                partner = db.partner_id(slug.trim()).await?;
                if partner.is_none() {
                    errors.push(FieldError::new(
                        "partner",
                        Text::UnknownPartnerService.get(lang),
                    ));
                }
            }
            None => errors.push(FieldError::new(
                "partner",
                Text::ChooseThePartnerService.get(lang),
            )),
        },
        _ => {}
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return Err(InviteError::Invalid(errors));
    };
    if !allows(actor, Action::Invite(role, partner)) {
        return Err(InviteError::Forbidden);
    }
    let grant = RoleGrant {
        role,
        school,
        partner,
    };
    let stamp = now.to_rfc3339();
    let base = public_url.trim_end_matches('/');
    let mut tx = db.begin().await?;
    let existing = db.login_record(&email).await?;
    let (user, mail) = match existing {
        Some(record) => {
            crate::db::accounts::add_grant(&mut tx, record.id, &grant).await?;
            (
                record.id,
                crate::domain::mail::role_added(
                    record.lang,
                    &email,
                    role,
                    &format!("{base}/aanmelden"),
                ),
            )
        }
        None => {
            let name = if form.name.trim().is_empty() {
                email.as_str().to_owned()
            } else {
                form.name.trim().to_owned()
            };
            let user = NewUser {
                email: email.clone(),
                name,
                password_hash: None,
                confirmed: false,
                grants: vec![grant],
            };
            let id = insert_user(&mut tx, &user, &stamp).await?;
            // Someone without an account gets the language the inviter's request was in.
            set_user_lang(&mut tx, id, lang).await?;
            let token = random_token();
            let expires = (now + TokenPurpose::Invite.lifetime()).to_rfc3339();
            insert_token(
                &mut tx,
                &token_hash(&token),
                id,
                TokenPurpose::Invite,
                &stamp,
                &expires,
            )
            .await?;
            (
                id,
                crate::domain::mail::invitation(
                    lang,
                    &email,
                    role,
                    &format!("{base}/uitnodiging/{token}"),
                ),
            )
        }
    };
    enqueue(&mut tx, &mail, &stamp).await?;
    audit(
        &mut tx,
        actor.user,
        "invited",
        &format!("user:{}", user.0),
        &format!("{} {}", email.as_str(), role.code()),
        &stamp,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the invitation screen offers someone; 403 for who may invite no one.
pub async fn invite_screen(
    db: &Db,
    actor: &crate::domain::policy::Actor,
) -> Result<leenpunt_shared::accounts::InviteScreen, crate::error::AppError> {
    use crate::domain::policy::{allows, Action};
    use crate::error::AppError;
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let partners: Vec<(String, String)> = db
        .partners_brief()
        .await?
        .into_iter()
        .filter(|(_, _, id)| allows(actor, Action::Invite(Role::Ambassador, Some(*id))))
        .map(|(slug, name, _)| (slug, name))
        .collect();
    let admin = actor.is_admin();
    if partners.is_empty() && !admin {
        return Err(AppError::Forbidden);
    }
    Ok(leenpunt_shared::accounts::InviteScreen { partners, admin })
}
