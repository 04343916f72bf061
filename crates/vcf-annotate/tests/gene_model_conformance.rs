//! Conformance of the gene-model readers on real third-party files
//! (`../shared/data`, see its README). Run with
//! `cargo test -p vcf-annotate --test gene_model_conformance -- --ignored --nocapture`
//! (`--nocapture` prints each file's load summary).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use variant_model::Strand;
use vcf_annotate::gene_model::{GeneModel, ReadOptions, Transcript, TranscriptSource};

/// `$SHARED_DATA` (as tests/conformance/run_all.sh; relative to the project
/// root), else `../shared/data` beside the project.
fn data(rel: &str) -> PathBuf {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = project.join(std::env::var_os("SHARED_DATA").unwrap_or("../shared/data".into()));
    assert!(
        root.is_dir(),
        "conformance data not found: {} (needs ../shared/data beside the project)",
        root.display()
    );
    root.join(rel)
}

fn load_path(path: &Path, lenient: bool) -> GeneModel {
    let model =
        GeneModel::from_path_with(path, &ReadOptions { lenient }).unwrap_or_else(|e| panic!("{e}"));
    println!("{}: {}", path.display(), model.summary);
    model
}

fn load(rel: &str) -> GeneModel {
    load_path(&data(rel), false)
}

fn by_id(model: &GeneModel) -> BTreeMap<String, Arc<Transcript>> {
    model
        .transcripts()
        .map(|t| (t.id.clone(), Arc::clone(t)))
        .collect()
}

fn get(model: &GeneModel, id: &str) -> Arc<Transcript> {
    model
        .transcripts()
        .find(|t| t.id == id || t.versioned_id() == id)
        .unwrap_or_else(|| panic!("transcript {id} not in the model"))
        .clone()
}

/// Exons in transcript order (5' to 3').
fn exons_5to3(t: &Transcript) -> Vec<(u64, u64)> {
    let mut e: Vec<(u64, u64)> = t.exons.iter().map(|e| (e.start, e.end)).collect();
    if t.strand == Strand::Reverse {
        e.reverse();
    }
    e
}

/// 1-based position of `pos` in the spliced transcript, for a position
/// inside an exon.
fn cdna_position(t: &Transcript, pos: u64) -> Option<u64> {
    let mut before = 0;
    for (s, e) in exons_5to3(t) {
        if (s..=e).contains(&pos) {
            return Some(
                before
                    + match t.strand {
                        Strand::Forward => pos - s + 1,
                        Strand::Reverse => e - pos + 1,
                    },
            );
        }
        before += e - s + 1;
    }
    None
}

/// cDNA positions of the first and last CDS base (stop codon included).
fn cds_bounds_in_cdna(t: &Transcript) -> (u64, u64) {
    let (lo, hi) = t.cds_span().expect("coding");
    let (first, last) = match t.strand {
        Strand::Forward => (lo, hi),
        Strand::Reverse => (hi, lo),
    };
    (
        cdna_position(t, first).unwrap(),
        cdna_position(t, last).unwrap(),
    )
}

