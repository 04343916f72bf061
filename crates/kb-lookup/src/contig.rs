//! Contig names across naming styles (`7` / `chr7`, `MT` / `chrM`, and
//! with the bundle's alias table `NC_000007.14` / `CM000669.2`) and the
//! genome-build check between an input VCF and a bundle.

use std::collections::BTreeMap;

use variant_model::contig_alias::ContigAliases;

/// The names under which a contig may appear: itself, then with the `chr`
/// prefix toggled (and the mitochondrial `MT`/`chrM` pair).
pub fn aliases(name: &str) -> impl Iterator<Item = String> + '_ {
    let alternative = match name {
        "MT" => Some("chrM".to_string()),
        "chrM" | "chrMT" => Some("MT".to_string()),
        _ => match name.strip_prefix("chr") {
            Some(rest) => Some(rest.to_string()),
            None => Some(format!("chr{name}")),
        },
    };
    std::iter::once(name.to_string()).chain(alternative)
}

/// The name without a `chr` prefix (`chrM` → `MT`), for comparing contigs
/// across naming styles.
pub fn canonical(name: &str) -> String {
    match name {
        "chrM" | "chrMT" | "M" => "MT".to_string(),
        _ => name.strip_prefix("chr").unwrap_or(name).to_string(),
    }
}

/// Like [`canonical`], but a name the alias table knows (`NC_000007.14`,
/// `CM000669.2`, `chr7`) becomes its Ensembl/NCBI-style name (`7`) first.
pub fn canonical_with(name: &str, aliases: Option<&ContigAliases>) -> String {
    match aliases.and_then(|a| a.name_in_style(name, "ensembl").or_else(|| a.key(name))) {
        Some(known) => canonical(known),
        None => canonical(name),
    }
}

/// The GRC build a versioned accession (`NC_000007.13`, `CM000669.2`)
/// belongs to, from the shipped GRCh37/GRCh38 alias tables. Plain names
/// (`7`, `chr7`) are in both and tell nothing.
fn accession_build(name: &str) -> Option<&'static str> {
    static TABLES: std::sync::OnceLock<(Option<ContigAliases>, Option<ContigAliases>)> =
        std::sync::OnceLock::new();
    let (b37, b38) = TABLES.get_or_init(|| {
        (
            ContigAliases::builtin("GRCh37"),
            ContigAliases::builtin("GRCh38"),
        )
    });
    let in37 = b37.as_ref().is_some_and(|t| t.key(name).is_some());
    let in38 = b38.as_ref().is_some_and(|t| t.key(name).is_some());
    match (in37, in38) {
        (true, false) => Some("GRCh37"),
        (false, true) => Some("GRCh38"),
        _ => None,
    }
}

/// Primary-assembly chromosome lengths (GRC releases): enough to tell
/// GRCh37 from GRCh38 by any `##contig` length line.
const GRCH37_LENGTHS: &[(&str, u64)] = &[
    ("1", 249250621),
    ("2", 243199373),
    ("3", 198022430),
    ("4", 191154276),
    ("5", 180915260),
    ("6", 171115067),
    ("7", 159138663),
    ("8", 146364022),
    ("9", 141213431),
    ("10", 135534747),
    ("11", 135006516),
    ("12", 133851895),
    ("13", 115169878),
    ("14", 107349540),
    ("15", 102531392),
    ("16", 90354753),
    ("17", 81195210),
    ("18", 78077248),
    ("19", 59128983),
    ("20", 63025520),
    ("21", 48129895),
    ("22", 51304566),
    ("X", 155270560),
    ("Y", 59373566),
];

const GRCH38_LENGTHS: &[(&str, u64)] = &[
    ("1", 248956422),
    ("2", 242193529),
    ("3", 198295559),
    ("4", 190214555),
    ("5", 181538259),
    ("6", 170805979),
    ("7", 159345973),
    ("8", 145138636),
    ("9", 138394717),
    ("10", 133797422),
    ("11", 135086622),
    ("12", 133275309),
    ("13", 114364328),
    ("14", 107043718),
    ("15", 101991189),
    ("16", 90338345),
    ("17", 83257441),
    ("18", 80373285),
    ("19", 58617616),
    ("20", 64444167),
    ("21", 46709983),
    ("22", 50818468),
    ("X", 156040895),
    ("Y", 57227415),
];

