//! Findings: what the engine reports, with a stable code, a severity and a span.
//!
//! Every diagnostic the user can see is a [`Finding`] with a [`Code`]. The table of codes is
//! [`Code::all`]; the `distaudit` crate docs render it, so the docs and the engine cannot
//! disagree.

use crate::catalogue::AntiPattern;
pub use crate::catalogue::Severity;
use proc_macro2::{Delimiter, Group, Literal, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote_spanned};
use std::fmt;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $num:literal, $sev:ident, $title:literal, $upholds:literal; )*) => {
        /// A stable diagnostic code. The number never changes meaning once released.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
            /// One of the anti-patterns; its number, severity and title come from the
            /// catalogue ([`AntiPattern`]).
            Anti(AntiPattern),
        }

        impl Code {
            /// Every code, in numeric order.
            #[must_use]
            pub fn all() -> Vec<Code> {
                let mut all = vec![$(Code::$variant),*];
                all.extend(AntiPattern::ALL.iter().map(|a| Code::Anti(*a)));
                all.sort_by_key(|c| c.number());
                all
            }

            /// The number, e.g. 3 for `DA0003`.
            #[must_use]
            pub fn number(self) -> u16 {
                match self { $(Code::$variant => $num,)* Code::Anti(a) => a.code_number() }
            }

            /// The severity findings of this code have.
            #[must_use]
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* Code::Anti(a) => a.severity() }
            }

            /// A one-line title for the documentation table.
            #[must_use]
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* Code::Anti(a) => a.title() }
            }

            /// The decision, prohibition or rule the code upholds (for the docs table).
            #[must_use]
            pub fn upholds(self) -> String {
                match self {
                    $(Code::$variant => $upholds.to_string(),)*
                    Code::Anti(AntiPattern::NovelConsensus) => {
                        format!("Decision A, anti-pattern {}", AntiPattern::NovelConsensus.number())
                    }
                    Code::Anti(a) => format!("anti-pattern {}", a.number()),
                }
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
    /// Gossip used for coordination.
    GossipCoordination = 36, Block, "gossip protocol for coordination", "Decision B";
    /// An `allow` that excuses nothing in the item.
    UnusedAllow = 48, Warn, "allow that excuses nothing", "anti-pattern exceptions";
    /// An `invariant(..)` that is malformed or names an unknown kind.
    BadInvariant = 50, Block, "malformed invariant", "invariant kinds";
    /// An invariant names `ret` where there is no return value.
    RetWithoutValue = 51, Block, "`ret` in a function that returns nothing", "invariant kinds";
    /// A `test(..)` that is malformed or cannot be generated here.
    BadTest = 52, Block, "property test cannot be generated", "generated property tests";
    /// An impl of a trait with contracts, without `#[distaudit::audit]` (rustc's E0277,
    /// worded by `on_unimplemented`), or the contract macro called by hand.
    ContractImplMissing = 53, Block, "impl of a contract trait without `#[distaudit::audit]`", "contracts on traits";
    /// `delegates(decision, to)` names an item that does not check the decision.
    DelegationUnchecked = 54, Block, "delegated decision not checked by its target", "delegation";
    /// A method of an audited impl that `#[async_trait]` rewrote first: the type's invariants
    /// cannot be checked after it (reported by rustc as a deprecation, only for types that
    /// have invariants).
    TypeInvariantAfterAsyncTrait = 55, Warn, "type invariant not checked after an `#[async_trait]` method", "type invariants";
    /// An annotation names a decision the registry records as superseded.
    SupersededDecision = 56, Warn, "cites a superseded decision", "decision records";
    /// `cargo distaudit`: code that names and does coordination, with no annotation.
    UnannotatedCoordination = 60, Block, "uncited coordination code (crate-wide audit)", "every decision traces to evidence";
    /// `cargo distaudit`: code whose names suggest coordination, with no annotation.
    UnannotatedCoordinationName = 61, Warn, "possible uncited coordination code (crate-wide audit)", "every decision traces to evidence";
    /// `cargo distaudit`: a source file that does not parse, or a `mod` without its file.
    SourceUnreadable = 62, Block, "source file cannot be read or parsed (crate-wide audit)", "the audit sees all code";
    /// `cargo distaudit`: an `[[exempt]]` entry that is malformed.
    BadExemption = 63, Block, "malformed exemption", "exemptions are justified";
    /// `cargo distaudit`: an exemption or baseline entry whose finding no longer occurs.
    StaleExemption = 64, Warn, "stale exemption or baseline entry", "exemptions and baselines only shrink";
    /// `cargo distaudit`: an exemption past its expiry date; the finding is back.
    ExpiredExemption = 65, Warn, "expired exemption", "exemptions are temporary";
    /// `cargo distaudit lint-docs`: a provenance id the registry does not have.
    DocUnknownId = 70, Block, "design record names an unknown id", "every decision traces to evidence";
    /// `cargo distaudit lint-docs`: a stated evidence level that is not the registry's.
    DocWrongLevel = 71, Block, "design record states the wrong evidence level", "evidence levels";
    /// `cargo distaudit lint-docs`: a NOVEL record without its warning block.
    DocNovelWithoutWarning = 72, Block, "novel design record without its warning", "no novel protocols";
    /// `cargo distaudit lint-docs`: a checklist that contradicts the proposal.
    DocChecklistContradiction = 73, Block, "design record checklist contradicts its proposal", "locked decisions";
    /// `cargo distaudit lint-docs`: an unticked box without a resolution line.
    DocUnresolvedBox = 74, Warn, "unticked box without a resolution", "locked decisions";
    /// `cargo distaudit lint-docs`: an alternative without a citation.
    DocUncitedAlternative = 75, Warn, "alternative without a citation", "every decision traces to evidence";
    /// `cargo distaudit lint-docs`: a required section missing.
    DocMissingSection = 76, Block, "design record misses a section", "report formats";
    /// `cargo distaudit lint-docs`: a record's status is none of the ADR statuses.
    DocUnknownStatus = 77, Warn, "design record with an unknown status", "decision records have a life";
    /// `cargo distaudit lint-docs`: a superseded record that names no successor that can be found.
    DocSupersededWithoutSuccessor = 78, Warn, "superseded record without its successor", "decision records have a life";
    /// `cargo distaudit lint-docs`: a range of decision ids that the registry no longer
    /// matches (`S1-S7` where S1..S9 exist).
    DocStaleIdRange = 79, Warn, "range of decision ids that no longer matches the registry", "documents agree with the registry";
    /// `cargo distaudit lint-docs`: a `file:line` reference whose line no longer holds the
    /// item named beside it.
    DocStaleCodeReference = 80, Warn, "file:line reference that no longer points at its item", "documents agree with the code";
    /// `cargo distaudit`: an `[[evidence]]` link whose target is gone (ORPHANED): the file,
    /// the operator or function, or the function's proof or test attribute.
    EvidenceOrphaned = 86, Block, "evidence link whose target is gone (ORPHANED)", "evidence links stay confirmed";
    /// `cargo distaudit`: an `[[evidence]]` link whose target's text changed since its
    /// fingerprint was recorded, or that was never confirmed (OUTDATED).
    EvidenceOutdated = 87, Warn, "evidence link whose target changed (OUTDATED)", "evidence links stay confirmed";
}

