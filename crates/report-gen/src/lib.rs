//! report-gen: turns rule-tier's JSON Lines stream into the report a
//! molecular tumour board reads (one self-contained HTML page per sample)
//! and into files machines and spreadsheets read (JSON, TSV), plus a
//! cohort summary over several samples.
//!
//! The flow is `stream` (read and check the input) → `build` (the
//! [`model::SampleReport`], which is also the JSON output) → `html` / `tsv`
//! (renderings of that one model, so every output says the same thing).

pub mod build;
pub mod cohort;
pub mod date;
pub mod demo;
pub mod html;
pub mod links;
pub mod model;
pub mod plots;
pub mod stream;
pub mod tsv;
pub mod view;

pub use build::{ReportOptions, build_report};
pub use model::SampleReport;
pub use stream::{InputStream, read_stream};

/// The name and version written into every report's provenance.
pub const TOOL_NAME: &str = "report-gen";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Shown at the top and the bottom of every HTML report and carried in the
/// JSON: the report supports a decision, it does not make one.
pub const DISCLAIMER: &str = "This report is clinical decision support for review by a \
qualified molecular tumour board. It is not a diagnosis and does not by itself justify any \
treatment decision. Variant classifications are produced automatically from the knowledge \
bases and rules listed under Provenance, may be incomplete or out of date, and must be \
interpreted together with the patient's clinical history, pathology and other test results.";
