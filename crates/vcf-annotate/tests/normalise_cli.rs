//! End-to-end tests of `vcf-annotate --normalise-only` / `--validate-only`:
//! the binary runs on small VCF/FASTA files written into a temporary folder.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_vcf-annotate");

/// chr1: `GCACACACAT` then 20 more bases; chr2: 10 bases.
const FASTA: &str = ">chr1\nGCACACACATGGGGGAAAAA\nCCCCCTTTTT\n>chr2\nACGTACGTAC\n";

const HEADER: &str = "##fileformat=VCFv4.2\n\
##contig=<ID=chr1,length=30>\n##contig=<ID=chr2,length=10>\n\
##INFO=<ID=AC,Number=A,Type=Integer,Description=\"Allele count\">\n\
##INFO=<ID=XR,Number=R,Type=String,Description=\"Per allele\">\n\
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n\
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">\n\
##FORMAT=<ID=PL,Number=G,Type=Integer,Description=\"Likelihoods\">\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1\n";

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
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn vcf(&self, name: &str, body: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, format!("{HEADER}{body}")).unwrap();
        path
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }
}

fn data_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "vcf-annotate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn splits_a_r_g_fields_and_left_aligns() {
    let f = Fixture::new();
    // chr1:7 ACA>A is a CA deletion in the CACACA repeat: it moves to 1.
    f.vcf(
        "in.vcf",
        "chr1\t7\t.\tACA\tA,ATA\t50\tPASS\tAC=3,4;XR=r,a,b\tGT:AD:PL\t1/2:5,6,7:1,2,3,4,5,6\n\
         chr1\t12\t.\tG\tT\t50\tPASS\tAC=1;XR=r,t\tGT:AD:PL\t0/1:3,4:0,1,2\n",
    );
    let out = stdout(&f.run(&["--normalise-only", "-f", "ref.fa", "in.vcf"]));
    assert_eq!(
        data_lines(&out),
        [
            "chr1\t1\t.\tGCA\tG\t50\tPASS\tAC=3;XR=r,a;ORIGINAL=chr1|7|ACA|A,ATA|1\tGT:AD:PL\t1/0:5,6:1,2,3",
            "chr1\t8\t.\tC\tT\t50\tPASS\tAC=4;XR=r,b;ORIGINAL=chr1|7|ACA|A,ATA|2\tGT:AD:PL\t0/1:5,7:1,4,6",
            "chr1\t12\t.\tG\tT\t50\tPASS\tAC=1;XR=r,t\tGT:AD:PL\t0/1:3,4:0,1,2",
        ]
    );
    assert!(out.contains("##INFO=<ID=ORIGINAL,Number=1,Type=String"));
    assert!(out.contains("##vcf-annotateCommand=vcf-annotate --normalise-only -f ref.fa in.vcf"));
}

/// A record normalisation leaves as it is keeps its input line, as VEP
/// passes lines through (QUAL `50.00` stays); a changed record is written
/// from its parsed values (QUAL `50`).
#[test]
fn unchanged_records_keep_their_input_line() {
    let f = Fixture::new();
    f.vcf(
        "in.vcf",
        "chr1\t7\t.\tACA\tA\t50.00\tPASS\tAC=3\tGT:AD\t0/1:5,6\n\
         chr1\t12\t.\tG\tT\t50.00\tPASS\tAC=1;XR=r,t\tGT:AD:PL\t0/1:3,4:0,1,2\n",
    );
    let out = stdout(&f.run(&["--normalise-only", "-f", "ref.fa", "in.vcf"]));
    assert_eq!(
        data_lines(&out),
        [
            "chr1\t1\t.\tGCA\tG\t50\tPASS\tAC=3;ORIGINAL=chr1|7|ACA|A\tGT:AD\t0/1:5,6",
            "chr1\t12\t.\tG\tT\t50.00\tPASS\tAC=1;XR=r,t\tGT:AD:PL\t0/1:3,4:0,1,2",
        ]
    );
}

