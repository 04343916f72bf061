//! Curated knowledge-base records (CIViC, OncoKB, cancer hotspots, COSMIC
//! CMC): small enough to hold in memory, matched by genomic allele, protein
//! change, codon, region or gene category.
//!
//! In a bundle each curated source is one gzipped JSON Lines file of
//! [`CuratedRecord`]s, sorted by `record_id`.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use variant_model::evidence::Evidence;

/// One knowledge-base record and the rules by which an allele matches it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CuratedRecord {
    /// Identifier in the source (`EID3017`, `AID7`, `BRAF:V600E`, `COSV...`).
    pub record_id: String,
    /// HGNC gene symbol the record is about.
    pub gene: Option<String>,
    /// What the source calls the alteration (`BRAF V600E`, `EGFR exon 19
    /// deletion`), reported as `KbMatch::matched_term`.
    pub term: String,
    /// Ways an allele can match; the strongest that matches sets the level.
    pub rules: Vec<MatchRule>,
    pub evidence: Evidence,
}

/// One way of matching an allele to a record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum MatchRule {
    /// The same normalised genomic allele (on the bundle's build).
    Allele {
        chrom: String,
        pos: u64,
        #[serde(rename = "ref")]
        ref_allele: String,
        #[serde(rename = "alt")]
        alt_allele: String,
    },
    /// The same protein change on the gene, canonical short form
    /// ([`crate::protein_change::ProteinChange::short`]), e.g. `V600E`.
    Protein { change: String },
    /// Any protein-altering change starting at this residue (`V600`).
    Codon { position: u64, ref_aa: Option<char> },
    /// A change of the given effect inside an exon range of the transcript
    /// (`EGFR exon 19 deletion`: exons 19-19, `inframe_deletion`).
    Exon {
        first: u32,
        last: u32,
        effect: RegionEffect,
    },
    /// A change of the given effect inside a residue range (indel hotspots).
    ProteinRange {
        start: u64,
        end: u64,
        effect: RegionEffect,
    },
    /// A gene-level category.
    Gene { category: GeneCategory },
}

/// Which changes a region rule accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionEffect {
    /// In-frame deletion (and delins shortening the protein).
    InframeDeletion,
    /// In-frame insertion or duplication (and delins lengthening it).
    InframeInsertion,
    /// Any in-frame insertion/deletion.
    InframeIndel,
    /// Missense changes only.
    Missense,
    /// Frameshifts only.
    Frameshift,
    /// Any protein-altering or splice-site change.
    AnyMutation,
}

/// Gene-level categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeneCategory {
    /// Truncating / loss-of-function: stop gained, frameshift, splice
    /// donor/acceptor, start lost (OncoKB "Truncating Mutations").
    Truncating,
    /// OncoKB "Oncogenic Mutations": any allele of the gene that matched an
    /// oncogenic or likely oncogenic record, or a cancer hotspot.
    Oncogenic,
    /// Any protein-altering or splice-site change in the gene.
    AnyMutation,
}

/// Key for protein-level look-ups: gene symbol, canonical change.
type ProteinKey = (String, String);

/// The curated records of one source with look-up maps per rule kind.
#[derive(Debug, Default)]
pub struct CuratedSource {
    pub name: String,
    pub version: Option<String>,
    pub records: Vec<CuratedRecord>,
    by_allele: HashMap<(String, u64, String, String), Vec<usize>>,
    by_protein: HashMap<ProteinKey, Vec<usize>>,
    by_codon: HashMap<(String, u64), Vec<usize>>,
    /// Region and gene-category rules, by gene (few per gene).
    by_gene: HashMap<String, Vec<usize>>,
    /// The bundle's contig alias table: allele rules are found under any
    /// alias of their contig.
    aliases: Option<variant_model::contig_alias::ContigAliases>,
}

impl CuratedSource {
    pub fn new(name: &str, version: Option<String>, records: Vec<CuratedRecord>) -> Self {
        let mut source = CuratedSource {
            name: name.to_string(),
            version,
            ..Default::default()
        };
        for (i, record) in records.iter().enumerate() {
            for rule in &record.rules {
                let gene = record.gene.clone().unwrap_or_default();
                match rule {
                    MatchRule::Allele {
                        chrom,
                        pos,
                        ref_allele,
                        alt_allele,
                    } => source
                        .by_allele
                        .entry((chrom.clone(), *pos, ref_allele.clone(), alt_allele.clone()))
                        .or_default()
                        .push(i),
                    MatchRule::Protein { change } => source
                        .by_protein
                        .entry((gene, change.clone()))
                        .or_default()
                        .push(i),
                    MatchRule::Codon { position, .. } => source
                        .by_codon
                        .entry((gene, *position))
                        .or_default()
                        .push(i),
                    MatchRule::Exon { .. }
                    | MatchRule::ProteinRange { .. }
                    | MatchRule::Gene { .. } => source.by_gene.entry(gene).or_default().push(i),
                }
            }
        }
        for list in source
            .by_allele
            .values_mut()
            .chain(source.by_protein.values_mut())
            .chain(source.by_codon.values_mut())
            .chain(source.by_gene.values_mut())
        {
            list.dedup();
        }
        source.records = records;
        source
    }

