//! The bundle manifest (`manifest.json`): what a bundle holds, where each
//! piece came from, under which licence, and the sha256 of every file.
//!
//! Its JSON Schema is committed at
//! `assets/schema/bundle-manifest.schema.json` and generated from these
//! types (see [`manifest_schema`]).

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// File name of the manifest at the bundle root.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Version of the bundle layout described in `docs/bundle.md`. Readers
/// refuse a bundle whose major layout version they do not know.
pub const LAYOUT_VERSION: &str = "1";

/// The manifest of one knowledge-base bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Version of the bundle layout (this document's format).
    pub layout_version: String,
    /// Version of this bundle's content, chosen by whoever built it.
    pub bundle_version: String,
    /// Genome build every coordinate in the bundle is on (`GRCh38`).
    pub genome_build: String,
    /// Creation time (RFC 3339, UTC) taken from SOURCES.toml or
    /// `SOURCE_DATE_EPOCH`, never from the clock, so rebuilding the same
    /// inputs gives the same bytes.
    pub created: String,
    /// Tool that built the bundle (`kb-lookup 0.1.0`).
    pub builder: String,
    /// False when any source may not be redistributed (OncoKB, COSMIC):
    /// such a bundle must stay with the licensee who built it.
    pub redistributable: bool,
    /// How exact-allele records were normalised at build time.
    pub normalisation: Normalisation,
    /// Every source, in name order.
    pub sources: Vec<SourceEntry>,
}

/// How exact-allele source records were normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Normalisation {
    /// Multi-allelic records split into one record per ALT.
    pub split_multiallelic: bool,
    /// Shared leading/trailing bases trimmed (keeping the VCF anchor base).
    pub trimmed: bool,
    /// Indels left-aligned against the bundle's reference FASTA.
    pub left_aligned: bool,
    /// Bundle path of the reference used for left-alignment, if any.
    pub reference: Option<String>,
}

/// The kinds of source `bundle build` knows how to convert.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// ClinVar VCF (CLNSIG, CLNREVSTAT, CLNDN, GENEINFO, ALLELEID).
    Clinvar,
    /// CIViC nightly TSV exports and/or API JSON records.
    Civic,
    /// cancerhotspots.org v2 SNV/indel tables (+ optional allele table).
    CancerHotspots,
    /// gnomAD sites VCF (AF, grpmax/popmax AF, nhomalt).
    Gnomad,
    /// OncoKB `allAnnotatedVariants` / `allActionableVariants` exports
    /// (licensed).
    Oncokb,
    /// COSMIC Cancer Mutation Census export (licensed).
    CosmicCmc,
    /// Genome reference FASTA (+ `.fai`), as used by vcf-annotate.
    Reference,
    /// Gene model (GFF3/GTF), as used by vcf-annotate.
    GeneModel,
    /// Tumour-type ontology mapping (OncoTree ↔ DOID TSV), as used by
    /// rule-tier (`ontology/oncotree_doid.tsv`).
    Ontology,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Clinvar => "clinvar",
            SourceKind::Civic => "civic",
            SourceKind::CancerHotspots => "cancer_hotspots",
            SourceKind::Gnomad => "gnomad",
            SourceKind::Oncokb => "oncokb",
            SourceKind::CosmicCmc => "cosmic_cmc",
            SourceKind::Reference => "reference",
            SourceKind::GeneModel => "gene_model",
            SourceKind::Ontology => "ontology",
        }
    }
}

/// One source as it went into the bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// Name used in matches (`KbMatch::source`), unique in the bundle.
    pub name: String,
    pub kind: SourceKind,
    /// Release or version of the source (`2025-01-06`, `v2`).
    pub release: String,
    /// Release date, when the source states one separately.
    pub date: Option<String>,
    /// Licence of the source data (`CC0-1.0`, `ODbL-1.0`, `proprietary`).
    pub licence: String,
    /// Where the source is published (for the download step).
    pub url: Option<String>,
    pub redistributable: bool,
    /// True for made-up data (demo and test bundles).
    pub synthetic: bool,
    /// The files read to build this source, with their checksums, so the
    /// bundle records exactly which downloads it was built from.
    pub inputs: Vec<InputFile>,
    /// The bundle files holding this source.
    pub files: Vec<BundleFile>,
    /// Record counts: what was read, written and skipped (by reason).
    pub record_counts: BTreeMap<String, u64>,
    /// Anything a reader should know (normalisation limits, builds).
    pub notes: Vec<String>,
}

