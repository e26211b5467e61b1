import { IsEmail, IsString, Length } from 'class-validator';
import { IsOptionalNotNull } from '../../common/optional-not-null.js';

export class DevTokenRequest {
  /** The dev user's email; the same email always signs in as the same user. */
  @IsEmail()
  @Length(3, 254)
  email!: string;

  /** Display name carried in the token's `name` claim. */
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 64)
  name?: string;
}

export class DevTokenResponse {
  /** An RS256 ID token to send as `Authorization: Bearer <idToken>`. */
  idToken!: string;
  /** ISO 8601 time after which the token is refused. */
  expiresAt!: string;
}
