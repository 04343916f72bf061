//! Contig name aliases: `chr7`, `7`, `NC_000007.14` and `CM000669.2` are the
//! same chromosome under the UCSC, Ensembl/NCBI, RefSeq and GenBank naming
//! styles.
//!
//! An alias table is a tab-separated file with one row per contig and one
//! column per naming style; `#` starts a comment line, the first other line
//! names the columns, and `.` (or an empty cell) means the contig has no name
//! in that style. The tables of the GRCh37 and GRCh38 primary assemblies
//! (from the NCBI assembly reports) ship in `assets/contig_aliases/` and are
//! built into this crate ([`ContigAliases::builtin`]).
//!
//! [`ContigMap`] maps input names onto the names a target (a reference FASTA,
//! a bundle) uses, whichever style that is.

use std::collections::HashMap;
use std::path::Path;

/// The GRCh38 table shipped in `assets/contig_aliases/GRCh38.tsv`.
pub const GRCH38_TSV: &str = include_str!("../../../assets/contig_aliases/GRCh38.tsv");
/// The GRCh37 table shipped in `assets/contig_aliases/GRCh37.tsv`.
pub const GRCH37_TSV: &str = include_str!("../../../assets/contig_aliases/GRCh37.tsv");

#[derive(Debug, thiserror::Error)]
pub enum AliasError {
    #[error("{origin}: cannot read contig alias table: {message}")]
    Read { origin: String, message: String },
    #[error("{origin}:{line}: {message}")]
    Invalid {
        origin: String,
        line: usize,
        message: String,
    },
}

/// Groups of names that denote the same contig.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContigAliases {
    /// Column names (naming styles), in file order.
    styles: Vec<String>,
    /// One entry per row: the names of that contig by style (`None`: none).
    rows: Vec<Vec<Option<String>>>,
    /// Any name → its row.
    by_name: HashMap<String, usize>,
}

impl ContigAliases {
    /// Parses a table; `origin` names it in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Self, AliasError> {
        let invalid = |line: usize, message: String| AliasError::Invalid {
            origin: origin.to_string(),
            line,
            message,
        };
        let mut table = ContigAliases::default();
        for (index, raw) in text.lines().enumerate() {
            let number = index + 1;
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            if table.styles.is_empty() {
                if cells.iter().any(|c| c.is_empty()) {
                    return Err(invalid(
                        number,
                        "empty column name in the header row".into(),
                    ));
                }
                table.styles = cells.iter().map(|c| c.to_string()).collect();
                continue;
            }
            if cells.len() != table.styles.len() {
                return Err(invalid(
                    number,
                    format!(
                        "{} columns, the header row has {}",
                        cells.len(),
                        table.styles.len()
                    ),
                ));
            }
            let row_index = table.rows.len();
            let mut row = Vec::with_capacity(cells.len());
            for cell in cells {
                if cell.is_empty() || cell == "." {
                    row.push(None);
                    continue;
                }
                if let Some(&other) = table.by_name.get(cell) {
                    // The same name twice in one row is harmless; in two
                    // rows it would make the mapping ambiguous.
                    if other != row_index {
                        return Err(invalid(
                            number,
                            format!("`{cell}` is already an alias of another contig"),
                        ));
                    }
                }
                table.by_name.insert(cell.to_string(), row_index);
                row.push(Some(cell.to_string()));
            }
            if row.iter().all(Option::is_none) {
                return Err(invalid(number, "a row without any name".into()));
            }
            table.rows.push(row);
        }
        if table.styles.is_empty() {
            return Err(invalid(0, "no header row (column names)".into()));
        }
        Ok(table)
    }

    /// Reads a table from a file.
    pub fn from_path(path: &Path) -> Result<Self, AliasError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| AliasError::Read {
            origin: origin.clone(),
            message: e.to_string(),
        })?;
        Self::parse(&text, &origin)
    }

    /// The text of the table shipped for a genome build (`GRCh37`,
    /// `GRCh38`; the usual spellings such as `hg38` or `GRCh38.p14` too).
    pub fn builtin_text(build: &str) -> Option<&'static str> {
        let lower = build.to_ascii_lowercase();
        if lower.starts_with("grch38") || lower == "hg38" {
            Some(GRCH38_TSV)
        } else if lower.starts_with("grch37") || lower == "hg19" || lower == "b37" {
            Some(GRCH37_TSV)
        } else {
            None
        }
    }

    /// The table shipped for a genome build, if there is one.
    pub fn builtin(build: &str) -> Option<Self> {
        let text = Self::builtin_text(build)?;
        Some(Self::parse(text, &format!("built-in {build} contig aliases")).expect("valid"))
    }

    /// The name of `name`'s contig in naming style `style` (a column name
    /// such as `ensembl`), if the table knows both.
    pub fn name_in_style(&self, name: &str, style: &str) -> Option<&str> {
        let column = self.styles.iter().position(|s| s == style)?;
        let &row = self.by_name.get(name)?;
        self.rows[row][column].as_deref()
    }

    /// Naming styles (column names).
    pub fn styles(&self) -> &[String] {
        &self.styles
    }

    /// Number of contigs (rows).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every name of the contig `name` denotes, `name` first; just `name`
    /// when the table does not know it.
    pub fn names_of<'a>(&'a self, name: &'a str) -> Vec<&'a str> {
        let mut names = vec![name];
        if let Some(&row) = self.by_name.get(name) {
            names.extend(
                self.rows[row]
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .filter(|n| *n != name),
            );
        }
        names
    }

    /// A name that is the same for every alias of a contig (the first name
    /// of its row, e.g. the UCSC one), to compare contigs across styles;
    /// `None` when the table does not know `name`.
    pub fn key(&self, name: &str) -> Option<&str> {
        let &row = self.by_name.get(name)?;
        self.rows[row].iter().flatten().next().map(String::as_str)
    }
}

