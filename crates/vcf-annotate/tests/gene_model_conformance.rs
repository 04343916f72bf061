//! Conformance of the gene-model readers on real third-party files
//! (`../shared/data`, see its README). Run with
//! `cargo test -p vcf-annotate --test gene_model_conformance -- --ignored`.

use std::path::{Path, PathBuf};

use vcf_annotate::gene_model::{GeneModel, ReadOptions};

fn data(rel: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        root.is_dir(),
        "conformance data not found: {} (needs ../shared/data beside the project)",
        root.display()
    );
    root.join(rel)
}

fn load(rel: &str, lenient: bool) -> GeneModel {
    let path = data(rel);
    GeneModel::from_path_with(&path, &ReadOptions { lenient })
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn explore() {
    for rel in [
        "vep_chr21/custom/test.gff.gz",
        "vep_chr21/custom/test.gtf.gz",
        "vep_chr21/custom/refseq.gff.gz",
        "vep_chr21/custom/refseq_v2.gff.gz",
        "vep_chr21/custom/test_gencode_promoter.gff.gz",
        "vep_chr21/custom/test_MT.gtf.gz",
    ] {
        let m = load(rel, false);
        println!("{rel}: {}", m.summary);
    }
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn explore_bcftools() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(data("bcftools_csq"))
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".gff"))
        .collect();
    paths.sort();
    for p in paths {
        match GeneModel::from_path_with(&p, &ReadOptions { lenient: false }) {
            Ok(m) => println!("{}: {}", p.display(), m.summary),
            Err(e) => {
                println!("STRICT ERROR {e}");
                let m = GeneModel::from_path_with(&p, &ReadOptions { lenient: true }).unwrap();
                println!("{}: {}", p.display(), m.summary);
            }
        }
    }
}
