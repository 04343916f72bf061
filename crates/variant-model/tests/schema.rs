//! The committed JSON Schema must be the one generated from the types.
//! Regenerate with `UPDATE_SCHEMA=1 cargo test -p variant-model --test schema`.

use std::path::PathBuf;

#[test]
fn committed_schema_matches_the_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/schema/variant-record.schema.json");
    let generated = variant_model::schema::stream_line_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_SCHEMA=1", path.display()));
    assert!(
        committed == generated,
        "{} is stale: run `UPDATE_SCHEMA=1 cargo test -p variant-model --test schema`",
        path.display()
    );
    // The schema validates the kinds of line a stream holds.
    let value: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let text = value.to_string();
    for kind in ["header", "variant", "summary"] {
        assert!(
            text.contains(&format!("\"{kind}\"")),
            "schema lacks kind {kind}"
        );
    }
}
