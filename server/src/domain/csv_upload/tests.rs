use super::*;
use crate::domain::import::{parse_catalogue, References};

#[test]
fn files_that_are_not_utf8_text_are_named_for_what_they_are() {
    assert_eq!(decode(b"").unwrap_err(), FileProblem::Empty);
    assert_eq!(decode(b"\xEF\xBB\xBF \n").unwrap_err(), FileProblem::Empty);
    assert_eq!(
        decode(b"PK\x03\x04rest").unwrap_err(),
        FileProblem::Spreadsheet
    );
    assert_eq!(decode(b"a,b\n\x00\x01").unwrap_err(), FileProblem::Binary);
    assert_eq!(
        decode(b"a,b\nx,caf\xE9\n").unwrap_err(),
        FileProblem::NotUtf8 { line: 2 }
    );
    assert_eq!(
        decode(&vec![b'a'; MAX_BYTES + 1]).unwrap_err(),
        FileProblem::TooLarge
    );
    assert_eq!(decode(b"\xEF\xBB\xBFa,b\n").unwrap(), "a,b\n");
    assert!(FileProblem::NotUtf8 { line: 2 }
        .message(Lang::Nl)
        .contains("regel 2"));
}

#[test]
fn a_semicolon_header_is_said_once() {
    let cols = &["pickup_point", "first_day", "last_day", "reason"];
    let hint = separator_hint("pickup_point;first_day;last_day;reason\n", cols, Lang::En);
    assert!(hint.unwrap().message.contains("';'"));
    assert!(separator_hint("pickup_point,first_day,last_day,reason\n", cols, Lang::En).is_none());
    assert!(separator_hint("whatever\n", cols, Lang::En).is_none());
}

#[test]
fn record_lines_count_quoted_line_breaks() {
    assert_eq!(record_lines("a,b\n1,\"x\ny\"\n2,z\n"), vec![2, 4]);
}

const HEADER: &str = "slug,title,kind,partner,themes,levels,summary,description,parts,pickup_points,trainings,photos,external_url,units,lead_days,horizon_days,min_loan_days,max_loan_days,buffer_days,max_per_school,needs_approval\n";

fn refs() -> References {
    let mut r = References::default();
    r.partners.insert("mos".into());
    r.partners.insert("stem".into());
    r.pickup_points.insert("mos-brugge".into(), "mos".into());
    r.pickup_points.insert("stem-brugge".into(), "stem".into());
    r.units.insert("A-1".into(), "kit-a".into());
    r.kits_with_units.insert("kit-a".into());
    r
}

fn kits(rows: &str) -> Vec<KitInput> {
    parse_catalogue(&format!("{HEADER}{rows}"), &refs()).unwrap()
}

#[test]
fn the_summary_tells_new_changed_and_unchanged_kits_and_units() {
    let now =
        kits("kit-a,Kit A,uitleen,mos,stem;natuur-milieu,lager,,,,mos-brugge,,,,A-1,,,,,,,\n");
    let existing: HashMap<_, _> = [("kit-a".to_owned(), now.into_iter().next())].into();
    let units: HashMap<_, _> = [("A-1".to_owned(), UnitStatus::InService)].into();
    // Same kit, themes in another order: unchanged.
    let same =
        kits("kit-a,Kit A,uitleen,mos,natuur-milieu;stem,lager,,,,mos-brugge,,,,A-1,,,,,,,\n");
    let s = catalogue_summary(&same, &[2], &existing, &units);
    assert_eq!((s.new, s.changed, s.unchanged), (0, 0, 1));
    // A new unit and a new kit.
    let more = kits(
        "kit-a,Kit A,uitleen,mos,stem,lager,,,,mos-brugge,,,,A-1;A-2,,,,,,,\n\
         kit-b,Kit B,uitleen,mos,stem,lager,,,,mos-brugge,,,,B-1,,,,,,,\n",
    );
    let s = catalogue_summary(&more, &[2, 3], &existing, &units);
    assert_eq!((s.new, s.changed, s.unchanged), (1, 1, 0));
    assert_eq!(s.units_added, 2);
    assert_eq!(s.items[1].line, 3);
    assert_eq!(s.items[1].change, ItemChange::New);
}

#[test]
fn partner_admins_import_only_their_own_rows() {
    let rows = kits(
        "kit-a,Kit A,uitleen,mos,stem,lager,,,,mos-brugge,,,,,,,,,,,\n\
         kit-s,Kit S,uitleen,stem,stem,lager,,,,stem-brugge,,,,,,,,,,,\n",
    );
    let owners: HashMap<_, _> = [("kit-a".to_owned(), "stem".to_owned())].into();
    let problems = catalogue_scope(&rows, &[2, 3], &owners, |p| p == "mos", Lang::En);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!((problems[0].line, problems[0].column.as_str()), (2, "slug"));
    assert_eq!(
        (problems[1].line, problems[1].column.as_str()),
        (3, "partner")
    );
}
