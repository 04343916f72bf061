//! `kb-lookup`: build, verify and describe knowledge-base bundles, and
//! match annotated alleles against them.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use kb_lookup::annotate::{AnnotateOptions, run as annotate};
use kb_lookup::build::{BuildOptions, build};
use variant_model::caller::{CallerChoice, SampleType};

#[derive(Parser)]
#[command(
    name = "kb-lookup",
    version,
    about = "Versioned knowledge-base bundles (ClinVar, CIViC, cancer hotspots, gnomAD, OncoKB, COSMIC CMC) and allele matching",
    long_about = "Builds reproducible knowledge-base bundles from each source's published files, verifies them, and matches every allele of a vcf-annotate VCF against them, writing JSON Lines (one record per allele with every match and its evidence).\n\nBundle layout: docs/bundle.md. Manifest schema: assets/schema/bundle-manifest.schema.json."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build, verify, unpack or describe a bundle.
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// Match the alleles of an annotated VCF against a bundle.
    ///
    /// Input: vcf-annotate output (VCF/VCF.gz, one ALT per record, VEP-layout
    /// INFO/CSQ). Output: JSON Lines, a `header` line, one `variant` line
    /// per allele with its annotation and every knowledge-base match
    /// (`kb_matches`: source, record id, match level, transcript, evidence),
    /// then a `summary` line with counts. A genome-build mismatch between
    /// the VCF header and the bundle is refused. Each sample's depths and
    /// VAF are read with the variant caller's own FORMAT conventions
    /// (--caller), and records whose FILTER is not PASS or `.` are left out
    /// and counted unless --keep-filtered.
    Annotate {
        /// Bundle directory or .tar.gz.
        #[arg(long)]
        bundle: PathBuf,
        /// Input VCF (plain, gzip or bgzip); `-` or absent for stdin. Sorted
        /// input is matched by a streaming merge-join.
        input: Option<PathBuf>,
        /// JSON Lines output; stdout when absent or `-`.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Also write the VCF with INFO/KB (every match) and per-source
        /// fields (<source>_AF, <source>_CLNSIG, ...); bgzipped if it ends in .gz.
        #[arg(long)]
        vcf_out: Option<PathBuf>,
        /// Recompute every bundle checksum first (as `bundle verify`).
        #[arg(long)]
        verify: bool,
        /// Match even when the VCF header names no genome build (no
        /// ##reference, ##contig lengths or assembly); counted in the summary.
        #[arg(long)]
        allow_unknown_build: bool,
        /// Write only the --vcf-out VCF, no JSON Lines.
        #[arg(long, requires = "vcf_out", conflicts_with = "output")]
        vcf_only: bool,
        /// Variant caller whose FORMAT fields give alt depth, total depth
        /// and VAF: auto (from ##source, ##GATKCommandLine,
        /// ##DRAGENCommandLine, FORMAT definitions), mutect2, strelka2,
        /// varscan2, freebayes, deepvariant, haplotypecaller, dragen,
        /// pcgr-tcga (FORMAT ADT/DPT) or generic (AD/DP/AF). Recorded in
        /// the stream header.
        #[arg(long, default_value = "auto", value_name = "NAME|auto")]
        caller: CallerChoice,
        /// Somatic or germline sample: a single-sample VCF is the tumour or
        /// the germline sample.
        #[arg(long, value_enum, default_value_t = SampleTypeArg::Somatic)]
        sample_type: SampleTypeArg,
        /// The tumour sample column (germline: the sample to report).
        /// Overrides ##tumor_sample and TUMOR/NORMAL sample names; needed
        /// for a multi-sample VCF that says neither. Empty: not given.
        #[arg(long, value_name = "NAME")]
        tumour_sample: Option<String>,
        /// The matched normal sample column (somatic only). Empty: not given.
        #[arg(long, value_name = "NAME")]
        normal_sample: Option<String>,
        /// Keep records whose FILTER is not PASS or `.`. By default they
        /// are left out and counted in the summary as `filter:<NAME>`.
        #[arg(long)]
        keep_filtered: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SampleTypeArg {
    Somatic,
    Germline,
}

#[derive(Subcommand)]
enum BundleCommand {
    /// Build a bundle from local copies of each source (see SOURCES.toml in docs/bundle.md).
    ///
    /// The creation time comes from `[bundle] created` or SOURCE_DATE_EPOCH,
    /// never the clock: the same inputs give byte-identical bundles.
    Build {
        /// SOURCES.toml listing every source, its release, licence, URL and files.
        #[arg(long)]
        sources: PathBuf,
        /// Output directory (or .tar.gz with --tar).
        #[arg(long)]
        out: PathBuf,
        /// Write a deterministic .tar.gz instead of a directory.
        #[arg(long)]
        tar: bool,
        /// Replace an existing output.
        #[arg(long)]
        force: bool,
        /// Value of a `${NAME}` used in SOURCES.toml file paths, as
        /// NAME=VALUE (repeatable); names not given are read from the
        /// environment.
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_variable)]
        variables: Vec<(String, String)>,
    },
    /// Recompute every checksum; name every tampered, missing or extra file.
    ///
    /// Exit status 0 when the bundle matches its manifest, 1 otherwise.
    Verify {
        /// Bundle directory or .tar.gz (extracted safely to a temporary directory).
        bundle: PathBuf,
    },
    /// Extract a .tar.gz bundle into a directory and verify every checksum.
    ///
    /// Extraction refuses absolute paths, `..` components, links and device
    /// entries; the bundle is moved into OUT only when every file matches
    /// the manifest. OUT must be absent or empty unless --force.
    Unpack {
        /// The bundle archive (.tar.gz).
        archive: PathBuf,
        /// Directory to hold the bundle (manifest.json at its top).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace a non-empty OUT (only once the new bundle is verified).
        #[arg(long)]
        force: bool,
    },
    /// Print the manifest readably (or as JSON with --json).
    Info {
        bundle: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

/// mimalloc: matching allocates and frees many small strings on worker
/// threads, which its thread-local heaps serve much faster than glibc's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keeps glibc from growing the heap without bound. BGZF compression
/// allocates and frees a few hundred KiB of deflate state per 64 KiB block;
/// glibc's adaptive mmap threshold then serves those from the heap, where
/// small allocations in between pin them, and RSS grows with the size of
/// the table written (1 GiB for 4M records). A fixed threshold keeps large
/// blocks in mmap, returned on free.
fn bound_heap_growth() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

fn main() -> ExitCode {
    variant_model::allocator::keep_freed_memory();
    bound_heap_growth();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("kb-lookup: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Bundle(BundleCommand::Build {
            sources,
            out,
            tar,
            force,
            variables,
        }) => {
            let manifest = build(&BuildOptions {
                sources,
                out: out.clone(),
                tar,
                force,
                variables: variables.into_iter().collect(),
            })?;
            eprintln!(
                "kb-lookup: built bundle {} ({}) with {} sources at {}{}",
                manifest.bundle_version,
                manifest.genome_build,
                manifest.sources.len(),
                out.display(),
                if manifest.redistributable {
                    ""
                } else {
                    " — contains licensed data: NOT redistributable"
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Bundle(BundleCommand::Verify { bundle }) => {
            let report = kb_lookup::verify::verify(&bundle)
                .with_context(|| format!("cannot verify {}", bundle.display()))?;
            for problem in &report.problems {
                println!("{problem}");
            }
            if report.problems.is_empty() {
                println!(
                    "OK {}: {} files match the manifest (bundle {}, {})",
                    bundle.display(),
                    report.files_checked,
                    report.manifest.bundle_version,
                    report.manifest.genome_build
                );
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "kb-lookup: {}: {} problem(s): the bundle does not match its manifest",
                    bundle.display(),
                    report.problems.len()
                );
                Ok(ExitCode::from(1))
            }
        }
        Command::Bundle(BundleCommand::Unpack {
            archive,
            out,
            force,
        }) => {
            let report = kb_lookup::archive::unpack(&archive, &out, force)?;
            println!(
                "OK {}: {} files unpacked to {} and verified (bundle {}, {})",
                archive.display(),
                report.files_checked,
                out.display(),
                report.manifest.bundle_version,
                report.manifest.genome_build
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Bundle(BundleCommand::Info { bundle, json }) => {
            let manifest = read_manifest(&bundle)?;
            if json {
                print!("{}", String::from_utf8_lossy(&manifest.to_bytes()));
            } else {
                print!("{}", kb_lookup::manifest::describe(&manifest));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Annotate {
            bundle,
            input,
            output,
            vcf_out,
            verify,
            allow_unknown_build,
            vcf_only,
            caller,
            sample_type,
            tumour_sample,
            normal_sample,
            keep_filtered,
        } => {
            let summary = annotate(&AnnotateOptions {
                bundle,
                input,
                output,
                vcf_out,
                verify,
                allow_unknown_build,
                vcf_only,
                caller,
                sample_type: match sample_type {
                    SampleTypeArg::Somatic => SampleType::Somatic,
                    SampleTypeArg::Germline => SampleType::Germline,
                },
                // Empty: not given (an empty sample sheet column).
                tumour_sample: tumour_sample.filter(|s| !s.is_empty()),
                normal_sample: normal_sample.filter(|s| !s.is_empty()),
                keep_filtered,
            })?;
            let filtered: u64 = summary.filtered.values().sum();
            eprintln!(
                "kb-lookup: {} records, {} alleles ({filtered} filtered out), {} with a knowledge-base match",
                summary.records_read,
                summary.alleles_written,
                summary
                    .counts
                    .get("alleles_with_match")
                    .copied()
                    .unwrap_or(0)
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_manifest(bundle: &std::path::Path) -> anyhow::Result<kb_lookup::manifest::Manifest> {
    if bundle.is_dir() {
        return Ok(kb_lookup::manifest::Manifest::read(bundle)?);
    }
    let temp = tempfile::tempdir()?;
    let root = kb_lookup::archive::extract(bundle, temp.path())?;
    Ok(kb_lookup::manifest::Manifest::read(&root)?)
}

/// `NAME=VALUE` of `--var`.
fn parse_variable(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}
