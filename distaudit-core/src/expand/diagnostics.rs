//! Findings as tokens: errors through `compile_error!`, warnings through the
//! deprecated-item technique, and DA0014 for a registry that cannot be loaded.

use crate::diag::{Code, Finding, Severity};
use crate::registry::RegistryError;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

/// Findings as `compile_error!` invocations, each on its own span or range.
#[must_use]
pub fn errors(findings: &[Finding]) -> TokenStream {
    findings
        .iter()
        .filter(|f| f.blocks())
        .map(Finding::to_compile_error)
        .collect()
}

/// Warnings through the deprecated-item technique: a real, spanned warning on stable. The
/// struct's name says what the warning is (`DA0010_weak_evidence_level_1_2`), since it is
/// what rustc's first line shows. Codes a crate allows in its `distaudit.toml`
/// (`[warnings] allow = ["DA0010"]`) are not emitted.
pub(super) fn warnings(findings: &[Finding], allowed: &[Code]) -> TokenStream {
    findings
        .iter()
        .filter(|f| f.severity() == Severity::Warn && !allowed.contains(&f.code))
        .map(|f| {
            let note = f.message();
            let mut words = String::new();
            for c in f.code.title().chars() {
                if c.is_ascii_alphanumeric() {
                    words.push(c.to_ascii_lowercase());
                } else if !words.ends_with('_') {
                    words.push('_');
                }
            }
            let name = format_ident!(
                "{}_{}",
                f.code.to_string(),
                words.trim_end_matches('_'),
                span = f.span
            );
            let use_site = quote_spanned!(f.span=> #name);
            quote! {
                const _: () = {
                    #[deprecated(note = #note)]
                    #[allow(non_camel_case_types)]
                    struct #name;
                    let _ = #use_site;
                };
            }
        })
        .collect()
}

/// DA0014, a registry that cannot be loaded (`cargo distaudit` reports it with the same why).
/// A problem of the whole file (unreadable, a directory) names no line.
#[must_use]
pub fn registry_error(e: &RegistryError) -> Finding {
    Finding::new(
        Code::Registry,
        Span::call_site(),
        format!("the registry cannot be loaded: {e}"),
        "every annotation is checked against the registry, so a broken registry stops the build rather than letting code through unchecked",
        if e.line == 0 {
            format!(
                "fix {} as a whole: it cannot be used as a registry file",
                e.file
            )
        } else {
            format!("fix {} at line {}", e.file, e.line)
        },
    )
}
