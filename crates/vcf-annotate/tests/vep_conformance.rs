//! VEP conformance on Ensembl's chr21 test gene model
//! (`../shared/data/vep_chr21`): the consequences, positions, codons and
//! HGVS that VEP's own tests assert (`EXPECTED_from_vep_t_files.tsv`).
//!
//! The chr21 FASTA is not available. The reference is rebuilt from what the
//! assertions themselves give: the VCF REF base, and for coding variants the
//! reference codon (from `Codons`, or from the reference amino acid of
//! HGVSp plus the REF base). Everything else is `N`. So this checks the
//! coordinate mapping (cDNA/CDS/protein positions, intron/UTR offsets,
//! strand, distance), consequence classification and notation on the real
//! Ensembl transcript structures, not the genome sequence itself.
//! Run with `cargo test -p vcf-annotate --test vep_conformance -- --ignored --nocapture`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use variant_model::protein::{GeneticCode, complement};
use variant_model::{Strand, TranscriptConsequence};
use vcf_annotate::consequence::transcript_seq::{TranscriptSeq, TxPos};
use vcf_annotate::consequence::variant::Variant;
use vcf_annotate::consequence::vep::{Flanks, transcript_consequence};
use vcf_annotate::gene_model::{GeneModel, Transcript};
use vcf_annotate::reference::ContigSequence;

/// `$SHARED_DATA` (relative to the project root) or `../shared/data`.
fn shared_data() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = std::env::var("SHARED_DATA").unwrap_or_else(|_| "../shared/data".into());
    root.join(data)
}

fn data_dir() -> PathBuf {
    shared_data().join("vep_chr21")
}

/// One assertion of the TSV.
struct Expected {
    pos: u64,
    reference: String,
    alt: String,
    /// CSQ fields by name (VEP's order in the file header), or HGVS pairs.
    fields: Vec<(String, String)>,
}

const CSQ: &[&str] = &[
    "Allele",
    "Consequence",
    "IMPACT",
    "SYMBOL",
    "Gene",
    "Feature_type",
    "Feature",
    "BIOTYPE",
    "EXON",
    "INTRON",
    "HGVSc",
    "HGVSp",
    "cDNA_position",
    "CDS_position",
    "Protein_position",
    "Amino_acids",
    "Codons",
    "Existing_variation",
    "DISTANCE",
    "STRAND",
    "FLAGS",
];

fn read_expected() -> Vec<Expected> {
    let text = std::fs::read_to_string(data_dir().join("EXPECTED_from_vep_t_files.tsv")).unwrap();
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (pos, reference, alt, value) = (cols[1], cols[3], cols[4], cols[6]);
        let pos: u64 = pos.parse().unwrap();
        let (reference, alt) = if alt.starts_with('-') {
            // "-(deletion of C)": VCF form with the base before as anchor.
            ("NC".to_string(), "N".to_string())
        } else {
            (reference.to_string(), alt.to_string())
        };
        let pos = if reference == "NC" { pos - 1 } else { pos };
        let fields = if value.starts_with("HGVS") {
            value
                .split(';')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.split(' ').next().unwrap().to_string()))
                .collect()
        } else {
            CSQ.iter()
                .zip(value.split('|'))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        out.push(Expected {
            pos,
            reference,
            alt,
            fields,
        });
    }
    out
}

fn field<'a>(e: &'a Expected, name: &str) -> Option<&'a str> {
    e.fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// Transcript id (no version) the assertion is about.
fn feature_of(e: &Expected) -> String {
    if let Some(f) = field(e, "Feature") {
        return f.to_string();
    }
    let hgvsc = field(e, "HGVSc").unwrap();
    hgvsc.split(['.', ':']).next().unwrap().to_string()
}

/// Genomic positions of each CDS position of the transcript.
fn cds_to_genomic(ts: &TranscriptSeq) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let coding = ts.coding.as_ref().unwrap();
    for g in ts.tr.start..=ts.tr.end {
        if let TxPos::Exon { cdna, .. } = ts.map(g)
            && let Some(c) = coding.cds_pos(cdna)
        {
            out.push((c, g));
        }
    }
    out
}

