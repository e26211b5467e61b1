import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { SignedInApi } from '../auth/signed-in-api.decorator.js';
import { PageQuery } from '../common/dto/page-query.dto.js';
import { UserIdParam } from '../users/dto/user-params.dto.js';
import { CreateReportRequest, ReportDto, ReportIdParam, ReportPageDto, SuspensionStateDto } from './dto/report.dto.js';
import { ReportsService } from './reports.service.js';

@SignedInApi('reports')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Reports a post, a comment or a user to the admins; a repeat answers the first report. */
  @Post()
  @ApiBadRequestResponse({ description: 'not exactly one target, an unknown reason, or a note too long' })
  @ApiForbiddenResponse({ description: "a private account's post the caller does not follow" })
  @ApiNotFoundResponse({ description: 'no such post, comment or user' })
  report(@CurrentUser() caller: AuthenticatedUser, @Body() body: CreateReportRequest): Promise<ReportDto> {
    return this.reports.report(caller, body);
  }
}

@SignedInApi('admin')
@ApiForbiddenResponse({ description: 'the caller is not an admin (admin_only)' })
@Controller('v1/admin')
export class AdminController {
  constructor(private readonly reports: ReportsService) {}

  /** Reports, newest first. */
  @Get('reports')
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  listReports(@CurrentUser() caller: AuthenticatedUser, @Query() page: PageQuery): Promise<ReportPageDto> {
    return this.reports.list(caller, page);
  }

  /** Dismisses a report (what it reports stays); a repeat changes nothing. */
  @Delete('reports/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the report is gone' })
  @ApiBadRequestResponse({ description: 'the id is not a report id' })
  dismissReport(@CurrentUser() caller: AuthenticatedUser, @Param() params: ReportIdParam): Promise<void> {
    return this.reports.dismiss(caller, params.id);
  }

  /** Suspends the user: their writes answer 403 and others no longer see their profile, posts or comments. */
  @Put('users/:id/suspension')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiNotFoundResponse({ description: 'no such user' })
  suspend(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<SuspensionStateDto> {
    return this.reports.setSuspended(caller, params.id, true);
  }

  /** Lifts the suspension. */
  @Delete('users/:id/suspension')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiNotFoundResponse({ description: 'no such user' })
  unsuspend(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<SuspensionStateDto> {
    return this.reports.setSuspended(caller, params.id, false);
  }
}
