//! Facts of an impl that the level above the item is resolved from: how its methods meet
//! the type's invariants, whether and at which type a test can build its receivers, what
//! `#[async_trait]` did to a method, and the names its parameters bind.

use quote::quote;

/// The names a method's typed parameters bind, in order (`None` for a pattern that binds no
/// one name), as a trait's contract and its impls are compared.
#[must_use]
pub fn parameter_names(sig: &syn::Signature) -> Vec<Option<String>> {
    sig.inputs
        .iter()
        .filter_map(|a| match a {
            syn::FnArg::Typed(pt) => {
                Some(crate::exprs::pat_ident(&pt.pat).map(crate::item::ident_text))
            }
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

/// The index of the first parameter an impl's method names differently from the trait
/// method whose contract it receives; `None` when every name matches.
#[must_use]
pub fn renamed_parameter(
    trait_names: &[Option<String>],
    impl_names: &[Option<String>],
) -> Option<usize> {
    trait_names
        .iter()
        .zip(impl_names)
        .position(|(want, got)| want != got)
}

/// Whether an impl's self type can be named in a test module: no type or const parameters.
#[must_use]
pub fn nameable(imp: &syn::ItemImpl) -> bool {
    imp.generics
        .params
        .iter()
        .all(|p| matches!(p, syn::GenericParam::Lifetime(_)))
}

/// For a generic impl, the concrete type a test's `init` builds, read from how it names the
/// type (`WorkQueue::<u8>::with_capacity(3)`, `WorkQueue::<u8> { .. }`), and the impl's
/// type parameters bound to that type's arguments.
#[must_use]
pub fn concrete_self(
    init: &syn::Expr,
    imp: &syn::ItemImpl,
) -> Option<(syn::Type, Vec<(syn::Ident, syn::Type)>)> {
    fn leading_path(e: &syn::Expr) -> Option<syn::Path> {
        match e {
            syn::Expr::Call(c) => match &*c.func {
                syn::Expr::Path(p) if p.path.segments.len() >= 2 => {
                    let mut path = p.path.clone();
                    path.segments.pop();
                    path.segments.pop_punct();
                    Some(path)
                }
                _ => None,
            },
            syn::Expr::MethodCall(m) => leading_path(&m.receiver),
            syn::Expr::Struct(s) => Some(s.path.clone()),
            syn::Expr::Paren(p) => leading_path(&p.expr),
            _ => None,
        }
    }
    let mut path = leading_path(init)?;
    let last = path.segments.last_mut()?;
    let syn::PathArguments::AngleBracketed(args) = &mut last.arguments else {
        return None;
    };
    args.colon2_token = None;
    let given: Vec<syn::Type> = args
        .args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let syn::Type::Path(self_path) = &*imp.self_ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(self_args) = &self_path.path.segments.last()?.arguments
    else {
        return None;
    };
    let params: Vec<syn::Ident> = self_args
        .args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(syn::Type::Path(p)) => p.path.get_ident().cloned(),
            _ => None,
        })
        .collect();
    if params.len() != given.len() {
        return None;
    }
    let ty = syn::parse2::<syn::Type>(quote!(#path)).ok()?;
    Some((ty, params.into_iter().zip(given).collect()))
}

/// Whether a generated test can build the receivers of `imp`'s methods: the impl names
/// no type parameters, or `init` (the audit's, else the first method's) names the type
/// with its arguments. When it cannot, each method's `test` gets [`crate::rules::audit::test_on_generic_impl`].
#[must_use]
pub fn can_test(imp: &syn::ItemImpl, init: Option<&syn::Expr>) -> bool {
    nameable(imp) || init.is_some_and(|i| concrete_self(i, imp).is_some())
}

/// How a method of an audited impl relates to its type's invariants.
pub enum Shape {
    /// `&mut self`: the receiver is checked after the call.
    MutatesSelf,
    /// Returns `Self`, `Result<Self, _>` or `Option<Self>`: the new value is checked.
    Constructs(Wrapped),
    /// Neither.
    Other,
}

/// How a constructor returns the new value.
pub enum Wrapped {
    /// `Self`.
    Plain,
    /// `Result<Self, _>`: checked when `Ok`.
    Result,
    /// `Option<Self>`: checked when `Some`.
    Option,
}

fn is_self(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("Self"))
}

/// Whether a method takes `&mut self`.
#[must_use]
pub fn mut_receiver(sig: &syn::Signature) -> bool {
    sig.receiver()
        .is_some_and(|r| matches!(r.kind, syn::ReceiverKind::Reference(_, _, Some(_))))
}

/// The parameter that carries the call's logical time: the one named `now` (what a type's
/// invariant reads as `now`, and the name the attacking steps know the time by).
#[must_use]
pub fn now_parameter(sig: &syn::Signature) -> Option<&syn::Ident> {
    sig.inputs.iter().find_map(|a| match a {
        syn::FnArg::Typed(pt) => {
            crate::exprs::pat_ident(&pt.pat).filter(|i| crate::item::ident_text(i) == "now")
        }
        syn::FnArg::Receiver(_) => None,
    })
}

/// How the method with signature `sig`, in an impl of `self_ty`, relates to the type's
/// invariants: checked after a `&mut self` method and a constructor, not after others.
#[must_use]
pub fn shape(sig: &syn::Signature, self_ty: &syn::Type) -> Shape {
    if sig.receiver().is_some() {
        return if mut_receiver(sig) {
            Shape::MutatesSelf
        } else {
            Shape::Other
        };
    }
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return Shape::Other;
    };
    let names_self = |t: &syn::Type| is_self(t) || crate::exprs::same_syntax(t, self_ty);
    if names_self(ty) {
        return Shape::Constructs(Wrapped::Plain);
    }
    if let syn::Type::Path(p) = &**ty
        && let Some(last) = p.path.segments.last()
        && let syn::PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(syn::GenericArgument::Type(first)) = args.args.first()
        && names_self(first)
    {
        if last.ident == "Result" {
            return Shape::Constructs(Wrapped::Result);
        }
        if last.ident == "Option" {
            return Shape::Constructs(Wrapped::Option);
        }
    }
    Shape::Other
}

/// Whether `#[async_trait]` rewrote this method before distaudit saw it: it returns a
/// boxed future bound by `'async_trait`, whose body runs after the call returns.
#[must_use]
pub fn rewritten_by_async_trait(sig: &syn::Signature) -> bool {
    sig.generics
        .lifetimes()
        .any(|l| l.lifetime.ident == "async_trait")
}

/// Whether a type's invariants would be checked after this method of an audited impl of
/// `self_ty` but cannot be, `#[async_trait]` having rewritten it (DA0055 for a type with
/// invariants; no check is woven).
#[must_use]
pub fn type_invariant_lost_to_async_trait(sig: &syn::Signature, self_ty: &syn::Type) -> bool {
    rewritten_by_async_trait(sig) && !matches!(shape(sig, self_ty), Shape::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checked after: a `&mut self` method and constructors of `Self`, plain, in `Result`
    /// or in `Option`; not after `&self`, `self` or anything else.
    #[test]
    fn a_type_invariant_is_checked_after_mutators_and_constructors() {
        let ty: syn::Type = syn::parse_quote!(Fence);
        let of = |sig: syn::Signature| match shape(&sig, &ty) {
            Shape::MutatesSelf => "mutates",
            Shape::Constructs(Wrapped::Plain) => "plain",
            Shape::Constructs(Wrapped::Result) => "result",
            Shape::Constructs(Wrapped::Option) => "option",
            Shape::Other => "other",
        };
        assert_eq!(of(syn::parse_quote!(fn bump(&mut self))), "mutates");
        assert_eq!(of(syn::parse_quote!(fn new() -> Self)), "plain");
        assert_eq!(of(syn::parse_quote!(fn new() -> Fence)), "plain");
        assert_eq!(
            of(syn::parse_quote!(fn open() -> Result<Self, E>)),
            "result"
        );
        assert_eq!(of(syn::parse_quote!(fn find() -> Option<Fence>)), "option");
        assert_eq!(of(syn::parse_quote!(fn read(&self) -> u64)), "other");
        assert_eq!(of(syn::parse_quote!(fn into_inner(self) -> u64)), "other");
        assert_eq!(of(syn::parse_quote!(fn count() -> u64)), "other");
    }

    /// Lost to `#[async_trait]`: a rewritten method a type invariant is checked after; not a
    /// rewritten `&self` method, nor an `async fn` distaudit sees before the rewrite.
    #[test]
    fn a_type_invariant_is_lost_only_after_a_rewritten_mutator_or_constructor() {
        let ty: syn::Type = syn::parse_quote!(Fence);
        let lost = |sig: syn::Signature| type_invariant_lost_to_async_trait(&sig, &ty);
        assert!(lost(
            syn::parse_quote!(fn grant<'async_trait>(&'async_trait mut self) -> u64)
        ));
        assert!(lost(syn::parse_quote!(fn open<'async_trait>() -> Self)));
        assert!(!lost(
            syn::parse_quote!(fn peek<'async_trait>(&'async_trait self) -> u64)
        ));
        assert!(!lost(syn::parse_quote!(async fn grant(&mut self) -> u64)));
        assert!(!rewritten_by_async_trait(
            &syn::parse_quote!(fn f<'a>(&'a mut self))
        ));
    }
}
