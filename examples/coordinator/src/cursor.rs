//! The two-layer cursor (D2.1) and the rules a checkpoint must follow: it never moves
//! backwards (D2.3), never leaves its shard (D2.4) and always carries a key (D2.5).

use crate::shard::ShardSpec;
use distaudit::{KeyRange, coordination};
use std::fmt;

#[cfg(test)]
use crate::testkit;

/// Where a scan of a shard stands, in two layers:
///
/// - `last_key`: the key of the last item fully processed. The coordinator reads it to
///   enforce monotonic progress and shard bounds, and to report progress.
/// - `token`: the data source's own resume state (a page token, an offset). The
///   coordinator stores it and hands it back, and never looks inside.
///
/// A fresh cursor has neither. There is no third layer: anything else the source needs to
/// resume goes into the token.
#[coordination(
    pattern = "cursor",
    cite = "bacon-2017",
    cite = "akidau-2015",
    implements = "D2.1",
    implements = "D3.3"
)]
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    last_key: Option<Box<[u8]>>,
    token: Option<Box<[u8]>>,
}

impl Cursor {
    /// The cursor of a shard nobody has scanned yet.
    #[must_use]
    pub fn initial() -> Self {
        Self::default()
    }

    /// A cursor at `last_key`, with no resume token.
    #[must_use]
    pub fn at(last_key: &[u8]) -> Self {
        Self { last_key: Some(last_key.into()), token: None }
    }

    /// A cursor at `last_key` with the source's resume `token`.
    #[must_use]
    pub fn with_token(last_key: &[u8], token: &[u8]) -> Self {
        Self { last_key: Some(last_key.into()), token: Some(token.into()) }
    }

    /// Any combination of layers, unchecked: what a worker might send. The coordinator
    /// decides whether it is an acceptable checkpoint (see [`check_advance`]).
    #[must_use]
    pub fn from_parts(last_key: Option<Box<[u8]>>, token: Option<Box<[u8]>>) -> Self {
        Self { last_key, token }
    }

    /// The key of the last item fully processed, if any.
    #[must_use]
    pub fn last_key(&self) -> Option<&[u8]> {
        self.last_key.as_deref()
    }

    /// The source's resume token, if any.
    #[must_use]
    pub fn token(&self) -> Option<&[u8]> {
        self.token.as_deref()
    }
}

/// Tokens are opaque and keys may be secrets: the debug form shows only lengths.
impl fmt::Debug for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = |v: &Option<Box<[u8]>>| v.as_ref().map(|b| b.len());
        f.debug_struct("Cursor")
            .field("last_key_len", &len(&self.last_key))
            .field("token_len", &len(&self.token))
            .finish()
    }
}

/// Why a checkpoint's cursor was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CursorError {
    /// The cursor has no `last_key` (D2.5: a checkpoint says where to resume).
    MissingKey,
    /// The `last_key` is empty, which is not a key of the keyspace.
    EmptyKey,
    /// The `last_key` is below the recorded one (D2.3).
    Regression,
    /// The `last_key` is outside the shard's `[start, end)` (D2.4).
    OutOfBounds,
}

impl fmt::Display for CursorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::MissingKey => "the checkpoint carries no last_key (D2.5)",
            Self::EmptyKey => "the checkpoint's last_key is empty",
            Self::Regression => "the checkpoint's last_key is below the recorded one (D2.3)",
            Self::OutOfBounds => "the checkpoint's last_key is outside the shard (D2.4)",
        })
    }
}

impl std::error::Error for CursorError {}

/// Decide whether `next` may replace `current` as the cursor of a shard with range `spec`,
/// and return the key it advances to.
///
/// Equal keys are accepted: a retried checkpoint at the same position is progress of zero,
/// not a regression.
///
/// # Errors
/// [`CursorError`] naming the decision the cursor would break.
#[coordination(
    pattern = "cursor",
    cite = "bacon-2017",
    cite = "akidau-2015",
    implements = "D2.3",
    implements = "D2.4",
    implements = "D2.5",
    invariant(holds = "current.last_key().is_none_or(|k| k <= ret)"),
    invariant(holds = "spec.contains_key(ret)"),
    test(
        cases = 128,
        strategy(
            current = "testkit::cursor()",
            next = "testkit::cursor()",
            spec = "testkit::spec()"
        )
    )
)]
pub fn check_advance<'a>(
    current: &Cursor,
    next: &'a Cursor,
    spec: &ShardSpec,
) -> Result<&'a [u8], CursorError> {
    let key = next.last_key().ok_or(CursorError::MissingKey)?;
    if key.is_empty() {
        return Err(CursorError::EmptyKey);
    }
    if current.last_key().is_some_and(|old| key < old) {
        return Err(CursorError::Regression);
    }
    if !spec.contains_key(key) {
        return Err(CursorError::OutOfBounds);
    }
    Ok(key)
}
