//! The three calendar parsers the feed tests read iCalendar text with (Python's
//! icalendar, Mozilla's ical.js and libical with its restriction checks), for test files
//! other than api_feeds.rs (which keeps its own copy), and a reader of one event's
//! properties.

use std::process::Command;

/// Parses a calendar with Python's icalendar; returns (UID, DTSTART as ISO, DTEND as ISO,
/// STATUS, SUMMARY) per event.
pub fn python_events(ics: &str) -> Vec<Vec<String>> {
    let script = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = []
for e in cal.walk('VEVENT'):
    out.append([str(e['UID']), e.decoded('DTSTART').isoformat(), e.decoded('DTEND').isoformat(), str(e['STATUS']), str(e['SUMMARY'])])
print(json.dumps(out))
"#;
    run_parser(Command::new("/usr/bin/python3").args(["-c", script]), ics)
}

/// Parses a calendar with ical.js; returns (UID, start as UTC ISO or date, end, STATUS,
/// SUMMARY) per event.
pub fn icaljs_events(ics: &str) -> Vec<Vec<String>> {
    let module = std::env::var("LEENPUNT_TEST_ICALJS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/tools/node_modules/ical.js"
        )
        .to_owned()
    });
    let script = format!(
        r#"
import ICAL from '{module}/dist/ical.js';
let text = '';
process.stdin.on('data', d => text += d);
process.stdin.on('end', () => {{
  const comp = new ICAL.Component(ICAL.parse(text));
  for (const tz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const out = comp.getAllSubcomponents('vevent').map(v => {{
    const e = new ICAL.Event(v);
    const iso = t => t.isDate ? t.toString() : t.toJSDate().toISOString();
    return [e.uid, iso(e.startDate), iso(e.endDate), v.getFirstPropertyValue('status'), e.summary];
  }});
  console.log(JSON.stringify(out));
}});
"#
    );
    run_parser(
        Command::new("node").args(["--input-type=module", "-e", &script]),
        ics,
    )
}

/// libical (Debian's `libical3` through its GObject binding `gir1.2-ical-3.0`): parses the
/// calendar, runs its RFC 5545/5546 restriction checks and returns every error it reports
/// (the `X-LIC-ERROR` properties it adds), as "COMPONENT: message".
pub fn libical_errors(ics: &str) -> Vec<String> {
    let script = r#"
import sys, json, gi
gi.require_version('ICalGLib', '3.0')
from gi.repository import ICalGLib as ICal
comp = ICal.Parser.parse_string(sys.stdin.buffer.read().decode('utf-8'))
if comp is None:
    print(json.dumps(['no calendar parsed']))
    sys.exit(0)
ICal.restriction_check(comp)
errors = []
def walk(c):
    p = c.get_first_property(ICal.PropertyKind.XLICERROR_PROPERTY)
    while p is not None:
        errors.append(ICal.Component.kind_to_string(c.isa()) + ': ' + p.get_xlicerror())
        p = c.get_next_property(ICal.PropertyKind.XLICERROR_PROPERTY)
    s = c.get_first_component(ICal.ComponentKind.ANY_COMPONENT)
    while s is not None:
        walk(s)
        s = c.get_next_component(ICal.ComponentKind.ANY_COMPONENT)
walk(comp)
if comp.count_errors() != len(errors):
    errors.append('count_errors says %d' % comp.count_errors())
print(json.dumps(errors))
"#;
    let python =
        std::env::var("LEENPUNT_TEST_LIBICAL").unwrap_or_else(|_| "/usr/bin/python3".to_owned());
    run_parser(Command::new(python).args(["-c", script]), ics)
}

/// A feed as all three parsers read it: no libical error, the same events in the other two.
pub fn assert_valid(ics: &str) -> usize {
    assert_eq!(libical_errors(ics), Vec::<String>::new(), "{ics}");
    let python = python_events(ics);
    assert_eq!(python.len(), icaljs_events(ics).len());
    python.len()
}

fn run_parser<T: serde::de::DeserializeOwned>(cmd: &mut Command, ics: &str) -> T {
    use std::io::Write;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the calendar parsers are installed by `cargo xtask test`");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ics.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "parser failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("parser output")
}

/// The events of a calendar as raw property maps (lines unfolded, TEXT values unescaped),
/// by UID: enough to read SEQUENCE, LAST-MODIFIED, DESCRIPTION and the like.
pub fn events(
    ics: &str,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> {
    let unfolded = ics.replace("\r\n ", "");
    let mut out = std::collections::BTreeMap::new();
    let mut current: Option<std::collections::BTreeMap<String, String>> = None;
    for line in unfolded.split("\r\n") {
        match line {
            "BEGIN:VEVENT" => current = Some(Default::default()),
            "END:VEVENT" => {
                if let Some(e) = current.take() {
                    out.insert(e.get("UID").cloned().unwrap_or_default(), e);
                }
            }
            _ => {
                if let (Some(e), Some((name, value))) = (current.as_mut(), line.split_once(':')) {
                    let name = name.split(';').next().unwrap_or(name).to_owned();
                    let value = value
                        .replace("\\n", "\n")
                        .replace("\\,", ",")
                        .replace("\\;", ";")
                        .replace("\\\\", "\\");
                    e.insert(name, value);
                }
            }
        }
    }
    out
}
