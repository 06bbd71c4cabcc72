fn main() -> std::process::ExitCode {
    slimfile::cli::main()
}
