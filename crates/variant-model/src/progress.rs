//! Progress reporting: an `indicatif` bar on an interactive terminal,
//! nothing at all when stderr is not a TTY (pipelines, CI, Nextflow).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A spinner counting records, drawn on stderr only when stderr is a
/// terminal. `total` (bytes or records) turns it into a bar.
pub fn record_progress(what: &str, total: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
    }
    let bar = match total {
        Some(t) => ProgressBar::new(t).with_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({eta})",
            )
            .expect("valid template"),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template(
                "{spinner} {msg} {human_pos} [{elapsed_precise}] {per_sec}",
            )
            .expect("valid template"),
        ),
    };
    bar.set_message(what.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
