export class SignInOptionsDto {
  /** The dev issuer is on: POST /v1/auth/dev-token signs in with any email (local runs only). */
  devSignIn!: boolean;
  /** The OAuth client id for Google Identity Services' button; null when Google sign-in is not configured. */
  googleClientId!: string | null;
}
