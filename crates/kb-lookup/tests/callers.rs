//! `kb-lookup annotate` on callers' VCFs as they come: depths and allele
//! fractions read with each caller's conventions, tumour/normal roles,
//! PASS-only filtering. The VCFs are written here in each caller's
//! documented format (the caller docs are cited in
//! `variant_model::caller`'s tests); the bundle holds only a reference.

use std::path::{Path, PathBuf};
use std::process::Command;

use kb_lookup::annotate::{AnnotateOptions, run as annotate};
use kb_lookup::build::{BuildOptions, build};
use variant_model::VariantRecord;
use variant_model::caller::{Caller, CallerChoice, SampleType};
use variant_model::record::{SampleCall, StreamHeader, StreamLine, StreamSummary};

fn bundle(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("ref.fa"), ">chr1\nACGTACGTACGTACGTACGT\n").unwrap();
    std::fs::write(
        dir.join("SOURCES.toml"),
        "[bundle]\nversion = \"callers-test\"\ngenome_build = \"synthetic-1\"\ncreated = \"2025-01-15T00:00:00Z\"\n\n\
         [[source]]\nkind = \"reference\"\nname = \"genome\"\nrelease = \"synthetic-1\"\nlicence = \"CC0-1.0\"\nsynthetic = true\nfiles = { fasta = \"ref.fa\" }\n",
    )
    .unwrap();
    let out = dir.join("bundle");
    build(&BuildOptions {
        sources: dir.join("SOURCES.toml"),
        out: out.clone(),
        tar: false,
        force: false,
        variables: Default::default(),
    })
    .unwrap();
    out
}

struct Run {
    header: StreamHeader,
    variants: Vec<VariantRecord>,
    summary: StreamSummary,
}

fn options(dir: &Path, vcf: &str) -> AnnotateOptions {
    let input = dir.join("in.vcf");
    std::fs::write(&input, vcf).unwrap();
    AnnotateOptions {
        bundle: bundle(dir),
        input: Some(input),
        output: Some(dir.join("out.jsonl")),
        allow_unknown_build: true,
        ..Default::default()
    }
}

fn run(options: &AnnotateOptions) -> Run {
    annotate(options).unwrap();
    read(options.output.as_deref().unwrap())
}

fn read(path: &Path) -> Run {
    let mut header = None;
    let mut variants = Vec::new();
    let mut summary = None;
    for line in std::fs::read_to_string(path).unwrap().lines() {
        match serde_json::from_str(line).unwrap() {
            StreamLine::Header(h) => header = Some(h),
            StreamLine::Variant(v) => variants.push(v),
            StreamLine::Summary(s) => summary = Some(s),
        }
    }
    Run {
        header: header.unwrap(),
        variants,
        summary: summary.unwrap(),
    }
}

fn call<'a>(record: &'a VariantRecord, role: &str) -> &'a SampleCall {
    record
        .calls
        .iter()
        .find(|c| c.role.as_deref() == Some(role))
        .unwrap_or_else(|| panic!("no {role} call in {:?}", record.calls))
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

// Mutect2 + FilterMutectCalls tumour-normal output (GATK 4; FORMAT and
// header lines as in
// https://gatk.broadinstitute.org/hc/en-us/articles/360037593851-Mutect2):
// the normal's column first, FILTER values of FilterMutectCalls.
const MUTECT2: &str = "##fileformat=VCFv4.2
##FILTER=<ID=PASS,Description=\"All filters passed\">
##FILTER=<ID=weak_evidence,Description=\"Mutation does not meet likelihood threshold\">
##FILTER=<ID=strand_bias,Description=\"Evidence for alt allele comes from one read direction only\">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths for the ref and alt alleles in the order listed\">
##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"Allele fractions of alternate alleles in the tumor\">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Approximate read depth (reads with MQ=255 or with bad mates are filtered)\">
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">
##GATKCommandLine=<ID=Mutect2,CommandLine=\"Mutect2 --input t.bam --input n.bam --normal-sample PT7_N\",Version=\"4.2.6.1\",Date=\"2022\">
##GATKCommandLine=<ID=FilterMutectCalls,CommandLine=\"FilterMutectCalls\",Version=\"4.2.6.1\",Date=\"2022\">
##normal_sample=PT7_N
##source=FilterMutectCalls
##source=Mutect2
##tumor_sample=PT7_T
##contig=<ID=chr1,length=20>
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPT7_N\tPT7_T
chr1\t2\t.\tC\tT\t.\tPASS\tDP=101\tGT:AD:AF:DP\t0/0:40,0:0.024:40\t0/1:35,26:0.418:61
chr1\t5\t.\tA\tG\t.\tweak_evidence\tDP=50\tGT:AD:AF:DP\t0/0:25,0:0.04:25\t0/1:23,2:0.08:25
chr1\t9\t.\tA\tC\t.\tweak_evidence;strand_bias\tDP=50\tGT:AD:AF:DP\t0/0:25,0:0.04:25\t0/1:20,5:0.2:25
chr1\t12\t.\tG\tA\t.\t.\tDP=40\tGT:AD:AF:DP\t0/0:20,0:0.05:20\t0/1:15,5:0.25:20
";

