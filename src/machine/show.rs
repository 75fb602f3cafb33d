//! How a call prints: `name(param = value, ..)`, each value described as woven checks
//! describe values (the runtime's describers): keys by length and fingerprint, integers and
//! integer newtypes in clear, anything else by the fingerprint of its `Debug` form.

use crate::runtime::Describer;
use std::fmt::{self, Debug, Formatter};

/// Write one call as `name(param = value, ..)`; generated `Debug` impls of call enums use it,
/// with each value wrapped by `__arg!`.
///
/// # Errors
/// Those of the formatter.
pub fn call(f: &mut Formatter<'_>, name: &str, args: &[(&str, &dyn Debug)]) -> fmt::Result {
    f.write_str(name.trim_start_matches("r#"))?;
    f.write_str("(")?;
    for (index, (param, value)) in args.iter().enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{} = {value:?}", param.trim_start_matches("r#"))?;
    }
    f.write_str(")")
}

/// One argument of a call, with its describer chosen where its type is concrete.
pub struct Shown<'a, T: ?Sized> {
    value: &'a T,
    describe: Describer<T>,
}

impl<'a, T: ?Sized> Shown<'a, T> {
    /// `value`, described by `describe`.
    #[must_use]
    pub fn new(value: &'a T, describe: Describer<T>) -> Self {
        Shown { value, describe }
    }
}

impl<T: ?Sized> Debug for Shown<'_, T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe.show(self.value))
    }
}

/// One argument of a call, for [`call`]: `__arg!(key)` with `key: &T` describes the value
/// as a woven check would (`len 8 #5c3f..`, `7`, `FenceEpoch(2)`, `[len 1 #.., len 1 #..)`).
#[macro_export]
#[doc(hidden)]
macro_rules! __arg {
    ($value:expr) => {{
        let value = $value;
        $crate::__private::machine::Shown::new(value, $crate::__private::probe(value).describer())
    }};
}
