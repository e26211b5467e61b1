import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { UPLOAD_ID_PATTERN } from '../../keys/post.keys.js';
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

  /** A private account's posts and lists are for its followers; going public approves every pending request. */
  @IsOptionalNotNull()
  @IsBoolean()
  private?: boolean;

  /** An upload (POST /v1/uploads) to make the avatar from, centre-cropped to a square; null removes the avatar. */
  @ApiProperty({ pattern: UPLOAD_ID_PATTERN.source, nullable: true, required: false, type: String })
  @ValidateIf((_body, value) => value !== undefined && value !== null)
  @Matches(UPLOAD_ID_PATTERN, { message: 'avatarUploadId must be an upload id from POST /v1/uploads, or null' })
  avatarUploadId?: string | null;
}
