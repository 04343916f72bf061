//! Input contig names mapped onto the reference FASTA's names (`7`, `chr7`,
//! `NC_000007.14` → whatever the FASTA calls chromosome 7) through a contig
//! alias table, and the policy for contigs the reference does not have.
//!
//! `vcf-annotate --bundle DIR` takes the alias table from the bundle
//! manifest: it sets [`crate::cli::Args::contig_aliases`] (or calls
//! [`reference_contig_map`] itself).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use noodles::vcf::Header;
use variant_model::contig_alias::{ContigAliases, ContigMap};

use crate::reference::Reference;

/// What to do with records on a contig the reference does not have (after
/// aliasing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum UnknownContigs {
    /// Stop with an error naming the file, line and contig.
    Error,
    /// Carry the records through unchanged and unannotated (INFO flag
    /// `UNKNOWN_CONTIG`), counted per contig in the run summary.
    #[default]
    Keep,
}

/// INFO flag on records kept on a contig absent from the reference.
pub const UNKNOWN_CONTIG_TAG: &str = "UNKNOWN_CONTIG";

/// The map from input contig names to the reference's names, with the alias
/// table at `aliases` (exact names only without one).
pub fn reference_contig_map(
    reference: &Reference,
    aliases: Option<&Path>,
) -> anyhow::Result<ContigMap> {
    let table = aliases
        .map(|path| {
            ContigAliases::from_path(path).with_context(|| {
                format!(
                    "--contig-aliases {}: not a contig alias table",
                    path.display()
                )
            })
        })
        .transpose()?;
    Ok(ContigMap::new(reference.contig_names(), table))
}

/// Renames the header's `##contig` lines to the reference's names. A line
/// whose name maps onto a contig already declared (the header named it
/// twice, in two styles) is dropped; lines of unknown contigs stay.
/// Returns the renames made, `from → to`.
pub fn rename_header_contigs(header: &mut Header, map: &ContigMap) -> Vec<(String, String)> {
    let old = std::mem::take(header.contigs_mut());
    let mut renamed = Vec::new();
    for (name, contig) in old {
        let target = map.resolve(&name).unwrap_or(&name).to_string();
        if target != name {
            renamed.push((name.clone(), target.clone()));
        }
        if !header.contigs().contains_key(&target) {
            header.contigs_mut().insert(target, contig);
        }
    }
    renamed
}

/// Per-contig record counts of contigs not in the reference.
pub type UnmatchedContigs = BTreeMap<String, u64>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_contig_lines_take_the_reference_names() {
        let text = "##fileformat=VCFv4.2\n##contig=<ID=7,length=159345973>\n##contig=<ID=chr7,length=159345973>\n##contig=<ID=HLA-A*01:01:01:01,length=3503>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
        let mut header: Header = text.parse().unwrap();
        let table = ContigAliases::builtin("GRCh38").unwrap();
        let map = ContigMap::new(["chr7".to_string()], Some(table));
        let renamed = rename_header_contigs(&mut header, &map);
        assert_eq!(renamed, [("7".to_string(), "chr7".to_string())]);
        let names: Vec<&str> = header.contigs().keys().map(String::as_str).collect();
        assert_eq!(names, ["chr7", "HLA-A*01:01:01:01"]);
        assert_eq!(header.contigs()["chr7"].length(), Some(159345973));
    }
}
