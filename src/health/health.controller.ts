import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/public.decorator.js';
import { NoRateLimit } from '../security/rate-limit.guard.js';
import { HealthService } from './health.service.js';

export class HealthStatus {
  /** `ok` while the process serves requests, `ready` when the store answers too. */
  status!: string;
}

@ApiTags('health')
@Public()
@NoRateLimit()
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: the process answers HTTP. */
  @Get('healthz')
  getLiveness(): HealthStatus {
    return { status: 'ok' };
  }

  /** Readiness: the store answers; 503 while it does not or while the instance shuts down. */
  @Get('readyz')
  @ApiServiceUnavailableResponse({ description: 'store unreachable or shutting down' })
  getReadiness(): Promise<HealthStatus> {
    return this.health.checkReadiness();
  }

  /** App Engine warmup request: opens the store connection before traffic arrives. */
  @Get('_ah/warmup')
  @HttpCode(200)
  warmUp(): Promise<HealthStatus> {
    return this.health.checkReadiness();
  }
}
