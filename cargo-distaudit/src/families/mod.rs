//! The family detector: which coordination families an un-annotated item embodies, from
//! what its body does (a token from a request held against the stored one, a lease's
//! expiry compared with a time, votes counted to a majority, a loop that waits longer
//! after each failure) with its names (the item, its parameters, its host type) as
//! supporting evidence.
//!
//! The families are the rows of [`FAMILIES`] (`table.rs`); each has a behaviour detector
//! (`detectors.rs`) over what a body does (`behaviour.rs`). A behaviour that decides on
//! its own is a BLOCK (DA0060) whatever the item is called; a behaviour that only touches
//! the family's state needs a name to say which family; a name alone on a function that
//! can change state is a WARN (DA0061). Shapes that decide nothing (getters, setters,
//! one-line delegations, newtypes, message, config and diagnostics types) are not
//! reported (`items.rs`).

mod behaviour;
mod detectors;
mod family;
mod items;
mod table;
mod words;

pub use detectors::{Act, Facts};
pub use family::Family;
pub use items::detect;
pub use table::{FAMILIES, FamilyRow};
pub use words::{Words, words_of};

/// One family the item embodies, and how sure the detector is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    pub family: Family,
    /// A behaviour of the family matches (BLOCK); otherwise only a name (WARN).
    pub behaviour: bool,
    /// What matched, for the message.
    pub evidence: String,
    /// A known hazard of this shape of the family, for the report's why (a lock with a
    /// TTL and no fencing token).
    pub note: Option<&'static str>,
}

/// What the detector looks at in an item.
pub enum Candidate<'a> {
    /// A function or method; `self_ty` is the impl's type (or the trait) for a method,
    /// `module` the enclosing module for a free function (`retry::delay`).
    Fn {
        sig: &'a syn::Signature,
        block: &'a syn::Block,
        self_ty: Option<&'a str>,
        module: Option<&'a str>,
    },
    Struct(&'a syn::ItemStruct),
    Enum(&'a syn::ItemEnum),
    /// A trait: its method signatures are what it does.
    Trait(&'a syn::ItemTrait),
}

#[cfg(test)]
mod tests;
