import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { SignedInApi } from '../auth/signed-in-api.decorator.js';
import { PageQuery } from '../common/dto/page-query.dto.js';
import { MarkReadRequest, NotificationPageDto, UnreadCountDto } from './dto/notification.dto.js';
import { NotificationsService } from './notifications.service.js';

@SignedInApi('notifications')
@Controller('v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /**
   * The caller's notifications, last updated first. A page may hold fewer than `limit` items (what the caller may
   * no longer see is left out); walk on while `nextCursor` is not null.
   */
  @Get()
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  getNotifications(@CurrentUser() caller: AuthenticatedUser, @Query() page: PageQuery): Promise<NotificationPageDto> {
    return this.notifications.list(caller, page);
  }

  /** How many items are unread: one store round trip, cheap to poll (send the ETag back in If-None-Match: 304). */
  @Get('unread-count')
  @Header('Cache-Control', 'private, no-cache')
  getUnreadCount(@CurrentUser() caller: AuthenticatedUser): Promise<UnreadCountDto> {
    return this.notifications.unreadCount(caller);
  }

  /** Marks read everything updated up to `until` (default now); never moves back. */
  @Post('read')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'marked read' })
  @ApiBadRequestResponse({ description: 'until is not an ISO 8601 date and time' })
  markNotificationsRead(@CurrentUser() caller: AuthenticatedUser, @Body() request: MarkReadRequest): Promise<void> {
    return this.notifications.markRead(caller, request);
  }
}
