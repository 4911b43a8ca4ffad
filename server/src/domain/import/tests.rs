use super::*;
use crate::domain::csv_table::report;
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
        units: [("OLD-1".to_owned(), "andere-kit".to_owned())]
            .into_iter()
            .collect(),
        kits_with_units: ["andere-kit"].map(String::from).into_iter().collect(),
        partner_loan_days: [
            ("stem-rtc".to_owned(), (1, 21)),
            ("mos".to_owned(), (1, 14)),
        ]
        .into_iter()
        .collect(),
    }
}

fn header() -> String {
    CATALOGUE_COLUMNS.join(",")
}

const GOOD: &str = "bee-bot-set,Bee-Bot set,uitleen,stem-rtc,stem,kleuter;lager,Zes robots,\"Een set, met mat.\",Bee-Bot:6;Mat:1,brugge,bee-bot-in-de-klas,/assets/kits/bee-bot.svg|Zes Bee-Bots,,BB-1;BB-2=onderhoud,,,,,,,";

#[test]
fn parses_a_good_row() {
    let csv = format!("{}\n{GOOD}\n", header());
    let kits = parse_catalogue(&csv, &refs()).expect("valid");
    let k = &kits[0];
    assert_eq!(k.slug.as_str(), "bee-bot-set");
    assert_eq!(k.levels, vec![Level::Nursery, Level::Primary]);
    assert_eq!(
        k.parts,
        vec![
            Part {
                name: "Bee-Bot".into(),
                expected_count: 6
            },
            Part {
                name: "Mat".into(),
                expected_count: 1
            }
        ]
    );
    assert_eq!(k.units[1].1, UnitStatus::Maintenance);
    assert_eq!(k.photos[0].alt, "Zes Bee-Bots");
    assert_eq!(k.rules, RuleOverrides::default());
}

#[test]
fn reports_every_bad_cell_of_every_row() {
    let bad1 =
        "Bad Slug,,speelgoed,onbekend,stem;xx,lager,,,Bee-Bot:0,mos-brugge,nope,,,OLD-1,abc,,,,,,2";
    let bad2 = "info,Info,lespakket,mos,natuur-milieu,lager,,,Doos:1,,,,,X-1,,,3,2,,,";
    let csv = format!("{}\n{GOOD}\n{bad1}\n{bad2}\n", header());
    let errors = parse_catalogue(&csv, &refs()).unwrap_err();
    let cells: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    for expected in [
        (3, "slug"),
        (3, "title"),
        (3, "kind"),
        (3, "partner"),
        (3, "themes"),
        (3, "parts"),
        (3, "trainings"),
        (3, "units"),
        (3, "lead_days"),
        (3, "needs_approval"),
        (4, "parts"),
        (4, "units"),
        (4, "external_url"),
        (4, "max_loan_days"),
    ] {
        assert!(
            cells.contains(&expected),
            "missing {expected:?} in {cells:?}"
        );
    }
    assert!(
        !cells.iter().any(|(line, _)| *line == 2),
        "the good row has no errors"
    );
    let text = report(&errors, Lang::Nl);
    assert!(
        text.contains("regel 3, kolom 'kind': onbekende waarde 'speelgoed'"),
        "{text}"
    );
}

#[test]
fn loan_days_are_checked_against_the_partner_defaults() {
    // min 30 with the partner's default max 21.
    let row = GOOD.replace(",,,,,,,", ",,,30,,,,");
    let errors = parse_catalogue(&format!("{}\n{row}\n", header()), &refs()).unwrap_err();
    assert_eq!(
        (errors[0].column.as_str(), errors.len()),
        ("min_loan_days", 1)
    );
}

#[test]
fn photos_must_be_local_and_described() {
    let remote = GOOD.replace(
        "/assets/kits/bee-bot.svg|Zes Bee-Bots",
        "//cdn.example/x.png|X",
    );
    let undescribed = GOOD.replace(
        "/assets/kits/bee-bot.svg|Zes Bee-Bots",
        "/assets/kits/bee-bot.svg",
    );
    for row in [remote, undescribed] {
        let errors = parse_catalogue(&format!("{}\n{row}\n", header()), &refs()).unwrap_err();
        assert_eq!(errors[0].column, "photos");
    }
}

