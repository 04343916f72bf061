//! Conformance of INFO/BCSQ with bcftools csq's own test expectations
//! (`../shared/data/bcftools_csq`, see its README): for every case folder,
//! every VCF whose records carry `INFO/EXP` (or whose expectations are in
//! the sibling `.txt` file) is annotated through the library and each
//! record's BCSQ entries are compared with the expected ones.
//!
//! The records are given to the annotator as written (no normalisation),
//! as `bcftools csq` reads them. Run with
//! `cargo test -p vcf-annotate --test bcsq_conformance -- --ignored --nocapture`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use noodles::vcf;
use noodles::vcf::variant::RecordBuf;
use noodles::vcf::variant::record::info::field::Value as InfoValue;
use variant_model::{GenomicAllele, OriginalRecord};
use vcf_annotate::consequence::{AnnotateOptions, Annotator, ContigSource};
use vcf_annotate::gene_model::{GeneModel, ReadOptions};
use vcf_annotate::record::{NormalisedRecord, RecordData};
use vcf_annotate::reference::{ContigSequence, Reference};

/// `$SHARED_DATA` (relative to the project root) or `../shared/data`.
fn shared_data() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = std::env::var("SHARED_DATA").unwrap_or_else(|_| "../shared/data".into());
    root.join(data)
}

fn data_dir() -> PathBuf {
    shared_data().join("bcftools_csq")
}

/// Input records, one per ALT, with the EXP value of their record.
struct Case {
    records: Vec<NormalisedRecord>,
    /// Per input record: `POS REF ALT`, the accepted expectations, and the
    /// indices of its split alleles in `records`.
    expected: Vec<(String, Vec<String>, Vec<usize>)>,
    samples: usize,
}

fn read_case(vcf_path: &Path, txt: Option<&Path>) -> Option<Case> {
    let mut reader = vcf::io::reader::Builder::default()
        .build_from_path(vcf_path)
        .ok()?;
    let header = reader.read_header().ok()?;
    let own_txt = vcf_path.with_extension("txt");
    let from_txt = read_txt(txt.unwrap_or(&own_txt));
    let mut records = Vec::new();
    let mut expected = Vec::new();
    for (i, result) in reader.records().enumerate() {
        let record = result.ok()?;
        let buf = RecordBuf::try_from_variant_record(&header, &record).ok()?;
        let chrom = buf.reference_sequence_name().to_string();
        let pos = usize::from(buf.variant_start()?) as u64;
        let reference = buf.reference_bases().to_string();
        let alts: Vec<String> = buf.alternate_bases().as_ref().to_vec();
        let exp = match buf.info().get("EXP") {
            Some(Some(vcf::variant::record_buf::info::field::Value::String(s))) => Some(s.clone()),
            Some(Some(vcf::variant::record_buf::info::field::Value::Array(
                vcf::variant::record_buf::info::field::value::Array::String(v),
            ))) => Some(
                v.iter()
                    .map(|x| x.clone().unwrap_or_else(|| ".".into()))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            _ => None,
        };
        let _ = InfoValue::Flag;
        // bcftools' test suite asserts the output recorded in the `.txt`
        // file, which can differ from the INFO/EXP notes of the same
        // authors; agreeing with either counts.
        let recorded = from_txt.as_ref().and_then(|t| t.get(i).cloned());
        let exp: Vec<String> = recorded.into_iter().chain(exp).collect();
        if exp.is_empty() {
            return None;
        }
        let mut idx = Vec::new();
        for (a, alt) in alts.iter().enumerate() {
            idx.push(records.len());
            records.push(NormalisedRecord {
                line: i as u64 + 1,
                data: RecordData::from_parsed(Box::new(buf.clone()), None),
                allele: GenomicAllele::new(chrom.clone(), pos, reference.clone(), alt.clone()),
                original: (alts.len() > 1).then(|| OriginalRecord {
                    chrom: chrom.clone(),
                    pos,
                    ref_allele: reference.clone(),
                    alt_alleles: alts.clone(),
                    alt_index: a + 1,
                }),
                flags: Vec::new(),
            });
        }
        expected.push((format!("{pos}\t{reference}\t{}", alts.join(",")), exp, idx));
    }
    Some(Case {
        records,
        expected,
        samples: header.sample_names().len(),
    })
}

/// Expected BCSQ values from a `.txt` file of bcftools' test suite: pairs
/// of lines `POS REF ALT EXP` / `POS REF ALT BCSQ`, separated by blanks.
fn read_txt(path: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block.lines().filter(|l| !l.is_empty()).collect();
        if let Some(last) = lines.get(1) {
            out.push(last.split('\t').nth(3).unwrap_or(".").to_string());
        }
    }
    Some(out)
}

