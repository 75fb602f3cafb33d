//! The attacking steps of a state machine, emitted from the plan ([`AttackPlan`]): one more
//! variant of the call enum (`__attack`), drawn beside the user's calls, and the functions
//! of `Machine` the runtime's steps read calls through (op id, carrier, a call presenting
//! another carrier, a call with another payload, the receiver's seal).

use super::{CallKind, Field};
use crate::item::ident_text;
use crate::level::AttackPlan;
use crate::level::attack::{AttackStep, CarrierRoles, CursorRoles, MethodRoles, Returned};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// How many times as often a user's call is drawn as one attacking step.
const CALL_WEIGHT: u32 = 4;

/// The parts of a machine with attacking steps.
pub(super) struct AttackItems {
    pub variant: TokenStream,
    pub debug_arm: TokenStream,
    pub strategy: TokenStream,
    /// `apply`, `apply_issuing` and the step functions, inside `impl Machine`.
    pub functions: TokenStream,
}

fn field<'a>(kind: &'a CallKind, ident: &syn::Ident) -> Option<&'a Field> {
    let name = ident_text(ident);
    kind.fields.iter().find(|f| ident_text(&f.name) == name)
}

fn names(kind: &CallKind) -> Vec<&syn::Ident> {
    kind.fields.iter().map(|f| &f.name).collect()
}

