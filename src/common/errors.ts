/**
 * Every error the API answers with has one of these codes; the problem filter maps each to its HTTP status, and the
 * OpenAPI document lists them. Services and repositories throw a DomainError with a code instead of an HTTP
 * exception, so no layer below the controllers knows about HTTP and nothing catches an error to translate it.
 */
export enum ErrorCode {
  // 400
  ValidationFailed = 'validation_failed',
  InvalidJson = 'invalid_json',
  InvalidBody = 'invalid_body',
  InvalidPath = 'invalid_path',
  InvalidCursor = 'invalid_cursor',
  CannotFollowSelf = 'cannot_follow_self',
  CannotBlockSelf = 'cannot_block_self',
  CannotMuteSelf = 'cannot_mute_self',
  CannotReportSelf = 'cannot_report_self',
  UploadMissing = 'upload_missing',
  InvalidImage = 'invalid_image',
  BadRequest = 'bad_request',
  // 401
  MissingToken = 'missing_token',
  InvalidToken = 'invalid_token',
  // 403
  NotUploadOwner = 'not_upload_owner',
  NotPostAuthor = 'not_post_author',
  NotCommentAuthor = 'not_comment_author',
  CommentsDisabled = 'comments_disabled',
  BlobUrlInvalid = 'blob_url_invalid',
  BlobTypeMismatch = 'blob_type_mismatch',
  InternalOnly = 'internal_only',
  PrivateAccount = 'private_account',
  UserBlocked = 'user_blocked',
  AccountSuspended = 'account_suspended',
  AdminOnly = 'admin_only',
  // 404
  RouteNotFound = 'route_not_found',
  UserNotFound = 'user_not_found',
  PostNotFound = 'post_not_found',
  CommentNotFound = 'comment_not_found',
  FollowRequestNotFound = 'follow_request_not_found',
  ReportNotFound = 'report_not_found',
  UploadNotFound = 'upload_not_found',
  BlobNotFound = 'blob_not_found',
  // 410
  UploadExpired = 'upload_expired',
  // 408
  RequestTimeout = 'request_timeout',
  // 409
  UsernameTaken = 'username_taken',
  UploadUsed = 'upload_used',
  // 412
  UploadUrlUsed = 'upload_url_used',
  // 413
  BodyTooLarge = 'body_too_large',
  UploadTooLarge = 'upload_too_large',
  // 415
  UnsupportedMediaType = 'unsupported_media_type',
  // 429
  RateLimited = 'rate_limited',
  // 500
  InternalError = 'internal_error',
  // 503
  StoreContention = 'store_contention',
  StoreUnavailable = 'store_unavailable',
  CertificatesUnavailable = 'certificates_unavailable',
  ShuttingDown = 'shutting_down',
  NotReady = 'not_ready',
}

/** One invalid field of a request: its path (`media.0.altText`) and what is wrong with it. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface DomainErrorOptions {
  /** Per-field problems of a request that failed validation. */
  readonly errors?: readonly FieldError[];
  /** When the client may try again (429, 503): sent as Retry-After. */
  readonly retryAfterSeconds?: number;
  /** Headers the answer must carry (a 401's WWW-Authenticate). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An error with a code a client can act on; `message` is the human-readable detail. */
export class DomainError extends Error {
  readonly errors?: readonly FieldError[];
  readonly retryAfterSeconds?: number;
  readonly headers?: Readonly<Record<string, string>>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message);
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers;
  }

  override get name(): string {
    return `DomainError(${this.code})`;
  }
}
