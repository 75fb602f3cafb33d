//! The annotation parser's unit tests: what each argument accepts and refuses.

use super::entries::entries_by_segment;
use super::*;
use syn::Token;
use syn::parse::Parser;
use syn::punctuated::Punctuated;

/// Reading a list a segment at a time gives exactly what syn's parser gives for the whole
/// list, and leaves to it every list it cannot read that way.
#[test]
fn lists_read_by_segment_read_as_syn_reads_them() {
    let syn_entries = |t: TokenStream| -> Vec<Meta> {
        Punctuated::<Entry, Token![,]>::parse_terminated
            .parse2(t)
            .unwrap()
            .into_iter()
            .map(|e| match e {
                Entry::Meta(m) => m,
                Entry::Lit(_) => unreachable!(),
            })
            .collect()
    };
    for simple in [
        r#"pattern = "lease", cite = "gray-cheriton-1989""#,
        r#"pattern = "lease", cite = "gray-cheriton-1989","#,
        r#"r#type = "x", novel = "a \"quoted\" word", cite = r"raw", n = 3, b = b"x""#,
        r#"crate = "::distaudit""#,
        r#"pattern = "lease", invariant(monotonic = "self.c"), cite = "x", test"#,
        r#"ensures(holds = "ret > 0"), n = 1 + 2, f = |a| a"#,
        r#"r#ensures(within(key = "k", range = "r"), upholds = "D1"), test()"#,
        r#"a::b(x), c[y], d{z}"#,
    ] {
        let t: TokenStream = simple.parse().unwrap();
        let fast: Vec<Meta> = entries_by_segment(&t)
            .unwrap_or_else(|| panic!("{simple} reads by segment"))
            .into_iter()
            .map(|e| match e {
                Entry::Meta(m) => m,
                Entry::Lit(_) => unreachable!(),
            })
            .collect();
        assert_eq!(fast, syn_entries(t), "{simple}");
    }
    // Whole-list readings: a comma inside a value, an empty segment, a missing comma.
    for other in [
        "f = |a, b| a",
        "t = Vec::<u8, A>::new",
        r#"pattern = "lease",,"#,
        r#"pattern = "lease" cite = "x""#,
    ] {
        let t: TokenStream = other.parse().unwrap();
        assert!(entries_by_segment(&t).is_none(), "{other}");
    }
    assert!(entries_by_segment(&TokenStream::new()).is_some_and(|e| e.is_empty()));
}
use quote::quote;

#[test]
fn the_argument_table_covers_every_argument_once() {
    for (i, spec) in ARGUMENT_TABLE.iter().enumerate() {
        assert_eq!(spec.argument.spec().name, spec.name, "row {i}");
        assert_eq!(Argument::from_name(spec.name), Some(spec.argument));
        assert_eq!(ARGUMENTS[i], spec.name);
    }
    let mut names = ARGUMENTS.to_vec();
    names.dedup();
    assert_eq!(names.len(), ARGUMENT_TABLE.len());
}

#[test]
fn the_arguments_that_need_a_body_are_arguments() {
    for spec in ARGUMENT_TABLE.iter().filter(|s| s.needs_body) {
        assert_eq!(spec.argument, Argument::Allow, "{}", spec.name);
    }
    assert!(needs_body(&quote!(
        pattern = "p",
        allow(wall_clock = "a reason")
    )));
    assert!(!needs_body(&quote!(pattern = "p", invariant(holds = "x"))));
    assert!(!needs_body(&quote!(
        pattern = "p",
        cite = "c",
        verify = "t"
    )));
}

fn codes(args: TokenStream) -> Vec<Code> {
    parse(args).1.iter().map(|f| f.code).collect()
}

#[test]
fn parses_every_argument() {
    let (a, f) = parse(quote!(
        pattern = "lease",
        pattern = "fencing",
        cite = "gray-cheriton-1989",
        implements = "D2.3",
        invariant(monotonic = "self.fence"),
        invariant(within(key = "k", range = "self.range")),
        invariant(holds = "self.ok()", upholds = "D2.5"),
        novel = "because",
        verify = "tests::t",
        allow(wall_clock = "metrics only, never decides"),
        backend = "etcd",
        fields(last_key = "resume"),
        test(
            cases = 8,
            steps = 4,
            init = "X::new()",
            strategy(k = "any::<u8>()")
        ),
        crate = "::facade::distaudit"
    ));
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(a.patterns.len(), 2);
    assert_eq!(a.invariants.len(), 3);
    assert_eq!(
        a.invariants[1].written(),
        "within(key = k, range = self.range)"
    );
    assert_eq!(a.invariants[2].upholds.as_ref().unwrap().value, "D2.5");
    assert_eq!(a.fields[0].role, Role::LastKey);
    let t = a.test.unwrap();
    assert_eq!((t.cases, t.steps), (Some(8), Some(4)));
    assert_eq!(t.strategies.len(), 1);
    assert!(a.krate.is_some());
}

