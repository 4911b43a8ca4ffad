//! "My school is not listed": a request that reaches the admins, who add the school and
//! invite the teacher.

use crate::db::accounts::{audit, reserve_mail_request};
use crate::db::mail::enqueue;
use crate::db::Db;
use crate::domain::auth::mail_window_start;
use crate::domain::schools::{check_request, school_request_mail, SchoolRequestForm};
use crate::error::{AppError, Result};
use chrono::{DateTime, Utc};
use leenpunt_shared::{Email, FieldError, Lang};

/// Checks the request and mails every admin (each in their own language) in one
/// transaction. Throttled like every anonymous request that sends mail: per requester
/// address and per client.
pub async fn request_school(
    db: &Db,
    now: DateTime<Utc>,
    public_url: &str,
    lang: Lang,
    client: &str,
    form: &SchoolRequestForm,
) -> Result<()> {
    let schools = db.school_options().await?;
    let request = check_request(form, &schools).map_err(|problems| {
        AppError::Validation(
            problems
                .into_iter()
                .map(|(field, p)| FieldError::new(field, p.message(field, lang)))
                .collect(),
        )
    })?;
    let admins = db.admin_recipients().await?;
    let stamp = now.to_rfc3339();
    let mut tx = db.begin().await?;
    if !reserve_mail_request(
        &mut tx,
        request.email.as_str(),
        client,
        &mail_window_start(now).to_rfc3339(),
        &stamp,
    )
    .await?
    {
        return Err(AppError::TooManyMails);
    }
    for (address, admin_lang) in &admins {
        let Ok(to) = Email::parse(address) else {
            continue;
        };
        let admin_lang = Lang::parse(admin_lang).unwrap_or(Lang::Nl);
        enqueue(
            &mut tx,
            &school_request_mail(admin_lang, &to, &request, public_url),
            &stamp,
        )
        .await?;
    }
    audit(
        &mut tx,
        None,
        "school-request",
        &format!("school-request:{}", request.email.as_str()),
        &format!("{} · {}", request.school, request.municipality),
        &stamp,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
