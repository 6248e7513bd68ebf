//! Alerts POSTed to an HTTP endpoint from a thread of their own, through a bounded queue:
//! a slow or dead endpoint costs alerts (counted), never the event loop's time.

use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

pub struct HttpSink {
    tx: SyncSender<String>,
    worker: JoinHandle<u64>,
    dropped: std::sync::atomic::AtomicU64,
}

impl HttpSink {
    pub fn start(url: String) -> HttpSink {
        let (tx, rx) = sync_channel::<String>(10_000);
        let worker = std::thread::spawn(move || {
            let agent = ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(5))
                .build();
            let mut failed = 0u64;
            for body in rx {
                let r = agent
                    .post(&url)
                    .set("Content-Type", "application/json")
                    .send_string(&body);
                if r.is_err() {
                    failed += 1;
                }
            }
            failed
        });
        HttpSink {
            tx,
            worker,
            dropped: std::sync::atomic::AtomicU64::new(0),
        }
    }

    pub fn send(&self, alert_json: String) {
        if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) =
            self.tx.try_send(alert_json)
        {
            self.dropped
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Waits for queued alerts to be posted; the number that failed or were dropped.
    pub fn finish(self) -> u64 {
        let dropped = self.dropped.load(std::sync::atomic::Ordering::Relaxed);
        drop(self.tx);
        dropped + self.worker.join().unwrap_or(0)
    }
}
