//! The training gate a booking passes: does the borrower hold (or have a session for) every
//! training the kit type requires. Asked by `reservations` (booking, waiting list) and
//! `cart`; a room of its own, so `reservations` needs nothing from `trainings` (which
//! tells borrowers through `reservations`): no circle between the two.

use crate::db::trainings::{self as store, GateInputs};
use crate::domain::trainings::{gate, Gate};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::NaiveDate;
use leenpunt_shared::*;

/// The sessions a new reservation waits for (empty: it is not conditional).
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    pub sessions: Vec<i64>,
    pub described: Vec<ReservationCondition>,
}

/// Applies the training gate to a booking: passes when qualified, answers the sessions to
/// wait for when the borrower has seats in time, and refuses naming the missing trainings
/// with their upcoming sessions otherwise.
pub async fn check_gate(
    conn: &mut crate::db::Conn,
    lang: Lang,
    inputs: &GateInputs,
    today: NaiveDate,
    pickup: NaiveDate,
    now: &str,
) -> Result<Conditions> {
    match gate(
        &inputs.required,
        &inputs.held,
        &inputs.registered,
        today,
        pickup,
    ) {
        Gate::Qualified => Ok(Conditions::default()),
        Gate::Conditional { sessions } => {
            let described = sessions
                .iter()
                .filter_map(|s| {
                    let seat = inputs.registered.iter().find(|r| r.session == *s)?;
                    let training = inputs
                        .required
                        .iter()
                        .find(|r| r.training == seat.training)?;
                    Some(ReservationCondition {
                        session: *s,
                        training: training.title.clone(),
                        day: seat.day.to_string(),
                    })
                })
                .collect();
            Ok(Conditions {
                sessions,
                described,
            })
        }
        Gate::Missing(missing) => {
            let ids: Vec<TrainingTypeId> = missing.iter().map(|m| m.training).collect();
            let upcoming = store::upcoming_sessions(conn, &ids, now).await?;
            let names = missing
                .iter()
                .map(|m| format!("“{}”", m.title))
                .collect::<Vec<_>>()
                .join(", ");
            let title = Text::TrainingFirst.get(lang);
            let detail = Text::TrainingFirstDetail { names: &names }.get(lang);
            Err(AppError::TrainingRequired {
                title,
                detail,
                trainings: missing
                    .into_iter()
                    .map(|m| MissingTraining {
                        sessions: upcoming
                            .iter()
                            .filter(|(t, _)| *t == m.training)
                            .map(|(_, b)| b.clone())
                            .take(5)
                            .collect(),
                        slug: m.slug,
                        title: m.title,
                    })
                    .collect(),
            })
        }
    }
}
