/** The caller's like of a post, after the call. */
export class LikeStateDto {
  liked!: boolean;
  likeCount!: number;
}
