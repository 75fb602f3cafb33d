//! How a call's return value is judged: accepted, or refused with the refusal's name.

use super::Outcome;
use std::fmt::Debug;
use std::marker::PhantomData;

/// The last segment of a type's name, without generics: `CheckpointError`, `String`, `()`.
fn short_type_name<T: ?Sized>() -> &'static str {
    let full = std::any::type_name::<T>();
    let base = full.find('<').map_or(full, |end| &full[..end]);
    base.rsplit("::").next().unwrap_or(base)
}

/// The name of a refusal: the error's `Debug` form up to its first `(`, `{` or space
/// (`OutOfRange { .. }` is `CheckpointError::OutOfRange`), else the type: `Err(String)`.
fn refusal<E: Debug>(error: &E) -> String {
    let shown = format!("{error:?}");
    let head = shown
        .find(['(', '{', ' '])
        .map_or(shown.as_str(), |end| &shown[..end]);
    let short = short_type_name::<E>();
    let is_path = head.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == ':');
    if !is_path {
        format!("Err({short})")
    } else if head == short || head.contains("::") {
        head.to_string()
    } else {
        format!("{short}::{head}")
    }
}

/// Judges a return value, by autoref specialisation, most specific first: a `Result` whose
/// error has `Debug`, any `Result`, an `Option`, anything else (accepted).
pub struct Judge<T: ?Sized>(PhantomData<fn(&T)>);

impl<T: ?Sized> Judge<T> {
    /// The judge for the type of `value`.
    #[must_use]
    pub fn of(_value: &T) -> Self {
        Judge(PhantomData)
    }
}

/// `Ok` accepted; `Err` refused, named by the error's `Debug` form.
pub trait JudgeErrDebug<T: ?Sized> {
    /// How to judge a `T`.
    fn judge(&self) -> fn(&T) -> Outcome;
}
impl<T, E: Debug> JudgeErrDebug<Result<T, E>> for &&&Judge<Result<T, E>> {
    fn judge(&self) -> fn(&Result<T, E>) -> Outcome {
        |r| match r {
            Ok(_) => Outcome::Accepted,
            Err(e) => Outcome::Refused(refusal(e)),
        }
    }
}

/// `Ok` accepted; `Err` refused, named by the error's type.
pub trait JudgeErr<T: ?Sized> {
    /// How to judge a `T`.
    fn judge(&self) -> fn(&T) -> Outcome;
}
impl<T, E> JudgeErr<Result<T, E>> for &&Judge<Result<T, E>> {
    fn judge(&self) -> fn(&Result<T, E>) -> Outcome {
        |r| match r {
            Ok(_) => Outcome::Accepted,
            Err(_) => Outcome::Refused(format!("Err({})", short_type_name::<E>())),
        }
    }
}

/// `Some` accepted; `None` refused.
pub trait JudgeOption<T: ?Sized> {
    /// How to judge a `T`.
    fn judge(&self) -> fn(&T) -> Outcome;
}
impl<T> JudgeOption<Option<T>> for &Judge<Option<T>> {
    fn judge(&self) -> fn(&Option<T>) -> Outcome {
        |o| match o {
            Some(_) => Outcome::Accepted,
            None => Outcome::Refused("None".to_string()),
        }
    }
}

/// Anything else: accepted.
pub trait JudgeAny<T: ?Sized> {
    /// How to judge a `T`.
    fn judge(&self) -> fn(&T) -> Outcome;
}
impl<T: ?Sized> JudgeAny<T> for Judge<T> {
    fn judge(&self) -> fn(&T) -> Outcome {
        |_| Outcome::Accepted
    }
}

/// The [`Outcome`] of a call's return value: `Ok`/`Some`/anything else accepted,
/// `Err`/`None` refused and named (`CheckpointError::OutOfRange`, `None`).
#[macro_export]
#[doc(hidden)]
macro_rules! __outcome {
    ($value:expr) => {{
        #[allow(unused_imports)]
        use $crate::__private::machine::{
            JudgeAny as _, JudgeErr as _, JudgeErrDebug as _, JudgeOption as _,
        };
        let value = $value;
        (&&&&$crate::__private::machine::Judge::of(&value)).judge()(&value)
    }};
}
