//! Expansion snapshots: what the macro generates for the shapes that matter, stored
//! pretty-printed in `distaudit-core/snapshots/`. Regenerate with `UPDATE_SNAPSHOTS=1`.

use super::{Checks, Options, audit, contract_impl, coordination};
use proc_macro2::TokenStream;
use quote::quote;
use std::path::Path;

fn pretty(tokens: &TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(e) => panic!("expansion does not parse as a file: {e}\n{tokens}"),
    }
}

fn snapshot(name: &str, tokens: &TokenStream) {
    let text = pretty(tokens);
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots")
        .join(format!("{name}.rs"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("snapshot dir");
        std::fs::write(&path, &text).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}: run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    assert_eq!(
        text, expected,
        "expansion of {name} changed: review, then UPDATE_SNAPSHOTS=1"
    );
}

#[test]
fn sync_method() {
    let out = coordination(
        quote!(
            pattern = "cursor",
            cite = "bacon-2017",
            implements = "D2.3",
            invariant(monotonic = "self.cursor.last_key"),
            invariant(within(key = "self.cursor.last_key", range = "self.shard")),
            invariant(never_none = "self.cursor.last_key")
        ),
        quote!(
            pub fn checkpoint(&mut self, key: &[u8]) -> Result<(), CheckpointError> {
                self.validate(key)?;
                self.cursor.last_key = Some(key.into());
                Ok(())
            }
        ),
        &Options::default(),
    );
    snapshot("sync_method", &out);
}

#[test]
fn async_method() {
    let out = coordination(
        quote!(
            pattern = "fencing",
            cite = "burrows-2006",
            invariant(strictly_increasing = "self.fence")
        ),
        quote!(
            pub async fn acquire(&mut self, now: LogicalTime) -> Result<FenceEpoch, AcquireError> {
                let epoch = self.next_epoch(now).await?;
                Ok(epoch)
            }
        ),
        &Options::default(),
    );
    snapshot("async_method", &out);
}

#[test]
fn ensures_with_old_and_requires() {
    let out = coordination(
        quote!(
            pattern = "fencing",
            cite = "burrows-2006",
            requires = "now > 0",
            invariant(monotonic = "self.fence"),
            ensures(holds = "ret > old(self.fence)"),
            ensures(holds = "self.fence == ret", upholds = "D2.3")
        ),
        quote!(
            pub fn acquire(&mut self, now: u64) -> Result<u64, AcquireError> {
                self.check(now)?;
                self.fence += 1;
                Ok(self.fence)
            }
        ),
        &Options::default(),
    );
    snapshot("ensures_with_old_and_requires", &out);
}

#[test]
fn type_invariant_and_its_audited_impl() {
    let ty = coordination(
        quote!(
            pattern = "shard",
            cite = "chang-2006",
            invariant(
                holds = "self.start < self.end || self.end.is_empty()",
                upholds = "D2.2"
            )
        ),
        quote!(
            pub struct Span {
                start: Vec<u8>,
                end: Vec<u8>,
            }
        ),
        &Options::default(),
    );
    snapshot("type_invariant", &ty);
    let imp = audit(
        TokenStream::new(),
        quote!(
            impl Span {
                pub fn new(start: Vec<u8>, end: Vec<u8>) -> Result<Self, SpanError> {
                    Ok(Span { start, end })
                }
                pub fn narrow(&mut self, end: Vec<u8>) {
                    self.end = end;
                }
                pub fn len(&self) -> usize {
                    self.end.len()
                }
            }
        ),
        &Options::default(),
    );
    snapshot("type_invariant_audited_impl", &imp);
}

#[test]
fn trait_contract_and_an_impl_that_inherits_it() {
    let trait_side = audit(
        TokenStream::new(),
        quote!(
            pub trait Fences {
                /// Issue the next fence epoch.
                #[coordination(
                    pattern = "fencing",
                    cite = "burrows-2006",
                    invariant(monotonic = "self.current()"),
                    ensures(holds = "ret > old(self.current())")
                )]
                fn issue(&mut self) -> Option<u64>;

                fn current(&self) -> u64;
            }
        ),
        &Options::default(),
    );
    snapshot("trait_contract", &trait_side);
    // What the trait's macro hands to `__contract_impl!` for an audited impl.
    let impl_side = contract_impl(
        quote!(
            id(7u64) contract {
                /// Issue the next fence epoch.
                #[coordination(
                    pattern = "fencing",
                    cite = "burrows-2006",
                    invariant(monotonic = "self.current()"),
                    ensures(holds = "ret > old(self.current())")
                )]
                fn issue(&mut self) -> Option<u64>;
                fn current(&self) -> u64;
            }
            audit()
            impl Fences for Memory {
                fn issue(&mut self) -> Option<u64> {
                    self.0 += 1;
                    Some(self.0)
                }
                fn current(&self) -> u64 {
                    self.0
                }
            }
        ),
        &Options::default(),
    );
    snapshot("trait_contract_impl", &impl_side);
}

#[test]
fn generic_function() {
    let out = coordination(
        quote!(
            pattern = "idempotency",
            cite = "kafka-kip-98",
            invariant(holds = "ret.len() <= ops.len()")
        ),
        quote!(
            pub fn dedupe<'a, T: Clone + Eq, I>(ops: &'a [T], seen: I) -> Vec<T>
            where
                I: IntoIterator<Item = T>,
            {
                let seen: Vec<T> = seen.into_iter().collect();
                ops.iter().filter(|o| !seen.contains(o)).cloned().collect()
            }
        ),
        &Options::default(),
    );
    snapshot("generic_function", &out);
}

