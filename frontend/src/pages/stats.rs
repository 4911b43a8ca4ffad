//! "In cijfers": the managers' report (`/beheer/cijfers`) and the public figures
//! (`/in-cijfers`). Server-rendered, no island: every chart is an SVG drawn on the server,
//! with its title, a text description and its data table beside it.

use crate::api;
use crate::components::chart::{bar_chart, Bar, ChartText};
use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::set_status;
use leenpunt_shared::labels::human_date;
use leenpunt_shared::query::encode_component;
use leenpunt_shared::stats::{StatsRow, StatsTable, StatsTableId};
use leenpunt_shared::Lang;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// How many rows a chart draws (the table lists them all).
const CHART_ROWS: usize = 12;

fn table_title(id: StatsTableId) -> T {
    match id {
        StatsTableId::Kits => T::StatsKits,
        StatsTableId::Partners => T::StatsPartners,
        StatsTableId::Groups => T::StatsGroups,
        StatsTableId::Municipalities => T::StatsMunicipalities,
        StatsTableId::Utilisation => T::StatsUtilisation,
        StatsTableId::Weeks => T::StatsWeeks,
        StatsTableId::Demand => T::StatsDemand,
        StatsTableId::Quality => T::StatsQuality,
        StatsTableId::Trainings => T::StatsTrainings,
    }
}

fn table_explanation(id: StatsTableId) -> T {
    match id {
        StatsTableId::Kits => T::StatsKitsHint,
        StatsTableId::Partners => T::StatsPartnersHint,
        StatsTableId::Groups => T::StatsGroupsHint,
        StatsTableId::Municipalities => T::StatsMunicipalitiesHint,
        StatsTableId::Utilisation => T::StatsUtilisationHint,
        StatsTableId::Weeks => T::StatsWeeksHint,
        StatsTableId::Demand => T::StatsDemandHint,
        StatsTableId::Quality => T::StatsQualityHint,
        StatsTableId::Trainings => T::StatsTrainingsHint,
    }
}

fn key_column(id: StatsTableId) -> T {
    match id {
        StatsTableId::Kits | StatsTableId::Utilisation | StatsTableId::Demand => T::StatsColKit,
        StatsTableId::Partners => T::StatsColPartner,
        StatsTableId::Groups => T::StatsColGroup,
        StatsTableId::Municipalities => T::StatsColMunicipality,
        StatsTableId::Weeks => T::StatsColWeek,
        StatsTableId::Quality | StatsTableId::Trainings => T::StatsColMeasure,
    }
}

fn column(code: &str) -> &'static str {
    t(match code {
        "loans" => T::StatsColLoans,
        "unit_days" => T::StatsColUnitDays,
        "schools" => T::StatsColSchools,
        "utilisation_percent" => T::StatsColUtilisation,
        "unit_days_out" => T::StatsColDaysOut,
        "unit_days_in_service" => T::StatsColDaysInService,
        "waiting_list" => T::StatsColWaiting,
        "offers" => T::StatsColOffers,
        "accepted" => T::StatsColAccepted,
        "value" => T::StatsColValue,
        _ => T::StatsColOther,
    })
}

fn range(from: &str, to: &str, lang: Lang) -> String {
    format!("{} – {}", human_date(from, lang), human_date(to, lang))
}

/// The chart's text description: what it shows and its largest figures in words.
fn description(table: &StatsTable, lang: Lang, before: &str) -> String {
    let first = table.columns.first().map(String::as_str).unwrap_or("");
    let rows: Vec<String> = table
        .rows
        .iter()
        .take(5)
        .map(|r| {
            format!(
                "{}: {} ({before}: {})",
                r.label,
                r.values.first().copied().unwrap_or(0),
                r.previous.first().copied().unwrap_or(0)
            )
        })
        .collect();
    let lead = if lang == Lang::Nl {
        format!("{} per rij, de grootste eerst", column(first))
    } else {
        format!("{} per row, largest first", column(first))
    };
    if rows.is_empty() {
        format!("{lead}. {}", t(T::StatsNothing))
    } else {
        format!("{lead}. {}.", rows.join("; "))
    }
}

fn row_cells(row: &StatsRow) -> impl IntoView {
    let cells = row
        .values
        .iter()
        .chain(row.previous.iter())
        .enumerate()
        .map(|(i, v)| {
            let class = if i >= row.values.len() {
                "num previous"
            } else {
                "num"
            };
            view! { <td class=class>{v.to_string()}</td> }
        })
        .collect_view();
    view! {
        <th scope="row">{row.label.clone()}</th>
        {cells}
    }
}