/// Canonical build name for the usual spellings (`hg19`, `b37`, `GRCh37.p13`
/// → `GRCh37`); other names are returned unchanged.
pub fn canonical_build(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if ["grch37", "hg19", "b37", "hs37d5", "grch37.p13"]
        .iter()
        .any(|b| lower == *b)
        || lower.starts_with("grch37")
    {
        "GRCh37".to_string()
    } else if ["grch38", "hg38", "b38", "hs38", "hs38dh"]
        .iter()
        .any(|b| lower == *b)
        || lower.starts_with("grch38")
    {
        "GRCh38".to_string()
    } else {
        name.to_string()
    }
}

/// Looks for a build token inside free text such as a FASTA path
/// (`.../hg19/ucsc.hg19.fa`, `GRCh38_full_analysis_set.fa`).
fn build_token(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    let has = |tokens: &[&str]| tokens.iter().any(|t| contains_token(&lower, t));
    let is37 = has(&["grch37", "hg19", "b37", "hs37d5", "human_g1k_v37"]);
    let is38 = has(&["grch38", "hg38", "b38", "hs38dh"]);
    match (is37, is38) {
        (true, false) => Some("GRCh37"),
        (false, true) => Some("GRCh38"),
        _ => None,
    }
}

/// `token` occurs in `text` not glued to other letters or digits
/// (`b37` must not match inside `ab370`).
fn contains_token(text: &str, token: &str) -> bool {
    text.match_indices(token).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + token.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// What the header of a VCF says about its genome build, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildEvidence {
    pub build: Option<String>,
    /// The header line(s) the conclusion rests on.
    pub reason: String,
}

