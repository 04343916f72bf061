//! `bundle build`: convert every source listed in SOURCES.toml into a
//! bundle directory (or `.tar.gz`), with a manifest pinning each file.
//!
//! The bundle is staged in a temporary directory beside the output and
//! moved into place only when complete, so a failed build leaves nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{SourceConfig, SourcesConfig};
use crate::manifest::{
    BundleFile, InputFile, LAYOUT_VERSION, MANIFEST_FILE, Manifest, Normalisation, SourceEntry,
    SourceKind,
};
use crate::normalise::{Normaliser, Reference};
use crate::sources::{Context, Converted};

/// Options of `bundle build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub sources: PathBuf,
    pub out: PathBuf,
    /// Write a `.tar.gz` instead of a directory.
    pub tar: bool,
    /// Replace an existing output.
    pub force: bool,
    /// Values of `${NAME}` in SOURCES.toml file paths (the environment is
    /// used for names not given here).
    pub variables: BTreeMap<String, String>,
}

/// Builds a bundle and returns its manifest.
pub fn build(options: &BuildOptions) -> crate::Result<Manifest> {
    let config = SourcesConfig::read_with_variables(&options.sources, &options.variables)?;
    let created = config.created(&options.sources)?;
    let base = options
        .sources
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    if options.out.exists() && !options.force {
        return Err(crate::Error::file(
            &options.out,
            "already exists (use --force to replace it)",
        ));
    }
    let parent = match options.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| crate::Error::file(&parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".kb-bundle-staging-")
        .tempdir_in(&parent)
        .map_err(|e| crate::Error::file(&parent, e))?;
    let dir = staging.path();

    let mut sources: Vec<&SourceConfig> = config.sources.iter().collect();
    sources.sort_by_key(|s| s.name());
    let mut entries = Vec::new();

    // Reference and gene model are copied first: the reference is used to
    // left-align every other source.
    let mut reference_path = None;
    for source in sources.iter().filter(|s| s.kind == SourceKind::Reference) {
        let converted = copy_reference(source, &base, dir)?;
        reference_path = converted
            .files
            .iter()
            .find(|(_, role)| role == "reference_fasta")
            .map(|(p, _)| p.clone());
        entries.push(entry(source, converted, dir)?);
    }
    for source in sources.iter().filter(|s| s.kind == SourceKind::GeneModel) {
        let converted = copy_gene_model(source, &base, dir)?;
        entries.push(entry(source, converted, dir)?);
    }
    for source in sources.iter().filter(|s| s.kind == SourceKind::Ontology) {
        let converted = copy_ontology(source, &base, dir)?;
        entries.push(entry(source, converted, dir)?);
    }
    let reference = match &reference_path {
        Some(rel) => Some(Reference::open(&dir.join(rel))?),
        None => None,
    };
    let mut normaliser = Normaliser::new(reference);
    for source in sources.iter().filter(|s| {
        !matches!(
            s.kind,
            SourceKind::Reference | SourceKind::GeneModel | SourceKind::Ontology
        )
    }) {
        let mut ctx = Context {
            out_dir: dir,
            base: &base,
            genome_build: &config.bundle.genome_build,
            normaliser: &mut normaliser,
            synthetic: source.synthetic,
        };
        let mut converted = crate::sources::convert(source, &mut ctx)?;
        if crate::sources::is_exact(source.kind) && reference_path.is_none() {
            converted.notes.push(
                "alleles split and trimmed but not left-aligned: the bundle has no reference"
                    .into(),
            );
        }
        entries.push(entry(source, converted, dir)?);
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));

    let manifest = Manifest {
        layout_version: LAYOUT_VERSION.to_string(),
        bundle_version: config.bundle.version.clone(),
        genome_build: config.bundle.genome_build.clone(),
        created,
        builder: crate::tool_version(),
        redistributable: entries.iter().all(|e| e.redistributable),
        normalisation: Normalisation {
            split_multiallelic: true,
            trimmed: true,
            left_aligned: reference_path.is_some(),
            reference: reference_path,
        },
        sources: entries,
        contig_aliases: write_contig_aliases(&config.bundle.genome_build, dir)?,
    };
    let manifest_path = dir.join(MANIFEST_FILE);
    std::fs::write(&manifest_path, manifest.to_bytes())
        .map_err(|e| crate::Error::file(&manifest_path, e))?;

    if options.out.exists() && options.force {
        let result = if options.out.is_dir() {
            std::fs::remove_dir_all(&options.out)
        } else {
            std::fs::remove_file(&options.out)
        };
        result.map_err(|e| crate::Error::file(&options.out, e))?;
    }
    if options.tar {
        crate::archive::pack(dir, &options.out)?;
    } else {
        let kept = staging.keep();
        std::fs::rename(&kept, &options.out).map_err(|e| {
            let _ = std::fs::remove_dir_all(&kept);
            crate::Error::file(&options.out, e)
        })?;
    }
    Ok(manifest)
}

