use clap::Parser;
use leenpunt_server::cli::{run_csv, Cli, Command};
use leenpunt_server::config::Config;
use leenpunt_server::{startup, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::load()?;
    telemetry::init(config.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => startup::serve(config).await,
        other => std::process::exit(run_csv(other, config).await?),
    }
}
