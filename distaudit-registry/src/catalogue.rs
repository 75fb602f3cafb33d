//! The names the engine must know by heart, typed: the anti-patterns, the invariant kinds
//! and the roles of fields. Everything else (citations, patterns, decisions) is data in the
//! registry. Each table here is the one place its facts are written.

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

macro_rules! anti_patterns {
    ($( $(#[$doc:meta])* $variant:ident = $number:literal, $slug:literal, code $code:literal, $sev:ident, $title:literal, checklist $checklist:literal; )*) => {
        /// One of the prohibited anti-patterns. The registry's `anti_patterns.toml` holds the
        /// text (statement, why, fix, sources); this enum is what code matches on.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum AntiPattern {
            $( $(#[$doc])* $variant, )*
        }

        impl AntiPattern {
            /// Every anti-pattern, in the order of their numbers.
            pub const ALL: &'static [AntiPattern] = &[$(AntiPattern::$variant),*];

            /// The prohibition's number (1-based, as reviewers cite it).
            #[must_use]
            pub fn number(self) -> u8 {
                match self { $(AntiPattern::$variant => $number,)* }
            }

            /// The `allow(..)` key, e.g. `wall_clock`.
            #[must_use]
            pub fn slug(self) -> &'static str {
                match self { $(AntiPattern::$variant => $slug,)* }
            }

            /// The number of the diagnostic code its findings carry (`DA00NN`).
            #[must_use]
            pub fn code_number(self) -> u16 {
                match self { $(AntiPattern::$variant => $code,)* }
            }

            /// How a finding of this anti-pattern affects the build.
            #[must_use]
            pub fn severity(self) -> Severity {
                match self { $(AntiPattern::$variant => Severity::$sev,)* }
            }

            /// A one-line title for the codes table.
            #[must_use]
            pub fn title(self) -> &'static str {
                match self { $(AntiPattern::$variant => $title,)* }
            }

            /// The line of a design record's Anti-Pattern Check, as `report-formats.md`
            /// words it and reviewers search for it (`No unbounded queues`).
            #[must_use]
            pub fn checklist_line(self) -> &'static str {
                match self { $(AntiPattern::$variant => $checklist,)* }
            }
        }
    };
}

anti_patterns! {
    /// A home-grown consensus or leader election (found by pattern, with Decision A).
    NovelConsensus = 1, "novel_consensus", code 35, Block, "custom leader election or consensus",
        checklist "No novel consensus protocols";
    /// Timestamps from different machines compared as if their clocks agreed.
    ClockSync = 2, "clock_sync", code 42, Warn, "synchronized-clock assumption",
        checklist "No clock synchronization assumptions";
    /// A timeout or missing reply treated as a failure without suspicion.
    NoResponseIsFailure = 3, "no_response_is_failure", code 43, Warn, "no response treated as failure",
        checklist "No conflating \"no response\" with \"failure\"";
    /// An unbounded queue.
    UnboundedQueue = 4, "unbounded_queue", code 44, Block, "unbounded queue",
        checklist "No unbounded queues";
    /// A wall clock read where safety is decided.
    WallClock = 5, "wall_clock", code 45, Block, "wall-clock read in a safety decision",
        checklist "No wall-clock timeouts for correctness";
    /// The result of submitting work thrown away.
    SilentDrop = 6, "silent_drop", code 46, Block, "silently dropped work",
        checklist "No silent work drops";
    /// A network operation assumed to succeed.
    NetworkReliability = 7, "network_reliability", code 47, Warn, "network assumed reliable",
        checklist "No network reliability assumptions";
}

impl AntiPattern {
    /// The anti-patterns that apply to code of no pattern (what `cargo distaudit` checks in
    /// un-annotated code outside every family): all but `wall_clock`, since a clock read
    /// decides safety only in code that decides safety.
    #[must_use]
    pub fn outside_any_pattern() -> Vec<AntiPattern> {
        AntiPattern::ALL
            .iter()
            .copied()
            .filter(|a| *a != AntiPattern::WallClock)
            .collect()
    }

    /// The anti-pattern with this `allow(..)` key.
    #[must_use]
    pub fn from_slug(slug: &str) -> Option<AntiPattern> {
        AntiPattern::ALL.iter().copied().find(|a| a.slug() == slug)
    }

