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

Receiving pushes from the platform (callbacks)::

    >>> inbox = privnum.Inbox()      # Inbox(app_key, app_secret) also checks signatures
    >>> body = b'{"eventType":"fee","feeLst":[{"icid":"c1","callerNum":"+8613800000001"}]}'
    >>> received = inbox.receive(body, {}, now=1714550400)
    >>> received.push.kind, [r.key for r in received.new_records]
    ('cdrs', ['c1'])
    >>> received.push[0]               # numbers are masked in repr()
    CdrRecord(key='c1', caller_num='+86138****0001', fwd_dst_num=None, bind_num=None, call_in_time=None, answered=False, talk_seconds=0, ul_fail_reason=None)
    >>> inbox.commit(received, now=1714550400)   # after storing: redeliveries are duplicates
    >>> inbox.receive(body, {}, now=1714550460).is_duplicate
    True

:func:`parse_push` returns one of :class:`CallEvent`, :class:`CdrBatch`,
:class:`SmsEvent` and :class:`NumberStatusPush` (the union :data:`Push`);
each has a class attribute ``kind`` (``"call"``, ``"cdrs"``, ``"sms"``,
``"number_status"``), so ``isinstance``, ``match`` and ``push.kind == ...``
all narrow the type. Block-mode pushes are answered with the JSON text of
:func:`connect_reply`, :func:`close_reply`, :func:`sms_route_reply` or
:func:`sms_discard_reply`. Codes are small value objects (:class:`FailReason`,
:class:`Q850`, :class:`ResultCode`, ...) with ``.code`` and ``.description``.
An X-mode call-control query is verified and read by
:func:`receive_call_control` and answered with :func:`call_control_reply`.

The binding engine holds an application's bindings, checks them against the
platform's rules and routes calls through them::

    >>> engine = privnum.Engine("axb", id_seed=1)
    >>> b = engine.bind_pair("13800000001", "13900000002", x="17000000010", id="sub-1", now=1714550400)
    >>> b
    Binding(id='sub-1', mode='axb', shape='pair', state='active', x='+86170****0010', a='+86138****0001', b='+86139****0002', bound_at=1714550400, expires_at=None)
    >>> engine.route("13800000001", "17000000010", now=1714550460).callee
    Number('+86139****0002', class='mobile')
    >>> try:
    ...     engine.bind_pair("13700000003", "13800000001", x="17000000010", now=1714550400)
    ... except privnum.RuleViolationError as e:
    ...     (e.platform_code, e.field)
    ('1012010', 'calleeNum')

The platform API client builds and signs any operation by name and reads
the platform's answer; send the request with any HTTP library::

    >>> op = privnum.Operation("axb.bind", caller_num="138 0000 0001", callee_num="13900000002")
    >>> req = op.sign(signer)                     # a fresh signature per attempt
    >>> req.method, req.url("https://platform.example")
    ('POST', 'https://platform.example/rest/caas/relationnumber/partners/v1.0')
    >>> req.body
    '{"callerNum":"+8613800000001","calleeNum":"+8613900000002"}'
    >>> op.parse(200, b'{"resultcode":"0","subscriptionId":"s-1","relationNum":"+8617000000010"}')
    {'relation_num': '+8617000000010', 'subscription_id': 's-1'}
    >>> try:
    ...     op.parse(200, b'{"resultcode":"1012010","resultdesc":"bound"}')
    ... except privnum.PlatformConflictError as e:
    ...     (e.platform_code, e.http_status)
    ('1012010', 200)

Or let privnum send it: :class:`Client` signs every attempt afresh, retries
only where that is safe and settles a bind whose answer was lost, blocking
with the GIL released (``Client(base_url, app_key, app_secret).call(op)``).
:class:`Mirror` keeps an :class:`Engine` in step with the platform: each
bind, modification and unbind it sends is recorded in the engine first and
settled by the answer, and ``reconcile()`` compares the two.
:mod:`privnum.testing` runs the platform's emulator on 127.0.0.1 for tests.

:meth:`Engine.open` keeps the state in a directory (journal and snapshots);
:meth:`Engine.execute` runs the JSON commands the C API and the shared vectors
use.

Every error is a :class:`PrivnumError` subclass named after its kind
(``NUMBER_EMPTY`` → :class:`NumberEmptyError`) with ``.code`` and ``.kind``,
and ``.platform_code`` / ``.field`` / ``.http_status`` where the core names
the platform ``resultcode``, the request field at fault and the HTTP status of
a platform response; :data:`ERROR_KINDS` maps each kind's name to its class.

