//! Runs one workload through one implementation, once: the small, fixed
//! program `benches/callgrind.sh` measures.
//!
//! Usage: `workload <implementation> <workload> [chunk size]`, e.g.
//! `workload sse-proto tokens 16`. The chunk size defaults to 64 KiB.

use sse_compare::workloads;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(name), Some(workload)) = (args.first(), args.get(1)) else {
        eprintln!("usage: workload <implementation> <workload> [chunk size]");
        std::process::exit(2);
    };
    let implementation = sse_compare::implementation(name).expect("unknown implementation");
    let workload = workloads::by_name(workload).expect("unknown workload");
    let chunk = args
        .get(2)
        .map_or(workloads::CHUNK_64K, |c| c.parse().expect("chunk size"));
    let tally = (implementation.run)(&workload, chunk);
    if tally != workload.expected() {
        eprintln!(
            "{}: got {tally:?}, expected {:?}",
            implementation.name,
            workload.expected()
        );
        std::process::exit(1);
    }
    println!("{} bytes", workload.bytes.len());
}
