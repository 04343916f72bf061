use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = vcf_annotate::cli::Args::parse();
    match vcf_annotate::pipeline::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("vcf-annotate: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