#[test]
fn mutect2_tumour_normal_pass_only_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let options = options(dir.path(), MUTECT2);
    let out = run(&options);
    assert_eq!(out.header.sample.as_deref(), Some("PT7_T"));
    assert_eq!(out.header.normal_sample.as_deref(), Some("PT7_N"));
    let caller = out.header.caller.as_ref().unwrap();
    assert_eq!(caller.name, "mutect2");
    assert!(
        caller.evidence.contains("ID=Mutect2"),
        "{}",
        caller.evidence
    );
    assert_eq!(
        caller.roles_from.as_deref(),
        Some("##tumor_sample, ##normal_sample")
    );

    // PASS and `.` are kept; the two filtered records are counted by name.
    let positions: Vec<u64> = out.variants.iter().map(|v| v.allele.pos).collect();
    assert_eq!(positions, [2, 12]);
    let tumour = call(&out.variants[0], "tumor");
    assert_eq!(tumour.sample, "PT7_T");
    assert_eq!((tumour.alt_depth, tumour.total_depth), (Some(26), Some(61)));
    assert!(close(tumour.vaf, 0.418));
    let normal = call(&out.variants[0], "normal");
    assert_eq!(
        (normal.sample.as_str(), normal.alt_depth),
        ("PT7_N", Some(0))
    );
    assert_eq!(out.summary.records_read, 4);
    assert_eq!(out.summary.alleles_written, 2);
    assert_eq!(out.summary.filtered["filter:weak_evidence"], 2);
    assert_eq!(out.summary.filtered["filter:strand_bias"], 1);
    assert_eq!(out.summary.counts["caller:mutect2"], 1);

    // --keep-filtered keeps them all, with their FILTER values.
    let kept = run(&AnnotateOptions {
        keep_filtered: true,
        ..options
    });
    assert_eq!(kept.variants.len(), 4);
    assert!(kept.summary.filtered.is_empty());
    assert_eq!(kept.variants[2].filters, ["weak_evidence", "strand_bias"]);
}

#[test]
fn the_vcf_output_leaves_filtered_records_out_too() {
    let dir = tempfile::tempdir().unwrap();
    let vcf_out = dir.path().join("out.vcf");
    let options = AnnotateOptions {
        vcf_out: Some(vcf_out.clone()),
        output: None,
        vcf_only: true,
        ..options(dir.path(), MUTECT2)
    };
    let summary = annotate(&options).unwrap();
    assert_eq!(summary.filtered["filter:weak_evidence"], 2);
    let text = std::fs::read_to_string(&vcf_out).unwrap();
    let records: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(records.len(), 2);
    assert!(!text.contains("weak_evidence\tDP"));
}

#[test]
fn flags_choose_the_samples_and_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    // The flags swap what the header says (e.g. a mislabelled header).
    let out = run(&AnnotateOptions {
        tumour_sample: Some("PT7_N".into()),
        normal_sample: Some("PT7_T".into()),
        caller: CallerChoice::Fixed(Caller::Generic),
        ..options(dir.path(), MUTECT2)
    });
    assert_eq!(out.header.sample.as_deref(), Some("PT7_N"));
    assert_eq!(call(&out.variants[0], "tumor").sample, "PT7_N");
    let caller = out.header.caller.unwrap();
    assert_eq!(
        (caller.name.as_str(), caller.evidence.as_str()),
        ("generic", "--caller")
    );
    // Generic reads AF too: the same values here.
    assert!(close(call(&out.variants[0], "normal").vaf, 0.418));
}

