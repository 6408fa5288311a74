//! The setters of operation inputs: each field an `Option`, `None` meaning not sent.

/// For each `field: Type`, a `field(value)` setter storing `Some(value.into())`.
macro_rules! setters {
    ($($(#[$doc:meta])* $field:ident: $ty:ty;)*) => {
        $(
            $(#[$doc])*
            pub fn $field(mut self, value: impl Into<$ty>) -> Self {
                self.$field = Some(value.into());
                self
            }
        )*
    };
}
pub(crate) use setters;
