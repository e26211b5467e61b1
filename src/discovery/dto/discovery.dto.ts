import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_SEARCH_LENGTH } from '../../common/search-text.js';
import { UserSummaryDto } from '../../users/dto/user.dto.js';

/** A hashtag as a path segment: Unicode letters, marks, digits or `_`, 1-100 characters, any case. */
export const TAG_PATTERN = /^(?!__.*__$)[\p{L}\p{M}\p{N}_]{1,100}$/u;

export class SearchQuery {
  /** What to look for: the start of a username or of a word of a display name (or of a tag), any case or accent. */
  @ApiProperty({ minLength: 1, maxLength: MAX_SEARCH_LENGTH })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'q must be text' })
  @Length(1, MAX_SEARCH_LENGTH, { message: `q must be 1-${MAX_SEARCH_LENGTH} characters` })
  q!: string;

  /** Results, 1-50. */
  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(50, { message: 'limit must be at most 50' })
  limit: number = 10;
}

export class LimitQuery {
  /** Results, 1-50. */
  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(50, { message: 'limit must be at most 50' })
  limit: number = 10;
}

export class TagParam {
  @ApiProperty({ pattern: TAG_PATTERN.source })
  @Matches(TAG_PATTERN, { message: 'tag must be 1-100 letters, digits or _' })
  tag!: string;
}

export class TagDto {
  /** Lowercase, as stored. */
  tag!: string;
  /** Posts whose caption has it, exact. */
  postCount!: number;
}

export class TagListDto {
  items!: TagDto[];
}

/** People, best match first (one page). */
export class UserListDto {
  items!: UserSummaryDto[];
}
