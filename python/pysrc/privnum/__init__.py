"""privnum: an embeddable engine for privacy-number telephony.

Phone numbers::

    >>> import privnum
    >>> n = privnum.parse_number("+86 138-0000-0021")
    >>> n                      # repr() and str() are masked, so logs stay clean
    Number('+86138****0021', class='mobile')
    >>> n.e164                 # the real number
    '+8613800000021'
    >>> n.number_class is privnum.NumberClass.MOBILE
    True

Signing a request to the platform and verifying a push from it::

    >>> signer = privnum.Signer("appkey", "secret")
    >>> headers = signer.sign()                   # fresh nonce, current time
    >>> sorted(headers.as_dict())
    ['Authorization', 'X-AKSK']
    >>> verifier = privnum.Verifier("appkey", "secret")
    >>> verifier.verify(headers.as_dict()).scheme
    'aksk'

Every error is a :class:`PrivnumError` subclass named after its kind
(``NUMBER_EMPTY`` → :class:`NumberEmptyError`) with ``.code`` and ``.kind``;
:data:`ERROR_KINDS` maps each kind's name to its class.

Everything here is implemented in Rust (``privnum._native``); import it from
``privnum`` only.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final, Mapping

from ._native import (
    AuthBadDigestError,
    AuthError,
    PushError,
    PushInvalidJsonError,
    PushMissingFieldError,
    PushWrongTypeError,
    PushInvalidValueError,
    PushUnknownKindError,
    PushTooLargeError,
    ReplyInvalidError,
    AuthHeaders,
    AuthMalformedError,
    AuthMissingError,
    AuthReplayedError,
    AuthStaleError,
    AuthWrongKeyError,
    Field,
    FieldOutOfBoundsError,
    InsufficientSizeError,
    InvalidAppKeyError,
    InvalidAppSecretError,
    InvalidArgumentError,
    InvalidCreatedError,
    InvalidNonceError,
    InvalidParametersError,
    InvalidUtf8Error,
    NullParameterError,
    Number,
    NumberClass,
    NumberEmptyError,
    NumberError,
    NumberInvalidCharacterError,
    NumberInvalidForCountryError,
    NumberMisplacedPlusError,
    NumberMissingCountryCodeError,
    NumberTooLongError,
    NumberTooShortError,
    NumberUnknownCountryCodeError,
    PanicError,
    ParamsProfile,
    ParamsVerified,
    ParamsVerifier,
    PrivnumError,
    RandomUnavailableError,
    Signer,
    SigningError,
    Verified,
    Verifier,
    check_field,
    encode_param,
    format_created,
    generate_nonce,
    parse_created,
    parse_number,
    parse_numbers,
    sign_params,
    string_to_sign,
    unix_now,
)
from ._native import ERROR_KINDS as _ERROR_KINDS
from ._native import __version__ as __version__

#: Every error kind's name (``"NUMBER_EMPTY"``) mapped to its exception class
#: (:class:`NumberEmptyError`), read-only.
ERROR_KINDS: Final[Mapping[str, type[PrivnumError]]] = MappingProxyType(dict(_ERROR_KINDS))

__all__ = [
    # numbers
    "Number",
    "NumberClass",
    "Field",
    "parse_number",
    "parse_numbers",
    "check_field",
    # request signing and verification
    "Signer",
    "AuthHeaders",
    "Verifier",
    "Verified",
    "format_created",
    "parse_created",
    "generate_nonce",
    "unix_now",
    # sorted-parameter signatures
    "ParamsProfile",
    "ParamsVerifier",
    "ParamsVerified",
    "sign_params",
    "string_to_sign",
    "encode_param",
    # errors
    "ERROR_KINDS",
    "PrivnumError",
    "NumberError",
    "SigningError",
    "AuthError",
    "PushError",
    "PushInvalidJsonError",
    "PushMissingFieldError",
    "PushWrongTypeError",
    "PushInvalidValueError",
    "PushUnknownKindError",
    "PushTooLargeError",
    "ReplyInvalidError",
    "NullParameterError",
    "PanicError",
    "InsufficientSizeError",
    "InvalidUtf8Error",
    "InvalidArgumentError",
    "RandomUnavailableError",
    "NumberEmptyError",
    "NumberInvalidCharacterError",
    "NumberMisplacedPlusError",
    "NumberTooShortError",
    "NumberTooLongError",
    "NumberUnknownCountryCodeError",
    "NumberMissingCountryCodeError",
    "NumberInvalidForCountryError",
    "FieldOutOfBoundsError",
    "InvalidAppKeyError",
    "InvalidAppSecretError",
    "InvalidNonceError",
    "InvalidCreatedError",
    "InvalidParametersError",
    "AuthMissingError",
    "AuthMalformedError",
    "AuthWrongKeyError",
    "AuthBadDigestError",
    "AuthStaleError",
    "AuthReplayedError",
]
