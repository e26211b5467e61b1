import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';
import { LimitQuery } from '../../common/dto/page-query.dto.js';
import { MAX_SEARCH_LENGTH } from '../../common/search-text.js';
import { UserSummaryDto } from '../../users/dto/user.dto.js';

/** A hashtag as a path segment: Unicode letters, marks, digits or `_`, 1-100 characters, any case. */
export const TAG_PATTERN = /^(?!__.*__$)[\p{L}\p{M}\p{N}_]{1,100}$/u;

export class SearchQuery extends LimitQuery {
  /** What to look for: the start of a username or of a word of a display name (or of a tag), any case or accent. */
  @ApiProperty({ minLength: 1, maxLength: MAX_SEARCH_LENGTH })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'q must be text' })
  @Length(1, MAX_SEARCH_LENGTH, { message: `q must be 1-${MAX_SEARCH_LENGTH} characters` })
  q!: string;
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
