/** The caller's follow of a user, after the call. */
export class FollowStateDto {
  following!: boolean;
  followerCount!: number;
}
