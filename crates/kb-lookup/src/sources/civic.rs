//! CIViC (<https://civicdb.org>, CC0): the nightly TSV exports
//! (`nightly-VariantSummaries.tsv`, `nightly-ClinicalEvidenceSummaries.tsv`,
//! `nightly-AssertionSummaries.tsv`, `nightly-MolecularProfileSummaries.tsv`;
//! documented at <https://civic.readthedocs.io/en/latest/about/data-releases.html>)
//! and API JSON records (`/api/variants/12`, `/api/evidence_items/3017`,
//! `/api/assertions/7`, `/api/molecular_profiles/12`, v1 and v2 field
//! names, single objects or arrays, with embedded `_evidence_items`).
//!
//! Every accepted evidence item and assertion becomes one curated record
//! (`EID3017`, `AID7`) carrying the match rules of its variant: the
//! protein change or residue of the variant name (`V600E`, `V600`), exon
//! and gene-level names (`EXON 19 DELETION`, `MUTATION`,
//! `LOSS-OF-FUNCTION`), HGVS p. expressions, and the genomic allele when the
//! coordinates are on the bundle's build. Items whose molecular profile
//! combines several variants, or whose variant is not a small variant
//! (amplification, fusion, expression), are counted as skipped.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;
use variant_model::evidence::{Disease, Evidence};

use super::tsv::Table;
use super::{Context, Converted, display_enum, rules_from_name};
use crate::config::SourceConfig;
use crate::curated::{CuratedRecord, MatchRule};

#[derive(Debug, Clone, Default)]
struct Coordinates {
    build: String,
    chrom: String,
    start: u64,
    reference_bases: String,
    variant_bases: String,
}

#[derive(Debug, Clone, Default)]
struct Variant {
    gene: Option<String>,
    name: String,
    hgvs: Vec<String>,
    coordinates: Option<Coordinates>,
    single_variant_profile: Option<u64>,
}

#[derive(Debug, Clone)]
struct Profile {
    name: Option<String>,
    variant_ids: Vec<u64>,
}

#[derive(Debug, Clone)]
struct Item {
    record_id: String,
    status: Option<String>,
    variant_id: Option<u64>,
    profile_id: Option<u64>,
    profile_name: Option<String>,
    /// Gene and variant names given directly (pre-2022 TSV exports).
    gene: Option<String>,
    variant_name: Option<String>,
    evidence: Evidence,
    origin: String,
}

#[derive(Default)]
struct Harvest {
    variants: BTreeMap<u64, Variant>,
    profiles: BTreeMap<u64, Profile>,
    items: Vec<Item>,
}

