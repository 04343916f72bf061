//! HTML rendering with minijinja templates (`templates/`), embedded in the
//! binary. The pages are self-contained: CSS and JavaScript are inlined,
//! plots are inline SVG, and a Content-Security-Policy that allows only the
//! page's own style and script (by sha256) forbids every network load, and
//! any script that escaping might have let through.
//!
//! Templates ending in `.html` are auto-escaped, so every string that comes
//! from a VCF or a knowledge base is HTML-escaped wherever it is printed.

use std::sync::OnceLock;

use base64::Engine;
use minijinja::value::{Serde, Value};
use minijinja::{Environment, context};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::cohort::CohortReport;
use crate::model::{QcSummary, ReportHeader, ReportSummary, SampleReport, TierKey};
use crate::plots::{consequence_chart, tier_chart, vaf_chart};
use crate::view::{script_safe_json, table_data};
use crate::{TOOL_NAME, TOOL_VERSION};

const STYLE: &str = include_str!("../static/report.css");
const SCRIPT: &str = include_str!("../static/report.js");

/// Key findings listed in the summary; the rest are in the tier tables.
const KEY_FINDINGS_SHOWN: usize = 30;

/// Default number of rows per page in the tier tables.
pub const DEFAULT_PAGE_SIZE: usize = 50;

#[derive(Debug, thiserror::Error)]
#[error("cannot render the HTML report: {0:#}")]
pub struct RenderError(#[from] minijinja::Error);

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        // Block tags on their own lines leave no blank lines behind.
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .expect("default delimiters are valid"),
        );
        for (name, source) in [
            ("base.html", include_str!("../templates/base.html")),
            ("macros.html", include_str!("../templates/macros.html")),
            ("report.html", include_str!("../templates/report.html")),
            ("cohort.html", include_str!("../templates/cohort.html")),
        ] {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name} does not parse: {e:#}"));
        }
        env.add_filter("pct", |vaf: f64| format!("{:.1}%", vaf * 100.0));
        env.add_filter("fixed", |x: f64, digits: usize| format!("{x:.digits$}"));
        env.add_filter("thousands", thousands);
        env
    })
}

/// `12345` → `12,345`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn sha256_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The Content-Security-Policy of every page: nothing may load, only the
/// inlined style and script may apply.
fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; base-uri 'none'; form-action 'none'",
        sha256_source(STYLE),
        sha256_source(SCRIPT)
    )
}

fn page_context() -> Value {
    context! {
        style => Value::from_safe_string(STYLE.to_string()),
        script => Value::from_safe_string(SCRIPT.to_string()),
        csp => content_security_policy(),
        tool => format!("{TOOL_NAME} {TOOL_VERSION}"),
    }
}

/// What the page template reads of a [`SampleReport`]: everything but the
/// variants, which the page carries as JSON for its tables ([`crate::view`]).
#[derive(Serialize)]
struct PageView<'a> {
    header: &'a ReportHeader,
    summary: &'a ReportSummary,
    qc: &'a QcSummary,
    disclaimer: &'a str,
    tiers: Vec<TierView<'a>>,
}

#[derive(Serialize)]
struct TierView<'a> {
    tier: TierKey,
    title: &'a str,
    description: &'a str,
    count: usize,
}

/// Renders the report of one sample. `page_size` is the number of rows per
/// page of the tier tables.
pub fn render_sample(report: &SampleReport, page_size: usize) -> Result<String, RenderError> {
    let env = environment();
    let table_json = script_safe_json(&table_data(report)).map_err(|e| {
        minijinja::Error::new(minijinja::ErrorKind::BadSerialization, e.to_string())
    })?;
    let view = PageView {
        header: &report.header,
        summary: &report.summary,
        qc: &report.qc,
        disclaimer: &report.disclaimer,
        tiers: report
            .tiers
            .iter()
            .map(|s| TierView {
                tier: s.tier,
                title: &s.title,
                description: &s.description,
                count: s.variants.len(),
            })
            .collect(),
    };
    let charts = vec![
        tier_chart(&report.plots),
        vaf_chart(&report.plots),
        consequence_chart(&report.plots),
    ];
    let html = env.get_template("report.html")?.render(context! {
        page => page_context(),
        report => Value::from(Serde(&view)),
        table_data => Value::from_safe_string(table_json),
        charts => Value::from(Serde(&charts)),
        page_size => page_size,
        key_findings_shown => KEY_FINDINGS_SHOWN,
    })?;
    Ok(html)
}

/// Renders the cohort summary.
pub fn render_cohort(cohort: &CohortReport) -> Result<String, RenderError> {
    let template = environment().get_template("cohort.html")?;
    Ok(template.render(context! {
        page => page_context(),
        cohort => Value::from(Serde(cohort)),
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn policy_pins_the_inlined_assets() {
        let csp = content_security_policy();
        assert!(csp.starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
