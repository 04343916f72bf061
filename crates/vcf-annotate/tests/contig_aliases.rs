//! `--contig-aliases` and `--unknown-contigs`: input contigs named `7`,
//! `chr7` or `NC_000007.14` are annotated identically against a FASTA that
//! calls the chromosome `chr7`; contigs the reference lacks are kept and
//! counted, or refused.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_vcf-annotate");

/// chr7: a one-exon gene (exon 5-55, CDS 11-43: ATG GCT GAA ... TAA).
const FASTA: &str = ">chr7\nGGGGGCCCCCATGGCTGAAGTTCTGAAACCGGGTAAAGGCTAACCCCCGGGGGAAAAATT\n";

const GFF: &str = "##gff-version 3\n\
chr7\ttest\tgene\t5\t55\t.\t+\t.\tID=gene:G1;Name=GENE1;biotype=protein_coding;gene_id=G1\n\
chr7\ttest\tmRNA\t5\t55\t.\t+\t.\tID=transcript:T1;Parent=gene:G1;Name=GENE1-201;biotype=protein_coding;transcript_id=T1;tag=Ensembl_canonical\n\
chr7\ttest\texon\t5\t55\t.\t+\t.\tParent=transcript:T1;rank=1\n\
chr7\ttest\tCDS\t11\t43\t.\t+\t0\tID=CDS:P1;Parent=transcript:T1;protein_id=P1\n";

fn aliases_table() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/contig_aliases/GRCh38.tsv")
}

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let fasta = dir.path().join("ref.fa");
        std::fs::write(&fasta, FASTA).unwrap();
        let index = noodles::fasta::fs::index(&fasta).unwrap();
        noodles::fasta::fai::fs::write(dir.path().join("ref.fa.fai"), &index).unwrap();
        std::fs::write(dir.path().join("genes.gff3"), GFF).unwrap();
        Self { dir }
    }

    /// A VCF naming chromosome 7 `name`, with records on chromosome 1
    /// (absent from the reference) and on an unplaced contig after it.
    fn vcf(&self, name: &str) -> PathBuf {
        let text = format!(
            "##fileformat=VCFv4.2\n##contig=<ID={name},length=60>\n##contig=<ID=1>\n##contig=<ID=chrUn_x>\n\
             #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
             {name}\t14\t.\tG\tC\t50\tPASS\t.\n\
             {name}\t18\t.\tA\tAT,T\t50\tPASS\t.\n\
             1\t100\t.\tA\tG\t50\tPASS\t.\n\
             chrUn_x\t5\t.\tC\tT,G\t50\tPASS\t.\n\
             chrUn_x\t9\t.\tC\tT\t50\tPASS\t.\n"
        );
        let path = self.dir.path().join(format!("in_{name}.vcf"));
        std::fs::write(&path, text).unwrap();
        path
    }

    fn run(&self, input: &Path, extra: &[&str]) -> Output {
        let summary = self.dir.path().join("summary.json");
        Command::new(BIN)
            .arg(input)
            .args(["-f", "ref.fa", "-g", "genes.gff3", "--summary"])
            .arg(&summary)
            .args(extra)
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    fn summary(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.dir.path().join("summary.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "vcf-annotate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn data_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.starts_with('#')).collect()
}

#[test]
fn every_naming_style_is_annotated_identically() {
    let f = Fixture::new();
    let table = aliases_table();
    let table = table.to_str().unwrap();
    let mut outputs = Vec::new();
    for name in ["7", "chr7", "NC_000007.14"] {
        let text = stdout(&f.run(&f.vcf(name), &["--contig-aliases", table]));
        assert!(
            text.contains("##contig=<ID=chr7,length=60>"),
            "{name}: header contig renamed to the reference's name:\n{text}"
        );
        assert!(!text.contains(&format!("##contig=<ID={name},")) || name == "chr7");
        let summary = f.summary();
        assert_eq!(
            summary["unmatched_contigs"],
            serde_json::json!({"1": 1, "chrUn_x": 2}),
            "{name}"
        );
        outputs.push(data_lines(&text).join("\n"));
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[1], outputs[2]);
    let lines: Vec<&str> = outputs[0].lines().collect();
    // chr7:14 G>C is GCT>CCT in codon 2 (p.Ala2Pro).
    assert!(lines[0].starts_with("chr7\t14\t.\tG\tC\t"), "{}", lines[0]);
    assert!(lines[0].contains("missense_variant|"), "{}", lines[0]);
    assert!(lines[0].contains("p.Ala2Pro"), "{}", lines[0]);
    // The multi-allelic record is split: 2 alleles.
    assert_eq!(lines.iter().filter(|l| l.starts_with("chr7\t")).count(), 3);
    // Unknown contigs are carried through, split, flagged and unannotated.
    let unknown: Vec<&&str> = lines.iter().filter(|l| !l.starts_with("chr7")).collect();
    assert_eq!(unknown.len(), 4, "{unknown:?}");
    for line in &unknown {
        assert!(line.contains("UNKNOWN_CONTIG"), "{line}");
        assert!(!line.contains("CSQ="), "{line}");
    }
    assert!(unknown[0].starts_with("1\t100\t.\tA\tG\t"));
}

#[test]
fn without_an_alias_table_other_styles_are_unknown_contigs() {
    let f = Fixture::new();
    let out = f.run(&f.vcf("7"), &[]);
    let text = stdout(&out);
    assert_eq!(
        f.summary()["unmatched_contigs"],
        serde_json::json!({"1": 1, "7": 2, "chrUn_x": 2})
    );
    assert!(data_lines(&text).iter().all(|l| !l.contains("CSQ=")));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not in the reference, kept unannotated: 1 (1), 7 (2), chrUn_x (2)"),
        "{stderr}"
    );
}

#[test]
fn error_policy_names_the_file_line_and_contig() {
    let f = Fixture::new();
    let table = aliases_table();
    let input = f.vcf("NC_000007.14");
    let out = f.run(
        &input,
        &[
            "--contig-aliases",
            table.to_str().unwrap(),
            "--unknown-contigs",
            "error",
            "-o",
            "out.vcf",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Line 8 is the first record on chromosome 1 (absent from the FASTA).
    assert!(
        stderr.contains(&format!(
            "{}:8: contig `1` is not in the reference FASTA ref.fa",
            input.display()
        )),
        "{stderr}"
    );
    assert!(
        !f.dir.path().join("out.vcf").exists(),
        "no half-written output"
    );
}

#[test]
fn a_malformed_alias_table_is_refused() {
    let f = Fixture::new();
    std::fs::write(f.dir.path().join("bad.tsv"), "ucsc\tensembl\nchr7\n").unwrap();
    let out = f.run(&f.vcf("7"), &["--contig-aliases", "bad.tsv"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.tsv:2: 1 columns"), "{stderr}");
}
