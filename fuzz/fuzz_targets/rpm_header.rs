//! One RPM header blob, as rpmdb stores it.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palisade_inventory::os::fuzz_rpm_header(data));
