//! fieldvault's binary: everything happens in the library.

/// Every heap block is wiped before it is freed, so decrypted transcripts,
/// names and rendered exports do not linger in freed memory (and in swap or
/// a crash dump made from it).
#[global_allocator]
static ALLOC: fieldvault_vault::WipingAllocator = fieldvault_vault::WipingAllocator;

fn main() -> std::process::ExitCode {
    fieldvault::cli::main()
}