#[test]
fn loan_material_with_units_cannot_become_informative() {
    let row =
        "andere-kit,Andere kit,lespakket,mos,natuur-milieu,lager,,,,,,,https://x.example,,,,,,,,";
    let errors = parse_catalogue(&format!("{}\n{row}\n", header()), &refs()).unwrap_err();
    assert_eq!(
        (errors[0].column.as_str(), &errors[0].issue),
        ("units", &CsvIssue::NotForKind)
    );
}

#[test]
fn pickup_point_of_another_partner_is_refused() {
    let row = GOOD.replace(",brugge,", ",mos-brugge,");
    let errors = parse_catalogue(&format!("{}\n{row}\n", header()), &refs()).unwrap_err();
    assert_eq!(errors[0].issue, CsvIssue::WrongPartner("mos-brugge".into()));
}

#[test]
fn duplicates_within_the_file_are_refused() {
    let csv = format!("{}\n{GOOD}\n{GOOD}\n", header());
    let errors = parse_catalogue(&csv, &refs()).unwrap_err();
    assert!(errors.iter().any(|e| e.line == 3 && e.column == "slug"));
    assert!(errors.iter().any(|e| e.line == 3 && e.column == "units"));
}

#[test]
fn missing_columns_are_reported_once() {
    let errors = parse_catalogue("slug,title\nx,y\n", &refs()).unwrap_err();
    assert!(errors
        .iter()
        .all(|e| e.line == 1 && e.issue == CsvIssue::MissingColumn));
    assert_eq!(errors.len(), CATALOGUE_COLUMNS.len() - 2);
}

#[test]
fn schools_validate_the_instellingsnummer() {
    let csv = "instellingsnummer,name,street,postcode,municipality,network,levels\n\
               1412,VBS De Bolster,Kerkstraat 1,8000,Brugge,katholiek,kleuter;lager\n\
               12a,X,,,,go,lager\n\
               001412,Dubbel,,,,go,lager\n";
    let errors = parse_schools(csv).unwrap_err();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        (errors[0].line, errors[0].column.as_str()),
        (3, "instellingsnummer")
    );
    assert!(matches!(errors[1].issue, CsvIssue::Duplicate(_)));
}

#[test]
fn closed_days_are_checked_row_by_row() {
    let points: HashSet<String> = ["stem-rtc-brugge".to_owned()].into();
    let ok = "pickup_point,first_day,last_day,reason\n,2027-02-15,2027-02-21,Krokusvakantie\nstem-rtc-brugge,2027-03-03,,Inventaris\n";
    let rows = parse_closed_days(ok, &points).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].pickup_point, None);
    assert_eq!(rows[1].period.first, rows[1].period.last);
    let bad = "pickup_point,first_day,last_day,reason\nnergens,2027-02-30,,\n,2027-03-10,2027-03-01,Omgekeerd\n,,,Leeg\n";
    let errors = parse_closed_days(bad, &points).unwrap_err();
    let cells: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert!(cells.contains(&(2, "pickup_point")), "{cells:?}");
    assert!(cells.contains(&(2, "first_day")));
    assert!(cells.contains(&(2, "reason")));
    assert!(cells.contains(&(3, "last_day")));
    assert!(cells.contains(&(4, "first_day")));
}

#[test]
fn partner_websites_must_be_web_links() {
    let header = PARTNER_COLUMNS.join(",");
    for (website, ok) in [
        ("https://mos.example/klas", true),
        ("http://mos.example", true),
        ("javascript:alert(1)", false),
        ("JavaScript:alert(1)", false),
        ("data:text/html,x", false),
        ("//mos.example", false),
    ] {
        let csv = format!("{header}\nmos,MOS,,{website},,,,,,,,,,\n");
        assert_eq!(parse_partners(&csv).is_ok(), ok, "{website}");
    }
}

#[test]
fn partner_reminder_days_are_optional_and_bounded() {
    let old_header = PARTNER_COLUMNS[..PARTNER_COLUMNS.len() - 1].join(",");
    let rows = parse_partners(&format!("{old_header}\nmos,MOS,,,,,,,,,,,\n")).unwrap();
    assert_eq!(
        rows[0].pickup_reminder_days, None,
        "a file without the column"
    );
    let header = PARTNER_COLUMNS.join(",");
    let rows = parse_partners(&format!("{header}\nmos,MOS,,,,,,,,,,,,3\n")).unwrap();
    assert_eq!(rows[0].pickup_reminder_days, Some(3));
    let errors = parse_partners(&format!("{header}\nmos,MOS,,,,,,,,,,,,11\n")).unwrap_err();
    assert_eq!(errors[0].column, "pickup_reminder_days");
}
