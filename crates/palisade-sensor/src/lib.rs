//! Palisade's eBPF sensor: process, file, network and privilege events from stable kernel
//! tracepoints, a process table kept from fork/exec/exit, container attribution from cgroups,
//! turned into the syscall events the runtime rules engine (`palisade-runtime`) evaluates.

pub mod container;
pub mod convert;
pub mod pathfilter;
pub mod pipeline;
pub mod probe;
pub mod proctable;
pub mod record;
pub mod sink;
pub mod syscalls;
pub mod users;
pub mod wanted;
pub mod watch;

#[cfg(feature = "ebpf")]
mod loader;

#[cfg(feature = "ebpf")]
#[allow(
    clippy::all,
    dead_code,
    unused_imports,
    non_camel_case_types,
    non_upper_case_globals
)]
mod skel {
    include!(concat!(env!("OUT_DIR"), "/sensor.skel.rs"));
}

use serde::Serialize;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum SensorError {
    #[error("this build has no eBPF sensor: rebuild with `cargo build --release -p palisade --features sensor` (needs clang, libelf-dev, zlib1g-dev and pkg-config)")]
    NotBuilt,
    #[error("{what}: {detail} (the sensor needs root or CAP_BPF + CAP_PERFMON, and a kernel with BTF; see `palisade runtime status`)")]
    Bpf { what: &'static str, detail: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

#[derive(Debug, Clone)]
pub struct SensorOptions {
    /// Syscall numbers reported to user space (x86_64).
    pub syscalls: Vec<u32>,
    /// Only these cgroup v2 ids, when set.
    pub cgroups: Option<Vec<u64>>,
    /// Opens whose path passes none of these tests are dropped in the kernel.
    pub path_filter: Option<pathfilter::PathFilter>,
    /// Ring buffer size: a power of two, a multiple of the page size.
    pub ring_bytes: u32,
    /// The kernel wakes the reader once this much is waiting.
    pub wakeup_bytes: u64,
    pub poll: Duration,
    pub tick: Duration,
}

impl Default for SensorOptions {
    fn default() -> Self {
        SensorOptions {
            syscalls: syscalls::SUPPORTED.iter().map(|(n, _)| *n).collect(),
            cgroups: None,
            path_filter: None,
            ring_bytes: 16 << 20,
            wakeup_bytes: 256 << 10,
            poll: Duration::from_millis(20),
            tick: Duration::from_secs(1),
        }
    }
}

/// The kernel side's counters, summed over CPUs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counters {
    pub sent: u64,
    /// Records the ring buffer had no room for.
    pub dropped: u64,
    /// Left out in the kernel by the cgroup filter.
    pub filtered: u64,
    /// Opens left out in the kernel by the path filter: no loaded rule can match their path.
    pub path_skipped: u64,
    pub dropped_per_cpu: Vec<u64>,
    pub programs: Vec<String>,
}

/// Runs the sensor until `stop` is set (see `loader::run`).
pub fn run(
    opts: &SensorOptions,
    stop: &AtomicBool,
    on_record: &mut dyn FnMut(&[u8]),
    on_tick: &mut dyn FnMut(&Counters),
) -> Result<Counters, SensorError> {
    #[cfg(feature = "ebpf")]
    return loader::run(opts, stop, on_record, on_tick);
    #[cfg(not(feature = "ebpf"))]
    {
        let _ = (opts, stop, on_record, on_tick);
        Err(SensorError::NotBuilt)
    }
}

pub const BUILT_WITH_EBPF: bool = cfg!(feature = "ebpf");
