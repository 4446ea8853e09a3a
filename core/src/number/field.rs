//! Length bounds of the platform's API fields.
//!
//! The platform documents every string field as `String(min-max)` and rejects
//! values outside the bounds with result code 1010002. [`Field`] names each
//! field privnum fills, with its documented bounds, so a value can be checked
//! before a request is sent. Lengths count characters.

use crate::error::{Error, ErrorKind, Result};

macro_rules! fields {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal, $min:literal, $max:literal; )*) => {
        /// An API field with documented length bounds.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum Field {
            $( $(#[$doc])* $variant = $code, )*
        }

        impl Field {
            /// Every field, in numeric order.
            pub const ALL: &'static [Self] = &[ $( Self::$variant, )* ];

            /// The field's name as `<interface>.<jsonField>`, e.g. `axb.callerNum`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $( Self::$variant => $name, )* }
            }

            /// The documented bounds `(min, max)` in characters.
            #[must_use]
            pub const fn bounds(self) -> (usize, usize) {
                match self { $( Self::$variant => ($min, $max), )* }
            }

            /// The field with this stable number.
            #[must_use]
            pub const fn from_code(code: u32) -> Option<Self> {
                match code { $( $code => Some(Self::$variant), )* _ => None }
            }

            /// The field with this name (as in [`Field::name`]).
            #[must_use]
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $( $name => Some(Self::$variant), )* _ => None }
            }
        }
    };
}

fields! {
    /// AXB bind/modify `callerNum` (A): String(4-31).
    AxbCallerNum = 1, "axb.callerNum", 4, 31;
    /// AXB bind/modify `calleeNum` (B): String(4-31).
    AxbCalleeNum = 2, "axb.calleeNum", 4, 31;
    /// AXB `relationNum` (X): String(4-31).
    AxbRelationNum = 3, "axb.relationNum", 4, 31;
    /// AXB query `callerNum` / `calleeNum` filters: String(4-128).
    AxbQueryPartyNum = 4, "axb.query.partyNum", 4, 128;
    /// AX `origNum` (A): String(1-32).
    AxOrigNum = 5, "ax.origNum", 1, 32;
    /// AX `privateNum` (X): String(1-32).
    AxPrivateNum = 6, "ax.privateNum", 1, 32;
    /// AX temporary callee `origNum`: String(4-31).
    AxTempCalleeOrigNum = 7, "ax.calleenumber.origNum", 4, 31;
    /// AXE `bindNum` (A): String(1-32).
    AxeBindNum = 8, "axe.bindNum", 1, 32;
    /// AXE `virtualNum` (X): String(1-32).
    AxeVirtualNum = 9, "axe.virtualNum", 1, 32;
    /// AXE `callbackNum`: String(1-32).
    AxeCallbackNum = 10, "axe.callbackNum", 1, 32;
    /// AXE `extendNum`: String(1-4).
    AxeExtendNum = 11, "axe.extendNum", 1, 4;
    /// AXYB `origNum` (A for AX bind, B for YB bind): String(1-32).
    AxybOrigNum = 12, "axyb.origNum", 1, 32;
    /// AXYB `app_key` query parameter: String(1-128).
    AxybAppKey = 13, "axyb.app_key", 1, 128;
    /// X-mode reply `connectInfo.calleeNum`: String(4-31).
    XCalleeNum = 14, "x.connectInfo.calleeNum", 4, 31;
    /// X-mode reply `connectInfo.displayCalleeNum`: String(4-31).
    XDisplayCalleeNum = 15, "x.connectInfo.displayCalleeNum", 4, 31;
    /// SMS Block reply `message.called` / `message.calling`: String(1-64).
    SmsMessageNum = 16, "sms.message.number", 1, 64;
    /// VoiceCall `displayNbr`: String(4-31).
    VoiceDisplayNbr = 17, "voice.displayNbr", 4, 31;
    /// VoiceCall `calleeNbr`: String(4-31).
    VoiceCalleeNbr = 18, "voice.calleeNbr", 4, 31;
    /// VoiceCall `verifyCode`: String(2-8).
    VoiceVerifyCode = 19, "voice.verifyCode", 2, 8;
    /// `subscriptionId` of every mode: String(1-64).
    SubscriptionId = 20, "subscriptionId", 1, 64;
    /// `userData`: String(1-256).
    UserData = 21, "userData", 1, 256;
    /// `sessionId` (call-leg id, and call stop's `sessionid`): String(1-256).
    SessionId = 22, "sessionId", 1, 256;
    /// Audio file names (`recordHintTone`, `callbackTone`, `preTone`, …): String(1-128).
    ToneFile = 23, "toneFile", 1, 128;
    /// Recording download `fileName`: String(1-128).
    RecordFileName = 24, "record.fileName", 1, 128;
    /// Recording download `recordDomain`: String(1-128).
    RecordDomain = 25, "record.recordDomain", 1, 128;
    /// `areaCode` of AXB bind: String(0-32).
    AreaCode = 26, "areaCode", 0, 32;
    /// X-AKSK / X-WSSE `Nonce`: 1-128 characters.
    Nonce = 27, "nonce", 1, 128;
}

impl Field {
    /// Check that `value` fits this field's length bounds.
    pub fn check(self, value: &str) -> Result<()> {
        let (min, max) = self.bounds();
        // Fast path: for ASCII the byte length is the character count.
        let len = if value.is_ascii() {
            value.len()
        } else {
            value.chars().count()
        };
        if len < min || len > max {
            return Err(Error::new(
                ErrorKind::FieldOutOfBounds,
                format!(
                    "{} takes {min} to {max} characters; the value has {len}",
                    self.name()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_round_trip() {
        for &f in Field::ALL {
            assert_eq!(Field::from_code(f as u32), Some(f));
            assert_eq!(Field::from_name(f.name()), Some(f));
            let (min, max) = f.bounds();
            assert!(min <= max);
        }
    }
}
