//! Bilingual text: every user-facing string exists in Norwegian bokmål and English.

use serde::{Deserialize, Serialize};

/// The two languages of the product. Bokmål is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Norwegian bokmål.
    #[default]
    Nb,
    /// English.
    En,
}

/// A static text in both languages; both fields are required so neither can be forgotten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Text {
    /// Norwegian bokmål.
    pub nb: &'static str,
    /// English.
    pub en: &'static str,
}

impl<'de> Deserialize<'de> for Text {
    /// A text written by this program read back (`quality::statics`).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Owned {
            nb: String,
            en: String,
        }
        let Owned { nb, en } = Owned::deserialize(d)?;
        use crate::quality::statics::make_static;
        Ok(Text {
            nb: make_static(nb),
            en: make_static(en),
        })
    }
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Nb => self.nb,
            Lang::En => self.en,
        }
    }
}

/// Makes a text built at start-up (`smi.service.HOME_HEALTH`, a group id with its split suffix)
/// live as long as the registry that holds it. Called only while declarations are built, once
/// per process, so the memory is bounded by the declarations.
pub fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