    /// Lets allele rules be found under any alias of their contig.
    pub fn set_contig_aliases(
        &mut self,
        aliases: Option<variant_model::contig_alias::ContigAliases>,
    ) {
        self.aliases = aliases;
    }

    /// Records with an allele rule for this normalised allele; `chrom` is
    /// tried as given, with the `chr` prefix toggled, then (with an alias
    /// table) under its other names.
    pub fn by_allele(&self, chrom: &str, pos: u64, ref_allele: &str, alt: &str) -> &[usize] {
        let names = match &self.aliases {
            Some(table) => table.names_of(chrom),
            None => vec![chrom],
        };
        for name in names.into_iter().flat_map(crate::contig::aliases) {
            if let Some(v) = self.by_allele.get(&(
                name.to_string(),
                pos,
                ref_allele.to_string(),
                alt.to_string(),
            )) {
                return v;
            }
        }
        &[]
    }

    pub fn by_protein(&self, gene: &str, change: &str) -> &[usize] {
        self.by_protein
            .get(&(gene.to_string(), change.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn by_codon(&self, gene: &str, position: u64) -> &[usize] {
        self.by_codon
            .get(&(gene.to_string(), position))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn gene_rules(&self, gene: &str) -> &[usize] {
        self.by_gene.get(gene).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Reads a gzipped JSON Lines file of records; errors name file and line.
    pub fn read(path: &Path, name: &str, version: Option<String>) -> Result<Self, crate::Error> {
        let reader = variant_model::io::open_input(Some(path))?;
        let mut records = Vec::new();
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| crate::Error::at(path, i as u64 + 1, e.to_string()))?;
            if line.is_empty() {
                continue;
            }
            let record: CuratedRecord = serde_json::from_str(&line)
                .map_err(|e| crate::Error::at(path, i as u64 + 1, e.to_string()))?;
            records.push(record);
        }
        Ok(Self::new(name, version, records))
    }
}

/// Writes records as gzipped JSON Lines, sorted by record id (then by
/// content, so duplicates from different inputs order deterministically).
/// The gzip header carries no file name or time, so the bytes depend only
/// on the records.
pub fn write_records(path: &Path, records: &mut [CuratedRecord]) -> std::io::Result<u64> {
    let mut lines: Vec<String> = records
        .iter()
        .map(|r| serde_json::to_string(r).expect("record serialises"))
        .collect();
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by(|&a, &b| {
        records[a]
            .record_id
            .cmp(&records[b].record_id)
            .then_with(|| lines[a].cmp(&lines[b]))
    });
    let file = std::fs::File::create(path)?;
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(std::io::BufWriter::new(file), flate2::Compression::new(6));
    for &i in &order {
        encoder.write_all(std::mem::take(&mut lines[i]).as_bytes())?;
        encoder.write_all(b"\n")?;
    }
    encoder.finish()?.flush()?;
    Ok(order.len() as u64)
}

#[cfg(test)]
mod alias_tests {
    use super::*;

    #[test]
    fn allele_rules_are_found_under_any_alias_of_their_contig() {
        let record = CuratedRecord {
            record_id: "EID1".into(),
            gene: Some("BRAF".into()),
            term: "BRAF V600E".into(),
            rules: vec![MatchRule::Allele {
                chrom: "7".into(),
                pos: 140753336,
                ref_allele: "A".into(),
                alt_allele: "T".into(),
            }],
            evidence: Default::default(),
        };
        let mut source = CuratedSource::new("civic", None, vec![record]);
        let find = |s: &CuratedSource, chrom: &str| s.by_allele(chrom, 140753336, "A", "T").len();
        assert_eq!(
            find(&source, "chr7"),
            1,
            "chr prefix toggled without a table"
        );
        assert_eq!(find(&source, "NC_000007.14"), 0);
        source.set_contig_aliases(variant_model::contig_alias::ContigAliases::builtin(
            "GRCh38",
        ));
        assert_eq!(find(&source, "NC_000007.14"), 1);
        assert_eq!(
            find(&source, "NC_000007.13"),
            0,
            "a GRCh37 accession is not an alias"
        );
        assert_eq!(find(&source, "8"), 0);
    }
}
