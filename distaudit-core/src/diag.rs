//! Findings: what the engine reports, with a stable code, a severity and a span.
//!
//! Every diagnostic the user can see is a [`Finding`] with a [`Code`]. The table of codes is
//! [`Code::ALL`]; the `distaudit` crate docs render it, so the docs and the engine cannot
//! disagree.

use proc_macro2::Span;
use std::fmt;

/// How a finding affects the build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A real compiler warning (`-D warnings` turns it into a gate).
    Warn,
    /// A compile error.
    Block,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warn => "WARN",
            Severity::Block => "BLOCK",
        })
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $num:literal, $sev:ident, $title:literal, $upholds:literal; )*) => {
        /// A stable diagnostic code. The number never changes meaning once released.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The number, e.g. 3 for `DA0003`.
            #[must_use]
            pub fn number(self) -> u16 {
                match self { $(Code::$variant => $num,)* }
            }

            /// The severity findings of this code have.
            #[must_use]
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// A one-line title for the documentation table.
            #[must_use]
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            /// The decision, prohibition or rule the code upholds (for the docs table).
            #[must_use]
            pub fn upholds(self) -> &'static str {
                match self { $(Code::$variant => $upholds,)* }
            }
        }
    };
}

codes! {
    /// The annotation's syntax or a value's form is wrong.
    Malformed = 1, Block, "malformed annotation or argument value", "annotation grammar";
    /// An argument name that the annotation does not have.
    UnknownArgument = 2, Block, "unknown argument", "annotation grammar";
    /// A pattern id that is not in the registry.
    UnknownPattern = 3, Block, "unknown pattern id", "registry";
    /// A citation id that is not in the registry.
    UnknownCitation = 4, Block, "unknown citation id", "registry";
    /// No `cite` and no `novel`.
    Uncited = 5, Block, "uncited coordination code", "every decision traces to evidence";
    /// A cited work supports none of the item's patterns.
    CitationMismatch = 6, Block, "citation does not support any pattern of the item", "every decision traces to evidence";
    /// A pattern that none of the cited works supports.
    PatternUnsupported = 7, Block, "pattern without a supporting citation", "every decision traces to evidence";
    /// No `pattern` argument.
    MissingPattern = 8, Block, "missing pattern", "annotation grammar";
    /// The same argument or id given twice where that is not meaningful.
    Duplicate = 9, Block, "duplicate argument or id", "annotation grammar";
    /// The strongest evidence for a pattern is level 1 or 2.
    WeakEvidence = 10, Warn, "weak evidence (level 1-2)", "evidence levels";
    /// A pattern rests on `novel` (level 0).
    NovelDesign = 11, Warn, "novel design (level 0)", "no novel protocols";
    /// `novel` without `verify`.
    NovelWithoutVerify = 12, Block, "novel design without verify", "no novel protocols";
    /// The attribute is on an item it does not support.
    UnsupportedItem = 13, Block, "annotation on an unsupported item", "annotation grammar";
    /// A registry file is malformed or inconsistent.
    Registry = 14, Block, "malformed registry", "registry integrity";
    /// `implements` names a decision that is not in the registry.
    UnknownDecision = 15, Block, "unknown decision id", "registry";
    /// `allow` names an unknown anti-pattern or has no real justification.
    BadAllow = 16, Block, "unknown anti-pattern or unjustified allow", "anti-pattern exceptions";
    /// `backend` names a system that is not in the registry.
    UnknownBackend = 17, Block, "unknown consensus backend", "Decision A";
    /// `fields(..)` names a role or a field that does not exist.
    BadFields = 18, Block, "unknown role or field in fields(..)", "D2.1, D2.2";
    /// An argument that has no meaning on this item.
    ArgumentNotApplicable = 19, Block, "argument not applicable to this item", "annotation grammar";
    /// The item is a cursor struct without the two layers of D2.1, or with a third.
    CursorLayers = 30, Block, "cursor is not two-layer", "D2.1";
    /// A shard struct without its half-open bounds.
    ShardBounds = 31, Block, "shard range without start/end bounds", "D2.2";
    /// A key type that is not a lexicographic byte string.
    NonByteKey = 32, Block, "key is not a lexicographic byte string", "D3.3";
    /// A state-changing cursor function does not declare the invariants of D2.3-D2.5.
    CursorInvariantMissing = 33, Block, "cursor invariant not declared", "D2.3, D2.4, D2.5";
    /// A state-changing fencing function does not declare its epoch invariant.
    FenceInvariantMissing = 34, Block, "fence epoch invariant not declared", "fencing tokens";
    /// Consensus or leader election without a proven backend.
    CustomConsensus = 35, Block, "custom leader election or consensus", "Decision A, anti-pattern 1";
    /// Gossip used for coordination.
    GossipCoordination = 36, Block, "gossip protocol for coordination", "Decision B";
    /// Anti-pattern 2: timestamps from different machines compared as if clocks agreed.
    ClockSync = 42, Warn, "synchronized-clock assumption", "anti-pattern 2";
    /// Anti-pattern 3: a timeout or missing reply treated as a failure without suspicion.
    NoResponseIsFailure = 43, Warn, "no response treated as failure", "anti-pattern 3";
    /// Anti-pattern 4: an unbounded queue.
    UnboundedQueue = 44, Block, "unbounded queue", "anti-pattern 4";
    /// Anti-pattern 5: a wall clock read where safety is decided.
    WallClock = 45, Block, "wall-clock read in a safety decision", "anti-pattern 5";
    /// Anti-pattern 6: the result of submitting work thrown away.
    SilentDrop = 46, Block, "silently dropped work", "anti-pattern 6";
    /// Anti-pattern 7: a network operation assumed to succeed.
    NetworkReliability = 47, Warn, "network assumed reliable", "anti-pattern 7";
    /// An `allow` that excuses nothing in the item.
    UnusedAllow = 48, Warn, "allow that excuses nothing", "anti-pattern exceptions";
    /// An `invariant(..)` that is malformed or names an unknown kind.
    BadInvariant = 50, Block, "malformed invariant", "invariant kinds";
    /// An invariant names `ret` where there is no return value.
    RetWithoutValue = 51, Block, "`ret` in a function that returns nothing", "invariant kinds";
    /// A `test(..)` that is malformed or cannot be generated here.
    BadTest = 52, Block, "property test cannot be generated", "generated property tests";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DA{:04}", self.number())
    }
}