/// One table as a section: heading, explanation, chart (SVG) and the data table, with a CSV
/// link when given.
fn table_section(
    table: StatsTable,
    lang: Lang,
    now: String,
    before: String,
    csv: Option<String>,
) -> impl IntoView {
    let id = table.id;
    let title = t(table_title(id));
    let bars: Vec<Bar> = table
        .rows
        .iter()
        .take(CHART_ROWS)
        .map(|r| Bar {
            label: r.label.clone(),
            now: r.values.first().copied().unwrap_or(0),
            before: r.previous.first().copied().unwrap_or(0),
        })
        .collect();
    // Measures of different kinds (counts, hours, per cent) share no scale: table only.
    let measures = matches!(id, StatsTableId::Quality | StatsTableId::Trainings);
    let desc = description(&table, lang, &before);
    let chart = (!measures).then(|| {
        let svg = bar_chart(
            &format!("chart-{}", id.code()),
            &ChartText {
                title,
                description: &desc,
                now: &now,
                before: &before,
            },
            &bars,
        );
        view! {
            <figure class="stats-chart">
                <div inner_html=svg></div>
                <figcaption>{desc.clone()}</figcaption>
            </figure>
        }
    });
    let heads = table
        .columns
        .iter()
        .map(|c| (column(c).to_owned(), "num"))
        .chain(table.columns.iter().map(|c| {
            (
                format!("{} ({})", column(c), t(T::StatsPrevious)),
                "num previous",
            )
        }))
        .map(|(text, class)| view! { <th scope="col" class=class>{text}</th> })
        .collect_view();
    let empty = table.rows.is_empty();
    view! {
        <section class="stats-table" data-table=id.code() aria-labelledby=format!("h-{}", id.code())>
            <h2 id=format!("h-{}", id.code())>{title}</h2>
            <p class="hint">{t(table_explanation(id))}</p>
            <div class="stats-pair">
                {chart}
                <div class="stats-data">
                    {if empty {
                        Either::Left(view! { <p class="empty">{t(T::StatsNothing)}</p> })
                    } else {
                        Either::Right(view! {
                            <table class="closed-days stats" tabindex="0">
                                <caption>{title}</caption>
                                <thead><tr><th scope="col">{t(key_column(id))}</th>{heads}</tr></thead>
                                <tbody>
                                    {table.rows.iter().map(|r| view! { <tr data-key=r.key.clone()>{row_cells(r)}</tr> }).collect_view()}
                                </tbody>
                            </table>
                        })
                    }}
                    {csv.map(|href| view! {
                        <p class="no-print"><a class="csv-link" href=href download>{format!("{} ({})", t(T::StatsCsv), title)}</a></p>
                    })}
                </div>
            </div>
        </section>
    }
}

/// The three totals as tiles: loans, unit-days, schools reached, with the previous period.
fn totals(row: &StatsRow, before: &str) -> impl IntoView {
    let names = [T::StatsColLoans, T::StatsColUnitDays, T::StatsColSchools];
    view! {
        <ul class="stats-totals">
            {names.into_iter().enumerate().map(|(i, name)| view! {
                <li class="stats-total" data-total=i.to_string()>
                    <strong>{row.values.get(i).copied().unwrap_or(0).to_string()}</strong>
                    <span>{t(name)}</span>
                    <small>{format!("{before}: {}", row.previous.get(i).copied().unwrap_or(0))}</small>
                </li>
            }).collect_view()}
        </ul>
    }
}

fn refused(status: u16) -> impl IntoView {
    set_status(status);
    view! { <p class="error" role="alert">{if status == 401 { t(T::SignInFirst) } else { t(T::NotAllowed) }}</p> }
}

