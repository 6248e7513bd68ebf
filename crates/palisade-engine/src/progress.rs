//! Progress reporting: the engine says what it is doing; front doors decide how (or whether)
//! to show it. Calls come from several threads.

/// Receives progress events. Every method has a default that ignores the event.
pub trait Progress: Send + Sync {
    /// A new phase begins (`pulling`, `reading layers`, `matching vulnerabilities`).
    fn stage(&self, _name: &str) {}
    /// The current phase will consume this many bytes.
    fn total_bytes(&self, _total: u64) {}
    /// This many more bytes were consumed.
    fn advance(&self, _bytes: u64) {}
    /// The scan is over (success or not): clear whatever is shown.
    fn finish(&self) {}
}