/// One problem (or one warning) found in an annotation, spanned on the offending token.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The stable code.
    pub code: Code,
    /// Where the compiler should point.
    pub span: Span,
    /// What is wrong.
    pub what: String,
    /// Why it matters: the decision or prohibition and its citation.
    pub why: String,
    /// The concrete change that fixes it.
    pub fix: String,
}

impl Finding {
    /// A finding of `code` at `span`.
    pub fn new(
        code: Code,
        span: Span,
        what: impl Into<String>,
        why: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Finding {
            code,
            span,
            what: what.into(),
            why: why.into(),
            fix: fix.into(),
        }
    }

    /// The severity, from the code.
    #[must_use]
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// The message in the contract's form: a headline, then `= why:` and `= fix:` lines.
    #[must_use]
    pub fn message(&self) -> String {
        format!(
            "[distaudit {} {}] {}\n= why: {}\n= fix: {}",
            self.code,
            self.severity(),
            self.what,
            self.why,
            self.fix
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_ordered() {
        let numbers: Vec<u16> = Code::ALL.iter().map(|c| c.number()).collect();
        let mut sorted = numbers.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(numbers, sorted, "codes must be unique and listed in order");
    }

    #[test]
    fn message_has_contract_shape() {
        let f = Finding::new(Code::UnknownCitation, Span::call_site(), "w", "y", "x");
        assert_eq!(
            f.message(),
            "[distaudit DA0004 BLOCK] w\n= why: y\n= fix: x"
        );
        assert_eq!(Code::WeakEvidence.to_string(), "DA0010");
        assert_eq!(Code::WeakEvidence.severity(), Severity::Warn);
    }
}
