/** Whether the caller blocks the user, after the call. */
export class BlockStateDto {
  blocked!: boolean;
}

/** Whether the caller mutes the user, after the call. */
export class MuteStateDto {
  muted!: boolean;
}
