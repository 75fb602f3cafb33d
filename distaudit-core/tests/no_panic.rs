//! The macro never panics: any token soup in the attribute, on any item, comes back as
//! tokens (errors included). Generated from a vocabulary of the grammar's own words, so the
//! inputs are near misses rather than noise.

use distaudit_core::annotation::ARGUMENTS;
use distaudit_core::catalogue::{AntiPattern, Kind, Role};
use distaudit_core::expand::{Options, audit, contract_impl, coordination};
use proptest::prelude::*;

/// The grammar's own words come from the engine's lists; the rest are values and punctuation.
fn words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = ARGUMENTS.to_vec();
    words.extend(Kind::names());
    words.extend(Role::names());
    words.extend(AntiPattern::slugs());
    words.extend(EXTRA);
    words
}

/// Names as Rust allows them: plain, raw keywords, unicode, very long.
fn identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("plain".to_string()),
        prop::sample::select(vec![
            "r#match", "r#type", "r#fn", "r#async", "r#struct", "r#loop", "r#yield", "r#try",
            "r#gen", "r#dyn", "r#ret", "r#Epochs"
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec!["ключ", "名前", "café", "Δepoch", "ŝard_ĉursor"])
            .prop_map(str::to_string),
        (1usize..400).prop_map(|n| format!("n{}", "a".repeat(n))),
    ]
}

/// Items whose every name is `{}`: function, parameter, field, type and method names.
const NAMED_ITEMS: &[&str] = &[
    "fn {}({}: u64) -> Result<u64, ()> { Ok({}) }",
    "fn {}(&mut self, {}: &[u8]) -> Option<u64> { self.{} += 1; Some(1) }",
    "struct {} { {}: Box<[u8]>, end: Box<[u8]>, last_key: Option<Vec<u8>>, token: u8 }",
    "impl {} { fn {}(&mut self, {}: u8) -> Result<u64, ()> { Ok(1) } }",
];

const ANNOTATIONS: &[&str] = &[
    "pattern = \"lease\", cite = \"gray-cheriton-1989\", invariant(holds = \"{} > 0\"), test",
    "pattern = \"fencing\", cite = \"burrows-2006\", invariant(monotonic = \"self.{}\"), ensures(holds = \"ret > old(self.{})\"), requires = \"{} > 0\"",
    "pattern = \"cursor\", cite = \"bacon-2017\", invariant(never_none = \"self.{}\"), invariant(within(key = \"ret\", range = \"self.{}\")), delegates(decision = \"D2.3\", to = \"Self::{}\")",
    "pattern = \"cursor\", cite = \"bacon-2017\", ensures(monotonic = \"old(old({}))\", upholds = \"D2.3\"), test(cases = 1, steps = 2, vacuous_ok, init = \"{}\")",
    "pattern = \"backpressure\", cite = \"welsh-2001\", allow(unbounded_queue = \"{} is bounded upstream\"), verify = \"{}\", implements = \"D2.3\"",
    "pattern = \"consensus\", novel = \"{}\", backend = \"{}\", fields(range = \"{}\"), crate = \"{}\"",
    "pattern = \"fencing\", cite = \"burrows-2006\", invariant(strictly_increasing = \"self.{}\"), test(init = \"{}::new()\", strategy({} = \"any::<u8>()\"))",
    "pattern = \"shard\", cite = \"bacon-2017\", fields(start = \"{}\")",
    "pattern = \"cursor\", cite = \"bacon-2017\", fields(last_key = \"{}\", token = \"{}\")",
    // Comparisons of every operator, with sides typed by themselves and by the other side.
    "pattern = \"lease\", cite = \"gray-cheriton-1989\", requires = \"{} != None\", ensures(holds = \"ret <= Vec::new()\"), ensures(holds = \"{}.into() == ret\"), invariant(holds = \"self.{} >= old(self.{})\"), ensures(holds = \"(1 < ret) == (ret > 0)\")",
    // Delegation paths from the module and from elsewhere; lists in other delimiters.
    "pattern = \"cursor\", cite = \"bacon-2017\", delegates(decision = \"D2.4\", to = \"self::{}::f\"), delegates(decision = \"D2.3\", to = \"crate::{}::{}\"), invariant[monotonic = \"self.{}\"], ensures{holds = \"ret < 1\"}",
    // The attacking steps' grammar: roles over a parameter, a step turned off with its reason,
    // strategies drawn from the state under test.
    "pattern = \"lease\", cite = \"gray-cheriton-1989\", test(roles(fence = \"{}.fence\", shard = \"{}.shard\", expires = \"{}\", op = \"{}\", now = \"{}\"), without = \"replay\", because = \"the queue in front deduplicates {}\")",
    "pattern = \"fencing\", cite = \"burrows-2006\", test(strategy({} = from_state(\"{}::held\", otherwise = \"{}::lease()\")), without = \"{}\", because = \"{}\"), allow(wall_clock = \"{}\", relax = \"{}\")",
    // This stop's grammar: cursor, split and issued roles, an op id scoped by a tuple, a view
    // strategy (well formed and not), `with` on a method's test, the new steps turned off.
    "pattern = \"cursor\", pattern = \"shard\", cite = \"bacon-2017\", test(roles(cursor = \"{}.last_key\", split_at = \"{}\", issued = \"ret.{}\", op = \"({}, {})\"), without = \"cursor\", because = \"the log replays {}\", without = \"split\", because = \"{}\")",
    "pattern = \"cursor\", cite = \"bacon-2017\", test(strategy({} = view(\"{}::owned()\", owner = \"{}\", with = \"{}::view\")), with = \"{}\")",
    "pattern = \"shard\", cite = \"chang-2006\", test(strategy({} = view(\"{}\", owner = \"{}\"), {} = view(), {} = view(1, with = 2)))",
    // A type invariant reading the call's time, and a cursor's shard range (this stop).
    "pattern = \"lease\", cite = \"gray-cheriton-1989\", invariant(holds = \"old(self.{}).is_none_or(|d| now >= d)\", now = \"{}\"), invariant(holds = \"{}\", now = \"1 +\", now = \"{}\"), test(roles(cursor = \"{}\", range = \"self.range_of({})\"))",
    // A view whose owners are drawn from the state, well formed and not.
    "pattern = \"shard\", cite = \"chang-2006\", test(strategy({} = view(from_state(\"{}\", otherwise = \"{}\"), owner = \"{}\", with = \"{}\"), {} = view(from_state(), owner = \"{}\"), {} = view(from_state(1, 2))))",
];