// Strelka2 somatic SNVs and indels concatenated into one file
// (`bcftools concat somatic.snvs.vcf.gz somatic.indels.vcf.gz`); Strelka2
// user guide, https://github.com/Illumina/strelka/blob/v2.9.x/docs/userGuide/README.md
// ("Somatic variant allele frequencies").
const STRELKA2: &str = "##fileformat=VCFv4.1
##source=strelka
##source_version=2.9.10
##contig=<ID=chr1,length=20>
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth for tier1 (used+filtered)\">
##FORMAT=<ID=FDP,Number=1,Type=Integer,Description=\"Number of basecalls filtered from original read depth for tier1\">
##FORMAT=<ID=AU,Number=2,Type=Integer,Description=\"Number of 'A' alleles used in tiers 1,2\">
##FORMAT=<ID=CU,Number=2,Type=Integer,Description=\"Number of 'C' alleles used in tiers 1,2\">
##FORMAT=<ID=GU,Number=2,Type=Integer,Description=\"Number of 'G' alleles used in tiers 1,2\">
##FORMAT=<ID=TU,Number=2,Type=Integer,Description=\"Number of 'T' alleles used in tiers 1,2\">
##FORMAT=<ID=TAR,Number=2,Type=Integer,Description=\"Reads strongly supporting alternate allele for tiers 1,2\">
##FORMAT=<ID=TIR,Number=2,Type=Integer,Description=\"Reads strongly supporting indel allele for tiers 1,2\">
##FILTER=<ID=LowEVS,Description=\"Somatic Empirical Variant Score (SomaticEVS) is below threshold\">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR
chr1\t2\t.\tC\tT\t.\tPASS\tSOMATIC;NT=ref;SGT=CC->CT\tDP:FDP:AU:CU:GU:TU\t50:0:0,0:50,51:0,0:0,0\t61:1:1,1:40,42:0,0:19,20
chr1\t6\t.\tC\tA\t.\tLowEVS\tSOMATIC;NT=ref;SGT=CC->AC\tDP:FDP:AU:CU:GU:TU\t30:0:0,0:30,30:0,0:0,0\t30:0:2,2:28,28:0,0:0,0
chr1\t10\t.\tCGT\tC\t.\tPASS\tSOMATIC;NT=ref;SGT=ref->het\tDP:TAR:TIR\t30:28,29:0,0\t45:25,26:12,13
";

#[test]
fn strelka2_snvs_and_indels_read_their_tier1_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&options(dir.path(), STRELKA2));
    assert_eq!(out.header.caller.as_ref().unwrap().name, "strelka2");
    assert_eq!(out.header.sample.as_deref(), Some("TUMOR"));
    assert_eq!(out.header.normal_sample.as_deref(), Some("NORMAL"));
    assert_eq!(out.variants.len(), 2);
    let snv = call(&out.variants[0], "tumor");
    assert_eq!((snv.alt_depth, snv.total_depth), (Some(19), Some(60)));
    assert!(close(snv.vaf, 19.0 / 59.0));
    let indel = call(&out.variants[1], "tumor");
    assert_eq!((indel.alt_depth, indel.total_depth), (Some(12), Some(37)));
    assert!(close(indel.vaf, 12.0 / 37.0));
    assert_eq!(out.summary.filtered["filter:LowEVS"], 1);
}

#[test]
fn an_ambiguous_multi_sample_vcf_is_refused_and_nothing_is_written() {
    let vcf = "##fileformat=VCFv4.2
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tLIB_0412\tLIB_0413
chr1\t2\t.\tC\tT\t.\tPASS\t.\tGT:AD\t0/1:10,5\t0/0:12,0
";
    let dir = tempfile::tempdir().unwrap();
    let options = options(dir.path(), vcf);
    let err = annotate(&options).unwrap_err().to_string();
    assert!(
        err.contains("in.vcf: 2 samples (LIB_0412, LIB_0413)"),
        "{err}"
    );
    assert!(
        err.contains("--tumour-sample NAME and --normal-sample NAME"),
        "{err}"
    );
    assert!(!options.output.as_ref().unwrap().exists());
    // Named, it runs.
    let out = run(&AnnotateOptions {
        tumour_sample: Some("LIB_0412".into()),
        ..options
    });
    assert_eq!(call(&out.variants[0], "tumor").alt_depth, Some(5));
    assert_eq!(out.header.normal_sample, None);
}