/// A cursor's position, if it has one (`Option<Token>`): a cursor type's last key, a byte
/// key's bytes, else the value itself when it is ordered; a change between two reads as
/// woven checks read it (by order for byte keys).
fn position(expr: &syn::Expr, private: &TokenStream) -> TokenStream {
    quote! {{
        let distaudit_value = #expr;
        let distaudit_describer = #private::probe(&distaudit_value).describer();
        #[allow(unused_imports)]
        use #private::machine::{PositionByBytes as _, PositionByKey as _, PositionByOrder as _, PositionNone as _};
        (&&&&#private::machine::PositionProbe(&distaudit_value, distaudit_describer)).position()
    }}
}

/// A token from `expr`: ordered (a fence, a deadline) or compared for equality.
fn token(expr: &syn::Expr, ordered: bool, private: &TokenStream) -> TokenStream {
    let make = if ordered {
        quote!(ordered)
    } else {
        quote!(equal)
    };
    quote! {{
        let distaudit_value = #expr;
        let distaudit_shown = #private::probe(&distaudit_value).describer().show(&distaudit_value);
        #private::machine::Token::#make(distaudit_value, distaudit_shown)
    }}
}

/// The carrier held in the local `distaudit_carrier`, read with `roles` (each expression
/// over the carrier's parameter, bound afresh to a clone).
fn carrier(roles: &CarrierRoles, private: &TokenStream) -> TokenStream {
    let param = &roles.param;
    let bind = quote!(let #param = ::core::clone::Clone::clone(&distaudit_carrier););
    let fence = token(&roles.fence, true, private);
    let optional = |e: Option<&syn::Expr>, ordered: bool| match e {
        Some(e) => {
            let t = token(e, ordered, private);
            quote!(::core::option::Option::Some({ #bind #t }))
        }
        None => quote!(::core::option::Option::None),
    };
    let shard = optional(roles.shard.as_ref(), false);
    let expires = optional(roles.expires.as_ref(), true);
    quote! {{
        let distaudit_fence = { #bind #fence };
        #private::machine::Carrier::new(distaudit_carrier, distaudit_fence, #shard, #expires)
    }}
}

/// The machine's attacking steps, or `None` when it draws none.
pub(super) fn items(
    plan: &AttackPlan,
    kinds: &[CallKind],
    runtime: &syn::Path,
) -> Option<AttackItems> {
    if !plan.any() || plan.methods.len() != kinds.len() {
        return None;
    }
    let private = quote!(#runtime::__private);
    let pairs: Vec<(&CallKind, &MethodRoles)> = kinds.iter().zip(&plan.methods).collect();
    let mut functions = apply(&pairs, runtime);
    functions.extend(step_functions(&pairs, &private));
    functions.extend(cursor_functions(&pairs, &private));
    let extenders = pairs.iter().filter(|(_, r)| r.extends).map(|(k, _)| {
        let name = &k.name;
        quote!(Call::#name { .. } => true)
    });
    functions.extend(split_functions(&pairs));
    functions.extend(quote! {
        fn extends(&self) -> bool {
            match self {
                #(#extenders,)*
                _ => false,
            }
        }
    });
    if plan.steps.contains(&AttackStep::Fencing) {
        functions.extend(quote! {
            fn fences_grants() -> bool {
                true
            }
        });
    }
    functions.extend(quote! {
        fn attack(&self) -> ::core::option::Option<machine::Attack<Self>> {
            match self {
                Call::__attack(distaudit_attack) => ::core::option::Option::Some(::core::clone::Clone::clone(distaudit_attack)),
                _ => ::core::option::Option::None,
            }
        }
        fn seal(distaudit_sut: &Self::Sut) -> ::core::option::Option<machine::Seal<Self::Sut>> {
            ::core::option::Option::Some(#runtime::__seal!(distaudit_sut))
        }
    });
    Some(AttackItems {
        variant: quote!(__attack(machine::Attack<Call>)),
        debug_arm: quote!(Call::__attack(distaudit_attack) => ::core::fmt::Debug::fmt(distaudit_attack, f)),
        strategy: strategy(plan, kinds, &private),
        functions,
    })
}

/// `strategy()`: the user's calls, each `CALL_WEIGHT` times as likely as each step; a step
/// draws a fresh call of a method that takes part in it.
fn strategy(plan: &AttackPlan, kinds: &[CallKind], private: &TokenStream) -> TokenStream {
    let calls = kinds.iter().map(|k| {
        let name = &k.name;
        let names = names(k);
        let strategy = k.fields.iter().map(|f| &f.strategy);
        if names.is_empty() {
            quote!(proptest::strategy::Just(Call::#name {}).boxed())
        } else {
            quote!((#(#strategy,)*).prop_map(|(#(#names,)*)| Call::#name { #(#names),* }).boxed())
        }
    });
    let count = kinds.len();
    let user = (0..count)
        .map(|i| quote!((#CALL_WEIGHT, ::core::clone::Clone::clone(&distaudit_calls[#i]))));
    let steps = plan.steps.iter().map(|step| {
        let takers: Vec<usize> = plan
            .methods
            .iter()
            .enumerate()
            .filter(|(_, m)| m.steps.contains(step) || *step == AttackStep::Replay)
            .map(|(i, _)| i)
            .collect();
        let variant = format_ident!("{}", format!("{step:?}"));
        quote! {
            (1, (
                proptest::prelude::any::<proptest::sample::Index>(),
                proptest::strategy::Union::new([#(::core::clone::Clone::clone(&distaudit_calls[#takers])),*]),
            )
                .prop_map(|(distaudit_pick, distaudit_fresh)| {
                    Call::__attack(machine::Attack::new(machine::Step::#variant, distaudit_pick, distaudit_fresh))
                })
                .boxed())
        }
    });
    quote! {
        let distaudit_calls: [proptest::strategy::BoxedStrategy<Call>; #count] = [#(#calls),*];
        proptest::strategy::Union::new_weighted(#private::Vec::from([#(#user,)* #(#steps),*])).boxed()
    }
}

/// `apply` and `apply_issuing`: a call issues the carrier its accepted result holds.
fn apply(pairs: &[(&CallKind, &MethodRoles)], runtime: &syn::Path) -> TokenStream {
    let private = quote!(#runtime::__private);
    let arms = pairs.iter().map(|(k, roles)| {
        let name = &k.name;
        let names = names(k);
        let call = &k.call;
        let issued = roles.issues.as_ref().map(|issues| {
            if let Some(via) = &issues.via {
                let ret = syn::Ident::new("ret", proc_macro2::Span::call_site());
                let take = match issues.returned {
                    Returned::Result => quote! {
                        match &distaudit_result {
                            ::core::result::Result::Ok(#ret) => ::core::option::Option::Some(::core::clone::Clone::clone(&(#via))),
                            ::core::result::Result::Err(_) => ::core::option::Option::None,
                        }
                    },
                    Returned::Option => quote! {
                        match &distaudit_result {
                            ::core::option::Option::Some(#ret) => ::core::option::Option::Some(::core::clone::Clone::clone(&(#via))),
                            ::core::option::Option::None => ::core::option::Option::None,
                        }
                    },
                    Returned::Bare => quote!({ let #ret = &distaudit_result; ::core::option::Option::Some(::core::clone::Clone::clone(&(#via))) }),
                };
                let make = carrier(&issues.roles, &private);
                return quote!((#take).map(|distaudit_carrier| #make));
            }
            let take = match issues.returned {
                Returned::Result => quote! {
                    match &distaudit_result {
                        ::core::result::Result::Ok(v) => ::core::option::Option::Some(::core::clone::Clone::clone(v)),
                        ::core::result::Result::Err(_) => ::core::option::Option::None,
                    }
                },
                Returned::Option => quote!(::core::option::Option::as_ref(&distaudit_result).cloned()),
                Returned::Bare => quote!(::core::option::Option::Some(::core::clone::Clone::clone(&distaudit_result))),
            };
            let make = carrier(&issues.roles, &private);
            quote!((#take).map(|distaudit_carrier| #make))
        });
        let issued = issued.unwrap_or_else(|| quote!(::core::option::Option::None));
        quote! {
            #[allow(unused_mut)]
            Call::#name { #(mut #names),* } => {
                let distaudit_result = #call;
                let distaudit_issued = #issued;
                (#runtime::__outcome!(distaudit_result), distaudit_issued)
            }
        }
    });
    quote! {
        fn apply(&self, distaudit_sut: &mut Self::Sut) -> machine::Outcome {
            machine::Machine::apply_issuing(self, distaudit_sut).0
        }
        fn apply_issuing(
            &self,
            distaudit_sut: &mut Self::Sut,
        ) -> (machine::Outcome, ::core::option::Option<machine::Carrier>) {
            let _ = &distaudit_sut;
            match ::core::clone::Clone::clone(self) {
                #(#arms,)*
                Call::__attack(_) => (machine::Outcome::Refused(#private::String::new()), ::core::option::Option::None),
            }
        }
    }
}

/// `op`, `carrier`, `presenting` and `with_payload_of`, for the methods that take part.
fn step_functions(pairs: &[(&CallKind, &MethodRoles)], private: &TokenStream) -> TokenStream {
    let mut op_arms = Vec::new();
    let mut carrier_arms = Vec::new();
    let mut presenting_arms = Vec::new();
    let mut payload_arms = Vec::new();
    for (k, roles) in pairs {
        let name = &k.name;
        let all = names(k);
        if let Some(op) = &roles.op {
            let t = token(op, false, private);
            op_arms.push(quote!(Call::#name { #(#all),* } => ::core::option::Option::Some(#t)));
        }
        let Some(c) = &roles.carrier else {
            payload_arms.extend(with_payload(k, roles));
            continue;
        };
        let param = &c.param;
        let make = carrier(c, private);
        carrier_arms.push(quote! {
            Call::#name { #(#all),* } => {
                let distaudit_carrier = #param;
                ::core::option::Option::Some(#make)
            }
        });
        if let Some(ty) = field(k, param).map(|f| &f.ty) {
            let now = match (&roles.now, &c.expires) {
                (Some(now), Some(expires)) => quote! {
                    let #now = if distaudit_lapsed {
                        let #param = ::core::clone::Clone::clone(&#param);
                        #expires
                    } else {
                        #now
                    };
                },
                _ => quote! {
                    if distaudit_lapsed {
                        return ::core::option::Option::None;
                    }
                },
            };
            presenting_arms.push(quote! {
                Call::#name { #(#all),* } => {
                    let #param: #ty = ::core::clone::Clone::clone(distaudit_presented.value::<#ty>()?);
                    #now
                    ::core::option::Option::Some(Call::#name { #(#all),* })
                }
            });
        }
        payload_arms.extend(with_payload(k, roles));
    }
    quote! {
        fn op(&self) -> ::core::option::Option<machine::Token> {
            match ::core::clone::Clone::clone(self) {
                #(#op_arms,)*
                _ => ::core::option::Option::None,
            }
        }
        fn carrier(&self) -> ::core::option::Option<machine::Carrier> {
            match ::core::clone::Clone::clone(self) {
                #(#carrier_arms,)*
                _ => ::core::option::Option::None,
            }
        }
        fn presenting(
            &self,
            distaudit_presented: &machine::Carrier,
            distaudit_lapsed: bool,
        ) -> ::core::option::Option<Self> {
            let _ = (&distaudit_presented, distaudit_lapsed);
            match ::core::clone::Clone::clone(self) {
                #(#presenting_arms,)*
                _ => ::core::option::Option::None,
            }
        }
        fn with_payload_of(&self, distaudit_fresh: &Self) -> ::core::option::Option<(Self, bool)> {
            let _ = &distaudit_fresh;
            match (::core::clone::Clone::clone(self), ::core::clone::Clone::clone(distaudit_fresh)) {
                #(#payload_arms,)*
                _ => ::core::option::Option::None,
            }
        }
    }
}

/// `cursor` and `with_cursor`, for the methods in the cursor step: the cursor a call
/// checkpoints (its position and shard), and an accepted call with an earlier cursor in
/// place of its own (the op id of a fresh call of the same method, where the op id is a
/// parameter of its own, so the call is not a retry).
fn cursor_functions(pairs: &[(&CallKind, &MethodRoles)], private: &TokenStream) -> TokenStream {
    let mut cursor_arms = Vec::new();
    let mut with_arms = Vec::new();
    let mut range_arms = Vec::new();
    for (k, roles) in pairs {
        let Some(c) = roles
            .cursor
            .as_ref()
            .filter(|_| roles.steps.contains(&AttackStep::Cursor))
        else {
            continue;
        };
        let Some(ty) = field(k, &c.param).map(|f| &f.ty) else {
            continue;
        };
        let name = &k.name;
        let all = names(k);
        cursor_arms.push(cursor_arm(k, c, private));
        if let Some(range) = &c.range {
            // Read after the call, from the receiver and the call's own fields (borrowed).
            let sut = quote::format_ident!("distaudit_sut");
            let range = crate::walk::rename_self(quote!(#range), &sut);
            range_arms.push(quote! {
                Call::#name { #(#all),* } => {
                    let distaudit_range = #range;
                    #private::WithinRange::within_range(&distaudit_range)
                        .map(|(a, b)| (::std::boxed::Box::from(a), ::std::boxed::Box::from(b)))
                }
            });
        }
        let param = &c.param;
        // The op id's own parameters: the op role itself, or the bare parameters of a tuple
        // (`(lease.shard_key(), op_id)` scopes `op_id` by the shard, which stays).
        let carrier = roles.carrier.as_ref().map(|c| &c.param);
        let own_ops: Vec<&syn::Ident> = match roles.op.as_ref() {
            Some(syn::Expr::Tuple(t)) => t.elems.iter().collect(),
            Some(op) => vec![op],
            None => Vec::new(),
        }
        .into_iter()
        .filter_map(|e| match e {
            syn::Expr::Path(p) => p.path.get_ident(),
            _ => None,
        })
        .filter(|op| field(k, op).is_some() && Some(*op) != carrier && *op != param)
        .collect();
        let fresh_op = own_ops.iter().map(|op| {
            quote! {
                let #op = match ::core::clone::Clone::clone(distaudit_fresh) {
                    Call::#name { #op: distaudit_fresh_op, .. } => distaudit_fresh_op,
                    _ => #op,
                };
            }
        });
        with_arms.push(quote! {
            Call::#name { #(#all),* } => {
                let #param: #ty = ::core::clone::Clone::clone(distaudit_cursor.value::<#ty>()?);
                #(#fresh_op)*
                ::core::option::Option::Some(Call::#name { #(#all),* })
            }
        });
    }
    quote! {
        fn cursor(&self) -> ::core::option::Option<machine::Cursor> {
            match ::core::clone::Clone::clone(self) {
                #(#cursor_arms,)*
                _ => ::core::option::Option::None,
            }
        }
        fn with_cursor(&self, distaudit_cursor: &machine::Cursor, distaudit_fresh: &Self) -> ::core::option::Option<Self> {
            let _ = (&distaudit_cursor, &distaudit_fresh);
            match ::core::clone::Clone::clone(self) {
                #(#with_arms,)*
                _ => ::core::option::Option::None,
            }
        }
        fn cursor_range(&self, distaudit_sut: &Self::Sut) -> ::core::option::Option<machine::KeySpan> {
            let _ = &distaudit_sut;
            match self {
                #(#range_arms,)*
                _ => ::core::option::Option::None,
            }
        }
    }
}

/// `split_key`, `with_split_key` and `merges`, for the methods in the split step and the
/// methods that may merge.
fn split_functions(pairs: &[(&CallKind, &MethodRoles)]) -> TokenStream {
    let mut key_arms = Vec::new();
    let mut with_arms = Vec::new();
    for (k, roles) in pairs {
        let Some(at) = roles
            .split_at
            .as_ref()
            .filter(|_| roles.steps.contains(&AttackStep::Split))
        else {
            continue;
        };
        let Some(ty) = field(k, at).map(|f| &f.ty) else {
            continue;
        };
        let name = &k.name;
        let all = names(k);
        key_arms.push(quote! {
            Call::#name { #(#all),* } => ::core::option::Option::Some(machine::SplitKey::new(#at))
        });
        with_arms.push(quote! {
            Call::#name { #(#all),* } => {
                let #at: #ty = if distaudit_beside {
                    distaudit_bound.successor::<#ty>()?
                } else {
                    distaudit_bound.value::<#ty>()?
                };
                ::core::option::Option::Some(Call::#name { #(#all),* })
            }
        });
    }
    let mergers = pairs.iter().filter(|(_, r)| r.merges).map(|(k, _)| {
        let name = &k.name;
        quote!(Call::#name { .. } => true)
    });
    quote! {
        fn split_key(&self) -> ::core::option::Option<machine::SplitKey> {
            match ::core::clone::Clone::clone(self) {
                #(#key_arms,)*
                _ => ::core::option::Option::None,
            }
        }
        fn with_split_key(&self, distaudit_bound: &machine::SplitKey, distaudit_beside: bool) -> ::core::option::Option<Self> {
            let _ = (&distaudit_bound, distaudit_beside);
            match ::core::clone::Clone::clone(self) {
                #(#with_arms,)*
                _ => ::core::option::Option::None,
            }
        }
        fn merges(&self) -> bool {
            match self {
                #(#mergers,)*
                _ => false,
            }
        }
    }
}

/// The arm of `cursor` for one method: each expression read from a fresh clone of the
/// parameter it starts from.
fn cursor_arm(k: &CallKind, c: &CursorRoles, private: &TokenStream) -> TokenStream {
    let name = &k.name;
    let all = names(k);
    let param = &c.param;
    let position = position(&c.position, private);
    let shard = match &c.shard {
        Some((from, e)) => {
            let t = token(e, false, private);
            quote!(::core::option::Option::Some({ let #from = ::core::clone::Clone::clone(&#from); #t }))
        }
        None => quote!(::core::option::Option::None),
    };
    let own_shard = c.shard.as_ref().is_some_and(|(from, _)| from == param);
    // A view drawn as its owner: the position is read from the view the call takes.
    let bind = match field(k, param).and_then(|f| f.view.as_ref()) {
        Some(with) => quote! {
            let distaudit_owner = ::core::clone::Clone::clone(&#param);
            let #param = (#with)(&distaudit_owner);
        },
        None => quote!(let #param = ::core::clone::Clone::clone(&#param);),
    };
    quote! {
        Call::#name { #(#all),* } => {
            let distaudit_value = ::core::clone::Clone::clone(&#param);
            let distaudit_position = { #bind #position }?;
            let distaudit_shard = #shard;
            ::core::option::Option::Some(machine::Cursor::new(distaudit_value, distaudit_position, distaudit_shard, #own_shard))
        }
    }
}

/// The arm of `with_payload_of` for a method in the conflict step: the original's op id,
/// carrier and time, the fresh call's payload, and whether the two payloads differ (by the
/// receiver's own comparison: `PartialEq`, else the `Debug` form's hash).
fn with_payload(k: &CallKind, roles: &MethodRoles) -> Option<TokenStream> {
    if !roles.steps.contains(&AttackStep::Conflict) {
        return None;
    }
    let name = &k.name;
    let all = names(k);
    let payload: Vec<&syn::Ident> = roles
        .payload
        .iter()
        .filter_map(|p| field(k, p).map(|f| &f.name))
        .collect();
    let fresh: Vec<syn::Ident> = payload
        .iter()
        .map(|p| format_ident!("distaudit_fresh_{}", ident_text(p).trim_start_matches("r#")))
        .collect();
    let runtime_seal = quote!(machine::Seal);
    Some(quote! {
        (Call::#name { #(#all),* }, Call::#name { #(#payload: #fresh,)* .. }) => {
            let distaudit_before = (#(::core::clone::Clone::clone(&#payload),)*);
            let distaudit_after = (#(::core::clone::Clone::clone(&#fresh),)*);
            let distaudit_differs = {
                #[allow(unused_imports)]
                use machine::{SealByDebug as _, SealByValue as _, SealNone as _};
                let distaudit_seal: #runtime_seal<_> = (&&&machine::SealProbe(&distaudit_before)).seal();
                !distaudit_seal.holds(&distaudit_after)
            };
            #(let #payload = #fresh;)*
            ::core::option::Option::Some((Call::#name { #(#all),* }, distaudit_differs))
        }
    })
}