#[test]
fn free_function_with_question_mark_and_test() {
    let out = coordination(
        quote!(
            pattern = "shard",
            cite = "chang-2006",
            invariant(within(key = "ret", range = "parent")),
            test(cases = 64)
        ),
        quote!(
            pub fn split_point(parent: &ShardSpec, at: Vec<u8>) -> Result<Vec<u8>, SplitError> {
                let key = validate(at)?;
                Ok(key)
            }
        ),
        &Options::default(),
    );
    snapshot("free_function_with_question_mark_and_test", &out);
}

#[test]
fn audited_impl_hosts_method_tests() {
    let out = audit(
        TokenStream::new(),
        quote!(impl Coordinator {
            #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.fence"),
                           test(init = "Coordinator::new()", steps = 8, strategy(now = "(0u64..100).prop_map(LogicalTime)")))]
            pub fn acquire(&mut self, now: LogicalTime) -> Result<u64, AcquireError> {
                self.fence += 1;
                Ok(self.fence)
            }
        }),
        &Options::default(),
    );
    snapshot("audited_impl_hosts_method_tests", &out);
}

#[test]
fn checks_off_emits_the_function_as_written() {
    let body = quote!(
        pub fn acquire(&mut self) -> Result<u64, ()> {
            self.fence += 1;
            Ok(self.fence)
        }
    );
    let off = Options {
        checks: Some(Checks::Off),
        ..Options::default()
    };
    let out = coordination(
        quote!(
            pattern = "fencing",
            cite = "burrows-2006",
            invariant(strictly_increasing = "self.fence")
        ),
        body.clone(),
        &off,
    );
    let expanded: syn::ItemFn = syn::parse2(out).expect("one function");
    let original: syn::ItemFn = syn::parse2(body).expect("one function");
    assert_eq!(expanded.sig, original.sig, "the signature never changes");
    assert_eq!(
        expanded.block, original.block,
        "with checks off the body is exactly the original"
    );
    assert_eq!(expanded.attrs.len(), 1, "only the decision record is added");
}

#[test]
fn checks_are_decided_at_expansion_without_custom_cfg() {
    let args = quote!(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(strictly_increasing = "self.fence")
    );
    let item = quote!(
        fn acquire(&mut self) {
            self.fence += 1;
        }
    );
    let default = coordination(args.clone(), item.clone(), &Options::default()).to_string();
    assert!(
        default.contains("# [cfg (any (debug_assertions , test))]"),
        "{default}"
    );
    let always = coordination(
        args,
        item,
        &Options {
            checks: Some(Checks::Always),
            ..Options::default()
        },
    )
    .to_string();
    assert!(!always.contains("debug_assertions"), "{always}");
}

#[test]
fn a_verified_delegation_is_named_on_its_target() {
    let out = audit(
        TokenStream::new(),
        quote!(impl Bounded {
            #[coordination(pattern = "cursor", cite = "bacon-2017",
                           invariant(monotonic = "self.last_key"),
                           invariant(never_none = "self.last_key"),
                           delegates(decision = "D2.4", to = "Self::checkpoint"))]
            fn store(&mut self, key: &[u8]) {
                self.last_key = Some(key.to_vec());
            }

            #[coordination(pattern = "cursor", cite = "bacon-2017",
                           invariant(monotonic = "self.last_key"),
                           invariant(never_none = "self.last_key"),
                           ensures(within(key = "key", range = "self.span")))]
            pub fn checkpoint(&mut self, key: &[u8]) -> Result<(), ()> {
                self.store(key);
                Ok(())
            }
        }),
        &Options::default(),
    );
    let text = out.to_string();
    assert!(
        text.contains("D2.4 is left to this item by `store`, which does not check it."),
        "{text}"
    );
    // `store` itself keeps a resolving statement for its target, not a nested const.
    assert!(text.contains("let _ = Self :: checkpoint ;"), "{text}");
    assert!(!text.contains("DA0054"), "{text}");
}

#[test]
fn a_gate_only_function_with_a_quiet_body_passes_its_body_through_unparsed() {
    let item = quote!(
        /// Issue an epoch.
        pub fn advance(&mut self, seen: u64) -> u64 {
            let next = self.epoch.max(seen) + 1;
            self.epoch = next;
            next
        }
    );
    let quiet = |item: &proc_macro2::TokenStream, args: &proc_macro2::TokenStream| {
        crate::item::FnTokens::split(item)
            .is_some_and(|s| !crate::pipeline::needs_body(args, &s.body.stream()))
    };
    let args = quote!(pattern = "retry", cite = "bacon-2017");
    assert!(quiet(&item, &args), "the body is quiet");
    let out = coordination(
        quote!(pattern = "retry", cite = "bacon-2017"),
        item,
        &Options::default(),
    );
    let text = out.to_string();
    assert!(
        text.contains("{ let next = self . epoch . max (seen) + 1 ; self . epoch = next ; next }"),
        "{text}"
    );
    assert!(text.contains("Coordination audit"), "{text}");

    // A body that names a trigger is parsed and scanned as before.
    let loud = quote!(
        fn tick(&mut self) {
            let (tx, rx) = std::sync::mpsc::channel::<u8>();
            drop((tx, rx));
        }
    );
    assert!(!quiet(
        &loud,
        &quote!(pattern = "backpressure", cite = "welsh-2001")
    ));
    let out = coordination(
        quote!(pattern = "backpressure", cite = "welsh-2001"),
        loud,
        &Options::default(),
    );
    assert!(out.to_string().contains("DA0044"), "{out}");
}