pub fn convert(config: &SourceConfig, ctx: &mut Context) -> crate::Result<Converted> {
    let mut out = Converted::default();
    let mut harvest = Harvest::default();
    for path in config.paths("variant_summaries", ctx.base)? {
        out.inputs.push(("variant_summaries".into(), path.clone()));
        read_variant_tsv(&path, &mut harvest, &mut out)?;
    }
    for path in config.paths("molecular_profile_summaries", ctx.base)? {
        out.inputs
            .push(("molecular_profile_summaries".into(), path.clone()));
        read_profile_tsv(&path, &mut harvest, &mut out)?;
    }
    for path in config.paths("evidence_summaries", ctx.base)? {
        out.inputs.push(("evidence_summaries".into(), path.clone()));
        read_item_tsv(&path, ItemKind::Evidence, &mut harvest, &mut out)?;
    }
    for path in config.paths("assertion_summaries", ctx.base)? {
        out.inputs
            .push(("assertion_summaries".into(), path.clone()));
        read_item_tsv(&path, ItemKind::Assertion, &mut harvest, &mut out)?;
    }
    for path in config.paths("api_json", ctx.base)? {
        out.inputs.push(("api_json".into(), path.clone()));
        read_json(&path, &mut harvest, &mut out)?;
    }
    if out.inputs.is_empty() {
        return Err(crate::Error::Other(format!(
            "source `{}`: no CIViC files given (files.evidence_summaries, assertion_summaries, variant_summaries, molecular_profile_summaries or api_json)",
            config.name()
        )));
    }
    let statuses: Vec<String> = config
        .civic_statuses
        .clone()
        .unwrap_or_else(|| vec!["accepted".into()]);

    let mut records = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut allele_cache: HashMap<u64, Option<MatchRule>> = HashMap::new();
    let mut unresolved_notes = 0;
    for item in std::mem::take(&mut harvest.items) {
        out.count("items_read");
        if !seen.insert(item.record_id.clone()) {
            out.count("skipped:duplicate_record");
            continue;
        }
        if let Some(status) = &item.status
            && !statuses.iter().any(|s| s.eq_ignore_ascii_case(status))
        {
            out.count(&format!("skipped:status_{}", status.to_ascii_lowercase()));
            continue;
        }
        // Resolve the variant: directly, through a single-variant
        // molecular profile, or by the profile's name.
        let variant_id = item.variant_id.or_else(|| {
            let id = item.profile_id?;
            if let Some(profile) = harvest.profiles.get(&id) {
                return (profile.variant_ids.len() == 1).then(|| profile.variant_ids[0]);
            }
            harvest
                .variants
                .iter()
                .find(|(_, v)| v.single_variant_profile == Some(id))
                .map(|(vid, _)| *vid)
        });
        if item
            .profile_id
            .and_then(|id| harvest.profiles.get(&id))
            .is_some_and(|p| p.variant_ids.len() > 1)
        {
            out.count("skipped:complex_molecular_profile");
            continue;
        }
        let (gene, name, mut rules) = match variant_id.and_then(|id| harvest.variants.get(&id)) {
            Some(variant) => {
                let mut rules = variant_rules(variant);
                let id = variant_id.expect("found by id");
                let allele = match allele_cache.get(&id) {
                    Some(rule) => rule.clone(),
                    None => {
                        let rule = allele_rule(variant, ctx, &mut out)?;
                        allele_cache.insert(id, rule.clone());
                        rule
                    }
                };
                rules.extend(allele);
                (variant.gene.clone(), variant.name.clone(), rules)
            }
            None => {
                // No variant record: use the names the item carries.
                let profile_name = item.profile_name.clone().or_else(|| {
                    item.profile_id
                        .and_then(|id| harvest.profiles.get(&id))
                        .and_then(|p| p.name.clone())
                });
                let (gene, name) = match (&item.gene, &item.variant_name, &profile_name) {
                    (Some(g), Some(v), _) => (Some(g.clone()), v.clone()),
                    (_, _, Some(profile)) => match profile.split_once(' ') {
                        Some((g, v)) if !v.contains(" AND ") && !v.contains(" OR ") => {
                            (Some(g.to_string()), v.to_string())
                        }
                        _ => {
                            out.count("skipped:complex_molecular_profile");
                            continue;
                        }
                    },
                    _ => {
                        out.count("skipped:variant_not_found");
                        if unresolved_notes < 10 {
                            unresolved_notes += 1;
                            out.notes.push(format!(
                                "{} ({}): variant {} not found in the inputs",
                                item.record_id,
                                item.origin,
                                item.variant_id
                                    .map(|v| v.to_string())
                                    .or(item
                                        .profile_id
                                        .map(|p| format!("of molecular profile {p}")))
                                    .unwrap_or_else(|| "?".into())
                            ));
                        }
                        continue;
                    }
                };
                out.count("variant_resolved_by_name");
                let rules = rules_from_name(&name);
                (gene, name, rules)
            }
        };
        rules.sort_by_key(rule_strength);
        rules.dedup();
        if rules.is_empty() || gene.is_none() {
            out.count("skipped:not_a_small_variant");
            continue;
        }
        let gene = gene.expect("checked");
        records.push(CuratedRecord {
            record_id: item.record_id,
            term: format!("{gene} {name}"),
            gene: Some(gene),
            rules,
            evidence: item.evidence,
        });
    }
    out.add("variants_read", harvest.variants.len() as u64);
    super::write_curated(&config.name(), ctx, &mut records, &mut out)?;
    out.notes.push(format!(
        "statuses kept: {}; genomic alleles only from coordinates on {}",
        statuses.join(", "),
        ctx.genome_build
    ));
    Ok(out)
}

fn rule_strength(rule: &MatchRule) -> u8 {
    match rule {
        MatchRule::Allele { .. } => 0,
        MatchRule::Protein { .. } => 1,
        MatchRule::Codon { .. } => 2,
        MatchRule::Exon { .. } | MatchRule::ProteinRange { .. } => 3,
        MatchRule::Gene { .. } => 4,
    }
}

fn variant_rules(variant: &Variant) -> Vec<MatchRule> {
    let mut rules = rules_from_name(&variant.name);
    for hgvs in &variant.hgvs {
        if hgvs.contains(":p.")
            && let Some(change) = crate::protein_change::parse(hgvs)
            && change.kind != crate::protein_change::ChangeKind::Residue
        {
            let rule = MatchRule::Protein {
                change: change.short(),
            };
            if !rules.contains(&rule) {
                rules.push(rule);
            }
        }
    }
    rules
}

