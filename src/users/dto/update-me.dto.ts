import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { USERNAME_PATTERN } from '../username.js';

export class UpdateMeRequest {
  /** 3-30 lower-case letters, digits, dots or underscores, not starting or ending with a dot; unique. */
  @IsOptional()
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3-30 lower-case letters, digits, dots or underscores, not starting or ending with a dot',
  })
  username?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  displayName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  bio?: string;
}
