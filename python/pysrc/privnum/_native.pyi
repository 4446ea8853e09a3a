# Hand-written stubs for the Rust extension module privnum._native.
# Checked against the built module by `python -m mypy.stubtest privnum._native`.
# Import everything from `privnum`, never from `privnum._native`.

from collections.abc import Callable, Iterable, Iterator, Mapping
from os import PathLike
from typing import Any, ClassVar, Literal, Protocol, SupportsIndex, TypedDict, final, overload

__version__: str

# ---------------------------------------------------------------- errors

class PrivnumError(Exception):
    """Base class of every error privnum raises."""

    # Defined on every concrete kind class, not on the groups.
    code: ClassVar[int]
    kind: ClassVar[str]
    # The platform resultcode that goes with the error ("1012010"), the
    # request field at fault ("calleeNum") and the HTTP status of the
    # platform response the error was read from; None when the error has none.
    platform_code: str | None
    field: str | None
    http_status: int | None

class NumberError(PrivnumError, ValueError): ...
class SigningError(PrivnumError, ValueError): ...
class AuthError(PrivnumError): ...
class PushError(PrivnumError, ValueError): ...
class EngineError(PrivnumError): ...
class PlatformError(PrivnumError): ...

# 1-99: general and language-boundary errors
class NullParameterError(PrivnumError): ...
class PanicError(PrivnumError): ...
class InsufficientSizeError(PrivnumError): ...
class InvalidUtf8Error(PrivnumError, ValueError): ...
class InvalidArgumentError(PrivnumError, ValueError): ...
class RandomUnavailableError(PrivnumError): ...

# 100-199: numbers and API field bounds
class NumberEmptyError(NumberError): ...
class NumberInvalidCharacterError(NumberError): ...
class NumberMisplacedPlusError(NumberError): ...
class NumberTooShortError(NumberError): ...
class NumberTooLongError(NumberError): ...
class NumberUnknownCountryCodeError(NumberError): ...
class NumberMissingCountryCodeError(NumberError): ...
class NumberInvalidForCountryError(NumberError): ...
class FieldOutOfBoundsError(NumberError): ...

# 200-249: producing signatures
class InvalidAppKeyError(SigningError): ...
class InvalidAppSecretError(SigningError): ...
class InvalidNonceError(SigningError): ...
class InvalidCreatedError(SigningError): ...
class InvalidParametersError(SigningError): ...

# 250-299: verifying signatures on inbound requests
class AuthMissingError(AuthError): ...
class AuthMalformedError(AuthError): ...
class AuthWrongKeyError(AuthError): ...
class AuthBadDigestError(AuthError): ...
class AuthStaleError(AuthError): ...
class AuthReplayedError(AuthError): ...
class PushInvalidJsonError(PushError): ...
class PushMissingFieldError(PushError): ...
class PushWrongTypeError(PushError): ...
class PushInvalidValueError(PushError): ...
class PushUnknownKindError(PushError): ...
class PushTooLargeError(PushError): ...
class ReplyInvalidError(PushError): ...

# 400-449: the binding engine
class RuleViolationError(EngineError): ...
class BindingNotFoundError(EngineError): ...
class InvalidTransitionError(EngineError): ...
class PoolExhaustedError(EngineError): ...
class BindingExistsError(EngineError): ...
class JournalIoError(EngineError, OSError): ...
class JournalCorruptError(EngineError): ...
class InvalidCommandError(EngineError, ValueError): ...

# 500-549: the platform API client
class PlatformRetryError(PlatformError): ...
class PlatformThrottledError(PlatformError): ...
class PlatformInvalidRequestError(PlatformError): ...
class PlatformAuthError(PlatformError): ...
class PlatformClockSkewError(PlatformError): ...
class PlatformConflictError(PlatformError): ...
class PlatformNotFoundError(PlatformError): ...
class PlatformExhaustedError(PlatformError): ...
class PlatformForbiddenError(PlatformError): ...
class PlatformUnknownError(PlatformError): ...
class ResponseInvalidError(PlatformError): ...

# 530-539: sending requests (transport failures, unknown outcomes)
class TransportNotSentError(PlatformError, ConnectionError): ...
class TransportNoResponseError(PlatformError, ConnectionError): ...
class OutcomeUnknownError(PlatformError): ...

ERROR_KINDS: dict[str, type[PrivnumError]]

# ---------------------------------------------------------------- numbers

_NumberClassValue = Literal["mobile", "virtual_operator", "fixed_line", "service", "international"]