/// Infers the genome build of a VCF from its meta lines: contig lengths
/// (compared with `known_lengths` from the bundle's reference when it has
/// one, then with GRCh37/GRCh38), `##reference`/`##assembly`, contig
/// `assembly=` tags, and lift-over records (`##liftOverChainFile=hg19Tohg38`
/// names the target build; `##new_reference_genome=...hg19...`).
///
/// `aliases` (the bundle's alias table) lets contigs named in another style
/// than the bundle's (`7` / `chr7` / `NC_000007.14`) be compared.
pub fn detect_build(
    meta_lines: &[String],
    bundle_build: &str,
    known_lengths: Option<&BTreeMap<String, u64>>,
    aliases: Option<&ContigAliases>,
) -> BuildEvidence {
    let mut contig_lengths = Vec::new();
    for line in meta_lines {
        if let Some(body) = line
            .strip_prefix("##contig=<")
            .and_then(|b| b.strip_suffix('>'))
        {
            let fields = split_structured(body);
            if let (Some(id), Some(length)) = (fields.get("ID"), fields.get("length"))
                && let Ok(length) = length.parse::<u64>()
            {
                contig_lengths.push((id.clone(), length));
            }
            if let Some(assembly) = fields.get("assembly") {
                let build = canonical_build(assembly);
                if build == "GRCh37" || build == "GRCh38" {
                    return BuildEvidence {
                        build: Some(build),
                        reason: format!("##contig assembly={assembly}"),
                    };
                }
            }
        }
    }
    // Contig lengths are the strongest evidence: compare with the bundle's
    // own reference first (works for any genome), then the GRC builds.
    // Every contig named by both must have the same length: one that
    // differs is enough to refuse (a header mixing builds is as wrong as a
    // header of the other build).
    if let Some(known) = known_lengths {
        let known: BTreeMap<String, u64> = known
            .iter()
            .map(|(k, v)| (canonical_with(k, aliases), *v))
            .collect();
        let mut agreeing = Vec::new();
        for (id, length) in &contig_lengths {
            match known.get(&canonical_with(id, aliases)) {
                Some(expected) if expected != length => {
                    return BuildEvidence {
                        build: Some(format!("not {bundle_build}")),
                        reason: format!(
                            "##contig {id} has length {length}, the bundle reference has {expected}"
                        ),
                    };
                }
                Some(_) => agreeing.push(id.as_str()),
                None => {}
            }
        }
        if let Some(first) = agreeing.first() {
            return BuildEvidence {
                build: Some(bundle_build.to_string()),
                reason: format!(
                    "##contig lengths of {} contig(s) ({first}{}) equal the bundle reference",
                    agreeing.len(),
                    if agreeing.len() > 1 { ", ..." } else { "" }
                ),
            };
        }
    }
    for (id, length) in &contig_lengths {
        let key = canonical_with(id, aliases);
        for (build, table) in [("GRCh37", GRCH37_LENGTHS), ("GRCh38", GRCH38_LENGTHS)] {
            if table.iter().any(|(c, l)| *c == key && l == length) {
                return BuildEvidence {
                    build: Some(build.to_string()),
                    reason: format!("##contig {id} has the {build} length {length}"),
                };
            }
        }
    }
    // A versioned RefSeq/GenBank accession names its assembly.
    for line in meta_lines {
        let Some(body) = line
            .strip_prefix("##contig=<")
            .and_then(|b| b.strip_suffix('>'))
        else {
            continue;
        };
        if let Some(id) = split_structured(body).get("ID")
            && let Some(build) = accession_build(id)
        {
            return BuildEvidence {
                build: Some(build.to_string()),
                reason: format!("##contig {id} is a {build} accession"),
            };
        }
    }
    for line in meta_lines {
        let Some((key, value)) = line.trim_start_matches("##").split_once('=') else {
            continue;
        };
        let key_lower = key.to_ascii_lowercase();
        if key_lower.starts_with("liftover") {
            // A chain file `hg19ToHg38.over.chain.gz` names source and target.
            let lower = value.to_ascii_lowercase();
            let target = if ["tohg38", "togrch38"].iter().any(|t| lower.contains(t)) {
                Some("GRCh38")
            } else if ["tohg19", "togrch37"].iter().any(|t| lower.contains(t)) {
                Some("GRCh37")
            } else {
                None
            };
            if let Some(build) = target {
                return BuildEvidence {
                    build: Some(build.to_string()),
                    reason: format!("##{key}={value} (lift-over target)"),
                };
            }
            continue;
        }
        if (key_lower.contains("reference")
            || key_lower.contains("assembly")
            || key_lower == "genome")
            && let Some(build) = build_token(value)
        {
            return BuildEvidence {
                build: Some(build.to_string()),
                reason: format!("##{key}={value}"),
            };
        }
    }
    BuildEvidence {
        build: None,
        reason: "no ##reference, ##contig length or assembly line names a build".into(),
    }
}

