//! JSON Schema of the interchange stream, generated from the Rust types so
//! the documented schema cannot drift from what the tools write.

use crate::record::StreamLine;

/// The JSON Schema (draft 2020-12) of one line of a JSON Lines stream, as
/// committed at `assets/schema/variant-record.schema.json`.
pub fn stream_line_schema() -> String {
    let schema = schemars::schema_for!(StreamLine);
    let mut text = serde_json::to_string_pretty(&schema).expect("schema serialises");
    text.push('\n');
    text
}
