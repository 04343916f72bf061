//! The committed JSON Schema of the report must be the one generated from
//! the types. Regenerate with
//! `UPDATE_SCHEMA=1 cargo test -p report-gen --test schema`.

use std::path::PathBuf;

#[test]
fn committed_report_schema_matches_the_types() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/schema/report.schema.json");
    let generated = report_gen::model::report_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_SCHEMA=1", path.display()));
    assert!(
        committed == generated,
        "{} is stale: run `UPDATE_SCHEMA=1 cargo test -p report-gen --test schema`",
        path.display()
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for section in ["header", "summary", "tiers", "plots", "qc", "disclaimer"] {
        assert!(required.contains(&section), "schema lacks {section}");
    }
}