#[test]
fn output_is_deterministic() {
    let f = Fixture::new();
    f.vcf("in.vcf", "chr1\t7\t.\tACA\tA,ATA\t.\t.\t.\tGT\t1/2\n");
    let a = stdout(&f.run(&["--normalise-only", "-f", "ref.fa", "in.vcf"]));
    let b = stdout(&f.run(&["--normalise-only", "-f", "ref.fa", "in.vcf", "-t", "1"]));
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("##vcf-annotateCommand"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn ref_mismatch_is_an_error_naming_the_line_or_flagged_and_counted() {
    let f = Fixture::new();
    // chr1:12 is G, not C.
    f.vcf(
        "in.vcf",
        "chr1\t5\t.\tA\tT\t.\t.\t.\tGT\t0/1\nchr1\t12\t.\tC\tT\t.\t.\t.\tGT\t0/1\n",
    );
    let out = f.run(&[
        "--normalise-only",
        "-f",
        "ref.fa",
        "in.vcf",
        "-o",
        "out.vcf",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("in.vcf:11:") && err.contains("does not match the reference"),
        "{err}"
    );
    assert!(!f.path("out.vcf").exists(), "no partial output");

    let out = f.run(&[
        "--normalise-only",
        "-f",
        "ref.fa",
        "--ref-mismatch",
        "flag",
        "in.vcf",
    ]);
    let text = stdout(&out);
    let lines = data_lines(&text);
    assert_eq!(lines[1], "chr1\t12\t.\tC\tT\t.\t.\tREF_MISMATCH\tGT\t0/1");
    assert!(text.contains("##INFO=<ID=REF_MISMATCH,Number=0,Type=Flag"));
    assert!(stderr(&out).contains("ref_mismatch=1"), "{}", stderr(&out));

    let out = f.run(&[
        "--normalise-only",
        "-f",
        "ref.fa",
        "--ref-mismatch",
        "exclude",
        "in.vcf",
    ]);
    assert_eq!(data_lines(&stdout(&out)).len(), 1);
    assert!(stderr(&out).contains("excluded_ref_mismatch=1"));
}

#[test]
fn reads_stdin_and_writes_stdout() {
    let f = Fixture::new();
    let input = format!("{HEADER}chr2\t3\t.\tG\tA\t.\t.\t.\tGT\t0/1\n");
    let mut child = Command::new(BIN)
        .args(["--normalise-only", "-f", "ref.fa"])
        .current_dir(f.dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        data_lines(&stdout(&out)),
        ["chr2\t3\t.\tG\tA\t.\t.\t.\tGT\t0/1"]
    );
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn writes_bgzip_and_tabix_index() {
    let f = Fixture::new();
    f.vcf(
        "in.vcf",
        "chr1\t7\t.\tACA\tA\t.\t.\t.\tGT\t0/1\nchr2\t3\t.\tG\tA\t.\t.\t.\tGT\t0/1\n",
    );
    stdout(&f.run(&[
        "--normalise-only",
        "-f",
        "ref.fa",
        "in.vcf",
        "-o",
        "out.vcf.gz",
    ]));
    assert!(f.path("out.vcf.gz.tbi").exists());
    let bytes = std::fs::read(f.path("out.vcf.gz")).unwrap();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b]);
    // our own reader reads it back (by content)
    let back = stdout(&f.run(&["--split-only", "out.vcf.gz"]));
    assert_eq!(data_lines(&back).len(), 2);
    if have("bcftools") {
        let out = Command::new("bcftools")
            .args(["view", "-H", "out.vcf.gz", "chr2"])
            .current_dir(f.dir.path())
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "chr2\t3\t.\tG\tA\t.\t.\t.\tGT\t0/1"
        );
    }
    if have("tabix") {
        let out = Command::new("tabix")
            .args(["out.vcf.gz", "chr1:1-5"])
            .current_dir(f.dir.path())
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("chr1\t1\t.\tGCA\tG"));
    }
}

#[test]
fn reads_bcf_input() {
    use noodles::vcf::variant::io::Write as _;
    let f = Fixture::new();
    let vcf = f.vcf("in.vcf", "chr1\t7\t.\tACA\tA,ATA\t.\t.\tAC=1,2\tGT\t1/2\n");
    let mut reader = noodles::vcf::io::reader::Builder::default()
        .build_from_path(&vcf)
        .unwrap();
    let header = reader.read_header().unwrap();
    let records: Vec<_> = reader.record_bufs(&header).map(Result::unwrap).collect();
    {
        let mut writer =
            noodles::bcf::io::Writer::new(std::fs::File::create(f.path("in.bcf")).unwrap());
        writer.write_header(&header).unwrap();
        for r in &records {
            writer.write_variant_record(&header, r).unwrap();
        }
        writer.try_finish().unwrap();
    }
    let from_vcf = stdout(&f.run(&["--normalise-only", "-f", "ref.fa", "in.vcf"]));
    let from_bcf = stdout(&f.run(&["--normalise-only", "-f", "ref.fa", "in.bcf"]));
    assert_eq!(data_lines(&from_vcf), data_lines(&from_bcf));
    assert_eq!(data_lines(&from_bcf).len(), 2);
}

