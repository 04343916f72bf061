//! Writes to stdout a stream whose every text from a VCF or a knowledge
//! base carries HTML/JavaScript markup, for the browser check of escaping
//! (`tests/e2e/report_browser.sh`). The records are the ones the Rust
//! escaping test uses.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    print!("{}", common::hostile_jsonl());
}
