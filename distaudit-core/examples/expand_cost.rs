//! The macro's own work on the compile benchmark's items, timed in process: no rustc, no
//! proc-macro bridge, proc_macro2's fallback types. A profile of where expansion time goes
//! (`perf record --call-graph dwarf target/debug/examples/expand_cost`), not a benchmark of
//! what users pay: `bench/compile/compile_bench.py` measures that.
//!
//! `cargo run -p distaudit-core --example expand_cost [-- '<attribute arguments>']`; with
//! `SHOW=1` in the environment it prints the first item's expansion instead.
use distaudit_core::expand::{Options, coordination};
use std::str::FromStr;
use std::time::Instant;

fn main() {
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let args = std::env::args()
        .nth(1)
        .unwrap_or_else(|| r#"pattern = "retry", cite = "bacon-2017""#.into());
    let items: Vec<String> = (0..n)
        .map(|i| format!("/// Issue an epoch ({i}).\npub fn advance_{i}(&mut self, seen: u64) -> u64 {{ let next = self.epoch.max(seen) + 1; self.epoch = next; next }}"))
        .collect();
    let opts = Options::default();
    let first = coordination(
        proc_macro2::TokenStream::from_str(&args).unwrap(),
        proc_macro2::TokenStream::from_str(&items[0]).unwrap(),
        &opts,
    );
    if std::env::var_os("SHOW").is_some() {
        println!("{first}");
        return;
    }
    // Tokens are read before the clock starts: under rustc the macro receives them read.
    let inputs: Vec<_> = items
        .iter()
        .map(|item| {
            (
                proc_macro2::TokenStream::from_str(&args).unwrap(),
                proc_macro2::TokenStream::from_str(item).unwrap(),
            )
        })
        .collect();
    let t = Instant::now();
    let outputs: Vec<_> = inputs
        .into_iter()
        .map(|(a, i)| coordination(a, i, &opts))
        .collect();
    let el = t.elapsed();
    let total: usize = outputs.iter().map(|o| o.to_string().len()).sum();
    println!(
        "{:.3} ms/item, {} bytes/item",
        el.as_secs_f64() * 1000.0 / n as f64,
        total / n
    );
    let t = Instant::now();
    for item in &items {
        let i = proc_macro2::TokenStream::from_str(item).unwrap();
        let _ = syn::parse2::<syn::ItemFn>(i).unwrap();
    }
    println!(
        "syn parse alone: {:.3} ms/item",
        t.elapsed().as_secs_f64() * 1000.0 / n as f64
    );
}
