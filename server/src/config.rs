//! Configuration: defaults, then an optional TOML file, then `LEENPUNT_*` variables.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Human,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Folder for the embedded database and other state.
    pub data_dir: PathBuf,
    /// Database URL; defaults to an SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// The address people reach the service at (used in links, QR codes, feeds).
    pub public_url: Option<String>,
    /// Folder with the built front end (wasm, js, css) when not embedded.
    pub site_dir: PathBuf,
    pub log_format: LogFormat,
    /// Load the demo data into an empty database at start.
    pub demo_data: bool,
    /// SMTP server for outgoing mail, e.g. `smtp://relay.example:25`. Without one, mail
    /// stays in the outbox and admins read it in the development mailbox.
    pub smtp_url: Option<String>,
    /// The sender of outgoing mail.
    pub mail_from: String,
    /// Open client connections at most (keep it well below the process's open-file limit).
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers, also on an idle kept-alive
    /// connection; slower and idle connections are closed.
    pub header_timeout_secs: u64,
    /// Reverse proxies (addresses or CIDR ranges, e.g. `10.0.0.0/8`) whose
    /// `X-Forwarded-For` is believed for the client address. None by default: the
    /// socket's peer is the client.
    pub trusted_proxies: Vec<String>,
    /// The local hour (Europe/Brussels, 0–23) from which desk staff get their daily digest.
    pub digest_hour: u32,
    /// Run the periodic jobs (reminders, overdue loans, offers …) every minute. Tests turn
    /// this off and run the jobs themselves, at the times their clock says.
    pub run_jobs: bool,
    /// The controller named in the privacy notice.
    pub controller: String,
    /// Where people ask about their personal data (e-mail or web address), shown in the
    /// privacy notice and the accessibility statement.
    pub privacy_contact: Option<String>,
    /// How long records are kept (`[retention]` in the file).
    pub retention: leenpunt_shared::privacy::Retention,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 3000)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            public_url: None,
            site_dir: PathBuf::from("target/site"),
            log_format: LogFormat::Human,
            demo_data: true,
            smtp_url: None,
            mail_from: "Leenpunt <noreply@leenpunt.invalid>".into(),
            max_connections: 512,
            header_timeout_secs: 15,
            trusted_proxies: Vec::new(),
            digest_hour: crate::domain::reminders::DEFAULT_DIGEST_HOUR,
            run_jobs: true,
            controller: "Provincie West-Vlaanderen".into(),
            privacy_contact: None,
            retention: leenpunt_shared::privacy::Retention::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("config file {0} is invalid: {1}")]
    Parse(PathBuf, toml::de::Error),
    #[error("environment variable {0} is invalid: {1}")]
    Env(&'static str, String),
}

impl Config {
    /// Loads from `LEENPUNT_CONFIG` (or `leenpunt.toml` if present), then the environment.
    pub fn load() -> Result<Config, ConfigError> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let file = env("LEENPUNT_CONFIG").map(PathBuf::from).or_else(|| {
            let p = PathBuf::from("leenpunt.toml");
            p.exists().then_some(p)
        });
        let mut config = match file {
            Some(path) => Self::from_file(&path)?,
            None => Config::default(),
        };
        config.apply_env(env)?;
        config.proxies()?;
        Ok(config)
    }

    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.into(), e))?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse(path.into(), e))
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = env("LEENPUNT_BIND") {
            self.bind = v.parse().map_err(|e: std::net::AddrParseError| {
                ConfigError::Env("LEENPUNT_BIND", e.to_string())
            })?;
        }
        if let Some(v) = env("LEENPUNT_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = env("LEENPUNT_DATABASE_URL") {
            self.database_url = Some(v);
        }
        if let Some(v) = env("LEENPUNT_PUBLIC_URL") {
            self.public_url = Some(v);
        }
        if let Some(v) = env("LEENPUNT_SITE_DIR") {
            self.site_dir = v.into();
        }
        if let Some(v) = env("LEENPUNT_LOG_FORMAT") {
            self.log_format = match v.as_str() {
                "human" => LogFormat::Human,
                "json" => LogFormat::Json,
                _ => {
                    return Err(ConfigError::Env(
                        "LEENPUNT_LOG_FORMAT",
                        "use human or json".into(),
                    ))
                }
            };
        }
        if let Some(v) = env("LEENPUNT_SMTP_URL") {
            self.smtp_url = Some(v);
        }
        if let Some(v) = env("LEENPUNT_MAIL_FROM") {
            self.mail_from = v;
        }
        if let Some(v) = env("LEENPUNT_MAX_CONNECTIONS") {
            self.max_connections = v.parse().map_err(|_| {
                ConfigError::Env("LEENPUNT_MAX_CONNECTIONS", "use a whole number".into())
            })?;
        }
        if let Some(v) = env("LEENPUNT_HEADER_TIMEOUT_SECS") {
            self.header_timeout_secs = v.parse().map_err(|_| {
                ConfigError::Env("LEENPUNT_HEADER_TIMEOUT_SECS", "use a whole number".into())
            })?;
        }
        if let Some(v) = env("LEENPUNT_TRUSTED_PROXIES") {
            self.trusted_proxies = v
                .split(',')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect();
        }
        if let Some(v) = env("LEENPUNT_DIGEST_HOUR") {
            self.digest_hour = v.parse().map_err(|_| {
                ConfigError::Env("LEENPUNT_DIGEST_HOUR", "use an hour from 0 to 23".into())
            })?;
        }
        if self.digest_hour > 23 {
            return Err(ConfigError::Env(
                "digest_hour",
                "use an hour from 0 to 23".into(),
            ));
        }
        if let Some(v) = env("LEENPUNT_PRIVACY_CONTACT") {
            self.privacy_contact = Some(v);
        }
        if let Some(v) = env("LEENPUNT_DEMO_DATA") {
            self.demo_data = matches!(v.as_str(), "1" | "true" | "yes");
        }
        Ok(())
    }

    /// The trusted proxies, parsed.
    pub fn proxies(&self) -> Result<Vec<crate::domain::net::Cidr>, ConfigError> {
        self.trusted_proxies
            .iter()
            .map(|p| {
                crate::domain::net::Cidr::parse(p).ok_or_else(|| {
                    ConfigError::Env(
                        "trusted_proxies",
                        format!("{p:?} is not an IP address or CIDR range"),
                    )
                })
            })
            .collect()
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("leenpunt.db").display()))
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_defaults() {
        let mut c = Config::default();
        c.apply_env(|k| match k {
            "LEENPUNT_BIND" => Some("127.0.0.1:8080".into()),
            "LEENPUNT_LOG_FORMAT" => Some("json".into()),
            "LEENPUNT_DEMO_DATA" => Some("0".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.bind.port(), 8080);
        assert_eq!(c.log_format, LogFormat::Json);
        assert!(!c.demo_data);
        assert_eq!(c.database_url(), "sqlite://data/leenpunt.db");
    }

    #[test]
    fn bad_env_is_an_error() {
        let mut c = Config::default();
        assert!(c
            .apply_env(|k| (k == "LEENPUNT_BIND").then(|| "nope".into()))
            .is_err());
    }

    #[test]
    fn file_values_parse() {
        let c: Config = toml::from_str("bind = \"0.0.0.0:3001\"\nlog_format = \"json\"").unwrap();
        assert_eq!(c.bind.port(), 3001);
        assert!(toml::from_str::<Config>("nonsense = 1").is_err());
    }
}
