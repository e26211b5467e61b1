import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { USER_ID_PATTERN } from '../../common/key-name.js';

const USERNAME_PARAM = /^(?!__.*__$)[A-Za-z0-9._]{1,30}$/;

export class UserIdParam {
  /** A user id: the account's `sub` (1-255 printable ASCII characters, not a reserved `__name__`). */
  @ApiProperty({ pattern: USER_ID_PATTERN.source })
  @Matches(USER_ID_PATTERN, { message: 'id must be 1-255 printable ASCII characters, not a reserved __name__' })
  id!: string;
}

export class UsernameParam {
  /** A username, any case. */
  @ApiProperty({ pattern: USERNAME_PARAM.source })
  @Matches(USERNAME_PARAM, {
    message: 'username must be 1-30 letters, digits, dots or underscores, not a reserved __name__',
  })
  username!: string;
}
