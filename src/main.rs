//! fieldvault's binary: everything happens in the library.
fn main() -> std::process::ExitCode {
    fieldvault::cli::main()
}