    /// Every slug, in order (for did-you-mean and messages).
    #[must_use]
    pub fn slugs() -> Vec<&'static str> {
        AntiPattern::ALL.iter().map(|a| a.slug()).collect()
    }

    /// How many prohibitions there are, in words for prose ("the seven anti-patterns").
    #[must_use]
    pub fn count_in_words() -> &'static str {
        const WORDS: [&str; 13] = [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve",
        ];
        WORDS.get(AntiPattern::ALL.len()).copied().unwrap_or("the")
    }
}

impl fmt::Display for AntiPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// The locked decision whose patterns must name a proven `backend` (Decision A: no custom
/// leader election or consensus). Which patterns it governs is registry data.
pub const PROVEN_BACKEND_DECISION: &str = "A";

/// A kind of woven-in runtime check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Monotonic,
    StrictlyIncreasing,
    NeverNone,
    Within,
    Holds,
}

/// What a check upholds when the annotation does not say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultUpholds {
    /// A locked decision of the default registry (`D2.3`).
    Decision(&'static str),
    /// The rule of a pattern that is not a locked decision (fence epochs: `fencing`).
    PatternRule(&'static str),
    /// Nothing by default: a `holds` says what it upholds with `upholds = ".."`.
    Nothing,
}

/// One row of the invariant-kind table.
#[derive(Debug)]
pub struct KindSpec {
    pub kind: Kind,
    /// As written in `invariant(<name> = ..)`.
    pub name: &'static str,
    /// What is checked, in words (before = value on entry, after = value on exit).
    pub checks: &'static str,
    /// Whether the check compares an entry value with the exit value (then `ret`, which
    /// has no entry value, cannot be named).
    pub compares_entry_and_exit: bool,
    /// Whether the check runs on successful exits only (`Ok`/`Some`) by default.
    pub success_only: bool,
    /// The decision it upholds when the annotation does not say.
    pub upholds: DefaultUpholds,
    /// What the expressions' types must provide.
    pub needs: &'static str,
    /// The verification a reviewer should expect for it.
    pub verification: &'static str,
}

/// The invariant kinds, one row each: parsing, rules, weaving and docs read this table.
pub const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: Kind::Monotonic,
        name: "monotonic",
        checks: "after >= before",
        compares_entry_and_exit: true,
        success_only: false,
        upholds: DefaultUpholds::Decision("D2.3"),
        needs: "`Clone + PartialOrd` (for `Option`, `None < Some`)",
        verification: "property test: for any sequence of calls, the value never decreases",
    },
    KindSpec {
        kind: Kind::StrictlyIncreasing,
        name: "strictly_increasing",
        checks: "after > before (every successful call issues a new, larger value)",
        compares_entry_and_exit: true,
        success_only: true,
        upholds: DefaultUpholds::PatternRule("fencing"),
        needs: "`Clone + PartialOrd`",
        verification: "property test: every successful call issues a larger value than any before it",
    },
    KindSpec {
        kind: Kind::NeverNone,
        name: "never_none",
        checks: "once `Some`, stays `Some`",
        compares_entry_and_exit: true,
        success_only: false,
        upholds: DefaultUpholds::Decision("D2.5"),
        needs: "an `Option`",
        verification: "property test: once a checkpoint holds a key, no call resets it to None",
    },
    KindSpec {
        kind: Kind::Within,
        name: "within",
        checks: "`start <= key < end` (empty end = unbounded; checked when key and range are both present)",
        compares_entry_and_exit: false,
        success_only: false,
        upholds: DefaultUpholds::Decision("D2.4"),
        needs: "a `LexKey` key and a `KeyRange` range, possibly in `Option`",
        verification: "property test: for any key the call accepts, the key lies in the half-open range",
    },
    KindSpec {
        kind: Kind::Holds,
        name: "holds",
        checks: "true on entry and on exit (on successful exit only if it names `ret`)",
        compares_entry_and_exit: false,
        success_only: false,
        upholds: DefaultUpholds::Nothing,
        needs: "a `bool` expression",
        verification: "property test: the condition holds after any sequence of calls",
    },
];

impl Kind {
    /// Every kind, in table order.
    pub const ALL: [Kind; 5] = [
        Kind::Monotonic,
        Kind::StrictlyIncreasing,
        Kind::NeverNone,
        Kind::Within,
        Kind::Holds,
    ];

