//! Conformance of `variant_model::hgvs` with the test data of biocommons hgvs
//! (`../shared/data/hgvs_biocommons/`, or `$SHARED_DATA/hgvs_biocommons/`),
//! and of `ProteinChange` with the protein changes of real knowledge-base and
//! MAF files (`cancer_hotspots/`, `oncokb_inputs/`).
//!
//! Run: `cargo test -p variant-model --test hgvs_conformance -- --ignored --nocapture`
//! Each test prints one summary line per file (`parsed X/Y`).

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use variant_model::hgvs::{self, HgvsError, ProteinChange, ProteinChangeKind};

fn shared_folder(name: &str) -> PathBuf {
    let shared = std::env::var_os("SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let dir = shared.join(name);
    assert!(
        dir.is_dir(),
        "conformance: cannot find the shared test data folder {}",
        dir.display()
    );
    dir
}

fn data_dir() -> PathBuf {
    shared_folder("hgvs_biocommons")
}

fn read(name: &str) -> String {
    let path = data_dir().join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Lines of a biocommons variant list: `(line number, variant)` for active
/// lines, and the negative examples the files keep commented out (`#- v` in
/// `gauntlet`, `#v<TAB>reason` in `reject`).
struct VariantList {
    active: Vec<(usize, String)>,
    negative: Vec<(usize, String)>,
    unsupported: Vec<(usize, String)>,
}

fn variant_list(name: &str) -> VariantList {
    let mut list = VariantList {
        active: Vec::new(),
        negative: Vec::new(),
        unsupported: Vec::new(),
    };
    for (n, line) in read(name).lines().enumerate() {
        let line = line.trim_end();
        let first_field = |s: &str| s.split('\t').next().unwrap_or("").trim().to_string();
        if let Some(rest) = line.strip_prefix("#!unsupported:") {
            list.unsupported.push((n + 1, first_field(rest)));
        } else if let Some(rest) = line.strip_prefix("#- ") {
            list.negative.push((n + 1, first_field(rest)));
        } else if let Some(rest) = line.strip_prefix('#') {
            // `#NC_...:g.1_2dup2<TAB>why it is invalid` in `reject`.
            if name == "reject" && rest.contains(':') && !rest.starts_with([' ', '#']) {
                list.negative.push((n + 1, first_field(rest)));
            }
        } else if !line.trim().is_empty() {
            list.active.push((n + 1, first_field(line)));
        }
    }
    list
}

/// Every active line parses; every negative example is rejected.
fn check_list(name: &str, active_must_parse: bool) {
    let list = variant_list(name);
    let mut failures = Vec::new();
    let mut parsed = 0;
    for (line, variant) in &list.active {
        match hgvs::parse(variant) {
            Ok(_) => parsed += 1,
            Err(e) if active_must_parse => failures.push(format!("{name}:{line}: {e}")),
            Err(_) => {}
        }
    }
    let mut rejected = 0;
    for (line, variant) in &list.negative {
        match hgvs::parse(variant) {
            Err(_) => rejected += 1,
            Ok(v) => failures.push(format!(
                "{name}:{line}: accepted invalid {variant:?} as {v}"
            )),
        }
    }
    let unsupported_parsed: Vec<_> = list
        .unsupported
        .iter()
        .filter(|(_, v)| hgvs::is_valid(v))
        .map(|(_, v)| v.as_str())
        .collect();
    println!(
        "{name}: parsed {parsed}/{}; rejected {rejected}/{} negative examples; \
         parsed {}/{} marked unsupported by biocommons {unsupported_parsed:?}",
        list.active.len(),
        list.negative.len(),
        unsupported_parsed.len(),
        list.unsupported.len(),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn gauntlet_parses() {
    check_list("gauntlet", true);
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn extra_parses() {
    check_list("extra", true);
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn reject_is_rejected() {
    let list = variant_list("reject");
    assert!(
        !list.negative.is_empty() || !list.active.is_empty(),
        "reject holds no cases"
    );
    for (line, variant) in &list.active {
        assert!(
            !hgvs::is_valid(variant),
            "reject:{line}: accepted {variant:?}"
        );
    }
    check_list("reject", false);
}

/// Python-tuple or `None` expectations describe biocommons' internal values
/// (`(u'Ter', 8)`), not text this parser can produce.
fn is_textual_expectation(rule: &str, expected: &str) -> bool {
    !(expected.is_empty()
        || expected == "None"
        || expected.starts_with("(u'")
        || expected.starts_with("(None")
        || matches!(rule, "aa13_fs" | "fs" | "fsext_offset"))
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn grammar_test_table() {
    let text = read("grammar_test.tsv");
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let (mut cases, mut agreed, mut formatted, mut format_checks) = (0, 0, 0, 0);
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert!(
            fields.len() >= 4,
            "grammar_test.tsv:{}: too few fields",
            n + 1
        );
        let (rule, test, valid, in_type) = (fields[0], fields[1], fields[2], fields[3]);
        let valid = match valid.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            other => panic!("grammar_test.tsv:{}: Valid is {other:?}", n + 1),
        };
        let inputs: Vec<String> = match in_type {
            "one" => vec![test.to_string()],
            "list" => test.split('|').map(str::to_string).collect(),
            // Every character is one input.
            "string" => test.chars().map(String::from).collect(),
            other => panic!("grammar_test.tsv:{}: InType {other:?}", n + 1),
        };
        let expected: Vec<&str> = fields
            .get(4)
            .map(|e| e.split('|').collect())
            .unwrap_or_default();
        for (k, input) in inputs.iter().enumerate() {
            let result = hgvs::parse_rule(rule, input);
            if let Err(HgvsError::UnknownRule { .. }) = result {
                *unmapped.entry(rule.to_string()).or_default() += 1;
                continue;
            }
            cases += 1;
            if result.is_ok() != valid {
                failures.push(format!(
                    "grammar_test.tsv:{}: {rule} {input:?}: expected {}, got {result:?}",
                    n + 1,
                    if valid { "valid" } else { "invalid" }
                ));
                continue;
            }
            agreed += 1;
            let (Ok(output), Some(want)) = (&result, expected.get(k)) else {
                continue;
            };
            if valid && is_textual_expectation(rule, want) {
                format_checks += 1;
                if output == want {
                    formatted += 1;
                } else {
                    failures.push(format!(
                        "grammar_test.tsv:{}: {rule} {input:?} formats as {output:?}, biocommons {want:?}",
                        n + 1
                    ));
                }
            }
        }
    }
    let unmapped_cases: usize = unmapped.values().sum();
    println!(
        "grammar_test.tsv: parsed {agreed}/{cases} as biocommons does (valid and invalid); \
         formatting {formatted}/{format_checks}; {} rules ({unmapped_cases} cases) unmapped: {:?}",
        unmapped.len(),
        unmapped.keys().collect::<Vec<_>>()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What a canonical form changed in a non-canonical input, for the report.
fn canonicalisation(input: &str, output: &str) -> &'static str {
    if input.contains('*') && output.contains("Ter") {
        "stop written as Ter"
    } else if input.contains("fs") && output.contains("fsTer") {
        "fs given its Ter"
    } else if input.contains("delins") || (input.contains("del") && input.contains("ins")) {
        "delins reference dropped"
    } else if input.contains("del") || input.contains("dup") || input.contains("inv") {
        "del/dup/inv reference dropped"
    } else {
        "other"
    }
}

#[test]
#[ignore = "conformance: needs ../shared/data"]
fn gcp_tables_parse_and_round_trip() {
    let dir = data_dir().join("gcp");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no .tsv files", dir.display());
    let mut failures = Vec::new();
    let mut changed: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    let (mut total, mut total_parsed, mut total_identical) = (0, 0, 0);
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(path).unwrap();
        let mut lines = text.lines().enumerate();
        let header: Vec<&str> = lines.next().expect("header").1.split('\t').collect();
        let columns: Vec<usize> = (0..header.len())
            .filter(|&c| matches!(header[c], "HGVSg" | "HGVSc" | "HGVSp"))
            .collect();
        let (mut count, mut parsed, mut identical) = (0, 0, 0);
        for (n, line) in lines {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            for &c in &columns {
                let Some(variant) = fields.get(c).map(|v| v.trim()).filter(|v| !v.is_empty())
                else {
                    continue;
                };
                count += 1;
                let parsed_variant = match hgvs::parse(variant) {
                    Ok(v) => v,
                    Err(e) => {
                        failures.push(format!("{name}:{}: {}: {e}", n + 1, header[c]));
                        continue;
                    }
                };
                parsed += 1;
                let output = parsed_variant.to_string();
                // The canonical form is valid and a fixed point.
                match hgvs::parse(&output) {
                    Ok(again) if again.to_string() == output => {}
                    other => failures.push(format!(
                        "{name}:{}: canonical form {output:?} of {variant:?} does not round-trip: {other:?}",
                        n + 1
                    )),
                }
                if output == variant {
                    identical += 1;
                } else {
                    let entry = changed
                        .entry(canonicalisation(variant, &output))
                        .or_insert_with(|| (0, format!("{variant} -> {output}")));
                    entry.0 += 1;
                }
            }
        }
        println!("gcp/{name}: parsed {parsed}/{count}; canonical form identical for {identical}");
        total += count;
        total_parsed += parsed;
        total_identical += identical;
    }
    println!(
        "gcp total: parsed {total_parsed}/{total}; canonical form identical for {total_identical}; \
         rewritten to canonical form: {changed:?}"
    );
    assert!(
        !changed.contains_key("other"),
        "unexpected canonicalisation: {:?}",
        changed["other"]
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Rows of a tab-separated file with a header, as (line number, column → value).
fn tsv_rows(path: &std::path::Path) -> Vec<(usize, BTreeMap<String, String>)> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#'));
    let header: Vec<String> = match lines.next() {
        Some((_, h)) => h.split('\t').map(str::to_string).collect(),
        None => return Vec::new(),
    };
    lines
        .map(|(n, line)| {
            let row = header
                .iter()
                .cloned()
                .zip(line.split('\t').map(str::to_string))
                .collect();
            (n + 1, row)
        })
        .collect()
}

/// Every allele-level hotspot's protein change parses to the kind its text
/// spells (`K116*` nonsense, `C111Y` missense, `P114P` synonymous, indels by
/// their edit), and `short()` writes it back as written (synonymous changes
/// as `P114=`). The file's variant class is compared too; the few rows whose
/// class contradicts their own protein change are counted, not failed.
#[test]
#[ignore = "conformance: needs ../shared/data"]
fn cancer_hotspot_protein_changes() {
    let dir = shared_folder("cancer_hotspots");
    let mut failures = Vec::new();
    for build in ["GRCh37", "GRCh38"] {
        let name = format!("cancerhotspots_v2_{build}.tsv");
        let text = fs::read_to_string(dir.join(&name)).unwrap();
        let (mut count, mut parsed, mut same_text, mut class_contradicted) = (0, 0, 0, 0);
        for (n, line) in text.lines().enumerate() {
            // chrom, pos, ref, alt, gene, class, protein change, ...
            let fields: Vec<&str> = line.split('\t').collect();
            let (Some(class), Some(text)) = (fields.get(5), fields.get(6)) else {
                continue;
            };
            let at = format!("{name}:{}: {text}", n + 1);
            count += 1;
            let change = match ProteinChange::parse(text) {
                Ok(c) => c,
                Err(e) => {
                    failures.push(format!("{at}: {e}"));
                    continue;
                }
            };
            parsed += 1;
            let (first, last) = (text.as_bytes()[0], *text.as_bytes().last().unwrap());
            let single_residue = text[1..text.len() - 1].bytes().all(|b| b.is_ascii_digit());
            let expected_text = if single_residue && first == last {
                format!("{}=", &text[..text.len() - 1])
            } else {
                text.to_string()
            };
            let kind_fits = if single_residue {
                change.kind
                    == match last {
                        b'*' => ProteinChangeKind::Nonsense,
                        _ if last == first => ProteinChangeKind::Synonymous,
                        alternative => ProteinChangeKind::Substitution { alternative },
                    }
            } else {
                let edit = text.trim_start_matches(|c: char| c != 'd' && c != 'i');
                match change.kind {
                    ProteinChangeKind::Deletion => edit == "del",
                    ProteinChangeKind::Duplication => edit == "dup",
                    ProteinChangeKind::DelIns { .. } => edit.starts_with("delins"),
                    ProteinChangeKind::Insertion { .. } => edit.starts_with("ins"),
                    _ => false,
                }
            };
            if !kind_fits {
                failures.push(format!("{at}: parsed as {:?}", change.kind));
            }
            let class_fits = match *class {
                "Missense_Mutation" => {
                    matches!(change.kind, ProteinChangeKind::Substitution { .. })
                }
                "Nonsense_Mutation" => change.kind == ProteinChangeKind::Nonsense,
                // VCF-level indel classes: an insertion may shift into a
                // protein deletion and vice versa.
                "DEL" | "INS" => !single_residue,
                other => {
                    failures.push(format!("{at}: unknown class {other}"));
                    continue;
                }
            };
            if !class_fits {
                class_contradicted += 1;
            }
            if change.short() == expected_text {
                same_text += 1;
            } else {
                failures.push(format!("{at}: written back as {}", change.short()));
            }
        }
        println!(
            "cancer_hotspots/{name}: parsed {parsed}/{count}; short() as written for {same_text}; \
             {class_contradicted} rows whose class contradicts their protein change"
        );
        assert!(count > 0, "{name}: no rows");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The MAFs give each protein change twice, `HGVSp_Short` (`p.E182*`) and
/// `HGVSp` (`Glu182*`): both forms must parse, and must be equal unless
/// the file itself gives two different positions.
#[test]
#[ignore = "conformance: needs ../shared/data"]
fn oncokb_maf_protein_changes() {
    let dir = shared_folder("oncokb_inputs");
    let mut failures = Vec::new();
    for name in ["example_maf.txt", "example_maf_grch38.txt"] {
        let (mut count, mut parsed, mut pairs, mut equal, mut data_disagree) = (0, 0, 0, 0, 0);
        for (line, row) in tsv_rows(&dir.join(name)) {
            let mut changes = Vec::new();
            for column in ["HGVSp_Short", "HGVSp"] {
                let Some(text) = row.get(column).filter(|t| !t.is_empty()) else {
                    continue;
                };
                count += 1;
                match ProteinChange::parse(text) {
                    Ok(c) => {
                        parsed += 1;
                        changes.push(c);
                    }
                    Err(e) => failures.push(format!("{name}:{line}: {column}: {e}")),
                }
            }
            if let [short, long] = changes.as_slice() {
                pairs += 1;
                if short == long {
                    equal += 1;
                } else if short.start.number != long.start.number {
                    data_disagree += 1;
                } else {
                    failures.push(format!("{name}:{line}: {short} != {long}"));
                }
            }
        }
        println!(
            "oncokb_inputs/{name}: parsed {parsed}/{count}; {equal}/{pairs} HGVSp_Short/HGVSp pairs equal, \
             {data_disagree} where the file gives two positions"
        );
        assert!(count > 0, "{name}: no protein changes");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
