//! Compiles the eBPF programs with clang and generates their libbpf skeleton (feature `ebpf`).

fn main() {
    #[cfg(feature = "ebpf")]
    ebpf::build();
}

#[cfg(feature = "ebpf")]
mod ebpf {
    use libbpf_cargo::SkeletonBuilder;
    use std::path::PathBuf;

    pub fn build() {
        let src = "src/bpf/sensor.bpf.c";
        let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
            .join("sensor.skel.rs");
        // The programs are written for x86_64's syscall numbers and register names.
        let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
        if arch != "x86_64" {
            panic!("palisade-sensor's eBPF programs support x86_64 only; build without the `ebpf` feature");
        }
        if let Err(e) = SkeletonBuilder::new()
            .source(src)
            .clang_args(["-I", "src/bpf", "-D__TARGET_ARCH_x86", "-O2", "-g", "-Wall"])
            .build_and_generate(&out)
        {
            panic!(
                "compiling {src} failed (the `ebpf` feature needs clang, libelf-dev, zlib1g-dev and pkg-config): {e:#}"
            );
        }
        for f in [
            "src/bpf/sensor.bpf.c",
            "src/bpf/events.h",
            "src/bpf/vmlinux.h",
        ] {
            println!("cargo:rerun-if-changed={f}");
        }
    }
}
