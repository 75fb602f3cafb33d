//! Running every item rule on an annotation and an item, for the rules' unit tests.

use crate::analyze::Site;
use crate::diag::{Code, Finding};
use crate::pipeline::{Analysis, item_tokens};
use crate::registry::Registry;
use proc_macro2::TokenStream;

/// Run all rules on an annotation and an item; return the codes found.
pub fn codes(args: TokenStream, item: TokenStream) -> Vec<Code> {
    findings(args, item).iter().map(|f| f.code).collect()
}

pub fn findings(args: TokenStream, item: TokenStream) -> Vec<Finding> {
    let registry = crate::registry::default_registry().expect("default registry");
    findings_in(registry, args, item)
}

pub fn findings_in(registry: &Registry, args: TokenStream, item: TokenStream) -> Vec<Finding> {
    match item_tokens(registry, args, item, &Site::default()) {
        Analysis::Ready { findings, .. } => findings,
        Analysis::Refused(_) => panic!("test item must be supported"),
    }
}