/// CDS (c.) position of a coding base of a transcript with a complete 5'
/// end.
fn cds_position(t: &Transcript, pos: u64) -> i64 {
    cdna_position(t, pos).unwrap() as i64 - cds_bounds_in_cdna(t).0 as i64 + 1
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn ensembl_gff3_positions_match_vep_expectations() {
    // Expected values: vep_chr21/EXPECTED_from_vep_t_files.tsv (VEP's own tests).
    let model = load("vep_chr21/custom/test.gff.gz");
    assert_eq!(model.summary.transcripts, 2414);
    assert_eq!(model.transcript_count(), 2414);

    let t = get(&model, "ENST00000352957");
    assert_eq!(t.versioned_id(), "ENST00000352957.8");
    assert_eq!(t.gene_id, "ENSG00000154719");
    assert_eq!(t.strand, Strand::Reverse);
    assert_eq!(t.source, TranscriptSource::Ensembl);
    assert_eq!(cdna_position(&t, 25585733), Some(1033));
    assert_eq!(cds_position(&t, 25585733), 991);
    assert_eq!(t.protein_id.as_deref(), Some("ENSP00000284967"));

    // 3' UTR: c.*18 counts from the last CDS base, the stop codon's last.
    let t = get(&model, "ENST00000307301");
    assert_eq!(t.versioned_id(), "ENST00000307301.11");
    assert_eq!(cdna_position(&t, 25585733), Some(1122));
    let (_, cds_last) = cds_bounds_in_cdna(&t);
    assert_eq!(1122 - cds_last, 18);
    assert_eq!(t.ccds.as_deref(), Some("CCDS33522.1"));
    assert_eq!(t.tsl.as_deref(), Some("5"));
    assert_eq!(t.biotype, "protein_coding");

    let t = get(&model, "ENST00000346798");
    assert_eq!(cdna_position(&t, 25982445), Some(1157));
    assert_eq!(cds_position(&t, 25982445), 1123);

    // upstream_gene_variant, DISTANCE 2407 (reverse strand: 5' end is `end`).
    let t = get(&model, "ENST00000567517");
    assert_eq!(t.strand, Strand::Reverse);
    assert_eq!(t.end + 2407, 25585733);
    let near = model.overlapping("21", 25585733, 25585733, 5000);
    assert!(near.iter().any(|n| n.id == "ENST00000567517"));
    assert!(
        model
            .overlapping("chr21", 25585733, 25585733, 0)
            .iter()
            .any(|n| n.id == "ENST00000352957"),
        "chr prefix resolves"
    );

    // Gene attributes: HGNC symbol and id from the description.
    let t = get(&model, "ENST00000400075");
    assert_eq!(cds_position(&t, 25764755), 1104);
    assert!(t.gene_symbol.is_some());

    // Every transcript: sorted exons numbered 1..n in transcript order; CDS
    // inside exons.
    for t in model.transcripts() {
        let numbers: Vec<u32> = exons_5to3(t)
            .iter()
            .map(|&(s, _)| t.exons.iter().find(|e| e.start == s).unwrap().number)
            .collect();
        assert_eq!(numbers, (1..=t.exons.len() as u32).collect::<Vec<_>>());
        for c in &t.cds {
            assert!(t.exons.iter().any(|e| e.start <= c.start && c.end <= e.end));
        }
        assert!(t.start <= t.exons[0].start && t.end >= t.exons.last().unwrap().end);
    }
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn ensembl_gff3_and_gtf_agree() {
    let gff = load("vep_chr21/custom/test.gff.gz");
    let gtf = load("vep_chr21/custom/test.gtf.gz");
    let gff_by_id = by_id(&gff);
    let mut compared = 0;
    let mut coding = 0;
    for t in gtf.transcripts() {
        let g = gff_by_id
            .get(&t.id)
            .unwrap_or_else(|| panic!("{} in the GTF, not in the GFF3", t.id));
        let what = &t.id;
        assert_eq!(t.version, g.version, "{what} version");
        assert_eq!(t.gene_id, g.gene_id, "{what} gene");
        assert_eq!(t.gene_symbol, g.gene_symbol, "{what} symbol");
        assert_eq!(t.chrom, g.chrom, "{what} contig");
        assert_eq!(t.strand, g.strand, "{what} strand");
        assert_eq!((t.start, t.end), (g.start, g.end), "{what} extent");
        assert_eq!(t.biotype, g.biotype, "{what} biotype");
        assert_eq!(t.exons, g.exons, "{what} exons");
        assert_eq!(t.cds, g.cds, "{what} CDS (GTF stop codon merged)");
        assert_eq!(t.tsl, g.tsl, "{what} TSL");
        assert_eq!(t.source, g.source, "{what} source");
        // GTF ccds_id and protein_id carry no/other versions.
        assert_eq!(
            t.ccds.as_deref().map(|c| c.split('.').next().unwrap()),
            g.ccds.as_deref().map(|c| c.split('.').next().unwrap()),
            "{what} CCDS"
        );
        assert_eq!(
            t.protein_id
                .as_deref()
                .map(|c| c.split('.').next().unwrap()),
            g.protein_id.as_deref(),
            "{what} protein"
        );
        // The GTF tags incomplete CDS; the GFF3 shows only a 5' one, through
        // the phase of its first CDS segment.
        if g.cds_start_nf {
            assert!(t.cds_start_nf, "{what} cds_start_NF");
        }
        compared += 1;
        coding += usize::from(t.is_coding());
    }
    println!("GFF3 and GTF agree on {compared} transcripts ({coding} coding)");
    assert_eq!(compared, gtf.transcript_count());
    assert!(compared >= 100 && coding >= 30);
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn refseq_gff3() {
    let model = load("vep_chr21/custom/refseq.gff.gz");
    // NM_017446.3 is the RefSeq twin of ENST00000352957 (c.991G>A).
    let t = get(&model, "NM_017446.3");
    assert_eq!(t.source, TranscriptSource::RefSeq);
    assert_eq!(t.gene_id, "54148");
    assert_eq!(t.gene_symbol.as_deref(), Some("MRPL39"));
    assert_eq!(t.gene_symbol_source.as_deref(), Some("EntrezGene"));
    assert_eq!(t.hgnc_id.as_deref(), Some("HGNC:14027"));
    assert_eq!(t.biotype, "protein_coding");
    assert_eq!(t.protein_id.as_deref(), Some("NP_059142.2"));
    assert_eq!(t.ccds.as_deref(), Some("CCDS13573.1"));
    assert_eq!(cds_position(&t, 25585733), 991);
    // "The RefSeq transcript has 1 substitution compared to this genomic sequence"
    assert_eq!(
        t.exception.as_deref(),
        Some("annotated by transcript or proteomic data")
    );
    let t = get(&model, "NM_080794.3");
    let (_, cds_last) = cds_bounds_in_cdna(&t);
    assert_eq!(cdna_position(&t, 25585733).unwrap() - cds_last, 18);

    // Non-coding types map to Ensembl-style biotypes.
    let biotypes: BTreeMap<String, String> = model
        .transcripts()
        .map(|t| (t.versioned_id(), t.biotype.clone()))
        .collect();
    assert_eq!(biotypes["NR_109963.1"], "lncRNA"); // ncRNA, ncrna_class=lncRNA
    assert_eq!(biotypes["NR_072999.1"], "misc_RNA"); // transcript, gbkey=misc_RNA
    assert_eq!(biotypes["NR_030784.1"], "miRNA"); // primary_transcript of MIR155
    // A pseudogene with exons but no transcript is its own transcript.
    let pseudo = get(&model, "RN7SKP236");
    assert_eq!(pseudo.biotype, "pseudogene");
    assert_eq!(pseudo.gene_id, "106480906");
    assert_eq!(pseudo.hgnc_id.as_deref(), Some("HGNC:45960"));
    assert!(
        model
            .transcripts()
            .all(|t| t.source == TranscriptSource::RefSeq)
    );

    // NCBI's newer style: mature miRNA nested in its primary transcript.
    let v2 = load("vep_chr21/custom/refseq_v2.gff.gz");
    let t = get(&v2, "NR_162105.1");
    assert_eq!(t.biotype, "miRNA");
    assert_eq!(t.gene_symbol.as_deref(), Some("MIR10396A"));
    assert_eq!(t.hgnc_id.as_deref(), Some("HGNC:54005"));
    assert_eq!(v2.transcript_count(), 1);
    assert_eq!(v2.summary.skipped.values().map(|t| t.count).sum::<u64>(), 1);
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn small_vep_models() {
    // A promoter window is not a transcript: nothing read, one feature counted.
    let m = load("vep_chr21/custom/test_gencode_promoter.gff.gz");
    assert_eq!(m.transcript_count(), 0);
    assert_eq!(
        m.summary.ignored_feature_types.get("promoter_window"),
        Some(&1)
    );

    // MT-ND2: a single exon, incomplete stop (no stop_codon line).
    let m = load("vep_chr21/custom/test_MT.gtf.gz");
    let t = get(&m, "ENST00000361453.3");
    assert_eq!(t.chrom, "MT");
    assert_eq!(t.cds_span(), Some((4470, 5511)));
    assert_eq!(t.protein_id.as_deref(), Some("ENSP00000355046.4"));
    assert_eq!(t.tsl.as_deref(), Some("NA"));
    assert!(!m.overlapping("chrM", 5000, 5000, 0).is_empty());
}

/// bcftools abbreviates some biotypes in its output.
fn bcftools_biotype(biotype: &str) -> &str {
    match biotype {
        "nonsense_mediated_decay" => "NMD",
        b => b.strip_suffix("_gene").unwrap_or(b),
    }
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn bcftools_csq_models_hold_the_expected_transcripts() {
    let root = data("bcftools_csq");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|d| d.unwrap().path())
        .collect();
    dirs.sort();
    let (mut files, mut checked) = (0, 0);
    for dir in dirs {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        // Several models may share a folder: a transcript must be in one.
        let mut ids = BTreeMap::new();
        for gff in entries
            .iter()
            .filter(|p| p.to_string_lossy().contains(".gff"))
        {
            // Five of these models leave the CDS phase unset (`.`): they
            // load only with --lenient, as bcftools itself accepts them.
            let model = match GeneModel::from_path(gff) {
                Ok(m) => m,
                Err(e) => {
                    assert!(e.to_string().contains("has no phase"), "{e}");
                    load_path(gff, true)
                }
            };
            files += 1;
            assert!(model.transcript_count() > 0, "{}", gff.display());
            ids.extend(by_id(&model));
        }
        // Expected transcripts: INFO/EXP (and EXPL) of the VCFs.
        for vcf in entries
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "vcf"))
        {
            let text = std::fs::read_to_string(vcf).unwrap();
            for exp in text
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split('\t').nth(7))
                .flat_map(|info| info.split(';'))
                .filter_map(|kv| kv.strip_prefix("EXP=").or(kv.strip_prefix("EXPL=")))
                .flat_map(|v| v.split(','))
            {
                let f: Vec<&str> = exp.split('|').collect();
                if f.len() < 4 {
                    continue; // `@POS` references and intergenic entries
                }
                if f[2].is_empty() {
                    // Non-coding entries name no transcript: the gene must
                    // have one of that biotype.
                    assert!(
                        ids.values().any(|t| t.gene_symbol.as_deref() == Some(f[1])
                            && bcftools_biotype(&t.biotype) == f[3]),
                        "{exp}"
                    );
                    checked += 1;
                    continue;
                }
                let t = ids
                    .get(f[2])
                    .unwrap_or_else(|| panic!("{}: {exp}: transcript not read", vcf.display()));
                assert_eq!(t.gene_symbol.as_deref(), Some(f[1]), "{exp}");
                assert_eq!(bcftools_biotype(&t.biotype), f[3], "{exp}");
                if let Some(strand) = f.get(4) {
                    let s = match t.strand {
                        Strand::Forward => "+",
                        Strand::Reverse => "-",
                    };
                    assert_eq!(s, *strand, "{exp}");
                }
                checked += 1;
            }
        }
    }
    println!("{files} bcftools models read, {checked} expected transcripts found and checked");
    assert_eq!(files, 55);
    assert!(checked >= 100, "{checked}");
}
