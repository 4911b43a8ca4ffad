//! `/beheer/materiaal/:slug` (and `/beheer/materiaal/nieuw`): a kit type's form. Themes,
//! levels, pickup points and trainings are check boxes, kind and partner are choices, the
//! contents and units are tables. A plain POST form, server-rendered, no JavaScript: rows
//! are added by filling in the empty rows the form offers (saving offers new ones), moved
//! with their "place" number and removed with a tick; units are added by typing a code or
//! by "add N units". A refused save comes back with what was typed and each message next
//! to its field (`parts.2.count` → `#error-parts-2-count`).

use crate::api;
use crate::components::text::{PageTitle, TextArea};
use crate::i18n::{t, use_lang, T};
use crate::pages::kits::label;
use crate::pages::not_found::problem_notice;
use leenpunt_shared::admin::{KitChoice, KitEditScreen, KitPartRow, KitPhotoRow, KitUnitRow};
use leenpunt_shared::{FieldError, KitKind, Lang, Level, Theme, UnitStatus};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The messages for one field, joined.
fn message(errors: &[FieldError], field: &str) -> Option<String> {
    let m: Vec<&str> = errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.as_str())
        .collect();
    (!m.is_empty()).then(|| m.join(" "))
}

/// An element id for a field name (`parts.2.count` → `parts-2-count`).
fn dom(field: &str) -> String {
    field.replace('.', "-")
}

/// A field's message, placed under it, with the id its input points to.
fn error_line(errors: &[FieldError], field: &str) -> impl IntoView {
    message(errors, field).map(|m| {
        view! { <span class="field-error" id=format!("error-{}", dom(field))>{m}</span> }
    })
}

/// The `aria-describedby` of an input whose field has a message.
fn described(errors: &[FieldError], field: &str) -> Option<String> {
    message(errors, field).map(|_| format!("error-{}", dom(field)))
}

fn invalid(errors: &[FieldError], field: &str) -> Option<&'static str> {
    message(errors, field).map(|_| "true")
}

