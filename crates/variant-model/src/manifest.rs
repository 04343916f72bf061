//! The bundle manifest (`manifest.json`): what a bundle holds, where each
//! piece came from, under which licence, and the sha256 of every file.
//!
//! kb-lookup builds, verifies and matches against bundles; vcf-annotate
//! reads its reference and gene model from one (`--bundle`), through
//! [`Manifest::annotation_files`].
//!
//! Its JSON Schema is committed at
//! `assets/schema/bundle-manifest.schema.json` and generated from these
//! types (see [`manifest_schema`]).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

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
    /// Contig name alias table of the genome build
    /// (`reference/contig_aliases.tsv`, role `contig_aliases`): one row per
    /// contig, one column per naming style (UCSC `chr7`, Ensembl/NCBI `7`,
    /// RefSeq `NC_000007.14`, GenBank `CM000669.2`). Absent from bundles
    /// built before it existed, and for builds without a shipped table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contig_aliases: Option<BundleFile>,
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
    /// Lines of kb-lookup's `CuratedRecord`), `reference_fasta`,
    /// `reference_index` (`.fai`), `reference_bgzip_index` (`.gzi`),
    /// `gene_model_gff3`/`gene_model_gtf`, `ontology_oncotree_doid`,
    /// `contig_aliases`.
    pub role: String,
}

impl Manifest {
    /// Every bundle file listed, across sources, then the contig alias
    /// table.
    pub fn files(&self) -> impl Iterator<Item = &BundleFile> {
        self.sources
            .iter()
            .flat_map(|s| s.files.iter())
            .chain(self.contig_aliases.iter())
    }

    /// Path of the contig alias table inside the bundle directory `root`,
    /// if the bundle has one (for `vcf-annotate --contig-aliases`).
    pub fn contig_aliases_path(&self, root: &Path) -> Option<std::path::PathBuf> {
        self.contig_aliases.as_ref().map(|f| root.join(&f.path))
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
                    "bundle layout version {} is not supported (this version reads {LAYOUT_VERSION})",
                    manifest.layout_version
                ),
            });
        }
        Ok(manifest)
    }
}

/// Role of a bundle's reference FASTA ([`BundleFile::role`]).
pub const ROLE_REFERENCE_FASTA: &str = "reference_fasta";
/// Role prefix of a bundle's gene model (`gene_model_gff3`, `gene_model_gtf`).
pub const ROLE_GENE_MODEL_PREFIX: &str = "gene_model_";

/// The reference and gene model of a bundle, as absolute-or-relative paths
/// below the bundle directory, ready for vcf-annotate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationFiles {
    /// The reference FASTA (its `.fai`, and `.gzi` when bgzipped, beside it).
    pub reference_fasta: PathBuf,
    /// The gene model (GFF3 or GTF).
    pub gene_model: PathBuf,
}

impl BundleFile {
    /// Where this file is below bundle directory `dir`. A listed path that
    /// is absolute or climbs out of the bundle (`..`) is refused, so a
    /// hostile manifest cannot point a reader at other files.
    pub fn resolve(&self, dir: &Path) -> Result<PathBuf, ManifestError> {
        let rel = Path::new(&self.path);
        let inside = !self.path.is_empty()
            && rel
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !inside {
            return Err(ManifestError::Invalid {
                path: dir.join(MANIFEST_FILE).display().to_string(),
                message: format!("file path `{}` leaves the bundle directory", self.path),
            });
        }
        Ok(dir.join(rel))
    }
}