fn codon_for(aa: u8, fixed_index: usize, fixed_base: u8) -> Option<Vec<u8>> {
    let bases = b"TCAG";
    for a in bases {
        for b in bases {
            for c in bases {
                let codon = [*a, *b, *c];
                if GeneticCode::Standard.translate_codon(&codon) == aa
                    && codon[fixed_index] == fixed_base
                {
                    return Some(codon.to_vec());
                }
            }
        }
    }
    None
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn matches_vep_test_assertions() {
    let dir = data_dir();
    assert!(dir.is_dir(), "missing {}", dir.display());
    let model = GeneModel::from_path(&dir.join("custom/test.gff.gz")).unwrap();
    let all: Vec<Arc<Transcript>> = model.overlapping("21", 1, 50_000_000, 0);
    let expected = read_expected();
    let (mut agree, mut total) = (0, 0);
    for e in &expected {
        let id = feature_of(e);
        let tr = all
            .iter()
            .find(|t| t.id == id)
            .unwrap_or_else(|| panic!("{id} not in GFF"));
        let len = (tr.end.max(e.pos) + 10_000) as usize;
        let mut seq = vec![b'N'; len];
        for (i, b) in e.reference.bytes().enumerate() {
            if b != b'N' {
                seq[e.pos as usize - 1 + i] = b;
            }
        }
        // Deletion of C written as `-`: its REF is known (C).
        let contig = |s: &[u8]| {
            Arc::new(ContigSequence {
                name: "21".into(),
                sequence: s.to_vec(),
            })
        };
        let ts = TranscriptSeq::new(Arc::clone(tr), contig(&seq));
        // Rebuild the reference codon where the assertion tells it.
        if ts.coding.is_some() {
            let map = cds_to_genomic(&ts);
            let var_pos = if e.reference.len() > 1 {
                e.pos + 1
            } else {
                e.pos
            };
            if let Some(&(cds, _)) = map.iter().find(|(_, g)| *g == var_pos) {
                let codon_start = cds - (cds - 1) % 3;
                let ref_base_tx = {
                    let b = seq[var_pos as usize - 1];
                    if tr.strand == Strand::Forward {
                        b
                    } else {
                        complement(b)
                    }
                };
                let codon: Option<Vec<u8>> = if let Some(codons) = field(e, "Codons") {
                    Some(
                        codons
                            .split('/')
                            .next()
                            .unwrap()
                            .to_ascii_uppercase()
                            .into_bytes(),
                    )
                } else if let Some(p) = field(e, "HGVSp") {
                    let body = p.split(":p.").nth(1).unwrap();
                    let aa = variant_model::protein::one_letter(&body[..3]).unwrap();
                    codon_for(aa, ((cds - 1) % 3) as usize, ref_base_tx)
                } else {
                    None
                };
                if let Some(codon) = codon {
                    for (i, b) in codon.iter().enumerate() {
                        let c = codon_start + i as u64;
                        let g = map.iter().find(|(x, _)| *x == c).unwrap().1;
                        seq[g as usize - 1] = if tr.strand == Strand::Forward {
                            *b
                        } else {
                            complement(*b)
                        };
                    }
                }
            }
        }
        let ts = TranscriptSeq::new(Arc::clone(tr), contig(&seq));
        let v = Variant::from_parts(e.pos, e.reference.as_bytes(), e.alt.as_bytes()).unwrap();
        let c = transcript_consequence(
            &ts,
            &v,
            Flanks {
                upstream: 5000,
                downstream: 5000,
            },
        )
        .unwrap();
        for (name, want) in e.fields.iter().filter(|(_, v)| !v.is_empty()) {
            let Some(got) = ours(&c, name) else {
                continue;
            };
            total += 1;
            // The GFF gives protein ids without version (VEP adds it from
            // its cache): compare HGVSp without the id version.
            let unversioned = |s: &str| match s.split_once(':') {
                Some((id, rest)) => format!("{}:{rest}", id.split('.').next().unwrap()),
                None => s.to_string(),
            };
            let (got, want) = if name == "HGVSp" {
                (unversioned(&got), unversioned(want))
            } else {
                (got, want.clone())
            };
            if got == want {
                agree += 1;
            } else {
                println!(
                    "DIFF {}:{} {} {name}: expected {want}, got {got}",
                    e.pos, e.reference, id
                );
            }
        }
    }
    println!("concordance: {agree}/{total}");
    assert_eq!(agree, total);
}

/// Our value of a field, `None` for fields this test does not compare
/// (SYMBOL/IMPACT/Allele come from elsewhere; the GFF has no dbSNP).
fn ours(c: &TranscriptConsequence, name: &str) -> Option<String> {
    let range = |r: Option<variant_model::consequence::PositionRange>| {
        r.map(|r| r.to_vep()).unwrap_or_default()
    };
    Some(match name {
        "Consequence" => c
            .consequences
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join("&"),
        "Gene" => c.gene.clone().unwrap_or_default(),
        "Feature_type" => c.feature_type.clone().unwrap_or_default(),
        "Feature" => c
            .feature
            .clone()
            .unwrap_or_default()
            .split('.')
            .next()
            .unwrap()
            .to_string(),
        "cDNA_position" => range(c.cdna_position),
        "CDS_position" => range(c.cds_position),
        "Protein_position" => range(c.protein_position),
        "Amino_acids" => c.amino_acids.clone().unwrap_or_default(),
        "Codons" => c.codons.clone().unwrap_or_default(),
        "DISTANCE" => c.distance.map(|d| d.to_string()).unwrap_or_default(),
        "STRAND" => c.strand.map(|s| s.as_vep().to_string()).unwrap_or_default(),
        "HGVSc" => c.hgvsc.clone().unwrap_or_default(),
        "HGVSp" => c.hgvsp.clone().unwrap_or_default(),
        _ => return None,
    })
}
