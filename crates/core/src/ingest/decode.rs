//! Text encoding: UTF-8 (with or without BOM) or Windows-1252, decided once per file.
//!
//! Valid UTF-8 is borrowed as it is (after the BOM); anything else is decoded as Windows-1252,
//! a superset of ISO-8859-1 for the letters ÆØÅ, which is what Norwegian Excel writes. Bytes that
//! are not valid UTF-8 are never read as UTF-8 with replacement characters, so there is no
//! mojibake either way.

use crate::quality::TextEncoding;
use std::borrow::Cow;

/// Decodes a whole file to text, once.
pub(crate) fn decode(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(s) = std::str::from_utf8(rest) {
            return (Cow::Borrowed(s), TextEncoding::Utf8Bom);
        }
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(s), TextEncoding::Utf8);
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    (text, TextEncoding::Windows1252)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let (t, e) = decode("pid;kjønn\n".as_bytes());
        assert_eq!((t.as_ref(), e), ("pid;kjønn\n", TextEncoding::Utf8));
        assert!(matches!(t, Cow::Borrowed(_)));
        let (t, e) = decode(b"\xEF\xBB\xBFpid;kj\xC3\xB8nn\n");
        assert_eq!((t.as_ref(), e), ("pid;kjønn\n", TextEncoding::Utf8Bom));
    }

    #[test]
    fn windows_1252_letters_are_read_right() {
        // Æ Ø Å æ ø å are C6 D8 C5 E6 F8 E5 in Windows-1252.
        let (t, e) = decode(b"\xC6\xD8\xC5 \xE6\xF8\xE5");
        assert_eq!((t.as_ref(), e), ("ÆØÅ æøå", TextEncoding::Windows1252));
        // A BOM followed by invalid UTF-8 is not UTF-8 after all.
        let (t, e) = decode(b"\xEF\xBB\xBF\xF8");
        assert_eq!(e, TextEncoding::Windows1252);
        assert_eq!(t.as_ref(), "ï»¿ø");
    }
}
