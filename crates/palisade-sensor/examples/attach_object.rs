//! Loads a compiled eBPF object, attaches all its programs and keeps them attached until the
//! process is killed (the kernel detaches them with its last descriptor): the loader for
//! `bench/sensor/floor.sh`, which measures what the kernel's hooks cost before the sensor
//! does anything.
//!
//! ```text
//! attach_object OBJECT.bpf.o READY_FILE   # READY_FILE is written once all are attached
//! ```

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(object), Some(ready)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: attach_object OBJECT.bpf.o READY_FILE");
        std::process::exit(2);
    };
    let obj = libbpf_rs::ObjectBuilder::default()
        .open_file(object)?
        .load()?;
    let mut links = Vec::new();
    for prog in obj.progs_mut() {
        links.push(prog.attach()?);
    }
    std::fs::write(ready, format!("{} programs attached\n", links.len()))?;
    loop {
        std::thread::park();
    }
}