impl Code {
    /// The locked decisions a finding of this code enforces (`D2.1`, `A`, ..): a BLOCK of
    /// one of these is a conflict with the decision; empty for every other code.
    #[must_use]
    pub fn locked_decisions(self) -> &'static [&'static str] {
        match self {
            Code::CursorLayers => &["D2.1"],
            Code::ShardBounds => &["D2.2"],
            Code::NonByteKey => &["D3.3"],
            Code::CursorInvariantMissing => &["D2.3", "D2.4", "D2.5"],
            Code::BadFields => &["D2.1", "D2.2"],
            Code::UnknownBackend | Code::Anti(AntiPattern::NovelConsensus) => &["A"],
            Code::GossipCoordination => &["B"],
            _ => &[],
        }
    }
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
    /// Where the compiler should point: the first token of what is reported.
    pub span: Span,
    /// The last token of what is reported (`span` itself when it is one token): rustc
    /// underlines everything from `span` through `end`.
    pub end: Span,
    /// What is wrong.
    pub what: String,
    /// Why it matters: the decision or prohibition and its citation.
    pub why: String,
    /// The concrete change that fixes it.
    pub fix: String,
    /// An obligation of a method of an audited impl that its type's invariants may meet
    /// (D2.3, the fencing rule): the attribute asks the type for it with a trait bound, and
    /// `cargo distaudit` looks at the type's annotation, instead of refusing the method.
    pub answered_by_type: Option<Obligation>,
}

/// What a method of an audited impl that changes cursor or fencing state must have checked,
/// and may leave to its type's invariants: the attribute asks the type with a trait bound on
/// a marker trait the type's annotation implements when its checks meet it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Obligation {
    /// Cursor monotonicity.
    D23,
    /// Cursor within shard bounds.
    D24,
    /// Checkpoints keep their key.
    D25,
    /// The fencing rule: fences never go back.
    Fences,
}

impl Obligation {
    /// Every obligation, in the order of their ids.
    pub const ALL: [Obligation; 4] = [
        Obligation::D23,
        Obligation::D24,
        Obligation::D25,
        Obligation::Fences,
    ];

