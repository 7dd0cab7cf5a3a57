//! What a message's values may be: text, numbers, and the domain's own
//! types that print as they are named (a path, a namespace kind).

use fluent_bundle::FluentValue;

/// A value a message can take.
pub trait ToArg {
    fn to_arg(&self) -> FluentValue<'static>;
}

impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> FluentValue<'static> {
        (**self).to_arg()
    }
}

macro_rules! as_text {
    ($($t:ty),+) => {$(
        impl ToArg for $t {
            fn to_arg(&self) -> FluentValue<'static> {
                FluentValue::String(self.to_string().into())
            }
        }
    )+};
}

// Numbers as text too: a count or a port prints as it is, with no digit
// grouping that would differ between the languages.
as_text!(str, String, std::borrow::Cow<'_, str>, crate::domain::NamespaceKind);
as_text!(u8, u16, u32, u64, usize, i32, i64);

impl ToArg for std::path::Path {
    fn to_arg(&self) -> FluentValue<'static> {
        FluentValue::String(self.display().to_string().into())
    }
}

impl ToArg for std::path::PathBuf {
    fn to_arg(&self) -> FluentValue<'static> {
        self.as_path().to_arg()
    }
}
