import { Module } from '@nestjs/common';
import { ImagesModule } from '../images/images.module.js';
import { UploadImages } from './upload-images.js';

/** Uploads made into served images, for posts and avatars. */
@Module({ imports: [ImagesModule], providers: [UploadImages], exports: [UploadImages] })
export class MediaModule {}
