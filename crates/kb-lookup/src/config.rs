//! `SOURCES.toml`: what goes into a bundle.
//!
//! ```toml
//! [bundle]
//! version = "2025.01"
//! genome_build = "GRCh38"
//! created = "2025-01-15T00:00:00Z"   # or set SOURCE_DATE_EPOCH
//!
//! [[source]]
//! kind = "clinvar"                    # see manifest::SourceKind
//! name = "clinvar"                    # optional, defaults to the kind
//! release = "20250106"
//! date = "2025-01-06"                 # optional
//! licence = "public-domain"
//! url = "https://ftp.ncbi.nlm.nih.gov/pub/clinvar/vcf_GRCh38/clinvar_20250106.vcf.gz"
//! files = { vcf = "downloads/clinvar_20250106.vcf.gz" }
//! ```
//!
//! File paths are relative to the SOURCES.toml directory, absolute, or
//! `file://` URLs, and may use `${NAME}` variables, taken from `bundle
//! build --var NAME=VALUE` or else the environment (for files made at run
//! time, such as the demo's generated reference:
//! `fasta = "${DEMO_GENOME_DIR}/genome.fa.gz"`). The `url` is where a
//! separate download step fetches the file; `bundle build` never touches
//! the network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::manifest::SourceKind;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesConfig {
    pub bundle: BundleConfig,
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleConfig {
    pub version: String,
    pub genome_build: String,
    /// RFC 3339 UTC time; `SOURCE_DATE_EPOCH` is used when absent.
    pub created: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub kind: SourceKind,
    pub name: Option<String>,
    pub release: String,
    pub date: Option<String>,
    pub licence: String,
    pub url: Option<String>,
    /// Defaults to true, except OncoKB and COSMIC, which are never
    /// redistributable whatever this says.
    pub redistributable: Option<bool>,
    #[serde(default)]
    pub synthetic: bool,
    /// Only CIViC evidence/assertions with these statuses are kept
    /// (default: `accepted`).
    pub civic_statuses: Option<Vec<String>>,
    pub files: BTreeMap<String, FileList>,
    /// Copied into the manifest's notes for this source (what a synthetic
    /// source stands for, how a file was made).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One path or a list of paths.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum FileList {
    One(String),
    Many(Vec<String>),
}

impl FileList {
    pub fn items(&self) -> Vec<&str> {
        match self {
            FileList::One(s) => vec![s.as_str()],
            FileList::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }

    fn items_mut(&mut self) -> Vec<&mut String> {
        match self {
            FileList::One(s) => vec![s],
            FileList::Many(v) => v.iter_mut().collect(),
        }
    }
}

/// Replaces every `${NAME}` in `text` by `variables[NAME]`, else the
/// environment variable NAME; `Err(NAME)` when neither is set.
pub fn expand_variables(
    text: &str,
    variables: &BTreeMap<String, String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err(format!("unterminated `${{` in `{text}`"));
        };
        let name = &after[..end];
        let value = variables
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
            .ok_or_else(|| {
                format!("`{text}` uses ${{{name}}}, which is not set (pass `--var {name}=VALUE` or set the environment variable)")
            })?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

impl SourceConfig {
    pub fn name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.kind.as_str().to_string())
    }

    /// Licensed sources may never be redistributed.
    pub fn redistributable(&self) -> bool {
        match self.kind {
            SourceKind::Oncokb | SourceKind::CosmicCmc => false,
            _ => self.redistributable.unwrap_or(true),
        }
    }

    /// Resolved paths for a file role (empty when the role is absent).
    pub fn paths(&self, role: &str, base: &Path) -> crate::Result<Vec<PathBuf>> {
        match self.files.get(role) {
            None => Ok(Vec::new()),
            Some(list) => list.items().into_iter().map(|p| resolve(p, base)).collect(),
        }
    }

    /// Roles this kind reads; anything else in `files` is a mistake.
    pub fn known_roles(&self) -> &'static [&'static str] {
        match self.kind {
            SourceKind::Clinvar => &["vcf"],
            SourceKind::Gnomad => &["vcf"],
            SourceKind::Civic => &[
                "variant_summaries",
                "evidence_summaries",
                "assertion_summaries",
                "molecular_profile_summaries",
                "api_json",
            ],
            SourceKind::CancerHotspots => &["snv", "indel", "alleles"],
            SourceKind::Oncokb => &["annotated_variants", "actionable_variants"],
            SourceKind::CosmicCmc => &["cmc"],
            SourceKind::Reference => &["fasta", "fai", "gzi"],
            SourceKind::GeneModel => &["gff3", "gtf"],
            SourceKind::Ontology => &["oncotree_doid"],
        }
    }
}

