//! The desk pages' form posts (they work without JavaScript).

use super::*;

pub async fn form_hand_over(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    let target = format!("/balie/uitgifte/{id}");
    let outcome = service::hand_over(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        ReservationId(id),
        &HandoverBody {
            code: form.code.clone(),
            override_reason: form.override_reason,
        },
    )
    .await;
    let ok = match &outcome {
        Ok(o) if o.already => format!("al-meegegeven:{}::{}", o.unit, o.kit_title),
        Ok(o) => format!("meegegeven:{}::{}", o.unit, o.kit_title),
        Err(_) => String::new(),
    };
    // A refused scan keeps the code, so the desk can override without typing it again.
    let target = match &outcome {
        Err(AppError::Refused {
            kind: "qualification-missing",
            ..
        }) => {
            format!("{target}?code={}", encode_component(&form.code))
        }
        _ => target,
    };
    crate::http::redirect_with_outcome(&target, &ok, lang, outcome.map(|_| ()))
}

/// The return screen's first step: which unit is coming back.
pub async fn form_find_return(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    match service::return_screen(&state.db, state.clock.as_ref(), &who.0, lang, &form.code).await {
        Ok(screen) => {
            let code = screen.unit.label.unwrap_or_default().replace('-', "");
            Ok(Redirect::to(&format!("/balie/inname/{code}")).into_response())
        }
        Err(e) => crate::http::redirect_with_outcome("/balie/inname", "", lang, Err(e)),
    }
}

/// The return screen's second step: the counted contents and any damage. Fields come
/// as `name_<i>` / `count_<i>` pairs and `damage`.
pub async fn form_take_back(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(code): Path<String>,
    body: String,
) -> Result<Response> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let mut parts = Vec::new();
    let mut bad = Vec::new();
    for (key, name) in pairs.iter().filter(|(k, _)| k.starts_with("name_")) {
        let index = &key["name_".len()..];
        let raw = get(&format!("count_{index}")).unwrap_or_default();
        match raw.trim().parse::<i64>() {
            Ok(counted) => parts.push(PartCountBody {
                name: name.clone(),
                counted,
            }),
            Err(_) => bad.push(name.clone()),
        }
    }
    let request = get("aanvraag").and_then(|r| r.trim().parse::<i64>().ok());
    let target = match request {
        Some(r) => format!("/balie/inname/{code}?aanvraag={r}"),
        None => format!("/balie/inname/{code}"),
    };
    if !bad.is_empty() {
        let message = if lang == Lang::Nl {
            format!("Geef een aantal voor: {}.", bad.join(", "))
        } else {
            format!("Enter a count for: {}.", bad.join(", "))
        };
        return crate::http::redirect_with_outcome(
            &target,
            "",
            lang,
            Err(AppError::Validation(vec![FieldError::new(
                "parts", message,
            )])),
        );
    }
    let body = ReturnBody {
        code: code.clone(),
        parts,
        damage: get("damage").unwrap_or_default(),
    };
    let outcome = match request {
        Some(request) => service::take_back_request_once(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            request,
            &body,
            None,
        )
        .await
        .map(|o| o.outcome),
        None => {
            service::take_back(
                &state.db,
                state.clock.as_ref(),
                &state.config.public_url(),
                &who.0,
                lang,
                &body,
            )
            .await
        }
    };
    let back_to = request.map_or_else(
        || "/balie/inname".to_owned(),
        |r| format!("/balie/aanvraag/{r}/inname"),
    );
    match outcome {
        Ok(o) => {
            let mut flags = Vec::new();
            if o.to_maintenance {
                flags.push("onderhoud");
            }
            if o.late {
                flags.push("laat");
            }
            // `what:unit:flags:kit title` (the title last: it may hold colons).
            let ok = format!("terug:{}:{}:{}", o.unit, flags.join(","), o.kit_title);
            crate::http::redirect_with_outcome(&back_to, &ok, lang, Ok(()))
        }
        Err(e) => crate::http::redirect_with_outcome(&target, "", lang, Err(e)),
    }
}

pub async fn form_retag(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Response> {
    let outcome = service::retag(&state.db, state.clock.as_ref(), &who.0, UnitId(id)).await;
    let ok = outcome
        .as_ref()
        .map(|c| format!("label:{c}"))
        .unwrap_or_default();
    crate::http::redirect_with_outcome(
        &format!("/balie/exemplaren/{id}"),
        &ok,
        lang,
        outcome.map(|_| ()),
    )
}

/// The desk's code field anywhere: a unit's page for a known code (label or inventory
/// code); a replaced label opens it with the notice that the label was replaced.
pub async fn form_lookup(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    match service::scan(&state.db, &who.0, lang, &form.code).await {
        Ok(s) if s.replaced => crate::http::redirect_with_outcome(
            &format!("/balie/exemplaren/{}", s.unit.id.0),
            "",
            lang,
            Err(service::replaced_refusal(lang, &s.unit)),
        ),
        Ok(s) => Ok(Redirect::to(&format!("/balie/exemplaren/{}", s.unit.id.0)).into_response()),
        Err(e) => crate::http::redirect_with_outcome("/balie/vandaag", "", lang, Err(e)),
    }
}

/// A unit in maintenance goes back in service; its tickets close.
pub async fn form_back_in_service(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Response> {
    let outcome = service::back_in_service(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        UnitId(id),
    )
    .await;
    crate::http::redirect_with_outcome(
        &format!("/balie/exemplaren/{id}"),
        "in-dienst",
        lang,
        outcome,
    )
}