    /// The decision it is (`D2.3`), or the rule (`fencing`).
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Obligation::D23 => "D2.3",
            Obligation::D24 => "D2.4",
            Obligation::D25 => "D2.5",
            Obligation::Fences => "fencing",
        }
    }

    /// The obligation of a decision or rule id, if it is one.
    #[must_use]
    pub fn of_id(id: &str) -> Option<Obligation> {
        Obligation::ALL.into_iter().find(|o| o.id() == id)
    }

    /// The runtime's marker trait a type meeting it implements (`ChecksD23`).
    #[must_use]
    pub fn marker(self) -> &'static str {
        match self {
            Obligation::D23 => "ChecksD23",
            Obligation::D24 => "ChecksD24",
            Obligation::D25 => "ChecksD25",
            Obligation::Fences => "ChecksFences",
        }
    }

    /// The runtime's function a method asks its type with (`type_checks_d23`).
    #[must_use]
    pub fn ask(self) -> &'static str {
        match self {
            Obligation::D23 => "type_checks_d23",
            Obligation::D24 => "type_checks_d24",
            Obligation::D25 => "type_checks_d25",
            Obligation::Fences => "type_checks_fences",
        }
    }
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
            end: span,
            what: what.into(),
            why: why.into(),
            fix: fix.into(),
            answered_by_type: None,
        }
    }

    /// The same finding, one its method's type may answer (see `answered_by_type`).
    #[must_use]
    pub fn answered_by_type(mut self, obligation: Obligation) -> Self {
        self.answered_by_type = Some(obligation);
        self
    }

    /// Whether it stops the item: a BLOCK that no type can answer.
    #[must_use]
    pub fn blocks(&self) -> bool {
        self.severity() == Severity::Block && self.answered_by_type.is_none()
    }

    /// The same finding on every token of `node` (a path, an expression, a field), not only
    /// on its first one.
    #[must_use]
    pub fn on(mut self, node: &dyn ToTokens) -> Self {
        (self.span, self.end) = token_range(node);
        self
    }

    /// The same finding underlined from its `span` through `end`.
    #[must_use]
    pub fn through(mut self, end: Span) -> Self {
        self.end = end;
        self
    }

    /// The finding as a `compile_error!` invocation covering `span` through `end`: the
    /// macro's path carries the first span and its delimited argument the last, and rustc
    /// reports an error of a macro call on the whole call, so it underlines the range (what
    /// `syn::Error::new_spanned` does; one span cannot cover several tokens on stable).
    #[must_use]
    pub fn to_compile_error(&self) -> TokenStream {
        let path = quote_spanned!(self.span=> ::core::compile_error!);
        let mut message = Literal::string(&self.message());
        message.set_span(self.end);
        let mut group = Group::new(Delimiter::Brace, TokenTree::Literal(message).into());
        group.set_span(self.end);
        let mut out = path;
        out.extend([TokenTree::Group(group)]);
        out
    }

    /// The severity, from the code.
    #[must_use]
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// The message in the contract's form: a headline, then `= why:` and `= fix:` lines,
    /// each wrapped at a readable width.
    #[must_use]
    pub fn message(&self) -> String {
        format!(
            "[distaudit {} {}] {}\n= why: {}\n= fix: {}",
            self.code,
            self.severity(),
            self.what,
            wrap(&self.why),
            wrap(&self.fix)
        )
    }
}

/// The spans of the first and the last token of `node` (the call site for no tokens).
#[must_use]
pub fn token_range(node: &dyn ToTokens) -> (Span, Span) {
    let mut tokens = node.to_token_stream().into_iter();
    let Some(first) = tokens.next() else {
        return (Span::call_site(), Span::call_site());
    };
    let last = tokens.last().map_or_else(|| first.span(), |t| t.span());
    (first.span(), last)
}

/// The width a `why` or `fix` line is wrapped at.
const WIDTH: usize = 100;

/// Words joined into lines of at most [`WIDTH`] characters; continuation lines are indented
/// under the text of `= why: `.
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if line > 0 && line + 1 + len > WIDTH {
            out.push_str("\n       ");
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The locked decisions a code enforces are the ones its documented `upholds` names
    /// (`D2.1`, `Decision A`, ..), for every code: the record's conflicts and the docs
    /// table cannot disagree.
    #[test]
    fn locked_decisions_are_the_ones_each_code_upholds() {
        for code in Code::all() {
            let upholds = code.upholds();
            let named: Vec<String> = upholds
                .split([',', ' '])
                .filter(|w| {
                    w.starts_with('D')
                        && w[1..].contains('.')
                        && w[1..].replace('.', "").parse::<u32>().is_ok()
                })
                .map(str::to_string)
                .chain(
                    upholds
                        .match_indices("Decision ")
                        .map(|(i, m)| upholds[i + m.len()..].chars().take(1).collect()),
                )
                .collect();
            assert_eq!(
                code.locked_decisions(),
                named.as_slice(),
                "{code}: {upholds}"
            );
        }
        assert_eq!(Code::ShardBounds.locked_decisions(), ["D2.2"]);
    }

    #[test]
    fn codes_are_unique_and_ordered() {
        let numbers: Vec<u16> = Code::all().iter().map(|c| c.number()).collect();
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
