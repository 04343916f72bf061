//! The shipped GRCh38 contig alias table against Ensembl's own chromosome
//! synonyms (`../shared/data/vep_chr21/chr_synonyms.txt`, from the VEP test
//! data; or `$SHARED_DATA/vep_chr21/`): every UCSC, RefSeq and GenBank
//! synonym Ensembl lists for chromosomes 1-22, X, Y and MT must be in our
//! table under the same chromosome, and every name of our table must be one
//! Ensembl lists.
//!
//! Run: `cargo test -p variant-model --test contig_alias_conformance -- --ignored`

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use variant_model::contig_alias::ContigAliases;

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn grch38_table_agrees_with_ensembl_chromosome_synonyms() {
    let shared = std::env::var_os("SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let path = shared.join("vep_chr21/chr_synonyms.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("conformance: cannot read {}: {e}", path.display()));
    let primary: BTreeSet<String> = (1..=22)
        .map(|n| n.to_string())
        .chain(["X", "Y", "MT"].map(String::from))
        .collect();
    // Ensembl's synonyms of the primary chromosomes, in the styles we ship.
    let mut ensembl: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines() {
        let Some((name, synonym)) = line.split_once('\t') else {
            continue;
        };
        let ours = synonym.starts_with("chr")
            || synonym.starts_with("NC_")
            || synonym.starts_with("CM0")
            || synonym == "J01415.2";
        if primary.contains(name) && ours {
            ensembl
                .entry(name.to_string())
                .or_default()
                .insert(synonym.to_string());
        }
    }
    assert_eq!(ensembl.len(), 25, "Ensembl lists every primary chromosome");
    let table = ContigAliases::builtin("GRCh38").unwrap();
    let mut checked = 0;
    for (name, synonyms) in &ensembl {
        let ours: BTreeSet<String> = table
            .names_of(name)
            .into_iter()
            .filter(|n| n != name)
            .map(String::from)
            .collect();
        assert_eq!(&ours, synonyms, "chromosome {name}");
        checked += synonyms.len();
    }
    println!("contig aliases: {checked} Ensembl synonyms of 25 GRCh38 chromosomes agree");
}
