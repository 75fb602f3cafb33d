//! The identity of a finding across edits: a digest of its code, crate, item (or file when
//! it belongs to no item) and message, with line numbers in the message blanked, so moving
//! code up or down a file keeps it. SARIF's `partialFingerprints` and the baseline use it.

use crate::model::Issue;
use sha2::{Digest, Sha256};

/// The key under SARIF's `partialFingerprints`; the version changes with the recipe.
pub const SARIF_KEY: &str = "distaudit/v1";

/// The message with every `name:123` (a `file:line` reference) written `name:_`.
fn without_lines(what: &str) -> String {
    let mut out = String::with_capacity(what.len());
    let mut chars = what.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        out.push(c);
        if c == ':' && previous.is_alphanumeric() && chars.peek().is_some_and(char::is_ascii_digit)
        {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('_');
            // `file:12:3`: the column goes too.
            previous = '0';
            continue;
        }
        previous = c;
    }
    out
}

/// The fingerprint of a finding from its parts (a baseline entry has no [`Issue`]).
#[must_use]
pub fn of_parts(
    code: &str,
    krate: &str,
    item: Option<&str>,
    file: Option<&str>,
    what: &str,
) -> String {
    let place = match (item, file) {
        (Some(item), _) => format!("item {item}"),
        (None, Some(file)) => format!("file {file}"),
        (None, None) => String::new(),
    };
    let mut hasher = Sha256::new();
    for part in [code, krate, &place, &without_lines(what)] {
        hasher.update(part.as_bytes());
        // A separator that no part holds, so parts cannot run into each other.
        hasher.update([0u8]);
    }
    hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The fingerprint of an issue.
#[must_use]
pub fn of(issue: &Issue) -> String {
    of_parts(
        &issue.code.to_string(),
        &issue.krate,
        issue.item.as_deref(),
        issue.file.as_deref(),
        &issue.what,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_do_not_count_and_everything_else_does() {
        assert_eq!(
            without_lines("DA0045 at src/lib.rs:6; see lib.rs:12:3, fence 7"),
            "DA0045 at src/lib.rs:_; see lib.rs:_:_, fence 7"
        );
        let a = of_parts("DA0060", "k", Some("a::b"), Some("src/a.rs"), "x at a.rs:3");
        assert_eq!(a.len(), 32);
        assert_eq!(
            a,
            of_parts(
                "DA0060",
                "k",
                Some("a::b"),
                Some("src/a.rs"),
                "x at a.rs:40"
            )
        );
        assert_ne!(
            a,
            of_parts("DA0061", "k", Some("a::b"), Some("src/a.rs"), "x at a.rs:3")
        );
        assert_ne!(
            a,
            of_parts("DA0060", "j", Some("a::b"), Some("src/a.rs"), "x at a.rs:3")
        );
        assert_ne!(
            a,
            of_parts("DA0060", "k", Some("a::c"), Some("src/a.rs"), "x at a.rs:3")
        );
        assert_ne!(
            a,
            of_parts("DA0060", "k", Some("a::b"), Some("src/a.rs"), "y at a.rs:3")
        );
        // An item's finding keeps its identity when its file is renamed.
        assert_eq!(
            a,
            of_parts("DA0060", "k", Some("a::b"), Some("src/z.rs"), "x at a.rs:3")
        );
    }
}
