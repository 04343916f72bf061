//! Links from knowledge-base identifiers to their public pages.
//!
//! Only identifiers of a known shape become links (digits for ClinVar and
//! PubMed, `EID`/`AID`/... prefixes for CIViC), and a URL given by the
//! knowledge base is used only when it is plain `https`/`http`, so no text
//! from a bundle can turn into a `javascript:` link.

use crate::model::SourceLink;

/// Human-readable name of a knowledge-base source.
pub fn source_name(source: &str) -> String {
    match source.to_ascii_lowercase().as_str() {
        "clinvar" => "ClinVar".into(),
        "civic" => "CIViC".into(),
        "oncokb" => "OncoKB".into(),
        "pubmed" => "PubMed".into(),
        "cancerhotspots" | "cancer_hotspots" => "Cancer Hotspots".into(),
        "gnomad" => "gnomAD".into(),
        "cosmic" => "COSMIC".into(),
        "cgi" => "CGI".into(),
        "dbsnp" => "dbSNP".into(),
        _ => source.to_string(),
    }
}

/// How the records of a report's bundle are linked: sources the bundle
/// marks synthetic (demo data with made-up ids) get no link, since the same
/// id in the real database is an unrelated record, and a "synthetic" label.
#[derive(Debug, Clone, Default)]
pub struct Linker {
    synthetic_sources: std::collections::BTreeSet<String>,
}

impl Linker {
    pub fn for_bundle(bundle: Option<&variant_model::record::BundleRef>) -> Self {
        Self {
            synthetic_sources: bundle
                .map(|b| {
                    b.synthetic_sources
                        .iter()
                        .map(|s| s.to_ascii_lowercase())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    pub fn link(&self, source: &str, record_id: &str, kb_url: Option<&str>) -> SourceLink {
        let mut link = record_link(source, record_id, kb_url);
        if self
            .synthetic_sources
            .contains(&source.to_ascii_lowercase())
        {
            link.url = None;
            link.label.push_str(" (synthetic)");
        }
        link
    }
}

/// The link of one knowledge-base record. `kb_url` is the URL the record
/// carries, used when report-gen knows no page for the identifier.
pub fn record_link(source: &str, record_id: &str, kb_url: Option<&str>) -> SourceLink {
    let known = match source.to_ascii_lowercase().as_str() {
        "clinvar" => clinvar_url(record_id),
        "civic" => civic_url(record_id),
        "pubmed" => pubmed_url(record_id),
        _ => None,
    };
    let url = known.or_else(|| kb_url.filter(|u| is_safe_web_url(u)).map(str::to_string));
    let label = if source.eq_ignore_ascii_case("pubmed") {
        format!("PMID {record_id}")
    } else {
        format!("{} {record_id}", source_name(source))
    };
    SourceLink {
        source: source.to_string(),
        record_id: record_id.to_string(),
        label,
        url,
    }
}

/// ClinVar VariationID (`13961`, or the accession `VCV000013961`).
fn clinvar_url(id: &str) -> Option<String> {
    let digits = id.strip_prefix("VCV").unwrap_or(id);
    let digits = digits.split('.').next().unwrap_or(digits); // VCV...: version suffix
    let number: u64 = all_digits(digits)?.parse().ok()?;
    Some(format!(
        "https://www.ncbi.nlm.nih.gov/clinvar/variation/{number}/"
    ))
}

/// CIViC evidence items (`EID1409`), assertions (`AID7`), molecular
/// profiles (`MPID12`), variants (`VID12`) and genes (`GID5`).
fn civic_url(id: &str) -> Option<String> {
    const KINDS: &[(&str, &str)] = &[
        ("EID", "evidence"),
        ("AID", "assertions"),
        ("MPID", "molecular-profiles"),
        ("VID", "variants"),
        ("GID", "genes"),
    ];
    for (prefix, path) in KINDS {
        if let Some(rest) = id.strip_prefix(prefix) {
            let number = all_digits(rest)?;
            return Some(format!("https://civicdb.org/{path}/{number}/summary"));
        }
    }
    None
}

fn pubmed_url(id: &str) -> Option<String> {
    let number = all_digits(id.strip_prefix("PMID:").unwrap_or(id))?;
    Some(format!("https://pubmed.ncbi.nlm.nih.gov/{number}/"))
}

fn all_digits(text: &str) -> Option<&str> {
    (!text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit()))
        .then_some(text)
}

/// A URL safe to put in an `href`: http(s), no spaces or control
/// characters. (HTML escaping of the attribute is the template's job.)
pub fn is_safe_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sources_link_to_their_pages() {
        assert_eq!(
            record_link("clinvar", "13961", None).url.as_deref(),
            Some("https://www.ncbi.nlm.nih.gov/clinvar/variation/13961/")
        );
        assert_eq!(
            record_link("ClinVar", "VCV000013961.95", None)
                .url
                .as_deref(),
            Some("https://www.ncbi.nlm.nih.gov/clinvar/variation/13961/")
        );
        assert_eq!(
            record_link("civic", "EID1409", None).url.as_deref(),
            Some("https://civicdb.org/evidence/1409/summary")
        );
        assert_eq!(
            record_link("civic", "AID7", None).url.as_deref(),
            Some("https://civicdb.org/assertions/7/summary")
        );
        let pmid = record_link("pubmed", "21639808", None);
        assert_eq!(pmid.label, "PMID 21639808");
        assert_eq!(
            pmid.url.as_deref(),
            Some("https://pubmed.ncbi.nlm.nih.gov/21639808/")
        );
        assert_eq!(record_link("civic", "EID1409", None).label, "CIViC EID1409");
    }

    #[test]
    fn odd_identifiers_and_unsafe_urls_give_no_link() {
        assert_eq!(record_link("clinvar", "13961 OR 1", None).url, None);
        assert_eq!(record_link("civic", "EIDx", None).url, None);
        assert_eq!(record_link("pubmed", "", None).url, None);
        assert_eq!(
            record_link("oncokb", "BRAF V600E", Some("javascript:alert(1)")).url,
            None
        );
        assert_eq!(
            record_link("oncokb", "x", Some("https://example.org/a b")).url,
            None
        );
        assert_eq!(
            record_link(
                "oncokb",
                "x",
                Some("https://www.oncokb.org/gene/BRAF/V600E")
            )
            .url
            .as_deref(),
            Some("https://www.oncokb.org/gene/BRAF/V600E")
        );
        // a known source whose id has no page falls back to the KB's URL
        assert_eq!(
            record_link("civic", "odd", Some("https://civicdb.org/x"))
                .url
                .as_deref(),
            Some("https://civicdb.org/x")
        );
    }
}

#[cfg(test)]
mod linker_tests {
    use super::*;
    use variant_model::record::BundleRef;

    #[test]
    fn synthetic_sources_get_no_link_and_a_label() {
        let bundle = BundleRef {
            synthetic_sources: vec!["civic".into()],
            ..Default::default()
        };
        let linker = Linker::for_bundle(Some(&bundle));
        let civic = linker.link("civic", "EID90001", None);
        assert_eq!(civic.url, None);
        assert_eq!(civic.label, "CIViC EID90001 (synthetic)");
        let clinvar = linker.link("clinvar", "13961", None);
        assert_eq!(
            clinvar.url.as_deref(),
            Some("https://www.ncbi.nlm.nih.gov/clinvar/variation/13961/")
        );
        let plain = Linker::for_bundle(None).link("civic", "EID95", None);
        assert_eq!(
            plain.url.as_deref(),
            Some("https://civicdb.org/evidence/95/summary")
        );
    }
}