/// Resolves a path from SOURCES.toml: `file://` URL, absolute, or relative
/// to the SOURCES.toml directory. Other URL schemes are refused: the
/// download step fetches them first.
pub fn resolve(text: &str, base: &Path) -> crate::Result<PathBuf> {
    if let Some(rest) = text.strip_prefix("file://") {
        // file:///abs/path or file://localhost/abs/path
        let rest = rest.strip_prefix("localhost").unwrap_or(rest);
        let path = PathBuf::from(rest);
        return Ok(if path.is_absolute() {
            path
        } else {
            base.join(path)
        });
    }
    if text.contains("://") {
        return Err(crate::Error::Other(format!(
            "{text}: only local paths and file:// URLs can be read; download the file first and give its local path"
        )));
    }
    let path = PathBuf::from(text);
    Ok(if path.is_absolute() {
        path
    } else {
        base.join(path)
    })
}

impl SourcesConfig {
    /// Reads SOURCES.toml; `${NAME}` in file paths come from the environment.
    pub fn read(path: &Path) -> crate::Result<Self> {
        Self::read_with_variables(path, &BTreeMap::new())
    }

    /// Reads SOURCES.toml, expanding `${NAME}` in file paths from
    /// `variables`, else the environment.
    pub fn read_with_variables(
        path: &Path,
        variables: &BTreeMap<String, String>,
    ) -> crate::Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::Error::file(path, e))?;
        let mut config: SourcesConfig = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start].lines().count().max(1) as u64)
                .unwrap_or(0);
            crate::Error::at(path, line, e.message().to_string())
        })?;
        let mut names = std::collections::BTreeSet::new();
        for source in &mut config.sources {
            if !names.insert(source.name()) {
                return Err(crate::Error::file(
                    path,
                    format!("source name `{}` is used twice", source.name()),
                ));
            }
            for role in source.files.keys() {
                if !source.known_roles().contains(&role.as_str()) {
                    return Err(crate::Error::file(
                        path,
                        format!(
                            "source `{}`: unknown file role `{role}` for kind {} (expected one of: {})",
                            source.name(),
                            source.kind.as_str(),
                            source.known_roles().join(", ")
                        ),
                    ));
                }
            }
            let name = source.name();
            for (role, list) in source.files.iter_mut() {
                for item in list.items_mut() {
                    *item = expand_variables(item, variables).map_err(|message| {
                        crate::Error::file(
                            path,
                            format!("source `{name}`: files.{role}: {message}"),
                        )
                    })?;
                }
            }
        }
        let references = config
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Reference)
            .count();
        if references > 1 {
            return Err(crate::Error::file(path, "at most one reference source"));
        }
        let ontologies = config
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Ontology)
            .count();
        if ontologies > 1 {
            return Err(crate::Error::file(path, "at most one ontology source"));
        }
        Ok(config)
    }

    /// The creation time: `[bundle] created`, else `SOURCE_DATE_EPOCH`.
    pub fn created(&self, path: &Path) -> crate::Result<String> {
        if let Some(created) = &self.bundle.created {
            return Ok(created.clone());
        }
        match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(epoch) => {
                let seconds: i64 = epoch.trim().parse().map_err(|_| {
                    crate::Error::Other(format!(
                        "SOURCE_DATE_EPOCH=`{epoch}` is not a number of seconds"
                    ))
                })?;
                Ok(rfc3339_from_epoch(seconds))
            }
            Err(_) => Err(crate::Error::file(
                path,
                "no creation time: set `created` in [bundle] or the SOURCE_DATE_EPOCH environment variable (bundles never use the clock, so rebuilding gives identical bytes)",
            )),
        }
    }
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian).
pub fn rfc3339_from_epoch(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_epoch_seconds() {
        assert_eq!(rfc3339_from_epoch(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_from_epoch(1_736_899_200), "2025-01-15T00:00:00Z");
        assert_eq!(rfc3339_from_epoch(951_825_599), "2000-02-29T11:59:59Z");
    }

    #[test]
    fn resolves_paths_and_file_urls() {
        let base = Path::new("/data/kb");
        assert_eq!(
            resolve("a.vcf", base).unwrap(),
            PathBuf::from("/data/kb/a.vcf")
        );
        assert_eq!(
            resolve("file:///x/a.vcf", base).unwrap(),
            PathBuf::from("/x/a.vcf")
        );
        assert!(resolve("https://example.org/a.vcf", base).is_err());
    }

    #[test]
    fn rejects_unknown_roles_and_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("SOURCES.toml");
        std::fs::write(
            &path,
            "[bundle]\nversion = \"1\"\ngenome_build = \"GRCh38\"\n\n[[source]]\nkind = \"clinvar\"\nrelease = \"x\"\nlicence = \"public-domain\"\nfiles = { tsv = \"a\" }\n",
        )
        .unwrap();
        let err = SourcesConfig::read(&path).unwrap_err().to_string();
        assert!(err.contains("unknown file role `tsv`"), "{err}");
        std::fs::write(&path, "[bundle]\nversion = \"1\"\n").unwrap();
        let err = SourcesConfig::read(&path).unwrap_err().to_string();
        assert!(err.contains("SOURCES.toml:"), "{err}");
        assert!(err.contains("genome_build"), "{err}");
    }
}
