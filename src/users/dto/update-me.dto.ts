import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from '../../common/optional-not-null.js';
import { USERNAME_PATTERN } from '../username.js';

export class UpdateMeRequest {
  /** 3-30 lower-case letters, digits, dots or underscores, not starting or ending with a dot; unique. */
  @ApiProperty({ pattern: USERNAME_PATTERN.source })
  @IsOptionalNotNull()
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message:
      'username must be 3-30 lower-case letters, digits, dots or underscores, not starting or ending with a dot, not a reserved __name__',
  })
  username?: string;

  @IsOptionalNotNull()
  @IsString()
  @Length(1, 64)
  displayName?: string;

  @IsOptionalNotNull()
  @IsString()
  @MaxLength(300)
  bio?: string;
}