/// Maps contig names onto those of a target (a reference FASTA, a bundle).
#[derive(Debug, Clone, Default)]
pub struct ContigMap {
    /// Input name → target name, for names that differ from the target's.
    renames: HashMap<String, String>,
    /// Target names.
    targets: std::collections::HashSet<String>,
    aliases: Option<ContigAliases>,
}

impl ContigMap {
    /// `targets`: the names the target uses. Without an alias table only
    /// exact names match.
    pub fn new(targets: impl IntoIterator<Item = String>, aliases: Option<ContigAliases>) -> Self {
        let targets: std::collections::HashSet<String> = targets.into_iter().collect();
        let mut renames = HashMap::new();
        if let Some(table) = &aliases {
            for row in &table.rows {
                // The first target name of the row wins when (oddly) the
                // target has the contig under two names.
                let Some(target) = row.iter().flatten().find(|n| targets.contains(*n)) else {
                    continue;
                };
                for name in row.iter().flatten() {
                    if !targets.contains(name) {
                        renames.insert(name.clone(), target.clone());
                    }
                }
            }
        }
        Self {
            renames,
            targets,
            aliases,
        }
    }

    /// The target's name for `name`: itself when the target has it, its
    /// alias in the target otherwise, `None` when the target has neither.
    pub fn resolve<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        if self.targets.contains(name) {
            return Some(name);
        }
        self.renames.get(name).map(String::as_str)
    }

    /// The alias table, if any.
    pub fn aliases(&self) -> Option<&ContigAliases> {
        self.aliases.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_tables_parse_and_cover_the_primary_chromosomes() {
        for (build, refseq7, genbank7, genbank_x) in [
            ("GRCh38", "NC_000007.14", "CM000669.2", "CM000685.2"),
            ("GRCh37", "NC_000007.13", "CM000669.1", "CM000685.1"),
        ] {
            let table = ContigAliases::builtin(build).unwrap();
            assert_eq!(table.styles(), ["ucsc", "ensembl", "refseq", "genbank"]);
            assert_eq!(table.len(), 25, "{build}: 1-22, X, Y, MT");
            assert_eq!(table.names_of("7"), ["7", "chr7", refseq7, genbank7]);
            assert_eq!(table.key(refseq7), Some("chr7"));
            assert_eq!(table.key("X"), table.key(genbank_x));
            assert_eq!(table.key("NC_012920.1"), table.key("MT"));
        }
        // hg19 chrM is another sequence than GRCh37 MT: not an alias.
        let b37 = ContigAliases::builtin("GRCh37").unwrap();
        assert_eq!(b37.key("chrM"), None);
        let b38 = ContigAliases::builtin("hg38").unwrap();
        assert_eq!(b38.key("chrM"), b38.key("MT"));
        assert_eq!(b38.key("NC_000024.10"), Some("chrY"));
        assert_eq!(b38.name_in_style("chrM", "refseq"), Some("NC_012920.1"));
        assert_eq!(b38.name_in_style("CM000663.2", "ensembl"), Some("1"));
        assert_eq!(b38.name_in_style("chr1", "nonsense"), None);
        assert!(ContigAliases::builtin("synthetic-1").is_none());
    }

    #[test]
    fn maps_any_alias_onto_the_targets_naming() {
        let table = ContigAliases::builtin("GRCh38").unwrap();
        let ucsc = ContigMap::new(["chr7".to_string(), "chrM".into()], Some(table.clone()));
        for name in ["7", "chr7", "NC_000007.14", "CM000669.2"] {
            assert_eq!(ucsc.resolve(name), Some("chr7"), "{name}");
        }
        assert_eq!(ucsc.resolve("MT"), Some("chrM"));
        assert_eq!(ucsc.resolve("8"), None, "not in the target");
        assert_eq!(ucsc.resolve("chrUn_KI270742v1"), None);
        let ensembl = ContigMap::new(["7".to_string()], Some(table));
        assert_eq!(ensembl.resolve("chr7"), Some("7"));
        let exact = ContigMap::new(["7".to_string()], None);
        assert_eq!(exact.resolve("7"), Some("7"));
        assert_eq!(exact.resolve("chr7"), None);
    }

    #[test]
    fn rejects_ambiguous_or_malformed_tables() {
        let dup = "a\tb\nchr1\t1\nchr2\t1\n";
        let e = ContigAliases::parse(dup, "t.tsv").unwrap_err().to_string();
        assert!(e.starts_with("t.tsv:3:") && e.contains("`1`"), "{e}");
        let short = "a\tb\nchr1\n";
        let e = ContigAliases::parse(short, "t.tsv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.tsv:2: 1 columns"), "{e}");
        assert!(ContigAliases::parse("# only a comment\n", "t").is_err());
        let ok = ContigAliases::parse("# c\nx\ty\r\nchr1\t.\n", "t").unwrap();
        assert_eq!(ok.names_of("chr1"), ["chr1"]);
    }
}
