//! The command line, run as a real process against a fresh data folder.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn leenpunt(data: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leenpunt"))
        .args(args)
        .env("LEENPUNT_DATA_DIR", data)
        .env_remove("LEENPUNT_DATABASE_URL")
        .env_remove("LEENPUNT_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run leenpunt");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn create_the_first_admin() {
    let data = tempfile::tempdir().unwrap();
    let args = [
        "user",
        "create",
        "--admin",
        "--email",
        "Eerste.Beheerder@Provincie.be",
        "--name",
        "Eerste Beheerder",
        "--password-stdin",
    ];
    let out = leenpunt(data.path(), &args, "een lang genoeg wachtwoord\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("eerste.beheerder@provincie.be"));
    let again = leenpunt(data.path(), &args, "een lang genoeg wachtwoord\n");
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already exists"));
    let weak = leenpunt(
        data.path(),
        &[
            "user",
            "create",
            "--email",
            "x@y.be",
            "--name",
            "X",
            "--password-stdin",
        ],
        "kort\n",
    );
    assert_eq!(weak.status.code(), Some(1));
    assert!(text(&weak.stderr).contains("at least 10"));
    let generated = leenpunt(
        data.path(),
        &["user", "create", "--email", "z@y.be", "--name", "Z"],
        "",
    );
    assert!(text(&generated.stdout).contains("password (shown once): "));
}

#[test]
fn a_bad_catalogue_file_is_reported_and_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("bad.csv");
    std::fs::write(&file, "slug,title\nBad Slug,\n").unwrap();
    let out = leenpunt(
        data.path(),
        &["catalogue", "import", file.to_str().unwrap()],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stderr);
    assert!(
        report.contains("kolom 'kind': deze kolom ontbreekt"),
        "{report}"
    );
    assert!(report.contains("er is niets weggeschreven"), "{report}");
    let export = leenpunt(data.path(), &["catalogue", "export", "-"], "");
    assert!(export.status.success());
    assert_eq!(
        text(&export.stdout).lines().count(),
        1,
        "only the header: nothing was imported"
    );
}

#[test]
fn closed_days_are_imported_from_csv() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("vakanties.csv");
    std::fs::write(
        &file,
        "pickup_point,first_day,last_day,reason\n,2028-02-28,2028-03-05,Krokusvakantie\n,2028-04-03,2028-04-16,Paasvakantie\n",
    )
    .unwrap();
    let out = leenpunt(
        data.path(),
        &["closed-days", "import", file.to_str().unwrap()],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("2 created, 0 updated"),
        "{}",
        text(&out.stdout)
    );
    std::fs::write(
        &file,
        "pickup_point,first_day,last_day,reason\nnergens,2028-02-30,,\n",
    )
    .unwrap();
    let out = leenpunt(
        data.path(),
        &["closed-days", "import", file.to_str().unwrap()],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("er is niets weggeschreven"),
        "{}",
        text(&out.stderr)
    );
}
