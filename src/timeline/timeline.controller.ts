import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { SignedInApi } from '../auth/signed-in-api.decorator.js';
import { PageQuery } from '../common/dto/page-query.dto.js';
import { PostPageDto } from '../posts/dto/post.dto.js';
import { TimelineService } from './timeline.service.js';

@SignedInApi('timeline')
@Controller('v1/timeline')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  /**
   * Posts by the people the caller follows and by the caller, newest first. A page may hold fewer than `limit`
   * posts (posts of people unfollowed since are left out); walk on while `nextCursor` is not null.
   */
  @Get()
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  getTimeline(@CurrentUser() caller: AuthenticatedUser, @Query() page: PageQuery): Promise<PostPageDto> {
    return this.timeline.getTimeline(caller, page);
  }
}
