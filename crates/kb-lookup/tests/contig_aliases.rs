//! A GRCh38 bundle ships the contig alias table, and annotation accepts
//! input contigs named `7`, `chr7` or `NC_000007.14` against a reference
//! that calls the chromosome `chr7`, finds the same knowledge-base records,
//! and counts records on contigs the reference lacks.

use std::path::{Path, PathBuf};

use kb_lookup::annotate::{AnnotateOptions, run as annotate};
use kb_lookup::build::{BuildOptions, build};
use kb_lookup::manifest::Manifest;
use variant_model::record::StreamLine;

const SEQUENCE: &str =
    "ACGTTGCATTGACCTAGGATCCAAGTCGATCGGATTACAGGCATGCAAGCTTGGCACTGGCCGTCGTTTTACAACG";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn base(pos: usize) -> char {
    SEQUENCE.as_bytes()[pos - 1] as char
}

fn build_bundle(dir: &Path, genome_build: &str) -> PathBuf {
    write(dir, "ref.fa", &format!(">chr7\n{SEQUENCE}\n"));
    write(
        dir,
        "clinvar.vcf",
        &format!(
            "##fileformat=VCFv4.1\n\
##INFO=<ID=CLNSIG,Number=.,Type=String,Description=\"Aggregate germline classification\">\n\
##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description=\"ClinVar review status\">\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
chr7\t30\t1002\t{}\tA\t.\t.\tCLNREVSTAT=reviewed_by_expert_panel;CLNSIG=Pathogenic\n",
            base(30)
        ),
    );
    let sources = write(
        dir,
        "SOURCES.toml",
        &format!(
            r#"[bundle]
version = "t"
genome_build = "{genome_build}"
created = "2025-01-15T00:00:00Z"

[[source]]
kind = "reference"
release = "test"
licence = "CC0-1.0"
synthetic = true
files = {{ fasta = "ref.fa" }}

[[source]]
kind = "clinvar"
release = "20250106"
licence = "public-domain"
synthetic = true
files = {{ vcf = "clinvar.vcf" }}
"#
        ),
    );
    let out = dir.join(format!("bundle-{genome_build}"));
    build(&BuildOptions {
        sources,
        out: out.clone(),
        tar: false,
        force: false,
        variables: Default::default(),
    })
    .unwrap();
    out
}

/// A query naming chromosome 7 `name`, with records on chromosome 1 (not
/// in the reference) and on a contig vcf-annotate flagged unknown.
fn query(dir: &Path, name: &str) -> PathBuf {
    write(
        dir,
        &format!("q_{name}.vcf"),
        &format!(
            "##fileformat=VCFv4.2\n##contig=<ID={name},length={len}>\n\
##INFO=<ID=UNKNOWN_CONTIG,Number=0,Type=Flag,Description=\"x\">\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
{name}\t30\t.\t{b30}\tA\t.\tPASS\t.\n\
1\t5\t.\tA\tG\t.\tPASS\t.\n\
chrUn_x\t5\t.\tA\tG,T\t.\tPASS\tUNKNOWN_CONTIG\n",
            len = SEQUENCE.len(),
            b30 = base(30),
        ),
    )
}

fn run(bundle: &Path, input: &Path, output: &Path) -> kb_lookup::Result<Vec<StreamLine>> {
    annotate(&AnnotateOptions {
        bundle: bundle.to_path_buf(),
        input: Some(input.to_path_buf()),
        output: Some(output.to_path_buf()),
        ..Default::default()
    })?;
    Ok(std::fs::read_to_string(output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect())
}

#[test]
fn grch38_bundles_ship_the_alias_table_and_match_any_naming_style() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "GRCh38");
    let manifest = Manifest::read(&bundle).unwrap();
    let aliases = manifest
        .contig_aliases
        .as_ref()
        .expect("listed in the manifest");
    assert_eq!(aliases.path, "reference/contig_aliases.tsv");
    assert_eq!(aliases.role, "contig_aliases");
    let shipped = std::fs::read_to_string(bundle.join(&aliases.path)).unwrap();
    assert_eq!(shipped, variant_model::contig_alias::GRCH38_TSV);
    assert_eq!(
        manifest.contig_aliases_path(&bundle),
        Some(bundle.join("reference/contig_aliases.tsv"))
    );
    // Listed with its checksum: verify checks it.
    let report = kb_lookup::verify::verify(&bundle).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    std::fs::write(bundle.join(&aliases.path), shipped.replace("chr7", "chr07")).unwrap();
    let report = kb_lookup::verify::verify(&bundle).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.to_string().contains("contig_aliases.tsv")),
        "{:?}",
        report.problems
    );
    std::fs::write(bundle.join(&aliases.path), &shipped).unwrap();

    for name in ["7", "chr7", "NC_000007.14"] {
        let lines = run(
            &bundle,
            &query(dir.path(), name),
            &dir.path().join("out.jsonl"),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let StreamLine::Variant(first) = &lines[1] else {
            panic!("{name}: no variant line")
        };
        assert_eq!(first.allele.chrom, name, "input names are kept");
        let ids: Vec<&str> = first
            .kb_matches
            .iter()
            .map(|m| m.record_id.as_str())
            .collect();
        assert_eq!(ids, ["1002"], "{name}: the ClinVar record is found");
        assert!(first.flags.is_empty());
        let StreamLine::Summary(summary) = lines.last().unwrap() else {
            panic!("no summary")
        };
        assert_eq!(
            summary
                .unmatched_contigs
                .iter()
                .map(|(k, v)| (k.as_str(), *v))
                .collect::<Vec<_>>(),
            [("1", 1), ("chrUn_x", 1)],
            "{name}: per record, not per allele"
        );
        let unknown: Vec<&str> = lines
            .iter()
            .filter_map(|l| match l {
                StreamLine::Variant(v) if v.flags.contains(&"unknown_contig".to_string()) => {
                    Some(v.allele.chrom.as_str())
                }
                _ => None,
            })
            .collect();
        assert_eq!(unknown, ["1", "chrUn_x", "chrUn_x"]);
    }

    // A GRCh37 length under the GRCh38 naming is refused.
    let b37 = write(
        dir.path(),
        "q37.vcf",
        "##fileformat=VCFv4.2\n##contig=<ID=NC_000007.13,length=159138663>\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n",
    );
    let err = run(&bundle, &b37, &dir.path().join("o37.jsonl"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("genome build mismatch") && err.contains("GRCh37"),
        "{err}"
    );
}

#[test]
fn bundles_of_other_builds_have_no_table_and_old_manifests_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = build_bundle(dir.path(), "synthetic-1");
    let manifest = Manifest::read(&bundle).unwrap();
    assert!(manifest.contig_aliases.is_none());
    let text = std::fs::read_to_string(bundle.join("manifest.json")).unwrap();
    assert!(
        !text.contains("contig_aliases"),
        "field left out, as before"
    );
    // Without an alias table, the `chr` prefix is still toggled.
    let lines = run(
        &bundle,
        &query(dir.path(), "7"),
        &dir.path().join("o.jsonl"),
    )
    .unwrap();
    let StreamLine::Variant(first) = &lines[1] else {
        panic!()
    };
    assert_eq!(first.kb_matches.len(), 1);
}
