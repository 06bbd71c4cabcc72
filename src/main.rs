// Dockerfile analysis allocates many small strings and vectors (words,
// commands, spans) and frees them soon after. mimalloc serves that pattern
// with about a quarter less CPU than glibc's allocator on the real-world
// sample (README, Speed); without transparent huge pages (`no_thp`) its peak
// memory stays near glibc's. Only the binary sets it: the library keeps
// the platform's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// The command line lives in the binary, as ripgrep's does: the library has no
// clap, no exit codes and no printing to the terminal.
mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