/// The genomic allele of a variant whose coordinates are on the bundle's
/// build, normalised like the exact-allele sources.
fn allele_rule(
    variant: &Variant,
    ctx: &mut Context,
    out: &mut Converted,
) -> crate::Result<Option<MatchRule>> {
    let Some(c) = &variant.coordinates else {
        return Ok(None);
    };
    if crate::contig::canonical_build(&c.build) != crate::contig::canonical_build(ctx.genome_build)
    {
        out.count("coordinates_on_other_build");
        return Ok(None);
    }
    let r = if c.reference_bases.is_empty() {
        "-"
    } else {
        &c.reference_bases
    };
    let a = if c.variant_bases.is_empty() {
        "-"
    } else {
        &c.variant_bases
    };
    let Some((chrom, pos, r, a)) = ctx.normaliser.from_maf(&c.chrom, c.start, r, a)? else {
        out.count("indel_coordinates_without_reference");
        return Ok(None);
    };
    match ctx.normaliser.normalise(&chrom, pos, &r, &a)? {
        Ok(allele) => Ok(Some(MatchRule::Allele {
            chrom: allele.chrom,
            pos: allele.pos,
            ref_allele: allele.ref_allele,
            alt_allele: allele.alt_allele,
        })),
        Err(skip) => {
            out.count(&format!("coordinates_{}", skip.reason()));
            Ok(None)
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ItemKind {
    Evidence,
    Assertion,
}

/// A string or number field, first of `keys` present and non-empty.
fn text(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match v.get(*k)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn number(v: &Value, keys: &[&str]) -> Option<u64> {
    keys.iter().find_map(|k| match v.get(*k)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    })
}

fn read_json(path: &Path, harvest: &mut Harvest, out: &mut Converted) -> crate::Result<()> {
    let bytes = std::fs::read(path).map_err(|e| crate::Error::file(path, e))?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| crate::Error::at(path, e.line() as u64, format!("invalid JSON: {e}")))?;
    let objects = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    for (i, object) in objects.iter().enumerate() {
        let origin = format!("{}[{i}]", path.display());
        let kind = text(object, &["type"]).ok_or_else(|| {
            crate::Error::file(path, format!("record {i} has no `type` (variant, molecular_profile, evidence, assertion, gene)"))
        })?;
        match kind.as_str() {
            "variant" => {
                let id = number(object, &["id"]).ok_or_else(|| {
                    crate::Error::file(path, format!("variant record {i} has no id"))
                })?;
                harvest.variants.insert(id, json_variant(object));
                for embedded in object
                    .get("_evidence_items")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let mut item = json_item(embedded, ItemKind::Evidence, &origin)?;
                    item.variant_id.get_or_insert(id);
                    harvest.items.push(item);
                }
            }
            "molecular_profile" => {
                let id = number(object, &["id"]).ok_or_else(|| {
                    crate::Error::file(path, format!("molecular profile record {i} has no id"))
                })?;
                let variant_ids = object
                    .get("variant_ids")
                    .and_then(Value::as_array)
                    .map(|ids| ids.iter().filter_map(Value::as_u64).collect())
                    .unwrap_or_default();
                harvest.profiles.insert(
                    id,
                    Profile {
                        name: text(object, &["name"]),
                        variant_ids,
                    },
                );
            }
            "evidence" => harvest
                .items
                .push(json_item(object, ItemKind::Evidence, &origin)?),
            "assertion" => harvest
                .items
                .push(json_item(object, ItemKind::Assertion, &origin)?),
            "gene" => out.count("gene_records_read"),
            other => {
                return Err(crate::Error::file(
                    path,
                    format!("record {i} has unknown type `{other}`"),
                ));
            }
        }
    }
    Ok(())
}

fn json_variant(v: &Value) -> Variant {
    let coordinates = v.get("coordinates").and_then(|c| {
        Some(Coordinates {
            build: text(c, &["reference_build"])?,
            chrom: text(c, &["chromosome"])?,
            start: number(c, &["start"])?,
            reference_bases: text(c, &["reference_bases"]).unwrap_or_default(),
            variant_bases: text(c, &["variant_bases"]).unwrap_or_default(),
        })
    });
    Variant {
        gene: text(v, &["entrez_name", "gene", "feature_name"]),
        name: text(v, &["name"]).unwrap_or_default(),
        hgvs: v
            .get("hgvs_expressions")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|h| h.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        coordinates,
        single_variant_profile: number(v, &["single_variant_molecular_profile_id"]),
    }
}

fn json_item(v: &Value, kind: ItemKind, origin: &str) -> crate::Result<Item> {
    let id = number(v, &["id"])
        .ok_or_else(|| crate::Error::Other(format!("{origin}: evidence/assertion without id")))?;
    let prefix = if kind == ItemKind::Evidence {
        "EID"
    } else {
        "AID"
    };
    let therapies = v
        .get("therapies")
        .or_else(|| v.get("drugs"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|t| text(t, &["name"])).collect())
        .unwrap_or_default();
    let disease = v.get("disease").filter(|d| d.is_object()).map(|d| Disease {
        name: text(d, &["display_name", "name"]).unwrap_or_default(),
        doid: text(d, &["doid"]).map(|id| doid(&id)),
        oncotree: None,
    });
    let pmids = v
        .get("source")
        .filter(|s| text(s, &["source_type"]).is_some_and(|t| t.eq_ignore_ascii_case("pubmed")))
        .and_then(|s| text(s, &["citation_id"]))
        .into_iter()
        .collect();
    let evidence = Evidence {
        clinical_significance: text(v, &["significance", "clinical_significance"])
            .map(|s| display_enum(&s)),
        evidence_type: text(v, &["evidence_type", "assertion_type"]).map(|s| display_enum(&s)),
        evidence_level: text(v, &["evidence_level", "amp_level"]).map(|s| display_enum(&s)),
        direction: text(v, &["evidence_direction", "assertion_direction"])
            .map(|s| display_enum(&s)),
        therapies,
        disease,
        pmids,
        description: text(v, &["summary", "description"]),
        url: Some(item_url(kind, id)),
        redistributable: Some(true),
        ..Default::default()
    };
    Ok(Item {
        record_id: format!("{prefix}{id}"),
        status: text(v, &["status"]),
        variant_id: number(v, &["variant_id"]),
        profile_id: number(v, &["molecular_profile_id"]),
        profile_name: None,
        gene: None,
        variant_name: None,
        evidence,
        origin: origin.to_string(),
    })
}

fn doid(id: &str) -> String {
    if id.starts_with("DOID:") {
        id.to_string()
    } else {
        format!("DOID:{id}")
    }
}

fn item_url(kind: ItemKind, id: u64) -> String {
    match kind {
        ItemKind::Evidence => format!("https://civicdb.org/evidence/{id}"),
        ItemKind::Assertion => format!("https://civicdb.org/assertions/{id}"),
    }
}

fn read_variant_tsv(path: &Path, harvest: &mut Harvest, out: &mut Converted) -> crate::Result<()> {
    let mut table = Table::open(path)?;
    let id_col = table.require(&["variant_id"])?;
    let gene = table.column(&["gene", "feature_name", "entrez_name"]);
    let name = table.require(&["variant", "variant_name", "name"])?;
    let chrom = table.column(&["chromosome"]);
    let start = table.column(&["start"]);
    let ref_bases = table.column(&["reference_bases"]);
    let alt_bases = table.column(&["variant_bases"]);
    let build = table.column(&["reference_build"]);
    let hgvs = table.column(&["hgvs_descriptions", "hgvs_expressions"]);
    let profile = table.column(&["single_variant_molecular_profile_id"]);
    while let Some(row) = table.next_row()? {
        out.count("variant_rows_read");
        let id: u64 = row
            .get(Some(id_col))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| row.error("variant_id is not a number"))?;
        let coordinates = match (row.get(build), row.get(chrom), row.get(start)) {
            (Some(b), Some(c), Some(s)) => Some(Coordinates {
                build: b.to_string(),
                chrom: c.to_string(),
                start: s
                    .parse()
                    .map_err(|_| row.error(format!("start `{s}` is not a number")))?,
                reference_bases: row.get(ref_bases).unwrap_or_default().to_string(),
                variant_bases: row.get(alt_bases).unwrap_or_default().to_string(),
            }),
            _ => None,
        };
        harvest.variants.insert(
            id,
            Variant {
                gene: row.get(gene).map(str::to_string),
                name: row.get(Some(name)).unwrap_or_default().to_string(),
                hgvs: row
                    .get(hgvs)
                    .map(|h| h.split(',').map(|s| s.trim().to_string()).collect())
                    .unwrap_or_default(),
                coordinates,
                single_variant_profile: row.get(profile).and_then(|p| p.parse().ok()),
            },
        );
    }
    Ok(())
}

