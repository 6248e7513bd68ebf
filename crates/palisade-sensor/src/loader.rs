//! Loads the eBPF programs (CO-RE against the running kernel's BTF), sets the in-kernel
//! filters, attaches to the tracepoints and drains the ring buffer until told to stop.

use crate::skel::{types, SensorSkel, SensorSkelBuilder};
use crate::{pathfilter, Counters, SensorError, SensorOptions};
use libbpf_rs::skel::{OpenSkel, Skel, SkelBuilder};
use libbpf_rs::{MapCore, MapFlags, RingBufferBuilder};
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

fn bpf_err(what: &'static str) -> impl Fn(libbpf_rs::Error) -> SensorError {
    move |e| SensorError::Bpf {
        what,
        detail: e.to_string(),
    }
}

/// Runs until `stop` is set: `on_record` gets each record's bytes, `on_tick` the counters
/// about every `tick` (and once at the end).
pub fn run(
    opts: &SensorOptions,
    stop: &AtomicBool,
    on_record: &mut dyn FnMut(&[u8]),
    on_tick: &mut dyn FnMut(&Counters),
) -> Result<Counters, SensorError> {
    let mut storage = MaybeUninit::uninit();
    let mut open = SensorSkelBuilder::default()
        .open(&mut storage)
        .map_err(bpf_err("opening the programs"))?;
    if let Some(ro) = open.maps.rodata_data.as_mut() {
        ro.self_tgid = std::process::id();
        ro.filter_cgroups = opts.cgroups.is_some();
        ro.wakeup_bytes = opts.wakeup_bytes;
        // A filter missing one of its tests would drop opens a rule matches: one that does
        // not fit the program's tables is not loaded at all.
        let fits = |f: &&pathfilter::PathFilter| {
            f.suffixes.len() <= ro.suffixes.len() && f.contains.len() <= ro.contains_word.len()
        };
        if let Some(f) = opts.path_filter.as_ref().filter(fits) {
            ro.path_filter = true;
            ro.n_suffixes = suffix_table(&mut ro.suffixes, &f.suffixes);
            ro.n_contains = f.contains.len() as u32;
            for (i, c) in f.contains.iter().enumerate() {
                let (word, mask) = pathfilter::contains_word(c);
                ro.contains_word[i] = word;
                ro.contains_mask[i] = mask;
                ro.contains_len[i] = c.len() as u32;
            }
            ro.short_suffixes = f.suffixes.iter().any(|s| s.len() < 4);
            ro.suffix_bits = f.suffix_bitmap();
            if let Some(words) = f.prefix_words() {
                ro.prefix_words_cover = true;
                ro.n_prefix_words = words.len() as u32;
                ro.prefix_words[..words.len()].copy_from_slice(&words);
            }
        }
    }
    open.maps
        .events
        .set_max_entries(opts.ring_bytes)
        .map_err(bpf_err("sizing the ring buffer"))?;
    let mut skel = open.load().map_err(bpf_err("loading the programs"))?;
    for nr in &opts.syscalls {
        skel.maps
            .syscalls
            .update(&nr.to_ne_bytes(), &[1u8], MapFlags::ANY)
            .map_err(bpf_err("setting the syscall filter"))?;
    }
    for p in opts.path_filter.iter().flat_map(|f| &f.prefixes) {
        let mut key = [0u8; 4 + pathfilter::PREFIX_MAX];
        let n = p.len().min(pathfilter::PREFIX_MAX);
        key[..4].copy_from_slice(&((n * 8) as u32).to_ne_bytes());
        key[4..4 + n].copy_from_slice(&p[..n]);
        skel.maps
            .path_prefixes
            .update(&key, &[1u8], MapFlags::ANY)
            .map_err(bpf_err("setting the path filter"))?;
    }
    for id in opts.cgroups.iter().flatten() {
        skel.maps
            .cgroups
            .update(&id.to_ne_bytes(), &[1u8], MapFlags::ANY)
            .map_err(bpf_err("setting the cgroup filter"))?;
    }
    skel.attach()
        .map_err(bpf_err("attaching to the tracepoints"))?;

    let mut builder = RingBufferBuilder::new();
    builder
        .add(&skel.maps.events, |data: &[u8]| {
            on_record(data);
            0
        })
        .map_err(bpf_err("opening the ring buffer"))?;
    let rb = builder
        .build()
        .map_err(bpf_err("opening the ring buffer"))?;
    on_tick(&counters(&skel)?);
    let mut last = Instant::now();
    loop {
        // Wake-ups are batched in the kernel; the timeout drains what is below the batch.
        // A signal (Ctrl-C, the stop request) interrupts the wait; it is not an error.
        match rb.poll(opts.poll) {
            Err(e) if e.kind() == libbpf_rs::ErrorKind::Interrupted => {}
            r => r.map_err(bpf_err("reading the ring buffer"))?,
        }
        rb.consume().map_err(bpf_err("reading the ring buffer"))?;
        let done = stop.load(Ordering::Relaxed);
        if done || last.elapsed() >= opts.tick {
            last = Instant::now();
            let c = counters(&skel)?;
            on_tick(&c);
            if done {
                drop(rb);
                return Ok(c);
            }
        }
    }
}

fn counters(skel: &SensorSkel) -> Result<Counters, SensorError> {
    let slot = |i: u32| -> Result<Vec<u64>, SensorError> {
        let per_cpu = skel
            .maps
            .stats
            .lookup_percpu(&i.to_ne_bytes(), MapFlags::ANY)
            .map_err(bpf_err("reading counters"))?
            .unwrap_or_default();
        Ok(per_cpu
            .iter()
            .map(|v| {
                v.get(..8)
                    .and_then(|b| b.try_into().ok())
                    .map_or(0, u64::from_ne_bytes)
            })
            .collect())
    };
    let sent = slot(0)?;
    let dropped = slot(1)?;
    let filtered = slot(2)?;
    let path_skipped = slot(3)?;
    Ok(Counters {
        sent: sent.iter().sum(),
        dropped: dropped.iter().sum(),
        filtered: filtered.iter().sum(),
        path_skipped: path_skipped.iter().sum(),
        dropped_per_cpu: dropped,
        programs: [
            "sys_exit",
            "sched_process_exec",
            "sched_process_fork",
            "sched_process_exit",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    })
}

/// Copies suffixes into the programs' read-only table (a long one keeps its end, where it
/// stays true); returns how many there are.
fn suffix_table(table: &mut [types::path_pattern], tests: &[Vec<u8>]) -> u32 {
    let mut n = 0;
    for (slot, t) in table.iter_mut().zip(tests) {
        let len = t.len().min(slot.s.len());
        slot.len = len as u32;
        for (d, s) in slot.s.iter_mut().zip(&t[t.len() - len..]) {
            *d = *s as _;
        }
        n += 1;
    }
    n
}
