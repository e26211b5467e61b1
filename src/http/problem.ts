import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode, type FieldError } from '../common/errors.js';

/** The HTTP status of each error code: the one table that turns domain errors into answers. */
export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.InvalidJson]: 400,
  [ErrorCode.InvalidBody]: 400,
  [ErrorCode.InvalidPath]: 400,
  [ErrorCode.InvalidCursor]: 400,
  [ErrorCode.CannotFollowSelf]: 400,
  [ErrorCode.CannotBlockSelf]: 400,
  [ErrorCode.CannotMuteSelf]: 400,
  [ErrorCode.CannotReportSelf]: 400,
  [ErrorCode.UploadMissing]: 400,
  [ErrorCode.InvalidImage]: 400,
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.MissingToken]: 401,
  [ErrorCode.InvalidToken]: 401,
  [ErrorCode.NotUploadOwner]: 403,
  [ErrorCode.InternalOnly]: 403,
  [ErrorCode.PrivateAccount]: 403,
  [ErrorCode.UserBlocked]: 403,
  [ErrorCode.AccountSuspended]: 403,
  [ErrorCode.AdminOnly]: 403,
  [ErrorCode.NotPostAuthor]: 403,
  [ErrorCode.NotCommentAuthor]: 403,
  [ErrorCode.CommentsDisabled]: 403,
  [ErrorCode.BlobUrlInvalid]: 403,
  [ErrorCode.BlobTypeMismatch]: 403,
  [ErrorCode.RouteNotFound]: 404,
  [ErrorCode.UserNotFound]: 404,
  [ErrorCode.PostNotFound]: 404,
  [ErrorCode.CommentNotFound]: 404,
  [ErrorCode.FollowRequestNotFound]: 404,
  [ErrorCode.ReportNotFound]: 404,
  [ErrorCode.UploadNotFound]: 404,
  [ErrorCode.BlobNotFound]: 404,
  [ErrorCode.UploadExpired]: 410,
  [ErrorCode.RequestTimeout]: 408,
  [ErrorCode.UsernameTaken]: 409,
  [ErrorCode.UploadUsed]: 409,
  [ErrorCode.UploadUrlUsed]: 412,
  [ErrorCode.BodyTooLarge]: 413,
  [ErrorCode.UploadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.InternalError]: 500,
  [ErrorCode.StoreContention]: 503,
  [ErrorCode.StoreUnavailable]: 503,
  [ErrorCode.CertificatesUnavailable]: 503,
  [ErrorCode.ShuttingDown]: 503,
  [ErrorCode.NotReady]: 503,
};

/** The code for an error that carries only a status (Nest's router, Express's body parser). */
export function codeForStatus(status: number): ErrorCode {
  const generic: Record<number, ErrorCode> = {
    400: ErrorCode.BadRequest,
    401: ErrorCode.InvalidToken,
    404: ErrorCode.RouteNotFound,
    408: ErrorCode.RequestTimeout,
    413: ErrorCode.BodyTooLarge,
    415: ErrorCode.UnsupportedMediaType,
    429: ErrorCode.RateLimited,
    503: ErrorCode.StoreUnavailable,
  };
  return generic[status] ?? (status < 500 ? ErrorCode.BadRequest : ErrorCode.InternalError);
}

/** An error as it will be answered. */
export interface Problem {
  readonly code: ErrorCode;
  readonly detail: string;
  /** Set only where the status is not the code's own (an HTTP exception of Nest or Express). */
  readonly status?: number;
  readonly errors?: readonly FieldError[];
  readonly retryAfterSeconds?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A problem type is a URN per code: stable, and never a link that pretends to resolve. */
export const problemType = (code: ErrorCode): string => `urn:picfeed:problem:${code}`;

/** The title of a code: the same for every occurrence of it (RFC 9457 §3.1.3). */
export const problemTitle = (code: ErrorCode): string => {
  const words = code.replace(/_/g, ' ');
  return words[0].toUpperCase() + words.slice(1);
};

export class ProblemFieldError implements FieldError {
  @ApiProperty({ description: "The field's path in the request, dotted (`media.0.altText`)" })
  field!: string;
  @ApiProperty()
  message!: string;
}

/** An error answer: RFC 9457 problem details, `application/problem+json`. */
export class ProblemDetails {
  @ApiProperty({
    description: 'A URN naming the problem type: `urn:picfeed:problem:{code}`',
    example: 'urn:picfeed:problem:post_not_found',
  })
  type!: string;
  @ApiProperty({ description: 'The same for every problem of this type', example: 'Post not found' })
  title!: string;
  @ApiProperty({ description: 'The HTTP status of the answer', example: 404 })
  status!: number;
  @ApiProperty({ description: 'What went wrong in this occurrence, for a person to read', example: 'post not found' })
  detail!: string;
  @ApiProperty({
    description: 'The machine-readable code a client branches on',
    enum: ErrorCode,
    enumName: 'ErrorCode',
    example: ErrorCode.PostNotFound,
  })
  code!: ErrorCode;
  @ApiProperty({
    description: 'The X-Request-Id of the request, to quote when reporting a problem',
    example: '1f0c3a52-5d1e-4f7b-9a55-0c2b7f3f8e11',
  })
  requestId!: string;
  @ApiPropertyOptional({
    description: 'Per-field problems of a request that failed validation',
    type: [ProblemFieldError],
  })
  errors?: ProblemFieldError[];
}