/// Runs a failing case: non-zero exit, the expected words on stderr and no
/// output file left behind.
fn assert_fails(f: &Fixture, args: &[&str], expected: &[&str]) {
    let out = f.run(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    let err = stderr(&out);
    for word in expected {
        assert!(err.contains(word), "{args:?}: `{word}` not in: {err}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("out") || n.starts_with(".out"))
        .collect();
    assert!(leftovers.is_empty(), "{args:?} left {leftovers:?}");
}

#[test]
fn bad_inputs_give_clear_errors_and_no_output() {
    let f = Fixture::new();
    f.vcf("good.vcf", "chr1\t12\t.\tG\tT\t.\t.\t.\tGT\t0/1\n");

    std::fs::write(f.path("nofai.fa"), FASTA).unwrap();
    assert_fails(
        &f,
        &[
            "--normalise-only",
            "-f",
            "nofai.fa",
            "good.vcf",
            "-o",
            "out.vcf.gz",
        ],
        &["nofai.fa.fai", "samtools faidx"],
    );

    f.vcf("chr3.vcf", "chr3\t1\t.\tA\tT\t.\t.\t.\tGT\t0/1\n");
    assert_fails(
        &f,
        &[
            "--normalise-only",
            "-f",
            "ref.fa",
            "chr3.vcf",
            "--unknown-contigs",
            "error",
            "-o",
            "out.vcf.gz",
        ],
        &["chr3.vcf:10:", "chr3", "ref.fa"],
    );

    f.vcf(
        "unsorted.vcf",
        "chr1\t12\t.\tG\tT\t.\t.\t.\tGT\t0/1\nchr1\t5\t.\tA\tT\t.\t.\t.\tGT\t0/1\n",
    );
    assert_fails(
        &f,
        &[
            "--normalise-only",
            "-f",
            "ref.fa",
            "unsorted.vcf",
            "-o",
            "out.vcf",
        ],
        &["unsorted.vcf:11:", "not sorted"],
    );

    f.vcf("malformed.vcf", "chr1\tx12\t.\tG\tT\t.\t.\t.\tGT\t0/1\n");
    assert_fails(
        &f,
        &[
            "--normalise-only",
            "-f",
            "ref.fa",
            "malformed.vcf",
            "-o",
            "out.vcf",
        ],
        &["malformed.vcf:10:", "POS"],
    );

    let body: String = (1..=30)
        .map(|i| format!("chr1\t{i}\t.\tN\tT\t.\t.\t.\tGT\t0/1\n"))
        .collect();
    let text = format!("{HEADER}{body}").repeat(1);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    std::fs::write(f.path("cut.vcf.gz"), &gz[..gz.len() - 10]).unwrap();
    assert_fails(
        &f,
        &["--validate-only", "cut.vcf.gz"],
        &["cut.vcf.gz", "truncated"],
    );
    assert_fails(
        &f,
        &[
            "--normalise-only",
            "-f",
            "ref.fa",
            "cut.vcf.gz",
            "-o",
            "out.vcf.gz",
        ],
        &["cut.vcf.gz", "truncated"],
    );
}

#[test]
fn validate_only_needs_no_reference() {
    let f = Fixture::new();
    f.vcf("good.vcf", "chr1\t12\t.\tG\tT\t.\t.\t.\tGT\t0/1\n");
    let out = f.run(&["--validate-only", "good.vcf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("valid, 1 records"));
    f.vcf("bad.vcf", "chr1\t12\t.\tG\tT\t.\t.\tAC=x\tGT\t0/1\n");
    let out = f.run(&["--validate-only", "bad.vcf"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("bad.vcf:10: INFO/AC"),
        "{}",
        stderr(&out)
    );
}