@final
class NumberClass:
    """What kind of number this is."""

    MOBILE: ClassVar[NumberClass]
    VIRTUAL_OPERATOR: ClassVar[NumberClass]
    FIXED_LINE: ClassVar[NumberClass]
    SERVICE: ClassVar[NumberClass]
    INTERNATIONAL: ClassVar[NumberClass]
    @property
    def value(self) -> _NumberClassValue: ...
    def __int__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Field:
    """An API field with documented length bounds."""

    AXB_CALLER_NUM: ClassVar[Field]
    AXB_CALLEE_NUM: ClassVar[Field]
    AXB_RELATION_NUM: ClassVar[Field]
    AXB_QUERY_PARTY_NUM: ClassVar[Field]
    AX_ORIG_NUM: ClassVar[Field]
    AX_PRIVATE_NUM: ClassVar[Field]
    AX_TEMP_CALLEE_ORIG_NUM: ClassVar[Field]
    AXE_BIND_NUM: ClassVar[Field]
    AXE_VIRTUAL_NUM: ClassVar[Field]
    AXE_CALLBACK_NUM: ClassVar[Field]
    AXE_EXTEND_NUM: ClassVar[Field]
    AXYB_ORIG_NUM: ClassVar[Field]
    AXYB_APP_KEY: ClassVar[Field]
    X_CALLEE_NUM: ClassVar[Field]
    X_DISPLAY_CALLEE_NUM: ClassVar[Field]
    SMS_MESSAGE_NUM: ClassVar[Field]
    VOICE_DISPLAY_NBR: ClassVar[Field]
    VOICE_CALLEE_NBR: ClassVar[Field]
    VOICE_VERIFY_CODE: ClassVar[Field]
    SUBSCRIPTION_ID: ClassVar[Field]
    USER_DATA: ClassVar[Field]
    SESSION_ID: ClassVar[Field]
    TONE_FILE: ClassVar[Field]
    RECORD_FILE_NAME: ClassVar[Field]
    RECORD_DOMAIN: ClassVar[Field]
    AREA_CODE: ClassVar[Field]
    NONCE: ClassVar[Field]
    @property
    def field_name(self) -> str:
        """The platform's name of the field, e.g. ``"axb.callerNum"``."""
    @property
    def bounds(self) -> tuple[int, int]:
        """The documented length bounds ``(min, max)`` in characters."""
    @classmethod
    def from_name(cls, name: str) -> Field:
        """The field with this platform name; ``InvalidArgumentError`` if unknown."""
    def __int__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Number:
    """A validated phone number. ``repr()``/``str()`` are masked; ``.e164`` is the real number."""

    @property
    def e164(self) -> str: ...
    @property
    def query(self) -> str: ...
    @property
    def masked(self) -> str: ...
    @property
    def national(self) -> str: ...
    @property
    def national_significant(self) -> str: ...
    @property
    def country_code(self) -> int: ...
    @property
    def number_class(self) -> NumberClass: ...
    @property
    def area_code(self) -> str | None: ...
    @property
    def is_bindable(self) -> bool: ...
    @property
    def can_call_x(self) -> bool: ...
    def check_field(self, field: Field | str) -> None: ...
    def to_bits(self) -> int: ...
    @classmethod
    def from_bits(cls, bits: int) -> Number: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Callable[[int], Number], tuple[int]]: ...

def parse_number(text: str, /, *, default_country: int | None = 86) -> Number:
    """Parse what a person typed; raises a ``NumberError`` subclass for bad input."""

def parse_numbers(texts: Iterable[str], /, *, default_country: int | None = 86) -> list[Number]:
    """Parse many numbers with the GIL released; raises on the first bad item."""

def check_field(field: Field | str, value: str) -> None:
    """Raise ``FieldOutOfBoundsError`` unless ``value`` fits ``field``'s length bounds."""

# ---------------------------------------------------------------- signing

_Scheme = Literal["aksk", "wsse"]

class _SupportsStrItems(Protocol):
    def items(self) -> Iterable[tuple[str, str]]: ...

# A mapping (dict, Starlette/werkzeug headers, email.message.Message, ...) or
# an iterable of (name, value) pairs.
_Pairs = _SupportsStrItems | Mapping[str, str] | Iterable[tuple[str, str] | list[str]]

@final
class Signer:
    """Produces signed X-AKSK / X-WSSE headers for one application."""

    def __new__(cls, app_key: str, app_secret: str) -> Signer: ...
    @property
    def app_key(self) -> str: ...
    def sign(
        self,
        scheme: _Scheme = "aksk",
        *,
        nonce: str | None = None,
        created: str | None = None,
        now: int | None = None,
    ) -> AuthHeaders: ...
    def headers(
        self,
        scheme: _Scheme = "aksk",
        *,
        nonce: str | None = None,
        created: str | None = None,
        now: int | None = None,
    ) -> dict[str, str]: ...
    def digest(self, scheme: _Scheme, nonce: str, created: str) -> str: ...

@final
class AuthHeaders:
    """The two headers that authenticate one request."""

    @property
    def scheme(self) -> _Scheme: ...
    @property
    def authorization(self) -> str: ...
    @property
    def header_name(self) -> Literal["X-AKSK", "X-WSSE"]: ...
    @property
    def value(self) -> str: ...
    @property
    def nonce(self) -> str: ...
    @property
    def created(self) -> str: ...
    @property
    def digest(self) -> str: ...
    def as_dict(self) -> dict[str, str]: ...
    def items(self) -> list[tuple[str, str]]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Verifier:
    """Verifies the X-AKSK / X-WSSE headers of requests the platform sends."""

    def __new__(
        cls,
        app_key: str,
        app_secret: str,
        *,
        max_age_secs: int = 21600,
        max_future_secs: int = 300,
        replay_capacity: int = 100000,
        accept_wsse: bool = True,
    ) -> Verifier: ...
    @property
    def app_key(self) -> str: ...
    @property
    def remembered(self) -> int: ...
    def verify(self, headers: _Pairs, /, *, now: int | None = None) -> Verified: ...
    def forget(self, nonce: str) -> None: ...

@final
class Verified:
    """A successfully verified request."""

    @property
    def scheme(self) -> _Scheme: ...
    @property
    def nonce(self) -> str: ...
    @property
    def created(self) -> int: ...
    @property
    def wsse_raw_digest(self) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

def format_created(unix: int, /) -> str: ...
def parse_created(text: str, /) -> int: ...
def generate_nonce() -> str: ...
def unix_now() -> int: ...

# ---------------------------------------------------------------- sorted parameters

_Encoding = Literal["rfc3986", "form"]
_Preset = Literal["call_control", "rpc_v1"]