const EXTRA: &[&str] = &[
    "upholds",
    "vacuous_ok",
    "decision",
    "to",
    "old",
    "\"old(self.x)\"",
    "\"ret > old(self.x)\"",
    "\"Self::f\"",
    "key",
    "range",
    "cases",
    "steps",
    "init",
    "strategy",
    "wall_clock",
    "=",
    ",",
    "\"lease\"",
    "\"cursor\"",
    "\"gray-cheriton-1989\"",
    "\"bacon-2017\"",
    "\"self.x\"",
    "\"ret\"",
    "\"\"",
    "\"a b\"",
    "\"old(ret)\"",
    "\"old(old(self.x))\"",
    "\"self.x.push(1)\"",
    "\"{ self.x = 1; true }\"",
    "\"|| ret\"",
    "\"ret.unwrap() > old(self.x)\"",
    "\"self.f()?\"",
    "\"x +\"",
    "0",
    "64",
    "-1",
    "1.5",
    "true",
    "(",
    ")",
    "::",
    "#",
    "!",
    "\"D2.3\"",
    "\"x != None\"",
    "\"ret == Vec::new()\"",
    "\"a < b\"",
    "\"self::T::f\"",
    "\"etcd\"",
    "\"gossip\"",
    "'a",
    "[",
    "]",
    "roles",
    "fence",
    "shard",
    "expires",
    "without",
    "because",
    "\"replay\"",
    "from_state",
    "otherwise",
    "\"t::held\"",
    "relax",
    "view",
    "owner",
    "with",
    "split_at",
    "issued",
    "\"cursor\"",
    "\"split\"",
    "\"Park\"",
    "\"(run, op)\"",
    "\"ret.lease\"",
];