/// Splits the body of a structured meta line (`ID=1,length=2,Description="a,b"`).
fn split_structured(body: &str) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    let mut key = String::new();
    let mut value = String::new();
    let mut in_value = false;
    let mut quoted = false;
    for c in body.chars() {
        match c {
            '"' => quoted = !quoted,
            '=' if !in_value && !quoted => in_value = true,
            ',' if !quoted => {
                fields.insert(std::mem::take(&mut key), std::mem::take(&mut value));
                in_value = false;
            }
            c if in_value => value.push(c),
            c => key.push(c),
        }
    }
    if !key.is_empty() {
        fields.insert(key, value);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn aliases_toggle_the_chr_prefix() {
        assert_eq!(aliases("7").collect::<Vec<_>>(), ["7", "chr7"]);
        assert_eq!(aliases("chr7").collect::<Vec<_>>(), ["chr7", "7"]);
        assert_eq!(aliases("MT").collect::<Vec<_>>(), ["MT", "chrM"]);
        assert_eq!(canonical("chrM"), "MT");
    }

    #[test]
    fn detects_builds_from_contig_lengths() {
        let b38 = detect_build(
            &lines("##contig=<ID=chr21,length=46709983,assembly=x>"),
            "GRCh38",
            None,
            None,
        );
        assert_eq!(b38.build.as_deref(), Some("GRCh38"));
        let b37 = detect_build(
            &lines("##contig=<ID=7,length=159138663>"),
            "GRCh38",
            None,
            None,
        );
        assert_eq!(b37.build.as_deref(), Some("GRCh37"));
        let mut known = BTreeMap::new();
        known.insert("chrS".to_string(), 5000);
        let own = detect_build(
            &lines("##contig=<ID=chrS,length=4000>"),
            "synthetic-1",
            Some(&known),
            None,
        );
        assert_eq!(own.build.as_deref(), Some("not synthetic-1"));
        assert!(own.reason.contains("4000"));
        // One agreeing contig does not hide a later one that differs.
        known.insert("chrT".to_string(), 700);
        let mixed = detect_build(
            &lines("##contig=<ID=chrT,length=700>\n##contig=<ID=chrS,length=4000>"),
            "synthetic-1",
            Some(&known),
            None,
        );
        assert_eq!(mixed.build.as_deref(), Some("not synthetic-1"));
        let agreeing = detect_build(
            &lines(
                "##contig=<ID=T,length=700>\n##contig=<ID=chrS,length=5000>\n##contig=<ID=chrU,length=9>",
            ),
            "synthetic-1",
            Some(&known),
            None,
        );
        assert_eq!(agreeing.build.as_deref(), Some("synthetic-1"));
    }

    #[test]
    fn detects_builds_from_reference_and_liftover_lines() {
        let r = detect_build(
            &lines("##reference=file:///data/hg19/ucsc.hg19.fa"),
            "GRCh38",
            None,
            None,
        );
        assert_eq!(r.build.as_deref(), Some("GRCh37"));
        let lift = detect_build(
            &lines("##liftOverChainFile=/x/chainFiles/hg19Tohg38.over.chain.gz"),
            "GRCh38",
            None,
            None,
        );
        assert_eq!(lift.build.as_deref(), Some("GRCh38"));
        let none = detect_build(&lines("##source=caller"), "GRCh38", None, None);
        assert_eq!(none.build, None);
        assert_eq!(canonical_build("hg19"), "GRCh37");
        assert_eq!(canonical_build("GRCh38.p14"), "GRCh38");
        assert!(!contains_token("ab370", "b37"));
    }

    #[test]
    fn alias_tables_compare_contigs_across_naming_styles() {
        let table = ContigAliases::builtin("GRCh38").unwrap();
        let mut known = BTreeMap::new();
        known.insert("chr7".to_string(), 159345973);
        for id in ["7", "chr7", "NC_000007.14"] {
            let line = format!("##contig=<ID={id},length=159345973>");
            let e = detect_build(&lines(&line), "GRCh38", Some(&known), Some(&table));
            assert_eq!(e.build.as_deref(), Some("GRCh38"), "{id}: {}", e.reason);
            assert!(
                e.reason.contains("equal the bundle reference"),
                "{}",
                e.reason
            );
        }
        // A GRCh37 length under any name is refused by a GRCh38 reference.
        for id in ["7", "chr7", "NC_000007.14"] {
            let line = format!("##contig=<ID={id},length=159138663>");
            let e = detect_build(&lines(&line), "GRCh38", Some(&known), Some(&table));
            assert_eq!(e.build.as_deref(), Some("not GRCh38"), "{id}");
        }
        // Without the table a RefSeq name is not comparable by length, but
        // its accession version names the build.
        let e = detect_build(
            &lines("##contig=<ID=NC_000007.13>"),
            "GRCh38",
            Some(&known),
            None,
        );
        assert_eq!(e.build.as_deref(), Some("GRCh37"), "{}", e.reason);
        assert_eq!(canonical_with("CM000669.2", Some(&table)), "7");
        assert_eq!(canonical_with("chrUn_x", Some(&table)), "Un_x");
    }
}