#[test]
fn malformed_input_is_reported_not_dropped() {
    assert_eq!(codes(quote!(pattern = lease)), [Code::Malformed]);
    assert_eq!(codes(quote!(pattern = "")), [Code::Malformed]);
    assert_eq!(codes(quote!(pattern = 3)), [Code::Malformed]);
    assert_eq!(codes(quote!("lease")), [Code::Malformed]);
    assert_eq!(codes(quote!(pattern)), [Code::Malformed]);
    assert_eq!(codes(quote!(patern = "lease")), [Code::UnknownArgument]);
    assert_eq!(codes(quote!(novel = "a", novel = "b")), [Code::Duplicate]);
    assert_eq!(codes(quote!(cite = "a", cite = "a")), [Code::Duplicate]);
    assert_eq!(
        codes(quote!(invariant(monotonik = "x"))),
        [Code::BadInvariant]
    );
    assert_eq!(
        codes(quote!(invariant(monotonic = "x +"))),
        [Code::BadInvariant]
    );
    assert_eq!(
        codes(quote!(invariant(within(key = "k")))),
        [Code::BadInvariant]
    );
    assert_eq!(
        codes(quote!(invariant(monotonic = "a", holds = "b"))),
        [Code::BadInvariant]
    );
    assert_eq!(codes(quote!(test(cases = 0))), [Code::BadTest]);
    assert_eq!(codes(quote!(test(case = 3))), [Code::BadTest]);
    assert_eq!(codes(quote!(fields(lastkey = "x"))), [Code::BadFields]);
    assert_eq!(
        codes(quote!(fields(start = "s", end = "s"))),
        [Code::BadFields]
    );
    assert_eq!(codes(quote!(verify = "not a path"))[0], Code::Malformed);
    assert_eq!(codes(quote!(pattern = "a" cite = "b")), [Code::Malformed]);
    assert_eq!(codes(quote!(crate = "not a path")), [Code::Malformed]);
}

#[test]
fn a_malformed_argument_still_counts_as_written() {
    let (a, _) = parse(quote!(pattern = lease, cite = 1989));
    assert!(a.wrote(Argument::Pattern) && a.wrote(Argument::Cite));
    assert!(a.patterns.is_empty() && a.cites.is_empty());
}

#[test]
fn raw_identifiers_are_names() {
    let (a, f) = parse(quote!(r#pattern = "lease", fields(r#start = "r#type")));
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(a.patterns[0].value, "lease");
    assert_eq!(a.fields[0].role, Role::Start);
}

#[test]
fn all_problems_are_reported_together() {
    let n = codes(quote!(patern = "lease", cite = 1, novel = "")).len();
    assert_eq!(n, 3);
}

#[test]
fn a_strategy_may_read_the_state() {
    let (a, f) = parse(quote!(test(strategy(
        k = "any::<u8>()",
        lease = from_state("testkit::held_leases", otherwise = "testkit::lease()"),
        now = from_state("testkit::when_lapsed")
    ))));
    assert!(f.is_empty(), "{f:?}");
    let t = a.test.unwrap();
    assert_eq!(t.strategies.len(), 1);
    let names: Vec<&str> = t
        .from_state
        .iter()
        .map(|s| s.param.value.as_str())
        .collect();
    assert_eq!(names, ["lease", "now"]);
    assert_eq!(t.from_state[0].function.text.value, "testkit::held_leases");
    assert!(t.from_state[0].otherwise.is_some() && t.from_state[1].otherwise.is_none());
    for bad in [
        quote!(test(strategy(lease = from_stat("f")))),
        quote!(test(strategy(lease = from_state()))),
        quote!(test(strategy(lease = from_state("f", or = "g")))),
        quote!(test(strategy(lease = from_state("f"), lease = "g"))),
    ] {
        assert_eq!(codes(bad), [Code::BadTest]);
    }
}