#[test]
fn a_germline_deepvariant_sample_without_refcalls() {
    // DeepVariant output (https://github.com/google/deepvariant/blob/r1.6/docs/deepvariant-quick-start.md):
    // sites it thinks are reference carry FILTER RefCall.
    let vcf = "##fileformat=VCFv4.2
##FILTER=<ID=RefCall,Description=\"Genotyping model thinks this site is reference.\">
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Read depth for each allele\">
##FORMAT=<ID=VAF,Number=A,Type=Float,Description=\"Variant allele fractions.\">
##DeepVariant_version=1.6.1
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tHG002
chr1\t3\t.\tG\tA\t48.2\tPASS\t.\tGT:DP:AD:VAF\t0/1:35:20,15:0.428571
chr1\t7\t.\tG\tT\t0.1\tRefCall\t.\tGT:DP:AD:VAF\t./.:30:28,2:0.0666667
";
    let dir = tempfile::tempdir().unwrap();
    let out = run(&AnnotateOptions {
        sample_type: SampleType::Germline,
        ..options(dir.path(), vcf)
    });
    assert_eq!(out.header.caller.as_ref().unwrap().name, "deepvariant");
    assert_eq!(out.header.sample.as_deref(), Some("HG002"));
    assert_eq!(out.variants.len(), 1);
    let germline = call(&out.variants[0], "germline");
    assert_eq!(
        (germline.alt_depth, germline.total_depth),
        (Some(15), Some(35))
    );
    assert!(close(germline.vaf, 0.428571));
    assert_eq!(out.summary.filtered["filter:RefCall"], 1);
}

/// The `vcf-annotate` binary: `$VCF_ANNOTATE`, else target/release, else
/// target/debug.
fn vcf_annotate() -> PathBuf {
    if let Some(path) = std::env::var_os("VCF_ANNOTATE") {
        return PathBuf::from(path);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    ["release", "debug"]
        .iter()
        .map(|p| root.join("target").join(p).join("vcf-annotate"))
        .find(|p| p.is_file())
        .expect("cannot find the vcf-annotate binary: set VCF_ANNOTATE or build it")
}

// A FreeBayes multi-allelic record (https://github.com/freebayes/freebayes,
// "Calling variants: from fastq to VCF"; AO Number=A, AD Number=R) split by
// the real vcf-annotate, then read by kb-lookup: each ALT gets its own AO
// and the whole DP.
#[test]
#[ignore = "end to end: needs the vcf-annotate binary (cargo build -p vcf-annotate)"]
fn freebayes_multi_allelic_split_by_vcf_annotate() {
    let vcf = "##fileformat=VCFv4.2
##source=freeBayes v1.3.6
##contig=<ID=chr1,length=20>
##INFO=<ID=AO,Number=A,Type=Integer,Description=\"Alternate allele observations\">
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read Depth\">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Number of observation for each allele\">
##FORMAT=<ID=RO,Number=1,Type=Integer,Description=\"Reference allele observation count\">
##FORMAT=<ID=AO,Number=A,Type=Integer,Description=\"Alternate allele observation count\">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNA12878
chr1\t4\t.\tT\tC,G\t512\t.\tAO=18,11\tGT:DP:AD:RO:AO\t1/2:40:10,18,11:10:18,11
";
    let dir = tempfile::tempdir().unwrap();
    let options = options(dir.path(), vcf);
    let split = dir.path().join("split.vcf");
    let status = Command::new(vcf_annotate())
        .arg("--split-only")
        .arg("-o")
        .arg(&split)
        .arg(options.input.as_ref().unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    let out = run(&AnnotateOptions {
        input: Some(split),
        ..options
    });
    assert_eq!(out.header.caller.as_ref().unwrap().name, "freebayes");
    let calls: Vec<(&str, Option<u32>, Option<u32>)> = out
        .variants
        .iter()
        .map(|v| {
            let c = call(v, "tumor");
            (v.allele.alt_allele.as_str(), c.alt_depth, c.total_depth)
        })
        .collect();
    assert_eq!(
        calls,
        [("C", Some(18), Some(40)), ("G", Some(11), Some(40))]
    );
    assert!(close(out.variants[1].calls[0].vaf, 11.0 / 40.0));
    assert_eq!(out.variants[1].original.as_ref().unwrap().alt_index, 2);
}