const ITEMS: &[&str] = &[
    "fn f() {}",
    "fn f(&mut self, key: &[u8]) -> Result<u64, ()> { Ok(1) }",
    "async fn f(x: u64) -> Option<u64> { Some(x) }",
    "struct S { start: Box<[u8]>, end: Box<[u8]>, last_key: Vec<u8>, token: u8 }",
    "struct T(u8, Vec<u8>);",
    "enum E { A }",
    "impl X { fn a(&self) {} }",
    "trait T { fn a(&self) {} fn b(&self); }",
    "mod m { fn a() {} }",
    "mod m;",
    "const X: u8 = 1;",
    "fn f(,) {}",
    "",
    // Attributes and docs ahead of the item, which the lean analysis leaves out.
    "#[inline] #[must_use] #[doc = \"Issue.\"] #[cfg(all())] pub fn f(&self) -> u64 { 1 }",
    // Receivers by value, boxed, and none (constructors, plain and fallible).
    "fn f(self) -> Self { self }",
    "fn f(mut self: Box<Self>, x: u8) -> u8 { x }",
    "fn new() -> Self { Self { start: Box::new([]), end: Box::new([]) } }",
    "fn new(x: u8) -> Result<Self, ()> { Err(()) }",
    // Bodies that leave early, in sync and async functions.
    "fn f(&mut self, x: Option<u8>) -> Option<u8> { let y = x?; if y > 3 { return None; } Some(y) }",
    "async fn f(&self) -> Result<u8, ()> { Err(())?; Ok(1) }",
    "fn f(&mut self) { loop { return; } }",
    // Qualifiers, generics and where clauses; impl Trait returns; patterns as parameters.
    "pub(crate) const unsafe fn f<T: Clone>(t: T) -> T where T: Copy { t }",
    "fn f(&self) -> impl Iterator<Item = u8> { None.into_iter() }",
    "fn f((a, b): (u8, u8), _: u8, S { x, .. }: S) -> u8 { a + b }",
    "extern \"C\" fn f(x: u8) -> u8 { x }",
    // A trait method without a body; a body whose macro may hide an exit.
    "fn f(&self) -> u64;",
    "fn f(&mut self) -> Result<u8, ()> { m!(self); Ok(1) }",
    // Shapes the new steps read: a split key, a renewal that issues no lease, a view.
    "fn split(&mut self, shard: u8, at: Vec<u8>) -> Option<u8> { None }",
    "fn renew(&mut self, now: u64, lease: Lease) -> Result<(), ()> { Ok(()) }",
    "fn checkpoint(&mut self, cursor: &CursorUpdate<'_>, op: (u8, OpId)) -> Result<(), ()> { Ok(()) }",
];

/// Whether `tokens` hold the identifier `name` (as printed: `r#match`, `ключ`), at any depth.
fn mentions(tokens: &proc_macro2::TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => ident == name,
        proc_macro2::TokenTree::Group(group) => mentions(&group.stream(), name),
        _ => false,
    })
}