fn read_profile_tsv(path: &Path, harvest: &mut Harvest, out: &mut Converted) -> crate::Result<()> {
    let mut table = Table::open(path)?;
    let id_col = table.require(&["molecular_profile_id"])?;
    let name = table.column(&["name", "molecular_profile"]);
    let variants = table.require(&["variant_ids"])?;
    while let Some(row) = table.next_row()? {
        out.count("molecular_profile_rows_read");
        let id: u64 = row
            .get(Some(id_col))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| row.error("molecular_profile_id is not a number"))?;
        let variant_ids = row
            .get(Some(variants))
            .unwrap_or_default()
            .split(',')
            .filter_map(|v| v.trim().parse().ok())
            .collect();
        harvest.profiles.insert(
            id,
            Profile {
                name: row.get(name).map(str::to_string),
                variant_ids,
            },
        );
    }
    Ok(())
}

/// Column names (with aliases) of id, type, direction, level and text.
type ColumnNames = (
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

fn read_item_tsv(
    path: &Path,
    kind: ItemKind,
    harvest: &mut Harvest,
    out: &mut Converted,
) -> crate::Result<()> {
    let mut table = Table::open(path)?;
    let (id_names, type_names, dir_names, level_names, text_names): ColumnNames = match kind {
        ItemKind::Evidence => (
            &["evidence_id"],
            &["evidence_type"],
            &["evidence_direction"],
            &["evidence_level"],
            &["evidence_statement", "description"],
        ),
        ItemKind::Assertion => (
            &["assertion_id"],
            &["assertion_type"],
            &["assertion_direction"],
            &["amp_category", "amp_level"],
            &["assertion_summary", "summary"],
        ),
    };
    let id_col = table.require(id_names)?;
    let c = |t: &Table, names: &[&str]| t.column(names);
    let profile_id = c(&table, &["molecular_profile_id"]);
    let profile_name = c(&table, &["molecular_profile"]);
    let variant_id = c(&table, &["variant_id"]);
    let gene = c(&table, &["gene", "feature_name"]);
    let variant = c(&table, &["variant"]);
    let disease = c(&table, &["disease"]);
    let doid_col = c(&table, &["doid"]);
    let therapies = c(&table, &["therapies", "drugs"]);
    let ev_type = c(&table, type_names);
    let direction = c(&table, dir_names);
    let level = c(&table, level_names);
    let significance = c(&table, &["significance", "clinical_significance"]);
    let statement = c(&table, text_names);
    let citation = c(&table, &["citation_id", "pubmed_id"]);
    let source_type = c(&table, &["source_type"]);
    let status = c(&table, &["evidence_status", "assertion_status", "status"]);
    if profile_id.is_none() && variant_id.is_none() && (gene.is_none() || variant.is_none()) {
        return Err(table.error(
            "header has none of molecular_profile_id, variant_id, or gene + variant: cannot link items to variants",
        ));
    }
    while let Some(row) = table.next_row()? {
        let id: u64 = row
            .get(Some(id_col))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| row.error(format!("{} is not a number", id_names[0])))?;
        let pmid = match (row.get(citation), row.get(source_type)) {
            (Some(id), Some(t)) if t.eq_ignore_ascii_case("pubmed") => vec![id.to_string()],
            (Some(id), None) if id.chars().all(|c| c.is_ascii_digit()) => vec![id.to_string()],
            _ => Vec::new(),
        };
        let evidence = Evidence {
            clinical_significance: row.get(significance).map(display_enum),
            evidence_type: row.get(ev_type).map(display_enum),
            evidence_level: row.get(level).map(display_enum),
            direction: row.get(direction).map(display_enum),
            therapies: row
                .get(therapies)
                .map(|t| {
                    t.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            disease: row.get(disease).map(|name| Disease {
                name: name.to_string(),
                doid: row.get(doid_col).map(doid),
                oncotree: None,
            }),
            pmids: pmid,
            description: row.get(statement).map(str::to_string),
            url: Some(item_url(kind, id)),
            redistributable: Some(true),
            ..Default::default()
        };
        out.count(if kind == ItemKind::Evidence {
            "evidence_rows_read"
        } else {
            "assertion_rows_read"
        });
        harvest.items.push(Item {
            record_id: format!(
                "{}{id}",
                if kind == ItemKind::Evidence {
                    "EID"
                } else {
                    "AID"
                }
            ),
            status: row.get(status).map(str::to_string),
            variant_id: row.get(variant_id).and_then(|v| v.parse().ok()),
            profile_id: row.get(profile_id).and_then(|v| v.parse().ok()),
            profile_name: row.get(profile_name).map(str::to_string),
            gene: row.get(gene).map(str::to_string),
            variant_name: row.get(variant).map(str::to_string),
            evidence,
            origin: row.origin(),
        });
    }
    Ok(())
}