    /// This kind's row of [`KINDS`].
    #[must_use]
    pub fn spec(self) -> &'static KindSpec {
        // The table lists the kinds in enum order; `catalogue_is_consistent` tests it.
        &KINDS[self as usize]
    }

    /// As written in the annotation.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The kind with this name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Kind> {
        KINDS.iter().find(|k| k.name == name).map(|k| k.kind)
    }

    /// Every kind's name (for did-you-mean and messages).
    #[must_use]
    pub fn names() -> Vec<&'static str> {
        KINDS.iter().map(|k| k.name).collect()
    }
}

/// The role a field plays in a cursor or shard struct.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The cursor's key layer (D2.1).
    LastKey,
    /// The cursor's opaque token layer (D2.1).
    Token,
    /// The shard's inclusive lower bound (D2.2).
    Start,
    /// The shard's exclusive upper bound (D2.2).
    End,
    /// The field holding a `KeyRange`, in a struct that carries a shard range but is not one
    /// (a split plan, a lease over a shard).
    Range,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::LastKey,
        Role::Token,
        Role::Start,
        Role::End,
        Role::Range,
    ];

    /// As written in `fields(<role> = ..)`, and the default field name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Role::LastKey => "last_key",
            Role::Token => "token",
            Role::Start => "start",
            Role::End => "end",
            Role::Range => "range",
        }
    }

    /// The role with this name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// Every role's name.
    #[must_use]
    pub fn names() -> Vec<&'static str> {
        Role::ALL.iter().map(|r| r.name()).collect()
    }

    /// The pattern whose structs have this role.
    #[must_use]
    pub fn pattern(self) -> &'static str {
        match self {
            Role::LastKey | Role::Token => "cursor",
            Role::Start | Role::End | Role::Range => "shard",
        }
    }

    /// What the role is, in words.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Role::LastKey => "key layer",
            Role::Token => "token layer",
            Role::Start => "start bound",
            Role::End => "end bound",
            Role::Range => "carried range",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One box of the reviewer's Monotonicity & Ordering Check: ticked only where a declared
/// check upholds one of `decisions` or the pattern `rule` (the defaults of [`KINDS`] and a
/// check's own `upholds`), on an item the engine accepts (an item with a BLOCK does not
/// compile, so its checks hold nothing).
pub struct OrderingCheck {
    pub label: &'static str,
    /// The locked decisions the proving checks uphold (as the engine attributes them).
    pub decisions: &'static [&'static str],
    /// Or the pattern rule they uphold, for a box no locked decision covers.
    pub rule: Option<&'static str>,
    /// The pattern whose code makes the box relevant.
    pub pattern: &'static str,
}

/// The checklist's boxes, in the report's order: the one place they are written.
pub const ORDERING_CHECKS: [OrderingCheck; 4] = [
    OrderingCheck {
        label: "Cursor advancement: `new_key >= old_key` enforced",
        decisions: &["D2.3"],
        rule: None,
        pattern: "cursor",
    },
    OrderingCheck {
        label: "Epoch/fence tokens: monotonically increasing, no reuse",
        decisions: &[],
        rule: Some("fencing"),
        pattern: "fencing",
    },
    OrderingCheck {
        label: "Shard bounds: half-open [start, end), start < end",
        decisions: &["D2.2", "D2.4"],
        rule: None,
        pattern: "shard",
    },
    OrderingCheck {
        label: "Checkpoint regression: no regression of last_key to None (D2.5)",
        decisions: &["D2.5"],
        rule: None,
        pattern: "cursor",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_of_no_pattern_is_checked_for_all_but_the_wall_clock() {
        let set = AntiPattern::outside_any_pattern();
        assert!(!set.contains(&AntiPattern::WallClock));
        assert_eq!(set.len(), AntiPattern::ALL.len() - 1);
    }

    #[test]
    fn catalogue_is_consistent() {
        for (i, k) in Kind::ALL.iter().enumerate() {
            assert_eq!(KINDS[i].kind, *k, "KINDS must list the kinds in enum order");
            assert_eq!(Kind::from_name(k.name()), Some(*k));
        }
        assert_eq!(KINDS.len(), Kind::ALL.len());
        for (i, a) in AntiPattern::ALL.iter().enumerate() {
            assert_eq!(
                usize::from(a.number()),
                i + 1,
                "anti-patterns are numbered in order"
            );
            assert_eq!(AntiPattern::from_slug(a.slug()), Some(*a));
        }
        assert_eq!(AntiPattern::count_in_words(), "seven");
        for r in Role::ALL {
            assert_eq!(Role::from_name(r.name()), Some(r));
        }
    }
}