impl Manifest {
    /// The reference FASTA and gene model a bundle in `dir` pins for
    /// vcf-annotate. Every file of the reference and gene-model sources
    /// must be present with its listed size (checksums are `kb-lookup
    /// bundle verify`'s job); a bundle without exactly one reference FASTA
    /// and one gene model file is refused, naming what is missing.
    pub fn annotation_files(&self, dir: &Path) -> Result<AnnotationFiles, ManifestError> {
        let manifest_path = dir.join(MANIFEST_FILE).display().to_string();
        let pick = |kind: SourceKind, is_main: &dyn Fn(&str) -> bool, what: &'static str| {
            let sources: Vec<&SourceEntry> =
                self.sources.iter().filter(|s| s.kind == kind).collect();
            let mains: Vec<&BundleFile> = sources
                .iter()
                .flat_map(|s| s.files.iter())
                .filter(|f| is_main(&f.role))
                .collect();
            let main = match mains.as_slice() {
                [] => {
                    return Err(ManifestError::MissingComponent {
                        path: manifest_path.clone(),
                        what,
                        kind: kind.as_str(),
                    });
                }
                [one] => *one,
                several => {
                    return Err(ManifestError::Invalid {
                        path: manifest_path.clone(),
                        message: format!(
                            "the bundle lists {} {what} files ({}); vcf-annotate reads one",
                            several.len(),
                            several
                                .iter()
                                .map(|f| f.path.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                }
            };
            for file in sources.iter().flat_map(|s| s.files.iter()) {
                let path = file.resolve(dir)?;
                match std::fs::metadata(&path) {
                    Ok(meta) if meta.is_file() && meta.len() == file.bytes => {}
                    Ok(meta) if meta.is_file() => {
                        return Err(ManifestError::FileMismatch {
                            path: path.display().to_string(),
                            message: format!(
                                "{} bytes, the manifest lists {}",
                                meta.len(),
                                file.bytes
                            ),
                        });
                    }
                    _ => {
                        return Err(ManifestError::FileMismatch {
                            path: path.display().to_string(),
                            message: format!(
                                "listed in {manifest_path} ({}) but missing",
                                file.role
                            ),
                        });
                    }
                }
            }
            main.resolve(dir)
        };
        Ok(AnnotationFiles {
            reference_fasta: pick(
                SourceKind::Reference,
                &|role| role == ROLE_REFERENCE_FASTA,
                "reference FASTA",
            )?,
            gene_model: pick(
                SourceKind::GeneModel,
                &|role| role.starts_with(ROLE_GENE_MODEL_PREFIX),
                "gene model",
            )?,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error(
        "{path}: the bundle has no {what} (a source of kind `{kind}`); rebuild it with one, or give the file directly"
    )]
    MissingComponent {
        path: String,
        what: &'static str,
        kind: &'static str,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("{path}: {message}")]
    FileMismatch { path: String, message: String },
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

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, role: &str, bytes: u64) -> BundleFile {
        BundleFile {
            path: path.into(),
            sha256: "0".repeat(64),
            bytes,
            role: role.into(),
        }
    }

    fn source(name: &str, kind: SourceKind, files: Vec<BundleFile>) -> SourceEntry {
        SourceEntry {
            name: name.into(),
            kind,
            release: "1".into(),
            date: None,
            licence: "CC0-1.0".into(),
            url: None,
            redistributable: true,
            synthetic: true,
            inputs: Vec::new(),
            files,
            record_counts: BTreeMap::new(),
            notes: Vec::new(),
        }
    }

    fn manifest(sources: Vec<SourceEntry>) -> Manifest {
        Manifest {
            layout_version: LAYOUT_VERSION.into(),
            bundle_version: "test".into(),
            genome_build: "GRCh38".into(),
            created: "2025-01-01T00:00:00Z".into(),
            builder: "test".into(),
            redistributable: true,
            normalisation: Normalisation {
                split_multiallelic: true,
                trimmed: true,
                left_aligned: false,
                reference: None,
            },
            sources,
            contig_aliases: None,
        }
    }

    fn write(dir: &Path, rel: &str, bytes: &[u8]) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    fn reference() -> SourceEntry {
        source(
            "grch38",
            SourceKind::Reference,
            vec![
                file("reference/g.fa", ROLE_REFERENCE_FASTA, 6),
                file("reference/g.fa.fai", "reference_index", 3),
            ],
        )
    }

    fn gene_model() -> SourceEntry {
        source(
            "genes",
            SourceKind::GeneModel,
            vec![file("gene_model/g.gff3", "gene_model_gff3", 4)],
        )
    }

    fn bundle_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "reference/g.fa", b">1\nAC\n");
        write(dir.path(), "reference/g.fa.fai", b"fai");
        write(dir.path(), "gene_model/g.gff3", b"gff\n");
        dir
    }

    #[test]
    fn annotation_files_are_the_reference_and_gene_model() {
        let dir = bundle_dir();
        let files = manifest(vec![gene_model(), reference()])
            .annotation_files(dir.path())
            .unwrap();
        assert_eq!(files.reference_fasta, dir.path().join("reference/g.fa"));
        assert_eq!(files.gene_model, dir.path().join("gene_model/g.gff3"));
    }

    #[test]
    fn annotation_files_name_what_is_missing() {
        let dir = bundle_dir();
        let err = manifest(vec![gene_model()])
            .annotation_files(dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no reference FASTA") && err.contains("`reference`"),
            "{err}"
        );
        let err = manifest(vec![reference()])
            .annotation_files(dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no gene model") && err.contains("`gene_model`"),
            "{err}"
        );

        std::fs::remove_file(dir.path().join("reference/g.fa.fai")).unwrap();
        let err = manifest(vec![reference(), gene_model()])
            .annotation_files(dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("g.fa.fai") && err.contains("missing"), "{err}");

        write(dir.path(), "reference/g.fa.fai", b"fai");
        write(dir.path(), "gene_model/g.gff3", b"changed\n");
        let err = manifest(vec![reference(), gene_model()])
            .annotation_files(dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("8 bytes, the manifest lists 4"), "{err}");
    }

    #[test]
    fn paths_outside_the_bundle_are_refused() {
        let dir = bundle_dir();
        let mut hostile = gene_model();
        hostile.files[0].path = "../outside.gff3".into();
        let err = manifest(vec![reference(), hostile])
            .annotation_files(dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("leaves the bundle directory"), "{err}");
        let absolute = file("/etc/passwd", "gene_model_gff3", 1);
        assert!(absolute.resolve(dir.path()).is_err());
    }
}