/// Consequence, transcript and amino-acid change of each entry, sorted.
fn key(bcsq: &str) -> Vec<String> {
    let mut v: Vec<String> = bcsq
        .split(',')
        .filter(|e| !e.is_empty() && *e != ".")
        .map(|e| {
            let f: Vec<&str> = e.split('|').collect();
            format!(
                "{}|{}|{}",
                f.first().unwrap_or(&""),
                f.get(2).unwrap_or(&""),
                f.get(5).unwrap_or(&"")
            )
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

fn read_fasta(path: &Path) -> std::collections::HashMap<String, Arc<ContigSequence>> {
    let mut reader = noodles::fasta::io::reader::Builder
        .build_from_path(path)
        .unwrap();
    let mut out = std::collections::HashMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let name = String::from_utf8_lossy(record.name()).to_string();
        let sequence = record.sequence().as_ref().to_ascii_uppercase();
        out.insert(name.clone(), Arc::new(ContigSequence { name, sequence }));
    }
    out
}

struct Seqs(Reference);

impl ContigSource for Seqs {
    fn contig(&self, name: &str) -> Result<Arc<ContigSequence>, String> {
        self.0.contig(name).map_err(|e| e.to_string())
    }
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn bcsq_matches_bcftools_expectations() {
    let dir = data_dir();
    assert!(dir.is_dir(), "missing {}", dir.display());
    let mut agree = 0;
    let mut total = 0;
    let (mut hgvs_valid, mut hgvs_total) = (0, 0);
    // VCF -> (GFF, FASTA, file of expected output if not `<vcf>.txt`)
    let mut cases: BTreeMap<PathBuf, (PathBuf, PathBuf, Option<PathBuf>)> = BTreeMap::new();
    let top = dir.join("_toplevel");
    for gff in ["csq.gff3", "csq.chr.gff3"] {
        cases.insert(
            top.join(format!("csq.vcf#{gff}")),
            (
                top.join(gff),
                top.join("csq.fa"),
                Some(top.join("csq.1.out")),
            ),
        );
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let case_dir = entry.unwrap().path();
        let name = case_dir.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with('E') {
            continue;
        }
        for f in std::fs::read_dir(&case_dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "vcf") {
                let own_gff = f.with_extension("gff");
                let gff = if own_gff.exists() {
                    own_gff
                } else {
                    case_dir.join(format!("{name}.gff"))
                };
                let fasta = case_dir.join(format!("{name}.fa"));
                cases.insert(f, (gff, fasta, None));
            }
        }
    }
    for (case_path, (gff, fasta, txt)) in cases {
        let vcf_path = PathBuf::from(case_path.to_string_lossy().split('#').next().unwrap());
        let Some(case) = read_case(&vcf_path, txt.as_deref()) else {
            continue;
        };
        // bcftools accepts CDS without phase; so does our lenient reader.
        let model = match GeneModel::from_path_with(&gff, &ReadOptions { lenient: true }) {
            Ok(m) => m,
            Err(e) => {
                println!("SKIP {}: {e}", vcf_path.display());
                continue;
            }
        };
        // Some test FASTAs have no .fai: read those whole (they are tiny).
        let sequences: Arc<dyn ContigSource> = match Reference::open(&fasta) {
            Ok(reference) => Arc::new(Seqs(reference)),
            Err(_) => Arc::new(read_fasta(&fasta)),
        };
        let mut annotator = Annotator::with_sequences(
            Arc::new(model),
            sequences,
            AnnotateOptions {
                upstream_distance: 5000,
                downstream_distance: 5000,
                bcsq: true,
                bcsq_brief: 0,
                bcsq_local: false,
                pick_order: Default::default(),
                samples: case.samples,
            },
        );
        let mut out = annotator.annotate(case.records.clone()).unwrap();
        out.extend(annotator.finish().unwrap());
        // Self-check: every HGVS string of the CSQ entries parses.
        for r in &out {
            for c in &r.consequences {
                for h in [&c.hgvsg, &c.hgvsc, &c.hgvsp].into_iter().flatten() {
                    hgvs_total += 1;
                    if variant_model::hgvs::parse_with_contig_name(h).is_err() {
                        println!("INVALID HGVS {h}");
                    } else {
                        hgvs_valid += 1;
                    }
                }
            }
        }
        for (site, exp, idx) in &case.expected {
            let got: Vec<String> = idx.iter().filter_map(|&i| out[i].bcsq.clone()).collect();
            let got = if got.is_empty() {
                ".".to_string()
            } else {
                got.join(",")
            };
            total += 1;
            if exp.iter().any(|e| key(&got) == key(e)) {
                agree += 1;
            } else {
                let rel = case_path.strip_prefix(&dir).unwrap().display().to_string();
                println!(
                    "DIFF {rel}\t{site}\n  expected {}\n  got      {got}",
                    exp.join(" OR ")
                );
            }
        }
    }
    println!("HGVS grammar: {hgvs_valid}/{hgvs_total} valid");
    println!("concordance: {agree}/{total}");
    assert!(total > 0);
    assert_eq!(hgvs_valid, hgvs_total, "HGVS strings that fail the grammar");
}
