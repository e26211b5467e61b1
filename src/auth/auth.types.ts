/** The caller, as the verified ID token says. `id` is the token's `sub`: the user's key everywhere. */
export interface AuthenticatedUser {
  readonly id: string;
  readonly email?: string;
  readonly name?: string;
  readonly picture?: string;
  /** Whether the token's verified email is one of ADMIN_EMAILS. */
  readonly admin?: boolean;
}
