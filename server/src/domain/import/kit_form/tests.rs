use super::*;
use crate::domain::import::parse_catalogue;
use leenpunt_shared::Lang;

fn refs() -> References {
    References {
        partners: ["stem-rtc", "mos"].map(String::from).into_iter().collect(),
        pickup_points: [("brugge", "stem-rtc"), ("mos-brugge", "mos")]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .into_iter()
            .collect(),
        trainings: ["bee-bot-in-de-klas"]
            .map(String::from)
            .into_iter()
            .collect(),
        units: [
            ("OLD-1".to_owned(), "andere-kit".to_owned()),
            ("BB-07".to_owned(), "bee-bot-set".to_owned()),
        ]
        .into_iter()
        .collect(),
        kits_with_units: ["andere-kit", "bee-bot-set"]
            .map(String::from)
            .into_iter()
            .collect(),
        partner_loan_days: [("stem-rtc".to_owned(), (1, 21))].into_iter().collect(),
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The form of the import tests' good row, as the editor posts it.
fn good() -> Vec<(String, String)> {
    pairs(&[
        ("slug", "bee-bot-set"),
        ("title", "Bee-Bot set"),
        ("kind", "uitleen"),
        ("partner", "stem-rtc"),
        ("themes", "stem"),
        ("levels", "kleuter"),
        ("levels", "lager"),
        ("summary", "Zes robots"),
        ("description", "Een set, met mat."),
        ("parts.0.name", "Bee-Bot"),
        ("parts.0.count", "6"),
        ("parts.0.pos", "1"),
        ("parts.1.name", "Mat"),
        ("parts.1.count", "1"),
        ("parts.1.pos", "2"),
        ("parts.2.name", ""),
        ("parts.2.count", ""),
        ("parts.2.pos", "3"),
        ("pickup_points", "brugge"),
        ("trainings", "bee-bot-in-de-klas"),
        ("photos.0.url", "/assets/kits/bee-bot.svg"),
        ("photos.0.alt", "Zes Bee-Bots"),
        ("units.0.code", "BB-1"),
        ("units.0.status", "in-dienst"),
        ("units.1.code", "BB-2"),
        ("units.1.status", "onderhoud"),
        ("units.2.code", ""),
        ("units.2.status", "in-dienst"),
        ("add_units", ""),
        ("unit_prefix", "BB-"),
        ("lead_days", ""),
        ("needs_approval", ""),
    ])
}

fn set(form: &mut Vec<(String, String)>, key: &str, value: &str) {
    match form.iter_mut().find(|(k, _)| k == key) {
        Some(pair) => pair.1 = value.to_owned(),
        None => form.push((key.to_owned(), value.to_owned())),
    }
}

fn errors(form: &[(String, String)]) -> Vec<(String, String)> {
    parse_kit_form(&KitForm::from_pairs(form), &refs())
        .unwrap_err()
        .into_iter()
        .map(|e| (e.column.clone(), e.issue.message(Lang::Nl)))
        .collect()
}

#[test]
fn the_form_and_the_csv_row_give_the_same_kit() {
    let header = CATALOGUE_COLUMNS.join(",");
    let csv = format!("{header}\nbee-bot-set,Bee-Bot set,uitleen,stem-rtc,stem,kleuter;lager,Zes robots,\"Een set, met mat.\",Bee-Bot:6;Mat:1,brugge,bee-bot-in-de-klas,/assets/kits/bee-bot.svg|Zes Bee-Bots,,BB-1;BB-2=onderhoud,,,,,,,\n");
    let from_csv = parse_catalogue(&csv, &refs()).unwrap().remove(0);
    let from_form = parse_kit_form(&KitForm::from_pairs(&good()), &refs()).unwrap();
    assert_eq!(from_form, from_csv);
}

#[test]
fn contents_rows_are_removed_and_reordered_by_position() {
    let mut form = good();
    set(&mut form, "parts.2.name", "Laadstation");
    set(&mut form, "parts.2.count", "1");
    set(&mut form, "parts.2.pos", "1");
    set(&mut form, "parts.1.remove", "1");
    let kit = parse_kit_form(&KitForm::from_pairs(&form), &refs()).unwrap();
    let names: Vec<&str> = kit.parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["Laadstation", "Bee-Bot"],
        "moved to 1: before the row at 1"
    );
}

#[test]
fn a_bad_contents_row_is_named_by_row_and_field() {
    let mut form = good();
    set(&mut form, "parts.1.count", "nul");
    set(&mut form, "parts.2.name", "Kabel; USB");
    set(&mut form, "parts.2.count", "0");
    let e = errors(&form);
    assert!(
        e.iter()
            .any(|(f, m)| f == "parts.1.count" && m.contains("'nul' is geen aantal")),
        "{e:?}"
    );
    assert!(e.iter().any(|(f, _)| f == "parts.2.name"), "{e:?}");
    assert!(e.iter().any(|(f, _)| f == "parts.2.count"), "{e:?}");
}

#[test]
fn a_unit_code_of_another_kit_says_so_and_a_repeated_one_is_a_duplicate() {
    let mut form = good();
    set(&mut form, "units.2.code", "old-1");
    let e = errors(&form);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "units.2.code");
    assert_eq!(
        e[0].1,
        "'OLD-1' is al een exemplaar van ander materiaal (andere-kit); kies een andere code"
    );
    set(&mut form, "units.2.code", "BB-1");
    let e = errors(&form);
    assert_eq!(
        e,
        [(
            "units.2.code".to_owned(),
            "'BB-1' komt meer dan eens voor".to_owned()
        )]
    );
    set(&mut form, "units.2.code", "BB 1");
    assert_eq!(errors(&form)[0].0, "units.2.code");
    // The kit's own units are its own, not another kit's.
    set(&mut form, "units.2.code", "BB-07");
    assert!(parse_kit_form(&KitForm::from_pairs(&form), &refs()).is_ok());
}

