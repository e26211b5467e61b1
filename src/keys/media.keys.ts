/** Widths of a post image's variants (never wider than the image itself). */
export const POST_VARIANT_WIDTHS = [320, 640, 1080] as const;
/** Sides of an avatar's square variants (never larger than the image's short side). */
export const AVATAR_VARIANT_SIDES = [64, 160, 320] as const;
/** The avatar variant user summaries show. */
export const AVATAR_SUMMARY_SIDE = 160;

/** One stored, immutable rendition of an image. */
export interface StoredVariant {
  readonly width: number;
  readonly height: number;
  readonly objectName: string;
}

/** An image of a post as stored: its placeholder, alt text, and variants from smallest to largest. */
export interface StoredMedia {
  readonly uploadId: string;
  readonly blurhash: string;
  readonly altText: string | null;
  readonly variants: readonly StoredVariant[];
}

/** A user's own avatar: the upload it was made from and its square variants, smallest first. */
export interface StoredAvatar {
  readonly uploadId: string;
  readonly variants: readonly StoredVariant[];
}

/**
 * Where a variant of an upload lives, by the size slot it fills (its real size may be smaller: never upscaled).
 * Names are immutable: one upload is processed into the same bytes under the same names every time.
 */
export const postVariantName = (owner: string, uploadId: string, width: number): string =>
  `media/${owner}/${uploadId}-w${width}`;
export const avatarVariantName = (owner: string, uploadId: string, side: number): string =>
  `avatars/${owner}/${uploadId}-s${side}`;

/** Every name a variant of this upload could have been written under: what to delete when the upload goes. */
export function variantNamesOf(owner: string, uploadId: string): string[] {
  return [
    ...POST_VARIANT_WIDTHS.map((width) => postVariantName(owner, uploadId, width)),
    ...AVATAR_VARIANT_SIDES.map((side) => avatarVariantName(owner, uploadId, side)),
  ];
}
