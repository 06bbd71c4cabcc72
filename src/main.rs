// Dockerfile analysis allocates many small strings and vectors (words,
// commands, spans) and frees them soon after. mimalloc serves that pattern
// with about a quarter less CPU than glibc's allocator on the real-world
// sample (README, Speed); without transparent huge pages (`no_thp`) its peak
// memory stays near glibc's. Only the binary sets it: the library keeps
// the platform's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    slimfile::cli::main()
}
