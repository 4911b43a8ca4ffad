//! A throwaway PostgreSQL for the tests (`cargo xtask test`) and for development
//! (`cargo xtask pg`): Debian's server binaries (installed with apt-get when missing), a
//! cluster in a fresh temporary folder that listens on 127.0.0.1 on a free port only (no
//! unix socket), a password of its own, and the folder removed when it stops.
//!
//! initdb refuses to run as root, and CI runs as root: then the cluster belongs to the
//! `postgres` user the package creates and its commands run through `runuser`.

use crate::tools;
use anyhow::{bail, Context, Result};
use std::io::Read;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Folders are named `<prefix><pid of xtask>`, so a run that was killed can be cleaned up
/// by the next one.
const PREFIX: &str = "leenpunt-pg-";

/// A running cluster; stopped and deleted when dropped (also when the tests failed).
pub struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
    /// `postgres://postgres:…@127.0.0.1:PORT/leenpunt`
    pub url: String,
}

impl Postgres {
    pub fn start() -> Result<Self> {
        let bin = ensure_binaries()?;
        let as_postgres = running_as_root();
        sweep_stale(&bin, as_postgres);
        let dir = std::env::temp_dir().join(format!("{PREFIX}{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        // The folder holds the password: for its owner only.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        // From here on, Drop stops and removes whatever was made.
        let mut pg = Postgres {
            bin,
            dir,
            as_postgres,
            url: String::new(),
        };
        let password = pg.init()?;
        let port = pg.start_on_free_port()?;
        pg.url = pg.create_database(port, &password)?;
        Ok(pg)
    }

    /// Makes the cluster; returns the superuser's password.
    fn init(&self) -> Result<String> {
        let password = random_hex(16)?;
        let pwfile = self.dir.join("pwfile");
        std::fs::write(&pwfile, &password)?;
        if self.as_postgres {
            tools::run(
                Command::new("chown")
                    .args(["-R", "postgres:"])
                    .arg(&self.dir),
            )?;
        }
        tools::step("initdb (a throwaway PostgreSQL for the tests)");
        let status = self
            .command("initdb")
            .arg("-D")
            .arg(self.data())
            .args(["-U", "postgres", "--auth=scram-sha-256", "--no-locale"])
            .args(["-E", "UTF8", "--no-sync"])
            .arg(format!("--pwfile={}", pwfile.display()))
            .stdout(std::process::Stdio::null())
            .status()
            .context("starting initdb")?;
        std::fs::remove_file(&pwfile)?;
        if !status.success() {
            bail!("initdb failed with {status}");
        }
        Ok(password)
    }

    /// A free port can be taken between our look and the server's bind: try a few.
    fn start_on_free_port(&self) -> Result<u16> {
        for _ in 0..3 {
            let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
            // A throwaway cluster: no durability needed, so no fsync.
            let options = format!(
                "-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' \
                 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
                 -c max_connections=200"
            );
            let started = self
                .command("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .arg("-l")
                .arg(self.dir.join("server.log"))
                .args(["-w", "-t", "60", "-o", &options, "start"])
                .stdout(std::process::Stdio::null())
                .status()
                .context("starting pg_ctl")?;
            if started.success() {
                return Ok(port);
            }
        }
        let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        bail!("PostgreSQL did not start:\n{log}")
    }

    fn create_database(&self, port: u16, password: &str) -> Result<String> {
        tools::run(
            Command::new(self.bin.join("createdb"))
                .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres"])
                .args(["-T", "template0", "-E", "UTF8", "--locale=C", "leenpunt"])
                .env("PGPASSWORD", password),
        )?;
        Ok(format!(
            "postgres://postgres:{password}@127.0.0.1:{port}/leenpunt"
        ))
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// One of the server's programs, as the cluster's owner.
    fn command(&self, program: &str) -> Command {
        owner_command(&self.bin, self.as_postgres, program)
    }

    fn stop(&self) {
        if self.data().join("postmaster.pid").exists() {
            let _ = self
                .command("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .args(["-m", "fast", "-w", "stop"])
                .stdout(std::process::Stdio::null())
                .status();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `cargo xtask pg`: a cluster for development until Enter (or Ctrl-D) is pressed. A
/// Ctrl-C leaves it to the next `cargo xtask pg`/`test`, which stops and removes it.
pub fn serve() -> Result<()> {
    let pg = Postgres::start()?;
    println!(
        "\nPostgreSQL is running:\n\n  LEENPUNT_TEST_PG_URL={}\n",
        pg.url
    );
    println!("Press Enter to stop it and delete its data.");
    let mut byte = [0u8; 1];
    let _ = std::io::stdin().read(&mut byte);
    drop(pg);
    Ok(())
}

fn owner_command(bin: &Path, as_postgres: bool, program: &str) -> Command {
    if as_postgres {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(bin.join(program));
        cmd
    } else {
        Command::new(bin.join(program))
    }
}

/// Clusters left by an xtask that was killed (Ctrl-C): stopped and removed.
fn sweep_stale(bin: &Path, as_postgres: bool) {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(PREFIX) else {
            continue;
        };
        if pid.parse::<u32>().is_err() || Path::new("/proc").join(pid).exists() {
            continue;
        }
        let data = entry.path().join("data");
        if data.join("postmaster.pid").exists() {
            let _ = owner_command(bin, as_postgres, "pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-m", "immediate", "-w", "stop"])
                .stdout(std::process::Stdio::null())
                .status();
        }
        let _ = std::fs::remove_dir_all(entry.path());
    }
}

/// The folder with initdb, pg_ctl and createdb; Debian's `postgresql` is installed when
/// there is none (CI runs as root on a fresh machine).
fn ensure_binaries() -> Result<PathBuf> {
    if let Some(dir) = find_binaries() {
        return Ok(dir);
    }
    tools::step("apt-get install postgresql");
    tools::run(Command::new("apt-get").arg("update").arg("-qq"))?;
    tools::run(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "postgresql",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    find_binaries().context("initdb and pg_ctl still missing after installing postgresql")
}

fn find_binaries() -> Option<PathBuf> {
    let complete = |dir: &Path| {
        ["initdb", "pg_ctl", "createdb"]
            .iter()
            .all(|p| dir.join(p).is_file())
    };
    // On PATH (resolved, so createdb is found beside it), then Debian's versioned folders,
    // newest first.
    if let (Some(initdb), Some(_)) = (tools::which("initdb"), tools::which("pg_ctl")) {
        if let Some(dir) = initdb
            .canonicalize()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
        {
            if complete(&dir) {
                return Some(dir);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, dir)| complete(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir)
}

fn running_as_root() -> bool {
    tools::output(Command::new("id").arg("-u"))
        .map(|uid| uid.trim() == "0")
        .unwrap_or(false)
}

fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}
