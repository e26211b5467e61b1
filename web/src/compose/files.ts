/** What the API takes (CreateUploadRequest's contentType). */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'] as const;
export const MAX_IMAGES = 10;
export const MAX_ALT_TEXT = 1000;
export const MAX_CAPTION = 2200;

export type ImageType = (typeof IMAGE_TYPES)[number];

export function isImageType(type: string): type is ImageType {
  return (IMAGE_TYPES as readonly string[]).includes(type);
}

/** The files a person picked, split into those that can be posted and a sentence for each that cannot. */
export function pickFiles(files: readonly File[], alreadyPicked: number): { accepted: File[]; problems: string[] } {
  const accepted: File[] = [];
  const problems: string[] = [];
  for (const file of files) {
    if (!isImageType(file.type)) {
      problems.push(`${file.name} is not a JPEG, PNG, WebP or AVIF image${file.type ? ` (${file.type})` : ''}.`);
    } else if (file.size === 0) {
      problems.push(`${file.name} is empty.`);
    } else if (alreadyPicked + accepted.length >= MAX_IMAGES) {
      problems.push(`${file.name} was left out: a post has at most ${MAX_IMAGES} photos.`);
    } else {
      accepted.push(file);
    }
  }
  return { accepted, problems };
}

/** "media[2] is 12000 x 12000 px: ..." names the image a publish refused: its position, or undefined. */
export function mediaIndexOf(detail: string | undefined): number | undefined {
  const match = /^media\[(\d+)\]/.exec(detail ?? '');
  return match ? Number(match[1]) : undefined;
}

/** "1.2 MB", "400 kB": a size as people read it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) {
    return `${(bytes / 1_000_000).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;
  }
  return `${Math.max(1, Math.round(bytes / 1000)).toLocaleString('en')} kB`;
}

/** The API's 413 says the limit in bytes; a person gets the file's size next to it. */
export function tooLargeMessage(file: File, detail: string | undefined): string {
  const limit = /at most (\d+) bytes/.exec(detail ?? '')?.[1];
  const largest = limit === undefined ? '' : `: the largest photo picfeed takes is ${formatBytes(Number(limit))}`;
  return `${file.name} is too large (${formatBytes(file.size)})${largest}.`;
}
