/** The caller's follow of a user, after the call. */
export class FollowStateDto {
  following!: boolean;
  /** The user's account is private: the follow waits for their approval (GET /v1/me/follow-requests). */
  requested!: boolean;
  followerCount!: number;
}

/** Whether a user follows the caller, after an approval or a removal, and the caller's follower count. */
export class FollowerStateDto {
  follower!: boolean;
  followerCount!: number;
}
