//! The `rapport` binary: everything lives in the library.

// Parsing a vault is many small allocations on all cores; mimalloc is faster than the
// system allocator for that and keeps less memory per allocation.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    rapport::run(std::env::args_os())
}