@final
class ParamsProfile:
    """Which reading of the sorted-parameter scheme to use."""

    @classmethod
    def rpc_v1(cls, method: str) -> ParamsProfile: ...
    @classmethod
    def call_control(cls) -> ParamsProfile: ...
    def replace(
        self,
        *,
        method: str | None = ...,
        encoding: _Encoding = ...,
        key_ampersand: bool = ...,
        skip_empty: bool = ...,
        signature_name: str = ...,
        timestamp_name: str = ...,
        nonce_name: str = ...,
        tolerant: bool = ...,
    ) -> ParamsProfile: ...
    @property
    def method(self) -> str | None: ...
    @property
    def encoding(self) -> _Encoding: ...
    @property
    def key_ampersand(self) -> bool: ...
    @property
    def skip_empty(self) -> bool: ...
    @property
    def signature_name(self) -> str: ...
    @property
    def timestamp_name(self) -> str: ...
    @property
    def nonce_name(self) -> str: ...
    @property
    def tolerant(self) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class ParamsVerifier:
    """Verifies sorted-parameter signatures, with freshness and replay checks."""

    def __new__(
        cls,
        profile: ParamsProfile | _Preset,
        secret: str,
        *,
        max_age_secs: int = 21600,
        max_future_secs: int = 300,
        replay_capacity: int = 100000,
    ) -> ParamsVerifier: ...
    @property
    def profile(self) -> ParamsProfile: ...
    def verify(self, params: _Pairs, /, *, now: int | None = None) -> ParamsVerified: ...
    def forget(self, nonce: str) -> None: ...

@final
class ParamsVerified:
    """A successful sorted-parameter verification."""

    @property
    def profile(self) -> ParamsProfile: ...
    @property
    def encoding(self) -> _Encoding: ...
    @property
    def key_ampersand(self) -> bool: ...
    @property
    def timestamp(self) -> int | None: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

def sign_params(
    params: _Pairs, /, secret: str, *, profile: ParamsProfile | _Preset = "call_control"
) -> str: ...
def string_to_sign(params: _Pairs, /, *, profile: ParamsProfile | _Preset = "call_control") -> str: ...
def encode_param(text: str, /, *, encoding: _Encoding = "rfc3986") -> str: ...

# ---------------------------------------------------------------- callbacks: codes

_FailCategory = Literal[
    "normal",
    "caller_hung_up",
    "callee_hung_up",
    "callee_unavailable",
    "no_binding",
    "restricted",
    "platform",
    "max_duration",
    "unknown",
]
_Party = Literal["caller", "callee", "platform"]
_Action = Literal[
    "success",
    "retry",
    "back_off",
    "fix_input",
    "fix_auth",
    "fix_clock",
    "conflict",
    "not_found",
    "exhausted",
    "forbidden",
    "unknown",
]
_NumberStatusName = Literal["normal", "paused", "unavailable", "bind_frozen", "other"]
_UnavailableCauseName = Literal[
    "number_deleted",
    "arrears",
    "suspended",
    "carrier_restriction",
    "restriction_lifted",
    "forward_unconditional",
    "forward_no_answer",
    "forward_busy",
    "other",
]

@final
class FailReason:
    """A tear-down point or hang-up reason (``stateCode``, ``ulFailReason``)."""

    def __new__(cls, code: int) -> FailReason: ...
    @property
    def code(self) -> int: ...
    @property
    def description(self) -> str | None: ...
    @property
    def is_known(self) -> bool: ...
    @property
    def is_normal(self) -> bool: ...
    @property
    def category(self) -> _FailCategory: ...
    @property
    def hung_up_by(self) -> _Party | None: ...
    @classmethod
    def known_codes(cls) -> list[FailReason]: ...
    def __int__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[FailReason], tuple[int]]: ...

@final
class Q850:
    """An ITU-T Q.850 cause (``fwdUnaswRsn``, ``callOutUnaswRsn``)."""

    def __new__(cls, code: int) -> Q850: ...
    @property
    def code(self) -> int: ...
    @property
    def description(self) -> str | None: ...
    @property
    def is_known(self) -> bool: ...
    @property
    def is_normal(self) -> bool: ...
    @classmethod
    def known_codes(cls) -> list[Q850]: ...
    def __int__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[Q850], tuple[int]]: ...

@final
class ResultCode:
    """A platform API ``resultcode``, kept exactly as received."""

    BACK_OFF_SECS: ClassVar[int]
    def __new__(cls, code: str) -> ResultCode: ...
    @property
    def code(self) -> str: ...
    @property
    def number(self) -> int | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def is_known(self) -> bool: ...
    @property
    def is_success(self) -> bool: ...
    def describe(self, http_status: int | None = None) -> str | None: ...
    def action(self, http_status: int | None = None) -> _Action: ...
    def retryable(self, http_status: int | None = None) -> bool: ...
    def max_retries(self, http_status: int | None = None) -> int: ...
    @classmethod
    def known_codes(cls) -> list[ResultCode]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[ResultCode], tuple[str]]: ...

@final
class NumberStatus:
    """The ``status`` of an X number in a ``numStatus`` push."""

    def __new__(cls, code: int) -> NumberStatus: ...
    @staticmethod
    def from_wire(text: str) -> NumberStatus | None: ...
    @property
    def code(self) -> int: ...
    @property
    def name(self) -> _NumberStatusName: ...
    @property
    def description(self) -> str | None: ...
    @property
    def binding_usable(self) -> bool: ...
    @property
    def new_bindings_allowed(self) -> bool: ...
    def __int__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[NumberStatus], tuple[int]]: ...

@final
class UnavailableCause:
    """The ``cause`` of an unavailable X number (status 10)."""

    def __new__(cls, code: int) -> UnavailableCause: ...
    @staticmethod
    def from_wire(text: str) -> UnavailableCause | None: ...
    @property
    def code(self) -> int: ...
    @property
    def name(self) -> _UnavailableCauseName: ...
    @property
    def description(self) -> str | None: ...
    def __int__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[UnavailableCause], tuple[int]]: ...

@final
class SendResult:
    """The ``sendResult`` of an SMS push (only 0, success, is documented)."""

    def __new__(cls, code: int) -> SendResult: ...
    @property
    def code(self) -> int: ...
    @property
    def description(self) -> str | None: ...
    @property
    def is_success(self) -> bool: ...
    def __int__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[SendResult], tuple[int]]: ...

