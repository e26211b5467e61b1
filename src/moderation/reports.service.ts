import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { postIdOfComment } from '../keys/comment.keys.js';
import { CommentsRepository } from '../repositories/comments.repository.js';
import { PostsRepository } from '../repositories/posts.repository.js';
import { type ReportRecord, ReportsRepository, type ReportTarget } from '../repositories/reports.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import { UserPresenter } from '../users/user.presenter.js';
import { UsersService } from '../users/users.service.js';
import { AccountStatus } from './account-status.js';
import type { CreateReportRequest, ReportDto, ReportPageDto, SuspensionStateDto } from './dto/report.dto.js';

const notFound = (what: 'post' | 'comment' | 'user') =>
  new DomainError(
    { post: ErrorCode.PostNotFound, comment: ErrorCode.CommentNotFound, user: ErrorCode.UserNotFound }[what],
    `${what} not found`,
  );

/** Reports of abuse by anyone, and what admins (ADMIN_EMAILS) do with them: list, dismiss, suspend. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly posts: PostsRepository,
    private readonly comments: CommentsRepository,
    private readonly userRecords: UsersRepository,
    private readonly users: UsersService,
    private readonly relations: Relations,
    private readonly presenter: UserPresenter,
    private readonly status: AccountStatus,
    private readonly cursors: PageCursors,
  ) {}

  /**
   * Reports a post, a comment or a user the caller can see (404 otherwise, 403 for a private account's post they do
   * not follow). A repeat of the same reporter and target answers the first report.
   */
  async report(caller: AuthenticatedUser, request: CreateReportRequest): Promise<ReportDto> {
    const targets = (
      [
        ['post', request.postId],
        ['comment', request.commentId],
        ['user', request.userId],
      ] as const
    ).flatMap(([type, id]) => (id === undefined ? [] : [{ type, id }]));
    if (targets.length !== 1) {
      const message = 'send exactly one of postId, commentId or userId';
      throw new DomainError(ErrorCode.ValidationFailed, message, { errors: [{ field: 'postId', message }] });
    }
    const [target] = targets;
    await Promise.all([this.requireVisible(caller, target.type, target.id), this.users.ensureExists(caller)]);
    const report = await this.reports.add({
      reporter: caller.id,
      targetType: target.type,
      targetId: target.id,
      reason: request.reason,
      note: request.note || null,
    });
    const [dto] = await this.present([report], caller);
    return dto;
  }

  private async requireVisible(caller: AuthenticatedUser, type: ReportTarget, id: string): Promise<void> {
    if (type === 'user') {
      if (id === caller.id) {
        throw new DomainError(ErrorCode.CannotReportSelf, 'you cannot report yourself');
      }
      const { access } = await this.relations.access(caller, id);
      if (!access.profile) {
        throw notFound('user');
      }
      return;
    }
    const [post, comment] = await Promise.all([
      this.posts.find(type === 'post' ? id : postIdOfComment(id)),
      type === 'comment' ? this.comments.find(id) : undefined,
    ]);
    if (!post || (type === 'comment' && !comment)) {
      throw notFound(type);
    }
    try {
      await this.relations.requireContentOf(caller, post.author, () => notFound(type));
    } catch (error) {
      // Blocking someone and reporting what they posted go together: a block does not hide their content from a report.
      if (!(error instanceof DomainError && error.code === ErrorCode.UserBlocked)) {
        throw error;
      }
    }
  }

  /** Reports, newest first (admins only). */
  async list(caller: AuthenticatedUser, page: PageQuery): Promise<ReportPageDto> {
    requireAdmin(caller);
    const from = this.cursors.decode(page.cursor, 'reports');
    const result = await this.reports.page(page.limit, from?.store);
    return {
      items: await this.present(result.reports, caller),
      nextCursor: this.cursors.next('reports', result.cursor),
    };
  }

  /** Dismisses a report (admins only); a repeat changes nothing. */
  async dismiss(caller: AuthenticatedUser, id: string): Promise<void> {
    requireAdmin(caller);
    await this.reports.remove(id);
  }

  /** Suspends or lifts a user's suspension (admins only, never themselves). */
  async setSuspended(caller: AuthenticatedUser, userId: string, suspended: boolean): Promise<SuspensionStateDto> {
    requireAdmin(caller);
    if (userId === caller.id) {
      throw new DomainError(ErrorCode.BadRequest, 'an admin cannot suspend themself');
    }
    const user = await this.userRecords.setSuspended(userId, suspended);
    if (!user) {
      throw notFound('user');
    }
    this.status.remember(userId, suspended);
    this.relations.forget(userId);
    return { suspended };
  }

  private async present(reports: readonly ReportRecord[], viewer: AuthenticatedUser): Promise<ReportDto[]> {
    const reporters = await this.presenter.summaries(
      reports.map((report) => report.reporter),
      viewer,
    );
    const byId = new Map(reporters.map((summary) => [summary.id, summary]));
    return reports.map((report) => ({
      id: report.id,
      reporter: byId.get(report.reporter) ?? null,
      target: {
        type: report.targetType,
        id: report.targetId,
        postId:
          report.targetType === 'post'
            ? report.targetId
            : report.targetType === 'comment'
              ? postIdOfComment(report.targetId)
              : null,
      },
      reason: report.reason,
      note: report.note,
      createdAt: report.createdAt.toISOString(),
    }));
  }
}

function requireAdmin(caller: AuthenticatedUser): void {
  if (!caller.admin) {
    throw new DomainError(ErrorCode.AdminOnly, 'only an admin (ADMIN_EMAILS) may do this');
  }
}
