import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';

/** How many items an answer holds: what every list and search takes. */
export class LimitQuery {
  /** Items per page, 1-50. */
  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(50, { message: 'limit must be at most 50' })
  limit: number = 10;
}

export class PageQuery extends LimitQuery {
  /** `nextCursor` of the previous page. */
  @IsOptional()
  @MaxLength(2048, { message: 'cursor is invalid' })
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is invalid' })
  cursor?: string;
}
