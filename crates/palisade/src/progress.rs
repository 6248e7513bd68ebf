//! Progress on stderr for long work: a spinner per stage, a byte bar while layers stream.
//! Nothing is drawn when stderr is not a terminal or with --quiet.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub struct Bar(ProgressBar);

impl Bar {
    pub fn new(quiet: bool) -> Option<Bar> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        pb.enable_steady_tick(std::time::Duration::from_millis(100));
        Some(Bar(pb))
    }
}

impl palisade_engine::Progress for Bar {
    fn stage(&self, name: &str) {
        self.0.set_style(ProgressStyle::default_spinner());
        self.0.set_length(0);
        self.0.set_position(0);
        self.0.set_message(name.to_string());
    }

    fn total_bytes(&self, total: u64) {
        let style = ProgressStyle::with_template(
            "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} ({elapsed})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        self.0.set_style(style);
        self.0.set_length(total);
    }

    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