Everything here is implemented in Rust (``privnum._native``); import it from
``privnum`` only.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final, Mapping, TypeAlias, Union

from ._native import (
    Client,
    Mirror,
    Operation,
    Request,
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
    # callbacks
    CallEvent,
    CallStatusInfo,
    CdrBatch,
    CdrRecord,
    Recording,
    SmsEvent,
    NumberStatusPush,
    NumberStatusEntry,
    parse_push,
    parse_platform_time,
    Inbox,
    Received,
    InboxItem,
    FailReason,
    Q850,
    ResultCode,
    NumberStatus,
    UnavailableCause,
    SendResult,
    connect_reply,
    close_reply,
    sms_route_reply,
    sms_discard_reply,
    call_control_reply,
    CallControlQuery,
    receive_call_control,
    parse_call_control,
    AxSuffix,
    SmsSegments,
    ax_suffix,
    count_sms_segments,
    # the binding engine
    Engine,
    Binding,
    Event,
    Route,
    OpenReport,
    EngineError,
    RuleViolationError,
    BindingNotFoundError,
    InvalidTransitionError,
    PoolExhaustedError,
    BindingExistsError,
    JournalIoError,
    JournalCorruptError,
    InvalidCommandError,
    # the platform API client
    PlatformError,
    PlatformRetryError,
    PlatformThrottledError,
    PlatformInvalidRequestError,
    PlatformAuthError,
    PlatformClockSkewError,
    PlatformConflictError,
    PlatformNotFoundError,
    PlatformExhaustedError,
    PlatformForbiddenError,
    PlatformUnknownError,
    ResponseInvalidError,
    TransportNotSentError,
    TransportNoResponseError,
    OutcomeUnknownError,
)
from ._native import ERROR_KINDS as _ERROR_KINDS
from ._native import __version__ as __version__

#: Every error kind's name (``"NUMBER_EMPTY"``) mapped to its exception class
#: (:class:`NumberEmptyError`), read-only.
ERROR_KINDS: Final[Mapping[str, type[PrivnumError]]] = MappingProxyType(dict(_ERROR_KINDS))

#: What :func:`parse_push` returns and :attr:`Received.push` holds: one of the
#: four push classes, told apart by ``isinstance`` or by their ``kind``.
Push: TypeAlias = Union[CallEvent, CdrBatch, SmsEvent, NumberStatusPush]

__all__ = [
    # platform API client (sans-IO, and blocking)
    "Operation",
    "Request",
    "Client",
    "Mirror",
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
    # callbacks: pushes
    "Push",
    "parse_push",
    "parse_platform_time",
    "CallEvent",
    "CallStatusInfo",
    "CdrBatch",
    "CdrRecord",
    "Recording",
    "SmsEvent",
    "NumberStatusPush",
    "NumberStatusEntry",
    # callbacks: the entry point
    "Inbox",
    "Received",
    "InboxItem",
    # callbacks: codes
    "FailReason",
    "Q850",
    "ResultCode",
    "NumberStatus",
    "UnavailableCause",
    "SendResult",
    # callbacks: Block-mode replies
    "connect_reply",
    "close_reply",
    "sms_route_reply",
    "sms_discard_reply",
    "call_control_reply",
    # callbacks: X-mode call-control queries
    "CallControlQuery",
    "receive_call_control",
    "parse_call_control",
    # callbacks: SMS segments
    "AxSuffix",
    "SmsSegments",
    "ax_suffix",
    "count_sms_segments",
    # the binding engine
    "Engine",
    "Binding",
    "Event",
    "Route",
    "OpenReport",
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
    "EngineError",
    "RuleViolationError",
    "BindingNotFoundError",
    "InvalidTransitionError",
    "PoolExhaustedError",
    "BindingExistsError",
    "JournalIoError",
    "JournalCorruptError",
    "InvalidCommandError",
    "PlatformError",
    "PlatformRetryError",
    "PlatformThrottledError",
    "PlatformInvalidRequestError",
    "PlatformAuthError",
    "PlatformClockSkewError",
    "PlatformConflictError",
    "PlatformNotFoundError",
    "PlatformExhaustedError",
    "PlatformForbiddenError",
    "PlatformUnknownError",
    "ResponseInvalidError",
    "TransportNotSentError",
    "TransportNoResponseError",
    "OutcomeUnknownError",
]
