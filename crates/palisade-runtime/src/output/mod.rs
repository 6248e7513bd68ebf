//! Alerts: output formatting, JSON, findings, rate limiting.

pub mod alert;
pub mod finding;
pub mod format;
pub mod ratelimit;

pub use alert::Alert;
pub use finding::to_finding;
pub use format::Format;
pub use ratelimit::{Limit, RateLimiter};
