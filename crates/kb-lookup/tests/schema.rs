//! The committed manifest JSON Schema must be the one generated from the
//! types. Regenerate with `UPDATE_SCHEMA=1 cargo test -p kb-lookup --test schema`.

use std::path::PathBuf;

#[test]
fn committed_manifest_schema_matches_the_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/schema/bundle-manifest.schema.json");
    let generated = kb_lookup::manifest::manifest_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_SCHEMA=1", path.display()));
    assert!(
        committed == generated,
        "{} is stale: run `UPDATE_SCHEMA=1 cargo test -p kb-lookup --test schema`",
        path.display()
    );
    let value: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let required = value["required"].as_array().unwrap();
    for field in ["bundle_version", "genome_build", "created", "sources"] {
        assert!(
            required.iter().any(|r| r == field),
            "schema lacks required {field}"
        );
    }
}