# ---------------------------------------------------------------- callbacks: pushes

_Body = bytes | bytearray | memoryview | str

@final
class CdrRecord:
    """One CDR. Times are Unix seconds; numbers are the text as sent; ``repr()`` is masked."""

    @property
    def direction(self) -> int | None: ...
    @property
    def sp_id(self) -> str | None: ...
    @property
    def app_key(self) -> str | None: ...
    @property
    def icid(self) -> str | None: ...
    @property
    def bind_num(self) -> str | None: ...
    @property
    def session_id(self) -> str | None: ...
    @property
    def subscription_id(self) -> str | None: ...
    @property
    def caller_num(self) -> str | None: ...
    @property
    def callee_num(self) -> str | None: ...
    @property
    def fwd_display_num(self) -> str | None: ...
    @property
    def fwd_dst_num(self) -> str | None: ...
    @property
    def call_in_time(self) -> int | None: ...
    @property
    def fwd_start_time(self) -> int | None: ...
    @property
    def fwd_alerting_time(self) -> int | None: ...
    @property
    def fwd_answer_time(self) -> int | None: ...
    @property
    def call_end_time(self) -> int | None: ...
    @property
    def fwd_unasw_rsn(self) -> Q850 | None: ...
    @property
    def fail_time(self) -> int | None: ...
    @property
    def ul_fail_reason(self) -> FailReason | None: ...
    @property
    def sip_status_code(self) -> int | None: ...
    @property
    def call_out_unasw_rsn(self) -> Q850 | None: ...
    @property
    def record_flag(self) -> int | None: ...
    @property
    def record_start_time(self) -> int | None: ...
    @property
    def record_object_name(self) -> str | None: ...
    @property
    def record_bucket_name(self) -> str | None: ...
    @property
    def record_domain(self) -> str | None: ...
    @property
    def service_type(self) -> str | None: ...
    @property
    def host_name(self) -> str | None: ...
    @property
    def extend_num(self) -> str | None: ...
    @property
    def user_data(self) -> str | None: ...
    @property
    def notify_mode(self) -> str | None: ...
    @property
    def extra(self) -> tuple[tuple[str, str], ...]:
        """Unmodelled fields as ``(wire name, raw JSON text)`` pairs, in the order sent."""
    @property
    def answered(self) -> bool: ...
    @property
    def ring_seconds(self) -> int | None: ...
    @property
    def talk_seconds(self) -> int: ...
    @property
    def hung_up_by(self) -> _Party | None: ...
    @property
    def failure(self) -> str | None: ...
    @property
    def recording(self) -> Recording | None: ...
    @property
    def key(self) -> str | None: ...
    def caller_number(self) -> Number | None: ...
    def destination_number(self) -> Number | None: ...
    def field(self, name: str) -> str | None:
        """An unmodelled field by its wire name, as raw JSON text; ``None`` when absent."""
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Recording:
    """The recording download API's parameters (``fileName``, ``recordDomain``)."""

    @property
    def file_name(self) -> str: ...
    @property
    def record_domain(self) -> str: ...
    def to_dict(self) -> dict[str, str]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class CdrBatch:
    """A batch of 1 to 50 CDRs (``eventType: "fee"``); a sequence of ``CdrRecord``."""

    kind: ClassVar[Literal["cdrs"]]
    @property
    def records(self) -> tuple[CdrRecord, ...]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: SupportsIndex, /) -> CdrRecord: ...
    @overload
    def __getitem__(self, index: slice, /) -> tuple[CdrRecord, ...]: ...
    def __iter__(self) -> Iterator[CdrRecord]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CallStatusInfo:
    """``statusInfo`` of a call event; ``repr()`` is masked."""

    @property
    def timestamp(self) -> int | None: ...
    @property
    def session_id(self) -> str | None: ...
    @property
    def caller(self) -> str | None: ...
    @property
    def called(self) -> str | None: ...
    @property
    def subscription_id(self) -> str | None: ...
    @property
    def user_data(self) -> str | None: ...
    @property
    def notify_mode(self) -> str | None: ...
    @property
    def digit_info(self) -> str | None: ...
    @property
    def state_code(self) -> FailReason | None: ...
    @property
    def state_desc(self) -> str | None: ...
    @property
    def call_rel_direction(self) -> str | None:
        """Raw JSON text (its values are undocumented)."""
    @property
    def party_type(self) -> str | None:
        """Raw JSON text (its values are undocumented)."""
    @property
    def display_caller_num(self) -> str | None: ...
    def caller_number(self) -> Number | None: ...
    def called_number(self) -> Number | None: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CallEvent:
    """A call event: ``event`` (``"callin"``, ``"disconnect"``, ...) and its ``info``."""

    kind: ClassVar[Literal["call"]]
    @property
    def event(self) -> str: ...
    @property
    def info(self) -> CallStatusInfo: ...
    @property
    def needs_reply(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class SmsEvent:
    """An SMS notification, Notify or Block; ``repr()`` is masked."""

    kind: ClassVar[Literal["sms"]]
    @property
    def app_key(self) -> str | None: ...
    @property
    def sms_identifier(self) -> str | None: ...
    @property
    def notification_mode(self) -> str | None: ...
    @property
    def calling(self) -> str | None: ...
    @property
    def called(self) -> str | None: ...
    @property
    def virtual_number(self) -> str | None: ...
    @property
    def event(self) -> str | None: ...
    @property
    def time_stamp(self) -> int | None: ...
    @property
    def send_result(self) -> SendResult | None: ...
    @property
    def subscription_id(self) -> str | None: ...
    @property
    def sms_content(self) -> str | None: ...
    @property
    def user_data(self) -> str | None: ...
    @property
    def ext_paras(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def needs_reply(self) -> bool: ...
    @property
    def split_num(self) -> int | None: ...
    @property
    def direction(self) -> int | None: ...
    @property
    def key(self) -> str | None: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class NumberStatusEntry:
    """One entry of an X-number status push; ``repr()`` is masked."""

    @property
    def number(self) -> str: ...
    @property
    def status(self) -> NumberStatus: ...
    @property
    def cause(self) -> UnavailableCause | None: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class NumberStatusPush:
    """X-number status changes (``eventType: "numStatus"``); a sequence of entries."""

    kind: ClassVar[Literal["number_status"]]
    @property
    def entries(self) -> tuple[NumberStatusEntry, ...]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: SupportsIndex, /) -> NumberStatusEntry: ...
    @overload
    def __getitem__(self, index: slice, /) -> tuple[NumberStatusEntry, ...]: ...
    def __iter__(self) -> Iterator[NumberStatusEntry]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

_Push = CallEvent | CdrBatch | SmsEvent | NumberStatusPush

def parse_push(body: _Body, /) -> _Push:
    """Parse a push body (no signature check, no de-duplication: see ``Inbox``)."""

def parse_platform_time(text: str, /) -> int | None: ...

# ---------------------------------------------------------------- callbacks: inbox

@final
class InboxItem:
    """One item of a received push: its de-duplication key and whether it is a redelivery."""

    @property
    def key(self) -> str | None: ...
    @property
    def duplicate(self) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Received:
    """What ``Inbox.receive`` returns."""

    @property
    def push(self) -> _Push: ...
    @property
    def items(self) -> tuple[InboxItem, ...]: ...
    @property
    def is_duplicate(self) -> bool: ...
    @property
    def new_records(self) -> tuple[CdrRecord, ...]: ...
    @property
    def verified(self) -> Verified | None: ...

@final
class Inbox:
    """Receives the pushes of one application: size, signature, parsing, de-duplication."""

    def __new__(
        cls,
        app_key: str | None = None,
        app_secret: str | None = None,
        *,
        max_body_bytes: int = 1048576,
        dedup_window_secs: int = 21600,
        dedup_capacity: int = 200000,
        max_age_secs: int = 21600,
        max_future_secs: int = 300,
        replay_capacity: int = 100000,
        accept_wsse: bool = True,
    ) -> Inbox: ...
    @property
    def app_key(self) -> str | None: ...
    @property
    def remembered(self) -> int: ...
    def receive(
        self, body: _Body, headers: _Pairs | None = None, /, *, now: int | None = None
    ) -> Received: ...
    def commit(self, received: Received, /, *, now: int | None = None) -> None: ...
    def release(self, received: Received, /) -> None: ...

# ---------------------------------------------------------------- callbacks: replies

_InfoForm = Literal["object", "array"]
_Operate = Literal["CONTINUE", "REJECT", "IVR"]

def connect_reply(
    callee: Number | str,
    *,
    display: Number | str | None = None,
    max_duration_minutes: int | None = None,
    wait_voice: str | None = None,
    record: bool = False,
    record_hint_tone: str | None = None,
    last_min_voice: str | None = None,
    user_data: str | None = None,
    form: _InfoForm = "object",
) -> str: ...
def close_reply(
    *, close_hint_tone: str | None = None, user_data: str | None = None, form: _InfoForm = "object"
) -> str: ...
def sms_route_reply(
    calling: Number | str, called: Number | str, *, user_data: str | None = None
) -> str: ...
def sms_discard_reply(*, user_data: str | None = None) -> str: ...
def call_control_reply(
    operate: _Operate,
    *,
    message: str | None = None,
    control_msg: str | None = None,
    subs_id: str | None = None,
    call_no_play_code: str | None = None,
    extra: _Pairs | None = None,
) -> str: ...

# ---------------------------------------------------------------- callbacks: call-control queries

@final
class CallControlQuery:
    """The business parameters of an X-mode call-control query; ``repr()`` is masked."""

    @property
    def call_no(self) -> str: ...
    @property
    def secret_no(self) -> str: ...
    @property
    def extension(self) -> str | None: ...
    @property
    def record_type(self) -> str | None: ...
    @property
    def call_time(self) -> str | None: ...
    @property
    def call_id(self) -> str | None: ...
    @property
    def call_time_utc8(self) -> int | None: ...
    def caller(self) -> Number | None: ...
    def x(self) -> Number | None: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

def receive_call_control(
    verifier: ParamsVerifier, params: _Pairs, /, *, now: int | None = None
) -> tuple[CallControlQuery, ParamsVerified]:
    """Verify a call-control query (signature, timestamp, nonce), then read it."""

def parse_call_control(params: _Pairs, /) -> CallControlQuery:
    """Read a call-control query's business parameters (no signature check)."""

# ---------------------------------------------------------------- callbacks: SMS segments

@final
class SmsSegments:
    """How a text is sent: its encoding and the segments it needs."""

    @property
    def encoding(self) -> Literal["gsm7", "ucs2"]: ...
    @property
    def segments(self) -> int: ...
    @property
    def units(self) -> int: ...
    @property
    def per_segment(self) -> int: ...
    @property
    def remaining(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def count_sms_segments(text: str, *, ax_b_number: Number | str | None = None) -> SmsSegments: ...
@final
class AxSuffix:
    """What the end of an AX-mode SMS from A says about its real receiver."""

    @property
    def result(self) -> Literal["valid", "missing", "garbled"]: ...
    @property
    def receiver(self) -> Number | None: ...
    @property
    def text(self) -> str | None: ...
    @property
    def suffix(self) -> str | None: ...

def ax_suffix(text: str, /) -> AxSuffix: ...

# ---------------------------------------------------------------- the binding engine

_Mode = Literal["ax", "axb", "axe", "axyb", "x"]
_Shape = Literal["pair", "owner", "extension", "axyb_ax", "axyb_yb"]
_State = Literal[
    "requested", "active", "modifying", "unbinding", "suspended", "unbound", "expired", "failed"
]
_EventKind = Literal[
    "requested",
    "bound",
    "failed",
    "modifying",
    "modified",
    "modify_failed",
    "unbinding",
    "unbound",
    "unbind_failed",
    "expired",
    "suspended",
    "resumed",
]
_CloseReason = Literal[
    "caller_cannot_call_x",
    "no_binding",
    "not_yet_bound",
    "expired",
    "x_unavailable",
    "direction_not_allowed",
    "no_temp_callee",
    "extension_needed",
    "unknown_extension",
    "no_callback_target",
    "no_relation",
]
_XStatusName = Literal["normal", "paused", "unavailable", "bind_frozen", "blacklisted"]
_NumberLike = Number | str

class _AreaPressure(TypedDict):
    area: str
    numbers: int
    usable: int
    bindings: int
    capacity: int
    free: int
    utilization: float
    busiest_party_pairs: int
    busiest_party_headroom: int

@final
class Binding:
    """A binding as the engine holds it (a copy). ``repr()`` masks the numbers."""

    @property
    def id(self) -> str: ...
    @property
    def mode(self) -> _Mode: ...
    @property
    def shape(self) -> _Shape: ...
    @property
    def state(self) -> _State: ...
    @property
    def x(self) -> Number | None: ...
    @property
    def a(self) -> Number | None: ...
    @property
    def b(self) -> Number | None: ...
    @property
    def ext(self) -> str | None: ...
    @property
    def callback(self) -> Number | None: ...
    @property
    def callback_lifetime(self) -> int | None:
        """AXE ``callbackExpiredTime`` in seconds (0: as long as the binding)."""
    @property
    def temp_callee(self) -> Number | None: ...
    @property
    def y(self) -> Number | None: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def yb_duration(self) -> int | None: ...
    @property
    def bound_at(self) -> int: ...
    @property
    def expires_at(self) -> int | None: ...
    @property
    def duration(self) -> int: ...
    @property
    def max_duration(self) -> int: ...
    @property
    def direction(self) -> int: ...
    @property
    def record(self) -> bool: ...
    @property
    def sms(self) -> bool: ...
    @property
    def user_data(self) -> str | None: ...
    @property
    def record_hint_tone(self) -> str | None: ...
    @property
    def last_min_voice(self) -> str | None: ...
    @property
    def caller_hint_tone(self) -> str | None: ...
    @property
    def callee_hint_tone(self) -> str | None: ...
    @property
    def callback_tone(self) -> str | None: ...
    @property
    def pending(self) -> dict[str, Any] | None:
        """In state ``"modifying"``: the changes sent to the platform."""
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Event:
    """A change the engine made (``Engine.poll_events``). ``repr()`` masks X."""

    @property
    def seq(self) -> int: ...
    @property
    def at(self) -> int: ...
    @property
    def kind(self) -> _EventKind: ...
    @property
    def id(self) -> str: ...
    @property
    def previous_id(self) -> str | None: ...
    @property
    def from_state(self) -> _State | None: ...
    @property
    def to_state(self) -> _State: ...
    @property
    def x(self) -> Number | None: ...
    @property
    def code(self) -> str | None: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Route:
    """The routing decision for a call reaching a privacy number. ``repr()`` is masked."""

    @property
    def connect(self) -> bool: ...
    @property
    def callee(self) -> Number | None: ...
    @property
    def display(self) -> Number | None: ...
    @property
    def max_duration(self) -> int: ...
    @property
    def record(self) -> bool: ...
    @property
    def binding_id(self) -> str | None: ...
    @property
    def reason(self) -> _CloseReason | None: ...
    @property
    def state_code(self) -> int | None: ...
    @property
    def user_data(self) -> str | None: ...
    def to_reply_json(self, *, form: _InfoForm = "object") -> str:
        """The X-mode ``callin`` reply that carries out this decision."""
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class OpenReport:
    """What ``Engine.open`` found in the directory."""

    @property
    def snapshot_loaded(self) -> bool: ...
    @property
    def records_replayed(self) -> int: ...
    @property
    def bindings(self) -> int: ...
    @property
    def torn_tail(self) -> tuple[int, int] | None: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Engine:
    """A binding engine: one application's bindings, X pool, routing and events.

    Thread-safe. Times (``now``) are Unix seconds; numbers are ``Number`` or
    text parsed as ``parse_number`` does. Refusals raise ``EngineError``
    subclasses (``RuleViolationError`` with ``.platform_code`` and ``.field``).
    """

    def __new__(
        cls,
        mode: _Mode,
        *,
        extension_digits: int = 4,
        max_events: int = 65536,
        id_seed: int | None = None,
    ) -> Engine: ...
    @classmethod
    def open(
        cls,
        path: str | PathLike[str],
        mode: _Mode,
        *,
        extension_digits: int = 4,
        max_events: int = 65536,
        id_seed: int | None = None,
        fsync: Literal["always", "never"] = "always",
        compact_after: int = 100_000,
    ) -> Engine:
        """An engine kept in the directory ``path``; the GIL is released while it is read."""
    @classmethod
    def from_config(
        cls, config: Mapping[str, Any] | str, *, path: str | PathLike[str] | None = None
    ) -> Engine:
        """An engine from a configuration mapping or JSON text (``{"mode": "axb", ...}``)."""
    @property
    def mode(self) -> _Mode: ...
    @property
    def extension_digits(self) -> int: ...
    @property
    def durable(self) -> bool: ...
    @property
    def open_report(self) -> OpenReport | None: ...
    @property
    def events_dropped(self) -> int: ...
    def __len__(self) -> int: ...
    def memory_bytes(self) -> int: ...
    def reserve(self, n: int) -> None: ...
    # routing
    def route(
        self, caller: _NumberLike, dialled: _NumberLike, *, ext: str | None = None, now: int
    ) -> Route:
        """Decide a call from ``caller`` reaching ``dialled`` (X, or Y in AXYB) at ``now``."""
    # reads
    def get(self, id: str) -> Binding | None: ...
    def bindings_on(self, x: _NumberLike) -> list[Binding]: ...
    def find_party(self, dialled: _NumberLike, caller: _NumberLike) -> Binding | None: ...
    def find_extension(self, x: _NumberLike, ext: str) -> Binding | None: ...
    def owned_by(self, a: _NumberLike) -> list[Binding]: ...
    def relations(self, parent: str) -> list[Binding]: ...
    def bindings(self) -> list[Binding]: ...
    def x_status(self, x: _NumberLike) -> _XStatusName: ...
    def pool(self) -> dict[str, list[Number]]: ...
    def pool_pressure(self) -> list[_AreaPressure]: ...
    def poll_events(self, max: int | None = None) -> list[Event]: ...
    # binds
    def bind_pair(
        self,
        a: _NumberLike,
        b: _NumberLike,
        *,
        x: _NumberLike | None = None,
        area: str | None = None,
        fallback: bool = False,
        id: str | None = None,
        duration: int = 0,
        max_duration: int = 0,
        direction: int = 0,
        record: bool = False,
        sms: bool = True,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        now: int,
    ) -> Binding: ...
    def request_bind_pair(
        self,
        a: _NumberLike,
        b: _NumberLike,
        *,
        x: _NumberLike | None = None,
        area: str | None = None,
        fallback: bool = False,
        id: str | None = None,
        duration: int = 0,
        max_duration: int = 0,
        direction: int = 0,
        record: bool = False,
        sms: bool = True,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        now: int,
    ) -> Binding: ...
    def bind_owner(
        self,
        a: _NumberLike,
        *,
        x: _NumberLike | None = None,
        area: str | None = None,
        fallback: bool = False,
        id: str | None = None,
        duration: int = 0,
        max_duration: int = 0,
        direction: int = 0,
        record: bool = False,
        sms: bool = True,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        now: int,
    ) -> Binding: ...
    def request_bind_owner(
        self,
        a: _NumberLike,
        *,
        x: _NumberLike | None = None,
        area: str | None = None,
        fallback: bool = False,
        id: str | None = None,
        duration: int = 0,
        max_duration: int = 0,
        direction: int = 0,
        record: bool = False,
        sms: bool = True,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        now: int,
    ) -> Binding: ...
    def bind_extension(
        self,
        a: _NumberLike,
        *,
        x: _NumberLike | None = None,
        ext: str | None = None,
        callback: _NumberLike | None = None,
        callback_lifetime: int = 0,
        area: str | None = None,
        fallback: bool = False,
        id: str | None = None,
        duration: int = 0,
        max_duration: int = 0,
        direction: int = 0,
        record: bool = False,
        sms: bool = True,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        now: int,
    ) -> Binding: ...
    def request_bind_extension(
        self,
        a: _NumberLike,
        *,
        x: _NumberLike | None = None,
        ext: str | None = None,
        callback: _NumberLike | None = None,
        callback_lifetime: int = 0,
        area: str | None = None,
        fallback: bool = False,
        id: str | None = None,
        duration: int = 0,
        max_duration: int = 0,
        direction: int = 0,
        record: bool = False,
        sms: bool = True,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        now: int,
    ) -> Binding: ...
    def bind_axyb(
        self,
        a: _NumberLike,
        *,
        x: _NumberLike | None = None,
        area: str | None = None,
        fallback: bool = False,
        id: str | None = None,
        yb_duration: int = 0,
        duration: int = 0,
        max_duration: int = 0,
        direction: int = 0,
        record: bool = False,
        sms: bool = True,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        now: int,
    ) -> Binding: ...
    def request_bind_axyb(
        self,
        a: _NumberLike,
        *,
        x: _NumberLike | None = None,
        area: str | None = None,
        fallback: bool = False,
        id: str | None = None,
        yb_duration: int = 0,
        duration: int = 0,
        max_duration: int = 0,
        direction: int = 0,
        record: bool = False,
        sms: bool = True,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        now: int,
    ) -> Binding: ...
    def bind_relation(
        self,
        parent_id: str,
        b: _NumberLike,
        *,
        y: _NumberLike | None = None,
        area: str | None = None,
        fallback: bool = False,
        id: str | None = None,
        yb_duration: int | None = None,
        max_duration: int = 0,
        record: bool = False,
        sms: bool = True,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        now: int,
    ) -> Binding: ...
    def request_bind_relation(
        self,
        parent_id: str,
        b: _NumberLike,
        *,
        y: _NumberLike | None = None,
        area: str | None = None,
        fallback: bool = False,
        id: str | None = None,
        yb_duration: int | None = None,
        max_duration: int = 0,
        record: bool = False,
        sms: bool = True,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        now: int,
    ) -> Binding: ...
    def bind_many(
        self, items: Iterable[Mapping[str, Any]], /, *, now: int, request: bool = False
    ) -> list[Binding]:
        """Bind many (dicts of the typed bind method's arguments) with the GIL released."""
    # the platform's answers, changes
    def settle(
        self,
        id: str,
        *,
        ok: bool = True,
        new_id: str | None = None,
        x: _NumberLike | None = None,
        ext: str | None = None,
        code: str | None = None,
        now: int,
    ) -> Binding | None: ...
    def modify(
        self,
        id: str,
        *,
        a: _NumberLike | None = None,
        b: _NumberLike | None = None,
        duration: int | None = None,
        max_duration: int | None = None,
        direction: int | None = None,
        record: bool | None = None,
        sms: bool | None = None,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        callback: _NumberLike | None = None,
        callback_lifetime: int | None = None,
        now: int,
    ) -> Binding: ...
    def request_modify(
        self,
        id: str,
        *,
        a: _NumberLike | None = None,
        b: _NumberLike | None = None,
        duration: int | None = None,
        max_duration: int | None = None,
        direction: int | None = None,
        record: bool | None = None,
        sms: bool | None = None,
        user_data: str | None = None,
        record_hint_tone: str | None = None,
        last_min_voice: str | None = None,
        caller_hint_tone: str | None = None,
        callee_hint_tone: str | None = None,
        callback_tone: str | None = None,
        callback: _NumberLike | None = None,
        callback_lifetime: int | None = None,
        now: int,
    ) -> Binding: ...
    def unbind(self, id: str, *, now: int) -> None: ...
    def request_unbind(self, id: str, *, now: int) -> Binding: ...
    def unbind_x(self, x: _NumberLike, *, now: int) -> int: ...
    def set_temp_callee(self, x: _NumberLike, callee: _NumberLike, *, now: int) -> Binding: ...
    def tick(self, now: int) -> int:
        """Expire the bindings whose lifetime is over at ``now``; returns how many.

        Every change given a ``now`` expires what is due first, too.
        """
    def set_x_status(
        self, x: _NumberLike, status: _XStatusName | str | NumberStatus, *, now: int
    ) -> int: ...
    def pool_add(self, x: _NumberLike, area: str) -> None: ...
    def pool_remove(self, x: _NumberLike) -> None: ...
    def compact(self) -> None: ...
    def execute(self, command: Mapping[str, Any] | str) -> Any:
        """Run one engine command (``{"op": ...}``); returns its ``ok`` value or raises."""

# ---------------------------------------------------------------- platform API client (sans-IO)

@final
class Operation:
    """One operation of the platform API by name (``"axb.bind"``), validated.

    Arguments are wire names (``callerNum``) or snake case (``caller_num``),
    as a mapping and/or keyword arguments; ``None`` leaves one out.
    """

    def __new__(
        cls, name: str, args: Mapping[str, Any] | None = None, /, **kwargs: Any
    ) -> Operation: ...
    @staticmethod
    def names() -> tuple[str, ...]: ...
    @property
    def name(self) -> str: ...
    @property
    def idempotent(self) -> bool: ...
    def sign(
        self,
        signer: Signer,
        *,
        nonce: str | None = None,
        created: str | None = None,
        now: int | None = None,
    ) -> Request: ...
    def parse(
        self,
        status: int,
        body: bytes | bytearray | memoryview | str,
        location: str | None = None,
    ) -> dict[str, Any]: ...

@final
class Request:
    """A signed request, ready to send with any HTTP library."""

    @property
    def method(self) -> Literal["GET", "POST", "PUT", "DELETE"]: ...
    @property
    def path_and_query(self) -> str: ...
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def body(self) -> str | None: ...
    def url(self, base_url: str) -> str: ...

# ---------------------------------------------------------------- blocking client and emulator

@final
class Client:
    """A blocking platform API client; calls release the GIL."""

    def __new__(
        cls,
        base_url: str,
        app_key: str,
        app_secret: str,
        /,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        total_timeout: float = 30.0,
        https_only: bool = True,
        max_attempts: int = 3,
        initial_backoff: float = 0.25,
        max_backoff: float = 5.0,
        throttle_backoff: float = 60.0,
        jitter: float = 0.5,
    ) -> Client: ...
    @property
    def base_url(self) -> str: ...
    @property
    def app_key(self) -> str: ...
    def call(self, op: Operation) -> dict[str, Any]: ...
    def call_op(
        self, name: str, args: Mapping[str, Any] | None = None, /, **kwargs: Any
    ) -> dict[str, Any]: ...

class _MirrorError(TypedDict):
    """An error in a :class:`Mirror` answer (``error``, ``record_error``)."""

    kind: str
    code: int
    platform_code: str | None
    field: str | None
    http_status: int | None
    message: str

class _MirrorAnswer(TypedDict):
    """What :meth:`Mirror.call` returns."""

    operation: str
    answer: Literal["confirmed", "refused", "unknown"]
    output: dict[str, Any] | None
    error: _MirrorError | None
    ids: list[str]
    bindings: list[dict[str, Any]]
    record_error: _MirrorError | None

class _ApplyReport(TypedDict):
    """``_Reconciliation["applied"]``: what applying the fixes did."""

    applied: int
    skipped: int
    errors: list[dict[str, Any]]

class _Reconciliation(TypedDict):
    """What :meth:`Mirror.reconcile` returns."""

    differences: list[dict[str, Any]]
    unchecked: list[str]
    query_errors: list[_MirrorError]
    applied: _ApplyReport | None

@final
class Mirror:
    """A :class:`Client` and an :class:`Engine` kept in step; calls release the GIL."""

    def __new__(cls, client: Client, engine: Engine, /) -> Mirror: ...
    @property
    def client(self) -> Client: ...
    @property
    def engine(self) -> Engine: ...
    def call(self, op: Operation) -> _MirrorAnswer: ...
    def call_op(
        self, name: str, args: Mapping[str, Any] | None = None, /, **kwargs: Any
    ) -> _MirrorAnswer: ...
    def tick(self) -> int: ...
    def reconcile(self, apply: bool = False) -> _Reconciliation: ...

@final
class _Emulator:
    """The native emulator handle behind :mod:`privnum.testing`."""

    def __new__(cls, config_json: str | None = None, /) -> _Emulator: ...
    @staticmethod
    def demo_app() -> dict[str, Any]: ...
    @property
    def base_url(self) -> str: ...
    @property
    def running(self) -> bool: ...
    def control(self, method: str, path: str, body: str | None = None, /) -> Any: ...
    def wait_idle(self, timeout: float) -> bool: ...
    def stop(self) -> None: ...

# ---------------------------------------------------------------- the privnum command

def _cli_main(argv: list[str], /) -> int:
    """Run the ``privnum`` command (``argv[0]`` is the program name); its exit status."""