#[test]
fn the_csv_import_names_a_unit_of_another_kit_too() {
    let header = CATALOGUE_COLUMNS.join(",");
    let csv = format!("{header}\nbee-bot-set,Bee-Bot set,uitleen,stem-rtc,stem,lager,,,,brugge,,,,OLD-1;BB-1;BB-1,,,,,,,\n");
    let errors = parse_catalogue(&csv, &refs()).unwrap_err();
    let issues: Vec<&CsvIssue> = errors.iter().map(|e| &e.issue).collect();
    assert_eq!(
        issues,
        [
            &CsvIssue::UnitOfOtherKit("OLD-1".into(), "andere-kit".into()),
            &CsvIssue::Duplicate("BB-1".into())
        ]
    );
    assert!(errors.iter().all(|e| e.column == "units"));
}

#[test]
fn add_n_units_continues_the_series() {
    let mut form = good();
    set(&mut form, "add_units", "3");
    set(&mut form, "unit_prefix", "bb-");
    let kit = parse_kit_form(&KitForm::from_pairs(&form), &refs()).unwrap();
    let codes: Vec<&str> = kit.units.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["BB-1", "BB-2", "BB-08", "BB-09", "BB-10"]);
    set(&mut form, "add_units", "101");
    assert_eq!(errors(&form)[0].0, "add_units");
    set(&mut form, "add_units", "twee");
    assert_eq!(errors(&form)[0].0, "add_units");
    set(&mut form, "add_units", "2");
    set(&mut form, "unit_prefix", "");
    assert_eq!(errors(&form)[0].0, "unit_prefix");
    set(&mut form, "unit_prefix", "B B");
    assert_eq!(errors(&form)[0].0, "unit_prefix");
}

#[test]
fn next_codes_skip_taken_codes_and_keep_the_width() {
    let existing = ["MA-01", "MA-002", "X-9"];
    let codes = next_codes("MA-", 2, existing.into_iter(), |c| c == "MA-003");
    assert_eq!(codes, ["MA-004", "MA-005"]);
    assert_eq!(next_codes("N-", 1, std::iter::empty(), |_| false), ["N-01"]);
    assert_eq!(
        suggested_prefix("bee-bot-set", &["BB-K-01", "BB-K-05"]),
        "BB-K-"
    );
    assert_eq!(suggested_prefix("mos-afvalsorteerkoffer", &[]), "MA-");
}

#[test]
fn checkbox_lists_and_kit_level_rules_keep_their_columns() {
    let mut form = good();
    form.retain(|(k, _)| k != "themes" && k != "pickup_points");
    set(&mut form, "title", "");
    set(&mut form, "lead_days", "drie");
    let fields: Vec<String> = errors(&form).into_iter().map(|(f, _)| f).collect();
    for f in ["title", "themes", "pickup_points", "lead_days"] {
        assert!(fields.contains(&f.to_owned()), "{f}: {fields:?}");
    }
    let mut form = good();
    set(&mut form, "kind", "leskist");
    let e = errors(&form);
    assert!(
        e.iter()
            .any(|(f, m)| f == "kind" && m.contains("uitleen, lespakket, bezoek")),
        "{e:?}"
    );
}

#[test]
fn the_csv_units_cell_and_add_n_units_go_together() {
    let mut form: Vec<(String, String)> = good()
        .into_iter()
        .filter(|(k, _)| !k.starts_with("units."))
        .collect();
    set(&mut form, "units", "BB-1;BB-2=onderhoud");
    set(&mut form, "add_units", "1");
    let kit = parse_kit_form(&KitForm::from_pairs(&form), &refs()).unwrap();
    let codes: Vec<&str> = kit.units.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["BB-1", "BB-2", "BB-08"]);
    assert_eq!(kit.units[1].1, UnitStatus::Maintenance);
}
