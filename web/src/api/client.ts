import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Post = Schemas['PostDto'];
export type PostPage = Schemas['PostPageDto'];
export type User = Schemas['UserDto'];
export type Me = Schemas['MeDto'];
export type UserSummary = Schemas['UserSummaryDto'];
export type UserPage = Schemas['UserPageDto'];
export type Media = Schemas['MediaDto'];
export type Problem = Schemas['ProblemDetails'];
export type Comment = Schemas['CommentDto'];
export type CommentPage = Schemas['CommentPageDto'];
export type Report = Schemas['ReportDto'];
export type Notification = Schemas['NotificationDto'];
export type ReportReason = Schemas['CreateReportRequest']['reason'];

/** An answer that was not 2xx, with the API's problem details (or what stood in for them). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? `the server answered ${status}`);
  }

  get code(): string | undefined {
    return this.problem?.code;
  }
}

/** Where the signed-in user's token comes from (the session) and what to do when the API refuses it. */
export interface Credentials {
  token(): string | undefined;
  /** The API answered 401 to a request sent with this token. */
  rejected(token: string | undefined): void;
}

export function createApi(credentials: Credentials, baseUrl = '', fetcher?: typeof fetch) {
  const api = createClient<paths>({ baseUrl, fetch: fetcher });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = credentials.token();
      if (token !== undefined) {
        request.headers.set('Authorization', `Bearer ${token}`);
      }
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401) {
        credentials.rejected(request.headers.get('Authorization')?.replace(/^Bearer /, ''));
      }
      return response;
    },
  };
  api.use(auth);
  return api;
}

export type Api = ReturnType<typeof createApi>;

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's body, or an ApiError carrying its problem details. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch {
    throw new ApiError(0, undefined);
  }
  if (answer.error !== undefined || !answer.response.ok) {
    const problem = isProblem(answer.error) ? answer.error : undefined;
    throw new ApiError(answer.response.status, problem);
  }
  return answer.data as T;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'detail' in value && 'status' in value;
}

/** What to tell a person about a failed call. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) {
      return 'picfeed cannot be reached: check your connection and try again.';
    }
    const fields = error.problem?.errors?.map((item) => item.message).join('; ');
    return fields ? `${error.message}: ${fields}` : error.message;
  }
  return error instanceof Error ? error.message : 'something went wrong';
}