/// `/beheer/materiaal/:slug` (and `/beheer/materiaal/nieuw`): a kit type's form.
#[component]
pub fn KitEdit() -> impl IntoView {
    let slug = use_params_map().get_untracked().get("slug");
    let query = use_query_map().get_untracked();
    let ok = query.get("ok");
    let error = query.get("fout");
    let draft = query.get("concept");
    let screen = Resource::new(
        move || (slug.clone(), draft.clone()),
        |(slug, draft)| api::kit_edit(slug, draft),
    );
    view! {
        <PageTitle text=t(T::KitsAdminTitle)/>
        <section class="kit-edit-page">
            {ok.map(|_| view! { <p class="notice" role="status" id="outcome">{t(T::Saved)}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let error = error.clone();
                    Suspend::new(async move {
                    match screen.await {
                        // A refused save's messages stand at their fields (with a summary
                        // above the form); the joined message is shown only without them.
                        Ok(s) => Either::Left(view! {
                            {error.filter(|_| s.errors.is_empty()).map(|e| view! { <p class="error" role="alert" id="outcome-error">{e}</p> })}
                            {kit_form(s)}
                        }),
                        Err(p) => Either::Right(view! {
                            {error.map(|e| view! { <p class="error" role="alert" id="outcome-error">{e}</p> })}
                            {problem_notice(p, T::KitNotFoundText, T::NotAllowedKit)}
                        }),
                    }
                })}}
            </Suspense>
        </section>
    }
}

fn kit_form(s: KitEditScreen) -> impl IntoView {
    let lang = use_lang();
    let value = |name: &str| {
        s.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.clone())
            .unwrap_or_default()
    };
    let listed = |name: &str| -> Vec<String> {
        value(name)
            .split(';')
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let action = match &s.slug {
        Some(slug) => format!("/beheer/materiaal/{slug}"),
        None => "/beheer/materiaal".to_owned(),
    };
    let heading = match &s.slug {
        Some(_) => value("title"),
        None => T::NewKit.get(lang).to_owned(),
    };
    let errors = s.errors.clone();
    let themes: Vec<(String, String)> = Theme::ALL
        .iter()
        .map(|c| (c.code().to_owned(), c.label(lang).to_owned()))
        .collect();
    let levels: Vec<(String, String)> = Level::ALL
        .iter()
        .map(|c| (c.code().to_owned(), c.label(lang).to_owned()))
        .collect();
    let kinds: Vec<(String, String)> = KitKind::ALL
        .iter()
        .map(|c| (c.code().to_owned(), c.label(lang).to_owned()))
        .collect();
    let kind = value("kind");
    let partner = value("partner");
    let approval = value("needs_approval");
    let slug = s.slug.clone();
    view! {
        <h1>{heading}</h1>
        {(!errors.is_empty()).then(|| view! { <p class="error" role="alert" id="form-errors">{t(T::KitFormErrors)}</p> })}
        <form method="post" action=action class="kit-editor">
            <fieldset class="kit-section">
                <legend>{t(T::KitGeneral)}</legend>
                {slug.is_none().then(|| text_field("slug", &value("slug"), &errors, lang))}
                {text_field("title", &value("title"), &errors, lang)}
                {select_field("kind", &kind, kinds, &errors, lang)}
                {select_field("partner", &partner, s.partners.clone(), &errors, lang)}
                {area_field("summary", &value("summary"), &errors, lang)}
                {area_field("description", &value("description"), &errors, lang)}
                {text_field("external_url", &value("external_url"), &errors, lang)}
            </fieldset>
            {checkboxes("themes", T::KitThemesLegend, None, plain(themes), &listed("themes"), &errors)}
            {checkboxes("levels", T::KitLevelsLegend, None, plain(levels), &listed("levels"), &errors)}
            {checkboxes("pickup_points", T::KitPickupLegend, Some(T::KitPickupHint), s.pickup_points.clone(), &listed("pickup_points"), &errors)}
            {checkboxes("trainings", T::KitTrainingsLegend, Some(T::KitTrainingsHint), s.trainings.clone(), &listed("trainings"), &errors)}
            {parts_table(&s.parts, &errors)}
            {units_table(&s.units, &s.add_units, &s.unit_prefix, &errors, lang)}
            {photos_table(&s.photos, &errors)}
            <fieldset class="kit-section kit-rules">
                <legend>{t(T::KitRulesLegend)}</legend>
                <p class="hint">{t(T::KitRulesHint)}</p>
                {["lead_days", "horizon_days", "min_loan_days", "max_loan_days", "buffer_days", "max_per_school"]
                    .into_iter()
                    .map(|name| number_field(name, &value(name), &errors, lang))
                    .collect_view()}
                {select_field(
                    "needs_approval",
                    &approval,
                    vec![
                        (String::new(), t(T::KitApprovalDefault).to_owned()),
                        ("1".to_owned(), t(T::KitYes).to_owned()),
                        ("0".to_owned(), t(T::KitNo).to_owned()),
                    ],
                    &errors,
                    lang,
                )}
            </fieldset>
            <p><button type="submit" class="button primary save-kit">{t(T::Save)}</button></p>
        </form>
        {s.slug.map(|slug| view! {
            <h2>{t(T::AddPhoto)}</h2>
            <form method="post" action=format!("/beheer/materiaal/{slug}/foto") enctype="multipart/form-data" class="photo-form">
                <p><label for="photo-file">{t(T::PhotoFile)}</label><input id="photo-file" type="file" name="photo" accept="image/png,image/jpeg,image/webp" required=true/></p>
                <p><label for="photo-alt">{t(T::PhotoAlt)}</label><input id="photo-alt" name="alt" maxlength="300"/></p>
                <button type="submit" class="button secondary upload-photo">{t(T::Upload)}</button>
            </form>
            <p><a href=format!("/catalogus/{slug}")>{t(T::ViewInCatalogue)}</a></p>
        })}
    }
}

fn plain(options: Vec<(String, String)>) -> Vec<KitChoice> {
    options
        .into_iter()
        .map(|(value, label)| KitChoice {
            value,
            label,
            group: String::new(),
        })
        .collect()
}

/// A labelled field with its hint and message.
fn field_shell(name: &str, input: AnyView, errors: &[FieldError], lang: Lang) -> impl IntoView {
    let (text, hint) = label(name, lang);
    // The CSV's "1 or 0" hint is for typing; here the answer is chosen.
    let hint = if name == "needs_approval" { "" } else { hint };
    view! {
        <p class="kit-field" data-field=name.to_owned()>
            <label for=format!("kit-{name}")>{text}</label>
            {input}
            {(!hint.is_empty()).then(|| view! { <small class="hint">{hint}</small> })}
            {error_line(errors, name)}
        </p>
    }
}

fn text_field(name: &str, value: &str, errors: &[FieldError], lang: Lang) -> impl IntoView {
    let input = view! {
        <input id=format!("kit-{name}") name=name.to_owned() value=value.to_owned()
            aria-invalid=invalid(errors, name) aria-describedby=described(errors, name)/>
    }
    .into_any();
    field_shell(name, input, errors, lang)
}

fn number_field(name: &str, value: &str, errors: &[FieldError], lang: Lang) -> impl IntoView {
    let input = view! {
        <input id=format!("kit-{name}") name=name.to_owned() value=value.to_owned() inputmode="numeric" class="number"
            aria-invalid=invalid(errors, name) aria-describedby=described(errors, name)/>
    }
    .into_any();
    field_shell(name, input, errors, lang)
}

fn area_field(name: &str, value: &str, errors: &[FieldError], lang: Lang) -> impl IntoView {
    let input =
        view! { <TextArea id=format!("kit-{name}") name=name.to_owned() value=value.to_owned()/> }
            .into_any();
    field_shell(name, input, errors, lang)
}

fn select_field(
    name: &str,
    value: &str,
    options: Vec<(String, String)>,
    errors: &[FieldError],
    lang: Lang,
) -> impl IntoView {
    let known = options.iter().any(|(v, _)| v == value);
    let value = value.to_owned();
    let input = view! {
        <select id=format!("kit-{name}") name=name.to_owned()
            aria-invalid=invalid(errors, name) aria-describedby=described(errors, name)>
            // A stored or typed value the list does not know stays visible (and is refused
            // with its message) instead of silently becoming the first option.
            {(!known && !value.is_empty()).then(|| view! { <option value=value.clone() selected=true>{value.clone()}</option> })}
            {options.into_iter().map(|(v, text)| {
                let selected = v == value;
                view! { <option value=v selected=selected>{text}</option> }
            }).collect_view()}
        </select>
    }
    .into_any();
    field_shell(name, input, errors, lang)
}

/// A group of check boxes posting repeated `name=value` pairs; grouped by partner service
/// when the choices have groups.
fn checkboxes(
    name: &'static str,
    legend: T,
    hint: Option<T>,
    choices: Vec<KitChoice>,
    ticked: &[String],
    errors: &[FieldError],
) -> impl IntoView {
    let mut groups: Vec<(String, Vec<KitChoice>)> = Vec::new();
    for c in choices {
        match groups.iter_mut().find(|(g, _)| *g == c.group) {
            Some((_, list)) => list.push(c),
            None => groups.push((c.group.clone(), vec![c])),
        }
    }
    // Ticked values the lists do not offer (typed in a refused save) stay, with their message.
    let offered: Vec<String> = groups
        .iter()
        .flat_map(|(_, l)| l.iter().map(|c| c.value.clone()))
        .collect();
    let unknown: Vec<String> = ticked
        .iter()
        .filter(|v| !offered.contains(v))
        .cloned()
        .collect();
    let empty = groups.is_empty() && unknown.is_empty();
    let ticked = ticked.to_vec();
    let tick = move |c: KitChoice| {
        let id = format!("kit-{name}-{}", c.value);
        let checked = ticked.contains(&c.value);
        view! {
            <li>
                <input type="checkbox" id=id.clone() name=name value=c.value checked=checked/>
                <label for=id>{c.label}</label>
            </li>
        }
    };
    let tick2 = tick.clone();
    view! {
        <fieldset class="kit-section kit-choices" data-field=name
            aria-describedby=described(errors, name)>
            <legend>{t(legend)}</legend>
            {hint.map(|h| view! { <p class="hint">{t(h)}</p> })}
            {empty.then(|| view! { <p class="hint">{t(T::KitNoChoices)}</p> })}
            {groups.into_iter().map(|(group, list)| {
                let tick = tick.clone();
                view! {
                    {(!group.is_empty()).then(|| view! { <p class="choice-group">{group}</p> })}
                    <ul class="checks">{list.into_iter().map(tick).collect_view()}</ul>
                }
            }).collect_view()}
            {(!unknown.is_empty()).then(|| view! {
                <ul class="checks">{unknown.into_iter().map(|v| tick2(KitChoice { value: v.clone(), label: v, group: String::new() })).collect_view()}</ul>
            })}
            {error_line(errors, name)}
        </fieldset>
    }
}

/// A cell's label: shown above the input on a phone (where the table is stacked), read by
/// screen readers everywhere.
fn cell_label(id: &str, text: T) -> impl IntoView {
    view! { <label class="cell-label" for=id.to_owned()>{t(text)}</label> }
}

fn row_input(
    field: String,
    value: String,
    class: &'static str,
    errors: &[FieldError],
    head: T,
) -> impl IntoView {
    let id = format!("kit-{}", dom(&field));
    view! {
        <td class=format!("col-{class}")>
            {cell_label(&id, head)}
            <input id=id.clone() name=field.clone() value=value
                inputmode=(class == "pos" || class == "count").then_some("numeric")
                aria-invalid=invalid(errors, &field) aria-describedby=described(errors, &field)/>
            {error_line(errors, &field)}
        </td>
    }
}

fn parts_table(rows: &[KitPartRow], errors: &[FieldError]) -> impl IntoView {
    view! {
        <fieldset class="kit-section kit-parts" data-field="parts">
            <legend>{t(T::KitPartsLegend)}</legend>
            <p class="hint">{t(T::KitPartsHint)}</p>
            {error_line(errors, "parts")}
            <table class="kit-rows parts-table">
                <thead><tr>
                    <th scope="col">{t(T::KitPartPos)}</th>
                    <th scope="col">{t(T::KitPartName)}</th>
                    <th scope="col">{t(T::KitPartCount)}</th>
                    <th scope="col">{t(T::KitRemoveRow)}</th>
                </tr></thead>
                <tbody>
                    {rows.iter().enumerate().map(|(i, r)| {
                        let remove = format!("kit-parts-{i}-remove");
                        view! {
                            <tr class="part-row" data-row=i>
                                {row_input(format!("parts.{i}.pos"), r.pos.clone(), "pos", errors, T::KitPartPos)}
                                {row_input(format!("parts.{i}.name"), r.name.clone(), "name", errors, T::KitPartName)}
                                {row_input(format!("parts.{i}.count"), r.count.clone(), "count", errors, T::KitPartCount)}
                                <td class="col-remove">
                                    <input type="checkbox" id=remove.clone() name=format!("parts.{i}.remove") value="1" checked=r.remove/>
                                    <label for=remove>{t(T::KitRemoveRow)}</label>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </fieldset>
    }
}

fn units_table(
    rows: &[KitUnitRow],
    add_units: &str,
    prefix: &str,
    errors: &[FieldError],
    lang: Lang,
) -> impl IntoView {
    let statuses: Vec<(String, String)> = UnitStatus::ALL
        .iter()
        .map(|s| (s.code().to_owned(), s.label(lang).to_owned()))
        .collect();
    view! {
        <fieldset class="kit-section kit-units" data-field="units">
            <legend>{t(T::KitUnitsLegend)}</legend>
            <p class="hint">{t(T::KitUnitsHint)}</p>
            {error_line(errors, "units")}
            <table class="kit-rows units-table">
                <thead><tr>
                    <th scope="col">{t(T::KitUnitCode)}</th>
                    <th scope="col">{t(T::KitUnitStatus)}</th>
                </tr></thead>
                <tbody>
                    {rows.iter().enumerate().map(|(i, r)| {
                        let code_field = format!("units.{i}.code");
                        let status_field = format!("units.{i}.status");
                        let status_id = format!("kit-units-{i}-status");
                        let code_cell = if r.existing {
                            // An existing unit keeps its code (a new label is made on its page).
                            Either::Left(view! {
                                <td class="col-code">
                                    <span class="cell-label">{t(T::KitUnitCode)}</span>
                                    <input type="hidden" name=code_field.clone() value=r.code.clone()/>
                                    <span class="unit-code">{r.code.clone()}</span>
                                    {error_line(errors, &code_field)}
                                </td>
                            })
                        } else {
                            Either::Right(row_input(code_field, r.code.clone(), "code", errors, T::KitUnitCode))
                        };
                        let status = r.status.clone();
                        view! {
                            <tr class="unit-row" data-row=i data-existing=r.existing.to_string()>
                                {code_cell}
                                <td class="col-status">
                                    {cell_label(&status_id, T::KitUnitStatus)}
                                    <select id=status_id.clone() name=status_field.clone()
                                        aria-invalid=invalid(errors, &status_field) aria-describedby=described(errors, &status_field)>
                                        {statuses.iter().map(|(v, text)| view! { <option value=v.clone() selected=*v == status>{text.clone()}</option> }).collect_view()}
                                    </select>
                                    {error_line(errors, &status_field)}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="add-units">
                <p class="kit-field">
                    <label for="kit-add_units">{t(T::KitAddUnits)}</label>
                    <input id="kit-add_units" name="add_units" value=add_units.to_owned() inputmode="numeric" class="number"
                        aria-invalid=invalid(errors, "add_units") aria-describedby=described(errors, "add_units")/>
                    {error_line(errors, "add_units")}
                </p>
                <p class="kit-field">
                    <label for="kit-unit_prefix">{t(T::KitUnitPrefix)}</label>
                    <input id="kit-unit_prefix" name="unit_prefix" value=prefix.to_owned()
                        aria-invalid=invalid(errors, "unit_prefix") aria-describedby=described(errors, "unit_prefix")/>
                    {error_line(errors, "unit_prefix")}
                </p>
                <p class="hint">{t(T::KitAddUnitsHint)}</p>
            </div>
        </fieldset>
    }
}

fn photos_table(rows: &[KitPhotoRow], errors: &[FieldError]) -> impl IntoView {
    view! {
        <fieldset class="kit-section kit-photos" data-field="photos">
            <legend>{t(T::KitPhotosLegend)}</legend>
            {error_line(errors, "photos")}
            {rows.is_empty().then(|| view! { <p class="hint">{t(T::KitNoPhotos)}</p> })}
            {(!rows.is_empty()).then(|| view! {
                <table class="kit-rows photos-table">
                    <thead><tr>
                        <th scope="col">{t(T::KitPhotoUrl)}</th>
                        <th scope="col">{t(T::PhotoAlt)}</th>
                        <th scope="col">{t(T::KitRemoveRow)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.iter().enumerate().map(|(i, r)| {
                            let remove = format!("kit-photos-{i}-remove");
                            let url_field = format!("photos.{i}.url");
                            let safe = leenpunt_shared::html::safe_url(&r.url).map(str::to_owned);
                            view! {
                                <tr class="photo-row" data-row=i>
                                    <td class="col-url">
                                        <span class="cell-label">{t(T::KitPhotoUrl)}</span>
                                        <input type="hidden" name=url_field.clone() value=r.url.clone()/>
                                        {match safe {
                                            Some(src) => Either::Left(view! { <img src=src alt="" class="thumb" width="64" height="48"/> }),
                                            None => Either::Right(view! { <code>{r.url.clone()}</code> }),
                                        }}
                                        {error_line(errors, &url_field)}
                                    </td>
                                    {row_input(format!("photos.{i}.alt"), r.alt.clone(), "alt", errors, T::PhotoAlt)}
                                    <td class="col-remove">
                                        <input type="checkbox" id=remove.clone() name=format!("photos.{i}.remove") value="1" checked=r.remove/>
                                        <label for=remove>{t(T::KitRemoveRow)}</label>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </fieldset>
    }
}
