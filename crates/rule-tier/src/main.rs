use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = rule_tier::cli::Args::parse();
    match rule_tier::pipeline::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("rule-tier: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
