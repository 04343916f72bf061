//! `vcf-annotate --bundle DIR`: the reference and gene model come from a
//! kb-lookup bundle's manifest, and the output is the same as with `-f`/`-g`
//! on the same files. The bundle is built here by kb-lookup's library from
//! a small genome and gene written inline.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kb_lookup::build::{BuildOptions, build};

const BIN: &str = env!("CARGO_BIN_EXE_vcf-annotate");

/// chr1, 60 bases: a one-exon forward-strand gene SYN1 at 11-40 whose CDS
/// (11-37) reads ATG GCT GAA TTC GGT CAG AAA CTG TAA = M A E F G Q K L *.
const CONTIG: &str = "TTGACCTAGGATGGCTGAATTCGGTCAGAAACTGTAAGCCCCGGGTTTAAACCCGGGAAT";

const GFF3: &str = "##gff-version 3\n\
##sequence-region chr1 1 60\n\
chr1\ttest\tgene\t11\t40\t.\t+\t.\tID=gene:G1;Name=SYN1;biotype=protein_coding;gene_id=G1;version=1\n\
chr1\ttest\tmRNA\t11\t40\t.\t+\t.\tID=transcript:T1;Parent=gene:G1;Name=SYN1-201;biotype=protein_coding;tag=basic,Ensembl_canonical;transcript_id=T1;version=1\n\
chr1\ttest\texon\t11\t40\t.\t+\t.\tParent=transcript:T1;Name=T1E01;exon_id=T1E01;rank=1;version=1\n\
chr1\ttest\tCDS\t11\t37\t.\t+\t0\tID=CDS:P1;Parent=transcript:T1;protein_id=P1\n\
chr1\ttest\tthree_prime_UTR\t38\t40\t.\t+\t.\tParent=transcript:T1\n";

/// A missense (GCT>GAT, A2D at 15), a synonymous change (GAA>GAG at 19)
/// and an intergenic SNV (50).
const VCF: &str = "##fileformat=VCFv4.2\n\
##contig=<ID=chr1,length=60>\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
chr1\t15\t.\tC\tA\t50\tPASS\t.\n\
chr1\t19\t.\tA\tG\t50\tPASS\t.\n\
chr1\t50\t.\tA\tT\t50\tPASS\t.\n";

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    /// Writes the genome, gene model and input VCF, and builds a bundle
    /// `bundle/` holding the genome and gene model (plus any `extra`
    /// SOURCES.toml sources), unless `gene_model` is false.
    fn new(gene_model: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let fasta = dir.path().join("ref.fa");
        std::fs::write(&fasta, format!(">chr1\n{CONTIG}\n")).unwrap();
        let index = noodles::fasta::fs::index(&fasta).unwrap();
        noodles::fasta::fai::fs::write(dir.path().join("ref.fa.fai"), &index).unwrap();
        std::fs::write(dir.path().join("genes.gff3"), GFF3).unwrap();
        std::fs::write(dir.path().join("in.vcf"), VCF).unwrap();
        let mut sources = String::from(
            "[bundle]\nversion = \"test\"\ngenome_build = \"GRCh38\"\ncreated = \"2025-01-15T00:00:00Z\"\n\n\
[[source]]\nkind = \"reference\"\nname = \"genome\"\nrelease = \"1\"\nlicence = \"MIT\"\nsynthetic = true\n\
files = { fasta = \"ref.fa\", fai = \"ref.fa.fai\" }\n",
        );
        if gene_model {
            sources.push_str(
                "\n[[source]]\nkind = \"gene_model\"\nname = \"genes\"\nrelease = \"1\"\nlicence = \"MIT\"\nsynthetic = true\n\
files = { gff3 = \"genes.gff3\" }\n",
            );
        }
        std::fs::write(dir.path().join("SOURCES.toml"), sources).unwrap();
        build(&BuildOptions {
            sources: dir.path().join("SOURCES.toml"),
            out: dir.path().join("bundle"),
            tar: false,
            force: false,
            variables: Default::default(),
        })
        .unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .unwrap()
    }
}

fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "vcf-annotate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The output without its `##vcf-annotateCommand` line, the one line that
/// must differ (it records the command line).
fn without_command_line(path: &Path) -> Vec<u8> {
    let text = std::fs::read(path).unwrap();
    let mut kept = Vec::new();
    let mut removed = 0;
    for line in text.split_inclusive(|b| *b == b'\n') {
        if line.starts_with(b"##vcf-annotateCommand=") {
            removed += 1;
        } else {
            kept.extend_from_slice(line);
        }
    }
    assert_eq!(removed, 1, "one command line in {}", path.display());
    kept
}

#[test]
fn bundle_gives_the_same_output_as_fasta_and_gene_model() {
    let f = Fixture::new(true);
    // The bundle holds copies: -f/-g use the bundle's own files, so both
    // runs read the same bytes.
    let direct = f.run(&[
        "-f",
        "bundle/reference/ref.fa",
        "-g",
        "bundle/gene_model/genes.gff3",
        "-o",
        "direct.vcf",
        "in.vcf",
    ]);
    assert_success(&direct);
    let via_bundle = f.run(&["--bundle", "bundle", "-o", "bundle.vcf", "in.vcf"]);
    assert_success(&via_bundle);
    let expected = without_command_line(&f.path("direct.vcf"));
    assert_eq!(expected, without_command_line(&f.path("bundle.vcf")));

    // And it is a real annotation, not two empty outputs.
    let text = String::from_utf8(expected).unwrap();
    let records: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(records.len(), 3, "{text}");
    assert!(
        records[0].contains("missense_variant|MODERATE|SYN1"),
        "{}",
        records[0]
    );
    assert!(records[0].contains("p.Ala2Asp"), "{}", records[0]);
    assert!(records[1].contains("synonymous_variant"), "{}", records[1]);
    assert!(
        records[2].contains("downstream_gene_variant"),
        "{}",
        records[2]
    );

    // The same holds for bgzipped output, index included.
    assert_success(&f.run(&[
        "-f",
        "bundle/reference/ref.fa",
        "-g",
        "bundle/gene_model/genes.gff3",
        "-o",
        "direct.vcf.gz",
        "in.vcf",
    ]));
    assert_success(&f.run(&["--bundle", "bundle", "-o", "bundle.vcf.gz", "in.vcf"]));
    assert!(f.path("bundle.vcf.gz.tbi").is_file());
    let gunzip = |name: &str| {
        let mut text = Vec::new();
        let file = std::fs::File::open(f.path(name)).unwrap();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(file), &mut text)
            .unwrap();
        std::fs::write(f.path(&format!("{name}.txt")), text).unwrap();
        without_command_line(&f.path(&format!("{name}.txt")))
    };
    assert_eq!(gunzip("direct.vcf.gz"), gunzip("bundle.vcf.gz"));
    assert_eq!(
        gunzip("bundle.vcf.gz"),
        without_command_line(&f.path("bundle.vcf"))
    );
}

#[test]
fn bundle_conflicts_with_fasta_and_gene_model() {
    let f = Fixture::new(true);
    for flag in ["-f", "-g"] {
        let out = f.run(&["--bundle", "bundle", flag, "ref.fa", "in.vcf"]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("cannot be used with"), "{flag}: {stderr}");
    }
    // Without any of them, the reference is asked for.
    let out = f.run(&["in.vcf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fasta"));
}

#[test]
fn bundle_without_gene_model_or_files_is_refused_clearly() {
    let f = Fixture::new(false);
    let out = f.run(&["--bundle", "bundle", "-o", "out.vcf", "in.vcf"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bundle/manifest.json") && stderr.contains("no gene model"),
        "{stderr}"
    );
    assert!(!f.path("out.vcf").exists());

    let f = Fixture::new(true);
    std::fs::remove_file(f.path("bundle/reference/ref.fa.fai")).unwrap();
    let out = f.run(&["--bundle", "bundle", "-o", "out.vcf", "in.vcf"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bundle/reference/ref.fa.fai") && stderr.contains("missing"),
        "{stderr}"
    );
    assert!(!f.path("out.vcf").exists());

    // Not a bundle at all.
    let out = f.run(&["--bundle", ".", "-o", "out.vcf", "in.vcf"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("manifest.json"), "{stderr}");
}
