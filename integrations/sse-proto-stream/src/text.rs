//! `Text`: UTF-8 held in a [`Bytes`], so a value can share the chunk it was
//! read from instead of being copied into a `String`.

use core::borrow::Borrow;
use core::fmt;
use core::ops::Deref;

use bytes::Bytes;

/// An immutable UTF-8 string backed by [`Bytes`]: cloning and slicing share
/// the buffer, and a value cut from a received chunk costs no copy.
///
/// It dereferences to [`str`], so everything `&str` does works on it.
///
/// ```
/// use sse_proto_stream::Text;
///
/// let text = Text::from_static("hello");
/// assert_eq!(text, "hello");
/// assert_eq!(text.len(), 5);
/// assert!(text.starts_with("he")); // any `str` method
/// let shared = text.clone(); // no copy: both point at the same bytes
/// assert_eq!(shared.as_str().as_ptr(), text.as_str().as_ptr());
/// ```
// Hash is written out: `Borrow<str>` needs it to hash as `str` does.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Text(Bytes);

impl Text {
    /// The empty string (no allocation).
    #[must_use]
    pub const fn new() -> Self {
        Self(Bytes::new())
    }

    /// A text pointing at a string literal (no allocation).
    ///
    /// ```
    /// # use sse_proto_stream::Text;
    /// assert_eq!(Text::from_static("message").as_str(), "message");
    /// ```
    #[must_use]
    pub const fn from_static(text: &'static str) -> Self {
        Self(Bytes::from_static(text.as_bytes()))
    }

    /// The part of `buffer` that `text` is, shared, or `None` when `text`
    /// does not lie inside `buffer`'s bytes.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use sse_proto_stream::Text;
    ///
    /// let chunk = Bytes::from_static(b"data: hi\n\n");
    /// let value = std::str::from_utf8(&chunk[6..8]).unwrap();
    /// let text = Text::shared_from(&chunk, value).unwrap();
    /// assert_eq!(text, "hi");
    /// assert!(Text::shared_from(&chunk, "elsewhere").is_none());
    /// ```
    #[must_use]
    pub fn shared_from(buffer: &Bytes, text: &str) -> Option<Self> {
        // Addresses compared as numbers: `slice_ref` panics on a slice from
        // elsewhere, so it is only called once the bounds are known good.
        let offset = (text.as_ptr() as usize).checked_sub(buffer.as_ptr() as usize)?;
        let end = offset.checked_add(text.len())?;
        (end <= buffer.len()).then(|| Self(buffer.slice_ref(text.as_bytes())))
    }

    /// Wraps bytes copied from a `&str`. Only for this crate, which keeps
    /// the promise that they are UTF-8.
    pub(crate) fn from_utf8_copy(bytes: Bytes) -> Self {
        debug_assert!(core::str::from_utf8(&bytes).is_ok());
        Self(bytes)
    }

    /// The text as a `&str`.
    #[must_use]
    #[inline]
    pub fn as_str(&self) -> &str {
        // Every constructor takes its bytes from a `&str` (whole, a
        // sub-slice whose bounds `Bytes::slice_ref` copies, or a copy of
        // one) or from a `String`, and `Bytes` never changes them, so this
        // cannot fail. It checks anyway, unchecked conversion being off limits: the
        // companion crates are safe code, and `from_utf8` runs at memory
        // speed on the short values of an event.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The underlying bytes, shared.
    #[must_use]
    pub fn as_bytes(&self) -> &Bytes {
        &self.0
    }

    /// The underlying [`Bytes`] (no copy).
    #[must_use]
    pub fn into_bytes(self) -> Bytes {
        self.0
    }
}

impl Deref for Text {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl core::hash::Hash for Text {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for Text {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self(Bytes::from(text))
    }
}

impl From<&'static str> for Text {
    fn from(text: &'static str) -> Self {
        Self::from_static(text)
    }
}

impl From<Text> for Bytes {
    fn from(text: Text) -> Self {
        text.0
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_from_accepts_only_slices_inside() {
        let chunk = Bytes::from(b"abcdef".to_vec());
        let whole = core::str::from_utf8(&chunk).unwrap();
        assert_eq!(Text::shared_from(&chunk, whole).unwrap(), "abcdef");
        assert_eq!(Text::shared_from(&chunk, &whole[6..]).unwrap(), "");
        assert_eq!(Text::shared_from(&chunk, &whole[2..4]).unwrap(), "cd");
        let other = String::from("abcdef");
        assert!(Text::shared_from(&chunk, &other).is_none());
        assert!(Text::shared_from(&Bytes::new(), "x").is_none());
    }
}
