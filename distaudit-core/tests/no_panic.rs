//! The macro never panics: any token soup in the attribute, on any item, comes back as
//! tokens (errors included). Generated from a vocabulary of the grammar's own words, so the
//! inputs are near misses rather than noise.

use distaudit_core::annotation::{ARGUMENTS, FIELD_ROLES, INVARIANT_KINDS};
use distaudit_core::expand::{Options, coordination};
use proptest::prelude::*;

/// The grammar's own words come from the engine's lists; the rest are values and punctuation.
fn words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = ARGUMENTS.to_vec();
    words.extend(INVARIANT_KINDS);
    words.extend(FIELD_ROLES);
    words.extend(EXTRA);
    words
}

const EXTRA: &[&str] = &[
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
    "\"etcd\"",
    "\"gossip\"",
    "'a",
    "[",
    "]",
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
    "fn f( {",
    "",
];

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
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn never_panics(words in proptest::collection::vec(0usize..1000, 0..24), item in 0usize..ITEMS.len()) {
        let args: proc_macro2::TokenStream = soup(words).parse().expect("balanced soup");
        let item: proc_macro2::TokenStream = ITEMS[item].parse().unwrap_or_default();
        // A panic here fails the case; the output must be tokens rustc can be handed.
        let out = coordination(args, item, &Options::default());
        prop_assert!(out.to_string().parse::<proc_macro2::TokenStream>().is_ok());
    }
}