/// Bundle path of the contig alias table.
pub const CONTIG_ALIASES_PATH: &str = "reference/contig_aliases.tsv";

/// Writes the contig alias table shipped for `genome_build` (GRCh37,
/// GRCh38) into the bundle; `None` for other builds.
fn write_contig_aliases(genome_build: &str, dir: &Path) -> crate::Result<Option<BundleFile>> {
    let Some(text) = variant_model::contig_alias::ContigAliases::builtin_text(genome_build) else {
        return Ok(None);
    };
    let path = dir.join(CONTIG_ALIASES_PATH);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| crate::Error::file(parent, e))?;
    }
    std::fs::write(&path, text).map_err(|e| crate::Error::file(&path, e))?;
    Ok(Some(BundleFile {
        path: CONTIG_ALIASES_PATH.to_string(),
        sha256: crate::archive::sha256_bytes(text.as_bytes()),
        bytes: text.len() as u64,
        role: "contig_aliases".into(),
    }))
}

/// The manifest entry of a converted source: checksums of inputs and
/// outputs, counts and notes.
fn entry(source: &SourceConfig, converted: Converted, dir: &Path) -> crate::Result<SourceEntry> {
    let mut inputs = Vec::new();
    for (role, path) in &converted.inputs {
        let (sha256, bytes) =
            crate::archive::sha256_file(path).map_err(|e| crate::Error::file(path, e))?;
        inputs.push(InputFile {
            role: role.clone(),
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256,
            bytes,
        });
    }
    let mut files = Vec::new();
    for (rel, role) in &converted.files {
        let path = dir.join(rel);
        let (sha256, bytes) =
            crate::archive::sha256_file(&path).map_err(|e| crate::Error::file(&path, e))?;
        files.push(BundleFile {
            path: rel.clone(),
            sha256,
            bytes,
            role: role.clone(),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut notes = converted.notes;
    notes.extend(source.notes.iter().cloned());
    if source.synthetic {
        notes.push("synthetic data: for demonstrations and tests only".into());
    }
    Ok(SourceEntry {
        name: source.name(),
        kind: source.kind,
        release: source.release.clone(),
        date: source.date.clone(),
        licence: source.licence.clone(),
        url: source.url.clone(),
        redistributable: source.redistributable(),
        synthetic: source.synthetic,
        inputs,
        files,
        record_counts: converted.counts,
        notes,
    })
}

/// Copies one input into `<dir>/<subdir>/<file name>`.
fn copy_into(input: &Path, dir: &Path, subdir: &str) -> crate::Result<String> {
    let name = input
        .file_name()
        .ok_or_else(|| crate::Error::file(input, "not a file path"))?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(dir.join(subdir)).map_err(|e| crate::Error::file(dir, e))?;
    let rel = format!("{subdir}/{name}");
    let target = dir.join(&rel);
    if target.exists() {
        return Err(crate::Error::file(
            input,
            format!("two inputs would both be stored as {rel}"),
        ));
    }
    std::fs::copy(input, &target).map_err(|e| crate::Error::file(input, e))?;
    Ok(rel)
}

/// Copies the reference FASTA with its indexes: `.fai` (generated for an
/// uncompressed FASTA when not given) and, for a bgzip-compressed FASTA,
/// `.gzi`. Index files not named in `files` are taken from beside the
/// FASTA (`genome.fa.gz.fai`, `genome.fa.gz.gzi`), as samtools writes them.
fn copy_reference(source: &SourceConfig, base: &Path, dir: &Path) -> crate::Result<Converted> {
    let mut out = Converted::default();
    let fasta = source.paths("fasta", base)?;
    let [fasta] = fasta.as_slice() else {
        return Err(crate::Error::Other(format!(
            "source `{}`: files.fasta must name exactly one FASTA",
            source.name()
        )));
    };
    let bgzf = crate::normalise::is_bgzf(fasta)?;
    out.inputs.push(("fasta".into(), fasta.clone()));
    let rel = copy_into(fasta, dir, "reference")?;
    // An index given or found beside the FASTA, copied as `<rel><suffix>`.
    let mut copy_index = |role: &str, suffix: &str| -> crate::Result<Option<String>> {
        let given = source.paths(role, base)?.into_iter().next();
        let beside = crate::normalise::with_suffix(fasta, suffix);
        let Some(index) = given.or_else(|| beside.is_file().then_some(beside)) else {
            return Ok(None);
        };
        let index_rel = format!("{rel}{suffix}");
        std::fs::copy(&index, dir.join(&index_rel)).map_err(|e| crate::Error::file(&index, e))?;
        out.inputs.push((role.into(), index));
        Ok(Some(index_rel))
    };
    let fai = copy_index("fai", ".fai")?;
    let gzi = if bgzf {
        copy_index("gzi", ".gzi")?
    } else {
        None
    };
    let fai_rel = match fai {
        Some(fai_rel) => fai_rel,
        None if bgzf => {
            return Err(crate::Error::file(
                fasta,
                "a bgzip-compressed FASTA needs its .fai (give files.fai or put it beside the FASTA; `samtools faidx` writes it)",
            ));
        }
        None => {
            let fai_rel = format!("{rel}.fai");
            let fai_target = dir.join(&fai_rel);
            let index = noodles::fasta::fs::index(dir.join(&rel))
                .map_err(|e| crate::Error::file(fasta, format!("cannot index FASTA: {e}")))?;
            let file = std::fs::File::create(&fai_target)
                .map_err(|e| crate::Error::file(&fai_target, e))?;
            let mut writer = noodles::fasta::fai::io::Writer::new(file);
            writer
                .write_index(&index)
                .map_err(|e| crate::Error::file(&fai_target, e))?;
            fai_rel
        }
    };
    if bgzf && gzi.is_none() {
        return Err(crate::Error::file(
            fasta,
            "a bgzip-compressed FASTA needs its .gzi (give files.gzi or put it beside the FASTA; `samtools faidx` or `bgzip -i` writes it)",
        ));
    }
    // Opening checks the indexes belong to the FASTA well enough to read it.
    let mut reference = Reference::open(&dir.join(&rel))?;
    let lengths: BTreeMap<String, u64> = reference.lengths().clone();
    if let Some((name, length)) = lengths.iter().find(|(_, l)| **l > 0) {
        reference.bases(name, *length, *length)?.ok_or_else(|| {
            crate::Error::file(fasta, format!("cannot read the last base of {name}"))
        })?;
    }
    out.add("contigs", lengths.len() as u64);
    out.add("bases", lengths.values().sum());
    out.files.push((rel, "reference_fasta".into()));
    out.files.push((fai_rel, "reference_index".into()));
    if let Some(gzi_rel) = gzi {
        out.files.push((gzi_rel, "reference_bgzip_index".into()));
    }
    Ok(out)
}

fn copy_gene_model(source: &SourceConfig, base: &Path, dir: &Path) -> crate::Result<Converted> {
    let mut out = Converted::default();
    for role in ["gff3", "gtf"] {
        for path in source.paths(role, base)? {
            out.inputs.push((role.into(), path.clone()));
            let rel = copy_into(&path, dir, "gene_model")?;
            out.files.push((rel, format!("gene_model_{role}")));
        }
    }
    if out.files.is_empty() {
        return Err(crate::Error::Other(format!(
            "source `{}`: files.gff3 or files.gtf is required",
            source.name()
        )));
    }
    Ok(out)
}

/// Bundle path of the tumour-type ontology mapping, where rule-tier's
/// `--bundle DIR` looks for it whatever the input file was called.
pub const ONCOTREE_DOID_PATH: &str = "ontology/oncotree_doid.tsv";

fn copy_ontology(source: &SourceConfig, base: &Path, dir: &Path) -> crate::Result<Converted> {
    let mut out = Converted::default();
    let inputs = source.paths("oncotree_doid", base)?;
    let [input] = inputs.as_slice() else {
        return Err(crate::Error::Other(format!(
            "source `{}`: files.oncotree_doid must name exactly one OncoTree ↔ DOID TSV",
            source.name()
        )));
    };
    out.inputs.push(("oncotree_doid".into(), input.clone()));
    let text = std::fs::read_to_string(input).map_err(|e| crate::Error::file(input, e))?;
    // Rows after the header, comments and blank lines aside; rule-tier
    // checks the content when it reads the file.
    let rows = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .count();
    if rows < 2 {
        return Err(crate::Error::file(
            input,
            "no mapping rows (expected a header and at least one OncoTree code)",
        ));
    }
    out.add("rows", rows as u64 - 1);
    let target = dir.join(ONCOTREE_DOID_PATH);
    std::fs::create_dir_all(target.parent().expect("has a parent"))
        .map_err(|e| crate::Error::file(dir, e))?;
    std::fs::write(&target, text).map_err(|e| crate::Error::file(&target, e))?;
    out.files
        .push((ONCOTREE_DOID_PATH.into(), "ontology_oncotree_doid".into()));
    Ok(out)
}