/// The managers' report: a period form, the totals, and every table with its chart.
#[component]
pub fn StatsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map().get_untracked();
    let (from, to) = (
        query.get("van").filter(|s| !s.trim().is_empty()),
        query.get("tot").filter(|s| !s.trim().is_empty()),
    );
    let (typed_from, typed_to) = (
        from.clone().unwrap_or_default(),
        to.clone().unwrap_or_default(),
    );
    let report = Resource::new(
        move || (from.clone(), to.clone()),
        |(f, tt)| api::stats(f, tt),
    );
    view! {
        <PageTitle text=t(T::StatsTitle)/>
        <section class="stats-page">
            <h1>{t(T::StatsTitle)}</h1>
            <p class="hint">{t(T::StatsIntro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let (typed_from, typed_to) = (typed_from.clone(), typed_to.clone());
                    Suspend::new(async move {
                    match report.await {
                        Ok(r) => {
                            let now = range(&r.from, &r.to, lang);
                            let before = range(&r.previous_from, &r.previous_to, lang);
                            let period = format!("van={}&tot={}", r.from, r.to);
                            let scope = if r.partners.is_empty() {
                                t(T::StatsScopeAll).to_owned()
                            } else {
                                format!("{}: {}", t(T::StatsScopeOwn), r.partners.join(", "))
                            };
                            let csv_of = |id: StatsTableId| {
                                format!("/api/v1/stats/csv?table={}&from={}&to={}", id.code(), encode_component(&r.from), encode_component(&r.to))
                            };
                            let sections = r.tables.clone().into_iter().map(|table| {
                                let csv = csv_of(table.id);
                                table_section(table, lang, now.clone(), before.clone(), Some(csv))
                            }).collect_view();
                            Either::Left(view! {
                                {period_form(&r.from, &r.to)}
                                <p class="stats-scope">{scope}</p>
                                <p class="stats-period" data-from=r.from.clone() data-to=r.to.clone()>
                                    <strong>{now.clone()}</strong>
                                    {format!(" {} {before}", t(T::StatsComparedWith))}
                                </p>
                                <p class="hint no-print">{t(T::StatsPrintHint)}</p>
                                <p class="no-print"><a href=format!("/beheer/cijfers?{period}") class="stats-permalink">{t(T::StatsLink)}</a></p>
                                {totals(&r.totals, &before)}
                                {sections}
                            })
                        }
                        Err(p) if p.status == 422 => {
                            set_status(422);
                            let messages = p.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" ");
                            Either::Right(Either::Left(view! {
                                {period_form(&typed_from, &typed_to)}
                                <p class="error" role="alert">{messages}</p>
                            }))
                        }
                        Err(p) => Either::Right(Either::Right(refused(p.status))),
                    }
                })}}
            </Suspense>
        </section>
    }
}

/// The period form (a GET form, no script): from, to, and the school-year shortcuts.
fn period_form(from: &str, to: &str) -> impl IntoView {
    // The school year (from 1 September) the period starts in.
    let start_year = from
        .get(0..4)
        .and_then(|y| y.parse::<i32>().ok())
        .zip(from.get(5..7).and_then(|m| m.parse::<u32>().ok()));
    let year_links = start_year.map(|(year, month)| {
        let start = if month >= 9 { year } else { year - 1 };
        let link = |y: i32| format!("/beheer/cijfers?van={y}-09-01&tot={}-08-31", y + 1);
        view! {
            <p class="stats-years no-print">
                <a href=link(start - 1) class="stats-previous-year">{t(T::StatsPreviousYear)}</a>
                " · "
                <a href="/beheer/cijfers" class="stats-this-year">{t(T::StatsThisYear)}</a>
            </p>
        }
    });
    view! {
        <form method="get" action="/beheer/cijfers" class="stats-form no-print">
            <div>
                <label for="stats-from">{t(T::StatsFrom)}</label>
                <input type="date" id="stats-from" name="van" value=from.to_owned()/>
            </div>
            <div>
                <label for="stats-to">{t(T::StatsTo)}</label>
                <input type="date" id="stats-to" name="tot" value=to.to_owned()/>
            </div>
            <button type="submit" class="button">{t(T::StatsShow)}</button>
        </form>
        {year_links}
    }
}

/// The public figures of the last school year, like the brochure's "In cijfers".
#[component]
pub fn PublicStatsPage() -> impl IntoView {
    let lang = use_lang();
    let figures = Resource::new(|| (), |_| api::public_stats());
    view! {
        <PageTitle text=t(T::PublicStatsTitle)/>
        <section class="stats-page public-stats">
            <h1>{t(T::PublicStatsTitle)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match figures.await {
                        Ok(f) => {
                            let now = range(&f.from, &f.to, lang);
                            let before = t(T::StatsYearBefore).to_owned();
                            Either::Left(view! {
                                <p class="hint">{format!("{} {now}.", t(T::PublicStatsIntro))}</p>
                                {totals(&f.totals, &before)}
                                {f.tables.into_iter().map(|table| table_section(table, lang, now.clone(), before.clone(), None)).collect_view()}
                            })
                        }
                        Err(p) => Either::Right(refused(p.status)),
                    }
                })}
            </Suspense>
        </section>
    }
}