/// The name of the one item `item` holds, when it parses as a file of exactly that item: function, struct, enum, trait, module, const, or
/// the type of an impl.
fn item_name(item: &proc_macro2::TokenStream) -> Option<String> {
    let file = syn::parse2::<syn::File>(item.clone()).ok()?;
    let [item] = &file.items[..] else {
        return None;
    };
    match item.clone() {
        syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Trait(t) => Some(t.ident.to_string()),
        syn::Item::Mod(m) => Some(m.ident.to_string()),
        syn::Item::Const(c) => Some(c.ident.to_string()),
        syn::Item::Impl(i) => match *i.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `tokens` invoke `compile_error!` at their top level: a refusal. One nested in
/// a group (the fallback arm of a trait's contract macro) is not.
fn refuses(tokens: &proc_macro2::TokenStream) -> bool {
    let trees: Vec<proc_macro2::TokenTree> = tokens.clone().into_iter().collect();
    trees.windows(2).any(|pair| {
        matches!(&pair[0], proc_macro2::TokenTree::Ident(i) if i == "compile_error")
            && matches!(&pair[1], proc_macro2::TokenTree::Punct(p) if p.as_char() == '!')
    })
}

/// What the macro hands rustc for an input: a refusal carries `compile_error!` at its top
/// level and still the item; otherwise the output parses as items and keeps the annotated
/// item (its name is in it). An expansion that dropped the item, or came back empty, fails
/// here.
fn expansion_is_sound(
    out: &proc_macro2::TokenStream,
    item: &proc_macro2::TokenStream,
) -> Result<(), TestCaseError> {
    prop_assert!(
        out.to_string().parse::<proc_macro2::TokenStream>().is_ok(),
        "does not re-parse: {out}"
    );
    if refuses(out) {
        if let Some(name) = item_name(item) {
            prop_assert!(mentions(out, &name), "refused, and `{name}` is gone: {out}");
        }
        return Ok(());
    }
    prop_assert!(
        syn::parse2::<syn::File>(out.clone()).is_ok(),
        "accepted, but not items: {out}"
    );
    if let Some(name) = item_name(item) {
        prop_assert!(
            mentions(out, &name),
            "accepted, but `{name}` is gone: {out}"
        );
    } else {
        // An item that does not parse cannot be accepted.
        prop_assert!(false, "an unparsable item was accepted: {item} -> {out}");
    }
    Ok(())
}

/// Join words, keeping brackets balanced so the input is a valid token stream.
fn soup(choices: Vec<usize>) -> String {
    let vocabulary = words();
    let mut out = String::new();
    let mut open: Vec<char> = Vec::new();
    for w in choices {
        let word = vocabulary[w % vocabulary.len()];
        match word {
            "(" => open.push(')'),
            "[" => open.push(']'),
            ")" | "]" => {
                if open.last() == word.chars().next().as_ref() {
                    open.pop();
                } else {
                    continue;
                }
            }
            _ => {}
        }
        out.push_str(word);
        out.push(' ');
    }
    while let Some(c) = open.pop() {
        out.push(c);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn never_panics(words in proptest::collection::vec(0usize..1000, 0..24), item in 0usize..ITEMS.len()) {
        let args: proc_macro2::TokenStream = soup(words).parse().expect("balanced soup");
        let item: proc_macro2::TokenStream = ITEMS[item].parse().unwrap_or_default();
        // A panic here fails the case; the output must be tokens rustc can be handed.
        let out = coordination(args, item.clone(), &Options::default());
        expansion_is_sound(&out, &item)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2500, failure_persistence: None, ..ProptestConfig::default() })]

    /// Raw, keyword, unicode and very long identifiers everywhere an annotation can meet
    /// them: in the item, in the annotation's expressions, and under `#[distaudit::audit]`.
    #[test]
    fn identifiers_of_any_form_never_panic(
        name in identifier(),
        item in 0usize..NAMED_ITEMS.len(),
        annotation in 0usize..ANNOTATIONS.len(),
    ) {
        let fill = |template: &str| template.replace("{}", &name);
        let item_text = fill(NAMED_ITEMS[item]);
        let args_text = fill(ANNOTATIONS[annotation]);
        let args: proc_macro2::TokenStream = args_text.parse().expect("valid tokens");
        let tokens: proc_macro2::TokenStream = item_text.parse().expect("valid tokens");
        let out = coordination(args.clone(), tokens.clone(), &Options::default());
        expansion_is_sound(&out, &tokens)?;
        let hosted: proc_macro2::TokenStream = format!(
            "impl {name} {{ #[coordination({args_text})] fn {name}(&mut self, {name}: u8) -> Result<u64, ()> {{ Ok(1) }} }}"
        )
        .parse()
        .expect("valid tokens");
        let out = audit(proc_macro2::TokenStream::new(), hosted.clone(), &Options::default());
        expansion_is_sound(&out, &hosted)?;
    }
}

/// What `#[distaudit::audit]` is written on: impls (inherent, of a trait, generic), traits
/// and inline modules, each with annotated methods.
const AUDITED: &[&str] = &[
    "impl {} { #[coordination({ann})] fn {}(&mut self, {}: u8) -> Result<u64, ()> { Ok(1) } }",
    "impl<T: Clone> W<T> { #[coordination({ann})] pub fn {}(&mut self, {}: u8) -> Option<u64> { None } }",
    "impl Tr for {} { fn {}(&mut self, {}: u8) -> Result<u64, ()> { Ok(1) } }",
    "pub trait {} { #[coordination({ann})] fn {}(&mut self, {}: u8) -> Result<u64, ()>; fn other(&self) -> u64; }",
    // The body is `{ }`: `{}` is the name placeholder.
    "mod {} { impl X { #[coordination({ann})] fn {}(&mut self, {}: u8) { } } }",
    // The attribute under another name, in a module that says so.
    "mod {} { use distaudit::coordination as c; impl X { #[c({ann})] fn {}(&mut self, {}: u8) { } } }",
    // Methods `#[async_trait]` rewrote before the audit saw them: a mutator, a constructor.
    "impl {} { #[coordination({ann})] fn {}<'async_trait>(&'async_trait mut self, {}: u8) -> u64 { 1 } fn new<'async_trait>() -> Self { unimplemented!() } }",
    // The same annotation twice, once under the module's alias.
    "mod {} { use distaudit::{coordination as c}; impl X { #[coordination({ann})] #[c({ann})] fn {}(&mut self, {}: u8) { } } }",
    // A bare `#[coordination]` and `#[coordination = ..]` on methods of an audited impl; the
    // audit on items it does not go on.
    "impl {} { #[coordination] fn {}(&mut self, {}: u8) { } #[coordination = \"lease\"] fn other(&self) { } }",
    "struct {} { {}: u8 }",
    "fn {}({}: u8) { }",
    "mod {};",
    // Constructors, a by-value receiver and an early exit inside an audited impl.
    "impl {} { #[coordination({ann})] fn new({}: u8) -> Result<Self, ()> { Err(()) } #[coordination({ann})] fn {}(self) -> Self { return self; } }",
];

/// The arguments of `#[distaudit::audit(..)]`.
const AUDIT_ARGS: &[&str] = &[
    "",
    "test(init = \"{}::new()\", steps = 4, cases = 2)",
    "test(init = \"W::<u8>::new()\", vacuous_ok)",
    "test",
    "{}",
    // Impl-wide checks, added to every method; roles and turned-off steps on the audit's test.
    "invariant(holds = \"self.{} >= old(self.{})\"), ensures(holds = \"ret > 0\"), requires = \"{} > 0\"",
    "invariant(monotonic = \"self.{}\"), test(init = \"{}::new()\", roles(fence = \"{}.fence\", expires = \"{}.deadline\"), without = \"lease\", because = \"{}\")",
    "test(strategy({} = from_state(\"{}::held\")), without = \"replay\"), test",
    // A joined machine, a piece, and `with` where it does not belong.
    "test(init = \"{}::new()\", with = \"{}\", with = \"a::{}\", with = \"\")",
    "test(roles(op = \"({}, {})\", issued = \"ret.{}\"), without = \"split\", because = \"{}\")",
    "test(with = \"{}\"), invariant(holds = \"old(self.{}) <= self.{}\")",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every shape `#[distaudit::audit]` takes, with every annotation template inside and
    /// every form of its own arguments.
    #[test]
    fn audited_shapes_never_panic(
        name in identifier(),
        shape in 0usize..AUDITED.len(),
        annotation in 0usize..ANNOTATIONS.len(),
        args in 0usize..AUDIT_ARGS.len(),
    ) {
        let annotation = ANNOTATIONS[annotation].replace("{}", &name);
        let item = AUDITED[shape].replace("{}", &name).replace("{ann}", &annotation);
        let args: proc_macro2::TokenStream = AUDIT_ARGS[args].replace("{}", &name).parse().expect("valid tokens");
        let tokens: proc_macro2::TokenStream = item.parse().expect("valid tokens");
        let out = audit(args, tokens.clone(), &Options::default());
        expansion_is_sound(&out, &tokens)?;
    }
}

/// The check above tells the two outcomes apart: a well-formed annotation expands to items
/// that keep the function, a refused one carries `compile_error!`, and an empty expansion
/// passes as neither.
#[test]
fn the_soundness_check_tells_accepted_from_refused() {
    let item: proc_macro2::TokenStream = "pub fn tag(key: &[u8]) -> Vec<u8> { key.to_vec() }"
        .parse()
        .expect("valid tokens");
    let accepted: proc_macro2::TokenStream = "pattern = \"idempotency\", cite = \"kafka-kip-98\""
        .parse()
        .expect("valid tokens");
    let out = coordination(accepted, item.clone(), &Options::default());
    assert!(!mentions(&out, "compile_error"), "accepted: {out}");
    assert!(expansion_is_sound(&out, &item).is_ok());
    let refused: proc_macro2::TokenStream = "pattern = \"lease\", cite = \"gray-cheriton-1998\""
        .parse()
        .expect("valid tokens");
    let out = coordination(refused, item.clone(), &Options::default());
    assert!(mentions(&out, "compile_error"), "refused: {out}");
    assert!(expansion_is_sound(&out, &item).is_ok());
    assert!(expansion_is_sound(&proc_macro2::TokenStream::new(), &item).is_err());
    // A `compile_error!` nested in a group is no refusal: an expansion holding only such a
    // macro has lost the item.
    let nested: proc_macro2::TokenStream =
        "macro_rules! m { () => { ::core::compile_error!(\"x\"); } }"
            .parse()
            .expect("valid tokens");
    assert!(expansion_is_sound(&nested, &item).is_err());
    // An audited trait's expansion carries such a fallback and is judged as items.
    let tr: proc_macro2::TokenStream = "pub trait Fences { #[coordination(pattern = \"fencing\", \
         cite = \"burrows-2006\", invariant(monotonic = \"self.current()\"))] \
         fn issue(&mut self) -> u64; fn current(&self) -> u64; }"
        .parse()
        .expect("valid tokens");
    let out = audit(
        proc_macro2::TokenStream::new(),
        tr.clone(),
        &Options::default(),
    );
    assert!(mentions(&out, "compile_error") && !refuses(&out), "{out}");
    assert!(expansion_is_sound(&out, &tr).is_ok());
}

/// Every item shape under every annotation template (names `x`), and under a gate: each
/// comes back as a refusal that keeps the item, or as items that keep it.
#[test]
fn every_shape_under_every_annotation_is_sound() {
    let gate = "pattern = \"retry\", cite = \"bacon-2017\"";
    let annotations = ANNOTATIONS
        .iter()
        .map(|a| a.replace("{}", "x"))
        .chain([gate.to_string()]);
    let mut runs = 0;
    for args in annotations {
        for item in ITEMS {
            let Ok(tokens) = item.parse::<proc_macro2::TokenStream>() else {
                continue;
            };
            let out = coordination(
                args.parse().expect("valid tokens"),
                tokens.clone(),
                &Options::default(),
            );
            if let Err(e) = expansion_is_sound(&out, &tokens) {
                panic!("#[coordination({args})] {item}: {e}");
            }
            runs += 1;
        }
    }
    assert!(runs >= ITEMS.len() * ANNOTATIONS.len(), "{runs}");
}

/// What the trait's macro hands `__contract_impl!`, and near misses of it: any of these can
/// also be written by hand, since the macro is reachable.
const CONTRACT_INPUTS: &[&str] = &[
    "id(7) contract { #[coordination({ann})] fn {}(&mut self, {}: u8) -> Result<u64, ()>; fn other(&self) -> u64; } impl Tr for {} { fn {}(&mut self, {}: u8) -> Result<u64, ()> { Ok(1) } fn other(&self) -> u64 { 1 } }",
    "id(7) contract { #[coordination({ann})] fn {}(&mut self, renamed: u8) -> Result<u64, ()>; } impl Tr for {} { fn {}(&mut self, {}: u8) -> Result<u64, ()> { Ok(1) } }",
    "id(7) contract { #[coordination({ann})] fn {}(&mut self, {}: u8) -> Result<u64, ()>; } impl Tr for {} { }",
    "id(7) contract { #[coordination({ann})] fn {}(&mut self, {}: u8) -> Result<u64, ()>; } impl<T: Clone> Tr for W<T> { fn {}(&mut self, {}: u8) -> Result<u64, ()> { Ok(1) } }",
    "id(7) contract { #[coordination({ann})] fn {}(&mut self, {}: u8) -> Result<u64, ()>; }",
    "id({}) contract { } impl Tr for {} { }",
    "id(7) contract { #[coordination] fn {}(&mut self); } impl Tr for {} { fn {}(&mut self) { } }",
    "id(7) contract ( ) impl {} { }",
    "contract { } impl Tr for {} { }",
    "id(18446744073709551616) contract { } impl Tr for {} { }",
    "{}",
    "",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    /// `__contract_impl!` never panics on what the trait's macro passes it, on near misses,
    /// or on token soup; its output re-parses.
    #[test]
    fn contract_impl_inputs_never_panic(
        name in identifier(),
        shape in 0usize..CONTRACT_INPUTS.len(),
        annotation in 0usize..ANNOTATIONS.len(),
        words in proptest::collection::vec(0usize..1000, 0..16),
    ) {
        let annotation = ANNOTATIONS[annotation].replace("{}", &name);
        let text = CONTRACT_INPUTS[shape].replace("{ann}", &annotation).replace("{}", &name);
        for input in [text, soup(words)] {
            let tokens: proc_macro2::TokenStream = input.parse().expect("valid tokens");
            let out = contract_impl(tokens, &Options::default());
            prop_assert!(
                out.to_string().parse::<proc_macro2::TokenStream>().is_ok(),
                "does not re-parse: {out}"
            );
            prop_assert!(
                refuses(&out) || syn::parse2::<syn::File>(out.clone()).is_ok(),
                "neither a refusal nor items: {input} -> {out}"
            );
        }
    }
}
