//! CSV import and export for partner admins and admins: download the catalogue or the
//! closed days, upload a file, see every problem (or what would change), then confirm.
//! Plain forms (multipart upload, POST confirm), server-rendered (no wasm).

use crate::api;
use crate::components::text::PageTitle;
use crate::i18n::{t, T};
use crate::pages::not_found::set_status;
use leenpunt_shared::csv_import::{ImportKind, ImportPreview, ItemChange};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ImportPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let token = query.get("upload");
    let confirmed = query.get("ok").is_some();
    let error = query.get("fout");
    let screen = Resource::new(|| (), move |_| api::csv_import(token.clone()));
    view! {
        <PageTitle text=t(T::ImportTitle)/>
        <section class="import-page">
            <h1>{t(T::ImportTitle)}</h1>
            <p class="hint">{t(T::ImportIntro)}</p>
            {error.map(|e| view! { <p class="error" role="alert" id="outcome-error">{e}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left(view! {
                            {s.upload_missing.then(|| view! { <p class="error" role="alert" id="upload-missing">{t(T::UploadGone)}</p> })}
                            {s.upload.map(|u| view! { <Preview upload=u confirmed=confirmed/> })}
                            <UploadSection kind=ImportKind::Catalogue/>
                            <UploadSection kind=ImportKind::ClosedDays/>
                        }),
                        Err(p) => Either::Right({
                            set_status(p.status);
                            view! { <p class="error" role="alert">{if p.status == 401 { t(T::SignInFirst) } else { t(T::NotAllowed) }}</p> }
                        }),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Download and upload for one kind of file.
#[component]
fn UploadSection(kind: ImportKind) -> impl IntoView {
    let (title, hint, download, action, anchor) = match kind {
        ImportKind::Catalogue => (
            T::ImportCatalogue,
            T::ImportCatalogueHint,
            T::DownloadCatalogue,
            "/beheer/import/catalogus",
            "catalogus",
        ),
        ImportKind::ClosedDays => (
            T::ImportClosedDays,
            T::ImportClosedDaysHint,
            T::DownloadClosedDays,
            "/beheer/import/sluitingsdagen",
            "sluitingsdagen",
        ),
    };
    let input = format!("file-{}", kind.code());
    view! {
        <section class="import-kind" id=anchor data-kind=kind.code()>
            <h2>{t(title)}</h2>
            <p class="hint">{t(hint)}</p>
            <p>
                <a class="button secondary download" href=format!("/api/v1/exports/{}", kind.code()) download=kind.file_name()>{t(download)}</a>
            </p>
            <form method="post" action=action enctype="multipart/form-data" class="upload-form">
                <p>
                    <label for=input.clone()>{t(T::CsvFileLabel)}</label>
                    <input id=input type="file" name="file" accept=".csv,text/csv,text/plain" required=true/>
                </p>
                <button type="submit" class="button primary check-file">{t(T::CheckFile)}</button>
            </form>
        </section>
    }
}

fn change_text(change: ItemChange) -> &'static str {
    match change {
        ItemChange::New => t(T::SummaryNew),
        ItemChange::Changed => t(T::SummaryChanged),
        ItemChange::Unchanged => t(T::SummaryUnchanged),
    }
}

/// An upload: its outcome, its problems, or what it would change and "Confirm import".
#[component]
fn Preview(upload: ImportPreview, confirmed: bool) -> impl IntoView {
    let heading = format!("{} {}", t(T::PreviewOf), upload.file_name);
    let body = if let Some(done) = upload.applied.clone() {
        EitherOf3::A(view! {
            <p class="notice" role="status" id="import-done" data-created=done.created data-updated=done.updated>
                {format!("{}: {} {}, {} {}.", t(T::ImportedCounts), done.created, t(T::CreatedWord), done.updated, t(T::UpdatedWord))}
            </p>
            {(!confirmed).then(|| view! { <p class="hint">{t(T::ImportedEarlier)}</p> })}
            {(upload.kind == ImportKind::Catalogue).then(|| view! {
                <p><a class="button secondary" href="/beheer/materiaal">{t(T::KitsAdminTitle)}</a></p>
            })}
            {(upload.kind == ImportKind::ClosedDays).then(|| view! {
                <p><a class="button secondary" href="/beheer/sluitingsdagen">{t(T::ClosedDaysTitle)}</a></p>
            })}
        })
    } else if !upload.problems.is_empty() {
        let count = upload.problems.len();
        EitherOf3::B(view! {
            <p class="error" role="alert" id="import-problems-count" data-count=count>
                {format!("{count} {}", t(if count == 1 { T::ImportProblemFound } else { T::ImportProblemsFound }))}
            </p>
            <table class="import-problems" tabindex="0">
                <thead><tr>
                    <th scope="col">{t(T::LineLabel)}</th>
                    <th scope="col">{t(T::ColumnLabel)}</th>
                    <th scope="col">{t(T::ProblemLabel)}</th>
                </tr></thead>
                <tbody>
                    {upload.problems.into_iter().map(|p| {
                        let line = if p.line == 0 { t(T::WholeFile).to_owned() } else { p.line.to_string() };
                        view! {
                            <tr data-line=p.line data-column=p.column.clone()>
                                <td>{line}</td>
                                <td>{p.column.clone()}</td>
                                <td>{p.message.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })
    } else {
        let summary =
            upload
                .summary
                .clone()
                .unwrap_or_else(|| leenpunt_shared::csv_import::ImportSummary {
                    new: 0,
                    changed: 0,
                    unchanged: 0,
                    units_added: 0,
                    units_changed: 0,
                    items: Vec::new(),
                });
        let mut parts = vec![
            format!("{} {}", summary.new, t(T::SummaryNew)),
            format!("{} {}", summary.changed, t(T::SummaryChanged)),
            format!("{} {}", summary.unchanged, t(T::SummaryUnchanged)),
        ];
        if upload.kind == ImportKind::Catalogue {
            parts.push(format!(
                "{} {}",
                summary.units_added,
                t(T::SummaryUnitsAdded)
            ));
            parts.push(format!(
                "{} {}",
                summary.units_changed,
                t(T::SummaryUnitsChanged)
            ));
        }
        let changed: Vec<_> = summary
            .items
            .into_iter()
            .filter(|i| i.change != ItemChange::Unchanged)
            .collect();
        let action = format!("/beheer/import/{}/bevestigen", upload.token);
        EitherOf3::C(view! {
            <p class="notice" id="import-summary" data-new=summary.new data-changed=summary.changed data-unchanged=summary.unchanged>
                {parts.join(", ")}{". "}{t(T::NothingWrittenYet)}
            </p>
            {(!changed.is_empty()).then(|| view! {
                <table class="import-items" tabindex="0">
                    <thead><tr>
                        <th scope="col">{t(T::LineLabel)}</th>
                        <th scope="col">{t(T::RowLabel)}</th>
                        <th scope="col">{t(T::ChangeLabel)}</th>
                    </tr></thead>
                    <tbody>
                        {changed.into_iter().map(|i| {
                            let mut what = change_text(i.change).to_owned();
                            if i.units_added > 0 {
                                what.push_str(&format!(", +{} {}", i.units_added, t(T::SummaryUnitsAdded)));
                            }
                            if i.units_changed > 0 {
                                what.push_str(&format!(", {} {}", i.units_changed, t(T::SummaryUnitsChanged)));
                            }
                            view! {
                                <tr data-key=i.key.clone() data-change=format!("{:?}", i.change).to_lowercase()>
                                    <td>{i.line}</td>
                                    <td>{i.title.clone()}</td>
                                    <td>{what}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {if upload.can_confirm {
                Either::Left(view! {
                    <form method="post" action=action class="confirm-form">
                        <button type="submit" class="button primary confirm-import">{t(T::ConfirmImport)}</button>
                    </form>
                })
            } else {
                Either::Right(view! { <p class="error" role="alert" id="preview-expired">{t(T::PreviewExpired)}</p> })
            }}
        })
    };
    view! {
        <section class="import-preview" id="voorbeeld" data-kind=upload.kind.code()>
            <h2>{heading}</h2>
            {body}
        </section>
    }
}
