//! `cargo distaudit` (or `cargo-distaudit distaudit`): see the crate docs and `--help`.

fn main() {
    std::process::exit(cargo_distaudit::cli::main());
}
