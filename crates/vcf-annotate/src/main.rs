use std::process::ExitCode;

use clap::Parser;

/// Annotation allocates and frees many small strings per record on every
/// worker thread; mimalloc's thread-local heaps make that much cheaper
/// than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    variant_model::allocator::keep_freed_memory();
    let args = vcf_annotate::cli::Args::parse();
    match vcf_annotate::pipeline::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("vcf-annotate: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