/// An input file a source was converted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    /// Role of the file for its source (`vcf`, `evidence_summaries`, ...).
    pub role: String,
    /// File name only (the path on the builder's machine is not recorded,
    /// so bundles built elsewhere from the same inputs are identical).
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// A file inside the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleFile {
    /// Path relative to the bundle root, `/`-separated.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    /// What the file is: `exact_alleles` (bgzipped sites VCF),
    /// `exact_alleles_index` (tabix), `curated_records` (gzipped JSON
    /// Lines of [`crate::curated::CuratedRecord`]), `reference_fasta`,
    /// `reference_index` (`.fai`), `reference_bgzip_index` (`.gzi`),
    /// `gene_model_gff3`/`gene_model_gtf`, `ontology_oncotree_doid`.
    pub role: String,
}

impl Manifest {
    /// Every bundle file listed, across sources.
    pub fn files(&self) -> impl Iterator<Item = &BundleFile> {
        self.sources.iter().flat_map(|s| s.files.iter())
    }

    pub fn source(&self, name: &str) -> Option<&SourceEntry> {
        self.sources.iter().find(|s| s.name == name)
    }

    /// Serialises as the bytes written to `manifest.json` (pretty JSON,
    /// trailing newline; field order fixed by the types).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("manifest serialises");
        bytes.push(b'\n');
        bytes
    }

    /// Reads and checks `manifest.json` from a bundle directory.
    pub fn read(dir: &Path) -> Result<Self, ManifestError> {
        let path = dir.join(MANIFEST_FILE);
        let bytes = std::fs::read(&path).map_err(|source| ManifestError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_bytes(&bytes, &path.display().to_string())
    }

    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Self, ManifestError> {
        let manifest: Manifest =
            serde_json::from_slice(bytes).map_err(|e| ManifestError::Parse {
                path: name.to_string(),
                line: e.line(),
                message: e.to_string(),
            })?;
        if manifest.layout_version.split('.').next() != Some(LAYOUT_VERSION) {
            return Err(ManifestError::Parse {
                path: name.to_string(),
                line: 0,
                message: format!(
                    "bundle layout version {} is not supported (this kb-lookup reads {LAYOUT_VERSION})",
                    manifest.layout_version
                ),
            });
        }
        Ok(manifest)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{path}: cannot read the manifest: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: invalid manifest: {message}")]
    Parse {
        path: String,
        line: usize,
        message: String,
    },
}

/// The JSON Schema of `manifest.json`, as committed at
/// `assets/schema/bundle-manifest.schema.json`.
pub fn manifest_schema() -> String {
    let schema = schemars::schema_for!(Manifest);
    let mut text = serde_json::to_string_pretty(&schema).expect("schema serialises");
    text.push('\n');
    text
}

/// A readable description of a manifest (`bundle info`).
pub fn describe(manifest: &Manifest) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Bundle {} ({})",
        manifest.bundle_version, manifest.genome_build
    );
    let _ = writeln!(s, "  created          {}", manifest.created);
    let _ = writeln!(s, "  built by         {}", manifest.builder);
    let _ = writeln!(s, "  layout version   {}", manifest.layout_version);
    let _ = writeln!(
        s,
        "  redistributable  {}",
        if manifest.redistributable {
            "yes"
        } else {
            "NO (contains licensed sources)"
        }
    );
    let n = &manifest.normalisation;
    let _ = writeln!(
        s,
        "  normalisation    split multi-allelics: {}, trimmed: {}, left-aligned: {}{}",
        yes(n.split_multiallelic),
        yes(n.trimmed),
        yes(n.left_aligned),
        n.reference
            .as_ref()
            .map(|r| format!(" (against {r})"))
            .unwrap_or_default()
    );
    for source in &manifest.sources {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Source {} [{}]{}",
            source.name,
            source.kind.as_str(),
            if source.synthetic { " SYNTHETIC" } else { "" }
        );
        let _ = writeln!(
            s,
            "  release          {}{}",
            source.release,
            source
                .date
                .as_ref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        );
        let _ = writeln!(s, "  licence          {}", source.licence);
        let _ = writeln!(s, "  redistributable  {}", yes(source.redistributable));
        if let Some(url) = &source.url {
            let _ = writeln!(s, "  origin           {url}");
        }
        for input in &source.inputs {
            let _ = writeln!(
                s,
                "  input  {:<10} {} ({} bytes, sha256 {})",
                input.role, input.name, input.bytes, input.sha256
            );
        }
        for file in &source.files {
            let _ = writeln!(
                s,
                "  file   {:<10} {} ({} bytes, sha256 {})",
                short_role(&file.role),
                file.path,
                file.bytes,
                file.sha256
            );
        }
        for (key, count) in &source.record_counts {
            let _ = writeln!(s, "  count  {key}: {count}");
        }
        for note in &source.notes {
            let _ = writeln!(s, "  note   {note}");
        }
    }
    s
}

fn yes(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn short_role(role: &str) -> &str {
    match role {
        "exact_alleles" => "alleles",
        "exact_alleles_index" => "index",
        "curated_records" => "records",
        other => other,
    }
}
